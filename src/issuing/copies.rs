//! `brief copies`: numbered copies of one edition, one per recipient, each
//! made from the edition view (never from `public/`) with the copy mark on
//! every page, checked whole in memory, then written to
//! `copies/<edition>/NNN-<name>/` (and `NNN-<name>.zip`), with its manifest
//! in `issued/<edition>/NNN.manifest.json` and a row in the dissemination
//! log. Numbers continue from the highest the log holds for the edition.

use super::audit::{check, Expect};
use super::files::Member;
use super::log::{self, Entry, Event, Issued};
use super::manifest::{new_salt, profile_version, sha256_hex, withheld_runs, CopyInfo, Manifest, RunSet};
use super::recipients::{self, Recipient};
use super::seal::{as_errors, manifest};
use super::stamp::{CopyMark, MemorySink, StampSink};
use super::units::CleanUnits;
use crate::build::{self, EditionBuild, Site};
use crate::date::Date;
use crate::diagnostic::{Diagnostic, Diagnostics};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

pub const COPIES_DIR: &str = "copies";

pub struct CopiesOptions {
    pub root: PathBuf,
    pub edition: String,
    pub recipients: PathBuf,
    pub zip: bool,
    /// The issue date (default: today).
    pub date: Option<Date>,
}

/// What one issued copy is, for the summary.
pub struct IssuedCopy {
    pub number: u32,
    pub mark: String,
    pub folder: PathBuf,
    pub zip: Option<PathBuf>,
}

fn one(d: Diagnostic) -> Diagnostics {
    Diagnostics(vec![d])
}

fn find_edition<'a>(site: &'a Site, id: &str) -> Result<&'a EditionBuild, Diagnostics> {
    site.edition(id).ok_or_else(|| {
        let ids: Vec<&str> = site.editions.iter().map(|e| e.view.edition.id.as_str()).collect();
        one(Diagnostic::error(
            crate::config::CONFIG_FILE,
            0,
            format!("there is no edition `{id}`"),
            format!("{}the editions are {}", crate::suggest::did_you_mean(id, ids.iter().copied()), ids.join(", ")),
        ))
    })
}

/// Issue a numbered copy of the edition to each recipient.
pub fn issue(opts: &CopiesOptions) -> Result<Vec<IssuedCopy>, Diagnostics> {
    let people = recipients::read(&opts.recipients)?;
    let site = build::prepare(&opts.root, false, &mut build::Cache::default())?;
    let eb = find_edition(&site, &opts.edition)?;
    let _lock = log::Lock::take(&opts.root).map_err(one)?;
    let first = log::next_number(&log::read(&opts.root)?, &opts.edition);
    let of = first + people.len() as u32 - 1;
    let p = &site.content.profile;
    let version = profile_version(&opts.root, &p.produced.to_string(), &p.theme).map_err(one)?;

    let date = opts.date.unwrap_or_else(Date::today);
    let mut out = Vec::new();
    for (k, r) in people.iter().enumerate() {
        let mark =
            CopyMark { number: first + k as u32, of, name: r.name.clone(), organisation: r.organisation.clone(), date };
        let salt = new_salt();
        let mut set = RunSet::new(&salt);
        withheld_runs(eb, &site.theme, &mut set);
        let files = render(&site, eb, &mark)?;
        let m = copy_manifest(eb, &files, &mark, &set, &salt, &version, opts.edition.as_str())?;
        out.push(write_copy(opts, &site, r, &mark, files, &m)?);
    }
    Ok(out)
}

/// Every file of the copy, in memory, each carrying the mark.
fn render(site: &Site, eb: &EditionBuild, mark: &CopyMark) -> Result<BTreeMap<String, Vec<u8>>, Diagnostics> {
    let opts = crate::site::Options { draft: false, today: Date::today(), copy: Some(mark.label()) };
    let mem = MemorySink::default();
    let sink = StampSink { inner: &mem, label: mark.label() };
    crate::site::build_edition(&eb.view, &site.theme, &opts, &sink)?;
    Ok(mem.files.into_inner().unwrap_or_default())
}

