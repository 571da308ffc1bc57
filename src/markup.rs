//! Blocks and spans: the audience and marking markup inside a section's body,
//! found in pulldown-cmark's own reading of the text. There is no second
//! Markdown reader: what is code, what is a container and where a line ends
//! is decided by pulldown-cmark, with the same options the renderer uses.
//!
//! How a body is read:
//! 1. pulldown-cmark reads the text. Lines of three or more colons (after
//!    blockquote and list markers) that it reads as paragraph or table text
//!    are fence candidates; colons it reads as code or HTML stay text.
//! 2. Each candidate's colons and attributes are replaced by `___`, a
//!    thematic break, padded to the same length, and pulldown-cmark reads
//!    the text again. A thematic break is never a lazy continuation, so the
//!    fence lands in the container its own line names (`> :::` inside the
//!    quote, `:::` after a list outside it). This second reading is *the*
//!    reading: blocks pair fences in the same container; spans are `[…]{…}`
//!    in its inline text; links, footnotes and reference definitions are its
//!    own. Pages are later rendered from this same text, minus what an
//!    edition may not see, so every edition's text reads the same way.
//! 3. The lenient scan ([`crate::withhold::residue`]) then refuses anything
//!    that looks like restriction syntax and was not consumed here.

use crate::config::Profile;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::marking::Marking;
use crate::suggest::did_you_mean;
use pulldown_cmark::{CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};
use rustc_hash::FxHashMap;
use std::ops::Range;
use std::path::Path;
use unicase::UniCase;

/// How Markdown is read, everywhere. Heading attributes (`{#id .class k=v}`)
/// are off: that extension would swallow `{audience=…}` after a heading
/// without a trace. A heading's `{#id}` is read by the renderer instead.
pub fn markdown_options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

/// Who may see something: every edition, or the listed edition ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    All,
    Only(Vec<String>),
}

impl Audience {
    pub fn includes(&self, edition: &str) -> bool {
        match self {
            Audience::All => true,
            Audience::Only(ids) => ids.iter().any(|i| i == edition),
        }
    }
    pub fn describe(&self) -> String {
        match self {
            Audience::All => "all".into(),
            Audience::Only(ids) => ids.join(" "),
        }
    }
}

/// The attributes of a block or span. Absent attributes inherit from what encloses them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attrs {
    pub audience: Option<Audience>,
    pub classification: Option<Marking>,
    pub handling: Vec<String>,
    /// `{otherwise}`: shown exactly where every restricted span or block
    /// just before it is withheld (the alternative text idiom).
    pub otherwise: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegionKind {
    /// `::: {…}` … `:::`. `open` and `close` are the fence lines' `___`
    /// replacements (from after any container prefix to the end of the line).
    Block { open: Range<usize>, close: Range<usize> },
    /// `[text]{…}`: the `[` is at `range.start`; `hinge` is `]{…}`.
    Span { hinge: Range<usize> },
}

/// A block or span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    pub kind: RegionKind,
    pub attrs: Attrs,
    /// File line of the `[` or the opening fence.
    pub line: usize,
    /// A block from its opening fence to the end of its closing fence line; a span from `[` to `}`.
    pub range: Range<usize>,
    /// The innermost region enclosing this one.
    pub parent: Option<usize>,
    /// For `{otherwise}`: the restricted regions it stands in for.
    pub alternative_to: Vec<usize>,
}

impl Region {
    /// The text inside, markup excluded (for the owner's report).
    pub fn inner<'a>(&self, text: &'a str) -> &'a str {
        match &self.kind {
            RegionKind::Block { open, close } => text[open.end..close.start].trim(),
            RegionKind::Span { hinge } => &text[self.range.start + 1..hinge.start],
        }
    }
}

/// A footnote or link-reference definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Def {
    /// Normalised label (case-folded, whitespace collapsed).
    pub label: String,
    pub range: Range<usize>,
    pub line: usize,
    pub region: Option<usize>,
}

/// A footnote reference `[^label]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub label: String,
    pub range: Range<usize>,
    pub line: usize,
    pub region: Option<usize>,
}

/// A link or image, as pulldown-cmark read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub url: String,
    pub range: Range<usize>,
    pub line: usize,
    pub is_image: bool,
    /// For `[text][label]`, `[label][]` and `[label]`: the definition it
    /// uses, by its range, as pulldown-cmark matched it.
    pub reference: Option<Range<usize>>,
    /// For those: the link text's range, between its brackets.
    pub text_range: Option<Range<usize>>,
    /// `{if-withheld="text"}` after the link: its range (always removed).
    pub if_withheld: Option<Range<usize>>,
    /// The link's text (or an image's alt text), plain.
    pub text: String,
    pub region: Option<usize>,
}

/// A fenced block whose info string names a figure (```` ```chart ````,
/// ```` ```map ````), as read: its text is the figure's description, never
/// Markdown ([`crate::figures`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FigureBlock {
    /// The info string (`chart`, `map`).
    pub info: String,
    /// The block's text, without its fences.
    pub yaml: String,
    /// File line of the opening fence.
    pub line: usize,
    /// File line of the block's first line of text.
    pub first_line: usize,
    /// The code block, from its opening fence.
    pub range: Range<usize>,
    pub region: Option<usize>,
}

/// A section body as read once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Body {
    /// Where each piece of Markdown structure starts, and its kind
    /// ([`structure_kind`]), as the reading found them.
    pub structure: Vec<(usize, u8)>,
    /// The body with line endings normalised and each fence replaced by `___`
    /// (same byte length, so offsets and lines are the author's).
    pub text: String,
    /// The body as written (line endings normalised), for the owner's report.
    pub source: String,
    /// File line of the body's first line.
    pub first_line: usize,
    /// Where `text`'s lines end, to find a line by offset.
    pub lines: Lines,
    /// In order of their start.
    pub regions: Vec<Region>,
    pub footnote_defs: Vec<Def>,
    pub footnote_refs: Vec<Mention>,
    pub link_defs: Vec<Def>,
    pub links: Vec<Link>,
    /// Chart and map blocks, in order.
    pub figures: Vec<FigureBlock>,
}

impl Body {
    /// File line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        self.lines.line(offset)
    }
}

/// The file lines of one text's byte offsets, found by a binary search
/// over where its lines end: counting from the start for every offset
/// made reading a long section (every line of code, every link, every
/// structure an edition's cut expects) quadratic.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lines {
    ends: Vec<usize>,
    first_line: usize,
}

impl Lines {
    pub fn new(text: &str, first_line: usize) -> Lines {
        let ends = text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i).collect();
        Lines { ends, first_line }
    }

    /// As [`line_at`]: the first line plus the line ends before `offset`.
    pub fn line(&self, offset: usize) -> usize {
        self.first_line + self.ends.partition_point(|&e| e < offset)
    }
}

pub fn line_at(text: &str, offset: usize, first_line: usize) -> usize {
    first_line + text.as_bytes()[..offset.min(text.len())].iter().filter(|b| **b == b'\n').count()
}

/// A set of byte ranges, merged where they overlap or touch, that answers
/// whether an offset lies in any of them by a binary search.
#[derive(Debug, Clone, Default)]
pub struct Spans(Vec<Range<usize>>);

impl Spans {
    pub fn new(ranges: impl IntoIterator<Item = Range<usize>>) -> Spans {
        let mut all: Vec<Range<usize>> = ranges.into_iter().filter(|r| r.start < r.end).collect();
        all.sort_by_key(|r| r.start);
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(all.len());
        for r in all {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        Spans(merged)
    }

    pub fn contains(&self, at: usize) -> bool {
        let i = self.0.partition_point(|r| r.end <= at);
        self.0.get(i).is_some_and(|r| r.start <= at)
    }
}

/// Kinds of Markdown structure a cut may take away with the text that
/// holds them, but never make, unmake or move: if an edition's cut text
/// reads as one where the section as written has none (or none where it
/// has one), the cut changed how the text reads (a table, code, a link or
/// a tag formed or lost where a span or footnote reference was taken out).
/// Paragraphs, breaks and emphasis are left out: a cut makes those harmlessly.
pub const STRUCTURE_KINDS: [&str; 14] = [
    "heading",
    "block quote",
    "code block",
    "HTML block",
    "list",
    "list item",
    "footnote",
    "table",
    "table cell",
    "link",
    "image",
    "inline code",
    "inline HTML",
    "footnote reference",
];

/// Kinds before this index in [`STRUCTURE_KINDS`] are blocks; from it on, inline.
pub const FIRST_INLINE_KIND: usize = 9;

/// The index in [`STRUCTURE_KINDS`] of the structure an event starts, if any.
pub fn structure_kind(ev: &Event) -> Option<u8> {
    let k = match ev {
        Event::Start(Tag::Heading { .. }) => 0,
        Event::Start(Tag::BlockQuote(_)) => 1,
        Event::Start(Tag::CodeBlock(_)) => 2,
        Event::Start(Tag::HtmlBlock) => 3,
        Event::Start(Tag::List(_)) => 4,
        Event::Start(Tag::Item) => 5,
        Event::Start(Tag::FootnoteDefinition(_)) => 6,
        Event::Start(Tag::Table(_)) => 7,
        Event::Start(Tag::TableCell) => 8,
        Event::Start(Tag::Link { .. }) => 9,
        Event::Start(Tag::Image { .. }) => 10,
        Event::Code(_) => 11,
        Event::InlineHtml(_) => 12,
        Event::FootnoteReference(_) => 13,
        _ => return None,
    };
    Some(k)
}

/// Where restriction-like text may legitimately sit, for the lenient scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    /// Code: a fence left open, or a stray backtick, would swallow real
    /// restrictions into it, so restriction syntax here is an error.
    Code,
    /// Indented code block: often an accident of indentation (an error).
    IndentedCode,
    /// Raw HTML and HTML comments (an error: a wrapper tag swallows what
    /// follows it, and browsers end comments where authors do not expect).
    Html,
}

