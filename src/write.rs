//! Writing: every build goes to a fresh staging folder beside the output and
//! is swapped in only when all of it succeeded, so a failed build leaves the
//! previous output byte for byte and no stale file survives a good one.

use crate::diagnostic::Diagnostic;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

/// Where built files go. Paths are relative to the edition's folder.
pub trait Sink: Sync {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), Diagnostic>;
    /// Whether the file at `path` is wanted at all. A build writes every
    /// file; the preview server renders only the page asked for.
    fn wants(&self, _path: &str) -> bool {
        true
    }
    /// Whether some wanted file's path passes `matches`: for files whose
    /// names are known only once made (the search index's chunks).
    fn wants_any(&self, _matches: &dyn Fn(&str) -> bool) -> bool {
        true
    }
}

/// Renders pages and throws them away: finds template errors without writing.
pub struct Discard;

impl Sink for Discard {
    fn put(&self, _path: &str, _bytes: Vec<u8>) -> Result<(), Diagnostic> {
        Ok(())
    }
}

/// Marks a folder as Brief's output, which Brief may replace whole.
pub const MARKER: &str = ".brief-output";

pub struct Staging {
    dir: tempfile::TempDir,
    target: PathBuf,
}

fn io_err(path: &Path, e: std::io::Error, help: &str) -> Diagnostic {
    Diagnostic::error(path, 0, e.to_string(), help)
}

/// A path as the file system will see it: absolute, `..` resolved, and the
/// part that exists with its symbolic links followed.
pub fn resolved(p: &Path) -> PathBuf {
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let mut parts: Vec<std::path::Component> = Vec::new();
    for c in abs.components() {
        match c {
            std::path::Component::ParentDir => {
                parts.pop();
            }
            std::path::Component::CurDir => {}
            c => parts.push(c),
        }
    }
    let lexical: PathBuf = parts.iter().collect();
    // Follow links in the longest part that exists.
    let mut existing = lexical.clone();
    let mut rest: Vec<std::ffi::OsString> = Vec::new();
    while !existing.exists() {
        match (existing.file_name().map(|n| n.to_os_string()), existing.parent()) {
            (Some(n), Some(parent)) => {
                rest.push(n);
                existing = parent.to_path_buf();
            }
            _ => return lexical,
        }
    }
    let mut out = std::fs::canonicalize(&existing).unwrap_or(existing);
    for n in rest.into_iter().rev() {
        out.push(n);
    }
    out
}

/// The output folders must not be, hold, or sit inside the profile's own
/// files (`content/`, `themes/`, `partials/`, the root itself) or its record
/// of issued copies (`issued/`, `copies/`), nor overlap each other: reports hold withheld text and never go where an edition does.
/// Whether `dir` is an edition or a copy, wherever it was put (a file
/// share holds no marker): its home page names Brief as its generator.
fn holds_an_edition(dir: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 2048];
    let n = std::fs::File::open(dir.join("index.html")).and_then(|mut f| f.read(&mut head)).unwrap_or(0);
    String::from_utf8_lossy(&head[..n]).contains("<meta name=\"generator\" content=\"Brief ")
}

pub fn check_outputs(out: &Path, reports: &Path, root: &Path) -> Result<(), Diagnostic> {
    let (o, rep, r) = (resolved(out), resolved(reports), resolved(root));
    let overlaps = |a: &Path, b: &Path| a.starts_with(b) || b.starts_with(a);
    for own in ["content", "themes", "partials", "issued", "copies"] {
        if overlaps(&o, &r.join(own)) {
            return Err(Diagnostic::error(
                out,
                0,
                format!("refusing to write output over or around the profile's {own}/ folder"),
                "choose an output folder outside content/, themes/, partials/, reports/, issued/ and copies/, e.g. public/",
            ));
        }
    }
    if r.starts_with(&o) {
        return Err(Diagnostic::error(
            out,
            0,
            "refusing to write output over the profile's own folder",
            "choose an output folder inside it, such as public/, or elsewhere",
        ));
    }
    // Inside another build's output (an edition's folder), a new build
    // would publish every edition, the widest too, inside the narrower one.
    for (path, what) in [(&o, "output"), (&rep, "reports")] {
        if let Some(other) = path.ancestors().skip(1).find(|a| a.join(MARKER).exists() || holds_an_edition(a)) {
            return Err(Diagnostic::error(
                if what == "output" { out } else { reports },
                0,
                format!("refusing to write the {what} folder inside another build's output, {}", other.display()),
                "choose a folder outside every output folder: each edition's folder is published whole to its audience",
            ));
        }
    }
    if overlaps(&o, &rep) {
        return Err(Diagnostic::error(
            out,
            0,
            "the output folder overlaps reports/, which holds withheld text for the owner only",
            "choose an output folder that is not reports/ and neither holds nor sits in it, e.g. public/",
        ));
    }
    Ok(())
}

