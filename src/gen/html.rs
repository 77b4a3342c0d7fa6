//! HTML pages: the page's blocks inside `<div id="mgContent">`, wrapped in the chrome a
//! parser must drop (head with title, style and script; skip link; site header; nav menu;
//! breadcrumb; footer; trailing script).
//!
//! The chrome is fixed text plus the council name and a generic page label, and never holds
//! a topic phrase (a test checks), so counts on the content are counts on the visible text.

use super::page::{Block, Page};

pub struct Chrome<'a> {
    pub council: &'a str,
    /// Generic label for `<title>` and breadcrumb ("Agenda item", "Document"…).
    pub label: &'a str,
    pub charset: &'a str,
    pub year: i32,
    /// Write typographic characters as named entities (`&rsquo;`, `&pound;`…).
    pub entities: bool,
}

const STYLE: &str = "<style>
body { font-family: Arial, Helvetica, sans-serif; margin: 0; color: #1b1b1b; }
#mgContent { max-width: 60em; margin: 0 auto; padding: 1em; }
.mgBreadcrumb { font-size: 0.9em; padding: 0.5em 1em; }
nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: 1em; }
.mgItemTable td { vertical-align: top; }
</style>
";

const HEAD_SCRIPT: &str = "<script>
var mgSiteRoot = '/';
function mgToggleMenu(id) { var el = document.getElementById(id); if (el) { el.hidden = !el.hidden; } }
</script>
";

const NAV: &str = "<nav id=\"mgMainMenu\" aria-label=\"Main menu\">
<ul>
<li><a href=\"/\">Home</a></li>
<li><a href=\"/mgCalendarMonthView.aspx\">Meetings calendar</a></li>
<li><a href=\"/mgListCommittees.aspx\">Committees</a></li>
<li><a href=\"/mgMemberIndex.aspx\">Your councillors</a></li>
<li><a href=\"/mgDelegatedDecisions.aspx\">Decisions</a></li>
<li><a href=\"/mgPlansHome.aspx\">Forward plans</a></li>
<li><a href=\"/ieDocHome.aspx\">Library</a></li>
<li><a href=\"/mgEPetitionListDisplay.aspx\">Petitions</a></li>
</ul>
</nav>
";

const TAIL_SCRIPT: &str = "<script>
(function () { var s = document.createElement('script'); s.src = '/js/site-analytics.js'; s.async = true; document.body.appendChild(s); })();
</script>
</body>
</html>
";

/// Escapes text content; typographic characters optionally as named entities.
pub fn escape_into(s: &str, entities: bool, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '’' if entities => out.push_str("&rsquo;"),
            '‘' if entities => out.push_str("&lsquo;"),
            '“' if entities => out.push_str("&ldquo;"),
            '”' if entities => out.push_str("&rdquo;"),
            '–' if entities => out.push_str("&ndash;"),
            '—' if entities => out.push_str("&mdash;"),
            '£' if entities => out.push_str("&pound;"),
            '\u{a0}' if entities => out.push_str("&nbsp;"),
            _ => out.push(c),
        }
    }
}

