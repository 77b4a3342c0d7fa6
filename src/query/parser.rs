//! Recursive-descent parser from tokens to [`Node`]. Precedence NOT/- > AND (explicit or
//! implicit) > OR. Every rejection is a [`QueryError`] pointing at the offending text: nothing
//! the user typed is silently dropped.

use super::ast::{parse_date, FieldName, FieldValue, Node, PartialDate, Span};
use super::error::QueryError;
use super::lexer::{is_quote, lex, TokKind, Token};

/// Deeper nesting than this (parentheses and NOT chains) is refused rather than risking the stack.
pub const MAX_DEPTH: usize = 32;
/// The largest `~N` on a phrase.
pub const MAX_SLOP: u32 = 100;
/// Shorter prefixes match too many words to be useful (and expand to huge term sets).
pub const MIN_PREFIX_CHARS: usize = 3;
/// `year:` bounds.
pub const MIN_YEAR: i32 = 1900;
pub const MAX_YEAR: i32 = 2100;

type Result<T> = std::result::Result<T, QueryError>;

/// Parses a query. Nested And/Or of the same kind are flattened and a single child is returned
/// unwrapped. Errors (never panics) on anything malformed, and on a query that only excludes.
pub fn parse(query: &str) -> Result<Node> {
    if query.trim().is_empty() {
        return Err(QueryError::new(query, Span::new(0, query.len()), "empty query")
            .label("nothing to search for")
            .hint("type a word or a \"phrase\" to search for"));
    }
    let toks = lex(query)?;
    let mut p = Parser { q: query, toks, pos: 0, depth: 0, last_end: 0 };
    let node = p.parse_or()?;
    if let Some(t) = p.peek() {
        // parse_or stops only at `)` or the end, so this is a `)` with no `(`.
        return Err(p.unmatched_close(t));
    }
    check_positive(query, &node, true)?;
    Ok(node)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kw {
    And,
    Or,
    Not,
}

struct Parser<'a> {
    q: &'a str,
    toks: Vec<Token>,
    pos: usize,
    depth: usize,
    /// End of the last token consumed: composite nodes span from their first token to here.
    last_end: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<Token> {
        self.toks.get(self.pos).copied()
    }

    /// The next token if nothing separates it from the previous one.
    fn peek_adjacent(&self) -> Option<Token> {
        self.peek().filter(|t| !t.spaced)
    }

    fn bump(&mut self) -> Option<Token> {
        let t = self.peek()?;
        self.pos += 1;
        self.last_end = t.span.end;
        Some(t)
    }

    fn text(&self, t: Token) -> &'a str {
        t.inner.slice(self.q)
    }

    fn kw(&self, t: Token) -> Option<Kw> {
        if t.kind != TokKind::Word {
            return None;
        }
        match self.text(t) {
            "AND" => Some(Kw::And),
            "OR" => Some(Kw::Or),
            "NOT" => Some(Kw::Not),
            _ => None,
        }
    }

    fn err(&self, span: Span, message: impl Into<String>) -> QueryError {
        QueryError::new(self.q, span, message)
    }

    fn end_span(&self) -> Span {
        Span::new(self.q.len(), self.q.len())
    }

    fn nested<T>(&mut self, at: Span, f: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        if self.depth >= MAX_DEPTH {
            return Err(self
                .err(at, format!("the query is nested too deeply (more than {MAX_DEPTH} levels)"))
                .label("too deep from here")
                .hint("remove some parentheses or NOTs"));
        }
        self.depth += 1;
        let r = f(self);
        self.depth -= 1;
        r
    }

    fn unmatched_close(&self, t: Token) -> QueryError {
        self.err(t.span, "unbalanced parenthesis: `)` without a matching `(`")
            .label("this parenthesis is never opened")
            .hint("remove it, or add a `(` where the group starts")
    }

    fn unmatched_open(&self, t: Token) -> QueryError {
        self.err(t.span, "unbalanced parenthesis: `(` without a matching `)`")
            .label("this parenthesis is never closed")
            .hint("add a `)` where the group ends")
    }

    /// After `AND`, `OR` or `NOT` there must be something to apply it to.
    fn expect_operand(&self, op: Token) -> Result<()> {
        let name = self.text(op);
        match self.peek() {
            None => Err(self
                .err(op.span, format!("`{name}` at the end of the query"))
                .label(format!("`{name}` needs a term after it"))
                .hint(format!("add a term after `{name}` or remove it"))),
            Some(t) if t.kind == TokKind::RParen => Err(self
                .err(op.span, format!("`{name}` at the end of a group"))
                .label(format!("`{name}` needs a term after it"))
                .hint(format!("add a term after `{name}` or remove it"))),
            Some(t) if matches!(self.kw(t), Some(Kw::And | Kw::Or)) => {
                let next = self.text(t);
                Err(self
                    .err(op.span.to(t.span), format!("two operators in a row: `{name} {next}`"))
                    .label("nothing between these")
                    .hint(format!("remove one of them; lower-case `{}` searches for the word", next.to_lowercase())))
            }
            Some(_) => Ok(()),
        }
    }

    fn leading_operator(&self, t: Token) -> QueryError {
        let name = self.text(t);
        self.err(t.span, format!("`{name}` needs a term before it")).label("nothing on this side").hint(format!(
            "add a term before `{name}` or remove it; lower-case `{}` searches for the word",
            name.to_lowercase()
        ))
    }

    /// `or_expr = and_expr { "OR" and_expr }`
    fn parse_or(&mut self) -> Result<Node> {
        let start = self.peek().map_or(self.q.len(), |t| t.span.start);
        let mut children = vec![self.parse_and()?];
        while let Some(t) = self.peek() {
            if self.kw(t) != Some(Kw::Or) {
                break;
            }
            self.bump();
            self.expect_operand(t)?;
            children.push(self.parse_and()?);
        }
        Ok(build(children, false, Span::new(start, self.last_end)))
    }

    /// `and_expr = unary { ["AND"] unary }`: stops before `OR`, `)` or the end.
    fn parse_and(&mut self) -> Result<Node> {
        let start = self.peek().map_or(self.q.len(), |t| t.span.start);
        let mut children = Vec::new();
        while let Some(t) = self.peek() {
            if t.kind == TokKind::RParen {
                break;
            }
            match self.kw(t) {
                Some(Kw::Or) if children.is_empty() => return Err(self.leading_operator(t)),
                Some(Kw::Or) => break,
                Some(Kw::And) if children.is_empty() => return Err(self.leading_operator(t)),
                Some(Kw::And) => {
                    self.bump();
                    self.expect_operand(t)?;
                }
                _ => {}
            }
            children.push(self.parse_unary()?);
        }
        if children.is_empty() {
            return Err(match self.peek() {
                Some(t) => self.unmatched_close(t),
                None => self.err(self.end_span(), "expected a term"),
            });
        }
        Ok(build(children, true, Span::new(start, self.last_end)))
    }

    /// `unary = "NOT" unary | "-" primary | "+" primary | primary`, the sign touching its operand.
    fn parse_unary(&mut self) -> Result<Node> {
        let Some(t) = self.peek() else {
            return Err(self.err(self.end_span(), "expected a term"));
        };
        if self.kw(t) == Some(Kw::Not) {
            self.bump();
            self.expect_operand(t)?;
            let child = self.nested(t.span, |p| p.parse_unary())?;
            return Ok(Node::Not { child: Box::new(child), span: Span::new(t.span.start, self.last_end) });
        }
        if matches!(t.kind, TokKind::Minus | TokKind::Plus) {
            self.bump();
            let sign = if t.kind == TokKind::Minus { "-" } else { "+" };
            let ok = self.peek_adjacent().is_some_and(|n| match n.kind {
                TokKind::Phrase | TokKind::LParen => true,
                TokKind::Word => self.kw(n).is_none(),
                _ => false,
            });
            if !ok {
                let what = if sign == "-" { "exclude" } else { "require" };
                return Err(self
                    .err(t.span, format!("`{sign}` must be directly followed by a word, a phrase or a group"))
                    .label(format!("nothing to {what}"))
                    .hint(format!("write {sign}word with no space between, or remove the `{sign}`")));
            }
            let child = self.parse_primary()?;
            if sign == "+" {
                return Ok(child);
            }
            return Ok(Node::Not { child: Box::new(child), span: Span::new(t.span.start, self.last_end) });
        }
        self.parse_primary()
    }

    /// `primary = group | phrase | field | prefix | word`
    fn parse_primary(&mut self) -> Result<Node> {
        let Some(t) = self.peek() else {
            return Err(self.err(self.end_span(), "expected a term"));
        };
        match t.kind {
            TokKind::LParen => self.parse_group(t),
            TokKind::Phrase => {
                let (text, slop, span) = self.parse_phrase(t)?;
                Ok(Node::Phrase { text, slop: slop.unwrap_or(0), span })
            }
            TokKind::Word => {
                if self.kw(t).is_some() {
                    return Err(self.leading_operator(t));
                }
                if self.toks.get(self.pos + 1).is_some_and(|c| c.kind == TokKind::Colon && !c.spaced) {
                    return self.parse_field(t);
                }
                let (text, prefix) = self.parse_word(t)?;
                let span = Span::new(t.span.start, self.last_end);
                Ok(if prefix { Node::Prefix { text, span } } else { Node::Term { text, span } })
            }
            TokKind::Star => Err(self.stray_star(t)),
            TokKind::Tilde => Err(self.stray_tilde(t)),
            TokKind::Colon => Err(self.err(t.span, "`:` must follow a field name").label("no field before this").hint(
                format!("fields are {}; to search for text with a `:`, put it in quotes", FieldName::known_list()),
            )),
            TokKind::LBracket => Err(self
                .err(t.span, "stray `[`: ranges only follow date: or year:")
                .label("not after a field")
                .hint("write date:[2012 TO 2014] or year:[2012 TO 2015]")),
            TokKind::RBracket => Err(self
                .err(t.span, "stray `]` with no range open")
                .label("no `[` before this")
                .hint("ranges are written date:[2012 TO 2014]")),
            TokKind::RParen => Err(self.unmatched_close(t)),
            TokKind::Minus | TokKind::Plus => Err(self
                .err(t.span, format!("`{}` must be directly followed by a word, a phrase or a group", self.text(t)))
                .label("one sign at a time")),
        }
    }

    fn stray_star(&self, t: Token) -> QueryError {
        match self.toks.get(self.pos + 1) {
            Some(n) if !n.spaced && n.kind == TokKind::Word => self
                .err(t.span, "`*` at the start of a word is not supported")
                .label("leading wildcard")
                .hint(format!("prefix search puts the `*` at the end: {}*", self.text(*n))),
            _ => self
                .err(t.span, "`*` on its own is not a search")
                .label("not at the end of a word")
                .hint("prefix search puts the `*` right after a word: exploit*"),
        }
    }

    fn stray_tilde(&self, t: Token) -> QueryError {
        self.err(t.span, "`~` can only follow a phrase").label("not after a phrase").hint(
            "proximity is written \"missing children\"~3; fuzzy word~ is not supported (try a prefix like exploit*)",
        )
    }

    /// `group = "(" or_expr ")"`; And/Or/Not groups take the parentheses into their span.
    fn parse_group(&mut self, open: Token) -> Result<Node> {
        self.bump();
        match self.peek() {
            None => return Err(self.unmatched_open(open)),
            Some(n) if n.kind == TokKind::RParen => {
                return Err(self
                    .err(open.span.to(n.span), "empty parentheses")
                    .label("nothing inside")
                    .hint("put a term inside or remove the parentheses"))
            }
            Some(_) => {}
        }
        let inner = self.nested(open.span, |p| p.parse_or())?;
        match self.peek() {
            Some(n) if n.kind == TokKind::RParen => {
                self.bump();
            }
            _ => return Err(self.unmatched_open(open)),
        }
        if let Some(n) = self.peek_adjacent() {
            match n.kind {
                TokKind::Star => {
                    return Err(self
                        .err(n.span, "`*` cannot follow a group")
                        .label("after `)`")
                        .hint("prefix search works on single words: exploit*"))
                }
                TokKind::Tilde => return Err(self.stray_tilde(n)),
                _ => {}
            }
        }
        let span = Span::new(open.span.start, self.last_end);
        Ok(match inner {
            Node::And { children, .. } => Node::And { children, span },
            Node::Or { children, .. } => Node::Or { children, span },
            Node::Not { child, .. } => Node::Not { child, span },
            leaf => leaf,
        })
    }

    /// `phrase = '"' chars '"' [ "~" digits ]`: (text, slop if `~N` was given, span).
    fn parse_phrase(&mut self, t: Token) -> Result<(String, Option<u32>, Span)> {
        self.bump();
        let text = self.text(t);
        if text.trim().is_empty() {
            return Err(self
                .err(t.span, "empty phrase")
                .label("nothing between the quotes")
                .hint("put words between the quotes, or remove them"));
        }
        let mut slop = None;
        if let Some(tilde) = self.peek_adjacent().filter(|n| n.kind == TokKind::Tilde) {
            self.bump();
            let Some(num) = self.peek_adjacent().filter(|n| n.kind == TokKind::Word) else {
                return Err(self
                    .err(tilde.span, "`~` must be followed directly by a number")
                    .label("no number after this")
                    .hint(format!("write \"{text}\"~3 to allow up to 3 words between")));
            };
            let digits = self.text(num);
            if !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(self
                    .err(num.span, format!("`~{digits}` is not a proximity: `~` takes a whole number"))
                    .label("not a whole number")
                    .hint(format!("write \"{text}\"~3 to allow up to 3 words between")));
            }
            match digits.parse::<u32>() {
                Ok(n) if n <= MAX_SLOP => slop = Some(n),
                _ => {
                    return Err(self
                        .err(num.span, format!("proximity ~{digits} is too large (at most {MAX_SLOP})"))
                        .label("too large")
                        .hint(format!("use a number from 0 to {MAX_SLOP}")))
                }
            }
            self.bump();
        }
        if let Some(n) = self.peek_adjacent() {
            match n.kind {
                TokKind::Star => {
                    return Err(self
                        .err(n.span, "`*` cannot follow a phrase")
                        .label("after a phrase")
                        .hint("prefix search works on single words: exploit*"))
                }
                TokKind::Tilde => return Err(self.stray_tilde(n)),
                _ => {}
            }
        }
        Ok((text.to_string(), slop, Span::new(t.span.start, self.last_end)))
    }

    /// `word [ "*" ]`: (text, is a prefix). Rejects misplaced `*`, short prefixes and `word~`.
    fn parse_word(&mut self, t: Token) -> Result<(String, bool)> {
        self.bump();
        let text = self.text(t);
        if text == "&&" || text == "||" {
            let op = if text == "&&" { "AND" } else { "OR" };
            return Err(self
                .err(t.span, format!("`{text}` is not an operator here"))
                .label(format!("write {op}"))
                .hint(format!("use {op} (upper case) between terms")));
        }
        let Some(n) = self.peek_adjacent() else {
            return Ok((text.to_string(), false));
        };
        match n.kind {
            TokKind::Star => {
                self.bump();
                if let Some(m) = self.peek_adjacent() {
                    match m.kind {
                        TokKind::Word => {
                            return Err(self
                                .err(n.span, "`*` in the middle of a word is not supported")
                                .label("only allowed at the end")
                                .hint(format!("prefix search puts the `*` at the end: {text}*")))
                        }
                        TokKind::Star => {
                            return Err(self
                                .err(m.span, "only one `*` is allowed at the end of a word")
                                .label("extra `*`")
                                .hint(format!("write {text}*")))
                        }
                        TokKind::Tilde => return Err(self.stray_tilde(m)),
                        _ => {}
                    }
                }
                if text.chars().count() < MIN_PREFIX_CHARS {
                    return Err(self
                        .err(Span::new(t.span.start, n.span.end), format!("prefix `{text}*` is too short to be useful"))
                        .label(format!("fewer than {MIN_PREFIX_CHARS} characters before the `*`"))
                        .hint(format!(
                            "use at least {MIN_PREFIX_CHARS} characters before the `*`, or the whole word"
                        )));
                }
                Ok((text.to_string(), true))
            }
            TokKind::Tilde => Err(self
                .err(n.span, "`~` can only follow a phrase")
                .label("after a single word")
                .hint(format!("fuzzy search is not supported; try a prefix like {text}* or a phrase \"{text} …\"~3"))),
            _ => Ok((text.to_string(), false)),
        }
    }

    /// `field = name ":" value`, the colon and the value touching the name.
    fn parse_field(&mut self, name_tok: Token) -> Result<Node> {
        let name = self.text(name_tok);
        let Some(colon) = self.toks.get(self.pos + 1).copied() else {
            return Err(self.err(name_tok.span, "expected `:`"));
        };
        let Some(field) = FieldName::from_name(name) else {
            return Err(self.unknown_field(name_tok, colon));
        };
        self.bump();
        self.bump();
        let head = Span::new(name_tok.span.start, colon.span.end);
        let example = field_example(field);
        let Some(v) = self.peek_adjacent() else {
            return Err(self
                .err(head, format!("`{name}:` has no value"))
                .label("a value must follow the colon directly")
                .hint(format!("write {example}, with no space after the colon")));
        };
        let value = match (field, v.kind) {
            (_, TokKind::LParen) => {
                return Err(self
                    .err(v.span, format!("`{name}:` applies to one value; it cannot be followed by `(`"))
                    .label("grouping after a field is not supported")
                    .hint(format!(
                        "repeat the field for each value ({field}:a OR {field}:b), or quote a name with spaces"
                    )))
            }
            (FieldName::Committee | FieldName::Council, TokKind::Word) => {
                self.bump();
                FieldValue::Word { text: self.text(v).to_string(), span: v.span }
            }
            (FieldName::Committee | FieldName::Council, TokKind::Phrase) => {
                let (text, slop, span) = self.parse_phrase(v)?;
                if slop.is_some() {
                    return Err(self
                        .err(Span::new(v.span.end, span.end), format!("`~` proximity does not apply to {field}: names"))
                        .label("not allowed here")
                        .hint("remove the ~N; proximity works on text and title: phrases"));
                }
                FieldValue::Phrase { text, slop: 0, span }
            }
            (FieldName::Topic, TokKind::Word) => {
                self.bump();
                let text = self.text(v);
                if !text.chars().all(|c| c.is_alphanumeric() || c == '_') {
                    return Err(self
                        .err(v.span, format!("`{text}` is not a topic key: keys are letters, digits and `_`"))
                        .label("not a topic key")
                        .hint(format!(
                            "did you mean topic:{}? `sgsearch topics` lists the keys",
                            topic_key_guess(text)
                        )));
                }
                FieldValue::Word { text: text.to_string(), span: v.span }
            }
            (FieldName::Topic, TokKind::Phrase) => {
                return Err(self.err(v.span, "topic: takes a topic key, not a phrase").label("quoted").hint(format!(
                    "did you mean topic:{}? `sgsearch topics` lists the keys",
                    topic_key_guess(self.text(v))
                )))
            }
            (FieldName::Title, TokKind::Word) => {
                let (text, prefix) = self.parse_word(v)?;
                let span = Span::new(v.span.start, self.last_end);
                if prefix {
                    FieldValue::Prefix { text, span }
                } else {
                    FieldValue::Word { text, span }
                }
            }
            (FieldName::Title, TokKind::Phrase) => {
                let (text, slop, span) = self.parse_phrase(v)?;
                FieldValue::Phrase { text, slop: slop.unwrap_or(0), span }
            }
            (FieldName::Date | FieldName::Year, TokKind::Word) => {
                self.bump();
                self.check_braces(v)?;
                let bound = (self.text(v), v.span);
                if field == FieldName::Date {
                    let d = self.date_bound(bound)?;
                    FieldValue::DateRange { from: Some(d), to: Some(d), span: v.span }
                } else {
                    let y = self.year_bound(bound)?;
                    FieldValue::YearRange { from: Some(y), to: Some(y), span: v.span }
                }
            }
            (FieldName::Date | FieldName::Year, TokKind::LBracket) => self.parse_range(field, v)?,
            (FieldName::Date | FieldName::Year, TokKind::Phrase) => {
                return Err(self
                    .err(v.span, format!("{field}: takes a {} or a range, not a quoted string", unit(field)))
                    .label("quoted")
                    .hint(format!("write {example}")))
            }
            (_, TokKind::LBracket) => {
                return Err(self
                    .err(v.span, format!("ranges only apply to date: and year:, not {field}:"))
                    .label("range not allowed here")
                    .hint(format!("write {example}")))
            }
            (_, _) => {
                return Err(self
                    .err(v.span, format!("`{name}:` needs a value here"))
                    .label("not a value")
                    .hint(format!("write {example}")))
            }
        };
        if let Some(n) = self.peek_adjacent() {
            match n.kind {
                TokKind::Star => {
                    return Err(self
                        .err(n.span, format!("`*` is not supported in {field}: values"))
                        .label("not allowed here")
                        .hint(match field {
                            FieldName::Date | FieldName::Year => {
                                "a partial date already covers the whole period: date:2013 is all of 2013"
                            }
                            _ => "remove the `*`; prefix search works on text and title: words",
                        }))
                }
                TokKind::Tilde => return Err(self.stray_tilde(n)),
                _ => {}
            }
        }
        Ok(Node::Field { field, value, span: Span::new(head.start, self.last_end) })
    }

    fn unknown_field(&self, name_tok: Token, colon: Token) -> QueryError {
        let name = self.text(name_tok);
        if name.chars().all(|c| c.is_alphabetic() || c == '_') {
            let hint = match closest_field(name) {
                Some(f) => format!("did you mean {f}:? To search for text with a `:`, put it in quotes"),
                None => "to search for text with a `:`, put it in quotes".to_string(),
            };
            self.err(name_tok.span, format!("unknown field `{name}`; known fields: {}", FieldName::known_list()))
                .label("not a field")
                .hint(hint)
        } else {
            self.err(colon.span, format!("unexpected `:` after `{name}`: a colon only follows a field name"))
                .label("not after a field")
                .hint(format!(
                    "fields are {}; to search for text with a `:`, put it in quotes",
                    FieldName::known_list()
                ))
        }
    }

    /// `{` / `}` in a range word: Lucene's exclusive ranges, which this language does not have.
    fn check_braces(&self, t: Token) -> Result<()> {
        let text = self.text(t);
        if let Some(i) = text.find(['{', '}']) {
            let at = t.span.start + i;
            return Err(self
                .err(Span::new(at, at + 1), "exclusive ranges with `{ }` are not supported")
                .label("use [ ] instead")
                .hint("ranges include both ends: date:[2012 TO 2014]"));
        }
        Ok(())
    }

    /// `range = "[" bound "TO" bound "]"`, `bound = date-or-year | "*"`.
    fn parse_range(&mut self, field: FieldName, open: Token) -> Result<FieldValue> {
        self.bump();
        let unclosed = |p: &Self| {
            p.err(open.span, "unbalanced `[`: the range is never closed")
                .label("this bracket is never closed")
                .hint(format!("close the range with `]`: {}", range_example(field)))
        };
        let from = self.range_bound(field, open, &unclosed)?;
        match self.bump() {
            None => return Err(unclosed(self)),
            Some(t) if t.kind == TokKind::Word && self.text(t) == "TO" => {}
            Some(t) if t.kind == TokKind::Word && self.text(t).eq_ignore_ascii_case("TO") => {
                return Err(self
                    .err(t.span, "write `TO` in upper case in a range")
                    .label("lower case")
                    .hint(format!("write {}", range_example(field))))
            }
            Some(t) if t.kind == TokKind::RBracket => {
                return Err(self
                    .err(open.span.to(t.span), "a range needs `TO` between its two ends")
                    .label("no `TO`")
                    .hint(format!("write {}", range_example(field))))
            }
            Some(t) => {
                return Err(self
                    .err(t.span, "expected `TO` here")
                    .label("not `TO`")
                    .hint(format!("ranges are written {}", range_example(field))))
            }
        }
        let to = self.range_bound(field, open, &unclosed)?;
        match self.bump() {
            Some(t) if t.kind == TokKind::RBracket => {}
            None => return Err(unclosed(self)),
            Some(t) => {
                return Err(self
                    .err(t.span, "expected `]` to close the range")
                    .label("not `]`")
                    .hint(format!("ranges are written {}", range_example(field))))
            }
        }
        let span = Span::new(open.span.start, self.last_end);
        if from.is_none() && to.is_none() {
            return Err(self
                .err(span, "a range needs at least one end that is not `*`")
                .label("both ends open")
                .hint(format!("remove {field}: to search all dates")));
        }
        let backwards = |p: &Self, a: String, b: String| {
            p.err(span, format!("the range is backwards: {a} is after {b}"))
                .label("start after end")
                .hint(format!("write {field}:[{b} TO {a}]"))
        };
        if field == FieldName::Date {
            let from = from.map(|b| self.date_bound(b)).transpose()?;
            let to = to.map(|b| self.date_bound(b)).transpose()?;
            if let (Some(a), Some(b)) = (from, to) {
                if a.first_day() > b.last_day() {
                    return Err(backwards(self, a.to_string(), b.to_string()));
                }
            }
            Ok(FieldValue::DateRange { from, to, span })
        } else {
            let from = from.map(|b| self.year_bound(b)).transpose()?;
            let to = to.map(|b| self.year_bound(b)).transpose()?;
            if let (Some(a), Some(b)) = (from, to) {
                if a > b {
                    return Err(backwards(self, a.to_string(), b.to_string()));
                }
            }
            Ok(FieldValue::YearRange { from, to, span })
        }
    }

    /// One end of a range: `Some((text, span))`, or `None` for `*`. Validated by the caller.
    fn range_bound(
        &mut self,
        field: FieldName,
        open: Token,
        unclosed: &dyn Fn(&Self) -> QueryError,
    ) -> Result<Option<(&'a str, Span)>> {
        match self.bump() {
            None => Err(unclosed(self)),
            Some(t) if t.kind == TokKind::Star => Ok(None),
            Some(t) if t.kind == TokKind::Word => {
                self.check_braces(t)?;
                Ok(Some((self.text(t), t.span)))
            }
            Some(t) if t.kind == TokKind::RBracket => Err(self
                .err(open.span.to(t.span), "the range is missing an end")
                .label("incomplete range")
                .hint(format!("a range has two ends, `*` for an open one: {}", range_example(field)))),
            Some(t) => Err(self
                .err(t.span, format!("expected a {} or `*` here", unit(field)))
                .label(format!("not a {}", unit(field)))
                .hint(format!("ranges are written {}", range_example(field)))),
        }
    }

    fn date_bound(&self, (text, span): (&str, Span)) -> Result<PartialDate> {
        parse_date(text).map_err(|e| {
            self.err(Span::new(span.start + e.start, span.start + e.end), e.message)
                .label("not a real date")
                .hint("dates are YYYY, YYYY-MM or YYYY-MM-DD, e.g. date:2013-05 or date:[2012 TO 2014-06]")
        })
    }

    fn year_bound(&self, (text, span): (&str, Span)) -> Result<i32> {
        let four = text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit());
        let err = |message: String, hint: String| self.err(span, message).label("not a year").hint(hint);
        if !four {
            let looks_like_date = text.get(4..).is_some_and(|rest| rest.starts_with('-'));
            return Err(if looks_like_date && parse_date(text).is_ok() {
                err(
                    format!("`{text}` is not a year"),
                    format!("year: takes a whole year; write date:{text} for a month or day"),
                )
            } else {
                err(format!("`{text}` is not a year"), format!("write a four-digit year from {MIN_YEAR} to {MAX_YEAR}"))
            });
        }
        match text.parse::<i32>() {
            Ok(y) if (MIN_YEAR..=MAX_YEAR).contains(&y) => Ok(y),
            _ => Err(err(
                format!("year {text} is out of range ({MIN_YEAR} to {MAX_YEAR})"),
                format!("write a year from {MIN_YEAR} to {MAX_YEAR}"),
            )),
        }
    }
}

