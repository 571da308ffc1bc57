//! Bar, stacked-bar and line charts of a CSV table: categories along the
//! bottom, one series a value column.
//!
//! Series differ by more than colour: bars by fill pattern (solid, hatched,
//! dotted, grid, …) and lines by marker shape and dash, so a chart reads in
//! black-and-white print; lines are also labelled at their ends. The data
//! follow as a table.

use super::csv::{self, Table};
use super::spec::{ChartKind, ChartSpec};
use super::svg::{self, n, Cell, DataTable, Frame, GRID, INK};
use crate::diagnostic::Diagnostic;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Width of the drawing in viewBox units. Narrow, so that text stays
/// readable when the figure is scaled down to a 320 px screen.
const W: f64 = 400.0;
/// Font size of all chart text, in viewBox units.
const FS: f64 = 14.0;
/// Line height.
const LH: f64 = 18.0;
const PAD: f64 = 8.0;
const PLOT_H: f64 = 200.0;

struct Data {
    categories: Vec<String>,
    /// `values[series][category]`; `None` where the cell is empty.
    values: Vec<Vec<Option<f64>>>,
    /// The cells as written, `raw[series][category]`.
    raw: Vec<Vec<String>>,
}

fn read(spec: &ChartSpec, table: &Table, xc: usize, ycs: &[usize]) -> Result<Data, Diagnostic> {
    let mut categories = Vec::with_capacity(table.rows.len());
    let mut values = vec![Vec::with_capacity(table.rows.len()); ycs.len()];
    let mut raw = vec![Vec::with_capacity(table.rows.len()); ycs.len()];
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for row in &table.rows {
        let cat = row.cells[xc].as_str();
        if cat.is_empty() {
            return Err(Diagnostic::error(
                &table.file,
                row.line,
                format!("this row has nothing in column `{}`", spec.x),
                "give every row its category (the chart's `x`), or remove the row",
            ));
        }
        if let Some(first) = seen.insert(cat, row.line) {
            return Err(Diagnostic::error(
                &table.file,
                row.line,
                format!("`{cat}` appears twice in column `{}` (lines {first} and {})", spec.x, row.line),
                "give each category one row; put further values in further columns",
            ));
        }
        categories.push(cat.to_string());
        for (s, &c) in ycs.iter().enumerate() {
            let cell = &row.cells[c];
            let v = csv::number(cell).map_err(|csv::NotANumber| {
                Diagnostic::error(
                    &table.file,
                    row.line,
                    format!("`{cell}` in column `{}` is not a number", spec.y[s]),
                    csv::NUMBER_HELP,
                )
            })?;
            values[s].push(v);
            raw[s].push(cell.clone());
        }
    }
    if values.iter().all(|s| s.iter().all(Option::is_none)) {
        return Err(spec.origin.error(
            "y",
            format!("the `y` columns of {} hold no values in this edition", table.file.display()),
            "fill in the values; an empty cell means no data",
        ));
    }
    Ok(Data { categories, values, raw })
}

/// How the category labels along the bottom are set.
enum XLabels {
    /// On one line each.
    Flat,
    /// Split over two lines where needed.
    Two,
    /// Turned 45°, every `nth` label (all of them when there is room).
    Turned { every: usize },
}

fn x_label_mode(categories: &[String], band: f64) -> XLabels {
    let room = band - 6.0;
    let fits = |s: &str| svg::text_width(s, FS) <= room;
    if categories.iter().all(|c| fits(c)) {
        XLabels::Flat
    } else if categories.iter().all(|c| fits(c) || svg::split_label(c).is_some_and(|(a, b)| fits(&a) && fits(&b))) {
        XLabels::Two
    } else {
        XLabels::Turned { every: ((FS * 1.3) / band).ceil().max(1.0) as usize }
    }
}

