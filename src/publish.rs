//! Files that search engines and feed readers read: `sitemap.xml` (a
//! sitemap index past 50,000 URLs), `feed.xml` (Atom) and `robots.txt`.
//!
//! Every date comes from content (`updated:` or git), never from the clock,
//! so two builds of the same commit are byte-identical.

use std::fmt::Write as _;

use crate::derive::{Derived, Item};
use crate::model::{Date, Site};
use crate::render::{Job, LangJob};

/// Most URLs in one sitemap file (the sitemaps.org limit).
pub const SITEMAP_LIMIT: usize = 50_000;

/// Entries of the Atom feed.
pub const FEED_ENTRIES: usize = 50;

/// Escapes text for XML content and attribute values.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    xml_escape_into(&mut out, s);
    out
}

/// Appends `s` escaped for XML content and attribute values, without the
/// characters XML 1.0 cannot hold (control characters other than tab and
/// LF, and U+FFFE/U+FFFF; CR is dropped too), so that no content can make
/// a feed, a sitemap or a Word document unreadable.
pub fn xml_escape_into(out: &mut String, s: &str) {
    // Runs of ordinary text are copied whole: only the bytes below are
    // special (U+FFFE and U+FFFF are EF BF BE and EF BF BF in UTF-8).
    let special =
        |b: u8| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'' | 0xEF) || (b < 0x20 && b != b'\n' && b != b'\t');
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if !special(b) {
            i += 1;
            continue;
        }
        out.push_str(&s[start..i]);
        let mut len = 1;
        match b {
            b'&' => out.push_str("&amp;"),
            b'<' => out.push_str("&lt;"),
            b'>' => out.push_str("&gt;"),
            b'"' => out.push_str("&quot;"),
            b'\'' => out.push_str("&apos;"),
            0xEF => {
                // A three-byte character; dropped when it is U+FFFE or U+FFFF.
                len = 3;
                let c = &s[i..i + 3];
                if c != "\u{fffe}" && c != "\u{ffff}" {
                    out.push_str(c);
                }
            }
            _ => {} // a control character XML cannot hold
        }
        i += len;
        start = i;
    }
    out.push_str(&s[start..]);
}

/// The date a page last changed, if the content says.
pub fn lastmod(site: &Site, derived: &Derived, job: Job) -> Option<Date> {
    let firm = |f: usize| site.firms[f].updated;
    let items_max = |items: &[Item]| {
        items
            .iter()
            .filter_map(|i| match *i {
                Item::Firm(f) => firm(f),
                Item::Product(f, p) => site.firms[f].products[p].updated.or(firm(f)),
            })
            .max()
    };
    match job {
        Job::Firm(f) | Job::Partners(f) => firm(f),
        Job::Product(f, p) => site.firms[f].products[p].updated.or(firm(f)),
        Job::Listing(tax, t, _) => items_max(&derived.taxonomies[&tax][t].items),
        Job::Terms(tax) => derived.taxonomies[&tax].iter().filter_map(|t| items_max(&t.items)).max(),
        Job::Home | Job::Search => site.firms.iter().filter_map(|f| f.updated).max(),
        Job::Page(i) => site.pages[i].updated,
        Job::NotFound => None,
        Job::Profile(f) => firm(f),
        // A proposal also shows its partners, so it changes when one does.
        Job::Proposal(f) => derived.partners[f].iter().filter_map(|s| firm(s.partner)).chain(firm(f)).max(),
        Job::Events => site.events.iter().filter_map(|e| e.updated).max(),
        Job::Event(e) | Job::Agenda(e, _) => site.events[e].updated,
    }
}

/// One URL of the sitemap. Language editions are separate URLs; their
/// `hreflang` links live in the pages' `<head>`, which keeps the sitemap
/// valid against the plain sitemaps.org schema.
pub struct UrlEntry {
    /// Absolute URL.
    pub loc: String,
    /// Last change.
    pub lastmod: Option<Date>,
}

