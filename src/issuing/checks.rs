//! What `brief verify` reads in one page, stylesheet or script: its
//! marking (top and bottom banners and the printed margin), its copy mark,
//! anything it loads from elsewhere, and anything it would run inline.
//! Each check returns plain messages; the caller names the file.

use super::words::decode_entities;
use crate::marking::Marking;

/// Where the tag starting `tail` (at its `<`) ends, just after its `>`; quotes respected.
pub fn tag_end(tail: &str) -> usize {
    // Bytes, not chars: the delimiters are ASCII, which never occur inside a
    // UTF-8 sequence, so every index found is a char boundary.
    let b = tail.as_bytes();
    let mut i = 1;
    while let Some(j) = b.get(i..).and_then(|rest| memchr::memchr3(b'"', b'\'', b'>', rest)) {
        let at = i + j;
        if b[at] == b'>' {
            return at + 1;
        }
        // A quoted value: its `>` are text.
        match memchr::memchr(b[at], &b[at + 1..]) {
            Some(k) => i = at + 1 + k + 1,
            None => return tail.len(),
        }
    }
    tail.len()
}

/// The tag's name as written (`/p` for an end tag).
pub fn tag_name(tag: &str) -> &str {
    let inner = &tag[1..];
    // Bytes while they are ASCII (nearly every name); a `char` at a time,
    // Unicode spaces included, from the first byte that is not.
    let b = inner.as_bytes();
    let mut i = 0;
    while i < b.len() && b[i].is_ascii() {
        if b[i] == b'>' || b[i].is_ascii_whitespace() || b[i] == b'\x0b' {
            return &inner[..i];
        }
        i += 1;
    }
    let end = inner[i..].find(|c: char| c.is_whitespace() || c == '>').map_or(inner.len(), |j| i + j);
    &inner[..end]
}

/// A tag's attributes: names and values as written (entities not decoded).
pub fn attributes(tag: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    attributes_into(tag, &mut out);
    out
}

/// [`attributes`], into `out` (cleared first): a page's checks read every
/// tag, and one list serves them all.
pub fn attributes_into<'a>(tag: &'a str, out: &mut Vec<(&'a str, &'a str)>) {
    out.clear();
    let inner = tag.trim_start_matches('<').trim_end_matches('>');
    let mut rest = inner.trim_start_matches(|c: char| !c.is_whitespace());
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        let name_len = rest.find(|c: char| c.is_whitespace() || c == '=' || c == '/').unwrap_or(rest.len());
        if name_len == 0 {
            return;
        }
        let name = &rest[..name_len];
        rest = rest[name_len..].trim_start();
        let value = match rest.strip_prefix('=') {
            Some(v) => {
                let v = v.trim_start();
                let (val, after) = match v.chars().next() {
                    Some(q @ ('"' | '\'')) => {
                        let end = v[1..].find(q).map_or(v.len(), |j| j + 1);
                        (&v[1..end], v.get(end + 1..).unwrap_or(""))
                    }
                    _ => v.split_at(v.find(char::is_whitespace).unwrap_or(v.len())),
                };
                rest = after;
                val
            }
            None => "",
        };
        out.push((name, value));
    }
}

/// Every tag of a page (comments skipped), with its start offset.
pub fn tags(html: &str) -> Vec<(usize, &str)> {
    each_tag(html).collect()
}

/// [`tags`], one at a time (a check that wants the first `<html>` reads no further).
fn each_tag(html: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0;
    std::iter::from_fn(move || {
        while let Some(i) = memchr::memchr(b'<', &html.as_bytes()[at..]) {
            let start = at + i;
            let tail = &html[start..];
            if let Some(c) = tail.strip_prefix("<!--") {
                at = memchr::memmem::find(c.as_bytes(), b"-->").map_or(html.len(), |j| start + 4 + j + 3);
                continue;
            }
            let end = tag_end(tail);
            at = start + end;
            return Some((start, &tail[..end]));
        }
        None
    })
}

/// Whether loading `url` would reach outside the edition's own files.
pub fn is_elsewhere(url: &str) -> bool {
    let u: String = decode_entities(url).chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect();
    let u = u.to_ascii_lowercase();
    if u.starts_with("//") || u.starts_with("\\\\") || u.starts_with("/\\") {
        return true;
    }
    match u.find(':') {
        Some(i) if u[..i].chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) && i > 0 => &u[..i] != "data",
        _ => false,
    }
}

