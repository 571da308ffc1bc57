//! The manifest of a built edition or an issued copy: each file's SHA-256,
//! the edition, its marking, the profile version, and salted hashes of the
//! word runs of everything withheld from the edition — never the withheld
//! text itself. `brief verify` checks a folder, zip or page against it.
//!
//! A run is [`RUN`](super::words::RUN) consecutive words as
//! [`Words`] reads them, not made only of common words, and not also found
//! in the edition's own text (which the edition shows anyway). Its hash is
//! the first 8 bytes of SHA-256(salt ‖ run), with a salt drawn at random
//! for each manifest, so a manifest cannot be checked against guessed text
//! from another manifest.

use super::words::{markdown_text, run_quick, QuickSet, Reader, Words, RUN};
use crate::build::EditionBuild;
use crate::diagnostic::Diagnostic;
use crate::theme::Theme;
use crate::withhold::Kind;
use rayon::prelude::*;
use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const FORMAT: &str = "brief-manifest/1";
const RUN_HASH_BYTES: usize = 8;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct CopyInfo {
    pub number: u32,
    pub of: u32,
    /// "Copy 2 of 3, issued to …", as every page shows it.
    pub mark: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WithheldRuns {
    pub words: usize,
    /// Hex; drawn at random for this manifest.
    pub salt: String,
    pub hash: String,
    /// The hashes, sorted, in hex, separated by spaces.
    pub runs: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub edition: String,
    pub name: String,
    /// The edition's classification: no page may be marked above it.
    pub classification: String,
    /// The highest marking, with caveats, of anything in the edition.
    pub marking: String,
    pub profile_version: String,
    pub built: String,
    pub generator: String,
    pub copy: Option<CopyInfo>,
    /// SHA-256 of the sorted `path\0sha256\n` lines of every file.
    pub sha256: String,
    pub files: BTreeMap<String, String>,
    pub withheld: WithheldRuns,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

pub use crate::hex::hex;

/// The whole set of files as one hash: SHA-256 of the sorted `path\0sha256\n` lines.
pub fn whole_hash(files: &BTreeMap<String, String>) -> String {
    let mut h = Sha256::new();
    for (p, s) in files {
        h.update(p.as_bytes());
        h.update([0]);
        h.update(s.as_bytes());
        h.update(b"\n");
    }
    hex(&h.finalize())
}

/// Fresh random salt, hex.
pub fn new_salt() -> String {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).expect("the operating system's random numbers");
    hex(&b)
}

/// A set of withheld runs, asked one run at a time.
pub struct RunSet {
    salted: Sha256,
    hashes: FxHashSet<[u8; RUN_HASH_BYTES]>,
    /// When the runs themselves are known (during a build): a quick first test.
    quick: Option<QuickSet>,
}

impl RunSet {
    fn salted(salt: &str) -> Sha256 {
        let mut s = Sha256::new();
        s.update(salt.as_bytes());
        s
    }

    pub fn hash(&self, run: &str) -> [u8; RUN_HASH_BYTES] {
        let d = self.salted.clone().chain_update(run.as_bytes()).finalize();
        d[..RUN_HASH_BYTES].try_into().expect("8 of 32 bytes")
    }

    /// From a manifest's hashes.
    pub fn from_manifest(w: &WithheldRuns) -> RunSet {
        let parse = |h: &str| -> Option<[u8; RUN_HASH_BYTES]> {
            let v: Vec<u8> =
                (0..h.len()).step_by(2).filter_map(|i| u8::from_str_radix(h.get(i..i + 2)?, 16).ok()).collect();
            v.try_into().ok()
        };
        RunSet { salted: Self::salted(&w.salt), hashes: w.runs.split(' ').filter_map(parse).collect(), quick: None }
    }

    /// An empty set with this salt; [`withheld_runs`] fills it.
    pub fn new(salt: &str) -> RunSet {
        RunSet { salted: Self::salted(salt), hashes: FxHashSet::default(), quick: None }
    }

    pub fn contains(&self, run: &str) -> bool {
        self.contains_run(run_quick(run), run)
    }

    /// [`contains`](Self::contains) for a run whose quick hash ([`run_quick`]) is known:
    /// the salted SHA-256 is taken only if the quick test passes.
    pub fn contains_run(&self, quick: u64, run: &str) -> bool {
        if let Some(q) = &self.quick {
            if !q.contains(quick) {
                return false;
            }
        }
        self.hashes.contains(&self.hash(run))
    }

    /// The runs' quick hashes, when the runs themselves are known (during a build).
    pub fn quick(&self) -> Option<&QuickSet> {
        self.quick.as_ref()
    }

    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }

    pub fn to_manifest(&self, salt: &str) -> WithheldRuns {
        let runs = sorted_hex(&self.hashes);
        WithheldRuns {
            words: RUN,
            salt: salt.to_string(),
            hash: "first 8 bytes of SHA-256(salt as written here ‖ run), hex; a run is 5 words, lower case, letters and digits only, joined by one space".into(),
            runs,
        }
    }
}

