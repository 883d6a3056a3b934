#!/usr/bin/env bash
# Runs the fuzz targets one after another, SECONDS each (docs/testing.md).
#
#   fuzz/run.sh SECONDS [TARGET...]     every target, or those named
#
# Installs cargo-fuzz when it is missing, builds the seed corpora
# (fuzz/seed.sh), builds the targets and runs each under `nice -n 19` for
# SECONDS. Stops at the first target that finds something: the input is in
# fuzz/artifacts/<target>/, and `cargo fuzz run <target> <file>` replays it.
#
# The targets are built without a sanitizer: gotong and the parsers it uses
# are safe Rust (except unsafe-libyaml, a translation of libyaml), and
# without one the build needs no -Z flag, so it works on the stable
# toolchain too (CI machines may have no nightly). With a nightly toolchain
# installed it is used. FUZZ_CODEGEN_UNITS (default 16: a quicker build, a
# slower run) is passed to `cargo fuzz build --codegen-units`; set it to 1 for
# long runs.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:?usage: fuzz/run.sh SECONDS [TARGET...]}
shift
targets=("$@")

if ! command -v cargo-fuzz >/dev/null 2>&1; then
  cargo install --locked cargo-fuzz
fi
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo fuzz list)
fi
toolchain=()
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  toolchain=(+nightly)
else
  echo "fuzz/run.sh: no nightly toolchain; building the targets with $(rustc --version)"
fi
flags=(--sanitizer none --codegen-units "${FUZZ_CODEGEN_UNITS:-16}")

fuzz/seed.sh
cargo "${toolchain[@]}" fuzz build "${flags[@]}"
for t in "${targets[@]}"; do
  printf '\n--- fuzz target %s, %s s\n' "$t" "$secs"
  start=$SECONDS
  nice -n 19 cargo "${toolchain[@]}" fuzz run "${flags[@]}" "$t" -- \
    -max_total_time="$secs" -timeout=10 -print_final_stats=1 2> "fuzz/run-$t.log" || {
    tail -n 60 "fuzz/run-$t.log"
    echo "fuzz/run.sh: target $t failed; input in fuzz/artifacts/$t/, log in fuzz/run-$t.log" >&2
    exit 1
  }
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "fuzz/run-$t.log")
  printf '%s: %s executions in %s s, corpus %s files\n' "$t" "${runs:-?}" "$((SECONDS - start))" \
    "$(find "fuzz/corpus/$t" -type f | wc -l)"
done
