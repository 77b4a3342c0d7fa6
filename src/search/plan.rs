//! Plan: a parsed query (and the command-line filters) turned into what the index
//! can evaluate: *atoms* (words and phrases, with the indexed forms each may take)
//! and *conditions* (committee, council, topic, dates), combined by AND/OR/NOT.
//!
//! Two modes: ranked search widens a bare word to every indexed word sharing its
//! stem; `count` and `mentions` take words as written (case and accents folded),
//! so their numbers agree with a careful reader's. Phrases are always as written.

use super::expand::stem_variants;
use crate::parse::committee::committee_key;
use crate::query::{FieldName, FieldValue, Node, PartialDate, QueryError, Span};
use crate::schema::{IndexSchema, Role};
use crate::tag::Taxonomy;
use std::collections::BTreeSet;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Searcher;

/// A prefix may stand for at most this many indexed words.
pub const MAX_PREFIX_WORDS: usize = 20_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Other forms of a word match too (exploited ~ exploitation).
    Ranked,
    /// Words as written: counts and every-mention export.
    Exact,
}

/// Words or a phrase: `slots[i]` holds the indexed words position `i` may be.
#[derive(Debug, Clone, PartialEq)]
pub struct Atom {
    /// The field that decides whether an item matches: `Text` or `Title`.
    pub role: Role,
    pub slots: Vec<Vec<String>>,
    /// For phrases: how many extra words may sit between the phrase's words.
    pub slop: u32,
    /// As typed, for messages and output.
    pub source: String,
    /// False under NOT: excluding atoms neither count nor highlight.
    pub positive: bool,
    /// A word with a trailing `*`: mentions report the word actually matched.
    pub prefix: bool,
}

impl Atom {
    pub fn is_phrase(&self) -> bool {
        self.slots.len() > 1
    }
}

/// An item-level condition on metadata.
#[derive(Debug, Clone, PartialEq)]
pub enum Cond {
    /// Items whose `role` field holds one of these exact terms.
    Terms { role: Role, terms: Vec<String> },
    /// Items with a meeting date in `from..=to` (Unix seconds; `None` is open).
    Dates { from: Option<i64>, to: Option<i64> },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    All,
    Atom(usize),
    Cond(usize),
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
}

/// A query ready to evaluate.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub expr: Expr,
    pub atoms: Vec<Atom>,
    pub conds: Vec<Cond>,
    /// Topics the query names (`topic:` or their signal phrases): such items rank higher.
    pub topics: Vec<String>,
    /// Things worth telling the user that do not stop the query.
    pub warnings: Vec<String>,
}

impl Plan {
    pub fn positive_atoms(&self) -> impl Iterator<Item = &Atom> {
        self.atoms.iter().filter(|a| a.positive)
    }
}

/// Command-line filters, ANDed with the query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub council: Option<String>,
    pub committee: Option<String>,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub from: Option<String>,
    pub to: Option<String>,
    /// Any of these topics.
    pub topics: Vec<String>,
}

impl Filters {
    /// "council: haringey · committee: cabinet · from 2012 · topic: cse" for chart subtitles.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(c) = &self.council {
            parts.push(format!("council: {c}"));
        }
        if let Some(c) = &self.committee {
            parts.push(format!("committee: {c}"));
        }
        match (&self.from, &self.to) {
            (Some(f), Some(t)) => parts.push(format!("from {f} to {t}")),
            (Some(f), None) => parts.push(format!("from {f}")),
            (None, Some(t)) => parts.push(format!("to {t}")),
            (None, None) => {}
        }
        if !self.topics.is_empty() {
            parts.push(format!("topic: {}", self.topics.join(" or ")));
        }
        parts.join(" · ")
    }
}

/// A bad filter flag: which flag, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterError(pub String);

/// Builds plans against one index snapshot.
pub struct Planner<'a> {
    pub searcher: &'a Searcher,
    pub schema: &'a IndexSchema,
    /// Loaded only when the query needs it (ranking boosts, `topic:`, `--topic`):
    /// parsing it was a fifth of a one-shot `count`.
    pub taxonomy: Option<&'a Taxonomy>,
    pub analyzer: TextAnalyzer,
    pub mode: Mode,
}

