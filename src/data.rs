//! Data files that figures read: CSV tables and GeoJSON areas under
//! `content/`, each with an optional **sidecar** (`name.csv.yaml`) giving the
//! file its own marking and audience. Everything here is read and checked
//! once, for every edition; what each edition may see of a data file (the
//! whole file, by its sidecar; each row, by its `audience` cell) is decided
//! in [`crate::withhold::figures`].
//!
//! Fail closed: a sidecar must give both `classification` and `audience`;
//! an unknown key, marking, caveat or edition, an empty value, a sidecar
//! without its data file, or a sidecar spelt `.yml` is an error. So is an
//! empty `audience` cell. Data files are never published: a Markdown link to
//! one (or to any CSV with an `audience` column) is an error, since a linked
//! file is copied whole, with every row.

use crate::config::Profile;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::figures::{csv, geojson, FigureSpec};
use crate::links::Reference;
use crate::load::Content;
use crate::marking::Marking;
use crate::markup::{Audience, Vocabulary};
use crate::withhold::who_columns::{Says, WhoWords};
use crate::yamlpos::YamlText;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What a data file holds.
#[derive(Debug, Clone)]
pub enum Data {
    Table(csv::Table),
    Areas(geojson::Areas),
}

/// A data file's own marking and audience, from its sidecar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sidecar {
    /// The sidecar's path, relative to the root.
    pub file: PathBuf,
    pub classification: Marking,
    pub handling: Vec<String>,
    pub audience: Audience,
}

/// One data file, read and checked.
#[derive(Debug, Clone)]
pub struct DataFile {
    /// Relative to the root.
    pub file: PathBuf,
    pub data: Data,
    /// For a CSV with an `audience` column: each row's audience, in row order.
    pub row_audience: Option<Vec<Audience>>,
    pub sidecar: Option<Sidecar>,
}

/// The sidecar of a data file: `content/data/x.csv` → `content/data/x.csv.yaml`.
pub fn sidecar_path(data: &Path) -> PathBuf {
    let mut s = data.as_os_str().to_owned();
    s.push(".yaml");
    PathBuf::from(s)
}

const DATA_EXTENSIONS: [&str; 3] = ["csv", "geojson", "json"];

