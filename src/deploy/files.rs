//! The built output as a deploy sees it: every file with its content hash,
//! its headers, its upload phase, and the exact bytes to store.

use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use walkdir::WalkDir;

use super::config::Matcher;

/// The headers an object is stored with. Compared as a whole: a change of
/// any of them re-uploads the object.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Headers {
    /// `Content-Type`.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// `Cache-Control`.
    #[serde(default, rename = "cache", skip_serializing_if = "Option::is_none")]
    pub cache_control: Option<String>,
    /// Stored gzip-compressed, with `Content-Encoding: gzip`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub gzip: bool,
}

/// `Cache-Control` of content-addressed files: their name changes with
/// their bytes, so a cached copy is never stale.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// `Cache-Control` of everything else: pages, data, and assets whose names
/// do not change with their content (style.css, search.js, photos).
pub const SHORT: &str = "public, max-age=300";

/// Whether the file's name is derived from its content. Pagefind names its
/// fragments, index chunks, filters and metadata after a hash of them.
pub fn content_addressed(rel: &str) -> bool {
    ["pagefind/fragment/", "pagefind/index/", "pagefind/filter/"].iter().any(|p| rel.starts_with(p))
        || (rel.starts_with("pagefind/pagefind.") && rel.ends_with(".pf_meta") && !rel[9..].contains('/'))
}

/// The headers of `rel`: the first matcher whose pattern matches decides
/// what it sets; what it leaves unset (or when none matches) comes from the
/// defaults: the type by extension, a long cache for content-addressed files
/// and a short one for the rest, no compression.
pub fn headers_for(rel: &str, matchers: &[Matcher]) -> Headers {
    let m = matchers.iter().find(|m| m.pattern.0.is_match(rel));
    Headers {
        content_type: Some(m.and_then(|m| m.content_type.clone()).unwrap_or_else(|| crate::output::mime_of(rel))),
        cache_control: Some(
            m.and_then(|m| m.cache_control.clone())
                .unwrap_or_else(|| if content_addressed(rel) { IMMUTABLE } else { SHORT }.to_string()),
        ),
        gzip: m.is_some_and(|m| m.gzip),
    }
}

/// Upload order: assets first, then the pages that reference them, then
/// what announces the pages (sitemaps, feeds, robots.txt). A reader never
/// gets a page whose stylesheet, image or search index is not there yet.
pub fn phase(rel: &str) -> usize {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    if name == "robots.txt" || name == "feed.xml" || (name.starts_with("sitemap") && name.ends_with(".xml")) {
        2
    } else if name.ends_with(".html") {
        1
    } else {
        0
    }
}

/// Names of the three phases, for messages.
pub const PHASES: [&str; 3] = ["assets", "pages", "sitemaps and feeds"];

/// One file of the built output.
#[derive(Debug, Clone)]
pub struct Local {
    /// Path relative to the output folder, `/`-separated: the object key
    /// under the target's prefix.
    pub rel: String,
    /// Where it is on disk.
    pub abs: PathBuf,
    /// xxh3-128 of its bytes, hex.
    pub hash: String,
    /// The headers it is stored with.
    pub headers: Headers,
}

impl Local {
    /// The bytes to store: the file, gzip-compressed when its headers say so.
    pub fn stored_bytes(&self) -> io::Result<Vec<u8>> {
        let bytes = std::fs::read(&self.abs)?;
        Ok(if self.headers.gzip { gzip(&bytes)? } else { bytes })
    }
}

/// Compresses deterministically: no file name, no time stamp, a fixed
/// level, and flate2's fixed "unknown" OS byte, so the same bytes always
/// give the same object (and the same ETag).
pub fn gzip(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let mut enc =
        flate2::GzBuilder::new().mtime(0).write(Vec::with_capacity(bytes.len() / 3), flate2::Compression::new(6));
    enc.write_all(bytes)?;
    enc.finish()
}