/// Why a plan could not be built.
#[derive(Debug)]
pub enum PlanError {
    Query(QueryError),
    Filter(FilterError),
    Index(tantivy::TantivyError),
}

impl From<tantivy::TantivyError> for PlanError {
    fn from(e: tantivy::TantivyError) -> Self {
        PlanError::Index(e)
    }
}

impl<'a> Planner<'a> {
    /// The plan for `query` (already parsed) with `filters`.
    pub fn plan(&mut self, query: &str, root: &Node, filters: &Filters) -> Result<Plan, PlanError> {
        let mut b = Builder {
            query,
            plan: Plan { expr: Expr::All, atoms: vec![], conds: vec![], topics: vec![], warnings: vec![] },
        };
        let mut parts = vec![self.node(&mut b, root, true)?];
        parts.extend(self.filters(&mut b, filters)?);
        b.plan.expr = if parts.len() == 1 { parts.remove(0) } else { Expr::And(parts) };
        // Topics whose signal phrases the query's own words contain.
        let words: Vec<String> = b.plan.positive_atoms().map(|a| a.source.clone()).collect();
        let named = self.taxonomy.map(|t| t.topics_in_query(&words.join(" "))).unwrap_or_default();
        for t in named {
            if !b.plan.topics.iter().any(|k| k == t) {
                b.plan.topics.push(t.to_string());
            }
        }
        Ok(b.plan)
    }

    fn node(&mut self, b: &mut Builder, n: &Node, positive: bool) -> Result<Expr, PlanError> {
        Ok(match n {
            Node::Term { text, span } => self.words(b, Role::Text, text, *span, positive, 0, false)?,
            Node::Phrase { text, slop, span } => self.phrase(b, Role::Text, text, *slop, *span, positive)?,
            Node::Prefix { text, span } => self.words(b, Role::Text, text, *span, positive, 0, true)?,
            Node::Field { field, value, span } => self.field(b, *field, value, *span, positive)?,
            Node::And { children, .. } => {
                Expr::And(children.iter().map(|c| self.node(b, c, positive)).collect::<Result<_, _>>()?)
            }
            Node::Or { children, .. } => {
                Expr::Or(children.iter().map(|c| self.node(b, c, positive)).collect::<Result<_, _>>()?)
            }
            Node::Not { child, .. } => Expr::Not(Box::new(self.node(b, child, !positive)?)),
        })
    }

    fn analyze(&mut self, text: &str) -> Vec<String> {
        let mut words = Vec::new();
        self.analyzer.token_stream(text).process(&mut |t| words.push(t.text.clone()));
        words
    }

    /// A bare word (or `word*`): one atom; several analyzer tokens ("children's")
    /// make it a phrase of them.
    #[allow(clippy::too_many_arguments)]
    fn words(
        &mut self,
        b: &mut Builder,
        role: Role,
        text: &str,
        span: Span,
        positive: bool,
        slop: u32,
        prefix: bool,
    ) -> Result<Expr, PlanError> {
        let words = self.analyze(text);
        if words.is_empty() {
            return Err(b.error(
                span,
                format!("`{text}` has no letters or digits to search for"),
                "remove it or quote a word",
            ));
        }
        let field = self.schema.fields.get(role);
        let last = words.len() - 1;
        let mut slots = Vec::with_capacity(words.len());
        for (i, w) in words.iter().enumerate() {
            let alternatives = if i == last && prefix {
                let found = prefix_words(self.searcher, field, w)?;
                if found.len() > MAX_PREFIX_WORDS {
                    return Err(b.error(
                        span,
                        format!("`{text}*` stands for {} different words", found.len()),
                        "make the prefix longer",
                    ));
                }
                found
            } else if words.len() == 1 && self.mode == Mode::Ranked {
                stem_variants(self.searcher, field, w)?
            } else {
                vec![w.clone()]
            };
            slots.push(alternatives);
        }
        let source = if prefix { format!("{text}*") } else { text.to_string() };
        Ok(b.atom(Atom { role, slots, slop, source, positive, prefix }))
    }

