//! Rank: order matching items. A chunk's score is BM25 over its text and (boosted)
//! its item's title; an item scores as its best chunk, times a topic boost when it
//! is tagged with a topic the query names, times a recency factor with `--recent`.
//! Ties break by date (newest first), then source path, then position in the
//! source, so the same index and query always give the same order.

use super::eval::ItemSet;
use crate::schema::IndexSchema;
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::sync::atomic::{AtomicU32, Ordering as AtomicOrdering};
use std::sync::Arc;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// Factor for items tagged with a topic the query names.
pub const TOPIC_BOOST: f32 = 1.5;
/// With `--recent`, the newest meeting scores this much more than the oldest.
pub const RECENCY_WEIGHT: f32 = 0.5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Relevance,
    /// Newest first.
    Date,
    /// Oldest first.
    DateAsc,
}

/// An item in the ranking.
#[derive(Debug, Clone)]
pub struct Ranked {
    pub score: f32,
    pub date: Option<i64>,
    pub source: String,
    pub ordinal: u64,
    pub segment: SegmentOrdinal,
    /// The item's best chunk (its first chunk when the query has no words).
    pub doc: DocId,
    /// The item's first chunk.
    pub item: DocId,
    /// Segment-local ordinal of `source` (orders like the string within a segment).
    source_ord: u64,
    /// Where `source` is looked up, when a tie across segments needs it.
    names: Option<SourceNames>,
}

/// A segment's source-path column: naming a source decodes a dictionary block,
/// so it is done only for ties between segments.
#[derive(Clone)]
struct SourceNames(StrColumn);

impl std::fmt::Debug for SourceNames {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SourceNames")
    }
}

impl Ranked {
    fn name_source(&mut self) {
        if let (true, Some(SourceNames(col))) = (self.source.is_empty(), &self.names) {
            let mut buf = String::new();
            if col.ord_to_str(self.source_ord, &mut buf).unwrap_or(false) {
                self.source = buf;
            }
        }
    }
}

fn cmp_date(a: Option<i64>, b: Option<i64>, newest_first: bool) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) => {
            if newest_first {
                y.cmp(&x)
            } else {
                x.cmp(&y)
            }
        }
        // Undated items come last either way.
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// `Less` when `a` ranks before `b`. `by_string` compares sources as strings
/// (across segments), otherwise by segment-local ordinal.
fn rank_cmp(a: &Ranked, b: &Ranked, sort: Sort, by_string: bool) -> Ordering {
    let source = if by_string { a.source.cmp(&b.source) } else { a.source_ord.cmp(&b.source_ord) };
    primary_cmp(a, b, sort).then(source).then(a.ordinal.cmp(&b.ordinal))
}

/// Score and date, in the order of `sort`.
fn primary_cmp(a: &Ranked, b: &Ranked, sort: Sort) -> Ordering {
    match sort {
        Sort::Relevance => b.score.total_cmp(&a.score).then(cmp_date(a.date, b.date, true)),
        Sort::Date => cmp_date(a.date, b.date, true).then(b.score.total_cmp(&a.score)),
        Sort::DateAsc => cmp_date(a.date, b.date, false).then(b.score.total_cmp(&a.score)),
    }
}

