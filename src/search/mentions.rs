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
use crate::index::blocks::{BlockCache, StoreBlocks};
use crate::schema::Role;
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::ops::Range;
use tantivy::schema::Value;
use tantivy::store::StoreReader;
use tantivy::{DocId, TantivyDocument};

/// Decompressed document-store blocks kept per segment and thread (4 KB each):
/// rows come in date order, which jumps around the store, but an item's chunks
/// and a meeting's items are neighbours in it.
const STORE_CACHE_BLOCKS: usize = 256;

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
    /// Counts items up from 0 in output order: rows with the same number share
    /// `item` (writers format an item's metadata once, not once a row).
    #[serde(skip)]
    pub item_seq: u64,
}

/// An item waiting in the date-ordered merge across segments.
#[derive(Debug, Clone)]
struct Queued {
    date: Option<i64>,
    source: std::sync::Arc<str>,
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
        // Per segment: its matching items sorted by (date, source, ordinal), with
        // their source paths, named in one pass over the dictionary (an item's
        // neighbours in date order are mostly on other pages, and a lookup each
        // decoded a dictionary block).
        let parallel = self.worth_parallel(searcher, plan);
        let lists = super::per_segment(searcher, parallel, |seg, reader| {
            let view = SegmentView::cached(reader, s, &self.columns)?;
            let items = view.matches(plan)?;
            let cols = view.columns();
            let mut list: Vec<(Option<i64>, u64, u64, DocId)> = items
                .iter()
                .map(|item| {
                    let src = cols.source.as_ref().and_then(|c| c.term_ords(item).next()).unwrap_or(0);
                    (view.date(item), src, cols.item_ordinal.first(item).unwrap_or(0), item)
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
            let mut ords: Vec<u64> = list.iter().map(|l| l.1).collect();
            ords.sort_unstable();
            ords.dedup();
            let mut names: Vec<std::sync::Arc<str>> = Vec::with_capacity(ords.len());
            if let Some(col) = cols.source.as_ref() {
                col.dictionary()
                    .sorted_ords_to_term_cb(&ords, |b| names.push(String::from_utf8_lossy(b).into()))
                    .map_err(|e| crate::error::Error::io("reading source paths", e))?;
            }
            let named = |ord: u64| ords.binary_search(&ord).ok().and_then(|i| names.get(i).cloned());
            let queued: Vec<Queued> = list
                .drain(..)
                .map(|(date, src, ordinal, item)| Queued {
                    date,
                    source: named(src).unwrap_or_else(|| "".into()),
                    ordinal,
                    segment: seg as usize,
                    item,
                })
                .collect();
            Ok(queued)
        })?;
        let mut queues: Vec<std::vec::IntoIter<Queued>> = Vec::with_capacity(readers.len());
        let mut segments: Vec<SegmentText> = Vec::with_capacity(readers.len());
        for (reader, list) in readers.iter().zip(lists) {
            let cols = self.columns.get(reader, s)?;
            // The block table costs ~3 ns a chunk to read and saves ~3 us an item:
            // worth it from about one item in a thousand chunks.
            let direct = self.direct_store && list.len() as u64 * 1000 >= u64::from(reader.max_doc());
            queues.push(list.into_iter());
            segments.push(SegmentText {
                reader,
                cols,
                max_doc: reader.max_doc(),
                direct,
                blocks: std::sync::OnceLock::new(),
                texts: self.texts.get_checked(reader, s.texts_file())?,
            });
        }
        let analyzer = s.analyzer_for(Role::Text).ok_or_else(|| crate::error::Error::Data("no analyzer".into()))?;
        let locator = super::locate::Locator::new(&atoms);
        let reader = ItemReader {
            schema: s,
            segments: &segments,
            atoms: &atoms,
            locator,
            context,
            dir: &self.opened.dir,
            in_place: self.stored_in_place,
            trust_ascii: self.trust_ascii_words,
        };
        let mut heap = BinaryHeap::new();
        for q in &mut queues {
            if let Some(first) = q.next() {
                heap.push(Head(first));
            }
        }
        // Reading an item back costs far more than matching it: threads pay off
        // from a few dozen items on.
        let total: usize = queues.iter().map(|q| q.len()).sum::<usize>() + heap.len();
        let workers = if self.parallel && total >= 64 {
            std::thread::available_parallelism().map_or(1, |n| n.get()).min(4)
        } else {
            1
        };
        let window = (total / (workers * 8)).clamp(8, WINDOW);
        // The next `size` items in order.
        let mut next_window = |size: usize| -> Vec<Queued> {
            let mut batch = Vec::with_capacity(size);
            while batch.len() < size {
                let Some(Head(q)) = heap.pop() else { break };
                if let Some(next) = queues[q.segment].next() {
                    heap.push(Head(next));
                }
                batch.push(q);
            }
            batch
        };
        let mut out = Emitter { emit, limit, emitted: 0, items: 0 };
        if workers < 2 {
            let mut w = Worker::new(&segments, analyzer);
            loop {
                let batch = next_window(1);
                if batch.is_empty() {
                    return Ok(out.emitted);
                }
                let rows: Vec<ItemRows> =
                    batch.into_iter().filter_map(|q| reader.rows(q, &mut w).transpose()).collect::<Result<_>>()?;
                if !out.items(&rows)? {
                    return Ok(out.emitted);
                }
                w.recycle(rows);
            }
        }
        // Windows of items go round the workers, which read and scan them (each
        // with its own store readers: a shared block cache is a contended lock);
        // this thread merges, and writes the rows back in order.
        std::thread::scope(|scope| -> Result<u64> {
            let reader = &reader;
            let mut inputs = Vec::with_capacity(workers);
            let mut outputs = Vec::with_capacity(workers);
            let mut spents = Vec::with_capacity(workers);
            for _ in 0..workers {
                let (in_tx, in_rx) = std::sync::mpsc::sync_channel::<Vec<Queued>>(IN_FLIGHT);
                let (out_tx, out_rx) = std::sync::mpsc::sync_channel::<Result<Vec<ItemRows>>>(IN_FLIGHT);
                let (spent_tx, spent_rx) = std::sync::mpsc::channel::<Vec<ItemRows>>();
                let analyzer = analyzer.clone();
                let segments = &segments;
                scope.spawn(move || {
                    let mut w = Worker::new(segments, analyzer);
                    for batch in in_rx {
                        // Written rows come back to be filled again here, where they
                        // were allocated (about ten allocations an item otherwise;
                        // and freeing them on the writing thread made malloc shuttle
                        // memory between the threads' arenas).
                        while let Ok(spent) = spent_rx.try_recv() {
                            w.recycle(spent);
                        }
                        let rows = batch.into_iter().filter_map(|q| reader.rows(q, &mut w).transpose()).collect();
                        // The writer stopped (a limit, an error): so does this worker.
                        if out_tx.send(rows).is_err() {
                            return;
                        }
                    }
                });
                inputs.push(in_tx);
                outputs.push(out_rx);
                spents.push(spent_tx);
            }
            let (mut sent, mut done, mut drained) = (0usize, 0usize, false);
            loop {
                while !drained && sent - done < IN_FLIGHT * workers {
                    let batch = next_window(window);
                    if batch.is_empty() {
                        drained = true;
                    } else if inputs[sent % workers].send(batch).is_ok() {
                        sent += 1;
                    } else {
                        drained = true;
                    }
                }
                if done == sent {
                    return Ok(out.emitted);
                }
                let from = done % workers;
                let rows = outputs[from]
                    .recv()
                    .map_err(|_| crate::error::Error::Data("a mentions worker stopped".into()))??;
                done += 1;
                let more = out.items(&rows)?;
                // A worker that has finished drops what it is sent back: no matter.
                let _ = spents[from].send(rows);
                if !more {
                    return Ok(out.emitted);
                }
            }
        })
    }
}

/// Windows in flight per worker.
const IN_FLIGHT: usize = 2;

/// Writes rows in order, up to a limit.
struct Emitter<'e> {
    emit: &'e mut dyn FnMut(&Mention) -> Result<bool>,
    limit: Option<u64>,
    emitted: u64,
    items: u64,
}

