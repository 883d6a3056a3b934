//! Stage 2, validate: turn the loaded files into the typed [`Site`] model,
//! checking every field of SPEC sections 2–5 and collecting every problem.
//!
//! Firms are validated in parallel; each returns its diagnostics, which the
//! caller sorts, so the report does not depend on thread timing.

use std::path::Path;

use image::metadata::Orientation;
use rayon::prelude::*;

use crate::config::{self, SiteConfig};
use crate::diagnostics::Diagnostic;
use crate::fields::{self, contact as C, product as P, profile as F};
use crate::load::{Loaded, RawDoc, RawFirm};
use crate::markdown;
use crate::model::*;
use crate::source::{Doc, Need, Obj, SourceFile};
use crate::vocabulary::{self, Vocabulary};
use crate::yaml::{Mapping, Seg, Value};

/// What the validation needs to know besides the files.
#[derive(Debug, Clone)]
pub struct Options<'a> {
    /// The site root, to read image headers.
    pub root: &'a Path,
    /// Keep drafts (`--drafts`).
    pub drafts: bool,
    /// Today, for the site (upper bound of `founded`; what events are
    /// upcoming): see [`Date::build_day`].
    pub today: Date,
    /// Replaces site.yaml's `base_url` (`--base-url`, the preview server),
    /// before links to firm files are made from it.
    pub base_url: Option<String>,
}

/// Longest summary, in characters.
pub const SUMMARY_MAX: usize = fields::profile::SUMMARY_MAX;

/// The site-wide parts of a site: `site.yaml`, the vocabulary, the home
/// page text, the free pages and the events, with the problems found in
/// them.
#[derive(Debug, Clone)]
pub struct Globals {
    /// site.yaml, when usable.
    pub config: Option<SiteConfig>,
    /// The vocabulary (empty when the site has none).
    pub vocabulary: Vocabulary,
    /// Home page text.
    pub home: Home,
    /// Free pages (drafts included).
    pub pages: Vec<Page>,
    /// Business meetings (drafts included), sorted by slug.
    pub events: Vec<Event>,
    /// What every event file names, those with errors and drafts
    /// included, sorted by slug.
    pub event_references: Vec<crate::events::References>,
    /// Problems found in these files and, for a full load, while walking.
    pub diags: Vec<Diagnostic>,
}

impl Globals {
    /// The path part of the base URL, prefixed to firm asset links.
    pub fn base_path(&self) -> String {
        self.config.as_ref().map(|c| base_path(&c.base_url)).unwrap_or_default()
    }
}

/// Validates the site-wide files.
pub fn validate_globals(loaded: &Loaded) -> Globals {
    let mut diags = loaded.diags.clone();
    let config = loaded.config.as_ref().and_then(|f| {
        let (c, d) = config::parse(f);
        diags.extend(d);
        c
    });
    let vocabulary = match &loaded.vocabulary {
        Some(f) => {
            let (v, d) = vocabulary::parse(f);
            diags.extend(d);
            v
        }
        None => Vocabulary::default(),
    };
    let home = validate_home(&loaded.home, &mut diags);
    let pages = loaded.pages.iter().filter_map(|(slug, raw)| validate_page(slug, raw, &mut diags)).collect();
    let (events, event_references, d) = crate::events::read_all(loaded);
    diags.extend(d);
    Globals { config, vocabulary, home, pages, events, event_references, diags }
}

/// Validates everything. The site is returned when `site.yaml` is usable,
/// with whatever content validated (the caller decides whether errors stop
/// the build).
pub fn validate(loaded: &Loaded, opts: &Options<'_>) -> (Option<Site>, Vec<Diagnostic>) {
    let mut globals = validate_globals(loaded);
    if let (Some(c), Some(url)) = (&mut globals.config, &opts.base_url) {
        c.base_url = url.trim_end_matches('/').to_string();
    }
    let base_path = globals.base_path();
    let results: Vec<(Option<Firm>, Vec<Diagnostic>)> = loaded
        .firms
        .values()
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|raw| validate_firm(raw, &globals.vocabulary, &base_path, opts))
        .collect();
    let mut firms = Vec::with_capacity(results.len());
    let mut diags = Vec::new();
    for (firm, d) in results {
        diags.extend(d);
        firms.extend(firm);
    }
    assemble(globals, firms, diags, loaded, opts)
}

/// Puts validated parts together: checks references between firms, drops
/// drafts (unless asked for), orders the pages. `firms` must be sorted by
/// slug; `diags` holds the firms' own problems.
pub fn assemble(
    globals: Globals,
    firms: Vec<Firm>,
    mut diags: Vec<Diagnostic>,
    loaded: &Loaded,
    opts: &Options<'_>,
) -> (Option<Site>, Vec<Diagnostic>) {
    let Globals { config, vocabulary, home, pages, events, event_references, diags: global_diags } = globals;
    diags.extend(global_diags);
    check_references(&firms, loaded, &mut diags);
    let valid: std::collections::BTreeSet<String> = firms.iter().map(|f| f.slug.clone()).collect();
    let base_url = config.as_ref().map(|c| c.base_url.clone()).unwrap_or_default();
    let firms: Vec<std::sync::Arc<Firm>> =
        firms.into_iter().filter_map(|f| publishable(f, opts.drafts, &base_url)).map(std::sync::Arc::new).collect();
    let pages = publishable_pages(pages, opts.drafts, &mut diags);
    let events = publishable_events(events, &event_references, &firms, &valid, loaded, opts.drafts, &mut diags);
    let site = config.map(|config| Site { config, vocabulary, home, pages, firms, events, today: opts.today });
    (site, diags)
}

