#!/usr/bin/env bash
# Media benchmark through the `clipjury-media` child process (what workers run), against the ffmpeg CLI on identical
# settings: whole processes timed, A/B interleaved (CLI, child, CLI, child, …), median of RUNS (default 3), with the
# 1-minute load average recorded next to each figure (other work on the machine makes absolute times noisy; the
# interleaved ratio is the figure to read).
#
# Sources (generated once into $CLIPS, default /var/tmp/clipjury-bench-clips):
#   phone.mp4  60 s 1080x1920 30 fps ~12 Mb/s H.264 + AAC (testsrc2 + noise; a keyframe a second), as Android writes
#   iphone.mov 60 s HEVC ~8 Mb/s + AAC, stored 1920x1080 with a -90° display matrix, as an iPhone writes portrait
#   hlg.mov    20 s 10-bit HEVC HLG 1080x1920
# Writes the "Media pipeline" section of docs/benchmarks.md.
#
#   bash bench/media.sh        (builds the release clipjury-media itself; CARGO_TARGET_DIR is honoured;
#                               SKIP_HEVC=1 leaves out the HEVC and HLG rows, SKIP_HLG=1 the HLG row)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
CLIPS=${CLIPS:-/var/tmp/clipjury-bench-clips}
work=$(mktemp -d /var/tmp/clipjury-media-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}
cargo build --release --quiet --bin clipjury-media
CHILD="$CARGO_TARGET_DIR/release/clipjury-media"
THREADS=${THREADS:-3}

SKIP_HEVC=${SKIP_HEVC:-}
SKIP_HLG=${SKIP_HLG:-$SKIP_HEVC}
if [ -n "$SKIP_HEVC" ]; then bash bench/clips.sh "$CLIPS" phone
elif [ -n "$SKIP_HLG" ]; then bash bench/clips.sh "$CLIPS" phone iphone
else bash bench/clips.sh "$CLIPS"; fi

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
load() { cut -d' ' -f1 /proc/loadavg; }
secs() { # seconds of running "$@"
  local start end
  start=$(date +%s.%N)
  "$@" > "$work/last.out"
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}
child_render() { # SRC OUT...: one decode, every --out
  local src=$1
  shift
  "$CHILD" render --source "$src" --max-duration 60 --tolerance 5 --threads "$THREADS" "$@"
}
cli_split() { # SRC [FILTER_PREFIX]: one decode, 720p + 360p, the ffmpeg CLI's way
  ffmpeg -v error -y -i "$1" -filter_complex "[0:v]${2:-}split=2[a][b];[a]scale=720:1280[v1];[b]scale=360:640[v2]" \
    -map '[v1]' -map 0:a -c:v libx264 -preset veryfast -crf 23 -c:a aac -b:a 128k -movflags +faststart "$work/c720.mp4" \
    -map '[v2]' -map 0:a -c:v libx264 -preset veryfast -crf 23 -c:a aac -b:a 128k -movflags +faststart "$work/c360.mp4"
}
cli_720() {
  ffmpeg -v error -y -i "$1" -vf scale=720:1280 -c:v libx264 -preset veryfast -crf 23 -c:a aac -b:a 128k \
    -movflags +faststart "$work/c720.mp4"
}

declare -A times loads
record() { # NAME SECONDS
  times[$1]+="$2 "
  loads[$1]+="$(load) "
}
# A/B pairs, interleaved run by run.
pair() { # NAME_A NAME_B CMD_A... -- CMD_B...
  local a=$1 b=$2
  shift 2
  local cmd_a=() cmd_b=()
  while [ "$1" != -- ]; do cmd_a+=("$1"); shift; done
  shift
  cmd_b=("$@")
  for i in $(seq "$RUNS"); do
    record "$a" "$(secs "${cmd_a[@]}")"
    record "$b" "$(secs "${cmd_b[@]}")"
    echo "run $i: $a $(echo "${times[$a]}" | awk '{print $NF}') s, $b $(echo "${times[$b]}" | awk '{print $NF}') s" >&2
  done
}
single() { # NAME CMD...
  local name=$1
  shift
  for i in $(seq "$RUNS"); do record "$name" "$(secs "$@")"; done
}

pair cli_both child_both cli_split "$CLIPS/phone.mp4" -- \
  child_render "$CLIPS/phone.mp4" --out "1280=$work/720p.mp4" --out "640=$work/360p.mp4"
pair cli_720 child_720 cli_720 "$CLIPS/phone.mp4" -- child_render "$CLIPS/phone.mp4" --out "1280=$work/720p.mp4"
if [ -z "$SKIP_HEVC" ]; then
  # The iPhone clip's pixels are stored landscape: the CLI turns them by the display matrix as clipjury does.
  pair cli_hevc child_hevc cli_split "$CLIPS/iphone.mov" "" -- \
    child_render "$CLIPS/iphone.mov" --out "1280=$work/720p.mp4" --out "640=$work/360p.mp4"
  single child_hevc_360 child_render "$CLIPS/iphone.mov" --out "640=$work/360p.mp4"
  single child_hevc_720 child_render "$CLIPS/iphone.mov" --out "1280=$work/720p.mp4"