const LOADING: [&str; 8] = ["src", "srcset", "poster", "data", "background", "action", "formaction", "manifest"];

fn is_loading(attr: &str) -> bool {
    LOADING.iter().any(|l| l.eq_ignore_ascii_case(attr))
}

/// Whether `value`, decoded, with whitespace and control characters left
/// out, starts `javascript:` in any case. (Compared as it is read: no copy.)
fn runs_script(value: &str) -> bool {
    const SCHEME: &str = "javascript:";
    if !(value.contains(':') || value.contains('&')) {
        return false;
    }
    let decoded = decode_entities(value);
    let mut shown = decoded.chars().filter(|c| !c.is_whitespace() && !c.is_control());
    SCHEME.chars().all(|s| shown.next().is_some_and(|c| c.to_ascii_lowercase() == s))
}

/// What an element's content is, up to its end tag.
fn content<'a>(html: &'a str, after: usize, name: &str) -> &'a str {
    let body = &html[after..];
    let end = format!("</{name}");
    let at =
        body.char_indices().find(|(i, _)| body[*i..].get(..end.len()).is_some_and(|x| x.eq_ignore_ascii_case(&end)));
    &body[..at.map_or(body.len(), |(i, _)| i)]
}

/// Problems with one tag: loads from elsewhere or runs inline script.
fn tag_problems<'a>(
    tag: &'a str,
    html: &str,
    start: usize,
    attrs: &mut Vec<(&'a str, &'a str)>,
    out: &mut Vec<String>,
) {
    // Lower case for the messages only; most tags have none.
    let name = Lower(tag_name(tag));
    attributes_into(tag, attrs);
    let attrs = &*attrs;
    let get = |n: &str| attrs.iter().find(|(k, _)| k.eq_ignore_ascii_case(n)).map(|(_, v)| *v);
    match name.0 {
        n if n.eq_ignore_ascii_case("script") && get("src").is_none() => {
            out.push(format!("runs inline script: `{}`", short(content(html, start + tag.len(), "script"))))
        }
        n if n.eq_ignore_ascii_case("base") => {
            out.push("has a <base> element, which would send its links elsewhere".into())
        }
        n if n.eq_ignore_ascii_case("meta") && get("http-equiv").is_some_and(|v| v.eq_ignore_ascii_case("refresh")) => {
            out.push(format!(
                "redirects with <meta http-equiv=\"refresh\" content=\"{}\">",
                get("content").unwrap_or("")
            ))
        }
        n if n.eq_ignore_ascii_case("link") && get("href").is_some_and(is_elsewhere) => {
            out.push(format!("loads {} from elsewhere", get("href").unwrap_or("")))
        }
        n if n.eq_ignore_ascii_case("style") => out.extend(css_problems(content(html, start + tag.len(), "style"))),
        _ => {}
    }
    for (k, v) in attrs {
        if k.len() > 2 && k[..2].eq_ignore_ascii_case("on") {
            out.push(format!("runs inline script: `{k}` attribute on <{name}>"));
        } else if runs_script(v) {
            out.push(format!("runs inline script: a javascript: address in `{k}` on <{name}>"));
        } else if is_loading(k) && v.split(',').any(|u| is_elsewhere(u.trim())) {
            out.push(format!("loads {v} from elsewhere (`{k}` on <{name}>)"));
        } else if k.eq_ignore_ascii_case("style") {
            out.extend(css_problems(&decode_entities(v)));
        }
    }
}

/// A tag name shown in lower case, as messages name it.
struct Lower<'a>(&'a str);

impl std::fmt::Display for Lower<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(&self.0.to_ascii_lowercase())
    }
}

fn short(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s.to_string()
    }
}

/// A page's loads from elsewhere and inline script.
pub fn html_problems(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    // Brief writes no comments: content's are taken out, and the theme's
    // are refused. One here is a note someone meant to keep hidden.
    if let Some(at) = memchr::memmem::find(html.as_bytes(), b"<!--") {
        out.push(format!(
            "holds an HTML comment (at byte {at}): a note hidden from readers, which no edition may carry"
        ));
    }
    if let Some(at) = crate::withhold::residue::hidden_markup(html) {
        out.push(format!(
            "holds markup a browser reads as a comment (`<?`, `<!x` or `</` without a name, at byte {at}): text hidden from readers"
        ));
    }
    let mut attrs = Vec::new();
    for (start, tag) in each_tag(html) {
        if !tag.starts_with("</") {
            tag_problems(tag, html, start, &mut attrs, &mut out);
        }
    }
    out
}