/// Builds an And (`and == true`) or Or, splicing in children of the same kind and unwrapping a
/// single child.
fn build(children: Vec<Node>, and: bool, span: Span) -> Node {
    let mut flat = Vec::with_capacity(children.len());
    for c in children {
        match c {
            Node::And { children, .. } if and => flat.extend(children),
            Node::Or { children, .. } if !and => flat.extend(children),
            other => flat.push(other),
        }
    }
    if flat.len() == 1 {
        if let Some(only) = flat.pop() {
            return only;
        }
    }
    if and {
        Node::And { children: flat, span }
    } else {
        Node::Or { children: flat, span }
    }
}

/// Refuses what a search engine cannot answer: a query that only excludes, an OR alternative
/// that only excludes, and NOT of something that only excludes.
fn check_positive(query: &str, node: &Node, root: bool) -> Result<()> {
    // Children first: the innermost problem is the most precise thing to point at.
    match node {
        Node::And { children, .. } => children.iter().try_for_each(|c| check_positive(query, c, false))?,
        Node::Or { children, .. } => children.iter().try_for_each(|c| {
            check_positive(query, c, false)?;
            if c.is_positive() {
                return Ok(());
            }
            Err(QueryError::new(query, c.span(), "each side of OR needs a positive term")
                .label("this alternative only excludes")
                .hint("`a OR -b` cannot be searched; did you mean `a -b`?"))
        })?,
        Node::Not { child, .. } => {
            check_positive(query, child, false)?;
            if !child.is_positive() {
                return Err(QueryError::new(
                    query,
                    child.span(),
                    "nothing to exclude: NOT of something that only excludes",
                )
                .label("double negative")
                .hint("remove one of the NOTs / `-`"));
            }
        }
        _ => {}
    }
    if root && !node.is_positive() {
        return Err(QueryError::new(query, node.span(), "a query needs at least one positive term")
            .label("this only excludes")
            .hint("add a word to search for, e.g. `children -adoption`"));
    }
    Ok(())
}

