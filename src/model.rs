//! The typed model of a catalogue: what `validate` produces from the loaded
//! files and what every later stage reads. Nothing here touches the disk.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::config::SiteConfig;
use crate::vocabulary::Vocabulary;

/// Declares a closed set of values that content names by a slug.
macro_rules! slug_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $slug:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($(#[$vm])* $variant),+ }

        impl $name {
            /// Every value, in the SPEC's order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The slug content uses for this value.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $slug),+ }
            }

            /// Reads a slug; `None` when it is not one of [`Self::ALL`].
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($slug => Some($name::$variant),)+ _ => None }
            }

            /// The allowed slugs, comma separated, for error messages.
            pub fn allowed() -> String {
                Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

slug_enum!(
    /// What kind of organisation a profile describes.
    Kind {
        /// A small or medium industry (the default).
        Ikm = "ikm",
        /// A large industry.
        Industry = "industry",
        /// A bank.
        Bank = "bank",
        /// A university or polytechnic.
        Academia = "academia",
        /// A business association.
        Association = "association",
        /// A government office.
        Government = "government",
        /// A shop or retail chain.
        Retail = "retail",
    }
);

impl Kind {
    /// Industries have a sector and a scale; institutions do not.
    pub fn is_industry(self) -> bool {
        matches!(self, Kind::Ikm | Kind::Industry)
    }
}

slug_enum!(
    /// The four IKM sectors of Kota Cimahi.
    Sector {
        /// Food and drink.
        MakananMinuman = "makanan-minuman",
        /// Textiles and textile products.
        Tekstil = "tekstil",
        /// Crafts.
        Kerajinan = "kerajinan",
        /// Telematics (software, animation, IT services).
        Telematika = "telematika",
    }
);

slug_enum!(
    /// Size of an industry.
    Scale {
        /// Small.
        Kecil = "kecil",
        /// Medium.
        Menengah = "menengah",
        /// Large.
        Besar = "besar",
    }
);

slug_enum!(
    /// Certifications and permits.
    Certification {
        /// Business identification number.
        Nib = "nib",
        /// Home-industry food permit.
        Pirt = "pirt",
        /// Food and drug agency registration.
        Bpom = "bpom",
        /// Halal certificate.
        Halal = "halal",
        /// National standard.
        Sni = "sni",
        /// Intellectual property.
        Hki = "hki",
    }
);

slug_enum!(
    /// Markets a firm sells to.
    Market {
        /// Local.
        Lokal = "lokal",
        /// National.
        Nasional = "nasional",
        /// Export.
        Ekspor = "ekspor",
    }
);

slug_enum!(
    /// The git host the editing UI (SPEC 12, `cms:`) works through.
    GitHost {
        /// GitHub.
        Github = "github",
        /// GitLab (gitlab.com or the city's own).
        Gitlab = "gitlab",
        /// Gitea or Forgejo.
        Gitea = "gitea",
    }
);

slug_enum!(
    /// Modes of cooperation a firm welcomes.
    Cooperation {
        /// Supplier.
        Pemasok = "pemasok",
        /// Subcontracting.
        Subkontrak = "subkontrak",
        /// Distribution.
        Distribusi = "distribusi",
        /// Franchise.
        Waralaba = "waralaba",
        /// Co-branding.
        CoBranding = "co-branding",
        /// Training.
        Pelatihan = "pelatihan",
        /// Financing.
        Pembiayaan = "pembiayaan",
        /// Research.
        Riset = "riset",
    }
);

slug_enum!(
    /// The three kecamatan of Kota Cimahi.
    District {
        /// North Cimahi.
        CimahiUtara = "cimahi-utara",
        /// Central Cimahi.
        CimahiTengah = "cimahi-tengah",
        /// South Cimahi.
        CimahiSelatan = "cimahi-selatan",
    }
);

impl District {
    /// The name as content writes it ("Cimahi Selatan").
    pub fn name(self) -> &'static str {
        match self {
            District::CimahiUtara => "Cimahi Utara",
            District::CimahiTengah => "Cimahi Tengah",
            District::CimahiSelatan => "Cimahi Selatan",
        }
    }

    /// Reads the name as content writes it.
    pub fn from_name(s: &str) -> Option<Self> {
        District::ALL.iter().copied().find(|d| d.name() == s)
    }

    /// The allowed names, for error messages.
    pub fn allowed_names() -> String {
        District::ALL.iter().map(|d| d.name()).collect::<Vec<_>>().join(", ")
    }

    /// The kelurahan of this kecamatan.
    pub fn subdistricts(self) -> &'static [&'static str] {
        match self {
            District::CimahiUtara => &["Cibabat", "Cipageran", "Citeureup", "Pasirkaliki"],
            District::CimahiTengah => &["Baros", "Cigugur Tengah", "Cimahi", "Karangmekar", "Padasuka", "Setiamanah"],
            District::CimahiSelatan => &["Cibeber", "Cibeureum", "Leuwigajah", "Melong", "Utama"],
        }
    }
}

