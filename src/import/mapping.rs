//! Which column of a register gives which field of a profile.
//!
//! Headers are recognised by default from the words Indonesian and English
//! registers use (case, spaces and punctuation ignored, text in brackets
//! too: "Jumlah Tenaga Kerja (orang)" is `jumlahtenagakerja`). A MAP.yaml
//! file overrides or adds mappings, maps values ("Makanan & Minuman" →
//! `makanan-minuman`) and gives defaults for cells a sheet leaves empty.

use std::collections::BTreeMap;

use crate::diagnostics::Diagnostic;
use crate::model::{Certification, District, Kind, Scale, Sector};
use crate::source::{Doc, Need, Obj, SourceFile, scalar_text};
use crate::yaml::{Mapping, Seg, Value};

use super::normalise::{self, squash};
use super::read::{self, Row, Table};

/// A field of a profile or product that a column can give.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// `name`.
    Name,
    /// `kind`.
    Kind,
    /// `sector`.
    Sector,
    /// `scale`.
    Scale,
    /// `district` (kecamatan).
    District,
    /// `subdistrict` (kelurahan).
    Subdistrict,
    /// `summary`.
    Summary,
    /// `address`.
    Address,
    /// `founded`.
    Founded,
    /// `employees` (several columns are added up: "TK Laki-laki", "TK Perempuan").
    Employees,
    /// Phone numbers of any kind: mobile numbers go to `contact.whatsapp`,
    /// others to `contact.phone`.
    Contact,
    /// `contact.phone`.
    Phone,
    /// `contact.whatsapp`.
    Whatsapp,
    /// `contact.email`.
    Email,
    /// `contact.website`.
    Website,
    /// `contact.instagram`.
    Instagram,
    /// A column listing certifications ("PIRT, Halal").
    Certifications,
    /// A yes/no (or certificate number) column for one certification.
    Cert(Certification),
    /// `markets`.
    Markets,
    /// Investment in rupiah (gives the scale).
    Investment,
    /// Yearly turnover in rupiah (gives the scale).
    Turnover,
    /// Monthly turnover in rupiah.
    TurnoverMonthly,
    /// Product names (one, or several in one cell).
    Product,
    /// A product's `category`.
    ProductCategory,
    /// A product's `price`.
    ProductPrice,
    /// A product's `unit`.
    ProductUnit,
    /// A product's `capacity`.
    ProductCapacity,
    /// Not imported (the owner's name, row numbers).
    Ignore,
}

impl Field {
    /// Every field, in the order `--print-map` lists them.
    pub fn all() -> Vec<Field> {
        let mut v = vec![
            Field::Name,
            Field::Kind,
            Field::Sector,
            Field::Scale,
            Field::District,
            Field::Subdistrict,
            Field::Summary,
            Field::Address,
            Field::Founded,
            Field::Employees,
            Field::Contact,
            Field::Phone,
            Field::Whatsapp,
            Field::Email,
            Field::Website,
            Field::Instagram,
            Field::Certifications,
        ];
        v.extend(Certification::ALL.iter().map(|c| Field::Cert(*c)));
        v.extend([
            Field::Markets,
            Field::Investment,
            Field::Turnover,
            Field::TurnoverMonthly,
            Field::Product,
            Field::ProductCategory,
            Field::ProductPrice,
            Field::ProductUnit,
            Field::ProductCapacity,
            Field::Ignore,
        ]);
        v
    }

    /// The name MAP.yaml uses.
    pub fn key(self) -> String {
        match self {
            Field::Name => "name".into(),
            Field::Kind => "kind".into(),
            Field::Sector => "sector".into(),
            Field::Scale => "scale".into(),
            Field::District => "district".into(),
            Field::Subdistrict => "subdistrict".into(),
            Field::Summary => "summary".into(),
            Field::Address => "address".into(),
            Field::Founded => "founded".into(),
            Field::Employees => "employees".into(),
            Field::Contact => "contact".into(),
            Field::Phone => "contact.phone".into(),
            Field::Whatsapp => "contact.whatsapp".into(),
            Field::Email => "contact.email".into(),
            Field::Website => "contact.website".into(),
            Field::Instagram => "contact.instagram".into(),
            Field::Certifications => "certifications".into(),
            Field::Cert(c) => format!("certifications.{}", c.as_str()),
            Field::Markets => "markets".into(),
            Field::Investment => "investment".into(),
            Field::Turnover => "turnover".into(),
            Field::TurnoverMonthly => "turnover_per_month".into(),
            Field::Product => "product".into(),
            Field::ProductCategory => "product.category".into(),
            Field::ProductPrice => "product.price".into(),
            Field::ProductUnit => "product.unit".into(),
            Field::ProductCapacity => "product.capacity".into(),
            Field::Ignore => "ignore".into(),
        }
    }

