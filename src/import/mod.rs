//! `gotong import`: a city's spreadsheet register of firms (XLSX, ODS, XLS,
//! CSV) turned into `content/firms/<slug>/profile.yaml` and product files,
//! with every problem named by its cell (`register.xlsx:Data!F12`).
//!
//! The stages, one module each, data flowing one way:
//! [`read`] (cells with their positions) → [`mapping`] (which column gives
//! which field) → [`rows`] (cells read and normalised with [`normalise`],
//! rows of one firm merged, what is missing derived or reported) → slugs
//! (here) → [`write`] (new files, or `--update` line by line), each profile
//! checked by the real validator before anything is written.
//! docs/import.md explains the decisions for editors.

pub mod mapping;
pub mod normalise;
pub mod read;
pub mod rows;
pub mod write;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Severity};
use crate::load::RawDoc;
use crate::source::{SourceFile, scalar_text};

use mapping::{Field, MapFile, Plan};
use read::{Book, Table};
use rows::Record;

/// A cell of the sheet (absolute, 0-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    /// Row (row 1 of the sheet is 0).
    pub row: u32,
    /// Column (A is 0).
    pub col: u32,
}

impl Pos {
    /// `F12`.
    pub fn name(self) -> String {
        format!("{}{}", read::column_name(self.col), u64::from(self.row) + 1)
    }
}

/// Where a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// The sheet as a whole.
    Sheet,
    /// One cell.
    Cell(Pos),
    /// A line of another file (MAP.yaml, an existing profile).
    File(String, Option<(usize, usize)>),
}

/// One problem the import found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Error (the firm is not written) or warning.
    pub severity: Severity,
    /// Where.
    pub place: Place,
    /// What, in one sentence.
    pub message: String,
}

/// Longest value quoted in a message, in characters; longer ones are cut.
const QUOTED_MAX: usize = 80;

/// A message with every value it quotes (between backticks or double
/// quotes) cut to [`QUOTED_MAX`] characters: a cell can hold 32,767
/// characters (a CSV cell any number), a message is one readable line.
pub fn tidy_message(msg: &str) -> String {
    let chars: Vec<char> = msg.chars().collect();
    let mut out = String::with_capacity(msg.len().min(1024));
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        out.push(c);
        i += 1;
        if c != '`' && c != '"' {
            continue;
        }
        let Some(len) = chars[i..].iter().position(|x| *x == c) else { continue };
        if len > QUOTED_MAX {
            out.extend(&chars[i..i + QUOTED_MAX - 20]);
            out.push_str(&format!("… ({len} characters)"));
        } else {
            out.extend(&chars[i..i + len]);
        }
        out.push(c);
        i += len + 1;
    }
    out
}

impl Problem {
    /// A warning at a cell.
    pub fn warning(at: Pos, msg: impl Into<String>) -> Self {
        Problem { severity: Severity::Warning, place: Place::Cell(at), message: tidy_message(&msg.into()) }
    }

    /// An error at a cell.
    pub fn error(at: Pos, msg: impl Into<String>) -> Self {
        Problem { severity: Severity::Error, place: Place::Cell(at), message: tidy_message(&msg.into()) }
    }

    /// A problem about the whole sheet.
    pub fn sheet(severity: Severity, msg: impl Into<String>) -> Self {
        Problem { severity, place: Place::Sheet, message: msg.into() }
    }

    /// The cell, if the problem has one.
    pub fn at(&self) -> Option<Pos> {
        match self.place {
            Place::Cell(p) => Some(p),
            _ => None,
        }
    }
}

/// What `gotong import` is asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// The site root (holding site.yaml).
    pub root: PathBuf,
    /// The register file.
    pub sheet_path: PathBuf,
    /// The sheet to read (default: the first with a recognisable header).
    pub sheet: Option<String>,
    /// MAP.yaml.
    pub map: Option<PathBuf>,
    /// Write nothing.
    pub dry_run: bool,
    /// Update firms that already exist.
    pub update: bool,
    /// The current year (upper bound of `founded`).
    pub this_year: i32,
}

/// Why the import could not run at all (exit status 2).
#[derive(Debug)]
pub enum Error {
    /// Wrong usage: no site.yaml, an unreadable file, an unknown sheet.
    Usage(String),
    /// MAP.yaml has errors.
    Map(Vec<Diagnostic>),
    /// Writing failed (exit status 1).
    Io(String),
}

/// What happened to one firm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Action {
    /// A new firm folder.
    Created,
    /// An existing profile changed (`--update`).
    Updated,
    /// An existing firm the sheet says nothing new about.
    Unchanged,
    /// An existing firm left alone (no `--update`).
    LeftAlone,
}

