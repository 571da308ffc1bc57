//! The build's screening of its own pages for withheld runs, a unit at a
//! time, so that what every page repeats (banners, header, footer, the
//! print page's copy of each section) is screened once per edition.
//!
//! A unit is the stretch of a page up to and including its next
//! block-level tag, or to the page's end. No run of words crosses into or
//! out of a unit: a block-level tag is a break (as [`html_into`] reads
//! it), and each attribute value is a segment of its own. So a unit's
//! runs depend on its bytes alone, and a unit screened clean in one page
//! is clean in any page of the same edition. It is taken as seen by a
//! keyed 128-bit hash of its bytes, with a key drawn afresh for each set.
//!
//! [`html_into`]: super::words::html_into

use super::words::{is_inline, pieces, read_piece, Piece, Reader, BREAK};
use rustc_hash::FxHashSet;
use siphasher::sip128::SipHasher13;
use std::sync::Mutex;

/// Units found clean in one edition, shared by the threads screening it.
pub struct CleanUnits {
    hasher: SipHasher13,
    shards: Vec<Mutex<FxHashSet<u128>>>,
}

const SHARDS: usize = 16;

impl Default for CleanUnits {
    fn default() -> Self {
        let mut key = [0u8; 16];
        getrandom::fill(&mut key).expect("the operating system's random numbers");
        let k = |i: usize| u64::from_le_bytes(key[i..i + 8].try_into().expect("8 bytes"));
        CleanUnits {
            hasher: SipHasher13::new_with_keys(k(0), k(8)),
            shards: (0..SHARDS).map(|_| Mutex::default()).collect(),
        }
    }
}

impl CleanUnits {
    fn key(&self, unit: &str) -> u128 {
        self.hasher.hash(unit.as_bytes()).as_u128()
    }

    fn shard(&self, key: u128) -> &Mutex<FxHashSet<u128>> {
        &self.shards[key as usize % SHARDS]
    }

    fn contains(&self, key: u128) -> bool {
        self.shard(key).lock().map(|s| s.contains(&key)).unwrap_or(false)
    }

    /// Units of a text found clean as a whole.
    pub fn add(&self, keys: Vec<u128>) {
        for key in keys {
            if let Ok(mut s) = self.shard(key).lock() {
                s.insert(key);
            }
        }
    }
}

/// [`html_into`](super::words::html_into) into a screening reader, unit by
/// unit, passing over every unit in `clean`; the units it reads are
/// added to `read`. The reader is suspect whenever it would be after
/// reading the whole page (every unit passed over was found clean); but
/// the size limits of [`Reader`] count only the units read, so a page made
/// mostly of units passed over is not reported as too large to read.
/// Add `read` to `clean` only if the reader is not suspect.
pub fn html_screen(html: &str, r: &mut Reader<'_>, clean: &CleanUnits, read: &mut Vec<u128>) {
    let mut unit: Vec<Piece> = Vec::new();
    let mut start = 0;
    for piece in pieces(html) {
        let end = match piece {
            Piece::Tag(t) if !is_inline(t) => Some(offset(html, t) + t.len()),
            Piece::End(_) => Some(html.len()),
            _ => None,
        };
        unit.push(piece);
        if let Some(end) = end {
            let key = clean.key(&html[start..end]);
            if !clean.contains(key) {
                read.push(key);
                read_unit(&unit, r);
            }
            unit.clear();
            start = end;
        }
    }
}

/// Where `part`, a slice of `html`, starts in it.
fn offset(html: &str, part: &str) -> usize {
    part.as_ptr() as usize - html.as_ptr() as usize
}

