#!/usr/bin/env python3
"""Check a generated catalogue against the content contract (SPEC.md sections 1-5).

    python3 benches/check_generated.py SITE_DIR [--hugo DIR] [--katalog OUT/data/katalog.json]

Standard library only, so it reads YAML with a small parser for the subset
that gen_catalogue.py writes (block mappings, flow lists and flow maps of
scalars); anything outside that subset is reported as an error rather than
guessed at. The SPEC's enumerations are copied here on purpose rather than
imported from the generator, so that a slip in the generator is caught.
Exits 1 and lists every problem when the site breaks a rule.
"""

import argparse
import collections
import datetime
import json
import os
import re
import struct
import sys
import zlib

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
KELURAHAN = {
    "Cimahi Utara": {"Cibabat", "Cipageran", "Citeureup", "Pasirkaliki"},
    "Cimahi Tengah": {"Baros", "Cigugur Tengah", "Cimahi", "Karangmekar", "Padasuka", "Setiamanah"},
    "Cimahi Selatan": {"Cibeber", "Cibeureum", "Leuwigajah", "Melong", "Utama"},
}
KINDS = {"ikm", "industry", "bank", "academia", "association", "government", "retail"}
SECTORS = {"makanan-minuman", "tekstil", "kerajinan", "telematika"}
SCALES = {"kecil", "menengah", "besar"}
CERTIFICATIONS = {"nib", "pirt", "bpom", "halal", "sni", "hki"}
MARKETS = {"lokal", "nasional", "ekspor"}
COOPERATION = {"pemasok", "subkontrak", "distribusi", "waralaba", "co-branding", "pelatihan", "pembiayaan", "riset"}
SITE_KEYS = {"title", "base_url", "description", "language", "languages", "theme", "paginate",
             "repo_edit_url", "partners"}
PROFILE_KEYS = {"name", "kind", "sector", "scale", "district", "subdistrict", "summary", "address", "founded",
                "employees", "contact", "certifications", "markets", "offers", "needs", "cooperation",
                "partners", "exclude_partners", "logo", "photos", "updated", "summary_en", "name_en", "draft"}
CONTACT_KEYS = {"phone", "whatsapp", "email", "website", "instagram"}
PRODUCT_KEYS = {"name", "category", "price", "unit", "moq", "capacity", "materials", "tags", "certifications",
                "images", "draft"}
VOCAB_KEYS = {"label", "label_en", "children", "synonyms"}
THIS_YEAR = datetime.date.today().year


# --------------------------------------------------------------------------
# A YAML subset reader.

class YamlError(Exception):
    pass


def split_flow(inner, line_no):
    """Split the inside of [...] or {...} on top-level commas."""
    items, depth, quote, current = [], 0, None, []
    for ch in inner:
        if quote:
            current.append(ch)
            if ch == quote:
                quote = None
            continue
        if ch in "\"'":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        elif ch == "," and depth == 0:
            items.append("".join(current).strip())
            current = []
            continue
        current.append(ch)
    if quote or depth:
        raise YamlError(f"line {line_no}: unbalanced flow collection")
    tail = "".join(current).strip()
    if tail:
        items.append(tail)
    return items


def scalar(text, line_no):
    text = text.strip()
    if text.startswith("["):
        if not text.endswith("]"):
            raise YamlError(f"line {line_no}: unterminated flow list")
        return [scalar(x, line_no) for x in split_flow(text[1:-1], line_no)]
    if text.startswith("{"):
        if not text.endswith("}"):
            raise YamlError(f"line {line_no}: unterminated flow map")
        out = {}
        for item in split_flow(text[1:-1], line_no):
            key, sep, value = item.partition(":")
            if not sep:
                raise YamlError(f"line {line_no}: flow map item without ':'")
            out[key.strip()] = scalar(value, line_no)
        return out
    if text.startswith('"'):
        try:
            return json.loads(text)
        except ValueError:
            raise YamlError(f"line {line_no}: bad double-quoted string {text}")
    if text.startswith("'"):
        if not text.endswith("'") or len(text) < 2:
            raise YamlError(f"line {line_no}: bad single-quoted string")
        return text[1:-1].replace("''", "'")
    if re.fullmatch(r"-?[0-9]+", text):
        return int(text)
    if text in ("true", "false"):
        return text == "true"
    if text in ("null", "~", ""):
        return None
    if text.lower() in ("yes", "no", "on", "off", "y", "n"):
        raise YamlError(f"line {line_no}: ambiguous plain scalar {text!r} (YAML 1.1 boolean)")
    if text[0] in "&*!|>%@`#-?:" or ": " in text or " #" in text:
        raise YamlError(f"line {line_no}: plain scalar needs quoting: {text!r}")
    return text


