//! Pages: assembling one edition's site from its plan — home, a page per
//! section, about, accessibility, threat areas, priority locations, the action
//! plan, search and the whole-profile print page — and rendering each through
//! the theme. Every page is built from that edition's content only.

use crate::date::Date;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::Content;
use crate::marking::Marking;
use crate::plan::{EditionPlan, Included};
use crate::render::{self, Rendered, Target};
use crate::section::{slugify, Section, Status, Strand};
use crate::theme::Theme;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Content-Security-Policy of every page: its own files only, no inline script or style.
pub const CSP: &str = "default-src 'none'; img-src 'self'; style-src 'self'; script-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'";

/// Above this many sections, pages do not repeat the whole contents in
/// their sidebar; the home page still lists them all.
pub const SIDEBAR_CONTENTS_LIMIT: usize = 150;

const PRINT_PAGE: &str = "print/index.html";

/// A section's id on the whole-profile print page.
fn print_anchor(slug: &str) -> String {
    slug.replace('/', "-")
}

/// Stands in for the print page's articles until they are spliced in.
const PRINT_ARTICLES: &str = "\u{E004}articles\u{E004}";

/// Where built files go. Paths are relative to the edition's folder.
pub trait Sink: Sync {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), Diagnostic>;
    /// Whether the file at `path` is wanted at all. A build writes every
    /// file; the preview server renders only the page asked for.
    fn wants(&self, _path: &str) -> bool {
        true
    }
    /// Whether some wanted file's path passes `matches`: for files whose
    /// names are known only once made (the search index's chunks).
    fn wants_any(&self, _matches: &dyn Fn(&str) -> bool) -> bool {
        true
    }
}

/// The search index's files: everything under `search/` but the page.
fn is_search_index_file(path: &str) -> bool {
    path.starts_with("search/") && path != "search/index.html"
}

pub struct Options {
    pub draft: bool,
    pub today: Date,
}

pub fn section_url(slug: &str) -> String {
    format!("sections/{slug}.html")
}

/// Where a file under content/ is published: mirrored under `sections/`.
pub fn file_url(file: &Path) -> String {
    let rel = file.strip_prefix("content").unwrap_or(file);
    let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    format!("sections/{}", parts.join("/"))
}

fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

fn percent_path(p: &str) -> String {
    const SET: &percent_encoding::AsciiSet =
        &percent_encoding::NON_ALPHANUMERIC.remove(b'/').remove(b'-').remove(b'_').remove(b'.').remove(b'~');
    percent_encoding::utf8_percent_encode(p, SET).to_string()
}

#[derive(Serialize, Clone)]
struct Link {
    title: String,
    url: String,
}

#[derive(Serialize, Clone)]
struct Term {
    id: String,
    name: String,
    url: String,
    count: usize,
}

#[derive(Serialize, Clone)]
struct Entry {
    title: String,
    url: String,
    summary: String,
    marking: &'static str,
    threats: Vec<Link>,
    areas: Vec<Link>,
    owner: Option<String>,
    updated: Option<String>,
}

#[derive(Serialize)]
struct PageCtx {
    title: String,
    kind: &'static str,
    path: String,
    root: String,
    marking: &'static str,
    marking_class: &'static str,
    caveats: Vec<String>,
    breadcrumbs: Vec<Link>,
    csp: &'static str,
}

#[derive(Serialize)]
struct Row {
    id: String,
    strand: &'static str,
    text: String,
    owner: Option<String>,
    due: Option<String>,
    due_long: Option<String>,
    status: Status,
    status_label: &'static str,
    overdue: bool,
    section: Link,
}

/// A link from included content that became plain text in this edition.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct PlainLink {
    pub from: PathBuf,
    pub target: PathBuf,
    /// "withheld" or "missing".
    pub reason: &'static str,
}

