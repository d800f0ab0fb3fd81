#!/usr/bin/env bash
# Regenerates test/fixtures/audio/: the FLAC and MP3 fixtures (encoded once by ffmpeg and sox, then
# committed: CI has neither) and reference.json, ffmpeg's measurements of every fixture and of every
# WAV the media tests synthesise (same generator, run here through tsx): integrated loudness and
# true peak from its ebur128 filter, and the decoded length in samples.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out="$root/test/fixtures/audio"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for tool in ffmpeg ffprobe sox; do
  command -v "$tool" >/dev/null || { echo "make-fixtures: $tool is needed" >&2; exit 1; }
done
mkdir -p "$out"

wavs=$(cd "$root" && npx --no-install tsx scripts/media/write-test-audio.ts "$work")

ff() { ffmpeg -hide_banner -loglevel error -nostdin -y "$@"; }
# FLAC, 16-bit stereo 44.1 kHz, with a tag; and 24-bit mono 48 kHz, by sox.
ff -i "$work/stereo-44k.wav" -metadata title="Veza fixture" -c:a flac -compression_level 8 "$out/stereo-44k.flac"
sox "$work/mono-48k.wav" -b 24 "$out/mono-48k-24bit.flac"
# MP3: 128 kbps CBR stereo (ID3v2 tag and LAME Info frame, as ffmpeg writes them), and VBR mono
# 48 kHz (a Xing header), which gets fewer renditions.
ff -i "$work/stereo-44k.wav" -metadata title="Veza fixture" -c:a libmp3lame -b:a 128k "$out/stereo-44k-128k.mp3"
ff -i "$work/mono-48k.wav" -c:a libmp3lame -q:a 6 "$out/mono-48k-vbr.mp3"
fixtures="stereo-44k.flac mono-48k-24bit.flac stereo-44k-128k.mp3 mono-48k-vbr.mp3"

# ebur128's per-frame metadata carries three decimals where its summary prints one; the last frame's is the final value.
measure() {
  local file=$1 meta="$work/meta.txt"
  ff -i "$file" -af "ebur128=peak=true:metadata=1,ametadata=mode=print:file=$meta" -f null -
  local lufs peak samples rate channels
  lufs=$(grep -o 'lavfi.r128.I=.*' "$meta" | tail -1 | cut -d= -f2)
  peak=$(grep -o 'lavfi.r128.true_peak=.*' "$meta" | tail -1 | cut -d= -f2)
  rate=$(ffprobe -v error -select_streams a:0 -show_entries stream=sample_rate -of csv=p=0 "$file")
  channels=$(ffprobe -v error -select_streams a:0 -show_entries stream=channels -of csv=p=0 "$file")
  # Decoded length (gapless for MP3: ffmpeg trims the encoder delay and padding the LAME tag declares).
  samples=$(( $(ffmpeg -hide_banner -loglevel error -nostdin -i "$file" -f s16le -ac 1 - | wc -c) / 2 ))
  printf '{"integratedLufs": %s, "truePeakDbtp": %s, "samples": %s, "sampleRate": %s, "channels": %s}' \
    "$lufs" "$(awk -v p="$peak" 'BEGIN { printf "%.3f", 20 * log(p) / log(10) }')" "$samples" "$rate" "$channels"
}

{
  echo "{"
  echo "  \"generator\": \"ffmpeg $(ffmpeg -version | head -1 | cut -d' ' -f3), ebur128=peak=true\","
  sep=""
  for name in $wavs; do
    case "$name" in stereo-44k|mono-48k) continue ;; esac
    printf '%s  "%s.wav": %s' "$sep" "$name" "$(measure "$work/$name.wav")"
    sep=$',\n'
  done
  for file in $fixtures; do
    printf '%s  "%s": %s' "$sep" "$file" "$(measure "$out/$file")"
  done
  printf '\n}\n'
} > "$out/reference.json"
ls -l "$out"
cat "$out/reference.json"
