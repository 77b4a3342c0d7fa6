//! Mentions: every occurrence of a query's words and phrases in the matching
//! items, one row per occurrence, in date order (oldest first, undated last; then
//! source and position in the source), with words of context either side.
//!
//! Items are read whole (their chunks joined back, which gives the item text
//! exactly) and tokenised with the index's analyzer, so a row is reported exactly
//! where `count` counts a mention. Rows stream out as they are found; memory holds
//! the list of matching items, not the rows.

use super::eval::SegmentView;
use super::plan::{Atom, Filters, Mode};
use super::snippet::{occurrences, tokens};
use super::{date_of, text_of, Engine};
use crate::error::Result;
use crate::schema::Role;
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use tantivy::store::StoreReader;
use tantivy::{DocId, TantivyDocument};

/// Decompressed document-store blocks kept per segment (16 KB each): rows come in
/// date order, which jumps around the store; a large cache decompresses each
/// block about once per query.
const STORE_CACHE_BLOCKS: usize = 2048;

/// The metadata of the item a mention is in.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Default)]
pub struct ItemMeta {
    pub council: Option<String>,
    pub committee: Option<String>,
    pub meeting_date: Option<String>,
    pub item_number: Option<String>,
    pub item_title: Option<String>,
    pub source: String,
    pub url: Option<String>,
}

/// One occurrence with its item's metadata and its context (borrowed: rows are
/// produced by the million and written straight out).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Mention<'a> {
    #[serde(flatten)]
    pub item: &'a ItemMeta,
    pub left: &'a str,
    #[serde(rename = "match")]
    pub matched: &'a str,
    pub right: &'a str,
    /// The item, and where the match starts in its text (bytes): locates the row.
    pub item_id: &'a str,
    pub offset: usize,
}

/// An item waiting in the date-ordered merge across segments.
#[derive(Debug, Clone)]
struct Queued {
    date: Option<i64>,
    source: String,
    source_ord: u64,
    ordinal: u64,
    segment: usize,
    item: DocId,
}

fn order(a: &Queued, b: &Queued) -> Ordering {
    let date = match (a.date, b.date) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    };
    date.then_with(|| a.source.cmp(&b.source)).then(a.ordinal.cmp(&b.ordinal))
}

struct Head(Queued);
impl PartialEq for Head {
    fn eq(&self, o: &Self) -> bool {
        order(&self.0, &o.0) == Ordering::Equal
    }
}
impl Eq for Head {}
impl PartialOrd for Head {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Head {
    /// Reversed: the heap pops the earliest item.
    fn cmp(&self, o: &Self) -> Ordering {
        order(&o.0, &self.0)
    }
}

impl Engine {
    /// Streams every mention to `emit` (which returns false to stop), up to `limit`
    /// rows. Returns the number of rows emitted.
    pub fn mentions(
        &self,
        query: &str,
        filters: &Filters,
        context: usize,
        limit: Option<u64>,
        emit: &mut dyn FnMut(&Mention) -> Result<bool>,
    ) -> Result<u64> {
        let searcher = self.reader.searcher();
        let plan = self.plan(&searcher, query, filters, Mode::Exact)?;
        for w in &plan.warnings {
            eprintln!("sgsearch: warning: {w}");
        }
        self.mentions_with(&searcher, &plan, context, limit, emit)
    }