/// A firm as the site shows it: `None` for a draft (unless building with
/// drafts), draft products removed, and with them the files of the firm's
/// folder that only draft products use (see [`draft_only_files`]).
/// `base_url` is the site's, against which the texts' links resolve.
pub fn publishable(mut f: Firm, drafts: bool, base_url: &str) -> Option<Firm> {
    if drafts {
        return Some(f);
    }
    if f.draft {
        return None;
    }
    let (hidden, shown): (Vec<Product>, Vec<Product>) =
        std::mem::take(&mut f.products).into_iter().partition(|p| p.draft);
    f.products = shown;
    if !hidden.is_empty() {
        let withheld = draft_only_files(&f, &hidden, base_url);
        f.assets.retain(|a| !withheld.contains(a));
    }
    Some(f)
}

/// Files of the firm's folder that draft products use (their `images`, and
/// what their texts link to or show) and that nothing published by the
/// firm uses: not its logo or photos, not a published product's images,
/// not a link in `index.md` or a published product's text (any language).
/// They are the drafts' content, and are published only with `--drafts`;
/// files that nothing uses are published as before.
fn draft_only_files(f: &Firm, drafts: &[Product], base_url: &str) -> std::collections::BTreeSet<String> {
    use std::collections::BTreeSet;
    let known = std::collections::HashSet::new();
    let checker = crate::links::Checker::new(&known, base_url);
    let folder = format!("usaha/{}/", f.slug);
    let page = format!("/{folder}");
    let linked = |body: &Translated<Html>| -> Vec<String> {
        std::iter::once(&body.id)
            .chain(body.other.values())
            .flat_map(|h| h.links.iter())
            .filter_map(|l| checker.target(&l.url, &page).ok().flatten())
            .filter_map(|(path, _)| path.strip_prefix(&folder).map(str::to_string))
            .collect()
    };
    let uses = |ps: &mut dyn Iterator<Item = &Product>| -> BTreeSet<String> {
        ps.flat_map(|p| p.images.iter().map(|i| i.path.clone()).chain(linked(&p.body))).collect()
    };
    let mut published = uses(&mut f.products.iter());
    published.extend(f.logo.iter().chain(&f.photos).map(|i| i.path.clone()));
    published.extend(linked(&f.description));
    uses(&mut drafts.iter()).into_iter().filter(|a| !published.contains(a) && f.assets.contains(a)).collect()
}

/// Free pages as the site shows them: drafts removed (unless building
/// with drafts), ordered by weight then slug; slugs the catalogue uses are
/// errors.
pub fn publishable_pages(mut pages: Vec<Page>, drafts: bool, diags: &mut Vec<Diagnostic>) -> Vec<Page> {
    for p in &pages {
        if RESERVED_PATHS.contains(&p.slug.as_str()) {
            diags.push(Diagnostic::error(
                &p.source,
                format!("the page slug `{}` is used by the catalogue itself; rename the file", p.slug),
            ));
        }
    }
    if !drafts {
        pages.retain(|p| !p.draft);
    }
    pages.sort_by(|a, b| (a.weight, &a.slug).cmp(&(b.weight, &b.slug)));
    pages
}

