# A Flask app with a Celery worker started in the background beside gunicorn.
FROM python:3.12-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /srv/app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
USER 10001
# expect: daemon-in-background
CMD celery -A app.tasks worker --loglevel=info & gunicorn --bind 0.0.0.0:8000 app.wsgi:application