    /// Reads a MAP.yaml field name.
    pub fn parse(s: &str) -> Option<Field> {
        Field::all().into_iter().find(|f| f.key() == s)
    }

    /// Whether several columns may give this field (their values are
    /// added up or listed together).
    pub fn many(self) -> bool {
        matches!(
            self,
            Field::Employees
                | Field::Contact
                | Field::Phone
                | Field::Whatsapp
                | Field::Certifications
                | Field::Cert(_)
                | Field::Markets
                | Field::Product
                | Field::Ignore
        )
    }
}

/// Header words (squashed) of each field, best first. A header matches
/// when its squashed text is one of them.
fn aliases() -> &'static [(Field, Vec<String>)] {
    static ALIASES: std::sync::LazyLock<Vec<(Field, Vec<String>)>> = std::sync::LazyLock::new(build_aliases);
    &ALIASES
}

fn build_aliases() -> Vec<(Field, Vec<String>)> {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let mut out = vec![
        (
            Field::Name,
            s(&[
                "namausaha",
                "namaperusahaan",
                "businessname",
                "namaikm",
                "namaumkm",
                "namaukm",
                "namaunitusaha",
                "namaindustri",
                "namabadanusaha",
                "namatempatusaha",
                "namafirma",
                "namamerekusaha",
                "companyname",
                "firmname",
                "perusahaan",
                "usaha",
                "name",
                "nama",
            ]),
        ),
        (
            Field::Ignore,
            s(&[
                "namapemilik",
                "pemilik",
                "owner",
                "ownername",
                "namapengusaha",
                "penanggungjawab",
                "namapenanggungjawab",
                "pj",
                "no",
                "nomor",
                "nourut",
                "number",
                "nik",
                "noktp",
                "ktp",
                "jeniskelamin",
                "gender",
                "lp",
            ]),
        ),
        (Field::Kind, s(&["kind", "jenislembaga"])),
        (
            Field::Sector,
            s(&[
                "sektor",
                "sektorusaha",
                "sektorindustri",
                "jenisindustri",
                "kelompokindustri",
                "cabangindustri",
                "bidangusaha",
                "bidangindustri",
                "jenisusaha",
                "sector",
                "industry",
            ]),
        ),
        (Field::Scale, s(&["skala", "skalausaha", "skalaindustri", "scale", "klasifikasiusaha", "golonganusaha"])),
        (Field::District, s(&["kecamatan", "kec", "district"])),
        (
            Field::Subdistrict,
            s(&[
                "kelurahan",
                "kel",
                "desa",
                "keldesa",
                "desakel",
                "kelurahandesa",
                "desakelurahan",
                "subdistrict",
                "village",
            ]),
        ),
        (
            Field::Summary,
            s(&["ringkasan", "deskripsi", "deskripsiusaha", "profilsingkat", "profilusaha", "summary", "description"]),
        ),
        (
            Field::Address,
            s(&[
                "alamat",
                "alamatusaha",
                "alamatperusahaan",
                "alamatlengkap",
                "alamattempatusaha",
                "alamatpabrik",
                "alamatproduksi",
                "address",
                "jalan",
            ]),
        ),
        (
            Field::Founded,
            s(&[
                "tahunberdiri",
                "tahunpendirian",
                "tahunmulaiusaha",
                "tahunmulai",
                "mulaiusaha",
                "berdiri",
                "berdirisejak",
                "tahun",
                "founded",
                "yearfounded",
            ]),
        ),
        (
            Field::Employees,
            s(&[
                "tenagakerja",
                "jumlahtenagakerja",
                "jmltenagakerja",
                "jumlahtk",
                "jmltk",
                "tk",
                "tkl",
                "tkp",
                "tklakilaki",
                "tkperempuan",
                "tenagakerjal",
                "tenagakerjap",
                "tenagakerjalakilaki",
                "tenagakerjaperempuan",
                "jumlahkaryawan",
                "karyawan",
                "jumlahpekerja",
                "pekerja",
                "employees",
                "workers",
            ]),
        ),
        (
            Field::Contact,
            s(&[
                "nohp",
                "hp",
                "nohpwa",
                "hpwa",
                "wa",
                "nowa",
                "whatsapp",
                "nomorwhatsapp",
                "nomorhp",
                "handphone",
                "telepon",
                "telp",
                "tlp",
                "telpon",
                "notelp",
                "notlp",
                "notelepon",
                "nomortelepon",
                "telponhp",
                "telphp",
                "nohptelp",
                "notelphp",
                "kontak",
                "nokontak",
                "phone",
                "telephone",
            ]),
        ),
        (Field::Email, s(&["email", "surel", "alamatemail", "emailaddress"])),
        (Field::Website, s(&["website", "situs", "situsweb", "web", "url"])),
        (Field::Instagram, s(&["instagram", "ig", "akuninstagram", "akunig"])),
        (
            Field::Certifications,
            s(&[
                "sertifikasi",
                "sertifikat",
                "legalitas",
                "legalitasusaha",
                "perizinan",
                "izinusaha",
                "izin",
                "certifications",
            ]),
        ),
        (
            Field::Markets,
            s(&[
                "pemasaran",
                "wilayahpemasaran",
                "daerahpemasaran",
                "jangkauanpemasaran",
                "pasar",
                "markets",
                "market",
            ]),
        ),
        (
            Field::Investment,
            s(&["nilaiinvestasi", "investasi", "modal", "modalusaha", "nilaiaset", "aset", "asset", "investment"]),
        ),
        (
            Field::Turnover,
            s(&["omzet", "omset", "omzettahunan", "omzetpertahun", "omsetpertahun", "penjualantahunan", "turnover"]),
        ),
        (
            Field::TurnoverMonthly,
            s(&[
                "omzetperbulan",
                "omsetperbulan",
                "omzetbulanan",
                "omsetbulanan",
                "omzetbln",
                "omsetbln",
                "monthlyturnover",
            ]),
        ),
        (
            Field::Product,
            s(&[
                "jenisproduk",
                "produk",
                "namaproduk",
                "produkunggulan",
                "produkutama",
                "hasilproduksi",
                "komoditas",
                "komoditi",
                "jenisbarang",
                "products",
                "product",
            ]),
        ),
        (Field::ProductCategory, s(&["kategoriproduk", "kategori", "category", "productcategory"])),
        (Field::ProductPrice, s(&["harga", "hargaproduk", "hargasatuan", "hargajual", "price"])),
        (Field::ProductUnit, s(&["satuan", "unit"])),
        (Field::ProductCapacity, s(&["kapasitasproduksi", "kapasitas", "capacity", "produksiperbulan"])),
    ];
    // Certification columns: "NIB", "No. NIB", "Sertifikat Halal", "SPP-IRT"…
    for c in Certification::ALL {
        let words: &[&str] = match c {
            Certification::Nib => &["nib", "nomorindukberusaha"],
            Certification::Pirt => &["pirt", "spppirt", "sppirt", "piirt"],
            Certification::Bpom => &["bpom", "mdbpom", "pom"],
            Certification::Halal => &["halal", "labelhalal"],
            Certification::Sni => &["sni"],
            Certification::Hki => &["hki", "haki", "hkimerek"],
        };
        let mut v = Vec::new();
        for w in words {
            for p in ["", "no", "nomor", "noizin", "sertifikat", "sertifikasi", "izin", "ijin", "punya"] {
                v.push(format!("{p}{w}"));
            }
            v.push(format!("{w}no"));
        }
        out.push((Field::Cert(*c), v));
    }
    out
}

