//! Reading a register: XLSX (and the older XLS), ODS and CSV into one
//! [`Table`] of cells with their absolute positions.
//!
//! Spreadsheets are read with `calamine`. XLSX is read cell by cell (its
//! streaming reader), so a sheet with two cells a million rows apart costs
//! two cells, not a million empty rows; ODS and XLS go through calamine's
//! ranges. CSV is read with the `csv` crate after the bytes are decoded:
//! UTF-8 when they are valid UTF-8 (a byte-order mark is dropped), UTF-16
//! when a byte-order mark says so, Windows-1252 otherwise (what Excel
//! writes on an Indonesian Windows). The delimiter is the one of `;`, `,`
//! and tab that the first non-empty line uses most, outside quotes.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, DataRef, Reader};

/// One cell's value, as the reader gave it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing in it.
    Empty,
    /// Text.
    Text(String),
    /// A whole number.
    Int(i64),
    /// A number with a fraction (or too large for `Int`).
    Float(f64),
    /// A truth value.
    Bool(bool),
    /// A date (year, month, day).
    Date(i32, u32, u32),
    /// A formula error (`#N/A`, `#DIV/0!`).
    Error(String),
}

impl Cell {
    /// Whether the cell holds nothing (empty, or only spaces).
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text: numbers without a useless `.0`, dates as
    /// `YYYY-MM-DD`; control characters removed, runs of white space made
    /// one space, trimmed. `None` when blank.
    pub fn text(&self) -> Option<String> {
        let raw = match self {
            Cell::Empty => return None,
            Cell::Text(s) => clean_text(s),
            Cell::Int(n) => n.to_string(),
            Cell::Float(f) => float_text(*f),
            Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Cell::Date(y, m, d) => format!("{y:04}-{m:02}-{d:02}"),
            Cell::Error(e) => e.clone(),
        };
        if raw.is_empty() { None } else { Some(raw) }
    }

    /// The cell as text, keeping line breaks (for cells that list several
    /// products, one a line).
    pub fn lines(&self) -> Vec<String> {
        match self {
            Cell::Text(s) => s.split(['\n', '\r']).map(clean_text).filter(|l| !l.is_empty()).collect(),
            other => other.text().into_iter().collect(),
        }
    }
}

/// Removes control and format characters (and the others a profile may not
/// hold: [`crate::source::is_forbidden_char`]), turns every kind of white space
/// (no-break spaces included) into one space, and trims.
pub fn clean_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() || c == '\u{a0}' {
            space = true;
        } else if crate::source::is_forbidden_char(c)
            || matches!(c, '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
        {
            // dropped
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

/// A number as a person typed it: `81234567890`, not `81234567890.0` or
/// `8.123e10`.
fn float_text(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 { format!("{}", f as i64) } else { format!("{f}") }
}

/// A row of a sheet that has at least one non-blank cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Absolute 0-based row number (row 1 of the sheet is 0).
    pub index: u32,
    /// Cells from column A on; missing cells at the end are blank.
    pub cells: Vec<Cell>,
    /// Columns (ascending) whose cell is part of a merged cell that starts
    /// in a row above: the value is the merged cell's, copied down.
    pub filled: Vec<u32>,
}

impl Row {
    /// A row of cells, none of them copied from a merged cell.
    pub fn new(index: u32, cells: Vec<Cell>) -> Row {
        Row { index, cells, filled: Vec::new() }
    }

    /// The cell in absolute column `col` (0 = A).
    pub fn get(&self, col: u32) -> &Cell {
        self.cells.get(col as usize).unwrap_or(&Cell::Empty)
    }

    /// Whether the cell in `col` was copied down from a merged cell.
    pub fn is_filled(&self, col: u32) -> bool {
        self.filled.binary_search(&col).is_ok()
    }
}

/// One sheet of a register.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The sheet's name (`None` for a CSV file).
    pub sheet: Option<String>,
    /// Non-blank rows, top to bottom.
    pub rows: Vec<Row>,
    /// How a CSV file was decoded ("UTF-8", "windows-1252", "UTF-16LE").
    pub encoding: Option<&'static str>,
    /// The delimiter of a CSV file.
    pub delimiter: Option<u8>,
    /// The cell of a CSV file whose opening double quote is never closed
    /// (it then holds everything after it, to the end of the file).
    pub unclosed_quote: Option<(u32, u32)>,
}

/// A register file, opened.
pub enum Book {
    /// A CSV file: one table.
    Csv(Table),
    /// An XLSX workbook.
    Xlsx(calamine::Xlsx<Cursor<Vec<u8>>>),
    /// An ODS or XLS workbook (read through ranges).
    Other(calamine::Sheets<Cursor<Vec<u8>>>),
}

