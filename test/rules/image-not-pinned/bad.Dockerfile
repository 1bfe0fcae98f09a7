# A Node.js app on a tag: node:20 moves with every patch release.
# expect: image-not-pinned
FROM node:20
WORKDIR /usr/src/app
COPY package*.json ./
RUN npm ci --omit=dev
COPY . .
USER node
EXPOSE 8080
CMD ["node", "index.js"]
