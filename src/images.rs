//! Resized copies of firm images: each logo, shop photo and product image
//! at a few widths, in its own format and in WebP, referenced by pages
//! through `srcset`.
//!
//! Work is cached by content: a copy is named by the hash of the source
//! bytes and the width, under `<root>/.gotong-cache/images/`. A rebuild with
//! unchanged images only hashes the sources and finds every copy in the
//! cache; images are processed in parallel; a file that does not decode is
//! an error naming it. Copies no build uses any more are removed from the
//! cache at the end of a build.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use image::{DynamicImage, ImageFormat, imageops::FilterType};
use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::model::Site;

/// Widths made for every image narrower than its original.
pub const WIDTHS: &[u32] = &[320, 640, 1280];

/// Quality of lossy encodings (JPEG and WebP).
const QUALITY: u8 = 80;

/// Cache folder, relative to the site root.
pub const CACHE_DIR: &str = ".gotong-cache/images";

/// One resized copy: its width and the files in the original format and
/// in WebP, relative to the firm's folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Size {
    /// Width in pixels.
    pub width: u32,
    /// File in the original format.
    pub file: String,
    /// File in WebP.
    pub webp: String,
}

/// The resized copies of one source image, narrowest first; the last one
/// has the original width (its original-format file is the original).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Variant {
    /// Copies by width.
    pub sizes: Vec<Size>,
}

/// Resized copies of every image, by (firm slug, image path).
#[derive(Debug, Clone, Default)]
pub struct Variants {
    map: HashMap<(String, String), Variant>,
}

impl Variants {
    /// The variant of an image, if it was resized.
    pub fn get(&self, firm: &str, path: &str) -> Option<&Variant> {
        self.map.get(&(firm.to_string(), path.to_string()))
    }

    /// Records the variant of an image.
    pub fn insert(&mut self, firm: &str, path: &str, v: Variant) {
        self.map.insert((firm.to_string(), path.to_string()), v);
    }

    /// Forgets a firm's images (before processing them again).
    pub fn remove_firm(&mut self, firm: &str) {
        self.map.retain(|(f, _), _| f != firm);
    }

    /// Adds the variants of another run.
    pub fn merge(&mut self, other: Variants) {
        self.map.extend(other.map);
    }
}

/// A file to publish from the cache: output path and cached file.
pub type Copy = (String, PathBuf);

/// What processing gave: the variants for pages, the copies to publish,
/// problems, and how many copies had to be made (0 on a cached rebuild).
#[derive(Debug, Default)]
pub struct Processed {
    /// Variants for the templates.
    pub variants: Variants,
    /// Files to publish: `usaha/<firm>/<copy>` from the cache.
    pub copies: Vec<Copy>,
    /// Images that could not be processed.
    pub diags: Vec<Diagnostic>,
    /// Copies encoded by this run.
    pub encoded: usize,
}

struct Job {
    firm: String,
    path: String,
    width: u32,
}

fn stem_ext(path: &str) -> (&str, &str) {
    match path.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() && !e.contains('/') => (s, e),
        _ => (path, ""),
    }
}

/// How much of the work to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Make every missing copy (build, serve).
    Make,
    /// Only check that images without cached copies decode (check writes
    /// nothing).
    Verify,
}

/// Makes (or finds in the cache) the resized copies of every image the
/// published site shows; with `only`, of those firms' images only.
pub fn process(root: &Path, site: &Site, mode: Mode, only: Option<&HashSet<String>>) -> Processed {
    let cache = root.join(CACHE_DIR);
    let mut jobs: BTreeMap<(String, String), Job> = BTreeMap::new();
    for f in site.firms.iter().filter(|f| only.is_none_or(|o| o.contains(&f.slug))) {
        let images = f.logo.iter().chain(&f.photos).chain(f.products.iter().flat_map(|p| p.images.iter()));
        for img in images {
            jobs.entry((f.slug.clone(), img.path.clone())).or_insert_with(|| Job {
                firm: f.slug.clone(),
                path: img.path.clone(),
                width: img.width,
            });
        }
    }
    let results: Vec<(Job, Result<Made, Diagnostic>)> = jobs
        .into_values()
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|job| {
            let r = one(root, &cache, &job, mode);
            (job, r)
        })
        .collect();
    let mut out = Processed::default();
    for (job, r) in results {
        match r {
            Ok((variant, copies, encoded)) => {
                out.variants.insert(&job.firm, &job.path, variant);
                out.copies.extend(copies);
                out.encoded += encoded;
            }
            Err(d) => out.diags.push(d),
        }
    }
    out
}

/// Removes cached copies that `used` does not name (after a successful build).
pub fn prune_cache(root: &Path, used: &[Copy]) {
    let keep: HashSet<&Path> = used.iter().map(|(_, p)| p.as_path()).collect();
    let Ok(entries) = std::fs::read_dir(root.join(CACHE_DIR)) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if !keep.contains(p.as_path()) {
            let _ = std::fs::remove_file(&p);
        }
    }
}

