//! The profile configuration, `brief.yaml`: who owns the profile, its dates,
//! the ceiling, and the editions (audiences) it is published to.

use crate::date::Date;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::marking::{Marking, DEFAULT_HANDLING};
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
}

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
    editions: Option<IndexMap<String, RawEdition>>,
    threats: Option<IndexMap<String, String>>,
    handling: Option<Vec<String>>,
    accessibility: Option<Accessibility>,
}

/// Turn a serde_yaml error into a diagnostic at the right line of `file`.
pub fn yaml_error(file: &Path, first_line: usize, e: &serde_yaml::Error) -> Diagnostic {
    let line = e.location().map_or(first_line, |l| first_line + l.line() - 1);
    let msg = e.to_string();
    // serde_yaml appends " at line N column M"; we give the line ourselves.
    let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
    let help = if msg.contains("unknown field") {
        "remove or correct the key; the allowed keys are listed above and in FORMAT.md"
    } else if msg.contains("invalid type") {
        "check the value's shape: lists are written `[a, b]`, dates `YYYY-MM-DD`, text in quotes if it contains `:`"
    } else {
        "fix the YAML syntax (indentation, quotes, colons)"
    };
    Diagnostic::error(file, line, msg, help)
}

pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-')
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
        diags.push(Diagnostic::error(
            file,
            line,
            format!("`{what}` is not a valid date: `{text}`"),
            "write dates as YYYY-MM-DD, e.g. 2026-10-01",
        ));
    }
    d
}

