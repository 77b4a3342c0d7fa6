//! Meeting pages ("Agenda and minutes" and its variants): a header naming the
//! committee and date, then numbered agenda items — as number lines, as numbers
//! beside titles, as times (Wirral), or as a flattened `No. | Item |` table.

use super::committee::{clean_committee, ends_with_body_noun};
use super::dates::{self, Date};
use super::numbers;
use super::text::clean_title;
use super::{Page, ParsedItem, ParsedPage};
use regex::Regex;
use std::sync::LazyLock;

pub(super) fn parse(page: &Page) -> ParsedPage {
    let header = header(page);
    let items = split_items(page, header.end, Numbering::Meeting);
    ParsedPage { committee: header.committee, meeting_date: header.date, items, ..ParsedPage::default() }
}

pub(super) struct Header {
    pub committee: Option<String>,
    pub date: Option<Date>,
    /// First line after the header.
    pub end: usize,
}

/// Lines of page furniture inside a meeting header.
fn is_header_noise(line: &str) -> bool {
    let l = line.to_lowercase();
    l.starts_with("modern.gov app")
        || l.starts_with("view upcoming public committee documents")
        || l.starts_with("members of the public are welcome")
        || l == "media"
        || l.starts_with("webcast:")
        || l.starts_with("media / webcast")
        || l.starts_with("link:")
        || l.starts_with("live stream")
        || l.starts_with("this meeting will be")
}

/// Lines that end the header: after them the agenda starts.
fn is_header_stop(line: &str) -> bool {
    let l = line.to_lowercase();
    l.starts_with("venue:")
        || l.starts_with("contact:")
        || l == "items"
        || l.starts_with("no. item")
        || l.starts_with("no. | item")
        || l == "procedural business"
        || numbers::number_line(line).is_some()
}

/// "Agenda for Overview & Scrutiny Committee on Tuesday, 11th July, 2017, 7.30 pm"
static AGENDA_FOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^Agenda for (?P<n>.+?) on (?P<d>.+)$").expect("static regex"));

/// "Committee Name - Tuesday, 29th September, 2020 5.00 pm": the committee before
/// the date (any name is accepted: this is the meeting's own title line).
pub(super) fn title_with_date(line: &str) -> Option<(Option<String>, Date)> {
    let f = dates::find_date(line)?;
    Some((clean_committee(&line[..f.start]), f.date))
}

pub(super) fn agenda_for(line: &str) -> Option<(Option<String>, Option<Date>)> {
    let c = AGENDA_FOR.captures(line)?;
    let name = clean_committee(c.name("n")?.as_str());
    let date = dates::find_date(c.name("d")?.as_str()).map(|f| f.date);
    Some((name, date))
}

fn header(page: &Page) -> Header {
    let lines = &page.lines;
    let mut committee = None;
    let mut date = None;
    let mut end = page.body_start;

    // The meeting title: the first real line after the heading.
    let mut idx = lines.next_nonempty(page.body_start.saturating_sub(1));
    while let Some(i) = idx {
        let l = lines.get(i);
        if is_header_noise(l) || (super::is_chrome(l) && !is_header_stop(l)) {
            idx = lines.next_nonempty(i);
            continue;
        }
        if is_header_stop(l) {
            break;
        }
        end = i + 1;
        if let Some((name, d)) = title_with_date(l) {
            committee = name;
            date = Some(d);
        } else if let Some(next) = lines.next_nonempty(i) {
            // Committee on one line, "Wednesday, 10th January, 2018 5.00 pm" on the next.
            let nl = lines.get(next);
            match dates::find_date(nl) {
                Some(f) if nl[..f.start].trim().is_empty() => {
                    committee = clean_committee(l);
                    date = Some(f.date);
                    end = next + 1;
                }
                _ if ends_with_body_noun(l) => committee = clean_committee(l),
                _ => {}
            }
        }
        break;
    }
    // Some skins put "Agenda for X on DATE" above the heading instead.
    if committee.is_none() || date.is_none() {
        if let Some((_, h)) = page.heading {
            for i in lines.nonempty.iter().copied().take_while(|&i| i < h) {
                if let Some((n, d)) = agenda_for(lines.get(i)) {
                    committee = committee.or(n);
                    date = date.or(d);
                }
            }
        }
    }
    // The agenda proper starts after "No. Item" when the page prints it.
    let after_title = end;
    for i in lines.nonempty.iter().copied().filter(|&i| i >= after_title).take(12) {
        let l = lines.get(i).to_lowercase();
        if l.starts_with("no. item") || l == "items" {
            end = i + 1;
        }
    }
    Header { committee, date, end }
}

/// Which numbering shapes to accept when splitting.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Numbering {
    /// ModernGov meeting pages: number lines, wide inline numbers, times, tables.
    Meeting,
    /// Other meeting records (notes, board minutes): also "1. Title" list headings.
    Notes,
}

