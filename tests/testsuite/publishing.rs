//! The editors' loop and what other systems read: `check` in three
//! formats, `new`, dates from git, sitemap, feed, robots.txt, JSON-LD.

use std::path::Path;
use std::process::Command;

use crate::support::{PRODUCT, PROFILE, TestSite};

fn broken_site() -> TestSite {
    TestSite::new()
        .firm("rasa", &PROFILE.replace("scale: kecil", "scale: raksasa"))
        .firm("lain", PROFILE)
        .write("content/firms/lain/index.md", "Lihat [katalog lama](/usaha/tidak-ada/) kami.\n")
}

#[test]
fn check_reports_in_human_format() {
    let site = broken_site();
    let run = site.run(&["check"]).code(1);
    run.error_at("content/firms/rasa/profile.yaml:3:8", "`raksasa` is not a valid scale");
    run.error_at("content/firms/lain/index.md:1:22", "broken link `/usaha/tidak-ada/`");
    assert!(!site.exists("public"), "check wrote something");
}

#[test]
fn check_reports_in_github_format() {
    let run = broken_site().run(&["check", "--format", "github"]).code(1);
    let out = run.stdout;
    assert!(
        out.contains("::error file=content/firms/rasa/profile.yaml,line=3,col=8::`raksasa` is not a valid scale"),
        "{out}"
    );
    assert!(out.contains("::error file=content/firms/lain/index.md,line=1,col=22::broken link"), "{out}");
}

#[test]
fn check_reports_in_json_format() {
    let run = broken_site().run(&["check", "--format", "json"]).code(1);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("json report");
    assert_eq!(v["version"], 1);
    assert_eq!(v["ok"], false);
    assert_eq!(v["errors"], 2);
    let d = &v["diagnostics"];
    let find = |path: &str| d.as_array().unwrap().iter().find(|x| x["path"] == path).cloned().expect(path);
    let scale = find("content/firms/rasa/profile.yaml");
    assert_eq!((scale["line"].as_u64(), scale["column"].as_u64()), (Some(3), Some(8)));
    assert_eq!(scale["severity"], "error");
    assert_eq!(find("content/firms/lain/index.md")["line"], 1);
    // A clean site: ok, no diagnostics, exit 0.
    let clean = TestSite::new().firm("rasa", PROFILE).run(&["check", "--format", "json"]).success();
    let v: serde_json::Value = serde_json::from_str(&clean.stdout).unwrap();
    assert_eq!((v["ok"].as_bool(), v["errors"].as_u64()), (Some(true), Some(0)));
}

#[test]
fn check_and_build_agree() {
    for site in [
        broken_site(),
        TestSite::new().firm("rasa", PROFILE),
        TestSite::new().write("templates/404.html", "<a href=\"/hilang/\">x</a>\n"),
    ] {
        let check = site.run(&["check"]);
        let build = site.build();
        assert_eq!(check.status, build.status, "check: {}\nbuild: {}", check.stderr, build.stderr);
        // The same problems, at the same places, in the same order.
        let problems = |text: &str| -> Vec<String> {
            text.lines().filter(|l| l.contains(": error: ") || l.contains(": warning: ")).map(String::from).collect()
        };
        assert_eq!(problems(&check.stderr), problems(&build.stderr));
    }
}

#[test]
fn broken_links_in_templates_name_the_template() {
    let run = TestSite::new()
        .firm("rasa", PROFILE)
        .write("templates/404.html", "<p>Lihat\n<a href=\"{{ site.root }}/hilang/\">x</a></p>\n")
        .build()
        .code(1);
    run.error_at("templates/404.html:2:25", "broken link `/hilang/`");
}

#[test]
fn new_firm_and_product_pass_check_once_filled() {
    let site = TestSite::new();
    site.run(&["new", "firm", "rasa-baru"]).success();
    site.run(&["new", "product", "rasa-baru/rasi"]).success();
    // Unfilled: check names each empty required field.
    let run = site.run(&["check"]).code(1);
    run.error_at("content/firms/rasa-baru/profile.yaml:8:1", "missing required field `name`");
    let profile = site.read("content/firms/rasa-baru/profile.yaml");
    assert!(profile.contains("makanan-minuman | tekstil | kerajinan | telematika"), "allowed values listed");
    let filled = profile
        .replace("\nname:\n", "\nname: CV Rasa Baru\n")
        .replace("\nsector:\n", "\nsector: makanan-minuman\n")
        .replace("\nscale:\n", "\nscale: kecil\n")
        .replace("\ndistrict:\n", "\ndistrict: Cimahi Selatan\n")
        .replace("\nsummary:\n", "\nsummary: Olahan singkong\n");
    site.put("content/firms/rasa-baru/profile.yaml", filled.as_bytes());
    let product = site
        .read("content/firms/rasa-baru/products/rasi.md")
        .replace("\nname:\n", "\nname: Rasi\n")
        .replace("\ncategory:\n", "\ncategory: makanan-pokok\n");
    site.put("content/firms/rasa-baru/products/rasi.md", product.as_bytes());
    site.run(&["check", "--strict"]).success();
}

