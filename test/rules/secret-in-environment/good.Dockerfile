# The same Node.js service done right: the npm token is a build secret that
# never lands in a layer, and the runtime reads its secrets from files.
# syntax=docker/dockerfile:1.7
FROM node:20-alpine AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \
    npm ci --omit=dev

FROM node:20-alpine
ARG NPM_TOKEN
ARG APP_VERSION=0.0.0-dev
ENV NODE_ENV=production \
    APP_VERSION=${APP_VERSION} \
    DB_PASSWORD_FILE=/run/secrets/db_password \
    SESSION_SECRET_PATH=/run/secrets/session_secret \
    AUTH_ENABLED=true \
    TOKEN_TTL=3600 \
    PASSWORD_MIN_LENGTH=12 \
    REDIS_PASSWORD= \
    DATABASE_URL=postgres://db.internal:5432/app \
    AWS_REGION=eu-west-1
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY . .
USER node
EXPOSE 3000
CMD ["node", "server.js"]
