//! Single-item pages: "Agenda item" (mgAi.aspx) and "Issue - meetings"
//! (ieIssueDetails.aspx), plus the rules every single-item page uses to find its
//! own item number.

use super::committee::{clean_committee, committee_in_prose};
use super::dates::{self, Date};
use super::numbers;
use super::text::clean_title;
use super::{is_chrome, Page, ParsedItem, ParsedPage};
use regex::Regex;
use std::sync::LazyLock;

/// How many lines after the heading may name the committee in prose.
const PROSE_WINDOW: usize = 4;

pub(super) fn parse_agenda_item(page: &Page) -> ParsedPage {
    let (title, title_line) = first_title(page, page.body_start);
    let mut out = ParsedPage::default();
    // Tower Hamlets: "- Meeting of Overview & Scrutiny Committee, Thursday, 22nd March, 2018 6.30 p.m. (Item 7.3)"
    for i in page.next_lines(page.body_start, 6) {
        if let Some((name, date)) = meeting_of(page.lines.get(i)) {
            out.committee = name;
            out.meeting_date = Some(date);
            break;
        }
    }
    if out.committee.is_none() {
        out.committee = committee_in_prose(&prose_lines(page, page.body_start));
    }
    let number = own_item_number(page, page.body_start);
    let from = title_line.unwrap_or(page.body_start);
    out.items.push(page.item(from, page.lines.len(), number, title));
    out
}

static MEETING_OF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^-?\s*Meeting of (?P<rest>.+)$").expect("static regex"));

fn meeting_of(line: &str) -> Option<(Option<String>, Date)> {
    let rest = MEETING_OF.captures(line)?.name("rest")?.as_str();
    let f = dates::find_date(rest)?;
    Some((clean_committee(&rest[..f.start]), f.date))
}

/// "Meeting: 22/01/2019 - Children's Services Scrutiny Committee (Item 73)"
static MEETING_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^Meeting:\s*(?P<d>\d{1,2}/\d{1,2}/\d{2,4})\s*[-–]\s*(?P<n>.+?)\s*(?:\((?:Agenda\s+)?Item\s+(?P<i>[^)]+)\))?\s*$")
        .expect("static regex")
});

/// A "Meeting:" line: its index, committee, date and item number.
type MeetingLine = (usize, Option<String>, Option<Date>, Option<String>);

pub(super) fn parse_issue(page: &Page) -> ParsedPage {
    let lines = &page.lines;
    let (issue_title, title_line) = first_title(page, page.body_start);
    let meetings: Vec<MeetingLine> = lines
        .nonempty
        .iter()
        .copied()
        .filter(|&i| i >= page.body_start)
        .filter_map(|i| {
            let c = MEETING_LINE.captures(lines.get(i))?;
            let date = c.name("d").and_then(|d| dates::parse_date(d.as_str()));
            let name = c.name("n").and_then(|n| clean_committee(n.as_str()));
            let num = c.name("i").map(|n| n.as_str().trim().trim_end_matches('.').to_string());
            Some((i, name, date, num))
        })
        .collect();
    let mut out = ParsedPage::default();
    if meetings.is_empty() {
        out.committee = committee_in_prose(&prose_lines(page, page.body_start));
        let from = title_line.unwrap_or(page.body_start);
        let number = own_item_number(page, page.body_start);
        out.items.push(ParsedItem {
            number,
            title: issue_title,
            text: page.text(from, lines.len()),
            start_line: Some(from),
            ..ParsedItem::default()
        });
        return out;
    }
    out.committee = meetings[0].1.clone();
    out.meeting_date = meetings[0].2;
    for (k, (line, name, date, num)) in meetings.iter().enumerate() {
        // "127 Title pdf icon PDF 173 KB" under the meeting line.
        let item_line = lines.next_nonempty(*line).and_then(|n| numbers::leading_number_title(lines.get(n)));
        let number = num.clone().or_else(|| item_line.map(|(n, _)| n.to_string()));
        let title = issue_title.clone().or_else(|| item_line.and_then(|(_, t)| clean_title(t)));
        let from = if k == 0 { title_line.unwrap_or(*line) } else { *line };
        let to = meetings.get(k + 1).map(|m| m.0).unwrap_or(lines.len());
        let mut item = page.item(from, to, number, title);
        if k > 0 {
            item.committee = name.clone();
            item.meeting_date = *date;
        }
        out.items.push(item);
    }
    out
}

/// The page's title line: the first real line from `from`, unless it is a
/// key-value line, a "Meeting:" line, a section marker or running prose.
pub(super) fn first_title(page: &Page, from: usize) -> (Option<String>, Option<usize>) {
    for i in page.next_lines(from, 4) {
        let l = page.lines.get(i);
        if is_chrome(l) {
            continue;
        }
        let lower = l.to_lowercase();
        if lower.starts_with("meeting:") || lower.starts_with("minutes:") || is_key_value(l) || lower == "decision" {
            return (None, None);
        }
        let words = l.split_whitespace().count();
        if words > 30 || (words > 14 && l.ends_with('.')) {
            return (None, None);
        }
        return (clean_title(l), Some(i));
    }
    (None, None)
}

static KEY_VALUE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Z][A-Za-z ?'/()]{1,40}:(?:\s|$)").expect("static regex"));

/// "Decision Maker: Cabinet", "Publication date: 16/10/2018", "URL: …".
pub(super) fn is_key_value(line: &str) -> bool {
    KEY_VALUE.is_match(line)
}

/// The first lines after `from`, for prose committee names.
pub(super) fn prose_lines<'a>(page: &Page<'a>, from: usize) -> Vec<&'a str> {
    page.next_lines(from, PROSE_WINDOW).into_iter().map(|i| page.lines.get(i)).collect()
}

/// The number a single-item page gives itself: "(Item 80)", "‘Agenda Item 9’ is
/// filed with these minutes", or minute paragraphs "44.1 …" (→ 44). References to
/// other items ("Minute No. 57", "item 28", report codes) are not numbers.
pub(super) fn own_item_number(page: &Page, from: usize) -> Option<String> {
    let lines = &page.lines;
    for i in page.next_lines(from, 8) {
        let l = lines.get(i);
        if l.starts_with("Meeting:") || l.starts_with("- Meeting of") || l.starts_with("Meeting of") {
            if let Some(n) = numbers::item_reference(l) {
                return Some(n.to_string());
            }
        }
    }
    let body: Vec<usize> = lines.nonempty.iter().copied().filter(|&i| i >= from).collect();
    for &i in &body {
        if let Some(n) = numbers::quoted_agenda_item(lines.get(i)) {
            return Some(n.to_string());
        }
    }
    for (k, &i) in body.iter().enumerate() {
        let Some(n) = numbers::paragraph_number(lines.get(i)) else { continue };
        // "RESOLVED that the Cabinet:\n2.1 Agreed…" numbers a resolution, not minutes.
        let prev = k.checked_sub(1).map(|p| lines.get(body[p])).unwrap_or("");
        let intro = prev.ends_with(':') && !matches!(prev, "Minutes:" | "Decision:" | "Decisions:");
        if intro || prev.contains("RESOLVED") {
            return None;
        }
        return Some(n.to_string());
    }
    None
}
