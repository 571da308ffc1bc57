//! What changed in an edition since its previous version, in that edition's
//! own terms.
//!
//! Each build keeps a small summary per edition, `reports/<edition>.summary.json`
//! ([`Summary`]): for every section the edition shows, its address (slug),
//! its title as shown there and a hash of everything its page shows of it
//! (title, summary, terms, marking, body, recommendations and measures,
//! sources; never a source line, an audience or anything withheld). It is
//! made from the [`EditionView`] alone, so it holds only that edition's own
//! visible text; the previous version keeps only addresses and hashes.
//!
//! **Versions.** The summary holds the edition's current version (its
//! sections, and the day it was first built) and the version before it. A
//! build whose sections hash the same as the current version's keeps the
//! summary as it is, so rebuilding changes nothing. A build that differs
//! starts a new version, and the current one becomes the previous — unless
//! the current one was first built the same day (by the build date,
//! `SOURCE_DATE_EPOCH` or today), when the day's builds count as one
//! version and the previous stays. The "Changes since <date>" page compares
//! the current version with the previous one, dated by the day the previous
//! one was first built.
//!
//! **What the page may say.** Added and updated sections are named by their
//! titles now, and linked. Sections of the previous version that the edition
//! no longer holds are only *counted*: a section leaves an edition when it is
//! deleted or when it is withheld from it, and naming it — even by the title
//! this edition showed — would republish something now withheld from its
//! readers (to new readers among them), and a title changed when it was
//! withheld must not show at all. Nothing from the old summary but its date,
//! its addresses (compared, never shown) and its hashes reaches a page.

use crate::date::Date;
use crate::render::Rendered;
use crate::withhold::view::section_path;
use crate::withhold::view::Shown;
use crate::withhold::EditionView;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// The summary's format; another is not read (the build starts afresh).
/// 3: a page body is hashed as filled, its spacing as a reader sees it
/// ([`as_shown`]); 2 hashed what it is made from, so a link shown only as
/// text, or a withheld span's leftover space, marked a section updated.
pub const FORMAT: u32 = 3;

/// The file name of an edition's summary under `reports/`.
pub fn file_name(edition: &str) -> String {
    format!("{edition}.summary.json")
}

/// One section as the edition showed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionState {
    pub slug: String,
    /// As the edition shows it; empty in a previous version, which keeps
    /// only what comparing needs.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// SHA-256 of what its page shows of it, in hex.
    pub hash: String,
}

/// An edition's sections, from the day they were first built so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Version {
    pub since: Date,
    /// By slug.
    pub sections: Vec<SectionState>,
}

/// What `reports/<edition>.summary.json` holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    pub format: u32,
    pub edition: String,
    pub current: Version,
    pub previous: Option<Version>,
}

/// What changed between the previous version and this one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changes {
    /// The day the previous version was first built.
    pub since: Date,
    /// Indices into the view's sections, in contents order.
    pub added: Vec<usize>,
    pub updated: Vec<usize>,
    /// How many sections of the previous version this one does not hold.
    pub gone: usize,
}

/// Length-prefixed fields, so no two different lists hash the same.
struct Fields(Sha256);

impl Fields {
    fn put(&mut self, s: &str) -> &mut Self {
        self.0.update((s.len() as u64).to_le_bytes());
        self.0.update(s.as_bytes());
        self
    }
    fn opt(&mut self, s: Option<&str>) -> &mut Self {
        match s {
            Some(s) => self.put("1").put(s),
            None => self.put("0"),
        }
    }
}

/// A page body as a reader sees it, for its hash: runs of ASCII spaces as
/// one space, none beside a tag or inside a quoted value's ends (a browser
/// draws neither). Where a withheld span stood, its spaces stay
/// (`higher.  Older`, `<p> The`); and a link that is only text in this
/// edition is made of other parts than plain text: neither may mark the
/// section updated. (A change of spacing alone is not one either, even in
/// code.) Given to `emit` a piece at a time: pages are large.
fn as_shown(html: &str, mut emit: impl FnMut(&[u8])) {
    let mut last: &[u8] = b"";
    for word in html.as_bytes().split(u8::is_ascii_whitespace).filter(|w| !w.is_empty()) {
        // No space at the start, nor beside a tag or a quoted value's ends.
        let joined =
            last.is_empty() || word[0] == b'<' || word[0] == b'"' || last.ends_with(b">") || last.ends_with(b"=\"");
        if !joined {
            emit(b" ");
        }
        emit(word);
        last = word;
    }
}

