//! Finding the line of a key in YAML text, so errors found after parsing
//! (unknown edition ids, markings above the ceiling, …) can name their line.
//!
//! serde_yaml reports positions only for syntax and type errors; this is a
//! small indentation-aware scan that is right for the block style authors
//! write, and falls back to the nearest enclosing key for flow style.

/// One step of a key path: a mapping key or a list index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

pub struct YamlText<'a> {
    lines: Vec<&'a str>,
    /// Line number (1-based) of the text's first line in its file.
    first_line: usize,
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

fn is_blank(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

/// Does this line define `key` (block style, optionally as the first key of a list item)?
fn defines(line: &str, key: &str) -> bool {
    let t = line.trim_start();
    let t = t.strip_prefix("- ").map(str::trim_start).unwrap_or(t);
    // The key bare, or in double or single quotes (asked of every line for
    // every key looked up: no copies).
    let quoted = |q: char| t.strip_prefix(q).and_then(|r| r.strip_prefix(key)).and_then(|r| r.strip_prefix(q));
    [t.strip_prefix(key), quoted('"'), quoted('\'')]
        .into_iter()
        .flatten()
        .any(|rest| rest.trim_start().starts_with(':'))
}

impl<'a> YamlText<'a> {
    pub fn new(text: &'a str, first_line: usize) -> Self {
        YamlText { lines: text.lines().collect(), first_line }
    }

    /// The line after the block that `start` opens: a key's block holds the
    /// lines indented deeper than it; a list item's, those indented at least
    /// as far as its first key.
    fn end_of_block(&self, start: usize) -> usize {
        let item = self.lines[start].trim_start().starts_with("- ");
        let own = indent(self.lines[start]) + if item { 2 } else { 1 };
        (start + 1..self.lines.len())
            .find(|&i| !is_blank(self.lines[i]) && indent(self.lines[i]) < own)
            .unwrap_or(self.lines.len())
    }

    /// Index of the line defining `key` within [from, to), at the shallowest indent.
    fn find(&self, key: &str, from: usize, to: usize) -> Option<usize> {
        let mut best: Option<usize> = None;
        for i in from..to {
            let line = self.lines[i];
            if !is_blank(line) && defines(line, key) && best.is_none_or(|b| indent(line) < indent(self.lines[b])) {
                best = Some(i);
            }
        }
        best
    }

    fn to_line(&self, idx: usize) -> usize {
        self.first_line + idx
    }

    /// Line of a key path such as `["editions", "elected-members", "approval"]`;
    /// the deepest key found, or the first line of the text.
    pub fn key(&self, path: &[&str]) -> usize {
        let (mut from, mut to) = (0, self.lines.len());
        let mut found = None;
        for seg in path {
            match self.find(seg, from, to) {
                Some(i) => {
                    found = Some(i);
                    from = i + 1;
                    to = self.end_of_block(i);
                }
                None => break,
            }
        }
        self.to_line(found.unwrap_or(0))
    }

    /// Line of a path of keys and list indices, e.g. `sources[0].cleared_for`:
    /// the deepest step found, or the first line of the text.
    pub fn path(&self, path: &[Seg]) -> usize {
        let (mut from, mut to) = (0, self.lines.len());
        let mut found = None;
        for seg in path {
            let next = match seg {
                Seg::Key(k) => self.find(k, from, to),
                Seg::Index(n) => self.nth_item(*n, from, to),
            };
            let Some(i) = next else { break };
            found = Some(i);
            if self.lines[i].contains('{') {
                break; // a flow mapping: its keys share this line
            }
            // A list item's line may hold its first key (`- name: x`).
            from = if matches!(seg, Seg::Index(_)) { i } else { i + 1 };
            to = self.end_of_block(i);
        }
        self.to_line(found.unwrap_or(0))
    }

    /// Index of the `n`th list item line within [from, to).
    fn nth_item(&self, n: usize, from: usize, to: usize) -> Option<usize> {
        let items: Vec<usize> = (from..to)
            .filter(|&i| self.lines[i].trim_start().starts_with("- ") || self.lines[i].trim() == "-")
            .collect();
        let first = indent(self.lines[*items.first()?]);
        items.into_iter().filter(|&i| indent(self.lines[i]) == first).nth(n)
    }

    /// Line of the `n`th list item (0-based) under the top-level `key`, or of a
    /// field within it.
    pub fn item(&self, key: &str, n: usize, field: Option<&str>) -> usize {
        let Some(k) = self.find(key, 0, self.lines.len()) else { return self.to_line(0) };
        let end = self.end_of_block(k);
        let items: Vec<usize> = (k + 1..end)
            .filter(|&i| self.lines[i].trim_start().starts_with("- ") || self.lines[i].trim() == "-")
            .collect();
        let item_indent = items.first().map(|&i| indent(self.lines[i]));
        let items: Vec<usize> = items.into_iter().filter(|&i| Some(indent(self.lines[i])) == item_indent).collect();
        let Some(&start) = items.get(n) else { return self.to_line(k) };
        let stop = items.get(n + 1).copied().unwrap_or(end);
        match field {
            Some(f) => {
                (start..stop).find(|&i| defines(self.lines[i], f)).map_or(self.to_line(start), |i| self.to_line(i))
            }
            None => self.to_line(start),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const Y: &str = "title: x\neditions:\n  partnership:\n    name: P\n    classification: OFFICIAL\n  members:\n    name: M\n    classification: SECRET\nrecommendations:\n  - id: R1\n    due: 2026-01-01\n  - id: R2\n    strand: nope\n";

    #[test]
    fn finds_nested_keys() {
        let y = YamlText::new(Y, 2);
        assert_eq!(y.key(&["title"]), 2);
        assert_eq!(y.key(&["editions", "members", "classification"]), 9);
        assert_eq!(y.key(&["editions", "partnership", "classification"]), 6);
        assert_eq!(y.key(&["editions", "nobody"]), 3);
    }

    #[test]
    fn finds_list_items_and_fields() {
        let y = YamlText::new(Y, 1);
        assert_eq!(y.item("recommendations", 0, None), 10);
        assert_eq!(y.item("recommendations", 1, Some("strand")), 13);
        assert_eq!(y.item("recommendations", 0, Some("due")), 11);
    }
}
