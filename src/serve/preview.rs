//! The preview's builds: [`build::prepare`], the very steps `brief build`
//! takes, in front of a [`Cache`] of their pure results. A change tells the
//! cache what to forget; everything else is recomputed or looked up, so the
//! preview always shows what a build of the same files would write.

use crate::build::{self, Cache, Site};
use crate::config;
use crate::diagnostic::Diagnostics;
use crate::load::CONTENT_DIR;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// What the server serves: the last good build, and the latest errors.
#[derive(Default)]
pub struct Live {
    pub site: Option<Arc<Site>>,
    /// Errors of the latest build attempt; empty when it succeeded.
    pub errors: Diagnostics,
    /// Warnings of the latest good build.
    pub warnings: Diagnostics,
    /// Incremented on every publish (good or bad), so page caches know when to drop.
    pub generation: u64,
}

/// What changed on disk since the last build.
#[derive(Debug, Default, Clone)]
pub struct Change {
    pub config: bool,
    pub theme: bool,
    /// Changed paths under content/, relative to the root.
    pub content: Vec<PathBuf>,
    /// Something under content/ changed that is not a single file (a folder).
    pub rescan: bool,
}

impl Change {
    pub fn everything() -> Change {
        Change { config: true, theme: true, content: Vec::new(), rescan: true }
    }

    /// Sort watcher paths (absolute or relative to `root`) into a change.
    pub fn from_paths<'a>(root: &Path, paths: impl IntoIterator<Item = &'a Path>) -> Change {
        let mut c = Change::default();
        let root_abs = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        for p in paths {
            let rel = p
                .strip_prefix(&root_abs)
                .or_else(|_| p.strip_prefix(root))
                .map(Path::to_path_buf)
                .unwrap_or_else(|_| p.to_path_buf());
            let first = rel.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned());
            match first.as_deref() {
                Some(config::CONFIG_FILE) if rel.components().count() == 1 => c.config = true,
                Some("themes") | Some("partials") => c.theme = true,
                Some(CONTENT_DIR) if rel.components().count() == 1 || root.join(&rel).is_dir() => c.rescan = true,
                Some(CONTENT_DIR) => c.content.push(rel),
                _ => {}
            }
        }
        c.content.sort();
        c.content.dedup();
        c
    }

    pub fn is_empty(&self) -> bool {
        !self.config && !self.theme && !self.rescan && self.content.is_empty()
    }
}

/// What one rebuild did, for the terminal and for measuring.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    pub took: Duration,
    pub ok: bool,
    /// Nothing that matters changed (the same bytes saved again): nothing was published.
    pub unchanged: bool,
    pub phases: Vec<(&'static str, Duration)>,
}

pub struct Preview {
    root: PathBuf,
    draft: bool,
    cache: Cache,
    /// Bytes last seen of each changed content file, to skip saves that change nothing.
    seen: HashMap<PathBuf, Option<Vec<u8>>>,
    pub live: Arc<RwLock<Live>>,
}

impl Preview {
    pub fn new(root: &Path, draft: bool) -> Preview {
        Preview { root: root.to_path_buf(), draft, cache: Cache::default(), seen: HashMap::new(), live: Arc::default() }
    }

    /// Whether every changed file holds what it held before.
    fn same_bytes(&mut self, change: &Change) -> bool {
        let mut same = !change.config && !change.theme && !change.rescan && !change.content.is_empty();
        for p in &change.content {
            let now = std::fs::read(self.root.join(p)).ok();
            same &= self.seen.get(p) == Some(&now);
            self.seen.insert(p.clone(), now);
        }
        same
    }

    /// Rebuild after `change`, and publish the result (or the errors) into [`Preview::live`].
    pub fn rebuild(&mut self, change: &Change) -> Stats {
        let started = Instant::now();
        let had_errors = self.live.read().map_or(true, |l| !l.errors.0.is_empty() || l.site.is_none());
        if self.same_bytes(change) && !had_errors {
            return Stats { took: started.elapsed(), ok: true, unchanged: true, phases: Vec::new() };
        }
        if change.theme {
            self.cache.forget_theme();
        }
        if change.rescan || change.config {
            self.cache.forget_tree();
        }
        self.cache.forget(&self.root, &change.content);
        let result = build::prepare(&self.root, self.draft, &mut self.cache).map(|mut site| {
            // As a build would show it: changes since the summary the last build left.
            let t = Instant::now();
            build::attach_history(
                &mut site,
                &self.root.join("reports"),
                crate::date::Date::today(),
                &mut self.cache.history,
            );
            site.timings.push(("history", t.elapsed()));
            site
        });
        let mut live = self.live.write().unwrap_or_else(|e| e.into_inner());
        live.generation += 1;
        let stats = match result {
            Ok(site) => {
                live.errors = Diagnostics::default();
                live.warnings = site.warnings.clone();
                let phases = site.timings.clone();
                // The last site is let go on another thread: freeing a
                // profile's worth of pages need not delay this one.
                if let Some(old) = live.site.replace(Arc::new(site)) {
                    std::thread::spawn(move || drop(old));
                }
                Stats { ok: true, phases, ..Stats::default() }
            }
            Err(d) => {
                live.errors = d;
                Stats::default()
            }
        };
        Stats { took: started.elapsed(), ..stats }
    }
}
