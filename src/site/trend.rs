//! A measure's trend as a small inline SVG: the readings as a solid line
//! from the baseline, the planned path from baseline to target dotted, the
//! target level dashed. Shapes and line styles tell them apart (never colour
//! alone), everything is drawn in `currentColor` with presentation
//! attributes and classes (the pages' CSP forbids inline styles), and the
//! picture is `role="img"` with the same figures in words as its name.

use crate::impact::number;
use crate::section::Measure;

const W: f64 = 120.0;
const H: f64 = 36.0;
const PAD: f64 = 4.0;

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// The trend in words: what the picture shows, for its accessible name.
pub fn describe(m: &Measure) -> String {
    let unit = |v: f64| format!("{} {}", number(v), m.unit);
    let mut t = format!("Trend of {}: baseline {} on {}", m.name, unit(m.baseline.value), m.baseline.date.long());
    if m.readings.is_empty() {
        t.push_str("; no readings yet");
    } else {
        let shown: Vec<String> = m.readings.iter().map(|r| format!("{} on {}", unit(r.value), r.date.long())).collect();
        t.push_str(&format!("; reading{} {}", if shown.len() == 1 { "" } else { "s" }, shown.join(", ")));
    }
    t.push_str(&format!("; target {} by {}.", unit(m.target.value), m.target.date.long()));
    t
}

fn f(v: f64) -> String {
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

/// The SVG, ready to put in a page as it is.
pub fn svg(m: &Measure) -> String {
    let first = m.baseline.date.days();
    let last = m.readings.iter().map(|r| r.date.days()).chain([m.target.date.days()]).max().unwrap_or(first);
    let span = (last - first).max(1) as f64;
    let values: Vec<f64> = m
        .readings
        .iter()
        .map(|r| r.value)
        .chain([m.baseline.value, m.target.value])
        .filter(|v| v.is_finite())
        .collect();
    let (lo, hi) = values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
    let (lo, hi) = if hi > lo { (lo, hi) } else { (lo - 1.0, hi + 1.0) };
    let x = |days: i64| PAD + (days - first).max(0) as f64 / span * (W - 2.0 * PAD);
    let y = |v: f64| H - PAD - (v - lo) / (hi - lo) * (H - 2.0 * PAD);
    let label = esc(&describe(m));
    let (bx, by) = (x(first), y(m.baseline.value));
    let (tx, ty) = (x(m.target.date.days()), y(m.target.value));
    let mut s = format!(
        "<svg class=\"trend\" role=\"img\" aria-label=\"{label}\" viewBox=\"0 0 {W} {H}\" width=\"{W}\" height=\"{H}\" focusable=\"false\"><title>{label}</title>"
    );
    s.push_str(&format!(
        "<line class=\"trend-target\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"currentColor\" stroke-width=\"1\" stroke-dasharray=\"4 3\"/>",
        f(PAD),
        f(ty),
        f(W - PAD),
        f(ty)
    ));
    s.push_str(&format!(
        "<line class=\"trend-plan\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"currentColor\" stroke-width=\"1\" stroke-dasharray=\"1 2\"/>",
        f(bx),
        f(by),
        f(tx),
        f(ty)
    ));
    let mut points = vec![format!("{},{}", f(bx), f(by))];
    points.extend(m.readings.iter().map(|r| format!("{},{}", f(x(r.date.days())), f(y(r.value)))));
    if points.len() > 1 {
        s.push_str(&format!(
            "<polyline class=\"trend-line\" points=\"{}\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\"/>",
            points.join(" ")
        ));
    }
    // Baseline: a square; target: a diamond; readings: dots, the latest larger.
    s.push_str(&format!(
        "<rect class=\"trend-baseline\" x=\"{}\" y=\"{}\" width=\"5\" height=\"5\" fill=\"currentColor\"/>",
        f(bx - 2.5),
        f(by - 2.5)
    ));
    s.push_str(&format!(
        "<path class=\"trend-goal\" d=\"M{} {}l3 3l-3 3l-3 -3z\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"1\"/>",
        f(tx),
        f(ty - 3.0)
    ));
    for (i, r) in m.readings.iter().enumerate() {
        let latest = i + 1 == m.readings.len();
        s.push_str(&format!(
            "<circle class=\"{}\" cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"currentColor\"/>",
            if latest { "trend-latest" } else { "trend-reading" },
            f(x(r.date.days())),
            f(y(r.value)),
            if latest { "3" } else { "2" }
        ));
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Date;
    use crate::section::{Point, Reading};

    fn m(readings: &[(f64, &str)]) -> Measure {
        let d = |s: &str| Date::parse(s).unwrap();
        Measure {
            name: "Referrals <\"x\">".into(),
            unit: "referrals".into(),
            baseline: Point { value: 40.0, date: d("2026-04-01") },
            target: Point { value: 60.0, date: d("2027-04-01") },
            readings: readings.iter().map(|(v, s)| Reading { value: *v, date: d(s), source: "s".into() }).collect(),
            audience: None,
            line: 1,
        }
    }

    #[test]
    fn accessible_and_without_inline_style() {
        let s = svg(&m(&[(45.0, "2026-06-30"), (51.0, "2026-09-30")]));
        assert!(s.starts_with("<svg class=\"trend\" role=\"img\" aria-label=\"Trend of Referrals &lt;&quot;x&quot;&gt;: baseline 40 referrals on 1 April 2026; readings 45 referrals on 30 June 2026, 51 referrals on 30 September 2026; target 60 referrals by 1 April 2027.\""), "{s}");
        assert!(s.contains("<title>Trend of Referrals &lt;"), "{s}");
        assert!(!s.contains("style"), "{s}");
        assert_eq!(s.matches("<circle").count(), 2);
        assert!(s.contains("class=\"trend-latest\""));
        assert!(s.contains("<polyline"));
        // Higher values are drawn higher: the baseline (40) is below the target (60).
        assert!(s.contains("<rect class=\"trend-baseline\" x=\"1.5\" y=\"29.5\""), "{s}");
    }

    #[test]
    fn no_readings_and_flat_values() {
        let s = svg(&m(&[]));
        assert!(s.contains("no readings yet") && !s.contains("<polyline") && !s.contains("<circle"), "{s}");
        let mut flat = m(&[(40.0, "2026-05-01")]);
        flat.target.value = 40.0;
        assert!(!svg(&flat).contains("NaN"));
    }
}
