//! Resized copies of firm images: each logo, shop photo and product image
//! at a few widths, in its own format and in WebP, referenced by pages
//! through `srcset`.
//!
//! Work is cached by content: a copy is named by the hash of the source
//! bytes and the width, under `<root>/.gotong-cache/images/`, with a sum
//! file holding the copy's own hash beside it. A rebuild with unchanged
//! images only hashes the sources and checks every copy against its sum
//! and its header; distinct images are processed in parallel, each once
//! however many firms share it; a file that does not decode is an error
//! reported where profile.yaml or the product names it. Copies no build
//! uses any more are removed from the cache at the end of a build when no
//! other process uses the cache (see [`crate::cache`]).
//!
//! A photo whose EXIF orientation tag says to turn it (as phones save
//! portrait photos) is turned before it is resized, and pages give its
//! turned size. Every size a page lists is then a made copy, the full-size
//! one included (`hp.600w.jpg` for a 1200×600 photo shown 600×1200): the
//! copies carry no EXIF, so every browser shows them the same way up,
//! whereas browsers do not all honour the tag in every format. The original
//! file is still published at its own path, unchanged, like every file of
//! the firm's folder.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use image::metadata::Orientation;
use image::{DynamicImage, ImageFormat, imageops::FilterType};
use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::model::{ImageRef, Site};

/// Widths made for every image narrower than its original.
pub const WIDTHS: &[u32] = &[320, 640, 1280];

/// Quality of lossy encodings (JPEG and WebP).
const QUALITY: u8 = 80;

/// Cache folder, relative to the site root.
pub const CACHE_DIR: &str = ".gotong-cache/images";

/// Changes whenever the same source would give other copies (encoder
/// settings): part of every cache file name.
const FORMAT_VERSION: &str = "q80-triangle-1";

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
    /// Distinct images decoded by this run.
    pub decoded: usize,
    /// Copies encoded by this run.
    pub encoded: usize,
}

/// One image a firm shows, as validation found it.
struct Job<'s> {
    firm: &'s str,
    image: &'s ImageRef,
}

/// The distinct source images: one entry per content hash, whatever the
/// number of firms and file names that carry the same bytes.
struct Source {
    hash: String,
    format: ImageFormat,
    /// Displayed size (after `orientation`).
    width: u32,
    height: u32,
    orientation: Orientation,
    /// A file holding the bytes (read again only when a copy must be made).
    file: PathBuf,
    /// The copies the site needs: width and cache file extension.
    needed: BTreeSet<(u32, String)>,
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

/// A problem with one image, reported where content names it.
fn problem(root: &Path, img: &ImageRef, msg: String) -> Diagnostic {
    let d = Diagnostic::error(&img.source, format!("image `{}` {msg}", img.path));
    d.at_loc(crate::source::locate_field(root, &img.source, &img.field))
}

/// The cache file of one copy.
fn cache_file(cache: &Path, hash: &str, width: u32, ext: &str) -> PathBuf {
    cache.join(format!("{hash}-{width}.{ext}"))
}

/// The cache key of a source image: its bytes and the encoder settings,
/// and the turn applied to it when there is one. Copies of turned images
/// made before gotong applied the EXIF orientation (stored sideways) thus
/// have another key and are never reused, while the copies of upright
/// images, nearly all of them, stay valid.
fn content_hash(bytes: &[u8], orientation: Orientation) -> String {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(FORMAT_VERSION.as_bytes());
    if orientation != Orientation::NoTransforms {
        h.update(format!("oriented:{orientation:?}:").as_bytes());
    }
    h.update(bytes);
    format!("{:032x}", h.digest128())
}

/// Height of a copy `width` pixels wide (the aspect ratio kept).
fn scaled_height(w0: u32, h0: u32, width: u32) -> u32 {
    ((u64::from(h0) * u64::from(width) + u64::from(w0) / 2) / u64::from(w0)).max(1) as u32
}

/// Whether a cached copy can be used: a regular file (never a link out of
/// the cache) whose bytes have the hash its sum file (written beside it
/// when it was made) gives, and whose header says it is an image of the
/// expected size. The cache lives in the site folder, where anyone can
/// write, so an entry that fails this (cut short, changed, a link) is made
/// again.
fn usable(path: &Path, width: u32, height: u32) -> bool {
    let sum = sum_file(path);
    if !crate::cache::is_plain_file(path) || !crate::cache::is_plain_file(&sum) {
        return false;
    }
    let (Ok(bytes), Ok(expected)) = (std::fs::read(path), std::fs::read_to_string(&sum)) else {
        return false;
    };
    if expected != checksum(&bytes) {
        return false;
    }
    let Ok(reader) = image::ImageReader::new(std::io::Cursor::new(&bytes)).with_guessed_format() else {
        return false;
    };
    reader.into_dimensions().is_ok_and(|d| d == (width, height))
}

/// The file beside a cached copy that holds its [`checksum`].
fn sum_file(copy: &Path) -> PathBuf {
    let mut name = copy.as_os_str().to_owned();
    name.push(".sum");
    PathBuf::from(name)
}

/// The hash a cached copy is checked against.
fn checksum(bytes: &[u8]) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes))
}

