# A static binary on scratch: there is no base image at all.
FROM golang:1.22.5-alpine3.20 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/exporter .

FROM scratch
COPY --from=build /out/exporter /exporter
USER 65534:65534
ENTRYPOINT ["/exporter"]
