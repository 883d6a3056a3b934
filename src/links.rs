//! The internal link checker: every `href`, `src` and `srcset` of every
//! rendered page, and every link written in Markdown, must lead to a file
//! the build writes.
//!
//! The set of output paths is known before rendering, so each page is
//! checked right after it renders, in parallel, and only broken links are
//! kept. Links in Markdown are reported at the line and column they were
//! written; other broken links (written in a template) at the template
//! line that holds them, when it can be found.

use std::collections::HashSet;

use crate::diagnostics::Diagnostic;
use crate::model::LinkRef;
use crate::theme::Theme;

/// Resolves and checks URLs against the output of one build.
pub struct Checker<'a> {
    known: &'a HashSet<String>,
    /// `https://host` of the site.
    origin: String,
    /// Path part of the base URL (`""` or `/katalog`).
    base_path: String,
}

impl<'a> Checker<'a> {
    /// A checker for a site whose output has the files `known` (paths
    /// relative to the output folder).
    pub fn new(known: &'a HashSet<String>, base_url: &str) -> Self {
        let origin = crate::render::views::origin(base_url).to_string();
        let base_path = base_url[origin.len()..].trim_end_matches('/').to_string();
        Checker { known, origin, base_path }
    }

    /// Checks `url` found on the page whose site path is `page` (`/usaha/x/`).
    /// External and non-HTTP links pass; a broken internal link gives why.
    pub fn check(&self, url: &str, page: &str) -> Result<(), String> {
        let url = url.trim();
        let url = url.split(['#', '?']).next().unwrap_or("");
        if url.is_empty() {
            return Ok(());
        }
        let path = if let Some(rest) = url.strip_prefix(&self.origin) {
            if !(rest.is_empty() || rest.starts_with('/')) {
                return Ok(()); // another host that shares a prefix
            }
            if rest.is_empty() { "/".to_string() } else { rest.to_string() }
        } else if url.starts_with("//") || url.contains(':') {
            return Ok(()); // another host, mailto:, tel:…
        } else if url.starts_with('/') {
            url.to_string()
        } else {
            let dir = match page.rfind('/') {
                Some(i) => &page[..=i],
                None => "/",
            };
            format!("{}{dir}{url}", self.base_path)
        };
        let Some(inside) = path.strip_prefix(&self.base_path).filter(|p| p.starts_with('/') || p.is_empty()) else {
            return Err(format!("points outside the site (its base path is `{}`)", self.base_path));
        };
        let Some(normal) = normalise(&percent_decode(inside)) else {
            return Err("climbs above the site root".into());
        };
        let candidates = if normal.is_empty() || normal.ends_with('/') {
            vec![format!("{normal}index.html")]
        } else {
            vec![normal.clone(), format!("{normal}/index.html")]
        };
        if candidates.iter().any(|c| self.known.contains(c.as_str())) {
            Ok(())
        } else {
            Err("no such page or file in the built site".into())
        }
    }
}

