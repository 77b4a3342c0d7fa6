//! The tree a query parses to. Every node keeps the byte span it came from, so later stages
//! (topic validation, highlighting, error messages) can point back into the query text.

use serde::Serialize;
use std::fmt;

/// Byte offsets into the query string, `start..end`; always on char boundaries, `end <= query.len()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The text under the span; empty rather than a panic if the span does not fit `s`.
    pub fn slice<'a>(&self, s: &'a str) -> &'a str {
        s.get(self.start..self.end).unwrap_or("")
    }
}

/// A parsed query. `And`/`Or` are flattened (no `And` directly inside an `And`) and always have
/// at least two children.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Node {
    /// A bare word, as typed (case kept; the analyzer normalises it later).
    Term {
        text: String,
        span: Span,
    },
    /// `exploit*`: `text` is without the `*`.
    Prefix {
        text: String,
        span: Span,
    },
    /// `"text"` or `"text"~slop`: text between the quotes, as typed; slop 0 when there is no `~N`.
    Phrase {
        text: String,
        slop: u32,
        span: Span,
    },
    /// `name:value`; the span covers both.
    Field {
        field: FieldName,
        value: FieldValue,
        span: Span,
    },
    And {
        children: Vec<Node>,
        span: Span,
    },
    Or {
        children: Vec<Node>,
        span: Span,
    },
    /// `NOT x` or `-x`.
    Not {
        child: Box<Node>,
        span: Span,
    },
}

impl Node {
    pub fn span(&self) -> Span {
        match self {
            Node::Term { span, .. }
            | Node::Prefix { span, .. }
            | Node::Phrase { span, .. }
            | Node::Field { span, .. }
            | Node::And { span, .. }
            | Node::Or { span, .. }
            | Node::Not { span, .. } => *span,
        }
    }

    /// The query syntax for this tree; parsing it again gives the same tree (spans aside).
    pub fn to_query(&self) -> String {
        self.to_string()
    }

    /// Whether the node can match documents on its own (it is not purely an exclusion).
    pub fn is_positive(&self) -> bool {
        match self {
            Node::Not { .. } => false,
            Node::And { children, .. } => children.iter().any(Node::is_positive),
            Node::Or { children, .. } => children.iter().all(Node::is_positive),
            _ => true,
        }
    }
}

/// Printed with the least parentheses that keep the precedence NOT > AND > OR.
impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Node::Term { text, .. } => f.write_str(text),
            Node::Prefix { text, .. } => write!(f, "{text}*"),
            Node::Phrase { text, slop, .. } => write_phrase(f, text, *slop),
            Node::Field { field, value, .. } => write!(f, "{field}:{value}"),
            Node::And { children, .. } => {
                for (i, c) in children.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" ")?;
                    }
                    match c {
                        Node::And { .. } | Node::Or { .. } => write!(f, "({c})")?,
                        _ => write!(f, "{c}")?,
                    }
                }
                Ok(())
            }
            Node::Or { children, .. } => {
                for (i, c) in children.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" OR ")?;
                    }
                    match c {
                        Node::Or { .. } => write!(f, "({c})")?,
                        _ => write!(f, "{c}")?,
                    }
                }
                Ok(())
            }
            Node::Not { child, .. } => match **child {
                Node::And { .. } | Node::Or { .. } | Node::Not { .. } => write!(f, "-({child})"),
                _ => write!(f, "-{child}"),
            },
        }
    }
}

fn write_phrase(f: &mut fmt::Formatter<'_>, text: &str, slop: u32) -> fmt::Result {
    write!(f, "\"{text}\"")?;
    if slop > 0 {
        write!(f, "~{slop}")?;
    }
    Ok(())
}

/// The fields a query may name (case-insensitively) before a `:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldName {
    Committee,
    Council,
    Topic,
    Title,
    Date,
    Year,
}

impl FieldName {
    /// In the order error messages list them.
    pub const ALL: [FieldName; 6] = [
        FieldName::Committee,
        FieldName::Council,
        FieldName::Topic,
        FieldName::Title,
        FieldName::Date,
        FieldName::Year,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FieldName::Committee => "committee",
            FieldName::Council => "council",
            FieldName::Topic => "topic",
            FieldName::Title => "title",
            FieldName::Date => "date",
            FieldName::Year => "year",
        }
    }

    /// Case-insensitive: users type `Committee:` as often as `committee:`.
    pub fn from_name(name: &str) -> Option<FieldName> {
        FieldName::ALL.into_iter().find(|f| f.as_str().eq_ignore_ascii_case(name))
    }

    /// "committee, council, topic, title, date, year" for error messages.
    pub fn known_list() -> String {
        FieldName::ALL.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(", ")
    }
}

impl fmt::Display for FieldName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What follows `name:`. Which variants a field accepts: committee/council: Word, Phrase (slop 0);
/// topic: Word; title: Word, Phrase, Prefix; date: DateRange; year: YearRange.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FieldValue {
    Word {
        text: String,
        span: Span,
    },
    Phrase {
        text: String,
        slop: u32,
        span: Span,
    },
    Prefix {
        text: String,
        span: Span,
    },
    /// Inclusive; `None` is an open end (`*`). A single `date:2013-05` is `from == to`.
    DateRange {
        from: Option<PartialDate>,
        to: Option<PartialDate>,
        span: Span,
    },
    /// Inclusive; `None` is an open end (`*`). `year:2013` is `from == to == 2013`.
    YearRange {
        from: Option<i32>,
        to: Option<i32>,
        span: Span,
    },
}