/// Events as the site shows them, drafts removed (unless building with
/// drafts); what every event file names (`references`, drafts and those
/// with errors included) is checked against the firms. `firms` are the published
/// firms, `valid` the slugs of every firm that validated (drafts
/// included): a firm whose profile has errors is not blamed again at the
/// event that names it.
pub fn publishable_events(
    mut events: Vec<Event>,
    references: &[crate::events::References],
    firms: &[std::sync::Arc<Firm>],
    valid: &std::collections::BTreeSet<String>,
    loaded: &Loaded,
    drafts: bool,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Event> {
    if !drafts {
        events.retain(|e| !e.draft);
    }
    // A draft event is checked too: its own fields already are, and a
    // misspelt firm should not wait for the day it is published.
    crate::events::check_references(references, firms, valid, loaded, diags);
    events
}

/// First path segments the theme writes to; free pages cannot use them.
pub const RESERVED_PATHS: &[&str] =
    &["usaha", "sektor", "kecamatan", "skala", "kategori", "cari", "data", "en", "id", "static", "pagefind", "temu"];

/// The path part of a base URL (`https://x.go.id/katalog` → `/katalog`).
pub fn base_path(base_url: &str) -> String {
    let rest = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    match rest.find('/') {
        Some(i) => rest[i..].trim_end_matches('/').to_string(),
        None => String::new(),
    }
}

fn validate_home(raw: &RawDoc, diags: &mut Vec<Diagnostic>) -> Home {
    let mut home = Home::default();
    if let Some(file) = &raw.main {
        let (fields, body, line) = read_markdown(file, &fields::keys(fields::home::FIELDS), false, diags);
        home.title = Translated::new(fields.title);
        home.description = Translated::new(fields.description);
        home.body = Translated::new(markdown::render_file(file, body, line, ""));
    }
    for (lang, file) in &raw.translations {
        let (fields, body, line) = read_markdown(file, &fields::keys(fields::home::FIELDS), false, diags);
        home.title.other.insert(*lang, fields.title);
        home.description.other.insert(*lang, fields.description);
        home.body.other.insert(*lang, markdown::render_file(file, body, line, ""));
    }
    home
}

fn validate_page(slug: &str, raw: &RawDoc, diags: &mut Vec<Diagnostic>) -> Option<Page> {
    let Some(file) = &raw.main else {
        for f in raw.translations.values() {
            diags.push(Diagnostic::error(
                &f.path,
                format!("translation without the page itself: add `content/pages/{slug}.md`"),
            ));
        }
        return None;
    };
    let (fields, body, line) = read_markdown(file, &fields::keys(fields::page::FIELDS), true, diags);
    let title = fields.title.clone()?;
    let mut page = Page {
        slug: slug.to_string(),
        title: Translated::new(title),
        description: Translated::new(fields.description),
        weight: fields.weight,
        draft: fields.draft,
        body: Translated::new(markdown::render_file(file, body, line, "")),
        updated: None,
        source: file.path.clone(),
    };
    for (lang, f) in &raw.translations {
        let (tr, body, line) = read_markdown(f, &fields::keys(fields::page::TRANSLATED), false, diags);
        if let Some(t) = tr.title {
            page.title.other.insert(*lang, t);
        }
        page.description.other.insert(*lang, tr.description);
        page.body.other.insert(*lang, markdown::render_file(f, body, line, ""));
    }
    Some(page)
}

/// Front matter fields shared by pages and the home page.
#[derive(Default)]
struct PageFields {
    title: Option<String>,
    description: Option<String>,
    weight: i64,
    draft: bool,
}

/// Reads a Markdown file's front matter; returns the fields, the body and
/// the line the body starts on.
fn read_markdown<'f>(
    file: &'f SourceFile,
    keys: &[&str],
    title_required: bool,
    diags: &mut Vec<Diagnostic>,
) -> (PageFields, &'f str, usize) {
    let fm = file.split_front_matter();
    let mut fields = PageFields::default();
    if fm.unclosed {
        diags
            .push(Diagnostic::error(&file.path, "front matter opened with `---` is never closed").at(&file.text, 1, 1));
        return (fields, "", 1);
    }
    let Some(yaml) = fm.yaml else {
        if title_required {
            diags.push(
                Diagnostic::error(
                    &file.path,
                    "missing front matter: start the file with `---`, a `title:` line and `---`",
                )
                .at(&file.text, 1, 1),
            );
        }
        return (fields, fm.body, fm.body_line);
    };
    let mut doc = Doc::part(file, yaml, fm.yaml_line);
    if let Some(v) = doc.parse() {
        let empty = Mapping::new();
        if let Some(map) = doc.root(&v, &empty) {
            let obj = Obj { map, path: &[] };
            doc.check_keys(obj, keys);
            let need = if title_required { Need::Required } else { Need::Optional };
            if keys.contains(&"title") {
                fields.title = doc.string(obj, "title", need);
            }
            fields.description = doc.string(obj, "description", Need::Optional);
            if keys.contains(&"weight") {
                fields.weight = doc.int(obj, "weight", Need::Optional, -1_000_000..=1_000_000).unwrap_or(0);
            }
            if keys.contains(&"draft") {
                fields.draft = doc.bool(obj, "draft");
            }
        }
    }
    diags.extend(doc.diags);
    (fields, fm.body, fm.body_line)
}

/// Reads a list of vocabulary tags: folds synonyms, warns about unknown
/// tags (suggesting the nearest), drops duplicates.
/// Whether a tag is one line without `;` (which separates the tags of a
/// cell of data/katalog.csv); reports it when not.
fn tag_ok(doc: &mut Doc<'_>, path: &[crate::yaml::Seg], word: &str) -> bool {
    if let Some(why) = fields::line_break(word) {
        doc.error(path, format!("tag `{}` must be one line: {why}", word.escape_debug()));
        return false;
    }
    if word.contains(';') {
        doc.error(
            path,
            format!("tag `{word}` holds `;`, which separates tags in data/katalog.csv: write each tag as its own item"),
        );
        return false;
    }
    true
}

fn read_tags(doc: &mut Doc<'_>, obj: Obj<'_>, key: &str, vocab: &Vocabulary) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (path, word) in doc.list(obj, key) {
        if !tag_ok(doc, &path, &word) {
            continue;
        }
        let tag = vocab.fold(&word).to_string();
        if vocab.present && !vocab.knows(&tag) {
            let hint = match vocab.nearest(&tag) {
                Some(n) => format!("; did you mean `{n}`?"),
                None => String::new(),
            };
            doc.warning(&path, format!("tag `{word}` is not in content/vocabulary.yaml{hint}"));
        }
        if !out.contains(&tag) {
            out.push(tag);
        }
    }
    out
}

