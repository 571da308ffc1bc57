//! Figures: charts and maps drawn as accessible inline SVG at build time.
//!
//! Authors write a fenced block whose info string is `chart` or `map`, with a
//! few lines of YAML naming a CSV file (and for a map a GeoJSON file); see
//! `docs/figures.md`. This module reads those files and draws; it loads
//! nothing itself, so the caller decides what each edition may see:
//!
//! 1. [`FigureSpec::parse`] the block's body (keys checked at their lines).
//! 2. Read each of [`FigureSpec::files`]: [`csv::parse`] the CSVs and
//!    [`geojson::parse`] the areas.
//! 3. Per edition, [`csv::Table::filter_audience`] each CSV: withheld rows go,
//!    and so does the `audience` column. Drawing refuses a table that still
//!    has one, so an unfiltered table cannot reach a page.
//! 4. [`chart::render`] or [`map::render`] with an id prefix unique in the
//!    page: one `<figure>` holding the caption, an `<svg role="img">` with
//!    `<title>` and `<desc>`, and the data as tables.
//!
//! The output has no `style` attributes or elements, no script, no external
//! reference (patterns are referred to by in-document `url(#id)` only), and
//! every string from a data file is escaped. Its look comes from presentation
//! attributes and the classes in `themes/default/static/figures.css`. The
//! same input always gives the same bytes.

pub mod chart;
pub mod csv;
pub mod geojson;
mod json;
pub mod map;
pub mod spec;
mod svg;
#[cfg(test)]
mod wellformed;

pub use spec::{ChartKind, ChartSpec, FigureSpec, MapSpec, Origin};

use std::path::{Component, Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FigureType {
    Chart,
    Map,
}

/// The figure named by a fenced code block's info string (`chart`, `map`),
/// or `None` for an ordinary code block.
pub fn figure_type(info: &str) -> Option<FigureType> {
    match info.split_whitespace().next() {
        Some("chart") => Some(FigureType::Chart),
        Some("map") => Some(FigureType::Map),
        _ => None,
    }
}

/// Resolve a data file named in a figure in `from` (a section file relative
/// to the profile root): relative to the section's folder, or to `content/`
/// when it starts with `/`. The result must lie under `content/`.
pub fn resolve(from: &Path, written: &str) -> Result<PathBuf, String> {
    let written = written.trim();
    if written.starts_with("//") || written.contains("://") {
        return Err("figures read files in this profile, not from the web".into());
    }
    let base = if written.starts_with('/') {
        PathBuf::from("content")
    } else {
        from.parent().map(Path::to_path_buf).unwrap_or_default()
    };
    let mut parts: Vec<String> = Vec::new();
    for c in base.join(written.trim_start_matches('/')).components() {
        match c {
            Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            Component::ParentDir => {
                if parts.pop().is_none() {
                    return Err("the path leaves the profile's folder".into());
                }
            }
            Component::CurDir => {}
            _ => return Err("the path leaves the profile's folder".into()),
        }
    }
    if parts.first().map(String::as_str) != Some("content") || parts.len() < 2 {
        return Err("data files must live under content/".into());
    }
    Ok(parts.iter().collect())
}

/// Edit distance by characters, ignoring letter case, counting a swap of
/// two neighbours as one edit (optimal string alignment).
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, v) in d[0].iter_mut().enumerate() {
        *v = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[a.len()][b.len()]
}

/// The candidate nearest to `word`, if it is near enough to be a likely
/// slip: a few letters off, a different letter case, or a prefix of it.
pub(crate) fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let w = word.to_lowercase();
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .filter_map(|c| {
            let d = distance(word, c);
            let lc = c.to_lowercase();
            let prefix = w.len() >= 3 && (lc.starts_with(&w) || w.starts_with(&lc));
            (d <= limit || prefix).then_some((d, c))
        })
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// "did you mean `x`? " or nothing.
pub(crate) fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    nearest(word, candidates).map(|s| format!("did you mean `{s}`? ")).unwrap_or_default()
}

/// The index of column `name` of `table`, named by the spec's `key`; if it
/// is missing, an error at that key's line listing the columns.
pub(crate) fn require_column(
    origin: &Origin,
    key: &str,
    name: &str,
    table: &csv::Table,
) -> Result<usize, crate::diagnostic::Diagnostic> {
    table.column(name).ok_or_else(|| {
        let cols = table.header.iter().map(|h| format!("`{h}`")).collect::<Vec<_>>().join(", ");
        origin.error(
            key,
            format!("column `{name}` is not in {}", table.file.display()),
            format!("{}Columns: {cols}", did_you_mean(name, table.header.iter().map(String::as_str))),
        )
    })
}

