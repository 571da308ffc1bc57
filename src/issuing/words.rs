//! Text as the withheld-text check reads it: words lower-cased, letters and
//! digits only, in runs of [`RUN`] consecutive words. The same reading is
//! applied to what an edition withholds (Markdown source) and to every file
//! a build or copy holds (HTML with its tags stripped and entities decoded,
//! scripts with their string escapes decoded), so a withheld sentence is
//! found wherever it lands.

use rustc_hash::FxHashSet;
use std::sync::OnceLock;

/// Words in a run.
pub const RUN: usize = 5;

/// Ends a segment of text: no run crosses it (block-level tags, string
/// literals, spreadsheet cells), so words that merely sit side by side in a
/// file's structure are not read as one sentence.
pub const BREAK: char = '\u{1}';

/// A text's words, each separated by one space, so a run is a slice.
pub struct Words {
    pub text: String,
    /// Byte range of each word in `text`.
    bounds: Vec<(usize, usize)>,
    /// The segment (between [`BREAK`]s) each word is in.
    segment: Vec<u32>,
}

impl Words {
    pub fn read(s: &str) -> Words {
        let mut text = String::with_capacity(s.len());
        let mut bounds = Vec::new();
        let mut start = None;
        let mut segment = Vec::new();
        let mut seg = 0;
        for c in s.chars() {
            if c == BREAK {
                seg += 1;
            }
            if c.is_alphanumeric() {
                if start.is_none() {
                    if !text.is_empty() {
                        text.push(' ');
                    }
                    start = Some(text.len());
                    segment.push(seg);
                }
                if c.is_ascii() {
                    text.push(c.to_ascii_lowercase());
                } else {
                    text.extend(c.to_lowercase());
                }
            } else if let Some(st) = start.take() {
                bounds.push((st, text.len()));
            }
        }
        if let Some(st) = start {
            bounds.push((st, text.len()));
        }
        Words { text, bounds, segment }
    }

    pub fn len(&self) -> usize {
        self.bounds.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bounds.is_empty()
    }

    fn word(&self, i: usize) -> &str {
        &self.text[self.bounds[i].0..self.bounds[i].1]
    }

    /// Every run of [`RUN`] words that is not made only of common words.
    pub fn runs(&self) -> impl Iterator<Item = &str> + '_ {
        let common: Vec<bool> = (0..self.len()).map(|i| is_common(self.word(i))).collect();
        (0..self.len().saturating_sub(RUN - 1))
            .filter(move |&i| self.segment[i] == self.segment[i + RUN - 1] && !common[i..i + RUN].iter().all(|&c| c))
            .map(move |i| &self.text[self.bounds[i].0..self.bounds[i + RUN - 1].1])
    }
}

/// Very common words (and short numbers): a run made only of them says nothing.
fn is_common(w: &str) -> bool {
    static COMMON: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    let set = COMMON.get_or_init(|| {
        "a about after all also an and any are as at be been but by can could did do does for from had has have he her \
         his how i if in into is it its may more most must no not of on one or other our out over s she should so some \
         such than that the their them then there these they this those through to too two under up us was we were what \
         when where which while who will with would you your yes new per via"
            .split(' ')
            .collect()
    });
    (w.len() == 1 || w.chars().nth(1).is_none())
        || (w.len() <= 4 && w.bytes().all(|b| b.is_ascii_digit()))
        || set.contains(w)
}

/// Markdown source as its words would show on a page: link targets,
/// attribute braces (`{audience=…}`, `{#id}`) and footnote labels removed.
pub fn markdown_text(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    let mut rest = md;
    while let Some(i) = rest.find(['{', ']']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let skip = if tail.starts_with('{') {
            tail.find('}').map(|j| j + 1)
        } else if tail.starts_with("](") {
            tail.find(')').map(|j| j + 1)
        } else {
            None
        };
        out.push(' ');
        rest = match skip {
            Some(n) => &tail[n..],
            None => &tail[1..],
        };
    }
    out.push_str(rest);
    strip_footnote_labels(&out)
}

