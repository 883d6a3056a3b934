//! One test per class of content error: each names the file, line and
//! column an editor must fix, and the build writes nothing.

use crate::support::{PRODUCT, PROFILE, TestSite, png};

const P: &str = "content/firms/rasa/profile.yaml";

fn with_profile(profile: &str) -> TestSite {
    TestSite::new().firm("rasa", profile)
}

#[test]
fn missing_site_yaml_is_a_usage_error() {
    let site = TestSite::new();
    std::fs::remove_file(site.path("site.yaml")).unwrap();
    let run = site.build().code(2);
    assert!(run.stderr.contains("no site.yaml"), "{}", run.stderr);
    site.run(&["check"]).code(2);
    site.run(&["schema"]).code(2);
    // Nothing is scaffolded beside no site.yaml, and no cache is made.
    site.run(&["new", "firm", "rasa-baru"]).code(2);
    site.run(&["new", "event", "temu"]).code(2);
    assert!(!site.exists("content/firms/rasa-baru") && !site.exists("content/events/temu.yaml"));
    assert!(!site.exists(".gotong-cache"));
    // A --root that does not exist is wrong usage too, not a cache error.
    let gone = site.path("tidak-ada");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gotong")).arg("build").arg("--root").arg(&gone).output();
    let run = crate::support::Run::from(out.unwrap()).code(2);
    assert!(run.stderr.contains("no site.yaml"), "{}", run.stderr);
    assert!(!site.exists("tidak-ada"));
}

#[test]
fn new_help_names_every_kind_of_scaffold() {
    let run = TestSite::new().run(&["new", "--help"]).success();
    assert!(run.stdout.contains("Scaffold a firm, a product or an event"), "{}", run.stdout);
    for what in ["firm", "product", "event"] {
        assert!(run.stdout.lines().any(|l| l.trim_start().starts_with(what)), "`{what}` listed:\n{}", run.stdout);
    }
    let run = TestSite::new().run(&["--help"]).success();
    assert!(run.stdout.contains("Scaffold a firm, a product or an event"), "{}", run.stdout);
}

#[test]
fn check_creates_nothing_in_the_site() {
    // SPEC 9: check writes nothing, not even the cache's lock file (a
    // read-only checkout could not hold one).
    let site = TestSite::new().firm("rasa", &format!("{PROFILE}logo: logo.png\n")).product(
        "rasa",
        "rasi",
        &PRODUCT.replace("unit: kg\n", "unit: kg\nimages: [rasi.png]\n"),
    );
    site.put("content/firms/rasa/logo.png", &png(120, 80));
    site.put("content/firms/rasa/rasi.png", &png(800, 600));
    let files = |site: &TestSite| -> Vec<String> {
        walkdir::WalkDir::new(site.root())
            .into_iter()
            .filter_map(Result::ok)
            .map(|e| e.path().strip_prefix(site.root()).unwrap_or(e.path()).to_string_lossy().into_owned())
            .collect()
    };
    let before = files(&site);
    site.run(&["check"]).success();
    site.run(&["check", "--format", "json"]).success();
    assert_eq!(files(&site), before, "check made something");
    assert!(!site.exists(".gotong-cache"));
    // Once a build has made the cache, check uses it and still adds nothing.
    site.build().success();
    let built = files(&site);
    site.run(&["check"]).success();
    assert_eq!(files(&site), built);
}

#[test]
fn usage_errors_under_machine_formats_are_machine_readable() {
    let site = TestSite::new();
    std::fs::remove_file(site.path("site.yaml")).unwrap();
    let run = site.run(&["check", "--format", "json"]).code(2);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout));
    assert_eq!(v["ok"], false);
    assert_eq!(v["diagnostics"], serde_json::json!([]));
    assert_eq!(v["failure"]["kind"], "usage");
    assert!(v["failure"]["message"].as_str().is_some_and(|m| m.contains("no site.yaml")), "{v}");
    assert!(run.stderr.contains("error: no site.yaml"), "{}", run.stderr);
    let run = site.run(&["check", "--format", "github"]).code(2);
    assert!(run.stdout.starts_with("::error::no site.yaml"), "{}", run.stdout);
    // A command line clap refuses, too.
    let run = TestSite::new().run(&["check", "--format=json", "--bogus"]).code(2);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout));
    assert!(v["failure"]["message"].as_str().is_some_and(|m| m.contains("--bogus")), "{v}");
    // The human format prints no report on standard output.
    assert!(TestSite::new().run(&["check", "--bogus"]).code(2).stdout.is_empty());
}

#[test]
fn unknown_flag_is_a_usage_error() {
    TestSite::new().run(&["build", "--bogus"]).code(2);
}

