//! A withheld section named by its file in what an edition shows. A link to
//! a withheld section is refused where it is read ([`super::view`]); a path
//! written as text (`see ops/zq-secret.md`, in a paragraph, a code span or
//! a front-matter string) is not a link, yet it names the section to every
//! reader. So each edition's rendered text and front matter is searched for
//! the file name of every section it withholds whole, and a mention is an
//! error. Only file names with their `.md` are looked for: a title or slug
//! is made of ordinary words, which other text may hold by chance.

use super::view::{EditionView, Redactions};
use super::Kind;
use crate::diagnostic::Diagnostic;
use crate::load::path_key;
use crate::section::Section;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeSet;
use std::path::Path;

/// The file names of the sections an edition withholds, as [`path_key`] folds them.
struct Withheld<'a> {
    /// File name (`zq-secret.md`) → the withheld sections' files.
    by_name: FxHashMap<String, Vec<&'a Path>>,
    /// Their lengths in bytes, to try at each `.md`.
    lengths: BTreeSet<usize>,
    /// File names of sections the edition shows: a mention of one of these
    /// names a withheld section only if its folder is written too. Made
    /// when first needed (rarely: most text names no file).
    shown: std::sync::OnceLock<FxHashSet<String>>,
    included: &'a Redactions,
}

fn name_key(file: &Path) -> String {
    let name = file.file_name().unwrap_or_default();
    // As `path_key` folds it, without its look-ups for the usual ASCII name.
    match name.to_str() {
        Some(n) if n.is_ascii() => n.to_ascii_lowercase(),
        _ => path_key(Path::new(name)),
    }
}

impl<'a> Withheld<'a> {
    fn new(redactions: &'a Redactions) -> Withheld<'a> {
        let mut by_name: FxHashMap<String, Vec<&Path>> = FxHashMap::default();
        for w in redactions.withheld.iter().filter(|w| w.kind == Kind::Section) {
            by_name.entry(name_key(&w.file)).or_default().push(&w.file);
        }
        let lengths = by_name.keys().map(String::len).collect();
        Withheld { by_name, lengths, shown: Default::default(), included: redactions }
    }

    fn shown(&self) -> &FxHashSet<String> {
        self.shown.get_or_init(|| self.included.included.iter().map(|(s, _)| name_key(&s.file)).collect())
    }

    /// The withheld section `text` names by its file, if any.
    fn named_in(&self, text: &str) -> Option<&'a Path> {
        if !holds_md(text) || self.by_name.is_empty() {
            return None;
        }
        let key = path_key(Path::new(text));
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || matches!(c, '-' | '_'));
        for end in memchr::memmem::find_iter(key.as_bytes(), b".md").map(|i| i + 3) {
            if word(key[end..].chars().next()) {
                continue;
            }
            for &len in self.lengths.iter().take_while(|&&len| len <= end) {
                let start = end - len;
                if !key.is_char_boundary(start) || word(key[..start].chars().next_back()) {
                    continue;
                }
                let Some(files) = self.by_name.get(&key[start..end]) else { continue };
                let written = &key[..end];
                let found = files.iter().find(|f| {
                    // A name some shown section shares names this one only with
                    // its folder (`content/` for one at the top).
                    let rel = f.strip_prefix(crate::load::CONTENT_DIR).unwrap_or(f);
                    let rel = if rel.parent().is_some_and(|p| !p.as_os_str().is_empty()) { rel } else { f };
                    !self.shown().contains(&key[start..end]) || written.ends_with(&path_key(rel))
                });
                if let Some(f) = found {
                    return Some(f);
                }
            }
        }
        None
    }
}

/// Whether `text` holds `.md`, in any case.
fn holds_md(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr_iter(b'.', b).any(|i| b.get(i + 1..i + 3).is_some_and(|x| x.eq_ignore_ascii_case(b"md")))
}

/// The file line of the first line of `s`'s body naming `target`'s file (or 1: front matter).
fn line_of(s: &Section, target: &Path) -> usize {
    let name = name_key(target);
    let at = s.body.source.lines().position(|l| l.contains('.') && path_key(Path::new(l)).contains(&name));
    at.map_or(1, |i| s.body.first_line + i)
}

