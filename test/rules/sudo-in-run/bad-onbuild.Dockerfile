# A team base image whose ONBUILD step runs sudo in every image built FROM it.
FROM python:3.12-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends sudo \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 1001 app \
 && echo 'app ALL=(root) NOPASSWD: /usr/bin/apt-get' > /etc/sudoers.d/app
USER app
WORKDIR /home/app
# expect: sudo-in-run
ONBUILD RUN sudo apt-get update && sudo apt-get install -y --no-install-recommends $(cat apt-packages.txt)
