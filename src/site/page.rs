//! What every page shares: the edition's site-wide context, and a page's
//! marking, which is the highest marking of everything the page shows —
//! its content, the titles and summaries it lists, and its chrome (the
//! footer's threat areas and locations, the sidebar's contents).

use crate::date::Date;
use crate::diagnostic::Diagnostic;
use crate::marking::Marking;
use crate::theme::Theme;
use crate::withhold::view::{section_path, VisibleSection};
use crate::withhold::{EditionView, Mark};
use crate::write::Sink;
use serde::Serialize;

/// Content-Security-Policy of every page: its own files only, no inline script or style.
pub const CSP: &str = "default-src 'none'; img-src 'self'; style-src 'self'; script-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'";

/// Above this many sections, pages do not repeat the whole contents in
/// their sidebar; the home page still lists them all.
pub const SIDEBAR_CONTENTS_LIMIT: usize = 150;

pub fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

#[derive(Serialize, Clone)]
pub struct Link {
    pub title: String,
    pub url: String,
}

/// A section in a listing.
#[derive(Serialize, Clone)]
pub struct Entry {
    pub title: String,
    pub url: String,
    pub summary: String,
    /// The section page's marking, shown as a tag.
    pub marking: &'static str,
    pub threats: Vec<Link>,
    pub areas: Vec<Link>,
    /// The contributing partner: front matter marked with the section, not
    /// its title, so given only on the section's own page and the print page
    /// ([`Ctx::full_entry`]), never in listings marked for titles.
    pub owner: Option<String>,
    pub updated: Option<String>,
    pub updated_iso: Option<String>,
    /// Not updated within the profile's review cycle, or never dated ([`crate::impact::is_stale`]).
    pub stale: bool,
    /// The section's language, when not the edition's.
    pub lang: Option<String>,
    #[serde(skip)]
    pub mark: Mark,
}

#[derive(Serialize)]
struct PageCtx {
    title: String,
    kind: &'static str,
    path: String,
    root: String,
    lang: String,
    marking: &'static str,
    marking_class: &'static str,
    caveats: Vec<String>,
    breadcrumbs: Vec<Link>,
    csp: &'static str,
    /// Each main navigation link's `aria-current` attribute on this page.
    current: Current,
}

/// `aria-current` of the main navigation's links: `page` on the page a link
/// names, `true` on pages under it (a threat area under "Threat areas").
#[derive(Serialize, Default)]
struct Current {
    contents: &'static str,
    threats: &'static str,
    locations: &'static str,
    action_plan: &'static str,
    print: &'static str,
    about: &'static str,
}

impl Current {
    fn of(path: &str) -> Current {
        let at = |url: &str, under: &str| -> &'static str {
            if path == url {
                " aria-current=\"page\""
            } else if !under.is_empty() && path.starts_with(under) {
                " aria-current=\"true\""
            } else {
                ""
            }
        };
        Current {
            contents: at("index.html", "sections/"),
            threats: at("threats/index.html", "threats/"),
            locations: at("locations/index.html", "locations/"),
            action_plan: at("action-plan/index.html", ""),
            print: at("print/index.html", ""),
            about: at("about/index.html", ""),
        }
    }
}

pub struct Options {
    pub draft: bool,
    pub today: Date,
    /// A numbered copy's mark ("Copy 2 of 3, issued to …"), shown beside the marking.
    pub copy: Option<String>,
}

/// One edition's pages share this.
pub struct Ctx<'a> {
    pub view: &'a EditionView,
    pub theme: &'a Theme,
    pub site: serde_json::Value,
    pub today: Date,
    /// What every page's footer shows.
    pub footer: Mark,
    /// What a section page's sidebar shows (every title, in small editions).
    pub sidebar: Mark,
    /// The edition's contents (every title, in small editions): given only to
    /// the pages marked for them ([`Ctx::add_contents`]), so a theme or a
    /// profile's partial cannot show them on a page marked lower.
    contents: Option<serde_json::Value>,
}

/// Everything a page shows, for its marking.
#[derive(Default, Clone)]
pub struct Shown(pub Mark);

impl Shown {
    pub fn add(&mut self, m: &Mark) -> &mut Self {
        self.0.add(m);
        self
    }
    pub fn marking(&self) -> Marking {
        self.0.marking
    }
}