/// An error for each section of `view` whose page text or front matter
/// names a section the edition withholds, by its file name.
pub fn withheld_sections_named(view: &EditionView, redactions: &Redactions) -> Vec<Diagnostic> {
    let withheld = Withheld::new(redactions);
    if withheld.by_name.is_empty() {
        return Vec::new();
    }
    let named = |(i, (s, _)): (usize, &(std::sync::Arc<Section>, crate::marking::Marking))| -> Option<Diagnostic> {
        let shown = &view.sections[i];
        let (_, rendered) = view.made_of(i).expect("the view is rendered");
        let may_name =
            *rendered.holds_md.get_or_init(|| rendered.parts.iter().any(|p| holds_md(&p.heading) || holds_md(&p.text)));
        let parts = rendered.parts.iter().filter(|_| may_name).flat_map(|p| [p.heading.as_str(), p.text.as_str()]);
        let fields = [Some(&shown.title), shown.summary.as_ref(), shown.owner.as_ref()].into_iter().flatten();
        let front = fields.chain(&shown.areas).chain(&shown.sources).map(|t| (t.as_str(), 1));
        let recommendations = shown.recommendations.iter().flat_map(|r| {
            let own = [&r.id, &r.text].into_iter().chain(&r.owner).map(move |t| (t.as_str(), r.line));
            own.chain(r.measures.iter().flat_map(|m| [(m.name.as_str(), m.line), (m.unit.as_str(), m.line)]))
        });
        let found = parts
            .filter_map(|t| Some((withheld.named_in(t)?, None)))
            .chain(front.chain(recommendations).filter_map(|(t, line)| Some((withheld.named_in(t)?, Some(line)))))
            .next();
        found.map(|(target, line)| {
            Diagnostic::error(
                &s.file,
                line.unwrap_or_else(|| line_of(s, target)),
                format!(
                    "this names `{}`, the file of a section withheld from edition `{}`: every reader of that edition would see its path",
                    target.file_name().unwrap_or_default().to_string_lossy(),
                    view.edition.id
                ),
                format!(
                    "name it only in text kept to the editions that see {} (`[…]{{audience=\"…\"}}`), or not at all; to link to it, write `[text]({}){{if-withheld=\"text\"}}`",
                    target.display(),
                    target.file_name().unwrap_or_default().to_string_lossy()
                ),
            )
        })
    };
    redactions.included.par_iter().enumerate().filter_map(named).collect()
}

/// Whether `text` names one of `files` (section files under `content/`) by
/// its file name, as an edition withholding them is checked. For tests.
#[cfg(test)]
fn names(text: &str, withheld: &[&str], shown: &[&str]) -> Option<std::path::PathBuf> {
    use std::path::PathBuf;
    let w: Vec<PathBuf> = withheld.iter().map(PathBuf::from).collect();
    let mut by_name: FxHashMap<String, Vec<&Path>> = FxHashMap::default();
    for f in &w {
        by_name.entry(name_key(f)).or_default().push(f);
    }
    let lengths = by_name.keys().map(String::len).collect();
    let empty = Redactions::default();
    let w = Withheld { by_name, lengths, shown: Default::default(), included: &empty };
    let _ = w.shown.set(shown.iter().map(|f| name_key(Path::new(f))).collect());
    w.named_in(text).map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_withheld_section_is_found_by_its_file_name() {
        let w = ["content/ops/zq-secret.md", "content/a.md"];
        let shown = ["content/areas/a.md", "content/open.md"];
        let hit = |t: &str| names(t, &w, &shown).map(|p| p.display().to_string());
        assert_eq!(hit("See zq-secret.md now").as_deref(), Some("content/ops/zq-secret.md"));
        assert_eq!(hit("See [x](../ops/ZQ-Secret.MD).").as_deref(), Some("content/ops/zq-secret.md"));
        assert_eq!(hit("(`ops/zq-secret.md`)").as_deref(), Some("content/ops/zq-secret.md"));
        assert_eq!(hit("zq-secret.md").as_deref(), Some("content/ops/zq-secret.md"));
        // `a.md` is also a shown section's name: only its folder says which.
        assert_eq!(hit("see areas/a.md"), None);
        assert_eq!(hit("see a.md"), None);
        assert_eq!(hit("see content/a.md").as_deref(), Some("content/a.md"));
        // Other names and other words.
        assert_eq!(hit("see my-zq-secret.md or zq-secret.mdx or zq-secret"), None);
        assert_eq!(hit("open.md and README.md"), None);
        assert_eq!(hit("no path here."), None);
    }
}
