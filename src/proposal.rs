//! Draft partnership proposals and the company profile's QR code (SPEC
//! section 11): the regulation's second facility, help with proposals,
//! contracts and company profiles.
//!
//! For every suggested partner of a firm, [`drafts`] builds a small typed
//! document ([`Draft`]: headings, paragraphs of inline [`Run`]s, lists,
//! tables, signature blocks). The same value is rendered twice: to HTML by
//! [`html`] (the theme's `proposal.html` places each letter in its page) and
//! to Word by [`crate::docx`], so the page and the .docx can never say
//! different things.
//!
//! Every sentence comes from the theme's UI strings (`proposal.*` keys), so
//! a city can change the wording without touching code. In those strings
//! `{name}` is filled by gotong, `[…]` marks a placeholder that the firm
//! fills in by hand (shown highlighted, never filled with an invented
//! value), `*…*` is emphasis and a line break is a line break. Values from
//! content (names, places, tags) are inserted as plain text: a bracket or an
//! asterisk in a firm's name stays text.
//!
//! What each side brings the other is exactly the reasons of the suggestion
//! ([`crate::partners::Reason`]), in their order, with the tags' labels and
//! the products whose materials make the need.

use std::borrow::Cow;

use serde::Serialize;

use crate::model::Firm;
use crate::partners::{Reason, Suggestion};
use crate::render::views::{ViewContext, label, lower_first};

/// A piece of inline text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Run<'a> {
    /// Plain text.
    Text {
        /// The text.
        text: Cow<'a, str>,
    },
    /// Emphasised text.
    Em {
        /// The text.
        text: Cow<'a, str>,
    },
    /// Text the firm must replace, brackets included (`[tanggal]`).
    Placeholder {
        /// The text.
        text: Cow<'a, str>,
    },
    /// A line break.
    Break,
}

/// A line of inline runs. Text from the UI strings and from content is
/// borrowed where it is used whole: a catalogue of 10,000 firms has 80,000
/// letters of about fifty blocks each.
pub type Runs<'a> = Vec<Run<'a>>;

/// One signature block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Signature<'a> {
    /// "Hormat kami,".
    pub caption: Runs<'a>,
    /// The party's name.
    pub party: Cow<'a, str>,
    /// Signatory's name (a placeholder).
    pub name: Runs<'a>,
    /// Signatory's position (a placeholder).
    pub position: Runs<'a>,
}

/// A block of a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block<'a> {
    /// The sending firm's letterhead: its name and address/contact lines.
    Letterhead {
        /// Firm name.
        name: Cow<'a, str>,
        /// Address and contact lines.
        lines: Vec<String>,
    },
    /// A heading: level 1 is the draft's title (one per draft), level 2 a
    /// section of the letter.
    Heading {
        /// 1 or 2.
        level: u8,
        /// Its text.
        runs: Runs<'a>,
    },
    /// A paragraph.
    Paragraph {
        /// Its text.
        runs: Runs<'a>,
        /// `right` for the place-and-date line, else none.
        #[serde(skip_serializing_if = "Option::is_none")]
        align: Option<&'static str>,
        /// The reason kind this paragraph states (SPEC 6), if any.
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<&'static str>,
    },
    /// A list.
    List {
        /// Numbered or bulleted.
        ordered: bool,
        /// One entry per item.
        items: Vec<Runs<'a>>,
        /// The reason kind the list states, if any.
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<&'static str>,
    },
    /// A table with a header row; the first cell of each row labels it.
    Table {
        /// Column headings.
        head: Vec<Runs<'a>>,
        /// Rows of cells.
        rows: Vec<Vec<Runs<'a>>>,
    },
    /// Signature blocks, side by side.
    Signatures {
        /// The blocks.
        blocks: Vec<Signature<'a>>,
    },
}

/// One draft proposal: from a firm to one of its suggested partners.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Draft<'a> {
    /// The partner's slug (the section's `id`).
    pub slug: String,
    /// Index of the partner in `Site::firms`.
    #[serde(skip)]
    pub partner: usize,
    /// The partner's name.
    pub partner_name: String,
    /// Reason kinds of the suggestion, in order (for tests and themes).
    pub reasons: Vec<&'static str>,
    /// The letter.
    pub blocks: Vec<Block<'a>>,
}

/// Turns a UI string into runs: `{name}` is replaced by its value (as plain
/// text), `[…]` becomes a placeholder, `*…*` emphasis, a newline a break.
pub fn runs<'a>(template: &'a str, args: &[(&str, &str)]) -> Runs<'a> {
    fn push_text<'a>(out: &mut Runs<'a>, s: Cow<'a, str>) {
        if s.is_empty() {
            return;
        }
        if let Some(Run::Text { text }) = out.last_mut() {
            text.to_mut().push_str(&s);
        } else {
            out.push(Run::Text { text: s });
        }
    }
    let fill = |s: &'a str| -> Cow<'a, str> {
        if !s.contains('{') {
            return Cow::Borrowed(s);
        }
        let mut s = s.to_string();
        for (k, v) in args {
            s = s.replace(&format!("{{{k}}}"), v);
        }
        Cow::Owned(s)
    };
    let mut out: Runs<'a> = Vec::new();
    let mut rest = template;
    while !rest.is_empty() {
        let next = rest.find(['{', '[', '*', '\n']).unwrap_or(rest.len());
        push_text(&mut out, Cow::Borrowed(&rest[..next]));
        rest = &rest[next..];
        let Some(c) = rest.chars().next() else { break };
        match c {
            '\n' => {
                out.push(Run::Break);
                rest = &rest[1..];
            }
            '{' => match rest.find('}') {
                Some(end) => {
                    let key = &rest[1..end];
                    match args.iter().find(|(k, _)| *k == key) {
                        Some((_, v)) => push_text(&mut out, Cow::Owned((*v).to_string())),
                        None => push_text(&mut out, Cow::Borrowed(&rest[..=end])),
                    }
                    rest = &rest[end + 1..];
                }
                None => {
                    push_text(&mut out, Cow::Borrowed(rest));
                    rest = "";
                }
            },
            '[' => match rest.find(']') {
                Some(end) => {
                    out.push(Run::Placeholder { text: fill(&rest[..=end]) });
                    rest = &rest[end + 1..];
                }
                None => {
                    push_text(&mut out, Cow::Borrowed(rest));
                    rest = "";
                }
            },
            _ => match rest[1..].find('*') {
                Some(end) => {
                    out.push(Run::Em { text: fill(&rest[1..=end]) });
                    rest = &rest[end + 2..];
                }
                None => {
                    push_text(&mut out, Cow::Borrowed(rest));
                    rest = "";
                }
            },
        }
    }
    out
}

