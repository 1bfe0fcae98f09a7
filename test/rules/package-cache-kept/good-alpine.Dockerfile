# apk add --no-cache fetches the index to memory only; removing the cache
# in the same RUN works too.
FROM nginx:1.27-alpine
RUN apk add --no-cache curl
RUN apk add --virtual .build-deps gcc musl-dev && apk add openssl && apk del .build-deps \
 && rm -rf /var/cache/apk/*
COPY nginx.conf /etc/nginx/nginx.conf
HEALTHCHECK CMD curl -fsS http://localhost/healthz || exit 1