/// The hashes, sorted, in hex, separated by spaces. Sorted as big-endian
/// numbers, which is their bytes' order, and written into one string: an
/// edition of 10,000 sections withholds millions of runs.
fn sorted_hex(hashes: &FxHashSet<[u8; RUN_HASH_BYTES]>) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut sorted: Vec<u64> = hashes.iter().map(|h| u64::from_be_bytes(*h)).collect();
    sorted.sort_unstable();
    let mut out = String::with_capacity(sorted.len() * (2 * RUN_HASH_BYTES + 1));
    for (i, h) in sorted.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        for b in h.to_be_bytes() {
            out.push(DIGITS[(b >> 4) as usize] as char);
            out.push(DIGITS[(b & 15) as usize] as char);
        }
    }
    out
}

/// Every run of the text an edition withholds, less the runs its own text
/// shows, into `set` (hashed in parallel; no run is kept as text).
pub fn withheld_runs(eb: &EditionBuild, theme: &Theme, set: &mut RunSet) {
    let pairs: Vec<(u64, [u8; RUN_HASH_BYTES])> = eb
        .redactions
        .withheld
        .par_iter()
        .filter(|w| w.kind != Kind::LinkText)
        .flat_map_iter(|w| {
            let words = Words::read(&markdown_text(&w.text));
            words.hashed_runs().map(|r| (r.quick, set.hash(r.text))).collect::<Vec<_>>()
        })
        .collect();
    let mut quick: QuickSet = pairs.iter().map(|p| p.0).collect();
    if quick.is_empty() {
        set.quick = Some(quick);
        return;
    }
    let mut kept = kept_texts(eb);
    kept.extend(theme.sources.iter().map(|(_, t)| super::words::html_text(t)));
    // A shown run is taken out only if it is the same run (quick hash and
    // salted hash both): a quick hash shared by chance takes nothing out.
    // Most shown text holds no withheld run: it is screened first, keeping
    // no text, and read whole only if it may.
    let shown: FxHashSet<(u64, [u8; RUN_HASH_BYTES])> = kept
        .par_iter()
        .flat_map_iter(|t| {
            let text = markdown_text(t);
            let mut screen = Reader::screening(&quick);
            screen.feed(&text);
            if !screen.suspect() {
                return Vec::new();
            }
            let w = Words::read(&text);
            w.hashed_runs().filter(|r| quick.contains(r.quick)).map(|r| (r.quick, set.hash(r.text))).collect::<Vec<_>>()
        })
        .collect();
    let mut hashes = FxHashSet::with_capacity_and_hasher(pairs.len(), Default::default());
    hashes.extend(pairs.iter().filter(|p| !shown.contains(p)).map(|p| p.1));
    set.hashes = hashes;
    if !shown.is_empty() {
        let taken: FxHashSet<u64> = shown.iter().map(|p| p.0).collect();
        taken.iter().for_each(|&q| quick.remove(q));
        // A withheld run that shares a shown run's quick hash stays looked for.
        pairs.iter().filter(|p| taken.contains(&p.0) && !shown.contains(p)).for_each(|p| quick.insert(p.0));
    }
    set.quick = Some(quick);
}

/// Everything the edition shows as text, as written: its sections' cut
/// text and front matter, and the profile's and edition's details. (The
/// theme's templates are added by [`withheld_runs`].)
fn kept_texts(eb: &EditionBuild) -> Vec<String> {
    let v = &eb.view;
    let mut out: Vec<String> =
        v.sections.iter().map(|s| s.cut.text.replace(crate::withhold::cut::CUT_MARK, "")).collect();
    for s in &v.sections {
        let mut t = vec![s.title.clone(), s.summary.clone().unwrap_or_default(), s.owner.clone().unwrap_or_default()];
        t.extend(s.areas.iter().cloned());
        t.extend(s.sources.iter().cloned());
        for r in &s.recommendations {
            t.extend([r.id.clone(), r.text.clone(), r.owner.clone().unwrap_or_default()]);
        }
        out.push(t.join("\n"));
    }
    let p = &v.profile;
    let mut t = vec![p.title.clone(), p.area.clone(), p.owner.name.clone(), p.owner.role.clone().unwrap_or_default()];
    t.extend(v.threats.iter().map(|x| x.name.clone()));
    t.extend(p.accessibility.known_issues.iter().flatten().cloned());
    t.push(v.edition.name.clone());
    if let Some(a) = &v.edition.approval {
        t.extend([a.by.clone(), a.rationale.clone()]);
    }
    t.extend(
        [
            p.owner.email.clone(),
            p.feedback.clone(),
            p.accessibility.contact.clone(),
            p.accessibility.last_reviewed.clone(),
        ]
        .into_iter()
        .flatten(),
    );
    for s in &v.sections {
        t.extend(s.mark.handling.iter().chain(&s.title_mark.handling).chain(&s.front_mark.handling).cloned());
    }
    out.push(t.join("\n"));
    out
}

