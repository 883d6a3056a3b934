//! Markdown to sanitised HTML.
//!
//! Content comes from many hands, so the HTML that pulldown-cmark produces
//! (including raw HTML written inside Markdown) goes through ammonia: only
//! harmless tags and attributes survive, and only `http`, `https`, `mailto`
//! and `tel` links. A `#` heading becomes `<h2>` because the page template
//! owns the `<h1>`. Relative links and images are
//! resolved against the folder the file belongs to, so they work from every
//! page that shows the text.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::OnceLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};

use crate::model::{Html, LinkRef};
use crate::source::{SourceFile, is_forbidden_char};

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
            // Footnotes and editors' own anchors; every id gets a prefix,
            // so that content can never take an id the page uses.
            .add_generic_attributes(["id"])
            .id_prefix(Some(ID_PREFIX))
            .add_allowed_classes("pre", ["code"])
            .add_allowed_classes("sup", ["footnote-ref"])
            .add_allowed_classes("div", ["footnote"])
            .add_allowed_classes("a", ["footnote-back"])
            .add_tag_attributes("a", ["aria-label"]);
        b.filter_style_properties(HashSet::from(["text-align"]));
        b
    })
}

/// Prefix of every `id` in content HTML.
pub const ID_PREFIX: &str = "isi-";

