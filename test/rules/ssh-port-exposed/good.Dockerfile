# A multi-stage Go build: the builder fetches modules over SSH (22 is only in the
# builder, which never reaches the image), the final image exposes only HTTP.
FROM golang:1.22-alpine AS build
RUN apk add --no-cache git openssh-client
EXPOSE 22
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=ssh go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/server ./cmd/server

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/server /server
EXPOSE 8080 2222/udp 9090/tcp
USER nonroot:nonroot
ENTRYPOINT ["/server"]
