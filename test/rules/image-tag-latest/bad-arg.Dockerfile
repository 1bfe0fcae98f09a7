# The base comes from a build argument whose default names no version.
ARG BASE_IMAGE=alpine
# expect: image-tag-latest
FROM ${BASE_IMAGE} AS system
RUN apk add --no-cache ca-certificates tzdata \
 && adduser -D -H -u 10001 app

FROM system
COPY app /app
USER 10001
ENTRYPOINT ["/app"]
