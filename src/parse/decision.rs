//! Decision pages ("Decision details", "Issue - decisions", "Issue details", and
//! pages that start at "Decision Maker:"): key-value lines name the decision maker
//! and, when the decision was taken at a meeting, that meeting's date.

use super::committee::{clean_committee, committee_in_prose};
use super::dates::{self, Date};
use super::item::{first_title, own_item_number, prose_lines};
use super::{Page, ParsedPage};
use regex::Regex;
use std::sync::LazyLock;

static DECIDED_AT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^Decided at meeting:\s*(?P<d>\d{1,2}/\d{1,2}/\d{2,4})\s*[-–]\s*(?P<n>.+?)\s*$").expect("static regex")
});
static DECISION_MAKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^Decision Maker:\s*(?P<n>.+?)\s*$").expect("static regex"));
static DECISION_DUE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^Decision due:.*?(?-u:\b)by\s+(?P<n>.+?)\s*$").expect("static regex"));

pub(super) fn parse(page: &Page) -> ParsedPage {
    parse_from(page, page.body_start)
}

/// Parses a decision record whose content starts at line `from`.
pub(super) fn parse_from(page: &Page, from: usize) -> ParsedPage {
    let lines = &page.lines;
    let (title, title_line) = first_title(page, from);
    let mut decided: Option<(Option<String>, Option<Date>)> = None;
    let mut maker = None;
    let mut due_by = None;
    let mut related: Option<Date> = None;
    let body: Vec<usize> = lines.nonempty.iter().copied().filter(|&i| i >= from).collect();
    for (k, &i) in body.iter().enumerate() {
        let l = lines.get(i);
        if let Some(c) = DECIDED_AT.captures(l) {
            let date = c.name("d").and_then(|d| dates::parse_date(d.as_str()));
            decided.get_or_insert((c.name("n").and_then(|n| clean_committee(n.as_str())), date));
        } else if let Some(c) = DECISION_MAKER.captures(l) {
            maker = maker.or_else(|| c.name("n").and_then(|n| clean_committee(n.as_str())));
        } else if let Some(c) = DECISION_DUE.captures(l) {
            due_by = due_by.or_else(|| c.name("n").and_then(|n| clean_committee(n.as_str())));
        } else if l.eq_ignore_ascii_case("Related Meeting") || l.eq_ignore_ascii_case("Related Meetings") {
            // "Business, Cabinet - Monday 15th September, 2025 6.00 pm on September 15, 2025"
            related = body.get(k + 1).and_then(|&n| dates::find_date(lines.get(n))).map(|f| f.date);
        }
    }
    let mut out = ParsedPage::default();
    match decided {
        Some((name, date)) => {
            out.committee = name.or(maker);
            out.meeting_date = date;
        }
        None => {
            out.committee = maker.or(due_by);
            out.meeting_date = related;
        }
    }
    if out.committee.is_none() {
        out.committee = committee_in_prose(&prose_lines(page, from));
    }
    let number = own_item_number(page, from);
    let text_from = title_line.unwrap_or(from);
    out.items.push(page.item(text_from, lines.len(), number, title));
    out
}
