//! The build, as a straight list of steps:
//!
//! 1. **load** the profile (`brief.yaml`, every section and file under `content/`);
//! 2. check the **approvals** of editions shared beyond the partnership;
//! 3. load the **theme**;
//! 4. **withhold** from each edition what it may not see ([`crate::withhold`]);
//! 5. **prepare the files** the editions' kept text links or shows;
//! 6. **render** each distinct cut text once, shared by the editions that have it;
//! 7. **write** each edition's pages (with what changed since the summary the
//!    last build kept, [`attach_history`]), then the owner's reports and the
//!    new summaries; **check** every file written and record each edition's
//!    manifest ([`crate::issuing::seal`]); swap them in.
//!
//! Steps 1–6 are [`prepare`], used alike by `build`, `check`, `diff`, `copies`
//! and `serve`. The preview keeps a [`Cache`] of those steps' pure results
//! between rebuilds; a build starts with an empty one, so both take the same
//! steps in the same order on the same inputs.

use crate::config::{self, check_approvals, Profile};
use crate::data::DataFile;
use crate::date::Date;
use crate::diagnostic::{BuildError, Diagnostic, Diagnostics};
use crate::images;
use crate::load::{self, Content};
use crate::render::{self, Rendered};
use crate::section::Section;
use crate::site::{self, Built};
use crate::term::{Counting, Progress};
use crate::theme::Theme;
use crate::withhold::cut::CutText;
use crate::withhold::view::{PublishedFile, PublishedPicture};
use crate::withhold::{self, EditionView, Redactions};
use crate::write::{check_outputs, DirSink, Sink, Staging};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Output folder; one sub-folder per edition.
    pub out: PathBuf,
    pub reports: PathBuf,
    pub draft: bool,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        let root = root.into();
        BuildOptions { out: root.join("public"), reports: root.join("reports"), root, draft: false }
    }
}

/// One edition, ready to write.
pub struct EditionBuild {
    pub view: EditionView,
    /// For the owner's report only: never given to pages.
    pub redactions: Redactions,
}

