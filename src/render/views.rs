//! What templates see: the model turned into template values, per language.
//!
//! Each firm and product is converted once per language into a
//! [`tera::Value`] (whose maps and lists are reference counted), so pages
//! that show the same firm — its profile, its products, listings, partner
//! pages — share one value instead of serialising it again.
//! docs/themes.md documents every field.

use serde::Serialize;
use tera::Value as TValue;

use crate::derive::Derived;
use crate::i18n::Strings;
use crate::model::{Firm, Html, ImageRef, Lang, Price, Product, Site, Translated};
use crate::partners::Reason;
use crate::vocabulary::humanize;

/// URL helpers for one language edition.
#[derive(Debug, Clone)]
pub struct Urls {
    /// Absolute base URL without trailing slash (`https://x.go.id/katalog`).
    pub base_url: String,
    /// Path part of the base URL (`/katalog` or empty).
    pub base_path: String,
    /// Prefix of this edition (`""` or `/en`).
    pub lang_prefix: String,
}

impl Urls {
    /// Root-relative URL of a site path (`/usaha/x/` → `/katalog/en/usaha/x/`).
    pub fn page(&self, path: &str) -> String {
        format!("{}{}{}", self.base_path, self.lang_prefix, path)
    }

    /// Absolute URL of a site path.
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{}{}", self.base_url, self.lang_prefix, path)
    }

    /// URL of a file shared by every edition (images, CSS).
    pub fn asset(&self, path: &str) -> String {
        format!("{}{}", self.base_path, path)
    }
}

/// A slug with its label and, for taxonomy terms, its listing URL.
#[derive(Debug, Clone, Serialize)]
pub struct Label {
    /// Machine value.
    pub slug: String,
    /// Text to show.
    pub label: String,
    /// Listing URL, when the value has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// An image as templates use it.
#[derive(Debug, Clone, Serialize)]
pub struct ImageView {
    /// URL of the image at its original size (root-relative).
    pub src: String,
    /// The same, absolute (for OpenGraph and feeds).
    pub url: String,
    /// Intrinsic width.
    pub width: u32,
    /// Intrinsic height.
    pub height: u32,
    /// `srcset` for the original format (may be empty).
    pub srcset: String,
    /// `srcset` of WebP versions (may be empty).
    pub srcset_webp: String,
}

#[derive(Serialize)]
struct ContactView<'a> {
    phone: Option<&'a str>,
    phone_href: Option<String>,
    whatsapp: Option<&'a str>,
    whatsapp_href: Option<String>,
    email: Option<&'a str>,
    email_href: Option<String>,
    website: Option<&'a str>,
    website_label: Option<String>,
    instagram: Option<&'a str>,
    instagram_url: Option<String>,
    any: bool,
}

#[derive(Serialize)]
struct ProductView<'a> {
    slug: &'a str,
    url: String,
    permalink: String,
    name: &'a str,
    name_translated: bool,
    category: Label,
    price: Option<PriceView>,
    unit: Option<&'a str>,
    moq: Option<u64>,
    capacity: Option<&'a str>,
    materials: Vec<Label>,
    tags: &'a [String],
    certifications: Vec<Label>,
    images: Vec<ImageView>,
    body_html: &'a str,
    summary: String,
    body_translated: bool,
    firm_slug: &'a str,
    firm_name: &'a str,
    firm_url: String,
    updated: Option<String>,
    updated_label: Option<String>,
    edit_url: Option<String>,
    jsonld: String,
    draft: bool,
}

#[derive(Serialize)]
struct PriceView {
    min: u64,
    max: u64,
    label: String,
}

#[derive(Serialize)]
struct LinkView {
    slug: String,
    name: String,
    url: Option<String>,
}

