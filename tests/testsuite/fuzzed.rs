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
