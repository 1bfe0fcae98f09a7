# A Laravel app on Debian: storage and cache opened to everyone instead of chowned to www-data.
FROM php:8.3-apache-bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends libzip-dev unzip \
 && docker-php-ext-install zip pdo_mysql \
 && rm -rf /var/lib/apt/lists/*
COPY --from=composer:2.7 /usr/bin/composer /usr/bin/composer
WORKDIR /var/www/html
COPY . .
RUN composer install --no-dev --optimize-autoloader \
# expect: world-writable-permissions
 && chmod -R 777 storage bootstrap/cache
# expect: world-writable-permissions
RUN mkdir -p /var/www/html/public/uploads && chmod -R a+w /var/www/html/public/uploads
# expect: world-writable-permissions
COPY --chmod=777 docker/entrypoint.sh /usr/local/bin/entrypoint.sh
USER www-data
ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]
CMD ["apache2-foreground"]