fn read_images(doc: &mut Doc<'_>, obj: Obj<'_>, key: &str, firm: &RawFirm, opts: &Options<'_>) -> Vec<ImageRef> {
    let mut out = Vec::new();
    for (path, name) in doc.list(obj, key) {
        if let Some(img) = check_image(doc, &path, &name, firm, opts) {
            out.push(img);
        }
    }
    out
}

/// Checks an image reference: a relative path inside the firm's folder,
/// to a file that exists and is a PNG, JPEG or WebP image.
fn check_image(doc: &mut Doc<'_>, path: &[Seg], name: &str, firm: &RawFirm, opts: &Options<'_>) -> Option<ImageRef> {
    let clean = name.trim_start_matches("./");
    if !fields::Format::ImagePath.accepts(name) {
        let why = match fields::image_name_bad_char(name) {
            Some(c) => format!(
                "its name holds {c:?}: rename the file without spaces or any of # % ? , \" < > (a page would have to escape them)"
            ),
            None => "it must be a path inside the firm's folder (no `..`, no absolute paths)".to_string(),
        };
        doc.error(path, format!("image `{}`: {why}", name.escape_debug()));
        return None;
    }
    if !firm.assets.contains(clean) {
        let hint = match crate::source::nearest(clean, firm.assets.iter().map(String::as_str)) {
            Some(n) => format!("; did you mean `{n}`?"),
            None => String::new(),
        };
        doc.error(path, format!("image `{name}` not found in content/firms/{}/{hint}", firm.slug));
        return None;
    }
    let file = opts.root.join("content/firms").join(&firm.slug).join(clean);
    match image_size(&file) {
        Ok((width, height, orientation)) => Some(ImageRef {
            path: clean.to_string(),
            width,
            height,
            orientation,
            source: doc.file().path.clone(),
            field: path.to_vec(),
        }),
        Err(why) => {
            doc.error(path, format!("image `{name}` cannot be used: {why}"));
            None
        }
    }
}

/// Reads the dimensions of a PNG, JPEG or WebP image from its header.
pub fn image_size(file: &Path) -> Result<(u32, u32, Orientation), String> {
    let reader =
        image::ImageReader::open(file).map_err(|e| e.to_string())?.with_guessed_format().map_err(|e| e.to_string())?;
    match reader.format() {
        Some(image::ImageFormat::Png | image::ImageFormat::Jpeg | image::ImageFormat::WebP) => {}
        _ => return Err("not a PNG, JPEG or WebP image".into()),
    }
    let unreadable = |e: image::ImageError| format!("not a readable image ({e})");
    let mut decoder = reader.into_decoder().map_err(unreadable)?;
    let (w, h) = image::ImageDecoder::dimensions(&decoder);
    if w == 0 || h == 0 || w > 20_000 || h > 20_000 {
        return Err(format!("unusual size {w}×{h}"));
    }
    let orientation = image::ImageDecoder::orientation(&mut decoder).map_err(unreadable)?;
    let (w, h) = if turns_sideways(orientation) { (h, w) } else { (w, h) };
    Ok((w, h, orientation))
}

/// Whether an orientation swaps width and height (a quarter turn).
pub fn turns_sideways(o: Orientation) -> bool {
    matches!(
        o,
        Orientation::Rotate90 | Orientation::Rotate270 | Orientation::Rotate90FlipH | Orientation::Rotate270FlipH
    )
}

fn check_contact(doc: &mut Doc<'_>, obj: Obj<'_>) -> Contact {
    let mut c = Contact::default();
    let Some(map) = doc.object(obj, "contact") else {
        return c;
    };
    let path = Doc::field_path(obj, "contact");
    let cobj = Obj { map, path: &path };
    doc.check_fields(cobj, C::FIELDS);
    let at = |k: &str| Doc::field_path(cobj, k);
    // Each field's format is defined in `fields` (the schema's patterns
    // come from the same definitions); the messages are the validator's.
    match doc.formatted(cobj, &C::PHONE) {
        Some(Ok(p)) => c.phone = Some(p),
        Some(Err(p)) => {
            doc.error(&at("phone"), format!("`phone` must be a phone number (digits, spaces, + - ( ) .), found `{p}`"))
        }
        None => {}
    }
    match doc.formatted(cobj, &C::WHATSAPP) {
        Some(Ok(w)) => c.whatsapp = fields::whatsapp_digits(&w),
        Some(Err(w)) => doc.error(
            &at("whatsapp"),
            format!("`whatsapp` must be digits with an optional leading + (8 to 15 digits), found `{w}`"),
        ),
        None => {}
    }
    match doc.formatted(cobj, &C::EMAIL) {
        Some(Ok(e)) => c.email = Some(e),
        Some(Err(e)) => doc.error(&at("email"), format!("`email` is not an e-mail address: `{e}`")),
        None => {}
    }
    match doc.formatted(cobj, &C::WEBSITE) {
        Some(Ok(u)) => c.website = Some(u),
        Some(Err(u)) => doc.error(&at("website"), format!("`website` must be an http or https URL, found `{u}`")),
        None => {}
    }
    match doc.formatted(cobj, &C::INSTAGRAM) {
        Some(Ok(i)) => c.instagram = Some(i),
        Some(Err(i)) if i.starts_with('@') => {
            doc.error(&at("instagram"), format!("write the Instagram handle without `@`: `{}`", &i[1..]))
        }
        Some(Err(i)) => {
            doc.error(
                &at("instagram"),
                format!("`instagram` must be a handle (letters, digits, `.` and `_`), found `{i}`"),
            );
        }
        None => {}
    }
    c
}

