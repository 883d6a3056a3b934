//! What registers really contain, turned into what profiles need: phone
//! numbers, place names spelled loosely, names in capitals, yes/no cells,
//! years, counts, rupiah amounts, lists in one cell, slugs.
//!
//! Every function here is pure: it takes a cell's text and says what it
//! read (and whether that was a guess); the caller reports.

use crate::model::{Certification, District, Market, Scale, Sector};

/// Lowercase ASCII letters and digits only: how headers and place names
/// are compared ("No. HP" and "no hp" are both `nohp`). Accented letters
/// lose their accent; everything else is dropped.
pub fn squash(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let c = fold_accent(c);
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// The unaccented ASCII letter of a Latin letter with a diacritic (`é` →
/// `e`); other characters are returned as they are.
pub fn fold_accent(c: char) -> char {
    match c {
        'à'..='å' => 'a',
        'À'..='Å' => 'A',
        'è'..='ë' => 'e',
        'È'..='Ë' => 'E',
        'ì'..='ï' => 'i',
        'Ì'..='Ï' => 'I',
        'ò'..='ö' | 'ø' => 'o',
        'Ò'..='Ö' | 'Ø' => 'O',
        'ù'..='ü' => 'u',
        'Ù'..='Ü' => 'U',
        'ñ' => 'n',
        'Ñ' => 'N',
        'ç' => 'c',
        'Ç' => 'C',
        'ý' | 'ÿ' => 'y',
        'Ý' => 'Y',
        _ => c,
    }
}

/// Words (of a name or address) that are acronyms: kept in capitals when a
/// name written in capitals is turned into title case.
pub const ACRONYMS: &[&str] = &[
    "CV", "PT", "UD", "PD", "UMKM", "IKM", "UKM", "KUB", "KSU", "KSP", "KUD", "BUMDES", "BUMN", "BUMD", "BPR", "TBK",
    "RT", "RW", "KM", "PKK", "KWT", "IT", "TV", "SMK", "SMA", "SD", "II", "III", "IV", "VI", "VII", "VIII", "IX", "XI",
    "XII",
];

/// Title case for a text written all in capitals ("CV RASA CIREUNDEU" →
/// "CV Rasa Cireundeu"), keeping [`ACRONYMS`] and words without a vowel
/// (PKK, KWT) in capitals. A text that has any lowercase letter is
/// returned as it is: its writer chose its case.
pub fn title_case(s: &str) -> String {
    if s.chars().any(char::is_lowercase) || s.chars().filter(|c| c.is_alphabetic()).count() < 2 {
        return s.to_string();
    }
    s.split(' ').map(title_word).collect::<Vec<_>>().join(" ")
}

fn title_word(w: &str) -> String {
    // "01/RW", "SINAR-JAYA": each part on its own.
    if let Some(i) = w.find(['/', '-']).filter(|i| *i > 0 && *i + 1 < w.len()) {
        let sep = &w[i..i + 1];
        return format!("{}{sep}{}", title_word(&w[..i]), title_word(&w[i + 1..]));
    }
    let letters: String = w.chars().filter(|c| c.is_alphanumeric()).collect();
    if letters.is_empty() {
        return w.to_string();
    }
    let upper = letters.to_uppercase();
    let has_vowel = upper.chars().any(|c| "AEIOUY".contains(fold_accent(c)));
    // A word without a vowel is an acronym (PKK, KWT), unless a dot makes
    // it an abbreviation (Jl., Gg., Kp.).
    let abbreviation = w.ends_with('.');
    if ACRONYMS.contains(&upper.as_str()) || (!has_vowel && !abbreviation && letters.chars().all(char::is_alphabetic)) {
        return w.to_string();
    }
    // Capitalise the first letter of the word and of each part after a
    // hyphen, an opening bracket or a slash; an apostrophe after a single
    // letter too (D'Java), not inside a word (Jum'at).
    let mut out = String::with_capacity(w.len());
    let mut start = true;
    let mut run = 0usize;
    for c in w.chars() {
        if c.is_alphanumeric() {
            if start {
                out.extend(c.to_uppercase());
            } else {
                out.extend(c.to_lowercase());
            }
            start = false;
            run += 1;
        } else {
            out.push(c);
            start = matches!(c, '-' | '(' | '/' | '"') || (c == '\'' && run == 1);
            run = 0;
        }
    }
    out
}

/// Legal forms and words left out of a firm's slug and of the key that
/// finds duplicates ("CV Rasa Cireundeu" and "Rasa Cireundeu, CV" are one
/// firm, `rasa-cireundeu`).
const LEGAL_FORMS: &[&str] =
    &["cv", "pt", "ud", "pd", "tbk", "kub", "ksu", "ksp", "kud", "koperasi", "firma", "persero", "perseroan"];

fn words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
        let c = fold_accent(c);
        if c.is_ascii_alphanumeric() {
            cur.push(c.to_ascii_lowercase());
        } else if c == '\'' || c == '’' {
            // "D'Java" is one word
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The slug of a firm's name: lowercase ASCII words joined by hyphens,
/// legal forms (CV, PT, UD…) left out unless nothing else remains, at most
/// 60 characters (cut between words).
pub fn slugify(name: &str) -> String {
    let all = words(name);
    let kept: Vec<&String> = all.iter().filter(|w| !LEGAL_FORMS.contains(&w.as_str())).collect();
    let chosen: Vec<&String> = if kept.is_empty() { all.iter().collect() } else { kept };
    let mut out = String::new();
    for w in chosen {
        if !out.is_empty() && out.len() + 1 + w.len() > 60 {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&w[..w.len().min(60)]);
    }
    out
}

/// The slug of any text (a product name, a category): like [`slugify`]
/// but keeping every word.
pub fn slug_words(s: &str) -> String {
    let mut out = String::new();
    for w in words(s) {
        if !out.is_empty() && out.len() + 1 + w.len() > 60 {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&w[..w.len().min(60)]);
    }
    out
}

/// The key that says two rows are the same firm: the name without legal
/// forms, squashed.
pub fn name_key(name: &str) -> String {
    let all = words(name);
    let key: String = all.iter().filter(|w| !LEGAL_FORMS.contains(&w.as_str())).map(String::as_str).collect();
    if key.is_empty() { all.concat() } else { key }
}

/// The key of an address: squashed, with `jalan` written `jl`.
pub fn address_key(address: &str) -> String {
    words(address).into_iter().map(|w| if w == "jalan" || w == "jln" { "jl".to_string() } else { w }).collect()
}

/// What a phone cell held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone {
    /// `+62…`, digits only after the `+`.
    pub number: String,
    /// A mobile number (`+628…`): it goes to `whatsapp`.
    pub mobile: bool,
    /// Set when the number was completed by a guess.
    pub guess: Option<String>,
}

/// Reads one phone number to `+62…`: from `08…`, `62…`, `+62…`, `8…` (a
/// number cell that lost its leading zero), `(022) 661-2345`, with spaces,
/// dots and dashes. A 7- or 8-digit number is a Cimahi landline (area code
/// 022, marked as a guess). `Err` says why it is not a phone number.
pub fn phone(raw: &str) -> Result<Phone, String> {
    let t = raw.trim();
    let t = t.strip_prefix("tel:").unwrap_or(t);
    let plus = t.starts_with('+');
    if let Some(bad) = t.chars().find(|c| !(c.is_ascii_digit() || " +-().".contains(*c))) {
        return Err(format!("`{raw}` is not a phone number (it has `{bad}`)"));
    }
    if t.chars().skip(1).any(|c| c == '+') {
        return Err(format!("`{raw}` is not a phone number"));
    }
    let digits: String = t.chars().filter(char::is_ascii_digit).collect();
    let mut guess = None;
    let national = if plus {
        match digits.strip_prefix("62") {
            Some(rest) => rest.trim_start_matches('0').to_string(),
            None => return Err(format!("`{raw}` is not an Indonesian number (+62)")),
        }
    } else if let Some(rest) = digits.strip_prefix("62").filter(|r| r.len() >= 8) {
        rest.trim_start_matches('0').to_string()
    } else if let Some(rest) = digits.strip_prefix('0') {
        rest.to_string()
    } else if digits.starts_with('8') && (9..=12).contains(&digits.len()) {
        guess = Some(format!("`{raw}` read as a mobile number without its leading 0"));
        digits.clone()
    } else if (7..=8).contains(&digits.len()) {
        guess = Some(format!("`{raw}` has no area code; 022 (Cimahi) assumed"));
        format!("22{digits}")
    } else {
        return Err(format!("`{raw}` is not a phone number"));
    };
    // +62 and 8 to 12 digits: mobile numbers have 9 to 12, landlines 8 to 10.
    if !(8..=12).contains(&national.len()) {
        return Err(format!(
            "`{raw}` has {} digits after the country code; an Indonesian number has 8 to 12",
            national.len()
        ));
    }
    Ok(Phone { mobile: national.starts_with('8'), number: format!("+62{national}"), guess })
}

/// Splits a cell that lists several phone numbers ("0812… / 022…",
/// "0812…, 0813…", one a line). A part that is only letters (`abc`) is
/// kept whole, so that [`phone`] reports it as a part with letters in it
/// (`0812abc`) is; one that says there is no number (`tidak ada`, `-`) is
/// dropped.
pub fn split_phones(s: &str) -> Vec<String> {
    let lower = s.to_lowercase();
    lower
        .split(['/', ',', ';', '\n'])
        .flat_map(|p| p.split(" atau "))
        .flat_map(|p| p.split(" dan "))
        .map(|p| {
            // Drop labels such as "HP:", "WA", "Telp."
            let p = p.trim();
            let number = p.trim_start_matches(|c: char| c.is_alphabetic() || c == '.' || c == ':' || c == ' ').trim();
            if number.is_empty() && yes_no(p) != Some(false) { p.to_string() } else { number.to_string() }
        })
        .filter(|p| !p.is_empty())
        .collect()
}

/// How certain a loose match was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match<T> {
    /// The same name, up to case, spaces and punctuation.
    Exact(T),
    /// The nearest known name.
    Near(T),
    /// No known name is near enough.
    None,
}