/// The copy checked whole (nothing issued on a finding), and its manifest.
fn copy_manifest(
    eb: &EditionBuild,
    files: &BTreeMap<String, Vec<u8>>,
    mark: &CopyMark,
    runs: &RunSet,
    salt: &str,
    version: &str,
    edition: &str,
) -> Result<Manifest, Diagnostics> {
    let label = mark.label();
    let members: Vec<Member> = files
        .iter()
        .map(|(p, b)| Member { name: format!("copy {} {p}", mark.number), path: p.clone(), bytes: b.clone() })
        .collect();
    let hashes: BTreeMap<String, String> = files.iter().map(|(p, b)| (p.clone(), sha256_hex(b))).collect();
    let clean = CleanUnits::default();
    // A copy is made afresh from the view, not from a build's checked output: it is searched as a build's is.
    let names = crate::withhold::mentions::SectionNames::withheld_from(&eb.redactions);
    let expect = Expect {
        names: Some(&names),
        edition,
        ceiling: eb.view.edition.classification,
        withheld: runs,
        files: Some(&hashes),
        copy_mark: Some(&label),
        clean: Some(&clean),
    };
    let findings = check(&members, &expect);
    if !findings.is_empty() {
        return Err(as_errors(findings));
    }
    let mut m = manifest(eb, hashes, runs, salt, version);
    m.copy = Some(CopyInfo { number: mark.number, of: mark.of, mark: label });
    Ok(m)
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> Diagnostics + '_ {
    move |e| one(Diagnostic::error(path, 0, e.to_string(), "check you may write there; this copy was not issued"))
}

fn rel(root: &Path, p: &Path) -> String {
    p.strip_prefix(root).unwrap_or(p).to_string_lossy().replace('\\', "/")
}

/// Write the folder (and zip) under a temporary name, log the copy, then move them into place.
fn write_copy(
    opts: &CopiesOptions,
    site: &Site,
    r: &Recipient,
    mark: &CopyMark,
    files: BTreeMap<String, Vec<u8>>,
    m: &Manifest,
) -> Result<IssuedCopy, Diagnostics> {
    let base = opts.root.join(COPIES_DIR).join(&opts.edition);
    let slug: String = crate::slug::slugify(&r.name).chars().take(40).collect();
    let name = format!("{:03}-{}", mark.number, slug.trim_end_matches('-'));
    let folder = base.join(&name);
    let zip_path = opts.zip.then(|| base.join(format!("{name}.zip")));
    for p in std::iter::once(&folder).chain(zip_path.as_ref()) {
        if p.exists() {
            return Err(one(Diagnostic::error(
                p,
                0,
                "a copy with this number is already here, but the log does not hold it",
                "move it away (and check the log, issued/dissemination.json); numbers are never reused",
            )));
        }
    }
    std::fs::create_dir_all(&base).map_err(io(&base))?;
    let tmp = tempfile::Builder::new().prefix(&format!(".{name}.partial-")).tempdir_in(&base).map_err(io(&base))?;
    let sink = crate::write::DirSink::new(tmp.path());
    for (p, b) in &files {
        crate::write::Sink::put(&sink, p, b.clone()).map_err(one)?;
    }
    let zip = match &zip_path {
        Some(_) => Some(
            zip_bytes(&name, &files).map_err(|e| one(Diagnostic::error(&base, 0, e, "check you may write there")))?,
        ),
        None => None,
    };
    let manifest_rel = PathBuf::from(log::DIR).join(&opts.edition).join(format!("{:03}.manifest.json", mark.number));
    let manifest_json = m.json();
    let manifest_path = opts.root.join(&manifest_rel);
    std::fs::create_dir_all(manifest_path.parent().unwrap_or(&opts.root)).map_err(io(&manifest_path))?;
    std::fs::write(&manifest_path, &manifest_json).map_err(io(&manifest_path))?;
    let entry =
        entry(opts, site, r, mark, m, &folder, zip_path.as_deref().zip(zip.as_deref()), &manifest_rel, &manifest_json);
    log::append(&opts.root, &entry).map_err(one)?;
    if let (Some(p), Some(z)) = (&zip_path, &zip) {
        std::fs::write(p, z).map_err(io(p))?;
    }
    std::fs::rename(tmp.keep(), &folder).map_err(io(&folder))?;
    Ok(IssuedCopy { number: mark.number, mark: mark.label(), folder, zip: zip_path })
}