/// One firm of the result.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Folder name.
    pub slug: String,
    /// What was done.
    pub action: Action,
    /// Rows (absolute) that gave it.
    pub rows: Vec<u32>,
    /// Product files written.
    pub products: usize,
}

/// What an import did (or, with `--dry-run`, would do).
#[derive(Debug, Clone)]
pub struct Report {
    /// The register as named in messages (`register.xlsx`).
    pub file: String,
    /// The sheet read (`None` for CSV).
    pub sheet: Option<String>,
    /// Every problem, sheet-level first, then by row and column.
    pub problems: Vec<Problem>,
    /// Firms, by slug.
    pub firms: Vec<Outcome>,
    /// Data rows read (non-blank rows under the header).
    pub rows: usize,
    /// Rows merged into another row's firm.
    pub merged: usize,
    /// Rows not written because of errors.
    pub skipped: usize,
    /// Nothing was written.
    pub dry_run: bool,
    /// How a CSV file was decoded, and its delimiter.
    pub csv: Option<(&'static str, u8)>,
}

impl Report {
    /// `register.xlsx:Data` (sheet names that are not one word are
    /// quoted as Excel quotes them: `'Data IKM'`), or `register.csv`.
    pub fn label(&self) -> String {
        match &self.sheet {
            Some(s) => format!("{}:{}", self.file, sheet_ref(s)),
            None => self.file.clone(),
        }
    }

    /// `register.xlsx:Data!F12`, `register.csv:F12`.
    pub fn location(&self, p: &Problem) -> String {
        match &p.place {
            Place::Sheet => self.label(),
            Place::Cell(pos) => match &self.sheet {
                Some(s) => format!("{}:{}!{}", self.file, sheet_ref(s), pos.name()),
                None => format!("{}:{}", self.file, pos.name()),
            },
            Place::File(path, Some((l, c))) => format!("{path}:{l}:{c}"),
            Place::File(path, None) => path.clone(),
        }
    }

    /// Every problem, one a line: `register.xlsx:Data!F12: warning: …`.
    pub fn render_problems(&self) -> String {
        let mut out = String::new();
        for p in &self.problems {
            let sev = match p.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            out.push_str(&format!("{}: {sev}: {}\n", self.location(p), p.message));
        }
        out
    }

    /// Number of firms with this outcome.
    pub fn count(&self, a: Action) -> usize {
        self.firms.iter().filter(|f| f.action == a).count()
    }

    /// Whether any problem is an error.
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(|p| p.severity == Severity::Error)
    }

    /// Whether the sheet gave no firm at all.
    pub fn nothing_importable(&self) -> bool {
        self.firms.is_empty()
    }

