//! Turns [`SearchDoc`]s into the chunked index that search.js reads. The
//! format is described file by file in docs/search-index-format.md; in short:
//! a small root file (`index.js`: the front-coded vocabulary, where each
//! term's postings are, and the field lengths ranking needs), the postings in
//! term chunks (`t/N.js`) of consecutive vocabulary terms, each page's display
//! text in a file of its own (`d/N.js`), and the threat and area filters
//! (`f.js`). Postings are delta-coded numbers in a base-64 variable-length
//! integer code (VLQ), so the files are mostly digits of data rather than
//! JSON punctuation. Every file is a script calling
//! `window.BRIEF_SEARCH.chunk(name, data)`, so it loads from file:// too.

use super::tokenize::tokenize_shared;
use super::SearchDoc;
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;
use std::hash::BuildHasher;
use std::sync::Arc;

/// Format version; search.js refuses an index with another.
pub(crate) const VERSION: u32 = 2;
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
/// A term chunk is closed before it grows past this many characters of
/// postings (a term longer than that has a chunk of its own). A query loads
/// one chunk per term, so this bounds what a rare term costs; every file
/// loaded also costs a few milliseconds whatever its size, so chunks are not
/// made smaller than this.
pub(crate) const CHUNK_CHARS: usize = 16 * 1024;

/// The 64 digits of the VLQ code: values 0-31 end a number, 32-63 carry five
/// more bits. URL-safe base 64, so nothing in it needs escaping in JSON.
pub(crate) const VLQ_DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// `index.js`: everything a query needs before it knows which chunks to load.
#[derive(Serialize)]
struct Root<'a> {
    version: u32,
    fields: [&'static str; 6],
    boosts: [u32; 6],
    threats: &'a [&'a str],
    areas: &'a [&'a str],
    /// VLQ: per page its number of parts.
    page_parts: String,
    /// VLQ: per page the token counts of title, summary, threat, area.
    page_lengths: String,
    /// VLQ: per part `body × 4 + min(heading, 3)`, then `heading − 3` when heading ≥ 3.
    part_lengths: String,
    vocab: String,
    /// VLQ: how many consecutive vocabulary terms each term chunk `t/N.js` holds.
    chunks: String,
    /// How many pages' display rows each `d/N.js` holds: page p is in `d/{p / display}`.
    display: usize,
}

/// Pages a display file holds: a few, so an edition of 10,000 sections
/// ships 2,500 small files rather than 10,000 (creating files is much of a
/// build's time), while ten results still load at most about 50 KB of them.
pub const DISPLAY_PAGES: usize = 4;

/// Pages tokenised at once by [`build_index`] before their tokens are merged.
const TOKENISE_PAGES: usize = 256;

/// One row of `d/N.js` (which holds [`DISPLAY_PAGES`] rows, in page order):
/// `[url, title, marking, summary, [[anchor, heading, snippet text], …]]`
type DisplayRow<'a> = (&'a str, &'a str, &'a str, String, Vec<(&'a str, &'a str, String)>);

/// `f.js`: per threat and per area name (in root order) its pages, as VLQ gaps.
#[derive(Serialize)]
struct Filters {
    threats: Vec<String>,
    areas: Vec<String>,
}

/// Per term and field: (page or part number, term frequency), ascending.
type Postings = [Vec<(usize, u32)>; 6];

pub(crate) fn build_index(docs: &[SearchDoc], chunk_chars: usize) -> Vec<(String, Vec<u8>)> {
    build_index_in_batches(docs, chunk_chars, TOKENISE_PAGES)
}

