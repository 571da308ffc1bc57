//! Shared drawing helpers: escaping, number formatting, tick choice, text
//! measurement, the palette and fill patterns, and the HTML around a figure.
//!
//! Everything here writes presentation attributes (`fill`, `stroke`, …) and
//! classes, never `style` (the pages' CSP forbids inline style), and refers
//! only to ids inside the same figure.

use std::fmt::Write;

/// The text colour (19.6:1 on white); also axes and outlines.
pub const INK: &str = "#0b0c0c";
/// Secondary text (7.1:1 on white).
pub const MUTED: &str = "#505a5f";
/// Grid lines: decoration only, the tick labels carry the values.
pub const GRID: &str = "#d8dadb";

/// Series colours, each at least 3:1 against white (a test checks). The
/// colour is never the only difference: each series also has its own
/// pattern (bars) or marker and dash (lines).
pub const SERIES_COLOURS: [&str; 6] = ["#1d4f91", "#c65a00", "#00703c", "#6f2c91", "#a0171f", "#006b75"];

/// At most this many series in one chart.
pub const MAX_SERIES: usize = SERIES_COLOURS.len();

/// Escape text for XML and HTML, in content and in attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters are not allowed in XML 1.0; they carry nothing readable.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A coordinate, compactly: one decimal at most, no `-0`.
pub fn n(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == 0.0 || !r.is_finite() {
        "0".into()
    } else if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// Make a caller's id prefix safe for `id` attributes and `url(#…)`:
/// letters, digits, `-` and `_`, starting with a letter.
pub fn id_prefix(p: &str) -> String {
    let mut s: String = p.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
    if !s.starts_with(|c: char| c.is_ascii_alphabetic()) {
        s.insert_str(0, "fig-");
    }
    s
}

/// The smallest number of decimals (up to 6) that shows `step` exactly.
pub fn decimals_for(step: f64) -> usize {
    (0..6)
        .find(|&d| {
            let scaled = step.abs() * 10f64.powi(d as i32);
            (scaled - scaled.round()).abs() < 1e-6 * scaled.max(1.0)
        })
        .unwrap_or(6)
}

/// A value for people: fixed decimals, thousands separated by commas.
pub fn format_value(v: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s.as_str(), None),
    };
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if let Some(f) = frac {
        grouped.push('.');
        grouped.push_str(f);
    }
    let is_zero = grouped.chars().all(|c| c == '0' || c == '.' || c == ',');
    if v < 0.0 && !is_zero {
        format!("−{grouped}")
    } else {
        grouped
    }
}

