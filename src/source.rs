//! Source files and typed reading of their YAML fields.
//!
//! A [`Doc`] wraps one YAML text (a whole `.yaml` file or the front matter of
//! a Markdown file) and reads its fields into Rust values. Every problem
//! becomes a [`Diagnostic`] located at the offending key or value, and
//! reading goes on, so one run reports every mistake in a file.

use std::sync::Arc;

use crate::diagnostics::{Diagnostic, Severity};
use crate::yaml::{self, Mapping, Seg, Target, Value};

/// A text file of the site, as read from disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Path relative to the site root, `/`-separated.
    pub path: String,
    /// Contents: UTF-8, byte-order mark removed, line endings normalised to `\n`.
    pub text: Arc<str>,
}

impl SourceFile {
    /// Wraps a text, normalising BOM and CRLF so that positions are counted
    /// the same way whatever editor saved the file.
    pub fn new(path: impl Into<String>, text: &str) -> Self {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let text: Arc<str> =
            if text.contains('\r') { text.replace("\r\n", "\n").replace('\r', "\n").into() } else { text.into() };
        SourceFile { path: path.into(), text }
    }

    /// Splits a Markdown file into front matter and body.
    pub fn split_front_matter(&self) -> FrontMatter<'_> {
        let text = &*self.text;
        // The opening fence is the first line, `---` and nothing else but
        // trailing spaces or tabs (as the closing one).
        let opening = text.split_once('\n').filter(|(first, _)| first.trim_end_matches([' ', '\t']) == "---");
        if let Some((_, rest)) = opening {
            // The closing fence is a line that is `---` (trailing spaces aside).
            let mut offset = 0;
            for line in rest.split_inclusive('\n') {
                if line.trim_end() == "---" {
                    let yaml = &rest[..offset];
                    let body = &rest[offset + line.len()..];
                    let body_line = 1 + text[..text.len() - body.len()].matches('\n').count();
                    return FrontMatter { yaml: Some(yaml), yaml_line: 2, body, body_line, unclosed: false };
                }
                offset += line.len();
            }
            return FrontMatter { yaml: None, yaml_line: 2, body: text, body_line: 1, unclosed: true };
        }
        FrontMatter { yaml: None, yaml_line: 1, body: text, body_line: 1, unclosed: false }
    }
}

/// Whether `c` may not appear in content: a control character other than
/// tab and line feed (a terminal escape, NUL, a form feed), or a
/// bidirectional embedding, override or isolate (U+202A–U+202E,
/// U+2066–U+2069), which silently reorders the text around it on the page,
/// in a calendar or a spreadsheet ("Trojan Source"). The marks U+200E,
/// U+200F and U+061C, which only give a direction, are allowed. The
/// noncharacters (U+FDD0–U+FDEF and the last two code points of every
/// plane, U+FFFE and U+FFFF among them) are refused too: XML cannot hold
/// them, so a Word file would drop what the page shows.
pub fn is_forbidden_char(c: char) -> bool {
    (c.is_control() && c != '\t' && c != '\n')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{fdd0}'..='\u{fdef}')
        || u32::from(c) & 0xfffe == 0xfffe
}

/// Whether `s` shows anything: a character other than white space and
/// the invisible ones (zero-width spaces and joiners, direction marks,
/// the word joiner, the soft hyphen, a byte-order mark). A name made of
/// those alone is an empty heading and a link without text.
pub fn has_visible(s: &str) -> bool {
    s.chars().any(|c| {
        !c.is_whitespace()
            && !matches!(c, '\u{ad}' | '\u{61c}' | '\u{180e}' | '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{feff}')
    })
}

/// What a forbidden character is and why it is refused, for a message.
fn forbidden_what(c: char) -> (String, &'static str) {
    let name = match c {
        '\u{202a}' => "left-to-right embedding",
        '\u{202b}' => "right-to-left embedding",
        '\u{202c}' => "pop directional formatting",
        '\u{202d}' => "left-to-right override",
        '\u{202e}' => "right-to-left override",
        '\u{2066}' => "left-to-right isolate",
        '\u{2067}' => "right-to-left isolate",
        '\u{2068}' => "first strong isolate",
        '\u{2069}' => "pop directional isolate",
        _ if !c.is_control() => {
            let what = format!("the noncharacter U+{:04X}", u32::from(c));
            return (what, "it is no text: XML, and so the Word file, cannot hold it");
        }
        _ => {
            let what = format!("the control character U+{:04X}", u32::from(c));
            return (what, "it can hide or rewrite text in a terminal, a calendar or a spreadsheet");
        }
    };
    let what = format!("the bidirectional control U+{:04X} ({name})", u32::from(c));
    (what, "it silently reorders the text shown around it")
}

