# A worker and an exporter in one container, started by a script that waits
# for both (the shell supervises its jobs); cron in the foreground in another stage.
FROM alpine:3.20 AS cron
RUN apk add --no-cache dcron
COPY crontab /etc/crontabs/root
CMD ["crond", "-f", "-l", "2"]

FROM python:3.12-alpine
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
USER 10001
CMD ["sh", "-c", "python -m exporter & python -m worker & wait"]
