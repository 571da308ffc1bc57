//! Loading: read `brief.yaml` and every file under `content/`, parse the
//! sections (in parallel), and validate everything that does not depend on an
//! edition. Either all of it is valid, or every problem is returned.
//!
//! What is read: every file under `content/` except hidden ones (a name
//! starting with `.`, or inside such a folder) and those matching an
//! `ignore:` glob of brief.yaml. `.md` files are sections; others are images
//! and attachments. A symbolic link is an error: nothing outside the profile
//! is ever read.

use crate::config::Profile;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::links::{self, Reference};
use crate::section::{self, Section};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

pub const CONTENT_DIR: &str = "content";

/// The whole profile, read once and shared by every edition. Only
/// [`crate::withhold`] turns it into what an edition shows.
#[derive(Debug)]
pub struct Content {
    pub profile: Profile,
    /// In contents order: weight, then title, then file.
    pub sections: Vec<Arc<Section>>,
    /// Section index by file (relative to the root): links ask it for
    /// every section of every edition.
    by_file: ByFile,
    /// Section file by its [`path_key`], for links written in another case or
    /// Unicode normalisation: made when first asked (most links find their
    /// file as written).
    by_lower: std::sync::OnceLock<HashMap<String, PathBuf>>,
    /// Files under content/ that are not sections (images, attachments), relative to the root.
    pub files: BTreeSet<PathBuf>,
    /// What each section's links point at (aligned with `sections`, by URL
    /// as written): classified once, asked by every edition and check.
    references: Vec<Arc<References>>,
    /// The data files figures read, and files with a sidecar, checked
    /// ([`crate::data`]); filled in after the sections are assembled.
    pub data: BTreeMap<PathBuf, Arc<crate::data::DataFile>>,
    pub warnings: Diagnostics,
}

/// Numbers by file, hashed and compared as bytes rather than as
/// components (which `Path` does, slowly). A path that `Path` would read
/// as another spelling (`a//b`, `a/./b`, `a/`) is made plain first, so a
/// file is found exactly when `Path`'s own equality would find it.
#[derive(Debug, Default)]
pub struct ByFile(FxHashMap<std::ffi::OsString, usize>);

impl ByFile {
    pub fn new<'a>(files: impl Iterator<Item = &'a Path>) -> ByFile {
        ByFile(files.enumerate().map(|(i, f)| (plain(f).into_owned(), i)).collect())
    }

    pub fn get(&self, file: &Path) -> Option<usize> {
        self.0.get::<std::ffi::OsStr>(&plain(file)).copied()
    }
}

fn plain(p: &Path) -> std::borrow::Cow<'_, std::ffi::OsStr> {
    let b = p.as_os_str().as_encoded_bytes();
    // After a `/`: another, or a `.` that is a whole part, or the end.
    let odd = b.iter().enumerate().any(|(i, &c)| {
        c == b'/' && matches!((b.get(i + 1), b.get(i + 2)), (None | Some(b'/'), _) | (Some(b'.'), None | Some(b'/')))
    });
    if odd {
        std::borrow::Cow::Owned(p.components().collect::<PathBuf>().into_os_string())
    } else {
        std::borrow::Cow::Borrowed(p.as_os_str())
    }
}

impl Content {
    pub fn section(&self, file: &Path) -> Option<&Section> {
        self.by_file.get(file).map(|i| self.sections[i].as_ref())
    }

    /// Section `file`'s number in [`Content::sections`].
    pub fn index_of(&self, file: &Path) -> Option<usize> {
        self.by_file.get(file)
    }

    /// What `url`, written in section `from`, points at ([`links::classify_in`]).
    pub fn reference(&self, from: &Path, url: &str) -> Reference {
        let known = self.by_file.get(from).and_then(|i| self.references[i].get(url));
        known.cloned().unwrap_or_else(|| links::classify_in(url, from, &|f| self.find_section(f)))
    }