#[derive(Serialize)]
struct FirmView<'a> {
    slug: &'a str,
    url: String,
    permalink: String,
    partners_url: String,
    profile_url: String,
    proposal_url: String,
    name: &'a str,
    name_translated: bool,
    kind: Label,
    is_institution: bool,
    sector: Option<Label>,
    scale: Option<Label>,
    district: Label,
    subdistrict: Option<&'a str>,
    summary: &'a str,
    summary_translated: bool,
    address: Option<&'a str>,
    founded: Option<i32>,
    employees: Option<u64>,
    contact: ContactView<'a>,
    certifications: Vec<Label>,
    markets: Vec<Label>,
    cooperation: Vec<Label>,
    offers: Vec<Label>,
    needs: Vec<Label>,
    logo: Option<ImageView>,
    photos: Vec<ImageView>,
    updated: Option<String>,
    updated_label: Option<String>,
    description_html: &'a str,
    description_translated: bool,
    products: Vec<TValue>,
    existing_partners: Vec<LinkView>,
    suggestion_count: usize,
    edit_url: Option<String>,
    jsonld: String,
    draft: bool,
}

/// Looks up a label in the UI strings, falling back to the humanised slug.
pub fn label(strings: &Strings, group: &str, slug: &str) -> String {
    strings.lookup(&format!("{group}.{slug}")).map(str::to_string).unwrap_or_else(|| humanize(slug))
}

fn labels<T: Copy>(strings: &Strings, group: &str, items: &[T], slug: impl Fn(T) -> &'static str) -> Vec<Label> {
    items
        .iter()
        .map(|v| Label { slug: slug(*v).to_string(), label: label(strings, group, slug(*v)), url: None })
        .collect()
}

fn tag_labels(site: &Site, lang: Lang, tags: &[String]) -> Vec<Label> {
    tags.iter().map(|t| Label { slug: t.clone(), label: site.vocabulary.label(t, lang), url: None }).collect()
}

/// The images of a firm as templates use them.
pub fn image_view(urls: &Urls, firm: &str, img: &ImageRef, variants: &crate::images::Variants) -> ImageView {
    let at = |file: &str| urls.asset(&format!("/usaha/{firm}/{file}"));
    let variant = variants.get(firm, &img.path);
    // The full-size copy: the original itself unless the image had to be
    // turned (then an upright copy, see `crate::images`).
    let full = variant.and_then(|v| v.sizes.last()).map_or(img.path.as_str(), |s| s.file.as_str());
    let src = at(full);
    let (srcset, srcset_webp) = match variant {
        Some(v) if !v.sizes.is_empty() => {
            let set = |f: &dyn Fn(&crate::images::Size) -> &str| {
                v.sizes.iter().map(|s| format!("{} {}w", at(f(s)), s.width)).collect::<Vec<_>>().join(", ")
            };
            (set(&|s| s.file.as_str()), set(&|s| s.webp.as_str()))
        }
        _ => (String::new(), String::new()),
    };
    ImageView {
        url: format!("{}{}", origin(&urls.base_url), src),
        src,
        width: img.width,
        height: img.height,
        srcset,
        srcset_webp,
    }
}

fn translated<T>(t: &Translated<T>, lang: Lang) -> (&T, bool) {
    t.get(lang)
}

/// Everything needed to build views for one language.
pub struct ViewContext<'a> {
    /// The site.
    pub site: &'a Site,
    /// Derived data.
    pub derived: &'a Derived,
    /// This edition's language.
    pub lang: Lang,
    /// UI strings.
    pub strings: &'a Strings,
    /// URL helpers.
    pub urls: &'a Urls,
    /// Resized images.
    pub variants: &'a crate::images::Variants,
    /// Each firm's needs, computed once per rendering pass.
    pub needs: &'a crate::partners::NeedsCache,
}