/// A deliberately simple e-mail check: one `@`, a dotted domain, no spaces
/// or characters that would break a `mailto:` link.
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let ok = |p: &str| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || "._%+-".contains(c));
    ok(local)
        && ok(domain)
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
}

/// The only file types published from a firm folder: images, documents,
/// archives, audio and video, which browsers show or download but never
/// run as a document of the site's own origin (where `/admin/` and the
/// preview's API live). Anything else, a type the MIME table maps to HTML
/// or XML (`.hxt`, `.xsd`, `.rdf`, `.config` …) included, is refused: an
/// allow-list, since no deny-list keeps up with that table.
const PUBLISHED_TYPES: &[&str] = &[
    "png", "jpg", "jpeg", "webp", "gif", "avif", "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods",
    "odp", "rtf", "csv", "txt", "md", "zip", "mp3", "m4a", "mp4", "webm", "ogg",
];

/// The folders and files gotong writes itself under `/usaha/<firm>/`.
const GENERATED_IN_FIRM: &[&str] = &["index.html", "mitra", "produk", "profil", "proposal", "proposal.docx"];

/// Whether a file of a firm folder (its path inside the folder) may be
/// published beside the firm's page: one of [`PUBLISHED_TYPES`], not a
/// path that a generated page or a resized image copy takes.
pub fn asset_allowed(name: &str) -> Result<(), String> {
    let file = name.rsplit('/').next().unwrap_or(name);
    let ext = file.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    if !PUBLISHED_TYPES.contains(&ext.as_str()) {
        let what = if ext.is_empty() { "a file without an extension".to_string() } else { format!("a `.{ext}` file") };
        return Err(format!(
            "{what} in a firm folder is not published: a browser might run it as a live web document on the site's own \
             address. Firm folders may hold images (PNG, JPEG, WebP, GIF, AVIF), documents (PDF, Word, Excel, \
             PowerPoint, OpenDocument, RTF, CSV, text), ZIP archives, audio and video (MP3, M4A, MP4, WebM, Ogg): \
             remove it, convert it, or zip it"
        ));
    }
    let first = name.split('/').next().unwrap_or(name);
    if GENERATED_IN_FIRM.iter().any(|g| first.eq_ignore_ascii_case(g)) {
        return Err(format!(
            "`{first}` is a name gotong uses for the firm's own pages ({}): rename this file or folder",
            GENERATED_IN_FIRM.join(", ")
        ));
    }
    if let Some((stem, _)) = file.rsplit_once('.')
        && let Some((_, w)) = stem.rsplit_once('.')
        && w.len() > 1
        && w.ends_with('w')
        && w[..w.len() - 1].bytes().all(|b| b.is_ascii_digit())
    {
        return Err(format!(
            "names ending in `.{w}.<ext>` are taken by the resized copies gotong makes of the firm's images: \
             rename this file"
        ));
    }
    Ok(())
}

/// Validates one firm folder: profile, description and products.
pub fn validate_firm(
    raw: &RawFirm,
    vocab: &Vocabulary,
    base_path: &str,
    opts: &Options<'_>,
) -> (Option<Firm>, Vec<Diagnostic>) {
    let mut diags = raw.diags.clone();
    let Some(file) = &raw.profile else {
        let profile = format!("content/firms/{}/profile.yaml", raw.slug);
        if diags.iter().any(|d| d.path == profile) {
            // It is there but could not be read; that is reported already.
            return (None, diags);
        }
        diags.push(Diagnostic::error(
            format!("content/firms/{}/", raw.slug),
            "this firm folder has no profile.yaml: every firm folder needs one (see `gotong new firm`)",
        ));
        return (None, diags);
    };
    let mut doc = Doc::whole(file);
    let firm = read_profile(&mut doc, raw, vocab, opts);
    diags.append(&mut doc.diags);
    for name in &raw.assets {
        if let Err(msg) = asset_allowed(name) {
            diags.push(Diagnostic::error(format!("content/firms/{}/{name}", raw.slug), msg));
        }
    }
    let asset_base = format!("{base_path}/usaha/{}/", raw.slug);

    let mut description = Translated::new(Html::default());
    if let Some(f) = &raw.description.main {
        description.id = description_body(f, &asset_base, &mut diags);
    }
    for (lang, f) in &raw.description.translations {
        if raw.description.main.is_none() {
            diags.push(Diagnostic::error(&f.path, "translation without index.md beside it"));
        }
        description.other.insert(*lang, description_body(f, &asset_base, &mut diags));
    }

    let mut products = Vec::new();
    for (slug, rawp) in &raw.products {
        if let Some(p) = validate_product(slug, rawp, raw, vocab, &asset_base, opts, &mut diags) {
            products.push(p);
        }
    }
    let firm = firm.map(|mut f| {
        for p in &mut products {
            p.updated = f.updated;
        }
        f.description = description;
        f.products = products;
        f
    });
    (firm, diags)
}

