//! What authors write in a ```` ```chart ```` or ```` ```map ```` block: a small
//! YAML mapping, checked key by key. Unknown keys, missing keys and unknown
//! values are refused at their line, with the nearest valid word suggested.
//! Columns are checked later, against the table ([`super::chart::render`],
//! [`super::map::render`]).

use super::{nearest, resolve, svg::MAX_SERIES, FigureType};
use crate::diagnostic::Diagnostic;
use crate::yamlpos::YamlText;
use serde_yaml::Value;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    Bar,
    StackedBar,
    Line,
}

impl ChartKind {
    pub const NAMES: [&'static str; 3] = ["bar", "stacked-bar", "line"];

    pub fn name(self) -> &'static str {
        match self {
            ChartKind::Bar => "bar",
            ChartKind::StackedBar => "stacked-bar",
            ChartKind::Line => "line",
        }
    }
}

/// Where the spec came from, and the line of each key, for diagnostics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The section's file, relative to the profile root.
    pub file: PathBuf,
    /// Line of the opening fence.
    pub fence_line: usize,
    keys: Vec<(String, usize)>,
}

impl Origin {
    /// Line of `key` in the section's file, or of the fence if it is absent.
    pub fn line(&self, key: &str) -> usize {
        self.keys.iter().find(|(k, _)| k == key).map_or(self.fence_line, |(_, l)| *l)
    }