/// Every file under `dir` (relative paths with `/`), hashed in parallel.
pub fn hash_tree(dir: &Path) -> Result<BTreeMap<String, String>, Diagnostic> {
    let paths = tree_paths(dir)?;
    let hashed: Result<Vec<(String, String)>, Diagnostic> = paths
        .par_iter()
        .map(|(rel, p)| {
            let b = std::fs::read(p)
                .map_err(|e| Diagnostic::error(p, 0, format!("cannot read: {e}"), "check the file's permissions"))?;
            Ok((rel.clone(), sha256_hex(&b)))
        })
        .collect();
    Ok(hashed?.into_iter().collect())
}

/// Every file under `dir`: its path relative to `dir` (with `/`) and its full path.
pub fn tree_paths(dir: &Path) -> Result<Vec<(String, PathBuf)>, Diagnostic> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e =
            e.map_err(|e| Diagnostic::error(dir, 0, format!("cannot read: {e}"), "check the folder's permissions"))?;
        if e.file_type().is_file() || e.path_is_symlink() {
            let rel = e.path().strip_prefix(dir).unwrap_or(e.path()).to_string_lossy().replace('\\', "/");
            out.push((rel, e.path().to_path_buf()));
        }
    }
    Ok(out)
}

/// The profile version: its `produced` date and a hash of `brief.yaml` and
/// every file the build reads (content/, the theme, partials/).
pub fn profile_version(root: &Path, produced: &str, theme: &str) -> Result<String, Diagnostic> {
    let mut files = BTreeMap::new();
    let yaml = root.join(crate::config::CONFIG_FILE);
    let b = std::fs::read(&yaml).map_err(|e| Diagnostic::error(&yaml, 0, e.to_string(), "check brief.yaml"))?;
    files.insert(crate::config::CONFIG_FILE.to_string(), sha256_hex(&b));
    for dir in [PathBuf::from("content"), PathBuf::from("themes").join(theme), PathBuf::from("partials")] {
        if root.join(&dir).is_dir() {
            for (rel, sha) in hash_tree(&root.join(&dir))? {
                files.insert(format!("{}/{rel}", dir.to_string_lossy().replace('\\', "/")), sha);
            }
        }
    }
    Ok(format!("{produced}+{}", &whole_hash(&files)[..16]))
}

impl Manifest {
    pub fn read(path: &Path) -> Result<Manifest, Diagnostic> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Diagnostic::error(
                path,
                0,
                format!("cannot read the manifest: {e}"),
                "build the profile, or give the manifest with --manifest",
            )
        })?;
        let m: Manifest = serde_json::from_str(&text).map_err(|e| {
            Diagnostic::error(
                path,
                e.line(),
                format!("not a manifest Brief can read: {e}"),
                "give a reports/<edition>.manifest.json written by `brief build`",
            )
        })?;
        if m.format != FORMAT {
            return Err(Diagnostic::error(
                path,
                0,
                format!("manifest format `{}`, not `{FORMAT}`", m.format),
                "rebuild with this version of brief",
            ));
        }
        Ok(m)
    }

    pub fn json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_sets_agree_whether_made_or_read_from_a_manifest() {
        let salt = new_salt();
        let mut made = RunSet::new(&salt);
        let run = "led by subject alpha zed";
        made.hashes.insert(made.hash(run));
        made.quick = Some([run_quick(run)].into_iter().collect());
        let read = RunSet::from_manifest(&made.to_manifest(&salt));
        for s in [&made, &read] {
            assert!(s.contains(run));
            assert!(!s.contains("led by subject alpha yod"));
        }
        assert_ne!(RunSet::new(&new_salt()).hash(run), made.hash(run), "salted");
    }

    #[test]
    fn hashes_are_written_sorted_as_they_always_were() {
        let set = RunSet::new(&new_salt());
        let hashes: FxHashSet<[u8; RUN_HASH_BYTES]> = (0..2000)
            .map(|i| set.hash(&format!("run {i}")))
            .chain([[0; 8], [255; 8], [0, 0, 0, 0, 0, 0, 0, 1]])
            .collect();
        let mut sorted: Vec<&[u8; RUN_HASH_BYTES]> = hashes.iter().collect();
        sorted.sort_unstable();
        let before: Vec<String> = sorted.into_iter().map(|h| hex(h)).collect();
        assert_eq!(sorted_hex(&hashes), before.join(" "));
        assert_eq!(sorted_hex(&FxHashSet::default()), "");
    }
}