fn nice_step(raw: f64) -> f64 {
    let p = 10f64.powf(raw.log10().floor());
    let f = raw / p;
    let nf = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 2.5 {
        2.5
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    nf * p
}

/// Round tick values covering `[min, max]` (about `target` intervals), and
/// the decimals their labels need. An empty range is widened.
pub fn ticks(min: f64, max: f64, target: usize) -> (Vec<f64>, usize) {
    let (mut min, mut max) = (min.min(max), max.max(min));
    if max - min < 1e-12 {
        if max == 0.0 {
            max = 1.0;
        } else if max > 0.0 {
            min = 0.0;
        } else {
            max = 0.0;
        }
    }
    let step = nice_step((max - min) / target.max(1) as f64);
    // A value a rounding error past a tick stays on it.
    let lo = (min / step + 1e-9).floor();
    let hi = (max / step - 1e-9).ceil();
    let decimals = decimals_for(step);
    let count = (hi - lo).round() as i64;
    let scale = 10f64.powi(decimals as i32);
    let ticks = (0..=count)
        .map(|i| {
            let v = (lo + i as f64) * step;
            let v = (v * scale).round() / scale;
            if v == 0.0 {
                0.0
            } else {
                v
            }
        })
        .collect();
    (ticks, decimals)
}

/// Estimated width of `s` in a sans-serif face at `size` (for layout only;
/// generous, so text rarely overruns its space).
pub fn text_width(s: &str, size: f64) -> f64 {
    let em: f64 = s
        .chars()
        .map(|c| match c {
            'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | ' ' | 'I' | '(' | ')' | '[' | ']' => 0.3,
            'f' | 't' | 'r' | '-' | '1' => 0.4,
            'm' | 'w' | 'M' | 'W' | '@' | '%' | '—' => 0.9,
            c if c.is_ascii_uppercase() => 0.68,
            c if c.is_ascii_digit() => 0.58,
            c if c.is_ascii() => 0.56,
            _ => 0.7,
        })
        .sum();
    em * size
}

/// Split a label in two at the space or hyphen nearest its middle.
pub fn split_label(s: &str) -> Option<(String, String)> {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mid = s.len() / 2;
    let best = chars
        .iter()
        .filter(|(i, c)| (*c == ' ' || *c == '-') && *i > 0 && *i + c.len_utf8() < s.len())
        .min_by_key(|(i, _)| i.abs_diff(mid))?;
    let (i, c) = *best;
    let (a, b) = if c == ' ' { (&s[..i], &s[i + 1..]) } else { (&s[..=i], &s[i + 1..]) };
    Some((a.trim().to_string(), b.trim().to_string()))
}

/// `<pattern>` definitions for the fill of series `i` (bars and legend
/// swatches), and the fill value to use. Series 0 is solid; the others carry
/// white hatching, dots or grids so they differ in black-and-white print.
pub fn series_fill(prefix: &str, i: usize) -> (String, String) {
    let colour = SERIES_COLOURS[i % SERIES_COLOURS.len()];
    let id = format!("{prefix}-s{i}");
    let body = match i {
        0 => return (String::new(), colour.to_string()),
        1 => "<path d=\"M0 0V8\" stroke=\"#fff\" stroke-width=\"2.5\"/>",
        2 => "<circle cx=\"2\" cy=\"2\" r=\"1.6\" fill=\"#fff\"/><circle cx=\"6\" cy=\"6\" r=\"1.6\" fill=\"#fff\"/>",
        3 => "<path d=\"M0 0V8M0 0H8\" stroke=\"#fff\" stroke-width=\"2\"/>",
        4 => "<path d=\"M0 4H8\" stroke=\"#fff\" stroke-width=\"2.5\"/>",
        _ => "<path d=\"M4 0V8\" stroke=\"#fff\" stroke-width=\"1.5\"/><path d=\"M0 4H8\" stroke=\"#fff\" stroke-width=\"1.5\"/>",
    };
    let transform = match i {
        1 => " patternTransform=\"rotate(45)\"",
        3 => " patternTransform=\"rotate(45)\"",
        _ => "",
    };
    let defs = format!(
        "<pattern id=\"{id}\" patternUnits=\"userSpaceOnUse\" width=\"8\" height=\"8\"{transform}>\
         <rect width=\"8\" height=\"8\" fill=\"{colour}\"/>{body}</pattern>"
    );
    (defs, format!("url(#{id})"))
}

/// Dash pattern of line series `i` (`None` for solid).
pub fn series_dash(i: usize) -> Option<&'static str> {
    const DASHES: [&str; 6] = ["", "9 4", "2 3", "10 3 2 3", "9 3 2 3 2 3", "4 3"];
    Some(DASHES[i % DASHES.len()]).filter(|d| !d.is_empty())
}

/// Marker of line series `i`, centred on (x, y): a circle, square, triangle,
/// diamond, inverted triangle or cross, filled in the series colour with a
/// white rim so it stands out from lines behind it.
pub fn marker(i: usize, x: f64, y: f64, size: f64) -> String {
    let colour = SERIES_COLOURS[i % SERIES_COLOURS.len()];
    let r = size / 2.0;
    let paint = format!("fill=\"{colour}\" stroke=\"#fff\" stroke-width=\"1.2\"");
    match i % 6 {
        0 => format!("<circle cx=\"{}\" cy=\"{}\" r=\"{}\" {paint}/>", n(x), n(y), n(r)),
        1 => {
            let s = r * 0.9;
            format!(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" {paint}/>",
                n(x - s),
                n(y - s),
                n(2.0 * s),
                n(2.0 * s)
            )
        }
        2 => format!(
            "<path d=\"M{} {}L{} {}L{} {}Z\" {paint}/>",
            n(x),
            n(y - r * 1.15),
            n(x + r * 1.1),
            n(y + r * 0.8),
            n(x - r * 1.1),
            n(y + r * 0.8)
        ),
        3 => format!(
            "<path d=\"M{} {}L{} {}L{} {}L{} {}Z\" {paint}/>",
            n(x),
            n(y - r * 1.2),
            n(x + r * 1.2),
            n(y),
            n(x),
            n(y + r * 1.2),
            n(x - r * 1.2),
            n(y)
        ),
        4 => format!(
            "<path d=\"M{} {}L{} {}L{} {}Z\" {paint}/>",
            n(x),
            n(y + r * 1.15),
            n(x + r * 1.1),
            n(y - r * 0.8),
            n(x - r * 1.1),
            n(y - r * 0.8)
        ),
        _ => {
            let a = r * 1.1;
            let w = r * 0.45;
            // A plus-shaped cross, drawn as one outline.
            format!(
                "<path d=\"M{} {}H{}V{}H{}V{}H{}V{}H{}V{}H{}V{}H{}Z\" {paint}/>",
                n(x - w),
                n(y - a),
                n(x + w),
                n(y - w),
                n(x + a),
                n(y + w),
                n(x + w),
                n(y + a),
                n(x - w),
                n(y + w),
                n(x - a),
                n(y - w),
                n(x - w)
            )
        }
    }
}