impl Emitter<'_> {
    /// False once no more rows are wanted.
    fn items(&mut self, items: &[ItemRows]) -> Result<bool> {
        for item in items {
            self.items += 1;
            for r in &item.rows {
                if self.limit.is_some_and(|l| self.emitted >= l) {
                    return Ok(false);
                }
                let m = Mention {
                    item: &item.meta,
                    left: &item.strings[r.left.clone()],
                    matched: &item.strings[r.matched.clone()],
                    right: &item.strings[r.right.clone()],
                    item_id: &item.item_id,
                    offset: r.offset,
                    item_seq: self.items,
                };
                self.emitted += 1;
                if !(self.emit)(&m)? {
                    return Ok(false);
                }
            }
        }
        Ok(true)
    }
}

/// One thread's means of reading items: its own store readers (opened on first
/// use) and analyzer.
struct Worker<'a> {
    segments: &'a [SegmentText<'a>],
    stores: Vec<Option<StoreReader>>,
    /// Per segment: its last few decompressed blocks (see [`StoreBlocks`]).
    caches: Vec<BlockCache>,
    /// The bytes of the chunk read last through tantivy's reader.
    owned: tantivy::directory::OwnedBytes,
    analyzer: tantivy::tokenizer::TextAnalyzer,
    /// The item being read, joined from its chunks (kept to reuse its buffer).
    text: String,
    /// The item's matches and their context spans (buffers reused item to item).
    found: Vec<Range<usize>>,
    spans: Vec<[usize; 4]>,
    /// Written items' buffers, to be filled again (at most [`SPARE`]).
    spare: Vec<ItemRows>,
    /// A chunk-texts record, read and decompressed.
    scratch: Vec<u8>,
    record: Vec<u8>,
}

