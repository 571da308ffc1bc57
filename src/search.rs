//! Client-side search: everything between the pages' text and the search box.
//!
//! This module owns the token pipeline ([`tokenize`]: fold, lowercase, split,
//! stem) and the index file ([`build_index`]) that each edition ships as
//! `search/index.js`. The browser half, `themes/default/static/search.js`,
//! parses queries (lunr syntax), ranks pages (BM25 with field boosts) and
//! draws the results; it repeats the token pipeline exactly, which
//! `tests/search_parity.rs` checks. The file format is in
//! docs/search-index-format.md.
//!
//! Search runs with no server and loads nothing from elsewhere: the index is a
//! script (`window.BRIEF_SEARCH_INDEX = …;`) because browsers refuse fetch()
//! on file:// shares, and holds only what an edition's pages already show.

mod index;
mod stem;
mod tokenize;

use serde::Serialize;

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

/// The whole index as a JavaScript file: `window.BRIEF_SEARCH_INDEX = {...};`
/// (a .js file loaded by `<script src>`, so it works on file:// where fetch()
/// of JSON is blocked).
pub fn build_index(docs: &[SearchDoc]) -> String {
    index::build_index(docs)
}

#[cfg(test)]
mod tests {
    //! Index-side checks of the quality cases; the query-side ones (typos,
    //! `+`/`-`/`*`/`field:`) run in JS from tests/search_parity.rs.
    use super::index::{FIELDS, VLQ_DIGITS};
    use super::*;
    use std::collections::BTreeSet;

    /// Reads an index back: term -> (field name, page or part id) pairs.
    struct Decoded {
        json: serde_json::Value,
        terms: std::collections::BTreeMap<String, Vec<(&'static str, usize)>>,
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

    fn decode(js: &str) -> Decoded {
        let body = js.strip_prefix("window.BRIEF_SEARCH_INDEX = ").unwrap().trim_end().strip_suffix(';').unwrap();
        let json: serde_json::Value = serde_json::from_str(body).unwrap();
        let mut terms = std::collections::BTreeMap::new();
        let mut prev = String::new();
        let postings = json["postings"].as_array().unwrap();
        for (entry, post) in json["vocab"].as_str().unwrap().split(' ').zip(postings) {
            let digits = entry.bytes().position(|b| VLQ_DIGITS.iter().position(|&x| x == b).unwrap() < 32).unwrap() + 1;
            let shared = decode_vlq(&entry[..digits])[0];
            let units: Vec<u16> = prev.encode_utf16().take(shared).collect();
            let term = String::from_utf16(&units).unwrap() + &entry[digits..];
            let nums = decode_vlq(post.as_str().unwrap());
            let (mut i, mut hits) = (0, Vec::new());
            while i < nums.len() {
                let (field, count) = (nums[i], nums[i + 1]);
                i += 2;
                let mut id = 0;
                for _ in 0..count {
                    id += nums[i] / 2;
                    i += 1 + nums[i] % 2;
                    hits.push((FIELDS[field], id));
                }
            }
            terms.insert(term.clone(), hits);
            prev = term;
        }
        Decoded { json, terms }
    }

    impl Decoded {
        /// Pages where every token of `query` occurs in some field.
        fn pages_with_all(&self, query: &str) -> BTreeSet<usize> {
            let part_page: Vec<usize> = self.json["pages"]
                .as_array()
                .unwrap()
                .iter()
                .enumerate()
                .flat_map(|(p, page)| std::iter::repeat_n(p, page[6].as_u64().unwrap() as usize))
                .collect();
            let pages = |t: &String| -> BTreeSet<usize> {
                let hits = self.terms.get(t).cloned().unwrap_or_default();
                hits.iter().map(|&(f, id)| if f == "heading" || f == "body" { part_page[id] } else { id }).collect()
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

    fn sample() -> Decoded {
        decode(&build_index(&[
            doc("a.html", "Human trafficking", "Victims of trafficking and exploitation."),
            doc("b.html", "Drug supply", "County lines run cross-border. Marked OFFICIAL-SENSITIVE."),
            doc("c.html", "Fraud", "The end of the road and the start of it."),
        ]))
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
        let j = &ix.json;
        assert_eq!(j["pages"][1][0], "b.html");
        assert_eq!(j["pages"][1][2], "OFFICIAL");
        assert_eq!(j["parts"][3][0], "detail", "page 1's second part");
        assert_eq!(j["threats"], serde_json::json!(["Drugs"]));
        assert_eq!(decode_vlq(j["page_lengths"].as_str().unwrap()).len(), 3 * 4);
        // Part 1 ("Detail" / "Victims of trafficking and exploitation.") has lengths 1, 5.
        assert_eq!(&decode_vlq(j["part_lengths"].as_str().unwrap())[2..4], &[1, 5]);
        assert!(ix.terms["traffick"].contains(&("title", 0)));
        assert!(ix.terms["traffick"].contains(&("body", 1)));
    }

    #[test]
    fn postings_match_the_documented_example() {
        let part = |t: &str| SearchPart { anchor: String::new(), heading: String::new(), text: t.into() };
        let mut a = doc("a", "Trafficking", "");
        a.parts = vec![part("x"), part("trafficking")];
        let mut b = doc("b", "Other", "");
        b.parts = vec![part("y"), part("trafficking, trafficked; traffick")];
        let js = build_index(&[a, b]);
        let ix = decode(&js);
        let at = ix.terms.keys().position(|t| t == "traffick").unwrap();
        assert_eq!(ix.json["postings"][at], "ABACCCFD", "docs/search-index-format.md example");
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
    fn snippet_text_is_capped_and_output_is_a_script() {
        let long = "word ".repeat(500);
        let js = build_index(&[doc("x", "T", &long), doc("y", "U\u{2028}", "short")]);
        assert!(js.starts_with("window.BRIEF_SEARCH_INDEX = {") && js.ends_with("};\n"));
        assert!(!js.contains('\u{2028}'));
        let ix = decode(&js);
        let text = ix.json["parts"][1][2].as_str().unwrap();
        assert!(text.chars().count() <= index::SNIPPET_CHARS + 2 && text.ends_with(" …"));
        assert_eq!(ix.json["parts"][3][2], "short");
    }
}