/// Lowercase hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// MD5 of bytes, hex: what S3-compatible stores give as the ETag of an
/// object uploaded in one request.
pub fn md5_hex(bytes: &[u8]) -> String {
    use md5::Digest as _;
    hex(&md5::Md5::digest(bytes))
}

/// Reads the output folder: every regular file except names starting with
/// `.` (never written by a build: a `.git` of a deployment checkout, a
/// writer's temporary file), sorted by path, hashed in parallel.
/// `headers` gives each file's headers.
pub fn read_output(dir: &Path, headers: impl Fn(&str) -> Headers + Sync) -> io::Result<Vec<Local>> {
    let mut found = Vec::new();
    let walker = WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = entry.map_err(io::Error::other)?;
        if entry.file_type().is_file() {
            let rel = crate::load::rel(dir, entry.path());
            found.push((rel, entry.path().to_path_buf()));
        }
    }
    found.sort();
    found
        .into_par_iter()
        .map(|(rel, abs)| {
            let bytes = std::fs::read(&abs).map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", abs.display())))?;
            let hash = format!("{:032x}", xxhash_rust::xxh3::xxh3_128(&bytes));
            let headers = headers(&rel);
            Ok(Local { rel, abs, hash, headers })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deploy::config::{Matcher, Pattern};

    #[test]
    fn defaults_and_matchers() {
        let h = headers_for("usaha/a/index.html", &[]);
        assert_eq!(h.content_type.as_deref(), Some("text/html; charset=utf-8"));
        assert_eq!(h.cache_control.as_deref(), Some(SHORT));
        assert!(!h.gzip);
        assert_eq!(
            headers_for("pagefind/fragment/id_1a2b3c.pf_fragment", &[]).cache_control.as_deref(),
            Some(IMMUTABLE)
        );
        assert_eq!(
            headers_for("pagefind/pagefind.id_89c8dfb0e3.pf_meta", &[]).cache_control.as_deref(),
            Some(IMMUTABLE)
        );
        assert_eq!(headers_for("pagefind/pagefind.js", &[]).cache_control.as_deref(), Some(SHORT));
        assert_eq!(headers_for("pagefind/wasm.id.pagefind", &[]).cache_control.as_deref(), Some(SHORT));
        let m = |p: &str, cc: Option<&str>, ct: Option<&str>, gzip| Matcher {
            pattern: Pattern(regex::Regex::new(p).unwrap()),
            cache_control: cc.map(String::from),
            content_type: ct.map(String::from),
            gzip,
        };
        let ms = [
            m("\\.html$", Some("no-cache"), None, true),
            m("^data/", None, Some("text/plain"), false),
            m(".", Some("x"), None, false),
        ];
        let h = headers_for("index.html", &ms);
        assert_eq!((h.cache_control.as_deref(), h.gzip), (Some("no-cache"), true));
        assert_eq!(h.content_type.as_deref(), Some("text/html; charset=utf-8"));
        let h = headers_for("data/katalog.csv", &ms);
        assert_eq!((h.content_type.as_deref(), h.cache_control.as_deref()), (Some("text/plain"), Some(SHORT)));
    }

    #[test]
    fn phases() {
        assert_eq!(phase("style.css"), 0);
        assert_eq!(phase("pagefind/pagefind.js"), 0);
        assert_eq!(phase("usaha/a/logo.png"), 0);
        assert_eq!(phase("index.html"), 1);
        assert_eq!(phase("404.html"), 1);
        assert_eq!(phase("sitemap.xml"), 2);
        assert_eq!(phase("en/feed.xml"), 2);
        assert_eq!(phase("robots.txt"), 2);
    }

    #[test]
    fn gzip_is_deterministic() {
        let text = "<p>Rasi dari singkong</p>".repeat(50);
        let a = gzip(text.as_bytes()).unwrap();
        assert_eq!(a, gzip(text.as_bytes()).unwrap());
        assert!(a.len() < text.len());
        let mut back = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&a[..]), &mut back).unwrap();
        assert_eq!(back, text);
        assert_eq!(md5_hex(b""), "d41d8cd98f00b204e9800998ecf8427e");
    }
}