/// One unit: its text, ending in a break, then each attribute value of its
/// tags, each followed by a break.
fn read_unit(unit: &[Piece], r: &mut Reader<'_>) {
    let mut attrs = String::new();
    let mut values = Vec::new();
    for &piece in unit {
        read_piece(piece, r, &mut attrs, &mut values);
    }
    if matches!(unit.last(), Some(Piece::End(_))) {
        r.push(BREAK);
    }
    r.feed(&attrs);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::issuing::words::{html_text, QuickSet, Words};

    use crate::testing::Rng;

    /// Pages made of a few shared fragments, so that units repeat: tags
    /// inline and block-level, attributes, comments, entities, stray `<`.
    fn fragments(r: &mut Rng) -> Vec<String> {
        const WORDS: &[&str] =
            &["alpha", "bravo", "charlie", "delta", "echo", "the", "of", "Zed", "42", "&amp;", "caf&#233;", "É"];
        const TAGS: &[&str] = &[
            "<p>",
            "</p>",
            "<em>",
            "</em>",
            "<a href=\"x echo delta\">",
            "</a>",
            "<div class='bravo alpha'>",
            "</div>",
            "<br>",
            "<!-- charlie -->",
            "<!--",
            "-->",
            "< ",
            ">",
            "<img alt=\"alpha bravo charlie delta echo\">",
            "<code>",
            "</code>",
            "\n",
            " ",
        ];
        (0..8)
            .map(|_| {
                let mut f = String::new();
                for _ in 0..r.below(24) {
                    if r.below(3) == 0 {
                        f.push_str(TAGS[r.below(TAGS.len())]);
                    } else {
                        f.push_str(WORDS[r.below(WORDS.len())]);
                        f.push(' ');
                    }
                }
                f
            })
            .collect()
    }

    fn screened(page: &str, quick: &QuickSet, clean: &CleanUnits) -> bool {
        let mut r = Reader::screening(quick);
        let mut read = Vec::new();
        html_screen(page, &mut r, clean, &mut read);
        let suspect = r.suspect();
        if !suspect {
            clean.add(read);
        }
        suspect
    }

    #[test]
    fn screening_unit_by_unit_finds_what_a_whole_reading_finds() {
        let mut r = Rng(0x2545_F491_4F6C_DD1D);
        let (mut hits, mut misses) = (0, 0);
        for case in 0..3000 {
            let frags = fragments(&mut r);
            let page = |r: &mut Rng| (0..r.below(6)).map(|_| frags[r.below(frags.len())].as_str()).collect::<String>();
            let pages: Vec<String> = (0..6).map(|_| page(&mut r)).collect();
            // Look for one run of one page (or of a page not in the set).
            let source = Words::read(&html_text(&page(&mut r)));
            let runs: Vec<u64> = source.hashed_runs().map(|x| x.quick).collect();
            let quick: QuickSet = runs.get(r.below(runs.len().max(1))).copied().into_iter().collect();
            let clean = CleanUnits::default();
            for p in &pages {
                let expected = Words::read(&html_text(p)).hashed_runs().any(|x| quick.contains(x.quick));
                assert_eq!(screened(p, &quick, &clean), expected, "case {case}: {p:?}");
                if expected {
                    hits += 1;
                } else {
                    misses += 1;
                }
            }
        }
        assert!(hits > 500 && misses > 500, "both answers tried: {hits} suspect, {misses} clear");
    }

    #[test]
    fn a_unit_seen_clean_is_not_read_again_but_a_new_one_is() {
        let quick: QuickSet = Words::read("led by subject alpha zed").hashed_runs().map(|x| x.quick).collect();
        let clean = CleanUnits::default();
        let banner = "<div class=\"marking\">OFFICIAL SENSITIVE</div><p>Northshire profile";
        assert!(!screened(&format!("{banner}</p>"), &quick, &clean));
        assert!(!screened(&format!("{banner}</p>"), &quick, &clean));
        assert!(screened(&format!("{banner}</p><p>Led by <em>Subject</em> Alpha Zed.</p>"), &quick, &clean));
        // Split across a unit's end, it is two sentences.
        assert!(!screened("<p>Led by Subject</p><p>Alpha Zed.</p>", &quick, &clean));
        assert!(screened("<p>x</p><img alt=\"Led by Subject Alpha Zed\">", &quick, &clean));
    }
}
