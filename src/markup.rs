//! Blocks and spans: the audience/marking markup inside a section's body.
//!
//! The body is split once into a tree of text, spans (`[text]{…}`) and blocks
//! (`::: {…}` … `:::`), code-fence aware. Filtering per edition then walks this
//! tree; nothing downstream ever sees the markup itself.

use crate::config::Profile;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::marking::Marking;
use std::path::Path;

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
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// Markdown text, passed on as written.
    Text(String),
    Span(Span),
    Block(Block),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub attrs: Attrs,
    pub text: String,
    /// Line in the section's file.
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub attrs: Attrs,
    pub children: Vec<Node>,
    /// Line of the opening `:::` in the section's file.
    pub line: usize,
}

/// A section body, parsed once into markup nodes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Body {
    pub nodes: Vec<Node>,
}

impl Body {
    /// All content, markup removed, with the same line count as the source body
    /// so that positions found in it map back to the author's file.
    pub fn full_text(&self) -> String {
        fn walk(nodes: &[Node], out: &mut String) {
            for n in nodes {
                match n {
                    Node::Text(t) => out.push_str(t),
                    Node::Span(s) => out.push_str(&s.text),
                    Node::Block(b) => walk(&b.children, out),
                }
            }
        }
        let mut s = String::new();
        walk(&self.nodes, &mut s);
        s
    }
}

/// What attributes may name, checked while parsing.
pub struct Vocabulary<'a> {
    pub profile: &'a Profile,
}

impl Vocabulary<'_> {
    /// Parse `audience="a b"` values: edition ids or `all`.
    pub fn audience(&self, ids: &[String]) -> Result<Audience, (String, String)> {
        if ids.is_empty() {
            return Err(("audience is empty".into(), "list edition ids, or `all`".into()));
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
                    format!("use edition ids from brief.yaml: {}, or `all`", known.join(", ")),
                ));
            }
        }
        Ok(Audience::Only(ids.to_vec()))
    }

    pub fn marking(&self, text: &str) -> Result<Marking, (String, String)> {
        let m = Marking::parse(text).map_err(|e| (e.message, e.help))?;
        if m > self.profile.ceiling {
            return Err((
                format!("{m} content is above this system's ceiling ({})", self.profile.ceiling),
                "it must not be stored here at all: remove it from the source and hold it on a system accredited for that marking".into(),
            ));
        }
        Ok(m)
    }

    pub fn handling(&self, caveats: &[String]) -> Result<Vec<String>, (String, String)> {
        for c in caveats {
            if !self.profile.handling.iter().any(|h| h == c) {
                return Err((
                    format!("unknown handling caveat `{c}`"),
                    format!("use one of: {} (or extend `handling:` in brief.yaml)", self.profile.handling.join(", ")),
                ));
            }
        }
        Ok(caveats.to_vec())
    }
}

/// Parse `key="value" key2='v' key3=v` inside `{…}`.
fn parse_attrs(src: &str, vocab: &Vocabulary) -> Result<Attrs, (String, String)> {
    let mut attrs = Attrs::default();
    let mut seen = Vec::new();
    let mut rest = src.trim();
    if rest.is_empty() {
        return Err((
            "empty attributes `{}`".into(),
            "give an `audience` and/or `classification`, e.g. {audience=\"partnership\"}".into(),
        ));
    }
    while !rest.is_empty() {
        let eq = rest.find('=').ok_or_else(|| {
            (
                format!("cannot read attribute `{rest}`"),
                "write attributes as key=\"value\", e.g. {audience=\"partnership\"}".to_string(),
            )
        })?;
        let key = rest[..eq].trim();
        let after = rest[eq + 1..].trim_start();
        let (value, remaining) = match after.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let close = after[1..].find(q).ok_or_else(|| {
                    (format!("unclosed quote in attribute `{key}`"), format!("close the value with {q}"))
                })?;
                (&after[1..1 + close], &after[close + 2..])
            }
            _ => {
                let end = after.find(char::is_whitespace).unwrap_or(after.len());
                (&after[..end], &after[end..])
            }
        };
        if seen.contains(&key) {
            return Err((format!("attribute `{key}` is given twice"), "give each attribute once".into()));
        }
        seen.push(key);
        match key {
            "audience" => {
                let ids: Vec<String> = value.split_whitespace().map(str::to_string).collect();
                attrs.audience = Some(vocab.audience(&ids)?);
            }
            "classification" => attrs.classification = Some(vocab.marking(value)?),
            "handling" => {
                let list: Vec<String> =
                    value.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
                attrs.handling = vocab.handling(&list)?;
            }
            other => {
                return Err((
                    format!("unknown attribute `{other}`"),
                    "blocks and spans take only `audience`, `classification` and `handling`; nothing is guessed".into(),
                ))
            }
        }
        rest = remaining.trim_start();
    }
    if attrs.audience.is_none() && attrs.classification.is_none() {
        return Err((
            "a block or span needs `audience` or `classification`".into(),
            "add e.g. audience=\"partnership\"".into(),
        ));
    }
    Ok(attrs)
}

