//! A page as blocks, rendered either as plain text or (in `html`) as marked-up content.
//!
//! Both renderings carry the same words in the same order, so the phrase counts taken on the
//! text rendering hold for the visible text of the HTML page too.

/// How a blank separator line is written in the text rendering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blank {
    Empty,
    Space,
    Nbsp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulletStyle {
    /// `·` followed by a run of spaces, a blank line between points
    MiddleDot,
    /// `• `
    Bullet,
    /// `- `
    Dash,
}

#[derive(Debug, Clone)]
pub enum Block {
    /// Page or section heading (level 1–3).
    Heading(u8, String),
    /// Running text.
    Para(String),
    /// A label line such as "Venue: …" or an item number.
    Line(String),
    /// An extra blank line (a spacer paragraph in HTML).
    Blank,
    Bullets(Vec<String>),
    /// Header cells, then rows; an all-empty row is the bare `|` spacer line.
    Table(Vec<String>, Vec<Vec<String>>),
}

#[derive(Debug, Clone)]
pub struct Page {
    blocks: Vec<Block>,
    /// Running [`Page::approx_len`], kept so size checks stay O(1).
    len: usize,
    /// One newline between blocks instead of a blank line.
    pub compact: bool,
    pub blank: Blank,
    pub bullets: BulletStyle,
}

impl Page {
    pub fn new(compact: bool, blank: Blank, bullets: BulletStyle) -> Page {
        Page { blocks: Vec::with_capacity(64), len: 0, compact, blank, bullets }
    }

    pub fn blocks(&self) -> &[Block] {
        &self.blocks
    }

    pub fn push(&mut self, b: Block) {
        self.len += match &b {
            Block::Heading(_, s) | Block::Para(s) | Block::Line(s) => s.len() + 2,
            Block::Blank => 3,
            Block::Bullets(v) => v.iter().map(|s| s.len() + 6).sum(),
            Block::Table(h, rows) => {
                h.iter().map(|s| s.len() + 3).sum::<usize>()
                    + rows.iter().flatten().map(|s| s.len() + 3).sum::<usize>()
                    + rows.len() * 3
            }
        };
        self.blocks.push(b);
    }

    pub fn line(&mut self, s: impl Into<String>) {
        self.push(Block::Line(s.into()));
    }

    pub fn para(&mut self, s: impl Into<String>) {
        self.push(Block::Para(s.into()));
    }

    /// Rough rendered size in bytes, for size control while building.
    pub fn approx_len(&self) -> usize {
        self.len
    }

    /// Straight apostrophes become curly ones in every block (a page-wide house style).
    pub fn curl_apostrophes(&mut self) {
        let fix = |s: &mut String| {
            if s.contains('\'') {
                *s = s.replace('\'', "’");
            }
        };
        for b in &mut self.blocks {
            match b {
                Block::Heading(_, s) | Block::Para(s) | Block::Line(s) => fix(s),
                Block::Blank => {}
                Block::Bullets(v) => v.iter_mut().for_each(fix),
                Block::Table(h, rows) => {
                    h.iter_mut().for_each(fix);
                    rows.iter_mut().flatten().for_each(fix);
                }
            }
        }
    }

    /// The plain-text rendering (what a `.txt` page holds).
    pub fn render_text(&self) -> String {
        let mut out = String::with_capacity(self.approx_len() + 256);
        let sep = if self.compact { "\n" } else { "\n\n" };
        for (i, b) in self.blocks.iter().enumerate() {
            if i > 0 {
                out.push_str(sep);
            }
            match b {
                Block::Heading(_, s) | Block::Para(s) | Block::Line(s) => out.push_str(s),
                Block::Blank => out.push_str(match self.blank {
                    Blank::Empty => "",
                    Blank::Space => " ",
                    Blank::Nbsp => "\u{a0}",
                }),
                Block::Bullets(items) => {
                    for (j, it) in items.iter().enumerate() {
                        match self.bullets {
                            BulletStyle::MiddleDot => {
                                if j > 0 {
                                    out.push_str("\n\n");
                                }
                                out.push_str("·  ");
                            }
                            BulletStyle::Bullet => {
                                if j > 0 {
                                    out.push('\n');
                                }
                                out.push_str("• ");
                            }
                            BulletStyle::Dash => {
                                if j > 0 {
                                    out.push('\n');
                                }
                                out.push_str("- ");
                            }
                        }
                        out.push_str(it);
                    }
                }
                Block::Table(header, rows) => {
                    for h in header {
                        out.push_str(h);
                        out.push_str(" | ");
                    }
                    out.pop();
                    out.push('\n');
                    for _ in header {
                        out.push_str("---|");
                    }
                    for row in rows {
                        out.push('\n');
                        let cells: Vec<&str> = row.iter().map(String::as_str).filter(|c| !c.is_empty()).collect();
                        if cells.is_empty() {
                            out.push('|');
                        } else {
                            out.push_str(&cells.join(" | "));
                            out.push_str(" |");
                        }
                    }
                }
            }
        }
        out.push('\n');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_rendering_shapes() {
        let mut p = Page::new(false, Blank::Nbsp, BulletStyle::MiddleDot);
        p.push(Block::Heading(1, "Agenda item".into()));
        p.push(Block::Blank);
        p.push(Block::Bullets(vec!["One's".into(), "Two".into()]));
        p.push(Block::Table(
            vec!["No.".into(), "Item".into()],
            vec![vec![String::new(), "Apologies Minutes: None.".into()], vec![String::new(), String::new()]],
        ));
        p.curl_apostrophes();
        assert_eq!(
            p.render_text(),
            "Agenda item\n\n\u{a0}\n\n·  One’s\n\n·  Two\n\nNo. | Item |\n---|---|\nApologies Minutes: None. |\n|\n"
        );
    }
}
