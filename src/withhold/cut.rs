//! Cutting one section's text for one edition: withheld blocks and spans,
//! the footnotes and reference definitions that follow them, and all
//! restriction markup are removed from the text before anything renders it.
//!
//! The cut keeps the reading's structure: the text is the body as read
//! ([`crate::markup::Body::text`]), in which every fence is already a thematic
//! break (`___`). A kept block keeps its two breaks; a withheld block becomes
//! its opening break alone. Those breaks are *synthetic*: the renderer, told
//! their offsets, draws nothing for them (or the "withheld" notice). So the
//! text left reads exactly as the whole body did, containers and code alike.

use super::rules::{attr_reasons, Kind, Reason, Withheld};
use crate::config::Edition;
use crate::diagnostic::Diagnostic;
use crate::marking::Marking;
use crate::markup::{Body, Region, RegionKind, Spans, STRUCTURE_KINDS};
use crate::section::Section;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeSet;
use std::ops::Range;
use std::sync::Arc;
use unicase::UniCase;

/// Marker left where a span was removed and the edition asks to show it.
pub const WITHHELD_SPAN: &str = "\u{E000}S\u{E000}";

/// Marker left wherever the cut takes characters out of a line (a span,
/// a span's brackets, a footnote reference): the renderer shows nothing
/// for it, but it keeps the line from reading as something else once the
/// characters are gone. A line emptied by the cut would end a paragraph
/// (and make the indented line after it code); a line that began with a
/// span would begin with the span's text (`~~~` opening a fence, `#` a
/// heading); `<` and `textarea>` on each side of a span would make a tag.
pub const CUT_MARK: &str = "\u{E003}";

/// What an unused reference definition becomes (see `Cutter::references`):
/// its label is a character no source holds and no cut writes, so nothing
/// can refer to it.
const EMPTIED_DEFINITION: &str = "[\u{E007}]: #";

/// What the renderer does with a thematic break the cut put in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Synthetic {
    /// A fence: draws nothing.
    Drop,
    /// A withheld block, in an edition with `show_withheld`: the notice.
    Notice,
}

/// A section's body as one edition has it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CutText {
    /// Markdown with everything withheld removed.
    pub text: String,
    /// Offsets (in `text`) of the thematic breaks the cut put in.
    pub synthetic: Vec<(usize, Synthetic)>,
    /// Offsets (in `text`) of the kept chart and map blocks, each with its
    /// index in the section's figures: the renderer leaves a placeholder
    /// there that the edition's view fills with the figure drawn from the
    /// edition's own rows.
    pub figures: Vec<(usize, usize)>,
}

