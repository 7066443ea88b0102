# clipjury: one image for `serve` and `worker`.
# Checked without a daemon by `make test-docker`: hadolint, and tests/deploy.rs (every COPY source exists; every shared
# library the binaries load comes from a package the runtime stage installs).
FROM node:20-bookworm-slim AS web
WORKDIR /src
COPY docs/openapi.json docs/openapi.json
COPY web/package.json web/package-lock.json web/
WORKDIR /src/web
RUN npm ci
COPY web /src/web
RUN npm run build

FROM rust:1-bookworm AS build
# Debian's versions are not pinned: a pinned version disappears from the mirror with the next security update.
# hadolint ignore=DL3008
RUN apt-get update && apt-get install -y --no-install-recommends clang pkg-config \
        libavcodec-dev libavformat-dev libavutil-dev libavfilter-dev libavdevice-dev libswscale-dev libswresample-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cargo build --release --locked && cp target/release/clipjury target/release/clipjury-media /usr/local/bin/

FROM debian:bookworm-slim
# FFmpeg's libraries for clipjury-media (the main binary does not load them).
# hadolint ignore=DL3008
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl \
        libavcodec59 libavformat59 libavutil57 libavfilter8 libswscale6 libswresample4 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --create-home --home-dir /var/lib/clipjury clipjury
COPY --from=build /usr/local/bin/clipjury /usr/local/bin/clipjury-media /usr/local/bin/
COPY --from=web /src/web/dist /usr/share/clipjury/web
# Numeric, so a runtime that checks for a non-root user (Kubernetes runAsNonRoot) can tell.
USER 10001:10001
WORKDIR /var/lib/clipjury
ENV CLIPJURY_SERVER__WEB_DIR=/usr/share/clipjury/web \
    CLIPJURY_SERVER__LISTEN=0.0.0.0:8080 \
    CLIPJURY_MEDIA__DIR=/var/lib/clipjury/media \
    CLIPJURY_LOG_FORMAT=json
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s CMD ["curl", "-fsS", "http://127.0.0.1:8080/readyz"]
ENTRYPOINT ["clipjury"]
CMD ["serve"]
