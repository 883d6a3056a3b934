//! The YAML layer: the only module that names a YAML crate.
//!
//! Parsing is done by `serde_yaml` (named by the product card). It is
//! archived upstream, so every other module goes through this one: moving to
//! a maintained fork is the one `package = …` line in Cargo.toml.
//!
//! `serde_yaml` does not keep the position of values, but an editor needs
//! `path:line:col` for a wrong value deep in a profile. Positions are only
//! needed when something is wrong, so [`locate`] re-reads the text with the
//! event parser of `yaml-rust2` on that error path only ([`Positions`] reads
//! every position of a text in one pass, for a reader that places many
//! values). yaml-rust2 is stricter than libyaml about lines at column 1
//! inside flow collections and quoted scalars; such a text is read again
//! with those lines indented (see `walk`), so that every text the parser
//! accepts has positions.

use std::collections::BTreeMap;

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::ScanError;

pub use serde_yaml::{Mapping, Number, Value};

/// A YAML text that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// 1-based line and column, when the parser knows them.
    pub position: Option<(usize, usize)>,
    /// What the parser said, without its own "at line …" suffix.
    pub message: String,
}

/// For a file whose flow collections (`[`, `{`) nest more than a thousand
/// levels deep: where the nesting reached the parser's own limit, 128
/// levels (line and column, 1-based, where the parser would report it).
/// Quoted text and comments are read as text; `None` for any ordinary
/// file. Far above the parser's limit, so that only a file the parser
/// would refuse anyway is refused.
fn flow_too_deep(src: &str) -> Option<(usize, usize)> {
    const LIMIT: usize = 1000;
    const PARSER_LIMIT: usize = 128;
    let (mut depth, mut line, mut col) = (0usize, 1usize, 0usize);
    let mut at_limit = (1, 1);
    let mut quote: Option<char> = None;
    let mut comment = false;
    let mut prev = '\n';
    for c in src.chars() {
        col += 1;
        if c == '\n' {
            (line, col, comment) = (line + 1, 0, false);
        } else if comment {
        } else if let Some(q) = quote {
            if c == q {
                quote = None;
            }
        } else {
            match c {
                // A quote opens quoted text only where a scalar starts.
                '"' | '\'' if prev.is_whitespace() || matches!(prev, '[' | '{' | ',' | ':') => quote = Some(c),
                '#' if prev.is_whitespace() => comment = true,
                '[' | '{' => {
                    depth += 1;
                    if depth == PARSER_LIMIT {
                        at_limit = (line, col);
                    }
                    if depth > LIMIT {
                        return Some(at_limit);
                    }
                }
                ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        prev = c;
    }
    None
}

/// Parses one YAML document into a [`Value`].
///
/// An empty text gives [`Value::Null`]. serde_yaml bounds nesting depth and
/// alias expansion, so hostile inputs (alias bombs, 5,000-deep nesting) end
/// in an error here instead of exhausting the stack or the memory.
pub fn parse(src: &str) -> Result<Value, SyntaxError> {
    // The parser takes time quadratic in the depth of nested flow
    // collections before it refuses them (80,000 `[` took 18 s): so deep a
    // file is refused first.
    if let Some(position) = flow_too_deep(src) {
        return Err(SyntaxError {
            position: Some(position),
            message: "nested too deeply (more than 128 levels)".into(),
        });
    }
    // An integer too wide for 64 bits is no value serde_yaml can hold: it
    // would fail the whole file, hiding every other problem in it. Such a
    // number is read as the text it is (the field's check then says what
    // it must be; a text field takes it as written).
    let mut text = std::borrow::Cow::Borrowed(src);
    // Each number costs a parse of the file: few for a big file.
    let mut tries = if src.len() > 1 << 20 { 2 } else { 64 };
    let parsed = loop {
        let parsed = serde_yaml::from_str::<Value>(&text);
        if let Err(e) = &parsed
            && tries > 0
            && e.to_string().contains("invalid type: integer")
            && let Some(fixed) = e.location().and_then(|l| quote_wide_integer(&text, l.line()))
        {
            text = std::borrow::Cow::Owned(fixed);
            tries -= 1;
            continue;
        }
        break parsed;
    };
    let src = &*text;
    parsed.map_err(|e| {
        let position = e.location().map(|l| (l.line(), l.column()));
        let mut message = e.to_string();
        if let Some(i) = message.find(" at line ") {
            message.truncate(i);
        }
        if message.contains("duplicate entry") {
            // serde_yaml points at the start of the mapping: find the key
            // that repeats.
            if let Some((pos, key)) = first_duplicate_key(src) {
                return SyntaxError {
                    position: Some(pos),
                    message: format!("duplicate key `{key}` (it is already set above)"),
                };
            }
        }
        if message == "recursion limit exceeded" {
            message = "nested too deeply (more than 128 levels)".into();
        } else if message == "repetition limit exceeded" {
            message = "too many alias expansions (is this an alias bomb?)".into();
            return SyntaxError { position: position.or_else(|| first_alias(src)), message };
        }
        SyntaxError { position, message }
    })
}

/// `src` with the first integer of more than 18 digits on line `line`
/// (1-based) put in double quotes, or `None` when the line has none. The
/// quotes add no line, so every position stays where it was but for
/// columns after the number on that line.
fn quote_wide_integer(src: &str, line: usize) -> Option<String> {
    let start: usize = src.split_inclusive('\n').take(line.checked_sub(1)?).map(str::len).sum();
    let text = src.get(start..)?.split('\n').next()?;
    let bytes = text.as_bytes();
    let boundary = |b: u8| b.is_ascii_whitespace() || b",[]{}#:".contains(&b);
    let mut i = 0;
    while i < bytes.len() {
        let before_ok =
            i == 0 || boundary(bytes[i - 1]) || (bytes[i - 1] == b'-' && (i == 1 || boundary(bytes[i - 2])));
        let digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        if digits > 0 {
            let end = i + digits;
            if before_ok && digits > 18 && (end == bytes.len() || boundary(bytes[end])) {
                let from = if i > 0 && bytes[i - 1] == b'-' { i - 1 } else { i };
                let (a, b) = (start + from, start + end);
                return Some(format!("{}\"{}\"{}", &src[..a], &src[a..b], &src[b..]));
            }
            i = end;
        } else {
            i += 1;
        }
    }
    None
}

/// Serialises a value back to YAML text (used by the scaffolder's tests).
pub fn to_string(v: &Value) -> String {
    serde_yaml::to_string(v).unwrap_or_default()
}

/// One step of a path into a YAML document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Seg {
    /// A key of a mapping.
    Key(String),
    /// An item of a sequence.
    Index(usize),
}

impl From<&str> for Seg {
    fn from(s: &str) -> Self {
        Seg::Key(s.to_string())
    }
}

impl From<usize> for Seg {
    fn from(i: usize) -> Self {
        Seg::Index(i)
    }
}

/// What [`locate`] should point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// The value found at the path.
    Value,
    /// The key of the last path step (for "unknown field" errors).
    Key,
    /// The n-th key (0-based, in text order) of the mapping at the path,
    /// whatever it is: for keys that are not text (`~`, `? [a, b]`).
    KeyIndex(usize),
}

