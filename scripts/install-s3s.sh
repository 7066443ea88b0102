#!/usr/bin/env bash
# Installs s3s-fs, a small S3-compatible server over a folder (https://crates.io/crates/s3s-fs), used by the tests
# that run clipjury against real S3 requests. Installed once into ~/.cargo/bin and reused by later runs.
# 0.14.1 is pinned: later releases need a newer Rust than the toolchain this repository builds with.
set -euo pipefail

S3S_VERSION=0.14.1
bin="${CARGO_HOME:-$HOME/.cargo}/bin/s3s-fs"
if [ -x "$bin" ] && "$bin" --version 2>/dev/null | grep -q "$S3S_VERSION"; then
  exit 0
fi
echo "installing s3s-fs $S3S_VERSION (once)"
cargo install --locked --quiet s3s-fs --version "$S3S_VERSION" --features binary
