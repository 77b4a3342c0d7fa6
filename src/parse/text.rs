//! Text clean-up shared by every layout: one normal form for spaces, bullets and
//! ModernGov artefacts, and a line view of the page.

use regex::Regex;
use std::sync::LazyLock;

/// Normalises a decoded page: line endings, exotic spaces, lost bullet glyphs.
///
/// Inner runs of spaces are kept (column layouts such as `Meeting    NAME    Venue`
/// carry meaning for header extraction); [`collapse_spaces`] flattens them later.
pub fn normalize(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for line in raw.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let start = out.len();
        // Runs of printable ASCII are copied whole; only other characters are looked at
        // one by one (most lines have none, many have a ’ or a –).
        let mut rest = line;
        while let Some(at) = rest.bytes().position(|b| !(0x20..0x7f).contains(&b)) {
            out.push_str(&rest[..at]);
            // `at` is a character boundary: every byte before it is ASCII.
            let Some(ch) = rest[at..].chars().next() else { break };
            rest = &rest[at + ch.len_utf8()..];
            match ch {
                // Non-breaking and typographic spaces: published pages put U+00A0 in
                // "blank" lines; treating them as spaces keeps paragraphs apart.
                '\u{00A0}'
                | '\u{2000}'..='\u{200A}'
                | '\u{202F}'
                | '\u{205F}'
                | '\u{3000}'
                | '\t'
                | '\u{000B}'
                | '\u{000C}'
                | '\r' => out.push(' '),
                '\u{200B}' | '\u{FEFF}' | '\u{00AD}' => {}
                // PDF-derived text writes U+201F for apostrophes ("Children‟s").
                '\u{201F}' => out.push('\u{2019}'),
                c => out.push(c),
            }
        }
        out.push_str(rest);
        // Trailing spaces never matter; a whitespace-only line becomes empty.
        let trimmed_len = out[start..].trim_end().len();
        out.truncate(start + trimmed_len);
        strip_bullet(&mut out, start);
        out.push('\n');
    }
    out.pop();
    out
}

/// Replaces a leading bullet glyph (and the spaces after it) on the line that
/// begins at `start` in `out` by "- ".
fn strip_bullet(out: &mut String, start: usize) {
    let line = &out[start..];
    let indent = line.len() - line.trim_start().len();
    let rest = &line[indent..];
    let mut chars = rest.chars();
    let Some(first) = chars.next() else { return };
    let after = chars.as_str();
    let glyph_len = match first {
        '·' | '•' | '▪' | '◦' | '●' | '○' | '■' | '□' | '►' | '➢' | '✓' | '\u{F0B7}' | '\u{F0A7}' | '\u{F076}' => {
            first.len_utf8()
        }
        // "o" and "?" are bullets only in the shapes seen in converted documents:
        // "o   Annex 1" (a letter o then a wide gap) and "?Background" (a glyph lost
        // in conversion, directly before a capital letter).
        'o' if after.starts_with("  ") => 1,
        '?' if after.chars().next().is_some_and(|c| c.is_uppercase()) => 1,
        _ => return,
    };
    let body = rest[glyph_len..].trim_start();
    if body.is_empty() {
        out.truncate(start);
        return;
    }
    // The glyph becomes a plain "- ": the line stays recognisable as a list item
    // (not a title or heading), and no odd character reaches the index.
    let body = format!("- {body}");
    out.truncate(start);
    out.push_str(&body);
}

/// Collapses runs of spaces inside each line, and runs of 3+ line breaks to a
/// paragraph break, for the text that is indexed and shown.
pub fn collapse_spaces(text: &str) -> String {
    collapse_lines(text.split('\n'))
}

/// [`collapse_spaces`] over lines that are already split.
pub fn collapse_lines<'a>(lines: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::new();
    let mut blank_run = 0usize;
    for line in lines {
        let line = line.trim();
        if line.is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_run > 0 { "\n\n" } else { "\n" });
        }
        blank_run = 0;
        if !line.contains("  ") {
            out.push_str(line);
            continue;
        }
        let mut prev_space = false;
        for ch in line.chars() {
            if ch == ' ' {
                if !prev_space {
                    out.push(' ');
                }
                prev_space = true;
            } else {
                out.push(ch);
                prev_space = false;
            }
        }
    }
    out
}

static PDF_ARTEFACT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s*(?:pdf icon\s*)?(?-u:\b)PDF\s+\d+(?:[.,]\d+)?\s*[KMG]B(?-u:\b)\s*").expect("static regex")
});