/// A profile ready to write, in memory.
pub struct Site {
    /// The whole profile: for `check`'s guide checks and the reports, never for pages.
    pub content: Arc<Content>,
    pub editions: Vec<EditionBuild>,
    pub theme: Arc<Theme>,
    pub warnings: Diagnostics,
    pub draft: bool,
    /// Wall time of each step.
    pub timings: Vec<(&'static str, Duration)>,
}

impl Site {
    pub fn edition(&self, id: &str) -> Option<&EditionBuild> {
        self.editions.iter().find(|e| e.view.edition.id == id)
    }
}

type Stamp = (u64, Option<SystemTime>);
type Parsed = (Option<Arc<Section>>, Diagnostics);

fn stamp(path: &Path) -> Option<Stamp> {
    let m = std::fs::symlink_metadata(path).ok()?;
    m.is_file().then(|| (m.len(), m.modified().ok()))
}

/// Results of the pure steps, kept between the preview's rebuilds. Every
/// entry is keyed by all its step depends on: a section by its file's size
/// and time (and by `brief.yaml`, which empties the cache when it changes), a
/// rendering by its whole cut text, a prepared file by its size and time.
///
/// The preview's watcher says what changed ([`Cache::forget`]); a path it
/// does not report is not read or even looked at again. The list of files
/// under content/ is kept until a reported path is one it does not hold
/// (added), is no longer a plain file (removed, or now a link), or a folder
/// changed ([`Cache::forget_tree`]). A fresh cache (every `brief build`)
/// reads everything.
#[derive(Default)]
pub struct Cache {
    config: Option<(Vec<u8>, Profile)>,
    /// Each section's links as checked last time ([`load::LinkChecks`]).
    link_checks: load::LinkChecks,
    /// The last walk of content/: the root it was under, its files in
    /// order (sections, then the rest), and as a set.
    walked: Option<(PathBuf, Walked, FxHashSet<PathBuf>)>,
    /// Hashed with Fx: every rebuild looks up every section file.
    sections: FxHashMap<PathBuf, (Option<Stamp>, Arc<Parsed>)>,
    /// Hashed with Fx: every rebuild looks up every section of every edition.
    renders: FxHashMap<Arc<CutText>, Arc<Rendered>>,
    /// The renderings attached last time, by the address of the cut text
    /// they were attached for (held here, so the address is not reused),
    /// with the number of the last rebuild that used each.
    attached: FxHashMap<usize, (Arc<CutText>, Arc<Rendered>, u64)>,
    /// How many times views were rendered: marks what `attached` still needs.
    rendered_times: u64,
    /// Where each section stands in each edition ([`withhold::place`]), by
    /// section (its parsed `Arc`, held here so the address is not reused),
    /// edition (its index in brief.yaml, which empties this when it
    /// changes) and draft.
    placed: FxHashMap<(usize, usize, bool), (Arc<Section>, withhold::Placed)>,
    /// Each edition's resolved links, by its index in brief.yaml ([`withhold::LinkMemo`]).
    links: Vec<withhold::LinkMemo>,
    files: HashMap<PathBuf, (Option<Stamp>, PublishedFile, Option<String>)>,
    /// Prepared images by content (hash and extension), so an image is
    /// re-encoded and resized once, whatever its name or however often it moves.
    images: HashMap<String, PublishedFile>,
    /// Data files by path, keyed by the file's and its sidecar's stamps.
    data: HashMap<PathBuf, DataEntry>,
    theme: Option<(String, Arc<Theme>)>,
    /// Section hashes for "Changes since" ([`crate::changes::Memo`]).
    pub history: crate::changes::Memo,
}

/// Files under content/: (sections, the rest).
type Walked = (Vec<PathBuf>, Vec<PathBuf>);

type DataEntry = ((Option<Stamp>, Option<Stamp>), Result<Arc<DataFile>, Diagnostics>);

impl Cache {
    /// Forget what was read from these paths (relative to the root): the watcher saw them change.
    pub fn forget(&mut self, root: &Path, paths: &[PathBuf]) {
        let ignore = self.config.as_ref().map_or(&[][..], |(_, p)| &p.ignore[..]);
        for p in paths {
            self.sections.remove(p);
            self.files.remove(p);
            let listed = self.walked.as_ref().is_some_and(|(r, _, set)| r == root && set.contains(p));
            let plain_file = std::fs::symlink_metadata(root.join(p)).is_ok_and(|m| m.is_file());
            // Still the same file the walk listed, or one the walk passes over: the list stands.
            let list_stands = (listed && plain_file) || load::walk_skips(p, ignore);
            if !list_stands {
                self.walked = None;
            }
        }
    }

    /// Walk content/ again: a folder under it changed.
    pub fn forget_tree(&mut self) {
        self.walked = None;
    }

    pub fn forget_theme(&mut self) {
        self.theme = None;
    }

    fn profile(&mut self, root: &Path) -> Result<Profile, Diagnostics> {
        let bytes = std::fs::read(root.join(config::CONFIG_FILE)).unwrap_or_default();
        if let Some((b, p)) = &self.config {
            if *b == bytes {
                return Ok(p.clone());
            }
        }
        // The vocabulary (editions, threats, caveats) and `ignore:` may have changed: nothing read stays.
        self.sections.clear();
        self.data.clear();
        self.placed.clear();
        self.links.clear();
        self.link_checks = load::LinkChecks::default();
        self.walked = None;
        self.config = None;
        let p = config::load(root)?;
        self.config = Some((bytes, p.clone()));
        Ok(p)
    }