impl ViewContext<'_> {
    fn term(&self, group: &str, segment: &str, slug: &str) -> Label {
        Label {
            slug: slug.to_string(),
            label: label(self.strings, group, slug),
            url: Some(self.urls.page(&format!("/{segment}/{slug}/"))),
        }
    }

    fn edit_url(&self, source: &str) -> Option<String> {
        self.site.config.repo_edit_url.as_ref().map(|u| format!("{u}{source}"))
    }

    /// The template value of a product.
    pub fn product(&self, firm: &Firm, p: &Product) -> TValue {
        let (name, name_translated) = translated(&p.name, self.lang);
        let (body, body_translated) = translated(&p.body, self.lang);
        let path = format!("/usaha/{}/produk/{}/", firm.slug, p.slug);
        let (firm_name, _) = translated(&firm.name, self.lang);
        let price = p.price.map(|pr| PriceView { min: pr.min, max: pr.max, label: price_label(self.strings, pr) });
        let images: Vec<ImageView> =
            p.images.iter().map(|i| image_view(self.urls, &firm.slug, i, self.variants)).collect();
        let view = ProductView {
            slug: &p.slug,
            url: self.urls.page(&path),
            permalink: self.urls.absolute(&path),
            name,
            name_translated,
            category: self.term("category", "kategori", &p.category),
            price,
            unit: p.unit.as_deref(),
            moq: p.moq,
            capacity: p.capacity.as_deref(),
            materials: tag_labels(self.site, self.lang, &p.materials),
            tags: &p.tags,
            certifications: labels(self.strings, "certification", &p.certifications, |c| c.as_str()),
            summary: excerpt(&body.text, 160),
            body_html: &body.html,
            body_translated,
            firm_slug: &firm.slug,
            firm_name,
            firm_url: self.urls.page(&format!("/usaha/{}/", firm.slug)),
            updated: p.updated.map(|d| d.iso()),
            updated_label: p.updated.map(|d| self.strings.fill("updated", &[("date", &self.strings.date(d))])),
            edit_url: self.edit_url(&p.source),
            jsonld: product_jsonld(self, firm, p, name, body, &images),
            images,
            draft: p.draft,
        };
        TValue::from_serializable(&view)
    }

    /// The template value of a firm, with its products.
    pub fn firm(&self, fi: usize) -> TValue {
        let site = self.site;
        let f = &site.firms[fi];
        let (name, name_translated) = translated(&f.name, self.lang);
        let (summary, summary_translated) = translated(&f.summary, self.lang);
        let (description, description_translated) = translated(&f.description, self.lang);
        let path = format!("/usaha/{}/", f.slug);
        let c = &f.contact;
        let contact = ContactView {
            phone: c.phone.as_deref(),
            phone_href: c.phone.as_ref().map(|p| format!("tel:{}", tel_digits(p))),
            whatsapp: c.whatsapp.as_deref(),
            whatsapp_href: c.whatsapp.as_ref().map(|w| format!("https://wa.me/{}", wa_number(w))),
            email: c.email.as_deref(),
            email_href: c.email.as_ref().map(|e| format!("mailto:{e}")),
            website: c.website.as_deref(),
            website_label: c.website.as_ref().map(|w| website_label(w)),
            instagram: c.instagram.as_deref(),
            instagram_url: c.instagram.as_ref().map(|i| format!("https://www.instagram.com/{i}/")),
            any: !c.is_empty(),
        };
        let existing_partners = f
            .partners
            .iter()
            // A partner that is a draft (or missing) is not shown.
            .filter_map(|slug| {
                site.firm_index(slug).map(|i| LinkView {
                    slug: slug.clone(),
                    name: translated(&site.firms[i].name, self.lang).0.clone(),
                    url: Some(self.urls.page(&format!("/usaha/{slug}/"))),
                })
            })
            .collect();
        let logo = f.logo.as_ref().map(|i| image_view(self.urls, &f.slug, i, self.variants));
        let photos: Vec<ImageView> =
            f.photos.iter().map(|i| image_view(self.urls, &f.slug, i, self.variants)).collect();
        let view = FirmView {
            slug: &f.slug,
            url: self.urls.page(&path),
            permalink: self.urls.absolute(&path),
            partners_url: self.urls.page(&format!("{path}mitra/")),
            profile_url: self.urls.page(&format!("{path}profil/")),
            proposal_url: self.urls.page(&format!("{path}proposal/")),
            name,
            name_translated,
            kind: Label {
                slug: f.kind.as_str().into(),
                label: label(self.strings, "kind", f.kind.as_str()),
                url: None,
            },
            is_institution: !f.kind.is_industry(),
            sector: f.sector.map(|s| self.term("sector", "sektor", s.as_str())),
            scale: f.scale.map(|s| self.term("scale", "skala", s.as_str())),
            district: Label {
                slug: f.district.as_str().into(),
                label: f.district.name().into(),
                url: Some(self.urls.page(&format!("/kecamatan/{}/", f.district.as_str()))),
            },
            subdistrict: f.subdistrict.as_deref(),
            summary,
            summary_translated,
            address: f.address.as_deref(),
            founded: f.founded,
            employees: f.employees,
            contact,
            certifications: labels(self.strings, "certification", &f.certifications, |c| c.as_str()),
            markets: labels(self.strings, "market", &f.markets, |c| c.as_str()),
            cooperation: labels(self.strings, "cooperation", &f.cooperation, |c| c.as_str()),
            offers: tag_labels(site, self.lang, &f.offers),
            needs: tag_labels(site, self.lang, &f.needs),
            updated: f.updated.map(|d| d.iso()),
            updated_label: f.updated.map(|d| self.strings.fill("updated", &[("date", &self.strings.date(d))])),
            description_html: &description.html,
            description_translated,
            products: f.products.iter().map(|p| self.product(f, p)).collect(),
            existing_partners,
            suggestion_count: self.derived.partners.get(fi).map_or(0, Vec::len),
            edit_url: self.edit_url(&f.source),
            jsonld: firm_jsonld(self, f, name, summary, logo.as_ref(), &photos),
            logo,
            photos,
            draft: f.draft,
        };
        TValue::from_serializable(&view)
    }

    /// The reasons of a suggestion, in words.
    pub fn reasons(&self, reasons: &[Reason]) -> Vec<ReasonView> {
        reasons
            .iter()
            .map(|r| {
                let tags = |t: &[String]| -> (Vec<Label>, String) {
                    let l = tag_labels(self.site, self.lang, t);
                    let words: Vec<String> = l.iter().map(|x| lower_first(&x.label)).collect();
                    (l, self.strings.join(&words))
                };
                match r {
                    Reason::Supplies { tags: t } => {
                        let (labels, words) = tags(t);
                        ReasonView::new("supplies", self.strings.fill("reason.supplies", &[("tags", &words)]), labels)
                    }
                    Reason::Buys { tags: t } => {
                        let (labels, words) = tags(t);
                        ReasonView::new("buys", self.strings.fill("reason.buys", &[("tags", &words)]), labels)
                    }
                    Reason::ScaleLinkage { from, to } => {
                        let industries = ["kecil", "menengah", "besar"];
                        let text = if industries.contains(&from.as_str()) && industries.contains(&to.as_str()) {
                            let short = |s: &str| self.strings.get(&format!("scale_short.{s}"));
                            self.strings.fill("reason.scale_linkage", &[("from", &short(from)), ("to", &short(to))])
                        } else {
                            let name = |s: &str| {
                                lower_first(
                                    self.strings
                                        .lookup(&format!("scale.{s}"))
                                        .or_else(|| self.strings.lookup(&format!("kind.{s}")))
                                        .unwrap_or(s),
                                )
                            };
                            self.strings.fill("reason.institution_linkage", &[("from", &name(from)), ("to", &name(to))])
                        };
                        ReasonView::new("scale_linkage", text, Vec::new())
                    }
                    Reason::Cooperation { modes } => {
                        let l: Vec<Label> = modes
                            .iter()
                            .map(|m| Label { slug: m.clone(), label: label(self.strings, "cooperation", m), url: None })
                            .collect();
                        let words: Vec<String> = l.iter().map(|x| lower_first(&x.label)).collect();
                        let text = self.strings.fill("reason.cooperation", &[("modes", &self.strings.join(&words))]);
                        ReasonView::new("cooperation", text, l)
                    }
                    Reason::Nearby { level, place } => {
                        let text = self.strings.fill(&format!("reason.nearby_{level}"), &[("place", place)]);
                        ReasonView::new("nearby", text, Vec::new())
                    }
                }
            })
            .collect()
    }
}

