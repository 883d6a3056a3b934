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
        let Some((normal, relative)) = self.target(url, page)? else {
            return Ok(());
        };
        let candidates = if normal.is_empty() || normal.ends_with('/') {
            vec![format!("{normal}index.html")]
        } else {
            vec![normal.clone(), format!("{normal}/index.html")]
        };
        if candidates.iter().any(|c| self.known.contains(c.as_str())) {
            Ok(())
        } else if relative {
            Err(format!(
                "it leads to `{}/{normal}`, and there is no such page or file in the built site",
                self.base_path
            ))
        } else {
            Err("no such page or file in the built site".into())
        }
    }

    /// Where `url`, found on the page whose site path is `page`, leads
    /// inside the site: the path relative to the output folder (`.` and
    /// `..` resolved, `%XX` decoded, no query or fragment), and whether the
    /// URL was written relative. `None` for a link that leaves the site
    /// (another host, `mailto:`…) or is empty; an error for one that
    /// points outside the base path or above the root.
    pub fn target(&self, url: &str, page: &str) -> Result<Option<(String, bool)>, String> {
        let url = url.trim();
        let url = url.split(['#', '?']).next().unwrap_or("");
        if url.is_empty() {
            return Ok(None);
        }
        let relative = !(url.starts_with('/') || url.starts_with(&self.origin));
        let path = if let Some(rest) = url.strip_prefix(&self.origin) {
            if !(rest.is_empty() || rest.starts_with('/')) {
                return Ok(None); // another host that shares a prefix
            }
            if rest.is_empty() { "/".to_string() } else { rest.to_string() }
        } else if url.starts_with("//") || has_scheme(url) {
            return Ok(None); // another host, mailto:, tel:…
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
        Ok(Some((normal, relative)))
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

/// Undoes `%XX` escapes (invalid UTF-8 replaced).
pub fn percent_decode(s: &str) -> String {
    let hex = |b: u8| (b as char).to_digit(16);
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// One URL an HTML text carries in an `href`, `src` or `srcset`
/// attribute: where its attribute value starts (byte offset) and the URL
/// with HTML character references undone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttrUrl {
    /// Byte offset of the value in the HTML.
    pub offset: usize,
    /// The URL.
    pub url: String,
}

/// Every URL in `href`, `src` and `srcset` attributes of the tags of an
/// HTML text, in document order. Only real tags count: text, comments and
/// the contents of raw-text elements (`<script>`, `<style>`, `<noscript>`,
/// `<textarea>`…, outside SVG and MathML) are skipped, and attribute
/// values are read with their quoting, so `data-href=` or a title holding
/// `href="…"` is not a link.
pub fn attribute_urls(html: &str) -> Vec<AttrUrl> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    // How many `<svg>` or `<math>` elements are open: in them, `<style>`
    // and `<script>` hold tags like any other element.
    let mut foreign = 0usize;
    // `i` never passes the end: raw HTML from content may stop inside a
    // tag (`<div` at the end of a block).
    while let Some(off) = b.get(i..).and_then(|rest| memchr::memchr(b'<', rest)) {
        let lt = i + off;
        i = lt + 1;
        if foreign > 0 && b.get(i) == Some(&b'/') {
            let name: String = html[i + 1..].chars().take_while(char::is_ascii_alphanumeric).collect();
            if name.eq_ignore_ascii_case("svg") || name.eq_ignore_ascii_case("math") {
                foreign -= 1;
            }
        }
        if b[i..].starts_with(b"!--") {
            i = find(b, i + 3, b"-->").map_or(b.len(), |e| e + 3);
            continue;
        }
        if !b.get(i).is_some_and(u8::is_ascii_alphabetic) {
            // `</x>`, `<!doctype>`, `<?…>` or a stray `<` in text.
            continue;
        }
        let name_start = i;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'-') {
            i += 1;
        }
        let tag = &html[name_start..i];
        let is = |name: &str| tag.eq_ignore_ascii_case(name);
        // Attributes, up to the end of the tag.
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() || b[i] == b'>' {
                i = (i + 1).min(b.len());
                break;
            }
            let an = i;
            while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
                i += 1;
            }
            let attr = &html[an..i];
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if b.get(i) != Some(&b'=') {
                continue;
            }
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let (vs, ve) = match b.get(i) {
                Some(&q) if q == b'"' || q == b'\'' => {
                    let end = memchr::memchr(q, &b[i + 1..]).map_or(b.len(), |e| i + 1 + e);
                    let r = (i + 1, end);
                    i = (end + 1).min(b.len());
                    r
                }
                _ => {
                    let start = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                        i += 1;
                    }
                    (start, i)
                }
            };
            let raw = &html[vs..ve];
            if attr.eq_ignore_ascii_case("href") || attr.eq_ignore_ascii_case("src") {
                out.push(AttrUrl { offset: vs, url: decode_entities(raw) });
            } else if attr.eq_ignore_ascii_case("srcset") {
                let mut at = 0;
                for cand in raw.split(',') {
                    let lead = cand.len() - cand.trim_start().len();
                    if let Some(u) = cand.split_whitespace().next() {
                        out.push(AttrUrl { offset: vs + at + lead, url: decode_entities(u) });
                    }
                    at += cand.len() + 1;
                }
            }
        }
        if is("svg") || is("math") {
            if !html[lt..i].trim_end_matches('>').ends_with('/') {
                foreign += 1;
            }
        } else if foreign > 0 && BREAKOUT.iter().any(|t| is(t)) {
            // An HTML element ends foreign content (the HTML5 rule).
            foreign = 0;
        }
        if foreign == 0 && is("plaintext") {
            break;
        }
        if foreign == 0 && RAW_TEXT.iter().any(|t| is(t)) {
            i = raw_text_end(b, i.min(b.len()), tag);
        }
    }
    out
}

