#!/usr/bin/env bash
# Installs Decap CMS from the npm registry at a pinned version and copies its
# single bundle into vendor/decap-cms/, which src/cms.rs embeds in the binary
# (include_bytes!). The bundle is committed: `cargo build` and `cargo test`
# never need npm. Run this only to move to another version; then update the
# VERSION below and commit vendor/decap-cms/ (the checksums are rewritten).
#
#   scripts/vendor-cms.sh            # install, check, copy
#   scripts/vendor-cms.sh --verify   # only check the committed files against SHA256SUMS
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=3.16.3
# sha1 of the npm tarball as the registry publishes it (npm view decap-cms@VERSION dist.shasum).
TARBALL_SHA1=eccb0d12eb6640a91327f697bf158dc4dd65f2db
dest=vendor/decap-cms

if [ "${1:-}" = "--verify" ]; then
  (cd "$dest" && sha256sum -c SHA256SUMS)
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "decap-cms@$VERSION" >/dev/null)
tarball="$work/decap-cms-$VERSION.tgz"
got=$(sha1sum "$tarball" | cut -d' ' -f1)
if [ "$got" != "$TARBALL_SHA1" ]; then
  echo "decap-cms-$VERSION.tgz: sha1 $got, expected $TARBALL_SHA1" >&2
  exit 1
fi
tar xzf "$tarball" -C "$work" package/dist/decap-cms.js package/dist/decap-cms.js.LICENSE.txt package/package.json
mkdir -p "$dest"
cp "$work/package/dist/decap-cms.js" "$dest/decap-cms.js"
cp "$work/package/dist/decap-cms.js.LICENSE.txt" "$dest/decap-cms.js.LICENSE.txt"
grep -q "\"license\": \"MIT\"" "$work/package/package.json"
printf 'decap-cms %s (npm tarball sha1 %s)\n' "$VERSION" "$TARBALL_SHA1" >"$dest/VERSION"
(cd "$dest" && sha256sum decap-cms.js decap-cms.js.LICENSE.txt >SHA256SUMS)
cat "$dest/VERSION" "$dest/SHA256SUMS"
