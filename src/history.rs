//! Dates from git: the last commit that touched each content file.
//!
//! One `git log` over the whole history gives every file's last commit in a
//! single pass (newest commits come first, so the first time a path shows up
//! is its latest change). File modification times are never used: they
//! change on every checkout, and the output must be the same for two clones
//! of the same commit.
//!
//! No dates come from git when the site is not in a git work tree, when the
//! clone is shallow (its oldest commit would claim every file), or for files
//! with uncommitted changes.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::model::Date;

/// Last-commit dates of files, by path relative to the site root.
#[derive(Debug, Clone, Default)]
pub struct Dates {
    by_path: HashMap<String, Date>,
}

impl Dates {
    /// The date of one file.
    pub fn get(&self, path: &str) -> Option<Date> {
        self.by_path.get(path).copied()
    }

    /// The latest date among files whose path starts with `prefix`.
    pub fn latest_under(&self, prefix: &str) -> Option<Date> {
        self.by_path.iter().filter(|(p, _)| p.starts_with(prefix)).map(|(_, d)| *d).max()
    }

    /// Number of files with a date.
    pub fn len(&self) -> usize {
        self.by_path.len()
    }

    /// Whether no file has a date.
    pub fn is_empty(&self) -> bool {
        self.by_path.is_empty()
    }

    /// Groups dates by firm folder: `content/firms/<slug>/…` → slug → the
    /// latest date in the folder, and each product file's own date.
    pub fn for_firms(&self) -> FirmDates {
        let mut out = FirmDates::default();
        for (path, date) in &self.by_path {
            let Some(rest) = path.strip_prefix("content/firms/") else {
                continue;
            };
            let Some((firm, inner)) = rest.split_once('/') else {
                continue;
            };
            let e = out.firm.entry(firm.to_string()).or_insert(*date);
            *e = (*e).max(*date);
            if let Some(file) = inner.strip_prefix("products/") {
                // rasi.md and rasi.en.md both date the product rasi.
                if let Some(stem) = file.strip_suffix(".md") {
                    let slug = stem.split('.').next().unwrap_or(stem);
                    let e = out.product.entry((firm.to_string(), slug.to_string())).or_insert(*date);
                    *e = (*e).max(*date);
                }
            }
        }
        out
    }
}

/// Dates grouped for firms and products.
#[derive(Debug, Clone, Default)]
pub struct FirmDates {
    /// Latest change anywhere in the firm's folder.
    pub firm: HashMap<String, Date>,
    /// Latest change of each product's files, by (firm, product).
    pub product: HashMap<(String, String), Date>,
}

fn git(root: &Path, args: &[&str]) -> Option<Vec<u8>> {
    let out =
        Command::new("git").arg("-C").arg(root).args(args).stdin(Stdio::null()).stderr(Stdio::null()).output().ok()?;
    out.status.success().then_some(out.stdout)
}

/// Reads the dates of every file under `content/` from git, or nothing
/// when git cannot say honestly.
pub fn read(root: &Path) -> Dates {
    let mut dates = Dates::default();
    // The site may be a subfolder of the repository: paths from git are
    // relative to the top, so strip the site's prefix.
    let Some(prefix) = git(root, &["rev-parse", "--show-prefix"]) else {
        return dates;
    };
    let prefix = String::from_utf8_lossy(&prefix).trim().to_string();
    let shallow = git(root, &["rev-parse", "--is-shallow-repository"]).unwrap_or_default();
    if String::from_utf8_lossy(&shallow).trim() != "false" {
        return dates;
    }
    let Some(log) = git(
        root,
        &["-c", "core.quotepath=off", "log", "--format=%x00%ct", "--name-only", "--no-renames", "-z", "--", "content"],
    ) else {
        return dates;
    };
    parse_log(&log, &prefix, &mut dates);
    // Files with uncommitted changes have no honest commit date.
    if let Some(status) = git(root, &["status", "--porcelain", "-z", "--untracked-files=no", "--", "content"]) {
        for entry in status.split(|b| *b == 0) {
            if entry.len() > 3 {
                let path = String::from_utf8_lossy(&entry[3..]);
                let rel = path.strip_prefix(&prefix).unwrap_or(&path).to_string();
                dates.by_path.remove(&rel);
            }
        }
    }
    dates
}

