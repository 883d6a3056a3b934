//! SPEC 11: the printable company profile and the draft partnership
//! proposals (HTML and .docx): one draft per suggestion with the same
//! reasons, a page saying what to add when there is none, hostile names
//! inert in both formats, a .docx of well-formed XML with one heading per
//! draft and byte-identical across builds, a QR code that decodes to the
//! firm's page, and pages that an unchanged rebuild does not write.

use std::collections::BTreeMap;
use std::io::Read;

use crate::support::TestSite;

const VOCAB: &str = "kemasan:\n  label: Kemasan\n  label_en: Packaging\n  children: [kemasan-plastik]\nkemasan-plastik:\n  label: Kemasan plastik\n  label_en: Plastic packaging\nrasi:\n  label: Rasi\n  label_en: Cassava rice\nsingkong:\n  label: Singkong\n  label_en: Cassava\n";

fn profile(name: &str, extra: &str) -> String {
    format!(
        "name: {name}\nsector: makanan-minuman\nscale: kecil\ndistrict: Cimahi Selatan\nsubdistrict: Leuwigajah\nsummary: Usaha {name}\n{extra}"
    )
}

/// Four firms that suggest one another (rasa buys cassava from tani, sells
/// rasi to warung, buys packaging from kemas), and one with nothing to
/// match on.
fn site() -> TestSite {
    TestSite::new()
        .write("site.yaml", "title: Katalog Uji\nbase_url: https://uji.example\nlanguages: [id, en]\n")
        .write("content/vocabulary.yaml", VOCAB)
        .firm(
            "rasa",
            &profile(
                "CV Rasa",
                "offers: [rasi]\nneeds: [kemasan-plastik]\ncooperation: [pemasok]\ncontact:\n  email: rasa@uji.example\n",
            ),
        )
        .product(
            "rasa",
            "rasi",
            "---\nname: Rasi Cireundeu\ncategory: makanan-pokok\nprice: 15000\nunit: kg\nmaterials: [singkong]\n---\nRasi.\n",
        )
        .firm("tani", &profile("Tani Makmur", "offers: [singkong]\ncooperation: [pemasok]\n"))
        .firm("kemas", &profile("Kemas Jaya", "scale: menengah\noffers: [kemasan-plastik]\n").replace("scale: kecil\n", ""))
        .firm("warung", &profile("Warung Rasi", "needs: [rasi]\n"))
        .firm("sendiri", "name: Sendiri\nsector: kerajinan\nscale: kecil\ndistrict: Cimahi Utara\nsummary: Sendiri\n")
}

fn katalog(site: &TestSite) -> serde_json::Value {
    serde_json::from_str(&site.read("public/data/katalog.json")).unwrap()
}

fn firm_json<'a>(json: &'a serde_json::Value, slug: &str) -> &'a serde_json::Value {
    json["firms"].as_array().unwrap().iter().find(|f| f["slug"] == slug).expect(slug)
}

/// The draft sections of a proposal page: (id, data-reasons, inner HTML).
fn sections(html: &str) -> Vec<(String, String, String)> {
    html.split("<section class=\"letter\" id=\"")
        .skip(1)
        .map(|rest| {
            let id = rest.split('"').next().unwrap().to_string();
            let reasons = rest.split("data-reasons=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
            let body = rest.split("</section>").next().unwrap().to_string();
            (id, reasons, body)
        })
        .collect()
}

/// The parts of a zip file, by name.
fn unzip(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip file");
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut out = Vec::new();
            f.read_to_end(&mut out).unwrap();
            (f.name().to_string(), out)
        })
        .collect()
}

/// Texts of the paragraphs of word/document.xml with the given style.
fn styled_paragraphs(document: &str, style: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(document).expect("well-formed document.xml");
    doc.descendants()
        .filter(|n| n.tag_name().name() == "p")
        .filter(|p| {
            p.descendants().any(|n| {
                n.tag_name().name() == "pStyle" && n.attributes().any(|a| a.name() == "val" && a.value() == style)
            })
        })
        .map(|p| p.descendants().filter(|n| n.tag_name().name() == "t").filter_map(|n| n.text()).collect())
        .collect()
}

