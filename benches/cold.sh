#!/usr/bin/env bash
# Cold builds (into an empty output folder) of one catalogue by several
# gotong binaries, RUNS rounds (default 3); prints the wall time, the
# render stage and the CPU time (user + system) of each build
# (docs/performance.md, section 9). On a shared, noisy machine the CPU
# time varies less than the wall time.
#
#   benches/cold.sh SITE OUTPUT_PARENT BIN...
#
# The catalogue's files are read once first, so that no binary pays for
# the page cache; the order of the binaries alternates between rounds.
# Each binary keeps its own .gotong-cache/ (moved into the site for its
# builds), so that binaries of different versions do not throw away each
# other's search index: an empty output folder, the binary's own warm
# cache. A first round that finds no cache builds the search index and is
# slower (WARMUP=1, the default, runs one such round first, not counted).
# OUTPUT_PARENT picks the file system the output goes to (a tmpfs such as
# /dev/shm measures the build itself; a disk what a user waits for).
set -euo pipefail
site=$1 parent=$2
shift 2
bins=("$@")
runs=${RUNS:-3}
tar -cf - -C "$site" content site.yaml > /dev/null
out="$parent/gotong-cold-out"
cache="$site/.gotong-cache"
rm -rf "$cache" "$site"/.gotong-cache-bench-*
slot() { printf '%s/.gotong-cache-bench-%s' "$site" "$(printf '%s' "$1" | md5sum | cut -c1-8)"; }
for bin in "${bins[@]}"; do
  if [ "${WARMUP:-1}" = 1 ]; then
    rm -rf "$out"
for bin in "${bins[@]}"; do rm -rf "$(slot "$bin")"; done
    "$bin" build --root "$site" --output "$out" > /dev/null 2>&1
    mv "$cache" "$(slot "$bin")"
  fi
done
for r in $(seq 1 "$runs"); do
  order=("${bins[@]}")
  if [ $((r % 2)) -eq 0 ]; then
    order=()
    for ((k = ${#bins[@]} - 1; k >= 0; k--)); do order+=("${bins[$k]}"); done
  fi
  for bin in "${order[@]}"; do
    rm -rf "$out" "$cache"
    if [ -d "$(slot "$bin")" ]; then mv "$(slot "$bin")" "$cache"; fi
    sync
    start=$(date +%s.%N)
    render=$(GOTONG_TIMINGS=1 /usr/bin/time -f 'cpu: %U %S' "$bin" build --root "$site" --output "$out" 2>&1 |
      awk '/render:/ {r=$2} /^cpu:/ {c=$2+$3} END {printf "%s ms, CPU %.2f s", r, c}')
    end=$(date +%s.%N)
    mv "$cache" "$(slot "$bin")"
    printf '%s round %d: %.2f s wall, render %s (user + system)\n' "$bin" "$r" "$(echo "$end - $start" | bc)" "$render"
  done
done
rm -rf "$out"
for bin in "${bins[@]}"; do rm -rf "$(slot "$bin")"; done
