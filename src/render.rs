//! Rendering: one cut text (a section's body as one edition has it) to HTML,
//! with headings, plain text for search, and every internal link or image
//! left as a placeholder that the edition's view fills in
//! ([`crate::withhold::view`]).
//!
//! Every event takes the same path, wherever it sits: in a heading, a table,
//! a footnote or a list, a link becomes a placeholder and raw HTML marks the
//! page for the sanitiser. Rendering depends only on the cut text, so
//! editions that see the same text share one rendering.

use crate::links::{is_web, scheme};
use crate::markup::markdown_options;
use crate::slug::slugify;
use crate::withhold::cut::{CutText, Synthetic, CUT_MARK, WITHHELD_SPAN};
use pulldown_cmark::{Alignment, CodeBlockKind, CowStr, Event, HeadingLevel, Parser, Tag, TagEnd};
use std::borrow::Cow;
use std::sync::OnceLock;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

const MARK_OPEN: char = '\u{E001}';
const MARK_CLOSE: char = '\u{E002}';
/// Class prefix for syntax highlighting, so theme CSS cannot clash with it.
pub const HL_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

pub fn syntax_set() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
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

/// A link or image to something of the profile, as written; the edition's
/// view decides what it points at there, if anything.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Target {
    pub url: String,
    pub is_image: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// HTML with placeholders for internal links and images.
    pub html: String,
    pub headings: Vec<Heading>,
    pub parts: Vec<TextPart>,
    /// Placeholder n refers to `targets[n]`.
    pub targets: Vec<Target>,
    /// Plain text of the first paragraph, for listings when there is no summary.
    pub first_paragraph: String,
    /// Placeholder `F`n refers to `figures[n]`: a chart or map the edition's
    /// view draws from its own rows.
    pub figures: Vec<FigureAt>,
    /// Where each piece of Markdown structure the text reads as starts
    /// (offset in the cut text), and its kind ([`crate::markup::structure_kind`]).
    pub structure: Vec<(usize, u8)>,
    /// SHA-256 of `html`: with what fills its placeholders, it says whether
    /// a page's body changed ([`crate::changes`]) without filling it again.
    pub digest: [u8; 32],
    /// Whether its text parts hold `.md` (in any case): found once, when
    /// first asked, and kept with the rendering (the preview keeps it
    /// between rebuilds), so that [`crate::withhold::mentions`] reads only
    /// the sections that may name a section's file.
    pub holds_md: std::sync::OnceLock<bool>,
}

/// Where a chart or map stands in a rendering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FigureAt {
    /// Index in the section's figures.
    pub index: usize,
    /// Its "Figure N" in the section.
    pub number: usize,
    /// The anchor of the text part it stands in, for the search index.
    pub anchor: String,
}

fn mark(kind: char, n: usize) -> String {
    format!("{MARK_OPEN}{kind}{n}{MARK_CLOSE}")
}

/// An emptied numbered list that starts past 1 (`<ol start="3">`), which
/// the fixed patterns of emptied elements do not match.
fn drop_empty_numbered_lists(html: &mut String) {
    const OPEN: &str = "<ol start=\"";
    const CLOSE: &str = "\">\n</ol>\n";
    let mut from = 0;
    while let Some(e) = memchr::memmem::find(&html.as_bytes()[from..], CLOSE.as_bytes()) {
        let end = from + e;
        match html[..end].rfind(OPEN) {
            Some(open)
                if open + OPEN.len() < end && html[open + OPEN.len()..end].bytes().all(|b| b.is_ascii_digit()) =>
            {
                html.replace_range(open..end + CLOSE.len(), "");
                from = open;
            }
            _ => from = end + 1,
        }
    }
}

/// The labels of footnotes whose every event [`draws_nothing`] (their text
/// was all withheld, with no notice in its place; a withheld block leaves
/// no mark, so any text with a footnote is read). An author's own empty
/// note goes too, in every edition alike.
fn emptied_notes(cut: &CutText) -> std::collections::HashSet<unicase::UniCase<String>> {
    let mut out = std::collections::HashSet::new();
    if !cut.text.contains("[^") {
        return out;
    }
    let mut open: Option<(String, bool)> = None;
    for (ev, range) in Parser::new_ext(&cut.text, markdown_options()).into_offset_iter() {
        match ev {
            Event::Start(Tag::FootnoteDefinition(l)) => open = Some((l.to_string(), false)),
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some((label, false)) = open.take() {
                    out.insert(unicase::UniCase::new(label));
                }
            }
            // Wrappers: a quote, list, item, heading or paragraph the cut
            // emptied is dropped (an item with its task box).
            Event::Start(Tag::Paragraph | Tag::BlockQuote(_) | Tag::List(_) | Tag::Item | Tag::Heading { .. })
            | Event::End(
                TagEnd::Paragraph | TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Item | TagEnd::Heading(_),
            )
            | Event::TaskListMarker(_) => {}
            // The cut's own break where a block went, unless it is a notice.
            Event::Rule
                if cut
                    .synthetic
                    .binary_search_by_key(&range.start, |(o, _)| *o)
                    .is_ok_and(|i| cut.synthetic[i].1 != Synthetic::Notice) => {}
            ref e => {
                if let Some((_, drawn)) = open.as_mut() {
                    *drawn |= !draws_nothing(e);
                }
            }
        }
    }
    out
}

/// An event of a heading or note that shows nothing once the cut is made: text of
/// spaces and cut marks (a withheld-span notice is something), breaks,
/// emphasis and links around nothing, Brief's own placeholders.
fn draws_nothing(ev: &Event) -> bool {
    match ev {
        Event::Text(t) | Event::Code(t) => t.chars().all(|c| c.is_whitespace() || c == CUT_CHAR),
        // A link's placeholders, `mark('a', n)` and `mark('/', n)`.
        Event::Html(h) => h.strip_prefix(MARK_OPEN).and_then(|m| m.strip_suffix(MARK_CLOSE)).is_some_and(|m| {
            m.strip_prefix(['a', '/']).is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        }),
        Event::SoftBreak | Event::HardBreak => true,
        Event::Start(t) => {
            matches!(
                t,
                Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. } | Tag::Superscript | Tag::Subscript
            )
        }
        Event::End(t) => matches!(
            t,
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Superscript
                | TagEnd::Subscript
        ),
        _ => false,
    }
}

/// Escape text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 16);
    let mut done = 0;
    // Bytes, not chars: the five are ASCII, and copying the runs between
    // them whole is what makes this the cheap part of every page (it is
    // also the theme's escaper, see `Theme::load`).
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[done..i]);
        out.push_str(entity);
        done = i + 1;
    }
    out.push_str(&s[done..]);
    out
}