    /// What `url`, written in section number `at` (in [`Content::sections`]), points at.
    /// Borrowed: every rebuild asks this of every kept link in every edition.
    pub fn reference_at(&self, at: usize, url: &str) -> std::borrow::Cow<'_, Reference> {
        match self.references.get(at).and_then(|r| r.get(url)) {
            Some(r) => std::borrow::Cow::Borrowed(r),
            None => std::borrow::Cow::Owned(self.reference(&self.sections[at].file, url)),
        }
    }

    /// How section number `at`'s links were classified: the same `Arc`
    /// from one rebuild to the next while its file and the sets of files are.
    pub fn references_of(&self, at: usize) -> Option<&Arc<References>> {
        self.references.get(at)
    }

    /// The section file a link names: as written, or in another case or
    /// normalisation (as a file system that ignores them opens it).
    pub fn find_section(&self, file: &Path) -> Option<PathBuf> {
        if self.by_file.get(file).is_some() {
            return Some(file.to_path_buf());
        }
        let lower = self.by_lower.get_or_init(|| lower_index(self.sections.iter().map(|s| s.file.as_path())));
        lower.get(&path_key(file)).cloned()
    }
}

/// A path as a file system that ignores letter case and Unicode
/// normalisation opens it (Windows, macOS): lower case, Latin letters
/// without their accents, combining marks dropped, so `Drugs.MD`, `ü` as
/// one character and `u` with a combining diaeresis all find one file. Two
/// section files with one key also share an address, which is an error.
pub fn path_key(p: &Path) -> String {
    let mut out = String::new();
    for c in p.to_string_lossy().chars() {
        let combining = matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}');
        if combining {
            continue;
        }
        match crate::search::fold_letter(c) {
            Some(f) => out.push_str(f),
            None => out.extend(c.to_lowercase()),
        }
    }
    out
}

fn lower_index<'a>(files: impl Iterator<Item = &'a Path>) -> HashMap<String, PathBuf> {
    files.map(|f| (path_key(f), f.to_path_buf())).collect()
}

/// Does `path` (relative to content/, `/`-separated) match a glob of
/// `ignore:`? `*` and `?` stay within a folder; `**` crosses folders.
pub fn glob_match(pattern: &str, path: &str) -> bool {
    fn segs(p: &[&str], s: &[&str]) -> bool {
        match (p.first(), s.first()) {
            (None, None) => true,
            (Some(&"**"), _) => segs(&p[1..], s) || (!s.is_empty() && segs(p, &s[1..])),
            (Some(pp), Some(ss)) => one(pp.as_bytes(), ss.as_bytes()) && segs(&p[1..], &s[1..]),
            _ => false,
        }
    }
    fn one(p: &[u8], s: &[u8]) -> bool {
        match (p.first(), s.first()) {
            (None, None) => true,
            (Some(b'*'), _) => one(&p[1..], s) || (!s.is_empty() && one(p, &s[1..])),
            (Some(b'?'), Some(_)) => one(&p[1..], &s[1..]),
            (Some(a), Some(b)) => a == b && one(&p[1..], &s[1..]),
            _ => false,
        }
    }
    let p: Vec<&str> = pattern.trim_start_matches("content/").split('/').collect();
    let s: Vec<&str> = path.split('/').collect();
    segs(&p, &s)
}

fn hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

/// Would [`walk`] pass over this path (relative to the root) without
/// listing it: outside content/, hidden, or matching an `ignore:` glob? Such
/// a path (an editor's swap file) cannot change what the walk finds.
pub fn walk_skips(rel: &Path, ignore: &[String]) -> bool {
    let Ok(under) = rel.strip_prefix(CONTENT_DIR) else { return true };
    let text = under.to_string_lossy().replace('\\', "/");
    under.components().any(|c| hidden(c.as_os_str())) || ignore.iter().any(|g| glob_match(g, &text))
}

