//! Building fixture sites: pages at the SPEC's paths, escaping, the built-in
//! theme and overrides, pagination, drafts, open data.

use crate::support::{PRODUCT, PROFILE, TestSite, png};

#[test]
fn pages_are_written_at_spec_paths() {
    let site = TestSite::new()
        .firm("rasa", PROFILE)
        .product("rasa", "rasi", PRODUCT)
        .write("content/pages/tentang.md", "---\ntitle: Tentang\n---\nIsi halaman.\n")
        .write("content/_index.md", "---\ntitle: Beranda\n---\nData contoh.\n");
    site.build().success();
    for p in [
        "index.html",
        "404.html",
        "usaha/index.html",
        "usaha/rasa/index.html",
        "usaha/rasa/mitra/index.html",
        "usaha/rasa/produk/rasi/index.html",
        "sektor/index.html",
        "sektor/makanan-minuman/index.html",
        "sektor/tekstil/index.html",
        "kecamatan/cimahi-selatan/index.html",
        "kecamatan/cimahi-utara/index.html",
        "skala/kecil/index.html",
        "kategori/makanan-pokok/index.html",
        "cari/index.html",
        "tentang/index.html",
        "data/katalog.json",
        "data/katalog.csv",
        "style.css",
    ] {
        assert!(site.exists(&format!("public/{p}")), "missing public/{p}");
    }
    let product = site.read("public/usaha/rasa/produk/rasi/index.html");
    assert!(product.contains("Rp 15.000"), "price not shown as Rp 15.000");
    assert!(product.contains("application/ld+json"));
}

#[test]
fn hostile_fields_are_escaped_and_markdown_sanitised() {
    let profile = PROFILE
        .replace("name: CV Rasa Cireundeu", "name: \"<script>alert('nama')</script>\"")
        .replace("summary: Rasi dan olahan singkong khas Cireundeu", "summary: \"\\\"><img src=x onerror=alert(1)>\"");
    let site = TestSite::new()
        .firm("rasa", &profile)
        .write(
            "content/firms/rasa/index.md",
            "<script>alert(2)</script>\n\n[klik](javascript:alert(3)) <a href=\"vbscript:x\">v</a> <iframe src=\"https://jahat.example\"></iframe>\n\n<b onclick=\"alert(4)\">tebal</b>\n",
        )
        .product("rasa", "rasi", "---\nname: \"</title><script>alert(5)</script>\"\ncategory: makanan-pokok\n---\n");
    site.build().success();
    for page in [
        "public/usaha/rasa/index.html",
        "public/usaha/rasa/produk/rasi/index.html",
        "public/index.html",
        "public/usaha/index.html",
    ] {
        let html = site.read(page);
        assert!(!html.contains("<script>alert"), "{page}: unescaped script");
        assert!(!html.contains("<img src=x"), "{page}: unescaped summary");
        assert!(!html.contains("javascript:"), "{page}: javascript link");
        assert!(!html.contains("vbscript:"), "{page}");
        assert!(!html.contains("<iframe"), "{page}");
        assert!(!html.contains("onclick"), "{page}");
        assert!(!html.contains("onerror=alert(1)>"), "{page}");
    }
    let firm = site.read("public/usaha/rasa/index.html");
    assert!(
        firm.contains("&lt;script&gt;alert(&#x27;nama&#x27;)&lt;&#x2F;script&gt;")
            || firm.contains("&lt;script&gt;alert("),
        "name not escaped visibly"
    );
    assert!(firm.contains("<b>tebal</b>"), "harmless markup kept");
    // JSON-LD cannot be closed early.
    let product = site.read("public/usaha/rasa/produk/rasi/index.html");
    let ld_start = product.find("application/ld+json").expect("json-ld");
    let ld = &product[ld_start..];
    let ld = &ld[..ld.find("</script>").expect("end")];
    assert!(!ld.contains("</title>"), "json-ld not escaped: {ld}");
}

#[test]
fn builtin_theme_without_themes_folder() {
    let site = TestSite::new().firm("rasa", PROFILE);
    assert!(!site.exists("themes"));
    site.build().success();
    let html = site.read("public/usaha/rasa/index.html");
    assert!(html.contains("<html lang=\"id\""), "{html}");
    assert!(site.exists("public/style.css"));
}

