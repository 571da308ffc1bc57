//! Choropleth maps: areas from GeoJSON shaded by a CSV column, with
//! optional point markers from a second CSV.
//!
//! Longitude and latitude are projected at build time (equirectangular,
//! scaled by the cosine of the mean latitude: right for a county) and fitted
//! to the drawing. Values fall into five round-numbered bands; each band has
//! its own hatching as well as its own shade, and areas without a value get
//! a dotted "no data" fill, so the map reads in black-and-white print. The
//! data follow as tables: every area with its value and band, then every
//! point with the area it lies in.

use super::csv::{self, Table};
use super::geojson::{Areas, LonLat};
use super::spec::MapSpec;
use super::svg::{self, n, Cell, DataTable, Frame, INK, MUTED};
use crate::diagnostic::Diagnostic;
use std::collections::BTreeMap;
use std::fmt::Write;

const W: f64 = 400.0;
const PAD: f64 = 8.0;
/// The tallest the map itself may be, in viewBox units.
const MAX_MAP_H: f64 = 440.0;
const FS: f64 = 14.0;
const LABEL_FS: f64 = 11.0;
/// Points closer than this (viewBox units) to the last one kept are dropped.
const SIMPLIFY: f64 = 0.6;

/// The five bands' fills: a shade from light to dark, and hatching that
/// grows denser (lines, then cross-hatching), so bands differ without colour.
const BANDS: [(&str, f64, f64, bool); 5] = [
    // (shade, line spacing, line width, cross-hatched)
    ("#deebf7", 9.0, 0.7, false),
    ("#9ecae1", 6.0, 0.9, false),
    ("#6baed6", 4.0, 1.1, false),
    ("#3182bd", 4.0, 1.1, true),
    ("#08519c", 3.0, 1.3, true),
];

type Xy = (f64, f64);

fn band_patterns(p: &str) -> String {
    let mut s = String::new();
    for (k, (shade, gap, width, cross)) in BANDS.iter().enumerate() {
        let h = gap / 2.0;
        let lines = if *cross { format!("M{} 0V{gap}M0 {}H{gap}", n(h), n(h)) } else { format!("M{} 0V{gap}", n(h)) };
        let _ = write!(
            s,
            "<pattern id=\"{p}-b{}\" patternUnits=\"userSpaceOnUse\" width=\"{gap}\" height=\"{gap}\" patternTransform=\"rotate(45)\">\
             <rect width=\"{gap}\" height=\"{gap}\" fill=\"{shade}\"/><path d=\"{lines}\" stroke=\"{INK}\" stroke-width=\"{}\"/></pattern>",
            k + 1,
            n(*width)
        );
    }
    let _ = write!(
        s,
        "<pattern id=\"{p}-nodata\" patternUnits=\"userSpaceOnUse\" width=\"5\" height=\"5\">\
         <rect width=\"5\" height=\"5\" fill=\"#fff\"/><circle cx=\"2.5\" cy=\"2.5\" r=\"0.9\" fill=\"{MUTED}\"/></pattern>"
    );
    s
}

/// Five bands of equal, round width covering the values, starting at a
/// multiple of the width.
struct Bands {
    start: f64,
    /// The largest value: the last band includes its upper edge only if needed.
    max: f64,
    step: f64,
    integer: bool,
    decimals: usize,
}

impl Bands {
    fn new(values: &[f64]) -> Bands {
        let min = values.iter().copied().fold(f64::INFINITY, f64::min);
        let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let integer = values.iter().all(|v| v.fract() == 0.0);
        // With a single value, bands of about a fifth of it (or of 1).
        let least = if max > min { 0.0 } else { max.abs().max(1.0) / 5.0 };
        let mut candidates = Vec::new();
        for exp in -6..=15 {
            for m in [1.0, 2.0, 2.5, 5.0] {
                candidates.push(m * 10f64.powi(exp));
            }
        }
        let step = candidates
            .into_iter()
            .filter(|s| *s >= least && (!integer || (*s >= 1.0 && s.fract() == 0.0)))
            .find(|s| (min / s).floor() * s + 5.0 * s >= max)
            .unwrap_or(1e16);
        let start = (min / step).floor() * step;
        Bands { start, max, step, integer, decimals: svg::decimals_for(step) }
    }

    /// Band 0..5 of a value.
    fn of(&self, v: f64) -> usize {
        (((v - self.start) / self.step + 1e-9).floor().max(0.0) as usize).min(4)
    }

    /// A band's range in words. Bands include their lower edge; the last
    /// also includes its upper edge when the largest value is on it.
    fn label(&self, k: usize) -> String {
        let lo = self.start + self.step * k as f64;
        let hi = lo + self.step;
        let closed = k == 4 && self.max >= hi;
        if self.integer {
            let top = if closed { hi } else { hi - 1.0 };
            if top == lo {
                svg::format_value(lo, 0)
            } else {
                format!("{} to {}", svg::format_value(lo, 0), svg::format_value(top, 0))
            }
        } else {
            let to = if closed { "to" } else { "to under" };
            format!("{} {to} {}", svg::format_value(lo, self.decimals), svg::format_value(hi, self.decimals))
        }
    }
}

/// The projection: lon/lat to viewBox units.
struct Projection {
    k: f64,
    min_lon: f64,
    max_lat: f64,
    scale: f64,
    dx: f64,
    dy: f64,
}

