# The base comes from a build argument whose default is a tag.
ARG PYTHON_IMAGE=python:3.12-slim
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN go build -o /out/tool ./cmd/tool

# expect: image-not-pinned
FROM ${PYTHON_IMAGE}
COPY --from=build /out/tool /usr/local/bin/tool
USER 10001
ENTRYPOINT ["/usr/local/bin/tool"]
