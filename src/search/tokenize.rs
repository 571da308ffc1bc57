//! Text to search terms: the one token pipeline used when the index is built.
//! `themes/default/static/search.js` runs the same steps in the browser on the
//! query, and `tests/search_parity.rs` checks both give identical tokens.
//!
//! Steps, per Unicode scalar value (never per byte or UTF-16 unit, so that
//! Rust and JavaScript see the same characters):
//! 1. Latin-1 and Latin Extended-A letters are folded to ASCII (`é`→`e`,
//!    `ß`→`ss`, `Ł`→`l`) from [`FOLD`], so `cafe` finds `Café`.
//! 2. Any other alphabetic or numeric character (`char::is_alphanumeric`,
//!    JS `/[\p{Alphabetic}\p{N}]/u`) is lowercased on its own (no context
//!    rules such as final sigma, which JS would apply to whole strings).
//! 3. Everything else separates words, except:
//!    - an apostrophe (`'`, `’`, `ʼ`) between two word characters is dropped,
//!      joining the word (`O'Brien`→`obrien`); if only an `s` follows it, the
//!      possessive `'s` goes too (`children's`→`children`);
//!    - a hyphen (`-`, U+2010, U+2011) between two word characters links the
//!      parts of a compound.
//! 4. Each part is stemmed (Porter); a compound also yields its parts joined
//!    and stemmed (`cross-border` → `cross`, `border`, `crossbord`) so both
//!    the whole and the parts can be searched.
//!
//! Stop words are kept: the index holds them, and the query side decides
//! when to ignore them (see docs/search-index-format.md).

use super::stem::stem;
use std::sync::{Arc, OnceLock};

/// ASCII folds for U+00C0..=U+017F, space separated; `*` means "not a letter".
/// The same string is in search.js.
pub(crate) const FOLD: &str = "a a a a a a ae c e e e e i i i i d n o o o o o * o u u u u y th ss \
a a a a a a ae c e e e e i i i i d n o o o o o * o u u u u y th y \
a a a a a a c c c c c c c c d d d d e e e e e e e e e e g g g g g g g g h h h h \
i i i i i i i i i i ij ij j j k k k l l l l l l l l l l n n n n n n n n n \
o o o o o o oe oe r r r r r r s s s s s s s s t t t t t t u u u u u u u u u u u u \
w w y y y z z z z z z s";

/// How the scanner treats one character.
enum Class {
    /// A folded Latin letter.
    Folded(&'static str),
    /// Any other alphanumeric character, to be lowercased.
    Other(char),
    Apostrophe,
    Hyphen,
    Separator,
}

fn classify(c: char) -> Class {
    if c.is_ascii_alphanumeric() {
        return Class::Other(c);
    }
    static TABLE: OnceLock<Vec<&'static str>> = OnceLock::new();
    let table = TABLE.get_or_init(|| FOLD.split(' ').collect());
    let cp = c as usize;
    if (0xC0..0xC0 + table.len()).contains(&cp) && table[cp - 0xC0] != "*" {
        return Class::Folded(table[cp - 0xC0]);
    }
    match c {
        '\'' | '\u{2019}' | '\u{02BC}' => Class::Apostrophe,
        '-' | '\u{2010}' | '\u{2011}' => Class::Hyphen,
        c if c.is_alphanumeric() => Class::Other(c),
        _ => Class::Separator,
    }
}

/// The ASCII fold of a Latin-1 or Latin Extended-A letter (`ô` → `o`), if it is one.
pub fn fold_letter(c: char) -> Option<&'static str> {
    match classify(c) {
        Class::Folded(s) => Some(s),
        _ => None,
    }
}

/// Calls `emit` with the unstemmed parts of each word in `text` (one part for
/// a plain word, several for a hyphenated compound), in order.
pub(crate) fn scan_words(text: &str, mut emit: impl FnMut(&[String])) {
    // One pass with one character of look-ahead; no per-character buffer.
    let mut classes = text.chars().map(classify).peekable();
    // The word's parts are `parts[..n]`: the strings are kept and refilled,
    // so a long text allocates for its longest compound, not for every word.
    let (mut parts, mut n): (Vec<String>, usize) = (Vec::new(), 0);
    let mut seg = String::new();
    // Length of `seg` where an apostrophe was dropped, for the possessive rule.
    let mut apostrophe_at: Option<usize> = None;
    loop {
        let class = classes.next();
        let next_is_word = matches!(classes.peek(), Some(Class::Folded(_) | Class::Other(_)));
        match class {
            Some(Class::Folded(s)) => seg.push_str(s),
            Some(Class::Other(c)) if c.is_ascii() => seg.push(c.to_ascii_lowercase()),
            Some(Class::Other(c)) => seg.extend(c.to_lowercase()),
            Some(Class::Apostrophe) if !seg.is_empty() && next_is_word => apostrophe_at = Some(seg.len()),
            Some(Class::Hyphen) if !seg.is_empty() && next_is_word => {
                finish_segment(&mut seg, &mut apostrophe_at, &mut parts, &mut n)
            }
            _ => {
                finish_segment(&mut seg, &mut apostrophe_at, &mut parts, &mut n);
                if n > 0 {
                    emit(&parts[..n]);
                    n = 0;
                }
                if class.is_none() {
                    return;
                }
            }
        }
    }
}

