//! Loading: read `brief.yaml` and every file under `content/`, parse the
//! sections (in parallel), and validate everything that does not depend on an
//! edition. Either all of it is valid, or every problem is returned.

use crate::config::{self, Profile};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::render::{self, Reference};
use crate::section::{self, Section};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

pub const CONTENT_DIR: &str = "content";

/// The whole profile, parsed once and shared by every edition.
#[derive(Debug)]
pub struct Content {
    pub profile: Profile,
    /// In contents order: weight, then title, then file.
    pub sections: Vec<Section>,
    /// Section index by file (relative to the root).
    pub by_file: BTreeMap<PathBuf, usize>,
    /// Files under content/ that are not sections (images, attachments), relative to the root.
    pub files: BTreeSet<PathBuf>,
    pub warnings: Diagnostics,
}

impl Content {
    pub fn section(&self, file: &Path) -> Option<&Section> {
        self.by_file.get(file).map(|&i| &self.sections[i])
    }
}

/// Files under `content/`, relative to the root, sorted; hidden files skipped.
pub fn walk(root: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let dir = root.join(CONTENT_DIR);
    if !dir.is_dir() {
        return Err(Diagnostic::error(
            CONTENT_DIR,
            0,
            "there is no content/ folder",
            "put the sections (Markdown files) under content/ beside brief.yaml",
        ));
    }
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !e.file_name().to_string_lossy().starts_with('.'))
    {
        let entry = entry.map_err(|e| {
            Diagnostic::error(CONTENT_DIR, 0, format!("cannot read content/: {e}"), "check the folder's permissions")
        })?;
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(root).unwrap_or(entry.path()).to_path_buf();
            out.push(rel);
        }
    }
    Ok(out)
}

/// Files that may be linked and copied into an edition as they are. An
/// allow-list, because a copied HTML or SVG file would be opened from the
/// edition's own address, unsanitised and outside its CSP.
pub const ATTACHMENT_EXTENSIONS: [&str; 13] =
    ["pdf", "csv", "txt", "docx", "xlsx", "pptx", "odt", "ods", "odp", "doc", "xls", "ppt", "rtf"];

fn is_attachment(f: &Path) -> bool {
    f.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ATTACHMENT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

pub fn line_at(text: &str, offset: usize, first_line: usize) -> usize {
    first_line + text.as_bytes()[..offset.min(text.len())].iter().filter(|b| **b == b'\n').count()
}

/// A link or image in a section's full (unfiltered) body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ref {
    /// Line in the section's file.
    pub line: usize,
    pub is_image: bool,
    pub url: String,
}

/// Every link and image in a section's full body, with its line.
pub fn references(s: &Section) -> Vec<Ref> {
    let text = s.body.full_text();
    render::references(&text)
        .into_iter()
        .map(|(offset, is_image, url)| Ref { line: line_at(&text, offset, s.body_line), is_image, url })
        .collect()
}

/// Links and images in a section's full body: errors for what can never be
/// published, warnings for links to sections that do not exist.
fn check_references(
    s: &Section,
    refs: &[Ref],
    has_section: &dyn Fn(&Path) -> bool,
    files: &BTreeSet<PathBuf>,
    d: &mut Diagnostics,
) {
    for Ref { line, is_image, url } in refs {
        let (line, is_image) = (*line, *is_image);
        let what = if is_image { "image" } else { "link" };
        match render::classify_in(url, &s.file, has_section) {
            Reference::Refused(why) => d.push(Diagnostic::error(&s.file, line, format!("{what} `{url}` is refused: {why}"), "link only to sections and files under content/, or to web pages with http(s)/mailto")),
            Reference::External | Reference::Anchor if is_image => d.push(Diagnostic::error(&s.file, line, format!("image `{url}` is not a file of this profile"), "pages load nothing from elsewhere: save the image under content/ beside the section and link to it by relative path")),
            Reference::Section { file, .. } if is_image => d.push(Diagnostic::error(&s.file, line, format!("image `{url}` points at a section ({})", file.display()), "images must be PNG, JPEG, GIF or WebP files")),
            Reference::Section { file, .. } => {
                if !has_section(&file) {
                    d.push(Diagnostic::warning(&s.file, line, format!("link to `{url}`: there is no section {}", file.display()), "correct the path (relative to this file); the link is shown as plain text"));
                }
            }
            Reference::File(f) => {
                if !files.contains(&f) {
                    d.push(Diagnostic::error(&s.file, line, format!("{what} `{url}`: file {} does not exist", f.display()), "correct the path; it is relative to this section's file"));
                } else if is_image && !render::is_image(&f) {
                    let ext = f.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
                    let help = if ext == "svg" { "SVG can carry script; export it as PNG" } else { "images must be PNG, JPEG, GIF or WebP; link to other files with [text](file) instead" };
                    d.push(Diagnostic::error(&s.file, line, format!("`{url}` cannot be shown as an image"), help));
                } else if !is_image && !render::is_image(&f) && !is_attachment(&f) {
                    d.push(Diagnostic::error(
                        &s.file,
                        line,
                        format!("`{url}` cannot be attached: only documents and data files are copied into editions"),
                        format!("attach one of: {} (HTML, SVG, scripts and the like could run in the reader's browser)", ATTACHMENT_EXTENSIONS.join(", ")),
                    ));
                }
            }
            Reference::External | Reference::Anchor => {}
        }
    }
}

