//! The pipeline, end to end: load → validate → derive → render → write.
//!
//! `gotong build`, `gotong check` and the preview server all go through
//! [`compile`] (everything up to the typed, derived site) and
//! [`render_site`] (every output file, in memory); only `build` and `serve`
//! go on to write.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::derive::{self, Derived};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Date, Site};
use crate::output::{self, Data, OutFile, Sink, Stats};
use crate::render::{Editions, Renderer, Templates};
use crate::theme::{self, StaticSource, Theme};
use crate::{export, history, images, links, load, publish, validate};

/// What a build is asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// Folder holding `site.yaml`.
    pub root: PathBuf,
    /// Output folder (default `<root>/public`).
    pub output: Option<PathBuf>,
    /// Keep drafts.
    pub drafts: bool,
    /// Treat warnings as errors.
    pub strict: bool,
    /// Replace site.yaml's `base_url`.
    pub base_url: Option<String>,
}

impl Options {
    /// Defaults for a site root.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Options { root: root.into(), output: None, drafts: false, strict: false, base_url: None }
    }

    /// The output folder.
    pub fn output_dir(&self) -> PathBuf {
        self.output.clone().unwrap_or_else(|| self.root.join("public"))
    }
}

/// Why a build did not produce a site.
#[derive(Debug)]
pub enum Error {
    /// Wrong usage: no site.yaml at the root, bad `--base-url`, bad output
    /// folder (exit status 2).
    Usage(String),
    /// The site has errors (exit status 1).
    Site(Diagnostics),
    /// Writing the output failed.
    Io(String),
}

