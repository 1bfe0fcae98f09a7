# A Debian-based PHP app that ADDs everything: its own files, a download
# with nothing to verify it, and a git branch.
FROM php:8.3-apache-bookworm

# expect: add-instead-of-copy
ADD docker/php.ini /usr/local/etc/php/conf.d/app.ini
# expect: add-instead-of-copy
ADD docker/vhost.conf docker/ports.conf /etc/apache2/sites-available/

# The Composer installer, straight from the network:
# expect: add-instead-of-copy
ADD https://getcomposer.org/installer /tmp/composer-setup.php
RUN php /tmp/composer-setup.php --install-dir=/usr/local/bin --filename=composer \
 && rm /tmp/composer-setup.php

# A theme cloned at whatever its main branch points to today:
# expect: add-instead-of-copy
ADD https://github.com/acme/wp-theme.git#main /var/www/html/themes/acme

WORKDIR /var/www/html
# expect: add-instead-of-copy
ADD --chown=www-data:www-data . .
RUN composer install --no-dev --no-interaction --optimize-autoloader
USER www-data