/// A link or image kept in an edition.
#[derive(Debug, Clone)]
pub struct KeptLink {
    pub url: String,
    pub line: usize,
    pub is_image: bool,
    pub if_withheld: bool,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct Cut {
    /// Shared by the edition's view and the render cache, never copied.
    pub text: Arc<CutText>,
    /// Highest marking of what remains (the section's own at least).
    pub marking: Marking,
    pub handling: BTreeSet<String>,
    pub withheld: Vec<Arc<Withheld>>,
    pub links: Vec<KeptLink>,
    /// The section's figures (indices into `Section::figures`) this edition keeps.
    pub figures: Vec<usize>,
    /// Problems only this edition has (a kept link using a withheld definition).
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
    /// Where each piece of Markdown structure the text should read as
    /// starts (offsets in the body, with their kind and line), sorted: the
    /// reading's, less those in what the cut took out ([`Cut::reads_as_cut`]).
    pub expected: Vec<(usize, u8, usize)>,
    /// The stretches of the cut text copied from the body: (offset in the
    /// cut text, offset in the body, length). Text the cut wrote itself (its
    /// marks, breaks) is in none.
    pub copied: Vec<(usize, usize, usize)>,
    /// The marks and breaks the cut wrote: (offset in the cut text, offset
    /// in the body of what they stand for, length).
    pub written: Vec<(usize, usize, usize)>,
    /// The line of the first place the cut took characters out of a line.
    pub first_cut_line: Option<usize>,
    /// The section's file, for [`Cut::reads_as_cut`]'s error.
    pub file: std::path::PathBuf,
    /// [`Cut::reads_as_cut`]'s answer, once found ([`Cut::read_differently`]).
    pub checked: std::sync::OnceLock<Option<Diagnostic>>,
}

impl Cut {
    /// An error if the cut text reads as other structure than the body did
    /// where the cut left it: `read` is what the renderer found in the cut
    /// text, placed back in the body by where each starts. A cut takes text
    /// away; it must never make, unmake or move a table, code, a link or a
    /// tag (a link made inside another unmakes the outer one: the counts of
    /// each kind stay the same, but not where they stand).
    pub fn reads_as_cut(&self, read: &[(usize, u8)], edition: &str) -> Option<Diagnostic> {
        let mut found: Vec<(usize, u8)> = read.iter().map(|&(at, k)| (self.body_offset(at), k)).collect();
        found.sort_unstable();
        let expected: Vec<(usize, u8)> = self.expected.iter().map(|&(at, k, _)| (at, k)).collect();
        if found == expected {
            return None;
        }
        // The first place the two differ: something read that was not written there, or the reverse.
        let i = found.iter().zip(&expected).position(|(a, b)| a != b).unwrap_or(found.len().min(expected.len()));
        let (kind, holds, at) = match (found.get(i), expected.get(i)) {
            (Some(f), Some(e)) if f < e => (f.1, true, f.0),
            (Some(f), None) => (f.1, true, f.0),
            (_, Some(e)) => (e.1, false, e.0),
            (_, None) => return None,
        };
        let line = self.expected.iter().rev().find(|e| e.0 <= at).map(|e| e.2).or(self.first_cut_line).unwrap_or(0);
        let (verb, other) = if holds { ("holds", "does not") } else { ("lacks", "has") };
        Some(Diagnostic::error(
            &self.file,
            line,
            format!(
                "in edition `{edition}`, what the restrictions leave reads differently from the section as written: it {verb} a {} here that the section as written {other}",
                STRUCTURE_KINDS[kind as usize]
            ),
            "taking a span (or a footnote reference) out joined what was around it into other Markdown (a `|` making a table, a link's address closing, a line starting code, a link made inside a link): keep `|`, brackets, parentheses, backticks and `<` out of spans, or restrict the whole sentence",
        ))
    }

    /// [`Cut::reads_as_cut`], found once and kept: the rendering of a cut's
    /// text is the same every time, and a cut belongs to one section and
    /// one edition (the preview keeps it while both are unchanged).
    pub fn read_differently(&self, read: &[(usize, u8)], edition: &str) -> Option<Diagnostic> {
        self.checked.get_or_init(|| self.reads_as_cut(read, edition)).clone()
    }

    /// Where a cut text offset was in the body: in text the cut copied, the
    /// same character; in a mark it wrote, where what it stands for began.
    fn body_offset(&self, at: usize) -> usize {
        let find = |list: &[(usize, usize, usize)]| {
            let i = list.partition_point(|&(c, _, _)| c <= at);
            i.checked_sub(1).map(|i| list[i]).filter(|&(c, _, len)| at < c + len)
        };
        match (find(&self.copied), find(&self.written)) {
            (Some((c, b, _)), _) => b + (at - c),
            (None, Some((_, b, _))) => b,
            (None, None) => usize::MAX,
        }
    }
}

enum Edit {
    /// Remove `start..end`, writing `with` instead.
    Replace { start: usize, end: usize, with: &'static str },
    /// Mark the thematic break starting at `at`.
    Break { at: usize, kind: Synthetic },
    /// Mark the figure block (the section's figure `index`) starting at `at`.
    Figure { at: usize, index: usize },
}

impl Edit {
    fn start(&self) -> usize {
        match self {
            Edit::Replace { start, .. } => *start,
            Edit::Break { at, .. } | Edit::Figure { at, .. } => *at,
        }
    }
}

/// Which regions an edition keeps: a region is kept when its own attributes
/// and all that enclose it pass; an `{otherwise}` region when everything it
/// stands in for is withheld.
pub fn kept_regions(body: &Body, edition: &Edition) -> Vec<bool> {
    let mut kept = vec![false; body.regions.len()];
    for (i, g) in body.regions.iter().enumerate() {
        let parent_kept = g.parent.is_none_or(|p| kept[p]);
        let own = if g.attrs.otherwise {
            g.alternative_to.iter().all(|&j| !kept[j])
        } else {
            attr_reasons(&g.attrs, edition).is_empty()
        };
        kept[i] = parent_kept && own;
    }
    kept
}

struct Cutter<'a> {
    s: &'a Section,
    e: &'a Edition,
    kept: Vec<bool>,
    /// Regions an `{otherwise}` alternative this edition keeps stands in for.
    shown_instead: Vec<bool>,
    edits: Vec<Edit>,
    /// Footnote definitions removed whole.
    removed: Vec<std::ops::Range<usize>>,
    out: Cut,
}

impl Cutter<'_> {
    fn in_kept(&self, region: Option<usize>) -> bool {
        region.is_none_or(|r| self.kept[r])
    }

