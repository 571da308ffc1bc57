//! The action plan: every visible recommendation by 4P strand, with the
//! measures of its impact (latest reading against baseline and target, a
//! status, a trend: [`crate::impact`] says how the status is judged), as a
//! page and as a spreadsheet that says its marking in its first and last rows.

use super::page::{Ctx, Link, Shown};
use crate::diagnostic::Diagnostic;
use crate::impact::{self, number, MeasureStatus};
use crate::section::{Measure, Recommendation, Status, Strand};
use crate::withhold::view::section_path;
use crate::write::Sink;
use serde::Serialize;

/// A reading as shown.
#[derive(Serialize)]
pub struct Figure {
    pub value: String,
    pub date: String,
    pub date_long: String,
    pub source: String,
}

/// One measure of a recommendation, as the page and the spreadsheet show it.
#[derive(Serialize)]
pub struct MeasureRow {
    /// The recommendation's id.
    pub recommendation: String,
    pub name: String,
    pub unit: String,
    pub baseline: Figure,
    pub target: Figure,
    pub latest: Option<Figure>,
    /// "higher" or "lower": which way is better.
    pub better: &'static str,
    pub status: MeasureStatus,
    pub status_label: &'static str,
    /// The trend picture (inline SVG, safe to insert as it is).
    pub trend: String,
}

fn point(value: f64, date: crate::date::Date, source: &str) -> Figure {
    Figure { value: number(value), date: date.to_string(), date_long: date.long(), source: source.to_string() }
}

pub fn measure_row(ctx: &Ctx, rec: &str, m: &Measure) -> MeasureRow {
    let status = impact::status(m, ctx.today);
    MeasureRow {
        recommendation: rec.to_string(),
        name: m.name.clone(),
        unit: m.unit.clone(),
        baseline: point(m.baseline.value, m.baseline.date, ""),
        target: point(m.target.value, m.target.date, ""),
        latest: impact::latest(m).map(|r| point(r.value, r.date, &r.source)),
        better: if impact::higher_is_better(m) { "higher" } else { "lower" },
        status,
        status_label: status.label(),
        trend: super::trend::svg(m),
    }
}

/// "2 measures: 1 on track, 1 off track", or "No measure".
fn measures_summary(measures: &[MeasureRow]) -> String {
    if measures.is_empty() {
        return "No measure".into();
    }
    let parts: Vec<String> = MeasureStatus::ALL
        .iter()
        .filter_map(|s| {
            let n = measures.iter().filter(|m| m.status == *s).count();
            (n > 0).then(|| format!("{n} {}", s.label().to_lowercase()))
        })
        .collect();
    format!("{} measure{}: {}", measures.len(), if measures.len() == 1 { "" } else { "s" }, parts.join(", "))
}

#[derive(Serialize)]
pub struct Row {
    pub id: String,
    pub strand: &'static str,
    pub text: String,
    pub owner: Option<String>,
    pub due: Option<String>,
    pub due_long: Option<String>,
    pub status: Status,
    pub status_label: &'static str,
    pub overdue: bool,
    pub section: Link,
    pub measures: Vec<MeasureRow>,
    /// The measures' statuses in words.
    pub measures_summary: String,
}

pub fn row(ctx: &Ctx, section: usize, r: &Recommendation) -> Row {
    let s = ctx.section(section);
    let measures: Vec<MeasureRow> = r.measures.iter().map(|m| measure_row(ctx, &r.id, m)).collect();
    Row {
        measures_summary: measures_summary(&measures),
        measures,
        id: r.id.clone(),
        strand: r.strand.id(),
        text: r.text.clone(),
        owner: r.owner.clone(),
        due: r.due.map(|d| d.to_string()),
        due_long: r.due.map(|d| d.long()),
        status: r.status,
        status_label: r.status.label(),
        overdue: r.due.is_some_and(|d| d < ctx.today) && r.status != Status::Done,
        section: Link { title: s.title.clone(), url: section_path(&s.slug) },
    }
}