#[test]
fn site_overrides_theme_files_one_by_one() {
    let site = TestSite::new()
        .firm("rasa", PROFILE)
        .write("templates/firm.html", "<!doctype html><title>x</title><p>KHUSUS {{ firm.name }}</p>\n")
        .write("static/style.css", "/* milik situs */\n")
        .write("static/favicon.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n");
    site.build().success();
    assert!(site.read("public/usaha/rasa/index.html").contains("KHUSUS CV Rasa Cireundeu"));
    assert_eq!(site.read("public/style.css"), "/* milik situs */\n");
    assert!(site.exists("public/favicon.svg"));
    // Other templates still come from the theme.
    assert!(site.read("public/usaha/rasa/mitra/index.html").contains("<html lang=\"id\""));
}

#[test]
fn a_theme_folder_is_used_and_a_missing_theme_is_an_error() {
    let site = TestSite::new()
        .firm("rasa", PROFILE)
        .write("site.yaml", "title: T\nbase_url: https://uji.example\ntheme: polos\n");
    site.build().code(1).error_at("site.yaml:3:8", "theme `polos` not found");
    // With events too, the missing theme is the one error (not one per
    // template that events need).
    let site = site.write(
        "content/events/temu.yaml",
        "name: Temu\ndate: 2027-03-10\nvenue: V\nsessions: [{start: \"09:00\", end: \"10:00\"}]\nmeeting_minutes: 20\ntables: 1\n",
    );
    let run = site.build().code(1);
    run.error_at("site.yaml:3:8", "theme `polos` not found");
    assert_eq!(run.error_count(), 1, "{}", run.stderr);
}

#[test]
fn listings_are_paginated() {
    let mut site = TestSite::new().write("site.yaml", "title: T\nbase_url: https://uji.example\npaginate: 2\n");
    for i in 0..5 {
        site = site.firm(&format!("usaha-{i}"), &PROFILE.replace("CV Rasa Cireundeu", &format!("Usaha {i}")));
    }
    site.build().success();
    assert!(site.exists("public/sektor/makanan-minuman/index.html"));
    assert!(site.exists("public/sektor/makanan-minuman/page/2/index.html"));
    assert!(site.exists("public/sektor/makanan-minuman/page/3/index.html"));
    assert!(!site.exists("public/sektor/makanan-minuman/page/4/index.html"));
    assert!(!site.exists("public/sektor/makanan-minuman/page/1/index.html"));
    let p1 = site.read("public/sektor/makanan-minuman/index.html");
    assert!(p1.contains("Usaha 0") && p1.contains("Usaha 1") && !p1.contains("Usaha 2"));
    let p3 = site.read("public/sektor/makanan-minuman/page/3/index.html");
    assert!(p3.contains("Usaha 4") && !p3.contains("Usaha 3"));
    assert!(p3.contains("/sektor/makanan-minuman/page/2/"), "link back to page 2");
}

#[test]
fn drafts_are_left_out_unless_asked() {
    // A published firm names the draft as its partner: the draft's slug
    // must still appear in no file of the site (it did in katalog.json).
    let site = TestSite::new()
        .firm("rasa", &format!("{PROFILE}partners: [rahasia]\n"))
        .firm("rahasia", &format!("{PROFILE}draft: true\n"))
        .product("rasa", "rasi", PRODUCT)
        .product("rasa", "baru", &PRODUCT.replace("name: Rasi", "draft: true\nname: Rasi"));
    site.build().success();
    assert!(!site.exists("public/usaha/rahasia/index.html"));
    assert!(!site.exists("public/usaha/rasa/produk/baru/index.html"));
    let json = site.read("public/data/katalog.json");
    assert!(!json.contains("\"baru\""));
    let naming: Vec<String> = walkdir::WalkDir::new(site.path("public"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| std::fs::read(e.path()).is_ok_and(|b| b.windows(7).any(|w| w == b"rahasia")))
        .map(|e| e.path().display().to_string())
        .collect();
    assert!(naming.is_empty(), "the draft is named in {naming:?}");
    site.run(&["build", "--drafts"]).success();
    assert!(site.exists("public/usaha/rahasia/index.html"));
    assert!(site.exists("public/usaha/rasa/produk/baru/index.html"));
}

#[test]
fn open_data_json_and_csv() {
    let site = TestSite::new()
        .firm("rasa", &format!("{PROFILE}partners: [kardus]\n"))
        .firm(
            "kardus",
            "name: Kardus Jaya\nkind: industry\nsector: kerajinan\nscale: besar\ndistrict: Cimahi Selatan\nsubdistrict: Leuwigajah\nsummary: Kemasan\noffers: [kemasan-plastik]\nneeds: [rasi]\n",
        )
        .product("rasa", "rasi", &PRODUCT.replace("price: 15000", "price: {min: 10000, max: 25000}\nmaterials: [sampeu]"));
    site.build().success();
    let json: serde_json::Value = serde_json::from_str(&site.read("public/data/katalog.json")).unwrap();
    assert_eq!(json["site"]["base_url"], "https://uji.example");
    let firms = json["firms"].as_array().unwrap();
    let slugs: Vec<&str> = firms.iter().map(|f| f["slug"].as_str().unwrap()).collect();
    assert_eq!(slugs, ["kardus", "rasa"], "sorted by slug");
    let rasa = &firms[1];
    assert_eq!(rasa["kind"], "ikm");
    assert_eq!(rasa["district"], "Cimahi Selatan");
    assert_eq!(rasa["subdistrict"], "Leuwigajah");
    assert_eq!(rasa["url"], "https://uji.example/usaha/rasa/");
    assert_eq!(rasa["partners_url"], "https://uji.example/usaha/rasa/mitra/");
    assert_eq!(rasa["products"][0]["url"], "https://uji.example/usaha/rasa/produk/rasi/");
    assert_eq!(rasa["products"][0]["category"], "makanan-pokok");
    assert_eq!(rasa["products"][0]["price"], serde_json::json!({"min": 10000, "max": 25000}));
    // An existing partner is never suggested.
    assert_eq!(rasa["suggested_partners"], serde_json::json!([]));
    let csv = site.read("public/data/katalog.csv");
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3, "two firms and one product");
    assert_eq!(&rows[2][0], "product");
    assert_eq!(&rows[2][2], "rasi");
}

