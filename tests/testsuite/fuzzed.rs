//! Regression tests for what fuzzing found (docs/testing.md lists each
//! finding with the target and the input that found it).

use crate::support::TestSite;

/// F1: a YAML syntax error at the end of a file was placed on the line
/// after the last one, so no source line was shown.
#[test]
fn syntax_error_at_the_end_of_a_file_shows_the_last_line() {
    for text in
        ["title: T\nbase_url: https://uji.example\npaginate", "title: T\nbase_url: https://uji.example\npaginate\n"]
    {
        let site = TestSite::new().write("site.yaml", text);
        let run = site.run(&["check"]).code(1);
        run.error_at("site.yaml:3:9", "invalid YAML");
        assert!(run.stderr.contains("3 | paginate\n"), "{}", run.stderr);
    }
}

/// F2 (target `markdown`): an `<a>` left open in a paragraph is opened
/// again after it by the HTML parser, so the page carries the link twice;
/// the copy was reported at the first line of the body, column 1, instead
/// of where the link is written.
#[test]
fn a_link_the_html_parser_copies_is_reported_where_it_is_written() {
    let site = TestSite::new()
        .firm("rasa", crate::support::PROFILE)
        .write("content/pages/kontak.md", "---\ntitle: Kontak\n---\nBaris pertama.\n\n<a href=\"/hilang/\">x<-a>\n");
    let run = site.build().code(1);
    run.error_at("content/pages/kontak.md:6:10", "broken link `/hilang/`");
    assert!(!run.stderr.contains("kontak.md:4:1:"), "an error at the start of the body:\n{}", run.stderr);
    let located: Vec<&str> = run.stderr.lines().filter(|l| l.contains(": error: ")).collect();
    assert!(located.iter().all(|l| l.starts_with("content/pages/kontak.md:6:10: ")), "{located:#?}");
}

/// F3 (targets `firm` and `event`): written URLs were matched with the
/// page's links once percent-decoded only, so a link was reported at an
/// earlier URL that the sanitiser dropped (there a `javascript:` autolink
/// and `%6Aavascript:…`; here an `<iframe src>`) if it decodes the same.
#[test]
fn a_link_is_matched_with_its_own_text_before_one_that_decodes_the_same() {
    let site = TestSite::new().firm("rasa", crate::support::PROFILE).write(
        "content/pages/kontak.md",
        "---\ntitle: Kontak\n---\n<iframe src=\"/hilang x/\"></iframe>\n\n[x](/hilang%20x/)\n",
    );
    let run = site.build().code(1);
    run.error_at("content/pages/kontak.md:6:5", "broken link `/hilang%20x/`");
    assert_eq!(run.error_count(), 1, "{}", run.stderr);
}

/// F4 (target `markdown`): raw HTML that stops inside a tag (`<div` as the
/// last line of an HTML block) made the search for URLs in it read past
/// its end: a panic (exit 101) on a page an editor can easily write.
#[test]
fn raw_html_cut_inside_a_tag_builds() {
    for body in ["Teks.\n\n<div\n", "<div class=x\n\nTeks.\n", "<a href=\"/\n"] {
        let site = TestSite::new()
            .firm("rasa", crate::support::PROFILE)
            .write("content/pages/kontak.md", &format!("---\ntitle: Kontak\n---\n{body}"));
        let run = site.build();
        assert!(!run.stderr.contains("panicked"), "{body:?}:\n{}", run.stderr);
        run.success();
    }
}

/// F5 (target `markdown`, in CI): the HTML parser reads a NUL in an
/// attribute as U+FFFD and a line break inside one as LF, so the URL the
/// page carries was not the one written and the link was reported at the
/// first line of the body, column 1.
#[test]
fn a_link_the_html_parser_rewrites_is_reported_where_it_is_written() {
    let site = TestSite::new().firm("rasa", crate::support::PROFILE).write(
        "content/pages/kontak.md",
        "---\r\ntitle: Kontak\r\n---\r\nTeks.\r\n\r\n<a href=\"/hi\u{0}lang/\">x</a> <img\r\nsrc=\"/tidak\r\nada/\">\r\n",
    );
    let run = site.build().code(1);
    run.error_at("content/pages/kontak.md:6:10", "broken link");
    run.error_at("content/pages/kontak.md:7:6", "broken link");
    // The NUL itself is refused too, where it stands.
    run.error_at("content/pages/kontak.md:6:13", "the control character U+0000");
    assert_eq!(run.error_count(), 3, "{}", run.stderr);
}

