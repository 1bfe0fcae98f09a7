# A RHEL UBI image: metadata cached in one layer, a full update in another.
FROM registry.access.redhat.com/ubi9/ubi:9.4
# expect: update-without-install
RUN dnf makecache
# expect: update-without-install
RUN dnf -y update && dnf clean all
RUN dnf -y install --setopt=install_weak_deps=False nginx && dnf clean all
USER 1001
CMD ["nginx", "-g", "daemon off;"]
