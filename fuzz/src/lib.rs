//! The fuzz targets of gotong's readers of editor input, and what they
//! share (docs/testing.md says how to run them).
//!
//! Every target takes its input two ways:
//! - **raw**: the bytes as text (invalid UTF-8 replaced), for inputs that
//!   hold several files the files are separated by the byte 0x1E (ASCII
//!   record separator), so that the seed corpus can be real content files
//!   (`fuzz/seed.sh` builds it from `content/` and the test fixtures);
//! - **structured**: an input that starts with the byte 0xFF (never the
//!   start of a UTF-8 text) is read by [`arbitrary`] to build structurally
//!   valid content with odd values ([`content`]), written as YAML in styles the
//!   input picks ([`yamlgen`]), sometimes with CRLF line ends and a BOM.
//!
//! Each target asserts invariants ([`check`]), not only that nothing
//! panics.

pub mod check;
pub mod content;
pub mod yamlgen;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use arbitrary::Unstructured;
use gotong::load::{Loaded, RawDoc, RawEvent, RawFirm};
use gotong::model::{Event, Firm, Kind, Lang, Scale, Site, is_slug};
use gotong::source::SourceFile;
use gotong::yaml::{Seg, Target};
use gotong::{config, markdown, validate, vocabulary, yaml};

use yamlgen::{Node, Style, one_in, pick};

/// Whether to print every generated file to stderr (`GOTONG_FUZZ_SHOW=1`,
/// to see what the generators make of a corpus: run a target on files).
pub fn show() -> bool {
    static SHOW: OnceLock<bool> = OnceLock::new();
    *SHOW.get_or_init(|| std::env::var_os("GOTONG_FUZZ_SHOW").is_some())
}

fn shown(what: &str, text: &str) {
    if show() {
        eprintln!("----- {what}\n{text}");
    }
}

fn show_files(files: &[&SourceFile]) {
    for f in files {
        shown(&f.path, &f.text);
    }
}

/// The byte that separates files in a raw input.
pub const SEPARATOR: char = '\u{1e}';

/// How a target reads its input.
pub enum Input<'a> {
    /// Text (several files separated by [`SEPARATOR`]).
    Raw(String),
    /// Bytes for [`arbitrary`].
    Structured(Unstructured<'a>),
}

/// Splits an input into raw text or structured bytes (see the crate docs).
/// A structured input's second byte picks how often values are odd
/// ([`content::set_odds`]).
pub fn input(data: &[u8]) -> Input<'_> {
    match data.split_first() {
        Some((0xFF, rest)) => {
            let mut u = Unstructured::new(rest);
            content::set_odds(if one_in(&mut u, 2) { 3 } else { 40 });
            Input::Structured(u)
        }
        _ => Input::Raw(String::from_utf8_lossy(data).into_owned()),
    }
}

/// The files of a raw input.
pub fn files(text: &str) -> Vec<&str> {
    text.split(SEPARATOR).collect()
}

/// Sometimes saves the text as Windows editors do: CRLF and a BOM.
pub fn as_saved(u: &mut Unstructured<'_>, text: String) -> String {
    let text = if one_in(u, 5) { text.replace('\n', "\r\n") } else { text };
    if one_in(u, 6) { format!("\u{feff}{text}") } else { text }
}

/// A YAML document from `node`, as an editor might save it.
pub fn yaml_text(u: &mut Unstructured<'_>, node: &Node) -> String {
    let e = yamlgen::emit(u, node, Style { markers: true, comments: true });
    as_saved(u, e.text)
}

/// A Markdown file with front matter from `front` (or none) and a body.
pub fn markdown_file(u: &mut Unstructured<'_>, front: Option<&Node>) -> String {
    let mut out = String::new();
    if let Some(node) = front {
        let e = yamlgen::emit(u, node, Style { markers: false, comments: true });
        out.push_str("---\n");
        out.push_str(&e.text);
        if content::odd(u) && one_in(u, 6) {
            // Never closed.
            out.push('\n');
        } else {
            out.push_str(if one_in(u, 8) { "---   \n" } else { "---\n" });
        }
    }
    out.push_str(&content::markdown(u).unwrap_or_default());
    as_saved(u, out)
}

/// Images every fuzzed firm folder holds (relative to the folder).
pub const ASSETS: &[&str] = &["logo.png", "foto/a.jpg", "brosur.pdf"];

/// Firm slugs the targets use.
pub const FIRM_SLUGS: &[&str] = &["f", "rasa-cireundeu", "a1"];

/// A site root with the firm folders' images on disk (a 1×1 PNG, also
/// under a `.jpg` name, and a PDF), made once per process: validation
/// reads image headers from the disk, so valid image references need files.
pub fn fixture_root() -> &'static Path {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        const PNG: &[u8] = &[
            0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
            0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00,
            0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0, 0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF,
            0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
        ];
        let root = std::env::temp_dir().join(format!("gotong-fuzz-fixture-{}", std::process::id()));
        for slug in FIRM_SLUGS {
            let dir = root.join("content/firms").join(slug);
            let _ = std::fs::create_dir_all(dir.join("foto"));
            let _ = std::fs::write(dir.join("logo.png"), PNG);
            let _ = std::fs::write(dir.join("foto/a.jpg"), PNG);
            let _ = std::fs::write(dir.join("brosur.pdf"), b"%PDF-1.4\n");
        }
        root
    })
}

fn options(root: &Path, drafts: bool) -> validate::Options<'_> {
    validate::Options { root, drafts, today: gotong::model::Date { year: 2026, month: 12, day: 1 }, base_url: None }
}

/// The vocabulary the firm target checks tags against.
pub fn firm_vocabulary() -> &'static vocabulary::Vocabulary {
    static V: OnceLock<vocabulary::Vocabulary> = OnceLock::new();
    V.get_or_init(|| vocabulary::parse(&SourceFile::new("content/vocabulary.yaml", content::VOCABULARY)).0)
}

// ---------------------------------------------------------------------------
// site.yaml

