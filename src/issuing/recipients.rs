//! The recipients file of `brief copies`: who gets a numbered copy. CSV
//! with a header row, or YAML (`recipients:` then a list). Every field is
//! checked, and a problem names the file and line: names come from a file
//! and end up on every page, so nothing is guessed or passed through.

use crate::date::Date;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::suggest::did_you_mean;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// One person given a copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipient {
    pub name: String,
    pub organisation: String,
    pub role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Destroy the copy by this date (YYYY-MM-DD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retain_until: Option<String>,
}

const FIELDS: [&str; 6] = ["name", "organisation", "role", "email", "location", "retain_until"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct YamlFile {
    recipients: Vec<YamlRecipient>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct YamlRecipient {
    name: Option<String>,
    organisation: Option<String>,
    role: Option<String>,
    email: Option<String>,
    location: Option<String>,
    retain_until: Option<String>,
}

/// Read and check a recipients file (`.csv`, or `.yaml`/`.yml`).
pub fn read(path: &Path) -> Result<Vec<Recipient>, Diagnostics> {
    let one = |m: String, h: &str| Diagnostics(vec![Diagnostic::error(path, 0, m, h)]);
    let text = std::fs::read_to_string(path)
        .map_err(|e| one(format!("cannot read the recipients file: {e}"), "give a CSV or YAML file of recipients"))?;
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    let mut d = Diagnostics::default();
    let rows = match ext.as_str() {
        "csv" => from_csv(path, &text, &mut d)?,
        "yaml" | "yml" => from_yaml(path, &text)?,
        _ => {
            return Err(one(
                "the recipients file must end in .csv, .yaml or .yml".into(),
                "columns: name, organisation, role, email or location, retain_until (optional)",
            ))
        }
    };
    let out: Vec<Recipient> = rows.into_iter().filter_map(|(line, r)| check(path, line, r, &mut d)).collect();
    if out.is_empty() && !d.has_errors() {
        d.push(Diagnostic::error(
            path,
            0,
            "the recipients file lists nobody",
            "add one row (CSV) or item (YAML) per recipient",
        ));
    }
    if d.has_errors() {
        Err(d.sorted())
    } else {
        Ok(out)
    }
}

fn from_yaml(path: &Path, text: &str) -> Result<Vec<(usize, Recipient)>, Diagnostics> {
    let file: YamlFile = crate::yaml::parse(text, path, 1)?;
    let pos = crate::yamlpos::YamlText::new(text, 1);
    Ok(file
        .recipients
        .into_iter()
        .enumerate()
        .map(|(n, r)| {
            let rec = Recipient {
                name: r.name.unwrap_or_default(),
                organisation: r.organisation.unwrap_or_default(),
                role: r.role.unwrap_or_default(),
                email: r.email,
                location: r.location,
                retain_until: r.retain_until,
            };
            (pos.item("recipients", n, None), rec)
        })
        .collect())
}

/// One CSV record per line; fields may be quoted (`"a, b"`, `""` for a quote). No line breaks inside a field.
fn csv_fields(line: &str) -> Option<Vec<String>> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        let f = fields.last_mut()?;
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                f.push('"');
            }
            '"' if quoted => quoted = false,
            '"' if f.trim().is_empty() => {
                f.clear();
                quoted = true;
            }
            ',' if !quoted => fields.push(String::new()),
            c => f.push(c),
        }
    }
    (!quoted).then(|| fields.into_iter().map(|f| f.trim().to_string()).collect())
}

