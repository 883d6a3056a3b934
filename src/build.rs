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
use crate::output::{self, Data, OutFile, Stats};
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
    /// Copies encoded by this run (0 when the cache had them all).
    pub images_encoded: usize,
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

fn finish(mut diags: Diagnostics, strict: bool) -> Result<Diagnostics, Error> {
    diags.sort();
    if strict {
        diags.promote_warnings();
    }
    if diags.has_errors(false) { Err(Error::Site(diags)) } else { Ok(diags) }
}

/// Loads, validates and derives. With `keep_going`, content errors do not
/// stop it as long as a site model exists (for `check`, which reports them
/// and still checks links).
pub fn compile(opts: &Options, keep_going: bool) -> Result<Compiled, Error> {
    check_root(&opts.root)?;
    let mut timings = Vec::new();
    let t = Instant::now();
    // Walking the content and asking git for dates are independent.
    let (loaded, dates) = rayon::join(|| load::load(&opts.root), || history::read(&opts.root));
    timings.push(("load", t.elapsed()));

    let t = Instant::now();
    if let Some(url) = &opts.base_url {
        if !crate::config::is_http_url(url) {
            return Err(Error::Usage(format!("--base-url must be an absolute http or https URL, found `{url}`")));
        }
    }
    let vopts = validate::Options {
        root: &opts.root,
        drafts: opts.drafts,
        this_year: Date::today().year,
        base_url: opts.base_url.clone(),
    };
    let (site, diags) = validate::validate(&loaded, &vopts);
    let mut diagnostics = Diagnostics::new();
    diagnostics.extend(diags);
    timings.push(("validate", t.elapsed()));

    let Some(mut site) = site else {
        // Without a usable site.yaml there is nothing more to check.
        diagnostics.sort();
        if opts.strict {
            diagnostics.promote_warnings();
        }
        return Err(Error::Site(diagnostics));
    };
    history::apply(&mut site, &dates);
    let (theme, theme_diags) = theme::load(&opts.root, &site.config.theme);
    diagnostics.extend(theme_diags);
    if !keep_going {
        diagnostics = finish(diagnostics, opts.strict)?;
    }

    let t = Instant::now();
    let derived = derive::derive(&site);
    timings.push(("derive", t.elapsed()));
    let t = Instant::now();
    let mode = if keep_going { images::Mode::Verify } else { images::Mode::Make };
    let processed = images::process(&opts.root, &site, mode, None);
    diagnostics.extend(processed.diags);
    if !keep_going {
        diagnostics = finish(diagnostics, opts.strict)?;
    }
    timings.push(("images", t.elapsed()));
    Ok(Compiled {
        site,
        derived,
        theme,
        variants: processed.variants,
        image_copies: processed.copies,
        images_encoded: processed.encoded,
        diagnostics,
        timings,
    })
}

/// Every file of the site, rendered in memory, with every internal link
/// checked. Returns the files and the number of HTML pages.
pub fn render_site(c: &Compiled, root: &Path) -> Result<(Vec<OutFile>, usize), Diagnostics> {
    let as_diags = |d: Vec<Diagnostic>| {
        let mut ds = Diagnostics::new();
        ds.extend(d);
        ds.sort();
        ds
    };
    let templates = Templates::compile(&c.theme).map_err(as_diags)?;
    let editions = Editions::build(&c.site, &c.derived, &c.theme, &c.variants, None);
    let renderer = Renderer::new(&c.site, &c.derived, &c.theme, &c.variants, &templates, &editions);
    let jobs = renderer.jobs();
    // Every path the build writes is known before rendering, so links can
    // be checked as each page renders.
    let mut files = other_files(c, root, &renderer, &jobs);
    files.extend(search_files(c)?);
    let mut known: HashSet<String> = files.iter().map(|f| f.path.clone()).collect();
    known.extend(jobs.iter().map(|&j| renderer.output_path(j)));
    let checker = links::Checker::new(&known, &c.site.config.base_url);
    let (mut problems, reported) = links::check_markdown(&checker, links::markdown_docs(&c.site));

    let results: Vec<Result<(OutFile, Vec<Diagnostic>), Diagnostic>> = jobs
        .par_iter()
        .map(|&job| {
            let html = renderer.render(job)?;
            let path = renderer.output_path(job);
            let page = renderer.url_path(job);
            let broken = links::extract(&html)
                .into_iter()
                .filter(|u| !reported.contains(u))
                .filter_map(|u| {
                    checker.check(&u, &page).err().map(|why| links::report_page_link(&c.theme, &path, &u, &why))
                })
                .collect();
            Ok((OutFile { path, data: Data::Bytes(html.into_bytes()) }, broken))
        })
        .collect();
    let pages = results.len();
    files.reserve(pages);
    for r in results {
        match r {
            Ok((f, broken)) => {
                files.push(f);
                problems.extend(broken);
            }
            Err(d) => problems.push(d),
        }
    }
    if !problems.is_empty() {
        return Err(as_diags(problems));
    }
    Ok((files, pages))
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
    files
}

/// The search index files (`pagefind/…`).
pub fn search_files(c: &Compiled) -> Result<Vec<OutFile>, Diagnostics> {
    crate::search::build(&c.site, &c.derived, &c.theme).map_err(|msg| {
        let mut d = Diagnostics::new();
        d.push(Diagnostic::error("pagefind", msg));
        d
    })
}

/// Builds the site into the output folder.
pub fn build(opts: &Options) -> Result<Report, Error> {
    let out_dir = opts.output_dir();
    output::check_output_dir(&opts.root, &out_dir).map_err(Error::Usage)?;
    let mut c = compile(opts, false)?;
    let t = Instant::now();
    let (files, pages) = render_site(&c, &opts.root).map_err(|d| {
        let mut all = c.diagnostics.clone();
        all.extend(d);
        all.sort();
        Error::Site(all)
    })?;
    c.timings.push(("render", t.elapsed()));
    let count = files.len();
    let t = Instant::now();
    let plan = output::diff(&out_dir, files);
    c.timings.push(("compare", t.elapsed()));
    let t = Instant::now();
    let stats = output::commit(&out_dir, plan).map_err(|e| Error::Io(format!("writing {}: {e}", out_dir.display())))?;
    c.timings.push(("write", t.elapsed()));
    images::prune_cache(&opts.root, &c.image_copies);
    Ok(Report { diagnostics: c.diagnostics, pages, files: count, stats, timings: c.timings })
}

/// Validates everything `build` validates, renders every page (to catch
/// template errors) and writes nothing. Returns every problem found.
pub fn check(opts: &Options) -> Result<Diagnostics, Error> {
    let c = match compile(opts, true) {
        Ok(c) => c,
        Err(Error::Site(d)) => return Ok(d),
        Err(e) => return Err(e),
    };
    let mut diags = c.diagnostics.clone();
    if let Err(d) = render_site(&c, &opts.root) {
        diags.extend(d);
    }
    diags.sort();
    if opts.strict {
        diags.promote_warnings();
    }
    Ok(diags)
}
