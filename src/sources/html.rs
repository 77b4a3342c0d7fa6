//! HTML -> plain text with the line structure the parse stage expects from `.txt` pages:
//! one block per line, blank lines between headings/paragraphs, table rows flattened to
//! `cell | cell`, and site chrome (scripts, navigation, breadcrumbs, cookie banners) left out.
//!
//! The tree comes from html5ever (via scraper), so malformed markup and entities are handled
//! the way browsers do. The walk over the tree is iterative (parent/sibling links), so
//! absurdly deep nesting cannot overflow the stack. (html5ever itself is linear for deep
//! inline nesting but quadratic for tens of thousands of nested block elements such as
//! `<div>`: slow on such hostile input, never a crash.)
//!
//! Not handled here: HTML that was escaped into text (`&lt;li&gt;` in openlylocal XML
//! dumps); after decoding it is just text and later stages see the tags as words.

use scraper::node::Element;
use scraper::{Html, Node};

/// Text and page-level metadata pulled from an HTML document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HtmlPage {
    /// Visible text, lines separated by '\n', no trailing newline. U+00A0 is kept.
    pub text: String,
    /// `<title>`, whitespace collapsed; `None` when absent or empty.
    pub title: Option<String>,
    /// `<link rel="canonical" href>`, else `<meta property="og:url" content>`.
    pub canonical_url: Option<String>,
}

/// Converts an HTML document to text. Never fails: any string yields a page, possibly with
/// empty text.
///
/// When the page has ModernGov content containers (`id="modgov"`, `id`/`class` `mgContent`,
/// and the `mgMainTitleTxt`/`mgSubTitleTxt` headings ModernGov can place outside
/// `mgContent`), only text inside them is kept: the rest of such pages is council site
/// chrome. If the filters leave nothing, the page is converted again with only the hard
/// drops (scripts, styles, head, …) so an over-eager class match cannot empty a page.
pub fn html_to_text(html: &str) -> HtmlPage {
    let doc = Html::parse_document(html);

    let mut title = None;
    let mut canonical = None;
    let mut og_url = None;
    let mut has_content_roots = false;
    // One linear pass over the node arena (no tree walk) for page-level facts.
    for node in doc.tree.nodes() {
        let Node::Element(el) = node.value() else {
            continue;
        };
        match el.name() {
            "title" if title.is_none() && &*el.name.ns == HTML_NS => {
                let mut raw = String::new();
                for child in node.children() {
                    if let Node::Text(t) = child.value() {
                        raw.push_str(t);
                    }
                }
                let collapsed = collapse_ws(&raw);
                if !collapsed.is_empty() {
                    title = Some(collapsed);
                }
            }
            "link" if canonical.is_none() => {
                let is_canonical = el
                    .attr("rel")
                    .is_some_and(|r| r.split_ascii_whitespace().any(|t| t.eq_ignore_ascii_case("canonical")));
                if is_canonical {
                    canonical = non_empty(el.attr("href"));
                }
            }
            "meta" if og_url.is_none() => {
                let is_og_url = el.attr("property").is_some_and(|p| p.trim().eq_ignore_ascii_case("og:url"));
                if is_og_url {
                    og_url = non_empty(el.attr("content"));
                }
            }
            _ => {}
        }
        if !has_content_roots {
            has_content_roots = Attrs::of(el).is_content_root();
        }
    }

    let cap = html.len() / 3;
    let (mut text, filtered) = extract(&doc, has_content_roots, true, cap);
    if text.is_empty() && (has_content_roots || filtered) {
        text = extract(&doc, false, false, cap).0;
    }
    HtmlPage { text, title, canonical_url: canonical.or(og_url) }
}

const HTML_NS: &str = "http://www.w3.org/1999/xhtml";

