# The base image ships a health check; this image turns it off.
FROM nginx:1.27-alpine
COPY nginx.conf /etc/nginx/nginx.conf
COPY dist/ /usr/share/nginx/html/
# expect: no-healthcheck
HEALTHCHECK NONE
EXPOSE 80
CMD ["nginx", "-g", "daemon off;"]
