//! Differential fuzzing of the one reading.
//!
//! A generator writes sections mixing restriction syntax (blocks, spans,
//! wrapped spans, nesting), near misses (`] {`, `::`, stray `]{`, syntax split
//! by invisible characters, tags, comments or emphasis, attributes
//! after links, images and headings, unclosed fences), every kind of code
//! (fenced, indented, inline, unclosed), raw HTML and comments, containers
//! (blockquotes, list items, lazy continuation lines, footnotes, tables) and
//! line endings (LF, CRLF, CR, a byte-order mark). It plants a unique token
//! in each region it *meant* to restrict: that knowledge is the oracle, and
//! it never asks the parser. Then it builds the editions in memory and
//! checks: every token meant for the partnership is absent from every byte
//! and file name of the other editions (and every token marked
//! OFFICIAL-SENSITIVE from the OFFICIAL edition) — or the build was refused
//! with an error naming the section's file and a line.
//!
//! `tests/fuzz-corpus/` holds documents worth replaying every run (tokens
//! named `zqrNqz` are meant for the partnership only). A run replays them,
//! then generates cases for `BRIEF_FUZZ_SECS` seconds (default 15; CI runs
//! 100) from `BRIEF_FUZZ_SEED` (default: the clock). A failure prints its
//! seed and document; `BRIEF_FUZZ_SEED=<seed> BRIEF_FUZZ_SECS=0` replays it.

use brief::build::{prepare, write_editions, Cache};
use brief::write::Sink;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

mod common;

struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() as usize) % n.max(1)
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// Who a planted token is meant for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Meant {
    /// Partnership only: absent from elected-members and bordering-forces.
    Partnership,
    /// OFFICIAL-SENSITIVE: absent from elected-members.
    Sensitive,
}

/// Brackets escaped, except whole `[x]` pairs.
fn escape_brackets(w: &str) -> String {
    w.replace("[x]", "\u{1}").replace('[', "\\[").replace(']', "\\]").replace('\u{1}', "[x]")
}

struct Gen {
    rng: Lcg,
    n: usize,
    tokens: Vec<(String, Meant)>,
    /// Another section, for links: partnership only.
    needs_secret: bool,
    /// Only well-formed constructs, so the document builds and the cut is tested.
    clean: bool,
}

impl Gen {
    fn token(&mut self, meant: Meant) -> String {
        self.n += 1;
        let t = format!("zq{}{}qz", if meant == Meant::Partnership { "p" } else { "s" }, self.n);
        self.tokens.push((t.clone(), meant));
        t
    }

    /// Harmless text, sometimes with the characters parsers care about.
    fn words(&mut self) -> String {
        const W: [&str; 14] =
            ["county", "lines", "run", "by", "a", "group", "*in*", "`code`", "[x]", "]", "[", ":", "{", "the"];
        let w = (0..1 + self.rng.below(6)).map(|_| W[self.rng.below(W.len())]).collect::<Vec<_>>().join(" ");
        if self.clean {
            escape_brackets(&w)
        } else {
            w
        }
    }

    /// Text inside a span: its brackets pair up or are escaped, as CommonMark
    /// asks of bracketed text (unbalanced ones are refused, see `markup`).
    fn span_words(&mut self) -> String {
        let w = self.words();
        if self.clean {
            w // escaped already
        } else {
            escape_brackets(&w)
        }
    }