    fn phrase(
        &mut self,
        b: &mut Builder,
        role: Role,
        text: &str,
        slop: u32,
        span: Span,
        positive: bool,
    ) -> Result<Expr, PlanError> {
        let words = self.analyze(text);
        if words.is_empty() {
            return Err(b.error(span, format!("the phrase \"{text}\" has no letters or digits"), "remove it"));
        }
        let slots = words.into_iter().map(|w| vec![w]).collect();
        Ok(b.atom(Atom { role, slots, slop, source: format!("\"{text}\""), positive, prefix: false }))
    }

    fn field(
        &mut self,
        b: &mut Builder,
        field: FieldName,
        value: &FieldValue,
        span: Span,
        positive: bool,
    ) -> Result<Expr, PlanError> {
        match (field, value) {
            (FieldName::Title, FieldValue::Word { text, span }) => {
                self.words(b, Role::Title, text, *span, positive, 0, false)
            }
            (FieldName::Title, FieldValue::Prefix { text, span }) => {
                self.words(b, Role::Title, text, *span, positive, 0, true)
            }
            (FieldName::Title, FieldValue::Phrase { text, slop, span }) => {
                self.phrase(b, Role::Title, text, *slop, *span, positive)
            }
            (
                FieldName::Committee | FieldName::Council,
                FieldValue::Word { text, .. } | FieldValue::Phrase { text, .. },
            ) => {
                let role = if field == FieldName::Committee { Role::CommitteeKey } else { Role::CouncilKey };
                let terms = self.resolve_names(role, text)?;
                if terms.is_empty() {
                    b.plan.warnings.push(no_name_warning(field_label(role), text));
                }
                Ok(b.cond(Cond::Terms { role, terms }))
            }
            (FieldName::Topic, FieldValue::Word { text, span }) => {
                let key = self.topic_key(text).map_err(|known| {
                    b.error(*span, format!("unknown topic `{text}`"), format!("known topics: {known}"))
                })?;
                if positive && !b.plan.topics.contains(&key) {
                    b.plan.topics.push(key.clone());
                }
                Ok(b.cond(Cond::Terms { role: Role::Topics, terms: vec![key] }))
            }
            (FieldName::Date, FieldValue::DateRange { from, to, .. }) => {
                Ok(b.cond(Cond::Dates { from: from.map(|d| first_second(&d)), to: to.map(|d| last_second(&d)) }))
            }
            (FieldName::Year, FieldValue::YearRange { from, to, .. }) => {
                let y = |year: i32, month, day| PartialDate { year, month, day };
                Ok(b.cond(Cond::Dates {
                    from: from.map(|f| first_second(&y(f, None, None))),
                    to: to.map(|t| last_second(&y(t, None, None))),
                }))
            }
            (f, v) => Err(b.error(span, format!("`{f}:` does not take `{v}`"), "see the query language in the README")),
        }
    }

    /// Known committee or council keys that `name` picks: the exact key when one
    /// exists, else every key containing it (case, apostrophes, `&`/and folded).
    pub fn resolve_names(&self, role: Role, name: &str) -> tantivy::Result<Vec<String>> {
        let want = committee_key(name);
        let keys = distinct_terms(self.searcher, self.schema.fields.get(role))?;
        if keys.contains(&want) {
            return Ok(vec![want]);
        }
        Ok(keys.into_iter().filter(|k| !want.is_empty() && k.contains(&want)).collect())
    }

    fn topic_key(&self, text: &str) -> Result<String, String> {
        let key = text.trim().to_lowercase().replace('-', "_");
        match self.taxonomy {
            Some(t) if t.get(&key).is_some() => Ok(key),
            Some(t) => Err(t.topics().iter().map(|t| t.key.as_str()).collect::<Vec<_>>().join(", ")),
            None => Err("(the taxonomy was not loaded)".to_string()),
        }
    }

