//! The action plan: every visible recommendation by 4P strand, as a page and
//! as a spreadsheet that says its marking in its first and last rows.

use super::page::{Ctx, Link, Shown};
use crate::diagnostic::Diagnostic;
use crate::section::{Recommendation, Status, Strand};
use crate::withhold::view::section_path;
use crate::write::Sink;
use serde::Serialize;

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
}

pub fn row(ctx: &Ctx, section: usize, r: &Recommendation) -> Row {
    let s = ctx.section(section);
    Row {
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

fn csv(rows: &[Row], marking: &str) -> String {
    let mut csv = format!("{}\r\nid,strand,recommendation,owner,due,status,overdue,section\r\n", csv_field(marking));
    for r in rows {
        let fields: [&str; 8] = [
            &r.id,
            r.strand,
            &r.text,
            r.owner.as_deref().unwrap_or(""),
            r.due.as_deref().unwrap_or(""),
            r.status_label,
            if r.overdue { "overdue" } else { "" },
            &r.section.title,
        ];
        csv.push_str(&fields.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(","));
        csv.push_str("\r\n");
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
        .map(|s| serde_json::json!({"id": s.id(), "name": s.name(), "rows": rows.iter().filter(|r| r.strand == s.id()).collect::<Vec<_>>()}))
        .collect();
    let home = Link { title: "Home".into(), url: "index.html".into() };
    let mut c = ctx.page(PAGE, "action-plan", "Action plan", &shown, vec![home], None);
    c.insert("strands", &strands);
    c.insert("overdue", &rows.iter().filter(|r| r.overdue).count());
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