/// A fence line (``` or ~~~), returning its character and length.
fn fence(line: &str) -> Option<(char, usize)> {
    let t = line.trim_end_matches(['\n', '\r']);
    if t.len() - t.trim_start().len() > 3 {
        return None;
    }
    let t = t.trim_start();
    let c = t.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = t.chars().take_while(|x| *x == c).count();
    (n >= 3).then_some((c, n))
}

/// A `:::` line: its colon count and the rest of the line.
fn colon_line(line: &str) -> Option<(usize, &str)> {
    let t = line.trim_end_matches(['\n', '\r']);
    if t.len() - t.trim_start().len() > 3 {
        return None;
    }
    let t = t.trim_start();
    let n = t.bytes().take_while(|b| *b == b':').count();
    (n >= 3).then(|| (n, t[n..].trim()))
}

/// Split one line into text and spans. Inline code is skipped.
fn split_spans(
    line: &str,
    line_no: usize,
    vocab: &Vocabulary,
    out: &mut Vec<Node>,
    errs: &mut Vec<(usize, String, String)>,
) {
    let b = line.as_bytes();
    let mut text_start = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'`' => {
                let run = b[i..].iter().take_while(|c| **c == b'`').count();
                let ticks = &line[i..i + run];
                // skip to the matching run of the same length, if any
                let mut j = i + run;
                let mut close = None;
                while let Some(off) = line[j..].find(ticks) {
                    let k = j + off;
                    let len = b[k..].iter().take_while(|c| **c == b'`').count();
                    if len == run {
                        close = Some(k + run);
                        break;
                    }
                    j = k + len;
                }
                i = close.unwrap_or(i + run);
            }
            b'[' => {
                // find the matching ']'
                let mut depth = 0usize;
                let mut j = i;
                let mut end = None;
                while j < b.len() {
                    match b[j] {
                        b'\\' => j += 1,
                        b'[' => depth += 1,
                        b']' => {
                            depth -= 1;
                            if depth == 0 {
                                end = Some(j);
                                break;
                            }
                        }
                        _ => {}
                    }
                    j += 1;
                }
                match end {
                    Some(e) if b.get(e + 1) == Some(&b'{') => {
                        let Some(close) = line[e + 1..].find('}').map(|c| e + 1 + c) else {
                            errs.push((
                                line_no,
                                "span attributes are not closed with `}`".into(),
                                "close the braces on the same line; spans do not cross lines".into(),
                            ));
                            return;
                        };
                        let inner = &line[i + 1..e];
                        if inner.contains("]{") {
                            errs.push((
                                line_no,
                                "spans cannot nest".into(),
                                "split the text into separate spans, or use a block".into(),
                            ));
                            return;
                        }
                        match parse_attrs(&line[e + 2..close], vocab) {
                            Ok(attrs) => {
                                if text_start < i {
                                    out.push(Node::Text(line[text_start..i].to_string()));
                                }
                                out.push(Node::Span(Span { attrs, text: inner.to_string(), line: line_no }));
                                i = close + 1;
                                text_start = i;
                            }
                            Err((m, h)) => {
                                errs.push((line_no, m, format!("{h}; for literal text write `\\{{`")));
                                return;
                            }
                        }
                    }
                    _ => i += 1,
                }
            }
            _ => i += 1,
        }
    }
    if text_start < line.len() {
        out.push(Node::Text(line[text_start..].to_string()));
    }
}

