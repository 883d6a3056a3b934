//! A YAML emitter for structured fuzzing.
//!
//! The content generators (`content`) build a [`Node`] tree; [`emit`] writes it
//! as YAML text in styles chosen by the fuzzer's bytes (block or flow, plain,
//! single- or double-quoted or literal scalars, anchors and aliases, tags,
//! comments, blank lines, indentless sequences, document markers) and
//! records where every key and value was written, so that a target can
//! check `gotong::yaml::locate` against the truth.

use arbitrary::Unstructured;
use gotong::yaml::{Seg, Target};

/// A YAML node as the generators build it.
#[derive(Clone, Debug)]
pub enum Node {
    /// `~`, `null` or nothing.
    Null,
    /// `true` / `false` in one of their spellings.
    Bool(bool),
    /// A number, written as given (`12`, `-0`, `1e400`, `0x1F`).
    Num(String),
    /// A string; quoted when it must be.
    Str(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping with scalar keys (duplicates allowed: an error to report).
    Map(Vec<(String, Node)>),
    /// `&name node`.
    Anchor(String, Box<Node>),
    /// `*name`.
    Alias(String),
    /// `!tag node`.
    Tagged(String, Box<Node>),
    /// Text written as it is, in place of a value (deliberately odd: it may
    /// break the document).
    Raw(String),
}

impl Node {
    /// A mapping from `(key, value)` pairs.
    pub fn map(entries: Vec<(&str, Node)>) -> Node {
        Node::Map(entries.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }

    /// A string node.
    pub fn str(s: impl Into<String>) -> Node {
        Node::Str(s.into())
    }
}

/// Where a node was written.
#[derive(Debug, Clone)]
pub struct Record {
    /// Path from the document root.
    pub path: Vec<Seg>,
    /// The key of the last step, or the value at the path.
    pub target: Target,
    /// Where the node's text starts, anchor or tag included (1-based).
    pub start: (usize, usize),
    /// Where the node's own text starts, after its anchor and tag.
    pub content: (usize, usize),
    /// How precisely a position for this node can be asked for.
    pub precision: Precision,
}

/// How precisely [`Record`] positions are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    /// At [`Record::start`] or [`Record::content`].
    Exact,
    /// A block collection: somewhere on the line of its first entry, at or
    /// after the entry's start (yaml-rust2 marks a block mapping at the
    /// first `:` and an indentless sequence at its first item's value).
    FirstLine,
    /// A literal block scalar: on its `|` line or its first content line.
    Block,
    /// Not checked: a duplicate key on the way, or an empty value (which
    /// has no text of its own).
    Unchecked,
}

/// An emitted document.
#[derive(Debug, Clone)]
pub struct Emitted {
    /// The YAML text (LF line endings, no BOM: the caller adds those).
    pub text: String,
    /// Where each key and value was written.
    pub records: Vec<Record>,
    /// No raw text, duplicate key or over-long key: the text must parse.
    pub clean: bool,
}

/// Style choices that apply to the whole document.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    /// May start with `%YAML 1.2` / `---` and end with `...` (not inside
    /// front matter, where a `---` line closes the block).
    pub markers: bool,
    /// May hold comments and blank lines.
    pub comments: bool,
}

/// `true` one time in `n` (and `false` when the input is used up, so that
/// short inputs give plain documents).
pub fn one_in(u: &mut Unstructured<'_>, n: u8) -> bool {
    u.int_in_range(1..=n).map(|x| x == n).unwrap_or(false)
}

/// Picks one of `items` (the first when the input is used up).
pub fn pick<'a, T>(u: &mut Unstructured<'_>, items: &'a [T]) -> &'a T {
    let i = u.int_in_range(0..=items.len() - 1).unwrap_or(0);
    &items[i]
}

/// Whether YAML allows `c` in a document as it is (libyaml's printable set,
/// line breaks other than `\n` left out).
pub fn printable(c: char) -> bool {
    matches!(c as u32, 0x20..=0x7E | 0xA0..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF)
        && !matches!(c, '\u{feff}' | '\u{2028}' | '\u{2029}')
}

