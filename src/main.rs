//! The `gotong` command line: parses arguments and calls the library.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};
use gotong::build::{self, Error};
use gotong::diagnostics::{self, Diagnostics, Failure, Format};

/// Static site generator for the product catalogue of Kota Cimahi's small
/// and medium industries.
#[derive(Parser)]
#[command(name = "gotong", version, about, long_about = None)]
struct Cli {
    /// Folder holding site.yaml.
    #[arg(long, global = true, default_value = ".", value_name = "DIR")]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (atomically: a failed build
    /// leaves the previous output untouched).
    Build {
        /// Output folder [default: <root>/public].
        #[arg(long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Include drafts.
        #[arg(long)]
        drafts: bool,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
        /// Override site.yaml's base_url.
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
    },
    /// Build the site in memory, serve it, watch the files and reload the
    /// browser on every change; errors are shown in the page.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1", value_name = "ADDRESS")]
        bind: std::net::IpAddr,
        /// Port to listen on.
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Include drafts.
        #[arg(long)]
        drafts: bool,
    },
    /// Check content, templates and internal links; write nothing.
    Check {
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
        /// Output format of the report.
        #[arg(long, value_enum, default_value_t = FormatArg::Human)]
        format: FormatArg,
        /// Include drafts.
        #[arg(long)]
        drafts: bool,
    },
    /// Publish the built output folder to object storage (S3, GCS, Azure)
    /// or a mirror folder, uploading only what changed (docs/publishing.md).
    Deploy {
        /// Target name from site.yaml's deploy.targets [default: the first].
        #[arg(long, value_name = "NAME")]
        target: Option<String>,
        /// The built output folder [default: <root>/public].
        #[arg(long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// List what would be uploaded and deleted; change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Upload every file, whatever the target holds.
        #[arg(long)]
        force: bool,
        /// Refuse to deploy when more than N objects would be deleted; -1 for no
        /// limit [default: the target's max_deletes, else 256].
        #[arg(long, value_name = "N", allow_negative_numbers = true,
              value_parser = clap::value_parser!(i64).range(-1..))]
        max_deletes: Option<i64>,
        /// Requests in flight at once.
        #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=256))]
        workers: u16,
        /// Print the URL paths of the uploaded and deleted files on standard
        /// output, one a line, for a CDN invalidation.
        #[arg(long)]
        print_changed: bool,
    },
    /// Write JSON Schemas (draft 2020-12) of site.yaml, profile.yaml,
    /// product front matter, vocabulary.yaml and event files, for editors'
    /// tools (docs/editors.md).
    Schema {
        /// Folder to write into [default: <root>/.gotong/schema].
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Turn a spreadsheet register (.xlsx, .ods, .xls, .csv) into firm
    /// profiles; every problem is named by its cell (docs/import.md).
    Import {
        /// The register file.
        sheet: PathBuf,
        /// The sheet to read [default: the first with a recognisable header].
        #[arg(long = "sheet", value_name = "NAME")]
        sheet_name: Option<String>,
        /// Column mapping, value maps and defaults (docs/import.md).
        #[arg(long, value_name = "MAP.yaml")]
        map: Option<PathBuf>,
        /// Report what would be written; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Update firms that already exist (only the fields the sheet gives).
        #[arg(long)]
        update: bool,
        /// Print the mapping that would be used, as a MAP.yaml, and stop.
        #[arg(long)]
        print_map: bool,
    },
    /// Scaffold a firm, a product or an event.
    New {
        #[command(subcommand)]
        what: New,
    },
}

#[derive(Subcommand)]
enum New {
    /// Create content/firms/<slug>/profile.yaml from a commented template.
    Firm {
        /// Folder name of the firm (lowercase letters, digits, hyphens).
        slug: String,
    },
    /// Create content/firms/<firm>/products/<slug>.md from a commented template.
    Product {
        /// <firm>/<product>, e.g. rasa-cireundeu/rasi.
        spec: String,
    },
    /// Create content/events/<slug>.yaml (a business meeting) from a commented template.
    Event {
        /// File name of the event (lowercase letters, digits, hyphens).
        slug: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Human,
    Json,
    Github,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Human => Format::Human,
            FormatArg::Json => Format::Json,
            FormatArg::Github => Format::Github,
        }
    }
}