/// [`build_index`], tokenising `batch` pages at a time (the files do not depend on it).
fn build_index_in_batches(docs: &[SearchDoc], chunk_chars: usize, batch: usize) -> Vec<(String, Vec<u8>)> {
    let threats = sorted_names(docs.iter().flat_map(|d| &d.threats));
    let areas = sorted_names(docs.iter().flat_map(|d| &d.areas));
    // Tokenising is the costly part and independent per page: do it in parallel,
    // then merge into the inverted index in page order. A batch of pages at a
    // time: every token is a string, and an edition's tokens all at once
    // would be hundreds of megabytes at 10,000 sections.
    let mut inverted: HashMap<String, Postings> = HashMap::default();
    let (mut page_lengths, mut part_lengths, mut page_parts) = (String::new(), String::new(), String::new());
    let mut parts = 0;
    let tokenized = docs.chunks(batch).flat_map(|batch| batch.par_iter().map(DocTokens::of).collect::<Vec<_>>());
    for (page, (doc, toks)) in docs.iter().zip(tokenized).enumerate() {
        for (field, tokens) in
            [(TITLE, &toks.title), (SUMMARY, &toks.summary), (THREAT, &toks.threats), (AREA, &toks.areas)]
        {
            push_vlq(&mut page_lengths, add_field(&mut inverted, field, page, tokens));
        }
        for (heading, body) in &toks.parts {
            let heading = add_field(&mut inverted, HEADING, parts, heading);
            let body = add_field(&mut inverted, BODY, parts, body);
            push_vlq(&mut part_lengths, body * 4 + heading.min(3));
            if heading >= 3 {
                push_vlq(&mut part_lengths, heading - 3);
            }
            parts += 1;
        }
        push_vlq(&mut page_parts, doc.parts.len());
    }
    let mut inverted: Vec<(String, Postings)> = inverted.into_iter().collect();
    inverted.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let postings: Vec<String> = inverted.par_iter().map(|(_, p)| encode_postings(p)).collect();

    // Consecutive terms into chunks of about chunk_chars.
    let mut chunks: Vec<std::ops::Range<usize>> = Vec::new();
    let (mut start, mut size) = (0, 0);
    for (i, p) in postings.iter().enumerate() {
        let cost = p.len() + 3; // quotes and comma
        if i > start && size + cost > chunk_chars {
            chunks.push(start..i);
            (start, size) = (i, 0);
        }
        size += cost;
    }
    if start < postings.len() {
        chunks.push(start..postings.len());
    }

    let root = Root {
        version: VERSION,
        fields: FIELDS,
        boosts: BOOSTS,
        threats: &threats,
        areas: &areas,
        page_parts,
        page_lengths,
        part_lengths,
        vocab: front_code(inverted.iter().map(|(t, _)| t)),
        chunks: vlq(&chunks.iter().map(|c| c.len()).collect::<Vec<_>>()),
        display: DISPLAY_PAGES,
    };
    let mut files = vec![script("index", &root)];
    files.par_extend(chunks.par_iter().enumerate().map(|(n, c)| script(&format!("t/{n}"), &postings[c.clone()])));
    files.par_extend(docs.par_chunks(DISPLAY_PAGES).enumerate().map(|(n, group)| {
        let rows: Vec<DisplayRow> = group
            .iter()
            .map(|doc| {
                (
                    doc.url.as_str(),
                    doc.title.as_str(),
                    doc.marking.as_str(),
                    squash_spaces(&doc.summary),
                    doc.parts.iter().map(|p| (p.anchor.as_str(), p.heading.as_str(), snippet_text(&p.text))).collect(),
                )
            })
            .collect();
        script(&format!("d/{n}"), &rows)
    }));
    let members = |names: &[&str], of: &dyn Fn(&SearchDoc) -> &Vec<String>| -> Vec<String> {
        names
            .iter()
            .map(|name| {
                let pages: Vec<usize> =
                    docs.iter().enumerate().filter(|(_, d)| of(d).iter().any(|n| n == name)).map(|(p, _)| p).collect();
                let gaps: Vec<usize> = pages.iter().scan(0, |prev, &p| Some(p - std::mem::replace(prev, p))).collect();
                vlq(&gaps)
            })
            .collect()
    };
    let filters = Filters { threats: members(&threats, &|d| &d.threats), areas: members(&areas, &|d| &d.areas) };
    files.push(script("f", &filters));
    files
}

/// One index file: `window.BRIEF_SEARCH.chunk("name",JSON);` saved as `name.js`.
fn script(name: &str, data: &(impl Serialize + ?Sized)) -> (String, Vec<u8>) {
    let json = serde_json::to_string(data).expect("index serialises");
    // U+2028/2029 are legal in JSON strings but ended JS strings before ES2019.
    let json = if json.contains(['\u{2028}', '\u{2029}']) {
        json.replace('\u{2028}', "\\u2028").replace('\u{2029}', "\\u2029")
    } else {
        json
    };
    (format!("{name}.js"), format!("window.BRIEF_SEARCH.chunk(\"{name}\",{json});\n").into_bytes())
}

/// The tokens of one page's fields and parts, counted.
struct DocTokens {
    title: Counted,
    summary: Counted,
    threats: Counted,
    areas: Counted,
    /// (heading, body) per part
    parts: Vec<(Counted, Arc<Counted>)>,
}

/// A field's distinct terms with how often each occurs, and its length in
/// tokens. Counted while pages are tokenised in parallel, so the merge into
/// the inverted index, one page after another, only files each term.
struct Counted {
    terms: Vec<(Arc<str>, u32)>,
    len: usize,
}

impl Counted {
    fn of(text: &str) -> Counted {
        let tokens = tokenize_shared(text);
        let mut counts: HashMap<&str, (u32, &Arc<str>)> = HashMap::default();
        for t in &tokens {
            counts.entry(&**t).or_insert((0, t)).0 += 1;
        }
        Counted { terms: counts.into_values().map(|(tf, t)| (t.clone(), tf)).collect(), len: tokens.len() }
    }
}

