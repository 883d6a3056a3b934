#!/usr/bin/env bash
# What the CI recipe's cache (docs/workflow.yml) saves: builds of one
# catalogue as a CI runner meets it (docs/performance.md, section 12).
#
#   benches/ci_cache.sh SITE [BIN]
#
# Each build goes into SITE/public, as the recipe's does. A runner's
# checkout is a fresh copy of the repository, so every round first copies
# SITE's content into a new folder (new files, new times) and builds there:
#
#   cold       no .gotong-cache/, no public/ (a runner with no cache)
#   cache      .gotong-cache/ restored, no public/
#   restored   .gotong-cache/ and public/ restored, nothing changed
#   one edit   as restored, one firm's summary edited
#   check      `gotong check` with .gotong-cache/ restored (a pull request)
#   check cold `gotong check` with no cache
#
# Prints each build's wall time. Run it on an idle machine; RUNS
# rounds (default 2), the best one kept per step. The work folder is made
# under TMPDIR: use a tmpfs (TMPDIR=/dev/shm) or a fresh file system. On
# an ext4 disk, creating files right after deleting thousands (each round
# deletes the last checkout) scans the recently deleted inodes and can
# double a build's time (docs/performance.md, section 1), which a fresh CI
# runner never pays.
set -euo pipefail
site=$(cd "$1" && pwd)
bin=$(realpath "${2:-target/release/gotong}")
runs=${RUNS:-2}
work=$(mktemp -d "${TMPDIR:-/tmp}/gotong-ci-XXXXXX")
trap 'rm -rf "$work"' EXIT
saved="$work/saved"

# A fresh checkout of the site's sources.
checkout() {
  rm -rf "$work/runner"
  mkdir -p "$work/runner"
  cp -r "$site/site.yaml" "$site/content" "$work/runner/"
  if [ -d "$site/themes" ]; then cp -r "$site/themes" "$work/runner/"; fi
  settle
}

# Restores what the cache saved: $1 is "cache" or "cache+public".
restore() {
  cp -r "$saved/.gotong-cache" "$work/runner/"
  if [ "$1" = cache+public ]; then cp -r "$saved/public" "$work/runner/"; fi
  settle
}

# Writes the copies to disk before the clock starts: the kernel's write-back
# of a 2 GB copy would otherwise be timed as part of the build.
settle() { sync; }

declare -A best
measure() { # name, command...
  local name=$1 t0 t1 wall prev
  shift
  t0=$(date +%s.%N)
  "$@" > /dev/null 2>&1
  t1=$(date +%s.%N)
  wall=$(echo "$t1 - $t0" | bc)
  printf '  %-11s %6.2f s\n' "$name" "$wall"
  prev=${best[$name]:-}
  if [ -z "$prev" ] || [ "$(echo "$wall < $prev" | bc)" = 1 ]; then best[$name]=$wall; fi
}

# The cache of main: one cold build, saved.
checkout
"$bin" build --root "$work/runner" > /dev/null 2>&1
mkdir -p "$saved"
mv "$work/runner/.gotong-cache" "$work/runner/public" "$saved/"

firms=("$site"/content/firms/*)
firm=$(basename "${firms[0]}")
for r in $(seq 1 "$runs"); do
  echo "round $r"
  checkout
  measure cold "$bin" build --root "$work/runner"
  settle
  checkout; restore cache
  measure cache "$bin" build --root "$work/runner"
  checkout; restore cache+public
  measure restored "$bin" build --root "$work/runner"
  settle
  sed -i 's/^summary: /summary: Diubah. /' "$work/runner/content/firms/$firm/profile.yaml"
  measure "one edit" "$bin" build --root "$work/runner"
  checkout; restore cache
  measure check "$bin" check --root "$work/runner"
  checkout
  measure "check cold" "$bin" check --root "$work/runner"
done
echo "best of $runs rounds (wall):"
for k in cold cache restored "one edit" check "check cold"; do printf '  %-11s %6.2f s\n' "$k" "${best[$k]}"; done
