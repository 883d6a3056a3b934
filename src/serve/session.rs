//! Incremental rebuilds for the preview server.
//!
//! A [`Session`] keeps every stage's result between edits: the loaded
//! files, each firm's validation, the site model, derived data, the firm
//! values of every language edition, and a fingerprint of each rendered
//! page's inputs. An edit then costs what it touches:
//!
//! - **load/validate**: only the changed firm folder (or the site-wide
//!   files) is read and validated again;
//! - **derive**: listings are recomputed (cheap); partner suggestions only
//!   when a matching input (tags, scale, place, cooperation, partners,
//!   drafts) changed;
//! - **views**: a firm's template value is rebuilt only when the firm, its
//!   suggestions or an existing partner it names changed; each rebuilt value
//!   gets a new version number;
//! - **render**: a page's fingerprint hashes the versions of the firms it
//!   shows (and the site-wide values); only pages whose fingerprint changed
//!   are rendered again.
//!
//! A failed update (bad content, template error, broken link) changes
//! nothing that is served: the last good pages stay, the problems are
//! reported, and the changes stay pending until an update succeeds.

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::derive::{self, Derived, Item};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::history::{self, Dates};
use crate::images::{self, Variants};
use crate::links;
use crate::load::{self, Loaded};
use crate::model::{Date, Firm, Site};
use crate::partners::{self, Suggestion};
use crate::render::{Editions, Job, LangJob, Renderer, Templates};
use crate::theme::{self, StaticSource, Theme};
use crate::validate::{self, Globals};

/// Where the bytes of a non-page file come from.
#[derive(Debug, Clone)]
pub enum FileSource {
    /// A theme or site static file.
    Static(StaticSource),
    /// A file of a firm's folder.
    Disk(PathBuf),
}

/// What the server serves: rendered pages and where other files are.
#[derive(Debug, Clone, Default)]
pub struct Output {
    /// Rendered pages by output path (`usaha/x/index.html`).
    pub pages: HashMap<Arc<str>, Arc<Vec<u8>>>,
    /// Static files and firm assets by output path.
    pub files: HashMap<String, FileSource>,
}

/// Data files generated on request: they depend on the whole site and
/// nobody needs them on every keystroke.
pub const DATA_FILES: &[&str] = &["data/katalog.json", "data/katalog.csv", "sitemap.xml", "feed.xml", "robots.txt"];

/// An event's calendar or timetable (`temu/<event>/<firm>.ics`,
/// `temu/<event>/jadwal.csv`): made on request, like the data files.
pub fn is_event_file(path: &str) -> bool {
    path.strip_prefix("temu/")
        .and_then(|r| r.split_once('/'))
        .is_some_and(|(_, name)| !name.contains('/') && (name == "jadwal.csv" || name.ends_with(".ics")))
}

/// Whether a path is a file the session makes on request.
pub fn is_data_file(path: &str) -> bool {
    DATA_FILES.contains(&path) || is_event_file(path)
}

/// The result of an update.
#[derive(Debug, Default)]
pub struct Update {
    /// New output, when the update succeeded and something changed.
    pub output: Option<Output>,
    /// Problems (errors make the update fail; warnings do not).
    pub diagnostics: Diagnostics,
    /// Pages rendered again.
    pub rendered: usize,
    /// Only static files changed: stylesheets can be swapped in place.
    pub css_only: bool,
}

#[derive(Default)]
struct Pending {
    /// Firm folders changed since the last good render.
    firms: BTreeSet<String>,
    /// Every firm value must be rebuilt (vocabulary, theme strings, config).
    all_views: bool,
    /// Templates changed: every page must be rendered again.
    templates: bool,
}

/// A firm folder's validation: the firm (when valid, drafts included), the
/// firm as the site shows it (none for a draft), and its problems.
type Validated = (Option<Arc<Firm>>, Option<Arc<Firm>>, Vec<Diagnostic>);

/// A page rendered again: its path, bytes and broken links.
type Rendered = Result<(Arc<str>, Vec<u8>, Vec<Diagnostic>), Diagnostic>;

/// The last good render.
struct Good {
    site: Site,
    derived: Derived,
    editions: Editions,
    /// Version of each firm's template value.
    versions: HashMap<String, u64>,
    /// Every page, in the renderer's order.
    jobs: Vec<LangJob>,
    /// Fingerprint of each page's inputs, aligned with `jobs`.
    fingerprints: Vec<u64>,
    /// Output path of each page, aligned with `jobs`.
    paths: Arc<Vec<Arc<str>>>,
    /// Every path of the site, for the link checker.
    known: Arc<HashSet<String>>,
}

