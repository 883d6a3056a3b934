//! From the rows of a sheet to firms: each row's cells read into a
//! [`Record`] (every problem reported at its cell), rows of one firm merged,
//! then what a profile needs and the row lacks derived or reported.

use std::collections::BTreeMap;

use crate::model::{Certification, District, Kind, Market, Scale, Sector};

use super::mapping::{Field, Plan};
use super::normalise::{self, Match, squash};
use super::read::{Cell, Row, Table};
use super::{Pos, Problem};

/// A value read from a cell, where it came from, and why it is a guess.
#[derive(Debug, Clone, PartialEq)]
pub struct Val<T> {
    /// The value.
    pub v: T,
    /// The cell (for a value derived from others, the first of them).
    pub at: Pos,
    /// Why the value is a guess (written as a `# guessed:` comment).
    pub guess: Option<String>,
}

impl<T> Val<T> {
    fn sure(v: T, at: Pos) -> Self {
        Val { v, at, guess: None }
    }
    fn guessed(v: T, at: Pos, why: impl Into<String>) -> Self {
        Val { v, at, guess: Some(why.into()) }
    }
}

/// One product a row lists.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductRec {
    /// Name as the sheet gives it (title case if it was in capitals).
    pub name: String,
    /// Its cell.
    pub at: Pos,
    /// `category`.
    pub category: Option<Val<String>>,
    /// `price` in rupiah.
    pub price: Option<u64>,
    /// `unit`.
    pub unit: Option<String>,
    /// `capacity`.
    pub capacity: Option<String>,
}

/// One firm as the sheet describes it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    /// Rows (absolute, 0-based) that describe it; the first is its own.
    pub rows: Vec<u32>,
    /// `name`.
    pub name: Option<Val<String>>,
    /// `kind` (`None`: ikm).
    pub kind: Option<Val<Kind>>,
    /// `sector`.
    pub sector: Option<Val<Sector>>,
    /// `scale`.
    pub scale: Option<Val<Scale>>,
    /// `district`.
    pub district: Option<Val<District>>,
    /// `subdistrict` and the kecamatan it lies in.
    pub subdistrict: Option<Val<(&'static str, District)>>,
    /// `summary`.
    pub summary: Option<Val<String>>,
    /// `address`.
    pub address: Option<Val<String>>,
    /// `founded`.
    pub founded: Option<Val<i32>>,
    /// `employees`.
    pub employees: Option<Val<u64>>,
    /// `contact.phone`.
    pub phone: Option<Val<String>>,
    /// `contact.whatsapp`.
    pub whatsapp: Option<Val<String>>,
    /// `contact.email`.
    pub email: Option<Val<String>>,
    /// `contact.website`.
    pub website: Option<Val<String>>,
    /// `contact.instagram`.
    pub instagram: Option<Val<String>>,
    /// `certifications`, in the order found.
    pub certifications: Vec<Certification>,
    /// `markets`, in the order found.
    pub markets: Vec<Market>,
    /// Investment in rupiah.
    pub investment: Option<Val<u64>>,
    /// Yearly turnover in rupiah.
    pub turnover: Option<Val<u64>>,
    /// Products.
    pub products: Vec<ProductRec>,
    /// A cell of this firm had an error: it is not written.
    pub failed: bool,
}

/// What reading the rows found, before slugs are given.
#[derive(Debug, Default)]
pub struct Read {
    /// Firms, in the order of their first row.
    pub firms: Vec<Record>,
    /// Problems, in the order found.
    pub problems: Vec<Problem>,
    /// Rows merged into an earlier row's firm.
    pub merged: usize,
    /// Rows not imported because they name no business (each reported).
    pub unnamed: usize,
}

/// Loose spellings read as a known name, reported once per spelling.
#[derive(Default)]
struct Loose {
    seen: BTreeMap<(String, String), (Pos, String, usize)>,
    order: Vec<(String, String)>,
}

impl Loose {
    fn note(&mut self, what: &str, raw: &str, read_as: &str, at: Pos) {
        let key = (what.to_string(), raw.to_string());
        match self.seen.get_mut(&key) {
            Some(e) => e.2 += 1,
            None => {
                self.seen.insert(key.clone(), (at, read_as.to_string(), 1));
                self.order.push(key);
            }
        }
    }

    fn report(self, problems: &mut Vec<Problem>) {
        for key in self.order {
            if let Some((at, read_as, n)) = self.seen.get(&key) {
                let more = match n {
                    1 => String::new(),
                    2 => " (and in 1 more row)".to_string(),
                    _ => format!(" (and in {} more rows)", n - 1),
                };
                problems.push(Problem::warning(*at, format!("{} \"{}\" read as \"{read_as}\"{more}", key.0, key.1)));
            }
        }
    }
}

struct Ctx<'a> {
    plan: &'a Plan,
    this_year: i32,
    problems: Vec<Problem>,
    loose: Loose,
}