/// Every recommendation with its section, and what showing them shows.
pub fn rows(ctx: &Ctx) -> (Vec<Row>, Shown) {
    let mut shown = Shown::default();
    let mut rows = Vec::new();
    for (i, s) in ctx.view.sections.iter().enumerate() {
        if s.recommendations.is_empty() {
            continue;
        }
        shown.add(&s.front_mark).add(&s.title_mark);
        rows.extend(s.recommendations.iter().map(|r| row(ctx, i, r)));
    }
    (rows, shown)
}

fn csv_field(s: &str) -> String {
    // Spreadsheet formula injection: a cell must not start a formula.
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s.to_string() };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// The spreadsheet's columns: a recommendation's, then one measure's.
pub const CSV_COLUMNS: &str = "id,strand,recommendation,owner,due,status,overdue,section,measure,unit,better,baseline,baseline_date,target,target_date,latest,latest_date,latest_source,measure_status";

/// One row per measure (a recommendation without one has a row with the measure's cells empty).
fn csv(rows: &[Row], marking: &str) -> String {
    let mut csv = format!("{}\r\n{CSV_COLUMNS}\r\n", csv_field(marking));
    for r in rows {
        let rec: [&str; 8] = [
            &r.id,
            r.strand,
            &r.text,
            r.owner.as_deref().unwrap_or(""),
            r.due.as_deref().unwrap_or(""),
            r.status_label,
            if r.overdue { "overdue" } else { "" },
            &r.section.title,
        ];
        let mut lines: Vec<Vec<&str>> = r
            .measures
            .iter()
            .map(|m| {
                let latest = m.latest.as_ref();
                vec![
                    m.name.as_str(),
                    &m.unit,
                    m.better,
                    &m.baseline.value,
                    &m.baseline.date,
                    &m.target.value,
                    &m.target.date,
                    latest.map_or("", |l| l.value.as_str()),
                    latest.map_or("", |l| l.date.as_str()),
                    latest.map_or("", |l| l.source.as_str()),
                    m.status_label,
                ]
            })
            .collect();
        if lines.is_empty() {
            lines.push(vec![""; 11]);
        }
        for m in lines {
            let cells: Vec<String> = rec.iter().chain(m.iter()).map(|f| csv_field(f)).collect();
            csv.push_str(&cells.join(","));
            csv.push_str("\r\n");
        }
    }
    csv.push_str(&csv_field(marking));
    csv.push_str("\r\n");
    csv
}

pub fn page(ctx: &Ctx, sink: &dyn Sink) -> Vec<Diagnostic> {
    const PAGE: &str = "action-plan/index.html";
    const CSV: &str = "action-plan/action-plan.csv";
    if !sink.wants(PAGE) && !sink.wants(CSV) {
        return Vec::new();
    }
    let (rows, shown) = rows(ctx);
    let strands: Vec<serde_json::Value> = Strand::ALL
        .iter()
        .map(|s| {
            let in_strand: Vec<&Row> = rows.iter().filter(|r| r.strand == s.id()).collect();
            let measures: Vec<&MeasureRow> = in_strand.iter().flat_map(|r| &r.measures).collect();
            let count = |st: MeasureStatus| measures.iter().filter(|m| m.status == st).count();
            serde_json::json!({
                "id": s.id(), "name": s.name(), "rows": in_strand, "measures": measures,
                "on_track": count(MeasureStatus::OnTrack), "off_track": count(MeasureStatus::OffTrack),
                "no_recent_data": count(MeasureStatus::NoRecentData),
            })
        })
        .collect();
    let home = Link { title: "Home".into(), url: "index.html".into() };
    let mut c = ctx.page(PAGE, "action-plan", "Action plan", &shown, vec![home], None);
    c.insert("strands", &strands);
    c.insert("overdue", &rows.iter().filter(|r| r.overdue).count());
    c.insert("recent_months", &impact::RECENT_MONTHS);
    let mut errors: Vec<Diagnostic> = ctx.render("action_plan.html", PAGE, &c, sink).err().into_iter().collect();
    if sink.wants(CSV) {
        let marking = std::iter::once(shown.0.marking.as_str().to_string())
            .chain(shown.0.handling.iter().cloned())
            .collect::<Vec<_>>()
            .join(" ");
        errors.extend(sink.put(CSV, csv(&rows, &marking).into_bytes()).err());
    }
    errors
}