#[test]
fn new_refuses_bad_or_existing_slugs() {
    let site = TestSite::new().firm("rasa", PROFILE);
    assert!(site.run(&["new", "firm", "Rasa Baru"]).code(2).stderr.contains("not a valid firm slug"));
    assert!(site.run(&["new", "firm", "rasa"]).code(2).stderr.contains("already exists"));
    assert!(site.run(&["new", "product", "tidak-ada/rasi"]).code(2).stderr.contains("no firm `tidak-ada`"));
    site.run(&["new", "product", "rasa/rasi"]).success();
    assert!(site.run(&["new", "product", "rasa/rasi"]).code(2).stderr.contains("already exists"));
}

fn git(dir: &Path, args: &[&str], date: &str) {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "Uji")
        .env("GIT_AUTHOR_EMAIL", "uji@example.com")
        .env("GIT_COMMITTER_NAME", "Uji")
        .env("GIT_COMMITTER_EMAIL", "uji@example.com")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("git");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// A repository with three commits: everything on 1 Sept, the product on
/// 1 Oct, then the firm folder of `lain` renamed to `baru` on 5 Oct.
fn repo() -> TestSite {
    let site = TestSite::new()
        .firm("rasa", PROFILE)
        .product("rasa", "rasi", PRODUCT)
        .firm("lain", &PROFILE.replace("CV Rasa Cireundeu", "Usaha Lain"));
    let root = site.root();
    git(root, &["init", "-q", "-b", "main"], "2026-09-01T10:00:00+07:00");
    git(root, &["add", "."], "2026-09-01T10:00:00+07:00");
    git(root, &["commit", "-qm", "awal"], "2026-09-01T10:00:00+07:00");
    site.put("content/firms/rasa/products/rasi.md", PRODUCT.replace("15000", "16000").as_bytes());
    git(root, &["commit", "-qam", "harga"], "2026-10-01T09:00:00+07:00");
    git(root, &["mv", "content/firms/lain", "content/firms/baru"], "2026-10-05T09:00:00+07:00");
    git(root, &["commit", "-qm", "ganti nama"], "2026-10-05T09:00:00+07:00");
    site
}

#[test]
fn dates_come_from_git() {
    let site = repo();
    site.build().success();
    let product = site.read("public/usaha/rasa/produk/rasi/index.html");
    assert!(product.contains("Diperbarui 1 Oktober 2026"), "product date");
    let firm = site.read("public/usaha/rasa/index.html");
    assert!(firm.contains("Diperbarui 1 Oktober 2026"), "firm takes its latest file");
    let moved = site.read("public/usaha/baru/index.html");
    assert!(moved.contains("Diperbarui 5 Oktober 2026"), "renamed folder dated by the rename");
    let sitemap = site.read("public/sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://uji.example/usaha/rasa/produk/rasi/</loc>\n    <lastmod>2026-10-01</lastmod>"),
        "{sitemap}"
    );
    // Uncommitted changes have no commit date; the `updated:` field wins.
    site.put("content/firms/rasa/profile.yaml", format!("{PROFILE}updated: 2026-11-02\n").as_bytes());
    site.build().success();
    assert!(site.read("public/usaha/rasa/index.html").contains("Diperbarui 2 November 2026"));
}

#[test]
fn a_shallow_clone_has_no_git_dates() {
    let site = repo();
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", site.root().display());
    git(clone.path(), &["clone", "-q", "--depth", "1", &url, "c"], "2026-10-06T00:00:00+07:00");
    let root = clone.path().join("c");
    let out = Command::new(env!("CARGO_BIN_EXE_gotong")).args(["build", "--root"]).arg(&root).output().unwrap();
    assert!(out.status.success());
    let product = std::fs::read_to_string(root.join("public/usaha/rasa/produk/rasi/index.html")).unwrap();
    assert!(!product.contains("Diperbarui"), "a shallow clone must not invent dates");
    let sitemap = std::fs::read_to_string(root.join("public/sitemap.xml")).unwrap();
    assert!(!sitemap.contains("<lastmod>"), "{sitemap}");
}