impl DocTokens {
    fn of(doc: &SearchDoc) -> DocTokens {
        DocTokens {
            title: Counted::of(&doc.title),
            summary: Counted::of(&doc.summary),
            threats: Counted::of(&doc.threats.join(", ")),
            areas: Counted::of(&doc.areas.join(", ")),
            parts: doc.parts.iter().map(|p| (Counted::of(&p.heading), BodyMemo::counted(&p.text))).collect(),
        }
    }
}

/// Parts' bodies counted once for every edition: most sections are shown
/// whole to more than one edition, and each edition's index would otherwise
/// tokenise the same text again (most of an index's time). Keyed by the
/// whole text, never a hash of it, so an entry is only ever the tokens of
/// exactly the text asked about: an edition gets nothing from it that its
/// own text would not give. Shared by every build in the process (a
/// preview rebuilds often) and emptied when it grows past [`BodyMemo::LIMIT`].
struct BodyMemo;

type MemoShard = std::sync::Mutex<(HashMap<Box<str>, Arc<Counted>>, usize)>;

impl BodyMemo {
    /// Bytes of text held before a shard is emptied.
    const LIMIT: usize = 4 << 20;
    const SHARDS: usize = 16;
    /// Shorter texts are counted afresh: looking them up costs about as much.
    const SHORTEST: usize = 200;

    fn counted(text: &str) -> Arc<Counted> {
        static MEMO: std::sync::LazyLock<Vec<MemoShard>> =
            std::sync::LazyLock::new(|| (0..BodyMemo::SHARDS).map(|_| Default::default()).collect());
        if text.len() < Self::SHORTEST {
            return Arc::new(Counted::of(text));
        }
        let shard = &MEMO[(rustc_hash::FxBuildHasher.hash_one(text) as usize) % Self::SHARDS];
        let lock = || shard.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(c) = lock().0.get(text) {
            return c.clone();
        }
        let c = Arc::new(Counted::of(text));
        let mut memo = lock();
        if memo.1 + text.len() > Self::LIMIT {
            *memo = Default::default();
        }
        memo.1 += text.len();
        memo.0.insert(text.into(), c.clone());
        c
    }
}

/// Indexes one field of one page or part; returns its length in tokens.
fn add_field(inverted: &mut HashMap<String, Postings>, field: usize, id: usize, counted: &Counted) -> usize {
    for (term, tf) in &counted.terms {
        match inverted.get_mut(&**term) {
            Some(p) => p[field].push((id, *tf)),
            None => inverted.entry(term.to_string()).or_default()[field].push((id, *tf)),
        }
    }
    counted.len
}

/// Distinct display names, sorted for the filter menus.
fn sorted_names<'a>(names: impl Iterator<Item = &'a String>) -> Vec<&'a str> {
    let mut v: Vec<&str> = names.map(String::as_str).collect();
    v.sort_by_key(|s| (s.to_lowercase(), s.to_string()));
    v.dedup();
    v
}

fn squash_spaces(text: &str) -> String {
    crate::render::squash_whitespace(text)
}