/// A language the site can be built in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Bahasa Indonesia.
    Id,
    /// English.
    En,
}

impl Lang {
    /// Every supported language.
    pub const ALL: &'static [Lang] = &[Lang::Id, Lang::En];

    /// The language code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }

    /// Reads a language code.
    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "id" => Some(Lang::Id),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// A calendar date (no time zone: content dates are local to Cimahi).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// Month, 1..=12.
    pub month: u32,
    /// Day, 1..=31.
    pub day: u32,
}

impl Date {
    /// Why `s`, written `YYYY-MM-DD`, is not a day of the calendar (a
    /// month 13, a 30 February), for a message; `None` when it is one or
    /// is not written that way.
    pub fn no_such_day(s: &str) -> Option<String> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || Date::parse(s).is_some() {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            s.get(r).filter(|p| p.bytes().all(|c| c.is_ascii_digit()))?.parse().ok()
        };
        let (year, month, day) = (num(0..4)? as i32, num(5..7)?, num(8..10)?);
        if !(1..=12).contains(&month) {
            return Some(format!("there is no month {month}"));
        }
        let days = days_in_month(year, month);
        (day == 0 || day > days).then(|| format!("month {month} of {year} has {days} days"))
    }

    /// Reads `YYYY-MM-DD`, checking that the day exists.
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = s.get(r)?;
            if part.bytes().all(|c| c.is_ascii_digit()) { part.parse().ok() } else { None }
        };
        let year = num(0..4)? as i32;
        let month = num(5..7)?;
        let day = num(8..10)?;
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// The date of a Unix timestamp, in UTC+7 (Western Indonesia Time).
    pub fn from_unix_wib(secs: i64) -> Date {
        let days = (secs + 7 * 3600).div_euclid(86_400);
        civil_from_days(days)
    }

    /// The day a build counts as today: `SOURCE_DATE_EPOCH` (the
    /// reproducible-builds convention, seconds since 1970) when it is set,
    /// else the clock; in Western Indonesia Time.
    pub fn build_day() -> Date {
        match std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|v| v.trim().parse::<i64>().ok()) {
            Some(secs) => Date::from_unix_wib(secs),
            None => Date::today(),
        }
    }

    /// Today, in Western Indonesia Time.
    pub fn today() -> Date {
        let secs =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
        Date::from_unix_wib(secs)
    }

    /// `YYYY-MM-DD`.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.iso())
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

/// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(z: i64) -> Date {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    Date { year: (if m <= 2 { y + 1 } else { y }) as i32, month: m, day: d }
}

/// Markdown rendered to sanitised HTML, with a plain-text version for
/// search, meta descriptions and feeds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Html {
    /// Sanitised HTML (safe to insert unescaped).
    pub html: String,
    /// Text without markup.
    pub text: String,
    /// Links and images the Markdown names, for the link checker.
    #[serde(skip)]
    pub links: Vec<LinkRef>,
}

