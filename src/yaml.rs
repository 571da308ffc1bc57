//! YAML as authors write it (front matter and `brief.yaml`): parsed into
//! typed values, with errors that name the key, the line and the right form,
//! and no value left empty.

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::suggest::did_you_mean;
use crate::yamlpos::{Seg, YamlText};
use serde::de::DeserializeOwned;
use std::path::Path;

/// Turn a serde_yaml error into a diagnostic at the right line of `file`,
/// saying which key is wrong and what it should look like.
pub fn error(file: &Path, text: &str, first_line: usize, e: &serde_yaml::Error) -> Diagnostic {
    let (line, column) = e.location().map_or((first_line, 0), |l| (first_line + l.line() - 1, l.column()));
    let full = e.to_string();
    let full = full.split(" at line ").next().unwrap_or(&full).to_string();
    // serde_yaml prefixes the key path: "recommendations[0].due: invalid type: …"
    let (path, msg) = match full.split_once(": ") {
        Some((p, m)) if !p.contains(' ') => (Some(p.to_string()), m.to_string()),
        _ => (None, full.clone()),
    };
    let key = path.as_deref().map(|p| p.rsplit('.').next().unwrap_or(p).to_string()).unwrap_or_default();
    let source_line = text.lines().nth(line.saturating_sub(first_line)).unwrap_or("");
    let (message, help) = explain(&msg, &key, path.as_deref(), source_line, column);
    Diagnostic::error(file, line, message, help)
}

fn explain(msg: &str, key: &str, path: Option<&str>, source_line: &str, column: usize) -> (String, String) {
    let value = msg.split('"').nth(1).unwrap_or("…");
    // A nested key is named with its path (`recommendations[0].due`), a top-level one once.
    let at = path.filter(|p| *p != key).map(|p| format!("`{p}`: ")).unwrap_or_default();
    if msg.contains("tab character") || msg.contains("cannot start any token") && source_line.contains('\t') {
        let col = source_line.find('\t').map_or(column, |c| c + 1);
        return (
            format!("a tab in the indentation (column {col})"),
            "YAML is indented with spaces only: replace the tab with spaces".into(),
        );
    }
    if msg.contains("expected a sequence") {
        return (
            format!("{at}`{key}` must be a list"),
            format!("write `{key}: [{value}]` (a list in square brackets, items separated by commas)"),
        );
    }
    if msg.contains("expected a boolean") {
        return (
            format!("{at}`{key}` must be `true` or `false`, not `{value}`"),
            format!("write `{key}: true` or `{key}: false`"),
        );
    }
    if msg.contains("expected f64") || msg.contains("expected f32") {
        return (
            format!("{at}`{key}` must be a number, not `{value}`"),
            format!("write e.g. `{key}: 40` or `{key}: 12.5`, without quotes or units (the unit goes in `unit`)"),
        );
    }
    if msg.contains("expected i64") || msg.contains("expected u") {
        return (format!("{at}`{key}` must be a whole number, not `{value}`"), format!("write e.g. `{key}: 10`"));
    }
    if msg.contains("expected a string") {
        return (
            format!("{at}`{key}` must be text"),
            format!("write `{key}: \"…\"`; put text in quotes when it holds `:`, `[` or `{{`"),
        );
    }
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or("");
        let allowed: Vec<&str> =
            rest.split("expected one of ").nth(1).unwrap_or("").split(", ").map(|s| s.trim_matches('`')).collect();
        return (
            format!("unknown key `{field}`{}", path.map(|p| format!(" in `{p}`")).unwrap_or_default()),
            format!(
                "{}the keys allowed here are: {}",
                did_you_mean(field, allowed.iter().copied()),
                allowed.join(", ")
            ),
        );
    }
    if let Some(rest) = msg.strip_prefix("duplicate key ") {
        let key = rest.trim_matches('"');
        return (
            format!("{at}`{key}` is written twice"),
            "write each key once: remove or rename one of them (the later one would silently replace the first)".into(),
        );
    }
    if msg.contains("mapping values are not allowed") {
        return (
            "a `:` inside a value".into(),
            "put the value in quotes, e.g. `title: \"Drugs: county lines\"`".into(),
        );
    }
    if msg.contains("did not find expected") || msg.contains("while parsing") {
        return (
            format!("the YAML cannot be read here ({msg})"),
            "check the indentation (spaces, aligned under the key above), quotes and brackets on this line".into(),
        );
    }
    (
        format!("{at}{msg}"),
        "check the value's form: lists `[a, b]`, dates `YYYY-MM-DD`, text in quotes if it holds `:`".into(),
    )
}