/// What the reading consumed and where code and HTML are: input to
/// [`crate::withhold::residue::refuse`].
#[derive(Debug, Clone, Default)]
pub struct Reading {
    /// Byte ranges read as restriction syntax (fence lines, `[`, `]{…}`,
    /// `{if-withheld=…}`) or already reported as malformed.
    pub consumed: Vec<Range<usize>>,
    pub zones: Vec<(Range<usize>, Zone)>,
    /// Heading ranges (attributes after a heading are not read).
    pub headings: Vec<Range<usize>>,
    /// Each paragraph, heading, table cell and HTML block as a browser shows
    /// it: the pieces of text it displays, in order, each with the source
    /// range it comes from. Tags, comments, emphasis and link syntax show
    /// nothing, so `[x]<b></b>{aud*ience*=…}` shows `[x]{audience=…}`; the
    /// lenient scan reads this too.
    pub display: Vec<Vec<(Range<usize>, String)>>,
}

/// What attributes may name, checked while reading.
pub struct Vocabulary<'a> {
    pub profile: &'a Profile,
}

/// A problem: (message, help).
pub type Problem = (String, String);

impl Vocabulary<'_> {
    /// Edition ids or `all`; an empty list is an error, never "everyone".
    pub fn audience(&self, ids: &[String]) -> Result<Audience, Problem> {
        if ids.is_empty() {
            return Err((
                "audience is empty".into(),
                "list edition ids, or `all`; nothing is published by default".into(),
            ));
        }
        if ids.iter().any(|i| i == "all") {
            if ids.len() > 1 {
                return Err((
                    "`all` cannot be combined with edition ids".into(),
                    "write either `all` or a list of edition ids".into(),
                ));
            }
            return Ok(Audience::All);
        }
        for id in ids {
            if self.profile.edition(id).is_none() {
                let known: Vec<&str> = self.profile.editions.iter().map(|e| e.id.as_str()).collect();
                return Err((
                    format!("unknown edition `{id}` in audience"),
                    format!(
                        "{}use edition ids from brief.yaml: {}, or `all`",
                        did_you_mean(id, known.iter().copied().chain(["all"])),
                        known.join(", ")
                    ),
                ));
            }
        }
        Ok(Audience::Only(ids.to_vec()))
    }

    pub fn marking(&self, text: &str) -> Result<Marking, Problem> {
        let m = Marking::parse(text).map_err(|e| (e.message, e.help))?;
        if m > self.profile.ceiling {
            return Err((
                format!("{m} content is above this system's ceiling ({})", self.profile.ceiling),
                "it must not be stored here at all: remove it from the source and hold it on a system accredited for that marking".into(),
            ));
        }
        Ok(m)
    }

    pub fn handling(&self, caveats: &[String]) -> Result<Vec<String>, Problem> {
        for c in caveats {
            if !self.profile.handling.iter().any(|h| h == c) {
                return Err((
                    format!("unknown handling caveat `{c}`"),
                    format!(
                        "{}use one of: {} (or extend `handling:` in brief.yaml)",
                        did_you_mean(c, self.profile.handling.iter().map(String::as_str)),
                        self.profile.handling.join(", ")
                    ),
                ));
            }
        }
        Ok(caveats.to_vec())
    }
}

/// `key="value" key2='v' key3=v`, as (key, value) pairs.
fn split_attrs(src: &str) -> Result<Vec<(String, String)>, Problem> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut rest = src.trim();
    while !rest.is_empty() {
        let eq = rest.find('=').ok_or_else(|| {
            (
                format!("cannot read attribute `{rest}`"),
                "write attributes as key=\"value\", e.g. {audience=\"partnership\"}".to_string(),
            )
        })?;
        let key = rest[..eq].trim().to_string();
        let after = rest[eq + 1..].trim_start();
        let (value, remaining) = match after.chars().next() {
            Some(q @ ('"' | '\'' | '“' | '”' | '‘' | '’')) => {
                let body = &after[q.len_utf8()..];
                let close = body.find(['"', '\'', '“', '”', '‘', '’']).ok_or_else(|| {
                    (format!("unclosed quote in attribute `{key}`"), format!("close the value with {q}"))
                })?;
                let closing = body[close..].chars().next().expect("found");
                (&body[..close], &body[close + closing.len_utf8()..])
            }
            _ => {
                let end = after.find(char::is_whitespace).unwrap_or(after.len());
                (&after[..end], &after[end..])
            }
        };
        if key.is_empty() || key.contains(char::is_whitespace) {
            return Err((
                format!("cannot read attribute `{}`", rest.trim()),
                "write attributes as key=\"value\", separated by spaces".into(),
            ));
        }
        if out.iter().any(|(k, _)| *k == key) {
            return Err((format!("attribute `{key}` is given twice"), "give each attribute once".into()));
        }
        out.push((key, value.to_string()));
        rest = remaining.trim_start();
    }
    Ok(out)
}

/// A list value of an attribute: words separated by spaces or commas.
fn list(value: &str) -> Vec<String> {
    value.split(|c: char| c.is_whitespace() || c == ',').filter(|s| !s.is_empty()).map(str::to_string).collect()
}

const BLOCK_ATTRS: [&str; 3] = ["audience", "classification", "handling"];

/// Parse the inside of a block's or span's `{…}`.
pub fn parse_attrs(src: &str, vocab: &Vocabulary) -> Result<Attrs, Problem> {
    if src.trim() == "otherwise" {
        return Ok(Attrs { otherwise: true, ..Attrs::default() });
    }
    if src.trim().is_empty() {
        return Err((
            "empty attributes `{}`".into(),
            "give an `audience` and/or `classification`, e.g. {audience=\"partnership\"}".into(),
        ));
    }
    let mut attrs = Attrs::default();
    for (key, value) in split_attrs(src)? {
        if value.trim().is_empty() {
            return Err((
                format!("attribute `{key}` is empty"),
                "give it a value; an empty value is never read as \"everyone\"".into(),
            ));
        }
        match key.as_str() {
            "audience" => attrs.audience = Some(vocab.audience(&list(&value))?),
            "classification" => attrs.classification = Some(vocab.marking(value.trim())?),
            "handling" => {
                let caveats: Vec<String> =
                    value.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
                attrs.handling = vocab.handling(&caveats)?;
            }
            "otherwise" => {
                return Err((
                    "`otherwise` stands alone".into(),
                    "write `{otherwise}` with no other attributes: it shows where the restricted text before it is withheld".into(),
                ))
            }
            other => {
                return Err((
                    format!("unknown attribute `{other}`"),
                    format!(
                        "{}blocks and spans take only `audience`, `classification` and `handling`; nothing is guessed",
                        did_you_mean(other, BLOCK_ATTRS)
                    ),
                ))
            }
        }
    }
    if attrs.audience.is_none() && attrs.classification.is_none() && !attrs.otherwise {
        return Err((
            "a block or span needs `audience` or `classification`".into(),
            "add e.g. audience=\"partnership\"".into(),
        ));
    }
    Ok(attrs)
}

/// `{if-withheld="text"}` after a link: shown as its text where the target is withheld.
fn parse_link_attrs(src: &str) -> Result<(), Problem> {
    let pairs = split_attrs(src)?;
    match pairs.as_slice() {
        [(k, v)] if k == "if-withheld" && v == "text" => Ok(()),
        [(k, v)] if k == "if-withheld" => Err((
            format!("`if-withheld=\"{v}\"` is not a choice"),
            "write `{if-withheld=\"text\"}`: the link shows as plain text where its target is withheld".into(),
        )),
        _ => Err((
            "attributes after a link are not read as restriction syntax".into(),
            "to restrict a link, put it in a span: `[[text](file.md)]{audience=\"…\"}`; to show only its text where its target is withheld, write `[text](file.md){if-withheld=\"text\"}`".into(),
        )),
    }
}

/// Length of a line's container prefix (indentation, `>`, list markers), read
/// strictly: each list marker must be followed by a space or tab.
fn container_prefix(line: &str) -> usize {
    crate::withhold::residue::lenient_prefix(line)
}

/// A fence line after its container prefix: (colons, attributes text if any).
fn fence_syntax(rest: &str) -> Option<(usize, Option<&str>)> {
    let colons = rest.bytes().take_while(|b| *b == b':').count();
    if colons < 3 {
        return None;
    }
    let after = rest[colons..].trim_end_matches(['\n', '\r']).trim();
    if after.is_empty() {
        return Some((colons, None));
    }
    let inner = after.strip_prefix('{')?.strip_suffix('}')?;
    Some((colons, Some(inner)))
}

#[derive(Debug, Clone)]
struct Candidate {
    /// Offset of the first colon.
    at: usize,
    /// End of the line (before its newline).
    end: usize,
    colons: usize,
    attrs: Option<String>,
}

/// Lines that look like fences, whose colons pulldown-cmark reads as
/// paragraph or table text (not code, not HTML).
fn fence_candidates(text: &str) -> Vec<Candidate> {
    let mut lines = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let p = container_prefix(line);
        if let Some((colons, attrs)) = fence_syntax(&line[p..]) {
            let end = start + line.trim_end_matches('\n').len();
            lines.push(Candidate { at: start + p, end, colons, attrs: attrs.map(str::to_string) });
        }
        start += line.len();
    }
    if lines.is_empty() {
        return lines;
    }
    // Text ranges inside paragraphs and table cells, as pulldown-cmark reads them.
    // Text whose innermost block is a paragraph, a table cell, or a tight
    // list item (whose text has no paragraph of its own) — never code.
    let mut text_ranges: Vec<Range<usize>> = Vec::new();
    let mut blocks: Vec<bool> = Vec::new();
    for (ev, r) in Parser::new_ext(text, markdown_options()).into_offset_iter() {
        match &ev {
            Event::Start(t) if !is_inline(&ev) => blocks.push(matches!(t, Tag::Paragraph | Tag::TableCell | Tag::Item)),
            Event::End(_) if !is_inline(&ev) => {
                blocks.pop();
            }
            Event::Text(_) if blocks.last() == Some(&true) => text_ranges.push(r),
            _ => {}
        }
    }
    lines.retain(|c| {
        let i = text_ranges.partition_point(|r| r.end <= c.at);
        text_ranges.get(i).is_some_and(|r| r.start <= c.at && c.at + c.colons <= r.end)
    });
    lines
}

/// One piece of inline text inside a paragraph, heading or cell.
#[derive(Debug, Clone)]
struct Segment {
    range: Range<usize>,
    /// The innermost emphasis, link or image around it (0: none).
    path: usize,
}

/// Whether the byte at `i` is escaped by an odd run of backslashes.
fn escaped(b: &[u8], i: usize) -> bool {
    b[..i].iter().rev().take_while(|c| **c == b'\\').count() % 2 == 1
}