    /// The closing line: what was written, merged and skipped.
    pub fn summary(&self) -> String {
        let products: usize = self.firms.iter().map(|f| f.products).sum();
        let created = self.count(Action::Created);
        let updated = self.count(Action::Updated);
        let written = created + updated;
        let (e, w) = self.problems.iter().fold((0, 0), |(e, w), p| match p.severity {
            Severity::Error => (e + 1, w),
            Severity::Warning => (e, w + 1),
        });
        let verb = match (self.dry_run, written) {
            (true, _) => "would be written",
            (false, 1) => "written",
            (false, _) => "written",
        };
        format!(
            "{}: {} row{} read: {written} firm{} {verb} ({created} new, {updated} updated), {products} product file{}, {} unchanged, {} left alone; {} row{} merged, {} row{} skipped; {e} error{}, {w} warning{}{}",
            self.label(),
            self.rows,
            plural(self.rows),
            plural(written),
            plural(products),
            self.count(Action::Unchanged),
            self.count(Action::LeftAlone),
            self.merged,
            plural(self.merged),
            self.skipped,
            plural(self.skipped),
            plural(e),
            plural(w),
            if self.dry_run { " (dry run: nothing was written)" } else { "" },
        )
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A sheet name as Excel writes it in a reference: plain when it is one
/// word (letters, digits, `_`, `.`) that starts with a letter or `_` and
/// cannot be read as anything else; quoted, with an inner `'` doubled,
/// when it holds other characters, starts with a digit (`'2026'`), or looks
/// like a cell reference in A1 style (`'A1'`, `'xfd10'`) or R1C1 style
/// (`'R1C1'`, `'R'`, `'C2'`), or like a boolean (`'TRUE'`).
fn sheet_ref(s: &str) -> String {
    if is_plain_sheet_name(s) { s.to_string() } else { format!("'{}'", s.replace('\'', "''")) }
}

fn is_plain_sheet_name(s: &str) -> bool {
    let Some(first) = s.chars().next() else { return false };
    if !(first.is_alphabetic() || first == '_') || !s.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '.') {
        return false;
    }
    let upper = s.to_ascii_uppercase();
    // A1: one to three column letters, then a row number.
    let letters = upper.chars().take_while(char::is_ascii_uppercase).count();
    let a1 =
        (1..=3).contains(&letters) && upper.len() > letters && upper[letters..].chars().all(|c| c.is_ascii_digit());
    // R1C1: `R`, `C`, `RC`, `R2`, `C3`, `R1C1`…
    let r1c1 = {
        let rest = upper.strip_prefix('R').map(|r| r.trim_start_matches(|c: char| c.is_ascii_digit()));
        let after_r = rest.unwrap_or(&upper);
        let after_c = after_r.strip_prefix('C').map(|r| r.trim_start_matches(|c: char| c.is_ascii_digit()));
        (rest.is_some() || after_c.is_some()) && after_c.unwrap_or(after_r).is_empty()
    };
    !(a1 || r1c1 || upper == "TRUE" || upper == "FALSE")
}

/// The register's name as messages give it: the path as typed.
fn display_name(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// Reads MAP.yaml (errors stop the import).
fn load_map(opts: &Options) -> Result<MapFile, Error> {
    let Some(path) = &opts.map else {
        return Ok(MapFile::default());
    };
    let bytes = std::fs::read(path).map_err(|e| Error::Usage(format!("cannot read {}: {e}", path.display())))?;
    let text = String::from_utf8(bytes).map_err(|_| Error::Usage(format!("{} is not UTF-8 text", path.display())))?;
    let (map, diags) = mapping::parse_map(&display_name(path), &text);
    if diags.iter().any(|d| d.severity == Severity::Error) {
        return Err(Error::Map(diags));
    }
    Ok(map)
}

/// The sheet chosen, its table and the mapping, with the problems met.
struct Opened {
    file: String,
    table: Table,
    plan: Option<Plan>,
    problems: Vec<Problem>,
}

fn open(opts: &Options) -> Result<Opened, Error> {
    let map = load_map(opts)?;
    let file = display_name(&opts.sheet_path);
    let mut book = Book::open(&opts.sheet_path, map.delimiter).map_err(Error::Usage)?;
    let wanted = opts.sheet.clone().or_else(|| map.sheet.clone());
    let names = book.sheet_names();
    let table = match (&book, wanted) {
        (Book::Csv(_), Some(s)) => {
            return Err(Error::Usage(format!("{file} is a CSV file: it has no sheets, so --sheet {s} does not apply")));
        }
        (Book::Csv(_), None) => {
            let t = book.table("").map_err(Error::Usage)?;
            // The sniffed delimiter can be wrong; when no header is found
            // with it, the first other delimiter that gives one is used.
            let retry = map.delimiter.is_none() && mapping::find_header(&t, &map).is_none();
            let other = [b';', b',', b'\t']
                .into_iter()
                .filter(|d| retry && Some(*d) != t.delimiter)
                .filter_map(|d| match Book::open(&opts.sheet_path, Some(d)) {
                    Ok(Book::Csv(o)) => Some(o),
                    _ => None,
                })
                .find(|o| mapping::find_header(o, &map).is_some());
            other.unwrap_or(t)
        }
        (_, Some(s)) => {
            if !names.contains(&s) {
                return Err(Error::Usage(format!(
                    "{file} has no sheet `{s}` (sheets: {})",
                    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
                )));
            }
            book.table(&s).map_err(Error::Usage)?
        }
        (_, None) => {
            // The first sheet with a header that names the firm, else the first sheet.
            let Some(first) = names.first() else {
                return Err(Error::Usage(format!("{file} has no sheets")));
            };
            let mut chosen = None;
            for n in &names {
                let t = book.table(n).map_err(Error::Usage)?;
                if mapping::find_header(&t, &map).is_some() {
                    chosen = Some(t);
                    break;
                }
            }
            match chosen {
                Some(t) => t,
                None => book.table(first).map_err(Error::Usage)?,
            }
        }
    };
    let mut problems = Vec::new();
    if let Some((row, col)) = table.unclosed_quote {
        // Every row after it is inside one cell: importing the rows
        // before would leave the others out without a word.
        problems.push(Problem::error(
            Pos { row, col },
            "the double quote that opens this cell is never closed, so the cell runs to the end of the file; close or remove the quote; nothing is imported",
        ));
        return Ok(Opened { file, table, plan: None, problems });
    }
    let plan = match mapping::find_header(&table, &map) {
        Some(i) => {
            let header = &table.rows[i];
            let columns = mapping::assign(header, &map);
            for c in &columns {
                let at = Pos { row: header.index, col: c.col };
                match (c.field, c.shadowed_by) {
                    (Some(f), Some(b)) => problems.push(Problem::warning(
                        at,
                        format!(
                            "column \"{}\" also looks like `{}`, which column {} gives; it is not imported (choose in MAP.yaml)",
                            c.header,
                            f.key(),
                            read::column_name(b)
                        ),
                    )),
                    (None, _) => problems.push(Problem::warning(
                        at,
                        format!("column \"{}\" is not imported: the header is not recognised (map it in MAP.yaml, to `ignore` to silence this)", c.header),
                    )),
                    _ => {}
                }
            }
            // Values in a column without a header are not imported: say so
            // once per column, at its first value.
            let mapped: BTreeSet<u32> = columns.iter().map(|m| m.col).collect();
            let mut headless: BTreeMap<u32, (Pos, usize)> = BTreeMap::new();
            for row in table.rows.iter().filter(|r| r.index > header.index) {
                for (c, cell) in row.cells.iter().enumerate() {
                    let c = c as u32;
                    if !cell.is_blank() && !mapped.contains(&c) && !row.is_filled(c) {
                        headless.entry(c).or_insert((Pos { row: row.index, col: c }, 0)).1 += 1;
                    }
                }
            }
            for (c, (at, n)) in headless {
                problems.push(Problem::warning(
                    at,
                    format!(
                        "column {} has no header but holds values in {n} row{}; it is not imported (give it a header, or map the letter in MAP.yaml: `{}: field`)",
                        read::column_name(c),
                        plural(n),
                        read::column_name(c)
                    ),
                ));
            }
            for (k, _, pos) in mapping::unused_map_columns(&map, header) {
                problems.push(Problem {
                    severity: Severity::Warning,
                    place: Place::File(map.path.clone(), *pos),
                    message: format!("no column of the sheet is headed \"{k}\""),
                });
            }
            Some(Plan { header_row: header.index, columns, map })
        }
        None => {
            let msg = match map.header_row {
                Some(r) => format!(
                    "row {r} (MAP.yaml's header_row) has no column that names the business and no other known column"
                ),
                None => format!(
                    "no header row found: none of the first {} rows has a column that names the business (Nama Usaha, Nama Perusahaan, Business Name…) and another known column; say which with MAP.yaml (`header_row:`, `columns:`)",
                    mapping::HEADER_SEARCH_ROWS
                ),
            };
            problems.push(Problem::sheet(Severity::Error, msg));
            None
        }
    };
    Ok(Opened { file, table, plan, problems })
}

/// `gotong import --print-map`: the mapping that would be used, as a
/// MAP.yaml.
pub fn print_map(opts: &Options) -> Result<(String, Report), Error> {
    let o = open(opts)?;
    let report = Report {
        file: o.file.clone(),
        sheet: o.table.sheet.clone(),
        problems: o.problems,
        firms: Vec::new(),
        rows: 0,
        merged: 0,
        skipped: 0,
        dry_run: true,
        csv: o.table.encoding.zip(o.table.delimiter),
    };
    let text = match &o.plan {
        Some(plan) => mapping::render_map(&report.label(), &o.table, plan),
        None => String::new(),
    };
    Ok((text, report))
}

/// An existing firm folder.
#[derive(Debug, Clone)]
pub struct Existing {
    /// Folder name.
    pub slug: String,
    /// Key of its name ([`normalise::name_key`]).
    pub name_key: String,
    /// Key of its address.
    pub address_key: String,
    /// Its profile.yaml text.
    pub text: Option<String>,
    /// Slugs of its products.
    pub products: BTreeSet<String>,
}

/// Reads the firms already in `content/firms/`.
pub fn existing_firms(root: &Path) -> Vec<Existing> {
    let dir = root.join("content/firms");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in entries.flatten() {
        let slug = e.file_name().to_string_lossy().into_owned();
        if !crate::model::is_slug(&slug) {
            continue;
        }
        let profile = e.path().join("profile.yaml");
        let text = std::fs::symlink_metadata(&profile)
            .ok()
            .filter(|m| m.is_file() && m.len() <= crate::load::MAX_TEXT_BYTES)
            .and_then(|_| std::fs::read_to_string(&profile).ok());
        let parsed = text.as_deref().and_then(|t| crate::yaml::parse(t).ok());
        let field = |k: &str| parsed.as_ref().and_then(|v| v.get(k).and_then(scalar_text)).unwrap_or_default();
        out.push(Existing {
            name_key: normalise::name_key(&field("name")),
            address_key: normalise::address_key(&field("address")),
            text,
            products: product_slugs(root, &slug),
            slug,
        });
    }
    out.sort_by(|a, b| a.slug.cmp(&b.slug));
    out
}

/// A firm to write, with its files' new texts.
#[derive(Debug, Clone)]
pub struct Planned {
    /// Folder name.
    pub slug: String,
    /// What happens.
    pub action: Action,
    /// The new profile text (`None`: left as it is).
    pub profile: Option<String>,
    /// New product files (slug, text).
    pub products: Vec<(String, String)>,
    /// Rows it came from.
    pub rows: Vec<u32>,
}

/// Gives every firm its folder: the existing firm with the same name and
/// address (or the same name, when only one firm on each side has it, or
/// the folder its name gives when that folder's profile cannot be read),
/// or a new slug from the name, made unique with the kelurahan, the
/// kecamatan, then a number.
pub fn assign_slugs(firms: &[&Record], existing: &[Existing]) -> Vec<(String, bool)> {
    let mut by_key: BTreeMap<(&str, &str), &str> = BTreeMap::new();
    let mut by_name: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let unreadable: BTreeMap<&str, &str> =
        existing.iter().filter(|e| e.name_key.is_empty()).map(|e| (e.slug.as_str(), e.slug.as_str())).collect();
    for e in existing.iter().filter(|e| !e.name_key.is_empty()) {
        by_key.entry((&e.name_key, &e.address_key)).or_insert(&e.slug);
        by_name.entry(&e.name_key).or_default().push(&e.slug);
    }
    let keys: Vec<(String, String)> = firms
        .iter()
        .map(|r| {
            (
                normalise::name_key(&r.name.as_ref().map(|n| n.v.clone()).unwrap_or_default()),
                normalise::address_key(&r.address.as_ref().map(|a| a.v.clone()).unwrap_or_default()),
            )
        })
        .collect();
    let mut sheet_names: BTreeMap<&str, usize> = BTreeMap::new();
    for (n, _) in &keys {
        *sheet_names.entry(n).or_default() += 1;
    }
    let mut taken: BTreeSet<String> = existing.iter().map(|e| e.slug.clone()).collect();
    let mut matched: BTreeSet<String> = BTreeSet::new();
    let mut out: Vec<Option<(String, bool)>> = vec![None; firms.len()];
    // First the firms that exist already, so a new firm never takes their folder.
    for (i, (n, a)) in keys.iter().enumerate() {
        let hit = by_key
            .get(&(n.as_str(), a.as_str()))
            .copied()
            .or_else(|| match by_name.get(n.as_str()) {
                Some(v) if v.len() == 1 && sheet_names.get(n.as_str()) == Some(&1) => Some(v[0]),
                _ => None,
            })
            // A folder of this name whose profile cannot be read is this
            // firm too (it is then reported, never duplicated).
            .or_else(|| {
                let base = normalise::slugify(&firms[i].name.as_ref().map(|x| x.v.clone()).unwrap_or_default());
                unreadable.get(base.as_str()).copied()
            });
        if let Some(slug) = hit.filter(|s| !matched.contains(*s)) {
            matched.insert(slug.to_string());
            out[i] = Some((slug.to_string(), true));
        }
    }
    for (i, r) in firms.iter().enumerate() {
        if out[i].is_some() {
            continue;
        }
        let base = normalise::slugify(&r.name.as_ref().map(|n| n.v.clone()).unwrap_or_default());
        let base = if base.is_empty() { "usaha".to_string() } else { base };
        let mut candidates = vec![base.clone()];
        if let Some(k) = &r.subdistrict {
            candidates.push(format!("{base}-{}", normalise::slug_words(k.v.0)));
        }
        if let Some(d) = &r.district {
            candidates.push(format!("{base}-{}", d.v.as_str()));
        }
        let slug = candidates
            .into_iter()
            .find(|c| !taken.contains(c))
            .unwrap_or_else(|| (2..).map(|n| format!("{base}-{n}")).find(|c| !taken.contains(c)).unwrap_or_default());
        taken.insert(slug.clone());
        out[i] = Some((slug, false));
    }
    out.into_iter().map(Option::unwrap_or_default).collect()
}

/// What [`plan`] found.
#[derive(Debug, Default)]
pub struct Planning {
    /// Firms to write (or left alone), by slug.
    pub firms: Vec<Planned>,
    /// Every problem, sheet-level first, then by cell.
    pub problems: Vec<Problem>,
    /// Data rows read.
    pub rows: usize,
    /// Rows merged into another row's firm.
    pub merged: usize,
    /// Rows not written because of errors.
    pub skipped: usize,
}

/// Everything but the disk: from a table and its mapping to the firms to
/// write and the problems found. Pure, so that tests (and the property
/// test) can run it on any table.
pub fn plan(table: &Table, plan: &Plan, existing: &[Existing], source: &str, update: bool, this_year: i32) -> Planning {
    let mut out = Planning { problems: sheet_checks(plan), rows: data_rows(table, plan), ..Planning::default() };
    if out.problems.iter().any(|p| p.severity == Severity::Error) {
        out.skipped = out.rows;
        return out;
    }
    let read = rows::read_rows(table, plan, this_year);
    out.problems.extend(read.problems);
    out.merged = read.merged;
    out.skipped = read.unnamed;
    let name_col = plan.columns_for(Field::Name).next().map_or(0, |c| c.col);
    let failing: BTreeSet<u32> =
        out.problems.iter().filter(|p| p.severity == Severity::Error).filter_map(|p| p.at()).map(|a| a.row).collect();
    let mut ok: Vec<&Record> = Vec::new();
    for r in &read.firms {
        if r.failed {
            out.skipped += r.rows.len();
            // Every row of a firm that is not written says so, naming the
            // row whose error stopped it.
            let culprit = r.rows.iter().find(|x| failing.contains(x)).copied().unwrap_or(r.rows[0]);
            for row in r.rows.iter().filter(|x| !failing.contains(x)) {
                out.problems.push(Problem::error(
                    Pos { row: *row, col: name_col },
                    format!("not imported: row {} of the same firm has errors", culprit + 1),
                ));
            }
        } else {
            ok.push(r);
        }
    }
    let slugs = assign_slugs(&ok, existing);
    let by_slug: BTreeMap<&str, &Existing> = existing.iter().map(|e| (e.slug.as_str(), e)).collect();
    let results: Vec<(usize, Option<Planned>, Vec<Problem>)> = ok
        .par_iter()
        .zip(slugs.par_iter())
        .map(|(rec, (slug, exists))| {
            let e = by_slug.get(slug.as_str()).copied().filter(|_| *exists);
            let (p, probs) = plan_firm(rec, slug, e, source, update, this_year);
            (rec.rows.len(), p, probs)
        })
        .collect();
    for (n, p, probs) in results {
        if p.is_none() {
            out.skipped += n;
        }
        out.problems.extend(probs);
        out.firms.extend(p);
    }
    out.firms.sort_by(|a, b| a.slug.cmp(&b.slug));
    // Sheet-level problems first, then by cell; the order found within a
    // cell (the sort is stable).
    out.problems.sort_by_key(|p| match &p.place {
        Place::Sheet => (0, 0, 0),
        Place::File(..) => (1, 0, 0),
        Place::Cell(pos) => (2, pos.row, pos.col),
    });
    out
}

fn data_rows(table: &Table, plan: &Plan) -> usize {
    table.rows.iter().filter(|r| r.index > plan.header_row).count()
}

/// Problems of the mapping as a whole: a field every profile needs with
/// no column and no default.
fn sheet_checks(plan: &Plan) -> Vec<Problem> {
    let mut out = Vec::new();
    let defaults = &plan.map.defaults;
    let kind_industry =
        defaults.get(&Field::Kind).and_then(|k| crate::model::Kind::parse(k)).is_none_or(|k| k.is_industry());
    if !plan.has(Field::District) && !plan.has(Field::Subdistrict) && !defaults.contains_key(&Field::District) {
        out.push(Problem::sheet(
            Severity::Error,
            "no column gives the kecamatan (Kecamatan) or the kelurahan (Kelurahan, Desa), and MAP.yaml gives no `defaults: district:`; nothing can be imported",
        ));
    }
    if kind_industry && !plan.has(Field::Sector) && !defaults.contains_key(&Field::Sector) {
        out.push(Problem::sheet(
            Severity::Error,
            "no column gives the sector (Sektor, Jenis Industri), and MAP.yaml gives no `defaults: sector:`; nothing can be imported",
        ));
    }
    let scale_cols = [Field::Scale, Field::Investment, Field::Employees, Field::Turnover, Field::TurnoverMonthly];
    if kind_industry && !scale_cols.iter().any(|f| plan.has(*f)) && !defaults.contains_key(&Field::Scale) {
        out.push(Problem::sheet(
            Severity::Warning,
            "no column gives the scale (Skala, investment, workforce or turnover): every firm is written as kecil, marked as guessed",
        ));
    }
    out
}

fn plan_firm(
    rec: &Record,
    slug: &str,
    existing: Option<&Existing>,
    source: &str,
    update: bool,
    this_year: i32,
) -> (Option<Planned>, Vec<Problem>) {
    let name_at = rec.name.as_ref().map_or(Pos { row: rec.rows[0], col: 0 }, |n| n.at);
    let mut problems = Vec::new();
    let dir = format!("content/firms/{slug}");
    let product_files = |have: Option<&BTreeSet<String>>| -> Vec<(String, String)> {
        rec.products
            .iter()
            .map(|p| (normalise::slug_words(&p.name), p))
            .filter(|(s, _)| have.is_none_or(|h| !h.contains(s)))
            .map(|(s, p)| (s, write::product_text(p, source)))
            .collect()
    };
    let (action, profile, products) = match existing {
        Some(e) => {
            let name = rec.name.as_ref().map_or("", |n| n.v.as_str());
            if !update {
                problems.push(Problem::warning(
                    name_at,
                    format!("\"{name}\" is already in {dir}/: left alone (use --update to update it)"),
                ));
                let planned = Planned {
                    slug: slug.to_string(),
                    action: Action::LeftAlone,
                    profile: None,
                    products: Vec::new(),
                    rows: rec.rows.clone(),
                };
                return (Some(planned), problems);
            }
            let Some(text) = e.text.as_deref() else {
                problems.push(Problem::error(
                    name_at,
                    format!("{dir}/profile.yaml cannot be read; the firm is not updated"),
                ));
                return (None, problems);
            };
            match write::update_profile(text, rec) {
                Ok((new, _)) => {
                    let products = product_files(Some(&e.products));
                    let action = if new.is_none() && products.is_empty() { Action::Unchanged } else { Action::Updated };
                    (action, new, products)
                }
                Err(why) => {
                    problems.push(Problem::error(name_at, format!("{dir}/profile.yaml is not updated: {why}")));
                    return (None, problems);
                }
            }
        }
        None => (Action::Created, Some(write::profile_text(rec, source)), product_files(None)),
    };
    if profile.is_none() && products.is_empty() {
        return (Some(Planned { slug: slug.to_string(), action, profile, products, rows: rec.rows.clone() }), problems);
    }
    // What will be written must pass `gotong check`.
    let errors =
        validate_texts(slug, profile.as_deref().or(existing.and_then(|e| e.text.as_deref())), &products, this_year);
    if !errors.is_empty() {
        for e in errors {
            problems.push(Problem::error(
                name_at,
                format!("the firm would not pass `gotong check` ({e}); it is not written"),
            ));
        }
        return (None, problems);
    }
    (Some(Planned { slug: slug.to_string(), action, profile, products, rows: rec.rows.clone() }), problems)
}

/// Runs the real validator on a profile and its new products; returns the
/// errors as `path:line:col: message`.
fn validate_texts(slug: &str, profile: Option<&str>, products: &[(String, String)], this_year: i32) -> Vec<String> {
    let mut raw = crate::load::RawFirm {
        slug: slug.to_string(),
        profile: profile.map(|p| SourceFile::new(format!("content/firms/{slug}/profile.yaml"), p)),
        ..Default::default()
    };
    for (p, text) in products {
        raw.products.insert(
            p.clone(),
            RawDoc {
                main: Some(SourceFile::new(format!("content/firms/{slug}/products/{p}.md"), text)),
                ..Default::default()
            },
        );
    }
    let vocab = crate::vocabulary::Vocabulary::default();
    // Only the year matters to a firm (the bound of `founded`).
    let today = crate::model::Date { year: this_year, month: 12, day: 31 };
    let opts = crate::validate::Options { root: Path::new("."), drafts: true, today, base_url: None };
    let (_, diags) = crate::validate::validate_firm(&raw, &vocab, "", &opts);
    diags
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        // Images are checked on disk; a profile the importer does not own
        // may name them, and they are not its business.
        .filter(|d| !d.message.starts_with("image `"))
        .map(|d| format!("{}: {}", d.location(), d.message))
        .collect()
}

/// Runs the import.
pub fn run(opts: &Options) -> Result<Report, Error> {
    if !opts.root.join("site.yaml").is_file() {
        return Err(Error::Usage(format!(
            "no site.yaml in {} (use --root to point at the folder that holds it)",
            opts.root.display()
        )));
    }
    let o = open(opts)?;
    let mut report = Report {
        file: o.file.clone(),
        sheet: o.table.sheet.clone(),
        problems: o.problems,
        firms: Vec::new(),
        rows: 0,
        merged: 0,
        skipped: 0,
        dry_run: opts.dry_run,
        csv: o.table.encoding.zip(o.table.delimiter),
    };
    let Some(pl) = o.plan else {
        return Ok(report);
    };
    let existing = existing_firms(&opts.root);
    let source = Path::new(&o.file).file_name().map_or(o.file.clone(), |f| f.to_string_lossy().into_owned());
    let planning = plan(&o.table, &pl, &existing, &source, opts.update, opts.this_year);
    report.problems.extend(planning.problems);
    report.skipped = planning.skipped;
    report.rows = planning.rows;
    report.merged = planning.merged;
    if !opts.dry_run {
        for p in &planning.firms {
            write_firm(&opts.root, p).map_err(Error::Io)?;
        }
    }
    report.firms = planning
        .firms
        .into_iter()
        .map(|p| Outcome { products: p.products.len(), slug: p.slug, action: p.action, rows: p.rows })
        .collect();
    Ok(report)
}

fn product_slugs(root: &Path, slug: &str) -> BTreeSet<String> {
    let dir = root.join("content/firms").join(slug).join("products");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return BTreeSet::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.strip_suffix(".md")).map(str::to_string))
        .filter(|n| !n.contains('.'))
        .collect()
}

