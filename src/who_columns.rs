//! Data columns that say, by their values, who may see a row: a column
//! (or a GeoJSON property) whose every value is a list of edition ids or
//! names, or a marking. Only a column named `audience` keeps rows from
//! editions; any other is data, drawn in every edition that shows the
//! figure. So a column the author plainly meant as a restriction, under
//! another name (`shared with`, `editions allowed`, `Grading`), would
//! publish every row it was to hold back: it is refused, as a near miss of
//! restriction syntax is.

use crate::config::Profile;
use crate::marking::Marking;

/// What a column's values read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Says {
    /// Every value lists editions (ids or names, or `all`), and one names an edition.
    Audience,
    /// Every value is a marking (`OFFICIAL-SENSITIVE`, a retired GPMS word).
    Marking,
}

/// The profile's edition ids and names, each as its words.
pub struct WhoWords {
    editions: Vec<Vec<String>>,
}

/// Words that may join edition names in a list: `partnership and elected members only`.
const FILLER: [&str; 5] = ["all", "and", "only", "the", "editions"];

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// A word of a value as a word of an edition's id or name: the same, or one
/// edit from it when both are long (`partnershp`).
fn same_word(value: &str, edition: &str) -> bool {
    value == edition
        || value.chars().count() >= 6 && edition.chars().count() >= 6 && crate::suggest::distance(value, edition) <= 1
}

impl WhoWords {
    pub fn new(profile: &Profile) -> WhoWords {
        let editions = profile.editions.iter().flat_map(|e| [words(&e.id), words(&e.name)]).filter(|w| !w.is_empty());
        WhoWords { editions: editions.collect() }
    }

    /// Whether `value` is a list of editions: `Some(true)` if it names one,
    /// `Some(false)` if it holds only `all` and joining words.
    fn audience(&self, value: &str) -> Option<bool> {
        let w = words(value);
        let (mut i, mut named) = (0, false);
        while i < w.len() {
            let len = self.editions.iter().map(Vec::len).filter(|&n| {
                w.get(i..i + n).is_some_and(|run| self.editions.iter().any(|e| e.len() == n && run_is(run, e)))
            });
            match len.max() {
                Some(n) => {
                    named = true;
                    i += n;
                }
                None if FILLER.contains(&w[i].as_str()) => i += 1,
                None => return None,
            }
        }
        (!w.is_empty()).then_some(named)
    }

    /// What every non-empty value of a column reads as, if they all read as one thing.
    pub fn column<'a>(&self, values: impl IntoIterator<Item = &'a str> + Clone) -> Option<Says> {
        let filled = || values.clone().into_iter().map(str::trim).filter(|v| !v.is_empty());
        filled().next()?;
        let lists: Option<Vec<bool>> = filled().map(|v| self.audience(v)).collect();
        if lists.is_some_and(|named| named.contains(&true)) {
            return Some(Says::Audience);
        }
        filled().all(reads_as_marking).then_some(Says::Marking)
    }
}

fn run_is(run: &[String], edition: &[String]) -> bool {
    run.iter().zip(edition).all(|(v, e)| same_word(v, e))
}

/// A marking, however written (`official sensitive`, `OFFICIAL-SENSITIVE
/// [PERSONAL]`, `RESTRICTED`), caveats after it aside.
fn reads_as_marking(value: &str) -> bool {
    let head = value.split(['[', '|', '/', '(', ',', ';']).next().unwrap_or("");
    let norm = |s: &str| words(s).join("-").to_uppercase();
    let head = norm(head);
    Marking::ALL.iter().any(|m| norm(m.as_str()) == head)
        || ["PROTECT", "RESTRICTED", "CONFIDENTIAL", "UNCLASSIFIED", "PROTECTIVELY-MARKED"].contains(&head.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::tests::profile;

    fn says(values: &[&str]) -> Option<Says> {
        WhoWords::new(&profile()).column(values.iter().copied())
    }

    #[test]
    fn a_column_of_editions_or_markings_says_who_may_see_a_row() {
        let p = profile();
        let ids: Vec<&str> = p.editions.iter().map(|e| e.id.as_str()).collect();
        assert!(ids.len() >= 2, "{ids:?}");
        let (a, b) = (ids[0], ids[1]);
        assert_eq!(says(&["all", "all", a]), Some(Says::Audience));
        assert_eq!(says(&[&format!("{a}, {b}"), "", "all"]), Some(Says::Audience));
        assert_eq!(says(&[&format!("{} only", a.to_uppercase())]), Some(Says::Audience));
        assert_eq!(says(&[&b.replace('-', " ")]), Some(Says::Audience), "words of an id, spaced");
        let name = p.editions[1].name.clone();
        assert_eq!(says(&[&name.to_lowercase(), "all"]), Some(Says::Audience), "an edition's name");
        assert_eq!(says(&[&format!("{}x", a)]), Some(Says::Audience), "one edit from a long id");
        assert_eq!(says(&["OFFICIAL", "OFFICIAL-SENSITIVE [PERSONAL]"]), Some(Says::Marking));
        assert_eq!(says(&["official sensitive", "Restricted"]), Some(Says::Marking));
        // Data, not who may see it.
        assert_eq!(says(&["all", "all"]), None, "only `all`: nothing is held back");
        assert_eq!(says(&["", " "]), None);
        assert_eq!(says(&["10", "12", a]), None);
        assert_eq!(says(&[&format!("{a} board"), a]), None);
        assert_eq!(says(&["Q1", "Q2"]), None);
        assert_eq!(says(&["OFFICIAL", "Northtown"]), None);
    }
}
