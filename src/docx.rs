//! The draft proposals as a Word document (`usaha/<firm>/proposal.docx`,
//! SPEC section 11), written from the same [`Draft`] values the HTML page
//! shows.
//!
//! The Office Open XML parts are written here directly: a document uses a
//! handful of elements (paragraphs with a style, runs that are bold,
//! italic or highlighted, line breaks, numbered and bulleted lists, two
//! kinds of table, page breaks), and writing them into one string is about
//! twenty times cheaper than building them through a document model (a
//! catalogue of 10,000 firms writes 10,000 documents; docs/performance.md,
//! section 9). Every text and attribute value is escaped here, and the
//! characters XML 1.0 cannot hold are dropped. The parts and their schema
//! order follow ECMA-376 Part 1 (WordprocessingML); the tests read every
//! document back with independent readers (roxmltree, docx-rs's reader,
//! python-docx in the CI suite).
//!
//! The package is zipped so that it is byte-identical across builds
//! whatever the thread or the clock: entries in a fixed order, every
//! timestamp the zip format's earliest (1980-01-01), fixed core
//! properties.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::Write as _;

use crate::model::Lang;
use crate::proposal::{Block, Draft, Run, Signature};
// Escapes for XML and drops what XML 1.0 cannot hold (as for the feed and
// the sitemap).
use crate::publish::xml_escape_into as escape_into;

/// Abstract numbering of numbered lists.
const DECIMAL: usize = 1;
/// Abstract numbering of bulleted lists.
const BULLET: usize = 2;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const REL: &str = "http://schemas.openxmlformats.org/package/2006/relationships";

/// How a run looks.
#[derive(Clone, Copy, Default)]
struct Look {
    bold: bool,
    italic: bool,
    highlight: bool,
}

/// What a paragraph's properties say.
#[derive(Default)]
struct Para<'a> {
    style: Option<&'a str>,
    page_break: bool,
    /// The numbering instance of a list item.
    num: Option<usize>,
    right: bool,
}

/// The body of `word/document.xml` and the list instances it numbers.
struct Writer {
    xml: String,
    /// The abstract numbering of each list instance (instance `i + 1`).
    lists: Vec<usize>,
}

