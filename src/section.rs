//! A section: one Markdown file of the profile, its front matter typed and
//! validated against the profile, its body read once into blocks and spans
//! ([`crate::markup`]), and every near miss refused
//! ([`crate::withhold::residue`]).

use crate::config::{date_at, normalise_text, Profile};
use crate::date::Date;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::figures::FigureSpec;
use crate::marking::Marking;
use crate::markup::{self, Audience, Body, Vocabulary};
use crate::suggest::did_you_mean;
use crate::withhold::residue;
use crate::yamlpos::{Seg, YamlText};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use crate::slug::{slug_for, slugify};

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
    pub const IDS: [&'static str; 3] = ["open", "in-progress", "done"];
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
    /// `None`: cleared for every edition (the key was not given).
    pub cleared_for: Option<Vec<String>>,
}

/// A value at a date: a measure's baseline or target.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Point {
    pub value: f64,
    pub date: Date,
}

/// One dated figure of a measure, and where it came from.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Reading {
    pub value: f64,
    pub date: Date,
    pub source: String,
}

/// How a recommendation's impact is measured (guide 5.3): from a baseline
/// towards a target, by dated readings. The target differs from the
/// baseline, which says whether higher or lower is better.
#[derive(Debug, Clone, PartialEq)]
pub struct Measure {
    pub name: String,
    pub unit: String,
    pub baseline: Point,
    /// Dated after the baseline, with another value.
    pub target: Point,
    /// Oldest first, none before the baseline, no two on one date.
    pub readings: Vec<Reading>,
    /// Narrows the recommendation's audience.
    pub audience: Option<Audience>,
    pub line: usize,
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
    pub measures: Vec<Measure>,
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
    /// The marking of the title and summary alone, when lower than the section's.
    pub title_classification: Option<Marking>,
    pub audience: Audience,
    pub summary: Option<String>,
    pub threats: Vec<String>,
    pub areas: Vec<String>,
    /// Each area's address ([`crate::slug::slugify`]), made once per parse.
    pub area_slugs: Vec<String>,
    /// File line of `areas:`, for messages.
    pub areas_line: usize,
    pub weight: i64,
    pub owner: Option<String>,
    pub updated: Option<Date>,
    /// File line of `updated:` (or 1), for messages.
    pub updated_line: usize,
    pub draft: bool,
    pub handling: Vec<String>,
    pub sources: Vec<Source>,
    pub recommendations: Vec<Recommendation>,
    /// Language of the section (BCP 47), when not the edition's.
    pub lang: Option<String>,
    pub body: Body,
    /// Each chart or map of the body (`body.figures`, same order), its
    /// description checked. What it draws is decided per edition, in
    /// [`crate::withhold::figures`].
    pub figures: Vec<Arc<FigureSpec>>,
}

impl Section {
    /// The marking of what names the section: title, summary, threat areas and locations.
    pub fn title_marking(&self) -> Marking {
        self.title_classification.unwrap_or(self.classification)
    }
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
    measures: Option<Vec<RawMeasure>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPoint {
    value: Option<f64>,
    date: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReading {
    value: Option<f64>,
    date: Option<String>,
    source: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeasure {
    name: Option<String>,
    unit: Option<String>,
    baseline: Option<RawPoint>,
    target: Option<RawPoint>,
    readings: Option<Vec<RawReading>>,
    audience: Option<Vec<String>>,
}

const MEASURE_FORM: &str = "write a measure as `- {name: \"…\", unit: \"…\", baseline: {value: 40, date: YYYY-MM-DD}, target: {value: 30, date: YYYY-MM-DD}, readings: [{value: 36, date: YYYY-MM-DD, source: \"…\"}]}`";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: Option<String>,
    classification: Option<String>,
    title_classification: Option<String>,
    audience: Option<Vec<String>>,
    summary: Option<String>,
    threats: Option<Vec<String>>,
    areas: Option<Vec<String>>,
    weight: Option<i64>,
    owner: Option<String>,
    updated: Option<String>,
    draft: Option<bool>,
    handling: Option<Vec<String>>,
    lang: Option<String>,
    sources: Option<Vec<RawSource>>,
    recommendations: Option<Vec<RawRecommendation>>,
}

/// Split `---\n…\n---\n` front matter from the body: (yaml, body, body's first line).
fn split_front_matter<'t>(text: &'t str, file: &Path) -> Result<(&'t str, &'t str, usize), Diagnostic> {
    let Some(rest) = text.strip_prefix("---\n") else {
        return Err(Diagnostic::error(
            file,
            1,
            "section has no front matter",
            "start the file with a line `---`, then at least `title`, `classification` and `audience`, then `---`; nothing is published without a marking and an audience",
        ));
    };
    let mut offset = 0;
    for (i, line) in rest.split_inclusive('\n').enumerate() {
        if line.trim_end() == "---" {
            return Ok((&rest[..offset], &rest[offset + line.len()..], i + 3));
        }
        offset += line.len();
    }
    Err(Diagnostic::error(
        file,
        1,
        "the front matter is not closed: no `---` line after it",
        "end the front matter with a line of three hyphens `---` before the section's text",
    ))
}

/// Collects the problems of one section.
struct Check<'a> {
    file: &'a Path,
    y: YamlText<'a>,
    vocab: Vocabulary<'a>,
    d: Diagnostics,
}