/// What an edition's build produced, for the summary and the report.
#[derive(Debug, Default)]
pub struct Built {
    /// Time spent building the search index (for the benchmark).
    pub search_index: std::time::Duration,
    pub pages: usize,
    pub files: usize,
    pub plain_links: Vec<PlainLink>,
}

struct Ctx<'a> {
    content: &'a Content,
    ep: &'a EditionPlan,
    renders: &'a [Rendered],
    theme: &'a Theme,
    site: serde_json::Value,
    today: Date,
}

impl Ctx<'_> {
    fn section(&self, inc: &Included) -> &Section {
        &self.content.sections[inc.section]
    }

    fn summary(&self, inc: &Included) -> String {
        let s = self.section(inc);
        s.summary.clone().unwrap_or_else(|| {
            let p = &self.renders[inc.render].first_paragraph;
            if p.chars().count() > 220 {
                let cut: String = p.chars().take(220).collect();
                format!("{}…", cut.trim_end_matches(|c: char| !c.is_whitespace()).trim_end())
            } else {
                p.clone()
            }
        })
    }

    fn threat_link(&self, id: &str) -> Link {
        Link {
            title: self.content.profile.threat_name(id).unwrap_or(id).to_string(),
            url: format!("threats/{id}/index.html"),
        }
    }

    fn entry(&self, inc: &Included) -> Entry {
        let s = self.section(inc);
        Entry {
            title: s.title.clone(),
            url: section_url(&s.slug),
            summary: self.summary(inc),
            marking: inc.marking.as_str(),
            threats: s.threats.iter().map(|t| self.threat_link(t)).collect(),
            areas: s
                .areas
                .iter()
                .map(|a| Link { title: a.clone(), url: format!("locations/{}/index.html", slugify(a)) })
                .collect(),
            owner: s.owner.clone(),
            updated: s.updated.map(|d| d.long()),
        }
    }

    /// Marking of a page listing these sections: the highest among them.
    fn listing_marking<'b>(&self, incs: impl Iterator<Item = &'b Included>) -> (Marking, BTreeSet<String>) {
        let mut m = Marking::Official;
        let mut h = BTreeSet::new();
        for i in incs {
            m = m.max(i.marking);
            h.extend(i.handling.iter().cloned());
        }
        (m, h)
    }

    fn page(
        &self,
        path: &str,
        kind: &'static str,
        title: &str,
        marking: (Marking, BTreeSet<String>),
        crumbs: Vec<Link>,
    ) -> tera::Context {
        let mut ctx = tera::Context::new();
        ctx.insert("site", &self.site);
        ctx.insert(
            "page",
            &PageCtx {
                title: title.to_string(),
                kind,
                path: path.to_string(),
                root: root_of(path),
                marking: marking.0.as_str(),
                marking_class: marking.0.css_class(),
                caveats: marking.1.into_iter().collect(),
                breadcrumbs: crumbs,
                csp: CSP,
            },
        );
        ctx
    }

    /// A rendering's HTML with links resolved for a page at `page_path`.
    fn resolve(&self, inc: &Included, page_path: &str, plain: &mut Vec<PlainLink>) -> String {
        self.resolve_html(inc, &self.renders[inc.render].html, page_path, plain)
    }

    /// As `resolve`, for the rendering's HTML already changed by the caller.
    fn resolve_html(&self, inc: &Included, html: &str, page_path: &str, plain: &mut Vec<PlainLink>) -> String {
        let root = root_of(page_path);
        let r = &self.renders[inc.render];
        let from = &self.section(inc).file;
        render::resolve(html, &r.targets, &self.section(inc).title, |t| match t {
            Target::Section { file, fragment, .. } => {
                let target = self.content.by_file.get(file).and_then(|&i| self.ep.includes(i));
                match target {
                    Some(ti) => {
                        let slug = &self.section(ti).slug;
                        let frag =
                            fragment.as_ref().filter(|f| self.renders[ti.render].headings.iter().any(|h| &h.id == *f));
                        if page_path == PRINT_PAGE {
                            // Every section is on the print page too: link within it, so a
                            // printed copy needs no other page.
                            let anchor = print_anchor(slug);
                            return Some(match frag {
                                Some(f) => format!("#{anchor}--{f}"),
                                None => format!("#{anchor}"),
                            });
                        }
                        Some(format!(
                            "{root}{}{}",
                            section_url(slug),
                            frag.map(|f| format!("#{f}")).unwrap_or_default()
                        ))
                    }
                    None => {
                        let reason = if self.content.by_file.contains_key(file) { "withheld" } else { "missing" };
                        plain.push(PlainLink { from: from.clone(), target: file.clone(), reason });
                        None
                    }
                }
            }
            Target::File(f) => Some(format!("{root}{}", percent_path(&file_url(f)))),
        })
    }
}

