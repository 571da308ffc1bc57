//! Pages that list sections: the home page's contents, and a page per
//! threat area and priority location with their indexes.

use super::page::{Ctx, Entry, Link, Shown};
use crate::diagnostic::Diagnostic;
use crate::withhold::view::Term;
use crate::write::Sink;

fn shown_entries<'e>(entries: impl Iterator<Item = &'e Entry>) -> Shown {
    let mut shown = Shown::default();
    for e in entries {
        shown.add(&e.mark);
    }
    shown
}

pub fn home(ctx: &Ctx, entries: &[Entry], sink: &dyn Sink) -> Result<(), Diagnostic> {
    if !sink.wants("index.html") {
        return Ok(());
    }
    let shown = shown_entries(entries.iter());
    let mut c = ctx.page("index.html", "home", &ctx.view.profile.title, &shown, vec![], None);
    ctx.add_contents(&mut c, &shown);
    c.insert("sections", entries);
    c.insert("stale", &entries.iter().filter(|e| e.stale).count());
    let changes = super::changes::of(ctx).map(|ch| serde_json::json!({"title": super::changes::title(&ch)}));
    c.insert("changes", &changes);
    ctx.render("index.html", "index.html", &c, sink)
}

fn term_json(t: &Term) -> serde_json::Value {
    serde_json::json!({"id": t.id, "name": t.name, "url": t.url, "count": t.members.len()})
}

/// The index of one taxonomy and a page per term.
fn taxonomy(
    ctx: &Ctx,
    entries: &[Entry],
    kind: &'static str,
    title: &str,
    terms: &[Term],
    sink: &dyn Sink,
) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let home = Link { title: "Home".into(), url: "index.html".into() };
    let index = format!("{kind}/index.html");
    if sink.wants(&index) {
        let mut shown = Shown::default();
        for t in terms {
            shown.add(&t.mark);
            // Its count says how many sections name it: the page carries
            // each one's title marking, as a list of them would.
            for &i in &t.members {
                shown.add(&entries[i].mark);
            }
        }
        let mut c = ctx.page(&index, kind, title, &shown, vec![home.clone()], None);
        c.insert("terms", &terms.iter().map(term_json).collect::<Vec<_>>());
        errors.extend(ctx.render("taxonomy.html", &index, &c, sink).err());
    }
    for t in terms {
        let path = format!("{kind}/{}/index.html", t.id);
        if !sink.wants(&path) {
            continue;
        }
        let list: Vec<&Entry> = t.members.iter().map(|&i| &entries[i]).collect();
        let shown = shown_entries(list.iter().copied());
        let crumbs = vec![home.clone(), Link { title: title.into(), url: index.clone() }];
        let mut c = ctx.page(&path, kind, &t.name, &shown, crumbs, None);
        c.insert("term", &term_json(t));
        c.insert("sections", &list);
        errors.extend(ctx.render("term.html", &path, &c, sink).err());
    }
    errors
}

pub fn taxonomies(ctx: &Ctx, entries: &[Entry], sink: &dyn Sink) -> Vec<Diagnostic> {
    let mut errors = taxonomy(ctx, entries, "threats", "Threat areas", &ctx.view.threats, sink);
    errors.extend(taxonomy(ctx, entries, "locations", "Priority locations", &ctx.view.locations, sink));
    errors
}