#[test]
fn images_are_published_with_their_size() {
    let site = TestSite::new().firm("rasa", &format!("{PROFILE}logo: logo.png\n"));
    site.put("content/firms/rasa/logo.png", &png(120, 80));
    site.build().success();
    assert!(site.exists("public/usaha/rasa/logo.png"));
    let html = site.read("public/usaha/rasa/index.html");
    assert!(html.contains("width=\"120\"") && html.contains("height=\"80\""), "{html}");
}

#[test]
fn base_url_with_a_path_from_the_command_line() {
    let site = TestSite::new()
        .firm("rasa", &format!("{PROFILE}logo: logo.png\n"))
        .write("content/firms/rasa/index.md", "![Kampung](logo.png)\n");
    site.put("content/firms/rasa/logo.png", &png(60, 40));
    site.run(&["build", "--base-url", "https://x.example/katalog/"]).success();
    let html = site.read("public/usaha/rasa/index.html");
    assert!(html.contains("src=\"/katalog/usaha/rasa/logo.png\""), "asset links take the base path");
    let json = site.read("public/data/katalog.json");
    assert!(json.contains("\"url\":\"https://x.example/katalog/usaha/rasa/\""));
}

/// Text from many hands never runs as a formula when an officer opens the
/// CSV in a spreadsheet; phone numbers and the JSON keep what was written.
#[test]
fn csv_cells_never_start_a_formula() {
    let profile = PROFILE
        .replace("name: CV Rasa Cireundeu", "name: \"=HYPERLINK(\\\"http://x.example\\\",\\\"klik\\\")\"")
        .replace("summary: Rasi dan olahan singkong khas Cireundeu", "summary: \"@SUM(1+1)*cmd|' /C calc'!A0\"");
    let profile = format!("{profile}contact:\n  phone: \"+62 22 6612345\"\n");
    let product = PRODUCT
        .replace("name: Rasi (Beras Singkong)", "name: \"-2+3+cmd|' /C calc'!A0\"")
        .replace("unit: kg", "unit: \"+kg\"");
    // Arithmetic that looks like a number, tags, an e-mail address: every
    // cell is free text to a spreadsheet.
    let second = PROFILE
        .replace("name: CV Rasa Cireundeu", "name: Dua")
        .replace("summary: Rasi dan olahan singkong khas Cireundeu", "summary: \"-1+1\"")
        .replace("offers: [rasi]", "offers: [\"=HYPERLINK(\\\"http://evil.example\\\")\", kain]")
        .replace("needs: [kemasan-plastik]", "needs: [\"@SUM(A1:A9)\"]");
    let second = format!("{second}contact:\n  phone: \"-1-1-1-1-1-1\"\n  email: \"-2+3@e.co\"\n");
    let second_product = PRODUCT.replace("name: Rasi (Beras Singkong)", "name: \"-(2)+(3)\"");
    let site = TestSite::new().firm("rasa", &profile).product("rasa", "rasi", &product).firm("dua", &second).product(
        "dua",
        "satu",
        &second_product,
    );
    site.build().success();
    let csv = site.read("public/data/katalog.csv");
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    let col = |name: &str| gotong::export::CSV_COLUMNS.iter().position(|c| *c == name).unwrap();
    let rasa: Vec<&csv::StringRecord> = rows.iter().filter(|r| &r[col("firm")] == "rasa").collect();
    assert_eq!(&rasa[0][col("name")], "'=HYPERLINK(\"http://x.example\",\"klik\")");
    assert_eq!(&rasa[0][col("summary")], "'@SUM(1+1)*cmd|' /C calc'!A0");
    assert_eq!(&rasa[0][col("phone")], "+62 22 6612345");
    assert_eq!(&rasa[1][col("name")], "'-2+3+cmd|' /C calc'!A0");
    assert_eq!(&rasa[1][col("unit")], "'+kg");
    let dua: Vec<&csv::StringRecord> = rows.iter().filter(|r| &r[col("firm")] == "dua").collect();
    assert_eq!(&dua[0][col("summary")], "'-1+1");
    assert_eq!(&dua[0][col("phone")], "'-1-1-1-1-1-1");
    assert_eq!(&dua[0][col("email")], "'-2+3@e.co");
    assert_eq!(&dua[0][col("offers")], "'=HYPERLINK(\"http://evil.example\");kain");
    assert_eq!(&dua[0][col("needs")], "'@SUM(A1:A9)");
    assert_eq!(&dua[1][col("name")], "'-(2)+(3)");
    // No cell starts a formula: `+` and `-` only before a plain number.
    for row in &rows {
        for cell in row {
            assert!(!cell.starts_with(['=', '@', '\t', '\r']), "{cell}");
            if let Some(rest) = cell.strip_prefix(['+', '-']) {
                assert!(rest.chars().all(|c| c.is_ascii_digit() || c == ' '), "{cell}");
            }
        }
    }
    let json = site.read("public/data/katalog.json");
    assert!(json.contains("\"=HYPERLINK("), "the JSON keeps the name as written");
}