/// Whether `s` can be written as a plain scalar and read back as the same
/// string.
fn plain_ok(s: &str, flow: bool, key: bool) -> bool {
    let Some(first) = s.chars().next() else { return false };
    if s.trim() != s || !s.chars().all(printable) {
        return false;
    }
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) || s.starts_with("---") || s.starts_with("...") {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') || s.contains('\t') {
        return false;
    }
    if (flow || key) && s.contains([',', '[', ']', '{', '}', ':', '?', '#']) {
        return false;
    }
    // Would read back as another type.
    let lower = s.to_ascii_lowercase();
    if ["true", "false", "null", "~", "yes", "no", "on", "off", "y", "n"].contains(&lower.as_str())
        || lower.starts_with(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '+', '.'])
        || lower.parse::<f64>().is_ok()
    {
        return false;
    }
    true
}

/// `s` as a double-quoted scalar.
pub fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            c if printable(c) => out.push(c),
            c if (c as u32) <= 0xFFFF => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push_str(&format!("\\U{:08X}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// Longest implicit key libyaml allows (1024 bytes, less a margin).
const KEY_MAX: usize = 1000;

struct Em<'a, 'b> {
    u: &'a mut Unstructured<'b>,
    out: String,
    line: usize,
    line_start: usize,
    records: Vec<Record>,
    path: Vec<Seg>,
    exact: bool,
    clean: bool,
    style: Style,
}

impl Em<'_, '_> {
    fn pos(&self) -> (usize, usize) {
        (self.line, 1 + self.out[self.line_start..].chars().count())
    }

    fn push(&mut self, s: &str) {
        for (i, _) in s.match_indices('\n') {
            self.line += 1;
            self.line_start = self.out.len() + i + 1;
        }
        self.out.push_str(s);
    }

    fn yes(&mut self, n: u8) -> bool {
        one_in(self.u, n)
    }

    fn record(&mut self, target: Target, start: (usize, usize), content: (usize, usize), precision: Precision) {
        let precision = if self.exact { precision } else { Precision::Unchecked };
        self.records.push(Record { path: self.path.clone(), target, start, content, precision });
    }

    /// A scalar's text, in a style the input picks among those that keep
    /// its value.
    fn scalar(&mut self, s: &str, flow: bool, key: bool) -> String {
        let style = self.u.int_in_range(0..=3u8).unwrap_or(0);
        let single_ok = s.chars().all(printable);
        let text = match style {
            0 | 1 if plain_ok(s, flow, key) => s.to_string(),
            2 if single_ok => format!("'{}'", s.replace('\'', "''")),
            _ => double_quoted(s),
        };
        if key && text.len() > KEY_MAX {
            self.clean = false;
        }
        text
    }

    fn comment(&mut self) {
        if self.style.comments && self.yes(6) {
            self.push(" # catatan: ünïcødé, `x: y`, [z]");
        }
    }

    /// Anchors and tags in front of a node: writes them (each preceded by
    /// `lead`) and returns the node they apply to and where they started.
    fn properties<'n>(&mut self, mut node: &'n Node, lead: &str) -> (&'n Node, Option<(usize, usize)>) {
        let mut start = None;
        // A node has at most one anchor and one tag: further ones are dropped.
        let (mut anchored, mut tagged) = (false, false);
        loop {
            let (text, inner) = match node {
                Node::Anchor(name, inner) if !anchored => {
                    anchored = true;
                    (format!("&{name}"), inner)
                }
                Node::Tagged(tag, inner) if !tagged => {
                    tagged = true;
                    (format!("!{tag}"), inner)
                }
                Node::Anchor(_, inner) | Node::Tagged(_, inner) => {
                    node = inner;
                    continue;
                }
                _ => return (node, start),
            };
            self.push(if start.is_none() { lead } else { " " });
            start.get_or_insert(self.pos());
            self.push(&text);
            node = inner;
        }
    }

    fn literal_ok(s: &str) -> bool {
        s.contains('\n')
            && !s.starts_with('\n')
            && s.chars().all(|c| c == '\n' || printable(c))
            && s.split('\n').all(|l| !l.starts_with(' ') && l.trim_end() == l)
    }

    /// A literal block scalar (`|-` or `|+`) indented by `indent`; ends the line.
    fn literal(&mut self, s: &str, indent: usize) {
        let keep = s.ends_with('\n');
        self.push(if keep { "|+\n" } else { "|-\n" });
        let mut lines: Vec<&str> = s.split('\n').collect();
        if keep {
            lines.pop();
        }
        let pad = " ".repeat(indent);
        for l in lines {
            if l.is_empty() {
                self.push("\n");
            } else {
                self.push(&format!("{pad}{l}\n"));
            }
        }
    }

    /// A node on one line: a scalar, an alias or a flow collection.
    fn inline(&mut self, node: &Node, flow: bool) {
        let (n, start) = self.properties(node, "");
        if start.is_some() {
            self.push(" ");
        }
        let content = self.pos();
        let mut precision = Precision::Exact;
        match n {
            Node::Null => {
                let t = *pick(self.u, &["~", "null", "Null"]);
                self.push(t);
            }
            Node::Bool(b) => {
                let t = if *b { *pick(self.u, &["true", "True", "TRUE"]) } else { *pick(self.u, &["false", "False"]) };
                self.push(t);
            }
            Node::Num(t) => {
                // serde_yaml refuses integers beyond 64 bits (finding Y2 of
                // docs/testing.md): such a document is not clean.
                let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
                if digits.bytes().all(|b| b.is_ascii_digit()) && t.parse::<i64>().is_err() && t.parse::<u64>().is_err()
                {
                    self.clean = false;
                }
                self.push(t)
            }
            Node::Str(s) => {
                let t = self.scalar(s, flow, false);
                self.push(&t);
            }
            Node::Seq(items) => {
                self.push("[");
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.push(", ");
                    }
                    self.path.push(Seg::Index(i));
                    self.inline(item, true);
                    self.path.pop();
                }
                self.push("]");
            }
            Node::Map(entries) => {
                self.push("{");
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        self.push(", ");
                    }
                    self.entry(entries, k, |em| {
                        let kt = em.scalar(k, true, true);
                        em.push(&kt);
                        em.push(": ");
                        em.inline(v, true);
                    });
                }
                self.push("}");
            }
            Node::Alias(name) => self.push(&format!("*{name}")),
            Node::Raw(t) => {
                self.clean = false;
                precision = Precision::Unchecked;
                self.push(t);
            }
            Node::Anchor(..) | Node::Tagged(..) => unreachable!("properties() removes them"),
        }
        self.record(Target::Value, start.unwrap_or(content), content, precision);
    }

    /// One entry of a mapping: path bookkeeping around `write`, which
    /// writes the key and the value.
    fn entry(&mut self, entries: &[(String, Node)], key: &str, write: impl FnOnce(&mut Self)) {
        let dup = entries.iter().filter(|(k, _)| k == key).count() > 1;
        if dup {
            self.clean = false;
        }
        let was = self.exact;
        self.exact &= !dup;
        self.path.push(Seg::Key(key.to_string()));
        let p = self.pos();
        self.record(Target::Key, p, p, Precision::Exact);
        write(self);
        self.path.pop();
        self.exact = was;
    }

    /// A block mapping at `indent`; the first key is written where the
    /// cursor is when `inline_first`. Returns where the first key went.
    fn block_map(&mut self, entries: &[(String, Node)], indent: usize, inline_first: bool) -> (usize, usize) {
        let pad = " ".repeat(indent);
        let mut first = None;
        for (i, (k, v)) in entries.iter().enumerate() {
            if i > 0 || !inline_first {
                if i > 0 && self.style.comments && self.yes(8) {
                    let gap = if self.yes(2) { "\n" } else { "# ---\n" };
                    self.push(gap);
                }
                self.push(&pad);
            }
            first.get_or_insert(self.pos());
            self.entry(entries, k, |em| {
                let kt = em.scalar(k, false, true);
                em.push(&kt);
                em.push(":");
                em.block_value(v, indent, false);
            });
        }
        first.unwrap_or((self.line, 1))
    }

    /// A block sequence at `indent`, as [`Em::block_map`].
    fn block_seq(&mut self, items: &[Node], indent: usize, inline_first: bool) -> (usize, usize) {
        let pad = " ".repeat(indent);
        let mut first = None;
        for (i, item) in items.iter().enumerate() {
            if i > 0 || !inline_first {
                self.push(&pad);
            }
            first.get_or_insert(self.pos());
            self.push("-");
            self.path.push(Seg::Index(i));
            self.block_value(item, indent, true);
            self.path.pop();
        }
        first.unwrap_or((self.line, 1))
    }

    /// The value after `key:` (`item` false) or `-` (`item` true) of a block
    /// collection at `indent`. Ends the line.
    fn block_value(&mut self, node: &Node, indent: usize, item: bool) {
        let (n, start) = self.properties(node, " ");
        let has_props = start.is_some();
        match n {
            Node::Map(e) if !e.is_empty() && !self.yes(4) => {
                let content = if item && !has_props {
                    self.push(" ");
                    self.block_map(e, indent + 2, true)
                } else {
                    self.comment();
                    self.push("\n");
                    self.block_map(e, indent + 2, false)
                };
                self.record(Target::Value, start.unwrap_or(content), content, Precision::FirstLine);
            }
            Node::Seq(items) if !items.is_empty() && !self.yes(4) => {
                let content = if item && !has_props {
                    self.push(" ");
                    self.block_seq(items, indent + 2, true)
                } else {
                    self.comment();
                    self.push("\n");
                    // A sequence may sit at its key's indentation.
                    let at = if !item && self.yes(3) { indent } else { indent + 2 };
                    self.block_seq(items, at, false)
                };
                self.record(Target::Value, start.unwrap_or(content), content, Precision::FirstLine);
            }
            Node::Null if !has_props && self.yes(2) => {
                // `key:` with nothing after it: no text of its own.
                let p = self.pos();
                self.record(Target::Value, p, p, Precision::Unchecked);
                self.push("\n");
            }
            Node::Str(s) if Self::literal_ok(s) && !self.yes(3) => {
                self.push(" ");
                let content = self.pos();
                self.literal(s, indent + 2);
                self.record(Target::Value, start.unwrap_or(content), content, Precision::Block);
            }
            _ => {
                self.push(" ");
                // The properties were written already: write the rest.
                self.inline(n, false);
                if let (Some(s), Some(last)) = (start, self.records.last_mut()) {
                    last.start = s;
                }
                self.comment();
                self.push("\n");
            }
        }
    }
}

