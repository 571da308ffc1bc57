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

/// Templates, partials and static files go to every edition as written: a
/// note in an HTML comment, restriction syntax or a section's front matter
/// in one would be published to all of them, unread. Each is refused,
/// naming the file and line.
fn refuse_unread(origin: &Path, text: &str, prose: bool) -> Diagnostics {
    use crate::withhold::residue::{holds_comment, reads_as_front_matter, scan};
    let lines = crate::markup::Lines::new(text, 1);
    let mut out = Diagnostics::default();
    for (i, line) in text.lines().enumerate() {
        if holds_comment(line) {
            out.push(Diagnostic::error(
                origin,
                i + 1,
                "an HTML comment (`<!--`) in the theme is published to every edition, note and all",
                "write notes for the theme's authors as Tera comments, `{# … #}`, which are never output",
            ));
        } else if reads_as_front_matter(line) {
            out.push(Diagnostic::error(
                origin,
                i + 1,
                "this line reads as a section's front matter, but a theme file is published to every edition as written",
                "take section text out of the theme: a section belongs under content/, where its audience is read",
            ));
        }
    }
    if let Some(hit) = scan(text).first().filter(|_| prose) {
        out.push(Diagnostic::error(
            origin,
            lines.line(hit.at),
            "restriction syntax in the theme is not read: it would be published to every edition as written",
            "restrict text in the content, not the theme; a template shows every edition the same words",
        ));
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
            unread.extend(refuse_unread(origin, &without_tera_tags(text), true));
        }
        for (path, bytes) in &statics {
            if let Ok(text) = std::str::from_utf8(bytes) {
                // In a script or stylesheet, braces and `::` are code.
                let prose = !matches!(path.rsplit_once('.').map(|(_, e)| e), Some("js" | "css" | "mjs"));
                unread.extend(refuse_unread(&rel_dir.join("static").join(path), text, prose));
            }
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
        let refused = |text: &str, prose: bool| refuse_unread(Path::new("partials/x.html"), text, prose).has_errors();
        assert!(refused("<p>x</p>\n<!-- zq note -->", true));
        assert!(refused("<p>[zq]{audience=\"partnership\"}</p>", true));
        assert!(refused(&without_tera_tags("{% if a %}[zq]{audience=\"partnership\"}{% endif %}"), true));
        assert!(refused("---\ntitle: T\naudience: [partnership]\n---\nzq", true));
        assert!(refused("var a = 1; <!-- zq", false));
        // Tera's own tags and a script's braces are not restriction syntax.
        assert!(!refused(&without_tera_tags("<p>{{ page.marking }} {% if handling %}handling{% endif %}</p>"), true));
        assert!(!refused("::selection { color: red }\nvar o = {handling: 1};", false));
        for (path, bytes) in DEFAULT_THEME {
            let text = String::from_utf8_lossy(bytes);
            let prose = !path.ends_with(".js") && !path.ends_with(".css");
            let text = if path.starts_with("templates/") { without_tera_tags(&text) } else { text.into_owned() };
            assert!(!refused(&text, prose), "{path}");
        }
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
