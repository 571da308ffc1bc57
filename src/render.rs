//! Rendering: one filtered Markdown text to HTML, with headings, plain text
//! for search, and every internal reference left as a placeholder.
//!
//! Rendering depends only on the filtered text, so editions that see the same
//! text share one rendering. What differs per edition and per page — whether a
//! linked section exists there, and the relative path to it — is filled in
//! later by [`resolve`], a cheap string pass.

use crate::filter::{WITHHELD_BLOCK, WITHHELD_SPAN};
use crate::section::slugify;
use pulldown_cmark::{Alignment, CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

const MARK_OPEN: char = '\u{E001}';
const MARK_CLOSE: char = '\u{E002}';
/// Class prefix for syntax highlighting, so theme CSS cannot clash with it.
pub const HL_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

pub fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

pub fn syntax_set() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// What a URL in a section points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reference {
    /// `#heading` on the same page.
    Anchor,
    /// Another site (a link only; never loaded).
    External,
    /// Another section's source file, relative to the root, with an optional heading id.
    Section { file: PathBuf, fragment: Option<String> },
    /// A file under content/, relative to the root.
    File(PathBuf),
    /// Not allowed; the reason says why.
    Refused(String),
}

fn has_scheme(url: &str) -> Option<String> {
    let colon = url.find(':')?;
    let scheme = &url[..colon];
    let ok = !scheme.is_empty()
        && scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    ok.then(|| scheme.to_ascii_lowercase())
}

/// Classify a link or image URL written in `from` (a section file, relative to the root).
pub fn classify(url: &str, from: &Path) -> Reference {
    let url = url.trim();
    if url.starts_with('#') {
        return Reference::Anchor;
    }
    if url.starts_with("//") {
        return Reference::External;
    }
    if let Some(scheme) = has_scheme(url) {
        return match scheme.as_str() {
            "http" | "https" | "mailto" | "tel" => Reference::External,
            s => Reference::Refused(format!("`{s}:` links are not allowed")),
        };
    }
    let (path_part, fragment) = match url.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string()).filter(|f| !f.is_empty())),
        None => (url, None),
    };
    let path_part = path_part.split('?').next().unwrap_or("");
    let decoded = percent_encoding::percent_decode_str(path_part).decode_utf8_lossy().to_string();
    let base = if decoded.starts_with('/') {
        PathBuf::from("content")
    } else {
        from.parent().map(Path::to_path_buf).unwrap_or_default()
    };
    let mut parts: Vec<String> = Vec::new();
    for c in base.join(decoded.trim_start_matches('/')).components() {
        match c {
            Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            Component::ParentDir => {
                if parts.pop().is_none() {
                    return Reference::Refused("the path leaves the profile's folder".into());
                }
            }
            Component::CurDir => {}
            _ => return Reference::Refused("the path leaves the profile's folder".into()),
        }
    }
    let file: PathBuf = parts.iter().collect();
    if file.extension().is_some_and(|e| e.eq_ignore_ascii_case("md")) {
        Reference::Section { file, fragment }
    } else if parts.first().map(String::as_str) != Some("content") || parts.len() < 2 {
        Reference::Refused("files must live under content/".into())
    } else {
        Reference::File(file)
    }
}

/// Classify a URL, resolving a link to a section that is not at the path
/// relative to the file against the page's address instead, where Hugo and
/// Zola authors expect it: from `content/a.md` (published as the folder
/// `a/`), `../b.md` names `content/b.md`.
pub fn classify_in(url: &str, from: &Path, is_section: &dyn Fn(&Path) -> bool) -> Reference {
    match classify(url, from) {
        Reference::Section { file, fragment } if !is_section(&file) => {
            match classify(url, &from.with_extension("").join("index.md")) {
                Reference::Section { file: alt, fragment } if is_section(&alt) => {
                    Reference::Section { file: alt, fragment }
                }
                _ => Reference::Section { file, fragment },
            }
        }
        other => other,
    }
}

pub const IMAGE_EXTENSIONS: [&str; 5] = ["png", "jpg", "jpeg", "gif", "webp"];

