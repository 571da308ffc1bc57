//! `brief diff A B`: what edition A holds that edition B does not, section by
//! section — sections only in A, and for sections in both, the blocks, spans
//! and recommendations present in A but withheld from B.

use crate::diagnostic::Diagnostic;
use crate::filter::{Kind, Withheld};
use crate::load::Content;
use crate::plan::{EditionPlan, Plan};
use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::Path;

fn edition<'a>(plan: &'a Plan, id: &str) -> Result<&'a EditionPlan, Diagnostic> {
    plan.editions.iter().find(|e| e.edition.id == id).ok_or_else(|| {
        let ids: Vec<&str> = plan.editions.iter().map(|e| e.edition.id.as_str()).collect();
        Diagnostic::error(
            "brief.yaml",
            0,
            format!("there is no edition `{id}`"),
            format!("editions: {}", ids.join(", ")),
        )
    })
}

/// One line of text, at most `n` characters.
fn excerpt(text: &str, n: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > n {
        format!("{}…", flat.chars().take(n).collect::<String>())
    } else {
        flat
    }
}

fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::Section => "section",
        Kind::Block => "block",
        Kind::Span => "span",
        Kind::Recommendation => "recommendation",
    }
}

fn why(w: &Withheld) -> String {
    w.reasons.iter().map(|r| r.describe()).collect::<Vec<_>>().join(", ")
}

/// The difference as text for the terminal.
pub fn diff(content: &Content, plan: &Plan, a: &str, b: &str) -> Result<String, Diagnostic> {
    let (ea, eb) = (edition(plan, a)?, edition(plan, b)?);
    let mut out = String::new();
    let name =
        |e: &EditionPlan| format!("`{}` ({}, {})", e.edition.id, e.edition.name, e.edition.classification.as_str());
    let _ = writeln!(out, "What {} holds that {} does not:\n", name(ea), name(eb));

    let only_a: Vec<usize> = ea.included.iter().map(|i| i.section).filter(|s| eb.includes(*s).is_none()).collect();
    let _ = writeln!(out, "Sections only in {a} ({}):", only_a.len());
    if only_a.is_empty() {
        let _ = writeln!(out, "  none");
    }
    for &i in &only_a {
        let s = &content.sections[i];
        let reasons: Vec<String> =
            eb.withheld.iter().filter(|w| w.kind == Kind::Section && w.file == s.file).map(why).collect();
        let _ = writeln!(out, "  {}: {}", s.file.display(), s.title);
        let _ = writeln!(out, "    withheld from {b}: {}", reasons.join("; "));
    }

    // In both: items B withholds that A keeps (same kind, place and text).
    let in_a: BTreeSet<(Kind, &Path, usize, &str)> =
        ea.withheld.iter().map(|w| (w.kind, w.file.as_path(), w.line, w.text.as_str())).collect();
    let mut sections = 0;
    let mut counts = [0usize; 4];
    let mut body = String::new();
    for inc in &ea.included {
        if eb.includes(inc.section).is_none() {
            continue;
        }
        let s = &content.sections[inc.section];
        let mut items: Vec<&Withheld> = eb
            .withheld
            .iter()
            .filter(|w| w.kind != Kind::Section && w.file == s.file)
            .filter(|w| !in_a.contains(&(w.kind, w.file.as_path(), w.line, w.text.as_str())))
            .collect();
        if items.is_empty() {
            continue;
        }
        items.sort_by_key(|w| (w.line, w.kind));
        sections += 1;
        let _ = writeln!(body, "  {}: {}", s.file.display(), s.title);
        for w in items {
            counts[w.kind as usize] += 1;
            let label = if w.kind == Kind::Recommendation { format!(" {}", w.label) } else { String::new() };
            let _ = writeln!(
                body,
                "    {}:{}: {}{label} ({}): \"{}\"",
                w.file.display(),
                w.line,
                kind_name(w.kind),
                why(w),
                excerpt(&w.text, 100)
            );
        }
    }
    let _ = writeln!(
        out,
        "\nIn both, with content withheld from {b} ({sections} section{}):",
        if sections == 1 { "" } else { "s" }
    );
    if sections == 0 {
        let _ = writeln!(out, "  none");
    }
    out.push_str(&body);
    let _ = writeln!(
        out,
        "\n{} section{} only in {a}; in sections both hold, {} block{}, {} span{} and {} recommendation{} of {a} are withheld from {b}.",
        only_a.len(),
        if only_a.len() == 1 { "" } else { "s" },
        counts[Kind::Block as usize],
        if counts[Kind::Block as usize] == 1 { "" } else { "s" },
        counts[Kind::Span as usize],
        if counts[Kind::Span as usize] == 1 { "" } else { "s" },
        counts[Kind::Recommendation as usize],
        if counts[Kind::Recommendation as usize] == 1 { "" } else { "s" },
    );
    Ok(out)
}
