# The maintainer as an OCI label.
FROM debian:bookworm-slim
LABEL org.opencontainers.image.authors="Platform Team <platform@example.com>" \
      org.opencontainers.image.source="https://github.com/example/app"
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY app /usr/local/bin/app
USER 65534:65534
CMD ["/usr/local/bin/app"]
