# A PHP app behind nginx in one image: php-fpm is started as a service and
# left unsupervised while nginx runs in the foreground.
FROM php:8.3-fpm-bookworm

RUN apt-get update \
 && apt-get install -y --no-install-recommends nginx \
 && rm -rf /var/lib/apt/lists/*
COPY docker/nginx.conf /etc/nginx/sites-available/default
COPY --chown=www-data:www-data . /var/www/html

EXPOSE 80
# expect: daemon-in-background
CMD service php8.3-fpm start && nginx -g 'daemon off;'