/// Jaro-Winkler similarity a spelling must reach to be read as a known
/// kelurahan, and how far ahead of the runner-up it must be. See
/// docs/import.md: the closest two real kelurahan (Cibeber, Cibeureum)
/// score 0.887 against each other, and the misspellings found in
/// registers score 0.93 or more against the right name.
pub const PLACE_THRESHOLD: f64 = 0.9;
/// See [`PLACE_THRESHOLD`].
pub const PLACE_MARGIN: f64 = 0.02;

/// The kelurahan nearest to `raw` ("Cibereum" → Cibeureum), with the
/// kecamatan it lies in. Words such as "Kel." and "Desa" are ignored.
pub fn kelurahan(raw: &str) -> Match<(&'static str, District)> {
    let mut w = words(raw);
    w.retain(|x| !matches!(x.as_str(), "kel" | "kelurahan" | "desa" | "ds" | "kec" | "kota"));
    let key: String = w.concat();
    if key.is_empty() {
        return Match::None;
    }
    let mut scored: Vec<(f64, &'static str, District)> = Vec::new();
    for d in District::ALL {
        for k in d.subdistricts() {
            let s = squash(k);
            if s == key {
                return Match::Exact((k, *d));
            }
            scored.push((strsim::jaro_winkler(&key, &s), k, *d));
        }
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    match scored.as_slice() {
        [(best, k, d), (second, ..), ..] if *best >= PLACE_THRESHOLD && best - second >= PLACE_MARGIN => {
            Match::Near((k, *d))
        }
        _ => Match::None,
    }
}

/// The kecamatan `raw` names: "Cimahi Selatan", "CIMAHI SEL.", "Kec.
/// Cimahi Sltn", "cimahi-selatan", "Selatan". The word that is not
/// "Cimahi" must start like Utara, Tengah or Selatan and its letters must
/// come in that word's order (`sel`, `sltn`, `tgh`, `utr`), or be within
/// Jaro-Winkler 0.85 of it (`selatn`, `tenggah`).
pub fn kecamatan(raw: &str) -> Match<District> {
    let mut w = words(raw);
    w.retain(|x| !matches!(x.as_str(), "kec" | "kecamatan" | "kota"));
    let exact_key: String = w.concat();
    for d in District::ALL {
        if squash(d.name()) == exact_key {
            return Match::Exact(*d);
        }
    }
    w.retain(|x| strsim::jaro_winkler(x, "cimahi") < 0.85);
    let [word] = w.as_slice() else {
        return Match::None;
    };
    let dirs =
        [("utara", District::CimahiUtara), ("tengah", District::CimahiTengah), ("selatan", District::CimahiSelatan)];
    for (name, d) in dirs {
        if word.as_bytes()[0] == name.as_bytes()[0]
            && (is_subsequence(word, name) || strsim::jaro_winkler(word, name) >= 0.85)
        {
            return Match::Near(d);
        }
    }
    Match::None
}

fn is_subsequence(short: &str, long: &str) -> bool {
    let mut it = long.chars();
    short.chars().all(|c| it.any(|l| l == c))
}

/// Words that name each sector in registers (squashed), besides the slugs.
const SECTOR_WORDS: &[(&str, Sector)] = &[
    ("makanan", Sector::MakananMinuman),
    ("minuman", Sector::MakananMinuman),
    ("makanandanminuman", Sector::MakananMinuman),
    ("makananminuman", Sector::MakananMinuman),
    ("mamin", Sector::MakananMinuman),
    ("pangan", Sector::MakananMinuman),
    ("olahanpangan", Sector::MakananMinuman),
    ("kuliner", Sector::MakananMinuman),
    ("food", Sector::MakananMinuman),
    ("foodandbeverage", Sector::MakananMinuman),
    ("foodandbeverages", Sector::MakananMinuman),
    ("fnb", Sector::MakananMinuman),
    ("agro", Sector::MakananMinuman),
    ("industriagro", Sector::MakananMinuman),
    ("tekstil", Sector::Tekstil),
    ("tekstildanproduktekstil", Sector::Tekstil),
    ("tpt", Sector::Tekstil),
    ("konveksi", Sector::Tekstil),
    ("garmen", Sector::Tekstil),
    ("garment", Sector::Tekstil),
    ("sandang", Sector::Tekstil),
    ("fashion", Sector::Tekstil),
    ("fesyen", Sector::Tekstil),
    ("busana", Sector::Tekstil),
    ("pakaian", Sector::Tekstil),
    ("textile", Sector::Tekstil),
    ("textiles", Sector::Tekstil),
    ("kerajinan", Sector::Kerajinan),
    ("kriya", Sector::Kerajinan),
    ("handicraft", Sector::Kerajinan),
    ("craft", Sector::Kerajinan),
    ("crafts", Sector::Kerajinan),
    ("kerajinantangan", Sector::Kerajinan),
    ("telematika", Sector::Telematika),
    ("telematics", Sector::Telematika),
    ("it", Sector::Telematika),
    ("teknologiinformasi", Sector::Telematika),
    ("digital", Sector::Telematika),
    ("animasi", Sector::Telematika),
    ("software", Sector::Telematika),
    ("perangkatlunak", Sector::Telematika),
    ("aplikasi", Sector::Telematika),
    ("game", Sector::Telematika),
];

/// The sector a cell names: a slug, a word registers use ("Makanan &
/// Minuman", "Konveksi", "Kriya"), or the start of one of them. `None`
/// when it names none.
pub fn sector(raw: &str) -> Option<Sector> {
    if let Some(s) = Sector::parse(raw.trim()) {
        return Some(s);
    }
    let mut key = squash(raw);
    for prefix in ["industri", "sektor", "ikm"] {
        if let Some(rest) = key.strip_prefix(prefix).filter(|r| !r.is_empty()) {
            key = rest.to_string();
        }
    }
    for (w, s) in SECTOR_WORDS {
        if key == *w {
            return Some(*s);
        }
    }
    Sector::ALL.iter().copied().find(|s| squash(s.as_str()) == key)
}

/// The sector nearest to a misspelt word ("Makanan Minumam", "Kerajina"):
/// Jaro-Winkler 0.92 or more to one of the words of [`sector`], and 0.02
/// ahead of the nearest word of another sector.
pub fn sector_near(raw: &str) -> Option<Sector> {
    let key = squash(raw);
    if key.len() < 5 {
        return None;
    }
    let mut scored: Vec<(f64, Sector)> = SECTOR_WORDS
        .iter()
        .map(|(w, s)| (strsim::jaro_winkler(&key, w), *s))
        .chain(Sector::ALL.iter().map(|s| (strsim::jaro_winkler(&key, &squash(s.as_str())), *s)))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let (best, sector) = *scored.first()?;
    let other = scored.iter().find(|(_, s)| *s != sector).map_or(0.0, |(x, _)| *x);
    (best >= 0.92 && best - other >= 0.02).then_some(sector)
}

/// What a scale cell said.
pub fn scale(raw: &str) -> Option<(Scale, Option<String>)> {
    let key = squash(raw);
    let key = key.strip_prefix("industri").or_else(|| key.strip_prefix("usaha")).unwrap_or(&key).to_string();
    match key.as_str() {
        "kecil" | "small" | "ik" | "k" => Some((Scale::Kecil, None)),
        "mikro" | "micro" | "rumahtangga" | "mikrokecil" | "ikm" | "umkm" | "ukm" => {
            Some((Scale::Kecil, Some(format!("`{raw}` read as kecil (micro firms are kecil in this catalogue)"))))
        }
        "menengah" | "medium" | "im" | "m" => Some((Scale::Menengah, None)),
        "besar" | "large" | "ib" | "b" => Some((Scale::Besar, None)),
        _ => None,
    }
}

/// The scale Permenperin 64/2016 gives a firm with `workers` workers and
/// an investment (excluding land and buildings) of `investment` rupiah:
/// kecil below 20 workers and Rp 1 billion; besar from 20 workers and over
/// Rp 15 billion; menengah in between. With only one of the two, the other
/// is taken as small.
pub fn scale_by_size(workers: Option<u64>, investment: Option<u64>) -> Option<Scale> {
    const BILLION: u64 = 1_000_000_000;
    if workers.is_none() && investment.is_none() {
        return None;
    }
    let w = workers.unwrap_or(0);
    let i = investment.unwrap_or(0);
    Some(if w < 20 && i < BILLION {
        Scale::Kecil
    } else if w >= 20 && i > 15 * BILLION {
        Scale::Besar
    } else {
        Scale::Menengah
    })
}

/// The scale a yearly turnover gives (PP 7/2021's bands for turnover:
/// micro and small up to Rp 15 billion, medium up to Rp 50 billion).
pub fn scale_by_turnover(yearly: u64) -> Scale {
    const BILLION: u64 = 1_000_000_000;
    if yearly <= 15 * BILLION {
        Scale::Kecil
    } else if yearly <= 50 * BILLION {
        Scale::Menengah
    } else {
        Scale::Besar
    }
}

/// What a yes/no cell (a certification column) says: `Some(true)` for
/// yes, a certificate number, a date or a tick; `Some(false)` for no, a
/// dash or "in process"; `None` when it cannot tell.
pub fn yes_no(raw: &str) -> Option<bool> {
    let t = raw.trim();
    if t.is_empty() {
        return Some(false);
    }
    let key = squash(t);
    const YES: &[&str] = &[
        "ya",
        "y",
        "yes",
        "ada",
        "sudah",
        "sdh",
        "punya",
        "memiliki",
        "true",
        "v",
        "ok",
        "terdaftar",
        "berlaku",
        "aktif",
        "1",
    ];
    const NO: &[&str] = &[
        "tidak",
        "tdk",
        "t",
        "no",
        "n",
        "belum",
        "blm",
        "tidakada",
        "belumada",
        "false",
        "0",
        "proses",
        "dalamproses",
        "sedangproses",
        "diproses",
        "pengajuan",
        "tak",
        "x",
        "na",
        "none",
        "kosong",
    ];
    if YES.contains(&key.as_str()) || t.chars().all(|c| "✓✔√☑".contains(c)) {
        return Some(true);
    }
    if NO.contains(&key.as_str()) || t.chars().all(|c| "-–—.×✗✘".contains(c)) {
        return Some(false);
    }
    if key.starts_with("belum") || key.starts_with("tidak") || key.starts_with("proses") {
        return Some(false);
    }
    // A certificate number: at least four digits.
    if t.chars().filter(char::is_ascii_digit).count() >= 4 {
        return Some(true);
    }
    None
}

/// Certifications a cell lists ("PIRT, Halal", "SPP-IRT No. 123 / MUI").
/// Returns what it found and the parts it did not understand.
pub fn certification_list(raw: &str) -> (Vec<Certification>, Vec<String>) {
    let mut found = Vec::new();
    let mut unknown = Vec::new();
    for part in split_list(raw) {
        let key = squash(&part);
        let mut hit = None;
        for (needle, c) in [
            ("spppirt", Certification::Pirt),
            ("sppirt", Certification::Pirt),
            ("pirt", Certification::Pirt),
            ("bpom", Certification::Bpom),
            ("mdbpom", Certification::Bpom),
            ("halal", Certification::Halal),
            ("mui", Certification::Halal),
            ("nib", Certification::Nib),
            ("sni", Certification::Sni),
            ("hki", Certification::Hki),
            ("haki", Certification::Hki),
        ] {
            if key.starts_with(needle) || key == needle {
                hit = Some(c);
                break;
            }
        }
        match hit {
            Some(c) if !found.contains(&c) => found.push(c),
            Some(_) => {}
            None if yes_no(&part) == Some(false) => {}
            None => unknown.push(part),
        }
    }
    (found, unknown)
}

/// Markets a cell lists ("Lokal, Nasional", "Ekspor (Malaysia)").
pub fn market_list(raw: &str) -> (Vec<Market>, Vec<String>) {
    let mut found = Vec::new();
    let mut unknown = Vec::new();
    for part in split_list(raw) {
        let key = squash(&part);
        let m = if key.starts_with("lokal") || key.starts_with("local") || key.starts_with("regional") || key == "kota"
        {
            Some(Market::Lokal)
        } else if key.starts_with("nasional") || key.starts_with("national") || key.starts_with("dalamnegeri") {
            Some(Market::Nasional)
        } else if key.starts_with("ekspor")
            || key.starts_with("export")
            || key.starts_with("luarnegeri")
            || key.starts_with("internasional")
        {
            Some(Market::Ekspor)
        } else {
            None
        };
        match m {
            Some(m) if !found.contains(&m) => found.push(m),
            Some(_) => {}
            None => unknown.push(part),
        }
    }
    (found, unknown)
}

/// Splits a cell that lists several things: by line, `;`, `,`, bullets
/// and numbering ("1. Keripik 2. Dodol"). Parts are trimmed; empty parts
/// dropped.
pub fn split_list(raw: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in raw.split(['\n', '\r', ';', ',', '•', '·']) {
        // "1. Keripik 2. Dodol" or "1) Keripik"
        let mut rest = line.trim();
        let mut parts = Vec::new();
        loop {
            let trimmed = strip_number(rest);
            match find_number(trimmed) {
                Some(i) => {
                    parts.push(trimmed[..i].trim().to_string());
                    rest = &trimmed[i..];
                }
                None => {
                    parts.push(trimmed.trim().to_string());
                    break;
                }
            }
        }
        for p in parts {
            let p = p.trim_matches(|c: char| c == '-' || c == '*' || c.is_whitespace()).to_string();
            if !p.is_empty() {
                out.push(p);
            }
        }
    }
    out
}

/// Strips a leading list number ("1.", "2)").
fn strip_number(s: &str) -> &str {
    let t = s.trim_start();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0
        && digits <= 2
        && let Some(rest) = t[digits..].strip_prefix(['.', ')'])
        && (rest.starts_with(' ') || rest.is_empty())
    {
        return rest;
    }
    t
}

/// Byte offset of a list number (" 2. ") inside `s`, after its start.
fn find_number(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    for i in 1..b.len() {
        if b[i - 1] == b' ' && b[i].is_ascii_digit() {
            let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
            let after = i + digits;
            if digits <= 2 && after + 1 < b.len() && matches!(b[after], b'.' | b')') && b[after + 1] == b' ' {
                return Some(i);
            }
        }
    }
    None
}

/// A year in `raw`: the cell's number, or the four-digit number in a text
/// ("Maret 2015", "2015-03-01"). `Err` when there is none, or several.
pub fn year(raw: &str) -> Result<i32, String> {
    let groups: Vec<&str> = raw.split(|c: char| !c.is_ascii_digit()).filter(|g| !g.is_empty()).collect::<Vec<_>>();
    let years: Vec<&&str> = groups.iter().filter(|g| g.len() == 4).collect();
    match years.as_slice() {
        [y] => y.parse::<i32>().map_err(|_| format!("`{raw}` is not a year")),
        [] => Err(format!("`{raw}` is not a year")),
        _ => Err(format!("`{raw}` holds several years")),
    }
}

/// The date of an Excel serial day number (1 is 1900-01-01; Excel's
/// phantom 1900-02-29 is day 60, so days after it are counted from
/// 1899-12-30, as every program that reads Excel files does).
pub fn excel_date(serial: i64) -> (i32, u32, u32) {
    let d = crate::model::Date::from_unix_wib((serial - 25_569).saturating_mul(86_400));
    (d.year, d.month, d.day)
}

/// The Excel serial day number of a date (the inverse of [`excel_date`]
/// for dates after 1900-02-28).
pub fn excel_serial(y: i32, m: u32, d: u32) -> i64 {
    // Howard Hinnant's days-from-civil.
    let (y, m, d) = (i64::from(y) - i64::from(m <= 2), i64::from(m), i64::from(d));
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468 + 25_569
}

/// A founding year hidden in a date: a year typed into a cell formatted
/// as a date (2015 shows as 1905-07-07, day 2015 of Excel's calendar), or
/// a date whose format was lost and shows as its day number (42005 is
/// 2015-01-01). `Some((year, why))` when `serial` reads as such a year.
pub fn year_from_serial(serial: i64, shown_as_date: bool, this_year: i32) -> Option<(i32, String)> {
    if shown_as_date {
        let y = i32::try_from(serial).ok().filter(|y| (1900..=this_year).contains(y))?;
        let (dy, dm, dd) = excel_date(serial);
        return Some((
            y,
            format!("the cell shows the date {dy:04}-{dm:02}-{dd:02}, which is the number {y} formatted as a date"),
        ));
    }
    // Day numbers of 1910 to this year (a four-digit number is a year).
    if !(3_654..=2_958_465).contains(&serial) || (1000..=9999).contains(&serial) {
        return None;
    }
    let (y, m, d) = excel_date(serial);
    (1900..=this_year)
        .contains(&y)
        .then(|| (y, format!("`{serial}` read as Excel's day number of {y:04}-{m:02}-{d:02}")))
}

/// A count of people ("12", "12 orang", "12.0"). `Err` when the cell
/// holds no number or several ("5-10", "3 L 2 P": say which in MAP.yaml or
/// split the column).
pub fn count(raw: &str) -> Result<u64, String> {
    let t = raw.trim();
    if let Some(int) = t.strip_suffix(".0").or_else(|| t.strip_suffix(",0"))
        && let Ok(n) = int.trim().parse::<u64>()
    {
        return Ok(n);
    }
    let groups: Vec<&str> = t.split(|c: char| !c.is_ascii_digit()).filter(|g| !g.is_empty()).collect();
    if t.starts_with('-') {
        return Err(format!("`{raw}` is negative"));
    }
    match groups.as_slice() {
        [g] => g.parse::<u64>().map_err(|_| format!("`{raw}` is too large")),
        [] => Err(format!("`{raw}` is not a number")),
        _ => Err(format!("`{raw}` holds several numbers")),
    }
}

/// A rupiah amount: "Rp 50.000.000", "50,000,000", "50 juta", "1,5 M",
/// "2.5 miliar", a number cell. Indonesian writing is assumed: `.`
/// groups thousands and `,` marks decimals, unless the groups say
/// otherwise (`1.5 juta`, `50,000,000`).
pub fn rupiah(raw: &str) -> Result<u64, String> {
    let lower = raw.trim().to_lowercase();
    let lower = lower.trim_start_matches("rp").trim_start_matches('.').trim();
    let number_end =
        lower.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ',' || c == ' ')).unwrap_or(lower.len());
    let (num, unit) = lower.split_at(number_end);
    let num: String = num.chars().filter(|c| *c != ' ').collect();
    let unit = unit.trim().trim_end_matches('.').trim_end_matches(",-").trim_end_matches(",00").trim();
    let multiplier: f64 = match unit {
        "" | "-" | ",-" | "rupiah" => 1.0,
        "rb" | "ribu" | "k" => 1e3,
        "jt" | "juta" => 1e6,
        "m" | "miliar" | "milyar" | "mlyr" | "b" | "billion" => 1e9,
        "t" | "triliun" => 1e12,
        _ => return Err(format!("`{raw}` is not an amount of rupiah")),
    };
    if num.is_empty() || !num.bytes().any(|b| b.is_ascii_digit()) {
        return Err(format!("`{raw}` is not an amount of rupiah"));
    }
    let value = parse_decimal(&num, multiplier > 1.0).ok_or_else(|| format!("`{raw}` is not an amount of rupiah"))?;
    let total = value * multiplier;
    if !(0.0..1e17).contains(&total) {
        return Err(format!("`{raw}` is out of range"));
    }
    Ok(total.round() as u64)
}

