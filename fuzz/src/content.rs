//! Structurally valid content with odd values, built from the fuzzer's
//! bytes: site.yaml, vocabularies, profiles, products, pages and Markdown.
//!
//! Each generator mostly picks values that the validators accept (so that
//! inputs reach deep into them) and sometimes odd ones: unicode of every
//! kind, empty and very long strings, huge and strange numbers, values of
//! the wrong type, bounded deep nesting, unknown and duplicate keys.

use arbitrary::{Result, Unstructured};
use gotong::model::{Certification, Cooperation, District, Kind, Market, Sector};

use std::cell::Cell;

use crate::yamlgen::{Node, one_in, pick};

thread_local! {
    static ODDS: Cell<u8> = const { Cell::new(3) };
}

/// Sets how often values are odd: one time in `n`. Targets pick a low `n`
/// for half their inputs (almost every document has a mistake somewhere)
/// and a high one for the other half (most documents are valid, so the
/// code after validation is reached).
pub fn set_odds(n: u8) {
    ODDS.with(|o| o.set(n.max(2)));
}

/// Whether this value is to be odd.
pub fn odd(u: &mut Unstructured<'_>) -> bool {
    one_in(u, ODDS.with(Cell::get))
}

/// Picks from `good`, or (when [`odd`]) from `bad`.
pub fn good_or_bad<'a>(u: &mut Unstructured<'_>, good: &'a [&'a str], bad: &'a [&'a str]) -> Result<Node> {
    if odd(u) && one_in(u, 2) {
        return choice_node(u, bad);
    }
    Ok(Node::str(*pick(u, good)))
}

/// Strings that have broken text handling somewhere before.
pub const ODD_TEXT: &[&str] = &[
    "",
    " ",
    "\u{a0}",
    "\u{200b}",
    "\u{feff}",
    "\u{202e}kanan ke kiri",
    "e\u{301}\u{301}\u{301}",
    "👩‍👩‍👧‍👦",
    "🇮🇩",
    "Ｃｉｍａｈｉ",
    "Сimahi",
    "İıß ǅ ﬃ",
    "ﷺ",
    "\0",
    "a\0b",
    "\u{85}",
    "\u{2028}",
    "\u{1b}[31m",
    "\t",
    "a\nb",
    "baris\r\nbaru",
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "{{ site.title }}",
    "{% raw %}",
    "${HOME}",
    "%s%n",
    "../../etc/passwd",
    "C:\\Windows",
    "---",
    "...",
    "# bukan komentar",
    "- bukan daftar",
    "key: value",
    "&anchor",
    "*alias",
    "!tag",
    "@at",
    "`backtick`",
    "'",
    "\"",
    "\\",
    "|",
    ">",
    "~",
    "null",
    "true",
    "yes",
    "0",
    "1e400",
    "0x1F",
    "2026-02-30",
];

/// Numbers as YAML writes them, many out of every range.
pub const ODD_NUM: &[&str] = &[
    "0",
    "-0",
    "-1",
    "1",
    "+12",
    "012",
    "0o17",
    "0x7FFFFFFFFFFFFFFF",
    "0xFFFFFFFFFFFFFFFF",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551616",
    "340282366920938463463374607431768211456",
    "1.5",
    "2015.0",
    "1e3",
    "1e400",
    "-1e400",
    ".inf",
    "-.inf",
    ".nan",
    "1_000",
];

/// Tags, synonyms and near misses of [`VOCABULARY`].
pub const TAGS: &[&str] = &[
    "kemasan",
    "kemasan-plastik",
    "kemasan-karton",
    "kardus",
    "dus",
    "rasi",
    "singkong",
    "sampeu",
    "tepung-singkong",
    "kemasan-plastk",
    "Kemasan",
    "tag-baru",
    "rasi ",
];

/// The vocabulary the firm target validates against.
pub const VOCABULARY: &str = "kemasan:
  label: Kemasan
  label_en: Packaging
  children: [kemasan-plastik, kemasan-karton]
kemasan-karton:
  label: Kemasan karton
  synonyms: [kardus, dus]
rasi:
  label: Rasi
singkong:
  label: Singkong
  synonyms: [sampeu]
tepung-singkong:
  label: Tepung singkong
";

const NAMES: &[&str] = &[
    "CV Rasa Cireundeu",
    "Rumah Batik Hanjuang",
    "PT Kemasan Utama",
    "Koperasi \"Sampeu\" Cireundeu",
    "Dapur Bu Éndah & Anak",
    "Kaos Kaki 'Cibeureum'",
    "Toko: Baju, Celana",
];

const TEXTS: &[&str] = &[
    "Rasi dan olahan singkong khas Cireundeu",
    "Batik tulis — motif lokomotif",
    "Jl. Leuwigajah No. 1, RT 02/RW 05",
    "500 kg/bulan",
    "kg",
    "Harga: Rp15.000 # per kg",
    "Produk [unggulan] {baru}",
];

/// A text: mostly one of `good`, sometimes odd, very long or random.
pub fn text(u: &mut Unstructured<'_>, good: &[&str]) -> Result<String> {
    if !odd(u) {
        return Ok(pick(u, good).to_string());
    }
    Ok(match u.int_in_range(0..=11u8)? {
        0..=6 => pick(u, good).to_string(),
        7 => pick(u, ODD_TEXT).to_string(),
        8 => {
            let n = u.int_in_range(1..=400usize)?;
            let piece = if one_in(u, 2) { *pick(u, good) } else { *pick(u, ODD_TEXT) };
            piece.repeat(n)
        }
        9 => format!("{}{}", pick(u, good), pick(u, ODD_TEXT)),
        10 => {
            let s: String = u.arbitrary()?;
            s.chars().take(200).collect()
        }
        _ => format!("{}{}", pick(u, ODD_TEXT), pick(u, good)),
    })
}

