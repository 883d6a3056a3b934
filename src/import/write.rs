//! Writing firms: new `profile.yaml` and product files from a [`Record`],
//! and `--update` of an existing profile line by line.
//!
//! Profiles are written by hand, not serialised, so that a guessed value
//! can carry a `# guessed: …` comment on its line and every field sits in
//! the SPEC's order. Every scalar goes through [`crate::yaml::scalar`],
//! which quotes whatever YAML would read otherwise.
//!
//! An update never rewrites the file: it replaces the lines of the
//! top-level keys whose value the sheet changes (found with
//! [`crate::yaml::locate`]), adds the keys the profile lacks after the key
//! that precedes them in the SPEC's order, and leaves every other line —
//! editors' keys, comments, blank lines — as it was.

use std::fmt::Write as _;

use crate::model::{Certification, Market};
use crate::source::scalar_text;
use crate::yaml::{self, Mapping, Seg, Target, Value};

use super::rows::{ProductRec, Record, Val};

/// The order of keys in a profile (SPEC 3).
pub const PROFILE_ORDER: &[&str] = &[
    "name",
    "name_en",
    "kind",
    "sector",
    "scale",
    "district",
    "subdistrict",
    "summary",
    "summary_en",
    "address",
    "founded",
    "employees",
    "contact",
    "certifications",
    "markets",
    "offers",
    "needs",
    "cooperation",
    "partners",
    "exclude_partners",
    "logo",
    "photos",
    "updated",
    "draft",
];

const CONTACT_ORDER: &[&str] = &["phone", "whatsapp", "email", "website", "instagram"];

/// A comment's text: one line, printable, at most 160 characters.
fn comment(s: &str) -> String {
    let clean: String = s
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}') {
                ' '
            } else {
                c
            }
        })
        .collect();
    super::normalise::clip(clean.trim(), 160)
}

/// One `key: value` line, with its `# guessed:` comment.
fn line(out: &mut String, indent: &str, key: &str, value: &str, guess: Option<&str>) {
    let _ = write!(out, "{indent}{key}: {value}");
    if let Some(g) = guess {
        let _ = write!(out, "  # guessed: {}", comment(g));
    }
    out.push('\n');
}

/// The value of one top-level key as written, with the guess behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The key.
    pub key: &'static str,
    /// The lines (`key: value` and, for `contact`, its nested lines).
    pub text: String,
    /// Whether it holds a guess (it then never replaces a value an editor
    /// wrote).
    pub guessed: bool,
    /// What the value reads as, to compare with an existing profile.
    pub value: Value,
}

fn scalar_entry<T>(key: &'static str, v: &Option<Val<T>>, show: impl Fn(&T) -> (String, Value)) -> Option<Entry> {
    let v = v.as_ref()?;
    let (text, value) = show(&v.v);
    let mut s = String::new();
    line(&mut s, "", key, &text, v.guess.as_deref());
    Some(Entry { key, text: s, guessed: v.guess.is_some(), value })
}

fn text_value(s: &str) -> (String, Value) {
    (yaml::scalar(s), Value::String(s.to_string()))
}

fn flow_list(items: &[&str]) -> String {
    format!("[{}]", items.iter().map(|s| yaml::scalar(s)).collect::<Vec<_>>().join(", "))
}