/// Reading state for the second pass.
struct Reader<'a> {
    text: &'a str,
    lines: Lines,
    vocab: &'a Vocabulary<'a>,
    errors: Vec<(usize, String, String)>,
    reading: Reading,
    regions: Vec<Region>,
    /// Fence candidates found again as thematic breaks: (candidate, container id).
    fences: Vec<(usize, usize)>,
    containers: Vec<usize>,
    inline: Vec<usize>,
    next_id: usize,
    leaf: Vec<Segment>,
    /// What the current leaf block displays (see [`Reading::display`]).
    shown: Vec<(Range<usize>, String)>,
    /// Inside a code block: its text is code, never markup.
    in_code: bool,
    /// The fenced code block being read, and where its code text ends so far.
    fenced: Option<(Range<usize>, Option<usize>)>,
    /// The figure block being read, if the fenced block is one.
    figure: Option<FigureBlock>,
    figures: Vec<FigureBlock>,
    open_links: Vec<Link>,
    links: Vec<Link>,
    footnote_defs: Vec<Def>,
    footnote_refs: Vec<Mention>,
    refdefs: Option<&'a pulldown_cmark::RefDefs<'a>>,
    /// Raw HTML as the page's sanitiser reads it (see [`DroppedHtml`]).
    dropped: DroppedHtml,
}

/// Elements the page's sanitiser removes with everything in them
/// (`render::sanitise`). Markdown inside one is read by search, listings,
/// contents and attachments but never shown, so it is refused.
pub const DROPPED_ELEMENTS: [&str; 14] = [
    "script",
    "style",
    "textarea",
    "xmp",
    "iframe",
    "noscript",
    "noembed",
    "noframes",
    "title",
    "plaintext",
    "template",
    "object",
    "svg",
    "math",
];

/// Follows raw HTML across events as the page's renderer reads it: inside
/// a comment (from any `<!--`, in a tag or not, to the next `-->`, as
/// `render::strip_comments` cuts them), and inside which dropped element
/// (and how deep in elements of its name), if any. Tags are read with their
/// quoted attribute values; inside an element whose content is raw text
/// (`script`, `textarea` …) only its end tag counts. It errs towards inside:
/// only `svg` and `math` close themselves, with a `/` standing alone before `>`.
#[derive(Default)]
struct DroppedHtml {
    comment: Option<usize>,
    open: Option<(&'static str, usize, usize)>,
    reported: bool,
    /// Where a `-->` stood outside any comment, after one: not yet reported.
    stray_close: Option<usize>,
    /// Whether the section has held a comment so far.
    seen_comment: bool,
    /// The end of the text just before, when it was text.
    text_before: String,
}

/// Dropped elements whose content is text, not tags, up to their end tag.
const RAW_TEXT: [&str; 10] =
    ["script", "style", "textarea", "xmp", "iframe", "noscript", "noembed", "noframes", "title", "plaintext"];

impl DroppedHtml {
    fn follow(&mut self, html: &str, at: usize) {
        let mut i = 0;
        while i < html.len() {
            let rest = &html[i..];
            if self.comment.is_some() {
                let Some(end) = rest.find("-->") else { return };
                self.comment = None;
                i += end + 3;
                continue;
            }
            let lt = rest.find('<');
            if self.seen_comment && rest[..lt.unwrap_or(rest.len())].contains("-->") {
                self.stray_close = Some(at);
            }
            let Some(lt) = lt else { return };
            i += lt;
            let tag = &html[i..];
            if tag.starts_with("<!--") {
                (self.comment, self.reported, self.seen_comment) = (Some(at), false, true);
                i += 4;
                continue;
            }
            if let Some((name, _, _)) = self.open.filter(|(n, _, _)| RAW_TEXT.contains(n)) {
                // Only `</name` ends raw text; a `<!--` in it is still cut.
                let after = tag.as_bytes().get(2 + name.len()).copied();
                let close = tag.as_bytes().get(1) == Some(&b'/')
                    && tag.get(2..2 + name.len()).is_some_and(|n| n.eq_ignore_ascii_case(name))
                    && after.is_none_or(|c| c.is_ascii_whitespace() || c == b'/' || c == b'>');
                if close {
                    self.open = None;
                }
                i += 1;
                continue;
            }
            let (len, comment_at) = tag_len(tag);
            if let Some(c) = comment_at {
                (self.comment, self.reported, self.seen_comment) = (Some(at), false, true);
                i += c + 4;
                continue;
            }
            self.tag(&tag[..len], at);
            i += len.max(1);
        }
    }

    /// One whole tag, `<…>`.
    fn tag(&mut self, tag: &str, at: usize) {
        let (closing, body) = match tag[1..].strip_prefix('/') {
            Some(b) => (true, b),
            None => (false, &tag[1..]),
        };
        let len = body.bytes().take_while(u8::is_ascii_alphanumeric).count();
        let Some(&name) = DROPPED_ELEMENTS.iter().find(|n| n.eq_ignore_ascii_case(&body[..len])) else { return };
        let attrs = body[len..].trim_end_matches('>').trim_end();
        let self_closed = matches!(name, "svg" | "math")
            && attrs.strip_suffix('/').is_some_and(|a| a.is_empty() || a.ends_with([' ', '\t', '\n', '"', '\'']));
        match &mut self.open {
            None if !closing && !self_closed => (self.open, self.reported) = (Some((name, 1, at)), false),
            Some((open, depth, _)) if *open == name && !self_closed => {
                if closing {
                    *depth -= 1;
                } else {
                    *depth += 1;
                }
                if *depth == 0 {
                    self.open = None;
                }
            }
            _ => {}
        }
    }
}

/// How long the tag starting `tag` is, through its `>` outside quoted
/// attribute values (or all of `tag`); and where a `<!--` in it starts, if
/// one does: the page cuts a comment there, attribute value or not.
fn tag_len(tag: &str) -> (usize, Option<usize>) {
    let b = tag.as_bytes();
    let mut quote: Option<u8> = None;
    let mut last = b'<';
    for (i, &c) in b.iter().enumerate().skip(1) {
        if b[i..].starts_with(b"<!--") {
            return (i, Some(i));
        }
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if (c == b'"' || c == b'\'') && last == b'=' => quote = Some(c),
            None if c == b'>' => return (i + 1, None),
            None => {}
        }
        if !c.is_ascii_whitespace() {
            last = c;
        }
    }
    (tag.len(), None)
}

impl<'a> Reader<'a> {
    fn line(&self, offset: usize) -> usize {
        self.lines.line(offset)
    }

    fn error(&mut self, at: usize, message: impl Into<String>, help: impl Into<String>) {
        let line = self.line(at);
        self.errors.push((line, message.into(), help.into()));
    }

    fn new_id(&mut self) -> usize {
        self.next_id += 1;
        self.next_id
    }

    /// Spans in one run of inline text: `[` … `]{…}` at the same inline level.
    fn read_spans_with(&mut self, segs: Vec<Segment>, mut open: Vec<(usize, usize)>) {
        let b = self.text.as_bytes();
        let mut si = 0;
        let mut i = segs.first().map_or(0, |s| s.range.start);
        let mut hinges: Vec<usize> = Vec::new();
        let mut unmatched: Vec<usize> = Vec::new();
        while si < segs.len() {
            let Segment { range, path } = segs[si].clone();
            if i < range.start {
                i = range.start;
            }
            let mut jumped = false;
            while i < range.end {
                if b[i] == b'<' && self.text[i..].starts_with("<!--") {
                    self.error(
                        i,
                        "this `<!--` is not read as a comment (it is never closed), so what follows it is published",
                        "close the comment with `-->` in the same paragraph, or write `&lt;!--` to show it as text",
                    );
                }
                if b[i] == b'[' && !escaped(b, i) {
                    open.push((i, path));
                } else if b[i] == b']' && !escaped(b, i) {
                    let opener = open.pop();
                    if opener.is_none() {
                        unmatched.push(i);
                    }
                    let brace_is_text = b.get(i + 1) == Some(&b'{')
                        && (i + 1 < range.end || segs.get(si + 1).is_some_and(|s| s.range.start == i + 1));
                    if brace_is_text {
                        hinges.push(i);
                        if let Some((end, next_seg)) = self.read_hinge(&segs, si, i, opener, path) {
                            i = end;
                            if next_seg != si {
                                si = next_seg;
                                jumped = true;
                                break;
                            }
                            continue;
                        }
                    }
                }
                i += 1;
            }
            if !jumped {
                si += 1;
            }
        }
        // A `[` never closed, with a span after it: it might be where the
        // author meant that span to start. The reading is ambiguous: refuse it.
        // Likewise a `]` with no `[`, in a paragraph that holds a span: the
        // brackets do not pair up, so which text is restricted is a guess.
        if let (Some(&stray), Some(&hinge)) = (unmatched.iter().find(|u| !hinges.contains(u)), hinges.first()) {
            let line = self.line(stray);
            self.error(
                hinge,
                format!("the brackets of this paragraph do not pair up (the `]` at line {line} closes nothing), so its span is ambiguous"),
                "write literal brackets as `\\[` and `\\]` in a paragraph that holds a span",
            );
        }
        for (unclosed, _) in open {
            if let Some(&hinge) = hinges.iter().find(|h| **h > unclosed) {
                let line = self.line(unclosed);
                self.error(
                    hinge,
                    format!("this span is ambiguous: the `[` at line {line} before it is never closed, and might be where the span starts"),
                    "write a literal bracket as `\\[`, or close it with `]`, so that each span's `[` is clear",
                );
            }
        }
    }