impl Ctx<'_> {
    fn warn(&mut self, at: Pos, msg: impl Into<String>) {
        self.problems.push(Problem::warning(at, msg));
    }
    fn error(&mut self, at: Pos, msg: impl Into<String>, rec: &mut Record) {
        rec.failed = true;
        self.problems.push(Problem::error(at, msg));
    }
}

/// Fields that describe the firm itself (not its products): a row that
/// has none of them but lists products continues the firm above it.
fn is_firm_field(f: Field) -> bool {
    !matches!(
        f,
        Field::Product
            | Field::ProductCategory
            | Field::ProductPrice
            | Field::ProductUnit
            | Field::ProductCapacity
            | Field::Ignore
    )
}

/// Reads every data row of `table` (those below the header row).
pub fn read_rows(table: &Table, plan: &Plan, this_year: i32) -> Read {
    let mut ctx = Ctx { plan, this_year, problems: Vec::new(), loose: Loose::default() };
    let mut firms: Vec<Record> = Vec::new();
    // Firm index by (name key, address key).
    let mut by_key: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut by_name: BTreeMap<String, usize> = BTreeMap::new();
    let mut merged = 0;
    let mut unnamed = 0;
    let name_col = plan.columns_for(Field::Name).next().map(|c| c.col).unwrap_or(0);
    // The row before and the firm it went into (for merged name cells).
    let mut prev: Option<(u32, usize)> = None;
    for row in table.rows.iter().filter(|r| r.index > plan.header_row) {
        let mut rec = read_row(&mut ctx, row);
        let name_at = Pos { row: row.index, col: name_col };
        let last = prev.take();
        if row.is_filled(name_col) {
            // The name cell is part of a merged cell that starts above: the
            // row continues the firm of the row above (its products, a
            // second phone…); values that differ are reported by `merge`.
            match last.filter(|(r, _)| r + 1 == row.index) {
                Some((_, i)) => {
                    let first_row = firms[i].rows.first().copied().unwrap_or(row.index) + 1;
                    merge(&mut ctx, &mut firms[i], rec, first_row);
                    merged += 1;
                    prev = Some((row.index, i));
                }
                None => {
                    unnamed += 1;
                    ctx.error(
                        name_at,
                        "not imported: the business name is merged with the row above, which is not imported",
                        &mut rec,
                    );
                }
            }
            continue;
        }
        if rec.name.is_none() {
            let has_firm_cells = plan
                .columns
                .iter()
                .filter(|c| c.shadowed_by.is_none() && c.field.is_some_and(|f| is_firm_field(f) && f != Field::Name))
                .any(|c| !row.get(c.col).is_blank() && !row.is_filled(c.col));
            let name_blank = row.get(name_col).is_blank() || row.is_filled(name_col);
            match firms.last_mut() {
                // The name cell itself had an error (already reported).
                _ if rec.failed && !name_blank => unnamed += 1,
                Some(above) if !has_firm_cells && !rec.products.is_empty() => {
                    // A product row under its firm (the name cell merged or left empty).
                    above.rows.push(row.index);
                    add_products(above, rec.products);
                    merged += 1;
                    prev = Some((row.index, firms.len() - 1));
                }
                _ => {
                    unnamed += 1;
                    let first = firms.last().and_then(|f| f.rows.first()).map(|r| r + 1);
                    let msg = match first {
                        Some(_) if !rec.products.is_empty() => {
                            "no business name; a row that only lists products belongs to the firm above it, but this one also has other cells".to_string()
                        }
                        _ => "no business name: the row is not imported".to_string(),
                    };
                    ctx.error(name_at, msg, &mut rec);
                }
            }
            continue;
        }
        let name = rec.name.as_ref().map(|n| n.v.clone()).unwrap_or_default();
        let key = (
            normalise::name_key(&name),
            rec.address.as_ref().map(|a| normalise::address_key(&a.v)).unwrap_or_default(),
        );
        if let Some(&i) = by_key.get(&key) {
            let first_row = firms[i].rows.first().copied().unwrap_or(row.index) + 1;
            let only_products = merge(&mut ctx, &mut firms[i], rec, first_row);
            if !only_products {
                ctx.warn(name_at, format!("same name and address as row {first_row}: merged into one firm"));
            }
            merged += 1;
            prev = Some((row.index, i));
            continue;
        }
        if let Some(&i) = by_name.get(&key.0) {
            let first_row = firms[i].rows.first().copied().unwrap_or(row.index) + 1;
            ctx.warn(name_at, format!("same name as row {first_row} but another address: imported as a separate firm"));
        } else {
            by_name.insert(key.0.clone(), firms.len());
        }
        by_key.insert(key, firms.len());
        prev = Some((row.index, firms.len()));
        firms.push(rec);
    }
    // Cells that already have an error (so "no kecamatan" is not said
    // after "not a kecamatan").
    let errors: std::collections::HashSet<Pos> = ctx
        .problems
        .iter()
        .filter(|p| p.severity == crate::diagnostics::Severity::Error)
        .filter_map(|p| p.at())
        .collect();
    for rec in &mut firms {
        finish(&mut ctx, rec, &errors);
    }
    let mut problems = std::mem::take(&mut ctx.problems);
    std::mem::take(&mut ctx.loose).report(&mut problems);
    Read { firms, problems, merged, unnamed }
}

