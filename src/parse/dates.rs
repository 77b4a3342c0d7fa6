//! Dates as council pages write them: "19/04/2012", "Thursday, 3rd November, 2011 7.30 pm",
//! "TUESDAY 9TH JUNE 2009", "12.11.96", "21 st April 2016", "Report16th October 2012",
//! "February 4, 2026", "18 Jul 2016", "2012-04-19". Impossible dates are not dates.

use regex::Regex;
use serde::{Serialize, Serializer};
use std::fmt;
use std::sync::LazyLock;

/// A calendar date (proleptic Gregorian), always valid once constructed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u32,
    day: u32,
}

impl Date {
    /// A date, or `None` when the day does not exist (31/02, 29/02/2013, month 13…)
    /// or the year is outside 1900–2100, where no council minutes live.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1900..=2100).contains(&year) || !(1..=12).contains(&month) || day == 0 {
            return None;
        }
        (day <= days_in_month(year, month)).then_some(Date { year, month, day })
    }

    pub fn year(&self) -> i32 {
        self.year
    }
    pub fn month(&self) -> u32 {
        self.month
    }
    pub fn day(&self) -> u32 {
        self.day
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(&self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// Seconds since the Unix epoch at midnight UTC.
    pub fn unix_seconds(&self) -> i64 {
        self.days_since_epoch() * 86_400
    }

    /// The date `days` days after 1970-01-01.
    pub fn from_days_since_epoch(days: i64) -> Option<Date> {
        let z = days + 719_468;
        let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + i64::from(m <= 2);
        Date::new(i32::try_from(y).ok()?, u32::try_from(m).ok()?, u32::try_from(d).ok()?)
    }

    /// 0 = Monday … 6 = Sunday.
    pub fn weekday(&self) -> u32 {
        // 1970-01-01 was a Thursday (3).
        ((self.days_since_epoch() + 3).rem_euclid(7)) as u32
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A date found inside a longer string: `start..end` covers the whole expression,
/// including a weekday in front of it ("Tuesday, 3rd November, 2011").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub date: Date,
    pub start: usize,
    pub end: usize,
}

const MONTHS: &str = "january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec";
const WEEKDAYS: &str =
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun";

// Word boundaries in the parse regexes are ASCII, `(?-u:\b)`: with Unicode `\b` the
// regex crate's lazy DFA gives up at the first non-ASCII byte (a ’, £ or – is on most
// pages) and a backtracker scans the whole line instead (3.4 % of indexing instructions).
// They differ only next to a non-ASCII letter or digit.
static DAY_MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    // The day may be glued to a preceding word ("Report16th") but not to a digit.
    Regex::new(&format!(
        r"(?i)(?:^|[^0-9])(?P<d>[0-3]?[0-9])\s?(?:st|nd|rd|th)?\.?\s*(?:of\s+)?(?P<m>{MONTHS})\.?,?\s+(?P<y>\d{{4}})(?-u:\b)"
    ))
    .expect("static regex")
});
static MONTH_DAY_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?-u:\b)(?P<m>{MONTHS})\.?\s+(?P<d>[0-3]?[0-9])(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})(?-u:\b)"
    ))
    .expect("static regex")
});
static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^0-9./])(?P<d>[0-3]?[0-9])(?P<sep>[/.\-])(?P<m>[01]?[0-9])(?P<sep2>[/.\-])(?P<y>\d{4}|\d{2})(?:$|[^0-9])")
        .expect("static regex")
});
static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^0-9])(?P<y>(?:19|20)\d{2})-(?P<m>[01][0-9])-(?P<d>[0-3][0-9])(?:$|[^0-9])")
        .expect("static regex")
});
static WEEKDAY_BEFORE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"(?i)(?-u:\b)(?:{WEEKDAYS})(?-u:\b)\.?,?\s*$")).expect("static regex"));