/// `<text>` with optional anchor and extra attributes (already escaped).
pub fn text(x: f64, y: f64, anchor: &str, extra: &str, content: &str) -> String {
    let anchor =
        if anchor.is_empty() || anchor == "start" { String::new() } else { format!(" text-anchor=\"{anchor}\"") };
    let extra = if extra.is_empty() { String::new() } else { format!(" {extra}") };
    format!("<text x=\"{}\" y=\"{}\"{anchor}{extra}>{}</text>", n(x), n(y), esc(content))
}

/// The opening of a figure's `<svg>`: accessible name and description, and
/// a white ground so the figure keeps its contrast in any page colour.
pub fn open_svg(prefix: &str, class: &str, width: f64, height: f64, title: &str, description: &str) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg class=\"figure-svg {class}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"{prefix}-title\" \
         aria-describedby=\"{prefix}-desc\"><title id=\"{prefix}-title\">{title}</title>\
         <desc id=\"{prefix}-desc\">{description}</desc>\
         <rect class=\"figure-ground\" width=\"{w}\" height=\"{h}\" fill=\"#fff\"/>",
        w = n(width),
        h = n(height),
        title = esc(title),
        description = esc(description),
    );
    s
}

/// One data table under a figure.
pub struct DataTable {
    pub caption: String,
    pub header: Vec<String>,
    /// Rows of cells; the first cell of each row is its header (`scope="row"`).
    pub rows: Vec<Vec<Cell>>,
}

pub struct Cell {
    pub text: String,
    pub numeric: bool,
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Self {
        Cell { text: s.into(), numeric: false }
    }
    pub fn num(s: impl Into<String>) -> Self {
        Cell { text: s.into(), numeric: true }
    }
}

/// What goes around the drawing.
pub struct Frame<'a> {
    pub prefix: &'a str,
    /// `figure-chart` or `figure-map`.
    pub class: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub source: Option<&'a str>,
}

/// The whole figure: caption (title, summary, source), the drawing, then the
/// data as tables, each in a labelled region that scrolls sideways on a
/// narrow screen.
pub fn figure(frame: &Frame, svg: &str, tables: &[DataTable]) -> String {
    let p = frame.prefix;
    let mut h = String::new();
    let _ = write!(h, "<figure class=\"figure {}\" id=\"{p}\">", frame.class);
    let _ = write!(
        h,
        "<figcaption class=\"figure-caption\"><p class=\"figure-title\">{}</p><p class=\"figure-summary\">{}</p>",
        esc(frame.title),
        esc(frame.description)
    );
    if let Some(src) = frame.source {
        let _ = write!(h, "<p class=\"figure-source\">Source: {}</p>", esc(src));
    }
    h.push_str("</figcaption>");
    let _ = write!(h, "<div class=\"figure-graphic\">{svg}</div>");
    for (k, t) in tables.iter().enumerate() {
        let cid = format!("{p}-data-{}", k + 1);
        let _ = write!(
            h,
            "<div class=\"table-wrap figure-table\" role=\"region\" tabindex=\"0\" aria-labelledby=\"{cid}\">\
             <table><caption id=\"{cid}\">{}</caption><thead><tr>",
            esc(&t.caption)
        );
        for c in &t.header {
            let _ = write!(h, "<th scope=\"col\">{}</th>", esc(c));
        }
        h.push_str("</tr></thead><tbody>");
        for row in &t.rows {
            h.push_str("<tr>");
            for (j, c) in row.iter().enumerate() {
                let class = if c.numeric { " class=\"num\"" } else { "" };
                if j == 0 {
                    let _ = write!(h, "<th scope=\"row\"{class}>{}</th>", esc(&c.text));
                } else {
                    let _ = write!(h, "<td{class}>{}</td>", esc(&c.text));
                }
            }
            h.push_str("</tr>");
        }
        h.push_str("</tbody></table></div>");
    }
    h.push_str("</figure>\n");
    h
}