enum Frame {
    /// `keys`: how many keys were read so far.
    Map {
        key: Option<String>,
        awaiting_key: bool,
        keys: usize,
    },
    Seq {
        next: usize,
    },
}

/// What a key that is not a scalar (`? [a, b]`) is called in paths: no
/// text key can be it (a NUL cannot be written in YAML).
const COMPLEX_KEY: &str = "\u{0}complex key";

/// Finds the 1-based `(line, column)` of the node at `path` in `src`.
///
/// Returns `None` when the text does not parse or the path is not there; the
/// caller then reports the problem without a position. A reader that asks
/// for many positions in one text builds [`Positions`] instead.
pub fn locate(src: &str, path: &[Seg], target: Target) -> Option<(usize, usize)> {
    walk(src, |events| {
        let mut found = None;
        visit_nodes(events, |here, t, pos| {
            if t == target && here == path {
                found = Some(pos);
            }
            found.is_some()
        });
        found
    })
}

/// The position of every node of a text, read in one pass: for a reader
/// that places many values (an event's hundreds of pairs), where a
/// [`locate`] per value would read the text once per value.
#[derive(Debug, Default)]
pub struct Positions {
    nodes: std::collections::HashMap<(Vec<Seg>, Target), (usize, usize)>,
}

impl Positions {
    /// Reads `src`; a text that does not scan gives the nodes before the
    /// problem.
    pub fn of(src: &str) -> Self {
        walk(src, |events| {
            let mut nodes = std::collections::HashMap::new();
            visit_nodes(events, |here, t, pos| {
                nodes.entry((here.to_vec(), t)).or_insert(pos);
                false
            });
            Some(Positions { nodes })
        })
        .unwrap_or_default()
    }

