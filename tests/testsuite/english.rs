//! The English edition: `/en/…` with English UI strings, translations
//! where content has them, the Indonesian text marked where it has not,
//! `hreflang` links and a language switcher.

use crate::support::{PRODUCT, PROFILE, TestSite};

fn bilingual() -> TestSite {
    TestSite::new()
        .write("site.yaml", "title: Katalog Uji\nbase_url: https://uji.example\nlanguages: [id, en]\n")
        .firm(
            "rasa",
            &format!(
                "{PROFILE}name_en: Cireundeu Cassava Co.\nsummary_en: Cassava rice and cassava snacks from Cireundeu\n"
            ),
        )
        .write("content/firms/rasa/index.md", "Rasi dibuat dari singkong.\n")
        .write("content/firms/rasa/index.en.md", "Rasi is made from cassava.\n")
        .product("rasa", "rasi", PRODUCT)
        .product("rasa", "rasi.en", "---\nname: Cassava rice\n---\nCassava rice, sold by the kilo.\n")
        .firm("lain", &PROFILE.replace("CV Rasa Cireundeu", "Usaha Lain"))
}

#[test]
fn english_pages_use_translations_and_english_strings() {
    let site = bilingual();
    site.build().success();
    let en = site.read("public/en/usaha/rasa/index.html");
    assert!(en.contains("<html lang=\"en\""), "English edition language");
    assert!(en.contains("Cireundeu Cassava Co."), "name_en used");
    assert!(en.contains("Cassava rice and cassava snacks from Cireundeu"), "summary_en used");
    assert!(en.contains("Rasi is made from cassava."), "index.en.md used");
    assert!(en.contains("Suggested partners") || en.contains("suggested partners"), "English UI strings");
    assert!(!en.contains("This text has not been translated yet"), "fully translated: no fallback note");
    let product = site.read("public/en/usaha/rasa/produk/rasi/index.html");
    assert!(product.contains("Cassava rice") && product.contains("sold by the kilo"));
    assert!(product.contains("Rp 15,000"), "English number format");
    // The Indonesian edition is untouched by translations.
    let id = site.read("public/usaha/rasa/index.html");
    assert!(
        id.contains("<html lang=\"id\"")
            && id.contains("CV Rasa Cireundeu")
            && id.contains("Rasi dibuat dari singkong.")
    );
}

#[test]
fn missing_translations_fall_back_to_indonesian_marked_as_such() {
    let site = bilingual();
    site.build().success();
    let en = site.read("public/en/usaha/lain/index.html");
    assert!(en.contains("Usaha Lain"), "Indonesian name stands in");
    assert!(en.contains("This text has not been translated yet and is shown in Indonesian."), "fallback is marked");
}

/// A product translated by its description alone (`<slug>.en.md` with no
/// front matter) keeps its Indonesian name, which is no untranslated text:
/// no note. One with nothing translated is marked once; one with only its
/// name translated is marked at the description (QA, 2026-12-04).
#[test]
fn a_product_translated_by_its_description_is_not_marked_untranslated() {
    let note = "This text has not been translated yet";
    let site = bilingual()
        .product("rasa", "tape", &PRODUCT.replace("Rasi (Beras Singkong)", "Tape Singkong"))
        .product("rasa", "tape.en", "Fermented cassava, sweet and soft.\n")
        .product("rasa", "opak", &PRODUCT.replace("Rasi (Beras Singkong)", "Opak"))
        .product("rasa", "kiripik", &PRODUCT.replace("Rasi (Beras Singkong)", "Keripik"))
        .product("rasa", "kiripik.en", "---\nname: Cassava chips\n---\n");
    site.build().success();
    let tape = site.read("public/en/usaha/rasa/produk/tape/index.html");
    assert!(tape.contains("Fermented cassava, sweet and soft.") && tape.contains("Tape Singkong"));
    assert!(!tape.contains(note), "only the name is Indonesian");
    let opak = site.read("public/en/usaha/rasa/produk/opak/index.html");
    assert_eq!(opak.matches(note).count(), 1, "nothing translated: marked once");
    let chips = site.read("public/en/usaha/rasa/produk/kiripik/index.html");
    assert!(
        chips.contains("Cassava chips") && chips.contains("Rasi dari singkong pilihan."),
        "Indonesian text stands in"
    );
    assert_eq!(chips.matches(note).count(), 1, "the description is Indonesian: marked");
}

#[test]
fn editions_link_to_each_other() {
    let site = bilingual();
    site.build().success();
    let id = site.read("public/usaha/rasa/index.html");
    assert!(id.contains("hreflang=\"en\" href=\"https://uji.example/en/usaha/rasa/\""), "hreflang to English");
    assert!(id.contains("hreflang=\"x-default\""));
    assert!(id.contains("href=\"/en/usaha/rasa/\""), "language switcher");
    let en = site.read("public/en/usaha/rasa/index.html");
    assert!(en.contains("hreflang=\"id\" href=\"https://uji.example/usaha/rasa/\""));
    // Every page exists in both editions; shared files stay at the root.
    for p in [
        "index.html",
        "usaha/index.html",
        "usaha/rasa/mitra/index.html",
        "sektor/makanan-minuman/index.html",
        "cari/index.html",
        "404.html",
    ] {
        assert!(site.exists(&format!("public/{p}")) && site.exists(&format!("public/en/{p}")), "{p}");
    }
    assert!(!site.exists("public/en/style.css") && site.exists("public/style.css"));
    let sitemap = site.read("public/sitemap.xml");
    assert!(sitemap.contains("<loc>https://uji.example/en/usaha/rasa/</loc>"));
}

#[test]
fn english_as_the_main_language() {
    let site = bilingual()
        .write("site.yaml", "title: Katalog Uji\nbase_url: https://uji.example\nlanguage: en\nlanguages: [en, id]\n");
    site.build().success();
    assert!(site.read("public/usaha/rasa/index.html").contains("<html lang=\"en\""));
    assert!(site.read("public/id/usaha/rasa/index.html").contains("<html lang=\"id\""));
}

#[test]
fn an_industry_of_any_scale_is_not_labelled_large() {
    // `kind: industry` may be kecil (SPEC §3): its kind label must not say "large".
    let industry = PROFILE.replace("name: CV Rasa Cireundeu", "name: Konveksi Kecil\nkind: industry");
    let site = bilingual().firm("konveksi", &industry);
    site.build().success();
    for (prefix, wrong, kind, scale) in
        [("", "Industri besar", "Industri", "Industri kecil"), ("en/", "Large industry", "Industry", "Small industry")]
    {
        for page in ["index.html", "profil/index.html"] {
            let html = site.read(&format!("public/{prefix}usaha/konveksi/{page}"));
            assert!(!html.contains(wrong), "{prefix}{page}: a small industry labelled {wrong}");
            assert!(html.contains(&format!("<dd>{kind}</dd>")), "{prefix}{page}: kind label {kind}");
            assert!(html.contains(scale), "{prefix}{page}: scale {scale}");
        }
        let proposal = site.read(&format!("public/{prefix}usaha/konveksi/proposal/index.html"));
        assert!(!proposal.contains(wrong), "{prefix}proposal: a small industry labelled {wrong}");
    }
}