/// A stylesheet's loads from elsewhere: `url(…)` and `@import`.
pub fn css_problems(css: &str) -> Vec<String> {
    let lower = css.to_ascii_lowercase();
    let mut out = Vec::new();
    for (i, _) in lower.match_indices("url(") {
        let arg = lower[i + 4..].split(')').next().unwrap_or("").trim().trim_matches(['"', '\'']);
        if is_elsewhere(arg) {
            out.push(format!("loads url({arg}) from elsewhere"));
        }
    }
    for (i, _) in lower.match_indices("@import") {
        let arg = lower[i + 7..].split(';').next().unwrap_or("").trim();
        // `@import url(…)` is found above.
        if !arg.starts_with("url(") && is_elsewhere(arg.trim_matches(['"', '\''])) {
            out.push(format!("imports {arg} from elsewhere"));
        }
    }
    out
}

/// The texts of every `<span class="NAME">…</span>`, decoded, with their offsets.
pub fn spans(html: &str, class: &str) -> Vec<(usize, String)> {
    let open = format!("<span class=\"{class}\">");
    memchr::memmem::find_iter(html.as_bytes(), open.as_bytes())
        .map(|i| {
            let body = &html[i + open.len()..];
            let end = memchr::memmem::find(body.as_bytes(), b"</span>").unwrap_or(body.len());
            (i, decode_entities(&body[..end]).into_owned())
        })
        .collect()
}

/// The `<html>` element's attribute `name`, decoded.
pub fn root_attribute(html: &str, name: &str) -> Option<String> {
    let (_, tag) = each_tag(html).find(|(_, t)| tag_name(t).eq_ignore_ascii_case("html"))?;
    attributes(tag)
        .into_iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| decode_entities(v).into_owned())
}

/// A page's marking problems: a banner missing at the top or bottom, or in
/// the printed margin, or a marking above the edition's `ceiling`.
pub fn marking_problems(html: &str, ceiling: Marking) -> Vec<String> {
    let mut out = Vec::new();
    let banners = spans(html, "marking-text");
    let main_start = memchr::memmem::find(html.as_bytes(), b"<main").unwrap_or(0);
    let main_end = memchr::memmem::rfind(html.as_bytes(), b"</main>").unwrap_or(html.len());
    if !banners.iter().any(|(i, _)| *i < main_start) {
        out.push("has no marking banner at the top".to_string());
    }
    if !banners.iter().any(|(i, _)| *i > main_end) {
        out.push("has no marking banner at the bottom".to_string());
    }
    let printed = root_attribute(html, "data-print-marking");
    let printed_marking = printed.as_deref().map(|p| p.split(" | ").next().unwrap_or("").to_string());
    match &printed_marking {
        None => out.push("has no marking for its printed pages (data-print-marking)".to_string()),
        Some(m) if !banners.iter().all(|(_, b)| b == m) => {
            out.push(format!("is marked {m} when printed but {} on screen", banners.first().map_or("", |b| &b.1)))
        }
        _ => {}
    }
    for m in banners.iter().map(|(_, b)| b.as_str()).chain(printed_marking.as_deref()) {
        match Marking::parse(m) {
            Ok(x) if x > ceiling => {
                out.push(format!("is marked {m}, above the edition's {}", ceiling.as_str()));
                break;
            }
            Ok(_) => {}
            Err(_) => {
                out.push(format!("has an unreadable marking `{m}`"));
                break;
            }
        }
    }
    out
}

/// Whether a page shows `mark` beside its marking at the top and bottom and in the printed margin.
pub fn copy_mark_problems(html: &str, mark: &str) -> Vec<String> {
    let shown = spans(html, "copy-mark");
    let mut out = Vec::new();
    if shown.len() < 2 || shown.iter().any(|(_, s)| s != mark) {
        out.push(format!("does not show its copy mark \"{mark}\" at the top and bottom"));
    }
    if !root_attribute(html, "data-print-marking").is_some_and(|p| p.ends_with(mark)) {
        out.push(format!("does not print its copy mark \"{mark}\" in the page margins"));
    }
    out
}

