# An Alpine image for a Go service: the index refreshed in a layer of its
# own, everything upgraded at build time, the packages added later.
FROM golang:1.22.5-alpine3.20 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/relay ./cmd/relay

FROM alpine:3.20
# expect: update-without-install
RUN apk update
# expect: update-without-install
RUN apk upgrade --no-cache
RUN apk add ca-certificates tzdata && rm -rf /var/cache/apk/*
COPY --from=build /out/relay /usr/local/bin/relay
USER 65534
ENTRYPOINT ["/usr/local/bin/relay"]
