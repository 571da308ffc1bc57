//! The `brief` command line: parses arguments, runs a step, and renders
//! diagnostics (file:line: error: …) at the edge.

use brief::build::{self, BuildOptions};
use brief::diagnostic::{BuildError, Diagnostic, Diagnostics};
use brief::term::{colored, print_warnings, Term};
use clap::{Parser, Subcommand};
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "brief",
    version,
    about = "Compile a Serious and Organised Crime Local Profile into one marked, audience-filtered static site per edition"
)]
struct Cli {
    /// The profile's folder (holding brief.yaml and content/). Default: the
    /// current folder or the nearest folder above it that holds brief.yaml.
    #[arg(long, global = true)]
    root: Option<PathBuf>,
    /// Print only errors (no progress line, no summary).
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print more: every warning, timings of each step.
    #[arg(long, short, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build every edition into public/<edition>/ and the owner's reports (JSON and HTML) into reports/.
    Build {
        /// The profile's folder (instead of --root).
        dir: Option<PathBuf>,
        /// Also build unapproved editions and draft sections; every page is stamped DRAFT.
        #[arg(long)]
        draft: bool,
        /// Output folder (default: public/ in the profile's folder).
        #[arg(long, short)]
        out: Option<PathBuf>,
    },
    /// Preview every edition on http://127.0.0.1:1111/, rebuilding and reloading as you edit. Writes nothing.
    Serve {
        /// The profile's folder (instead of --root).
        dir: Option<PathBuf>,
        /// Port to listen on (0: any free port).
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// Address to listen on. Anything but loopback exposes every edition to the network.
        #[arg(long, short, default_value = "127.0.0.1")]
        bind: IpAddr,
        /// Preview unapproved editions and draft sections too.
        #[arg(long)]
        draft: bool,
        /// Wait this many milliseconds after a change before rebuilding.
        #[arg(long, default_value_t = 50)]
        debounce_ms: u64,
        /// Open the preview in your browser.
        #[arg(long, short)]
        open: bool,
    },
    /// Check the profile as `build` would, and against the guide's expectations, without writing anything.
    Check {
        /// The profile's folder (instead of --root).
        dir: Option<PathBuf>,
        /// Check as `build --draft` would: unapproved editions and drafts become warnings.
        #[arg(long)]
        draft: bool,
        /// Treat every warning as an error (exit code 1).
        #[arg(long)]
        strict: bool,
    },
    /// Show what edition A holds that edition B does not, section by section.
    Diff {
        /// The edition holding more (e.g. partnership).
        a: String,
        /// The edition to compare it with (e.g. elected-members).
        b: String,
        /// Include unapproved editions and draft sections, as `build --draft` does.
        #[arg(long)]
        draft: bool,
    },
    /// Issue numbered, marked copies of an edition into copies/EDITION/, one per recipient; list or withdraw them.
    Copies {
        /// The edition to copy (e.g. elected-members); with --list or --withdraw, only that edition's copies.
        edition: Option<String>,
        /// CSV or YAML file of recipients: name, organisation, role, email or location, retain_until (optional).
        #[arg(long, value_name = "FILE", required_unless_present_any = ["list", "withdraw"], requires = "edition")]
        recipients: Option<PathBuf>,
        /// Also write each copy as copies/EDITION/NNN-name.zip.
        #[arg(long, requires = "recipients")]
        zip: bool,
        /// The date of issue printed on the copies (default: today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
        /// Print the dissemination log: every copy issued, and which are withdrawn.
        #[arg(long, conflicts_with_all = ["recipients", "withdraw"])]
        list: bool,
        /// Record in the log that copy N is withdrawn (needs --reason).
        #[arg(long, value_name = "N", requires = "reason", conflicts_with = "recipients")]
        withdraw: Option<u32>,
        /// Why the copy is withdrawn.
        #[arg(long, requires = "withdraw")]
        reason: Option<String>,
    },
    /// Audit an edition's folder, a copy's folder or zip, or one page: changes since issue, withheld text, markings, outside loads, inline script.
    Verify {
        /// public/EDITION, copies/EDITION/NNN-name (or its .zip), or a page.
        path: PathBuf,
        /// The manifest to check against (default: found in the profile's reports/ and issued/).
        #[arg(long, value_name = "FILE")]
        manifest: Option<PathBuf>,
    },
    /// Make a starter profile in DIR (which must be missing or empty) that builds at once.
    New {
        /// The folder to create.
        dir: PathBuf,
    },
}