/// The field a header names by default, if any.
pub fn default_field(header: &str) -> Option<Field> {
    let key = header_key(header);
    if key.is_empty() {
        return None;
    }
    for (f, words) in aliases() {
        if words.contains(&key) {
            return Some(*f);
        }
    }
    // Headers that only contain a telling word.
    let contains: &[(&str, Field)] = &[
        ("namapemilik", Field::Ignore),
        ("namausaha", Field::Name),
        ("namaperusahaan", Field::Name),
        ("tenagakerja", Field::Employees),
        ("karyawan", Field::Employees),
        ("kecamatan", Field::District),
        ("kelurahan", Field::Subdistrict),
        ("alamat", Field::Address),
        ("investasi", Field::Investment),
        ("tahunberdiri", Field::Founded),
        ("halal", Field::Cert(Certification::Halal)),
        ("pirt", Field::Cert(Certification::Pirt)),
        ("bpom", Field::Cert(Certification::Bpom)),
        ("whatsapp", Field::Contact),
        ("telepon", Field::Contact),
        ("email", Field::Email),
        ("instagram", Field::Instagram),
    ];
    for (w, f) in contains {
        if key.contains(w) {
            return Some(*f);
        }
    }
    if (key.starts_with("omzet") || key.starts_with("omset")) && (key.contains("bulan") || key.contains("bln")) {
        return Some(Field::TurnoverMonthly);
    }
    if key.starts_with("omzet") || key.starts_with("omset") {
        return Some(Field::Turnover);
    }
    None
}

