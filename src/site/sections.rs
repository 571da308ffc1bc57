//! A page per section: its text, recommendations and sources, with the
//! edition's contents in the sidebar and the previous and next sections.

use super::action_plan::{row, MeasureRow, Row};
use super::page::{Ctx, Entry, Link, Shown};
use crate::diagnostic::Diagnostic;
use crate::withhold::view::section_path;
use crate::write::Sink;
use rayon::prelude::*;

fn one(ctx: &Ctx, entries: &[Entry], pos: usize, sink: &dyn Sink) -> Result<(), Diagnostic> {
    let s = ctx.section(pos);
    let path = section_path(&s.slug);
    let html = ctx.view.body_html(pos, &path, None);
    let mut shown = Shown::default();
    shown.add(&s.mark).add(&s.title_mark).add(&ctx.sidebar);
    let prev = pos.checked_sub(1).map(|i| &entries[i]);
    let next = entries.get(pos + 1);
    for i in [pos.checked_sub(1), Some(pos + 1).filter(|i| *i < entries.len())].into_iter().flatten() {
        shown.add(&ctx.section(i).title_mark);
    }
    if !s.recommendations.is_empty() || !s.sources.is_empty() {
        shown.add(&s.front_mark);
    }
    let home = Link { title: "Home".into(), url: "index.html".into() };
    let mut c = ctx.page(&path, "section", &s.title, &shown, vec![home], s.lang.as_deref());
    ctx.add_contents(&mut c, &shown);
    let recs: Vec<Row> = s.recommendations.iter().map(|r| row(ctx, pos, r)).collect();
    c.insert("section", &ctx.full_entry(entries, pos));
    c.insert("content", &html);
    c.insert("toc", &ctx.view.headings(pos).iter().filter(|h| h.level <= 3).collect::<Vec<_>>());
    let measures: Vec<&MeasureRow> = recs.iter().flat_map(|r| &r.measures).collect();
    c.insert("measures", &measures);
    c.insert("recommendations", &recs);
    c.insert("sources", &s.sources);
    c.insert("prev", &prev.map(|e| Link { title: e.title.clone(), url: e.url.clone() }));
    c.insert("next", &next.map(|e| Link { title: e.title.clone(), url: e.url.clone() }));
    ctx.render("section.html", &path, &c, sink)
}

/// Every section page, in parallel.
pub fn pages(ctx: &Ctx, entries: &[Entry], sink: &dyn Sink) -> Vec<Diagnostic> {
    (0..ctx.view.sections.len())
        .into_par_iter()
        .filter(|&i| sink.wants(&section_path(&ctx.section(i).slug)))
        .filter_map(|i| one(ctx, entries, i, sink).err())
        .collect()
}