/// A reason as a sentence, for the partners page.
#[derive(Debug, Clone, Serialize)]
pub struct ReasonView {
    /// `supplies`, `buys`, `scale_linkage`, `cooperation` or `nearby`.
    pub kind: &'static str,
    /// The sentence, in the page's language.
    pub text: String,
    /// Tags or modes it names.
    pub tags: Vec<Label>,
}

impl ReasonView {
    fn new(kind: &'static str, text: String, tags: Vec<Label>) -> Self {
        // A sentence starts with a capital, whatever its first word.
        let mut chars = text.chars();
        let text = match chars.next() {
            Some(c) => c.to_uppercase().chain(chars).collect(),
            None => text,
        };
        ReasonView { kind, text, tags }
    }
}

/// A label as it reads inside a sentence: "Kemasan plastik" becomes
/// "kemasan plastik", but acronyms ("HKI", "CMT", "IKM") keep their case.
pub fn lower_first(label: &str) -> String {
    // A name in title case ("Kredit Usaha Rakyat") keeps its capitals.
    let title_case = label.split_whitespace().skip(1).any(|w| {
        let mut c = w.chars();
        matches!((c.next(), c.next()), (Some(a), Some(b)) if a.is_uppercase() && b.is_lowercase())
    });
    if title_case {
        return label.to_string();
    }
    let mut chars = label.chars();
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if a.is_uppercase() && !b.is_uppercase() => {
            a.to_lowercase().chain(label[a.len_utf8()..].chars()).collect()
        }
        (Some(a), None) if a.is_uppercase() => a.to_lowercase().collect(),
        _ => label.to_string(),
    }
}

