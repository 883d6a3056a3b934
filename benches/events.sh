#!/usr/bin/env bash
# What a business meeting costs inside `gotong build`.
#
#   benches/events.sh [P:S:T ...]     (default: 10000:16:400)
#
# For each P:S:T it generates a catalogue of P firms (benches/gen_catalogue.py,
# 5 products each) twice, with and without an event for all P firms with S
# slots and T tables, and builds each RUNS times (default 3) into an empty
# output folder with GOTONG_TIMINGS=1. It prints the medians of the whole
# build and of its `meetings` stage (choosing and placing the meetings), the
# extra pages and files, and the build's report line for the event.
# Results and method: docs/performance.md.
set -u -o pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
if [ $# -gt 0 ]; then specs=("$@"); else specs=(10000:16:400); fi
RUNS=${RUNS:-3}
WORK=${BENCH_DIR:-$(mktemp -d /tmp/gotong-events.XXXXXX)}
mkdir -p "$WORK"

(cd "$repo" && cargo build --release --quiet) || exit 1
bin=${CARGO_TARGET_DIR:-$repo/target}/release/gotong

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# run SITE: builds RUNS times; prints "wall_s meetings_ms" medians.
run() {
  local site=$1 walls=() meets=()
  for _ in $(seq "$RUNS"); do
    rm -rf "$site/public" "$site/.gotong-cache"
    local t0 t1
    t0=$(date +%s.%N)
    GOTONG_TIMINGS=1 "$bin" build --root "$site" >"$WORK/out.log" 2>"$WORK/err.log" || { tail -5 "$WORK/err.log" >&2; exit 1; }
    t1=$(date +%s.%N)
    walls+=("$(echo "$t1 - $t0" | bc)")
    meets+=("$(sed -n 's/^ *meetings: *\([0-9.]*\) ms/\1/p' "$WORK/err.log")")
  done
  echo "$(printf '%s\n' "${walls[@]}" | median) $(printf '%s\n' "${meets[@]:-0}" | median)"
}

printf '| participants:slots:tables | build without event (s) | build with event (s) | meetings stage (ms) | share of build | files added |\n|---|---|---|---|---|---|\n'
for spec in "${specs[@]}"; do
  IFS=: read -r p s t <<<"$spec"
  base=$WORK/base-$p ev=$WORK/event-$spec
  [ -d "$base" ] || python3 "$here/gen_catalogue.py" --firms "$p" "$base" 2>/dev/null
  [ -d "$ev" ] || python3 "$here/gen_catalogue.py" --firms "$p" --event "$spec" "$ev" 2>/dev/null
  read -r wb _ < <(run "$base")
  nb=$(find "$base/public" -type f | wc -l)
  read -r we ms < <(run "$ev")
  ne=$(find "$ev/public" -type f | wc -l)
  grep '^temu ' "$WORK/err.log" >&2
  share=$(echo "scale=1; $ms / 10 / $we" | bc)
  printf '| %s | %.2f | %.2f | %s | %s %% | %s |\n' "$spec" "$wb" "$we" "$ms" "$share" "$((ne - nb))"
done
