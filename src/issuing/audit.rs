//! The checks `brief verify` makes of a set of files, and `brief build` and
//! `brief copies` make of their own output before anything is swapped in
//! or issued: files added, removed or changed since issue; withheld text in
//! any file; pages unmarked or marked above the edition; anything loaded
//! from elsewhere or run inline; a copy's mark missing from any file.
//! Every finding names its file.

use super::checks::{css_problems, html_problems, marking_problems};
use super::files::{suspect, words, Member};
use super::manifest::{sha256_hex, RunSet};
use super::stamp::stamp_problem;
use super::units::CleanUnits;
use super::words::{html_text, Words};
use crate::marking::Marking;
use crate::withhold::mentions::{may_name_bytes, SectionNames};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashSet};

/// One problem, in one file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    pub file: String,
    pub message: String,
}

/// What the files should be.
pub struct Expect<'a> {
    pub edition: &'a str,
    /// No page may be marked above this.
    pub ceiling: Marking,
    pub withheld: &'a RunSet,
    /// Every file as issued (path → SHA-256); `None` when checking one page or a fresh build.
    pub files: Option<&'a BTreeMap<String, String>>,
    /// A copy's mark, which every page, script, stylesheet and spreadsheet carries.
    pub copy_mark: Option<&'a str>,
    /// Units of pages already screened clean for this edition ([`CleanUnits`]).
    pub clean: Option<&'a CleanUnits>,
    /// The file names of the sections the edition withholds whole (during a build).
    pub names: Option<&'a SectionNames>,
}

/// Every finding about `members`, sorted by file.
pub fn check(members: &[Member], x: &Expect) -> Vec<Finding> {
    let mut out: Vec<Finding> = members.par_iter().flat_map_iter(|m| check_member(m, x)).collect();
    if let Some(files) = x.files {
        let present: HashSet<&str> = members.iter().map(|m| m.path.as_str()).collect();
        for p in files.keys().filter(|p| !present.contains(p.as_str())) {
            out.push(Finding { file: p.clone(), message: "was removed since issue".into() });
        }
    }
    out.sort();
    out
}

/// Every finding about one file (not whether others were removed: see [`check`]).
pub fn check_member(m: &Member, x: &Expect) -> Vec<Finding> {
    let mut messages = changes(m, x);
    let text = || as_text(&m.bytes);
    let ext = m.path.rsplit_once('.').map_or("", |(_, e)| e);
    match ext {
        "html" | "htm" => {
            let t = text();
            messages.extend(marking_problems(&t, x.ceiling));
            messages.extend(html_problems(&t));
        }
        "css" => messages.extend(css_problems(&text())),
        _ => {}
    }
    if let Some(mark) = x.copy_mark {
        messages.extend(stamp_problem(&m.path, &m.bytes, mark));
    }
    messages.extend(names_withheld_section(m, ext, x));
    let mut out: Vec<Finding> = messages.into_iter().map(|message| Finding { file: m.name.clone(), message }).collect();
    out.extend(withheld_in(m, x));
    out
}

/// A withheld section's file name anywhere in the file's text, attributes
/// and scripts included ([`crate::withhold::mentions`] refuses the mentions
/// it can place in a section; this finds any other way one went).
fn names_withheld_section(m: &Member, ext: &str, x: &Expect) -> Option<String> {
    let names = x.names.filter(|n| !n.is_empty())?;
    if !may_name_bytes(&m.bytes) {
        return None;
    }
    let text = as_text(&m.bytes);
    let shown = if matches!(ext, "html" | "htm") { std::borrow::Cow::Owned(html_text(&text)) } else { text };
    let file = names.named_in(&shown)?;
    Some(format!(
        "names `{}`, the file of a section withheld from the {} edition",
        file.file_name().unwrap_or_default().to_string_lossy(),
        x.edition
    ))
}

/// A file's bytes as text, as `String::from_utf8_lossy` reads them, but
/// checked first by `str::from_utf8`, which reads ASCII a word at a time:
/// every file an edition holds is read this way.
pub(crate) fn as_text(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

fn changes(m: &Member, x: &Expect) -> Vec<String> {
    let Some(files) = x.files else { return Vec::new() };
    match files.get(&m.path) {
        None => vec!["was added since issue: the edition as issued has no such file".into()],
        Some(sha) if *sha != sha256_hex(&m.bytes) => vec!["was changed since issue (its SHA-256 differs)".into()],
        Some(_) => Vec::new(),
    }
}

/// Runs of withheld text in the file's name or any text in it.
pub(crate) fn withheld_in(m: &Member, x: &Expect) -> Vec<Finding> {
    if x.withheld.is_empty() {
        return Vec::new();
    }
    // During a build the runs' quick hashes are known: a file is first
    // screened for them keeping no text, and read whole only if suspect.
    let name_words = Words::read(&m.path.replace(['/', '-', '_', '.'], " "));
    if let (Some(quick), Some(clean)) = (x.withheld.quick(), x.clean) {
        let name_clear = !name_words.too_long() && name_words.hashed_runs().all(|r| !quick.contains(r.quick));
        if name_clear && !suspect(&m.name, &m.bytes, 3, quick, clean) {
            return Vec::new();
        }
    }
    let mut all = words(&m.name, &m.bytes, 3);
    all.push((format!("{} (its name)", m.name), name_words));
    let mut out = Vec::new();
    for (name, words) in all {
        if words.too_long() {
            out.push(Finding {
                file: name.clone(),
                message: "is too large to read whole for withheld text (over 4 GiB once its words are read); \
                          an edition's files must be smaller"
                    .into(),
            });
        }
        let found: Vec<&str> =
            words.hashed_runs().filter(|r| x.withheld.contains_run(r.quick, r.text)).map(|r| r.text).collect();
        if let Some(first) = found.first() {
            out.push(Finding {
                file: name,
                message: format!(
                    "holds text withheld from the {} edition: \"{first}…\" ({} run{} of words)",
                    x.edition,
                    found.len(),
                    if found.len() == 1 { "" } else { "s" }
                ),
            });
        }
    }
    out
}