/// Text as one run (none for empty text).
fn text<'a>(s: impl Into<Cow<'a, str>>) -> Runs<'a> {
    let s = s.into();
    if s.is_empty() { Vec::new() } else { vec![Run::Text { text: s }] }
}

/// The text of runs, placeholders included (for tests and plain exports).
pub fn plain(runs: &[Run]) -> String {
    runs.iter()
        .map(|r| match r {
            Run::Text { text } | Run::Em { text } | Run::Placeholder { text } => text.as_ref(),
            Run::Break => "\n",
        })
        .collect()
}

/// The UI string `proposal.<key>`, or the key itself when the theme has
/// none. Looked up without allocating the key (a letter asks for about
/// fifty).
fn proposal_string<'s>(strings: &'s crate::i18n::Strings, key: &str) -> Result<&'s str, String> {
    const PREFIX: &[u8] = b"proposal.";
    let mut buf = [0u8; 96];
    let n = PREFIX.len() + key.len();
    if n <= buf.len() {
        buf[..PREFIX.len()].copy_from_slice(PREFIX);
        buf[PREFIX.len()..n].copy_from_slice(key.as_bytes());
        if let Ok(full) = std::str::from_utf8(&buf[..n]) {
            return strings.lookup(full).ok_or_else(|| full.to_string());
        }
    }
    let full = format!("proposal.{key}");
    strings.lookup(&full).ok_or(full)
}

/// Builds drafts for the firms of one language edition; what it makes
/// borrows from the edition (`'a`), not from the writer.
struct Writer<'c, 'a> {
    cx: &'c ViewContext<'a>,
}

