//! Themes: templates, static files and UI strings, resolved file by file.
//!
//! A theme is `themes/<name>/` (`theme.yaml`, `templates/`, `static/`,
//! `i18n/<lang>.yaml`). The default theme, `cimahi`, is also compiled into
//! the binary, so a site without a `themes/` folder still builds. A site's
//! own `templates/` and `static/` folders override the theme's files of the
//! same relative path.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use walkdir::WalkDir;

use crate::diagnostics::Diagnostic;
use crate::load::{is_ignored, read_text, rel};
use crate::model::Lang;
use crate::source::{Doc, Need, Obj, SourceFile};
use crate::yaml::{Mapping, Seg, Value};

/// The default theme, embedded at compile time.
static EMBEDDED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/cimahi");

/// Where the bytes of a static file come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaticSource {
    /// A file compiled into the binary.
    Embedded(&'static [u8]),
    /// A file on disk.
    Disk(PathBuf),
}

impl StaticSource {
    /// The file's bytes.
    pub fn read(&self) -> std::io::Result<std::borrow::Cow<'static, [u8]>> {
        match self {
            StaticSource::Embedded(b) => Ok(std::borrow::Cow::Borrowed(b)),
            StaticSource::Disk(p) => std::fs::read(p).map(std::borrow::Cow::Owned),
        }
    }
}

/// A resolved theme.
#[derive(Debug, Clone, Default)]
pub struct Theme {
    /// Template name (path under `templates/`) → source.
    pub templates: BTreeMap<String, SourceFile>,
    /// Output path → where its bytes come from.
    pub statics: BTreeMap<String, StaticSource>,
    /// UI strings per language (`i18n/<lang>.yaml`), each a nested mapping.
    pub strings: BTreeMap<Lang, Value>,
    /// Where the theme came from, for messages (`themes/cimahi`); empty when
    /// the theme was not found.
    pub origin: String,
    /// The theme is the copy compiled into the binary.
    pub embedded: bool,
}

/// Reads the theme named in site.yaml, with the site's overrides.
pub fn load(root: &Path, config: &crate::config::SiteConfig) -> (Theme, Vec<Diagnostic>) {
    let name = config.theme.as_str();
    let mut theme = Theme::default();
    let mut diags = Vec::new();
    let dir = root.join("themes").join(name);
    let mut texts: Vec<SourceFile> = Vec::new();
    if dir.is_dir() {
        theme.origin = format!("themes/{name}");
        for (relp, path) in walk(&dir) {
            classify(root, &relp, &path, &mut theme, &mut texts, &mut diags);
        }
    } else if name == "cimahi" {
        theme.origin = "themes/cimahi".into();
        theme.embedded = true;
        let mut files = Vec::new();
        collect_embedded(&EMBEDDED, &mut files);
        for (relp, bytes) in files {
            let shown = format!("themes/cimahi/{relp}");
            if let Some(st) = relp.strip_prefix("static/") {
                theme.statics.insert(st.to_string(), StaticSource::Embedded(bytes));
            } else {
                match std::str::from_utf8(bytes) {
                    Ok(s) => texts.push(SourceFile::new(shown, s)),
                    Err(_) => diags.push(Diagnostic::error(shown, "built-in theme file is not UTF-8")),
                }
            }
        }
    } else {
        diags.push(config.error_at(
            &[Seg::Key("theme".into())],
            format!("theme `{name}` not found: there is no folder themes/{name}/"),
        ));
        return (theme, diags);
    }
    for file in texts {
        let relp = file.path.split_once(&format!("themes/{name}/")).map(|(_, r)| r.to_string()).unwrap_or_default();
        if let Some(t) = relp.strip_prefix("templates/") {
            theme.templates.insert(t.to_string(), file);
        } else if let Some(l) = relp.strip_prefix("i18n/").and_then(|f| f.strip_suffix(".yaml")) {
            match Lang::parse(l) {
                Some(lang) => {
                    let mut doc = Doc::whole(&file);
                    if let Some(v) = doc.parse() {
                        if v.is_mapping() {
                            theme.strings.insert(lang, v);
                        } else {
                            doc.error(&[], "UI strings must be a mapping of keys to texts");
                        }
                    }
                    diags.extend(doc.diags);
                }
                None => diags.push(Diagnostic::warning(&file.path, "unknown language; UI strings exist for id and en")),
            }
        } else if relp == "theme.yaml" {
            check_theme_yaml(&file, &mut diags);
        }
    }
    // Site-level overrides, file by file.
    for (sub, is_templates) in [("templates", true), ("static", false)] {
        let dir = root.join(sub);
        if !dir.is_dir() {
            continue;
        }
        for (relp, path) in walk(&dir) {
            if is_templates {
                match read_text(root, &path) {
                    Ok(f) => {
                        theme.templates.insert(relp, f);
                    }
                    Err(d) => diags.push(d),
                }
            } else {
                theme.statics.insert(relp, StaticSource::Disk(path));
            }
        }
    }
    if !theme.strings.contains_key(&Lang::Id) && !theme.strings.contains_key(&Lang::En) {
        diags.push(Diagnostic::error(format!("{}/i18n", theme.origin), "the theme has no UI strings (i18n/id.yaml)"));
    }
    (theme, diags)
}