    fn attrs(&mut self, meant: Meant) -> &'static str {
        match (meant, self.rng.below(3)) {
            (Meant::Sensitive, 0) => "{classification=\"OFFICIAL-SENSITIVE\"}",
            (Meant::Sensitive, _) => {
                "{audience=\"partnership, bordering-forces\" classification=\"OFFICIAL-SENSITIVE\"}"
            }
            (Meant::Partnership, 0) => "{audience=\"partnership\"}",
            (Meant::Partnership, 1) => "{audience=\"partnership\" classification=\"OFFICIAL\"}",
            (Meant::Partnership, _) => "{audience='partnership'}",
        }
    }

    fn meant(&mut self) -> Meant {
        if self.rng.chance(25) {
            Meant::Sensitive
        } else {
            Meant::Partnership
        }
    }

    /// A span, meant to restrict its token; sometimes written slightly wrong.
    fn span(&mut self) -> String {
        let meant = self.meant();
        let t = self.token(meant);
        let a = self.attrs(meant);
        let w = self.span_words();
        const CLEAN: [usize; 7] = [1, 8, 10, 12, 13, 14, 15];
        let pick = if self.clean { CLEAN[self.rng.below(CLEAN.len())] } else { self.rng.below(20) };
        match pick {
            0 => format!("[{t} {w}] {a}"),
            1 => format!("[{t}\n{w}]{a}"),
            2 => format!("[{t}]\n{a}"),
            3 => format!("{t}]{a}"),
            4 => format!("[{t}](https://x.example){a}"),
            5 => format!("![{t}](m.png){a}"),
            6 => format!("[{t}]{{audiense=\"partnership\"}}"),
            7 => format!("&#91;{t}&#93;{a}"),
            8 => format!("[**{t}**]{a}"),
            9 => format!("**[{t}**]{a}"),
            10 => format!("[{w} [{t}]{a} {w}]{a}"),
            11 => format!("[see [{t}](secret.md)]{a}"),
            12 => format!("[{t}]{a}[instead]{{otherwise}}"),
            13 => {
                // Sometimes the note refers to itself: that must not keep it.
                let (n, again) = (self.n, self.rng.chance(50));
                let back = if again { format!(" again[^n{n}]") } else { String::new() };
                format!("[x[^n{n}]]{a}\n\n[^n{n}]: {t}{back}")
            }
            // Whole only as the page shows it: invisible characters, tags, comments, emphasis.
            16 => format!("[{t}]\u{200e}{}", a.replacen("audience", "aud\u{2061}ience", 1)),
            17 => format!("[{t}]<b></b>{}", a.replacen("audience", "aud<b></b>ience", 1)),
            18 => format!("[{t}]<!---->{}", a.replacen("audience", "aud<!---->ience", 1)),
            19 => format!("[{t}]*{}", a.replacen('{', "{*", 1).replacen("audience", "aud*ience", 1)),
            _ => format!("[{t} {w}]{a}"),
        }
    }

    /// A block, meant to restrict its token; sometimes written slightly wrong.
    fn block(&mut self, depth: usize) -> String {
        let meant = self.meant();
        let t = self.token(meant);
        let a = self.attrs(meant);
        let inner = if depth < 2 && self.rng.chance(30) { self.piece(depth + 1) } else { self.words() };
        let colons = ":".repeat(3 + 2 - depth);
        const CLEAN: [usize; 5] = [6, 7, 8, 10, 11];
        let pick = if self.clean { CLEAN[self.rng.below(CLEAN.len())] } else { self.rng.below(12) };
        match pick {
            0 => format!("::{a}\n{t} {inner}\n::"),
            1 => format!("{colons} {a}\n{t} {inner}"),
            2 => format!("{colons} note\n{t}\n{colons}"),
            3 => format!("\t{colons} {a}\n{t}\n{colons}"),
            4 => format!("    {colons} {a}\n    {t}\n    {colons}"),
            5 => format!("<div>\n{colons} {a}\n{t}\n{colons}\n</div>"),
            6 => format!("{colons} {a}\n{t}\n\n- {inner}\n{colons}"),
            7 => format!("{colons} {a}\n> {t}\n{colons}"),
            8 => format!("{colons} {a}\n## {t} {inner}\n\n{inner}\n{colons}"),
            9 => format!("{colons}{a}\n{t}\n{colons}"),
            _ => format!("{colons} {a}\n{t} {inner}\n{colons}"),
        }
    }

    /// Code, HTML and other things that are not restriction syntax.
    fn other(&mut self) -> String {
        let w = self.words();
        let pick = if self.clean { 2 + self.rng.below(10) } else { self.rng.below(12) };
        match pick {
            0 => format!("```\n{w}\n::: {{audience=\"partnership\"}}\n```"),
            1 => format!("```\n{w}"),
            2 => "````\n```\n````".to_string(),
            3 => format!("    indented {w}"),
            4 => format!("`{w}` and ``` tick {w} ```"),
            5 => format!("<!-- {w}\n```\n-->"),
            6 => format!("<span>{w}</span>"),
            7 => format!("| a | b |\n|---|---|\n| {w} | [c]{{audience=\"partnership\"}} |"),
            8 => format!("{w}\n---"),
            9 => "***".to_string(),
            10 => format!("## {w}"),
            _ => format!("[ref]: https://ref.example\n\n[{w}][ref]"),
        }
    }

    fn piece(&mut self, depth: usize) -> String {
        match self.rng.below(10) {
            0..=2 => format!("{} {} {}", self.words(), self.span(), self.words()),
            3..=5 => self.block(depth),
            6..=7 => self.other(),
            _ => self.words(),
        }
    }

    /// Put `text` in a container: a quote, a list item (sometimes with lazy lines), or a footnote.
    fn contain(&mut self, text: &str) -> String {
        let lines: Vec<&str> = text.split('\n').collect();
        match self.rng.below(6) {
            0 => lines.iter().map(|l| format!("> {l}")).collect::<Vec<_>>().join("\n"),
            1 => lines
                .iter()
                .map(|l| if self.rng.chance(20) { l.to_string() } else { format!("> {l}") })
                .collect::<Vec<_>>()
                .join("\n"),
            2 => lines
                .iter()
                .enumerate()
                .map(|(i, l)| if i == 0 { format!("- {l}") } else { format!("  {l}") })
                .collect::<Vec<_>>()
                .join("\n"),
            3 => lines
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    if i == 0 {
                        format!("1. {l}")
                    } else if self.rng.chance(25) {
                        l.to_string()
                    } else {
                        format!("   {l}")
                    }
                })
                .collect::<Vec<_>>()
                .join("\n"),
            4 => {
                let n = self.n;
                format!("Note.[^c{n}]\n\n[^c{n}]: {}", lines.join("\n    "))
            }
            _ => text.to_string(),
        }
    }

    fn body(&mut self) -> String {
        let mut out = String::new();
        for _ in 0..1 + self.rng.below(5) {
            let p = self.piece(0);
            let p = if self.rng.chance(40) { self.contain(&p) } else { p };
            out.push_str(&p);
            out.push_str(if self.rng.chance(70) { "\n\n" } else { "\n" });
        }
        if out.contains("secret.md") {
            self.needs_secret = true;
        }
        out
    }

    fn line_endings(&mut self, text: &str) -> String {
        let text = match self.rng.below(5) {
            0 => text.replace('\n', "\r\n"),
            1 => text.replace('\n', "\r"),
            _ => text.to_string(),
        };
        if self.rng.chance(10) {
            format!("\u{feff}{text}")
        } else {
            text
        }
    }
}

