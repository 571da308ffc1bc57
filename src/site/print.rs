//! The whole edition on one page, for printing a partner's own copy. Each
//! section's article is rendered on its own, in parallel, and spliced in, so
//! a large profile never becomes one huge template context.

use super::page::{Ctx, Entry, Link, Shown};
use crate::diagnostic::Diagnostic;
use crate::write::Sink;
use rayon::prelude::*;

pub const PAGE: &str = "print/index.html";

/// Stands in for the articles until they are spliced in.
const ARTICLES: &str = "\u{E004}articles\u{E004}";

/// A section's id on the print page.
pub fn anchor(slug: &str) -> String {
    slug.replace('/', "-")
}

fn article(ctx: &Ctx, entries: &[Entry], i: usize) -> Result<String, Diagnostic> {
    let s = ctx.section(i);
    let a = anchor(&s.slug);
    // Heading ids are unique per section; prefix them (and the section's own
    // same-page links) so they stay unique on one page. Links to other
    // sections point within this page, so a printed copy needs no other.
    let html = ctx.view.body_html(i, PAGE, Some(&anchor));
    // Under the article's own h2, the section's headings go one level down.
    let html = (2..=5).rev().fold(html, |h, n| {
        h.replace(&format!("<h{n}"), &format!("<h{}", n + 1)).replace(&format!("</h{n}>"), &format!("</h{}>", n + 1))
    });
    let mut c = ctx.page(PAGE, "print", "Whole profile", &Shown::default(), vec![], None);
    c.insert(
        "s",
        &serde_json::json!({"entry": ctx.full_entry(entries, i), "anchor": a, "content": html, "marking": s.mark.marking.as_str()}),
    );
    ctx.theme.render("partials/print_section.html", &c)
}

pub fn page(ctx: &Ctx, entries: &[Entry], sink: &dyn Sink) -> Vec<Diagnostic> {
    if !sink.wants(PAGE) {
        return Vec::new();
    }
    let articles: Vec<Result<String, Diagnostic>> =
        (0..ctx.view.sections.len()).into_par_iter().map(|i| article(ctx, entries, i)).collect();
    let mut errors: Vec<Diagnostic> = articles.iter().filter_map(|a| a.as_ref().err().cloned()).collect();
    let contents: Vec<serde_json::Value> = ctx
        .view
        .sections
        .iter()
        .map(|s| serde_json::json!({"entry": {"title": s.title}, "anchor": anchor(&s.slug), "marking": s.mark.marking.as_str()}))
        .collect();
    let mut shown = Shown(ctx.view.mark());
    for s in &ctx.view.sections {
        shown.add(&s.title_mark).add(&s.front_mark);
    }
    let home = Link { title: "Home".into(), url: "index.html".into() };
    let mut c = ctx.page(PAGE, "print", "Whole profile", &shown, vec![home], None);
    ctx.add_contents(&mut c, &shown);
    c.insert("sections", &contents);
    c.insert("articles", ARTICLES);
    match ctx.theme.render("print.html", &c) {
        Ok(page) => errors.extend(sink.put(PAGE, splice(&page, &articles)).err()),
        Err(d) => errors.push(d),
    }
    errors
}

/// The page with its placeholder replaced by every article, written once
/// into a buffer of the final size (the page is tens of megabytes at
/// 10,000 sections: no growing copy, no second copy for the replacement).
fn splice(page: &str, articles: &[Result<String, Diagnostic>]) -> Vec<u8> {
    // A theme whose print page leaves the articles out shows none.
    let Some((before, after)) = page.split_once(ARTICLES) else { return page.as_bytes().to_vec() };
    let body: usize = articles.iter().flatten().map(String::len).sum();
    let mut out = Vec::with_capacity(before.len() + body + after.len());
    out.extend_from_slice(before.as_bytes());
    for a in articles.iter().flatten() {
        out.extend_from_slice(a.as_bytes());
    }
    out.extend_from_slice(after.as_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn articles_go_where_the_page_says_and_nowhere_else() {
        let articles =
            vec![Ok("<a1>".to_string()), Err(Diagnostic::error("x.md", 1, "bad", "mend")), Ok("<a2>".into())];
        let page = format!("<head>{ARTICLES}</body>");
        assert_eq!(splice(&page, &articles), b"<head><a1><a2></body>");
        assert_eq!(splice("<p>no articles</p>", &articles), b"<p>no articles</p>");
    }
}
