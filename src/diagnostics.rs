//! Problems found in a site, and the one place that prints them.
//!
//! Every stage reports content problems as [`Diagnostic`]s instead of
//! stopping at the first one: a build collects all of them in one pass, sorts
//! them (so the report does not depend on thread scheduling) and prints them
//! as `path:line:col: error: message` followed by the offending source line.

use std::fmt::Write as _;

use serde::Serialize;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The build fails.
    Error,
    /// The build goes on (fails under `--strict`).
    Warning,
}

/// One problem, located in a file of the site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Path relative to the site root, with `/` separators.
    pub path: String,
    /// 1-based line, where the source has one.
    pub line: Option<usize>,
    /// 1-based column (in characters), where the source has one.
    pub column: Option<usize>,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The source line the problem is on, shown under the message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_line: Option<String>,
}

impl Diagnostic {
    /// An error about a whole file (no position).
    pub fn error(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, path, message)
    }

    /// A warning about a whole file (no position).
    pub fn warning(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, path, message)
    }

    fn new(severity: Severity, path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic { severity, path: path.into(), line: None, column: None, message: message.into(), source_line: None }
    }

    /// Places the problem at `line:column` of `text` (the whole file) and
    /// keeps the source line to show it.
    ///
    /// A position past the last line (parsers put the end of the input
    /// there: a YAML syntax error at the end of a file) becomes the end of
    /// the last line, so that every located problem shows a line. An empty
    /// file has no line to show: its problems sit at 1:1.
    pub fn at(mut self, text: &str, line: usize, column: usize) -> Self {
        let lines = text.lines().count();
        let (line, column) = if lines == 0 {
            (1, 1)
        } else if line > lines {
            (lines, 1 + text.lines().last().map_or(0, |l| l.chars().count()))
        } else {
            (line.max(1), column.max(1))
        };
        self.line = Some(line);
        self.column = Some(column);
        self.source_line = text.lines().nth(line - 1).map(|l| l.trim_end().to_string());
        self
    }

    /// Like [`Diagnostic::at`], from an optional position.
    pub fn at_opt(self, text: &str, pos: Option<(usize, usize)>) -> Self {
        match pos {
            Some((line, column)) => self.at(text, line, column),
            None => self,
        }
    }

    /// Places the problem at a location found after the file was read.
    pub fn at_loc(mut self, loc: Option<crate::model::Loc>) -> Self {
        if let Some(l) = loc {
            self.line = Some(l.line.max(1));
            self.column = Some(l.column.max(1));
            self.source_line = Some(l.source_line);
        }
        self
    }

    /// `path:line:col` as printed at the start of the report line.
    pub fn location(&self) -> String {
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}", self.path),
            (Some(l), None) => format!("{}:{l}", self.path),
            _ => self.path.clone(),
        }
    }

    fn sort_key(&self) -> (&str, usize, usize, Severity, &str) {
        (&self.path, self.line.unwrap_or(0), self.column.unwrap_or(0), self.severity, &self.message)
    }
}

/// All problems found by one run.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty report.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one problem.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// Adds many problems.
    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(ds);
    }

    /// Whether any problem is an error (or, under `strict`, a warning).
    pub fn has_errors(&self, strict: bool) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error || strict)
    }

    /// Number of errors and of warnings.
    pub fn counts(&self) -> (usize, usize) {
        let errors = self.items.iter().filter(|d| d.severity == Severity::Error).count();
        (errors, self.items.len() - errors)
    }

    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sorts by file, line, column, then message, and drops exact repeats,
    /// so that the report is the same whatever order threads finished in.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.items.dedup();
    }

    /// The problems, in their current order.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Turns warnings into errors (`--strict`).
    pub fn promote_warnings(&mut self) {
        for d in &mut self.items {
            d.severity = Severity::Error;
        }
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// Output formats of `gotong check` (and of errors printed by `build`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// `path:line:col: error: message` with the source line shown.
    #[default]
    Human,
    /// A JSON document (schema in docs/open-data.md).
    Json,
    /// GitHub Actions workflow commands (`::error file=…,line=…,col=…::msg`).
    Github,
}

