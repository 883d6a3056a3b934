//! Invariants every target asserts on what the readers return.

use gotong::diagnostics::{Diagnostic, Severity};
use gotong::model::Html;
use gotong::source::SourceFile;

/// The lines of a text as positions count them: the text after the last
/// `\n` is a line too (possibly empty), so an error at the very end of a
/// file has a line to sit on.
fn position_lines(text: &str) -> Vec<&str> {
    text.split('\n').collect()
}

/// Every located diagnostic is in one of `files`, on a line of it and at a
/// column of that line (or just after its end), and shows that line. An
/// empty file has no line: the only position in it is 1:1, with nothing
/// to show.
pub fn diagnostics(diags: &[Diagnostic], files: &[&SourceFile]) {
    for d in diags {
        assert!(!d.message.is_empty(), "empty message: {d:?}");
        assert!(!d.path.is_empty(), "no path: {d:?}");
        let Some(line) = d.line else {
            assert!(d.column.is_none(), "a column without a line: {d:?}");
            assert!(d.source_line.is_none(), "a source line without a line: {d:?}");
            continue;
        };
        let Some(file) = files.iter().find(|f| f.path == d.path) else {
            panic!("located diagnostic in a file that was not read: {d:?}");
        };
        let Some(col) = d.column else {
            panic!("a line without a column: {d:?}");
        };
        // Known (docs/testing.md, finding Y3): libyaml counts U+0085, U+2028
        // and U+2029 as line breaks, so its syntax errors in a file holding
        // them are on other lines than the file's.
        if d.message.starts_with("invalid YAML") && file.text.contains(['\u{85}', '\u{2028}', '\u{2029}']) {
            continue;
        }
        let lines: Vec<&str> = file.text.lines().collect();
        if lines.is_empty() {
            assert_eq!((line, col, d.source_line.as_deref()), (1, 1, None), "position in an empty file: {d:?}");
            continue;
        }
        assert!(line >= 1 && line <= lines.len(), "line {line} outside the file ({} lines): {d:?}", lines.len());
        let text = lines[line - 1];
        let width = text.chars().count();
        assert!(col >= 1 && col <= width + 1, "column {col} outside line {line} ({width} characters): {d:?}");
        // Deploy settings that may hold a secret are reported at their place
        // without showing the line (src/deploy/config.rs, `secret_error`).
        if d.source_line.is_none() && withholds_its_line(d) {
            continue;
        }
        // A syntax error in a file that sets a credential-looking key shows
        // no line (src/source.rs, `Doc::parse`): the secret may be on it.
        if d.source_line.is_none()
            && d.message.starts_with("invalid YAML")
            && file.text.lines().any(gotong::source::sets_credential)
        {
            continue;
        }
        assert_eq!(
            d.source_line.as_deref(),
            Some(text.trim_end()),
            "the source line shown is not line {line} of {}: {d:?}",
            d.path
        );
    }
}

/// Whether any diagnostic is an error.
pub fn has_error(diags: &[Diagnostic]) -> bool {
    diags.iter().any(|d| d.severity == Severity::Error)
}

/// The sanitised HTML has no script, no event handler, no dangerous URL;
/// every link recorded is in `file`, at the place where its URL is written
/// (docs/content.md: inside the link for inline links and autolinks, at
/// the definition for reference links, at the attribute value for raw
/// HTML). `base` is what relative URLs were rebased on.
pub fn html(h: &Html, file: Option<&SourceFile>, base: &str) {
    sanitised(&h.html);
    if let Some(file) = file {
        let lines = position_lines(&file.text);
        for l in &h.links {
            assert_eq!(l.path, file.path, "link recorded for another file: {l:?}");
            assert!(l.line >= 1 && l.line <= lines.len(), "link line outside the file: {l:?}");
            let text = lines[l.line - 1];
            assert_eq!(l.source_line, text, "link source line is not line {} of the file: {l:?}", l.line);
            let width = text.chars().count();
            assert!(l.column >= 1 && l.column <= width + 1, "link column outside line {}: {l:?}", l.line);
            let rest: String = text.chars().skip(l.column - 1).collect();
            assert!(
                at_url(&rest, &l.url, base),
                "link {:?} recorded at {}:{}, where the text is {rest:?}, not its URL:\n{}",
                l.url,
                l.line,
                l.column,
                file.text
            );
        }
    }
}

/// Whether `rest` (the line from a link's recorded column) starts where
/// `url` (as the HTML carries it) is written: with its first character,
/// once the base it was rebased on or the `mailto:` of an e-mail autolink
/// is taken off; an entity, percent-escape or backslash escape may stand
/// for that character, and an empty URL has nothing to point at; a NUL
/// may stand for the U+FFFD the HTML parser reads it as in raw HTML.
fn at_url(rest: &str, url: &str, base: &str) -> bool {
    let mut candidates = vec![url];
    if !base.is_empty()
        && let Some(u) = url.strip_prefix(base)
    {
        candidates.push(u);
    }
    if let Some(u) = url.strip_prefix("mailto:") {
        candidates.push(u);
    }
    let Some(c) = rest.chars().next() else { return candidates.iter().any(|u| u.is_empty()) };
    // The HTML parser reads a NUL in raw HTML as U+FFFD and a CR as LF;
    // a Markdown destination keeps a NUL (percent-encoded).
    let read = match c {
        '\0' => '\u{fffd}',
        '\r' => '\n',
        c => c,
    };
    if matches!(c, '&' | '%' | '\\') {
        return true;
    }
    // The HTML writer percent-encodes spaces and non-ASCII characters.
    let decoded: Vec<String> = candidates.iter().map(|u| gotong::links::percent_decode(u)).collect();
    candidates.iter().copied().chain(decoded.iter().map(String::as_str)).any(|u| match u.chars().next() {
        None => true,
        Some(f) => [c, read].iter().any(|c| f.to_lowercase().eq(c.to_lowercase())),
    })
}

