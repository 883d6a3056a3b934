//! Stage 1, load: walk `content/`, classify every file by its place in the
//! layout of SPEC section 1 and read the text files (in parallel).
//!
//! Nothing is parsed here; the result is a [`Loaded`] tree of
//! [`SourceFile`]s plus the names of other files (images), and the problems
//! met on the way (bad slugs, unreadable files, symlinks leaving the site).

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostics::Diagnostic;
use crate::model::{Lang, is_slug};
use crate::source::{SourceFile, check_characters};

/// Largest text file read (content files are small; this keeps a stray
/// multi-gigabyte file from eating the memory).
pub const MAX_TEXT_BYTES: u64 = 8 * 1024 * 1024;

/// A Markdown document and its translations.
#[derive(Debug, Default, Clone)]
pub struct RawDoc {
    /// The Indonesian (base) file.
    pub main: Option<SourceFile>,
    /// `<slug>.<lang>.md` files, by language.
    pub translations: BTreeMap<Lang, SourceFile>,
}

/// The files of one firm folder.
#[derive(Debug, Default, Clone)]
pub struct RawFirm {
    /// Folder name.
    pub slug: String,
    /// `profile.yaml`.
    pub profile: Option<SourceFile>,
    /// `index.md` and its translations.
    pub description: RawDoc,
    /// `products/<slug>.md` and translations, by product slug.
    pub products: BTreeMap<String, RawDoc>,
    /// Every other file, relative to the firm's folder (`/`-separated).
    pub assets: BTreeSet<String>,
    /// Problems met while loading this folder.
    pub diags: Vec<Diagnostic>,
}

/// The files of one business meeting.
#[derive(Debug, Default, Clone)]
pub struct RawEvent {
    /// `events/<slug>.yaml`.
    pub file: Option<SourceFile>,
    /// `events/<slug>.md` and its translations.
    pub text: RawDoc,
}

/// Everything read from a site.
#[derive(Debug, Default, Clone)]
pub struct Loaded {
    /// `site.yaml`.
    pub config: Option<SourceFile>,
    /// `content/_index.md` and translations.
    pub home: RawDoc,
    /// `content/vocabulary.yaml`.
    pub vocabulary: Option<SourceFile>,
    /// Free pages by slug.
    pub pages: BTreeMap<String, RawDoc>,
    /// Business meetings by slug.
    pub events: BTreeMap<String, RawEvent>,
    /// Firms by slug.
    pub firms: BTreeMap<String, RawFirm>,
    /// Problems met while loading.
    pub diags: Vec<Diagnostic>,
}

/// Whether a file or folder name is left out of the site: hidden or
/// underscore names (other than `_index*.md`), editor droppings, and the
/// files Windows leaves in folders it shows (`Thumbs.db`, `desktop.ini`).
pub fn is_ignored(name: &str) -> bool {
    if name.starts_with("_index") && name.ends_with(".md") {
        return false;
    }
    name.starts_with('.')
        || name.starts_with('_')
        || name.ends_with('~')
        || name == "4913"
        || (name.starts_with('#') && name.ends_with('#'))
        || [".swp", ".swo", ".swx", ".tmp"].iter().any(|e| name.ends_with(e))
        || name.eq_ignore_ascii_case("thumbs.db")
        || name.eq_ignore_ascii_case("desktop.ini")
}

/// Path of `p` relative to `root`, `/`-separated.
pub fn rel(root: &Path, p: &Path) -> String {
    let r = p.strip_prefix(root).unwrap_or(p);
    r.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// What a file under `content/` is.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Role {
    Home(Option<Lang>),
    Vocabulary,
    Page(String, Option<Lang>),
    Event(String),
    EventText(String, Option<Lang>),
    Profile(String),
    Description(String, Option<Lang>),
    Product(String, String, Option<Lang>),
    Asset(String, String),
}

