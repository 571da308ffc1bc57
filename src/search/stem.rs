//! The Porter stemmer (M. F. Porter, 1980, as in his reference C release:
//! `bli -> ble` and `logi -> log` in step 2). Written from the published
//! algorithm; `themes/default/static/search.js` has a line-for-line twin, and
//! `tests/search_parity.rs` checks that the two agree.

/// Stems one lowercase word. Words of two letters or fewer and words with any
/// character outside `a-z` (digits, other scripts) are returned unchanged:
/// the rules only make sense for English spelling.
pub fn stem(word: &str) -> String {
    if word.len() <= 2 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return word.to_string();
    }
    let mut w = word.as_bytes().to_vec();
    step1a(&mut w);
    step1b(&mut w);
    step1c(&mut w);
    replace_longest(&mut w, STEP2, |s, _| measure(s) > 0);
    replace_longest(&mut w, STEP3, |s, _| measure(s) > 0);
    replace_longest(&mut w, STEP4, |s, suffix| {
        measure(s) > 1 && (suffix != "ion" || matches!(s.last(), Some(b's' | b't')))
    });
    step5(&mut w);
    String::from_utf8(w).expect("ASCII in, ASCII out")
}

const STEP2: &[(&str, &str)] = &[
    ("ational", "ate"),
    ("tional", "tion"),
    ("enci", "ence"),
    ("anci", "ance"),
    ("izer", "ize"),
    ("bli", "ble"),
    ("alli", "al"),
    ("entli", "ent"),
    ("eli", "e"),
    ("ousli", "ous"),
    ("ization", "ize"),
    ("ation", "ate"),
    ("ator", "ate"),
    ("alism", "al"),
    ("iveness", "ive"),
    ("fulness", "ful"),
    ("ousness", "ous"),
    ("aliti", "al"),
    ("iviti", "ive"),
    ("biliti", "ble"),
    ("logi", "log"),
];
const STEP3: &[(&str, &str)] =
    &[("icate", "ic"), ("ative", ""), ("alize", "al"), ("iciti", "ic"), ("ical", "ic"), ("ful", ""), ("ness", "")];
const STEP4: &[(&str, &str)] = &[
    ("al", ""),
    ("ance", ""),
    ("ence", ""),
    ("er", ""),
    ("ic", ""),
    ("able", ""),
    ("ible", ""),
    ("ant", ""),
    ("ement", ""),
    ("ment", ""),
    ("ent", ""),
    ("ion", ""),
    ("ou", ""),
    ("ism", ""),
    ("ate", ""),
    ("iti", ""),
    ("ous", ""),
    ("ive", ""),
    ("ize", ""),
];

/// A consonant is a letter other than a, e, i, o, u, and other than a y that
/// follows a consonant.
fn is_cons(w: &[u8], i: usize) -> bool {
    match w[i] {
        b'a' | b'e' | b'i' | b'o' | b'u' => false,
        b'y' => i == 0 || !is_cons(w, i - 1),
        _ => true,
    }
}

/// Porter's m: the number of vowel-consonant sequences in `[C](VC)^m[V]`.
fn measure(w: &[u8]) -> usize {
    let mut m = 0;
    let mut after_vowel = false;
    for i in 0..w.len() {
        let cons = is_cons(w, i);
        if cons && after_vowel {
            m += 1;
        }
        after_vowel = !cons;
    }
    m
}

fn has_vowel(w: &[u8]) -> bool {
    (0..w.len()).any(|i| !is_cons(w, i))
}

fn ends_double_cons(w: &[u8]) -> bool {
    let n = w.len();
    n >= 2 && w[n - 1] == w[n - 2] && is_cons(w, n - 1)
}

/// Porter's *o: ends consonant-vowel-consonant, the last not w, x or y.
fn ends_cvc(w: &[u8]) -> bool {
    let n = w.len();
    n >= 3 && is_cons(w, n - 3) && !is_cons(w, n - 2) && is_cons(w, n - 1) && !matches!(w[n - 1], b'w' | b'x' | b'y')
}