/// Resolves `.` and `..` in a `/`-rooted path; returns it without the
/// leading slash, or `None` when it climbs above the root.
fn normalise(path: &str) -> Option<String> {
    let trailing = path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..");
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if trailing && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

fn percent_decode(s: &str) -> String {
    let hex = |b: u8| (b as char).to_digit(16);
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The values of `href`, `src` and `srcset` attributes in an HTML page,
/// HTML entities for `&` and `/` undone. One pass over the page: each `=`
/// is checked for a preceding attribute name of interest.
pub fn extract(html: &str) -> Vec<String> {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(off) = bytes[at..].iter().position(|&b| b == b'=') {
        let eq = at + off;
        at = eq + 1;
        let name = if bytes[..eq].ends_with(b"href") {
            4
        } else if bytes[..eq].ends_with(b"srcset") {
            6
        } else if bytes[..eq].ends_with(b"src") {
            3
        } else {
            continue;
        };
        // A real attribute follows whitespace (not `data-href=`).
        if eq < name + 1 || !matches!(bytes[eq - name - 1], b' ' | b'\n' | b'\t') {
            continue;
        }
        let Some(&q) = bytes.get(eq + 1).filter(|q| **q == b'"' || **q == b'\'') else {
            continue;
        };
        let Some(len) = bytes[eq + 2..].iter().position(|&b| b == q) else {
            continue;
        };
        let raw = &html[eq + 2..eq + 2 + len];
        at = eq + 2 + len;
        let value = if raw.contains('&') {
            raw.replace("&amp;", "&").replace("&#x2F;", "/").replace("&#47;", "/")
        } else {
            raw.to_string()
        };
        if name == 6 {
            out.extend(value.split(',').filter_map(|c| c.split_whitespace().next()).map(str::to_string));
        } else {
            out.push(value);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Checks the links written in Markdown, each against the site path of
/// the page that shows the text, reporting each broken one where it was
/// written. Returns the problems and the URLs they cover.
pub fn check_markdown<'l>(
    checker: &Checker<'_>,
    docs: impl IntoIterator<Item = (&'l [LinkRef], String)>,
) -> (Vec<Diagnostic>, HashSet<String>) {
    let mut diags = Vec::new();
    let mut reported = HashSet::new();
    for (links, page) in docs {
        for l in links {
            if let Err(why) = checker.check(&l.url, &page) {
                let mut d = Diagnostic::error(&l.path, format!("broken link `{}`: {why}", l.url));
                d.line = Some(l.line);
                d.column = Some(l.column);
                d.source_line = Some(l.source_line.clone());
                diags.push(d);
                reported.insert(l.url.clone());
            }
        }
    }
    (diags, reported)
}

/// Every Markdown text of the site with the site path of the page that
/// shows it, in each language edition.
pub fn markdown_docs(site: &crate::model::Site) -> Vec<(&[LinkRef], String)> {
    fn body(t: &crate::model::Translated<crate::model::Html>, lang: crate::model::Lang) -> &[LinkRef] {
        t.get(lang).0.links.as_slice()
    }
    let mut out: Vec<(&[LinkRef], String)> = Vec::new();
    for &lang in &site.config.languages {
        let prefix = site.config.lang_prefix(lang);
        out.push((body(&site.home.body, lang), format!("{prefix}/")));
        for p in &site.pages {
            out.push((body(&p.body, lang), format!("{prefix}/{}/", p.slug)));
        }
        for f in &site.firms {
            out.push((body(&f.description, lang), format!("{prefix}/usaha/{}/", f.slug)));
            for p in &f.products {
                out.push((body(&p.body, lang), format!("{prefix}/usaha/{}/produk/{}/", f.slug, p.slug)));
            }
        }
    }
    out
}

/// Reports a broken link found in a rendered page: at the template line
/// that holds it when one does, else at the page.
pub fn report_page_link(theme: &Theme, page_output: &str, url: &str, why: &str) -> Diagnostic {
    // Templates usually build links from variables: look for the literal
    // tail of the URL (`/tentang-kami/`).
    let needle = url.trim_start_matches(|c| c != '/');
    let needle = if needle.is_empty() { url } else { needle };
    for f in theme.templates.values() {
        if let Some(i) = f.text.find(needle) {
            let before = &f.text[..i];
            let line = 1 + before.matches('\n').count();
            let col = 1 + before[before.rfind('\n').map_or(0, |j| j + 1)..].chars().count();
            return Diagnostic::error(&f.path, format!("broken link `{url}`: {why}")).at(&f.text, line, col);
        }
    }
    Diagnostic::error(format!("public/{page_output}"), format!("broken link `{url}`: {why}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> HashSet<String> {
        ["index.html", "usaha/a/index.html", "usaha/a/logo.png", "style.css", "en/index.html"]
            .into_iter()
            .map(String::from)
            .collect()
    }

    #[test]
    fn resolves_links() {
        let k = known();
        let c = Checker::new(&k, "https://x.example");
        for ok in [
            "/",
            "/usaha/a/",
            "/usaha/a",
            "logo.png",
            "../../style.css",
            "https://x.example/usaha/a/#kontak",
            "https://other.example/nope",
            "mailto:a@b.c",
            "tel:+62",
            "#top",
            "/en/",
            "/usaha/a/?q=1",
        ] {
            assert_eq!(c.check(ok, "/usaha/a/"), Ok(()), "{ok}");
        }
        for bad in ["/usaha/b/", "logo.jpg", "../../../../etc/passwd", "https://x.example/nope/"] {
            assert!(c.check(bad, "/usaha/a/").is_err(), "{bad}");
        }
    }

    #[test]
    fn base_path_is_respected() {
        let k = known();
        let c = Checker::new(&k, "https://x.example/katalog");
        assert_eq!(c.check("/katalog/usaha/a/", "/"), Ok(()));
        assert!(c.check("/usaha/a/", "/").is_err());
    }

    #[test]
    fn extracts_attributes() {
        let html = r#"<a href="/a/?x=1&amp;y=2">a</a><img src='b.png' srcset="c.webp 320w, d.webp 640w"><p data-href="/no/">href="/text/"</p>"#;
        assert_eq!(extract(html), ["/a/?x=1&y=2", "b.png", "c.webp", "d.webp"]);
    }
}