fn label(tag: &str) -> &'static str {
    match tag {
        "kemasan-plastik" => "kemasan plastik",
        "rasi" => "rasi",
        "singkong" => "singkong",
        other => panic!("no label for {other}"),
    }
}

#[test]
fn proposal_sections_match_the_suggestions_one_for_one() {
    let site = site();
    site.build().success();
    let json = katalog(&site);
    let mut checked = 0;
    for slug in ["rasa", "tani", "kemas", "warung"] {
        let suggested = firm_json(&json, slug)["suggested_partners"].as_array().unwrap().clone();
        assert!(!suggested.is_empty(), "{slug} has suggestions");
        let page = site.read(&format!("public/usaha/{slug}/proposal/index.html"));
        let found = sections(&page);
        let ids: Vec<&str> = found.iter().map(|(id, _, _)| id.as_str()).collect();
        let want: Vec<&str> = suggested.iter().map(|s| s["slug"].as_str().unwrap()).collect();
        assert_eq!(ids, want, "{slug}: one section per suggestion, in order");
        for ((_, reasons, body), s) in found.iter().zip(&suggested) {
            let kinds: Vec<&str> =
                s["reasons"].as_array().unwrap().iter().map(|r| r["kind"].as_str().unwrap()).collect();
            assert_eq!(reasons, &kinds.join(" "), "{slug}: the same reasons");
            for r in s["reasons"].as_array().unwrap() {
                let kind = r["kind"].as_str().unwrap();
                assert!(body.contains(&format!("data-reason=\"{kind}\"")), "{slug}: the {kind} reason is stated");
                for t in r["tags"].as_array().into_iter().flatten() {
                    assert!(body.to_lowercase().contains(label(t.as_str().unwrap())), "{slug}: tag {t} named");
                }
            }
            // No reason the suggestion does not give.
            for kind in ["supplies", "buys", "scale_linkage", "cooperation", "nearby"] {
                if !kinds.contains(&kind) {
                    assert!(
                        !body.contains(&format!("data-reason=\"{kind}\"")),
                        "{slug}: {kind} stated without a reason"
                    );
                }
            }
            checked += 1;
        }
        // The mitra page links every card to its draft.
        let mitra = site.read(&format!("public/usaha/{slug}/mitra/index.html"));
        for id in &want {
            assert!(mitra.contains(&format!("/usaha/{slug}/proposal/#{id}\"")), "{slug}: card of {id} links its draft");
        }
    }
    assert!(checked >= 6, "{checked} drafts checked");
    // rasa's draft to tani names the product the cassava is for.
    let page = site.read("public/usaha/rasa/proposal/index.html");
    let tani = sections(&page).into_iter().find(|(id, _, _)| id == "tani").unwrap().2;
    assert!(tani.contains("Rasi Cireundeu"), "the product the need comes from");
    assert!(tani.contains("PP") || tani.contains("Peraturan Pemerintah Nomor 29 Tahun 2018"), "legal basis");
    assert!(tani.contains("Pasal 31"), "article 31");
    assert!(tani.contains("<mark class=\"isian\""), "placeholders marked");
    assert!(tani.contains("musyawarah"), "dispute settlement by deliberation");
    assert!(page.contains("<meta name=\"robots\" content=\"noindex\">"), "drafts are not for search engines");
    // The English edition is in English.
    let en = site.read("public/en/usaha/rasa/proposal/index.html");
    assert_eq!(sections(&en).len(), sections(&page).len());
    assert!(en.contains("Government Regulation 29/2018") && en.contains("Cassava"), "English drafts");
    assert!(!site.read("public/sitemap.xml").contains("/proposal/"), "drafts are not in the sitemap");
}