impl<'a> Writer<'_, 'a> {
    fn r(&self, key: &str, args: &[(&str, &str)]) -> Runs<'a> {
        let strings: &'a crate::i18n::Strings = self.cx.strings;
        match proposal_string(strings, key) {
            Ok(template) => runs(template, args),
            Err(key) => text(key),
        }
    }

    fn para(&self, key: &str, args: &[(&str, &str)]) -> Block<'a> {
        Block::Paragraph { runs: self.r(key, args), align: None, reason: None }
    }

    fn heading(&self, key: &str, args: &[(&str, &str)]) -> Block<'a> {
        Block::Heading { level: 2, runs: self.r(key, args) }
    }

    fn name(&self, f: &'a Firm) -> &'a str {
        f.name.get(self.cx.lang).0
    }

    /// "Kelurahan Leuwigajah, Kecamatan Cimahi Selatan, Kota Cimahi".
    fn place(&self, f: &Firm) -> String {
        match &f.subdistrict {
            Some(k) => self.cx.strings.fill("proposal.place", &[("kelurahan", k), ("kecamatan", f.district.name())]),
            None => self.cx.strings.fill("proposal.place_district", &[("kecamatan", f.district.name())]),
        }
    }

    /// "industri kecil di bidang makanan dan minuman", "bank".
    fn party(&self, f: &Firm) -> String {
        match (f.scale, f.sector) {
            (Some(scale), Some(sector)) => self.cx.strings.fill(
                "proposal.party_industry",
                &[
                    ("scale", &lower_first(&label(self.cx.strings, "scale", scale.as_str()))),
                    ("sector", &lower_first(&label(self.cx.strings, "sector", sector.as_str()))),
                ],
            ),
            _ => self
                .cx
                .strings
                .lookup(&format!("proposal.party_kind.{}", f.kind.as_str()))
                .map(str::to_string)
                .unwrap_or_else(|| lower_first(&label(self.cx.strings, "kind", f.kind.as_str()))),
        }
    }

    /// "industri kecil", "bank": a side of a PP 29/2018 linkage.
    fn side(&self, slug: &str) -> String {
        let s = self.cx.strings;
        lower_first(s.lookup(&format!("scale.{slug}")).or_else(|| s.lookup(&format!("kind.{slug}"))).unwrap_or(slug))
    }

    fn contact_runs(&self, f: &'a Firm) -> Runs<'a> {
        let c = &f.contact;
        let ui = |k: &str| self.cx.strings.get(&format!("ui.{k}"));
        let mut out = Vec::new();
        for (kind, value) in
            [("phone", &c.phone), ("whatsapp", &c.whatsapp), ("email", &c.email), ("website", &c.website)]
        {
            if let Some(v) = value {
                if !out.is_empty() {
                    out.push(Run::Break);
                }
                out.push(Run::Text { text: format!("{}: {v}", ui(kind)).into() });
            }
        }
        if out.is_empty() {
            out = self.r("none", &[]);
        }
        out
    }

    fn letterhead(&self, f: &'a Firm) -> Block<'a> {
        let mut lines = Vec::new();
        let place = self.place(f);
        lines.push(match &f.address {
            Some(a) => format!("{a} · {place}"),
            None => place,
        });
        let c = &f.contact;
        let ui = |k: &str| self.cx.strings.get(&format!("ui.{k}"));
        let contact: Vec<String> =
            [("phone", &c.phone), ("whatsapp", &c.whatsapp), ("email", &c.email), ("website", &c.website)]
                .iter()
                .filter_map(|(k, v)| v.as_ref().map(|v| format!("{}: {v}", ui(k))))
                .collect();
        if !contact.is_empty() {
            lines.push(contact.join(" · "));
        }
        Block::Letterhead { name: self.name(f).into(), lines }
    }

    fn parties(&self, a: &'a Firm, b: &'a Firm) -> Block<'a> {
        let none = self.r("none", &[]);
        let cell = |s: Option<Cow<'a, str>>| s.map_or_else(|| none.clone(), text);
        let row = |key: &str, f: &dyn Fn(&'a Firm) -> Runs<'a>| vec![self.r(key, &[]), f(a), f(b)];
        let owned = |s: String| Some(Cow::Owned(s));
        let rows = vec![
            row("row_name", &|f| text(self.name(f))),
            row("row_kind", &|f| text(label(self.cx.strings, "kind", f.kind.as_str()))),
            row("row_scale", &|f| cell(f.scale.and_then(|s| owned(label(self.cx.strings, "scale", s.as_str()))))),
            row("row_sector", &|f| cell(f.sector.and_then(|s| owned(label(self.cx.strings, "sector", s.as_str()))))),
            row("row_address", &|f| cell(f.address.as_deref().map(Cow::Borrowed))),
            row("row_place", &|f| text(self.place(f))),
            row("row_founded", &|f| cell(f.founded.and_then(|y| owned(y.to_string())))),
            row("row_employees", &|f| {
                cell(
                    f.employees
                        .and_then(|n| owned(self.cx.strings.fill("ui.employees_value", &[("count", &n.to_string())]))),
                )
            }),
            row("row_contact", &|f| self.contact_runs(f)),
        ];
        Block::Table { head: vec![Vec::new(), self.r("party_first", &[]), self.r("party_second", &[])], rows }
    }

    /// Products of `f` with a material that `tag` meets (and that is a
    /// need of `f`, not its own offer): the products a supply is for.
    /// The names of `f`'s products whose materials make its need `tag`
    /// (`needs` is `partners::needs` of `f`).
    fn products_for(&self, f: &'a Firm, needs: &[String], tag: &str) -> Vec<&'a str> {
        let v = &self.cx.site.vocabulary;
        f.products
            .iter()
            .filter(|p| !p.draft)
            .filter(|p| p.materials.iter().any(|m| needs.contains(m) && v.meets(tag, m)))
            .map(|p| p.name.get(self.cx.lang).0.as_str())
            .collect()
    }

    fn tag_items(&self, tags: &[String], fi: usize, key: &str) -> Vec<Runs<'a>> {
        let site: &'a crate::model::Site = self.cx.site;
        let needer = &*site.firms[fi];
        let partner = self.name(needer);
        let needs = self.cx.needs.get(self.cx.site, fi);
        tags.iter()
            .map(|t| {
                let tag = self.cx.site.vocabulary.label(t, self.cx.lang);
                let products = self.products_for(needer, &needs, t);
                if products.is_empty() {
                    text(tag)
                } else {
                    self.r(key, &[("tag", &tag), ("products", &self.cx.strings.join(&products)), ("partner", partner)])
                }
            })
            .collect()
    }

    /// The next business meeting (from the build day) at which both firms
    /// take part, soonest first, and their meeting there if one is
    /// scheduled.
    fn next_event(&self, fi: usize, pi: usize) -> Option<(usize, Option<&crate::meetings::Meeting>)> {
        let site = self.cx.site;
        let tables = &self.cx.derived.timetables;
        (0..site.events.len().min(tables.len()))
            .filter(|&e| site.events[e].date >= site.today)
            .filter(|&e| tables[e].participant(fi).is_some() && tables[e].participant(pi).is_some())
            .min_by_key(|&e| (site.events[e].date, e))
            .map(|e| (e, tables[e].agenda(fi).find(|m| m.partner(fi) == pi)))
    }

    fn draft(&self, fi: usize, s: &Suggestion) -> Draft<'a> {
        let site: &'a crate::model::Site = self.cx.site;
        let (me, them) = (&*site.firms[fi], &*site.firms[s.partner]);
        let (my_name, their_name) = (self.name(me), self.name(them));
        let mut b = vec![
            self.letterhead(me),
            Block::Paragraph { runs: self.r("place_date", &[]), align: Some("right"), reason: None },
            Block::Paragraph {
                runs: [
                    self.r("number", &[]),
                    vec![Run::Break],
                    self.r("attachment", &[]),
                    vec![Run::Break],
                    self.r("subject", &[]),
                ]
                .concat(),
                align: None,
                reason: None,
            },
        ];
        let mut to = self.r("to", &[("name", their_name)]);
        to.push(Run::Break);
        if let Some(a) = &them.address {
            to.extend(text(a.as_str()));
            to.push(Run::Break);
        }
        to.extend(text(self.place(them)));
        b.push(Block::Paragraph { runs: to, align: None, reason: None });
        b.push(Block::Heading { level: 1, runs: self.r("heading", &[("partner", their_name), ("name", my_name)]) });
        b.push(self.para("salutation", &[]));
        b.push(self.para(
            "opening",
            &[
                ("name", my_name),
                ("party", &self.party(me)),
                ("place", &self.place(me)),
                ("partner", their_name),
                ("site", &site.config.title),
            ],
        ));

        // 1. The parties.
        b.push(self.heading("parties_title", &[]));
        b.push(self.parties(me, them));
        for r in &s.reasons {
            if let Reason::Nearby { level, place } = r {
                b.push(Block::Paragraph {
                    runs: self.r(&format!("nearby_{level}"), &[("place", place)]),
                    align: None,
                    reason: Some("nearby"),
                });
            }
        }

        // 2. The legal basis, and the linkage when the pair is one.
        b.push(self.heading("basis_title", &[]));
        b.push(self.para("basis", &[]));
        for r in &s.reasons {
            if let Reason::ScaleLinkage { from, to } = r {
                b.push(Block::Paragraph {
                    runs: self.r("linkage", &[("from", &self.side(from)), ("to", &self.side(to))]),
                    align: None,
                    reason: Some("scale_linkage"),
                });
            }
        }

        // 3. What each side brings the other: the supply-chain reasons.
        b.push(self.heading("benefits_title", &[]));
        for r in &s.reasons {
            match r {
                Reason::Buys { tags } => {
                    b.push(Block::Paragraph {
                        runs: self.r("buys", &[("partner", their_name)]),
                        align: None,
                        reason: Some("buys"),
                    });
                    b.push(Block::List {
                        ordered: false,
                        items: self.tag_items(tags, s.partner, "for_your_products"),
                        reason: Some("buys"),
                    });
                }
                Reason::Supplies { tags } => {
                    b.push(Block::Paragraph {
                        runs: self.r("supplies", &[("partner", their_name)]),
                        align: None,
                        reason: Some("supplies"),
                    });
                    b.push(Block::List {
                        ordered: false,
                        items: self.tag_items(tags, fi, "for_our_products"),
                        reason: Some("supplies"),
                    });
                }
                _ => {}
            }
        }
        if s.reasons.iter().any(|r| matches!(r, Reason::Supplies { .. }))
            && s.reasons.iter().any(|r| matches!(r, Reason::Buys { .. }))
        {
            b.push(self.para("mutual", &[]));
        }

        // 4. Cooperation modes.
        b.push(self.heading("modes_title", &[]));
        let mode_items = |modes: &mut dyn Iterator<Item = &str>| -> Vec<Runs<'a>> {
            modes.map(|m| text(label(self.cx.strings, "cooperation", m))).collect()
        };
        match s.reasons.iter().find_map(|r| match r {
            Reason::Cooperation { modes } => Some(modes),
            _ => None,
        }) {
            Some(modes) => {
                b.push(Block::Paragraph {
                    runs: self.r("modes_shared", &[]),
                    align: None,
                    reason: Some("cooperation"),
                });
                b.push(Block::List {
                    ordered: false,
                    items: mode_items(&mut modes.iter().map(String::as_str)),
                    reason: Some("cooperation"),
                });
            }
            None if !me.cooperation.is_empty() => {
                b.push(self.para("modes_ours", &[]));
                b.push(Block::List {
                    ordered: false,
                    items: mode_items(&mut me.cooperation.iter().map(|c| c.as_str())),
                    reason: None,
                });
            }
            None => b.push(self.para("modes_none", &[])),
        }

        // 5. What an agreement would settle.
        b.push(self.heading("agreement_title", &[]));
        b.push(self.para("agreement_intro", &[]));
        b.push(Block::List {
            ordered: true,
            items: [
                "agreement_scope",
                "agreement_quantity",
                "agreement_price",
                "agreement_duration",
                "agreement_confidential",
                "agreement_dispute",
            ]
            .iter()
            .map(|k| self.r(k, &[]))
            .collect(),
            reason: None,
        });

        // 6. Next steps.
        b.push(self.heading("next_title", &[]));
        let mut next = Vec::new();
        match self.next_event(fi, s.partner) {
            Some((e, meeting)) => {
                let ev = &site.events[e];
                let args = [
                    ("event", ev.name.get(self.cx.lang).0.as_str()),
                    ("date", &self.cx.strings.date(ev.date)),
                    ("venue", &ev.venue),
                ];
                match meeting {
                    Some(m) => {
                        let slot = self.cx.derived.timetables[e].slots[m.slot];
                        let (start, end, table) = (slot.start.hhmm(), slot.end.hhmm(), m.table.to_string());
                        let mut args = args.to_vec();
                        args.extend([("start", start.as_str()), ("end", end.as_str()), ("table", table.as_str())]);
                        next.extend(self.r("next_scheduled", &args));
                    }
                    None => next.extend(self.r("next_event", &args)),
                }
            }
            None => next.extend(self.r("next_no_event", &[])),
        }
        b.push(Block::Paragraph { runs: next, align: None, reason: None });
        let c = &me.contact;
        let contact: Vec<String> = [&c.phone, &c.whatsapp, &c.email].iter().filter_map(|v| (*v).clone()).collect();
        if contact.is_empty() {
            b.push(self.para("next_contact_missing", &[]));
        } else {
            b.push(self.para("next_contact", &[("contact", &self.cx.strings.join(&contact))]));
        }
        b.push(self.para("closing", &[]));
        b.push(Block::Signatures {
            blocks: vec![
                Signature {
                    caption: self.r("sign_sender", &[]),
                    party: my_name.into(),
                    name: self.r("sign_name", &[]),
                    position: self.r("sign_position", &[]),
                },
                Signature {
                    caption: self.r("sign_partner", &[]),
                    party: their_name.into(),
                    name: self.r("sign_name", &[]),
                    position: self.r("sign_position", &[]),
                },
            ],
        });
        let reasons = s
            .reasons
            .iter()
            .map(|r| match r {
                Reason::Supplies { .. } => "supplies",
                Reason::Buys { .. } => "buys",
                Reason::ScaleLinkage { .. } => "scale_linkage",
                Reason::Cooperation { .. } => "cooperation",
                Reason::Nearby { .. } => "nearby",
            })
            .collect();
        Draft { slug: s.slug.clone(), partner: s.partner, partner_name: their_name.to_string(), reasons, blocks: b }
    }
}