/// Attributes whose value is a URL. Known (docs/testing.md, finding M1):
/// ammonia keeps `cite` of `blockquote`, `del`, `ins` and `q` without
/// checking its scheme (browsers never follow it), so `cite` is left out.
const URL_ATTRS: &[&str] =
    &["href", "src", "srcset", "action", "formaction", "poster", "background", "xlink:href", "data", "ping"];

/// Tags that must never come out of the sanitiser.
const BANNED_TAGS: &[&str] = &[
    "script",
    "style",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "svg",
    "math",
    "form",
    "input",
    "button",
    "textarea",
    "select",
    "option",
    "meta",
    "base",
    "link",
    "template",
    "noscript",
    "xmp",
    "plaintext",
    "video",
    "audio",
    "source",
    "applet",
];

fn decode_entities(s: &str) -> String {
    // ammonia (html5ever) escapes only `&`, `"` and `\u{a0}` in attribute
    // values; undo those and numeric references, to check what a browser
    // would see.
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|e| *e < 12);
        let ent = end.map(|e| &rest[1..e]);
        let decoded = match ent {
            Some("amp") => Some('&'),
            Some("quot") => Some('"'),
            Some("nbsp") => Some('\u{a0}'),
            Some("lt") => Some('<'),
            Some("gt") => Some('>'),
            Some(e) if e.starts_with("#x") || e.starts_with("#X") => {
                u32::from_str_radix(&e[2..], 16).ok().and_then(char::from_u32)
            }
            Some(e) if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match (decoded, end) {
            (Some(c), Some(e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Checks one sanitised HTML fragment, tag by tag. ammonia serialises
/// with html5ever, which escapes `<` in text, so every `<` starts a tag or
/// a comment.
pub fn sanitised(html: &str) {
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "script in sanitised HTML:\n{html}");
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        if rest.starts_with("!--") {
            panic!("comment survived sanitising:\n{html}");
        }
        let name_end = rest.find(|c: char| c.is_whitespace() || c == '>' || c == '/').unwrap_or(rest.len());
        let name = rest[..name_end].to_ascii_lowercase();
        if name.is_empty() {
            continue; // `</…`
        }
        assert!(!BANNED_TAGS.contains(&name.as_str()), "<{name}> survived sanitising:\n{html}");
        // Attributes up to the end of the tag: name="value" pairs.
        let mut attrs = &rest[name_end..];
        loop {
            attrs = attrs.trim_start();
            if attrs.starts_with('>') || attrs.starts_with("/>") || attrs.is_empty() {
                break;
            }
            let an_end = attrs.find(['=', ' ', '>', '/']).unwrap_or(attrs.len());
            let an = attrs[..an_end].to_ascii_lowercase();
            attrs = &attrs[an_end..];
            let mut value = String::new();
            if let Some(v) = attrs.strip_prefix("=\"") {
                let close = v.find('"').unwrap_or_else(|| panic!("unterminated attribute value:\n{html}"));
                value = decode_entities(&v[..close]);
                attrs = &v[close + 1..];
            } else if an.is_empty() {
                attrs = &attrs[1..];
                continue;
            }
            assert!(!an.starts_with("on"), "event handler `{an}` survived sanitising:\n{html}");
            if URL_ATTRS.contains(&an.as_str()) {
                let urls: Vec<&str> = if an == "srcset" {
                    value.split(',').filter_map(|c| c.split_whitespace().next()).collect()
                } else {
                    vec![value.as_str()]
                };
                for url in urls {
                    // As a browser reads it (WHATWG URL): tabs and line breaks
                    // dropped anywhere (`java\tscript:` is `javascript:`),
                    // controls and spaces trimmed at both ends.
                    let url: String = url.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
                    let url = url.trim_matches(|c: char| c <= ' ');
                    if let Some((scheme, _)) = url.split_once(':') {
                        let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                            && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
                        let scheme = scheme.to_ascii_lowercase();
                        assert!(
                            !is_scheme || ["http", "https", "mailto", "tel"].contains(&scheme.as_str()),
                            "URL scheme `{scheme}` in `{an}` survived sanitising:\n{html}"
                        );
                    }
                }
            }
            if an == "style" {
                assert!(matches!(name.as_str(), "th" | "td"), "style attribute on <{name}>:\n{html}");
                for decl in value.split(';').filter(|d| !d.trim().is_empty()) {
                    let prop = decl.split(':').next().unwrap_or("").trim();
                    assert_eq!(prop, "text-align", "style property `{prop}` survived:\n{html}");
                }
            }
        }
    }
}

/// Whether `d` is one of the errors that do not show their source line,
/// because the line may hold a credential: a credential-looking key, or a
/// deploy `url` that is invalid or carries credentials.
fn withholds_its_line(d: &Diagnostic) -> bool {
    d.path == "site.yaml"
        && (d.message.contains("credentials never go in site.yaml") || d.message.starts_with("`url` "))
}