    fn withhold(&mut self, kind: Kind, line: usize, reasons: Vec<Reason>, text: &str) {
        self.out.withheld.push(Arc::new(Withheld {
            kind,
            file: self.s.file.clone(),
            line,
            label: self.s.title.clone(),
            reasons,
            text: text.trim().to_string(),
        }));
    }

    fn regions(&mut self) {
        let sec = self.s;
        let body = &sec.body;
        for (i, g) in body.regions.iter().enumerate() {
            if !self.in_kept(g.parent) {
                continue; // inside something withheld: gone with it
            }
            if self.kept[i] {
                self.keep(g);
            } else {
                self.drop(g, i);
            }
        }
    }

    fn keep(&mut self, g: &Region) {
        if let Some(m) = g.attrs.classification {
            self.out.marking = self.out.marking.max(m);
        }
        self.out.handling.extend(g.attrs.handling.iter().cloned());
        match &g.kind {
            RegionKind::Block { open, close } => {
                self.edits.push(Edit::Break { at: open.start, kind: Synthetic::Drop });
                self.edits.push(Edit::Break { at: close.start, kind: Synthetic::Drop });
            }
            RegionKind::Span { hinge } => {
                self.edits.push(Edit::Replace { start: g.range.start, end: g.range.start + 1, with: CUT_MARK });
                self.edits.push(Edit::Replace { start: hinge.start, end: hinge.end, with: CUT_MARK });
            }
        }
    }

    fn drop(&mut self, g: &Region, i: usize) {
        let sec = self.s;
        let body = &sec.body;
        let notice = self.e.show_withheld && !g.attrs.otherwise && !self.replaced_by_alternative(i);
        match &g.kind {
            RegionKind::Block { open, close } => {
                let kind = if notice { Synthetic::Notice } else { Synthetic::Drop };
                self.edits.push(Edit::Break { at: open.start, kind });
                self.edits.push(Edit::Replace { start: open.end, end: close.end, with: "" });
            }
            RegionKind::Span { .. } => {
                let with = if notice { WITHHELD_SPAN } else { CUT_MARK };
                self.edits.push(Edit::Replace { start: g.range.start, end: g.range.end, with });
                if !self.e.show_withheld && !g.attrs.otherwise && !self.replaced_by_alternative(i) {
                    self.check_sentence(g);
                }
            }
        }
        if g.attrs.otherwise {
            self.check_alternative(g);
        } else {
            let kind = if matches!(g.kind, RegionKind::Block { .. }) { Kind::Block } else { Kind::Span };
            let reasons = attr_reasons(&g.attrs, self.e);
            self.withhold(kind, g.line, reasons, g.inner(&body.text));
        }
    }

    /// Whether an `{otherwise}` alternative of region `i` is shown instead.
    fn replaced_by_alternative(&self, i: usize) -> bool {
        self.shown_instead[i]
    }

    /// Warn when an alternative is not shown although the span or block it
    /// touches is withheld: it stands in for the whole chain before it, and
    /// this edition keeps another of the chain (`[a]{…} [b]{…}[alt]{otherwise}`).
    fn check_alternative(&mut self, g: &Region) {
        let Some(&touching) = g.alternative_to.first() else { return };
        if self.kept[touching] {
            return;
        }
        let body = &self.s.body;
        let kept: Vec<String> = g
            .alternative_to
            .iter()
            .filter(|&&j| self.kept[j])
            .map(|&j| {
                let r = &body.regions[j].range;
                let text: String = body.text[r.clone()].chars().take(40).collect();
                format!("`{}` at line {}", text.replace('\n', " "), body.line(r.start))
            })
            .collect();
        self.out.warnings.push(Diagnostic::warning(
            &self.s.file,
            g.line,
            format!(
                "in edition `{}` this alternative is not shown, though what it follows is withheld: `{{otherwise}}` stands in for every restricted span or block just before it, and this edition keeps {}",
                self.e.id,
                kept.join(" and ")
            ),
            "put other text between the spans, or give each its own alternative straight after it: `[a]{audience=\"…\"}[alt a]{otherwise} and [b]{audience=\"…\"}[alt b]{otherwise}`",
        ));
    }