/// Target `site_yaml`: `gotong::config::parse`.
pub fn site_yaml(data: &[u8]) {
    let text = match input(data) {
        Input::Raw(t) => t,
        Input::Structured(mut u) => {
            let Ok(node) = content::site_yaml(&mut u) else { return };
            yaml_text(&mut u, &node)
        }
    };
    let file = SourceFile::new("site.yaml", &text);
    show_files(&[&file]);
    let (config, diags) = config::parse(&file);
    check::diagnostics(&diags, &[&file]);
    check_config(config.as_ref(), &diags);
}

fn check_config(config: Option<&config::SiteConfig>, diags: &[gotong::diagnostics::Diagnostic]) {
    // site.yaml has no warnings: a config comes back exactly when nothing is wrong.
    assert_eq!(config.is_some(), diags.is_empty(), "config {config:?} with {diags:?}");
    if let Some(c) = config {
        assert!(!c.title.trim().is_empty() && c.title.trim() == c.title, "{c:?}");
        assert!(config::is_http_url(&c.base_url) && !c.base_url.ends_with('/'), "{c:?}");
        assert!((1..=1000).contains(&c.paginate), "{c:?}");
        assert!(c.partners_per_firm <= 100, "{c:?}");
        assert_eq!(c.languages.first(), Some(&c.language), "{c:?}");
        let mut langs = c.languages.clone();
        langs.sort();
        langs.dedup();
        assert_eq!(langs.len(), c.languages.len(), "{c:?}");
        assert!(is_slug(&c.theme), "{c:?}");
        if let Some(u) = &c.repo_edit_url {
            assert!(config::is_http_url(u) && u.ends_with('/'), "{c:?}");
        }
    }
}

// ---------------------------------------------------------------------------
// vocabulary.yaml

/// Target `vocabulary`: `gotong::vocabulary::parse`.
pub fn vocabulary(data: &[u8]) {
    let text = match input(data) {
        Input::Raw(t) => t,
        Input::Structured(mut u) => {
            let Ok(node) = content::vocabulary(&mut u) else { return };
            yaml_text(&mut u, &node)
        }
    };
    let file = SourceFile::new("content/vocabulary.yaml", &text);
    show_files(&[&file]);
    let (v, diags) = vocabulary::parse(&file);
    check::diagnostics(&diags, &[&file]);
    check_vocabulary(&v, &diags);
}

fn check_vocabulary(v: &vocabulary::Vocabulary, diags: &[gotong::diagnostics::Diagnostic]) {
    if diags.is_empty() {
        assert!(v.present);
    }
    for (tag, info) in v.tags() {
        assert!(is_slug(tag), "tag `{tag}` is not a slug");
        // The hierarchy has no loop left, whatever the file said.
        let up = v.ancestors(tag);
        let down = v.descendants(tag);
        assert!(!up.contains(&tag) && !down.contains(&tag), "`{tag}` is its own ancestor or descendant");
        for c in &info.children {
            assert!(v.knows(c), "child `{c}` of `{tag}` is not a tag");
            assert!(v.get(c).is_some_and(|ci| ci.parents.iter().any(|p| p == tag)), "`{c}` lost its parent `{tag}`");
        }
        for d in down {
            assert!(v.ancestors(d).contains(&tag), "`{d}` is below `{tag}` but `{tag}` is not above it");
        }
        // Tags fold to themselves: no synonym shadows a tag.
        assert_eq!(v.fold(tag), tag, "tag `{tag}` is folded to another");
    }
}

// ---------------------------------------------------------------------------
// One firm folder

/// The files of one firm folder, for [`firm`].
pub fn raw_firm(data: &[u8]) -> Option<RawFirm> {
    let mut raw =
        RawFirm { slug: "f".into(), assets: ASSETS.iter().map(|s| s.to_string()).collect(), ..Default::default() };
    let base = |slug: &str, rel: &str| format!("content/firms/{slug}/{rel}");
    match input(data) {
        Input::Raw(text) => {
            // profile.yaml, index.md, products/p.md, products/p.en.md, index.en.md
            let parts = files(&text);
            let f = |i: usize, rel: &str| parts.get(i).map(|t| SourceFile::new(base("f", rel), t));
            raw.profile = f(0, "profile.yaml");
            raw.description.main = f(1, "index.md");
            let mut p = RawDoc { main: f(2, "products/p.md"), ..Default::default() };
            if let Some(t) = f(3, "products/p.en.md") {
                p.translations.insert(Lang::En, t);
            }
            if p.main.is_some() || !p.translations.is_empty() {
                raw.products.insert("p".into(), p);
            }
            if let Some(t) = f(4, "index.en.md") {
                raw.description.translations.insert(Lang::En, t);
            }
        }
        Input::Structured(mut u) => {
            let u = &mut u;
            let slug = *pick(u, FIRM_SLUGS);
            raw.slug = slug.to_string();
            if !one_in(u, 20) {
                let node = content::profile(u, slug).ok()?;
                raw.profile = Some(SourceFile::new(base(slug, "profile.yaml"), &yaml_text(u, &node)));
            }
            if one_in(u, 2) {
                let front = if content::odd(u) && one_in(u, 3) { Some(content::page(u, true).ok()?) } else { None };
                raw.description.main = Some(SourceFile::new(base(slug, "index.md"), &markdown_file(u, front.as_ref())));
            }
            if one_in(u, 3) {
                let text = markdown_file(u, None);
                raw.description.translations.insert(Lang::En, SourceFile::new(base(slug, "index.en.md"), &text));
            }
            for p in ["rasi", "kain-2"] {
                if !one_in(u, 2) {
                    continue;
                }
                let mut doc = RawDoc::default();
                if !(content::odd(u) && one_in(u, 3)) {
                    let front = if content::odd(u) && one_in(u, 3) { None } else { Some(content::product(u).ok()?) };
                    let text = markdown_file(u, front.as_ref());
                    doc.main = Some(SourceFile::new(base(slug, &format!("products/{p}.md")), &text));
                }
                if one_in(u, 3) {
                    let front = if one_in(u, 6) { None } else { Some(content::product_translation(u).ok()?) };
                    let text = markdown_file(u, front.as_ref());
                    doc.translations
                        .insert(Lang::En, SourceFile::new(base(slug, &format!("products/{p}.en.md")), &text));
                }
                raw.products.insert(p.to_string(), doc);
            }
        }
    }
    Some(raw)
}

