# The final stage builds FROM a stage whose shell-form CMD it keeps.
FROM python:3.12-slim AS base
WORKDIR /srv/app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
# expect: shell-form-command
CMD gunicorn --bind 0.0.0.0:${PORT:-8000} app.wsgi:application

FROM base
COPY . .
USER 10001