/// A validated site with everything derived from it.
pub struct Compiled {
    /// The site model.
    pub site: Site,
    /// Listings and partner suggestions.
    pub derived: Derived,
    /// The theme.
    pub theme: Theme,
    /// Resized images.
    pub variants: images::Variants,
    /// Resized copies to publish (output path, cached file).
    pub image_copies: Vec<images::Copy>,
    /// Distinct images decoded by this run (0 when the cache had them all).
    pub images_decoded: usize,
    /// Copies encoded by this run (0 when the cache had them all).
    pub images_encoded: usize,
    /// Output paths the link checker accepts while content has errors:
    /// pages of firms and products that failed validation.
    pub pending: Vec<String>,
    /// Warnings (and, for `check`, errors) found on the way.
    pub diagnostics: Diagnostics,
    /// Time spent per stage.
    pub timings: Vec<(&'static str, Duration)>,
}

/// What a successful build did.
#[derive(Debug)]
pub struct Report {
    /// Warnings.
    pub diagnostics: Diagnostics,
    /// HTML pages rendered.
    pub pages: usize,
    /// Files in the output.
    pub files: usize,
    /// Writes, skips, removals.
    pub stats: Stats,
    /// Time spent per stage.
    pub timings: Vec<(&'static str, Duration)>,
    /// Distinct images decoded and copies encoded.
    pub images: (usize, usize),
    /// One line per business meeting: what its schedule achieved.
    pub events: Vec<String>,
}

/// Fails with a usage error when `root` has no `site.yaml`.
pub fn check_root(root: &Path) -> Result<(), Error> {
    if root.join("site.yaml").is_file() {
        Ok(())
    } else {
        Err(Error::Usage(format!(
            "no site.yaml in {} (use --root to point at the folder that holds it)",
            root.display()
        )))
    }
}

/// Loads, validates and derives, going on after content errors as long as
/// a site model exists (a usable site.yaml), so that `build` and `check`
/// report every problem of a site, and the same ones. `mode` says whether
/// missing image copies are made (build, serve) or only checked (check).
pub fn compile(opts: &Options, mode: images::Mode) -> Result<Compiled, Error> {
    check_root(&opts.root)?;
    let mut timings = Vec::new();
    let t = Instant::now();
    // Walking the content and asking git for dates are independent.
    let (loaded, dates) = rayon::join(|| load::load(&opts.root), || history::read(&opts.root));
    timings.push(("load", t.elapsed()));

    let t = Instant::now();
    let base_url = match &opts.base_url {
        Some(url) => match crate::config::http_url(url) {
            Some(u) => Some(u),
            None => {
                return Err(Error::Usage(format!("--base-url must be an absolute http or https URL, found `{url}`")));
            }
        },
        None => None,
    };
    let vopts = validate::Options { root: &opts.root, drafts: opts.drafts, today: Date::build_day(), base_url };
    let (site, diags) = validate::validate(&loaded, &vopts);
    let mut diagnostics = Diagnostics::new();
    diagnostics.extend(diags);
    timings.push(("validate", t.elapsed()));

    let Some(mut site) = site else {
        // Without a usable site.yaml there is nothing more to check.
        return Err(Error::Site(finish(diagnostics, opts.strict)));
    };
    history::apply(&mut site, &dates);
    let (theme, theme_diags) = theme::load(&opts.root, &site.config);
    diagnostics.extend(theme_diags);
    diagnostics.extend(crate::render::missing_templates(&theme, &site));

    let t = Instant::now();
    let suggestions = crate::partners::suggest_all(&site);
    timings.push(("partners", t.elapsed()));
    let t = Instant::now();
    let timetables = crate::meetings::timetables(&site, &suggestions);
    diagnostics.extend(crate::meetings::unmet_warnings(&site, &timetables));
    timings.push(("meetings", t.elapsed()));
    let t = Instant::now();
    let derived = derive::derive_parts(&site, suggestions, timetables);
    timings.push(("derive", t.elapsed()));
    let t = Instant::now();
    let processed = images::process(&opts.root, &site, mode, None);
    diagnostics.extend(processed.diags);
    timings.push(("images", t.elapsed()));
    // While content has errors, pages of firms and products that failed
    // validation count as existing for the link checker: a link to them is
    // not a second problem.
    let pending = if diagnostics.has_errors(false) { unpublished_paths(&loaded, &site) } else { Vec::new() };
    Ok(Compiled {
        site,
        derived,
        theme,
        variants: processed.variants,
        image_copies: processed.copies,
        images_decoded: processed.decoded,
        images_encoded: processed.encoded,
        pending,
        diagnostics,
        timings,
    })
}

/// Output paths of firms and products that have files but are not in the
/// site (they failed validation, or are drafts).
fn unpublished_paths(loaded: &load::Loaded, site: &Site) -> Vec<String> {
    let mut out = Vec::new();
    for (slug, raw) in &loaded.firms {
        let firm = site.firm_index(slug).map(|i| &site.firms[i]);
        if firm.is_none() {
            out.push(format!("usaha/{slug}/index.html"));
            out.push(format!("usaha/{slug}/mitra/index.html"));
        }
        for p in raw.products.keys() {
            if firm.is_none_or(|f| f.products.iter().all(|q| &q.slug != p)) {
                out.push(format!("usaha/{slug}/produk/{p}/index.html"));
            }
        }
    }
    out
}

/// Sorts the report and applies `--strict`.
fn finish(mut diags: Diagnostics, strict: bool) -> Diagnostics {
    diags.sort();
    if strict {
        diags.promote_warnings();
    }
    diags
}

/// One page: what the sink kept and the broken links found, or why it
/// failed (a template error, or an I/O error from the sink).
type PageResult = Result<(Vec<OutFile>, Vec<Diagnostic>), Result<Diagnostic, std::io::Error>>;

/// What rendering gave to the sink.
pub struct Rendered {
    /// Files the sink kept for the end (changed files of an update).
    pub kept: Vec<OutFile>,
    /// Every path of the new site.
    pub all: HashSet<String>,
    /// HTML pages rendered.
    pub pages: usize,
    /// Time the search index took (on its own thread, during rendering).
    pub search_time: Duration,
}

/// Renders every file of the site into `sink`, checking every internal
/// link on the way. Fails with every problem found (or an I/O error).
pub fn render_site(c: &Compiled, root: &Path, sink: &Sink) -> Result<Rendered, Error> {
    let as_error = |d: Vec<Diagnostic>| {
        let mut ds = Diagnostics::new();
        ds.extend(d);
        ds.sort();
        Error::Site(ds)
    };
    let templates = Templates::compile(&c.theme).map_err(as_error)?;
    let editions = Editions::build(&c.site, &c.derived, &c.theme, &c.variants, None);
    let renderer = Renderer::new(&c.site, &c.derived, &c.theme, &c.variants, &templates, &editions);
    let jobs = renderer.jobs();
    // Every path the build writes is known before rendering, so links can
    // be checked as each page renders.
    let mut files = other_files(c, root, &renderer, &jobs);
    let mut all: HashSet<String> = files.iter().map(|f| f.path.clone()).collect();
    all.extend(jobs.iter().map(|&j| renderer.output_path(j)));
    // A proposal page's Word version is made beside it, in the same task.
    all.extend(jobs.iter().filter_map(|&j| renderer.docx_path(j)));
    sink.prepare(all.iter().map(String::as_str)).map_err(|e| Error::Io(format!("writing the site: {e}")))?;
    let mut known = all.clone();
    known.extend(c.pending.iter().cloned());
    let checker = links::Checker::new(&known, &c.site.config.base_url);
    let (mut problems, reported) = links::check_markdown(&checker, links::markdown_docs(&c.site));
    let io_error = |e: std::io::Error| Error::Io(format!("writing the site: {e}"));

    // The search index (single-threaded per language) builds on its own
    // thread while the pages render. It is not a rayon task: Pagefind uses
    // rayon itself, and a rayon task waiting on it could hold the pool's
    // last thread (a deadlock with RAYON_NUM_THREADS=1). `check` needs no
    // index.
    let (search, results) = std::thread::scope(|scope| {
        let search = scope.spawn(|| {
            let t = Instant::now();
            let files = if matches!(sink, Sink::Discard) { Ok(Vec::new()) } else { search_files(c, root) };
            files.map(|f| (f, t.elapsed()))
        });
        let pages: Vec<PageResult> = jobs
            .par_iter()
            .map(|&job| {
                let crate::render::Page { html, links, docx } = renderer.render_page(job, true).map_err(Ok)?;
                let path = renderer.output_path(job);
                let page = renderer.url_path(job);
                let broken: Vec<Diagnostic> = links
                    .into_iter()
                    .filter(|u| !reported.contains(u))
                    .filter_map(|u| {
                        checker
                            .check(&u, &page)
                            .err()
                            .map(|why| links::report_page_link(&c.theme, renderer.template(job), &path, &u, &why))
                    })
                    .collect();
                let mut kept: Vec<OutFile> = sink
                    .accept(OutFile { path, data: Data::Bytes(html.into_bytes()) })
                    .map_err(Err)?
                    .into_iter()
                    .collect();
                if let (Some(path), Some(bytes)) = (renderer.docx_path(job), docx) {
                    kept.extend(sink.accept(OutFile { path, data: Data::Bytes(bytes) }).map_err(Err)?);
                }
                Ok((kept, broken))
            })
            .collect();
        let search: Result<(Vec<OutFile>, Duration), Diagnostics> = search.join().unwrap_or_else(|_| {
            let mut d = Diagnostics::new();
            d.push(Diagnostic::error("pagefind", "the search indexer failed"));
            Err(d)
        });
        (search, pages)
    });
    let (search, search_time) = search.map_err(Error::Site)?;
    all.extend(search.iter().map(|f| f.path.clone()));
    files.extend(search);
    let pages = results.len();
    let mut kept = Vec::new();
    for r in results {
        match r {
            Ok((k, broken)) => {
                kept.extend(k);
                problems.extend(broken);
            }
            Err(Ok(d)) => problems.push(d),
            Err(Err(e)) => return Err(io_error(e)),
        }
    }
    if !problems.is_empty() {
        return Err(as_error(problems));
    }
    let others: Vec<std::io::Result<Option<OutFile>>> = files.into_par_iter().map(|f| sink.accept(f)).collect();
    for r in others {
        kept.extend(r.map_err(io_error)?);
    }
    Ok(Rendered { kept, all, pages, search_time })
}

/// Files that are not HTML pages: sitemap, feed, robots.txt, open data,
/// the theme's static files and the firms' own files.
fn other_files(c: &Compiled, root: &Path, renderer: &Renderer<'_>, jobs: &[crate::render::LangJob]) -> Vec<OutFile> {
    let mut files = Vec::new();
    let entries = publish::url_entries(&c.site, &c.derived, jobs, |j| renderer.path(j));
    for (path, bytes) in publish::sitemaps(&c.site.config.base_url, &entries) {
        files.push(OutFile { path, data: Data::Bytes(bytes) });
    }
    files.push(OutFile { path: "feed.xml".into(), data: Data::Bytes(publish::feed(&c.site)) });
    files.push(OutFile { path: "robots.txt".into(), data: Data::Bytes(publish::robots(&c.site)) });
    files.push(OutFile { path: "data/katalog.json".into(), data: Data::Bytes(export::json(&c.site, &c.derived)) });
    files.push(OutFile { path: "data/katalog.csv".into(), data: Data::Bytes(export::csv(&c.site)) });
    for e in 0..c.site.events.len() {
        for (path, bytes) in renderer.event_files(e) {
            files.push(OutFile { path, data: Data::Bytes(bytes) });
        }
    }
    for (path, src) in &c.theme.statics {
        files.push(OutFile {
            path: path.clone(),
            data: match src {
                StaticSource::Embedded(b) => Data::Embedded(b),
                StaticSource::Disk(p) => Data::File(p.clone()),
            },
        });
    }
    let firms_dir = root.join("content").join("firms");
    for f in &c.site.firms {
        for a in &f.assets {
            files.push(OutFile {
                path: format!("usaha/{}/{a}", f.slug),
                data: Data::File(firms_dir.join(&f.slug).join(a)),
            });
        }
    }
    for (path, cached) in &c.image_copies {
        files.push(OutFile { path: path.clone(), data: Data::File(cached.clone()) });
    }
    for (path, file) in crate::cms::files(&c.site, root) {
        let data = match file {
            crate::cms::CmsFile::Made(b) => Data::Bytes(b),
            crate::cms::CmsFile::Embedded(b) => Data::Embedded(b),
        };
        files.push(OutFile { path, data });
    }
    files
}

/// The search index files (`pagefind/…`).
pub fn search_files(c: &Compiled, root: &Path) -> Result<Vec<OutFile>, Diagnostics> {
    crate::search::build(root, &c.site, &c.theme).map_err(|msg| {
        let mut d = Diagnostics::new();
        d.push(Diagnostic::error("pagefind", msg));
        d
    })
}

/// Builds the site into the output folder. A site with problems reports
/// every one of them, exactly as [`check`] does, and writes nothing.
pub fn build(opts: &Options) -> Result<Report, Error> {
    let out_dir = opts.output_dir();
    output::check_output_dir(&opts.root, &out_dir).map_err(Error::Usage)?;
    let lock = cache_lock(&opts.root)?;
    let mut c = compile(opts, images::Mode::Make)?;
    if c.diagnostics.has_errors(opts.strict) {
        return Err(Error::Site(check_compiled(&c, opts)));
    }
    let t = Instant::now();
    let sink = Sink::for_output(&out_dir).map_err(|e| Error::Io(format!("{}: {e}", out_dir.display())))?;
    let rendered = match render_site(&c, &opts.root, &sink) {
        Ok(r) => r,
        Err(e) => {
            sink.abort();
            return Err(match e {
                Error::Site(d) => {
                    let mut all = c.diagnostics.clone();
                    all.extend(d);
                    Error::Site(finish(all, opts.strict))
                }
                other => other,
            });
        }
    };
    c.timings.push(("render", t.elapsed()));
    c.timings.push(("search", rendered.search_time));
    let files = rendered.all.len();
    let t = Instant::now();
    let stats = sink
        .finish(&out_dir, rendered.kept, rendered.all)
        .map_err(|e| Error::Io(format!("writing {}: {e}", out_dir.display())))?;
    c.timings.push(("write", t.elapsed()));
    images::prune_cache(&opts.root, &c.image_copies, lock);
    let images = (c.images_decoded, c.images_encoded);
    let events = crate::meetings::report(&c.site, &c.derived.timetables);
    Ok(Report { diagnostics: c.diagnostics, pages: rendered.pages, files, stats, timings: c.timings, images, events })
}

/// The shared hold on `.gotong-cache/` for one run.
fn cache_lock(root: &Path) -> Result<crate::cache::Lock, Error> {
    crate::cache::Lock::shared(root)
        .map_err(|e| Error::Io(format!("{}/{}: cannot use the cache: {e}", root.display(), crate::cache::DIR)))
}

/// Every problem of a compiled site: its content problems, then template
/// errors and broken links from rendering every page (writing nothing).
fn check_compiled(c: &Compiled, opts: &Options) -> Diagnostics {
    let mut diags = c.diagnostics.clone();
    if let Err(Error::Site(d)) = render_site(c, &opts.root, &Sink::Discard) {
        diags.extend(d);
    }
    finish(diags, opts.strict)
}

/// Validates everything `build` validates, renders every page (to catch
/// template errors and broken links) and writes nothing. Returns every
/// problem found: the same ones `build` reports.
pub fn check(opts: &Options) -> Result<Diagnostics, Error> {
    check_root(&opts.root)?;
    // Check only reads the cache, and writes nothing: no lock file is made.
    let _lock = crate::cache::Lock::shared_if_present(&opts.root);
    match compile(opts, images::Mode::Verify) {
        Ok(c) => Ok(check_compiled(&c, opts)),
        Err(Error::Site(d)) => Ok(d),
        Err(e) => Err(e),
    }
}
