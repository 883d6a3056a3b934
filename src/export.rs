//! Open data: `data/katalog.json` and `data/katalog.csv` (SPEC section 6).
//!
//! Both list every published firm (sorted by slug) and its products. The
//! JSON carries the suggested partners with their typed reasons; the CSV is
//! one flat table with a row per firm and per product, for spreadsheets.
//! Schemas: docs/open-data.md. Nothing time-dependent is written, so the
//! files are byte-identical between builds of the same content.

use serde::Serialize;

use crate::derive::Derived;
use crate::model::{Firm, Price, Product, Site};
use crate::partners::Suggestion;

#[derive(Serialize)]
struct Catalogue<'a> {
    site: SiteInfo<'a>,
    firms: Vec<FirmRecord<'a>>,
    events: Vec<EventRecord<'a>>,
}

#[derive(Serialize)]
struct EventRecord<'a> {
    slug: &'a str,
    name: &'a str,
    name_en: Option<&'a str>,
    date: String,
    venue: &'a str,
    district: Option<&'a str>,
    organizer: Option<&'a str>,
    url: String,
    tables: u32,
    meeting_minutes: u16,
    participants: usize,
    meetings: Vec<MeetingRecord<'a>>,
}

#[derive(Serialize)]
struct MeetingRecord<'a> {
    slot: usize,
    /// RFC 3339, local time (UTC+7).
    start: String,
    end: String,
    table: u32,
    a: &'a str,
    b: &'a str,
    score: f64,
    mutual: bool,
    requested: bool,
}

#[derive(Serialize)]
struct SiteInfo<'a> {
    title: &'a str,
    base_url: &'a str,
    language: &'static str,
    firm_count: usize,
    product_count: usize,
}

#[derive(Serialize)]
struct FirmRecord<'a> {
    slug: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name_en: Option<&'a str>,
    kind: &'static str,
    sector: Option<&'static str>,
    scale: Option<&'static str>,
    district: &'static str,
    district_slug: &'static str,
    subdistrict: Option<&'a str>,
    summary: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary_en: Option<&'a str>,
    url: String,
    partners_url: String,
    address: Option<&'a str>,
    founded: Option<i32>,
    employees: Option<u64>,
    contact: &'a crate::model::Contact,
    certifications: Vec<&'static str>,
    markets: Vec<&'static str>,
    offers: &'a [String],
    needs: &'a [String],
    /// Product materials: needs the firm states through its products.
    materials: Vec<String>,
    cooperation: Vec<&'static str>,
    /// Existing partners that the site publishes (a draft is named nowhere).
    partners: Vec<&'a str>,
    updated: Option<String>,
    /// Only in `--drafts` builds, for drafts.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    draft: bool,
    products: Vec<ProductRecord<'a>>,
    suggested_partners: &'a [Suggestion],
}

#[derive(Serialize)]
struct ProductRecord<'a> {
    slug: &'a str,
    name: &'a str,
    url: String,
    category: &'a str,
    price: Option<Price>,
    unit: Option<&'a str>,
    moq: Option<u64>,
    capacity: Option<&'a str>,
    materials: &'a [String],
    tags: &'a [String],
    certifications: Vec<&'static str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    draft: bool,
}

fn product_record<'a>(site: &Site, f: &'a Firm, p: &'a Product) -> ProductRecord<'a> {
    ProductRecord {
        slug: &p.slug,
        name: &p.name.id,
        url: format!("{}/usaha/{}/produk/{}/", site.config.base_url, f.slug, p.slug),
        category: &p.category,
        price: p.price,
        unit: p.unit.as_deref(),
        moq: p.moq,
        capacity: p.capacity.as_deref(),
        materials: &p.materials,
        tags: &p.tags,
        certifications: p.certifications.iter().map(|c| c.as_str()).collect(),
        draft: p.draft,
    }
}

