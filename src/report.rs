//! The owner's redaction report: for each edition, everything withheld from
//! it and why, and every link made plain text. Written to `reports/`, never
//! inside `public/`.

use crate::build::{EditionBuild, Site};
use crate::render::escape as esc;
use crate::withhold::{Kind, Withheld};
use serde::Serialize;
use std::sync::Arc;

#[derive(Serialize)]
pub struct Report<'a> {
    pub edition: &'a str,
    pub name: &'a str,
    pub classification: &'a str,
    pub draft_build: bool,
    pub approval: Option<serde_json::Value>,
    pub marking: String,
    pub sections_included: Vec<String>,
    pub withheld: &'a [Arc<Withheld>],
}

pub fn json(eb: &EditionBuild, site: &Site) -> String {
    let e = &eb.view.edition;
    let r = Report {
        edition: &e.id,
        name: &e.name,
        classification: e.classification.as_str(),
        draft_build: site.draft,
        approval: e
            .approval
            .as_ref()
            .map(|a| serde_json::json!({"by": a.by, "on": a.on.to_string(), "rationale": a.rationale})),
        marking: report_marking(site).label(),
        sections_included: eb.redactions.included.iter().map(|(s, _)| s.file.to_string_lossy().into_owned()).collect(),
        withheld: &eb.redactions.withheld,
    };
    serde_json::to_string_pretty(&r).unwrap_or_default() + "\n"
}