fn add_products(rec: &mut Record, products: Vec<ProductRec>) {
    if products.is_empty() {
        return;
    }
    // A set, not a scan: one cell may list thousands of products.
    let mut have: std::collections::HashSet<String> =
        rec.products.iter().map(|q| normalise::slug_words(&q.name)).collect();
    for p in products {
        if have.insert(normalise::slug_words(&p.name)) {
            rec.products.push(p);
        }
    }
}

/// Merges a later row of the same firm into `into`. Returns whether the
/// row only added products (nothing else new, nothing different).
fn merge(ctx: &mut Ctx<'_>, into: &mut Record, rec: Record, first_row: u32) -> bool {
    let mut quiet = true;
    into.rows.extend(rec.rows.iter().copied());
    into.failed |= rec.failed;
    macro_rules! field {
        ($f:ident, $show:expr) => {
            match (&into.$f, rec.$f) {
                (_, None) => {}
                (None, Some(v)) => {
                    into.$f = Some(v);
                    quiet = false;
                }
                (Some(a), Some(b)) => {
                    if a.v != b.v {
                        let show = $show;
                        ctx.warn(
                            b.at,
                            format!(
                                "`{}` differs from row {first_row} (`{}`); row {first_row}'s value is kept",
                                show(&b.v),
                                show(&a.v)
                            ),
                        );
                        quiet = false;
                    }
                }
            }
        };
    }
    field!(kind, |k: &Kind| k.as_str().to_string());
    field!(sector, |s: &Sector| s.as_str().to_string());
    field!(scale, |s: &Scale| s.as_str().to_string());
    field!(district, |d: &District| d.name().to_string());
    field!(subdistrict, |s: &(&str, District)| s.0.to_string());
    field!(summary, |s: &String| s.clone());
    field!(address, |s: &String| s.clone());
    field!(founded, |y: &i32| y.to_string());
    field!(employees, |n: &u64| n.to_string());
    field!(phone, |s: &String| s.clone());
    field!(whatsapp, |s: &String| s.clone());
    field!(email, |s: &String| s.clone());
    field!(website, |s: &String| s.clone());
    field!(instagram, |s: &String| s.clone());
    field!(investment, |n: &u64| n.to_string());
    field!(turnover, |n: &u64| n.to_string());
    for c in rec.certifications {
        if !into.certifications.contains(&c) {
            into.certifications.push(c);
            quiet = false;
        }
    }
    for m in rec.markets {
        if !into.markets.contains(&m) {
            into.markets.push(m);
            quiet = false;
        }
    }
    let had = into.products.len();
    add_products(into, rec.products);
    quiet && into.products.len() > had
}