/// Reads "50.000.000", "50,000,000", "1,5", "1.5" (with `scaled`, a
/// separator followed by other than three digits is a decimal mark).
fn parse_decimal(s: &str, scaled: bool) -> Option<f64> {
    let seps: Vec<(usize, char)> = s.char_indices().filter(|(_, c)| *c == '.' || *c == ',').collect();
    let digits_only = |x: &str| x.chars().filter(char::is_ascii_digit).collect::<String>();
    let Some(&(last_i, last_c)) = seps.last() else {
        return s.parse::<f64>().ok();
    };
    let after = &s[last_i + 1..];
    let distinct = seps.iter().any(|(_, c)| *c != last_c);
    // The last separator is a decimal mark when the other kind came
    // before it (1.234,5), or it is alone and not followed by exactly
    // three digits (1,5), or a scaled amount has it alone (1.500 juta is
    // ambiguous; 1,500 juta is read as 1.5 million only with other than
    // three digits).
    let decimal = distinct || (seps.len() == 1 && (after.len() != 3 || (scaled && after.len() != 3)));
    if decimal {
        let int = digits_only(&s[..last_i]);
        let frac = digits_only(after);
        format!("{}.{}", if int.is_empty() { "0" } else { &int }, frac).parse().ok()
    } else {
        digits_only(s).parse().ok()
    }
}

