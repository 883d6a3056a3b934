//! The JSON Schemas of `gotong schema` agree with the validator: over the
//! sample catalogue, the fixtures, a generated catalogue and random
//! mutations of profiles, products, events and site.yaml, a file passes
//! the schema (checked by the independent `jsonschema` crate) exactly when
//! gotong reports no error in it, for every rule a schema expresses.
//! Mutations leave alone the fields whose other rules a schema cannot
//! express (docs/editors.md lists them): images that must exist, slugs
//! that must name firms, sessions that must not overlap…

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use gotong::diagnostics::{Diagnostic, Severity};
use gotong::fields::{self, Choice, Field, FileType, Format, Max, Ty};
use gotong::model::Date;
use gotong::schema::{self, Settings};
use gotong::source::SourceFile;
use gotong::yaml::{Mapping, Value};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::Value as Json;

/// The build day of these tests, and so the upper bound of `founded`.
const TODAY: Date = Date { year: 2026, month: 12, day: 1 };

fn validator(t: &FileType) -> jsonschema::Validator {
    let s = schema::schema(t, Settings { this_year: Some(TODAY.year) });
    assert!(jsonschema::meta::is_valid(&s), "{}: not a valid JSON Schema", t.name);
    jsonschema::draft202012::new(&s).unwrap_or_else(|e| panic!("{}: {e}", t.name))
}

fn errors(diags: Vec<Diagnostic>) -> Vec<String> {
    diags
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{}: {}", d.location(), d.message))
        .collect()
}

/// gotong's errors in one file of this type (YAML text; a product's front
/// matter without its fences).
fn gotong_errors(t: &FileType, yaml: &str) -> Vec<String> {
    let opts_root = std::env::temp_dir();
    let opts = gotong::validate::Options { root: &opts_root, drafts: true, today: TODAY, base_url: None };
    let vocab = gotong::vocabulary::Vocabulary::default();
    match t.name {
        "site" => errors(gotong::config::parse(&SourceFile::new("site.yaml", yaml)).1),
        "vocabulary" => errors(gotong::vocabulary::parse(&SourceFile::new("content/vocabulary.yaml", yaml)).1),
        "event" => {
            let raw = gotong::load::RawEvent {
                file: Some(SourceFile::new("content/events/uji.yaml", yaml)),
                ..Default::default()
            };
            errors(gotong::events::read("uji", &raw).diags)
        }
        "profile" => {
            let raw = gotong::load::RawFirm {
                slug: "uji".into(),
                profile: Some(SourceFile::new("content/firms/uji/profile.yaml", yaml)),
                ..Default::default()
            };
            errors(gotong::validate::validate_firm(&raw, &vocab, "", &opts).1)
        }
        "product" => {
            let path = "content/firms/uji/products/p.md";
            let mut raw = gotong::load::RawFirm {
                slug: "uji".into(),
                profile: Some(SourceFile::new("content/firms/uji/profile.yaml", crate::support::PROFILE)),
                ..Default::default()
            };
            let text = format!("---\n{yaml}---\nIsi.\n");
            raw.products.insert(
                "p".into(),
                gotong::load::RawDoc { main: Some(SourceFile::new(path, &text)), ..Default::default() },
            );
            errors(gotong::validate::validate_firm(&raw, &vocab, "", &opts).1)
        }
        other => panic!("no validator for {other}"),
    }
}

/// The file as a schema validator sees it (`None` when YAML does not parse).
fn as_json(yaml: &str) -> Option<Json> {
    schema::json_of_yaml(&gotong::yaml::parse(yaml).ok()?)
}

#[track_caller]
fn assert_agree(t: &FileType, v: &jsonschema::Validator, yaml: &str, expect_valid: Option<bool>) {
    let ours = gotong_errors(t, yaml);
    let Some(json) = as_json(yaml) else {
        assert!(!ours.is_empty(), "{}: gotong accepts YAML that does not parse:\n{yaml}", t.name);
        return;
    };
    let theirs: Vec<String> = v.iter_errors(&json).map(|e| format!("{}: {e}", e.instance_path())).collect();
    assert_eq!(
        theirs.is_empty(),
        ours.is_empty(),
        "{}: the schema and gotong disagree on\n{yaml}\nschema: {theirs:#?}\ngotong: {ours:#?}",
        t.name
    );
    if let Some(valid) = expect_valid {
        assert_eq!(ours.is_empty(), valid, "{}:\n{yaml}\n{ours:#?}", t.name);
    }
}

