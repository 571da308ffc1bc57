//! The build, as a straight list of steps: load → plan (filter and render) →
//! prepare files → write each edition → swap in → reports.

use crate::config::Edition;
use crate::date::Date;
use crate::diagnostic::{BuildError, Diagnostic, Diagnostics};
use crate::load::{self, Content};
use crate::plan::{self, Plan};
use crate::site::{self, Built, Sink};
use crate::term::{Counting, Progress};
use crate::theme::Theme;
use crate::write::{DirSink, Staging};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

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

#[derive(Debug)]
pub struct EditionSummary {
    pub id: String,
    pub search_index: std::time::Duration,
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
    pub timings: Vec<(&'static str, std::time::Duration)>,
}

/// Editions beyond the partnership need an approval record (guide 4.46), unless drafting.
pub fn check_approvals(editions: &[Edition], draft: bool) -> Diagnostics {
    let mut d = Diagnostics::default();
    if draft {
        return d;
    }
    for e in editions.iter().filter(|e| !e.base && e.approval.is_none()) {
        d.push(Diagnostic::error(
            "brief.yaml",
            e.line,
            format!("edition `{}` shares the profile beyond the partnership but has no approval record", e.id),
            "add `approval: {by: \"…\", on: YYYY-MM-DD, rationale: \"…\"}` once the partnership has approved it (guide 4.46), or build with --draft",
        ));
    }
    d
}

/// Prepare every file that some edition references, once each, in parallel.
pub fn prepare_files(root: &Path, needed: &BTreeSet<PathBuf>) -> Result<BTreeMap<PathBuf, Vec<u8>>, Diagnostics> {
    let results: Vec<(PathBuf, Result<Vec<u8>, Diagnostic>)> =
        needed.par_iter().map(|f| (f.clone(), crate::images::prepare(root, f))).collect();
    let mut d = Diagnostics::default();
    let mut out = BTreeMap::new();
    for (f, r) in results {
        match r {
            Ok(b) => {
                out.insert(f, b);
            }
            Err(e) => d.push(e),
        }
    }
    if d.has_errors() {
        Err(d)
    } else {
        Ok(out)
    }
}

/// Everything up to writing, shared by `build`, `serve` and `check`.
pub struct Prepared {
    pub content: Content,
    pub plan: Plan,
    pub theme: Theme,
    pub files: BTreeMap<PathBuf, Vec<u8>>,
}

pub fn prepare(root: &Path, draft: bool) -> Result<Prepared, Diagnostics> {
    let content = load::load(root)?;
    let approvals = check_approvals(&content.profile.editions, draft);
    if approvals.has_errors() {
        return Err(approvals);
    }
    let theme = Theme::load(root, &content.profile.theme)?;
    let plan = plan::plan(&content, &content.profile.editions, draft);
    let needed: BTreeSet<PathBuf> = plan.editions.iter().flat_map(|ep| site::needed_files(ep, &plan.renders)).collect();
    let files = prepare_files(root, &needed)?;
    Ok(Prepared { content, plan, theme, files })
}

/// Build every edition of one prepared profile into `sink_for(edition)`.
pub fn write_editions<S: Sink>(
    p: &Prepared,
    draft: bool,
    sink_for: impl Fn(&str) -> S + Sync,
) -> Result<Vec<Built>, Diagnostics> {
    let opts = site::Options { draft, today: Date::today() };
    let results: Vec<Result<Built, Diagnostics>> = p
        .plan
        .editions
        .par_iter()
        .map(|ep| {
            site::build_edition(&p.content, ep, &p.plan.renders, &p.theme, &p.files, &opts, &sink_for(&ep.edition.id))
        })
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

/// `brief build`: all editions, or nothing.
pub fn build(opts: &BuildOptions) -> Result<BuildSummary, BuildError> {
    build_with(opts, &Progress::hidden())
}

/// [`build`], naming each step and counting files on a progress line.
pub fn build_with(opts: &BuildOptions, progress: &Progress) -> Result<BuildSummary, BuildError> {
    let mut clock = Clock::new();
    progress.stage("Reading, filtering and rendering sections");
    let prepared = prepare(&opts.root, opts.draft)?;
    clock.lap("load, filter and render");
    progress.stage("Writing pages");
    let one = |d: Diagnostic| BuildError::Invalid(Diagnostics(vec![d]));
    let public = Staging::new(&opts.out, &opts.root).map_err(one)?;
    let reports = Staging::new(&opts.reports, &opts.root).map_err(one)?;
    let staged = public.path().to_path_buf();
    let built =
        write_editions(&prepared, opts.draft, |id| Counting { inner: DirSink::new(staged.join(id)), progress })?;
    clock.lap("pages, search and files");
    progress.stage("Writing reports");
    for (ep, b) in prepared.plan.editions.iter().zip(&built) {
        let json = crate::report::json(ep, &prepared.content, &b.plain_links, opts.draft);
        let html = crate::report::html(ep, &prepared.content, &b.plain_links, opts.draft);
        let sink = DirSink::new(reports.path());
        sink.put(&format!("{}.json", ep.edition.id), json.into_bytes()).map_err(one)?;
        sink.put(&format!("{}.html", ep.edition.id), html.into_bytes()).map_err(one)?;
    }
    clock.lap("reports");
    progress.stage("Swapping in the new output");
    public.commit().map_err(one)?;
    reports.commit().map_err(one)?;
    clock.lap("swap in");
    let editions = prepared
        .plan
        .editions
        .iter()
        .zip(&built)
        .map(|(ep, b)| EditionSummary {
            id: ep.edition.id.clone(),
            search_index: b.search_index,
            sections: ep.included.len(),
            withheld: ep.withheld.len(),
            pages: b.pages,
            files: b.files,
        })
        .collect();
    Ok(BuildSummary { editions, warnings: prepared.content.warnings, timings: clock.laps })
}

struct Clock {
    last: std::time::Instant,
    laps: Vec<(&'static str, std::time::Duration)>,
}

impl Clock {
    fn new() -> Self {
        Clock { last: std::time::Instant::now(), laps: Vec::new() }
    }
    fn lap(&mut self, name: &'static str) {
        let now = std::time::Instant::now();
        self.laps.push((name, now - self.last));
        self.last = now;
    }
}