/// Written items kept per worker for their buffers.
const SPARE: usize = 2 * WINDOW;

impl<'a> Worker<'a> {
    fn new(segments: &'a [SegmentText<'a>], analyzer: tantivy::tokenizer::TextAnalyzer) -> Worker<'a> {
        Worker {
            segments,
            stores: segments.iter().map(|_| None).collect(),
            caches: segments.iter().map(|_| BlockCache::default()).collect(),
            owned: tantivy::directory::OwnedBytes::empty(),
            analyzer,
            text: String::new(),
            found: Vec::new(),
            spans: Vec::new(),
            spare: Vec::new(),
            scratch: Vec::new(),
            record: Vec::new(),
        }
    }

    /// Keeps written items' buffers for the next items (the rest are freed).
    fn recycle(&mut self, written: Vec<ItemRows>) {
        let room = SPARE.saturating_sub(self.spare.len());
        self.spare.extend(written.into_iter().take(room));
    }

    fn store(&mut self, segment: usize) -> Result<&StoreReader> {
        let slot = &mut self.stores[segment];
        if slot.is_none() {
            *slot = Some(
                self.segments[segment]
                    .reader
                    .get_store_reader(STORE_CACHE_BLOCKS)
                    .map_err(|e| crate::error::Error::io("reading the document store", e))?,
            );
        }
        slot.as_ref().ok_or_else(|| crate::error::Error::Data("document store".into()))
    }

    /// The stored bytes of a chunk: from the block table when there is one, else
    /// through tantivy's store reader.
    fn chunk(&mut self, segment: usize, doc: DocId, dir: &std::path::Path) -> Result<&[u8]> {
        let seg = &self.segments[segment];
        if let Some(blocks) =
            seg.direct.then(|| seg.blocks.get_or_init(|| StoreBlocks::open(seg.reader, dir)).as_ref()).flatten()
        {
            return self.caches[segment]
                .doc(blocks, doc)
                .map_err(|e| crate::error::Error::io("reading the document store", e));
        }
        self.owned = self.store(segment)?.get_document_bytes(doc)?;
        Ok(self.owned.as_slice())
    }
}

