#!/usr/bin/env bash
# Media benchmark: clipjury's in-process pipeline against the ffmpeg CLI on identical settings, median of 3 runs,
# on a generated 60 s 1080x1920 30 fps ~12 Mb/s H.264/AAC phone-like clip (testsrc2 + noise, so it does not
# compress unrealistically; a keyframe every second, as Android and iPhone cameras write). Also: both renditions, the remux fast path, HLG → SDR, and probe + posters.
# Writes the "Media pipeline" section of docs/benchmarks.md.
#
#   bash bench/media.sh          (builds the release example itself)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
work=$(mktemp -d /var/tmp/clipjury-media-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}
cargo build --release --quiet -p clipjury-media --example bench
BENCH="$CARGO_TARGET_DIR/release/examples/bench"

echo "generating clips in $work"
ffmpeg -v error -f lavfi -i "testsrc2=size=1080x1920:rate=30,noise=alls=30:allf=t" -f lavfi -i "sine=frequency=440:sample_rate=48000" \
  -t 60 -c:v libx264 -preset veryfast -b:v 12M -maxrate 12M -bufsize 24M -g 30 -pix_fmt yuv420p -c:a aac -b:a 128k -ac 2 \
  -movflags +faststart "$work/phone.mp4"
ffmpeg -v error -f lavfi -i "testsrc2=size=1280x720:rate=30,noise=alls=20:allf=t" -f lavfi -i "sine=frequency=440:sample_rate=48000" \
  -t 60 -c:v libx264 -preset veryfast -b:v 4M -pix_fmt yuv420p -c:a aac -b:a 128k -ac 2 "$work/compliant.mp4"
ffmpeg -v error -f lavfi -i "testsrc2=size=1080x1920:rate=30,noise=alls=20:allf=t,format=yuv420p10le" \
  -f lavfi -i "sine=frequency=440:sample_rate=48000" -t 20 -c:v libx265 -preset ultrafast -x265-params log-level=none \
  -pix_fmt yuv420p10le -color_primaries bt2020 -color_trc arib-std-b67 -colorspace bt2020nc -tag:v hvc1 \
  -c:a aac -ac 2 "$work/hlg.mov"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

time_cli() { # seconds of one ffmpeg CLI 720p transcode
  local start end
  start=$(date +%s.%N)
  ffmpeg -v error -y -i "$work/phone.mp4" -vf scale=720:1280 -c:v libx264 -preset veryfast -crf 23 -c:a aac -b:a 128k \
    -movflags +faststart "$work/cli.mp4"
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}

declare -A result
for step in cli 720p; do
  for i in $(seq "$RUNS"); do
    if [ "$step" = cli ]; then time_cli; else "$BENCH" 720p "$work/phone.mp4" "$work/out"; fi
  done | median > "$work/$step.median"
  result[$step]=$(cat "$work/$step.median")
  echo "$step: ${result[$step]} s"
done
result[both]=$(for i in $(seq "$RUNS"); do "$BENCH" both "$work/phone.mp4" "$work/out"; done | median)
result[remux]=$(for i in $(seq "$RUNS"); do "$BENCH" remux "$work/compliant.mp4" "$work/out"; done | median)
result[hlg]=$(for i in $(seq "$RUNS"); do "$BENCH" 720p "$work/hlg.mov" "$work/out"; done | median)
result[poster]=$(for i in $(seq "$RUNS"); do "$BENCH" poster "$work/phone.mp4" "$work/out"; done | median)
ratio=$(echo "${result[720p]} / ${result[cli]}" | bc -l)
rt=$(echo "60 / ${result[720p]}" | bc -l)
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')

section=$(cat <<MD
## Media pipeline (issue: media pipeline)

Measured by \`bash bench/media.sh\` on $(date -u +%F), ${cpu}, $(nproc) cores, release build, median of ${RUNS} runs each,
FFmpeg $(ffmpeg -version | head -1 | cut -d' ' -f3). Source: 60 s, 1080x1920, 30 fps, ~12 Mb/s H.264 + AAC
(testsrc2 + noise), a keyframe every second as phone cameras write. Both sides use libx264 veryfast CRF 23, AAC 128 kb/s, faststart; clipjury also tags BT.709 and
strips metadata. Target: clipjury / CLI ≤ 1.00 for the 720p rendition.

| step | time | note |
|---|---|---|
| ffmpeg CLI, 720p (\`-vf scale=720:1280 -c:v libx264 -preset veryfast -crf 23 -c:a aac -b:a 128k -movflags +faststart\`) | $(printf %.2f "${result[cli]}") s | baseline |
| clipjury, 720p rendition | $(printf %.2f "${result[720p]}") s | **ratio $(printf %.2f "$ratio")**, $(printf %.2f "$rt")× realtime |
| clipjury, both renditions (720p + 360p) | $(printf %.2f "${result[both]}") s | |
| clipjury, remux fast path (60 s 1280x720 H.264/AAC) | $(printf %.2f "${result[remux]}") s | stream copy |
| clipjury, HLG → SDR 720p (20 s 10-bit HEVC HLG 1080x1920) | $(printf %.2f "${result[hlg]}") s | zscale + tonemap after scaling |
| clipjury, probe + all six posters (60 s source) | $(printf %.3f "${result[poster]}") s | poster waits this long after the upload completes, plus download from storage and job pick-up (≤ 1 s poll) |
MD
)
doc=docs/benchmarks.md
[ -f "$doc" ] || printf '# Benchmarks\n\nFigures measured on the project machine; each section says how.\n' > "$doc"
python3 - "$doc" "$section" <<'PY'
import sys
path, section = sys.argv[1], sys.argv[2]
text = open(path).read()
start = text.find("## Media pipeline")
if start < 0:
    text = text.rstrip() + "\n\n" + section + "\n"
else:
    nxt = text.find("\n## ", start + 1)
    text = text[:start] + section + "\n" + (text[nxt + 1:] if nxt >= 0 else "")
open(path, "w").write(text)
PY
echo "wrote $doc"