impl Check<'_> {
    fn err(&mut self, line: usize, m: impl Into<String>, h: impl Into<String>) {
        self.d.push(Diagnostic::error(self.file, line, m, h));
    }

    fn date(&mut self, text: Option<String>, what: &str, line: usize) -> Option<Date> {
        let s = text?;
        date_at(&s, what, self.file, line, &mut self.d)
    }

    /// A published string must not look like restriction syntax.
    fn plain(&mut self, value: Option<&str>, field: &str, line: usize) {
        if let Some(d) = value.and_then(|v| residue::refuse_string(v, field, self.file, line)) {
            self.d.push(d);
        }
    }

    fn marking(&mut self, v: Option<String>, key: &str) -> Option<Marking> {
        let line = self.y.key(&[key]);
        self.vocab.marking(&v?).map_err(|(m, h)| self.err(line, m, h)).ok()
    }

    fn audience(&mut self, v: Option<Vec<String>>) -> Option<Audience> {
        let line = self.y.key(&["audience"]);
        match v {
            None => {
                self.err(1, "section has no `audience`", "add `audience: [partnership]` (edition ids from brief.yaml) or `audience: [all]`; nothing is published by default");
                None
            }
            Some(a) => self.vocab.audience(&a).map_err(|(m, h)| self.err(line, m, h)).ok(),
        }
    }

    fn threats(&mut self, threats: &[String], profile: &Profile) {
        let ids: Vec<&str> = profile.threats.iter().map(|t| t.id.as_str()).collect();
        for t in threats.iter().filter(|t| profile.threat_name(t).is_none()) {
            let line = self.y.key(&["threats"]);
            self.err(
                line,
                format!("unknown threat `{t}`"),
                format!(
                    "{}use a threat id of guide 3.4 ({}), or add yours under `threats:` in brief.yaml",
                    did_you_mean(t, ids.iter().copied()),
                    ids.join(", ")
                ),
            );
        }
    }

    fn sources(&mut self, raw: Vec<RawSource>) -> Vec<Source> {
        let mut out = Vec::new();
        for (i, s) in raw.into_iter().enumerate() {
            let line = self.y.item("sources", i, None);
            let Some(name) = s.name.filter(|n| !n.trim().is_empty()) else {
                self.err(line, "source has no `name`", "write sources as `- {name: \"…\", cleared_for: [edition, …]}`");
                continue;
            };
            self.plain(Some(&name), "sources.name", line);
            if let Some(ids) = &s.cleared_for {
                if ids.is_empty() {
                    self.err(
                        line,
                        format!("`cleared_for` of source `{name}` is empty"),
                        "list the editions it is cleared for, or remove `cleared_for` if it is cleared for all",
                    );
                }
                for id in ids.iter().filter(|id| self.vocab.profile.edition(id).is_none()) {
                    let known: Vec<&str> = self.vocab.profile.editions.iter().map(|e| e.id.as_str()).collect();
                    let help = format!(
                        "{}use edition ids from brief.yaml: {}",
                        did_you_mean(id, known.iter().copied()),
                        known.join(", ")
                    );
                    self.err(line, format!("unknown edition `{id}` in `cleared_for` of source `{name}`"), help);
                }
            }
            out.push(Source { name, cleared_for: s.cleared_for });
        }
        out
    }

    fn strand(&mut self, v: Option<&str>, line: usize) -> Option<Strand> {
        let found = Strand::ALL.into_iter().find(|s| Some(s.id()) == v);
        if found.is_none() {
            let what = v.map_or("no `strand`".to_string(), |s| format!("unknown strand `{s}`"));
            let hint = v.map(|s| did_you_mean(s, Strand::ALL.map(Strand::id))).unwrap_or_default();
            self.err(
                line,
                format!("recommendation has {what}"),
                format!("{hint}use one of the 4P strands: pursue, prevent, protect, prepare"),
            );
        }
        found
    }

    fn status(&mut self, v: Option<&str>, line: usize) -> Option<Status> {
        match v {
            None | Some("open") => Some(Status::Open),
            Some("in-progress") => Some(Status::InProgress),
            Some("done") => Some(Status::Done),
            Some(s) => {
                self.err(
                    line,
                    format!("unknown status `{s}`"),
                    format!("{}use open, in-progress or done", did_you_mean(s, Status::IDS)),
                );
                None
            }
        }
    }

    fn rec_audience(
        &mut self,
        v: Option<Vec<String>>,
        id: &str,
        section: Option<&Audience>,
        line: usize,
    ) -> Option<Audience> {
        let a = self.vocab.audience(&v?).map_err(|(m, h)| self.err(line, m, h)).ok()?;
        match (&a, section) {
            (Audience::Only(ids), Some(Audience::Only(sec))) => {
                if let Some(wider) = ids.iter().find(|i| !sec.contains(i)) {
                    self.err(
                        line,
                        format!("recommendation audience `{wider}` is not in the section's audience"),
                        "a recommendation's audience may only narrow the section's",
                    );
                }
            }
            (Audience::All, Some(Audience::Only(sec))) => self.d.push(Diagnostic::warning(
                self.file,
                line,
                format!("recommendation {id} has `audience: [all]` but its section is only for {}", sec.join(", ")),
                "it goes only where its section goes; write the section's editions to say so, or remove `audience`",
            )),
            _ => {}
        }
        Some(a)
    }

    fn recommendation(&mut self, i: usize, r: RawRecommendation, section: Option<&Audience>) -> Option<Recommendation> {
        let line = self.y.item("recommendations", i, None);
        let at = |y: &YamlText, f: &str| y.item("recommendations", i, Some(f));
        let id = r.id.filter(|s| !s.trim().is_empty());
        if id.is_none() {
            self.err(line, "recommendation has no `id`", "give each recommendation a unique id, e.g. `id: R7`");
        }
        let text = r.text.filter(|s| !s.trim().is_empty());
        if text.is_none() {
            self.err(line, "recommendation has no `text`", "say what should be done in `text: \"…\"`");
        }
        self.plain(text.as_deref(), "text", at(&self.y, "text"));
        self.plain(r.owner.as_deref(), "owner", at(&self.y, "owner"));
        self.plain(id.as_deref(), "id", line);
        let strand = self.strand(r.strand.as_deref(), at(&self.y, "strand"));
        let status = self.status(r.status.as_deref(), at(&self.y, "status"));
        let due_line = at(&self.y, "due");
        let due = self.date(r.due, "due", due_line);
        let aud_line = at(&self.y, "audience");
        let audience = self.rec_audience(r.audience, id.as_deref().unwrap_or("?"), section, aud_line);
        // A measure goes no further than its recommendation, which goes no further than its section.
        let parent = match &audience {
            Some(Audience::Only(_)) => audience.clone(),
            _ => section.cloned(),
        };
        let rec_id = id.as_deref().unwrap_or("?");
        let mut measures: Vec<Measure> = Vec::new();
        for (j, m) in r.measures.unwrap_or_default().into_iter().enumerate() {
            let Some(m) = self.measure(i, j, m, rec_id, parent.as_ref()) else { continue };
            if measures.iter().any(|x| x.name == m.name) {
                self.err(
                    m.line,
                    format!("recommendation {rec_id} has two measures named `{}`", m.name),
                    "give each measure of a recommendation its own name",
                );
                continue;
            }
            measures.push(m);
        }
        Some(Recommendation {
            id: id?,
            strand: strand?,
            text: text?,
            owner: r.owner,
            due,
            status: status?,
            audience,
            measures,
            line,
        })
    }

    /// Line of a key under measure `j` of recommendation `i` (`extra` is a path of keys, or an index).
    fn measure_line(&self, i: usize, j: usize, extra: &[Seg]) -> usize {
        let mut path =
            vec![Seg::Key("recommendations".into()), Seg::Index(i), Seg::Key("measures".into()), Seg::Index(j)];
        path.extend_from_slice(extra);
        self.y.path(&path)
    }

    fn number(&mut self, v: Option<f64>, what: &str, name: &str, line: usize) -> Option<f64> {
        let Some(v) = v else {
            self.err(line, format!("`{what}` of measure `{name}` has no value"), MEASURE_FORM);
            return None;
        };
        if !v.is_finite() || v.abs() > crate::figures::csv::MAX_NUMBER {
            self.err(
                line,
                format!("`{what}` of measure `{name}` is not a number that can be drawn"),
                "write a plain number such as 40 or 12.5, between -1000000000000000 and 1000000000000000",
            );
            return None;
        }
        Some(v)
    }

    /// A baseline or a target: both a value and a date.
    fn point(&mut self, p: Option<RawPoint>, key: &str, name: &str, i: usize, j: usize) -> Option<Point> {
        let line = self.measure_line(i, j, &[Seg::Key(key.into())]);
        let Some(p) = p else {
            let help = if key == "baseline" {
                "add `baseline: {value: 40, date: YYYY-MM-DD}`: where the measure stood when the recommendation was made"
            } else {
                "add `target: {value: 30, date: YYYY-MM-DD}`: where it should be, and by when"
            };
            self.err(line, format!("measure `{name}` has no `{key}`"), help);
            return None;
        };
        let value_line = self.measure_line(i, j, &[Seg::Key(key.into()), Seg::Key("value".into())]);
        let value = self.number(p.value, &format!("{key}.value"), name, value_line);
        let date_line = self.measure_line(i, j, &[Seg::Key(key.into()), Seg::Key("date".into())]);
        let date = match p.date {
            Some(d) => self.date(Some(d), &format!("{key}.date"), date_line),
            None => {
                self.err(
                    date_line,
                    format!("`{key}` of measure `{name}` has no `date`"),
                    format!("write `{key}: {{value: …, date: YYYY-MM-DD}}`"),
                );
                None
            }
        };
        Some(Point { value: value?, date: date? })
    }

    fn reading(&mut self, r: RawReading, name: &str, i: usize, j: usize, k: usize) -> Option<Reading> {
        let at = |c: &Check, key: &str| {
            c.measure_line(i, j, &[Seg::Key("readings".into()), Seg::Index(k), Seg::Key(key.into())])
        };
        let line = self.measure_line(i, j, &[Seg::Key("readings".into()), Seg::Index(k)]);
        let form = "write readings as `- {value: 36, date: YYYY-MM-DD, source: \"…\"}`; the source says where the figure came from";
        let value = match r.value {
            None => {
                self.err(line, format!("reading {} of measure `{name}` has no `value`", k + 1), form);
                None
            }
            v => self.number(v, "readings.value", name, at(self, "value")),
        };
        let date = match r.date {
            None => {
                self.err(line, format!("reading {} of measure `{name}` has no `date`", k + 1), form);
                None
            }
            d => self.date(d, "readings.date", at(self, "date")),
        };
        let source = r.source.filter(|s| !s.trim().is_empty());
        if source.is_none() {
            self.err(line, format!("reading {} of measure `{name}` has no `source`", k + 1), form);
        }
        self.plain(source.as_deref(), "readings.source", at(self, "source"));
        Some(Reading { value: value?, date: date?, source: source? })
    }

    fn measure_audience(
        &mut self,
        v: Option<Vec<String>>,
        name: &str,
        parent: Option<&Audience>,
        line: usize,
    ) -> Option<Audience> {
        let a = self.vocab.audience(&v?).map_err(|(m, h)| self.err(line, m, h)).ok()?;
        match (&a, parent) {
            (Audience::Only(ids), Some(Audience::Only(up))) => {
                if let Some(wider) = ids.iter().find(|i| !up.contains(i)) {
                    self.err(
                        line,
                        format!("measure `{name}` has audience `{wider}`, which its recommendation does not reach"),
                        format!(
                            "a measure's audience may only narrow its recommendation's (here {}); nothing goes further than what holds it",
                            up.join(", ")
                        ),
                    );
                }
            }
            (Audience::All, Some(Audience::Only(up))) => {
                self.err(
                    line,
                    format!("measure `{name}` has `audience: [all]` but its recommendation is only for {}", up.join(", ")),
                    "a measure's audience may only narrow its recommendation's: list some of its editions, or remove `audience`",
                );
            }
            _ => {}
        }
        Some(a)
    }

    fn measure(&mut self, i: usize, j: usize, m: RawMeasure, rec: &str, parent: Option<&Audience>) -> Option<Measure> {
        let line = self.measure_line(i, j, &[]);
        let name = m.name.filter(|s| !s.trim().is_empty());
        let Some(name) = name else {
            self.err(line, format!("a measure of recommendation {rec} has no `name`"), MEASURE_FORM);
            return None;
        };
        self.plain(Some(&name), "measures.name", self.measure_line(i, j, &[Seg::Key("name".into())]));
        let unit = m.unit.filter(|s| !s.trim().is_empty());
        let unit_line = self.measure_line(i, j, &[Seg::Key("unit".into())]);
        if unit.is_none() {
            self.err(
                line,
                format!("measure `{name}` has no `unit`"),
                "say what is counted, e.g. `unit: \"referrals\"` or `unit: \"%\"`",
            );
        }
        self.plain(unit.as_deref(), "measures.unit", unit_line);
        let baseline = self.point(m.baseline, "baseline", &name, i, j);
        let target = self.point(m.target, "target", &name, i, j);
        if let (Some(b), Some(t)) = (baseline, target) {
            let target_line = self.measure_line(i, j, &[Seg::Key("target".into())]);
            if t.date <= b.date {
                self.err(
                    target_line,
                    format!("the target date {} of measure `{name}` is not after its baseline date {}", t.date, b.date),
                    "the target says where the measure should be by a date after the baseline",
                );
            }
            if t.value == b.value {
                self.err(
                    target_line,
                    format!("the target of measure `{name}` equals its baseline ({})", b.value),
                    "set a target above the baseline (higher is better) or below it (lower is better); that is how progress is judged",
                );
            }
        }
        let mut readings: Vec<Reading> = Vec::new();
        for (k, r) in m.readings.unwrap_or_default().into_iter().enumerate() {
            let Some(r) = self.reading(r, &name, i, j, k) else { continue };
            let rline = self.measure_line(i, j, &[Seg::Key("readings".into()), Seg::Index(k)]);
            if let Some(b) = baseline.filter(|b| r.date < b.date) {
                self.err(
                    rline,
                    format!("a reading of measure `{name}` is dated {}, before its baseline date {}", r.date, b.date),
                    "readings show progress after the baseline: correct the date, or move the baseline",
                );
            }
            if readings.iter().any(|x| x.date == r.date) {
                self.err(
                    rline,
                    format!("measure `{name}` has two readings dated {}", r.date),
                    "keep one reading per date: the latest reading must be unambiguous",
                );
            }
            readings.push(r);
        }
        readings.sort_by_key(|r| r.date);
        let aud_line = self.measure_line(i, j, &[Seg::Key("audience".into())]);
        let audience = self.measure_audience(m.audience, &name, parent, aud_line);
        Some(Measure { name, unit: unit?, baseline: baseline?, target: target?, readings, audience, line })
    }
}