/// Makes (or finds in the cache) the resized copies of every image the
/// published site shows; with `only`, of those firms' images only.
///
/// Each distinct image (by content hash) is read, decoded and encoded once,
/// however many firms and file names carry it; distinct images are
/// processed in parallel, and every cache entry is written under a unique
/// temporary name and renamed into place.
pub fn process(root: &Path, site: &Site, mode: Mode, only: Option<&HashSet<String>>) -> Processed {
    let mut out = Processed::default();
    let jobs: Vec<Job<'_>> = site
        .firms
        .iter()
        .filter(|f| only.is_none_or(|o| o.contains(&f.slug)))
        .flat_map(|f| {
            let images = f.logo.iter().chain(&f.photos).chain(f.products.iter().flat_map(|p| p.images.iter()));
            images.map(move |image| Job { firm: &f.slug, image })
        })
        .collect();
    if jobs.is_empty() {
        return out;
    }
    let cache = match mode {
        Mode::Make => match crate::cache::ensure_dir(root, "images") {
            Ok((dir, _)) => dir,
            Err(e) => {
                out.diags.push(Diagnostic::error(CACHE_DIR, format!("cannot create the image cache: {e}")));
                return out;
            }
        },
        Mode::Verify => root.join(CACHE_DIR),
    };
    // Hash every source (in parallel; the bytes are dropped at once).
    let hashed: Vec<Result<(String, ImageFormat), Diagnostic>> = jobs
        .par_iter()
        .map(|job| {
            let src = root.join("content/firms").join(job.firm).join(&job.image.path);
            let bytes = std::fs::read(&src).map_err(|e| problem(root, job.image, format!("cannot be read: {e}")))?;
            let format =
                image::guess_format(&bytes).map_err(|e| problem(root, job.image, format!("is not an image: {e}")))?;
            Ok((content_hash(&bytes, job.image.orientation), format))
        })
        .collect();
    // Group by content: what copies each distinct image needs.
    let mut sources: BTreeMap<String, Source> = BTreeMap::new();
    let mut planned: Vec<Option<(String, Variant)>> = Vec::with_capacity(jobs.len());
    for (job, h) in jobs.iter().zip(hashed) {
        let (hash, format) = match h {
            Ok(x) => x,
            Err(d) => {
                out.diags.push(d);
                planned.push(None);
                continue;
            }
        };
        let img = job.image;
        let source = sources.entry(hash.clone()).or_insert_with(|| Source {
            hash: hash.clone(),
            format,
            width: img.width,
            height: img.height,
            orientation: img.orientation,
            file: root.join("content/firms").join(job.firm).join(&img.path),
            needed: BTreeSet::new(),
        });
        let (stem, ext) = stem_ext(&img.path);
        let ext = ext.to_ascii_lowercase();
        let mut widths: Vec<u32> = WIDTHS.iter().copied().filter(|w| *w < img.width).collect();
        widths.push(img.width);
        // A turned image's full size is a turned copy too (see the module
        // documentation).
        let upright = img.orientation == Orientation::NoTransforms;
        let mut sizes = Vec::new();
        for &w in &widths {
            let original = upright && w == img.width;
            let file = if original { img.path.clone() } else { format!("{stem}.{w}w.{ext}") };
            let webp =
                if format == ImageFormat::WebP && original { img.path.clone() } else { format!("{stem}.{w}w.webp") };
            if !original {
                out.copies.push((format!("usaha/{}/{file}", job.firm), cache_file(&cache, &hash, w, &ext)));
                source.needed.insert((w, ext.clone()));
            }
            if webp != img.path {
                out.copies.push((format!("usaha/{}/{webp}", job.firm), cache_file(&cache, &hash, w, "webp")));
                source.needed.insert((w, "webp".into()));
            }
            sizes.push(Size { width: w, file, webp });
        }
        planned.push(Some((hash, Variant { sizes })));
    }
    // Make what the cache lacks: one decode per distinct image.
    let made: Vec<(String, Made)> = sources
        .into_values()
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|s| {
            let r = make(&cache, &s, mode);
            (s.hash, r)
        })
        .collect();
    let mut failed: HashMap<String, String> = HashMap::new();
    for (hash, r) in made {
        match r {
            Ok((decoded, encoded)) => {
                out.decoded += decoded;
                out.encoded += encoded;
            }
            Err(msg) => {
                failed.insert(hash, msg);
            }
        }
    }
    for (job, plan) in jobs.iter().zip(planned) {
        let Some((hash, variant)) = plan else { continue };
        match failed.get(&hash) {
            Some(msg) => out.diags.push(problem(root, job.image, msg.clone())),
            None => out.variants.insert(job.firm, &job.image.path, variant),
        }
    }
    if !failed.is_empty() {
        out.copies.retain(|(_, cached)| {
            let name = cached.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            !failed.keys().any(|h| name.starts_with(h.as_str()))
        });
    }
    out.copies.sort();
    out.copies.dedup();
    out
}