/// `sitemap.xml`, plus `sitemap-<n>.xml` parts when there are more than
/// [`SITEMAP_LIMIT`] URLs (then `sitemap.xml` is an index of the parts).
pub fn sitemaps(base_url: &str, entries: &[UrlEntry]) -> Vec<(String, Vec<u8>)> {
    let urlset = |chunk: &[UrlEntry]| -> Vec<u8> {
        let mut s = String::with_capacity(chunk.len() * 120);
        s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        s.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        for e in chunk {
            let _ = write!(s, "  <url>\n    <loc>{}</loc>\n", xml_escape(&e.loc));
            if let Some(d) = e.lastmod {
                let _ = writeln!(s, "    <lastmod>{}</lastmod>", d.iso());
            }
            s.push_str("  </url>\n");
        }
        s.push_str("</urlset>\n");
        s.into_bytes()
    };
    if entries.len() <= SITEMAP_LIMIT {
        return vec![("sitemap.xml".into(), urlset(entries))];
    }
    let mut files = Vec::new();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (i, chunk) in entries.chunks(SITEMAP_LIMIT).enumerate() {
        let name = format!("sitemap-{}.xml", i + 1);
        let _ = write!(index, "  <sitemap>\n    <loc>{}/{name}</loc>\n", xml_escape(base_url));
        if let Some(d) = chunk.iter().filter_map(|e| e.lastmod).max() {
            let _ = writeln!(index, "    <lastmod>{}</lastmod>", d.iso());
        }
        index.push_str("  </sitemap>\n");
        files.push((name, urlset(chunk)));
    }
    index.push_str("</sitemapindex>\n");
    files.insert(0, ("sitemap.xml".into(), index.into_bytes()));
    files
}

/// Sitemap entries for every page worth indexing (all but the 404 page and
/// the draft proposals).
pub fn url_entries(site: &Site, derived: &Derived, jobs: &[LangJob], path: impl Fn(Job) -> String) -> Vec<UrlEntry> {
    let base = &site.config.base_url;
    jobs.iter()
        // Draft proposals are not for search engines (their pages say noindex).
        .filter(|(_, job)| !matches!(job, Job::NotFound | Job::Proposal(_)))
        .map(|&(lang, job)| UrlEntry {
            loc: format!("{base}{}{}", site.config.lang_prefix(lang), path(job)),
            lastmod: lastmod(site, derived, job),
        })
        .collect()
}

fn atom_date(d: Date) -> String {
    format!("{}T00:00:00+07:00", d.iso())
}

/// `feed.xml`: the newest firms and products (those with a date), in the
/// main language.
pub fn feed(site: &Site) -> Vec<u8> {
    let base = &site.config.base_url;
    let lang = site.config.language;
    // (date, kind: 0 firm, 1 product, 2 event; firm or event index, product index)
    let mut items: Vec<(Date, u8, usize, usize)> = Vec::new();
    for (ei, e) in site.events.iter().enumerate() {
        if let Some(d) = e.updated {
            items.push((d, 2, ei, 0));
        }
    }
    for (fi, f) in site.firms.iter().enumerate() {
        if let Some(d) = f.updated {
            items.push((d, 0, fi, 0));
        }
        for (pi, p) in f.products.iter().enumerate() {
            if let Some(d) = p.updated {
                items.push((d, 1, fi, pi));
            }
        }
    }
    items.sort_by(|a, b| {
        b.0.cmp(&a.0).then_with(|| {
            let key = |x: &(Date, u8, usize, usize)| {
                let slug = if x.1 == 2 { &site.events[x.2].slug } else { &site.firms[x.2].slug };
                (x.1, slug, x.3)
            };
            key(a).cmp(&key(b))
        })
    });
    items.truncate(FEED_ENTRIES);
    let updated = items.first().map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |i| atom_date(i.0));
    let mut s = String::with_capacity(items.len() * 600 + 600);
    s.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(s, "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">", lang.code());
    let _ = writeln!(s, "  <title>{}</title>", xml_escape(&site.config.title));
    if let Some(d) = &site.config.description {
        let _ = writeln!(s, "  <subtitle>{}</subtitle>", xml_escape(d));
    }
    let _ = writeln!(s, "  <link href=\"{}/feed.xml\" rel=\"self\" type=\"application/atom+xml\"/>", xml_escape(base));
    let _ = writeln!(s, "  <link href=\"{}/\" rel=\"alternate\" type=\"text/html\"/>", xml_escape(base));
    let _ = writeln!(s, "  <id>{}/</id>", xml_escape(base));
    let _ = writeln!(s, "  <updated>{updated}</updated>");
    let _ = writeln!(s, "  <author><name>{}</name></author>", xml_escape(&site.config.title));
    let _ = writeln!(s, "  <generator version=\"{}\">gotong</generator>", env!("CARGO_PKG_VERSION"));
    for (date, kind, fi, pi) in items {
        if kind == 2 {
            let e = &site.events[fi];
            let url = format!("{base}/temu/{}/", e.slug);
            let summary = format!(
                "{} · {} · {}",
                e.date.iso(),
                e.venue,
                crate::render::views::excerpt(&e.description.get(lang).0.text, 240)
            );
            s.push_str("  <entry>\n");
            let _ = writeln!(s, "    <title>{}</title>", xml_escape(e.name.get(lang).0));
            let _ = writeln!(s, "    <link href=\"{}\" rel=\"alternate\" type=\"text/html\"/>", xml_escape(&url));
            let _ = writeln!(s, "    <id>{}</id>", xml_escape(&url));
            let _ = writeln!(s, "    <updated>{}</updated>", atom_date(date));
            let _ = writeln!(s, "    <category term=\"temu-usaha\"/>");
            let _ = writeln!(s, "    <summary>{}</summary>", xml_escape(summary.trim_end_matches([' ', '·'])));
            s.push_str("  </entry>\n");
            continue;
        }
        let is_product = kind == 1;
        let f = &site.firms[fi];
        let firm_name = f.name.get(lang).0;
        let (title, url, summary, category) = if is_product {
            let p = &f.products[pi];
            (
                format!("{} – {firm_name}", p.name.get(lang).0),
                format!("{base}/usaha/{}/produk/{}/", f.slug, p.slug),
                crate::render::views::excerpt(&p.body.get(lang).0.text, 300),
                p.category.clone(),
            )
        } else {
            (
                firm_name.clone(),
                format!("{base}/usaha/{}/", f.slug),
                f.summary.get(lang).0.clone(),
                f.sector.map_or_else(|| f.kind.as_str().to_string(), |s| s.as_str().to_string()),
            )
        };
        s.push_str("  <entry>\n");
        let _ = writeln!(s, "    <title>{}</title>", xml_escape(&title));
        let _ = writeln!(s, "    <link href=\"{}\" rel=\"alternate\" type=\"text/html\"/>", xml_escape(&url));
        let _ = writeln!(s, "    <id>{}</id>", xml_escape(&url));
        let _ = writeln!(s, "    <updated>{}</updated>", atom_date(date));
        let _ = writeln!(s, "    <author><name>{}</name></author>", xml_escape(firm_name));
        let _ = writeln!(s, "    <category term=\"{}\"/>", xml_escape(&category));
        let _ = writeln!(s, "    <summary>{}</summary>", xml_escape(&summary));
        s.push_str("  </entry>\n");
    }
    s.push_str("</feed>\n");
    s.into_bytes()
}