/// Hash of what section `i`'s page shows of it in this edition: its title,
/// summary, terms, owner, date, language, markings, body, recommendations
/// (with their measures) and sources — never a source line, an audience or
/// anything withheld, so a change to content this edition does not show
/// never marks a section updated.
fn section_hash(view: &EditionView, i: usize) -> String {
    let s = &view.sections[i];
    let mut f = Fields(Sha256::new());
    f.put(&s.title).opt(s.summary.as_deref()).put(&s.threats.join("\n")).put(&s.areas.join("\n"));
    f.opt(s.owner.as_deref()).opt(s.updated.map(|d| d.to_string()).as_deref()).opt(s.lang.as_deref());
    f.put(&s.title_mark.label()).put(&s.mark.label()).put(&s.front_mark.label());
    let mut body = Sha256::new();
    as_shown(&view.body_html(i, &section_path(&s.slug), None), |piece| body.update(piece));
    f.put(&crate::hex::hex(&body.finalize()));
    let n = crate::impact::number;
    for r in &s.recommendations {
        f.put("rec").put(&r.id).put(r.strand.id()).put(&r.text).opt(r.owner.as_deref());
        f.opt(r.due.map(|d| d.to_string()).as_deref()).put(r.status.label());
        for m in &r.measures {
            f.put("measure").put(&m.name).put(&m.unit);
            f.put(&n(m.baseline.value)).put(&m.baseline.date.to_string());
            f.put(&n(m.target.value)).put(&m.target.date.to_string());
            for x in &m.readings {
                f.put(&n(x.value)).put(&x.date.to_string()).put(&x.source);
            }
        }
    }
    for src in &s.sources {
        f.put("source").put(src);
    }
    crate::hex::hex(&f.0.finalize())
}

/// Section hashes kept between the preview's rebuilds. A section's hash is
/// made from what it shows, its rendering and what fills the rendering
/// ([`EditionView::made_of`], [`EditionView::fill_key_into`]): an entry is keyed
/// by the addresses of the first two (both held here, so neither address is
/// reused) and holds the third, so a hash is taken from it only when all
/// three are as they were. A build starts with an empty one; the preview
/// keeps one ([`Memo::prune`] after each rebuild).
#[derive(Default)]
pub struct Memo {
    kept: FxHashMap<(usize, usize), MemoEntry>,
    /// The last build's summaries as last read, by path, with their bytes:
    /// read again on every rebuild, parsed again only when they differ.
    read: FxHashMap<std::path::PathBuf, (Vec<u8>, Arc<Summary>)>,
}

struct MemoEntry {
    shown: Arc<Shown>,
    rendered: Arc<Rendered>,
    fill: String,
    hash: String,
}

/// A [`SectionState`] borrowed from the view and the memo: made for every
/// section on every rebuild, copied only when the summary changes.
#[derive(Debug, PartialEq, Eq)]
pub struct StateRef<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub hash: std::borrow::Cow<'a, str>,
}

impl StateRef<'_> {
    fn owned(self) -> SectionState {
        SectionState { slug: self.slug.to_string(), title: self.title.to_string(), hash: self.hash.into_owned() }
    }

    fn is(&self, s: &SectionState) -> bool {
        self.slug == s.slug && self.title == s.title && *self.hash == *s.hash
    }
}

/// The edition's sections as it shows them now, by slug; hashes are taken
/// from `memo` where it has them, and those made afresh are returned for
/// [`Memo::keep`].
pub fn state<'a>(view: &'a EditionView, memo: &'a Memo) -> (Vec<StateRef<'a>>, Fresh) {
    use rayon::prelude::*;
    let kept = &memo.kept;
    // Each task writes fill keys over one buffer: most match the memo's, and need no copy.
    let made: Vec<(StateRef, Option<MemoEntry>)> = (0..view.sections.len())
        .into_par_iter()
        .map_init(String::new, |fill, i| {
            let s = &view.sections[i];
            let state = |hash| StateRef { slug: &s.slug, title: &s.title, hash };
            let Some((shown, rendered)) = view.made_of(i) else {
                return (state(Cow::Owned(section_hash(view, i))), None);
            };
            view.fill_key_into(i, &section_path(&s.slug), fill);
            match kept.get(&(Arc::as_ptr(shown) as usize, Arc::as_ptr(rendered) as usize)) {
                Some(e) if e.fill == *fill => (state(Cow::Borrowed(&e.hash)), None),
                _ => {
                    let hash = section_hash(view, i);
                    let entry = MemoEntry {
                        shown: shown.clone(),
                        rendered: rendered.clone(),
                        fill: fill.clone(),
                        hash: hash.clone(),
                    };
                    (state(Cow::Owned(hash)), Some(entry))
                }
            }
        })
        .collect();
    let mut out = Vec::with_capacity(made.len());
    let mut fresh = Vec::new();
    for (state, entry) in made {
        fresh.extend(entry);
        out.push(state);
    }
    out.sort_unstable_by(|a, b| a.slug.cmp(b.slug));
    (out, Fresh(fresh))
}