fn description_body(f: &SourceFile, base: &str, diags: &mut Vec<Diagnostic>) -> Html {
    let fm = f.split_front_matter();
    if fm.yaml.is_some() || fm.unclosed {
        diags.push(
            Diagnostic::error(&f.path, "index.md holds only Markdown; put profile fields in profile.yaml")
                .at(&f.text, 1, 1),
        );
    }
    markdown::render_file(f, fm.body, fm.body_line, base)
}

fn read_profile(doc: &mut Doc<'_>, raw: &RawFirm, vocab: &Vocabulary, opts: &Options<'_>) -> Option<Firm> {
    let value = doc.parse()?;
    let empty = Mapping::new();
    if matches!(value, Value::Null) {
        doc.error(&[], "profile.yaml is empty: it needs at least name, sector, scale, district and summary");
        return None;
    }
    let map = doc.root(&value, &empty)?;
    let obj = Obj { map, path: &[] };
    let before = doc.diags.len();
    doc.check_fields(obj, F::FIELDS);

    let name = doc.text_field(obj, &F::NAME);
    let name_en = doc.text_field(obj, &F::NAME_EN);
    let kind = doc.choice_field(obj, &F::KIND, F::KIND.need, Kind::parse).unwrap_or(Kind::Ikm);
    // fields::Rule::IndustryFields and fields::Rule::IkmNotBesar.
    let industry_need = if kind.is_industry() { Need::Required } else { Need::Optional };
    let mut sector = doc.choice_field(obj, &F::SECTOR, industry_need, Sector::parse);
    let mut scale = doc.choice_field(obj, &F::SCALE, industry_need, Scale::parse);
    if !kind.is_industry() {
        for (key, present) in [("sector", sector.is_some()), ("scale", scale.is_some())] {
            if present {
                doc.warning(
                    &Doc::field_path(obj, key),
                    format!("`{key}` applies only to kind ikm and industry; it is ignored for kind {kind}"),
                );
            }
        }
        sector = None;
        scale = None;
    }
    if kind == Kind::Ikm && scale == Some(Scale::Besar) {
        doc.error(
            &Doc::field_path(obj, "scale"),
            "an IKM cannot be `besar`: a large firm is `kind: industry` (allowed for ikm: kecil, menengah)",
        );
        scale = None;
    }
    let district = doc
        .choice_field(obj, &F::DISTRICT, F::DISTRICT.need, |s| District::from_name(s).or_else(|| District::parse(s)));
    // fields::Rule::SubdistrictInDistrict.
    let subdistrict = doc.string(obj, F::SUBDISTRICT.key, F::SUBDISTRICT.need).and_then(|s| {
        let d = district?;
        let found = d.subdistricts().iter().find(|k| k.eq_ignore_ascii_case(&s));
        match found {
            Some(k) => Some(k.to_string()),
            None => {
                let other = District::ALL.iter().find(|o| o.subdistricts().iter().any(|k| k.eq_ignore_ascii_case(&s)));
                let why = match other {
                    Some(o) => {
                        format!("kelurahan `{s}` lies in {}, not in {}", o.name(), d.name())
                    }
                    None => format!("`{s}` is not a kelurahan of Kota Cimahi"),
                };
                doc.error(
                    &Doc::field_path(obj, "subdistrict"),
                    format!("{why} (kelurahan of {}: {})", d.name(), d.subdistricts().join(", ")),
                );
                None
            }
        }
    });
    let summary = doc.text_field(obj, &F::SUMMARY);
    let summary_en = doc.text_field(obj, &F::SUMMARY_EN);
    let address = doc.text_field(obj, &F::ADDRESS);
    let founded = doc.int_field(obj, &F::FOUNDED, opts.today.year).map(|y| y as i32);
    let employees = doc.int_field(obj, &F::EMPLOYEES, opts.today.year).map(|n| n as u64);
    let contact = check_contact(doc, obj);
    let certifications = doc.choice_list_field(obj, &F::CERTIFICATIONS, Certification::parse, "certification");
    let markets = doc.choice_list_field(obj, &F::MARKETS, Market::parse, "market");
    let offers = read_tags(doc, obj, F::OFFERS.key, vocab);
    let needs = read_tags(doc, obj, F::NEEDS.key, vocab);
    let cooperation = doc.choice_list_field(obj, &F::COOPERATION, Cooperation::parse, "cooperation mode");
    let mut partner_lists = Vec::new();
    for key in [F::PARTNERS.key, F::EXCLUDE_PARTNERS.key] {
        let mut slugs = Vec::new();
        for (path, s) in doc.list(obj, key) {
            if !is_slug(&s) {
                doc.error(&path, format!("`{s}` is not a firm slug (the folder name under content/firms/)"));
            } else if s == raw.slug {
                doc.error(&path, format!("a firm cannot list itself in `{key}`"));
            } else if !slugs.contains(&s) {
                slugs.push(s);
            }
        }
        partner_lists.push(slugs);
    }
    let exclude_partners = partner_lists.pop().unwrap_or_default();
    let partners = partner_lists.pop().unwrap_or_default();
    let logo = doc.string(obj, F::LOGO.key, F::LOGO.need).and_then(|name| {
        let path = Doc::field_path(obj, F::LOGO.key);
        check_image(doc, &path, &name, raw, opts)
    });
    let photos = read_images(doc, obj, F::PHOTOS.key, raw, opts);
    let updated = doc.text_field(obj, &F::UPDATED).and_then(|s| Date::parse(&s));
    let draft = doc.bool_field(obj, &F::DRAFT);

    if doc.diags[before..].iter().any(|d| d.severity == crate::diagnostics::Severity::Error) {
        return None;
    }
    let mut name = Translated::new(name?);
    if let Some(en) = name_en {
        name.other.insert(Lang::En, en);
    }
    let mut summary = Translated::new(summary?);
    if let Some(en) = summary_en {
        summary.other.insert(Lang::En, en);
    }
    Some(Firm {
        slug: raw.slug.clone(),
        name,
        kind,
        sector,
        scale,
        district: district?,
        subdistrict,
        summary,
        address,
        founded,
        employees,
        contact,
        certifications,
        markets,
        offers,
        needs,
        cooperation,
        partners,
        exclude_partners,
        logo,
        photos,
        updated,
        draft,
        description: Translated::default(),
        products: Vec::new(),
        assets: raw.assets.iter().filter(|a| asset_allowed(a).is_ok()).cloned().collect(),
        source: doc.file().path.clone(),
    })
}