/// If `p` is named like a sidecar (`x.csv.yaml`, or misspelt `x.csv.yml`):
/// the data file it describes, and whether the name is the right one.
pub fn sidecar_of(p: &Path) -> Option<(PathBuf, bool)> {
    let name = p.file_name()?.to_str()?;
    let lower = name.to_ascii_lowercase();
    for (suffix, right) in [(".yaml", true), (".yml", false)] {
        let Some(stem) = lower.strip_suffix(suffix) else { continue };
        let data_ext = Path::new(stem).extension().and_then(|e| e.to_str())?;
        if DATA_EXTENSIONS.contains(&data_ext) && name.len() > suffix.len() {
            return Some((p.with_file_name(&name[..name.len() - suffix.len()]), right && name.ends_with(suffix)));
        }
    }
    None
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSidecar {
    classification: Option<String>,
    audience: Option<Vec<String>>,
    handling: Option<Vec<String>>,
}

/// Read and check a sidecar's text.
pub fn parse_sidecar(text: &str, file: &Path, profile: &Profile) -> Result<Sidecar, Diagnostics> {
    let text = crate::config::normalise_text(text);
    let raw: RawSidecar = crate::yaml::parse(&text, file, 1)?;
    let y = YamlText::new(&text, 1);
    let vocab = Vocabulary { profile };
    let mut d = Diagnostics::default();
    let mut err = |line: usize, (m, h): (String, String)| d.push(Diagnostic::error(file, line, m, h));
    let classification = match raw.classification {
        None => {
            err(
                1,
                (
                    "this data file's sidecar has no `classification`".into(),
                    "add `classification: OFFICIAL` (or OFFICIAL-SENSITIVE): a sidecar gives its data file's marking, and nothing is marked by default".into(),
                ),
            );
            None
        }
        Some(c) => vocab.marking(c.trim()).map_err(|p| err(y.key(&["classification"]), p)).ok(),
    };
    let audience = match raw.audience {
        None => {
            err(
                1,
                (
                    "this data file's sidecar has no `audience`".into(),
                    "add `audience: [partnership]` (edition ids from brief.yaml) or `audience: [all]`; nothing is shared by default".into(),
                ),
            );
            None
        }
        Some(a) => vocab.audience(&a).map_err(|p| err(y.key(&["audience"]), p)).ok(),
    };
    let handling = raw.handling.unwrap_or_default();
    if let Err(p) = vocab.handling(&handling) {
        err(y.key(&["handling"]), p);
    }
    match (classification, audience) {
        (Some(classification), Some(audience)) if !d.has_errors() => {
            Ok(Sidecar { file: file.to_path_buf(), classification, handling, audience })
        }
        _ => Err(d),
    }
}

/// Each row's audience, from the `audience` column: edition ids separated
/// by spaces or commas, or `all`. An empty cell is an error.
fn row_audiences(t: &csv::Table, profile: &Profile) -> Result<Option<Vec<Audience>>, Diagnostics> {
    let Some(col) = t.audience_column() else { return Ok(None) };
    let vocab = Vocabulary { profile };
    let mut d = Diagnostics::default();
    let mut out = Vec::with_capacity(t.rows.len());
    for row in &t.rows {
        let ids: Vec<String> = row.cells[col]
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        if ids.is_empty() {
            d.push(Diagnostic::error(
                &t.file,
                row.line,
                "this row's `audience` is empty",
                "give every row its editions (ids from brief.yaml separated by spaces) or `all`; nothing is published by default",
            ));
            continue;
        }
        match vocab.audience(&ids) {
            Ok(a) => out.push(a),
            Err((m, h)) => d.push(Diagnostic::error(&t.file, row.line, m, h)),
        }
    }
    if d.has_errors() {
        Err(d)
    } else {
        Ok(Some(out))
    }
}

/// Read one data file (relative to `root`) and its sidecar, if it has one.
pub fn read(root: &Path, file: &Path, profile: &Profile) -> Result<DataFile, Diagnostics> {
    let one = |d: Diagnostic| Diagnostics(vec![d]);
    let bytes = crate::load::read_source(root, file).map_err(one)?;
    // Private-use characters are reserved for the renderer's internal markers.
    let bytes = match String::from_utf8(bytes) {
        Ok(t) if t.chars().any(|c| ('\u{E000}'..='\u{E00F}').contains(&c)) => t
            .chars()
            .map(|c| if ('\u{E000}'..='\u{E00F}').contains(&c) { '\u{FFFD}' } else { c })
            .collect::<String>()
            .into_bytes(),
        Ok(t) => t.into_bytes(),
        Err(e) => e.into_bytes(),
    };
    let csv = file.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let mut d = Diagnostics::default();
    let (data, row_audience) = if csv {
        let t = csv::parse(&bytes, file).map_err(one)?;
        match row_audiences(&t, profile) {
            Ok(r) => (Some(Data::Table(t)), r),
            Err(e) => {
                d.extend(e);
                (None, None)
            }
        }
    } else {
        (Some(Data::Areas(geojson::parse(&bytes, file).map_err(one)?)), None)
    };
    if let Some(data) = &data {
        d.extend(restriction_syntax_in(data, file));
        d.extend(columns_saying_who(data, file, &WhoWords::new(profile)));
    }
    let side = sidecar_path(file);
    let sidecar = match std::fs::read(root.join(&side)) {
        Ok(b) => match String::from_utf8(b) {
            Ok(text) => match parse_sidecar(&text, &side, profile) {
                Ok(s) => Some(s),
                Err(e) => {
                    d.extend(e);
                    None
                }
            },
            Err(_) => {
                d.push(Diagnostic::error(&side, 0, "not valid UTF-8 text", "save the sidecar as UTF-8"));
                None
            }
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            d.push(Diagnostic::error(&side, 0, format!("cannot read: {e}"), "check the file can be read"));
            None
        }
    };
    match data {
        Some(data) if !d.has_errors() => Ok(DataFile { file: file.to_path_buf(), data, row_audience, sidecar }),
        _ => Err(d),
    }
}

/// Columns (or GeoJSON properties) other than `audience` whose values say
/// who may see each row ([`crate::withhold::who_columns`]): nothing reads them, so every
/// row would reach every edition that shows the figure. Refused.
fn columns_saying_who(data: &Data, file: &Path, who: &WhoWords) -> Diagnostics {
    let mut d = Diagnostics::default();
    // (name, [(line, value)]) for each column or property.
    let columns: Vec<(&str, Vec<(usize, &str)>)> = match data {
        Data::Table(t) => t
            .header
            .iter()
            .enumerate()
            .filter(|(_, h)| !h.eq_ignore_ascii_case(csv::AUDIENCE_COLUMN))
            .map(|(k, h)| (h.as_str(), t.rows.iter().map(|r| (r.line, r.cells[k].as_str())).collect()))
            .collect(),
        Data::Areas(a) => {
            let keys: BTreeSet<&str> =
                a.areas.iter().flat_map(|x| x.properties.iter().map(|(k, _)| k.as_str())).collect();
            let values = |key: &str| -> Vec<(usize, &str)> {
                a.areas
                    .iter()
                    .flat_map(|x| x.properties.iter().filter(|(k, _)| k == key).map(|(_, v)| (x.line, v.as_str())))
                    .collect()
            };
            keys.into_iter().map(|k| (k, values(k))).collect()
        }
    };
    for (name, values) in columns {
        let Some(says) = who.column(name, values.iter().map(|(_, v)| *v)) else { continue };
        // The first value that shows why: one naming an edition, or a marking (above OFFICIAL if any).
        let higher = |v: &str| who.shows(says, v) && !v.trim().eq_ignore_ascii_case("official");
        let shown = values.iter().find(|(_, v)| higher(v)).or_else(|| values.iter().find(|(_, v)| who.shows(says, v)));
        let (line, first) = shown.copied().unwrap_or((1, ""));
        let name = name.escape_debug();
        let first = first.escape_debug();
        let (message, help) = match (data, says) {
            (Data::Table(_), Says::Audience) => (
                format!("column `{name}` says which editions may see each row (`{first}`), as an `audience` column would, but only a column named `audience` keeps rows from editions: every row would reach every edition"),
                "name the column exactly `audience` (edition ids separated by spaces, or `all`) to keep each row to the editions it names; if the values are data, not who may see the row, write them otherwise",
            ),
            (Data::Table(_), Says::Marking) => (
                format!("column `{name}` holds a marking in every row (`{first}`), but a row cannot carry its own marking: every row would reach every edition, marked as the file is"),
                "keep each row to the editions it may reach with an `audience` column, or put the rows of a higher marking in a file of their own, marked by its sidecar; if the values are data, write them otherwise",
            ),
            (Data::Areas(_), _) => (
                format!("property `{name}` says who may see each area (`{first}`), but nothing reads it: every area would reach every edition that shows the map"),
                "put the areas some editions may not see in a file of their own, restricted by its sidecar's `audience` (or named by a map in a block restricted to the others); if the values are data, write them otherwise",
            ),
        };
        d.push(Diagnostic::error(file, line, message, help));
    }
    d
}

/// Cells and property values that look like restriction syntax. A data
/// file is not Markdown: such text would be drawn as written in every
/// edition that shows the figure, so it is refused as it is in front matter.
fn restriction_syntax_in(data: &Data, file: &Path) -> Diagnostics {
    let texts: Vec<(usize, &str)> = match data {
        Data::Table(t) => std::iter::once((1, &t.header))
            .chain(t.rows.iter().map(|r| (r.line, &r.cells)))
            .flat_map(|(line, cells)| cells.iter().map(move |c| (line, c.as_str())))
            .collect(),
        Data::Areas(a) => {
            a.areas.iter().flat_map(|x| x.properties.iter().map(move |(_, v)| (x.line, v.as_str()))).collect()
        }
    };
    use crate::withhold::residue::{holds_comment, looks_restricted};
    let bad = texts.into_iter().filter_map(|(line, t)| {
        let what = if looks_restricted(t) {
            "restriction syntax"
        } else if holds_comment(t) {
            "an HTML comment (`<!--`)"
        } else {
            return None;
        };
        Some((line, t, what))
    });
    Diagnostics(
        bad.map(|(line, text, what)| {
            Diagnostic::error(
                file,
                line,
                format!("`{}` holds {what}, which is not read in a data file", text.escape_debug()),
                "a data file goes to every edition that shows its figure, as written: keep a row to some editions with an `audience` column (CSV), or the whole file with its sidecar's `audience`",
            )
        })
        .collect(),
    )
}

/// A YAML file under `content/` that is not named as a sidecar: nothing
/// reads it, so one meant as a sidecar (`t.yaml` for `t.csv`, a name
/// ending in a space, or saved with more after it: `t.csv.yaml.txt`,
/// `t.csv.yaml~`) would leave its data file unmarked, in every edition.
fn stray_yaml(f: &Path) -> Option<Diagnostic> {
    let name = f.file_name()?.to_str()?.to_lowercase();
    let parts: Vec<&str> = name.split('.').map(|p| p.trim_matches(|c: char| !c.is_alphanumeric())).collect();
    let yaml = parts.iter().skip(1).any(|p| p.starts_with("yaml") || p.starts_with("yml"));
    // `t.csv.json`, `t.csv.txt`: a sidecar written in another form.
    let after_data = parts.len() > 2 && parts[1..parts.len() - 1].iter().any(|p| DATA_EXTENSIONS.contains(p));
    // `t.csv_yaml`, `t.csv,yaml`, `t.csvyaml`: a data file's name and
    // `yaml` run together by some other character, or none.
    let words: Vec<&str> = name.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let is_yaml = |w: &str| w.starts_with("yaml") || w.starts_with("yml");
    let joined = words.iter().skip(1).enumerate().any(|(i, w)| {
        DATA_EXTENSIONS.iter().any(|x| w.strip_prefix(x).is_some_and(is_yaml))
            || DATA_EXTENSIONS.contains(&words[i]) && is_yaml(w)
    });
    if !yaml && !after_data && !joined {
        return None;
    }
    Some(Diagnostic::error(
        f,
        0,
        "named like a data file's sidecar, but not read as one",
        "a sidecar is YAML, named after its data file with `.yaml` added (`t.csv.yaml` for `t.csv`), with nothing after it; as it is, this file is not read, and no data file is marked by it (rename it, or move it out of content/)",
    ))
}

/// The key of `spec` that names `file`, for messages.
fn key_naming(spec: &FigureSpec, file: &Path) -> &'static str {
    match spec {
        FigureSpec::Chart(_) => "data",
        FigureSpec::Map(m) if m.areas == file => "areas",
        FigureSpec::Map(m) if m.points.as_deref() == Some(file) => "points",
        FigureSpec::Map(_) => "data",
    }
}