/// The top-level entries of a record, in the SPEC's order.
pub fn entries(rec: &Record) -> Vec<Entry> {
    let mut out = Vec::new();
    out.extend(scalar_entry("name", &rec.name, |s| text_value(s)));
    // `kind: ikm` is the default and is not written.
    if rec.kind.as_ref().is_some_and(|k| k.v != crate::model::Kind::Ikm) {
        out.extend(scalar_entry("kind", &rec.kind, |k| text_value(k.as_str())));
    }
    out.extend(scalar_entry("sector", &rec.sector, |s| text_value(s.as_str())));
    out.extend(scalar_entry("scale", &rec.scale, |s| text_value(s.as_str())));
    out.extend(scalar_entry("district", &rec.district, |d| text_value(d.name())));
    out.extend(scalar_entry("subdistrict", &rec.subdistrict, |s| text_value(s.0)));
    out.extend(scalar_entry("summary", &rec.summary, |s| text_value(s)));
    out.extend(scalar_entry("address", &rec.address, |s| text_value(s)));
    out.extend(scalar_entry("founded", &rec.founded, |y| (y.to_string(), Value::Number((*y).into()))));
    out.extend(scalar_entry("employees", &rec.employees, |n| (n.to_string(), Value::Number((*n).into()))));
    let contact: Vec<(&str, &Option<Val<String>>)> = vec![
        ("phone", &rec.phone),
        ("whatsapp", &rec.whatsapp),
        ("email", &rec.email),
        ("website", &rec.website),
        ("instagram", &rec.instagram),
    ];
    if contact.iter().any(|(_, v)| v.is_some()) {
        let mut text = String::from("contact:\n");
        let mut map = Mapping::new();
        let mut guessed = false;
        for (k, v) in contact {
            if let Some(v) = v {
                line(&mut text, "  ", k, &yaml::scalar(&v.v), v.guess.as_deref());
                map.insert(Value::String(k.to_string()), Value::String(v.v.clone()));
                guessed |= v.guess.is_some();
            }
        }
        out.push(Entry { key: "contact", text, guessed, value: Value::Mapping(map) });
    }
    if !rec.certifications.is_empty() {
        let mut certs = rec.certifications.clone();
        certs.sort();
        let names: Vec<&str> = certs.iter().map(|c| c.as_str()).collect();
        out.push(list_entry("certifications", &names));
    }
    if !rec.markets.is_empty() {
        let mut m = rec.markets.clone();
        m.sort();
        let names: Vec<&str> = m.iter().map(|c| c.as_str()).collect();
        out.push(list_entry("markets", &names));
    }
    out
}

fn list_entry(key: &'static str, names: &[&str]) -> Entry {
    let text = format!("{key}: {}\n", flow_list(names));
    let value = Value::Sequence(names.iter().map(|s| Value::String(s.to_string())).collect());
    Entry { key, text, guessed: false, value }
}

/// The text of a new profile.
pub fn profile_text(rec: &Record, source: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Imported from {} by `gotong import`.", comment(source));
    let _ = writeln!(
        out,
        "# Lines marked \"guessed\" hold values the importer inferred: check them, then delete the comment."
    );
    for e in entries(rec) {
        out.push_str(&e.text);
    }
    out.push_str(
        "\n# Not in the register: what the firm supplies and what it looks for, as tags of\n\
         # content/vocabulary.yaml. Partner suggestions are made from them (docs/editors.md).\n\
         offers: []\n\
         needs: []\n",
    );
    out
}

/// The text of a new product file.
pub fn product_text(p: &ProductRec, source: &str) -> String {
    let mut out = String::from("---\n");
    let _ = writeln!(out, "# Imported from {} by `gotong import`.", comment(source));
    line(&mut out, "", "name", &yaml::scalar(&p.name), None);
    if let Some(c) = &p.category {
        line(&mut out, "", "category", &yaml::scalar(&c.v), c.guess.as_deref());
    }
    if let Some(price) = p.price {
        line(&mut out, "", "price", &price.to_string(), None);
    }
    if let Some(u) = &p.unit {
        line(&mut out, "", "unit", &yaml::scalar(u), None);
    }
    if let Some(c) = &p.capacity {
        line(&mut out, "", "capacity", &yaml::scalar(c), None);
    }
    out.push_str("---\n");
    out
}

/// Whether two values say the same: numbers and text compared as text,
/// phone numbers by their digits, lists as sets.
fn same(key: &str, a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Sequence(x), Value::Sequence(y)) => {
            let tx: Vec<String> = x.iter().filter_map(scalar_text).collect();
            let ty: Vec<String> = y.iter().filter_map(scalar_text).collect();
            tx.len() == ty.len() && tx.iter().all(|t| ty.contains(t))
        }
        _ => match (scalar_text(a), scalar_text(b)) {
            (Some(x), Some(y)) if key == "phone" || key == "whatsapp" => {
                let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
                digits(&x) == digits(&y)
            }
            (Some(x), Some(y)) => x.trim() == y.trim(),
            _ => false,
        },
    }
}

/// What an update changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Keys replaced or added (`contact.phone` for a contact field).
    pub keys: Vec<String>,
    /// Keys whose sheet value is a guess and differs from what the profile
    /// says: the profile's value is kept.
    pub kept: Vec<String>,
}

