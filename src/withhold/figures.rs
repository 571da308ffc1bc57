//! Charts and maps, per edition: **the only way a data file's rows reach a
//! page.**
//!
//! A figure reaches an edition only if the cut kept the text around it (a
//! chart in a withheld block goes with the block: [`super::cut`]). Then, for
//! that edition:
//!
//! 1. every data file it reads must be one the edition may see by its
//!    sidecar ([`super::rules::data_reasons`]). If one is not, the build
//!    **fails**, naming the figure's file and line and the edition: a figure
//!    is never silently dropped nor drawn from data above its readers. The
//!    author puts the figure in a block for the editions that may see the
//!    data (or changes the sidecar);
//! 2. each CSV keeps only the rows whose `audience` cell names the edition
//!    ([`super::rules::row_kept`]), and loses its `audience` column, before
//!    anything is drawn; the rows left out are listed in the owner's report;
//! 3. the figure is drawn from those rows alone ([`crate::figures`]: every
//!    string escaped, no script, no style, nothing loaded), and its search
//!    text (caption and tables) is taken from that drawing;
//! 4. its page carries at least each data file's sidecar marking and caveats
//!    ([`EditionFigure::mark`], added to the section's body marking).

use super::rules::{data_reasons, row_kept, Kind, Reason, Withheld};
use super::view::Mark;
use crate::config::Edition;
use crate::data::{Data, DataFile};
use crate::diagnostic::Diagnostic;
use crate::figures::csv::Table;
use crate::figures::{chart, map, FigureSpec};
use crate::section::Section;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

/// What one figure draws from in one edition.
#[derive(Debug, Clone)]
enum Inputs {
    Chart(Table),
    Map { areas: Arc<DataFile>, values: Table, points: Option<Table> },
}

/// A figure as one edition shows it: its rows filtered for the edition.
#[derive(Debug, Clone)]
pub struct EditionFigure {
    spec: Arc<FigureSpec>,
    inputs: Inputs,
    /// The highest marking and caveats of its data files' sidecars.
    pub mark: Mark,
    /// Caption and tables as plain text, for the search index.
    pub text: String,
}

impl EditionFigure {
    /// The figure's HTML; `id` prefixes every id in it (unique in the page),
    /// `number` is its "Figure N" in the page.
    pub fn draw(&self, id: &str, number: Option<usize>) -> String {
        let html = self.try_draw(id).unwrap_or_default();
        match number {
            Some(n) => html.replacen(
                "<p class=\"figure-title\">",
                &format!("<p class=\"figure-title\"><span class=\"figure-number\">Figure {n}:</span> "),
                1,
            ),
            None => html,
        }
    }

    fn try_draw(&self, id: &str) -> Result<String, Diagnostic> {
        match (&*self.spec, &self.inputs) {
            (FigureSpec::Chart(c), Inputs::Chart(t)) => chart::render(c, t, id),
            (FigureSpec::Map(m), Inputs::Map { areas, values, points }) => {
                let Data::Areas(a) = &areas.data else { return Err(not_areas(areas)) };
                map::render(m, a, values, points.as_ref(), id)
            }
            _ => Err(fault(&self.spec, "figure and data do not match")),
        }
    }
}

fn fault(spec: &FigureSpec, what: &str) -> Diagnostic {
    spec.origin().error(
        "",
        format!("{what}: this is a fault in Brief, not in the profile"),
        "nothing was drawn, so nothing leaked; please report it",
    )
}

fn not_areas(f: &DataFile) -> Diagnostic {
    Diagnostic::error(&f.file, 0, "this is not a GeoJSON file of areas", "name a .geojson file in `areas:`")
}

/// Everything one edition's figure needs, or why it cannot have it.
pub struct Prepared {
    pub figure: EditionFigure,
    /// Rows left out, for the owner's report.
    pub withheld: Vec<Withheld>,
}