#[test]
fn a_firm_without_suggestions_gets_a_page_saying_what_to_add() {
    let site = site();
    site.build().success();
    let page = site.read("public/usaha/sendiri/proposal/index.html");
    assert!(sections(&page).is_empty());
    assert!(page.contains("Belum ada draf proposal"), "says there is none");
    assert!(page.contains("offers") && page.contains("needs") && page.contains("cooperation"), "names the fields");
    assert!(!site.exists("public/usaha/sendiri/proposal.docx"), "no empty Word file");
    // The mitra page says the same (one component writes both lists).
    let mitra = site.read("public/usaha/sendiri/mitra/index.html");
    assert!(mitra.contains("offers") && mitra.contains("needs") && mitra.contains("cooperation"), "{mitra}");
    assert!(site.exists("public/usaha/rasa/proposal.docx"));
}

#[test]
fn the_docx_is_well_formed_with_one_heading_per_draft_and_identical_across_builds() {
    let site = site();
    site.build().success();
    let json = katalog(&site);
    for (prefix, lang) in [("", "id"), ("en/", "en")] {
        for slug in ["rasa", "tani", "kemas", "warung"] {
            let bytes = std::fs::read(site.path(&format!("public/{prefix}usaha/{slug}/proposal.docx"))).unwrap();
            let parts = unzip(&bytes);
            for name in
                ["[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml", "word/numbering.xml"]
            {
                assert!(parts.contains_key(name), "{slug}: part {name}");
            }
            for (name, xml) in &parts {
                let text = std::str::from_utf8(xml).unwrap_or_else(|_| panic!("{name} is UTF-8"));
                roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{slug} {name}: {e}"));
            }
            let document = std::str::from_utf8(&parts["word/document.xml"]).unwrap();
            let headings = styled_paragraphs(document, "Heading1");
            let suggested = firm_json(&json, slug)["suggested_partners"].as_array().unwrap();
            assert_eq!(headings.len(), suggested.len(), "{lang} {slug}: one heading per draft: {headings:?}");
            let page = site.read(&format!("public/{prefix}usaha/{slug}/proposal/index.html"));
            for (h, (id, _, _)) in headings.iter().zip(sections(&page)) {
                let partner = firm_json(&json, &id)[if lang == "en" { "name_en" } else { "name" }]
                    .as_str()
                    .or(firm_json(&json, &id)["name"].as_str())
                    .unwrap();
                assert!(h.contains(partner), "{lang} {slug}: heading {h:?} names {partner}");
            }
            assert_eq!(
                document.matches("<w:pageBreakBefore").count(),
                suggested.len() - 1,
                "{slug}: each draft after the first starts a new page"
            );
            assert!(document.contains("<w:numPr>"), "{slug}: real lists");
            assert!(document.contains("<w:tbl>"), "{slug}: tables");
            // An independent reader of the package.
            let read = docx_rs::read_docx(&bytes).unwrap_or_else(|e| panic!("{slug}: docx-rs cannot read it: {e}"));
            assert!(!read.document.children.is_empty());
        }
    }
    // Byte-identical on a second build from scratch, with another thread count.
    let first = site.tree("public");
    std::fs::remove_dir_all(site.path("public")).unwrap();
    site.run_env(&["build"], &[("RAYON_NUM_THREADS", "1")]).success();
    let second = site.tree("public");
    for (path, bytes) in &first {
        if path.ends_with(".docx") || path.contains("/profil/") || path.contains("/proposal/") {
            assert_eq!(Some(bytes), second.get(path), "{path} differs between builds");
        }
    }
}

#[test]
fn docx_can_be_turned_off() {
    let site =
        site().write("site.yaml", "title: Katalog Uji\nbase_url: https://uji.example\nproposals: {docx: false}\n");
    site.build().success();
    assert!(site.exists("public/usaha/rasa/proposal/index.html"));
    assert!(!site.exists("public/usaha/rasa/proposal.docx"));
    assert!(!site.read("public/usaha/rasa/proposal/index.html").contains("proposal.docx"), "no link to it");
    let site = site.write("site.yaml", "title: Katalog Uji\nbase_url: https://uji.example\nproposals: {docs: false}\n");
    site.build().code(1).error_at("site.yaml:3:13", "docx");
}