/// Whether a URL points inside the site (no scheme, not protocol-relative,
/// not a fragment or an absolute path).
fn is_relative(url: &str) -> bool {
    !url.is_empty()
        && !url.starts_with('/')
        && !url.starts_with('#')
        && !url.starts_with('?')
        && !crate::links::has_scheme(url)
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

/// A URL the Markdown writes, and the byte offset in the text where the
/// URL itself is written (the value of an attribute, the destination of a
/// link or of its reference definition).
struct Written {
    url: String,
    offset: usize,
}

/// Where the destination of a link is written: inside the link for inline
/// links and autolinks, in the reference definition for reference links.
/// `text_end` is where the link text ends (the end of its last event, or
/// the start of the link when the text is empty): an inline destination
/// follows the first `](` from there (a destination may hold `](` itself).
fn url_offset(
    src: &str,
    range: &Range<usize>,
    link_type: LinkType,
    def: Option<&Range<usize>>,
    dest: &str,
    text_end: usize,
) -> usize {
    let find_dest = |from: usize, to: usize, marker: &str| -> Option<usize> {
        let part = src.get(from..to)?;
        let m = part.find(marker)? + marker.len();
        // White space, then at most one `<` (a `<…>` destination, whose
        // URL may itself start with white space).
        let after = &part[m..];
        let ws = after.len() - after.trim_start_matches([' ', '\t', '\n']).len();
        let lead = ws + usize::from(after[ws..].starts_with('<'));
        let at = from + m + lead;
        src.get(at..).is_some_and(|r| r.starts_with(dest)).then_some(at).or(Some(from + m + lead))
    };
    match link_type {
        LinkType::Autolink | LinkType::Email => range.start + 1,
        LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut => match def {
            Some(span) => find_dest(span.start, span.end, "]:").unwrap_or(span.start),
            None => range.start,
        },
        _ => find_dest(text_end.clamp(range.start, range.end), range.end, "](").unwrap_or(range.start),
    }
}

/// A link or image whose end event has not come yet.
struct OpenLink {
    /// Its entry in the written URLs.
    written: usize,
    range: Range<usize>,
    link_type: LinkType,
    def: Option<Range<usize>>,
    dest: String,
    /// The end of the last event of its text so far.
    text_end: usize,
}

impl OpenLink {
    fn new(written: usize, range: &Range<usize>, link_type: LinkType, def: Option<&Range<usize>>, dest: &str) -> Self {
        OpenLink {
            written,
            range: range.clone(),
            link_type,
            def: def.cloned(),
            dest: dest.to_string(),
            text_end: range.start,
        }
    }
}

/// Raw HTML of one block (or one inline tag): its pieces and where each
/// starts in the Markdown text.
#[derive(Default)]
struct RawHtml {
    text: String,
    /// (offset in `text`, offset in the Markdown source) of each piece.
    pieces: Vec<(usize, usize)>,
}

impl RawHtml {
    fn push(&mut self, piece: &str, source_offset: usize) {
        self.pieces.push((self.text.len(), source_offset));
        self.text.push_str(piece);
    }

    fn source_offset(&self, at: usize) -> usize {
        match self.pieces.iter().rev().find(|(t, _)| *t <= at) {
            Some((t, s)) => s + (at - t),
            None => 0,
        }
    }

    /// The HTML with relative `href`/`src` values rebased, and the URLs it
    /// writes with their source offsets.
    fn finish(self, base: &str, written: &mut Vec<Written>) -> String {
        let mut out = String::with_capacity(self.text.len());
        let mut last = 0;
        for a in crate::links::attribute_urls(&self.text) {
            let url = if !base.is_empty() && is_relative(&a.url) {
                out.push_str(&self.text[last..a.offset]);
                out.push_str(base);
                last = a.offset;
                format!("{base}{}", a.url)
            } else {
                a.url
            };
            written.push(Written { url, offset: self.source_offset(a.offset) });
        }
        out.push_str(&self.text[last..]);
        out
    }
}

/// The elements the sanitiser removes with their content (ammonia's
/// default `clean_content_tags`).
const DROPPED_WITH_CONTENT: [&str; 2] = ["script", "style"];

/// Whether raw HTML `h` starts with the tag `open` + `name` (`<script`,
/// `</style`…), in any case, the name ending there.
fn starts_tag(h: &str, open: &str, name: &str) -> bool {
    let h = h.trim_start().as_bytes();
    let n = open.len() + name.len();
    h.len() >= n
        && h[..open.len()] == *open.as_bytes()
        && h[open.len()..n].eq_ignore_ascii_case(name.as_bytes())
        && h.get(n).is_none_or(|c| !c.is_ascii_alphanumeric() && *c != b'-')
}

fn footnote_number(numbers: &mut HashMap<String, usize>, name: &str) -> usize {
    let next = numbers.len() + 1;
    *numbers.entry(name.to_string()).or_insert(next)
}

fn render_inner(src: &str, base: &str, origin: Option<(&SourceFile, usize)>) -> Html {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    opts.insert(Options::ENABLE_SMART_PUNCTUATION);
    opts.insert(Options::ENABLE_FOOTNOTES);
    let mut text = String::new();
    let mut written: Vec<Written> = Vec::new();
    let rebase = |url: CowStr<'static>| -> CowStr<'static> {
        if !base.is_empty() && is_relative(&url) { CowStr::from(format!("{base}{url}")) } else { url }
    };
    let parser = Parser::new_ext(src, opts).into_offset_iter();
    // Reference definitions are all known before the first event; labels
    // match case-insensitively, with runs of white space as one space.
    let label = |l: &str| l.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    let defs: HashMap<String, Range<usize>> =
        parser.reference_definitions().iter().map(|(k, d)| (label(k), d.span.clone())).collect();
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut block: Option<RawHtml> = None;
    let mut numbers: HashMap<String, usize> = HashMap::new();
    let mut refs_seen: HashSet<usize> = HashSet::new();
    // Links and images whose text is being read: where their URL is
    // written is known at their end.
    let mut open: Vec<OpenLink> = Vec::new();
    // The element written as inline HTML whose content is not text.
    let mut dropped: Option<&str> = None;
    for (ev, range) in parser {
        if matches!(ev, Event::End(TagEnd::Link | TagEnd::Image))
            && let Some(l) = open.pop()
            && let Some(w) = written.get_mut(l.written)
        {
            w.offset = url_offset(src, &l.range, l.link_type, l.def.as_ref(), &l.dest, l.text_end);
        }
        for l in &mut open {
            l.text_end = l.text_end.max(range.end);
        }
        match &ev {
            // The sanitiser drops a script or style element with what it
            // holds: so does the text (descriptions, excerpts, the profile).
            Event::InlineHtml(h) => match dropped {
                Some(name) if starts_tag(h, "</", name) => dropped = None,
                Some(_) => {}
                None => dropped = DROPPED_WITH_CONTENT.into_iter().find(|name| starts_tag(h, "<", name)),
            },
            Event::Text(_) | Event::Code(_) if dropped.is_some() => {}
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell)
                if !text.ends_with(' ') && !text.is_empty() =>
            {
                text.push(' ');
            }
            _ => {}
        }
        let out = match ev {
            Event::Start(Tag::HtmlBlock) => {
                block = Some(RawHtml::default());
                continue;
            }
            Event::Html(h) if block.is_some() => {
                if let Some(b) = block.as_mut() {
                    b.push(&h, range.start);
                }
                continue;
            }
            Event::End(TagEnd::HtmlBlock) => match block.take() {
                Some(b) => Event::Html(CowStr::from(b.finish(base, &mut written))),
                None => continue,
            },
            Event::Html(h) | Event::InlineHtml(h) => {
                let mut b = RawHtml::default();
                b.push(&h, range.start);
                Event::InlineHtml(CowStr::from(b.finish(base, &mut written)))
            }
            Event::Start(Tag::Heading { level, id, classes, attrs }) => {
                Event::Start(Tag::Heading { level: shift(level), id, classes, attrs })
            }
            Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(shift(level))),
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                // An e-mail autolink is an address, never a path to rebase.
                let dest_url =
                    if link_type == LinkType::Email { dest_url.into_static() } else { rebase(dest_url.into_static()) };
                let url =
                    if link_type == LinkType::Email { format!("mailto:{dest_url}") } else { dest_url.to_string() };
                open.push(OpenLink::new(written.len(), &range, link_type, defs.get(&label(&id)), &dest_url));
                written.push(Written { url, offset: range.start });
                Event::Start(Tag::Link { link_type, dest_url, title, id })
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                let dest_url = rebase(dest_url.into_static());
                open.push(OpenLink::new(written.len(), &range, link_type, defs.get(&label(&id)), &dest_url));
                written.push(Written { url: dest_url.to_string(), offset: range.start });
                Event::Start(Tag::Image { link_type, dest_url, title, id })
            }
            // Footnotes, with ids the sanitiser keeps (it prefixes them).
            Event::FootnoteReference(name) => {
                let n = footnote_number(&mut numbers, &name);
                let id = if refs_seen.insert(n) { format!(" id=\"ref-{n}\"") } else { String::new() };
                Event::InlineHtml(CowStr::from(format!(
                    "<sup class=\"footnote-ref\"><a href=\"#{ID_PREFIX}catatan-{n}\"{id}>{n}</a></sup>"
                )))
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                let n = footnote_number(&mut numbers, &name);
                Event::Html(CowStr::from(format!(
                    "<div class=\"footnote\" id=\"catatan-{n}\"><sup>{n}</sup> <a class=\"footnote-back\" href=\"#{ID_PREFIX}ref-{n}\" aria-label=\"↩\">↩</a>"
                )))
            }
            Event::End(TagEnd::FootnoteDefinition) => Event::Html(CowStr::from("</div>\n")),
            other => other,
        };
        events.push(out);
    }
    let mut raw = String::with_capacity(src.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut raw, events.into_iter());
    let mut html = sanitizer().clean(&raw).to_string();
    let mut text = text.trim().to_string();
    // A forbidden character written as itself is an error where it stands
    // (`source::check_characters`), and stays, so that links are still
    // found where they are written; one written only as an entity
    // (`&#x202E;`) in text or raw HTML is dropped here.
    if html.chars().chain(text.chars()).any(is_forbidden_char) {
        // The few forbidden characters the source holds, found in one pass
        // (asking the source once per character would be quadratic).
        let written: HashSet<char> = src.chars().filter(|c| is_forbidden_char(*c)).collect();
        for t in [&mut html, &mut text] {
            t.retain(|c| !is_forbidden_char(c) || written.contains(&c));
        }
    }
    let links = match origin {
        Some((file, first_line)) => locate_links(&html, written, src, base, file, first_line),
        None => Vec::new(),
    };
    Html { html, text, links }
}

