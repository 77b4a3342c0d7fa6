//! Agenda item numbers as printed: `35.`, `16.CSE1`, `33/17`, `51a`, `7.3`, `CA13`,
//! and the places a single-item page states its own number.

use regex::Regex;
use std::sync::LazyLock;

static NUMBER_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<n>\d{1,4}[a-z]?|\d{1,3}\.[A-Z]{1,5}\d{1,3}|\d{1,4}/\d{2,4}|\d{1,3}(?:\.\d{1,2}){1,2}|[A-Z]{1,3}\d{1,3})\.?$")
        .expect("static regex")
});
static INLINE_WIDE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?P<n>\d{1,4}[a-z]?)\.?\s{2,}(?P<t>\S.*)$").expect("static regex"));
static INLINE_LIST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?P<n>\d{1,3})[.)]\s+(?P<t>[A-Z].*)$").expect("static regex"));
static ITEM_REF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\((?i:agenda\s+)?(?i:item)\s+(?P<n>[0-9][0-9A-Za-z./]*)\)").expect("static regex"));
static QUOTED_AGENDA_ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"[‘'"“]Agenda Item (?P<n>[0-9][0-9A-Za-z.]*)[’'"”]"#).expect("static regex"));
static PARAGRAPH: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(?P<n>\d{1,4})\.1\.?\s+\S").expect("static regex"));
static LEADING_NUMBER_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?P<n>\d{1,4}[a-z]?)\.?\s+(?P<t>[^\s0-9].*?)(?:\s*(?:pdf icon\s*)?PDF\s+\d+(?:[.,]\d+)?\s*[KMG]B)?\s*$",
    )
    .expect("static regex")
});

/// A line that is nothing but an item number ("35.", "16.CSE1", "33/17").
pub fn number_line(line: &str) -> Option<&str> {
    let line = line.trim();
    // Cheap refusal before the regex: item numbers are short and start with a
    // digit or a capital letter.
    if line.len() > 14 || !line.as_bytes().first().is_some_and(|b| b.is_ascii_digit() || b.is_ascii_uppercase()) {
        return None;
    }
    let n = NUMBER_LINE.captures(line).and_then(|c| c.name("n")).map(|m| m.as_str())?;
    // A bare four-digit number is far more often a year than an item; ModernGov
    // prints four-digit item numbers with a full stop ("1346.").
    if n.len() == 4 && n.bytes().all(|b| b.is_ascii_digit()) && !line.ends_with('.') {
        return None;
    }
    Some(n)
}

/// "51a     Declarations of Substitutes": a number and a wide gap before the title.
pub fn inline_wide(line: &str) -> Option<(&str, &str)> {
    if !line.trim_start().as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let c = INLINE_WIDE.captures(line.trim_start())?;
    Some((c.name("n")?.as_str(), c.name("t")?.as_str()))
}

/// "1. Apologies for absence" / "1) Introductions": list-style numbered headings,
/// used only where the page is known to be a meeting record.
pub fn inline_list(line: &str) -> Option<(&str, &str)> {
    if !line.trim_start().as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let c = INLINE_LIST.captures(line.trim())?;
    Some((c.name("n")?.as_str(), c.name("t")?.as_str()))
}

/// "(Item 73)" / "(Agenda item 4)" / "(Item 7.3)".
pub fn item_reference(line: &str) -> Option<&str> {
    ITEM_REF.captures(line).and_then(|c| c.name("n")).map(|m| m.as_str().trim_end_matches('.'))
}

/// "A copy of the report marked ‘Agenda Item 9’ is filed with these minutes."
pub fn quoted_agenda_item(text: &str) -> Option<&str> {
    if !text.contains("Agenda Item") {
        return None;
    }
    QUOTED_AGENDA_ITEM.captures(text).and_then(|c| c.name("n")).map(|m| m.as_str().trim_end_matches('.'))
}

/// "44.1 The Committee considered…": the first minute paragraph carries the item
/// number before the point.
pub fn paragraph_number(line: &str) -> Option<&str> {
    if !line.trim_start().as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    PARAGRAPH.captures(line.trim()).and_then(|c| c.name("n")).map(|m| m.as_str())
}

/// "127 Child Sexual Exploitation Update pdf icon PDF 173 KB": number then title.
pub fn leading_number_title(line: &str) -> Option<(&str, &str)> {
    if !line.trim_start().as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let c = LEADING_NUMBER_TITLE.captures(line.trim())?;
    Some((c.name("n")?.as_str(), c.name("t")?.as_str()))
}

/// The integer part of a number token, for checking that items run in order.
pub fn leading_integer(token: &str) -> Option<u32> {
    let digits: String = token.chars().take_while(|c| c.is_ascii_digit()).collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_lines_in_every_style() {
        for (line, want) in [
            ("35.", "35"),
            ("16.CSE1", "16.CSE1"),
            ("33/17", "33/17"),
            ("1346.", "1346"),
            ("51a", "51a"),
            ("51.1", "51.1"),
            ("20.1.1", "20.1.1"),
            ("CA13", "CA13"),
        ] {
            assert_eq!(number_line(line), Some(want), "{line}");
        }
        for line in ["13:30 Apologies", "2019", "35. Apologies", "a.", "2.4.15.7"] {
            assert_eq!(number_line(line), None, "{line}");
        }
    }

    #[test]
    fn references_and_paragraphs() {
        assert_eq!(item_reference("Meeting: 22/01/2019 - Cabinet (Item 73)"), Some("73"));
        assert_eq!(item_reference("Thursday, 22nd March, 2018 6.30 p.m. (Item 7.3)"), Some("7.3"));
        assert_eq!(item_reference("(Agenda item 4)"), Some("4"));
        assert_eq!(quoted_agenda_item("the report marked ‘Agenda Item 9’ is filed"), Some("9"));
        assert_eq!(quoted_agenda_item("at the start of Agenda item 3."), None);
        assert_eq!(paragraph_number("30.1     A presentation was given"), Some("30"));
        assert_eq!(paragraph_number("30.2 More"), None);
        assert_eq!(paragraph_number("1.1"), None);
        assert_eq!(leading_number_title("204 Missing Young People PDF 103 KB"), Some(("204", "Missing Young People")));
        assert_eq!(
            inline_wide("    51a     Declarations of Substitutes"),
            Some(("51a", "Declarations of Substitutes"))
        );
        assert_eq!(inline_list("1) Introductions and apologies"), Some(("1", "Introductions and apologies")));
        assert_eq!(leading_integer("16.CSE1"), Some(16));
    }
}