/// Every data file the profile holds: those figures name and those with a
/// sidecar, read through `read` (which may answer from a cache). Also
/// refuses sidecars without their file, sidecars spelt `.yml`, figures
/// naming a file that is not there, and links that would publish a data file.
pub fn load_all(
    content: &Content,
    read: &(dyn Fn(&Path) -> Result<Arc<DataFile>, Diagnostics> + Sync),
) -> Result<BTreeMap<PathBuf, Arc<DataFile>>, Diagnostics> {
    use rayon::prelude::*;
    let mut d = Diagnostics::default();
    let mut wanted: BTreeSet<PathBuf> = BTreeSet::new();
    let mut sidecars: BTreeSet<PathBuf> = BTreeSet::new();
    for s in &content.sections {
        for spec in &s.figures {
            for f in spec.files() {
                if content.files.contains(f) {
                    wanted.insert(f.to_path_buf());
                } else {
                    d.push(spec.origin().error(
                        key_naming(spec, f),
                        format!("data file {} does not exist", f.display()),
                        "correct the path: it is relative to this section's file (or to content/ when it starts with /), and hidden or ignored files are not read",
                    ));
                }
            }
        }
    }
    for f in &content.files {
        let Some((data, right)) = sidecar_of(f) else {
            d.0.extend(stray_yaml(f));
            continue;
        };
        if !right {
            d.push(Diagnostic::error(
                f,
                0,
                "a data file's sidecar must be named after it with `.yaml` added",
                format!(
                    "rename it {}; as it is, it would not be read, and the file would go unmarked",
                    sidecar_path(&data).display()
                ),
            ));
        } else if !content.files.contains(&data) {
            d.push(Diagnostic::error(
                f,
                0,
                format!("this sidecar describes {}, which does not exist", data.display()),
                "rename the sidecar to the data file's name with `.yaml` added, or remove it",
            ));
        } else {
            wanted.insert(data);
        }
        sidecars.insert(f.clone());
    }
    let read_all: Vec<(PathBuf, Result<Arc<DataFile>, Diagnostics>)> =
        wanted.par_iter().map(|f| (f.clone(), read(f))).collect();
    let mut out = BTreeMap::new();
    for (f, r) in read_all {
        match r {
            Ok(data) => {
                out.insert(f, data);
            }
            Err(e) => d.extend(e),
        }
    }
    // A link copies a file whole, every row with it. Each link as loading
    // classified it: no link is read twice, and a section none of whose
    // links leads to a file (most of them) is passed over at once.
    let linked: Vec<Diagnostic> = content
        .sections
        .par_iter()
        .enumerate()
        .filter(|(at, _)| {
            content.references_of(*at).is_none_or(|r| r.values().any(|x| matches!(x, Reference::File(_))))
        })
        .flat_map_iter(|(at, s)| data_links(content, at, s, &out))
        .collect();
    d.0.extend(linked);
    if d.has_errors() {
        Err(d.sorted())
    } else {
        Ok(out)
    }
}

