//! Turns [`SearchDoc`]s into the compact index that search.js reads. The
//! format is described field by field in docs/search-index-format.md; in
//! short: a page table and a part (heading) table, a sorted front-coded
//! vocabulary, and per term a string of delta-encoded postings in a base-64
//! variable-length integer code (VLQ), so the index is mostly ASCII digits of
//! data rather than JSON punctuation.

use super::{tokenize, SearchDoc};
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;
use std::collections::BTreeMap;

/// Format version; search.js refuses an index with another.
pub(crate) const VERSION: u32 = 1;
/// Field order is the field number used in postings.
pub(crate) const FIELDS: [&str; 6] = ["title", "heading", "body", "summary", "threat", "area"];
/// Ranking weights per field (title > headings > summary/threats/areas > body).
pub(crate) const BOOSTS: [u32; 6] = [8, 4, 1, 2, 2, 2];
const TITLE: usize = 0;
const HEADING: usize = 1;
const BODY: usize = 2;
const SUMMARY: usize = 3;
const THREAT: usize = 4;
const AREA: usize = 5;
/// Characters of each part's text kept for result snippets. Matches further
/// into a long part still count for ranking; the snippet then shows its start.
pub(crate) const SNIPPET_CHARS: usize = 300;

/// The 64 digits of the VLQ code: values 0-31 end a number, 32-63 carry five
/// more bits. URL-safe base 64, so nothing in it needs escaping in JSON.
pub(crate) const VLQ_DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

#[derive(Serialize)]
struct IndexFile<'a> {
    version: u32,
    fields: [&'static str; 6],
    boosts: [u32; 6],
    threats: Vec<&'a str>,
    areas: Vec<&'a str>,
    pages: Vec<PageRow<'a>>,
    /// `[anchor, heading, snippet text]`, pages' parts one after another.
    parts: Vec<(&'a str, &'a str, String)>,
    /// VLQ: per page the token counts of title, summary, threat, area.
    page_lengths: String,
    /// VLQ: per part the token counts of heading and body.
    part_lengths: String,
    vocab: String,
    postings: Vec<String>,
}

/// `[url, title, marking, summary, [threat numbers], [area numbers], part count]`
type PageRow<'a> = (&'a str, &'a str, &'a str, String, Vec<usize>, Vec<usize>, usize);

/// Per term and field: (page or part number, term frequency), ascending.
type Postings = [Vec<(usize, u32)>; 6];

pub(crate) fn build_index(docs: &[SearchDoc]) -> String {
    let threats = sorted_names(docs.iter().flat_map(|d| &d.threats));
    let areas = sorted_names(docs.iter().flat_map(|d| &d.areas));
    // Tokenising is the costly part and independent per page: do it in parallel,
    // then merge into the inverted index in page order.
    let tokenized: Vec<DocTokens> = docs.par_iter().map(DocTokens::of).collect();
    let mut inverted: HashMap<String, Postings> = HashMap::default();
    let (mut pages, mut parts) = (Vec::new(), Vec::new());
    let (mut page_lengths, mut part_lengths) = (Vec::new(), Vec::new());

    for (page, (doc, toks)) in docs.iter().zip(&tokenized).enumerate() {
        for (field, tokens) in
            [(TITLE, &toks.title), (SUMMARY, &toks.summary), (THREAT, &toks.threats), (AREA, &toks.areas)]
        {
            page_lengths.push(add_field(&mut inverted, field, page, tokens));
        }
        for (part, (heading, body)) in doc.parts.iter().zip(&toks.parts) {
            part_lengths.push(add_field(&mut inverted, HEADING, parts.len(), heading));
            part_lengths.push(add_field(&mut inverted, BODY, parts.len(), body));
            parts.push((part.anchor.as_str(), part.heading.as_str(), snippet_text(&part.text)));
        }
        pages.push((
            doc.url.as_str(),
            doc.title.as_str(),
            doc.marking.as_str(),
            squash_spaces(&doc.summary),
            positions(&threats, &doc.threats),
            positions(&areas, &doc.areas),
            doc.parts.len(),
        ));
    }
    let inverted: BTreeMap<String, Postings> = inverted.into_iter().collect();

    let file = IndexFile {
        version: VERSION,
        fields: FIELDS,
        boosts: BOOSTS,
        vocab: front_code(inverted.keys()),
        postings: inverted.values().map(encode_postings).collect(),
        threats,
        areas,
        pages,
        parts,
        page_lengths: vlq(&page_lengths),
        part_lengths: vlq(&part_lengths),
    };
    let json = serde_json::to_string(&file).expect("index serialises");
    // U+2028/2029 are legal in JSON strings but ended JS strings before ES2019.
    let json = json.replace('\u{2028}', "\\u2028").replace('\u{2029}', "\\u2029");
    format!("window.BRIEF_SEARCH_INDEX = {json};\n")
}