impl Projection {
    fn fit(areas: &Areas) -> (Projection, f64) {
        let all = areas.areas.iter().flat_map(|a| a.polygons.iter()).flat_map(|p| p.exterior.iter());
        let (mut min_lon, mut max_lon, mut min_lat, mut max_lat) = (180.0f64, -180.0f64, 90.0f64, -90.0f64);
        for [lon, lat] in all {
            min_lon = min_lon.min(*lon);
            max_lon = max_lon.max(*lon);
            min_lat = min_lat.min(*lat);
            max_lat = max_lat.max(*lat);
        }
        let k = ((min_lat + max_lat) / 2.0).to_radians().cos();
        let (w, h) = (((max_lon - min_lon) * k).max(1e-9), (max_lat - min_lat).max(1e-9));
        let avail = W - 2.0 * PAD;
        let mut scale = avail / w;
        if h * scale > MAX_MAP_H {
            scale = MAX_MAP_H / h;
        }
        let map_h = h * scale;
        let dx = PAD + (avail - w * scale) / 2.0;
        (Projection { k, min_lon, max_lat, scale, dx, dy: PAD }, map_h)
    }

    fn xy(&self, [lon, lat]: LonLat) -> Xy {
        (self.dx + (lon - self.min_lon) * self.k * self.scale, self.dy + (self.max_lat - lat) * self.scale)
    }

    fn lonlat(&self, (x, y): Xy) -> LonLat {
        [(x - self.dx) / self.scale / self.k + self.min_lon, self.max_lat - (y - self.dy) / self.scale]
    }
}

fn simplify(ring: &[Xy]) -> Vec<Xy> {
    let mut out: Vec<Xy> = Vec::with_capacity(ring.len());
    for (i, &pt) in ring.iter().enumerate() {
        let last = i + 1 == ring.len();
        match out.last() {
            Some(&(x, y)) if !last && (pt.0 - x).hypot(pt.1 - y) < SIMPLIFY => {}
            _ => out.push(pt),
        }
    }
    if out.len() < 4 {
        ring.to_vec()
    } else {
        out
    }
}

/// Is `pt` inside the polygon (outer ring and holes, even-odd)?
fn inside(rings: &[Vec<Xy>], pt: Xy) -> bool {
    let mut c = false;
    for ring in rings {
        for w in ring.windows(2) {
            let ((x1, y1), (x2, y2)) = (w[0], w[1]);
            if (y1 > pt.1) != (y2 > pt.1) && pt.0 < x1 + (pt.1 - y1) / (y2 - y1) * (x2 - x1) {
                c = !c;
            }
        }
    }
    c
}

fn ring_area_centroid(ring: &[Xy]) -> (f64, Xy) {
    let (mut a, mut cx, mut cy) = (0.0, 0.0, 0.0);
    for w in ring.windows(2) {
        let ((x1, y1), (x2, y2)) = (w[0], w[1]);
        let cross = x1 * y2 - x2 * y1;
        a += cross;
        cx += (x1 + x2) * cross;
        cy += (y1 + y2) * cross;
    }
    if a.abs() < 1e-9 {
        let (sx, sy) = ring.iter().fold((0.0, 0.0), |(sx, sy), p| (sx + p.0, sy + p.1));
        let n = ring.len().max(1) as f64;
        return (0.0, (sx / n, sy / n));
    }
    (a.abs() / 2.0, (cx / (3.0 * a), cy / (3.0 * a)))
}

/// A point inside the polygon for its label: the centroid of the outer
/// ring if that is inside, else the middle of the widest inside stretch of
/// the horizontal line through it.
fn label_point(rings: &[Vec<Xy>]) -> Xy {
    let (_, c) = ring_area_centroid(&rings[0]);
    if inside(rings, c) {
        return c;
    }
    let mut xs: Vec<f64> = Vec::new();
    for ring in rings {
        for w in ring.windows(2) {
            let ((x1, y1), (x2, y2)) = (w[0], w[1]);
            if (y1 > c.1) != (y2 > c.1) {
                xs.push(x1 + (c.1 - y1) / (y2 - y1) * (x2 - x1));
            }
        }
    }
    xs.sort_by(f64::total_cmp);
    xs.chunks_exact(2).max_by(|a, b| (a[1] - a[0]).total_cmp(&(b[1] - b[0]))).map_or(c, |s| ((s[0] + s[1]) / 2.0, c.1))
}

struct Place {
    name: String,
    /// Projected rings per polygon (outer first), simplified for drawing.
    polygons: Vec<Vec<Vec<Xy>>>,
    value: Option<(f64, String)>,
}

struct Point {
    name: String,
    xy: Xy,
    area: Option<usize>,
}

