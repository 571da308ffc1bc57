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

/// Words that may join edition names in a list: `partnership and elected
/// members only`, `not elected-members`, `restricted to partnership staff`.
const FILLER: [&str; 20] = [
    "all",
    "and",
    "only",
    "the",
    "editions",
    "edition",
    "not",
    "except",
    "excluding",
    "internal",
    "members",
    "staff",
    "restricted",
    "to",
    "for",
    "shared",
    "with",
    "or",
    "plus",
    "readers",
];

/// Values that stand for no value: a column holding them among edition
/// lists still says who may see the other rows.
const PLACEHOLDERS: [&str; 14] =
    ["n/a", "na", "-", "–", "—", "none", "nil", "null", "tbc", "tbd", "unknown", "?", "n.a.", "not applicable"];

/// Values of a yes-or-no column.
const YES_NO: [&str; 11] = ["yes", "no", "y", "n", "true", "false", "1", "0", "x", "✓", "✗"];

/// A value as a reader sees it: character references decoded, invisible
/// characters dropped, full-width forms as ASCII, bracketed asides out.
fn plain(value: &str) -> String {
    let spaced: String = value.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let (folded, _) = super::residue::fold(&spaced);
    let ascii: String = folded
        .chars()
        .filter(|&c| !super::residue::invisible(c))
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .collect();
    let mut out = String::with_capacity(ascii.len());
    let mut depth = 0usize;
    for c in ascii.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out.trim().to_string()
}

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

    /// What every value of a column reads as (empty ones and placeholders
    /// such as `n/a` aside), if they all read as one thing. `name` is the
    /// column's: one named after an edition, holding yes or no, says who
    /// may see each row too.
    pub fn column<'a>(&self, name: &str, values: impl IntoIterator<Item = &'a str> + Clone) -> Option<Says> {
        let filled = || {
            values
                .clone()
                .into_iter()
                .map(plain)
                .filter(|v| !v.is_empty() && !PLACEHOLDERS.contains(&v.to_lowercase().as_str()))
        };
        filled().next()?;
        let lists: Option<Vec<bool>> = filled().map(|v| self.audience(&v)).collect();
        if lists.is_some_and(|named| named.contains(&true)) {
            return Some(Says::Audience);
        }
        if self.mentions_edition(&plain(name)) && filled().all(|v| YES_NO.contains(&v.to_lowercase().as_str())) {
            return Some(Says::Audience);
        }
        filled().all(|v| reads_as_marking(&v)).then_some(Says::Marking)
    }

    /// Whether a value shows why a column reads as `says`: a list naming
    /// an edition, or a marking.
    pub fn shows(&self, says: Says, value: &str) -> bool {
        let v = plain(value);
        match says {
            Says::Audience => self.audience(&v) == Some(true) || YES_NO.contains(&v.to_lowercase().as_str()),
            Says::Marking => reads_as_marking(&v),
        }
    }

    /// Whether a text holds an edition's id or name among other words
    /// (`elected members may see`).
    fn mentions_edition(&self, text: &str) -> bool {
        let w = words(text);
        (0..w.len()).any(|i| self.editions.iter().any(|e| w.get(i..i + e.len()).is_some_and(|run| run_is(run, e))))
    }
}

fn run_is(run: &[String], edition: &[String]) -> bool {
    run.iter().zip(edition).all(|(v, e)| same_word(v, e))
}

/// A marking, however written (`official sensitive`, `OFFICIAL-SENSITIVE
/// [PERSONAL]`, `RESTRICTED`), caveats after it aside; in capitals, a
/// marking followed by anything (`OFFICIAL SENSITIVE COMMERCIAL`).
fn reads_as_marking(value: &str) -> bool {
    let head = value.split(['[', '|', '/', '(', ',', ';', ':']).next().unwrap_or("");
    let norm = |s: &str| words(s).join("-").to_uppercase();
    let names: Vec<String> = Marking::ALL
        .iter()
        .map(|m| norm(m.as_str()))
        .chain(["PROTECT", "RESTRICTED", "CONFIDENTIAL", "UNCLASSIFIED", "PROTECTIVELY-MARKED"].map(String::from))
        .collect();
    let head_norm = norm(head);
    let capitals = norm(value);
    names.contains(&head_norm)
        || value.chars().any(char::is_alphabetic)
            && !value.chars().any(char::is_lowercase)
            && names
                .iter()
                .any(|m| capitals.strip_prefix(m.as_str()).is_some_and(|r| r.is_empty() || r.starts_with('-')))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::tests::profile;

    fn says(values: &[&str]) -> Option<Says> {
        WhoWords::new(&profile()).column("x", values.iter().copied())
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
        // Placeholders, asides, look-alikes, caveats, a column named after an edition.
        assert_eq!(says(&["n/a", "-", &format!("{a} (internal)"), "TBC"]), Some(Says::Audience));
        assert_eq!(says(&[&format!("not {b}"), &format!("{a} members")]), Some(Says::Audience));
        assert_eq!(says(&[&a.replace('r', "r\u{200B}")]), Some(Says::Audience));
        let wide: String = a.chars().map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap_or(c)).collect();
        assert_eq!(says(&[&wide]), Some(Says::Audience));
        assert_eq!(says(&["OFFICIAL-SENSITIVE: PERSONAL", "OFFICIAL SENSITIVE COMMERCIAL"]), Some(Says::Marking));
        assert_eq!(says(&["Official statistics", "OFFICIAL"]), None);
        let w = WhoWords::new(&p);
        assert_eq!(w.column(a, ["yes", "no", "Y"]), Some(Says::Audience));
        assert_eq!(w.column("count", ["yes", "no"]), None);
        assert_eq!(w.column(&format!("{} may see", b.replace('-', " ")), ["Y", "N"]), Some(Says::Audience));
    }
}
