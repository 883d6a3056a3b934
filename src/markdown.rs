//! Markdown to sanitised HTML.
//!
//! Content comes from many hands, so the HTML that pulldown-cmark produces
//! (including raw HTML written inside Markdown) goes through ammonia: only
//! harmless tags and attributes survive, and only `http`, `https`, `mailto`
//! and `tel` links. A `#` heading becomes `<h2>` because the page template
//! owns the `<h1>`. Relative links and images are
//! resolved against the folder the file belongs to, so they work from every
//! page that shows the text.

use std::collections::HashSet;
use std::sync::OnceLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::model::{Html, LinkRef};
use crate::source::SourceFile;

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static SANITIZER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    SANITIZER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.url_schemes(HashSet::from(["http", "https", "mailto", "tel"]))
            .url_relative(ammonia::UrlRelative::PassThrough)
            .link_rel(Some("noopener noreferrer"))
            .add_tag_attributes("img", ["loading", "width", "height"])
            .add_tag_attributes("th", ["style"])
            .add_tag_attributes("td", ["style"])
            .add_allowed_classes("pre", ["code"]);
        b.filter_style_properties(HashSet::from(["text-align"]));
        b
    })
}

/// Whether a URL points inside the site (no scheme, not protocol-relative,
/// not a fragment or an absolute path).
fn is_relative(url: &str) -> bool {
    !url.is_empty() && !url.starts_with('/') && !url.starts_with('#') && !url.starts_with('?') && !url.contains(':')
}

/// The page template owns the `<h1>`: a Markdown `#` becomes `<h2>`; other
/// levels stay as written (`##` is already a section of the page).
fn shift(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        other => other,
    }
}

/// Renders Markdown. `base` (ending in `/`) is prefixed to relative link
/// and image targets; pass `""` to leave them alone.
pub fn render(src: &str, base: &str) -> Html {
    render_inner(src, base, None)
}

/// Renders the body of `file` (starting at line `first_line`), keeping the
/// position of every link for the link checker.
pub fn render_file(file: &SourceFile, body: &str, first_line: usize, base: &str) -> Html {
    render_inner(body, base, Some((file, first_line)))
}

fn render_inner(src: &str, base: &str, origin: Option<(&SourceFile, usize)>) -> Html {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    opts.insert(Options::ENABLE_SMART_PUNCTUATION);
    let mut text = String::new();
    let mut links = Vec::new();
    let rebase = |url: CowStr<'static>| -> CowStr<'static> {
        if !base.is_empty() && is_relative(&url) { CowStr::from(format!("{base}{url}")) } else { url }
    };
    let events = Parser::new_ext(src, opts).into_offset_iter().map(|(ev, range)| {
        match &ev {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell)
                if !text.ends_with(' ') && !text.is_empty() =>
            {
                text.push(' ');
            }
            _ => {}
        }
        match ev {
            Event::Start(Tag::Heading { level, id, classes, attrs }) => {
                Event::Start(Tag::Heading { level: shift(level), id, classes, attrs })
            }
            Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(shift(level))),
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let dest_url = rebase(dest_url.into_static());
                note_link(&mut links, origin, src, range.start, &dest_url);
                Event::Start(Tag::Link { link_type, dest_url, title, id })
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                let dest_url = rebase(dest_url.into_static());
                note_link(&mut links, origin, src, range.start, &dest_url);
                Event::Start(Tag::Image { link_type, dest_url, title, id })
            }
            other => other,
        }
    });
    let mut raw = String::with_capacity(src.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut raw, events);
    let html = sanitizer().clean(&raw).to_string();
    Html { html, text: text.trim().to_string(), links }
}

/// Records where a link target was written.
fn note_link(links: &mut Vec<LinkRef>, origin: Option<(&SourceFile, usize)>, src: &str, offset: usize, url: &str) {
    let Some((file, first_line)) = origin else {
        return;
    };
    let before = src.get(..offset).unwrap_or(src);
    let line = first_line + before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = 1 + before[line_start..].chars().count();
    let source_line = src[line_start..].lines().next().unwrap_or("").to_string();
    links.push(LinkRef { url: url.to_string(), path: file.path.clone(), line, column, source_line });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features() {
        let h = render("# Judul\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~lama~~ \"kutip\"\n", "");
        assert!(h.html.contains("<h2>Judul</h2>"), "{}", h.html);
        assert!(h.html.contains("<table>"));
        assert!(h.html.contains("<del>lama</del>"));
        assert!(h.html.contains("“kutip”"));
        assert_eq!(h.text, "Judul a b 1 2 lama “kutip”");
    }

    #[test]
    fn sanitises() {
        let h = render(
            "<script>alert(1)</script><img src=x onerror=alert(1)>\n\n[a](javascript:alert(1)) [b](data:text/html,x) [c](https://ok.example) [d](mailto:a@b.c) [e](tel:+62)\n\n<iframe src=\"https://evil\"></iframe>",
            "",
        );
        assert!(!h.html.contains("script"), "{}", h.html);
        assert!(!h.html.contains("onerror"));
        assert!(!h.html.contains("javascript"));
        assert!(!h.html.contains("data:"));
        assert!(!h.html.contains("iframe"));
        assert!(h.html.contains("href=\"https://ok.example\""));
        assert!(h.html.contains("href=\"mailto:a@b.c\""));
        assert!(h.html.contains("href=\"tel:+62\""));
    }

    #[test]
    fn rebases_relative_urls() {
        let h = render("![foto](foto.jpg) [x](/abs/) [y](#top) [z](brosur.pdf)", "/usaha/a/");
        assert!(h.html.contains("src=\"/usaha/a/foto.jpg\""), "{}", h.html);
        assert!(h.html.contains("href=\"/abs/\""));
        assert!(h.html.contains("href=\"#top\""));
        assert!(h.html.contains("href=\"/usaha/a/brosur.pdf\""));
    }
}