    /// The `]{…}` at `close`: a span if `opener` matches, else an error.
    /// Returns where to go on: (offset after `}`, index of the segment holding it).
    fn read_hinge(
        &mut self,
        segs: &[Segment],
        si: usize,
        close: usize,
        opener: Option<(usize, usize)>,
        path: usize,
    ) -> Option<(usize, usize)> {
        let b = self.text.as_bytes();
        // Find the closing brace, quote-aware, through text and the gaps
        // between lines (newlines and blockquote markers only).
        let mut i = close + 2;
        let mut seg = si;
        let mut quote: Option<u8> = None;
        let end = loop {
            if i >= b.len() {
                break None;
            }
            while seg < segs.len() && segs[seg].range.end <= i {
                seg += 1;
            }
            let in_text = segs.get(seg).is_some_and(|s| s.range.start <= i);
            if !in_text && !matches!(b[i], b'\n' | b' ' | b'\t' | b'>') {
                break None;
            }
            if !in_text && seg >= segs.len() {
                break None;
            }
            match (quote, b[i]) {
                (None, b'"' | b'\'') => quote = Some(b[i]),
                (Some(q), c) if c == q => quote = None,
                (None, b'}') => break Some(i),
                _ => {}
            }
            i += 1;
        };
        let Some(brace_end) = end else {
            self.reading.consumed.push(close..close + 2);
            self.error(
                close,
                "span attributes are not closed with `}`",
                "close the braces; attributes may wrap lines, but must be plain text within one paragraph",
            );
            return None;
        };
        let hinge = close..brace_end + 1;
        self.reading.consumed.push(hinge.clone());
        // A leaf's segments are in order and apart: found by a binary search
        // (a paragraph of thousands of spans made a scan quadratic).
        let after = segs.partition_point(|s| s.range.end <= brace_end);
        let seg_of_end = segs.get(after).filter(|s| s.range.start <= brace_end).map_or(si, |_| after);
        let attrs_text: String = self.text[close + 2..brace_end]
            .lines()
            .map(|l| l.trim_start_matches(|c: char| c == '>' || c.is_whitespace()))
            .collect::<Vec<_>>()
            .join(" ");
        let Some((start, open_path)) = opener else {
            self.error(
                close,
                "stray `]{`: no `[` opens a span here",
                "a span is `[text]{audience=\"…\"}` within one paragraph; remove the `]{…}`, or add the `[`",
            );
            return Some((brace_end + 1, seg_of_end));
        };
        self.reading.consumed.push(start..start + 1);
        if open_path != path {
            self.error(
                close,
                "this span's `[` and `]` are inside different emphasis, links or images",
                "open and close a span at the same level: `[**text**]{…}`, not `**[text**]{…}`",
            );
            return Some((brace_end + 1, seg_of_end));
        }
        if self.text[start + 1..close].trim().is_empty() {
            self.error(
                close,
                "this span is empty",
                "put the restricted text between `[` and `]`, or remove the `[]{…}`",
            );
            return Some((brace_end + 1, seg_of_end));
        }
        match parse_attrs(&attrs_text, self.vocab) {
            Ok(attrs) => {
                let line = self.line(start);
                self.regions.push(Region {
                    kind: RegionKind::Span { hinge: hinge.clone() },
                    attrs,
                    line,
                    range: start..hinge.end,
                    parent: None,
                    alternative_to: Vec::new(),
                });
            }
            Err((m, h)) => self.error(close, m, h),
        }
        Some((brace_end + 1, seg_of_end))
    }

    fn flush_leaf(&mut self) {
        if !self.shown.is_empty() {
            let shown = std::mem::take(&mut self.shown);
            self.reading.display.push(shown);
        }
        if !self.leaf.is_empty() {
            let segs = std::mem::take(&mut self.leaf);
            self.read_spans_with(segs, Vec::new());
        }
    }
}

/// Is this event part of inline content?
fn is_inline(ev: &Event) -> bool {
    match ev {
        Event::Text(_)
        | Event::Code(_)
        | Event::InlineHtml(_)
        | Event::SoftBreak
        | Event::HardBreak
        | Event::FootnoteReference(_)
        | Event::TaskListMarker(_)
        | Event::InlineMath(_) => true,
        Event::Start(t) => matches!(
            t,
            Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Link { .. }
                | Tag::Image { .. }
                | Tag::Superscript
                | Tag::Subscript
        ),
        Event::End(t) => matches!(
            t,
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image
                | TagEnd::Superscript
                | TagEnd::Subscript
        ),
        _ => false,
    }
}

/// A label as written, collapsed for display.
pub fn normalise_label(label: &str) -> String {
    label.split_whitespace().collect::<Vec<_>>().join(" ")
}

// Labels name the same footnote or definition as pulldown-cmark matches
// them: by Unicode case folding, which `UniCase` compares and hashes.

/// Whether a fenced code block ends with its closing fence: as
/// pulldown-cmark read it, its last line is not code text. (An unclosed
/// fence runs to the end of its container, and its last line is code.)
fn fence_closed(text: &str, block: &Range<usize>, last_code_end: Option<usize>) -> bool {
    let body = text[block.clone()].strip_suffix('\n').unwrap_or(&text[block.clone()]);
    let Some(last_line) = body.rfind('\n').map(|i| block.start + i + 1) else { return false };
    last_code_end.is_none_or(|end| end <= last_line)
}

/// A line inside a fenced block that would open a fence of the same kind
/// (``` followed by a language): the sign of a fence left open above, which
/// turns text into code and the next code into text. Its offset, if any.
fn fence_inside(text: &str, block: &Range<usize>) -> Option<usize> {
    let body = &text[block.clone()];
    let first = body.lines().next()?;
    let opener = first.trim_start_matches(|c: char| c == '>' || c.is_whitespace());
    let c = opener.chars().next()?;
    let n = opener.chars().take_while(|x| *x == c).count();
    let mut at = block.start + first.len() + 1;
    for line in body.lines().skip(1) {
        let t = line.trim_start_matches(['>', ' ']);
        let run = t.chars().take_while(|x| *x == c).count();
        if run >= n && !t[run * c.len_utf8()..].trim().is_empty() && line.len() - t.len() < 4 + 2 {
            return Some(at);
        }
        at += line.len() + 1;
    }
    None
}

/// The text an HTML block shows: its tags and comments removed, in runs
/// with their source ranges (character references are decoded by the scan).
fn html_text(text: &str, block: Range<usize>) -> Vec<(Range<usize>, String)> {
    let b = text.as_bytes();
    let mut out: Vec<(Range<usize>, String)> = Vec::new();
    let mut i = block.start;
    let mut run = i;
    let flush = |out: &mut Vec<(Range<usize>, String)>, from: usize, to: usize| {
        if from < to {
            out.push((from..to, text[from..to].to_string()));
        }
    };
    while i < block.end {
        let rest = &text[i..block.end];
        let tag_end = if let Some(comment) = rest.strip_prefix("<!--") {
            Some(comment.find("-->").map_or(block.end, |e| i + 4 + e + 3))
        } else if b[i] == b'<' && b.get(i + 1).is_some_and(|c| c.is_ascii_alphabetic() || b"/!?".contains(c)) {
            Some(tag_end(b, i, block.end))
        } else {
            None
        };
        match tag_end {
            Some(end) => {
                flush(&mut out, run, i);
                i = end.min(block.end);
                run = i;
            }
            None => i += rest.chars().next().map_or(1, char::len_utf8),
        }
    }
    flush(&mut out, run, block.end);
    out
}

/// Where the tag starting at `<` (offset `i`) ends, as an HTML parser reads
/// it: at the first `>` outside a quoted attribute value, and a quote opens
/// a value only right after `=` (`<x a"b>` ends at its `>`).
fn tag_end(b: &[u8], i: usize, end: usize) -> usize {
    if matches!(b.get(i + 1), Some(b'!' | b'?')) {
        return b[i..end].iter().position(|c| *c == b'>').map_or(end, |p| i + p + 1);
    }
    // 0: names, 1: after `=`, 2: an unquoted value.
    let mut state = 0;
    let mut j = i + 1;
    while j < end {
        let c = b[j];
        match (state, c) {
            (_, b'>') => return j + 1,
            (0, b'=') => state = 1,
            (1, b'"' | b'\'') => {
                j += 1;
                while j < end && b[j] != c {
                    j += 1;
                }
                state = 0;
            }
            (1, b' ' | b'\t' | b'\n' | b'\r' | 0x0C) => {}
            (1, _) => state = 2,
            (2, b' ' | b'\t' | b'\n' | b'\r' | 0x0C) => state = 0,
            _ => {}
        }
        j += 1;
    }
    end
}

/// Whether some `<!--` in this raw HTML is never closed by `-->`.
fn unclosed_comment(html: &str) -> bool {
    html.rfind("<!--").is_some_and(|s| !html[s + 4..].contains("-->"))
}

/// The first attribute in raw HTML named like a restriction (`audience`,
/// `data-audience`, `classification`, `cleared-for`, or a near miss): the sanitiser drops
/// it and nothing reads it, so what it was meant to restrict would reach
/// every edition.
fn restricting_attribute(html: &str) -> Option<&str> {
    let b = html.as_bytes();
    let name_byte = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b':' | b'.') || c >= 0x80;
    for (i, _) in b.iter().enumerate().filter(|(_, &c)| c == b'=') {
        let end = i - b[..i].iter().rev().take_while(|c| c.is_ascii_whitespace()).count();
        let start = end - b[..end].iter().rev().take_while(|&&c| name_byte(c)).count();
        let Some(name) = html.get(start..end) else { continue };
        if crate::withhold::residue::restricting_name(name, true).is_some() {
            return Some(name);
        }
    }
    None
}

fn restricting_attribute_message(name: &str) -> String {
    format!("raw HTML has an attribute `{name}`, which is not read: the page drops it, and what it was to restrict goes to every edition")
}

const RESTRICTING_ATTRIBUTE_HELP: &str = "restrict text with a Markdown block (`::: {audience=…}` … `:::`) or span (`[text]{audience=…}`), as the authoring guide shows; raw HTML restricts nothing";

/// The first `href` or `src` in raw HTML that points into the profile (a
/// section or file): raw HTML is never resolved per edition.
fn raw_html_link(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    for attr in ["href", "src"] {
        let mut from = 0;
        while let Some(i) = lower[from..].find(attr).map(|i| from + i) {
            from = i + attr.len();
            let rest = lower[from..].trim_start();
            let Some(value) = rest.strip_prefix('=') else { continue };
            let value = value.trim_start().trim_start_matches(['"', '\'']);
            let end = value.find(['"', '\'', ' ', '>']).unwrap_or(value.len());
            let url = &value[..end];
            let web = url.starts_with('#') || crate::links::is_web(url);
            if !url.is_empty() && !web {
                return Some(url.to_string());
            }
        }
    }
    None
}