    /// What [`locate`] gives for `path` and `target`.
    pub fn get(&self, path: &[Seg], target: Target) -> Option<(usize, usize)> {
        self.nodes.get(&(path.to_vec(), target)).copied()
    }
}

/// Calls `on(path, target, position)` for every key and value of the
/// events, in text order, until it returns true or the events end.
fn visit_nodes(events: &mut Events<'_>, mut on: impl FnMut(&[Seg], Target, (usize, usize)) -> bool) {
    let mut stack: Vec<Frame> = Vec::new();
    // Steps taken to reach the node being parsed; kept in step with `stack`.
    let mut here: Vec<Seg> = Vec::new();
    loop {
        let Some((event, pos)) = events.next() else { return };
        match event {
            Event::StreamEnd => return,
            Event::Scalar(..) | Event::Alias(_) | Event::MappingStart(..) | Event::SequenceStart(..) => {
                let scalar = match &event {
                    Event::Scalar(s, ..) => Some(s.clone()),
                    _ => None,
                };
                let is_container = matches!(event, Event::MappingStart(..) | Event::SequenceStart(..));
                // Is this node a key of the enclosing mapping?
                if let Some(Frame::Map { key, awaiting_key, keys }) = stack.last_mut()
                    && *awaiting_key
                {
                    let index = *keys;
                    *keys += 1;
                    *awaiting_key = false;
                    if on(&here, Target::KeyIndex(index), pos) {
                        return;
                    }
                    let Some(s) = scalar else {
                        // A complex key (`? [a, b]`): skip its nodes; its
                        // value is placed under a name no text key has.
                        if is_container {
                            let mut depth = 1usize;
                            while depth > 0 {
                                match events.next() {
                                    Some((Event::MappingStart(..) | Event::SequenceStart(..), _)) => depth += 1,
                                    Some((Event::MappingEnd | Event::SequenceEnd, _)) => depth -= 1,
                                    Some((Event::StreamEnd, _)) | None => return,
                                    Some(_) => {}
                                }
                            }
                        }
                        *key = Some(COMPLEX_KEY.to_string());
                        continue;
                    };
                    here.push(Seg::Key(s.clone()));
                    if on(&here, Target::Key, pos) {
                        return;
                    }
                    here.pop();
                    *key = Some(s);
                    continue;
                }
                // It is a value: of a mapping key, of a sequence item, or the root.
                let step = match stack.last() {
                    Some(Frame::Map { key, .. }) => Some(Seg::Key(key.clone().unwrap_or_default())),
                    Some(Frame::Seq { next }) => Some(Seg::Index(*next)),
                    None => None,
                };
                if let Some(step) = &step {
                    here.push(step.clone());
                }
                if on(&here, Target::Value, pos) {
                    return;
                }
                if is_container {
                    stack.push(if matches!(event, Event::MappingStart(..)) {
                        Frame::Map { key: None, awaiting_key: true, keys: 0 }
                    } else {
                        Frame::Seq { next: 0 }
                    });
                } else {
                    if step.is_some() {
                        here.pop();
                    }
                    finish_value(&mut stack);
                }
            }
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
                if !stack.is_empty() {
                    here.pop();
                }
                finish_value(&mut stack);
            }
            _ => {}
        }
    }
}