fn read_row(ctx: &mut Ctx<'_>, row: &Row) -> Record {
    let plan = ctx.plan;
    let mut rec = Record { rows: vec![row.index], ..Record::default() };
    let at = |col: u32| Pos { row: row.index, col };
    let mut employees: Option<(u64, Pos)> = None;
    let mut employees_bad = false;
    let mut monthly: Option<Val<u64>> = None;
    let mut product_cols: Vec<(u32, &Cell)> = Vec::new();
    let mut extra: Vec<(Field, u32, &Cell)> = Vec::new();
    for c in plan.columns.iter().filter(|c| c.shadowed_by.is_none()) {
        let Some(field) = c.field else { continue };
        let cell = row.get(c.col);
        if cell.is_blank() {
            continue;
        }
        let pos = at(c.col);
        if let Cell::Error(e) = cell {
            // A formula that failed (#N/A, #REF!): its text is no value.
            let msg = format!("the cell holds the formula error `{e}`; read as empty");
            if field == Field::Name {
                ctx.error(pos, format!("{msg}: the row is not imported"), &mut rec);
            } else if field != Field::Ignore {
                ctx.warn(pos, msg);
            }
            continue;
        }
        let Some(text) = cell.text() else { continue };
        match field {
            Field::Ignore => {}
            Field::Name => {
                let name = normalise::title_case(&text);
                if normalise::slugify(&name).is_empty() {
                    ctx.error(
                        pos,
                        format!("cannot make a folder name from `{text}`: it has no Latin letters or digits"),
                        &mut rec,
                    );
                } else {
                    rec.name = Some(Val::sure(name, pos));
                }
            }
            Field::Kind => {
                let v = plan.mapped(field, &text).map(str::to_string).or_else(|| kind_word(&text));
                match v.and_then(|v| Kind::parse(&v)) {
                    Some(k) => rec.kind = Some(Val::sure(k, pos)),
                    None => ctx
                        .warn(pos, format!("kind `{text}` not understood; ikm assumed (allowed: {})", Kind::allowed())),
                }
            }
            Field::Sector => {
                if let Some(s) = plan.mapped(field, &text).and_then(Sector::parse) {
                    rec.sector = Some(Val::sure(s, pos));
                } else if let Some(s) = normalise::sector(&text) {
                    rec.sector = Some(Val::sure(s, pos));
                } else if let Some(s) = normalise::sector_near(&text) {
                    ctx.loose.note("sector", &text, s.as_str(), pos);
                    rec.sector = Some(Val::guessed(s, pos, format!("the sheet says \"{text}\"")));
                } else {
                    ctx.error(
                        pos,
                        format!(
                            "sector \"{text}\" not understood (allowed: {}); map it in MAP.yaml under `values: sector:`",
                            Sector::allowed()
                        ),
                        &mut rec,
                    );
                }
            }
            Field::Scale => {
                if let Some(s) = plan.mapped(field, &text).and_then(Scale::parse) {
                    rec.scale = Some(Val::sure(s, pos));
                } else if let Some((s, why)) = normalise::scale(&text) {
                    rec.scale = Some(Val { v: s, at: pos, guess: why });
                } else {
                    ctx.warn(pos, format!("scale \"{text}\" not understood (allowed: {}); the scale is worked out from the other columns", Scale::allowed()));
                }
            }
            Field::District => {
                if let Some(d) = plan.mapped(field, &text).and_then(District::from_name) {
                    rec.district = Some(Val::sure(d, pos));
                    continue;
                }
                match normalise::kecamatan(&text) {
                    Match::Exact(d) => rec.district = Some(Val::sure(d, pos)),
                    Match::Near(d) => {
                        ctx.loose.note("kecamatan", &text, d.name(), pos);
                        rec.district = Some(Val::guessed(d, pos, format!("the sheet says \"{text}\"")));
                    }
                    Match::None => ctx.error(
                        pos,
                        format!(
                            "\"{text}\" is not a kecamatan of Kota Cimahi (kecamatan: {})",
                            District::allowed_names()
                        ),
                        &mut rec,
                    ),
                }
            }
            Field::Subdistrict => {
                if let Some(k) = plan.mapped(field, &text)
                    && let Some(d) = District::ALL.iter().find(|d| d.subdistricts().contains(&k))
                {
                    let k = d.subdistricts().iter().find(|x| **x == k).copied().unwrap_or("");
                    rec.subdistrict = Some(Val::sure((k, *d), pos));
                    continue;
                }
                match normalise::kelurahan(&text) {
                    Match::Exact(k) => rec.subdistrict = Some(Val::sure(k, pos)),
                    Match::Near(k) => {
                        ctx.loose.note("kelurahan", &text, k.0, pos);
                        rec.subdistrict = Some(Val::guessed(k, pos, format!("the sheet says \"{text}\"")));
                    }
                    Match::None => ctx.warn(pos, format!("\"{text}\" is not a kelurahan of Kota Cimahi; left out")),
                }
            }
            Field::Summary => {
                let max = crate::validate::SUMMARY_MAX;
                let n = text.chars().count();
                if n > max {
                    ctx.warn(pos, format!("summary is {n} characters long; cut to {max}"));
                    rec.summary =
                        Some(Val::guessed(normalise::clip(&text, max), pos, format!("cut from {n} characters")));
                } else {
                    rec.summary = Some(Val::sure(text, pos));
                }
            }
            Field::Address => rec.address = Some(Val::sure(normalise::title_case(&text), pos)),
            Field::Founded => {
                // A number that is no year may be a date's day number, and
                // a date early in 1905 the year typed into a date cell.
                let number = match cell {
                    Cell::Int(n) => Some(*n),
                    Cell::Float(f) if f.fract() == 0.0 && f.abs() < 1e7 => Some(*f as i64),
                    Cell::Text(t) => t.trim().parse::<i64>().ok(),
                    _ => None,
                };
                let serial = match cell {
                    Cell::Date(y, m, d) if *y < 1910 => {
                        normalise::year_from_serial(normalise::excel_serial(*y, *m, *d), true, ctx.this_year)
                    }
                    _ => number.and_then(|n| normalise::year_from_serial(n, false, ctx.this_year)),
                };
                if let Some((y, why)) = serial {
                    ctx.warn(pos, format!("{why}: founding year read as {y}"));
                    rec.founded = Some(Val::guessed(y, pos, why));
                    continue;
                }
                let y = match cell {
                    Cell::Date(y, ..) => Ok(*y),
                    _ if number.is_some() => {
                        number.and_then(|n| i32::try_from(n).ok()).ok_or_else(|| format!("`{text}` is not a year"))
                    }
                    Cell::Float(f) if f.fract() == 0.0 && f.abs() < 1e6 => Ok(*f as i32),
                    _ => normalise::year(&text),
                };
                match y {
                    Ok(y) if (1900..=ctx.this_year).contains(&y) => rec.founded = Some(Val::sure(y, pos)),
                    Ok(y) => {
                        ctx.warn(pos, format!("founding year {y} is not between 1900 and {}; left out", ctx.this_year))
                    }
                    Err(why) => ctx.warn(pos, format!("{why}; founding year left out")),
                }
            }
            Field::Employees => {
                let n = match cell {
                    Cell::Int(n) if *n >= 0 => Ok(*n as u64),
                    Cell::Float(f) if *f >= 0.0 && f.fract() == 0.0 && *f < 1e9 => Ok(*f as u64),
                    _ => normalise::count(&text),
                };
                match n {
                    Ok(n) if n <= 10_000_000 => {
                        let (sum, first) = employees.unwrap_or((0, pos));
                        employees = Some((sum.saturating_add(n), first));
                    }
                    Ok(n) => {
                        employees_bad = true;
                        ctx.warn(pos, format!("{n} workers is not plausible; workforce left out"));
                    }
                    Err(why) => {
                        employees_bad = true;
                        ctx.warn(pos, format!("{why}; workforce left out"));
                    }
                }
            }
            Field::Contact | Field::Phone | Field::Whatsapp => read_phones(ctx, &mut rec, field, &text, pos),
            Field::Email => {
                let parts: Vec<&str> = text.split([',', ';', '/', ' ']).filter(|p| !p.is_empty()).collect();
                match parts.first() {
                    Some(e) if crate::validate::is_email(e) => {
                        if parts.len() > 1 {
                            ctx.warn(pos, format!("several e-mail addresses; only `{e}` is kept"));
                        }
                        if rec.email.is_none() {
                            rec.email = Some(Val::sure(e.to_string(), pos));
                        }
                    }
                    _ => ctx.warn(pos, format!("`{text}` is not an e-mail address; left out")),
                }
            }
            Field::Website => match normalise::website(&text) {
                Ok((url, guessed)) => {
                    rec.website =
                        Some(if guessed { Val::guessed(url, pos, "https:// added") } else { Val::sure(url, pos) })
                }
                Err(why) => ctx.warn(pos, format!("{why}; left out")),
            },
            Field::Instagram => match normalise::instagram(&text) {
                Ok(h) => rec.instagram = Some(Val::sure(h, pos)),
                Err(why) => ctx.warn(pos, format!("{why}; left out")),
            },
            Field::Certifications => {
                let (found, unknown) = normalise::certification_list(&text);
                let mut found = found;
                for u in unknown {
                    match plan.mapped(field, &u).and_then(Certification::parse) {
                        Some(c) => found.push(c),
                        None => ctx.warn(
                            pos,
                            format!(
                                "certification \"{u}\" not understood (known: {}); left out",
                                Certification::allowed()
                            ),
                        ),
                    }
                }
                for c in found {
                    if !rec.certifications.contains(&c) {
                        rec.certifications.push(c);
                    }
                }
            }
            Field::Cert(c) => match normalise::yes_no(&text) {
                Some(true) => {
                    if !rec.certifications.contains(&c) {
                        rec.certifications.push(c);
                    }
                }
                Some(false) => {}
                None => {
                    ctx.warn(pos, format!("\"{text}\" in a {} column: not yes, no or a number; read as no", c.as_str()))
                }
            },
            Field::Markets => {
                let (found, unknown) = normalise::market_list(&text);
                let mut found = found;
                for u in unknown {
                    match plan.mapped(field, &u).and_then(Market::parse) {
                        Some(m) => found.push(m),
                        None => ctx.warn(
                            pos,
                            format!("market \"{u}\" not understood (known: {}); left out", Market::allowed()),
                        ),
                    }
                }
                for m in found {
                    if !rec.markets.contains(&m) {
                        rec.markets.push(m);
                    }
                }
            }
            Field::Investment | Field::Turnover | Field::TurnoverMonthly => {
                let amount = match cell {
                    Cell::Int(n) if *n >= 0 => Ok(*n as u64),
                    Cell::Float(f) if *f >= 0.0 && *f < 1e17 => Ok(f.round() as u64),
                    _ => normalise::rupiah(&text),
                };
                match (amount, field) {
                    (Ok(a), Field::Investment) => rec.investment = Some(Val::sure(a, pos)),
                    (Ok(a), Field::Turnover) => rec.turnover = Some(Val::sure(a, pos)),
                    (Ok(a), _) => monthly = Some(Val::sure(a, pos)),
                    (Err(why), _) => ctx.warn(pos, format!("{why}; left out")),
                }
            }
            Field::Product => product_cols.push((c.col, cell)),
            Field::ProductCategory | Field::ProductPrice | Field::ProductUnit | Field::ProductCapacity => {
                extra.push((field, c.col, cell))
            }
        }
    }
    if let Some((n, first)) = employees.filter(|_| !employees_bad) {
        rec.employees = Some(Val::sure(n, first));
    }
    if rec.turnover.is_none()
        && let Some(m) = monthly
    {
        rec.turnover = Some(Val { v: m.v.saturating_mul(12), at: m.at, guess: None });
    }
    for (col, cell) in product_cols {
        for line in cell.lines() {
            for name in normalise::split_list(&line) {
                let name = normalise::title_case(&name);
                if normalise::slug_words(&name).is_empty() {
                    ctx.warn(at(col), format!("cannot make a file name from product `{name}`; left out"));
                    continue;
                }
                rec.products.push(ProductRec {
                    name,
                    at: at(col),
                    category: None,
                    price: None,
                    unit: None,
                    capacity: None,
                });
            }
        }
    }
    let products = std::mem::take(&mut rec.products);
    add_products(&mut rec, products);
    read_product_details(ctx, &mut rec, &extra);
    rec
}