pub fn is_image(p: &Path) -> bool {
    p.extension().and_then(|e| e.to_str()).is_some_and(|e| IMAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// Plain text under one heading, for the search index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextPart {
    pub anchor: String,
    pub heading: String,
    pub text: String,
}

/// A placeholder's target, resolved per edition and page by [`resolve`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Section { file: PathBuf, fragment: Option<String>, title: String },
    File(PathBuf),
}

#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// HTML with placeholders for internal links and files.
    pub html: String,
    pub headings: Vec<Heading>,
    pub parts: Vec<TextPart>,
    /// Placeholder n refers to `targets[n]`.
    pub targets: Vec<Target>,
    /// Plain text of the first paragraph, for listings when there is no summary.
    pub first_paragraph: String,
}

fn mark(kind: char, n: usize) -> String {
    format!("{MARK_OPEN}{kind}{n}{MARK_CLOSE}")
}

/// Escape text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn highlight(code: &str, lang: &str) -> String {
    let ss = syntax_set();
    let token = lang.split(|c: char| c.is_whitespace() || c == ',' || c == '{').next().unwrap_or("");
    let class =
        if token.is_empty() { String::new() } else { format!(" class=\"language-{}\"", escape(&slugify(token))) };
    let Some(syntax) = (!token.is_empty()).then(|| ss.find_syntax_by_token(token)).flatten() else {
        return format!("<pre><code{class}>{}</code></pre>\n", escape(code));
    };
    let mut gen = ClassedHTMLGenerator::new_with_class_style(syntax, ss, HL_STYLE);
    for line in LinesWithEndings::from(code) {
        if gen.parse_html_for_line_which_includes_newline(line).is_err() {
            return format!("<pre><code{class}>{}</code></pre>\n", escape(code));
        }
    }
    format!("<pre class=\"hl-code\"><code{class}>{}</code></pre>\n", gen.finalize())
}

fn align_class(a: Option<&Alignment>) -> &'static str {
    match a {
        Some(Alignment::Left) => " class=\"align-left\"",
        Some(Alignment::Center) => " class=\"align-center\"",
        Some(Alignment::Right) => " class=\"align-right\"",
        _ => "",
    }
}

