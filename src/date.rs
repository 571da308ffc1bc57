//! Calendar dates as authors write them (`YYYY-MM-DD`), strictly validated.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

impl Date {
    /// Parse `YYYY-MM-DD`; anything else (other separators, times, impossible
    /// days) is refused rather than guessed.
    pub fn parse(text: &str) -> Option<Date> {
        let b = text.trim().as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            let s = std::str::from_utf8(&b[r]).ok()?;
            s.bytes().all(|c| c.is_ascii_digit()).then(|| s.parse().ok())?
        };
        let (year, month, day) = (num(0..4)? as i32, num(5..7)?, num(8..10)?);
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// What a date written another way most likely means, for "did you mean":
    /// `31/12/2026`, `31.12.2026`, `31-12-2026` (day first, as in the UK),
    /// `2026/12/31`, `31 December 2026`, `31 Dec 2026`.
    pub fn suggest(text: &str) -> Option<Date> {
        const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
        let parts: Vec<&str> = text.trim().split(|c: char| "/.- ,".contains(c)).filter(|p| !p.is_empty()).collect();
        let [a, b, c] = parts.as_slice() else { return None };
        let month = |m: &str| -> Option<u32> {
            m.parse().ok().or_else(|| {
                let m = m.to_ascii_lowercase();
                MONTHS.iter().position(|x| m.starts_with(x)).map(|i| i as u32 + 1)
            })
        };
        let (y, m, d): (i32, u32, u32) = if a.len() == 4 {
            (a.parse().ok()?, month(b)?, c.parse().ok()?)
        } else {
            (c.parse().ok()?, month(b)?, a.parse().ok()?)
        };
        Date::parse(&format!("{y:04}-{m:02}-{d:02}"))
    }

    /// Days since 1970-01-01 (Howard Hinnant's civil-from-days, inverted).
    pub fn days(self) -> i64 {
        let y = self.year as i64 - if self.month <= 2 { 1 } else { 0 };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = self.month as i64;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + self.day as i64 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146097 + doe - 719468
    }

    pub fn from_days(z: i64) -> Date {
        let z = z + 719468;
        let era = z.div_euclid(146097);
        let doe = z - era * 146097;
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + if month <= 2 { 1 } else { 0 }) as i32;
        Date { year, month, day }
    }

    /// Today, or the day of `SOURCE_DATE_EPOCH` when set, so builds and tests can be reproducible.
    pub fn today() -> Date {
        let secs = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.parse::<i64>().ok()).unwrap_or_else(|| {
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
        });
        Date::from_days(secs.div_euclid(86_400))
    }

    /// The same day `months` later; a day the month lacks becomes its last
    /// (31 August + 6 months is 28 or 29 February).
    pub fn add_months(self, months: u32) -> Date {
        let total = self.year as i64 * 12 + (self.month as i64 - 1) + months as i64;
        let year = total.div_euclid(12) as i32;
        let month = total.rem_euclid(12) as u32 + 1;
        Date { year, month, day: self.day.min(days_in_month(year, month)) }
    }

    /// "1 October 2026", as readers expect on a briefing.
    pub fn long(self) -> String {
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        format!("{} {} {}", self.day, MONTHS[self.month as usize - 1], self.year)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Date::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("`{s}` is not a date YYYY-MM-DD")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_valid_and_refuses_invalid() {
        assert_eq!(Date::parse("2026-10-01"), Some(Date { year: 2026, month: 10, day: 1 }));
        assert_eq!(Date::parse("2028-02-29").map(|d| d.day), Some(29));
        for bad in ["2027-02-29", "2026-13-01", "2026-1-01", "01/10/2026", "2026-10-01T00:00", "soon", "2026-00-10"] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn days_round_trip() {
        let d = Date::parse("2026-11-25").unwrap();
        assert_eq!(Date::from_days(d.days()), d);
        assert_eq!(Date::parse("1970-01-01").unwrap().days(), 0);
        assert_eq!(Date::parse("2027-09-30").unwrap().days() - Date::parse("2026-10-01").unwrap().days(), 364);
        assert_eq!(d.long(), "25 November 2026");
    }

    #[test]
    fn months_later() {
        let d = |s: &str| Date::parse(s).unwrap();
        assert_eq!(d("2026-01-15").add_months(12), d("2027-01-15"));
        assert_eq!(d("2026-08-31").add_months(6), d("2027-02-28"));
        assert_eq!(d("2027-08-31").add_months(6), d("2028-02-29"));
        assert_eq!(d("2026-11-30").add_months(3), d("2027-02-28"));
        assert_eq!(d("2026-10-01").add_months(0), d("2026-10-01"));
    }
}