fn validate_product(
    slug: &str,
    raw: &RawDoc,
    firm: &RawFirm,
    vocab: &Vocabulary,
    asset_base: &str,
    opts: &Options<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Product> {
    let Some(file) = &raw.main else {
        for f in raw.translations.values() {
            diags.push(Diagnostic::error(
                &f.path,
                format!("translation without the product itself: add `products/{slug}.md`"),
            ));
        }
        return None;
    };
    let fm = file.split_front_matter();
    if fm.unclosed || fm.yaml.is_none() {
        let msg = if fm.unclosed {
            "front matter opened with `---` is never closed"
        } else {
            "missing front matter: a product starts with `---`, its fields (name, category…), and `---`"
        };
        diags.push(Diagnostic::error(&file.path, msg).at(&file.text, 1, 1));
        return None;
    }
    let mut doc = Doc::part(file, fm.yaml.unwrap_or_default(), fm.yaml_line);
    let product = read_product(&mut doc, slug, firm, vocab, opts, (fm.body, fm.body_line), asset_base);
    diags.append(&mut doc.diags);
    // Translations are checked even when the product itself has errors.
    let mut product = product;
    for (lang, f) in &raw.translations {
        let tfm = f.split_front_matter();
        let mut tdoc = Doc::part(f, tfm.yaml.unwrap_or_default(), tfm.yaml_line);
        if tfm.unclosed {
            tdoc.diags
                .push(Diagnostic::error(&f.path, "front matter opened with `---` is never closed").at(&f.text, 1, 1));
        } else if tfm.yaml.is_some()
            && let Some(v) = tdoc.parse()
        {
            let empty = Mapping::new();
            if let Some(map) = tdoc.root(&v, &empty) {
                let obj = Obj { map, path: &[] };
                for key in map.keys() {
                    let k = crate::source::scalar_text(key).unwrap_or_default();
                    if k != "name" {
                        tdoc.report(
                            crate::diagnostics::Severity::Error,
                            &[Seg::Key(k.clone())],
                            crate::yaml::Target::Key,
                            format!("a translation may only set `name`; `{k}` is shared with products/{slug}.md"),
                        );
                    }
                }
                if let (Some(n), Some(p)) = (tdoc.string(obj, "name", Need::Optional), product.as_mut()) {
                    p.name.other.insert(*lang, n);
                }
            }
        }
        diags.append(&mut tdoc.diags);
        // A translation that only names the product (no text under its
        // front matter) leaves the description to the Indonesian text,
        // marked as untranslated, rather than showing none.
        if let Some(p) = product.as_mut().filter(|_| !tfm.body.trim().is_empty()) {
            p.body.other.insert(*lang, markdown::render_file(f, tfm.body, tfm.body_line, asset_base));
        }
    }
    product
}

fn read_product(
    doc: &mut Doc<'_>,
    slug: &str,
    firm: &RawFirm,
    vocab: &Vocabulary,
    opts: &Options<'_>,
    (body, body_line): (&str, usize),
    asset_base: &str,
) -> Option<Product> {
    let value = doc.parse()?;
    let empty = Mapping::new();
    let map = doc.root(&value, &empty)?;
    let obj = Obj { map, path: &[] };
    let before = doc.diags.len();
    doc.check_fields(obj, P::FIELDS);
    let name = doc.text_field(obj, &P::NAME);
    let category = doc.text_field(obj, &P::CATEGORY);
    let price = read_price(doc, obj);
    let unit = doc.text_field(obj, &P::UNIT);
    let moq = doc.int_field(obj, &P::MOQ, opts.today.year).map(|n| n as u64);
    let capacity = doc.text_field(obj, &P::CAPACITY);
    let materials = read_tags(doc, obj, P::MATERIALS.key, vocab);
    let mut tags: Vec<String> = Vec::new();
    for (path, t) in doc.list(obj, P::TAGS_FIELD.key) {
        if tag_ok(doc, &path, &t) && !tags.contains(&t) {
            tags.push(t);
        }
    }
    let certifications = doc.choice_list_field(obj, &P::CERTIFICATIONS, Certification::parse, "certification");
    let images = read_images(doc, obj, P::IMAGES.key, firm, opts);
    let draft = doc.bool_field(obj, &P::DRAFT);
    if doc.diags[before..].iter().any(|d| d.severity == crate::diagnostics::Severity::Error) {
        return None;
    }
    Some(Product {
        slug: slug.to_string(),
        firm: firm.slug.clone(),
        name: Translated::new(name?),
        category: category?,
        price,
        unit,
        moq,
        capacity,
        materials,
        tags,
        certifications,
        images,
        draft,
        body: Translated::new(markdown::render_file(doc.file(), body, body_line, asset_base)),
        updated: None,
        source: doc.file().path.clone(),
    })
}

fn read_price(doc: &mut Doc<'_>, obj: Obj<'_>) -> Option<Price> {
    let v = obj.map.get(P::PRICE.key)?;
    let path = Doc::field_path(obj, P::PRICE.key);
    let max_price = P::PRICE_MAX;
    match v {
        Value::Null => None,
        Value::Number(_) => {
            doc.int_value(v, &path, "price", 0..=max_price).map(|n| Price { min: n as u64, max: n as u64 })
        }
        Value::Mapping(m) => {
            let pobj = Obj { map: m, path: &path };
            doc.check_fields(pobj, P::PRICE_RANGE);
            let min = doc.int_field(pobj, &P::PRICE_LOW, 0);
            let max = doc.int_field(pobj, &P::PRICE_HIGH, 0);
            match (min, max) {
                (Some(a), Some(b)) if a <= b => Some(Price { min: a as u64, max: b as u64 }),
                (Some(a), Some(b)) => {
                    doc.error(
                        &Doc::field_path(pobj, "max"),
                        format!("`price.max` ({b}) is lower than `price.min` ({a})"),
                    );
                    None
                }
                _ => None,
            }
        }
        other => {
            doc.error(
                &path,
                format!(
                    "`price` must be a whole number of rupiah or {{min: …, max: …}}, found {}",
                    crate::source::kind_of(other)
                ),
            );
            None
        }
    }
}

/// Checks `partners` and `exclude_partners` against the firms that exist.
pub fn check_references<'f>(firms: impl IntoIterator<Item = &'f Firm>, loaded: &Loaded, diags: &mut Vec<Diagnostic>) {
    let valid: std::collections::HashMap<&str, &Firm> = firms.into_iter().map(|f| (f.slug.as_str(), f)).collect();
    for raw in loaded.firms.values() {
        let Some(file) = raw.profile.as_ref() else { continue };
        // A profile with other errors has no Firm: read its lists from the
        // YAML, so that every problem is reported in the same run.
        let parsed: Vec<(&str, Vec<String>)>;
        let lists: Vec<(&str, &[String])> = match valid.get(raw.slug.as_str()) {
            Some(f) => vec![("partners", &f.partners[..]), ("exclude_partners", &f.exclude_partners[..])],
            None => {
                let Ok(v) = crate::yaml::parse(&file.text) else { continue };
                parsed = ["partners", "exclude_partners"]
                    .into_iter()
                    .map(|k| {
                        let items = v
                            .get(k)
                            .and_then(|l| l.as_sequence())
                            .map(|l| l.iter().filter_map(|x| x.as_str()).map(str::to_string).collect())
                            .unwrap_or_default();
                        (k, items)
                    })
                    .collect();
                parsed.iter().map(|(k, v)| (*k, &v[..])).collect()
            }
        };
        let doc = Doc::whole(file);
        for (key, list) in lists {
            for (i, slug) in list.iter().enumerate() {
                if loaded.firms.contains_key(slug) || !is_slug(slug) || *slug == raw.slug {
                    continue;
                }
                let hint = match crate::source::nearest(slug, loaded.firms.keys().map(String::as_str)) {
                    Some(n) => format!("; did you mean `{n}`?"),
                    None => String::new(),
                };
                let path = [Seg::Key(key.into()), Seg::Index(i)];
                let pos = doc
                    .position(&path, crate::yaml::Target::Value)
                    .or_else(|| doc.position(&path[..1], crate::yaml::Target::Value));
                diags.push(
                    Diagnostic::error(&file.path, format!("no firm `{slug}` in content/firms/{hint}"))
                        .at_opt(&file.text, pos),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths() {
        assert_eq!(base_path("https://x.go.id"), "");
        assert_eq!(base_path("https://x.go.id/katalog"), "/katalog");
    }

    #[test]
    fn emails() {
        assert!(is_email("halo@example.com"));
        for bad in ["halo", "@x.com", "a@b", "a b@c.d", "a@b..c", "a@.b", "a\"@b.c"] {
            assert!(!is_email(bad), "{bad}");
        }
    }
}