    /// Warn when removing a span leaves "run by ." behind.
    fn check_sentence(&mut self, g: &Region) {
        let sec = self.s;
        let t = &sec.body.text;
        // "run by [Subject A]{…}." loses its subject; a whole sentence in a span does not.
        let before = t[..g.range.start].chars().next_back();
        let word_before = t[..g.range.start].trim_end().chars().next_back().is_some_and(|c| !".!?:\n".contains(c));
        let after = t[g.range.end..].chars().find(|c| *c != ' ');
        let stranded =
            before == Some(' ') && word_before && matches!(after, Some('.' | ',' | ';' | ':' | '!' | '?' | ')'));
        if stranded {
            self.out.warnings.push(Diagnostic::warning(
                &self.s.file,
                g.line,
                format!("in edition `{}` this sentence loses words: the span is withheld and nothing stands in for it", self.e.id),
                "give the other editions an alternative straight after it: `[Subject A]{audience=\"partnership\"}[a local man]{otherwise}`",
            ));
        }
    }

    fn removed_at(&self, at: usize) -> bool {
        self.removed.iter().any(|r| r.start <= at && at < r.end)
    }

    /// Kept: in no withheld region and in no footnote removed whole.
    fn kept_at(&self, region: Option<usize>, at: usize) -> bool {
        self.in_kept(region) && !self.removed_at(at)
    }

    /// Footnotes go only where a reference to them is kept, and a reference
    /// inside a footnote counts only once that footnote is kept: a footnote
    /// is kept if a chain of kept references leads to it from the text
    /// outside every footnote. (So a footnote that refers to itself, or two
    /// that refer to each other, are not kept by that alone.) A reference to
    /// a withheld footnote goes too.
    fn footnotes(&mut self) {
        let sec = self.s;
        let body = &sec.body;
        // Looked up by label and by place, not by going through them all:
        // a section of thousands of notes made this quadratic.
        let mut defs_of: FxHashMap<UniCase<&str>, Vec<&crate::markup::Def>> = FxHashMap::default();
        for d in &body.footnote_defs {
            defs_of.entry(UniCase::new(&d.label)).or_default().push(d);
        }
        let in_notes = Spans::new(body.footnote_defs.iter().map(|d| d.range.clone()));
        let mut refs: Vec<&crate::markup::Mention> = body.footnote_refs.iter().collect();
        refs.sort_by_key(|m| m.range.start);
        let refs_in = |r: Range<usize>| {
            let from = refs.partition_point(|m| m.range.start < r.start);
            refs[from..].iter().take_while(move |m| m.range.start < r.end).copied()
        };
        let mut queue: Vec<&crate::markup::Mention> = body
            .footnote_refs
            .iter()
            .filter(|m| self.kept_at(m.region, m.range.start) && !in_notes.contains(m.range.start))
            .collect();
        let mut reached: FxHashSet<UniCase<&str>> = FxHashSet::default();
        while let Some(m) = queue.pop() {
            if !reached.insert(UniCase::new(&m.label)) {
                continue;
            }
            for d in defs_of.get(&UniCase::new(&*m.label)).into_iter().flatten() {
                if self.kept_at(d.region, d.range.start) {
                    queue.extend(refs_in(d.range.clone()).filter(|r| self.kept_at(r.region, r.range.start)));
                }
            }
        }
        let unreached: Vec<&crate::markup::Def> = body
            .footnote_defs
            .iter()
            .filter(|d| self.kept_at(d.region, d.range.start))
            .filter(|d| !reached.contains(&UniCase::new(&*d.label)))
            .collect();
        for d in unreached {
            let end = d.range.end - usize::from(body.text[..d.range.end].ends_with('\n'));
            self.edits.push(Edit::Replace { start: d.range.start, end, with: "___" });
            self.edits.push(Edit::Break { at: d.range.start, kind: Synthetic::Drop });
            self.removed.push(d.range.clone());
            self.withhold(Kind::Footnote, d.line, vec![Reason::FollowsItsReference], &body.text[d.range.clone()]);
        }
        self.refuse_footnotes_kept_twice();
        for m in &body.footnote_refs {
            if !self.kept_at(m.region, m.range.start) {
                continue;
            }
            let defs = defs_of.get(&UniCase::new(&*m.label)).map_or(&[][..], Vec::as_slice);
            if !defs.is_empty() && !defs.iter().any(|d| self.kept_at(d.region, d.range.start)) {
                self.edits.push(Edit::Replace { start: m.range.start, end: m.range.end, with: CUT_MARK });
                self.withhold(Kind::Footnote, m.line, vec![Reason::FollowsItsReference], &body.text[m.range.clone()]);
            }
        }
    }