/// Draw `spec` from `table`, whose rows must already be filtered for the
/// edition (the `audience` column removed). `id_prefix` must be unique in
/// the page; every id in the figure starts with it.
pub fn render(spec: &ChartSpec, table: &Table, id_prefix: &str) -> Result<String, Diagnostic> {
    super::require_filtered(table)?;
    let xc = super::require_column(&spec.origin, "x", &spec.x, table)?;
    let ycs =
        spec.y.iter().map(|y| super::require_column(&spec.origin, "y", y, table)).collect::<Result<Vec<_>, _>>()?;
    if table.rows.is_empty() {
        return Err(spec.origin.error(
            "data",
            format!("{} has no rows to draw in this edition", table.file.display()),
            "add rows under the header line; if every row is withheld from this edition, put the chart in a block for the editions that may see it",
        ));
    }
    let data = read(spec, table, xc, &ycs)?;
    let p = svg::id_prefix(id_prefix);
    let svg = draw(spec, &data, &p);
    let tables = [data_table(spec, table, &data)];
    let frame = Frame {
        prefix: &p,
        class: "figure-chart",
        title: &spec.title,
        description: &spec.description,
        source: spec.source.as_deref(),
    };
    Ok(svg::figure(&frame, &svg, &tables))
}

fn data_table(spec: &ChartSpec, table: &Table, data: &Data) -> DataTable {
    let stacked = spec.kind == ChartKind::StackedBar;
    let mut header = vec![table.header[table.column(&spec.x).expect("checked")].clone()];
    header.extend(spec.y.iter().cloned());
    if stacked {
        header.push("Total".into());
    }
    let rows = (0..data.categories.len())
        .map(|i| {
            let mut row = vec![Cell::text(&data.categories[i])];
            for s in 0..spec.y.len() {
                row.push(match data.values[s][i] {
                    Some(_) => Cell::num(&data.raw[s][i]),
                    None => Cell::text("No data"),
                });
            }
            if stacked {
                let present: Vec<(f64, &str)> =
                    (0..spec.y.len()).filter_map(|s| data.values[s][i].map(|v| (v, data.raw[s][i].as_str()))).collect();
                row.push(if present.is_empty() {
                    Cell::text("No data")
                } else {
                    let decimals = present.iter().map(|(_, r)| r.split_once('.').map_or(0, |(_, f)| f.len())).max();
                    Cell::num(svg::format_value(present.iter().map(|(v, _)| v).sum(), decimals.unwrap_or(0)))
                });
            }
            row
        })
        .collect();
    let caption = match &spec.unit {
        Some(u) => format!("Data: {} ({u})", spec.title),
        None => format!("Data: {}", spec.title),
    };
    DataTable { caption, header, rows }
}