/// Highlighted code blocks already made in this process, by language and
/// code: highlighting is the costliest part of rendering a block, and a
/// profile's editions (and the preview's rebuilds) render the same blocks
/// again. A pure function of its key, so sharing it across editions shares
/// nothing else. Bounded: emptied when it holds [`HIGHLIGHTED_MAX_BYTES`].
#[derive(Default)]
struct Highlighted {
    blocks: rustc_hash::FxHashMap<(Box<str>, Box<str>), String>,
    /// Bytes of code and highlighted HTML held.
    bytes: usize,
}

const HIGHLIGHTED_MAX_BYTES: usize = 8 << 20;
/// Longer blocks are highlighted each time rather than kept.
const HIGHLIGHTED_BLOCK_MAX: usize = 16 * 1024;

fn highlight(code: &str, lang: &str) -> String {
    static CACHE: OnceLock<std::sync::Mutex<Highlighted>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if code.len() > HIGHLIGHTED_BLOCK_MAX {
        return highlight_uncached(code, lang);
    }
    let key = (Box::from(lang), Box::from(code));
    if let Some(html) = cache.lock().ok().and_then(|c| c.blocks.get(&key).cloned()) {
        return html;
    }
    let html = highlight_uncached(code, lang);
    if let Ok(mut c) = cache.lock() {
        let size = lang.len() + code.len() + html.len();
        if c.bytes + size > HIGHLIGHTED_MAX_BYTES {
            *c = Highlighted::default();
        }
        if c.blocks.insert(key, html.clone()).is_none() {
            c.bytes += size;
        }
    }
    html
}

fn highlight_uncached(code: &str, lang: &str) -> String {
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

/// Sanitiser for raw HTML: no script, handlers, frames, forms, meta, base or
/// remote loads; links only to the web, mail, or this page.
fn sanitise(html: &str) -> String {
    ammonia::Builder::default()
        // Elements whose content a browser reads as text (a comment in a
        // <textarea> is shown), or that draw their own: removed with
        // everything in them. Markdown inside one is refused when read.
        .clean_content_tags(crate::markup::DROPPED_ELEMENTS.into_iter().collect())
        .add_tags(["section", "input"])
        // A browser hides <rp> inside <ruby>; search would still hold its
        // text. Without the tag its text is shown, as search shows it.
        .rm_tags(["rp"])
        .add_generic_attributes(["id", "class"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .attribute_filter(|_el, attr, value| {
            // A text mark (`dropped_text`) in an attribute value is text the page does not show as text.
            if value.contains([TEXT_MARK_OPEN, TEXT_MARK_CLOSE]) {
                let unmarked = value.replace([TEXT_MARK_OPEN, TEXT_MARK_CLOSE], "");
                return kept_attribute(attr, &unmarked).map(|v| Cow::Owned(v.into_owned()));
            }
            kept_attribute(attr, value)
        })
        .url_relative(ammonia::UrlRelative::PassThrough)
        .clean(html)
        .to_string()
}

/// A raw HTML attribute's value as the page keeps it, if it keeps it.
fn kept_attribute<'a>(attr: &str, value: &'a str) -> Option<Cow<'a, str>> {
    if attr == "class" {
        let own = own_classes(value);
        return (!own.is_empty()).then(|| own.into());
    }
    if attr != "src" && attr != "href" {
        return Some(value.into());
    }
    // Our own placeholders stay. Remote sources would load from
    // elsewhere; relative paths and anchors in raw HTML are never
    // resolved per edition, so they could name a withheld section,
    // heading or file: all go. Links and images belong in Markdown.
    let own = value.starts_with(MARK_OPEN);
    let web = attr == "href" && is_web(value.trim());
    (own || web).then(|| value.into())
}

/// A raw HTML `class` without the theme's classes that say what a page is
/// marked or what it withholds (`marking-banner`, `withheld`, `caveat`,
/// `copy-mark`, `draft-stamp` …): an author's HTML cannot draw a marking
/// banner or a "withheld" notice the build did not make.
fn own_classes(value: &str) -> String {
    // And those that hide what they hold (`visually-hidden`, `skip-link`),
    // on screen or on paper (what print.css leaves out: `sidebar`,
    // `notice`, `pager` …): a reader would not see, or not print, text that
    // search and listings read.
    const THEIRS: [&str; 20] = [
        "marking",
        "withheld",
        "caveat",
        "copy",
        "draft",
        "banner",
        "hidden",
        "skip",
        "sr-only",
        "offscreen",
        "breadcrumb",
        "csv-link",
        "notice",
        "print",
        "pager",
        "quick-links",
        "search",
        "sidebar",
        "nav",
        "toc",
    ];
    let ok = |c: &&str| !THEIRS.iter().any(|t| c.to_ascii_lowercase().contains(t));
    value.split_ascii_whitespace().filter(ok).collect::<Vec<_>>().join(" ")
}

/// Every HTML comment removed as its author meant it: from `<!--` to the
/// next `-->` after it (or to the end). Browsers also end a comment at
/// `<!-->`, `<!--->` or `--!>`, which would publish the rest as text; only
/// raw HTML holds comments, and generated text has its `<` escaped.
fn strip_comments(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 4..];
        rest = after.find("-->").map_or("", |end| &after[end + 3..]);
    }
    out.push_str(rest);
    out
}

/// What to do at each `End(Link)`.
enum LinkEnd {
    Keep,
    Mark(usize),
    Drop,
}

/// A heading being read: its transformed events and plain text.
struct OpenHeading<'e> {
    level: HeadingLevel,
    events: Vec<Event<'e>>,
    text: String,
}

