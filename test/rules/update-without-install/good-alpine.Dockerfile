# apk add --no-cache reads a fresh index itself; a named upgrade is fine.
FROM alpine:3.20
RUN apk add --no-cache ca-certificates tzdata \
 && apk upgrade --no-cache libcrypto3 libssl3
COPY relay /usr/local/bin/relay
USER 65534
ENTRYPOINT ["/usr/local/bin/relay"]