/// Prints how long each part of an update took, with GOTONG_TIMINGS set.
struct Clock {
    on: bool,
    last: std::cell::Cell<std::time::Instant>,
}

impl Clock {
    fn new() -> Clock {
        Clock {
            on: std::env::var_os("GOTONG_TIMINGS").is_some(),
            last: std::cell::Cell::new(std::time::Instant::now()),
        }
    }

    fn lap(&self, what: &str) {
        if self.on {
            let now = std::time::Instant::now();
            eprintln!("  {what:>12}: {:>7.1} ms", (now - self.last.get()).as_secs_f64() * 1000.0);
            self.last.set(now);
        }
    }
}

/// The state kept between edits.
pub struct Session {
    root: PathBuf,
    drafts: bool,
    /// The server's own address (`http://127.0.0.1:1111`); pages are served
    /// under it at site.yaml's base path.
    origin: String,
    loaded: Loaded,
    dates: Dates,
    globals: Globals,
    /// Each firm folder's validation (drafts included).
    firms: HashMap<String, Validated>,
    theme: Theme,
    theme_diags: Vec<Diagnostic>,
    templates: Result<Arc<Templates>, Vec<Diagnostic>>,
    variants: Variants,
    /// Resized image copies to serve, by firm.
    image_copies: HashMap<String, Vec<images::Copy>>,
    good: Option<Good>,
    pending: Pending,
    /// Counts versions and renders; makes every fingerprint of a new
    /// render generation unique where it must be.
    counter: u64,
    /// The generation of the templates (part of every fingerprint).
    templates_generation: u64,
    /// The shared hold on `.gotong-cache/` for the server's life: a build
    /// beside it never prunes a copy the preview serves.
    _cache_lock: Option<crate::cache::Lock>,
}

/// What an edited path means for the site.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Change {
    Everything,
    Theme,
    Statics,
    Globals,
    Firm(String),
    AllFirms,
}

fn hash_of(v: &impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    v.hash(&mut h);
    h.finish()
}

/// The inputs of partner matching in a firm: when these are unchanged, the
/// suggestions of every firm are too.
fn matching_key(f: &Firm) -> impl PartialEq + '_ {
    (
        &f.offers,
        f.all_needs(),
        f.kind,
        f.scale,
        f.district,
        &f.subdistrict,
        &f.cooperation,
        &f.partners,
        &f.exclude_partners,
        f.draft,
    )
}

/// What places a firm and its products in listings: their names (the
/// sort key), sector, scale, kecamatan, categories and date.
fn listing_key(f: &Firm) -> impl PartialEq + '_ {
    (
        &f.name.id,
        f.sector,
        f.scale,
        f.district,
        f.updated,
        f.products.iter().map(|p| (&p.slug, &p.name.id, &p.category)).collect::<Vec<_>>(),
    )
}

impl Session {
    /// Reads and validates the whole site. `origin` (the server's address)
    /// replaces the scheme and host of site.yaml's base URL; its path stays.
    /// (the server's own address).
    pub fn new(root: &Path, drafts: bool, origin: &str) -> Session {
        let (loaded, dates) = rayon::join(|| load::load(root), || history::read(root));
        let mut s = Session {
            root: root.to_path_buf(),
            drafts,
            origin: origin.trim_end_matches('/').to_string(),
            globals: validate::validate_globals(&Loaded::default()),
            loaded,
            dates,
            firms: HashMap::new(),
            theme: Theme::default(),
            theme_diags: Vec::new(),
            templates: Err(Vec::new()),
            variants: Variants::default(),
            image_copies: HashMap::new(),
            good: None,
            pending: Pending::default(),
            counter: 0,
            templates_generation: 0,
            _cache_lock: crate::cache::Lock::shared(root).ok(),
        };
        s.reload_globals(false);
        s.revalidate_all_firms();
        s.reload_theme();
        s
    }