/// The highest price SPEC 4's validator accepts (Rp 1 trillion).
const MAX_PRICE: u64 = 1_000_000_000_000;

fn read_product_details(ctx: &mut Ctx<'_>, rec: &mut Record, extra: &[(Field, u32, &Cell)]) {
    let plan = ctx.plan;
    for (field, col, cell) in extra {
        let pos = Pos { row: rec.rows[0], col: *col };
        let Some(text) = cell.text() else { continue };
        if rec.products.is_empty() {
            ctx.warn(pos, format!("{} given but the row lists no product; left out", field.key()));
            continue;
        }
        let one = rec.products.len() == 1;
        match field {
            Field::ProductCategory => {
                let slug =
                    plan.mapped(*field, &text).map(str::to_string).unwrap_or_else(|| normalise::slug_words(&text));
                if slug.is_empty() {
                    ctx.warn(pos, format!("cannot make a category from `{text}`; left out"));
                    continue;
                }
                let guess = (plan.mapped(*field, &text).is_none() && slug != text)
                    .then(|| format!("the sheet says \"{text}\""));
                for p in &mut rec.products {
                    p.category = Some(Val { v: slug.clone(), at: pos, guess: guess.clone() });
                }
            }
            _ if !one => {
                ctx.warn(
                    pos,
                    format!("{} given for {} products in one row; left out", field.key(), rec.products.len()),
                );
            }
            Field::ProductPrice => {
                let amount = match cell {
                    Cell::Int(n) if *n >= 0 => Ok(*n as u64),
                    Cell::Float(f) if *f >= 0.0 && *f < 1e15 => Ok(f.round() as u64),
                    _ => normalise::rupiah(&text),
                };
                match amount {
                    Ok(a) if a <= MAX_PRICE => rec.products[0].price = Some(a),
                    Ok(a) => ctx.warn(pos, format!("a price of Rp {a} is not plausible; price left out")),
                    Err(why) => ctx.warn(pos, format!("{why}; price left out")),
                }
            }
            Field::ProductUnit => rec.products[0].unit = Some(text),
            _ => rec.products[0].capacity = Some(text),
        }
    }
}

