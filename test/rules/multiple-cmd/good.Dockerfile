# One CMD, ENTRYPOINT and HEALTHCHECK per stage: each stage may have its own.
FROM golang:1.22-bookworm AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/server ./cmd/server
CMD ["go", "test", "./..."]

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/server /server
HEALTHCHECK --interval=30s CMD ["/server", "healthcheck"]
ENTRYPOINT ["/server"]
CMD ["serve"]
ONBUILD CMD ["serve", "--dev"]