/// The rows of a CSV file; a row of the wrong shape is an error in `bad`.
fn from_csv(path: &Path, text: &str, bad: &mut Diagnostics) -> Result<Vec<(usize, Recipient)>, Diagnostics> {
    let mut d = Diagnostics::default();
    let mut lines =
        text.lines().enumerate().map(|(i, l)| (i + 1, l)).filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'));
    let Some((hline, header)) = lines.next() else { return Ok(Vec::new()) };
    let columns: Vec<String> =
        csv_fields(header.trim_start_matches('\u{feff}')).unwrap_or_default().iter().map(|c| column(c)).collect();
    for c in &columns {
        if !FIELDS.contains(&c.as_str()) {
            d.push(Diagnostic::error(
                path,
                hline,
                format!("unknown column `{c}`"),
                format!("{}the columns are {}", did_you_mean(c, FIELDS), FIELDS.join(", ")),
            ));
        }
    }
    for need in ["name", "organisation", "role"] {
        if !columns.iter().any(|c| c == need) {
            d.push(Diagnostic::error(
                path,
                hline,
                format!("no `{need}` column"),
                format!("the first line names the columns: {}", FIELDS.join(", ")),
            ));
        }
    }
    if d.has_errors() {
        return Err(d);
    }
    let mut out = Vec::new();
    for (n, line) in lines {
        match csv_fields(line).filter(|f| f.len() == columns.len()) {
            Some(f) => out.push((n, record(&columns, &f))),
            None => bad.push(Diagnostic::error(
                path,
                n,
                format!("this row does not have the header's {} fields", columns.len()),
                "quote a field holding a comma: \"Northshire Council, Legal\"",
            )),
        }
    }
    Ok(out)
}

/// A column name as written → the field it is (`Organization`, `Retention date` …).
fn column(c: &str) -> String {
    let c = c.trim().to_ascii_lowercase().replace([' ', '-'], "_");
    match c.as_str() {
        "organization" | "org" => "organisation".into(),
        "retention" | "retention_date" | "destroy_by" | "retain_until_date" => "retain_until".into(),
        _ => c,
    }
}

fn record(columns: &[String], f: &[String]) -> Recipient {
    let get = |k: &str| columns.iter().position(|c| c == k).map(|i| f[i].clone()).filter(|v| !v.is_empty());
    Recipient {
        name: get("name").unwrap_or_default(),
        organisation: get("organisation").unwrap_or_default(),
        role: get("role").unwrap_or_default(),
        email: get("email"),
        location: get("location"),
        retain_until: get("retain_until"),
    }
}

