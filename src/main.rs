//! The `gotong` command line: parses arguments and calls the library.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};
use gotong::build::{self, Error};
use gotong::diagnostics::{self, Diagnostics, Format};

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
    /// Scaffold a firm or a product.
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
            eprintln!("error: {msg}");
            ExitCode::from(1)
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build { output, drafts, strict, base_url } => run_build(cli.root, output, drafts, strict, base_url),
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
        Command::New { what } => {
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
        Command::Check { strict, format, drafts } => {
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