/// Items per window of the mentions pipeline.
const WINDOW: usize = 256;

/// One segment and its item columns.
struct SegmentText<'a> {
    reader: &'a tantivy::SegmentReader,
    cols: std::sync::Arc<super::eval::ItemColumns>,
    max_doc: DocId,
    /// Whether its chunks are read through `blocks` (enough of them match).
    direct: bool,
    /// Its store's block table, read by the first thread that needs it (`None`:
    /// a layout [`StoreBlocks`] does not read; tantivy's reader is used).
    blocks: std::sync::OnceLock<Option<StoreBlocks>>,
    /// Its chunk texts file (`None`: an older index, whose store holds the texts).
    texts: Option<std::sync::Arc<crate::index::texts::Texts>>,
}

/// A matching item's rows, ready to emit: each row's context and match are
/// ranges of `strings` (one buffer for the item, not three strings a row).
/// Written ones go back to the worker that built them, to be filled again.
#[derive(Default)]
struct ItemRows {
    meta: ItemMeta,
    item_id: String,
    strings: String,
    rows: Vec<Row>,
}

impl ItemRows {
    /// The `k`th of council, committee, item number, title, url and item id (the
    /// order of `index::texts::META_ROLES`), refilled in place (`None`: absent).
    fn set_meta(&mut self, k: usize, value: Option<&str>) {
        let m = &mut self.meta;
        let slot = match k {
            0 => &mut m.council,
            1 => &mut m.committee,
            2 => &mut m.item_number,
            3 => &mut m.item_title,
            4 => &mut m.url,
            _ => {
                refill(&mut self.item_id, value.unwrap_or_default());
                return;
            }
        };
        match value {
            Some(v) => refill(slot.get_or_insert_with(String::new), v),
            None => *slot = None,
        }
    }
}

struct Row {
    left: Range<usize>,
    matched: Range<usize>,
    right: Range<usize>,
    offset: usize,
}

/// Reads items back from the store and finds their mentions (shared by the
/// threads of the pipeline).
struct ItemReader<'a> {
    schema: &'a crate::schema::IndexSchema,
    segments: &'a [SegmentText<'a>],
    atoms: &'a [&'a Atom],
    /// Finds the atoms without tokenising, in most texts (see [`super::locate`]).
    locator: Option<super::locate::Locator>,
    context: usize,
    /// The index directory (the store files [`StoreBlocks`] reads).
    dir: &'a std::path::Path,
    /// See [`super::Engine::stored_in_place`].
    in_place: bool,
    /// See [`super::Engine::trust_ascii_words`].
    trust_ascii: bool,
}