/// The position of the first alias (`*name`) in a text.
fn first_alias(src: &str) -> Option<(usize, usize)> {
    walk(src, |events| {
        loop {
            match events.next()? {
                (Event::Alias(_), pos) => return Some(pos),
                (Event::StreamEnd, _) => return None,
                _ => {}
            }
        }
    })
}

/// The position and text of the first key that repeats in its mapping.
fn first_duplicate_key(src: &str) -> Option<((usize, usize), String)> {
    walk(src, first_duplicate_key_in)
}

fn first_duplicate_key_in(events: &mut Events<'_>) -> Option<((usize, usize), String)> {
    // For each open collection: the keys seen (mappings only) and whether
    // the next node is a key.
    let mut stack: Vec<Option<(std::collections::HashSet<String>, bool)>> = Vec::new();
    loop {
        let (event, pos) = events.next()?;
        let is_node =
            matches!(event, Event::Scalar(..) | Event::Alias(_) | Event::MappingStart(..) | Event::SequenceStart(..));
        if is_node && let Some(Some((keys, awaiting_key))) = stack.last_mut() {
            if *awaiting_key
                && let Event::Scalar(s, ..) = &event
                && !keys.insert(s.clone())
            {
                return Some((pos, s.clone()));
            }
            *awaiting_key = !*awaiting_key;
        }
        match event {
            Event::StreamEnd => return None,
            Event::MappingStart(..) => stack.push(Some((Default::default(), true))),
            Event::SequenceStart(..) => stack.push(None),
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
            }
            _ => {}
        }
    }
}

/// The events of a text with their 1-based `(line, column)` in the text
/// as written; ends at the first scan error, which it keeps.
struct Events<'a> {
    parser: Parser<std::str::Chars<'a>>,
    /// Spaces put before lines (1-based) of the text read (see [`walk`]).
    pads: &'a BTreeMap<usize, usize>,
    failed: Option<ScanError>,
}

impl Iterator for Events<'_> {
    type Item = (Event, (usize, usize));

    fn next(&mut self) -> Option<Self::Item> {
        match self.parser.next_token() {
            Ok((event, mark)) => {
                let pad = self.pads.get(&mark.line()).copied().unwrap_or(0);
                Some((event, (mark.line(), (mark.col() + 1).saturating_sub(pad).max(1))))
            }
            Err(e) => {
                self.failed = Some(e);
                None
            }
        }
    }
}

/// What yaml-rust2 refuses and libyaml (serde_yaml) reads: lines indented
/// no deeper than the block around them inside a flow collection (a plain
/// scalar, such as `sessions: [{start: "09:00",` followed by
/// `end: "10:00"}]` at column 1, or a closing `b]` there) or inside a
/// quoted scalar (its text going on at column 1).
fn flow_indent_error(e: &ScanError) -> bool {
    matches!(
        e.info(),
        "invalid indentation in flow construct" | "invalid indentation in quoted scalar" | "invalid indentation"
    )
}