/// A header as compared: text in brackets dropped, then squashed.
pub fn header_key(header: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in header.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    let key = squash(&out);
    if key.is_empty() { squash(header) } else { key }
}

/// Where a column's field came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The built-in header words.
    Default,
    /// MAP.yaml's `columns:`.
    Map,
}

/// One column of the sheet and what it gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// 0-based column.
    pub col: u32,
    /// The header cell's text.
    pub header: String,
    /// What it gives (`None`: not recognised, not imported).
    pub field: Option<Field>,
    /// Where that came from.
    pub origin: Origin,
    /// Set when another column already gives this single-valued field.
    pub shadowed_by: Option<u32>,
}

/// One entry of MAP.yaml's `columns:`: header text (or column letters),
/// the field, and the entry's line and column in MAP.yaml.
pub type MapColumn = (String, Field, Option<(usize, usize)>);

/// Everything MAP.yaml may say.
#[derive(Debug, Clone, Default)]
pub struct MapFile {
    /// `sheet:`.
    pub sheet: Option<String>,
    /// `header_row:` (1-based).
    pub header_row: Option<u32>,
    /// `delimiter:` for CSV.
    pub delimiter: Option<u8>,
    /// `columns:` header text (or column letters) → field, with where
    /// the entry is in MAP.yaml.
    pub columns: Vec<MapColumn>,
    /// `values:` field → squashed sheet value → content value.
    pub values: BTreeMap<Field, BTreeMap<String, String>>,
    /// `defaults:` field → value.
    pub defaults: BTreeMap<Field, String>,
    /// The file's path as given, for messages.
    pub path: String,
    /// The file's text, for positions.
    pub text: String,
}

/// Fields whose values MAP.yaml can map, and defaults it can give.
const VALUE_FIELDS: &[Field] = &[
    Field::Kind,
    Field::Sector,
    Field::Scale,
    Field::District,
    Field::Subdistrict,
    Field::Markets,
    Field::Certifications,
    Field::ProductCategory,
];

/// Checks one value MAP.yaml gives for `field` (a mapped value or a
/// default); `Err` says what is allowed.
pub fn check_value(field: Field, v: &str) -> Result<String, String> {
    let names = |all: &[&str]| all.join(", ");
    match field {
        Field::Kind => Kind::parse(v)
            .map(|k| k.as_str().to_string())
            .ok_or_else(|| format!("`{v}` is not a kind (allowed: {})", Kind::allowed())),
        Field::Sector => Sector::parse(v)
            .map(|k| k.as_str().to_string())
            .ok_or_else(|| format!("`{v}` is not a sector (allowed: {})", Sector::allowed())),
        Field::Scale => Scale::parse(v)
            .map(|k| k.as_str().to_string())
            .ok_or_else(|| format!("`{v}` is not a scale (allowed: {})", Scale::allowed())),
        Field::District => District::from_name(v)
            .map(|d| d.name().to_string())
            .ok_or_else(|| format!("`{v}` is not a kecamatan (allowed: {})", District::allowed_names())),
        Field::Subdistrict => District::ALL
            .iter()
            .flat_map(|d| d.subdistricts().iter())
            .find(|k| **k == v)
            .map(|k| k.to_string())
            .ok_or_else(|| {
                let all: Vec<&str> = District::ALL.iter().flat_map(|d| d.subdistricts().iter().copied()).collect();
                format!("`{v}` is not a kelurahan of Kota Cimahi (allowed: {})", names(&all))
            }),
        Field::Markets => crate::model::Market::parse(v)
            .map(|m| m.as_str().to_string())
            .ok_or_else(|| format!("`{v}` is not a market (allowed: {})", crate::model::Market::allowed())),
        Field::Certifications => Certification::parse(v)
            .map(|c| c.as_str().to_string())
            .ok_or_else(|| format!("`{v}` is not a certification (allowed: {})", Certification::allowed())),
        Field::ProductCategory => {
            if crate::model::is_slug(v) {
                Ok(v.to_string())
            } else {
                Err(format!("`{v}` is not a slug (lowercase letters, digits and single hyphens)"))
            }
        }
        _ => Err("this field takes no value map".into()),
    }
}