#[test]
fn two_clones_of_a_commit_build_byte_identical_sites() {
    let site = repo();
    let url = format!("file://{}", site.root().display());
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    git(a.path(), &["clone", "-q", &url, "c"], "2026-10-06T00:00:00+07:00");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    git(b.path(), &["clone", "-q", &url, "c"], "2026-10-06T00:00:00+07:00");
    let build = |d: &Path| {
        let out = Command::new(env!("CARGO_BIN_EXE_gotong")).args(["build", "--root"]).arg(d).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let mut m = std::collections::BTreeMap::new();
        for e in walkdir::WalkDir::new(d.join("public")).into_iter().filter_map(Result::ok) {
            if e.file_type().is_file() {
                m.insert(e.path().strip_prefix(d).unwrap().to_path_buf(), std::fs::read(e.path()).unwrap());
            }
        }
        m
    };
    let (x, y) = (build(&a.path().join("c")), build(&b.path().join("c")));
    assert!(!x.is_empty());
    assert!(x == y, "builds of two clones differ");
}

#[test]
fn feed_and_robots() {
    let site = repo();
    site.build().success();
    let feed = site.read("public/feed.xml");
    let doc = roxmltree::Document::parse(&feed).expect("feed is XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "feed");
    assert_eq!(root.tag_name().namespace(), Some("http://www.w3.org/2005/Atom"));
    let entries: Vec<_> = root.children().filter(|n| n.has_tag_name("entry")).collect();
    // Firms rasa and baru, product rasi: newest first.
    assert_eq!(entries.len(), 3, "{feed}");
    let first_title = entries[0].children().find(|n| n.has_tag_name("title")).and_then(|n| n.text());
    assert_eq!(first_title, Some("Usaha Lain"));
    for e in &entries {
        for child in ["id", "updated", "title", "link"] {
            assert!(e.children().any(|n| n.has_tag_name(child)), "entry without {child}");
        }
    }
    let robots = site.read("public/robots.txt");
    assert!(robots.contains("Sitemap: https://uji.example/sitemap.xml"));
}

fn json_ld(html: &str) -> serde_json::Value {
    let start = html.find("<script type=\"application/ld+json\">").expect("json-ld script") + 35;
    let end = start + html[start..].find("</script>").expect("end");
    serde_json::from_str(&html[start..end]).expect("valid JSON-LD")
}

#[test]
fn structured_data_on_firm_and_product_pages() {
    let site = TestSite::new()
        .firm("rasa", &format!("{PROFILE}address: Jl. Leuwigajah No. 1\ncontact:\n  phone: \"+62 22 6612345\"\n"))
        .firm("bank", "name: Bank Uji\nkind: bank\ndistrict: Cimahi Tengah\nsummary: Kredit usaha\noffers: [kemasan]\n")
        .product("rasa", "rasi", PRODUCT)
        .product("rasa", "paket", &PRODUCT.replace("price: 15000", "price: {min: 10000, max: 25000}"));
    site.build().success();
    let firm = json_ld(&site.read("public/usaha/rasa/index.html"));
    assert_eq!(firm["@context"], "https://schema.org");
    let types: Vec<&str> = firm["@type"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()).collect();
    assert!(types.contains(&"LocalBusiness") && types.contains(&"Organization"));
    assert_eq!(firm["address"]["@type"], "PostalAddress");
    assert_eq!(firm["address"]["addressLocality"], "Kota Cimahi");
    assert_eq!(firm["address"]["streetAddress"], "Jl. Leuwigajah No. 1");
    assert_eq!(firm["url"], "https://uji.example/usaha/rasa/");
    let bank = json_ld(&site.read("public/usaha/bank/index.html"));
    assert_eq!(bank["@type"], "Organization");
    let product = json_ld(&site.read("public/usaha/rasa/produk/rasi/index.html"));
    assert_eq!(product["@type"], "Product");
    assert_eq!(product["offers"]["@type"], "Offer");
    assert_eq!(product["offers"]["priceCurrency"], "IDR");
    assert_eq!(product["offers"]["price"], "15000");
    let range = json_ld(&site.read("public/usaha/rasa/produk/paket/index.html"));
    assert_eq!(range["offers"]["@type"], "AggregateOffer");
    assert_eq!(
        (range["offers"]["lowPrice"].as_str(), range["offers"]["highPrice"].as_str()),
        (Some("10000"), Some("25000"))
    );
}

#[test]
fn edit_links_point_at_the_repository() {
    let site = TestSite::new()
        .write(
            "site.yaml",
            "title: T\nbase_url: https://uji.example\nrepo_edit_url: https://github.com/org/katalog/edit/main\n",
        )
        .firm("rasa", PROFILE)
        .product("rasa", "rasi", PRODUCT);
    site.build().success();
    assert!(
        site.read("public/usaha/rasa/index.html")
            .contains("https://github.com/org/katalog/edit/main/content/firms/rasa/profile.yaml")
    );
    assert!(
        site.read("public/usaha/rasa/produk/rasi/index.html")
            .contains("https://github.com/org/katalog/edit/main/content/firms/rasa/products/rasi.md")
    );
}

#[test]
#[ignore = "needs xmllint (Debian libxml2-utils); .ci/run runs it"]
fn sitemap_is_valid_against_the_sitemaps_org_schema() {
    let site = repo();
    site.build().success();
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/sitemap.xsd");
    let out = Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(&schema)
        .arg(site.path("public/sitemap.xml"))
        .output()
        .expect("xmllint is installed");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
#[ignore = "needs xmllint (Debian libxml2-utils); .ci/run runs it"]
fn sitemap_index_is_valid_past_50000_urls() {
    let entries: Vec<gotong::publish::UrlEntry> = (0..50_001)
        .map(|i| gotong::publish::UrlEntry { loc: format!("https://uji.example/usaha/u-{i}/"), lastmod: None })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let files = gotong::publish::sitemaps("https://uji.example", &entries);
    for (name, bytes) in &files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas");
    for (name, schema) in
        [("sitemap.xml", "siteindex.xsd"), ("sitemap-1.xml", "sitemap.xsd"), ("sitemap-2.xml", "sitemap.xsd")]
    {
        let out = Command::new("xmllint")
            .args(["--noout", "--schema"])
            .arg(schemas.join(schema))
            .arg(dir.path().join(name))
            .output()
            .expect("xmllint is installed");
        assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
    }
}

/// A reschedule reaches calendars that imported an agenda: `DTSTAMP` and
/// `SEQUENCE` are the day the schedule's inputs (the event file, the
/// participants' profiles) last changed in git, so a moved meeting has a
/// higher SEQUENCE than before (RFC 5546 2.1.5) and the same UID.
#[test]
fn calendars_see_a_reschedule_as_an_update() {
    let event = "name: Temu\ndate: 2027-03-10\nvenue: Aula\nsessions: [{start: \"09:00\", end: \"11:00\"}]\nmeeting_minutes: 20\ntables: 2\n";
    let site = TestSite::new()
        .firm("rasa", PROFILE)
        .firm(
            "kemas",
            &PROFILE
                .replace("CV Rasa Cireundeu", "Kemas")
                .replace("offers: [rasi]", "offers: [kemasan-plastik]")
                .replace("needs: [kemasan-plastik]", "needs: [rasi]"),
        )
        .write("content/events/temu.yaml", event);
    let root = site.root();
    git(root, &["init", "-q", "-b", "main"], "2026-09-01T10:00:00+07:00");
    git(root, &["add", "."], "2026-09-01T10:00:00+07:00");
    git(root, &["commit", "-qm", "awal"], "2026-09-01T10:00:00+07:00");
    site.build().success();
    let ics = site.read("public/temu/temu/rasa.ics");
    assert!(ics.contains("DTSTAMP:20260901T000000Z\r\nSEQUENCE:20260901\r\n"), "{ics}");
    let uid = |ics: &str| ics.lines().find(|l| l.starts_with("UID:")).map(str::to_string);
    let before = uid(&ics);
    site.put("content/events/temu.yaml", event.replace("09:00", "10:00").replace("11:00", "12:00").as_bytes());
    git(root, &["commit", "-qam", "jadwal"], "2026-10-02T09:00:00+07:00");
    site.build().success();
    let ics = site.read("public/temu/temu/rasa.ics");
    assert!(ics.contains("DTSTART;TZID=Asia/Jakarta:20270310T100000"), "{ics}");
    assert!(ics.contains("DTSTAMP:20261002T000000Z\r\nSEQUENCE:20261002\r\n"), "{ics}");
    assert_eq!(uid(&ics), before, "the meeting keeps its UID");
    // A participant's profile shapes the schedule too.
    site.put(
        "content/firms/kemas/profile.yaml",
        format!("{}address: Jl. Baru\n", site.read("content/firms/kemas/profile.yaml")).as_bytes(),
    );
    git(root, &["commit", "-qam", "alamat"], "2026-11-03T09:00:00+07:00");
    site.build().success();
    assert!(site.read("public/temu/temu/rasa.ics").contains("SEQUENCE:20261103\r\n"));
}