/// The profile's folder: as given, or the nearest folder from here up that holds brief.yaml.
fn find_root(given: Option<PathBuf>) -> PathBuf {
    if let Some(g) = given {
        return g;
    }
    let here = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    here.ancestors()
        .find(|d| d.join(brief::config::CONFIG_FILE).is_file())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn print_all(d: &Diagnostics, term: &Term) {
    for x in &d.0 {
        eprintln!("{}", colored(x, term.color));
    }
}

fn fail(d: Diagnostic, term: &Term) -> ExitCode {
    eprintln!("{}", colored(&d, term.color));
    ExitCode::FAILURE
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn build(root: PathBuf, draft: bool, out: Option<PathBuf>, term: &Term) -> ExitCode {
    let mut opts = BuildOptions::new(&root);
    opts.draft = draft;
    if let Some(o) = out {
        opts.out = o;
    }
    let started = std::time::Instant::now();
    let progress = term.progress();
    let result = build::build_with(&opts, &progress);
    progress.finish();
    let summary = match result {
        Ok(s) => s,
        Err(BuildError::Invalid(d)) => {
            print_all(&Diagnostics(d.errors().cloned().collect()), term);
            let n = d.errors().count();
            eprintln!("{}: {}; nothing was written", term.paint("build failed", "1;31"), plural(n, "error", "errors"));
            return ExitCode::FAILURE;
        }
        Err(e @ BuildError::Io { .. }) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    if term.quiet {
        return ExitCode::SUCCESS;
    }
    print_warnings(&summary.warnings, term);
    if term.verbose || std::env::var_os("BRIEF_TIMINGS").is_some() {
        for (step, t) in &summary.timings {
            eprintln!("{step:>30}: {t:.2?}");
        }
        for e in &summary.editions {
            eprintln!("{:>30}: {:.2?}", format!("search index {}", e.id), e.search_index);
        }
    }
    for e in &summary.editions {
        eprintln!(
            "built {:<20} {}, {}, {}, {} withheld",
            e.id,
            plural(e.sections, "section", "sections"),
            plural(e.pages, "page", "pages"),
            plural(e.files, "file", "files"),
            plural(e.withheld, "item", "items")
        );
    }
    eprintln!(
        "{} in {:.2?} → {}{}",
        plural(summary.editions.len(), "edition", "editions"),
        started.elapsed(),
        opts.out.display(),
        if draft { " (DRAFT)" } else { "" }
    );
    if term.verbose {
        eprintln!("owner's reports → {}/<edition>.json and .html", opts.reports.display());
    }
    ExitCode::SUCCESS
}

fn check(root: PathBuf, draft: bool, strict: bool, term: &Term) -> ExitCode {
    let d = brief::check::check(&brief::check::CheckOptions { root, draft, strict });
    for x in &d.0 {
        if x.is_error() || !term.quiet {
            eprintln!("{}", colored(x, term.color));
        }
    }
    if !term.quiet || d.has_errors() {
        eprintln!("{}", brief::check::summary(&d));
    }
    if d.has_errors() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn diff(root: PathBuf, a: &str, b: &str, draft: bool, term: &Term) -> ExitCode {
    let site = match build::prepare(&root, draft, &mut build::Cache::default()) {
        Ok(s) => s,
        Err(d) => {
            print_all(&d, term);
            return ExitCode::FAILURE;
        }
    };
    match brief::diff::diff(&site, a, b) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(d) => fail(d, term),
    }
}

fn new(dir: PathBuf, term: &Term) -> ExitCode {
    match brief::scaffold::new_profile(&dir) {
        Ok(files) => {
            if !term.quiet {
                for f in &files {
                    eprintln!("  created {}", dir.join(f).display());
                }
                eprintln!(
                    "New profile in {d}. Next: `brief build {d}`, or `brief serve {d} --open` to preview as you write. The authoring guide is {d}/AUTHORING.md.",
                    d = dir.display()
                );
            }
            ExitCode::SUCCESS
        }
        Err(d) => fail(d, term),
    }
}

fn date_arg(date: Option<String>) -> Result<Option<brief::date::Date>, Diagnostic> {
    date.map(|d| {
        brief::date::Date::parse(&d).ok_or_else(|| {
            Diagnostic::error("--date", 0, format!("`{d}` is not a date"), "write it as YYYY-MM-DD, e.g. 2026-11-25")
        })
    })
    .transpose()
}

struct CopiesArgs {
    edition: Option<String>,
    recipients: Option<PathBuf>,
    zip: bool,
    date: Option<String>,
    list: bool,
    withdraw: Option<u32>,
    reason: Option<String>,
}

fn copies(root: PathBuf, a: CopiesArgs, term: &Term) -> ExitCode {
    use brief::issuing::{copies, log};
    let date = match date_arg(a.date) {
        Ok(d) => d,
        Err(d) => return fail(d, term),
    };
    let result = if a.list {
        log::read(&root).map(|entries| print!("{}", log::table(&entries, a.edition.as_deref())))
    } else if let Some(n) = a.withdraw {
        let today = date.unwrap_or_else(brief::date::Date::today);
        copies::withdraw(&root, a.edition.as_deref(), n, a.reason.as_deref().unwrap_or(""), today).map(|e| {
            eprintln!("copy {} of `{}` (issued to {}) recorded as withdrawn", e.copy, e.edition, e.recipient.name)
        })
    } else {
        let opts = copies::CopiesOptions {
            root,
            edition: a.edition.unwrap_or_default(),
            recipients: a.recipients.unwrap_or_default(),
            zip: a.zip,
            date,
        };
        copies::issue(&opts).map(|made| {
            for c in made.iter().filter(|_| !term.quiet) {
                eprintln!("issued {} → {}", c.mark, c.folder.display());
            }
        })
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(d) => {
            print_all(&d, term);
            ExitCode::FAILURE
        }
    }
}

fn verify(root: Option<PathBuf>, path: PathBuf, manifest: Option<PathBuf>, term: &Term) -> ExitCode {
    let opts = brief::issuing::verify::VerifyOptions { path, root, manifest };
    match brief::issuing::verify::verify(&opts) {
        Ok(v) => {
            println!("{}", v.what);
            for f in &v.findings {
                println!("{}: {}", f.file, f.message);
            }
            if v.findings.is_empty() {
                println!("no findings: every file is as issued, marked, and self-contained");
                ExitCode::SUCCESS
            } else {
                println!("{} in {}", plural(v.findings.len(), "finding", "findings"), v.subject);
                ExitCode::FAILURE
            }
        }
        Err(d) => {
            print_all(&d, term);
            ExitCode::FAILURE
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let term = Term::detect(cli.quiet, cli.verbose);
    let given = cli.root;
    match cli.command {
        Command::Build { dir, draft, out } => build(find_root(dir.or(given)), draft, out, &term),
        Command::Serve { dir, port, bind, draft, debounce_ms, open } => {
            let opts = brief::serve::ServeOptions {
                root: find_root(dir.or(given)),
                bind,
                port,
                draft,
                debounce: Duration::from_millis(debounce_ms),
                term,
                open,
            };
            match brief::serve::run(opts) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Check { dir, draft, strict } => check(find_root(dir.or(given)), draft, strict, &term),
        Command::Diff { a, b, draft } => diff(find_root(given), &a, &b, draft, &term),
        Command::Copies { edition, recipients, zip, date, list, withdraw, reason } => {
            let a = CopiesArgs { edition, recipients, zip, date, list, withdraw, reason };
            copies(find_root(given), a, &term)
        }
        Command::Verify { path, manifest } => verify(given, path, manifest, &term),
        Command::New { dir } => new(dir, &term),
    }
}
