# Exec form everywhere it matters; `exec` where the script needs a variable;
# the shell-form CMD of the base stage is replaced by the final one.
FROM python:3.12-slim AS base
WORKDIR /srv/app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
CMD python -m http.server

FROM base AS web
COPY . .
USER 10001
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
CMD exec gunicorn --bind "0.0.0.0:${PORT:-8000}" app.wsgi:application

FROM web
ENTRYPOINT ["tini", "--"]
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app.wsgi:application"]