/// Files under `content/`, relative to the root, sorted; hidden and ignored
/// files skipped; a symbolic link anywhere is an error.
pub fn walk(root: &Path, ignore: &[String]) -> Result<Vec<PathBuf>, Diagnostics> {
    let dir = root.join(CONTENT_DIR);
    if !dir.is_dir() {
        return Err(Diagnostics(vec![Diagnostic::error(
            CONTENT_DIR,
            0,
            "there is no content/ folder",
            "put the sections (Markdown files) under content/ beside brief.yaml",
        )]));
    }
    let mut out = Vec::new();
    let mut d = Diagnostics::default();
    for entry in walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !hidden(e.file_name()))
    {
        let entry = entry.map_err(|e| {
            Diagnostics(vec![Diagnostic::error(
                CONTENT_DIR,
                0,
                format!("cannot read content/: {e}"),
                "check the folder's permissions",
            )])
        })?;
        let rel = entry.path().strip_prefix(root).unwrap_or(entry.path()).to_path_buf();
        let under = rel.strip_prefix(CONTENT_DIR).unwrap_or(&rel).to_string_lossy().replace('\\', "/");
        if ignore.iter().any(|g| glob_match(g, &under)) {
            continue;
        }
        if entry.path_is_symlink() {
            d.push(Diagnostic::error(&rel, 0, "this is a symbolic link; brief reads nothing outside the profile", "replace the link with the file itself, or move it out of content/ (or add it to `ignore:` in brief.yaml)"));
        } else if entry.file_type().is_file() {
            out.push(rel);
        }
    }
    if d.has_errors() {
        Err(d)
    } else {
        Ok(out)
    }
}

pub fn line_at(text: &str, offset: usize, first_line: usize) -> usize {
    crate::markup::line_at(text, offset, first_line)
}

/// Read and parse one section file (relative to `root`).
pub fn read_section(root: &Path, file: &Path, profile: &Profile) -> (Option<Section>, Diagnostics) {
    match read_source(root, file) {
        Ok(bytes) => parse_section(bytes, file, profile),
        Err(d) => (None, Diagnostics(vec![d])),
    }
}

/// The largest section or data file read. The check of every edition's
/// files reads words with 32-bit offsets (up to 4 GiB of lower-cased text);
/// a source this size stays far below that however its text grows, so
/// nothing it withholds goes unchecked.
pub const MAX_SOURCE_BYTES: u64 = 256 << 20;

/// A section or data file's bytes (`file` is relative to the root), or
/// why it cannot be read.
pub fn read_source(root: &Path, file: &Path) -> Result<Vec<u8>, Diagnostic> {
    let path = root.join(file);
    let cannot =
        |e: std::io::Error| Diagnostic::error(file, 0, format!("cannot read: {e}"), "check the file's permissions");
    let len = std::fs::metadata(&path).map_err(cannot)?.len();
    if len > MAX_SOURCE_BYTES {
        return Err(Diagnostic::error(
            file,
            0,
            format!(
                "this file is {} MiB; a section or data file may be at most {} MiB",
                len >> 20,
                MAX_SOURCE_BYTES >> 20
            ),
            "split it into several files: so large a file could not be checked against every edition's pages",
        ));
    }
    std::fs::read(&path).map_err(cannot)
}

/// Parse one section file's bytes; `file` is relative to the root.
pub fn parse_section(bytes: Vec<u8>, file: &Path, profile: &Profile) -> (Option<Section>, Diagnostics) {
    let Ok(text) = String::from_utf8(bytes) else {
        return (
            None,
            Diagnostics(vec![Diagnostic::error(
                file,
                0,
                "not valid UTF-8 text",
                "save the file as UTF-8 (in Notepad: Save as, Encoding: UTF-8)",
            )]),
        );
    };
    let rel = file.strip_prefix(CONTENT_DIR).unwrap_or(file);
    section::parse(&text, file, rel, profile)
}

/// Contents order: weight, then title, then file.
pub fn contents_order(a: &Section, b: &Section) -> std::cmp::Ordering {
    (a.weight, &a.title, &a.file).cmp(&(b.weight, &b.title, &b.file))
}