/// Read a section body once. `first_line` is the file line of the body's
/// first line. Returns the body, what was consumed (for the lenient scan),
/// and errors naming lines of `file`.
pub fn read(body: &str, first_line: usize, file: &Path, vocab: &Vocabulary) -> (Body, Reading, Diagnostics) {
    let candidates = fence_candidates(body);
    let mut text = body.to_string();
    for c in &candidates {
        let width = c.end - c.at;
        text.replace_range(c.at..c.end, &format!("___{}", " ".repeat(width - 3)));
    }
    let lines = Lines::new(&text, first_line);
    let mut r = Reader {
        text: &text,
        lines: lines.clone(),
        vocab,
        errors: Vec::new(),
        reading: Reading::default(),
        regions: Vec::new(),
        fences: Vec::new(),
        containers: vec![0],
        inline: vec![0],
        next_id: 0,
        leaf: Vec::new(),
        shown: Vec::new(),
        in_code: false,
        fenced: None,
        figure: None,
        figures: Vec::new(),
        open_links: Vec::new(),
        links: Vec::new(),
        footnote_defs: Vec::new(),
        footnote_refs: Vec::new(),
        refdefs: None,
        dropped: DroppedHtml::default(),
    };
    // A second parser of the same text answers which definition a reference
    // uses, exactly as pulldown-cmark matches labels.
    let defs_parser = Parser::new_ext(&text, markdown_options());
    let refdefs = defs_parser.reference_definitions();
    r.refdefs = Some(refdefs);
    let link_def_spans: Vec<(String, Range<usize>)> =
        refdefs.iter().map(|(k, d)| (normalise_label(k), d.span.clone())).collect();
    // Candidates are in order of their lines: found by a binary search.
    debug_assert!(candidates.windows(2).all(|w| w[0].at < w[1].at));
    let candidate_at = |o: usize| candidates.binary_search_by_key(&o, |c| c.at).ok();
    let mut structure = Vec::new();
    for (ev, range) in Parser::new_ext(&text, markdown_options()).into_offset_iter() {
        if !is_inline(&ev) {
            r.flush_leaf();
        }
        if let Some(k) = structure_kind(&ev) {
            structure.push((range.start, k));
        }
        walk(&mut r, ev, range, &candidate_at);
    }
    r.flush_leaf();

    // Fences found again as thematic breaks pair up into blocks.
    let found: rustc_hash::FxHashSet<usize> = r.fences.iter().map(|(c, _)| *c).collect();
    for (i, c) in candidates.iter().enumerate() {
        r.reading.consumed.push(line_range(&text, c.at));
        if !found.contains(&i) {
            r.error(
                c.at,
                "this `:::` line is not read as a block fence",
                "put the fence on a line of its own, indented like the text it encloses (not by four spaces or more, not inside a heading or table); in a blockquote write `> :::`",
            );
        }
    }
    pair_fences(&mut r, &candidates);
    let mut regions = std::mem::take(&mut r.regions);
    regions.sort_by_key(|g| (g.range.start, std::cmp::Reverse(g.range.end)));
    set_parents(&mut regions);
    link_alternatives(&mut r, &mut regions);
    let mut body = Body {
        structure,
        first_line,
        lines: Lines::default(),
        regions: Vec::new(),
        footnote_defs: std::mem::take(&mut r.footnote_defs),
        footnote_refs: std::mem::take(&mut r.footnote_refs),
        link_defs: link_def_spans
            .into_iter()
            .map(|(label, range)| Def { line: lines.line(range.start), region: None, label, range })
            .collect(),
        links: std::mem::take(&mut r.links),
        figures: std::mem::take(&mut r.figures),
        text: String::new(),
        source: body.to_string(),
    };
    // Each definition, reference, link and figure: the region it sits in.
    let starts: Vec<usize> = (body.link_defs.iter().map(|d| d.range.start))
        .chain(body.footnote_defs.iter().map(|d| d.range.start))
        .chain(body.footnote_refs.iter().map(|m| m.range.start))
        .chain(body.links.iter().map(|l| l.range.start))
        .chain(body.figures.iter().map(|f| f.range.start))
        .collect();
    let mut found = innermost(&regions, &starts).into_iter();
    let mut next = || found.next().flatten();
    body.link_defs.iter_mut().for_each(|d| d.region = next());
    body.footnote_defs.iter_mut().for_each(|d| d.region = next());
    body.footnote_refs.iter_mut().for_each(|m| m.region = next());
    body.links.iter_mut().for_each(|l| l.region = next());
    body.figures.iter_mut().for_each(|f| f.region = next());
    body.link_defs.sort_by_key(|d| d.range.start);
    body.links.sort_by_key(|l| l.range.start);
    // Footnotes in different blocks or spans may share a label: each
    // edition may keep one of them, and the cut refuses an edition that
    // keeps two. A link, though, is matched to its definition here, once.
    refuse_defined_twice(&mut r, &body.footnote_defs, "footnote `[^", "]`", true);
    refuse_defined_twice(&mut r, &body.link_defs, "reference `[", "]`", false);
    refuse_unread_definitions(&mut r, &body.link_defs, &text);
    let mut diags = Diagnostics::default();
    let mut errors = std::mem::take(&mut r.errors);
    errors.sort();
    errors.dedup();
    for (line, m, h) in errors {
        diags.push(Diagnostic::error(file, line, m, h));
    }
    let reading = std::mem::take(&mut r.reading);
    drop(r);
    body.regions = regions;
    body.text = text;
    body.lines = lines;
    (body, reading, diags)
}

/// Two definitions of one label (labels match in any letter case, `ß` as
/// `ss`): Markdown uses one of them for both, so which text an edition's
/// reference shows would not be the one its author restricted. With
/// `per_edition`, only two in the same block or span (or both outside
/// any), which every edition keeps or drops together; the cut refuses the
/// rest where an edition keeps both (`withhold::cut`).
fn refuse_defined_twice(r: &mut Reader, defs: &[Def], open: &str, close: &str, per_edition: bool) {
    let mut seen: FxHashMap<(UniCase<&str>, Option<usize>), &Def> = FxHashMap::default();
    for d in defs {
        let key = (UniCase::new(d.label.as_str()), if per_edition { d.region } else { None });
        match seen.get(&key) {
            Some(first) => {
                let message = format!("{open}{}{close} is defined twice (also on line {})", d.label, first.line);
                r.errors.push((d.line, message, "give each definition its own label: labels are the same whatever their letter case, so Markdown would use one definition for both".into()));
            }
            None => {
                seen.insert(key, d);
            }
        }
    }
}

/// Text written as a reference definition (`[label]:`, anywhere: after a
/// list marker, in a footnote, its label wrapped over lines) of a label
/// another definition already holds: Markdown keeps only the first and
/// drops or shows this one, so a kept link would take the other's address.
fn refuse_unread_definitions(r: &mut Reader, defs: &[Def], text: &str) {
    if defs.is_empty() {
        return;
    }
    let code = Spans::new(r.reading.zones.iter().filter(|(_, k)| *k != Zone::Html).map(|(z, _)| z.clone()));
    let in_defs = Spans::new(defs.iter().map(|d| d.range.clone()));
    let mut first_of: FxHashMap<UniCase<&str>, &Def> = FxHashMap::default();
    for d in defs {
        first_of.entry(UniCase::new(d.label.as_str())).or_insert(d);
    }
    for (close, _) in text.match_indices("]:") {
        // A label is at most 999 characters (CommonMark).
        let mut from = close.saturating_sub(4 * 1000);
        while !text.is_char_boundary(from) {
            from += 1;
        }
        let Some(open) = text[from..close].rfind('[').map(|i| from + i) else { continue };
        let label = normalise_label(&text[open + 1..close]);
        if label.is_empty() || label.starts_with('^') || code.contains(open) || in_defs.contains(open) {
            continue;
        }
        if let Some(first) = first_of.get(&UniCase::new(label.as_str())) {
            let message = format!("reference `[{label}]` is defined twice (also on line {})", first.line);
            r.error(open, message, "give each definition its own label: Markdown reads only the first definition of a label, whatever its letter case, and a link would take its address");
        }
    }
}

/// The whole line holding `at`, without its newline.
fn line_range(text: &str, at: usize) -> Range<usize> {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    start..end
}

/// For each offset, the last region (in `regions`' order, sorted by start)
/// that holds it: `regions.iter().rposition(|g| g.range.contains(&offset))`
/// for every offset in one sweep, in order of offset, whether or not the
/// regions nest. A region is taken up once its start is passed, and let go
/// once the sweep is past its end (it holds no later offset either); the
/// last region taken up and not let go is the answer.
fn innermost(regions: &[Region], offsets: &[usize]) -> Vec<Option<usize>> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|&i| offsets[i]);
    let mut held = std::collections::BinaryHeap::new();
    let mut taken = 0;
    let mut out = vec![None; offsets.len()];
    for i in order {
        let at = offsets[i];
        while taken < regions.len() && regions[taken].range.start <= at {
            held.push(taken);
            taken += 1;
        }
        while held.peek().is_some_and(|&g| regions[g].range.end <= at) {
            held.pop();
        }
        out[i] = held.peek().copied();
    }
    out
}

/// Each region's parent: the nearest region that contains it (regions sorted by start).
fn set_parents(regions: &mut [Region]) {
    let mut stack: Vec<usize> = Vec::new();
    for i in 0..regions.len() {
        while let Some(&top) = stack.last() {
            if regions[top].range.end >= regions[i].range.end && regions[top].range.start <= regions[i].range.start {
                break;
            }
            stack.pop();
        }
        regions[i].parent = stack.last().copied();
        stack.push(i);
    }
}

/// Each `{otherwise}` region stands in for the chain of restricted regions
/// directly before it: siblings of the same kind with only spaces, line
/// breaks or container markers between them.
fn link_alternatives(r: &mut Reader, regions: &mut [Region]) {
    let same_kind = |a: &Region, b: &Region| {
        matches!(
            (&a.kind, &b.kind),
            (RegionKind::Span { .. }, RegionKind::Span { .. }) | (RegionKind::Block { .. }, RegionKind::Block { .. })
        )
    };
    for i in 0..regions.len() {
        if !regions[i].attrs.otherwise {
            continue;
        }
        let mut chain = Vec::new();
        let mut cur = i;
        while let Some(j) = (0..cur).rev().find(|&j| regions[j].parent == regions[cur].parent) {
            let gap = &r.text[regions[j].range.end..regions[cur].range.start];
            let adjacent = gap.chars().all(|c| c.is_whitespace() || c == '>');
            if !adjacent || !same_kind(&regions[j], &regions[i]) || regions[j].attrs.otherwise {
                break;
            }
            chain.push(j);
            cur = j;
        }
        if chain.is_empty() {
            let at = regions[i].range.start;
            r.error(
                at,
                "`{otherwise}` must come straight after a restricted span or block",
                "write the alternative right after the text it replaces: `[Subject A]{audience=\"partnership\"}[a local man]{otherwise}`",
            );
        }
        regions[i].alternative_to = chain;
    }
}

