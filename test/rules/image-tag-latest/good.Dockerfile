# syntax=docker/dockerfile:1
# Every base the image is made of names a version; a digest-pinned reference
# passes whatever its tag says, and a base given only at build time
# (--build-arg GO_IMAGE=…) cannot be judged here.
ARG GO_IMAGE
FROM ${GO_IMAGE} AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /out/api ./cmd/api

FROM alpine:latest@sha256:0a4eaa0eecf5f8c050e5bba433f58c052be7587ee8af3e8b3910ef9ab5fbe9f5 AS certs
RUN apk add --no-cache ca-certificates

FROM debian:12.6-slim AS base
RUN useradd --system --uid 10001 api

FROM base
COPY --from=certs /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=build /out/api /usr/local/bin/api
USER 10001
ENTRYPOINT ["/usr/local/bin/api"]
