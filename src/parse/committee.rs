//! Committee names: their printed form, a normalised key for filters and counts,
//! and the few sentence shapes that name the body holding a meeting in prose.

use regex::Regex;
use std::sync::LazyLock;

/// The filter/count key of a committee name: lower case, `’` and `'` dropped,
/// `&` read as "and", punctuation as spaces, whitespace collapsed, and a trailing
/// date range such as "(12/11/2013- 30/04/2024)" removed.
pub fn committee_key(name: &str) -> String {
    let base = strip_date_suffix(name);
    let mut out = String::with_capacity(base.len());
    let mut pending_space = false;
    for ch in base.chars() {
        match ch {
            '\'' | '’' | '‘' | '`' => {}
            '&' => {
                pending_space = true;
                push_word(&mut out, "and", &mut pending_space);
                pending_space = true;
            }
            c if c.is_alphanumeric() => {
                if pending_space && !out.is_empty() {
                    out.push(' ');
                }
                pending_space = false;
                for l in c.to_lowercase() {
                    out.push(l);
                }
            }
            _ => pending_space = true,
        }
    }
    out
}

fn push_word(out: &mut String, word: &str, pending_space: &mut bool) {
    if *pending_space && !out.is_empty() {
        out.push(' ');
    }
    out.push_str(word);
    *pending_space = false;
}

static DATE_SUFFIX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s*\([^()]*\d{4}[^()]*\)\s*$").expect("static regex"));

/// "Corporate Parenting Panel (12/11/2013- 30/04/2024)" -> "Corporate Parenting Panel".
pub fn strip_date_suffix(name: &str) -> &str {
    if !name.trim_end().ends_with(')') {
        return name.trim();
    }
    match DATE_SUFFIX.find(name) {
        Some(m) if m.start() > 0 => name[..m.start()].trim_end(),
        _ => name.trim(),
    }
}

/// "Ilmley Borough Council", "North Fenmere County Council": the name of a local
/// authority itself (printed in headers and footers), not of a meeting body.
pub fn is_authority_name(line: &str) -> bool {
    // Most lines do not end in "council": decided before collecting words.
    if !line.split_whitespace().next_back().is_some_and(|w| w.eq_ignore_ascii_case("council")) {
        return false;
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    (2..=6).contains(&words.len())
        && words.last().is_some_and(|w| w.eq_ignore_ascii_case("council"))
        && words[..words.len() - 1].iter().all(|w| w.chars().next().is_some_and(char::is_uppercase))
        && !matches!(words[0].to_lowercase().as_str(), "full" | "the" | "youth" | "children" | "children's")
}

/// The nouns that end the name of a body which holds meetings.
const BODY_NOUNS: &[&str] = &[
    "committee",
    "sub-committee",
    "subcommittee",
    "panel",
    "board",
    "cabinet",
    "council",
    "executive",
    "commission",
    "group",
    "forum",
    "assembly",
    "meeting",
    "workstream",
    // Acronyms that end a board's name: "WESTMINSTER ACPC".
    "acpc",
    "lscb",
];

/// Names that are only a generic reference ("the Committee", "Cabinet Member"),
/// never the name of the body.
fn is_generic(name: &str) -> bool {
    let key = committee_key(name);
    let key = key.strip_prefix("the ").unwrap_or(&key);
    matches!(
        key,
        "committee"
            | "sub committee"
            | "subcommittee"
            | "panel"
            | "board"
            | "group"
            | "forum"
            | "commission"
            | "meeting"
            | "partnership"
            | "joint committee"
            | "scrutiny committee"
            | "the board"
            | "full council"
            | "county council"
            | "city council"
            | "borough council"
            | "district council"
            | "local authority"
    ) || (key.ends_with(" member") && !key.contains(" member for "))
}

/// Cleans a committee name taken from a header: trims separators and filler, and
/// refuses strings that are no committee at all.
pub fn clean_committee(raw: &str) -> Option<String> {
    let mut t = raw.trim();
    for prefix in
        ["Agenda for ", "Meeting of ", "meeting of ", "Minutes of the ", "MINUTES OF THE ", "Minutes of ", "- "]
    {
        if let Some(rest) = t.strip_prefix(prefix) {
            t = rest.trim_start();
        }
    }
    loop {
        let before = t;
        t = t.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '-' | '–' | '—' | ',' | ':' | '|'));
        for suffix in [" on", " held on", " meeting", " Meeting", " MEETING"] {
            if let Some(rest) = t.strip_suffix(suffix) {
                t = rest;
            }
        }
        if t == before {
            break;
        }
    }
    let t = t.trim();
    let words = t.split_whitespace().count();
    if t.is_empty() || words > 16 || t.len() > 160 || !t.chars().next().is_some_and(|c| c.is_alphanumeric()) {
        return None;
    }
    if is_generic(t) {
        return None;
    }
    Some(t.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// True when `name` ends with a body noun (possibly followed by a parenthesis such
/// as "(Children and Families)").
pub fn ends_with_body_noun(name: &str) -> bool {
    let core = name.trim();
    let core = match core.rfind('(') {
        Some(p) if core.ends_with(')') && p > 0 => core[..p].trim_end(),
        _ => core,
    };
    let last = core.rsplit(|c: char| c.is_whitespace()).next().unwrap_or("").to_lowercase();
    // Individual decision-making meetings: "Cabinet Member for Children's Services".
    let portfolio = ["Cabinet Member for ", "Lead Member for ", "Executive Member for ", "Portfolio Holder for "]
        .iter()
        .any(|p| core.starts_with(p));
    BODY_NOUNS.contains(&last.as_str()) || portfolio
}

/// A body name as it appears in running text: capitalised words (with "and", "of",
/// "for", "&", "the" between them) ending in a body noun, optionally followed by a
/// parenthesis; or an all-lower-case "corporate parenting committee"-style name.
const NAME: &str = r"(?:[A-Z][\w’'\-]*(?:\s+(?:and|of|for|the|on|&|[A-Z][\w’'\-]*|\([^()]{2,60}\)))*?\s+)?(?:Committee|Sub-Committee|Panel|Board|Cabinet|Council|Executive|Commission)(?:\s+\([^()]{2,60}\))?";
const LOWER_NAME: &str = r"(?:[a-z]+\s+){1,4}(?:committee|panel|board)|cabinet";

// ASCII word boundaries, `(?-u:\b)`, keep these on the fast DFA (see parse::dates).
static PROSE_PATTERNS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    let pats = [
        // "This page lists the meetings for X."
        format!(r"meetings for (?P<n>{NAME})"),
        // "The X considered/received/noted/met …" at a sentence start.
        format!(
            r"(?:^|[.:;]\s+)(?:The\s+)?(?:(?:Council|Authority|County|City|Borough)[’']s\s+)?(?P<n>{NAME})\s+(?:considered|received|noted|met|agreed|resolved|approved|endorsed|discussed|reviewed|was asked|has (?:carried out|considered|reviewed|received)|carried out|was (?:constructed|constituted|established|set up|created))(?-u:\b)"
        ),
        // "… provides the X with an update", "presented Council with"
        format!(r"(?:provides?|provided|presented)\s+(?:the\s+)?(?P<n>{NAME})\s+with(?-u:\b)"),
        // "an update to cabinet on …", "report to the X on"
        format!(r"(?i:update to)\s+(?:the\s+)?(?P<n>{NAME}|{LOWER_NAME})\s+(?:on|about|regarding)(?-u:\b)"),
        // "for consideration by the corporate parenting committee"
        format!(r"consideration by the (?P<n>{NAME}|{LOWER_NAME})(?-u:\b)"),
        // "the December meeting of X"
        format!(
            r"(?:January|February|March|April|May|June|July|August|September|October|November|December) meeting of (?:the\s+)?(?P<n>{NAME})"
        ),
        // "To Council is asked", "the Council is asked to"
        format!(r"(?:^To|(?-u:\b)the)\s+(?P<n>{NAME})\s+is asked to(?-u:\b)"),
    ];
    pats.iter().map(|p| Regex::new(p).expect("static regex")).collect()
});

