# The same image without sudo: root does the system work, then the image
# switches to its user for good.
FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl git \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 1001 dev \
 && chown -R dev:dev /opt
USER dev
WORKDIR /home/dev
CMD ["bash"]