/// `robots.txt`: everything may be crawled; the sitemap is announced.
pub fn robots(site: &Site) -> Vec<u8> {
    format!("User-agent: *\nAllow: /\n\nSitemap: {}/sitemap.xml\n", site.config.base_url).into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(xml_escape("a&b<c>\"'\u{1}"), "a&amp;b&lt;c&gt;&quot;&apos;");
        assert_eq!(xml_escape("\u{fffe}é\u{ffff}\u{fffd}\u{ef00}\r\n\tx"), "é\u{fffd}\u{ef00}\n\tx");
    }

    /// The escaper copies runs of text whole; it gives what escaping one
    /// character at a time gives, for any text.
    #[test]
    fn escapes_as_character_by_character() {
        fn reference(s: &str) -> String {
            let mut out = String::new();
            for c in s.chars() {
                match c {
                    '&' => out.push_str("&amp;"),
                    '<' => out.push_str("&lt;"),
                    '>' => out.push_str("&gt;"),
                    '"' => out.push_str("&quot;"),
                    '\'' => out.push_str("&apos;"),
                    '\u{fffe}' | '\u{ffff}' => {}
                    c if (c as u32) < 0x20 && c != '\n' && c != '\t' => {}
                    c => out.push(c),
                }
            }
            out
        }
        let chars = "a&<>\"'\u{0}\u{1f}\n\t\r\u{fffe}\u{ffff}\u{fffd}\u{efff}\u{f000}é€😀";
        proptest::proptest!(|(picks in proptest::collection::vec(0usize..64, 0..40))| {
            let all: Vec<char> = chars.chars().collect();
            let s: String = picks.iter().map(|&k| all[k % all.len()]).collect();
            proptest::prop_assert_eq!(xml_escape(&s), reference(&s));
        });
    }

    #[test]
    fn splits_into_an_index() {
        let entries: Vec<UrlEntry> = (0..SITEMAP_LIMIT + 1)
            .map(|i| UrlEntry { loc: format!("https://x.example/{i}/"), lastmod: None })
            .collect();
        let files = sitemaps("https://x.example", &entries);
        let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(names, ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml"]);
        let index = String::from_utf8(files[0].1.clone()).unwrap();
        assert!(index.contains("<sitemapindex") && index.contains("https://x.example/sitemap-2.xml"));
    }
}
