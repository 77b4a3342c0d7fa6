//! The query language front end: query text -> [`Node`] tree with byte spans, or a
//! [`QueryError`] that says what is wrong and where (DESIGN.md, "Query language"). Building
//! tantivy queries from the tree, and checking topic keys against the taxonomy, happen later.
//!
//! Grammar as implemented (EBNF; tokens may be separated by whitespace unless marked `⁀`,
//! which means "directly touching, no whitespace"):
//!
//! ```text
//! query    = or_expr ;
//! or_expr  = and_expr { "OR" and_expr } ;
//! and_expr = unary { [ "AND" ] unary } ;                     (* implicit AND *)
//! unary    = "NOT" unary | "-" ⁀ primary | "+" ⁀ primary | primary ;
//! primary  = "(" or_expr ")" | phrase | field | word [ ⁀ "*" ] ;
//! phrase   = quote { any char but a quote } quote [ ⁀ "~" ⁀ slop ] ;  (* slop: digits, <= 100 *)
//! field    = name ⁀ ":" ⁀ value ;                            (* name: case-insensitive *)
//! value    = (* committee, council *) word | phrase-without-slop
//!          | (* topic *)  key                                (* letters, digits, '_' *)
//!          | (* title *)  word [ ⁀ "*" ] | phrase
//!          | (* date *)   date | "[" bound "TO" bound "]"    (* bound = date | "*" *)
//!          | (* year *)   year | "[" bound "TO" bound "]" ;  (* bound = year | "*" *)
//! date     = YYYY [ "-" M[M] [ "-" D[D] ] ] ;               (* a real date *)
//! year     = YYYY ;                                           (* 1900..=2100 *)
//! word     = wchar { wchar } ;   (* wchar: not whitespace, not one of " “ ” ( ) : * ~ [ ] ;
//!                                   a leading - or + is the operator, not part of the word *)
//! quote    = '"' | '“' | '”' ;
//! name     = "committee" | "council" | "topic" | "title" | "date" | "year" ;
//! ```
//!
//! `AND`, `OR`, `NOT` and `TO` are keywords only in upper case. Precedence: NOT/`-` > AND >
//! OR. A prefix needs at least 3 characters before its `*`. The tree is flattened (no And
//! directly in an And, no Or in an Or) and single-child groups are unwrapped. A query (and each
//! OR alternative, and each NOT operand) must contain a positive term: `NOT a`, `-a -b` and
//! `a OR -b` are errors, since the index cannot enumerate "everything but".

mod ast;
mod error;
mod lexer;
mod parser;
#[cfg(test)]
mod tests;

pub use ast::{days_in_month, is_leap_year, parse_partial_date, FieldName, FieldValue, Node, PartialDate, Span};
pub use error::QueryError;
pub use parser::{parse, MAX_DEPTH, MAX_SLOP, MAX_YEAR, MIN_PREFIX_CHARS, MIN_YEAR};
