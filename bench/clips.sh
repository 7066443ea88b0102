#!/usr/bin/env bash
# The benchmark sources, made once: clips.sh DIR [NAME...] (default: phone iphone hlg; see bench/media.sh).
set -euo pipefail
DIR=${1:?usage: clips.sh DIR [phone] [iphone] [hlg]}
shift
WANT=" ${*:-phone iphone hlg} "
mkdir -p "$DIR"
FF=(ffmpeg -v error -nostdin -y)
tone=(-f lavfi -i "sine=frequency=440:sample_rate=48000")
if [[ $WANT == *" phone "* && ! -e "$DIR/phone.mp4" ]]; then
  "${FF[@]}" -f lavfi -i "testsrc2=size=1080x1920:rate=30,noise=alls=30:allf=t" "${tone[@]}" -t 60 \
    -c:v libx264 -preset veryfast -b:v 12M -maxrate 12M -bufsize 24M -g 30 -pix_fmt yuv420p \
    -c:a aac -b:a 128k -ac 2 -movflags +faststart "$DIR/.phone.mp4"
  mv "$DIR/.phone.mp4" "$DIR/phone.mp4"
fi
if [[ $WANT == *" iphone "* && ! -e "$DIR/iphone.mov" ]]; then
  # Stored landscape, shown portrait through the display matrix (FFmpeg 5.1 turns the rotate tag into one).
  "${FF[@]}" -f lavfi -i "testsrc2=size=1080x1920:rate=30,noise=alls=30:allf=t,transpose=cclock" "${tone[@]}" -t 60 \
    -c:v libx265 -preset ultrafast -x265-params log-level=error:keyint=30 -b:v 8M -tag:v hvc1 -pix_fmt yuv420p \
    -c:a aac -b:a 128k -ac 2 -f mov "$DIR/.stored.mov"
  "${FF[@]}" -i "$DIR/.stored.mov" -map 0 -c copy -metadata:s:v:0 rotate=270 -f mov "$DIR/.iphone.mov"
  rm -f "$DIR/.stored.mov"
  mv "$DIR/.iphone.mov" "$DIR/iphone.mov"
fi
if [[ $WANT == *" hlg "* && ! -e "$DIR/hlg.mov" ]]; then
  "${FF[@]}" -f lavfi -i "testsrc2=size=1080x1920:rate=30,noise=alls=20:allf=t,format=yuv420p10le" "${tone[@]}" -t 20 \
    -c:v libx265 -preset ultrafast -x265-params log-level=none -pix_fmt yuv420p10le -color_primaries bt2020 \
    -color_trc arib-std-b67 -colorspace bt2020nc -tag:v hvc1 -c:a aac -ac 2 "$DIR/.hlg.mov"
  mv "$DIR/.hlg.mov" "$DIR/hlg.mov"
fi
