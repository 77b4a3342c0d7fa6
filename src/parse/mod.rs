//! Parse: one page of text -> the meeting it records and its agenda items.
//!
//! A page is first normalised ([`text::normalize`]), then its layout is recognised
//! from the ModernGov page-type heading near the top ("Agenda and minutes",
//! "Agenda item", "Issue - meetings", "Decision details", "Meeting documents"…)
//! or, failing that, from the shape of its first lines. Each layout has its own
//! module; all of them return a [`ParsedPage`]. Metadata that the page does not
//! state stays `None`: nothing is invented.

pub mod committee;
pub mod dates;
mod decision;
mod item;
mod legacy;
mod meeting;
pub mod numbers;
mod other;
pub mod text;

use dates::Date;
use text::Lines;

/// What one page says.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParsedPage {
    /// The ModernGov page-type heading as printed ("Agenda and minutes"), or "other".
    pub page_type: String,
    /// The body that held the meeting, as printed.
    pub committee: Option<String>,
    pub meeting_date: Option<Date>,
    pub items: Vec<ParsedItem>,
}

/// One agenda item (or headed section) of a page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParsedItem {
    pub number: Option<String>,
    pub title: Option<String>,
    /// The item's text with spaces collapsed; what is indexed and shown.
    pub text: String,
    /// Set when this item was taken at a different meeting from the page's
    /// (issue pages list every meeting that considered the issue).
    pub committee: Option<String>,
    pub meeting_date: Option<Date>,
    /// First line of the page the item's text starts at (when the layout knows).
    pub start_line: Option<usize>,
}

/// The page-type headings ModernGov prints at the top of a page.
const HEADINGS: &[&str] = &[
    "Agenda and minutes",
    "Agenda and draft minutes",
    "Agenda, decisions and minutes",
    "Agenda and decisions",
    "Agenda and draft decisions",
    "Agenda item",
    "Issue - meetings",
    "Issue - decisions",
    "Issue details",
    "Decision details",
    "Committee details",
    "Meeting documents",
];

/// How far down a page its heading may sit (breadcrumbs, skip links and
/// screen-reader notices come first on some skins).
const HEADING_WINDOW: usize = 12;

/// A page split into lines, with its heading (if any) located.
pub(crate) struct Page<'a> {
    pub lines: Lines<'a>,
    /// Canonical heading and the line index it was found on.
    pub heading: Option<(&'static str, usize)>,
    /// First line after the heading (after a repeated heading too), or 0.
    pub body_start: usize,
}

impl<'a> Page<'a> {
    fn new(text: &'a str) -> Page<'a> {
        let lines = Lines::new(text);
        let mut heading = None;
        for &i in lines.nonempty.iter().take(HEADING_WINDOW) {
            if let Some(h) = heading_of(lines.get(i)) {
                heading = Some((h, i));
                break;
            }
        }
        let mut body_start = 0;
        if let Some((h, i)) = heading {
            body_start = i + 1;
            // "Agenda and minutes\n\nAgenda and minutes": skip the repeat.
            while let Some(n) = lines.next_nonempty(body_start.saturating_sub(1)) {
                if heading_of(lines.get(n)) == Some(h) {
                    body_start = n + 1;
                } else {
                    break;
                }
            }
        }
        Page { lines, heading, body_start }
    }

    /// Non-empty line indexes from `from`, at most `n` of them.
    pub fn next_lines(&self, from: usize, n: usize) -> Vec<usize> {
        let pos = self.lines.nonempty.partition_point(|&j| j < from);
        self.lines.nonempty[pos..].iter().take(n).copied().collect()
    }

    /// An item whose text is the lines `from..to`.
    pub fn item(&self, from: usize, to: usize, number: Option<String>, title: Option<String>) -> ParsedItem {
        ParsedItem { number, title, text: self.text(from, to), start_line: Some(from), ..ParsedItem::default() }
    }

    /// The text of the lines `from..to`, collapsed for indexing.
    pub fn text(&self, from: usize, to: usize) -> String {
        let to = to.min(self.lines.all.len());
        if from >= to {
            return String::new();
        }
        text::collapse_lines(self.lines.all[from..to].iter().copied())
    }
}

fn heading_of(line: &str) -> Option<&'static str> {
    let l = line.trim();
    HEADINGS.iter().copied().find(|h| h.eq_ignore_ascii_case(l))
}

/// Parses one page of decoded text.
pub fn parse_page(raw: &str) -> ParsedPage {
    let norm = text::normalize(raw);
    let page = Page::new(&norm);
    let mut parsed = match page.heading.map(|(h, _)| h) {
        Some("Agenda item") => item::parse_agenda_item(&page),
        Some("Issue - meetings") => item::parse_issue(&page),
        Some("Issue - decisions") | Some("Issue details") | Some("Decision details") => decision::parse(&page),
        Some("Meeting documents") => legacy::parse(&page),
        Some("Committee details") => other::parse(&page),
        Some(_) => meeting::parse(&page),
        None => other::parse(&page),
    };
    parsed.page_type = page.heading.map(|(h, _)| h.to_string()).unwrap_or_else(|| "other".to_string());
    parsed.items.retain(|it| !it.text.trim().is_empty() || it.title.is_some());
    if parsed.items.is_empty() {
        let text = page.text(0, page.lines.len());
        if !text.trim().is_empty() {
            parsed.items.push(ParsedItem { text, start_line: Some(0), ..ParsedItem::default() });
        }
    }
    // Nothing is lost: the lines above the first item (page heading, meeting
    // header, venue, breadcrumbs in a text file) open the first item's text, so
    // every word of the page can be searched and counted.
    if let Some(first) = parsed.items.first_mut() {
        if let Some(start) = first.start_line.filter(|&s| s > 0) {
            let head = page.text(0, start);
            if !head.is_empty() {
                first.text = if first.text.is_empty() { head } else { format!("{head}\n\n{}", first.text) };
            }
        }
    }
    parsed
}

/// Lines that are site furniture rather than content: skip links, logos,
/// accessibility toolbars, breadcrumbs.
pub(crate) fn is_chrome(line: &str) -> bool {
    let l = line.trim();
    let lower = l.to_lowercase();
    const EXACT: &[&str] = &[
        "skip to content",
        "skip to main content",
        "toggle sidebar",
        "company logo",
        "client logo",
        "top of page",
        "search",
        "×",
        "table of contents",
        "contents",
        "subscribe to updates",
        "document sample",
        "search this blog",
        "modern.gov breadcrumb",
        "modern.gov content",
        "navigation and tools",
        "find it",
        "more info",
        "print",
        "share",
        "menu",
    ];
    EXACT.contains(&lower.as_str())
        || lower.starts_with("skip navigation")
        || lower.starts_with("if you are reading this page using a screenreader")
        || lower.starts_with("you are here")
        || lower.starts_with("size: view this website")
        || lower.starts_with("home >")
        || lower.starts_with("home :")
        || lower.ends_with(" logo")
        || lower.starts_with("issue - items at meetings")
}

#[cfg(test)]
mod tests;
