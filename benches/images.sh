#!/usr/bin/env bash
# Image work on a catalogue with about 1,000 images: a first build (every
# copy resized and encoded) and a rebuild with the images unchanged (the
# cache by content hash should make it do no image work).
#
#   benches/images.sh [FIRMS_WITH_IMAGES]   (default 170: 170 logos + 850 product images)
#
# Prints the `images` stage of each build (GOTONG_TIMINGS=1) and the number
# of copies in the cache.
set -eu -o pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
n=${1:-170}
work=$(mktemp -d /tmp/gotong-images.XXXXXX)
trap 'rm -rf "$work"' EXIT
python3 "$here/gen_catalogue.py" --firms "$n" --images "$n" "$work/site" >/dev/null
images=$(find "$work/site/content" -name '*.png' | wc -l)
(cd "$repo" && cargo build --release -q)
bin=$repo/target/release/gotong
stage() { grep -E '^ +images:' | awk '{print $2 " ms"}'; }
echo "images in the catalogue: $images"
echo -n "first build, images stage: "
GOTONG_TIMINGS=1 "$bin" build --root "$work/site" --output "$work/out" 2>&1 | stage
echo "copies made: $(find "$work/site/.gotong-cache/images" -type f | wc -l)"
echo -n "rebuild, images unchanged, images stage: "
GOTONG_TIMINGS=1 "$bin" build --root "$work/site" --output "$work/out" 2>&1 | stage
echo -n "build into an empty folder, images unchanged, images stage: "
GOTONG_TIMINGS=1 "$bin" build --root "$work/site" --output "$work/out2" 2>&1 | stage
