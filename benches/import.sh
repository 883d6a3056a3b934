#!/usr/bin/env bash
# Times `gotong import` on generated registers (docs/import.md, "Speed").
#
#   benches/import.sh [ROWS...]        # default: 700 10000
#
# For each size it writes an XLSX and a Windows-1252 CSV register (with the
# fixture writer of tests/testsuite/import.rs), then times, each into a
# fresh site: a first import, a re-import with --update (nothing changes),
# and `gotong check` of the imported site. Needs a release build
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

printf '| rows | format | import | re-import --update | check |\n|---:|---|---:|---:|---:|\n'
for n in "${sizes[@]}"; do
  for ext in xlsx csv; do
    reg="$work/register-$n.$ext"
    GOTONG_REGISTER_ROWS=$n GOTONG_REGISTER_OUT=$reg \
      cargo test -q --test testsuite import::write_benchmark_register -- --ignored --exact >/dev/null 2>&1
    site="$work/site-$n-$ext"
    mkdir -p "$site"
    printf 'title: Bench\nbase_url: https://bench.example\n' >"$site/site.yaml"
    t1=$(secs "$bin" import "$reg" --root "$site")
    t2=$(secs "$bin" import "$reg" --root "$site" --update)
    t3=$(secs "$bin" check --root "$site")
    printf '| %s | %s | %s s | %s s | %s s |\n' "$n" "$ext" "$t1" "$t2" "$t3"
  done
done
