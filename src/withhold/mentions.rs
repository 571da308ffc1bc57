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
use std::path::{Path, PathBuf};

/// The file names of the sections an edition withholds whole, as
/// [`loose_key`] reads them: for this check, and for the audit of every file
/// the edition holds ([`crate::issuing::audit`]), which finds them wherever
/// they went (raw HTML, attributes, figures, search).
#[derive(Debug, Default)]
pub struct SectionNames {
    /// File name (`zq-secret.md`) → the withheld sections' files.
    by_name: FxHashMap<String, Vec<PathBuf>>,
    /// Their lengths in bytes, to try at each `.md`.
    lengths: BTreeSet<usize>,
    /// File names of sections the edition shows: a mention of one of these
    /// names a withheld section only if its folder is written too.
    shown: FxHashSet<String>,
}

fn name_key(file: &Path) -> String {
    let name = file.file_name().unwrap_or_default();
    // As `path_key` folds it, without its look-ups for the usual ASCII name.
    match name.to_str() {
        Some(n) if n.is_ascii() => n.to_ascii_lowercase(),
        _ => path_key(Path::new(name)),
    }
}

/// Text as a path in it is read: character references decoded, invisible
/// characters dropped, full-width forms and `%`-escapes of ASCII undone,
/// `\\` as `/`, `./`, doubled `/` and spaces beside a `/` taken out, then
/// folded as [`path_key`] folds a file's path.
fn loose_key(text: &str) -> String {
    // Control characters (the audit's breaks between attribute values) part words.
    let mut spaced: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    // Named references for a path's punctuation, which `fold` does not read.
    for (name, c) in
        [("&period;", "."), ("&sol;", "/"), ("&bsol;", "\\"), ("&hyphen;", "-"), ("&dash;", "-"), ("&lowbar;", "_")]
    {
        if spaced.contains(name) {
            spaced = spaced.replace(name, c);
        }
    }
    let (folded, _) = super::residue::fold(&spaced);
    let mut plain = String::with_capacity(folded.len());
    let mut chars = folded.chars().peekable();
    while let Some(c) = chars.next() {
        let c = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\\' => '/',
            '%' => {
                let hex: String = chars.clone().take(2).collect();
                match u8::from_str_radix(&hex, 16) {
                    Ok(b) if hex.len() == 2 && b.is_ascii() => {
                        chars.next();
                        chars.next();
                        b as char
                    }
                    _ => c,
                }
            }
            c if super::residue::invisible(c) => continue,
            c => c,
        };
        plain.push(c);
    }
    let mut key = path_key(Path::new(&plain));
    for (from, to) in [(" /", "/"), ("/ ", "/"), ("/./", "/"), ("//", "/")] {
        while key.contains(from) {
            key = key.replace(from, to);
        }
    }
    key
}

impl SectionNames {
    /// The sections `redactions` withholds whole, by file name.
    pub fn withheld_from(redactions: &Redactions) -> SectionNames {
        let mut by_name: FxHashMap<String, Vec<PathBuf>> = FxHashMap::default();
        for w in redactions.withheld.iter().filter(|w| w.kind == Kind::Section) {
            by_name.entry(name_key(&w.file)).or_default().push(w.file.clone());
        }
        let lengths = by_name.keys().map(String::len).collect();
        let shown = if by_name.is_empty() {
            FxHashSet::default()
        } else {
            redactions.included.iter().map(|(s, _)| name_key(&s.file)).collect()
        };
        SectionNames { by_name, lengths, shown }
    }

    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }

    /// The withheld section `text` names by its file, if any.
    pub fn named_in(&self, text: &str) -> Option<&Path> {
        if self.by_name.is_empty() || !may_name(text) {
            return None;
        }
        let key = loose_key(text);
        // Any letter or digit joins a name; `-` and `_` do not (`x_secret.md` is taken as naming `secret.md`).
        let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
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
                    !self.shown.contains(&key[start..end]) || written.ends_with(&path_key(rel))
                });
                if let Some(f) = found {
                    return Some(f);
                }
            }
        }
        None
    }
}

/// Whether `text` may name a file `.md` however written: an `m` and a `d`
/// (in any case, full-width too, invisible characters between), a `%`-escape
/// of one, or a numeric character reference other than the apostrophe every
/// page holds. Run over every byte an edition holds: most `m`s are followed
/// by another ASCII byte and cost one comparison.
pub fn may_name(text: &str) -> bool {
    may_name_bytes(text.as_bytes())
}