/// Reads MAP.yaml. Problems are diagnostics located in the file.
pub fn parse_map(path: &str, text: &str) -> (MapFile, Vec<Diagnostic>) {
    let file = SourceFile::new(path, text);
    let mut doc = Doc::whole(&file);
    let mut out = MapFile { path: path.to_string(), text: file.text.to_string(), ..MapFile::default() };
    let Some(v) = doc.parse() else {
        return (out, doc.diags);
    };
    let empty = Mapping::new();
    let Some(map) = doc.root(&v, &empty) else {
        return (out, doc.diags);
    };
    let obj = Obj { map, path: &[] };
    doc.check_keys(obj, &["sheet", "header_row", "delimiter", "columns", "values", "defaults"]);
    out.sheet = doc.string(obj, "sheet", Need::Optional);
    out.header_row = doc.int(obj, "header_row", Need::Optional, 1..=i64::from(read::MAX_ROWS)).map(|n| n as u32);
    if let Some(d) = doc.string(obj, "delimiter", Need::Optional) {
        match d.as_str() {
            ";" => out.delimiter = Some(b';'),
            "," => out.delimiter = Some(b','),
            "tab" | "\t" => out.delimiter = Some(b'\t'),
            _ => doc.error(
                &Doc::field_path(obj, "delimiter"),
                format!("`delimiter` must be `;`, `,` or `tab`, found `{d}`"),
            ),
        }
    }
    let fields: Vec<String> = Field::all().iter().map(|f| f.key()).collect();
    let field_names: Vec<&str> = fields.iter().map(String::as_str).collect();
    if let Some(cols) = doc.object(obj, "columns") {
        let cpath = Doc::field_path(obj, "columns");
        for (k, val) in cols {
            let header = scalar_text(k).unwrap_or_default();
            let mut p = cpath.clone();
            p.push(Seg::Key(header.clone()));
            let Some(name) = scalar_text(val) else {
                doc.error(&p, format!("the field for column `{header}` must be text, such as `name` or `ignore`"));
                continue;
            };
            match Field::parse(name.trim()) {
                Some(f) => {
                    let pos = doc.position(&p, crate::yaml::Target::Key);
                    out.columns.push((header, f, pos));
                }
                None => {
                    let _ = doc.choice_value(&name, &p, "field", |_| None::<()>, &field_names);
                }
            }
        }
    }
    let value_names: Vec<String> = VALUE_FIELDS.iter().map(|f| f.key()).collect();
    let value_names: Vec<&str> = value_names.iter().map(String::as_str).collect();
    if let Some(vals) = doc.object(obj, "values") {
        let vpath = Doc::field_path(obj, "values");
        for (k, inner) in vals {
            let key = scalar_text(k).unwrap_or_default();
            let mut p = vpath.clone();
            p.push(Seg::Key(key.clone()));
            let Some(field) = Field::parse(&key).filter(|f| VALUE_FIELDS.contains(f)) else {
                doc.report(
                    crate::diagnostics::Severity::Error,
                    &p,
                    crate::yaml::Target::Key,
                    format!("`values` can map only {}; found `{key}`", value_names.join(", ")),
                );
                continue;
            };
            let Value::Mapping(m) = inner else {
                doc.error(&p, format!("`values: {key}:` must map sheet values to {key} values (`Sheet value: value`)"));
                continue;
            };
            let entry = out.values.entry(field).or_default();
            for (from, to) in m {
                let from = scalar_text(from).unwrap_or_default();
                let mut vp = p.clone();
                vp.push(Seg::Key(from.clone()));
                let Some(to) = scalar_text(to) else {
                    doc.error(&vp, "the value must be text");
                    continue;
                };
                match check_value(field, to.trim()) {
                    Ok(v) => {
                        entry.insert(squash(&from), v);
                    }
                    Err(msg) => doc.error(&vp, msg),
                }
            }
        }
    }
    if let Some(defs) = doc.object(obj, "defaults") {
        let dpath = Doc::field_path(obj, "defaults");
        for (k, val) in defs {
            let key = scalar_text(k).unwrap_or_default();
            let mut p = dpath.clone();
            p.push(Seg::Key(key.clone()));
            let Some(field) = Field::parse(&key).filter(|f| VALUE_FIELDS.contains(f) && *f != Field::Subdistrict)
            else {
                doc.report(
                    crate::diagnostics::Severity::Error,
                    &p,
                    crate::yaml::Target::Key,
                    format!("`defaults` can give only kind, sector, scale, district, markets, certifications, product.category; found `{key}`"),
                );
                continue;
            };
            match scalar_text(val).map(|v| check_value(field, v.trim())) {
                Some(Ok(v)) => {
                    out.defaults.insert(field, v);
                }
                Some(Err(msg)) => doc.error(&p, msg),
                None => doc.error(&p, "the default must be text"),
            }
        }
    }
    (out, doc.diags)
}

