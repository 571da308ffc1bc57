//! Client-side search: everything between the pages' text and the search box.
//!
//! This module owns the token pipeline ([`tokenize`]: fold, lowercase, split,
//! stem) and the index files ([`build_index`]) that each edition ships under
//! `search/`. The browser half, `themes/default/static/search.js`, parses
//! queries (lunr syntax), loads the chunks of the index a query needs, ranks
//! pages (BM25 with field boosts) and draws the results; it repeats the token
//! pipeline exactly, which `tests/search_parity.rs` checks. The file format is
//! in docs/search-index-format.md.
//!
//! Search runs with no server and loads nothing from elsewhere: each index
//! file is a script (`window.BRIEF_SEARCH.chunk("t/3", …);`) that search.js
//! adds to the page when it needs it, because browsers refuse fetch() on
//! file:// shares. The index is built from one edition's documents only, so it
//! holds only what that edition's pages already show, and its file names are
//! numbers, so a listing of the folder shows no words.

mod index;
mod stem;
mod tokenize;

use serde::Serialize;

pub use index::DISPLAY_PAGES;
pub use tokenize::{fold_letter, tokenize};

/// One page of an edition, as search sees it. Only content that survived the
/// edition's audience filtering may go in: the index ships with the edition.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SearchDoc {
    /// Page path relative to the edition root, e.g. `sections/threats/drugs.html`.
    pub url: String,
    pub title: String,
    /// The page's marking, e.g. `OFFICIAL-SENSITIVE`, shown with each result.
    pub marking: String,
    pub summary: String,
    /// Threat-area display names, e.g. `Drugs`, `Modern slavery`.
    pub threats: Vec<String>,
    /// Priority locations, e.g. `Northtown`.
    pub areas: Vec<String>,
    /// The page's text split at headings; results link to the best part.
    pub parts: Vec<SearchPart>,
}

/// The text under one heading of a page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SearchPart {
    /// The heading's id; `""` for the top of the page (text before any heading).
    pub anchor: String,
    pub heading: String,
    /// Plain text under that heading.
    pub text: String,
}

/// The index as files: (path relative to the edition's `search/` folder,
/// contents). `index.js` is the small root the search page always loads; the
/// rest (`t/N.js` postings, `d/N.js` one page's display text each, `f.js` the
/// threat and area filters) are loaded as a query needs them.
pub fn build_index(docs: &[SearchDoc]) -> Vec<(String, Vec<u8>)> {
    index::build_index(docs, index::CHUNK_CHARS)
}

/// [`build_index`] with term chunks of about `chunk_chars` characters instead
/// of the default, for tests that need many chunks from few pages.
#[doc(hidden)]
pub fn build_index_with_chunk_size(docs: &[SearchDoc], chunk_chars: usize) -> Vec<(String, Vec<u8>)> {
    index::build_index(docs, chunk_chars)
}

#[cfg(test)]
mod tests {
    //! Index-side checks of the quality cases; the query-side ones (typos,
    //! `+`/`-`/`*`/`field:`) run in JS from tests/search_parity.rs.
    use super::index::{FIELDS, VLQ_DIGITS};
    use super::*;
    use serde_json::Value;
    use std::collections::{BTreeMap, BTreeSet};

    /// Reads an index back: its files as JSON, and term -> (field name, page
    /// or part id, tf) triples.
    struct Decoded {
        files: BTreeMap<String, Value>,
        terms: BTreeMap<String, Vec<(&'static str, usize, usize)>>,
        /// term -> the chunk file holding its postings
        chunk_of: BTreeMap<String, String>,
    }

    fn decode_vlq(s: &str) -> Vec<usize> {
        let (mut out, mut n, mut shift) = (Vec::new(), 0, 0);
        for b in s.bytes() {
            let d = VLQ_DIGITS.iter().position(|&x| x == b).unwrap();
            n |= (d & 31) << shift;
            shift += 5;
            if d < 32 {
                out.push(n);
                (n, shift) = (0, 0);
            }
        }
        out
    }

    /// Postings string -> (field, id, tf), as docs/search-index-format.md says.
    fn decode_postings(s: &str) -> Vec<(usize, usize, usize)> {
        postings_groups(s)
            .into_iter()
            .flat_map(|(field, _, hits)| hits.into_iter().map(move |(id, tf)| (field, id, tf)))
            .collect()
    }

