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

/// One section's article; `base` is the context every article starts from.
fn article(ctx: &Ctx, base: &tera::Context, entries: &[Entry], i: usize) -> Result<String, Diagnostic> {
    let s = ctx.section(i);
    let a = anchor(&s.slug);
    // Heading ids are unique per section; prefix them (and the section's own
    // same-page links) so they stay unique on one page. Links to other
    // sections point within this page, so a printed copy needs no other.
    let html = ctx.view.body_html(i, PAGE, Some(&anchor));
    // Under the article's own h2, the section's headings go one level down.
    let html = headings_down(&html);
    let mut c = base.clone();
    c.insert(
        "s",
        &serde_json::json!({"entry": ctx.full_entry(entries, i), "anchor": a, "content": html, "marking": s.mark.marking.as_str()}),
    );
    ctx.theme.render("partials/print_section.html", &c)
}

/// Every `<hN` and `</hN>` for N from 2 to 5 made one level lower, in one
/// pass (the print page's text is every section's: tens of megabytes).
fn headings_down(html: &str) -> String {
    let b = html.as_bytes();
    let mut out = String::with_capacity(html.len());
    let mut done = 0;
    let mut at = 0;
    while let Some(i) = b[at..].iter().position(|&c| c == b'<').map(|i| at + i) {
        // The digit's offset: `<hN` anywhere, `</hN` only when `>` follows.
        let digit = match b.get(i + 1..i + 5) {
            Some([b'/', b'h', d, b'>']) if (b'2'..=b'5').contains(d) => Some(i + 3),
            _ => match b.get(i + 1..i + 3) {
                Some([b'h', d]) if (b'2'..=b'5').contains(d) => Some(i + 2),
                _ => None,
            },
        };
        at = i + 1;
        if let Some(d) = digit {
            out.push_str(&html[done..d]);
            out.push(char::from(b[d] + 1));
            done = d + 1;
            at = d + 1;
        }
    }
    out.push_str(&html[done..]);
    out
}

pub fn page(ctx: &Ctx, entries: &[Entry], sink: &dyn Sink) -> Vec<Diagnostic> {
    if !sink.wants(PAGE) {
        return Vec::new();
    }
    let base = ctx.page(PAGE, "print", "Whole profile", &Shown::default(), vec![], None);
    let articles: Vec<Result<String, Diagnostic>> =
        (0..ctx.view.sections.len()).into_par_iter().map(|i| article(ctx, &base, entries, i)).collect();
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

    /// What the print page did before [`headings_down`]: one replace per level and form.
    fn by_replacing(html: &str) -> String {
        (2..=5).rev().fold(html.to_string(), |h, n| {
            h.replace(&format!("<h{n}"), &format!("<h{}", n + 1))
                .replace(&format!("</h{n}>"), &format!("</h{}>", n + 1))
        })
    }

    #[test]
    fn headings_go_down_one_level_as_replacing_each_did() {
        let fixed = [
            "<h2 id=\"a\">A</h2><h3>B</h3><h5>C</h5><h6>D</h6><h1>E</h1>",
            "</h2 ><h2></h2</h5><<h4</h4>>é<h3é</h3>",
            "<h",
            "</h",
            "</h2",
            "<h2",
            "<",
            "",
            "<hh2</hh2>",
        ];
        for html in fixed {
            assert_eq!(headings_down(html), by_replacing(html), "{html}");
        }
        // Generated strings of the characters that matter.
        let alphabet = ["<", "/", "h", "2", "3", "4", "5", "6", ">", "é", " "];
        let mut r = crate::testing::Rng(0x9E37_79B9_7F4A_7C15);
        for _ in 0..20_000 {
            let mut html = String::new();
            for _ in 0..r.below(24) {
                html.push_str(alphabet[r.below(alphabet.len())]);
            }
            assert_eq!(headings_down(&html), by_replacing(&html), "{html}");
        }
    }

    #[test]
    fn articles_go_where_the_page_says_and_nowhere_else() {
        let articles =
            vec![Ok("<a1>".to_string()), Err(Diagnostic::error("x.md", 1, "bad", "mend")), Ok("<a2>".into())];
        let page = format!("<head>{ARTICLES}</body>");
        assert_eq!(splice(&page, &articles), b"<head><a1><a2></body>");
        assert_eq!(splice("<p>no articles</p>", &articles), b"<p>no articles</p>");
    }
}