#[test]
fn site_yaml_unknown_key_and_bad_values() {
    let site = TestSite::new().write("site.yaml", "title: T\nbase_url: uji.example\npaginat: 3\nlanguage: fr\n");
    let run = site.build().code(1);
    run.error_at("site.yaml:3:1", "unknown field `paginat`; did you mean `paginate`?");
    run.error_at("site.yaml:2:11", "absolute http or https URL");
    run.error_at("site.yaml:4:11", "`fr` is not a valid language");
    assert!(!site.exists("public"));
}

#[test]
fn yaml_syntax_error_has_line_and_column() {
    let run = with_profile("name: A\nsector: [tekstil\nscale: kecil\n").build().code(1);
    assert!(
        run.stderr.lines().any(|l| l.starts_with(&format!("{P}:3:")) && l.contains("invalid YAML")),
        "{}",
        run.stderr
    );
}

#[test]
fn missing_required_fields_are_listed() {
    let run = with_profile("name: A\nkind: ikm\n").build().code(1);
    for field in ["sector", "scale", "district", "summary"] {
        run.error_at(&format!("{P}:1:1"), &format!("missing required field `{field}`"));
    }
}

/// A name of zero-width characters alone is an empty heading and a link
/// without text: it counts as empty, like one of spaces.
#[test]
fn invisible_text_counts_as_empty() {
    let profile = PROFILE
        .replace("name: CV Rasa Cireundeu", "name: \"\\u200B\\u200D \\u00AD\"")
        .replace("summary: Rasi dan olahan singkong khas Cireundeu", "summary: \"\\u200F\"\nname_en: \"\\uFEFF\"")
        .replace("offers: [rasi]", "offers: [rasi, \"\\u2060\"]");
    let run = with_profile(&profile).build().code(1);
    run.error_at(&format!("{P}:1:7"), "`name` must not be empty: it holds only invisible characters");
    run.error_at(&format!("{P}:6:10"), "`summary` must not be empty: it holds only invisible characters");
    run.error_at(&format!("{P}:8:16"), "empty item in `offers`");
    assert_eq!(run.error_count(), 3, "an optional field of invisible characters is left out: {}", run.stderr);
}

#[test]
fn wrong_enumerated_value_lists_allowed_values() {
    let run = with_profile(&PROFILE.replace("sector: makanan-minuman", "sector: makanan")).build().code(1);
    run.error_at(
        &format!("{P}:2:9"),
        "`makanan` is not a valid sector; did you mean `makanan-minuman`? (allowed: makanan-minuman, tekstil, kerajinan, telematika)",
    );
    // The offending line is shown under the message.
    assert!(run.stderr.contains("2 | sector: makanan\n"), "{}", run.stderr);
}

#[test]
fn unknown_field_suggests_the_nearest() {
    let run = with_profile(&format!("{PROFILE}sumary: x\n")).build().code(1);
    run.error_at(&format!("{P}:9:1"), "unknown field `sumary`; did you mean `summary`?");
}

#[test]
fn bad_slugs_name_the_file() {
    let site =
        TestSite::new().firm("Rasa_Cireundeu", PROFILE).firm("rasa", PROFILE).product("rasa", "Rasi Enak", PRODUCT);
    let run = site.build().code(1);
    run.error_at("content/firms/Rasa_Cireundeu/", "not a valid firm slug");
    run.error_at("content/firms/rasa/products/Rasi Enak.md", "not a valid product slug");
}

#[test]
fn kelurahan_must_lie_in_the_kecamatan() {
    let run = with_profile(&PROFILE.replace("subdistrict: Leuwigajah", "subdistrict: Baros")).build().code(1);
    run.error_at(&format!("{P}:5:14"), "kelurahan `Baros` lies in Cimahi Tengah, not in Cimahi Selatan");
}

#[test]
fn an_ikm_cannot_be_large() {
    let run = with_profile(&PROFILE.replace("scale: kecil", "scale: besar")).build().code(1);
    run.error_at(&format!("{P}:3:8"), "an IKM cannot be `besar`");
    // The same scale is fine for a large industry.
    with_profile(&format!("kind: industry\n{}", PROFILE.replace("scale: kecil", "scale: besar"))).build().success();
}

#[test]
fn summary_is_at_most_160_characters() {
    let long = "é".repeat(161);
    let run =
        with_profile(&PROFILE.replace("summary: Rasi dan olahan singkong khas Cireundeu", &format!("summary: {long}")))
            .build()
            .code(1);
    run.error_at(&format!("{P}:6:10"), "161 characters long; at most 160");
    let ok = "é".repeat(160);
    with_profile(&PROFILE.replace("summary: Rasi dan olahan singkong khas Cireundeu", &format!("summary: {ok}")))
        .build()
        .success();
}

