# A Debian "dev box" image: the app plus an SSH server for remote debugging.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends openssh-server python3 python3-venv \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /run/sshd
WORKDIR /srv/app
COPY . .
EXPOSE 8080
# expect: ssh-port-exposed
EXPOSE 22
CMD ["/bin/sh", "-c", "/usr/sbin/sshd && exec python3 -m http.server 8080"]