/// Addresses, location names and recommendation ids must be unique across
/// sections (given in contents order): two names for one address would show
/// one section's spelling on another's pages.
pub fn validate_unique(sections: &[&Section]) -> Diagnostics {
    let mut diags = Diagnostics::default();
    // Hashed: the preview checks every section again on each rebuild.
    let mut slugs: FxHashMap<&str, &Path> = FxHashMap::with_capacity_and_hasher(sections.len(), Default::default());
    let mut rec_ids: FxHashMap<&str, (&Path, usize)> = FxHashMap::default();
    let mut areas: FxHashMap<&str, (&str, &Path, usize)> = FxHashMap::default();
    for s in sections {
        if let Some(other) = slugs.insert(&s.slug, &s.file) {
            diags.push(Diagnostic::error(
                &s.file,
                1,
                format!("this section's address `{}` is the same as {}'s", s.slug, other.display()),
                "rename one of the files; addresses are made from file names in lower-case ASCII, at most 60 characters a part",
            ));
        }
        for (a, slug) in s.areas.iter().zip(&s.area_slugs) {
            match areas.get(slug.as_str()) {
                Some((name, f, l)) if name != a => diags.push(Diagnostic::error(
                    &s.file,
                    s.areas_line,
                    format!("location `{a}` has the same address as `{name}` ({}:{l})", f.display()),
                    format!("name the place the same way everywhere (`{name}`), or give it a name that differs in more than case and punctuation"),
                )),
                Some(_) => {}
                None => {
                    areas.insert(slug, (a.as_str(), &s.file, s.areas_line));
                }
            }
        }
        for r in &s.recommendations {
            if let Some((f, l)) = rec_ids.insert(&r.id, (&s.file, r.line)) {
                diags.push(Diagnostic::error(
                    &s.file,
                    r.line,
                    format!("recommendation id `{}` is already used at {}:{l}", r.id, f.display()),
                    "give each recommendation a unique id",
                ));
            }
        }
    }
    diags
}

/// One section's links by URL, each classified once.
pub type References = FxHashMap<String, Reference>;

/// What each of the section's links points at, given which sections exist.
fn classify_links(s: &Section, find: &(dyn Fn(&Path) -> Option<PathBuf> + Sync)) -> References {
    let mut refs = References::default();
    for l in &s.body.links {
        if !refs.contains_key(&l.url) {
            refs.insert(l.url.clone(), links::classify_in(&l.url, &s.file, find));
        }
    }
    refs
}

/// One section's links and images, given which sections and files exist
/// (`refs`: [`classify_links`]): errors for what can never be published or
/// checked. A link to a section that does not exist is an error: its text
/// would be published, and a path no section answers to cannot be checked
/// against what an edition withholds (it may be a withheld section's name,
/// misspelt).
pub fn validate_references(
    s: &Section,
    refs: &References,
    find: &dyn Fn(&Path) -> Option<PathBuf>,
    files: &BTreeSet<PathBuf>,
    known: &[&str],
) -> Diagnostics {
    let mut d = Diagnostics::default();
    for l in &s.body.links {
        let (line, url) = (l.line, &l.url);
        let what = if l.is_image { "image" } else { "link" };
        let mut err = |m: String, h: &str| d.push(Diagnostic::error(&s.file, line, m, h));
        let reference = refs.get(url).cloned().unwrap_or_else(|| links::classify_in(url, &s.file, find));
        match reference {
            Reference::Refused(why) => err(format!("{what} `{url}` is refused: {why}"), "link only to sections and files under content/, or to web pages with http(s)/mailto"),
            Reference::External | Reference::Anchor if l.is_image => err(format!("image `{url}` is not a file of this profile"), "pages load nothing from elsewhere: save the image under content/ beside the section and link to it by relative path"),
            Reference::Section { file, .. } if l.is_image => err(format!("image `{url}` points at a section ({})", file.display()), "images must be PNG, JPEG, GIF or WebP files"),
            Reference::Section { file, .. } if find(&file).is_none() => {
                let near = crate::suggest::nearest(&file.display().to_string(), known.iter().copied()).map_or(String::new(), |n| format!(" (did you mean {n}?)"));
                err(format!("link to `{url}`: there is no section {}", file.display()), &format!("correct the path, relative to this file{near}; a link that finds no section cannot be checked against what each edition withholds"))
            }
            Reference::File(f) if !files.contains(&f) => err(format!("{what} `{url}`: file {} does not exist", f.display()), "correct the path; it is relative to this section's file"),
            Reference::File(f) if l.is_image && !links::is_image(&f) => {
                let svg = f.extension().is_some_and(|e| e.eq_ignore_ascii_case("svg"));
                err(format!("`{url}` cannot be shown as an image"), if svg { "SVG can carry script; export it as PNG" } else { "images must be PNG, JPEG, GIF or WebP; link to other files with [text](file) instead" })
            }
            Reference::File(f) if !l.is_image && !links::is_image(&f) && !links::is_attachment(&f) => err(
                format!("`{url}` cannot be attached: only documents and data files are copied into editions"),
                "attach a PDF, CSV, text or office document (HTML, SVG, scripts and the like could run in the reader's browser)",
            ),
            _ => {}
        }
    }
    d
}