/// L2 (target `event`): the sanitiser's HTML parser reads `<noscript>` as
/// text up to its end tag, so `<img src>` after a `</noscript>` written
/// inside a title attribute is a real image; gotong's URL scanner took the
/// attribute for one and reported the link at the first line, column 1.
#[test]
fn a_link_after_a_raw_text_element_is_reported_where_it_is_written() {
    let site = TestSite::new().firm("rasa", crate::support::PROFILE).write(
        "content/pages/kontak.md",
        "---\ntitle: Kontak\n---\nTeks.\n\n<div>\n<noscript><p title=\"</noscript><img src=/hilang.png>\"></noscript>\n</div>\n",
    );
    let run = site.build().code(1);
    run.error_at("content/pages/kontak.md:7:41", "broken link");
    assert_eq!(run.error_count(), 1, "{}", run.stderr);
}

/// L3 (target `markdown`): a link destination may hold `](` (here an image
/// written inside it), and the URL was looked for after the last `](` of
/// the link, so it was reported at the image's destination.
#[test]
fn a_destination_holding_a_bracket_paren_is_reported_where_it_is_written() {
    let site = TestSite::new()
        .firm("rasa", crate::support::PROFILE)
        .write("content/pages/kontak.md", "---\ntitle: Kontak\n---\nLihat [peta](/hilang![x](/ada/)/).\n");
    let run = site.build().code(1);
    run.error_at("content/pages/kontak.md:4:14", "broken link");
    assert_eq!(run.error_count(), 1, "{}", run.stderr);
}

/// F8 (target `markdown`, the reproducible run after F6): an inline
/// `<noscript>` in a paragraph is a separate piece of raw HTML from the tag
/// after it, so the scanner, reading each piece alone, did not see that the
/// `<img>` in the next tag's title is real; its link was reported at the
/// first line of the body. A link no written URL accounts for is now found
/// by its text.
#[test]
fn a_link_in_inline_raw_html_after_noscript_is_reported_where_it_is_written() {
    let site = TestSite::new().firm("rasa", crate::support::PROFILE).write(
        "content/pages/kontak.md",
        "---\ntitle: Kontak\n---\nTeks <x.\n<noscript><p title=\"</noscript><img src=/hilang.png>\"></noscript>\n",
    );
    let run = site.build().code(1);
    run.error_at("content/pages/kontak.md:5:41", "broken link");
    assert_eq!(run.error_count(), 1, "{}", run.stderr);
}

/// F11 (target `firm`, a 300-second campaign): `&colon;` is a character
/// reference the browser reads as `:`, but gotong knew only a few names,
/// so it took `JaVaScRiPt&colon;alert(1)` for a relative URL, rebased it
/// onto the firm's folder, and reported the link the page then carried at
/// the first line of the body. Read as the browser reads it, the URL is a
/// `javascript:` one, which the sanitiser removes: no link, no script.
#[test]
fn a_named_character_reference_in_a_url_is_read_as_the_browser_reads_it() {
    let site = TestSite::new().firm("rasa", crate::support::PROFILE).write(
        "content/firms/rasa/index.md",
        "Teks.\n\n<div>\n<a href=\"JaVaScRiPt&colon;alert(1)\">x</a> <a href=\"/hilang&sol;\">y</a>\n</div>\n",
    );
    let run = site.build().code(1);
    run.error_at("content/firms/rasa/index.md:4:52", "broken link `/hilang/`");
    assert_eq!(run.error_count(), 1, "{}", run.stderr);
    let page = site
        .write("content/firms/rasa/index.md", "Teks.\n\n<div>\n<a href=\"JaVaScRiPt&colon;alert(1)\">x</a>\n</div>\n");
    page.build().success();
    let html = page.read("public/usaha/rasa/index.html");
    assert!(!html.to_lowercase().contains("javascript"), "no script URL");
}