/// A link written in a Markdown file, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    /// The target as rendered (relative targets already resolved against
    /// the firm's folder).
    pub url: String,
    /// File it was written in, relative to the site root.
    pub path: String,
    /// 1-based line and column in that file.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// The line of the file, to show under an error.
    pub source_line: String,
}

/// A place in a source file: for problems found after validation (an
/// image that does not decode, a broken link) to be reported where the
/// content wrote the value.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Loc {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// The line's text, to show under an error.
    pub source_line: String,
}

/// An image a firm refers to, relative to the firm's folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImageRef {
    /// Path relative to the firm's folder, with `/` separators.
    pub path: String,
    /// Width in pixels, as the image is displayed (after its EXIF
    /// orientation is applied).
    pub width: u32,
    /// Height in pixels, as the image is displayed.
    pub height: u32,
    /// How the file's EXIF orientation tag says to turn the stored pixels
    /// for display (phones store portrait photos as landscape pixels with
    /// a tag); the resized copies are turned accordingly.
    #[serde(skip)]
    pub orientation: image::metadata::Orientation,
    /// The file that names the image (profile.yaml or a product), relative
    /// to the site root.
    #[serde(skip)]
    pub source: String,
    /// The YAML field that names it (`logo`, `photos[1]`), to locate it
    /// in `source` when there is a problem with the image.
    #[serde(skip)]
    pub field: Vec<crate::yaml::Seg>,
}

/// How a firm can be reached.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Contact {
    /// Phone number as written.
    pub phone: Option<String>,
    /// WhatsApp number: digits, optionally with a leading `+`.
    pub whatsapp: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// Website (http or https).
    pub website: Option<String>,
    /// Instagram handle without `@`.
    pub instagram: Option<String>,
}

impl Contact {
    /// Whether no way of contact is given.
    pub fn is_empty(&self) -> bool {
        self.phone.is_none()
            && self.whatsapp.is_none()
            && self.email.is_none()
            && self.website.is_none()
            && self.instagram.is_none()
    }
}

/// A price in rupiah: one amount or a range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Price {
    /// Lowest price.
    pub min: u64,
    /// Highest price (equal to `min` for a single price).
    pub max: u64,
}

/// A text with an optional translation per language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Translated<T> {
    /// The text in the main language of the content (Indonesian).
    pub id: T,
    /// Translations, by language.
    pub other: BTreeMap<Lang, T>,
}

impl<T> Translated<T> {
    /// A text with no translation.
    pub fn new(id: T) -> Self {
        Translated { id, other: BTreeMap::new() }
    }

    /// The text in `lang` and whether it is a translation (`false` means
    /// the Indonesian text stands in for a missing translation).
    pub fn get(&self, lang: Lang) -> (&T, bool) {
        match lang {
            Lang::Id => (&self.id, true),
            _ => match self.other.get(&lang) {
                Some(t) => (t, true),
                None => (&self.id, false),
            },
        }
    }
}

/// One product of a firm.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Product {
    /// File name without `.md`.
    pub slug: String,
    /// Slug of the firm that makes it.
    pub firm: String,
    /// Name, with translations.
    pub name: Translated<String>,
    /// Category slug (a taxonomy of its own).
    pub category: String,
    /// Price, if given.
    pub price: Option<Price>,
    /// What the price is for ("kg").
    pub unit: Option<String>,
    /// Minimum order quantity.
    pub moq: Option<u64>,
    /// Production capacity, free text.
    pub capacity: Option<String>,
    /// Input tags (implicit needs of the firm), folded to canonical tags.
    pub materials: Vec<String>,
    /// Free tags.
    pub tags: Vec<String>,
    /// Certifications.
    pub certifications: Vec<Certification>,
    /// Images, relative to the firm's folder.
    pub images: Vec<ImageRef>,
    /// Left out unless building with drafts.
    pub draft: bool,
    /// Description, with translations.
    pub body: Translated<Html>,
    /// Last change (from `updated:` of the firm or git).
    pub updated: Option<Date>,
    /// Source file, relative to the site root.
    pub source: String,
}

