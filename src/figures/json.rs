//! A small JSON reader that remembers the line every value starts on, so
//! GeoJSON problems found after parsing (a `Point` among polygons, a ring
//! that is not closed) can name their line. serde_json's `Value` forgets
//! positions once parsed.

/// A JSON value and the 1-based line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Json,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Node>),
    /// Members in file order; a repeated key's last value wins in [`Node::get`].
    Obj(Vec<(String, Node)>),
}

impl Node {
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Json::Obj(members) => members.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Node]> {
        match &self.value {
            Json::Arr(a) => Some(a),
            _ => None,
        }
    }

    /// What kind of value this is, for messages.
    pub fn kind(&self) -> &'static str {
        match self.value {
            Json::Null => "null",
            Json::Bool(_) => "true/false",
            Json::Num(_) => "a number",
            Json::Str(_) => "text",
            Json::Arr(_) => "a list",
            Json::Obj(_) => "an object",
        }
    }
}

/// Nesting deeper than this is refused (GeoJSON needs five levels or so).
const MAX_DEPTH: usize = 64;

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    line: usize,
}

type Res<T> = Result<T, (usize, String)>;

impl Parser<'_> {
    fn err<T>(&self, msg: impl Into<String>) -> Res<T> {
        Err((self.line, msg.into()))
    }

    fn ws(&mut self) {
        while let Some(&b) = self.s.get(self.i) {
            match b {
                b'\n' => self.line += 1,
                b' ' | b'\t' | b'\r' => {}
                _ => break,
            }
            self.i += 1;
        }
    }

    fn found(&self) -> String {
        match self.s.get(self.i) {
            None => "the end of the file".into(),
            Some(_) => {
                let rest = std::str::from_utf8(&self.s[self.i..]).unwrap_or("");
                let c = rest.chars().next().unwrap_or('?');
                format!("`{c}`")
            }
        }
    }

    fn value(&mut self, depth: usize) -> Res<Node> {
        if depth > MAX_DEPTH {
            return self.err("the data is nested too deeply");
        }
        self.ws();
        let line = self.line;
        let value = match self.s.get(self.i) {
            Some(b'{') => {
                self.i += 1;
                let mut members = Vec::new();
                self.ws();
                if self.s.get(self.i) == Some(&b'}') {
                    self.i += 1;
                } else {
                    loop {
                        self.ws();
                        if self.s.get(self.i) != Some(&b'"') {
                            return self.err(format!("expected a quoted member name, found {}", self.found()));
                        }
                        let key = self.string()?;
                        self.ws();
                        if self.s.get(self.i) != Some(&b':') {
                            return self.err(format!("expected `:` after the member name, found {}", self.found()));
                        }
                        self.i += 1;
                        let v = self.value(depth + 1)?;
                        members.push((key, v));
                        self.ws();
                        match self.s.get(self.i) {
                            Some(b',') => self.i += 1,
                            Some(b'}') => {
                                self.i += 1;
                                break;
                            }
                            _ => return self.err(format!("expected `,` or `}}` in an object, found {}", self.found())),
                        }
                    }
                }
                Json::Obj(members)
            }
            Some(b'[') => {
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if self.s.get(self.i) == Some(&b']') {
                    self.i += 1;
                } else {
                    loop {
                        items.push(self.value(depth + 1)?);
                        self.ws();
                        match self.s.get(self.i) {
                            Some(b',') => self.i += 1,
                            Some(b']') => {
                                self.i += 1;
                                break;
                            }
                            _ => return self.err(format!("expected `,` or `]` in a list, found {}", self.found())),
                        }
                    }
                }
                Json::Arr(items)
            }
            Some(b'"') => Json::Str(self.string()?),
            Some(b't') => self.word("true", Json::Bool(true))?,
            Some(b'f') => self.word("false", Json::Bool(false))?,
            Some(b'n') => self.word("null", Json::Null)?,
            Some(b'-' | b'0'..=b'9') => Json::Num(self.number()?),
            _ => return self.err(format!("expected a value, found {}", self.found())),
        };
        Ok(Node { value, line })
    }

    fn word(&mut self, w: &str, v: Json) -> Res<Json> {
        if self.s[self.i..].starts_with(w.as_bytes()) {
            self.i += w.len();
            Ok(v)
        } else {
            self.err(format!("expected a value, found {}", self.found()))
        }
    }

    fn number(&mut self) -> Res<f64> {
        let start = self.i;
        let digits = |p: &mut Self| {
            let from = p.i;
            while p.s.get(p.i).is_some_and(u8::is_ascii_digit) {
                p.i += 1;
            }
            p.i - from
        };
        if self.s.get(self.i) == Some(&b'-') {
            self.i += 1;
        }
        let int_start = self.i;
        let n = digits(self);
        if n == 0 || (n > 1 && self.s[int_start] == b'0') {
            return self.err("malformed number");
        }
        if self.s.get(self.i) == Some(&b'.') {
            self.i += 1;
            if digits(self) == 0 {
                return self.err("malformed number: digits must follow the decimal point");
            }
        }
        if matches!(self.s.get(self.i), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.s.get(self.i), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if digits(self) == 0 {
                return self.err("malformed number: digits must follow the exponent");
            }
        }
        let text = std::str::from_utf8(&self.s[start..self.i]).expect("ASCII");
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(v),
            _ => self.err(format!("number `{text}` is out of range")),
        }
    }

    fn hex4(&mut self) -> Res<u32> {
        let h = self.s.get(self.i..self.i + 4).and_then(|h| std::str::from_utf8(h).ok());
        match h.and_then(|h| u32::from_str_radix(h, 16).ok()) {
            Some(v) if h.is_some_and(|h| h.bytes().all(|b| b.is_ascii_hexdigit())) => {
                self.i += 4;
                Ok(v)
            }
            _ => self.err("malformed `\\u` escape: four hex digits must follow"),
        }
    }

    /// A string; `self.i` is at the opening quote.
    fn string(&mut self) -> Res<String> {
        self.i += 1;
        let mut out: Vec<u8> = Vec::new();
        loop {
            let Some(&b) = self.s.get(self.i) else {
                return self.err("text that starts on this line is never closed with `\"`");
            };
            self.i += 1;
            match b {
                b'"' => break,
                b'\\' => {
                    let Some(&e) = self.s.get(self.i) else { return self.err("unfinished escape") };
                    self.i += 1;
                    let c = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi) {
                                if self.s.get(self.i..self.i + 2) != Some(b"\\u") {
                                    return self.err("a `\\u` escape names half of a character");
                                }
                                self.i += 2;
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return self.err("a `\\u` escape names half of a character");
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                hi
                            };
                            match char::from_u32(code) {
                                Some(c) => c,
                                None => return self.err("a `\\u` escape names half of a character"),
                            }
                        }
                        _ => return self.err(format!("unknown escape `\\{}`", e as char)),
                    };
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                0..=0x1f => {
                    return self.err("text is not closed before the end of the line (write a line break as `\\n`)")
                }
                b => out.push(b),
            }
        }
        Ok(String::from_utf8(out).expect("built from valid UTF-8 and whole escapes"))
    }
}

