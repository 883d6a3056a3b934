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
