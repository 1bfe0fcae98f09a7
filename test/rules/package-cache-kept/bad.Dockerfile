# syntax=docker/dockerfile:1
# A Debian-based Node service whose installs leave apt's lists behind.
FROM node:20.15-bookworm-slim
ENV DEBIAN_FRONTEND=noninteractive
# expect: package-cache-kept
RUN apt-get update && apt-get install -y --no-install-recommends \
      ca-certificates \
      dumb-init \
 && apt-get clean
# A cache mount on /var/cache/apt keeps the .debs out, not the lists:
# expect: package-cache-kept
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core
WORKDIR /usr/src/app
COPY package.json yarn.lock ./
# expect: package-cache-kept
RUN yarn install --frozen-lockfile --production
COPY . .
USER node
ENTRYPOINT ["dumb-init", "--"]
CMD ["node", "server.js"]