/// Refuse a table whose rows were not filtered for the edition: the
/// caller must use [`csv::Table::filter_audience`], which drops the column.
pub(crate) fn require_filtered(table: &csv::Table) -> Result<(), crate::diagnostic::Diagnostic> {
    match table.audience_column() {
        None => Ok(()),
        Some(_) => Err(crate::diagnostic::Diagnostic::error(
            &table.file,
            0,
            "this table still has its `audience` column: its rows were not filtered for the edition",
            "this is a fault in Brief, not in the profile; nothing was drawn so nothing leaked",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example profile's figures, as the other docs show them.
    const EXAMPLE_CHART: &str = "kind: line\ndata: ../data/threat-trends.csv\nx: quarter\ny: [Drug supply, Fraud, Modern slavery]\ntitle: \"Recorded offences by quarter, 2024 to 2026\"\ndescription: \"All three rose over the period; drug supply offences nearly doubled, from 41 to 74 a quarter.\"\nunit: offences\nsource: \"Northshire Police crime recording (fictional)\"\n";
    const EXAMPLE_MAP: &str = "areas: ../data/northshire-wards.geojson\nkey: ward\ndata: ../data/ward-referrals.csv\nvalue: referrals\nunit: referrals\npoints: ../data/flagged-premises.csv\npoints_label: Flagged premises\ntitle: \"Exploitation referrals by ward, 2025 to 2026\"\ndescription: \"Referrals are highest in Northtown Central, Eastport and Harbourside, and lowest in the rural west.\"\n";

    /// Render the example data for one edition, filtering rows the way the
    /// build is meant to: an `audience` cell lists edition ids, or `all`.
    fn example(edition: &str, info: &str, yaml: &str, prefix: &str) -> String {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let section = Path::new("content/places/overview.md");
        let spec = FigureSpec::parse(info, yaml, section, 30).unwrap();
        let table = |p: &Path| {
            let t = csv::parse(&std::fs::read(root.join(p)).unwrap(), p).unwrap();
            t.filter_audience(|cell, _| Ok(cell.split_whitespace().any(|id| id == "all" || id == edition))).unwrap()
        };
        match &spec {
            FigureSpec::Chart(c) => chart::render(c, &table(&c.data), prefix).unwrap(),
            FigureSpec::Map(m) => {
                let areas = geojson::parse(&std::fs::read(root.join(&m.areas)).unwrap(), &m.areas).unwrap();
                let points = m.points.as_deref().map(table);
                map::render(m, &areas, &table(&m.data), points.as_ref(), prefix).unwrap()
            }
        }
    }

    #[test]
    fn example_data_renders_per_edition() {
        let chart = |e| example(e, "chart", EXAMPLE_CHART, "fig-1");
        let map = |e| example(e, "map", EXAMPLE_MAP, "fig-2");
        for e in ["partnership", "elected-members", "bordering-forces"] {
            wellformed::assert_safe(&chart(e));
            wellformed::assert_safe(&map(e));
        }
        // 2026-Q2 is the partnership's alone; 2026-Q1 is also the bordering forces'.
        assert!(chart("partnership").contains(">2026-Q2<"));
        assert!(chart("bordering-forces").contains(">2026-Q1<"));
        assert!(!chart("bordering-forces").contains("2026-Q2"));
        assert!(!chart("elected-members").contains("2026-Q1"));
        assert!(!chart("elected-members").contains("2026-Q2"));
        // Flagged premises: none for elected members, one for the partnership only.
        assert!(map("partnership").contains("House in multiple occupation"));
        assert!(!map("bordering-forces").contains("House in multiple occupation"));
        assert!(map("bordering-forces").contains("Hand car wash, Mill Lane"));
        assert!(!map("elected-members").contains("Hand car wash"));
        assert!(!map("elected-members").contains("Flagged premises"));
        // Every ward is in the table; Kingsmoor has no value.
        let m = map("elected-members");
        assert_eq!(m.matches("<th scope=\"row\">").count(), 10);
        assert!(m.contains("<th scope=\"row\">Kingsmoor</th><td>No data</td>"));
        // Points lie in the wards they are meant to.
        let m = map("partnership");
        assert!(m.contains("Hand car wash, Mill Lane</th><td class=\"num\">1</td><td>Northtown Central</td>"), "{m}");
        assert!(m.contains("Nail bar, Quay Street</th><td class=\"num\">2</td><td>Harbourside</td>"));
    }

    #[test]
    fn info_strings() {
        assert_eq!(figure_type("chart"), Some(FigureType::Chart));
        assert_eq!(figure_type(" map  "), Some(FigureType::Map));
        assert_eq!(figure_type("rust"), None);
        assert_eq!(figure_type(""), None);
        assert_eq!(figure_type("charts"), None);
    }

    #[test]
    fn paths() {
        let from = Path::new("content/threats/drugs.md");
        assert_eq!(resolve(from, "x.csv").unwrap(), Path::new("content/threats/x.csv"));
        assert_eq!(resolve(from, "../data/x.csv").unwrap(), Path::new("content/data/x.csv"));
        assert_eq!(resolve(from, "/data/x.csv").unwrap(), Path::new("content/data/x.csv"));
        assert_eq!(resolve(from, "./a/../x.csv").unwrap(), Path::new("content/threats/x.csv"));
        assert!(resolve(from, "../../x.csv").is_err());
        assert!(resolve(from, "../../../x.csv").is_err());
        assert!(resolve(from, "http://x/y.csv").is_err());
        assert!(resolve(from, "//x/y.csv").is_err());
    }

    #[test]
    fn suggestions() {
        assert_eq!(nearest("bars", ["bar", "stacked-bar", "line"]), Some("bar"));
        assert_eq!(nearest("Supply", ["possession", "supply"]), Some("supply"));
        assert_eq!(nearest("possesion", ["possession", "supply"]), Some("possession"));
        assert_eq!(nearest("stacked", ["bar", "stacked-bar", "line"]), Some("stacked-bar"));
        assert_eq!(nearest("pie", ["bar", "stacked-bar", "line"]), None);
        assert_eq!(nearest("referals", ["ward", "referrals", "audience"]), Some("referrals"));
        assert_eq!(did_you_mean("wrd", ["ward"]), "did you mean `ward`? ");
        assert_eq!(did_you_mean("zzzzzz", ["ward"]), "");
        assert_eq!(nearest("titel", ["title", "description"]), Some("title"));
        assert_eq!(distance("ab", "ba"), 1);
        assert_eq!(distance("kitten", "sitting"), 3);
    }
}