    pub fn error(&self, key: &str, message: impl Into<String>, help: impl Into<String>) -> Diagnostic {
        Diagnostic::error(&self.file, self.line(key), message, help)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartSpec {
    pub kind: ChartKind,
    /// The CSV file, resolved relative to the profile root (`content/…`).
    pub data: PathBuf,
    /// The category column.
    pub x: String,
    /// The value columns, one series each.
    pub y: Vec<String>,
    pub title: String,
    pub description: String,
    pub unit: Option<String>,
    /// Axis titles; by default the `x` column's name and the unit.
    pub x_label: Option<String>,
    pub y_label: Option<String>,
    pub source: Option<String>,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapSpec {
    /// The GeoJSON file, resolved relative to the profile root.
    pub areas: PathBuf,
    /// The feature property, and the CSV column, naming each area.
    pub key: String,
    /// The CSV file of values.
    pub data: PathBuf,
    /// The numeric column to shade by.
    pub value: String,
    /// An optional CSV file of points (`name`, `lat`, `lon`).
    pub points: Option<PathBuf>,
    /// What the points are, for the legend and the points table.
    pub points_label: String,
    pub title: String,
    pub description: String,
    pub unit: Option<String>,
    pub source: Option<String>,
    /// Whether to write area names on the map (the table always has them).
    pub labels: bool,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FigureSpec {
    Chart(ChartSpec),
    Map(MapSpec),
}

const CHART_KEYS: [&str; 10] =
    ["kind", "data", "x", "y", "title", "description", "unit", "x_label", "y_label", "source"];
const CHART_REQUIRED: [&str; 6] = ["kind", "data", "x", "y", "title", "description"];
const MAP_KEYS: [&str; 11] =
    ["areas", "key", "data", "value", "points", "points_label", "title", "description", "unit", "source", "labels"];
const MAP_REQUIRED: [&str; 6] = ["areas", "key", "data", "value", "title", "description"];

/// The default legend entry for points.
pub const DEFAULT_POINTS_LABEL: &str = "Locations";

impl FigureSpec {
    /// Parse the body of a fenced block whose info string is `info` (`chart`
    /// or `map`). `file` is the section's file (relative to the profile
    /// root) and `first_line` the line of the body's first line in it.
    pub fn parse(info: &str, yaml: &str, file: &Path, first_line: usize) -> Result<FigureSpec, Diagnostic> {
        // A figure's texts are drawn as written: an HTML comment in one is
        // shown, not hidden, so a note meant for authors is refused.
        if let Some((key, line, _)) = crate::yaml::strings(yaml, first_line)
            .into_iter()
            .find(|(_, _, v)| crate::withhold::residue::holds_comment(v))
        {
            return Err(Diagnostic::error(
                file,
                line,
                format!("`{key}` holds an HTML comment (`<!--`), which a figure does not hide"),
                format!("`{key}` is drawn as written, comment and all: take the note out of it"),
            ));
        }
        match super::figure_type(info) {
            Some(FigureType::Chart) => ChartSpec::parse(yaml, file, first_line).map(FigureSpec::Chart),
            Some(FigureType::Map) => MapSpec::parse(yaml, file, first_line).map(FigureSpec::Map),
            None => Err(Diagnostic::error(
                file,
                first_line.saturating_sub(1).max(1),
                format!("`{info}` is not a figure"),
                "figure blocks start with ```chart or ```map",
            )),
        }
    }

    /// The files the figure reads, relative to the profile root, in order:
    /// a chart's data; a map's areas, values and points.
    pub fn files(&self) -> Vec<&Path> {
        match self {
            FigureSpec::Chart(c) => vec![&c.data],
            FigureSpec::Map(m) => {
                [Some(&m.areas), Some(&m.data), m.points.as_ref()].into_iter().flatten().map(PathBuf::as_path).collect()
            }
        }
    }

    pub fn title(&self) -> &str {
        match self {
            FigureSpec::Chart(c) => &c.title,
            FigureSpec::Map(m) => &m.title,
        }
    }

    pub fn origin(&self) -> &Origin {
        match self {
            FigureSpec::Chart(c) => &c.origin,
            FigureSpec::Map(m) => &m.origin,
        }
    }
}

/// The block's keys, read and checked against what a `what` accepts.
struct Fields {
    map: Vec<(String, Value)>,
    origin: Origin,
}

fn value_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "empty",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

impl Fields {
    fn read(
        yaml: &str,
        file: &Path,
        first_line: usize,
        what: &'static str,
        keys: &[&str],
        required: &[&str],
        other: (&str, &[&str]),
    ) -> Result<Fields, Diagnostic> {
        let fence_line = first_line.saturating_sub(1).max(1);
        let all = keys.join(", ");
        let example = if what == "chart" {
            "kind: bar\ndata: ../data/threat-trends.csv\nx: quarter\ny: [supply]\ntitle: \"…\"\ndescription: \"…\""
        } else {
            "areas: ../data/wards.geojson\nkey: ward\ndata: ../data/ward-values.csv\nvalue: referrals\ntitle: \"…\"\ndescription: \"…\""
        };
        if yaml.trim().is_empty() {
            return Err(Diagnostic::error(
                file,
                fence_line,
                format!("the {what} block is empty"),
                format!("describe the {what} in YAML, e.g.\n{example}"),
            ));
        }
        let value: Value = serde_yaml::from_str(yaml).map_err(|e| {
            let line = e.location().map_or(fence_line, |l| first_line + l.line() - 1);
            let msg = e.to_string();
            let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
            Diagnostic::error(
                file,
                line,
                format!("cannot read the {what} block: {msg}"),
                "write one `key: value` a line; put text containing `:` or `#` in double quotes",
            )
        })?;
        let Value::Mapping(mapping) = value else {
            return Err(Diagnostic::error(
                file,
                first_line,
                format!("the {what} block must be `key: value` lines, not {}", value_kind(&value)),
                format!("for example:\n{example}"),
            ));
        };
        let y = YamlText::new(yaml, first_line);
        let mut map = Vec::new();
        let mut lines = Vec::new();
        for (k, v) in mapping {
            let Value::String(k) = k else {
                return Err(Diagnostic::error(
                    file,
                    first_line,
                    format!("a key of the {what} block is not a word"),
                    format!("the keys are: {all}"),
                ));
            };
            let line = y.key(&[&k]);
            if !keys.contains(&k.as_str()) {
                let help = if other.1.contains(&k.as_str()) {
                    format!(
                        "`{k}` belongs to a {}: start the block with ```{}; a {what} takes: {all}",
                        other.0, other.0
                    )
                } else {
                    match nearest(&k, keys.iter().copied()) {
                        Some(s) => format!("did you mean `{s}`? A {what} takes: {all}"),
                        None => format!("a {what} takes: {all}"),
                    }
                };
                return Err(Diagnostic::error(file, line, format!("unknown key `{k}` in a {what}"), help));
            }
            lines.push((k.clone(), line));
            map.push((k, v));
        }
        let origin = Origin { file: file.to_path_buf(), fence_line, keys: lines };
        for r in required {
            if !map.iter().any(|(k, _)| k == r) {
                let hint = match *r {
                    "description" => " (a sentence or two saying what the figure shows: it is the text alternative for readers who cannot see it)",
                    "title" => " (the figure's caption)",
                    _ => "",
                };
                return Err(origin.error(
                    "",
                    format!("the {what} has no `{r}`"),
                    format!("add `{r}:`{hint}; a {what} needs: {}", required.join(", ")),
                ));
            }
        }
        Ok(Fields { map, origin })
    }

    fn get(&self, key: &str) -> Option<&Value> {
        self.map.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    fn text_opt(&self, key: &str) -> Result<Option<String>, Diagnostic> {
        let Some(v) = self.get(key) else { return Ok(None) };
        let t = match v {
            Value::String(s) => s.trim().to_string(),
            Value::Number(n) => n.to_string(),
            other => {
                return Err(self.origin.error(
                    key,
                    format!("`{key}` must be text, not {}", value_kind(other)),
                    format!("write `{key}: \"…\"`"),
                ))
            }
        };
        if t.is_empty() {
            return Err(self.origin.error(
                key,
                format!("`{key}` is empty"),
                format!("give `{key}` a value, or remove the line"),
            ));
        }
        // Shown as written (caption, SVG title and text, table caption),
        // like front matter: the block is not read as Markdown.
        if crate::withhold::residue::looks_restricted(&t) || crate::withhold::residue::holds_comment(&t) {
            return Err(self.origin.error(
                key,
                format!("`{key}` holds restriction syntax or an HTML comment, which is not read in a figure"),
                "a figure's text goes to every edition that shows the figure, as written: put the figure in a block (`::: {audience=\"…\"}`) or reword it",
            ));
        }
        Ok(Some(t))
    }

    fn text(&self, key: &str) -> Result<String, Diagnostic> {
        Ok(self.text_opt(key)?.expect("required keys checked"))
    }

    fn file(&self, key: &str, extensions: &[&str]) -> Result<PathBuf, Diagnostic> {
        let written = self.text(key)?;
        let ext = Path::new(&written).extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        if !ext.as_deref().is_some_and(|e| extensions.contains(&e)) {
            let list: Vec<String> = extensions.iter().map(|e| format!(".{e}")).collect();
            return Err(self.origin.error(
                key,
                format!("`{key}: {written}` is not a {} file", list.join(" or ")),
                format!("name a {} file under content/, relative to this section's file", list.join(" or ")),
            ));
        }
        resolve(&self.origin.file, &written).map_err(|why| {
            self.origin.error(
                key,
                format!("cannot use `{written}`: {why}"),
                "name a file under content/, relative to this section's file (or starting with / for content/ itself)",
            )
        })
    }
}

impl ChartSpec {
    /// Parse a ```` ```chart ```` block's body; `first_line` is the line of
    /// its first line in `file`.
    pub fn parse(yaml: &str, file: &Path, first_line: usize) -> Result<ChartSpec, Diagnostic> {
        let f = Fields::read(yaml, file, first_line, "chart", &CHART_KEYS, &CHART_REQUIRED, ("map", &MAP_KEYS))?;
        let kind_text = f.text("kind")?;
        let kind = match kind_text.as_str() {
            "bar" => ChartKind::Bar,
            "stacked-bar" => ChartKind::StackedBar,
            "line" => ChartKind::Line,
            other => {
                let kinds = ChartKind::NAMES.join(", ");
                let help = match nearest(other, ChartKind::NAMES) {
                    Some(s) => format!("did you mean `{s}`? A chart's kind is one of: {kinds}"),
                    None => format!("a chart's kind is one of: {kinds}"),
                };
                return Err(f.origin.error("kind", format!("unknown chart kind `{other}`"), help));
            }
        };
        let data = f.file("data", &["csv"])?;
        let x = f.text("x")?;
        let y = match f.get("y").expect("required") {
            Value::String(_) | Value::Number(_) => vec![f.text("y")?],
            Value::Sequence(items) => {
                let mut out = Vec::new();
                for item in items {
                    let t = match item {
                        Value::String(s) => s.trim().to_string(),
                        Value::Number(n) => n.to_string(),
                        other => {
                            return Err(f.origin.error(
                                "y",
                                format!("`y` lists {}, not a column name", value_kind(other)),
                                "write `y: [column, other column]`",
                            ))
                        }
                    };
                    if t.is_empty() {
                        return Err(f.origin.error(
                            "y",
                            "`y` lists an empty column name",
                            "write `y: [column, other column]`",
                        ));
                    }
                    if out.contains(&t) {
                        return Err(f.origin.error("y", format!("`y` lists `{t}` twice"), "list each column once"));
                    }
                    out.push(t);
                }
                out
            }
            other => {
                return Err(f.origin.error(
                    "y",
                    format!("`y` must be a column name or a list of them, not {}", value_kind(other)),
                    "write `y: supply` or `y: [supply, possession]`",
                ))
            }
        };
        if y.is_empty() {
            return Err(f.origin.error("y", "`y` lists no columns", "write `y: [column, other column]`"));
        }
        if y.len() > MAX_SERIES {
            return Err(f.origin.error(
                "y",
                format!("{} series are too many to tell apart", y.len()),
                format!("show at most {MAX_SERIES} columns in one chart; split the rest into a second chart"),
            ));
        }
        if y.contains(&x) {
            return Err(f.origin.error(
                "y",
                format!("`{x}` is both the `x` column and a `y` column"),
                "`x` names the categories; `y` the values drawn for each",
            ));
        }
        Ok(ChartSpec {
            kind,
            data,
            x,
            y,
            title: f.text("title")?,
            description: f.text("description")?,
            unit: f.text_opt("unit")?,
            x_label: f.text_opt("x_label")?,
            y_label: f.text_opt("y_label")?,
            source: f.text_opt("source")?,
            origin: f.origin.clone(),
        })
    }
}

impl MapSpec {
    /// Parse a ```` ```map ```` block's body; `first_line` is the line of its
    /// first line in `file`.
    pub fn parse(yaml: &str, file: &Path, first_line: usize) -> Result<MapSpec, Diagnostic> {
        let f = Fields::read(yaml, file, first_line, "map", &MAP_KEYS, &MAP_REQUIRED, ("chart", &CHART_KEYS))?;
        let labels = match f.get("labels") {
            None => true,
            Some(Value::Bool(b)) => *b,
            Some(other) => {
                return Err(f.origin.error(
                    "labels",
                    format!("`labels` must be true or false, not {}", value_kind(other)),
                    "write `labels: false` to leave area names off the map (the table still lists them)",
                ))
            }
        };
        let points = if f.get("points").is_some() { Some(f.file("points", &["csv"])?) } else { None };
        let points_label = f.text_opt("points_label")?;
        if points_label.is_some() && points.is_none() {
            return Err(f.origin.error(
                "points_label",
                "`points_label` without `points`",
                "add `points: file.csv`, or remove `points_label`",
            ));
        }
        Ok(MapSpec {
            areas: f.file("areas", &["geojson", "json"])?,
            key: f.text("key")?,
            data: f.file("data", &["csv"])?,
            value: f.text("value")?,
            points,
            points_label: points_label.unwrap_or_else(|| DEFAULT_POINTS_LABEL.to_string()),
            title: f.text("title")?,
            description: f.text("description")?,
            unit: f.text_opt("unit")?,
            source: f.text_opt("source")?,
            labels,
            origin: f.origin.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "content/threats/drugs.md";

    fn chart(yaml: &str) -> Result<ChartSpec, Diagnostic> {
        ChartSpec::parse(yaml, Path::new(FILE), 11)
    }

    fn map(yaml: &str) -> Result<MapSpec, Diagnostic> {
        MapSpec::parse(yaml, Path::new(FILE), 11)
    }

    const GOOD: &str = "kind: bar\ndata: ../data/drugs.csv\nx: quarter\ny: [possession, supply]\ntitle: \"Drug offences\"\ndescription: \"Supply rose.\"\nunit: offences\n";

    #[test]
    fn a_good_chart() {
        let c = chart(GOOD).unwrap();
        assert_eq!(c.kind, ChartKind::Bar);
        assert_eq!(c.data, Path::new("content/data/drugs.csv"));
        assert_eq!(c.x, "quarter");
        assert_eq!(c.y, ["possession", "supply"]);
        assert_eq!(c.title, "Drug offences");
        assert_eq!(c.unit.as_deref(), Some("offences"));
        assert_eq!(c.x_label, None);
        assert_eq!(c.origin.line("y"), 14);
        assert_eq!(c.origin.line("source"), 10);
        let spec = FigureSpec::parse("chart", GOOD, Path::new(FILE), 11).unwrap();
        assert_eq!(spec.files(), [Path::new("content/data/drugs.csv")]);
    }

    #[test]
    fn an_html_comment_in_a_figure_text_is_refused() {
        let yaml = GOOD.replace("unit: offences", "unit: \"offences <!-- draft -->\"");
        let e = FigureSpec::parse("chart", &yaml, Path::new(FILE), 11).unwrap_err();
        assert!(e.message.contains("`unit` holds an HTML comment") && e.line == 17, "{e:?}");
    }

    #[test]
    fn single_y_and_numbers_as_text() {
        let c = chart("kind: line\ndata: /data/x.csv\nx: 2024\ny: supply\ntitle: 2025\ndescription: d\n").unwrap();
        assert_eq!(c.y, ["supply"]);
        assert_eq!(c.x, "2024");
        assert_eq!(c.title, "2025");
        assert_eq!(c.data, Path::new("content/data/x.csv"));
    }

    #[test]
    fn unknown_kind_suggests_the_nearest() {
        let e = chart(&GOOD.replace("kind: bar", "kind: bars")).unwrap_err();
        assert_eq!(e.line, 11);
        assert_eq!(e.message, "unknown chart kind `bars`");
        assert!(e.help.starts_with("did you mean `bar`?"), "{}", e.help);
        let e = chart(&GOOD.replace("kind: bar", "kind: stacked")).unwrap_err();
        assert!(e.help.starts_with("did you mean `stacked-bar`?"), "{}", e.help);
        let e = chart(&GOOD.replace("kind: bar", "kind: pie")).unwrap_err();
        assert!(e.help.starts_with("a chart's kind is one of: bar, stacked-bar, line"), "{}", e.help);
    }

    #[test]
    fn unknown_keys_are_refused_at_their_line() {
        let e = chart(&format!("{GOOD}titel: x\n")).unwrap_err();
        assert_eq!(e.line, 18);
        assert_eq!(e.message, "unknown key `titel` in a chart");
        assert!(e.help.starts_with("did you mean `title`?"), "{}", e.help);
        let e = chart(&format!("{GOOD}areas: x.geojson\n")).unwrap_err();
        assert!(e.help.contains("belongs to a map"), "{}", e.help);
    }

    #[test]
    fn missing_keys_point_at_the_fence() {
        let e = chart(&GOOD.replace("description: \"Supply rose.\"\n", "")).unwrap_err();
        assert_eq!(e.line, 10);
        assert_eq!(e.message, "the chart has no `description`");
        assert!(e.help.contains("text alternative"));
        let e = chart("").unwrap_err();
        assert!(e.message.contains("empty"));
        assert!(e.help.contains("kind: bar"));
    }

    #[test]
    fn bad_values() {
        let e = chart(&GOOD.replace("title: \"Drug offences\"", "title: [a]")).unwrap_err();
        assert_eq!(e.message, "`title` must be text, not a list");
        assert_eq!(e.line, 15);
        let e = chart(&GOOD.replace("data: ../data/drugs.csv", "data: ../data/drugs.xlsx")).unwrap_err();
        assert!(e.message.contains("is not a .csv file"), "{e}");
        let e = chart(&GOOD.replace("data: ../data/drugs.csv", "data: ../../../etc/x.csv")).unwrap_err();
        assert!(e.message.contains("leaves the profile"), "{e}");
        let e = chart(&GOOD.replace("data: ../data/drugs.csv", "data: ../../brief.csv")).unwrap_err();
        assert!(e.message.contains("under content/"), "{e}");
        let e = chart(&GOOD.replace("data: ../data/drugs.csv", "data: \"https://example.org/x.csv\"")).unwrap_err();
        assert!(e.message.contains("not from the web"), "{e}");
        let e = chart(&GOOD.replace("y: [possession, supply]", "y: [supply, supply]")).unwrap_err();
        assert!(e.message.contains("twice"));
        let e = chart(&GOOD.replace("y: [possession, supply]", "y: [a, b, c, d, e, f, g]")).unwrap_err();
        assert!(e.message.contains("too many"));
        let e = chart(&GOOD.replace("y: [possession, supply]", "y: []")).unwrap_err();
        assert!(e.message.contains("no columns"));
        let e = chart(&GOOD.replace("y: [possession, supply]", "y: [quarter]")).unwrap_err();
        assert!(e.message.contains("both the `x` column and a `y` column"));
        let e = chart(&GOOD.replace("unit: offences", "unit: \"\"")).unwrap_err();
        assert_eq!(e.message, "`unit` is empty");
    }

    #[test]
    fn yaml_syntax_errors_name_the_line() {
        let e = chart("kind: bar\ntitle: \"open\n").unwrap_err();
        assert!(e.message.starts_with("cannot read the chart block"), "{e}");
        assert!(e.line >= 12, "{e}");
        let e = chart("- a\n- b\n").unwrap_err();
        assert!(e.message.contains("not a list"), "{e}");
    }

    const MAP: &str = "areas: ../data/wards.geojson\nkey: ward\ndata: ../data/referrals.csv\nvalue: referrals\npoints: ../data/premises.csv\ntitle: Referrals\ndescription: Most in Northtown.\n";

    #[test]
    fn a_good_map() {
        let m = map(MAP).unwrap();
        assert_eq!(m.areas, Path::new("content/data/wards.geojson"));
        assert_eq!(m.points.as_deref(), Some(Path::new("content/data/premises.csv")));
        assert_eq!(m.points_label, DEFAULT_POINTS_LABEL);
        assert!(m.labels);
        let spec = FigureSpec::parse("map", MAP, Path::new(FILE), 11).unwrap();
        assert_eq!(spec.files().len(), 3);
        let m = map(&format!("{MAP}labels: false\npoints_label: Flagged premises\n")).unwrap();
        assert!(!m.labels);
        assert_eq!(m.points_label, "Flagged premises");
    }

    #[test]
    fn map_errors() {
        let e = map(&MAP.replace("areas: ../data/wards.geojson", "areas: ../data/wards.shp")).unwrap_err();
        assert!(e.message.contains(".geojson or .json"), "{e}");
        let e = map(&format!("{MAP}kind: bar\n")).unwrap_err();
        assert!(e.help.contains("belongs to a chart"), "{}", e.help);
        let e = map(&format!("{MAP}lables: false\n")).unwrap_err();
        assert!(e.help.starts_with("did you mean `labels`?"), "{}", e.help);
        let e = map(&format!("{MAP}labels: no\n")).unwrap_err();
        assert!(e.message.contains("true or false"));
        let e = map(&MAP.replace("key: ward\n", "")).unwrap_err();
        assert_eq!(e.message, "the map has no `key`");
        let e = map(&format!("{}points_label: x\n", MAP.replace("points: ../data/premises.csv\n", ""))).unwrap_err();
        assert!(e.message.contains("without `points`"));
        let e = FigureSpec::parse("mermaid", MAP, Path::new(FILE), 11).unwrap_err();
        assert!(e.message.contains("not a figure"));
    }
}
