# The same worker with the refresh and the install in one RUN, so they are
# one cache entry; upgrades name the packages they are for.
FROM python:3.12-slim-bookworm
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq5 \
 && apt-get install -y --only-upgrade openssl \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /srv/worker
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
USER 10001
CMD ["python", "-m", "worker"]