fn classify(
    root: &Path,
    relp: &str,
    path: &Path,
    theme: &mut Theme,
    texts: &mut Vec<SourceFile>,
    diags: &mut Vec<Diagnostic>,
) {
    if let Some(s) = relp.strip_prefix("static/") {
        theme.statics.insert(s.to_string(), StaticSource::Disk(path.to_path_buf()));
    } else if relp.starts_with("templates/") || relp.starts_with("i18n/") || relp == "theme.yaml" {
        match read_text(root, path) {
            Ok(f) => texts.push(f),
            Err(d) => diags.push(d),
        }
    }
}

/// Files under `dir` (not following symlinks), relative to it, sorted.
fn walk(dir: &Path) -> Vec<(String, PathBuf)> {
    WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (rel(dir, e.path()), e.path().to_path_buf()))
        .collect()
}

fn collect_embedded(dir: &'static Dir<'static>, out: &mut Vec<(String, &'static [u8])>) {
    for f in dir.files() {
        let p = f.path().to_string_lossy().replace('\\', "/");
        let name = p.rsplit('/').next().unwrap_or("");
        if !is_ignored(name) {
            out.push((p, f.contents()));
        }
    }
    for d in dir.dirs() {
        collect_embedded(d, out);
    }
    out.sort();
}

fn check_theme_yaml(file: &SourceFile, diags: &mut Vec<Diagnostic>) {
    let mut doc = Doc::whole(file);
    if let Some(v) = doc.parse() {
        let empty = Mapping::new();
        if let Some(map) = doc.root(&v, &empty) {
            let obj = Obj { map, path: &[] };
            doc.check_keys(obj, &["name", "description", "license", "homepage"]);
            doc.string(obj, "name", Need::Required);
        }
    }
    diags.extend(doc.diags);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_theme_is_complete() {
        let tmp = std::env::temp_dir().join("gotong-no-theme-here");
        let (theme, diags) = load(&tmp, &crate::config::SiteConfig::new("t", "https://x.example"));
        assert!(diags.is_empty(), "{diags:?}");
        assert!(theme.embedded);
        for t in [
            "base.html",
            "index.html",
            "firm.html",
            "product.html",
            "partners.html",
            "listing.html",
            "page.html",
            "404.html",
        ] {
            assert!(theme.templates.contains_key(t), "missing {t}");
        }
        assert!(theme.strings.contains_key(&Lang::Id));
        assert!(theme.statics.keys().any(|k| k.ends_with(".css")));
    }

    #[test]
    fn unknown_theme_is_an_error() {
        let tmp = std::env::temp_dir();
        let text = "title: t\nbase_url: https://x.example\ntheme: no-such-theme\n";
        let (config, _) = crate::config::parse(&SourceFile::new("site.yaml", text));
        let (_, diags) = load(&tmp, &config.unwrap());
        assert_eq!(diags.len(), 1);
        assert!(diags[0].message.contains("themes/no-such-theme"));
        assert_eq!(diags[0].location(), "site.yaml:3:8");
    }
}