/// The letter of a draft as HTML (the inside of its `<section>` on the
/// proposal page), escaped as the templates escape (`tera::escape_html`).
/// Written here rather than by the theme walking the blocks: a catalogue of
/// 10,000 firms has 80,000 letters of about fifty blocks each, and the
/// template interpreter spent about a millisecond on each letter
/// (docs/performance.md, section 9). `placeholder` is the title of a
/// placeholder's `<mark>` (what to do with it).
pub fn html(d: &Draft<'_>, placeholder: &str) -> String {
    let mut h = Html { out: Vec::with_capacity(8 * 1024), placeholder };
    for b in &d.blocks {
        h.block(b);
    }
    String::from_utf8(h.out).unwrap_or_default()
}

struct Html<'a> {
    out: Vec<u8>,
    placeholder: &'a str,
}

impl Html<'_> {
    fn raw(&mut self, s: &str) {
        self.out.extend_from_slice(s.as_bytes());
    }

    fn text(&mut self, s: &str) {
        // Writing into memory cannot fail.
        let _ = tera::escape_html(s, &mut self.out);
    }

    fn runs(&mut self, runs: &[Run]) {
        for r in runs {
            match r {
                Run::Text { text } => self.text(text),
                Run::Em { text } => {
                    self.raw("<em>");
                    self.text(text);
                    self.raw("</em>");
                }
                Run::Placeholder { text } => {
                    self.raw("<mark class=\"isian\" title=\"");
                    let title = self.placeholder;
                    self.text(title);
                    self.raw("\">");
                    self.text(text);
                    self.raw("</mark>");
                }
                Run::Break => self.raw("<br>"),
            }
        }
    }

    /// `<tag attrs>runs</tag>` with an optional `data-reason`.
    fn element(&mut self, tag: &str, class: Option<&str>, reason: Option<&str>, runs: &[Run]) {
        self.raw("<");
        self.raw(tag);
        if let Some(c) = class {
            self.raw(" class=\"");
            self.raw(c);
            self.raw("\"");
        }
        if let Some(r) = reason {
            self.raw(" data-reason=\"");
            self.raw(r);
            self.raw("\"");
        }
        self.raw(">");
        self.runs(runs);
        self.raw("</");
        self.raw(tag);
        self.raw(">\n");
    }

    fn block(&mut self, b: &Block) {
        match b {
            Block::Letterhead { name, lines } => {
                self.raw("<div class=\"letterhead\">\n<p class=\"letterhead-name\">");
                self.text(name);
                self.raw("</p>\n");
                for l in lines {
                    self.raw("<p class=\"letterhead-line\">");
                    self.text(l);
                    self.raw("</p>\n");
                }
                self.raw("</div>\n");
            }
            Block::Heading { level: 1, runs } => self.element("h2", Some("letter-title"), None, runs),
            Block::Heading { runs, .. } => self.element("h3", None, None, runs),
            Block::Paragraph { runs, align, reason } => {
                self.element("p", align.filter(|a| *a == "right"), *reason, runs);
            }
            Block::List { ordered, items, reason } => {
                let tag = if *ordered { "ol" } else { "ul" };
                self.raw("<");
                self.raw(tag);
                if let Some(r) = reason {
                    self.raw(" data-reason=\"");
                    self.raw(r);
                    self.raw("\"");
                }
                self.raw(">\n");
                for item in items {
                    self.element("li", None, None, item);
                }
                self.raw("</");
                self.raw(tag);
                self.raw(">\n");
            }
            Block::Table { head, rows } => {
                self.raw("<table class=\"parties\">\n<thead><tr>");
                for (i, c) in head.iter().enumerate() {
                    if i == 0 {
                        self.raw("<td></td>");
                    } else {
                        self.raw("<th scope=\"col\">");
                        self.runs(c);
                        self.raw("</th>");
                    }
                }
                self.raw("</tr></thead>\n<tbody>\n");
                for row in rows {
                    self.raw("<tr>");
                    for (i, c) in row.iter().enumerate() {
                        self.raw(if i == 0 { "<th scope=\"row\">" } else { "<td>" });
                        self.runs(c);
                        self.raw(if i == 0 { "</th>" } else { "</td>" });
                    }
                    self.raw("</tr>\n");
                }
                self.raw("</tbody>\n</table>\n");
            }
            Block::Signatures { blocks } => {
                self.raw("<div class=\"signatures\">\n");
                for s in blocks {
                    self.raw("<div class=\"signature\">\n<p>");
                    self.runs(&s.caption);
                    self.raw("<br><strong>");
                    self.text(&s.party);
                    self.raw("</strong></p>\n<p class=\"sign-space\"></p>\n<p>");
                    self.runs(&s.name);
                    self.raw("<br>");
                    self.runs(&s.position);
                    self.raw("</p>\n</div>\n");
                }
                self.raw("</div>\n");
            }
        }
    }
}

