# The same app, its base pinned by digest (the tag stays for readers).
FROM node:20@sha256:a2ea00ab98b4e4c1dbc6cd0ad8e2e5e5fa8c1ed4bb2f5cce0b79b5c1d52a8b4e
WORKDIR /usr/src/app
COPY package*.json ./
RUN npm ci --omit=dev
COPY . .
USER node
EXPOSE 8080
CMD ["node", "index.js"]