impl ItemReader<'_> {
    fn rows(&self, q: Queued, w: &mut Worker) -> Result<Option<ItemRows>> {
        if !self.in_place {
            return self.rows_from_documents(q, w);
        }
        let seg = &self.segments[q.segment];
        if let Some(texts) = &seg.texts {
            return self.rows_from_texts(q, texts, w).map(Some);
        }
        let f = |role| self.schema.fields.get(role).field_id();
        let (text_field, meta_fields) = (
            f(Role::Text),
            [f(Role::Council), f(Role::Committee), f(Role::ItemNumber), f(Role::Title), f(Role::Url), f(Role::ItemId)],
        );
        let mut text = std::mem::take(&mut w.text);
        text.clear();
        let mut out = w.spare.pop().unwrap_or_default();
        // council, committee, item number, title, url, item id: the first chunk's,
        // written into the recycled item's strings.
        let mut found = [false; 6];
        let mut read_any = false;
        for doc in super::eval::item_chunks(&seg.cols, seg.max_doc, q.item) {
            let bytes = w.chunk(q.segment, doc, self.dir)?;
            let first = !read_any;
            read_any = true;
            let (mut has_text, mut utf8) = (false, true);
            // Only the values kept are checked: a later chunk's metadata is skipped.
            let read = super::stored::for_each_text_bytes(bytes, |id, value| {
                if id == text_field && !has_text {
                    match simdutf8::basic::from_utf8(value) {
                        Ok(value) => text.push_str(value),
                        Err(_) => utf8 = false,
                    }
                    has_text = true;
                } else if first {
                    if let Some(k) = meta_fields.iter().position(|m| *m == id) {
                        if !found[k] {
                            match simdutf8::basic::from_utf8(value) {
                                Ok(value) => {
                                    out.set_meta(k, Some(value));
                                    found[k] = true;
                                }
                                Err(_) => utf8 = false,
                            }
                        }
                    }
                }
            });
            if read.is_none() || !utf8 {
                w.text = text;
                return self.rows_from_documents(q, w);
            }
        }
        if !read_any {
            w.text = text;
            return Ok(None);
        }
        // Values the first chunk did not hold.
        for k in (0..6).filter(|&k| !found[k]) {
            out.set_meta(k, None);
        }
        set_date_and_source(&mut out.meta, &q);
        let ascii = self.trust_ascii && seg.cols.ascii_words.as_ref().and_then(|c| c.first(q.item)) == Some(1);
        let rows = self.find(&text, ascii, out, w);
        w.text = text;
        Ok(Some(rows))
    }

    /// [`ItemReader::rows`] from the segment's chunk texts file.
    fn rows_from_texts(&self, q: Queued, texts: &crate::index::texts::Texts, w: &mut Worker) -> Result<ItemRows> {
        let seg = &self.segments[q.segment];
        let mut text = std::mem::take(&mut w.text);
        text.clear();
        let mut out = w.spare.pop().unwrap_or_default();
        let mut record = std::mem::take(&mut w.record);
        let mut have_meta = false;
        for doc in super::eval::item_chunks(&seg.cols, seg.max_doc, q.item) {
            let r = texts
                .record_with(doc, &mut w.scratch, &mut record)
                .map_err(|e| crate::error::Error::io("reading chunk texts", e))?;
            text.push_str(r.text);
            if let (Some(values), false) = (r.meta, have_meta) {
                have_meta = true;
                for (k, value) in values.into_iter().enumerate() {
                    out.set_meta(k, value);
                }
            }
        }
        w.record = record;
        if !have_meta {
            for k in 0..6 {
                out.set_meta(k, None);
            }
        }
        set_date_and_source(&mut out.meta, &q);
        let ascii = self.trust_ascii && seg.cols.ascii_words.as_ref().and_then(|c| c.first(q.item)) == Some(1);
        let rows = self.find(&text, ascii, out, w);
        w.text = text;
        Ok(rows)
    }

    /// [`ItemReader::rows`] through tantivy's documents, for chunks whose stored
    /// bytes [`super::stored::for_each_text_bytes`] does not read (or not as UTF-8).
    fn rows_from_documents(&self, q: Queued, w: &mut Worker) -> Result<Option<ItemRows>> {
        let seg = &self.segments[q.segment];
        let f = |role| self.schema.fields.get(role);
        let mut text = String::new();
        let mut meta: Option<TantivyDocument> = None;
        for doc in super::eval::item_chunks(&seg.cols, seg.max_doc, q.item) {
            let d: TantivyDocument = w.store(q.segment)?.get(doc)?;
            if let Some(texts) = &seg.texts {
                let r =
                    texts.record(doc, &mut w.record).map_err(|e| crate::error::Error::io("reading chunk texts", e))?;
                text.push_str(r.text);
            } else if let Some(t) = d.get_first(f(Role::Text)).and_then(|v| v.as_str()) {
                text.push_str(t);
            }
            if meta.is_none() {
                meta = Some(d);
            }
        }
        let Some(meta) = meta else { return Ok(None) };
        let item = ItemMeta {
            council: text_of(&meta, f(Role::Council)),
            committee: text_of(&meta, f(Role::Committee)),
            meeting_date: date_of(&meta, f(Role::MeetingDate)),
            item_number: text_of(&meta, f(Role::ItemNumber)),
            item_title: text_of(&meta, f(Role::Title)),
            source: q.source.to_string(),
            url: text_of(&meta, f(Role::Url)),
        };
        let item_id = text_of(&meta, f(Role::ItemId)).unwrap_or_default();
        let out = ItemRows { meta: item, item_id, ..ItemRows::default() };
        Ok(Some(self.find(&text, false, out, w)))
    }

    /// The mentions in an item's text, with their context, into `out` (whose
    /// metadata is set); `ascii` when the index says (and the engine trusts it)
    /// that the text has no non-ASCII letter or digit.
    fn find(&self, text: &str, ascii: bool, mut out: ItemRows, w: &mut Worker) -> ItemRows {
        let context = self.context;
        // Each mention as (match start, match end, context start, context end).
        let mut spans = std::mem::take(&mut w.spans);
        spans.clear();
        let located = self.locator.as_ref().map(|l| {
            if ascii {
                l.find_in_ascii_words(text, &mut w.found);
                true
            } else {
                l.find_into(text, &mut w.found)
            }
        });
        match located {
            Some(true) => spans.extend(w.found.iter().map(|r| {
                let (from, to) = context_bounds(text, r, context);
                [r.start, r.end, from, to.max(r.end)]
            })),
            _ => {
                let toks = tokens(text);
                spans.extend(occurrences(self.atoms, text, &toks, &mut w.analyzer).into_iter().map(|o| {
                    let (start, end) = (toks[o.first].start, toks[o.last].end);
                    if context == 0 {
                        return [start, end, start, end];
                    }
                    let left_from = toks[o.first.saturating_sub(context)].start;
                    let right_to = toks[o.last.saturating_add(context).min(toks.len() - 1)].end;
                    [start, end, left_from, right_to.max(end)]
                }))
            }
        }
        // Squeezing only shortens: one buffer holds every row's strings.
        let strings = &mut out.strings;
        strings.clear();
        strings.reserve(spans.iter().map(|[_, _, from, to]| to - from).sum());
        let mut put = |piece: Range<usize>| {
            let from = strings.len();
            squeeze_into(text, piece, strings);
            from..strings.len()
        };
        out.rows.clear();
        out.rows.extend(spans.iter().map(|&[start, end, from, to]| {
            let left = put(from..start);
            let matched = put(start..end);
            Row { left, matched, right: put(end..to), offset: start }
        }));
        w.spans = spans;
        out
    }
}

