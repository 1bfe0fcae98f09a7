# A multi-stage Go build. The builder's own scratch folders may be open (its
# layers never reach the image); the final image sets owners and tight modes.
FROM golang:1.22-bookworm AS build
RUN mkdir -p /cache && chmod 777 /cache
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /out/api ./cmd/api

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --no-create-home api \
 && mkdir -p /var/lib/api /var/tmp/api-scratch \
 && chown -R api:api /var/lib/api \
 && chmod 755 /var/lib/api \
 && chmod 1777 /tmp /var/tmp \
 && chmod a+rX,go-w /etc/ssl/certs \
 && chmod +x /usr/local/bin 2>/dev/null || true
RUN mkdir -m 0750 /var/lib/api/keys && chmod u+w,o-w /var/lib/api/keys && chmod -R o+w,o-w /var/lib/api
COPY --from=build --chown=api:api --chmod=755 /out/api /usr/local/bin/api
COPY --chown=api:api --chmod=644 config/api.yaml /etc/api/api.yaml
USER api
ENTRYPOINT ["/usr/local/bin/api"]