/// Sorts the numbers of a phone cell: for a generic contact column,
/// the first mobile number becomes `whatsapp` and the first other number
/// `phone`; a column mapped to one of them gives that one.
fn read_phones(ctx: &mut Ctx<'_>, rec: &mut Record, field: Field, text: &str, pos: Pos) {
    let mut dropped = Vec::new();
    for part in normalise::split_phones(text) {
        match normalise::phone(&part) {
            Ok(p) => {
                let slot = match field {
                    Field::Phone => &mut rec.phone,
                    Field::Whatsapp => &mut rec.whatsapp,
                    _ if p.mobile => &mut rec.whatsapp,
                    _ => &mut rec.phone,
                };
                if slot.is_none() {
                    *slot = Some(Val { v: p.number, at: pos, guess: p.guess });
                } else {
                    dropped.push(part);
                }
            }
            Err(why) => ctx.warn(pos, format!("{why}; left out")),
        }
    }
    // The same number twice is no second number.
    let kept: Vec<&str> = [&rec.phone, &rec.whatsapp].into_iter().flatten().map(|v| v.v.as_str()).collect();
    let mut seen = std::collections::BTreeSet::new();
    dropped.retain(|d| {
        let n = normalise::phone(d).map(|p| p.number).unwrap_or_default();
        !kept.contains(&n.as_str()) && seen.insert(n)
    });
    if !dropped.is_empty() {
        let shown: Vec<String> = dropped.iter().take(3).map(|d| format!("`{d}`")).collect();
        let more = match dropped.len() {
            n if n > 3 => format!(" and {} more", n - 3),
            _ => String::new(),
        };
        ctx.warn(pos, format!("only one mobile and one other number are kept; left out: {}{more}", shown.join(", ")));
    }
}

