//! Diagnostics: what went wrong, where (file and line), and how to mend it.
//!
//! Every step reports problems as plain `Diagnostic` values; they are only turned
//! into text at the edge (the CLI, the preview overlay), so callers can collect
//! all of a build's problems instead of stopping at the first.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the profile root, as authors see it.
    pub file: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    pub message: String,
    /// How to mend it.
    pub help: String,
}

impl Diagnostic {
    pub fn error(file: impl AsRef<Path>, line: usize, message: impl Into<String>, help: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.as_ref().to_path_buf(),
            line,
            message: message.into(),
            help: help.into(),
        }
    }

    pub fn warning(file: impl AsRef<Path>, line: usize, message: impl Into<String>, help: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(file, line, message, help) }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let file = self.file.display();
        if self.line > 0 {
            write!(f, "{file}:{}: {kind}: {}", self.line, self.message)?;
        } else {
            write!(f, "{file}: {kind}: {}", self.message)?;
        }
        if !self.help.is_empty() {
            write!(f, "\n  help: {}", self.help)?;
        }
        Ok(())
    }
}

/// A list of problems gathered over a whole step.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.is_error())
    }
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| !d.is_error())
    }
    /// Stable order: by file, then line, so output reads like a compiler's.
    pub fn sorted(mut self) -> Self {
        self.0.sort_by(|a, b| (&a.file, a.line, &a.message).cmp(&(&b.file, b.line, &b.message)));
        self.0.dedup();
        self
    }
}

/// Why a build did not produce output. Callers branch on the kind: invalid
/// content is the author's to mend; I/O and template failures are the system's.
#[derive(Debug)]
pub enum BuildError {
    /// The profile has errors; nothing was written.
    Invalid(Diagnostics),
    /// Reading or writing a file failed.
    Io { path: PathBuf, source: std::io::Error },
}

impl BuildError {
    pub fn io(path: impl AsRef<Path>, source: std::io::Error) -> Self {
        BuildError::Io { path: path.as_ref().to_path_buf(), source }
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Invalid(d) => {
                for e in d.errors() {
                    writeln!(f, "{e}")?;
                }
                let n = d.errors().count();
                write!(f, "build failed: {n} error{}; nothing was written", if n == 1 { "" } else { "s" })
            }
            BuildError::Io { path, source } => write!(f, "{}: error: {source}", path.display()),
        }
    }
}

impl std::error::Error for BuildError {}

impl From<Diagnostics> for BuildError {
    fn from(d: Diagnostics) -> Self {
        BuildError::Invalid(d)
    }
}
