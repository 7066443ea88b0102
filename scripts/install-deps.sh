#!/usr/bin/env bash
# Installs what clipjury needs on Debian 12 and is missing: build tools, FFmpeg 5.1 libraries (and the ffmpeg CLI,
# used only to generate test clips and benchmark against), PostgreSQL 15 (tests), docker-compose (validates
# docker-compose.yml offline), Node.js and npm, Chromium (browser tests), and a Khmer font with fontconfig for text
# drawn outside a browser (FFmpeg's subtitles/drawtext; crates/media/src/fonts.rs names it).
# Uses sudo when not root. Safe to run again: only missing packages are installed.
set -euo pipefail

packages=(build-essential pkg-config clang curl ca-certificates python3 postgresql-15 docker-compose
  libavcodec-dev libavformat-dev libavutil-dev libavfilter-dev libavdevice-dev libswscale-dev libswresample-dev ffmpeg
  fontconfig fonts-khmeros)
# Node.js may come from Debian (nodejs + npm) or from NodeSource (nodejs with npm inside): check the commands.
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)
# The browser tests drive Debian's chromium (any chromium at CHROMIUM will do instead).
[ -n "${CHROMIUM:-}" ] || command -v chromium >/dev/null || packages+=(chromium)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  sudo=()
  [ "$(id -u)" = 0 ] || sudo=(sudo)
  echo "installing: ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

command -v cargo >/dev/null || { echo "cargo not found: install Rust with rustup (https://rustup.rs)" >&2; exit 1; }
