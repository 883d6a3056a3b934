#!/bin/sh
# Validates every HTML file of the built site with the Nu Html Checker (vnu).
# Usage: ./vnu.sh [PUBLIC_DIR]   (default: ../../public)
# Exits non-zero when vnu reports any error.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
public=${1:-"$here/../../public"}
jar="$here/node_modules/vnu-jar/build/dist/vnu.jar"
if [ ! -f "$jar" ]; then
  echo "vnu.jar not found: run 'npm install' in $here first" >&2
  exit 2
fi
if [ ! -d "$public" ]; then
  echo "no built site at $public: run 'cargo run --release -- build' first" >&2
  exit 2
fi
count=$(find "$public" -name '*.html' | wc -l)
echo "vnu: checking $count HTML files under $public"
if java -jar "$jar" --errors-only --skip-non-html "$public"; then
  echo "vnu: 0 errors"
else
  echo "vnu: errors found (see above)" >&2
  exit 1
fi