fn month_number(name: &str) -> Option<u32> {
    let n = name.to_ascii_lowercase();
    let m = match n.get(..3)? {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    Some(m)
}

fn year_of(text: &str) -> Option<i32> {
    let y: i32 = text.parse().ok()?;
    Some(match text.len() {
        2 if y < 50 => 2000 + y,
        2 => 1900 + y,
        _ => y,
    })
}

/// The valid dates each written form finds in `text`, in each form's order; with
/// `first_only`, at most the first of each form (enough to know the text's first date,
/// without scanning a long line to its end four times).
fn candidates(text: &str, first_only: bool) -> Vec<Found> {
    let mut found: Vec<Found> = Vec::new();
    // Every written form has a day and a year in digits: most lines have no digit at
    // all, and four regex passes over them were ~4 % of indexing.
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return found;
    }
    type Read = fn(&regex::Captures<'_>) -> Option<Found>;
    let forms: [(&Regex, Read); 4] = [
        (&DAY_MONTH_YEAR, |c| month_named(c, false)),
        (&MONTH_DAY_YEAR, |c| month_named(c, true)),
        (&NUMERIC, |c| {
            let (d, m, y) = (c.name("d")?, c.name("m")?, c.name("y")?);
            // "12.11.96" and "19/04/2012" but not "1.2/3" mixtures.
            if c.name("sep").map(|s| s.as_str()) != c.name("sep2").map(|s| s.as_str()) {
                return None;
            }
            let date = Date::new(year_of(y.as_str())?, m.as_str().parse().ok()?, d.as_str().parse().ok()?)?;
            Some(Found { date, start: d.start(), end: y.end() })
        }),
        (&ISO, |c| {
            let (d, m, y) = (c.name("d")?, c.name("m")?, c.name("y")?);
            let date = Date::new(y.as_str().parse().ok()?, m.as_str().parse().ok()?, d.as_str().parse().ok()?)?;
            Some(Found { date, start: y.start(), end: d.end() })
        }),
    ];
    for (re, read) in forms {
        for caps in re.captures_iter(text) {
            if let Some(f) = read(&caps) {
                found.push(f);
                if first_only {
                    break;
                }
            }
        }
    }
    found
}

/// A date with the month's name; it starts at the month when that comes first.
fn month_named(c: &regex::Captures<'_>, month_first: bool) -> Option<Found> {
    let (d, m, y) = (c.name("d")?, c.name("m")?, c.name("y")?);
    let date = Date::new(year_of(y.as_str())?, month_number(m.as_str())?, d.as_str().parse().ok()?)?;
    let start = if month_first { m.start() } else { d.start() };
    Some(Found { date, start, end: y.end() })
}

/// "Thursday, 3rd November": a weekday just before a date belongs to it.
fn with_weekday(text: &str, mut f: Found) -> Found {
    if let Some(m) = WEEKDAY_BEFORE.find(&text[..f.start]) {
        f.start = m.start();
    }
    f
}

/// Every date written in `text`, in order of appearance, without overlaps.
pub fn find_dates(text: &str) -> Vec<Found> {
    let mut found = candidates(text, false);
    found.sort_by_key(|f| (f.start, std::cmp::Reverse(f.end)));
    let mut out: Vec<Found> = Vec::with_capacity(found.len());
    for f in found {
        if out.last().is_some_and(|last| f.start < last.end) {
            continue;
        }
        out.push(f);
    }
    out.into_iter().map(|f| with_weekday(text, f)).collect()
}

/// The first date in `text` (the first of [`find_dates`]: the earliest, and of those
/// starting together the longest).
pub fn find_date(text: &str) -> Option<Found> {
    let first = candidates(text, true).into_iter().min_by_key(|f| (f.start, std::cmp::Reverse(f.end)))?;
    Some(with_weekday(text, first))
}

/// A string that is nothing but a date (manifest cells, sidecars, `--from`):
/// ISO `YYYY-MM-DD` or any written form above, with at most a time after it.
pub fn parse_date(text: &str) -> Option<Date> {
    let t = text.trim();
    let f = find_date(t)?;
    let before = t[..f.start].trim();
    (before.is_empty()).then_some(f.date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<String> {
        find_date(s).map(|f| f.date.to_string())
    }

    #[test]
    fn written_forms() {
        assert_eq!(d("Thursday, 3rd November, 2011 7.30 pm").as_deref(), Some("2011-11-03"));
        assert_eq!(d("Tuesday 3 November 2020 3.30 p.m.").as_deref(), Some("2020-11-03"));
        assert_eq!(d("Monday 25 September 2017 10.00 am").as_deref(), Some("2017-09-25"));
        assert_eq!(d("TUESDAY 9TH JUNE 2009").as_deref(), Some("2009-06-09"));
        assert_eq!(d("thDate: 25 July 2007").as_deref(), Some("2007-07-25"));
        assert_eq!(d("February 4, 2026 at 5:15 pm").as_deref(), Some("2026-02-04"));
        assert_eq!(d("Tuesday, November 13th, 2012").as_deref(), Some("2012-11-13"));
        assert_eq!(d("Panel – 21 March 2011").as_deref(), Some("2011-03-21"));
        assert_eq!(d("on 21 st April 2016").as_deref(), Some("2016-04-21"));
        assert_eq!(d("abcPublic reportCabinet Member Report16th October 2012").as_deref(), Some("2012-10-16"));
        assert_eq!(d("Decision due: 18 Jul 2016 by Executive").as_deref(), Some("2016-07-18"));
        assert_eq!(d("Monday 6th October, 2014 7.00 pm").as_deref(), Some("2014-10-06"));
    }

    #[test]
    fn numeric_forms() {
        assert_eq!(d("Meeting: 16/12/2014 - Cabinet (Item 127)").as_deref(), Some("2014-12-16"));
        assert_eq!(d("Date of meeting: 12.11.96").as_deref(), Some("1996-11-12"));
        assert_eq!(d("2.4.15").as_deref(), Some("2015-04-02"));
        assert_eq!(d("2012-04-19").as_deref(), Some("2012-04-19"));
        assert_eq!(d("section 1.2.3 of the plan"), None);
        assert_eq!(d("version 20.1.1"), None);
    }

    #[test]
    fn impossible_dates_are_not_dates() {
        assert_eq!(d("31/02/2012"), None);
        assert_eq!(d("29 February 2013"), None);
        assert_eq!(d("29 February 2012").as_deref(), Some("2012-02-29"));
        assert_eq!(d("12/13/2012"), None);
        assert_eq!(d("0 March 2012"), None);
        assert_eq!(d("32nd May 2012"), None);
        assert_eq!(d("1 May 1066"), None);
    }

    #[test]
    fn weekday_is_part_of_the_span() {
        let s = "Corporate Parenting Panel - Tuesday, 29th September, 2020 5.00 pm";
        let f = find_date(s).unwrap();
        assert_eq!(&s[..f.start], "Corporate Parenting Panel - ");
        assert_eq!(&s[f.start..f.end], "Tuesday, 29th September, 2020");
    }

    #[test]
    fn several_dates_in_order() {
        let all = find_dates("held on 8 November 2017 and 10/01/2018");
        let got: Vec<String> = all.iter().map(|f| f.date.to_string()).collect();
        assert_eq!(got, vec!["2017-11-08", "2018-01-10"]);
    }

    #[test]
    fn whole_string_dates() {
        assert_eq!(parse_date("2012-04-19").map(|d| d.to_string()).as_deref(), Some("2012-04-19"));
        assert_eq!(parse_date("19/04/2012").map(|d| d.to_string()).as_deref(), Some("2012-04-19"));
        assert_eq!(parse_date("the 19/04/2012"), None);
        assert_eq!(parse_date("2012-02-30"), None);
    }

    #[test]
    fn epoch_round_trip_and_weekday() {
        for days in [-1000i64, 0, 1, 59, 365, 10_957, 20_000, 47_482] {
            let date = Date::from_days_since_epoch(days).unwrap();
            assert_eq!(date.days_since_epoch(), days);
        }
        // 3 November 2011 was a Thursday (3).
        assert_eq!(Date::new(2011, 11, 3).unwrap().weekday(), 3);
        assert_eq!(Date::new(2000, 2, 29).unwrap().to_string(), "2000-02-29");
    }

    #[test]
    fn first_date_is_the_first_of_all_dates() {
        // Dates in every form, impossible ones, overlapping forms ("3 November 2011" inside
        // "Thursday 3 November 2011"), weekdays and noise, in random order.
        let pieces = [
            "Thursday, 3rd November, 2011 7.30 pm",
            "31 February 2012",
            "19/04/2012",
            "12.11.96",
            "2019-07-04",
            "2019-13-40",
            "November 3, 2011",
            "Report16th October 2012",
            "21 st April 2016",
            "TUESDAY 9TH JUNE 2009",
            "1.2/3",
            "item 35",
            "of the",
            " ",
            ", ",
            "\n",
            "Monday",
            "30/02/2020",
            "3 November 2011",
            "99/99/99",
        ];
        let mut rng = crate::gen::rng::Rng::new(5);
        for case in 0..4000 {
            let n = 1 + rng.below(8);
            let text: String = (0..n).map(|_| pieces[rng.below(pieces.len())]).collect::<Vec<_>>().join(" ");
            assert_eq!(find_date(&text), find_dates(&text).first().copied(), "case {case}: {text:?}");
        }
    }
}