/// A value for a text field: mostly a string, sometimes another type.
pub fn text_node(u: &mut Unstructured<'_>, good: &[&str]) -> Result<Node> {
    if odd(u) && one_in(u, 4) {
        return odd_node(u, 3);
    }
    Ok(Node::Str(text(u, good)?))
}

/// A value for a number field in `lo..=hi`: mostly in range.
pub fn int_node(u: &mut Unstructured<'_>, lo: i64, hi: i64) -> Result<Node> {
    if !odd(u) {
        return Ok(Node::Num(u.int_in_range(lo..=hi)?.to_string()));
    }
    Ok(match u.int_in_range(0..=9u8)? {
        0..=5 => Node::Num(u.int_in_range(lo..=hi)?.to_string()),
        6 => Node::Num(pick(u, ODD_NUM).to_string()),
        7 => Node::Num((if one_in(u, 2) { lo.saturating_sub(1) } else { hi.saturating_add(1) }).to_string()),
        8 => Node::Str(u.int_in_range(lo..=hi)?.to_string()),
        _ => odd_node(u, 2)?,
    })
}

/// A value for a `true`/`false` field.
pub fn bool_node(u: &mut Unstructured<'_>) -> Result<Node> {
    if !odd(u) {
        return Ok(Node::Bool(u.arbitrary()?));
    }
    Ok(match u.int_in_range(0..=5u8)? {
        0..=3 => Node::Bool(u.arbitrary()?),
        4 => Node::Str(pick(u, &["yes", "no", "on", "true", ""]).to_string()),
        _ => odd_node(u, 2)?,
    })
}

/// A value for a field with a closed set of values.
pub fn choice_node(u: &mut Unstructured<'_>, good: &[&str]) -> Result<Node> {
    if !odd(u) {
        return Ok(Node::str(*pick(u, good)));
    }
    Ok(match u.int_in_range(0..=9u8)? {
        0..=6 => Node::str(*pick(u, good)),
        7 => {
            // Near misses: case, spaces, a typo.
            let g = pick(u, good);
            Node::Str(match u.int_in_range(0..=3u8)? {
                0 => g.to_uppercase(),
                1 => format!(" {g} "),
                2 => g.chars().skip(1).collect(),
                _ => format!("{g}{g}"),
            })
        }
        _ => text_node(u, ODD_TEXT)?,
    })
}

/// A list of values, each from `item`; sometimes a single value.
pub fn list_node(
    u: &mut Unstructured<'_>,
    mut item: impl FnMut(&mut Unstructured<'_>) -> Result<Node>,
) -> Result<Node> {
    if odd(u) {
        if one_in(u, 2) {
            return item(u);
        }
        if one_in(u, 3) {
            return odd_node(u, 2);
        }
    }
    let n = u.int_in_range(0..=5usize)?;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        out.push(item(u)?);
    }
    Ok(Node::Seq(out))
}

/// Any value at all, nested at most `depth` deep (and sometimes a deep
/// flow nesting or a bit of raw YAML).
pub fn odd_node(u: &mut Unstructured<'_>, depth: u8) -> Result<Node> {
    let top = if depth == 0 { 4 } else { 8 };
    Ok(match u.int_in_range(0..=top)? {
        0 => Node::Null,
        1 => Node::Bool(u.arbitrary()?),
        2 => Node::Num(pick(u, ODD_NUM).to_string()),
        3 | 4 => Node::Str(pick(u, ODD_TEXT).to_string()),
        5 => {
            let n = u.int_in_range(0..=3usize)?;
            Node::Seq((0..n).map(|_| odd_node(u, depth - 1)).collect::<Result<_>>()?)
        }
        6 => {
            let n = u.int_in_range(0..=3usize)?;
            let mut e = Vec::new();
            for _ in 0..n {
                let k = pick(u, &["a", "name", "min", "", "1", "ünï", "a b"]).to_string();
                e.push((k, odd_node(u, depth - 1)?));
            }
            Node::Map(e)
        }
        7 => Node::Tagged(pick(u, &["t", "!str", "!binary", "foo"]).to_string(), Box::new(odd_node(u, depth - 1)?)),
        _ => Node::Raw(raw_yaml(u)?),
    })
}

/// A fragment of YAML written as it is: deep nesting (around serde_yaml's
/// limit), small alias bombs, unclosed and malformed constructs.
fn raw_yaml(u: &mut Unstructured<'_>) -> Result<String> {
    Ok(match u.int_in_range(0..=9u8)? {
        0 => {
            let d = u.int_in_range(100..=140usize)?;
            format!("{}{}", "[".repeat(d), "]".repeat(d))
        }
        1 => {
            let d = u.int_in_range(100..=140usize)?;
            format!("{}x{}", "{a: ".repeat(d), "}".repeat(d))
        }
        2 => "&b [&c [x, x, x, x], *c, *c, *c, *c]".into(),
        3 => "*nothing".into(),
        4 => "[unclosed".into(),
        5 => "\"unterminated".into(),
        6 => "{a: 1, a: 1}".into(),
        7 => "!!binary aGFsbw==".into(),
        8 => "? [complex, key]\n: value".into(),
        _ => pick(u, &["@x", "`x", "%x", "&", "|\n bad", ">-", "- a\n b: c", "\t\tx"]).to_string(),
    })
}