/// The tokens of one page's fields and parts.
struct DocTokens {
    title: Vec<String>,
    summary: Vec<String>,
    threats: Vec<String>,
    areas: Vec<String>,
    /// (heading, body) per part
    parts: Vec<(Vec<String>, Vec<String>)>,
}

impl DocTokens {
    fn of(doc: &SearchDoc) -> DocTokens {
        DocTokens {
            title: tokenize(&doc.title),
            summary: tokenize(&doc.summary),
            threats: tokenize(&doc.threats.join(", ")),
            areas: tokenize(&doc.areas.join(", ")),
            parts: doc.parts.iter().map(|p| (tokenize(&p.heading), tokenize(&p.text))).collect(),
        }
    }
}

/// Indexes one field of one page or part; returns its length in tokens.
fn add_field(inverted: &mut HashMap<String, Postings>, field: usize, id: usize, tokens: &[String]) -> usize {
    let mut counts: HashMap<&str, u32> = HashMap::default();
    for t in tokens {
        *counts.entry(t).or_default() += 1;
    }
    for (term, tf) in counts {
        match inverted.get_mut(term) {
            Some(p) => p[field].push((id, tf)),
            None => inverted.entry(term.to_string()).or_default()[field].push((id, tf)),
        }
    }
    tokens.len()
}

/// Distinct display names, sorted for the filter menus.
fn sorted_names<'a>(names: impl Iterator<Item = &'a String>) -> Vec<&'a str> {
    let mut v: Vec<&str> = names.map(String::as_str).collect();
    v.sort_by_key(|s| (s.to_lowercase(), s.to_string()));
    v.dedup();
    v
}

fn positions(all: &[&str], names: &[String]) -> Vec<usize> {
    let mut v: Vec<usize> = names.iter().filter_map(|n| all.iter().position(|a| a == n)).collect();
    v.sort_unstable();
    v.dedup();
    v
}

fn squash_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The start of a part's text, cut at a word boundary, for snippets.
fn snippet_text(text: &str) -> String {
    let text = squash_spaces(text);
    if text.chars().count() <= SNIPPET_CHARS {
        return text;
    }
    let cut: String = text.chars().take(SNIPPET_CHARS).collect();
    let cut = cut.rfind(' ').map_or(cut.as_str(), |i| &cut[..i]);
    format!("{cut} …")
}

/// Appends `n` in the VLQ code: five bits per digit, low bits first.
pub(crate) fn push_vlq(out: &mut String, mut n: usize) {
    while n >= 32 {
        out.push(VLQ_DIGITS[32 + (n & 31)] as char);
        n >>= 5;
    }
    out.push(VLQ_DIGITS[n] as char);
}

fn vlq(numbers: &[usize]) -> String {
    let mut out = String::new();
    for &n in numbers {
        push_vlq(&mut out, n);
    }
    out
}

/// Per field with entries: field number, entry count, then per entry the gap
/// from the previous id, doubled, plus one if a term frequency follows
/// (frequency 1, by far the commonest, costs nothing).
fn encode_postings(postings: &Postings) -> String {
    let mut out = String::new();
    for (field, list) in postings.iter().enumerate().filter(|(_, l)| !l.is_empty()) {
        push_vlq(&mut out, field);
        push_vlq(&mut out, list.len());
        let mut prev = 0;
        for &(id, tf) in list {
            let gap = id - prev;
            prev = id;
            if tf == 1 {
                push_vlq(&mut out, gap * 2);
            } else {
                push_vlq(&mut out, gap * 2 + 1);
                push_vlq(&mut out, tf as usize);
            }
        }
    }
    out
}

/// Sorted terms, space separated, each as the length of the prefix it shares
/// with the one before (in UTF-16 units, which is what JS `slice` counts; in
/// VLQ) followed by the rest. Tokens never contain spaces.
fn front_code<'a>(terms: impl Iterator<Item = &'a String>) -> String {
    let mut out = String::new();
    let mut prev = "";
    for term in terms {
        let shared: Vec<char> = prev.chars().zip(term.chars()).take_while(|(a, b)| a == b).map(|(a, _)| a).collect();
        if !out.is_empty() {
            out.push(' ');
        }
        push_vlq(&mut out, shared.iter().map(|c| c.len_utf16()).sum());
        let bytes: usize = shared.iter().map(|c| c.len_utf8()).sum();
        out.push_str(&term[bytes..]);
        prev = term;
    }
    out
}