/// Where `url` (as the page carries it) is written in `src`, for a link
/// that no written URL accounts for: the HTML parser found a tag that
/// gotong's scanner did not (raw HTML whose meaning depends on tags in
/// other pieces of the paragraph, such as an inline `<noscript>`, or an
/// attribute whose quote is closed only in a later block). The first place
/// the URL's text (without the base it was rebased on, or the `mailto:` of
/// an address) is written; else the first place its start is written, up
/// to the first character the source may write otherwise (a line break, a
/// NUL the parser read as U+FFFD, an entity or a percent escape).
fn find_in_source(src: &str, url: &str, base: &str) -> Option<usize> {
    let mut candidates = vec![url];
    if !base.is_empty()
        && let Some(u) = url.strip_prefix(base)
    {
        candidates.push(u);
    }
    if let Some(u) = url.strip_prefix("mailto:") {
        candidates.push(u);
    }
    candidates.retain(|c| !c.is_empty());
    // Where the text stands as an attribute's value, before anywhere else
    // (a one-letter URL `x` is also the middle of "tax").
    let as_value = candidates.iter().find_map(|c| {
        let after_value = |i: usize| src.as_bytes().get(i + c.len()).is_none_or(|b| b" \t\r\n\"'>/".contains(b));
        src.match_indices(c).map(|(i, _)| i).find(|&i| {
            matches!(src[..i].trim_end_matches([' ', '\t']).as_bytes().last(), Some(b'=' | b'"' | b'\''))
                && after_value(i)
        })
    });
    as_value.or_else(|| candidates.iter().find_map(|c| src.find(c))).or_else(|| {
        candidates.iter().find_map(|c| {
            let start = c.split(['\n', '\r', '\u{fffd}', '&', '%']).next().unwrap_or("");
            if start.is_empty() { None } else { src.find(start) }
        })
    })
}

