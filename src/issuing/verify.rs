//! `brief verify PATH`: an independent audit of an edition's folder, a
//! copy's folder or zip, or a single page found somewhere. It finds what
//! PATH is — by the copy mark its pages carry, or else by the SHA-256 of
//! its files — among the profile's manifests (`reports/`, `issued/`) and
//! the dissemination log, then runs every check of [`audit`](super::audit)
//! against that manifest.

use super::audit::{check, Expect, Finding};
use super::checks::copy_mark_of;
use super::files::{self, Member, Shape};
use super::log::{self, Entry, Event};
use super::manifest::{sha256_hex, Manifest, RunSet};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::marking::Marking;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub struct VerifyOptions {
    pub path: PathBuf,
    /// The profile's folder; default: the nearest above PATH, or above the current folder.
    pub root: Option<PathBuf>,
    /// Check against this manifest instead of finding one.
    pub manifest: Option<PathBuf>,
}

/// What PATH is, and what is wrong with it.
pub struct Verdict {
    pub what: String,
    /// "copy 2 of `elected-members`", or "the `elected-members` edition".
    pub subject: String,
    pub findings: Vec<Finding>,
}

/// What PATH turned out to be.
struct Known<'a> {
    manifest: &'a Manifest,
    entry: Option<&'a Entry>,
}

fn profile_root(path: &Path) -> Option<PathBuf> {
    let abs = std::fs::canonicalize(path).ok()?;
    let here = std::env::current_dir().ok()?;
    abs.ancestors()
        .chain(here.ancestors())
        .find(|d| d.join(crate::config::CONFIG_FILE).is_file())
        .map(Path::to_path_buf)
}

/// Every manifest of the profile: the last build's and each issued copy's.
fn manifests(root: Option<&Path>, given: Option<&Path>) -> Result<Vec<Manifest>, Diagnostics> {
    if let Some(g) = given {
        return Ok(vec![Manifest::read(g).map_err(|d| Diagnostics(vec![d]))?]);
    }
    let Some(root) = root else { return Ok(Vec::new()) };
    let mut paths: Vec<PathBuf> = Vec::new();
    let reports = root.join("reports");
    let issued = log::dir(root);
    for dir in
        std::iter::once(reports).chain(std::fs::read_dir(&issued).into_iter().flatten().flatten().map(|e| e.path()))
    {
        let found = std::fs::read_dir(&dir).into_iter().flatten().flatten().map(|e| e.path());
        paths.extend(found.filter(|p| p.to_string_lossy().ends_with(".manifest.json")));
    }
    paths.sort();
    paths.iter().map(|p| Manifest::read(p).map_err(|d| Diagnostics(vec![d]))).collect()
}

/// The log's row for a copy mark.
fn by_mark<'a>(entries: &'a [Entry], mark: &str) -> Option<&'a Entry> {
    entries.iter().find(|e| e.event == Event::Issued && e.issued.as_ref().is_some_and(|i| i.mark == mark))
}

/// How many of `members` are files of `m`, as they were issued.
fn score(m: &Manifest, members: &[(String, String)], shape: Shape) -> usize {
    match shape {
        Shape::Page => members.iter().filter(|(_, sha)| m.files.values().any(|v| v == sha)).count(),
        _ => members.iter().filter(|(p, sha)| m.files.get(p) == Some(sha)).count(),
    }
}

fn identify<'a>(
    shape: Shape,
    members: &[Member],
    hashes: &[(String, String)],
    all: &'a [Manifest],
    entries: &'a [Entry],
) -> Option<Known<'a>> {
    let mark = members
        .iter()
        .filter(|m| m.path.ends_with(".html"))
        .find_map(|m| copy_mark_of(&String::from_utf8_lossy(&m.bytes)));
    if let Some(entry) = mark.as_deref().and_then(|k| by_mark(entries, k)) {
        let copy =
            |m: &&Manifest| m.edition == entry.edition && m.copy.as_ref().is_some_and(|c| c.number == entry.copy);
        if let Some(manifest) = all.iter().find(copy) {
            return Some(Known { manifest, entry: Some(entry) });
        }
    }
    let best = all.iter().map(|m| (score(m, hashes, shape), m)).filter(|(s, _)| *s > 0).max_by_key(|(s, _)| *s)?;
    let manifest = best.1;
    let entry = manifest.copy.as_ref().and_then(|c| log::issued(entries, &manifest.edition, c.number));
    Some(Known { manifest, entry })
}