/// A file: path and bytes, or path and text.
type File = (String, Vec<u8>);
type Source = (String, String);
type Planted = (String, Meant);

/// Every edition's files in memory.
#[derive(Default)]
struct Memory(Mutex<HashMap<String, Vec<File>>>);

struct EditionSink<'a> {
    id: String,
    mem: &'a Memory,
}

impl Sink for EditionSink<'_> {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), brief::diagnostic::Diagnostic> {
        self.mem.0.lock().unwrap().entry(self.id.clone()).or_default().push((path.to_string(), bytes));
        Ok(())
    }
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Build `files` (path under the root → text) and check every token. The
/// cache keeps only the theme between cases: every file is read afresh.
fn check(files: &[Source], tokens: &[Planted], cache: &mut Cache) -> Result<Outcome, String> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("brief.yaml"), common::CONFIG).unwrap();
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let paths: Vec<std::path::PathBuf> = files.iter().map(|(p, _)| p.into()).collect();
    cache.forget(dir.path(), &paths);
    let site = match prepare(dir.path(), false, cache) {
        Ok(s) => s,
        Err(d) => {
            // Refused: fine, if an error names a section and a line.
            return if d.errors().any(|e| e.file.starts_with("content") && e.line > 0) {
                Ok(Outcome::Refused)
            } else {
                Err(format!("refused without naming a section's line: {d:?}"))
            };
        }
    };
    let mem = Memory::default();
    write_editions(&site, |id| EditionSink { id: id.to_string(), mem: &mem })
        .map_err(|d| format!("pages failed: {d:?}"))?;
    let out = mem.0.into_inner().unwrap();
    for (token, meant) in tokens {
        let editions: &[&str] = match meant {
            Meant::Partnership => &["elected-members", "bordering-forces"],
            Meant::Sensitive => &["elected-members"],
        };
        for e in editions {
            for (path, bytes) in out.get(*e).map(Vec::as_slice).unwrap_or(&[]) {
                if contains(path.as_bytes(), token) || contains(bytes, token) {
                    return Err(format!("{token} ({meant:?}) reached {e}/{path}"));
                }
            }
        }
    }
    Ok(Outcome::Built)
}

