# A multi-stage Go build: the builder stage has two ENTRYPOINTs (only the last applies,
# even there), and the final stage repeats its ENTRYPOINT and CMD.
FROM golang:1.22-bookworm AS build
WORKDIR /src
# expect: multiple-cmd
ENTRYPOINT ["go"]
ENTRYPOINT ["go", "test"]
COPY . .
RUN CGO_ENABLED=0 go build -o /out/server ./cmd/server

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/server /server
# expect: multiple-cmd
ENTRYPOINT ["/server"]
# expect: multiple-cmd
CMD ["--help"]
ENTRYPOINT ["/server", "--config", "/etc/server.yaml"]
CMD ["serve"]
