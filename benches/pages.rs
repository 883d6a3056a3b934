//! What each kind of page costs to render, on one thread.
//!
//! `cargo bench --bench pages -- SITE [ROUNDS]` compiles the catalogue at
//! SITE (for example one made by `benches/gen_catalogue.py`), then renders
//! every page of the site ROUNDS times (default 3) on the calling thread,
//! without writing anything, and prints per kind of page the median total
//! and the time per page of `Renderer::render_page` (the HTML, the links
//! it holds and, for a proposal page, its Word file), what scanning the
//! whole page for links costs on top (a build scans a proposal page
//! without its letters, inside `render_page`), and the bytes made (HTML
//! and Word file). The proposal page's Word file is also timed on its own
//! (drafts made again, then written as Word). One thread, so that the
//! figures add up to CPU time and do not depend on how rayon splits the
//! work; the machine's speed varies between runs, so compare binaries in
//! the same run (docs/performance.md, section 9).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use gotong::render::{Editions, Job, Renderer, Templates};

// The allocator of the `gotong` binary, so that allocation costs as much
// as in a build.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Default, Clone, Copy)]
struct Cost {
    pages: usize,
    render: Duration,
    docx: Duration,
    links: Duration,
    bytes: usize,
    docx_bytes: usize,
}

fn kind(job: Job) -> &'static str {
    match job {
        Job::Home => "home",
        Job::Firm(_) => "firm",
        Job::Product(..) => "product",
        Job::Partners(_) => "partners",
        Job::Listing(..) => "listing",
        Job::Terms(_) => "terms",
        Job::Page(_) => "page",
        Job::Search => "search",
        Job::NotFound => "404",
        Job::Profile(_) => "profile",
        Job::Proposal(_) => "proposal",
        Job::Events => "events",
        Job::Event(_) => "event",
        Job::Agenda(..) => "agenda",
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let Some(root) = args.first() else {
        eprintln!("usage: cargo bench --bench pages -- SITE [ROUNDS]");
        std::process::exit(2);
    };
    let rounds: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(3).max(1);
    let opts = gotong::build::Options::new(root);
    let c = match gotong::build::compile(&opts, gotong::images::Mode::Make) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("the site does not compile: {e:?}");
            std::process::exit(1);
        }
    };
    let Ok(templates) = Templates::compile(&c.theme) else {
        eprintln!("the theme's templates do not compile");
        std::process::exit(1);
    };
    let editions = Editions::build(&c.site, &c.derived, &c.theme, &c.variants, None);
    let renderer = Renderer::new(&c.site, &c.derived, &c.theme, &c.variants, &templates, &editions);
    let jobs = renderer.jobs();

    let mut runs: Vec<BTreeMap<&'static str, Cost>> = Vec::new();
    for _ in 0..rounds {
        let mut costs: BTreeMap<&'static str, Cost> = BTreeMap::new();
        for &job in &jobs {
            let t = Instant::now();
            let Ok(page) = renderer.render_page(job, true) else {
                eprintln!("a page does not render: {}", renderer.url_path(job));
                std::process::exit(1);
            };
            let render = t.elapsed();
            // What the link scan of the whole page would cost (render_page
            // scans a proposal page without its letters).
            let t = Instant::now();
            std::hint::black_box(gotong::links::extract(&page.html));
            let links = t.elapsed();
            let (html, docx) = (page.html, page.docx);
            let c = costs.entry(kind(job.1)).or_default();
            c.pages += 1;
            c.render += render;
            c.links += links;
            c.bytes += html.len();
            c.docx_bytes += docx.as_ref().map_or(0, Vec::len);
            if let Job::Proposal(_) = job.1 {
                // The Word file on its own (render_page makes the drafts once
                // for both).
                let t = Instant::now();
                let again = renderer.docx(job);
                c.docx += t.elapsed();
                std::hint::black_box(again);
            }
        }
        runs.push(costs);
    }
    let median = |f: &dyn Fn(&Cost) -> Duration, k: &str| -> Duration {
        let mut v: Vec<Duration> = runs.iter().map(|r| r.get(k).map_or(Duration::ZERO, f)).collect();
        v.sort();
        v[v.len() / 2]
    };
    println!("{} pages, {} firms, median of {rounds} rounds on one thread", jobs.len(), c.site.firms.len());
    println!();
    println!(
        "| page kind | pages | render_page (ms) | per page (µs) | whole-page link scan (ms) | KB per page | Word file alone (ms) |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    let (mut total_render, mut total_links) = (Duration::ZERO, Duration::ZERO);
    for (k, c) in &runs[0] {
        let render = median(&|c| c.render, k);
        let links = median(&|c| c.links, k);
        total_render += render;
        total_links += links;
        let docx =
            if c.docx.is_zero() { String::new() } else { format!("{:.0}", median(&|c| c.docx, k).as_secs_f64() * 1e3) };
        println!(
            "| {k} | {} | {:.0} | {:.0} | {:.0} | {:.1} | {docx} |",
            c.pages,
            render.as_secs_f64() * 1e3,
            render.as_secs_f64() * 1e6 / c.pages as f64,
            links.as_secs_f64() * 1e3,
            (c.bytes + c.docx_bytes) as f64 / c.pages as f64 / 1024.0,
        );
    }
    println!(
        "| all | {} | {:.0} | | {:.0} | | |",
        jobs.len(),
        total_render.as_secs_f64() * 1e3,
        total_links.as_secs_f64() * 1e3
    );
    parts(&renderer, &jobs, rounds);
}

/// The parts of the pages SPEC 11 adds, each timed over every firm: the
/// drafts, the letters' HTML, the Word files from the drafts, the QR codes.
fn parts(renderer: &Renderer<'_>, jobs: &[gotong::render::LangJob], rounds: usize) {
    let proposals: Vec<_> =
        jobs.iter().filter_map(|&(l, j)| if let Job::Proposal(f) = j { Some((l, f)) } else { None }).collect();
    let mut rows: Vec<(&str, Vec<Duration>)> = ["drafts", "letters as HTML", "Word files from the drafts", "QR codes"]
        .iter()
        .map(|k| (*k, Vec::new()))
        .collect();
    for _ in 0..rounds {
        let mut t = [Duration::ZERO; 4];
        for &(lang, fi) in &proposals {
            let cx = renderer.view_context(lang);
            let s = Instant::now();
            let drafts = gotong::proposal::drafts(&cx, fi);
            t[0] += s.elapsed();
            let s = Instant::now();
            for d in &drafts {
                std::hint::black_box(gotong::proposal::html(d, "isian"));
            }
            t[1] += s.elapsed();
            let s = Instant::now();
            std::hint::black_box(gotong::docx::document(&drafts, "proposal", gotong::model::Lang::Id));
            t[2] += s.elapsed();
            let url = cx.urls.absolute(&format!("/usaha/{}/", cx.site.firms[fi].slug));
            let s = Instant::now();
            std::hint::black_box(gotong::proposal::qr_svg(&url));
            t[3] += s.elapsed();
        }
        for (row, d) in rows.iter_mut().zip(t) {
            row.1.push(d);
        }
    }
    println!();
    println!("| part of SPEC 11, {} firms | total (ms) | per firm (µs) |", proposals.len());
    println!("|---|---:|---:|");
    for (k, mut v) in rows {
        v.sort();
        let m = v[v.len() / 2];
        println!(
            "| {k} | {:.0} | {:.0} |",
            m.as_secs_f64() * 1e3,
            m.as_secs_f64() * 1e6 / proposals.len().max(1) as f64
        );
    }
}