const HOSTILE: &str = "<script>alert(1)</script> & \"Q\" 'x' [tanggal] *em* {name} </w:t><w:p>";

#[test]
fn hostile_names_stay_inert_in_html_and_docx() {
    let quoted = serde_json::to_string(HOSTILE).unwrap();
    let site = site()
        .write(
            "content/vocabulary.yaml",
            &VOCAB.replace("label: Singkong", &format!("label: {}", serde_json::to_string(&format!("Singkong {HOSTILE}")).unwrap())),
        )
        .firm(
            "rasa",
            &format!(
                "name: {quoted}\nsector: makanan-minuman\nscale: kecil\ndistrict: Cimahi Selatan\nsubdistrict: Leuwigajah\nsummary: {quoted}\naddress: {quoted}\noffers: [rasi]\nneeds: [kemasan-plastik]\ncontact:\n  email: rasa@uji.example\n"
            ),
        )
        .product("rasa", "rasi", &format!("---\nname: {quoted}\ncategory: makanan-pokok\ncapacity: {quoted}\nmaterials: [singkong]\n---\n{HOSTILE}\n"))
        .firm("tani", &profile("Tani", &format!("offers: [singkong]\naddress: {quoted}\n")));
    site.build().success();
    for page in [
        "public/usaha/rasa/proposal/index.html",
        "public/usaha/tani/proposal/index.html",
        "public/usaha/rasa/profil/index.html",
        "public/usaha/tani/profil/index.html",
    ] {
        let html = site.read(page);
        assert!(!html.contains("<script>alert"), "{page}: a live script");
        assert!(!html.contains("</w:t>"), "{page}: raw markup");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{page}: the name shown as text");
    }
    // Brackets, asterisks and braces in a name are text, not placeholders.
    let tani = site.read("public/usaha/tani/proposal/index.html");
    assert!(tani.contains("&#39;x&#39; [tanggal] *em* {name} &lt;"), "a name's [..], *..* and {{..}} stay text");
    assert!(
        !tani.contains(">[tanggal]</mark> *em*") && !tani.contains("<em>em</em>"),
        "no placeholder or emphasis made of a name"
    );
    for docx in ["public/usaha/rasa/proposal.docx", "public/usaha/tani/proposal.docx"] {
        let parts = unzip(&std::fs::read(site.path(docx)).unwrap());
        let document = std::str::from_utf8(&parts["word/document.xml"]).unwrap();
        let doc = roxmltree::Document::parse(document).expect("well-formed");
        let body_text: String =
            doc.descendants().filter(|n| n.tag_name().name() == "t").filter_map(|n| n.text()).collect();
        assert!(body_text.contains(HOSTILE), "{docx}: the name as text");
        assert!(!doc.descendants().any(|n| n.tag_name().name() == "script"), "{docx}: no element from content");
        let paragraphs = doc.descendants().filter(|n| n.tag_name().name() == "p").count();
        let headings = styled_paragraphs(document, "Heading1").len();
        let page = site.read(&docx.replace("proposal.docx", "proposal/index.html"));
        let drafts = sections(&page).len();
        assert!(
            paragraphs > 20 * drafts && headings == drafts && drafts > 0,
            "{docx}: structure intact ({paragraphs} paragraphs, {headings} headings, {drafts} drafts)"
        );
    }
}

