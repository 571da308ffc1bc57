//! Reading area boundaries from GeoJSON (RFC 7946): a `FeatureCollection`
//! of `Polygon` and `MultiPolygon` features in WGS84 longitude/latitude,
//! holes allowed. Anything else is refused with the line it is on.

use super::json::{self, Json, Node};
use crate::diagnostic::Diagnostic;
use std::path::{Path, PathBuf};

/// Longitude, latitude in degrees.
pub type LonLat = [f64; 2];

#[derive(Debug, Clone, PartialEq)]
pub struct Areas {
    /// The GeoJSON file, relative to the profile root, for diagnostics.
    pub file: PathBuf,
    pub areas: Vec<Area>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Area {
    /// Properties with text, number or true/false values, as text, in file
    /// order. Numbers are written compactly (`12`, `3.5`).
    pub properties: Vec<(String, String)>,
    pub polygons: Vec<Polygon>,
    /// Line of the feature in the file.
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Polygon {
    /// The outer ring, closed (last position repeats the first).
    pub exterior: Vec<LonLat>,
    /// Holes, closed.
    pub holes: Vec<Vec<LonLat>>,
}

impl Area {
    pub fn property(&self, name: &str) -> Option<&str> {
        self.properties.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

const WRAP_HELP: &str =
    "the file must be a FeatureCollection: {\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", \"properties\": {…}, \"geometry\": {\"type\": \"Polygon\", …}}, …]}";

fn prop_text(n: &Node) -> Option<String> {
    match &n.value {
        Json::Str(s) => Some(s.trim().to_string()),
        Json::Num(v) => {
            Some(if v.fract() == 0.0 && v.abs() < 1e15 { format!("{}", *v as i64) } else { format!("{v}") })
        }
        Json::Bool(b) => Some(b.to_string()),
        // A list of texts, as text: `["partnership"]` is read by the check of
        // values that say who may see an area (`crate::withhold::who_columns`).
        Json::Arr(items) => items.iter().map(prop_text).collect::<Option<Vec<_>>>().map(|v| v.join(", ")),
        _ => None,
    }
}

/// Read a GeoJSON file. `file` is the path authors see, for diagnostics.
pub fn parse(bytes: &[u8], file: &Path) -> Result<Areas, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = 1 + bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count();
        Diagnostic::error(file, line, "not valid UTF-8 text", "save the file as UTF-8; GeoJSON is always UTF-8")
    })?;
    let root = json::parse(text).map_err(|(line, msg)| {
        Diagnostic::error(
            file,
            line,
            format!("not valid JSON: {msg}"),
            "fix the JSON syntax (check commas, brackets and quotes), or export the file again from your GIS",
        )
    })?;
    let err = |line: usize, msg: String, help: &str| Diagnostic::error(file, line, msg, help);
    if let Some(d) = restricting_key(file, &root) {
        return Err(d);
    }
    let kind = root.get("type").and_then(Node::as_str);
    match kind {
        Some("FeatureCollection") => {}
        Some(k @ ("Feature" | "Polygon" | "MultiPolygon")) => {
            return Err(err(root.line, format!("the file holds a single {k}, not a FeatureCollection"), WRAP_HELP))
        }
        Some(k) => {
            return Err(err(root.line, format!("the file is a GeoJSON `{k}`, not a FeatureCollection"), WRAP_HELP))
        }
        None => return Err(err(root.line, "the file has no `\"type\": \"FeatureCollection\"`".into(), WRAP_HELP)),
    }
    let Some(features) = root.get("features") else {
        return Err(err(root.line, "the FeatureCollection has no `features`".into(), WRAP_HELP));
    };
    let Some(features) = features.as_array() else {
        return Err(err(features.line, format!("`features` must be a list, not {}", features.kind()), WRAP_HELP));
    };
    if features.is_empty() {
        return Err(err(
            root.line,
            "the FeatureCollection has no features".into(),
            "add one Polygon or MultiPolygon feature per area",
        ));
    }
    let mut areas = Vec::with_capacity(features.len());
    for (k, f) in features.iter().enumerate() {
        let which = format!("feature {}", k + 1);
        if !matches!(f.value, Json::Obj(_)) {
            return Err(err(f.line, format!("{which} is {}, not an object", f.kind()), WRAP_HELP));
        }
        if f.get("type").and_then(Node::as_str) != Some("Feature") {
            return Err(err(f.line, format!("{which} has no `\"type\": \"Feature\"`"), WRAP_HELP));
        }
        let mut properties = Vec::new();
        match f.get("properties") {
            Some(Node { value: Json::Obj(members), .. }) => {
                for (key, v) in members {
                    if let Some(t) = prop_text(v) {
                        properties.push((key.clone(), t));
                    }
                }
            }
            Some(Node { value: Json::Null, .. }) | None => {}
            Some(p) => {
                return Err(err(
                    p.line,
                    format!("`properties` of {which} must be an object, not {}", p.kind()),
                    WRAP_HELP,
                ))
            }
        }
        let named = match properties.first() {
            Some((_, v)) => format!("{which} (`{v}`)"),
            None => which.clone(),
        };
        let geometry = match f.get("geometry") {
            Some(g @ Node { value: Json::Obj(_), .. }) => g,
            Some(Node { line, value: Json::Null }) => {
                return Err(err(
                    *line,
                    format!("{named} has no geometry"),
                    "give every area a Polygon or MultiPolygon boundary, or remove the feature",
                ))
            }
            Some(g) => {
                return Err(err(g.line, format!("the geometry of {named} is {}, not an object", g.kind()), WRAP_HELP))
            }
            None => {
                return Err(err(
                    f.line,
                    format!("{named} has no `geometry`"),
                    "give every area a Polygon or MultiPolygon boundary",
                ))
            }
        };
        let coords = geometry.get("coordinates");
        let polygons =
            match geometry.get("type").and_then(Node::as_str) {
                Some("Polygon") => {
                    let c = coords.ok_or_else(|| {
                        err(geometry.line, format!("the Polygon of {named} has no `coordinates`"), WRAP_HELP)
                    })?;
                    vec![polygon(c, &named, file)?]
                }
                Some("MultiPolygon") => {
                    let c = coords.ok_or_else(|| {
                        err(geometry.line, format!("the MultiPolygon of {named} has no `coordinates`"), WRAP_HELP)
                    })?;
                    let list = c.as_array().ok_or_else(|| {
                        err(
                            c.line,
                            format!("the MultiPolygon coordinates of {named} must be a list of polygons"),
                            WRAP_HELP,
                        )
                    })?;
                    if list.is_empty() {
                        return Err(err(
                            c.line,
                            format!("the MultiPolygon of {named} has no polygons"),
                            "give it at least one polygon, or remove the feature",
                        ));
                    }
                    list.iter().map(|p| polygon(p, &named, file)).collect::<Result<Vec<_>, _>>()?
                }
                Some(t @ ("Point" | "MultiPoint")) => {
                    return Err(err(
                        geometry.line,
                        format!("{named} is a {t}; only Polygon and MultiPolygon areas can be shaded"),
                        "put points in a CSV file (name, lat, lon) and give it as the map's `points:`",
                    ))
                }
                Some(t) => return Err(err(
                    geometry.line,
                    format!("{named} is a {t}; only Polygon and MultiPolygon areas can be shaded"),
                    "export the areas as polygons (in QGIS: Vector › Geometry Tools, or save only the polygon layer)",
                )),
                None => return Err(err(geometry.line, format!("the geometry of {named} has no `type`"), WRAP_HELP)),
            };
        areas.push(Area { properties, polygons, line: f.line });
    }
    Ok(Areas { file: file.to_path_buf(), areas })
}

fn polygon(n: &Node, named: &str, file: &Path) -> Result<Polygon, Diagnostic> {
    let err = |line: usize, msg: String, help: &str| Diagnostic::error(file, line, msg, help);
    let rings = n.as_array().ok_or_else(|| {
        err(n.line, format!("polygon coordinates of {named} must be a list of rings, not {}", n.kind()), WRAP_HELP)
    })?;
    if rings.is_empty() {
        return Err(err(n.line, format!("a polygon of {named} has no rings"), "give the polygon its outer ring"));
    }
    let mut out = Vec::with_capacity(rings.len());
    for r in rings {
        let positions = r.as_array().ok_or_else(|| {
            err(r.line, format!("a ring of {named} must be a list of [longitude, latitude] positions"), WRAP_HELP)
        })?;
        let mut ring = Vec::with_capacity(positions.len());
        for p in positions {
            let nums: Option<Vec<f64>> = p.as_array().map(|a| {
                a.iter()
                    .filter_map(|x| match x.value {
                        Json::Num(v) => Some(v),
                        _ => None,
                    })
                    .collect()
            });
            let (lon, lat) = match (&nums, p.as_array().map(<[Node]>::len)) {
                (Some(v), Some(len)) if v.len() == len && len >= 2 => (v[0], v[1]),
                _ => {
                    return Err(err(
                        p.line,
                        format!("a position in {named} is not a [longitude, latitude] pair of numbers"),
                        "each position is written [longitude, latitude], e.g. [-2.05, 54.51]",
                    ))
                }
            };
            if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
                return Err(err(
                    p.line,
                    format!("position [{lon}, {lat}] in {named} is not a longitude and latitude"),
                    "export the file in WGS84 longitude/latitude (EPSG:4326), not in metres such as British National Grid (EPSG:27700)",
                ));
            }
            ring.push([lon, lat]);
        }
        if ring.len() < 4 {
            return Err(err(
                r.line,
                format!("a ring of {named} has {} positions; a closed ring needs at least 4", ring.len()),
                "list the corners, then repeat the first position at the end",
            ));
        }
        if ring.first() != ring.last() {
            return Err(err(
                r.line,
                format!("a ring of {named} is not closed: its last position differs from its first"),
                "repeat the first position at the end of the ring (GeoJSON rings are closed)",
            ));
        }
        out.push(ring);
    }
    let mut rings = out.into_iter();
    let exterior = rings.next().expect("checked non-empty");
    Ok(Polygon { exterior, holes: rings.collect() })
}