    /// One field's postings: (field, k, [(id, tf)]).
    type Group = (usize, usize, Vec<(usize, usize)>);

    /// Postings string -> per field its group.
    fn postings_groups(s: &str) -> Vec<Group> {
        let nums = decode_vlq(s);
        let (mut i, mut groups) = (0, Vec::new());
        while i < nums.len() {
            let (field, k, count) = (nums[i] / 4, nums[i] % 4 + 1, nums[i + 1]);
            i += 2;
            let mut id = 0;
            let mut hits = Vec::new();
            for _ in 0..count {
                id += nums[i] >> k;
                let c = nums[i] & ((1 << k) - 1);
                i += 1;
                let tf = if c == (1 << k) - 1 {
                    i += 1;
                    (1 << k) + nums[i - 1]
                } else {
                    c + 1
                };
                hits.push((id, tf));
            }
            groups.push((field, k, hits));
        }
        groups
    }

    fn decode(files: &[(String, Vec<u8>)]) -> Decoded {
        let mut json = BTreeMap::new();
        for (path, bytes) in files {
            let name = path.strip_suffix(".js").unwrap();
            let text = std::str::from_utf8(bytes).unwrap();
            let body = text
                .strip_prefix(&format!("window.BRIEF_SEARCH.chunk(\"{name}\","))
                .and_then(|t| t.strip_suffix(");\n"))
                .unwrap_or_else(|| panic!("{path} is not a chunk script"));
            json.insert(name.to_string(), serde_json::from_str::<Value>(body).unwrap());
        }
        let root = &json["index"];
        assert_eq!(root["version"], 2);
        let mut vocab = Vec::new();
        let mut prev = String::new();
        for entry in root["vocab"].as_str().unwrap().split(' ') {
            let digits = entry.bytes().position(|b| VLQ_DIGITS.iter().position(|&x| x == b).unwrap() < 32).unwrap() + 1;
            let shared = decode_vlq(&entry[..digits])[0];
            let units: Vec<u16> = prev.encode_utf16().take(shared).collect();
            let term = String::from_utf16(&units).unwrap() + &entry[digits..];
            vocab.push(term.clone());
            prev = term;
        }
        let (mut terms, mut chunk_of) = (BTreeMap::new(), BTreeMap::new());
        let mut next = 0;
        for (n, count) in decode_vlq(root["chunks"].as_str().unwrap()).into_iter().enumerate() {
            let name = format!("t/{n}");
            let postings = json[&name].as_array().unwrap();
            assert_eq!(postings.len(), count, "{name}");
            for p in postings {
                let hits = decode_postings(p.as_str().unwrap()).into_iter().map(|(f, id, tf)| (FIELDS[f], id, tf));
                terms.insert(vocab[next].clone(), hits.collect());
                chunk_of.insert(vocab[next].clone(), name.clone());
                next += 1;
            }
        }
        assert_eq!(next, vocab.len(), "every term has postings in some chunk");
        Decoded { files: json, terms, chunk_of }
    }

    impl Decoded {
        /// Pages where every token of `query` occurs in some field.
        fn pages_with_all(&self, query: &str) -> BTreeSet<usize> {
            let part_page: Vec<usize> = decode_vlq(self.files["index"]["page_parts"].as_str().unwrap())
                .into_iter()
                .enumerate()
                .flat_map(|(p, n)| std::iter::repeat_n(p, n))
                .collect();
            let pages = |t: &String| -> BTreeSet<usize> {
                let hits = self.terms.get(t).cloned().unwrap_or_default();
                hits.iter().map(|&(f, id, _)| if f == "heading" || f == "body" { part_page[id] } else { id }).collect()
            };
            let tokens = tokenize(query);
            let mut sets = tokens.iter().map(pages);
            let first = sets.next().unwrap_or_default();
            sets.fold(first, |a, b| &a & &b)
        }
    }

    fn doc(url: &str, title: &str, text: &str) -> SearchDoc {
        SearchDoc {
            url: url.into(),
            title: title.into(),
            marking: "OFFICIAL".into(),
            summary: String::new(),
            threats: vec!["Drugs".into()],
            areas: vec![],
            parts: vec![
                SearchPart { anchor: "".into(), heading: "".into(), text: "Introduction.".into() },
                SearchPart { anchor: "detail".into(), heading: "Detail".into(), text: text.into() },
            ],
        }
    }