fn strip_footnote_labels(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("[^") {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        match tail.find([' ', '\n']).filter(|&sp| !tail[..sp].contains(' ')) {
            Some(sp) => {
                out.push(' ');
                rest = &tail[sp..];
            }
            None => {
                out.push_str(tail);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Elements that sit inside a sentence: a run of words goes on through them.
const INLINE: [&str; 17] = [
    "a", "abbr", "b", "bdi", "cite", "code", "em", "i", "kbd", "mark", "q", "s", "small", "strong", "sub", "sup",
    "time",
];

/// An HTML (or XML) file's readable text: what is between tags, and every
/// attribute value after it, entities decoded. Tags and comments become breaks.
pub fn html_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut attrs = String::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        text.push_str(&decode_entities(&rest[..i]));
        text.push(' ');
        let tail = &rest[i..];
        if let Some(c) = tail.strip_prefix("<!--") {
            rest = c.find("-->").map_or("", |j| &c[j + 3..]);
            continue;
        }
        let end = crate::issuing::checks::tag_end(tail);
        let name = crate::issuing::checks::tag_name(&tail[..end]).trim_start_matches('/');
        if !INLINE.iter().any(|i| i.eq_ignore_ascii_case(name)) {
            text.push(BREAK);
        }
        for (_, v) in crate::issuing::checks::attributes(&tail[..end]) {
            attrs.push_str(&decode_entities(v));
            attrs.push(BREAK);
        }
        rest = &tail[end..];
    }
    text.push_str(&decode_entities(rest));
    text.push('\n');
    text.push_str(&attrs);
    text
}

/// `&amp;`, `&#39;`, `&#x27;` and the named entities pages use, decoded.
pub fn decode_entities(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('&') {
        // Most text between tags has none: the audit reads every page, so no copy.
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i + 1..];
        let semi = tail.find(';').filter(|&j| j <= 32);
        match semi.and_then(|j| entity(&tail[..j]).map(|c| (j, c))) {
            Some((j, c)) => {
                out.push(c);
                rest = &tail[j + 1..];
            }
            None => {
                out.push('&');
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

fn entity(name: &str) -> Option<char> {
    if let Some(n) = name.strip_prefix('#') {
        let code = match n.strip_prefix(['x', 'X']) {
            Some(h) => u32::from_str_radix(h, 16).ok()?,
            None => n.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "ndash" => '–',
        "mdash" => '—',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "hellip" => '…',
        _ => return None,
    })
}

/// Script or JSON text with its string escapes (`\n`, `\"`, `\u00e9`)
/// decoded, each string literal a segment of its own.
pub fn script_text(js: &str) -> String {
    let mut out = String::with_capacity(js.len());
    let mut chars = js.chars();
    while let Some(c) = chars.next() {
        if c == '"' {
            out.push(BREAK);
            continue;
        }
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                out.push(u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32).unwrap_or(' '));
            }
            Some('n' | 't' | 'r') => out.push(' '),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_skip_common_words_and_read_alike_from_source_and_page() {
        let md = "The group is led by [Subject Alpha Zed](x.md){audience=\"partnership\"} of Northtown[^1] today.";
        let html =
            "<p>The group is led by <a href=\"../x.html\">Subject Alpha Zed</a> of Northtown<sup>1</sup> today.</p>";
        let a: Vec<String> = Words::read(&markdown_text(md)).runs().map(String::from).collect();
        let page = Words::read(&html_text(html));
        let b: Vec<&str> = page.runs().collect();
        assert!(a.contains(&"led by subject alpha zed".to_string()), "{a:?}");
        assert!(b.contains(&"led by subject alpha zed"), "{b:?}");
        let w = Words::read("it is in the and of it");
        assert_eq!(w.runs().count(), 0);
    }

    #[test]
    fn entities_and_escapes_decode() {
        assert_eq!(decode_entities("A&amp;B &#39;x&#x27; &bogus; &"), "A&B 'x' &bogus; &");
        assert_eq!(script_text(r#""caf\u00e9\nbar\"""#), "\u{1}café bar\"\u{1}");
        let t = html_text("<img alt=\"Secret &amp; plan\">x<!-- y -->z");
        assert!(t.contains("Secret & plan") && t.contains('x') && !t.contains('y'), "{t}");
    }
}