fn chrome_head(ch: &Chrome, out: &mut String) {
    out.push_str("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"");
    out.push_str(ch.charset);
    out.push_str("\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    escape_into(ch.label, false, out);
    out.push_str(" - ");
    escape_into(ch.council, false, out);
    out.push_str("</title>\n<link rel=\"stylesheet\" href=\"/SiteSpecific/ssMgStyles.css\">\n");
    out.push_str(STYLE);
    out.push_str(HEAD_SCRIPT);
    out.push_str("</head>\n<body>\n<a class=\"skiplink\" href=\"#mgContent\">Skip to main content</a>\n<header class=\"siteHeader\"><p class=\"siteName\">");
    escape_into(ch.council, false, out);
    out.push_str("</p></header>\n");
    out.push_str(NAV);
    out.push_str("<div class=\"mgBreadcrumb\">You are here: <a href=\"/\">Home</a> &gt; <a href=\"/ieDocHome.aspx\">Council and democracy</a> &gt; ");
    escape_into(ch.label, false, out);
    out.push_str("</div>\n<div id=\"mgContent\">\n");
}

fn chrome_foot(ch: &Chrome, out: &mut String) {
    out.push_str("</div>\n<footer class=\"siteFooter\">\n<p>&copy; ");
    escape_into(ch.council, false, out);
    out.push_str(&format!(" {}. All rights reserved.</p>\n", ch.year));
    out.push_str("<ul><li><a href=\"/accessibility\">Accessibility statement</a></li><li><a href=\"/privacy\">Privacy and cookies</a></li><li><a href=\"/contact\">Contact the council</a></li></ul>\n</footer>\n");
    out.push_str(TAIL_SCRIPT);
}

/// Bytes the chrome adds around the content (for size planning).
pub fn chrome_len(ch: &Chrome) -> usize {
    let mut s = String::new();
    chrome_head(ch, &mut s);
    chrome_foot(ch, &mut s);
    s.len()
}

/// The whole HTML document for `page`.
pub fn render(page: &Page, ch: &Chrome) -> String {
    let mut out = String::with_capacity(page.approx_len() * 11 / 10 + 4096);
    chrome_head(ch, &mut out);
    let e = ch.entities;
    for b in page.blocks() {
        match b {
            Block::Heading(level, s) => {
                out.push_str(&format!("<h{level}>"));
                escape_into(s, e, &mut out);
                out.push_str(&format!("</h{level}>\n"));
            }
            Block::Para(s) => {
                out.push_str("<p>");
                escape_into(s, e, &mut out);
                out.push_str("</p>\n");
            }
            Block::Line(s) => {
                out.push_str("<p class=\"mgLine\">");
                escape_into(s, e, &mut out);
                out.push_str("</p>\n");
            }
            Block::Blank => out.push_str(if e { "<p>&nbsp;</p>\n" } else { "<p>\u{a0}</p>\n" }),
            Block::Bullets(items) => {
                out.push_str("<ul>\n");
                for it in items {
                    out.push_str("<li>");
                    escape_into(it, e, &mut out);
                    out.push_str("</li>\n");
                }
                out.push_str("</ul>\n");
            }
            Block::Table(header, rows) => {
                out.push_str("<table class=\"mgItemTable\">\n<tr>");
                for h in header {
                    out.push_str("<th>");
                    escape_into(h, e, &mut out);
                    out.push_str("</th>\n");
                }
                out.push_str("</tr>\n");
                for row in rows {
                    out.push_str("<tr>");
                    for cell in row {
                        out.push_str("<td>");
                        escape_into(cell, e, &mut out);
                        out.push_str("</td>\n");
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</table>\n");
            }
        }
    }
    chrome_foot(ch, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::super::count::PhraseCounter;
    use super::super::page::{Blank, BulletStyle};
    use super::super::world::World;
    use super::*;

    #[test]
    fn chrome_holds_no_topic_phrase() {
        let w = World::new(42, 60, 15, 2005, 2025);
        for c in &w.councils {
            for label in super::super::layouts::CHROME_LABELS {
                let ch = Chrome { council: &c.name, label, charset: "utf-8", year: 2020, entities: true };
                let html = render(&Page::new(false, Blank::Empty, BulletStyle::Bullet), &ch);
                let counts = PhraseCounter::global().count_map(&html);
                assert!(counts.is_empty(), "{counts:?} in chrome for {}", c.name);
                assert_eq!(html.len(), chrome_len(&ch));
            }
        }
    }

    #[test]
    fn escapes_markup_and_typography() {
        let mut s = String::new();
        escape_into("A&B <c> Council’s £5\u{a0}", true, &mut s);
        assert_eq!(s, "A&amp;B &lt;c&gt; Council&rsquo;s &pound;5&nbsp;");
    }
}
