//! The draft proposals as a Word document (`usaha/<firm>/proposal.docx`,
//! SPEC section 11), written from the same [`Draft`] values the HTML page
//! shows.
//!
//! docx-rs builds the Office Open XML parts (it escapes text); the package
//! is zipped here so that it is byte-identical across builds whatever the
//! thread or the clock: entries in a fixed order, every timestamp the zip
//! format's earliest (1980-01-01), the core properties' dates docx-rs's
//! fixed default, and paragraph ids numbered from 1 in each document
//! (docx-rs draws them from a per-thread counter otherwise).

use std::io::Write as _;

use docx_rs::{
    AbstractNumbering, AlignmentType, BreakType, Docx, IndentLevel, Level, LevelJc, LevelOverride, LevelText,
    NumberFormat, Numbering, NumberingId, PageMargin, Paragraph, Run as DRun, RunFonts, Shading, SpecialIndentType,
    Start, Style, StyleType, Table, TableCell, TableRow, WidthType,
};

use crate::proposal::{Block, Draft, Run, Signature};

/// Abstract numbering of numbered lists.
const DECIMAL: usize = 1;
/// Abstract numbering of bulleted lists.
const BULLET: usize = 2;

/// Characters XML 1.0 cannot hold (control characters other than tab and
/// newline): dropped, so that no content can make the document unreadable.
fn clean(s: &str) -> String {
    s.chars()
        .filter(|&c| !matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}'))
        .collect()
}

struct Writer {
    doc: Docx,
    /// Next paragraph id.
    para: u32,
    /// Next numbering instance (one per list, so each restarts at 1).
    num: usize,
}

impl Writer {
    fn p(&mut self) -> Paragraph {
        self.para += 1;
        Paragraph::new().id(format!("{:08X}", self.para))
    }

    fn runs(&self, mut p: Paragraph, runs: &[Run]) -> Paragraph {
        for r in runs {
            p = p.add_run(match r {
                Run::Text { text } => DRun::new().add_text(clean(text)),
                Run::Em { text } => DRun::new().add_text(clean(text)).italic(),
                Run::Placeholder { text } => DRun::new().add_text(clean(text)).highlight("yellow"),
                Run::Break => DRun::new().add_break(BreakType::TextWrapping),
            });
        }
        p
    }

    fn para(&mut self, runs: &[Run]) -> Paragraph {
        let p = self.p();
        self.runs(p, runs)
    }

    fn cell(&mut self, runs: &[Run], head: bool) -> TableCell {
        let mut p = self.para(runs);
        if head {
            p = p.bold();
        }
        let cell = TableCell::new().add_paragraph(p);
        if head { cell.shading(Shading::new().fill("E1EFE7")) } else { cell }
    }

    fn signature(&mut self, s: &Signature) -> TableCell {
        let caption = self.para(&s.caption);
        let party = self.p().add_run(DRun::new().add_text(clean(&s.party)).bold());
        let mut cell = TableCell::new().add_paragraph(caption).add_paragraph(party);
        for _ in 0..3 {
            let blank = self.p();
            cell = cell.add_paragraph(blank);
        }
        let name = self.para(&s.name);
        let position = self.para(&s.position);
        cell.add_paragraph(name).add_paragraph(position).width(4500, WidthType::Dxa)
    }

    fn block(&mut self, b: &Block, first: bool) {
        match b {
            Block::Letterhead { name, lines } => {
                let p =
                    self.p().style("Letterhead").page_break_before(!first).add_run(DRun::new().add_text(clean(name)));
                self.doc = std::mem::take(&mut self.doc).add_paragraph(p);
                for l in lines {
                    let p = self.p().style("LetterheadLine").add_run(DRun::new().add_text(clean(l)));
                    self.doc = std::mem::take(&mut self.doc).add_paragraph(p);
                }
            }
            Block::Heading { level, runs } => {
                let style = if *level <= 1 { "Heading1" } else { "Heading2" };
                let p = self.para(runs).style(style);
                self.doc = std::mem::take(&mut self.doc).add_paragraph(p);
            }
            Block::Paragraph { runs, align, .. } => {
                let mut p = self.para(runs);
                if *align == Some("right") {
                    p = p.align(AlignmentType::Right);
                }
                self.doc = std::mem::take(&mut self.doc).add_paragraph(p);
            }
            Block::List { ordered, items, .. } => {
                self.num += 1;
                let id = self.num;
                let mut numbering = Numbering::new(id, if *ordered { DECIMAL } else { BULLET });
                if *ordered {
                    numbering = numbering.add_override(LevelOverride::new(0).start(1));
                }
                self.doc = std::mem::take(&mut self.doc).add_numbering(numbering);
                for item in items {
                    let p = self.para(item).style("ListParagraph").numbering(NumberingId::new(id), IndentLevel::new(0));
                    self.doc = std::mem::take(&mut self.doc).add_paragraph(p);
                }
            }
            Block::Table { head, rows } => {
                let mut trs = vec![TableRow::new(head.iter().map(|c| self.cell(c, true)).collect())];
                for row in rows {
                    let cells = row.iter().enumerate().map(|(i, c)| self.cell(c, i == 0)).collect();
                    trs.push(TableRow::new(cells));
                }
                let t = Table::new(trs).set_grid(vec![2200, 3400, 3400]).width(9000, WidthType::Dxa);
                self.doc = std::mem::take(&mut self.doc).add_table(t);
                let gap = self.p();
                self.doc = std::mem::take(&mut self.doc).add_paragraph(gap);
            }
            Block::Signatures { blocks } => {
                let cells = blocks.iter().map(|s| self.signature(s)).collect();
                let t = Table::without_borders(vec![TableRow::new(cells)]).set_grid(vec![4500, 4500]);
                self.doc = std::mem::take(&mut self.doc).add_table(t);
            }
        }
    }
}