fn file_type(name: &str) -> &'static FileType {
    fields::FILE_TYPES.iter().find(|t| t.name == name).unwrap()
}

/// The YAML of a product file's front matter.
fn front_matter(text: &str) -> String {
    let file = SourceFile::new("p.md", text);
    file.split_front_matter().yaml.unwrap_or_default().to_string()
}

/// Every content file under `root`, by file type.
fn content_files(root: &Path) -> Vec<(&'static str, PathBuf, String)> {
    let mut out = Vec::new();
    let read = |p: &Path| std::fs::read_to_string(p).unwrap();
    if root.join("site.yaml").is_file() {
        out.push(("site", root.join("site.yaml"), read(&root.join("site.yaml"))));
    }
    if root.join("content/vocabulary.yaml").is_file() {
        out.push(("vocabulary", root.join("content/vocabulary.yaml"), read(&root.join("content/vocabulary.yaml"))));
    }
    for e in walkdir::WalkDir::new(root.join("content")).sort_by_file_name().into_iter().filter_map(Result::ok) {
        let p = e.path();
        let rel = p.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if rel.starts_with("content/events/") && name.ends_with(".yaml") {
            out.push(("event", p.to_path_buf(), read(p)));
        } else if rel.starts_with("content/firms/") && name == "profile.yaml" {
            out.push(("profile", p.to_path_buf(), read(p)));
        } else if rel.contains("/products/") && name.ends_with(".md") && name.matches('.').count() == 1 {
            out.push(("product", p.to_path_buf(), front_matter(&read(p))));
        }
    }
    out
}

fn check_all_valid(root: &Path) -> BTreeMap<&'static str, usize> {
    let validators: BTreeMap<&str, jsonschema::Validator> =
        fields::FILE_TYPES.iter().map(|t| (t.name, validator(t))).collect();
    let mut counts = BTreeMap::new();
    for (kind, path, yaml) in content_files(root) {
        let t = file_type(kind);
        let v = &validators[kind];
        let json = as_json(&yaml).unwrap_or_else(|| panic!("{}: not YAML", path.display()));
        let theirs: Vec<String> = v.iter_errors(&json).map(|e| format!("{}: {e}", e.instance_path())).collect();
        assert!(theirs.is_empty(), "{} fails its schema: {theirs:#?}", path.display());
        // Images must exist beside the file (not a schema's rule, and
        // not there in this one-file check).
        let mut m = match gotong::yaml::parse(&yaml).unwrap() {
            Value::Mapping(m) => m,
            other => panic!("{}: {other:?}", path.display()),
        };
        for k in ["logo", "photos", "images"] {
            m.remove(k);
        }
        let ours = gotong_errors(t, &gotong::yaml::to_string(&Value::Mapping(m)));
        assert!(ours.is_empty(), "{}: {ours:#?}", path.display());
        *counts.entry(kind).or_insert(0) += 1;
    }
    counts
}

#[test]
fn the_sample_catalogue_passes_every_schema() {
    let counts = check_all_valid(Path::new(env!("CARGO_MANIFEST_DIR")));
    assert_eq!(counts.get("site"), Some(&1));
    assert_eq!(counts.get("vocabulary"), Some(&1));
    assert!(counts.get("event").is_some_and(|&n| n >= 1), "{counts:?}");
    assert!(counts.get("profile").is_some_and(|&n| n >= 20), "{counts:?}");
    assert!(counts.get("product").is_some_and(|&n| n >= 20), "{counts:?}");
}

#[test]
fn fixtures_and_a_generated_catalogue_pass_every_schema() {
    let tmp = tempfile::tempdir().unwrap();
    crate::generate::catalogue(tmp.path(), 40, 7);
    let counts = check_all_valid(tmp.path());
    assert!(counts.get("profile").is_some_and(|&n| n >= 40), "{counts:?}");
    for (kind, yaml) in [
        ("profile", crate::support::PROFILE.to_string()),
        ("product", front_matter(crate::support::PRODUCT)),
        ("vocabulary", crate::support::VOCABULARY.to_string()),
    ] {
        let t = file_type(kind);
        assert_agree(t, &validator(t), &yaml, Some(true));
    }
}

/// The schemas in the repository are what `gotong schema` writes now.
#[test]
fn committed_schemas_are_up_to_date() {
    let dir = schema::default_dir(Path::new(env!("CARGO_MANIFEST_DIR")));
    for t in fields::FILE_TYPES {
        let path = dir.join(t.schema_file());
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            on_disk == schema::text(t, Settings::default()),
            "{} is out of date: run `cargo run -- schema`",
            path.display()
        );
    }
}

