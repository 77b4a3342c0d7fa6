//! Splits a query into tokens. Context-free: whether a word is `AND`, `TO` or a field name is the
//! parser's business. Each token records whether whitespace came before it, because the language
//! cares about adjacency (`title:x` vs `title: x`, `-x` vs `- x`, `"a b"~3`, `exploit*`).

use super::ast::Span;
use super::error::QueryError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokKind {
    /// A run of characters that are neither whitespace nor one of `"():*~[]` (nor curly quotes).
    Word,
    /// A quoted string; `inner` is the text between the quotes.
    Phrase,
    LParen,
    RParen,
    Colon,
    Star,
    Tilde,
    LBracket,
    RBracket,
    /// `-` where a word would start (inside a word, `-` is part of it: `multi-agency`).
    Minus,
    /// `+` where a word would start.
    Plus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    pub kind: TokKind,
    pub span: Span,
    /// The content: the span itself, except for a phrase (the text between its quotes).
    pub inner: Span,
    /// Whitespace (or the start of the query) comes right before this token.
    pub spaced: bool,
}

/// Straight quotes, and the curly ones word processors substitute (pasted queries have them).
pub(crate) fn is_quote(c: char) -> bool {
    matches!(c, '"' | '\u{201C}' | '\u{201D}')
}

pub(crate) fn is_word_char(c: char) -> bool {
    !c.is_whitespace() && !is_quote(c) && !matches!(c, '(' | ')' | ':' | '*' | '~' | '[' | ']')
}

pub(crate) fn lex(query: &str) -> Result<Vec<Token>, QueryError> {
    let mut toks = Vec::new();
    let mut spaced = true;
    let mut chars = query.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if c.is_whitespace() {
            spaced = true;
            continue;
        }
        let single = |kind| (kind, start + c.len_utf8(), Span::new(start, start + c.len_utf8()));
        let (kind, end, inner) = match c {
            '(' => single(TokKind::LParen),
            ')' => single(TokKind::RParen),
            ':' => single(TokKind::Colon),
            '*' => single(TokKind::Star),
            '~' => single(TokKind::Tilde),
            '[' => single(TokKind::LBracket),
            ']' => single(TokKind::RBracket),
            '-' => single(TokKind::Minus),
            '+' => single(TokKind::Plus),
            c if is_quote(c) => {
                let open = start + c.len_utf8();
                let Some((close, q)) = chars.find(|&(_, q)| is_quote(q)) else {
                    return Err(QueryError::new(query, Span::new(start, open), "unbalanced quote")
                        .label("this quote is never closed")
                        .hint("close the phrase with another \""));
                };
                (TokKind::Phrase, close + q.len_utf8(), Span::new(open, close))
            }
            _ => {
                let mut end = start + c.len_utf8();
                while let Some(&(i, w)) = chars.peek() {
                    if !is_word_char(w) {
                        break;
                    }
                    end = i + w.len_utf8();
                    chars.next();
                }
                (TokKind::Word, end, Span::new(start, end))
            }
        };
        toks.push(Token { kind, span: Span::new(start, end), inner, spaced });
        spaced = false;
    }
    Ok(toks)
}
