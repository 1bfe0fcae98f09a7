# syntax=docker/dockerfile:1
# The CI builder image used as a stage has sudo; only the compiled binary is
# copied out of it, so its sudo never reaches the image.
FROM ghcr.io/acme/ci-builder:2024.06 AS build
WORKDIR /home/builder/src
COPY --chown=builder:builder . .
RUN sudo apt-get update && sudo apt-get install -y --no-install-recommends libssl-dev \
 && cargo build --release

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /home/builder/src/target/release/api /api
ENTRYPOINT ["/api"]
