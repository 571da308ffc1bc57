//! Incremental builds for the preview server.
//!
//! The [`Engine`] keeps, per content file, what it read, what it parsed and
//! how each edition filters it, and keeps every rendering by (file, filtered
//! text). A change re-reads only the files it names, re-parses only files
//! whose bytes differ, re-filters only those sections and renders only texts
//! never rendered before; everything else (sorting, cross-section checks, the
//! edition plans) is recomputed from the caches, which is cheap.
//!
//! The result is published into a shared [`Live`]: the last good
//! [`Prepared`] profile (pages are rendered from it on request) and the
//! errors of the latest attempt. A failed rebuild leaves the last good
//! profile in place.

use crate::build::{check_approvals, Prepared};
use crate::config::{self, Profile};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::{self, Content, Ref, CONTENT_DIR};
use crate::plan::{self, Decision, Plan};
use crate::render::{self, Rendered, Target};
use crate::section::Section;
use crate::theme::Theme;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant, SystemTime};

/// What the server serves: the last good profile, and the latest errors.
#[derive(Default)]
pub struct Live {
    pub prepared: Option<Prepared>,
    /// Errors of the latest build attempt; empty when it succeeded.
    pub errors: Diagnostics,
    /// Warnings about what the latest build changed (about everything, on the first).
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
    /// Re-walk content/ (a folder changed, or the watcher lost track).
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
                Some(CONTENT_DIR) => {
                    if rel.components().count() == 1 || root.join(&rel).is_dir() {
                        c.rescan = true;
                    } else if !hidden(&rel) {
                        c.content.push(rel);
                    }
                }
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

/// Hidden files and folders are skipped, as `load::walk` skips them.
fn hidden(rel: &Path) -> bool {
    rel.components().any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
}

type Stamp = (u64, Option<SystemTime>);
/// A file's path and contents.
type FileBytes = (PathBuf, Vec<u8>);
/// A section file parsed, with its links and images, or why it could not be.
type Parsed = Result<(Section, Vec<Ref>), Diagnostics>;

fn stamp(path: &Path) -> Option<Stamp> {
    let m = std::fs::metadata(path).ok()?;
    m.is_file().then(|| (m.len(), m.modified().ok()))
}

struct CachedSection {
    bytes: Vec<u8>,
    stamp: Option<Stamp>,
    parsed: Parsed,
    /// Per edition (in brief.yaml order): the decision and, when included, its rendering's index.
    decisions: Option<Vec<(Decision, Option<usize>)>>,
    /// Changed since the last publish: the published copy must be replaced.
    dirty: bool,
    /// This section's link and image checks: (errors, warnings).
    checked: Option<(Diagnostics, Diagnostics)>,
}

/// What one rebuild did, for the terminal and for measuring.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    pub parsed: usize,
    pub filtered: usize,
    pub rendered: usize,
    pub files_prepared: usize,
    pub took: Duration,
    pub ok: bool,
    /// Nothing that matters changed (the same bytes saved again): nothing was published.
    pub unchanged: bool,
    /// Time spent in each step, for `--verbose`.
    pub phases: Vec<(&'static str, Duration)>,
}

impl Stats {
    fn phase(&mut self, name: &'static str, since: &mut Instant) {
        let now = Instant::now();
        self.phases.push((name, now - *since));
        *since = now;
    }
}

pub struct Engine {
    root: PathBuf,
    draft: bool,
    config_bytes: Option<Vec<u8>>,
    profile: Option<Profile>,
    profile_errors: Diagnostics,
    theme_name: Option<String>,
    theme_errors: Diagnostics,
    /// A theme loaded but not yet published (a later step of that rebuild failed).
    pending_theme: Option<Theme>,
    /// Renderings made but not yet published; indices continue the published ones.
    pending_renders: Vec<Rendered>,
    sections: HashMap<PathBuf, CachedSection>,
    /// Files under content/ that are not sections.
    files: BTreeMap<PathBuf, Option<Stamp>>,
    /// Renderings already made: file → (filtered text, index in the published `Plan::renders`).
    render_index: HashMap<PathBuf, Vec<(String, usize)>>,
    /// Per rendering index: the content files it references.
    render_files: Vec<Vec<PathBuf>>,
    /// Prepared (re-encoded) files by path, with the stamp they were made from.
    prepared_files: HashMap<PathBuf, Option<Stamp>>,
    pub live: Arc<RwLock<Live>>,
}

impl Engine {
    pub fn new(root: &Path, draft: bool) -> Engine {
        Engine {
            root: root.to_path_buf(),
            draft,
            config_bytes: None,
            profile: None,
            profile_errors: Diagnostics::default(),
            theme_name: None,
            theme_errors: Diagnostics::default(),
            pending_theme: None,
            pending_renders: Vec::new(),
            sections: HashMap::new(),
            files: BTreeMap::new(),
            render_index: HashMap::new(),
            render_files: Vec::new(),
            prepared_files: HashMap::new(),
            live: Arc::new(RwLock::new(Live::default())),
        }
    }