/// At most this many forbidden characters are reported per file.
const MAX_FORBIDDEN_REPORTS: usize = 5;

/// Reports every forbidden character (see [`is_forbidden_char`]) written
/// in `file`, each at its line and column; after
/// [`MAX_FORBIDDEN_REPORTS`], one line says how many more there are.
pub fn check_characters(file: &SourceFile) -> Vec<Diagnostic> {
    let text = &*file.text;
    if !text.chars().any(is_forbidden_char) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut more = 0usize;
    for (i, line) in text.split('\n').enumerate() {
        for (col, c) in line.chars().enumerate().filter(|(_, c)| is_forbidden_char(*c)) {
            if out.len() == MAX_FORBIDDEN_REPORTS {
                more += 1;
                continue;
            }
            let (what, why) = forbidden_what(c);
            let msg = format!("{what} is not allowed in content ({why}): remove it");
            out.push(Diagnostic::error(&file.path, msg).at(text, i + 1, col + 1));
        }
    }
    if more > 0 {
        out.push(Diagnostic::error(&file.path, format!("{more} more such characters in this file")));
    }
    out
}

/// The parts of a Markdown file.
#[derive(Debug, Clone, Copy)]
pub struct FrontMatter<'a> {
    /// The YAML between the `---` fences, if any.
    pub yaml: Option<&'a str>,
    /// Line of the file where the YAML starts.
    pub yaml_line: usize,
    /// The Markdown after the front matter.
    pub body: &'a str,
    /// Line of the file where the body starts.
    pub body_line: usize,
    /// The file opens a front matter that never closes.
    pub unclosed: bool,
}

/// A YAML mapping and where it sits in the document.
#[derive(Debug, Clone, Copy)]
pub struct Obj<'v> {
    /// The mapping.
    pub map: &'v Mapping,
    /// Steps from the document root.
    pub path: &'v [Seg],
}

/// Whether a field must be present.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Missing is an error.
    Required,
    /// Missing is fine.
    Optional,
}

/// One YAML text being read, with the problems found so far.
pub struct Doc<'a> {
    file: &'a SourceFile,
    yaml: &'a str,
    first_line: usize,
    /// Where every node stands, read once when a position is first asked
    /// for (reading the text again per position was quadratic in the
    /// number of values placed).
    positions: std::cell::OnceCell<yaml::Positions>,
    /// Problems found while reading.
    pub diags: Vec<Diagnostic>,
}

impl<'a> Doc<'a> {
    /// Reads the whole file as YAML.
    pub fn whole(file: &'a SourceFile) -> Self {
        Doc { file, yaml: &file.text, first_line: 1, positions: Default::default(), diags: Vec::new() }
    }

    /// Reads `yaml`, a part of `file` starting at line `first_line`.
    pub fn part(file: &'a SourceFile, yaml: &'a str, first_line: usize) -> Self {
        Doc { file, yaml, first_line, positions: Default::default(), diags: Vec::new() }
    }

