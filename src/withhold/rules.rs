//! Which section, block, span, recommendation and source goes into which
//! edition (FORMAT.md, "Which edition gets what"), and the record of every
//! removal for the owner's report.

use crate::config::Edition;
use crate::data::Sidecar;
use crate::markup::{Attrs, Audience};
use crate::section::{Measure, Recommendation, Section};
use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case", tag = "reason", content = "detail")]
pub enum Reason {
    /// The edition is not in the audience.
    Audience(String),
    /// Marked above the edition's classification.
    Marking(String),
    /// A source is not cleared for the edition.
    SourceNotCleared(String),
    Draft,
    /// Footnote or reference whose counterpart is withheld, or that nothing kept refers to.
    FollowsItsReference,
    /// A link whose target section is withheld, shown as its text (`if-withheld`).
    TargetWithheld(String),
}

impl Reason {
    pub fn describe(&self) -> String {
        match self {
            Reason::Audience(a) => format!("audience is `{a}`"),
            Reason::Marking(m) => format!("marked {m}, above the edition"),
            Reason::SourceNotCleared(s) => format!("source `{s}` is not cleared for this edition"),
            Reason::Draft => "draft".into(),
            Reason::FollowsItsReference => {
                "no reference to it is in this edition, or its definition is withheld".into()
            }
            Reason::TargetWithheld(t) => format!("its target {t} is withheld from this edition"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Section,
    Block,
    Span,
    Recommendation,
    Footnote,
    /// A measure of a recommendation the edition keeps.
    Measure,
    /// A link made plain text: its text stays, the link goes.
    LinkText,
    /// A row of a figure's data file, left out of the figure.
    DataRow,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Section => "section",
            Kind::Block => "block",
            Kind::Span => "span",
            Kind::Recommendation => "recommendation",
            Kind::Footnote => "footnote",
            Kind::Measure => "measure",
            Kind::LinkText => "link text",
            Kind::DataRow => "data row",
        }
    }
}

/// One thing removed from an edition, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Withheld {
    pub kind: Kind,
    pub file: PathBuf,
    pub line: usize,
    /// Section title or recommendation id.
    pub label: String,
    pub reasons: Vec<Reason>,
    /// The removed text, for the owner's review (never written inside public/).
    pub text: String,
}

/// Why a block or span stays out of an edition; empty means it goes in.
pub fn attr_reasons(attrs: &Attrs, edition: &Edition) -> Vec<Reason> {
    let mut r = Vec::new();
    if let Some(a) = &attrs.audience {
        if !a.includes(&edition.id) {
            r.push(Reason::Audience(a.describe()));
        }
    }
    if let Some(m) = attrs.classification {
        if m > edition.classification {
            r.push(Reason::Marking(m.to_string()));
        }
    }
    r
}

/// Why a whole section stays out of an edition; empty means it goes in.
pub fn section_reasons(s: &Section, edition: &Edition, draft_build: bool) -> Vec<Reason> {
    let mut r = Vec::new();
    if !s.audience.includes(&edition.id) {
        r.push(Reason::Audience(s.audience.describe()));
    }
    if s.classification > edition.classification {
        r.push(Reason::Marking(s.classification.to_string()));
    }
    for src in &s.sources {
        if let Some(ids) = &src.cleared_for {
            if !ids.contains(&edition.id) {
                r.push(Reason::SourceNotCleared(src.name.clone()));
            }
        }
    }
    if s.draft && !draft_build {
        r.push(Reason::Draft);
    }
    r
}

/// Why a data file stays out of an edition, by its sidecar (its own
/// marking and audience); empty means the edition may see it.
pub fn data_reasons(s: &Sidecar, edition: &Edition) -> Vec<Reason> {
    let mut r = Vec::new();
    if !s.audience.includes(&edition.id) {
        r.push(Reason::Audience(s.audience.describe()));
    }
    if s.classification > edition.classification {
        r.push(Reason::Marking(s.classification.to_string()));
    }
    r
}

/// Whether a data row, by its `audience` cell, goes into an edition.
pub fn row_kept(audience: &Audience, edition: &Edition) -> bool {
    audience.includes(&edition.id)
}

/// Why a recommendation of an included section stays out; empty means it goes in.
pub fn recommendation_reasons(r: &Recommendation, edition: &Edition) -> Vec<Reason> {
    match &r.audience {
        Some(a) if !a.includes(&edition.id) => vec![Reason::Audience(a.describe())],
        _ => Vec::new(),
    }
}

/// Why a measure of a kept recommendation stays out; empty means it goes in.
/// Its own `audience` narrows the recommendation's (the section checks that).
pub fn measure_reasons(m: &Measure, edition: &Edition) -> Vec<Reason> {
    match &m.audience {
        Some(a) if !a.includes(&edition.id) => vec![Reason::Audience(a.describe())],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::tests::profile;
    use std::path::Path;

    #[test]
    fn section_rules() {
        let p = profile();
        let (s, d) = crate::section::parse(
            "---\ntitle: T\nclassification: OFFICIAL-SENSITIVE\naudience: [members]\ndraft: true\nsources:\n  - {name: OCG, cleared_for: [partnership]}\n---\n",
            Path::new("content/x.md"),
            Path::new("x.md"),
            &p,
        );
        let s = s.unwrap_or_else(|| panic!("{d:?}"));
        let r = section_reasons(&s, &p.editions[1], false);
        assert_eq!(
            r,
            vec![Reason::Marking("OFFICIAL-SENSITIVE".into()), Reason::SourceNotCleared("OCG".into()), Reason::Draft]
        );
        assert!(section_reasons(&s, &p.editions[0], true).contains(&Reason::Audience("members".into())));
    }
}
