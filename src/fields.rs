//! The fields of every content file, as data: for each file type, each
//! field's key, whether it is required, its type (text, whole number within
//! a range, a value of a closed set, a list, a nested mapping…) and its
//! description in Indonesian and English.
//!
//! These definitions are the one source of the generic rules:
//! - the validator reads fields through them ([`Doc::check_fields`],
//!   [`Doc::text_field`], [`Doc::int_field`], [`Doc::choice_field`]…), so
//!   unknown keys, required fields, types, allowed values and ranges come
//!   from here, and the format of a text ([`Format`]) is checked by
//!   [`Format::accepts`];
//! - `gotong schema` ([`crate::schema`]) serialises them as JSON Schema for
//!   editors' tools, each format as a regular expression that a test proves
//!   equal to [`Format::accepts`];
//! - the editing UI (SPEC 12, `cms:`) builds its forms from them.
//!
//! Rules between fields ([`Rule`]) are listed with each file type; the
//! validator implements them next to the fields they join, and the schema
//! expresses them with `if`/`then`. What a schema cannot express (a slug
//! that must name an existing firm, sessions that must not overlap…) is in
//! each file type's [`FileType::unexpressed`], which docs/editors.md lists.
//!
//! A text field accepts a number written without quotes as its text (YAML
//! reads `name: 1945` as a number); surrounding spaces inside quotes are
//! trimmed; a field set to nothing (`key:`) counts as missing.

use crate::model::{
    Certification, Cooperation, Date, District, GitHost, Kind, Lang, Market, Scale, Sector, Time, is_slug,
};
use crate::source::{Doc, Need, Obj};

/// A description in both languages of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct About {
    /// Bahasa Indonesia.
    pub id: &'static str,
    /// English.
    pub en: &'static str,
}

const fn about(id: &'static str, en: &'static str) -> About {
    About { id, en }
}

/// One field of a mapping.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// The YAML key.
    pub key: &'static str,
    /// Whether it must be present (and not empty).
    pub need: Need,
    /// What its value may be.
    pub ty: Ty,
    /// What it means.
    pub about: About,
}

const fn req(key: &'static str, ty: Ty, about: About) -> Field {
    Field { key, need: Need::Required, ty, about }
}

const fn opt(key: &'static str, ty: Ty, about: About) -> Field {
    Field { key, need: Need::Optional, ty, about }
}

/// The upper bound of a whole number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Max {
    /// A fixed bound.
    Fixed(i64),
    /// The year of the build day (not in the schema: it would change each
    /// year).
    ThisYear,
}

/// What a field's value may be.
#[derive(Debug, Clone, Copy)]
pub enum Ty {
    /// Text, at most `max` characters when given.
    Text {
        /// Longest text, in characters.
        max: Option<usize>,
        /// One line: no line break inside the text (a name, a summary, a
        /// title). A block scalar's final line break is trimmed, as every
        /// text's surrounding white space is.
        line: bool,
    },
    /// Text in a format.
    Format(Format),
    /// A whole number within a range.
    Int {
        /// Smallest value.
        min: i64,
        /// Largest value.
        max: Max,
    },
    /// `true` or `false` (missing is `false`).
    Bool,
    /// One value of a closed set.
    Choice(Choice),
    /// A list. Where `single` is set, one item written without brackets
    /// counts as a list of one.
    List {
        /// The items.
        item: &'static Ty,
        /// A lone item is a list of one.
        single: bool,
        /// Fewest items.
        min: usize,
    },
    /// A pair of texts (strings only, not numbers), like `[a, b]`.
    Pair(&'static Ty),
    /// A nested mapping of these fields.
    Object(&'static [Field]),
    /// One of these forms, tried in order.
    Either(&'static [Ty]),
    /// Exactly this word.
    Word(&'static str),
}

const TEXT: Ty = Ty::Text { max: None, line: false };
const LINE: Ty = Ty::Text { max: None, line: true };
const SLUG: Ty = Ty::Format(Format::Slug);

/// A format of text, checked by [`Format::accepts`] and written for JSON
/// Schema as [`Format::pattern`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Lowercase letters, digits and single hyphens.
    Slug,
    /// A tag: any text on one line without `;`, which separates the tags
    /// of a cell of data/katalog.csv.
    Tag,
    /// `YYYY-MM-DD`, a day that exists.
    Date,
    /// `HH:MM`, 24-hour clock.
    Time,
    /// An e-mail address (deliberately simple: see [`crate::validate::is_email`]).
    Email,
    /// An absolute http or https URL.
    HttpUrl,
    /// A phone number: digits, spaces, `+ - ( ) .`, 6 to 20 digits.
    Phone,
    /// A WhatsApp number: 8 to 15 digits, an optional leading `+`, spaces and hyphens ignored.
    Whatsapp,
    /// An Instagram handle without `@`.
    Instagram,
    /// A path inside the firm's folder (the file must also exist: not in the schema).
    ImagePath,
    /// A deploy target URL (its details are checked by gotong only).
    TargetUrl,
    /// A regular expression (that it compiles is checked by gotong only).
    Regex,
    /// Printable ASCII, as an HTTP header value.
    HeaderValue,
    /// A repository on a git host: `owner/name` (GitLab groups may nest:
    /// `group/sub/name`).
    Repo,
    /// A git branch name (letters, digits, `.`, `_`, `/`, `-`; not starting
    /// with `-`, `.` or `/`).
    Branch,
}

/// Characters an image's name may not hold (besides white space and
/// control characters): a page would have to escape them in a URL, and a
/// comma or a space splits a `srcset`.
const IMAGE_NAME_BAD: &str = "#%?,\"<>";

/// The first character of an image's name that it may not hold (white
/// space, a control character or one of [`IMAGE_NAME_BAD`]).
pub fn image_name_bad_char(name: &str) -> Option<char> {
    name.chars().find(|&c| c.is_whitespace() || c.is_control() || IMAGE_NAME_BAD.contains(c))
}

/// The line breaks a one-line text may not hold (the others are control
/// characters, refused everywhere).
const LINE_BREAKS: [char; 4] = ['\n', '\r', '\u{2028}', '\u{2029}'];

/// Why a (trimmed) text is not one line, when it holds a line break:
/// names, summaries, titles and tags are shown on one line, in a title
/// bar, a table cell of the CSV or a calendar's summary.
pub fn line_break(s: &str) -> Option<String> {
    let k = s.find(LINE_BREAKS)?;
    Some(format!(
        "it has a line break after `{}`; write it on one line (in YAML, `>` folds a long text into one line)",
        &s[..k]
    ))
}

/// The characters Rust's `str::trim` removes (Unicode White_Space), as a
/// character class body usable by every regular expression dialect a
/// schema meets (Rust, ECMA-262, Python).
pub const WHITE_SPACE: &str = "\\t\\n\\x0b\\x0c\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";

impl Format {
    /// Every format.
    pub const ALL: &'static [Format] = &[
        Format::Slug,
        Format::Tag,
        Format::Date,
        Format::Time,
        Format::Email,
        Format::HttpUrl,
        Format::Phone,
        Format::Whatsapp,
        Format::Instagram,
        Format::ImagePath,
        Format::TargetUrl,
        Format::Regex,
        Format::HeaderValue,
        Format::Repo,
        Format::Branch,
    ];

    /// Whether gotong accepts `s` (already trimmed) in this format.
    pub fn accepts(self, s: &str) -> bool {
        match self {
            Format::Slug => is_slug(s),
            Format::Tag => !s.contains(';') && line_break(s).is_none(),
            Format::Date => Date::parse(s).is_some(),
            Format::Time => Time::parse(s).is_some(),
            Format::Email => crate::validate::is_email(s),
            Format::HttpUrl => crate::config::is_http_url(s),
            Format::Phone => {
                let digits = s.chars().filter(char::is_ascii_digit).count();
                s.chars().all(|ch| ch.is_ascii_digit() || " +-().".contains(ch)) && (6..=20).contains(&digits)
            }
            Format::Whatsapp => whatsapp_digits(s).is_some(),
            Format::Instagram => {
                !s.is_empty()
                    && s.len() <= 30
                    && s.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '.' || ch == '_')
            }
            Format::ImagePath => {
                let clean = s.trim_start_matches("./");
                !(clean.starts_with('/')
                    || clean.contains('\\')
                    || clean.split('/').any(|c| c == ".." || c.is_empty() || c == ".")
                    || clean.contains(':')
                    // What a URL or a srcset would have to escape.
                    || image_name_bad_char(clean).is_some())
            }
            Format::TargetUrl => ["s3://", "gs://", "az://", "file://"].iter().any(|p| s.starts_with(p)),
            Format::Regex => true,
            Format::HeaderValue => s.chars().all(|c| c == ' ' || c == '\t' || c.is_ascii_graphic()),
            Format::Repo => {
                let part = |p: &str| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
                s.split('/').count() >= 2 && s.split('/').all(part)
            }
            Format::Branch => {
                s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                    && s.chars().all(|c| c.is_ascii_alphanumeric() || "._/-".contains(c))
            }
        }
    }

    /// Whether [`Format::pattern`] accepts exactly what gotong accepts;
    /// otherwise it accepts more, and gotong checks the rest.
    pub fn exact(self) -> bool {
        !matches!(self, Format::TargetUrl | Format::Regex)
    }

    /// A regular expression (anchored, in the common subset of Rust's
    /// `regex`, ECMA-262 and Python) for the texts this format accepts.
    pub fn pattern(self) -> String {
        match self {
            Format::Slug => "^[a-z0-9]+(?:-[a-z0-9]+)*$".into(),
            Format::Tag => "^[^;\\n\\r\\u2028\\u2029]*$".into(),
            Format::Date => {
                let leap = "(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29";
                format!(
                    "^(?:[0-9]{{4}}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)|{leap})$"
                )
            }
            Format::Time => "^(?:[01][0-9]|2[0-3]):[0-5][0-9]$".into(),
            Format::Email => {
                let part = "[A-Za-z0-9_%+-]+";
                format!("^[A-Za-z0-9._%+-]+@{part}(?:\\.{part})+$")
            }
            Format::HttpUrl => {
                // No whitespace, control character, `"`, `<` or `>`
                // anywhere; a host (something before the first / ? #).
                let bad = format!("{WHITE_SPACE}\\x00-\\x1f\\x7f-\\x9f\"<>");
                // The scheme in any case (RFC 3986).
                format!("^[Hh][Tt][Tt][Pp][Ss]?://[^/?#{bad}][^{bad}]*$")
            }
            Format::Phone => "^[ +().-]*(?:[0-9][ +().-]*){6,20}$".into(),
            Format::Whatsapp => "^[ -]*\\+?[ -]*(?:[0-9][ -]*){8,15}$".into(),
            Format::Instagram => "^[A-Za-z0-9._]{1,30}$".into(),
            Format::ImagePath => {
                let bad = format!("/\\\\:{WHITE_SPACE}\\x00-\\x1f\\x7f-\\x9f{IMAGE_NAME_BAD}");
                let seg = format!("(?:[^.{bad}][^{bad}]*|\\.[^.{bad}][^{bad}]*|\\.\\.[^{bad}]+)");
                format!("^(?:\\./)*{seg}(?:/{seg})*$")
            }
            Format::TargetUrl => "^(?:s3|gs|az|file)://".into(),
            Format::Regex => "".into(),
            Format::HeaderValue => "^[\\t -~]*$".into(),
            Format::Repo => "^[A-Za-z0-9._-]+(?:/[A-Za-z0-9._-]+)+$".into(),
            Format::Branch => "^[A-Za-z0-9_][A-Za-z0-9._/-]*$".into(),
        }
    }

    /// The whole numbers (written without quotes) whose text this format
    /// accepts, as inclusive ranges.
    pub fn numbers(self) -> &'static [(i128, i128)] {
        const U64: i128 = u64::MAX as i128;
        const I64: i128 = i64::MIN as i128;
        match self {
            Format::Slug => &[(0, U64)],
            // A minus sign is allowed in phone numbers, and dropped from
            // WhatsApp numbers.
            Format::Phone => &[(100_000, U64), (I64, -100_000)],
            Format::Whatsapp => &[(10_000_000, 999_999_999_999_999), (-999_999_999_999_999, -10_000_000)],
            Format::Instagram | Format::Branch => &[(0, U64)],
            Format::ImagePath => &[(I64, U64)],
            Format::HeaderValue | Format::Regex | Format::Tag => &[(I64, U64)],
            _ => &[],
        }
    }