/// The meeting date and source of a queued item, into its recycled metadata.
fn set_date_and_source(m: &mut ItemMeta, q: &Queued) {
    match q.date.and_then(|secs| crate::parse::dates::Date::from_days_since_epoch(secs.div_euclid(86_400))) {
        Some(d) => {
            use std::fmt::Write;
            let s = m.meeting_date.get_or_insert_with(String::new);
            s.clear();
            let _ = write!(s, "{d}");
        }
        None => m.meeting_date = None,
    }
    refill(&mut m.source, &q.source);
}

/// `s` replaced by `value`, in its own buffer.
fn refill(s: &mut String, value: &str) {
    s.clear();
    s.push_str(value);
}

fn context_bounds(text: &str, r: &Range<usize>, context: usize) -> (usize, usize) {
    if context == 0 {
        (r.start, r.end)
    } else {
        super::locate::context(text, r.start, r.end, context)
    }
}

/// `text[range]` with whitespace runs as single spaces, trimmed, appended to `out`
/// (`split_whitespace` joined by spaces; ASCII text, nearly all of it, is done
/// by bytes: this runs on every row's context).
fn squeeze_into(text: &str, range: Range<usize>, out: &mut String) {
    if squeeze_ascii(text.as_bytes(), range.clone(), out) {
        return;
    }
    // ASCII whitespace is all `trim_ascii` removes. Text with no tab or newline,
    // no double space and no Unicode whitespace (’ and – are not) is copied whole;
    // the first two checks are folds that vectorise.
    let t = text[range].trim_ascii();
    let tb = t.as_bytes();
    let ctrl = tb.iter().fold(false, |x, &c| x | (9..=13).contains(&c));
    let double =
        tb.iter().zip(tb.get(1..).unwrap_or_default()).fold(false, |acc, (&a, &b)| acc | (a == b' ' && b == b' '));
    if !ctrl && !double && !unicode_space(tb) {
        out.push_str(t);
        return;
    }
    for (i, w) in t.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(w);
    }
}