/// Largest register file read (a 10,000-row XLSX is about 1 MB).
pub const MAX_BYTES: u64 = 256 * 1024 * 1024;

/// Rows beyond this many are not read (Excel's own limit).
pub const MAX_ROWS: u32 = 1_048_576;

/// Columns beyond this one are not read: registers have a few dozen.
pub const MAX_COLS: u32 = 1024;

impl Book {
    /// Opens a file by its extension: `.xlsx`/`.xlsm`, `.ods`, `.xls`,
    /// `.csv`/`.txt` (`delimiter` forces a CSV delimiter).
    pub fn open(path: &Path, delimiter: Option<u8>) -> Result<Book, String> {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        let size = std::fs::metadata(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?.len();
        if size > MAX_BYTES {
            return Err(format!(
                "{} is {size} bytes; registers larger than {MAX_BYTES} bytes are not read",
                path.display()
            ));
        }
        let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let bad = |e: &dyn std::fmt::Display| format!("cannot read {} as a spreadsheet: {e}", path.display());
        match ext.as_str() {
            "csv" | "txt" | "tsv" => Ok(Book::Csv(read_csv(&bytes, delimiter))),
            "xlsx" | "xlsm" => calamine::open_workbook_from_rs::<calamine::Xlsx<_>, _>(Cursor::new(bytes))
                .map(Book::Xlsx)
                .map_err(|e| bad(&e)),
            "ods" => calamine::open_workbook_from_rs::<calamine::Ods<_>, _>(Cursor::new(bytes))
                .map(|b| Book::Other(calamine::Sheets::Ods(b)))
                .map_err(|e| bad(&e)),
            "xls" => calamine::open_workbook_from_rs::<calamine::Xls<_>, _>(Cursor::new(bytes))
                .map(|b| Book::Other(calamine::Sheets::Xls(b)))
                .map_err(|e| bad(&e)),
            _ => Err(format!(
                "{}: unknown kind of file `.{ext}` (gotong import reads .xlsx, .ods, .xls and .csv)",
                path.display()
            )),
        }
    }

    /// Names of the sheets, in workbook order (`[]` for CSV).
    pub fn sheet_names(&self) -> Vec<String> {
        match self {
            Book::Csv(_) => Vec::new(),
            Book::Xlsx(b) => b.sheet_names(),
            Book::Other(b) => b.sheet_names(),
        }
    }

    /// Reads one sheet (for CSV, the file; `name` is then ignored).
    pub fn table(&mut self, name: &str) -> Result<Table, String> {
        match self {
            Book::Csv(t) => Ok(t.clone()),
            Book::Xlsx(b) => {
                let mut t = read_xlsx_sheet(b, name)?;
                // Merged cells (a kecamatan over the rows of its firms, a
                // name over its product rows). A workbook whose merges
                // cannot be read is read without them.
                if b.load_merged_regions().is_ok() {
                    let regions: Vec<calamine::Dimensions> =
                        b.merged_regions_by_sheet(name).into_iter().map(|(_, _, d)| *d).collect();
                    fill_merged(&mut t, &regions);
                }
                Ok(t)
            }
            Book::Other(b) => {
                let range = b.worksheet_range(name).map_err(|e| format!("cannot read sheet `{name}`: {e}"))?;
                let mut t = range_table(name, &range);
                if let calamine::Sheets::Xls(x) = b {
                    fill_merged(&mut t, &x.worksheet_merge_cells(name).unwrap_or_default());
                }
                Ok(t)
            }
        }
    }
}

fn read_xlsx_sheet(book: &mut calamine::Xlsx<Cursor<Vec<u8>>>, name: &str) -> Result<Table, String> {
    let fail = |e: calamine::XlsxError| format!("cannot read sheet `{name}`: {e}");
    let mut reader = book.worksheet_cells_reader(name).map_err(fail)?;
    let mut cells: Vec<((u32, u32), Cell)> = Vec::new();
    while let Some(c) = reader.next_cell().map_err(fail)? {
        let (r, col) = c.get_position();
        if r >= MAX_ROWS || col >= MAX_COLS {
            continue;
        }
        let v = match c.get_value() {
            DataRef::SharedString(s) => Cell::Text((*s).to_string()),
            DataRef::String(s) => Cell::Text(s.clone()),
            DataRef::Int(n) => Cell::Int(*n),
            DataRef::Float(f) => Cell::Float(*f),
            DataRef::Bool(b) => Cell::Bool(*b),
            DataRef::DateTime(d) => date_cell(d),
            DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => iso_cell(s),
            DataRef::Error(e) => Cell::Error(e.to_string()),
            DataRef::Empty => Cell::Empty,
        };
        if !v.is_blank() {
            cells.push(((r, col), v));
        }
    }
    Ok(sparse_table(name, cells))
}

fn date_cell(d: &calamine::ExcelDateTime) -> Cell {
    if d.is_datetime() {
        let (y, m, day, ..) = d.to_ymd_hms_milli();
        Cell::Date(i32::from(y), u32::from(m), u32::from(day))
    } else {
        Cell::Float(d.as_f64())
    }
}

fn iso_cell(s: &str) -> Cell {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| s.get(r).filter(|p| p.bytes().all(|c| c.is_ascii_digit()));
    if b.len() >= 10
        && b[4] == b'-'
        && b[7] == b'-'
        && let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10))
        && let (Ok(y), Ok(m), Ok(d)) = (y.parse(), m.parse(), d.parse())
    {
        return Cell::Date(y, m, d);
    }
    Cell::Text(s.to_string())
}

