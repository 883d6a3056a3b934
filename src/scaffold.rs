//! `gotong new firm <slug>`, `gotong new product <firm>/<slug>` and
//! `gotong new event <slug>`: a commented template, in Indonesian, with
//! every field explained.
//!
//! Required fields are left empty, so `gotong check` points at each line an
//! editor still has to fill in; once they are filled the file passes.

use std::fs;
use std::path::{Path, PathBuf};

use crate::model::{Certification, Cooperation, District, Kind, Market, Scale, Sector, is_slug};

fn list<T: Copy>(all: &[T], f: impl Fn(T) -> &'static str) -> String {
    all.iter().map(|v| f(*v)).collect::<Vec<_>>().join(" | ")
}

/// The text of a new `profile.yaml`.
pub fn profile_template(slug: &str) -> String {
    let kelurahan: String =
        District::ALL.iter().map(|d| format!("#   {}: {}\n", d.name(), d.subdistricts().join(", "))).collect();
    format!(
        "# yaml-language-server: $schema={schema}
# Profil usaha `{slug}` untuk Katalog IKM Kota Cimahi.
# Baris yang diawali # adalah keterangan dan boleh dihapus.
# Isi setiap kolom WAJIB, lalu periksa dengan: gotong check
# Panduan lengkap: docs/editors.md

# WAJIB. Nama usaha atau lembaga, seperti tertulis di papan nama.
name:

# Jenis: {kinds}
#   ikm = industri kecil/menengah (bawaan), industry = industri besar,
#   lainnya = lembaga (bank, perguruan tinggi, asosiasi, pemerintah, ritel).
kind: ikm

# WAJIB untuk ikm dan industry. Sektor: {sectors}
sector:

# WAJIB untuk ikm dan industry. Skala: {scales}
#   (ikm hanya kecil atau menengah; industri besar memakai kind: industry)
scale:

# WAJIB. Kecamatan: {districts}
district:

# Kelurahan (pilihan), harus berada di kecamatan di atas:
{kelurahan}subdistrict:

# WAJIB. Ringkasan satu kalimat, paling banyak 160 huruf.
summary:

# Alamat jalan (pilihan).
# address: Jl. Contoh No. 1

# Tahun berdiri (1900 sampai tahun ini) dan jumlah pekerja (pilihan).
# founded: 2015
# employees: 12

# Kontak (semua pilihan). WhatsApp: angka, boleh diawali + (spasi dan - boleh;
# nomor 08… dianggap nomor Indonesia).
# Situs web harus diawali http:// atau https://. Instagram tanpa @.
# contact:
#   phone: \"+62 22 000 0000\"
#   whatsapp: \"+6281200000000\"
#   email: halo@example.com
#   website: https://example.com
#   instagram: namausaha

# Sertifikasi: {certs}
certifications: []

# Pasar: {markets}
markets: []

# Yang dapat Anda sediakan dan yang Anda cari: tag dari content/vocabulary.yaml.
# Inilah dasar saran mitra: isi sejelas mungkin.
offers: []
needs: []

# Bentuk kerja sama yang Anda terima: {coop}
cooperation: []

# Mitra yang sudah ada, dan usaha yang tidak ingin disarankan (slug folder).
partners: []
exclude_partners: []

# Logo dan foto (pilihan), berkas di folder usaha ini (PNG, JPEG atau WebP).
# logo: logo.png
# photos: [toko.jpg]

# Terjemahan bahasa Inggris (pilihan).
# name_en:
# summary_en:

# true = belum diterbitkan.
draft: false
",
        schema = crate::schema::relative_to(&format!("content/firms/{slug}/profile.yaml"), "profile"),
        kinds = list(Kind::ALL, Kind::as_str),
        sectors = list(Sector::ALL, Sector::as_str),
        scales = list(Scale::ALL, Scale::as_str),
        districts = District::ALL.iter().map(|d| d.name()).collect::<Vec<_>>().join(" | "),
        certs = list(Certification::ALL, Certification::as_str),
        markets = list(Market::ALL, Market::as_str),
        coop = list(Cooperation::ALL, Cooperation::as_str),
    )
}