/// Markdown (text, code, links, images, headings, notes) inside an element
/// the page removes whole: one error per element.
fn refuse_markdown_in_dropped_html(r: &mut Reader, ev: &Event, at: usize) {
    if let Event::Html(h) | Event::InlineHtml(h) = ev {
        r.dropped.follow(h, at);
        if let Some(stray) = r.dropped.stray_close.take() {
            r.error(
                stray,
                "a `-->` outside any comment: an earlier `-->` ended the comment, and the text before this one is published",
                "comments do not nest: the first `-->` ends a comment; take out an inner comment before commenting out a passage that holds one",
            );
        }
        return;
    }
    match ev {
        Event::Text(t) if !r.in_code => {
            // The parser splits text at `<`: read it with the text before.
            let joined = format!("{}{t}", r.dropped.text_before);
            refuse_comment_look_alikes(r, &joined, at);
            let tail = joined.char_indices().rev().nth(7).map_or(0, |(i, _)| i);
            r.dropped.text_before = joined[tail..].to_string();
        }
        Event::SoftBreak | Event::HardBreak => r.dropped.text_before.push(' '),
        _ => r.dropped.text_before.clear(),
    }
    let (name, opened) = match (r.dropped.comment, r.dropped.open) {
        (Some(opened), _) => ("!--", opened),
        (None, Some((name, _, opened))) => (name, opened),
        (None, None) => return,
    };
    let markdown = match ev {
        Event::Text(t) => !r.in_code && !t.trim().is_empty(),
        Event::Code(_) | Event::FootnoteReference(_) | Event::InlineMath(_) | Event::DisplayMath(_) => true,
        Event::Start(Tag::Image { .. } | Tag::Link { .. } | Tag::Heading { .. } | Tag::CodeBlock(_)) => true,
        _ => false,
    };
    if markdown && !r.dropped.reported && !r.in_code {
        r.dropped.reported = true;
        let line = r.line(opened);
        let (message, help) = if name == "!--" {
            (
                format!("Markdown after a `<!--` (line {line}) that no `-->` has closed: every page cuts it out"),
                "a `<!--` starts a comment even inside a tag or an attribute value; search and listings would still read what follows: remove it or close it".to_string(),
            )
        } else {
            (
                format!("Markdown inside `<{name}>` (opened on line {line}), which every page removes with all it holds"),
                format!("search, listings and the contents would still read it: remove the `<{name}>` element, or its content; to keep text from an edition, restrict it with a block or span"),
            )
        };
        r.error(at, message, help);
    }
}

/// Shown text that was meant as a comment: an opener spelt with other
/// dashes or a space (`<!—`, `<!-`, `< !--`), or, after a comment, a `-->`
/// that closes nothing (an earlier `-->` closed the comment before it).
fn refuse_comment_look_alikes(r: &mut Reader, text: &str, at: usize) {
    const DASHES: [char; 6] = ['-', '\u{2010}', '\u{2011}', '\u{2013}', '\u{2014}', '\u{2212}'];
    let opener = text.match_indices('<').any(|(i, _)| {
        let after = text[i + 1..].trim_start();
        after.strip_prefix('!').is_some_and(|a| a.trim_start().starts_with(DASHES))
    });
    if opener {
        r.error(
            at,
            "this looks like an HTML comment (`<!--`) but is not one: it is published as written",
            "write a comment as `<!--` and `-->` with two plain hyphens and no spaces; word processors turn `--` into a dash",
        );
    } else if r.dropped.seen_comment && r.dropped.comment.is_none() && text.contains("-->") {
        r.error(
            at,
            "a `-->` outside any comment: an earlier `-->` ended the comment, and the text before this one is published",
            "comments do not nest: end each comment once, and take out an inner comment before commenting out a passage that holds one",
        );
    }
}

/// Handle one event of the second reading.
fn walk(r: &mut Reader, ev: Event, range: Range<usize>, candidate_at: &dyn Fn(usize) -> Option<usize>) {
    refuse_markdown_in_dropped_html(r, &ev, range.start);
    match ev {
        Event::Start(Tag::BlockQuote(_) | Tag::Item | Tag::FootnoteDefinition(_)) => {
            if let Event::Start(Tag::FootnoteDefinition(label)) = &ev {
                let line = r.line(range.start);
                r.footnote_defs.push(Def { label: normalise_label(label), range: range.clone(), line, region: None });
            }
            let id = r.new_id();
            r.containers.push(id);
        }
        Event::End(TagEnd::BlockQuote(_) | TagEnd::Item | TagEnd::FootnoteDefinition) => {
            r.containers.pop();
        }
        Event::Rule => {
            if let Some(c) = candidate_at(range.start) {
                let container = *r.containers.last().expect("document");
                r.fences.push((c, container));
            }
        }
        Event::Start(Tag::Heading { .. }) => r.reading.headings.push(range),
        Event::End(TagEnd::CodeBlock) => {
            r.in_code = false;
            if let Some(f) = r.figure.take() {
                r.figures.push(f);
            }
            if let Some((block, last)) = r.fenced.take() {
                if let Some(at) = fence_inside(r.text, &block) {
                    r.error(
                        at,
                        "a code fence with a language inside a code block: is the fence above it left open?",
                        "close the code block above with a line of the same backticks; to show fences inside a code block, fence it with more backticks (````)",
                    );
                }
                if !fence_closed(r.text, &block, last) {
                    r.error(
                        block.start,
                        "this code fence is never closed",
                        "close it with a line of the same backticks or tildes, indented no more than the opening one; an unclosed fence would show everything after it as code, in every edition",
                    );
                }
            }
        }
        Event::Start(Tag::CodeBlock(kind)) => {
            r.in_code = true;
            let zone = match kind {
                CodeBlockKind::Fenced(info) => {
                    r.fenced = Some((range.clone(), None));
                    if crate::figures::figure_type(&info).is_some() {
                        let line = r.line(range.start);
                        r.figure = Some(FigureBlock {
                            info: info.trim().to_string(),
                            yaml: String::new(),
                            line,
                            first_line: line + 1,
                            range: range.clone(),
                            region: None,
                        });
                    }
                    Zone::Code
                }
                CodeBlockKind::Indented => Zone::IndentedCode,
            };
            r.reading.zones.push((range, zone));
        }
        Event::Start(Tag::HtmlBlock) => {
            if unclosed_comment(&r.text[range.clone()]) {
                r.error(
                    range.start,
                    "this HTML comment is never closed",
                    "close it with `-->`; an unclosed comment hides everything after it from every edition",
                );
            }
            if let Some(name) = restricting_attribute(&r.text[range.clone()]) {
                r.error(range.start, restricting_attribute_message(name), RESTRICTING_ATTRIBUTE_HELP);
            }
            r.reading.display.push(html_text(r.text, range.clone()));
            r.reading.zones.push((range, Zone::Html));
        }
        Event::Html(ref h) | Event::InlineHtml(ref h) => {
            let whole = if matches!(ev, Event::InlineHtml(_)) { Some(h.as_ref()) } else { None };
            if let Some(name) = whole.and_then(restricting_attribute) {
                r.error(range.start, restricting_attribute_message(name), RESTRICTING_ATTRIBUTE_HELP);
            }
            if let Some(url) = raw_html_link(h) {
                r.error(
                    range.start,
                    format!("raw HTML links to `{url}`, which is never resolved for an edition"),
                    "link to sections and files in Markdown, `[text](file.md)`, so each edition links only what it holds",
                );
            }
            if matches!(ev, Event::InlineHtml(_)) {
                r.reading.zones.push((range, Zone::Html));
            }
        }
        Event::Code(t) => {
            r.shown.push((range.clone(), t.to_string()));
            r.reading.zones.push((range, Zone::Code));
        }
        Event::SoftBreak | Event::HardBreak => r.shown.push((range, "\n".into())),
        Event::Text(t) if r.in_code => {
            if let Some((_, last)) = r.fenced.as_mut() {
                *last = Some(range.end);
            }
            let line = r.line(range.start);
            if let Some(f) = r.figure.as_mut() {
                if f.yaml.is_empty() {
                    f.first_line = line;
                }
                f.yaml.push_str(&t);
            }
        }
        Event::Text(t) => {
            r.shown.push((range.clone(), t.to_string()));
            let path = *r.inline.last().expect("root");
            r.leaf.push(Segment { range: range.clone(), path });
            if let Some(l) = r.open_links.last_mut() {
                l.text.push_str(&t);
            }
        }
        Event::FootnoteReference(label) => {
            r.shown.push((range.clone(), "1".into()));
            let line = r.line(range.start);
            r.footnote_refs.push(Mention { label: normalise_label(&label), range, line, region: None });
        }
        Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Superscript | Tag::Subscript) => {
            let id = r.new_id();
            r.inline.push(id);
        }
        Event::End(
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Superscript | TagEnd::Subscript,
        ) => {
            r.inline.pop();
        }
        Event::Start(Tag::Link { link_type, dest_url, id, .. }) => {
            open_link(r, range, link_type, &dest_url, &id, false)
        }
        Event::Start(Tag::Image { link_type, dest_url, id, .. }) => {
            open_link(r, range, link_type, &dest_url, &id, true)
        }
        Event::End(TagEnd::Link | TagEnd::Image) => {
            r.inline.pop();
            if let Some(mut l) = r.open_links.pop() {
                close_link(r, &mut l);
                if let Some(parent) = r.open_links.last_mut() {
                    parent.text.push_str(&l.text);
                }
                r.links.push(l);
            }
        }
        _ => {}
    }
}

