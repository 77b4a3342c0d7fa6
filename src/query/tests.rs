//! Table tests for every construct and error, a seeded fuzz test (never panics, spans sane) and
//! print/re-parse round trips.

use super::*;

/// An unambiguous, span-free rendering of a tree for table tests.
fn sexp(n: &Node) -> String {
    fn list(tag: &str, children: &[Node]) -> String {
        let inner: Vec<String> = children.iter().map(sexp).collect();
        format!("({tag} {})", inner.join(" "))
    }
    fn phrase(text: &str, slop: u32) -> String {
        if slop > 0 {
            format!("\"{text}\"~{slop}")
        } else {
            format!("\"{text}\"")
        }
    }
    fn end<T: ToString>(v: &Option<T>) -> String {
        v.as_ref().map_or_else(|| "*".to_string(), T::to_string)
    }
    match n {
        Node::Term { text, .. } => text.clone(),
        Node::Prefix { text, .. } => format!("{text}*"),
        Node::Phrase { text, slop, .. } => phrase(text, *slop),
        Node::And { children, .. } => list("AND", children),
        Node::Or { children, .. } => list("OR", children),
        Node::Not { child, .. } => format!("(NOT {})", sexp(child)),
        Node::Field { field, value, .. } => {
            let v = match value {
                FieldValue::Word { text, .. } => text.clone(),
                FieldValue::Phrase { text, slop, .. } => phrase(text, *slop),
                FieldValue::Prefix { text, .. } => format!("{text}*"),
                FieldValue::DateRange { from, to, .. } => format!("[{}..{}]", end(from), end(to)),
                FieldValue::YearRange { from, to, .. } => format!("[{}..{}]", end(from), end(to)),
            };
            format!("{field}:{v}")
        }
    }
}

fn ok(q: &str) -> Node {
    match parse(q) {
        Ok(n) => n,
        Err(e) => panic!("{q:?} should parse, got:\n{e}"),
    }
}

/// The same tree with every span zeroed, to compare trees from different texts.
fn strip(n: &Node) -> Node {
    const Z: Span = Span::new(0, 0);
    let value = |v: &FieldValue| match v.clone() {
        FieldValue::Word { text, .. } => FieldValue::Word { text, span: Z },
        FieldValue::Phrase { text, slop, .. } => FieldValue::Phrase { text, slop, span: Z },
        FieldValue::Prefix { text, .. } => FieldValue::Prefix { text, span: Z },
        FieldValue::DateRange { from, to, .. } => FieldValue::DateRange { from, to, span: Z },
        FieldValue::YearRange { from, to, .. } => FieldValue::YearRange { from, to, span: Z },
    };
    match n {
        Node::Term { text, .. } => Node::Term { text: text.clone(), span: Z },
        Node::Prefix { text, .. } => Node::Prefix { text: text.clone(), span: Z },
        Node::Phrase { text, slop, .. } => Node::Phrase { text: text.clone(), slop: *slop, span: Z },
        Node::Field { field, value: v, .. } => Node::Field { field: *field, value: value(v), span: Z },
        Node::And { children, .. } => Node::And { children: children.iter().map(strip).collect(), span: Z },
        Node::Or { children, .. } => Node::Or { children: children.iter().map(strip).collect(), span: Z },
        Node::Not { child, .. } => Node::Not { child: Box::new(strip(child)), span: Z },
    }
}