/// Renders one diagnostic as a human reads it: the location line, then the
/// source line with a caret under the column.
pub fn render_human(d: &Diagnostic) -> String {
    let label = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    // Paths, messages and lines come from content: what a terminal would
    // obey (escape sequences, carriage returns, bidirectional overrides) is
    // shown as an escape instead.
    let mut out = format!("{}: {label}: {}\n", printable(&d.location()), printable(&d.message));
    if let (Some(line), Some(full)) = (d.line, d.source_line.as_deref()) {
        let num = line.to_string();
        // Show at most a screenful of a very long line, around the column.
        let (src, col) = clip(full, d.column.unwrap_or(1));
        let pad = " ".repeat(num.len());
        let _ = writeln!(out, "{pad} |");
        let _ = writeln!(out, "{num} | {}", printable(&src));
        if d.column.is_some() {
            // Tabs keep their width so the caret lines up in a terminal.
            let before: String = src.chars().take(col.saturating_sub(1)).collect();
            let lead: String = printable(&before).chars().map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
            let _ = writeln!(out, "{pad} | {lead}^");
        }
    }
    out
}

/// `s` with every control character but the tab, and every bidirectional
/// control, written as `\u{…}`.
fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    // What content may not hold, and the line break (a report is one line).
    let hidden = |c: char| c == '\n' || crate::source::is_forbidden_char(c);
    if !s.chars().any(hidden) {
        return s.into();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if hidden(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out.into()
}

/// Cuts a long source line to about 100 characters around `col`; returns
/// the shown text and the column within it.
fn clip(line: &str, col: usize) -> (String, usize) {
    const WIDTH: usize = 100;
    let n = line.chars().count();
    if n <= WIDTH {
        return (line.to_string(), col);
    }
    let start = col.saturating_sub(WIDTH / 2).min(n - WIDTH);
    let mut shown: String = line.chars().skip(start).take(WIDTH).collect();
    let mut col = col - start;
    if start > 0 {
        shown.insert(0, '…');
        col += 1;
    }
    if start + WIDTH < n {
        shown.push('…');
    }
    (shown, col)
}

/// Escapes a GitHub workflow-command property or message.
/// Line breaks are encoded as GitHub asks; other control characters and
/// bidirectional controls are shown as `\u{…}`, as in the human report,
/// so that content cannot colour, rewrite or reorder the job's log.
fn github_escape(s: &str, property: bool) -> String {
    let mut out = s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
    if property {
        out = out.replace(':', "%3A").replace(',', "%2C");
    }
    printable(&out).into_owned()
}

/// Renders one diagnostic as a GitHub Actions annotation.
pub fn render_github(d: &Diagnostic) -> String {
    let kind = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut props = format!("file={}", github_escape(&d.path, true));
    if let Some(l) = d.line {
        let _ = write!(props, ",line={l}");
    }
    if let Some(c) = d.column {
        let _ = write!(props, ",col={c}");
    }
    format!("::{kind} {props}::{}\n", github_escape(&d.message, false))
}

/// The JSON report of `gotong check --format json` (schema version 1).
#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    ok: bool,
    errors: usize,
    warnings: usize,
    diagnostics: Vec<&'a Diagnostic>,
}

/// Why a run stopped before it had a report: wrong usage (exit status 2)
/// or an input or output error (exit status 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Failure {
    /// Wrong usage: no `site.yaml`, an unknown flag, a bad argument.
    Usage,
    /// A file or folder could not be read or written.
    Io,
}

#[derive(Serialize)]
struct JsonFailure<'a> {
    kind: Failure,
    message: &'a str,
}

/// The JSON report with no diagnostics and a `failure`.
#[derive(Serialize)]
struct JsonFailed<'a> {
    version: u32,
    ok: bool,
    errors: usize,
    warnings: usize,
    diagnostics: [(); 0],
    failure: JsonFailure<'a>,
}

/// What a machine format prints when the run stopped before it had a
/// report, so that CI tools reading standard output still get valid input:
/// a JSON report with `"ok": false`, no diagnostics and a `failure`, or a
/// GitHub `::error::` annotation. Empty for the human format (the caller
/// prints `error: …` to standard error).
pub fn render_failure(kind: Failure, message: &str, format: Format) -> String {
    match format {
        Format::Human => String::new(),
        Format::Github => format!("::error::{}\n", github_escape(message, false)),
        Format::Json => {
            let report = JsonFailed {
                version: 1,
                ok: false,
                errors: 0,
                warnings: 0,
                diagnostics: [],
                failure: JsonFailure { kind, message },
            };
            let mut s = serde_json::to_string_pretty(&report).unwrap_or_default();
            s.push('\n');
            s
        }
    }
}