    fn parse(&self, rel: &Path, bytes: &[u8]) -> Result<(Section, Vec<Ref>), Diagnostics> {
        let profile = self.profile.as_ref().expect("profile loaded");
        let s = load::parse_section(bytes.to_vec(), rel, profile)?;
        let refs = load::references(&s);
        Ok((s, refs))
    }

    /// Read `brief.yaml` again; true when it changed.
    fn reload_config(&mut self) -> bool {
        let bytes = std::fs::read(self.root.join(config::CONFIG_FILE)).ok();
        if bytes.is_some() && bytes == self.config_bytes && self.profile.is_some() {
            return false;
        }
        self.config_bytes = bytes;
        match config::load(&self.root) {
            Ok(p) => {
                self.profile = Some(p);
                self.profile_errors = Diagnostics::default();
            }
            Err(d) => {
                self.profile = None;
                self.profile_errors = d;
            }
        }
        true
    }

    /// Bring the file caches up to date; returns the section files to (re)parse,
    /// and whether anything else (a file added, removed or changed) happened.
    fn scan(&mut self, change: &Change, everything: bool) -> Result<(Vec<FileBytes>, bool), Diagnostic> {
        let mut to_parse = Vec::new();
        let files_before = self.files.clone();
        // A section removed (or, below, added) changes which links resolve.
        let mut removed = false;
        if everything || change.rescan {
            let paths = load::walk(&self.root)?;
            let seen: HashSet<&PathBuf> = paths.iter().collect();
            let n = self.sections.len();
            self.sections.retain(|p, _| seen.contains(p));
            removed |= n != self.sections.len();
            self.files.retain(|p, _| seen.contains(p));
            for p in &paths {
                let st = stamp(&self.root.join(p));
                if is_section(p) {
                    let unchanged = self.sections.get(p).is_some_and(|c| c.stamp.is_some() && c.stamp == st);
                    if !unchanged || everything {
                        to_parse.push(p.clone());
                    }
                } else {
                    self.files.insert(p.clone(), st);
                }
            }
        }
        for p in &change.content {
            let full = self.root.join(p);
            if full.is_file() {
                if is_section(p) {
                    to_parse.push(p.clone());
                } else {
                    self.files.insert(p.clone(), stamp(&full));
                }
            } else if !full.exists() {
                removed |= self.sections.remove(p).is_some();
                self.files.remove(p);
            }
        }
        to_parse.sort();
        to_parse.dedup();
        let mut touched = removed || files_before != self.files;
        // Read; re-parse only what differs from what was parsed before.
        let mut out = Vec::new();
        for p in to_parse {
            let full = self.root.join(&p);
            let st = stamp(&full);
            let Ok(bytes) = std::fs::read(&full) else {
                touched |= self.sections.remove(&p).is_some();
                continue;
            };
            match self.sections.get_mut(&p) {
                Some(c) if c.bytes == bytes && !everything => c.stamp = st,
                Some(_) => out.push((p, bytes)),
                None => {
                    touched = true;
                    out.push((p, bytes));
                }
            }
        }
        Ok((out, touched))
    }

