//! Planning: for every edition, which sections go in and with what text.
//!
//! Texts are filtered per edition, then deduplicated: each distinct
//! (section, text) pair is rendered once, in parallel, and shared by every
//! edition that sees it.

use crate::config::Edition;
use crate::filter::{self, Filtered, Kind, Reason, Withheld};
use crate::load::Content;
use crate::marking::Marking;
use crate::render::{self, Rendered};
use crate::section::Recommendation;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};

/// A section as one edition has it.
#[derive(Debug)]
pub struct Included {
    pub section: usize,
    /// Index into [`Plan::renders`].
    pub render: usize,
    pub marking: Marking,
    pub handling: BTreeSet<String>,
}

#[derive(Debug)]
pub struct EditionPlan {
    pub edition: Edition,
    /// In contents order.
    pub included: Vec<Included>,
    /// Section index → position in `included`.
    pub position: HashMap<usize, usize>,
    pub withheld: Vec<Withheld>,
}

impl EditionPlan {
    pub fn includes(&self, section: usize) -> Option<&Included> {
        self.position.get(&section).map(|&i| &self.included[i])
    }

    /// Highest marking of everything in the edition, and all caveats.
    pub fn marking(&self) -> (Marking, BTreeSet<String>) {
        let m = self.included.iter().map(|i| i.marking).max().unwrap_or(Marking::Official);
        let h = self.included.iter().flat_map(|i| i.handling.iter().cloned()).collect();
        (m, h)
    }

    pub fn recommendations<'a>(&self, content: &'a Content) -> Vec<(usize, &'a Recommendation)> {
        self.included
            .iter()
            .flat_map(|inc| {
                filter::recommendations(&content.sections[inc.section], &self.edition)
                    .0
                    .into_iter()
                    .map(move |r| (inc.section, r))
            })
            .collect()
    }
}

#[derive(Debug)]
pub struct Plan {
    pub editions: Vec<EditionPlan>,
    pub renders: Vec<Rendered>,
}

/// One section in one edition: its filtered body, or why it is withheld.
pub type Decision = Result<Filtered, Vec<Reason>>;

pub fn decide(s: &crate::section::Section, e: &Edition, draft: bool) -> Decision {
    let reasons = filter::section_reasons(s, e, draft);
    if reasons.is_empty() {
        Ok(filter::filter_body(s, e))
    } else {
        Err(reasons)
    }
}

/// Edition plans from decisions made already. `decision(e, i)` is edition
/// `e`'s decision for section `i`; `render_of(e, i, text)` gives the index in
/// [`Plan::renders`] of section `i`'s rendering of `text`. Withheld items are
/// listed only when `withheld` is true (the preview server does not need them).
pub fn assemble<'d>(
    content: &Content,
    editions: &[Edition],
    decision: impl Fn(usize, usize) -> &'d Decision,
    mut render_of: impl FnMut(usize, usize, &'d str) -> usize,
    list_withheld: bool,
) -> Vec<EditionPlan> {
    let mut plans = Vec::with_capacity(editions.len());
    for (ei, e) in editions.iter().enumerate() {
        let mut included = Vec::new();
        let mut withheld = Vec::new();
        for (i, s) in content.sections.iter().enumerate() {
            match decision(ei, i) {
                Ok(f) => {
                    let render = render_of(ei, i, f.text.as_str());
                    included.push(Included { section: i, render, marking: f.marking, handling: f.handling.clone() });
                    if list_withheld {
                        withheld.extend(f.withheld.iter().cloned());
                        withheld.extend(filter::recommendations(s, e).1);
                    }
                }
                Err(reasons) if list_withheld => withheld.push(Withheld {
                    kind: Kind::Section,
                    file: s.file.clone(),
                    line: 1,
                    label: s.title.clone(),
                    reasons: reasons.clone(),
                    text: s.body.full_text().trim().to_string(),
                }),
                Err(_) => {}
            }
        }
        let position = included.iter().enumerate().map(|(p, inc)| (inc.section, p)).collect();
        plans.push(EditionPlan { edition: e.clone(), included, position, withheld });
    }
    plans
}

/// Decide every edition's content and render each distinct text once.
pub fn plan(content: &Content, editions: &[Edition], draft: bool) -> Plan {
    // Filter: editions × sections, in parallel.
    let decisions: Vec<Vec<Decision>> =
        editions.par_iter().map(|e| content.sections.par_iter().map(|s| decide(s, e, draft)).collect()).collect();
    // Deduplicate texts per section: each distinct (section, text) is rendered once.
    let mut keys: HashMap<(usize, &str), usize> = HashMap::new();
    let mut jobs: Vec<(usize, &str)> = Vec::new();
    let plans = assemble(
        content,
        editions,
        |e, i| &decisions[e][i],
        |_, i, text| {
            *keys.entry((i, text)).or_insert_with(|| {
                jobs.push((i, text));
                jobs.len() - 1
            })
        },
        true,
    );
    let renders: Vec<Rendered> = jobs
        .par_iter()
        .map(|(i, text)| render::render(text, &content.sections[*i].file, &|f| content.by_file.contains_key(f)))
        .collect();
    Plan { editions: plans, renders }
}
