//! Filtering: deciding, per edition, which sections, blocks, spans and
//! recommendations go in, and removing the rest from the source text before
//! any Markdown parser sees it. Every removal is recorded for the owner's report.

use crate::config::Edition;
use crate::marking::Marking;
use crate::markup::{Attrs, Node};
use crate::section::{Recommendation, Section};
use std::collections::BTreeSet;
use std::path::PathBuf;

/// Marker left in filtered text where a block was removed and the edition
/// asks to show it; the renderer turns it into a visible notice.
pub const WITHHELD_BLOCK: &str = "\u{E000}B\u{E000}";
/// Marker left where a span was removed (with `show_withheld`).
pub const WITHHELD_SPAN: &str = "\u{E000}S\u{E000}";

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
}

impl Reason {
    pub fn describe(&self) -> String {
        match self {
            Reason::Audience(a) => format!("audience is `{a}`"),
            Reason::Marking(m) => format!("marked {m}, above the edition"),
            Reason::SourceNotCleared(s) => format!("source `{s}` is not cleared for this edition"),
            Reason::Draft => "draft".into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Section,
    Block,
    Span,
    Recommendation,
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

fn attr_reasons(attrs: &Attrs, edition: &Edition) -> Vec<Reason> {
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

/// A section body as one edition sees it.
#[derive(Debug, Clone)]
pub struct Filtered {
    /// Markdown with withheld blocks and spans removed.
    pub text: String,
    /// Highest marking of what remains (the section's own at least).
    pub marking: Marking,
    pub handling: BTreeSet<String>,
    pub withheld: Vec<Withheld>,
}

/// Remove from an included section's body what `edition` may not see.
pub fn filter_body(s: &Section, edition: &Edition) -> Filtered {
    fn walk(nodes: &[Node], s: &Section, e: &Edition, out: &mut Filtered) {
        for n in nodes {
            match n {
                Node::Text(t) => out.text.push_str(t),
                Node::Span(span) => {
                    let reasons = attr_reasons(&span.attrs, e);
                    if reasons.is_empty() {
                        out.text.push_str(&span.text);
                        note(&span.attrs, out);
                    } else {
                        if e.show_withheld {
                            out.text.push_str(WITHHELD_SPAN);
                        }
                        out.withheld.push(Withheld {
                            kind: crate::filter::Kind::Span,
                            file: s.file.clone(),
                            line: span.line,
                            label: s.title.clone(),
                            reasons,
                            text: span.text.clone(),
                        });
                    }
                }
                Node::Block(b) => {
                    let reasons = attr_reasons(&b.attrs, e);
                    if reasons.is_empty() {
                        note(&b.attrs, out);
                        walk(&b.children, s, e, out);
                    } else {
                        if e.show_withheld {
                            out.text.push_str("\n\n");
                            out.text.push_str(WITHHELD_BLOCK);
                            out.text.push_str("\n\n");
                        }
                        let text = crate::markup::Body { nodes: b.children.clone() }.full_text().trim().to_string();
                        out.withheld.push(Withheld {
                            kind: Kind::Block,
                            file: s.file.clone(),
                            line: b.line,
                            label: s.title.clone(),
                            reasons,
                            text,
                        });
                    }
                }
            }
        }
    }
    fn note(attrs: &Attrs, out: &mut Filtered) {
        if let Some(m) = attrs.classification {
            out.marking = out.marking.max(m);
        }
        out.handling.extend(attrs.handling.iter().cloned());
    }
    let mut out = Filtered {
        text: String::new(),
        marking: s.classification,
        handling: s.handling.iter().cloned().collect(),
        withheld: Vec::new(),
    };
    walk(&s.body.nodes, s, edition, &mut out);
    out
}

/// The recommendations of an included section that the edition may see.
pub fn recommendations<'a>(s: &'a Section, edition: &Edition) -> (Vec<&'a Recommendation>, Vec<Withheld>) {
    let mut keep = Vec::new();
    let mut withheld = Vec::new();
    for r in &s.recommendations {
        match &r.audience {
            Some(a) if !a.includes(&edition.id) => withheld.push(Withheld {
                kind: Kind::Recommendation,
                file: s.file.clone(),
                line: r.line,
                label: r.id.clone(),
                reasons: vec![Reason::Audience(a.describe())],
                text: r.text.clone(),
            }),
            _ => keep.push(r),
        }
    }
    (keep, withheld)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::tests::profile;
    use std::path::Path;

    fn section(src: &str) -> Section {
        crate::section::parse(src, Path::new("content/x.md"), Path::new("x.md"), &profile()).unwrap()
    }

    #[test]
    fn removes_blocks_and_spans_per_edition() {
        let s = section("---\ntitle: T\nclassification: OFFICIAL\naudience: [all]\n---\nA [secret]{audience=\"partnership\"}[public]{audience=\"members\"}.\n::: {classification=\"OFFICIAL-SENSITIVE\"}\nHIDDEN\n:::\n");
        let p = profile();
        let (partnership, members) = (&p.editions[0], &p.editions[1]);
        let f = filter_body(&s, partnership);
        assert!(f.text.contains("A secret.") && f.text.contains("HIDDEN"), "{}", f.text);
        assert_eq!(f.marking, Marking::OfficialSensitive);
        let f = filter_body(&s, members);
        assert!(f.text.contains("A public.") && !f.text.contains("HIDDEN") && !f.text.contains("secret"), "{}", f.text);
        assert_eq!(f.marking, Marking::Official);
        assert_eq!(f.withheld.len(), 2);
        assert_eq!(f.withheld[1].kind, Kind::Block);
        assert_eq!(f.withheld[1].line, 7);
        assert_eq!(f.withheld[1].reasons, vec![Reason::Marking("OFFICIAL-SENSITIVE".into())]);
    }

    #[test]
    fn show_withheld_leaves_notices() {
        let s = section("---\ntitle: T\nclassification: OFFICIAL\naudience: [all]\n---\nA [x]{audience=\"partnership\"}.\n::: {audience=\"partnership\"}\nB\n:::\n");
        let mut e = profile().editions[1].clone();
        e.show_withheld = true;
        let f = filter_body(&s, &e);
        assert!(f.text.contains(WITHHELD_SPAN) && f.text.contains(WITHHELD_BLOCK), "{}", f.text);
    }

    #[test]
    fn section_rules() {
        let p = profile();
        let s = section("---\ntitle: T\nclassification: OFFICIAL-SENSITIVE\naudience: [members]\ndraft: true\nsources:\n  - {name: OCG, cleared_for: [partnership]}\n---\n");
        let r = section_reasons(&s, &p.editions[1], false);
        assert_eq!(
            r,
            vec![Reason::Marking("OFFICIAL-SENSITIVE".into()), Reason::SourceNotCleared("OCG".into()), Reason::Draft]
        );
        assert!(section_reasons(&s, &p.editions[0], true).contains(&Reason::Audience("members".into())));
    }
}