impl Writer {
    fn open_p(&mut self, p: &Para<'_>) {
        self.xml.push_str("<w:p>");
        if p.style.is_none() && !p.page_break && p.num.is_none() && !p.right {
            return;
        }
        // The schema's order: pStyle, pageBreakBefore, numPr, jc.
        self.xml.push_str("<w:pPr>");
        if let Some(s) = p.style {
            self.xml.push_str("<w:pStyle w:val=\"");
            self.xml.push_str(s);
            self.xml.push_str("\"/>");
        }
        if p.page_break {
            self.xml.push_str("<w:pageBreakBefore/>");
        }
        if let Some(n) = p.num {
            self.xml.push_str("<w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"");
            crate::proposal::push_number(&mut self.xml, n);
            self.xml.push_str("\"/></w:numPr>");
        }
        if p.right {
            self.xml.push_str("<w:jc w:val=\"right\"/>");
        }
        self.xml.push_str("</w:pPr>");
    }

    fn text(&mut self, text: &str, look: Look) {
        self.xml.push_str("<w:r>");
        if look.bold || look.italic || look.highlight {
            // The schema's order: b, i, highlight.
            self.xml.push_str("<w:rPr>");
            if look.bold {
                self.xml.push_str("<w:b/>");
            }
            if look.italic {
                self.xml.push_str("<w:i/>");
            }
            if look.highlight {
                self.xml.push_str("<w:highlight w:val=\"yellow\"/>");
            }
            self.xml.push_str("</w:rPr>");
        }
        // Word drops leading, trailing and doubled spaces unless told to
        // keep them: said only where the text has some.
        if text.starts_with(char::is_whitespace) || text.ends_with(char::is_whitespace) || text.contains("  ") {
            self.xml.push_str("<w:t xml:space=\"preserve\">");
        } else {
            self.xml.push_str("<w:t>");
        }
        escape_into(&mut self.xml, text);
        self.xml.push_str("</w:t></w:r>");
    }

    fn runs(&mut self, runs: &[Run], bold: bool) {
        for r in runs {
            match r {
                Run::Text { text } => self.text(text, Look { bold, ..Look::default() }),
                Run::Em { text } => self.text(text, Look { bold, italic: true, ..Look::default() }),
                Run::Placeholder { text } => self.text(text, Look { bold, highlight: true, ..Look::default() }),
                Run::Break => self.xml.push_str("<w:r><w:br/></w:r>"),
            }
        }
    }

    fn para(&mut self, p: &Para<'_>, runs: &[Run]) {
        self.open_p(p);
        self.runs(runs, false);
        self.xml.push_str("</w:p>");
    }

    fn plain(&mut self, p: &Para<'_>, text: &str, look: Look) {
        self.open_p(p);
        self.text(text, look);
        self.xml.push_str("</w:p>");
    }

    /// A table of the given table style (in `styles.xml`: the borders,
    /// the shading of the header row and column), columns fixed to `grid`.
    /// Cells carry no properties of their own: the grid gives the widths.
    fn open_table(&mut self, style: &str, grid: &[u32]) {
        self.xml.push_str("<w:tbl><w:tblPr><w:tblStyle w:val=\"");
        self.xml.push_str(style);
        self.xml.push_str("\"/><w:tblW w:w=\"");
        crate::proposal::push_number(&mut self.xml, grid.iter().sum::<u32>() as usize);
        // tblLook turns on the style's header row and column.
        self.xml.push_str(concat!(
            "\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/>",
            "<w:tblLook w:val=\"00A0\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"1\" w:lastColumn=\"0\" ",
            "w:noHBand=\"1\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>"
        ));
        for &w in grid {
            self.xml.push_str("<w:gridCol w:w=\"");
            crate::proposal::push_number(&mut self.xml, w as usize);
            self.xml.push_str("\"/>");
        }
        self.xml.push_str("</w:tblGrid>");
    }

    fn cell(&mut self, runs: &[Run], head: bool) {
        self.xml.push_str("<w:tc>");
        self.open_p(&Para::default());
        self.runs(runs, head);
        self.xml.push_str("</w:p></w:tc>");
    }

    fn signature(&mut self, s: &Signature) {
        self.xml.push_str("<w:tc>");
        self.para(&Para::default(), &s.caption);
        self.plain(&Para::default(), &s.party, Look { bold: true, ..Look::default() });
        for _ in 0..3 {
            self.xml.push_str("<w:p/>");
        }
        self.para(&Para::default(), &s.name);
        self.para(&Para::default(), &s.position);
        self.xml.push_str("</w:tc>");
    }

    fn block(&mut self, b: &Block, page_break: bool) {
        match b {
            Block::Letterhead { name, lines } => {
                self.plain(&Para { style: Some("Letterhead"), page_break, ..Para::default() }, name, Look::default());
                for l in lines {
                    self.plain(&Para { style: Some("LetterheadLine"), ..Para::default() }, l, Look::default());
                }
            }
            Block::Heading { level, runs } => {
                let style = if *level <= 1 { "Heading1" } else { "Heading2" };
                self.para(&Para { style: Some(style), page_break, ..Para::default() }, runs);
            }
            Block::Paragraph { runs, align, .. } => {
                self.para(&Para { page_break, right: *align == Some("right"), ..Para::default() }, runs);
            }
            Block::List { ordered, items, .. } => {
                // One numbering instance per list, so that each numbered
                // list starts at 1.
                self.lists.push(if *ordered { DECIMAL } else { BULLET });
                let num = self.lists.len();
                for (i, item) in items.iter().enumerate() {
                    let p = Para {
                        style: Some("ListParagraph"),
                        page_break: page_break && i == 0,
                        num: Some(num),
                        ..Para::default()
                    };
                    self.para(&p, item);
                }
            }
            Block::Table { head, rows } => {
                const GRID: [u32; 3] = [2200, 3400, 3400];
                self.open_table("Parties", &GRID);
                self.xml.push_str("<w:tr>");
                for c in head {
                    self.cell(c, true);
                }
                self.xml.push_str("</w:tr>");
                for row in rows {
                    self.xml.push_str("<w:tr>");
                    for (i, c) in row.iter().enumerate() {
                        self.cell(c, i == 0);
                    }
                    self.xml.push_str("</w:tr>");
                }
                self.xml.push_str("</w:tbl><w:p/>");
            }
            Block::Signatures { blocks } => {
                let grid = vec![4500; blocks.len()];
                self.open_table("Signatures", &grid);
                self.xml.push_str("<w:tr>");
                for s in blocks {
                    self.signature(s);
                }
                // A paragraph after the table: Word wants one between a
                // table and the end of the body.
                self.xml.push_str("</w:tr></w:tbl><w:p/>");
            }
        }
    }
}

/// `word/document.xml` before the drafts.
const DOCUMENT_HEAD: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" ",
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><w:body>"
);

