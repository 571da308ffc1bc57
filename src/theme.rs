//! Themes: the Tera templates and static files that give an edition its look.
//!
//! A theme lives in `themes/<name>/` (`templates/`, `static/`). A profile's own
//! `partials/<name>.html` replaces the theme's partial of that name. The
//! default theme is also built into the binary, so a profile without a
//! `themes/` folder still builds.

use crate::diagnostic::{Diagnostic, Diagnostics};
use std::path::{Path, PathBuf};

macro_rules! embedded {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/", $path)) as &[u8])),*]
    };
}

/// The default theme, as built into the binary. A test checks it matches `themes/default/`.
pub const DEFAULT_THEME: &[(&str, &[u8])] = embedded![
    "templates/base.html",
    "templates/index.html",
    "templates/section.html",
    "templates/about.html",
    "templates/accessibility.html",
    "templates/taxonomy.html",
    "templates/term.html",
    "templates/action_plan.html",
    "templates/changes.html",
    "templates/search.html",
    "templates/print.html",
    "templates/macros.html",
    "templates/partials/banner.html",
    "templates/partials/header.html",
    "templates/partials/footer.html",
    "templates/partials/section_list.html",
    "templates/partials/print_section.html",
    "templates/partials/toc.html",
    "static/brief.css",
    "static/figures.css",
    "static/favicon.png",
    "static/print.css",
    "static/search.js",
];

pub struct Theme {
    pub tera: tera::Tera,
    /// Each template's text (name, source), with partials/ applied: the
    /// words every page may show whatever the content.
    pub sources: Vec<(String, String)>,
    /// Static files: path under `static/` and bytes.
    pub statics: Vec<(String, Vec<u8>)>,
}

fn tera_error(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        src = s.source();
    }
    msg
}

/// How a theme file is read for what it would publish unread.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    /// A Tera template: its text between tags, and the strings inside them.
    Template,
    /// A script or stylesheet, whose braces and `::` are code: only a
    /// span's `]{` is looked for (a string a page may show).
    Code,
    /// Anything else a browser may show.
    Text,
}

/// Templates, partials and static files go to every edition as written: a
/// note in an HTML comment (or markup a browser reads as one), restriction
/// syntax or a section's front matter in one would be published to all of
/// them, unread. Each is refused, naming the file and line.
fn refuse_unread(origin: &Path, text: &str, kind: Kind) -> Diagnostics {
    use crate::withhold::residue::{hidden_markup, reads_as_front_matter, scan, HitKind};
    let lines = crate::markup::Lines::new(text, 1);
    let mut out = Diagnostics::default();
    let mut refuse = |at: usize, message: &str, help: &str| {
        out.push(Diagnostic::error(origin, lines.line(at), message.to_string(), help.to_string()))
    };
    let note = "write notes for the theme's authors as Tera comments, `{# … #}`, which are never output";
    if let Some(at) = text.find("<!--") {
        refuse(at, "an HTML comment (`<!--`) in the theme is published to every edition, note and all", note);
    } else if let Some(at) = hidden_markup(&without_tera_tags(text)).filter(|_| kind != Kind::Code) {
        refuse(
            at,
            "`<?`, `<!` or `</` without a name in the theme is read by browsers as a comment, which hides what it holds",
            note,
        );
    }
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if reads_as_front_matter(line) {
            refuse(
                at,
                "this line reads as a section's front matter, but a theme file is published to every edition as written",
                "take section text out of the theme: a section belongs under content/, where its audience is read",
            );
            break;
        }
        at += line.len();
    }
    // A template is read twice: its text between tags, and with only the
    // tags' delimiters taken out, so that syntax a string in a tag writes
    // (`{{ "[x]{audience=" }}`) or a `{% raw %}` block shows is found too.
    let hits = match kind {
        Kind::Template => {
            let mut h = scan(&without_tera_tags(text));
            h.extend(scan(&without_tera_delimiters(text)));
            h
        }
        Kind::Code => {
            scan(text).into_iter().filter(|h| matches!(h.kind, HitKind::Hinge | HitKind::SpacedHinge)).collect()
        }
        Kind::Text => scan(text),
    };
    if let Some(hit) = hits.iter().min_by_key(|h| h.at) {
        refuse(
            hit.at,
            "restriction syntax in the theme is not read: it would be published to every edition as written",
            "restrict text in the content, not the theme; a template shows every edition the same words",
        );
    }
    out
}