fn event_record<'a>(site: &'a Site, e: &'a crate::model::Event, t: &crate::meetings::Timetable) -> EventRecord<'a> {
    let at = |time: crate::model::Time| format!("{}T{}:00+07:00", e.date.iso(), time.hhmm());
    EventRecord {
        slug: &e.slug,
        name: &e.name.id,
        name_en: e.name.other.get(&crate::model::Lang::En).map(String::as_str),
        date: e.date.iso(),
        venue: &e.venue,
        district: e.district.map(|d| d.name()),
        // A draft organizer is named nowhere, like a draft partner.
        organizer: e.organizer.as_deref().filter(|o| site.firm_index(o).is_some()),
        url: format!("{}/temu/{}/", site.config.base_url, e.slug),
        tables: e.tables,
        meeting_minutes: e.meeting_minutes,
        participants: t.participants.len(),
        meetings: t
            .meetings
            .iter()
            .map(|m| MeetingRecord {
                slot: m.slot + 1,
                start: at(t.slots[m.slot].start),
                end: at(t.slots[m.slot].end),
                table: m.table,
                a: &site.firms[m.a].slug,
                b: &site.firms[m.b].slug,
                score: m.score,
                mutual: m.mutual,
                requested: m.requested,
            })
            .collect(),
    }
}

/// `data/katalog.json`.
pub fn json(site: &Site, derived: &Derived) -> Vec<u8> {
    let base = &site.config.base_url;
    let firms = site
        .firms
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let mut materials: Vec<String> = f.products.iter().flat_map(|p| p.materials.iter().cloned()).collect();
            materials.sort();
            materials.dedup();
            FirmRecord {
                slug: &f.slug,
                name: &f.name.id,
                name_en: f.name.other.get(&crate::model::Lang::En).map(String::as_str),
                kind: f.kind.as_str(),
                sector: f.sector.map(|s| s.as_str()),
                scale: f.scale.map(|s| s.as_str()),
                district: f.district.name(),
                district_slug: f.district.as_str(),
                subdistrict: f.subdistrict.as_deref(),
                summary: &f.summary.id,
                summary_en: f.summary.other.get(&crate::model::Lang::En).map(String::as_str),
                url: format!("{base}/usaha/{}/", f.slug),
                partners_url: format!("{base}/usaha/{}/mitra/", f.slug),
                address: f.address.as_deref(),
                founded: f.founded,
                employees: f.employees,
                contact: &f.contact,
                certifications: f.certifications.iter().map(|c| c.as_str()).collect(),
                markets: f.markets.iter().map(|c| c.as_str()).collect(),
                offers: &f.offers,
                needs: &f.needs,
                materials,
                cooperation: f.cooperation.iter().map(|c| c.as_str()).collect(),
                partners: f.partners.iter().map(String::as_str).filter(|s| site.firm_index(s).is_some()).collect(),
                updated: f.updated.map(|d| d.iso()),
                draft: f.draft,
                products: f.products.iter().map(|p| product_record(site, f, p)).collect(),
                suggested_partners: derived.partners.get(i).map_or(&[], Vec::as_slice),
            }
        })
        .collect();
    let cat = Catalogue {
        site: SiteInfo {
            title: &site.config.title,
            base_url: base,
            language: site.config.language.code(),
            firm_count: site.firms.len(),
            product_count: site.firms.iter().map(|f| f.products.len()).sum(),
        },
        firms,
        events: site.events.iter().zip(&derived.timetables).map(|(e, t)| event_record(site, e, t)).collect(),
    };
    let mut out = Vec::with_capacity(site.firms.len() * 4096);
    // Serialising plain data to memory cannot fail.
    let _ = serde_json::to_writer(&mut out, &cat);
    out.push(b'\n');
    out
}

/// Columns of `data/katalog.csv`.
pub const CSV_COLUMNS: &[&str] = &[
    "record",
    "firm",
    "product",
    "name",
    "kind",
    "sector",
    "scale",
    "district",
    "subdistrict",
    "category",
    "price_min",
    "price_max",
    "unit",
    "summary",
    "offers",
    "needs",
    "materials",
    "certifications",
    "phone",
    "whatsapp",
    "email",
    "website",
    "url",
];