struct Renderer<'e> {
    r: Rendered,
    synthetic: &'e [(usize, Synthetic)],
    /// Offsets of the kept figure blocks, with their index in the section's figures.
    figure_blocks: &'e [(usize, usize)],
    /// Inside a figure block: its text is the figure's description, not shown.
    in_figure: bool,
    /// Withheld text was the whole of what a line held so far (after a
    /// line break, or at a paragraph's start): if the line ends here, it
    /// goes with its line break ([`Renderer::end_cut_line`]).
    cut_line: Option<LineStart>,
    /// Figures numbered so far (images with a title, charts and maps).
    figure_count: usize,
    /// Where each open paragraph starts in its event buffer.
    paras: Vec<usize>,
    /// The last image with a title in the open paragraph: its event's index, and the title.
    titled_image: Option<(usize, String)>,
    events: Vec<Event<'e>>,
    notes: Vec<Event<'e>>,
    in_note: usize,
    heading: Option<OpenHeading<'e>>,
    image: Option<(usize, String, String)>,
    code: Option<(String, String)>,
    links: Vec<LinkEnd>,
    needs_sanitising: bool,
    table_align: Vec<Alignment>,
    cell: usize,
    tables: usize,
    in_head: bool,
    para_depth: usize,
    first_para_done: bool,
    used_ids: Vec<String>,
    /// Footnote labels by number less one, as Markdown matches them.
    notes_seen: rustc_hash::FxHashMap<unicase::UniCase<String>, usize>,
    /// Where the event being read starts.
    at: usize,
    /// For [`dropped_text`]: where each text marked so far starts.
    marks: Option<Vec<usize>>,
}

impl<'e> Renderer<'e> {
    fn push(&mut self, ev: Event<'e>) {
        if let Some(h) = self.heading.as_mut() {
            h.events.push(ev);
        } else if self.in_note > 0 {
            self.notes.push(ev);
        } else {
            self.events.push(ev);
        }
    }