    /// Step 1: read and validate the profile, parsing only files not parsed before.
    fn load(&mut self, root: &Path) -> Result<Content, Diagnostics> {
        let profile = self.profile(root)?;
        let kept_walk = self.walked.as_ref().is_some_and(|(r, _, _)| r == root);
        if !kept_walk {
            let paths = load::walk(root, &profile.ignore)?;
            let set = paths.iter().cloned().collect();
            let walked = paths.into_iter().partition(|p| p.extension().is_some_and(|e| e == "md"));
            self.walked = Some((root.to_path_buf(), walked, set));
        }
        let Some((_, (md, other), _)) = &self.walked else { unreachable!("walked just above") };
        // Between walks, a section the watcher has not reported since it was
        // read is as it was; a new walk looks at every file's size and time.
        // Each section, and whether it was read now (its stamp, if so).
        let read: Vec<(Arc<Parsed>, Option<Option<Stamp>>)> = md
            .par_iter()
            .map(|f| {
                let old = self.sections.get(f);
                if let (true, Some((_, p))) = (kept_walk, old) {
                    return (p.clone(), None);
                }
                let st = stamp(&root.join(f));
                match old {
                    Some((o, p)) if st.is_some() && *o == st => (p.clone(), Some(st)),
                    _ => {
                        let (s, d) = load::read_section(root, f, &profile);
                        (Arc::new((s.map(Arc::new), d)), Some(st))
                    }
                }
            })
            .collect();
        if !kept_walk {
            // A new walk: forget sections no longer there.
            self.sections.clear();
        }
        for (f, (p, st)) in md.iter().zip(&read) {
            if let Some(st) = st {
                self.sections.insert(f.clone(), (*st, p.clone()));
            }
        }
        let parsed: Vec<Arc<Parsed>> = read.into_iter().map(|(p, _)| p).collect();
        let parsed = md.iter().zip(&parsed).map(|(f, p)| (f.as_path(), p.0.clone(), p.1.clone())).collect();
        let mut content = load::assemble(profile, parsed, other.iter().cloned().collect(), &mut self.link_checks)?;
        content.data = self.data(root, &content)?;
        Ok(content)
    }

    /// Step 1, continued: the data files figures read, each read again only
    /// when it or its sidecar changed.
    fn data(&mut self, root: &Path, content: &Content) -> Result<BTreeMap<PathBuf, Arc<DataFile>>, Diagnostics> {
        let old = std::sync::Mutex::new(std::mem::take(&mut self.data));
        let fresh = std::sync::Mutex::new(HashMap::new());
        let read = |f: &Path| {
            let stamps = (stamp(&root.join(f)), stamp(&root.join(crate::data::sidecar_path(f))));
            let cached = old.lock().expect("data cache").remove(f).filter(|(st, _)| st.0.is_some() && *st == stamps);
            let r = match cached {
                Some((_, r)) => r,
                None => crate::data::read(root, f, &content.profile).map(Arc::new),
            };
            fresh.lock().expect("data cache").insert(f.to_path_buf(), (stamps, r.clone()));
            r
        };
        let out = crate::data::load_all(content, &read);
        self.data = fresh.into_inner().expect("data cache");
        out
    }

    /// Step 3.
    fn theme(&mut self, root: &Path, name: &str) -> Result<Arc<Theme>, Diagnostics> {
        if let Some((n, t)) = &self.theme {
            if n == name {
                return Ok(t.clone());
            }
        }
        let t = Arc::new(Theme::load(root, name)?);
        self.theme = Some((name.to_string(), t.clone()));
        Ok(t)
    }