/// Walks the tree without recursion and writes text. `content_mode`: emit only inside
/// content roots. `filters`: apply the navigation/breadcrumb/cookie filters. Returns the
/// text and whether any element was dropped by those filters.
fn extract(doc: &Html, content_mode: bool, filters: bool, cap: usize) -> (String, bool) {
    let mut w = Writer::with_capacity(cap);
    // The outermost content root we are inside (content roots nest: modgov > mgContent).
    let mut inside_root = None;
    let mut filtered = false;

    let root = doc.tree.root();
    let mut cur = root.first_child();
    while let Some(node) = cur {
        let mut descend = false;
        match node.value() {
            Node::Text(t) if !content_mode || inside_root.is_some() => w.text(t),
            Node::Element(el) => {
                let name = el.name();
                let attrs = if hard_drop(name) { None } else { Some(Attrs::of(el)) };
                if let Some(a) = attrs {
                    let is_root = content_mode && inside_root.is_none() && a.is_content_root();
                    let emitting = !content_mode || inside_root.is_some();
                    if filters && emitting && is_chrome(name, &a) {
                        filtered = true;
                    } else {
                        if is_root {
                            inside_root = Some(node.id());
                        }
                        w.open(name);
                        if node.has_children() {
                            descend = true;
                        } else {
                            w.close(name);
                            if is_root {
                                inside_root = None;
                            }
                        }
                    }
                }
            }
            _ => {} // text outside content, comments, doctype, processing instructions
        }

        if descend {
            cur = node.first_child();
            continue;
        }
        // Move to the next sibling, closing every element we climb out of.
        let mut n = node;
        cur = None;
        loop {
            if let Some(s) = n.next_sibling() {
                cur = Some(s);
                break;
            }
            let Some(p) = n.parent() else { break };
            if p.id() == root.id() {
                break;
            }
            if let Node::Element(el) = p.value() {
                w.close(el.name());
            }
            if inside_root == Some(p.id()) {
                inside_root = None;
            }
            n = p;
        }
    }
    (w.finish(), filtered)
}

/// The attributes the filters look at, found in one pass over the element's attributes.
#[derive(Default, Clone, Copy)]
struct Attrs<'a> {
    id: Option<&'a str>,
    class: Option<&'a str>,
    role: Option<&'a str>,
}

impl<'a> Attrs<'a> {
    fn of(el: &'a Element) -> Attrs<'a> {
        let mut a = Attrs::default();
        for (name, value) in el.attrs() {
            match name {
                "id" => a.id = Some(value),
                "class" => a.class = Some(value),
                "role" => a.role = Some(value),
                _ => {}
            }
        }
        a
    }

    /// ModernGov containers: `id="modgov"`, `id`/`class` `mgContent`, and the page-type and
    /// meeting-title headings (`mgMainTitleTxt`, `mgSubTitleTxt`).
    fn is_content_root(&self) -> bool {
        if let Some(id) = self.id {
            let id = id.trim();
            if id.eq_ignore_ascii_case("modgov") || id.eq_ignore_ascii_case("mgContent") {
                return true;
            }
        }
        self.class.is_some_and(|c| {
            c.split_ascii_whitespace().any(|c| {
                c.eq_ignore_ascii_case("mgContent")
                    || c.eq_ignore_ascii_case("mgMainTitleTxt")
                    || c.eq_ignore_ascii_case("mgSubTitleTxt")
            })
        })
    }
}

/// Elements whose content is never page text.
fn hard_drop(name: &str) -> bool {
    matches!(
        name,
        "head"
            | "title"
            | "script"
            | "style"
            | "noscript"
            | "template"
            | "svg"
            | "math"
            | "iframe"
            | "frame"
            | "object"
            | "embed"
            | "canvas"
            | "audio"
            | "video"
            | "select"
            | "button"
            | "textarea"
            | "datalist"
    )
}

/// Navigation, breadcrumbs, skip links, cookie banners and menus.
fn is_chrome(name: &str, a: &Attrs) -> bool {
    if name == "nav" {
        return true;
    }
    // Page-level wrappers sometimes carry state classes such as "nav-open"; content roots
    // are content by definition. Never drop them.
    if matches!(name, "html" | "body" | "main" | "article") || a.is_content_root() {
        return false;
    }
    if a.role.is_some_and(|r| r.trim().eq_ignore_ascii_case("navigation")) {
        return true;
    }
    a.id.is_some_and(has_chrome_token) || a.class.is_some_and(has_chrome_token)
}

/// True when an id/class value names chrome as a whole word: split on punctuation and
/// camelCase ("mgBreadcrumb" -> mg, breadcrumb; "main-nav" -> main, nav). "breadcrumb",
/// "cookie" and "skip" also match inside a word ("mgBreadCrumb", "cookiebanner"), since no
/// content class contains them; "nav" and "menu" only as whole tokens ("canvas", "navy" are kept).
fn has_chrome_token(value: &str) -> bool {
    const WORDS: &[&str] = &[
        "nav",
        "navbar",
        "navigation",
        "breadcrumb",
        "breadcrumbs",
        "skip",
        "skiplink",
        "skiplinks",
        "skipnav",
        "cookie",
        "cookies",
        "menu",
        "menus",
        "menubar",
        "submenu",
        "megamenu",
    ];
    for segment in value.split(|c: char| !c.is_ascii_alphanumeric()) {
        if segment.is_empty() {
            continue;
        }
        let lower = segment.to_ascii_lowercase();
        if WORDS.contains(&lower.as_str())
            || lower.contains("breadcrumb")
            || lower.contains("cookie")
            || lower.contains("skip")
        {
            return true;
        }
        // camelCase pieces: a new token starts at an uppercase letter after a lowercase one.
        let bytes = segment.as_bytes();
        let mut start = 0;
        for i in 1..=bytes.len() {
            let boundary = i == bytes.len() || (bytes[i].is_ascii_uppercase() && bytes[i - 1].is_ascii_lowercase());
            if boundary {
                let tok = &lower[start..i];
                if WORDS.contains(&tok) {
                    return true;
                }
                start = i;
            }
        }
    }
    false
}

fn non_empty(s: Option<&str>) -> Option<String> {
    let s = s?.trim();
    (!s.is_empty()).then(|| s.to_string())
}

fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_ascii_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// What must be written before the next word. Higher variants win when merged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pending {
    Nothing,
    Space,
    CellSep,
    /// 1 = end the line, 2 = end the line and leave a blank one.
    Lines(u8),
}