#[test]
fn numbers_and_dates_are_range_checked() {
    let run = with_profile(&format!("{PROFILE}founded: 1850\nemployees: -3\nupdated: 2026-02-30\ndraft: maybe\n"))
        .build()
        .code(1);
    run.error_at(&format!("{P}:9:10"), "`founded` must be between 1900 and");
    run.error_at(&format!("{P}:10:12"), "`employees` must be between 0 and");
    run.error_at(&format!("{P}:11:10"), "`updated` must be a day of the calendar written YYYY-MM-DD");
    run.error_at(&format!("{P}:12:8"), "`draft` must be true or false");
}

#[test]
fn contact_formats_are_checked() {
    let contact = "contact:\n  phone: call me\n  whatsapp: +62-812-abc\n  email: halo.example.com\n  website: ftp://example.com\n  instagram: \"@rasa\"\n  fax: 1\n";
    let run = with_profile(&format!("{PROFILE}{contact}")).build().code(1);
    run.error_at(&format!("{P}:10:10"), "`phone` must be a phone number");
    run.error_at(&format!("{P}:11:13"), "`whatsapp` must be digits");
    run.error_at(&format!("{P}:12:10"), "`email` is not an e-mail address");
    run.error_at(&format!("{P}:13:12"), "`website` must be an http or https URL");
    run.error_at(&format!("{P}:14:14"), "without `@`");
    run.error_at(&format!("{P}:15:3"), "unknown field `fax`");
}

#[test]
fn images_must_be_real_and_inside_the_firm_folder() {
    let site = with_profile(&format!(
        "{PROFILE}logo: ../other/logo.png\nphotos: [toko.jpg, palsu.png, /etc/passwd, ok.png]\n"
    ))
    .write("content/firms/rasa/palsu.png", "not an image");
    site.put("content/firms/rasa/ok.png", &png(40, 30));
    let run = site.build().code(1);
    run.error_at(&format!("{P}:9:7"), "must be a path inside the firm's folder");
    run.error_at(&format!("{P}:10:10"), "image `toko.jpg` not found");
    run.error_at(&format!("{P}:10:20"), "image `palsu.png` cannot be used");
    run.error_at(&format!("{P}:10:31"), "must be a path inside the firm's folder");
    assert_eq!(run.error_count(), 4, "{}", run.stderr);
}

/// An image whose name a URL or a srcset would have to escape is an error
/// at its name, which says what to rename (it passed, then every page
/// showing it failed with broken links blamed on templates).
#[test]
fn image_names_a_page_would_have_to_escape_are_an_error_at_the_name() {
    let site = with_profile(&format!("{PROFILE}logo: \"foto toko.png\"\nphotos: [\"a,b.png\", \"c#1.png\", ok.png]\n"));
    for name in ["foto toko.png", "a,b.png", "c#1.png", "ok.png"] {
        site.put(&format!("content/firms/rasa/{name}"), &png(40, 30));
    }
    let run = site.build().code(1);
    run.error_at(&format!("{P}:9:7"), "image `foto toko.png`: its name holds ' ': rename the file");
    run.error_at(&format!("{P}:10:10"), "image `a,b.png`: its name holds ','");
    run.error_at(&format!("{P}:10:21"), "image `c#1.png`: its name holds '#'");
    assert_eq!(run.error_count(), 3, "{}", run.stderr);
    assert!(!run.stderr.contains("broken link"), "{}", run.stderr);
}

#[test]
fn partner_slugs_must_exist() {
    let run = TestSite::new()
        .firm("rasa", &format!("{PROFILE}partners: [koperasi-cireundeu]\nexclude_partners: [rasa-lain]\n"))
        .firm("rasa-lain", PROFILE)
        .build()
        .code(1);
    run.error_at(&format!("{P}:9:12"), "no firm `koperasi-cireundeu`");
    assert_eq!(run.error_count(), 1, "{}", run.stderr);
}

#[test]
fn vocabulary_cycles_and_collisions() {
    let run = TestSite::new()
        .write(
            "content/vocabulary.yaml",
            "a:\n  label: A\n  children: [b]\nb:\n  label: B\n  children: [a]\n  synonyms: [x]\nc:\n  label: C\n  synonyms: [x]\n",
        )
        .build()
        .code(1);
    run.error_at("content/vocabulary.yaml:1:1", "the tag hierarchy loops: a → b → a");
    run.error_at("content/vocabulary.yaml:10:14", "synonym `x` is already a synonym of `b`");
}