/// What [`validate`] found in each section's links, kept between the
/// preview's rebuilds. A section's links are checked against the set of
/// section files and the set of other files alone: while both are as they
/// were, a section parsed from the same bytes (the same `Arc`, held here)
/// has the same findings. Anything else is checked again.
#[derive(Default)]
pub struct LinkChecks {
    /// The section files, sorted by their bytes, and lookups over them.
    sections: SectionFiles,
    files: BTreeSet<PathBuf>,
    by_section: FxHashMap<usize, (Arc<Section>, Diagnostics, Arc<References>)>,
}

/// The set of section files, with what a section checked afresh asks of it,
/// each built when first asked and kept while the set is the same.
#[derive(Default)]
struct SectionFiles {
    sorted: Vec<PathBuf>,
    known: OnceLock<FxHashSet<PathBuf>>,
    /// By [`path_key`]: a link that finds no file as written.
    lower: OnceLock<HashMap<String, PathBuf>>,
    /// As shown in messages, for the nearest name to a link that finds none.
    names: OnceLock<Vec<String>>,
}

impl SectionFiles {
    fn find(&self, p: &Path) -> Option<PathBuf> {
        let known = self.known.get_or_init(|| self.sorted.iter().cloned().collect());
        if known.contains(p) {
            return Some(p.to_path_buf());
        }
        self.lower.get_or_init(|| lower_index(self.sorted.iter().map(PathBuf::as_path))).get(&path_key(p)).cloned()
    }

    fn names(&self) -> Vec<&str> {
        self.names
            .get_or_init(|| self.sorted.iter().map(|p| p.display().to_string()).collect())
            .iter()
            .map(String::as_str)
            .collect()
    }
}

/// Checks across sections, given in contents order: unique addresses and
/// recommendation ids, and every link and image. Returns what each
/// section's links point at, too.
pub fn validate(
    sections: &[Arc<Section>],
    unread: &[PathBuf],
    files: &BTreeSet<PathBuf>,
    memo: &mut LinkChecks,
) -> (Diagnostics, Vec<Arc<References>>) {
    // Side by side: the uniqueness checks read every section, the link checks only new ones.
    let (mut diags, (links, references)) = rayon::join(
        || validate_unique(&sections.iter().map(|s| s.as_ref()).collect::<Vec<&Section>>()),
        || validate_links(sections, unread, files, memo),
    );
    diags.extend(links);
    (diags, references)
}

/// Every section's links and images ([`validate_references`]), each section
/// checked afresh only when it or the sets of files changed since `memo`.
/// A link to a section in `unread` (one refused with an error) is taken as
/// found: its own error names the cause, and the build fails on it anyway,
/// so "there is no section" beside it would only mislead.
fn validate_links(
    sections: &[Arc<Section>],
    unread: &[PathBuf],
    files: &BTreeSet<PathBuf>,
    memo: &mut LinkChecks,
) -> (Diagnostics, Vec<Arc<References>>) {
    let mut diags = Diagnostics::default();
    let mut sorted: Vec<&Path> =
        sections.iter().map(|s| s.file.as_path()).chain(unread.iter().map(PathBuf::as_path)).collect();
    // By bytes, not by components: only sameness and a fixed order matter here.
    sorted.sort_unstable_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
    let same_sets =
        memo.files == *files && memo.sections.sorted.iter().map(PathBuf::as_path).eq(sorted.iter().copied());
    if !same_sets {
        memo.sections = SectionFiles { sorted: sorted.iter().map(|p| p.to_path_buf()).collect(), ..Default::default() };
        memo.files = files.clone();
        memo.by_section.clear();
    }
    let (index, old) = (&memo.sections, &memo.by_section);
    let find = |p: &Path| index.find(p);
    // Only a section checked afresh needs these.
    let names = OnceLock::new();
    let checked: Vec<(Diagnostics, Arc<References>, bool)> = sections
        .par_iter()
        .map(|s| {
            if let Some((_, d, refs)) = old.get(&(Arc::as_ptr(s) as usize)) {
                return (d.clone(), refs.clone(), false);
            }
            let names: &Vec<&str> = names.get_or_init(|| index.names());
            let refs = classify_links(s, &find);
            (validate_references(s, &refs, &find, files, names), Arc::new(refs), true)
        })
        .collect();
    // Updated in place: sections checked afresh are added, and those
    // nothing else holds any longer (edited, removed) go.
    for (s, (d, r, fresh)) in sections.iter().zip(&checked) {
        if *fresh {
            memo.by_section.insert(Arc::as_ptr(s) as usize, (s.clone(), d.clone(), r.clone()));
        }
    }
    memo.by_section.retain(|_, (s, _, _)| Arc::strong_count(s) > 1);
    let checked = checked.into_iter().map(|(d, r, _)| (d, r));
    let mut references = Vec::with_capacity(sections.len());
    for (d, refs) in checked {
        diags.extend(d);
        references.push(refs);
    }
    (diags, references)
}