/// Draw `spec`: `areas` shaded by `values`, with `points` marked. The tables
/// must already be filtered for the edition (their `audience` columns
/// removed). `id_prefix` must be unique in the page.
pub fn render(
    spec: &MapSpec,
    areas: &Areas,
    values: &Table,
    points: Option<&Table>,
    id_prefix: &str,
) -> Result<String, Diagnostic> {
    super::require_filtered(values)?;
    if let Some(pt) = points {
        super::require_filtered(pt)?;
    }
    let names = area_names(spec, areas)?;
    let kc = super::require_column(&spec.origin, "key", &spec.key, values)?;
    let vc = super::require_column(&spec.origin, "value", &spec.value, values)?;
    if values.rows.is_empty() {
        return Err(spec.origin.error(
            "data",
            format!("{} has no rows to draw in this edition", values.file.display()),
            "add rows under the header line; if every row is withheld from this edition, put the map in a block for the editions that may see it",
        ));
    }
    let mut by_area: Vec<Option<(f64, String)>> = vec![None; names.len()];
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for row in &values.rows {
        let name = row.cells[kc].as_str();
        let Some(i) = names.iter().position(|a| a == name) else {
            let listed = if names.len() <= 20 {
                format!("Areas: {}", names.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", "))
            } else {
                format!("check the spelling against the `{}` property in {}", spec.key, areas.file.display())
            };
            let what = if name.is_empty() {
                "this row names no area".to_string()
            } else {
                format!("`{name}` is not an area in {}", areas.file.display())
            };
            return Err(Diagnostic::error(
                &values.file,
                row.line,
                what,
                format!("{}{listed}", super::did_you_mean(name, names.iter().map(String::as_str))),
            ));
        };
        if let Some(first) = seen.insert(name, row.line) {
            return Err(Diagnostic::error(
                &values.file,
                row.line,
                format!("`{name}` has two rows (lines {first} and {})", row.line),
                "give each area one row",
            ));
        }
        let cell = &row.cells[vc];
        let v = csv::number(cell).map_err(|csv::NotANumber| {
            Diagnostic::error(
                &values.file,
                row.line,
                format!("`{cell}` in column `{}` is not a number", spec.value),
                csv::NUMBER_HELP,
            )
        })?;
        by_area[i] = v.map(|v| (v, cell.clone()));
    }
    let present: Vec<f64> = by_area.iter().flatten().map(|(v, _)| *v).collect();
    if present.is_empty() {
        return Err(spec.origin.error(
            "value",
            format!("column `{}` of {} holds no values in this edition", spec.value, values.file.display()),
            "fill in the values; an empty cell means no data",
        ));
    }
    let bands = Bands::new(&present);
    let (proj, map_h) = Projection::fit(areas);
    let places: Vec<Place> = areas
        .areas
        .iter()
        .zip(names)
        .zip(by_area)
        .map(|((a, name), value)| Place {
            name,
            polygons: a
                .polygons
                .iter()
                .map(|p| {
                    std::iter::once(&p.exterior)
                        .chain(&p.holes)
                        .map(|r| simplify(&r.iter().map(|&ll| proj.xy(ll)).collect::<Vec<_>>()))
                        .collect()
                })
                .collect(),
            value,
        })
        .collect();
    let pts = match points {
        Some(t) => read_points(spec, t, &proj, map_h, &places)?,
        None => Vec::new(),
    };
    let p = svg::id_prefix(id_prefix);
    let svg = draw(spec, &places, &pts, &bands, map_h, &p);
    let mut tables = vec![area_table(spec, values, kc, vc, &places, &bands)];
    if !pts.is_empty() {
        tables.push(point_table(spec, &pts, &places));
    }
    let frame = Frame {
        prefix: &p,
        class: "figure-map",
        title: &spec.title,
        description: &spec.description,
        source: spec.source.as_deref(),
    };
    Ok(svg::figure(&frame, &svg, &tables))
}

/// Each area's name (its `key` property), checked present and unique.
fn area_names(spec: &MapSpec, areas: &Areas) -> Result<Vec<String>, Diagnostic> {
    if !areas.areas.iter().any(|a| a.property(&spec.key).is_some()) {
        let mut props: Vec<&str> = Vec::new();
        for (k, _) in areas.areas.iter().flat_map(|a| a.properties.iter()) {
            if !props.contains(&k.as_str()) {
                props.push(k);
            }
        }
        let list = props.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
        return Err(spec.origin.error(
            "key",
            format!("no area in {} has a property `{}`", areas.file.display(), spec.key),
            if props.is_empty() {
                "give each feature a property naming its area, e.g. \"properties\": {\"ward\": \"Northtown\"}"
                    .to_string()
            } else {
                format!("{}Properties: {list}", super::did_you_mean(&spec.key, props.iter().copied()))
            },
        ));
    }
    let mut names: Vec<String> = Vec::with_capacity(areas.areas.len());
    for (k, a) in areas.areas.iter().enumerate() {
        let name = a.property(&spec.key).unwrap_or("");
        if name.is_empty() {
            return Err(Diagnostic::error(
                &areas.file,
                a.line,
                format!("feature {} has no `{}`", k + 1, spec.key),
                format!("give every feature a `{}` property naming its area", spec.key),
            ));
        }
        if let Some(j) = names.iter().position(|n| n == name) {
            return Err(Diagnostic::error(
                &areas.file,
                a.line,
                format!("two features are both `{name}` (lines {} and {})", areas.areas[j].line, a.line),
                "join the parts of one area into a single MultiPolygon feature, or give the areas different names",
            ));
        }
        names.push(name.to_string());
    }
    Ok(names)
}

fn find_col(table: &Table, names: &[&str]) -> Option<usize> {
    table.header.iter().position(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n)))
}

