//! Impact and freshness, as Brief judges them: the status of a
//! recommendation's measure from its dated readings, and whether a section
//! has gone too long without an update. Pure functions of "today" (the build
//! date, [`Date::today`], which `SOURCE_DATE_EPOCH` fixes), so tests can set it.
//!
//! **A measure's status:**
//! - *no recent data*: it has no reading, or its latest reading is more than
//!   [`RECENT_MONTHS`] months before today;
//! - otherwise *on track* when the latest reading is at or beyond the straight
//!   line from the baseline (value and date) to the target (value and date),
//!   at that reading's date, in the target's direction (the target is above
//!   the baseline: higher is better; below it: lower is better); before the
//!   baseline date the line is the baseline, after the target date it is the
//!   target;
//! - *off track* otherwise.
//!
//! **A section is stale** when it has no `updated` date, or today is more
//! than the profile's review cycle (`review_cycle_months`, 12 unless set)
//! after it.

use crate::date::Date;
use crate::section::{Measure, Reading};

/// A measure whose latest reading is older than this has no recent data.
pub const RECENT_MONTHS: u32 = 6;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MeasureStatus {
    OnTrack,
    OffTrack,
    NoRecentData,
}

impl MeasureStatus {
    pub const ALL: [MeasureStatus; 3] = [MeasureStatus::OnTrack, MeasureStatus::OffTrack, MeasureStatus::NoRecentData];

    pub fn id(self) -> &'static str {
        match self {
            MeasureStatus::OnTrack => "on-track",
            MeasureStatus::OffTrack => "off-track",
            MeasureStatus::NoRecentData => "no-recent-data",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            MeasureStatus::OnTrack => "On track",
            MeasureStatus::OffTrack => "Off track",
            MeasureStatus::NoRecentData => "No recent data",
        }
    }
}

/// Whether a higher value is better: the target is above the baseline.
pub fn higher_is_better(m: &Measure) -> bool {
    m.target.value > m.baseline.value
}

/// The newest reading.
pub fn latest(m: &Measure) -> Option<&Reading> {
    m.readings.iter().max_by_key(|r| r.date)
}

/// Where the measure should be on `date`: on the straight line from the
/// baseline to the target, held at either end outside their dates.
pub fn expected_at(m: &Measure, date: Date) -> f64 {
    let (b, t) = (m.baseline, m.target);
    let span = (t.date.days() - b.date.days()) as f64;
    let along = if span <= 0.0 { 1.0 } else { ((date.days() - b.date.days()) as f64 / span).clamp(0.0, 1.0) };
    b.value + (t.value - b.value) * along
}

/// Whether a reading dated `date` is recent on `today`: no more than [`RECENT_MONTHS`] before it.
pub fn is_recent(date: Date, today: Date) -> bool {
    today <= date.add_months(RECENT_MONTHS)
}

pub fn status(m: &Measure, today: Date) -> MeasureStatus {
    let Some(r) = latest(m).filter(|r| is_recent(r.date, today)) else {
        return MeasureStatus::NoRecentData;
    };
    let expected = expected_at(m, r.date);
    // Readings equal to the line, but for rounding, are on it.
    let slack = 1e-9 * expected.abs().max(1.0);
    let on = if higher_is_better(m) { r.value >= expected - slack } else { r.value <= expected + slack };
    if on {
        MeasureStatus::OnTrack
    } else {
        MeasureStatus::OffTrack
    }
}

/// Whether a section updated on `updated` is stale on `today` with a review cycle of `cycle_months`.
pub fn is_stale(updated: Option<Date>, cycle_months: u32, today: Date) -> bool {
    updated.is_none_or(|u| today > u.add_months(cycle_months))
}

/// A number as a reader expects it: whole numbers without a point, others
/// as written (12.5), never in exponent form for the sizes measures take.
pub fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        let s = format!("{v:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::section::Point;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    /// Referrals: 40 on 1 April 2026, aiming for 60 by 1 April 2027 (higher is better).
    fn referrals(readings: &[(f64, &str)]) -> Measure {
        Measure {
            name: "Referrals".into(),
            unit: "referrals".into(),
            baseline: Point { value: 40.0, date: d("2026-04-01") },
            target: Point { value: 60.0, date: d("2027-04-01") },
            readings: readings
                .iter()
                .map(|(v, date)| Reading { value: *v, date: d(date), source: "x".into() })
                .collect(),
            audience: None,
            line: 1,
        }
    }

    #[test]
    fn the_line_from_baseline_to_target() {
        let m = referrals(&[]);
        assert_eq!(expected_at(&m, d("2026-04-01")), 40.0);
        assert_eq!(expected_at(&m, d("2025-01-01")), 40.0, "held at the baseline before it");
        assert_eq!(expected_at(&m, d("2028-01-01")), 60.0, "held at the target after it");
        let mid = expected_at(&m, d("2026-09-30"));
        assert!((mid - 49.97).abs() < 0.1, "{mid}");
    }

    #[test]
    fn status_from_the_latest_reading() {
        let today = d("2026-11-25");
        assert_eq!(status(&referrals(&[]), today), MeasureStatus::NoRecentData, "no reading");
        // Latest 30 September: the line is at ~50.
        assert_eq!(status(&referrals(&[(45.0, "2026-06-30"), (51.0, "2026-09-30")]), today), MeasureStatus::OnTrack);
        assert_eq!(status(&referrals(&[(55.0, "2026-06-30"), (48.0, "2026-09-30")]), today), MeasureStatus::OffTrack);
        // The order written does not matter: the newest is the latest.
        assert_eq!(status(&referrals(&[(48.0, "2026-09-30"), (55.0, "2026-06-30")]), today), MeasureStatus::OffTrack);
        // Six months exactly is recent; a day more is not.
        let m = referrals(&[(45.0, "2026-05-25")]);
        assert_eq!(status(&m, d("2026-11-25")), MeasureStatus::OnTrack);
        assert_eq!(status(&m, d("2026-11-26")), MeasureStatus::NoRecentData);
        // Lower is better: a target below the baseline.
        // Lower is better: a target below the baseline; on 1 October the line is at ~30.
        let mut down = referrals(&[(28.0, "2026-10-01")]);
        down.target.value = 20.0;
        assert_eq!(status(&down, today), MeasureStatus::OnTrack);
        down.readings[0].value = 35.0;
        assert_eq!(status(&down, today), MeasureStatus::OffTrack);
    }

    #[test]
    fn freshness() {
        let today = d("2026-11-25");
        assert!(is_stale(None, 12, today), "no date is stale");
        assert!(!is_stale(Some(d("2025-11-25")), 12, today), "twelve months exactly is within the cycle");
        assert!(is_stale(Some(d("2025-11-24")), 12, today));
        assert!(!is_stale(Some(d("2026-06-01")), 6, today));
        assert!(is_stale(Some(d("2026-05-24")), 6, today));
    }

    #[test]
    fn numbers() {
        assert_eq!(number(40.0), "40");
        assert_eq!(number(12.5), "12.5");
        assert_eq!(number(-3.25), "-3.25");
        assert_eq!(number(0.1 + 0.2), "0.3");
    }
}