/// docs/editors.md lists, in both languages, every rule the schemas
/// leave to gotong.
#[test]
fn the_docs_list_what_the_schemas_cannot_express() {
    let docs = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/editors.md")).unwrap();
    for t in fields::FILE_TYPES {
        for a in t.unexpressed {
            assert!(docs.contains(&format!("- {}\n", a.id)), "docs/editors.md does not list: {}", a.id);
            assert!(docs.contains(&format!("- {}\n", a.en)), "docs/editors.md does not list: {}", a.en);
        }
    }
}

#[test]
fn gotong_schema_writes_the_files_and_new_names_them() {
    let site = crate::support::TestSite::new().write("site.yaml", "title: T\nbase_url: https://x.example\n");
    let r = site.run(&["schema"]).success();
    assert_eq!(r.stdout.lines().count(), fields::FILE_TYPES.len(), "{}", r.stdout);
    for t in fields::FILE_TYPES {
        let text = site.read(&format!(".gotong/schema/{}", t.schema_file()));
        let v: Json = serde_json::from_str(&text).unwrap();
        assert_eq!(v["$schema"], "https://json-schema.org/draft/2020-12/schema");
    }
    // Unchanged: nothing is rewritten.
    let again = site.run(&["schema"]).success();
    assert_eq!(again.stdout, "");
    assert!(again.stderr.contains("0 written, 5 unchanged"), "{}", again.stderr);
    let out = tempfile::tempdir().unwrap();
    site.run(&["schema", "--out", &out.path().join("s").display().to_string()]).success();
    assert!(out.path().join("s/event.schema.json").is_file());

    site.run(&["new", "firm", "baru"]).success();
    let profile = site.read("content/firms/baru/profile.yaml");
    assert!(
        profile.starts_with("# yaml-language-server: $schema=../../../.gotong/schema/profile.schema.json\n"),
        "{profile}"
    );
    site.run(&["new", "product", "baru/kue"]).success();
    let product = site.read("content/firms/baru/products/kue.md");
    assert!(
        product.starts_with("---\n# yaml-language-server: $schema=../../../../.gotong/schema/product.schema.json\n"),
        "{product}"
    );
    // The template, filled in, passes both.
    let filled = profile
        .replace("\nname:\n", "\nname: Baru\n")
        .replace("\nsector:\n", "\nsector: tekstil\n")
        .replace("\nscale:\n", "\nscale: kecil\n")
        .replace("\ndistrict:\n", "\ndistrict: Cimahi Utara\n")
        .replace("\nsummary:\n", "\nsummary: Usaha baru\n");
    let t = file_type("profile");
    let v = validator(t);
    assert_agree(t, &v, &filled, Some(true));
    // Unfilled, both refuse it.
    assert_agree(t, &v, &profile, Some(false));
}

// ---------------------------------------------------------------------------
// Random mutations

/// Values near every rule of the definitions: every allowed value (and in
/// other letter cases), every range's edges, texts of every format that
/// pass and that fail, blanks, and values of the wrong type.
fn atoms() -> Vec<Value> {
    let mut out: Vec<Value> = vec![
        Value::Null,
        Value::Bool(true),
        Value::Bool(false),
        "".into(),
        "  ".into(),
        "teks bebas".into(),
        "Bad Slug".into(),
        "a--b".into(),
        "kemasan-plastik".into(),
        "rasa-cireundeu".into(),
        "2026-02-29".into(),
        "2024-02-29".into(),
        "2025-13-01".into(),
        "2025-6-1".into(),
        "09:00".into(),
        "24:00".into(),
        "halo@example.com".into(),
        "halo@example".into(),
        "https://example.com".into(),
        "ftp://example.com".into(),
        "+62 22 6612345".into(),
        "12345".into(),
        "+6281234567890".into(),
        "62+81234567".into(),
        "rasa.cireundeu".into(),
        "@rasa".into(),
        "public, max-age=300".into(),
        "é".repeat(160).into(),
        "é".repeat(161).into(),
        "a".repeat(31).into(),
        "all".into(),
        "ALL".into(),
    ];
    let mut ints: Vec<i64> = vec![0, 1, -1, 6_281_234_567_890, 99_999, 123_456];
    fn walk(fields: &[Field], atoms: &mut Vec<Value>, ints: &mut Vec<i64>) {
        for f in fields {
            let mut tys = vec![f.ty];
            while let Some(t) = tys.pop() {
                match t {
                    Ty::Int { min, max } => {
                        let top = match max {
                            Max::Fixed(n) => n,
                            Max::ThisYear => i64::from(TODAY.year),
                        };
                        ints.extend([min.saturating_sub(1), min, top, top.saturating_add(1)]);
                    }
                    Ty::Choice(c) => {
                        for v in c.accepted() {
                            atoms.push(v.into());
                            if c == Choice::Subdistrict {
                                atoms.push(v.to_lowercase().into());
                            }
                        }
                    }
                    Ty::Object(inner) => walk(inner, atoms, ints),
                    Ty::List { item, .. } | Ty::Pair(item) => tys.push(*item),
                    Ty::Either(all) => tys.extend(all.iter().copied()),
                    Ty::Word(w) => atoms.push(w.into()),
                    Ty::Format(Format::Slug) | Ty::Format(_) | Ty::Text { .. } | Ty::Bool => {}
                }
            }
        }
    }
    for t in fields::FILE_TYPES {
        walk(t.fields(), &mut out, &mut ints);
    }
    ints.sort();
    ints.dedup();
    out.extend(ints.into_iter().map(Value::from));
    out.push(Value::from(u64::MAX));
    out
}

