//! Test helper: a strict little XML reader for the figures' output, which is
//! written to be well-formed XML as well as HTML. It checks nesting, quoting
//! and entities, and returns the elements for the safety checks.

#[derive(Debug, Clone)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    /// Text directly inside the element (entities left as written).
    pub text: String,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

fn entity_ok(rest: &str) -> Option<usize> {
    for e in ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"] {
        if rest.starts_with(e) {
            return Some(e.len());
        }
    }
    None
}

fn name_len(s: &str) -> usize {
    s.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ':' || c == '_')).unwrap_or(s.len())
}

/// Parse `s`; every element in document order, or what is wrong.
pub fn parse(s: &str) -> Result<Vec<Element>, String> {
    let mut elements: Vec<Element> = Vec::new();
    let mut stack: Vec<(String, usize)> = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        if let Some(r) = rest.strip_prefix("</") {
            let n = name_len(r);
            let name = &r[..n];
            if !r[n..].starts_with('>') {
                return Err(format!("bad end tag at {i}: {}", &rest[..rest.len().min(40)]));
            }
            match stack.pop() {
                Some((open, _)) if open == name => {}
                other => return Err(format!("</{name}> at {i} closes {other:?}")),
            }
            i += 2 + n + 1;
        } else if rest.starts_with("<!") || rest.starts_with("<?") {
            return Err(format!("comment, doctype or processing instruction at {i}"));
        } else if let Some(r) = rest.strip_prefix('<') {
            let n = name_len(r);
            if n == 0 {
                return Err(format!("bare `<` at {i}"));
            }
            let name = r[..n].to_string();
            let mut j = 1 + n;
            let mut attrs: Vec<(String, String)> = Vec::new();
            let self_closing;
            loop {
                let t = &rest[j..];
                let ws = t.len() - t.trim_start().len();
                let t = t.trim_start();
                j += ws;
                if t.starts_with("/>") {
                    self_closing = true;
                    j += 2;
                    break;
                }
                if t.starts_with('>') {
                    self_closing = false;
                    j += 1;
                    break;
                }
                if ws == 0 {
                    return Err(format!("no space before an attribute in <{name}> at {i}"));
                }
                let an = name_len(t);
                if an == 0 {
                    return Err(format!("bad attribute in <{name}> at {i}: {}", &t[..t.len().min(30)]));
                }
                let aname = t[..an].to_string();
                let after = &t[an..];
                let Some(v) = after.strip_prefix("=\"") else {
                    return Err(format!("attribute {aname} of <{name}> is not `=\"…\"`"));
                };
                let Some(end) = v.find('"') else { return Err(format!("unclosed attribute {aname}")) };
                let value = &v[..end];
                if value.contains('<') {
                    return Err(format!("`<` in attribute {aname} of <{name}>"));
                }
                check_entities(value)?;
                if attrs.iter().any(|(k, _)| *k == aname) {
                    return Err(format!("attribute {aname} twice in <{name}>"));
                }
                attrs.push((aname, value.to_string()));
                j += an + 2 + end + 1;
            }
            elements.push(Element { name: name.clone(), attrs, text: String::new() });
            if !self_closing {
                stack.push((name, elements.len() - 1));
            }
            i += j;
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            let t = &rest[..end];
            if t.contains('>') {
                return Err(format!("raw `>` in text at {i}: {t}"));
            }
            check_entities(t)?;
            if let Some((_, k)) = stack.last() {
                elements[*k].text.push_str(t);
            } else if !t.trim().is_empty() {
                return Err(format!("text outside any element: {t}"));
            }
            i += end;
        }
    }
    if let Some((open, _)) = stack.last() {
        return Err(format!("<{open}> is never closed"));
    }
    Ok(elements)
}

fn check_entities(t: &str) -> Result<(), String> {
    let mut k = 0;
    while let Some(p) = t[k..].find('&') {
        let at = k + p;
        match entity_ok(&t[at..]) {
            Some(len) => k = at + len,
            None => return Err(format!("bad entity in: {t}")),
        }
    }
    Ok(())
}

/// Well-formed and safe under the pages' CSP: no style, script, event
/// handlers, remote references or foreign content.
pub fn assert_safe(html: &str) -> Vec<Element> {
    let els = parse(html).unwrap_or_else(|e| panic!("not well-formed: {e}\n{html}"));
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("http"), "mentions http");
    assert!(!lower.contains("javascript:"), "javascript: URL");
    for el in &els {
        assert!(
            !matches!(el.name.as_str(), "script" | "style" | "foreignObject" | "image" | "iframe" | "object" | "a"),
            "<{}> is not allowed",
            el.name
        );
        for (k, v) in &el.attrs {
            assert!(k != "style", "style attribute on <{}>", el.name);
            assert!(!k.starts_with("on"), "event handler {k}");
            if k.ends_with("href") {
                assert!(v.starts_with('#'), "{k}={v}");
            }
            if let Some(p) = v.find("url(") {
                assert!(v[p..].starts_with("url(#"), "{k}={v}");
            }
        }
    }
    // Ids are unique and every reference is to one of them.
    let ids: Vec<&str> = els.iter().filter_map(|e| e.attr("id")).collect();
    let set: std::collections::BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(set.len(), ids.len(), "duplicate ids");
    for el in &els {
        for (k, v) in &el.attrs {
            if k == "aria-labelledby" || k == "aria-describedby" {
                for id in v.split_whitespace() {
                    assert!(set.contains(id), "{k} names missing id {id}");
                }
            }
            if let Some(p) = v.find("url(#") {
                let id = &v[p + 5..v[p..].find(')').map_or(v.len(), |e| p + e)];
                assert!(set.contains(id), "{k} refers to missing #{id}");
            }
        }
    }
    els
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_refuses() {
        assert!(parse("<a x=\"1\"><b/>t &amp; &#39;</a>").is_ok());
        assert!(parse("<a><b></a></b>").is_err());
        assert!(parse("<a>").is_err());
        assert!(parse("<a x='1'></a>").is_err());
        assert!(parse("<a x=\"1\" x=\"2\"></a>").is_err());
        assert!(parse("<a>&nbsp;</a>").is_err());
        assert!(parse("<a>x > y</a>").is_err());
        assert!(parse("<a title=\"<\"></a>").is_err());
    }
}