/// [`squeeze_into`] when `text[range]` is ASCII (false, and nothing written,
/// otherwise), 16 bytes at a time through a stack buffer: whitespace becomes a
/// space, and a block with no run of two is stored whole. Blocks are loaded from
/// `text`, past the range's end where it has the bytes, and masked: most contexts
/// and matches are a few dozen bytes, and copying their last bytes aside to load
/// them cost more than the rest (a byte loop before it mispredicted at every
/// word boundary with a line break: 7 % of `mentions CSE`).
fn squeeze_ascii(text: &[u8], range: Range<usize>, out: &mut String) -> bool {
    let Some(b) = text.get(range.clone()) else { return false };
    if !b.is_ascii() {
        return false;
    }
    let space = |c: u8| matches!(c, 9..=13 | b' ');
    // `trim_ascii` keeps U+000B, which is whitespace to `split_whitespace`.
    let from = range.start + b.iter().position(|&c| !space(c)).unwrap_or(b.len());
    let to = range.start + b.iter().rposition(|&c| !space(c)).map_or(from - range.start, |i| i + 1);
    const FLUSH: usize = 256;
    let mut buf = [0u8; FLUSH + 16];
    let (mut n, mut prev, mut i) = (0usize, 0u32, from);
    let mut append = |buf: &[u8]| {
        // SAFETY: `buf` holds bytes of `b`, which is ASCII (checked above), and
        // spaces: valid UTF-8.
        unsafe { out.as_mut_vec() }.extend_from_slice(buf);
    };
    while i < to {
        let len = (to - i).min(16);
        let (spaced, ws) = match text.get(i..i + 16) {
            Some(block) => spaced16(block),
            None => {
                let mut lane = [0u8; 16];
                lane[..len].copy_from_slice(&text[i..i + len]);
                spaced16(&lane)
            }
        };
        let ws = u32::from(ws) & ((1u32 << len) - 1);
        // A whitespace byte after another is dropped.
        let drop = ws & ((ws << 1) | prev);
        if drop == 0 {
            buf[n..n + 16].copy_from_slice(&spaced);
            n += len;
        } else {
            for (k, &c) in spaced.iter().enumerate().take(len) {
                buf[n] = c;
                n += usize::from(drop >> k & 1 == 0);
            }
        }
        prev = ws >> (len - 1) & 1;
        i += len;
        if n >= FLUSH {
            append(&buf[..n]);
            n = 0;
        }
    }
    append(&buf[..n]);
    true
}

/// A 16-byte block with its whitespace (tab to carriage return, space) replaced by
/// spaces, and which bytes those were, as bits. SSE2 (every x86-64): two compares
/// and a blend.
#[cfg(target_arch = "x86_64")]
fn spaced16(block: &[u8]) -> ([u8; 16], u16) {
    use std::arch::x86_64::*;
    assert!(block.len() >= 16);
    let mut spaced = [0u8; 16];
    // SAFETY: SSE2 is part of the x86-64 baseline; the load reads 16 bytes of
    // `block`, which has at least 16 (asserted above), the store writes the 16 of
    // `spaced`, and neither needs alignment.
    let ws = unsafe {
        let v = _mm_loadu_si128(block.as_ptr().cast::<__m128i>());
        let sp = _mm_set1_epi8(b' ' as i8);
        // 9 <= c <= 13 as an unsigned compare of `c - 9` with 4.
        let d = _mm_sub_epi8(v, _mm_set1_epi8(9));
        let ctrl = _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(4)), d);
        let ws = _mm_or_si128(_mm_cmpeq_epi8(v, sp), ctrl);
        let blended = _mm_or_si128(_mm_andnot_si128(ws, v), _mm_and_si128(ws, sp));
        _mm_storeu_si128(spaced.as_mut_ptr().cast::<__m128i>(), blended);
        _mm_movemask_epi8(ws) as u16
    };
    (spaced, ws)
}