/// The links the sanitised HTML carries, each at the place in the Markdown
/// that wrote it. A link the sanitiser dropped (a `javascript:` URL, an
/// `<iframe src>`) is not there to check; every link that is there was
/// written somewhere in the text, so each is matched with the next written
/// URL that is the same, else with the next that reads the same once
/// percent-decoded (the HTML writer percent-encodes spaces and non-ASCII),
/// else it is a copy the HTML parser made of one, at the place of its
/// original.
fn locate_links(
    html: &str,
    written: Vec<Written>,
    src: &str,
    base: &str,
    file: &SourceFile,
    first_line: usize,
) -> Vec<LinkRef> {
    use std::collections::VecDeque;
    // The HTML parser reads a NUL as U+FFFD and a CR (or CR LF) as LF,
    // in attribute values as anywhere else: compare URLs as it reads them.
    let key =
        |u: &str| crate::links::percent_decode(u).replace("\r\n", "\n").replace(['\r'], "\n").replace('\0', "\u{fffd}");
    // Written URLs by their text and by their decoded text; `used` keeps
    // the two queues in step (an entry taken through one is gone from both).
    let mut exact: HashMap<&str, VecDeque<usize>> = HashMap::new();
    let mut decoded: HashMap<String, VecDeque<usize>> = HashMap::new();
    for (i, w) in written.iter().enumerate() {
        exact.entry(w.url.as_str()).or_default().push_back(i);
        decoded.entry(key(&w.url)).or_default().push_back(i);
    }
    let mut used = vec![false; written.len()];
    let take = |q: Option<&mut VecDeque<usize>>, used: &mut [bool]| -> Option<usize> {
        let q = q?;
        while let Some(i) = q.pop_front() {
            if !used[i] {
                used[i] = true;
                return Some(i);
            }
        }
        None
    };
    let mut last: HashMap<String, usize> = HashMap::new();
    let mut links = Vec::new();
    for a in crate::links::attribute_urls(html) {
        if a.url.starts_with('#') {
            continue;
        }
        let k = key(&a.url);
        let found = take(exact.get_mut(a.url.as_str()), &mut used).or_else(|| take(decoded.get_mut(&k), &mut used));
        // The HTML parser may carry a link more times than it was written:
        // an `<a>` left open in a paragraph is opened again after it (the
        // HTML5 rule for formatting elements). A copy is where its original
        // was written.
        let offset = match found {
            Some(i) => {
                last.insert(k, written[i].offset);
                written[i].offset
            }
            None => last.get(&k).copied().or_else(|| find_in_source(src, &a.url, base)).unwrap_or(0),
        };
        let before = src.get(..offset).unwrap_or(src);
        let line = first_line + before.matches('\n').count();
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = 1 + before[line_start..].chars().count();
        let source_line = src[line_start..].lines().next().unwrap_or("").to_string();
        links.push(LinkRef { url: a.url, path: file.path.clone(), line, column, source_line });
    }
    links
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

    /// Inline script and style elements are dropped with their content
    /// from the page, so from the text too (it fed descriptions, excerpts
    /// and the printable profile).
    #[test]
    fn the_text_leaves_out_what_the_page_drops() {
        let h = render(
            "Keripik <script>document.write(\"iklan\")</script>pedas <STYLE type=x>.harga{display:none}</STYLE>renyah \
             <scripts>tetap</scripts> `kode`.\n\n<span>ada</span> <script>tanpa akhir\n\nhilang",
            "",
        );
        assert!(!h.html.contains("iklan") && !h.html.contains("harga") && !h.html.contains("hilang"), "{}", h.html);
        assert_eq!(h.text, "Keripik pedas renyah tetap kode. ada");
        assert!(starts_tag(" <Script>", "<", "script") && starts_tag("</style >", "</", "style"));
        assert!(!starts_tag("<scripted>", "<", "script") && !starts_tag("<style-x>", "<", "style"));
    }

    #[test]
    fn rebases_relative_urls() {
        let h = render("![foto](foto.jpg) [x](/abs/) [y](#top) [z](brosur.pdf)", "/usaha/a/");
        assert!(h.html.contains("src=\"/usaha/a/foto.jpg\""), "{}", h.html);
        assert!(h.html.contains("href=\"/abs/\""));
        assert!(h.html.contains("href=\"#top\""));
        assert!(h.html.contains("href=\"/usaha/a/brosur.pdf\""));
    }

    fn links_of(src: &str, base: &str) -> (String, Vec<(String, usize, usize)>) {
        let f = SourceFile::new("content/pages/x.md", src);
        let h = render_file(&f, &f.text, 1, base);
        (h.html, h.links.into_iter().map(|l| (l.url, l.line, l.column)).collect())
    }

    #[test]
    fn every_link_form_is_found_where_it_is_written() {
        let src = concat!(
            "# [Judul](/judul/)\n",                                                   // 1: link in a heading
            "Surat <redaksi@example.org> dan <https://a.example/x>.\n",               // 2: email and URL autolinks
            "[ref][Satu] dan [satu] dan ![gambar][img]\n",                            // 3: reference links and image
            "[t](/t/ \"judul\") [s](<dengan spasi.pdf>)\n",                           // 4: title, <…> destination
            "\n| a | b |\n|---|---|\n| [sel](/sel/) | x |\n",                         // 8: link in a table
            "\nCatatan[^1].\n\n[^1]: Lihat [sumber](/sumber/).\n",                    // 10, 12: footnote with a link
            "\n<p><img src=\"foto.jpg\"> <a href='/mentah/?a=1&amp;b=2'>m</a></p>\n", // 14: raw HTML
            "<iframe src=\"/dibuang/\"></iframe>\n\n[js](javascript:alert(1))\n", // 15, 17: dropped by the sanitiser
            "\n[satu]: /satu/\n[img]: logo.png \"Logo\"\n",                       // 19, 20: definitions
        );
        let (html, links) = links_of(src, "/usaha/a/");
        let got: Vec<(&str, usize, usize)> = links.iter().map(|(u, l, c)| (u.as_str(), *l, *c)).collect();
        assert_eq!(
            got,
            [
                ("/judul/", 1, 11),
                ("mailto:redaksi@example.org", 2, 8),
                ("https://a.example/x", 2, 34),
                ("/satu/", 19, 9),
                ("/satu/", 19, 9),
                ("/usaha/a/logo.png", 20, 8),
                ("/t/", 4, 5),
                ("/usaha/a/dengan%20spasi.pdf", 4, 23),
                ("/sel/", 8, 9),
                ("/sumber/", 12, 22),
                ("/usaha/a/foto.jpg", 14, 14),
                ("/mentah/?a=1&b=2", 14, 34),
            ],
            "{html}"
        );

        assert!(!html.contains("dibuang") && !html.contains("javascript"), "{html}");
        assert!(html.contains("aria-label=\"↩\""), "{html}");
        assert!(html.contains("id=\"isi-catatan-1\"") && html.contains("href=\"#isi-catatan-1\""), "{html}");
    }

    /// The HTML parser reads a NUL in an attribute as U+FFFD and a CR LF as
    /// LF: a link is still found where it is written (found by fuzzing).
    #[test]
    fn links_the_html_parser_rewrites_are_found_where_written() {
        let (html, links) = links_of("x\n\n<a href=\"/a\u{0}b/\">x</a>\r\n<img\r\nsrc=\"/c\r\nd\">\n", "");
        let got: Vec<(&str, usize, usize)> = links.iter().map(|(u, l, c)| (u.as_str(), *l, *c)).collect();
        assert_eq!(got, [("/a\u{fffd}b/", 3, 10), ("/c\nd", 5, 6)], "{html}");
    }

    /// A destination may hold `](` itself, and an image in a link has a
    /// `](` of its own: each URL is found after the end of its own link
    /// text (found by fuzzing: L3).
    #[test]
    fn a_destination_holding_a_bracket_paren_is_found_where_written() {
        let (html, links) = links_of(
            "[a](/x![b](/y)z) [![c](/d)](/e) [](/f)
",
            "",
        );
        let got: Vec<(&str, usize, usize)> = links.iter().map(|(u, l, c)| (u.as_str(), *l, *c)).collect();
        assert_eq!(got, [("/x!%5Bb%5D(/y)z", 1, 5), ("/e", 1, 29), ("/d", 1, 24), ("/f", 1, 36)], "{html}");
    }

    /// Raw HTML whose meaning depends on a tag in another inline piece of
    /// the paragraph (an inline `<noscript>`): the link is found where its
    /// URL is written (found by fuzzing: F8).
    #[test]
    fn a_link_only_the_html_parser_sees_is_found_where_written() {
        let src = "Teks <x.\n<noscript><p title=\"</noscript><img src=/x.png>\"></noscript>\n";
        let (html, links) = links_of(src, "");
        let got: Vec<(&str, usize, usize)> = links.iter().map(|(u, l, c)| (u.as_str(), *l, *c)).collect();
        assert_eq!(got, [("/x.png", 2, 41)], "{html}");
        // A short URL whose text also stands inside a word is found where
        // it is an attribute's value, quoted or not.
        for (src, col) in [
            ("Kata tax di sini.\n<noscript><p title=\"</noscript><img src=x>\"></p></noscript>\n", 41),
            ("Kata tax.\n<noscript><p title=\"</noscript><img src = 'x'>\"></p></noscript>\n", 44),
        ] {
            let (html, links) = links_of(src, "");
            let got: Vec<(&str, usize, usize)> = links.iter().map(|(u, l, c)| (u.as_str(), *l, *c)).collect();
            assert_eq!(got, [("x", 2, col)], "{src} gives {html}");
        }
    }

    /// A `<…>` destination may start with white space, which is part of
    /// the URL: the link is found at that space (found by fuzzing: F10).
    #[test]
    fn an_angle_destination_starting_with_a_space_is_found_where_written() {
        let (html, links) = links_of("[a](< /x y>) [b](\n  <\t/z>)\n\n[r]: < /r>\n[c][r]\n", "");
        let got: Vec<(&str, usize, usize)> = links.iter().map(|(u, l, c)| (u.as_str(), *l, *c)).collect();
        assert_eq!(got, [("%20/x%20y", 1, 6), ("%09/z", 2, 4), ("%20/r", 4, 7)], "{html}");
    }

    /// An attribute quote left open runs into the next block: the link is
    /// found where its URL starts (found by fuzzing: F9).
    #[test]
    fn a_url_running_into_the_next_block_is_found_where_it_starts() {
        let src = "<p>Lihat\n<a href=\"/hilang\nTeks.\n\n<div>\n<b title=\"x\">y</b>\n</div>\n";
        let (html, links) = links_of(src, "");
        let got: Vec<(usize, usize)> = links.iter().map(|(_, l, c)| (*l, *c)).collect();
        assert_eq!(got, [(2, 10)], "{html}");
    }

    /// The sanitiser's HTML parser reads the contents of `<noscript>` (and
    /// the other raw-text elements) as text, so a tag that seems to sit in
    /// an attribute there is a real one after the end tag (found by
    /// fuzzing: L2).
    #[test]
    fn a_tag_after_a_raw_text_element_is_found_where_written() {
        let (html, links) = links_of("<div>\n<noscript><p title=\"</noscript><img src=/x>\"></noscript>\n</div>\n", "");
        let got: Vec<(&str, usize, usize)> = links.iter().map(|(u, l, c)| (u.as_str(), *l, *c)).collect();
        assert_eq!(got, [("/x", 2, 41)], "{html}");
    }
}