/// Heap entry: the greatest is the worst ranked.
struct Worst(Ranked, Sort);
impl PartialEq for Worst {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Worst {}
impl PartialOrd for Worst {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Worst {
    fn cmp(&self, other: &Self) -> Ordering {
        rank_cmp(&self.0, &other.0, self.1, false)
    }
}

/// Collects the best `want` items among matching chunks.
pub struct TopItems {
    pub want: usize,
    pub sort: Sort,
    /// Skip chunks that cannot reach the top (see `collect_segment`).
    pub prune: bool,
    /// Matching items per segment (from [`super::eval`]).
    pub matches: Arc<Vec<ItemSet>>,
    /// Topic keys that earn [`TOPIC_BOOST`].
    pub topics: Vec<String>,
    /// `Some((oldest, newest))` meeting dates for `--recent`.
    pub recency: Option<(i64, i64)>,
    pub schema: Arc<IndexSchema>,
    pub columns: Arc<super::eval::ColumnCache>,
    /// Per scored field, its average length over the whole index as BM25 takes
    /// it (tokens over documents): bounds what block-max pruning may skip.
    pub averages: Vec<(tantivy::schema::Field, f32)>,
    /// Prune with the union's own scores, not block-max WAND: for queries of
    /// more than two term clauses (a word's stem variants, in text and title;
    /// several words), whose block bounds add up past the bar almost everywhere,
    /// so WAND skips little and costs more per chunk than the union does (and
    /// its sums, added in the order of what it skipped, are not the union's).
    pub flat: bool,
    /// The best "worst of a full top" any segment has reached so far (f32 bits):
    /// a segment starts pruning from it instead of from nothing, since an item
    /// below it cannot be in the overall top either.
    pub bar: Arc<AtomicU32>,
}

pub struct TopItemsSegment {
    want: usize,
    sort: Sort,
    segment: SegmentOrdinal,
    matches: Arc<Vec<ItemSet>>,
    cols: Arc<super::eval::ItemColumns>,
    item_ordinal: Column<u64>,
    date: Column<tantivy::DateTime>,
    source: Option<StrColumn>,
    topics: Option<StrColumn>,
    boosted: Vec<u64>,
    recency: Option<(i64, i64)>,
    /// The item being read and its best chunk so far.
    current: Option<(DocId, DocId, Score)>,
    heap: BinaryHeap<Worst>,
    bar: Arc<AtomicU32>,
}

impl Collector for TopItems {
    type Fruit = Vec<Ranked>;
    type Child = TopItemsSegment;