fn unit(field: FieldName) -> &'static str {
    if field == FieldName::Year {
        "year"
    } else {
        "date"
    }
}

/// Ranges exist only for date: and year:.
fn range_example(field: FieldName) -> &'static str {
    if field == FieldName::Year {
        "year:[2012 TO 2015]"
    } else {
        "date:[2012 TO 2014-06]"
    }
}

fn field_example(field: FieldName) -> &'static str {
    match field {
        FieldName::Committee => "committee:cabinet or committee:\"Corporate Parenting Panel\"",
        FieldName::Council => "council:haringey or council:\"North Fenmere\"",
        FieldName::Topic => "topic:cse",
        FieldName::Title => "title:fostering, title:\"missing children\" or title:exploit*",
        FieldName::Date => "date:2013-05 or date:[2012 TO 2014-06]",
        FieldName::Year => "year:2013 or year:[2012 TO 2015]",
    }
}

/// `Domestic-Abuse` -> `domestic_abuse`: the likely key behind a mistyped topic.
fn topic_key_guess(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().filter(|c| !is_quote(*c)) {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_string()
}

/// A known field within two edits of a mistyped name (`comittee` -> committee).
fn closest_field(name: &str) -> Option<FieldName> {
    let name = name.to_lowercase();
    FieldName::ALL
        .into_iter()
        .map(|f| (edit_distance(&name, f.as_str()), f))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, f)| f)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}