/// `Rp 15.000` or `Rp 10.000 – Rp 25.000`.
pub fn price_label(strings: &Strings, p: Price) -> String {
    if p.max == 0 {
        return strings.lookup("price_free").unwrap_or("Rp 0").to_string();
    }
    if p.min == p.max {
        strings.rupiah(p.min)
    } else {
        format!("{} – {}", strings.rupiah(p.min), strings.rupiah(p.max))
    }
}

/// The first `max` characters of a text, cut at a word, and never inside
/// what shows as one character (an emoji sequence joined by U+200D, a
/// letter and its accents, a flag).
pub fn excerpt(text: &str, max: usize) -> String {
    use unicode_segmentation::UnicodeSegmentation;
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut chars = 0;
    let mut end = 0;
    for (i, g) in text.grapheme_indices(true) {
        chars += g.chars().count();
        if chars > max {
            break;
        }
        end = i + g.len();
    }
    let cut = &text[..end];
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => &cut[..i],
        _ => cut,
    };
    format!("{}…", cut.trim_end_matches([',', '.', ';', ':']))
}

/// Digits of a phone number for a `tel:` link, keeping a leading `+`.
pub fn tel_digits(p: &str) -> String {
    let plus = p.trim_start().starts_with('+');
    let digits: String = p.chars().filter(char::is_ascii_digit).collect();
    if plus { format!("+{digits}") } else { digits }
}

/// The number wa.me expects: international, digits only. A local number
/// (`0812…`) is given Indonesia's country code.
pub fn wa_number(w: &str) -> String {
    let digits: String = w.chars().filter(char::is_ascii_digit).collect();
    match digits.strip_prefix('0') {
        Some(rest) if !w.starts_with('+') => format!("62{rest}"),
        _ => digits,
    }
}

