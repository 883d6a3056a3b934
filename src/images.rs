//! Resized copies of firm images (thumbnails in the original format and in
//! WebP), referenced by pages through `srcset`.

use std::collections::HashMap;

/// The resized copies of one source image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// File name without extension, relative to the firm folder (`foto/rasi`).
    pub stem: String,
    /// Extension of the original format (`jpg`, `png`).
    pub ext: String,
    /// Widths written, ascending.
    pub widths: Vec<u32>,
}

impl Variant {
    /// File name of the copy of width `w` in format `ext`, relative to the
    /// firm folder.
    pub fn file_name(&self, w: u32, ext: &str) -> String {
        format!("{}.{w}w.{ext}", self.stem)
    }
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
}