pub fn may_name_bytes(b: &[u8]) -> bool {
    const INVISIBLE: [&[u8]; 5] = [b"\xC2\xAD", b"\xE2\x80\x8B", b"\xE2\x80\x8C", b"\xE2\x80\x8D", b"\xE2\x81\xA0"];
    let md = memchr::memchr2_iter(b'm', b'M', b).any(|i| match b.get(i + 1) {
        Some(b'd' | b'D') => true,
        Some(&c) if c >= 0xC2 => {
            let mut j = i + 1;
            while let Some(n) = INVISIBLE.iter().find(|x| b[j..].starts_with(x)) {
                j += n.len();
            }
            b.get(j).is_some_and(|c| c.eq_ignore_ascii_case(&b'd'))
        }
        _ => false,
    });
    // `%2E`, `%6D`, `%64` (and capitals): a `.`, `m` or `d` escaped.
    let escaped = || {
        memchr::memchr_iter(b'%', b).any(|i| {
            b.get(i + 1..i + 3)
                .is_some_and(|h| ["2e", "6d", "4d", "64", "44"].iter().any(|x| h.eq_ignore_ascii_case(x.as_bytes())))
        })
    };
    md || escaped()
        || memchr::memmem::find(b, "\u{FF4D}".as_bytes()).is_some()
        || memchr::memmem::find(b, "\u{FF2D}".as_bytes()).is_some()
        || memchr::memmem::find_iter(b, b"&#").any(|i| !b[i..].starts_with(b"&#39;"))
}

/// `target`'s path as a link from `from` writes it (both under `content/`).
fn relative(from: &Path, target: &Path) -> String {
    let base: Vec<_> = from.parent().map(|p| p.components().collect()).unwrap_or_default();
    let to: Vec<_> = target.components().collect();
    let common = base.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let up = std::iter::repeat_n("..".to_string(), base.len() - common);
    let down = to[common..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned());
    up.chain(down).collect::<Vec<_>>().join("/")
}

/// The file line of the first line of `s`'s body naming `target`'s file (or 1: front matter).
fn line_of(s: &Section, target: &Path) -> usize {
    let name = name_key(target);
    // A Markdown escape (`zq\\-secret.md`) shows without its backslash.
    let names_it = |l: &str| loose_key(l).contains(&name) || loose_key(&l.replace('\\', "")).contains(&name);
    let at = s.body.source.lines().position(|l| may_name(l) && names_it(l));
    at.map_or(1, |i| s.body.first_line + i)
}

/// An error for each section of `view` whose page text or front matter
/// names a section the edition withholds, by its file name.
pub fn withheld_sections_named(view: &EditionView, redactions: &Redactions) -> Vec<Diagnostic> {
    let withheld = SectionNames::withheld_from(redactions);
    if withheld.is_empty() {
        return Vec::new();
    }
    let named = |(i, (s, _)): (usize, &(std::sync::Arc<Section>, crate::marking::Marking))| -> Option<Diagnostic> {
        let shown = &view.sections[i];
        let (_, rendered) = view.made_of(i).expect("the view is rendered");
        let may =
            *rendered.holds_md.get_or_init(|| rendered.parts.iter().any(|p| may_name(&p.heading) || may_name(&p.text)));
        let parts = rendered.parts.iter().filter(|_| may).flat_map(|p| [p.heading.as_str(), p.text.as_str()]);
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
                    relative(&s.file, target)
                ),
            )
        })
    };
    redactions.included.par_iter().enumerate().filter_map(named).collect()
}

/// Whether `text` names one of `withheld` (section files under
/// `content/`) by its file name, while `shown` are shown. For tests.
#[cfg(test)]
fn names(text: &str, withheld: &[&str], shown: &[&str]) -> Option<PathBuf> {
    let mut by_name: FxHashMap<String, Vec<PathBuf>> = FxHashMap::default();
    for f in withheld {
        by_name.entry(name_key(Path::new(f))).or_default().push(PathBuf::from(f));
    }
    let lengths = by_name.keys().map(String::len).collect();
    let shown = shown.iter().map(|f| name_key(Path::new(f))).collect();
    SectionNames { by_name, lengths, shown }.named_in(text).map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_is_suggested_relative_to_the_section() {
        let r = |a: &str, b: &str| relative(Path::new(a), Path::new(b));
        assert_eq!(r("content/intro.md", "content/ops/b.md"), "ops/b.md");
        assert_eq!(r("content/areas/x.md", "content/ops/b.md"), "../ops/b.md");
        assert_eq!(r("content/ops/x.md", "content/b.md"), "../b.md");
    }

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
        assert_eq!(hit("see myzq-secret.md or zq-secret.mdx or zq-secret"), None);
        // Written otherwise, read as a browser or a file system would.
        for written in [
            "x_zq-secret.md",
            "zq-secret\u{FF0E}md",
            "zq-secret.\u{FF4D}\u{FF44}",
            "zq-sec\u{200B}ret.md",
            "zq-sec\u{AD}ret.m\u{200B}d",
            "zq%2Dsecret%2Emd",
            "zq&#45;secret&#46;md",
            "ops\\zq-secret.md",
        ] {
            assert_eq!(hit(written).as_deref(), Some("content/ops/zq-secret.md"), "{written}");
        }
        for twin in ["content\\a.md", "content/./a.md", "content//a.md", "content / a.md", "content\u{FF0F}a.md"] {
            assert_eq!(hit(twin).as_deref(), Some("content/a.md"), "{twin}");
        }
        assert_eq!(hit("open.md and README.md"), None);
        assert_eq!(hit("no path here."), None);
    }
}