#[test]
fn unknown_tags_warn_and_fail_under_strict() {
    let site = with_profile(&PROFILE.replace("needs: [kemasan-plastik]", "needs: [kemasan-plastk]"));
    let run = site.build().success();
    run.warning_at(
        &format!("{P}:8:9"),
        "tag `kemasan-plastk` is not in content/vocabulary.yaml; did you mean `kemasan-plastik`?",
    );
    let strict = site.run(&["build", "--strict"]).code(1);
    strict.error_at(&format!("{P}:8:9"), "did you mean `kemasan-plastik`?");
}

#[test]
fn product_errors() {
    let site = TestSite::new()
        .firm("rasa", PROFILE)
        .product("rasa", "tanpa-fm", "Hanya teks.\n")
        .product(
            "rasa",
            "harga",
            "---\nname: Rasi\ncategory: Makanan Pokok\nprice: {min: 20000, max: 10000}\nmoq: 0\n---\n",
        )
        .product("rasa", "terbuka", "---\nname: Rasi\n")
        .product("rasa", "besar", "---\nname: Rasi\nprice: 1e23\nmoq: 2.5\n---\n");
    let run = site.build().code(1);
    // A number too large, or with a fraction, is named for what it is.
    run.error_at("content/firms/rasa/products/besar.md:3:8", "`price` must be between 0 and 1000000000000, found 1e23");
    run.error_at("content/firms/rasa/products/besar.md:4:6", "`moq` must be a whole number, found 2.5");
    run.error_at("content/firms/rasa/products/tanpa-fm.md:1:1", "missing front matter");
    run.error_at("content/firms/rasa/products/harga.md:3:11", "`category` must be a slug");
    run.error_at("content/firms/rasa/products/harga.md:4:26", "`price.max` (10000) is lower than `price.min` (20000)");
    run.error_at("content/firms/rasa/products/harga.md:5:6", "`moq` must be between 1 and");
    run.error_at("content/firms/rasa/products/terbuka.md:1:1", "never closed");
}

#[test]
fn translations_may_only_set_name() {
    let run = TestSite::new()
        .firm("rasa", PROFILE)
        .product("rasa", "rasi", PRODUCT)
        .product("rasa", "rasi.en", "---\nname: Cassava rice\nprice: 1\n---\nText.\n")
        .product("rasa", "yatim.en", "---\nname: Orphan\n---\n")
        .build()
        .code(1);
    run.error_at("content/firms/rasa/products/rasi.en.md:3:1", "a translation may only set `name`");
    run.error_at("content/firms/rasa/products/yatim.en.md", "translation without the product itself");
}

#[test]
fn non_utf8_and_empty_files() {
    let site = TestSite::new().firm("kosong", "");
    site.put("content/firms/rasa/profile.yaml", b"name: Caf\xe9\nsector: tekstil\n");
    let run = site.build().code(1);
    run.error_at("content/firms/rasa/profile.yaml:1:10", "not valid UTF-8");
    assert!(
        !run.stderr.contains("content/firms/rasa/: error"),
        "an unreadable profile is not a missing one:\n{}",
        run.stderr
    );
    run.error_at("content/firms/kosong/profile.yaml:1:1", "profile.yaml is empty");
    let missing = TestSite::new().write("content/firms/tanpa/index.md", "Teks\n").build().code(1);
    missing.error_at("content/firms/tanpa/", "has no profile.yaml");
}