/// The start of a part's text, cut at a word boundary, for snippets.
fn snippet_text(text: &str) -> String {
    // Squashed only as far as the snippet reaches: a part can be long.
    let mut squashed = String::with_capacity(SNIPPET_CHARS + 64);
    let mut chars = 0;
    for word in text.split_whitespace() {
        if chars > SNIPPET_CHARS {
            break;
        }
        if !squashed.is_empty() {
            squashed.push(' ');
            chars += 1;
        }
        squashed.push_str(word);
        chars += word.chars().count();
    }
    if chars <= SNIPPET_CHARS {
        return squashed;
    }
    let cut: String = squashed.chars().take(SNIPPET_CHARS).collect();
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

/// Digits `n` takes in the VLQ code.
fn vlq_len(n: usize) -> usize {
    1 + (usize::BITS - n.leading_zeros()).saturating_sub(1) as usize / 5
}

fn vlq(numbers: &[usize]) -> String {
    let mut out = String::new();
    for &n in numbers {
        push_vlq(&mut out, n);
    }
    out
}

/// Per field with entries: `field × 4 + (k − 1)`, the entry count, then per
/// entry (ascending id) `gap × 2^k + min(tf − 1, 2^k − 1)`, followed by
/// `tf − 2^k` when tf ≥ 2^k. The gap is the id minus the previous entry's.
/// k (1–4) is chosen per field to make the list shortest: 1 suits lists where
/// most frequencies are 1, larger k dense lists of common words.
fn encode_postings(postings: &Postings) -> String {
    let mut out = String::new();
    for (field, list) in postings.iter().enumerate().filter(|(_, l)| !l.is_empty()) {
        let cost = |k: u32| -> usize {
            let mut prev = 0;
            list.iter()
                .map(|&(id, tf)| {
                    let (gap, tf) = (id - std::mem::replace(&mut prev, id), tf as usize);
                    let escape = (1 << k) - 1;
                    vlq_len(gap << k | (tf - 1).min(escape)) + if tf > escape { vlq_len(tf - (1 << k)) } else { 0 }
                })
                .sum()
        };
        let k = (1..=4).min_by_key(|&k| cost(k)).expect("k in 1..=4");
        push_vlq(&mut out, field * 4 + (k as usize - 1));
        push_vlq(&mut out, list.len());
        let escape = (1 << k) - 1;
        let mut prev = 0;
        for &(id, tf) in list {
            let (gap, tf) = (id - prev, tf as usize);
            prev = id;
            push_vlq(&mut out, gap << k | (tf - 1).min(escape));
            if tf > escape {
                push_vlq(&mut out, tf - (1 << k));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::{SearchDoc, SearchPart};

    #[test]
    fn snippets_are_the_start_of_the_squashed_text_cut_at_a_word() {
        let whole = |text: &str| {
            let text = squash_spaces(text);
            if text.chars().count() <= SNIPPET_CHARS {
                return text;
            }
            let cut: String = text.chars().take(SNIPPET_CHARS).collect();
            let cut = cut.rfind(' ').map_or(cut.as_str(), |i| &cut[..i]);
            format!("{cut} …")
        };
        let words =
            ["a", "bé", "county", "lines", "\n\t", "  ", "x".repeat(SNIPPET_CHARS).leak(), "é".repeat(7).leak()];
        let mut r = crate::testing::Rng(0x2545_F491_4F6C_DD1D);
        for n in 0..3000 {
            let mut text = String::new();
            for _ in 0..(n % 120) {
                text.push_str(words[r.below(words.len())]);
                text.push(if r.below(3) == 0 { '\n' } else { ' ' });
            }
            assert_eq!(snippet_text(&text), whole(&text), "{text:?}");
        }
    }

    #[test]
    fn the_files_do_not_depend_on_how_many_pages_are_tokenised_at_once() {
        let docs: Vec<SearchDoc> = (0..40)
            .map(|i| SearchDoc {
                url: format!("sections/s{i}.html"),
                title: format!("Section {i} on topic{}", i % 5),
                marking: "OFFICIAL".into(),
                summary: format!("Summary word{} and word{}", i % 3, i % 11),
                threats: vec![format!("Threat {}", i % 4)],
                areas: vec![format!("Area {}", i % 6)],
                parts: (0..1 + i % 3)
                    .map(|p| SearchPart {
                        anchor: format!("h{p}"),
                        heading: format!("Heading {p} term{}", (i + p) % 7),
                        text: format!("Body text term{} term{} repeated repeated {i}", i % 9, (i * p) % 13),
                    })
                    .collect(),
            })
            .collect();
        let whole = build_index_in_batches(&docs, 200, docs.len());
        assert!(whole.len() > 10, "several chunks: {}", whole.len());
        for batch in [1, 3, 7, 39] {
            assert_eq!(build_index_in_batches(&docs, 200, batch), whole, "batches of {batch}");
        }
    }

    #[test]
    fn remembered_bodies_count_exactly_their_own_text() {
        let sorted = |c: &Counted| {
            let mut t: Vec<(String, u32)> = c.terms.iter().map(|(t, n)| (t.to_string(), *n)).collect();
            t.sort();
            (t, c.len)
        };
        let mut r = crate::testing::Rng(0x9E37_79B9_7F4A_7C15);
        let words = ["county", "lines", "harbour", "quayside", "meeting", "cuckooing", "é", "the"];
        // Texts that differ in a word or two, asked for again and again (and
        // past the memo's limit, which empties it), in any order.
        let texts: Vec<String> = (0..400)
            .map(|n| (0..60 + n % 7).map(|_| words[r.below(words.len())]).collect::<Vec<_>>().join(" "))
            .collect();
        for round in 0..3 {
            for (i, t) in texts.iter().enumerate().rev().step_by(1 + round) {
                assert_eq!(sorted(&BodyMemo::counted(t)), sorted(&Counted::of(t)), "text {i}, round {round}");
            }
        }
        let big = "word ".repeat(BodyMemo::LIMIT / 5 + 1);
        assert_eq!(sorted(&BodyMemo::counted(&big)), sorted(&Counted::of(&big)));
        assert_eq!(sorted(&BodyMemo::counted(&texts[0])), sorted(&Counted::of(&texts[0])));
    }
}