/// Puts the entries in an order picked by the input, and sometimes adds an
/// unknown key (a typo of a known one) or a duplicate.
pub fn finish_map(u: &mut Unstructured<'_>, mut entries: Vec<(String, Node)>) -> Result<Node> {
    for i in (1..entries.len()).rev() {
        let j = u.int_in_range(0..=i)?;
        entries.swap(i, j);
    }
    if !entries.is_empty() && odd(u) && one_in(u, 3) {
        let i = u.int_in_range(0..=entries.len() - 1)?;
        let (k, _) = entries[i].clone();
        let typo = match u.int_in_range(0..=3u8)? {
            0 => format!("{k}s"),
            1 => k.to_uppercase(),
            2 => format!("{k} "),
            _ => k.chars().rev().collect(),
        };
        entries.push((typo, odd_node(u, 1)?));
    }
    if !entries.is_empty() && odd(u) && one_in(u, 4) {
        let i = u.int_in_range(0..=entries.len() - 1)?;
        let dup = entries[i].clone();
        entries.push(dup);
    }
    if odd(u) && one_in(u, 6) {
        // A merge key; `a1` may not exist, so it is raw text (not clean).
        entries.push(("<<".into(), Node::Raw("*a1".into())));
    }
    Ok(Node::Map(entries))
}

/// Anchors some nodes and replaces some later ones by aliases to them
/// (walking in document order, so that every alias follows its anchor).
pub fn anchor_aliases(u: &mut Unstructured<'_>, node: &mut Node) -> Result<()> {
    fn walk(u: &mut Unstructured<'_>, node: &mut Node, names: &mut Vec<String>, next: &mut usize) -> Result<()> {
        if !names.is_empty() && one_in(u, 12) && !matches!(node, Node::Map(_)) {
            *node = Node::Alias(pick(u, names).clone());
            return Ok(());
        }
        match node {
            Node::Seq(items) => {
                for i in items {
                    walk(u, i, names, next)?;
                }
            }
            Node::Map(entries) => {
                for (_, v) in entries {
                    walk(u, v, names, next)?;
                }
            }
            _ => {}
        }
        if one_in(u, 10) {
            *next += 1;
            let name = format!("a{next}");
            let inner = std::mem::replace(node, Node::Null);
            *node = Node::Anchor(name.clone(), Box::new(inner));
            names.push(name);
        }
        Ok(())
    }
    if one_in(u, 3) {
        walk(u, node, &mut Vec::new(), &mut 0)?;
    }
    Ok(())
}

fn slugs(all: &[impl Copy], f: impl Fn(usize) -> &'static str) -> Vec<&'static str> {
    (0..all.len()).map(f).collect()
}

/// `site.yaml`.
pub fn site_yaml(u: &mut Unstructured<'_>) -> Result<Node> {
    let mut e: Vec<(String, Node)> = Vec::new();
    let required = !(odd(u) && one_in(u, 2));
    let mut opt = |u: &mut Unstructured<'_>, key: &str, v: fn(&mut Unstructured<'_>) -> Result<Node>| -> Result<()> {
        if (required && (key == "title" || key == "base_url")) || one_in(u, 2) {
            e.push((key.to_string(), v(u)?));
        }
        Ok(())
    };
    opt(u, "title", |u| text_node(u, &["Katalog IKM Kota Cimahi", "Katalog \"Uji\"", "T"]))?;
    opt(u, "base_url", |u| {
        good_or_bad(
            u,
            &[
                "https://ikm.example.go.id",
                "https://ikm.example.go.id/katalog/",
                "http://127.0.0.1:1111",
                "https://例え.jp/ü",
            ],
            &["ftp://x", "https://", "https://x y", "ikm.example.go.id"],
        )
    })?;
    opt(u, "description", |u| text_node(u, TEXTS))?;
    opt(u, "language", |u| choice_node(u, &["id", "en"]))?;
    opt(u, "languages", |u| list_node(u, |u| choice_node(u, &["id", "en"])))?;
    opt(u, "theme", |u| good_or_bad(u, &["cimahi", "tema-lain"], &["../cimahi", "Cimahi"]))?;
    opt(u, "paginate", |u| int_node(u, 1, 1000))?;
    opt(u, "repo_edit_url", |u| {
        good_or_bad(
            u,
            &["https://github.com/org/katalog/edit/main/", "https://x.example/edit"],
            &["javascript:alert(1)"],
        )
    })?;
    opt(u, "partners", |u| {
        if odd(u) && one_in(u, 3) {
            return odd_node(u, 2);
        }
        let mut e = vec![("per_firm".to_string(), int_node(u, 0, 100)?)];
        if odd(u) && one_in(u, 3) {
            e.push(("per_frim".into(), int_node(u, 0, 100)?));
        }
        Ok(Node::Map(e))
    })?;
    let mut node = finish_map(u, e)?;
    anchor_aliases(u, &mut node)?;
    Ok(node)
}

