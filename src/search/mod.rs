//! Search: ranked items for a query, one hit per item (its best chunk), with a
//! snippet showing why it matched.

pub mod collect;
pub mod expand;

use crate::error::{Error, Result};
use crate::index::Opened;
use crate::schema::Role;
use serde::Serialize;
use std::collections::HashMap;
use std::time::Instant;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, QueryParser, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::schema::Value;
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, IndexReader, TantivyDocument, Term};

/// One ranked item.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Hit {
    pub rank: usize,
    pub score: f32,
    pub council: Option<String>,
    pub committee: Option<String>,
    pub meeting_date: Option<String>,
    pub item_number: Option<String>,
    pub item_title: Option<String>,
    pub topics: Vec<String>,
    pub snippet: String,
    pub source: String,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SearchResult {
    pub query: String,
    /// Number of matching items.
    pub total: u64,
    pub took_ms: u64,
    pub hits: Vec<Hit>,
}

/// A reader over an opened index.
pub struct Engine {
    pub opened: Opened,
    pub reader: IndexReader,
}

impl Engine {
    pub fn new(opened: Opened) -> Result<Engine> {
        let reader = opened.index.reader()?;
        Ok(Engine { opened, reader })
    }

    /// Ranked search (all terms required; title boosted; stems match).
    pub fn search(&self, query: &str, limit: usize) -> Result<SearchResult> {
        let started = Instant::now();
        let schema = &self.opened.schema;
        let f = |r| schema.fields.get(r);
        if query.trim().is_empty() {
            return Err(Error::Usage("empty query\n\nGive at least one word to search for".to_string()));
        }
        let searcher = self.reader.searcher();
        let q = self.build_query(&searcher, query)?;
        let want = limit.max(1);
        let (total, top) = searcher.search(
            &q,
            &(
                collect::DistinctItems::new(schema.name(Role::ItemId)),
                TopDocs::with_limit(want * 8 + 32).order_by_score(),
            ),
        )?;
        let mut snippets = SnippetGenerator::create(&searcher, &*q, f(Role::Text))?;
        snippets.set_max_num_chars(240);
        let mut hits = Vec::new();
        let mut seen: HashMap<String, ()> = HashMap::new();
        for (score, addr) in top {
            if hits.len() >= want {
                break;
            }
            let doc: TantivyDocument = searcher.doc(addr)?;
            let item_id = text_of(&doc, f(Role::ItemId)).unwrap_or_default();
            if seen.insert(item_id, ()).is_some() {
                continue;
            }
            hits.push(self.hit(&doc, score, hits.len() + 1, &snippets, addr));
        }
        Ok(SearchResult { query: query.to_string(), total, took_ms: started.elapsed().as_millis() as u64, hits })
    }

    /// Plain words: all required, each matching any indexed form sharing its stem,
    /// in the text or (boosted) the title. Anything else goes to tantivy's parser
    /// (the full query language replaces this).
    fn build_query(&self, searcher: &tantivy::Searcher, query: &str) -> Result<Box<dyn Query>> {
        let schema = &self.opened.schema;
        let (title, text) = (schema.fields.get(Role::Title), schema.fields.get(Role::Text));
        let operators = query.contains(['"', '*', ':', '(', ')', '-', '+'])
            || query.split_whitespace().any(|w| matches!(w, "AND" | "OR" | "NOT"));
        if operators {
            let mut parser = QueryParser::for_index(&self.opened.index, vec![title, text]);
            parser.set_conjunction_by_default();
            parser.set_field_boost(title, 2.0);
            return parser
                .parse_query(query)
                .map_err(|e| Error::Usage(format!("cannot understand the query {query:?}: {e}")));
        }
        let mut analyzer = schema.analyzer_for(Role::Text).ok_or_else(|| Error::Data("no text analyzer".into()))?;
        let mut words = Vec::new();
        analyzer.token_stream(query).process(&mut |t| words.push(t.text.clone()));
        if words.is_empty() {
            return Err(Error::Usage(format!("the query {query:?} has no words to search for")));
        }
        let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for w in words {
            let mut forms: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for v in expand::stem_variants(searcher, text, &w)? {
                for (field, boost) in [(text, 1.0f32), (title, 2.0)] {
                    let tq = TermQuery::new(Term::from_field_text(field, &v), IndexRecordOption::WithFreqs);
                    forms.push((Occur::Should, Box::new(BoostQuery::new(Box::new(tq), boost))));
                }
            }
            must.push((Occur::Must, Box::new(BooleanQuery::new(forms))));
        }
        Ok(Box::new(BooleanQuery::new(must)))
    }

    fn hit(
        &self,
        doc: &TantivyDocument,
        score: f32,
        rank: usize,
        snippets: &SnippetGenerator,
        _addr: DocAddress,
    ) -> Hit {
        let f = |r| self.opened.schema.fields.get(r);
        let text = text_of(doc, f(Role::Text)).unwrap_or_default();
        let snippet = snippets.snippet(&text);
        Hit {
            rank,
            score,
            council: text_of(doc, f(Role::Council)),
            committee: text_of(doc, f(Role::Committee)),
            meeting_date: doc
                .get_first(f(Role::MeetingDate))
                .and_then(|v| v.as_datetime())
                .and_then(|d| {
                    crate::parse::dates::Date::from_days_since_epoch(d.into_timestamp_secs().div_euclid(86_400))
                })
                .map(|d| d.to_string()),
            item_number: text_of(doc, f(Role::ItemNumber)),
            item_title: text_of(doc, f(Role::Title)),
            topics: doc.get_all(f(Role::Topics)).filter_map(|v| v.as_str().map(str::to_string)).collect(),
            snippet: highlight(snippet.fragment(), snippet.highlighted()),
            source: text_of(doc, f(Role::Source)).unwrap_or_default(),
            url: text_of(doc, f(Role::Url)),
        }
    }
}

fn text_of(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<String> {
    doc.get_first(field).and_then(|v| v.as_str()).map(str::to_string)
}

/// Wraps highlighted ranges in `[[ ]]` and flattens line breaks.
pub fn highlight(fragment: &str, ranges: &[std::ops::Range<usize>]) -> String {
    let mut out = String::with_capacity(fragment.len() + ranges.len() * 4);
    let mut at = 0;
    for r in ranges {
        if r.start < at || r.end > fragment.len() {
            continue;
        }
        out.push_str(&fragment[at..r.start]);
        out.push_str("[[");
        out.push_str(&fragment[r.clone()]);
        out.push_str("]]");
        at = r.end;
    }
    out.push_str(&fragment[at..]);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}
