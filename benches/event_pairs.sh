#!/usr/bin/env bash
# What reading an event that names many pairs costs in `gotong check`.
#
#   benches/event_pairs.sh [PAIRS] [FIRMS]    (defaults: 5000 1000)
#
# Generates a catalogue of FIRMS firms (benches/gen_catalogue.py) plus one
# event whose `requests` name PAIRS pairs of them, and times `gotong check`
# on it RUNS times (default 3), printing the median wall time. Reading the
# pairs was quadratic in their number (a parse of the file per slug):
# 55.8 s for 5,000 pairs, 1.4 s after. Results: docs/performance.md §7.
set -eu -o pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
pairs=${1:-5000}
firms=${2:-1000}
RUNS=${RUNS:-3}
WORK=${BENCH_DIR:-$(mktemp -d /tmp/gotong-pairs.XXXXXX)}

(cd "$repo" && cargo build --release --quiet)
bin=${GOTONG:-${CARGO_TARGET_DIR:-$repo/target}/release/gotong}

site="$WORK/site"
rm -rf "$site"
python3 "$here/gen_catalogue.py" --firms "$firms" "$site" >/dev/null
mkdir -p "$site/content/events"
python3 - "$site" "$pairs" <<'PY'
import os, sys
site, want = sys.argv[1], int(sys.argv[2])
firms = sorted(os.listdir(os.path.join(site, "content/firms")))
lines = ["name: Temu Besar", "date: 2027-03-10", "venue: Gedung",
         "sessions:", '  - {start: "09:00", end: "17:00"}',
         "meeting_minutes: 20", "tables: 50", "participants: all", "requests:"]
n = 0
for i in range(len(firms)):
    for j in range(i + 1, len(firms), 97):
        if n == want:
            break
        lines.append(f"  - [{firms[i]}, {firms[j]}]")
        n += 1
open(os.path.join(site, "content/events/temu-besar.yaml"), "w").write("\n".join(lines) + "\n")
print(f"{n} pairs")
PY
times=()
for _ in $(seq "$RUNS"); do
  start=$(date +%s%N)
  (cd "$site" && "$bin" check >/dev/null 2>&1) || { echo "check failed" >&2; exit 1; }
  end=$(date +%s%N)
  times+=("$(( (end - start) / 1000000 ))")
done
printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "gotong check, median of %d: %.2f s\n", NR, a[int((NR + 1) / 2)] / 1000 }'