/// Hashes [`state`] worked out afresh, for [`Memo::keep`].
pub struct Fresh(Vec<MemoEntry>);

impl Memo {
    /// Remember hashes [`state`] worked out.
    pub fn keep(&mut self, fresh: Fresh) {
        for e in fresh.0 {
            self.kept.insert((Arc::as_ptr(&e.shown) as usize, Arc::as_ptr(&e.rendered) as usize), e);
        }
    }

    /// The summary `bytes` (read from `path`) hold.
    pub fn summary(&mut self, path: &std::path::Path, bytes: Vec<u8>) -> Result<Arc<Summary>, String> {
        if let Some((b, s)) = self.read.get(path) {
            if *b == bytes {
                return Ok(s.clone());
            }
        }
        let s: Arc<Summary> = Arc::new(serde_json::from_slice(&bytes).map_err(|e| e.to_string())?);
        self.read.insert(path.to_path_buf(), (bytes, s.clone()));
        Ok(s)
    }

    /// Let go of entries for what no view or cache holds any longer (the
    /// memo's own reference is the only one left), so it does not grow with
    /// every edit.
    pub fn prune(&mut self) {
        self.kept.retain(|_, e| Arc::strong_count(&e.shown) > 1 && Arc::strong_count(&e.rendered) > 1);
    }
}

/// The summary after a build on `today` whose sections are `sections`,
/// given the last build's summary (see the module's rules). Only what the
/// new summary keeps of the last is copied.
pub fn next(prev: Option<&Summary>, sections: Vec<SectionState>, edition: &str, today: Date) -> Summary {
    let fresh = |sections: Vec<SectionState>, previous: Option<Version>| Summary {
        format: FORMAT,
        edition: edition.to_string(),
        current: Version { since: today, sections },
        previous,
    };
    match prev {
        None => fresh(sections, None),
        Some(p) if p.current.sections == sections => p.clone(),
        // The same day (or a clock set back): one version for the day.
        Some(p) if p.current.since >= today => fresh(sections, p.previous.clone().filter(|v| v.since < today)),
        Some(p) => fresh(sections, Some(previous(p.current.clone()))),
    }
}

/// [`next`], sharing the last summary when nothing changed (the preview
/// asks on every rebuild, and most rebuilds change nothing it holds).
pub fn next_shared(prev: Option<Arc<Summary>>, sections: Vec<StateRef>, edition: &str, today: Date) -> Arc<Summary> {
    let same = |p: &Summary| {
        p.current.sections.len() == sections.len() && sections.iter().zip(&p.current.sections).all(|(a, b)| a.is(b))
    };
    match prev {
        Some(p) if same(&p) => p,
        p => Arc::new(next(p.as_deref(), sections.into_iter().map(StateRef::owned).collect(), edition, today)),
    }
}

/// A version kept to compare with: its addresses and hashes, no titles.
fn previous(mut v: Version) -> Version {
    for s in &mut v.sections {
        s.title.clear();
    }
    v
}

/// What changed since the previous version, when there is one.
pub fn changes(view: &EditionView, summary: &Summary) -> Option<Changes> {
    let prev = summary.previous.as_ref()?;
    let before: HashMap<&str, &str> = prev.sections.iter().map(|s| (s.slug.as_str(), s.hash.as_str())).collect();
    let now: HashMap<&str, &str> =
        summary.current.sections.iter().map(|s| (s.slug.as_str(), s.hash.as_str())).collect();
    let (mut added, mut updated) = (Vec::new(), Vec::new());
    for (i, s) in view.sections.iter().enumerate() {
        match (before.get(s.slug.as_str()), now.get(s.slug.as_str())) {
            (None, _) => added.push(i),
            (Some(old), Some(new)) if old != new => updated.push(i),
            _ => {}
        }
    }
    let here: HashSet<&str> = view.sections.iter().map(|s| s.slug.as_str()).collect();
    let gone = prev.sections.iter().filter(|s| !here.contains(s.slug.as_str())).count();
    Some(Changes { since: prev.since, added, updated, gone })
}

