# A multi-stage Go build whose builder stage runs installers through command
# and process substitution; the final image runs a downloaded bootstrap.
FROM golang:1.22-bookworm AS build
WORKDIR /src
# expect: pipe-to-shell
RUN bash <(curl -sSfL https://raw.githubusercontent.com/golangci/golangci-lint/master/install.sh) -b /usr/local/bin v1.59.1
# expect: pipe-to-shell
RUN sh -c "$(wget -qO- https://raw.githubusercontent.com/ohmyzsh/ohmyzsh/master/tools/install.sh)" "" --unattended
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/api ./cmd/api

FROM alpine:3.20
RUN apk add --no-cache ca-certificates curl
COPY --from=build /out/api /usr/local/bin/api
# expect: pipe-to-shell
ONBUILD RUN eval "$(curl -fsSL https://config.example.com/onbuild.env)"
USER 65534:65534
# expect: pipe-to-shell
ENTRYPOINT ["/bin/sh", "-c", "curl -fsSL https://config.example.com/bootstrap.sh | sh && exec /usr/local/bin/api"]
