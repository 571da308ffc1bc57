//! The `brief` command line: parses arguments, runs a step, and renders
//! diagnostics (file:line: error: …) at the edge.

use brief::build::{self, BuildOptions};
use brief::diagnostic::BuildError;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

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
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build every edition into public/<edition>/ and the owner's reports into reports/.
    Build {
        /// Also build unapproved editions and draft sections; every page is stamped DRAFT.
        #[arg(long)]
        draft: bool,
        /// Output folder (default: public/ in the profile's root).
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build { draft, out } => {
            let mut opts = BuildOptions::new(&cli.root);
            opts.draft = draft;
            if let Some(o) = out {
                opts.out = o;
            }
            let started = std::time::Instant::now();
            match build::build(&opts) {
                Ok(summary) => {
                    for w in &summary.warnings.0 {
                        eprintln!("{w}");
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
                    ExitCode::SUCCESS
                }
                Err(e @ BuildError::Invalid(_)) | Err(e @ BuildError::Io { .. }) => {
                    eprintln!("{e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}