/// Splits `name.md` / `name.<lang>.md` into the name and language.
fn md_name(file: &str) -> Option<(&str, Result<Option<Lang>, &str>)> {
    let stem = file.strip_suffix(".md")?;
    match stem.rsplit_once('.') {
        Some((name, code)) => Some((name, Lang::parse(code).map(Some).ok_or(code))),
        None => Some((stem, Ok(None))),
    }
}

/// Decides the role of a file from its path under `content/`, or explains
/// why it has none.
fn classify(parts: &[&str]) -> Result<Role, String> {
    let lang_of = |r: Result<Option<Lang>, &str>| -> Result<Option<Lang>, String> {
        r.map_err(|code| format!("unknown language `{code}` in the file name (translations are named `<name>.en.md`)"))
    };
    match parts {
        ["vocabulary.yaml"] => Ok(Role::Vocabulary),
        [f] if f.starts_with("_index") => match md_name(f) {
            Some(("_index", l)) => Ok(Role::Home(lang_of(l)?)),
            _ => Err("unexpected file: the home page text is `content/_index.md`".into()),
        },
        ["pages", f] => match md_name(f) {
            Some((name, l)) => {
                let l = lang_of(l)?;
                if is_slug(name) {
                    Ok(Role::Page(name.to_string(), l))
                } else {
                    Err(format!("`{name}` is not a valid page slug (lowercase letters, digits and single hyphens)"))
                }
            }
            None => Err("unexpected file: free pages are Markdown files `pages/<slug>.md`".into()),
        },
        ["events", f] => {
            let slug_of = |name: &str| -> Result<String, String> {
                if is_slug(name) {
                    Ok(name.to_string())
                } else {
                    Err(format!("`{name}` is not a valid event slug (lowercase letters, digits and single hyphens)"))
                }
            };
            if let Some(name) = f.strip_suffix(".yaml") {
                Ok(Role::Event(slug_of(name)?))
            } else if let Some((name, l)) = md_name(f) {
                Ok(Role::EventText(slug_of(name)?, lang_of(l)?))
            } else {
                Err("unexpected file: an event is `events/<slug>.yaml`, with an optional `events/<slug>.md`".into())
            }
        }
        ["firms", firm, rest @ ..] if !rest.is_empty() => {
            let firm = firm.to_string();
            match rest {
                ["profile.yaml"] => Ok(Role::Profile(firm)),
                [f] if md_name(f).is_some_and(|(n, _)| n == "index") => {
                    let (_, l) = md_name(f).ok_or("")?;
                    Ok(Role::Description(firm, lang_of(l)?))
                }
                ["products", f] if f.ends_with(".md") => {
                    let (name, l) = md_name(f).ok_or("")?;
                    let l = lang_of(l)?;
                    if is_slug(name) {
                        Ok(Role::Product(firm, name.to_string(), l))
                    } else {
                        Err(format!(
                            "`{name}` is not a valid product slug (lowercase letters, digits and single hyphens)"
                        ))
                    }
                }
                // Markdown anywhere else is a misnamed description or
                // product (`products/tahu.MD`, `product/tempe.md`): never
                // published as a file, where a draft's front matter would
                // be public.
                ["products", f] if f.to_ascii_lowercase().ends_with(".md") => Err(format!(
                    "unexpected file: a product is `products/<slug>.md`, with `.md` in lower case (rename it `products/{}.md`); it is not published",
                    &f[..f.len() - 3]
                )),
                _ if rest.last().is_some_and(|f| f.to_ascii_lowercase().ends_with(".md")) => Err(
                    "unexpected file: Markdown in a firm folder is `index.md` (the description) or `products/<slug>.md` (a product); it is not published"
                        .into(),
                ),
                _ => Ok(Role::Asset(firm, rest.join("/"))),
            }
        }
        _ => Err("unexpected file: it is not part of the content layout and is ignored".into()),
    }
}

/// A file to read, found by the walk.
struct Found {
    path: PathBuf,
    rel: String,
    role: Role,
}

