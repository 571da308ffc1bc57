//! `brief check`: everything `brief build` validates, without writing a file,
//! plus what the Home Office guide (2014) expects of a Local Profile, as
//! warnings (errors with `--strict`):
//!
//! - threat areas of guide 3.4 that no published section covers;
//! - `review_by` more than 12 months after `produced`, or past (4.39);
//! - recommendations without an owner or a due date, or overdue (3.10);
//! - editions beyond the partnership without approval (4.46) — an error,
//!   as in `build`, unless `--draft`;
//! - links to missing sections or headings; images without alt text;
//! - files in `content/` that nothing references;
//! - sections withheld from every edition.

use crate::build::{check_approvals, prepare_files, write_editions, Prepared};
use crate::config::GUIDE_THREATS;
use crate::date::Date;
use crate::diagnostic::{Diagnostic, Diagnostics, Severity};
use crate::filter::Kind;
use crate::load::{self, Content};
use crate::plan::{self, Plan};
use crate::render::{self, Reference};
use crate::section::{Section, Status};
use crate::site::{self, Sink};
use crate::theme::Theme;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

pub struct CheckOptions {
    pub root: PathBuf,
    /// Check as `brief build --draft` would build: unapproved editions and draft sections are allowed.
    pub draft: bool,
    /// Guide expectations (and every other warning) become errors.
    pub strict: bool,
}

/// Renders pages and throws them away: finds template errors without writing.
struct Discard;

impl Sink for Discard {
    fn put(&self, _path: &str, _bytes: Vec<u8>) -> Result<(), Diagnostic> {
        Ok(())
    }
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
    let root = &opts.root;
    let content = match load::load(root) {
        Ok(c) => c,
        Err(d) => return d,
    };
    let mut d = content.warnings.clone();
    // Guide 4.46: build refuses unapproved wider sharing unless --draft; so does check.
    for mut x in check_approvals(&content.profile.editions, false).0 {
        if opts.draft {
            x.severity = Severity::Warning;
            x.message.push_str(" (guide 4.46)");
            x.help = "record the partnership's approval before publishing it: `approval: {by: \"…\", on: YYYY-MM-DD, rationale: \"…\"}`; a --draft build stamps every page DRAFT meanwhile".into();
        }
        d.push(x);
    }
    let plan = plan::plan(&content, &content.profile.editions, opts.draft);
    d.extend(guide(&content, &plan, root));
    d.extend(references(&content, &plan));
    d.extend(unreferenced_files(&content));
    d.extend(nowhere(&content, &plan));

