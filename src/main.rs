//! The `brief` command line: parses arguments, runs a step, and renders
//! diagnostics (file:line: error: …) at the edge.

use brief::build::{self, BuildOptions};
use brief::diagnostic::{BuildError, Diagnostic, Diagnostics};
use brief::term::{colored, Term};
use clap::{Parser, Subcommand};
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Parser)]
#[command(
    name = "brief",
    version,
    about = "Compile a Serious and Organised Crime Local Profile into one marked, audience-filtered static site per edition"
)]
struct Cli {
    /// The profile's root folder (holding brief.yaml and content/).
    #[arg(long, global = true, default_value = ".")]
    root: PathBuf,
    /// Print only errors (no progress line, no summary).
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print more: warnings in full, timings of each rebuild.
    #[arg(long, short, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build every edition into public/<edition>/ and the owner's reports (JSON and HTML) into reports/.
    Build {
        /// Also build unapproved editions and draft sections; every page is stamped DRAFT.
        #[arg(long)]
        draft: bool,
        /// Output folder (default: public/ in the profile's root).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Preview every edition on http://127.0.0.1:1111/, rebuilding and reloading as you edit. Writes nothing.
    Serve {
        /// Port to listen on (0: any free port).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on. Anything but loopback exposes every edition to the network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: IpAddr,
        /// Preview unapproved editions and draft sections too.
        #[arg(long)]
        draft: bool,
        /// Wait this many milliseconds after a change before rebuilding.
        #[arg(long, default_value_t = 50)]
        debounce_ms: u64,
    },
    /// Check the profile as `build` would, and against the guide's expectations, without writing anything.
    Check {
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
    /// Make a starter profile in DIR (which must be missing or empty) that builds at once.
    New {
        /// The folder to create.
        dir: PathBuf,
    },
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    let term = Term::detect(cli.quiet, cli.verbose);
    match cli.command {
        Command::Build { draft, out } => {
            let mut opts = BuildOptions::new(&cli.root);
            opts.draft = draft;
            if let Some(o) = out {
                opts.out = o;
            }
            let started = std::time::Instant::now();
            let progress = term.progress();
            let result = build::build_with(&opts, &progress);
            progress.finish();
            match result {
                Ok(summary) => {
                    if !term.quiet {
                        print_all(&summary.warnings, &term);
                    }
                    if term.quiet {
                        return ExitCode::SUCCESS;
                    }
                    if std::env::var_os("BRIEF_TIMINGS").is_some() {
                        for (step, t) in &summary.timings {
                            eprintln!("{step:>26}: {t:.2?}");
                        }
                        for e in &summary.editions {
                            eprintln!("{:>26}: {:.2?}", format!("search index {}", e.id), e.search_index);
                        }
                    }
                    for e in &summary.editions {
                        eprintln!(
                            "built {:<20} {:>5} sections, {:>5} pages, {:>4} files, {:>5} items withheld",
                            e.id, e.sections, e.pages, e.files, e.withheld
                        );
                    }
                    eprintln!(
                        "{} edition{} in {:.2?} → {}{}",
                        summary.editions.len(),
                        if summary.editions.len() == 1 { "" } else { "s" },
                        started.elapsed(),
                        opts.out.display(),
                        if draft { " (DRAFT)" } else { "" }
                    );
                    if term.verbose {
                        eprintln!("owner's reports → {}/<edition>.json and .html", opts.reports.display());
                    }
                    ExitCode::SUCCESS
                }
                Err(BuildError::Invalid(d)) => {
                    print_all(&Diagnostics(d.errors().cloned().collect()), &term);
                    let n = d.errors().count();
                    eprintln!(
                        "{}: {n} error{}; nothing was written",
                        term.paint("build failed", "1;31"),
                        if n == 1 { "" } else { "s" }
                    );
                    ExitCode::FAILURE
                }
                Err(e @ BuildError::Io { .. }) => {
                    eprintln!("{e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Serve { port, bind, draft, debounce_ms } => {
            let opts = brief::serve::ServeOptions {
                root: cli.root,
                bind,
                port,
                draft,
                debounce: Duration::from_millis(debounce_ms),
                term,
            };
            match brief::serve::run(opts) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Check { draft, strict } => {
            let d = brief::check::check(&brief::check::CheckOptions { root: cli.root, draft, strict });
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
        Command::Diff { a, b, draft } => {
            let content = match brief::load::load(&cli.root) {
                Ok(c) => c,
                Err(d) => {
                    print_all(&d, &term);
                    return ExitCode::FAILURE;
                }
            };
            let approvals = build::check_approvals(&content.profile.editions, draft);
            if approvals.has_errors() {
                print_all(&approvals, &term);
                return ExitCode::FAILURE;
            }
            let plan = brief::plan::plan(&content, &content.profile.editions, draft);
            match brief::diff::diff(&content, &plan, &a, &b) {
                Ok(text) => {
                    print!("{text}");
                    ExitCode::SUCCESS
                }
                Err(d) => fail(d, &term),
            }
        }
        Command::New { dir } => match brief::scaffold::new_profile(&dir) {
            Ok(files) => {
                if !term.quiet {
                    for f in &files {
                        eprintln!("  created {}", dir.join(f).display());
                    }
                    eprintln!(
                        "New profile in {d}. Next: `brief build --root {d}`, or `brief serve --root {d}` to preview as you write.",
                        d = dir.display()
                    );
                }
                ExitCode::SUCCESS
            }
            Err(d) => fail(d, &term),
        },
    }
}
