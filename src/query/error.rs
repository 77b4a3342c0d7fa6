//! A query error that says what and where, printed like a compiler diagnostic.

use super::ast::Span;
use serde::Serialize;
use std::fmt;

/// What is wrong (`message`), where (`span` into `query`), a short note printed after the carets
/// (`label`) and what to do about it (`hint`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueryError {
    pub message: String,
    pub span: Span,
    pub label: Option<String>,
    pub hint: Option<String>,
    pub query: String,
}

impl QueryError {
    pub(crate) fn new(query: &str, span: Span, message: impl Into<String>) -> Self {
        // Clamp so a span can never point outside the query, whatever the caller did.
        let end = span.end.min(query.len());
        let start = span.start.min(end);
        QueryError {
            message: message.into(),
            span: Span::new(start, end),
            label: None,
            hint: None,
            query: query.into(),
        }
    }

    pub(crate) fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// 0-based character (not byte) offset of `span.start`: the JSON `"position"`.
    pub fn position(&self) -> usize {
        char_offset(&self.query, self.span.start)
    }

    /// 0-based character offsets of the span, `start..end`.
    pub fn char_range(&self) -> (usize, usize) {
        (self.position(), char_offset(&self.query, self.span.end))
    }

    /// One line for JSON and logs: "message (at character N); hint".
    pub fn summary(&self) -> String {
        let mut s = format!("{} (at character {})", self.message, self.position());
        if let Some(h) = &self.hint {
            s.push_str("; ");
            s.push_str(h);
        }
        s
    }
}

/// Characters before byte offset `at`; never panics on an offset inside a character.
fn char_offset(s: &str, at: usize) -> usize {
    s.char_indices().take_while(|(i, _)| *i < at).count()
}

/// ```text
/// bad query: unbalanced quote
///   "domestic violence AND neglect
///   ^ this quote is never closed
/// hint: close the phrase with another "
/// ```
/// Every character counts as one column (tabs and newlines are shown as spaces) so the carets
/// stay under the right characters.
impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "bad query: {}", self.message)?;
        let echo: String =
            self.query.chars().map(|c| if c.is_whitespace() || c.is_control() { ' ' } else { c }).collect();
        writeln!(f, "  {}", echo.trim_end())?;
        let (start, end) = self.char_range();
        write!(f, "  {}{}", " ".repeat(start), "^".repeat(end.saturating_sub(start).max(1)))?;
        if let Some(label) = &self.label {
            write!(f, " {label}")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\nhint: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for QueryError {}