/// The committee a page names in prose where it states its meeting (see the
/// patterns above); the caller passes only the first lines of the page.
pub fn committee_in_prose(lines: &[&str]) -> Option<String> {
    for line in lines {
        for pat in PROSE_PATTERNS.iter() {
            for caps in pat.captures_iter(line) {
                let Some(n) = caps.name("n") else { continue };
                if let Some(name) = clean_committee(n.as_str()) {
                    if ends_with_body_noun(&name) {
                        return Some(name);
                    }
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_fold_case_quotes_ampersands_and_date_ranges() {
        assert_eq!(committee_key("Children’s Services O&S Committee"), "childrens services o and s committee");
        assert_eq!(
            committee_key("CHILDREN'S SERVICES OVERVIEW & SCRUTINY COMMITTEE"),
            "childrens services overview and scrutiny committee"
        );
        assert_eq!(committee_key("Corporate Parenting Panel (12/11/2013- 30/04/2024)"), "corporate parenting panel");
        assert_eq!(committee_key("  Scrutiny   Co-ordination Committee "), "scrutiny co ordination committee");
        assert_eq!(committee_key("Joint meeting of A &B"), "joint meeting of a and b");
    }

    #[test]
    fn clean_refuses_generic_names() {
        assert_eq!(clean_committee("the Committee"), None);
        assert_eq!(clean_committee("Cabinet Member"), None);
        assert_eq!(clean_committee("Cabinet -").as_deref(), Some("Cabinet"));
        assert_eq!(
            clean_committee("Agenda for Overview & Scrutiny Committee on").as_deref(),
            Some("Overview & Scrutiny Committee")
        );
    }

    #[test]
    fn prose_names_the_meeting_body() {
        let p = |s: &str| committee_in_prose(&[s]);
        assert_eq!(
            p("This page lists the meetings for Fenmere Schools Forum Panel.").as_deref(),
            Some("Fenmere Schools Forum Panel")
        );
        assert_eq!(p("Cabinet considered the paper and agreed it.").as_deref(), Some("Cabinet"));
        assert_eq!(
            p("The Corporate Parenting Panel considered the draft plan.").as_deref(),
            Some("Corporate Parenting Panel")
        );
        assert_eq!(p("The report gives the Scrutiny Board (Young People) an outline.").as_deref(), None);
        assert_eq!(
            p("It provides the Scrutiny Board (Young People) with an outline.").as_deref(),
            Some("Scrutiny Board (Young People)")
        );
        assert_eq!(p("To give an update to cabinet on the plan.").as_deref(), Some("cabinet"));
        assert_eq!(p("The Committee considered the report.").as_deref(), None);
        assert_eq!(p("Cabinet Members considered a paper.").as_deref(), None);
        assert_eq!(p("The Cabinet Member noted that it was late.").as_deref(), None);
    }
}