fn render_page(ctx: &Ctx, template: &str, path: &str, tctx: &tera::Context, sink: &dyn Sink) -> Result<(), Diagnostic> {
    if !sink.wants(path) {
        return Ok(());
    }
    let html = ctx.theme.render(template, tctx)?;
    sink.put(path, html.into_bytes())
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

/// Files under content/ that this edition's included content references.
pub fn needed_files(ep: &EditionPlan, renders: &[Rendered]) -> BTreeSet<PathBuf> {
    ep.included
        .iter()
        .flat_map(|inc| renders[inc.render].targets.iter())
        .filter_map(|t| match t {
            Target::File(f) => Some(f.clone()),
            _ => None,
        })
        .collect()
}

/// Build every page of one edition into `sink`.
pub fn build_edition(
    content: &Content,
    ep: &EditionPlan,
    renders: &[Rendered],
    theme: &Theme,
    files: &BTreeMap<PathBuf, Vec<u8>>,
    opts: &Options,
    sink: &dyn Sink,
) -> Result<Built, Diagnostics> {
    let p = &content.profile;
    let e = &ep.edition;
    let (ed_marking, ed_handling) = ep.marking();

    // Taxonomies from included sections only: nothing withheld can name a term.
    let mut threats: BTreeMap<&str, Vec<&Included>> = BTreeMap::new();
    let mut areas: BTreeMap<String, (String, Vec<&Included>)> = BTreeMap::new();
    for inc in &ep.included {
        let s = &content.sections[inc.section];
        for t in &s.threats {
            threats.entry(t.as_str()).or_default().push(inc);
        }
        for a in &s.areas {
            areas.entry(slugify(a)).or_insert_with(|| (a.clone(), Vec::new())).1.push(inc);
        }
    }
    let threat_terms: Vec<Term> = p
        .threats
        .iter()
        .filter_map(|t| {
            threats.get(t.id.as_str()).map(|v| Term {
                id: t.id.clone(),
                name: t.name.clone(),
                url: format!("threats/{}/index.html", t.id),
                count: v.len(),
            })
        })
        .collect();
    let area_terms: Vec<Term> = areas
        .iter()
        .map(|(slug, (name, v))| Term {
            id: slug.clone(),
            name: name.clone(),
            url: format!("locations/{slug}/index.html"),
            count: v.len(),
        })
        .collect();

    let site = serde_json::json!({
        "title": p.title,
        "area": p.area,
        "owner": p.owner,
        "produced": p.produced.long(),
        "produced_iso": p.produced.to_string(),
        "review_by": p.review_by.long(),
        "review_by_iso": p.review_by.to_string(),
        "feedback": p.feedback,
        "accessibility": p.accessibility,
        "edition": {
            "id": e.id, "name": e.name, "classification": e.classification.as_str(),
            "base": e.base, "show_withheld": e.show_withheld,
            "approval": e.approval.as_ref().map(|a| serde_json::json!({"by": a.by, "on": a.on.long(), "rationale": a.rationale})),
        },
        "draft": opts.draft,
        // The edition's sections in contents (weight) order, for every page's
        // navigation. Left out of large profiles: every page listing every
        // section makes the build quadratic and the pages heavy.
        "contents": (ep.included.len() <= SIDEBAR_CONTENTS_LIMIT).then(|| ep.included.iter().map(|inc| {
            let s = &content.sections[inc.section];
            serde_json::json!({"title": s.title, "url": section_url(&s.slug)})
        }).collect::<Vec<_>>()),
        "threats": threat_terms,
        "locations": area_terms,
        "generator": concat!("Brief ", env!("CARGO_PKG_VERSION")),
    });
    let ctx = Ctx { content, ep, renders, theme, site, today: opts.today };
    let home = Link { title: "Home".into(), url: "index.html".into() };
    let entries: Vec<Entry> = ep.included.iter().map(|inc| ctx.entry(inc)).collect();
    let mut diags = Diagnostics::default();
    let mut push = |r: Result<(), Diagnostic>| {
        if let Err(d) = r {
            diags.push(d);
        }
    };

    // Home.
    if sink.wants("index.html") {
        let mut c = ctx.page("index.html", "home", &p.title, (ed_marking, ed_handling.clone()), vec![]);
        c.insert("sections", &entries);
        push(render_page(&ctx, "index.html", "index.html", &c, sink));
    }

    // Section pages, in parallel; links made plain are gathered for the report.
    let section_results: Vec<Result<Vec<PlainLink>, Diagnostic>> = ep
        .included
        .par_iter()
        .enumerate()
        .filter(|(_, inc)| sink.wants(&section_url(&ctx.section(inc).slug)))
        .map(|(pos, inc)| {
            let s = ctx.section(inc);
            let path = section_url(&s.slug);
            let mut plain = Vec::new();
            let html = ctx.resolve(inc, &path, &mut plain);
            let r = &renders[inc.render];
            let mut c = ctx.page(&path, "section", &s.title, (inc.marking, inc.handling.clone()), vec![home.clone()]);
            let recs: Vec<Row> =
                crate::filter::recommendations(s, e).0.into_iter().map(|r| row(&ctx, inc, r)).collect();
            c.insert("section", &entries[pos]);
            c.insert("content", &html);
            c.insert("toc", &r.headings.iter().filter(|h| h.level <= 3).collect::<Vec<_>>());
            c.insert("recommendations", &recs);
            c.insert("sources", &s.sources.iter().map(|s| &s.name).collect::<Vec<_>>());
            c.insert(
                "prev",
                &pos.checked_sub(1).map(|i| Link { title: entries[i].title.clone(), url: entries[i].url.clone() }),
            );
            c.insert("next", &entries.get(pos + 1).map(|n| Link { title: n.title.clone(), url: n.url.clone() }));
            render_page(&ctx, "section.html", &path, &c, sink).map(|_| plain)
        })
        .collect();
    let mut plain_links = Vec::new();
    for r in section_results {
        match r {
            Ok(p) => plain_links.extend(p),
            Err(d) => push(Err(d)),
        }
    }

    // About this edition, and the accessibility statement: no section content.
    let low = (Marking::Official, BTreeSet::new());
    let mut c = ctx.page("about/index.html", "about", "About this edition", low.clone(), vec![home.clone()]);
    c.insert("section_count", &ep.included.len());
    push(render_page(&ctx, "about.html", "about/index.html", &c, sink));
    let c = ctx.page("accessibility/index.html", "accessibility", "Accessibility statement", low, vec![home.clone()]);
    push(render_page(&ctx, "accessibility.html", "accessibility/index.html", &c, sink));

    // Threat areas and priority locations.
    for (kind, base, title, terms, members) in [
        (
            "threats",
            "threats",
            "Threat areas",
            &threat_terms,
            threats.iter().map(|(k, v)| (k.to_string(), v.clone())).collect::<BTreeMap<_, _>>(),
        ),
        (
            "locations",
            "locations",
            "Priority locations",
            &area_terms,
            areas.iter().map(|(k, v)| (k.clone(), v.1.clone())).collect(),
        ),
    ] {
        let path = format!("{base}/index.html");
        if !sink.wants(&path) && !terms.iter().any(|t| sink.wants(&format!("{base}/{}/index.html", t.id))) {
            continue;
        }
        let mut c = ctx.page(
            &path,
            kind,
            title,
            // The index names terms taken from these sections' front matter.
            ctx.listing_marking(members.values().flatten().copied()),
            vec![home.clone()],
        );
        c.insert("terms", terms);
        push(render_page(&ctx, "taxonomy.html", &path, &c, sink));
        for t in terms.iter() {
            let list = &members[&t.id];
            let path = format!("{base}/{}/index.html", t.id);
            if !sink.wants(&path) {
                continue;
            }
            let crumbs = vec![home.clone(), Link { title: title.into(), url: format!("{base}/index.html") }];
            let mut c = ctx.page(&path, kind, &t.name, ctx.listing_marking(list.iter().copied()), crumbs);
            c.insert("term", t);
            c.insert("sections", &list.iter().map(|inc| ctx.entry(inc)).collect::<Vec<_>>());
            push(render_page(&ctx, "term.html", &path, &c, sink));
        }
    }

    // Action plan, grouped by the 4P strands, and the same rows as CSV.
    let wants_plan = sink.wants("action-plan/index.html") || sink.wants("action-plan/action-plan.csv");
    let recs = if wants_plan { ep.recommendations(content) } else { Vec::new() };
    let rows: Vec<Row> = recs.iter().map(|(i, r)| row(&ctx, ep.includes(*i).expect("included"), r)).collect();
    let strands: Vec<serde_json::Value> = Strand::ALL
        .iter()
        .map(|s| serde_json::json!({"id": s.id(), "name": s.name(), "rows": rows.iter().filter(|r| r.strand == s.id()).collect::<Vec<_>>()}))
        .collect();
    let contributing: BTreeSet<usize> = recs.iter().map(|(i, _)| *i).collect();
    let mut c = ctx.page(
        "action-plan/index.html",
        "action-plan",
        "Action plan",
        ctx.listing_marking(ep.included.iter().filter(|i| contributing.contains(&i.section))),
        vec![home.clone()],
    );
    c.insert("strands", &strands);
    c.insert("overdue", &rows.iter().filter(|r| r.overdue).count());
    push(render_page(&ctx, "action_plan.html", "action-plan/index.html", &c, sink));
    let mut csv = String::from("id,strand,recommendation,owner,due,status,overdue,section\r\n");
    for r in &rows {
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
    if sink.wants("action-plan/action-plan.csv") {
        push(sink.put("action-plan/action-plan.csv", csv.into_bytes()));
    }

    // The whole profile on one page, for printing a partner's own copy. Each
    // section's article is rendered on its own, in parallel, and spliced into
    // the page, so a large profile never becomes one huge template context.
    if sink.wants(PRINT_PAGE) {
        let anchor = |inc: &Included| print_anchor(&ctx.section(inc).slug);
        let articles: Vec<Result<String, Diagnostic>> = ep
            .included
            .par_iter()
            .map(|inc| {
                let mut ignored = Vec::new();
                // Heading ids are unique per section; prefix them (and the section's own
                // same-page links) so they stay unique on one page, then resolve links.
                let prefix = format!("{}--", anchor(inc));
                let own = &renders[inc.render].html;
                let own = own.replace(" id=\"", &format!(" id=\"{prefix}")).replace("href=\"#", &format!("href=\"#{prefix}"));
                let html = ctx.resolve_html(inc, &own, PRINT_PAGE, &mut ignored);
                // Under the article's own h2, the section's headings go one level down.
                let html = (2..=5).rev().fold(html, |h, n| {
                    h.replace(&format!("<h{n}"), &format!("<h{}", n + 1)).replace(&format!("</h{n}>"), &format!("</h{}>", n + 1))
                });
                let mut c = ctx.page("print/index.html", "print", "Whole profile", (ed_marking, BTreeSet::new()), vec![]);
                c.insert("s", &serde_json::json!({"entry": ctx.entry(inc), "anchor": anchor(inc), "content": html, "marking": inc.marking.as_str()}));
                ctx.theme.render("partials/print_section.html", &c)
            })
            .collect();
        let mut body = String::new();
        for a in articles {
            match a {
                Ok(html) => body.push_str(&html),
                Err(d) => push(Err(d)),
            }
        }
        let contents: Vec<serde_json::Value> = ep
            .included
            .iter()
            .map(|inc| serde_json::json!({"entry": {"title": ctx.section(inc).title}, "anchor": anchor(inc), "marking": inc.marking.as_str()}))
            .collect();
        let mut c = ctx.page(
            "print/index.html",
            "print",
            "Whole profile",
            (ed_marking, ed_handling.clone()),
            vec![home.clone()],
        );
        c.insert("sections", &contents);
        c.insert("articles", PRINT_ARTICLES);
        match ctx.theme.render("print.html", &c) {
            Ok(page) => push(sink.put("print/index.html", page.replacen(PRINT_ARTICLES, &body, 1).into_bytes())),
            Err(d) => push(Err(d)),
        }
    }

    // Search: the index is built from this edition's rendered text only.
    let docs: Vec<crate::search::SearchDoc> = ep
        .included
        .iter()
        .filter(|_| sink.wants_any(&is_search_index_file))
        .zip(&entries)
        .map(|(inc, en)| crate::search::SearchDoc {
            url: en.url.clone(),
            title: en.title.clone(),
            marking: inc.marking.as_str().to_string(),
            summary: en.summary.clone(),
            threats: en.threats.iter().map(|t| t.title.clone()).collect(),
            areas: en.areas.iter().map(|a| a.title.clone()).collect(),
            parts: renders[inc.render]
                .parts
                .iter()
                .map(|p| crate::search::SearchPart {
                    anchor: p.anchor.clone(),
                    heading: p.heading.clone(),
                    text: p.text.clone(),
                })
                .collect(),
        })
        .collect();
    let started = std::time::Instant::now();
    if sink.wants_any(&is_search_index_file) {
        let files = crate::search::build_index(&docs);
        let results: Vec<Result<(), Diagnostic>> = files
            .into_par_iter()
            .map(|(rel, bytes)| (format!("search/{rel}"), bytes))
            .filter(|(path, _)| sink.wants(path))
            .map(|(path, bytes)| sink.put(&path, bytes))
            .collect();
        results.into_iter().for_each(&mut push);
    }
    let search_index = started.elapsed();
    let c = ctx.page("search/index.html", "search", "Search", (ed_marking, ed_handling), vec![home.clone()]);
    push(render_page(&ctx, "search.html", "search/index.html", &c, sink));

    // Static files and referenced content files.
    for (name, bytes) in &theme.statics {
        let path = format!("static/{name}");
        if sink.wants(&path) {
            push(sink.put(&path, bytes.clone()));
        }
    }
    let needed = needed_files(ep, renders);
    for f in needed.iter().filter(|f| sink.wants(&file_url(f))) {
        match files.get(f) {
            Some(bytes) => push(sink.put(&file_url(f), bytes.clone())),
            None => {
                push(Err(Diagnostic::error(f, 0, "file was not prepared", "this is a bug in brief; please report it")))
            }
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    plain_links.sort();
    plain_links.dedup();
    let pages = 1 + ep.included.len() + 2 + 2 + threat_terms.len() + area_terms.len() + 1 + 1 + 1;
    Ok(Built { search_index, pages, files: needed.len(), plain_links })
}

fn row(ctx: &Ctx, inc: &Included, r: &crate::section::Recommendation) -> Row {
    let s = ctx.section(inc);
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
        section: Link { title: s.title.clone(), url: section_url(&s.slug) },
    }
}