    // The rest of what build does: theme, files, every page, into nothing.
    let theme = match Theme::load(root, &content.profile.theme) {
        Ok(t) => t,
        Err(e) => {
            d.extend(e);
            return d;
        }
    };
    let needed: BTreeSet<PathBuf> = plan.editions.iter().flat_map(|ep| site::needed_files(ep, &plan.renders)).collect();
    let files = match prepare_files(root, &needed) {
        Ok(f) => f,
        Err(e) => {
            d.extend(e);
            return d;
        }
    };
    let prepared = Prepared { content, plan, theme, files };
    if let Err(e) = write_editions(&prepared, opts.draft, |_| Discard) {
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

/// Sections that some edition includes.
fn published(plan: &Plan) -> HashSet<usize> {
    plan.editions.iter().flat_map(|ep| ep.included.iter().map(|i| i.section)).collect()
}

fn guide(content: &Content, plan: &Plan, root: &Path) -> Diagnostics {
    let mut d = Diagnostics::default();
    let p = &content.profile;
    let today = Date::today();
    let yaml = Path::new(crate::config::CONFIG_FILE);

    // 3.4: every threat area described.
    let shown = published(plan);
    let covered: HashSet<&str> =
        shown.iter().flat_map(|&i| content.sections[i].threats.iter().map(String::as_str)).collect();
    for (id, name) in GUIDE_THREATS {
        if !covered.contains(id) {
            d.push(Diagnostic::warning(
                yaml,
                0,
                format!("no section in any edition covers the threat area `{id}` ({name}) (guide 3.4)"),
                format!("the guide expects local activity linked to each threat area to be described; add a section with `threats: [{id}]`, even to say it was assessed and found low"),
            ));
        }
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
    if p.review_by < today {
        d.push(Diagnostic::warning(
            yaml,
            line,
            format!("the profile was due for review on {} (guide 4.39)", p.review_by),
            "produce and deliver the next profile to the partnership, then update `produced` and `review_by`",
        ));
    }

    // 3.10: recommendations with owners and timescales, acted upon.
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
            match r.due {
                None => d.push(Diagnostic::warning(
                    &s.file,
                    r.line,
                    format!("recommendation {} has no due date (guide 3.10)", r.id),
                    "give it a timescale: `due: YYYY-MM-DD`",
                )),
                Some(due) if due < today && r.status != Status::Done => d.push(Diagnostic::warning(
                    &s.file,
                    r.line,
                    format!(
                        "recommendation {} is overdue: due {due}, status {} (guide 3.10)",
                        r.id,
                        r.status.label().to_lowercase()
                    ),
                    "update its `status` (open, in-progress, done) or agree a new `due` date with its owner",
                )),
                Some(_) => {}
            }
        }
    }
    d
}

/// Heading ids a section has in any edition (or in its full text, if it is in none).
fn headings(content: &Content, plan: &Plan, section: usize) -> HashSet<String> {
    let mut ids: HashSet<String> = plan
        .editions
        .iter()
        .filter_map(|ep| ep.includes(section))
        .flat_map(|inc| plan.renders[inc.render].headings.iter().map(|h| h.id.clone()))
        .collect();
    if ids.is_empty() {
        let s = &content.sections[section];
        ids = render::render(&s.body.full_text(), &s.file, &|_| true).headings.into_iter().map(|h| h.id).collect();
    }
    ids
}

/// Links to headings that do not exist, and images without alt text.
/// (Links to missing sections are among `load`'s warnings already.)
fn references(content: &Content, plan: &Plan) -> Diagnostics {
    let mut d = Diagnostics::default();
    for (i, s) in content.sections.iter().enumerate() {
        for r in load::references(s) {
            if r.is_image {
                continue;
            }
            let (target, fragment) = if let Some(f) = r.url.trim().strip_prefix('#') {
                (Some(i), f.to_string())
            } else {
                match render::classify_in(&r.url, &s.file, &|f| content.by_file.contains_key(f)) {
                    Reference::Section { file, fragment: Some(f) } => (content.by_file.get(&file).copied(), f),
                    _ => continue,
                }
            };
            let Some(t) = target else { continue };
            let fragment = percent_encoding::percent_decode_str(&fragment).decode_utf8_lossy().into_owned();
            if fragment.is_empty() || headings(content, plan, t).contains(&fragment) {
                continue;
            }
            d.push(Diagnostic::warning(
                &s.file,
                r.line,
                format!("link to `{}`: {} has no heading `#{fragment}`", r.url, content.sections[t].file.display()),
                "heading ids are the heading text in lower case with hyphens (`## County lines` is `#county-lines`), or set one with `## Heading {#id}`",
            ));
        }
        for (line, url) in images_without_alt(s) {
            d.push(Diagnostic::warning(
                &s.file,
                line,
                format!("image `{url}` has no alt text"),
                "describe what the image shows for readers who cannot see it: `![Map of hotspots in Northtown](map.png)`",
            ));
        }
    }
    d
}

/// (line, url) of every image whose alt text is empty.
fn images_without_alt(s: &Section) -> Vec<(usize, String)> {
    let text = s.body.full_text();
    let mut out = Vec::new();
    let mut open: Option<(usize, String, String)> = None;
    for (ev, range) in Parser::new_ext(&text, render::markdown_options()).into_offset_iter() {
        match ev {
            Event::Start(Tag::Image { dest_url, .. }) => {
                open = Some((range.start, dest_url.to_string(), String::new()));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(o) = open.as_mut() {
                    o.2.push_str(&t);
                }
            }
            Event::End(TagEnd::Image) => {
                if let Some((at, url, alt)) = open.take() {
                    if alt.trim().is_empty() {
                        out.push((load::line_at(&text, at, s.body_line), url));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

fn unreferenced_files(content: &Content) -> Diagnostics {
    let mut used: HashSet<PathBuf> = HashSet::new();
    for s in &content.sections {
        for r in load::references(s) {
            if let Reference::File(f) = render::classify(&r.url, &s.file) {
                used.insert(f);
            }
        }
    }
    let mut d = Diagnostics::default();
    for f in content.files.iter().filter(|f| !used.contains(*f)) {
        d.push(Diagnostic::warning(
            f,
            0,
            "no section references this file, so no edition contains it",
            "link to it from a section (`![alt](file)` or `[text](file)`), or move it out of content/",
        ));
    }
    d
}

fn nowhere(content: &Content, plan: &Plan) -> Diagnostics {
    let shown = published(plan);
    let mut d = Diagnostics::default();
    for s in content.sections.iter().enumerate().filter(|(i, _)| !shown.contains(i)).map(|(_, s)| s) {
        let why: Vec<String> = plan
            .editions
            .iter()
            .map(|ep| {
                let reasons: Vec<String> = ep
                    .withheld
                    .iter()
                    .filter(|w| w.kind == Kind::Section && w.file == s.file)
                    .flat_map(|w| w.reasons.iter().map(|r| r.describe()))
                    .collect();
                format!("{}: {}", ep.edition.id, reasons.join(", "))
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