/// A key anywhere in the file that reads as a restriction (`audience`,
/// `classification`, or a near miss of either), on a feature, in its
/// properties at any depth, or on the collection: nothing reads it, so the
/// areas would reach every edition that shows the map. Refused.
fn restricting_key(file: &Path, node: &Node) -> Option<Diagnostic> {
    let members: Box<dyn Iterator<Item = (Option<&str>, &Node)>> = match &node.value {
        Json::Obj(m) => Box::new(m.iter().map(|(k, v)| (Some(k.as_str()), v))),
        Json::Arr(items) => Box::new(items.iter().map(|v| (None, v))),
        _ => return None,
    };
    for (key, v) in members {
        if let Some(key) = key {
            if crate::withhold::residue::restricting_name(key, true).is_some() {
                return Some(Diagnostic::error(
                    file,
                    v.line,
                    format!("the key `{}` is not read: an area cannot be kept from some editions one by one", key.escape_debug()),
                    "every area of a GeoJSON file reaches every edition that shows its map: put the areas some editions may not see in a file of their own, named by a map in a block or span restricted to the others, or mark the whole file with its sidecar's `audience`",
                ));
            }
        }
        if let Some(d) = restricting_key(file, v) {
            return Some(d);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<Areas, Diagnostic> {
        parse(s.as_bytes(), Path::new("content/data/a.geojson"))
    }

    const SQUARE: &str = "[[[-2,54],[-1,54],[-1,55],[-2,55],[-2,54]]]";

    fn fc(features: &str) -> String {
        format!("{{\"type\": \"FeatureCollection\", \"features\": [\n{features}\n]}}")
    }

    fn feature(props: &str, geometry: &str) -> String {
        format!("{{\"type\": \"Feature\", \"properties\": {props}, \"geometry\": {geometry}}}")
    }

    #[test]
    fn polygons_multipolygons_holes_and_properties() {
        let hole = "[[[-2,54],[-1,54],[-1,55],[-2,55],[-2,54]],[[-1.6,54.4],[-1.4,54.4],[-1.4,54.6],[-1.6,54.4]]]";
        let doc = fc(&[
            feature(
                r#"{"ward": "North", "code": 7, "pop": 1.5, "flag": true, "none": null}"#,
                &format!("{{\"type\": \"Polygon\", \"coordinates\": {hole}}}"),
            ),
            feature(
                r#"{"ward": "South"}"#,
                &format!("{{\"type\": \"MultiPolygon\", \"coordinates\": [{SQUARE}, {SQUARE}]}}"),
            ),
        ]
        .join(",\n"));
        let a = p(&doc).unwrap();
        assert_eq!(a.areas.len(), 2);
        let north = &a.areas[0];
        assert_eq!(north.property("ward"), Some("North"));
        assert_eq!(north.property("code"), Some("7"));
        assert_eq!(north.property("pop"), Some("1.5"));
        assert_eq!(north.property("flag"), Some("true"));
        assert_eq!(north.property("none"), None);
        assert_eq!(north.polygons[0].holes.len(), 1);
        assert_eq!(north.polygons[0].exterior[1], [-1.0, 54.0]);
        assert_eq!(north.line, 2);
        assert_eq!(a.areas[1].polygons.len(), 2);
        assert_eq!(a.areas[1].line, 3);
    }

    #[test]
    fn a_property_that_reads_as_a_restriction_is_refused() {
        let poly = format!("{{\"type\": \"Polygon\", \"coordinates\": {SQUARE}}}");
        for key in [
            "audience",
            "Audience",
            "audiences",
            "data-audience",
            "classification",
            "audeince",
            "cleared_for",
            "Cleared For",
        ] {
            let doc = fc(&[
                feature(r#"{"ward": "North"}"#, &poly),
                feature(&format!("{{\"ward\": \"Zq\", \"{key}\": \"partnership\"}}"), &poly),
            ]
            .join(",\n"));
            let e = p(&doc).unwrap_err();
            assert!(e.message.contains("not read") && e.line == 3, "{key}: {e:?}");
        }
        // On the feature, deeper in its properties, or on the collection.
        for doc in [
            fc(&format!("{{\"type\": \"Feature\", \"audience\": [\"partnership\"], \"properties\": {{}}, \"geometry\": {poly}}}")),
            fc(&feature(r#"{"ward": "Zq", "restrict": {"audience": "partnership"}}"#, &poly)),
            fc(&feature(r#"{"ward": "Zq", "tags": [{"Classification": "OFFICIAL-SENSITIVE"}]}"#, &poly)),
            format!("{{\"type\": \"FeatureCollection\", \"audience\": [\"partnership\"], \"features\": [{}]}}", feature("{}", &poly)),
        ] {
            assert!(p(&doc).unwrap_err().message.contains("not read"), "{doc}");
        }
        let doc = fc(&feature(r#"{"ward": "North", "audit": "2024", "science": 1}"#, &poly));
        assert!(p(&doc).is_ok(), "other names stay");
    }

    #[test]
    fn json_syntax_errors_name_the_line() {
        let e = p("{\"type\": \"FeatureCollection\",\n \"features\": [\n  {\"type\": \"Feature\",}\n]}").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.starts_with("not valid JSON"), "{e}");
    }

    #[test]
    fn not_a_feature_collection() {
        let e = p(&feature("{}", &format!("{{\"type\": \"Polygon\", \"coordinates\": {SQUARE}}}"))).unwrap_err();
        assert!(e.message.contains("single Feature"), "{e}");
        assert!(e.help.contains("FeatureCollection"));
        let e = p("[1]").unwrap_err();
        assert!(e.message.contains("no `\"type\": \"FeatureCollection\"`"), "{e}");
        let e = p("{\"type\": \"FeatureCollection\", \"features\": []}").unwrap_err();
        assert!(e.message.contains("no features"), "{e}");
        let e = p("{\"type\": \"FeatureCollection\", \"features\": {}}").unwrap_err();
        assert!(e.message.contains("must be a list"), "{e}");
    }

    #[test]
    fn points_and_lines_are_refused_at_their_line() {
        let doc = fc(&[
            feature(r#"{"ward": "A"}"#, &format!("{{\"type\": \"Polygon\", \"coordinates\": {SQUARE}}}")),
            feature(r#"{"ward": "B"}"#, "{\"type\": \"Point\", \"coordinates\": [-2, 54]}"),
        ]
        .join(",\n"));
        let e = p(&doc).unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("feature 2 (`B`) is a Point"), "{e}");
        assert!(e.help.contains("points:"));
        let doc = fc(&feature("{}", "{\"type\": \"LineString\", \"coordinates\": [[-2, 54], [-1, 54]]}"));
        assert!(p(&doc).unwrap_err().message.contains("is a LineString"));
        let doc = fc(&feature("{}", "null"));
        assert!(p(&doc).unwrap_err().message.contains("has no geometry"));
    }

    #[test]
    fn bad_rings_and_positions() {
        let open = "{\"type\": \"Polygon\", \"coordinates\": [[[-2,54],[-1,54],[-1,55],[-2,55]]]}";
        let e = p(&fc(&feature("{}", open))).unwrap_err();
        assert!(e.message.contains("not closed"), "{e}");
        let short = "{\"type\": \"Polygon\", \"coordinates\": [[[-2,54],[-1,54],[-2,54]]]}";
        assert!(p(&fc(&feature("{}", short))).unwrap_err().message.contains("at least 4"));
        let metres =
            "{\"type\": \"Polygon\", \"coordinates\": [[\n[400000,500000],[400100,500000],[400100,500100],[400000,500000]]]}";
        let e = p(&fc(&feature("{}", metres))).unwrap_err();
        assert!(e.help.contains("EPSG:4326"), "{e}");
        assert_eq!(e.line, 3);
        let text = "{\"type\": \"Polygon\", \"coordinates\": [[[\"a\",54],[-1,54],[-1,55],[-2,54]]]}";
        assert!(p(&fc(&feature("{}", text))).unwrap_err().message.contains("not a [longitude, latitude] pair"));
        let flat = "{\"type\": \"Polygon\", \"coordinates\": [[-2,54],[-1,54],[-1,55],[-2,54]]}";
        assert!(p(&fc(&feature("{}", flat))).is_err());
    }

    #[test]
    fn altitude_is_ignored() {
        let z = "{\"type\": \"Polygon\", \"coordinates\": [[[-2,54,10],[-1,54,10],[-1,55,10],[-2,54,10]]]}";
        let a = p(&fc(&feature("{\"n\": \"x\"}", z))).unwrap();
        assert_eq!(a.areas[0].polygons[0].exterior[0], [-2.0, 54.0]);
    }
}