fn range_table(name: &str, range: &calamine::Range<Data>) -> Table {
    let mut cells = Vec::new();
    let Some((r0, c0)) = range.start() else {
        return sparse_table(name, cells);
    };
    for (i, row) in range.rows().enumerate() {
        let r = r0.saturating_add(i as u32);
        if r >= MAX_ROWS {
            break;
        }
        for (j, v) in row.iter().enumerate() {
            let col = c0.saturating_add(j as u32);
            if col >= MAX_COLS {
                break;
            }
            let v = match v {
                Data::String(s) => Cell::Text(s.clone()),
                Data::Int(n) => Cell::Int(*n),
                Data::Float(f) => Cell::Float(*f),
                Data::Bool(b) => Cell::Bool(*b),
                Data::DateTime(d) => date_cell(d),
                Data::DateTimeIso(s) | Data::DurationIso(s) => iso_cell(s),
                Data::Error(e) => Cell::Error(e.to_string()),
                Data::Empty => Cell::Empty,
            };
            if !v.is_blank() {
                cells.push(((r, col), v));
            }
        }
    }
    sparse_table(name, cells)
}

/// Copies the value of each merged cell that spans several rows down into
/// the rows below its first, in its first column, marking the copies
/// ([`Row::filled`]). Only rows that have a cell of their own get copies:
/// a merged cell that runs past the data adds no rows (and a hostile file
/// cannot make millions of them). Merged cells within one row (a title
/// over the columns) are left as they are.
pub fn fill_merged(table: &mut Table, regions: &[calamine::Dimensions]) {
    let mut regions: Vec<&calamine::Dimensions> =
        regions.iter().filter(|d| d.end.0 > d.start.0 && d.start.1 < MAX_COLS).collect();
    if regions.is_empty() {
        return;
    }
    regions.sort_by_key(|d| (d.start.1, d.start.0));
    let index: std::collections::HashMap<u32, usize> =
        table.rows.iter().enumerate().map(|(i, r)| (r.index, i)).collect();
    for d in regions {
        let (top, col) = d.start;
        let Some(&first) = index.get(&top) else { continue };
        let value = table.rows[first].get(col).clone();
        if value.is_blank() {
            continue;
        }
        // Rows are sorted: walk those after the first row, inside the region.
        for row in table.rows[first + 1..].iter_mut().take_while(|r| r.index <= d.end.0) {
            let c = col as usize;
            if row.cells.len() <= c {
                row.cells.resize(c + 1, Cell::Empty);
            }
            // A merged cell's other cells are empty; keep anything else.
            if row.cells[c].is_blank() {
                row.cells[c] = value.clone();
                if let Err(at) = row.filled.binary_search(&col) {
                    row.filled.insert(at, col);
                }
            }
        }
    }
}

/// Builds rows from cells in any order.
fn sparse_table(name: &str, mut cells: Vec<((u32, u32), Cell)>) -> Table {
    cells.sort_by_key(|(pos, _)| *pos);
    let mut rows: Vec<Row> = Vec::new();
    for ((r, c), v) in cells {
        if rows.last().is_none_or(|row| row.index != r) {
            rows.push(Row::new(r, Vec::new()));
        }
        if let Some(row) = rows.last_mut() {
            let c = c as usize;
            if row.cells.len() <= c {
                row.cells.resize(c + 1, Cell::Empty);
            }
            row.cells[c] = v;
        }
    }
    Table { sheet: Some(name.to_string()), rows, encoding: None, delimiter: None, unclosed_quote: None }
}