    fn for_segment(&self, segment: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<TopItemsSegment> {
        let cols = self.columns.get(reader, &self.schema)?;
        let topics = cols.topics.clone();
        let mut boosted = Vec::new();
        if let Some(col) = &topics {
            for key in &self.topics {
                if let Ok(Some(ord)) = col.dictionary().term_ord(key) {
                    boosted.push(ord);
                }
            }
        }
        Ok(TopItemsSegment {
            want: self.want,
            sort: self.sort,
            segment,
            matches: self.matches.clone(),
            cols: cols.clone(),
            item_ordinal: cols.item_ordinal.clone(),
            date: cols.date.clone(),
            source: cols.source.clone(),
            topics,
            boosted,
            recency: self.recency,
            current: None,
            heap: BinaryHeap::new(),
            bar: self.bar.clone(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    /// By relevance, chunks that cannot lift an item into the top `want` are
    /// skipped: the weight is told the score to beat (block-max WAND when the
    /// query is a union of words), so a frequent word no longer scores every
    /// chunk that holds it.
    fn collect_segment(
        &self,
        weight: &dyn tantivy::query::Weight,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Vec<Ranked>> {
        let mut child = self.for_segment(segment, reader)?;
        let alive = reader.alive_bitset();
        let prune = self.prune && self.sort == Sort::Relevance && self.want > 0;
        let slack = if prune && !self.flat { self.block_bound_slack(reader)? } else { None };
        if let Some(slack) = slack {
            weight.for_each_pruning(Score::MIN, reader, &mut |doc, score| {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    child.collect(doc, score);
                }
                let t = child.threshold();
                if t > 0.0 {
                    t / slack
                } else {
                    t
                }
            })?;
        } else if prune {
            // Every chunk is scored, but only those above the bar are collected
            // (a float compare, not a column lookup, for most chunks); the bar
            // is re-read now and then, as other segments raise it.
            let mut bar = child.threshold();
            let mut seen = 0u32;
            weight.for_each(reader, &mut |doc, score| {
                seen = seen.wrapping_add(1);
                if score > bar && alive.is_none_or(|a| a.is_alive(doc)) {
                    child.collect(doc, score);
                    bar = child.threshold();
                } else if seen.is_multiple_of(1024) {
                    bar = child.threshold();
                }
            })?;
        } else {
            weight.for_each(reader, &mut |doc, score| {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    child.collect(doc, score);
                }
            })?;
        }
        Ok(child.harvest())
    }

    fn merge_fruits(&self, fruits: Vec<Vec<Ranked>>) -> tantivy::Result<Vec<Ranked>> {
        let mut all: Vec<Ranked> = fruits.into_iter().flatten().collect();
        // Within a segment source ordinals order like the paths; only items tied
        // on score and date in different segments need their paths named.
        all.sort_by(|a, b| {
            primary_cmp(a, b, self.sort)
                .then(a.segment.cmp(&b.segment))
                .then(a.source_ord.cmp(&b.source_ord))
                .then(a.ordinal.cmp(&b.ordinal))
        });
        let mut start = 0;
        while start < all.len() {
            let tied = all[start..].iter().take_while(|r| primary_cmp(&all[start], r, self.sort).is_eq()).count();
            let run = &mut all[start..start + tied];
            if run.iter().any(|r| r.segment != run[0].segment) {
                run.iter_mut().for_each(Ranked::name_source);
                run.sort_by(|a, b| rank_cmp(a, b, self.sort, true));
            }
            start += tied;
        }
        all.truncate(self.want);
        Ok(all)
    }
}

impl TopItems {
    /// How far a block's stored best score may fall short of a document in it,
    /// for this segment: `None` when it cannot be bounded (no pruning then).
    ///
    /// tantivy picks each block's best (term frequency, length) pair when it
    /// writes the segment, scoring with the segment's own average length `S`; a
    /// query scores with the average over the whole index, `G`. For any pair the
    /// two scores differ by at most `R = max(G/S, S/G)` (the length term
    /// k1·(1 − b + b·len/avg) moves by less than that ratio), and always in the
    /// same direction, so a document's query-time score is at most `R` times the
    /// stored pair's. The largest `R` over the scored fields bounds the sum.
    fn block_bound_slack(&self, reader: &SegmentReader) -> tantivy::Result<Option<f32>> {
        let mut slack = 1.0f32;
        for &(field, global) in &self.averages {
            let inverted = reader.inverted_index(field)?;
            if reader.max_doc() == 0 || inverted.total_num_tokens() == 0 || global <= 0.0 {
                continue;
            }
            let own = inverted.total_num_tokens() as f32 / reader.max_doc() as f32;
            slack = slack.max(global / own).max(own / global);
        }
        Ok(slack.is_finite().then_some(slack * (1.0 + 1e-5)))
    }
}

impl TopItemsSegment {
    /// The greatest factor the topic boost and recency can multiply a chunk's score by.
    fn max_factor(&self) -> f32 {
        let mut f = 1.0;
        if !self.boosted.is_empty() {
            f *= TOPIC_BOOST;
        }
        if self.recency.is_some() {
            f *= 1.0 + RECENCY_WEIGHT;
        }
        f
    }

    /// A chunk scoring at most this cannot put its item into a full heap (by
    /// relevance). A little below the exact bound: an item tied on score may still
    /// win on date, and the factors are applied in float arithmetic.
    fn threshold(&self) -> Score {
        let own = match self.heap.peek() {
            Some(worst) if self.heap.len() >= self.want => worst.0.score,
            _ => 0.0,
        };
        let bar = own.max(f32::from_bits(self.bar.load(AtomicOrdering::Relaxed)));
        if bar > 0.0 {
            bar / self.max_factor() * (1.0 - 1e-5)
        } else {
            Score::MIN
        }
    }

    /// Shares this segment's full top with the others (scores are never negative,
    /// so their bits order like the numbers).
    fn raise_bar(&self) {
        if let (Some(worst), true) = (self.heap.peek(), self.heap.len() >= self.want) {
            if worst.0.score > 0.0 {
                self.bar.fetch_max(worst.0.score.to_bits(), AtomicOrdering::Relaxed);
            }
        }
    }

    fn finish_item(&mut self) {
        let Some((item, doc, score)) = self.current.take() else { return };
        // Most items cannot enter a full heap: refuse them before reading columns.
        if self.heap.len() >= self.want {
            if let Some(worst) = self.heap.peek() {
                match self.sort {
                    Sort::Relevance => {
                        if score * self.max_factor() < worst.0.score {
                            return;
                        }
                    }
                    Sort::Date | Sort::DateAsc => {
                        let date = self.date.first(item).map(|d| d.into_timestamp_secs());
                        if cmp_date(date, worst.0.date, self.sort == Sort::Date) == Ordering::Greater {
                            return;
                        }
                    }
                }
            }
        }
        let date = self.date.first(item).map(|d| d.into_timestamp_secs());
        let mut score = score;
        if !self.boosted.is_empty() {
            if let Some(col) = &self.topics {
                if col.term_ords(item).any(|o| self.boosted.contains(&o)) {
                    score *= TOPIC_BOOST;
                }
            }
        }
        if let (Some((oldest, newest)), Some(d)) = (self.recency, date) {
            let span = (newest - oldest).max(1) as f32;
            score *= 1.0 + RECENCY_WEIGHT * ((d - oldest) as f32 / span).clamp(0.0, 1.0);
        }
        let source_ord = self.source.as_ref().and_then(|c| c.term_ords(item).next()).unwrap_or(0);
        let r = Ranked {
            score,
            date,
            source: String::new(),
            ordinal: self.item_ordinal.first(item).unwrap_or(0),
            segment: self.segment,
            doc,
            item,
            source_ord,
            names: self.source.clone().map(SourceNames),
        };
        if self.heap.len() < self.want {
            self.heap.push(Worst(r, self.sort));
        } else if let Some(worst) = self.heap.peek() {
            if rank_cmp(&r, &worst.0, self.sort, false) == Ordering::Less {
                self.heap.pop();
                self.heap.push(Worst(r, self.sort));
            }
        }
        if self.sort == Sort::Relevance {
            self.raise_bar();
        }
    }
}

impl SegmentCollector for TopItemsSegment {
    type Fruit = Vec<Ranked>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if self.want == 0 {
            return;
        }
        let item = self.cols.item_of(doc);
        if !self.matches.get(self.segment as usize).is_some_and(|m| m.contains(item)) {
            return;
        }
        match &mut self.current {
            // Chunks of one item are consecutive documents.
            Some((cur, best_doc, best)) if *cur == item => {
                if score > *best {
                    *best = score;
                    *best_doc = doc;
                }
            }
            _ => {
                self.finish_item();
                self.current = Some((item, doc, score));
            }
        }
    }

    fn harvest(mut self) -> Vec<Ranked> {
        self.finish_item();
        self.heap.into_iter().map(|w| w.0).collect()
    }
}

/// The first chunk of each multi-chunk matching item, scoring 0: added to the
/// scoring query so an item that matches only as a whole (a phrase across two
/// chunks) still reaches the ranking, without scanning the postings of every word
/// of every phrase. One chunk is enough: an item scores as its best chunk, and any
/// chunk holding a query word is reached by that word's scorer (a one-chunk item
/// that matches is reached that way too).
///
/// See [`Coverage`] for the other two uses.
#[derive(Clone)]
pub struct MatchedItems {
    pub sets: Arc<std::collections::HashMap<tantivy::index::SegmentId, ItemSet>>,
    pub schema: Arc<IndexSchema>,
    pub columns: Arc<super::eval::ColumnCache>,
    pub coverage: Coverage,
}

/// Which chunks of the matching items [`MatchedItems`] holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Coverage {
    /// The first chunk of each multi-chunk item (see [`MatchedItems`]).
    FirstOfLong,
    /// The first chunk of every item: the query can match an item holding none
    /// of its words (`neglect OR topic:cse`), and such an item ranks too, at 0.
    FirstOfEvery,
    /// Every chunk of every item, as a required clause: the matching items are
    /// few next to the chunks the words are in (a filter, an AND), so the words'
    /// scorers only seek to them.
    EveryChunk,
}

impl std::fmt::Debug for MatchedItems {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MatchedItems({} segments)", self.sets.len())
    }
}

impl tantivy::query::Query for MatchedItems {
    fn weight(&self, _scoring: tantivy::query::EnableScoring<'_>) -> tantivy::Result<Box<dyn tantivy::query::Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl tantivy::query::Weight for MatchedItems {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn tantivy::query::Scorer>> {
        let mut docs = tantivy::BitSet::with_max_value(reader.max_doc());
        if let Some(set) = self.sets.get(&reader.segment_id()) {
            let view = super::eval::SegmentView::cached(reader, &self.schema, &self.columns)?;
            let cols = view.columns();
            for item in set.iter() {
                match self.coverage {
                    Coverage::EveryChunk => view.chunks(item).for_each(|d| {
                        docs.insert(d);
                    }),
                    Coverage::FirstOfEvery => {
                        docs.insert(item);
                    }
                    Coverage::FirstOfLong => {
                        if item + 1 < reader.max_doc() && cols.chunk_ordinal(item + 1) > 0 {
                            docs.insert(item);
                        }
                    }
                }
            }
        }
        let docset = tantivy::query::BitSetDocSet::from(docs);
        Ok(Box::new(tantivy::query::ConstScorer::new(docset, 0.0 * boost)))
    }