#[cfg(not(target_arch = "x86_64"))]
fn spaced16(block: &[u8]) -> ([u8; 16], u16) {
    let mut spaced = [0u8; 16];
    spaced.copy_from_slice(&block[..16]);
    let mut ws = 0u16;
    for (i, c) in spaced.iter_mut().enumerate() {
        if matches!(*c, 9..=13 | b' ') {
            *c = b' ';
            ws |= 1 << i;
        }
    }
    (spaced, ws)
}

/// Whether UTF-8 `b` holds a non-ASCII whitespace character: U+0085, U+00A0,
/// U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F or U+3000.
fn unicode_space(b: &[u8]) -> bool {
    let after = |i: usize, n: usize| b.get(i + 1..i + 1 + n).unwrap_or_default();
    memchr::memchr3_iter(0xC2, 0xE1, 0xE2, b).any(|i| match b[i] {
        0xC2 => matches!(after(i, 1), [0x85 | 0xA0]),
        0xE1 => after(i, 2) == [0x9A, 0x80],
        _ => matches!(after(i, 2), [0x80, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF] | [0x81, 0x9F]),
    }) || memchr::memmem::find(b, "\u{3000}".as_bytes()).is_some()
}

#[cfg(test)]
mod tests {
    use super::squeeze_into;

    /// `s` squeezed on its own and as a range of longer texts (whose bytes around
    /// it, whitespace and non-ASCII, are loaded with its blocks but not its to use).
    fn squeezed(s: &str) -> String {
        let alone = {
            let mut out = String::new();
            squeeze_into(s, 0..s.len(), &mut out);
            out
        };
        for (before, after) in [("x \n", "  \t\u{e9}\u{a0}  and more words after it"), ("\u{2019}", ""), ("", " \n")] {
            let text = format!("{before}{s}{after}");
            let mut out = String::from("#");
            squeeze_into(&text, before.len()..before.len() + s.len(), &mut out);
            assert_eq!(out[1..], alone, "{s:?} in {text:?}");
        }
        alone
    }

    #[test]
    fn squeezing_equals_split_whitespace() {
        for s in [
            "",
            " ",
            "a",
            "  a  b\t\nc ",
            "caf\u{e9}\u{a0}\u{a0}au\u{2003}lait\u{3000}",
            "\u{85}x\u{2019}s \u{2028}",
            "a\u{b}\u{c}b\rc",
            "  plain words, one space  ",
            "x\u{2019}s  y",
            "x\u{2019}s y\u{a0}z",
        ] {
            assert_eq!(squeezed(s), s.split_whitespace().collect::<Vec<_>>().join(" "), "{s:?}");
        }
        let pieces = [
            "a", "bc", " ", "  ", "\t", "\n", "\u{2019}", "\u{2013}", "£", "\u{a0}", "\u{85}", "\u{1680}", "\u{2000}",
            "\u{2003}", "\u{200a}", "\u{200b}", "\u{2028}", "\u{2029}", "\u{202f}", "\u{205f}", "\u{3000}", "\r\n",
            "é", "\u{b}", "\u{c}",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..20_000 {
            let mut s = String::new();
            for _ in 0..(seed % 40) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                s.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            seed = seed.wrapping_add(1);
            assert_eq!(squeezed(&s), s.split_whitespace().collect::<Vec<_>>().join(" "), "{s:?}");
        }
        // ASCII contexts longer than the stack buffer, with runs across its edges.
        for n in [250, 255, 256, 257, 511, 512, 513, 1500] {
            for gap in [" ", "  ", "\n\n", " \t ", "\u{b}"] {
                let mut s = gap.to_string();
                while s.len() < n {
                    s.push_str("word");
                    s.push_str(gap);
                }
                assert_eq!(squeezed(&s), s.split_whitespace().collect::<Vec<_>>().join(" "), "{n} {gap:?}");
            }
        }
    }
}
