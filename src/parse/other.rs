//! Pages without a ModernGov heading: meeting fragments that start below the
//! heading, decision records, flattened tables, minutes and notes from other
//! committee systems, board reports, procedure manuals, news, FOI replies. Each
//! recogniser below reads only a page's first lines, where a page states its own
//! meeting; anything else on the page is prose about other meetings.

use super::committee::{clean_committee, committee_in_prose, ends_with_body_noun};
use super::dates::{self, Date};
use super::item::{first_title, own_item_number, prose_lines};
use super::meeting::{split_items, Numbering};
use super::numbers;
use super::text::clean_title;
use super::{decision, is_chrome, Page, ParsedItem, ParsedPage};
use regex::Regex;
use std::sync::LazyLock;

/// How many of a page's first lines may state its meeting.
const HEAD: usize = 6;

static MINUTES_OF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^minutes of (?:the )?(?P<n>.+?) meeting(?-u:\b)(?P<rest>.*)$").expect("static regex")
});
static MEETING_TITLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^Meeting Title:\s*(?P<n>.+?)\s*$").expect("static regex"));
static DATE_FIELD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:th|st|nd|rd)?Date(?: of meeting)?:\s*(?P<d>.+)$").expect("static regex"));
static COLUMN_MEETING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^Meeting\s{2,}(?P<n>.+?)\s{2,}Venue(?-u:\b)").expect("static regex"));
static COLUMN_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^Date\s{2,}(?P<d>.+?)(?:\s{2,}|$)").expect("static regex"));
static NOTES_OF_MEETING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:notes|minutes) of (?:the )?meeting (?:held )?on (?P<d>.+)$").expect("static regex")
});
static REPORT_FROM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^Report from (?P<d>.+?) meeting(?-u:\b)").expect("static regex"));

/// What the first lines say about the page's own meeting.
#[derive(Default)]
struct Head {
    committee: Option<String>,
    date: Option<Date>,
    /// The page records a meeting (minutes or notes), so numbered headings are items.
    is_record: bool,
}

/// Reports longer than this many words are split into their headed sections.
const SECTION_WORDS: usize = 400;

/// "1. Introduction", "2.3 Missing children", "CHILD SEXUAL EXPLOITATION",
/// "Learning and Improvement": a section heading of a report.
fn is_heading(line: &str) -> bool {
    if !super::meeting::is_title_line(line) || line.split_whitespace().count() > 12 {
        return false;
    }
    let rest = line.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.').trim_start();
    let numbered = rest.len() < line.len() && rest.chars().next().is_some_and(char::is_uppercase);
    let words: Vec<&str> = rest.split_whitespace().collect();
    let caps = words.iter().filter(|w| w.chars().next().is_some_and(|c| c.is_uppercase())).count();
    let small = words
        .iter()
        .filter(|w| matches!(**w, "and" | "of" | "for" | "the" | "in" | "on" | "to" | "with" | "a"))
        .count();
    numbered || (!words.is_empty() && caps + small == words.len())
}

/// A long report split at its headings; the lines before the first heading
/// (title, contents) join the first section. Empty when the page has no
/// headings followed by prose.
fn split_sections(page: &Page, from: usize) -> Vec<ParsedItem> {
    let lines = &page.lines;
    let body: Vec<usize> = lines.nonempty.iter().copied().filter(|&i| i >= from).collect();
    let words: usize = body.iter().map(|&i| crate::chunk::count_words(lines.get(i))).sum();
    if words < SECTION_WORDS {
        return Vec::new();
    }
    let mut starts: Vec<usize> = Vec::new();
    for (k, &i) in body.iter().enumerate() {
        // A heading is followed by prose, not by another heading (a contents list).
        let prose_next = body.get(k + 1).is_some_and(|&n| {
            let l = lines.get(n);
            !is_heading(l) && (l.split_whitespace().count() >= 12 || l.ends_with('.'))
        });
        if prose_next && is_heading(lines.get(i)) {
            starts.push(i);
        }
    }
    if starts.len() < 2 {
        return Vec::new();
    }
    let mut items = Vec::with_capacity(starts.len());
    for (k, &s) in starts.iter().enumerate() {
        let begin = if k == 0 { from } else { s };
        let to = starts.get(k + 1).copied().unwrap_or(lines.len());
        items.push(ParsedItem {
            title: clean_title(lines.get(s)),
            text: page.text(begin, to),
            start_line: Some(begin),
            ..ParsedItem::default()
        });
    }
    items
}