    /// Rebuild after `change`, and publish the result (or the errors) into [`Engine::live`].
    pub fn rebuild(&mut self, change: &Change) -> Stats {
        let started = Instant::now();
        let mut since = started;
        let mut stats = Stats::default();
        let first = self.profile.is_none() && self.profile_errors.0.is_empty();
        let config_changed = (change.config || first || self.profile.is_none()) && self.reload_config();
        let Some(profile) = self.profile.clone() else {
            let errors = self.profile_errors.clone();
            self.publish_errors(errors);
            stats.took = started.elapsed();
            return stats;
        };
        if config_changed {
            // The vocabulary (editions, threats, caveats) may have changed: parse and filter everything again.
            for c in self.sections.values_mut() {
                c.decisions = None;
            }
        }

        // Content: read and parse what changed.
        let (to_parse, touched) = match self.scan(change, config_changed) {
            Ok(t) => t,
            Err(d) => {
                self.publish_errors(Diagnostics(vec![d]));
                stats.took = started.elapsed();
                return stats;
            }
        };
        stats.parsed = to_parse.len();
        let had_errors = self.live.read().map_or(true, |l| !l.errors.0.is_empty() || l.prepared.is_none());
        if to_parse.is_empty() && !touched && !config_changed && !change.theme && !had_errors {
            stats.ok = true;
            stats.unchanged = true;
            stats.took = started.elapsed();
            return stats;
        }
        stats.phase("scan", &mut since);
        let parsed: Vec<(PathBuf, Vec<u8>, Parsed)> = to_parse
            .into_par_iter()
            .map(|(p, bytes)| {
                let r = self.parse(&p, &bytes);
                (p, bytes, r)
            })
            .collect();
        for (p, bytes, r) in parsed {
            let st = stamp(&self.root.join(&p));
            self.sections
                .insert(p, CachedSection { bytes, stamp: st, parsed: r, decisions: None, dirty: true, checked: None });
        }

        stats.phase("parse", &mut since);
        // Theme: only when its files or its name changed.
        let no_theme_yet = self.pending_theme.is_none() && self.live.read().map_or(true, |l| l.prepared.is_none());
        if change.theme || no_theme_yet || self.theme_name.as_deref() != Some(profile.theme.as_str()) {
            self.theme_name = Some(profile.theme.clone());
            match Theme::load(&self.root, &profile.theme) {
                Ok(t) => {
                    self.theme_errors = Diagnostics::default();
                    self.pending_theme = Some(t);
                }
                Err(d) => {
                    self.theme_errors = d;
                    self.pending_theme = None;
                }
            }
        }

        stats.phase("theme", &mut since);
        // Checks across sections, as `load` makes them. A section's links are
        // checked again only when it changed, or when files came or went.
        if touched || config_changed {
            for c in self.sections.values_mut() {
                c.checked = None;
            }
        }
        let files: BTreeSet<PathBuf> = self.files.keys().cloned().collect();
        {
            let sections = &self.sections;
            let known = |p: &Path| sections.get(p).is_some_and(|c| c.parsed.is_ok());
            let checked: Vec<(PathBuf, (Diagnostics, Diagnostics))> = sections
                .par_iter()
                .filter(|(_, c)| c.checked.is_none())
                .filter_map(|(p, c)| {
                    let (s, refs) = c.parsed.as_ref().ok()?;
                    Some((p.clone(), load::validate_references(s, refs, &known, &files)))
                })
                .collect();
            for (p, r) in checked {
                if let Some(c) = self.sections.get_mut(&p) {
                    c.checked = Some(r);
                }
            }
        }
        stats.phase("check links", &mut since);
        let mut errors = Diagnostics::default();
        let mut warnings = Diagnostics::default();
        // Warnings of what changed (of everything, the first time or when files came or went).
        let all_warnings = first || touched || config_changed;
        let mut order: Vec<&Section> = Vec::with_capacity(self.sections.len());
        for c in self.sections.values() {
            match &c.parsed {
                Ok((s, _)) => order.push(s),
                Err(d) => errors.extend(d.clone()),
            }
            if let Some((e, w)) = &c.checked {
                if !e.0.is_empty() {
                    errors.extend(e.clone());
                }
                if (all_warnings || c.dirty) && !w.0.is_empty() {
                    warnings.extend(w.clone());
                }
            }
        }
        stats.phase("gather", &mut since);
        order.sort_by(|a, b| load::contents_order(a, b));
        stats.phase("sort", &mut since);
        errors.extend(load::validate_unique(&order));
        errors.extend(check_approvals(&profile.editions, self.draft));
        errors.extend(self.theme_errors.clone());
        let warnings = warnings.sorted();
        if errors.has_errors() {
            self.publish_errors(errors.sorted());
            stats.took = started.elapsed();
            return stats;
        }
        // Same sections in the same order as published: the plan may be patched in place.
        let same_order = self.live.read().is_ok_and(|l| {
            l.prepared.as_ref().is_some_and(|p| {
                p.content.sections.len() == order.len()
                    && p.content.sections.iter().zip(&order).all(|(a, b)| a.file == b.file)
            })
        });
        let order: Option<Vec<PathBuf>> = (!same_order).then(|| order.iter().map(|s| s.file.clone()).collect());
        stats.phase("validate", &mut since);

        // Filter: sections not decided since they (or brief.yaml) changed.
        let editions = &profile.editions;
        let draft = self.draft;
        let undecided: Vec<(&PathBuf, Vec<Decision>)> = self
            .sections
            .par_iter()
            .filter(|(_, c)| c.decisions.is_none())
            .filter_map(|(p, c)| {
                let (s, _) = c.parsed.as_ref().ok()?;
                Some((p, editions.iter().map(|e| plan::decide(s, e, draft)).collect()))
            })
            .collect();
        stats.filtered = undecided.len();
        let undecided: Vec<(PathBuf, Vec<Decision>)> = undecided.into_iter().map(|(p, d)| (p.clone(), d)).collect();

        stats.phase("filter", &mut since);
        // Render texts never rendered before, in parallel, outside any lock.
        let mut jobs: Vec<(PathBuf, String)> = Vec::new();
        for (p, ds) in &undecided {
            for d in ds.iter().flatten() {
                let known = self.render_index.get(p).is_some_and(|v| v.iter().any(|(t, _)| *t == d.text));
                if !known && !jobs.iter().any(|(q, t)| q == p && *t == d.text) {
                    jobs.push((p.clone(), d.text.clone()));
                }
            }
        }
        stats.rendered = jobs.len();
        let rendered: Vec<Rendered> =
            jobs.par_iter().map(|(p, t)| render::render(t, p, &|f| self.sections.contains_key(f))).collect();
        let base = self.render_files.len();
        for (k, ((p, t), r)) in jobs.into_iter().zip(rendered).enumerate() {
            self.render_files.push(file_targets(&r));
            self.render_index.entry(p).or_default().push((t, base + k));
            self.pending_renders.push(r);
        }
        for (p, ds) in undecided {
            let idx = self.render_index.get(&p);
            let with_render: Vec<(Decision, Option<usize>)> = ds
                .into_iter()
                .map(|d| {
                    let r = d
                        .as_ref()
                        .ok()
                        .and_then(|f| idx.and_then(|v| v.iter().find(|(t, _)| *t == f.text)).map(|(_, i)| *i));
                    (d, r)
                })
                .collect();
            if let Some(c) = self.sections.get_mut(&p) {
                c.decisions = Some(with_render);
            }
        }

        stats.phase("render", &mut since);
        // Files that some edition now references: prepare those new or changed.
        let mut needed: BTreeSet<&PathBuf> = BTreeSet::new();
        for c in self.sections.values() {
            for (_, r) in c.decisions.iter().flatten() {
                if let Some(r) = r {
                    needed.extend(&self.render_files[*r]);
                }
            }
        }
        let to_prepare: Vec<PathBuf> = needed
            .into_iter()
            .filter(|f| self.prepared_files.get(*f) != Some(&self.files.get(*f).copied().flatten()))
            .cloned()
            .collect();
        let made: Vec<(PathBuf, Result<Vec<u8>, Diagnostic>)> =
            to_prepare.par_iter().map(|f| (f.clone(), crate::images::prepare(&self.root, f))).collect();
        let mut file_errors = Diagnostics::default();
        let mut new_files = Vec::new();
        for (f, r) in made {
            match r {
                Ok(b) => new_files.push((f, b)),
                Err(d) => file_errors.push(d),
            }
        }
        stats.files_prepared = new_files.len();
        if file_errors.has_errors() {
            self.publish_errors(file_errors);
            stats.took = started.elapsed();
            return stats;
        }
        for (f, _) in &new_files {
            self.prepared_files.insert(f.clone(), self.files.get(f).copied().flatten());
        }

        stats.phase("files", &mut since);
        // Publish: a short write lock; everything in it is moving and indexing.
        let dirty: Vec<PathBuf> = self.sections.iter().filter(|(_, c)| c.dirty).map(|(p, _)| p.clone()).collect();
        {
            let mut live = self.live.write().unwrap_or_else(|e| e.into_inner());
            let sections = &self.sections;
            let decisions = |f: &PathBuf| sections[f].decisions.as_ref().expect("decided");
            // The common edit: no section came, went or moved, and every edition
            // still includes the same sections. Patch only what changed.
            let patch = same_order
                && !config_changed
                && !touched
                && live.prepared.as_ref().is_some_and(|p| {
                    dirty.iter().all(|f| {
                        let Some(&i) = p.content.by_file.get(f) else { return false };
                        let ds = decisions(f);
                        p.plan.editions.iter().enumerate().all(|(e, ep)| ep.includes(i).is_some() == ds[e].0.is_ok())
                    })
                });
            if patch {
                let p = live.prepared.as_mut().expect("checked");
                p.plan.renders.append(&mut self.pending_renders);
                for (f, b) in new_files {
                    p.files.insert(f, b);
                }
                for f in &dirty {
                    let i = p.content.by_file[f];
                    let c = &sections[f];
                    p.content.sections[i] = c.parsed.as_ref().expect("valid").0.clone();
                    for (e, ep) in p.plan.editions.iter_mut().enumerate() {
                        if let Some(&pos) = ep.position.get(&i) {
                            let (d, r) = &decisions(f)[e];
                            let fl = d.as_ref().expect("included");
                            ep.included[pos] = crate::plan::Included {
                                section: i,
                                render: r.expect("rendered"),
                                marking: fl.marking,
                                handling: fl.handling.clone(),
                            };
                        }
                    }
                }
                if let Some(t) = self.pending_theme.take() {
                    p.theme = t;
                }
                debug_assert_eq!(p.plan.renders.len(), self.render_files.len());
            } else {
                let old = live.prepared.take();
                let order = match (order, &old) {
                    (Some(o), _) => o,
                    (None, Some(p)) => p.content.sections.iter().map(|s| s.file.clone()).collect(),
                    (None, None) => Vec::new(),
                };
                let (mut old_sections, mut renders, mut prepared_bytes, old_theme) = match old {
                    Some(p) => {
                        let secs: HashMap<PathBuf, Section> =
                            p.content.sections.into_iter().map(|s| (s.file.clone(), s)).collect();
                        (secs, p.plan.renders, p.files, Some(p.theme))
                    }
                    None => (HashMap::new(), Vec::new(), BTreeMap::new(), None),
                };
                renders.append(&mut self.pending_renders);
                debug_assert_eq!(renders.len(), self.render_files.len());
                for (f, b) in new_files {
                    prepared_bytes.insert(f, b);
                }
                let mut content_sections = Vec::with_capacity(order.len());
                for f in &order {
                    let c = &sections[f];
                    let published = if c.dirty { None } else { old_sections.remove(f) };
                    content_sections.push(match published {
                        Some(s) => s,
                        None => c.parsed.as_ref().expect("valid").0.clone(),
                    });
                }
                let by_file = content_sections.iter().enumerate().map(|(i, s)| (s.file.clone(), i)).collect();
                let content = Content {
                    profile: profile.clone(),
                    sections: content_sections,
                    by_file,
                    files,
                    // Shown by the server from `Live::warnings`; pages do not use them.
                    warnings: Diagnostics::default(),
                };
                let decision =
                    |e: usize, i: usize| -> &(Decision, Option<usize>) { &decisions(&content.sections[i].file)[e] };
                let editions = plan::assemble(
                    &content,
                    &profile.editions,
                    |e, i| &decision(e, i).0,
                    |e, i, _| decision(e, i).1.expect("rendered"),
                    false,
                );
                let theme = self.pending_theme.take().or(old_theme).expect("a theme was loaded");
                live.prepared =
                    Some(Prepared { content, plan: Plan { editions, renders }, theme, files: prepared_bytes });
            }
            live.errors = Diagnostics::default();
            live.warnings = warnings;
            live.generation += 1;
        }
        for f in &dirty {
            if let Some(c) = self.sections.get_mut(f) {
                c.dirty = false;
            }
        }
        stats.phase("publish", &mut since);
        stats.ok = true;
        stats.took = started.elapsed();
        stats
    }