/// Parse one section file. `file` is relative to the root (for messages);
/// `rel` is relative to `content/`. The section is `None` when there are errors;
/// the diagnostics hold its errors and warnings.
pub fn parse(text: &str, file: &Path, rel: &Path, profile: &Profile) -> (Option<Section>, Diagnostics) {
    // Private-use characters are reserved for the renderer's internal markers.
    let text: String = normalise_text(text)
        .chars()
        .map(|c| if ('\u{E000}'..='\u{E00F}').contains(&c) { '\u{FFFD}' } else { c })
        .collect();
    let (yaml, body, body_line) = match split_front_matter(&text, file) {
        Ok(parts) => parts,
        Err(d) => return (None, Diagnostics(vec![d])),
    };
    let fm: FrontMatter = match crate::yaml::parse(yaml, file, 2) {
        Ok(f) => f,
        Err(d) => return (None, d),
    };
    let mut c = Check { file, y: YamlText::new(yaml, 2), vocab: Vocabulary { profile }, d: Diagnostics::default() };
    let section = front_matter(&mut c, fm, profile);
    // The body is read even when the front matter has errors, so all are reported at once.
    let (b, reading, errors) = markup::read(body, body_line, file, &c.vocab);
    c.d.extend(errors);
    c.d.extend(residue::refuse(body, &b, &reading, file));
    c.d.extend(residue::refuse_reserved_references(body, &b, file));
    let reported: Vec<usize> = c.d.0.iter().filter(|d| d.file == file).map(|d| d.line).collect();
    c.d.extend(residue::refuse_shown_notes(body, &b, &reading, file, &reported));
    if !c.d.has_errors() && reading.zones.iter().any(|(_, z)| *z == markup::Zone::Html) {
        if let Some(at) = crate::render::dropped_text(body) {
            c.d.push(Diagnostic::error(
                file,
                b.line(at),
                "this text is not shown on the page: raw HTML before it swallows it (an element the page removes with all it holds, such as `<script>`, `<svg>` or `<template>`; an attribute value left open; a comment), yet search, listings and the contents would read it",
                "close the raw HTML before this text, or take the raw HTML out (Markdown formats a section; raw HTML is for what it cannot do)",
            ));
        }
    }
    let mut figures = Vec::with_capacity(b.figures.len());
    for f in &b.figures {
        match FigureSpec::parse(&f.info, &f.yaml, file, f.first_line) {
            Ok(spec) => figures.push(Arc::new(spec)),
            Err(d) => c.d.push(d),
        }
    }
    let section = section.map(|mut s| {
        s.file = file.to_path_buf();
        s.slug = slug_for(rel);
        s.body = b;
        s.figures = figures;
        s
    });
    let d = c.d;
    if d.has_errors() {
        (None, d)
    } else {
        (section, d)
    }
}

