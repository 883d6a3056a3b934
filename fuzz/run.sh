#!/usr/bin/env bash
# Runs the fuzz targets one after another, for a bounded time each, from
# the seed corpora (docs/testing.md).
#
#   fuzz/run.sh [SECONDS [TARGET...]]    every target, or those named
#
# SECONDS (default: $FUZZ_SECONDS, else 20) is the time per target. The
# script installs cargo-fuzz (pinned) when it is missing, builds the seed
# corpora (fuzz/seed.sh), builds the targets and runs each under
# `nice -n 19`; an input that runs for more than 10 s counts as a hang.
# Each target first replays the inputs of past findings kept in
# fuzz/known/<target>-*. Every target runs even when one fails; the exit
# status is 1 when any found something: the input is in fuzz/artifacts/<target>/,
# `cargo fuzz run <target> <file>` replays it. One line per target gives
# the executions, the time and the corpus size (also in fuzz/run-<target>.log).
#
# Toolchain: the targets are built without a sanitizer (gotong and its
# parsers are safe Rust, except unsafe-libyaml, a translation of libyaml),
# so the build needs no -Z flag and works on the stable toolchain: a fresh
# CI machine needs no nightly. The default toolchain builds them (what CI
# has: a reproducible run takes the same path only with the same
# compiler); FUZZ_TOOLCHAIN picks another (`nightly`). libFuzzer itself is C++: a C++ compiler must be installed
# (Debian g++; .ci/run installs it).
#
# FUZZ_RUNS=N makes the run reproducible: each target runs exactly N inputs
# from libFuzzer seed FUZZ_SEED (default 1) instead of for SECONDS, so that
# the same corpus gives the same run on any machine. CI uses it (on a fresh
# clone the corpus is the seed corpus): a finding in CI is one that
# `rm -rf fuzz/corpus && FUZZ_RUNS=N fuzz/run.sh` shows here too, and CI
# does not fail by chance. Campaigns that look for new findings use time.
#
# FUZZ_CODEGEN_UNITS (default 16: a quicker build, a slower run) is passed to
# `cargo fuzz build --codegen-units`; set it to 1 for long runs.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-${FUZZ_SECONDS:-20}}
shift || true
targets=("$@")
case "$secs" in
  '' | *[!0-9]*) echo "usage: fuzz/run.sh [SECONDS [TARGET...]]" >&2; exit 2 ;;
esac

if ! command -v cargo-fuzz >/dev/null 2>&1; then
  cargo install --locked cargo-fuzz --version 0.13.2
fi
if ! command -v c++ >/dev/null 2>&1; then
  echo "fuzz/run.sh: no C++ compiler (libFuzzer needs one): install g++" >&2
  exit 1
fi
toolchain=()
if [ -n "${FUZZ_TOOLCHAIN:-}" ]; then
  toolchain=("+$FUZZ_TOOLCHAIN")
fi
if [ -n "${FUZZ_RUNS:-}" ]; then
  case "$FUZZ_RUNS${FUZZ_SEED:-1}" in
    *[!0-9]*) echo "fuzz/run.sh: FUZZ_RUNS and FUZZ_SEED are numbers" >&2; exit 2 ;;
  esac
  budget=(-runs="$FUZZ_RUNS" -seed="${FUZZ_SEED:-1}")
  what="$FUZZ_RUNS inputs per target from seed ${FUZZ_SEED:-1}"
else
  budget=(-max_total_time="$secs")
  what="$secs s per target"
fi
echo "fuzz/run.sh: $(rustc "${toolchain[@]}" --version), $what"
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo "${toolchain[@]}" fuzz list)
fi
flags=(--sanitizer none --codegen-units "${FUZZ_CODEGEN_UNITS:-16}")

fuzz/seed.sh
start=$SECONDS
cargo "${toolchain[@]}" fuzz build "${flags[@]}"
echo "fuzz/run.sh: targets built in $((SECONDS - start)) s"
failed=()
for t in "${targets[@]}"; do
  printf '\n--- fuzz target %s, %s\n' "$t" "$what"
  start=$SECONDS
  # The inputs of past findings (fuzz/known/<target>-*) first: each must
  # pass now.
  known=()
  for k in fuzz/known/"$t"-*; do
    if [ -f "$k" ]; then known+=("$k"); fi
  done
  if [ ${#known[@]} -gt 0 ]; then
    if cargo "${toolchain[@]}" fuzz run "${flags[@]}" "$t" "${known[@]}" > "fuzz/run-$t-known.log" 2>&1; then
      echo "$t: ${#known[@]} known inputs pass"
    else
      tail -n 40 "fuzz/run-$t-known.log"
      echo "fuzz/run.sh: target $t fails on a known input (fuzz/known/$t-*), log in fuzz/run-$t-known.log" >&2
      failed+=("$t")
    fi
  fi
  if ! nice -n 19 cargo "${toolchain[@]}" fuzz run "${flags[@]}" "$t" -- \
    "${budget[@]}" -timeout=10 -print_final_stats=1 2> "fuzz/run-$t.log"; then
    tail -n 60 "fuzz/run-$t.log"
    echo "fuzz/run.sh: target $t failed; input in fuzz/artifacts/$t/, log in fuzz/run-$t.log" >&2
    failed+=("$t")
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "fuzz/run-$t.log")
  printf '%s: %s executions in %s s, corpus %s files\n' "$t" "${runs:-?}" "$((SECONDS - start))" \
    "$(find "fuzz/corpus/$t" -type f | wc -l)"
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz/run.sh: found something in: ${failed[*]}" >&2
  exit 1
fi