fn plural(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// Policy of the HTML report: nothing loads, nothing runs; only its own inline style.
pub const HTML_CSP: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'";

/// The highest marking of anything in the profile, with every caveat: the
/// report quotes withheld text, so it carries all of it.
fn report_marking(site: &Site) -> crate::withhold::Mark {
    let mut m = crate::withhold::Mark::default();
    for s in &site.content.sections {
        m.marking = m.marking.max(s.classification);
        m.handling.extend(s.handling.iter().cloned());
        for g in &s.body.regions {
            if let Some(c) = g.attrs.classification {
                m.marking = m.marking.max(c);
            }
            m.handling.extend(g.attrs.handling.iter().cloned());
        }
    }
    m
}

const REPORT_STYLE: &str = "body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1d1d1d;background:#fff}\
main{max-width:70rem;margin:0 auto;padding:1rem 1.5rem}\
.marking{text-align:center;font-weight:bold;letter-spacing:.08em;padding:.4rem;border:3px solid #1d1d1d;margin:0}\
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem}\
table{border-collapse:collapse;width:100%;table-layout:fixed}\
#withheld+table th:nth-child(1){width:8rem}#withheld+table th:nth-child(2){width:15rem}\
#withheld+table th:nth-child(3){width:10rem}#withheld+table th:nth-child(4){width:11rem}th,td{border:1px solid #b1b4b6;padding:.4rem .5rem;text-align:left;vertical-align:top}\
th{background:#f3f2f1}pre{white-space:pre-wrap;margin:0;font:14px/1.45 ui-monospace,monospace;max-height:16rem;overflow:auto}\
.kind{text-transform:uppercase;font-size:.8rem;font-weight:bold}.where{font-family:ui-monospace,monospace;overflow-wrap:anywhere}\
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:bold}\
@media print{pre{max-height:none}.marking{position:static}}";

/// The owner's redaction review as one self-contained page: every withheld
/// section, block, span and recommendation with its text, place and reason,
/// and every link made plain text. Nothing in it loads or runs.
pub fn html(eb: &EditionBuild, site: &Site) -> String {
    let e = &eb.view.edition;
    let withheld = &eb.redactions.withheld;
    let content = &site.content;
    let marking = report_marking(site).label();
    let banner =
        format!("<p class=\"marking\">{}{}</p>\n", esc(&marking), if site.draft { " – DRAFT BUILD" } else { "" });
    let mut h = String::new();
    h.push_str("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str(&format!("<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n", esc(HTML_CSP)));
    h.push_str(
        "<meta name=\"referrer\" content=\"no-referrer\">\n<meta name=\"robots\" content=\"noindex, nofollow\">\n",
    );
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.push_str(&format!(
        "<title>{} – Redaction report: {} – {}</title>\n<style>{REPORT_STYLE}</style>\n</head>\n<body>\n",
        esc(&marking),
        esc(&e.name),
        esc(&content.profile.title)
    ));
    h.push_str(&banner);
    h.push_str("<main>\n");
    h.push_str(&format!(
        "<h1>Redaction report: {} (<code>{}</code>)</h1>\n<p>{}. For the profile owner: what this edition does not contain, and why. \
         Not for distribution with the edition.</p>\n",
        esc(&e.name),
        esc(&e.id),
        esc(&content.profile.title)
    ));
    h.push_str("<dl>\n");
    h.push_str(&format!("<dt>Edition classification</dt><dd>{}</dd>\n", e.classification.as_str()));
    match &e.approval {
        Some(a) => h.push_str(&format!(
            "<dt>Approved</dt><dd>by {} on {}: {}</dd>\n",
            esc(&a.by),
            a.on.long(),
            esc(&a.rationale)
        )),
        None if e.base => h.push_str("<dt>Approval</dt><dd>Base edition (the local partnership)</dd>\n"),
        None => h.push_str("<dt>Approval</dt><dd><strong>None recorded</strong> (draft build)</dd>\n"),
    }
    let count = |k: Kind| withheld.iter().filter(|w| w.kind == k).count();
    h.push_str(&format!(
        "<dt>Sections included</dt><dd>{}</dd>\n<dt>Withheld</dt><dd>{}, {}, {}, {}, {}, {}, {}</dd>\n\
         <dt>Links shown as text only</dt><dd>{}</dd>\n",
        eb.redactions.included.len(),
        plural(count(Kind::Section), "section"),
        plural(count(Kind::Block), "block"),
        plural(count(Kind::Span), "span"),
        plural(count(Kind::Recommendation), "recommendation"),
        plural(count(Kind::Measure), "measure"),
        plural(count(Kind::Footnote), "footnote"),
        plural(count(Kind::DataRow), "data row"),
        count(Kind::LinkText)
    ));
    h.push_str("</dl>\n");

    h.push_str("<h2 id=\"withheld\">Withheld from this edition</h2>\n");
    if withheld.is_empty() {
        h.push_str("<p>Nothing is withheld from this edition.</p>\n");
    } else {
        h.push_str("<table>\n<thead><tr><th scope=\"col\">What</th><th scope=\"col\">Where</th><th scope=\"col\">Section or id</th><th scope=\"col\">Why</th><th scope=\"col\">Text withheld</th></tr></thead>\n<tbody>\n");
        let mut items: Vec<&Withheld> = withheld.iter().map(|w| &**w).collect();
        items.sort_by(|a, b| (&a.file, a.line, a.kind).cmp(&(&b.file, b.line, b.kind)));
        for w in items {
            let kind = w.kind.name();
            let class = kind.replace(' ', "-");
            let why: Vec<String> = w.reasons.iter().map(|r| esc(&r.describe())).collect();
            h.push_str(&format!(
                "<tr class=\"withheld-{class}\"><td class=\"kind\">{kind}</td><td class=\"where\">{}:{}</td><td>{}</td><td>{}</td><td><pre>{}</pre></td></tr>\n",
                esc(&w.file.to_string_lossy()),
                w.line,
                esc(&w.label),
                why.join("<br>"),
                esc(&w.text)
            ));
        }
        h.push_str("</tbody>\n</table>\n");
    }

    h.push_str("<h2 id=\"included\">Sections included</h2>\n<ul>\n");
    for (s, marking) in &eb.redactions.included {
        h.push_str(&format!(
            "<li>{} <span class=\"where\">({})</span> – {}</li>\n",
            esc(&s.title),
            esc(&s.file.to_string_lossy()),
            marking.as_str()
        ));
    }
    h.push_str("</ul>\n</main>\n");
    h.push_str(&banner);
    h.push_str("</body>\n</html>\n");
    h
}