    /// [`Engine::mentions`] for a plan on a given snapshot (batches share one).
    pub fn mentions_with(
        &self,
        searcher: &tantivy::Searcher,
        plan: &super::plan::Plan,
        context: usize,
        limit: Option<u64>,
        emit: &mut dyn FnMut(&Mention) -> Result<bool>,
    ) -> Result<u64> {
        let atoms: Vec<&Atom> = plan.positive_atoms().collect();
        let readers = searcher.segment_readers();
        let s = &self.schema;
        // Per segment: its matching items sorted by (date, source, ordinal).
        let mut queues: Vec<std::vec::IntoIter<Queued>> = Vec::with_capacity(readers.len());
        let mut sources = Vec::with_capacity(readers.len());
        let mut stores: Vec<StoreReader> = Vec::with_capacity(readers.len());
        let mut views = Vec::with_capacity(readers.len());
        for (seg, reader) in readers.iter().enumerate() {
            let view = SegmentView::cached(reader, s, &self.columns)?;
            let items = view.matches(plan)?;
            let source = view.columns().source.clone();
            let ordinal = view.columns().item_ordinal.clone();
            let mut list: Vec<(Option<i64>, u64, u64, DocId)> = items
                .iter()
                .map(|item| {
                    let src = source.as_ref().and_then(|c| c.term_ords(item).next()).unwrap_or(0);
                    (view.date(item), src, ordinal.first(item).unwrap_or(0), item)
                })
                .collect();
            // Source ordinals order like the paths within a segment.
            list.sort_by(|a, b| {
                let d = match (a.0, b.0) {
                    (Some(x), Some(y)) => x.cmp(&y),
                    (Some(_), None) => Ordering::Less,
                    (None, Some(_)) => Ordering::Greater,
                    (None, None) => Ordering::Equal,
                };
                d.then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2))
            });
            // Source paths are only compared across segments: name them lazily,
            // when an item reaches the head of its segment's queue.
            let queued: Vec<Queued> = list
                .into_iter()
                .map(|(date, src, ordinal, item)| Queued {
                    date,
                    source: String::new(),
                    source_ord: src,
                    ordinal,
                    segment: seg,
                    item,
                })
                .collect();
            sources.push(source);
            queues.push(queued.into_iter());
            stores.push(
                reader
                    .get_store_reader(STORE_CACHE_BLOCKS)
                    .map_err(|e| crate::error::Error::io("reading the document store", e))?,
            );
            views.push(view);
        }
        // The last source named per segment: an item's neighbours in date order
        // are mostly from the same page, and each lookup decodes a dictionary block.
        let mut named: Vec<Option<(u64, String)>> = vec![None; sources.len()];
        let mut name = |mut q: Queued, sources: &[Option<tantivy::columnar::StrColumn>]| -> Queued {
            let Some(last) = named.get_mut(q.segment) else { return q };
            if let Some((_, path)) = last.as_ref().filter(|(ord, _)| *ord == q.source_ord) {
                q.source = path.clone();
                return q;
            }
            if let Some(Some(col)) = sources.get(q.segment) {
                let mut buf = String::new();
                if col.ord_to_str(q.source_ord, &mut buf).unwrap_or(false) {
                    q.source = buf;
                }
            }
            *last = Some((q.source_ord, q.source.clone()));
            q
        };
        let mut heap = BinaryHeap::new();
        for q in &mut queues {
            if let Some(first) = q.next() {
                heap.push(Head(name(first, &sources)));
            }
        }
        let mut analyzer = s.analyzer_for(Role::Text).ok_or_else(|| crate::error::Error::Data("no analyzer".into()))?;
        let f = |role| s.fields.get(role);
        let mut emitted = 0u64;
        while let Some(Head(q)) = heap.pop() {
            if let Some(next) = queues[q.segment].next() {
                heap.push(Head(name(next, &sources)));
            }
            let view = &views[q.segment];
            let store = &stores[q.segment];
            let mut text = String::new();
            let mut meta: Option<TantivyDocument> = None;
            for doc in view.chunks(q.item) {
                let d: TantivyDocument = store.get(doc)?;
                text.push_str(&text_of(&d, f(Role::Text)).unwrap_or_default());
                if meta.is_none() {
                    meta = Some(d);
                }
            }
            let Some(meta) = meta else { continue };
            let item = ItemMeta {
                council: text_of(&meta, f(Role::Council)),
                committee: text_of(&meta, f(Role::Committee)),
                meeting_date: date_of(&meta, f(Role::MeetingDate)),
                item_number: text_of(&meta, f(Role::ItemNumber)),
                item_title: text_of(&meta, f(Role::Title)),
                source: q.source.clone(),
                url: text_of(&meta, f(Role::Url)),
            };
            let item_id = text_of(&meta, f(Role::ItemId)).unwrap_or_default();
            let toks = tokens(&text);
            for o in occurrences(&atoms, &text, &toks, &mut analyzer) {
                if limit.is_some_and(|l| emitted >= l) {
                    return Ok(emitted);
                }
                let (start, end) = (toks[o.first].start, toks[o.last].end);
                let (left, right) = if context == 0 {
                    (String::new(), String::new())
                } else {
                    let left_from = toks[o.first.saturating_sub(context)].start;
                    let right_to = toks[(o.last + context).min(toks.len() - 1)].end;
                    (squeeze(&text[left_from..start]), squeeze(&text[end..right_to.max(end)]))
                };
                let matched = squeeze(&text[start..end]);
                let m = Mention {
                    item: &item,
                    left: &left,
                    matched: &matched,
                    right: &right,
                    item_id: &item_id,
                    offset: start,
                };
                emitted += 1;
                if !emit(&m)? {
                    return Ok(emitted);
                }
            }
        }
        Ok(emitted)
    }
}

/// Whitespace runs as single spaces, trimmed.
fn squeeze(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}