    fn explain(&self, _reader: &SegmentReader, _doc: DocId) -> tantivy::Result<tantivy::query::Explanation> {
        Ok(tantivy::query::Explanation::new("part of a matching item", 0.0))
    }
}

/// Per phrase atom (index in the plan): the chunks holding the phrase, per
/// segment, in document order, with its count in each.
pub type PhraseChunks = std::collections::HashMap<usize, KnownPhrase>;

/// Where matching found a phrase: in the text (every chunk), and in the titles
/// of the matching items (every chunk of such an item: each carries the title).
#[derive(Debug, Default)]
pub struct KnownPhrase {
    pub text: ChunksBySegment,
    pub title: ChunksBySegment,
}

/// Per segment: the chunks holding one phrase, with its count in each.
pub type ChunksBySegment = std::collections::HashMap<tantivy::index::SegmentId, Arc<Vec<(DocId, u32)>>>;

/// A phrase scored from the chunk counts that matching found: BM25 with the
/// phrase's count as term frequency and the summed idf of its words, as
/// tantivy's `PhraseQuery` scores it, without walking the positions again
/// (that second walk was half the time of a phrase search).
#[derive(Clone)]
pub struct ChunkPhrase {
    pub field: tantivy::schema::Field,
    pub terms: Vec<tantivy::Term>,
    pub per_segment: Arc<ChunksBySegment>,
}

impl std::fmt::Debug for ChunkPhrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ChunkPhrase({:?})", self.terms)
    }
}

impl tantivy::query::Query for ChunkPhrase {
    fn weight(&self, scoring: tantivy::query::EnableScoring<'_>) -> tantivy::Result<Box<dyn tantivy::query::Weight>> {
        let bm25 = match scoring {
            tantivy::query::EnableScoring::Enabled { statistics_provider, .. } => {
                Some(tantivy::query::Bm25Weight::for_terms(statistics_provider, &self.terms)?)
            }
            tantivy::query::EnableScoring::Disabled { .. } => None,
        };
        Ok(Box::new(ChunkPhraseWeight { phrase: self.clone(), bm25 }))
    }
}

struct ChunkPhraseWeight {
    phrase: ChunkPhrase,
    bm25: Option<tantivy::query::Bm25Weight>,
}

impl tantivy::query::Weight for ChunkPhraseWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn tantivy::query::Scorer>> {
        let chunks = self.phrase.per_segment.get(&reader.segment_id()).cloned().unwrap_or_default();
        Ok(Box::new(ChunkPhraseScorer {
            chunks,
            at: 0,
            fieldnorms: reader.get_fieldnorms_reader(self.phrase.field)?,
            bm25: self.bm25.as_ref().map(|w| w.boost_by(boost)),
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<tantivy::query::Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!("document {doc} does not hold the phrase")));
        }
        Ok(tantivy::query::Explanation::new("phrase frequency in the chunk (BM25)", scorer.score()))
    }
}

struct ChunkPhraseScorer {
    chunks: Arc<Vec<(DocId, u32)>>,
    at: usize,
    fieldnorms: tantivy::fieldnorm::FieldNormReader,
    bm25: Option<tantivy::query::Bm25Weight>,
}

impl tantivy::DocSet for ChunkPhraseScorer {
    fn advance(&mut self) -> DocId {
        self.at += 1;
        self.doc()
    }

    fn doc(&self) -> DocId {
        self.chunks.get(self.at).map_or(tantivy::TERMINATED, |c| c.0)
    }

    fn size_hint(&self) -> u32 {
        self.chunks.len() as u32
    }
}

impl tantivy::query::Scorer for ChunkPhraseScorer {
    fn score(&mut self) -> Score {
        let Some(&(doc, count)) = self.chunks.get(self.at) else { return 0.0 };
        self.bm25.as_ref().map_or(1.0, |w| w.score(self.fieldnorms.fieldnorm_id(doc), count))
    }
}