/// Every file of a firm folder.
pub fn firm_files(raw: &RawFirm) -> Vec<&SourceFile> {
    let mut out: Vec<&SourceFile> = raw.profile.iter().collect();
    let docs = std::iter::once(&raw.description).chain(raw.products.values());
    for d in docs {
        out.extend(d.main.iter());
        out.extend(d.translations.values());
    }
    out
}

/// Target `firm`: `gotong::validate::validate_firm` on a profile, its
/// description, products and translations.
pub fn firm(data: &[u8]) {
    let Some(raw) = raw_firm(data) else { return };
    let drafts = data.len() % 2 == 0;
    let base_path = if data.len() % 3 == 0 { "/katalog" } else { "" };
    let files = firm_files(&raw);
    show_files(&files);
    let (firm, diags) = validate::validate_firm(&raw, firm_vocabulary(), base_path, &options(fixture_root(), drafts));
    check::diagnostics(&diags, &files);
    for d in &diags {
        assert!(d.path.starts_with(&format!("content/firms/{}/", raw.slug)), "diagnostic outside the folder: {d:?}");
    }
    if show() {
        let errors = diags.iter().filter(|d| d.severity == gotong::diagnostics::Severity::Error).count();
        let products = firm.as_ref().map(|f| f.products.len());
        eprintln!(
            "=> firm: {}, products: {products:?}, errors: {errors}, warnings: {}",
            firm.is_some(),
            diags.len() - errors
        );
        for d in &diags {
            eprint!("{}", gotong::diagnostics::render_human(d));
        }
    }
    // References to other firms, checked against a site that holds this
    // folder and the firm `mitra-a`.
    let mut site = Loaded::default();
    site.firms.insert("mitra-a".into(), RawFirm { slug: "mitra-a".into(), ..Default::default() });
    site.firms.insert(raw.slug.clone(), raw.clone());
    let mut refs = Vec::new();
    validate::check_references(firm.iter(), &site, &mut refs);
    check::diagnostics(&refs, &files);
    match firm {
        None => assert!(check::has_error(&diags), "no firm and no error: {diags:?}"),
        Some(f) => check_firm(&f, &raw, &diags, base_path),
    }
}

fn check_firm(f: &Firm, raw: &RawFirm, diags: &[gotong::diagnostics::Diagnostic], base_path: &str) {
    let profile_errors = diags.iter().any(|d| {
        d.severity == gotong::diagnostics::Severity::Error && raw.profile.as_ref().is_some_and(|p| p.path == d.path)
    });
    assert!(!profile_errors, "a firm from a profile with errors: {diags:?}");
    for t in std::iter::once(&f.name.id).chain(f.name.other.values()) {
        assert!(!t.is_empty() && t.trim() == t, "name {t:?}");
    }
    for t in std::iter::once(&f.summary.id).chain(f.summary.other.values()) {
        assert!(!t.is_empty() && t.chars().count() <= validate::SUMMARY_MAX, "summary {t:?}");
    }
    assert_eq!(f.sector.is_some(), f.kind.is_industry(), "{f:?}");
    assert_eq!(f.scale.is_some(), f.kind.is_industry(), "{f:?}");
    assert!(!(f.kind == Kind::Ikm && f.scale == Some(Scale::Besar)), "{f:?}");
    if let Some(k) = &f.subdistrict {
        assert!(f.district.subdistricts().contains(&k.as_str()), "{k} not in {:?}", f.district);
    }
    if let Some(y) = f.founded {
        assert!((1900..=2026).contains(&y));
    }
    if let Some(e) = &f.contact.email {
        assert!(validate::is_email(e));
    }
    if let Some(w) = &f.contact.website {
        assert!(config::is_http_url(w));
    }
    if let Some(w) = &f.contact.whatsapp {
        let digits = w.strip_prefix('+').unwrap_or(w);
        assert!((8..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()), "{w:?}");
    }
    for list in [&f.offers, &f.needs, &f.partners, &f.exclude_partners] {
        let set: BTreeSet<&String> = list.iter().collect();
        assert_eq!(set.len(), list.len(), "duplicates in {list:?}");
    }
    for s in f.partners.iter().chain(&f.exclude_partners) {
        assert!(is_slug(s) && *s != f.slug, "partner `{s}`");
    }
    for img in f.logo.iter().chain(&f.photos).chain(f.products.iter().flat_map(|p| &p.images)) {
        assert!(raw.assets.contains(&img.path), "image {img:?} is not a file of the folder");
        assert!(img.width > 0 && img.height > 0);
    }
    // Bodies: sanitised, links located in the file they came from.
    let base = format!("{base_path}/usaha/{}/", raw.slug);
    let doc_html = |doc: &RawDoc, t: &gotong::model::Translated<gotong::model::Html>| {
        check::html(&t.id, doc.main.as_ref(), &base);
        for (lang, h) in &t.other {
            check::html(h, doc.translations.get(lang), &base);
        }
    };
    doc_html(&raw.description, &f.description);
    let no_errors = !check::has_error(diags);
    let written = raw.products.values().filter(|d| d.main.is_some()).count();
    if no_errors {
        assert_eq!(f.products.len(), written, "a product without an error went missing");
    }
    for p in &f.products {
        let doc = &raw.products[&p.slug];
        doc_html(doc, &p.body);
        assert!(is_slug(&p.category));
        if let Some(price) = p.price {
            assert!(price.min <= price.max);
        }
        assert!(p.moq.is_none_or(|m| m >= 1));
        assert!(!p.name.id.is_empty());
        let set: BTreeSet<&String> = p.materials.iter().collect();
        assert_eq!(set.len(), p.materials.len());
    }
}

// ---------------------------------------------------------------------------
// Free pages, the home page text, site.yaml and the vocabulary together

/// Page slugs: ordinary ones and ones the catalogue reserves.
pub const PAGE_SLUGS: &[&str] = &["tentang", "kontak", "usaha", "data"];