    /// How a message names the format.
    pub fn what(self) -> &'static str {
        match self {
            Format::Slug => "a slug (lowercase letters, digits and single hyphens)",
            Format::Tag => "one line without `;` (write each tag as its own item)",
            Format::Date => "a day of the calendar written YYYY-MM-DD",
            Format::Time => "a time written HH:MM",
            Format::Email => "an e-mail address",
            Format::HttpUrl => "an http or https URL",
            Format::Phone => "a phone number (digits, spaces, + - ( ) .)",
            Format::Whatsapp => "digits with an optional leading + (8 to 15 digits)",
            Format::Instagram => "a handle (letters, digits, `.` and `_`)",
            Format::ImagePath => "a path inside the firm's folder, its names without spaces or # % ? , \" < >",
            Format::TargetUrl => "an s3://, gs://, az:// or file:/// URL",
            Format::Regex => "a regular expression",
            Format::HeaderValue => "printable ASCII",
            Format::Repo => "a repository written owner/name",
            Format::Branch => "a branch name (letters, digits, `.`, `_`, `/`, `-`)",
        }
    }
}

/// The digits of a WhatsApp number, with its `+` (spaces and hyphens
/// dropped), when it is one.
pub fn whatsapp_digits(s: &str) -> Option<String> {
    let compact: String = s.chars().filter(|ch| *ch != ' ' && *ch != '-').collect();
    let digits = compact.strip_prefix('+').unwrap_or(&compact);
    (!digits.is_empty() && digits.chars().all(|ch| ch.is_ascii_digit()) && (8..=15).contains(&digits.len()))
        .then_some(compact)
}

/// A closed set of values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// [`Kind`].
    Kind,
    /// [`Sector`].
    Sector,
    /// [`Scale`].
    Scale,
    /// [`Certification`].
    Certification,
    /// [`Market`].
    Market,
    /// [`Cooperation`].
    Cooperation,
    /// [`District`]: its name (`Cimahi Selatan`) or its slug.
    District,
    /// A kelurahan of Kota Cimahi, in any letter case.
    Subdistrict,
    /// [`Lang`].
    Lang,
    /// [`GitHost`].
    GitHost,
}

fn all<T: Copy>(list: &[T], f: impl Fn(T) -> &'static str) -> Vec<&'static str> {
    list.iter().map(|v| f(*v)).collect()
}

impl Choice {
    /// The values messages list as allowed.
    pub fn shown(self) -> Vec<&'static str> {
        match self {
            Choice::Kind => all(Kind::ALL, Kind::as_str),
            Choice::Sector => all(Sector::ALL, Sector::as_str),
            Choice::Scale => all(Scale::ALL, Scale::as_str),
            Choice::Certification => all(Certification::ALL, Certification::as_str),
            Choice::Market => all(Market::ALL, Market::as_str),
            Choice::Cooperation => all(Cooperation::ALL, Cooperation::as_str),
            Choice::District => all(District::ALL, District::name),
            Choice::Subdistrict => District::ALL.iter().flat_map(|d| d.subdistricts().iter().copied()).collect(),
            Choice::Lang => all(Lang::ALL, Lang::code),
            Choice::GitHost => all(GitHost::ALL, GitHost::as_str),
        }
    }

    /// Every value accepted as written (letter case aside for
    /// [`Choice::Subdistrict`]).
    pub fn accepted(self) -> Vec<&'static str> {
        match self {
            Choice::District => District::ALL.iter().flat_map(|d| [d.name(), d.as_str()]).collect(),
            other => other.shown(),
        }
    }

    /// Whether letter case is ignored.
    pub fn any_case(self) -> bool {
        self == Choice::Subdistrict
    }
}