/// Decodes CSV bytes: UTF-16 by byte-order mark, UTF-8 when valid,
/// Windows-1252 otherwise.
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom..]);
        return (text.into_owned(), enc.name());
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), "UTF-8"),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            (text.into_owned(), encoding_rs::WINDOWS_1252.name())
        }
    }
}

/// The delimiter of a CSV text: of `;`, `,` and tab, the one used most
/// consistently over the first 30 non-empty lines (outside quotes): the
/// most lines that hold it the same number of times, then the larger such
/// number. A title line above the header holds none and does not count;
/// a cell full of commas in a `;` file ("Kue, Roti, Dodol") holds them
/// on one line only. Ties go to `;` (what Excel writes where `,` is the
/// decimal mark), then `,`.
pub fn sniff_delimiter(text: &str) -> u8 {
    let cands = [b';', b',', b'\t'];
    let mut counts: [Vec<usize>; 3] = [Vec::new(), Vec::new(), Vec::new()];
    for line in text.lines().filter(|l| !l.trim().is_empty()).take(30) {
        let mut n = [0usize; 3];
        let mut quoted = false;
        for c in line.chars() {
            match c {
                '"' => quoted = !quoted,
                ';' if !quoted => n[0] += 1,
                ',' if !quoted => n[1] += 1,
                '\t' if !quoted => n[2] += 1,
                _ => {}
            }
        }
        for i in 0..3 {
            if n[i] > 0 {
                counts[i].push(n[i]);
            }
        }
    }
    // (lines with the most common count, that count) per candidate.
    let score = |v: &Vec<usize>| -> (usize, usize) {
        let mut freq: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
        for n in v {
            *freq.entry(*n).or_default() += 1;
        }
        freq.into_iter().map(|(n, lines)| (lines, n)).max().unwrap_or((0, 0))
    };
    let mut pick = 1;
    let mut best = score(&counts[1]);
    for i in [0, 2] {
        let s = score(&counts[i]);
        if s > best || (i == 0 && s == best && s.0 > 0) {
            pick = i;
            best = s;
        }
    }
    cands[pick]
}

/// Reads CSV bytes into a table.
pub fn read_csv(bytes: &[u8], delimiter: Option<u8>) -> Table {
    let (mut text, encoding) = decode(bytes);
    if !text.ends_with('\n') {
        text.push('\n');
    }
    let delimiter = delimiter.unwrap_or_else(|| sniff_delimiter(&text));
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut index: u64 = 0;
    // Where the last record starts, its row and its number of fields.
    let mut last: Option<(usize, u32, usize)> = None;
    loop {
        // Rows are numbered as a spreadsheet program opening the file shows
        // them: one per record (a cell may hold line breaks), blank lines
        // counted. The csv crate skips blank lines, so they are counted from
        // the lines the record consumed.
        let before = reader.position().line();
        let start = reader.position().byte() as usize;
        match reader.read_record(&mut record) {
            Ok(true) => {}
            // Ok(false) is the end; an error can only be invalid UTF-8, and
            // the text was decoded.
            Ok(false) | Err(_) => break,
        }
        let consumed = reader.position().line().saturating_sub(before);
        let inner: u64 = record.iter().map(|f| f.matches('\n').count() as u64).sum();
        index += consumed.saturating_sub(1 + inner);
        if index >= u64::from(MAX_ROWS) {
            break;
        }
        let cells: Vec<Cell> = record
            .iter()
            .take(MAX_COLS as usize)
            .map(|f| if f.trim().is_empty() { Cell::Empty } else { Cell::Text(f.to_string()) })
            .collect();
        if cells.iter().any(|c| !c.is_blank()) {
            rows.push(Row::new(index as u32, cells));
        }
        last = Some((start, index as u32, record.len()));
        index += 1;
    }
    // Only the last record can hold an unclosed quote: it runs to the end.
    let unclosed_quote = last
        .filter(|(start, ..)| text.get(*start..).is_some_and(|rest| ends_quoted(rest, delimiter)))
        .map(|(_, row, fields)| (row, fields.saturating_sub(1).min(MAX_COLS as usize - 1) as u32));
    Table { sheet: None, rows, encoding: Some(encoding), delimiter: Some(delimiter), unclosed_quote }
}

/// Whether CSV text ends inside a quoted field (a quote opens a field
/// only at its start; `""` inside one is a quote).
fn ends_quoted(text: &str, delimiter: u8) -> bool {
    let d = char::from(delimiter);
    let mut quoted = false;
    let mut field_start = true;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                } else {
                    quoted = false;
                }
            }
            continue;
        }
        if c == '"' && field_start {
            quoted = true;
        }
        field_start = c == d || c == '\n' || c == '\r';
    }
    quoted
}