#[test]
fn constructs_parse_to_the_expected_tree() {
    let cases: &[(&str, &str)] = &[
        // terms, phrases, proximity, prefixes
        ("domestic", "domestic"),
        ("domestic violence", "(AND domestic violence)"),
        ("\"domestic violence\"", "\"domestic violence\""),
        ("\"missing children\"~3", "\"missing children\"~3"),
        ("\"a b\"~0", "\"a b\""),
        ("\"a b\"~100", "\"a b\"~100"),
        ("\"a b\"~007", "\"a b\"~7"),
        ("\"single\"", "\"single\""),
        ("\"Keep  Case and spacing \"", "\"Keep  Case and spacing \""),
        ("\"committee:x (a) * ~ [b] AND\"", "\"committee:x (a) * ~ [b] AND\""),
        ("exploit*", "exploit*"),
        ("exp*", "exp*"),
        ("multi-agen*", "multi-agen*"),
        ("“domestic violence”", "\"domestic violence\""),
        ("”straight and curly\"", "\"straight and curly\""),
        // operators and precedence
        ("a AND b", "(AND a b)"),
        ("a OR b", "(OR a b)"),
        ("a b OR c d", "(OR (AND a b) (AND c d))"),
        ("a AND b OR c", "(OR (AND a b) c)"),
        ("a OR b AND c", "(OR a (AND b c))"),
        ("a OR b c", "(OR a (AND b c))"),
        ("NOT a b", "(AND (NOT a) b)"),
        ("NOT a AND b", "(AND (NOT a) b)"),
        ("a NOT b", "(AND a (NOT b))"),
        ("a AND NOT b", "(AND a (NOT b))"),
        ("a OR b -c", "(OR a (AND b (NOT c)))"),
        ("NOT (a OR b) c", "(AND (NOT (OR a b)) c)"),
        ("(a OR b) (c OR d)", "(AND (OR a b) (OR c d))"),
        ("a (b OR c) d", "(AND a (OR b c) d)"),
        // - and +
        ("a -b", "(AND a (NOT b))"),
        ("a -\"b c\"", "(AND a (NOT \"b c\"))"),
        ("a -(b c)", "(AND a (NOT (AND b c)))"),
        ("a -(b OR c)", "(AND a (NOT (OR b c)))"),
        ("a -exploit*", "(AND a (NOT exploit*))"),
        ("+a", "a"),
        ("+a b", "(AND a b)"),
        ("+\"a b\" c", "(AND \"a b\" c)"),
        ("+(a OR b) c", "(AND (OR a b) c)"),
        ("a+b C++", "(AND a+b C++)"),
        ("(a)-b", "(AND a (NOT b))"),
        // flattening and unwrapping
        ("(a)", "a"),
        ("((a))", "a"),
        ("(a b) c", "(AND a b c)"),
        ("a AND (b AND c)", "(AND a b c)"),
        ("a (b (c d))", "(AND a b c d)"),
        ("(a OR b) OR c", "(OR a b c)"),
        ("a OR (b OR (c OR d))", "(OR a b c d)"),
        ("((a b)) OR ((c))", "(OR (AND a b) c)"),
        // keywords are upper case only; TO is a word outside ranges
        ("and or not", "(AND and or not)"),
        ("a and b", "(AND a and b)"),
        ("TO", "TO"),
        ("TO AND x", "(AND TO x)"),
        ("Not Or And", "(AND Not Or And)"),
        ("NOT-a", "NOT-a"),
        // words
        ("children's multi-agency s47 co-ordination", "(AND children's multi-agency s47 co-ordination)"),
        ("a-b a- {x} 50% a/b", "(AND a-b a- {x} 50% a/b)"),
        ("enfants éducation 中文 😀 children’s", "(AND enfants éducation 中文 😀 children’s)"),
        ("中文字*", "中文字*"),
        ("a\tb\nc\u{a0}d\u{3000}e", "(AND a b c d e)"),
        ("a\"b c\"d", "(AND a \"b c\" d)"),
        // fields
        ("committee:cabinet", "committee:cabinet"),
        ("Committee:Cabinet", "committee:Cabinet"),
        ("COMMITTEE:\"Corporate Parenting Panel\"", "committee:\"Corporate Parenting Panel\""),
        ("committee:corporate-parenting", "committee:corporate-parenting"),
        ("council:haringey", "council:haringey"),
        ("council:\"North Fenmere\"", "council:\"North Fenmere\""),
        ("topic:cse", "topic:cse"),
        ("Topic:domestic_abuse", "topic:domestic_abuse"),
        ("title:word", "title:word"),
        ("title:\"a phrase\"", "title:\"a phrase\""),
        ("title:\"a phrase\"~2", "title:\"a phrase\"~2"),
        ("TITLE:exploit*", "title:exploit*"),
        ("title:AND", "title:AND"),
        ("date:[2012-01-01 TO 2014-12-31]", "date:[2012-01-01..2014-12-31]"),
        ("date:[2012 TO 2014-06]", "date:[2012..2014-06]"),
        ("date:[* TO 2014]", "date:[*..2014]"),
        ("date:[2012 TO *]", "date:[2012..*]"),
        ("date:[ 2012 TO 2014 ]", "date:[2012..2014]"),
        ("date:[2013-5 TO 2013-6-1]", "date:[2013-05..2013-06-01]"),
        ("date:[2014-06 TO 2014]", "date:[2014-06..2014]"),
        ("date:2013-05", "date:[2013-05..2013-05]"),
        ("date:2013", "date:[2013..2013]"),
        ("date:2012-02-29", "date:[2012-02-29..2012-02-29]"),
        ("DATE:2000-02-29", "date:[2000-02-29..2000-02-29]"),
        ("year:2013", "year:[2013..2013]"),
        ("year:[2012 TO 2015]", "year:[2012..2015]"),
        ("year:[* TO 2015]", "year:[*..2015]"),
        ("year:[2012 TO *]", "year:[2012..*]"),
        ("year:[1900 TO 2100]", "year:[1900..2100]"),
        ("year:[2013 TO 2013]", "year:[2013..2013]"),
        // fields combined with everything else
        ("-committee:cabinet neglect", "(AND (NOT committee:cabinet) neglect)"),
        (
            "neglect council:haringey year:[2012 TO *] topic:cse",
            "(AND neglect council:haringey year:[2012..*] topic:cse)",
        ),
        (
            "(title:fostering OR title:adoption) -date:2013",
            "(AND (OR title:fostering title:adoption) (NOT date:[2013..2013]))",
        ),
        ("council:North Fenmere", "(AND council:North Fenmere)"),
        ("\"a\"committee:x", "(AND \"a\" committee:x)"),
    ];
    let mut failures = Vec::new();
    for (q, want) in cases {
        match parse(q) {
            Ok(n) if sexp(&n) == *want => {}
            Ok(n) => failures.push(format!("{q:?}: got {}, want {want}", sexp(&n))),
            Err(e) => failures.push(format!("{q:?}: error {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn spans_point_at_the_source_text() {
    let s = Span::new;
    assert_eq!(
        ok("domestic violence"),
        Node::And {
            children: vec![
                Node::Term { text: "domestic".into(), span: s(0, 8) },
                Node::Term { text: "violence".into(), span: s(9, 17) },
            ],
            span: s(0, 17),
        }
    );
    assert_eq!(ok("\"missing children\"~3"), Node::Phrase { text: "missing children".into(), slop: 3, span: s(0, 20) });
    assert_eq!(ok("exploit*"), Node::Prefix { text: "exploit".into(), span: s(0, 8) });
    assert_eq!(ok("中文字*"), Node::Prefix { text: "中文字".into(), span: s(0, 10) });
    assert_eq!(ok("  +abc "), Node::Term { text: "abc".into(), span: s(3, 6) });
    // `-` is covered by the Not; a group's parentheses by the And inside it.
    assert_eq!(
        ok("-(a b) c"),
        Node::And {
            children: vec![
                Node::Not {
                    child: Box::new(Node::And {
                        children: vec![
                            Node::Term { text: "a".into(), span: s(2, 3) },
                            Node::Term { text: "b".into(), span: s(4, 5) },
                        ],
                        span: s(1, 6),
                    }),
                    span: s(0, 6),
                },
                Node::Term { text: "c".into(), span: s(7, 8) },
            ],
            span: s(0, 8),
        }
    );
    assert_eq!(ok("b NOT a").span(), s(0, 7));
    match ok("b NOT a") {
        Node::And { children, .. } => assert_eq!(children[1].span(), s(2, 7)),
        other => panic!("{other:?}"),
    }
    assert_eq!(ok("(a OR b)").span(), s(0, 8));
    assert_eq!(ok("x (a OR b) y").span(), s(0, 12));
    assert_eq!(
        ok("title:\"a b\"~2"),
        Node::Field {
            field: FieldName::Title,
            value: FieldValue::Phrase { text: "a b".into(), slop: 2, span: s(6, 13) },
            span: s(0, 13),
        }
    );
    assert_eq!(
        ok("date:[2012 TO 2014-06]"),
        Node::Field {
            field: FieldName::Date,
            value: FieldValue::DateRange {
                from: Some(PartialDate { year: 2012, month: None, day: None }),
                to: Some(PartialDate { year: 2014, month: Some(6), day: None }),
                span: s(5, 22),
            },
            span: s(0, 22),
        }
    );
    assert_eq!(
        ok("Topic:cse"),
        Node::Field {
            field: FieldName::Topic,
            value: FieldValue::Word { text: "cse".into(), span: s(6, 9) },
            span: s(0, 9)
        }
    );
    assert_eq!(
        ok("year:[* TO 2015]"),
        Node::Field {
            field: FieldName::Year,
            value: FieldValue::YearRange { from: None, to: Some(2015), span: s(5, 16) },
            span: s(0, 16),
        }
    );
}

#[test]
fn errors_say_what_and_where() {
    let deep_parens = format!("{}a{}", "(".repeat(40), ")".repeat(40));
    let deep_nots = format!("{}a", "NOT ".repeat(40));
    let cases: Vec<(&str, &str, usize, usize)> = vec![
        ("", "empty query", 0, 0),
        ("   ", "empty query", 0, 3),
        ("\t\n", "empty query", 0, 2),
        ("\"domestic violence AND neglect", "unbalanced quote", 0, 1),
        ("a \"b\" \"c", "unbalanced quote", 6, 7),
        ("“open", "unbalanced quote", 0, 3),
        ("(a b", "unbalanced parenthesis: `(`", 0, 1),
        ("((a)", "unbalanced parenthesis: `(`", 0, 1),
        ("x (a (b) c", "unbalanced parenthesis: `(`", 2, 3),
        ("a b)", "unbalanced parenthesis: `)`", 3, 4),
        ("(a))", "unbalanced parenthesis: `)`", 3, 4),
        (")", "unbalanced parenthesis: `)`", 0, 1),
        (") a", "unbalanced parenthesis: `)`", 0, 1),
        ("a ()", "empty parentheses", 2, 4),
        ("a ( )", "empty parentheses", 2, 5),
        ("\"\"", "empty phrase", 0, 2),
        ("a \" \"", "empty phrase", 2, 5),
        ("a AND", "`AND` at the end of the query", 2, 5),
        ("a OR", "`OR` at the end of the query", 2, 4),
        ("OR b", "`OR` needs a term before it", 0, 2),
        ("AND b", "`AND` needs a term before it", 0, 3),
        ("(OR b)", "`OR` needs a term before it", 1, 3),
        ("a AND OR b", "two operators in a row: `AND OR`", 2, 8),
        ("a OR OR b", "two operators in a row", 2, 7),
        ("a NOT AND b", "two operators in a row: `NOT AND`", 2, 9),
        ("NOT", "`NOT` at the end of the query", 0, 3),
        ("a NOT", "`NOT` at the end", 2, 5),
        ("(a OR) b", "`OR` at the end of a group", 3, 5),
        ("a -", "`-` must be directly followed", 2, 3),
        ("a - b", "`-` must be directly followed", 2, 3),
        ("--a", "`-` must be directly followed", 0, 1),
        ("+ a", "`+` must be directly followed", 0, 1),
        ("a -NOT b", "`-` must be directly followed", 2, 3),
        ("a -)", "`-` must be directly followed", 2, 3),
        ("a ~3", "`~` can only follow a phrase", 2, 3),
        ("word~2", "`~` can only follow a phrase", 4, 5),
        ("(a b)~2", "`~` can only follow a phrase", 5, 6),
        ("\"a b\"~", "`~` must be followed directly by a number", 5, 6),
        ("\"a b\"~ 3", "`~` must be followed directly by a number", 5, 6),
        ("\"a b\"~-3", "`~` must be followed directly by a number", 5, 6),
        ("\"a b\"~x", "not a proximity", 6, 7),
        ("\"a b\"~3.5", "not a proximity", 6, 9),
        ("\"a b\"~101", "too large (at most 100)", 6, 9),
        ("\"a b\"~99999999999999", "too large", 6, 20),
        ("\"a b\"~3~4", "`~` can only follow a phrase", 7, 8),
        ("chair:x", "unknown field `chair`; known fields: committee, council, topic, title, date, year", 0, 5),
        ("a comittee:x", "unknown field `comittee`", 2, 10),
        ("https://example.org", "unknown field `https`", 0, 5),
        ("10:30", "unexpected `:` after `10`", 2, 3),
        (":x", "`:` must follow a field name", 0, 1),
        ("a : b", "`:` must follow a field name", 2, 3),
        ("a :b", "`:` must follow a field name", 2, 3),
        ("title:a:b", "`:` must follow a field name", 7, 8),
        ("committee :x", "`:` must follow a field name", 10, 11),
        ("committee:", "`committee:` has no value", 0, 10),
        ("a Council: x", "`Council:` has no value", 2, 10),
        ("committee:(a b)", "cannot be followed by `(`", 10, 11),
        ("committee:)", "needs a value here", 10, 11),
        ("committee:-x", "needs a value here", 10, 11),
        ("title:*", "needs a value here", 6, 7),
        ("committee:\"a\"~2", "does not apply to committee: names", 13, 15),
        ("committee:cab*", "`*` is not supported in committee: values", 13, 14),
        ("council:\"\"", "empty phrase", 8, 10),
        ("topic:domestic-abuse", "not a topic key", 6, 20),
        ("topic:\"cse\"", "not a phrase", 6, 11),
        ("topic:cse~1", "`~` can only follow a phrase", 9, 10),
        ("title:", "has no value", 0, 6),
        ("title:ex*", "too short to be useful", 6, 9),
        ("title:\"a\"*", "`*` cannot follow a phrase", 9, 10),
        ("ex*", "prefix `ex*` is too short to be useful", 0, 3),
        ("a*", "too short", 0, 2),
        ("中文*", "too short", 0, 7),
        ("*exploit", "`*` at the start of a word", 0, 1),
        ("ex*ploit", "`*` in the middle of a word", 2, 3),
        ("exploit**", "only one `*`", 8, 9),
        ("exploit*~2", "`~` can only follow a phrase", 8, 9),
        ("a *", "`*` on its own", 2, 3),
        ("*", "`*` on its own", 0, 1),
        ("\"a b\"*", "`*` cannot follow a phrase", 5, 6),
        ("\"a b\"~2*", "`*` cannot follow a phrase", 7, 8),
        ("(a b)*", "`*` cannot follow a group", 5, 6),
        ("date:[2012 TO 2014", "unbalanced `[`", 5, 6),
        ("date:[2012", "unbalanced `[`", 5, 6),
        ("date:[", "unbalanced `[`", 5, 6),
        ("date:[2012 2014]", "expected `TO` here", 11, 15),
        ("date:[2012 to 2014]", "write `TO` in upper case", 11, 13),
        ("date:[2012-2014]", "a range needs `TO` between its two ends", 5, 16),
        ("date:[]", "the range is missing an end", 5, 7),
        ("date:[2012 TO]", "the range is missing an end", 5, 14),
        ("date:[2012 TO 2014 x]", "expected `]`", 19, 20),
        ("date:[(2012) TO 2014]", "expected a date or `*`", 6, 7),
        ("date:[* TO *]", "at least one end that is not `*`", 5, 13),
        ("date:2013-02-30", "February 2013 has no day 30", 13, 15),
        ("date:2012-02-30", "February 2012 has no day 30 (it has 29 days)", 13, 15),
        ("date:2013-13", "there is no month 13", 10, 12),
        ("date:2013-00", "there is no month 0", 10, 12),
        ("date:[2013-01-01 TO 2013-04-31]", "April 2013 has no day 31", 28, 30),
        ("date:13", "year must have four digits", 5, 7),
        ("date:20130", "year must have four digits", 5, 10),
        ("date:2013-", "is not a date", 5, 10),
        ("date:2013-05-01-02", "is not a date", 5, 18),
        ("date:abc", "is not a date", 5, 8),
        ("date:2013-123", "month must have one or two digits", 10, 13),
        ("date:0000", "no year 0000", 5, 9),
        ("date:[2014 TO 2012]", "the range is backwards: 2014 is after 2012", 5, 19),
        ("date:[2014-07 TO 2014-06-30]", "backwards", 5, 28),
        ("date:{2012 TO 2014}", "exclusive ranges with `{ }` are not supported", 5, 6),
        ("date:[2012 TO 2014}", "exclusive ranges", 18, 19),
        ("date:\"2013\"", "not a quoted string", 5, 11),
        ("date:2013*", "`*` is not supported in date: values", 9, 10),
        ("date:", "has no value", 0, 5),
        ("year:13", "`13` is not a year", 5, 7),
        ("year:1850", "year 1850 is out of range (1900 to 2100)", 5, 9),
        ("year:2101", "out of range", 5, 9),
        ("year:2013-05", "`2013-05` is not a year", 5, 12),
        ("year:[2015 TO 2012]", "the range is backwards: 2015 is after 2012", 5, 19),
        ("year:[* TO *]", "at least one end", 5, 13),
        ("year:[2012 TO 1800]", "out of range", 14, 18),
        ("committee:[a TO b]", "ranges only apply to date: and year:", 10, 11),
        ("a ] b", "stray `]`", 2, 3),
        ("a [ b", "stray `[`", 2, 3),
        ("a [b TO c]", "stray `[`", 2, 3),
        ("NOT a", "a query needs at least one positive term", 0, 5),
        ("-a", "at least one positive term", 0, 2),
        ("-a -b", "at least one positive term", 0, 5),
        ("NOT (a b)", "at least one positive term", 0, 9),
        ("-committee:cabinet", "at least one positive term", 0, 18),
        ("a OR -b", "each side of OR needs a positive term", 5, 7),
        ("(-a -b) OR c", "each side of OR", 0, 7),
        ("a -(-b)", "nothing to exclude", 3, 7),
        ("a NOT NOT b", "nothing to exclude", 6, 11),
        ("a && b", "`&&` is not an operator", 2, 4),
        ("a || b", "`||` is not an operator", 2, 4),
        (&deep_parens, "nested too deeply", 32, 33),
        (&deep_nots, "nested too deeply", 128, 131),
    ];
    let mut failures = Vec::new();
    for (q, want, start, end) in &cases {
        match parse(q) {
            Ok(n) => failures.push(format!("{q:?}: parsed as {}, want error {want:?}", sexp(&n))),
            Err(e) => {
                if !e.message.contains(want) || e.span != Span::new(*start, *end) {
                    failures.push(format!(
                        "{q:?}: got {:?} at {}..{}, want {want:?} at {start}..{end}",
                        e.message, e.span.start, e.span.end
                    ));
                }
                assert_eq!(e.query, *q);
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn hints_suggest_the_fix() {
    let hint = |q: &str| parse(q).err().and_then(|e| e.hint).unwrap_or_default();
    assert!(hint("comittee:cabinet").contains("did you mean committee:?"), "{}", hint("comittee:cabinet"));
    assert!(hint("years:2013").contains("did you mean year:?"));
    assert!(hint("topic:Domestic-Abuse").contains("topic:domestic_abuse"));
    assert!(hint("topic:\"child sexual exploitation\"").contains("topic:child_sexual_exploitation"));
    assert!(hint("year:2013-05").contains("date:2013-05"));
    assert!(hint("date:[2014 TO 2012]").contains("date:[2012 TO 2014]"));
    assert!(hint("a OR NOT b").contains("a -b"));
    assert!(hint("a AND OR b").contains("lower-case `or`"));
    assert!(hint("*exploit").contains("exploit*"));
}

#[test]
fn display_is_compiler_style() {
    let e = parse("\"domestic violence AND neglect").unwrap_err();
    assert_eq!(
        e.to_string(),
        "bad query: unbalanced quote\n  \"domestic violence AND neglect\n  ^ this quote is never closed\nhint: close the phrase with another \""
    );
    // Carets count characters, not bytes, and underline the whole span.
    let e = parse("中文 chair:x").unwrap_err();
    assert_eq!(e.position(), 3);
    assert_eq!(e.char_range(), (3, 8));
    let caret_line = e.to_string().lines().nth(2).unwrap_or_default().to_string();
    assert_eq!(caret_line, "     ^^^^^ not a field");
    // Tabs and newlines are shown as one space each so the columns still line up.
    let e = parse("a\t\nb chair:x").unwrap_err();
    let lines: Vec<String> = e.to_string().lines().map(str::to_string).collect();
    assert_eq!(lines[1], "  a  b chair:x");
    assert_eq!(lines[2], "       ^^^^^ not a field");
    // A span at the very end still gets a caret.
    let e = parse("a AND").unwrap_err();
    assert!(e.to_string().contains("\n    ^^^ `AND` needs a term after it"), "{e}");
    let e = parse("").unwrap_err();
    assert_eq!(e.position(), 0);
    assert!(e.to_string().contains("\n  ^ nothing to search for"));
    assert_eq!(parse("é chair:x").unwrap_err().summary(), {
        "unknown field `chair`; known fields: committee, council, topic, title, date, year (at character 2); \
         to search for text with a `:`, put it in quotes"
    });
    // A hand-made error with a nonsense span must not panic either.
    let odd = QueryError { message: "m".into(), span: Span::new(9, 3), label: None, hint: None, query: "é".into() };
    let _ = odd.to_string();
    assert!(odd.position() <= 1);
}

#[test]
fn partial_dates_and_their_bounds() {
    let d = |y, m, d| PartialDate { year: y, month: m, day: d };
    assert_eq!(parse_partial_date("2013"), Ok(d(2013, None, None)));
    assert_eq!(parse_partial_date(" 2013-05 "), Ok(d(2013, Some(5), None)));
    assert_eq!(parse_partial_date("2013-5-7"), Ok(d(2013, Some(5), Some(7))));
    assert_eq!(parse_partial_date("2012-02-29"), Ok(d(2012, Some(2), Some(29))));
    assert!(parse_partial_date("2013-02-29").unwrap_err().contains("February 2013 has no day 29"));
    assert!(parse_partial_date("1900-02-29").is_err());
    assert!(parse_partial_date("2000-02-29").is_ok());
    assert!(parse_partial_date("2013-13").unwrap_err().contains("no month 13"));
    assert!(parse_partial_date("13").unwrap_err().contains("four digits"));
    assert!(parse_partial_date("").is_err());
    assert!(parse_partial_date("2013/05").unwrap_err().contains("YYYY-MM-DD"));
    assert!(parse_partial_date("２０１３").is_err());

    assert_eq!(d(2013, None, None).first_day(), (2013, 1, 1));
    assert_eq!(d(2013, None, None).last_day(), (2013, 12, 31));
    assert_eq!(d(2012, Some(2), None).last_day(), (2012, 2, 29));
    assert_eq!(d(2013, Some(2), None).last_day(), (2013, 2, 28));
    assert_eq!(d(1900, Some(2), None).last_day(), (1900, 2, 28));
    assert_eq!(d(2000, Some(2), None).last_day(), (2000, 2, 29));
    assert_eq!(d(2014, Some(4), None).last_day(), (2014, 4, 30));
    assert_eq!(d(2014, Some(4), None).first_day(), (2014, 4, 1));
    assert_eq!(d(2014, Some(4), Some(9)).first_day(), (2014, 4, 9));
    assert_eq!(d(2014, Some(4), Some(9)).last_day(), (2014, 4, 9));
    assert_eq!(d(2014, Some(4), Some(9)).to_string(), "2014-04-09");
}

#[test]
fn field_names_are_case_insensitive_and_listed() {
    assert_eq!(FieldName::from_name("CoMmItTeE"), Some(FieldName::Committee));
    assert_eq!(FieldName::from_name("chair"), None);
    assert_eq!(FieldName::known_list(), "committee, council, topic, title, date, year");
    for f in FieldName::ALL {
        assert_eq!(FieldName::from_name(&f.as_str().to_uppercase()), Some(f));
    }
}

#[test]
fn printing_gives_query_syntax() {
    let cases = [
        ("a b OR c d", "a b OR c d"),
        ("a (b OR c)", "a (b OR c)"),
        ("NOT a b", "-a b"),
        ("a -(b c) -(d OR e)", "a -(b c) -(d OR e)"),
        ("Committee:\"Corporate Parenting\"", "committee:\"Corporate Parenting\""),
        ("date:[2012 TO *] year:2013 date:2013-5", "date:[2012 TO *] year:2013 date:2013-05"),
        ("title:\"a b\"~2 exploit* \"c\"~0", "title:\"a b\"~2 exploit* \"c\""),
        ("“curly”", "\"curly\""),
    ];
    for (q, want) in cases {
        assert_eq!(ok(q).to_query(), want, "{q}");
    }
}

/// SplitMix64: small, seeded, good enough to drive the generators.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Pieces weighted toward the syntax: (text, weight).
const PIECES: &[(&str, usize)] = &[
    ("\"", 8),
    ("“", 1),
    ("”", 1),
    ("(", 6),
    (")", 6),
    (":", 5),
    ("*", 5),
    ("~", 5),
    ("[", 4),
    ("]", 4),
    ("{", 1),
    ("}", 1),
    ("-", 5),
    ("+", 3),
    ("AND", 4),
    ("OR", 4),
    ("NOT", 4),
    ("TO", 4),
    ("and", 1),
    ("committee", 3),
    ("council", 2),
    ("topic", 2),
    ("title", 3),
    ("date", 3),
    ("year", 3),
    ("Date", 1),
    ("chair", 1),
    ("0", 2),
    ("1", 2),
    ("3", 2),
    ("9", 1),
    ("100", 1),
    ("2013", 3),
    ("2013-05", 2),
    ("2012-01-01", 2),
    ("2013-02-30", 1),
    ("1850", 1),
    (" ", 25),
    ("\t", 2),
    ("\n", 2),
    ("a", 4),
    ("b", 3),
    ("x", 2),
    ("ex", 2),
    ("exploit", 3),
    ("children's", 1),
    ("cse", 1),
    ("é", 2),
    ("’", 2),
    ("中", 2),
    ("😀", 2),
    ("&&", 1),
];

fn random_query(rng: &mut Rng, total_weight: usize, max_pieces: usize) -> String {
    let mut s = String::new();
    for _ in 0..rng.below(max_pieces) {
        let mut r = rng.below(total_weight);
        for (piece, w) in PIECES {
            if r < *w {
                s.push_str(piece);
                break;
            }
            r -= w;
        }
    }
    s
}

fn check_span(q: &str, span: Span, parent: Span, what: &str) {
    assert!(span.start <= span.end && span.end <= q.len(), "{what} span {span:?} outside {q:?}");
    assert!(
        q.is_char_boundary(span.start) && q.is_char_boundary(span.end),
        "{what} span {span:?} splits a char in {q:?}"
    );
    assert!(parent.contains(span), "{what} span {span:?} outside its parent {parent:?} in {q:?}");
}

fn check_tree(q: &str, n: &Node, parent: Span) {
    let span = n.span();
    check_span(q, span, parent, "node");
    match n {
        Node::And { children, .. } | Node::Or { children, .. } => {
            assert!(children.len() >= 2, "{q:?}: a group of {}", children.len());
            for c in children {
                let same_kind =
                    matches!((n, c), (Node::And { .. }, Node::And { .. }) | (Node::Or { .. }, Node::Or { .. }));
                assert!(!same_kind, "{q:?}: not flattened");
                check_tree(q, c, span);
            }
        }
        Node::Not { child, .. } => check_tree(q, child, span),
        Node::Field { value, .. } => check_span(q, value.span(), span, "field value"),
        Node::Term { text, .. } | Node::Prefix { text, .. } | Node::Phrase { text, .. } => {
            assert!(span.slice(q).contains(text.as_str()), "{q:?}: {text:?} not under its span {span:?}")
        }
    }
}

#[test]
fn random_queries_never_panic_and_spans_are_sane() {
    let started = std::time::Instant::now();
    let total_weight: usize = PIECES.iter().map(|(_, w)| w).sum();
    let mut rng = Rng(0x5EED_2026);
    let (mut oks, mut errs) = (0usize, 0usize);
    for case in 0..200_000 {
        // Mostly short queries; every tenth a long one, to reach deep nesting and long chains.
        let q = random_query(&mut rng, total_weight, if case % 10 == 0 { 80 } else { 14 });
        match parse(&q) {
            Ok(n) => {
                oks += 1;
                check_tree(&q, &n, Span::new(0, q.len()));
                // Printing and re-parsing gives the same tree.
                let printed = n.to_query();
                match parse(&printed) {
                    Ok(again) => assert_eq!(strip(&again), strip(&n), "{q:?} printed as {printed:?}"),
                    Err(e) => panic!("{q:?} printed as {printed:?} does not parse:\n{e}"),
                }
            }
            Err(e) => {
                errs += 1;
                check_span(&q, e.span, Span::new(0, q.len()), "error");
                assert!(e.position() <= q.chars().count());
                assert!(!e.message.is_empty());
                let shown = e.to_string();
                assert!(shown.starts_with("bad query: "));
                assert_eq!(e.query, q);
            }
        }
    }
    // Both paths must be exercised for the test to mean anything.
    assert!(oks > 10_000 && errs > 10_000, "ok {oks}, err {errs}");
    eprintln!("fuzz: {oks} ok, {errs} errors in {:?}", started.elapsed());
}

const WORDS: &[&str] = &[
    "children",
    "neglect",
    "Domestic",
    "s47",
    "children's",
    "multi-agency",
    "and",
    "or",
    "not",
    "TO",
    "éducation",
    "中文",
    "C++",
    "a-",
    "50%",
];

fn gen_leaf(rng: &mut Rng) -> Node {
    const Z: Span = Span::new(0, 0);
    let word = |rng: &mut Rng| rng.pick(WORDS).to_string();
    let phrase = |rng: &mut Rng| {
        let n = 1 + rng.below(3);
        (0..n).map(|_| *rng.pick(WORDS)).collect::<Vec<_>>().join(" ")
    };
    let date = |rng: &mut Rng| {
        let year = 1995 + rng.below(30) as i32;
        let month = rng.chance(60).then(|| 1 + rng.below(12) as u32);
        let day = month.filter(|_| rng.chance(50)).map(|m| 1 + rng.below(days_in_month(year, m) as usize) as u32);
        PartialDate { year, month, day }
    };
    match rng.below(10) {
        0..=2 => Node::Term { text: word(rng), span: Z },
        3 => Node::Prefix { text: rng.pick(&["exploit", "multi-agen", "中文字", "child"]).to_string(), span: Z },
        4 => Node::Phrase { text: phrase(rng), slop: if rng.chance(50) { rng.below(101) as u32 } else { 0 }, span: Z },
        _ => {
            let field = *rng.pick(&FieldName::ALL);
            let value = match field {
                FieldName::Committee | FieldName::Council if rng.chance(50) => {
                    FieldValue::Phrase { text: phrase(rng), slop: 0, span: Z }
                }
                FieldName::Committee | FieldName::Council => FieldValue::Word { text: word(rng), span: Z },
                FieldName::Topic => FieldValue::Word {
                    text: rng.pick(&["cse", "domestic_abuse", "Missing", "lado"]).to_string(),
                    span: Z,
                },
                FieldName::Title => match rng.below(3) {
                    0 => FieldValue::Word { text: word(rng), span: Z },
                    1 => FieldValue::Prefix { text: "exploit".into(), span: Z },
                    _ => FieldValue::Phrase { text: phrase(rng), slop: rng.below(5) as u32, span: Z },
                },
                FieldName::Date => {
                    let (a, b) = (date(rng), date(rng));
                    let (a, b) = if a.first_day() <= b.last_day() { (a, b) } else { (b, a) };
                    match rng.below(4) {
                        0 => FieldValue::DateRange { from: Some(a), to: Some(a), span: Z },
                        1 => FieldValue::DateRange { from: None, to: Some(b), span: Z },
                        2 => FieldValue::DateRange { from: Some(a), to: None, span: Z },
                        _ => FieldValue::DateRange { from: Some(a), to: Some(b), span: Z },
                    }
                }
                FieldName::Year => {
                    let (a, b) = (1900 + rng.below(201) as i32, 1900 + rng.below(201) as i32);
                    let (a, b) = (a.min(b), a.max(b));
                    match rng.below(3) {
                        0 => FieldValue::YearRange { from: Some(a), to: Some(a), span: Z },
                        1 => FieldValue::YearRange { from: rng.chance(50).then_some(a), to: Some(b), span: Z },
                        _ => FieldValue::YearRange { from: Some(a), to: rng.chance(50).then_some(b), span: Z },
                    }
                }
            };
            Node::Field { field, value, span: Z }
        }
    }
}

/// A random tree the parser can produce: flattened, every And with a positive child, every Or
/// alternative and NOT operand positive.
fn gen_positive(rng: &mut Rng, depth: usize, in_and: bool, in_or: bool) -> Node {
    const Z: Span = Span::new(0, 0);
    if depth == 0 || rng.chance(40) {
        return gen_leaf(rng);
    }
    let want_and = if in_and {
        false
    } else if in_or {
        true
    } else {
        rng.chance(50)
    };
    if want_and {
        let n = 2 + rng.below(3);
        let positive_at = rng.below(n);
        let children = (0..n)
            .map(|i| {
                if i != positive_at && rng.chance(30) {
                    Node::Not { child: Box::new(gen_positive(rng, depth - 1, false, false)), span: Z }
                } else {
                    gen_positive(rng, depth - 1, true, false)
                }
            })
            .collect();
        Node::And { children, span: Z }
    } else {
        let n = 2 + rng.below(2);
        Node::Or { children: (0..n).map(|_| gen_positive(rng, depth - 1, false, true)).collect(), span: Z }
    }
}

#[test]
fn generated_trees_round_trip_through_query_syntax() {
    let mut rng = Rng(42);
    for _ in 0..20_000 {
        let tree = gen_positive(&mut rng, 4, false, false);
        let q = tree.to_query();
        match parse(&q) {
            Ok(n) => {
                assert_eq!(strip(&n), tree, "{q:?}");
                check_tree(&q, &n, Span::new(0, q.len()));
            }
            Err(e) => panic!("generated {q:?} does not parse:\n{e}"),
        }
    }
}