/// A rule between fields of one file, implemented by the validator and
/// expressed by the schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// `sector` and `scale` are required unless `kind` is an institution
    /// (bank, academia…); missing `kind` is `ikm`.
    IndustryFields,
    /// A `kind: ikm` (or no kind) cannot have `scale: besar`.
    IkmNotBesar,
    /// `subdistrict` must be a kelurahan of `district`.
    SubdistrictInDistrict,
}

impl Rule {
    /// What the rule says.
    pub fn about(self) -> About {
        match self {
            Rule::IndustryFields => about(
                "`sector` dan `scale` wajib untuk kind ikm dan industry (tanpa kind berarti ikm).",
                "`sector` and `scale` are required for kind ikm and industry (no kind means ikm).",
            ),
            Rule::IkmNotBesar => about(
                "IKM tidak boleh berskala besar: industri besar memakai kind: industry.",
                "An IKM cannot be `besar`: a large firm is kind: industry.",
            ),
            Rule::SubdistrictInDistrict => about(
                "Kelurahan harus berada di kecamatan yang dipilih.",
                "The kelurahan must lie in the chosen kecamatan.",
            ),
        }
    }
}

/// The top of a file.
#[derive(Debug, Clone, Copy)]
pub enum Root {
    /// A mapping of these fields. An empty file is no fields: accepted
    /// when `empty_ok` (set only where no field is required), an error
    /// otherwise.
    Fields {
        /// The fields.
        fields: &'static [Field],
        /// An empty file is accepted as no fields.
        empty_ok: bool,
    },
    /// A mapping whose keys are slugs and whose values have these fields
    /// (an empty file is fine).
    SlugMap(&'static [Field]),
}

/// A type of content file.
#[derive(Debug, Clone, Copy)]
pub struct FileType {
    /// Short name: the schema is `<name>.schema.json`.
    pub name: &'static str,
    /// Which files, as a glob from the site root.
    pub files: &'static str,
    /// What the file is.
    pub about: About,
    /// Its fields.
    pub root: Root,
    /// Rules between its fields.
    pub rules: &'static [Rule],
    /// What gotong checks and a schema cannot express.
    pub unexpressed: &'static [About],
}

impl FileType {
    /// The schema's file name.
    pub fn schema_file(&self) -> String {
        format!("{}.schema.json", self.name)
    }

    /// The top-level fields.
    pub fn fields(&self) -> &'static [Field] {
        match self.root {
            Root::Fields { fields, .. } | Root::SlugMap(fields) => fields,
        }
    }
}

/// The keys of `fields`, in order.
pub fn keys(fields: &[Field]) -> Vec<&'static str> {
    fields.iter().map(|f| f.key).collect()
}

/// site.yaml.
pub mod site {
    use super::*;

    /// `title`.
    pub const TITLE: Field = req("title", LINE, about("Judul situs.", "Site title."));
    /// `base_url`.
    pub const BASE_URL: Field = req(
        "base_url",
        Ty::Format(Format::HttpUrl),
        about(
            "Alamat situs (http atau https), untuk tautan mutlak.",
            "The site's address (http or https), for absolute links.",
        ),
    );
    /// `description`.
    pub const DESCRIPTION: Field =
        opt("description", TEXT, about("Deskripsi halaman depan.", "Meta description of the home page."));
    /// `language`.
    pub const LANGUAGE: Field = opt(
        "language",
        Ty::Choice(Choice::Lang),
        about("Bahasa utama, disajikan di / (bawaan id).", "Main language, served at / (default id)."),
    );
    /// `languages`.
    pub const LANGUAGES: Field = opt(
        "languages",
        Ty::List { item: &Ty::Choice(Choice::Lang), single: true, min: 0 },
        about("Setiap edisi bahasa yang dibangun.", "Every language edition to build."),
    );
    /// `theme`.
    pub const THEME: Field = opt(
        "theme",
        SLUG,
        about("Folder tema di themes/ (bawaan cimahi).", "Theme folder under themes/ (default cimahi)."),
    );
    /// `paginate`.
    pub const PAGINATE: Field = opt(
        "paginate",
        Ty::Int { min: 1, max: Max::Fixed(1000) },
        about("Jumlah item per halaman daftar (bawaan 24).", "Items per listing page (default 24)."),
    );
    /// `repo_edit_url`.
    pub const REPO_EDIT_URL: Field = opt(
        "repo_edit_url",
        Ty::Format(Format::HttpUrl),
        about("Awalan tautan \"sunting halaman ini\".", "Prefix of \"edit this page\" links."),
    );
    /// `partners.per_firm`.
    pub const PER_FIRM: Field = opt(
        "per_firm",
        Ty::Int { min: 0, max: Max::Fixed(100) },
        about("Jumlah saran mitra per usaha (bawaan 8).", "Partner suggestions per firm (default 8)."),
    );
    /// `partners:`.
    pub const PARTNER_FIELDS: &[Field] = &[PER_FIRM];
    /// `partners`.
    pub const PARTNERS: Field =
        opt("partners", Ty::Object(PARTNER_FIELDS), about("Saran mitra.", "Partner suggestions."));
    /// `deploy`.
    pub const DEPLOY: Field = opt(
        "deploy",
        Ty::Object(deploy::FIELDS),
        about("Penerbitan dengan gotong deploy.", "Publishing with gotong deploy."),
    );
    /// `cms`.
    pub const CMS: Field = opt(
        "cms",
        Ty::Object(cms::FIELDS),
        about(
            "Antarmuka penyuntingan di /admin/ (Decap CMS), lewat API host git.",
            "The editing UI at /admin/ (Decap CMS), through the git host's API.",
        ),
    );
    /// `proposals.docx`.
    pub const DOCX: Field = opt(
        "docx",
        Ty::Bool,
        about("Tulis usaha/<usaha>/proposal.docx (bawaan true).", "Write usaha/<firm>/proposal.docx (default true)."),
    );
    /// `proposals:`.
    pub const PROPOSAL_FIELDS: &[Field] = &[DOCX];
    /// `proposals`.
    pub const PROPOSALS: Field = opt(
        "proposals",
        Ty::Object(PROPOSAL_FIELDS),
        about("Draf proposal kemitraan.", "Draft partnership proposals."),
    );
    /// Every field.
    pub const FIELDS: &[Field] = &[
        TITLE,
        BASE_URL,
        DESCRIPTION,
        LANGUAGE,
        LANGUAGES,
        THEME,
        PAGINATE,
        REPO_EDIT_URL,
        PARTNERS,
        PROPOSALS,
        DEPLOY,
        CMS,
    ];
}

/// `cms:` in site.yaml (SPEC 12).
pub mod cms {
    use super::*;

    /// `backend`.
    pub const BACKEND: Field = req(
        "backend",
        Ty::Choice(Choice::GitHost),
        about("Host git: github, gitlab atau gitea.", "The git host: github, gitlab or gitea."),
    );
    /// `repo`.
    pub const REPO: Field = req(
        "repo",
        Ty::Format(Format::Repo),
        about("Repositori konten, pemilik/nama.", "The content repository, owner/name."),
    );
    /// `branch`.
    pub const BRANCH: Field = opt(
        "branch",
        Ty::Format(Format::Branch),
        about("Cabang yang diterbitkan (bawaan main).", "The branch that is published (default main)."),
    );
    /// `api_root`.
    pub const API_ROOT: Field = opt(
        "api_root",
        Ty::Format(Format::HttpUrl),
        about(
            "Alamat API host git sendiri, mis. https://git.cimahikota.go.id/api/v1 (Gitea, GitLab milik sendiri).",
            "The API address of a self-hosted git host, e.g. https://git.example.go.id/api/v1 (Gitea, self-hosted GitLab).",
        ),
    );
    /// `auth_url`.
    pub const AUTH_URL: Field = opt(
        "auth_url",
        Ty::Format(Format::HttpUrl),
        about(
            "Alamat server OAuth (GitHub) atau host git (GitLab, Gitea) untuk masuk.",
            "The OAuth server (GitHub) or the git host (GitLab, Gitea) that signs editors in.",
        ),
    );
    /// `app_id`.
    pub const APP_ID: Field = opt(
        "app_id",
        TEXT,
        about(
            "ID aplikasi OAuth (GitLab, Gitea): masuk dengan PKCE, tanpa server OAuth.",
            "The OAuth application ID (GitLab, Gitea): sign-in with PKCE, no OAuth server.",
        ),
    );
    /// Every field of `cms:`.
    pub const FIELDS: &[Field] = &[BACKEND, REPO, BRANCH, API_ROOT, AUTH_URL, APP_ID];
}