/// Appends text with lazily-resolved separators, so nothing is ever removed from `out`
/// (linear time) and there is never leading or trailing whitespace.
struct Writer {
    out: String,
    pending: Pending,
    cell_depth: usize,
    pre_depth: usize,
}

impl Writer {
    fn with_capacity(cap: usize) -> Writer {
        Writer { out: String::with_capacity(cap), pending: Pending::Nothing, cell_depth: 0, pre_depth: 0 }
    }

    fn open(&mut self, name: &str) {
        match name {
            "br" => self.line_break(),
            "td" | "th" => {
                self.cell_start();
                self.cell_depth += 1;
            }
            "pre" => {
                self.block(2);
                self.pre_depth += 1;
            }
            _ => {
                if let Some(level) = block_level(name) {
                    self.block(level);
                }
            }
        }
    }

    fn close(&mut self, name: &str) {
        match name {
            "td" | "th" => self.cell_depth = self.cell_depth.saturating_sub(1),
            "pre" => {
                self.pre_depth = self.pre_depth.saturating_sub(1);
                self.block(2);
            }
            _ => {
                if let Some(level) = block_level(name) {
                    self.block(level);
                }
            }
        }
    }

    fn text(&mut self, t: &str) {
        if self.pre_depth > 0 {
            for (i, line) in t.split('\n').enumerate() {
                if i > 0 {
                    self.line_break();
                }
                self.words(line);
            }
        } else {
            self.words(t);
        }
    }

    /// Writes words, collapsing runs of ASCII whitespace to one space. U+00A0 is not ASCII
    /// whitespace, so it is kept as written.
    fn words(&mut self, t: &str) {
        // ASCII whitespace bytes never occur inside a multi-byte UTF-8 sequence, so
        // scanning bytes and slicing at them is safe and avoids decoding every char.
        let b = t.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i].is_ascii_whitespace() {
                self.space();
                while i < b.len() && b[i].is_ascii_whitespace() {
                    i += 1;
                }
            } else {
                let start = i;
                while i < b.len() && !b[i].is_ascii_whitespace() {
                    i += 1;
                }
                self.word(&t[start..i]);
            }
        }
    }

    fn word(&mut self, s: &str) {
        if !self.out.is_empty() {
            match self.pending {
                Pending::Nothing => {}
                Pending::Space => self.out.push(' '),
                Pending::CellSep => self.out.push_str(" | "),
                Pending::Lines(n) => {
                    self.out.push('\n');
                    if n >= 2 {
                        self.out.push('\n');
                    }
                }
            }
        }
        self.pending = Pending::Nothing;
        self.out.push_str(s);
    }

    fn space(&mut self) {
        if self.pending == Pending::Nothing && !self.out.is_empty() {
            self.pending = Pending::Space;
        }
    }

    /// A block boundary: a line break (1) or blank line (2); inside a table cell the whole
    /// row stays on one line, so it is only a space.
    fn block(&mut self, level: u8) {
        if self.cell_depth > 0 {
            self.space();
            return;
        }
        self.pending = match self.pending {
            Pending::Lines(m) => Pending::Lines(m.max(level)),
            _ => Pending::Lines(level),
        };
    }

    /// `<br>`: each one ends a line; two in a row leave a blank line.
    fn line_break(&mut self) {
        if self.cell_depth > 0 {
            self.space();
            return;
        }
        self.pending = match self.pending {
            Pending::Lines(m) => Pending::Lines((m + 1).min(2)),
            _ => Pending::Lines(1),
        };
    }

    /// A new cell: separated from the previous one by " | " unless the row has no text yet.
    /// Empty cells therefore vanish instead of producing "a |  | b".
    fn cell_start(&mut self) {
        let row_has_text = !self.out.is_empty() && !matches!(self.pending, Pending::Lines(_));
        if row_has_text {
            self.pending = Pending::CellSep;
        }
    }

    fn finish(self) -> String {
        self.out
    }
}