    /// Step 5: each file some edition needs, prepared once (images
    /// re-encoded, with their smaller copies). An image is prepared again
    /// only when its content is new: the cache keeps each by its hash.
    fn files(
        &mut self,
        root: &Path,
        needed: &BTreeSet<PathBuf>,
    ) -> Result<HashMap<PathBuf, PublishedFile>, Diagnostics> {
        let images = &self.images;
        type Made = (PathBuf, Option<Stamp>, Result<(PublishedFile, Option<String>), Diagnostic>);
        let made: Vec<Made> = needed
            .par_iter()
            .map(|f| {
                let st = stamp(&root.join(f));
                match self.files.get(f) {
                    Some((old, p, key)) if st.is_some() && *old == st => (f.clone(), st, Ok((p.clone(), key.clone()))),
                    _ => {
                        let r = images::read(root, f).and_then(|bytes| {
                            if !crate::links::is_image(f) {
                                return images::prepare(f, &bytes).map(|p| (publish(f, p), None));
                            }
                            let key = images::content_key(f, &bytes);
                            match images.get(&key) {
                                Some(p) => Ok((p.clone(), Some(key))),
                                None => images::prepare(f, &bytes).map(|p| (publish(f, p), Some(key))),
                            }
                        });
                        (f.clone(), st, r)
                    }
                }
            })
            .collect();
        let mut d = Diagnostics::default();
        let mut out = HashMap::new();
        // Keep only the images this build used, so the cache does not grow with every edit.
        let mut kept_images = HashMap::new();
        self.files.clear();
        for (f, st, r) in made {
            match r {
                Ok((p, key)) => {
                    if let Some(k) = &key {
                        kept_images.insert(k.clone(), p.clone());
                    }
                    self.files.insert(f.clone(), (st, p.clone(), key));
                    out.insert(f, p);
                }
                Err(e) => d.push(e),
            }
        }
        self.images = kept_images;
        if d.has_errors() {
            Err(d)
        } else {
            Ok(out)
        }
    }

