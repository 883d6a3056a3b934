//! `gotong schema`: JSON Schemas (draft 2020-12) of the content files, for
//! editors' tools (SPEC 12), written from the field definitions the
//! validator reads through ([`crate::fields`]), so the two cannot drift.
//!
//! How gotong reads a value decides its schema:
//! - a text field accepts a number written without quotes (YAML reads
//!   `name: 1945` as a number) as its text, and numbers whose text passes
//!   the field's format ([`Format::numbers`]);
//! - a required text must hold something other than spaces; an optional
//!   field may be empty (`key:`) or blank, which counts as missing;
//! - a list of texts may be written as one text, a list of one;
//! - every mapping refuses unknown keys (`additionalProperties: false`).
//!
//! Each description is Indonesian, then English; `x-description` holds
//! them apart (`{"id": …, "en": …}`) for tools that show one language.
//! The schemas do not depend on the site: the same gotong writes the same
//! bytes.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use crate::fields::{About, Choice, Field, FileType, Format, Max, Root, Rule, Ty, WHITE_SPACE};
use crate::model::{District, Kind};
use crate::source::Need;

/// The JSON Schema dialect.
pub const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// How the schemas of one run are written.
#[derive(Debug, Clone, Copy, Default)]
pub struct Settings {
    /// Adds the year as the upper bound of fields bounded by "this year"
    /// (left out of written schemas, which would otherwise change every
    /// January; the agreement tests set it).
    pub this_year: Option<i32>,
}

/// Where a value sits: what gotong does with blanks and single items there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum At {
    /// The value of a field read as text (trimmed; blank is missing).
    Field(Need),
    /// An item of a list read as text (blank is an error).
    Item,
    /// A lone value standing for a list of one.
    Single,
    /// An item of a pair: strings only.
    PairItem,
}

fn nonblank() -> String {
    format!("[^{WHITE_SPACE}]")
}

fn blank() -> String {
    format!("^[{WHITE_SPACE}]*$")
}

fn described(mut v: Value, about: &About) -> Value {
    if let Value::Object(m) = &mut v {
        m.insert("description".into(), Value::String(format!("{}\n\n{}", about.id, about.en)));
        m.insert("x-description".into(), json!({"id": about.id, "en": about.en}));
    }
    v
}

/// `v`, or nothing (`key:`).
fn or_null(v: Value) -> Value {
    match v {
        Value::Object(mut m) => {
            if let Some(Value::Array(list)) = m.get_mut("anyOf") {
                list.push(json!({"type": "null"}));
                return Value::Object(m);
            }
            if let Some(Value::Array(list)) = m.get_mut("enum") {
                list.push(Value::Null);
                return Value::Object(m);
            }
            if !m.contains_key("const") {
                match m.get_mut("type") {
                    Some(Value::String(t)) => {
                        let t = std::mem::take(t);
                        m.insert("type".into(), json!([t, "null"]));
                        return Value::Object(m);
                    }
                    Some(Value::Array(types)) => {
                        types.push("null".into());
                        return Value::Object(m);
                    }
                    _ => {}
                }
            }
            json!({"anyOf": [Value::Object(m), {"type": "null"}]})
        }
        other => json!({"anyOf": [other, {"type": "null"}]}),
    }
}

/// `v`, or nothing, or blank text (both mean "missing" for an optional
/// field read as text).
fn or_missing(v: Value) -> Value {
    let with_null = or_null(v);
    match with_null {
        Value::Object(mut m) if m.contains_key("anyOf") => {
            if let Some(Value::Array(list)) = m.get_mut("anyOf") {
                list.push(json!({"type": "string", "pattern": blank()}));
            }
            Value::Object(m)
        }
        other => json!({"anyOf": [other, {"type": "string", "pattern": blank()}]}),
    }
}