/// Errors for section `at`'s links to data files: `figure_data` (the files
/// figures read) or a CSV with an `audience` column.
fn data_links(
    content: &Content,
    at: usize,
    s: &crate::section::Section,
    figure_data: &BTreeMap<PathBuf, Arc<DataFile>>,
) -> Vec<Diagnostic> {
    let mut d = Vec::new();
    for l in s.body.links.iter().filter(|l| !l.is_image) {
        let Reference::File(f) = &*content.reference_at(at, &l.url) else { continue };
        let figure_data = figure_data.contains_key(f);
        if !figure_data && is_csv(f) && content.files.contains(f) {
            if let Some(problem) = unreadable_csv(content, f) {
                d.push(Diagnostic::error(
                    &s.file,
                    l.line,
                    format!("link to {}, which cannot be read as a table: {problem}", f.display()),
                    "a linked CSV is checked for an `audience` column before it is copied, so it must read as a table: save it as CSV UTF-8, with commas between fields",
                ));
                continue;
            }
        }
        if figure_data || (is_table(f) && content.files.contains(f) && has_audience_column(content, f)) {
            d.push(Diagnostic::error(
                &s.file,
                l.line,
                format!("link to data file {}: data files are not published", f.display()),
                if figure_data {
                    "a linked file is copied whole into every edition that keeps the link, rows and all: draw it with a ```chart or ```map block instead, which shows each edition only its rows"
                } else {
                    "this table has an `audience` column (or one like it by its name or by its values, edition ids or markings, saying who may see each row), but a linked file is copied whole, every row with it: draw it with a ```chart block instead, or link a copy holding only the rows every reader of the link may see"
                },
            ));
        }
    }
    d
}