fn styles(doc: Docx) -> Docx {
    let heading = |id: &str, name: &str, size: usize, outline: usize| {
        Style::new(id, StyleType::Paragraph)
            .name(name)
            .based_on("Normal")
            .next("Normal")
            .q_format(true)
            .size(size)
            .bold()
            .color("0D3B2E")
            .outline_lvl(outline)
    };
    doc.add_style(heading("Heading1", "heading 1", 28, 0).align(AlignmentType::Center))
        .add_style(heading("Heading2", "heading 2", 24, 1))
        .add_style(Style::new("Letterhead", StyleType::Paragraph).name("Letterhead").based_on("Normal").size(32).bold())
        .add_style(
            Style::new("LetterheadLine", StyleType::Paragraph).name("Letterhead line").based_on("Normal").size(18),
        )
        .add_style(Style::new("ListParagraph", StyleType::Paragraph).name("List Paragraph").based_on("Normal"))
        .add_abstract_numbering(
            AbstractNumbering::new(DECIMAL).add_level(
                Level::new(0, Start::new(1), NumberFormat::new("decimal"), LevelText::new("%1."), LevelJc::new("left"))
                    .indent(Some(720), Some(SpecialIndentType::Hanging(360)), None, None),
            ),
        )
        .add_abstract_numbering(
            AbstractNumbering::new(BULLET).add_level(
                Level::new(0, Start::new(1), NumberFormat::new("bullet"), LevelText::new("•"), LevelJc::new("left"))
                    .indent(Some(720), Some(SpecialIndentType::Hanging(360)), None, None),
            ),
        )
}

/// Marks `Normal` as the default paragraph style (`w:default="1"`), which
/// docx-rs cannot say: readers that resolve a paragraph without a style
/// through the styles part (python-docx, for one) find it then.
fn default_paragraph_style(styles: Vec<u8>) -> Vec<u8> {
    const FROM: &str = r#"<w:style w:type="paragraph" w:styleId="Normal">"#;
    const TO: &str = r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal">"#;
    match String::from_utf8(styles) {
        Ok(s) => s.replacen(FROM, TO, 1).into_bytes(),
        Err(e) => e.into_bytes(),
    }
}

/// The package parts of a document, in the order they are zipped.
fn parts(x: docx_rs::XMLDocx) -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("[Content_Types].xml", x.content_type),
        ("_rels/.rels", x.rels),
        ("docProps/app.xml", x.doc_props.app),
        ("docProps/core.xml", x.doc_props.core),
        ("docProps/custom.xml", x.doc_props.custom),
        ("word/_rels/document.xml.rels", x.document_rels),
        ("word/document.xml", x.document),
        ("word/styles.xml", default_paragraph_style(x.styles)),
        ("word/settings.xml", x.settings),
        ("word/fontTable.xml", x.font_table),
        ("word/comments.xml", x.comments),
        ("word/numbering.xml", x.numberings),
        ("word/commentsExtended.xml", x.comments_extended),
        ("word/footnotes.xml", x.footnotes),
    ]
}

/// The drafts of one firm as a .docx file: each draft starts on a new page
/// with the sender's letterhead, and has one level-1 heading.
pub fn document(drafts: &[Draft]) -> Vec<u8> {
    let doc = Docx::new()
        .page_size(11906, 16838)
        .page_margin(PageMargin::new().top(1134).bottom(1134).left(1418).right(1134))
        .default_fonts(RunFonts::new().ascii("Arial").hi_ansi("Arial").cs("Arial"))
        .default_size(22);
    let mut w = Writer { doc: styles(doc), para: 0, num: 10 };
    for (i, d) in drafts.iter().enumerate() {
        for (k, b) in d.blocks.iter().enumerate() {
            w.block(b, i == 0 || k > 0);
        }
    }
    zip(parts(w.doc.build()))
}

/// Zips package parts with fixed metadata (deflate at a fast level: the
/// XML is repetitive and compresses tenfold).
fn zip(parts: Vec<(&'static str, Vec<u8>)>) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::with_capacity(32 * 1024));
    {
        let mut z = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .compression_level(Some(1))
            .last_modified_time(zip::DateTime::default())
            .unix_permissions(0o644);
        for (name, bytes) in parts {
            // Writing into memory cannot fail.
            if z.start_file(name, options).is_ok() {
                let _ = z.write_all(&bytes);
            }
        }
        let _ = z.finish();
    }
    out.into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_is_the_default_paragraph_style() {
        let bytes = document(&[]);
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut styles = String::new();
        std::io::Read::read_to_string(&mut z.by_name("word/styles.xml").unwrap(), &mut styles).unwrap();
        assert!(styles.contains(r#"w:default="1" w:styleId="Normal""#), "{styles}");
    }
}