/// The shape of an item number, so that "20.1" paragraphs inside item 20 are not
/// taken for items on a page numbered "19.", "20.", "21.".
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Class {
    Int,
    Dotted,
    Slash,
    Coded,
}

fn class_of(token: &str) -> Class {
    if token.contains('/') {
        Class::Slash
    } else if token.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        || token.contains(|c: char| c.is_ascii_uppercase())
    {
        Class::Coded
    } else if token.contains('.') {
        Class::Dotted
    } else {
        Class::Int
    }
}

struct Start {
    /// Line where the item begins (its number line, or its title line).
    line: usize,
    number: Option<String>,
    title: Option<String>,
}

/// Keeps the candidates that form a plausible agenda: one numbering class,
/// numbers that never go down and never jump absurdly.
fn in_sequence(cands: Vec<(usize, String, Option<String>)>) -> Vec<Start> {
    let mut out: Vec<Start> = Vec::new();
    let mut last: Option<(Class, u32, String)> = None;
    for (line, num, title) in cands {
        let class = class_of(&num);
        let n = numbers::leading_integer(&num).unwrap_or(0);
        let ok = match &last {
            None => true,
            Some((lc, ln, ltok)) => *lc == class && n <= ln + 30 && (n > *ln || (n == *ln && num != *ltok)),
        };
        if ok {
            last = Some((class, n, num.clone()));
            out.push(Start { line, number: Some(num), title });
        }
    }
    out
}

static TIME_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:[01]?\d|2[0-3])[:.][0-5]\d\s+(?P<t>[A-Z].*)$").expect("static regex"));

/// A meeting record's opening lines (attendance, venue) become an item of their
/// own when they are at least this long.
const PREAMBLE_WORDS: usize = 15;

/// Splits `from..` of a page into agenda items. Returns no items when the page
/// has no recognisable agenda; the caller then keeps it whole.
pub(super) fn split_items(page: &Page, from: usize, numbering: Numbering) -> Vec<ParsedItem> {
    let lines = &page.lines;
    let body: Vec<usize> = lines.nonempty.iter().copied().filter(|&i| i >= from).collect();

    // 1. Number lines: "35." then the title on the next line.
    let mut cands = Vec::new();
    for (k, &i) in body.iter().enumerate() {
        let Some(num) = numbers::number_line(lines.get(i)) else { continue };
        let Some(&next) = body.get(k + 1) else { continue };
        let nl = lines.get(next);
        if numbers::number_line(nl).is_some() || nl.chars().next().is_none_or(|c| c.is_lowercase()) {
            continue;
        }
        cands.push((i, num.to_string(), clean_title(nl)));
    }
    let mut starts = in_sequence(cands);

    // 2. Number and title on one line with a wide gap ("51a     Declarations").
    if starts.is_empty() {
        let cands = body
            .iter()
            .filter_map(|&i| {
                let (n, t) = numbers::inline_wide(lines.all[i])?;
                Some((i, n.to_string(), clean_title(t)))
            })
            .collect();
        starts = in_sequence(cands);
    }
    // 3. List-style headings ("1. Apologies for absence") on meeting notes.
    if starts.is_empty() && numbering == Numbering::Notes {
        let cands = body
            .iter()
            .filter_map(|&i| {
                let (n, t) = numbers::inline_list(lines.get(i))?;
                // A heading, not a numbered sentence of a resolution.
                (t.split_whitespace().count() <= 14).then(|| (i, n.to_string(), clean_title(t)))
            })
            .collect();
        starts = in_sequence(cands);
        if starts.first().and_then(|s| s.number.as_deref()) != Some("1") && starts.len() < 2 {
            starts.clear();
        }
    }
    // 4. Times instead of numbers ("13:30 Apologies"): items without numbers.
    if starts.is_empty() && numbering == Numbering::Meeting {
        starts = body
            .iter()
            .filter_map(|&i| {
                let c = TIME_START.captures(lines.get(i))?;
                Some(Start { line: i, number: None, title: c.name("t").and_then(|t| clean_title(t.as_str())) })
            })
            .collect();
        if starts.len() < 2 {
            starts.clear();
        }
    }
    if !starts.is_empty() {
        let mut items = Vec::with_capacity(starts.len() + 1);
        if numbering == Numbering::Notes {
            // Notes and minutes from other systems open with who attended and where:
            // content a reader may search for, kept as an item of its own.
            let preamble = page.text(from, starts[0].line);
            if crate::chunk::count_words(&preamble) >= PREAMBLE_WORDS {
                items.push(ParsedItem { text: preamble, start_line: Some(from), ..ParsedItem::default() });
            }
        }
        for (k, s) in starts.iter().enumerate() {
            let to = starts.get(k + 1).map(|n| n.line).unwrap_or(lines.len());
            // From the number line on: the printed number is part of the page too.
            let text = page.text(s.line, to);
            items.push(ParsedItem {
                number: s.number.clone(),
                title: s.title.clone(),
                text,
                start_line: Some(s.line),
                ..ParsedItem::default()
            });
        }
        return items;
    }
    // 5. A flattened table: rows ending in " |".
    if numbering == Numbering::Meeting {
        let rows = table_rows(page, from);
        if rows.len() >= 2 {
            return rows;
        }
        // 6. Numbers dropped when the page became text: split on title lines.
        let titled = titled_items(page, &body);
        if titled.len() >= 2 {
            return titled;
        }
    }
    Vec::new()
}

