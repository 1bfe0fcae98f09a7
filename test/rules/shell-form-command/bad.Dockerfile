# An Express API whose start command is written in shell form: /bin/sh is
# PID 1 and `docker stop` ends in SIGKILL after the timeout.
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY . .
USER node
EXPOSE 3000
# expect: shell-form-command
CMD node server.js
