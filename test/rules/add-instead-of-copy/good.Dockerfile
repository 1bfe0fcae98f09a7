# syntax=docker/dockerfile:1
# The same PHP app with COPY for its own files; ADD only where it does what
# COPY cannot: unpack a local tarball, fetch a download it verifies, and
# clone a git repository at a fixed commit.
FROM php:8.3-apache-bookworm

COPY docker/php.ini /usr/local/etc/php/conf.d/app.ini
COPY docker/vhost.conf docker/ports.conf /etc/apache2/sites-available/

ADD --checksum=sha256:3a7b5f0e8c1d9a2b4c6e8f0a1b3d5c7e9f2a4b6c8d0e1f3a5b7c9d2e4f6a8b0c https://getcomposer.org/installer /tmp/composer-setup.php
RUN php /tmp/composer-setup.php --install-dir=/usr/local/bin --filename=composer \
 && rm /tmp/composer-setup.php

ADD vendor/ioncube_loaders_lin_x86-64.tar.gz /usr/local/lib/
ADD https://github.com/acme/wp-theme.git#4f1c3a9e0b2d7c8e6f5a4b3c2d1e0f9a8b7c6d5e /var/www/html/themes/acme

WORKDIR /var/www/html
COPY --chown=www-data:www-data . .
RUN composer install --no-dev --no-interaction --optimize-autoloader
USER www-data