/// One draft per suggested partner of firm `fi`, in the order of the
/// suggestions.
pub fn drafts<'a>(cx: &ViewContext<'a>, fi: usize) -> Vec<Draft<'a>> {
    let w = Writer { cx };
    cx.derived.partners.get(fi).map(|list| list.iter().map(|s| w.draft(fi, s)).collect()).unwrap_or_default()
}

/// The QR code of `url` as an inline SVG (one path; a quiet zone of four
/// modules; error correction level M, which survives a smudged print).
/// `None` when the URL is too long for a QR code.
pub fn qr_svg(url: &str) -> Option<String> {
    let (width, colors) = qr_modules(url)?;
    let quiet = 4;
    let size = width + 2 * quiet;
    let mut d = String::with_capacity(width * width);
    for y in 0..width {
        let row = &colors[y * width..(y + 1) * width];
        let mut x = 0;
        while x < width {
            if row[x] {
                let start = x;
                while x < width && row[x] {
                    x += 1;
                }
                // `M{x} {y}h{len}v1h-{len}z`, without the formatter.
                let len = x - start;
                d.push('M');
                push_number(&mut d, start + quiet);
                d.push(' ');
                push_number(&mut d, y + quiet);
                d.push('h');
                push_number(&mut d, len);
                d.push_str("v1h-");
                push_number(&mut d, len);
                d.push('z');
            } else {
                x += 1;
            }
        }
    }
    Some(format!(
        "<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" aria-hidden=\"true\" focusable=\"false\" shape-rendering=\"crispEdges\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{d}\"/></svg>"
    ))
}

/// Appends `n` in decimal.
pub(crate) fn push_number(out: &mut String, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend(digits[i..].iter().map(|&b| char::from(b)));
}

/// The modules of the QR code of `data` (row by row, `true` dark) and its
/// width: what `qrcode::QrCode::with_error_correction_level(data, M)` makes,
/// module for module, with the mask chosen as that crate chooses it (the
/// lowest penalty of ISO/IEC 18004's four rules, as the crate scores them;
/// the first of the lowest) but scored here on plain bits: the crate's
/// scoring allocates for every position it looks at, which made a QR code
/// cost a millisecond, a tenth of a cold build's time (docs/performance.md,
/// section 9). `qr_matches_the_crate` checks the two agree.
fn qr_modules(data: &str) -> Option<(usize, Vec<bool>)> {
    let ec = qrcode::EcLevel::M;
    let bits = qrcode::bits::encode_auto(data.as_bytes(), ec).ok()?;
    let version = bits.version();
    let (data, ecc) = qrcode::ec::construct_codewords(&bits.into_bytes(), version, ec).ok()?;
    let width = usize::try_from(version.width()).ok()?;
    if width > 128 {
        return qr_modules_by_canvas(version, &data, &ecc);
    }
    let (_, masks) = qr_masked(version, &data, &ecc)?;
    let (rows, _) = masks
        .iter()
        .map(|(rows, columns)| (rows, qr_penalty_lines(rows, columns, width)))
        .min_by_key(|&(_, score)| score)?;
    let dark = rows.iter().flat_map(|&r| (0..width).map(move |x| r >> x & 1 == 1)).collect();
    Some((width, dark))
}