/// Elements whose contents the HTML parser reads as text, up to their end
/// tag (RAWTEXT and RCDATA: the sanitiser parses with scripting on, so
/// `noscript` is one of them): a tag written inside is no tag.
const RAW_TEXT: &[&str] = &["script", "style", "noscript", "iframe", "noembed", "noframes", "xmp", "textarea", "title"];

/// The HTML elements that end SVG or MathML content when they start in it.
const BREAKOUT: &[&str] = &[
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "center",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "hr",
    "i",
    "img",
    "li",
    "listing",
    "menu",
    "meta",
    "nobr",
    "ol",
    "p",
    "pre",
    "ruby",
    "s",
    "small",
    "span",
    "strong",
    "strike",
    "sub",
    "sup",
    "table",
    "tt",
    "u",
    "ul",
    "var",
];

/// Where the text of a raw-text element that starts at `from` ends: at
/// its end tag (`</name` followed by white space, `/` or `>`), else at
/// the end of the HTML.
fn raw_text_end(b: &[u8], from: usize, tag: &str) -> usize {
    let close = format!("</{tag}");
    let mut at = from;
    while let Some(e) = find_ci(b, at, close.as_bytes()) {
        let next = b.get(e + close.len());
        if next.is_none_or(|c| c.is_ascii_whitespace() || matches!(c, b'/' | b'>')) {
            return e;
        }
        at = e + 1;
    }
    b.len()
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|p| from + p)
}

fn find_ci(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?.windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle)).map(|p| from + p)
}