/// Lay legend items out in rows across `width`: (x, row) for each item of the
/// given widths.
pub fn flow(widths: &[f64], width: f64, gap: f64) -> Vec<(f64, usize)> {
    let mut out = Vec::with_capacity(widths.len());
    let (mut x, mut row) = (0.0, 0usize);
    for &w in widths {
        if x > 0.0 && x + w > width {
            x = 0.0;
            row += 1;
        }
        out.push((x, row));
        x += w + gap;
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn luminance(hex: &str) -> f64 {
        let v = |i: usize| {
            let c = u8::from_str_radix(&hex[1 + 2 * i..3 + 2 * i], 16).unwrap() as f64 / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * v(0) + 0.7152 * v(1) + 0.0722 * v(2)
    }

    pub(crate) fn contrast(a: &str, b: &str) -> f64 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    #[test]
    fn palette_contrast() {
        for c in SERIES_COLOURS {
            assert!(contrast(c, "#ffffff") >= 3.0, "{c} is below 3:1 on white");
        }
        assert!(contrast(INK, "#ffffff") >= 4.5);
        assert!(contrast(MUTED, "#ffffff") >= 4.5);
    }

    #[test]
    fn escapes_everything_markup_needs() {
        assert_eq!(esc("<a href=\"x\">&'</a>"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
        assert_eq!(esc("a\u{1}b"), "a b");
    }

    #[test]
    fn compact_numbers() {
        assert_eq!(n(1.0), "1");
        assert_eq!(n(1.25), "1.3");
        assert_eq!(n(-0.01), "0");
        assert_eq!(n(-2.46), "-2.5");
        assert_eq!(n(100.04), "100");
    }

    #[test]
    fn values_for_people() {
        assert_eq!(format_value(1234567.0, 0), "1,234,567");
        assert_eq!(format_value(-1234.5, 1), "−1,234.5");
        assert_eq!(format_value(999.0, 0), "999");
        assert_eq!(format_value(-0.0001, 1), "0.0");
        assert_eq!(format_value(0.25, 2), "0.25");
    }

    #[test]
    fn nice_round_ticks() {
        assert_eq!(ticks(0.0, 73.0, 5), (vec![0.0, 20.0, 40.0, 60.0, 80.0], 0));
        assert_eq!(ticks(-12.0, 30.0, 5), (vec![-20.0, -10.0, 0.0, 10.0, 20.0, 30.0], 0));
        assert_eq!(ticks(0.0, 0.0, 5).0.first(), Some(&0.0));
        assert_eq!(ticks(0.0, 0.0, 5).0.last(), Some(&1.0));
        let (t, d) = ticks(0.0, 1.0, 4);
        assert_eq!((t, d), (vec![0.0, 0.25, 0.5, 0.75, 1.0], 2));
        let (t, _) = ticks(-5.0, -5.0, 5);
        assert_eq!(t.first(), Some(&-5.0));
        assert_eq!(t.last(), Some(&0.0));
        let (t, _) = ticks(0.0, 180.0, 5);
        assert_eq!(t, vec![0.0, 50.0, 100.0, 150.0, 200.0]);
    }

    #[test]
    fn id_prefixes_are_safe() {
        assert_eq!(id_prefix("fig-1"), "fig-1");
        assert_eq!(id_prefix("1\"><x"), "fig-1x");
        assert_eq!(id_prefix(""), "fig-");
    }

    #[test]
    fn labels_split_near_the_middle() {
        assert_eq!(split_label("Drug supply offences"), Some(("Drug supply".into(), "offences".into())));
        assert_eq!(split_label("2024-Q1"), Some(("2024-".into(), "Q1".into())));
        assert_eq!(split_label("Northtown"), None);
    }

    #[test]
    fn dashes_and_markers_differ_per_series() {
        let dashes: Vec<_> = (0..6).map(series_dash).collect();
        assert_eq!(dashes[0], None);
        let set: std::collections::BTreeSet<_> = dashes.iter().collect();
        assert_eq!(set.len(), 6);
        let shapes: std::collections::BTreeSet<String> = (0..6).map(|i| marker(i, 0.0, 0.0, 8.0)).collect();
        assert_eq!(shapes.len(), 6);
    }
}