/// `deploy:` in site.yaml.
pub mod deploy {
    use super::*;

    /// `targets`.
    pub const TARGETS: Field = opt(
        "targets",
        Ty::List { item: &Ty::Object(TARGET_FIELDS), single: false, min: 0 },
        about("Tujuan penerbitan; yang pertama adalah bawaan.", "Where to publish; the first is the default."),
    );
    /// `matchers`.
    pub const MATCHERS: Field = opt(
        "matchers",
        Ty::List { item: &Ty::Object(MATCHER_FIELDS), single: false, min: 0 },
        about(
            "Header per pola jalur; pencocok pertama yang cocok dipakai.",
            "Headers by path pattern; the first match wins.",
        ),
    );
    /// Every field of `deploy:`.
    pub const FIELDS: &[Field] = &[TARGETS, MATCHERS];

    /// A target's `name`.
    pub const NAME: Field = req("name", SLUG, about("Nama target, untuk --target.", "Target name, for --target."));
    /// A target's `url`.
    pub const URL: Field = req(
        "url",
        Ty::Format(Format::TargetUrl),
        about(
            "Tujuan: s3://bucket/awalan?region=…&endpoint=…, gs://…, az://… atau file:///folder. Kunci akses tidak pernah ditulis di sini.",
            "Where to publish: s3://bucket/prefix?region=…&endpoint=…, gs://…, az://… or file:///folder. Never credentials.",
        ),
    );
    /// A target's `max_deletes`.
    pub const MAX_DELETES: Field = opt(
        "max_deletes",
        Ty::Int { min: -1, max: Max::Fixed(i64::MAX) },
        about(
            "Paling banyak berkas yang boleh dihapus (bawaan 256; -1 tanpa batas).",
            "Most objects a deploy may delete (default 256; -1 for no limit).",
        ),
    );
    /// The fields of a target.
    pub const TARGET_FIELDS: &[Field] = &[NAME, URL, MAX_DELETES];

    /// A matcher's `pattern`.
    pub const PATTERN: Field = req(
        "pattern",
        Ty::Format(Format::Regex),
        about(
            "Ekspresi reguler atas jalur berkas di folder keluaran, mis. \"\\\\.html$\".",
            "Regular expression over the file's path in the output folder, e.g. \"\\\\.html$\".",
        ),
    );
    /// A matcher's `cache_control`.
    pub const CACHE_CONTROL: Field = opt(
        "cache_control",
        Ty::Format(Format::HeaderValue),
        about("Nilai header Cache-Control.", "Cache-Control header value."),
    );
    /// A matcher's `content_type`.
    pub const CONTENT_TYPE: Field = opt(
        "content_type",
        Ty::Format(Format::HeaderValue),
        about("Mengganti Content-Type bawaan.", "Overrides the default Content-Type."),
    );
    /// A matcher's `gzip`.
    pub const GZIP: Field = opt("gzip", Ty::Bool, about("Simpan terkompresi gzip.", "Store gzip-compressed."));
    /// The fields of a matcher.
    pub const MATCHER_FIELDS: &[Field] = &[PATTERN, CACHE_CONTROL, CONTENT_TYPE, GZIP];
}

const TAGS: Ty = Ty::List { item: &Ty::Format(Format::Tag), single: true, min: 0 };
const SLUGS: Ty = Ty::List { item: &SLUG, single: true, min: 0 };
const IMAGES: Ty = Ty::List { item: &Ty::Format(Format::ImagePath), single: true, min: 0 };
const CERTIFICATIONS: Ty = Ty::List { item: &Ty::Choice(Choice::Certification), single: true, min: 0 };
const DRAFT: About = about(
    "true = belum diterbitkan (hanya tampil dengan build --drafts).",
    "true = not published (shown only with build --drafts).",
);

/// profile.yaml.
pub mod profile {
    use super::*;

    /// Longest summary, in characters.
    pub const SUMMARY_MAX: usize = 160;

    /// `name`.
    pub const NAME: Field = req("name", LINE, about("Nama usaha atau lembaga.", "Name of the firm or institution."));
    /// `name_en`.
    pub const NAME_EN: Field = opt("name_en", LINE, about("Nama dalam bahasa Inggris.", "Name in English."));
    /// `kind`.
    pub const KIND: Field = opt(
        "kind",
        Ty::Choice(Choice::Kind),
        about(
            "Jenis: ikm (bawaan), industry, atau lembaga (bank, academia, association, government, retail).",
            "Kind: ikm (default), industry, or an institution (bank, academia, association, government, retail).",
        ),
    );
    /// `sector` (required for industries: [`Rule::IndustryFields`]).
    pub const SECTOR: Field = opt(
        "sector",
        Ty::Choice(Choice::Sector),
        about("Sektor IKM (wajib untuk ikm dan industry).", "IKM sector (required for ikm and industry)."),
    );
    /// `scale` (required for industries: [`Rule::IndustryFields`]).
    pub const SCALE: Field = opt(
        "scale",
        Ty::Choice(Choice::Scale),
        about("Skala usaha (wajib untuk ikm dan industry).", "Size of the firm (required for ikm and industry)."),
    );
    /// `district`.
    pub const DISTRICT: Field =
        req("district", Ty::Choice(Choice::District), about("Kecamatan.", "Kecamatan (district)."));
    /// `subdistrict`.
    pub const SUBDISTRICT: Field = opt(
        "subdistrict",
        Ty::Choice(Choice::Subdistrict),
        about("Kelurahan, di dalam kecamatan di atas.", "Kelurahan (subdistrict), within the district above."),
    );
    /// `summary`.
    pub const SUMMARY: Field = req(
        "summary",
        Ty::Text { max: Some(SUMMARY_MAX), line: true },
        about("Ringkasan satu kalimat, paling banyak 160 huruf.", "One-sentence summary, at most 160 characters."),
    );
    /// `summary_en`.
    pub const SUMMARY_EN: Field = opt(
        "summary_en",
        Ty::Text { max: Some(SUMMARY_MAX), line: true },
        about("Ringkasan dalam bahasa Inggris.", "Summary in English."),
    );
    /// `address`.
    pub const ADDRESS: Field = opt("address", TEXT, about("Alamat jalan.", "Street address."));
    /// `founded`.
    pub const FOUNDED: Field = opt(
        "founded",
        Ty::Int { min: 1900, max: Max::ThisYear },
        about("Tahun berdiri (1900 sampai tahun ini).", "Year founded (1900 to this year)."),
    );
    /// `employees`.
    pub const EMPLOYEES: Field = opt(
        "employees",
        Ty::Int { min: 0, max: Max::Fixed(10_000_000) },
        about("Jumlah pekerja.", "Number of employees."),
    );
    /// `contact`.
    pub const CONTACT: Field = opt(
        "contact",
        Ty::Object(contact::FIELDS),
        about("Kontak; setiap kolom pilihan.", "Contact; every field optional."),
    );
    /// `certifications`.
    pub const CERTIFICATIONS: Field =
        opt("certifications", super::CERTIFICATIONS, about("Sertifikasi dan izin.", "Certifications and permits."));
    /// `markets`.
    pub const MARKETS: Field = opt(
        "markets",
        Ty::List { item: &Ty::Choice(Choice::Market), single: true, min: 0 },
        about("Pasar yang dilayani.", "Markets served."),
    );
    /// `offers`.
    pub const OFFERS: Field = opt(
        "offers",
        TAGS,
        about(
            "Yang dapat disediakan: tag dari content/vocabulary.yaml.",
            "What the firm can supply: tags from content/vocabulary.yaml.",
        ),
    );
    /// `needs`.
    pub const NEEDS: Field = opt(
        "needs",
        TAGS,
        about("Yang dicari: tag dari content/vocabulary.yaml.", "What it looks for: vocabulary tags."),
    );
    /// `cooperation`.
    pub const COOPERATION: Field = opt(
        "cooperation",
        Ty::List { item: &Ty::Choice(Choice::Cooperation), single: true, min: 0 },
        about("Bentuk kerja sama yang diterima.", "Modes of cooperation welcomed."),
    );
    /// `partners`.
    pub const PARTNERS: Field = opt(
        "partners",
        SLUGS,
        about("Mitra yang sudah ada (slug folder usaha).", "Existing partners (firm folder slugs)."),
    );
    /// `exclude_partners`.
    pub const EXCLUDE_PARTNERS: Field = opt(
        "exclude_partners",
        SLUGS,
        about("Usaha yang tidak pernah disarankan (slug).", "Firms never to suggest (slugs)."),
    );
    /// `logo`.
    pub const LOGO: Field = opt(
        "logo",
        Ty::Format(Format::ImagePath),
        about(
            "Logo: berkas PNG, JPEG atau WebP di folder usaha.",
            "Logo: a PNG, JPEG or WebP file in the firm's folder.",
        ),
    );
    /// `photos`.
    pub const PHOTOS: Field =
        opt("photos", IMAGES, about("Foto, berkas di folder usaha.", "Photos, files in the firm's folder."));
    /// `updated`.
    pub const UPDATED: Field = opt(
        "updated",
        Ty::Format(Format::Date),
        about("Tanggal pembaruan (YYYY-MM-DD).", "Date last updated (YYYY-MM-DD)."),
    );
    /// `draft`.
    pub const DRAFT: Field = opt("draft", Ty::Bool, super::DRAFT);