/// A pattern matching `names` in any ASCII letter case.
fn any_case(names: &[&str]) -> String {
    let alts: Vec<String> = names
        .iter()
        .map(|n| {
            n.chars()
                .map(|c| {
                    if c.is_ascii_alphabetic() {
                        format!("[{}{}]", c.to_ascii_lowercase(), c.to_ascii_uppercase())
                    } else if c.is_ascii_alphanumeric() || c == ' ' || c == '-' {
                        c.to_string()
                    } else {
                        format!("\\u{:04x}", c as u32)
                    }
                })
                .collect()
        })
        .collect();
    format!("^(?:{})$", alts.join("|"))
}

fn choice(c: Choice) -> Value {
    let values: Vec<Value> = c.accepted().into_iter().map(Value::from).collect();
    if c.any_case() {
        // The enum gives editors completion; the pattern accepts the
        // other letter cases gotong accepts.
        json!({"anyOf": [{"enum": values}, {"type": "string", "pattern": any_case(&c.accepted())}]})
    } else {
        json!({"enum": values})
    }
}

fn numbers(f: Format) -> Vec<Value> {
    f.numbers().iter().map(|&(a, b)| json!({"type": "integer", "minimum": a as i64, "maximum": clamp(b)})).collect()
}

fn clamp(b: i128) -> Value {
    if b > i128::from(i64::MAX) { json!(b as u64) } else { json!(b as i64) }
}

fn format(f: Format, at: At) -> Value {
    let required = matches!(at, At::Field(Need::Required) | At::Item);
    let pattern = match f.pattern() {
        p if p.is_empty() && required => nonblank(),
        p => p,
    };
    let text =
        if pattern.is_empty() { json!({"type": "string"}) } else { json!({"type": "string", "pattern": pattern}) };
    let nums = if at == At::PairItem || f == Format::TargetUrl { Vec::new() } else { numbers(f) };
    if nums.is_empty() {
        text
    } else {
        let mut all = vec![text];
        all.extend(nums);
        json!({"anyOf": all})
    }
}

fn text_value(max: Option<usize>, line: bool, at: At) -> Value {
    text_refusing(max, line, false, at)
}

/// A text value; `line` refuses a line break inside it, `semicolon` a `;`
/// anywhere (a tag).
fn text_refusing(max: Option<usize>, line: bool, semicolon: bool, at: At) -> Value {
    let mut m = Map::new();
    m.insert("type".into(), json!(if at == At::PairItem { json!("string") } else { json!(["string", "number"]) }));
    if matches!(at, At::Field(Need::Required) | At::Item | At::PairItem) {
        m.insert("pattern".into(), nonblank().into());
    }
    if let Some(n) = max {
        m.insert("maxLength".into(), n.into());
    }
    let mut refused = Vec::new();
    if line {
        // A line break between two characters that are not white space
        // (the text is trimmed before it is read).
        let ws = crate::fields::WHITE_SPACE;
        let breaks = "\\n\\r\\u2028\\u2029";
        refused.push(format!("[^{ws}][\\s\\S]*[{breaks}][\\s\\S]*[^{ws}]"));
    }
    if semicolon {
        refused.push(";".to_string());
    }
    if !refused.is_empty() {
        m.insert("not".into(), json!({"type": "string", "pattern": refused.join("|")}));
    }
    Value::Object(m)
}

fn value(ty: &Ty, at: At, s: Settings) -> Value {
    match *ty {
        Ty::Text { max, line } => text_value(max, line, at),
        // Read as text, without a line break or a `;`.
        Ty::Format(Format::Tag) => text_refusing(None, true, true, at),
        Ty::Format(f) => format(f, at),
        Ty::Int { min, max } => {
            let mut m = json!({"type": "integer", "minimum": min});
            let top = match max {
                Max::Fixed(n) => Some(n),
                Max::ThisYear => s.this_year.map(i64::from),
            };
            if let Some(n) = top {
                m["maximum"] = n.into();
            }
            m
        }
        Ty::Bool => json!({"type": "boolean"}),
        Ty::Choice(c) => choice(c),
        Ty::List { item, single, min } => {
            let item_at = match item {
                Ty::Object(_) | Ty::Pair(_) => At::Field(Need::Required),
                _ => At::Item,
            };
            let mut list = json!({"type": "array", "items": value(item, item_at, s)});
            if min > 0 {
                list["minItems"] = min.into();
            }
            if single { json!({"anyOf": [list, value(item, At::Single, s)]}) } else { list }
        }
        Ty::Pair(item) => {
            json!({"type": "array", "minItems": 2, "maxItems": 2, "items": value(item, At::PairItem, s)})
        }
        Ty::Object(fields) => object(fields, s),
        Ty::Either(all) => json!({"anyOf": all.iter().map(|t| value(t, at, s)).collect::<Vec<_>>()}),
        Ty::Word(w) => json!({"const": w}),
    }
}

