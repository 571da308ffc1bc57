//! The edition view: everything one edition may show, and nothing else.
//! Pages, listings, the action plan, search and copies are built from an
//! [`EditionView`] alone; the profile's full [`Content`] never reaches them.
//!
//! A view holds only included sections, their cut text and visible
//! recommendations and sources, the taxonomy terms those sections name, and
//! the files their kept text links. Links are resolved here: a page asks
//! [`EditionView::body_html`] for a section's HTML and gets URLs only of what
//! the edition holds.

use super::cut::{cut, Cut, CutText, KeptLink};
use super::figures::EditionFigure;
use super::rules::{measure_reasons, recommendation_reasons, section_reasons, Kind, Reason, Withheld};
use crate::config::{Accessibility, Edition, Owner};
use crate::date::Date;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::links::Reference;
use crate::load::Content;
use crate::marking::Marking;
use crate::render::{fill_with, Heading, Rendered, TextPart};
use crate::section::{Recommendation, Section};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

/// The profile's own details, from brief.yaml: shown in every edition.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ProfileInfo {
    pub title: String,
    pub area: String,
    pub owner: Owner,
    pub produced: Date,
    pub review_by: Date,
    pub feedback: Option<String>,
    pub accessibility: Accessibility,
    pub lang: String,
    /// Months a section may go without an update before it is flagged.
    pub review_cycle_months: u32,
}

/// A marking with its handling caveats.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mark {
    pub marking: Marking,
    pub handling: BTreeSet<String>,
}

impl Mark {
    /// "OFFICIAL-SENSITIVE PERSONAL DATA": the marking and its caveats, as printed.
    pub fn label(&self) -> String {
        std::iter::once(self.marking.as_str().to_string())
            .chain(self.handling.iter().cloned())
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub fn add(&mut self, other: &Mark) {
        self.marking = self.marking.max(other.marking);
        self.handling.extend(other.handling.iter().cloned());
    }
}

/// A section as one edition shows it, all but where its links lead: that
/// depends on which other sections the edition holds ([`VisibleSection`]).
/// Made by [`place`] from the section and the edition alone (and the data
/// files its figures read), so the preview can keep it while the section is
/// unchanged.
#[derive(Debug)]
pub struct Shown {
    pub slug: String,
    pub title: String,
    pub summary: Option<String>,
    /// Threat ids (each in [`EditionView::threats`]) and location names.
    pub threats: Vec<String>,
    pub areas: Vec<String>,
    pub weight: i64,
    pub owner: Option<String>,
    pub updated: Option<Date>,
    pub lang: Option<String>,
    /// What its title, summary and terms carry (`title_classification`, or the section's own).
    pub title_mark: Mark,
    /// What its page body carries: the highest of what remains in it.
    pub mark: Mark,
    /// What its front matter carries (recommendations, sources): the section's classification and caveats.
    pub front_mark: Mark,
    pub sources: Vec<String>,
    pub recommendations: Vec<Recommendation>,
    /// The text to render, everything withheld removed.
    pub cut: Arc<CutText>,
    /// Its charts and maps, by index in the section's figures: those the
    /// cut kept, each drawn from this edition's rows ([`super::figures`]).
    figures: Vec<Option<Arc<EditionFigure>>>,
    /// Each location's slug, aligned with `areas`.
    area_slugs: Vec<String>,
    /// The cut it was made from: its kept links, its problems.
    from: Arc<Cut>,
    /// What it withholds: the cut's items, then data rows, recommendations
    /// and measures. Link texts (which depend on other sections) go in at
    /// `links_withheld_at`, keeping the owner's report in text order.
    withheld: Vec<Arc<Withheld>>,
    links_withheld_at: usize,
    errors: Vec<Diagnostic>,
}

impl Shown {
    /// Whether it stays right while the section is the same parse and the
    /// edition is unchanged: not when its cut keeps a figure, which reads
    /// data files (whether the figure was drawn or refused).
    pub fn reusable(&self) -> bool {
        self.from.figures.is_empty()
    }
}

/// A section in one edition: what it shows, and where its links lead there.
#[derive(Debug, Clone)]
pub struct VisibleSection {
    shown: Arc<Shown>,
    /// Set by [`EditionView::attach`].
    rendered: Option<Arc<Rendered>>,
    /// Per kept link of the cut, in order: what it points at in this edition.
    linked: Arc<Linked>,
    /// Per target of the rendering: what it points at in this edition.
    targets: Vec<Option<LinkTo>>,
}

impl std::ops::Deref for VisibleSection {
    type Target = Shown;
    fn deref(&self) -> &Shown {
        &self.shown
    }
}

/// What one section is in one edition: withheld whole, or shown.
#[derive(Debug, Clone)]
pub enum Placed {
    Withheld(Arc<Withheld>),
    Shown(Arc<Shown>),
}

impl Placed {
    /// See [`Shown::reusable`]; a withheld section's entry depends on it alone.
    pub fn reusable(&self) -> bool {
        match self {
            Placed::Withheld(_) => true,
            Placed::Shown(s) => s.reusable(),
        }
    }