    fn filters(&mut self, b: &mut Builder, f: &Filters) -> Result<Vec<Expr>, PlanError> {
        let mut out = Vec::new();
        for (role, value) in [(Role::CouncilKey, &f.council), (Role::CommitteeKey, &f.committee)] {
            if let Some(v) = value {
                let terms = self.resolve_names(role, v)?;
                if terms.is_empty() {
                    b.plan.warnings.push(no_name_warning(field_label(role), v));
                }
                out.push(b.cond(Cond::Terms { role, terms }));
            }
        }
        let date = |flag: &str, v: &Option<String>, last: bool| -> Result<Option<i64>, PlanError> {
            let Some(v) = v else { return Ok(None) };
            let d = crate::query::parse_partial_date(v).map_err(|e| {
                PlanError::Filter(FilterError(format!("--{flag} {v:?}: {e}\n\nUse YYYY, YYYY-MM or YYYY-MM-DD")))
            })?;
            Ok(Some(if last { last_second(&d) } else { first_second(&d) }))
        };
        let (from, to) = (date("from", &f.from, false)?, date("to", &f.to, true)?);
        if let (Some(a), Some(z)) = (from, to) {
            if a > z {
                return Err(PlanError::Filter(FilterError(format!(
                    "--from {:?} is after --to {:?}",
                    f.from.as_deref().unwrap_or(""),
                    f.to.as_deref().unwrap_or("")
                ))));
            }
        }
        if from.is_some() || to.is_some() {
            out.push(b.cond(Cond::Dates { from, to }));
        }
        if !f.topics.is_empty() {
            let mut keys = Vec::new();
            for t in &f.topics {
                let key = self.topic_key(t).map_err(|known| {
                    PlanError::Filter(FilterError(format!("--topic {t:?} is not a topic\n\nKnown topics: {known}")))
                })?;
                if !b.plan.topics.contains(&key) {
                    b.plan.topics.push(key.clone());
                }
                keys.push(key);
            }
            out.push(b.cond(Cond::Terms { role: Role::Topics, terms: keys }));
        }
        Ok(out)
    }
}

struct Builder<'q> {
    query: &'q str,
    plan: Plan,
}

impl Builder<'_> {
    fn atom(&mut self, a: Atom) -> Expr {
        self.plan.atoms.push(a);
        Expr::Atom(self.plan.atoms.len() - 1)
    }

    fn cond(&mut self, c: Cond) -> Expr {
        self.plan.conds.push(c);
        Expr::Cond(self.plan.conds.len() - 1)
    }

    fn error(&self, span: Span, message: impl Into<String>, hint: impl Into<String>) -> PlanError {
        PlanError::Query(QueryError::new(self.query, span, message).hint(hint))
    }
}

fn field_label(role: Role) -> &'static str {
    if role == Role::CommitteeKey {
        "committee"
    } else {
        "council"
    }
}

fn no_name_warning(what: &str, name: &str) -> String {
    let list = if what == "committee" { "sgsearch committees" } else { "sgsearch committees (first column)" };
    format!("no {what} in the index matches {name:?}; `{list}` lists them")
}

/// First second of a partial date's first day (UTC).
pub fn first_second(d: &PartialDate) -> i64 {
    let (y, m, day) = d.first_day();
    crate::parse::dates::Date::new(y, m, day).map_or(i64::MIN, |d| d.unix_seconds())
}

/// Last second of a partial date's last day (UTC).
pub fn last_second(d: &PartialDate) -> i64 {
    let (y, m, day) = d.last_day();
    crate::parse::dates::Date::new(y, m, day).map_or(i64::MAX, |d| d.unix_seconds() + 86_399)
}

/// Every distinct term of a raw field, across segments.
pub fn distinct_terms(searcher: &Searcher, field: tantivy::schema::Field) -> tantivy::Result<BTreeSet<String>> {
    let mut out = BTreeSet::new();
    for seg in searcher.segment_readers() {
        let inverted = seg.inverted_index(field)?;
        let mut stream = inverted.terms().stream()?;
        while stream.advance() {
            if let Ok(s) = std::str::from_utf8(stream.key()) {
                out.insert(s.to_string());
            }
        }
    }
    Ok(out)
}

/// Every indexed word of `field` starting with `prefix`.
pub fn prefix_words(searcher: &Searcher, field: tantivy::schema::Field, prefix: &str) -> tantivy::Result<Vec<String>> {
    let mut out = BTreeSet::new();
    let mut upper = prefix.as_bytes().to_vec();
    upper.push(0xFF);
    for seg in searcher.segment_readers() {
        let inverted = seg.inverted_index(field)?;
        let mut stream = inverted.terms().range().ge(prefix.as_bytes()).lt(&upper).into_stream()?;
        while stream.advance() {
            if let Ok(s) = std::str::from_utf8(stream.key()) {
                out.insert(s.to_string());
            }
        }
    }
    Ok(out.into_iter().collect())
}