fn read_head(page: &Page, head: &[usize]) -> Head {
    let lines = &page.lines;
    let mut h = Head::default();
    for (k, &i) in head.iter().enumerate() {
        let raw = lines.all[i];
        let l = lines.get(i);
        let next = head.get(k + 1).map(|&n| lines.get(n)).unwrap_or("");
        if let Some(c) = MINUTES_OF.captures(l) {
            // "MINUTES OF THE READING LOCAL SAFEGUARDING BOARD MEETING 26th January 2017 …"
            let name = c.name("n").and_then(|n| clean_committee(n.as_str()));
            if name.as_deref().is_some_and(ends_with_body_noun) {
                h.committee = name;
                h.date = c.name("rest").and_then(|r| dates::find_date(r.as_str())).map(|f| f.date);
                h.is_record = true;
                break;
            }
        }
        if let Some(c) = MEETING_TITLE.captures(l) {
            // "Meeting Title: London Board Meeting" then "Date: 25 July 2007".
            h.committee = c.name("n").and_then(|n| clean_committee(n.as_str()));
            h.is_record = true;
            for n in page.next_lines(i + 1, 3) {
                if let Some(d) = DATE_FIELD.captures(lines.get(n)).and_then(|c| c.name("d")) {
                    h.date = dates::find_date(d.as_str()).map(|f| f.date);
                    break;
                }
            }
            break;
        }
        if let Some(c) = COLUMN_MEETING.captures(raw.trim()) {
            // Flattened form grid: "Meeting    BOARD NAME    Venue    ROOM 2".
            h.committee = c.name("n").and_then(|n| clean_committee(n.as_str()));
            h.is_record = true;
            if let Some(d) = COLUMN_DATE.captures(next).and_then(|c| c.name("d")) {
                h.date = dates::find_date(d.as_str()).map(|f| f.date);
            }
            break;
        }
        if let Some(c) = NOTES_OF_MEETING.captures(next) {
            // "Children's Trust Board" then "Notes of meeting on 22nd June 2007".
            if ends_with_body_noun(l) {
                h.committee = clean_committee(l);
                h.date = c.name("d").and_then(|d| dates::find_date(d.as_str())).map(|f| f.date);
                h.is_record = true;
                break;
            }
        }
        if let Some(f) = dates::find_date(next) {
            // A committee on one line and "Wednesday 5 June 2013 5.00pm" alone on the next.
            if next[..f.start].trim().is_empty() && ends_with_body_noun(l) && !super::committee::is_authority_name(l) {
                h.committee = clean_committee(l);
                h.date = Some(f.date);
                h.is_record = true;
                break;
            }
        }
        if let Some(f) = dates::find_date(l) {
            // "Scrutiny Co-ordination Committee - Wednesday, 10th December, 2014 10.00 am"
            let prefix = &l[..f.start];
            let name = prefix.trim_end().trim_end_matches(['-', '–', '—', ',']).trim_end();
            if prefix.trim_end() != name && ends_with_body_noun(name) {
                h.committee = clean_committee(name);
                h.date = Some(f.date);
                h.is_record = true;
                break;
            }
        }
        if k < 3 && is_body_name_line(l) && !super::committee::is_authority_name(l) {
            // "WESTMINSTER ACPC" alone on a line above its report.
            h.committee = h.committee.take().or_else(|| clean_committee(l));
        }
        if let Some(c) = REPORT_FROM.captures(l) {
            h.date = c.name("d").and_then(|d| dates::find_date(d.as_str())).map(|f| f.date);
        }
        if let Some(d) = l.strip_prefix("Date of meeting:") {
            h.date = h.date.or_else(|| dates::find_date(d).map(|f| f.date));
        }
    }
    h
}

/// A short line that is nothing but a body's name, in capitals or title case.
fn is_body_name_line(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    (2..=6).contains(&words.len())
        && ends_with_body_noun(line)
        && words.iter().all(|w| {
            w.chars().next().is_some_and(|c| c.is_uppercase() || !c.is_alphabetic())
                || matches!(*w, "and" | "of" | "for")
        })
}

pub(super) fn parse(page: &Page) -> ParsedPage {
    let lines = &page.lines;
    let head: Vec<usize> = lines.nonempty.iter().copied().filter(|&i| !is_chrome(lines.get(i))).take(HEAD).collect();
    let from = page.body_start;

    // A decision record that starts below its heading.
    if head.iter().any(|&i| lines.get(i).starts_with("Decision Maker:")) {
        return decision::parse_from(page, from);
    }

    let h = read_head(page, &head);
    let mut out = ParsedPage { committee: h.committee, meeting_date: h.date, ..ParsedPage::default() };
    if out.committee.is_none() {
        out.committee = committee_in_prose(&prose_lines(page, from));
    }

    // A meeting page that starts below its header, or flattened into a table.
    let first = head.first().map(|&i| lines.get(i)).unwrap_or("");
    let table = lines.nonempty.iter().take(16).any(|&i| {
        let l = lines.get(i);
        l.starts_with("No. | Item") || l.ends_with(" |")
    });
    if h.is_record || table {
        let items = split_items(page, from, if table { Numbering::Meeting } else { Numbering::Notes });
        if !items.is_empty() {
            out.items = items;
            return out;
        }
    }

    // A long report: each headed section is an item.
    let sections = split_sections(page, from);
    if !sections.is_empty() {
        out.items = sections;
        return out;
    }

    // An item fragment: "204 Missing Children PDF 103 KB" or a page starting at "Minutes:".
    let (mut title, title_line) = first_title(page, from);
    let mut number = None;
    if let Some((n, t)) = numbers::leading_number_title(first) {
        if super::text::has_pdf_artefact(first) {
            number = Some(n.to_string());
            title = clean_title(t);
        }
    }
    let fragment = first.starts_with("Minutes:") || first.starts_with("Minutes :");
    if number.is_none() && fragment {
        number = own_item_number(page, from);
    }
    if number.is_none() {
        number = head.iter().find_map(|&i| numbers::item_reference(lines.get(i)).map(str::to_string));
    }
    let text_from = title_line.unwrap_or(from);
    out.items.push(page.item(text_from, lines.len(), number, title));
    out
}