impl Staging {
    /// Prepare to replace `target`. Refuses a folder Brief did not write, so a
    /// mistyped `--out` cannot wipe someone's files.
    pub fn new(target: &Path) -> Result<Staging, Diagnostic> {
        let t = resolved(target);
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
///
/// Files are created one at a time per folder: creating a file holds its
/// folder's lock in the kernel, and a second thread creating in the same
/// folder spins on it rather than sleeping (a tenth of a build's time on a
/// loaded ext4). So a file for a folder another thread is writing in is
/// handed to that thread ([`Folder`]), and the caller goes back to making
/// pages. Every file handed over is written before the call writing that
/// folder returns: once every `put` has returned, every file is on disk.
/// A file handed over that cannot be written fails the writing call, not
/// its own (which returned already): a build still fails, naming the file,
/// but when many writes fail it names only the first each writer met.
pub struct DirSink {
    dir: PathBuf,
    /// Folders already made: thousands of pages share a few folders, and
    /// asking the file system again for each costs a system call.
    made: Mutex<HashSet<PathBuf>>,
    folders: Mutex<HashMap<PathBuf, Folder>>,
}

/// One folder's writer, if a thread is writing there, and the files it was handed.
#[derive(Default)]
struct Folder {
    writing: bool,
    waiting: Vec<(PathBuf, Vec<u8>)>,
}

/// Files a folder's writer may be handed at once; past that a caller
/// writes its own (memory stays bounded whatever the disk's speed).
const WAITING_MAX: usize = 64;

impl DirSink {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        DirSink { dir: dir.into(), made: Default::default(), folders: Default::default() }
    }

    fn make_folder(&self, folder: &Path) -> Result<(), Diagnostic> {
        let known = self.made.lock().map(|m| m.contains(folder)).unwrap_or(false);
        if !known {
            std::fs::create_dir_all(folder).map_err(|e| io_err(folder, e, "check you may write there"))?;
            if let Ok(mut m) = self.made.lock() {
                m.insert(folder.to_path_buf());
            }
        }
        Ok(())
    }

    fn folders(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, Folder>> {
        self.folders.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn write_file(full: &Path, bytes: Vec<u8>) -> Result<(), Diagnostic> {
    std::fs::write(full, bytes).map_err(|e| io_err(full, e, "check you may write there"))
}

impl Sink for DirSink {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), Diagnostic> {
        let full = self.dir.join(path);
        let folder = full.parent().unwrap_or(&self.dir).to_path_buf();
        self.make_folder(&folder)?;
        {
            let mut folders = self.folders();
            let f = folders.entry(folder.clone()).or_default();
            if f.writing && f.waiting.len() < WAITING_MAX {
                f.waiting.push((full, bytes));
                return Ok(());
            }
            if f.writing {
                drop(folders);
                return write_file(&full, bytes);
            }
            f.writing = true;
        }
        // This thread is the folder's writer until nothing waits.
        let mut first_error = None;
        let (mut full, mut bytes) = (full, bytes);
        loop {
            if let Err(d) = write_file(&full, bytes) {
                first_error.get_or_insert(d);
            }
            let mut folders = self.folders();
            let f = folders.get_mut(&folder).expect("a folder being written is listed");
            match f.waiting.pop() {
                Some(next) => (full, bytes) = next,
                None => {
                    f.writing = false;
                    break;
                }
            }
        }
        first_error.map_or(Ok(()), Err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_handed_between_threads_are_all_written_once_every_put_returns() {
        use rayon::prelude::*;
        let tmp = tempfile::tempdir().unwrap();
        let sink = DirSink::new(tmp.path());
        let pool = rayon::ThreadPoolBuilder::new().num_threads(8).build().unwrap();
        let results: Vec<Result<(), Diagnostic>> = pool.install(|| {
            (0..3000)
                .into_par_iter()
                .map(|i| sink.put(&format!("{}/f{i}.html", ["a", "b/c", "d"][i % 3]), format!("page {i}").into_bytes()))
                .collect()
        });
        assert!(results.iter().all(Result::is_ok));
        for i in 0..3000 {
            let path = tmp.path().join(["a", "b/c", "d"][i % 3]).join(format!("f{i}.html"));
            assert_eq!(std::fs::read_to_string(&path).unwrap(), format!("page {i}"), "{}", path.display());
        }
    }

    #[test]
    fn a_file_that_cannot_be_written_fails_some_put_naming_it() {
        use rayon::prelude::*;
        let tmp = tempfile::tempdir().unwrap();
        let sink = DirSink::new(tmp.path());
        // A folder where each file's name is taken by a folder: every write fails.
        for i in 0..200 {
            std::fs::create_dir_all(tmp.path().join("x").join(format!("f{i}.html"))).unwrap();
        }
        let pool = rayon::ThreadPoolBuilder::new().num_threads(8).build().unwrap();
        let errors: Vec<Diagnostic> = pool.install(|| {
            (0..200).into_par_iter().filter_map(|i| sink.put(&format!("x/f{i}.html"), vec![b'x']).err()).collect()
        });
        assert!(!errors.is_empty(), "a failed write is reported");
        let named = |d: &Diagnostic| {
            d.file.starts_with(tmp.path().join("x")) && d.file.extension().is_some_and(|e| e == "html")
        };
        assert!(errors.iter().all(named), "each names the file it could not write: {errors:?}");
    }

    #[test]
    fn swaps_whole_folder_and_refuses_foreign_ones() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("profile");
        std::fs::create_dir_all(&root).unwrap();
        let out = root.join("public");
        let s = Staging::new(&out).unwrap();
        std::fs::write(s.path().join("stale.html"), "old").unwrap();
        s.commit().unwrap();
        assert!(out.join("stale.html").exists());
        let s = Staging::new(&out).unwrap();
        std::fs::write(s.path().join("new.html"), "new").unwrap();
        s.commit().unwrap();
        assert!(!out.join("stale.html").exists() && out.join("new.html").exists());

        let foreign = root.join("mine");
        std::fs::create_dir_all(&foreign).unwrap();
        std::fs::write(foreign.join("thesis.doc"), "x").unwrap();
        assert!(Staging::new(&foreign).is_err());
        let reports = root.join("reports");
        assert!(check_outputs(&root, &reports, &root).is_err());
        assert!(check_outputs(&root.join("content/x"), &reports, &root).is_err());
        assert!(check_outputs(&root.join("public/../content/x"), &reports, &root).is_err());
        assert!(check_outputs(&root.join("reports"), &reports, &root).is_err());
        assert!(check_outputs(&root.join("reports/site"), &reports, &root).is_err());
        assert!(check_outputs(tmp.path(), &reports, &root).is_err(), "an ancestor of the root");
        assert!(check_outputs(&root.join("public"), &reports, &root).is_ok());
        std::os::unix::fs::symlink(root.join("content"), root.join("sneaky")).unwrap();
        std::fs::create_dir_all(root.join("content")).unwrap();
        assert!(check_outputs(&root.join("sneaky/x"), &reports, &root).is_err(), "through a symlink");
    }

    #[test]
    fn dropped_staging_leaves_target_untouched() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let s = Staging::new(&out).unwrap();
        std::fs::write(s.path().join("a"), "1").unwrap();
        s.commit().unwrap();
        let s = Staging::new(&out).unwrap();
        std::fs::write(s.path().join("b"), "2").unwrap();
        drop(s);
        assert!(out.join("a").exists() && !out.join("b").exists());
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1, "staging folder removed");
    }
}
