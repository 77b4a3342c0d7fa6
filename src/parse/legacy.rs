//! Legacy "Meeting documents" pages (CeListDocuments.aspx): a committee and date
//! header, then an embedded report with "Date of meeting:", "PAPER NUMBER", "ITEM
//! CA13" and "TITLE:" lines.

use super::committee::clean_committee;
use super::dates;
use super::text::clean_title;
use super::{Page, ParsedPage};
use regex::Regex;
use std::sync::LazyLock;

static ITEM_CODE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^ITEM\s+(?P<n>[A-Z]{0,3}\d{1,4}[a-z]?)$").expect("static regex"));

pub(super) fn parse(page: &Page) -> ParsedPage {
    let lines = &page.lines;
    let mut out = ParsedPage::default();
    let head = page.next_lines(page.body_start, 2);
    if let [name_line, date_line] = head[..] {
        let d = lines.get(date_line);
        if let Some(f) = dates::find_date(d) {
            if d[..f.start].trim().is_empty() {
                out.committee = clean_committee(lines.get(name_line));
                out.meeting_date = Some(f.date);
            }
        }
    }
    let body: Vec<usize> = lines.nonempty.iter().copied().filter(|&i| i >= page.body_start).collect();
    let next = |k: usize| body.get(k + 1).map(|&n| lines.get(n)).unwrap_or("");
    let mut number = None;
    let mut title = None;
    for (k, &i) in body.iter().enumerate() {
        let l = lines.get(i);
        if let Some(rest) = l.strip_prefix("Committee:") {
            out.committee = out.committee.take().or_else(|| clean_committee(rest));
        } else if let Some(rest) = l.strip_prefix("Date of meeting:") {
            out.meeting_date = out.meeting_date.or_else(|| dates::find_date(rest).map(|f| f.date));
        } else if l == "DATE:" {
            out.meeting_date = out.meeting_date.or_else(|| dates::find_date(next(k)).map(|f| f.date));
        } else if l == "PAPER NUMBER" && number.is_none() {
            let n = next(k);
            if n.len() <= 6 && n.chars().all(|c| c.is_ascii_alphanumeric()) {
                number = Some(n.to_string());
            }
        } else if let Some(c) = ITEM_CODE.captures(l) {
            number = number.or_else(|| c.name("n").map(|n| n.as_str().to_string()));
        } else if let Some(rest) = l.strip_prefix("Title:") {
            title = title.or_else(|| clean_title(rest));
        } else if l == "TITLE:" {
            title = title.or_else(|| clean_title(next(k)));
        }
    }
    let from = head.last().map(|&l| l + 1).unwrap_or(page.body_start);
    out.items.push(page.item(from, lines.len(), number, title));
    out
}