/// Sections parsed from files, sorted into contents order, with all
/// cross-section checks: the content of a profile, or every problem.
pub fn assemble(
    profile: Profile,
    parsed: Vec<(&Path, Option<Arc<Section>>, Diagnostics)>,
    files: BTreeSet<PathBuf>,
    checks: &mut LinkChecks,
) -> Result<Content, Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut sections = Vec::with_capacity(parsed.len());
    let mut unread = Vec::new();
    for (file, s, d) in parsed {
        if s.is_none() && d.has_errors() {
            unread.push(file.to_path_buf());
        }
        diags.extend(d);
        sections.extend(s);
    }
    sections.par_sort_by(|a, b| contents_order(a, b));
    let (checked, references) = validate(&sections, &unread, &files, checks);
    diags.extend(checked);
    if diags.has_errors() {
        return Err(diags.sorted());
    }
    let (_, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) = diags.0.into_iter().partition(Diagnostic::is_error);
    let by_file = ByFile::new(sections.iter().map(|s| s.file.as_path()));
    Ok(Content {
        profile,
        sections,
        by_file,
        by_lower: std::sync::OnceLock::new(),
        references,
        files,
        data: BTreeMap::new(),
        warnings: Diagnostics(warnings).sorted(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_match("**/README.md", "README.md"));
        assert!(glob_match("**/README.md", "threats/README.md"));
        assert!(glob_match("**/_*", "notes/_draft.md"));
        assert!(glob_match("**/_*", "_todo.md"));
        assert!(glob_match("drafts/**", "drafts/a/b.md"));
        assert!(glob_match("*.txt", "a.txt") && !glob_match("*.txt", "d/a.txt"));
        assert!(!glob_match("**/README.md", "threats/readme-not.md"));
    }

    #[test]
    fn a_source_past_the_size_limit_is_refused_unread() {
        let dir = std::env::temp_dir().join(format!("brief-size-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("content")).unwrap();
        let big = std::fs::File::create(dir.join("content/big.md")).unwrap();
        // Sparse: no bytes are written, and none are read.
        big.set_len(MAX_SOURCE_BYTES + 1).unwrap();
        std::fs::write(dir.join("content/small.md"), "text").unwrap();
        let e = read_source(&dir, Path::new("content/big.md")).unwrap_err();
        assert!(e.to_string().contains("at most 256 MiB"), "{e}");
        assert_eq!(read_source(&dir, Path::new("content/small.md")).unwrap(), b"text");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn files_are_found_however_their_path_is_spelt() {
        let files = [Path::new("content/a.md"), Path::new("content/b/c.md")];
        let by = ByFile::new(files.into_iter());
        for (p, want) in [
            ("content/a.md", Some(0)),
            ("content//a.md", Some(0)),
            ("./content/a.md", None),
            ("content/./b/c.md", Some(1)),
            ("content/b/c.md/", Some(1)),
            ("content/A.md", None),
            ("content/b/../a.md", None),
        ] {
            assert_eq!(by.get(Path::new(p)), want, "{p}");
            assert_eq!(Path::new(p) == files[0] || Path::new(p) == files[1], want.is_some(), "{p}: as Path has it");
        }
    }

    #[test]
    fn path_keys_ignore_case_and_normalisation() {
        let nfc = path_key(Path::new("content/Ynys M\u{f4}n.MD"));
        assert_eq!(nfc, path_key(Path::new("content/ynys mo\u{302}n.md")));
        assert_eq!(nfc, "content/ynys mon.md");
        assert_ne!(nfc, path_key(Path::new("content/ynys-mon.md")));
    }
}