/// A value built from atoms: an atom, a list of them, a pair, or a mapping.
fn value_strategy(atoms: std::sync::Arc<Vec<Value>>) -> impl Strategy<Value = Value> {
    let n = atoms.len();
    let a = atoms.clone();
    let atom = (0..n).prop_map(move |i| a[i].clone());
    let a2 = atoms.clone();
    let atom2 = (0..n).prop_map(move |i| a2[i].clone());
    let keys =
        prop_oneof![Just("min"), Just("max"), Just("start"), Just("end"), Just("sector"), Just("kind"), Just("x")];
    prop_oneof![
        6 => atom.clone(),
        3 => proptest::collection::vec(atom2.clone(), 0..3).prop_map(Value::Sequence),
        1 => proptest::collection::vec(proptest::collection::vec(atom2.clone(), 1..3).prop_map(Value::Sequence), 1..3)
            .prop_map(Value::Sequence),
        2 => proptest::collection::vec((keys, atom2), 1..3).prop_map(|kv| {
            Value::Mapping(kv.into_iter().map(|(k, v)| (Value::from(k), v)).collect::<Mapping>())
        }),
    ]
}

/// One change to a file.
#[derive(Debug, Clone)]
enum Change {
    /// Sets the field at this path (top-level key, then nested keys).
    Set(Vec<String>, Value),
    /// Removes it.
    Remove(Vec<String>),
}

/// Paths of the fields a mutation may touch: every field of the file type
/// and of its nested mappings, except `skip`, plus an unknown key at each level.
fn paths(fields: &[Field], skip: &[&str], prefix: Vec<String>, out: &mut Vec<(Vec<String>, Vec<Value>)>) {
    for f in fields {
        if skip.contains(&f.key) {
            continue;
        }
        let mut p = prefix.clone();
        p.push(f.key.to_string());
        if let Ty::Object(inner) = f.ty {
            paths(inner, skip, p.clone(), out);
        }
        out.push((p, own_atoms(&f.ty)));
    }
    let mut unknown = prefix;
    unknown.push("kolom_asing".into());
    out.push((unknown, vec!["x".into()]));
}