fn draw(spec: &ChartSpec, data: &Data, p: &str) -> String {
    let ncat = data.categories.len();
    let nser = spec.y.len();
    let line = spec.kind == ChartKind::Line;
    let stacked = spec.kind == ChartKind::StackedBar;
    let multi = nser > 1;

    // The value range, always from zero.
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    for i in 0..ncat {
        if stacked {
            let (pos, neg) = (0..nser).filter_map(|s| data.values[s][i]).fold((0.0, 0.0), |(p, q), v| {
                if v >= 0.0 {
                    (p + v, q)
                } else {
                    (p, q + v)
                }
            });
            hi = hi.max(pos);
            lo = lo.min(neg);
        } else {
            for v in data.values.iter().filter_map(|series| series[i]) {
                hi = hi.max(v);
                lo = lo.min(v);
            }
        }
    }
    let (ticks, decimals) = svg::ticks(lo, hi, 5);
    let (tmin, tmax) = (ticks[0], ticks[ticks.len() - 1]);
    let tick_labels: Vec<String> = ticks.iter().map(|t| svg::format_value(*t, decimals)).collect();

    // Single-series bars carry their values, if they fit and none is negative.
    let value_labels = spec.kind == ChartKind::Bar && !multi && lo >= 0.0;

    // Above the plot: the legend, then the value axis title.
    let swatch_w = if line { 30.0 } else { 16.0 };
    let item_w: Vec<f64> = spec.y.iter().map(|s| swatch_w + 6.0 + svg::text_width(s, FS)).collect();
    let flow = if multi { svg::flow(&item_w, W - 2.0 * PAD, 18.0) } else { Vec::new() };
    let legend_rows = flow.last().map_or(0, |(_, r)| r + 1);
    let y_title = spec.y_label.clone().or_else(|| spec.unit.clone()).or_else(|| (!multi).then(|| spec.y[0].clone()));
    let mut top = PAD;
    let legend_top = top;
    top += legend_rows as f64 * 22.0;
    let y_title_base = top + FS;
    if y_title.is_some() {
        top += LH + 6.0;
    }
    top += if value_labels { FS + 6.0 } else { 6.0 };

    // Left: the tick labels; right: room for line labels.
    let tick_w = tick_labels.iter().map(|t| svg::text_width(t, FS)).fold(0.0, f64::max);
    let mut left = PAD + tick_w + 8.0;
    let name_w = spec.y.iter().map(|s| svg::text_width(s, FS)).fold(0.0, f64::max);
    let direct = line && multi && name_w + 12.0 <= W * 0.3;
    let right = if direct { PAD + name_w + 10.0 } else { PAD + 4.0 };
    let mut band = (W - right - left) / ncat as f64;
    let mode = x_label_mode(&data.categories, band);
    let label_w = data.categories.iter().map(|c| svg::text_width(c, FS)).fold(0.0, f64::max);
    if let XLabels::Turned { .. } = mode {
        left = left.max(PAD + label_w * 0.72 - band * 0.5 + 4.0);
        band = (W - right - left) / ncat as f64;
    }
    let mode = match mode {
        XLabels::Turned { .. } => XLabels::Turned { every: ((FS * 1.3) / band).ceil().max(1.0) as usize },
        m => m,
    };
    let x_labels_h = match mode {
        XLabels::Flat => FS + 10.0,
        XLabels::Two => 2.0 * LH + 8.0,
        XLabels::Turned { .. } => label_w * 0.72 + FS + 12.0,
    };
    let (px0, px1, py1) = (left, W - right, top + PLOT_H);
    let height = py1 + x_labels_h + LH + 6.0 + PAD;
    let y = |v: f64| py1 - (v - tmin) / (tmax - tmin) * PLOT_H;
    let cx = |i: usize| px0 + band * (i as f64 + 0.5);

    let mut s =
        svg::open_svg(p, if line { "figure-line" } else { "figure-bar" }, W, height, &spec.title, &spec.description);

    // Patterns for bars (series 0 is solid).
    let mut defs = String::new();
    let fills: Vec<String> = (0..nser)
        .map(|i| {
            let (d, fill) = svg::series_fill(p, i);
            defs.push_str(&d);
            fill
        })
        .collect();
    if !line && !defs.is_empty() {
        let _ = write!(s, "<defs>{defs}</defs>");
    }

    // Grid and value axis.
    s.push_str("<g class=\"figure-grid\" stroke=\"");
    s.push_str(GRID);
    s.push_str("\" stroke-width=\"1\">");
    for t in &ticks {
        let _ = write!(s, "<path d=\"M{} {}H{}\"/>", n(px0), n(y(*t)), n(px1));
    }
    s.push_str("</g>");

    // The data.
    let mut marks = String::new();
    if line {
        for ser in 0..nser {
            let colour = svg::SERIES_COLOURS[ser];
            let mut d = String::new();
            let mut pen_down = false;
            for i in 0..ncat {
                match data.values[ser][i] {
                    Some(v) => {
                        let _ = write!(d, "{}{} {}", if pen_down { "L" } else { "M" }, n(cx(i)), n(y(v)));
                        pen_down = true;
                    }
                    None => pen_down = false,
                }
            }
            let dash = svg::series_dash(ser).map(|d| format!(" stroke-dasharray=\"{d}\"")).unwrap_or_default();
            let _ = write!(
                marks,
                "<path d=\"{d}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2.5\" stroke-linejoin=\"round\"{dash}/>"
            );
        }
        for ser in 0..nser {
            for i in 0..ncat {
                if let Some(v) = data.values[ser][i] {
                    marks.push_str(&svg::marker(ser, cx(i), y(v), 9.0));
                }
            }
        }
    } else {
        let group = band * if ncat == 1 { 0.5 } else { 0.72 };
        let bar_w = if stacked { group } else { group / nser as f64 };
        for i in 0..ncat {
            let (mut up, mut down) = (0.0f64, 0.0f64);
            for (ser, (series, fill)) in data.values.iter().zip(&fills).enumerate() {
                let Some(v) = series[i] else { continue };
                let (from, to, x) = if stacked {
                    let from = if v >= 0.0 { up } else { down };
                    if v >= 0.0 {
                        up += v;
                    } else {
                        down += v;
                    }
                    (from, from + v, cx(i) - group / 2.0)
                } else {
                    (0.0, v, cx(i) - group / 2.0 + bar_w * ser as f64)
                };
                let (ya, yb) = (y(from), y(to));
                let h = (ya - yb).abs();
                if h < 0.05 {
                    continue;
                }
                let inset = if !stacked && multi { 0.75 } else { 0.0 };
                let _ = write!(
                    marks,
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>",
                    n(x + inset),
                    n(ya.min(yb)),
                    n(bar_w - 2.0 * inset),
                    n(h),
                    fill
                );
            }
        }
    }
    let _ = write!(s, "<g class=\"figure-marks\" stroke=\"{INK}\" stroke-width=\"1\">{marks}</g>");
    // The zero line over the bars.
    let _ = write!(
        s,
        "<path class=\"figure-axis\" d=\"M{} {}H{}\" stroke=\"{INK}\" stroke-width=\"1.5\"/>",
        n(px0),
        n(y(0.0)),
        n(px1)
    );
    if line {
        let mut ticks_d = String::new();
        for i in 0..ncat {
            let _ = write!(ticks_d, "M{} {}v5", n(cx(i)), n(py1));
        }
        let _ = write!(s, "<path d=\"{ticks_d}\" stroke=\"{INK}\" stroke-width=\"1\"/>");
    }

    // Text.
    let _ = write!(s, "<g class=\"figure-text\" fill=\"{INK}\" font-size=\"{}\">", n(FS));
    for (t, label) in ticks.iter().zip(&tick_labels) {
        s.push_str(&svg::text(px0 - 6.0, y(*t) + FS * 0.35, "end", "", label));
    }
    if let Some(t) = &y_title {
        s.push_str(&svg::text(PAD, y_title_base, "", "font-weight=\"700\"", t));
    }
    match mode {
        XLabels::Flat => {
            for (i, c) in data.categories.iter().enumerate() {
                s.push_str(&svg::text(cx(i), py1 + 6.0 + FS, "middle", "", c));
            }
        }
        XLabels::Two => {
            for (i, c) in data.categories.iter().enumerate() {
                let fits = svg::text_width(c, FS) <= band - 6.0;
                match svg::split_label(c).filter(|_| !fits) {
                    Some((a, b)) => {
                        s.push_str(&svg::text(cx(i), py1 + 6.0 + FS, "middle", "", &a));
                        s.push_str(&svg::text(cx(i), py1 + 6.0 + FS + LH, "middle", "", &b));
                    }
                    None => s.push_str(&svg::text(cx(i), py1 + 6.0 + FS, "middle", "", c)),
                }
            }
        }
        XLabels::Turned { every } => {
            for (i, c) in data.categories.iter().enumerate().filter(|(i, _)| i % every == 0) {
                let (x, yy) = (cx(i) + FS * 0.35, py1 + 10.0);
                let rotate = format!("transform=\"rotate(-45 {} {})\"", n(x), n(yy));
                s.push_str(&svg::text(x, yy, "end", &rotate, c));
            }
        }
    }
    let x_title = spec.x_label.as_deref().unwrap_or(&spec.x);
    s.push_str(&svg::text((px0 + px1) / 2.0, py1 + x_labels_h + LH, "middle", "font-weight=\"700\"", x_title));

    if value_labels {
        let labels: Vec<(usize, f64, &str)> =
            (0..ncat).filter_map(|i| data.values[0][i].map(|v| (i, v, data.raw[0][i].as_str()))).collect();
        if labels.iter().all(|(_, _, t)| svg::text_width(t, FS) <= band * 0.98) {
            for (i, v, t) in labels {
                s.push_str(&svg::text(cx(i), y(v) - 5.0, "middle", "", t));
            }
        }
    }

    if direct {
        // Each line named at its last value, nudged apart so names do not overlap.
        let mut ends: Vec<(f64, usize)> = (0..nser)
            .filter_map(|ser| (0..ncat).rev().find_map(|i| data.values[ser][i]).map(|v| (y(v), ser)))
            .collect();
        ends.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for k in 1..ends.len() {
            if ends[k].0 < ends[k - 1].0 + LH {
                ends[k].0 = ends[k - 1].0 + LH;
            }
        }
        let mut limit = py1;
        for e in ends.iter_mut().rev() {
            if e.0 > limit {
                e.0 = limit;
            }
            limit = e.0 - LH;
        }
        for (yy, ser) in ends {
            s.push_str(&svg::text(px1 + 8.0, yy + FS * 0.35, "", "", &spec.y[ser]));
        }
    }
    s.push_str("</g>");

    // Legend.
    if multi {
        s.push_str("<g class=\"figure-legend\">");
        for (ser, (x, row)) in flow.iter().enumerate() {
            let (x, yy) = (PAD + x, legend_top + *row as f64 * 22.0);
            if line {
                let dash = svg::series_dash(ser).map(|d| format!(" stroke-dasharray=\"{d}\"")).unwrap_or_default();
                let _ = write!(
                    s,
                    "<path d=\"M{} {}h{}\" stroke=\"{}\" stroke-width=\"2.5\"{dash}/>",
                    n(x),
                    n(yy + 9.0),
                    n(swatch_w),
                    svg::SERIES_COLOURS[ser]
                );
                s.push_str(&svg::marker(ser, x + swatch_w / 2.0, yy + 9.0, 9.0));
            } else {
                let _ = write!(
                    s,
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"14\" fill=\"{}\" stroke=\"{INK}\" stroke-width=\"1\"/>",
                    n(x),
                    n(yy + 2.0),
                    n(swatch_w),
                    fills[ser]
                );
            }
            let _ = write!(
                s,
                "<text x=\"{}\" y=\"{}\" fill=\"{INK}\" font-size=\"{}\">{}</text>",
                n(x + swatch_w + 6.0),
                n(yy + 9.0 + FS * 0.35),
                n(FS),
                svg::esc(&spec.y[ser])
            );
        }
        s.push_str("</g>");
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::super::{csv, spec::ChartSpec, wellformed};
    use super::*;
    use std::path::Path;

    const SECTION: &str = "content/threats/drugs.md";

    fn spec(kind: &str, y: &str) -> ChartSpec {
        let yaml = format!(
            "kind: {kind}\ndata: ../data/t.csv\nx: quarter\ny: {y}\ntitle: \"Drug offences\"\ndescription: \"Supply rose.\"\nunit: offences\n"
        );
        ChartSpec::parse(&yaml, Path::new(SECTION), 5).unwrap()
    }

    fn table(text: &str) -> Table {
        csv::parse(text.as_bytes(), Path::new("content/data/t.csv")).unwrap()
    }

    const TREND: &str = "quarter,possession,supply\n2024-Q1,40,12\n2024-Q2,38,15\n2024-Q3,41,19\n2024-Q4,39,24\n";

    fn count(h: &str, needle: &str) -> usize {
        h.matches(needle).count()
    }

    #[test]
    fn every_kind_is_well_formed_safe_and_described() {
        for kind in ["bar", "stacked-bar", "line"] {
            for y in ["[possession, supply]", "supply"] {
                let h = render(&spec(kind, y), &table(TREND), "fig-1").unwrap();
                let els = wellformed::assert_safe(&h);
                let svg = els.iter().find(|e| e.name == "svg").expect("svg");
                assert_eq!(svg.attr("role"), Some("img"));
                assert_eq!(svg.attr("aria-labelledby"), Some("fig-1-title"));
                assert!(svg.attr("viewBox").is_some());
                assert!(svg.attr("width").is_none() && svg.attr("height").is_none(), "fixed size");
                let title = els.iter().find(|e| e.name == "title").unwrap();
                assert_eq!((title.attr("id"), title.text.as_str()), (Some("fig-1-title"), "Drug offences"));
                let desc = els.iter().find(|e| e.name == "desc").unwrap();
                assert_eq!(desc.text, "Supply rose.");
                assert!(h.starts_with("<figure class=\"figure figure-chart\" id=\"fig-1\">"), "{h}");
                assert!(h.contains("<figcaption"));
                assert!(els.iter().any(|e| e.name == "caption"));
                assert!(els.iter().filter(|e| e.name == "th").all(|e| e.attr("scope").is_some()));
            }
        }
    }

    #[test]
    fn table_rows_match_the_data_rows() {
        let h = render(&spec("bar", "[possession, supply]"), &table(TREND), "f").unwrap();
        let els = wellformed::parse(&h).unwrap();
        let row_heads: Vec<&str> =
            els.iter().filter(|e| e.name == "th" && e.attr("scope") == Some("row")).map(|e| e.text.as_str()).collect();
        assert_eq!(row_heads, ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"]);
        let cols: Vec<&str> =
            els.iter().filter(|e| e.name == "th" && e.attr("scope") == Some("col")).map(|e| e.text.as_str()).collect();
        assert_eq!(cols, ["quarter", "possession", "supply"]);
        let cells: Vec<&str> = els.iter().filter(|e| e.name == "td").map(|e| e.text.as_str()).collect();
        assert_eq!(cells, ["40", "12", "38", "15", "41", "19", "39", "24"]);
        assert!(h.contains("<caption id=\"f-data-1\">Data: Drug offences (offences)</caption>"));
        // One bar per value, and two legend swatches.
        assert_eq!(els.iter().filter(|e| e.name == "rect" && e.attr("x").is_some()).count(), 8 + 2);
    }

    #[test]
    fn several_series_differ_by_pattern_or_marker_and_have_a_legend() {
        let h = render(&spec("bar", "[possession, supply]"), &table(TREND), "f").unwrap();
        assert_eq!(count(&h, "<pattern "), 1);
        assert_eq!(count(&h, "fill=\"url(#f-s1)\""), 4 + 1);
        assert!(h.contains("class=\"figure-legend\""));
        let h = render(&spec("stacked-bar", "[possession, supply]"), &table(TREND), "f").unwrap();
        assert!(h.contains("<pattern "));
        assert!(h.contains("<th scope=\"col\">Total</th>"));
        assert!(h.contains("<td class=\"num\">52</td>"));
        let h = render(&spec("line", "[possession, supply]"), &table(TREND), "f").unwrap();
        assert!(h.contains("stroke-dasharray"));
        assert_eq!(count(&h, "<circle"), 4 + 1);
        assert_eq!(count(&h, "<rect x"), 5, "squares mark the second series, and one in the legend");
        assert!(h.contains("class=\"figure-legend\""));
        // Direct labels at the line ends, besides the legend.
        assert_eq!(count(&h, ">supply</text>"), 2);
        let single = render(&spec("bar", "supply"), &table(TREND), "f").unwrap();
        assert!(!single.contains("figure-legend"));
        assert!(!single.contains("<pattern"));
        // Values written on single-series bars.
        assert!(single.contains(">24</text>"));
    }

    #[test]
    fn hostile_strings_are_escaped() {
        let evil = "quarter,\"<script>alert('x')</script>\"\n\"Q1 & <b onload=\"\"x\"\">\",5\nhttp://evil,6\n";
        let yaml = "kind: line\ndata: t.csv\nx: quarter\ny: \"<script>alert('x')</script>\"\ntitle: \"</title><script>&\"\ndescription: \"\\\"><img src=x onerror=alert(1)>\"\nsource: \"<i>me</i>\"\n";
        let sp = ChartSpec::parse(yaml, Path::new("content/a.md"), 1).unwrap();
        let t = csv::parse(evil.as_bytes(), Path::new("content/t.csv")).unwrap();
        let h = render(&sp, &t, "x\"><script>").unwrap();
        assert!(!h.contains("<script"), "{h}");
        assert!(!h.contains("<b "), "{h}");
        assert!(!h.contains("<img"), "{h}");
        assert!(!h.contains("<i>"), "{h}");
        assert!(h.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
        assert!(h.contains("Q1 &amp; &lt;b onload=&quot;x&quot;&gt;"));
        // The category `http://evil` is text, escaped or not: check the rest.
        let without = h.replace("http://evil", "");
        wellformed::assert_safe(&without);
    }

    #[test]
    fn deterministic() {
        let a = render(&spec("line", "[possession, supply]"), &table(TREND), "f").unwrap();
        let b = render(&spec("line", "[possession, supply]"), &table(TREND), "f").unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn negative_zero_and_missing_values() {
        let t = table("quarter,possession,supply\nQ1,-5,0\nQ2,10,\nQ3,0,-2.5\n");
        for kind in ["bar", "stacked-bar", "line"] {
            let h = render(&spec(kind, "[possession, supply]"), &t, "f").unwrap();
            wellformed::assert_safe(&h);
            assert!(h.contains(">−5</text>") || h.contains(">−10</text>"), "negative ticks: {h}");
            assert!(h.contains("<td>No data</td>"));
        }
        // Two bars are zero-height and one is missing: three drawn.
        let h = render(&spec("bar", "[possession, supply]"), &t, "f").unwrap();
        assert_eq!(count(&h, "<rect x"), 3 + 2);
        // A line breaks at the gap.
        let h = render(&spec("line", "supply"), &t, "f").unwrap();
        let els = wellformed::parse(&h).unwrap();
        let path = els.iter().find(|e| e.name == "path" && e.attr("fill") == Some("none")).unwrap();
        assert_eq!(path.attr("d").unwrap().matches('M').count(), 2);
        let zeros = table("quarter,supply\nQ1,0\nQ2,0\n");
        wellformed::assert_safe(&render(&spec("bar", "supply"), &zeros, "f").unwrap());
    }

    #[test]
    fn errors_name_file_line_and_mend() {
        let e = render(&spec("bar", "[possession, suply]"), &table(TREND), "f").unwrap_err();
        assert_eq!(e.file, Path::new(SECTION));
        assert_eq!(e.line, 8);
        assert_eq!(e.message, "column `suply` is not in content/data/t.csv");
        assert_eq!(e.help, "did you mean `supply`? Columns: `quarter`, `possession`, `supply`");
        let e = render(&spec("bar", "supply"), &table("Quarter,supply\nQ1,1\n"), "f").unwrap_err();
        assert_eq!(e.line, 7);
        assert!(e.help.contains("did you mean `Quarter`?"), "{}", e.help);
        let e = render(&spec("bar", "supply"), &table("quarter,supply\n"), "f").unwrap_err();
        assert!(e.message.contains("no rows to draw"), "{e}");
        assert!(e.help.contains("withheld"));
        let e = render(&spec("bar", "supply"), &table("quarter,supply\nQ1,1\nQ2,12%\n"), "f").unwrap_err();
        assert_eq!((e.file.to_str(), e.line), (Some("content/data/t.csv"), 3));
        assert_eq!(e.message, "`12%` in column `supply` is not a number");
        let e = render(&spec("bar", "supply"), &table("quarter,supply\nQ1,1\nQ1,2\n"), "f").unwrap_err();
        assert!(e.message.contains("appears twice"), "{e}");
        let e = render(&spec("bar", "supply"), &table("quarter,supply\n,1\n"), "f").unwrap_err();
        assert!(e.message.contains("nothing in column `quarter`"), "{e}");
        let e = render(&spec("bar", "supply"), &table("quarter,supply\nQ1,\n"), "f").unwrap_err();
        assert!(e.message.contains("no values"), "{e}");
    }

    #[test]
    fn unfiltered_tables_are_refused() {
        let t = table("quarter,supply,audience\nQ1,1,all\nQ2,2,partnership\n");
        let e = render(&spec("bar", "supply"), &t, "f").unwrap_err();
        assert!(e.message.contains("not filtered"), "{e}");
        let filtered = t.filter_audience(|a, _| Ok(a == "all")).unwrap();
        let h = render(&spec("bar", "supply"), &filtered, "f").unwrap();
        assert!(h.contains(">Q1<") && !h.contains(">Q2<"), "withheld row drawn");
    }

    #[test]
    fn long_and_many_labels_still_fit() {
        let mut csv_text = String::from("quarter,supply\n");
        for i in 0..24 {
            csv_text.push_str(&format!("Quarter {} of the year {},{}\n", i % 4 + 1, 2020 + i / 4, i * 3));
        }
        let h = render(&spec("bar", "supply"), &table(&csv_text), "f").unwrap();
        wellformed::assert_safe(&h);
        assert!(h.contains("rotate(-45"));
        let h = render(
            &spec("line", "supply"),
            &table("quarter,supply\nNorthtown Central,1\nHarbourside West,2\nKingsmoor,3\nMillbrook Vale,4\n"),
            "f",
        )
        .unwrap();
        wellformed::assert_safe(&h);
        // Nothing is drawn outside the viewBox horizontally.
        let els = wellformed::parse(&h).unwrap();
        let svg = els.iter().find(|e| e.name == "svg").unwrap();
        let vb: Vec<f64> = svg.attr("viewBox").unwrap().split(' ').map(|v| v.parse().unwrap()).collect();
        for t in els.iter().filter(|e| e.name == "text") {
            let x: f64 = t.attr("x").unwrap().parse().unwrap();
            assert!((0.0..=vb[2]).contains(&x), "text at {x}");
        }
    }
}