/// `word/document.xml` after the drafts: A4 with its margins.
const DOCUMENT_TAIL: &str = concat!(
    "<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1134\" w:right=\"1134\" ",
    "w:bottom=\"1134\" w:left=\"1418\" w:header=\"709\" w:footer=\"709\" w:gutter=\"0\"/></w:sectPr>",
    "</w:body></w:document>"
);

/// `word/numbering.xml`: the two list kinds and one instance per list.
fn numbering_xml(lists: &[usize]) -> String {
    let mut x = format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:numbering xmlns:w=\"{W}\">");
    for (id, format, text) in [(DECIMAL, "decimal", "%1."), (BULLET, "bullet", "•")] {
        let _ = write!(
            x,
            "<w:abstractNum w:abstractNumId=\"{id}\"><w:multiLevelType w:val=\"singleLevel\"/><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"{format}\"/><w:lvlText w:val=\"{text}\"/><w:lvlJc w:val=\"left\"/><w:pPr><w:ind w:left=\"720\" w:hanging=\"360\"/></w:pPr></w:lvl></w:abstractNum>"
        );
    }
    for (i, abs) in lists.iter().enumerate() {
        let _ = write!(x, "<w:num w:numId=\"{}\"><w:abstractNumId w:val=\"{abs}\"/>", i + 1);
        if *abs == DECIMAL {
            x.push_str("<w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"1\"/></w:lvlOverride>");
        }
        x.push_str("</w:num>");
    }
    x.push_str("</w:numbering>");
    x
}