fn read_points(
    spec: &MapSpec,
    t: &Table,
    proj: &Projection,
    map_h: f64,
    places: &[Place],
) -> Result<Vec<Point>, Diagnostic> {
    let cols = t.header.iter().map(|h| format!("`{h}`")).collect::<Vec<_>>().join(", ");
    let name_c = find_col(t, &["name"]).ok_or_else(|| {
        spec.origin.error(
            "points",
            format!("{} has no `name` column", t.file.display()),
            format!("a points file has columns `name`, `lat` and `lon` (WGS84 degrees). Columns: {cols}"),
        )
    })?;
    let (lat_c, lon_c) = match (find_col(t, &["lat", "latitude", "y"]), find_col(t, &["lon", "lng", "long", "longitude", "x"])) {
        (Some(a), Some(b)) => (a, b),
        _ => {
            return Err(spec.origin.error(
                "points",
                format!("{} has no `lat` and `lon` columns", t.file.display()),
                format!("give each point's latitude and longitude in WGS84 degrees, in columns `lat` and `lon` (or `y` and `x`). Columns: {cols}"),
            ))
        }
    };
    let mut out = Vec::with_capacity(t.rows.len());
    for row in &t.rows {
        let name = row.cells[name_c].clone();
        if name.is_empty() {
            return Err(Diagnostic::error(
                &t.file,
                row.line,
                "this point has no name",
                "name every point: the name goes in the table under the map",
            ));
        }
        let coord = |c: usize, what: &str, range: f64| -> Result<f64, Diagnostic> {
            match csv::number(&row.cells[c]) {
                Ok(Some(v)) if v.abs() <= range => Ok(v),
                _ => Err(Diagnostic::error(
                    &t.file,
                    row.line,
                    format!("`{}` is not a {what}", row.cells[c]),
                    "write the point's latitude and longitude in WGS84 degrees, e.g. lat 54.52, lon -2.03",
                )),
            }
        };
        let lat = coord(lat_c, "latitude", 90.0)?;
        let lon = coord(lon_c, "longitude", 180.0)?;
        let xy = proj.xy([lon, lat]);
        let margin = 20.0;
        if xy.0 < -margin || xy.0 > W + margin || xy.1 < -margin || xy.1 > map_h + 2.0 * PAD + margin {
            let [c_lon, c_lat] = proj.lonlat((W / 2.0, PAD + map_h / 2.0));
            return Err(Diagnostic::error(
                &t.file,
                row.line,
                format!("`{name}` (lat {lat}, lon {lon}) lies outside the map"),
                format!("check that latitude and longitude are not swapped: the map's middle is near lat {c_lat:.2}, lon {c_lon:.2}"),
            ));
        }
        let area = places.iter().position(|pl| pl.polygons.iter().any(|rings| inside(rings, xy)));
        out.push(Point { name, xy, area });
    }
    Ok(out)
}

fn band_fill(p: &str, bands: &Bands, value: Option<&(f64, String)>) -> String {
    match value {
        Some((v, _)) => format!("url(#{p}-b{})", bands.of(*v) + 1),
        None => format!("url(#{p}-nodata)"),
    }
}

