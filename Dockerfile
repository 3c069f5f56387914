# syntax=docker/dockerfile:1
# trustlint in a container: a static musl binary on a distroless base with
# no shell and no libc, run as a non-root user.
#
#   docker build -t trustlint .
#   docker build -t trustlint https://github.com/trustlint/trustlint.git#<tag>
#   docker run --rm -v "$PWD:/src" trustlint check .
#
# The builder is Alpine's Rust (musl is its native C library, so the
# binary is static, mimalloc's C included); it needs Rust 1.88 or newer.

ARG RUST_VERSION=1
FROM rust:${RUST_VERSION}-alpine AS build
RUN apk add --no-cache musl-dev
WORKDIR /build
# Dependencies first, so editing trustlint's sources reuses their layer.
COPY Cargo.toml Cargo.lock build.rs ./
COPY benches benches
RUN mkdir src \
    && echo 'fn main() {}' > src/main.rs \
    && touch src/lib.rs \
    && cargo build --release --locked \
    && rm -rf src target/release/.fingerprint/trustlint-*
COPY src src
COPY rules rules
RUN cargo build --release --locked \
    && cp target/release/trustlint /trustlint

FROM gcr.io/distroless/static-debian12:nonroot
LABEL org.opencontainers.image.title="trustlint" \
      org.opencontainers.image.description="A fast linter for AWS IAM trust: who can assume a role, under what conditions, and for how long" \
      org.opencontainers.image.source="https://github.com/trustlint/trustlint" \
      org.opencontainers.image.licenses="MIT OR Apache-2.0"
COPY --from=build /trustlint /usr/local/bin/trustlint
# A static binary or nothing: the base has no libc to load.
RUN ["/usr/local/bin/trustlint", "--version"]
USER nonroot:nonroot
WORKDIR /src
ENTRYPOINT ["/usr/local/bin/trustlint"]
CMD ["check", "."]
