# Reverse proxy in front of the app: unprivileged nginx listening on 8080/8443.
FROM nginx:1.27-alpine

# curl for the health check; the stock default site goes away.
RUN apk add --no-cache curl \
 && rm -f /etc/nginx/conf.d/default.conf

COPY nginx.conf /etc/nginx/nginx.conf
COPY conf.d/ /etc/nginx/conf.d/
COPY --chown=nginx:nginx certs/ /etc/nginx/certs/

# nginx runs as the nginx user: it needs to own its cache, logs and pid file.
RUN set -eux; \
    mkdir -p /var/cache/nginx/client_temp /var/cache/nginx/proxy_temp; \
    chown -R nginx:nginx /var/cache/nginx /var/log/nginx /etc/nginx/conf.d; \
    touch /var/run/nginx.pid && chown nginx:nginx /var/run/nginx.pid; \
    sed -i 's/^user /#user /' /etc/nginx/nginx.conf

USER nginx
EXPOSE 8080 8443
STOPSIGNAL SIGQUIT
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
CMD ["nginx", "-g", "daemon off;"]