/// `word/styles.xml`: Arial 11 pt by default, `Normal` the default
/// paragraph style (readers that resolve a paragraph without a style
/// through it, python-docx for one, find it), the two heading levels with
/// Word's own names (so that the navigation pane and python-docx see
/// headings), the letterhead and list paragraphs.
const STYLES: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">",
    "<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Arial\" w:hAnsi=\"Arial\" w:eastAsia=\"Arial\" w:cs=\"Arial\"/>",
    "<w:sz w:val=\"22\"/><w:szCs w:val=\"22\"/><w:lang w:val=\"id-ID\"/></w:rPr></w:rPrDefault>",
    "<w:pPrDefault><w:pPr><w:spacing w:after=\"120\" w:line=\"264\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>",
    "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>",
    "<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/><w:basedOn w:val=\"Normal\"/>",
    "<w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before=\"240\" w:after=\"240\"/><w:jc w:val=\"center\"/>",
    "<w:outlineLvl w:val=\"0\"/></w:pPr><w:rPr><w:b/><w:color w:val=\"0D3B2E\"/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/></w:rPr></w:style>",
    "<w:style w:type=\"paragraph\" w:styleId=\"Heading2\"><w:name w:val=\"heading 2\"/><w:basedOn w:val=\"Normal\"/>",
    "<w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before=\"200\" w:after=\"80\"/><w:outlineLvl w:val=\"1\"/></w:pPr>",
    "<w:rPr><w:b/><w:color w:val=\"0D3B2E\"/><w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/></w:rPr></w:style>",
    "<w:style w:type=\"paragraph\" w:styleId=\"Letterhead\"><w:name w:val=\"Letterhead\"/><w:basedOn w:val=\"Normal\"/>",
    "<w:pPr><w:spacing w:after=\"0\"/></w:pPr><w:rPr><w:b/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/></w:rPr></w:style>",
    "<w:style w:type=\"paragraph\" w:styleId=\"LetterheadLine\"><w:name w:val=\"Letterhead line\"/><w:basedOn w:val=\"Normal\"/>",
    "<w:pPr><w:pBdr><w:bottom w:val=\"single\" w:sz=\"6\" w:space=\"4\" w:color=\"0D3B2E\"/></w:pBdr><w:spacing w:after=\"0\"/></w:pPr>",
    "<w:rPr><w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/></w:rPr></w:style>",
    "<w:style w:type=\"paragraph\" w:styleId=\"ListParagraph\"><w:name w:val=\"List Paragraph\"/><w:basedOn w:val=\"Normal\"/>",
    "<w:qFormat/><w:pPr><w:spacing w:after=\"60\"/><w:ind w:left=\"720\"/></w:pPr></w:style>",
    // The parties' table: ruled, its header row and column shaded.
    "<w:style w:type=\"table\" w:styleId=\"Parties\"><w:name w:val=\"Parties\"/><w:tblPr><w:tblBorders>",
    "<w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"9BB5A8\"/>",
    "<w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"9BB5A8\"/>",
    "<w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"9BB5A8\"/>",
    "<w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"9BB5A8\"/>",
    "<w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"9BB5A8\"/>",
    "<w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"9BB5A8\"/>",
    "</w:tblBorders><w:tblCellMar><w:left w:w=\"108\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr>",
    "<w:tblStylePr w:type=\"firstRow\"><w:tcPr><w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"E1EFE7\"/></w:tcPr></w:tblStylePr>",
    "<w:tblStylePr w:type=\"firstCol\"><w:tcPr><w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"E1EFE7\"/></w:tcPr></w:tblStylePr>",
    "</w:style>",
    // The signature blocks side by side, without rules.
    "<w:style w:type=\"table\" w:styleId=\"Signatures\"><w:name w:val=\"Signatures\"/><w:tblPr><w:tblBorders>",
    "<w:top w:val=\"nil\"/><w:left w:val=\"nil\"/><w:bottom w:val=\"nil\"/><w:right w:val=\"nil\"/>",
    "<w:insideH w:val=\"nil\"/><w:insideV w:val=\"nil\"/></w:tblBorders>",
    "<w:tblCellMar><w:left w:w=\"108\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>",
    "</w:styles>"
);

const CONTENT_TYPES: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">",
    "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>",
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>",
    "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>",
    "<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>",
    "<Override PartName=\"/word/numbering.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml\"/>",
    "<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>",
    "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>",
    "<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>",
    "</Types>"
);

fn package_rels() -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"{REL}\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/><Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/></Relationships>"
    )
}

fn document_rels() -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"{REL}\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering\" Target=\"numbering.xml\"/><Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/></Relationships>"
    )
}

fn settings_xml() -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:settings xmlns:w=\"{W}\"><w:defaultTabStop w:val=\"720\"/><w:characterSpacingControl w:val=\"doNotCompress\"/><w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat></w:settings>"
    )
}

/// The core properties: the title, and no dates (they would change the
/// bytes of every build).
fn core_xml(title: &str, lang: Lang) -> String {
    let mut t = String::new();
    escape_into(&mut t, title);
    let l = language_tag(lang);
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>{t}</dc:title><dc:creator>gotong</dc:creator><dc:language>{l}</dc:language></cp:coreProperties>"
    )
}