    /// Step 6: render each distinct cut text once; attach renderings to the
    /// views. An error where a cut text reads differently from the body, or
    /// where an edition's text names a section it withholds by its file.
    fn render(&mut self, editions: &mut [EditionBuild]) -> Diagnostics {
        // A section whose cut is the very one attached last time (the cut
        // cache kept it) needs no lookup by its text.
        let ptr = |c: &Arc<CutText>| Arc::as_ptr(c) as usize;
        let mut jobs: Vec<&Arc<CutText>> = Vec::new();
        {
            let mut seen: FxHashSet<&CutText> = FxHashSet::default();
            for e in editions.iter() {
                for s in &e.view.sections {
                    let known = self.attached.contains_key(&ptr(&s.cut)) || self.renders.contains_key(&*s.cut);
                    if !known && seen.insert(&s.cut) {
                        jobs.push(&s.cut);
                    }
                }
            }
        }
        let made: Vec<(Arc<CutText>, Arc<Rendered>)> =
            jobs.par_iter().map(|c| ((*c).clone(), Arc::new(render::render(c)))).collect();
        self.renders.extend(made);
        let (renders, attached) = (&self.renders, &self.attached);
        // Editions side by side: attaching resolves every link of every section.
        editions.par_iter_mut().for_each(|e| {
            e.view.attach(|c| match attached.get(&ptr(c)) {
                Some((_, r, _)) => r.clone(),
                None => renders[&**c].clone(),
            })
        });
        // Updated in place: most entries are the same as last time.
        self.rendered_times += 1;
        let now = self.rendered_times;
        for e in editions.iter() {
            for (i, s) in e.view.sections.iter().enumerate() {
                let (_, r) = e.view.made_of(i).expect("attached just above");
                match self.attached.get_mut(&ptr(&s.cut)) {
                    Some(entry) => entry.2 = now,
                    None => {
                        self.attached.insert(ptr(&s.cut), (s.cut.clone(), r.clone(), now));
                    }
                }
            }
        }
        // Keep only what this build used, so the cache does not grow with
        // every edit: a rendering goes once no view or attached entry holds it.
        self.attached.retain(|_, (_, _, used)| *used == now);
        self.renders.retain(|_, r| Arc::strong_count(r) > 1);
        let named = |e: &EditionBuild| crate::withhold::mentions::withheld_sections_named(&e.view, &e.redactions);
        Diagnostics(editions.iter().flat_map(|e| e.view.cuts_read_differently().into_iter().chain(named(e))).collect())
    }
}

/// A prepared file, and its smaller copies, named by their content.
fn publish(source: &Path, p: images::Prepared) -> PublishedFile {
    let picture = p.picture.map(|pic| {
        let smaller = pic
            .smaller
            .into_iter()
            .map(|(w, b)| {
                (w, PublishedFile { path: images::published_path(source, &b), bytes: Arc::new(b), picture: None })
            })
            .collect();
        Arc::new(PublishedPicture { width: pic.width, height: pic.height, smaller })
    });
    PublishedFile { path: images::published_path(source, &p.bytes), bytes: Arc::new(p.bytes), picture }
}

impl Cache {
    /// Step 4. Where each section stands in each edition ([`withhold::place`])
    /// is taken from the cache when the section is the same parse as before
    /// and its entry does not read data files.
    fn withhold(&mut self, content: &Content, draft: bool) -> Result<(Vec<EditionBuild>, Diagnostics), Diagnostics> {
        let editions = &content.profile.editions;
        let kept = &self.placed;
        let placed: Vec<Vec<withhold::Placed>> = editions
            .par_iter()
            .enumerate()
            .map(|(ei, e)| {
                let place = |s: &Arc<Section>| match kept.get(&(Arc::as_ptr(s) as usize, ei, draft)) {
                    Some((_, p)) if p.reusable() => p.clone(),
                    _ => withhold::place(content, s, e, draft),
                };
                content.sections.par_iter().map(place).collect()
            })
            .collect();
        // Only placements made now are added; those of sections nobody else
        // holds (edited, removed) go, so the cache does not grow with every edit.
        for (ei, column) in placed.iter().enumerate() {
            for (s, p) in content.sections.iter().zip(column) {
                let key = (Arc::as_ptr(s) as usize, ei, draft);
                let same = self.placed.get(&key).is_some_and(|(_, old)| old.same(p));
                if !same {
                    self.placed.insert(key, (s.clone(), p.clone()));
                }
            }
        }
        self.placed.retain(|_, (s, _)| Arc::strong_count(s) > 1);
        self.links.resize_with(editions.len(), Default::default);
        withhold_all(content, draft, &placed, &mut self.links)
    }
}

/// Step 4, for every edition, in parallel: the views, or every error.
fn withhold_all(
    content: &Content,
    draft: bool,
    placed: &[Vec<withhold::Placed>],
    links: &mut [withhold::LinkMemo],
) -> Result<(Vec<EditionBuild>, Diagnostics), Diagnostics> {
    let results: Vec<withhold::Withholding> = content
        .profile
        .editions
        .par_iter()
        .zip(placed)
        .zip(links)
        .map(|((e, p), memo)| withhold::withhold(content, e, draft, p, memo))
        .collect();
    let (mut errors, mut warnings) = (Diagnostics::default(), Diagnostics::default());
    let bad: Vec<&[withhold::view::BadLink]> = results.iter().map(|w| w.bad_links.as_slice()).collect();
    errors.extend(withhold::view::link_errors(&bad));
    let mut editions = Vec::new();
    for w in results {
        errors.extend(w.errors);
        warnings.extend(w.warnings);
        editions.push(EditionBuild { view: w.view, redactions: w.redactions });
    }
    if errors.has_errors() {
        return Err(errors.sorted());
    }
    Ok((editions, warnings))
}

struct Clock {
    last: Instant,
    laps: Vec<(&'static str, Duration)>,
}

impl Clock {
    fn new() -> Self {
        Clock { last: Instant::now(), laps: Vec::new() }
    }
    fn lap(&mut self, name: &'static str) {
        let now = Instant::now();
        self.laps.push((name, now - self.last));
        self.last = now;
    }
}

/// Steps 1–6: the profile at `root`, withheld, rendered, in memory.
pub fn prepare(root: &Path, draft: bool, cache: &mut Cache) -> Result<Site, Diagnostics> {
    let mut clock = Clock::new();
    let content = cache.load(root)?;
    clock.lap("load");
    let approvals = check_approvals(&content.profile.editions, draft);
    if approvals.has_errors() {
        return Err(approvals);
    }
    let theme = cache.theme(root, &content.profile.theme)?;
    clock.lap("theme");
    let (mut editions, withhold_warnings) = cache.withhold(&content, draft)?;
    clock.lap("withhold");
    let needed: BTreeSet<PathBuf> = editions.iter().flat_map(|e| e.view.needed_files().cloned()).collect();
    let files = cache.files(root, &needed)?;
    for e in &mut editions {
        e.view.attach_files(|f| files.get(f).cloned());
    }
    clock.lap("files");
    let misread = cache.render(&mut editions);
    if misread.has_errors() {
        return Err(misread);
    }
    clock.lap("render");
    let mut warnings = content.warnings.clone();
    warnings.extend(withhold_warnings);
    let mut site = Site { content: Arc::new(content), editions, theme, warnings, draft, timings: clock.laps };
    site.warnings.extend(crate::check::lints(&site));
    site.warnings = std::mem::take(&mut site.warnings).sorted();
    Ok(site)
}

/// Give each edition its summary for "Changes since" ([`crate::changes`]):
/// its sections as it shows them now, on `today`, after the summary the
/// last build left in `reports` (read only; a build writes the new one with
/// the reports). A summary that cannot be read is a warning, and the
/// edition starts afresh.
pub fn attach_history(site: &mut Site, reports: &Path, today: Date, memo: &mut crate::changes::Memo) {
    let mut warnings = Diagnostics::default();
    let prevs: Vec<Option<Arc<crate::changes::Summary>>> =
        site.editions.iter().map(|e| last_summary(&e.view.edition.id, reports, memo, &mut warnings)).collect();
    // Editions side by side: each hashes what its every page shows.
    let memo_now = &*memo;
    let made: Vec<_> = site
        .editions
        .par_iter_mut()
        .zip(prevs)
        .map(|(e, prev)| {
            let (now, fresh) = crate::changes::state(&e.view, memo_now);
            e.view.history = Some(crate::changes::next_shared(prev, now, &e.view.edition.id, today));
            fresh
        })
        .collect();
    for fresh in made {
        memo.keep(fresh);
    }
    memo.prune();
    site.warnings.extend(warnings);
    site.warnings = std::mem::take(&mut site.warnings).sorted();
}

/// The summary the last build of edition `id` left in `reports`, if it can be used.
fn last_summary(
    id: &str,
    reports: &Path,
    memo: &mut crate::changes::Memo,
    warnings: &mut Diagnostics,
) -> Option<Arc<crate::changes::Summary>> {
    let name = crate::changes::file_name(id);
    let path = reports.join(&name);
    let shown = Path::new("reports").join(&name);
    let mut unreadable = |why: String| {
        warnings.push(Diagnostic::warning(
            &shown,
            0,
            format!("the summary of the last build of edition `{id}` cannot be used ({why}), so it has no \"Changes since\" page this time"),
            "this build writes a new summary; the next build that changes the edition on a later day compares with it",
        ));
        None
    };
    match std::fs::symlink_metadata(&path) {
        Err(_) => None,
        Ok(m) if !m.is_file() => unreadable("it is not a plain file".into()),
        Ok(_) => match std::fs::read(&path).map_err(|e| e.to_string()).and_then(|b| memo.summary(&path, b)) {
            Ok(s) if s.format == crate::changes::FORMAT && s.edition == id => Some(s),
            Ok(s) if s.edition != id => unreadable(format!("it is the summary of edition `{}`", s.edition)),
            Ok(s) => unreadable(format!("its format is {}, not {}", s.format, crate::changes::FORMAT)),
            Err(why) => unreadable(why),
        },
    }
}

/// Step 7a: every edition's pages into `sink_for(edition)`.
pub fn write_editions<S: Sink>(site: &Site, sink_for: impl Fn(&str) -> S + Sync) -> Result<Vec<Built>, Diagnostics> {
    let opts = site::Options { draft: site.draft, today: Date::today(), copy: None };
    let results: Vec<Result<Built, Diagnostics>> = site
        .editions
        .par_iter()
        .map(|e| site::build_edition(&e.view, &site.theme, &opts, &sink_for(&e.view.edition.id)))
        .collect();
    let mut d = Diagnostics::default();
    let mut built = Vec::new();
    for r in results {
        match r {
            Ok(b) => built.push(b),
            Err(e) => d.extend(e),
        }
    }
    if d.has_errors() {
        Err(d)
    } else {
        Ok(built)
    }
}

#[derive(Debug)]
pub struct EditionSummary {
    pub id: String,
    pub search_index: Duration,
    pub sections: usize,
    pub withheld: usize,
    pub pages: usize,
    pub files: usize,
}

#[derive(Debug)]
pub struct BuildSummary {
    pub editions: Vec<EditionSummary>,
    pub warnings: Diagnostics,
    /// Wall time of each step, for `--verbose` and the benchmark.
    pub timings: Vec<(&'static str, Duration)>,
}

/// One edition's reports for its owner, and the summary "Changes since"
/// will compare the next build with.
fn write_reports(e: &EditionBuild, site: &Site, opts: &BuildOptions, reports: &Path) -> Result<(), Diagnostic> {
    let sink = DirSink::new(reports);
    let id = &e.view.edition.id;
    sink.put(&format!("{id}.json"), crate::report::json(e, site).into_bytes())?;
    sink.put(&format!("{id}.html"), crate::report::html(e, site).into_bytes())?;
    let name = crate::changes::file_name(id);
    if opts.draft {
        // A draft build is not a version of the edition: the last good
        // build's summary stays as it was (the reports folder is replaced whole).
        if let Ok(bytes) = std::fs::read(opts.reports.join(&name)) {
            sink.put(&name, bytes)?;
        }
    } else if let Some(h) = &e.view.history {
        let mut json = serde_json::to_vec_pretty(&**h).expect("a summary is plain data");
        json.push(b'\n');
        sink.put(&name, json)?;
    }
    Ok(())
}

/// `brief build`: all editions, or nothing.
pub fn build(opts: &BuildOptions) -> Result<BuildSummary, BuildError> {
    build_with(opts, &Progress::hidden())
}

/// [`build`], naming each step and counting files on a progress line.
pub fn build_with(opts: &BuildOptions, progress: &Progress) -> Result<BuildSummary, BuildError> {
    let one = |d: Diagnostic| BuildError::Invalid(Diagnostics(vec![d]));
    check_outputs(&opts.out, &opts.reports, &opts.root).map_err(one)?;
    progress.stage("Reading, withholding and rendering sections");
    let mut site = prepare(&opts.root, opts.draft, &mut Cache::default())?;
    let mut clock = Clock::new();
    attach_history(&mut site, &opts.reports, Date::today(), &mut crate::changes::Memo::default());
    progress.stage("Writing pages");
    let public = Staging::new(&opts.out).map_err(one)?;
    let reports = Staging::new(&opts.reports).map_err(one)?;
    let staged = public.path().to_path_buf();
    let built = write_editions(&site, |id| Counting { inner: DirSink::new(staged.join(id)), progress })?;
    clock.lap("pages, search and files");
    // The owner's reports and the audit read the same finished site and
    // write different files: side by side.
    progress.stage("Writing reports; checking every file; manifests");
    let (written, sealed) = rayon::join(
        || site.editions.par_iter().try_for_each(|e| write_reports(e, &site, opts, reports.path())).map_err(one),
        || crate::issuing::seal::seal(&site, &opts.root, &staged, reports.path(), &opts.out),
    );
    sealed?;
    written?;
    clock.lap("reports and audit");
    progress.stage("Swapping in the new output");
    public.commit().map_err(one)?;
    reports.commit().map_err(one)?;
    clock.lap("swap in");
    let editions = site
        .editions
        .iter()
        .zip(&built)
        .map(|(e, b)| EditionSummary {
            id: e.view.edition.id.clone(),
            search_index: b.search_index,
            sections: e.view.sections.len(),
            withheld: e.redactions.withheld.len(),
            pages: b.pages,
            files: b.files,
        })
        .collect();
    let mut timings = site.timings.clone();
    timings.extend(clock.laps);
    let summary = BuildSummary { editions, warnings: site.warnings.clone(), timings };
    // Freeing a large site takes a fifth of a second at 10,000 sections,
    // on one thread: it is done beside the summary, or not at all if the
    // program ends first (its memory goes back to the system either way).
    std::thread::spawn(move || drop(site));
    Ok(summary)
}