/// Block elements and the gap they leave: 2 = blank line (headings, paragraphs and other
/// paragraph-like blocks), 1 = new line.
fn block_level(name: &str) -> Option<u8> {
    match name {
        "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "blockquote" | "table" | "hr" => Some(2),
        "tr" | "div" | "li" | "ul" | "ol" | "dl" | "dt" | "dd" | "section" | "article" | "main" | "header"
        | "footer" | "aside" | "address" | "body" | "center" | "caption" | "details" | "summary" | "dialog" | "dir"
        | "menu" | "fieldset" | "legend" | "figure" | "figcaption" | "form" | "hgroup" | "search" | "tbody"
        | "thead" | "tfoot" | "option" | "frameset" | "noframes" | "html" => Some(1),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(html: &str) -> String {
        html_to_text(html).text
    }

    #[test]
    fn headings_paragraphs_and_inline() {
        let page = html_to_text(
            "<html><head><title> Panel \n minutes </title>\
             <link rel=\"stylesheet\" href=\"x.css\"><link rel=\"Canonical\" href=\" https://example.org/m/1 \">\
             <style>p { color: red }</style></head>\
             <body><h1>Agenda   and minutes</h1><p>The <b>panel</b> met on\n <a href=\"#\">Tuesday</a>.</p>\
             <p>Second   para<em>graph</em></p></body></html>",
        );
        assert_eq!(page.text, "Agenda and minutes\n\nThe panel met on Tuesday.\n\nSecond paragraph");
        assert_eq!(page.title.as_deref(), Some("Panel minutes"));
        assert_eq!(page.canonical_url.as_deref(), Some("https://example.org/m/1"));
    }

    #[test]
    fn og_url_fallback_and_missing_metadata() {
        let page = html_to_text("<head><meta property=\"og:url\" content=\"https://example.org/og\"></head><p>x</p>");
        assert_eq!(page.canonical_url.as_deref(), Some("https://example.org/og"));
        assert_eq!(page.title, None);
        let page = html_to_text("<title>  </title><p>x</p>");
        assert_eq!((page.title, page.canonical_url), (None, None));
    }

    #[test]
    fn lists_divs_and_br() {
        assert_eq!(
            text("<p>Items:</p><ul><li>First point</li><li>Second <i>point</i></li></ul><div>After</div>"),
            "Items:\n\nFirst point\nSecond point\nAfter"
        );
        assert_eq!(text("<div>one<br>two<br/><br>three</div>"), "one\ntwo\n\nthree");
        assert_eq!(text("<dl><dt>Venue:</dt><dd>Town Hall</dd></dl>"), "Venue:\nTown Hall");
        assert_eq!(text("<pre>line  one\n  line two\n\n\n\nend</pre>"), "line one\nline two\n\nend");
    }

    #[test]
    fn tables_become_pipe_rows() {
        let html = "<table><tr><th>No.</th><th>Item</th></tr>\
                    <tr><td>12.</td><td><p>Fostering update</p><p>Minutes: noted.</p></td></tr>\
                    <tr><td></td><td>  </td></tr>\
                    <tr><td></td><td>Unnumbered item<br>second line</td><td>PDF 20 KB</td></tr></table>\
                    <p>After table</p>";
        assert_eq!(
            text(html),
            "No. | Item\n12. | Fostering update Minutes: noted.\nUnnumbered item second line | PDF 20 KB\n\nAfter table"
        );
        // Nested table stays on its outer row's line.
        let nested = "<table><tr><td>A</td><td><table><tr><td>x</td><td>y</td></tr><tr><td>z</td></tr></table></td></tr></table>";
        assert_eq!(text(nested), "A | x | y | z");
    }

    #[test]
    fn scripts_nav_and_chrome_are_dropped() {
        let html = r##"<body>
            <a class="skip-link" href="#main">Skip to main content</a>
            <div id="cookieBanner">We use cookies</div>
            <nav><ul><li>Home</li><li>Contact</li></ul></nav>
            <div role="navigation">Site map</div>
            <div class="mgBreadCrumb">Home &gt; Meetings</div>
            <ul class="main-menu"><li>Services</li></ul>
            <script>var x = "not text";</script><noscript>Enable JS</noscript>
            <svg><text>chart label</text></svg>
            <template><p>tmpl</p></template>
            <form><select><option>Cabinet</option></select><button>Go</button></form>
            <p>Real content about canvas and menus.</p>
            <div class="canvas">kept canvas</div>
            <!-- a comment -->
        </body>"##;
        assert_eq!(text(html), "Real content about canvas and menus.\n\nkept canvas");
    }

    #[test]
    fn body_state_classes_do_not_drop_the_page() {
        assert_eq!(text("<body class=\"nav-open has-menu\"><main class=\"menu\"><p>Kept</p></main></body>"), "Kept");
        // If the filters would leave nothing, the page is converted without them.
        assert_eq!(text("<div class=\"nav-wrapper\"><p>Only text</p></div>"), "Only text");
    }

    #[test]
    fn moderngov_content_container_only() {
        let html = r#"<html><body>
            <div class="site-header"><p>Council home | Bins | Parking</p></div>
            <div id="modgov">
              <div class="mgHeader"><h1 class="mgMainTitleTxt">Agenda item</h1></div>
              <div class="mgBreadCrumb">Meetings &gt; Panel</div>
              <div class="mgContent"><h2>Annual report</h2><p>Minutes:</p><p>The panel noted it.</p></div>
            </div>
            <div class="site-footer">Copyright</div>
        </body></html>"#;
        assert_eq!(text(html), "Agenda item\n\nAnnual report\n\nMinutes:\n\nThe panel noted it.");
        // mgContent alone plus a title heading outside it.
        let html = r#"<div>Chrome</div><h1 class="mgMainTitleTxt">Issue - meetings</h1>
            <p>Between</p><div id="mgContent"><p>Body text</p></div><p>Footer</p>"#;
        assert_eq!(text(html), "Issue - meetings\n\nBody text");
        // A class that merely starts with mgContent is not a container.
        assert_eq!(text("<p>Intro</p><span class=\"mgContentTitle\">Heading</span>"), "Intro\n\nHeading");
        // An empty container does not hide the page.
        assert_eq!(text("<div id=\"mgContent\"></div><p>Elsewhere</p>"), "Elsewhere");
    }

    #[test]
    fn entities_and_nbsp() {
        assert_eq!(
            text("<p>Children&rsquo;s&nbsp;services &amp; &pound;5 &ndash; ok</p><p>&nbsp;</p><p>next</p>"),
            "Children’s\u{a0}services & £5 – ok\n\n\u{a0}\n\nnext"
        );
    }

    #[test]
    fn malformed_html_does_not_panic() {
        for s in [
            "",
            "<",
            "<p>unclosed <b>bold <i>both</p> after",
            "</div></td></tr></table>text",
            "<table><td>cell without row",
            "<li>orphan item<li>another",
            "<<>>&&;;&#xFFFFFF;&#0;",
            "<p>a</p\n<p>b",
        ] {
            let _ = html_to_text(s);
        }
        assert_eq!(text("<li>orphan item<li>another"), "orphan item\nanother");
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        // Inline nesting keeps html5ever linear; the point is that our walk is iterative.
        let depth = 100_000;
        let mut s = String::with_capacity(depth * 13 + 20);
        for _ in 0..depth {
            s.push_str("<span>");
        }
        s.push_str("deep text");
        for _ in 0..depth {
            s.push_str("</span>");
        }
        s.push_str("<p>after</p>");
        // Run on a small stack to prove no recursion depends on nesting depth.
        let out = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || html_to_text(&s).text)
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(out, "deep text\n\nafter");
    }

    #[test]
    fn chrome_tokens() {
        for yes in [
            "mgBreadcrumb",
            "main-nav",
            "navbar",
            "skip",
            "skipLink",
            "cookie-banner",
            "mgMenu",
            "site_navigation",
            "BreadCrumbs",
        ] {
            assert!(has_chrome_token(yes), "{yes}");
        }
        for no in ["mgContent", "canvas", "menuitems", "unavailable", "navy", "content"] {
            assert!(!has_chrome_token(no), "{no}");
        }
    }
}
