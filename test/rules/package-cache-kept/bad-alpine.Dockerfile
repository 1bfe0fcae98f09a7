# An Alpine nginx proxy: apk keeps its index in /var/cache/apk.
FROM nginx:1.27-alpine
# expect: package-cache-kept
RUN apk add --update curl
# expect: package-cache-kept*2
RUN apk add --virtual .build-deps gcc musl-dev && apk add openssl && apk del .build-deps
COPY nginx.conf /etc/nginx/nginx.conf
HEALTHCHECK CMD curl -fsS http://localhost/healthz || exit 1