/// A theme's static file: its name, its kind, and its text in whatever
/// encoding it is written (UTF-8, UTF-16, else 8-bit), read as
/// [`refuse_unread`] reads text. A page-like file (`.xhtml`, `.svg` …) is
/// refused whole: opened on its own it would carry no marking.
fn refuse_static(origin: &Path, path: &str, bytes: &[u8]) -> Diagnostics {
    use crate::withhold::residue::{holds_comment, looks_restricted};
    let ext = path.rsplit_once('.').map_or(String::new(), |(_, e)| e.to_ascii_lowercase());
    let refused = |message: &str, help: &str| {
        Diagnostics(vec![Diagnostic::error(origin, 0, message.to_string(), help.to_string())])
    };
    if looks_restricted(path) || holds_comment(path) {
        return refused(
            "this file's name holds restriction syntax or a comment, and names are published as written",
            "rename it",
        );
    }
    let pages = ["html", "htm", "xhtml", "xht", "shtml", "svg", "svgz", "xml", "xsl", "mht", "mhtml"];
    if pages.contains(&ext.as_str()) {
        return refused(
            "a theme's static file a browser opens as a page would carry no marking banner and no checks",
            "use the templates for pages, and PNG or JPEG for pictures",
        );
    }
    let kind = if matches!(ext.as_str(), "js" | "mjs" | "css") { Kind::Code } else { Kind::Text };
    let mut out = Diagnostics::default();
    for (_, text) in crate::issuing::files::texts(path, bytes, 1) {
        out.extend(refuse_unread(origin, &text, kind));
    }
    out
}

/// A template with only Tera's delimiters (`{{ }}`, `{% %}`, `{# #}`)
/// blanked: the strings and raw text they hold stay where they were.
fn without_tera_delimiters(text: &str) -> String {
    let mut out = text.to_string();
    for d in ["{{", "}}", "{%", "%}", "{#", "#}"] {
        out = out.replace(d, "  ");
    }
    out
}

/// A template's text with each Tera tag (`{{ }}`, `{% %}`, `{# #}`) blanked
/// out, newlines kept: what it publishes as written. A tag's braces are
/// Tera's, not restriction syntax.
fn without_tera_tags(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let (mut copied, mut i) = (0, 0);
    while let Some(open) = text[i..].find('{').map(|o| i + o) {
        let close = match b.get(open + 1) {
            Some(b'{') => "}}",
            Some(b'%') => "%}",
            Some(b'#') => "#}",
            _ => {
                i = open + 1;
                continue;
            }
        };
        let end = text[open + 2..].find(close).map_or(text.len(), |e| open + 2 + e + 2);
        out.push_str(&text[copied..open]);
        out.extend(text[open..end].chars().map(|c| if c == '\n' { '\n' } else { ' ' }));
        (copied, i) = (end, end);
    }
    out.push_str(&text[copied..]);
    out
}

fn read_dir_files(dir: &Path) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry
            .map_err(|e| Diagnostic::error(dir, 0, format!("cannot read: {e}"), "check the folder's permissions"))?;
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path()).to_string_lossy().replace('\\', "/");
            let bytes = std::fs::read(entry.path()).map_err(|e| {
                Diagnostic::error(entry.path(), 0, format!("cannot read: {e}"), "check the file's permissions")
            })?;
            out.push((rel, bytes));
        }
    }
    Ok(out)
}