fn open_link(r: &mut Reader, range: Range<usize>, link_type: LinkType, url: &str, id: &str, is_image: bool) {
    let pid = r.new_id();
    r.inline.push(pid);
    let by_reference = matches!(link_type, LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut);
    let reference = by_reference.then(|| r.refdefs.and_then(|d| d.get(id)).map(|d| d.span.clone())).flatten();
    // The text between the brackets: `[text][label]`, `[text][]`, `[text]`.
    let open = range.start + if is_image { 2 } else { 1 };
    let src = &r.text[range.clone()];
    let text_end = match link_type {
        LinkType::Reference => src.rfind('[').map(|i| range.start + i.saturating_sub(1)),
        LinkType::Collapsed => Some(range.end.saturating_sub(3)),
        LinkType::Shortcut => Some(range.end.saturating_sub(1)),
        _ => None,
    };
    let text_range = text_end.filter(|e| *e >= open && r.text.as_bytes().get(*e) == Some(&b']')).map(|e| open..e);
    if matches!(link_type, LinkType::Autolink | LinkType::Email) && crate::withhold::residue::looks_restricted(url) {
        r.error(
            range.start,
            format!("restriction markup inside the address `<{url}>`"),
            "an address is one link, shown and followed whole: put the whole `<…>` in a span, or write `[text](address)` inside one",
        );
    }
    let line = r.line(range.start);
    // `<a@b.example>` is a mail link, never a file of the profile.
    let url = if link_type == LinkType::Email { format!("mailto:{url}") } else { url.to_string() };
    r.open_links.push(Link {
        url,
        range,
        line,
        is_image,
        reference,
        text_range,
        if_withheld: None,
        text: String::new(),
        region: None,
    });
}

/// `{if-withheld="text"}` right after a link.
fn close_link(r: &mut Reader, l: &mut Link) {
    let b = r.text.as_bytes();
    let at = l.range.end;
    if b.get(at) != Some(&b'{') {
        return;
    }
    let Some(close) = r.text[at..].find('}').map(|i| at + i) else { return };
    let inner = &r.text[at + 1..close];
    if inner.contains('\n') && inner.contains("\n\n") {
        return;
    }
    if l.is_image {
        return; // left to the lenient scan: attributes after an image are refused
    }
    // Anything else after a link is left to the lenient scan, which refuses it.
    if parse_link_attrs(inner).is_ok() {
        l.if_withheld = Some(at..close + 1);
        r.reading.consumed.push(at..close + 1);
    }
}