    /// The events the next one goes to.
    fn buffer(&mut self) -> &mut Vec<Event<'e>> {
        if let Some(h) = self.heading.as_mut() {
            &mut h.events
        } else if self.in_note > 0 {
            &mut self.notes
        } else {
            &mut self.events
        }
    }

    /// An image with a title alone in its paragraph becomes a numbered
    /// figure with a caption, in place of the paragraph. Returns whether it did.
    fn paragraph_figure(&mut self) -> bool {
        let start = self.paras.pop();
        let (Some(start), Some((at, title))) = (start, self.titled_image.take()) else { return false };
        let buf = self.buffer();
        if at <= start || at >= buf.len() {
            return false;
        }
        let alone = buf[start + 1..].iter().enumerate().all(|(k, ev)| {
            start + 1 + k == at
                || matches!(ev, Event::SoftBreak | Event::HardBreak)
                || matches!(ev, Event::Text(t) if t.trim().is_empty())
        });
        let Event::Html(img) = &buf[at] else { return false };
        if !alone {
            return false;
        }
        let img = img.to_string();
        buf.truncate(start);
        self.figure_count += 1;
        let n = self.figure_count;
        let caption = format!("Figure {n}: {title}");
        self.html(format!(
            "<figure class=\"image-figure\">{img}<figcaption><span class=\"figure-number\">Figure {n}:</span> {}</figcaption></figure>\n",
            escape(&title)
        ));
        self.r.parts.last_mut().expect("one part").text.push_str(&format!(" {caption} "));
        true
    }

    fn html(&mut self, s: impl Into<CowStr<'e>>) {
        self.push(Event::Html(s.into()));
    }

    /// For [`dropped_text`]: a numbered mark where shown text starts.
    fn mark_text(&mut self, t: &str) {
        let Some(marks) = self.marks.as_mut() else { return };
        if !t.chars().any(char::is_alphanumeric) {
            return;
        }
        let n = marks.len();
        marks.push(self.at);
        self.push(Event::Text(format!("{TEXT_MARK_OPEN}{n}{TEXT_MARK_CLOSE}").into()));
    }

    /// Plain text for search, headings, alt text and the first paragraph.
    fn plain(&mut self, t: &str) {
        // Most text holds no mark: no copy of it then.
        let plain: Cow<str> = if t.contains(['\u{E000}', '\u{E003}']) {
            Cow::Owned(t.replace(WITHHELD_SPAN, "").replace(CUT_MARK, ""))
        } else {
            Cow::Borrowed(t)
        };
        if let Some(h) = self.heading.as_mut() {
            h.text.push_str(&plain);
        } else if let Some((_, alt, _)) = self.image.as_mut() {
            alt.push_str(&plain);
        } else {
            self.r.parts.last_mut().expect("one part").text.push_str(&plain);
            if self.para_depth > 0 && !self.first_para_done {
                self.r.first_paragraph.push_str(&plain);
            }
        }
    }

    fn space(&mut self) {
        self.r.parts.last_mut().expect("one part").text.push(' ');
        if self.para_depth > 0 && !self.first_para_done {
            self.r.first_paragraph.push(' ');
        }
    }

    /// A footnote's number: in order of first mention, reference or definition.
    fn note_number(&mut self, label: &str) -> usize {
        let next = self.notes_seen.len();
        *self.notes_seen.entry(unicase::UniCase::new(label.to_string())).or_insert(next) + 1
    }

    fn target(&mut self, url: &str, is_image: bool) -> usize {
        self.r.targets.push(Target { url: url.to_string(), is_image });
        self.r.targets.len() - 1
    }

    fn text(&mut self, t: CowStr<'e>) {
        if !t.is_empty() && t.chars().all(|c| c == CUT_CHAR) {
            self.cut_line = match self.buffer().last() {
                Some(Event::SoftBreak | Event::HardBreak) => Some(LineStart::AfterBreak),
                // A paragraph's, or a tight list item's (after its task box, if any).
                Some(Event::Start(Tag::Paragraph | Tag::Item) | Event::TaskListMarker(_)) => Some(LineStart::Paragraph),
                _ => None,
            };
            return;
        }
        self.plain(&t);
        self.mark_text(&t);
        if !t.contains(['\u{E000}', '\u{E003}']) {
            return self.push(Event::Text(t));
        }
        for (i, piece) in t.split(WITHHELD_SPAN).enumerate() {
            if i > 0 {
                self.push(Event::Text(SPAN_NOTICE_MARK.to_string().into()));
            }
            self.push(Event::Text(piece.replace(['\u{E000}', '\u{E003}'], "").into()));
        }
    }

    /// A line that held only withheld text goes with its line break, so the
    /// page is what it would be had the line not been written (and a change
    /// to that text marks nothing updated in this edition). Only if the
    /// line ends at `next` (a line break, or its block's end): withheld
    /// text before emphasis, a link or code on the same line leaves the
    /// break before it, which keeps the words apart. Whether `next` is
    /// taken.
    fn end_cut_line(&mut self, start: LineStart, next: &Event) -> bool {
        match (start, next) {
            (_, Event::SoftBreak | Event::HardBreak) => true,
            (LineStart::AfterBreak, Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_))) => {
                if matches!(self.buffer().last(), Some(Event::SoftBreak | Event::HardBreak)) {
                    self.buffer().pop();
                }
                false
            }
            _ => false,
        }
    }

    fn end_heading(&mut self) {
        let OpenHeading { level, mut events, text } = self.heading.take().expect("heading");
        // A heading whose whole text was withheld (with no notice in its
        // place) goes, as an emptied list item does: an empty heading, and
        // its empty link under "On this page", would show where it was.
        let (text, explicit) = split_heading_id(&text, &mut events);
        if text.trim().is_empty() && events.iter().all(draws_nothing) {
            return;
        }
        let base = explicit.unwrap_or_else(|| slugify(&text));
        let mut id = base.clone();
        let mut k = 1;
        while self.used_ids.contains(&id) {
            id = format!("{base}-{k}");
            k += 1;
        }
        self.used_ids.push(id.clone());
        let lvl = level as u8;
        let text = text.trim().to_string();
        self.r.headings.push(Heading { level: lvl, id: id.clone(), text: text.clone() });
        self.r.parts.push(TextPart { anchor: id.clone(), heading: text, text: String::new() });
        self.html(format!("<h{lvl} id=\"{}\">", escape(&id)));
        for ev in events {
            self.push(ev);
        }
        self.html(format!("</h{lvl}>\n"));
    }

    fn start_link(&mut self, link_type: pulldown_cmark::LinkType, dest_url: CowStr<'e>, title: CowStr<'e>) {
        let url = dest_url.trim();
        // Same-page anchors are resolved by the edition's view too: the
        // heading they name may be withheld there.
        // An email autolink, `<a@b.example>`: pulldown-cmark writes its `mailto:`.
        // A link starting `//` is refused when sections are read (from a
        // file share it is a `file:` link); should one get here, it goes.
        let action = if url.starts_with("//") {
            LinkEnd::Drop
        } else if link_type == pulldown_cmark::LinkType::Email {
            LinkEnd::Keep
        } else {
            match scheme(url) {
                Some(_) if is_web(url) => LinkEnd::Keep,
                Some(_) => LinkEnd::Drop,
                None => LinkEnd::Mark(self.target(url, false)),
            }
        };
        match action {
            LinkEnd::Keep => {
                self.push(Event::Start(Tag::Link { link_type, dest_url, title, id: CowStr::Borrowed("") }))
            }
            LinkEnd::Mark(n) => self.html(mark('a', n)),
            LinkEnd::Drop => {}
        }
        self.links.push(action);
    }

    fn end_link(&mut self) {
        match self.links.pop() {
            Some(LinkEnd::Keep) => self.push(Event::End(TagEnd::Link)),
            Some(LinkEnd::Mark(n)) => self.html(mark('/', n)),
            _ => {}
        }
    }

    fn table_event(&mut self, ev: Event<'e>) {
        match ev {
            Event::Start(Tag::Table(aligns)) => {
                self.table_align = aligns.clone();
                self.tables += 1;
                // A wide table scrolls inside its own region, which keyboard users can
                // reach and screen readers can name (the title is filled in per page).
                let wrap = format!(
                    "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"{}, table {}\">",
                    mark('T', 0),
                    self.tables
                );
                self.html(wrap);
                self.push(Event::Start(Tag::Table(aligns)));
            }
            Event::End(TagEnd::Table) => {
                self.push(Event::End(TagEnd::Table));
                self.html("</div>\n");
            }
            Event::Start(Tag::TableHead) => {
                self.in_head = true;
                self.cell = 0;
                self.push(Event::Start(Tag::TableHead));
            }
            Event::End(TagEnd::TableHead) => {
                self.in_head = false;
                self.push(Event::End(TagEnd::TableHead));
            }
            Event::Start(Tag::TableRow) => {
                self.cell = 0;
                self.push(Event::Start(Tag::TableRow));
            }
            Event::Start(Tag::TableCell) => {
                let tag = if self.in_head { "th scope=\"col\"" } else { "td" };
                let html = format!("<{tag}{}>", align_class(self.table_align.get(self.cell)));
                self.html(html);
            }
            Event::End(TagEnd::TableCell) => {
                self.html(if self.in_head { "</th>" } else { "</td>" });
                self.cell += 1;
            }
            other => self.push(other),
        }
    }

    fn event(&mut self, ev: Event<'e>, at: usize) {
        self.at = at;
        if let Some(start) = self.cut_line.take() {
            if self.end_cut_line(start, &ev) {
                return;
            }
        }
        if matches!(
            ev,
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell)
        ) {
            self.space();
        }
        if self.in_figure {
            if matches!(ev, Event::End(TagEnd::CodeBlock)) {
                self.in_figure = false;
            }
            return;
        }
        if let Some((code, lang)) = self.code.as_mut() {
            match ev {
                Event::Text(t) => code.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let html = highlight(code, lang);
                    let (code, _) = self.code.take().expect("code");
                    self.r.parts.last_mut().expect("one part").text.push_str(&code);
                    self.mark_text(&code);
                    self.html(html);
                }
                _ => {}
            }
            return;
        }
        if let Some((n, _, _)) = &self.image {
            let n = *n;
            match ev {
                Event::End(TagEnd::Image) => {
                    let (_, alt, title) = self.image.take().expect("image");
                    self.mark_text(&alt);
                    // `i`: the view fills in the file, its size and smaller copies.
                    self.html(format!("<img src=\"{}\" alt=\"{}\">", mark('i', n), escape(alt.trim())));
                    let title = title.trim();
                    if !title.is_empty() && self.heading.is_none() && !self.paras.is_empty() {
                        let at = self.buffer().len() - 1;
                        self.titled_image = Some((at, title.to_string()));
                    }
                }
                Event::Text(t) | Event::Code(t) => self.plain(&t),
                _ => {}
            }
            return;
        }
        match ev {
            Event::Start(Tag::Heading { level, .. }) => {
                self.heading = Some(OpenHeading { level, events: Vec::new(), text: String::new() })
            }
            Event::End(TagEnd::Heading(_)) => self.end_heading(),
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if crate::figures::figure_type(&info).is_some() =>
            {
                // A chart or map: a placeholder the edition's view fills. A
                // figure block the cut did not mark draws nothing.
                self.in_figure = true;
                if let Ok(i) = self.figure_blocks.binary_search_by_key(&at, |(o, _)| *o) {
                    self.figure_count += 1;
                    let anchor = self.r.parts.last().expect("one part").anchor.clone();
                    let j = self.r.figures.len();
                    self.r.figures.push(FigureAt { index: self.figure_blocks[i].1, number: self.figure_count, anchor });
                    self.html(format!("{}\n", mark('F', j)));
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(l) => l.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((String::new(), lang));
            }
            Event::Start(Tag::Image { dest_url, title, .. }) => {
                let n = self.target(&dest_url, true);
                self.image = Some((n, String::new(), title.to_string()));
            }
            Event::Start(Tag::Link { link_type, dest_url, title, .. }) => self.start_link(link_type, dest_url, title),
            Event::End(TagEnd::Link) => self.end_link(),
            // Footnotes are numbered here and their ids are numbers, never the
            // author's labels; links to them are placeholders like any other.
            Event::FootnoteReference(label) => {
                let n = self.note_number(&label);
                self.html(format!("<sup class=\"footnote-reference\"><a href=\"{}\">{n}</a></sup>", mark('f', n)));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                self.in_note += 1;
                let n = self.note_number(&label);
                self.html(format!("<div class=\"footnote-definition\" id=\"fn-{n}\"><sup class=\"footnote-definition-label\">{n}</sup>\n"));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                self.html("</div>\n");
                self.in_note -= 1;
            }
            Event::Start(Tag::Paragraph) => {
                self.para_depth += 1;
                let at = self.buffer().len();
                self.paras.push(at);
                self.titled_image = None;
                self.push(Event::Start(Tag::Paragraph));
            }
            Event::End(TagEnd::Paragraph) => {
                self.para_depth -= 1;
                if !self.r.first_paragraph.trim().is_empty() {
                    self.first_para_done = true;
                }
                if !self.paragraph_figure() {
                    self.push(Event::End(TagEnd::Paragraph));
                }
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                self.needs_sanitising = true;
                self.push(Event::Html(h));
            }
            Event::Rule => match self.synthetic.binary_search_by_key(&at, |(o, _)| *o) {
                Ok(i) if self.synthetic[i].1 == Synthetic::Notice => self.html(format!("{BLOCK_NOTICE_MARK}\n")),
                Ok(_) => {}
                Err(_) => self.push(Event::Rule),
            },
            Event::Text(t) => self.text(t),
            Event::Code(t) => {
                self.plain(&t);
                self.mark_text(&t);
                self.push(Event::Code(t));
            }
            ev @ (Event::Start(Tag::Table(_) | Tag::TableHead | Tag::TableRow | Tag::TableCell)
            | Event::End(TagEnd::Table | TagEnd::TableHead | TagEnd::TableCell)) => self.table_event(ev),
            other => self.push(other),
        }
    }
}