impl FieldValue {
    pub fn span(&self) -> Span {
        match self {
            FieldValue::Word { span, .. }
            | FieldValue::Phrase { span, .. }
            | FieldValue::Prefix { span, .. }
            | FieldValue::DateRange { span, .. }
            | FieldValue::YearRange { span, .. } => *span,
        }
    }
}

impl fmt::Display for FieldValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn end<T: fmt::Display>(v: &Option<T>) -> String {
            v.as_ref().map_or_else(|| "*".to_string(), T::to_string)
        }
        match self {
            FieldValue::Word { text, .. } => f.write_str(text),
            FieldValue::Phrase { text, slop, .. } => write_phrase(f, text, *slop),
            FieldValue::Prefix { text, .. } => write!(f, "{text}*"),
            FieldValue::DateRange { from: Some(a), to: Some(b), .. } if a == b => write!(f, "{a}"),
            FieldValue::YearRange { from: Some(a), to: Some(b), .. } if a == b => write!(f, "{a}"),
            FieldValue::DateRange { from, to, .. } => write!(f, "[{} TO {}]", end(from), end(to)),
            FieldValue::YearRange { from, to, .. } => write!(f, "[{} TO {}]", end(from), end(to)),
        }
    }
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`: a whole year, month or day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
}

impl PartialDate {
    /// First day covered, as (year, month, day).
    pub fn first_day(&self) -> (i32, u32, u32) {
        (self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// Last day covered (inclusive), as (year, month, day).
    pub fn last_day(&self) -> (i32, u32, u32) {
        let month = self.month.unwrap_or(12);
        (self.year, month, self.day.unwrap_or_else(|| days_in_month(self.year, month)))
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
            if let Some(d) = self.day {
                write!(f, "-{d:02}")?;
            }
        }
        Ok(())
    }
}

pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Days in `month` (1–12) of `year`; 0 for a month that does not exist.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

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

/// A date that does not parse, with the byte range (relative to the date text) of the bad part,
/// so the query parser can underline just that part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DateError {
    pub message: String,
    pub start: usize,
    pub end: usize,
}

/// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (month and day may have one digit). Used by the
/// `--from`/`--to` flags; the message names the bad part.
pub fn parse_partial_date(text: &str) -> Result<PartialDate, String> {
    parse_date(text.trim()).map_err(|e| e.message)
}

pub(crate) fn parse_date(text: &str) -> Result<PartialDate, DateError> {
    let whole = |message: String| DateError { message, start: 0, end: text.len() };
    let format = || whole(format!("`{text}` is not a date: use YYYY, YYYY-MM or YYYY-MM-DD"));
    if text.is_empty() {
        return Err(whole("empty date: use YYYY, YYYY-MM or YYYY-MM-DD".to_string()));
    }
    // Parts with their byte offsets; `split` keeps empty parts, which are format errors.
    let mut parts = Vec::new();
    let mut at = 0;
    for p in text.split('-') {
        parts.push((p, at));
        at += p.len() + 1;
    }
    if parts.len() > 3 || parts.iter().any(|(p, _)| p.is_empty()) {
        return Err(format());
    }
    let part_err = |i: usize, message: String| {
        let (p, s) = parts.get(i).copied().unwrap_or((text, 0));
        DateError { message, start: s, end: s + p.len() }
    };
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());

    let Some(&(y, _)) = parts.first() else {
        return Err(format());
    };
    if !digits(y) {
        return Err(format());
    }
    if y.len() != 4 {
        return Err(part_err(0, format!("`{text}`: the year must have four digits")));
    }
    let year: i32 = y.parse().map_err(|_| format())?;
    if year == 0 {
        return Err(part_err(0, format!("`{text}`: there is no year 0000")));
    }
    let mut date = PartialDate { year, month: None, day: None };
    if let Some(&(m, _)) = parts.get(1) {
        if !digits(m) || m.len() > 2 {
            return Err(if digits(m) {
                part_err(1, format!("`{text}`: the month must have one or two digits"))
            } else {
                format()
            });
        }
        let month: u32 = m.parse().map_err(|_| format())?;
        if !(1..=12).contains(&month) {
            return Err(part_err(1, format!("`{text}`: there is no month {month} (months are 01 to 12)")));
        }
        date.month = Some(month);
        if let Some(&(d, _)) = parts.get(2) {
            if !digits(d) || d.len() > 2 {
                return Err(if digits(d) {
                    part_err(2, format!("`{text}`: the day must have one or two digits"))
                } else {
                    format()
                });
            }
            let day: u32 = d.parse().map_err(|_| format())?;
            let last = days_in_month(year, month);
            if day == 0 || day > last {
                let name = MONTHS.get(month as usize - 1).copied().unwrap_or("that month");
                return Err(part_err(2, format!("`{text}`: {name} {year} has no day {day} (it has {last} days)")));
            }
            date.day = Some(day);
        }
    }
    Ok(date)
}
