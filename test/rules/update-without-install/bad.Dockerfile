# A Debian-based Python worker written one step per line: the update is
# cached on its own and the install below reads a stale index.
FROM python:3.12-slim-bookworm
ENV DEBIAN_FRONTEND=noninteractive
# expect: update-without-install
RUN apt-get update
RUN apt-get install -y --no-install-recommends libpq5 \
 && rm -rf /var/lib/apt/lists/*
# Upgrading the whole base image at build time:
# expect: update-without-install
RUN apt-get update && apt-get -y dist-upgrade && rm -rf /var/lib/apt/lists/*
WORKDIR /srv/worker
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
USER 10001
CMD ["python", "-m", "worker"]
