# A dev-container style image: a non-root user with passwordless sudo,
# which then uses it to install and configure.
FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends sudo ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 1001 dev \
 && echo 'dev ALL=(ALL) NOPASSWD:ALL' > /etc/sudoers.d/dev
USER dev
WORKDIR /home/dev
# expect: sudo-in-run
RUN sudo apt-get update && sudo apt-get install -y --no-install-recommends git \
 && sudo rm -rf /var/lib/apt/lists/*
# expect: sudo-in-run
RUN sh -c 'sudo -u root chown -R dev:dev /opt'
CMD ["bash"]
