//! The terminal: colour only on a terminal and never with `NO_COLOR`, and a
//! progress line for long builds that stays silent when stderr is not a
//! terminal (CI logs, pipes) or with `--quiet`.

use crate::diagnostic::{Diagnostic, Severity};
use crate::write::Sink;
use std::io::IsTerminal;
use std::time::Duration;

/// How to talk to the person at the terminal.
#[derive(Debug, Clone, Copy, Default)]
pub struct Term {
    pub color: bool,
    pub quiet: bool,
    pub verbose: bool,
    /// Show a progress line (stderr is a terminal and not `--quiet`).
    pub progress: bool,
}

/// `NO_COLOR` set to anything but the empty string turns colour off (no-color.org).
pub fn no_color_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

impl Term {
    pub fn detect(quiet: bool, verbose: bool) -> Term {
        let tty = std::io::stderr().is_terminal();
        Term { color: tty && !no_color_env(), quiet, verbose: verbose && !quiet, progress: tty && !quiet }
    }

    pub fn paint(&self, text: &str, code: &str) -> String {
        paint(text, self.color, code)
    }

    pub fn progress(&self) -> Progress {
        if self.progress {
            Progress::spinner()
        } else {
            Progress::hidden()
        }
    }
}

pub fn paint(text: &str, color: bool, code: &str) -> String {
    if color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

/// How many warnings are printed without `--verbose`.
pub const WARNINGS_SHOWN: usize = 5;

/// Warnings as `build` and `serve` print them: the first few and a count,
/// or all of them with `--verbose`.
pub fn print_warnings(d: &crate::diagnostic::Diagnostics, term: &Term) {
    let all: Vec<&Diagnostic> = d.warnings().collect();
    let shown = if term.verbose { all.len() } else { all.len().min(WARNINGS_SHOWN) };
    for x in &all[..shown] {
        eprintln!("{}", colored(x, term.color));
    }
    if all.len() > shown {
        eprintln!(
            "… and {} more warning{}: `brief check` or `--verbose` lists them all",
            all.len() - shown,
            if all.len() - shown == 1 { "" } else { "s" }
        );
    }
    if !all.is_empty() {
        eprintln!("{} warning{}", all.len(), if all.len() == 1 { "" } else { "s" });
    }
}

/// A diagnostic as a compiler prints it: `file:line: error: …` and a help line.
pub fn colored(d: &Diagnostic, color: bool) -> String {
    if !color {
        return d.to_string();
    }
    let (kind, code) = match d.severity {
        Severity::Error => ("error", "1;31"),
        Severity::Warning => ("warning", "1;33"),
    };
    let place = if d.line > 0 { format!("{}:{}", d.file.display(), d.line) } else { d.file.display().to_string() };
    let mut s = format!("{}: {}: {}", paint(&place, true, "1"), paint(kind, true, code), d.message);
    if !d.help.is_empty() {
        s.push_str(&format!("\n  {}: {}", paint("help", true, "1;36"), d.help));
    }
    s
}

/// A progress line on stderr; does nothing when hidden.
pub struct Progress(indicatif::ProgressBar);

impl Progress {
    pub fn hidden() -> Progress {
        Progress(indicatif::ProgressBar::hidden())
    }

    fn spinner() -> Progress {
        let bar = indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {msg} {pos:>7} files  [{elapsed}]")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(Duration::from_millis(120));
        Progress(bar)
    }

    /// Name the step under way.
    pub fn stage(&self, what: &str) {
        self.0.set_message(what.to_string());
    }

    pub fn tick(&self) {
        self.0.inc(1);
    }

    pub fn finish(&self) {
        self.0.finish_and_clear();
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}

/// A sink that counts what passes through it on the progress line.
pub struct Counting<'a, S> {
    pub inner: S,
    pub progress: &'a Progress,
}

impl<S: Sink> Sink for Counting<'_, S> {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), Diagnostic> {
        let r = self.inner.put(path, bytes);
        self.progress.tick();
        r
    }
    fn wants(&self, path: &str) -> bool {
        self.inner.wants(path)
    }
    fn wants_any(&self, matches: &dyn Fn(&str) -> bool) -> bool {
        self.inner.wants_any(matches)
    }
}
