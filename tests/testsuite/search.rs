//! The search records: one per firm and language, its products in meta.

use crate::support::{PROFILE, TestSite};

const PRODUCT_WITH_MATERIALS: &str = "---
name: Tepung Mocaf\tHalus
category: makanan-pokok
price: {min: 10000, max: 20000}
unit: kg
materials: [singkong]
tags: [gluten free]
certifications: [halal]
---
Tepung dari singkong.
";

fn records(site: &TestSite) -> Vec<gotong::search::Record> {
    let c = gotong::build::compile(&gotong::build::Options::new(site.root()), gotong::images::Mode::Make)
        .unwrap_or_else(|_| panic!("the fixture compiles"));
    gotong::search::records(&c.site, &c.theme)
}

#[test]
fn each_firm_is_one_record_listing_its_products() {
    let site = TestSite::new()
        .firm("rasa", &format!("{PROFILE}certifications: [pirt]\n"))
        .product("rasa", "rasi", crate::support::PRODUCT)
        .product("rasa", "mocaf", PRODUCT_WITH_MATERIALS)
        .firm("kosong", &PROFILE.replace("CV Rasa Cireundeu", "CV Tanpa Produk"));
    let recs = records(&site);
    let urls: Vec<&str> = recs.iter().map(|r| r.url.as_str()).collect();
    assert_eq!(urls, ["/usaha/kosong/", "/usaha/rasa/"], "one record per firm, none per product");

    let rasa = &recs[1];
    // Lines in the firm's product order (by slug), six tab-separated
    // fields; the tab in the product name became a space.
    let lines: Vec<Vec<&str>> = rasa.meta["products"].lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    let mocaf = lines.iter().find(|l| l[0] == "mocaf").expect("mocaf line");
    assert_eq!(mocaf.len(), 6, "{mocaf:?}");
    assert_eq!(mocaf[1], "Tepung Mocaf Halus");
    assert_eq!(mocaf[2], "Makanan pokok");
    assert!(mocaf[3].starts_with("Rp 10.000") && mocaf[3].contains("20.000"), "{mocaf:?}");
    assert_eq!(mocaf[4], "halal,pirt", "the product's and the firm's certifications");
    assert!(mocaf[5].contains("Singkong") && mocaf[5].contains("gluten free"), "{mocaf:?}");
    // Product names, categories and materials are searchable through the firm.
    for word in ["Mocaf", "Rasi", "Makanan pokok", "Singkong", "gluten free"] {
        assert!(rasa.content.contains(word), "{word} missing from {:?}", rasa.content);
    }
    assert_eq!(rasa.filters["jenis"], ["usaha", "produk"]);
    assert_eq!(rasa.filters["sertifikasi"], ["halal", "pirt"]);

    let kosong = &recs[0];
    assert!(!kosong.meta.contains_key("products"));
    assert_eq!(kosong.filters["jenis"], ["usaha"], "a firm without products is not found under jenis=produk");
    assert!(!kosong.filters.contains_key("sertifikasi"));
}
