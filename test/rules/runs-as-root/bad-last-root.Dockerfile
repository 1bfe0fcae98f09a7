# Creates an app user, then switches back to root to install one more package
# and never switches back: the last USER is what the container runs as.
FROM debian:bookworm-slim
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --home-dir /srv/app --create-home app
USER app
WORKDIR /srv/app
COPY --chown=app:app bin/ ./bin/
# expect: runs-as-root
USER root
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/*
HEALTHCHECK CMD ["/srv/app/bin/worker", "--check"]
ENTRYPOINT ["/srv/app/bin/worker"]