/// A firm or institution.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Firm {
    /// Folder name.
    pub slug: String,
    /// Name, with translations.
    pub name: Translated<String>,
    /// What kind of organisation.
    pub kind: Kind,
    /// Sector (industries only).
    pub sector: Option<Sector>,
    /// Scale (industries only).
    pub scale: Option<Scale>,
    /// Kecamatan.
    pub district: District,
    /// Kelurahan, if given.
    pub subdistrict: Option<String>,
    /// One-line summary, with translations.
    pub summary: Translated<String>,
    /// Street address.
    pub address: Option<String>,
    /// Year founded.
    pub founded: Option<i32>,
    /// Number of employees.
    pub employees: Option<u64>,
    /// Ways to get in touch.
    pub contact: Contact,
    /// Certifications.
    pub certifications: Vec<Certification>,
    /// Markets.
    pub markets: Vec<Market>,
    /// What the firm supplies (canonical tags).
    pub offers: Vec<String>,
    /// What the firm looks for (canonical tags).
    pub needs: Vec<String>,
    /// Cooperation modes it welcomes.
    pub cooperation: Vec<Cooperation>,
    /// Existing partners (slugs).
    pub partners: Vec<String>,
    /// Slugs never to suggest.
    pub exclude_partners: Vec<String>,
    /// Logo.
    pub logo: Option<ImageRef>,
    /// Photos.
    pub photos: Vec<ImageRef>,
    /// Last change.
    pub updated: Option<Date>,
    /// Left out unless building with drafts.
    pub draft: bool,
    /// Long description (index.md), with translations.
    pub description: Translated<Html>,
    /// Products, sorted by slug.
    pub products: Vec<Product>,
    /// Every other file of the firm's folder (images, brochures), relative
    /// to it; published beside the firm's page.
    pub assets: Vec<String>,
    /// The profile's path, relative to the site root.
    pub source: String,
}

impl Firm {
    /// The profile's needs and every material of its published products,
    /// deduplicated and sorted: what the firm's needs are made from. Partner
    /// matching leaves out the materials the firm offers itself
    /// ([`crate::partners::needs`]).
    pub fn all_needs(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .needs
            .iter()
            .chain(self.products.iter().filter(|p| !p.draft).flat_map(|p| p.materials.iter()))
            .cloned()
            .collect();
        v.sort();
        v.dedup();
        v
    }
}

/// A free page (about, contact).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page {
    /// File name without `.md`.
    pub slug: String,
    /// Title, with translations.
    pub title: Translated<String>,
    /// Meta description, with translations.
    pub description: Translated<Option<String>>,
    /// Menu order (lower first), then slug.
    pub weight: i64,
    /// Left out unless building with drafts.
    pub draft: bool,
    /// Body, with translations.
    pub body: Translated<Html>,
    /// Last change (from git).
    pub updated: Option<Date>,
    /// Source file, relative to the site root.
    pub source: String,
}

/// The home page text (`content/_index.md`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Home {
    /// Title, overriding the site title on the home page.
    pub title: Translated<Option<String>>,
    /// Meta description, overriding the site description.
    pub description: Translated<Option<String>>,
    /// Intro text.
    pub body: Translated<Html>,
}

/// A time of day, local to Cimahi (Asia/Jakarta, UTC+7), in minutes since
/// midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Time(pub u16);

impl Time {
    /// Reads `HH:MM` (24-hour clock, two digits each).
    pub fn parse(s: &str) -> Option<Time> {
        let (h, m) = s.split_once(':')?;
        if h.len() != 2 || m.len() != 2 || !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
            return None;
        }
        let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
        (h < 24 && m < 60).then_some(Time(h * 60 + m))
    }

    /// `HH:MM`.
    pub fn hhmm(self) -> String {
        format!("{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

impl Serialize for Time {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.hhmm())
    }
}

/// A part of an event's day in which meetings are held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct EventSession {
    /// Start.
    pub start: Time,
    /// End.
    pub end: Time,
}

