//! No input may panic the validator: random and mutated YAML, Markdown
//! and file names go through every reader.

use std::collections::BTreeSet;

use gotong::load::{RawDoc, RawFirm};
use gotong::source::SourceFile;
use gotong::{config, markdown, validate, vocabulary, yaml};
use proptest::prelude::*;

const PROFILE: &str = "name: CV Rasa\nsector: makanan-minuman\nscale: kecil\ndistrict: Cimahi Selatan\nsubdistrict: Leuwigajah\nsummary: Rasi\ncontact:\n  email: a@b.co\n  whatsapp: \"+628123\"\noffers: [rasi]\nneeds: [kemasan]\nprice: {min: 1, max: 2}\nlogo: logo.png\n";

fn firm(profile: &str, product: &str) -> RawFirm {
    let mut products = std::collections::BTreeMap::new();
    products.insert(
        "p".to_string(),
        RawDoc { main: Some(SourceFile::new("content/firms/f/products/p.md", product)), ..RawDoc::default() },
    );
    RawFirm {
        slug: "f".into(),
        profile: Some(SourceFile::new("content/firms/f/profile.yaml", profile)),
        description: RawDoc { main: Some(SourceFile::new("content/firms/f/index.md", product)), ..RawDoc::default() },
        products,
        assets: BTreeSet::from(["logo.png".to_string()]),
        diags: Vec::new(),
    }
}

fn run_all(text: &str) {
    let _ = yaml::parse(text);
    let _ = yaml::locate(text, &[yaml::Seg::Key("a".into()), yaml::Seg::Index(0)], yaml::Target::Value);
    let _ = config::parse(&SourceFile::new("site.yaml", text));
    let (vocab, _) = vocabulary::parse(&SourceFile::new("content/vocabulary.yaml", text));
    let _ = markdown::render(text, "/usaha/f/");
    let opts = validate::Options {
        root: std::path::Path::new("/nonexistent"),
        drafts: false,
        today: gotong::model::Date { year: 2026, month: 12, day: 1 },
        base_url: None,
    };
    let _ = validate::validate_firm(&firm(text, text), &vocab, "", &opts);
    let _ = validate::validate_firm(&firm(PROFILE, &format!("---\n{text}\n---\n{text}")), &vocab, "", &opts);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn random_text_never_panics(text in "\\\\PC{0,300}") {
        run_all(&text);
    }

    #[test]
    fn mutated_profiles_never_panic(cut in 0usize..400, insert in "[\\\\[\\\\]{}:,'\"&*!|>#\\\\-\\\\n @%\\\\t]{0,6}") {
        let mut text = PROFILE.to_string();
        let at = text.char_indices().map(|(i, _)| i).nth(cut % PROFILE.chars().count()).unwrap_or(0);
        text.insert_str(at, &insert);
        run_all(&text);
    }
}
