//! `brief diff A B`: what edition A holds that edition B does not, section by
//! section — sections only in A, and for sections in both, the blocks, spans
//! recommendations and measures present in A but withheld from B; then the
//! rows of figures' data files A draws and B does not.

use crate::build::{EditionBuild, Site};
use crate::diagnostic::Diagnostic;
use crate::withhold::{Kind, Withheld};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::path::Path;

fn edition<'a>(site: &'a Site, id: &str) -> Result<&'a EditionBuild, Diagnostic> {
    site.edition(id).ok_or_else(|| {
        let ids: Vec<&str> = site.editions.iter().map(|e| e.view.edition.id.as_str()).collect();
        Diagnostic::error(
            "brief.yaml",
            0,
            format!("there is no edition `{id}`"),
            format!("{}editions: {}", crate::suggest::did_you_mean(id, ids.iter().copied()), ids.join(", ")),
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

fn plural(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// One withheld item: where, what, why and its text.
fn item(w: &Withheld) -> String {
    let label =
        if matches!(w.kind, Kind::Recommendation | Kind::Measure) { format!(" {}", w.label) } else { String::new() };
    format!("{}:{}: {}{label} ({}): \"{}\"", w.file.display(), w.line, w.kind.name(), why(w), excerpt(&w.text, 100))
}

fn why(w: &Withheld) -> String {
    w.reasons.iter().map(|r| r.describe()).collect::<Vec<_>>().join(", ")
}

/// The difference as text for the terminal.
pub fn diff(site: &Site, a: &str, b: &str) -> Result<String, Diagnostic> {
    let (ea, eb) = (edition(site, a)?, edition(site, b)?);
    let mut out = String::new();
    let name = |e: &EditionBuild| {
        let ed = &e.view.edition;
        format!("`{}` ({}, {})", ed.id, ed.name, ed.classification.as_str())
    };
    let _ = writeln!(out, "What {} holds that {} does not:\n", name(ea), name(eb));
    let in_b: BTreeSet<&Path> = eb.redactions.included.iter().map(|(s, _)| s.file.as_path()).collect();
    let only_a: Vec<&crate::section::Section> =
        ea.redactions.included.iter().map(|(s, _)| &**s).filter(|s| !in_b.contains(s.file.as_path())).collect();
    let _ = writeln!(out, "Sections only in {a} ({}):", only_a.len());
    if only_a.is_empty() {
        let _ = writeln!(out, "  none");
    }
    for s in &only_a {
        let (file, title) = (&s.file, &s.title);
        let reasons: Vec<String> = eb
            .redactions
            .withheld
            .iter()
            .filter(|w| w.kind == Kind::Section && w.file == *file)
            .map(|w| why(w))
            .collect();
        let _ = writeln!(out, "  {}: {}", file.display(), title);
        let _ = writeln!(out, "    withheld from {b}: {}", reasons.join("; "));
    }

    // In both: items B withholds that A keeps (same kind, place and text).
    let in_a: BTreeSet<(Kind, &Path, usize, &str)> =
        ea.redactions.withheld.iter().map(|w| (w.kind, w.file.as_path(), w.line, w.text.as_str())).collect();
    let only_in_a = |w: &&Withheld| !in_a.contains(&(w.kind, w.file.as_path(), w.line, w.text.as_str()));
    let mut sections = 0;
    let mut counts: BTreeMap<Kind, usize> = BTreeMap::new();
    let mut body = String::new();
    for (s, _) in &ea.redactions.included {
        let (file, title) = (&s.file, &s.title);
        if !in_b.contains(file.as_path()) {
            continue;
        }
        let mut items: Vec<&Withheld> = eb
            .redactions
            .withheld
            .iter()
            .map(|w| &**w)
            .filter(|w| !matches!(w.kind, Kind::Section | Kind::DataRow) && w.file == *file)
            .filter(only_in_a)
            .collect();
        if items.is_empty() {
            continue;
        }
        items.sort_by_key(|w| (w.line, w.kind));
        sections += 1;
        let _ = writeln!(body, "  {}: {}", file.display(), title);
        for w in items {
            *counts.entry(w.kind).or_default() += 1;
            let _ = writeln!(body, "    {}", item(w));
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
    // A figure's rows are withheld by their data file's `audience` cells, not by a section.
    let mut rows: Vec<&Withheld> =
        eb.redactions.withheld.iter().map(|w| &**w).filter(|w| w.kind == Kind::DataRow).filter(only_in_a).collect();
    rows.sort_by_key(|w| (w.file.as_path(), w.line));
    let _ = writeln!(out, "\nData rows of figures withheld from {b} ({}):", rows.len());
    if rows.is_empty() {
        let _ = writeln!(out, "  none");
    }
    for w in &rows {
        let _ = writeln!(out, "  {}", item(w));
    }
    let n = |k: Kind, what: &str| plural(counts.get(&k).copied().unwrap_or(0), what);
    let _ = writeln!(
        out,
        "\n{} only in {a}; in sections both hold, {}, {} and {} of {a} are withheld from {b}; and {} of figures.",
        plural(only_a.len(), "section"),
        n(Kind::Block, "block"),
        n(Kind::Span, "span"),
        n(Kind::Recommendation, "recommendation"),
        plural(rows.len(), "data row"),
    );
    Ok(out)
}