/// `content/vocabulary.yaml`, over a small pool of tags so that children
/// and synonyms meet (and loop, and collide).
pub fn vocabulary(u: &mut Unstructured<'_>) -> Result<Node> {
    const POOL: &[&str] = &["a", "b", "c", "kemasan", "kemasan-plastik", "rasi", "dus", "1"];
    const BAD: &[&str] = &["Bad Tag", "x--y", "", "-a"];
    let n = u.int_in_range(0..=8usize)?;
    let mut e: Vec<(String, Node)> = Vec::new();
    for _ in 0..n {
        let tag = if odd(u) && one_in(u, 3) { pick(u, BAD) } else { pick(u, POOL) }.to_string();
        if odd(u) && one_in(u, 3) {
            e.push((tag, odd_node(u, 2)?));
            continue;
        }
        let mut f: Vec<(String, Node)> = Vec::new();
        if !(odd(u) && one_in(u, 2)) {
            f.push(("label".into(), text_node(u, &["Kemasan", "Rasi", "Label ünïcødé"])?));
        }
        if one_in(u, 3) {
            f.push(("label_en".into(), text_node(u, &["Packaging", "Cassava rice"])?));
        }
        if one_in(u, 2) {
            f.push(("children".into(), list_node(u, |u| choice_node(u, POOL))?));
        }
        if one_in(u, 2) {
            f.push(("synonyms".into(), list_node(u, |u| choice_node(u, POOL))?));
        }
        e.push((tag, finish_map(u, f)?));
    }
    let mut node = Node::Map(e);
    anchor_aliases(u, &mut node)?;
    Ok(node)
}

/// Image names a firm can refer to ([`crate::ASSETS`]) and near misses.
const IMAGES: &[&str] = &["logo.png", "foto/a.jpg", "./logo.png", "foto/./a.jpg"];
const BAD_IMAGES: &[&str] =
    &["brosur.pdf", "hilang.png", "../logo.png", "/etc/passwd", "foto\\a.jpg", "C:logo.png", "foto//a.jpg", "LOGO.PNG"];

/// `profile.yaml` of the firm `slug`.
pub fn profile(u: &mut Unstructured<'_>, slug: &str) -> Result<Node> {
    let mut e: Vec<(String, Node)> = Vec::new();
    let kinds = slugs(Kind::ALL, |i| Kind::ALL[i].as_str());
    let sectors = slugs(Sector::ALL, |i| Sector::ALL[i].as_str());
    let certs = slugs(Certification::ALL, |i| Certification::ALL[i].as_str());
    let markets = slugs(Market::ALL, |i| Market::ALL[i].as_str());
    let coops = slugs(Cooperation::ALL, |i| Cooperation::ALL[i].as_str());
    let all_kel: Vec<&str> = District::ALL.iter().flat_map(|d| d.subdistricts().iter().copied()).collect();
    let district = *pick(u, District::ALL);
    let kind = if one_in(u, 3) { *pick(u, &kinds) } else { "ikm" };
    let scales: &[&str] = if kind == "ikm" { &["kecil", "menengah"] } else { &["kecil", "menengah", "besar"] };
    let bad_partners = [slug, "Bukan Slug", "mitra--c", ""];

    macro_rules! field {
        ($key:literal, $often:expr, $v:expr) => {
            if $often || one_in(u, 2) {
                let v = $v;
                e.push(($key.to_string(), v));
            }
        };
    }
    let required = !(odd(u) && one_in(u, 3));
    let industry = required && (kind == "ikm" || kind == "industry");
    field!("name", required, text_node(u, NAMES)?);
    field!("name_en", false, text_node(u, NAMES)?);
    field!("kind", kind != "ikm", if kind == "ikm" { choice_node(u, &kinds)? } else { Node::str(kind) });
    field!("sector", industry, good_or_bad(u, &sectors, &["besar", "makanan"])?);
    field!("scale", industry, good_or_bad(u, scales, &["besar", "mikro"])?);
    field!(
        "district",
        required,
        good_or_bad(u, &[district.name(), district.as_str()], &["Cimahi", "cimahi selatan", "Bandung"])?
    );
    field!("subdistrict", false, good_or_bad(u, district.subdistricts(), &all_kel)?);
    field!("summary", required, text_node(u, TEXTS)?);
    field!("summary_en", false, text_node(u, TEXTS)?);
    field!("address", false, text_node(u, TEXTS)?);
    field!("founded", false, int_node(u, 1900, 2026)?);
    field!("employees", false, int_node(u, 0, 10_000_000)?);
    field!("contact", false, contact(u)?);
    field!("certifications", false, list_node(u, |u| choice_node(u, &certs))?);
    field!("markets", false, list_node(u, |u| choice_node(u, &markets))?);
    field!("offers", false, list_node(u, |u| choice_node(u, TAGS))?);
    field!("needs", false, list_node(u, |u| choice_node(u, TAGS))?);
    field!("cooperation", false, list_node(u, |u| choice_node(u, &coops))?);
    field!("partners", false, list_node(u, |u| good_or_bad(u, &["mitra-a", "mitra-b"], &bad_partners))?);
    field!("exclude_partners", false, list_node(u, |u| good_or_bad(u, &["mitra-b", "mitra-c"], &bad_partners))?);
    field!("logo", false, good_or_bad(u, IMAGES, BAD_IMAGES)?);
    field!("photos", false, list_node(u, |u| good_or_bad(u, IMAGES, BAD_IMAGES))?);
    field!("updated", false, good_or_bad(u, &["2026-10-01", "2024-02-29"], &["2023-02-29", "2026-13-01", "1-1-1"])?);
    field!("draft", false, bool_node(u)?);
    let mut node = finish_map(u, e)?;
    anchor_aliases(u, &mut node)?;
    Ok(node)
}