fi
if [ -z "$SKIP_HLG" ]; then
  single child_hlg child_render "$CLIPS/hlg.mov" --out "1280=$work/720p.mp4" --out "640=$work/360p.mp4"
fi
single child_remux "$CHILD" render --source "$CLIPS/phone.mp4" --max-duration 60 --tolerance 5 --remux "$work/original.mp4"
single child_analyse "$CHILD" analyse --source "$CLIPS/phone.mp4" --posters "$work/posters" --max-duration 60 --tolerance 5

med() { echo "${times[$1]}" | tr ' ' '\n' | grep . | median; }
loadr() { echo "${loads[$1]}" | tr ' ' '\n' | grep . | sort -n | awk 'NR==1{a=$1} {b=$1} END {printf "%s–%s", a, b}'; }
f2() { printf %.2f "$1"; }
ratio() { echo "$(med "$1") / $(med "$2")" | bc -l; }
row() { # LABEL NAME NOTE
  echo "| $1 | $(f2 "$(med "$2")") s | $(echo "${times[$2]}" | xargs -n1 printf '%.1f ' | sed 's/ $//') | $(loadr "$2") | $3 |"
}
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
split_cmd='ffmpeg -i SRC -filter_complex "[0:v]split=2[a][b];[a]scale=720:1280[v1];[b]scale=360:640[v2]" -map [v1] -map 0:a -c:v libx264 -preset veryfast -crf 23 -c:a aac -b:a 128k -movflags +faststart 720p.mp4 -map [v2] -map 0:a (same) 360p.mp4'
hevc_rows=""
if [ -z "$SKIP_HEVC" ]; then
  hevc_first=$(echo "$(med child_hevc_360) + $(med child_hevc_720)" | bc -l)
  hevc_rows=$(cat <<ROWS
$(row "ffmpeg CLI, 720p + 360p from one decode (iPhone HEVC)" cli_hevc "")
$(row "clipjury-media, 720p + 360p from one decode (iPhone HEVC)" child_hevc "ratio $(f2 "$(ratio child_hevc cli_hevc)")")
$(row "clipjury-media, 360p alone (iPhone HEVC)" child_hevc_360 "a 360p-first order: playable after this")
$(row "clipjury-media, 720p alone (iPhone HEVC)" child_hevc_720 "… then this: $(f2 "$hevc_first") s in all, $(f2 "$(echo "$hevc_first / $(med child_hevc)" | bc -l)") × one decode")
ROWS
)
fi
if [ -z "$SKIP_HLG" ]; then
  hevc_rows+=$'\n'"$(row "clipjury-media, 720p + 360p from HLG 10-bit HEVC (20 s)" child_hlg "tone-mapped to BT.709")"
fi

section=$(cat <<MD
## Media pipeline (issues: media pipeline, time to screen)

Measured by \`bash bench/media.sh\` on $(date -u +%F), ${cpu}, $(nproc) cores, release build, FFmpeg
$(ffmpeg -version | head -1 | cut -d' ' -f3), through the \`clipjury-media\` child process that workers run (whole
processes timed: start-up, probe, the step, exit), x264 threads ${THREADS}. A/B pairs run interleaved, median of ${RUNS};
the 1-minute load average at each run is shown, since other work on the machine slows both sides alike. Sources:
60 s 1080x1920 30 fps ~12 Mb/s H.264 + AAC (an Android phone's), 60 s HEVC + AAC stored 1920x1080 with a −90° display
matrix (an iPhone's portrait), 20 s 10-bit HEVC HLG. Both sides: libx264 veryfast CRF 23, AAC 128 kb/s, faststart;
clipjury also tags BT.709, strips metadata, and encodes the AAC once for both renditions. The CLI's one-decode
command: \`${split_cmd}\`.

| step | median | runs | load | note |
|---|---|---|---|---|
$(row "ffmpeg CLI, 720p + 360p from one decode (H.264 source)" cli_both "baseline")
$(row "clipjury-media, 720p + 360p from one decode (H.264 source)" child_both "**ratio $(f2 "$(ratio child_both cli_both)")** (target ≤ 1.00)")
$(row "ffmpeg CLI, 720p alone (H.264 source)" cli_720 "")
$(row "clipjury-media, 720p alone (H.264 source)" child_720 "ratio $(f2 "$(ratio child_720 cli_720)")")
${hevc_rows}
$(row "clipjury-media, stream copy of the H.264/AAC original (first playable rendition)" child_remux "metadata stripped, faststart")
$(row "clipjury-media analyse: probe, validate, six posters (H.264 source)" child_analyse "what a poster waits for after the download")
MD
)
doc=docs/benchmarks.md
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