    /// The file being read.
    pub fn file(&self) -> &'a SourceFile {
        self.file
    }

    /// Parses the YAML; a syntax error is reported and gives `None`.
    pub fn parse(&mut self) -> Option<Value> {
        match yaml::parse(self.yaml) {
            Ok(v) => Some(v),
            // YAML refuses control characters too: each is reported where
            // it stands instead, which says more than the parser's "at
            // position 23" (the same reports as the loader's, which the
            // sorted report keeps once).
            Err(_) if self.yaml.chars().any(|c| c.is_control() && is_forbidden_char(c)) => {
                self.diags.extend(check_characters(self.file));
                None
            }
            Err(e) => {
                let pos = e.position.map(|(l, c)| (l + self.first_line - 1, c));
                let mut d = Diagnostic::error(&self.file.path, format!("invalid YAML: {}", e.message))
                    .at_opt(&self.file.text, pos);
                // A file that sets a credential (which site.yaml refuses) may
                // hold the secret on the line shown, or near it: no line.
                if self.yaml.lines().any(sets_credential) {
                    d.source_line = None;
                }
                self.diags.push(d);
                None
            }
        }
    }

    /// Position of a node in the file (1-based).
    pub fn position(&self, path: &[Seg], target: Target) -> Option<(usize, usize)> {
        let positions = self.positions.get_or_init(|| yaml::Positions::of(self.yaml));
        positions.get(path, target).map(|(l, c)| (l + self.first_line - 1, c))
    }

    /// Reports a problem at a node.
    pub fn report(&mut self, severity: Severity, path: &[Seg], target: Target, msg: impl Into<String>) {
        let pos = self.position(path, target).or_else(|| self.position(&[], Target::Value));
        let d = match severity {
            Severity::Error => Diagnostic::error(&self.file.path, msg),
            Severity::Warning => Diagnostic::warning(&self.file.path, msg),
        };
        self.diags.push(d.at_opt(&self.file.text, pos.or(Some((self.first_line, 1)))));
    }

    /// Reports an error at the value at `path`.
    pub fn error(&mut self, path: &[Seg], msg: impl Into<String>) {
        self.report(Severity::Error, path, Target::Value, msg);
    }

    /// Reports a warning at the value at `path`.
    pub fn warning(&mut self, path: &[Seg], msg: impl Into<String>) {
        self.report(Severity::Warning, path, Target::Value, msg);
    }

    /// The document as a mapping of fields. An empty document is an empty
    /// mapping; anything else is an error.
    pub fn root<'v>(&mut self, v: &'v Value, empty: &'v Mapping) -> Option<&'v Mapping> {
        match v {
            Value::Mapping(m) => Some(m),
            Value::Null => Some(empty),
            _ => {
                self.error(&[], format!("expected a mapping of fields (`key: value`), found {}", kind_of(v)));
                None
            }
        }
    }

    /// Reports every key of `obj` that is not in `allowed`, suggesting the
    /// nearest allowed key.
    pub fn check_keys(&mut self, obj: Obj<'_>, allowed: &[&str]) {
        for (index, key) in obj.map.keys().enumerate() {
            let name = scalar_text(key);
            if name.as_deref().is_some_and(|n| allowed.contains(&n)) {
                continue;
            }
            let msg = match &name {
                Some(name) => {
                    let hint = match nearest(name, allowed.iter().copied()) {
                        Some(s) => format!("; did you mean `{s}`?"),
                        None => String::new(),
                    };
                    format!("unknown field `{name}`{hint} (allowed: {})", allowed.join(", "))
                }
                None => {
                    let what = match key {
                        Value::Null => "empty (`~`, `null` or nothing before the `:`)".to_string(),
                        other => kind_of(other).to_string(),
                    };
                    format!("a key must be a field name, but this one is {what} (allowed: {})", allowed.join(", "))
                }
            };
            // By name; a key written otherwise than its value reads
            // (`~`, `? [a, b]`, `True`) by its place among the keys.
            let mut path = obj.path.to_vec();
            path.push(Seg::Key(name.unwrap_or_default()));
            let pos = self
                .position(&path, Target::Key)
                .or_else(|| self.position(obj.path, Target::KeyIndex(index)))
                .or_else(|| self.position(&[], Target::Value));
            let d = Diagnostic::error(&self.file.path, msg);
            self.diags.push(d.at_opt(&self.file.text, pos.or(Some((self.first_line, 1)))));
        }
    }

    /// Path of a field of `obj`.
    pub fn field_path(obj: Obj<'_>, key: &str) -> Vec<Seg> {
        let mut p = obj.path.to_vec();
        p.push(Seg::Key(key.to_string()));
        p
    }

    fn get<'v>(&mut self, obj: Obj<'v>, key: &str, need: Need) -> Option<&'v Value> {
        match obj.map.get(key) {
            Some(Value::Null) | None => {
                if need == Need::Required {
                    let msg = format!("missing required field `{key}`");
                    if obj.map.get(key).is_some() {
                        // `key:` with nothing after it: point at the key (an
                        // empty value has no position of its own).
                        self.report(Severity::Error, &Doc::field_path(obj, key), Target::Key, msg);
                    } else if obj.path.is_empty() {
                        // At the top of the document: point at its first line.
                        let d = Diagnostic::error(&self.file.path, msg).at(&self.file.text, self.first_line, 1);
                        self.diags.push(d);
                    } else {
                        // A mapping under a key: point at its key. A
                        // mapping in a list (a session, a deploy target)
                        // has no key: point at its first key, where the
                        // item starts.
                        let first = obj.map.keys().next().and_then(Value::as_str);
                        match (obj.path.last(), first) {
                            (Some(Seg::Index(_)), Some(k)) => {
                                self.report(Severity::Error, &Doc::field_path(obj, k), Target::Key, msg)
                            }
                            (Some(Seg::Index(_)), None) => self.report(Severity::Error, obj.path, Target::Value, msg),
                            _ => self.report(Severity::Error, obj.path, Target::Key, msg),
                        }
                    }
                }
                None
            }
            Some(v) => Some(v),
        }
    }

    /// A text field. Numbers are accepted as their text; empty or
    /// whitespace-only text counts as missing.
    pub fn string(&mut self, obj: Obj<'_>, key: &str, need: Need) -> Option<String> {
        let v = self.get(obj, key, need)?;
        match scalar_text(v) {
            Some(s) if matches!(v, Value::String(_) | Value::Number(_)) => {
                let s = s.trim().to_string();
                if !has_visible(&s) {
                    if need == Need::Required {
                        let msg = if s.is_empty() {
                            format!("`{key}` must not be empty")
                        } else {
                            format!("`{key}` must not be empty: it holds only invisible characters")
                        };
                        self.error(&Doc::field_path(obj, key), msg);
                    }
                    None
                } else {
                    self.check_escaped(&Doc::field_path(obj, key), key, &s);
                    Some(s)
                }
            }
            _ => {
                self.error(&Doc::field_path(obj, key), format!("`{key}` must be text, found {}", kind_of(v)));
                None
            }
        }
    }

    /// Reports a forbidden character (see [`is_forbidden_char`]) that a
    /// value holds only through an escape (`"\u202E"`): one written as
    /// itself was reported where it stands when the file was loaded.
    fn check_escaped(&mut self, path: &[Seg], key: &str, s: &str) {
        if let Some(c) = s.chars().find(|c| is_forbidden_char(*c))
            && !self.file.text.contains(c)
        {
            let (what, why) = forbidden_what(c);
            self.error(
                path,
                format!("`{key}` holds {what}, written as an escape, which is not allowed ({why}): remove it"),
            );
        }
    }

    /// A whole-number field within `range`.
    pub fn int(&mut self, obj: Obj<'_>, key: &str, need: Need, range: std::ops::RangeInclusive<i64>) -> Option<i64> {
        let v = self.get(obj, key, need)?;
        self.int_value(v, &Doc::field_path(obj, key), key, range)
    }

    /// Reads a whole number at `path`.
    pub fn int_value(
        &mut self,
        v: &Value,
        path: &[Seg],
        what: &str,
        range: std::ops::RangeInclusive<i64>,
    ) -> Option<i64> {
        // A number written with a zero fraction (`2015.0`, `1e3`, as
        // spreadsheets export them) is that whole number, as JSON Schema's
        // `integer` says, while it is exact in a float.
        let whole = v.as_i64().or_else(|| {
            let f = v.as_f64().filter(|f| f.is_finite() && f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0)?;
            Some(f as i64)
        });
        match whole {
            Some(n) if range.contains(&n) => Some(n),
            Some(n) => {
                self.error(path, format!("`{what}` must be between {} and {}, found {n}", range.start(), range.end()));
                None
            }
            // A number too wide for 64 bits, read as text (crate::yaml).
            None if matches!(v, Value::String(t) if t.len() > 18
                && t.trim_start_matches('-').chars().all(|c| c.is_ascii_digit())) =>
            {
                let (lo, hi) = (range.start(), range.end());
                let text = scalar_text(v).unwrap_or_default();
                self.error(path, format!("`{what}` must be between {lo} and {hi}, found {text}"));
                None
            }
            None => {
                let found = match (v, scalar_text(v)) {
                    // Too large for a whole number, or with a fraction.
                    (Value::Number(n), Some(text)) if n.as_f64().is_some_and(|f| f.is_finite() && f.fract() == 0.0) => {
                        let (lo, hi) = (range.start(), range.end());
                        self.error(path, format!("`{what}` must be between {lo} and {hi}, found {text}"));
                        return None;
                    }
                    (Value::Number(_), Some(text)) => text,
                    _ => kind_of(v).to_string(),
                };
                self.error(path, format!("`{what}` must be a whole number, found {found}"));
                None
            }
        }
    }

    /// A `true`/`false` field (missing is `false`).
    pub fn bool(&mut self, obj: Obj<'_>, key: &str) -> bool {
        match obj.map.get(key) {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(v) => {
                self.error(&Doc::field_path(obj, key), format!("`{key}` must be true or false, found {}", kind_of(v)));
                false
            }
        }
    }

    /// A field holding one of a closed set of values.
    pub fn choice<T>(
        &mut self,
        obj: Obj<'_>,
        key: &str,
        need: Need,
        parse: impl Fn(&str) -> Option<T>,
        allowed: &[&str],
    ) -> Option<T> {
        let s = self.string(obj, key, need)?;
        self.choice_value(&s, &Doc::field_path(obj, key), key, parse, allowed)
    }

    /// Checks one value against a closed set.
    pub fn choice_value<T>(
        &mut self,
        s: &str,
        path: &[Seg],
        what: &str,
        parse: impl Fn(&str) -> Option<T>,
        allowed: &[&str],
    ) -> Option<T> {
        if let Some(v) = parse(s) {
            return Some(v);
        }
        let hint = match nearest(s, allowed.iter().copied()) {
            Some(n) => format!("; did you mean `{n}`?"),
            None => String::new(),
        };
        self.error(path, format!("`{s}` is not a valid {what}{hint} (allowed: {})", allowed.join(", ")));
        None
    }

    /// A list of texts. A single text is accepted as a list of one. Each
    /// item comes with its path, for later errors about it.
    pub fn list(&mut self, obj: Obj<'_>, key: &str) -> Vec<(Vec<Seg>, String)> {
        let path = Doc::field_path(obj, key);
        match obj.map.get(key) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Sequence(items)) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    let mut p = path.clone();
                    p.push(Seg::Index(i));
                    match item {
                        Value::String(_) | Value::Number(_) => {
                            let s = scalar_text(item).unwrap_or_default().trim().to_string();
                            if !has_visible(&s) {
                                self.error(&p, format!("empty item in `{key}`"));
                            } else {
                                self.check_escaped(&p, key, &s);
                                out.push((p, s));
                            }
                        }
                        other => self.error(&p, format!("items of `{key}` must be text, found {}", kind_of(other))),
                    }
                }
                out
            }
            Some(v @ (Value::String(_) | Value::Number(_))) => {
                let s = scalar_text(v).unwrap_or_default().trim().to_string();
                self.check_escaped(&path, key, &s);
                vec![(path, s)]
            }
            Some(v) => {
                self.error(&path, format!("`{key}` must be a list, found {}", kind_of(v)));
                Vec::new()
            }
        }
    }

    /// A list of values from a closed set; duplicates are dropped, order kept.
    pub fn choice_list<T: PartialEq>(
        &mut self,
        obj: Obj<'_>,
        key: &str,
        parse: impl Fn(&str) -> Option<T>,
        allowed: &[&str],
        what: &str,
    ) -> Vec<T> {
        let mut out = Vec::new();
        for (path, s) in self.list(obj, key) {
            if let Some(v) = self.choice_value(&s, &path, what, &parse, allowed)
                && !out.contains(&v)
            {
                out.push(v);
            }
        }
        out
    }

    /// A nested mapping field.
    pub fn object<'v>(&mut self, obj: Obj<'v>, key: &str) -> Option<&'v Mapping> {
        match obj.map.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::Mapping(m)) => Some(m),
            Some(v) => {
                self.error(
                    &Doc::field_path(obj, key),
                    format!("`{key}` must be a mapping of fields, found {}", kind_of(v)),
                );
                None
            }
        }
    }
}

