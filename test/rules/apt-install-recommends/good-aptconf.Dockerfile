# apt told once, in its configuration, never to install recommended
# packages: every later install in the image follows it.
FROM ubuntu:24.04 AS base
RUN echo 'APT::Install-Recommends "false";' > /etc/apt/apt.conf.d/99no-recommends

FROM base
RUN apt-get update && apt-get install -y python3 python3-venv && rm -rf /var/lib/apt/lists/*
COPY . /srv/app
USER 1000
CMD ["python3", "/srv/app/main.py"]