/// The copy mark a page shows, if any.
pub fn copy_mark_of(html: &str) -> Option<String> {
    spans(html, "copy-mark").into_iter().next().map(|(_, s)| s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_end_and_name_read_as_a_char_at_a_time() {
        let end_by_chars = |tail: &str| {
            let mut quote = None;
            for (i, &b) in tail.as_bytes().iter().enumerate().skip(1) {
                match (quote, b) {
                    (Some(q), b) if b == q => quote = None,
                    (None, b'"' | b'\'') => quote = Some(b),
                    (None, b'>') => return i + 1,
                    _ => {}
                }
            }
            tail.len()
        };
        let name_by_chars =
            |tag: &str| -> String { tag[1..].chars().take_while(|c| !c.is_whitespace() && *c != '>').collect() };
        let pieces = ["<", ">", "\"", "'", "a", "p", " ", "\t", "\u{b}", "\u{a0}", "\u{85}", "=", "é", "/", "\n"];
        let mut r = crate::testing::Rng(0x0DDB_1A5E_5BAD_5EED);
        for case in 0..20_000 {
            let mut t = String::from("<");
            for _ in 0..r.below(14) {
                t.push_str(pieces[r.below(pieces.len())]);
            }
            assert_eq!(tag_end(&t), end_by_chars(&t), "case {case}: {t:?}");
            assert_eq!(tag_name(&t), name_by_chars(&t), "case {case}: {t:?}");
        }
    }

    #[test]
    fn finds_loads_and_inline_script() {
        let bad = "<html><head><base href=x><link rel=stylesheet href=\"https://cdn/x.css\"><meta http-equiv=REFRESH content=\"0;url=/\"></head>\
                   <body onload=\"go()\"><script>alert(1)</script><img src=//evil/x.png><a href=\"JavaScript:x()\">j</a>\
                   <div style=\"background:url('http://x/y')\"></div><a href=\"https://gov.uk\">fine</a><script src=\"../s.js\"></script></body></html>";
        let p = html_problems(bad);
        assert_eq!(p.len(), 8, "{p:#?}");
        assert!(
            html_problems("<p>about javascript: and onload=</p><img src=\"../files/a.png\" alt=\"x>y\">").is_empty()
        );
        assert_eq!(
            css_problems("a{background:url(../x.png)} b{background:url( \"HTTPS://x\" )} @import url(//x.css);").len(),
            2
        );
    }

    #[test]
    fn tag_names_in_any_case_and_hidden_schemes_are_found() {
        let p = html_problems(
            "<SCRIPT>x()</SCRIPT><Base href=x><A HREF=\"&#106;ava\tScript&#58;go()\">a</A>\
             <a href=\" java script:x\">b</a><a href=\"javascrip:x\">c</a><IMG SRC=\"//evil/x\">",
        );
        assert_eq!(p.len(), 5, "{p:#?}");
        assert!(p[0].starts_with("runs inline script: `x()`"), "{p:#?}");
        assert!(p.iter().any(|m| m.ends_with("on <a>")) && p.iter().any(|m| m.ends_with("on <img>)")), "{p:#?}");
        assert!(!runs_script("javascrip:x") && !runs_script("javascript") && runs_script("JAVA&#x53;CRIPT:"));
    }

    #[test]
    fn reads_markings_and_copy_marks() {
        let page = |top: &str, print: &str| {
            format!("<html lang=en data-print-marking=\"{print}\"><div><span class=\"marking-text\">{top}</span> <span class=\"copy-mark\">Copy 1 of 2, issued to A &amp; B</span></div>\
                     <main>x</main><div><span class=\"marking-text\">{top}</span> <span class=\"copy-mark\">Copy 1 of 2, issued to A &amp; B</span></div></html>")
        };
        assert!(marking_problems(&page("OFFICIAL", "OFFICIAL | Copy 1 of 2, issued to A &amp; B"), Marking::Official)
            .is_empty());
        assert_eq!(marking_problems(&page("OFFICIAL-SENSITIVE", "OFFICIAL-SENSITIVE"), Marking::Official).len(), 1);
        assert!(copy_mark_problems(
            &page("OFFICIAL", "OFFICIAL | Copy 1 of 2, issued to A & B"),
            "Copy 1 of 2, issued to A & B"
        )
        .is_empty());
        assert_eq!(copy_mark_problems(&page("OFFICIAL", "OFFICIAL"), "Copy 2 of 2, issued to C").len(), 2);
        assert_eq!(marking_problems("<html><main></main></html>", Marking::Official).len(), 3);
    }
}
