//! The copy mark, "Copy 2 of 3, issued to Cllr J. Smith, Northshire Council,
//! 25 November 2026", and how each kind of file carries it. Pages show it
//! beside the marking at the top and bottom and print it in the page
//! margins (the theme does that from `site.copy`); scripts and stylesheets
//! start with it in a comment; the action plan spreadsheet has it after its
//! first marking row and before its last. Images and attachments are
//! identified by their hashes in the dissemination log.

use super::checks::copy_mark_problems;
use crate::date::Date;
use crate::diagnostic::Diagnostic;
use crate::write::Sink;

#[derive(Debug, Clone)]
pub struct CopyMark {
    pub number: u32,
    pub of: u32,
    pub name: String,
    pub organisation: String,
    pub date: Date,
}

impl CopyMark {
    pub fn label(&self) -> String {
        format!(
            "Copy {} of {}, issued to {}, {}, {}",
            self.number,
            self.of,
            self.name,
            self.organisation,
            self.date.long()
        )
    }
}

/// The mark as a line comment, safe whatever the name holds.
fn one_line(label: &str) -> String {
    label.replace(['\n', '\r', '\u{2028}', '\u{2029}'], " ")
}

fn css_comment(label: &str) -> String {
    format!("/* {} */\n", one_line(label).replace("*/", "* /"))
}

fn js_comment(label: &str) -> String {
    format!("// {}\n", one_line(label))
}

/// A spreadsheet cell: quoted when needed, never starting a formula.
pub fn csv_cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s.to_string() };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn ext(path: &str) -> &str {
    path.rsplit_once('.').map_or("", |(_, e)| e)
}

/// `bytes` of the file at `path`, carrying `label`; or why a page does not.
pub fn stamp(path: &str, bytes: Vec<u8>, label: &str) -> Result<Vec<u8>, String> {
    match ext(path) {
        "html" => {
            let problems = copy_mark_problems(&String::from_utf8_lossy(&bytes), label);
            match problems.into_iter().next() {
                Some(p) => Err(p),
                None => Ok(bytes),
            }
        }
        "js" => Ok([js_comment(label).into_bytes(), bytes].concat()),
        "css" => Ok([css_comment(label).into_bytes(), bytes].concat()),
        "csv" => Ok(stamp_csv(&String::from_utf8_lossy(&bytes), label).into_bytes()),
        _ => Ok(bytes),
    }
}

/// After the first row and before the last (both the marking).
fn stamp_csv(csv: &str, label: &str) -> String {
    let row = format!("{}\r\n", csv_cell(&one_line(label)));
    let body = csv.strip_suffix("\r\n").unwrap_or(csv);
    let (first, rest) = body.split_once("\r\n").unwrap_or((body, ""));
    match rest.rsplit_once("\r\n") {
        Some((middle, last)) => format!("{first}\r\n{row}{middle}\r\n{row}{last}\r\n"),
        None => format!("{first}\r\n{row}{rest}\r\n{row}"),
    }
}

/// Whether a file of a copy carries `label` as [`stamp`] puts it.
pub fn stamp_problem(path: &str, bytes: &[u8], label: &str) -> Option<String> {
    let text = || super::audit::as_text(bytes);
    let ok = match ext(path) {
        "html" => return copy_mark_problems(&text(), label).into_iter().next(),
        "js" => text().starts_with(&js_comment(label)),
        "css" => text().starts_with(&css_comment(label)),
        "csv" => {
            let t = text();
            let lines: Vec<&str> = t.lines().collect();
            let cell = csv_cell(&one_line(label));
            lines.len() >= 4 && lines[1] == cell && lines[lines.len() - 2] == cell
        }
        _ => true,
    };
    (!ok).then(|| format!("does not carry its copy mark \"{label}\""))
}

/// Passes every file to `inner` carrying the copy mark; a page without it is an error.
pub struct StampSink<'a> {
    pub inner: &'a dyn Sink,
    pub label: String,
}

impl Sink for StampSink<'_> {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), Diagnostic> {
        let stamped = stamp(path, bytes, &self.label).map_err(|p| {
            Diagnostic::error(
                path,
                0,
                format!("this page {p}"),
                "a theme's partials/banner.html must show {{ site.copy }} beside the marking, and base.html must print it (data-print-marking)",
            )
        })?;
        self.inner.put(path, stamped)
    }
}

/// Files kept in memory: a copy is checked whole before anything is written.
#[derive(Default)]
pub struct MemorySink {
    pub files: std::sync::Mutex<std::collections::BTreeMap<String, Vec<u8>>>,
}

impl Sink for MemorySink {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), Diagnostic> {
        self.files
            .lock()
            .map_err(|_| Diagnostic::error(path, 0, "a page failed to render", "build again"))?
            .insert(path.to_string(), bytes);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_file_carries_the_mark() {
        let label = "Copy 1 of 2, issued to =Eve */ \"x\", Org, 1 May 2026";
        let csv = "OFFICIAL\r\nid,text\r\nR1,a\r\nOFFICIAL\r\n";
        for (path, body) in [("a.js", "x"), ("b.css", "y"), ("c.csv", csv), ("d.png", "z")] {
            let s = stamp(path, body.as_bytes().to_vec(), label).unwrap();
            assert_eq!(stamp_problem(path, &s, label), None, "{path}");
        }
        let s = String::from_utf8(stamp("c.csv", csv.as_bytes().to_vec(), label).unwrap()).unwrap();
        assert!(s.starts_with("OFFICIAL\r\n\"Copy 1 of 2, issued to =Eve */ \"\"x\"\""), "{s}");
        assert!(s.ends_with("\r\nOFFICIAL\r\n") && s.lines().count() == 6, "{s}");
        assert!(String::from_utf8(stamp("b.css", vec![], label).unwrap()).unwrap().matches("*/").count() == 1);
        assert!(stamp_problem("a.js", b"x", label).is_some());
        assert!(stamp("p.html", b"<html></html>".to_vec(), label).is_err());
    }
}