/// Who takes part in an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Participants {
    /// Every published firm and institution.
    All,
    /// These firms (slugs, in the order written).
    Slugs(Vec<String>),
    /// Firms matching every given field (values of one field ORed).
    Filter {
        /// Sectors.
        sector: Vec<Sector>,
        /// Kecamatan.
        district: Vec<District>,
        /// Kinds.
        kind: Vec<Kind>,
        /// Scales.
        scale: Vec<Scale>,
    },
}

impl Participants {
    /// Whether a firm takes part.
    pub fn includes(&self, f: &Firm) -> bool {
        match self {
            Participants::All => true,
            Participants::Slugs(s) => s.contains(&f.slug),
            Participants::Filter { sector, district, kind, scale } => {
                (sector.is_empty() || f.sector.is_some_and(|x| sector.contains(&x)))
                    && (district.is_empty() || district.contains(&f.district))
                    && (kind.is_empty() || kind.contains(&f.kind))
                    && (scale.is_empty() || f.scale.is_some_and(|x| scale.contains(&x)))
            }
        }
    }
}

/// A pair of firms an event file names (`requests`, `avoid`), with the
/// line and column of the pair for later reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlugPair {
    /// First slug.
    pub a: String,
    /// Second slug.
    pub b: String,
    /// Where the pair is written.
    pub at: Option<Loc>,
    /// Index of the pair in its list as written (items refused before it
    /// count), and whether `b` is written first: for reports on one slug.
    pub item: usize,
    /// `b` is the first slug written (the pair is kept sorted).
    pub swapped: bool,
}

/// A business meeting (*temu usaha*, SPEC section 10).
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// File name without `.yaml`.
    pub slug: String,
    /// Name, with translations.
    pub name: Translated<String>,
    /// Day of the event.
    pub date: Date,
    /// Where it is held.
    pub venue: String,
    /// Kecamatan of the venue.
    pub district: Option<District>,
    /// Slug of the organising firm or office.
    pub organizer: Option<String>,
    /// Sessions, in time order, not overlapping.
    pub sessions: Vec<EventSession>,
    /// Length of a meeting.
    pub meeting_minutes: u16,
    /// Pause after each meeting.
    pub break_minutes: u16,
    /// Tables.
    pub tables: u32,
    /// Who takes part.
    pub participants: Participants,
    /// Most meetings per firm (default: every slot).
    pub max_meetings_per_firm: Option<u32>,
    /// Pairs that must meet.
    pub requests: Vec<SlugPair>,
    /// Pairs never to schedule.
    pub avoid: Vec<SlugPair>,
    /// Left out unless building with drafts.
    pub draft: bool,
    /// Description (`<slug>.md`), with translations.
    pub description: Translated<Html>,
    /// Last change of the event's files (from git).
    pub updated: Option<Date>,
    /// Source file, relative to the site root.
    pub source: String,
}

impl Event {
    /// The slots of the day: (session index, start, end), in time order.
    /// Each session is cut from its start into meetings of
    /// `meeting_minutes`, each followed by `break_minutes`; a slot ends by
    /// its session's end.
    pub fn slots(&self) -> Vec<(usize, Time, Time)> {
        let step = self.meeting_minutes + self.break_minutes;
        let mut out = Vec::new();
        for (i, s) in self.sessions.iter().enumerate() {
            let mut t = s.start.0;
            while self.meeting_minutes > 0 && t + self.meeting_minutes <= s.end.0 {
                out.push((i, Time(t), Time(t + self.meeting_minutes)));
                t += step.max(1);
            }
        }
        out
    }

    /// Slots in each session.
    pub fn slots_per_session(&self) -> Vec<u32> {
        let slots = self.slots();
        (0..self.sessions.len()).map(|i| slots.iter().filter(|s| s.0 == i).count() as u32).collect()
    }
}