/// Pair the fences found as thematic breaks into blocks.
fn pair_fences(r: &mut Reader, candidates: &[Candidate]) {
    // open blocks: (candidate, container, attrs or None when unreadable)
    let mut stack: Vec<(usize, usize, Option<Attrs>)> = Vec::new();
    let fences = std::mem::take(&mut r.fences);
    for (ci, container) in fences {
        let c = &candidates[ci];
        match &c.attrs {
            Some(src) => {
                if let Some((outer, _, _)) = stack.last() {
                    let o = &candidates[*outer];
                    if o.colons <= c.colons {
                        let line = r.line(o.at);
                        r.error(
                            c.at,
                            format!("a nested block must use fewer colons than the block it is in (opened at line {line} with {})", o.colons),
                            "use more colons on the outer block, e.g. `::::` outside and `:::` inside",
                        );
                    }
                }
                let attrs = match parse_attrs(src, r.vocab) {
                    Ok(a) => Some(a),
                    Err((m, h)) => {
                        r.error(c.at, m, h);
                        None
                    }
                };
                stack.push((ci, container, attrs));
            }
            None => {
                let Some((oi, ocontainer, attrs)) = stack.last().cloned() else {
                    r.error(
                        c.at,
                        "closing `:::` without an open block",
                        "remove it, or open a block with `::: {audience=\"…\"}`",
                    );
                    continue;
                };
                let o = &candidates[oi];
                let oline = r.line(o.at);
                if o.colons != c.colons {
                    r.error(
                        c.at,
                        format!("this `{}` does not close the block opened at line {oline} with {} colons", ":".repeat(c.colons), o.colons),
                        "close each block with a line of the same number of colons; nested blocks use more colons on the outer one",
                    );
                    continue;
                }
                stack.pop();
                if ocontainer != container {
                    r.error(
                        c.at,
                        format!("this `:::` closes the block opened at line {oline}, but not inside the same list item, blockquote or footnote"),
                        "open and close a block in the same container: indent the closing fence like the opening one, and in a blockquote write `> :::`",
                    );
                    continue;
                }
                if let Some(attrs) = attrs {
                    let open = o.at..o.end;
                    let close = c.at..c.end;
                    r.regions.push(Region {
                        kind: RegionKind::Block { open: open.clone(), close: close.clone() },
                        attrs,
                        line: oline,
                        range: open.start..close.end,
                        parent: None,
                        alternative_to: Vec::new(),
                    });
                }
            }
        }
    }
    for (oi, _, _) in stack.into_iter().rev() {
        let o = &candidates[oi];
        r.error(
            o.at,
            format!("block opened here with {} colons is never closed", o.colons),
            format!(
                "close it with a line of exactly {} colons, in the same list item or blockquote; nothing in it is published until it is",
                ":".repeat(o.colons)
            ),
        );
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    #[test]
    fn innermost_is_the_last_region_holding_each_offset() {
        let mut r = crate::testing::Rng(0x5DEE_CE66_D1CE_B00C);
        for case in 0..300 {
            let mut regions: Vec<Region> = (0..r.below(12))
                .map(|_| {
                    let start = r.below(60);
                    Region {
                        kind: RegionKind::Span { hinge: 0..0 },
                        attrs: Default::default(),
                        line: 1,
                        range: start..start + r.below(30),
                        parent: None,
                        alternative_to: Vec::new(),
                    }
                })
                .collect();
            regions.sort_by_key(|g| (g.range.start, std::cmp::Reverse(g.range.end)));
            let offsets: Vec<usize> = (0..r.below(40)).map(|_| r.below(95)).collect();
            let slow: Vec<Option<usize>> =
                offsets.iter().map(|o| regions.iter().rposition(|g| g.range.contains(o))).collect();
            assert_eq!(innermost(&regions, &offsets), slow, "case {case}");
        }
    }

    use crate::config::{Edition, Owner, Profile};
    use crate::date::Date;

    #[test]
    fn spans_hold_what_one_of_their_ranges_holds() {
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut below = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..500 {
            let ranges: Vec<Range<usize>> = (0..below(6))
                .map(|_| {
                    let s = below(40);
                    s..s + below(12)
                })
                .collect();
            let spans = Spans::new(ranges.clone());
            for at in 0..60 {
                assert_eq!(spans.contains(at), ranges.iter().any(|r| r.contains(&at)), "{ranges:?} at {at}");
            }
        }
    }

    #[test]
    fn lines_finds_the_line_counting_from_the_start_finds() {
        for text in ["", "\n", "a", "a\nb", "\n\nab\n", "one\ntwo\n\nthree\n", "é\nü\n"] {
            for first in [0, 1, 7] {
                let lines = Lines::new(text, first);
                for offset in 0..=text.len() + 2 {
                    assert_eq!(lines.line(offset), line_at(text, offset, first), "{text:?} at {offset}");
                }
            }
        }
    }

    pub(crate) fn profile() -> Profile {
        let ed = |id: &str, c| Edition {
            id: id.into(),
            name: id.into(),
            classification: c,
            show_withheld: false,
            approval: None,
            base: false,
            line: 0,
            lang: None,
        };
        Profile {
            root: ".".into(),
            title: "t".into(),
            area: "a".into(),
            owner: Owner { name: "o".into(), role: None, email: None },
            produced: Date::parse("2026-01-01").unwrap(),
            review_by: Date::parse("2026-12-01").unwrap(),
            feedback: None,
            ceiling: Marking::OfficialSensitive,
            theme: "default".into(),
            editions: vec![ed("partnership", Marking::OfficialSensitive), ed("members", Marking::Official)],
            threats: crate::config::GUIDE_THREATS
                .iter()
                .map(|(id, name)| crate::config::Threat { id: id.to_string(), name: name.to_string() })
                .collect(),
            handling: vec!["PERSONAL DATA".into()],
            accessibility: Default::default(),
            lang: "en-GB".into(),
            ignore: Vec::new(),
            review_cycle_months: crate::config::DEFAULT_REVIEW_CYCLE_MONTHS,
        }
    }

    pub(crate) fn run(src: &str) -> (Body, Reading, Diagnostics) {
        let p = profile();
        read(src, 1, Path::new("x.md"), &Vocabulary { profile: &p })
    }

    #[test]
    fn restriction_markup_inside_an_autolink_is_refused() {
        let (_, _, d) = run("See <https://host/cases/[x]{audience=\"partnership\"}> now.\n");
        assert!(d.0.iter().any(|d| d.message.contains("inside the address")), "{d:?}");
        let (_, _, d) = run("See <https://host/cases/x> and [<https://host/y>]{audience=\"partnership\"}.\n");
        assert!(d.0.is_empty(), "{d:?}");
    }

    #[test]
    fn comments_that_do_not_hide_what_they_were_meant_to_are_refused() {
        for src in [
            "<!--\nOld <!-- TODO --> text\nInformant: zq.\n-->\n",
            "Shown.\n\n<!-- a <!-- b --> zq -->\n",
            "A <!— note zq —> b.\n",
            "A <!-- ok --> then <! -- zq -- > b.\n",
            "A < !-- zq --> b.\n",
        ] {
            let (_, _, d) = run(src);
            assert!(!d.0.is_empty(), "{src:?}");
            assert!(d.0.iter().any(|d| d.message.contains("comment")), "{src:?}: {d:?}");
        }
        for fine in ["A --> B, an arrow.\n", "<!-- one -->\n\n<!-- two -->\n\nText.\n", "x <!-- y --> z.\n"] {
            let (_, _, d) = run(fine);
            assert!(d.0.is_empty(), "{fine:?}: {d:?}");
        }
    }

    #[test]
    fn a_label_defined_twice_is_refused() {
        for (src, line) in [
            ("A[^note] [B[^Note]]{audience=\"partnership\"}\n\n[^note]: One.\n\n[^Note]: Two zq.\n", 5),
            ("A[^STRASSE] b[^straße]\n\n[^STRASSE]: One.\n\n[^straße]: Two.\n", 5),
            ("[a][Op] and [b][op]\n\n[Op]: https://x.example/zq\n[op]: https://y.example/\n", 4),
            ("[a][Op]\n\n[Op]: https://x.example/zq\n\n- [OP]: https://y.example/\n", 5),
            ("[a][Op] x[^n]\n\n[Op]: https://x.example/zq\n\n[^n]: [OP]: https://y.example/\n", 5),
            ("[a][Op x]\n\n[Op x]: https://x.example/zq\n\n1. [op\n   X]: https://y.example/\n", 5),
        ] {
            let (_, _, d) = run(src);
            assert_eq!(d.0.len(), 1, "{src:?}: {d:?}");
            assert!(d.0[0].message.contains("is defined twice") && d.0[0].line == line, "{src:?}: {d:?}");
        }
        let (_, _, d) = run("A[^a] b[^b]\n\n[^a]: One.\n[^b]: Two.\n\n[x]: https://x.example/\n");
        assert!(d.0.is_empty(), "{d:?}");
    }

    #[test]
    fn markdown_inside_an_element_the_page_drops_is_refused() {
        for (src, line) in [
            ("Public <script>zq secret</script> text.\n", 1),
            ("<noscript>\n\nSecret zq.\n\n</noscript>\n", 3),
            ("<svg><svg></svg>\n\n# Secret zq\n\n</svg>\n", 3),
            ("<TEMPLATE>\n\n![zq](map.png)\n", 3),
            ("<plaintext>\n\nall the rest `zq`\n", 3),
            ("<!-- a --> <math>\n\nzq\n\n</math>\n", 3),
            ("<textarea title=\"</textarea>\">\n\nzq\n\n</textarea>\n", 3),
            ("Inline <script data-x=\"</script>\"> zq </script> end.\n", 1),
            ("Para <svg x=a/> zq words.\n", 1),
            ("Para <math x=a/> zq words.\n", 1),
            ("A <span title=\"<!--\">zq</span> --> after.\n", 1),
            ("A <script></scripts> zq\n", 1),
            ("<span title=\"café – x\"><svg>\n\nzq\n", 3),
        ] {
            let (_, _, d) = run(src);
            assert_eq!(d.0.len(), 1, "{src:?}: {d:?}");
            assert!(d.0[0].message.contains("every page") && d.0[0].line == line, "{src:?}: {d:?}");
        }
        for fine in [
            "<script>\nvar zq = 1;\n</script>\n\nAfter.\n",
            "<textarea><!-- zq --></textarea>\n\nAfter.\n",
            "<!-- <script> -->\n\nShown.\n",
            "A <svg/> and <math /> and <svg x=\"a\"/> then text.\n",
            "<script>if (a < b) x();</script>\n\nAfter.\n",
            "<p>Shown <b>bold</b></p>\n\nText.\n",
            "```html\n<script>\n```\n\nText.\n",
        ] {
            let (_, _, d) = run(fine);
            assert!(d.0.is_empty(), "{fine:?}: {d:?}");
        }
    }

    fn spans(b: &Body) -> Vec<&str> {
        b.regions.iter().filter(|g| matches!(g.kind, RegionKind::Span { .. })).map(|g| g.inner(&b.text)).collect()
    }

    fn blocks(b: &Body) -> Vec<(usize, &str)> {
        b.regions
            .iter()
            .filter(|g| matches!(g.kind, RegionKind::Block { .. }))
            .map(|g| (g.line, g.inner(&b.text)))
            .collect()
    }

    #[test]
    fn reads_nested_blocks_and_spans() {
        let (b, _, d) = run("a\n:::: {audience=\"partnership\"}\nb [x]{audience=\"members\"} c\n::: {classification=\"OFFICIAL\"}\nd\n:::\n::::\n");
        assert!(!d.has_errors(), "{d:?}");
        assert_eq!(blocks(&b).len(), 2);
        assert_eq!(spans(&b), vec!["x"]);
        let outer = &b.regions[0];
        assert_eq!(outer.line, 2);
        assert_eq!(b.regions[1].parent, Some(0));
        assert_eq!(b.regions[2].parent, Some(0));
    }

    #[test]
    fn blocks_in_every_container() {
        let (b, _, d) = run("> ::: {audience=\"partnership\"}\n> quoted\n> :::\n\n- item\n  ::: {audience=\"partnership\"}\n  in item\n  :::\n- next\n");
        assert!(!d.has_errors(), "{d:?}");
        assert_eq!(blocks(&b), vec![(1, "> quoted\n>"), (6, "in item")]);
        // A block that ends with a list or a quote closes after it (no lazy continuation).
        let (b, _, d) =
            run("::: {audience=\"partnership\"}\n- one\n- two\n:::\n\n::: {audience=\"partnership\"}\n> q\n:::\n");
        assert!(!d.has_errors(), "{d:?}");
        assert_eq!(blocks(&b).len(), 2);
        // Fences without blank lines around them split the paragraph.
        let (b, _, d) = run("Intro\n::: {audience=\"partnership\"}\nsecret\n:::\nOutro\n");
        assert!(!d.has_errors(), "{d:?}");
        assert_eq!(blocks(&b), vec![(2, "secret")]);
    }

    #[test]
    fn a_block_must_close_where_it_opened() {
        let (_, _, d) = run("> ::: {audience=\"partnership\"}\n> quoted\n:::\n");
        assert!(d.0.iter().any(|x| x.message.contains("not inside the same")), "{d:?}");
        let (_, _, d) = run("- ::: {audience=\"partnership\"}\n  x\n:::\n");
        assert!(d.has_errors(), "{d:?}");
    }

    #[test]
    fn spans_wrap_lines_and_nest() {
        let (b, _, d) = run("The [lead\nis Subject A]{audience=\"partnership\"} here.\n\n> quoted [a\n> b]{audience=\"partnership\"}\n\n- item [c\n  d]{audience=\"partnership\"}\n\n[[x]{audience=\"members\"} y]{audience=\"partnership\"}\n");
        assert!(!d.has_errors(), "{d:?}");
        assert_eq!(spans(&b), vec!["lead\nis Subject A", "a\n> b", "c\n  d", "[x]{audience=\"members\"} y", "x"]);
        assert_eq!(b.regions[4].parent, Some(3));
    }

    #[test]
    fn attributes_may_wrap_and_take_commas() {
        let (b, _, d) = run("[x]{audience=\"partnership, members\"\nclassification=\"OFFICIAL\"} y\n");
        assert!(!d.has_errors(), "{d:?}");
        assert_eq!(b.regions[0].attrs.audience, Some(Audience::Only(vec!["partnership".into(), "members".into()])));
    }

    #[test]
    fn code_and_html_are_not_read() {
        let (b, _, d) = run("```\n::: {audience=\"partnership\"}\n[x]{audience=\"partnership\"}\n```\n\n`[y]{audience=\"partnership\"}`\n");
        assert!(!d.has_errors(), "{d:?}");
        assert!(b.regions.is_empty());
        // A line of backticks is inline code, not a fence: the block after it is seen.
        let (b, _, d) = run("```brief build```\n\n::: {audience=\"partnership\"}\nsecret\n:::\n");
        assert!(!d.has_errors(), "{d:?}");
        assert_eq!(blocks(&b), vec![(3, "secret")]);
        // A fence inside an HTML comment does not hide later blocks.
        let (b, _, d) = run("<!--\n```\n-->\n\n::: {audience=\"partnership\"}\nsecret\n:::\n");
        assert!(!d.has_errors(), "{d:?}");
        assert_eq!(blocks(&b).len(), 1);
    }

    #[test]
    fn unclosed_things_are_errors() {
        let (_, _, d) = run("x\n::: {audience=\"partnership\"}\nopen\n");
        assert!(d.0.iter().any(|x| x.message.contains("never closed") && x.line == 2), "{d:?}");
        let (_, _, d) = run("- item\n  ```\n  code\n- next\n");
        assert!(d.0.iter().any(|x| x.message.contains("code fence is never closed")), "{d:?}");
        let (_, _, d) = run("a\n\n<!-- never closed\n\nb\n");
        assert!(d.0.iter().any(|x| x.message.contains("comment is never closed")), "{d:?}");
    }

    #[test]
    fn reports_errors_with_lines() {
        let (_, _, d) = run("[a]{audiense=\"partnership\"}\n");
        assert!(
            d.0[0].message.contains("unknown attribute `audiense`") && d.0[0].help.contains("did you mean `audience`"),
            "{d:?}"
        );
        let (_, _, d) = run("ok\n\n::: {audience=\"nobody\"}\nz\n:::\n");
        assert!(d.0[0].message.contains("unknown edition `nobody`") && d.0[0].line == 3, "{d:?}");
        let (_, _, d) = run("::: {classification=\"SECRET\"}\nz\n:::\n");
        assert!(d.0[0].message.contains("above this system's ceiling"), "{d:?}");
        let (_, _, d) = run("::: {handling=\"PERSONAL DATA\"}\nz\n:::\n");
        assert!(d.0[0].message.contains("needs `audience` or `classification`"), "{d:?}");
        let (_, _, d) = run(":::\n");
        assert!(d.0[0].message.contains("without an open block"), "{d:?}");
        let (_, _, d) = run("[x]{audience=\"\"}\n");
        assert!(d.0[0].message.contains("is empty"), "{d:?}");
        let (_, _, d) = run("**[x**]{audience=\"partnership\"}\n");
        assert!(d.0[0].message.contains("different emphasis"), "{d:?}");
        let (_, _, d) = run("text ]{audience=\"partnership\"}\n");
        assert!(d.0[0].message.contains("stray"), "{d:?}");
    }

    #[test]
    fn links_footnotes_and_definitions() {
        let (b, r, d) =
            run("See [a](b.md){if-withheld=\"text\"} and [c][ref] and ![i](m.png)[^n].\n\n[ref]: c.md\n[^n]: Note.\n");
        assert!(!d.has_errors(), "{d:?}");
        assert_eq!(b.links.len(), 3);
        assert!(b.links[0].if_withheld.is_some() && b.links[0].text == "a");
        assert_eq!(b.links[1].reference, Some(b.link_defs[0].range.clone()));
        assert_eq!(&b.text[b.links[1].text_range.clone().unwrap()], "c");
        assert!(b.links[2].is_image);
        assert_eq!(b.link_defs.len(), 1);
        assert_eq!(b.footnote_defs[0].label, "n");
        assert_eq!(b.footnote_refs[0].label, "n");
        assert!(!r.consumed.is_empty());
    }

    #[test]
    fn cr_only_line_endings_are_the_caller_s_job() {
        // section::parse normalises line endings before reading; a raw CR body
        // still reads its fences once normalised.
        let (b, _, d) = run(&"::: {audience=\"partnership\"}\rx\r:::\r".replace('\r', "\n"));
        assert!(!d.has_errors(), "{d:?}");
        assert_eq!(blocks(&b).len(), 1);
    }
}
