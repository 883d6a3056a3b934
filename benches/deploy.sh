#!/usr/bin/env bash
# Deploy figures: a generated catalogue of N firms, built with the release
# binary, deployed to moto's S3 server on 127.0.0.1 (in memory, on this
# machine), then one profile's summary edited, rebuilt, deployed again, and
# deployed once more unchanged. Prints one line per deploy: files uploaded,
# deleted, unchanged, bytes, wall time.
#
#   cargo build --release
#   pip install 'moto[server]'
#   benches/deploy.sh 10000 /tmp/deploy-bench      # N firms, a scratch folder
#
# The scratch folder is created (it must not exist, or must be one this
# script made: it holds a .deploy-bench marker).
set -euo pipefail
n=${1:?number of firms}
dir=${2:?scratch folder}
here=$(cd "$(dirname "$0")/.." && pwd)
gotong=${GOTONG:-$here/target/release/gotong}
[ -x "$gotong" ] || { echo "build the release binary first: cargo build --release" >&2; exit 2; }
command -v moto_server >/dev/null || { echo "needs moto_server: pip install 'moto[server]'" >&2; exit 2; }
if [ -e "$dir" ] && [ ! -e "$dir/.deploy-bench" ]; then
  echo "$dir exists and was not made by this script" >&2; exit 2
fi
rm -rf "$dir"; mkdir -p "$dir"; touch "$dir/.deploy-bench"
site=$dir/site
python3 "$here/benches/gen_catalogue.py" --firms "$n" "$site" >/dev/null

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
moto_server -H 127.0.0.1 -p "$port" >"$dir/moto.log" 2>&1 &
moto=$!
trap 'kill $moto 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
curl -s -o /dev/null -X PUT "http://127.0.0.1:$port/katalog"

cat >>"$site/site.yaml" <<EOF
deploy:
  targets:
    - name: bench
      url: s3://katalog/www?region=us-east-1&endpoint=http://127.0.0.1:$port
      max_deletes: -1
  matchers:
    - {pattern: "^pagefind/", cache_control: "public, max-age=31536000, immutable"}
    - {pattern: "\\\\.html\$", cache_control: "public, max-age=300", gzip: true}
EOF
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_REGION=us-east-1 AWS_METADATA_ENDPOINT=http://127.0.0.1:9

build() { /usr/bin/time -f "build: %e s" "$gotong" build --root "$site" 2>&1 | tail -1; }
deploy() {
  local what=$1
  /usr/bin/time -f "%e" -o "$dir/t" "$gotong" deploy --root "$site" --print-changed >"$dir/changed-$what.txt" 2>"$dir/deploy-$what.log"
  printf '%-10s %s [%s s wall; %s invalidation paths]\n' "$what" "$(grep '^deploy to' "$dir/deploy-$what.log" | sed 's/^.*): //')" "$(cat "$dir/t")" "$(wc -l <"$dir/changed-$what.txt")"
}

build
echo "output: $(find "$site/public" -type f | wc -l) files, $(du -sb "$site/public" | cut -f1) bytes"
deploy first
deploy unchanged
firms=("$site"/content/firms/*)
firm=$(basename "${firms[0]}")
sed -i "s/^summary: .*/summary: Ringkasan yang diperbarui untuk uji deploy/" "$site/content/firms/$firm/profile.yaml"
build
deploy one-edit
# The same output into a file:// mirror (the city's own server), and the
# manifest's size.
mirror=$dir/mirror
sed -i "s|^  targets:|  targets:\n    - {name: mirror, url: 'file://$mirror', max_deletes: -1}|" "$site/site.yaml"
/usr/bin/time -f "%e" -o "$dir/t" "$gotong" deploy --root "$site" --target mirror 2>"$dir/deploy-mirror.log"
printf '%-10s %s [%s s wall]\n' "mirror" "$(grep '^deploy to' "$dir/deploy-mirror.log" | sed 's/^.*): //')" "$(cat "$dir/t")"
echo "manifest: $(stat -c %s "$mirror/.gotong/deploy.json.gz") bytes"