/// Updates an existing profile with a record: keys the sheet gives a
/// value for are replaced when the value differs and is not a guess, and
/// added when the profile lacks them; `certifications` and `markets`
/// gain what the sheet lists (an import never removes a value); nothing
/// else changes. `Ok(None)` when nothing changes; `Err` when the profile
/// cannot be updated safely (it is then left alone).
pub fn update_profile(existing: &str, rec: &Record) -> Result<(Option<String>, Changes), String> {
    let crlf = existing.contains("\r\n");
    let text = existing.replace("\r\n", "\n");
    let parsed = yaml::parse(&text).map_err(|e| format!("the existing profile is not valid YAML ({})", e.message))?;
    let Value::Mapping(map) = &parsed else {
        return Err("the existing profile is not a mapping of fields".into());
    };
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    // Where each top-level key starts (its line, 0-based); keys must start
    // their line, as they do in block style.
    let mut starts: Vec<(usize, String)> = Vec::new();
    for k in map.keys() {
        let Some(name) = scalar_text(k) else { return Err("the existing profile has a key that is not text".into()) };
        match yaml::locate(&text, &[Seg::Key(name.clone())], Target::Key) {
            Some((l, 1)) => starts.push((l - 1, name)),
            _ => return Err(format!("cannot find where `{name}` starts in the existing profile")),
        }
    }
    starts.sort();
    let span = |key: &str| -> Option<(usize, usize)> {
        let i = starts.iter().position(|(_, k)| k == key)?;
        let start = starts[i].0;
        let mut end = starts.get(i + 1).map_or(lines.len(), |(l, _)| *l);
        // Comments and blank lines before the next key belong to it.
        while end > start + 1 && (lines[end - 1].trim().is_empty() || lines[end - 1].starts_with('#')) {
            end -= 1;
        }
        Some((start, end))
    };
    let mut changes = Changes::default();
    // (start, end, new lines): replace lines[start..end]; start == end inserts.
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    let mut expected = map.clone();
    // An institution (bank, university…) has no sector or scale: a sheet
    // that lists it among industries does not make it one.
    let institution = map
        .get("kind")
        .and_then(scalar_text)
        .and_then(|k| crate::model::Kind::parse(&k))
        .is_some_and(|k| !k.is_industry());
    for e in entries(rec) {
        if institution
            && matches!(e.key, "kind" | "sector" | "scale")
            && rec.kind.as_ref().is_none_or(|k| k.guess.is_some())
        {
            continue;
        }
        let current = map.get(e.key);
        let new_entry = match (e.key, current) {
            (_, None) | (_, Some(Value::Null)) => Some(e.clone()),
            ("contact", Some(Value::Mapping(old))) => {
                let guessed_lines: Vec<String> = span("contact")
                    .map(|(s, end)| lines[s..end].iter().filter(|l| still_guessed(l)).cloned().collect())
                    .unwrap_or_default();
                merge_contact(old, &e, rec, &guessed_lines, &mut changes)?
            }
            ("contact", Some(_)) => return Err("`contact` in the existing profile is not a mapping".into()),
            ("certifications" | "markets", Some(Value::Sequence(old))) => {
                let mut names: Vec<String> = old.iter().filter_map(scalar_text).collect();
                let before = names.len();
                if let Value::Sequence(new) = &e.value {
                    for n in new.iter().filter_map(scalar_text) {
                        if !names.contains(&n) {
                            names.push(n);
                        }
                    }
                }
                if names.len() == before {
                    None
                } else {
                    sort_known(e.key, &mut names);
                    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
                    Some(list_entry(e.key, &refs))
                }
            }
            (key, Some(old)) => {
                if same(key, old, &e.value) {
                    None
                } else if e.guessed && !span(key).is_some_and(|(s, _)| still_guessed(&lines[s])) {
                    changes.kept.push(key.to_string());
                    None
                } else {
                    Some(e.clone())
                }
            }
        };
        let Some(new_entry) = new_entry else { continue };
        if e.key != "contact" {
            changes.keys.push(e.key.to_string());
        }
        expected.insert(Value::String(e.key.to_string()), new_entry.value.clone());
        match span(e.key) {
            Some((s, end)) => edits.push((s, end, new_entry.text)),
            None => {
                let at = insertion_point(e.key, &starts, &span, lines.len());
                edits.push((at, at, new_entry.text));
            }
        }
    }
    if edits.is_empty() {
        return Ok((None, changes));
    }
    // Bottom-up, so earlier line numbers stay right; insertions at one
    // place keep the SPEC's order.
    edits.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
    let mut i = 0;
    while i < edits.len() {
        let mut j = i;
        while j + 1 < edits.len()
            && edits[j + 1].0 == edits[i].0
            && edits[j + 1].1 == edits[i].1
            && edits[i].0 == edits[i].1
        {
            j += 1;
        }
        // Insertions at the same point: in SPEC order (the sort is stable,
        // so edits[i..=j] are in entry order).
        let mut block = String::new();
        for e in &edits[i..=j] {
            block.push_str(&e.2);
        }
        let (s, end) = (edits[i].0, edits[i].1);
        let new_lines: Vec<String> = block.lines().map(str::to_string).collect();
        lines.splice(s..end, new_lines);
        i = j + 1;
    }
    let mut out = lines.join("\n");
    out.push('\n');
    // The result must read as the old profile with exactly these changes.
    match yaml::parse(&out) {
        Ok(Value::Mapping(m))
            if m.len() == expected.len()
                && m.iter().all(|(k, v)| {
                    expected.get(k).is_some_and(|x| x == v || same(&scalar_text(k).unwrap_or_default(), x, v))
                }) => {}
        _ => return Err("the existing profile's layout is unusual; it was not changed".into()),
    }
    if crlf {
        out = out.replace('\n', "\r\n");
    }
    Ok((Some(out), changes))
}