/// Refuses to write through a symbolic link (a folder of the site that
/// points elsewhere).
fn no_symlink(p: &Path) -> Result<(), String> {
    match std::fs::symlink_metadata(p) {
        Ok(m) if m.file_type().is_symlink() => {
            Err(format!("{} is a symbolic link; gotong import does not write through it", p.display()))
        }
        _ => Ok(()),
    }
}

/// Writes a file. A new file is created in place (it must not exist:
/// nothing is overwritten by accident); a file that exists is replaced by
/// writing a temporary file and renaming it, so a reader (the preview
/// server) never sees half of it. Creating files is what an import of a
/// large register spends its time on, so new files cost one creation.
fn write_file(path: &Path, text: &str) -> Result<(), String> {
    no_symlink(path)?;
    if !path.exists() {
        use std::io::Write as _;
        let fail = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
        let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(path).map_err(fail)?;
        return f.write_all(text.as_bytes()).map_err(fail);
    }
    let tmp = path.with_extension("gotong-import-tmp");
    std::fs::write(&tmp, text).map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("cannot write {}: {e}", path.display())
    })
}

fn write_firm(root: &Path, p: &Planned) -> Result<(), String> {
    if p.profile.is_none() && p.products.is_empty() {
        return Ok(());
    }
    let content = root.join("content");
    let firms = content.join("firms");
    let dir = firms.join(&p.slug);
    for d in [&content, &firms, &dir] {
        no_symlink(d)?;
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    if let Some(text) = &p.profile {
        write_file(&dir.join("profile.yaml"), text)?;
    }
    if !p.products.is_empty() {
        let pdir = dir.join("products");
        no_symlink(&pdir)?;
        std::fs::create_dir_all(&pdir).map_err(|e| format!("cannot create {}: {e}", pdir.display()))?;
        for (slug, text) in &p.products {
            write_file(&pdir.join(format!("{slug}.md")), text)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_quoted_as_excel_needs() {
        for plain in ["Data", "Sheet1", "Data_IKM", "Rekap.2026", "ABCD1", "Rekap", "Cimahi", "Lembar", "_x", "Réka"] {
            assert_eq!(super::sheet_ref(plain), plain, "{plain}");
        }
        for (name, quoted) in [
            ("2026", "'2026'"),
            ("1a", "'1a'"),
            ("A1", "'A1'"),
            ("xfd10", "'xfd10'"),
            ("R1C1", "'R1C1'"),
            ("R", "'R'"),
            ("c", "'c'"),
            ("RC", "'RC'"),
            ("R2", "'R2'"),
            ("C3", "'C3'"),
            ("TRUE", "'TRUE'"),
            ("Data IKM", "'Data IKM'"),
            ("Data 'IKM'", "'Data ''IKM'''"),
            ("", "''"),
        ] {
            assert_eq!(super::sheet_ref(name), quoted, "{name}");
        }
    }

    #[test]
    fn quoted_values_are_cut_in_messages() {
        let long = "x".repeat(5000);
        let m = tidy_message(&format!("`{long}` is not a number; \"{long}\" left out"));
        assert_eq!(
            m,
            format!(
                "`{}… (5000 characters)` is not a number; \"{}… (5000 characters)\" left out",
                "x".repeat(60),
                "x".repeat(60)
            )
        );
        assert_eq!(
            tidy_message("kelurahan \"Cibereum\" read as \"Cibeureum\""),
            "kelurahan \"Cibereum\" read as \"Cibeureum\""
        );
        assert_eq!(tidy_message("an odd ` quote"), "an odd ` quote");
    }
}