def parse_yaml(text):
    """Block mappings (indented by two spaces) whose values are scalars or
    flow collections."""
    root = {}
    stack = [(0, root)]  # (indent, mapping), innermost last
    pending = None       # (indent, mapping, key) that may open a nested block
    for line_no, raw in enumerate(text.split("\n"), 1):
        line = raw.rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if "\t" in line[: len(line) - len(line.lstrip())]:
            raise YamlError(f"line {line_no}: tab in indentation")
        indent = len(line) - len(line.lstrip(" "))
        body = line.strip()
        if body.startswith("- "):
            raise YamlError(f"line {line_no}: block sequences are outside the subset this checker reads")
        if pending is not None and indent > pending[0]:
            child = {}
            pending[1][pending[2]] = child
            stack.append((indent, child))
        pending = None
        while stack[-1][0] > indent:
            stack.pop()
        if stack[-1][0] != indent:
            raise YamlError(f"line {line_no}: bad indentation")
        mapping = stack[-1][1]
        m = re.match(r"^([A-Za-z0-9_@-]+):(?:\s+(.*))?$", body)
        if not m:
            raise YamlError(f"line {line_no}: expected 'key: value', got {body!r}")
        key, value = m.group(1), m.group(2)
        if key in mapping:
            raise YamlError(f"line {line_no}: duplicate key {key!r}")
        if value is None or value == "":
            pending = (indent, mapping, key)
            mapping[key] = None
        else:
            mapping[key] = scalar(value, line_no)
    return root


def front_matter(text):
    if not text.startswith("---\n"):
        return None, text
    end = text.find("\n---\n", 3)
    if end < 0:
        raise YamlError("front matter is not closed by ---")
    return parse_yaml(text[4:end + 1]), text[end + 5:]


# --------------------------------------------------------------------------
# PNG check.

def png_problem(path):
    data = open(path, "rb").read()
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "not a PNG (bad signature)"
    pos, idat, ihdr, end = 8, [], None, False
    while pos < len(data):
        if pos + 8 > len(data):
            return "truncated chunk header"
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        crc = data[pos + 8 + length:pos + 12 + length]
        if len(chunk) != length or len(crc) != 4:
            return "truncated chunk"
        if struct.unpack(">I", crc)[0] != zlib.crc32(kind + chunk) & 0xFFFFFFFF:
            return f"bad CRC in {kind!r}"
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat.append(chunk)
        elif kind == b"IEND":
            end = True
            break
        pos += 12 + length
    if not ihdr or not idat or not end:
        return "missing IHDR, IDAT or IEND"
    width, height, depth, colour = ihdr[:4]
    if depth != 8 or colour != 2:
        return f"unexpected PNG format (depth {depth}, colour type {colour})"
    try:
        raw = zlib.decompress(b"".join(idat))
    except zlib.error as e:
        return f"IDAT does not decompress: {e}"
    if len(raw) != height * (1 + 3 * width):
        return "IDAT size does not match the dimensions"
    return None


# --------------------------------------------------------------------------