/// Reads a whole site: `site.yaml` and everything under `content/`.
pub fn load(root: &Path) -> Loaded {
    let mut out = Loaded::default();
    let site_yaml = root.join("site.yaml");
    match read_text(root, &site_yaml) {
        Ok(f) => {
            out.diags.extend(check_characters(&f));
            out.config = Some(f);
        }
        Err(d) => out.diags.push(d),
    }
    let content = root.join("content");
    if content.is_dir() {
        scan(root, &content, &mut out, false);
    }
    out
}

/// Loads everything but the firm folders: site.yaml, the home page text,
/// the vocabulary and free pages (for the preview server, after an edit).
pub fn load_globals(root: &Path) -> Loaded {
    let mut out = Loaded::default();
    match read_text(root, &root.join("site.yaml")) {
        Ok(f) => {
            out.diags.extend(check_characters(&f));
            out.config = Some(f);
        }
        Err(d) => out.diags.push(d),
    }
    let content = root.join("content");
    if content.is_dir() {
        scan(root, &content, &mut out, true);
    }
    out
}

/// Loads one firm folder again (for the preview server, after an edit):
/// `None` when the folder is gone or its name is not a slug.
pub fn load_firm(root: &Path, slug: &str) -> Option<RawFirm> {
    let dir = root.join("content/firms").join(slug);
    if !is_slug(slug) || !dir.is_dir() {
        return None;
    }
    let mut out = Loaded::default();
    scan(root, &dir, &mut out, false);
    let mut firm = out.firms.remove(slug).unwrap_or_else(|| RawFirm { slug: slug.to_string(), ..RawFirm::default() });
    firm.diags.extend(out.diags);
    Some(firm)
}