fn describe(k: &Known, page: Option<String>) -> String {
    let m = k.manifest;
    let what = match (k.entry, &m.copy) {
        (Some(e), Some(c)) => format!(
            "copy {} of {} of the `{}` edition, issued to {} ({}) on {}",
            c.number, c.of, m.edition, e.recipient.name, e.recipient.organisation, e.date
        ),
        (None, Some(c)) => format!("copy {} of the `{}` edition (not in the dissemination log)", c.number, m.edition),
        _ => format!("the `{}` edition as built on {}", m.edition, m.built),
    };
    let what = format!("{what}; marking {}; profile version {}", m.marking, m.profile_version);
    match page {
        Some(p) => format!("{p} of {what}"),
        None => what,
    }
}

/// Findings about the copy's standing in the log.
fn log_findings(path: &str, k: &Known, entries: &[Entry], shape: Shape) -> Vec<Finding> {
    let mut out = Vec::new();
    let m = k.manifest;
    let Some(c) = &m.copy else { return out };
    let f = |message: String| Finding { file: path.to_string(), message };
    match k.entry.and_then(|e| e.issued.as_ref()) {
        None => {
            out.push(f(format!("is copy {} of `{}`, which the dissemination log does not hold", c.number, m.edition)))
        }
        Some(i) if i.files != m.files && shape != Shape::Page => {
            out.push(f("the copy's manifest does not agree with the dissemination log".into()))
        }
        Some(_) => {}
    }
    if let Some(w) = log::withdrawn(entries, &m.edition, c.number) {
        out.push(f(format!("is copy {}, withdrawn on {}: {}", c.number, w.date, w.reason.as_deref().unwrap_or(""))));
    }
    out
}

/// Audit PATH.
pub fn verify(o: &VerifyOptions) -> Result<Verdict, Diagnostics> {
    let (shape, members) = files::read(&o.path).map_err(|d| Diagnostics(vec![d]))?;
    let root = o.root.clone().or_else(|| profile_root(&o.path));
    let entries = match &root {
        Some(r) => log::read(r)?,
        None => Vec::new(),
    };
    let all = manifests(root.as_deref(), o.manifest.as_deref())?;
    let hashes: Vec<(String, String)> = members.iter().map(|m| (m.path.clone(), sha256_hex(&m.bytes))).collect();
    let path = o.path.display().to_string();
    let Some(k) = identify(shape, &members, &hashes, &all, &entries) else {
        return Err(Diagnostics(vec![Diagnostic::error(
            &o.path,
            0,
            "cannot tell which edition or copy this is: no manifest or log row of the profile matches it",
            "give the profile's folder with --root, or the edition's manifest with --manifest (reports/<edition>.manifest.json)",
        )]));
    };
    let issued: &BTreeMap<String, String> =
        k.entry.and_then(|e| e.issued.as_ref()).map_or(&k.manifest.files, |i| &i.files);
    let runs = RunSet::from_manifest(&k.manifest.withheld);
    let mark = k.manifest.copy.as_ref().map(|c| c.mark.clone());
    let expect = Expect {
        names: None,
        edition: &k.manifest.edition,
        ceiling: Marking::parse(&k.manifest.classification).unwrap_or(Marking::Official),
        withheld: &runs,
        files: (shape != Shape::Page).then_some(issued),
        copy_mark: mark.as_deref(),
        clean: None,
    };
    let mut findings = check(&members, &expect);
    // A zip's own bytes too: its comments, extra fields and any bytes
    // between entries are shown by some readers.
    if shape == Shape::Zip {
        if let Ok(bytes) = std::fs::read(&o.path) {
            let whole = files::Member { name: format!("{path} (its bytes)"), path: "zip.bytes".into(), bytes };
            findings.extend(super::audit::withheld_in(&whole, &expect));
        }
    }
    let odd = files::unlisted(&o.path, shape);
    findings.extend(odd.into_iter().map(|(file, message)| Finding { file, message }));
    findings.extend(log_findings(&path, &k, &entries, shape));
    let page = match shape {
        Shape::Page => {
            let sha = &hashes[0].1;
            let found = issued.iter().find(|(_, v)| *v == sha).map(|(p, _)| p.clone());
            if found.is_none() {
                findings
                    .push(Finding { file: path.clone(), message: "matches no file as issued: it was changed".into() });
            }
            Some(found.map_or_else(|| "a changed page".to_string(), |p| format!("page {p}")))
        }
        _ => None,
    };
    findings.sort();
    findings.dedup();
    let subject = match &k.manifest.copy {
        Some(c) => format!("copy {} of `{}`", c.number, k.manifest.edition),
        None => format!("the `{}` edition", k.manifest.edition),
    };
    Ok(Verdict { what: format!("{path}: {}", describe(&k, page)), subject, findings })
}
