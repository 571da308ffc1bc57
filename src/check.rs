//! `brief check`: everything `brief build` validates (the same [`prepare`]
//! and every page rendered into nothing), plus what the Home Office guide
//! (2014) expects of a Local Profile, as warnings (errors with `--strict`):
//!
//! - threat areas of guide 3.4 that no published section covers;
//! - `review_by` more than 12 months after `produced`, or past (4.39);
//! - recommendations without an owner or a due date (3.10);
//! - editions beyond the partnership without approval (4.46) — an error,
//!   as in `build`, unless `--draft`;
//! - files in `content/` that nothing references;
//! - sections withheld from every edition;
//! - recommendations not done without a measure of their impact, and
//!   measures with no reading in the last six months (5.3);
//! - published sections not updated within the review cycle
//!   (`review_cycle_months`), or without an `updated` date.
//!
//! The authoring lints that `build` prints too (images without alt text,
//! links to missing headings, overdue recommendations) are [`lints`].

use crate::build::{prepare, write_editions, Cache, Site};
use crate::config::{check_approvals, GUIDE_THREATS};
use crate::date::Date;
use crate::diagnostic::{Diagnostic, Diagnostics, Severity};
use crate::impact;
use crate::links::{self, Reference};
use crate::load::Content;
use crate::markup::Link;
use crate::section::{Section, Status};
use crate::withhold::Kind;
use crate::write::Discard;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

pub struct CheckOptions {
    pub root: PathBuf,
    /// Check as `brief build --draft` would build: unapproved editions and draft sections are allowed.
    pub draft: bool,
    /// Guide expectations (and every other warning) become errors.
    pub strict: bool,
}

/// Every problem found, sorted like a compiler's output.
pub fn check(opts: &CheckOptions) -> Diagnostics {
    let mut d = run(opts);
    if opts.strict {
        for x in &mut d.0 {
            x.severity = Severity::Error;
        }
    }
    d.sorted()
}

fn run(opts: &CheckOptions) -> Diagnostics {
    let mut site = match prepare(&opts.root, opts.draft, &mut Cache::default()) {
        Ok(s) => s,
        Err(d) => return d,
    };
    // The pages a build would make, the changes page among them (reports/ is only read).
    crate::build::attach_history(&mut site, &opts.root.join("reports"), Date::today(), &mut Default::default());
    let mut d = site.warnings.clone();
    // Guide 4.46: build refuses unapproved wider sharing unless --draft; so does check.
    for mut x in check_approvals(&site.content.profile.editions, false).0 {
        x.severity = Severity::Warning;
        x.message.push_str(" (guide 4.46)");
        x.help = "record the partnership's approval before publishing it: `approval: {by: \"…\", on: YYYY-MM-DD, rationale: \"…\"}`; a --draft build stamps every page DRAFT meanwhile".into();
        d.push(x);
    }
    d.extend(guide(&site, &opts.root));
    d.extend(unreferenced_files(&site.content));
    d.extend(nowhere(&site));
    if let Err(e) = write_editions(&site, |_| Discard) {
        d.extend(e);
    }
    d
}

/// Twelve months after `d` (29 February becomes 28 February).
fn year_after(d: Date) -> Date {
    let next = Date { year: d.year + 1, ..d };
    Date::parse(&next.to_string()).unwrap_or(Date { day: 28, ..next })
}

fn config_line(root: &Path, key: &str) -> usize {
    std::fs::read_to_string(root.join(crate::config::CONFIG_FILE))
        .map(|t| crate::yamlpos::YamlText::new(&t, 1).key(&[key]))
        .unwrap_or(0)
}

/// Section files that some edition includes.
fn published(site: &Site) -> HashSet<&Path> {
    site.editions.iter().flat_map(|e| e.redactions.included.iter().map(|(s, _)| s.file.as_path())).collect()
}