/// A line that reads as an agenda item's title: short, capitalised, without the
/// punctuation that ends a sentence or introduces a list.
pub(super) fn is_title_line(line: &str) -> bool {
    let first = line.chars().next();
    if line.len() > 140 || !first.is_some_and(|c| c.is_uppercase() || c.is_ascii_digit()) {
        return false;
    }
    let words = line.split_whitespace().count();
    (1..=14).contains(&words)
        && !line.ends_with(['.', ',', ';', ':', '?'])
        && !super::item::is_key_value(line)
        && !line.starts_with("RESOLVED")
        && !line.contains("  ")
        && !is_footer(line)
}

/// Page footers that follow the last item ("Democratic Services, Town Hall").
pub(super) fn is_footer(line: &str) -> bool {
    // ASCII case folding is enough: no other capital lower-cases into these prefixes.
    let l = line.as_bytes();
    ["democratic services", "copyright", "©", "contact us", "published by", "this page was", "page last"]
        .iter()
        .any(|p| l.len() >= p.len() && l[..p.len()].eq_ignore_ascii_case(p.as_bytes()))
}

/// Items of a meeting page whose numbers were lost: each starts at a title line
/// that stands alone between blank lines. Attachment lists ("Additional
/// documents:" and the file names under it) are not titles.
fn titled_items(page: &Page, body: &[usize]) -> Vec<ParsedItem> {
    let lines = &page.lines;
    let mut starts = Vec::new();
    let mut in_attachments = false;
    for (k, &i) in body.iter().enumerate() {
        let l = lines.get(i);
        let first = l.as_bytes().first().copied().unwrap_or(b' ');
        if !in_attachments && first.is_ascii_lowercase() {
            continue;
        }
        let lower = l.to_lowercase();
        if lower.starts_with("additional documents") || lower.starts_with("supporting documents") {
            in_attachments = true;
            continue;
        }
        let alone = i > 0 && lines.get(i - 1).is_empty() && lines.get(i + 1).is_empty();
        if in_attachments {
            // The list ends at the first line of prose.
            if l.split_whitespace().count() >= 12 || lower.starts_with("minutes") || lower.starts_with("decision") {
                in_attachments = false;
            }
            continue;
        }
        let next_is_title = body.get(k + 1).is_some_and(|&n| is_title_line(lines.get(n)));
        let marker = matches!(lower.as_str(), "minutes" | "decision" | "decisions" | "resolved")
            || (super::committee::is_authority_name(l) && k + 2 >= body.len());
        if alone && is_title_line(l) && !next_is_title && !marker && !lower.starts_with("appendix") {
            starts.push(i);
        }
    }
    let mut items = Vec::with_capacity(starts.len());
    for (k, &s) in starts.iter().enumerate() {
        let to = starts.get(k + 1).copied().unwrap_or(lines.len());
        items.push(ParsedItem {
            title: clean_title(lines.get(s)),
            text: page.text(s, to),
            start_line: Some(s),
            ..ParsedItem::default()
        });
    }
    items
}