/// The mapping used for one sheet.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The header row (absolute, 0-based).
    pub header_row: u32,
    /// Every column with a header.
    pub columns: Vec<Column>,
    /// Value maps and defaults.
    pub map: MapFile,
}

impl Plan {
    /// The columns giving `f` (those not shadowed by an earlier one).
    pub fn columns_for(&self, f: Field) -> impl Iterator<Item = &Column> + '_ {
        self.columns.iter().filter(move |c| c.field == Some(f) && c.shadowed_by.is_none())
    }

    /// Whether some column gives `f`.
    pub fn has(&self, f: Field) -> bool {
        self.columns_for(f).next().is_some()
    }

    /// A value map entry for `f`.
    pub fn mapped(&self, f: Field, raw: &str) -> Option<&str> {
        self.map.values.get(&f).and_then(|m| m.get(&squash(raw))).map(String::as_str)
    }
}

/// How many rows from the top are searched for the header.
pub const HEADER_SEARCH_ROWS: usize = 30;

/// Finds the header row: the first of the top rows in which a column
/// names the firm and at least one other column is recognised (title rows
/// such as "DATA IKM KOTA CIMAHI 2019" above it are skipped). With
/// MAP.yaml's `header_row`, that row.
pub fn find_header(table: &Table, map: &MapFile) -> Option<usize> {
    if let Some(r) = map.header_row {
        return table.rows.iter().position(|row| row.index + 1 == r);
    }
    let by_map = |h: &str| map.columns.iter().find(|(k, ..)| header_key(k) == header_key(h)).map(|(_, f, _)| *f);
    for (i, row) in table.rows.iter().take(HEADER_SEARCH_ROWS).enumerate() {
        let fields: Vec<Field> = row
            .cells
            .iter()
            .filter_map(|c| c.text())
            .filter_map(|h| by_map(&h).or_else(|| default_field(&h)))
            .collect();
        let named = fields.contains(&Field::Name);
        let others = fields.iter().filter(|f| **f != Field::Name && **f != Field::Ignore).count();
        if named && others >= 1 {
            return Some(i);
        }
    }
    None
}

/// Assigns fields to the header row's columns: MAP.yaml's `columns:`
/// first (by header text, or by column letters), then the built-in words.
/// When several columns give a single-valued field, the first gives it
/// and the others are shadowed (and reported by the caller).
pub fn assign(header: &Row, map: &MapFile) -> Vec<Column> {
    let mut cols: Vec<Column> = Vec::new();
    for (i, cell) in header.cells.iter().enumerate() {
        let Some(text) = cell.text() else { continue };
        let col = i as u32;
        let by_map = map.columns.iter().find(|(k, ..)| header_key(k) == header_key(&text)).map(|(_, f, _)| *f);
        let by_letter = map
            .columns
            .iter()
            .find(|(k, ..)| read::parse_column(k) == Some(col) && k.chars().all(|c| c.is_ascii_uppercase()))
            .map(|(_, f, _)| *f);
        let (field, origin) = match by_map.or(by_letter) {
            Some(f) => (Some(f), Origin::Map),
            None => (default_field(&text), Origin::Default),
        };
        cols.push(Column { col, header: text, field, origin, shadowed_by: None });
    }
    // A single-valued field: keep the first column from MAP.yaml, else the
    // first whose header word ranks best, else the leftmost.
    let rank = |c: &Column| -> (u8, usize, u32) {
        let pos = match c.field {
            Some(f) => aliases()
                .iter()
                .find(|(af, _)| *af == f)
                .and_then(|(_, w)| w.iter().position(|x| *x == header_key(&c.header)))
                .unwrap_or(usize::MAX),
            None => usize::MAX,
        };
        (if c.origin == Origin::Map { 0 } else { 1 }, pos, c.col)
    };
    let snapshot = cols.clone();
    for c in &mut cols {
        let Some(f) = c.field else { continue };
        if f.many() {
            continue;
        }
        let best = snapshot.iter().filter(|o| o.field == Some(f)).min_by_key(|o| rank(o)).map(|o| o.col);
        if let Some(b) = best
            && b != c.col
        {
            c.shadowed_by = Some(b);
        }
    }
    cols
}