/// The text of a new product file.
pub fn product_template(firm: &str, slug: &str) -> String {
    format!(
        "---
# yaml-language-server: $schema={schema}
# Produk `{slug}` dari usaha `{firm}`. Baris yang diawali # adalah keterangan.
# Isi setiap kolom WAJIB, lalu periksa dengan: gotong check

# WAJIB. Nama produk.
name:

# WAJIB. Kategori produk: slug huruf kecil dan tanda hubung, misalnya makanan-ringan.
category:

# Harga dalam rupiah (pilihan): satu angka, atau rentang {{min: 10000, max: 25000}}.
# price: 15000
# unit: kg            # satuan harga
# moq: 10             # pesanan minimum, angka 1 atau lebih
# capacity: 500 kg/bulan

# Bahan baku (tag dari content/vocabulary.yaml): dipakai untuk saran mitra.
materials: []
# Tag bebas untuk pencarian.
tags: []
# Sertifikasi: {certs}
certifications: []
# Foto produk, berkas di folder usaha (pilihan).
images: []
draft: false
---
Tulis deskripsi produk di sini: bahan, ukuran, cara pesan, waktu produksi.
",
        schema = crate::schema::relative_to(&format!("content/firms/{firm}/products/{slug}.md"), "product"),
        certs = list(Certification::ALL, Certification::as_str),
    )
}

