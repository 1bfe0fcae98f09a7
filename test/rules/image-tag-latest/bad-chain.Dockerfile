# syntax=docker/dockerfile:1
# A Python service whose runtime stage builds FROM a shared base stage: both
# FROMs of the chain are the image. The Go builder's latest only reaches the
# image as a copied binary, and is not judged here.
FROM golang:latest AS healthcheck
WORKDIR /src
COPY tools/healthcheck/ .
RUN CGO_ENABLED=0 go build -o /out/healthcheck .

# expect: image-tag-latest
FROM python:latest AS base
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN useradd --system --uid 10001 app

FROM base AS runtime
WORKDIR /srv/app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY --from=healthcheck /out/healthcheck /usr/local/bin/healthcheck
COPY . .
USER 10001
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app.wsgi:application"]