fn kind_word(raw: &str) -> Option<String> {
    let k = squash(raw);
    let kind = match k.as_str() {
        "ikm" | "umkm" | "ukm" | "ik" | "industrikecil" | "industrimenengah" | "industrikecilmenengah" => Kind::Ikm,
        "industri" | "industribesar" | "industry" => Kind::Industry,
        "bank" | "perbankan" | "lembagakeuangan" | "koperasisimpanpinjam" => Kind::Bank,
        "perguruantinggi" | "universitas" | "kampus" | "politeknik" | "akademisi" | "academia" => Kind::Academia,
        "asosiasi" | "association" | "paguyuban" | "komunitas" => Kind::Association,
        "pemerintah" | "dinas" | "government" | "instansi" => Kind::Government,
        "ritel" | "retail" | "toko" | "swalayan" => Kind::Retail,
        _ => return Kind::parse(&raw.trim().to_lowercase()).map(|k| k.as_str().to_string()),
    };
    Some(kind.as_str().to_string())
}

/// Fills in what a profile needs from the firm's other values, applies
/// MAP.yaml's defaults, and reports what is missing.
fn finish(ctx: &mut Ctx<'_>, rec: &mut Record, errors: &std::collections::HashSet<Pos>) {
    let plan = ctx.plan;
    let row = rec.rows[0];
    let name_col = plan.columns_for(Field::Name).next().map(|c| c.col).unwrap_or(0);
    let name_at = Pos { row, col: name_col };
    let cell_of = |f: Field| plan.columns_for(f).next().map(|c| Pos { row, col: c.col }).unwrap_or(name_at);
    let default = |f: Field| plan.map.defaults.get(&f).cloned();

    if rec.kind.is_none()
        && let Some(k) = default(Field::Kind).and_then(|k| Kind::parse(&k))
    {
        rec.kind = Some(Val::sure(k, name_at));
    }
    // The kecamatan a kelurahan lies in.
    match (&rec.district, &rec.subdistrict) {
        (None, Some(s)) => {
            let (k, d) = s.v;
            ctx.warn(cell_of(Field::District), format!("no kecamatan: {} (from kelurahan {k})", d.name()));
            rec.district = Some(Val::guessed(d, s.at, format!("from kelurahan {k}")));
        }
        (Some(d), Some(s)) if d.v != s.v.1 => {
            let msg = format!("kelurahan {} lies in {}, not in {}", s.v.0, s.v.1.name(), d.v.name());
            let at = s.at;
            ctx.error(at, msg, rec);
        }
        _ => {}
    }
    if rec.district.is_none()
        && let Some(d) = default(Field::District).and_then(|d| District::from_name(&d))
    {
        rec.district = Some(Val::sure(d, name_at));
    }
    if rec.district.is_none() && !rec.failed_at_column(ctx.plan, errors, Field::District) {
        let at = cell_of(Field::District);
        ctx.error(at, "no kecamatan", rec);
    }
    let kind = rec.kind.as_ref().map_or(Kind::Ikm, |k| k.v);
    if !kind.is_industry() {
        rec.sector = None;
        rec.scale = None;
    } else {
        if rec.sector.is_none()
            && let Some(s) = default(Field::Sector).and_then(|s| Sector::parse(&s))
        {
            rec.sector = Some(Val::sure(s, name_at));
        }
        if rec.sector.is_none() && !rec.failed_at_column(ctx.plan, errors, Field::Sector) {
            let at = cell_of(Field::Sector);
            ctx.error(at, format!("no sector (allowed: {})", Sector::allowed()), rec);
        }
        if rec.scale.is_none() {
            rec.scale = derive_scale(rec, plan.map.defaults.get(&Field::Scale).and_then(|s| Scale::parse(s)), name_at);
        }
        if rec.scale.as_ref().is_some_and(|s| s.v == Scale::Besar) && kind == Kind::Ikm {
            if rec.kind.is_some() {
                let at = rec.scale.as_ref().map_or(name_at, |s| s.at);
                ctx.error(at, "an IKM cannot be besar: a large firm is kind industry", rec);
            } else {
                rec.kind = Some(Val::guessed(Kind::Industry, name_at, "scale besar: a large firm is kind industry"));
            }
        }
    }
    if rec.summary.is_none() {
        rec.summary = Some(made_summary(rec, name_at));
    }
    let category = default(Field::ProductCategory);
    let sector = rec.sector.as_ref().map(|s| s.v.as_str().to_string());
    for p in &mut rec.products {
        if p.category.is_none() {
            p.category = match (&category, &sector) {
                (Some(c), _) => Some(Val::sure(c.clone(), p.at)),
                (None, Some(s)) => Some(Val::guessed(s.clone(), p.at, "no category in the sheet: the firm's sector")),
                (None, None) => Some(Val::guessed("lainnya".to_string(), p.at, "no category in the sheet")),
            };
        }
    }
    if rec.markets.is_empty()
        && let Some(m) = default(Field::Markets).and_then(|m| Market::parse(&m))
    {
        rec.markets.push(m);
    }
    if let Some(c) = default(Field::Certifications).and_then(|c| Certification::parse(&c))
        && !rec.certifications.contains(&c)
    {
        rec.certifications.push(c);
    }
}