fn push_text(nodes: &mut Vec<Node>, s: &str) {
    if let Some(Node::Text(t)) = nodes.last_mut() {
        t.push_str(s);
    } else {
        nodes.push(Node::Text(s.to_string()));
    }
}

/// Parse a section body. `first_line` is the file line of the body's first line.
pub fn parse(body: &str, first_line: usize, file: &Path, vocab: &Vocabulary) -> (Body, Diagnostics) {
    let mut diags = Diagnostics::default();
    let mut errs: Vec<(usize, String, String)> = Vec::new();
    // open blocks: (colons, block)
    let mut stack: Vec<(usize, Block)> = Vec::new();
    let mut root: Vec<Node> = Vec::new();
    let mut in_fence: Option<(char, usize)> = None;

    fn current<'a>(stack: &'a mut [(usize, Block)], root: &'a mut Vec<Node>) -> &'a mut Vec<Node> {
        match stack.last_mut() {
            Some((_, b)) => &mut b.children,
            None => root,
        }
    }

    for (idx, line) in body.split_inclusive('\n').enumerate() {
        let line_no = first_line + idx;
        if let Some((c, n)) = in_fence {
            if let Some((c2, n2)) = fence(line) {
                let info = line.trim().trim_start_matches(c2);
                if c2 == c && n2 >= n && info.trim().is_empty() {
                    in_fence = None;
                }
            }
            push_text(current(&mut stack, &mut root), line);
            continue;
        }
        if let Some(f) = fence(line) {
            in_fence = Some(f);
            push_text(current(&mut stack, &mut root), line);
            continue;
        }
        if let Some((n, rest)) = colon_line(line) {
            if rest.is_empty() {
                match stack.last() {
                    Some((open, _)) if *open == n => {
                        let (_, mut block) = stack.pop().expect("non-empty");
                        push_text(&mut block.children, "\n");
                        current(&mut stack, &mut root).push(Node::Block(block));
                    }
                    Some((open, b)) => {
                        errs.push((line_no, format!("this `{}` does not close the block opened at line {} with {} colons", ":".repeat(n), b.line, open), "close each block with a line of the same number of colons; nested blocks use more colons on the outer one".into()));
                    }
                    None => errs.push((
                        line_no,
                        "closing `:::` without an open block".into(),
                        "remove it, or open a block with `::: {audience=\"…\"}`".into(),
                    )),
                }
            } else if let Some(inner) = rest.strip_prefix('{').and_then(|r| r.strip_suffix('}')) {
                match parse_attrs(inner, vocab) {
                    Ok(attrs) => {
                        if let Some((outer, b)) = stack.last() {
                            if *outer <= n {
                                errs.push((line_no, format!("a nested block must use fewer colons than the block it is in (opened at line {} with {})", b.line, outer), "use more colons on the outer block, e.g. `::::` outside and `:::` inside".into()));
                            }
                        }
                        push_text(current(&mut stack, &mut root), "\n");
                        stack.push((n, Block { attrs, children: Vec::new(), line: line_no }));
                    }
                    Err((m, h)) => {
                        errs.push((line_no, m, h));
                        // keep structure so later lines report sensibly
                        push_text(current(&mut stack, &mut root), "\n");
                        stack.push((
                            n,
                            Block {
                                attrs: Attrs { audience: Some(Audience::Only(vec![])), ..Attrs::default() },
                                children: Vec::new(),
                                line: line_no,
                            },
                        ));
                    }
                }
            } else {
                errs.push((
                    line_no,
                    format!("cannot read block opening `{}`", line.trim()),
                    "open a block with attributes in braces, e.g. `::: {audience=\"partnership\"}`".into(),
                ));
            }
            continue;
        }
        let mut nodes = Vec::new();
        split_spans(line, line_no, vocab, &mut nodes, &mut errs);
        let cur = current(&mut stack, &mut root);
        for n in nodes {
            match n {
                Node::Text(t) => push_text(cur, &t),
                other => cur.push(other),
            }
        }
    }
    for (n, b) in stack.iter().rev() {
        errs.push((
            b.line,
            format!("block opened here with {n} colons is never closed"),
            format!("close it with a line of exactly {} colons", ":".repeat(*n)),
        ));
    }
    for (line, m, h) in errs {
        diags.push(Diagnostic::error(file, line, m, h));
    }
    (Body { nodes: root }, diags)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::config::{Edition, Owner, Profile};
    use crate::date::Date;

    pub(crate) fn profile() -> Profile {
        let ed = |id: &str, c| Edition {
            id: id.into(),
            name: id.into(),
            classification: c,
            show_withheld: false,
            approval: None,
            base: false,
            line: 0,
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
            threats: vec![],
            handling: vec!["PERSONAL DATA".into()],
            accessibility: Default::default(),
        }
    }

    fn run(src: &str) -> (Body, Diagnostics) {
        let p = profile();
        parse(src, 1, Path::new("x.md"), &Vocabulary { profile: &p })
    }

    #[test]
    fn parses_nested_blocks_and_spans() {
        let (body, d) = run("a\n:::: {audience=\"partnership\"}\nb [x]{audience=\"members\"} c\n::: {classification=\"OFFICIAL\"}\nd\n:::\n::::\n");
        assert!(!d.has_errors(), "{d:?}");
        assert_eq!(body.full_text(), "a\n\nb x c\n\nd\n\n\n");
        let Node::Block(outer) = &body.nodes[1] else { panic!("{body:?}") };
        assert_eq!(outer.line, 2);
        assert!(outer.children.iter().any(|n| matches!(n, Node::Span(s) if s.text == "x" && s.line == 3)));
        assert!(outer.children.iter().any(|n| matches!(n, Node::Block(b) if b.line == 4)));
    }

    #[test]
    fn colons_and_spans_in_code_are_text() {
        let (body, d) = run("```\n::: {audience=\"nobody\"}\n[x]{bad=1}\n```\n`[y]{bad=2}`\n");
        assert!(!d.has_errors(), "{d:?}");
        assert_eq!(body.nodes.len(), 1);
    }

    #[test]
    fn reports_errors_with_lines() {
        let (_, d) = run("x\n::: {audience=\"partnership\"}\nopen\n");
        assert!(d.0[0].message.contains("never closed") && d.0[0].line == 2, "{d:?}");
        let (_, d) = run("[a]{audiense=\"partnership\"}\n");
        assert!(d.0[0].message.contains("unknown attribute `audiense`"), "{d:?}");
        let (_, d) = run("ok\n::: {audience=\"nobody\"}\nz\n:::\n");
        assert!(d.0[0].message.contains("unknown edition `nobody`") && d.0[0].line == 2, "{d:?}");
        let (_, d) = run("::: {classification=\"SECRET\"}\nz\n:::\n");
        assert!(d.0[0].message.contains("above this system's ceiling"), "{d:?}");
        let (_, d) = run("::: {classification=\"restricted\"}\nz\n:::\n");
        assert!(d.0[0].message.contains("legacy"), "{d:?}");
        let (_, d) = run("::: {handling=\"PERSONAL DATA\"}\nz\n:::\n");
        assert!(d.0[0].message.contains("needs `audience` or `classification`"), "{d:?}");
        let (_, d) = run(":::\n");
        assert!(d.0[0].message.contains("without an open block"), "{d:?}");
        let (_, d) = run("::: note\n");
        assert!(d.0[0].message.contains("cannot read block opening"), "{d:?}");
    }
}
