# A Node.js image edited over time: an old CMD and HEALTHCHECK were left above the new ones.
FROM node:20-alpine
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY . .
USER node
EXPOSE 3000
# expect: multiple-cmd
HEALTHCHECK CMD wget -qO- http://127.0.0.1:3000/ || exit 1
# expect: multiple-cmd
CMD ["npm", "start"]
HEALTHCHECK --interval=30s --timeout=3s CMD wget -qO- http://127.0.0.1:3000/healthz || exit 1
CMD ["node", "server.js"]