/// Finds a YAML field of a site file again, after validation (for problems
/// found later, such as an image that does not decode): reads the file,
/// looks in its front matter when it is Markdown. `None` when the file or
/// the field cannot be found.
pub fn locate_field(root: &std::path::Path, rel: &str, field: &[Seg]) -> Option<crate::model::Loc> {
    let text = std::fs::read_to_string(root.join(rel)).ok()?;
    let file = SourceFile::new(rel, &text);
    let (yaml, first) = if rel.ends_with(".md") {
        let fm = file.split_front_matter();
        (fm.yaml?, fm.yaml_line)
    } else {
        (&*file.text, 1)
    };
    let (line, column) = yaml::locate(yaml, field, Target::Value).map(|(l, c)| (l + first - 1, c))?;
    let source_line = file.text.lines().nth(line - 1).unwrap_or("").trim_end().to_string();
    Some(crate::model::Loc { line, column, source_line })
}

/// The text of a scalar (string, number or bool).
pub fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Describes a value's type for error messages.
pub fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

/// The candidate closest to `word`, if close enough to be a likely typo.
pub fn nearest<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(word, c);
        if best.is_none_or(|(b, bc)| score > b || (score == b && c < bc)) {
            best = Some((score, c));
        }
    }
    best.filter(|(s, _)| *s >= 0.8).map(|(_, c)| c)
}