/// Sanitiser for raw HTML: no script, handlers, frames, forms or remote loads.
fn sanitise(html: &str) -> String {
    ammonia::Builder::default()
        .add_tags(["section", "input"])
        .add_generic_attributes(["id", "class"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .attribute_filter(|_el, attr, value| {
            if attr != "src" && attr != "href" {
                return Some(value.into());
            }
            // Our own placeholders and same-page anchors stay. Remote sources
            // would load from elsewhere; relative paths in raw HTML are never
            // resolved per edition, so they could name a withheld section or
            // file: both go. Links and images belong in Markdown.
            let own = value.starts_with(MARK_OPEN) || value.starts_with('#');
            let remote_link = attr == "href" && (value.starts_with("//") || has_scheme(value).is_some());
            (own || remote_link).then(|| value.into())
        })
        .url_relative(ammonia::UrlRelative::PassThrough)
        .clean(html)
        .to_string()
}

/// Render one filtered text. `from` is the section's file, for relative links;
/// `section_title` looks up a linked section's title for link titles (unused
/// in output, kept for the report).
pub fn render(text: &str, from: &Path, is_section: &dyn Fn(&Path) -> bool) -> Rendered {
    let mut r = Rendered { parts: vec![TextPart::default()], ..Default::default() };
    let mut events: Vec<Event> = Vec::new();
    let mut footnotes: Vec<Event> = Vec::new();
    let mut in_footnote = 0usize;
    let mut needs_sanitising = false;
    // links: what to do at each End(Link)
    enum LinkEnd {
        Keep,
        Mark(usize),
        Drop,
    }
    let mut link_stack: Vec<LinkEnd> = Vec::new();
    // (level, explicit id, classes, inner events, plain text) of the heading being read
    type OpenHeading<'e> = (HeadingLevel, Option<String>, Vec<String>, Vec<Event<'e>>, String);
    let mut heading: Option<OpenHeading> = None;
    let mut image: Option<(Option<usize>, String)> = None;
    let mut code: Option<(String, String)> = None;
    let mut table_align: Vec<Alignment> = Vec::new();
    let mut cell = 0usize;
    let mut tables = 0usize;
    let mut in_head = false;
    let mut para_depth = 0usize;
    let mut first_para_done = false;
    let mut used_ids: Vec<String> = Vec::new();

    let parser = Parser::new_ext(text, markdown_options());
    for ev in parser {
        // Plain text for search and summaries.
        if let Event::Text(t) | Event::Code(t) = &ev {
            if t.as_ref() != WITHHELD_BLOCK {
                let plain = t.replace(WITHHELD_SPAN, "");
                if let Some((.., htext)) = heading.as_mut() {
                    htext.push_str(&plain);
                } else if let Some((_, alt)) = image.as_mut() {
                    alt.push_str(&plain);
                } else if code.is_none() {
                    r.parts.last_mut().expect("one part").text.push_str(&plain);
                    if para_depth > 0 && !first_para_done {
                        r.first_paragraph.push_str(&plain);
                    }
                }
            }
        }
        if matches!(
            ev,
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell)
        ) {
            r.parts.last_mut().expect("one part").text.push(' ');
        }
        let out: &mut Vec<Event> = if in_footnote > 0 { &mut footnotes } else { &mut events };
        // Buffered constructs first.
        if let Some((_, lang)) = &code {
            match ev {
                Event::Text(t) => code.as_mut().expect("code").0.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let html = highlight(&code.as_ref().expect("code").0, lang);
                    r.parts.last_mut().expect("one part").text.push_str(&code.take().expect("code").0);
                    out.push(Event::Html(html.into()));
                }
                _ => {}
            }
            continue;
        }
        if image.is_some() {
            if let Event::End(TagEnd::Image) = ev {
                let (n, alt) = image.take().expect("image");
                if let Some(n) = n {
                    out.push(Event::Html(
                        format!("<img src=\"{}\" alt=\"{}\">", mark('u', n), escape(alt.trim())).into(),
                    ));
                }
            }
            continue;
        }
        if let Some(h) = heading.as_mut() {
            if let Event::End(TagEnd::Heading(_)) = ev {
                let (level, id, classes, inner, htext) = heading.take().expect("heading");
                let base = id.unwrap_or_else(|| slugify(&htext));
                let mut id = base.clone();
                let mut k = 1;
                while used_ids.contains(&id) {
                    id = format!("{base}-{k}");
                    k += 1;
                }
                used_ids.push(id.clone());
                let lvl = level as u8;
                r.headings.push(Heading { level: lvl, id: id.clone(), text: htext.trim().to_string() });
                r.parts.push(TextPart { anchor: id.clone(), heading: htext.trim().to_string(), text: String::new() });
                let class = if classes.is_empty() {
                    String::new()
                } else {
                    format!(" class=\"{}\"", escape(&classes.join(" ")))
                };
                out.push(Event::Html(format!("<h{lvl} id=\"{}\"{class}>", escape(&id)).into()));
                out.extend(inner);
                out.push(Event::Html(format!("</h{lvl}>\n").into()));
            } else {
                h.3.push(ev);
            }
            continue;
        }
        match ev {
            Event::Start(Tag::Heading { level, id, classes, .. }) => {
                heading = Some((
                    level,
                    id.map(|i| i.to_string()),
                    classes.iter().map(|c| c.to_string()).collect(),
                    Vec::new(),
                    String::new(),
                ));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(l) => l.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((String::new(), lang));
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                let n = match classify(&dest_url, from) {
                    Reference::File(f) if is_image(&f) => {
                        r.targets.push(Target::File(f));
                        Some(r.targets.len() - 1)
                    }
                    // Refused here; `check_references` reports it as an error.
                    _ => None,
                };
                image = Some((n, String::new()));
            }
            Event::Start(Tag::Link { link_type, dest_url, title, .. }) => {
                let action = match classify_in(&dest_url, from, is_section) {
                    Reference::Anchor | Reference::External => LinkEnd::Keep,
                    Reference::Section { file, fragment } => {
                        r.targets.push(Target::Section { file, fragment, title: title.to_string() });
                        LinkEnd::Mark(r.targets.len() - 1)
                    }
                    Reference::File(f) => {
                        r.targets.push(Target::File(f));
                        LinkEnd::Mark(r.targets.len() - 1)
                    }
                    Reference::Refused(_) => LinkEnd::Drop,
                };
                match action {
                    LinkEnd::Keep => {
                        out.push(Event::Start(Tag::Link { link_type, dest_url, title, id: CowStr::Borrowed("") }))
                    }
                    LinkEnd::Mark(n) => out.push(Event::Html(mark('a', n).into())),
                    LinkEnd::Drop => {}
                }
                link_stack.push(action);
            }
            Event::End(TagEnd::Link) => match link_stack.pop() {
                Some(LinkEnd::Keep) => out.push(Event::End(TagEnd::Link)),
                Some(LinkEnd::Mark(n)) => out.push(Event::Html(mark('/', n).into())),
                _ => {}
            },
            Event::Start(Tag::FootnoteDefinition(label)) => {
                in_footnote += 1;
                footnotes.push(Event::Start(Tag::FootnoteDefinition(label)));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                footnotes.push(Event::End(TagEnd::FootnoteDefinition));
                in_footnote -= 1;
            }
            Event::Start(Tag::Table(aligns)) => {
                table_align = aligns.clone();
                tables += 1;
                // A wide table scrolls inside its own region, which keyboard users can
                // reach and screen readers can name (the section's title is filled in
                // per page by `resolve`).
                out.push(Event::Html(
                    format!(
                        "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"{}, table {tables}\">",
                        mark('T', 0)
                    )
                    .into(),
                ));
                out.push(Event::Start(Tag::Table(aligns)));
            }
            Event::End(TagEnd::Table) => {
                out.push(Event::End(TagEnd::Table));
                out.push(Event::Html("</div>\n".into()));
            }
            Event::Start(Tag::TableHead) => {
                in_head = true;
                cell = 0;
                out.push(Event::Start(Tag::TableHead));
            }
            Event::End(TagEnd::TableHead) => {
                in_head = false;
                out.push(Event::End(TagEnd::TableHead));
            }
            Event::Start(Tag::TableRow) => {
                cell = 0;
                out.push(Event::Start(Tag::TableRow));
            }
            Event::Start(Tag::TableCell) => {
                let tag = if in_head { "th scope=\"col\"" } else { "td" };
                out.push(Event::Html(format!("<{tag}{}>", align_class(table_align.get(cell))).into()));
            }
            Event::End(TagEnd::TableCell) => {
                out.push(Event::Html(if in_head { "</th>" } else { "</td>" }.into()));
                cell += 1;
            }
            Event::Start(Tag::Paragraph) => {
                para_depth += 1;
                out.push(Event::Start(Tag::Paragraph));
            }
            Event::End(TagEnd::Paragraph) => {
                para_depth -= 1;
                if !r.first_paragraph.trim().is_empty() {
                    first_para_done = true;
                }
                out.push(Event::End(TagEnd::Paragraph));
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                needs_sanitising = true;
                out.push(Event::Html(h));
            }
            Event::Text(t) if t.contains('\u{E000}') => {
                if t.as_ref() == WITHHELD_BLOCK {
                    out.push(Event::Html("<span class=\"withheld\">Content withheld from this edition</span>".into()));
                } else {
                    for (i, piece) in t.split(WITHHELD_SPAN).enumerate() {
                        if i > 0 {
                            out.push(Event::Html("<span class=\"withheld\">[withheld]</span>".into()));
                        }
                        out.push(Event::Text(piece.replace('\u{E000}', "").into()));
                    }
                }
            }
            other => out.push(other),
        }
    }
    let mut html = String::with_capacity(text.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    if !footnotes.is_empty() {
        html.push_str("<section class=\"footnotes\" aria-label=\"Footnotes\">\n");
        pulldown_cmark::html::push_html(&mut html, footnotes.into_iter());
        html.push_str("</section>\n");
    }
    r.html = if needs_sanitising { sanitise(&html) } else { html };
    for p in &mut r.parts {
        p.text = p.text.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    r.parts.retain(|p| !p.text.is_empty() || !p.heading.is_empty());
    r.first_paragraph = r.first_paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
    r
}

/// Fill a rendering's placeholders. `url_of` gives the page-relative URL of a
/// target, or `None` when the target is withheld from (or missing in) this
/// edition: the link then becomes plain text.
/// `title` (the section's) names the page's table regions.
pub fn resolve(
    html: &str,
    targets: &[Target],
    title: &str,
    mut url_of: impl FnMut(&Target) -> Option<String>,
) -> String {
    if !html.contains(MARK_OPEN) {
        return html.to_string();
    }
    let urls: Vec<Option<String>> = targets.iter().map(&mut url_of).collect();
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(MARK_OPEN) {
        out.push_str(&rest[..start]);
        let after = &rest[start + MARK_OPEN.len_utf8()..];
        let Some(end) = after.find(MARK_CLOSE) else {
            rest = after;
            continue;
        };
        let token = &after[..end];
        rest = &after[end + MARK_CLOSE.len_utf8()..];
        let kind = token.chars().next().unwrap_or(' ');
        let url = token[kind.len_utf8()..].parse::<usize>().ok().and_then(|n| urls.get(n).cloned().flatten());
        match (kind, url) {
            ('a', Some(u)) => {
                out.push_str("<a href=\"");
                out.push_str(&escape(&u));
                out.push_str("\">");
            }
            ('/', Some(_)) => out.push_str("</a>"),
            ('u', Some(u)) => out.push_str(&escape(&u)),
            ('T', _) => out.push_str(&escape(title)),
            _ => {}
        }
    }
    out.push_str(rest);
    out
}

/// Every URL in `text` (a section's full, unfiltered body) with its byte offset.
pub fn references(text: &str) -> Vec<(usize, bool, String)> {
    let mut out = Vec::new();
    for (ev, range) in Parser::new_ext(text, markdown_options()).into_offset_iter() {
        match ev {
            Event::Start(Tag::Link { dest_url, .. }) => out.push((range.start, false, dest_url.to_string())),
            Event::Start(Tag::Image { dest_url, .. }) => out.push((range.start, true, dest_url.to_string())),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from() -> &'static Path {
        Path::new("content/threats/drugs.md")
    }

    #[test]
    fn classifies_urls() {
        assert_eq!(classify("#x", from()), Reference::Anchor);
        assert_eq!(classify("https://gov.uk", from()), Reference::External);
        assert!(matches!(classify("javascript:alert(1)", from()), Reference::Refused(_)));
        assert!(matches!(classify("JavaScript:alert(1)", from()), Reference::Refused(_)));
        assert_eq!(
            classify("../places/northtown.md#x", from()),
            Reference::Section { file: "content/places/northtown.md".into(), fragment: Some("x".into()) }
        );
        assert_eq!(classify("map%20a.png", from()), Reference::File("content/threats/map a.png".into()));
        assert!(matches!(classify("../../../etc/passwd", from()), Reference::Refused(_)));
        assert!(matches!(classify("../../brief.yaml", from()), Reference::Refused(_)));
        assert_eq!(
            classify("/places/a.md", from()),
            Reference::Section { file: "content/places/a.md".into(), fragment: None }
        );
    }

    #[test]
    fn section_links_fall_back_to_the_page_address() {
        let exists = |p: &Path| p == Path::new("content/b.md") || p == Path::new("content/dir/c.md");
        let from = Path::new("content/a.md");
        assert_eq!(
            classify_in("../b.md", from, &exists),
            Reference::Section { file: "content/b.md".into(), fragment: None }
        );
        assert_eq!(
            classify_in("b.md#x", from, &exists),
            Reference::Section { file: "content/b.md".into(), fragment: Some("x".into()) }
        );
        assert_eq!(
            classify_in("../nope.md", from, &exists),
            Reference::Section { file: "nope.md".into(), fragment: None }
        );
        assert_eq!(
            classify_in("c.md", Path::new("content/dir/d.md"), &exists),
            Reference::Section { file: "content/dir/c.md".into(), fragment: None }
        );
    }

    #[test]
    fn renders_headings_tables_code_and_footnotes() {
        let r = render(
            "# Top\n\n## Top\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n\n```yaml\nk: v\n```\n\nText[^n].\n\n[^n]: Note.\n",
            from(),
            &|_| true,
        );
        assert_eq!(r.headings.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(), ["top", "top-1"]);
        assert!(r.html.contains("<th scope=\"col\" class=\"align-left\">a</th>"), "{}", r.html);
        assert!(r.html.contains("<td class=\"align-right\">2</td>"), "{}", r.html);
        assert!(!r.html.contains("style="), "{}", r.html);
        assert!(r.html.contains("hl-"), "{}", r.html);
        let foot = r.html.find("class=\"footnotes\"").unwrap();
        assert!(r.html[foot..].contains("Note."));
        assert_eq!((r.parts[1].anchor.as_str(), r.parts[1].heading.as_str()), ("top-1", "Top"));
    }

    #[test]
    fn links_become_placeholders_and_resolve_or_vanish() {
        let r = render(
            "See [drugs](../threats/drugs.md#county-lines) and ![map](map.png).\n",
            Path::new("content/places/x.md"),
            &|_| true,
        );
        assert_eq!(r.targets.len(), 2);
        let shown = resolve(&r.html, &r.targets, "T", |t| {
            Some(match t {
                Target::Section { .. } => "../drugs/index.html#county-lines".into(),
                Target::File(_) => "../map.png".into(),
            })
        });
        assert!(shown.contains("<a href=\"../drugs/index.html#county-lines\">drugs</a>"), "{shown}");
        assert!(shown.contains("<img src=\"../map.png\" alt=\"map\">"), "{shown}");
        let hidden = resolve(&r.html, &r.targets, "T", |t| matches!(t, Target::File(_)).then(|| "m.png".to_string()));
        assert!(hidden.contains("See drugs and"), "{hidden}");
        assert!(!hidden.contains("county"), "{hidden}");
    }

    #[test]
    fn raw_html_is_sanitised_and_comments_removed() {
        let r = render("<!-- SECRET NOTE -->\n\n<p onclick=\"x()\">hi<script>alert(1)</script><iframe src=\"https://x\"></iframe><img src=\"https://evil/x.png\"><a href=\"javascript:bad()\">j</a></p>\n", from(), &|_| true);
        for bad in ["SECRET NOTE", "onclick", "script", "iframe", "evil", "javascript"] {
            assert!(!r.html.contains(bad), "{bad} in {}", r.html);
        }
        assert!(r.html.contains("hi"));
    }

    #[test]
    fn raw_html_paths_are_dropped_and_every_comment_goes() {
        let r = render("<a href=\"secret-op.md\">x</a> <img src=\"op-map.png\" alt=\"m\"> <a href=\"#top\">t</a> <a href=\"https://gov.uk\">g</a>\n\n- item <!-- C1 -->\n\n> quote\n> <!-- C2\n>\n> still -->\n\n<!-- C3 never closed\n\nmore\n", from(), &|_| true);
        for bad in ["secret-op", "op-map", "C1", "C2", "C3", "more"] {
            assert!(!r.html.contains(bad), "{bad} in {}", r.html);
        }
        assert!(r.html.contains("href=\"#top\"") && r.html.contains("https://gov.uk"), "{}", r.html);
    }

    #[test]
    fn refused_links_are_plain_text() {
        let r = render("[x](javascript:alert(1)) [y](../../../../etc/passwd)\n", from(), &|_| true);
        assert!(!r.html.contains("href"), "{}", r.html);
    }
}