/// Reads the SVG's path back into modules and decodes them with rqrr, a
/// reader independent of the encoder.
fn decode_qr(svg: &str) -> String {
    let size: usize = svg.split("viewBox=\"0 0 ").nth(1).and_then(|s| s.split(' ').next()).unwrap().parse().unwrap();
    let d = svg.split(" d=\"").nth(1).unwrap().split('"').next().unwrap();
    let mut dark = vec![false; size * size];
    for cmd in d.split('M').filter(|c| !c.is_empty()) {
        let (xy, rest) = cmd.split_once('h').unwrap();
        let (x, y) = xy.split_once(' ').unwrap();
        let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
        let w: usize = rest.split('v').next().unwrap().parse().unwrap();
        for i in x..x + w {
            dark[y * size + i] = true;
        }
    }
    let scale = 4;
    let px = size * scale;
    let mut img =
        rqrr::PreparedImage::prepare_from_greyscale(
            px,
            px,
            |x, y| {
                if dark[(y / scale) * size + x / scale] { 0 } else { 255 }
            },
        );
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code");
    grids[0].decode().expect("decodes").1
}

#[test]
fn the_profile_has_a_qr_code_of_the_firm_page_and_is_linked() {
    let site = site();
    site.build().success();
    for (page, url) in [
        ("public/usaha/rasa/profil/index.html", "https://uji.example/usaha/rasa/"),
        ("public/en/usaha/rasa/profil/index.html", "https://uji.example/en/usaha/rasa/"),
    ] {
        let html = site.read(page);
        let svg = html
            .split("<svg class=\"qr\"")
            .nth(1)
            .map(|s| format!("<svg class=\"qr\"{}", s.split("</svg>").next().unwrap()))
            .expect("an inline SVG");
        assert_eq!(decode_qr(&svg), url, "{page}");
        assert!(html.contains("Rasi Cireundeu") && html.contains("Rp 15"), "{page}: products with prices");
        assert!(html.contains("rasa@uji.example"), "{page}: contact");
    }
    let firm = site.read("public/usaha/rasa/index.html");
    assert!(firm.contains("href=\"/usaha/rasa/profil/\""), "the firm page links its profile");
    // Certifications with their full names.
    let site = site.firm("tani", &profile("Tani", "offers: [singkong]\ncertifications: [pirt, halal]\n"));
    site.build().success();
    let html = site.read("public/usaha/tani/profil/index.html");
    assert!(
        html.contains("Sertifikat Produksi Pangan Industri Rumah Tangga (P-IRT)") && html.contains("Sertifikat Halal")
    );
}

#[test]
fn an_unchanged_rebuild_writes_none_of_them_and_an_edit_of_a_partner_updates_the_draft() {
    let site = site();
    site.build().success();
    let files = [
        "public/usaha/rasa/profil/index.html",
        "public/usaha/rasa/proposal/index.html",
        "public/usaha/rasa/proposal.docx",
        "public/en/usaha/rasa/proposal.docx",
    ];
    let mtime = |p: &str| std::fs::metadata(site.path(p)).unwrap().modified().unwrap();
    let before: Vec<_> = files.iter().map(|p| mtime(p)).collect();
    std::thread::sleep(std::time::Duration::from_millis(20));
    site.build().success();
    let after: Vec<_> = files.iter().map(|p| mtime(p)).collect();
    assert_eq!(before, after, "an unchanged rebuild rewrote them");
    // The partner's new name reaches the other firm's draft and .docx.
    site.put(
        "content/firms/tani/profile.yaml",
        profile("Tani Sejahtera", "offers: [singkong]\ncooperation: [pemasok]\n").as_bytes(),
    );
    site.build().success();
    assert!(site.read("public/usaha/rasa/proposal/index.html").contains("Tani Sejahtera"));
    let parts = unzip(&std::fs::read(site.path("public/usaha/rasa/proposal.docx")).unwrap());
    assert!(String::from_utf8_lossy(&parts["word/document.xml"]).contains("Tani Sejahtera"));
}