    /// Every field, in the order of SPEC 3.
    pub const FIELDS: &[Field] = &[
        NAME,
        NAME_EN,
        KIND,
        SECTOR,
        SCALE,
        DISTRICT,
        SUBDISTRICT,
        SUMMARY,
        SUMMARY_EN,
        ADDRESS,
        FOUNDED,
        EMPLOYEES,
        CONTACT,
        CERTIFICATIONS,
        MARKETS,
        OFFERS,
        NEEDS,
        COOPERATION,
        PARTNERS,
        EXCLUDE_PARTNERS,
        LOGO,
        PHOTOS,
        UPDATED,
        DRAFT,
    ];
}

/// `contact:` in profile.yaml.
pub mod contact {
    use super::*;

    /// `phone`.
    pub const PHONE: Field = opt("phone", Ty::Format(Format::Phone), about("Nomor telepon.", "Phone number."));
    /// `whatsapp`.
    pub const WHATSAPP: Field = opt(
        "whatsapp",
        Ty::Format(Format::Whatsapp),
        about("Nomor WhatsApp: angka, boleh diawali +.", "WhatsApp number: digits, optionally with a leading +."),
    );
    /// `email`.
    pub const EMAIL: Field = opt("email", Ty::Format(Format::Email), about("Alamat surel.", "E-mail address."));
    /// `website`.
    pub const WEBSITE: Field = opt(
        "website",
        Ty::Format(Format::HttpUrl),
        about("Situs web (http:// atau https://).", "Website (http:// or https://)."),
    );
    /// `instagram`.
    pub const INSTAGRAM: Field = opt(
        "instagram",
        Ty::Format(Format::Instagram),
        about("Akun Instagram tanpa @.", "Instagram handle without @."),
    );
    /// Every field.
    pub const FIELDS: &[Field] = &[PHONE, WHATSAPP, EMAIL, WEBSITE, INSTAGRAM];
}

/// The front matter of products/<slug>.md.
pub mod product {
    use super::*;

    /// Highest price, in rupiah.
    pub const PRICE_MAX: i64 = 1_000_000_000_000;
    const RUPIAH: Ty = Ty::Int { min: 0, max: Max::Fixed(PRICE_MAX) };

    /// `name`.
    pub const NAME: Field = req("name", LINE, about("Nama produk.", "Product name."));
    /// `category`.
    pub const CATEGORY: Field = req(
        "category",
        SLUG,
        about("Kategori: slug huruf kecil, mis. makanan-ringan.", "Category: a lowercase slug, e.g. makanan-ringan."),
    );
    /// `price.min`.
    pub const PRICE_LOW: Field = req("min", RUPIAH, about("Harga terendah (rupiah).", "Lowest price (rupiah)."));
    /// `price.max`.
    pub const PRICE_HIGH: Field = req("max", RUPIAH, about("Harga tertinggi (rupiah).", "Highest price (rupiah)."));
    /// The fields of `price: {min, max}`.
    pub const PRICE_RANGE: &[Field] = &[PRICE_LOW, PRICE_HIGH];
    /// `price`: one number, or a range.
    pub const PRICE: Field = opt(
        "price",
        Ty::Either(&[RUPIAH, Ty::Object(PRICE_RANGE)]),
        about(
            "Harga dalam rupiah: satu angka, atau {min: 10000, max: 25000}.",
            "Price in rupiah: one number, or {min: 10000, max: 25000}.",
        ),
    );
    /// `unit`.
    pub const UNIT: Field = opt("unit", LINE, about("Satuan harga, mis. kg.", "What the price is for, e.g. kg."));
    /// `moq`.
    pub const MOQ: Field = opt(
        "moq",
        Ty::Int { min: 1, max: Max::Fixed(1_000_000_000) },
        about("Pesanan minimum.", "Minimum order quantity."),
    );
    /// `capacity`.
    pub const CAPACITY: Field =
        opt("capacity", TEXT, about("Kapasitas produksi, teks bebas.", "Production capacity, free text."));
    /// `materials`.
    pub const MATERIALS: Field =
        opt("materials", TAGS, about("Bahan baku: tag dari content/vocabulary.yaml.", "Inputs: vocabulary tags."));
    /// `tags`.
    pub const TAGS_FIELD: Field = opt("tags", TAGS, about("Tag bebas untuk pencarian.", "Free tags for search."));
    /// `certifications`.
    pub const CERTIFICATIONS: Field =
        opt("certifications", super::CERTIFICATIONS, about("Sertifikasi produk.", "Product certifications."));
    /// `images`.
    pub const IMAGES: Field = opt(
        "images",
        super::IMAGES,
        about("Foto produk, berkas di folder usaha.", "Product photos, files in the firm's folder."),
    );
    /// `draft`.
    pub const DRAFT: Field = opt("draft", Ty::Bool, super::DRAFT);
    /// Every field.
    pub const FIELDS: &[Field] =
        &[NAME, CATEGORY, PRICE, UNIT, MOQ, CAPACITY, MATERIALS, TAGS_FIELD, CERTIFICATIONS, IMAGES, DRAFT];
}

/// The front matter of content/pages/<slug>.md.
pub mod page {
    use super::*;

    /// `title`.
    pub const TITLE: Field = req("title", LINE, about("Judul halaman.", "Page title."));
    /// `description`.
    pub const DESCRIPTION: Field = opt(
        "description",
        TEXT,
        about("Deskripsi singkat (meta description).", "Short description (meta description)."),
    );
    /// `weight`.
    pub const WEIGHT: Field = opt(
        "weight",
        Ty::Int { min: -1_000_000, max: Max::Fixed(1_000_000) },
        about("Urutan di menu: kecil lebih dulu (bawaan 0).", "Order in the menu: lower first (default 0)."),
    );
    /// `draft`.
    pub const DRAFT: Field = opt("draft", Ty::Bool, super::DRAFT);
    /// Every field.
    pub const FIELDS: &[Field] = &[TITLE, DESCRIPTION, WEIGHT, DRAFT];
    /// The fields a translation (`<slug>.en.md`) may set.
    pub const TRANSLATED: &[Field] = &[TITLE, DESCRIPTION];
}

/// The front matter of content/_index.md (the home page text).
pub mod home {
    use super::*;

    /// `title`.
    pub const TITLE: Field = opt("title", LINE, about("Judul halaman depan.", "Title of the home page."));
    /// `description`.
    pub const DESCRIPTION: Field =
        opt("description", TEXT, about("Deskripsi halaman depan.", "Description of the home page."));
    /// Every field.
    pub const FIELDS: &[Field] = &[TITLE, DESCRIPTION];
}

/// Fields whose items are tags of content/vocabulary.yaml (the editing UI
/// offers the vocabulary's labels; the validator warns about other tags).
pub const VOCABULARY_TAGS: &[&Field] = &[&profile::OFFERS, &profile::NEEDS, &product::MATERIALS];

