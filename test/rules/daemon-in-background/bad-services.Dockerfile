# A "VM in a container": sshd, cron and a Redis started from init scripts, kept alive with tail.
FROM ubuntu:22.04
RUN apt-get update \
 && apt-get install -y --no-install-recommends openssh-server cron redis-server \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /run/sshd
EXPOSE 2222
# expect: daemon-in-background*3
ENTRYPOINT ["/bin/bash", "-c", "/usr/sbin/sshd -p 2222 && /etc/init.d/cron start && systemctl start redis-server && tail -f /dev/null"]