/// Whether a key name looks like it holds a credential.
pub fn is_credential_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase().replace('-', "_");
    const WORDS: &[&str] = &[
        "secret",
        "password",
        "passwd",
        "token",
        "credential",
        "access_key",
        "accesskey",
        "account_key",
        "accountkey",
        "private_key",
        "api_key",
        "apikey",
    ];
    // `sig` is an Azure SAS signature, `…signature` an S3 pre-signed URL's.
    WORDS.iter().any(|w| k.contains(w))
        || k.contains("signature")
        || k == "sig"
        || k == "sas"
        || k.starts_with("sas_")
        || k == "key"
        || k.ends_with("_key_id")
}

/// Whether a YAML line sets a key that looks like a credential
/// (`secret_access_key: …`, `- token: …`).
pub fn sets_credential(line: &str) -> bool {
    let l = line.trim_start().trim_start_matches("- ");
    l.split_once(':').is_some_and(|(k, _)| is_credential_key(k.trim().trim_matches(['"', '\''])))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_split() {
        let f = SourceFile::new("p.md", "---\r\nname: a\r\n---\r\nbody\r\n");
        let fm = f.split_front_matter();
        assert_eq!(fm.yaml, Some("name: a\n"));
        assert_eq!(fm.body, "body\n");
        assert_eq!(fm.body_line, 4);
        // Trailing spaces after either fence, as editors leave them.
        let spaced = SourceFile::new("p.md", "--- \t\nname: a\n---  \nbody\n");
        let fm = spaced.split_front_matter();
        assert_eq!((fm.yaml, fm.body, fm.body_line, fm.unclosed), (Some("name: a\n"), "body\n", 4, false));
        assert!(SourceFile::new("p.md", "----\nname: a\n---\n").split_front_matter().yaml.is_none());
        let f2 = SourceFile::new("p.md", "---\nname: a\n");
        assert!(f2.split_front_matter().unclosed);
        let f3 = SourceFile::new("p.md", "\u{feff}# T\n");
        let none = f3.split_front_matter();
        assert_eq!(none.yaml, None);
        assert_eq!(none.body, "# T\n");
    }

    #[test]
    fn errors_point_at_fields() {
        let f = SourceFile::new("x.yaml", "name: 5\nkind: ikmx\nfoo: 1\nn: [1, {a: b}]\n");
        let mut doc = Doc::whole(&f);
        let v = doc.parse().unwrap();
        let empty = Mapping::new();
        let map = doc.root(&v, &empty).unwrap();
        let obj = Obj { map, path: &[] };
        doc.check_keys(obj, &["name", "kind", "n"]);
        assert_eq!(doc.string(obj, "name", Need::Required).as_deref(), Some("5"));
        let k = doc.choice(obj, "kind", Need::Required, |s| (s == "ikm").then_some(1), &["ikm"]);
        assert_eq!(k, None);
        let items = doc.list(obj, "n");
        assert_eq!(items.len(), 1);
        let msgs: Vec<String> = doc.diags.iter().map(|d| format!("{}: {}", d.location(), d.message)).collect();
        assert_eq!(
            msgs,
            [
                "x.yaml:3:1: unknown field `foo` (allowed: name, kind, n)",
                "x.yaml:2:7: `ikmx` is not a valid kind; did you mean `ikm`? (allowed: ikm)",
                "x.yaml:4:8: items of `n` must be text, found a mapping",
            ]
        );
    }
}