    /// Two footnotes of one label, both kept in this edition: Markdown
    /// would use one for both references. (Two in different blocks, each
    /// kept in other editions, are how an edition gets its own note.)
    fn refuse_footnotes_kept_twice(&mut self) {
        let body = &self.s.body;
        let kept: Vec<&crate::markup::Def> =
            body.footnote_defs.iter().filter(|d| self.kept_at(d.region, d.range.start)).collect();
        let mut first_of: FxHashMap<UniCase<&str>, &crate::markup::Def> = FxHashMap::default();
        for d in kept {
            if let Some(first) = first_of.get(&UniCase::new(&*d.label)).copied().or_else(|| {
                first_of.insert(UniCase::new(&d.label), d);
                None
            }) {
                self.out.errors.push(Diagnostic::error(
                    &self.s.file,
                    d.line,
                    format!(
                        "footnote `[^{}]` is defined twice in edition `{}` (also on line {}): it keeps both",
                        d.label, self.e.id, first.line
                    ),
                    "restrict the two definitions to editions that do not overlap, or give each its own label",
                ));
            }
        }
    }

    /// Charts and maps go with the text around them: a figure in a withheld
    /// block (or footnote) is gone with it, and draws nothing.
    fn figures(&mut self) {
        let body = &self.s.body;
        for (index, f) in body.figures.iter().enumerate() {
            if self.kept_at(f.region, f.range.start) {
                self.edits.push(Edit::Figure { at: f.range.start, index });
                self.out.figures.push(index);
            }
        }
    }

    /// Reference definitions go only where a link using them is kept; a kept
    /// link whose definition is withheld is an error, or with
    /// `{if-withheld="text"}` becomes its own (cut) text.
    fn references(&mut self) {
        let sec = self.s;
        let body = &sec.body;
        let kept_links: Vec<&crate::markup::Link> =
            body.links.iter().filter(|l| self.kept_at(l.region, l.range.start)).collect();
        let unused: Vec<&crate::markup::Def> = body
            .link_defs
            .iter()
            .filter(|d| {
                self.kept_at(d.region, d.range.start)
                    && !kept_links.iter().any(|l| l.reference.as_ref() == Some(&d.range))
            })
            .collect();
        // Not taken out but emptied: a definition of a label no source can
        // hold, to nowhere. It is still a definition, so the lines around it
        // read as they did (a line after it stays in its paragraph, or is
        // the next definition), and its label and address are gone.
        for d in unused {
            let end = d.range.end - usize::from(body.text[..d.range.end].ends_with('\n'));
            self.edits.push(Edit::Replace { start: d.range.start, end, with: EMPTIED_DEFINITION });
        }
        for l in kept_links {
            if let Some(iw) = &l.if_withheld {
                self.edits.push(Edit::Replace { start: iw.start, end: iw.end, with: CUT_MARK });
            }
            let def = l.reference.as_ref().and_then(|r| body.link_defs.iter().find(|d| &d.range == r));
            if let Some(d) = def.filter(|d| !self.kept_at(d.region, d.range.start)) {
                match (&l.if_withheld, &l.text_range) {
                    (Some(_), Some(text)) => {
                        // Only the brackets and the label go: the text keeps its own cuts.
                        self.edits.push(Edit::Replace { start: l.range.start, end: text.start, with: CUT_MARK });
                        self.edits.push(Edit::Replace { start: text.end, end: l.range.end, with: CUT_MARK });
                        let reasons = vec![Reason::TargetWithheld(format!("reference `[{}]` (line {})", d.label, d.line))];
                        self.withhold(Kind::LinkText, l.line, reasons, &l.text);
                    }
                    _ => self.out.errors.push(Diagnostic::error(
                        &self.s.file,
                        l.line,
                        format!("this link uses the reference `[{}]` defined at line {}, which is withheld from edition `{}`", d.label, d.line, self.e.id),
                        "move the definition out of the restricted block, restrict the link the same way, or add `{if-withheld=\"text\"}` after the link to show only its text there",
                    )),
                }
                continue;
            }
            self.out.links.push(KeptLink {
                url: l.url.clone(),
                line: l.line,
                is_image: l.is_image,
                if_withheld: l.if_withheld.is_some(),
                text: l.text.clone(),
            });
        }
    }

