//! Real calendar dates and the ways council pages write them.
//!
//! Weekdays are computed from the proleptic Gregorian calendar (days since 1970-01-01), so
//! "Tuesday, 3rd November, 2011" is only ever written for a Tuesday.

use std::fmt::Write as _;

pub const WEEKDAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
pub const MONTHS: [&str; 12] = [
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

pub fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(year) => 29,
        _ => 28,
    }
}

/// Days since 1970-01-01 (H. Hinnant's `days_from_civil`).
pub fn days_from_civil(year: i32, month: u32, day: u32) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Inverse of [`days_from_civil`].
pub fn civil_from_days(z: i64) -> Date {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    Date { year, month, day }
}

impl Date {
    /// A checked date (`None` for 2023-02-29 and the like).
    #[allow(dead_code)] // used by tests here and by callers checking planted dates
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)).then_some(Date {
            year,
            month,
            day,
        })
    }

    /// 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday).
    pub fn weekday(self) -> usize {
        (days_from_civil(self.year, self.month, self.day) + 3).rem_euclid(7) as usize
    }

    pub fn weekday_name(self) -> &'static str {
        WEEKDAYS[self.weekday()]
    }

    pub fn month_name(self) -> &'static str {
        MONTHS[self.month as usize - 1]
    }

    pub fn add_days(self, n: i64) -> Date {
        civil_from_days(days_from_civil(self.year, self.month, self.day) + n)
    }

    /// `2011-11-03`
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// `03/11/2011` (ModernGov "Meeting:" and decision lines)
    pub fn slash(self) -> String {
        format!("{:02}/{:02}/{:04}", self.day, self.month, self.year)
    }

    /// `03.11.11` (legacy "Date of meeting:")
    pub fn dots2(self) -> String {
        format!("{:02}.{:02}.{:02}", self.day, self.month, self.year.rem_euclid(100))
    }

    /// `3 November 2011`
    pub fn plain(self) -> String {
        format!("{} {} {}", self.day, self.month_name(), self.year)
    }

    /// Long form in one of the styles seen on meeting pages.
    pub fn long(self, style: DateStyle) -> String {
        let mut s = String::with_capacity(40);
        let (wd, d, m, y) = (self.weekday_name(), self.day, self.month_name(), self.year);
        let _ = match style {
            DateStyle::CommaOrdinal => write!(s, "{wd}, {d}{} {m}, {y}", ordinal_suffix(d)),
            DateStyle::Plain => write!(s, "{wd} {d} {m} {y}"),
            DateStyle::Ordinal => write!(s, "{wd} {d}{} {m} {y}", ordinal_suffix(d)),
            DateStyle::Upper => {
                write!(s, "{} {d}{} {} {y}", wd.to_uppercase(), ordinal_suffix(d).to_uppercase(), m.to_uppercase())
            }
        };
        s
    }
}

/// How a council writes the long meeting date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateStyle {
    /// `Thursday, 3rd November, 2011`
    CommaOrdinal,
    /// `Tuesday 3 November 2020`
    Plain,
    /// `Thursday 16th February 2023`
    Ordinal,
    /// `TUESDAY 9TH JUNE 2009`
    Upper,
}

/// How a council writes the meeting time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeStyle {
    /// `7.30 pm`
    DotSpace,
    /// `3.30 p.m.`
    DotPeriods,
    /// `10:00am`
    ColonTight,
    /// `5.00pm`
    DotTight,
}

/// `hour` in 0..24, `minute` in 0..60.
pub fn format_time(hour: u32, minute: u32, style: TimeStyle) -> String {
    let pm = hour >= 12;
    let h12 = match hour % 12 {
        0 => 12,
        h => h,
    };
    match style {
        TimeStyle::DotSpace => format!("{h12}.{minute:02} {}", if pm { "pm" } else { "am" }),
        TimeStyle::DotPeriods => format!("{h12}.{minute:02} {}", if pm { "p.m." } else { "a.m." }),
        TimeStyle::ColonTight => format!("{h12}:{minute:02}{}", if pm { "pm" } else { "am" }),
        TimeStyle::DotTight => format!("{h12}.{minute:02}{}", if pm { "pm" } else { "am" }),
    }
}

pub fn ordinal_suffix(day: u32) -> &'static str {
    match (day % 10, day % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    }
}

/// The `n`-th (0-based) given weekday of a month, or the last one if the month has fewer.
pub fn nth_weekday(year: i32, month: u32, weekday: usize, n: u32) -> Date {
    let first = Date { year, month, day: 1 };
    let offset = (weekday + 7 - first.weekday()) % 7;
    let mut day = 1 + offset as u32 + 7 * n;
    while day > days_in_month(year, month) {
        day -= 7;
    }
    Date { year, month, day }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_weekdays() {
        // Fixed points checked against a printed calendar.
        assert_eq!(Date::new(2011, 11, 3).unwrap().weekday_name(), "Thursday");
        assert_eq!(Date::new(1970, 1, 1).unwrap().weekday_name(), "Thursday");
        assert_eq!(Date::new(2000, 2, 29).unwrap().weekday_name(), "Tuesday");
        assert_eq!(Date::new(2024, 12, 25).unwrap().weekday_name(), "Wednesday");
        assert_eq!(Date::new(1996, 11, 12).unwrap().weekday_name(), "Tuesday");
        assert!(Date::new(2023, 2, 29).is_none());
        assert!(Date::new(2024, 2, 29).is_some());
    }

    #[test]
    fn civil_round_trip_and_formats() {
        for z in -20_000..40_000 {
            let d = civil_from_days(z);
            assert_eq!(days_from_civil(d.year, d.month, d.day), z);
            assert!(Date::new(d.year, d.month, d.day).is_some());
        }
        let d = Date::new(2011, 11, 3).unwrap();
        assert_eq!(d.long(DateStyle::CommaOrdinal), "Thursday, 3rd November, 2011");
        assert_eq!(d.long(DateStyle::Upper), "THURSDAY 3RD NOVEMBER 2011");
        assert_eq!(d.slash(), "03/11/2011");
        assert_eq!(d.dots2(), "03.11.11");
        assert_eq!(format_time(19, 30, TimeStyle::DotSpace), "7.30 pm");
        assert_eq!(format_time(10, 0, TimeStyle::ColonTight), "10:00am");
        assert_eq!(format_time(12, 15, TimeStyle::DotPeriods), "12.15 p.m.");
        assert_eq!(ordinal_suffix(11), "th");
        assert_eq!(ordinal_suffix(22), "nd");
        let n = nth_weekday(2019, 1, 1, 3);
        assert_eq!((n.weekday(), n.month), (1, 1));
    }
}
