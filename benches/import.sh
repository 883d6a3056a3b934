#!/usr/bin/env bash
# Times `gotong import` on generated registers (docs/import.md, "Speed").
#
#   benches/import.sh [ROWS...]        # default: 700 10000
#
# For each size it writes an XLSX and a Windows-1252 CSV register (with the
# fixture writer of tests/testsuite/import.rs), then times, three times
# each into a fresh site, a first import, a re-import with --update
# (nothing changes) and `gotong check` of the imported site (after a
# --dry-run, which reads, plans and validates but writes nothing), and prints
# the median of the three as a Markdown table. Needs a release build
# (cargo build --release); run with `nice -n 10` on a shared machine.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(700 10000)
bin=target/release/gotong
[ -x "$bin" ] || { echo "build first: cargo build --release" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

secs() { # command... -> prints wall seconds, exit status ignored
  local start end ms
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1 || true
  end=$(date +%s%N)
  ms=$(( (end - start) / 1000000 ))
  printf '%d.%02d' $((ms / 1000)) $(((ms % 1000) / 10))
}

median3() { # three timings -> the middle one
  printf '%s\n' "$@" | sort -n | sed -n 2p
}

printf '| rows | format | --dry-run | import | re-import --update | check |\n|---:|---|---:|---:|---:|---:|\n'
for n in "${sizes[@]}"; do
  for ext in xlsx csv; do
    reg="$work/register-$n.$ext"
    GOTONG_REGISTER_ROWS=$n GOTONG_REGISTER_OUT=$reg \
      cargo test -q --test testsuite import::write_benchmark_register -- --ignored --exact >/dev/null 2>&1
    a=() b=() c=() d=()
    for i in 1 2 3; do
      # A fresh site each time (never a folder just deleted: ext4 is slow
      # to create files right after a large delete).
      site="$work/site-$n-$ext-$i"
      mkdir -p "$site"
      printf 'title: Bench\nbase_url: https://bench.example\n' >"$site/site.yaml"
      d+=("$(secs "$bin" import "$reg" --root "$site" --dry-run)")
      a+=("$(secs "$bin" import "$reg" --root "$site")")
      b+=("$(secs "$bin" import "$reg" --root "$site" --update)")
      c+=("$(secs "$bin" check --root "$site")")
    done
    printf '| %s | %s | %s s | %s s | %s s | %s s |\n' "$n" "$ext" "$(median3 "${d[@]}")" "$(median3 "${a[@]}")" "$(median3 "${b[@]}")" "$(median3 "${c[@]}")"
  done
done
