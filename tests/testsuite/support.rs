//! A fixture site in a temporary folder, and the `gotong` binary run on it.
//!
//! ```ignore
//! let site = TestSite::new().firm("rasa", PROFILE);
//! site.build().success();
//! assert!(site.read("public/usaha/rasa/index.html").contains("Rasa"));
//! ```

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A valid minimal profile (kecil food maker in Leuwigajah).
pub const PROFILE: &str = "name: CV Rasa Cireundeu
sector: makanan-minuman
scale: kecil
district: Cimahi Selatan
subdistrict: Leuwigajah
summary: Rasi dan olahan singkong khas Cireundeu
offers: [rasi]
needs: [kemasan-plastik]
";

/// A valid minimal product.
pub const PRODUCT: &str = "---
name: Rasi (Beras Singkong)
category: makanan-pokok
price: 15000
unit: kg
---
Rasi dari singkong pilihan.
";

/// A small vocabulary used by most fixtures.
pub const VOCABULARY: &str = "kemasan:
  label: Kemasan
  label_en: Packaging
  children: [kemasan-plastik, kemasan-karton]
kemasan-karton:
  label: Kemasan karton
  synonyms: [kardus, dus]
rasi:
  label: Rasi
singkong:
  label: Singkong
tepung-singkong:
  label: Tepung singkong
";

pub struct TestSite {
    dir: tempfile::TempDir,
}

pub struct Run {
    pub status: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn from(out: Output) -> Run {
        Run {
            status: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Asserts exit status 0 and returns self.
    #[track_caller]
    pub fn success(self) -> Run {
        assert_eq!(self.status, Some(0), "expected success\nstdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        self
    }

    /// Asserts exit status `code`.
    #[track_caller]
    pub fn code(self, code: i32) -> Run {
        assert_eq!(self.status, Some(code), "expected exit {code}\nstdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        self
    }

    /// Asserts that stderr has a line starting with `location` (e.g.
    /// `content/firms/a/profile.yaml:3:9`) followed by `: error: ` and a
    /// message containing `fragment`.
    #[track_caller]
    pub fn error_at(&self, location: &str, fragment: &str) -> &Run {
        self.diag_at(location, "error", fragment)
    }

    #[track_caller]
    pub fn warning_at(&self, location: &str, fragment: &str) -> &Run {
        self.diag_at(location, "warning", fragment)
    }

    #[track_caller]
    fn diag_at(&self, location: &str, severity: &str, fragment: &str) -> &Run {
        let prefix = format!("{location}: {severity}: ");
        let found = self.stderr.lines().any(|l| l.starts_with(&prefix) && l.contains(fragment));
        assert!(found, "no `{prefix}…{fragment}…` in stderr:\n{}", self.stderr);
        self
    }

    /// Number of `: error: ` lines.
    pub fn error_count(&self) -> usize {
        self.stderr.lines().filter(|l| l.contains(": error: ") && !l.starts_with("error:")).count()
    }
}

impl TestSite {
    /// A site with site.yaml and the small vocabulary, no firms.
    pub fn new() -> TestSite {
        let site = TestSite { dir: tempfile::tempdir().expect("temp dir") };
        site.write("site.yaml", "title: Katalog Uji\nbase_url: https://uji.example\n")
            .write("content/vocabulary.yaml", VOCABULARY)
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Writes a file (creating folders).
    pub fn write(self, rel: &str, text: &str) -> TestSite {
        self.put(rel, text.as_bytes());
        self
    }

    /// Writes bytes to a file in place (for tests that change a built site).
    pub fn put(&self, rel: &str, bytes: &[u8]) {
        let p = self.path(rel);
        if let Some(parent) = p.parent() {
            fs::create_dir_all(parent).expect("mkdir");
        }
        fs::write(p, bytes).expect("write");
    }

    /// Adds a firm with the given profile.yaml.
    pub fn firm(self, slug: &str, profile: &str) -> TestSite {
        self.write(&format!("content/firms/{slug}/profile.yaml"), profile)
    }

    /// Adds a product to a firm.
    pub fn product(self, firm: &str, slug: &str, text: &str) -> TestSite {
        self.write(&format!("content/firms/{firm}/products/{slug}.md"), text)
    }

    /// Runs `gotong <args> --root <site>`.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_env(args, &[])
    }

    pub fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_gotong"));
        cmd.args(args).arg("--root").arg(self.root());
        for (k, v) in env {
            cmd.env(k, v);
        }
        Run::from(cmd.output().expect("run gotong"))
    }

    pub fn build(&self) -> Run {
        self.run(&["build"])
    }

    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path(rel).exists()
    }

    /// Every file under `rel`, with its bytes, by relative path.
    pub fn tree(&self, rel: &str) -> BTreeMap<String, Vec<u8>> {
        let base = self.path(rel);
        let mut out = BTreeMap::new();
        for e in walkdir::WalkDir::new(&base).into_iter().filter_map(Result::ok) {
            if e.file_type().is_file() {
                let r = e.path().strip_prefix(&base).unwrap_or(e.path()).to_string_lossy().into_owned();
                out.insert(r, fs::read(e.path()).unwrap_or_default());
            }
        }
        out
    }
}

/// A small valid PNG of the given size.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 120]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).expect("encode png");
    out.into_inner()
}

/// A JPEG of `width`×`height` stored pixels, red with a blue band along its
/// top edge, whose EXIF orientation tag is `orientation` (6: turn a quarter
/// clockwise for display, as phones save portrait photos). The APP1
/// segment is written by hand: a big-endian TIFF header and one IFD entry.
pub fn jpeg_with_orientation(width: u32, height: u32, orientation: u16) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |_, y| {
        if y < height / 10 { image::Rgb([0, 0, 255]) } else { image::Rgb([255, 0, 0]) }
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).expect("encode jpeg");
    let jpeg = out.into_inner();
    let mut tiff = b"MM\x00\x2a\x00\x00\x00\x08".to_vec();
    tiff.extend_from_slice(&[0x00, 0x01]); // one entry
    tiff.extend_from_slice(&[0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01]); // Orientation, SHORT, 1
    tiff.extend_from_slice(&orientation.to_be_bytes());
    tiff.extend_from_slice(&[0x00, 0x00, 0x00, 0x00, 0x00, 0x00]); // padding, no next IFD
    let mut app1 = b"Exif\x00\x00".to_vec();
    app1.extend_from_slice(&tiff);
    let len = u16::try_from(app1.len() + 2).expect("short segment");
    let mut with = jpeg[..2].to_vec(); // SOI
    with.extend_from_slice(&[0xFF, 0xE1]);
    with.extend_from_slice(&len.to_be_bytes());
    with.extend_from_slice(&app1);
    with.extend_from_slice(&jpeg[2..]);
    with
}