/// One image's variant, its copies, and how many copies were encoded.
type Made = (Variant, Vec<Copy>, usize);

fn one(root: &Path, cache: &Path, job: &Job, mode: Mode) -> Result<Made, Diagnostic> {
    let rel = format!("content/firms/{}/{}", job.firm, job.path);
    let src = root.join(&rel);
    let bytes = std::fs::read(&src).map_err(|e| Diagnostic::error(&rel, format!("cannot read image: {e}")))?;
    let hash = format!("{:032x}", xxhash_rust::xxh3::xxh3_128(&bytes));
    let format = image::guess_format(&bytes).map_err(|e| Diagnostic::error(&rel, format!("not an image: {e}")))?;
    let (stem, ext) = stem_ext(&job.path);
    let ext = ext.to_ascii_lowercase();
    let mut widths: Vec<u32> = WIDTHS.iter().copied().filter(|w| *w < job.width).collect();
    widths.push(job.width);
    let mut sizes = Vec::new();
    let mut copies = Vec::new();
    let mut todo: Vec<(u32, PathBuf, bool)> = Vec::new();
    for &w in &widths {
        let original = w == job.width;
        let file = if original { job.path.clone() } else { format!("{stem}.{w}w.{ext}") };
        let webp = if format == ImageFormat::WebP && original { job.path.clone() } else { format!("{stem}.{w}w.webp") };
        if !original {
            let cached = cache.join(format!("{hash}-{w}.{ext}"));
            copies.push((format!("usaha/{}/{file}", job.firm), cached.clone()));
            if !cached.is_file() {
                todo.push((w, cached, false));
            }
        }
        if webp != job.path {
            let cached = cache.join(format!("{hash}-{w}.webp"));
            copies.push((format!("usaha/{}/{webp}", job.firm), cached.clone()));
            if !cached.is_file() {
                todo.push((w, cached, true));
            }
        }
        sizes.push(Size { width: w, file, webp });
    }
    if !todo.is_empty() {
        let img = image::load_from_memory_with_format(&bytes, format)
            .map_err(|e| Diagnostic::error(&rel, format!("image cannot be decoded: {e}")))?;
        if mode == Mode::Verify {
            return Ok((Variant { sizes }, copies, 0));
        }
        std::fs::create_dir_all(cache)
            .map_err(|e| Diagnostic::error(CACHE_DIR, format!("cannot create the image cache: {e}")))?;
        for (w, path, webp) in &todo {
            let resized = if *w == img.width() {
                img.clone()
            } else {
                let h = ((u64::from(img.height()) * u64::from(*w) + u64::from(img.width()) / 2)
                    / u64::from(img.width()))
                .max(1) as u32;
                img.resize_exact(*w, h, FilterType::Triangle)
            };
            let encoded = if *webp { encode_webp(&resized) } else { encode_like(&resized, format) }
                .map_err(|e| Diagnostic::error(&rel, format!("cannot encode a resized copy: {e}")))?;
            // Write then rename: another build may be reading the cache.
            let tmp = path.with_extension(format!("tmp{}", std::process::id()));
            std::fs::write(&tmp, &encoded)
                .and_then(|_| std::fs::rename(&tmp, path))
                .map_err(|e| Diagnostic::error(CACHE_DIR, format!("cannot write the image cache: {e}")))?;
        }
    }
    Ok((Variant { sizes }, copies, todo.len()))
}

fn encode_webp(img: &DynamicImage) -> Result<Vec<u8>, String> {
    let (w, h) = (img.width(), img.height());
    let mem = if img.color().has_alpha() {
        let rgba = img.to_rgba8();
        webp::Encoder::from_rgba(&rgba, w, h).encode(f32::from(QUALITY)).to_vec()
    } else {
        let rgb = img.to_rgb8();
        webp::Encoder::from_rgb(&rgb, w, h).encode(f32::from(QUALITY)).to_vec()
    };
    if mem.is_empty() { Err("WebP encoder failed".into()) } else { Ok(mem) }
}

fn encode_like(img: &DynamicImage, format: ImageFormat) -> Result<Vec<u8>, String> {
    let mut out = std::io::Cursor::new(Vec::new());
    match format {
        ImageFormat::Jpeg => {
            let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, QUALITY);
            img.to_rgb8().write_with_encoder(enc).map_err(|e| e.to_string())?;
        }
        other => img.write_to(&mut out, other).map_err(|e| e.to_string())?,
    }
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(stem_ext("foto/rasi.jpg"), ("foto/rasi", "jpg"));
        assert_eq!(stem_ext("logo"), ("logo", ""));
    }
}