    /// Whether both are the very same placement (not merely equal).
    pub fn same(&self, other: &Placed) -> bool {
        match (self, other) {
            (Placed::Withheld(a), Placed::Withheld(b)) => Arc::ptr_eq(a, b),
            (Placed::Shown(a), Placed::Shown(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

/// Where a kept link points, in this edition.
#[derive(Debug, Clone, PartialEq, Eq)]
enum LinkTo {
    Section { index: usize, fragment: Option<String> },
    File(PathBuf),
}

/// A threat area or priority location named by the edition's sections.
#[derive(Debug, Clone)]
pub struct Term {
    pub id: String,
    pub name: String,
    pub url: String,
    /// Indices into [`EditionView::sections`].
    pub members: Vec<usize>,
    /// The lowest title marking among its members: the term is seen at that.
    pub mark: Mark,
}

/// A file an edition's kept text links or shows.
#[derive(Debug, Clone)]
pub struct PublishedFile {
    /// Path inside the edition, e.g. `files/3f2a….png`: named by content, so
    /// no source folder or file name (a withheld section's among them) shows.
    pub path: String,
    pub bytes: Arc<Vec<u8>>,
    /// For a raster image: its size and smaller copies, for `srcset`.
    pub picture: Option<Arc<PublishedPicture>>,
}

/// A published image's size and its smaller copies (narrowest first), each
/// a file named by its own content.
#[derive(Debug, Clone)]
pub struct PublishedPicture {
    pub width: u32,
    pub height: u32,
    pub smaller: Vec<(u32, PublishedFile)>,
}

impl PublishedFile {
    /// This file and its smaller copies.
    pub fn with_copies(&self) -> impl Iterator<Item = &PublishedFile> {
        std::iter::once(self).chain(self.picture.iter().flat_map(|p| p.smaller.iter().map(|(_, f)| f)))
    }
}

/// Everything one edition may show.
#[derive(Debug, Clone)]
pub struct EditionView {
    pub edition: Edition,
    pub profile: ProfileInfo,
    pub draft: bool,
    /// In contents order.
    pub sections: Vec<VisibleSection>,
    pub threats: Vec<Term>,
    pub locations: Vec<Term>,
    /// Source files the kept text links, by path under the root → published file (once attached).
    files: BTreeMap<PathBuf, Option<PublishedFile>>,
    /// This edition's summary after this build (its own earlier versions
    /// included), for "Changes since": set by the build from the view
    /// itself and the edition's last summary ([`crate::changes`]).
    pub history: Option<Arc<crate::changes::Summary>>,
}

/// What the owner's report needs about one edition: never given to pages.
#[derive(Debug, Clone, Default)]
pub struct Redactions {
    /// Shared with the cut that withheld each (the preview keeps cuts between rebuilds).
    pub withheld: Vec<Arc<Withheld>>,
    /// The included sections, in contents order, each with the marking its page body carries.
    pub included: Vec<(Arc<Section>, Marking)>,
}

/// The result of withholding for one edition.
pub struct Withholding {
    pub view: EditionView,
    pub redactions: Redactions,
    pub errors: Diagnostics,
    pub warnings: Diagnostics,
    /// Kept links to sections this edition withholds, without `if-withheld`: errors, reported by [`link_errors`].
    pub bad_links: Vec<BadLink>,
}

/// A kept link whose target section the edition withholds.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct BadLink {
    pub file: PathBuf,
    pub line: usize,
    pub url: String,
    pub text: String,
    pub target: PathBuf,
    pub edition: String,
}

/// One error per link, naming every edition that withholds its target.
pub fn link_errors(all: &[&[BadLink]]) -> Diagnostics {
    let mut links: Vec<&BadLink> = all.iter().flat_map(|l| l.iter()).collect();
    links.sort();
    let mut d = Diagnostics::default();
    for group in links.chunk_by(|a, b| (&a.file, a.line, &a.url) == (&b.file, b.line, &b.url)) {
        let l = group[0];
        let editions: Vec<String> = group.iter().map(|x| format!("`{}`", x.edition)).collect();
        d.push(Diagnostic::error(
            &l.file,
            l.line,
            format!(
                "link to `{}` names a section withheld from edition{} {}, where its text would be shown",
                l.url,
                if editions.len() == 1 { "" } else { "s" },
                editions.join(", ")
            ),
            format!(
                "restrict the link to the editions that see {} (`[[{}]({})]{{audience=\"…\"}}`), or write `[{}]({}){{if-withheld=\"text\"}}` to show only its text where the section is withheld",
                l.target.display(), l.text, l.url, l.text, l.url
            ),
        ));
    }
    d
}

fn profile_info(c: &Content) -> ProfileInfo {
    let p = &c.profile;
    ProfileInfo {
        title: p.title.clone(),
        area: p.area.clone(),
        owner: p.owner.clone(),
        produced: p.produced,
        review_by: p.review_by,
        feedback: p.feedback.clone(),
        accessibility: p.accessibility.clone(),
        lang: p.lang.clone(),
        review_cycle_months: p.review_cycle_months,
    }
}

fn title_mark(s: &Section) -> Mark {
    match s.title_classification {
        Some(m) => Mark { marking: m, handling: BTreeSet::new() },
        None => Mark { marking: s.classification, handling: s.handling.iter().cloned().collect() },
    }
}

/// Where section `s` stands in edition `e`: withheld whole (with why), or
/// shown, cut for the edition ([`cut`]), with its figures drawn from the
/// edition's rows and its withheld recommendations and measures taken out.
pub fn place(c: &Content, s: &Section, e: &Edition, draft: bool) -> Placed {
    let reasons = section_reasons(s, e, draft);
    if !reasons.is_empty() {
        return Placed::Withheld(Arc::new(Withheld {
            kind: Kind::Section,
            file: s.file.clone(),
            line: 1,
            label: s.title.clone(),
            reasons,
            text: s.body.source.trim().to_string(),
        }));
    }
    Placed::Shown(Arc::new(shown(c, s, e, Arc::new(cut(s, e)))))
}

fn shown(c: &Content, s: &Section, e: &Edition, cut: Arc<Cut>) -> Shown {
    let mut withheld = cut.withheld.clone();
    let links_withheld_at = withheld.len();
    let mut errors = cut.errors.clone();
    let mut mark = Mark { marking: cut.marking, handling: cut.handling.clone() };
    let mut figures: Vec<Option<Arc<EditionFigure>>> = vec![None; s.figures.len()];
    for &k in &cut.figures {
        match super::figures::prepare(s, k, &c.data, e) {
            Ok(p) => {
                // The page shows the figure: it carries its data's marking.
                mark.add(&p.figure.mark);
                for w in p.withheld {
                    if !withheld.iter().any(|x| x.kind == Kind::DataRow && x.file == w.file && x.line == w.line) {
                        withheld.push(Arc::new(w));
                    }
                }
                figures[k] = Some(Arc::new(p.figure));
            }
            Err(d) => errors.push(d),
        }
    }
    let recommendations = visible_recommendations(s, e, &mut withheld);
    Shown {
        slug: s.slug.clone(),
        title: s.title.clone(),
        summary: s.summary.clone(),
        threats: s.threats.clone(),
        areas: s.areas.clone(),
        area_slugs: s.area_slugs.clone(),
        weight: s.weight,
        owner: s.owner.clone(),
        updated: s.updated,
        lang: s.lang.clone(),
        title_mark: title_mark(s),
        mark,
        front_mark: Mark { marking: s.classification, handling: s.handling.iter().cloned().collect() },
        sources: s.sources.iter().map(|x| x.name.clone()).collect(),
        recommendations,
        cut: cut.text.clone(),
        figures,
        from: cut,
        withheld,
        links_withheld_at,
        errors,
    }
}

/// The section's recommendations the edition sees, each without the
/// measures it does not; what goes is added to `withheld`.
fn visible_recommendations(s: &Section, e: &Edition, withheld: &mut Vec<Arc<Withheld>>) -> Vec<Recommendation> {
    let mut recommendations = Vec::new();
    for r in &s.recommendations {
        let reasons = recommendation_reasons(r, e);
        if reasons.is_empty() {
            // Its measures withheld from the edition go; a withheld recommendation takes all of its own.
            let mut kept = r.clone();
            kept.measures.clear();
            for m in &r.measures {
                let reasons = measure_reasons(m, e);
                if reasons.is_empty() {
                    kept.measures.push(m.clone());
                } else {
                    withheld.push(Arc::new(Withheld {
                        kind: Kind::Measure,
                        file: s.file.clone(),
                        line: m.line,
                        label: format!("{}: {}", r.id, m.name),
                        reasons,
                        text: measure_text(m),
                    }));
                }
            }
            recommendations.push(kept);
        } else {
            withheld.push(Arc::new(Withheld {
                kind: Kind::Recommendation,
                file: s.file.clone(),
                line: r.line,
                label: r.id.clone(),
                reasons,
                text: r.text.clone(),
            }));
        }
    }
    recommendations
}

/// A shown section's kept links resolved against the sections the edition
/// holds, and what that withholds or gets wrong.
#[derive(Debug)]
pub struct Linked {
    links: Vec<Option<LinkTo>>,
    withheld: Vec<Arc<Withheld>>,
    bad_links: Vec<BadLink>,
}

/// One edition's [`Linked`] answers from the last time it was withheld,
/// reused for a section whose placement (its `Arc<Shown>`) and link
/// classification (its `Arc<References>`) are the same objects as then,
/// while nothing else an answer depends on has changed: the edition, every
/// profile section's file in order, and where each stands in the edition.
/// The preview keeps one per edition between rebuilds; a build starts empty.
#[derive(Default)]
pub struct LinkMemo {
    edition: String,
    files: Vec<PathBuf>,
    view_index: Vec<usize>,
    /// By the shown section's address: the entry holds its `Arc`, so the
    /// address is not reused while the entry lasts.
    kept: FxHashMap<usize, LinkedEntry>,
}

/// A shown section, the classification its links were resolved by, and the answer.
type LinkedEntry = (Arc<Shown>, Arc<crate::load::References>, Arc<Linked>);

impl LinkMemo {
    fn same_context(&self, c: &Content, e: &Edition, view_index: &[usize]) -> bool {
        self.edition == e.id
            && self.view_index == view_index
            && self.files.len() == c.sections.len()
            && self.files.iter().zip(&c.sections).all(|(f, s)| f.as_os_str() == s.file.as_os_str())
    }

    /// Every shown section's links: from the memo where its answer cannot
    /// have changed, resolved afresh otherwise (and then remembered).
    fn link_all(
        &mut self,
        c: &Content,
        e: &Edition,
        shown: &[(usize, &Arc<Shown>)],
        view_index: &[usize],
    ) -> Vec<Arc<Linked>> {
        if !self.same_context(c, e, view_index) {
            self.kept.clear();
            self.edition.clone_from(&e.id);
            self.view_index = view_index.to_vec();
            self.files = c.sections.iter().map(|s| s.file.clone()).collect();
        }
        let kept = &self.kept;
        let linked: Vec<(Arc<Linked>, bool)> = shown
            .par_iter()
            .map(|&(at, s)| match (kept.get(&(Arc::as_ptr(s) as usize)), c.references_of(at)) {
                (Some((_, was, l)), Some(now)) if Arc::ptr_eq(was, now) => (l.clone(), false),
                _ => (Arc::new(link(c, at, s, e, view_index)), true),
            })
            .collect();
        for (&(at, s), (l, fresh)) in shown.iter().zip(&linked) {
            if let (true, Some(refs)) = (*fresh, c.references_of(at)) {
                self.kept.insert(Arc::as_ptr(s) as usize, (s.clone(), refs.clone(), l.clone()));
            }
        }
        // Entries for sections nothing else holds any longer (edited, removed) go.
        self.kept.retain(|_, (s, _, _)| Arc::strong_count(s) > 1);
        linked.into_iter().map(|(l, _)| l).collect()
    }
}

/// Resolve the kept links of the section at `at` in the profile. `view_index`
/// gives each profile section's index in the edition (`usize::MAX`: withheld).
fn link(c: &Content, at: usize, shown: &Shown, e: &Edition, view_index: &[usize]) -> Linked {
    let mut out = Linked { links: Vec::new(), withheld: Vec::new(), bad_links: Vec::new() };
    if shown.from.links.is_empty() {
        return out;
    }
    out.links.reserve(shown.from.links.len());
    for l in &shown.from.links {
        let to = resolve_link(c, at, l, e, view_index, &mut out);
        out.links.push(to);
    }
    out
}

/// A measure as the owner's report quotes it.
fn measure_text(m: &crate::section::Measure) -> String {
    let n = crate::impact::number;
    let mut t = format!(
        "{} ({}): baseline {} on {}, target {} by {}",
        m.name,
        m.unit,
        n(m.baseline.value),
        m.baseline.date,
        n(m.target.value),
        m.target.date
    );
    for r in &m.readings {
        t.push_str(&format!("; {} on {} ({})", n(r.value), r.date, r.source));
    }
    t
}

/// Where a kept link points in this edition. A link to a section the edition
/// withholds is an error, unless it says `{if-withheld="text"}`.
fn resolve_link(
    c: &Content,
    at: usize,
    l: &KeptLink,
    e: &Edition,
    view_index: &[usize],
    out: &mut Linked,
) -> Option<LinkTo> {
    let s = &c.sections[at];
    match &*c.reference_at(at, &l.url) {
        Reference::Section { file, fragment } => {
            let target = c.index_of(file);
            if let Some(index) = target.map(|t| view_index[t]).filter(|&i| i != usize::MAX) {
                return Some(LinkTo::Section { index, fragment: fragment.clone() });
            }
            if target.is_some() && !l.is_image {
                if l.if_withheld {
                    let reasons = vec![Reason::TargetWithheld(file.display().to_string())];
                    out.withheld.push(Arc::new(Withheld {
                        kind: Kind::LinkText,
                        file: s.file.clone(),
                        line: l.line,
                        label: s.title.clone(),
                        reasons,
                        text: l.text.clone(),
                    }));
                } else {
                    out.bad_links.push(BadLink {
                        file: s.file.clone(),
                        line: l.line,
                        url: l.url.clone(),
                        text: l.text.clone(),
                        target: file.clone(),
                        edition: e.id.clone(),
                    });
                }
            }
            None
        }
        Reference::File(f) => Some(LinkTo::File(f.clone())),
        // `#heading` is a link to this section at that heading; whether the
        // heading is in this edition is settled once every page is rendered.
        Reference::Anchor => {
            let fragment = l.url.trim().trim_start_matches('#').to_string();
            Some(LinkTo::Section { index: view_index[at], fragment: Some(fragment) })
        }
        _ => None,
    }
}

/// Threat areas and locations named by the included sections, each seen at
/// the lowest title marking among the sections naming it.
fn terms(sections: &[VisibleSection], c: &Content) -> (Vec<Term>, Vec<Term>) {
    let mut threats: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    let mut areas: BTreeMap<&str, (&str, Vec<usize>)> = BTreeMap::new();
    for (i, s) in sections.iter().enumerate() {
        for t in &s.threats {
            threats.entry(t).or_default().push(i);
        }
        for (a, slug) in s.areas.iter().zip(&s.area_slugs) {
            areas.entry(slug).or_insert_with(|| (a, Vec::new())).1.push(i);
        }
    }
    let lowest = |members: &[usize]| -> Mark {
        members
            .iter()
            .map(|&i| &sections[i].title_mark)
            .min_by_key(|m| (m.marking, m.handling.len()))
            .cloned()
            .unwrap_or_default()
    };
    let threat_terms = c
        .profile
        .threats
        .iter()
        .filter_map(|t| {
            let members = threats.get(t.id.as_str())?;
            Some(Term {
                id: t.id.clone(),
                name: t.name.clone(),
                url: format!("threats/{}/index.html", t.id),
                mark: lowest(members),
                members: members.clone(),
            })
        })
        .collect();
    let area_terms = areas
        .into_iter()
        .map(|(slug, (name, members))| Term {
            url: format!("locations/{slug}/index.html"),
            mark: lowest(&members),
            id: slug.to_string(),
            name: name.to_string(),
            members,
        })
        .collect();
    (threat_terms, area_terms)
}

/// Withhold from one edition everything it may not see. `placed` is where
/// each of the profile's sections stands in it, aligned with
/// `c.sections`: [`place`]'s answers, or the preview's cache of them (the
/// same answer for the same parse of the same section).
pub fn withhold(c: &Content, e: &Edition, draft: bool, placed: &[Placed], memo: &mut LinkMemo) -> Withholding {
    assert_eq!(placed.len(), c.sections.len(), "one placement per section");
    let mut redactions = Redactions::default();
    let mut shown: Vec<(usize, &Arc<Shown>)> = Vec::with_capacity(placed.len());
    let mut view_index = vec![usize::MAX; placed.len()];
    for (at, p) in placed.iter().enumerate() {
        match p {
            Placed::Withheld(w) => redactions.withheld.push(w.clone()),
            Placed::Shown(s) => {
                view_index[at] = shown.len();
                shown.push((at, s));
            }
        }
    }
    let linked = memo.link_all(c, e, &shown, &view_index);
    let (mut errors, mut warnings) = (Diagnostics::default(), Diagnostics::default());
    let mut bad_links = Vec::new();
    for (&(_, s), l) in shown.iter().zip(&linked) {
        errors.0.extend(s.errors.iter().cloned());
        warnings.0.extend(s.from.warnings.iter().cloned());
        bad_links.extend(l.bad_links.iter().cloned());
    }
    // In order, sections side by side: each is tens of thousands of shared
    // pointers to copy, for each edition on every preview rebuild.
    redactions.included.par_extend(shown.par_iter().map(|&(at, s)| (c.sections[at].clone(), s.mark.marking)));
    redactions.withheld.par_extend(shown.par_iter().zip(&linked).flat_map_iter(|(&(_, s), l)| {
        let (before, after) = s.withheld.split_at(s.links_withheld_at);
        before.iter().cloned().chain(l.withheld.iter().cloned()).chain(after.iter().cloned())
    }));
    let sections: Vec<VisibleSection> = shown
        .par_iter()
        .zip(linked)
        .map(|(&(_, s), l)| VisibleSection { shown: s.clone(), rendered: None, linked: l, targets: Vec::new() })
        .collect();
    // A row two figures leave out is listed once.
    let mut rows = BTreeSet::new();
    redactions.withheld.retain(|w| w.kind != Kind::DataRow || rows.insert((w.file.clone(), w.line)));
    let files = sections
        .iter()
        .flat_map(|s| &s.linked.links)
        .filter_map(|t| match t {
            Some(LinkTo::File(f)) => Some((f.clone(), None)),
            _ => None,
        })
        .collect();
    let (threats, locations) = terms(&sections, c);
    let view = EditionView {
        edition: e.clone(),
        profile: profile_info(c),
        draft,
        sections,
        threats,
        locations,
        files,
        history: None,
    };
    Withholding { view, redactions, errors, warnings, bad_links }
}

impl EditionView {
    /// Source files (under the root) this edition's kept text links or shows.
    pub fn needed_files(&self) -> impl Iterator<Item = &PathBuf> {
        self.files.keys()
    }

    /// Give the view its prepared files: `publish(source)` is the file as
    /// published (shared by every edition that has it).
    pub fn attach_files(&mut self, publish: impl Fn(&PathBuf) -> Option<PublishedFile>) {
        for (f, slot) in self.files.iter_mut() {
            *slot = publish(f);
        }
    }

    /// The files this edition publishes.
    pub fn published_files(&self) -> impl Iterator<Item = &PublishedFile> {
        self.files.values().flatten()
    }

    /// Give every section its rendering (`render(cut)`, shared between
    /// editions), then resolve each rendering's links and images.
    /// Sections side by side: editions are attached side by side too, but
    /// three of them on two cores would leave one core idle for the last.
    pub fn attach(&mut self, render: impl Fn(&Arc<CutText>) -> Arc<Rendered> + Sync) {
        self.sections.par_iter_mut().for_each(|s| s.rendered = Some(render(&s.cut)));
        let rendered: Vec<Arc<Rendered>> =
            self.sections.iter().map(|s| s.rendered.clone().expect("attached")).collect();
        let has_heading = |index: usize, id: &str| rendered[index].headings.iter().any(|h| h.id == id);
        self.sections.par_iter_mut().enumerate().for_each(|(own, s)| {
            let r = s.rendered.clone().expect("attached");
            let (kept, resolved) = (&s.shown.from.links, &s.linked.links);
            s.targets = r
                .targets
                .iter()
                .map(|t| {
                    // Links with one URL all lead to one place: the first says where.
                    let at = kept.iter().position(|l| l.url == t.url)?;
                    let to = resolved[at].clone()?;
                    match (&to, t.is_image) {
                        (LinkTo::Section { index, fragment }, false) => {
                            let kept = fragment.clone().filter(|f| has_heading(*index, f));
                            // On its own page, a link to a heading this edition
                            // lacks stays plain text (its target is not here).
                            if *index == own && fragment.is_some() && kept.is_none() {
                                return None;
                            }
                            Some(LinkTo::Section { index: *index, fragment: kept })
                        }
                        (LinkTo::File(f), is_image) if !is_image || crate::links::is_image(f) => Some(to),
                        _ => None,
                    }
                })
                .collect();
        });
    }

    /// What section `i` shows and its rendering (once attached): with
    /// [`EditionView::fill_key_into`], everything its page shows of it.
    /// An error for each section whose cut text reads as more Markdown
    /// structure than the section as written left it ([`Cut::reads_as_cut`]);
    /// the view must be rendered.
    pub fn cuts_read_differently(&self) -> Vec<Diagnostic> {
        let id = &self.edition.id;
        self.sections
            .iter()
            .filter_map(|s| s.shown.from.read_differently(&s.rendered.as_ref()?.structure, id))
            .collect()
    }

    pub fn made_of(&self, i: usize) -> Option<(&Arc<Shown>, &Arc<Rendered>)> {
        let s = &self.sections[i];
        Some((&s.shown, s.rendered.as_ref()?))
    }

    fn rendered(&self, i: usize) -> &Rendered {
        self.sections[i].rendered.as_deref().expect("the view was rendered before pages are made")
    }

    pub fn headings(&self, i: usize) -> &[Heading] {
        &self.rendered(i).headings
    }

    pub fn text_parts(&self, i: usize) -> &[TextPart] {
        &self.rendered(i).parts
    }

    pub fn first_paragraph(&self, i: usize) -> &str {
        &self.rendered(i).first_paragraph
    }

    /// Each target of section `i`'s rendering as a URL from a page `root`
    /// below the edition's top (`None`: not in this edition, shown as text).
    fn link_urls(&self, i: usize, root: &str, in_page: Option<&dyn Fn(&str) -> String>) -> Vec<Option<String>> {
        let url = |t| {
            let mut u = String::new();
            self.link_url_into(i, t, root, in_page, &mut u).then_some(u)
        };
        self.sections[i].targets.iter().map(url).collect()
    }

    /// Where target `t` of section `i`'s rendering leads, written onto
    /// `out`; false, with nothing written, when it is not in this edition.
    fn link_url_into(
        &self,
        i: usize,
        t: &Option<LinkTo>,
        root: &str,
        in_page: Option<&dyn Fn(&str) -> String>,
        out: &mut String,
    ) -> bool {
        use std::fmt::Write;
        // Writing to a String cannot fail.
        let _ = match t {
            Some(LinkTo::Section { index, fragment }) => {
                let slug = &self.sections[*index].slug;
                match (in_page, fragment) {
                    (Some(anchor), Some(f)) => write!(out, "#{}--{f}", anchor(slug)),
                    (Some(anchor), None) => write!(out, "#{}", anchor(slug)),
                    (None, Some(f)) if *index == i => write!(out, "#{f}"),
                    (None, fragment) => {
                        // Pushed, not formatted: the preview writes every link of every section on each rebuild.
                        out.push_str(root);
                        push_section_path(out, slug);
                        if let Some(f) = fragment {
                            out.push('#');
                            out.push_str(f);
                        }
                        Ok(())
                    }
                }
            }
            Some(LinkTo::File(f)) => match self.files.get(f).and_then(Option::as_ref) {
                Some(p) => {
                    out.push_str(root);
                    out.push_str(&p.path);
                    Ok(())
                }
                None => return false,
            },
            None => return false,
        };
        true
    }

    /// What fills section `i`'s rendering on a page at `page` (each link's
    /// URL, each image's attributes and each figure's drawing), written over
    /// `key` (which keeps its buffer): the preview's memo of section hashes
    /// compares it ([`crate::changes`]).
    pub fn fill_key_into(&self, i: usize, page: &str, key: &mut String) {
        let r = self.rendered(i);
        key.clear();
        if r.targets.is_empty() && r.figures.is_empty() {
            return;
        }
        let root = "../".repeat(page.matches('/').count());
        for t in &self.sections[i].targets {
            key.push('\u{1}');
            if !self.link_url_into(i, t, &root, None, key) {
                key.push('\u{2}');
            }
        }
        for n in 0..r.targets.len() {
            if let Some(attrs) = self.image_more(i, &root, n) {
                key.push('\u{3}');
                key.push_str(&attrs);
            }
        }
        for (n, at) in r.figures.iter().enumerate() {
            if let Some(f) = self.sections[i].figures.get(at.index).and_then(Option::as_ref) {
                key.push_str(&format!("\u{4}{n}"));
                key.push_str(&f.draw(&format!("fig_{}", at.number), Some(at.number)));
            }
        }
    }

    /// The attributes after image target `n`'s `src` on a page at `root`.
    fn image_more(&self, i: usize, root: &str, n: usize) -> Option<String> {
        let Some(LinkTo::File(f)) = self.sections[i].targets.get(n)? else { return None };
        let p = self.files.get(f).cloned().flatten()?;
        let pic = p.picture.as_ref()?;
        Some(image_attributes(root, &p, pic))
    }

    /// Section `i`'s HTML for a page whose path inside the edition is
    /// `page` (links made relative to it). With `in_page`, links to sections
    /// point within one page holding them all (`#anchor--heading`).
    pub fn body_html(&self, i: usize, page: &str, in_page: Option<&dyn Fn(&str) -> String>) -> String {
        let root = "../".repeat(page.matches('/').count());
        let s = &self.sections[i];
        let urls = self.link_urls(i, &root, in_page);
        let r = self.rendered(i);
        let prefix = in_page.map(|anchor| format!("{}--", anchor(&s.slug))).unwrap_or_default();
        let more = |kind: char, n: usize| -> Option<String> {
            match kind {
                'i' => self.image_more(i, &root, n),
                'F' => {
                    let at = r.figures.get(n)?;
                    let figure = s.figures.get(at.index)?.as_ref()?;
                    Some(figure.draw(&format!("{prefix}fig_{}", at.number), Some(at.number)))
                }
                _ => None,
            }
        };
        match in_page {
            // On one page with every section, this section's heading and
            // footnote ids get its anchor as a prefix (links to them are
            // placeholders, filled in with the same prefix; figures are
            // drawn with it).
            Some(_) => {
                fill_with(&r.html.replace(" id=\"", &format!(" id=\"{prefix}")), &urls, &s.title, &prefix, &more)
            }
            None => fill_with(&r.html, &urls, &s.title, "", &more),
        }
    }

    /// Section `i`'s text for the search index: its rendering's, with each
    /// figure's caption and tables as this edition draws them (from its own
    /// rows) under the heading the figure stands under.
    pub fn search_parts(&self, i: usize) -> Vec<TextPart> {
        let r = self.rendered(i);
        let mut parts = r.parts.clone();
        for at in &r.figures {
            let Some(f) = self.sections[i].figures.get(at.index).and_then(Option::as_ref) else { continue };
            match parts.iter_mut().find(|p| p.anchor == at.anchor) {
                Some(p) => {
                    if !p.text.is_empty() {
                        p.text.push(' ');
                    }
                    p.text.push_str(&f.text);
                }
                None => {
                    let part = TextPart { anchor: at.anchor.clone(), heading: String::new(), text: f.text.clone() };
                    if at.anchor.is_empty() {
                        parts.insert(0, part);
                    } else {
                        parts.push(part);
                    }
                }
            }
        }
        parts
    }

    /// The highest marking of everything in the edition.
    pub fn mark(&self) -> Mark {
        let mut m = Mark::default();
        for s in &self.sections {
            m.add(&s.mark);
        }
        m
    }
}

/// The attributes after an image's `src`: its size, its smaller copies
/// (`srcset`) and lazy loading. Starts by closing `src`'s quote and leaves
/// the last value open for the quote that closed `src` in the rendering.
fn image_attributes(root: &str, p: &PublishedFile, pic: &PublishedPicture) -> String {
    let mut srcset: Vec<String> = pic.smaller.iter().map(|(w, f)| format!("{root}{} {w}w", f.path)).collect();
    srcset.push(format!("{root}{} {}w", p.path, pic.width));
    format!(
        "\" width=\"{}\" height=\"{}\" srcset=\"{}\" sizes=\"(min-width: 45em) 38em, 100vw\" loading=\"lazy",
        pic.width,
        pic.height,
        crate::render::escape(&srcset.join(", "))
    )
}

/// Where a section's page is inside an edition.
pub fn section_path(slug: &str) -> String {
    let mut out = String::with_capacity(slug.len() + 14);
    push_section_path(&mut out, slug);
    out
}

/// [`section_path`], onto the end of `out`.
fn push_section_path(out: &mut String, slug: &str) {
    out.push_str("sections/");
    out.push_str(slug);
    out.push_str(".html");
}