    fn sample_docs() -> Vec<SearchDoc> {
        vec![
            doc("a.html", "Human trafficking", "Victims of trafficking and exploitation."),
            doc("b.html", "Drug supply", "County lines run cross-border. Marked OFFICIAL-SENSITIVE."),
            doc("c.html", "Fraud", "The end of the road and the start of it."),
        ]
    }

    fn sample() -> Decoded {
        decode(&build_index(&sample_docs()))
    }

    #[test]
    fn stems_meet_inflections() {
        let ix = sample();
        assert_eq!(ix.pages_with_all("traffick"), BTreeSet::from([0]));
        assert_eq!(ix.pages_with_all("county line"), BTreeSet::from([1]));
    }

    #[test]
    fn hyphenated_words_are_indexed_whole_and_in_parts() {
        let ix = sample();
        for q in
            ["cross-border", "cross", "border", "crossborder", "OFFICIAL-SENSITIVE", "sensitive", "officialsensitive"]
        {
            assert_eq!(ix.pages_with_all(q), BTreeSet::from([1]), "{q}");
        }
    }

    #[test]
    fn stop_words_are_indexed() {
        assert_eq!(sample().pages_with_all("the and of"), BTreeSet::from([2]));
        assert_eq!(sample().pages_with_all("and of"), BTreeSet::from([0, 2]));
    }

    #[test]
    fn tables_and_lengths() {
        let ix = sample();
        let root = &ix.files["index"];
        let b = &ix.files["d/0"][1];
        assert_eq!(
            (&b[0], &b[1], &b[2]),
            (&Value::from("b.html"), &Value::from("Drug supply"), &Value::from("OFFICIAL"))
        );
        assert_eq!(b[4][1][0], "detail", "page 1's second part");
        assert_eq!(root["threats"], serde_json::json!(["Drugs"]));
        assert_eq!(ix.files["f"]["threats"], serde_json::json!(["ABB"]), "pages 0, 1, 2 as gaps");
        assert_eq!(decode_vlq(root["page_parts"].as_str().unwrap()), [2, 2, 2]);
        assert_eq!(decode_vlq(root["page_lengths"].as_str().unwrap()).len(), 3 * 4);
        // Part 0: no heading, body "Introduction." (1); part 1: "Detail" (1),
        // "Victims of trafficking and exploitation." (5).
        assert_eq!(&decode_vlq(root["part_lengths"].as_str().unwrap())[..2], &[4, 5 * 4 + 1]);
        assert!(ix.terms["traffick"].contains(&("title", 0, 1)));
        assert!(ix.terms["traffick"].contains(&("body", 1, 1)));
    }

    #[test]
    fn long_headings_escape_in_part_lengths() {
        let mut d = doc("a", "T", "one two");
        d.parts[1].heading = "a b c d e".into();
        let ix = decode(&build_index(&[d]));
        assert_eq!(decode_vlq(ix.files["index"]["part_lengths"].as_str().unwrap()), [4, 2 * 4 + 3, 2]);
    }

    #[test]
    fn postings_match_the_documented_example() {
        let part = |t: &str| SearchPart { anchor: String::new(), heading: String::new(), text: t.into() };
        let mut a = doc("a", "Trafficking", "");
        a.parts = vec![part("x"), part("trafficking")];
        let mut b = doc("b", "Other", "");
        b.parts = vec![part("y"), part("trafficking, trafficked; traffick")];
        let files = build_index(&[a, b]);
        let ix = decode(&files);
        let chunk = &ix.files[&ix.chunk_of["traffick"]];
        let at = ix.terms.keys().position(|t| t == "traffick").unwrap();
        assert_eq!(chunk[at], "ABAJCEK", "docs/search-index-format.md example");
    }