/// Read and parse one section file (relative to `root`).
pub fn read_section(root: &Path, file: &Path, profile: &Profile) -> Result<Section, Diagnostics> {
    let bytes = std::fs::read(root.join(file)).map_err(|e| {
        Diagnostics(vec![Diagnostic::error(file, 0, format!("cannot read: {e}"), "check the file's permissions")])
    })?;
    parse_section(bytes, file, profile)
}

/// Parse one section file's bytes; `file` is relative to the root.
pub fn parse_section(bytes: Vec<u8>, file: &Path, profile: &Profile) -> Result<Section, Diagnostics> {
    let text = String::from_utf8(bytes)
        .map_err(|_| Diagnostics(vec![Diagnostic::error(file, 0, "not valid UTF-8 text", "save the file as UTF-8")]))?;
    let rel = file.strip_prefix(CONTENT_DIR).unwrap_or(file);
    section::parse(&text, file, rel, profile)
}

/// Contents order: weight, then title, then file.
pub fn contents_order(a: &Section, b: &Section) -> std::cmp::Ordering {
    (a.weight, &a.title, &a.file).cmp(&(b.weight, &b.title, &b.file))
}

/// Addresses and recommendation ids must be unique across sections (given in contents order).
pub fn validate_unique(sections: &[&Section]) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let mut slugs: BTreeMap<&str, &Path> = BTreeMap::new();
    let mut rec_ids: BTreeMap<&str, (&Path, usize)> = BTreeMap::new();
    for s in sections {
        if let Some(other) = slugs.insert(&s.slug, &s.file) {
            diags.push(Diagnostic::error(
                &s.file,
                1,
                format!("this section's address `{}` is the same as {}'s", s.slug, other.display()),
                "rename one of the files; addresses are made from file names in lower case",
            ));
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

/// One section's links and images, given which sections and files exist: (errors, warnings).
pub fn validate_references(
    s: &Section,
    refs: &[Ref],
    has_section: &dyn Fn(&Path) -> bool,
    files: &BTreeSet<PathBuf>,
) -> (Diagnostics, Diagnostics) {
    let mut d = Diagnostics::default();
    check_references(s, refs, has_section, files, &mut d);
    let (e, w): (Vec<Diagnostic>, Vec<Diagnostic>) = d.0.into_iter().partition(Diagnostic::is_error);
    (Diagnostics(e), Diagnostics(w))
}

/// Checks across sections, given in contents order: unique addresses and
/// recommendation ids, and every link and image. Returns (errors, warnings).
pub fn validate<'a>(
    sections: &[&'a Section],
    refs: impl Fn(&'a Section) -> &'a [Ref],
    files: &BTreeSet<PathBuf>,
) -> (Diagnostics, Diagnostics) {
    let mut diags = validate_unique(sections);
    let known: std::collections::HashSet<&Path> = sections.iter().map(|s| s.file.as_path()).collect();
    let has_section = |p: &Path| known.contains(p);
    let mut warnings = Diagnostics::default();
    for s in sections {
        let (e, w) = validate_references(s, refs(s), &has_section, files);
        diags.extend(e);
        warnings.extend(w);
    }
    (diags, warnings)
}

/// Load and validate the profile at `root`.
pub fn load(root: &Path) -> Result<Content, Diagnostics> {
    let profile = config::load(root)?;
    let mut diags = Diagnostics::default();
    let paths = walk(root).map_err(|e| Diagnostics(vec![e]))?;
    let (md, other): (Vec<PathBuf>, Vec<PathBuf>) =
        paths.into_iter().partition(|p| p.extension().is_some_and(|e| e == "md"));
    let files: BTreeSet<PathBuf> = other.into_iter().collect();

    let parsed: Vec<Result<(Section, Vec<Ref>), Diagnostics>> = md
        .par_iter()
        .map(|file| {
            let s = read_section(root, file, &profile)?;
            let refs = references(&s);
            Ok((s, refs))
        })
        .collect();
    let mut sections = Vec::new();
    let mut refs: BTreeMap<PathBuf, Vec<Ref>> = BTreeMap::new();
    for p in parsed {
        match p {
            Ok((s, r)) => {
                refs.insert(s.file.clone(), r);
                sections.push(s);
            }
            Err(d) => diags.extend(d),
        }
    }
    sections.sort_by(contents_order);
    let view: Vec<&Section> = sections.iter().collect();
    let (errors, warnings) = validate(&view, |s| refs.get(&s.file).map(Vec::as_slice).unwrap_or(&[]), &files);
    diags.extend(errors);
    if diags.has_errors() {
        return Err(diags.sorted());
    }
    let by_file: BTreeMap<PathBuf, usize> = sections.iter().enumerate().map(|(i, s)| (s.file.clone(), i)).collect();
    Ok(Content { profile, sections, by_file, files, warnings: warnings.sorted() })
}