    fn options(&self) -> validate::Options<'_> {
        validate::Options { root: &self.root, drafts: self.drafts, today: Date::build_day(), base_url: None }
    }

    /// The path the site is served under (`/katalog`, or empty).
    pub fn base_path(&self) -> String {
        self.globals.base_path()
    }

    /// Validates the site-wide files again; with `reread`, reads them first.
    fn reload_globals(&mut self, reread: bool) {
        if reread {
            let fresh = load::load_globals(&self.root);
            self.loaded.config = fresh.config;
            self.loaded.home = fresh.home;
            self.loaded.vocabulary = fresh.vocabulary;
            self.loaded.pages = fresh.pages;
            self.loaded.events = fresh.events;
            self.loaded.diags = fresh.diags;
        }
        let mut globals = validate::validate_globals(&self.loaded);
        if let Some(c) = &mut globals.config {
            c.base_url = format!("{}{}", self.origin, validate::base_path(&c.base_url));
        }
        history::apply_pages(&mut globals.pages, &self.dates);
        history::apply_events(&mut globals.events, &self.dates);
        self.globals = globals;
    }

    fn validate_firm(&self, raw: &load::RawFirm, grouped: &history::FirmDates) -> Validated {
        let base_path = self.globals.base_path();
        let (mut firm, diags) = validate::validate_firm(raw, &self.globals.vocabulary, &base_path, &self.options());
        if let Some(f) = &mut firm {
            history::apply_firm(f, grouped);
        }
        let base_url = self.globals.config.as_ref().map_or("", |c| c.base_url.as_str());
        let published = firm.clone().and_then(|f| validate::publishable(f, self.drafts, base_url)).map(Arc::new);
        (firm.map(Arc::new), published, diags)
    }

    fn revalidate_all_firms(&mut self) {
        let grouped = self.dates.for_firms();
        let results: Vec<(String, Validated)> = self
            .loaded
            .firms
            .values()
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|raw| (raw.slug.clone(), self.validate_firm(raw, &grouped)))
            .collect();
        self.firms = results.into_iter().collect();
        self.pending.all_views = true;
    }

    fn reload_theme(&mut self) {
        let fallback = crate::config::SiteConfig::new("", "");
        let config = self.globals.config.as_ref().unwrap_or(&fallback);
        let (theme, diags) = theme::load(&self.root, config);
        self.templates = Templates::compile(&theme).map(Arc::new);
        self.theme = theme;
        self.theme_diags = diags;
        self.templates_generation += 1;
        self.pending.templates = true;
        self.pending.all_views = true;
    }

    /// Sorts an edited path into what it changes.
    fn classify(&self, path: &Path) -> Option<Change> {
        let rel = path.strip_prefix(&self.root).ok()?;
        let rel = load::rel(Path::new(""), rel);
        let parts: Vec<&str> = rel.split('/').collect();
        if parts.iter().any(|p| load::is_ignored(p) && !p.starts_with("_index")) {
            return None;
        }
        let theme = format!("themes/{}", self.theme_name());
        match parts.as_slice() {
            ["site.yaml"] => Some(Change::Everything),
            ["static", ..] => Some(Change::Statics),
            ["templates", ..] => Some(Change::Theme),
            [t, n, "static", ..] if format!("{t}/{n}") == theme => Some(Change::Statics),
            [t, n, ..] if format!("{t}/{n}") == theme => Some(Change::Theme),
            ["themes"] => Some(Change::Theme),
            ["content", "firms"] => Some(Change::AllFirms),
            ["content", "firms", slug, ..] => Some(Change::Firm(slug.to_string())),
            ["content", ..] => Some(Change::Globals),
            _ => None,
        }
    }

    fn theme_name(&self) -> String {
        self.globals.config.as_ref().map_or_else(|| "cimahi".to_string(), |c| c.theme.clone())
    }

    /// Applies edited paths and renders what they change; `None` when no
    /// path is part of the site (a file in `.gotong-cache/`, an editor's
    /// swap file), so that nothing a reader sees, problems included, changes.
    pub fn update(&mut self, paths: &[PathBuf], previous: &Output) -> Option<Update> {
        let mut changes: Vec<Change> = paths.iter().filter_map(|p| self.classify(p)).collect();
        changes.sort();
        changes.dedup();
        if std::env::var_os("GOTONG_TIMINGS").is_some() {
            eprintln!("  changes: {changes:?}");
        }
        if changes.is_empty() {
            return None;
        }
        if changes.contains(&Change::Statics) {
            // A static file added or removed: list them again (templates
            // and strings are unchanged, so no page needs rendering again).
            let fallback = crate::config::SiteConfig::new("", "");
            let config = self.globals.config.as_ref().unwrap_or(&fallback);
            self.theme.statics = theme::load(&self.root, config).0.statics;
        }
        if changes == [Change::Statics] {
            let mut update = self.render(previous);
            update.css_only = update.rendered == 0;
            return Some(update);
        }
        for change in &changes {
            match change {
                Change::Everything => {
                    let old_theme = self.theme_name();
                    self.loaded = load::load(&self.root);
                    self.reload_globals(false);
                    self.revalidate_all_firms();
                    if self.theme_name() != old_theme || self.templates.is_err() {
                        self.reload_theme();
                    }
                    self.pending.templates = true;
                }
                Change::Theme => self.reload_theme(),
                Change::Statics => {}
                Change::Globals => {
                    let old_vocab = self.globals.vocabulary.clone();
                    self.reload_globals(true);
                    if self.globals.vocabulary != old_vocab {
                        self.revalidate_all_firms();
                    }
                }
                Change::AllFirms => {
                    // Folders pasted or removed: compare the folder list.
                    let on_disk: BTreeSet<String> = std::fs::read_dir(self.root.join("content/firms"))
                        .map(|it| {
                            it.filter_map(Result::ok).map(|e| e.file_name().to_string_lossy().into_owned()).collect()
                        })
                        .unwrap_or_default();
                    let known: BTreeSet<String> = self.loaded.firms.keys().cloned().collect();
                    for slug in on_disk.symmetric_difference(&known) {
                        self.reload_firm(slug);
                    }
                }
                Change::Firm(slug) => self.reload_firm(slug),
            }
        }
        Some(self.render(previous))
    }

    fn reload_firm(&mut self, slug: &str) {
        self.dates.forget_under(&format!("content/firms/{slug}/"));
        match load::load_firm(&self.root, slug) {
            Some(raw) => {
                let grouped = self.dates.for_firms();
                let result = self.validate_firm(&raw, &grouped);
                self.loaded.firms.insert(slug.to_string(), raw);
                self.firms.insert(slug.to_string(), result);
            }
            None => {
                self.loaded.firms.remove(slug);
                self.firms.remove(slug);
            }
        }
        self.pending.firms.insert(slug.to_string());
    }

    /// The first render (everything).
    pub fn first_render(&mut self) -> Update {
        self.render(&Output::default())
    }

    /// Assembles the site, derives, rebuilds the firm values that changed
    /// and renders the pages whose inputs changed.
    fn render(&mut self, previous: &Output) -> Update {
        let clock = Clock::new();
        let mut update = Update::default();
        // Every problem of the current files.
        let mut diags: Vec<Diagnostic> = self.globals.diags.clone();
        diags.extend(self.theme_diags.iter().cloned());
        if let Err(d) = &self.templates {
            diags.extend(d.iter().cloned());
        }
        let mut slugs: Vec<&String> = self.firms.keys().collect();
        slugs.sort();
        let mut firms: Vec<Arc<Firm>> = Vec::with_capacity(slugs.len());
        for slug in &slugs {
            let (_, published, d) = &self.firms[*slug];
            diags.extend(d.iter().cloned());
            firms.extend(published.iter().cloned());
        }
        validate::check_references(self.firms.values().filter_map(|(f, _, _)| f.as_deref()), &self.loaded, &mut diags);
        let pages = validate::publishable_pages(self.globals.pages.clone(), self.drafts, &mut diags);
        let valid: std::collections::BTreeSet<String> =
            self.firms.iter().filter(|(_, (f, _, _))| f.is_some()).map(|(slug, _)| slug.to_string()).collect();
        let events = validate::publishable_events(
            self.globals.events.clone(),
            &self.globals.event_references,
            &firms,
            &valid,
            &self.loaded,
            self.drafts,
            &mut diags,
        );
        update.diagnostics.extend(diags);
        update.diagnostics.sort();
        let (Some(config), Ok(templates)) = (self.globals.config.clone(), self.templates.clone()) else {
            return update;
        };
        if update.diagnostics.has_errors(false) {
            return update;
        }
        let site = Site {
            config,
            vocabulary: self.globals.vocabulary.clone(),
            home: self.globals.home.clone(),
            pages,
            firms,
            events,
            today: Date::build_day(),
        };
        let missing = crate::render::missing_templates(&self.theme, &site);
        if !missing.is_empty() {
            update.diagnostics.extend(missing);
            update.diagnostics.sort();
            return update;
        }

        clock.lap("assemble");
        // Images: of the firms that changed (all of them the first time).
        let only: Option<HashSet<String>> = match (&self.good, self.pending.all_views) {
            (Some(_), false) => Some(self.pending.firms.iter().cloned().collect()),
            _ => None,
        };
        let processed = images::process(&self.root, &site, images::Mode::Make, only.as_ref());
        if !processed.diags.is_empty() {
            update.diagnostics.extend(processed.diags);
            update.diagnostics.sort();
            return update;
        }
        match &only {
            Some(slugs) => {
                for slug in slugs {
                    self.variants.remove_firm(slug);
                    self.image_copies.remove(slug);
                }
            }
            None => {
                self.variants = Variants::default();
                self.image_copies.clear();
            }
        }
        self.variants.merge(processed.variants);
        for (path, cached) in processed.copies {
            let firm = path.split('/').nth(1).unwrap_or_default().to_string();
            self.image_copies.entry(firm).or_default().push((path, cached));
        }

        clock.lap("images");
        // Derive: partner suggestions only when a matching input changed.
        let mut good = self.good.take();
        let old_index: HashMap<String, usize> = good
            .as_ref()
            .map(|g| g.site.firms.iter().enumerate().map(|(i, f)| (f.slug.clone(), i)).collect())
            .unwrap_or_default();
        let same_set = good.as_ref().is_some_and(|g| {
            g.site.firms.len() == site.firms.len()
                && g.site.firms.iter().zip(&site.firms).all(|(a, b)| a.slug == b.slug)
        });
        let matching_same = same_set
            && !self.pending.all_views
            && good.as_ref().is_some_and(|g| {
                self.pending.firms.iter().all(|slug| match (old_index.get(slug.as_str()), site.firm_index(slug)) {
                    (Some(&i), Some(j)) => matching_key(&g.site.firms[i]) == matching_key(&site.firms[j]),
                    (None, None) => true,
                    _ => false,
                })
            });
        let suggestions = match (&mut good, matching_same) {
            // Unchanged: the previous lists are moved over, not copied.
            (Some(g), true) => std::mem::take(&mut g.derived.partners),
            _ => partners::suggest_all(&site),
        };
        // Listings and the newest firms: reused when no changed firm moved
        // in or between them.
        let listings_same = matching_same
            && good.as_ref().is_some_and(|g| {
                self.pending.firms.iter().all(|slug| match (old_index.get(slug.as_str()), site.firm_index(slug)) {
                    (Some(&i), Some(j)) => listing_key(&g.site.firms[i]) == listing_key(&site.firms[j]),
                    (None, None) => true,
                    _ => false,
                })
            });
        let derived = match (&mut good, listings_same) {
            (Some(g), true) => {
                // The same firms, suggestions and events: the same timetables.
                let timetables = if g.site.events == site.events {
                    std::mem::take(&mut g.derived.timetables)
                } else {
                    crate::meetings::timetables(&site, &suggestions)
                };
                Derived {
                    taxonomies: std::mem::take(&mut g.derived.taxonomies),
                    newest: std::mem::take(&mut g.derived.newest),
                    partners: suggestions,
                    timetables,
                }
            }
            _ => derive::derive_with(&site, suggestions),
        };

        clock.lap("derive");
        // Firm values: which must be rebuilt? Those that changed, those whose
        // suggestions changed, and those naming a changed existing partner.
        let same_list = |a: &[Suggestion], sa: &Site, b: &[Suggestion], sb: &Site| {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|(x, y)| x.score == y.score && sa.firms[x.partner].slug == sb.firms[y.partner].slug)
        };
        let dirty: HashSet<usize> = match (&good, self.pending.all_views) {
            (Some(g), false) => (0..site.firms.len())
                .filter(|&i| {
                    let f = &site.firms[i];
                    match old_index.get(f.slug.as_str()) {
                        None => true,
                        Some(&j) => {
                            self.pending.firms.contains(&f.slug)
                                || f.partners.iter().any(|p| self.pending.firms.contains(p))
                                || (!matching_same
                                    && !same_list(&derived.partners[i], &site, &g.derived.partners[j], &g.site))
                        }
                    }
                })
                .collect(),
            _ => (0..site.firms.len()).collect(),
        };
        let reuse = |i: usize| -> Option<usize> {
            if dirty.contains(&i) { None } else { old_index.get(site.firms[i].slug.as_str()).copied() }
        };
        let editions = Editions::build(
            &site,
            &derived,
            &self.theme,
            &self.variants,
            good.as_ref().map(|g| (&g.editions, &reuse as &(dyn Fn(usize) -> Option<usize> + Sync))),
        );
        self.counter += 1;
        let generation = self.counter;
        let versions: HashMap<String, u64> = site
            .firms
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let v = match (&good, dirty.contains(&i)) {
                    (Some(g), false) => g.versions.get(&f.slug).copied().unwrap_or(generation),
                    _ => generation,
                };
                (f.slug.clone(), v)
            })
            .collect();

        clock.lap(&format!("views ({} new)", dirty.len()));
        // Which pages changed? Fingerprints are aligned with the job list;
        // when the list is the same as last time, so are the paths.
        let renderer = Renderer::new(&site, &derived, &self.theme, &self.variants, &templates, &editions);
        let jobs = renderer.jobs();
        // The same pages at the same paths: a renamed product, firm folder
        // or event keeps the job list (jobs are indices) but moves pages,
        // so the paths are compared too.
        let new_paths: Vec<Arc<str>> = jobs.par_iter().map(|&j| Arc::from(renderer.output_path(j))).collect();
        let same_jobs = good.as_ref().is_some_and(|g| g.jobs == jobs && *g.paths == new_paths);
        let global = hash_of(&(self.templates_generation, renderer.global_fingerprint()));
        let version: Vec<u64> = site.firms.iter().map(|f| versions[&f.slug]).collect();
        let per = site.config.paginate.max(1);
        // What a draft proposal shows of the business meetings: the next
        // event the firm takes part in (`meets`, below) and its meetings
        // there, slot and table.
        let meetings_of = |f: usize| -> u64 {
            let mut h = xxhash_rust::xxh3::Xxh3::new();
            for t in &derived.timetables {
                for m in t.agenda(f) {
                    h.update(&[m.slot as u64, m.table as u64, m.a as u64, m.b as u64].map(u64::to_le_bytes).concat());
                }
                h.update(&[0xff]);
            }
            h.digest()
        };
        let event_hashes: Vec<u64> = site
            .events
            .iter()
            .zip(&derived.timetables)
            .map(|(ev, t)| xxhash_rust::xxh3::xxh3_64(format!("{ev:?}{t:?}").as_bytes()))
            .collect();
        // Firm and partners pages list the firm's upcoming meetings.
        let mut meets = vec![0u64; site.firms.len()];
        for (e, (ev, t)) in site.events.iter().zip(&derived.timetables).enumerate() {
            if ev.date >= site.today {
                for (k, &f) in t.participants.iter().enumerate() {
                    meets[f] = meets[f].rotate_left(7) ^ hash_of(&(event_hashes[e], t.agendas[k].len()));
                }
            }
        }
        let fingerprint = |job: LangJob| -> u64 {
            let mut h = xxhash_rust::xxh3::Xxh3::new();
            let mut put = |x: u64| h.update(&x.to_le_bytes());
            put(global);
            put(hash_of(&job));
            match job.1 {
                Job::Firm(f) => {
                    put(version[f]);
                    put(meets[f]);
                }
                Job::Product(f, _) => put(version[f]),
                Job::Partners(f) => {
                    put(version[f]);
                    put(meets[f]);
                    for s in &derived.partners[f] {
                        put(version[s.partner]);
                        put(s.score.to_bits());
                    }
                    for p in site.firms[f].partners.iter().filter_map(|p| site.firm_index(p)) {
                        put(version[p]);
                    }
                }
                // The profile shows the firm's value and its age on the build day.
                Job::Profile(f) => {
                    put(version[f]);
                    put(hash_of(&site.today.iso()));
                }
                // A draft shows both firms of each pair, and the next meeting.
                Job::Proposal(f) => {
                    put(version[f]);
                    for s in &derived.partners[f] {
                        put(version[s.partner]);
                        put(s.score.to_bits());
                    }
                    put(meets[f]);
                    put(meetings_of(f));
                }
                Job::Listing(tax, t, page) => {
                    let term = &derived.taxonomies[&tax][t];
                    put(term.items.len() as u64);
                    for item in term.items.iter().skip((page - 1) * per).take(per) {
                        match *item {
                            Item::Firm(f) => put(version[f] ^ hash_of(&site.firms[f].slug)),
                            Item::Product(f, p) => put(version[f] ^ hash_of(&(&site.firms[f].slug, p))),
                        }
                    }
                }
                // An event's pages: its content and timetable, the build
                // day (upcoming or past), and the firms they show.
                Job::Events => {
                    put(hash_of(&site.today));
                    event_hashes.iter().for_each(|&x| put(x));
                }
                Job::Event(e) => {
                    put(hash_of(&site.today));
                    put(event_hashes[e]);
                    derived.timetables[e].participants.iter().for_each(|&f| put(version[f]));
                }
                Job::Agenda(e, k) => {
                    put(hash_of(&site.today));
                    put(event_hashes[e]);
                    let t = &derived.timetables[e];
                    let f = t.participants[k];
                    put(version[f]);
                    t.agenda(f).for_each(|m| put(version[if m.a == f { m.b } else { m.a }]));
                }
                // Few pages that show site-wide summaries: always rendered.
                _ => put(generation),
            }
            h.digest()
        };
        let fps: Vec<u64> = jobs.par_iter().map(|&j| fingerprint(j)).collect();
        let paths: Arc<Vec<Arc<str>>> = match &good {
            Some(g) if same_jobs => g.paths.clone(),
            _ => Arc::new(new_paths),
        };
        let todo: Vec<usize> = (0..jobs.len())
            .filter(|&k| {
                self.pending.templates
                    || !same_jobs
                    || good.as_ref().is_none_or(|g| g.fingerprints[k] != fps[k])
                    || !previous.pages.contains_key(&*paths[k])
            })
            .collect();

        clock.lap("fingerprints");
        // Non-page files, then every path the site has (for links).
        let mut files: HashMap<String, FileSource> = HashMap::new();
        for (path, src) in &self.theme.statics {
            files.insert(path.clone(), FileSource::Static(src.clone()));
        }
        let firms_dir = self.root.join("content/firms");
        for f in &site.firms {
            for a in &f.assets {
                files.insert(format!("usaha/{}/{a}", f.slug), FileSource::Disk(firms_dir.join(&f.slug).join(a)));
            }
        }
        for (path, cached) in self.image_copies.values().flatten() {
            files.insert(path.clone(), FileSource::Disk(cached.clone()));
        }
        let same_files = files.len() == previous.files.len() && files.keys().all(|k| previous.files.contains_key(k));
        let known: Arc<HashSet<String>> = match &good {
            Some(g) if same_jobs && same_files => g.known.clone(),
            _ => {
                let mut k: HashSet<String> = paths.iter().map(|p| p.to_string()).collect();
                k.extend(files.keys().cloned());
                k.extend(DATA_FILES.iter().map(|s| s.to_string()));
                k.extend(jobs.iter().filter_map(|&j| renderer.docx_path(j)));
                k.extend((0..site.events.len()).flat_map(|e| renderer.event_file_paths(e)));
                Arc::new(k)
            }
        };
        let checker = links::Checker::new(&known, &site.config.base_url);
        let rendered: Vec<Rendered> = todo
            .par_iter()
            .map(|&k| {
                let (job, path) = (jobs[k], &paths[k]);
                let crate::render::Page { html, links, .. } = renderer.render_page(job, false)?;
                let page = renderer.url_path(job);
                let broken = links
                    .into_iter()
                    .filter_map(|u| {
                        checker
                            .check(&u, &page)
                            .err()
                            .map(|why| links::report_page_link(&self.theme, renderer.template(job), path, &u, &why))
                    })
                    .collect();
                Ok((path.clone(), html.into_bytes(), broken))
            })
            .collect();
        let mut problems = Vec::new();
        let mut pages_out = Vec::with_capacity(rendered.len());
        for r in rendered {
            match r {
                Ok((path, bytes, broken)) => {
                    problems.extend(broken);
                    // Rendered again but identical: nothing to tell readers.
                    if previous.pages.get(&*path).is_none_or(|old| **old != bytes) {
                        pages_out.push((path, bytes));
                    }
                }
                Err(d) => problems.push(d),
            }
        }
        if !problems.is_empty() {
            update.diagnostics.extend(problems);
            update.diagnostics.sort();
            self.good = good;
            return update;
        }
        clock.lap(&format!("render ({})", todo.len()));

        let same_pages = same_jobs && !previous.pages.is_empty();
        let new_good = Good { site, derived, editions, versions, jobs, fingerprints: fps, paths, known };
        if pages_out.is_empty() && same_files && same_pages {
            // Nothing a reader sees changed (an editor's temporary file, a
            // save without changes): no new output, no reload.
            self.good = Some(new_good);
            self.pending = Pending::default();
            return update;
        }
        let mut output = Output { pages: previous.pages.clone(), files };
        if !same_jobs {
            let live: HashSet<&str> = new_good.paths.iter().map(|p| &**p).collect();
            output.pages.retain(|p, _| live.contains(&**p));
        }
        update.rendered = pages_out.len();
        for (path, bytes) in pages_out {
            output.pages.insert(path, Arc::new(bytes));
        }
        self.good = Some(new_good);
        self.pending = Pending::default();
        update.output = Some(output);
        clock.lap("output");
        update
    }

    /// A data file of the last good site, generated on request.
    pub fn data_file(&self, path: &str) -> Option<Vec<u8>> {
        let g = self.good.as_ref()?;
        match path {
            "data/katalog.json" => Some(crate::export::json(&g.site, &g.derived)),
            "data/katalog.csv" => Some(crate::export::csv(&g.site)),
            "feed.xml" => Some(crate::publish::feed(&g.site)),
            "robots.txt" => Some(crate::publish::robots(&g.site)),
            _ if is_event_file(path) => {
                let templates = self.templates.as_ref().ok()?;
                let renderer = Renderer::new(&g.site, &g.derived, &self.theme, &self.variants, templates, &g.editions);
                renderer.event_file(path)
            }
            "sitemap.xml" => {
                let templates = self.templates.as_ref().ok()?;
                let renderer = Renderer::new(&g.site, &g.derived, &self.theme, &self.variants, templates, &g.editions);
                let jobs = renderer.jobs();
                let entries = crate::publish::url_entries(&g.site, &g.derived, &jobs, |j| renderer.path(j));
                crate::publish::sitemaps(&g.site.config.base_url, &entries).into_iter().next().map(|(_, b)| b)
            }
            _ => None,
        }
    }

    /// A file of the editing UI (`admin/…`) of the last good site, when
    /// site.yaml has `cms:`.
    pub fn cms_file(&self, path: &str) -> Option<Vec<u8>> {
        let g = self.good.as_ref()?;
        crate::cms::file(&g.site, &self.root, path)
    }

    /// Whether the last good site has `cms:` (the local backend answers
    /// only then).
    pub fn has_cms(&self) -> bool {
        self.good.as_ref().is_some_and(|g| g.site.config.cms.is_some())
    }

    /// The site root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The Word version of a draft proposal page of the last good site
    /// (`usaha/<firm>/proposal.docx`, `en/usaha/<firm>/proposal.docx`),
    /// made on request.
    pub fn docx_file(&self, path: &str) -> Option<Vec<u8>> {
        let g = self.good.as_ref()?;
        let templates = self.templates.as_ref().ok()?;
        let renderer = Renderer::new(&g.site, &g.derived, &self.theme, &self.variants, templates, &g.editions);
        let slug = path.strip_suffix("/proposal.docx")?.rsplit('/').next()?;
        let fi = g.site.firm_index(slug)?;
        g.site
            .config
            .languages
            .iter()
            .map(|&lang| (lang, Job::Proposal(fi)))
            .find(|&j| renderer.docx_path(j).as_deref() == Some(path))
            .and_then(|j| renderer.docx(j))
    }

    /// The search index of the last good site (built on the first request
    /// for one of its files, and cached by content like a build's).
    pub fn search_files(&self) -> Vec<(String, Vec<u8>)> {
        let Some(g) = self.good.as_ref() else { return Vec::new() };
        let files = crate::search::build(&self.root, &g.site, &self.theme).unwrap_or_default();
        files
            .into_iter()
            .filter_map(|f| {
                let bytes = match f.data {
                    crate::output::Data::Bytes(b) => b,
                    crate::output::Data::File(p) => std::fs::read(p).ok()?,
                    crate::output::Data::Embedded(b) => b.to_vec(),
                };
                Some((f.path, bytes))
            })
            .collect()
    }

    /// Whether a problem list has errors.
    pub fn failed(d: &Diagnostics) -> bool {
        d.iter().any(|x| x.severity == Severity::Error)
    }
}
