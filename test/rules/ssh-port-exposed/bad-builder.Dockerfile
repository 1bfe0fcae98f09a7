# A Go service whose base stage (built on by the final one) opens SSH: the final image inherits EXPOSE.
FROM golang:1.22-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /out/agent ./cmd/agent

FROM debian:bookworm-slim AS base
RUN apt-get update \
 && apt-get install -y --no-install-recommends openssh-server ca-certificates \
 && rm -rf /var/lib/apt/lists/*
# expect: ssh-port-exposed
EXPOSE 9100 22/tcp

FROM base
COPY --from=build /out/agent /usr/local/bin/agent
USER nobody
ENTRYPOINT ["/usr/local/bin/agent"]