impl Theme {
    /// Load theme `name` for the profile at `root`, applying `partials/` overrides.
    pub fn load(root: &Path, name: &str) -> Result<Theme, Diagnostics> {
        let dir = root.join("themes").join(name);
        let rel_dir = PathBuf::from("themes").join(name);
        let files: Vec<(String, Vec<u8>)> = if dir.is_dir() {
            read_dir_files(&dir).map_err(|d| Diagnostics(vec![d]))?
        } else if name == "default" {
            DEFAULT_THEME.iter().map(|(p, b)| (p.to_string(), b.to_vec())).collect()
        } else {
            return Err(Diagnostics(vec![Diagnostic::error(
                "brief.yaml",
                0,
                format!("theme `{name}` not found: there is no {}", rel_dir.display()),
                "set `theme: default`, or put the theme's templates/ and static/ under that folder",
            )]));
        };
        let mut templates: Vec<(String, String, PathBuf)> = Vec::new();
        let mut statics = Vec::new();
        for (path, bytes) in files {
            if let Some(t) = path.strip_prefix("templates/") {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                templates.push((t.to_string(), text, rel_dir.join(&path)));
            } else if let Some(s) = path.strip_prefix("static/") {
                statics.push((s.to_string(), bytes));
            }
        }
        for (name, bytes) in read_dir_files(&root.join("partials")).map_err(|d| Diagnostics(vec![d]))? {
            if !name.ends_with(".html") {
                continue;
            }
            let key = format!("partials/{name}");
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let origin = PathBuf::from("partials").join(&name);
            match templates.iter_mut().find(|t| t.0 == key) {
                Some(t) => *t = (key, text, origin),
                None => templates.push((key, text, origin)),
            }
        }
        let mut unread = Diagnostics::default();
        for (_, text, origin) in &templates {
            unread.extend(refuse_unread(origin, text, Kind::Template));
        }
        for (path, bytes) in &statics {
            unread.extend(refuse_static(&rel_dir.join("static").join(path), path, bytes));
        }
        if unread.has_errors() {
            return Err(unread);
        }
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![".html"]);
        // Tera's own escaper also writes `/` as `&#x2F;`, which nothing in
        // HTML needs: every URL on every page grew by five bytes a slash.
        tera.set_escape_fn(crate::render::escape);
        // All together, so inheritance resolves; only if that fails, one by
        // one to name the failing file (parsing twice costs every build).
        let all =
            tera.add_raw_templates(templates.iter().map(|(n, t, _)| (n.as_str(), t.as_str())).collect::<Vec<_>>());
        if let Err(e) = all {
            let mut diags = Diagnostics::default();
            for (name, text, origin) in &templates {
                if let Err(e) = tera::Template::new(name, None, text) {
                    diags.push(Diagnostic::error(
                        origin,
                        0,
                        format!("template error: {}", tera_error(&e)),
                        "fix the Tera syntax in this template",
                    ));
                }
            }
            if !diags.has_errors() {
                diags.push(Diagnostic::error(
                    &rel_dir,
                    0,
                    format!("template error: {}", tera_error(&e)),
                    "check `extends` and `include` names in the templates",
                ));
            }
            return Err(diags);
        }
        let sources = templates.into_iter().map(|(n, t, _)| (n, t)).collect();
        Ok(Theme { tera, sources, statics })
    }

    pub fn render(&self, template: &str, ctx: &tera::Context) -> Result<String, Diagnostic> {
        self.tera.render(template, ctx).map_err(|e| {
            Diagnostic::error(
                PathBuf::from("templates").join(template),
                0,
                format!("cannot render: {}", tera_error(&e)),
                "check the variables this template uses",
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_theme_publishing_a_note_or_restriction_syntax_is_refused() {
        assert_eq!(without_tera_tags("a {{ x }}\n{% if y %}b{# n\n #}{c}"), "a        \n          b    \n   {c}");
        let refused = |text: &str, kind: Kind| refuse_unread(Path::new("partials/x.html"), text, kind).has_errors();
        let t = Kind::Template;
        assert!(refused("<p>x</p>\n<!-- zq note -->", t));
        assert!(refused("<p>[zq]{audience=\"partnership\"}</p>", t));
        assert!(refused("{% if a %}[zq]{audience=\"partnership\"}{% endif %}", t));
        assert!(refused("---\ntitle: T\naudience: [partnership]\n---\nzq", t));
        assert!(refused("var a = 1; <!-- zq", Kind::Code));
        // Written by a string in a tag, or shown by a raw block.
        assert!(refused("<p>{{ \"[Subject A]{audience=\" | safe }}\"partnership\"}</p>", t));
        assert!(refused("<p>{% raw %}{{ [Subject B]{audience=\"partnership\"} }}{% endraw %}</p>", t));
        assert!(refused("p::after { content: \"[zq]{audience=partnership}\" }", Kind::Code));
        // Markup browsers read as comments.
        for hidden in ["<?note zq ?>", "<!zq>", "</ zq>", "</1zq>", "<!DOCTYPE zq note>"] {
            assert!(refused(&format!("<p>x</p>{hidden}"), t), "{hidden}");
        }
        // Tera's own tags and a script's braces are not restriction syntax.
        assert!(!refused("<!DOCTYPE html><p>{{ page.marking }} {% if handling %}handling{% endif %}</p>", t));
        assert!(!refused("::selection { color: red }\nvar o = {handling: 1};", Kind::Code));
        for (path, bytes) in DEFAULT_THEME {
            let text = String::from_utf8_lossy(bytes);
            let kind = if path.starts_with("templates/") { t } else { Kind::Code };
            assert!(!refused(&text, kind), "{path}");
        }
        // Static files: by name, by kind, in any encoding.
        let stat = |path: &str, bytes: &[u8]| refuse_static(Path::new(path), path, bytes).has_errors();
        assert!(stat("[zq]{audience=\"partnership\"}.txt", b"x"));
        assert!(stat("note.xhtml", b"<p>x</p>"));
        assert!(stat("logo.svg", b"<svg/>"));
        assert!(stat("notes.txt", b"caf\xe9 <!-- zq -->"));
        let utf16: Vec<u8> =
            [0xFF, 0xFE].into_iter().chain("<!-- zq -->".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert!(stat("notes.txt", &utf16));
        assert!(!stat("brief.css", b"p { color: red }"));
    }

    #[test]
    fn embedded_theme_matches_themes_default() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let on_disk = read_dir_files(&dir).unwrap();
        let embedded: Vec<(String, Vec<u8>)> = DEFAULT_THEME.iter().map(|(p, b)| (p.to_string(), b.to_vec())).collect();
        let names = |v: &[(String, Vec<u8>)]| v.iter().map(|x| x.0.clone()).collect::<std::collections::BTreeSet<_>>();
        assert_eq!(names(&on_disk), names(&embedded), "update DEFAULT_THEME in src/theme.rs");
        for (p, b) in &on_disk {
            assert!(embedded.iter().any(|(q, c)| q == p && c == b), "{p} differs from the embedded copy (rebuild)");
        }
    }
}