/// MAP.yaml `columns:` entries that name no header of the sheet.
pub fn unused_map_columns<'m>(map: &'m MapFile, header: &Row) -> Vec<&'m MapColumn> {
    let heads: Vec<String> = header.cells.iter().filter_map(|c| c.text()).map(|h| header_key(&h)).collect();
    map.columns
        .iter()
        .filter(|(k, ..)| {
            let letter = read::parse_column(k).filter(|_| k.chars().all(|c| c.is_ascii_uppercase()));
            let by_letter = letter.is_some_and(|c| header.get(c).text().is_some());
            !heads.contains(&header_key(k)) && !by_letter
        })
        .collect()
}

/// Single-quotes a YAML key for `--print-map` (headers hold `:` and `#`).
fn yaml_key(s: &str) -> String {
    crate::yaml::scalar(s)
}

/// Writes the mapping as a MAP.yaml that would give the same result: the
/// columns, the values seen for closed fields and how each is read, and
/// the defaults in force.
pub fn render_map(label: &str, table: &Table, plan: &Plan) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(out, "# gotong import: the mapping used for {label}");
    let _ = writeln!(out, "# Save this as MAP.yaml, change what is wrong, and import with --map MAP.yaml.");
    let _ = writeln!(out, "# Fields: {}", Field::all().iter().map(|f| f.key()).collect::<Vec<_>>().join(", "));
    if let Some(s) = &table.sheet {
        let _ = writeln!(out, "sheet: {}", crate::yaml::scalar(s));
    }
    if let (Some(d), Some(enc)) = (table.delimiter, table.encoding) {
        let d = if d == b'\t' { "tab".to_string() } else { crate::yaml::scalar(&(d as char).to_string()) };
        let _ = writeln!(out, "delimiter: {d}  # the file was read as {enc}");
    }
    let _ = writeln!(out, "header_row: {}", plan.header_row + 1);
    let _ = writeln!(out, "columns:");
    for c in &plan.columns {
        let letter = read::column_name(c.col);
        let (value, note) = match (c.field, c.shadowed_by) {
            (Some(f), None) => {
                (f.key(), if c.origin == Origin::Map { " (from MAP.yaml)".to_string() } else { String::new() })
            }
            (Some(f), Some(b)) => (
                "ignore".to_string(),
                format!(" (also looks like {}; column {} gives it)", f.key(), read::column_name(b)),
            ),
            (None, _) => ("ignore".to_string(), " (not recognised)".to_string()),
        };
        let _ = writeln!(out, "  {}: {value}  # column {letter}{note}", yaml_key(&c.header));
    }
    // Values seen in closed fields, and how each is read.
    let mut seen: BTreeMap<Field, BTreeMap<String, (String, String)>> = BTreeMap::new();
    for f in [Field::Sector, Field::Scale, Field::District, Field::Subdistrict, Field::Kind] {
        for c in plan.columns_for(f) {
            for row in table.rows.iter().filter(|r| r.index > plan.header_row) {
                let Some(raw) = row.get(c.col).text() else { continue };
                let read = read_closed(plan, f, &raw);
                seen.entry(f).or_default().entry(squash(&raw)).or_insert((raw, read));
            }
        }
    }
    if !seen.is_empty() || !plan.map.values.is_empty() {
        let _ = writeln!(out, "values:");
        for (f, vals) in &seen {
            let _ = writeln!(out, "  {}:", f.key());
            for (raw, read) in vals.values() {
                if read.is_empty() {
                    let _ = writeln!(out, "    # {}:   # not understood: give the value", yaml_key(raw));
                } else {
                    let _ = writeln!(out, "    {}: {}", yaml_key(raw), crate::yaml::scalar(read));
                }
            }
        }
        for (f, m) in &plan.map.values {
            if seen.contains_key(f) {
                continue;
            }
            let _ = writeln!(out, "  {}:", f.key());
            for (k, v) in m {
                let _ = writeln!(out, "    {}: {}", yaml_key(k), crate::yaml::scalar(v));
            }
        }
    }
    if !plan.map.defaults.is_empty() {
        let _ = writeln!(out, "defaults:");
        for (f, v) in &plan.map.defaults {
            let _ = writeln!(out, "  {}: {}", f.key(), crate::yaml::scalar(v));
        }
    } else {
        let _ = writeln!(out, "# defaults:          # for cells a sheet leaves empty");
        let _ = writeln!(out, "#   sector: makanan-minuman");
    }
    out
}