fn website_label(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.trim_end_matches('/').trim_start_matches("www.").to_string()
}

/// Serialises JSON-LD so that it cannot close its `<script>` element.
pub fn script_json(v: &serde_json::Value) -> String {
    // `<`, `>` and `&` as JSON escapes: the text can then never end the
    // script element or open a comment, whatever content holds.
    serde_json::to_string(v).unwrap_or_default().replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

fn firm_jsonld(
    cx: &ViewContext<'_>,
    f: &Firm,
    name: &str,
    summary: &str,
    logo: Option<&ImageView>,
    photos: &[ImageView],
) -> String {
    use serde_json::{Map, Value, json};
    let origin = origin(&cx.urls.base_url);
    let mut o = Map::new();
    o.insert("@context".into(), json!("https://schema.org"));
    let ty = if f.kind.is_industry() { json!(["Organization", "LocalBusiness"]) } else { json!("Organization") };
    o.insert("@type".into(), ty);
    o.insert("@id".into(), json!(format!("{}#organization", cx.urls.absolute(&format!("/usaha/{}/", f.slug)))));
    o.insert("name".into(), json!(name));
    o.insert("description".into(), json!(summary));
    o.insert("url".into(), json!(cx.urls.absolute(&format!("/usaha/{}/", f.slug))));
    let mut addr = Map::new();
    addr.insert("@type".into(), json!("PostalAddress"));
    if let Some(a) = &f.address {
        addr.insert("streetAddress".into(), json!(a));
    }
    addr.insert("addressLocality".into(), json!("Kota Cimahi"));
    addr.insert("addressRegion".into(), json!("Jawa Barat"));
    addr.insert("addressCountry".into(), json!("ID"));
    let area = match &f.subdistrict {
        Some(k) => format!("Kelurahan {k}, Kecamatan {}", f.district.name()),
        None => format!("Kecamatan {}", f.district.name()),
    };
    o.insert("address".into(), Value::Object(addr));
    o.insert("areaServed".into(), json!(area));
    if let Some(p) = &f.contact.phone {
        o.insert("telephone".into(), json!(p));
    }
    if let Some(e) = &f.contact.email {
        o.insert("email".into(), json!(e));
    }
    let mut same_as = Vec::new();
    if let Some(w) = &f.contact.website {
        same_as.push(json!(w));
    }
    if let Some(i) = &f.contact.instagram {
        same_as.push(json!(format!("https://www.instagram.com/{i}/")));
    }
    if !same_as.is_empty() {
        o.insert("sameAs".into(), Value::Array(same_as));
    }
    if let Some(l) = logo {
        o.insert("logo".into(), json!(format!("{origin}{}", l.src)));
    }
    if !photos.is_empty() {
        o.insert("image".into(), json!(photos.iter().map(|p| format!("{origin}{}", p.src)).collect::<Vec<_>>()));
    }
    if let Some(y) = f.founded {
        o.insert("foundingDate".into(), json!(y.to_string()));
    }
    if let Some(n) = f.employees {
        o.insert("numberOfEmployees".into(), json!({"@type": "QuantitativeValue", "value": n}));
    }
    if !f.offers.is_empty() {
        o.insert(
            "knowsAbout".into(),
            json!(f.offers.iter().map(|t| cx.site.vocabulary.label(t, cx.lang)).collect::<Vec<_>>()),
        );
    }
    script_json(&Value::Object(o))
}

fn product_jsonld(
    cx: &ViewContext<'_>,
    f: &Firm,
    p: &Product,
    name: &str,
    body: &Html,
    images: &[ImageView],
) -> String {
    use serde_json::{Map, Value, json};
    let origin = origin(&cx.urls.base_url);
    let url = cx.urls.absolute(&format!("/usaha/{}/produk/{}/", f.slug, p.slug));
    let mut o = Map::new();
    o.insert("@context".into(), json!("https://schema.org"));
    o.insert("@type".into(), json!("Product"));
    o.insert("name".into(), json!(name));
    o.insert("url".into(), json!(url));
    o.insert("description".into(), json!(excerpt(&body.text, 300)));
    o.insert("category".into(), json!(label(cx.strings, "category", &p.category)));
    o.insert("sku".into(), json!(format!("{}/{}", f.slug, p.slug)));
    let firm_name = f.name.get(cx.lang).0;
    let maker = json!({
        "@type": "Organization",
        "name": firm_name,
        "url": cx.urls.absolute(&format!("/usaha/{}/", f.slug)),
    });
    o.insert("brand".into(), json!({"@type": "Brand", "name": firm_name}));
    o.insert("manufacturer".into(), maker.clone());
    if !images.is_empty() {
        o.insert("image".into(), json!(images.iter().map(|i| format!("{origin}{}", i.src)).collect::<Vec<_>>()));
    }
    if let Some(pr) = p.price {
        let mut offer = Map::new();
        if pr.min == pr.max {
            offer.insert("@type".into(), json!("Offer"));
            offer.insert("price".into(), json!(pr.min.to_string()));
        } else {
            offer.insert("@type".into(), json!("AggregateOffer"));
            offer.insert("lowPrice".into(), json!(pr.min.to_string()));
            offer.insert("highPrice".into(), json!(pr.max.to_string()));
        }
        offer.insert("priceCurrency".into(), json!("IDR"));
        offer.insert("url".into(), json!(url));
        offer.insert("seller".into(), maker);
        if let Some(m) = p.moq {
            let mut q = json!({"@type": "QuantitativeValue", "minValue": m});
            if let Some(u) = &p.unit {
                q["unitText"] = json!(u);
            }
            offer.insert("eligibleQuantity".into(), q);
        }
        o.insert("offers".into(), Value::Object(offer));
    }
    script_json(&Value::Object(o))
}

/// `https://x.go.id/katalog` → `https://x.go.id`.
pub fn origin(base_url: &str) -> &str {
    match base_url.find("://") {
        Some(i) => match base_url[i + 3..].find('/') {
            Some(j) => &base_url[..i + 3 + j],
            None => base_url,
        },
        None => base_url,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(tel_digits("+62 22 661-2345"), "+62226612345");
        assert_eq!(wa_number("081234567890"), "6281234567890");
        assert_eq!(wa_number("+6281234567890"), "6281234567890");
        assert_eq!(origin("https://x.go.id/katalog"), "https://x.go.id");
        assert_eq!(origin("https://x.go.id"), "https://x.go.id");
        assert_eq!(excerpt("satu dua tiga", 7), "satu…");
        assert_eq!(lower_first("Kemasan plastik"), "kemasan plastik");
        assert_eq!(lower_first("Pendaftaran merek dan HKI"), "pendaftaran merek dan HKI");
        assert_eq!(lower_first("HKI"), "HKI");
        assert_eq!(lower_first("Kredit Usaha Rakyat (KUR)"), "Kredit Usaha Rakyat (KUR)");
        assert_eq!(lower_first("Ékspor"), "ékspor");
        assert_eq!(excerpt("satu dua tiga", 8), "satu dua…");
        // Never inside what shows as one character: a family emoji is 7
        // characters joined by U+200D, é here is e and an accent.
        let family = "👨\u{200d}👩\u{200d}👧\u{200d}👦";
        for max in 1..40 {
            let text = format!("{}{}", family.repeat(5), "e\u{301}".repeat(5));
            let cut = excerpt(&text, max);
            let kept = cut.trim_end_matches('…');
            assert!(
                !kept.ends_with('\u{200d}') && !text[kept.len()..].starts_with(['\u{200d}', '\u{301}']),
                "{max}: {cut:?}"
            );
            assert!(kept.chars().count() <= max, "{max}: {cut:?}");
        }
        let j = script_json(&serde_json::json!({"a": "</script><!--"}));
        assert!(!j.contains("</") && !j.contains("<!--"), "{j}");
    }
}