/// The lines (1-based) that a quoted scalar starting at char `start` of
/// `text` goes on to, up to its closing quote or the end of the text.
fn quoted_lines(text: &str, start: usize, first_line: usize) -> Vec<usize> {
    let mut chars = text.chars().skip(start);
    let Some(quote) = chars.next().filter(|c| matches!(c, '"' | '\'')) else { return Vec::new() };
    let (mut lines, mut line, mut escaped) = (Vec::new(), first_line, false);
    let mut chars = chars.peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => {
                line += 1;
                lines.push(line);
            }
            '\\' if quote == '"' && !escaped => {
                escaped = true;
                continue;
            }
            '\'' if quote == '\'' && chars.peek() == Some(&'\'') => {
                chars.next();
            }
            c if c == quote && !escaped => break,
            _ => {}
        }
        escaped = false;
    }
    lines
}

/// Runs `f` on the events of `src`. For a text that yaml-rust2 refuses
/// only for the indentation of lines inside flow collections or quoted
/// scalars (which serde_yaml reads, so the text is valid content), `f` runs
/// again on a copy with those lines indented as yaml-rust2 wants them, and
/// the positions it gets are those of the text as written. Leading white
/// space on such a line is only separation (folded away inside quoted
/// text), so the copy holds the same values.
///
/// yaml-rust2 also refuses some tabs that YAML allows as separation (a tab
/// after `key:`, which libyaml reads): a text it refuses that holds tabs is
/// read again with every tab made a space. A tab is one character, as a
/// space is, so every position stays that of the text as written, and as
/// white space or inside text a tab and a space give the same structure.
fn walk<T>(src: &str, f: impl Fn(&mut Events<'_>) -> Option<T>) -> Option<T> {
    let none = BTreeMap::new();
    let mut events = Events { parser: Parser::new_from_str(src), pads: &none, failed: None };
    let found = f(&mut events);
    if events.failed.is_some() && src.contains('\t') {
        return walk(&src.replace('\t', " "), f);
    }
    if !events.failed.as_ref().is_some_and(flow_indent_error) {
        return found;
    }
    // One space more before the lines refused, until the text scans;
    // bounded, each round reading the text once: at most 256 rounds and
    // 64 MiB read (a hostile 8 MiB file gets 8 rounds, then no positions).
    const MAX_ROUNDS: usize = 256;
    const MAX_READ: usize = 64 << 20;
    let rounds = MAX_ROUNDS.min(MAX_READ / src.len().max(1)).max(1);
    let mut text = src.to_string();
    let mut pads: BTreeMap<usize, usize> = BTreeMap::new();
    for _ in 0..rounds {
        let mut parser = Parser::new_from_str(&text);
        let failed = loop {
            match parser.next_token() {
                Ok((Event::StreamEnd, _)) => break None,
                Ok(_) => {}
                Err(e) => break Some(e),
            }
        };
        match failed {
            None => {
                let mut events = Events { parser: Parser::new_from_str(&text), pads: &pads, failed: None };
                return f(&mut events);
            }
            Some(e) if flow_indent_error(&e) => {
                let m = e.marker();
                let lines =
                    if e.info().contains("quoted") { quoted_lines(&text, m.index(), m.line()) } else { vec![m.line()] };
                if lines.is_empty() {
                    return found;
                }
                // The copy is made again in one pass (a quoted scalar may
                // go on for many lines).
                let lines: std::collections::BTreeSet<usize> = lines.into_iter().collect();
                let mut copy = String::with_capacity(text.len() + lines.len());
                for (i, l) in text.split_inclusive('\n').enumerate() {
                    if lines.contains(&(i + 1)) {
                        copy.push(' ');
                        *pads.entry(i + 1).or_default() += 1;
                    }
                    copy.push_str(l);
                }
                if copy.len() == text.len() {
                    return found;
                }
                text = copy;
            }
            Some(_) => return found,
        }
    }
    found
}

fn finish_value(stack: &mut [Frame]) {
    match stack.last_mut() {
        Some(Frame::Map { awaiting_key, .. }) => *awaiting_key = true,
        Some(Frame::Seq { next }) => *next += 1,
        None => {}
    }
}

/// Builds a path from a list of steps: `ypath!["contact", "email"]`.
#[macro_export]
macro_rules! ypath {
    ($($seg:expr),* $(,)?) => {
        [$($crate::yaml::Seg::from($seg)),*]
    };
}

// Writing YAML for generated content (`gotong import`): scalars that read
// back as exactly the text written.

/// Writes `s` as a YAML scalar to put after `key: ` in a block mapping
/// that reads back as exactly the string `s`.
///
/// Plain when that is safe: no indicator at the start, no `: ` or ` #`,
/// no leading or trailing space, printable,
/// not a word or number a YAML 1.1 reader would take for something else
/// (`yes`, `off`, `012`, `1e3`, `10:30`, `2015-03-01`), and serde_yaml reads
/// `k: <s>` back as the same string. Otherwise double-quoted, with every
/// character YAML could not keep as it is escaped.
pub fn scalar(s: &str) -> String {
    if plain_is_safe(s) { s.to_string() } else { double_quoted(s) }
}

fn plain_is_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if "-?:,[]{}#&*!|>'\"%@`~".contains(first) || first.is_whitespace() || s.ends_with(char::is_whitespace) {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') {
        return false;
    }
    // What a YAML 1.1 reader (older tools) would take for a boolean, a
    // null, a number, a sexagesimal or a date, even if serde_yaml does not.
    let lower = s.to_ascii_lowercase();
    if matches!(lower.as_str(), "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null" | "~") {
        return false;
    }
    let numberish = |c: char| c.is_ascii_digit() || "_:.,eExXoObB+-".contains(c);
    if s.trim_start_matches(['-', '+', '.']).starts_with(|c: char| c.is_ascii_digit()) && s.chars().all(numberish) {
        return false;
    }
    if s.chars().any(|c| {
        c.is_control() || !yaml_printable(c) || c == '\u{feff}' || c == '\u{85}' || c == '\u{2028}' || c == '\u{2029}'
    }) {
        return false;
    }
    // Text that starts with a letter and holds only letters, digits,
    // single-line spaces and `.,()/&'-` is a string in every YAML schema
    // once the words above are excluded (numbers, `.inf` and `.nan` start
    // otherwise; indicators inside a scalar mean nothing without a space
    // after them, and `: `, ` #` are excluded above). Names and addresses
    // are nearly all such text, and a parser per scalar was most of an
    // import's time.
    let simple = |c: char| c.is_alphanumeric() || " .,()/&'-".contains(c);
    if s.starts_with(char::is_alphabetic) && s.chars().all(simple) {
        return true;
    }
    matches!(serde_yaml::from_str::<Value>(&format!("k: {s}\n")), Ok(Value::Mapping(m)) if m.get("k") == Some(&Value::String(s.to_string())))
}