/// A file of a firm's folder that only draft products use (their
/// `images`, or their text) is the drafts' content: it is published only
/// with `--drafts`, and a link to it from another page is broken. A file
/// a published part of the firm also uses, or that nothing uses, is
/// published as before.
#[test]
fn files_only_draft_products_use_are_not_published() {
    let draft = "---\nname: Rahasia\ncategory: makanan-pokok\nimages: [rahasia.png, bersama.png]\ndraft: true\n---\nSketsa: ![sketsa](sketsa.png) dan [harga](./harga.pdf).\n";
    let site = TestSite::new()
        .firm("rasa", PROFILE)
        .product("rasa", "rasi", &PRODUCT.replace("unit: kg\n", "unit: kg\nimages: [rasi.png]\n"))
        .product("rasa", "rahasia", draft)
        .write("content/firms/rasa/index.md", "Foto [bersama](https://uji.example/usaha/rasa/bersama.png).\n")
        .write("content/firms/rasa/harga.pdf", "%PDF-1.4 harga\n")
        .write("content/firms/rasa/lain.pdf", "%PDF-1.4 lain\n");
    for name in ["rasi.png", "rahasia.png", "bersama.png", "sketsa.png"] {
        site.put(&format!("content/firms/rasa/{name}"), &png(400, 300));
    }
    site.build().success();
    let published = site.tree("public/usaha/rasa");
    for withheld in ["rahasia.png", "sketsa.png", "harga.pdf", "rahasia.320w.png", "rahasia.320w.webp"] {
        assert!(!published.contains_key(withheld), "{withheld} published: {:?}", published.keys());
    }
    for kept in ["rasi.png", "rasi.320w.webp", "bersama.png", "lain.pdf"] {
        assert!(published.contains_key(kept), "{kept} missing: {:?}", published.keys());
    }

    site.run(&["build", "--drafts"]).success();
    for name in ["rahasia.png", "rahasia.320w.webp", "sketsa.png", "harga.pdf", "bersama.png", "lain.pdf"] {
        assert!(site.exists(&format!("public/usaha/rasa/{name}")), "{name} missing with --drafts");
    }

    // Another firm linking to a draft's image links to nothing published.
    let site = site
        .firm("kemas", &PROFILE.replace("CV Rasa Cireundeu", "Kemas Jaya"))
        .write("content/firms/kemas/index.md", "Contoh [kemasan](/usaha/rasa/rahasia.png).\n");
    let run = site.build().code(1);
    run.error_at("content/firms/kemas/index.md:1:18", "broken link `/usaha/rasa/rahasia.png`");
    site.run(&["build", "--drafts"]).success();
}