/// The rows of a CSV data file that `e` may see, without the `audience` column.
fn rows_for(spec: &FigureSpec, df: &DataFile, e: &Edition, withheld: &mut Vec<Withheld>) -> Result<Table, Diagnostic> {
    let Data::Table(t) = &df.data else { return Err(fault(spec, "a CSV was expected")) };
    let Some(audiences) = &df.row_audience else { return Ok(t.clone()) };
    let mut i = 0;
    t.filter_audience(|_, row| {
        // Fail closed: a row without a known audience goes.
        let a = audiences.get(i);
        i += 1;
        let keep = a.is_some_and(|a| row_kept(a, e));
        if !keep {
            withheld.push(Withheld {
                kind: Kind::DataRow,
                file: df.file.clone(),
                line: row.line,
                label: spec.title().to_string(),
                reasons: vec![Reason::Audience(a.map_or_else(|| "unknown".into(), |a| a.describe()))],
                text: row.cells.join(", "),
            });
        }
        Ok(keep)
    })
}

/// Figure `index` of section `s`, for edition `e`, drawn from the rows `e`
/// may see (the cut has kept its text).
pub fn prepare(
    s: &Section,
    index: usize,
    data: &BTreeMap<PathBuf, Arc<DataFile>>,
    e: &Edition,
) -> Result<Prepared, Diagnostic> {
    let spec = s.figures.get(index).ok_or_else(|| {
        Diagnostic::error(&s.file, 0, "a figure the cut kept is missing: this is a fault in Brief", "please report it")
    })?;
    let line = s.body.figures.get(index).map_or(spec.origin().fence_line, |b| b.line);
    let what = match &**spec {
        FigureSpec::Chart(_) => "chart",
        FigureSpec::Map(_) => "map",
    };
    let mut mark = Mark::default();
    let mut files: Vec<Arc<DataFile>> = Vec::new();
    for f in spec.files() {
        let df = data.get(f).cloned().ok_or_else(|| fault(spec, &format!("data file {} was not read", f.display())))?;
        if let Some(sc) = &df.sidecar {
            let reasons = data_reasons(sc, e);
            if !reasons.is_empty() {
                let why: Vec<String> = reasons.iter().map(Reason::describe).collect();
                return Err(Diagnostic::error(
                    &s.file,
                    line,
                    format!(
                        "this {what} reads {}, which is withheld from edition `{}` ({} says: {})",
                        f.display(),
                        e.id,
                        sc.file.display(),
                        why.join("; ")
                    ),
                    format!(
                        "put the {what} in a block for the editions that may see its data, e.g. `::: {{audience=\"{}\"}}` … `:::` (add an `{{otherwise}}` block for the others if you like), or change {}",
                        sc.audience.describe(),
                        sc.file.display()
                    ),
                ));
            }
            mark.add(&Mark { marking: sc.classification, handling: sc.handling.iter().cloned().collect() });
        }
        files.push(df);
    }
    let mut withheld = Vec::new();
    let inputs = match &**spec {
        FigureSpec::Chart(_) => Inputs::Chart(rows_for(spec, &files[0], e, &mut withheld)?),
        FigureSpec::Map(m) => {
            let areas = files[0].clone();
            if !matches!(areas.data, Data::Areas(_)) {
                return Err(not_areas(&areas));
            }
            let values = rows_for(spec, &files[1], e, &mut withheld)?;
            let points = match m.points {
                Some(_) => Some(rows_for(spec, &files[2], e, &mut withheld)?),
                None => None,
            };
            Inputs::Map { areas, values, points }
        }
    };
    let mut figure = EditionFigure { spec: spec.clone(), inputs, mark, text: String::new() };
    let html = figure.try_draw("fig").map_err(|mut d| {
        // Name the edition where the problem is only this edition's.
        if d.message.contains("in this edition") {
            d.message = d.message.replace("in this edition", &format!("in edition `{}`", e.id));
        }
        d
    })?;
    figure.text = plain_text(&html);
    Ok(Prepared { figure, withheld })
}

/// The text of a figure's caption and tables: the drawing itself (which
/// repeats them) left out, tags removed, entities read.
fn plain_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(i) = rest.find("<svg") {
        text.push_str(&rest[..i]);
        rest = rest[i..].find("</svg>").map_or("", |j| &rest[i + j + 6..]);
    }
    text.push_str(rest);
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'");
    let out = out.replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_leaves_out_the_drawing() {
        let t = plain_text("<figure><figcaption><p>A &amp; B</p></figcaption><div><svg><title>A &amp; B</title><text>9</text></svg></div><table><tr><th>Q1</th><td>4</td></tr></table></figure>");
        assert_eq!(t, "A & B Q1 4");
    }
}