/// The eight mask patterns in the order `qrcode` tries them.
const QR_MASKS: [qrcode::canvas::MaskPattern; 8] = {
    use qrcode::canvas::MaskPattern as M;
    [
        M::Checkerboard,
        M::HorizontalLines,
        M::VerticalLines,
        M::DiagonalLines,
        M::LargeCheckerboard,
        M::Fields,
        M::Diamonds,
        M::Meadow,
    ]
};

/// Rows and columns of a code up to 128 modules wide as words (bit `x` of
/// row `y` the module at `x`, `y`; 1 dark).
type QrLines = (Vec<u128>, Vec<u128>);

/// The code's canvas before its data, and each mask applied to it: what
/// every code of one version shares, made once per version and process.
struct QrVersion {
    version: qrcode::Version,
    functional: qrcode::canvas::Canvas,
    /// For each of [`QR_MASKS`]: the canvas without data, masked (the mask
    /// where data goes, the function patterns and that mask's format
    /// information elsewhere).
    masked: [QrLines; 8],
}

/// [`QrVersion`] of `version`, from a cache (a catalogue's URLs take two
/// or three versions).
fn qr_version(version: qrcode::Version) -> Option<std::sync::Arc<QrVersion>> {
    static CACHE: std::sync::Mutex<Vec<std::sync::Arc<QrVersion>>> = std::sync::Mutex::new(Vec::new());
    if let Ok(cache) = CACHE.lock()
        && let Some(v) = cache.iter().find(|v| v.version == version)
    {
        return Some(v.clone());
    }
    let mut functional = qrcode::canvas::Canvas::new(version, qrcode::EcLevel::M);
    functional.draw_all_functional_patterns();
    let masked = QR_MASKS.map(|p| {
        let mut c = functional.clone();
        c.apply_mask(p);
        qr_lines(&c, version)
    });
    let v = std::sync::Arc::new(QrVersion { version, functional, masked });
    if let Ok(mut cache) = CACHE.lock() {
        cache.push(v.clone());
    }
    Some(v)
}

/// The dark modules of `canvas` as [`QrLines`].
fn qr_lines(canvas: &qrcode::canvas::Canvas, version: qrcode::Version) -> QrLines {
    let w = version.width();
    let mut rows = vec![0u128; w as usize];
    let mut columns = vec![0u128; w as usize];
    for y in 0..w {
        for x in 0..w {
            if qrcode::Color::from(canvas.get(x, y)) == qrcode::Color::Dark {
                rows[y as usize] |= 1 << x;
                columns[x as usize] |= 1 << y;
            }
        }
    }
    (rows, columns)
}

/// The code's lines under each of the eight masks, and its width. A
/// masked data module is its colour flipped where the mask is dark, which
/// is the masked canvas without data with the data's dark modules flipped:
/// two words per line and mask instead of a canvas cloned and masked eight
/// times.
fn qr_masked(version: qrcode::Version, data: &[u8], ecc: &[u8]) -> Option<(usize, [QrLines; 8])> {
    let v = qr_version(version)?;
    let mut canvas = v.functional.clone();
    canvas.draw_data(data, ecc);
    let w = usize::try_from(version.width()).ok()?;
    // The data's dark modules: the modules `draw_data` made dark.
    let mut data_rows = vec![0u128; w];
    let mut data_columns = vec![0u128; w];
    for y in 0..version.width() {
        for x in 0..version.width() {
            if matches!(canvas.get(x, y), qrcode::canvas::Module::Unmasked(qrcode::Color::Dark)) {
                data_rows[y as usize] |= 1 << x;
                data_columns[x as usize] |= 1 << y;
            }
        }
    }
    let flip = |lines: &[u128], data: &[u128]| lines.iter().zip(data).map(|(l, d)| l ^ d).collect::<Vec<_>>();
    let masks = v.masked.each_ref().map(|(rows, columns)| (flip(rows, &data_rows), flip(columns, &data_columns)));
    Some((w, masks))
}

/// [`qr_modules`] through `qrcode`'s own canvas, for codes wider than 128
/// modules: each mask applied to a copy and scored module by module.
fn qr_modules_by_canvas(version: qrcode::Version, data: &[u8], ecc: &[u8]) -> Option<(usize, Vec<bool>)> {
    let mut canvas = qrcode::canvas::Canvas::new(version, qrcode::EcLevel::M);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(data, ecc);
    let width = usize::try_from(version.width()).ok()?;
    QR_MASKS
        .iter()
        .map(|&p| {
            let mut c = canvas.clone();
            c.apply_mask(p);
            let dark: Vec<bool> = c.into_colors().into_iter().map(|m| m == qrcode::Color::Dark).collect();
            (qr_penalty(&dark, width), dark)
        })
        .min_by_key(|(score, _)| *score)
        .map(|(_, dark)| (width, dark))
}

/// The penalty of a masked QR code as `qrcode` 0.14 scores it (without its
/// constant offsets, which are the same for every mask): runs of five or
/// more modules of one colour, 2×2 blocks of one colour, finder-like
/// `#.###.#` patterns without four light modules on one side, and the
/// distance of the dark share from one half.
///
/// Each row and column is one 128-bit word (a code up to version 27,
/// which any URL a catalogue has fits in), and each rule a few word
/// operations per line; wider codes are scored module by module
/// ([`qr_penalty_by_module`], which the tests compare this with).
fn qr_penalty(dark: &[bool], w: usize) -> u32 {
    if w == 0 || w > 128 || dark.len() != w * w {
        return qr_penalty_by_module(dark, w);
    }
    let mut rows = vec![0u128; w];
    let mut columns = vec![0u128; w];
    for (y, row) in dark.chunks_exact(w).enumerate() {
        for (x, &d) in row.iter().enumerate() {
            let d = u128::from(d);
            rows[y] |= d << x;
            columns[x] |= d << y;
        }
    }
    qr_penalty_lines(&rows, &columns, w)
}