/// The typed front matter; the body is filled in by [`parse`].
fn front_matter(c: &mut Check, fm: FrontMatter, profile: &Profile) -> Option<Section> {
    let title = fm.title.filter(|t| !t.trim().is_empty());
    if title.is_none() {
        c.err(1, "section has no `title`", "add `title: \"…\"` to the front matter");
    }
    let title_line = c.y.key(&["title"]);
    c.plain(title.as_deref(), "title", title_line);
    let summary_line = c.y.key(&["summary"]);
    c.plain(fm.summary.as_deref(), "summary", summary_line);
    let owner_line = c.y.key(&["owner"]);
    c.plain(fm.owner.as_deref(), "owner", owner_line);
    for a in fm.areas.iter().flatten() {
        let line = c.y.key(&["areas"]);
        c.plain(Some(a), "areas", line);
    }
    if fm.classification.is_none() {
        c.err(
            1,
            "section has no `classification`",
            "add `classification: OFFICIAL` (or OFFICIAL-SENSITIVE); nothing is published without a marking",
        );
    }
    let classification = c.marking(fm.classification, "classification");
    let title_classification = c.marking(fm.title_classification, "title_classification");
    if let (Some(t), Some(s)) = (title_classification, classification) {
        if t > s {
            let line = c.y.key(&["title_classification"]);
            c.err(
                line,
                format!("`title_classification` {t} is above the section's {s}"),
                "a title may be marked lower than its section, never higher",
            );
        }
    }
    let audience = c.audience(fm.audience);
    let threats = fm.threats.unwrap_or_default();
    c.threats(&threats, profile);
    let handling = fm.handling.unwrap_or_default();
    if let Err((m, h)) = c.vocab.handling(&handling) {
        let line = c.y.key(&["handling"]);
        c.err(line, m, h);
    }
    if let Some(l) = fm.lang.as_deref().filter(|l| !crate::config::is_language_tag(l)) {
        let line = c.y.key(&["lang"]);
        c.err(line, format!("`{l}` is not a language tag"), "write a BCP 47 tag such as `en-GB` or `cy` (Welsh)");
    }
    let updated_line = c.y.key(&["updated"]);
    let updated = c.date(fm.updated, "updated", updated_line);
    let sources = c.sources(fm.sources.unwrap_or_default());
    let recommendations: Vec<Recommendation> = fm
        .recommendations
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .filter_map(|(i, r)| c.recommendation(i, r, audience.as_ref()))
        .collect();
    Some(Section {
        file: PathBuf::new(),
        slug: String::new(),
        title: title?,
        classification: classification?,
        title_classification,
        audience: audience?,
        summary: fm.summary.filter(|s| !s.trim().is_empty()),
        threats,
        area_slugs: fm.areas.iter().flatten().map(|a| crate::slug::slugify(a)).collect(),
        areas: fm.areas.unwrap_or_default(),
        areas_line: c.y.key(&["areas"]),
        weight: fm.weight.unwrap_or(0),
        owner: fm.owner,
        updated,
        updated_line: if updated.is_some() { updated_line } else { 1 },
        draft: fm.draft.unwrap_or(false),
        handling,
        sources,
        recommendations,
        lang: fm.lang,
        body: Body::default(),
        figures: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::tests::profile;

    fn run(src: &str) -> Result<Section, Diagnostics> {
        match parse(src, Path::new("content/x.md"), Path::new("x.md"), &profile()) {
            (Some(s), _) => Ok(s),
            (None, d) => Err(d),
        }
    }

    #[test]
    fn parses_a_section() {
        let s = run("---\ntitle: T\nclassification: OFFICIAL\naudience: [all]\nrecommendations:\n  - {id: R1, strand: pursue, text: do it, due: 2027-01-01}\n---\nHello\n").unwrap();
        assert_eq!(s.title, "T");
        assert_eq!(s.audience, Audience::All);
        assert_eq!(s.body.first_line, 8);
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
        let e = run("---\ntitle: T\nclassification: OFFICIAL\naudience: [all]\n").unwrap_err();
        assert!(e.0[0].message.contains("not closed"), "{e:?}");
    }

    #[test]
    fn empty_values_are_errors_not_everyone() {
        let e = run("---\ntitle: T\nclassification: OFFICIAL\naudience:\n---\n").unwrap_err();
        assert!(e.0.iter().any(|d| d.message.contains("`audience` has no value") && d.line == 4), "{e:?}");
        let e = run(
            "---\ntitle: T\nclassification: OFFICIAL\naudience: [all]\nsources:\n  - {name: OCG, cleared_for: }\n---\n",
        )
        .unwrap_err();
        assert!(e.0.iter().any(|d| d.message.contains("cleared_for") && d.line == 6), "{e:?}");
        let e = run("---\ntitle: T\nclassification: OFFICIAL\naudience: [all]\nrecommendations:\n  - id: R1\n    strand: pursue\n    text: x\n    audience:\n---\n").unwrap_err();
        assert!(e.0.iter().any(|d| d.message.contains("audience") && d.line == 9), "{e:?}");
    }

    #[test]
    fn a_byte_order_mark_and_windows_line_endings_are_fine() {
        let s =
            run("\u{FEFF}---\r\ntitle: T\r\nclassification: OFFICIAL\r\naudience: [all]\r\n---\r\nHello\r\n").unwrap();
        assert_eq!(s.title, "T");
        let s = run(
            "---\rtitle: T\rclassification: OFFICIAL\raudience: [all]\r---\r::: {audience=\"partnership\"}\rx\r:::\r",
        )
        .unwrap();
        assert_eq!(s.body.regions.len(), 1);
    }

    #[test]
    fn collects_several_errors_with_lines() {
        let e = run("---\ntitle: T\nclassification: official\naudience: [partnership, council]\nthreats: [knives]\nupdated: 2026-02-30\n---\n").unwrap_err();
        let lines: Vec<usize> = e.0.iter().map(|d| d.line).collect();
        assert_eq!(lines, vec![3, 4, 5, 6], "{e:?}");
    }

    #[test]
    fn restriction_syntax_in_front_matter_is_refused() {
        let e = run(
            "---\ntitle: \"Lead [Subject A]{audience=partnership}\"\nclassification: OFFICIAL\naudience: [all]\n---\n",
        )
        .unwrap_err();
        assert!(e.0[0].message.contains("`title` holds restriction syntax") && e.0[0].line == 2, "{e:?}");
        let e =
            run("---\ntitle: T\nsummary: \"x {audience=\\\"p\\\"}\"\nclassification: OFFICIAL\naudience: [all]\n---\n")
                .unwrap_err();
        assert!(e.0[0].message.contains("`summary`"), "{e:?}");
        let e = run("---\ntitle: \"T <!-- draft note -->\"\nclassification: OFFICIAL\naudience: [all]\nareas: [\"North <!-- x -->\"]\n---\n")
            .unwrap_err();
        assert!(e.0.iter().all(|d| d.message.contains("holds an HTML comment")) && e.0.len() == 2, "{e:?}");
    }

    #[test]
    fn title_marking() {
        let s = run(
            "---\ntitle: T\nclassification: OFFICIAL-SENSITIVE\ntitle_classification: OFFICIAL\naudience: [all]\n---\n",
        )
        .unwrap();
        assert_eq!(s.title_marking(), Marking::Official);
        let e = run(
            "---\ntitle: T\nclassification: OFFICIAL\ntitle_classification: OFFICIAL-SENSITIVE\naudience: [all]\n---\n",
        )
        .unwrap_err();
        assert!(e.0[0].message.contains("above the section's"), "{e:?}");
    }

    #[test]
    fn suggests_near_values() {
        let e = run("---\ntitle: T\nclassification: OFFICIAL\naudience: [partnersip]\nthreats: [drug]\nrecommendations:\n  - {id: R1, strand: persue, text: x, status: opne, due: 31/12/2026}\n---\n").unwrap_err();
        let helps: Vec<&str> = e.0.iter().map(|d| d.help.as_str()).collect();
        for want in [
            "did you mean `partnership`",
            "did you mean `drugs`",
            "did you mean `pursue`",
            "did you mean `open`",
            "did you mean 2026-12-31",
        ] {
            assert!(helps.iter().any(|h| h.contains(want)), "{want}: {helps:?}");
        }
    }

    const REC: &str = "---\ntitle: T\nclassification: OFFICIAL\naudience: [partnership, members]\nrecommendations:\n  - id: R1\n    strand: pursue\n    text: do it\n    audience: [partnership]\n    measures:\n";

    /// A section whose recommendation R1 (for the partnership) has `measures` (lines from 11).
    fn with_measures(measures: &str) -> Result<Section, Diagnostics> {
        run(&format!("{REC}{measures}---\n"))
    }

    #[test]
    fn parses_measures() {
        let s = with_measures(
            "      - name: Referrals\n        unit: referrals\n        baseline: {value: 40, date: 2026-04-01}\n        target: {value: 60.5, date: 2027-04-01}\n        readings:\n          - {value: 51, date: 2026-09-30, source: \"Hub return\"}\n          - {value: 45, date: 2026-06-30, source: \"Hub return\"}\n        audience: [partnership]\n      - {name: Visits, unit: visits, baseline: {value: 9, date: 2026-04-01}, target: {value: 3, date: 2026-12-31}}\n",
        )
        .unwrap();
        let m = &s.recommendations[0].measures;
        assert_eq!(m.len(), 2);
        assert_eq!((m[0].name.as_str(), m[0].unit.as_str(), m[0].line), ("Referrals", "referrals", 11));
        assert_eq!((m[0].baseline.value, m[0].target.value), (40.0, 60.5));
        assert_eq!(m[0].readings.iter().map(|r| r.value).collect::<Vec<_>>(), vec![45.0, 51.0], "oldest first");
        assert_eq!(m[0].audience, Some(Audience::Only(vec!["partnership".into()])));
        assert!(m[1].readings.is_empty() && m[1].audience.is_none());
        assert_eq!(m[1].line, 19);
    }

    #[track_caller]
    fn measure_error(measures: &str, line: usize, what: &str) {
        let e = with_measures(measures).unwrap_err();
        assert!(
            e.0.iter().any(|d| d.line == line && d.message.contains(what) && !d.help.is_empty()),
            "expected line {line}: {what}\n{e:?}"
        );
    }

    #[test]
    fn malformed_measures_name_their_line() {
        let ok = "        baseline: {value: 40, date: 2026-04-01}\n        target: {value: 60, date: 2027-04-01}\n";
        measure_error(&format!("      - name: R\n{ok}"), 11, "measure `R` has no `unit`");
        measure_error(&format!("      - unit: u\n{ok}"), 11, "has no `name`");
        measure_error(
            "      - name: R\n        unit: u\n        target: {value: 60, date: 2027-04-01}\n",
            11,
            "has no `baseline`",
        );
        measure_error(
            "      - name: R\n        unit: u\n        baseline:\n          value: 40\n        target: {value: 60, date: 2027-04-01}\n",
            13,
            "`baseline` of measure `R` has no `date`",
        );
        measure_error(
            "      - name: R\n        unit: u\n        baseline:\n          value: 40\n          date: 1/4/2026\n        target: {value: 60, date: 2027-04-01}\n",
            15,
            "`baseline.date` is not a valid date",
        );
        measure_error(
            "      - name: R\n        unit: u\n        baseline: {value: 40, date: 2026-04-01}\n        target: {value: 40, date: 2027-04-01}\n",
            14,
            "equals its baseline",
        );
        measure_error(
            "      - name: R\n        unit: u\n        baseline: {value: 40, date: 2026-04-01}\n        target: {value: 60, date: 2026-01-01}\n",
            14,
            "is not after its baseline date",
        );
        measure_error(
            &format!("      - name: R\n        unit: u\n{ok}        readings:\n          - {{value: 41, date: 2026-03-01, source: S}}\n"),
            16,
            "before its baseline date",
        );
        measure_error(
            &format!("      - name: R\n        unit: u\n{ok}        readings:\n          - {{value: 41, date: 2026-05-01, source: S}}\n          - {{value: 42, date: 2026-05-01, source: S}}\n"),
            17,
            "two readings dated 2026-05-01",
        );
        measure_error(
            &format!("      - name: R\n        unit: u\n{ok}        readings:\n          - {{value: 41, date: 2026-05-01}}\n"),
            16,
            "has no `source`",
        );
        measure_error(
            &format!("      - name: R\n        unit: u\n{ok}        audience: [members]\n"),
            15,
            "which its recommendation does not reach",
        );
        measure_error(
            &format!("      - name: R\n        unit: u\n{ok}        audience: [all]\n"),
            15,
            "`audience: [all]`",
        );
        measure_error(
            &format!("      - name: R\n        unit: u\n{ok}        audiense: [partnership]\n"),
            15,
            "unknown key `audiense`",
        );
        measure_error(
            "      - name: R\n        unit: u\n        baseline: {value: \"forty\", date: 2026-04-01}\n        target: {value: 60, date: 2027-04-01}\n",
            13,
            "must be a number",
        );
        measure_error(
            &format!("      - name: R\n        unit: u\n{ok}      - name: R\n        unit: v\n{ok}"),
            15,
            "two measures named `R`",
        );
        measure_error(
            &format!("      - name: \"R [x]{{audience=partnership}}\"\n        unit: u\n{ok}"),
            11,
            "restriction syntax",
        );
    }

    #[test]
    fn unknown_key_names_its_line() {
        let e = run("---\ntitle: T\nclassification: OFFICIAL\naudience: [all]\nautor: me\n---\n").unwrap_err();
        assert_eq!(e.0[0].line, 5, "{e:?}");
        assert!(e.0[0].message.contains("unknown key `autor`"), "{e:?}");
    }
}