/// The language of the text, as Word's proofing tools and the core
/// properties name it.
fn language_tag(lang: Lang) -> &'static str {
    match lang {
        Lang::Id => "id-ID",
        Lang::En => "en-US",
    }
}

const APP: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\"><Application>gotong</Application></Properties>"
);

/// The drafts of one firm as a .docx file: each draft starts on a new page
/// with the sender's letterhead, and has one level-1 heading. `title` is
/// the document's title (its core properties), `lang` the language the
/// drafts are written in.
pub fn document(drafts: &[Draft], title: &str, lang: Lang) -> Vec<u8> {
    let mut w = Writer { xml: String::with_capacity(14 * 1024 * drafts.len().max(1)), lists: Vec::new() };
    w.xml.push_str(DOCUMENT_HEAD);
    for (i, d) in drafts.iter().enumerate() {
        for (k, b) in d.blocks.iter().enumerate() {
            w.block(b, i > 0 && k == 0);
        }
    }
    w.xml.push_str(DOCUMENT_TAIL);
    let parts: [(&str, Cow<'_, str>); 3] = [
        ("docProps/core.xml", core_xml(title, lang).into()),
        ("word/numbering.xml", numbering_xml(&w.lists).into()),
        ("word/document.xml", Cow::Borrowed(w.xml.as_str())),
    ];
    // Writing into memory cannot fail; the tests read every part back.
    zip(&parts, lang).unwrap_or_default()
}

/// The parts every document shares (content types, relationships, styles,
/// settings), zipped once per process: a document copies them as they are
/// and deflates only its own three parts. Each deflated entry costs a
/// compressor of a few hundred kilobytes, set up and zeroed afresh, which
/// for nine small parts cost more than compressing the letters
/// (docs/performance.md, section 9).
fn shared(lang: Lang) -> Option<&'static zip::ZipArchive<std::io::Cursor<&'static [u8]>>> {
    type Shared = Option<zip::ZipArchive<std::io::Cursor<&'static [u8]>>>;
    const N: usize = Lang::ALL.len();
    static BYTES: [std::sync::OnceLock<Vec<u8>>; N] = [const { std::sync::OnceLock::new() }; N];
    static ARCHIVE: [std::sync::OnceLock<Shared>; N] = [const { std::sync::OnceLock::new() }; N];
    let i = Lang::ALL.iter().position(|&l| l == lang)?;
    ARCHIVE[i]
        .get_or_init(|| {
            let bytes = BYTES[i].get_or_init(|| {
                // The styles name the language Word checks the spelling in.
                let styles = STYLES.replace("\"id-ID\"", &format!("\"{}\"", language_tag(lang)));
                let parts: [(&str, Cow<'_, str>); 6] = [
                    ("[Content_Types].xml", CONTENT_TYPES.into()),
                    ("_rels/.rels", package_rels().into()),
                    ("docProps/app.xml", APP.into()),
                    ("word/_rels/document.xml.rels", document_rels().into()),
                    ("word/styles.xml", styles.into()),
                    ("word/settings.xml", settings_xml().into()),
                ];
                write_parts(zip::ZipWriter::new(std::io::Cursor::new(Vec::new())), &parts).unwrap_or_default()
            });
            zip::ZipArchive::new(std::io::Cursor::new(bytes.as_slice())).ok()
        })
        .as_ref()
}

/// Zips the shared parts and then `parts`, with fixed metadata (deflate at
/// a fast level: the XML is repetitive and compresses tenfold).
fn zip(parts: &[(&str, Cow<'_, str>)], lang: Lang) -> zip::result::ZipResult<Vec<u8>> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::with_capacity(32 * 1024)));
    let shared = shared(lang).ok_or(zip::result::ZipError::InvalidArchive("the shared parts".into()))?;
    z.merge_archive(shared.clone())?;
    write_parts(z, parts)
}

fn write_parts(
    mut z: zip::ZipWriter<std::io::Cursor<Vec<u8>>>,
    parts: &[(&str, Cow<'_, str>)],
) -> zip::result::ZipResult<Vec<u8>> {
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1))
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    for (name, text) in parts {
        z.start_file(*name, options)?;
        z.write_all(text.as_bytes())?;
    }
    Ok(z.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(bytes: &[u8], name: &str) -> String {
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut s = String::new();
        std::io::Read::read_to_string(&mut z.by_name(name).unwrap(), &mut s).unwrap();
        s
    }

    /// The package holds the nine parts, each once, the shared ones first
    /// and every one readable.
    #[test]
    fn every_part_is_in_the_package() {
        let bytes = document(&[], "T", Lang::Id);
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(&bytes[..])).unwrap();
        let names: Vec<String> = z.file_names().map(str::to_string).collect();
        assert_eq!(
            names,
            [
                "[Content_Types].xml",
                "_rels/.rels",
                "docProps/app.xml",
                "word/_rels/document.xml.rels",
                "word/styles.xml",
                "word/settings.xml",
                "docProps/core.xml",
                "word/numbering.xml",
                "word/document.xml",
            ]
        );
        for name in &names {
            let mut s = String::new();
            std::io::Read::read_to_string(&mut z.by_name(name).unwrap(), &mut s).unwrap();
            assert!(s.starts_with("<?xml"), "{name}");
        }
        assert_eq!(document(&[], "T", Lang::Id), bytes, "the same bytes every time");
    }

    /// An English document says it is English, to Word's spelling checker
    /// and in its properties; an Indonesian one Indonesian.
    #[test]
    fn the_document_names_its_language() {
        for (lang, tag, other) in [(Lang::En, "en-US", "id-ID"), (Lang::Id, "id-ID", "en-US")] {
            let bytes = document(&[], "T", lang);
            let styles = part(&bytes, "word/styles.xml");
            assert!(styles.contains(&format!("<w:lang w:val=\"{tag}\"/>")) && !styles.contains(other), "{styles}");
            assert!(part(&bytes, "docProps/core.xml").contains(&format!("<dc:language>{tag}</dc:language>")));
        }
    }

    #[test]
    fn normal_is_the_default_paragraph_style() {
        let bytes = document(&[], "T", Lang::Id);
        let styles = part(&bytes, "word/styles.xml");
        assert!(styles.contains(r#"w:default="1" w:styleId="Normal""#), "{styles}");
    }

    /// Every part is well-formed XML whatever the text holds, and the text
    /// reads back as written, less the characters XML cannot hold.
    #[test]
    fn hostile_text_stays_text() {
        let hostile = "</w:t><w:p> & \"q\" 'a' <b>\u{0}\u{b}x\u{fffe}";
        let blocks = vec![
            Block::Letterhead { name: hostile.into(), lines: vec![hostile.into()] },
            Block::Heading { level: 1, runs: vec![Run::Text { text: hostile.into() }] },
            Block::List { ordered: true, items: vec![vec![Run::Placeholder { text: hostile.into() }]], reason: None },
            Block::Table { head: vec![vec![], vec![Run::Em { text: hostile.into() }]], rows: vec![] },
        ];
        let d = Draft { slug: "s".into(), partner: 0, partner_name: "P".into(), reasons: vec![], blocks };
        let bytes = document(&[d.clone(), d], hostile, Lang::Id);
        for name in ["word/document.xml", "docProps/core.xml", "word/numbering.xml"] {
            let xml = part(&bytes, name);
            let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{name}: {e}\n{xml}"));
            if name == "word/document.xml" {
                let texts: Vec<&str> =
                    doc.descendants().filter(|n| n.tag_name().name() == "t").filter_map(|n| n.text()).collect();
                assert!(texts.iter().all(|t| *t == "</w:t><w:p> & \"q\" 'a' <b>x"), "{texts:?}");
                assert_eq!(texts.len(), 10);
                assert_eq!(xml.matches("<w:pageBreakBefore/>").count(), 1, "{xml}");
            }
        }
    }
}