/// Values near the rules of one type: drawn half the time, so that every
/// field's own edges are met often.
fn own_atoms(ty: &Ty) -> Vec<Value> {
    let mut out: Vec<Value> = vec![Value::Null, "".into(), "  ".into()];
    match *ty {
        Ty::Text { max, line } => {
            out.extend(["x".into(), Value::from(7)]);
            if line {
                out.extend(["a\nb".into(), "a b\n".into(), "\n a".into(), "a\u{2028}b".into()]);
            }
            if let Some(n) = max {
                out.extend(["é".repeat(n).into(), "é".repeat(n + 1).into()]);
            }
        }
        Ty::Format(f) => {
            let samples: &[&str] = match f {
                Format::Slug => &["a-b", "A-b", "a--b", "-a"],
                Format::Date => &["2024-02-29", "2026-02-29", "2026-04-31", "2026-1-01"],
                Format::Time => &["09:00", "23:59", "24:00", "9:00"],
                Format::Email => &["a@b.id", "a@b", "a@@b.id", "a b@c.id"],
                Format::HttpUrl => &["https://a.id", "http://a.id/x", "https://", "ftp://a.id", "https://a b"],
                Format::Phone => &["+62 22 661", "022-6612345", "12345", "(022) x"],
                Format::Whatsapp => &["+6281234567", "0812 3456 7890", "62+812345678", "1234567"],
                Format::Instagram => &["rasa.id", "@rasa", "a b", "a_1"],
                Format::Tag => &["kain", "kain;benang", "kain\nbenang", "kain\n", " kain tenun "],
                _ => &["x"],
            };
            out.extend(samples.iter().map(|s| Value::from(*s)));
            out.extend([Value::from(123_456_789), Value::from(-12_345_678), Value::from(5)]);
        }
        Ty::Int { min, max } => {
            let top = match max {
                Max::Fixed(n) => n,
                Max::ThisYear => i64::from(TODAY.year),
            };
            out.extend([min.saturating_sub(1), min, top, top.saturating_add(1)].map(Value::from));
            out.push("12".into());
        }
        Ty::Bool => out.extend([true.into(), false.into(), "true".into()]),
        Ty::Choice(c) => {
            for v in c.accepted() {
                out.push(v.into());
                out.push(v.to_uppercase().into());
            }
            if c == Choice::Scale {
                // The rules between kind and scale.
                out.extend(["besar".into(), "besar".into()]);
            }
        }
        Ty::List { item, .. } => {
            let inner = own_atoms(item);
            out.extend(inner.iter().take(6).cloned());
            out.extend(inner.iter().map(|v| Value::Sequence(vec![v.clone()])));
            out.push(Value::Sequence(Vec::new()));
        }
        Ty::Pair(item) => {
            let inner = own_atoms(item);
            out.extend(inner.windows(2).map(|w| Value::Sequence(w.to_vec())));
        }
        Ty::Object(fields) => {
            for f in fields {
                for v in own_atoms(&f.ty).into_iter().take(4) {
                    let mut m = Mapping::new();
                    m.insert(f.key.into(), v);
                    out.push(Value::Mapping(m));
                }
            }
        }
        Ty::Either(all) => {
            for t in all {
                out.extend(own_atoms(t));
            }
        }
        Ty::Word(w) => out.extend([w.into(), w.to_uppercase().into()]),
    }
    out
}

fn apply(map: &mut Mapping, change: &Change) {
    let (path, value) = match change {
        Change::Set(p, v) => (p, Some(v.clone())),
        Change::Remove(p) => (p, None),
    };
    let mut m = map;
    for key in &path[..path.len() - 1] {
        let k = Value::from(key.as_str());
        if !matches!(m.get(&k), Some(Value::Mapping(_))) {
            m.insert(k.clone(), Value::Mapping(Mapping::new()));
        }
        let Some(Value::Mapping(inner)) = m.get_mut(&k) else { return };
        m = inner;
    }
    let last = Value::from(path[path.len() - 1].as_str());
    match value {
        Some(v) => {
            m.insert(last, v);
        }
        None => {
            m.remove(&last);
        }
    }
}

