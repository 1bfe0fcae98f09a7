# A multi-stage build with MAINTAINER in both stages.
FROM golang:1.22-alpine AS build
# expect: maintainer-deprecated
MAINTAINER "Jane Doe <jane@example.com>"
WORKDIR /src
COPY . .
RUN go build -o /out/app ./cmd/app

FROM alpine:3.20
# expect: maintainer-deprecated
MAINTAINER Jane Doe <jane@example.com>
COPY --from=build /out/app /usr/local/bin/app
USER 65534:65534
ENTRYPOINT ["/usr/local/bin/app"]
