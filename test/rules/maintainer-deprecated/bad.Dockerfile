# An older Debian-based image that still names its maintainer the deprecated way.
FROM debian:bookworm-slim
# expect: maintainer-deprecated
MAINTAINER Platform Team <platform@example.com>
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY app /usr/local/bin/app
USER 65534:65534
CMD ["/usr/local/bin/app"]
