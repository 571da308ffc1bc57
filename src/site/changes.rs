//! The "Changes since <date>" page: sections added and updated since the
//! edition's previous version, linked by their titles now, and how many of
//! that version's sections it no longer holds — counted, never named
//! ([`crate::changes`] says why).

use super::page::{Ctx, Link, Shown};
use crate::changes::{changes, Changes};
use crate::diagnostic::Diagnostic;
use crate::withhold::view::section_path;
use crate::write::Sink;

pub const PAGE: &str = "changes/index.html";

/// What changed, when the edition has a previous version.
pub fn of(ctx: &Ctx) -> Option<Changes> {
    changes(ctx.view, ctx.view.history.as_deref()?)
}

pub fn title(ch: &Changes) -> String {
    format!("Changes since {}", ch.since.long())
}

pub fn page(ctx: &Ctx, sink: &dyn Sink) -> Vec<Diagnostic> {
    let Some(ch) = of(ctx) else { return Vec::new() };
    if !sink.wants(PAGE) {
        return Vec::new();
    }
    let mut shown = Shown::default();
    let link = |i: &usize| {
        let s = ctx.section(*i);
        Link { title: s.title.clone(), url: section_path(&s.slug) }
    };
    for &i in ch.added.iter().chain(&ch.updated) {
        shown.add(&ctx.section(i).title_mark);
    }
    let home = Link { title: "Home".into(), url: "index.html".into() };
    let mut c = ctx.page(PAGE, "changes", &title(&ch), &shown, vec![home], None);
    c.insert("since", &ch.since.long());
    c.insert("since_iso", &ch.since.to_string());
    c.insert("added", &ch.added.iter().map(link).collect::<Vec<_>>());
    c.insert("updated", &ch.updated.iter().map(link).collect::<Vec<_>>());
    c.insert("gone", &ch.gone);
    ctx.render("changes.html", PAGE, &c, sink).err().into_iter().collect()
}
