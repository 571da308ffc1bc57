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
fn walk(root: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
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

fn line_at(text: &str, offset: usize, first_line: usize) -> usize {
    first_line + text.as_bytes()[..offset.min(text.len())].iter().filter(|b| **b == b'\n').count()
}

/// Links and images in a section's full body: errors for what can never be
/// published, warnings for links to sections that do not exist.
fn check_references(s: &Section, by_file: &BTreeMap<PathBuf, usize>, files: &BTreeSet<PathBuf>, d: &mut Diagnostics) {
    let text = s.body.full_text();
    for (offset, is_image, url) in render::references(&text) {
        let line = line_at(&text, offset, s.body_line);
        let what = if is_image { "image" } else { "link" };
        match render::classify_in(&url, &s.file, &|f| by_file.contains_key(f)) {
            Reference::Refused(why) => d.push(Diagnostic::error(&s.file, line, format!("{what} `{url}` is refused: {why}"), "link only to sections and files under content/, or to web pages with http(s)/mailto")),
            Reference::External | Reference::Anchor if is_image => d.push(Diagnostic::error(&s.file, line, format!("image `{url}` is not a file of this profile"), "pages load nothing from elsewhere: save the image under content/ beside the section and link to it by relative path")),
            Reference::Section { file, .. } if is_image => d.push(Diagnostic::error(&s.file, line, format!("image `{url}` points at a section ({})", file.display()), "images must be PNG, JPEG, GIF or WebP files")),
            Reference::Section { file, .. } => {
                if !by_file.contains_key(&file) {
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
                }
            }
            Reference::External | Reference::Anchor => {}
        }
    }
}

/// Load and validate the profile at `root`.
pub fn load(root: &Path) -> Result<Content, Diagnostics> {
    let profile = config::load(root)?;
    let mut diags = Diagnostics::default();
    let paths = walk(root).map_err(|e| Diagnostics(vec![e]))?;
    let (md, other): (Vec<PathBuf>, Vec<PathBuf>) =
        paths.into_iter().partition(|p| p.extension().is_some_and(|e| e == "md"));
    let files: BTreeSet<PathBuf> = other.into_iter().collect();

    let parsed: Vec<Result<Section, Diagnostics>> = md
        .par_iter()
        .map(|file| {
            let bytes = std::fs::read(root.join(file)).map_err(|e| {
                Diagnostics(vec![Diagnostic::error(
                    file,
                    0,
                    format!("cannot read: {e}"),
                    "check the file's permissions",
                )])
            })?;
            let text = String::from_utf8(bytes).map_err(|_| {
                Diagnostics(vec![Diagnostic::error(file, 0, "not valid UTF-8 text", "save the file as UTF-8")])
            })?;
            let rel = file.strip_prefix(CONTENT_DIR).unwrap_or(file);
            section::parse(&text, file, rel, &profile)
        })
        .collect();
    let mut sections = Vec::new();
    for p in parsed {
        match p {
            Ok(s) => sections.push(s),
            Err(d) => diags.extend(d),
        }
    }
    sections.sort_by(|a, b| (a.weight, &a.title, &a.file).cmp(&(b.weight, &b.title, &b.file)));

    let mut slugs: BTreeMap<&str, &Path> = BTreeMap::new();
    let mut rec_ids: BTreeMap<&str, (&Path, usize)> = BTreeMap::new();
    for s in &sections {
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
    let by_file: BTreeMap<PathBuf, usize> = sections.iter().enumerate().map(|(i, s)| (s.file.clone(), i)).collect();
    let mut warnings = Diagnostics::default();
    for s in &sections {
        let mut d = Diagnostics::default();
        check_references(s, &by_file, &files, &mut d);
        for x in d.0 {
            if x.is_error() {
                diags.push(x);
            } else {
                warnings.push(x);
            }
        }
    }
    if diags.has_errors() {
        return Err(diags.sorted());
    }
    Ok(Content { profile, sections, by_file, files, warnings: warnings.sorted() })
}