/// The recipient if every field is sound; else errors at `line`.
fn check(path: &Path, line: usize, r: Recipient, d: &mut Diagnostics) -> Option<Recipient> {
    let before = d.0.len();
    let mut err = |m: String, h: &str| d.push(Diagnostic::error(path, line, m, h));
    for (field, v) in [("name", &r.name), ("organisation", &r.organisation), ("role", &r.role)] {
        if v.trim().is_empty() {
            err(format!("`{field}` is empty"), "every recipient needs a name, an organisation and a role");
        }
    }
    let all = [Some(&r.name), Some(&r.organisation), Some(&r.role), r.email.as_ref(), r.location.as_ref()];
    for v in all.into_iter().flatten() {
        // A copy mark names its holder: characters drawn as nothing, or
        // that turn text around, would let two marks look alike or a
        // mark read as another.
        let hidden =
            |c: char| c.is_control() || crate::withhold::residue::invisible(c) || matches!(c, '\u{2028}' | '\u{2029}');
        if v.chars().any(hidden) || v.chars().count() > 200 {
            err(
                format!("`{}` holds a control or invisible character (a direction mark, a zero-width space) or is longer than 200 characters", v.escape_debug()),
                "write each field on one line, in plain text",
            );
        }
    }
    // Copy marks are shown on every page as written: a note or restriction
    // syntax in one is published, unread.
    let fields = [
        ("name", Some(&r.name)),
        ("organisation", Some(&r.organisation)),
        ("role", Some(&r.role)),
        ("email", r.email.as_ref()),
        ("location", r.location.as_ref()),
        ("retain_until", r.retain_until.as_ref()),
    ];
    for (field, v) in fields.into_iter().filter_map(|(f, v)| Some((f, v?))) {
        if let Some(e) = crate::withhold::residue::refuse_string(v, field, path, line) {
            d.push(e);
        }
    }
    let mut err = |m: String, h: &str| d.push(Diagnostic::error(path, line, m, h));
    if r.email.is_none() && r.location.is_none() {
        err(
            "no `email` or `location`".into(),
            "say where the copy goes: an email address, or a location (an office, a file share)",
        );
    }
    if let Some(e) = &r.email {
        let ok = e
            .split_once('@')
            .is_some_and(|(a, b)| !a.is_empty() && b.contains('.') && !e.contains(char::is_whitespace));
        if !ok {
            err(
                format!("`{e}` is not an email address"),
                "write it as name@example.gov.uk, or give a `location` instead",
            );
        }
    }
    if let Some(t) = &r.retain_until {
        if Date::parse(t).is_none() {
            err(format!("`{t}` is not a date"), "write the retention date as YYYY-MM-DD, e.g. 2027-09-30");
        }
    }
    (d.0.len() == before).then_some(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(name: &str, text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        (dir, p)
    }

    #[test]
    fn reads_csv_and_yaml_alike() {
        let (_a, csv) = write(
            "r.csv",
            "Name,Organization,Role,Email,Retention\n\"Smith, Jo\",Council,Member,jo@c.gov.uk,2027-01-31\n",
        );
        let (_b, yaml) = write("r.yaml", "recipients:\n  - name: \"Smith, Jo\"\n    organisation: Council\n    role: Member\n    email: jo@c.gov.uk\n    retain_until: 2027-01-31\n");
        let a = read(&csv).unwrap();
        assert_eq!(a, read(&yaml).unwrap());
        assert_eq!(a[0].name, "Smith, Jo");
        assert_eq!(a[0].retain_until.as_deref(), Some("2027-01-31"));
    }

    #[test]
    fn a_name_with_a_direction_mark_or_zero_width_space_is_refused() {
        for bad in ["A\u{202E}dcba", "A\u{200B}B", "A\u{2066}B"] {
            let (_a, csv) = write("r.csv", &format!("name,organisation,role,email\n{bad},B,C,a@b.c\n"));
            let e = read(&csv).unwrap_err();
            assert!(e.0[0].message.contains("invisible character") && e.0[0].line == 2, "{e:?}");
        }
    }

    #[test]
    fn a_note_or_restriction_syntax_in_a_recipient_is_refused() {
        for field in ["Cllr <!-- zqc -->", "Org [zqs]{audience=\"\"partnership\"\"}"] {
            let (_d, p) =
                write("r.csv", &format!("name,organisation,role,email\n\"{field}\",Org,Member,a@b.example\n"));
            let e = read(&p).unwrap_err();
            assert!(e.0.iter().any(|d| d.line == 2 && d.message.contains("`name` holds")), "{field}: {e:?}");
        }
    }

    #[test]
    fn names_the_line_of_each_problem() {
        let (_a, csv) = write("r.csv", "name,organisation,role,emial\nA,B,C,a@b.c\n");
        let e = read(&csv).unwrap_err();
        assert!(e.0[0].message.contains("emial") && e.0[0].help.contains("did you mean `email`"), "{e:?}");
        let (_b, csv) = write("r.csv", "name,organisation,role,email\nA,B,C,a@b.c\n,B,C,x\nD,E,F\n");
        let e = read(&csv).unwrap_err();
        let lines: Vec<usize> = e.0.iter().map(|d| d.line).collect();
        assert_eq!(lines, [3, 3, 4], "{e:?}");
        let (_c, yaml) = write("r.yml", "recipients:\n  - name: A\n    organisation: B\n    role: C\n  - name: D\n    organisation: E\n    role: F\n    location: Room 1\n");
        let e = read(&yaml).unwrap_err();
        assert_eq!(e.0.len(), 1);
        assert_eq!(e.0[0].line, 2);
    }
}