/// Read and validate `brief.yaml` in `root`. All problems are collected.
pub fn load(root: &Path) -> Result<Profile, Diagnostics> {
    let file = Path::new(CONFIG_FILE);
    let mut diags = Diagnostics::default();
    let text = match std::fs::read_to_string(root.join(CONFIG_FILE)) {
        Ok(t) => t,
        Err(e) => {
            diags.push(Diagnostic::error(
                file,
                0,
                format!("cannot read the profile configuration: {e}"),
                "run brief from the profile's root folder (the one holding brief.yaml and content/), or pass --root DIR; `brief new DIR` makes a starter profile",
            ));
            return Err(diags);
        }
    };
    let raw: RawProfile = match serde_yaml::from_str(&text) {
        Ok(r) => r,
        Err(e) => {
            diags.push(yaml_error(file, 1, &e));
            return Err(diags);
        }
    };
    let y = YamlText::new(&text, 1);
    let required = |v: Option<String>, key: &str, help: &str, diags: &mut Diagnostics| -> String {
        match v {
            Some(s) if !s.trim().is_empty() => s,
            _ => {
                diags.push(Diagnostic::error(file, y.key(&[key]), format!("`{key}` is missing"), help));
                String::new()
            }
        }
    };
    let title = required(raw.title, "title", "add `title: \"…\"`, the profile's title", &mut diags);
    let area = required(raw.area, "area", "add `area: \"…\"`, the area the profile covers", &mut diags);
    let owner = match raw.owner {
        Some(o) => Owner {
            name: required(o.name, "owner", "give the owner a `name`", &mut diags),
            role: o.role,
            email: o.email,
        },
        None => {
            diags.push(Diagnostic::error(
                file,
                1,
                "`owner` is missing",
                "add `owner: {name: \"…\", role: \"…\", email: \"…\"}`",
            ));
            Owner { name: String::new(), role: None, email: None }
        }
    };
    let date_key = |v: Option<String>, key: &str, diags: &mut Diagnostics| -> Option<Date> {
        let line = y.key(&[key]);
        match v {
            Some(s) => date_at(&s, key, file, line, diags),
            None => {
                diags.push(Diagnostic::error(
                    file,
                    line,
                    format!("`{key}` is missing"),
                    format!("add `{key}: YYYY-MM-DD`"),
                ));
                None
            }
        }
    };
    let produced = date_key(raw.produced, "produced", &mut diags);
    let review_by = date_key(raw.review_by, "review_by", &mut diags);
    let ceiling = match raw.ceiling {
        Some(c) => marking_at(&c, file, y.key(&["ceiling"]), &mut diags),
        None => {
            diags.push(Diagnostic::error(
                file,
                1,
                "`ceiling` is missing",
                "add `ceiling: OFFICIAL-SENSITIVE` (the highest marking this system may hold); nothing is assumed",
            ));
            None
        }
    };

    let mut threats: Vec<Threat> =
        GUIDE_THREATS.iter().map(|(id, name)| Threat { id: id.to_string(), name: name.to_string() }).collect();
    for (id, name) in raw.threats.unwrap_or_default() {
        if !is_valid_id(&id) {
            diags.push(Diagnostic::error(
                file,
                y.key(&["threats", &id]),
                format!("threat id `{id}` is not a valid id"),
                "use lower-case letters, digits and hyphens, e.g. `knife-crime: \"Knife crime\"`",
            ));
        } else if threats.iter().any(|t| t.id == id) {
            diags.push(Diagnostic::error(
                file,
                y.key(&["threats", &id]),
                format!("threat `{id}` is already defined"),
                "the guide's threat areas are built in; give yours another id",
            ));
        } else {
            threats.push(Threat { id, name });
        }
    }

    let handling = match raw.handling {
        Some(list) => {
            for h in &list {
                if h.trim() != h || h.to_uppercase() != *h || h.is_empty() {
                    diags.push(Diagnostic::error(
                        file,
                        y.key(&["handling"]),
                        format!("handling caveat `{h}` must be written in capitals"),
                        format!("write `{}`", h.trim().to_uppercase()),
                    ));
                }
            }
            list
        }
        None => DEFAULT_HANDLING.iter().map(|s| s.to_string()).collect(),
    };

    let mut editions = Vec::new();
    match raw.editions {
        None => diags.push(Diagnostic::error(
            file,
            1,
            "`editions` is missing",
            "list at least one edition (audience); the first is the local partnership",
        )),
        Some(map) if map.is_empty() => diags.push(Diagnostic::error(
            file,
            y.key(&["editions"]),
            "`editions` is empty",
            "list at least one edition",
        )),
        Some(map) => {
            for (i, (id, e)) in map.into_iter().enumerate() {
                let at = |k: &str| y.key(&["editions", &id, k]);
                if !is_valid_id(&id) || id == "all" {
                    diags.push(Diagnostic::error(
                        file,
                        y.key(&["editions", &id]),
                        format!("edition id `{id}` is not allowed"),
                        "use lower-case letters, digits and hyphens (it names a folder in public/); `all` is reserved",
                    ));
                }
                let name = e.name.unwrap_or_else(|| {
                    diags.push(Diagnostic::error(
                        file,
                        y.key(&["editions", &id]),
                        format!("edition `{id}` has no `name`"),
                        "add `name: \"…\"`, shown to its readers",
                    ));
                    String::new()
                });
                let classification = match e.classification {
                    Some(c) => marking_at(&c, file, at("classification"), &mut diags),
                    None => {
                        diags.push(Diagnostic::error(
                            file,
                            y.key(&["editions", &id]),
                            format!("edition `{id}` has no `classification`"),
                            "add `classification: OFFICIAL` (the highest marking it may carry); nothing is assumed",
                        ));
                        None
                    }
                };
                if let (Some(c), Some(ceil)) = (classification, ceiling) {
                    if c > ceil {
                        diags.push(Diagnostic::error(
                            file,
                            at("classification"),
                            format!("edition `{id}` is {c}, above the ceiling {ceil}"),
                            "an edition cannot carry more than this system may hold; lower its classification",
                        ));
                    }
                }
                let approval = e.approval.and_then(|a| {
                    let line = at("approval");
                    let mut missing = |v: Option<String>, k: &str| {
                        v.filter(|s| !s.trim().is_empty()).or_else(|| {
                            diags.push(Diagnostic::error(
                                file,
                                line,
                                format!("approval of `{id}` has no `{k}`"),
                                "an approval records `by`, `on` (date) and `rationale` (guide 4.46)",
                            ));
                            None
                        })
                    };
                    let by = missing(a.by, "by");
                    let rationale = missing(a.rationale, "rationale");
                    let on = missing(a.on, "on").and_then(|s| date_at(&s, "approval.on", file, line, &mut diags));
                    Some(Approval { by: by?, on: on?, rationale: rationale? })
                });
                if let Some(c) = classification {
                    editions.push(Edition {
                        line: y.key(&["editions", &id]),
                        id,
                        name,
                        classification: c,
                        show_withheld: e.show_withheld.unwrap_or(false),
                        approval,
                        base: i == 0,
                    });
                }
            }
        }
    }

    if diags.has_errors() {
        return Err(diags);
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
    })
}