/// The site-wide files, for [`globals`].
pub fn loaded(data: &[u8]) -> Option<Loaded> {
    let mut l = Loaded::default();
    match input(data) {
        Input::Raw(text) => {
            // site.yaml, vocabulary.yaml, _index.md, _index.en.md, then pages
            // (main and translation) by turns of the page slugs.
            let parts = files(&text);
            let f = |i: usize, path: &str| parts.get(i).map(|t| SourceFile::new(path, t));
            l.config = f(0, "site.yaml");
            l.vocabulary = f(1, "content/vocabulary.yaml");
            l.home.main = f(2, "content/_index.md");
            if let Some(t) = f(3, "content/_index.en.md") {
                l.home.translations.insert(Lang::En, t);
            }
            for (i, part) in parts.iter().enumerate().skip(4) {
                let slug = PAGE_SLUGS[(i - 4) / 2 % PAGE_SLUGS.len()];
                let doc = l.pages.entry(slug.to_string()).or_default();
                if i % 2 == 0 {
                    doc.main = Some(SourceFile::new(format!("content/pages/{slug}.md"), part));
                } else {
                    doc.translations.insert(Lang::En, SourceFile::new(format!("content/pages/{slug}.en.md"), part));
                }
            }
        }
        Input::Structured(mut u) => {
            let u = &mut u;
            if !one_in(u, 10) {
                let node = content::site_yaml(u).ok()?;
                l.config = Some(SourceFile::new("site.yaml", &yaml_text(u, &node)));
            }
            if one_in(u, 2) {
                let node = content::vocabulary(u).ok()?;
                l.vocabulary = Some(SourceFile::new("content/vocabulary.yaml", &yaml_text(u, &node)));
            }
            if !one_in(u, 4) {
                let front = if one_in(u, 3) { None } else { Some(content::page(u, true).ok()?) };
                l.home.main = Some(SourceFile::new("content/_index.md", &markdown_file(u, front.as_ref())));
            }
            if one_in(u, 3) {
                let front = content::page(u, true).ok()?;
                l.home
                    .translations
                    .insert(Lang::En, SourceFile::new("content/_index.en.md", &markdown_file(u, Some(&front))));
            }
            for slug in PAGE_SLUGS {
                if !one_in(u, 2) {
                    continue;
                }
                let mut doc = RawDoc::default();
                if !one_in(u, 8) {
                    let front = if one_in(u, 10) { None } else { Some(content::page(u, false).ok()?) };
                    doc.main =
                        Some(SourceFile::new(format!("content/pages/{slug}.md"), &markdown_file(u, front.as_ref())));
                }
                if one_in(u, 3) {
                    let front = content::page(u, false).ok()?;
                    let text = markdown_file(u, Some(&front));
                    doc.translations.insert(Lang::En, SourceFile::new(format!("content/pages/{slug}.en.md"), &text));
                }
                l.pages.insert(slug.to_string(), doc);
            }
        }
    }
    Some(l)
}

/// Target `globals`: `gotong::validate::validate_globals` (site.yaml, the
/// vocabulary, the home page text and free pages), then the pages as the
/// site publishes them.
pub fn globals(data: &[u8]) {
    let Some(l) = loaded(data) else { return };
    let g = validate::validate_globals(&l);
    let mut files: Vec<&SourceFile> = l.config.iter().chain(l.vocabulary.iter()).collect();
    for d in std::iter::once(&l.home).chain(l.pages.values()) {
        files.extend(d.main.iter());
        files.extend(d.translations.values());
    }
    show_files(&files);
    check::diagnostics(&g.diags, &files);
    let doc_html = |doc: &RawDoc, t: &gotong::model::Translated<gotong::model::Html>| {
        if doc.main.is_some() {
            check::html(&t.id, doc.main.as_ref(), "");
        }
        for (lang, h) in &t.other {
            check::html(h, doc.translations.get(lang), "");
        }
    };
    doc_html(&l.home, &g.home.body);
    for p in &g.pages {
        let raw = &l.pages[&p.slug];
        assert!(raw.main.as_ref().is_some_and(|m| m.path == p.source));
        assert!(!p.title.id.is_empty());
        doc_html(raw, &p.body);
    }
    for drafts in [false, true] {
        let mut diags = Vec::new();
        let published = validate::publishable_pages(g.pages.clone(), drafts, &mut diags);
        check::diagnostics(&diags, &files);
        for p in &g.pages {
            if validate::RESERVED_PATHS.contains(&p.slug.as_str()) {
                assert!(diags.iter().any(|d| d.path == p.source), "reserved slug `{}` not reported", p.slug);
            }
        }
        assert!(drafts || published.iter().all(|p| !p.draft));
        assert!(published.windows(2).all(|w| (w[0].weight, &w[0].slug) <= (w[1].weight, &w[1].slug)));
    }
    let config_diags: Vec<_> = g.diags.iter().filter(|d| d.path == "site.yaml").cloned().collect();
    if l.config.is_some() {
        check_config(g.config.as_ref(), &config_diags);
    }
    let vocab_diags: Vec<_> = g.diags.iter().filter(|d| d.path == "content/vocabulary.yaml").cloned().collect();
    if l.vocabulary.is_some() {
        check_vocabulary(&g.vocabulary, &vocab_diags);
    } else {
        assert!(!g.vocabulary.present && g.vocabulary.tags().next().is_none());
    }
}

// ---------------------------------------------------------------------------
// Markdown

/// Target `markdown`: `gotong::markdown::render_file` (and `render`).
pub fn markdown(data: &[u8]) {
    let text = match input(data) {
        Input::Raw(t) => t,
        Input::Structured(mut u) => {
            let front = if one_in(&mut u, 4) { content::page(&mut u, false).ok() } else { None };
            markdown_file(&mut u, front.as_ref())
        }
    };
    let file = SourceFile::new("content/pages/p.md", &text);
    show_files(&[&file]);
    let fm = file.split_front_matter();
    let base = if data.len() % 2 == 0 { "" } else { "/katalog/usaha/f/" };
    let h = markdown::render_file(&file, fm.body, fm.body_line, base);
    check::html(&h, Some(&file), base);
    let plain = markdown::render(&text, base);
    check::sanitised(&plain.html);
    assert!(plain.links.is_empty(), "links recorded without a file");
}