fn print_diagnostics(d: &Diagnostics, format: Format, strict: bool) {
    let text = diagnostics::render(d, format, strict);
    if !text.is_empty() {
        eprint!("{text}");
    }
}

fn summary_line(d: &Diagnostics) -> String {
    let (e, w) = d.counts();
    format!("{e} error{}, {w} warning{}", if e == 1 { "" } else { "s" }, if w == 1 { "" } else { "s" })
}

fn run_build(root: PathBuf, output: Option<PathBuf>, drafts: bool, strict: bool, base_url: Option<String>) -> ExitCode {
    let terminal = std::io::stderr().is_terminal();
    let started = Instant::now();
    let opts = build::Options { root, output, drafts, strict, base_url };
    match build::build(&opts) {
        Ok(report) => {
            print_diagnostics(&report.diagnostics, Format::Human, strict);
            // What each business meeting's schedule achieved: organisers read
            // it in CI logs too.
            for line in &report.events {
                eprintln!("{line}");
            }
            if std::env::var_os("GOTONG_TIMINGS").is_some() {
                for (stage, t) in &report.timings {
                    eprintln!("{stage:>10}: {:>8.1} ms", t.as_secs_f64() * 1000.0);
                }
                eprintln!("    images: {} decoded, {} copies encoded", report.images.0, report.images.1);
            }
            if terminal {
                eprintln!(
                    "built {} pages ({} files: {} written, {} unchanged, {} removed) into {} in {:.2?}",
                    report.pages,
                    report.files,
                    report.stats.written,
                    report.stats.unchanged,
                    report.stats.removed,
                    opts.output_dir().display(),
                    started.elapsed()
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(e, Format::Human, strict),
    }
}

fn fail(e: Error, format: Format, strict: bool) -> ExitCode {
    match e {
        Error::Usage(msg) => {
            print!("{}", diagnostics::render_failure(Failure::Usage, &msg, format));
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
        Error::Site(d) => {
            match format {
                Format::Human => print_diagnostics(&d, format, strict),
                _ => print!("{}", diagnostics::render(&d, format, strict)),
            }
            if format == Format::Human {
                eprintln!("error: the site has problems ({}); nothing was written", summary_line(&d));
            }
            ExitCode::from(1)
        }
        Error::Io(msg) => {
            print!("{}", diagnostics::render_failure(Failure::Io, &msg, format));
            eprintln!("error: {msg}");
            ExitCode::from(1)
        }
    }
}

/// The `--format` of `gotong check` in the raw arguments, for a command
/// line clap refused (so that a machine format still gets its report).
fn format_in_args() -> Format {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if !args.iter().any(|a| a == "check") {
        return Format::Human;
    }
    let value = args.iter().enumerate().find_map(|(i, a)| match a.strip_prefix("--format") {
        Some("") => args.get(i + 1).map(String::as_str),
        Some(v) => v.strip_prefix('='),
        None => None,
    });
    match value {
        Some("json") => Format::Json,
        Some("github") => Format::Github,
        _ => Format::Human,
    }
}

fn deploy_summary(r: &gotong::deploy::Report) -> String {
    let bytes = gotong::deploy::human_bytes(r.upload_bytes);
    if r.dry_run {
        format!(
            "dry run of `{}` ({}): would upload {} ({bytes}) and delete {}; {} unchanged; nothing was changed",
            r.target,
            r.url,
            r.uploads.len(),
            r.deletes.len(),
            r.unchanged
        )
    } else {
        format!(
            "deploy to `{}` ({}): {} uploaded ({bytes}), {} deleted, {} unchanged, in {:.2?}",
            r.target,
            r.url,
            r.uploads.len(),
            r.deletes.len(),
            r.unchanged,
            r.elapsed
        )
    }
}

fn print_deploy_lists(r: &gotong::deploy::Report, print_changed: bool) {
    use gotong::deploy::Why;
    if print_changed {
        for p in r.invalidation_paths() {
            println!("{p}");
        }
    } else if r.dry_run {
        for (p, why) in &r.uploads {
            let why = match why {
                Why::New => "new",
                Why::Changed => "changed",
                Why::Forced => "forced",
            };
            println!("upload {p} ({why})");
        }
        for p in &r.deletes {
            println!("delete {p}");
        }
    }
}

fn run_deploy(opts: gotong::deploy::Options, print_changed: bool) -> ExitCode {
    use gotong::deploy::{self, Error as E};
    match deploy::deploy(&opts) {
        Ok(report) => {
            print_deploy_lists(&report, print_changed);
            eprintln!("{}", deploy_summary(&report));
            ExitCode::SUCCESS
        }
        Err(E::Usage(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
        Err(E::Site(d)) => {
            print_diagnostics(&d, Format::Human, false);
            eprintln!("error: site.yaml has problems ({}); nothing was deployed", summary_line(&d));
            ExitCode::from(1)
        }
        Err(E::Failed { message, report }) => {
            print_deploy_lists(&report, print_changed);
            eprintln!("error: {message}");
            if !report.dry_run && (!report.uploads.is_empty() || !report.deletes.is_empty()) {
                eprintln!("{} (before it stopped)", deploy_summary(&report));
            }
            ExitCode::from(1)
        }
    }
}

/// `gotong import`: problems to stderr, the summary (or the map) to
/// stdout. Exit 0, 1 when a row has errors or nothing could be imported,
/// 2 on wrong usage (also for errors in MAP.yaml).
fn run_import(opts: &gotong::import::Options, print_map: bool) -> ExitCode {
    use gotong::import::{self, Error as ImportError};
    let result = if print_map {
        import::print_map(opts).map(|(map, report)| {
            print!("{map}");
            report
        })
    } else {
        import::run(opts)
    };
    match result {
        Ok(report) => {
            eprint!("{}", report.render_problems());
            if !print_map {
                println!("{}", report.summary());
            }
            if report.has_errors() || (!print_map && report.nothing_importable()) {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(ImportError::Usage(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
        Err(ImportError::Map(diags)) => {
            let mut d = Diagnostics::new();
            d.extend(diags);
            print_diagnostics(&d, Format::Human, false);
            eprintln!("error: the mapping file has problems ({}); nothing was imported", summary_line(&d));
            ExitCode::from(2)
        }
        Err(ImportError::Io(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::from(1)
        }
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            if e.use_stderr() {
                let text = e.render().to_string();
                let msg = text.lines().next().unwrap_or_default();
                let msg = msg.strip_prefix("error: ").unwrap_or(msg);
                print!("{}", diagnostics::render_failure(Failure::Usage, msg, format_in_args()));
            }
            e.exit()
        }
    };
    match cli.command {
        Command::Build { output, drafts, strict, base_url } => {
            if let Err(e) = build::check_root(&cli.root) {
                return fail(e, Format::Human, false);
            }
            keep_freed_memory();
            run_build(cli.root, output, drafts, strict, base_url)
        }
        Command::Serve { bind, port, drafts } => {
            if let Err(e) = build::check_root(&cli.root) {
                return fail(e, Format::Human, false);
            }
            match gotong::serve::run(&gotong::serve::Options { root: cli.root, bind, port, drafts }) {
                Ok(()) => ExitCode::SUCCESS,
                Err(msg) => {
                    eprintln!("error: {msg}");
                    ExitCode::from(1)
                }
            }
        }
        Command::Deploy { target, output, dry_run, force, max_deletes, workers, print_changed } => {
            let opts = gotong::deploy::Options {
                root: cli.root,
                output,
                target,
                dry_run,
                force,
                max_deletes,
                workers: usize::from(workers),
                progress: std::io::stderr().is_terminal(),
            };
            run_deploy(opts, print_changed)
        }
        Command::Schema { out } => {
            let (dir, written) = match out {
                // A folder the user names is theirs to choose.
                Some(d) => (d.clone(), gotong::schema::write_all(&d)),
                None => {
                    if let Err(e) = build::check_root(&cli.root) {
                        return fail(e, Format::Human, false);
                    }
                    (gotong::schema::default_dir(&cli.root), gotong::schema::write_default(&cli.root))
                }
            };
            match written {
                Ok(files) => {
                    let written = files.iter().filter(|(_, w)| *w).count();
                    for (path, w) in &files {
                        if *w {
                            println!("wrote {}", path.display());
                        }
                    }
                    eprintln!(
                        "{} schemas in {} ({written} written, {} unchanged)",
                        files.len(),
                        dir.display(),
                        files.len() - written
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: writing schemas into {}: {e}", dir.display());
                    ExitCode::from(1)
                }
            }
        }
        Command::New { what } => {
            // Scaffolding beside no site.yaml would write content where no
            // build reads it (a mistyped --root, the wrong folder).
            if let Err(e) = build::check_root(&cli.root) {
                return fail(e, Format::Human, false);
            }
            let made = match what {
                New::Firm { slug } => gotong::scaffold::new_firm(&cli.root, &slug),
                New::Product { spec } => gotong::scaffold::new_product(&cli.root, &spec),
                New::Event { slug } => gotong::scaffold::new_event(&cli.root, &slug),
            };
            match made {
                Ok(path) => {
                    println!("created {}", path.display());
                    ExitCode::SUCCESS
                }
                Err(gotong::scaffold::Refused(msg)) => {
                    eprintln!("error: {msg}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Import { sheet, sheet_name, map, dry_run, update, print_map } => {
            let opts = gotong::import::Options {
                root: cli.root,
                sheet_path: sheet,
                sheet: sheet_name,
                map,
                dry_run,
                update,
                // The year `gotong check` uses (SOURCE_DATE_EPOCH, else the clock).
                this_year: gotong::model::Date::build_day().year,
            };
            run_import(&opts, print_map)
        }
        Command::Check { strict, format, drafts } => {
            keep_freed_memory();
            let format: Format = format.into();
            let mut opts = build::Options::new(cli.root);
            opts.strict = strict;
            opts.drafts = drafts;
            match gotong::build::check(&opts) {
                Ok(d) => {
                    // Human reports go to stderr like build's; machine formats
                    // to stdout, where CI tools read them.
                    match format {
                        Format::Human => print_diagnostics(&d, format, strict),
                        _ => print!("{}", diagnostics::render(&d, format, strict)),
                    }
                    if d.has_errors(strict) { ExitCode::from(1) } else { ExitCode::SUCCESS }
                }
                Err(e) => fail(e, format, strict),
            }
        }
    }
}

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay`, by its place in the allocator's
/// option enum (the same in its versions 2 and 3; `libmimalloc-sys` names
/// no constant for it). The test below checks it.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// A build or check is a batch that ends in seconds, and the memory it
/// frees is soon allocated again: returning it to the system (mimalloc
/// does so for memory free for a second) only makes the kernel zero it
/// again on the next touch. At 10,000 firms that was 10,000 page faults
/// and about 2 s of system time (docs/performance.md, section 10). The
/// preview server, which runs for hours, keeps the default.
fn keep_freed_memory() {
    // SAFETY: mi_option_set only stores the value of a known option.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}

#[cfg(test)]
mod tests {
    /// Option 15 is the purge delay: its default is the 1,000 ms that
    /// mimalloc 3 documents for it (10 ms in mimalloc 2), unless the
    /// environment sets it.
    #[test]
    fn option_15_is_the_purge_delay() {
        // SAFETY: mi_option_get only reads the value of a known option.
        let delay = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
        match std::env::var("MIMALLOC_PURGE_DELAY") {
            Ok(v) => assert_eq!(v.parse::<std::os::raw::c_long>().ok(), Some(delay)),
            Err(_) => assert!(delay == 1000 || delay == 10, "option 15 is {delay}"),
        }
    }
}