#[cfg(test)]
mod tests {
    #[test]
    fn pages_are_hashed_with_their_spacing_as_shown() {
        let shown = |html: &str| {
            let mut out = Vec::new();
            super::as_shown(html, |p| out.extend_from_slice(p));
            String::from_utf8(out).unwrap()
        };
        for (a, b) in [
            ("<p>higher.  Older</p>", "<p>higher. Older</p>"),
            ("<p> The harm </p>\n", "<p>The harm</p>"),
            ("<h2 id=\"c\">Counterfeit </h2>", "<h2 id=\"c\">Counterfeit</h2>"),
            ("<img alt=\" a  map \">", "<img alt=\"a map\">"),
            ("a \n\tb", "a b"),
        ] {
            assert_eq!(shown(a), shown(b), "{a:?}");
        }
        assert_eq!(shown("<p>higher.  Older</p>"), "<p>higher. Older</p>");
        assert_ne!(shown("<p>ab</p>"), shown("<p>a b</p>"));
        // A no-break space is drawn, and kept.
        assert_ne!(shown("a\u{a0}b"), shown("a b"));
    }

    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn st(pairs: &[(&str, &str)]) -> Vec<SectionState> {
        pairs
            .iter()
            .map(|(slug, hash)| SectionState { slug: (*slug).into(), title: slug.to_uppercase(), hash: (*hash).into() })
            .collect()
    }

    #[test]
    fn a_summary_is_parsed_again_when_its_bytes_change() {
        let mut memo = Memo::default();
        let path = std::path::Path::new("reports/p.summary.json");
        let first = next(None, st(&[("a", "1")]), "p", d("2026-10-01"));
        let bytes = serde_json::to_vec(&first).unwrap();
        let once = memo.summary(path, bytes.clone()).unwrap();
        assert_eq!(*once, first);
        // The same bytes: the same summary, not parsed again.
        assert!(Arc::ptr_eq(&memo.summary(path, bytes).unwrap(), &once));
        let second = next(None, st(&[("a", "2")]), "p", d("2026-10-02"));
        assert_eq!(*memo.summary(path, serde_json::to_vec(&second).unwrap()).unwrap(), second);
        assert!(memo.summary(path, b"{".to_vec()).is_err());
    }

    #[test]
    fn versions_roll_forward_by_day_and_only_on_change() {
        let first = next(None, st(&[("a", "1")]), "p", d("2026-10-01"));
        assert_eq!((first.current.since, first.previous.is_none()), (d("2026-10-01"), true));
        // Rebuilt unchanged, later: kept as it is.
        assert_eq!(next(Some(&first), st(&[("a", "1")]), "p", d("2026-10-05")), first);
        let shared = Arc::new(first.clone());
        fn refs(v: &[SectionState]) -> Vec<StateRef<'_>> {
            v.iter().map(|s| StateRef { slug: &s.slug, title: &s.title, hash: Cow::Borrowed(&s.hash) }).collect()
        }
        let (same, other, retitled) = (st(&[("a", "1")]), st(&[("a", "2")]), st(&[("a", "1")]));
        let mut retitled = retitled;
        retitled[0].title = "Another title".into();
        assert!(Arc::ptr_eq(&next_shared(Some(shared.clone()), refs(&same), "p", d("2026-10-05")), &shared));
        assert!(!Arc::ptr_eq(&next_shared(Some(shared.clone()), refs(&retitled), "p", d("2026-10-05")), &shared));
        assert_eq!(
            *next_shared(Some(shared), refs(&other), "p", d("2026-10-01")),
            next(Some(&first), st(&[("a", "2")]), "p", d("2026-10-01"))
        );
        // Changed the same day: still one version, no previous.
        let same_day = next(Some(&first), st(&[("a", "2")]), "p", d("2026-10-01"));
        assert!(same_day.previous.is_none());
        // Changed on a later day: the first version becomes the previous.
        let second = next(Some(&first), st(&[("a", "2"), ("b", "1")]), "p", d("2026-10-05"));
        assert_eq!(second.previous.as_ref(), Some(&previous(first.current.clone())));
        assert!(second.previous.as_ref().unwrap().sections.iter().all(|s| s.title.is_empty()), "no titles kept");
        assert_eq!(second.current.since, d("2026-10-05"));
        // Another change that day keeps the previous version.
        let again = next(Some(&second), st(&[("b", "1")]), "p", d("2026-10-05"));
        assert_eq!(again.previous.as_ref(), second.previous.as_ref());
        // A clock set back never makes a previous version dated after today.
        let back = next(Some(&second), st(&[("c", "1")]), "p", d("2026-09-01"));
        assert!(back.previous.is_none());
    }

    #[test]
    fn summary_round_trips_and_refuses_unknown_keys() {
        let s = next(None, st(&[("a", "1")]), "p", d("2026-10-01"));
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<Summary>(&json).unwrap(), s);
        assert!(serde_json::from_str::<Summary>(&json.replace("\"format\"", "\"formats\"")).is_err());
    }
}