/// Keys given with no value (`audience:`), as (key path, line).
pub fn empty_values(text: &str, first_line: usize) -> Vec<(String, usize)> {
    let Ok(value) = serde_yaml::from_str::<serde_yaml::Value>(text) else { return Vec::new() };
    let y = YamlText::new(text, first_line);
    let mut out = Vec::new();
    let mut path: Vec<Seg> = Vec::new();
    walk_nulls(&value, &mut path, &y, &mut out);
    out
}

fn walk_nulls(v: &serde_yaml::Value, path: &mut Vec<Seg>, y: &YamlText, out: &mut Vec<(String, usize)>) {
    match v {
        serde_yaml::Value::Null if !path.is_empty() => {
            let name = path
                .iter()
                .map(|s| match s {
                    Seg::Key(k) => format!(".{k}"),
                    Seg::Index(i) => format!("[{i}]"),
                })
                .collect::<String>();
            out.push((name.trim_start_matches('.').to_string(), y.path(path)));
        }
        serde_yaml::Value::Mapping(m) => {
            for (k, v) in m {
                if let Some(k) = k.as_str() {
                    path.push(Seg::Key(k.to_string()));
                    walk_nulls(v, path, y, out);
                    path.pop();
                }
            }
        }
        serde_yaml::Value::Sequence(s) => {
            for (i, v) in s.iter().enumerate() {
                path.push(Seg::Index(i));
                walk_nulls(v, path, y, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Every text value (and text key) in YAML text, as (key path, line, text):
/// for checks on what is published as written.
pub fn strings(text: &str, first_line: usize) -> Vec<(String, usize, String)> {
    let Ok(value) = serde_yaml::from_str::<serde_yaml::Value>(text) else { return Vec::new() };
    let y = YamlText::new(text, first_line);
    let mut out = Vec::new();
    walk_strings(&value, &mut Vec::new(), &y, &mut out);
    out
}

fn walk_strings(v: &serde_yaml::Value, path: &mut Vec<Seg>, y: &YamlText, out: &mut Vec<(String, usize, String)>) {
    let name = |path: &[Seg]| {
        path.iter()
            .map(|s| match s {
                Seg::Key(k) => format!(".{k}"),
                Seg::Index(i) => format!("[{i}]"),
            })
            .collect::<String>()
            .trim_start_matches('.')
            .to_string()
    };
    match v {
        serde_yaml::Value::String(s) => out.push((name(path), y.path(path), s.clone())),
        serde_yaml::Value::Mapping(m) => {
            for (k, v) in m {
                if let Some(k) = k.as_str() {
                    path.push(Seg::Key(k.to_string()));
                    out.push((name(path), y.path(path), k.to_string()));
                    walk_strings(v, path, y, out);
                    path.pop();
                }
            }
        }
        serde_yaml::Value::Sequence(s) => {
            for (i, v) in s.iter().enumerate() {
                path.push(Seg::Index(i));
                walk_strings(v, path, y, out);
                path.pop();
            }
        }
        serde_yaml::Value::Tagged(t) => walk_strings(&t.value, path, y, out),
        _ => {}
    }
}

/// Parse YAML text (which starts at `first_line` of `file`) into `T`:
/// syntax and type errors, and every key left without a value, are errors.
pub fn parse<T: DeserializeOwned>(text: &str, file: &Path, first_line: usize) -> Result<T, Diagnostics> {
    let mut d = Diagnostics::default();
    for (key, line) in empty_values(text, first_line) {
        // `sources[0].cleared_for` → `cleared_for`; `audience[1]` → an item of `audience`.
        let last = key.rsplit('.').next().unwrap_or(&key);
        let name = last.split('[').next().unwrap_or(last);
        let help = if last.ends_with(']') {
            format!(
                "give this item of `{name}` a value, or remove the line; an empty value is an error, never a default"
            )
        } else {
            format!("give `{name}` a value, or remove the line; an empty value is an error, never a default (for a list write e.g. `{name}: [partnership]`)")
        };
        d.push(Diagnostic::error(file, line, format!("`{key}` has no value"), help));
    }
    let parsed = serde_yaml::from_str::<T>(if text.trim().is_empty() { "{}" } else { text });
    match parsed {
        Ok(v) if !d.has_errors() => Ok(v),
        Ok(_) => Err(d),
        Err(e) => {
            let diag = error(file, text, first_line, &e);
            // A null reported as a type error is already reported above.
            if !d.0.iter().any(|x| x.line == diag.line) {
                d.push(diag);
            }
            Err(d)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct F {
        title: Option<String>,
        audience: Option<Vec<String>>,
        draft: Option<bool>,
        sources: Option<Vec<serde_yaml::Value>>,
    }

    fn err(text: &str) -> Diagnostic {
        parse::<F>(text, Path::new("x.md"), 2).unwrap_err().0.remove(0)
    }

    #[test]
    fn says_what_is_wrong_and_the_right_form() {
        let e = err("title: T\naudience: all\n");
        assert_eq!(e.line, 3);
        assert!(e.message.contains("`audience` must be a list") && e.help.contains("audience: [all]"), "{e:?}");
        let e = err("draft: yes\n");
        assert!(e.message.contains("`true` or `false`"), "{e:?}");
        let e = err("title: T\n\taudience: [a]\n");
        assert!(e.message.contains("tab") && e.message.contains("column 1") && e.line == 3, "{e:?}");
        let e = err("audiense: [all]\n");
        assert!(e.message.contains("unknown key `audiense`") && e.help.contains("did you mean `audience`"), "{e:?}");
        let e = err("title: a: b\n");
        assert!(e.help.contains("quotes"), "{e:?}");
    }

    #[test]
    fn empty_values_are_errors() {
        let e = err("title: T\naudience:\n");
        assert!(e.message.contains("`audience` has no value") && e.line == 3, "{e:?}");
        let e =
            &parse::<serde_yaml::Value>("audience:\n  - partnership\n  -\n", Path::new("a.md"), 2).unwrap_err().0[0];
        assert!(e.message.contains("`audience[1]` has no value") && e.line == 4, "{e:?}");
        assert!(e.help.starts_with("give this item of `audience` a value"), "{e:?}");
        let e = err("sources:\n  - {name: X, cleared_for: }\n");
        assert!(e.message.contains("`sources[0].cleared_for` has no value") && e.line == 3, "{e:?}");
        let e = err("sources:\n  - name: X\n    cleared_for:\n");
        assert!(e.message.contains("cleared_for") && e.line == 4, "{e:?}");
    }
}

/// A YAML mapping whose keys all differ. Serde reads a map that repeats a
/// key as holding only the last value written, without a word; a struct's
/// repeated field is already an error, and here a map's repeated key is too.
#[derive(Debug, Default)]
pub struct UniqueMap<V>(pub indexmap::IndexMap<String, V>);

impl<'de, V: serde::Deserialize<'de>> serde::Deserialize<'de> for UniqueMap<V> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit<V>(std::marker::PhantomData<V>);
        impl<'de, V: serde::Deserialize<'de>> serde::de::Visitor<'de> for Visit<V> {
            type Value = UniqueMap<V>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
                let mut out = indexmap::IndexMap::new();
                while let Some((key, value)) = m.next_entry::<String, V>()? {
                    if out.contains_key(&key) {
                        return Err(serde::de::Error::custom(format_args!("duplicate key \"{key}\"")));
                    }
                    out.insert(key, value);
                }
                Ok(UniqueMap(out))
            }
        }
        d.deserialize_map(Visit(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod unique_map_tests {
    use super::UniqueMap;

    #[derive(serde::Deserialize, Debug)]
    struct Doc {
        m: UniqueMap<String>,
    }

    #[test]
    fn a_repeated_key_is_an_error_naming_it_and_its_line() {
        let ok: Doc = super::parse("m:\n  a: x\n  b: y\n", std::path::Path::new("f.yaml"), 1).unwrap();
        assert_eq!(ok.m.0.keys().collect::<Vec<_>>(), ["a", "b"]);
        let e = super::parse::<Doc>("m:\n  a: x\n  b: y\n  a: z\n", std::path::Path::new("f.yaml"), 1).unwrap_err();
        let d = &e.0[0];
        assert!(d.message.contains("`a` is written twice"), "{d:?}");
        assert!(d.line >= 2, "{d:?}");
    }
}