/// A validated site: configuration, vocabulary and all content, with drafts
/// already removed unless the build asked for them.
#[derive(Debug, Clone)]
pub struct Site {
    /// site.yaml.
    pub config: SiteConfig,
    /// The vocabulary of offer/need tags.
    pub vocabulary: Vocabulary,
    /// Home page text.
    pub home: Home,
    /// Free pages, sorted by weight then slug.
    pub pages: Vec<Page>,
    /// Firms, sorted by slug. Shared, so that the preview server can build
    /// a new site from an old one without copying every profile.
    pub firms: Vec<std::sync::Arc<Firm>>,
    /// Business meetings, sorted by slug.
    pub events: Vec<Event>,
    /// The day the build counts as today, to tell upcoming events from past
    /// ones (`SOURCE_DATE_EPOCH` when set, else the clock, in UTC+7).
    pub today: Date,
}

impl Site {
    /// Index of a firm by slug (firms are sorted by slug).
    pub fn firm_index(&self, slug: &str) -> Option<usize> {
        self.firms.binary_search_by(|f| f.slug.as_str().cmp(slug)).ok()
    }
}

/// Whether `s` is a slug: lowercase ASCII letters, digits and single hyphens.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(is_slug("rasa-cireundeu"));
        assert!(is_slug("a1"));
        for bad in ["", "-a", "a-", "a--b", "A", "a_b", "é", "a b"] {
            assert!(!is_slug(bad), "{bad}");
        }
    }

    #[test]
    fn dates() {
        assert_eq!(Date::parse("2024-02-29").map(Date::iso).as_deref(), Some("2024-02-29"));
        assert!(Date::parse("2023-02-29").is_none());
        assert!(Date::parse("2023-13-01").is_none());
        assert!(Date::parse("2023-1-01").is_none());
        assert_eq!(Date::no_such_day("2023-02-29").as_deref(), Some("month 2 of 2023 has 28 days"));
        assert_eq!(Date::no_such_day("2023-04-00").as_deref(), Some("month 4 of 2023 has 30 days"));
        assert_eq!(Date::no_such_day("2023-13-01").as_deref(), Some("there is no month 13"));
        for fine_or_unreadable in ["2024-02-29", "2023-1-01", "20x3-02-30", "kemarin"] {
            assert_eq!(Date::no_such_day(fine_or_unreadable), None, "{fine_or_unreadable}");
        }
        assert_eq!(Date::from_unix_wib(0).iso(), "1970-01-01");
        assert_eq!(Date::from_unix_wib(1_790_000_000).iso(), "2026-09-21");
    }

    #[test]
    fn times() {
        assert_eq!(Time::parse("09:05"), Some(Time(545)));
        assert_eq!(Time::parse("23:59").map(Time::hhmm).as_deref(), Some("23:59"));
        for bad in ["9:00", "24:00", "12:60", "12.00", "1200", "ab:cd", "+1:00"] {
            assert_eq!(Time::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn slots_fit_their_session() {
        let e = Event {
            slug: "e".into(),
            name: Translated::new("E".into()),
            date: Date { year: 2027, month: 3, day: 10 },
            venue: "V".into(),
            district: None,
            organizer: None,
            sessions: vec![
                EventSession { start: Time(540), end: Time(600) },
                EventSession { start: Time(780), end: Time(800) },
            ],
            meeting_minutes: 20,
            break_minutes: 5,
            tables: 1,
            participants: Participants::All,
            max_meetings_per_firm: None,
            requests: vec![],
            avoid: vec![],
            draft: false,
            description: Translated::default(),
            updated: None,
            source: String::new(),
        };
        let got: Vec<String> = e.slots().iter().map(|(s, a, b)| format!("{s} {}-{}", a.hhmm(), b.hhmm())).collect();
        assert_eq!(got, ["0 09:00-09:20", "0 09:25-09:45", "1 13:00-13:20"]);
        assert_eq!(e.slots_per_session(), [2, 1]);
    }

    #[test]
    fn enums_roundtrip() {
        for s in Sector::ALL {
            assert_eq!(Sector::parse(s.as_str()), Some(*s));
        }
        assert_eq!(District::from_name("Cimahi Selatan"), Some(District::CimahiSelatan));
        assert!(District::CimahiSelatan.subdistricts().contains(&"Leuwigajah"));
    }
}