fn is_csv(f: &Path) -> bool {
    f.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"))
}

/// A file a spreadsheet opens as a table: a CSV, or text it splits at tabs or another separator.
fn is_table(f: &Path) -> bool {
    f.extension().is_some_and(|e| ["csv", "tsv", "tab", "txt", "psv", "dat"].iter().any(|t| e.eq_ignore_ascii_case(t)))
}

/// A linked CSV as the figures' reader reads it (line endings LF, CRLF or
/// CR; quoted fields holding commas and line breaks), its bytes taken as
/// UTF-8 where they are not.
fn linked_table(content: &Content, f: &Path) -> Option<Result<csv::Table, Diagnostic>> {
    let bytes = std::fs::read(content.profile.root.join(f)).ok()?;
    Some(csv::parse(String::from_utf8_lossy(&bytes).as_bytes(), f))
}

/// Why a linked CSV cannot be read as a table, if it cannot: then whether
/// it has an `audience` column cannot be told, and it is not copied.
fn unreadable_csv(content: &Content, f: &Path) -> Option<String> {
    match linked_table(content, f)? {
        Ok(_) => None,
        Err(e) => Some(format!("line {}: {}", e.line, e.message)),
    }
}

/// Whether a linked table has a column that says who may see a row: a
/// cell named `audience` or like it anywhere in it, as the figures' CSV
/// reader reads it and as any line of it reads split at any punctuation
/// but `:` (a spreadsheet takes its separator from a first line `sep=;`, and
/// title lines may come before the header).
fn has_audience_column(content: &Content, f: &Path) -> bool {
    let says_who = |name: &str| {
        let name = name.trim().trim_matches('"').trim();
        name.eq_ignore_ascii_case(csv::AUDIENCE_COLUMN)
            || crate::withhold::residue::restricting_name(name, false).is_some()
    };
    let Ok(bytes) = std::fs::read(content.profile.root.join(f)) else { return false };
    let text = String::from_utf8_lossy(&bytes);
    // Not `:`: a note's `Marking: OFFICIAL` line is text (a `sep=:` table is read below).
    let separator = |c: char| !(c.is_alphanumeric() || matches!(c, ' ' | '_' | '-' | '.' | ':'));
    let lines = || text.lines().flat_map(|l| l.split('\r'));
    if lines().flat_map(|l| l.split(separator)).any(says_who) {
        return true;
    }
    // `sep= ` (a space, or any letter) names a separator the split above keeps.
    let named =
        lines().find(|l| !l.trim().is_empty()).and_then(|l| l.trim_start_matches('\u{feff}').strip_prefix("sep="));
    if let Some(sep) = named.and_then(|s| s.chars().next()) {
        if lines().flat_map(|l| l.split(sep)).any(says_who) {
            return true;
        }
    }
    let who = WhoWords::new(&content.profile);
    // Split at whatever a spreadsheet may take as the separator, each in turn.
    let split_by = |sep: char| {
        let body = lines().enumerate().skip_while(|(_, l)| {
            let l = l.trim().trim_start_matches('\u{feff}');
            l.is_empty() || l.starts_with("sep=")
        });
        let mut rows = body.map(|(i, l)| csv::Row {
            cells: l.split(sep).map(|c| c.trim().trim_matches('"').trim().to_string()).collect(),
            line: i + 1,
        });
        let header = rows.next().map(|r| r.cells).unwrap_or_default();
        let rows: Vec<csv::Row> = rows.filter(|r| r.cells.len() == header.len()).collect();
        csv::Table { file: f.to_path_buf(), header, rows }
    };
    let by_value = |t: csv::Table| !columns_saying_who(&Data::Table(t), f, &who).0.is_empty();
    if [';', '\t', '|'].into_iter().chain(named.and_then(|s| s.chars().next())).any(|sep| by_value(split_by(sep))) {
        return true;
    }
    let Some(Ok(table)) = linked_table(content, f) else { return false };
    std::iter::once(&table.header).chain(table.rows.iter().map(|r| &r.cells)).flatten().any(|cell| says_who(cell))
        || by_value(table)
}

