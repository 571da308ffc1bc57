//! Shared helpers for end-to-end tests: fixture profiles in temporary
//! folders, running the real `brief` binary, and scanning every byte and
//! file name of an edition.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const CONFIG: &str = r#"title: "Testshire Local Profile"
area: "Testshire"
owner: {name: "Head of Intelligence", role: "Profile owner", email: "owner@test.example"}
produced: 2026-10-01
review_by: 2027-09-30
feedback: "mailto:owner@test.example"
ceiling: OFFICIAL-SENSITIVE
theme: default
editions:
  partnership:
    name: "Local multi-agency partnership"
    classification: OFFICIAL-SENSITIVE
  elected-members:
    name: "Elected members"
    classification: OFFICIAL
    show_withheld: true
    approval: {by: "Head of Intelligence", on: 2026-10-12, rationale: "Briefing for councillors"}
  bordering-forces:
    name: "Bordering forces"
    classification: OFFICIAL-SENSITIVE
    approval: {by: "Head of Intelligence", on: 2026-10-12, rationale: "Cross-border county lines"}
"#;

pub const EDITIONS: [&str; 3] = ["partnership", "elected-members", "bordering-forces"];

pub struct Fixture {
    pub dir: tempfile::TempDir,
}

impl Fixture {
    pub fn new() -> Self {
        let f = Fixture { dir: tempfile::tempdir().expect("tempdir") };
        f.write("brief.yaml", CONFIG);
        std::fs::create_dir_all(f.root().join("content")).unwrap();
        f
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, text: &str) -> &Self {
        self.write_bytes(rel, text.as_bytes())
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) -> &Self {
        let p = self.root().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
        self
    }

    /// A section with the given front matter lines and body.
    pub fn section(&self, rel: &str, front: &str, body: &str) -> &Self {
        self.write(&format!("content/{rel}"), &format!("---\n{front}\n---\n{body}"))
    }

    pub fn brief(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_brief"))
            .args(args)
            .arg("--root")
            .arg(self.root())
            .env("SOURCE_DATE_EPOCH", "1764028800") // 2025-11-25, so "overdue" is stable
            .env("NO_COLOR", "1")
            .output()
            .expect("run brief")
    }

    pub fn build_ok(&self, args: &[&str]) -> String {
        let mut a = vec!["build"];
        a.extend_from_slice(args);
        let out = self.brief(&a);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "build failed:\n{stderr}");
        stderr
    }

    pub fn build_err(&self, args: &[&str]) -> String {
        let mut a = vec!["build"];
        a.extend_from_slice(args);
        let out = self.brief(&a);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(!out.status.success(), "build should have failed:\n{stderr}");
        assert_eq!(out.status.code(), Some(1), "exit code");
        stderr
    }

    pub fn edition(&self, id: &str) -> PathBuf {
        self.root().join("public").join(id)
    }
}

/// Every file under `dir`: path relative to `dir`, and bytes.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return out;
    }
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
            out.insert(rel, std::fs::read(e.path()).unwrap());
        }
    }
    out
}

fn contains_ci(hay: &[u8], needle: &str) -> bool {
    let n = needle.to_ascii_lowercase();
    let n = n.as_bytes();
    hay.len() >= n.len() && hay.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

/// Where `token` occurs (case-insensitive) in file names or contents under `dir`.
pub fn occurrences(dir: &Path, token: &str) -> Vec<String> {
    let mut hits = Vec::new();
    for (path, bytes) in tree(dir) {
        if contains_ci(path.as_bytes(), token) {
            hits.push(format!("file name {path}"));
        }
        if contains_ci(&bytes, token) {
            hits.push(path);
        }
    }
    hits
}

#[track_caller]
pub fn assert_absent(dir: &Path, token: &str) {
    assert!(dir.exists(), "{} was not built", dir.display());
    let hits = occurrences(dir, token);
    assert!(hits.is_empty(), "withheld token {token} leaked into {}: {hits:?}", dir.display());
}

#[track_caller]
pub fn assert_present(dir: &Path, token: &str) {
    let hits = occurrences(dir, token);
    assert!(!hits.is_empty(), "token {token} should be in {} but is not", dir.display());
}

/// Present in a particular file of an edition.
#[track_caller]
pub fn assert_in_file(dir: &Path, file: &str, token: &str) {
    let bytes = std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{}/{file}: {e}", dir.display()));
    assert!(contains_ci(&bytes, token), "{token} should be in {}/{file}", dir.display());
}

/// Check a `node --test --test-reporter=spec` run of `file` (a path) really
/// ran every test the file declares and all passed. A count read as text
/// (`pass `) would also match `pass 0`, and a file with no tests reports
/// one passing "test" for the file itself.
#[track_caller]
pub fn assert_node_tests_ran(file: &Path, output: &str) {
    let count = |what: &str| -> usize {
        output
            .lines()
            .rev()
            .filter_map(|l| l.trim_start().strip_prefix(&format!("ℹ {what} ")))
            .find_map(|n| n.trim().parse().ok())
            .unwrap_or_else(|| panic!("no `{what}` count in node's report:\n{output}"))
    };
    let source = std::fs::read_to_string(file).unwrap();
    let declared = source.lines().filter(|l| l.trim_start().starts_with("test(")).count();
    assert!(declared > 0, "{} declares no test", file.display());
    let (tests, pass, fail) = (count("tests"), count("pass"), count("fail"));
    assert_eq!(fail, 0, "failures in {}:\n{output}", file.display());
    assert!(
        tests >= declared && pass == tests,
        "{} declares {declared} tests; node ran {tests}, {pass} passed:\n{output}",
        file.display()
    );
}

/// `brief build` in the fixture: its exit code and what it printed on stderr.
pub fn run_build(f: &Fixture) -> (Option<i32>, String) {
    let out = f.brief(&["build"]);
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// The promise for `token`: a refused build naming `content/…:<line>: error:`
/// with nothing published, or a good build where `token` is in the
/// partnership and in none of `hidden_from`.
#[track_caller]
pub fn promise(f: &Fixture, token: &str, hidden_from: &[&str]) {
    let (code, stderr) = run_build(f);
    if code != Some(0) {
        assert_eq!(code, Some(1), "a refused build exits 1:\n{stderr}");
        assert!(
            stderr.lines().any(|l| l.starts_with("content/") && l.contains(": error:")),
            "the error names the file and line:\n{stderr}"
        );
        assert!(!f.root().join("public").exists(), "nothing is written by a refused build");
        return;
    }
    assert_present(&f.edition("partnership"), token);
    for e in hidden_from {
        assert_absent(&f.edition(e), token);
    }
}