/// [`qr_penalty`] of a code `w` ≤ 128 modules wide given as its rows and
/// columns (bit `k` the `k`-th module, 1 dark).
fn qr_penalty_lines(rows: &[u128], columns: &[u128], w: usize) -> u32 {
    let all = if w >= 128 { u128::MAX } else { (1u128 << w) - 1 };
    let mut score = 0u32;
    for &line in rows.iter().chain(columns) {
        score += line_penalty_bits(line, all);
    }
    // Blocks (rule 2): bit x says modules x and x + 1 of two rows are all
    // of one colour.
    let pairs = all >> 1;
    for (&a, &b) in rows.iter().zip(rows.iter().skip(1)) {
        let same = !(a ^ (a >> 1)) & !(a ^ b) & !(a ^ (b >> 1)) & pairs;
        score += 3 * same.count_ones();
    }
    // Balance (rule 4).
    let dark_count: usize = rows.iter().map(|r| r.count_ones() as usize).sum();
    let ratio = dark_count * 200 / (w * w).max(1);
    score + ratio.abs_diff(100) as u32
}

/// Rules 1 and 3 of [`qr_penalty`] on one line of modules as bits (bit `k`
/// the `k`-th module, 1 dark; `all` the line's bits).
fn line_penalty_bits(line: u128, all: u128) -> u32 {
    let mut score = 0;
    // Runs (rule 1): bit k of `five` says modules k..k+5 are of one colour;
    // a run of n ≥ 5 sets n − 4 consecutive bits and scores n − 2.
    for x in [line, !line & all] {
        let five = x & (x >> 1) & (x >> 2) & (x >> 3) & (x >> 4);
        score += five.count_ones() + 2 * (five & !(five << 1)).count_ones();
    }
    // Finder-like patterns (rule 3): `#.###.#` from bit j, scored unless
    // both the four modules before it and the four after it hold a dark one
    // (modules beyond the line are light).
    let light = !line & all;
    let finder = line & (light >> 1) & (line >> 2) & (line >> 3) & (line >> 4) & (light >> 5) & (line >> 6);
    let before = (line << 1) | (line << 2) | (line << 3) | (line << 4);
    let after = (line >> 7) | (line >> 8) | (line >> 9) | (line >> 10);
    score + 40 * (finder & !(before & after)).count_ones()
}

/// [`qr_penalty`] module by module.
fn qr_penalty_by_module(dark: &[bool], w: usize) -> u32 {
    if w == 0 || dark.len() != w * w {
        return 0;
    }
    // Modules as 0 and 1, rows then the columns as rows, so that both
    // directions read contiguous lines; the loops below add without
    // branching on the modules (a masked code is noise to a branch
    // predictor).
    let rows: Vec<u8> = dark.iter().map(|&d| u8::from(d)).collect();
    let mut columns = vec![0u8; w * w];
    for (y, row) in rows.chunks_exact(w).enumerate() {
        for (x, &d) in row.iter().enumerate() {
            columns[x * w + y] = d;
        }
    }
    let mut score = 0u32;
    for line in rows.chunks_exact(w).chain(columns.chunks_exact(w)) {
        score += line_penalty(line);
    }
    // Blocks (rule 2).
    for (upper, lower) in rows.chunks_exact(w).zip(rows.chunks_exact(w).skip(1)) {
        for x in 0..w - 1 {
            let c = upper[x];
            let differ = (upper[x + 1] ^ c) | (lower[x] ^ c) | (lower[x + 1] ^ c);
            score += 3 * u32::from(differ == 0);
        }
    }
    // Balance (rule 4).
    let dark_count: usize = rows.iter().map(|&d| usize::from(d)).sum();
    let ratio = dark_count * 200 / rows.len();
    score + ratio.abs_diff(100) as u32
}

