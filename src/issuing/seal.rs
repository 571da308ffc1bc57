//! The last step of `brief build`, on its staged output before it is
//! swapped in: each edition's manifest (`reports/<edition>.manifest.json`),
//! the audit of every file it wrote ([`audit`](super::audit)), and the
//! server configurations ([`hosting`](super::hosting)). A finding fails
//! the build, and nothing is swapped in.

use super::audit::{check_member, Expect, Finding};
use super::files::Member;
use super::manifest::{
    new_salt, profile_version, sha256_hex, tree_paths, whole_hash, withheld_runs, Manifest, RunSet, FORMAT,
};
use super::units::CleanUnits;
use crate::build::{EditionBuild, Site};
use crate::date::Date;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::write::{DirSink, Sink};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

pub const GENERATOR: &str = concat!("Brief ", env!("CARGO_PKG_VERSION"));

/// The manifest of one edition's files, with a fresh salt for its withheld runs.
pub fn manifest(
    eb: &EditionBuild,
    files: BTreeMap<String, String>,
    runs: &RunSet,
    salt: &str,
    version: &str,
) -> Manifest {
    let e = &eb.view.edition;
    Manifest {
        format: FORMAT.into(),
        edition: e.id.clone(),
        name: e.name.clone(),
        classification: e.classification.as_str().into(),
        marking: eb.view.mark().label(),
        profile_version: version.into(),
        built: Date::today().to_string(),
        generator: GENERATOR.into(),
        copy: None,
        sha256: whole_hash(&files),
        files,
        withheld: runs.to_manifest(salt),
    }
}

/// Findings as build errors, each naming its file where it will be.
pub fn as_errors(findings: Vec<Finding>) -> Diagnostics {
    Diagnostics(
        findings
            .into_iter()
            .map(|f| {
                Diagnostic::error(
                    f.file,
                    0,
                    f.message,
                    "brief checks every file it writes before it is used; look at the theme and partials/ (or the content) that made this file",
                )
            })
            .collect(),
    )
}

/// One file as the audit left it: its path, its SHA-256, what was found in it.
type Checked = (String, String, Vec<Finding>);

/// Check one staged edition and write its manifest into the staged reports.
fn seal_edition(
    site: &Site,
    eb: &EditionBuild,
    staged: &Path,
    reports: &Path,
    out: &Path,
    version: &str,
) -> Result<(), Diagnostics> {
    let id = &eb.view.edition.id;
    let one = |d: Diagnostic| Diagnostics(vec![d]);
    let salt = new_salt();
    let mut runs = RunSet::new(&salt);
    withheld_runs(eb, &site.theme, &mut runs);
    let clean = CleanUnits::default();
    let names = crate::withhold::mentions::SectionNames::withheld_from(&eb.redactions);
    let expect = Expect {
        names: Some(&names),
        edition: id,
        ceiling: eb.view.edition.classification,
        withheld: &runs,
        files: None,
        copy_mark: None,
        clean: Some(&clean),
    };
    // One file at a time: read, check, hash, let go (an edition of 10,000
    // sections is hundreds of megabytes; the build never holds it whole).
    let shown = out.join(id);
    let paths = tree_paths(&staged.join(id)).map_err(one)?;
    let checked: Vec<Result<Checked, Diagnostic>> = paths
        .into_par_iter()
        .map(|(rel, full)| {
            let bytes = std::fs::read(&full).map_err(|e| {
                Diagnostic::error(
                    &full,
                    0,
                    format!("cannot read what this build wrote: {e}"),
                    "is the disk full or the folder being changed by another program?",
                )
            })?;
            let m = Member { name: shown.join(&rel).display().to_string(), path: rel, bytes };
            let findings = check_member(&m, &expect);
            Ok((m.path, sha256_hex(&m.bytes), findings))
        })
        .collect();
    let mut files = BTreeMap::new();
    let mut findings = Vec::new();
    for c in checked {
        let (path, sha, f) = c.map_err(one)?;
        files.insert(path, sha);
        findings.extend(f);
    }
    if !findings.is_empty() {
        findings.sort();
        return Err(as_errors(findings));
    }
    let m = manifest(eb, files, &runs, &salt, version);
    DirSink::new(reports).put(&format!("{id}.manifest.json"), m.json().into_bytes()).map_err(one)
}

/// Manifests, audit and hosting configurations for every staged edition.
pub fn seal(site: &Site, root: &Path, staged: &Path, reports: &Path, out: &Path) -> Result<(), Diagnostics> {
    let p = &site.content.profile;
    let version = profile_version(root, &p.produced.to_string(), &p.theme).map_err(|d| Diagnostics(vec![d]))?;
    let mut errors = Diagnostics::default();
    let results: Vec<Result<(), Diagnostics>> =
        site.editions.par_iter().map(|e| seal_edition(site, e, staged, reports, out, &version)).collect();
    for r in results {
        if let Err(d) = r {
            errors.extend(d);
        }
    }
    if errors.has_errors() {
        return Err(errors);
    }
    let editions: Vec<(String, String)> =
        site.editions.iter().map(|e| (e.view.edition.id.clone(), e.view.edition.name.clone())).collect();
    super::hosting::write(&editions, reports, out).map_err(|d| Diagnostics(vec![d]))
}