fn draw(spec: &MapSpec, places: &[Place], pts: &[Point], bands: &Bands, map_h: f64, p: &str) -> String {
    let legend_top = PAD + map_h + 18.0;
    let row_h = 22.0;
    // "No data" and the points go beside the bands, or under them if the
    // band labels are long.
    let band_w = (0..5).map(|k| svg::text_width(&bands.label(k), FS)).fold(0.0, f64::max);
    let extras = usize::from(places.iter().any(|pl| pl.value.is_none())) + usize::from(!pts.is_empty());
    let beside = PAD + 34.0 + band_w + 16.0 <= W / 2.0 + 20.0;
    let rows = if beside { 5 } else { 5 + extras };
    let legend_h = FS + 8.0 + rows as f64 * row_h;
    let height = legend_top + legend_h + PAD;
    let mut s = svg::open_svg(p, "figure-choropleth", W, height, &spec.title, &spec.description);
    let _ = write!(s, "<defs>{}</defs>", band_patterns(p));

    // Areas.
    let _ = write!(s, "<g class=\"figure-areas\" stroke=\"{INK}\" stroke-width=\"1\" stroke-linejoin=\"round\" fill-rule=\"evenodd\">");
    for place in places {
        let mut d = String::new();
        for rings in &place.polygons {
            for ring in rings {
                for (i, (x, y)) in ring.iter().enumerate().take(ring.len() - 1) {
                    let _ = write!(d, "{}{} {}", if i == 0 { "M" } else { "L" }, n(*x), n(*y));
                }
                d.push('Z');
            }
        }
        let _ = write!(s, "<path d=\"{d}\" fill=\"{}\"/>", band_fill(p, bands, place.value.as_ref()));
    }
    s.push_str("</g>");

    // Point markers: black diamonds with a white rim, numbered.
    let marker = |x: f64, y: f64| {
        format!(
            "<path d=\"M{} {}L{} {}L{} {}L{} {}Z\" fill=\"{INK}\" stroke=\"#fff\" stroke-width=\"1.5\"/>",
            n(x),
            n(y - 7.0),
            n(x + 6.0),
            n(y),
            n(x),
            n(y + 7.0),
            n(x - 6.0),
            n(y)
        )
    };
    let halo = "stroke=\"#fff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\"";

    // Area names, largest areas first, skipping any that would overlap.
    let mut taken: Vec<(f64, f64, f64, f64)> =
        pts.iter().map(|pt| (pt.xy.0 - 7.0, pt.xy.1 - 8.0, pt.xy.0 + 7.0, pt.xy.1 + 8.0)).collect();
    if spec.labels {
        let mut order: Vec<(f64, usize, Xy)> = places
            .iter()
            .enumerate()
            .map(|(i, pl)| {
                let biggest = pl
                    .polygons
                    .iter()
                    .max_by(|a, b| ring_area_centroid(&a[0]).0.total_cmp(&ring_area_centroid(&b[0]).0))
                    .expect("an area has a polygon");
                (ring_area_centroid(&biggest[0]).0, i, label_point(biggest))
            })
            .collect();
        order.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut labels: Vec<(usize, Xy)> = Vec::new();
        for (_, i, (x, y)) in order {
            let w = svg::text_width(&places[i].name, LABEL_FS) + 4.0;
            let x = x.clamp(PAD + w / 2.0, W - PAD - w / 2.0);
            // Where it fits: on the point, else just above or below it, inside the area.
            for dy in [0.0, -LABEL_FS * 1.3, LABEL_FS * 1.3] {
                let y = y + dy;
                if dy != 0.0 && !places[i].polygons.iter().any(|rings| inside(rings, (x, y))) {
                    continue;
                }
                let b = (x - w / 2.0, y - LABEL_FS * 0.6, x + w / 2.0, y + LABEL_FS * 0.6);
                if taken.iter().any(|t| b.0 < t.2 && t.0 < b.2 && b.1 < t.3 && t.1 < b.3) {
                    continue;
                }
                taken.push(b);
                labels.push((i, (x, y)));
                break;
            }
        }
        labels.sort_by_key(|(i, _)| *i);
        let _ = write!(s, "<g class=\"figure-labels\" fill=\"{INK}\" font-size=\"{}\" {halo}>", n(LABEL_FS));
        for (i, (x, y)) in labels {
            s.push_str(&svg::text(x, y + LABEL_FS * 0.35, "middle", "", &places[i].name));
        }
        s.push_str("</g>");
    }
    if !pts.is_empty() {
        s.push_str("<g class=\"figure-points\">");
        for pt in pts {
            s.push_str(&marker(pt.xy.0, pt.xy.1));
        }
        let _ = write!(s, "<g fill=\"{INK}\" font-size=\"{}\" font-weight=\"700\" {halo}>", n(LABEL_FS));
        for (k, pt) in pts.iter().enumerate() {
            s.push_str(&svg::text(pt.xy.0 + 7.0, pt.xy.1 - 4.0, "", "", &(k + 1).to_string()));
        }
        s.push_str("</g></g>");
    }

    // Legend: the bands down the left; no data, the points and north on the right.
    let _ = write!(s, "<g class=\"figure-legend\" fill=\"{INK}\" font-size=\"{}\">", n(FS));
    let heading = spec.unit.as_deref().unwrap_or(&spec.value);
    s.push_str(&svg::text(PAD, legend_top + FS, "", "font-weight=\"700\"", heading));
    let swatch = |s: &mut String, x: f64, y: f64, fill: &str| {
        let _ = write!(
            s,
            "<rect x=\"{}\" y=\"{}\" width=\"26\" height=\"16\" fill=\"{fill}\" stroke=\"{INK}\" stroke-width=\"1\"/>",
            n(x),
            n(y)
        );
    };
    for k in 0..5 {
        let y = legend_top + FS + 8.0 + row_h * k as f64;
        swatch(&mut s, PAD, y, &format!("url(#{p}-b{})", k + 1));
        s.push_str(&svg::text(PAD + 34.0, y + 12.5, "", "", &bands.label(k)));
    }
    let (col2, mut y) =
        if beside { (W / 2.0 + 20.0, legend_top + FS + 8.0) } else { (PAD, legend_top + FS + 8.0 + 5.0 * row_h) };
    if places.iter().any(|pl| pl.value.is_none()) {
        swatch(&mut s, col2, y, &format!("url(#{p}-nodata)"));
        s.push_str(&svg::text(col2 + 34.0, y + 12.5, "", "", "No data"));
        y += row_h;
    }
    if !pts.is_empty() {
        s.push_str(&marker(col2 + 13.0, y + 8.0));
        s.push_str(&svg::text(col2 + 34.0, y + 12.5, "", "", &spec.points_label));
    }
    // North arrow.
    let (nx, ny) = (W - PAD - 12.0, legend_top + legend_h - 34.0);
    let _ = write!(
        s,
        "<path d=\"M{} {}L{} {}L{} {}L{} {}Z\" fill=\"{INK}\"/>",
        n(nx),
        n(ny),
        n(nx + 8.0),
        n(ny + 22.0),
        n(nx),
        n(ny + 16.0),
        n(nx - 8.0),
        n(ny + 22.0)
    );
    s.push_str(&svg::text(nx, ny - 4.0, "middle", "font-weight=\"700\"", "N"));
    s.push_str("</g></svg>");
    s
}

fn area_table(spec: &MapSpec, values: &Table, kc: usize, vc: usize, places: &[Place], bands: &Bands) -> DataTable {
    let mut order: Vec<usize> = (0..places.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&places[a].name, &places[b].name);
        x.to_lowercase().cmp(&y.to_lowercase()).then(x.cmp(y))
    });
    let value_head = match &spec.unit {
        Some(u) if !u.eq_ignore_ascii_case(&values.header[vc]) => format!("{} ({u})", values.header[vc]),
        _ => values.header[vc].clone(),
    };
    let rows = order
        .into_iter()
        .map(|i| {
            let pl = &places[i];
            match &pl.value {
                Some((v, raw)) => {
                    let b = bands.of(*v);
                    vec![
                        Cell::text(&pl.name),
                        Cell::num(raw),
                        Cell::text(format!("{} of 5: {}", b + 1, bands.label(b))),
                    ]
                }
                None => vec![Cell::text(&pl.name), Cell::text("No data"), Cell::text("No data")],
            }
        })
        .collect();
    DataTable {
        caption: format!("Data: {}", spec.title),
        header: vec![values.header[kc].clone(), value_head, "Band on the map".into()],
        rows,
    }
}

