# A static site behind nginx: the base has no tag, so each build takes
# whatever nginx:latest is that day.
# expect: image-tag-latest
FROM nginx
COPY nginx.conf /etc/nginx/conf.d/default.conf
COPY public/ /usr/share/nginx/html/
EXPOSE 80
HEALTHCHECK CMD wget -q -O /dev/null http://localhost/ || exit 1