/// Walks `start` (the content folder, or one firm folder inside it) and
/// adds what it finds to `out`. Problems inside a firm folder are kept with
/// that firm, so that reloading the folder replaces them.
fn scan(root: &Path, start: &Path, out: &mut Loaded, skip_firms: bool) {
    let content = root.join("content");
    let canonical_content = content.canonicalize().unwrap_or_else(|_| content.clone());
    let mut found: Vec<Found> = Vec::new();
    let mut firm_dirs: BTreeSet<String> = BTreeSet::new();
    let walker =
        WalkDir::new(start).follow_links(false).sort_by_file_name().max_depth(8).into_iter().filter_entry(|e| {
            let firms_skipped = skip_firms && e.depth() == 1 && e.file_name() == "firms";
            e.depth() == 0 || !(is_ignored(&e.file_name().to_string_lossy()) || firms_skipped)
        });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let p = e.path().map(|p| rel(root, p)).unwrap_or_else(|| "content".into());
                out.diags.push(Diagnostic::error(p, format!("cannot read: {e}")));
                continue;
            }
        };
        let path = entry.path();
        let relp = rel(root, path);
        let under: Vec<&str> = relp.split('/').skip(1).collect();
        if entry.file_type().is_dir() {
            if let ["firms", slug] = under.as_slice() {
                if is_slug(slug) {
                    firm_dirs.insert(slug.to_string());
                } else {
                    out.diags.push(Diagnostic::error(
                        format!("{relp}/"),
                        format!("`{slug}` is not a valid firm slug (lowercase letters, digits and single hyphens): rename the folder"),
                    ));
                }
            }
            continue;
        }
        if entry.path_is_symlink() {
            match path.canonicalize() {
                // A link may only point at content a build would read
                // anyway: inside content/, and not at a hidden or ignored
                // name (a link to the site's `.env` or `.git/config` would
                // publish it under any name).
                Ok(target) if !target.starts_with(&canonical_content) => {
                    out.diags.push(Diagnostic::error(&relp, "symbolic link points outside content/; it is not read"));
                    continue;
                }
                Ok(target)
                    if target
                        .strip_prefix(&canonical_content)
                        .is_ok_and(|t| t.iter().any(|part| is_ignored(&part.to_string_lossy()))) =>
                {
                    out.diags.push(Diagnostic::error(
                        &relp,
                        "symbolic link points at a hidden or ignored file (a name starting with `.` or `_`, an editor's leftover); it is not read",
                    ));
                    continue;
                }
                Ok(target) if target.is_dir() => {
                    out.diags.push(Diagnostic::error(&relp, "symbolic links to folders are not followed"));
                    continue;
                }
                Ok(_) => {}
                Err(e) => {
                    out.diags.push(Diagnostic::error(&relp, format!("broken symbolic link: {e}")));
                    continue;
                }
            }
        }
        // Files inside a badly named firm folder were reported with it.
        if let ["firms", slug, ..] = under.as_slice()
            && !is_slug(slug)
        {
            continue;
        }
        match classify(&under) {
            Ok(role) => found.push(Found { path: path.to_path_buf(), rel: relp, role }),
            Err(msg) if msg.starts_with("unexpected file") => out.diags.push(Diagnostic::warning(&relp, msg)),
            Err(msg) => out.diags.push(Diagnostic::error(&relp, msg)),
        }
    }
    for slug in firm_dirs {
        out.firms.insert(slug.clone(), RawFirm { slug, ..RawFirm::default() });
    }
    // A firm folder scanned on its own is not seen as a directory entry.
    if let Some(slug) =
        start.strip_prefix(content.join("firms")).ok().and_then(|p| p.to_str()).filter(|p| !p.is_empty())
    {
        out.firms.entry(slug.to_string()).or_insert_with(|| RawFirm { slug: slug.to_string(), ..RawFirm::default() });
    }

    // Read the text files in parallel; keep the walk's order.
    // Each found file: its role, its text (none for assets) or why it
    // cannot be read, and the forbidden characters it holds.
    type Read = (Role, Result<Option<SourceFile>, Diagnostic>, Vec<Diagnostic>);
    let read: Vec<Read> = found
        .into_par_iter()
        .map(|f| {
            let text = match f.role {
                Role::Asset(..) => Ok(None),
                _ => read_text(root, &f.path).map(Some),
            };
            let checks = match &text {
                Ok(Some(file)) => check_characters(file),
                _ => Vec::new(),
            };
            (
                f.role,
                text.map_err(|mut d| {
                    d.path = f.rel.clone();
                    d
                }),
                checks,
            )
        })
        .collect();

    for (role, result, checks) in read {
        out.diags.extend(checks);
        let file = match result {
            Ok(f) => f,
            Err(d) => {
                out.diags.push(d);
                continue;
            }
        };

        match (role, file) {
            (Role::Asset(firm, name), _) => {
                if let Some(f) = out.firms.get_mut(&firm) {
                    f.assets.insert(name);
                }
            }
            (_, None) => {}
            (Role::Home(lang), Some(file)) => put(&mut out.home, lang, file),
            (Role::Vocabulary, Some(file)) => out.vocabulary = Some(file),
            (Role::Page(slug, lang), Some(file)) => put(out.pages.entry(slug).or_default(), lang, file),
            (Role::Event(slug), Some(file)) => out.events.entry(slug).or_default().file = Some(file),
            (Role::EventText(slug, lang), Some(file)) => put(&mut out.events.entry(slug).or_default().text, lang, file),
            (Role::Profile(firm), Some(file)) => {
                if let Some(f) = out.firms.get_mut(&firm) {
                    f.profile = Some(file);
                }
            }
            (Role::Description(firm, lang), Some(file)) => {
                if let Some(f) = out.firms.get_mut(&firm) {
                    put(&mut f.description, lang, file);
                }
            }
            (Role::Product(firm, slug, lang), Some(file)) => {
                if let Some(f) = out.firms.get_mut(&firm) {
                    put(f.products.entry(slug).or_default(), lang, file);
                }
            }
        }
    }
    // Problems inside a firm folder belong to the firm.
    let mut rest = Vec::new();
    for d in std::mem::take(&mut out.diags) {
        let firm = d.path.strip_prefix("content/firms/").and_then(|r| r.split_once('/')).map(|(s, _)| s.to_string());
        match firm.and_then(|s| out.firms.get_mut(&s)) {
            Some(f) => f.diags.push(d),
            None => rest.push(d),
        }
    }
    out.diags = rest;
}

