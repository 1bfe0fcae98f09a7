# A Node.js app on Debian: NodeSource's setup script and a CLI installer, both
# piped straight from the network into a shell.
FROM debian:bookworm-slim

ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl gnupg \
 && rm -rf /var/lib/apt/lists/*

# expect: pipe-to-shell
RUN curl -fsSL https://deb.nodesource.com/setup_20.x | bash - \
 && apt-get install -y --no-install-recommends nodejs \
 && rm -rf /var/lib/apt/lists/*

RUN set -eux; \
    mkdir -p /opt/tools; \
# expect: pipe-to-shell
    wget -qO- https://get.example-cli.dev/install.sh | sh -s -- --prefix /opt/tools; \
    /opt/tools/bin/example-cli --version

WORKDIR /srv/app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY . .
USER node
CMD ["node", "server.js"]
