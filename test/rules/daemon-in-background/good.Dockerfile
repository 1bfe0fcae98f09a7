# Services run in the foreground, in exec form, one per image.
FROM nginx:1.27-alpine AS web
COPY dist/ /usr/share/nginx/html/
CMD ["nginx", "-g", "daemon off;"]

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends openssh-server \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /run/sshd
EXPOSE 22
ENTRYPOINT ["/usr/sbin/sshd"]
CMD ["-D", "-e"]
