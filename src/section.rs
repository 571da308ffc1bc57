//! A section: one Markdown file of the profile, its front matter typed and
//! validated against the profile, its body parsed into markup nodes.

use crate::config::{date_at, yaml_error, Profile};
use crate::date::Date;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::marking::Marking;
use crate::markup::{self, Audience, Body, Vocabulary};
use crate::yamlpos::YamlText;
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Strand {
    Pursue,
    Prevent,
    Protect,
    Prepare,
}

impl Strand {
    pub const ALL: [Strand; 4] = [Strand::Pursue, Strand::Prevent, Strand::Protect, Strand::Prepare];
    pub fn id(self) -> &'static str {
        match self {
            Strand::Pursue => "pursue",
            Strand::Prevent => "prevent",
            Strand::Protect => "protect",
            Strand::Prepare => "prepare",
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Strand::Pursue => "Pursue",
            Strand::Prevent => "Prevent",
            Strand::Protect => "Protect",
            Strand::Prepare => "Prepare",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Open,
    InProgress,
    Done,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Open => "Open",
            Status::InProgress => "In progress",
            Status::Done => "Done",
        }
    }
}

/// A partner's data the section draws on, and which editions may see it (guide 4.29).
#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    /// `None`: cleared for every edition.
    pub cleared_for: Option<Vec<String>>,
}

/// A recommendation feeding the action plan (guide 3.10, 4.52).
#[derive(Debug, Clone)]
pub struct Recommendation {
    pub id: String,
    pub strand: Strand,
    pub text: String,
    pub owner: Option<String>,
    pub due: Option<Date>,
    pub status: Status,
    /// Narrows the section's audience.
    pub audience: Option<Audience>,
    pub line: usize,
}

#[derive(Debug, Clone)]
pub struct Section {
    /// Relative to the profile root, e.g. `content/threats/drugs.md`.
    pub file: PathBuf,
    /// URL path of the section inside an edition, e.g. `threats/drugs`.
    pub slug: String,
    pub title: String,
    pub classification: Marking,
    pub audience: Audience,
    pub summary: Option<String>,
    pub threats: Vec<String>,
    pub areas: Vec<String>,
    pub weight: i64,
    pub owner: Option<String>,
    pub updated: Option<Date>,
    pub draft: bool,
    pub handling: Vec<String>,
    pub sources: Vec<Source>,
    pub recommendations: Vec<Recommendation>,
    pub body: Body,
    /// File line of the body's first line.
    pub body_line: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    name: Option<String>,
    cleared_for: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRecommendation {
    id: Option<String>,
    strand: Option<String>,
    text: Option<String>,
    owner: Option<String>,
    due: Option<String>,
    status: Option<String>,
    audience: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: Option<String>,
    classification: Option<String>,
    audience: Option<Vec<String>>,
    summary: Option<String>,
    threats: Option<Vec<String>>,
    areas: Option<Vec<String>>,
    weight: Option<i64>,
    owner: Option<String>,
    updated: Option<String>,
    draft: Option<bool>,
    handling: Option<Vec<String>>,
    sources: Option<Vec<RawSource>>,
    recommendations: Option<Vec<RawRecommendation>>,
}

/// Split `---\n…\n---\n` front matter from the body: (yaml, body, body's first line).
fn split_front_matter(text: &str) -> Option<(&str, &str, usize)> {
    let rest = text.strip_prefix("---\n").or_else(|| text.strip_prefix("---\r\n"))?;
    let mut offset = 0;
    for (i, line) in rest.split_inclusive('\n').enumerate() {
        if line.trim_end() == "---" {
            let yaml = &rest[..offset];
            let body = &rest[offset + line.len()..];
            return Some((yaml, body, i + 3));
        }
        offset += line.len();
    }
    None
}

/// URL-safe path component: lower case, letters/digits/hyphens.
pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '_' {
            out.push(c);
        } else if (c == '-' || c.is_whitespace() || c == '.') && !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "section".into()
    } else {
        out
    }
}

/// The section's URL path from its file path under `content/`.
pub fn slug_for(rel_to_content: &Path) -> String {
    let no_ext = rel_to_content.with_extension("");
    no_ext.components().map(|c| slugify(&c.as_os_str().to_string_lossy())).collect::<Vec<_>>().join("/")
}