/// Cleans a title line: drops "pdf icon PDF 71 KB" artefacts, table pipes and
/// surrounding punctuation; `None` when nothing is left.
pub fn clean_title(line: &str) -> Option<String> {
    let no_pdf = if line.contains("PDF") || line.contains("pdf") {
        PDF_ARTEFACT.replace_all(line, " ")
    } else {
        std::borrow::Cow::Borrowed(line)
    };
    let t = no_pdf.trim().trim_end_matches('|').trim();
    let t = collapse_spaces(t);
    let t = t.trim_matches(|c: char| c == '-' || c == '–' || c == ':' || c.is_whitespace());
    if t.is_empty() || !t.chars().any(|c| c.is_alphanumeric()) {
        None
    } else {
        Some(t.to_string())
    }
}

/// True when a line carries a "pdf icon PDF 71 KB"-style attachment marker.
pub fn has_pdf_artefact(line: &str) -> bool {
    (line.contains("PDF") || line.contains("pdf")) && PDF_ARTEFACT.is_match(line)
}

/// A page as lines, with the indexes of the non-empty ones for quick "next line"
/// look-ups.
pub struct Lines<'a> {
    pub all: Vec<&'a str>,
    pub nonempty: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Lines<'a> {
        let all: Vec<&str> = text.split('\n').collect();
        let nonempty = all.iter().enumerate().filter(|(_, l)| !l.trim().is_empty()).map(|(i, _)| i).collect();
        Lines { all, nonempty }
    }

    /// The trimmed text of line `i`.
    pub fn get(&self, i: usize) -> &'a str {
        self.all.get(i).map(|l| l.trim()).unwrap_or("")
    }

    /// Index of the first non-empty line after line `i`.
    pub fn next_nonempty(&self, i: usize) -> Option<usize> {
        let pos = self.nonempty.partition_point(|&j| j <= i);
        self.nonempty.get(pos).copied()
    }

    /// Index of the last non-empty line before line `i`.
    pub fn prev_nonempty(&self, i: usize) -> Option<usize> {
        let pos = self.nonempty.partition_point(|&j| j < i);
        pos.checked_sub(1).and_then(|p| self.nonempty.get(p).copied())
    }

    /// The text of lines `from..to` joined back together.
    pub fn join(&self, from: usize, to: usize) -> String {
        let to = to.min(self.all.len());
        if from >= to {
            return String::new();
        }
        self.all[from..to].join("\n")
    }

    pub fn len(&self) -> usize {
        self.all.len()
    }

    pub fn is_empty(&self) -> bool {
        self.all.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nbsp_lines_become_blank_and_crlf_goes() {
        let t = normalize("Title\r\n\u{00A0}\r\nBody\u{00A0}text  \r\n");
        assert_eq!(t, "Title\n\nBody text\n");
    }

    #[test]
    fn characters_normalised_inside_ascii_runs() {
        // Each special character between ASCII words, at a line's start and end.
        let t = normalize(
            "a\u{00A0}b\u{2003}c\td\u{200B}e\u{FEFF}f\u{00AD}g\u{201F}s ‘q’ – £5\u{3000}\n\u{200B}x\u{202F}\u{00A0}\r\n\tend\t",
        );
        assert_eq!(t, "a b c defg\u{2019}s ‘q’ – £5\nx\n end");
    }

    #[test]
    fn bullet_glyphs_become_plain_list_markers() {
        let t =
            normalize("·         first point\n  • second\no   annex one\n  ?Background to it\nordinary line\n?what");
        assert_eq!(t, "- first point\n- second\n- annex one\n- Background to it\nordinary line\n?what");
    }

    #[test]
    fn pdf_artefacts_leave_titles() {
        assert_eq!(clean_title("Minutes pdf icon PDF 71 KB").as_deref(), Some("Minutes"));
        assert_eq!(clean_title("239 Youth Plan PDF 2 MB").as_deref(), Some("239 Youth Plan"));
        assert_eq!(clean_title("Terms of Reference pdf icon PDF 207 KB").as_deref(), Some("Terms of Reference"));
        assert_eq!(clean_title("  |  "), None);
        assert!(has_pdf_artefact("Report PDF 1.5 MB"));
        assert!(!has_pdf_artefact("PDF version of the report"));
    }

    #[test]
    fn collapse_keeps_paragraphs() {
        assert_eq!(collapse_spaces("a   b\n\n\n\nc\nd  "), "a b\n\nc\nd");
    }

    #[test]
    fn line_navigation() {
        let l = Lines::new("a\n\n b \n\nc");
        assert_eq!(l.next_nonempty(0), Some(2));
        assert_eq!(l.get(2), "b");
        assert_eq!(l.prev_nonempty(4), Some(2));
        assert_eq!(l.prev_nonempty(0), None);
        assert_eq!(l.next_nonempty(4), None);
    }
}