// ---------------------------------------------------------------------------
// yaml::locate

/// A tree of any shape, with keys that repeat across levels.
fn any_tree(u: &mut Unstructured<'_>, depth: u8) -> arbitrary::Result<Node> {
    if depth == 0 || one_in(u, 3) {
        return content::odd_node(u, 0);
    }
    Ok(if one_in(u, 2) {
        let n = u.int_in_range(0..=4usize)?;
        Node::Seq((0..n).map(|_| any_tree(u, depth - 1)).collect::<arbitrary::Result<_>>()?)
    } else {
        let n = u.int_in_range(0..=4usize)?;
        let mut e = Vec::new();
        for _ in 0..n {
            let k = content::text(u, &["name", "contact", "a", "b", "0", "1", "offers", "ünï"])?;
            e.push((k, any_tree(u, depth - 1)?));
        }
        Node::Map(e)
    })
}

/// Target `locate`: `gotong::yaml::locate` on arbitrary text and paths
/// (raw: `path` 0x1E `yaml`, where `path` is `/`-separated steps, digits
/// being sequence indexes, and a leading `@` asks for the key), and on
/// emitted documents, where it must find every key and value where the
/// emitter wrote it.
pub fn locate(data: &[u8]) {
    match input(data) {
        Input::Raw(text) => {
            let (spec, doc) = text.split_once(SEPARATOR).unwrap_or(("name", &text));
            let (target, spec) = match spec.strip_prefix('@') {
                Some(s) => (Target::Key, s),
                None => (Target::Value, spec),
            };
            let path: Vec<Seg> = spec
                .split('/')
                .filter(|s| !s.is_empty())
                .map(|s| s.parse::<usize>().map(Seg::Index).unwrap_or_else(|_| Seg::Key(s.to_string())))
                .collect();
            let _ = yaml::locate(doc, &path, target);
            let file = SourceFile::new("x.yaml", doc);
            if let Some((line, col)) = yaml::locate(&file.text, &path, target) {
                in_bounds(&file.text, line, col);
            }
            located_everywhere(&file.text);
        }
        Input::Structured(mut u) => {
            let u = &mut u;
            let node = if one_in(u, 2) {
                content::profile(u, "f")
            } else {
                any_tree(u, 4).and_then(|mut n| content::anchor_aliases(u, &mut n).map(|_| n))
            };
            let Ok(node) = node else { return };
            let style = Style { markers: one_in(u, 2), comments: one_in(u, 2) };
            let e = yamlgen::emit(u, &node, style);
            let text = as_saved(u, e.text.clone());
            let file = SourceFile::new("x.yaml", &text);
            shown("x.yaml", &text);
            assert_eq!(&*file.text, e.text);
            let parsed = yaml::parse(&file.text);
            if e.clean {
                assert!(parsed.is_ok(), "emitted YAML does not parse: {parsed:?}\n{}", e.text);
            }
            for r in &e.records {
                let got = yaml::locate(&file.text, &r.path, r.target);
                if let Some((line, col)) = got {
                    in_bounds(&file.text, line, col);
                }
                if e.clean {
                    located_as_written(got, r, &e.text);
                }
                if show() {
                    eprintln!(
                        "{:?} {:?} {:?}: written at {:?}/{:?}, located at {got:?}",
                        r.path, r.target, r.precision, r.start, r.content
                    );
                }
            }
        }
    }
}

/// In a text the parser reads, every key and value is located, and the
/// one-pass index agrees with `locate` (F12: yaml-rust2, the locator,
/// refused flow collections continued at column 1 that libyaml reads).
/// Texts with anchors, aliases, tags or complex keys are left out: their
/// values do not stand where their paths lead. So are texts with a
/// byte-order mark after the start (which SourceFile removes): yaml-rust2
/// refuses one at the start of a line where libyaml reads it, a known gap
/// (docs/testing.md, F14) whose errors fall back to the top of the file.
fn located_everywhere(text: &str) {
    if text.contains(['&', '*', '!', '?', '\u{feff}']) {
        return;
    }
    let Ok(value) = yaml::parse(text) else { return };
    let index = yaml::Positions::of(text);
    let mut todo: Vec<(Vec<Seg>, &yaml::Value)> = vec![(Vec::new(), &value)];
    let mut checked = 0;
    while let Some((path, v)) = todo.pop() {
        checked += 1;
        if checked > 2000 {
            break;
        }
        let children: Vec<(Seg, &yaml::Value)> = match v {
            yaml::Value::Mapping(m) => {
                let Some(c) = m.iter().map(|(k, v)| gotong::source::scalar_text(k).map(|k| (Seg::Key(k), v))).collect()
                else {
                    return;
                };
                c
            }
            yaml::Value::Sequence(s) => s.iter().enumerate().map(|(i, v)| (Seg::Index(i), v)).collect(),
            _ => Vec::new(),
        };
        for (seg, child) in children {
            let mut p = path.clone();
            p.push(seg);
            let targets: &[Target] =
                if matches!(p.last(), Some(Seg::Key(_))) { &[Target::Key, Target::Value] } else { &[Target::Value] };
            for &t in targets {
                let got = yaml::locate(text, &p, t);
                assert!(got.is_some(), "{p:?} ({t:?}) of a text that parses is not located:\n{text}");
                assert_eq!(index.get(&p, t), got, "{p:?} ({t:?}): the index and locate disagree:\n{text}");
            }
            todo.push((p, child));
        }
    }
}

/// `got`, from `locate`, is where the emitter wrote the node of `r`.
fn located_as_written(got: Option<(usize, usize)>, r: &yamlgen::Record, text: &str) {
    use yamlgen::Precision;
    let ok = match (r.precision, got) {
        (Precision::Unchecked, _) => true,
        (_, None) => false,
        (Precision::Exact, Some(p)) => p == r.start || p == r.content,
        (Precision::FirstLine, Some((line, col))) => {
            (line == r.start.0 && col >= r.start.1) || (line == r.content.0 && col >= r.content.1)
        }
        (Precision::Block, Some((line, _))) => line == r.content.0 || line == r.content.0 + 1,
    };
    assert!(
        ok,
        "locate({:?}, {:?}) = {got:?}, written at {:?} / {:?} ({:?}):\n{text}",
        r.path, r.target, r.start, r.content, r.precision
    );
}