/// Renders the whole report in `format`.
pub fn render(diags: &Diagnostics, format: Format, strict: bool) -> String {
    match format {
        Format::Human => {
            let mut out = String::new();
            for d in diags.iter() {
                out.push_str(&render_human(d));
            }
            out
        }
        Format::Github => diags.iter().map(render_github).collect(),
        Format::Json => {
            let (errors, warnings) = diags.counts();
            let report = JsonReport {
                version: 1,
                ok: !diags.has_errors(strict),
                errors,
                warnings,
                diagnostics: diags.iter().collect(),
            };
            let mut s = serde_json::to_string_pretty(&report).unwrap_or_default();
            s.push('\n');
            s
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Content cannot drive the terminal: escape sequences, carriage
    /// returns and bidirectional overrides in a path, a message or a line
    /// are shown escaped, and the caret still points at the column.
    #[test]
    fn human_output_escapes_control_characters() {
        let line = "tags: [\u{1b}]0;owned\u{7}, x\r, \u{202e}y]";
        let col = line.chars().position(|c| c == 'x').unwrap() + 1;
        let d = Diagnostic::error("content/firms/a\u{1b}[2J/profile.yaml", "no tag `\u{1b}[1A\rok: 0 errors`")
            .at_opt(line, Some((1, col)));
        let out = render_human(&d);
        assert!(!out.chars().any(|c| (c.is_control() && c != '\n') || c == '\u{202e}'), "{out:?}");
        assert!(out.contains("a\\u{1b}[2J/profile.yaml") && out.contains("\\u{1b}[1A\\u{d}ok"), "{out}");
        let lines: Vec<&str> = out.lines().collect();
        let shown = lines[2].find('x').unwrap();
        assert_eq!(lines[3].find('^'), Some(shown), "{out}");
    }

    #[test]
    fn human_shows_line_and_caret() {
        let text = "name: x\nsector: makan\n";
        let d = Diagnostic::error("a/profile.yaml", "unknown sector").at(text, 2, 9);
        let out = render_human(&d);
        assert_eq!(out, "a/profile.yaml:2:9: error: unknown sector\n  |\n2 | sector: makan\n  |         ^\n");
    }

    #[test]
    fn positions_past_the_end_show_the_last_line() {
        let d = Diagnostic::error("s.yaml", "x").at("a: 1\nbcd", 3, 1);
        assert_eq!((d.line, d.column, d.source_line.as_deref()), (Some(2), Some(4), Some("bcd")));
        let d = Diagnostic::error("s.yaml", "x").at("a: 1\n\n", 3, 1);
        assert_eq!((d.line, d.column, d.source_line.as_deref()), (Some(2), Some(1), Some("")));
        let d = Diagnostic::error("s.yaml", "x").at("", 2, 5);
        assert_eq!((d.line, d.column, d.source_line), (Some(1), Some(1), None));
    }

    #[test]
    fn failures_are_valid_machine_output() {
        let json = render_failure(Failure::Usage, "no site.yaml in \"x\"\n", Format::Json);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["ok"], false);
        assert_eq!(v["diagnostics"], serde_json::json!([]));
        assert_eq!(v["failure"], serde_json::json!({"kind": "usage", "message": "no site.yaml in \"x\"\n"}));
        assert_eq!(render_failure(Failure::Io, "a: b\nc", Format::Github), "::error::a: b%0Ac\n");
        assert_eq!(render_failure(Failure::Io, "x", Format::Human), "");
    }

    #[test]
    fn github_escapes_properties() {
        let d = Diagnostic::error("a,b:c.yaml", "bad\nthing").at("x\n", 1, 1);
        assert_eq!(render_github(&d), "::error file=a%2Cb%3Ac.yaml,line=1,col=1::bad%0Athing\n");
        let d = Diagnostic::error("a\u{1b}[2J.yaml", "no tag `\u{1b}]0;x\u{7}\u{202e}ok`");
        assert_eq!(
            render_github(&d),
            "::error file=a\\u{1b}[2J.yaml::no tag `\\u{1b}]0;x\\u{7}\\u{202e}ok`\n",
            "control characters are shown, not sent to the log"
        );
    }

    #[test]
    fn sort_is_stable_and_dedups() {
        let mut ds = Diagnostics::new();
        ds.push(Diagnostic::error("b", "x"));
        ds.push(Diagnostic::error("a", "y"));
        ds.push(Diagnostic::error("b", "x"));
        ds.sort();
        let paths: Vec<_> = ds.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(paths, ["a", "b"]);
    }
}