impl<'a> Ctx<'a> {
    pub fn new(view: &'a EditionView, theme: &'a Theme, opts: &Options) -> Ctx<'a> {
        let mut footer = Mark::default();
        for t in view.threats.iter().chain(&view.locations) {
            footer.add(&t.mark);
        }
        let mut sidebar = Mark::default();
        let with_contents = view.sections.len() <= SIDEBAR_CONTENTS_LIMIT;
        if with_contents {
            for s in &view.sections {
                sidebar.add(&s.title_mark);
            }
        }
        let site = site_json(view, opts);
        let contents = with_contents.then(|| {
            serde_json::Value::Array(
                view.sections
                    .iter()
                    .map(|s| serde_json::json!({"title": s.title, "url": section_path(&s.slug)}))
                    .collect(),
            )
        });
        Ctx { view, theme, site, today: opts.today, footer, sidebar, contents }
    }

    pub fn section(&self, i: usize) -> &VisibleSection {
        &self.view.sections[i]
    }

    fn threat_link(&self, id: &str) -> Link {
        let name = self.view.threats.iter().find(|t| t.id == id).map_or(id, |t| t.name.as_str());
        Link { title: name.to_string(), url: format!("threats/{id}/index.html") }
    }

    /// A listing entry; a summary taken from the body carries the body's marking.
    pub fn entry(&self, i: usize) -> Entry {
        let s = self.section(i);
        let mut mark = s.title_mark.clone();
        let summary = match &s.summary {
            Some(x) => x.clone(),
            None => {
                mark.add(&s.mark);
                let p = self.view.first_paragraph(i);
                if p.chars().count() > 220 {
                    let cut: String = p.chars().take(220).collect();
                    format!("{}…", cut.trim_end_matches(|c: char| !c.is_whitespace()).trim_end())
                } else {
                    p.to_string()
                }
            }
        };
        Entry {
            title: s.title.clone(),
            url: section_path(&s.slug),
            summary,
            marking: s.mark.marking.as_str(),
            threats: s.threats.iter().map(|t| self.threat_link(t)).collect(),
            areas: s
                .areas
                .iter()
                .map(|a| Link { title: a.clone(), url: format!("locations/{}/index.html", crate::slug::slugify(a)) })
                .collect(),
            owner: None,
            updated: s.updated.map(|d| d.long()),
            updated_iso: s.updated.map(|d| d.to_string()),
            stale: crate::impact::is_stale(s.updated, self.view.profile.review_cycle_months, self.today),
            lang: s.lang.clone().filter(|l| *l != self.lang()),
            mark,
        }
    }

    /// Give a page's template the edition's contents as `site.contents`; the
    /// page must be marked for [`Ctx::sidebar`].
    pub fn add_contents(&self, c: &mut tera::Context, shown: &Shown) {
        let Some(list) = &self.contents else { return };
        debug_assert!(shown.0.marking >= self.sidebar.marking && shown.0.handling.is_superset(&self.sidebar.handling));
        let mut site = self.site.clone();
        site["contents"] = list.clone();
        c.insert("site", &site);
    }

    /// A listing entry with what only the section's own marking covers (its
    /// owner), for pages marked for the section's body.
    pub fn full_entry(&self, entries: &[Entry], i: usize) -> Entry {
        let mut e = entries[i].clone();
        e.owner = self.section(i).owner.clone();
        e
    }

    /// The edition's language.
    pub fn lang(&self) -> &str {
        self.view.edition.lang.as_deref().unwrap_or(&self.view.profile.lang)
    }

    /// The Tera context of a page at `path`, marked for everything in `shown` and the footer.
    pub fn page(
        &self,
        path: &str,
        kind: &'static str,
        title: &str,
        shown: &Shown,
        crumbs: Vec<Link>,
        lang: Option<&str>,
    ) -> tera::Context {
        let mut m = shown.0.clone();
        m.add(&self.footer);
        let mut ctx = tera::Context::new();
        ctx.insert("site", &self.site);
        let lang = lang.unwrap_or(self.lang());
        let page = PageCtx {
            title: title.to_string(),
            kind,
            path: path.to_string(),
            root: root_of(path),
            lang: lang.to_string(),
            marking: m.marking.as_str(),
            marking_class: m.marking.css_class(),
            caveats: m.handling.into_iter().collect(),
            breadcrumbs: crumbs,
            csp: CSP,
            current: Current::of(path),
        };
        ctx.insert("page", &page);
        ctx
    }

    pub fn render(&self, template: &str, path: &str, tctx: &tera::Context, sink: &dyn Sink) -> Result<(), Diagnostic> {
        if !sink.wants(path) {
            return Ok(());
        }
        let html = self.theme.render(template, tctx)?;
        sink.put(path, html.into_bytes())
    }
}

fn site_json(view: &EditionView, opts: &Options) -> serde_json::Value {
    let p = &view.profile;
    let e = &view.edition;
    let term = |t: &crate::withhold::view::Term| serde_json::json!({"id": t.id, "name": t.name, "url": t.url, "count": t.members.len()});
    serde_json::json!({
        "title": p.title,
        "area": p.area,
        "owner": p.owner,
        "produced": p.produced.long(),
        "produced_iso": p.produced.to_string(),
        "review_by": p.review_by.long(),
        "review_by_iso": p.review_by.to_string(),
        "review_cycle_months": p.review_cycle_months,
        "feedback": p.feedback,
        "accessibility": p.accessibility,
        "edition": {
            "id": e.id, "name": e.name, "classification": e.classification.as_str(),
            "base": e.base, "show_withheld": e.show_withheld,
            "approval": e.approval.as_ref().map(|a| serde_json::json!({"by": a.by, "on": a.on.long(), "rationale": a.rationale})),
        },
        "draft": opts.draft,
        "copy": opts.copy,
        // Every section in contents order, for section pages' sidebars, is
        // added by `Ctx::add_contents` to those pages only (and left out of
        // large editions: every page listing every section makes the build
        // quadratic and the pages heavy).
        "contents": serde_json::Value::Null,
        "threats": view.threats.iter().map(term).collect::<Vec<_>>(),
        "locations": view.locations.iter().map(term).collect::<Vec<_>>(),
        "generator": concat!("Brief ", env!("CARGO_PKG_VERSION")),
    })
}