class Checker:
    def __init__(self, root):
        self.root = root
        self.errors = []
        self.warnings = []
        self.stats = collections.Counter()

    def err(self, path, message):
        self.errors.append(f"{os.path.relpath(path, self.root)}: {message}")

    def load(self, path, with_front_matter=False):
        try:
            text = open(path, encoding="utf-8").read()
        except (OSError, UnicodeDecodeError) as e:
            self.err(path, f"unreadable: {e}")
            return None
        try:
            if with_front_matter:
                return front_matter(text)
            return parse_yaml(text)
        except YamlError as e:
            self.err(path, str(e))
            return None

    def tag_list(self, path, record, key, allowed=None, vocab=None, lo=0, hi=None):
        value = record.get(key)
        if value is None:
            if lo:
                self.err(path, f"{key} is required")
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.err(path, f"{key} must be a list of strings")
            return []
        if len(set(value)) != len(value):
            self.err(path, f"{key} has duplicates: {value}")
        if len(value) < lo or (hi is not None and len(value) > hi):
            self.err(path, f"{key} has {len(value)} entries, expected {lo}..{hi}")
        for v in value:
            if allowed is not None and v not in allowed:
                self.err(path, f"{key}: {v!r} is not one of {sorted(allowed)}")
            if vocab is not None and v not in vocab:
                self.err(path, f"{key}: {v!r} is not a vocabulary tag")
        return value

    # -- site.yaml, pages, home
    def check_site(self):
        path = os.path.join(self.root, "site.yaml")
        site = self.load(path)
        if site is None:
            return
        for key in site:
            if key not in SITE_KEYS:
                self.err(path, f"unknown key {key!r}")
        for key in ("title", "base_url"):
            if not isinstance(site.get(key), str) or not site[key]:
                self.err(path, f"{key} is required")
        if not str(site.get("base_url", "")).startswith(("http://", "https://")):
            self.err(path, "base_url must be absolute")
        if site.get("language", "id") not in ("id", "en"):
            self.err(path, "language must be id or en")
        if "paginate" in site and (not isinstance(site["paginate"], int) or site["paginate"] < 1):
            self.err(path, "paginate must be a positive integer")
        home = os.path.join(self.root, "content", "_index.md")
        if not os.path.isfile(home):
            self.err(home, "missing")
        pages = os.path.join(self.root, "content", "pages")
        for name in sorted(os.listdir(pages)) if os.path.isdir(pages) else []:
            path = os.path.join(pages, name)
            if not name.endswith(".md") or not SLUG.match(name[:-3]):
                self.err(path, "page file name is not <slug>.md")
                continue
            loaded = self.load(path, with_front_matter=True)
            if loaded and loaded[0] is not None:
                if set(loaded[0]) != {"title"}:
                    self.err(path, f"front matter keys {sorted(loaded[0])}, expected only title")
            self.stats["pages"] += 1

    # -- vocabulary.yaml
    def check_vocabulary(self):
        path = os.path.join(self.root, "content", "vocabulary.yaml")
        vocab = self.load(path)
        if not vocab:
            self.err(path, "missing or empty")
            return set(), {}
        parent_of, synonyms = {}, {}
        for tag, entry in vocab.items():
            if not SLUG.match(tag):
                self.err(path, f"tag {tag!r} is not a slug")
            if not isinstance(entry, dict):
                self.err(path, f"{tag}: must be a mapping")
                continue
            for key in entry:
                if key not in VOCAB_KEYS:
                    self.err(path, f"{tag}: unknown key {key!r}")
            if not isinstance(entry.get("label"), str) or not entry["label"]:
                self.err(path, f"{tag}: label is required")
            for child in entry.get("children") or []:
                if child not in vocab:
                    self.err(path, f"{tag}: child {child!r} is not a tag")
                if child in parent_of:
                    self.err(path, f"{child}: has two parents ({parent_of[child]}, {tag})")
                parent_of[child] = tag
            for syn in entry.get("synonyms") or []:
                if not SLUG.match(syn):
                    self.err(path, f"{tag}: synonym {syn!r} is not a slug")
                if syn in vocab:
                    self.err(path, f"{tag}: synonym {syn!r} is also a tag")
                if syn in synonyms:
                    self.err(path, f"{tag}: synonym {syn!r} also belongs to {synonyms[syn]}")
                synonyms[syn] = tag
        for child, parent in parent_of.items():
            if parent in parent_of:
                self.err(path, f"{child}: deeper than two levels ({parent_of[parent]} > {parent} > {child})")
            if vocab.get(child) and vocab[child].get("children"):
                self.err(path, f"{child}: a child tag with children of its own")
        parents = {t for t, e in vocab.items() if isinstance(e, dict) and e.get("children")}
        for parent in parents:
            if not vocab[parent].get("label_en"):
                self.err(path, f"{parent}: parent without label_en")
        generic = [t for t in vocab if not t.startswith("langka-")]
        if not 150 <= len(generic) <= 250:
            self.err(path, f"{len(generic)} tags (besides planted ones), expected 150..250")
        self.stats["vocabulary tags"] = len(vocab)
        self.stats["vocabulary parents"] = len(parents)
        self.stats["vocabulary synonyms"] = len(synonyms)
        return set(vocab), parent_of

    # -- firms
    def check_firm(self, folder, slug, vocab, planted_slugs):
        path = os.path.join(folder, "profile.yaml")
        profile = self.load(path)
        if profile is None:
            return None
        for key in profile:
            if key not in PROFILE_KEYS:
                self.err(path, f"unknown key {key!r}")
        if not isinstance(profile.get("name"), str) or not profile["name"].strip():
            self.err(path, "name is required")
        kind = profile.get("kind", "ikm")
        if kind not in KINDS:
            self.err(path, f"kind {kind!r} is not one of {sorted(KINDS)}")
        if kind in ("ikm", "industry"):
            if profile.get("sector") not in SECTORS:
                self.err(path, f"sector {profile.get('sector')!r} is not one of {sorted(SECTORS)}")
            if profile.get("scale") not in SCALES:
                self.err(path, f"scale {profile.get('scale')!r} is not one of {sorted(SCALES)}")
            if kind == "ikm" and profile.get("scale") == "besar":
                self.err(path, "kind ikm cannot be scale besar")
        elif "sector" in profile or "scale" in profile:
            self.err(path, f"kind {kind} should have no sector or scale")
        district = profile.get("district")
        if district not in KELURAHAN:
            self.err(path, f"district {district!r} is not one of {sorted(KELURAHAN)}")
        elif "subdistrict" in profile and profile["subdistrict"] not in KELURAHAN[district]:
            self.err(path, f"subdistrict {profile['subdistrict']!r} does not lie in {district}")
        summary = profile.get("summary")
        if not isinstance(summary, str) or not summary.strip():
            self.err(path, "summary is required")
        elif len(summary) > 160:
            self.err(path, f"summary has {len(summary)} characters, at most 160")
        if "founded" in profile and not (isinstance(profile["founded"], int) and 1900 <= profile["founded"] <= THIS_YEAR):
            self.err(path, f"founded {profile['founded']!r} is not a year 1900..{THIS_YEAR}")
        if "employees" in profile and not (isinstance(profile["employees"], int) and profile["employees"] >= 0):
            self.err(path, "employees must be an integer >= 0")
        if "updated" in profile and not re.fullmatch(r"\d{4}-\d\d-\d\d", str(profile["updated"])):
            self.err(path, "updated must be a YYYY-MM-DD date")
        contact = profile.get("contact")
        if contact is not None:
            if not isinstance(contact, dict):
                self.err(path, "contact must be a mapping")
            else:
                for key, value in contact.items():
                    if key not in CONTACT_KEYS:
                        self.err(path, f"contact: unknown key {key!r}")
                    elif not isinstance(value, str):
                        self.err(path, f"contact.{key} must be a string")
                if "whatsapp" in contact and not re.fullmatch(r"\+?[0-9]+", str(contact["whatsapp"])):
                    self.err(path, "contact.whatsapp must be digits with an optional leading +")
                if "website" in contact and not str(contact["website"]).startswith(("http://", "https://")):
                    self.err(path, "contact.website must be http or https")
                if "instagram" in contact and not re.fullmatch(r"[A-Za-z0-9._]{1,30}", str(contact["instagram"])):
                    self.err(path, "contact.instagram must be a handle: 1-30 letters, digits, . and _, no @")
                if "email" in contact and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", str(contact["email"])):
                    self.err(path, "contact.email is not an address")
        self.tag_list(path, profile, "certifications", CERTIFICATIONS)
        self.tag_list(path, profile, "markets", MARKETS)
        self.tag_list(path, profile, "cooperation", COOPERATION)
        lo = 1 if slug in planted_slugs else 2
        offers = self.tag_list(path, profile, "offers", vocab=vocab, lo=lo, hi=4)
        needs = self.tag_list(path, profile, "needs", vocab=vocab, lo=lo, hi=4)
        if set(offers) & set(needs):
            self.err(path, f"offers and needs share {sorted(set(offers) & set(needs))}")
        for key in ("partners", "exclude_partners"):
            for other in self.tag_list(path, profile, key):
                if other == slug:
                    self.err(path, f"{key} names the firm itself")
        for image in ([profile["logo"]] if "logo" in profile else []) + list(profile.get("photos") or []):
            self.check_image(path, folder, image)
        index = os.path.join(folder, "index.md")
        if os.path.exists(index):
            if os.path.getsize(index) == 0:
                self.err(index, "empty")
        products = self.check_products(folder, profile, vocab)
        self.stats["firms"] += 1
        self.stats[f"kind {kind}"] += 1
        profile["_products"] = products
        return profile

    def check_image(self, path, folder, name):
        if not isinstance(name, str) or "/" in name or name.startswith("."):
            self.err(path, f"image {name!r} is not a file name in the firm's folder")
            return
        file = os.path.join(folder, name)
        if not os.path.isfile(file):
            self.err(path, f"image {name} does not exist")
            return
        problem = png_problem(file) if name.endswith(".png") else None
        if problem:
            self.err(file, problem)
        self.stats["images"] += 1

    def check_products(self, folder, profile, vocab):
        pdir = os.path.join(folder, "products")
        if not os.path.isdir(pdir):
            return []
        products = []
        firm_certs = set(profile.get("certifications") or [])
        for name in sorted(os.listdir(pdir)):
            path = os.path.join(pdir, name)
            slug = name[:-3]
            if not name.endswith(".md") or not SLUG.match(slug):
                self.err(path, "product file name is not <slug>.md")
                continue
            loaded = self.load(path, with_front_matter=True)
            if not loaded:
                continue
            fm, body = loaded
            if fm is None:
                self.err(path, "no front matter")
                continue
            for key in fm:
                if key not in PRODUCT_KEYS:
                    self.err(path, f"unknown key {key!r}")
            if not isinstance(fm.get("name"), str) or not fm["name"].strip():
                self.err(path, "name is required")
            if not isinstance(fm.get("category"), str) or not SLUG.match(fm["category"]):
                self.err(path, f"category {fm.get('category')!r} is not a slug")
            price = fm.get("price")
            if price is not None:
                if isinstance(price, dict):
                    if set(price) != {"min", "max"} or not all(isinstance(v, int) and v > 0 for v in price.values()) \
                            or price["min"] > price["max"]:
                        self.err(path, f"price {price} is not {{min, max}} with 0 < min <= max")
                elif not (isinstance(price, int) and price > 0):
                    self.err(path, f"price {price!r} is not a positive integer")
            if "moq" in fm and not (isinstance(fm["moq"], int) and fm["moq"] >= 1):
                self.err(path, "moq must be an integer >= 1")
            self.tag_list(path, fm, "materials", vocab=vocab, hi=2)
            self.tag_list(path, fm, "tags")
            certs = self.tag_list(path, fm, "certifications", CERTIFICATIONS)
            if set(certs) - firm_certs:
                self.err(path, f"certifications {sorted(set(certs) - firm_certs)} not held by the firm")
            for image in self.tag_list(path, fm, "images"):
                self.check_image(path, folder, image)
            if not body.strip():
                self.err(path, "empty description")
            self.stats["products"] += 1
            self.stats[f"category {fm.get('category')}"] += 1
            products.append(slug)
        return products

    def check_firms(self, vocab, planted_slugs):
        base = os.path.join(self.root, "content", "firms")
        firms = {}
        for slug in sorted(os.listdir(base)):
            folder = os.path.join(base, slug)
            if not SLUG.match(slug):
                self.err(folder, "folder name is not a slug")
                continue
            if not os.path.isfile(os.path.join(folder, "profile.yaml")):
                self.err(folder, "profile.yaml is missing")
                continue
            profile = self.check_firm(folder, slug, vocab, planted_slugs)
            if profile is not None:
                firms[slug] = profile
        for slug, profile in firms.items():
            for key in ("partners", "exclude_partners"):
                for other in profile.get(key) or []:
                    if other not in firms:
                        self.err(os.path.join(base, slug, "profile.yaml"), f"{key}: no firm {other!r}")
        return firms

    # -- planted.json
    def check_planted(self, firms, parent_of):
        path = os.path.join(self.root, "planted.json")
        planted = json.load(open(path))
        common = planted["common_tag"]

        def offered_by(tag):
            return sorted(s for s, f in firms.items() if tag in (f.get("offers") or []))

        def covers(offer, need):  # SPEC 5: a parent and its descendants meet each other
            return offer == need or parent_of.get(offer) == need or parent_of.get(need) == offer

        for n, pair in enumerate(planted["pairs"], 1):
            where = f"planted.json pair {n}"
            a, b = firms.get(pair["a"]), firms.get(pair["b"])
            if not a or not b:
                self.errors.append(f"{where}: a or b is not a firm")
                continue
            if pair["tag_a"] not in a["needs"] or pair["tag_b"] not in b["needs"]:
                self.errors.append(f"{where}: a must need tag_a and b tag_b")
            if offered_by(pair["tag_a"]) != [pair["b"]]:
                self.errors.append(f"{where}: {pair['tag_a']} offered by {offered_by(pair['tag_a'])}, not only b")
            if offered_by(pair["tag_b"]) != [pair["a"]]:
                self.errors.append(f"{where}: {pair['tag_b']} offered by {offered_by(pair['tag_b'])}, not only a")
            if a["district"] == b["district"]:
                self.errors.append(f"{where}: a and b share a kecamatan")
            if common not in a["needs"]:
                self.errors.append(f"{where}: a does not need the common tag {common}")
            group = {pair["a"], pair["b"]} | {d["slug"] for d in pair["decoys"]}
            for s in group:
                listed = set(firms[s].get("partners") or []) | set(firms[s].get("exclude_partners") or [])
                if listed & group:
                    self.errors.append(f"{where}: {s} lists {sorted(listed & group)} as partner or excluded")
            if len(pair["decoys"]) != 3:
                self.errors.append(f"{where}: expected 3 decoys")
            for d in pair["decoys"]:
                f = firms.get(d["slug"])
                if not f:
                    self.errors.append(f"{where}: decoy {d['slug']} is not a firm")
                    continue
                if f.get("subdistrict") != a.get("subdistrict") or f["district"] != a["district"]:
                    self.errors.append(f"{where}: decoy {d['slug']} is not in a's kelurahan")
                if f.get("offers") != [common]:
                    self.errors.append(f"{where}: decoy {d['slug']} offers {f.get('offers')}, not only {common}")
                linkage = {(a.get("scale"), f.get("scale"))} & {("kecil", "menengah"), ("kecil", "besar"),
                                                               ("menengah", "besar")}
                if not linkage:
                    self.errors.append(f"{where}: decoy {d['slug']} has no scale linkage to a")
                if any(covers(o, need) for o in a["offers"] for need in f["needs"]):
                    self.errors.append(f"{where}: decoy {d['slug']} needs what a offers (not one-way)")
            langka = [s for s, f in firms.items() if s not in (pair["a"], pair["b"])
                      and {pair["tag_a"], pair["tag_b"]} & set((f.get("offers") or []) + (f.get("needs") or []))]
            if langka:
                self.errors.append(f"{where}: other firms use the planted tags: {langka[:5]}")
        self.stats["planted pairs"] = len(planted["pairs"])

    # -- gotong's output, when given
    def check_katalog(self, katalog_path):
        """The planted answers against data/katalog.json from a gotong build."""
        katalog = {f["slug"]: f for f in json.load(open(katalog_path))["firms"]}
        planted = json.load(open(os.path.join(self.root, "planted.json")))
        for n, pair in enumerate(planted["pairs"], 1):
            where = f"katalog pair {n} ({pair['a']} / {pair['b']})"
            lists = {}
            for side in ("a", "b"):
                firm = katalog.get(pair[side])
                if firm is None:
                    self.errors.append(f"{where}: {pair[side]} is not in katalog.json")
                    return
                lists[side] = [s["slug"] for s in firm.get("suggested_partners") or []]
            if lists["a"][:1] != [pair["b"]]:
                self.errors.append(f"{where}: a's first suggestion is {lists['a'][:1]}, expected b")
            if lists["b"][:1] != [pair["a"]]:
                self.errors.append(f"{where}: b's first suggestion is {lists['b'][:1]}, expected a")
            ranks = [lists["a"].index(d["slug"]) + 1 if d["slug"] in lists["a"] else None for d in pair["decoys"]]
            # A decoy has every secondary signal (same kelurahan, a scale
            # linkage, all of a's cooperation modes); a listed firm that only
            # supplies the same common tag and is not in a's kelurahan should
            # not outrank it.
            weaker = []
            for s in katalog[pair["a"]].get("suggested_partners") or []:
                kinds = {r["kind"]: r for r in s["reasons"]}
                if (s["slug"] != pair["b"] and set(kinds) <= {"supplies", "scale_linkage", "cooperation", "nearby"}
                        and kinds.get("supplies", {}).get("tags") == [planted["common_tag"]]
                        and kinds.get("nearby", {}).get("level") != "kelurahan"):
                    weaker.append(s["slug"])
            missing = [d["slug"] for d, r in zip(pair["decoys"], ranks) if r is None]
            if missing and weaker:
                self.warnings.append(f"{where}: decoys {missing} are not on a's list, yet {weaker[:3]} are, which "
                                     f"supply only {planted['common_tag']} too and are not in a's kelurahan")
            self.stats["decoys listed"] += sum(r is not None for r in ranks)
            self.stats["decoys total"] += len(ranks)
            if pair["b"] in lists["a"]:
                b_rank = lists["a"].index(pair["b"]) + 1
                if any(r is not None and r < b_rank for r in ranks):
                    self.errors.append(f"{where}: a decoy ranks above b: decoys at {ranks}, b at {b_rank}")

    # -- Hugo twin
    def check_hugo(self, hugo, firms):
        base = os.path.join(hugo, "content", "usaha")
        twins = sorted(d for d in os.listdir(base) if os.path.isdir(os.path.join(base, d)))
        if twins != sorted(firms):
            self.errors.append(f"hugo: {len(twins)} firm folders, gotong has {len(firms)}")
            return
        for slug, firm in firms.items():
            folder = os.path.join(base, slug)
            for name in ("_index.md", "mitra.md"):
                if not os.path.isfile(os.path.join(folder, name)):
                    self.errors.append(f"hugo: {slug}/{name} missing")
            pdir = os.path.join(folder, "produk")
            products = sorted(os.listdir(pdir)) if os.path.isdir(pdir) else []
            if products != sorted(firm["_products"]):
                self.errors.append(f"hugo: {slug} products {products} != {firm['_products']}")
        for name in ("hugo.toml", "layouts/baseof.html", "layouts/single.html", "layouts/list.html",
                     "layouts/taxonomy.html", "layouts/term.html"):
            if not os.path.isfile(os.path.join(hugo, name)):
                self.errors.append(f"hugo: {name} missing")
        self.stats["hugo firms"] = len(twins)

    def run(self, hugo=None, katalog=None):
        self.check_site()
        vocab, parent_of = self.check_vocabulary()
        planted_slugs = set()
        planted_path = os.path.join(self.root, "planted.json")
        if os.path.exists(planted_path):
            for pair in json.load(open(planted_path))["pairs"]:
                planted_slugs |= {pair["a"], pair["b"]} | {d["slug"] for d in pair["decoys"]}
        firms = self.check_firms(vocab, planted_slugs)
        if os.path.exists(planted_path):
            self.check_planted(firms, parent_of)
        if hugo:
            self.check_hugo(hugo, firms)
        if katalog:
            if os.path.exists(planted_path):
                self.check_katalog(katalog)
            else:
                self.errors.append("--katalog needs a site generated with --plant-pairs")
        return firms


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("site", help="a folder written by gen_catalogue.py")
    ap.add_argument("--hugo", help="the Hugo twin written with --hugo, checked for the same firms and products")
    ap.add_argument("--katalog", metavar="JSON",
                    help="data/katalog.json of a gotong build of SITE: checks the planted pairs' suggestions")
    args = ap.parse_args()
    checker = Checker(args.site)
    firms = checker.run(args.hugo, args.katalog)
    needs = collections.Counter(t for f in firms.values() for t in f.get("needs") or [])
    stats = checker.stats
    print(f"{stats['firms']} firms, {stats['products']} products, {stats['images']} images, "
          f"{stats['vocabulary tags']} vocabulary tags ({stats['vocabulary parents']} parents, "
          f"{stats['vocabulary synonyms']} synonyms)")
    print("kinds: " + ", ".join(f"{k[5:]} {v}" for k, v in sorted(stats.items()) if k.startswith("kind ")))
    print(f"categories: {sum(1 for k in stats if k.startswith('category '))}")
    print("most needed: " + ", ".join(f"{t} {n}" for t, n in needs.most_common(5))
          + f"; tags needed by at most 3 firms: {sum(1 for n in needs.values() if n <= 3)}")
    if args.katalog:
        print(f"planted pairs found first on both lists unless listed below; "
              f"decoys on a's list: {stats['decoys listed']} of {stats['decoys total']}")
    for w in checker.warnings:
        print(f"warning: {w}")
    if checker.errors:
        for e in checker.errors:
            print(f"error: {e}")
        print(f"{len(checker.errors)} problem(s)")
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
