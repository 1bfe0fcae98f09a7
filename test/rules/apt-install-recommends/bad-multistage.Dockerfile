# syntax=docker/dockerfile:1
# The runtime stage builds FROM a base stage whose install is in the image;
# the builder's packages never ship and are not judged.
FROM debian:12.6-slim AS base
# expect: apt-install-recommends
RUN apt-get update && apt-get -y -o Dpkg::Options::=--force-confold install ca-certificates curl \
 && rm -rf /var/lib/apt/lists/*

FROM golang:1.22.5-bookworm AS build
RUN apt-get update && apt-get install -y libsqlite3-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN go build -o /out/app ./cmd/app

FROM base
COPY --from=build /out/app /usr/local/bin/app
# expect: apt-install-recommends
RUN sudo -E apt-get install -y tini
USER 10001
ENTRYPOINT ["tini", "--", "/usr/local/bin/app"]
