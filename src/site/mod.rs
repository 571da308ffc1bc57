//! Pages: one edition's site, made from its [`EditionView`] alone — home, a
//! page per section, threat areas and priority locations, the action plan,
//! the whole-profile print page, search, about and accessibility, and what
//! changed since the edition's previous version — each
//! rendered through the theme and marked with the highest marking of what
//! it shows ([`page`]).

pub mod action_plan;
pub mod changes;
pub mod listings;
pub mod page;
pub mod print;
pub mod search;
pub mod sections;
pub mod trend;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::theme::Theme;
use crate::withhold::view::PublishedFile;
use crate::withhold::EditionView;
use crate::write::Sink;
use page::{Ctx, Entry, Link, Shown};
use rayon::prelude::*;

pub use page::{Options, CSP, SIDEBAR_CONTENTS_LIMIT};

/// What an edition's build produced, for the summary.
#[derive(Debug, Default)]
pub struct Built {
    /// Time spent building the search index (for the benchmark).
    pub search_index: std::time::Duration,
    pub pages: usize,
    pub files: usize,
}

/// About this edition, and the accessibility statement: no section content.
fn about_pages(ctx: &Ctx, sink: &dyn Sink) -> Vec<Diagnostic> {
    let home = Link { title: "Home".into(), url: "index.html".into() };
    let none = Shown::default();
    // It says how many sections the edition holds: marked for every title, as the contents are.
    let mut counted = Shown::default();
    for s in &ctx.view.sections {
        counted.add(&s.title_mark);
    }
    let mut c = ctx.page("about/index.html", "about", "About this edition", &counted, vec![home.clone()], None);
    c.insert("section_count", &ctx.view.sections.len());
    let mut errors: Vec<Diagnostic> =
        ctx.render("about.html", "about/index.html", &c, sink).err().into_iter().collect();
    let c = ctx.page("accessibility/index.html", "accessibility", "Accessibility statement", &none, vec![home], None);
    errors.extend(ctx.render("accessibility.html", "accessibility/index.html", &c, sink).err());
    errors
}

/// The theme's static files and the files the edition's text links or shows.
fn files(ctx: &Ctx, sink: &dyn Sink) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for (name, bytes) in &ctx.theme.statics {
        let path = format!("static/{name}");
        if sink.wants(&path) {
            errors.extend(sink.put(&path, bytes.clone()).err());
        }
    }
    for f in ctx.view.published_files().flat_map(PublishedFile::with_copies).filter(|f| sink.wants(&f.path)) {
        errors.extend(sink.put(&f.path, f.bytes.as_ref().clone()).err());
    }
    errors
}

/// Build every page of one edition into `sink`.
pub fn build_edition(view: &EditionView, theme: &Theme, opts: &Options, sink: &dyn Sink) -> Result<Built, Diagnostics> {
    let ctx = Ctx::new(view, theme, opts);
    let entries: Vec<Entry> = (0..view.sections.len()).map(|i| ctx.entry(i)).collect();
    let search_index = std::sync::Mutex::new(std::time::Duration::ZERO);
    let (ctx, entries) = (&ctx, &entries[..]);
    // Each step writes its own files from the same view: they run side by
    // side. Some are one long task each (the print page, the search index's
    // merge, the contents), and one after another they left cores idle.
    let steps: [&(dyn Fn() -> Vec<Diagnostic> + Sync); 9] = [
        &|| listings::home(ctx, entries, sink).err().into_iter().collect(),
        &|| sections::pages(ctx, entries, sink),
        &|| about_pages(ctx, sink),
        &|| listings::taxonomies(ctx, entries, sink),
        &|| action_plan::page(ctx, sink),
        &|| changes::page(ctx, sink),
        &|| print::page(ctx, entries, sink),
        &|| {
            let (errors, took) = search::page(ctx, entries, sink);
            *search_index.lock().unwrap_or_else(|p| p.into_inner()) = took;
            errors
        },
        &|| files(ctx, sink),
    ];
    let errors: Vec<Diagnostic> = steps.par_iter().flat_map_iter(|step| step()).collect();
    let search_index = search_index.into_inner().unwrap_or_else(|p| p.into_inner());
    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }
    let pages = 1
        + view.sections.len()
        + 2
        + 2
        + view.threats.len()
        + view.locations.len()
        + 1
        + 1
        + 1
        + usize::from(changes::of(ctx).is_some());
    Ok(Built { search_index, pages, files: view.published_files().flat_map(PublishedFile::with_copies).count() })
}

#[cfg(test)]
mod tests {
    /// Page code gets an `EditionView` and nothing else: it cannot name the
    /// profile's full content, or a section as read, or withholding's inputs.
    #[test]
    fn pages_see_only_the_edition_view() {
        let files = [
            ("mod.rs", include_str!("mod.rs")),
            ("page.rs", include_str!("page.rs")),
            ("sections.rs", include_str!("sections.rs")),
            ("listings.rs", include_str!("listings.rs")),
            ("action_plan.rs", include_str!("action_plan.rs")),
            ("print.rs", include_str!("print.rs")),
            ("search.rs", include_str!("search.rs")),
            ("changes.rs", include_str!("changes.rs")),
            ("trend.rs", include_str!("trend.rs")),
            ("../changes.rs", include_str!("../changes.rs")),
        ];
        let forbidden = [
            "crate::load",
            "load::Content",
            "section::Section",
            "crate::markup",
            "withhold::cut",
            "withhold::rules",
            "Redactions",
        ];
        for (name, src) in files {
            let code = src.split("#[cfg(test)]").next().unwrap_or(src);
            for word in forbidden {
                assert!(
                    !code.contains(word),
                    "src/site/{name} uses `{word}`: pages are built from the edition view alone"
                );
            }
        }
    }
}