#[test]
fn hostile_yaml_ends_in_an_error_not_a_hang() {
    let mut bomb = String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    let names = ["b", "c", "d", "e", "f", "g", "h", "i"];
    let mut prev = "a";
    for n in names {
        bomb.push_str(&format!(
            "{n}: &{n} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
        prev = n;
    }
    let deep = format!("name: {}{}\n", "[".repeat(5000), "]".repeat(5000));
    let run = TestSite::new().firm("bom", &bomb).firm("dalam", &deep).build().code(1);
    assert!(run.stderr.contains("content/firms/bom/profile.yaml"), "{}", run.stderr);
    assert!(
        run.stderr.contains("content/firms/dalam/profile.yaml:1:134: error: invalid YAML: nested too deeply"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.lines().all(|l| l.chars().count() < 200), "long line not clipped");
}

#[cfg(unix)]
#[test]
fn symlinks_may_not_leave_the_site() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.yaml"), "name: rahasia\n").unwrap();
    let site = TestSite::new().firm("rasa", PROFILE);
    std::fs::create_dir_all(site.path("content/firms/bocor")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.yaml"), site.path("content/firms/bocor/profile.yaml"))
        .unwrap();
    std::os::unix::fs::symlink(site.path("content"), site.path("content/firms/rasa/loop")).unwrap();
    // Inside the site but outside content/, or at a hidden or ignored name:
    // the site's own secrets would be published under any name.
    std::fs::write(site.path(".env"), "TOKEN=rahasia\n").unwrap();
    std::fs::create_dir_all(site.path("content/firms/_arsip")).unwrap();
    std::fs::write(site.path("content/firms/_arsip/lama.pdf"), "%PDF-1.4 lama\n").unwrap();
    std::os::unix::fs::symlink("../../../.env", site.path("content/firms/rasa/brosur.pdf")).unwrap();
    std::os::unix::fs::symlink("../_arsip/lama.pdf", site.path("content/firms/rasa/harga.pdf")).unwrap();
    std::os::unix::fs::symlink("../../../site.yaml", site.path("content/firms/rasa/situs.txt")).unwrap();
    let run = site.build().code(1);
    run.error_at("content/firms/bocor/profile.yaml", "points outside content/");
    run.error_at("content/firms/rasa/loop", "symbolic links to folders are not followed");
    run.error_at("content/firms/rasa/brosur.pdf", "points outside content/");
    run.error_at("content/firms/rasa/situs.txt", "points outside content/");
    run.error_at("content/firms/rasa/harga.pdf", "points at a hidden or ignored file");
    assert_eq!(run.error_count(), 5, "{}", run.stderr);
    assert!(!site.exists("public"));
}

#[test]
fn bom_and_crlf_are_fine() {
    let profile = format!("\u{feff}{}", PROFILE.replace('\n', "\r\n"));
    let site = with_profile(&profile).product("rasa", "rasi", &PRODUCT.replace('\n', "\r\n"));
    site.build().success();
    assert!(site.read("public/usaha/rasa/index.html").contains("CV Rasa Cireundeu"));
    // Positions are still right with CRLF.
    let bad = with_profile(&profile.replace("scale: kecil", "scale: kecik")).build().code(1);
    bad.error_at(&format!("{P}:3:8"), "`kecik` is not a valid scale");
}

#[test]
fn every_problem_is_reported_in_one_run() {
    let run = TestSite::new()
        .firm("a", &PROFILE.replace("scale: kecil", "scale: huge"))
        .firm("b", &PROFILE.replace("district: Cimahi Selatan", "district: Bandung"))
        .firm("c", "name: [\n")
        .write("content/pages/tentang.md", "---\ndescription: x\n---\nIsi\n")
        .build()
        .code(1);
    run.error_at("content/firms/a/profile.yaml:3:8", "`huge` is not a valid scale");
    run.error_at("content/firms/b/profile.yaml:4:11", "`Bandung` is not a valid district");
    assert!(run.stderr.contains("content/firms/c/profile.yaml:"), "{}", run.stderr);
    run.error_at("content/pages/tentang.md:2:1", "missing required field `title`");
    assert!(run.stderr.contains("nothing was written"));
}

#[test]
fn template_errors_name_the_template() {
    let run = TestSite::new()
        .firm("rasa", PROFILE)
        .write("templates/firm.html", "<p>\n{{ firm.name | nosuchfilter }}\n")
        .build()
        .code(1);
    assert!(
        run.stderr.lines().any(|l| l.starts_with("templates/firm.html:2:") && l.contains("template error")),
        "{}",
        run.stderr
    );
}

/// A summary's 160 characters are counted as a reader sees them: typed
/// with accents saved decomposed (as macOS saves text), 160 letters are 160,
/// not 192 (QA, 2026-12-04); 161 are still too many.
#[test]
fn summary_length_counts_composed_characters() {
    let word = "Kue\u{0301} ";
    let summary = word.repeat(40);
    let summary = summary.trim_end();
    assert_eq!(summary.chars().count(), 40 * 5 - 1);
    let padded = format!("{summary}x");
    let profile = PROFILE.replace("Rasi dan olahan singkong khas Cireundeu", &padded);
    TestSite::new().firm("rasa", &profile).build().success();
    let too_long = PROFILE.replace("Rasi dan olahan singkong khas Cireundeu", &format!("{padded}y"));
    TestSite::new().firm("rasa", &too_long).build().code(1).error_at(&format!("{P}:6:10"), "is 161 characters long");
}

/// A number too wide for 64 bits no longer hides the other problems of its
/// file; in a text field it is text (QA, 2026-12-04).
#[test]
fn a_number_too_wide_hides_nothing() {
    let profile = PROFILE.replace("scale: kecil", "scale: besarr")
        + "employees: 99999999999999999999999999\naddress: 12345678901234567890123\nfoo: 1\n";
    let run = TestSite::new().firm("rasa", &profile).build().code(1);
    run.error_at(&format!("{P}:3:8"), "`besarr` is not a valid scale");
    run.error_at(&format!("{P}:9:12"), "`employees` must be between 0 and 10000000, found 99999999999999999999999999");
    run.error_at(&format!("{P}:11:1"), "unknown field `foo`");
    assert_eq!(run.error_count(), 3, "{}", run.stderr);
}

/// Every template with a syntax error is reported in one run, not only the
/// first Tera meets (QA, 2026-12-04).
#[test]
fn every_template_syntax_error_is_reported_at_once() {
    let run = TestSite::new()
        .firm("rasa", PROFILE)
        .write("templates/firm.html", "<p>\n{% if %}\n")
        .write(
            "templates/page.html",
            "{% extends \"base.html\" %}\n{% block content %}{{ page.title \n{% endblock %}\n",
        )
        .write("templates/product.html", "{% for x in %}{% endfor %}\n")
        .build()
        .code(1);
    for t in ["firm", "page", "product"] {
        assert!(
            run.stderr.lines().any(|l| l.starts_with(&format!("templates/{t}.html:")) && l.contains("template error")),
            "{t}: {}",
            run.stderr
        );
    }
    assert_eq!(run.error_count(), 3, "{}", run.stderr);
}

#[test]
fn references_and_translations_are_checked_even_in_broken_files() {
    let run = TestSite::new()
        .firm("rasa", &format!("{}partners: [tidak-ada]\n", PROFILE.replace("scale: kecil", "scale: besarr")))
        .product("rasa", "rasi", &PRODUCT.replace("category: makanan-pokok", "category: Makanan Pokok"))
        .product("rasa", "rasi.en", "---\nname: Cassava rice\nprice: 1\n---\n")
        .build()
        .code(1);
    run.error_at(&format!("{P}:3:8"), "`besarr` is not a valid scale");
    run.error_at(&format!("{P}:9:12"), "no firm `tidak-ada`");
    run.error_at("content/firms/rasa/products/rasi.md:3:11", "`category` must be a slug");
    run.error_at("content/firms/rasa/products/rasi.en.md:3:1", "a translation may only set `name`");
}

#[test]
fn a_broken_vocabulary_does_not_flag_every_tag() {
    let run = TestSite::new()
        .write("content/vocabulary.yaml", "rasi:\n  label: [Rasi\n")
        .firm("rasa", PROFILE)
        .build()
        .code(1);
    assert!(run.stderr.contains("content/vocabulary.yaml:"), "{}", run.stderr);
    assert!(!run.stderr.contains("is not in content/vocabulary.yaml"), "{}", run.stderr);
}

#[test]
fn a_missing_theme_is_one_error() {
    let run = TestSite::new()
        .write("site.yaml", "title: T\nbase_url: https://uji.example\ntheme: lain\n")
        .run(&["check"])
        .code(1);
    assert_eq!(run.error_count(), 1, "{}", run.stderr);
}

#[test]
fn reserved_page_slugs_are_errors_even_for_drafts() {
    let run = TestSite::new().write("content/pages/data.md", "---\ntitle: Data\ndraft: true\n---\n").build().code(1);
    run.error_at("content/pages/data.md", "used by the catalogue itself");
}

/// A firm folder's other files are published beside the firm's page, on the
/// site's own address: a document a browser runs (HTML, SVG, XML, scripts)
/// is refused, as is a name a generated page or a resized image copy takes.
#[test]
fn firm_files_a_browser_would_run_are_refused() {
    let site = with_profile(PROFILE);
    site.put("content/firms/rasa/brosur.pdf", b"%PDF-1.4\n");
    site.put("content/firms/rasa/ok.png", &png(40, 30));
    site.put("content/firms/rasa/promo.HTML", b"<script>alert(1)</script>");
    site.put("content/firms/rasa/logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>");
    site.put("content/firms/rasa/lampiran/data.xml", b"<x/>");
    site.put("content/firms/rasa/app.js", b"alert(1)");
    // Types the MIME tables map to HTML or XML, and a file without a type.
    let script = b"<x:script xmlns:x='http://www.w3.org/1999/xhtml'>alert(1)</x:script>";
    for name in ["brosur.hxt", "skema.xsd", "data.rdf", "app.config", "README"] {
        site.put(&format!("content/firms/rasa/{name}"), script);
    }
    // Windows' droppings are ignored, allowed types published.
    site.put("content/firms/rasa/Thumbs.db", b"\0\0");
    site.put("content/firms/rasa/harga.XLSX", b"PK");
    let run = site.build().code(1);
    let refused =
        ["promo.HTML", "logo.svg", "lampiran/data.xml", "app.js", "brosur.hxt", "skema.xsd", "data.rdf", "app.config"];
    for name in refused {
        run.error_at(&format!("content/firms/rasa/{name}"), "might run it as a live web document");
    }
    run.error_at("content/firms/rasa/README", "a file without an extension");
    assert_eq!(run.error_count(), 9, "{}", run.stderr);
    assert!(!site.exists("public"));
    site.run(&["check"]).code(1);
}

#[test]
fn firm_files_may_not_take_the_names_of_generated_pages() {
    let site = with_profile(PROFILE);
    site.put("content/firms/rasa/index.html", b"<p>palsu</p>");
    site.put("content/firms/rasa/Mitra/catatan.txt", b"x");
    site.put("content/firms/rasa/proposal.docx", b"PK");
    site.put("content/firms/rasa/profil/foto.png", &png(40, 30));
    let run = site.build().code(1);
    run.error_at("content/firms/rasa/Mitra/catatan.txt", "`Mitra` is a name gotong uses for the firm's own pages");
    run.error_at("content/firms/rasa/proposal.docx", "`proposal.docx` is a name gotong uses");
    run.error_at("content/firms/rasa/profil/foto.png", "`profil` is a name gotong uses");
    // index.html is both an active type and a generated name: one error is enough.
    run.error_at("content/firms/rasa/index.html", "might run it as a live web document");
    assert_eq!(run.error_count(), 4, "{}", run.stderr);
}

#[test]
fn firm_files_may_not_take_the_names_of_resized_copies() {
    let site = with_profile(PROFILE);
    site.put("content/firms/rasa/toko.480w.jpg", &png(40, 30));
    site.put("content/firms/rasa/toko.w.jpg", &png(40, 30));
    site.put("content/firms/rasa/v2.1.0.png", &png(40, 30));
    let run = site.build().code(1);
    run.error_at("content/firms/rasa/toko.480w.jpg", "taken by the resized copies");
    assert_eq!(run.error_count(), 1, "{}", run.stderr);
}

/// A bidirectional override or a control character reorders or hides text
/// on the page, in calendars and spreadsheets ("Trojan Source"): written
/// as itself it is an error at its own line and column, in YAML and in
/// Markdown alike; the marks that only give a direction are allowed.
#[test]
fn bidi_controls_and_control_characters_are_refused_where_they_stand() {
    let profile = PROFILE.replace("name: CV Rasa Cireundeu", "name: CV Rasa \u{202e}ueDnuerIC");
    let product = PRODUCT.replace("Rasi dari singkong", "Rasi \u{1b}[2J dari \u{2067}singkong");
    let site = with_profile(&profile)
        .product("rasa", "rasi", &product)
        .write("content/firms/rasa/index.md", "Usaha \u{200f}keluarga \u{200e}sejak 1990.\n")
        .firm("kedua", &PROFILE.replace("summary: Rasi", "summary: Rasi\u{7}"));
    let run = site.build().code(1);
    // YAML refuses it too: one error, where it stands, not the parser's.
    run.error_at("content/firms/kedua/profile.yaml:6:14", "the control character U+0007");
    run.error_at(&format!("{P}:1:15"), "the bidirectional control U+202E (right-to-left override)");
    let md = "content/firms/rasa/products/rasi.md";
    run.error_at(&format!("{md}:7:6"), "the control character U+001B is not allowed");
    run.error_at(&format!("{md}:7:16"), "the bidirectional control U+2067 (right-to-left isolate)");
    assert_eq!(run.error_count(), 4, "{}", run.stderr);
    // The line shown to the editor does not reorder their terminal.
    assert!(!run.stderr.contains('\u{202e}') && !run.stderr.contains('\u{1b}'), "{}", run.stderr);
    assert!(!site.exists("public"));
}

/// The same characters written as YAML escapes are an error at the value;
/// written as HTML entities in Markdown they are dropped from the page.
#[test]
fn bidi_controls_written_as_escapes_are_refused_or_dropped() {
    let profile = PROFILE.replace("summary: Rasi dan olahan singkong khas Cireundeu", "summary: \"Rasi \\u202Edan\"");
    let product = PRODUCT.replace("unit: kg\n", "unit: kg\ntags: [kue, \"kering\\x07\"]\n");
    let run = with_profile(&profile).product("rasa", "rasi", &product).build().code(1);
    run.error_at(&format!("{P}:6:10"), "`summary` holds the bidirectional control U+202E");
    run.error_at("content/firms/rasa/products/rasi.md:6:13", "`tags` holds the control character U+0007");
    assert_eq!(run.error_count(), 2, "{}", run.stderr);

    let site = with_profile(PROFILE)
        .write("content/firms/rasa/index.md", "Usaha &#x202E;keluarga <b>&#8238;kita</b> &#x1b;[2J.\n");
    site.build().code(0);
    let page = site.read("public/usaha/rasa/index.html");
    assert!(page.contains("keluarga"), "description missing");
    assert!(!page.contains('\u{202e}') && !page.contains("&#x202e;") && !page.contains('\u{1b}'), "{page}");
}

/// Names, summaries, titles, units and tags are shown on one line (a title
/// bar, a CSV cell, a calendar's summary): a line break inside one is an
/// error at the value; a block scalar's final line break is not.
#[test]
fn one_line_fields_refuse_line_breaks() {
    let profile = PROFILE
        .replace("name: CV Rasa Cireundeu", "name: \"CV Rasa\\nCireundeu\"")
        .replace("summary: Rasi dan olahan singkong khas Cireundeu", "summary: |\n  Rasi dan olahan\n  singkong")
        .replace("offers: [rasi]", "offers: [rasi, \"kain\\nbenang\", \"kain;benang\"]");
    let product = PRODUCT.replace("unit: kg\n", "unit: \"k\\u2028g\"\n");
    let run = with_profile(&profile).product("rasa", "rasi", &product).build().code(1);
    run.error_at(&format!("{P}:1:7"), "`name` must be one line: it has a line break after `CV Rasa`");
    run.error_at(&format!("{P}:7:3"), "`summary` must be one line: it has a line break after `Rasi dan olahan`");
    run.error_at(&format!("{P}:9:16"), "tag `kain\\nbenang` must be one line");
    run.error_at(&format!("{P}:9:32"), "tag `kain;benang` holds `;`");
    run.error_at("content/firms/rasa/products/rasi.md:5:7", "`unit` must be one line");
    assert_eq!(run.error_count(), 5, "{}", run.stderr);
    // A folded or literal block's last line break is trimmed like any
    // surrounding white space; `>` folds lines into one.
    let profile = PROFILE.replace(
        "summary: Rasi dan olahan singkong khas Cireundeu",
        "summary: >\n  Rasi dan olahan\n  singkong khas Cireundeu",
    );
    let profile = profile.replace("name: CV Rasa Cireundeu", "name: |\n  CV Rasa Cireundeu");
    with_profile(&profile).build().code(0);
}

/// A noncharacter (U+FFFE, U+FFFF, U+FDD0…) cannot be written in XML, so
/// the Word file would lose what the page shows: refused where it stands.
#[test]
fn noncharacters_are_refused() {
    let profile = PROFILE.replace("summary: Rasi dan olahan singkong khas Cireundeu", "summary: \"Rasi \\uFFFE dan\"");
    let run = with_profile(&profile).build().code(1);
    run.error_at(&format!("{P}:6:10"), "`summary` holds the noncharacter U+FFFE");
    let profile = PROFILE.replace("name: CV Rasa Cireundeu", "name: CV Rasa \u{fdd0}Cireundeu");
    let run = with_profile(&profile).build().code(1);
    run.error_at(&format!("{P}:1:15"), "the noncharacter U+FDD0");
}

#[test]
fn a_tab_after_the_colon_is_placed_like_a_space() {
    // `kind:<TAB>umkm` is valid YAML: the error is at the value (the tab is
    // one column), in profiles, product front matter and site.yaml alike.
    let site = with_profile(&PROFILE.replace("scale: kecil\n", "scale: kecil\nkind:\tumkm\n"))
        .product("rasa", "rasi", &PRODUCT.replace("unit: kg\n", "unit: kg\nmoq:\t0\n"))
        .write("site.yaml", "title: Katalog Uji\nbase_url: https://uji.example\npaginate:\t0\n");
    let run = site.run(&["check"]).code(1);
    run.error_at(&format!("{P}:4:7"), "`umkm` is not a valid kind");
    run.error_at("content/firms/rasa/products/rasi.md:6:6", "moq");
    run.error_at("site.yaml:3:11", "paginate");
    assert!(run.stderr.contains("4 | kind:\tumkm"), "the line shown is the value's:\n{}", run.stderr);
}

#[test]
fn keys_that_are_not_field_names_are_placed_on_their_line() {
    let site = with_profile(&format!("{PROFILE}~: x\n? [a, b]\n: y\n"));
    let run = site.run(&["check"]).code(1);
    run.error_at(&format!("{P}:9:1"), "a key must be a field name, but this one is empty");
    run.error_at(&format!("{P}:10:3"), "a key must be a field name, but this one is a list");
    assert!(!run.stderr.contains("unknown field ` `") && !run.stderr.contains("unknown field ``"), "{}", run.stderr);
}