/// Fields whose values are slugs of firms under content/firms/ (the
/// editing UI offers the firms; the validator checks they exist).
pub const FIRM_SLUGS: &[&Field] = &[&profile::PARTNERS, &profile::EXCLUDE_PARTNERS, &event::ORGANIZER];

/// One tag of content/vocabulary.yaml.
pub mod tag {
    use super::*;

    /// `label`.
    pub const LABEL: Field = req("label", LINE, about("Label tag.", "The tag's label."));
    /// `label_en`.
    pub const LABEL_EN: Field = opt("label_en", LINE, about("Label dalam bahasa Inggris.", "Label in English."));
    /// `children`.
    pub const CHILDREN: Field = opt(
        "children",
        SLUGS,
        about(
            "Tag turunan: kebutuhan akan tag ini dipenuhi oleh tawaran turunannya.",
            "Child tags: a need for this tag is met by offers of its children.",
        ),
    );
    /// `synonyms`.
    pub const SYNONYMS: Field =
        opt("synonyms", TAGS, about("Kata lain yang dilipat ke tag ini.", "Other words folded into this tag."));
    /// Every field.
    pub const FIELDS: &[Field] = &[LABEL, LABEL_EN, CHILDREN, SYNONYMS];
}

/// content/events/<slug>.yaml.
pub mod event {
    use super::*;

    /// Shortest and longest meeting, in minutes.
    pub const MEETING_RANGE: (i64, i64) = (10, 120);
    /// Longest pause after a meeting, in minutes.
    pub const BREAK_RANGE: (i64, i64) = (0, 120);
    /// Most tables an event can have.
    pub const MAX_TABLES: i64 = 10_000;
    const PAIRS: Ty = Ty::List { item: &Ty::Pair(&SLUG), single: false, min: 0 };

    /// `name`.
    pub const NAME: Field = req("name", LINE, about("Nama acara.", "Name of the event."));
    /// `name_en`.
    pub const NAME_EN: Field = opt("name_en", LINE, about("Nama dalam bahasa Inggris.", "Name in English."));
    /// `date`.
    pub const DATE: Field = req("date", Ty::Format(Format::Date), about("Tanggal, YYYY-MM-DD.", "Date, YYYY-MM-DD."));
    /// `venue`.
    pub const VENUE: Field = req("venue", LINE, about("Tempat.", "Venue."));
    /// `district`.
    pub const DISTRICT: Field =
        opt("district", Ty::Choice(Choice::District), about("Kecamatan tempat acara.", "District of the venue."));
    /// `organizer`.
    pub const ORGANIZER: Field = opt(
        "organizer",
        SLUG,
        about("Penyelenggara: slug usaha atau lembaga.", "Organiser: a firm or institution slug."),
    );
    /// A session's `start`.
    pub const START: Field = req("start", Ty::Format(Format::Time), about("Mulai, \"HH:MM\".", "Start, \"HH:MM\"."));
    /// A session's `end`.
    pub const END: Field = req("end", Ty::Format(Format::Time), about("Selesai, \"HH:MM\".", "End, \"HH:MM\"."));
    /// The fields of a session.
    pub const SESSION_FIELDS: &[Field] = &[START, END];
    /// `sessions`.
    pub const SESSIONS: Field = req(
        "sessions",
        Ty::List { item: &Ty::Object(SESSION_FIELDS), single: false, min: 1 },
        about("Sesi, berurutan dan tidak tumpang tindih.", "Sessions, in time order, not overlapping."),
    );
    /// `meeting_minutes`.
    pub const MEETING_MINUTES: Field = req(
        "meeting_minutes",
        Ty::Int { min: MEETING_RANGE.0, max: Max::Fixed(MEETING_RANGE.1) },
        about("Lama satu pertemuan, menit (10 sampai 120).", "Length of one meeting, in minutes (10 to 120)."),
    );
    /// `break_minutes`.
    pub const BREAK_MINUTES: Field = opt(
        "break_minutes",
        Ty::Int { min: BREAK_RANGE.0, max: Max::Fixed(BREAK_RANGE.1) },
        about("Jeda setelah setiap pertemuan, menit (bawaan 0).", "Pause after each meeting, in minutes (default 0)."),
    );
    /// `tables`.
    pub const TABLES: Field =
        req("tables", Ty::Int { min: 1, max: Max::Fixed(MAX_TABLES) }, about("Jumlah meja.", "Number of tables."));
    /// A participants filter's `sector`.
    pub const FILTER_SECTOR: Field = opt(
        "sector",
        Ty::List { item: &Ty::Choice(Choice::Sector), single: true, min: 0 },
        about("Sektor.", "Sectors."),
    );
    /// A participants filter's `district`.
    pub const FILTER_DISTRICT: Field = opt(
        "district",
        Ty::List { item: &Ty::Choice(Choice::District), single: true, min: 0 },
        about("Kecamatan.", "Districts."),
    );
    /// A participants filter's `kind`.
    pub const FILTER_KIND: Field =
        opt("kind", Ty::List { item: &Ty::Choice(Choice::Kind), single: true, min: 0 }, about("Jenis.", "Kinds."));
    /// A participants filter's `scale`.
    pub const FILTER_SCALE: Field =
        opt("scale", Ty::List { item: &Ty::Choice(Choice::Scale), single: true, min: 0 }, about("Skala.", "Scales."));
    /// The fields of a participants filter.
    pub const FILTER_FIELDS: &[Field] = &[FILTER_SECTOR, FILTER_DISTRICT, FILTER_KIND, FILTER_SCALE];
    /// `participants`.
    pub const PARTICIPANTS: Field = opt(
        "participants",
        Ty::Either(&[Ty::Word("all"), Ty::List { item: &SLUG, single: false, min: 0 }, Ty::Object(FILTER_FIELDS)]),
        about(
            "Peserta: all, daftar slug, atau saringan {sector, district, kind, scale}.",
            "Participants: all, a list of slugs, or a filter {sector, district, kind, scale}.",
        ),
    );
    /// `max_meetings_per_firm`.
    pub const MAX_MEETINGS: Field = opt(
        "max_meetings_per_firm",
        Ty::Int { min: 1, max: Max::Fixed(10_000) },
        about("Paling banyak pertemuan per usaha.", "Most meetings per firm."),
    );
    /// `requests`.
    pub const REQUESTS: Field =
        opt("requests", PAIRS, about("Pasangan yang harus bertemu, [[a, b]].", "Pairs that must meet, [[a, b]]."));
    /// `avoid`.
    pub const AVOID: Field =
        opt("avoid", PAIRS, about("Pasangan yang tidak dijadwalkan, [[a, b]].", "Pairs never to schedule, [[a, b]]."));
    /// `draft`.
    pub const DRAFT: Field = opt("draft", Ty::Bool, super::DRAFT);
    /// Every field.
    pub const FIELDS: &[Field] = &[
        NAME,
        NAME_EN,
        DATE,
        VENUE,
        DISTRICT,
        ORGANIZER,
        SESSIONS,
        MEETING_MINUTES,
        BREAK_MINUTES,
        TABLES,
        PARTICIPANTS,
        MAX_MEETINGS,
        REQUESTS,
        AVOID,
        DRAFT,
    ];
}

// ---------------------------------------------------------------------------
// The file types

/// site.yaml.
pub const SITE: FileType = FileType {
    name: "site",
    files: "site.yaml",
    about: about("Pengaturan situs katalog.", "The catalogue site's settings."),
    root: Root::Fields { fields: site::FIELDS, empty_ok: false },
    rules: &[],
    unexpressed: &[
        about("Folder tema harus ada di themes/.", "The theme folder must exist under themes/."),
        about(
            "Rincian URL target deploy (nama bucket, parameter region dan endpoint, http hanya untuk 127.0.0.1) dan nama target yang tidak boleh kembar.",
            "The details of a deploy target URL (bucket name, region and endpoint parameters, plain http only for 127.0.0.1) and target names that must not repeat.",
        ),
        about(
            "Pola pencocok deploy harus ekspresi reguler yang sah.",
            "A deploy matcher's pattern must be a valid regular expression.",
        ),
    ],
};

