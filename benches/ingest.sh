#!/usr/bin/env bash
# Ingest benchmark: generate a synthetic corpus of SIZE (default 200MB) once, then
# index it from scratch RUNS times (default 3) under /usr/bin/time -v and report
# throughput, peak memory and index size. Usage: benches/ingest.sh [SIZE] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-200MB}
runs=${2:-3}
cargo build --release --quiet
bin=target/release/sgsearch
corpus=target/bench/corpus-$size
if [ ! -d "$corpus" ]; then
  "$bin" gen-corpus --out "$corpus" --size "$size" --seed 42
fi
bytes=$(find "$corpus" -type f \( -name '*.txt' -o -name '*.html' \) -printf '%s\n' | awk '{s+=$1} END {print s}')
# Read the corpus once, untimed: otherwise run 1 alone reads it from disk.
find "$corpus" -type f -exec cat {} + > /dev/null
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); corpus: $corpus ($((bytes / 1000000)) MB of pages)"
for run in $(seq 1 "$runs"); do
  index=target/bench/index-$size
  rm -rf "$index"
  /usr/bin/time -v "$bin" --index "$index" --quiet index --memory-mb 256 "$corpus" 2> target/bench/time.txt
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' target/bench/time.txt)
  secs=$(echo "$wall" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' target/bench/time.txt)
  cpu=$(awk -F': ' '/Percent of CPU/ {print $2}' target/bench/time.txt)
  isize=$(du -sb "$index" | cut -f1)
  awk -v b="$bytes" -v s="$secs" -v r="$rss" -v c="$cpu" -v i="$isize" -v n="$run" 'BEGIN {
    printf "run %d: %.1f s, %.1f MB/s, CPU %s, peak RSS %.0f MB, index %.0f MB (%.2fx the text)\n", n, s, b/1e6/s, c, r/1024, i/1e6, i/b }'
done