/// What making one image's copies gave: how many times it was decoded (0
/// or 1) and how many copies were encoded, or why it failed.
type Made = Result<(usize, usize), String>;

/// Makes the missing copies of one distinct image.
fn make(cache: &Path, s: &Source, mode: Mode) -> Made {
    let todo: Vec<&(u32, String)> = s
        .needed
        .iter()
        .filter(|(w, ext)| !usable(&cache_file(cache, &s.hash, *w, ext), *w, scaled_height(s.width, s.height, *w)))
        .collect();
    if todo.is_empty() {
        return Ok((0, 0));
    }
    let bytes = std::fs::read(&s.file).map_err(|e| format!("cannot be read: {e}"))?;
    if s.format == ImageFormat::Jpeg && !jpeg_is_complete(&bytes) {
        // Decoders fill a cut-off JPEG with grey and say nothing.
        return Err("is cut off: the file ends before the picture does (copy it again)".into());
    }
    let mut img =
        image::load_from_memory_with_format(&bytes, s.format).map_err(|e| format!("cannot be decoded: {e}"))?;
    // The header's size, as stored (before the turn).
    let stored = if crate::validate::turns_sideways(s.orientation) { (s.height, s.width) } else { (s.width, s.height) };
    if (img.width(), img.height()) != stored {
        return Err(format!(
            "its header says {}×{} but it decodes to {}×{}",
            stored.0,
            stored.1,
            img.width(),
            img.height()
        ));
    }
    if mode == Mode::Verify {
        return Ok((1, 0));
    }
    img.apply_orientation(s.orientation);
    for (w, ext) in &todo {
        let resized = if *w == img.width() {
            img.clone()
        } else {
            img.resize_exact(*w, scaled_height(img.width(), img.height(), *w), FilterType::Triangle)
        };
        let encoded = if ext == "webp" { encode_webp(&resized) } else { encode_like(&resized, s.format) }
            .map_err(|e| format!("a resized copy cannot be encoded: {e}"))?;
        let file = cache_file(cache, &s.hash, *w, ext);
        crate::cache::write_atomic(&file, &encoded)
            .and_then(|()| crate::cache::write_atomic(&sum_file(&file), checksum(&encoded).as_bytes()))
            .map_err(|e| format!("cannot write the image cache ({CACHE_DIR}): {e}"))?;
    }
    Ok((1, todo.len()))
}

/// Removes cached copies that `used` does not name, and leftover temporary
/// files, when no other process is using the cache (after a successful
/// build).
pub fn prune_cache(root: &Path, used: &[Copy], lock: crate::cache::Lock) {
    let keep: HashSet<&Path> = used.iter().map(|(_, p)| p.as_path()).collect();
    lock.prune_if_alone(|| {
        let Ok(entries) = std::fs::read_dir(root.join(CACHE_DIR)) else { return };
        for e in entries.flatten() {
            let p = e.path();
            // A sum file goes with its copy.
            let copy = p.to_str().and_then(|s| s.strip_suffix(".sum")).map(Path::new);
            if !keep.contains(p.as_path()) && !copy.is_some_and(|c| keep.contains(c)) {
                let _ = std::fs::remove_file(&p);
            }
        }
    });
}

/// Whether a JPEG ends its last scan: an end-of-image marker (FF D9) follows
/// the last start-of-scan marker (FF DA). Inside scan data an FF byte is
/// always followed by 00 or a restart marker, so the check cannot be fooled
/// by the picture itself.
fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let last_sos = bytes.windows(2).rposition(|w| w == [0xFF, 0xDA]);
    match last_sos {
        Some(i) => bytes[i..].windows(2).any(|w| w == [0xFF, 0xD9]),
        None => false,
    }
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
    fn cut_off_jpegs_are_found() {
        let img = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 3, y as u8 * 5, 77]));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, ImageFormat::Jpeg).unwrap();
        let full = out.into_inner();
        assert!(jpeg_is_complete(&full));
        assert!(!jpeg_is_complete(&full[..full.len() - 40]));
        let mut trailer = full.clone();
        trailer.extend_from_slice(b"camera trailer");
        assert!(jpeg_is_complete(&trailer));
    }

    /// A turned image never reuses copies cached under the key its bytes
    /// had before orientation was applied (stored sideways, or upside
    /// down with the same size); an upright image keeps its old key.
    #[test]
    fn turned_images_have_their_own_cache_key() {
        let bytes = b"the same bytes";
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        h.update(FORMAT_VERSION.as_bytes());
        h.update(bytes);
        let before = format!("{:032x}", h.digest128());
        assert_eq!(content_hash(bytes, Orientation::NoTransforms), before);
        assert_ne!(content_hash(bytes, Orientation::Rotate180), before);
        assert_ne!(content_hash(bytes, Orientation::Rotate90), content_hash(bytes, Orientation::Rotate270));
    }

    #[test]
    fn names() {
        assert_eq!(stem_ext("foto/rasi.jpg"), ("foto/rasi", "jpg"));
        assert_eq!(stem_ext("logo"), ("logo", ""));
    }
}