/// How a value of a closed field is read ("" when it is not understood).
pub fn read_closed(plan: &Plan, f: Field, raw: &str) -> String {
    if let Some(v) = plan.mapped(f, raw) {
        return v.to_string();
    }
    match f {
        Field::Sector => normalise::sector(raw).map(|s| s.as_str().to_string()).unwrap_or_default(),
        Field::Scale => normalise::scale(raw).map(|s| s.0.as_str().to_string()).unwrap_or_default(),
        Field::District => match normalise::kecamatan(raw) {
            normalise::Match::Exact(d) | normalise::Match::Near(d) => d.name().to_string(),
            normalise::Match::None => String::new(),
        },
        Field::Subdistrict => match normalise::kelurahan(raw) {
            normalise::Match::Exact((k, _)) | normalise::Match::Near((k, _)) => k.to_string(),
            normalise::Match::None => String::new(),
        },
        Field::Kind => {
            Kind::parse(raw.trim().to_lowercase().as_str()).map(|k| k.as_str().to_string()).unwrap_or_default()
        }
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_headers() {
        let cases = [
            ("Nama Usaha", Field::Name),
            ("NAMA PERUSAHAAN", Field::Name),
            ("Business Name", Field::Name),
            ("Nama Pemilik", Field::Ignore),
            ("Alamat", Field::Address),
            ("Kelurahan", Field::Subdistrict),
            ("Desa", Field::Subdistrict),
            ("Kecamatan", Field::District),
            ("Jenis Produk", Field::Product),
            ("No. HP", Field::Contact),
            ("No HP/WA", Field::Contact),
            ("Telepon", Field::Contact),
            ("NIB", Field::Cert(Certification::Nib)),
            ("P-IRT", Field::Cert(Certification::Pirt)),
            ("No. SPP-IRT", Field::Cert(Certification::Pirt)),
            ("Sertifikat Halal", Field::Cert(Certification::Halal)),
            ("BPOM", Field::Cert(Certification::Bpom)),
            ("SNI", Field::Cert(Certification::Sni)),
            ("HKI", Field::Cert(Certification::Hki)),
            ("Tahun Berdiri", Field::Founded),
            ("Jumlah Tenaga Kerja", Field::Employees),
            ("Jumlah Tenaga Kerja (orang)", Field::Employees),
            ("TK Perempuan", Field::Employees),
            ("Sektor", Field::Sector),
            ("Jenis Industri", Field::Sector),
            ("Skala", Field::Scale),
            ("Nilai Investasi (Rp)", Field::Investment),
            ("Omzet per Bulan", Field::TurnoverMonthly),
            ("Omset/Tahun", Field::Turnover),
            ("E-mail", Field::Email),
        ];
        for (h, f) in cases {
            assert_eq!(default_field(h), Some(f), "{h}");
        }
        assert_eq!(default_field("Keterangan"), None);
        assert_eq!(default_field("Bisnis"), None);
        assert_eq!(default_field(""), None);
    }

    #[test]
    fn map_file_errors_have_positions() {
        let text = "columns:\n  Nama UMKM: name\n  Kec: distrik\nvalues:\n  sector:\n    Mamin: makan\ndefaults:\n  sector: tekstil\n  founded: 2000\nfoo: 1\n";
        let (m, d) = parse_map("map.yaml", text);
        let got: Vec<String> = d.iter().map(|d| format!("{}: {}", d.location(), d.message)).collect();
        assert_eq!(got.len(), 4, "{got:#?}");
        assert!(got[0].starts_with("map.yaml:10:1: unknown field `foo`"), "{got:#?}");
        assert!(
            got.iter().any(|g| g.starts_with("map.yaml:3:8: `distrik` is not a valid field; did you mean `district`?")),
            "{got:#?}"
        );
        assert!(got.iter().any(|g| g.starts_with("map.yaml:6:12: `makan` is not a sector")), "{got:#?}");
        assert!(got.iter().any(|g| g.starts_with("map.yaml:9:3: `defaults` can give only")), "{got:#?}");
        assert_eq!(m.columns.len(), 1);
        assert_eq!(m.defaults.get(&Field::Sector).map(String::as_str), Some("tekstil"));
    }
}
