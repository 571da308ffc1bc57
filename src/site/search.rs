//! The search page and its index, built from the edition's view only: the
//! rendered text of its sections and its visible recommendations.

use super::page::{Ctx, Entry, Link, Shown};
use crate::diagnostic::Diagnostic;
use crate::search::{SearchDoc, SearchPart};
use crate::write::Sink;
use rayon::prelude::*;

/// The search index's files: everything under `search/` but the page.
fn is_index_file(path: &str) -> bool {
    path.starts_with("search/") && path != "search/index.html"
}

/// One search document per section, and one per recommendation.
pub fn docs(ctx: &Ctx, entries: &[Entry]) -> Vec<SearchDoc> {
    let mut docs: Vec<SearchDoc> = entries
        .iter()
        .enumerate()
        .map(|(i, en)| SearchDoc {
            url: en.url.clone(),
            title: en.title.clone(),
            marking: ctx.section(i).mark.marking.as_str().to_string(),
            summary: en.summary.clone(),
            threats: en.threats.iter().map(|t| t.title.clone()).collect(),
            areas: en.areas.iter().map(|a| a.title.clone()).collect(),
            parts: ctx
                .view
                .search_parts(i)
                .into_iter()
                .map(|p| SearchPart { anchor: p.anchor, heading: p.heading, text: p.text })
                .collect(),
        })
        .collect();
    for (i, s) in ctx.view.sections.iter().enumerate() {
        for r in &s.recommendations {
            docs.push(SearchDoc {
                url: format!("action-plan/index.html#rec-{}", r.id.replace(' ', "-")),
                title: format!("Recommendation {} ({})", r.id, r.strand.name()),
                marking: s.front_mark.marking.as_str().to_string(),
                summary: r.text.clone(),
                threats: entries[i].threats.iter().map(|t| t.title.clone()).collect(),
                areas: entries[i].areas.iter().map(|a| a.title.clone()).collect(),
                parts: vec![SearchPart {
                    anchor: String::new(),
                    heading: String::new(),
                    text: format!("{} {}", r.text, r.owner.as_deref().unwrap_or("")),
                }],
            });
        }
    }
    docs
}

/// What the search page can show: everything in the edition.
fn everything(ctx: &Ctx) -> Shown {
    let mut shown = Shown(ctx.view.mark());
    for s in &ctx.view.sections {
        shown.add(&s.title_mark).add(&s.front_mark);
    }
    shown
}

/// The index and the search page; returns the time the index took.
pub fn page(ctx: &Ctx, entries: &[Entry], sink: &dyn Sink) -> (Vec<Diagnostic>, std::time::Duration) {
    let mut errors = Vec::new();
    let started = std::time::Instant::now();
    if sink.wants_any(&is_index_file) {
        let files = crate::search::build_index(&docs(ctx, entries));
        let written: Vec<Result<(), Diagnostic>> = files
            .into_par_iter()
            .map(|(rel, bytes)| (format!("search/{rel}"), bytes))
            .filter(|(path, _)| sink.wants(path))
            .map(|(path, bytes)| sink.put(&path, bytes))
            .collect();
        errors.extend(written.into_iter().filter_map(Result::err));
    }
    let took = started.elapsed();
    let home = Link { title: "Home".into(), url: "index.html".into() };
    let shown = everything(ctx);
    let mut c = ctx.page("search/index.html", "search", "Search", &shown, vec![home], None);
    ctx.add_contents(&mut c, &shown);
    errors.extend(ctx.render("search.html", "search/index.html", &c, sink).err());
    (errors, took)
}
