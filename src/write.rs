//! Writing: every build goes to a fresh staging folder beside the output and
//! is swapped in only when all of it succeeded, so a failed build leaves the
//! previous output byte for byte and no stale file survives a good one.

use crate::diagnostic::Diagnostic;
use crate::site::Sink;
use std::path::{Path, PathBuf};

/// Marks a folder as Brief's output, which Brief may replace whole.
pub const MARKER: &str = ".brief-output";

pub struct Staging {
    dir: tempfile::TempDir,
    target: PathBuf,
}

fn io_err(path: &Path, e: std::io::Error, help: &str) -> Diagnostic {
    Diagnostic::error(path, 0, e.to_string(), help)
}

impl Staging {
    /// Prepare to replace `target`. Refuses a folder Brief did not write, so a
    /// mistyped `--out` cannot wipe someone's files.
    pub fn new(target: &Path, root: &Path) -> Result<Staging, Diagnostic> {
        let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        let (t, r) = (abs(target), abs(root));
        if r.starts_with(&t)
            || t.starts_with(r.join("content"))
            || t.starts_with(r.join("themes"))
            || t.starts_with(r.join("partials"))
        {
            return Err(Diagnostic::error(
                target,
                0,
                "refusing to write output over the profile's own files",
                "choose an output folder outside content/, themes/ and partials/, e.g. public/",
            ));
        }
        if t.exists() {
            let empty = std::fs::read_dir(&t).map(|mut d| d.next().is_none()).unwrap_or(false);
            if !empty && !t.join(MARKER).exists() {
                return Err(Diagnostic::error(
                    target,
                    0,
                    "refusing to replace a folder that brief did not write",
                    "remove it, or choose another output folder; brief replaces its output folder whole on every build",
                ));
            }
        }
        let parent = t.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
        std::fs::create_dir_all(&parent).map_err(|e| io_err(&parent, e, "check you may write there"))?;
        let name = t.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "out".into());
        let dir = tempfile::Builder::new()
            .prefix(&format!(".{name}.staging-"))
            .tempdir_in(&parent)
            .map_err(|e| io_err(&parent, e, "check you may write there"))?;
        std::fs::write(dir.path().join(MARKER), "Written by brief. This folder is replaced whole on every build.\n")
            .map_err(|e| io_err(dir.path(), e, "check you may write there"))?;
        Ok(Staging { dir, target: t })
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Swap the staged folder in for the target.
    pub fn commit(self) -> Result<(), Diagnostic> {
        let staged = self.dir.keep();
        let old = self.target.with_file_name(format!(
            ".{}.old-{}",
            self.target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            std::process::id()
        ));
        let had_old = self.target.exists();
        if had_old {
            std::fs::rename(&self.target, &old)
                .map_err(|e| io_err(&self.target, e, "close programs using the output folder and build again"))?;
        }
        if let Err(e) = std::fs::rename(&staged, &self.target) {
            if had_old {
                let _ = std::fs::rename(&old, &self.target);
            }
            let _ = std::fs::remove_dir_all(&staged);
            return Err(io_err(&self.target, e, "check you may write there"));
        }
        if had_old {
            let _ = std::fs::remove_dir_all(&old);
        }
        Ok(())
    }
}

/// Writes an edition's files under a folder.
pub struct DirSink {
    dir: PathBuf,
    /// Folders already made: thousands of pages share a few folders, and
    /// asking the file system again for each costs a system call.
    made: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
}

impl DirSink {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        DirSink { dir: dir.into(), made: Default::default() }
    }
}

impl Sink for DirSink {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), Diagnostic> {
        let full = self.dir.join(path);
        if let Some(parent) = full.parent() {
            let known = self.made.lock().map(|m| m.contains(parent)).unwrap_or(false);
            if !known {
                std::fs::create_dir_all(parent).map_err(|e| io_err(parent, e, "check you may write there"))?;
                if let Ok(mut m) = self.made.lock() {
                    m.insert(parent.to_path_buf());
                }
            }
        }
        std::fs::write(&full, bytes).map_err(|e| io_err(&full, e, "check you may write there"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swaps_whole_folder_and_refuses_foreign_ones() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("profile");
        std::fs::create_dir_all(&root).unwrap();
        let out = root.join("public");
        let s = Staging::new(&out, &root).unwrap();
        std::fs::write(s.path().join("stale.html"), "old").unwrap();
        s.commit().unwrap();
        assert!(out.join("stale.html").exists());
        let s = Staging::new(&out, &root).unwrap();
        std::fs::write(s.path().join("new.html"), "new").unwrap();
        s.commit().unwrap();
        assert!(!out.join("stale.html").exists() && out.join("new.html").exists());

        let foreign = root.join("mine");
        std::fs::create_dir_all(&foreign).unwrap();
        std::fs::write(foreign.join("thesis.doc"), "x").unwrap();
        assert!(Staging::new(&foreign, &root).is_err());
        assert!(Staging::new(&root, &root).is_err());
        assert!(Staging::new(&root.join("content/x"), &root).is_err());
    }

    #[test]
    fn dropped_staging_leaves_target_untouched() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let s = Staging::new(&out, tmp.path()).unwrap();
        std::fs::write(s.path().join("a"), "1").unwrap();
        s.commit().unwrap();
        let s = Staging::new(&out, tmp.path()).unwrap();
        std::fs::write(s.path().join("b"), "2").unwrap();
        drop(s);
        assert!(out.join("a").exists() && !out.join("b").exists());
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1, "staging folder removed");
    }
}