/// Undoes HTML character references in an attribute value as a browser
/// does ([`reference`]): `href="JaVaScRiPt&colon;x"` is `JaVaScRiPt:x`.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        match reference(&rest[1..]) {
            Some((chars, len)) => {
                out.extend(chars.into_iter().flatten());
                rest = &rest[1 + len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The character reference at the start of `s` (what follows an `&` in an
/// attribute value), read as the HTML5 tokenizer reads it: numeric ones with
/// or without `;` (an invalid code point is U+FFFD, 0x80–0x9F the
/// Windows-1252 character), every named one of the HTML5 table
/// (`&colon;`), and the legacy names without `;` (`&amp`) unless a letter,
/// digit or `=` follows. The characters and the length read.
fn reference(s: &str) -> Option<([Option<char>; 2], usize)> {
    use markup5ever::data::{C1_REPLACEMENTS, NAMED_ENTITIES};
    let b = s.as_bytes();
    if let Some(num) = s.strip_prefix('#') {
        let (hex, digits) = match num.strip_prefix(['x', 'X']) {
            Some(h) => (true, h),
            None => (false, num),
        };
        let n = digits.bytes().take_while(|c| if hex { c.is_ascii_hexdigit() } else { c.is_ascii_digit() }).count();
        if n == 0 {
            return None;
        }
        let value = u32::from_str_radix(&digits[..n], if hex { 16 } else { 10 }).unwrap_or(u32::MAX);
        let c = match value {
            0x80..=0x9F => C1_REPLACEMENTS[(value - 0x80) as usize].or(char::from_u32(value)),
            0 => None,
            v => char::from_u32(v),
        }
        .unwrap_or('\u{fffd}');
        let len = 1 + usize::from(hex) + n;
        let len = if digits[n..].starts_with(';') { len + 1 } else { len };
        return Some(([Some(c), None], len));
    }
    let word = b.iter().take(40).take_while(|c| c.is_ascii_alphanumeric()).count();
    if word == 0 {
        return None;
    }
    let chars = |&(a, b): &(u32, u32)| [char::from_u32(a), if b == 0 { None } else { char::from_u32(b) }];
    if s[word..].starts_with(';')
        && let Some(v) = NAMED_ENTITIES.get(&s[..=word])
    {
        return Some((chars(v), word + 1));
    }
    // A legacy name without `;`: the longest that the table has.
    for len in (1..=word).rev() {
        if let Some(v) = NAMED_ENTITIES.get(&s[..len]) {
            let next = b.get(len);
            if next.is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'=') {
                return None;
            }
            return Some((chars(v), len));
        }
    }
    None
}

/// The URLs a rendered page links to (`href`, `src`, `srcset`), sorted and
/// without repeats.
pub fn extract(html: &str) -> Vec<String> {
    let mut out: Vec<String> = attribute_urls(html).into_iter().map(|a| a.url).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Whether `url` starts with a scheme (`https:`, `mailto:`…): a letter,
/// then letters, digits, `+`, `-` or `.`, then a colon, as browsers read it.
/// `%6Aavascript:x` or `a/b:c` has none: a browser resolves it as a path
/// under the page, so it is checked as one.
pub fn has_scheme(url: &str) -> bool {
    let Some((scheme, _)) = url.split_once(':') else { return false };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
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
    // A text shown in two language editions is checked in both, but one
    // mistake is one error (the first edition's).
    let mut places: HashSet<(&str, usize, usize)> = HashSet::new();
    for (links, page) in docs {
        for l in links {
            if places.contains(&(l.path.as_str(), l.line, l.column)) {
                continue;
            }
            if let Err(why) = checker.check(&l.url, &page) {
                places.insert((l.path.as_str(), l.line, l.column));
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
        for e in &site.events {
            out.push((body(&e.description, lang), format!("{prefix}/temu/{}/", e.slug)));
        }
    }
    out
}

/// Reports a broken link found in a rendered page that no content file
/// wrote. It is blamed on a template only where a template really writes
/// it: an `href`, `src` or `srcset` value whose literal text, with each
/// `{{ … }}` and `{% … %}` read as "anything", gives this URL, and whose
/// literal text says something (a letter or digit). The page's own
/// template is preferred, then the one with the most literal text. A link
/// built entirely from values is reported at the page, naming its template.
pub fn report_page_link(theme: &Theme, template: &str, page_output: &str, url: &str, why: &str) -> Diagnostic {
    let msg = format!("broken link `{url}`: {why}");
    let mut best: Option<(bool, usize, &crate::source::SourceFile, usize)> = None;
    for (name, f) in &theme.templates {
        for a in attribute_urls(&f.text) {
            let parts = pattern(&a.url);
            let literal: usize =
                parts.iter().map(|p| p.map_or(0, |s| s.chars().filter(|c| c.is_alphanumeric()).count())).sum();
            if literal == 0 || !glob_match(&parts, url) {
                continue;
            }
            let key = (name == template, literal);
            if best.as_ref().is_none_or(|b| key > (b.0, b.1)) {
                // Point at the literal text that the URL shows, when the
                // attribute is written without character references.
                let first = parts.iter().flatten().find(|p| p.chars().any(char::is_alphanumeric));
                let at = first
                    .and_then(|p| f.text[a.offset..].find(p).map(|k| a.offset + k))
                    .filter(|&k| k < a.offset + a.url.len() + 16)
                    .unwrap_or(a.offset);
                best = Some((key.0, key.1, f, at));
            }
        }
    }
    match best {
        Some((_, _, f, offset)) => {
            let before = &f.text[..offset];
            let line = 1 + before.matches('\n').count();
            let col = 1 + before[before.rfind('\n').map_or(0, |j| j + 1)..].chars().count();
            Diagnostic::error(&f.path, msg).at(&f.text, line, col)
        }
        None => Diagnostic::error(
            format!("public/{page_output}"),
            format!("{msg} (the link comes from a value the template {template} shows)"),
        ),
    }
}

/// A template attribute value as literal parts (`Some`) and template
/// expressions (`None`, matching anything).
fn pattern(value: &str) -> Vec<Option<&str>> {
    let mut parts = Vec::new();
    let mut rest = value;
    while let Some(i) = rest.find(['{']) {
        let close = match rest[i..].get(..2) {
            Some("{{") => "}}",
            Some("{%") => "%}",
            Some("{#") => "#}",
            _ => {
                parts.push(Some(&rest[..=i]));
                rest = &rest[i + 1..];
                continue;
            }
        };
        if i > 0 {
            parts.push(Some(&rest[..i]));
        }
        parts.push(None);
        rest = match rest[i..].find(close) {
            Some(e) => &rest[i + e + 2..],
            None => "",
        };
    }
    if !rest.is_empty() {
        parts.push(Some(rest));
    }
    parts
}

/// Whether `text` matches literal parts and wildcards.
fn glob_match(parts: &[Option<&str>], text: &str) -> bool {
    match parts.split_first() {
        None => text.is_empty(),
        Some((Some(lit), rest)) => text.strip_prefix(lit).is_some_and(|t| glob_match(rest, t)),
        Some((None, rest)) => {
            if rest.is_empty() {
                return true;
            }
            text.char_indices().map(|(i, _)| i).chain([text.len()]).any(|i| glob_match(rest, &text[i..]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scheme_is_what_browsers_read_as_one() {
        for url in ["https://x.id", "mailto:a@b.c", "tel:+62", "web+gotong:x", "a.b-c:d", "C:x"] {
            assert!(has_scheme(url), "{url}");
        }
        for url in ["%6Aavascript:x", "a/b:c", "1a:b", ":x", "x", "./a:b", "javascript%3Ax", ""] {
            assert!(!has_scheme(url), "{url}");
        }
        // Such a URL is a path under the page, checked as one.
        let known = HashSet::from(["usaha/a/index.html".to_string()]);
        let c = Checker::new(&known, "https://uji.example");
        assert!(c.check("%6Aavascript:x", "/usaha/a/").is_err());
        assert!(c.check("mailto:a@b.c", "/usaha/a/").is_ok());
    }

    #[test]
    fn attribute_urls_of_html_cut_inside_a_tag() {
        for html in ["<div", "<div ", "<a href=x", "<a href=\"x", "<a href=", "<img src='y' ", "<a\n", "<"] {
            let urls = attribute_urls(html);
            assert!(urls.iter().all(|u| html[u.offset..].starts_with(&u.url)), "{html:?}: {urls:?}");
        }
        assert_eq!(attribute_urls("<a href=x").first().map(|u| u.url.as_str()), Some("x"));
    }

    /// Character references read as the HTML5 tokenizer reads them in an
    /// attribute (found by fuzzing: F11, `&colon;`).
    #[test]
    fn decodes_references_as_browsers_do() {
        for (raw, want) in [
            ("JaVaScRiPt&colon;alert(1)", "JaVaScRiPt:alert(1)"),
            ("?a=1&amp;b=2", "?a=1&b=2"),
            ("/a&amp/b", "/a&/b"),
            ("?x&ampy", "?x&ampy"),
            ("?x&amp=y", "?x&amp=y"),
            ("&#x41;&#66&#0;&#x80;&#xD800;&#99999999999;", "AB\u{fffd}€\u{fffd}\u{fffd}"),
            ("&#;&#x;&;&nosuch;", "&#;&#x;&;&nosuch;"),
            ("&NotEqualTilde;", "\u{2242}\u{338}"),
            ("&notin;&notit;", "∉&notit;"),
        ] {
            assert_eq!(decode_entities(raw), want, "{raw}");
        }
    }

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
        let html = r#"<a href="/a/?x=1&amp;y=2">a</a><img src='b.png' srcset="c.webp 320w, d.webp 640w"><p data-href="/no/"> href="/text/"</p>"#;
        assert_eq!(extract(html), ["/a/?x=1&y=2", "b.png", "c.webp", "d.webp"]);
    }

    #[test]
    fn only_real_tags_count() {
        let html = concat!(
            r#"<!-- <a href="/comment/"> --><p title='a href="/title/"'>x</p>"#,
            r#"<script>if (a<b) { s = '<a href="/script/">'; }</script>"#,
            r#"<A HREF=/upper/>u</A><img alt="&quot;" src = "/sp%20ace.png" /><a href="/x&#47;y&#x2F;z">"#,
        );
        assert_eq!(extract(html), ["/sp%20ace.png", "/upper/", "/x/y/z"]);
        let at = attribute_urls(r#"<img srcset="a.webp 1x,  b.webp 2x">"#);
        assert_eq!(at[1].offset, r#"<img srcset="a.webp 1x,  "#.len());
    }

    #[test]
    fn page_links_are_blamed_on_a_template_only_where_it_writes_them() {
        let mut theme = Theme::default();
        let add = |theme: &mut Theme, name: &str, text: &str| {
            theme
                .templates
                .insert(name.into(), crate::source::SourceFile::new(format!("themes/t/templates/{name}"), text));
        };
        add(&mut theme, "404.html", "{% extends \"base.html\" %}\n<a href=\"{{ x }}\">x</a>");
        add(&mut theme, "base.html", "<nav>\n  <a href=\"{{ site.root }}tentang-kami/\">T</a></nav>");
        let d = report_page_link(&theme, "404.html", "404.html", "/tentang-kami/", "no such page");
        assert_eq!(d.location(), "themes/t/templates/base.html:2:27");
        let d = report_page_link(&theme, "404.html", "404.html", "x", "no such page");
        assert_eq!(d.location(), "public/404.html");
        assert!(d.message.contains("404.html"));
    }
}
