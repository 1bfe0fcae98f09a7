# syntax=docker/dockerfile:1
# pip told not to cache: by ENV for the whole image, by flag, or through a
# cache mount; the builder stage's cache never ships.
FROM python:3.12-bookworm AS wheels
WORKDIR /src
COPY requirements.txt .
RUN pip wheel --wheel-dir /wheels -r requirements.txt && pip install build

FROM python:3.12-slim-bookworm AS base
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1

FROM base
WORKDIR /srv/app
COPY --from=wheels /wheels /wheels
RUN pip install --no-index --find-links=/wheels /wheels/*.whl
RUN --mount=type=cache,target=/root/.cache/pip python3 -m pip install gunicorn==22.0.0
COPY . .
RUN useradd --system --uid 10001 app
USER 10001
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app.wsgi:application"]