/// Rules 1 and 3 of [`qr_penalty`] on one row or column (modules 0 or 1).
fn line_penalty(line: &[u8]) -> u32 {
    let w = line.len();
    let mut score = 0u32;
    // Runs (rule 1): a run of five or more scores its length less two.
    let run_score = |run: u32| if run >= 5 { run - 2 } else { 0 };
    let mut run = 1u32;
    for k in 1..w {
        let same = u32::from(line[k] == line[k - 1]);
        score += (1 - same) * run_score(run);
        run = run * same + 1;
    }
    score += run_score(run);
    // Finder-like patterns (rule 3): `#.###.#` read as seven bits.
    const PATTERN: u8 = 0b101_1101;
    let mut bits = 0u8;
    for (k, &d) in line.iter().enumerate() {
        bits = ((bits << 1) | d) & 0x7f;
        if k < 6 || bits != PATTERN {
            continue;
        }
        let j = k - 6;
        let dark_in = |from: usize, to: usize| line[from..to.min(w)].contains(&1);
        if !dark_in(j.saturating_sub(4), j) || !dark_in(j + 7, j + 11) {
            score += 40;
        }
    }
    score
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A letter's HTML holds no URL whatever its text, so the link check
    /// can skip it (`Renderer::render_page` splices letters in after
    /// reading a page's links): hostile text stays text.
    #[test]
    fn letters_hold_no_link() {
        let hostile = "<a href=\"/x/\">a</a> <img src=\"/y.png\"> javascript:alert(1) https://z.example/ [<a href=/p>]";
        let runs = |t: &'static str| {
            vec![
                Run::Text { text: t.into() },
                Run::Em { text: t.into() },
                Run::Placeholder { text: t.into() },
                Run::Break,
            ]
        };
        let blocks = vec![
            Block::Letterhead { name: hostile.into(), lines: vec![hostile.into()] },
            Block::Heading { level: 1, runs: runs(hostile) },
            Block::Heading { level: 2, runs: runs(hostile) },
            Block::Paragraph { runs: runs(hostile), align: Some("right"), reason: Some("buys") },
            Block::List { ordered: false, items: vec![runs(hostile)], reason: None },
            Block::Table { head: vec![runs(hostile), runs(hostile)], rows: vec![vec![runs(hostile), runs(hostile)]] },
            Block::Signatures {
                blocks: vec![Signature {
                    caption: runs(hostile),
                    party: hostile.into(),
                    name: runs(hostile),
                    position: runs(hostile),
                }],
            },
        ];
        let d = Draft { slug: "s".into(), partner: 0, partner_name: hostile.into(), reasons: vec![], blocks };
        let out = html(&d, hostile);
        assert_eq!(crate::links::extract(&out), Vec::<String>::new(), "{out}");
        assert!(out.contains("&lt;a href=") && !out.contains("<a "), "{out}");
    }

    /// The penalty read from words equals the one counted module by
    /// module, on random codes of every width the words hold, and on
    /// codes made of long runs, blocks and finder-like patterns.
    #[test]
    fn qr_penalty_by_words_is_by_module() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for case in 0..600 {
            let w = 1 + (next() % 128) as usize;
            // Dense noise, sparse noise and long runs.
            let density = [2u64, 3, 8, 1000][case % 4];
            let mut dark: Vec<bool> = (0..w * w).map(|_| next() % density == 0).collect();
            if case % 5 == 0 {
                for (i, d) in dark.iter_mut().enumerate() {
                    *d = (i / 7) % 3 == 0 || [0, 2, 3, 4, 6].contains(&(i % 11));
                }
            }
            assert_eq!(qr_penalty(&dark, w), qr_penalty_by_module(&dark, w), "width {w}, case {case}");
        }
        let w = 129;
        let dark: Vec<bool> = (0..w * w).map(|i| i % 3 == 0).collect();
        assert_eq!(qr_penalty(&dark, w), qr_penalty_by_module(&dark, w));
    }

    /// The QR code is the one `qrcode` itself makes (the same mask), for
    /// URLs of every length a catalogue has.
    #[test]
    fn qr_matches_the_crate() {
        let mut urls: Vec<String> = (0..120)
            .map(|n| {
                format!("https://ikm.cimahikota.example/usaha/{}/", "usaha-contoh-".repeat(n % 12) + &n.to_string())
            })
            .collect();
        urls.push("https://x.example/katalog/en/usaha/a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p-q/".into());
        urls.push("http://a.b/".into());
        // Wider than 128 modules (version 28 and up): scored module by module.
        urls.push(format!("https://x.example/usaha/{}/", "a".repeat(1800)));
        assert!(qr_modules(urls.last().unwrap()).is_some_and(|(w, _)| w > 128));
        for url in &urls {
            let code = qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M).unwrap();
            let theirs: Vec<bool> = code.to_colors().into_iter().map(|c| c == qrcode::Color::Dark).collect();
            assert_eq!(qr_modules(url), Some((code.width(), theirs)), "{url}");
        }
    }

    /// Each mask, as [`qr_masked`] applies it on bits, is what `qrcode`
    /// makes by masking a copy of the canvas, module for module (so every
    /// mask is checked, not only those that win).
    #[test]
    fn every_mask_on_bits_is_the_crates() {
        for n in [0, 3, 7, 11, 40, 90] {
            let url =
                format!("https://ikm.cimahikota.example/usaha/{}/", "usaha-contoh-".repeat(n % 12) + &"x".repeat(n));
            let ec = qrcode::EcLevel::M;
            let bits = qrcode::bits::encode_auto(url.as_bytes(), ec).unwrap();
            let version = bits.version();
            let (data, ecc) = qrcode::ec::construct_codewords(&bits.into_bytes(), version, ec).unwrap();
            let (w, masks) = qr_masked(version, &data, &ecc).unwrap();
            let mut canvas = qrcode::canvas::Canvas::new(version, ec);
            canvas.draw_all_functional_patterns();
            canvas.draw_data(&data, &ecc);
            for (p, (rows, columns)) in QR_MASKS.iter().zip(&masks) {
                let mut c = canvas.clone();
                c.apply_mask(*p);
                let theirs = c.into_colors();
                for y in 0..w {
                    for x in 0..w {
                        let dark = theirs[y * w + x] == qrcode::Color::Dark;
                        assert_eq!(rows[y] >> x & 1 == 1, dark, "{url}, mask {p:?}, row {y}, module {x}");
                        assert_eq!(columns[x] >> y & 1 == 1, dark, "{url}, mask {p:?}, column {x}, module {y}");
                    }
                }
            }
        }
    }

    #[test]
    fn runs_from_templates() {
        let r = runs("Cimahi, [tanggal]\nKepada {name} *saling* {missing}", &[("name", "A [b] *c*")]);
        assert_eq!(
            r,
            vec![
                Run::Text { text: "Cimahi, ".into() },
                Run::Placeholder { text: "[tanggal]".into() },
                Run::Break,
                Run::Text { text: "Kepada A [b] *c* ".into() },
                Run::Em { text: "saling".into() },
                Run::Text { text: " {missing}".into() },
            ]
        );
        assert_eq!(runs("no [end", &[]), vec![Run::Text { text: "no [end".into() }]);
        assert_eq!(plain(&runs("a [b] *c*", &[])), "a [b] c");
    }

    /// Reads the SVG's path back into modules and decodes them with an
    /// independent reader.
    pub(crate) fn decode_svg(svg: &str) -> String {
        let size: usize =
            svg.split("viewBox=\"0 0 ").nth(1).and_then(|s| s.split(' ').next()).unwrap().parse().unwrap();
        let d = svg.split(" d=\"").nth(1).unwrap().split('"').next().unwrap();
        let scale = 4;
        let mut dark = vec![false; size * size];
        for cmd in d.split('M').filter(|c| !c.is_empty()) {
            let (xy, rest) = cmd.split_once('h').unwrap();
            let (x, y) = xy.split_once(' ').unwrap();
            let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
            let w: usize = rest.split('v').next().unwrap().parse().unwrap();
            for i in x..x + w {
                dark[y * size + i] = true;
            }
        }
        let px = size * scale;
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(px, px, |x, y| {
            if dark[(y / scale) * size + x / scale] { 0 } else { 255 }
        });
        let grids = img.detect_grids();
        assert_eq!(grids.len(), 1, "one QR code");
        grids[0].decode().unwrap().1
    }

    #[test]
    fn qr_decodes_to_the_url() {
        for url in [
            "https://ikm.cimahikota.example/usaha/rasi-cireundeu/",
            "https://x.example/katalog/en/usaha/a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p-q/",
        ] {
            let svg = qr_svg(url).unwrap();
            assert_eq!(decode_svg(&svg), url);
            assert!(!svg.contains("<?xml"));
        }
    }
}