/// Finds the longest suffix in `rules` that `w` ends with; if `cond` holds for
/// the stem before it, replaces it. A failed condition does not fall back to a
/// shorter suffix: that is how Porter defined the steps.
fn replace_longest(w: &mut Vec<u8>, rules: &[(&str, &str)], cond: impl Fn(&[u8], &str) -> bool) -> bool {
    let best = rules.iter().filter(|(suffix, _)| w.ends_with(suffix.as_bytes())).max_by_key(|(suffix, _)| suffix.len());
    let Some(&(suffix, replacement)) = best else { return false };
    let stem_len = w.len() - suffix.len();
    if !cond(&w[..stem_len], suffix) {
        return false;
    }
    w.truncate(stem_len);
    w.extend_from_slice(replacement.as_bytes());
    true
}

fn step1a(w: &mut Vec<u8>) {
    replace_longest(w, &[("sses", "ss"), ("ies", "i"), ("ss", "ss"), ("s", "")], |_, _| true);
}

fn step1b(w: &mut Vec<u8>) {
    if w.ends_with(b"eed") {
        if measure(&w[..w.len() - 3]) > 0 {
            w.pop();
        }
        return;
    }
    let removed =
        [&b"ed"[..], b"ing"].iter().find(|s| w.ends_with(s) && has_vowel(&w[..w.len() - s.len()])).map(|s| s.len());
    let Some(len) = removed else { return };
    w.truncate(w.len() - len);
    if w.ends_with(b"at") || w.ends_with(b"bl") || w.ends_with(b"iz") {
        w.push(b'e');
    } else if ends_double_cons(w) && !matches!(w[w.len() - 1], b'l' | b's' | b'z') {
        w.pop();
    } else if measure(w) == 1 && ends_cvc(w) {
        w.push(b'e');
    }
}

fn step1c(w: &mut [u8]) {
    let n = w.len();
    if w[n - 1] == b'y' && has_vowel(&w[..n - 1]) {
        w[n - 1] = b'i';
    }
}

fn step5(w: &mut Vec<u8>) {
    if w.last() == Some(&b'e') {
        let stem = &w[..w.len() - 1];
        let m = measure(stem);
        if m > 1 || (m == 1 && !ends_cvc(stem)) {
            w.pop();
        }
    }
    if w.last() == Some(&b'l') && ends_double_cons(w) && measure(w) > 1 {
        w.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::stem;

    #[test]
    fn examples_from_porters_paper() {
        for (word, want) in [
            ("caresses", "caress"),
            ("ponies", "poni"),
            ("cats", "cat"),
            ("feed", "feed"),
            ("agreed", "agre"),
            ("plastered", "plaster"),
            ("motoring", "motor"),
            ("sing", "sing"),
            ("conflated", "conflat"),
            ("troubled", "troubl"),
            ("sized", "size"),
            ("hopping", "hop"),
            ("falling", "fall"),
            ("filing", "file"),
            ("happy", "happi"),
            ("relational", "relat"),
            ("conditional", "condit"),
            ("generalization", "gener"),
            ("hopeful", "hope"),
            ("goodness", "good"),
            ("adjustment", "adjust"),
            ("adoption", "adopt"),
            ("controll", "control"),
            ("roll", "roll"),
            ("trafficking", "traffick"),
            ("exploitation", "exploit"),
            ("lines", "line"),
            ("sensitive", "sensit"),
        ] {
            assert_eq!(stem(word), want, "stem({word})");
        }
    }

    #[test]
    fn leaves_short_and_non_ascii_words_alone() {
        assert_eq!(stem("is"), "is");
        assert_eq!(stem("2026s"), "2026s");
        assert_eq!(stem("straßes"), "straßes");
    }
}
