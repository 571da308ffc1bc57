//! The owner's redaction report: for each edition, everything withheld from
//! it and why, and every link made plain text. Written to `reports/`, never
//! inside `public/`.

use crate::filter::Withheld;
use crate::plan::EditionPlan;
use crate::site::PlainLink;
use serde::Serialize;

#[derive(Serialize)]
pub struct Report<'a> {
    pub edition: &'a str,
    pub name: &'a str,
    pub classification: &'a str,
    pub draft_build: bool,
    pub approval: Option<serde_json::Value>,
    pub sections_included: Vec<String>,
    pub withheld: &'a [Withheld],
    pub links_made_plain: &'a [PlainLink],
}

pub fn json(ep: &EditionPlan, content: &crate::load::Content, plain: &[PlainLink], draft: bool) -> String {
    let e = &ep.edition;
    let r = Report {
        edition: &e.id,
        name: &e.name,
        classification: e.classification.as_str(),
        draft_build: draft,
        approval: e
            .approval
            .as_ref()
            .map(|a| serde_json::json!({"by": a.by, "on": a.on.to_string(), "rationale": a.rationale})),
        sections_included: ep
            .included
            .iter()
            .map(|i| content.sections[i.section].file.to_string_lossy().into_owned())
            .collect(),
        withheld: &ep.withheld,
        links_made_plain: plain,
    };
    serde_json::to_string_pretty(&r).unwrap_or_default() + "\n"
}
