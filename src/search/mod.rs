//! Search: the read path. A query is parsed ([`crate::query`]), planned
//! ([`plan`]), evaluated per item ([`eval`]), then ranked ([`rank`]), counted
//! ([`buckets`]) or listed occurrence by occurrence ([`mentions`]).
//!
//! `search` ranks items and widens words to their other forms; `count` and
//! `mentions` take words as written, so `count` equals the number of rows
//! `mentions` prints for the same query and filters.

pub mod buckets;
pub mod crew;
pub mod eval;
pub mod expand;
pub mod listing;
pub mod locate;
pub mod mentions;
pub mod plan;
pub mod rank;
pub mod snippet;
pub mod stored;

use crate::error::{Error, Result};
use crate::index::Opened;
use crate::schema::{IndexSchema, Role};
use crate::tag::Taxonomy;
use buckets::{Bucket, By, Tally};
use eval::{ItemSet, SegmentView};
use plan::{Filters, Mode, Plan, PlanError, Planner};
use rank::{Ranked, Sort, TopItems};
use serde::Serialize;
use std::sync::Arc;
use std::time::Instant;
use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{IndexReader, Searcher, TantivyDocument, Term};

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
    pub item_id: String,
}

/// Counts of the matching items, like Elasticsearch aggregations.
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct Facets {
    pub council: Vec<Facet>,
    pub committee: Vec<Facet>,
    pub topic: Vec<Facet>,
    pub year: Vec<Facet>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Facet {
    pub key: String,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SearchResult {
    pub query: String,
    /// Number of matching items.
    pub total: u64,
    /// The only field that differs between two runs of the same query.
    pub took_ms: u64,
    pub hits: Vec<Hit>,
    pub facets: Facets,
    #[serde(skip)]
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CountResult {
    pub query: String,
    pub items: u64,
    pub mentions: u64,
    pub buckets: Vec<Bucket>,
    #[serde(skip)]
    pub warnings: Vec<String>,
}

/// What to search for and how to order it.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub query: String,
    pub filters: Filters,
    pub sort: Sort,
    pub limit: usize,
    pub offset: usize,
    pub recent: bool,
    /// Count the matching items by council, committee, topic and year too.
    pub facets: bool,
    /// Make a snippet for each hit.
    pub snippets: bool,
    /// Score every chunk of every matching item, on one thread: no pruning, no
    /// filter-driven scoring. The same hits, slower; tests check the shortcuts
    /// against it.
    pub exhaustive: bool,
}

/// Ranking scores only the chunks of the matching items when the query's words
/// are in this many times more chunks than there are matching items.
const SELECTIVE: u64 = 4;

/// A query spreads its segments over the cores when its words are in at least
/// this many chunks.
const PARALLEL_POSTINGS: u64 = 5_000;

/// Whether an item can match `e` without holding any of its words: a filter or
/// a negation in an OR (`neglect OR topic:cse`).
fn matches_without_words(e: &plan::Expr) -> bool {
    use plan::Expr;
    match e {
        Expr::Atom(_) => false,
        Expr::Cond(_) | Expr::All | Expr::Not(_) => true,
        Expr::And(children) => children.iter().filter(|c| !matches!(c, Expr::Not(_))).all(matches_without_words),
        Expr::Or(children) => children.iter().any(matches_without_words),
    }
}

/// The chunks holding the words of `atoms` in the text, summed over words and
/// segments: what walking their postings costs.
fn text_postings<'a>(searcher: &Searcher, schema: &IndexSchema, atoms: impl Iterator<Item = &'a plan::Atom>) -> u64 {
    let text = schema.fields.get(Role::Text);
    atoms
        .flat_map(|a| a.slots.iter().flatten())
        .map(|w| searcher.doc_freq(&Term::from_field_text(text, w)).unwrap_or(0))
        .sum()
}

/// Runs `f` on every segment of `searcher`, results in segment order; with
/// `parallel`, on the calling thread and the [`crew`]'s helpers, biggest
/// segments first so that the last to finish is a small one.
fn per_segment<T: Send>(
    searcher: &Searcher,
    parallel: bool,
    f: impl Fn(tantivy::SegmentOrdinal, &tantivy::SegmentReader) -> Result<T> + Sync,
) -> Result<Vec<T>> {
    let readers = searcher.segment_readers();
    if !parallel || readers.len() < 2 || crew::threads() < 2 {
        return readers.iter().enumerate().map(|(i, r)| f(i as tantivy::SegmentOrdinal, r)).collect();
    }
    let mut order: Vec<usize> = (0..readers.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(readers[i].max_doc()));
    let mut done = crew::map(order.len(), |k| (order[k], f(order[k] as tantivy::SegmentOrdinal, &readers[order[k]])));
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// A reader over an opened index, with its taxonomy.
pub struct Engine {
    pub opened: Opened,
    pub reader: IndexReader,
    pub schema: Arc<IndexSchema>,
    taxonomy: std::sync::OnceLock<Taxonomy>,
    /// Per-segment columns, opened once for all the queries of this engine.
    pub columns: Arc<eval::ColumnCache>,
    /// Per-segment chunk texts, opened once for all the queries of this engine.
    pub texts: Arc<crate::index::texts::TextsCache>,
    /// Large queries spread their segments over the cores (on by default; a
    /// batch already runs one query per core).
    pub parallel: bool,
    /// What "large" means: the query's words are in this many chunks.
    pub parallel_postings: u64,
    /// `mentions` reads document-store blocks itself ([`crate::index::blocks`]);
    /// off, through tantivy's store reader (the same rows; tests compare them).
    pub direct_store: bool,
    /// `mentions` reads the stored values in place ([`stored::for_each_text_bytes`]);
    /// off, through tantivy's documents, its fallback (the same rows; tests compare them).
    pub stored_in_place: bool,
    /// `mentions` takes the index's word that an item's text is ASCII (the
    /// `ascii_words` column) instead of checking the text; off, it checks every
    /// text (the same rows; tests compare them).
    pub trust_ascii_words: bool,
}

impl Engine {
    pub fn new(opened: Opened) -> Result<Engine> {
        let reader = crate::index::reader(&opened.index)?;
        let schema = Arc::new(opened.schema.clone());
        let phrases = Some(Arc::new(eval::PhraseSource::new(&opened.dir)));
        let texts = Arc::new(crate::index::texts::TextsCache::new(&opened.dir));
        Ok(Engine {
            opened,
            reader,
            schema,
            taxonomy: std::sync::OnceLock::new(),
            columns: Arc::new(eval::ColumnCache::default().with_phrases(phrases)),
            texts,
            parallel: true,
            parallel_postings: PARALLEL_POSTINGS,
            direct_store: true,
            stored_in_place: true,
            trust_ascii_words: true,
        })
    }

    /// The index's copy of the taxonomy, parsed on first use.
    pub fn taxonomy(&self) -> Result<&Taxonomy> {
        if let Some(t) = self.taxonomy.get() {
            return Ok(t);
        }
        let (t, _) = crate::index::writer::load_taxonomy(&self.opened.dir, None)?;
        Ok(self.taxonomy.get_or_init(|| t))
    }

    /// For an engine that will answer many queries (`batch`, benchmarks): each
    /// segment's chunk-to-item columns are decoded once into arrays (see
    /// [`eval::ColumnCache::decoding`]). Results are the same.
    pub fn for_many_queries(mut self) -> Engine {
        self.columns = Arc::new(eval::ColumnCache::decoding().with_phrases(self.columns.phrases().cloned()));
        self
    }

    /// Phrases matched by positions everywhere, not from the phrase tokens of
    /// [`crate::index::phrases`] (the same results; tests compare them).
    pub fn without_indexed_phrases(mut self) -> Engine {
        self.columns = Arc::new(eval::ColumnCache::decoding());
        self
    }

    pub fn open(dir: &std::path::Path) -> Result<Engine> {
        Engine::new(crate::index::open(dir)?)
    }

    /// Parses and plans a query against `searcher`.
    pub fn plan(&self, searcher: &Searcher, query: &str, filters: &Filters, mode: Mode) -> Result<Plan> {
        let root = crate::query::parse(query).map_err(|e| Error::Query(Box::new(e)))?;
        let analyzer = self.schema.analyzer_for(Role::Text).ok_or_else(|| Error::Data("no text analyzer".into()))?;
        // Exact counts and exports need topics only to resolve `topic:` and `--topic`.
        let needs_taxonomy =
            mode == Mode::Ranked || !filters.topics.is_empty() || query.to_ascii_lowercase().contains("topic");
        let taxonomy = if needs_taxonomy { Some(self.taxonomy()?) } else { None };
        let mut planner = Planner { searcher, schema: &self.schema, taxonomy, analyzer, mode };
        planner.plan(query, &root, filters).map_err(|e| match e {
            PlanError::Query(q) => Error::Query(Box::new(q)),
            PlanError::Filter(f) => Error::Usage(f.0),
            PlanError::Index(t) => Error::Tantivy(t),
        })
    }

    /// Matching items per segment, in the searcher's segment order, with what
    /// matching learnt about each phrase of plain words (the chunks holding it,
    /// with counts), so that ranking scores phrases without walking their
    /// positions a second time.
    fn matches_for_ranking(
        &self,
        searcher: &Searcher,
        plan: &Plan,
        parallel: bool,
    ) -> Result<(Vec<ItemSet>, rank::PhraseChunks)> {
        type Recorded = Vec<(usize, Vec<(tantivy::DocId, u32)>, Vec<(tantivy::DocId, u32)>)>;
        let per_segment = per_segment(searcher, parallel, |_, r| -> Result<(ItemSet, Recorded)> {
            let view = SegmentView::cached(r, &self.schema, &self.columns)?.recording_chunks();
            let set = view.matches(plan)?;
            let mut recorded = Vec::new();
            for (i, atom) in plan.atoms.iter().enumerate() {
                if let Some(text) = view.chunk_phrase_counts(atom) {
                    // The title phrase matters only in matching items: walked there alone.
                    recorded.push((i, text, view.title_phrase_counts(atom, &set)?));
                }
            }
            Ok((set, recorded))
        })?;
        let mut sets = Vec::with_capacity(per_segment.len());
        let mut chunks = rank::PhraseChunks::default();
        for (r, (set, recorded)) in searcher.segment_readers().iter().zip(per_segment) {
            sets.push(set);
            for (i, text, title) in recorded {
                let e = chunks.entry(i).or_default();
                e.text.insert(r.segment_id(), Arc::new(text));
                e.title.insert(r.segment_id(), Arc::new(title));
            }
        }
        // Only phrases known in every segment are scored from these counts.
        let segments = searcher.segment_readers().len();
        chunks.retain(|_, known| known.text.len() == segments);
        Ok((sets, chunks))
    }

    /// Ranked search: one hit per item.
    pub fn search(&self, req: &Request) -> Result<SearchResult> {
        let searcher = self.reader.searcher();
        self.search_with(&searcher, req)
    }

    /// [`Engine::search`] on a given snapshot (batches share one).
    pub fn search_with(&self, searcher: &Searcher, req: &Request) -> Result<SearchResult> {
        let started = Instant::now();
        let plan = self.plan(searcher, &req.query, &req.filters, Mode::Ranked)?;
        let parallel = !req.exhaustive && self.worth_parallel(searcher, &plan);
        // Phrases are scored from the chunks matching found: only words count here.
        let word_postings = text_postings(searcher, &self.schema, plan.positive_atoms().filter(|a| !a.is_phrase()));
        let (matches, phrase_chunks) = self.matches_for_ranking(searcher, &plan, parallel)?;
        let matches = Arc::new(matches);
        let total: u64 = matches.iter().map(ItemSet::len).sum();
        let recency = if req.recent { self.date_span(searcher)? } else { None };
        let mut collector = TopItems {
            want: req.offset.saturating_add(req.limit),
            sort: req.sort,
            prune: !req.exhaustive,
            matches: matches.clone(),
            topics: plan.topics.clone(),
            recency,
            schema: self.schema.clone(),
            columns: self.columns.clone(),
            averages: self.average_lengths(searcher)?,
            flat: false,
            bar: Arc::default(),
        };
        let by_segment: std::collections::HashMap<_, _> =
            searcher.segment_readers().iter().map(|r| r.segment_id()).zip(matches.iter().cloned()).collect();
        let selective = !req.exhaustive && total > 0 && total.saturating_mul(SELECTIVE) < word_postings;
        let (scoring, clauses) = self.scoring_query(
            &plan,
            rank::MatchedItems {
                sets: Arc::new(by_segment),
                schema: self.schema.clone(),
                columns: self.columns.clone(),
                coverage: rank::Coverage::FirstOfLong,
            },
            phrase_chunks,
            selective,
        );
        collector.flat = clauses > 2;
        let ranked = {
            use tantivy::collector::Collector;
            let weight = scoring.weight(tantivy::query::EnableScoring::enabled_from_searcher(searcher))?;
            let fruits = per_segment(searcher, parallel, |ord, r| Ok(collector.collect_segment(&*weight, ord, r)?))?;
            collector.merge_fruits(fruits)?
        };
        let positive: Vec<&plan::Atom> = plan.positive_atoms().collect();
        let analyzer = self.schema.analyzer_for(Role::Text).ok_or_else(|| Error::Data("no text analyzer".into()))?;
        // Each hit reads its chunk back from the store and cuts a snippet: on
        // the crew too when the query is large enough to be spread.
        let ranked: Vec<Ranked> = ranked.into_iter().skip(req.offset).collect();
        let make = |i: usize| -> Result<Hit> {
            let r = &ranked[i];
            let mut doc: TantivyDocument = searcher.doc(tantivy::DocAddress::new(r.segment, r.doc))?;
            if req.snippets {
                crate::index::texts::add_text(
                    &mut doc,
                    self.texts.get_checked(searcher.segment_reader(r.segment), self.schema.texts_file())?.as_deref(),
                    r.doc,
                    self.schema.fields.get(Role::Text),
                )
                .map_err(|e| Error::io("reading chunk texts", e))?;
            }
            Ok(self.hit(&doc, r, req.offset + i + 1, &mut analyzer.clone(), &positive, req.snippets))
        };
        let hits: Vec<Hit> = if parallel {
            crew::map(ranked.len(), make).into_iter().collect::<Result<_>>()?
        } else {
            (0..ranked.len()).map(make).collect::<Result<_>>()?
        };
        let facets = if req.facets { self.facets(searcher, &matches, parallel)? } else { Facets::default() };
        Ok(SearchResult {
            query: req.query.clone(),
            total,
            took_ms: started.elapsed().as_millis() as u64,
            hits,
            facets,
            warnings: plan.warnings,
        })
    }

    /// Matching items and mentions, in total and by bucket (words as written).
    pub fn count(&self, query: &str, filters: &Filters, by: Option<By>) -> Result<CountResult> {
        let searcher = self.reader.searcher();
        self.count_with(&searcher, query, filters, by)
    }

    pub fn count_with(
        &self,
        searcher: &Searcher,
        query: &str,
        filters: &Filters,
        by: Option<By>,
    ) -> Result<CountResult> {
        let plan = self.plan(searcher, query, filters, Mode::Exact)?;
        let (mut items, mut mentions) = (0, 0);
        let mut tally = Tally::default();
        let per_segment = per_segment(searcher, self.worth_parallel(searcher, &plan), |_, reader| {
            let view = SegmentView::cached(reader, &self.schema, &self.columns)?;
            let matched = view.matches(&plan)?;
            let per_item = view.mentions(&plan, &matched)?;
            Ok((matched, per_item))
        })?;
        for (reader, (matched, per_item)) in searcher.segment_readers().iter().zip(per_segment) {
            items += matched.len();
            mentions += per_item.values().sum::<u64>();
            if let Some(by) = by {
                tally.add_segment(by, reader, &self.schema, &matched, Some(&per_item))?;
            }
        }
        let buckets = by.map(|b| tally.buckets(b)).unwrap_or_default();
        Ok(CountResult { query: query.to_string(), items, mentions, buckets, warnings: plan.warnings })
    }

    /// The average length of the text and title fields over the whole index,
    /// as BM25 computes it (tokens over documents, deleted ones included).
    fn average_lengths(&self, searcher: &Searcher) -> Result<Vec<(tantivy::schema::Field, f32)>> {
        let docs: u64 = searcher.segment_readers().iter().map(|r| u64::from(r.max_doc())).sum();
        let mut out = Vec::new();
        for role in [Role::Text, Role::Title] {
            let field = self.schema.fields.get(role);
            let mut tokens = 0u64;
            for r in searcher.segment_readers() {
                tokens += r.inverted_index(field)?.total_num_tokens();
            }
            if docs > 0 {
                out.push((field, tokens as f32 / docs as f32));
            }
        }
        Ok(out)
    }

    /// Whether a query reads enough postings to pay for spreading its segments
    /// over the cores (waking the threads costs about what 5,000 postings do).
    pub(crate) fn worth_parallel(&self, searcher: &Searcher, plan: &Plan) -> bool {
        if !self.parallel || searcher.segment_readers().len() < 2 {
            return false;
        }
        text_postings(searcher, &self.schema, plan.positive_atoms()) >= self.parallel_postings
    }

    /// Oldest and newest meeting dates in the index (for `--recent`).
    fn date_span(&self, searcher: &Searcher) -> Result<Option<(i64, i64)>> {
        let mut span: Option<(i64, i64)> = None;
        for r in searcher.segment_readers() {
            let col = r.fast_fields().date(self.schema.name(Role::MeetingDate))?;
            if col.values.num_vals() == 0 {
                continue;
            }
            let (lo, hi) = (col.min_value().into_timestamp_secs(), col.max_value().into_timestamp_secs());
            span = Some(span.map_or((lo, hi), |(a, b)| (a.min(lo), b.max(hi))));
        }
        Ok(span)
    }

    /// BM25 over the positive words: text, and titles counting double; phrases
    /// score as phrases. Matching items the scorers might not reach join at score
    /// 0 (see [`rank::Coverage`]), so every matching item ranks.
    ///
    /// With `selective` (the matching items are few next to the chunks holding
    /// the query's words: a filter, an AND), every chunk of the matching items is
    /// a required clause, so the words are scored on those chunks only instead of
    /// over all their postings. Returns the query and its number of scoring clauses.
    fn scoring_query(
        &self,
        plan: &Plan,
        mut matched: rank::MatchedItems,
        mut phrase_chunks: rank::PhraseChunks,
        selective: bool,
    ) -> (Box<dyn Query>, usize) {
        let (text, title) = (self.schema.fields.get(Role::Text), self.schema.fields.get(Role::Title));
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let term = |field, w: &str, boost: f32| -> (Occur, Box<dyn Query>) {
            let q = TermQuery::new(Term::from_field_text(field, w), IndexRecordOption::WithFreqs);
            (Occur::Should, Box::new(BoostQuery::new(Box::new(q), boost)))
        };
        for (i, atom) in plan.atoms.iter().enumerate().filter(|(_, a)| a.positive) {
            let in_text = atom.role == Role::Text;
            if !atom.is_phrase() {
                for w in &atom.slots[0] {
                    if in_text {
                        should.push(term(text, w, 1.0));
                    }
                    should.push(term(title, w, 2.0));
                }
                continue;
            }
            let phrase = |field| -> (Occur, Box<dyn Query>) {
                let terms: Vec<(usize, Term)> =
                    atom.slots.iter().enumerate().map(|(i, s)| (i, Term::from_field_text(field, &s[0]))).collect();
                let mut q = PhraseQuery::new_with_offset(terms);
                q.set_slop(atom.slop);
                (Occur::Should, Box::new(q))
            };
            let recorded = if in_text { phrase_chunks.remove(&i) } else { None };
            let counted = |field, per_segment| -> Box<dyn Query> {
                Box::new(rank::ChunkPhrase {
                    field,
                    terms: atom.slots.iter().map(|s| Term::from_field_text(field, &s[0])).collect(),
                    per_segment: Arc::new(per_segment),
                })
            };
            match recorded {
                Some(known) => {
                    should.push((Occur::Should, counted(text, known.text)));
                    should.push((Occur::Should, Box::new(BoostQuery::new(counted(title, known.title), 2.0))));
                }
                None => {
                    if in_text {
                        should.push(phrase(text));
                    }
                    let (o, q) = phrase(title);
                    should.push((o, Box::new(BoostQuery::new(q, 2.0))));
                }
            }
        }
        if should.is_empty() {
            return (Box::new(AllQuery), 0);
        }
        let clauses = should.len();
        if selective {
            matched.coverage = rank::Coverage::EveryChunk;
            should.push((Occur::Must, Box::new(matched)));
        } else if matches_without_words(&plan.expr) {
            matched.coverage = rank::Coverage::FirstOfEvery;
            should.push((Occur::Should, Box::new(matched)));
        } else if plan.positive_atoms().any(plan::Atom::is_phrase) {
            // Otherwise only a phrase across chunks can match an item none of
            // whose chunks the scorers reach.
            should.push((Occur::Should, Box::new(matched)));
        }
        (Box::new(BooleanQuery::new(should)), clauses)
    }

    fn hit(
        &self,
        doc: &TantivyDocument,
        r: &Ranked,
        rank: usize,
        analyzer: &mut tantivy::tokenizer::TextAnalyzer,
        atoms: &[&plan::Atom],
        snippets: bool,
    ) -> Hit {
        let f = |role| self.schema.fields.get(role);
        let text = text_of(doc, f(Role::Text)).unwrap_or_default();
        Hit {
            rank,
            score: r.score,
            council: text_of(doc, f(Role::Council)),
            committee: text_of(doc, f(Role::Committee)),
            meeting_date: date_of(doc, f(Role::MeetingDate)),
            item_number: text_of(doc, f(Role::ItemNumber)),
            item_title: text_of(doc, f(Role::Title)),
            topics: doc.get_all(f(Role::Topics)).filter_map(|v| v.as_str().map(str::to_string)).collect(),
            snippet: if snippets { snippet::snippet(analyzer, &text, atoms) } else { String::new() },
            source: text_of(doc, f(Role::Source)).unwrap_or_default(),
            url: text_of(doc, f(Role::Url)),
            item_id: text_of(doc, f(Role::ItemId)).unwrap_or_default(),
        }
    }

    fn facets(&self, searcher: &Searcher, matches: &[ItemSet], parallel: bool) -> Result<Facets> {
        const BY: [By; 4] = [By::Council, By::Committee, By::Topic, By::Year];
        // Each segment counts its items into its own tallies (on all cores for a
        // large query), merged in segment order.
        let per_segment = per_segment(searcher, parallel, |ord, reader| {
            let mut tallies: [Tally; 4] = Default::default();
            for (by, tally) in BY.iter().zip(tallies.iter_mut()) {
                tally.add_segment(*by, reader, &self.schema, &matches[ord as usize], None)?;
            }
            Ok(tallies)
        })?;
        let mut merged: [Tally; 4] = Default::default();
        for tallies in per_segment {
            for (m, t) in merged.iter_mut().zip(tallies) {
                m.merge(t);
            }
        }
        let mut out = Facets::default();
        for (slot, (by, tally)) in BY.into_iter().zip(merged).enumerate() {
            let mut buckets = tally.buckets(by);
            if by == By::Year {
                buckets.retain(|b| b.items > 0);
            }
            let facets: Vec<Facet> = buckets.into_iter().map(|b| Facet { key: b.key, count: b.items }).collect();
            match slot {
                0 => out.council = facets,
                1 => out.committee = facets,
                2 => out.topic = facets,
                _ => out.year = facets,
            }
        }
        Ok(out)
    }
}

pub(crate) fn text_of(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<String> {
    doc.get_first(field).and_then(|v| v.as_str()).map(str::to_string)
}

pub(crate) fn date_of(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_datetime())
        .and_then(|d| crate::parse::dates::Date::from_days_since_epoch(d.into_timestamp_secs().div_euclid(86_400)))
        .map(|d| d.to_string())
}