    /// Apply the edits in order; an edit inside a removed range goes with it.
    /// The reading's structure less what lies in text the edits take out.
    fn expect_structure(&mut self, edits: &[Edit]) {
        let body = &self.s.body;
        let cuts: Vec<(usize, usize, bool)> = edits
            .iter()
            .filter_map(|e| match e {
                // Only an inline mark stands where what it replaced began.
                Edit::Replace { start, end, with } => Some((*start, *end, ![CUT_MARK, WITHHELD_SPAN].contains(with))),
                _ => None,
            })
            .collect();
        // Edits are sorted by start; one may hold another (a span's
        // brackets inside a withheld block). Whether any begun before an
        // offset still covers it is the furthest end among them.
        let mut furthest = Vec::with_capacity(cuts.len() + 1);
        furthest.push(0);
        for &(_, e, _) in &cuts {
            furthest.push(e.max(*furthest.last().expect("one")));
        }
        let mut expected = Vec::new();
        for &(at, kind) in &body.structure {
            let before = cuts.partition_point(|c| c.0 < at);
            let from_here = cuts[before..].iter().take_while(|c| c.0 == at);
            // A block that starts where the cut writes an inline mark still
            // starts there (a table whose first cell is a span); an inline
            // piece starting there is what the cut took (a footnote
            // reference, a link's brackets); what starts inside is gone.
            let block = usize::from(kind) < crate::markup::FIRST_INLINE_KIND;
            let mut from_here = from_here;
            let gone = furthest[before] > at || from_here.any(|&(_, e, not_mark)| (not_mark || !block) && at < e);
            if !gone {
                expected.push((at, kind, body.line(at)));
            }
        }
        expected.sort_unstable();
        self.out.expected = expected;
        let inline =
            cuts.iter().find(|&&(s, e, _)| !body.text[s..e].contains('\n') || body.text[s..e].starts_with('['));
        self.out.first_cut_line = inline.map(|&(s, _, _)| body.line(s));
    }

    fn apply(&mut self) {
        let sec = self.s;
        let text = &sec.body.text;
        let mut edits = std::mem::take(&mut self.edits);
        edits.sort_by_key(|e| (e.start(), matches!(e, Edit::Replace { .. })));
        self.expect_structure(&edits);
        let mut out = String::with_capacity(text.len());
        let (mut synthetic, mut figures) = (Vec::new(), Vec::new());
        let mut cursor = 0;
        let mut copied = Vec::new();
        let mut written = Vec::new();
        let mut copy = |out: &mut String, from: usize, to: usize| {
            if to > from {
                copied.push((out.len(), from, to - from));
                out.push_str(&text[from..to]);
            }
        };
        for e in edits {
            match e {
                Edit::Break { at, kind } if at >= cursor => {
                    copy(&mut out, cursor, at);
                    cursor = at;
                    synthetic.push((out.len(), kind));
                }
                Edit::Figure { at, index } if at >= cursor => {
                    copy(&mut out, cursor, at);
                    cursor = at;
                    figures.push((out.len(), index));
                }
                Edit::Replace { start, end, with } if start >= cursor => {
                    copy(&mut out, cursor, start);
                    if !with.is_empty() {
                        written.push((out.len(), start, with.len()));
                    }
                    out.push_str(with);
                    cursor = end;
                }
                _ => {}
            }
        }
        copy(&mut out, cursor, text.len());
        self.out.copied = copied;
        self.out.written = written;
        self.out.text = Arc::new(CutText { text: out, synthetic, figures });
    }
}

