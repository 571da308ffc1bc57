//! "Did you mean …?": the nearest valid value of a closed vocabulary, for
//! error messages (attributes, editions, markings, caveats, threats, strands,
//! statuses, keys).

/// Edit distance (insertions, deletions, substitutions, adjacent swaps), case-insensitive.
pub fn distance(a: &str, b: &str) -> usize {
    if a.is_ascii() && b.is_ascii() {
        // The residue scan asks this of many words in every body: three small allocations.
        let lower = |s: &str| s.to_ascii_lowercase().into_bytes();
        return edits(&lower(a), &lower(b));
    }
    let a: Vec<char> = a.chars().flat_map(char::to_lowercase).collect();
    let b: Vec<char> = b.chars().flat_map(char::to_lowercase).collect();
    edits(&a, &b)
}

/// Optimal string alignment distance over any comparable units.
pub(crate) fn edits<T: PartialEq>(a: &[T], b: &[T]) -> usize {
    // Three rows (two back, one back, current) in one allocation.
    let w = b.len() + 1;
    let mut rows = vec![0usize; 3 * w];
    for (j, r) in rows[w..2 * w].iter_mut().enumerate() {
        *r = j;
    }
    let (mut p2, mut p1, mut cur) = (0, w, 2 * w);
    for i in 1..=a.len() {
        rows[cur] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[p1 + j] + 1).min(rows[cur + j - 1] + 1).min(rows[p1 + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[p2 + j - 2] + 1);
            }
            rows[cur + j] = d;
        }
        (p2, p1, cur) = (p1, cur, p2);
    }
    rows[p1 + b.len()]
}

/// The option nearest to `word`, if it is near enough to be a likely slip.
pub fn nearest<'a>(word: &str, options: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).clamp(1, 3);
    options
        .into_iter()
        .map(|o| (distance(word, o), o))
        .filter(|(d, o)| *d <= limit || o.eq_ignore_ascii_case(word))
        .min_by_key(|(d, _)| *d)
        .map(|(_, o)| o)
}

/// "did you mean `x`? " when an option is near, else "".
pub fn did_you_mean<'a>(word: &str, options: impl IntoIterator<Item = &'a str>) -> String {
    nearest(word, options).map(|o| format!("did you mean `{o}`? ")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_slips_not_strangers() {
        assert_eq!(nearest("audiense", ["audience", "classification", "handling"]), Some("audience"));
        assert_eq!(nearest("clasification", ["audience", "classification"]), Some("classification"));
        assert_eq!(nearest("partnersihp", ["partnership", "elected-members"]), Some("partnership"));
        assert_eq!(nearest("Official", ["OFFICIAL", "OFFICIAL-SENSITIVE"]), Some("OFFICIAL"));
        assert_eq!(nearest("council", ["partnership", "elected-members"]), None);
        assert_eq!(did_you_mean("bars", ["bar", "line"]), "did you mean `bar`? ");
        assert_eq!(distance("ab", "ba"), 1);
    }
}