/// An Instagram handle from "@rasa", "instagram.com/rasa", "rasa".
pub fn instagram(raw: &str) -> Result<String, String> {
    let mut t = raw.trim();
    for p in ["https://", "http://", "www.", "instagram.com/", "ig:", "ig "] {
        if let Some(r) = t.strip_prefix(p) {
            t = r;
        }
    }
    let t = t.trim_start_matches('@').trim_end_matches('/');
    let t = t.split(['?', '/']).next().unwrap_or("");
    if !t.is_empty() && t.len() <= 30 && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_') {
        Ok(t.to_string())
    } else {
        Err(format!("`{raw}` is not an Instagram handle"))
    }
}

/// A website: `https://` is added to `www.example.com`.
pub fn website(raw: &str) -> Result<(String, bool), String> {
    let t = raw.trim();
    if crate::config::is_http_url(t) {
        return Ok((t.to_string(), false));
    }
    let candidate = format!("https://{t}");
    if !t.contains("://")
        && t.contains('.')
        && !t.contains(' ')
        && !t.contains('@')
        && crate::config::is_http_url(&candidate)
    {
        return Ok((candidate, true));
    }
    Err(format!("`{raw}` is not a website address (http or https)"))
}

/// Cuts a text to at most `max` characters at a word boundary, ending it
/// with `…`.
pub fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out = String::new();
    for w in s.split(' ') {
        if out.chars().count() + w.chars().count() + 2 > max {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    if out.is_empty() {
        out = s.chars().take(max - 1).collect();
    }
    let out = out.trim_end_matches([',', ';', ':', '.', ' ']).to_string();
    format!("{out}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones() {
        let p = |s: &str| phone(s).map(|p| (p.number, p.mobile, p.guess.is_some()));
        assert_eq!(p("0812-3456-7890"), Ok(("+6281234567890".into(), true, false)));
        assert_eq!(p("62 812 3456 7890"), Ok(("+6281234567890".into(), true, false)));
        assert_eq!(p("+62 (0)812 3456 789"), Ok(("+628123456789".into(), true, false)));
        assert_eq!(p("(022) 661-2345"), Ok(("+62226612345".into(), false, false)));
        assert_eq!(p("81234567890"), Ok(("+6281234567890".into(), true, true)));
        assert_eq!(p("6612345"), Ok(("+62226612345".into(), false, true)));
        assert!(p("0812").is_err());
        assert!(p("halo").is_err());
        assert!(p("+1 555 0100 200").is_err());
        assert!(p("08123456789012345").is_err());
        assert_eq!(split_phones("HP: 0812-1 / Telp. 022 66"), ["0812-1", "022 66"]);
        assert_eq!(split_phones("0812 atau 0813"), ["0812", "0813"]);
        // Letters alone are kept to be reported; "none" words are not numbers.
        assert_eq!(split_phones("abc"), ["abc"]);
        assert_eq!(split_phones("0812 / abc"), ["0812", "abc"]);
        assert!(split_phones("tidak ada").is_empty() && split_phones("Kosong").is_empty());
        assert!(phone("abc").is_err());
    }

    #[test]
    fn title_cases() {
        assert_eq!(title_case("CV RASA CIREUNDEU"), "CV Rasa Cireundeu");
        assert_eq!(title_case("UMKM KERIPIK BU ENOK"), "UMKM Keripik Bu Enok");
        assert_eq!(title_case("PT. SINAR-JAYA (PERSERO)"), "PT. Sinar-Jaya (Persero)");
        assert_eq!(title_case("KWT MELATI"), "KWT Melati");
        assert_eq!(title_case("D'JAVA JUM'AT"), "D'Java Jum'at");
        assert_eq!(title_case("JL. LEUWIGAJAH NO. 12 RT 01/RW 02"), "Jl. Leuwigajah No. 12 RT 01/RW 02");
        assert_eq!(title_case("Rasa ABC"), "Rasa ABC");
        assert_eq!(title_case("Á"), "Á");
    }

    #[test]
    fn slugs_and_keys() {
        assert_eq!(slugify("CV Rasa Cireundeu"), "rasa-cireundeu");
        assert_eq!(slugify("Rasa Cireundeu, CV"), "rasa-cireundeu");
        assert_eq!(slugify("PT"), "pt");
        assert_eq!(slugify("Kopi Ënak & Co."), "kopi-enak-co");
        assert_eq!(slugify("D'Java"), "djava");
        assert_eq!(slugify("!!!"), "");
        assert!(slugify(&"panjang ".repeat(30)).len() <= 60);
        assert!(crate::model::is_slug(&slugify(&"x".repeat(200))));
        assert_eq!(name_key("CV. RASA Cireundeu"), name_key("Rasa cireundeu"));
        assert_eq!(name_key("PT"), "pt");
        assert_eq!(address_key("Jalan Baros 1"), address_key("JL. BAROS NO 1").replace("no", ""));
    }

    #[test]
    fn places() {
        assert_eq!(kelurahan("Cibereum"), Match::Near(("Cibeureum", District::CimahiSelatan)));
        assert_eq!(kelurahan("Kel. Cibeureum"), Match::Exact(("Cibeureum", District::CimahiSelatan)));
        assert_eq!(kelurahan("PASIR KALIKI"), Match::Exact(("Pasirkaliki", District::CimahiUtara)));
        assert_eq!(kelurahan("Citereup"), Match::Near(("Citeureup", District::CimahiUtara)));
        assert_eq!(kelurahan("Lewigajah"), Match::Near(("Leuwigajah", District::CimahiSelatan)));
        assert_eq!(kelurahan("Cigugur"), Match::Near(("Cigugur Tengah", District::CimahiTengah)));
        assert_eq!(kelurahan("Cisarua"), Match::None);
        assert_eq!(kelurahan("Bandung"), Match::None);
        assert_eq!(kelurahan(""), Match::None);
        assert_eq!(kecamatan("Cimahi Selatan"), Match::Exact(District::CimahiSelatan));
        assert_eq!(kecamatan("cimahi-selatan"), Match::Exact(District::CimahiSelatan));
        assert_eq!(kecamatan("Kec. Cimahi Sel."), Match::Near(District::CimahiSelatan));
        assert_eq!(kecamatan("CIMAHI SLTN"), Match::Near(District::CimahiSelatan));
        assert_eq!(kecamatan("Cimahi Tgh"), Match::Near(District::CimahiTengah));
        assert_eq!(kecamatan("Utara"), Match::Near(District::CimahiUtara));
        assert_eq!(kecamatan("Cimhai Tenggah"), Match::Near(District::CimahiTengah));
        assert_eq!(kecamatan("Cimahi"), Match::None);
        assert_eq!(kecamatan("Cimahi Barat"), Match::None);
        assert_eq!(kecamatan("Sukajadi"), Match::None);
    }

    /// The figures behind PLACE_THRESHOLD and PLACE_MARGIN (docs/import.md).
    #[test]
    fn place_threshold_is_above_every_pair_of_real_names() {
        let names: Vec<String> =
            District::ALL.iter().flat_map(|d| d.subdistricts().iter().map(|k| squash(k))).collect();
        let mut worst = 0.0f64;
        for (i, a) in names.iter().enumerate() {
            for b in &names[i + 1..] {
                worst = worst.max(strsim::jaro_winkler(a, b));
            }
        }
        assert!(worst < PLACE_THRESHOLD, "two real kelurahan score {worst}");
        for typo in ["cibereum", "citereup", "lewigajah", "cipagern", "karangmkar", "setiamana", "padasukaa", "melongg"]
        {
            assert!(kelurahan(typo) != Match::None, "{typo}");
        }
    }

    #[test]
    fn sectors_and_scales() {
        assert_eq!(sector("Makanan & Minuman"), Some(Sector::MakananMinuman));
        assert_eq!(sector("makanan-minuman"), Some(Sector::MakananMinuman));
        assert_eq!(sector("Industri Kerajinan"), Some(Sector::Kerajinan));
        assert_eq!(sector("KONVEKSI"), Some(Sector::Tekstil));
        assert_eq!(sector("Otomotif"), None);
        assert_eq!(sector_near("Makanan Minumam"), Some(Sector::MakananMinuman));
        assert_eq!(sector_near("Kerajina"), Some(Sector::Kerajinan));
        assert_eq!(sector_near("Otomotif"), None);
        assert_eq!(scale("Mikro").map(|s| s.0), Some(Scale::Kecil));
        assert_eq!(scale("Industri Menengah").map(|s| s.0), Some(Scale::Menengah));
        assert_eq!(scale("sedang"), None);
        assert_eq!(scale_by_size(Some(5), None), Some(Scale::Kecil));
        assert_eq!(scale_by_size(Some(5), Some(2_000_000_000)), Some(Scale::Menengah));
        assert_eq!(scale_by_size(Some(150), Some(20_000_000_000)), Some(Scale::Besar));
        assert_eq!(scale_by_size(None, None), None);
        assert_eq!(scale_by_turnover(300_000_000), Scale::Kecil);
    }

    #[test]
    fn yes_no_cells() {
        for y in ["Ya", "ADA", "v", "√", "Sudah", "P-IRT 2063277010123-24", "1234567890123"] {
            assert_eq!(yes_no(y), Some(true), "{y}");
        }
        for n in ["Tidak", "-", "", "Belum ada", "Proses", "0", "x"] {
            assert_eq!(yes_no(n), Some(false), "{n}");
        }
        assert_eq!(yes_no("mungkin"), None);
        let (c, u) = certification_list("SPP-IRT, Halal MUI; BPOM MD 123 / izin lain");
        assert_eq!(c, [Certification::Pirt, Certification::Halal, Certification::Bpom]);
        assert!(u.is_empty(), "{u:?}");
        let (c, u) = certification_list("PIRT, akta notaris, belum");
        assert_eq!((c, u), (vec![Certification::Pirt], vec!["akta notaris".to_string()]));
    }

    #[test]
    fn numbers() {
        assert_eq!(year("2015"), Ok(2015));
        assert_eq!(year("Maret 2015"), Ok(2015));
        assert_eq!(year("2015-03-01"), Ok(2015));
        assert!(year("15").is_err());
        assert!(year("2010/2015").is_err());
        assert_eq!(count("12"), Ok(12));
        assert_eq!(count("12 orang"), Ok(12));
        assert_eq!(count("12.0"), Ok(12));
        assert!(count("5-10").is_err());
        assert!(count("-3").is_err());
        assert!(count("banyak").is_err());
        assert_eq!(rupiah("Rp 50.000.000"), Ok(50_000_000));
        assert_eq!(rupiah("50,000,000"), Ok(50_000_000));
        assert_eq!(rupiah("50 juta"), Ok(50_000_000));
        assert_eq!(rupiah("1,5 M"), Ok(1_500_000_000));
        assert_eq!(rupiah("2.5 miliar"), Ok(2_500_000_000));
        assert_eq!(rupiah("Rp. 15.000,-"), Ok(15_000));
        assert_eq!(rupiah("1.234.567,89"), Ok(1_234_568));
        assert_eq!(rupiah("25000"), Ok(25_000));
        assert!(rupiah("murah").is_err());
        assert!(rupiah("Rp").is_err());
    }

    #[test]
    fn lists() {
        assert_eq!(split_list("Keripik, Dodol;Rasi\nTape"), ["Keripik", "Dodol", "Rasi", "Tape"]);
        assert_eq!(split_list("1. Keripik 2. Dodol 3) Rasi"), ["Keripik", "Dodol", "Rasi"]);
        assert_eq!(split_list("- Kue\n- Roti 2 kg"), ["Kue", "Roti 2 kg"]);
        assert_eq!(split_list(" , ;"), Vec::<String>::new());
        let (m, u) = market_list("Lokal, Nasional, Ekspor (Malaysia), bulan");
        assert_eq!(m, [Market::Lokal, Market::Nasional, Market::Ekspor]);
        assert_eq!(u, ["bulan"]);
    }

    #[test]
    fn contacts_and_clip() {
        assert_eq!(instagram("@rasa.cireundeu"), Ok("rasa.cireundeu".into()));
        assert_eq!(instagram("https://www.instagram.com/rasa_c/?hl=id"), Ok("rasa_c".into()));
        assert!(instagram("rasa cireundeu").is_err());
        assert_eq!(website("www.rasa.id"), Ok(("https://www.rasa.id".into(), true)));
        assert_eq!(website("https://rasa.id"), Ok(("https://rasa.id".into(), false)));
        assert!(website("rasa").is_err());
        let c = clip(&"kata ".repeat(50), 160);
        assert!(c.chars().count() <= 160 && c.ends_with('…'), "{c}");
        assert_eq!(clip("pendek", 160), "pendek");
    }

    #[test]
    fn excel_day_numbers() {
        assert_eq!(excel_date(42005), (2015, 1, 1));
        assert_eq!(excel_date(2015), (1905, 7, 7));
        assert_eq!(excel_date(61), (1900, 3, 1));
        for serial in [61, 2015, 36526, 42005, 46000] {
            let (y, m, d) = excel_date(serial);
            assert_eq!(excel_serial(y, m, d), serial);
        }
        assert_eq!(year_from_serial(2015, true, 2026).map(|x| x.0), Some(2015));
        assert_eq!(year_from_serial(2030, true, 2026), None);
        assert_eq!(year_from_serial(42005, false, 2026).map(|x| x.0), Some(2015));
        // Four digits are a year (perhaps a wrong one), never a day number.
        assert_eq!(year_from_serial(2030, false, 2026), None);
        assert_eq!(year_from_serial(60000, false, 2026), None);
        assert_eq!(year_from_serial(12, false, 2026), None);
    }
}