/// A heading's trailing `{#id}`: the heading's text without it, and the id.
fn split_heading_id(text: &str, events: &mut [Event]) -> (String, Option<String>) {
    let t = text.trim_end();
    let Some(open) = t.rfind("{#") else { return (text.to_string(), None) };
    let id = &t[open + 2..];
    let Some(id) = id.strip_suffix('}') else { return (text.to_string(), None) };
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return (text.to_string(), None);
    }
    let suffix = &t[open..];
    if let Some(Event::Text(last)) = events.iter_mut().rev().find(|e| matches!(e, Event::Text(_))) {
        let trimmed = last.trim_end();
        if let Some(rest) = trimmed.strip_suffix(suffix) {
            *last = rest.trim_end().to_string().into();
            return (t[..open].trim_end().to_string(), Some(id.to_string()));
        }
    }
    (text.to_string(), None)
}

/// The words of `text` (as `str::split_whitespace` splits it) joined by
/// single spaces (every part of every section is squashed so): a byte at a
/// time, a `char` at a time only past a byte outside ASCII.
pub fn squash_whitespace(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let word_byte = |c: u8| c.is_ascii() && !c.is_ascii_whitespace() && c != 0x0b;
    while i < b.len() {
        let run = b[i..].iter().position(|&c| !word_byte(c)).unwrap_or(b.len() - i);
        if run > 0 {
            out.push_str(&text[i..i + run]);
            i += run;
            continue;
        }
        // The next character, and whether it is a space.
        let (len, space) = if b[i].is_ascii() {
            // `char::is_whitespace` also counts the vertical tab, which `u8`'s test does not.
            (1, b[i].is_ascii_whitespace() || b[i] == 0x0b)
        } else {
            let c = text[i..].chars().next().expect("a char starts here");
            (c.len_utf8(), c.is_whitespace())
        };
        if !space {
            out.push_str(&text[i..i + len]);
        } else if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
        i += len;
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Render one cut text.
pub fn render(cut: &CutText) -> Rendered {
    let (mut r, html, needs_sanitising) = render_marked(cut, None);
    let html = if needs_sanitising { sanitise(&strip_comments(&html)) } else { html };
    r.html = if html.contains([SPAN_NOTICE_MARK, BLOCK_NOTICE_MARK]) {
        html.replace(SPAN_NOTICE_MARK, SPAN_NOTICE).replace(BLOCK_NOTICE_MARK, BLOCK_NOTICE)
    } else {
        html
    };
    r.digest = sha2::Digest::finalize(sha2::Digest::chain_update(sha2::Sha256::default(), r.html.as_bytes())).into();
    r
}

/// Where the first text of a section's body that its page would not show
/// starts, if any: Markdown that raw HTML before it swallows (into an
/// element the sanitiser removes whole, an attribute value left open, a
/// comment …), which search, listings and the contents would still read.
/// Decided by the page's own renderer and sanitiser rather than a reading
/// of its own: every text is rendered after a numbered mark, and a mark
/// the sanitised page no longer holds as text is text the page drops.
pub fn dropped_text(body: &str) -> Option<usize> {
    let cut = CutText { text: body.to_string(), synthetic: Vec::new(), figures: Vec::new() };
    let mut marks = Vec::new();
    let (_, html, needs_sanitising) = render_marked(&cut, Some(&mut marks));
    if !needs_sanitising {
        return None;
    }
    let page = sanitise(&strip_comments(&html));
    let mut shown = vec![false; marks.len()];
    for piece in page.split(TEXT_MARK_OPEN).skip(1) {
        let n = piece.split(TEXT_MARK_CLOSE).next().and_then(|n| n.parse::<usize>().ok());
        if let Some(seen) = n.and_then(|n| shown.get_mut(n)) {
            *seen = true;
        }
    }
    shown.iter().position(|s| !s).map(|n| marks[n])
}

/// Where the cut withheld a span or a block in an edition that shows it:
/// the notices are put in after sanitising, so that raw HTML elsewhere in
/// the section does not take their class (the sanitiser keeps no
/// `withheld` class an author could write).
const SPAN_NOTICE_MARK: char = '\u{E005}';
/// Where a line holding only withheld text so far began.
#[derive(Debug, Clone, Copy)]
enum LineStart {
    AfterBreak,
    Paragraph,
}

/// [`CUT_MARK`](crate::withhold::cut::CUT_MARK) as a `char`.
const CUT_CHAR: char = '\u{E003}';
const BLOCK_NOTICE_MARK: char = '\u{E006}';
const SPAN_NOTICE: &str = "<span class=\"withheld\">[withheld]</span>";
const BLOCK_NOTICE: &str = "<p class=\"withheld\">Content withheld from this edition</p>";

/// Marks around the number of a text, for [`dropped_text`]; sources never
/// hold them (`section::parse` replaces U+E000–U+E00F).
const TEXT_MARK_OPEN: char = '\u{E008}';
const TEXT_MARK_CLOSE: char = '\u{E009}';

/// A rendering before sanitising: the rendering (without its HTML), the
/// HTML, and whether it holds raw HTML. With `marks`, every shown text is
/// numbered (see [`dropped_text`]) and `marks` gets where each starts.
fn render_marked(cut: &CutText, marks: Option<&mut Vec<usize>>) -> (Rendered, String, bool) {
    let mut w = Renderer {
        r: Rendered { parts: vec![TextPart::default()], ..Default::default() },
        synthetic: &cut.synthetic,
        figure_blocks: &cut.figures,
        in_figure: false,
        cut_line: None,
        figure_count: 0,
        paras: Vec::new(),
        titled_image: None,
        events: Vec::new(),
        notes: Vec::new(),
        in_note: 0,
        heading: None,
        image: None,
        code: None,
        links: Vec::new(),
        needs_sanitising: false,
        table_align: Vec::new(),
        cell: 0,
        tables: 0,
        in_head: false,
        para_depth: 0,
        first_para_done: false,
        used_ids: Vec::new(),
        notes_seen: Default::default(),
        at: 0,
        marks: marks.as_ref().map(|_| Vec::new()),
    };
    // A footnote whose whole text was withheld goes with its references, as
    // if never written (numbers count only the notes shown).
    let emptied = emptied_notes(cut);
    let mut in_emptied = 0usize;
    for (ev, range) in Parser::new_ext(&cut.text, markdown_options()).into_offset_iter() {
        if let Some(k) = crate::markup::structure_kind(&ev) {
            w.r.structure.push((range.start, k));
        }
        if !emptied.is_empty() {
            match &ev {
                Event::FootnoteReference(l) if emptied.contains(&unicase::UniCase::new(l.to_string())) => continue,
                Event::Start(Tag::FootnoteDefinition(l))
                    if in_emptied > 0 || emptied.contains(&unicase::UniCase::new(l.to_string())) =>
                {
                    in_emptied += 1;
                    continue;
                }
                Event::End(TagEnd::FootnoteDefinition) if in_emptied > 0 => {
                    in_emptied -= 1;
                    continue;
                }
                _ if in_emptied > 0 => continue,
                _ => {}
            }
        }
        w.event(ev, range.start);
    }
    let mut html = String::with_capacity(cut.text.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, w.events.into_iter());
    if !w.notes.is_empty() {
        html.push_str("<section class=\"footnotes\" aria-label=\"Footnotes\">\n");
        pulldown_cmark::html::push_html(&mut html, w.notes.into_iter());
        html.push_str("</section>\n");
    }
    // A list item whose whole content was withheld leaves no empty bullet
    // (nor a task's bare checkbox, which would tell whether it was done).
    // Nor does a paragraph that held only a cut mark (a withheld definition).
    // A quote left empty goes too (the theme draws its bar), and so may the
    // quote around it.
    const EMPTY: [&str; 8] = [
        "<li></li>\n",
        "<li>\n</li>\n",
        "<li><input disabled=\"\" type=\"checkbox\"/>\n</li>\n",
        "<li><input disabled=\"\" type=\"checkbox\" checked=\"\"/>\n</li>\n",
        "<p></p>\n",
        "<blockquote>\n</blockquote>\n",
        "<ul>\n</ul>\n",
        "<ol>\n</ol>\n",
    ];
    while EMPTY.iter().any(|e| memchr::memmem::find(html.as_bytes(), e.as_bytes()).is_some()) {
        html = EMPTY.iter().fold(html, |h, e| h.replace(e, ""));
    }
    drop_empty_numbered_lists(&mut html);
    if let (Some(out), Some(found)) = (marks, w.marks.take()) {
        *out = found;
    }
    let mut r = w.r;
    for p in &mut r.parts {
        p.text = squash_whitespace(&p.text);
    }
    r.parts.retain(|p| !p.text.is_empty() || !p.heading.is_empty());
    r.first_paragraph = squash_whitespace(&r.first_paragraph);
    (r, html, w.needs_sanitising)
}

/// Fill a rendering's placeholders: `urls[n]` is the page-relative URL of
/// target n, or `None` when it is not in this edition (the link becomes its
/// text; an image is dropped). `title` names the page's table regions;
/// `local` prefixes the page's own footnote ids (on a page of many sections).
pub fn fill(html: &str, urls: &[Option<String>], title: &str, local: &str) -> String {
    fill_with(html, urls, title, local, &|_, _| None)
}

/// [`fill`], with what only the edition's view knows: `more('i', n)`, the
/// attributes after an image's `src` (its size and smaller copies, already
/// escaped, as `" width="…" … loading="lazy`), and `more('F', n)`, the HTML of
/// figure n (drawn and escaped by [`crate::figures`]). Neither is read for
/// placeholders again.
pub fn fill_with(
    html: &str,
    urls: &[Option<String>],
    title: &str,
    local: &str,
    more: &dyn Fn(char, usize) -> Option<String>,
) -> String {
    if !html.contains(MARK_OPEN) {
        return html.to_string();
    }
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
        let number = token[kind.len_utf8()..].parse::<usize>().ok();
        let url = number.and_then(|n| urls.get(n).cloned().flatten());
        match (kind, url) {
            ('a', Some(u)) => {
                out.push_str("<a href=\"");
                out.push_str(&escape(&u));
                out.push_str("\">");
            }
            ('/', Some(_)) => out.push_str("</a>"),
            ('u', Some(u)) => out.push_str(&escape(&u)),
            ('i', Some(u)) => {
                out.push_str(&escape(&u));
                if let Some(attrs) = number.and_then(|n| more('i', n)) {
                    out.push_str(&attrs);
                }
            }
            ('F', _) => {
                if let Some(figure) = number.and_then(|n| more('F', n)) {
                    out.push_str(&figure);
                }
            }
            ('T', _) => out.push_str(&escape(title)),
            ('f', _) => {
                out.push('#');
                out.push_str(&escape(local));
                out.push_str("fn-");
                out.push_str(&token[1..]);
            }
            _ => {}
        }
    }
    out.push_str(rest);
    // An image whose file is not in this edition goes whole.
    strip_empty_images(&out)
}

fn strip_empty_images(html: &str) -> String {
    if !html.contains("<img src=\"\"") {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find("<img src=\"\"") {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        rest = after.find('>').map_or("", |j| &after[j + 1..]);
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cut_mark_is_one_char() {
        assert_eq!(CUT_CHAR.to_string(), crate::withhold::cut::CUT_MARK);
    }

    #[test]
    fn squashing_whitespace_is_splitting_and_joining() {
        let pieces = ["a", "bc", " ", "  ", "\t", "\n", "\r", "\u{b}", "\u{c}", "\u{a0}", "\u{2028}", "é", "\u{85}"];
        let mut r = crate::testing::Rng(0x1234_5678_9ABC_DEF1);
        for case in 0..20_000 {
            let text: String = (0..r.below(12)).map(|_| pieces[r.below(pieces.len())]).collect();
            let slow = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(squash_whitespace(&text), slow, "case {case}: {text:?}");
        }
    }

    fn plain(text: &str) -> Rendered {
        render(&CutText { text: text.to_string(), synthetic: Vec::new(), figures: Vec::new() })
    }

    #[test]
    fn renders_headings_tables_code_and_footnotes() {
        let r = plain("# Top\n\n## Top\n\n## Named {#mine}\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n\n```yaml\nk: v\n```\n\nText[^n].\n\n[^n]: Note.\n");
        assert_eq!(r.headings.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(), ["top", "top-1", "mine"]);
        assert_eq!(r.headings[2].text, "Named");
        assert!(r.html.contains("<h2 id=\"mine\">Named</h2>"), "{}", r.html);
        assert!(r.html.contains("<th scope=\"col\" class=\"align-left\">a</th>"), "{}", r.html);
        assert!(r.html.contains("<td class=\"align-right\">2</td>"), "{}", r.html);
        assert!(!r.html.contains("style="), "{}", r.html);
        assert!(r.html.contains("hl-"), "{}", r.html);
        let foot = r.html.find("class=\"footnotes\"").unwrap();
        assert!(r.html[foot..].contains("Note.") && r.html[foot..].contains("id=\"fn-1\""), "{}", r.html);
        let filled = fill(&r.html, &[], "T", "s--");
        assert!(filled.contains("<a href=\"#s--fn-1\">1</a>"), "{filled}");
        assert_eq!((r.parts[1].anchor.as_str(), r.parts[1].heading.as_str()), ("top-1", "Top"));
    }

    #[test]
    fn highlighted_code_is_the_same_from_the_cache_and_keyed_by_language() {
        let code = "k: v\nlist: [1, 2]\n";
        let first = highlight(code, "yaml");
        assert!(first.contains("hl-"), "{first}");
        assert_eq!(highlight(code, "yaml"), first, "from the cache");
        assert_eq!(highlight_uncached(code, "yaml"), first);
        let other = highlight(code, "text-nothing-knows");
        assert_eq!(other, highlight_uncached(code, "text-nothing-knows"));
        assert_ne!(other, first, "a block in another language is not the cached one");
        let long = "k: v\n".repeat(HIGHLIGHTED_BLOCK_MAX / 4);
        assert_eq!(highlight(&long, "yaml"), highlight_uncached(&long, "yaml"), "long blocks are highlighted afresh");
    }

    #[test]
    fn links_become_placeholders_and_fill_or_vanish() {
        let r = plain("See [drugs](../threats/drugs.md#county-lines) and ![map](map.png).\n");
        assert_eq!(r.targets.len(), 2);
        let shown = fill(&r.html, &[Some("../drugs.html#county-lines".into()), Some("../files/1.png".into())], "T", "");
        assert!(shown.contains("<a href=\"../drugs.html#county-lines\">drugs</a>"), "{shown}");
        assert!(shown.contains("<img src=\"../files/1.png\" alt=\"map\">"), "{shown}");
        let hidden = fill(&r.html, &[None, None], "T", "");
        assert!(hidden.contains("See drugs and ."), "{hidden}");
        assert!(!hidden.contains("county") && !hidden.contains("img"), "{hidden}");
    }

    #[test]
    fn headings_take_the_same_path_as_the_body() {
        let r = plain("## See [b](b.md) <img src=x onerror=alert(1)> <meta http-equiv=\"refresh\" content=\"0;url=http://127.0.0.1:9/\"> <!-- c -->\n");
        assert_eq!(r.targets.len(), 1, "the heading's link is a placeholder");
        for bad in ["b.md", "onerror", "meta", "refresh", "127.0.0.1", "<!--"] {
            assert!(!r.html.contains(bad), "{bad} in {}", r.html);
        }
    }

    #[test]
    fn raw_html_is_sanitised_and_comments_removed() {
        let r = plain("<!-- SECRET NOTE -->\n\n<p onclick=\"x()\">hi<script>alert(1)</script><iframe src=\"https://x\"></iframe><img src=\"https://evil/x.png\"><a href=\"javascript:bad()\">j</a><form action=x><base href=x></p>\n");
        for bad in ["SECRET NOTE", "onclick", "script", "iframe", "evil", "javascript", "form", "base"] {
            assert!(!r.html.contains(bad), "{bad} in {}", r.html);
        }
        assert!(r.html.contains("hi"));
    }

    #[test]
    fn text_the_sanitised_page_drops_is_found_where_it_starts() {
        // Each body: raw HTML, then text that html5ever (the sanitiser's
        // parser) reads as inside something the page does not show as text.
        let dropped = [
            // A bogus `<?` comment ends at the first `>`, quoted or not; the `<script>` after it opens.
            "<?php a=\">\" <script> ?>\n\nSWALLOWED text\n",
            // An attribute value left open takes the paragraphs after it.
            "<div title=\"\n\nSWALLOWED **text**\n\n\">\n</div>\n",
            "<div data-x='\n\nSWALLOWED text\n\n'>\n</div>\n",
            // Code and image text count too.
            "<svg>\n\n    SWALLOWED code\n",
            "<template>\n\n![SWALLOWED alt](a.png)\n",
            "<noscript>\n\n`SWALLOWED` code\n",
        ];
        for body in dropped {
            let at = dropped_text(body).unwrap_or_else(|| panic!("not found in {body:?}"));
            assert!(
                body[at..].trim_start_matches(['*', '`', '!', '[', ' ']).starts_with("SWALLOWED"),
                "{body:?} at {at}"
            );
        }
        let shown = [
            "No raw HTML at all, **bold** and `code`.\n",
            "Intro <span title=\"a>b\">x</span> text <!-- note --> end.\n",
            "<details><summary>More</summary>\n\nInside **details**.\n\n</details>\n",
            "<table><tr><td>\n\nCell **text**\n\n</td></tr></table>\n",
            "<script>\n\nraw, not Markdown: pulldown-cmark keeps it in the HTML block\n\n</script>\n\nAfter.\n",
            "<abbr title=\"caf\u{e9}\">SOC</abbr> and <b>bold</b>\n\n```rust\nfn main() {}\n```\n",
        ];
        for body in shown {
            assert_eq!(dropped_text(body), None, "{body:?}");
        }
    }

    #[test]
    fn an_email_autolink_is_a_mail_link() {
        let r = plain("Write to <team@northshire.example>.\n");
        assert!(r.html.contains("href=\"mailto:team@northshire.example\""), "{}", r.html);
        assert!(r.targets.is_empty(), "not a file of the profile: {:?}", r.targets);
    }

    #[test]
    fn raw_html_cannot_draw_a_marking_banner_or_withheld_notice() {
        let r = plain("<div class=\"marking-banner marking-official marking-top note\">OFFICIAL</div>\n\n<p class=\"Withheld\">x</p>\n\n<span class=\"caveat copy-mark draft-stamp\">y</span>\n\n<span class=\"visually-hidden\">z</span> <b class=\"skip-link\">w</b>\n");
        for theirs in ["marking", "ithheld", "caveat", "copy-mark", "draft", "hidden", "skip"] {
            assert!(!r.html.contains(theirs), "{theirs} in {}", r.html);
        }
        assert!(r.html.contains("class=\"note\""), "other classes stay: {}", r.html);
        // Classes print.css leaves off paper: shown on screen, read by search, never printed.
        let r = plain("<p class=\"sidebar box\">a</p>\n\n<p class=\"notice pager site-nav csv-link quick-links search-more toc\">b</p>\n");
        for theirs in ["sidebar", "notice", "pager", "nav", "csv", "quick", "search", "toc"] {
            assert!(!r.html.contains(theirs), "{theirs} in {}", r.html);
        }
        assert!(r.html.contains("class=\"box\""), "{}", r.html);
    }

    #[test]
    fn comments_go_as_authors_mean_them() {
        for html in [
            "<!--->note zq for partners <!-- end -->\n",
            "<!-- note --!> zq secret <!-- end -->\n",
            "x <!--> zq <!-- -->\n",
        ] {
            let r = plain(html);
            assert!(!r.html.contains("zq"), "{html}: {}", r.html);
        }
    }

    #[test]
    fn raw_html_paths_are_dropped() {
        let r = plain("<a href=\"secret-op.md\">x</a> <img src=\"op-map.png\" alt=\"m\"> <a href=\"#top\">t</a> <a href=\"https://gov.uk\">g</a>\n");
        for bad in ["secret-op", "op-map"] {
            assert!(!r.html.contains(bad), "{bad} in {}", r.html);
        }
        assert!(
            !r.html.contains("#top") && r.html.contains("https://gov.uk"),
            "anchors in raw HTML go too: {}",
            r.html
        );
    }

    #[test]
    fn refused_links_are_plain_text() {
        let r = plain("[x](javascript:alert(1)) [y](data:text/html,z)\n");
        assert!(!r.html.contains("href"), "{}", r.html);
    }

    #[test]
    fn synthetic_breaks_draw_nothing_or_the_notice() {
        let text = "a\n\n___\n\nb\n\n___\n\n---\n";
        let r = render(&CutText {
            text: text.into(),
            synthetic: vec![(3, Synthetic::Drop), (11, Synthetic::Notice)],
            figures: Vec::new(),
        });
        assert!(r.html.contains("Content withheld from this edition"), "{}", r.html);
        assert_eq!(r.html.matches("<hr").count(), 1, "the author's own rule stays: {}", r.html);
        // Beside raw HTML (sanitised), the notices keep their class.
        let text = format!("a <b>raw</b> {WITHHELD_SPAN} c\n\n___\n");
        let r = render(&CutText { text, synthetic: vec![(24, Synthetic::Notice)], figures: Vec::new() });
        assert!(r.html.contains("<span class=\"withheld\">[withheld]</span>"), "{}", r.html);
        assert!(r.html.contains("<p class=\"withheld\">Content withheld from this edition</p>"), "{}", r.html);
    }

    /// What the cut emptied (its marks only) goes; a notice, an image or
    /// any text keeps its heading, note or quote.
    #[test]
    fn emptied_headings_notes_and_quotes_go() {
        let r = plain(&format!(
            "# {CUT_MARK} *{CUT_MARK}* {{#x}}

## Kept

Text[^a][^b].

[^a]: > {CUT_MARK}

[^b]: Shown.

> > {CUT_MARK}
"
        ));
        assert_eq!(r.headings.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(), ["kept"]);
        assert!(
            r.html.contains("Text<sup class=\"footnote-reference\"><a href=\"\u{E001}f1\u{E002}\">1</a></sup>."),
            "{}",
            r.html
        );
        assert!(r.html.contains("id=\"fn-1\"") && r.html.contains("Shown.") && !r.html.contains("fn-2"), "{}", r.html);
        assert!(!r.html.contains("<blockquote>"), "{}", r.html);
        for kept in [format!("# {WITHHELD_SPAN}\n"), "# ![a map](m.png)\n".to_string(), format!("> {WITHHELD_SPAN}\n")]
        {
            let r = plain(&kept);
            assert!(r.html.contains("<h1") || r.html.contains("<blockquote>"), "{kept:?}: {}", r.html);
        }
    }

    #[test]
    fn emptied_numbered_lists_go_whatever_their_start() {
        let mut html =
            "<ol start=\"3\">\n</ol>\n<p>a</p>\n<ol start=\"x\">\n</ol>\n<ol start=\"12\">\n</ol>\n".to_string();
        drop_empty_numbered_lists(&mut html);
        assert_eq!(html, "<p>a</p>\n<ol start=\"x\">\n</ol>\n");
    }
}