fn contact(u: &mut Unstructured<'_>) -> Result<Node> {
    if odd(u) && one_in(u, 4) {
        return odd_node(u, 2);
    }
    let mut e: Vec<(String, Node)> = Vec::new();
    type Field = (&'static str, &'static [&'static str], &'static [&'static str]);
    let fields: [Field; 5] = [
        ("phone", &["+62 22 6612345", "(022) 661-2345", "022.661.2345"], &["12345", "+62 22 6612345 ext 2"]),
        ("whatsapp", &["+6281234567890", "0812-3456-7890", "+62 812 3456 7890"], &["62812", "+", "+62 812 abc"]),
        ("email", &["halo@example.com", "a.b+c@sub.example.co.id"], &["halo@", "a@b", "a b@c.d", "\"a\"@b.c"]),
        ("website", &["https://example.com", "http://x.example/a?b=c#d"], &["javascript:alert(1)", "example.com"]),
        (
            "instagram",
            &["rasacireundeu", "rasa.cireundeu_"],
            &["@rasa", "rasa cireundeu", "a_very_long_handle_over_thirty_chars"],
        ),
    ];
    for (k, good, bad) in fields {
        if one_in(u, 2) {
            let v = if odd(u) { text_node(u, bad)? } else { text_node(u, good)? };
            e.push((k.to_string(), v));
        }
    }
    finish_map(u, e)
}

/// The front matter of a product.
pub fn product(u: &mut Unstructured<'_>) -> Result<Node> {
    let certs = slugs(Certification::ALL, |i| Certification::ALL[i].as_str());
    let mut e: Vec<(String, Node)> = Vec::new();
    macro_rules! field {
        ($key:literal, $often:expr, $v:expr) => {
            if $often || one_in(u, 2) {
                let v = $v;
                e.push(($key.to_string(), v));
            }
        };
    }
    let required = !(odd(u) && one_in(u, 3));
    field!("name", required, text_node(u, NAMES)?);
    field!("category", required, good_or_bad(u, &["makanan-pokok", "kemasan"], &["Makanan Pokok", "a--b", ""])?);
    field!("price", false, {
        match u.int_in_range(0..=3u8)? {
            0 | 1 => int_node(u, 0, 1_000_000_000_000)?,
            2 if !odd(u) => {
                let min = u.int_in_range(0..=1_000_000i64)?;
                let max = u.int_in_range(min..=2_000_000)?;
                Node::map(vec![("min", Node::Num(min.to_string())), ("max", Node::Num(max.to_string()))])
            }
            2 => {
                let mut p = Vec::new();
                if !one_in(u, 4) {
                    p.push(("min".to_string(), int_node(u, 0, 1_000_000)?));
                }
                if !one_in(u, 4) {
                    p.push(("max".to_string(), int_node(u, 0, 1_000_000)?));
                }
                finish_map(u, p)?
            }
            _ => {
                if odd(u) {
                    odd_node(u, 2)?
                } else {
                    Node::Null
                }
            }
        }
    });
    field!("unit", false, text_node(u, &["kg", "pak isi 10", "m²"])?);
    field!("moq", false, int_node(u, 1, 1_000_000_000)?);
    field!("capacity", false, text_node(u, TEXTS)?);
    field!("materials", false, list_node(u, |u| choice_node(u, TAGS))?);
    field!("tags", false, list_node(u, |u| text_node(u, &["tanpa-gluten", "oleh-oleh", "Oleh Oleh"]))?);
    field!("certifications", false, list_node(u, |u| choice_node(u, &certs))?);
    field!("images", false, list_node(u, |u| good_or_bad(u, IMAGES, BAD_IMAGES))?);
    field!("draft", false, bool_node(u)?);
    let mut node = finish_map(u, e)?;
    anchor_aliases(u, &mut node)?;
    Ok(node)
}

/// The front matter of a product translation: `name`, and sometimes a
/// field it may not set.
pub fn product_translation(u: &mut Unstructured<'_>) -> Result<Node> {
    let mut e = vec![("name".to_string(), text_node(u, &["Cassava rice", "Batik"])?)];
    if odd(u) {
        e.push(("price".into(), int_node(u, 0, 100)?));
    }
    finish_map(u, e)
}

/// The front matter of a free page (`home`: of `_index.md`).
pub fn page(u: &mut Unstructured<'_>, home: bool) -> Result<Node> {
    let mut e: Vec<(String, Node)> = Vec::new();
    if !(odd(u) && one_in(u, 2)) {
        e.push(("title".into(), text_node(u, &["Tentang kami", "Kontak", "Judul <b>tebal</b>"])?));
    }
    if one_in(u, 2) {
        e.push(("description".into(), text_node(u, TEXTS)?));
    }
    if !home && one_in(u, 2) {
        e.push(("weight".into(), int_node(u, -1_000_000, 1_000_000)?));
    }
    if !home && one_in(u, 3) {
        e.push(("draft".into(), bool_node(u)?));
    }
    finish_map(u, e)
}

/// Link targets, safe and hostile.
pub const URLS: &[&str] = &[
    "https://example.com",
    "http://x.example/a?b=c&d=e#f",
    "mailto:halo@example.com",
    "tel:+62226612345",
    "foto/a.jpg",
    "brosur.pdf",
    "../../../etc/passwd",
    "/usaha/lain/",
    "#kontak",
    "?q=1",
    "//evil.example/x",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    " javascript:alert(1)",
    "&#106;avascript:alert(1)",
    "%6Aavascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "DATA:image/svg+xml;base64,PHN2Zz4=",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://x.example",
    "https://例え.jp/ü?ä=ö",
    "",
    "<>",
    "https://x.example/a b",
    "https://x.example/\"onmouseover=\"alert(1)",
];

/// Raw HTML that must not survive sanitising.
const HTML: &[&str] = &[
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<img src=\"javascript:alert(1)\">",
    "<img srcset=\"data:image/svg+xml,x 1x, https://ok.example/a.png 2x\">",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<a href=\"JaVaScRiPt&colon;alert(1)\">x</a>",
    "<a href=\"&#106;&#97;vascript:alert(1)\">x</a>",
    "<a href=\"java&#x09;script:alert(1)\">x</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD4=\">x</a>",
    "<a href=\"https://ok.example\" onclick=\"alert(1)\" target=\"_blank\">ok</a>",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<svg onload=alert(1)><circle r=1 /></svg>",
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<td style=\"text-align: right; background: url(x)\">x</td>",
    "<table><tr><td style=\"text-align:center\" onmouseover=alert(1)>x</td></tr></table>",
    "<object data=\"data:text/html,x\"></object><embed src=x>",
    "<form action=\"javascript:alert(1)\"><button formaction=\"javascript:alert(1)\">x</button></form>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<base href=\"javascript:/\">",
    "<style>*{background:url(javascript:alert(1))}</style>",
    "<link rel=stylesheet href=\"https://evil.example/x.css\">",
    "<details open ontoggle=alert(1)>x</details>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    "<template><script>alert(1)</script></template>",
    "<!-- <script>alert(1)</script> -->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<p><b>tebal</b> <i>miring</i> <span class=\"x\" id=\"y\">z</span></p>",
    "<img src=\"foto/a.jpg\" alt=\"Foto\" width=\"10\" height=\"10\" loading=\"lazy\">",
    "<a href=\"brosur.pdf\">brosur</a>",
    "<xmp><script>alert(1)</script></xmp>",
    "<plaintext><script>",
    "<select><option><img src=x onerror=alert(1)></option></select>",
    "<a href=\"https://ok.example\" rel=\"opener\">x</a>",
    "<video poster=\"javascript:alert(1)\"><source src=\"x\"></video>",
    "<blockquote cite=\"javascript:alert(1)\">x</blockquote>",
];

const WORDS: &[&str] = &[
    "Rasi",
    "singkong",
    "Cireundeu",
    "ünïcødé",
    "👩‍👩‍👧‍👦",
    "\u{202e}rtl",
    "e\u{301}",
    "Ｃｉｍａｈｉ",
    "&amp;",
    "&#x3C;script&#x3E;",
    "&lt;",
    "\\*",
    "\"kutip\"",
    "'tunggal'",
    "--",
    "...",
    "<",
    ">",
    "&",
    "{{ x }}",
    "javascript:alert(1)",
];

/// One line of inline Markdown.
fn inline(u: &mut Unstructured<'_>, depth: u8) -> Result<String> {
    let n = u.int_in_range(1..=6usize)?;
    let mut out = String::new();
    for i in 0..n {
        if i > 0 {
            out.push(' ');
        }
        let top = if depth == 0 { 3 } else { 17 };
        let piece = match u.int_in_range(0..=top)? {
            0..=3 => pick(u, WORDS).to_string(),
            4 => format!("*{}*", inline(u, depth - 1)?),
            5 => format!("**{}**", inline(u, depth - 1)?),
            6 => format!("~~{}~~", inline(u, depth - 1)?),
            7 => format!("`{}`", pick(u, WORDS)),
            8 => format!("[{}]({})", inline(u, depth - 1)?, pick(u, URLS)),
            9 => format!("[{}](<{}> \"{}\")", pick(u, WORDS), pick(u, URLS), pick(u, WORDS)),
            10 => format!("![{}]({})", pick(u, WORDS), pick(u, URLS)),
            11 => format!(
                "<{}>",
                pick(u, &["https://example.com/a?b=c", "a@b.org", "mailto:a@b.org", "javascript:alert(1)", "http://x"])
            ),
            12 => format!("[{}][{}]", pick(u, WORDS), pick(u, &["ref", "Ref", "tidak-ada", ""])),
            13 => format!("[{}]", pick(u, &["ref", "^1", "x"])),
            14 => format!("[^{}]", pick(u, &["1", "catatan"])),
            15 => pick(u, HTML).to_string(),
            16 => format!("{}  \n", pick(u, WORDS)),
            _ => {
                let s: String = u.arbitrary()?;
                s.chars().take(40).collect()
            }
        };
        out.push_str(&piece);
    }
    Ok(out)
}

/// A Markdown document of every construct the renderer sees: headings,
/// paragraphs, lists, quotes, code, tables, footnotes, reference
/// definitions, raw HTML blocks, thematic breaks.
pub fn markdown(u: &mut Unstructured<'_>) -> Result<String> {
    let blocks = u.int_in_range(0..=10usize)?;
    let mut out = String::new();
    for _ in 0..blocks {
        match u.int_in_range(0..=13u8)? {
            0 => {
                let level = u.int_in_range(1..=7usize)?;
                out.push_str(&format!("{} {}\n", "#".repeat(level), inline(u, 2)?));
            }
            1 => out.push_str(&format!("{}\n{}\n", inline(u, 2)?, pick(u, &["===", "---"]))),
            2 | 3 => out.push_str(&format!("{}\n", inline(u, 3)?)),
            4 => {
                let n = u.int_in_range(1..=4usize)?;
                for i in 0..n {
                    let marker = pick(u, &["-", "*", "+", "1.", "2)", "- [ ]", "- [x]"]);
                    let pad = if one_in(u, 3) { "  " } else { "" };
                    out.push_str(&format!("{}{marker} {}\n", pad.repeat(i.min(3)), inline(u, 2)?));
                }
            }
            5 => out.push_str(&format!("> {}\n> > {}\n", inline(u, 2)?, inline(u, 1)?)),
            6 => {
                let fence = pick(u, &["```", "~~~", "````"]);
                out.push_str(&format!(
                    "{fence}{}\n{}\n{fence}\n",
                    pick(u, &["", "rust", "html", "<script>"]),
                    pick(u, HTML)
                ));
            }
            7 => out.push_str(&format!("    {}\n", pick(u, HTML))),
            8 => {
                let cols = u.int_in_range(1..=4usize)?;
                let row = |u: &mut Unstructured<'_>| -> Result<String> {
                    let mut r = String::from("|");
                    for _ in 0..cols {
                        r.push_str(&format!(" {} |", inline(u, 1)?.replace('|', "\\|")));
                    }
                    Ok(r)
                };
                out.push_str(&row(u)?);
                out.push('\n');
                let mut sep = String::from("|");
                for _ in 0..cols {
                    let cell: &&str = pick(u, &["---|", ":--|", "--:|", ":-:|"]);
                    sep.push_str(cell);
                }
                out.push_str(&sep);
                out.push('\n');
                for _ in 0..u.int_in_range(0..=3usize)? {
                    out.push_str(&row(u)?);
                    out.push('\n');
                }
            }
            9 => out.push_str(&format!("[^{}]: {}\n", pick(u, &["1", "catatan"]), inline(u, 2)?)),
            10 => out.push_str(&format!(
                "[{}]: {} {}\n",
                pick(u, &["ref", "Ref", "x"]),
                pick(u, URLS),
                pick(u, &["", "\"Judul\"", "'Judul'", "(Judul)"])
            )),
            11 => out.push_str(&format!("{}\n", pick(u, HTML))),
            12 => out.push_str(&format!("{}\n", pick(u, &["---", "***", "___", "- - -"]))),
            _ => out.push_str(&format!("<div>\n{}\n</div>\n", pick(u, HTML))),
        }
        if !one_in(u, 4) {
            out.push('\n');
        }
    }
    Ok(out)
}

/// Firm slugs an event names: the fixture firms of the `event` target
/// (`crate::EVENT_FIRMS`), a firm with no folder, and non-slugs.
const EVENT_SLUGS: &[&str] = &["rasa-cireundeu", "kemasan-utama", "batik-2", "dinas-kukmp", "konveksi", "draf-a"];
const BAD_EVENT_SLUGS: &[&str] = &["tidak-ada", "Rasa Cireundeu", "rasa--cireundeu", "", "-a", "rasa-cireundeu "];

/// A time of day as an editor writes it: mostly `"HH:MM"`, sometimes a
/// near miss (`9:00`, `24:00`, `12:60`, a number, sexagesimal `09:00`
/// unquoted, which YAML 1.1 reads as 540).
fn time_node(u: &mut Unstructured<'_>, minutes: u16) -> Result<Node> {
    let hhmm = format!("{:02}:{:02}", minutes / 60, minutes % 60);
    if !odd(u) {
        return Ok(Node::Str(hhmm));
    }
    Ok(match u.int_in_range(0..=9u8)? {
        0..=3 => Node::Str(hhmm),
        4 => Node::Raw(hhmm),
        5 => Node::Str(format!("{}:{:02}", minutes / 60, minutes % 60)),
        6 => Node::Str(
            pick(u, &["24:00", "23:60", "12:5", "1200", "09.00", "9 am", "-1:00", "٠٩:٠٠", " 09:00 "]).to_string(),
        ),
        7 => Node::Num(minutes.to_string()),
        _ => odd_node(u, 1)?,
    })
}

/// A list of slug pairs (`requests`, `avoid`).
fn pairs_node(u: &mut Unstructured<'_>) -> Result<Node> {
    list_node(u, |u| {
        if odd(u) && one_in(u, 3) {
            // One slug, three, a map, a string.
            return Ok(match u.int_in_range(0..=3u8)? {
                0 => Node::Seq(vec![Node::str(*pick(u, EVENT_SLUGS))]),
                1 => Node::Seq((0..3).map(|_| Node::str(*pick(u, EVENT_SLUGS))).collect()),
                2 => Node::map(vec![("a", Node::str(*pick(u, EVENT_SLUGS)))]),
                _ => text_node(u, EVENT_SLUGS)?,
            });
        }
        let a = good_or_bad(u, EVENT_SLUGS, BAD_EVENT_SLUGS)?;
        let b = good_or_bad(u, EVENT_SLUGS, BAD_EVENT_SLUGS)?;
        Ok(Node::Seq(vec![a, b]))
    })
}

/// `content/events/<slug>.yaml` (SPEC 10): mostly sessions in time order
/// that hold whole meetings, slugs of the target's firms, caps within the
/// slots; sometimes overlapping or inverted sessions, meetings longer than
/// their session, odd times, unknown slugs, a pair both requested and
/// avoided, huge table counts.
pub fn event(u: &mut Unstructured<'_>) -> Result<Node> {
    let mut e: Vec<(String, Node)> = Vec::new();
    macro_rules! field {
        ($key:literal, $often:expr, $v:expr) => {
            if $often || one_in(u, 2) {
                let v = $v;
                e.push(($key.to_string(), v));
            }
        };
    }
    let required = !(odd(u) && one_in(u, 3));
    let districts: Vec<&str> = District::ALL.iter().map(|d| d.name()).collect();
    let meeting = u.int_in_range(10..=120u16)?;
    let pause = if one_in(u, 2) { u.int_in_range(0..=30u16)? } else { 0 };
    field!("name", required, text_node(u, &["Temu Usaha IKM Kota Cimahi 2027", "Forum \"Kemitraan\" #2", "T"])?);
    field!("name_en", false, text_node(u, &["Cimahi Business Meeting", "Forum: 2027"])?);
    field!(
        "date",
        required,
        good_or_bad(
            u,
            &["2027-03-10", "2026-12-01", "2024-02-29"],
            &["2027-02-30", "10-03-2027", "2027-3-10", "2023-02-29"]
        )?
    );
    field!("venue", required, text_node(u, TEXTS)?);
    field!("district", false, good_or_bad(u, &districts, &["Cimahi", "cimahi tengah", "Bandung"])?);
    field!("organizer", false, good_or_bad(u, EVENT_SLUGS, BAD_EVENT_SLUGS)?);
    field!("sessions", required, {
        if odd(u) && one_in(u, 4) {
            odd_node(u, 2)?
        } else {
            let least = if odd(u) { 0 } else { 1 };
            let n = u.int_in_range(least..=4usize)?;
            let mut t = u.int_in_range(0..=12 * 60u16)?;
            let mut items = Vec::new();
            for _ in 0..n {
                // Mostly whole meetings; sometimes a session too short for
                // one, one that ends before it starts, or one that overlaps.
                let slots = u.int_in_range(1..=8u16)?;
                let mut len = slots * meeting + (slots - 1) * pause + u.int_in_range(0..=meeting - 1)?;
                if odd(u) && one_in(u, 3) {
                    len = u.int_in_range(0..=meeting)?;
                }
                let start = if odd(u) && one_in(u, 3) { t.saturating_sub(u.int_in_range(1..=60u16)?) } else { t };
                let end = (start + len).min(23 * 60 + 59);
                let (s, en) = if odd(u) && one_in(u, 6) { (end, start) } else { (start, end) };
                let mut m = vec![("start".to_string(), time_node(u, s)?), ("end".to_string(), time_node(u, en)?)];
                if odd(u) && one_in(u, 4) {
                    m.pop();
                }
                items.push(finish_map(u, m)?);
                t = end + u.int_in_range(0..=90u16)?;
                if t >= 23 * 60 {
                    break;
                }
            }
            Node::Seq(items)
        }
    });
    field!("meeting_minutes", required, {
        if odd(u) { int_node(u, 10, 120)? } else { Node::Num(meeting.to_string()) }
    });
    field!("break_minutes", pause > 0, { if odd(u) { int_node(u, 0, 120)? } else { Node::Num(pause.to_string()) } });
    field!("tables", required, { if odd(u) && one_in(u, 4) { int_node(u, 1, 10_000)? } else { int_node(u, 1, 8)? } });
    field!("participants", false, {
        match u.int_in_range(0..=3u8)? {
            0 => good_or_bad(u, &["all"], &["All", "semua", ""])?,
            1 => list_node(u, |u| good_or_bad(u, EVENT_SLUGS, BAD_EVENT_SLUGS))?,
            2 => {
                let sectors = slugs(Sector::ALL, |i| Sector::ALL[i].as_str());
                let kinds = slugs(Kind::ALL, |i| Kind::ALL[i].as_str());
                let mut f: Vec<(String, Node)> = Vec::new();
                if one_in(u, 2) {
                    f.push(("sector".into(), list_node(u, |u| choice_node(u, &sectors))?));
                }
                if one_in(u, 2) {
                    f.push(("district".into(), list_node(u, |u| choice_node(u, &districts))?));
                }
                if one_in(u, 2) {
                    f.push(("kind".into(), list_node(u, |u| choice_node(u, &kinds))?));
                }
                if one_in(u, 2) {
                    f.push(("scale".into(), list_node(u, |u| choice_node(u, &["kecil", "menengah", "besar"]))?));
                }
                finish_map(u, f)?
            }
            _ => odd_node(u, 2)?,
        }
    });
    field!("max_meetings_per_firm", false, int_node(u, 1, 12)?);
    field!("requests", false, pairs_node(u)?);
    field!("avoid", false, pairs_node(u)?);
    field!("draft", false, bool_node(u)?);
    let mut node = finish_map(u, e)?;
    anchor_aliases(u, &mut node)?;
    Ok(node)
}