/// A URL scheme is case-insensitive (RFC 3986): `HTTPS://` in site.yaml
/// and `HTTP://` in a profile are accepted, and every link made from them
/// is written with the scheme in lower case (QA, 2026-12-04).
#[test]
fn upper_case_url_schemes_are_accepted_and_written_in_lower_case() {
    let site = TestSite::new()
        .write("site.yaml", "title: Katalog Uji\nbase_url: HTTPS://uji.example/katalog\n")
        .firm("rasa", &format!("{PROFILE}contact:\n  website: HTTP://rasa.example/toko\n"));
    site.run(&["check", "--strict"]).success();
    site.build().success();
    let page = site.read("public/usaha/rasa/index.html");
    assert!(page.contains("href=\"http://rasa.example/toko\""), "website link");
    assert!(page.contains("https://uji.example/katalog/usaha/rasa/"), "canonical URL");
    assert!(!page.contains("HTTPS://") && !page.contains("HTTP://"));
    assert!(site.read("public/sitemap.xml").contains("<loc>https://uji.example/katalog/usaha/rasa/</loc>"));
    let json = site.read("public/data/katalog.json");
    assert!(
        json.contains("\"base_url\": \"https://uji.example/katalog\"")
            || json.contains("\"base_url\":\"https://uji.example/katalog\"")
    );
    // --base-url too.
    site.run(&["build", "--base-url", "HTTP://lokal.example"]).success();
    assert!(site.read("public/usaha/rasa/index.html").contains("http://lokal.example/usaha/rasa/"));
}

/// Numbers with a zero fraction, as spreadsheets export them (`2015.0`,
/// `1e3`), are the whole numbers they write, as the JSON Schema's
/// `integer` takes them; a real fraction stays an error (QA, 2026-12-04).
#[test]
fn whole_numbers_written_with_a_zero_fraction_are_whole_numbers() {
    let site = TestSite::new().firm("rasa", &format!("{PROFILE}founded: 2015.0\nemployees: 1e1\n")).product(
        "rasa",
        "rasi",
        &PRODUCT.replace("price: 15000", "price: 15000.0\nmoq: 1e1"),
    );
    site.run(&["check", "--strict"]).success();
    site.build().success();
    let json = site.read("public/data/katalog.json");
    assert!(json.contains("\"founded\":2015,") && json.contains("\"moq\":10,"), "{json}");
    assert!(site.read("public/usaha/rasa/produk/rasi/index.html").contains("Rp 15.000"));
    site.put("content/firms/rasa/profile.yaml", format!("{PROFILE}founded: 2015.5\n").as_bytes());
    site.build()
        .code(1)
        .error_at("content/firms/rasa/profile.yaml:9:10", "`founded` must be a whole number, found 2015.5");
}

/// Markdown in a firm folder that is neither its description nor a product
/// (a typo) is never published as a file, where a draft's front matter and
/// prices would be public; it is a warning naming the file (QA, 2026-12-04).
#[test]
fn misnamed_markdown_in_a_firm_folder_is_not_published() {
    let secret = "---\nname: Tahu Rahasia\ncategory: makanan-pokok\nprice: 999\ndraft: true\n---\nResep.\n";
    let site = TestSite::new()
        .firm("rasa", PROFILE)
        .write("content/firms/rasa/products/tahu.MD", secret)
        .write("content/firms/rasa/product/tempe.md", secret)
        .write("content/firms/rasa/catatan.md", secret);
    let run = site.build().success();
    run.warning_at("content/firms/rasa/products/tahu.MD", "rename it `products/tahu.md`");
    run.warning_at("content/firms/rasa/product/tempe.md", "it is not published");
    run.warning_at("content/firms/rasa/catatan.md", "it is not published");
    let published: Vec<String> = site.tree("public").into_keys().filter(|p| p.starts_with("usaha/rasa/")).collect();
    assert!(published.iter().all(|p| !p.to_ascii_lowercase().ends_with(".md")), "{published:?}");
    site.run(&["check", "--strict"]).code(1);
}
