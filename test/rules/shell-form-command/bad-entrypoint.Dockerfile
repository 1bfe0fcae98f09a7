# A multi-stage Go build whose final ENTRYPOINT is in shell form: /bin/sh is PID 1,
# and the CMD below it is ignored.
FROM golang:1.22-alpine AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/gateway ./cmd/gateway

FROM alpine:3.20
COPY --from=build /out/gateway /usr/local/bin/gateway
USER 65534:65534
# expect: shell-form-command
ENTRYPOINT /usr/local/bin/gateway --listen :8080 --upstream "$UPSTREAM_URL"
CMD ["--log-level", "info"]