fn in_bounds(text: &str, line: usize, col: usize) {
    let lines: Vec<&str> = text.split('\n').collect();
    // Known (docs/testing.md, finding L1): an empty node (`key: !`, `a:` at
    // the end of the text) is placed at the end of input, on the line after
    // the last one, column 1.
    if line == lines.len() + 1 && col == 1 {
        return;
    }
    assert!(line >= 1 && line <= lines.len(), "line {line} outside the text ({} lines)", lines.len());
    let width = lines[line - 1].chars().count();
    assert!(col >= 1 && col <= width + 1, "column {col} outside line {line} ({width} characters)");
}

// ---------------------------------------------------------------------------
// Events (SPEC 10)

/// The firms an event of the `event` target can name, with their profiles:
/// enough for suggestions between them (offers meet needs, scale linkage,
/// one existing partner, one excluded one) and one draft.
pub const EVENT_FIRMS: &[(&str, &str)] = &[
    (
        "batik-2",
        "name: Batik Dua\nsector: tekstil\nscale: kecil\ndistrict: Cimahi Utara\nsummary: Batik\noffers: [kemasan-karton]\nneeds: [rasi]\ncooperation: [pemasok]\npartners: [konveksi]\n",
    ),
    (
        "dinas-kukmp",
        "name: Dinas KUKMP\nkind: government\ndistrict: Cimahi Tengah\nsummary: Dinas\noffers: [kemasan]\nneeds: [rasi, singkong]\ncooperation: [pelatihan]\n",
    ),
    (
        "draf-a",
        "name: Draf\nsector: makanan-minuman\nscale: kecil\ndistrict: Cimahi Selatan\nsummary: Draf\noffers: [kemasan-plastik]\nneeds: [rasi]\ndraft: true\n",
    ),
    (
        "kemasan-utama",
        "name: PT Kemasan Utama\nkind: industry\nsector: kerajinan\nscale: besar\ndistrict: Cimahi Selatan\nsummary: Kemasan\noffers: [kemasan-plastik, kemasan-karton]\nneeds: [singkong]\ncooperation: [pemasok, subkontrak]\n",
    ),
    (
        "konveksi",
        "name: Konveksi\nsector: tekstil\nscale: menengah\ndistrict: Cimahi Tengah\nsummary: Konveksi\noffers: [kemasan]\nneeds: [kemasan-karton, rasi]\ncooperation: [subkontrak]\nexclude_partners: [rasa-cireundeu]\n",
    ),
    (
        "rasa-cireundeu",
        "name: CV Rasa Cireundeu\nsector: makanan-minuman\nscale: kecil\ndistrict: Cimahi Selatan\nsummary: Rasi\noffers: [rasi, tepung-singkong]\nneeds: [kemasan-plastik, kemasan]\ncooperation: [pemasok]\n",
    ),
];

/// The site the `event` target schedules in: [`EVENT_FIRMS`] validated,
/// their suggestions, the loaded folders (for the references check).
pub struct EventWorld {
    /// site.yaml.
    pub config: config::SiteConfig,
    /// Every folder, drafts included.
    pub loaded: Loaded,
    /// The published firms (no draft), sorted by slug.
    pub published: Vec<std::sync::Arc<Firm>>,
    /// The firms with drafts, sorted by slug.
    pub with_drafts: Vec<std::sync::Arc<Firm>>,
}

/// [`EventWorld`], made once per process.
pub fn event_world() -> &'static EventWorld {
    static W: OnceLock<EventWorld> = OnceLock::new();
    W.get_or_init(|| {
        let site = SourceFile::new("site.yaml", "title: T\nbase_url: https://uji.example\npartners:\n  per_firm: 3\n");
        let (config, diags) = config::parse(&site);
        let config = config.unwrap_or_else(|| panic!("fixture site.yaml: {diags:?}"));
        let mut loaded = Loaded::default();
        let mut with_drafts = Vec::new();
        for (slug, profile) in EVENT_FIRMS {
            let raw = RawFirm {
                slug: slug.to_string(),
                profile: Some(SourceFile::new(format!("content/firms/{slug}/profile.yaml"), profile)),
                ..Default::default()
            };
            let (firm, diags) = validate::validate_firm(&raw, firm_vocabulary(), "", &options(fixture_root(), true));
            assert!(!check::has_error(&diags), "fixture firm {slug}: {diags:?}");
            with_drafts.extend(firm.map(std::sync::Arc::new));
            loaded.firms.insert(slug.to_string(), raw);
        }
        let published = with_drafts.iter().filter(|f| !f.draft).cloned().collect();
        EventWorld { config, loaded, published, with_drafts }
    })
}

/// Event slugs the target uses.
pub const EVENT_SLUGS: &[&str] = &["temu-2027", "a"];

/// The files of one event, for [`event`].
pub fn raw_event(data: &[u8]) -> Option<(String, RawEvent)> {
    let mut raw = RawEvent::default();
    let slug;
    match input(data) {
        Input::Raw(text) => {
            // <slug>.yaml, <slug>.md, <slug>.en.md
            slug = EVENT_SLUGS[0].to_string();
            let parts = files(&text);
            let f = |i: usize, rel: &str| parts.get(i).map(|t| SourceFile::new(format!("content/events/{rel}"), t));
            raw.file = f(0, "temu-2027.yaml");
            raw.text.main = f(1, "temu-2027.md");
            if let Some(t) = f(2, "temu-2027.en.md") {
                raw.text.translations.insert(Lang::En, t);
            }
        }
        Input::Structured(mut u) => {
            let u = &mut u;
            slug = pick(u, EVENT_SLUGS).to_string();
            if !(content::odd(u) && one_in(u, 10)) {
                let node = content::event(u).ok()?;
                raw.file = Some(SourceFile::new(format!("content/events/{slug}.yaml"), &yaml_text(u, &node)));
            }
            if one_in(u, 2) {
                // Front matter in an event's .md is a mistake (the fields
                // are in the .yaml).
                let front = if content::odd(u) && one_in(u, 4) { Some(content::page(u, false).ok()?) } else { None };
                let text = markdown_file(u, front.as_ref());
                raw.text.main = Some(SourceFile::new(format!("content/events/{slug}.md"), &text));
            }
            if one_in(u, 3) {
                let text = markdown_file(u, None);
                raw.text.translations.insert(Lang::En, SourceFile::new(format!("content/events/{slug}.en.md"), &text));
            }
        }
    }
    Some((slug, raw))
}