/// Whether gotong reads a field of this type as text (so that blank
/// means missing).
fn read_as_text(ty: &Ty) -> bool {
    matches!(ty, Ty::Text { .. } | Ty::Format(_) | Ty::Choice(_))
}

fn property(f: &Field, s: Settings) -> Value {
    let v = value(&f.ty, At::Field(f.need), s);
    let v = match f.need {
        Need::Required => v,
        Need::Optional if read_as_text(&f.ty) => or_missing(v),
        Need::Optional => or_null(v),
    };
    described(v, &f.about)
}

fn object(fields: &[Field], s: Settings) -> Value {
    let mut props = Map::new();
    for f in fields {
        props.insert(f.key.into(), property(f, s));
    }
    let required: Vec<&str> = fields.iter().filter(|f| f.need == Need::Required).map(|f| f.key).collect();
    let mut m = json!({"type": "object", "properties": props, "additionalProperties": false});
    if !required.is_empty() {
        m["required"] = json!(required);
    }
    m
}

fn rule(r: Rule) -> Vec<Value> {
    // Present: neither nothing nor blank text.
    let present = json!({"not": {"anyOf": [{"type": "null"}, {"type": "string", "pattern": blank()}]}});
    let missing = json!({"anyOf": [{"type": "null"}, {"type": "string", "pattern": blank()}]});
    match r {
        Rule::IndustryFields => {
            let institutions: Vec<&str> = Kind::ALL.iter().filter(|k| !k.is_industry()).map(|k| k.as_str()).collect();
            vec![json!({
                "if": {"properties": {"kind": {"enum": institutions}}, "required": ["kind"]},
                "else": {
                    "required": ["sector", "scale"],
                    "properties": {"sector": present, "scale": present}
                }
            })]
        }
        Rule::IkmNotBesar => vec![json!({
            "if": {"properties": {"kind": {"anyOf": [{"const": Kind::Ikm.as_str()}, missing]}}},
            "then": {"properties": {"scale": {"not": {"const": crate::model::Scale::Besar.as_str()}}}}
        })],
        Rule::SubdistrictInDistrict => District::ALL
            .iter()
            .map(|d| {
                json!({
                    "if": {"properties": {"district": {"enum": [d.name(), d.as_str()]}}, "required": ["district"]},
                    "then": {"properties": {"subdistrict": {"anyOf": [
                        {"type": "null"},
                        {"type": "string", "pattern": blank()},
                        {"type": "string", "pattern": any_case(d.subdistricts())}
                    ]}}}
                })
            })
            .collect(),
    }
}

/// The schema of one file type.
pub fn schema(t: &FileType, s: Settings) -> Value {
    let mut root = match t.root {
        Root::Fields { fields, empty_ok } => {
            let mut o = object(fields, s);
            if empty_ok {
                o["type"] = json!(["object", "null"]);
            }
            o
        }
        Root::SlugMap(fields) => json!({
            "type": ["object", "null"],
            "propertyNames": {"pattern": Format::Slug.pattern()},
            "additionalProperties": object(fields, s),
        }),
    };
    root["$schema"] = DIALECT.into();
    root["title"] = format!("gotong: {}", t.files).into();
    let rules: Vec<Value> = t.rules.iter().flat_map(|r| rule(*r)).collect();
    if !rules.is_empty() {
        root["allOf"] = Value::Array(rules);
    }
    let root = described(root, &t.about);
    let mut m = match root {
        Value::Object(m) => m,
        other => return other,
    };
    if !t.unexpressed.is_empty() {
        m.insert(
            "x-checked-by-gotong-only".into(),
            t.unexpressed.iter().map(|a| json!({"id": a.id, "en": a.en})).collect::<Vec<_>>().into(),
        );
    }
    Value::Object(m)
}