/// Parse one section file. `file` is relative to the root (for messages);
/// `rel` is relative to `content/`.
pub fn parse(text: &str, file: &Path, rel: &Path, profile: &Profile) -> Result<Section, Diagnostics> {
    let mut d = Diagnostics::default();
    // Private-use characters are reserved for the renderer's internal markers.
    let text: String =
        text.chars().map(|c| if ('\u{E000}'..='\u{E00F}').contains(&c) { '\u{FFFD}' } else { c }).collect();
    let Some((yaml, body, body_line)) = split_front_matter(&text) else {
        d.push(Diagnostic::error(
            file,
            1,
            "section has no front matter",
            "start the file with `---`, then at least `title`, `classification` and `audience`, then `---`; nothing is published without a marking and an audience",
        ));
        return Err(d);
    };
    let fm: FrontMatter = match serde_yaml::from_str(if yaml.trim().is_empty() { "{}" } else { yaml }) {
        Ok(f) => f,
        Err(e) => {
            d.push(yaml_error(file, 2, &e));
            return Err(d);
        }
    };
    let y = YamlText::new(yaml, 2);
    let vocab = Vocabulary { profile };
    let mut err = |line: usize, m: String, h: String| d.push(Diagnostic::error(file, line, m, h));

    let title = fm.title.filter(|t| !t.trim().is_empty());
    if title.is_none() {
        err(1, "section has no `title`".into(), "add `title: \"…\"` to the front matter".into());
    }
    let classification = match fm.classification {
        None => {
            err(
                1,
                "section has no `classification`".into(),
                "add `classification: OFFICIAL` (or OFFICIAL-SENSITIVE); nothing is published without a marking".into(),
            );
            None
        }
        Some(c) => vocab.marking(&c).map_err(|(m, h)| err(y.key(&["classification"]), m, h)).ok(),
    };
    let audience = match fm.audience {
        None => {
            err(1, "section has no `audience`".into(), "add `audience: [partnership]` (edition ids from brief.yaml) or `audience: [all]`; nothing is published by default".into());
            None
        }
        Some(a) => vocab.audience(&a).map_err(|(m, h)| err(y.key(&["audience"]), m, h)).ok(),
    };
    let threats = fm.threats.unwrap_or_default();
    for t in &threats {
        if profile.threat_name(t).is_none() {
            let ids: Vec<&str> = profile.threats.iter().map(|t| t.id.as_str()).collect();
            err(
                y.key(&["threats"]),
                format!("unknown threat `{t}`"),
                format!(
                    "use a threat id of guide 3.4 ({}), or add yours under `threats:` in brief.yaml",
                    ids.join(", ")
                ),
            );
        }
    }
    let handling = fm.handling.unwrap_or_default();
    if let Err((m, h)) = vocab.handling(&handling) {
        err(y.key(&["handling"]), m, h);
    }
    let updated = fm.updated.and_then(|s| {
        let mut dd = Diagnostics::default();
        let r = date_at(&s, "updated", file, y.key(&["updated"]), &mut dd);
        for x in dd.0 {
            err(x.line, x.message, x.help);
        }
        r
    });
    let mut sources = Vec::new();
    for (i, s) in fm.sources.unwrap_or_default().into_iter().enumerate() {
        let line = y.item("sources", i, None);
        let Some(name) = s.name.filter(|n| !n.trim().is_empty()) else {
            err(
                line,
                "source has no `name`".into(),
                "write sources as `- {name: \"…\", cleared_for: [edition, …]}`".into(),
            );
            continue;
        };
        if let Some(ids) = &s.cleared_for {
            for id in ids {
                if profile.edition(id).is_none() {
                    err(
                        line,
                        format!("unknown edition `{id}` in `cleared_for` of source `{name}`"),
                        "use edition ids from brief.yaml".into(),
                    );
                }
            }
        }
        sources.push(Source { name, cleared_for: s.cleared_for });
    }
    let mut recommendations = Vec::new();
    for (i, r) in fm.recommendations.unwrap_or_default().into_iter().enumerate() {
        let at = |f: &str| y.item("recommendations", i, Some(f));
        let line = y.item("recommendations", i, None);
        let id = r.id.filter(|s| !s.trim().is_empty());
        if id.is_none() {
            err(
                line,
                "recommendation has no `id`".into(),
                "give each recommendation a unique id, e.g. `id: R7`".into(),
            );
        }
        let text = r.text.filter(|s| !s.trim().is_empty());
        if text.is_none() {
            err(line, "recommendation has no `text`".into(), "say what should be done in `text: \"…\"`".into());
        }
        let strand = match r.strand.as_deref() {
            Some("pursue") => Some(Strand::Pursue),
            Some("prevent") => Some(Strand::Prevent),
            Some("protect") => Some(Strand::Protect),
            Some("prepare") => Some(Strand::Prepare),
            other => {
                let what = other.map_or("no `strand`".to_string(), |s| format!("unknown strand `{s}`"));
                err(
                    at("strand"),
                    format!("recommendation has {what}"),
                    "use one of the 4P strands: pursue, prevent, protect, prepare".into(),
                );
                None
            }
        };
        let status = match r.status.as_deref() {
            None | Some("open") => Some(Status::Open),
            Some("in-progress") => Some(Status::InProgress),
            Some("done") => Some(Status::Done),
            Some(s) => {
                err(at("status"), format!("unknown status `{s}`"), "use open, in-progress or done".into());
                None
            }
        };
        let due = r.due.and_then(|s| {
            let mut dd = Diagnostics::default();
            let v = date_at(&s, "due", file, at("due"), &mut dd);
            for x in dd.0 {
                err(x.line, x.message, x.help);
            }
            v
        });
        let rec_audience = match r.audience {
            None => None,
            Some(a) => match vocab.audience(&a) {
                Ok(Audience::Only(ids)) => {
                    if let Some(Audience::Only(sec)) = &audience {
                        if let Some(wider) = ids.iter().find(|i| !sec.contains(i)) {
                            err(
                                at("audience"),
                                format!("recommendation audience `{wider}` is not in the section's audience"),
                                "a recommendation's audience may only narrow the section's".into(),
                            );
                        }
                    }
                    Some(Audience::Only(ids))
                }
                Ok(Audience::All) => Some(Audience::All),
                Err((m, h)) => {
                    err(at("audience"), m, h);
                    None
                }
            },
        };
        if let (Some(id), Some(text), Some(strand), Some(status)) = (id, text, strand, status) {
            recommendations.push(Recommendation {
                id,
                strand,
                text,
                owner: r.owner,
                due,
                status,
                audience: rec_audience,
                line,
            });
        }
    }
    let (body, body_diags) = markup::parse(body, body_line, file, &vocab);
    d.extend(body_diags);
    if d.has_errors() {
        return Err(d);
    }
    Ok(Section {
        file: file.to_path_buf(),
        slug: slug_for(rel),
        title: title.expect("checked"),
        classification: classification.expect("checked"),
        audience: audience.expect("checked"),
        summary: fm.summary.filter(|s| !s.trim().is_empty()),
        threats,
        areas: fm.areas.unwrap_or_default(),
        weight: fm.weight.unwrap_or(0),
        owner: fm.owner,
        updated,
        draft: fm.draft.unwrap_or(false),
        handling,
        sources,
        recommendations,
        body,
        body_line,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::tests::profile;

    fn run(src: &str) -> Result<Section, Diagnostics> {
        parse(src, Path::new("content/x.md"), Path::new("x.md"), &profile())
    }

    #[test]
    fn parses_a_section() {
        let s = run("---\ntitle: T\nclassification: OFFICIAL\naudience: [all]\nrecommendations:\n  - {id: R1, strand: pursue, text: do it, due: 2027-01-01}\n---\nHello\n").unwrap();
        assert_eq!(s.title, "T");
        assert_eq!(s.audience, Audience::All);
        assert_eq!(s.body_line, 8);
        assert_eq!(s.recommendations[0].strand, Strand::Pursue);
        assert_eq!(s.slug, "x");
    }

    #[test]
    fn missing_marking_or_audience_is_an_error() {
        let e = run("---\ntitle: T\naudience: [all]\n---\n").unwrap_err();
        assert!(e.0.iter().any(|d| d.message.contains("no `classification`")), "{e:?}");
        let e = run("---\ntitle: T\nclassification: OFFICIAL\n---\n").unwrap_err();
        assert!(e.0.iter().any(|d| d.message.contains("no `audience`")), "{e:?}");
        let e = run("no front matter\n").unwrap_err();
        assert!(e.0[0].message.contains("no front matter"));
    }

    #[test]
    fn collects_several_errors_with_lines() {
        let e = run("---\ntitle: T\nclassification: official\naudience: [partnership, council]\nthreats: [drugs]\nupdated: 2026-02-30\n---\n").unwrap_err();
        let lines: Vec<usize> = e.0.iter().map(|d| d.line).collect();
        assert_eq!(lines, vec![3, 4, 5, 6], "{e:?}");
    }

    #[test]
    fn unknown_key_names_its_line() {
        let e = run("---\ntitle: T\nclassification: OFFICIAL\naudience: [all]\nautor: me\n---\n").unwrap_err();
        assert_eq!(e.0[0].line, 5, "{e:?}");
        assert!(e.0[0].message.contains("unknown field `autor`"), "{e:?}");
    }

    #[test]
    fn slugs_are_url_safe() {
        assert_eq!(slug_for(Path::new("Threats/Drugs & County Lines.md")), "threats/drugs-county-lines");
    }
}