    #[test]
    fn postings_round_trip_with_every_tf_width() {
        // Frequencies from 1 to 40 and gaps up to thousands, so each k wins somewhere.
        let mut docs = Vec::new();
        for i in 0..300 {
            let n = [1, 1, 2, 3, 5, 8, 17, 40][i % 8];
            let text = if i % 7 == 0 || i > 250 { "alpha ".repeat(n) } else { format!("{} beta", "gamma ".repeat(n)) };
            let text = text + &" epsilon".repeat(1 + i % 3) + &" zeta".repeat(4 + i % 4);
            docs.push(doc(&format!("p{i}"), if i % 50 == 0 { "Alpha" } else { "T" }, &text));
        }
        let ix = decode(&build_index(&docs));
        let expect = |word: &str| -> Vec<(&'static str, usize, usize)> {
            let mut v: Vec<(&'static str, usize, usize)> =
                (0..300).filter(|i| i % 50 == 0 && word == "alpha").map(|i| ("title", i, 1)).collect();
            for (i, d) in docs.iter().enumerate() {
                let tf = tokenize(&d.parts[1].text).iter().filter(|t| *t == word).count();
                if tf > 0 {
                    v.push(("body", 2 * i + 1, tf));
                }
            }
            v
        };
        for word in ["alpha", "gamma", "beta", "epsilon", "zeta"] {
            assert_eq!(ix.terms[word], expect(word), "{word}");
        }
        let chunks: BTreeSet<&String> = ix.chunk_of.values().collect();
        let widths: BTreeSet<usize> = chunks
            .iter()
            .flat_map(|c| ix.files[*c].as_array().unwrap())
            .flat_map(|p| postings_groups(p.as_str().unwrap()))
            .map(|(_, k, _)| k)
            .collect();
        assert!(widths.len() >= 3, "several tf widths in use: {widths:?}");
    }

    #[test]
    fn chunks_split_the_vocabulary_without_changing_postings() {
        let docs: Vec<SearchDoc> = (0..60)
            .map(|i| doc(&format!("p{i}"), &format!("Page {i} word{i}"), &format!("text{} shared words {i}", i % 9)))
            .collect();
        let whole = decode(&build_index_with_chunk_size(&docs, usize::MAX));
        let small = decode(&build_index_with_chunk_size(&docs, 40));
        assert_eq!(whole.terms, small.terms);
        let chunks: BTreeSet<&String> = small.chunk_of.values().collect();
        assert!(chunks.len() > 20, "{} chunks", chunks.len());
        assert_eq!(whole.chunk_of.values().collect::<BTreeSet<_>>().len(), 1);
        // Each chunk holds consecutive terms (chunk_of iterates in term order).
        let order: Vec<usize> = small.chunk_of.values().map(|c| c[2..].parse().unwrap()).collect();
        assert!(order.windows(2).all(|w| w[0] <= w[1]), "{order:?}");
    }

    #[test]
    fn file_names_are_numbers_only() {
        let files = build_index(&sample_docs());
        for (path, _) in &files {
            let ok = path == "index.js"
                || path == "f.js"
                || ["t/", "d/"].iter().any(|d| {
                    path.strip_prefix(d)
                        .and_then(|r| r.strip_suffix(".js"))
                        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
                });
            assert!(ok, "file name {path} may say something about the text");
        }
        let pages = sample_docs().len();
        assert_eq!(
            files.iter().filter(|(p, _)| p.starts_with("d/")).count(),
            pages.div_ceil(index::DISPLAY_PAGES),
            "a display file per few pages"
        );
    }

    #[test]
    fn vlq_and_front_coding_round_trip() {
        let mut s = String::new();
        for n in [0, 31, 32, 1023, 1024, 1 << 20] {
            index::push_vlq(&mut s, n);
        }
        assert_eq!(decode_vlq(&s), [0, 31, 32, 1023, 1024, 1 << 20]);
        let ix = decode(&build_index(&[doc("x", "Ärger Äpfel 𝒳a 𝒳b 𝒴", "zz")]));
        assert!(["arger", "apfel", "𝒳a", "𝒳b", "𝒴"].iter().all(|t| ix.terms.contains_key(*t)));
    }

    #[test]
    fn snippet_text_is_capped_and_output_is_scripts() {
        let long = "word ".repeat(500);
        let files = build_index(&[doc("x", "T", &long), doc("y", "U\u{2028}", "short")]);
        for (path, bytes) in &files {
            let text = std::str::from_utf8(bytes).unwrap();
            assert!(text.starts_with("window.BRIEF_SEARCH.chunk(\"") && text.ends_with(");\n"), "{path}");
            assert!(!text.contains('\u{2028}'), "{path}");
        }
        let ix = decode(&files);
        let text = ix.files["d/0"][0][4][1][2].as_str().unwrap();
        assert!(text.chars().count() <= index::SNIPPET_CHARS + 2 && text.ends_with(" …"));
        assert_eq!(ix.files["d/0"][1][4][1][2], "short");
        assert_eq!(ix.files["d/0"][1][1], "U\u{2028}");
    }
}
