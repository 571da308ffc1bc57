//! "Did you mean …?": the nearest valid value of a closed vocabulary, for
//! error messages (attributes, editions, markings, caveats, threats, strands,
//! statuses, keys).

/// Edit distance (insertions, deletions, substitutions, adjacent swaps), case-insensitive.
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().flat_map(char::to_lowercase).collect();
    let b: Vec<char> = b.chars().flat_map(char::to_lowercase).collect();
    let mut prev2 = vec![0usize; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(prev2[j - 2] + 1);
            }
        }
        prev2 = std::mem::replace(&mut prev, cur);
    }
    prev[b.len()]
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