    fn publish_errors(&self, errors: Diagnostics) {
        let mut live = self.live.write().unwrap_or_else(|e| e.into_inner());
        live.errors = errors;
        live.generation += 1;
    }
}

fn is_section(p: &Path) -> bool {
    p.extension().is_some_and(|e| e == "md")
}

fn file_targets(r: &Rendered) -> Vec<PathBuf> {
    r.targets
        .iter()
        .filter_map(|t| match t {
            Target::File(f) => Some(f.clone()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = "title: T\narea: A\nowner: {name: O}\nproduced: 2026-10-01\nreview_by: 2027-09-30\nceiling: OFFICIAL-SENSITIVE\neditions:\n  partnership: {name: P, classification: OFFICIAL-SENSITIVE}\n  members: {name: M, classification: OFFICIAL, approval: {by: X, on: 2026-10-02, rationale: R}}\n";

    fn write(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn section(title: &str, audience: &str, body: &str) -> String {
        format!("---\ntitle: \"{title}\"\nclassification: OFFICIAL\naudience: [{audience}]\n---\n{body}")
    }

    fn change(paths: &[&str]) -> Change {
        Change { content: paths.iter().map(PathBuf::from).collect(), ..Change::default() }
    }

    #[test]
    fn rebuilds_only_what_changed_and_keeps_the_last_good_build() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        write(root, "brief.yaml", CONFIG);
        write(root, "content/a.md", &section("A", "all", "See [b](b.md).\n"));
        write(root, "content/b.md", &section("B", "all", "Bee.\n"));
        let mut e = Engine::new(root, false);
        let s = e.rebuild(&Change::everything());
        assert!(s.ok && s.parsed == 2, "{s:?}");

        // A body edit: one section parsed, filtered and rendered again, patched in place.
        write(root, "content/b.md", &section("B", "all", "Bee two.\n"));
        let s = e.rebuild(&change(&["content/b.md"]));
        assert_eq!((s.ok, s.parsed, s.filtered, s.rendered), (true, 1, 1, 1), "{s:?}");
        {
            let live = e.live.read().unwrap();
            let p = live.prepared.as_ref().unwrap();
            let b = p.content.by_file[Path::new("content/b.md")];
            let inc = p.plan.editions[1].includes(b).unwrap();
            assert!(p.plan.renders[inc.render].html.contains("Bee two."));
        }
        // The same bytes again: nothing to do.
        assert!(e.rebuild(&change(&["content/b.md"])).unchanged);

        // A rename: links to the old name are checked again.
        std::fs::rename(root.join("content/b.md"), root.join("content/c.md")).unwrap();
        let s = e.rebuild(&change(&["content/b.md", "content/c.md"]));
        assert!(s.ok, "{s:?}");
        let live = e.live.read().unwrap();
        assert!(live.warnings.0.iter().any(|w| w.message.contains("link to `b.md`")), "{:?}", live.warnings);
        assert!(live.prepared.as_ref().unwrap().content.by_file.contains_key(Path::new("content/c.md")));
        drop(live);

        // A bad edit keeps the last good build, and the errors name file and line.
        write(root, "content/c.md", &section("C", "nobody", "x\n"));
        let s = e.rebuild(&change(&["content/c.md"]));
        assert!(!s.ok);
        let live = e.live.read().unwrap();
        assert!(live.errors.0.iter().any(|d| d.file == Path::new("content/c.md") && d.line == 4), "{:?}", live.errors);
        assert!(live.prepared.as_ref().unwrap().content.by_file.contains_key(Path::new("content/c.md")));
        drop(live);

        // An audience change moves the section out of an edition (the plan is rebuilt).
        write(root, "content/c.md", &section("C", "partnership", "Sea.\n"));
        assert!(e.rebuild(&change(&["content/c.md"])).ok);
        let live = e.live.read().unwrap();
        let p = live.prepared.as_ref().unwrap();
        let c = p.content.by_file[Path::new("content/c.md")];
        assert!(p.plan.editions[0].includes(c).is_some() && p.plan.editions[1].includes(c).is_none());
        assert!(live.errors.0.is_empty());
    }
}