/// Characters YAML allows in a document as they are.
fn yaml_printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() || !yaml_printable(c) || matches!(c, '\u{feff}' | '\u{2028}' | '\u{2029}') => {
                let n = c as u32;
                if n <= 0xffff {
                    out.push_str(&format!("\\u{n:04X}"));
                } else {
                    out.push_str(&format!("\\U{n:08X}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_too_wide_for_64_bits_are_read_as_text() {
        let v = parse("a: 99999999999999999999999\nb: [1, -123456789012345678901, x]\nc: 12\n").unwrap();
        assert_eq!(v["a"], Value::String("99999999999999999999999".into()));
        assert_eq!(v["b"][1], Value::String("-123456789012345678901".into()));
        assert_eq!(v["c"], Value::Number(12.into()));
        assert_eq!(
            quote_wide_integer("a: 1\nb: 12345678901234567890 # x\n", 2).as_deref(),
            Some("a: 1\nb: \"12345678901234567890\" # x\n")
        );
        assert_eq!(quote_wide_integer("a: x12345678901234567890\n", 1), None);
    }

    /// Deep nesting is refused at once (it took the parser quadratic time:
    /// 80,000 `[` took 18 s), at the bracket; brackets in quoted text and
    /// comments, and ordinary nesting, are not counted against it.
    #[test]
    fn deep_flow_nesting_is_refused_at_once() {
        let deep = format!("name: x\nextra: {}\n", "[".repeat(400_000));
        let t = std::time::Instant::now();
        let e = parse(&deep).unwrap_err();
        assert!(t.elapsed() < std::time::Duration::from_secs(2), "{:?}", t.elapsed());
        assert_eq!((e.message.as_str(), e.position), ("nested too deeply (more than 128 levels)", Some((2, 135))));
        let quoted = format!(
            "a: '{}'\nb: \"{}\"\n# {}\nc: [[1], {{d: [2]}}]\n",
            "[".repeat(2000),
            "{".repeat(2000),
            "[".repeat(2000)
        );
        assert!(parse(&quoted).is_ok());
        assert!(
            flow_too_deep(&format!("a: b'c {}", "[".repeat(1001))).is_some(),
            "a quote inside a word opens nothing"
        );
    }

    const DOC: &str = "name: A\ncontact:\n  email: x@y\n  phone: \"1\"\noffers: [a, b, c]\nneeds:\n  - d\n  - e\nprice: {min: 1, max: 2}\n";

    #[test]
    fn a_tab_is_separation_like_a_space() {
        let src = "name: CV Rasa\nkind:\tumkm\nmoq:\t0\nlist:\t[a,\tb]\n";
        assert!(parse(src).is_ok());
        assert_eq!(locate(src, &ypath!["kind"], Target::Value), Some((2, 7)));
        assert_eq!(locate(src, &ypath!["moq"], Target::Value), Some((3, 6)));
        assert_eq!(locate(src, &ypath!["list", 1], Target::Value), Some((4, 11)));
        let p = Positions::of(src);
        assert_eq!(p.get(&ypath!["kind"], Target::Value), Some((2, 7)));
    }

    #[test]
    fn keys_that_are_not_text_are_placed_by_their_index() {
        let src = "name: x\n~: y\n? [a, b]\n: z\nlast: w\n";
        assert!(parse(src).is_ok());
        let p = Positions::of(src);
        assert_eq!(p.get(&[], Target::KeyIndex(1)), Some((2, 1)));
        assert_eq!(p.get(&[], Target::KeyIndex(2)), Some((3, 3)));
        // What follows a complex key is still placed.
        assert_eq!(p.get(&ypath!["last"], Target::Value), Some((5, 7)));
        assert_eq!(p.get(&[], Target::KeyIndex(3)), Some((5, 1)));
    }

    #[test]
    fn locates_values_and_keys() {
        assert_eq!(locate(DOC, &crate::ypath!["name"], Target::Value), Some((1, 7)));
        assert_eq!(locate(DOC, &crate::ypath!["name"], Target::Key), Some((1, 1)));
        assert_eq!(locate(DOC, &crate::ypath!["contact", "email"], Target::Value), Some((3, 10)));
        assert_eq!(locate(DOC, &crate::ypath!["contact", "phone"], Target::Key), Some((4, 3)));
        assert_eq!(locate(DOC, &crate::ypath!["offers", 2usize], Target::Value), Some((5, 16)));
        assert_eq!(locate(DOC, &crate::ypath!["needs", 1usize], Target::Value), Some((8, 5)));
        assert_eq!(locate(DOC, &crate::ypath!["price", "max"], Target::Value), Some((9, 22)));
        assert_eq!(locate(DOC, &crate::ypath!["missing"], Target::Value), None);
    }

    /// libyaml (the parser) reads flow collections and quoted scalars
    /// continued at column 1; yaml-rust2 (the locator) refuses them.
    /// Everything in and after them is still found, at its place in the
    /// text as written.
    #[test]
    fn locates_after_a_flow_collection_continued_at_column_one() {
        let src = "name: Temu\nsessions: [{start: \"09:00\",\nend: \"10:00\"}, {start: a,\n   end: b}]\nrequests: [[b, a],\n[c,\nd]]\nx:\n  y: [1,\n   2]\n";
        assert!(parse(src).is_ok());
        assert_eq!(locate(src, &crate::ypath!["sessions", 0usize, "end"], Target::Value), Some((3, 6)));
        assert_eq!(locate(src, &crate::ypath!["sessions", 0usize, "end"], Target::Key), Some((3, 1)));
        assert_eq!(locate(src, &crate::ypath!["sessions", 1usize, "end"], Target::Value), Some((4, 9)));
        assert_eq!(locate(src, &crate::ypath!["requests", 0usize], Target::Value), Some((5, 12)));
        assert_eq!(locate(src, &crate::ypath!["requests", 1usize, 1usize], Target::Value), Some((7, 1)));
        assert_eq!(locate(src, &crate::ypath!["x", "y", 1usize], Target::Value), Some((10, 4)));
        let quoted = "a: 1\nb: \"x \\\" y\nz: w\nv\"\nc: 'p\nq '' r\ns' # n\nd: [e]\n";
        assert!(parse(quoted).is_ok());
        assert_eq!(locate(quoted, &crate::ypath!["b"], Target::Value), Some((2, 4)));
        assert_eq!(locate(quoted, &crate::ypath!["c"], Target::Value), Some((5, 4)));
        assert_eq!(locate(quoted, &crate::ypath!["d", 0usize], Target::Value), Some((8, 5)));
        assert_eq!(Positions::of(quoted).get(&crate::ypath!["d", 0usize], Target::Value), Some((8, 5)));
        let closing = "a: [\nb]\nlogo: x\n";
        assert!(parse(closing).is_ok());
        assert_eq!(locate(closing, &crate::ypath!["a", 0usize], Target::Value), Some((2, 1)));
        assert_eq!(locate(closing, &crate::ypath!["logo"], Target::Key), Some((3, 1)));
        // A quoted scalar going on at column 1 for many lines: the copy is
        // made in one pass per round (it was one pass per line).
        let long = format!("a: \"x\n{}\"\nb: [c]\n", "y\n".repeat(20_000));
        assert!(parse(&long).is_ok());
        assert_eq!(locate(&long, &crate::ypath!["b", 0usize], Target::Value), Some((20_003, 5)));
        let dup = "a: [{b: 1,\nc: 2}]\nd: 1\nd: 2\n";
        assert_eq!(parse(dup).unwrap_err().position, Some((4, 1)));
        // A text that is wrong for other reasons is not located.
        assert_eq!(locate("a: [1,\nb: 2\nc: [\n", &crate::ypath!["c"], Target::Value), None);
    }

    #[test]
    fn syntax_error_has_position() {
        let err = parse("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(err.position.is_some());
        assert!(!err.message.contains(" at line "));
    }

    #[test]
    fn duplicate_keys_point_at_the_repeat() {
        let err = parse("name: A\ncontact:\n  email: a@b.c\n  email: d@e.f\ndistrict: x\n").unwrap_err();
        assert_eq!(err.position, Some((4, 3)));
        assert!(err.message.contains("`email`"), "{}", err.message);
        let err = parse("a: 1\nb: [x, {c: 1, c: 2}]\n").unwrap_err();
        assert_eq!(err.position, Some((2, 15)));
        let err = parse("district: A\nsummary: s\ndistrict: B\n").unwrap_err();
        assert_eq!(err.position, Some((3, 1)));
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut doc = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        let names = ["b", "c", "d", "e", "f", "g", "h", "i", "j"];
        let mut prev = "a";
        for n in names {
            doc.push_str(&format!(
                "{n}: &{n} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
            prev = n;
        }
        let err = parse(&doc).unwrap_err();
        assert_eq!(err.position, Some((2, 8)), "{err:?}");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let doc = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
        assert!(parse(&doc).is_err());
        let _ = locate(&doc, &crate::ypath!["x"], Target::Value);
    }
}