/// Whether a line still carries the importer's `# guessed:` comment: an
/// editor who checked the value deletes the comment, and from then on a
/// guess never replaces it.
fn still_guessed(line: &str) -> bool {
    line.contains("  # guessed: ")
}

/// The line where a key the profile lacks goes: after the nearest key
/// before it in the SPEC's order, else before the first key.
fn insertion_point(
    key: &str,
    starts: &[(usize, String)],
    span: &dyn Fn(&str) -> Option<(usize, usize)>,
    len: usize,
) -> usize {
    let pos = PROFILE_ORDER.iter().position(|k| *k == key).unwrap_or(PROFILE_ORDER.len());
    for k in PROFILE_ORDER[..pos].iter().rev() {
        if let Some((_, end)) = span(k) {
            return end;
        }
    }
    starts.first().map_or(len, |(l, _)| *l)
}

fn sort_known(key: &str, names: &mut [String]) {
    let rank = |n: &String| -> usize {
        if key == "certifications" {
            Certification::parse(n).map_or(usize::MAX, |c| c as usize)
        } else {
            Market::parse(n).map_or(usize::MAX, |m| m as usize)
        }
    };
    names.sort_by_key(rank);
}

/// The contact block after an update: the profile's fields, with the
/// sheet's values replacing those that differ (unless guessed) and added
/// where missing. `None` when nothing changes.
fn merge_contact(
    old: &Mapping,
    e: &Entry,
    rec: &Record,
    guessed_lines: &[String],
    changes: &mut Changes,
) -> Result<Option<Entry>, String> {
    let new: Vec<(&str, &Option<Val<String>>)> = vec![
        ("phone", &rec.phone),
        ("whatsapp", &rec.whatsapp),
        ("email", &rec.email),
        ("website", &rec.website),
        ("instagram", &rec.instagram),
    ];
    let mut fields: Vec<(String, String, Option<String>)> = Vec::new();
    for (k, v) in old {
        let Some(k) = scalar_text(k) else { return Err("`contact` has a key that is not text".into()) };
        let Some(text) = scalar_text(v) else { continue };
        fields.push((k, text, None));
    }
    let mut changed = false;
    for (k, v) in new {
        let Some(v) = v else { continue };
        match fields.iter_mut().find(|(fk, ..)| fk == k) {
            Some(f) => {
                let unconfirmed = guessed_lines.iter().any(|l| l.trim_start().starts_with(&format!("{k}:")));
                if !same(k, &Value::String(f.1.clone()), &Value::String(v.v.clone())) {
                    if v.guess.is_some() && !unconfirmed {
                        changes.kept.push(format!("contact.{k}"));
                    } else {
                        f.1 = v.v.clone();
                        changed = true;
                        changes.keys.push(format!("contact.{k}"));
                    }
                }
            }
            None => {
                fields.push((k.to_string(), v.v.clone(), v.guess.clone()));
                changed = true;
                changes.keys.push(format!("contact.{k}"));
            }
        }
    }
    if !changed {
        return Ok(None);
    }
    // The profile's own fields keep their order; new ones follow in SPEC order.
    let known = old.len();
    fields[known..].sort_by_key(|(k, ..)| CONTACT_ORDER.iter().position(|x| x == k).unwrap_or(usize::MAX));
    let mut text = String::from("contact:\n");
    let mut map = Mapping::new();
    for (k, v, g) in &fields {
        line(&mut text, "  ", k, &yaml::scalar(v), g.as_deref());
        map.insert(Value::String(k.clone()), Value::String(v.clone()));
    }
    Ok(Some(Entry { key: "contact", text, guessed: e.guessed, value: Value::Mapping(map) }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::Pos;
    use crate::model::{District, Scale, Sector};

    fn rec() -> Record {
        let at = Pos { row: 1, col: 1 };
        Record {
            rows: vec![1],
            name: Some(Val { v: "CV Rasa: Cireundeu #1".into(), at, guess: None }),
            sector: Some(Val { v: Sector::MakananMinuman, at, guess: None }),
            scale: Some(Val { v: Scale::Kecil, at, guess: Some("no scale".into()) }),
            district: Some(Val { v: District::CimahiSelatan, at, guess: None }),
            summary: Some(Val { v: "yes".into(), at, guess: Some("made up".into()) }),
            founded: Some(Val { v: 2015, at, guess: None }),
            whatsapp: Some(Val { v: "+6281234567890".into(), at, guess: None }),
            certifications: vec![Certification::Pirt, Certification::Halal],
            ..Record::default()
        }
    }

    #[test]
    fn new_profile_reads_back() {
        let text = profile_text(&rec(), "register.xlsx");
        let v = yaml::parse(&text).unwrap();
        assert_eq!(v.get("name").and_then(Value::as_str), Some("CV Rasa: Cireundeu #1"));
        assert_eq!(v.get("summary").and_then(Value::as_str), Some("yes"));
        assert_eq!(v["contact"]["whatsapp"].as_str(), Some("+6281234567890"));
        assert!(text.contains("scale: kecil  # guessed: no scale\n"), "{text}");
        assert!(text.contains("certifications: [pirt, halal]\n"), "{text}");
    }

    #[test]
    fn update_keeps_editors_lines() {
        let existing = "# Edited by hand\nname: \"CV Rasa: Cireundeu #1\"\nsector: makanan-minuman\nscale: menengah   # we checked\ndistrict: Cimahi Selatan\n\n# what we sell\nsummary: Rasi terbaik\noffers: [rasi]\ncontact:\n  instagram: rasa\ncertifications: [sni]\n";
        let mut r = rec();
        r.founded = Some(Val { v: 2016, at: Pos { row: 1, col: 1 }, guess: None });
        let (out, changes) = update_profile(existing, &r).unwrap();
        let out = out.unwrap();
        assert_eq!(
            out,
            "# Edited by hand\nname: \"CV Rasa: Cireundeu #1\"\nsector: makanan-minuman\nscale: menengah   # we checked\ndistrict: Cimahi Selatan\n\n# what we sell\nsummary: Rasi terbaik\nfounded: 2016\noffers: [rasi]\ncontact:\n  instagram: rasa\n  whatsapp: \"+6281234567890\"\ncertifications: [pirt, halal, sni]\n"
        );
        assert_eq!(changes.keys, ["founded", "contact.whatsapp", "certifications"]);
        assert_eq!(changes.kept, ["scale", "summary"]);
        // Updating again changes nothing.
        let (again, _) = update_profile(&out, &r).unwrap();
        assert_eq!(again, None);
    }

    #[test]
    fn unconfirmed_guesses_follow_the_sheet() {
        let existing = "name: A\nscale: menengah  # guessed: from 25 workers\nsummary: Kue  # guessed: made\n";
        let (out, changes) = update_profile(existing, &rec()).unwrap();
        let out = out.unwrap();
        assert!(out.contains("scale: kecil  # guessed: no scale\n"), "{out}");
        assert!(out.contains("summary: \"yes\"  # guessed: made up\n"), "{out}");
        assert!(changes.kept.is_empty());
    }

    #[test]
    fn institutions_get_no_sector_or_scale() {
        let existing = "name: A\nkind: bank\ndistrict: Cimahi Selatan\n";
        let (out, _) = update_profile(existing, &rec()).unwrap();
        let out = out.unwrap();
        assert!(!out.contains("sector") && !out.contains("scale") && out.contains("kind: bank"), "{out}");
    }

    #[test]
    fn update_refuses_odd_layouts() {
        assert!(update_profile("{name: x}\n", &rec()).is_err());
        assert!(update_profile("- a\n", &rec()).is_err());
        assert!(update_profile("name: [\n", &rec()).is_err());
    }

    #[test]
    fn crlf_is_kept() {
        let (out, _) = update_profile("name: A\r\nsector: tekstil\r\n", &rec()).unwrap();
        let out = out.unwrap();
        assert!(out.contains("\r\n") && !out.replace("\r\n", "").contains('\n'), "{out:?}");
    }
}