/// The text of a new event file (SPEC 10). Sessions, slots and tables get
/// workable defaults; the name, date and venue are left for the editor.
pub fn event_template(slug: &str) -> String {
    format!(
        "# yaml-language-server: $schema={schema}
# Temu usaha `{slug}`. Baris yang diawali # adalah keterangan dan boleh dihapus.
# Isi setiap kolom WAJIB, lalu periksa dengan: gotong check
# Jadwal pertemuan disusun otomatis dari saran mitra; panduan: docs/events.md

# WAJIB. Nama acara (name_en: nama dalam bahasa Inggris, pilihan).
name:

# WAJIB. Tanggal, TTTT-BB-HH, misalnya 2027-03-10.
date:

# WAJIB. Tempat dan alamat.
venue:

# Kecamatan tempat acara (pilihan): {districts}
# district: Cimahi Tengah

# Penyelenggara (pilihan): slug folder usaha atau lembaga, misalnya dinas.
# organizer: dinas-kukmp-cimahi

# WAJIB. Sesi (jam WIB), tidak boleh tumpang tindih.
sessions:
  - {{start: \"09:00\", end: \"12:00\"}}
  - {{start: \"13:00\", end: \"15:00\"}}

# WAJIB. Lama satu pertemuan dalam menit (10 sampai 120), dan jeda sesudahnya.
meeting_minutes: 20
break_minutes: 5

# WAJIB. Jumlah meja (setiap meja satu pertemuan sekaligus).
tables: 10

# Peserta: all (semua usaha yang terbit), daftar slug [usaha-a, usaha-b],
# atau saringan {{sector: [...], district: [...], kind: [...], scale: [...]}}.
participants: all

# Paling banyak pertemuan untuk satu usaha (pilihan; bawaan: setiap slot).
# max_meetings_per_firm: 6

# Pasangan yang harus bertemu, dan yang tidak boleh dijadwalkan (pilihan).
requests: []
avoid: []

# true = belum diterbitkan.
draft: false
",
        schema = crate::schema::relative_to(&format!("content/events/{slug}.yaml"), "event"),
        districts = District::ALL.iter().map(|d| d.name()).collect::<Vec<_>>().join(" | "),
    )
}

/// What went wrong scaffolding.
#[derive(Debug, PartialEq, Eq)]
pub struct Refused(pub String);

/// Writes `content/firms/<slug>/profile.yaml`.
pub fn new_firm(root: &Path, slug: &str) -> Result<PathBuf, Refused> {
    check_slug("firm", slug)?;
    let dir = root.join("content/firms").join(slug);
    let file = dir.join("profile.yaml");
    if dir.exists() {
        return Err(Refused(format!("content/firms/{slug} already exists")));
    }
    write(root, &file, &profile_template(slug))?;
    write_schemas(root);
    Ok(file)
}

/// Writes `content/firms/<firm>/products/<slug>.md`.
pub fn new_product(root: &Path, spec: &str) -> Result<PathBuf, Refused> {
    let Some((firm, slug)) = spec.split_once('/') else {
        return Err(Refused(format!(
            "write the product as <firm>/<product>, for example rasa-cireundeu/rasi (got `{spec}`)"
        )));
    };
    check_slug("firm", firm)?;
    check_slug("product", slug)?;
    let dir = root.join("content/firms").join(firm);
    if !dir.join("profile.yaml").is_file() {
        return Err(Refused(format!(
            "there is no firm `{firm}` (content/firms/{firm}/profile.yaml); create it with `gotong new firm {firm}`"
        )));
    }
    let file = dir.join("products").join(format!("{slug}.md"));
    if file.exists() {
        return Err(Refused(format!("content/firms/{firm}/products/{slug}.md already exists")));
    }
    write(root, &file, &product_template(firm, slug))?;
    write_schemas(root);
    Ok(file)
}

/// Writes (or refreshes) the schemas the new file's first line names, so
/// that an editor's YAML extension finds them. A failure is not fatal:
/// `gotong schema` writes them too.
fn write_schemas(root: &Path) {
    let _ = crate::schema::write_default(root);
}

/// Writes `content/events/<slug>.yaml`.
pub fn new_event(root: &Path, slug: &str) -> Result<PathBuf, Refused> {
    check_slug("event", slug)?;
    let dir = root.join("content/events");
    for ext in ["yaml", "md"] {
        if dir.join(format!("{slug}.{ext}")).exists() {
            return Err(Refused(format!("content/events/{slug}.{ext} already exists")));
        }
    }
    let file = dir.join(format!("{slug}.yaml"));
    write(root, &file, &event_template(slug))?;
    write_schemas(root);
    Ok(file)
}

fn check_slug(what: &str, slug: &str) -> Result<(), Refused> {
    if is_slug(slug) {
        Ok(())
    } else {
        Err(Refused(format!(
            "`{slug}` is not a valid {what} slug: use lowercase letters, digits and single hyphens (e.g. rasa-cireundeu)"
        )))
    }
}

/// Creates `file` (inside `root`, not through a link, never over an
/// existing file or link).
fn write(root: &Path, file: &Path, text: &str) -> Result<(), Refused> {
    use std::io::Write as _;
    let fail = |e: std::io::Error| Refused(format!("cannot write {}: {e}", file.display()));
    crate::output::check_no_links(root, file).map_err(fail)?;
    if let Some(parent) = file.parent() {
        fs::create_dir_all(parent).map_err(fail)?;
    }
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(file)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_are_valid_yaml() {
        assert!(crate::yaml::parse(&profile_template("a")).is_ok());
        let p = product_template("a", "b");
        let fm = p.split("---").nth(1).unwrap();
        assert!(crate::yaml::parse(fm).is_ok());
        assert!(crate::yaml::parse(&event_template("a")).is_ok());
    }

    #[test]
    fn refuses_bad_slugs() {
        let tmp = tempfile::tempdir().unwrap();
        assert!(new_firm(tmp.path(), "Bad Slug").is_err());
        assert!(new_product(tmp.path(), "nofirm").is_err());
        assert!(new_product(tmp.path(), "a/b").unwrap_err().0.contains("no firm `a`"));
        new_firm(tmp.path(), "a").unwrap();
        assert!(new_firm(tmp.path(), "a").unwrap_err().0.contains("already exists"));
        new_product(tmp.path(), "a/b").unwrap();
        assert!(new_product(tmp.path(), "a/b").unwrap_err().0.contains("already exists"));
        assert!(new_event(tmp.path(), "Temu").is_err());
        new_event(tmp.path(), "temu").unwrap();
        assert!(new_event(tmp.path(), "temu").unwrap_err().0.contains("already exists"));
    }
}