/// Files under `content/` that figures read, or that are sidecars: for
/// `brief check`'s list of files nothing references.
pub fn used_files(content: &Content) -> BTreeSet<PathBuf> {
    let mut used: BTreeSet<PathBuf> = content.data.keys().cloned().collect();
    for f in &content.files {
        if sidecar_of(f).is_some() {
            used.insert(f.clone());
        }
    }
    used
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::tests::profile;

    #[test]
    fn sidecar_names() {
        assert_eq!(sidecar_path(Path::new("content/d/x.csv")), Path::new("content/d/x.csv.yaml"));
        assert_eq!(sidecar_of(Path::new("content/d/x.csv.yaml")), Some((PathBuf::from("content/d/x.csv"), true)));
        assert_eq!(
            sidecar_of(Path::new("content/d/x.geojson.yml")),
            Some((PathBuf::from("content/d/x.geojson"), false))
        );
        assert_eq!(sidecar_of(Path::new("content/d/x.CSV.yaml")), Some((PathBuf::from("content/d/x.CSV"), true)));
        assert_eq!(sidecar_of(Path::new("content/d/x.yaml")), None);
        assert_eq!(sidecar_of(Path::new("content/d/x.md")), None);
    }

    fn side(text: &str) -> Result<Sidecar, Diagnostics> {
        parse_sidecar(text, Path::new("content/d/x.csv.yaml"), &profile())
    }

    #[test]
    fn sidecars_fail_closed() {
        let s = side("classification: OFFICIAL-SENSITIVE\naudience: [partnership]\n").unwrap();
        assert_eq!(s.classification, Marking::OfficialSensitive);
        assert_eq!(s.audience, Audience::Only(vec!["partnership".into()]));
        let e = side("audience: [partnership]\n").unwrap_err();
        assert!(e.0[0].message.contains("no `classification`"), "{e:?}");
        let e = side("classification: OFFICIAL\n").unwrap_err();
        assert!(e.0[0].message.contains("no `audience`"), "{e:?}");
        let e = side("classification: OFFICIAL\naudience: [partnersihp]\n").unwrap_err();
        assert_eq!(e.0[0].line, 2);
        assert!(e.0[0].help.contains("did you mean `partnership`"), "{e:?}");
        let e = side("classification: OFFICAL\naudience: [all]\n").unwrap_err();
        assert_eq!(e.0[0].line, 1);
        assert!(e.0[0].help.contains("OFFICIAL"), "{e:?}");
        let e = side("classification: OFFICIAL\naudience: [all]\naudiense: [all]\n").unwrap_err();
        assert!(e.0[0].message.contains("unknown key `audiense`") && e.0[0].line == 3, "{e:?}");
        let e = side("classification: OFFICIAL\naudience:\n").unwrap_err();
        assert!(e.0[0].message.contains("no value") && e.0[0].line == 2, "{e:?}");
        let e = side("classification: OFFICIAL\naudience: [all]\nhandling: [PERSONEL DATA]\n").unwrap_err();
        assert!(e.0[0].help.contains("PERSONAL DATA") && e.0[0].line == 3, "{e:?}");
    }

    #[test]
    fn a_yaml_file_not_named_as_a_sidecar_is_refused() {
        for bad in [
            "content/t.yaml",
            "content/d/t.csv.yaml ",
            "content/t.YML",
            "content/t.csv.yaml.",
            "content/notes.yaml",
            "content/p.csv.yaml.txt",
            "content/p.csv.yaml~",
            "content/p.csv.YAML.bak",
            "content/p.csv. yaml",
            "content/p.csv.yaml~1",
            "content/p.csv.json",
            "content/p.geojson.txt",
            "content/d.csv_yaml",
            "content/d.csv,yaml",
            "content/d.csvyaml",
            "content/d.geojson-yml",
            "content/d.CSV YAML",
        ] {
            let f = Path::new(bad);
            assert!(sidecar_of(f).is_none() && stray_yaml(f).is_some(), "{bad}");
        }
        for fine in [
            "content/t.csv",
            "content/notes.v2.md",
            "content/report.2024.pdf",
            "content/a.json",
            "content/yaml-guide.pdf",
            "content/csv-export-notes.pdf",
        ] {
            assert!(stray_yaml(Path::new(fine)).is_none(), "{fine}");
        }
        assert!(sidecar_of(Path::new("content/t.csv.yaml")).is_some());
    }

    #[test]
    fn restriction_syntax_in_a_data_file_is_refused() {
        let t = csv::parse(b"a,b\n1,x\n2,\"[Zq]{audience=\"\"partnership\"\"}\"\n", Path::new("x.csv")).unwrap();
        let e = restriction_syntax_in(&Data::Table(t), Path::new("x.csv"));
        assert_eq!(e.0.len(), 1, "{e:?}");
        assert!(e.0[0].line == 3 && e.0[0].message.contains("restriction syntax"), "{e:?}");
        let t = csv::parse(b"a,b\n1,[plain] {text}\n", Path::new("x.csv")).unwrap();
        assert!(restriction_syntax_in(&Data::Table(t), Path::new("x.csv")).0.is_empty());
        let geo = br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"::: {audience=\"partnership\"}"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}]}"#;
        let a = geojson::parse(geo, Path::new("a.geojson")).unwrap();
        assert_eq!(restriction_syntax_in(&Data::Areas(a), Path::new("a.geojson")).0.len(), 1);
        let t = csv::parse(b"a,b <!-- note -->\n1,x <!-- y -->\n", Path::new("x.csv")).unwrap();
        let e = restriction_syntax_in(&Data::Table(t), Path::new("x.csv"));
        assert!(e.0.len() == 2 && e.0[1].line == 2 && e.0[1].message.contains("HTML comment"), "{e:?}");
    }

    #[test]
    fn row_audiences_are_checked() {
        let t = csv::parse(b"a,audience\n1,all\n2,partnership members\n", Path::new("x.csv")).unwrap();
        let r = row_audiences(&t, &profile()).unwrap().unwrap();
        assert_eq!(r[0], Audience::All);
        let t = csv::parse(b"a,audience\n1,all\n2,\n3,partnershp\n", Path::new("x.csv")).unwrap();
        let e = row_audiences(&t, &profile()).unwrap_err();
        assert_eq!((e.0[0].line, e.0[1].line), (3, 4), "{e:?}");
        assert!(e.0[1].help.contains("did you mean `partnership`"), "{e:?}");
    }
}