/// How a case ended, when it did not leak.
#[derive(PartialEq, Eq)]
enum Outcome {
    Built,
    Refused,
}

fn generate(seed: u64) -> (Vec<Source>, Vec<Planted>) {
    let mut g = Gen { rng: Lcg(seed), n: 0, tokens: Vec::new(), needs_secret: false, clean: seed.is_multiple_of(2) };
    let body = g.body();
    let text = g.line_endings(&format!("---\ntitle: Open\nclassification: OFFICIAL\naudience: [all]\n---\n{body}"));
    let mut files = vec![("content/open.md".to_string(), text)];
    if g.needs_secret {
        files.push((
            "content/secret.md".into(),
            "---\ntitle: Secret\nclassification: OFFICIAL\naudience: [partnership]\n---\nSecret.\n".into(),
        ));
    }
    (files, g.tokens)
}

/// The corpus: documents worth replaying, tokens `zqrNqz` meant for the partnership.
fn corpus() -> Vec<(String, Vec<Source>, Vec<Planted>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-corpus");
    let mut out = Vec::new();
    let mut entries: Vec<_> =
        std::fs::read_dir(&dir).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
    entries.sort();
    for p in entries.into_iter().filter(|p| p.extension().is_some_and(|e| e == "md")) {
        let text = std::fs::read_to_string(&p).unwrap();
        let mut tokens = Vec::new();
        for (i, _) in text.match_indices("zqr") {
            let end = text[i..].find("qz").map(|j| i + j + 2);
            if let Some(end) = end.filter(|e| text[i + 3..e - 2].bytes().all(|b| b.is_ascii_digit())) {
                tokens.push((text[i..end].to_string(), Meant::Partnership));
            }
        }
        let files = vec![
            ("content/open.md".to_string(), text),
            (
                "content/secret.md".to_string(),
                "---\ntitle: Secret\nclassification: OFFICIAL\naudience: [partnership]\n---\nSecret.\n".to_string(),
            ),
        ];
        out.push((p.display().to_string(), files, tokens));
    }
    out
}

#[test]
fn corpus_replays_clean() {
    let cases = corpus();
    assert!(cases.len() >= 5, "the committed corpus is in tests/fuzz-corpus/");
    for (name, files, tokens) in cases {
        assert!(!tokens.is_empty(), "{name} plants no zqrNqz token");
        if let Err(e) = check(&files, &tokens, &mut Cache::default()) {
            panic!("{name}: {e}");
        }
    }
}

#[test]
fn generated_documents_never_leak() {
    let secs: u64 = std::env::var("BRIEF_FUZZ_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(15);
    let first: u64 = std::env::var("BRIEF_FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(1)
    });
    let deadline = Instant::now() + Duration::from_secs(secs);
    let (mut cases, mut planted, mut built) = (0usize, 0usize, 0usize);
    let mut seed = first;
    let mut cache = Cache::default();
    loop {
        let (files, tokens) = generate(seed);
        planted += tokens.len();
        match check(&files, &tokens, &mut cache) {
            Ok(outcome) => built += usize::from(outcome == Outcome::Built),
            Err(e) => panic!("seed {seed}: {e}\n--- content/open.md ---\n{}\n--- replay: BRIEF_FUZZ_SEED={seed} BRIEF_FUZZ_SECS=0 cargo test --test fuzz", files[0].1),
        }
        cases += 1;
        seed = seed.wrapping_add(1);
        if Instant::now() >= deadline {
            break;
        }
    }
    eprintln!("fuzz: {cases} documents ({built} built, the rest refused), {planted} planted tokens, seeds {first}..{seed}, no leak");
    assert!(cases > 0 && planted > 0);
    // A generator whose every document is refused would test nothing of the cut.
    assert!(cases < 20 || built * 10 >= cases, "only {built} of {cases} documents built");
}