/// A partner's slug is the id of its letter (SPEC 11), and a slug may be any
/// word the theme also uses as an id (`isi`, the main content): the theme's
/// own id on the proposal page holds "--", which no slug does, so ids stay
/// unique and the skip link still lands on the main content.
#[test]
fn a_partner_slug_that_is_a_theme_id_keeps_the_ids_unique() {
    let site = site().firm("isi", &profile("Warung Isi", "needs: [rasi]\n"));
    site.build().success();
    let page = site.read("public/usaha/rasa/proposal/index.html");
    assert!(sections(&page).iter().any(|(id, _, _)| id == "isi"), "the letter to `isi` is there");
    let mut ids: Vec<&str> = page.split(" id=\"").skip(1).map(|r| r.split('"').next().unwrap()).collect();
    ids.sort_unstable();
    let n = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), n, "duplicate ids on the proposal page");
    let skip = page.split("class=\"skip\" href=\"#").nth(1).unwrap().split('"').next().unwrap();
    assert!(page.contains(&format!("<main id=\"{skip}\"")), "the skip link lands on <main>: #{skip}");
}

/// The link scan skips the letters where they stand in the page
/// (`Renderer::render_page`), and only them: the default theme's page
/// holds each letter once; a theme that shows the letters twice, or not at
/// all, or measures them, gets them as they are; and the theme's own broken
/// links between, after or instead of the letters are still found.
#[test]
fn a_theme_places_letters_as_it_likes() {
    let site = site();
    site.build().success();
    let page = site.read("public/usaha/rasa/proposal/index.html");
    // Each letter's own HTML (what follows its section's opening tag).
    let letters: Vec<(String, String)> = sections(&page)
        .into_iter()
        .map(|(id, _, body)| (id, body.split_once('>').unwrap().1.trim().to_string()))
        .collect();
    assert!(letters.len() >= 2 && letters.iter().all(|(_, l)| l.starts_with("<div class=\"letterhead\">")));
    for (id, letter) in &letters {
        assert_eq!(page.matches(letter.as_str()).count(), 1, "{id}: each letter once");
    }

    const SECTIONS: &str = "{% for d in proposal.drafts %}<section class=\"letter\" id=\"{{ d.slug }}\" data-reasons=\"\">{{ d.html | safe }}</section>{% if loop.first %}BETWEEN{% endif %}{% endfor %}\n<aside>{% for d in proposal.drafts %}{{ d.html | safe }}{% endfor %}</aside>END\n";
    let twice = site.write(
        "templates/proposal.html",
        &format!(
            "<!doctype html><title>x</title>{}",
            SECTIONS
                .replace("BETWEEN", "<a href=\"/hilang-antara/\">x</a>")
                .replace("END", "<a href=\"/hilang-akhir/\">x</a>")
        ),
    );
    let run = twice.build();
    assert_ne!(run.status, Some(0), "{}", run.stderr);
    for url in ["/hilang-antara/", "/hilang-akhir/"] {
        assert!(
            run.stderr.contains(&format!("broken link `{url}`")),
            "the theme's link {url} is checked: {}",
            run.stderr
        );
    }
    let twice = twice.write(
        "templates/proposal.html",
        &format!("<!doctype html><title>x</title>{}", SECTIONS.replace("BETWEEN", "").replace("END", "")),
    );
    twice.build().success();
    let page = twice.read("public/usaha/rasa/proposal/index.html");
    for (id, letter) in &letters {
        assert_eq!(page.matches(letter.as_str()).count(), 2, "{id}: each letter twice");
    }

    const MEASURED: &str = "<!doctype html><title>x</title><p>{{ proposal.drafts | length }}{% if proposal.drafts %} {{ proposal.drafts[0].html | length }}{% endif %}</p>";
    let none = twice.write("templates/proposal.html", &format!("{MEASURED}<a href=\"/hilang/\">x</a>\n"));
    let run = none.build();
    assert!(run.status != Some(0) && run.stderr.contains("broken link `/hilang/`"), "{}", run.stderr);
    let none = none.write("templates/proposal.html", &format!("{MEASURED}\n"));
    none.build().success();
    let page = none.read("public/usaha/rasa/proposal/index.html");
    let want = format!("<p>{} {}</p>", letters.len(), letters[0].1.chars().count() + 1); // + its final line break, trimmed above
    assert!(page.contains(&want), "the letters as they are, {want}: {page}");
}
