# A Python API: pip keeps every wheel it downloaded under ~/.cache/pip.
FROM python:3.12-slim-bookworm
WORKDIR /srv/app
COPY requirements.txt .
# expect: package-cache-kept
RUN pip install -r requirements.txt
# expect: package-cache-kept
RUN python3 -m pip install gunicorn==22.0.0
COPY . .
RUN useradd --system --uid 10001 app
USER 10001
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app.wsgi:application"]