/// profile.yaml.
pub const PROFILE: FileType = FileType {
    name: "profile",
    files: "content/firms/*/profile.yaml",
    about: about("Profil satu usaha atau lembaga.", "The profile of one firm or institution."),
    root: Root::Fields { fields: profile::FIELDS, empty_ok: false },
    rules: &[Rule::IndustryFields, Rule::IkmNotBesar, Rule::SubdistrictInDistrict],
    unexpressed: &[
        about("`founded` tidak boleh melewati tahun ini.", "`founded` cannot be later than this year."),
        about(
            "Slug di `partners` dan `exclude_partners` harus ada di content/firms/ dan bukan usaha itu sendiri.",
            "Slugs in `partners` and `exclude_partners` must exist under content/firms/ and not be the firm itself.",
        ),
        about(
            "Berkas `logo` dan `photos` harus ada di folder usaha dan berupa gambar PNG, JPEG atau WebP.",
            "`logo` and `photos` files must exist in the firm's folder and be PNG, JPEG or WebP images.",
        ),
        about(
            "Tag `offers` dan `needs` yang tidak ada di kosakata hanya peringatan (galat dengan --strict).",
            "`offers` and `needs` tags missing from the vocabulary are warnings only (errors with --strict).",
        ),
    ],
};

/// products/<slug>.md front matter.
pub const PRODUCT: FileType = FileType {
    name: "product",
    files: "content/firms/*/products/*.md (front matter)",
    about: about("Kepala (front matter) berkas produk.", "The front matter of a product file."),
    root: Root::Fields { fields: product::FIELDS, empty_ok: false },
    rules: &[],
    unexpressed: &[
        about("`price.max` tidak boleh lebih kecil dari `price.min`.", "`price.max` cannot be lower than `price.min`."),
        about(
            "Berkas `images` harus ada di folder usaha dan berupa gambar PNG, JPEG atau WebP.",
            "`images` files must exist in the firm's folder and be PNG, JPEG or WebP images.",
        ),
        about(
            "Terjemahan (<slug>.en.md) hanya boleh mengisi `name`.",
            "A translation (<slug>.en.md) may set only `name`.",
        ),
    ],
};

/// content/vocabulary.yaml.
pub const VOCABULARY: FileType = FileType {
    name: "vocabulary",
    files: "content/vocabulary.yaml",
    about: about(
        "Kosakata terkendali untuk offers, needs dan materials.",
        "The controlled vocabulary of offers, needs and materials.",
    ),
    root: Root::SlugMap(tag::FIELDS),
    rules: &[],
    unexpressed: &[
        about(
            "Tag tidak boleh menjadi turunannya sendiri, dan hierarki tidak boleh berputar.",
            "A tag cannot be its own child, and the hierarchy must not loop.",
        ),
        about(
            "Sinonim hanya milik satu tag dan tidak boleh sama dengan tag lain.",
            "A synonym belongs to one tag only and cannot also be a tag.",
        ),
    ],
};

/// content/events/<slug>.yaml.
pub const EVENT: FileType = FileType {
    name: "event",
    files: "content/events/*.yaml",
    about: about("Satu temu usaha (business meeting).", "One business meeting event."),
    root: Root::Fields { fields: event::FIELDS, empty_ok: false },
    rules: &[],
    unexpressed: &[
        about(
            "Setiap sesi selesai setelah mulai, sesi berurutan dan tidak tumpang tindih, dan satu pertemuan muat di setiap sesi.",
            "Each session ends after it starts, sessions go in time order without overlapping, and a meeting fits in each session.",
        ),
        about(
            "`max_meetings_per_firm` tidak melebihi jumlah slot.",
            "`max_meetings_per_firm` is not more than the number of slots.",
        ),
        about(
            "Slug `organizer`, `participants`, `requests` dan `avoid` harus ada; pasangan bukan usaha yang sama dua kali, dan tidak sekaligus diminta dan dihindari.",
            "Slugs in `organizer`, `participants`, `requests` and `avoid` must exist; a pair is not one firm twice, nor both requested and avoided.",
        ),
    ],
};

/// Every file type that has a schema.
pub const FILE_TYPES: &[FileType] = &[SITE, PROFILE, PRODUCT, VOCABULARY, EVENT];

// ---------------------------------------------------------------------------
// Reading fields through their definitions

fn range(f: &Field, this_year: i32) -> std::ops::RangeInclusive<i64> {
    match f.ty {
        Ty::Int { min, max: Max::Fixed(max) } => min..=max,
        Ty::Int { min, max: Max::ThisYear } => min..=i64::from(this_year),
        _ => i64::MIN..=i64::MAX,
    }
}

fn choice_of(f: &Field) -> Option<Choice> {
    match f.ty {
        Ty::Choice(c) => Some(c),
        Ty::List { item: Ty::Choice(c), .. } => Some(*c),
        _ => None,
    }
}