impl Record {
    /// Whether an error was already reported at this firm's cell of `f`.
    fn failed_at_column(&self, plan: &Plan, errors: &std::collections::HashSet<Pos>, f: Field) -> bool {
        plan.columns_for(f).any(|c| self.rows.iter().any(|r| errors.contains(&Pos { row: *r, col: c.col })))
    }
}

fn rupiah_text(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    format!("Rp {out}")
}

/// The scale when no cell names it: from the workforce and investment
/// (Permenperin 64/2016), else from the turnover, else MAP.yaml's default,
/// else kecil. Always a guess.
fn derive_scale(rec: &Record, default: Option<Scale>, name_at: Pos) -> Option<Val<Scale>> {
    let workers = rec.employees.as_ref().map(|e| e.v);
    let investment = rec.investment.as_ref().map(|i| i.v);
    if investment.is_some() || (workers.is_some() && rec.turnover.is_none()) {
        let s = normalise::scale_by_size(workers, investment)?;
        let mut parts = Vec::new();
        if let Some(w) = workers {
            parts.push(format!("{w} workers"));
        }
        if let Some(i) = investment {
            parts.push(format!("investment {}", rupiah_text(i)));
        }
        let at = rec.investment.as_ref().or(rec.employees.as_ref()).map_or(name_at, |v| v.at);
        return Some(Val::guessed(s, at, format!("from {} (Permenperin 64/2016)", parts.join(" and "))));
    }
    if let Some(t) = &rec.turnover {
        let s = normalise::scale_by_turnover(t.v);
        return Some(Val::guessed(s, t.at, format!("from a yearly turnover of {} (PP 7/2021)", rupiah_text(t.v))));
    }
    if let Some(s) = default {
        return Some(Val::sure(s, name_at));
    }
    Some(Val::guessed(Scale::Kecil, name_at, "the register gives no scale, workforce, investment or turnover"))
}

/// A summary for a register that has none: the products ("Rasi, tepung
/// singkong dan keripik"), else the name and place. Always a guess.
fn made_summary(rec: &Record, at: Pos) -> Val<String> {
    let max = crate::validate::SUMMARY_MAX;
    let why = "the register has no summary; write one sentence about the firm";
    if !rec.products.is_empty() {
        let names: Vec<String> = rec.products.iter().map(|p| p.name.clone()).collect();
        // As many products as fit, with "dan lain-lain" when some do not.
        let fits = |n: usize| {
            let len = join_dan(&names[..n]).chars().count();
            let more = if n < names.len() { ", dan lain-lain".len() } else { 0 };
            len + more <= max
        };
        let used = (1..=names.len()).take_while(|n| fits(*n)).last().unwrap_or(0);
        let text = match used {
            0 => normalise::clip(&names[0], max),
            n if n == names.len() => join_dan(&names),
            n => format!("{}, dan lain-lain", names[..n].join(", ")),
        };
        return Val::guessed(upper_first(&text), at, why);
    }
    let place = match (&rec.subdistrict, &rec.district) {
        (Some(s), _) => format!("{}, {}", s.v.0, s.v.1.name()),
        (None, Some(d)) => d.v.name().to_string(),
        (None, None) => "Kota Cimahi".to_string(),
    };
    let name = rec.name.as_ref().map(|n| n.v.clone()).unwrap_or_default();
    Val::guessed(normalise::clip(&format!("{name} di {place}"), max), at, why)
}

fn join_dan(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} dan {last}", rest.join(", ")),
    }
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rupiah_is_grouped() {
        assert_eq!(rupiah_text(50_000_000), "Rp 50.000.000");
        assert_eq!(rupiah_text(999), "Rp 999");
    }

    #[test]
    fn summaries_fit() {
        let mut rec = Record::default();
        let at = Pos { row: 1, col: 0 };
        rec.products = (0..40)
            .map(|i| ProductRec {
                name: format!("Produk nomor {i}"),
                at,
                category: None,
                price: None,
                unit: None,
                capacity: None,
            })
            .collect();
        let s = made_summary(&rec, at);
        assert!(s.v.chars().count() <= crate::validate::SUMMARY_MAX, "{}", s.v);
        assert!(s.v.ends_with("dan lain-lain"), "{}", s.v);
        rec.products.truncate(2);
        assert_eq!(made_summary(&rec, at).v, "Produk nomor 0 dan Produk nomor 1");
    }
}