/// The column letters of a 0-based column number (0 → `A`, 26 → `AA`).
pub fn column_name(col: u32) -> String {
    let mut n = col as u64 + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        out.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Reads column letters (`F`, `aa`) back into a 0-based column number.
pub fn parse_column(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 3 || !s.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let mut n: u32 = 0;
    for b in s.bytes() {
        n = n * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1);
    }
    Some(n - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns() {
        for (n, s) in [(0, "A"), (5, "F"), (25, "Z"), (26, "AA"), (27, "AB"), (701, "ZZ"), (702, "AAA")] {
            assert_eq!(column_name(n), s);
            assert_eq!(parse_column(s), Some(n));
        }
        assert_eq!(parse_column("f"), Some(5));
        assert_eq!(parse_column("A1"), None);
        assert_eq!(parse_column(""), None);
    }

    #[test]
    fn decoding_and_delimiters() {
        assert_eq!(decode("Cimahi;é\n".as_bytes()).1, "UTF-8");
        let (t, enc) = decode(b"Caf\xe9;x\n");
        assert_eq!((t.as_str(), enc), ("Café;x\n", "windows-1252"));
        let (t, enc) = decode(b"\xef\xbb\xbfa,b\n");
        assert_eq!((t.as_str(), enc), ("a,b\n", "UTF-8"));
        assert_eq!(sniff_delimiter("a;b;c\n"), b';');
        assert_eq!(sniff_delimiter("a,b,c\n"), b',');
        assert_eq!(sniff_delimiter("\"x;y\",b,c\n"), b',');
        assert_eq!(sniff_delimiter("a\tb\n"), b'\t');
        assert_eq!(sniff_delimiter("solo\n"), b',');
        assert_eq!(sniff_delimiter("DATA IKM 2019\n\nNo;Nama;Alamat\n1;\"A, B\";C\n"), b';');
        // A cell listing products with commas, unquoted, in a `;` file.
        assert_eq!(sniff_delimiter("Nama;Produk;Kec\nA;Kue, Roti, Dodol, Wajit;X\nB;Kue;Y\n"), b';');
        assert_eq!(sniff_delimiter("Nama;Produk\nA;Kue, Roti, Dodol, Wajit\n"), b';');
        assert_eq!(sniff_delimiter("Nama,Harga,Kec\nA,\"1,5\",X\nB,2,Y\n"), b',');
    }

    #[test]
    fn unclosed_quotes_are_found() {
        let t = read_csv(b"Nama;Kec\n\"CV A;X\nCV B;Y\n", None);
        assert_eq!(t.unclosed_quote, Some((1, 0)));
        let t = read_csv(b"Nama;Kec\n\"CV \"\"A\"\";X\nCV B;\"Y\nZ\"\nJl. \"Baru;W\n", None);
        assert_eq!(t.unclosed_quote, None);
        assert_eq!(t.rows.len(), 4);
    }

    #[test]
    fn csv_rows_keep_their_numbers() {
        let t = read_csv(b"Nama;Alamat\n\n;\n\"CV A\";\"Jl. B\nNo. 1\"\n\nCV C;x", None);
        let idx: Vec<u32> = t.rows.iter().map(|r| r.index).collect();
        assert_eq!(idx, [0, 3, 5]);
        assert_eq!(t.rows[1].get(1).lines(), ["Jl. B", "No. 1"]);
        assert_eq!(t.rows[1].get(7), &Cell::Empty);
    }

    #[test]
    fn cell_text() {
        assert_eq!(Cell::Float(81234567890.0).text().as_deref(), Some("81234567890"));
        assert_eq!(Cell::Float(1.5).text().as_deref(), Some("1.5"));
        assert_eq!(Cell::Text("  CV\u{a0} Rasa\u{7}\t ".into()).text().as_deref(), Some("CV Rasa"));
        assert_eq!(Cell::Text("   ".into()).text(), None);
        // What `gotong check` refuses never reaches a profile.
        let hostile = "\u{2067}Rasa\u{2069} \u{202e}CV\u{1b}";
        assert_eq!(Cell::Text(hostile.into()).text().as_deref(), Some("Rasa CV"));
        assert_eq!(Cell::Date(2015, 3, 1).text().as_deref(), Some("2015-03-01"));
        // Noncharacters, which a profile may not hold, are dropped too.
        assert_eq!(clean_text("Ra\u{fffe}sa\u{fdd0} \u{10ffff}CV"), "Rasa CV");
    }
}
