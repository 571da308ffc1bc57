//! The profile configuration, `brief.yaml`: who owns the profile, its dates,
//! the ceiling, and the editions (audiences) it is published to, with the
//! rule that wider editions need an approval record.

use crate::date::Date;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::marking::{Marking, DEFAULT_HANDLING};
use crate::yaml::UniqueMap;
use crate::yamlpos::YamlText;
use indexmap::IndexMap;
use serde::Deserialize;
use std::path::{Path, PathBuf};

pub const CONFIG_FILE: &str = "brief.yaml";

/// The threat areas of the guide, §3.4: id and display name.
pub const GUIDE_THREATS: [(&str, &str); 10] = [
    ("drugs", "Drugs"),
    ("people-trafficking", "People trafficking"),
    ("firearms", "Firearms"),
    ("illegal-immigration", "Organised illegal immigration"),
    ("modern-slavery", "Modern slavery"),
    ("fraud", "Fraud and financial crime"),
    ("counterfeit-goods", "Counterfeit goods"),
    ("acquisitive-crime", "Organised acquisitive crime"),
    ("cyber-crime", "Cyber crime"),
    ("cse", "Child sexual exploitation"),
];

#[derive(Debug, Clone, serde::Serialize)]
pub struct Owner {
    pub name: String,
    pub role: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Approval {
    pub by: String,
    pub on: Date,
    pub rationale: String,
}

/// An audience the profile is published to; one self-contained site each.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Edition {
    pub id: String,
    pub name: String,
    /// The highest marking this edition may carry.
    pub classification: Marking,
    pub show_withheld: bool,
    pub approval: Option<Approval>,
    /// The first edition: the local partnership, which needs no approval.
    pub base: bool,
    /// Line of its id in brief.yaml, for messages.
    pub line: usize,
    /// Language of the edition's pages (BCP 47), when not the profile's.
    pub lang: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Threat {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Profile {
    #[serde(skip)]
    pub root: PathBuf,
    pub title: String,
    pub area: String,
    pub owner: Owner,
    pub produced: Date,
    pub review_by: Date,
    pub feedback: Option<String>,
    pub ceiling: Marking,
    pub theme: String,
    pub editions: Vec<Edition>,
    pub threats: Vec<Threat>,
    pub handling: Vec<String>,
    pub accessibility: Accessibility,
    /// Default language of every page (BCP 47).
    pub lang: String,
    /// Globs under content/ that are neither sections nor files.
    pub ignore: Vec<String>,
    /// A section not updated for longer than this is flagged as stale.
    pub review_cycle_months: u32,
}

/// The review cycle of a section when brief.yaml does not set one: the
/// profile's own (guide 4.39: produced again within 12 months).
pub const DEFAULT_REVIEW_CYCLE_MONTHS: u32 = 12;

/// Filled into the accessibility statement page.
#[derive(Debug, Clone, Default, serde::Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Accessibility {
    pub contact: Option<String>,
    pub known_issues: Option<Vec<String>>,
    pub last_reviewed: Option<String>,
}

impl Profile {
    pub fn edition(&self, id: &str) -> Option<&Edition> {
        self.editions.iter().find(|e| e.id == id)
    }
    pub fn threat_name(&self, id: &str) -> Option<&str> {
        self.threats.iter().find(|t| t.id == id).map(|t| t.name.as_str())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOwner {
    name: Option<String>,
    role: Option<String>,
    email: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawApproval {
    by: Option<String>,
    on: Option<String>,
    rationale: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEdition {
    name: Option<String>,
    classification: Option<String>,
    show_withheld: Option<bool>,
    approval: Option<RawApproval>,
    lang: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    title: Option<String>,
    area: Option<String>,
    owner: Option<RawOwner>,
    produced: Option<String>,
    review_by: Option<String>,
    feedback: Option<String>,
    ceiling: Option<String>,
    theme: Option<String>,
    editions: Option<UniqueMap<RawEdition>>,
    threats: Option<UniqueMap<String>>,
    handling: Option<Vec<String>>,
    accessibility: Option<Accessibility>,
    lang: Option<String>,
    ignore: Option<Vec<String>>,
    review_cycle_months: Option<i64>,
}

pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

/// A BCP 47 language tag as pages need it: `en-GB`, `cy`, `cy-GB`.
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Parse a marking field, pushing a diagnostic on failure.
pub fn marking_at(text: &str, file: &Path, line: usize, diags: &mut Diagnostics) -> Option<Marking> {
    match Marking::parse(text) {
        Ok(m) => Some(m),
        Err(e) => {
            diags.push(Diagnostic::error(file, line, e.message, e.help));
            None
        }
    }
}

pub fn date_at(text: &str, what: &str, file: &Path, line: usize, diags: &mut Diagnostics) -> Option<Date> {
    let d = Date::parse(text);
    if d.is_none() {
        let hint = Date::suggest(text).map(|d| format!("did you mean {d}? ")).unwrap_or_default();
        diags.push(Diagnostic::error(
            file,
            line,
            format!("`{what}` is not a valid date: `{text}`"),
            format!("{hint}write dates as YYYY-MM-DD, e.g. 2026-10-01"),
        ));
    }
    d
}

/// Text as authors' editors save it: without a byte-order mark, with LF line
/// endings (CRLF and lone CR become LF, so lines count the same everywhere).
pub fn normalise_text(text: &str) -> String {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    if !text.contains('\r') {
        return text.to_string();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// A link a page may carry from brief.yaml: `https:`, `http:` or `mailto:` only.
fn check_url(value: &str, key: &str, file: &Path, line: usize, d: &mut Diagnostics) {
    let v = value.trim();
    let scheme = v.split(':').next().unwrap_or("").to_ascii_lowercase();
    // `https:` without `//` is a path on the intranet's own server to a
    // browser, which could name another edition's page.
    let ok = matches!(scheme.as_str(), "https" | "http" | "mailto")
        && crate::links::is_web(v)
        && !v.starts_with("//")
        && !v.contains(char::is_whitespace);
    if !ok {
        d.push(Diagnostic::error(
            file,
            line,
            format!("`{key}` is not a web or mail address: `{v}`"),
            "write an address starting `https://`, `http://` or `mailto:` (pages link to it, so nothing else is allowed)",
        ));
    }
}

fn check_email(value: &str, key: &str, file: &Path, line: usize, d: &mut Diagnostics) {
    let v = value.trim();
    let ok = v.split_once('@').is_some_and(|(a, b)| !a.is_empty() && b.contains('.'))
        && !v.contains(|c: char| c.is_whitespace() || "<>\"':;,()".contains(c));
    if !ok {
        d.push(Diagnostic::error(
            file,
            line,
            format!("`{key}` is not an email address: `{v}`"),
            "write a plain address such as `soc-profile@force.police.example`",
        ));
    }
}

fn required(v: Option<String>, key: &str, line: usize, help: &str, d: &mut Diagnostics) -> String {
    match v {
        Some(s) if !s.trim().is_empty() => s,
        _ => {
            d.push(Diagnostic::error(CONFIG_FILE, line, format!("`{key}` is missing"), help));
            String::new()
        }
    }
}

fn date_key(v: Option<String>, key: &str, y: &YamlText, d: &mut Diagnostics) -> Option<Date> {
    let line = y.key(&[key]);
    match v {
        Some(s) => date_at(&s, key, Path::new(CONFIG_FILE), line, d),
        None => {
            d.push(Diagnostic::error(
                CONFIG_FILE,
                line,
                format!("`{key}` is missing"),
                format!("add `{key}: YYYY-MM-DD`"),
            ));
            None
        }
    }
}

fn owner(raw: Option<RawOwner>, y: &YamlText, d: &mut Diagnostics) -> Owner {
    let Some(o) = raw else {
        d.push(Diagnostic::error(
            CONFIG_FILE,
            1,
            "`owner` is missing",
            "add `owner: {name: \"…\", role: \"…\", email: \"…\"}`",
        ));
        return Owner { name: String::new(), role: None, email: None };
    };
    if let Some(e) = &o.email {
        check_email(e, "owner.email", Path::new(CONFIG_FILE), y.key(&["owner", "email"]), d);
    }
    Owner {
        name: required(o.name, "owner.name", y.key(&["owner"]), "give the owner a `name`", d),
        role: o.role,
        email: o.email,
    }
}

fn threats(raw: Option<IndexMap<String, String>>, y: &YamlText, d: &mut Diagnostics) -> Vec<Threat> {
    let mut threats: Vec<Threat> =
        GUIDE_THREATS.iter().map(|(id, name)| Threat { id: id.to_string(), name: name.to_string() }).collect();
    for (id, name) in raw.unwrap_or_default() {
        let line = y.key(&["threats", &id]);
        if !is_valid_id(&id) {
            d.push(Diagnostic::error(
                CONFIG_FILE,
                line,
                format!("threat id `{id}` is not a valid id"),
                "use lower-case letters, digits and hyphens, e.g. `knife-crime: \"Knife crime\"`",
            ));
        } else if threats.iter().any(|t| t.id == id) {
            d.push(Diagnostic::error(
                CONFIG_FILE,
                line,
                format!("threat `{id}` is already defined"),
                "the guide's threat areas are built in; give yours another id",
            ));
        } else {
            threats.push(Threat { id, name });
        }
    }
    threats
}

fn handling(raw: Option<Vec<String>>, y: &YamlText, d: &mut Diagnostics) -> Vec<String> {
    let Some(list) = raw else { return DEFAULT_HANDLING.iter().map(|s| s.to_string()).collect() };
    for h in &list {
        if h.trim() != h || h.to_uppercase() != *h || h.is_empty() {
            d.push(Diagnostic::error(
                CONFIG_FILE,
                y.key(&["handling"]),
                format!("handling caveat `{h}` must be written in capitals"),
                format!("write `{}`", h.trim().to_uppercase()),
            ));
        }
    }
    list
}

fn approval(raw: Option<RawApproval>, id: &str, line: usize, d: &mut Diagnostics) -> Option<Approval> {
    let a = raw?;
    let file = Path::new(CONFIG_FILE);
    let missing = |v: Option<String>, k: &str, d: &mut Diagnostics| {
        v.filter(|s| !s.trim().is_empty()).or_else(|| {
            d.push(Diagnostic::error(
                file,
                line,
                format!("approval of `{id}` has no `{k}`"),
                "an approval records `by`, `on` (date) and `rationale` (guide 4.46)",
            ));
            None
        })
    };
    let by = missing(a.by, "by", d);
    let rationale = missing(a.rationale, "rationale", d);
    let on = missing(a.on, "on", d).and_then(|s| date_at(&s, "approval.on", file, line, d));
    Some(Approval { by: by?, on: on?, rationale: rationale? })
}

fn edition(
    i: usize,
    id: String,
    e: RawEdition,
    ceiling: Option<Marking>,
    y: &YamlText,
    d: &mut Diagnostics,
) -> Option<Edition> {
    let file = Path::new(CONFIG_FILE);
    let line = y.key(&["editions", &id]);
    let at = |k: &str| y.key(&["editions", &id, k]);
    if !is_valid_id(&id) || id == "all" {
        d.push(Diagnostic::error(
            file,
            line,
            format!("edition id `{id}` is not allowed"),
            "use lower-case letters, digits and hyphens (it names a folder in public/); `all` is reserved",
        ));
    }
    let name = required(e.name, &format!("editions.{id}.name"), line, "add `name: \"…\"`, shown to its readers", d);
    let classification = match e.classification {
        Some(c) => marking_at(&c, file, at("classification"), d),
        None => {
            d.push(Diagnostic::error(
                file,
                line,
                format!("edition `{id}` has no `classification`"),
                "add `classification: OFFICIAL` (the highest marking it may carry); nothing is assumed",
            ));
            None
        }
    };
    if let (Some(c), Some(ceil)) = (classification, ceiling) {
        if c > ceil {
            d.push(Diagnostic::error(
                file,
                at("classification"),
                format!("edition `{id}` is {c}, above the ceiling {ceil}"),
                "an edition cannot carry more than this system may hold; lower its classification",
            ));
        }
    }
    if let Some(l) = e.lang.as_deref().filter(|l| !is_language_tag(l)) {
        d.push(Diagnostic::error(
            file,
            at("lang"),
            format!("`{l}` is not a language tag"),
            "write a BCP 47 tag such as `en-GB` or `cy` (Welsh)",
        ));
    }
    let approval = approval(e.approval, &id, at("approval"), d);
    Some(Edition {
        line,
        id,
        name,
        classification: classification?,
        show_withheld: e.show_withheld.unwrap_or(false),
        approval,
        base: i == 0,
        lang: e.lang,
    })
}

fn editions(
    raw: Option<IndexMap<String, RawEdition>>,
    ceiling: Option<Marking>,
    y: &YamlText,
    d: &mut Diagnostics,
) -> Vec<Edition> {
    match raw {
        None => {
            d.push(Diagnostic::error(
                CONFIG_FILE,
                1,
                "`editions` is missing",
                "list at least one edition (audience); the first is the local partnership",
            ));
            Vec::new()
        }
        Some(map) if map.is_empty() => {
            d.push(Diagnostic::error(
                CONFIG_FILE,
                y.key(&["editions"]),
                "`editions` is empty",
                "list at least one edition",
            ));
            Vec::new()
        }
        Some(map) => map.into_iter().enumerate().filter_map(|(i, (id, e))| edition(i, id, e, ceiling, y, d)).collect(),
    }
}

/// Editions beyond the partnership need an approval record (guide 4.46), unless drafting.
pub fn check_approvals(editions: &[Edition], draft: bool) -> Diagnostics {
    let mut d = Diagnostics::default();
    if draft {
        return d;
    }
    for e in editions.iter().filter(|e| !e.base && e.approval.is_none()) {
        d.push(Diagnostic::error(
            CONFIG_FILE,
            e.line,
            format!("edition `{}` shares the profile beyond the partnership but has no approval record", e.id),
            "add `approval: {by: \"…\", on: YYYY-MM-DD, rationale: \"…\"}` once the partnership has approved it (guide 4.46), or build with --draft",
        ));
    }
    d
}

/// Read and validate `brief.yaml` in `root`. All problems are collected.
pub fn load(root: &Path) -> Result<Profile, Diagnostics> {
    let file = Path::new(CONFIG_FILE);
    let text = match std::fs::read(root.join(CONFIG_FILE)) {
        Ok(b) => match String::from_utf8(b) {
            Ok(t) => normalise_text(&t),
            Err(_) => return Err(Diagnostics(vec![Diagnostic::error(file, 0, "brief.yaml is not UTF-8 text", "save it as UTF-8")])),
        },
        Err(e) => {
            return Err(Diagnostics(vec![Diagnostic::error(
                file,
                0,
                format!("cannot read the profile configuration: {e}"),
                "run brief inside the profile's folder (the one holding brief.yaml and content/) or a folder below it, or pass --root DIR; `brief new DIR` makes a starter profile",
            )]))
        }
    };
    parse(root, &text)
}

/// Validate the text of `brief.yaml`.
pub fn parse(root: &Path, text: &str) -> Result<Profile, Diagnostics> {
    let file = Path::new(CONFIG_FILE);
    let raw: RawProfile = crate::yaml::parse(text, file, 1)?;
    let y = YamlText::new(text, 1);
    let mut d = Diagnostics::default();
    let title = required(raw.title, "title", y.key(&["title"]), "add `title: \"…\"`, the profile's title", &mut d);
    let area = required(raw.area, "area", y.key(&["area"]), "add `area: \"…\"`, the area the profile covers", &mut d);
    let owner = owner(raw.owner, &y, &mut d);
    let produced = date_key(raw.produced, "produced", &y, &mut d);
    let review_by = date_key(raw.review_by, "review_by", &y, &mut d);
    let ceiling = match raw.ceiling {
        Some(c) => marking_at(&c, file, y.key(&["ceiling"]), &mut d),
        None => {
            d.push(Diagnostic::error(
                file,
                1,
                "`ceiling` is missing",
                "add `ceiling: OFFICIAL-SENSITIVE` (the highest marking this system may hold); nothing is assumed",
            ));
            None
        }
    };
    if let Some(f) = &raw.feedback {
        check_url(f, "feedback", file, y.key(&["feedback"]), &mut d);
    }
    if let Some(c) = raw.accessibility.as_ref().and_then(|a| a.contact.as_deref()) {
        let line = y.key(&["accessibility", "contact"]);
        if c.contains(':') {
            check_url(c, "accessibility.contact", file, line, &mut d)
        } else {
            check_email(c, "accessibility.contact", file, line, &mut d)
        }
    }
    let lang = raw.lang.unwrap_or_else(|| "en-GB".into());
    if !is_language_tag(&lang) {
        d.push(Diagnostic::error(
            file,
            y.key(&["lang"]),
            format!("`{lang}` is not a language tag"),
            "write a BCP 47 tag such as `en-GB` or `cy` (Welsh)",
        ));
    }
    let review_cycle_months = match raw.review_cycle_months {
        None => DEFAULT_REVIEW_CYCLE_MONTHS,
        Some(n) if (1..=12).contains(&n) => n as u32,
        Some(n) => {
            d.push(Diagnostic::error(
                file,
                y.key(&["review_cycle_months"]),
                format!("`review_cycle_months` must be from 1 to 12, not {n}"),
                "say how many months a section may go without an update before it is flagged; the whole profile is produced again within 12 (guide 4.39)",
            ));
            DEFAULT_REVIEW_CYCLE_MONTHS
        }
    };
    // Every text here is published as written, on every page of every edition.
    for (key, line, value) in crate::yaml::strings(text, 1) {
        if key.starts_with("ignore") {
            continue; // globs, never published
        }
        if crate::withhold::residue::holds_comment(&value) {
            d.push(Diagnostic::error(
                file,
                line,
                format!("`{key}` holds an HTML comment (`<!--`), which brief.yaml does not hide"),
                format!("`{key}` is shown as written, comment and all: take the note out of it"),
            ));
        } else if crate::withhold::residue::looks_restricted(&value) {
            d.push(Diagnostic::error(
                file,
                line,
                format!("`{key}` holds restriction syntax, which is not read in brief.yaml"),
                format!("`{key}` is shown as written on the pages of every edition it appears in: restriction syntax works only in a section's body; reword it"),
            ));
        }
    }
    let threats = threats(raw.threats.map(|m| m.0), &y, &mut d);
    let handling = handling(raw.handling, &y, &mut d);
    let editions = editions(raw.editions.map(|m| m.0), ceiling, &y, &mut d);
    if d.has_errors() {
        return Err(d);
    }
    Ok(Profile {
        root: root.to_path_buf(),
        title,
        area,
        owner,
        produced: produced.expect("checked"),
        review_by: review_by.expect("checked"),
        feedback: raw.feedback,
        ceiling: ceiling.expect("checked"),
        theme: raw.theme.unwrap_or_else(|| "default".into()),
        editions,
        threats,
        handling,
        accessibility: raw.accessibility.unwrap_or_default(),
        lang,
        ignore: raw.ignore.unwrap_or_default(),
        review_cycle_months,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "title: T\narea: A\nowner: {name: O}\nproduced: 2026-10-01\nreview_by: 2027-09-30\nceiling: OFFICIAL-SENSITIVE\neditions:\n  partnership: {name: P, classification: OFFICIAL-SENSITIVE}\n";

    #[test]
    fn reads_a_profile_with_a_byte_order_mark_and_crlf() {
        let text = normalise_text(&format!("\u{FEFF}{}", GOOD.replace('\n', "\r\n")));
        let p = parse(Path::new("."), &text).unwrap();
        assert_eq!(p.editions[0].id, "partnership");
        assert_eq!(p.lang, "en-GB");
    }

    #[test]
    fn an_edition_or_threat_written_twice_is_refused_not_replaced() {
        let twice = format!("{GOOD}  partnership: {{name: Q, classification: OFFICIAL}}\n");
        let e = parse(Path::new("."), &twice).unwrap_err();
        assert!(e.0[0].message.contains("`partnership` is written twice"), "{e:?}");
        let e = parse(Path::new("."), &format!("{GOOD}threats:\n  drugs: Drugs\n  drugs: Other\n")).unwrap_err();
        assert!(e.0[0].message.contains("`drugs` is written twice"), "{e:?}");
    }

    #[test]
    fn an_html_comment_in_brief_yaml_is_refused() {
        let e = parse(Path::new("."), &GOOD.replace("name: P,", "name: \"P <!-- not for them -->\",")).unwrap_err();
        assert!(e.0[0].message.contains("holds an HTML comment"), "{e:?}");
    }

    #[test]
    fn refuses_urls_that_could_run() {
        // Without `//`, a path on the intranet's own server (another edition's page).
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:x",
            "data:text/html,x",
            "/relative",
            "vbscript:x",
            "https:../partnership/sections/ops/x.html",
            "http:/partnership/x.html",
            "HTTPS:\\\\host/x",
            "//host/x",
        ] {
            let e = parse(Path::new("."), &format!("{GOOD}feedback: \"{bad}\"\n")).unwrap_err();
            assert!(e.0.iter().any(|d| d.message.contains("`feedback` is not a web or mail address")), "{bad}: {e:?}");
        }
        assert!(parse(Path::new("."), &format!("{GOOD}feedback: \"mailto:a@b.example\"\n")).is_ok());
        assert!(parse(Path::new("."), &format!("{GOOD}feedback: \"HTTPS://forms.example/x\"\n")).is_ok());
        let e = parse(Path::new("."), &GOOD.replace("{name: O}", "{name: O, email: \"x\\\" onmouseover=\\\"a\"}"))
            .unwrap_err();
        assert!(e.0[0].message.contains("not an email address"), "{e:?}");
    }

    #[test]
    fn restriction_syntax_in_published_text_is_refused() {
        for (bad, line) in [
            ("title: T", "title: \"T [x]{audience=partnership}\""),
            ("area: A", "area: \"A {classification=OFFICIAL}\""),
            ("{name: O}", "{name: \"O [x] {audience=p}\"}"),
            ("{name: P,", "{name: \"P [x]{audience=p}\","),
        ]
        .iter()
        .map(|(a, b)| (GOOD.replace(a, b), GOOD.lines().position(|l| l.contains(a)).unwrap() + 1))
        {
            let e = parse(Path::new("."), &bad).unwrap_err();
            assert!(
                e.0.iter().any(|d| d.message.contains("holds restriction syntax") && d.line == line),
                "{bad}: {e:?}"
            );
        }
    }

    #[test]
    fn language_tags() {
        assert!(is_language_tag("en-GB") && is_language_tag("cy") && is_language_tag("cy-GB"));
        assert!(!is_language_tag("Welsh language") && !is_language_tag("e") && !is_language_tag("en_GB"));
        let e = parse(Path::new("."), &format!("{GOOD}lang: welsh please\n")).unwrap_err();
        assert!(e.0[0].message.contains("not a language tag"), "{e:?}");
    }

    #[test]
    fn review_cycle() {
        assert_eq!(parse(Path::new("."), GOOD).unwrap().review_cycle_months, DEFAULT_REVIEW_CYCLE_MONTHS);
        assert_eq!(parse(Path::new("."), &format!("{GOOD}review_cycle_months: 6\n")).unwrap().review_cycle_months, 6);
        for bad in ["0", "13", "-1"] {
            let e = parse(Path::new("."), &format!("{GOOD}review_cycle_months: {bad}\n")).unwrap_err();
            assert!(e.0[0].message.contains("from 1 to 12") && e.0[0].line == 9, "{bad}: {e:?}");
        }
        let e = parse(Path::new("."), &format!("{GOOD}review_cycle_months: six\n")).unwrap_err();
        assert!(e.0[0].message.contains("whole number"), "{e:?}");
    }

    #[test]
    fn suggests_dates() {
        let e = parse(Path::new("."), &GOOD.replace("2027-09-30", "30/09/2027")).unwrap_err();
        assert!(e.0[0].help.contains("did you mean 2027-09-30"), "{e:?}");
    }
}
