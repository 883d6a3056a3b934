//! UI strings and locale formatting (rupiah, dates, lists).
//!
//! Strings come from the theme's `i18n/<lang>.yaml`. A key missing in one
//! language falls back to Indonesian, then to the key itself, so a theme
//! that forgets a string shows something readable instead of failing.

use std::collections::{BTreeMap, HashMap};

use crate::model::{Date, Lang};
use crate::yaml::{Mapping, Value};

/// The UI strings of one language, with Indonesian underneath.
#[derive(Debug, Clone)]
pub struct Strings {
    /// This language.
    pub lang: Lang,
    /// The merged mapping (this language over Indonesian).
    pub tree: Value,
    /// Every string of `tree` by its dotted key: a page looks up dozens of
    /// strings, a proposal page hundreds.
    flat: HashMap<String, String>,
}

/// Adds the string leaves under `v` to `out`, by dotted key.
fn flatten(prefix: &str, v: &Value, out: &mut HashMap<String, String>) {
    match v {
        Value::Mapping(m) => {
            for (k, v) in m {
                if let Some(k) = k.as_str() {
                    let key = if prefix.is_empty() { k.to_string() } else { format!("{prefix}.{k}") };
                    flatten(&key, v, out);
                }
            }
        }
        Value::String(s) if !prefix.is_empty() => {
            out.insert(prefix.to_string(), s.clone());
        }
        _ => {}
    }
}

fn merge(base: &Value, over: &Value) -> Value {
    match (base, over) {
        (Value::Mapping(b), Value::Mapping(o)) => {
            let mut out = Mapping::new();
            for (k, v) in b {
                let merged = match o.get(k) {
                    Some(ov) => merge(v, ov),
                    None => v.clone(),
                };
                out.insert(k.clone(), merged);
            }
            for (k, v) in o {
                if !b.contains_key(k) {
                    out.insert(k.clone(), v.clone());
                }
            }
            Value::Mapping(out)
        }
        (_, o) => o.clone(),
    }
}

impl Strings {
    /// The strings of `lang` from the theme's files.
    pub fn new(lang: Lang, files: &BTreeMap<Lang, Value>) -> Self {
        let empty = Value::Mapping(Mapping::new());
        let base = files.get(&Lang::Id).unwrap_or(&empty);
        let tree = match files.get(&lang) {
            Some(own) if lang != Lang::Id => merge(base, own),
            _ => base.clone(),
        };
        let mut flat = HashMap::new();
        flatten("", &tree, &mut flat);
        Strings { lang, tree, flat }
    }

    /// The string at a dotted key (`sector.tekstil`), or `None`.
    pub fn lookup(&self, key: &str) -> Option<&str> {
        self.flat.get(key).map(String::as_str)
    }

    /// The string at a dotted key, or the key itself.
    pub fn get(&self, key: &str) -> String {
        self.lookup(key).unwrap_or(key).to_string()
    }

    /// Fills `{name}` placeholders.
    pub fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut s = self.get(key);
        for (name, value) in args {
            s = s.replace(&format!("{{{name}}}"), value);
        }
        s
    }

    /// "a, b dan c" / "a, b and c".
    pub fn join<S: AsRef<str>>(&self, items: &[S]) -> String {
        match items {
            [] => String::new(),
            [one] => one.as_ref().to_string(),
            [init @ .., last] => {
                let and = self.lookup("list_and").unwrap_or(match self.lang {
                    Lang::Id => "dan",
                    Lang::En => "and",
                });
                let init: Vec<&str> = init.iter().map(AsRef::as_ref).collect();
                format!("{} {and} {}", init.join(", "), last.as_ref())
            }
        }
    }

    /// A price: `Rp 15.000` (Indonesian) or `Rp 15,000` (English).
    pub fn rupiah(&self, amount: u64) -> String {
        let sep = match self.lang {
            Lang::Id => '.',
            Lang::En => ',',
        };
        let digits = amount.to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 3);
        out.push_str("Rp ");
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(sep);
            }
            out.push(c);
        }
        out
    }

    /// A date in words: `1 Oktober 2026` / `1 October 2026`.
    pub fn date(&self, d: Date) -> String {
        const ID: [&str; 12] = [
            "Januari",
            "Februari",
            "Maret",
            "April",
            "Mei",
            "Juni",
            "Juli",
            "Agustus",
            "September",
            "Oktober",
            "November",
            "Desember",
        ];
        const EN: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let idx = (d.month.clamp(1, 12) - 1) as usize;
        let month = match self.lang {
            Lang::Id => ID[idx],
            Lang::En => EN[idx],
        };
        format!("{} {month} {}", d.day, d.year)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(lang: Lang) -> Strings {
        let mut files = BTreeMap::new();
        files.insert(Lang::Id, crate::yaml::parse("a: A\nb:\n  c: C {x}\nlist_and: dan\n").unwrap());
        files.insert(Lang::En, crate::yaml::parse("a: A-en\nlist_and: and\n").unwrap());
        Strings::new(lang, &files)
    }

    #[test]
    fn fallback_and_fill() {
        let en = strings(Lang::En);
        assert_eq!(en.get("a"), "A-en");
        assert_eq!(en.get("b.c"), "C {x}");
        assert_eq!(en.fill("b.c", &[("x", "1")]), "C 1");
        assert_eq!(en.get("nope"), "nope");
    }

    #[test]
    fn formats() {
        let id = strings(Lang::Id);
        assert_eq!(id.rupiah(15000), "Rp 15.000");
        assert_eq!(id.rupiah(1_250_000), "Rp 1.250.000");
        assert_eq!(id.rupiah(500), "Rp 500");
        assert_eq!(strings(Lang::En).rupiah(15000), "Rp 15,000");
        assert_eq!(id.date(Date { year: 2026, month: 10, day: 1 }), "1 Oktober 2026");
        assert_eq!(id.join(&["a", "b", "c"]), "a, b dan c");
    }
}
