# A base image for the team's Node services: the ONBUILD step runs in every
# image built FROM it, and the JSON form reads the same as the plain one.
FROM node:20.15-bookworm-slim
WORKDIR /usr/src/app
# expect: add-instead-of-copy
ONBUILD ADD package.json package-lock.json ./
ONBUILD RUN npm ci --omit=dev
# expect: add-instead-of-copy
ADD ["config/default.json", "config/production.json", "/usr/src/app/config/"]
# expect: add-instead-of-copy
ADD git@github.com:acme/node-shared.git /usr/src/shared
USER node