/// Ends the current part of a word; drops a possessive `'s` first.
fn finish_segment(seg: &mut String, apostrophe_at: &mut Option<usize>, parts: &mut Vec<String>, n: &mut usize) {
    if *apostrophe_at == Some(seg.len().wrapping_sub(1)) && seg.ends_with('s') {
        seg.pop();
    }
    *apostrophe_at = None;
    if !seg.is_empty() {
        match parts.get_mut(*n) {
            Some(part) => {
                part.clear();
                part.push_str(seg);
            }
            None => parts.push(seg.clone()),
        }
        *n += 1;
        seg.clear();
    }
}

/// The exact token pipeline used at index time: fold, lowercase, split,
/// stem, and for hyphenated compounds the joined whole after the parts.
pub fn tokenize(text: &str) -> Vec<String> {
    tokenize_shared(text).iter().map(|t| t.to_string()).collect()
}

/// [`tokenize`], each token shared with the stem cache rather than copied:
/// the index makes millions of tokens from a few thousand distinct stems.
pub(crate) fn tokenize_shared(text: &str) -> Vec<Arc<str>> {
    let mut out = Vec::new();
    scan_words(text, |parts| {
        out.extend(parts.iter().map(|p| stem_cached(p)));
        if parts.len() > 1 {
            out.push(stem_cached(&parts.concat()));
        }
    });
    out
}

/// Stemming dominates indexing and a profile repeats its words endlessly, so
/// each thread remembers the stems it has made (bounded, then started afresh).
fn stem_cached(word: &str) -> Arc<str> {
    use rustc_hash::FxHasher;
    use std::cell::RefCell;
    use std::collections::HashMap;
    use std::hash::BuildHasherDefault;
    thread_local! {
        static STEMS: RefCell<HashMap<Box<str>, Arc<str>, BuildHasherDefault<FxHasher>>> = RefCell::new(HashMap::default());
    }
    STEMS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(s) = cache.get(word) {
            return s.clone();
        }
        if cache.len() > 100_000 {
            cache.clear();
        }
        let s: Arc<str> = stem(word).into();
        cache.insert(word.into(), s.clone());
        s
    })
}

#[cfg(test)]
mod tests {
    use super::{tokenize, FOLD};

    fn toks(s: &str) -> Vec<String> {
        tokenize(s)
    }

    #[test]
    fn fold_table_covers_latin1_and_extended_a() {
        assert_eq!(FOLD.split(' ').count(), 0x180 - 0xC0);
    }

    #[test]
    fn lowercases_splits_and_stems() {
        assert_eq!(toks("County LINES, trafficking."), ["counti", "line", "traffick"]);
        assert_eq!(toks("the and of"), ["the", "and", "of"], "stop words are kept");
    }

    #[test]
    fn hyphenated_words_give_parts_and_whole() {
        assert_eq!(toks("cross-border"), ["cross", "border", "crossbord"]);
        assert_eq!(toks("OFFICIAL-SENSITIVE"), ["offici", "sensit", "officialsensit"]);
        // A hyphen not between word characters only separates.
        assert_eq!(toks("- drugs -- 2014 - 2015 x-"), ["drug", "2014", "2015", "x"]);
    }

    #[test]
    fn apostrophes_and_accents() {
        assert_eq!(toks("children's O'Brien ’tis dogs'"), ["children", "obrien", "ti", "dog"]);
        assert_eq!(toks("Café STRASSE Straße Łódź İstanbul"), ["cafe", "strass", "strass", "lodz", "istanbul"]);
        assert_eq!(toks("Σπίτι ДОМ 東京"), ["σπίτι", "дом", "東京"]);
    }
}