/// Writes `node` as a YAML document in styles picked by `u`.
pub fn emit(u: &mut Unstructured<'_>, node: &Node, style: Style) -> Emitted {
    let mut em = Em {
        u,
        out: String::new(),
        line: 1,
        line_start: 0,
        records: Vec::new(),
        path: Vec::new(),
        exact: true,
        clean: true,
        style,
    };
    if style.comments && em.yes(4) {
        em.push("# Diperbarui oleh editor\n");
    }
    if style.markers && em.yes(4) {
        if em.yes(2) {
            em.push("%YAML 1.2\n");
        }
        em.push("---\n");
    }
    match node {
        Node::Map(e) if !e.is_empty() && !em.yes(6) => {
            let p = em.block_map(e, 0, false);
            em.record(Target::Value, p, p, Precision::FirstLine);
        }
        Node::Seq(items) if !items.is_empty() && !em.yes(6) => {
            let p = em.block_seq(items, 0, false);
            em.record(Target::Value, p, p, Precision::FirstLine);
        }
        Node::Null if em.yes(2) => {
            // An empty document: nothing to end with `...` either.
            return Emitted { text: em.out, records: em.records, clean: em.clean };
        }
        other => {
            em.inline(other, false);
            em.push("\n");
        }
    }
    if style.markers && em.yes(6) {
        em.push("...\n");
    }
    Emitted { text: em.out, records: em.records, clean: em.clean }
}