/// Target `event`: `gotong::events::read` on an event file and its
/// descriptions, then the references check against [`EVENT_FIRMS`] and, for
/// an event without errors, the timetable (`gotong::meetings::timetable`),
/// checked against every rule of SPEC 10.
pub fn event(data: &[u8]) {
    let Some((slug, raw)) = raw_event(data) else { return };
    let drafts = data.len() % 2 == 0;
    let files: Vec<&SourceFile> =
        raw.file.iter().chain(raw.text.main.iter()).chain(raw.text.translations.values()).collect();
    show_files(&files);
    let gotong::events::Read { event, references, diags } = gotong::events::read(&slug, &raw);
    check::diagnostics(&diags, &files);
    for d in &diags {
        assert!(files.iter().any(|f| f.path == d.path), "diagnostic outside the event's files: {d:?}");
    }
    if show() {
        eprintln!("=> event: {}", event.is_some());
        for d in &diags {
            eprint!("{}", gotong::diagnostics::render_human(d));
        }
    }
    let Some(event) = event else {
        assert!(check::has_error(&diags), "no event and no error: {diags:?}");
        return;
    };
    assert!(!check::has_error(&diags), "an event from files with errors: {diags:?}");
    let Some(file) = raw.file.as_ref() else { panic!("an event without its .yaml") };
    check_event(&event, &slug, file);
    check::html(&event.description.id, raw.text.main.as_ref(), "");
    for (lang, h) in &event.description.other {
        check::html(h, raw.text.translations.get(lang), "");
    }

    // References, as the build checks them.
    let w = event_world();
    let mut loaded = w.loaded.clone();
    loaded.events.insert(slug.clone(), raw.clone());
    let firms = if drafts { &w.with_drafts } else { &w.published };
    let mut refs = Vec::new();
    let valid: std::collections::BTreeSet<String> = w.with_drafts.iter().map(|f| f.slug.clone()).collect();
    let events = validate::publishable_events(
        vec![event.clone()],
        references.as_slice(),
        firms,
        &valid,
        &loaded,
        drafts,
        &mut refs,
    );
    check::diagnostics(&refs, &files);
    for d in &refs {
        assert_eq!(d.path, file.path, "reference problem outside the event file: {d:?}");
    }
    if show() {
        for d in &refs {
            eprint!("{}", gotong::diagnostics::render_human(d));
        }
    }
    assert_eq!(events.len(), usize::from(drafts || !event.draft));
    if check::has_error(&refs) || events.is_empty() {
        return;
    }

    let site = Site {
        config: w.config.clone(),
        vocabulary: firm_vocabulary().clone(),
        home: Default::default(),
        pages: Vec::new(),
        firms: firms.clone(),
        events,
        today: gotong::model::Date { year: 2026, month: 12, day: 1 },
    };
    let partners = gotong::partners::suggest_all(&site);
    let t = gotong::meetings::timetable(&site, &partners, &site.events[0]);
    check_timetable(&site, &partners, &site.events[0], &t);
    let again = gotong::meetings::timetable(&site, &partners, &site.events[0]);
    assert!(again == t, "the same event gave two timetables");
}

fn check_event(e: &Event, slug: &str, file: &SourceFile) {
    assert_eq!(e.slug, slug);
    assert_eq!(e.source, file.path);
    for t in std::iter::once(&e.name.id).chain(e.name.other.values()) {
        assert!(!t.is_empty() && t.trim() == t, "name {t:?}");
    }
    assert!(!e.venue.is_empty() && e.venue.trim() == e.venue, "venue {:?}", e.venue);
    assert!(gotong::model::Date::parse(&e.date.iso()) == Some(e.date), "date {:?}", e.date);
    assert!(gotong::events::MEETING_MINUTES.contains(&i64::from(e.meeting_minutes)), "{e:?}");
    assert!(gotong::events::BREAK_MINUTES.contains(&i64::from(e.break_minutes)), "{e:?}");
    assert!((1..=gotong::events::MAX_TABLES).contains(&i64::from(e.tables)), "{e:?}");
    assert!(!e.sessions.is_empty(), "an event without sessions: {e:?}");
    for s in &e.sessions {
        assert!(s.start < s.end && s.end.0 <= 24 * 60, "session {s:?}");
        assert!(s.end.0 - s.start.0 >= e.meeting_minutes, "a session too short for a meeting: {s:?} in {e:?}");
    }
    for w in e.sessions.windows(2) {
        assert!(w[0].end <= w[1].start, "sessions overlap or are out of order: {:?}", e.sessions);
    }
    // Slots: whole meetings inside their session, in time order, one step
    // (meeting and pause) apart within a session.
    let slots = e.slots();
    assert_eq!(slots.len() as u32, e.slots_per_session().iter().sum::<u32>());
    assert!(e.slots_per_session().iter().all(|&n| n >= 1), "a session without a slot: {e:?}");
    for &(i, start, end) in &slots {
        let s = &e.sessions[i];
        assert_eq!(end.0 - start.0, e.meeting_minutes);
        assert!(s.start <= start && end <= s.end, "slot {start:?}–{end:?} outside session {s:?}");
    }
    for w in slots.windows(2) {
        assert!(w[0].2 <= w[1].1, "slots overlap: {w:?}");
        if w[0].0 == w[1].0 {
            assert_eq!(w[1].1.0 - w[0].1.0, e.meeting_minutes + e.break_minutes, "{w:?}");
        }
    }
    if let Some(c) = e.max_meetings_per_firm {
        assert!(c >= 1 && c as usize <= slots.len(), "cap {c} for {} slots", slots.len());
    }
    if let Some(o) = &e.organizer {
        assert!(is_slug(o), "organizer {o:?}");
    }
    if let gotong::model::Participants::Slugs(list) = &e.participants {
        let set: BTreeSet<&String> = list.iter().collect();
        assert_eq!(set.len(), list.len(), "participants named twice: {list:?}");
        assert!(list.iter().all(|s| is_slug(s)), "{list:?}");
    }
    for list in [&e.requests, &e.avoid] {
        let mut seen = BTreeSet::new();
        for p in list {
            assert!(is_slug(&p.a) && is_slug(&p.b) && p.a < p.b, "pair {p:?}");
            assert!(seen.insert((&p.a, &p.b)), "pair named twice: {p:?}");
            let Some(at) = &p.at else { panic!("a pair without its place: {p:?}") };
            let line = file.text.lines().nth(at.line - 1);
            assert_eq!(line.map(str::trim_end), Some(at.source_line.as_str()), "pair {p:?}");
            assert!(at.column >= 1 && at.column <= at.source_line.chars().count() + 1, "pair {p:?}");
        }
    }
    for r in &e.requests {
        assert!(!e.avoid.iter().any(|a| (&a.a, &a.b) == (&r.a, &r.b)), "{r:?} requested and avoided");
    }
}

