//! The dissemination log: every copy issued and every copy withdrawn, in
//! `issued/dissemination.json` (one JSON object per line) and
//! `issued/dissemination.csv` (the same rows for a spreadsheet). Both are
//! only ever appended to, never rewritten. `issued/` sits beside
//! `reports/`, and `brief build` never writes there, so no build can lose
//! the log; the JSON file is the one read back.

use super::recipients::Recipient;
use super::stamp::csv_cell;
use crate::diagnostic::{Diagnostic, Diagnostics};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

pub const DIR: &str = "issued";
pub const JSON: &str = "dissemination.json";
pub const CSV: &str = "dissemination.csv";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Event {
    Issued,
    Withdrawn,
}

/// One row of the log.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    pub event: Event,
    pub edition: String,
    pub copy: u32,
    /// The day of the event.
    pub date: String,
    pub recipient: Recipient,
    #[serde(flatten, default, skip_serializing_if = "Option::is_none")]
    pub issued: Option<Issued>,
    /// Why a copy was withdrawn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// What an `issued` row records about the copy.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Issued {
    pub of: u32,
    pub mark: String,
    pub marking: String,
    pub classification: String,
    pub destroy_by: String,
    pub profile_version: String,
    /// SHA-256 of the sorted `path\0sha256\n` lines of every file.
    pub copy_sha256: String,
    pub files: BTreeMap<String, String>,
    pub folder: String,
    pub zip: Option<String>,
    pub zip_sha256: Option<String>,
    pub manifest: String,
    pub manifest_sha256: String,
    pub generator: String,
}

pub fn dir(root: &Path) -> PathBuf {
    root.join(DIR)
}

/// Every row, in order. A row Brief cannot read is an error naming its line.
pub fn read(root: &Path) -> Result<Vec<Entry>, Diagnostics> {
    let path = dir(root).join(JSON);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(Diagnostics(vec![Diagnostic::error(
                &path,
                0,
                format!("cannot read the log: {e}"),
                "check the file's permissions",
            )]))
        }
    };
    let rel = PathBuf::from(DIR).join(JSON);
    let mut d = Diagnostics::default();
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        match serde_json::from_str::<Entry>(line) {
            Ok(e) => out.push(e),
            Err(e) => d.push(Diagnostic::error(
                &rel,
                i + 1,
                format!("not a log row: {e}"),
                "the log is written by brief only; restore this line from a backup",
            )),
        }
    }
    if d.has_errors() {
        Err(d)
    } else {
        Ok(out)
    }
}

const CSV_HEADER: &str = "event,edition,copy,of,date,recipient,organisation,role,contact,marking,classification,destroy_by,profile_version,copy_sha256,files,folder,zip_sha256,manifest,manifest_sha256,reason";

fn csv_row(e: &Entry) -> String {
    let r = &e.recipient;
    let contact = r.email.clone().or(r.location.clone()).unwrap_or_default();
    let i = e.issued.as_ref();
    let s = |f: fn(&Issued) -> String| i.map(f).unwrap_or_default();
    let cells = [
        if e.event == Event::Issued { "issued".to_string() } else { "withdrawn".to_string() },
        e.edition.clone(),
        e.copy.to_string(),
        s(|i| i.of.to_string()),
        e.date.clone(),
        r.name.clone(),
        r.organisation.clone(),
        r.role.clone(),
        contact,
        s(|i| i.marking.clone()),
        s(|i| i.classification.clone()),
        s(|i| i.destroy_by.clone()),
        s(|i| i.profile_version.clone()),
        s(|i| i.copy_sha256.clone()),
        s(|i| i.files.len().to_string()),
        s(|i| i.folder.clone()),
        s(|i| i.zip_sha256.clone().unwrap_or_default()),
        s(|i| i.manifest.clone()),
        s(|i| i.manifest_sha256.clone()),
        e.reason.clone().unwrap_or_default(),
    ];
    cells.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(",") + "\r\n"
}