#[allow(clippy::too_many_arguments)]
fn entry(
    opts: &CopiesOptions,
    site: &Site,
    r: &Recipient,
    mark: &CopyMark,
    m: &Manifest,
    folder: &Path,
    zip: Option<(&Path, &[u8])>,
    manifest_rel: &Path,
    manifest_json: &str,
) -> Entry {
    let destroy_by = r.retain_until.clone().unwrap_or_else(|| site.content.profile.review_by.to_string());
    Entry {
        event: Event::Issued,
        edition: opts.edition.clone(),
        copy: mark.number,
        date: mark.date.to_string(),
        recipient: Recipient { retain_until: Some(destroy_by.clone()), ..r.clone() },
        issued: Some(Issued {
            of: mark.of,
            mark: mark.label(),
            marking: m.marking.clone(),
            classification: m.classification.clone(),
            destroy_by,
            profile_version: m.profile_version.clone(),
            copy_sha256: m.sha256.clone(),
            files: m.files.clone(),
            folder: rel(&opts.root, folder),
            zip: zip.map(|(p, _)| rel(&opts.root, p)),
            zip_sha256: zip.map(|(_, b)| sha256_hex(b)),
            manifest: manifest_rel.to_string_lossy().replace('\\', "/"),
            manifest_sha256: sha256_hex(manifest_json.as_bytes()),
            generator: super::seal::GENERATOR.into(),
        }),
        reason: None,
    }
}

/// The copy as one zip holding its folder, deflated.
fn zip_bytes(top: &str, files: &BTreeMap<String, Vec<u8>>) -> Result<Vec<u8>, String> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (p, b) in files {
        z.start_file(format!("{top}/{p}"), o).map_err(|e| e.to_string())?;
        z.write_all(b).map_err(|e| e.to_string())?;
    }
    Ok(z.finish().map_err(|e| e.to_string())?.into_inner())
}

/// Record that copy `number` (of `edition`, or of the one edition that has such a copy) is withdrawn.
pub fn withdraw(
    root: &Path,
    edition: Option<&str>,
    number: u32,
    reason: &str,
    date: Date,
) -> Result<Entry, Diagnostics> {
    let log_file = PathBuf::from(log::DIR).join(log::JSON);
    let err = |m: String, h: &str| one(Diagnostic::error(&log_file, 0, m, h));
    if reason.trim().is_empty() {
        return Err(err("a withdrawal needs a reason".into(), "say why: --reason \"recipient left the partnership\""));
    }
    let _lock = log::Lock::take(root).map_err(one)?;
    let entries = log::read(root)?;
    let found: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.event == Event::Issued && e.copy == number && edition.is_none_or(|x| x == e.edition))
        .collect();
    let issued = match found.as_slice() {
        [one] => *one,
        [] => {
            return Err(err(
                format!("no copy {number}{} is in the log", edition.map(|e| format!(" of `{e}`")).unwrap_or_default()),
                "`brief copies --list` shows every copy issued",
            ))
        }
        _ => {
            return Err(err(
                format!("more than one edition has a copy {number}"),
                "name the edition: `brief copies EDITION --withdraw N --reason …`",
            ))
        }
    };
    if let Some(w) = log::withdrawn(&entries, &issued.edition, number) {
        return Err(err(
            format!("copy {number} of `{}` was already withdrawn on {}", issued.edition, w.date),
            "nothing to do",
        ));
    }
    let e = Entry {
        event: Event::Withdrawn,
        edition: issued.edition.clone(),
        copy: number,
        date: date.to_string(),
        recipient: issued.recipient.clone(),
        issued: None,
        reason: Some(reason.trim().to_string()),
    };
    log::append(root, &e).map_err(one)?;
    Ok(e)
}