/// The rules of SPEC 10 that a schedule must hold, whatever the input.
fn check_timetable(
    site: &Site,
    partners: &[Vec<gotong::partners::Suggestion>],
    e: &Event,
    t: &gotong::meetings::Timetable,
) {
    let slug = |f: usize| site.firms[f].slug.as_str();
    // Participants: the published firms the event takes, sorted.
    let want: Vec<usize> =
        (0..site.firms.len()).filter(|&f| !site.firms[f].draft && e.participants.includes(&site.firms[f])).collect();
    assert_eq!(t.participants, want);
    let slots: Vec<(usize, gotong::model::Time, gotong::model::Time)> =
        t.slots.iter().map(|s| (s.session, s.start, s.end)).collect();
    assert_eq!(slots, e.slots());
    let cap = e.max_meetings_per_firm.unwrap_or(slots.len() as u32) as usize;
    let suggests = |f: usize, g: usize| partners[f].iter().any(|s| s.partner == g);
    let is_pair = |list: &[gotong::model::SlugPair], a: &str, b: &str| {
        let (a, b) = if a < b { (a, b) } else { (b, a) };
        list.iter().any(|p| p.a == a && p.b == b)
    };
    let mut per_slot: std::collections::BTreeMap<usize, (BTreeSet<usize>, BTreeSet<u32>)> = Default::default();
    let mut count = vec![0usize; site.firms.len()];
    let mut pairs = BTreeSet::new();
    for m in &t.meetings {
        assert!(m.slot < t.slots.len(), "{m:?}");
        assert!(m.table >= 1 && m.table <= e.tables, "table {} of {}: {m:?}", m.table, e.tables);
        assert!(m.a != m.b, "a firm meets itself: {m:?}");
        assert!(slug(m.a) < slug(m.b), "{m:?}");
        assert!(
            t.participant(m.a).is_some() && t.participant(m.b).is_some(),
            "a meeting with a non-participant: {m:?}"
        );
        let requested = is_pair(&e.requests, slug(m.a), slug(m.b));
        assert_eq!(m.requested, requested, "{m:?}");
        assert!(requested || !is_pair(&e.avoid, slug(m.a), slug(m.b)), "an avoided pair meets: {m:?}");
        assert!(requested || suggests(m.a, m.b) || suggests(m.b, m.a), "a pair neither suggests nor requested: {m:?}");
        let (fa, fb) = (&site.firms[m.a], &site.firms[m.b]);
        let linked = fa.partners.contains(&fb.slug)
            || fb.partners.contains(&fa.slug)
            || fa.exclude_partners.contains(&fb.slug)
            || fb.exclude_partners.contains(&fa.slug);
        assert!(requested || !linked, "existing or excluded partners meet: {m:?}");
        assert_eq!(m.mutual, suggests(m.a, m.b) && suggests(m.b, m.a), "{m:?}");
        assert!(pairs.insert((m.a, m.b)), "a pair meets twice: {m:?}");
        let (firms, tables) = per_slot.entry(m.slot).or_default();
        assert!(firms.insert(m.a) && firms.insert(m.b), "a firm in two meetings at slot {}", m.slot);
        assert!(tables.insert(m.table), "two meetings at table {} in slot {}", m.table, m.slot);
        count[m.a] += 1;
        count[m.b] += 1;
    }
    assert!(count.iter().all(|&n| n <= cap), "more than {cap} meetings for a firm: {count:?}");
    assert!(t.meetings.windows(2).all(|w| (w[0].slot, w[0].table) < (w[1].slot, w[1].table)));
    // Every request is met or said to be unmet.
    for (i, r) in e.requests.iter().enumerate() {
        let met = t.meetings.iter().any(|m| {
            let (a, b) = (slug(m.a), slug(m.b));
            (a, b) == (r.a.as_str(), r.b.as_str())
        });
        let unmet = t.unmet.iter().any(|u| u.request == i);
        assert!(met != unmet, "request {r:?}: met {met}, reported unmet {unmet}");
    }
    for u in &t.unmet {
        assert!(u.request < e.requests.len() && !u.why.is_empty(), "{u:?}");
    }
    // Agendas: each participant's meetings, in time order.
    assert_eq!(t.agendas.len(), t.participants.len());
    for (k, agenda) in t.agendas.iter().enumerate() {
        let f = t.participants[k];
        let want: Vec<usize> =
            (0..t.meetings.len()).filter(|&i| t.meetings[i].a == f || t.meetings[i].b == f).collect();
        assert_eq!(agenda, &want, "agenda of {}", slug(f));
    }
}