/// A cell a spreadsheet will not run as a formula ("CSV injection"):
/// text starting with `=`, `@`, a tab or a carriage return, or with `+` or
/// `-` followed by anything but a plain number (digits, spaces between
/// groups, one `.` or `,`), gets a leading `'`, which spreadsheets take as
/// "this is text" and do not show. A phone number written with spaces
/// (`+62 22 6654321`) or a negative amount (`-5`) stays as written;
/// `-1+1`, `+62-22-6654321` and `-(2)` do not, since a spreadsheet would
/// compute them. Every cell of the file goes through it.
pub fn inert(s: &str) -> std::borrow::Cow<'_, str> {
    let number = |t: &str| {
        t.starts_with(|c: char| c.is_ascii_digit())
            && t.chars().all(|c| c.is_ascii_digit() || " .,".contains(c))
            && t.chars().filter(|&c| c == '.' || c == ',').count() <= 1
    };
    let risky = match s.chars().next() {
        Some('=' | '@' | '\t' | '\r') => true,
        Some('+' | '-') => !number(&s[1..]),
        _ => false,
    };
    if risky { format!("'{s}").into() } else { s.into() }
}

/// `data/katalog.csv`.
pub fn csv(site: &Site) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::with_capacity(site.firms.len() * 1024));
    let base = &site.config.base_url;
    let _ = w.write_record(CSV_COLUMNS);
    let join = |v: &[&str]| v.join(";");
    // Every cell, whatever it holds: tags, e-mail addresses and
    // kelurahan names are free text too.
    let mut w = Inert(w);
    for f in &site.firms {
        let c = &f.contact;
        let certs: Vec<&str> = f.certifications.iter().map(|c| c.as_str()).collect();
        let offers: Vec<&str> = f.offers.iter().map(String::as_str).collect();
        let needs: Vec<&str> = f.needs.iter().map(String::as_str).collect();
        let _ = w.write_record([
            "firm",
            &f.slug,
            "",
            &f.name.id,
            f.kind.as_str(),
            f.sector.map_or("", |s| s.as_str()),
            f.scale.map_or("", |s| s.as_str()),
            f.district.name(),
            f.subdistrict.as_deref().unwrap_or(""),
            "",
            "",
            "",
            "",
            &f.summary.id,
            &join(&offers),
            &join(&needs),
            "",
            &join(&certs),
            c.phone.as_deref().unwrap_or(""),
            c.whatsapp.as_deref().unwrap_or(""),
            c.email.as_deref().unwrap_or(""),
            c.website.as_deref().unwrap_or(""),
            &format!("{base}/usaha/{}/", f.slug),
        ]);
        for p in &f.products {
            let certs: Vec<&str> = p.certifications.iter().map(|c| c.as_str()).collect();
            let (min, max) = p.price.map_or((String::new(), String::new()), |p| (p.min.to_string(), p.max.to_string()));
            let _ = w.write_record([
                "product",
                &f.slug,
                &p.slug,
                &p.name.id,
                f.kind.as_str(),
                f.sector.map_or("", |s| s.as_str()),
                f.scale.map_or("", |s| s.as_str()),
                f.district.name(),
                f.subdistrict.as_deref().unwrap_or(""),
                &p.category,
                &min,
                &max,
                p.unit.as_deref().unwrap_or(""),
                "",
                "",
                "",
                &p.materials.join(";"),
                &join(&certs),
                "",
                "",
                "",
                "",
                &format!("{base}/usaha/{}/produk/{}/", f.slug, p.slug),
            ]);
        }
    }
    w.0.into_inner().unwrap_or_default()
}

/// A CSV writer whose every cell goes through [`inert`].
struct Inert(csv::Writer<Vec<u8>>);

impl Inert {
    fn write_record<const N: usize>(&mut self, cells: [&str; N]) -> csv::Result<()> {
        self.0.write_record(cells.map(inert).iter().map(|c| c.as_bytes()))
    }
}