fn guide(site: &Site, root: &Path) -> Diagnostics {
    let mut d = Diagnostics::default();
    let content = &site.content;
    let p = &content.profile;
    let yaml = Path::new(crate::config::CONFIG_FILE);

    // 3.4: every threat area described.
    let shown = published(site);
    let covered: HashSet<&str> = content
        .sections
        .iter()
        .filter(|s| shown.contains(s.file.as_path()))
        .flat_map(|s| s.threats.iter().map(String::as_str))
        .collect();
    for (id, name) in GUIDE_THREATS.iter().filter(|(id, _)| !covered.contains(id)) {
        d.push(Diagnostic::warning(
            yaml,
            0,
            format!("no section in any edition covers the threat area `{id}` ({name}) (guide 3.4)"),
            format!("the guide expects local activity linked to each threat area to be described; add a section with `threats: [{id}]`, even to say it was assessed and found low"),
        ));
    }

    // 4.39: reviewed within 12 months.
    let line = config_line(root, "review_by");
    if p.review_by > year_after(p.produced) {
        d.push(Diagnostic::warning(
            yaml,
            line,
            format!("`review_by` {} is more than 12 months after `produced` {} (guide 4.39)", p.review_by, p.produced),
            format!(
                "profiles are to be produced again within 12 months: set `review_by` to {} or earlier",
                year_after(p.produced)
            ),
        ));
    }
    if p.review_by < Date::today() {
        d.push(Diagnostic::warning(
            yaml,
            line,
            format!("the profile was due for review on {} (guide 4.39)", p.review_by),
            "produce and deliver the next profile to the partnership, then update `produced` and `review_by`",
        ));
    }

    // 3.10: recommendations with owners and timescales.
    for s in &content.sections {
        for r in &s.recommendations {
            if r.owner.as_deref().is_none_or(|o| o.trim().is_empty()) {
                d.push(Diagnostic::warning(
                    &s.file,
                    r.line,
                    format!("recommendation {} has no owner (guide 3.10)", r.id),
                    "name the partner who will act on it: `owner: \"…\"`",
                ));
            }
            if r.due.is_none() {
                d.push(Diagnostic::warning(
                    &s.file,
                    r.line,
                    format!("recommendation {} has no due date (guide 3.10)", r.id),
                    "give it a timescale: `due: YYYY-MM-DD`",
                ));
            }
        }
    }
    d.extend(impact_and_freshness(site, Date::today()));
    d
}

/// 5.3, evaluation: every recommendation not done has a measure, every
/// measure a reading in the last six months; and every published section
/// was updated within the review cycle.
fn impact_and_freshness(site: &Site, today: Date) -> Diagnostics {
    let mut d = Diagnostics::default();
    let content = &site.content;
    for s in &content.sections {
        for r in &s.recommendations {
            if r.measures.is_empty() && r.status != Status::Done {
                d.push(Diagnostic::warning(
                    &s.file,
                    r.line,
                    format!("recommendation {} is {} but has no measure of its impact (guide 5.3)", r.id, r.status.label().to_lowercase()),
                    "add `measures:` with a baseline, a target and readings, e.g. `measures: [{name: \"Referrals\", unit: \"referrals\", baseline: {value: 40, date: YYYY-MM-DD}, target: {value: 60, date: YYYY-MM-DD}}]`",
                ));
            }
            for m in &r.measures {
                let latest = impact::latest(m).map(|x| x.date);
                if latest.is_some_and(|l| impact::is_recent(l, today)) {
                    continue;
                }
                let what = match latest {
                    Some(l) => format!("has had no reading since {l}"),
                    None => "has no reading".to_string(),
                };
                d.push(Diagnostic::warning(
                    &s.file,
                    m.line,
                    format!(
                        "measure `{}` of recommendation {} {what}, in the last {} months (guide 5.3)",
                        m.name,
                        r.id,
                        impact::RECENT_MONTHS
                    ),
                    "add the latest figure under `readings:` as `- {value: …, date: YYYY-MM-DD, source: \"…\"}`; until then the action plan says \"No recent data\"",
                ));
            }
        }
    }
    let cycle = content.profile.review_cycle_months;
    let shown = published(site);
    for s in content.sections.iter().filter(|s| shown.contains(s.file.as_path())) {
        if !impact::is_stale(s.updated, cycle, today) {
            continue;
        }
        let what = match s.updated {
            Some(u) => format!("was last updated on {u}, more than {cycle} months ago"),
            None => "has no `updated` date".to_string(),
        };
        d.push(Diagnostic::warning(
            &s.file,
            s.updated_line,
            format!("section \"{}\" {what}: it is flagged as not updated within the review cycle", s.title),
            format!(
                "review it with its owner and set `updated: YYYY-MM-DD`; sections are reviewed every {cycle} months (`review_cycle_months` in brief.yaml)"
            ),
        ));
    }
    d
}