/// Parses `git log --format=%x00%ct --name-only -z`: NUL-separated fields,
/// where a field of digits is a commit's timestamp and the others (after a
/// newline) are the paths it touched. Paths always start with `content/`,
/// so they are never mistaken for timestamps.
fn parse_log(log: &[u8], prefix: &str, dates: &mut Dates) {
    let mut current: Option<Date> = None;
    for field in log.split(|b| *b == 0) {
        let text = String::from_utf8_lossy(field);
        let text = text.trim_start_matches('\n');
        if text.is_empty() {
            continue;
        }
        if text.bytes().all(|b| b.is_ascii_digit()) {
            current = text.parse::<i64>().ok().map(Date::from_unix_wib);
        } else {
            record(dates, prefix, text, current);
        }
    }
}

fn record(dates: &mut Dates, prefix: &str, path: &str, date: Option<Date>) {
    let (Some(date), false) = (date, path.is_empty()) else {
        return;
    };
    let rel = path.strip_prefix(prefix).unwrap_or(path);
    // Newest first: keep the first date seen.
    dates.by_path.entry(rel.to_string()).or_insert(date);
}

/// Gives firms and products their dates: a firm's `updated:` field wins,
/// else the last commit touching its folder; a product takes the last
/// commit touching its files, else its firm's `updated:` field.
pub fn apply(site: &mut crate::model::Site, dates: &Dates) {
    if dates.is_empty() {
        return;
    }
    let grouped = dates.for_firms();
    for f in &mut site.firms {
        apply_firm(std::sync::Arc::make_mut(f), &grouped);
    }
    apply_pages(&mut site.pages, dates);
    apply_events(&mut site.events, dates);
}

/// Dates business meetings by their files' last commits (the event file,
/// its description and translations).
pub fn apply_events(events: &mut [crate::model::Event], dates: &Dates) {
    for e in events {
        e.updated = dates.latest_under(&format!("content/events/{}.", e.slug));
    }
}

/// Dates one firm and its products (see [`apply`]).
pub fn apply_firm(f: &mut crate::model::Firm, grouped: &FirmDates) {
    for p in &mut f.products {
        if let Some(d) = grouped.product.get(&(f.slug.clone(), p.slug.clone())) {
            p.updated = Some(*d);
        }
    }
    if f.updated.is_none() {
        f.updated = grouped.firm.get(&f.slug).copied();
    }
}

/// Dates free pages by their files' last commits.
pub fn apply_pages(pages: &mut [crate::model::Page], dates: &Dates) {
    for p in pages {
        let files = format!("content/pages/{}.", p.slug);
        p.updated = dates.latest_under(&files);
    }
}

impl Dates {
    /// Forgets the dates of files under `prefix` (they were edited: their
    /// last commit no longer describes them).
    pub fn forget_under(&mut self, prefix: &str) {
        self.by_path.retain(|p, _| !p.starts_with(prefix));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_log_newest_first() {
        // Two commits: the newer touches a.md, the older a.md and b.md.
        let log = b"\x001790000000\x00\ncontent/a.md\x00\x001700000000\x00\ncontent/a.md\x00content/b.md\x00";
        let mut d = Dates::default();
        parse_log(log, "", &mut d);
        assert_eq!(d.get("content/a.md").map(Date::iso).as_deref(), Some("2026-09-21"));
        assert_eq!(d.get("content/b.md").map(Date::iso).as_deref(), Some("2023-11-15"));
    }

    #[test]
    fn groups_by_firm_and_product() {
        let mut d = Dates::default();
        let day = |n| Date { year: 2026, month: 1, day: n };
        d.by_path.insert("content/firms/a/profile.yaml".into(), day(1));
        d.by_path.insert("content/firms/a/products/rasi.en.md".into(), day(5));
        d.by_path.insert("content/firms/a/products/rasi.md".into(), day(3));
        let f = d.for_firms();
        assert_eq!(f.firm["a"], day(5));
        assert_eq!(f.product[&("a".to_string(), "rasi".to_string())], day(5));
    }
}
