#!/usr/bin/env bash
# Runs a command with a throwaway S3-compatible server (s3s-fs over a temp folder, on 127.0.0.1 at a free port) and
# one bucket in it. Exports what the tests read: CLIPJURY_TEST_S3_ENDPOINT, CLIPJURY_TEST_S3_BUCKET and the
# AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_REGION the S3 client signs with. Stops the server afterwards.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
"$here/install-s3s.sh"
s3s="${CARGO_HOME:-$HOME/.cargo}/bin/s3s-fs"

dir=$(mktemp -d /tmp/clipjury-s3.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
export AWS_ACCESS_KEY_ID=clipjurytest AWS_SECRET_ACCESS_KEY=clipjurytestsecret AWS_REGION=us-east-1
bucket=clipjury-test

mkdir -p "$dir/root"
"$s3s" --host 127.0.0.1 --port "$port" --access-key "$AWS_ACCESS_KEY_ID" --secret-key "$AWS_SECRET_ACCESS_KEY" \
  "$dir/root" >"$dir/server.log" 2>&1 &
pid=$!
cleanup() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT

endpoint="http://127.0.0.1:$port"
for _ in $(seq 100); do
  curl -s -o /dev/null "$endpoint/" && break
  kill -0 "$pid" 2>/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  sleep 0.1
done
# CreateBucket through the S3 API itself (a signed PUT /bucket), so a broken server fails here.
curl -fsS -X PUT --aws-sigv4 "aws:amz:$AWS_REGION:s3" \
  -H "x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" \
  "$endpoint/$bucket" >/dev/null || { echo "creating the test bucket failed" >&2; cat "$dir/server.log" >&2; exit 1; }

echo "throwaway S3 (s3s-fs) on $endpoint, bucket $bucket ($dir)"
export CLIPJURY_TEST_S3_ENDPOINT="$endpoint" CLIPJURY_TEST_S3_BUCKET="$bucket"
"$@"
