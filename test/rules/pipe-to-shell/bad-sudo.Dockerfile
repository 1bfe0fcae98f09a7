# A CI runner image: tools installed by scripts piped into sudo bash and into
# python3 (get-pip.py), through tee, and from a gzip stream.
FROM ubuntu:22.04

RUN apt-get update && apt-get install -y --no-install-recommends sudo curl python3 ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --shell /bin/bash runner \
 && echo 'runner ALL=(ALL) NOPASSWD:ALL' > /etc/sudoers.d/runner

USER runner
WORKDIR /home/runner

# expect: pipe-to-shell
RUN curl -fsSL https://get.docker.com | sudo -E bash -s -- --channel stable
# expect: pipe-to-shell
RUN curl -sS https://bootstrap.pypa.io/get-pip.py | python3 - --user
# expect: pipe-to-shell
RUN curl -fsSL https://tools.example.com/setup.sh | tee /tmp/setup.log.sh | sudo sh
# expect: pipe-to-shell
RUN curl -fsSL https://tools.example.com/agent.sh.gz | gunzip | bash
CMD ["bash"]