fn point_table(spec: &MapSpec, pts: &[Point], places: &[Place]) -> DataTable {
    DataTable {
        caption: format!("{}: {}", spec.points_label, spec.title),
        header: vec!["Name".into(), "Number on the map".into(), spec.key.clone()],
        rows: pts
            .iter()
            .enumerate()
            .map(|(k, pt)| {
                vec![
                    Cell::text(&pt.name),
                    Cell::num((k + 1).to_string()),
                    Cell::text(pt.area.map_or("Outside the mapped areas", |a| places[a].name.as_str())),
                ]
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{csv, geojson, spec::MapSpec, wellformed};
    use super::*;
    use std::path::Path;

    const SECTION: &str = "content/places/overview.md";

    /// Four square wards in a 2×2 grid near 54.5°N 2°W; `NE` has a hole
    /// (a fifth ward, `Centre`, fills it).
    fn areas() -> Areas {
        let sq = |x0: f64, y0: f64| {
            let (x1, y1) = (x0 + 0.1, y0 + 0.06);
            format!("[[{x0},{y0}],[{x1},{y0}],[{x1},{y1}],[{x0},{y1}],[{x0},{y0}]]")
        };
        let feature = |name: &str, rings: String| {
            format!("{{\"type\":\"Feature\",\"properties\":{{\"ward\":\"{name}\"}},\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":[{rings}]}}}}")
        };
        let hole = "[[-1.97,54.52],[-1.93,54.52],[-1.93,54.54],[-1.97,54.54],[-1.97,54.52]]";
        let doc = format!(
            "{{\"type\":\"FeatureCollection\",\"features\":[\n{},\n{},\n{},\n{},\n{}\n]}}",
            feature("SW", sq(-2.1, 54.44)),
            feature("SE", sq(-2.0, 54.44)),
            feature("NW", sq(-2.1, 54.5)),
            feature("NE", format!("{},{hole}", sq(-2.0, 54.5))),
            feature("Centre", hole.to_string()),
        );
        geojson::parse(doc.as_bytes(), Path::new("content/data/wards.geojson")).unwrap()
    }

    fn spec(extra: &str) -> MapSpec {
        let yaml = format!(
            "areas: ../data/wards.geojson\nkey: ward\ndata: ../data/referrals.csv\nvalue: referrals\ntitle: Referrals by ward\ndescription: Most in the north-east.\n{extra}"
        );
        MapSpec::parse(&yaml, Path::new(SECTION), 20).unwrap()
    }

    fn table(text: &str, file: &str) -> Table {
        csv::parse(text.as_bytes(), Path::new(file)).unwrap()
    }

    fn values() -> Table {
        table("ward,referrals\nSW,3\nSE,12\nNW,27\nNE,41\n", "content/data/referrals.csv")
    }

    fn points() -> Table {
        table(
            "name,lat,lon\nCar wash <Mill Lane>,54.53,-2.06\n\"Nail bar, Quay St\",54.53,-1.95\n",
            "content/data/premises.csv",
        )
    }

    #[test]
    fn a_map_is_well_formed_safe_and_described() {
        let h = render(&spec("points: ../data/premises.csv\n"), &areas(), &values(), Some(&points()), "map-1").unwrap();
        let els = wellformed::assert_safe(&h);
        let svg = els.iter().find(|e| e.name == "svg").unwrap();
        assert_eq!(svg.attr("role"), Some("img"));
        assert!(svg.attr("width").is_none());
        assert_eq!(els.iter().find(|e| e.name == "title").unwrap().text, "Referrals by ward");
        assert_eq!(els.iter().find(|e| e.name == "desc").unwrap().text, "Most in the north-east.");
        assert!(h.starts_with("<figure class=\"figure figure-map\" id=\"map-1\">"));
        // Five bands and "no data", each a pattern.
        assert_eq!(h.matches("<pattern ").count(), 6);
        for k in 1..=5 {
            assert!(h.contains(&format!("fill=\"url(#map-1-b{k})\"")), "band {k} in the legend");
        }
        // Five areas drawn, one (Centre) without data, listed as such.
        assert_eq!(
            els.iter().filter(|e| e.name == "path" && e.attr("fill").is_some_and(|f| f.starts_with("url("))).count(),
            5
        );
        assert!(h.contains("<th scope=\"row\">Centre</th><td>No data</td><td>No data</td>"), "{h}");
        assert!(h.contains(">No data</text>"));
        // Points: markers, a legend entry, and a table naming their areas.
        assert!(h.contains(&format!(">{}</text>", DEFAULT_LABEL)));
        assert!(
            h.contains("<th scope=\"row\">Car wash &lt;Mill Lane&gt;</th><td class=\"num\">1</td><td>NW</td>"),
            "{h}"
        );
        assert!(h.contains("<th scope=\"row\">Nail bar, Quay St</th><td class=\"num\">2</td><td>Centre</td>"), "{h}");
        assert!(h.contains(">N</text>"), "north arrow");
    }

    const DEFAULT_LABEL: &str = super::super::spec::DEFAULT_POINTS_LABEL;

    #[test]
    fn bands_are_round_and_every_value_has_one() {
        let b = Bands::new(&[3.0, 12.0, 27.0, 41.0]);
        assert_eq!((b.start, b.step), (0.0, 10.0));
        assert_eq!(
            (0..5).map(|k| b.label(k)).collect::<Vec<_>>(),
            ["0 to 9", "10 to 19", "20 to 29", "30 to 39", "40 to 49"]
        );
        assert_eq!([3.0, 12.0, 27.0, 41.0].map(|v| b.of(v)), [0, 1, 2, 4]);
        let b = Bands::new(&[0.5, 2.25]);
        assert_eq!((b.label(0), b.label(4)), ("0.5 to under 1.0".to_string(), "2.5 to under 3.0".to_string()));
        assert_eq!(b.of(2.25), 3);
        let b = Bands::new(&[7.0]);
        assert_eq!(b.label(0), "6 to 7");
        let b = Bands::new(&[2.5]);
        assert_eq!(b.label(0), "2.5 to under 3.0");
        let b = Bands::new(&[0.0, 5.0]);
        assert_eq!((b.label(0), b.label(4)), ("0".to_string(), "4 to 5".to_string()));
        let b = Bands::new(&[-20.0, 30.0]);
        assert_eq!((b.label(0), b.label(4)), ("−20 to −11".to_string(), "20 to 30".to_string()));
        assert_eq!(b.of(30.0), 4);
        let b = Bands::new(&[100.0, 100.0, 5000.0]);
        assert_eq!((b.label(0), b.label(4)), ("0 to 999".to_string(), "4,000 to 5,000".to_string()));
        assert_eq!(b.of(5000.0), 4);
    }

    #[test]
    fn table_lists_every_area_alphabetically_with_its_band() {
        let h = render(&spec(""), &areas(), &values(), None, "m").unwrap();
        let els = wellformed::parse(&h).unwrap();
        let rows: Vec<&str> =
            els.iter().filter(|e| e.name == "th" && e.attr("scope") == Some("row")).map(|e| e.text.as_str()).collect();
        assert_eq!(rows, ["Centre", "NE", "NW", "SE", "SW"]);
        assert!(h.contains("<th scope=\"row\">NE</th><td class=\"num\">41</td><td>5 of 5: 40 to 49</td>"), "{h}");
        assert!(!h.contains("figure-points"));
        assert_eq!(h.matches("<table>").count(), 1);
    }

    #[test]
    fn labels_sit_inside_their_areas_and_can_be_turned_off() {
        let h = render(&spec(""), &areas(), &values(), None, "m").unwrap();
        let els = wellformed::parse(&h).unwrap();
        let labels: Vec<&wellformed::Element> = els
            .iter()
            .filter(|e| e.name == "text" && ["SW", "SE", "NW", "NE", "Centre"].contains(&e.text.as_str()))
            .collect();
        assert_eq!(labels.len(), 5);
        let h = render(&spec("labels: false\n"), &areas(), &values(), None, "m").unwrap();
        assert!(!h.contains(">SW</text>"));
        assert!(h.contains("<th scope=\"row\">SW</th>"));
    }

    #[test]
    fn hole_label_point_is_outside_the_hole() {
        let ring = |pts: &[Xy]| pts.to_vec();
        let outer = ring(&[(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0), (0.0, 0.0)]);
        let hole = ring(&[(3.0, 3.0), (7.0, 3.0), (7.0, 7.0), (3.0, 7.0), (3.0, 3.0)]);
        let rings = vec![outer, hole];
        let pt = label_point(&rings);
        assert!(inside(&rings, pt), "{pt:?}");
        // A C-shape: the centroid falls in the notch.
        let c = vec![ring(&[
            (0.0, 0.0),
            (10.0, 0.0),
            (10.0, 2.0),
            (2.0, 2.0),
            (2.0, 8.0),
            (10.0, 8.0),
            (10.0, 10.0),
            (0.0, 10.0),
            (0.0, 0.0),
        ])];
        let pt = label_point(&c);
        assert!(inside(&c, pt), "{pt:?}");
    }

    #[test]
    fn deterministic() {
        let a = render(&spec("points: ../data/premises.csv\n"), &areas(), &values(), Some(&points()), "m").unwrap();
        let b = render(&spec("points: ../data/premises.csv\n"), &areas(), &values(), Some(&points()), "m").unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn hostile_names_are_escaped() {
        let doc = "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"ward\":\"<script>x</script> & \\\"q\\\"\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[-2,54],[-1.9,54],[-1.9,54.1],[-2,54]]]}}]}";
        let a = geojson::parse(doc.as_bytes(), Path::new("content/w.geojson")).unwrap();
        let v = table("ward,referrals\n\"<script>x</script> & \"\"q\"\"\",4\n", "content/v.csv");
        let pts = table("name,lat,lon\n<img src=x onerror=alert(1)>,54.02,-1.97\n", "content/p.csv");
        let sp = spec("points: ../data/premises.csv\npoints_label: \"<b>bold</b>\"\nunit: \"'quoted'\"\n");
        let h = render(&sp, &a, &v, Some(&pts), "m").unwrap();
        wellformed::assert_safe(&h);
        assert!(!h.contains("<script") && !h.contains("<img") && !h.contains("<b>"));
        assert!(h.contains("&lt;script&gt;x&lt;/script&gt; &amp; &quot;q&quot;"));
    }

    #[test]
    fn errors_name_file_line_and_mend() {
        let e = render(
            &spec(""),
            &areas(),
            &table("ward,referrals\nSW,3\nNorth-East,4\n", "content/data/r.csv"),
            None,
            "m",
        )
        .unwrap_err();
        assert_eq!((e.file.to_str(), e.line), (Some("content/data/r.csv"), 3));
        assert_eq!(e.message, "`North-East` is not an area in content/data/wards.geojson");
        assert!(e.help.starts_with("Areas: `SW`, `SE`"), "{}", e.help);
        let e =
            render(&spec(""), &areas(), &table("ward,referrals\nsw,3\n", "content/data/r.csv"), None, "m").unwrap_err();
        assert!(e.help.starts_with("did you mean `SW`?"), "{}", e.help);
        let e = render(&spec(""), &areas(), &table("ward,referrals\nSW,3\nSW,4\n", "r.csv"), None, "m").unwrap_err();
        assert!(e.message.contains("two rows"), "{e}");
        let e = render(&spec(""), &areas(), &table("ward,referals\nSW,3\n", "r.csv"), None, "m").unwrap_err();
        assert_eq!((e.file.to_str(), e.line), (Some(SECTION), 23));
        assert!(e.help.starts_with("did you mean `referals`?"), "{}", e.help);
        let e = render(&spec(""), &areas(), &table("ward,referrals\nSW,lots\n", "r.csv"), None, "m").unwrap_err();
        assert!(e.message.contains("is not a number"), "{e}");
        let e = render(&spec(""), &areas(), &table("ward,referrals\n", "r.csv"), None, "m").unwrap_err();
        assert!(e.message.contains("no rows to draw"), "{e}");
        let e = render(&spec(""), &areas(), &table("ward,referrals\nSW,\n", "r.csv"), None, "m").unwrap_err();
        assert!(e.message.contains("no values"), "{e}");
        let sp = MapSpec::parse(
            "areas: a.geojson\nkey: wrd\ndata: r.csv\nvalue: referrals\ntitle: t\ndescription: d\n",
            Path::new(SECTION),
            20,
        )
        .unwrap();
        let e = render(&sp, &areas(), &values(), None, "m").unwrap_err();
        assert_eq!(e.line, 21);
        assert_eq!(e.message, "no area in content/data/wards.geojson has a property `wrd`");
        assert!(e.help.starts_with("did you mean `ward`? Properties: `ward`"), "{}", e.help);
    }

    #[test]
    fn point_errors() {
        let sp = spec("points: ../data/premises.csv\n");
        let swapped = table("name,lat,lon\nA,-2.0,54.5\n", "content/data/p.csv");
        let e = render(&sp, &areas(), &values(), Some(&swapped), "m").unwrap_err();
        assert_eq!((e.file.to_str(), e.line), (Some("content/data/p.csv"), 2));
        assert!(e.message.contains("outside the map"), "{e}");
        assert!(e.help.contains("swapped") && e.help.contains("lat 54.50"), "{}", e.help);
        let e = render(&sp, &areas(), &values(), Some(&table("title,lat,lon\nA,54.5,-2\n", "p.csv")), "m").unwrap_err();
        assert!(e.message.contains("no `name` column"), "{e}");
        let e =
            render(&sp, &areas(), &values(), Some(&table("name,north,east\nA,54.5,-2\n", "p.csv")), "m").unwrap_err();
        assert!(e.message.contains("no `lat` and `lon`"), "{e}");
        let e = render(&sp, &areas(), &values(), Some(&table("name,lat,lon\nA,x,-2\n", "p.csv")), "m").unwrap_err();
        assert!(e.message.contains("not a latitude"), "{e}");
        // x/y columns are longitude/latitude.
        let xy = table("name,x,y\nA,-2.05,54.53\n", "p.csv");
        assert!(render(&sp, &areas(), &values(), Some(&xy), "m").unwrap().contains("<td>NW</td>"));
        // No points left in this edition: the map still draws, without them.
        let none = table("name,lat,lon\n", "p.csv");
        let h = render(&sp, &areas(), &values(), Some(&none), "m").unwrap();
        assert!(!h.contains("figure-points"));
    }

    #[test]
    fn unfiltered_tables_are_refused() {
        let v = table("ward,referrals,audience\nSW,3,all\n", "r.csv");
        assert!(render(&spec(""), &areas(), &v, None, "m").unwrap_err().message.contains("not filtered"));
        let p = table("name,lat,lon,audience\nA,54.5,-2,partnership\n", "p.csv");
        let e = render(&spec("points: ../data/premises.csv\n"), &areas(), &values(), Some(&p), "m").unwrap_err();
        assert!(e.message.contains("not filtered"));
    }

    #[test]
    fn area_property_problems() {
        let doc = "{\"type\":\"FeatureCollection\",\"features\":[\n{\"type\":\"Feature\",\"properties\":{\"ward\":\"A\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[-2,54],[-1.9,54],[-1.9,54.1],[-2,54]]]}},\n{\"type\":\"Feature\",\"properties\":{\"name\":\"B\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[-2,54],[-1.9,54],[-1.9,54.1],[-2,54]]]}},\n{\"type\":\"Feature\",\"properties\":{\"ward\":\"A\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[-2,54],[-1.9,54],[-1.9,54.1],[-2,54]]]}}\n]}";
        let a = geojson::parse(doc.as_bytes(), Path::new("w.geojson")).unwrap();
        let e = render(&spec(""), &a, &values(), None, "m").unwrap_err();
        assert_eq!((e.file.to_str(), e.line), (Some("w.geojson"), 3));
        assert!(e.message.contains("feature 2 has no `ward`"), "{e}");
        let mut a2 = a.clone();
        a2.areas.remove(1);
        let e = render(&spec(""), &a2, &values(), None, "m").unwrap_err();
        assert!(e.message.contains("two features are both `A` (lines 2 and 4)"), "{e}");
    }
}