/// Runs `cases` random sets of changes on `base`. `beyond` tells a file
/// that breaks a rule no schema can express (such cases are skipped).
fn mutations(t: &'static FileType, base: &str, skip: &[&str], beyond: fn(&Mapping) -> bool, cases: u32) {
    let v = validator(t);
    let base: Mapping = match gotong::yaml::parse(base).unwrap() {
        Value::Mapping(m) => m,
        other => panic!("{other:?}"),
    };
    assert_agree(t, &v, &gotong::yaml::to_string(&Value::Mapping(base.clone())), Some(true));
    let mut all = Vec::new();
    paths(t.fields(), skip, Vec::new(), &mut all);
    let all = std::sync::Arc::new(all);
    let atoms = std::sync::Arc::new(atoms());
    let n = all.len();
    let a = all.clone();
    let set = (0..n, value_strategy(atoms), any::<bool>(), any::<usize>()).prop_map(move |(i, v, own, j)| {
        let (path, mine) = &a[i];
        let v = if own { mine[j % mine.len()].clone() } else { v };
        Change::Set(path.clone(), v)
    });
    let a = all.clone();
    let remove = (0..n).prop_map(move |i| Change::Remove(a[i].0.clone()));
    let changes = proptest::collection::vec(prop_oneof![4 => set, 1 => remove], 1..4);
    // A fixed seed: the share of valid and invalid cases below is a
    // property of the case set, which must not change from run to run (a
    // random seed gave 53 valid of 600 once, under the 10 % asked).
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        rng_seed: proptest::test_runner::RngSeed::Fixed(1),
        ..Config::default()
    });
    let (valid, invalid) = (std::cell::Cell::new(0u32), std::cell::Cell::new(0u32));
    let result = runner.run(&changes, |changes| {
        let mut m = base.clone();
        for c in &changes {
            apply(&mut m, c);
        }
        if beyond(&m) {
            return Ok(());
        }
        let yaml = gotong::yaml::to_string(&Value::Mapping(m));
        let ours = gotong_errors(t, &yaml);
        let json = as_json(&yaml).ok_or_else(|| TestCaseError::fail("not JSON"))?;
        let theirs: Vec<String> = v.iter_errors(&json).map(|e| format!("{}: {e}", e.instance_path())).collect();
        let count = if ours.is_empty() { &valid } else { &invalid };
        count.set(count.get() + 1);
        prop_assert_eq!(
            theirs.is_empty(),
            ours.is_empty(),
            "{}: disagree on\n{}\nschema: {:#?}\ngotong: {:#?}",
            t.name,
            yaml,
            theirs,
            ours
        );
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    // Both outcomes must be common, or the test proves little.
    let (valid, invalid) = (valid.get(), invalid.get());
    assert!(valid * 10 >= cases && invalid * 10 >= cases, "{}: {valid} valid, {invalid} invalid", t.name);
}

/// A profile with every field the mutations touch.
const FULL_PROFILE: &str = "name: CV Rasa Cireundeu
name_en: Rasa Cireundeu Ltd
kind: ikm
sector: makanan-minuman
scale: kecil
district: Cimahi Selatan
subdistrict: Leuwigajah
summary: Rasi dan olahan singkong khas Cireundeu
summary_en: Cassava rice from Cireundeu
address: Jl. Leuwigajah No. 1
founded: 2015
employees: 12
contact:
  phone: \"+62 22 6612345\"
  whatsapp: \"+6281234567890\"
  email: halo@example.com
  website: https://example.com
  instagram: rasacireundeu
certifications: [halal, pirt]
markets: [lokal, nasional]
offers: [rasi]
needs: [kemasan-plastik]
cooperation: [pemasok]
partners: [koperasi-cireundeu]
exclude_partners: []
updated: 2026-10-01
draft: false
";

#[test]
fn profiles_mutated_at_random() {
    // Images must exist (not in a schema).
    mutations(file_type("profile"), FULL_PROFILE, &["logo", "photos"], |_| false, 1500);
}

#[test]
fn products_mutated_at_random() {
    // price.max >= price.min and images that exist are not in a schema:
    // the price range is mutated as a whole only.
    let base = "name: Rasi\ncategory: makanan-pokok\nprice: 15000\nunit: kg\nmoq: 10\ncapacity: 500 kg/bulan\nmaterials: [singkong]\ntags: [tanpa-gluten]\ncertifications: [halal]\ndraft: false\n";
    let inverted = |m: &Mapping| {
        let price = m.get("price").and_then(Value::as_mapping);
        let int = |k: &str| price.and_then(|p| p.get(k)).and_then(Value::as_i64);
        matches!((int("min"), int("max")), (Some(a), Some(b)) if a > b)
    };
    mutations(file_type("product"), base, &["images"], inverted, 600);
}

#[test]
fn events_mutated_at_random() {
    // Sessions, caps and pairs have rules between items (not in a schema).
    let base = "name: Temu Usaha\nname_en: Business meeting\ndate: 2027-03-10\nvenue: Technopark\ndistrict: Cimahi Tengah\norganizer: dinas-kukmp-cimahi\nsessions:\n  - {start: \"09:00\", end: \"12:00\"}\nmeeting_minutes: 20\nbreak_minutes: 5\ntables: 12\nparticipants: all\ndraft: false\n";
    mutations(file_type("event"), base, &["sessions", "max_meetings_per_firm", "requests", "avoid"], |_| false, 600);
}

#[test]
fn site_yaml_mutated_at_random() {
    // Deploy targets and matchers have their own URL and regex rules.
    let base = "title: Katalog\nbase_url: https://ikm.example\ndescription: Direktori\nlanguage: id\nlanguages: [id, en]\ntheme: cimahi\npaginate: 24\nrepo_edit_url: https://example.com/edit/\npartners:\n  per_firm: 8\n";
    mutations(file_type("site"), base, &["deploy"], |_| false, 600);
}