/// Parse JSON text; on error, the line and what is wrong.
pub fn parse(text: &str) -> Result<Node, (usize, String)> {
    let mut p = Parser { s: text.as_bytes(), i: 0, line: 1 };
    let v = p.value(0)?;
    p.ws();
    if p.i < p.s.len() {
        return p.err(format!("unexpected {} after the data", p.found()));
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Compare with serde_json, ignoring lines.
    fn same_as_serde(n: &Node, v: &serde_json::Value) -> bool {
        match (&n.value, v) {
            (Json::Null, serde_json::Value::Null) => true,
            (Json::Bool(a), serde_json::Value::Bool(b)) => a == b,
            (Json::Num(a), serde_json::Value::Number(b)) => Some(*a) == b.as_f64(),
            (Json::Str(a), serde_json::Value::String(b)) => a == b,
            (Json::Arr(a), serde_json::Value::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_as_serde(x, y))
            }
            (Json::Obj(a), serde_json::Value::Object(b)) => {
                a.len() == b.len() && a.iter().all(|(k, x)| b.get(k).is_some_and(|y| same_as_serde(x, y)))
            }
            _ => false,
        }
    }

    #[test]
    fn agrees_with_serde_json() {
        for doc in [
            r#"{"a": [1, -2.5, 3e2, 0, -0.0, 1E-2], "b": {"c": null, "d": true, "e": false}, "s": "x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"}"#,
            "[]",
            "{}",
            " \n [ [ ] , { } ] \n",
            "\"caf\u{e9}\"",
            "123",
        ] {
            let mine = parse(doc).unwrap_or_else(|e| panic!("{doc}: {e:?}"));
            let theirs: serde_json::Value = serde_json::from_str(doc).unwrap();
            assert!(same_as_serde(&mine, &theirs), "{doc}");
        }
    }

    #[test]
    fn remembers_lines() {
        let n = parse("{\n  \"a\":\n    [1,\n     2],\n  \"b\": \"x\"\n}").unwrap();
        assert_eq!(n.line, 1);
        let a = n.get("a").unwrap();
        assert_eq!(a.line, 3);
        assert_eq!(a.as_array().unwrap()[1].line, 4);
        assert_eq!(n.get("b").unwrap().line, 5);
        assert_eq!(n.get("b").unwrap().as_str(), Some("x"));
    }

    #[test]
    fn refuses_what_serde_json_refuses() {
        for (doc, line) in [
            ("{\"a\": 1,}", 1),
            ("[1, 2", 1),
            ("{\n\"a\" 1}", 2),
            ("[01]", 1),
            ("[1.]", 1),
            ("[.5]", 1),
            ("[+1]", 1),
            ("\"a\nb\"", 1),
            ("[\"\\x\"]", 1),
            ("[\"\\ud800\"]", 1),
            ("[1]\n[2]", 2),
            ("nul", 1),
            ("[NaN]", 1),
            ("[1e999]", 1),
            ("", 1),
            ("{'a': 1}", 1),
        ] {
            let e = parse(doc).expect_err(doc);
            assert_eq!(e.0, line, "{doc}: {e:?}");
            assert!(serde_json::from_str::<serde_json::Value>(doc).is_err() || doc == "[1e999]", "{doc}");
        }
    }

    #[test]
    fn deep_nesting_is_refused_not_a_crash() {
        let doc = "[".repeat(10_000);
        assert!(parse(&doc).unwrap_err().1.contains("nested too deeply"));
    }
}
