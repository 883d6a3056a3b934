#!/usr/bin/env bash
# Cold builds (into an empty output folder) of one catalogue by several
# gotong binaries, alternating, RUNS times each; prints the wall time and
# the render stage of each run (docs/performance.md, section 9).
#
#   benches/cold.sh SITE OUTPUT_PARENT BIN...
#
# OUTPUT_PARENT picks the file system the output goes to (a tmpfs such as
# /dev/shm measures the build itself; a disk measures what a user waits).
set -euo pipefail
site=$1 parent=$2
shift 2
runs=${RUNS:-3}
for r in $(seq 1 "$runs"); do
  for bin in "$@"; do
    out="$parent/gotong-cold-out"
    rm -rf "$out"
    sync
    start=$(date +%s.%N)
    render=$(GOTONG_TIMINGS=1 "$bin" build --root "$site" --output "$out" 2>&1 | awk '/render:/ {print $2}')
    end=$(date +%s.%N)
    printf '%s run %d: %.2f s wall, render %s ms\n' "$bin" "$r" "$(echo "$end - $start" | bc)" "$render"
  done
done
rm -rf "$parent/gotong-cold-out"