/// Rows of a `No. | Item |` table flattened to text: each row ends with " |".
fn table_rows(page: &Page, from: usize) -> Vec<ParsedItem> {
    let lines = &page.lines;
    // Rows start after the "No. | Item |" and "---|---|" header lines when present.
    let start = from;
    let mut from = from;
    let mut header = false;
    for &i in lines.nonempty.iter().filter(|&&i| i >= start).take(12) {
        let l = lines.get(i);
        if l.starts_with("No. | Item") || (l.starts_with("---") && l.chars().all(|c| matches!(c, '-' | '|' | ' '))) {
            from = i + 1;
            header = true;
        }
    }
    let mut ends: Vec<usize> =
        lines.nonempty.iter().copied().filter(|&i| i >= from && lines.get(i).ends_with('|')).collect();
    if ends.len() < 2 && header {
        // From HTML, a table row is one line and has no trailing pipe.
        ends = lines.nonempty.iter().copied().filter(|&i| i >= from).collect();
    }
    if ends.len() < 2 {
        return Vec::new();
    }
    let mut items: Vec<ParsedItem> = Vec::new();
    // Rows that are not items (a footer, a repeated header) keep their words:
    // they join the item before them, or the first item when none came yet.
    let mut pending = String::new();
    let mut start = from;
    for &e in &ends {
        let raw = lines.join(start, e + 1);
        let row_start = start;
        start = e + 1;
        let row = raw.trim().trim_end_matches('|').trim();
        let lower = row.to_lowercase();
        if row.is_empty() || row.chars().all(|c| matches!(c, '-' | '|' | ' ')) {
            continue;
        }
        let text = super::text::collapse_spaces(row);
        if lower.starts_with("no. | item")
            || is_footer(row)
            || (super::committee::is_authority_name(row) && e + 2 >= lines.len())
        {
            match items.last_mut() {
                Some(last) => {
                    last.text.push('\n');
                    last.text.push_str(&text);
                }
                None => {
                    pending.push_str(&text);
                    pending.push('\n');
                }
            }
            continue;
        }
        let mut item =
            ParsedItem { title: row_title(&text), text, start_line: Some(row_start), ..ParsedItem::default() };
        if !pending.is_empty() {
            item.text.insert_str(0, &std::mem::take(&mut pending));
        }
        items.push(item);
    }
    // Lines after the last row (a footer without a pipe) end the last item.
    let tail = lines.join(start, lines.len());
    if let (Some(last), false) = (items.last_mut(), tail.trim().is_empty()) {
        last.text.push('\n');
        last.text.push_str(&super::text::collapse_spaces(tail.trim()));
    }
    items
}

/// The usual openings of an agenda note: where a flattened row's description starts.
const ROW_DESCRIPTION_OPENINGS: [&str; 16] = [
    " Minutes:",
    " To ",
    " Recommendation:",
    ". ",
    " The ",
    " This ",
    " Members ",
    " Councillors ",
    " A report",
    " An update",
    " Report of",
    " Report by",
    " Please ",
    " There ",
    " In the event",
    " Additional documents:",
];

/// The title of a flattened table row: the words before its description starts.
fn row_title(row: &str) -> Option<String> {
    let first_line = row.lines().next().unwrap_or("");
    // The title is at most 16 words: only a marker starting before the 17th word can
    // shorten it, so the search stops a marker's length past it (a flattened row can
    // be a whole paragraph, and the searches over it were ~1.5 % of indexing).
    let first_line = match first_line.split_whitespace().nth(16) {
        Some(w) => {
            let reach = ROW_DESCRIPTION_OPENINGS.iter().map(|m| m.len()).max().unwrap_or(0);
            let mut end = (w.as_ptr() as usize - first_line.as_ptr() as usize + reach).min(first_line.len());
            while !first_line.is_char_boundary(end) {
                end -= 1;
            }
            &first_line[..end]
        }
        None => first_line,
    };
    let mut cut = first_line.len();
    for marker in ROW_DESCRIPTION_OPENINGS {
        if let Some(p) = first_line.find(marker) {
            cut = cut.min(p);
        }
    }
    let head = &first_line[..cut];
    let words: Vec<&str> = head.split_whitespace().take(16).collect();
    clean_title(&words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gen::rng::Rng;

    /// row_title without the bounded search: every opening searched over the whole line.
    fn row_title_unbounded(row: &str) -> Option<String> {
        let first_line = row.lines().next().unwrap_or("");
        let cut = ROW_DESCRIPTION_OPENINGS.iter().filter_map(|m| first_line.find(m)).min().unwrap_or(first_line.len());
        let words: Vec<&str> = first_line[..cut].split_whitespace().take(16).collect();
        clean_title(&words.join(" "))
    }

    #[test]
    fn bounded_row_title_search_changes_no_title() {
        // Every opening after 10 to 20 plain words (so before, across and after the 16th
        // word), the words separated by one or two spaces, some of them not ASCII.
        let plain = ["Fostering", "Panel", "update", "café", "annual", "naïve", "review", "x", "Board", "plan"];
        let mut rng = Rng::new(11);
        for opening in ROW_DESCRIPTION_OPENINGS {
            for before in 10..=20 {
                for _ in 0..20 {
                    let gap = if rng.below(2) == 0 { " " } else { "  " };
                    let words = |n: usize, rng: &mut Rng| -> String {
                        (0..n).map(|_| plain[rng.below(plain.len())]).collect::<Vec<_>>().join(gap)
                    };
                    let row = format!("{}{opening}{gap}{} |", words(before, &mut rng), words(8, &mut rng));
                    assert_eq!(row_title(&row), row_title_unbounded(&row), "{row:?}");
                }
            }
        }
    }
}