/// Cut an included section's body for `edition`.
pub fn cut(s: &Section, e: &Edition) -> Cut {
    let out = Cut {
        text: Arc::new(CutText { text: String::new(), synthetic: Vec::new(), figures: Vec::new() }),
        marking: s.classification,
        handling: s.handling.iter().cloned().collect(),
        withheld: Vec::new(),
        links: Vec::new(),
        figures: Vec::new(),
        errors: Vec::new(),
        warnings: Vec::new(),
        expected: Vec::new(),
        copied: Vec::new(),
        written: Vec::new(),
        first_cut_line: None,
        file: s.file.clone(),
        checked: Default::default(),
    };
    let kept = kept_regions(&s.body, e);
    let mut shown_instead = vec![false; kept.len()];
    for (g, _) in s.body.regions.iter().zip(&kept).filter(|(_, k)| **k) {
        g.alternative_to.iter().for_each(|&i| shown_instead[i] = true);
    }
    let mut c = Cutter { s, e, kept, shown_instead, edits: Vec::new(), removed: Vec::new(), out };
    c.regions();
    c.footnotes();
    c.references();
    c.figures();
    c.apply();
    c.out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::tests::profile;
    use std::path::Path;

    fn section(body: &str) -> Section {
        let src = format!("---\ntitle: T\nclassification: OFFICIAL\naudience: [all]\n---\n{body}");
        let (s, d) = crate::section::parse(&src, Path::new("content/x.md"), Path::new("x.md"), &profile());
        s.unwrap_or_else(|| panic!("{d:?}"))
    }

    fn cut_for(body: &str, edition: usize, show: bool) -> Cut {
        let s = section(body);
        let mut e = profile().editions[edition].clone();
        e.show_withheld = show;
        cut(&s, &e)
    }

    #[test]
    fn a_footnote_label_may_have_one_definition_per_edition() {
        let body = "A claim.[^src]\n\n::: {audience=\"partnership\"}\n[^src]: Partners zqp.\n:::\n\n::: {audience=\"members\"}\n[^SRC]: Members zqm.\n:::\n";
        let (p, m) = (cut_for(body, 0, false), cut_for(body, 1, false));
        assert!(p.errors.is_empty() && m.errors.is_empty(), "{:?} {:?}", p.errors, m.errors);
        assert!(p.text.text.contains("zqp") && !p.text.text.contains("zqm"), "{}", p.text.text);
        assert!(
            m.text.text.contains("zqm") && !m.text.text.contains("zqp") && m.text.text.contains("[^src]"),
            "{}",
            m.text.text
        );
        // Kept twice in one edition: refused there, naming it.
        let body = "A claim.[^src]\n\n[^src]: Open.\n\n::: {audience=\"partnership\"}\n[^Src]: Partners zqp.\n:::\n";
        let p = cut_for(body, 0, false);
        assert!(
            p.errors.len() == 1 && p.errors[0].message.contains("defined twice in edition `partnership`"),
            "{:?}",
            p.errors
        );
        assert!(cut_for(body, 1, false).errors.is_empty());
    }

    /// The cut text as the renderer shows it: without its marks.
    fn shown(c: &Cut) -> String {
        c.text.text.replace(CUT_MARK, "")
    }

    #[test]
    fn an_unused_definition_is_emptied_not_taken_out() {
        for body in [
            "Intro.\n\n[k]: https://x.example/zq\n    tail\n",
            "Intro.\n\n[k]: https://x.example/zq\n[j]: https://y.example/\n\nSee [y][j].\n",
            "> [k]: https://x.example/zq\n> 'zq title'\n> ===\n",
        ] {
            let c = cut_for(body, 0, false);
            assert!(
                c.text.text.contains(EMPTIED_DEFINITION) && !c.text.text.contains("zq"),
                "{body:?}: {:?}",
                c.text.text
            );
        }
    }

    #[test]
    fn a_cut_marks_where_it_took_characters_out_of_a_line() {
        // An emptied line stays a line of its paragraph; a kept span's text
        // does not start its line.
        let c = cut_for("Lead\n[Subject A]{audience=\"partnership\"}\n    more\n", 1, false);
        assert!(c.text.text.contains("Lead\n\u{E003}\n    more"), "{:?}", c.text.text);
        let c = cut_for("[~~~]{audience=\"partnership\"}\n", 0, false);
        assert!(c.text.text.starts_with("\u{E003}~~~\u{E003}"), "{:?}", c.text.text);
    }

    #[test]
    fn removes_blocks_and_spans_per_edition() {
        let body = "A [secret]{audience=\"partnership\"}[public]{audience=\"members\"}.\n\n::: {classification=\"OFFICIAL-SENSITIVE\"}\nHIDDEN\n:::\n";
        let c = cut_for(body, 0, false);
        assert!(shown(&c).contains("A secret.") && shown(&c).contains("HIDDEN"), "{}", c.text.text);
        assert_eq!(c.marking, Marking::OfficialSensitive);
        let c = cut_for(body, 1, false);
        assert!(
            shown(&c).contains("A public.") && !shown(&c).contains("HIDDEN") && !shown(&c).contains("secret"),
            "{}",
            c.text.text
        );
        assert_eq!(c.marking, Marking::Official);
        assert_eq!(c.withheld.len(), 2);
        assert_eq!(c.withheld[1].kind, Kind::Block);
        assert_eq!(c.withheld[1].line, 8);
        assert_eq!(c.withheld[1].reasons, vec![Reason::Marking("OFFICIAL-SENSITIVE".into())]);
        // the withheld block leaves one synthetic break, the kept one two
        assert_eq!(c.text.synthetic.len(), 1);
        assert_eq!(cut_for(body, 0, false).text.synthetic.len(), 2);
    }

    #[test]
    fn show_withheld_leaves_notices_unless_an_alternative_stands_in() {
        let c = cut_for("A [x]{audience=\"partnership\"}.\n\n::: {audience=\"partnership\"}\nB\n:::\n", 1, true);
        assert!(shown(&c).contains(WITHHELD_SPAN), "{}", c.text.text);
        assert_eq!(c.text.synthetic.iter().filter(|(_, k)| *k == Synthetic::Notice).count(), 1);
        let c = cut_for("Run by [Subject A]{audience=\"partnership\"}[a local man]{otherwise}.\n", 1, true);
        assert!(shown(&c).contains("Run by a local man.") && !shown(&c).contains(WITHHELD_SPAN), "{}", c.text.text);
        let c = cut_for("Run by [Subject A]{audience=\"partnership\"}[a local man]{otherwise}.\n", 0, true);
        assert!(shown(&c).contains("Run by Subject A.") && !shown(&c).contains("local"), "{}", c.text.text);
    }

    #[test]
    fn a_stranded_sentence_is_a_warning() {
        let c = cut_for("Run by [Subject A]{audience=\"partnership\"}.\n", 1, false);
        assert!(c.warnings[0].message.contains("loses words"), "{:?}", c.warnings);
    }

    #[test]
    fn footnotes_follow_their_references() {
        let c = cut_for(
            "Open.[^a] [Only partners[^b]]{audience=\"partnership\"}\n\n[^a]: Note A.\n[^b]: Note B zq.\n",
            1,
            false,
        );
        assert!(c.text.text.contains("Note A") && !c.text.text.contains("Note B"), "{}", c.text.text);
        let c = cut_for("Open.[^b]\n\n::: {audience=\"partnership\"}\n[^b]: Note B zq.\n:::\n", 1, false);
        assert!(!c.text.text.contains("[^b]") && !c.text.text.contains("Note B"), "{}", c.text.text);
    }

    #[test]
    fn footnotes_that_refer_only_to_each_other_go_with_their_reference() {
        let own = "[Subject[^a]]{audience=\"partnership\"} seen.\n\n[^a]: Jane Zq, again[^a].\n";
        let pair = "[S[^a]]{audience=\"partnership\"} seen.\n\n[^a]: Jane Zq, see[^b].\n[^b]: Mill Lane Zq, see[^a].\n";
        for text in [own, pair] {
            let c = cut_for(text, 1, false);
            assert!(!c.text.text.contains("Zq") && !c.text.text.contains("[^"), "{}", c.text.text);
            let c = cut_for(text, 0, false);
            assert!(c.text.text.contains("Jane Zq"), "the partnership keeps it: {}", c.text.text);
        }
        // Reached through a kept footnote, a footnote stays.
        let c = cut_for("Open.[^a]\n\n[^a]: Note A[^b].\n[^b]: Note B, and A[^a].\n", 1, false);
        assert!(c.text.text.contains("Note A") && c.text.text.contains("Note B"), "{}", c.text.text);
    }

    #[test]
    fn a_kept_link_to_a_withheld_definition_is_an_error() {
        let c = cut_for("See [the file][k].\n\n::: {audience=\"partnership\"}\n[k]: secret.pdf\n:::\n", 1, false);
        assert!(c.errors[0].message.contains("withheld from edition `members`"), "{:?}", c.errors);
        let c = cut_for("See [x][k] [y]{audience=\"partnership\"}\n\n[k]: a.pdf\n[z]: unused.pdf\n", 0, false);
        assert!(c.errors.is_empty() && !c.text.text.contains("unused"), "{}", c.text.text);
    }
}
