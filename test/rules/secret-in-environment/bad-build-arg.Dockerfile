# A Node.js service that installs private packages. The token is a build
# argument (fine on its own), but ENV copies it into the image's config,
# where anyone who pulls the image can read it.
FROM node:20-alpine
ARG NPM_TOKEN
# expect: secret-in-environment
ENV NPM_TOKEN=${NPM_TOKEN}
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev
COPY . .
USER node
# expect: secret-in-environment
ONBUILD ENV SENTRY_AUTH_TOKEN=sntrys_not_a_real_token_0123456789
CMD ["node", "server.js"]
