#!/usr/bin/env bash
# Cold builds (into an empty output folder) of one catalogue by several
# gotong binaries, RUNS rounds (default 3); prints the wall time and the
# render stage of each build (docs/performance.md, section 9).
#
#   benches/cold.sh SITE OUTPUT_PARENT BIN...
#
# The catalogue's files are read once first, so that no binary pays for
# the page cache; the order of the binaries alternates between rounds.
# OUTPUT_PARENT picks the file system the output goes to (a tmpfs such as
# /dev/shm measures the build itself; a disk what a user waits for).
set -euo pipefail
site=$1 parent=$2
shift 2
bins=("$@")
runs=${RUNS:-3}
tar -cf - -C "$site" content site.yaml > /dev/null
out="$parent/gotong-cold-out"
for r in $(seq 1 "$runs"); do
  order=("${bins[@]}")
  if [ $((r % 2)) -eq 0 ]; then
    order=()
    for ((k = ${#bins[@]} - 1; k >= 0; k--)); do order+=("${bins[$k]}"); done
  fi
  for bin in "${order[@]}"; do
    rm -rf "$out"
    sync
    start=$(date +%s.%N)
    render=$(GOTONG_TIMINGS=1 "$bin" build --root "$site" --output "$out" 2>&1 | awk '/render:/ {print $2}')
    end=$(date +%s.%N)
    printf '%s round %d: %.2f s wall, render %s ms\n' "$bin" "$r" "$(echo "$end - $start" | bc)" "$render"
  done
done
rm -rf "$out"