fn put(doc: &mut RawDoc, lang: Option<Lang>, file: SourceFile) {
    match lang {
        None | Some(Lang::Id) if doc.main.is_none() => doc.main = Some(file),
        None | Some(Lang::Id) => {}
        Some(l) => {
            doc.translations.insert(l, file);
        }
    }
}

/// Reads a UTF-8 text file, refusing huge and non-UTF-8 files.
pub fn read_text(root: &Path, path: &Path) -> Result<SourceFile, Diagnostic> {
    let relp = rel(root, path);
    let file = std::fs::File::open(path).map_err(|e| Diagnostic::error(&relp, format!("cannot read: {e}")))?;
    let mut bytes = Vec::new();
    file.take(MAX_TEXT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Diagnostic::error(&relp, format!("cannot read: {e}")))?;
    if bytes.len() as u64 > MAX_TEXT_BYTES {
        return Err(Diagnostic::error(&relp, format!("file is larger than {} MiB", MAX_TEXT_BYTES / 1024 / 1024)));
    }
    match String::from_utf8(bytes) {
        Ok(s) => Ok(SourceFile::new(relp, &s)),
        Err(e) => {
            let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = 1 + good.iter().filter(|b| **b == b'\n').count();
            let line_start = good.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
            let col = 1 + String::from_utf8_lossy(&good[line_start..]).chars().count();
            let d = Diagnostic::error(&relp, "file is not valid UTF-8 text (save it as UTF-8)");
            let lossy = String::from_utf8_lossy(e.as_bytes());
            Err(d.at(&lossy, line, col))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignored_names() {
        for n in [".git", "_draft", "a.md~", "4913", ".a.swp", "x.swp", "y.tmp", "#a#", "Thumbs.db", "desktop.ini"] {
            assert!(is_ignored(n), "{n}");
        }
        for n in ["_index.md", "_index.en.md", "profile.yaml", "a.md"] {
            assert!(!is_ignored(n), "{n}");
        }
    }

    #[test]
    fn roles() {
        assert_eq!(classify(&["_index.md"]), Ok(Role::Home(None)));
        assert_eq!(classify(&["_index.en.md"]), Ok(Role::Home(Some(Lang::En))));
        assert_eq!(classify(&["pages", "tentang.md"]), Ok(Role::Page("tentang".into(), None)));
        assert_eq!(
            classify(&["firms", "a", "products", "rasi.en.md"]),
            Ok(Role::Product("a".into(), "rasi".into(), Some(Lang::En)))
        );
        assert_eq!(classify(&["firms", "a", "img", "x.jpg"]), Ok(Role::Asset("a".into(), "img/x.jpg".into())));
        assert!(classify(&["firms", "a", "products", "Rasi.md"]).is_err());
        assert!(classify(&["firms", "a", "products", "rasi.fr.md"]).unwrap_err().contains("`fr`"));
        assert!(classify(&["notes.txt"]).unwrap_err().starts_with("unexpected"));
        // Misnamed Markdown in a firm folder is never an asset (published as is).
        for md in [
            &["firms", "a", "products", "tahu.MD"][..],
            &["firms", "a", "product", "tempe.md"],
            &["firms", "a", "catatan.md"],
        ] {
            assert!(classify(md).unwrap_err().starts_with("unexpected file"), "{md:?}");
        }
        assert!(classify(&["firms", "a", "products", "tahu.MD"]).unwrap_err().contains("`products/tahu.md`"));
        assert_eq!(classify(&["firms", "a", "katalog.pdf"]), Ok(Role::Asset("a".into(), "katalog.pdf".into())));
        assert_eq!(classify(&["events", "temu-2027.yaml"]), Ok(Role::Event("temu-2027".into())));
        assert_eq!(classify(&["events", "temu-2027.en.md"]), Ok(Role::EventText("temu-2027".into(), Some(Lang::En))));
        assert!(classify(&["events", "Temu.yaml"]).is_err());
    }
}
