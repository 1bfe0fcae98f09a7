# A static site on Alpine: nginx without daemon off forks away and the container exits.
FROM node:20-alpine AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM alpine:3.20
RUN apk add --no-cache nginx
COPY --from=build /app/dist /usr/share/nginx/html
COPY nginx.conf /etc/nginx/http.d/default.conf
EXPOSE 8080
# expect: daemon-in-background
CMD ["nginx"]