impl Doc<'_> {
    /// Reports every key of `obj` that is not one of `fields`.
    pub fn check_fields(&mut self, obj: Obj<'_>, fields: &[Field]) {
        self.check_keys(obj, &keys(fields));
    }

    /// A text field; its length and format checked as defined (a format
    /// mismatch is reported as "`key` must be …", a value that is too long
    /// as such). The text is returned even when too long, so that the
    /// caller can go on; the error is in the diagnostics.
    pub fn text_field(&mut self, obj: Obj<'_>, f: &Field) -> Option<String> {
        self.text_field_as(obj, f, f.need)
    }

    /// [`Doc::text_field`] with a `need` decided by the caller.
    pub fn text_field_as(&mut self, obj: Obj<'_>, f: &Field, need: Need) -> Option<String> {
        let s = self.string(obj, f.key, need)?;
        match f.ty {
            Ty::Text { max, line } => {
                // Counted as composed characters: `é` is one whether the
                // editor saved it as one code point or as `e` and an accent
                // (macOS saves names decomposed), as a reader sees it.
                let n = unicode_normalization::UnicodeNormalization::nfc(s.as_str()).count();
                if let Some(max) = max
                    && n > max
                {
                    self.error(
                        &Doc::field_path(obj, f.key),
                        format!("`{}` is {n} characters long; at most {max} are allowed", f.key),
                    );
                }
                if line && let Some(why) = line_break(&s) {
                    self.error(&Doc::field_path(obj, f.key), format!("`{}` must be one line: {why}", f.key));
                }
                Some(s)
            }
            Ty::Format(format) if !format.accepts(&s) => {
                let why = match format {
                    Format::Date => crate::model::Date::no_such_day(&s).map(|w| format!(": {w}")),
                    _ => None,
                };
                let msg = format!("`{}` must be {}, found `{s}`{}", f.key, format.what(), why.unwrap_or_default());
                self.error(&Doc::field_path(obj, f.key), msg);
                None
            }
            _ => Some(s),
        }
    }

    /// A text field in a format: `Ok` when it passes, `Err` with the
    /// text when it does not (the caller words the message), `None` when
    /// missing.
    pub fn formatted(&mut self, obj: Obj<'_>, f: &Field) -> Option<Result<String, String>> {
        let s = self.string(obj, f.key, f.need)?;
        Some(match f.ty {
            Ty::Format(format) if !format.accepts(&s) => Err(s),
            // One spelling of the scheme (`HTTPS://` is `https://`).
            Ty::Format(Format::HttpUrl) => Ok(crate::config::http_url(&s).unwrap_or(s)),
            _ => Ok(s),
        })
    }

    /// A whole-number field within its defined range.
    pub fn int_field(&mut self, obj: Obj<'_>, f: &Field, this_year: i32) -> Option<i64> {
        self.int(obj, f.key, f.need, range(f, this_year))
    }

    /// A `true`/`false` field.
    pub fn bool_field(&mut self, obj: Obj<'_>, f: &Field) -> bool {
        self.bool(obj, f.key)
    }

    /// A field holding one value of its closed set.
    pub fn choice_field<T>(
        &mut self,
        obj: Obj<'_>,
        f: &Field,
        need: Need,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Option<T> {
        let shown = choice_of(f).map(Choice::shown).unwrap_or_default();
        self.choice(obj, f.key, need, parse, &shown)
    }

    /// A list of values of the field's closed set.
    pub fn choice_list_field<T: PartialEq>(
        &mut self,
        obj: Obj<'_>,
        f: &Field,
        parse: impl Fn(&str) -> Option<T>,
        what: &str,
    ) -> Vec<T> {
        let shown = choice_of(f).map(Choice::shown).unwrap_or_default();
        self.choice_list(obj, f.key, parse, &shown, what)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::test_runner::{Config, TestCaseError, TestRunner};

    fn regex(f: Format) -> regex::Regex {
        regex::Regex::new(&f.pattern()).unwrap_or_else(|e| panic!("{f:?}: {e}"))
    }

    /// Texts near each format's edge: its alphabet, its separators, and
    /// characters that must never pass.
    fn near(f: Format) -> &'static str {
        match f {
            Format::Slug => "[a-z0-9A-Z_ -]{0,12}",
            Format::Tag => "[a-z ;\n\r\u{2028}\u{2029}é]{0,8}",
            Format::Date => "[0-9]{4}-[01][0-9]-[0-3][0-9]|[0-9]{2}[0-9-]{6,9}",
            Format::Time => "[0-2][0-9]:[0-6][0-9]|[0-9:]{3,6}",
            Format::Email => "[a-z0-9._%+-]{0,3}@[a-z.-]{0,5}|[a-zA-Z0-9@._%+ \"-]{0,14}",
            Format::HttpUrl => {
                "(https?://|http:|ftp://|)[a-z0-9/?#.:<> \"\\t\u{85}\u{a0}\u{2028}\u{feff}\u{7f}\u{9c}-]{0,12}"
            }
            Format::Phone => "[0-9 +().a-]{0,24}",
            Format::Whatsapp => "\\+?[0-9 -]{6,18}|[0-9 +-]{0,20}",
            Format::Instagram => "[a-zA-Z0-9._@ -]{0,32}",
            Format::ImagePath => "[a./\\\\:-]{0,10}",
            Format::TargetUrl => "(s3|gs|az|file|http)(://)?[a-z/]{0,5}",
            Format::Regex => ".{0,6}",
            Format::HeaderValue => "[ -~\\t\u{80}-\u{a0}é\n\r\u{7f}]{0,8}",
            Format::Repo => "[a-zA-Z0-9._/ @-]{0,12}",
            Format::Branch => "[a-zA-Z0-9._/ ~-]{0,10}",
        }
    }

    /// Each format's pattern accepts exactly what the validator accepts
    /// (the formats not marked exact accept more, never less).
    #[test]
    fn patterns_agree_with_the_validator() {
        for &f in Format::ALL {
            let re = regex(f);
            let mut runner = TestRunner::new(Config { cases: 3000, failure_persistence: None, ..Config::default() });
            let (yes, no) = (std::cell::Cell::new(0), std::cell::Cell::new(0));
            runner
                .run(&near(f), |s| {
                    let (by_pattern, by_gotong) = (re.is_match(&s), f.accepts(&s));
                    let count = if by_gotong { &yes } else { &no };
                    count.set(count.get() + 1);
                    let agree = if f.exact() { by_pattern == by_gotong } else { by_pattern || !by_gotong };
                    if agree {
                        Ok(())
                    } else {
                        Err(TestCaseError::fail(format!("pattern {by_pattern}, gotong {by_gotong}")))
                    }
                })
                .unwrap_or_else(|e| panic!("{f:?}: {e}"));
            // The texts tried must include both kinds, or the test proves little.
            assert!(yes.get() > 0 || f == Format::TargetUrl, "{f:?}: no accepted text tried");
            assert!(no.get() > 0 || f == Format::Regex, "{f:?}: no refused text tried");
        }
    }

    #[test]
    fn formats_on_chosen_cases() {
        let cases: &[(Format, &str, bool)] = &[
            (Format::Date, "2024-02-29", true),
            (Format::Date, "2023-02-29", false),
            (Format::Date, "1900-02-29", false),
            (Format::Date, "2000-02-29", true),
            (Format::Date, "0000-02-29", true),
            (Format::Date, "2024-04-31", false),
            (Format::Date, "2024-12-31", true),
            (Format::Date, "2024-13-01", false),
            (Format::Time, "23:59", true),
            (Format::Time, "24:00", false),
            (Format::Time, "9:00", false),
            (Format::Email, "a.b@c.d", true),
            (Format::Email, "a@b..c", false),
            (Format::Email, "a@.b", false),
            (Format::Email, "a@b.", false),
            (Format::HttpUrl, "https://x", true),
            (Format::HttpUrl, "https:///x", false),
            (Format::HttpUrl, "http://a b", false),
            (Format::HttpUrl, "http://a\u{feff}b", true),
            (Format::Phone, "+62 (22) 661-2345", true),
            (Format::Phone, "12345", false),
            (Format::Whatsapp, "+62 812-3456-7890", true),
            (Format::Whatsapp, "62+8123456789", false),
            (Format::Whatsapp, " -+8123456", false),
            (Format::Whatsapp, " -+81234567", true),
            (Format::Instagram, "rasa.cireundeu_1", true),
            (Format::Instagram, "@rasa", false),
            (Format::ImagePath, "./././a/b.png", true),
            (Format::ImagePath, "a/../b.png", false),
            (Format::ImagePath, "a/./b.png", false),
            (Format::ImagePath, "...png", true),
            (Format::ImagePath, "..a", true),
            (Format::ImagePath, "./", false),
            (Format::ImagePath, "/a.png", false),
            (Format::ImagePath, "c:a.png", false),
            (Format::ImagePath, "foto toko.png", false),
            (Format::ImagePath, "foto#1.png", false),
            (Format::ImagePath, "foto%41.png", false),
            (Format::ImagePath, "a,b.png", false),
            (Format::ImagePath, "a?.png", false),
            (Format::ImagePath, "a\u{a0}b.png", false),
            (Format::ImagePath, "produk/kripik-1_b.é.png", true),
            (Format::HeaderValue, "public, max-age=300", true),
            (Format::HeaderValue, "é", false),
            (Format::Slug, "a-1", true),
            (Format::Slug, "a--1", false),
        ];
        for &(f, s, ok) in cases {
            assert_eq!(f.accepts(s), ok, "{f:?} accepts {s:?}");
            if f.exact() {
                assert_eq!(regex(f).is_match(s), ok, "{f:?} pattern on {s:?}");
            }
        }
    }

    /// A number written without quotes is read as its text: the ranges
    /// each format gives the schema hold exactly the numbers whose text it
    /// accepts.
    #[test]
    fn number_forms_agree_with_the_validator() {
        let mut edges: Vec<i128> = vec![0, i64::MIN as i128, i64::MAX as i128, u64::MAX as i128];
        for &f in Format::ALL {
            for &(a, b) in f.numbers() {
                edges.extend([a - 1, a, a + 1, b - 1, b, b + 1]);
            }
        }
        for d in 1..20 {
            let p = 10i128.pow(d);
            edges.extend([p - 1, p, -p, 1 - p]);
        }
        edges.retain(|n| (i64::MIN as i128..=u64::MAX as i128).contains(n));
        for &f in Format::ALL {
            for &n in &edges {
                let by_ranges = f.numbers().iter().any(|(a, b)| (*a..=*b).contains(&n));
                assert_eq!(by_ranges, f.accepts(&n.to_string()), "{f:?} on the number {n}");
            }
        }
    }

    #[test]
    fn every_file_type_is_consistent() {
        fn walk(name: &str, fields: &[Field]) {
            let mut seen = std::collections::BTreeSet::new();
            for f in fields {
                assert!(seen.insert(f.key), "{name}: `{}` twice", f.key);
                assert!(!f.about.id.is_empty() && !f.about.en.is_empty(), "{name}: `{}`", f.key);
                let mut tys = vec![f.ty];
                while let Some(t) = tys.pop() {
                    match t {
                        Ty::Object(inner) => walk(f.key, inner),
                        Ty::List { item, .. } | Ty::Pair(item) => tys.push(*item),
                        Ty::Either(all) => tys.extend(all.iter().copied()),
                        _ => {}
                    }
                }
            }
        }
        for t in FILE_TYPES {
            walk(t.name, t.fields());
        }
        assert_eq!(Choice::District.accepted().len(), 6);
    }
}
