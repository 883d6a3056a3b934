#!/usr/bin/env bash
# Builds the seed corpora of the fuzz targets in fuzz/corpus/<target>/
# (git-ignored) from the sample catalogue in content/ and the fixtures
# written inline in tests/testsuite/*.rs and src/events.rs. Safe to run
# again: seeds are named by what they came from and overwritten.
#
# A target's raw input holds several files separated by the byte 0x1E
# (see fuzz/src/lib.rs):
#   firm:    profile.yaml, index.md, products/p.md, products/p.en.md, index.en.md
#   globals: site.yaml, vocabulary.yaml, _index.md, _index.en.md, then pages
#            (each page, then its translation)
#   locate:  a path (`contact/email`, `offers/1`, `@name` for the key), then YAML
#   event:   <slug>.yaml, <slug>.md, <slug>.en.md
set -euo pipefail
cd "$(dirname "$0")/.."
out=fuzz/corpus
mkdir -p "$out"/{site_yaml,vocabulary,firm,globals,markdown,locate,event}
rs=$'\x1e'

cat_or_empty() { if [ -f "$1" ]; then cat "$1"; fi; }

# --- the sample catalogue ---------------------------------------------------
cp site.yaml "$out/site_yaml/seed-site.yaml"
cp content/vocabulary.yaml "$out/vocabulary/seed-vocabulary.yaml"
for f in $(find content -name '*.md' | sort); do
  cp "$f" "$out/markdown/seed-$(echo "$f" | tr '/' '_')"
done
for dir in content/firms/*/; do
  slug=$(basename "$dir")
  product="" translation=""
  if [ -d "$dir/products" ]; then
    product=$(find "$dir/products" -name '*.md' ! -name '*.*.md' | sort | head -1)
    translation="${product%.md}.en.md"
  fi
  {
    cat_or_empty "$dir/profile.yaml"; printf '%s' "$rs"
    cat_or_empty "$dir/index.md"; printf '%s' "$rs"
    cat_or_empty "$product"; printf '%s' "$rs"
    cat_or_empty "$translation"; printf '%s' "$rs"
    cat_or_empty "$dir/index.en.md"
  } > "$out/firm/seed-$slug"
  for path in name contact/email offers/1 @summary photos/0; do
    { printf '%s%s' "$path" "$rs"; cat "$dir/profile.yaml"; } > "$out/locate/seed-$slug-$(echo "$path" | tr '/@' '_k')"
  done
done
for f in content/events/*.yaml; do
  [ -f "$f" ] || continue
  base=${f%.yaml}
  {
    cat "$f"; printf '%s' "$rs"
    cat_or_empty "$base.md"; printf '%s' "$rs"
    cat_or_empty "$base.en.md"
  } > "$out/event/seed-$(basename "$base")"
  for path in name sessions/0/start requests/0/1 @tables; do
    { printf '%s%s' "$path" "$rs"; cat "$f"; } > "$out/locate/seed-$(basename "$base")-$(echo "$path" | tr '/@' '_k')"
  done
done
{
  cat site.yaml; printf '%s' "$rs"
  cat content/vocabulary.yaml; printf '%s' "$rs"
  cat_or_empty content/_index.md; printf '%s' "$rs"
  cat_or_empty content/_index.en.md
  for page in content/pages/*.md; do
    case "$page" in *.*.md) continue ;; esac
    printf '%s' "$rs"; cat "$page"
    printf '%s' "$rs"; cat_or_empty "${page%.md}.en.md"
  done
} > "$out/globals/seed-sample"

# --- fixtures written in the integration tests --------------------------------
# Every string literal of tests/testsuite/*.rs that holds a line break,
# unescaped, sorted by what it looks like.
perl -CSD -0777 -ne '
  BEGIN { $n = 0 }
  while (/(?<![A-Za-z0-9_#])"((?:[^"\\]|\\.)*)"/sg) {
    my $s = $1;
    next unless $s =~ /\\n/;
    $s =~ s/\\\n\s*//g;
    $s =~ s/\\u\{([0-9a-fA-F]+)\}/chr(hex($1))/ge;
    $s =~ s/\\(.)/$1 eq "n" ? "\n" : $1 eq "t" ? "\t" : $1 eq "r" ? "\r" : $1 eq "0" ? "\0" : $1/ge;
    my $kind = $s =~ /base_url:/ ? "site_yaml"
             : $s =~ /^sessions:/m ? "event"
             : $s =~ /^---\n/ ? "markdown"
             : $s =~ /^\S+:\n  label:/ ? "vocabulary"
             : $s =~ /^(name|sector|kind):/m ? "profile"
             : "markdown";
    $n++;
    my $name = "seed-test-$n";
    binmode(STDOUT, ":utf8");
    my @targets = $kind eq "profile" ? ("firm", "locate") : ($kind);
    for my $t (@targets) {
      open(my $fh, ">:utf8", "'"$out"'/$t/$name") or die;
      print $fh ($t eq "locate" ? "name\x1e" : "") . $s;
      close $fh;
    }
    if ($kind eq "markdown" && $s =~ /^---\n/) {
      open(my $fh, ">:utf8", "'"$out"'/firm/$name-product") or die;
      print $fh "name: A\nsector: tekstil\nscale: kecil\ndistrict: Cimahi Utara\nsummary: S\n\x1e\x1e$s";
      close $fh;
    }
  }
' tests/testsuite/*.rs src/events.rs

for t in "$out"/*/; do
  printf '%-12s %4d seeds, %s\n' "$(basename "$t")" "$(ls "$t" | wc -l)" "$(du -sh "$t" | cut -f1)"
done
