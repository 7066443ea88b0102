# clipjury: one image for `serve` and `worker`.
FROM node:20-bookworm-slim AS web
WORKDIR /src
COPY docs/openapi.json docs/openapi.json
COPY web/package.json web/package-lock.json web/
RUN cd web && npm ci
COPY web web
RUN cd web && npm run build

FROM rust:1-bookworm AS build
# FFmpeg 5.1 headers for ffmpeg-next (the media crate links the system libraries).
RUN apt-get update && apt-get install -y --no-install-recommends clang pkg-config \
      libavcodec-dev libavformat-dev libavutil-dev libavfilter-dev libavdevice-dev libswscale-dev libswresample-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cargo build --release --locked && cp target/release/clipjury /usr/local/bin/clipjury

FROM debian:bookworm-slim
# The FFmpeg 5.1 shared libraries the binary links (ldd target/release/clipjury).
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl \
      libavcodec59 libavformat59 libavutil57 libavfilter8 libswscale6 libswresample4 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /var/lib/clipjury clipjury
COPY --from=build /usr/local/bin/clipjury /usr/local/bin/clipjury
COPY --from=web /src/web/dist /usr/share/clipjury/web
USER clipjury
WORKDIR /var/lib/clipjury
ENV CLIPJURY_SERVER__WEB_DIR=/usr/share/clipjury/web \
    CLIPJURY_SERVER__LISTEN=0.0.0.0:8080 \
    CLIPJURY_MEDIA__DIR=/var/lib/clipjury/media \
    CLIPJURY_LOG_FORMAT=json
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s CMD curl -fsS http://127.0.0.1:8080/readyz || exit 1
ENTRYPOINT ["clipjury"]
CMD ["serve"]