/// The text of a schema file: pretty JSON and a final newline.
pub fn text(t: &FileType, s: Settings) -> String {
    let mut out = serde_json::to_string_pretty(&schema(t, s)).unwrap_or_default();
    out.push('\n');
    out
}

/// The default folder: `<root>/.gotong/schema`.
pub fn default_dir(root: &Path) -> PathBuf {
    root.join(".gotong").join("schema")
}

/// The path from `file` (relative to the site root) to a schema in the
/// default folder, for a `# yaml-language-server: $schema=` line.
pub fn relative_to(file: &str, schema_name: &str) -> String {
    let depth = file.matches('/').count();
    format!("{}.gotong/schema/{schema_name}.schema.json", "../".repeat(depth))
}

/// [`write_all`] into the site's own schema folder ([`default_dir`]),
/// refused when a part of it is a symbolic link.
pub fn write_default(root: &Path) -> std::io::Result<Vec<(PathBuf, bool)>> {
    let dir = default_dir(root);
    crate::output::check_no_links(root, &dir)?;
    write_all(&dir)
}

/// Writes every schema into `dir` (created if needed); files that already
/// hold the same bytes are left alone. Returns each file and whether it
/// was written.
pub fn write_all(dir: &Path) -> std::io::Result<Vec<(PathBuf, bool)>> {
    std::fs::create_dir_all(dir)?;
    let mut out = Vec::new();
    for t in crate::fields::FILE_TYPES {
        let path = dir.join(t.schema_file());
        let text = text(t, Settings::default());
        // A link is never read or written through: it is replaced.
        let same = crate::cache::is_plain_file(&path) && std::fs::read(&path).is_ok_and(|b| b == text.as_bytes());
        if !same {
            // Through a temporary file and a rename: an editor never reads
            // half a schema.
            crate::cache::write_atomic(&path, text.as_bytes())?;
        }
        out.push((path, !same));
    }
    Ok(out)
}

/// A YAML value as JSON, the way a schema validator sees the file: keys
/// as their text, numbers as numbers. `None` for what JSON cannot hold (a
/// number that is not finite).
pub fn json_of_yaml(v: &crate::yaml::Value) -> Option<Value> {
    use crate::yaml::Value as Y;
    Some(match v {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(*b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                json!(i)
            } else if let Some(u) = n.as_u64() {
                json!(u)
            } else {
                Value::Number(serde_json::Number::from_f64(n.as_f64()?)?)
            }
        }
        Y::String(s) => Value::String(s.clone()),
        Y::Sequence(items) => Value::Array(items.iter().map(json_of_yaml).collect::<Option<_>>()?),
        Y::Mapping(m) => {
            let mut out = Map::new();
            for (k, v) in m {
                out.insert(crate::source::scalar_text(k).unwrap_or_default(), json_of_yaml(v)?);
            }
            Value::Object(out)
        }
        Y::Tagged(t) => json!({ t.tag.to_string(): json_of_yaml(&t.value)? }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_schema_is_deterministic_and_described() {
        for t in crate::fields::FILE_TYPES {
            let a = text(t, Settings::default());
            assert_eq!(a, text(t, Settings::default()));
            let v: Value = serde_json::from_str(&a).unwrap();
            assert_eq!(v["$schema"], DIALECT);
            assert!(v["description"].as_str().is_some_and(|d| d.contains("\n\n")));
        }
        assert_eq!(
            relative_to("content/firms/a/profile.yaml", "profile"),
            "../../../.gotong/schema/profile.schema.json"
        );
        assert_eq!(relative_to("site.yaml", "site"), ".gotong/schema/site.schema.json");
    }

    #[test]
    fn any_case_patterns() {
        let re = regex::Regex::new(&any_case(&["Cigugur Tengah", "Baros"])).unwrap();
        assert!(re.is_match("cigugur TENGAH") && re.is_match("Baros") && !re.is_match("Baross"));
    }
}
