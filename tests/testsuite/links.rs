//! The link checker on every link form content can write: the URL checked
//! is the one the page's HTML carries, and a broken one is reported at the
//! content file, line and column that wrote it.

use crate::support::{PROFILE, TestSite};

/// A free page that uses every Markdown link form, all valid.
const EVERY_FORM: &str = "---
title: Kontak
---
# [Beranda](/)

Tulis ke <redaksi@example.org> atau buka <https://example.org/katalog>.

Lihat [usaha kami][rasa], [Rasa] dan [rasa][].
![logo][logo] dan [peta](<https://example.org/peta kota>) \"judul\".

| usaha | tautan |
|---|---|
| Rasa | [profil](/usaha/rasa/ \"Profil\") |

Catatan kaki[^1].

[^1]: Sumber: [data](/data/katalog.json).

<p>HTML: <a href=\"/usaha/rasa/#kontak\">kontak</a> <img src=\"/usaha/rasa/logo.png\" alt=\"\"></p>

<iframe src=\"hilang-tapi-dibuang\"></iframe>

[rasa]: /usaha/rasa/
[logo]: /usaha/rasa/logo.png
";

fn site() -> TestSite {
    TestSite::new().firm("rasa", &format!("{PROFILE}logo: logo.png\n")).write("content/firms/rasa/logo.png", "")
}

fn with_logo(site: TestSite) -> TestSite {
    site.put("content/firms/rasa/logo.png", &crate::support::png(40, 40));
    site
}

#[test]
fn every_link_form_builds() {
    let site = with_logo(site().write("content/pages/kontak.md", EVERY_FORM));
    site.build().success();
    let html = site.read("public/kontak/index.html");
    assert!(html.contains("href=\"mailto:redaksi@example.org\""), "{html}");
    assert!(html.contains("href=\"#isi-catatan-1\"") && html.contains("id=\"isi-catatan-1\""), "{html}");
    assert!(!html.contains("hilang-tapi-dibuang"), "the sanitiser drops iframes");
    site.run(&["check"]).success();
}

#[test]
fn broken_links_are_reported_where_content_wrote_them() {
    let page = "---
title: Kontak
---
Baris dua <redaksi@example.org>.
[a](/tidak-ada/) dan <img src=\"x\">
[ref][r]

[r]: /juga-tidak/
";
    let site = with_logo(site().write("content/pages/kontak.md", page));
    let run = site.build().code(1);
    run.error_at("content/pages/kontak.md:5:5", "broken link `/tidak-ada/`");
    run.error_at("content/pages/kontak.md:5:32", "broken link `x`: it leads to `/kontak/x`");
    run.error_at("content/pages/kontak.md:8:6", "broken link `/juga-tidak/`");
    assert_eq!(run.error_count(), 3, "{}", run.stderr);
    assert!(!run.stderr.contains("themes/"), "no template is blamed:\n{}", run.stderr);
    assert!(!run.stderr.contains("redaksi"), "an e-mail autolink is not a page:\n{}", run.stderr);
    let check = site.run(&["check"]).code(1);
    let problems = |t: &str| t.lines().filter(|l| l.contains(": error: ")).map(String::from).collect::<Vec<_>>();
    assert_eq!(problems(&run.stderr), problems(&check.stderr));
}

#[test]
fn raw_html_in_a_firm_description_resolves_against_the_firm_folder() {
    let site = with_logo(site().write(
        "content/firms/rasa/index.md",
        "Logo: <img src=\"logo.png\" alt=\"logo\">\n\nDan <a href=\"brosur.pdf\">brosur</a>\n",
    ));
    let run = site.build().code(1);
    run.error_at("content/firms/rasa/index.md:3:14", "broken link `/usaha/rasa/brosur.pdf`");
    site.put("content/firms/rasa/brosur.pdf", b"%PDF-1.4\n");
    site.build().success();
    let html = site.read("public/usaha/rasa/index.html");
    assert!(html.contains("src=\"/usaha/rasa/logo.png\""), "{html}");
}

#[test]
fn a_template_is_blamed_only_for_links_it_writes() {
    // The theme's 404.html `{% extends %}` holds the letter x; a page's raw
    // `<img src="x">` must still be blamed on the page.
    let site = with_logo(site().write("content/pages/x.md", "---\ntitle: X\n---\n<img src=\"x\">\n"));
    let run = site.build().code(1);
    run.error_at("content/pages/x.md:4:11", "broken link `x`: it leads to `/x/x`");
    assert!(!run.stderr.contains("templates/"), "{}", run.stderr);
}

#[test]
fn a_broken_link_in_two_editions_is_one_error() {
    let site = with_logo(
        site()
            .write("site.yaml", "title: T\nbase_url: https://uji.example\nlanguages: [id, en]\n")
            .write("content/pages/x.md", "---\ntitle: X\n---\n[a](hilang/)\n"),
    );
    let run = site.build().code(1);
    assert_eq!(run.error_count(), 1, "{}", run.stderr);
    run.error_at("content/pages/x.md:4:5", "it leads to `/x/hilang/`");
}