fn append_to(path: &Path, text: &str) -> Result<(), Diagnostic> {
    let io = |e: std::io::Error| {
        Diagnostic::error(
            path,
            0,
            format!("cannot add to the log: {e}"),
            "check you may write there; nothing was issued",
        )
    };
    let mut f = std::fs::OpenOptions::new().create(true).append(true).open(path).map_err(io)?;
    f.write_all(text.as_bytes()).map_err(io)?;
    f.sync_all().map_err(io)
}

/// Add a row to both files.
pub fn append(root: &Path, e: &Entry) -> Result<(), Diagnostic> {
    let d = dir(root);
    std::fs::create_dir_all(&d).map_err(|x| Diagnostic::error(&d, 0, x.to_string(), "check you may write there"))?;
    let csv = d.join(CSV);
    let fresh = std::fs::metadata(&csv).map(|m| m.len() == 0).unwrap_or(true);
    let json =
        serde_json::to_string(e).map_err(|x| Diagnostic::error(&csv, 0, x.to_string(), "report this as a bug"))?;
    append_to(&d.join(JSON), &(json + "\n"))?;
    let row = csv_row(e);
    append_to(&csv, &if fresh { format!("{CSV_HEADER}\r\n{row}") } else { row })
}

/// The next copy number of an edition: one past the highest ever issued.
pub fn next_number(entries: &[Entry], edition: &str) -> u32 {
    entries.iter().filter(|e| e.edition == edition).map(|e| e.copy).max().unwrap_or(0) + 1
}

/// The `issued` row of a copy.
pub fn issued<'a>(entries: &'a [Entry], edition: &str, copy: u32) -> Option<&'a Entry> {
    entries.iter().find(|e| e.event == Event::Issued && e.edition == edition && e.copy == copy)
}

/// The `withdrawn` row of a copy, if it was withdrawn.
pub fn withdrawn<'a>(entries: &'a [Entry], edition: &str, copy: u32) -> Option<&'a Entry> {
    entries.iter().find(|e| e.event == Event::Withdrawn && e.edition == edition && e.copy == copy)
}

/// The log as a table, for `brief copies --list`.
pub fn table(entries: &[Entry], edition: Option<&str>) -> String {
    let mut out = format!(
        "{:<18} {:>4}  {:<10} {:<10} {:<28} {:<28} {}\n",
        "edition", "copy", "issued", "destroy by", "recipient", "organisation", "status"
    );
    for e in entries.iter().filter(|e| e.event == Event::Issued && edition.is_none_or(|x| x == e.edition)) {
        let i = e.issued.as_ref();
        let status = match withdrawn(entries, &e.edition, e.copy) {
            Some(w) => format!("WITHDRAWN {}: {}", w.date, w.reason.as_deref().unwrap_or("")),
            None => format!("issued, sha256 {}", i.map_or("", |i| &i.copy_sha256[..12.min(i.copy_sha256.len())])),
        };
        out.push_str(&format!(
            "{:<18} {:>4}  {:<10} {:<10} {:<28} {:<28} {}\n",
            e.edition,
            e.copy,
            e.date,
            i.map_or("", |i| i.destroy_by.as_str()),
            e.recipient.name,
            e.recipient.organisation,
            status
        ));
    }
    out
}

/// Held while copies are numbered and logged, so two runs cannot take one number.
pub struct Lock(PathBuf);

impl Lock {
    pub fn take(root: &Path) -> Result<Lock, Diagnostic> {
        let d = dir(root);
        std::fs::create_dir_all(&d)
            .map_err(|x| Diagnostic::error(&d, 0, x.to_string(), "check you may write there"))?;
        let p = d.join(".lock");
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&p) {
            Ok(_) => Ok(Lock(p)),
            Err(e) => Err(Diagnostic::error(
                PathBuf::from(DIR).join(".lock"),
                0,
                format!("the dissemination log is in use: {e}"),
                "wait for the other `brief copies` to finish; if none is running, delete issued/.lock",
            )),
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}