/// Authoring problems `build` reports too, as warnings: images without alt
/// text, links to headings that do not exist, overdue recommendations.
pub fn lints(site: &Site) -> Diagnostics {
    let mut d = Diagnostics::default();
    let content = &site.content;
    let today = Date::today();
    // Links to a heading: (section, link, target section, fragment as written).
    let mut to_headings: Vec<(&Section, &Link, PathBuf, String)> = Vec::new();
    for (at, s) in content.sections.iter().enumerate() {
        for l in &s.body.links {
            if l.is_image {
                if l.text.trim().is_empty() {
                    d.push(Diagnostic::warning(&s.file, l.line, format!("image `{}` has no alt text", l.url), "describe what the image shows for readers who cannot see it: `![Map of hotspots in Northtown](map.png)`"));
                }
                continue;
            }
            if !l.url.contains('#') {
                continue; // no fragment: no heading to look for
            }
            match l.url.trim().strip_prefix('#') {
                Some(f) => to_headings.push((s, l, s.file.clone(), f.to_string())),
                None => {
                    if let Reference::Section { file, fragment: Some(f) } = &*content.reference_at(at, &l.url) {
                        to_headings.push((s, l, file.clone(), f.clone()));
                    }
                }
            }
        }
        for r in &s.recommendations {
            if let Some(due) = r.due.filter(|due| *due < today && r.status != Status::Done) {
                d.push(Diagnostic::warning(
                    &s.file,
                    r.line,
                    format!(
                        "recommendation {} is overdue: due {due}, status {} (guide 3.10)",
                        r.id,
                        r.status.label().to_lowercase()
                    ),
                    "update its `status` (open, in-progress, done) or agree a new `due` date with its owner",
                ));
            }
        }
    }
    d.extend(missing_headings(site, &to_headings));
    d
}

/// Links to a heading no edition of their target section has.
fn missing_headings(site: &Site, links: &[(&Section, &Link, PathBuf, String)]) -> Diagnostics {
    let mut d = Diagnostics::default();
    if links.is_empty() {
        return d;
    }
    // Heading ids each linked section has in some edition (`None`: in none).
    let mut headings: FxHashMap<&Path, Option<FxHashSet<&str>>> = links.iter().map(|l| (l.2.as_path(), None)).collect();
    for e in &site.editions {
        for (i, (s, _)) in e.redactions.included.iter().enumerate() {
            if let Some(ids) = headings.get_mut(s.file.as_path()) {
                ids.get_or_insert_with(FxHashSet::default).extend(e.view.headings(i).iter().map(|h| h.id.as_str()));
            }
        }
    }
    for (s, l, target, fragment) in links {
        // A target no edition holds has no headings to check against.
        let Some(Some(ids)) = headings.get(target.as_path()) else { continue };
        let fragment = percent_encoding::percent_decode_str(fragment).decode_utf8_lossy().into_owned();
        if !fragment.is_empty() && !ids.contains(fragment.as_str()) {
            d.push(Diagnostic::warning(
                &s.file,
                l.line,
                format!("link to `{}`: {} has no heading `#{fragment}`", l.url, target.display()),
                "heading ids are the heading text in lower case with hyphens (`## County lines` is `#county-lines`), or set one with `## Heading {#id}`",
            ));
        }
    }
    d
}

fn unreferenced_files(content: &Content) -> Diagnostics {
    let used: HashSet<PathBuf> = content
        .sections
        .iter()
        .flat_map(|s| {
            s.body.links.iter().filter_map(|l| match links::classify(&l.url, &s.file) {
                Reference::File(f) => Some(f),
                _ => None,
            })
        })
        .chain(crate::data::used_files(content))
        .collect();
    let mut d = Diagnostics::default();
    for f in content.files.iter().filter(|f| !used.contains(*f)) {
        d.push(Diagnostic::warning(
            f,
            0,
            "no section references this file, so no edition contains it",
            "link to it from a section (`![alt](file)` or `[text](file)`), draw it in a ```chart or ```map block, move it out of content/, or add it to `ignore:` in brief.yaml",
        ));
    }
    d
}

fn nowhere(site: &Site) -> Diagnostics {
    let shown = published(site);
    let mut d = Diagnostics::default();
    for s in site.content.sections.iter().filter(|s| !shown.contains(s.file.as_path())) {
        let why: Vec<String> = site
            .editions
            .iter()
            .map(|e| {
                let reasons: Vec<String> = e
                    .redactions
                    .withheld
                    .iter()
                    .filter(|w| w.kind == Kind::Section && w.file == s.file)
                    .flat_map(|w| w.reasons.iter().map(|r| r.describe()))
                    .collect();
                format!("{}: {}", e.view.edition.id, reasons.join(", "))
            })
            .collect();
        d.push(Diagnostic::warning(
            &s.file,
            1,
            format!("section \"{}\" is withheld from every edition ({})", s.title, why.join("; ")),
            if s.draft {
                "remove `draft: true` when it is ready, or delete it if it is no longer needed"
            } else {
                "widen its `audience`, check its `classification` and its sources' `cleared_for`, or delete it"
            },
        ));
    }
    d
}

/// "1 error, 2 warnings".
pub fn summary(d: &Diagnostics) -> String {
    let e = d.errors().count();
    let w = d.warnings().count();
    format!("{e} error{}, {w} warning{}", if e == 1 { "" } else { "s" }, if w == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twelve_months() {
        let d = |s: &str| Date::parse(s).unwrap();
        assert_eq!(year_after(d("2026-10-01")), d("2027-10-01"));
        assert_eq!(year_after(d("2028-02-29")), d("2029-02-28"));
    }
}
