//! Evaluate: which items match a plan, decided per item, not per chunk.
//!
//! A long item is indexed as several chunks, but a query is about the item: `a b`
//! matches an item with `a` in its first passage and `b` in its last, and a phrase
//! may straddle two passages. Every chunk of an item sits in one segment, in
//! consecutive documents (a source is indexed in one batch), and carries its
//! position in the item (`chunk_ordinal`) and the number of tokens before it
//! (`token_offset`). So an item is named by the document of its first chunk, word
//! positions are lifted to item positions, and AND/OR/NOT combine item sets.

use super::plan::{Atom, Cond, Expr, Plan};
use crate::index::phrases::{Phrases, CROSSING};
use crate::schema::{Fields, IndexSchema, Role};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tantivy::columnar::{Column, StrColumn};
use tantivy::index::SegmentId;
use tantivy::postings::Postings;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, SegmentReader, Term, TERMINATED};

/// A set of items of one segment, as the documents of their first chunks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemSet {
    words: Vec<u64>,
}

impl ItemSet {
    pub fn empty(max_doc: DocId) -> ItemSet {
        ItemSet { words: vec![0; (max_doc as usize).div_ceil(64)] }
    }

    pub fn insert(&mut self, doc: DocId) {
        if let Some(w) = self.words.get_mut(doc as usize / 64) {
            *w |= 1 << (doc % 64);
        }
    }

    /// The greatest member at or before `doc`, if any.
    #[inline]
    fn last_at_or_before(&self, doc: DocId) -> Option<DocId> {
        let mut w = (doc / 64) as usize;
        let mut word = *self.words.get(w)? & (u64::MAX >> (63 - doc % 64));
        while word == 0 {
            w = w.checked_sub(1)?;
            word = self.words[w];
        }
        Some(w as DocId * 64 + 63 - word.leading_zeros())
    }

    pub fn contains(&self, doc: DocId) -> bool {
        self.words.get(doc as usize / 64).is_some_and(|w| w & (1 << (doc % 64)) != 0)
    }

    pub fn len(&self) -> u64 {
        self.words.iter().map(|w| u64::from(w.count_ones())).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.words.iter().all(|w| *w == 0)
    }

    fn and(&mut self, other: &ItemSet) {
        self.words.iter_mut().zip(&other.words).for_each(|(a, b)| *a &= b);
    }

    fn or(&mut self, other: &ItemSet) {
        self.words.iter_mut().zip(&other.words).for_each(|(a, b)| *a |= b);
    }

    fn and_not(&mut self, other: &ItemSet) {
        self.words.iter_mut().zip(&other.words).for_each(|(a, b)| *a &= !b);
    }

    /// Items in document order.
    pub fn iter(&self) -> impl Iterator<Item = DocId> + '_ {
        self.words.iter().enumerate().flat_map(|(i, &w)| {
            let mut bits = w;
            std::iter::from_fn(move || {
                if bits == 0 {
                    return None;
                }
                let b = bits.trailing_zeros();
                bits &= bits - 1;
                Some(i as DocId * 64 + b)
            })
        })
    }
}

/// In an AND, a word is looked up item by item when it is in this many times more
/// chunks than there are items left.
const SEEK_RATIO: u64 = 16;

/// Items holding a phrase, in item order, with its number of occurrences in each.
type PhraseCounts = Vec<(DocId, u32)>;

/// What names an atom in a view's phrase caches: its address, stable while the
/// plan it belongs to is alive (a view serves one plan).
fn atom_key(atom: &Atom) -> usize {
    std::ptr::from_ref(atom) as usize
}

/// The fast-field columns a query reads per item, for one segment. Opening a
/// column decodes its header (for blockwise-linear columns, one entry per 512
/// documents): a quarter of a rare word's search on the 1 GB index when it was
/// done per query, so an engine keeps them per segment ([`ColumnCache`]).
pub struct ItemColumns {
    pub chunk_ordinal: Column<u64>,
    pub token_offset: Column<u64>,
    pub date: Column<tantivy::DateTime>,
    pub item_ordinal: Column<u64>,
    pub source: Option<StrColumn>,
    pub topics: Option<StrColumn>,
    /// 1 on the chunks of items whose words are all ASCII (`None`: an index
    /// built before the column, or a schema without it).
    pub ascii_words: Option<Column<u64>>,
    /// The two columns every posting consults, decoded into plain arrays: for
    /// engines that serve many queries (see [`ColumnCache::decoding`]).
    decoded: Option<Decoded>,
    /// The index's phrase list, if the reader uses it.
    phrases: Option<Arc<PhraseSource>>,
    /// Whether every chunk of this segment was indexed with that list (asked
    /// the first time a phrase could use it).
    marked: std::sync::OnceLock<bool>,
}

/// The index's phrase list (`phrases.txt`), read the first time a query has a
/// phrase: a one-shot search of words never reads it.
#[derive(Debug)]
pub struct PhraseSource {
    dir: std::path::PathBuf,
    list: std::sync::OnceLock<Option<Arc<Phrases>>>,
}

impl PhraseSource {
    pub fn new(dir: &std::path::Path) -> PhraseSource {
        PhraseSource { dir: dir.to_path_buf(), list: std::sync::OnceLock::new() }
    }

    /// The list, when the index has a valid one.
    pub fn list(&self) -> Option<&Arc<Phrases>> {
        self.list.get_or_init(|| Phrases::load(&self.dir).map(Arc::new)).as_ref()
    }
}

/// `chunk_ordinal` and `token_offset` by document.
struct Decoded {
    chunk_ordinal: Vec<u32>,
    token_offset: Vec<u32>,
    /// Every item (its first chunk's document), as a bit per document: finds
    /// a chunk's item in a sixteenth of the memory `chunk_ordinal` takes (a
    /// phrase's or a word's postings look items up all over the segment, and
    /// the array's cache misses were a third of a phrase match). `None` if the
    /// columns disagree with it (a chunk not `chunk_ordinal` documents after its first).
    items: Option<ItemSet>,
}

impl Decoded {
    /// `None` when a column is not one value per document (never, as written).
    fn of(chunk_ordinal: &Column<u64>, token_offset: &Column<u64>, max_doc: DocId) -> Option<Decoded> {
        let full =
            |c: &Column<u64>| matches!(c.index, tantivy::columnar::ColumnIndex::Full) && c.values.num_vals() == max_doc;
        if !full(chunk_ordinal) || !full(token_offset) {
            return None;
        }
        let mut buf = vec![0u64; max_doc as usize];
        let narrow = |c: &Column<u64>, buf: &mut Vec<u64>| -> Option<Vec<u32>> {
            c.values.get_range(0, buf);
            buf.iter().map(|&v| u32::try_from(v).ok()).collect()
        };
        let chunk_ordinal = narrow(chunk_ordinal, &mut buf)?;
        let token_offset = narrow(token_offset, &mut buf)?;
        let items = items_of(&chunk_ordinal);
        Some(Decoded { chunk_ordinal, token_offset, items })
    }
}

/// The items of a segment whose chunks have `ordinals`, if every chunk's first
/// is where its ordinal says.
fn items_of(ordinals: &[u32]) -> Option<ItemSet> {
    let mut items = ItemSet::empty(ordinals.len() as DocId);
    let mut first = 0u32;
    for (doc, &ord) in (0u32..).zip(ordinals) {
        if ord == 0 {
            first = doc;
            items.insert(doc);
        } else if doc.checked_sub(ord) != Some(first) {
            return None;
        }
    }
    Some(items)
}

impl ItemColumns {
    pub fn open(reader: &SegmentReader, schema: &IndexSchema) -> tantivy::Result<ItemColumns> {
        ItemColumns::open_with(reader, schema, false, None)
    }

    fn open_with(
        reader: &SegmentReader,
        schema: &IndexSchema,
        decode: bool,
        phrases: Option<&Arc<PhraseSource>>,
    ) -> tantivy::Result<ItemColumns> {
        let phrases = phrases.cloned();
        let ff = reader.fast_fields();
        let chunk_ordinal = ff.u64(schema.name(Role::ChunkOrdinal))?;
        let token_offset = ff.u64(schema.name(Role::TokenOffset))?;
        let decoded = if decode { Decoded::of(&chunk_ordinal, &token_offset, reader.max_doc()) } else { None };
        Ok(ItemColumns {
            chunk_ordinal,
            token_offset,
            date: ff.date(schema.name(Role::MeetingDate))?,
            item_ordinal: ff.u64(schema.name(Role::ItemOrdinal))?,
            source: ff.str(schema.name(Role::Source))?,
            topics: ff.str(schema.name(Role::Topics))?,
            ascii_words: schema.fields.find(Role::AsciiWords).and_then(|_| ff.u64(schema.name(Role::AsciiWords)).ok()),
            decoded,
            phrases,
            marked: std::sync::OnceLock::new(),
        })
    }

    /// The item (first chunk) that chunk `doc` belongs to.
    #[inline]
    pub fn item_of(&self, doc: DocId) -> DocId {
        match self.decoded.as_ref().and_then(|d| d.items.as_ref()) {
            Some(items) => items.last_at_or_before(doc).unwrap_or(doc),
            None => doc.saturating_sub(self.chunk_ordinal(doc)),
        }
    }

    /// Position of chunk `doc` in its item (0 for the first chunk).
    #[inline]
    pub fn chunk_ordinal(&self, doc: DocId) -> u32 {
        match &self.decoded {
            Some(d) => d.chunk_ordinal.get(doc as usize).copied().unwrap_or(0),
            None => self.chunk_ordinal.first(doc).unwrap_or(0) as u32,
        }
    }

    /// Tokens of the item before chunk `doc`.
    #[inline]
    pub fn token_offset(&self, doc: DocId) -> u32 {
        match &self.decoded {
            Some(d) => d.token_offset.get(doc as usize).copied().unwrap_or(0),
            None => self.token_offset.first(doc).unwrap_or(0) as u32,
        }
    }
}

/// The documents (chunks) of the item starting at `item`, in order.
pub fn item_chunks(cols: &ItemColumns, max_doc: DocId, item: DocId) -> std::ops::Range<DocId> {
    let mut end = item + 1;
    while end < max_doc && cols.chunk_ordinal(end) > 0 {
        end += 1;
    }
    item..end
}

/// [`ItemColumns`] by segment, opened on first use. Segments never change, so
/// an entry stays valid for as long as its segment exists.
#[derive(Default)]
pub struct ColumnCache {
    segments: Mutex<HashMap<SegmentId, Arc<ItemColumns>>>,
    decode: bool,
    /// The index's phrase list: segments indexed with it match its phrases
    /// from their `phrases` postings (see [`crate::index::phrases`]).
    phrases: Option<Arc<PhraseSource>>,
}

impl ColumnCache {
    /// A cache that also decodes the chunk-to-item columns of each segment into
    /// arrays (~0.5 ms and 8 bytes a chunk per segment, once), which makes the
    /// lookup every posting needs several times cheaper: for engines that
    /// answer many queries (`serve`, `batch`), not for a one-shot command.
    pub fn decoding() -> ColumnCache {
        ColumnCache { decode: true, ..ColumnCache::default() }
    }

    /// The same cache, for segments indexed with `phrases` (`None`: phrases
    /// are matched by positions everywhere).
    pub fn with_phrases(self, phrases: Option<Arc<PhraseSource>>) -> ColumnCache {
        ColumnCache { phrases, ..self }
    }

    pub fn phrases(&self) -> Option<&Arc<PhraseSource>> {
        self.phrases.as_ref()
    }

    pub fn get(&self, reader: &SegmentReader, schema: &IndexSchema) -> tantivy::Result<Arc<ItemColumns>> {
        let id = reader.segment_id();
        if let Some(c) = self.segments.lock().unwrap_or_else(|e| e.into_inner()).get(&id) {
            return Ok(c.clone());
        }
        let opened = Arc::new(ItemColumns::open_with(reader, schema, self.decode, self.phrases.as_ref())?);
        Ok(self.segments.lock().unwrap_or_else(|e| e.into_inner()).entry(id).or_insert(opened).clone())
    }
}

/// One segment, with the columns that map chunks to items.
pub struct SegmentView<'a> {
    pub reader: &'a SegmentReader,
    pub fields: &'a Fields,
    cols: Arc<ItemColumns>,
    all: std::cell::OnceCell<ItemSet>,
    /// Occurrences per item of each phrase atom that matching has evaluated, by
    /// the atom's address and field: `count` then reads the mentions from here
    /// instead of walking the same positions again.
    phrases: std::cell::RefCell<HashMap<(usize, Role), PhraseCounts>>,
    /// With `record_chunks`: per positive text phrase atom (by address), the chunks
    /// holding it and its count in each, for ranking.
    record_chunks: bool,
    chunk_phrases: std::cell::RefCell<HashMap<usize, PhraseCounts>>,
}

impl<'a> SegmentView<'a> {
    pub fn new(reader: &'a SegmentReader, schema: &'a IndexSchema) -> tantivy::Result<SegmentView<'a>> {
        Ok(SegmentView::with_columns(reader, schema, Arc::new(ItemColumns::open(reader, schema)?)))
    }

    /// A view on columns already opened (see [`ColumnCache`]).
    pub fn cached(
        reader: &'a SegmentReader,
        schema: &'a IndexSchema,
        cache: &ColumnCache,
    ) -> tantivy::Result<SegmentView<'a>> {
        Ok(SegmentView::with_columns(reader, schema, cache.get(reader, schema)?))
    }

    fn with_columns(reader: &'a SegmentReader, schema: &'a IndexSchema, cols: Arc<ItemColumns>) -> SegmentView<'a> {
        SegmentView {
            reader,
            fields: &schema.fields,
            cols,
            all: std::cell::OnceCell::new(),
            phrases: std::cell::RefCell::default(),
            record_chunks: false,
            chunk_phrases: std::cell::RefCell::default(),
        }
    }

    pub fn columns(&self) -> &ItemColumns {
        &self.cols
    }

    /// Matching also records, per phrase of plain words, the chunks that hold it
    /// (see [`SegmentView::chunk_phrase_counts`]).
    pub fn recording_chunks(mut self) -> Self {
        self.record_chunks = true;
        self
    }

    /// The chunks holding `atom` (a positive phrase of plain words in the text),
    /// in document order with the phrase's count in each, if matching recorded them.
    pub fn chunk_phrase_counts(&self, atom: &Atom) -> Option<PhraseCounts> {
        self.chunk_phrases.borrow_mut().remove(&(atom_key(atom)))
    }

    /// The chunks of the items in `within` whose title holds `atom` (a phrase of
    /// plain words), in document order with the phrase's count there: every
    /// chunk carries its item's title, so each scores it, as tantivy's
    /// `PhraseQuery` over titles would.
    pub fn title_phrase_counts(&self, atom: &Atom, within: &ItemSet) -> tantivy::Result<PhraseCounts> {
        let mut out = Vec::new();
        for (item, n) in self.phrase_counts_streaming(Role::Title, atom, Some(within), None)? {
            out.extend(self.chunks(item).filter(|&doc| self.alive(doc)).map(|doc| (doc, n)));
        }
        Ok(out)
    }

    pub fn max_doc(&self) -> DocId {
        self.reader.max_doc()
    }

    /// The document of the first chunk of `doc`'s item.
    pub fn item_of(&self, doc: DocId) -> DocId {
        self.cols.item_of(doc)
    }

    /// Tokens before chunk `doc` in its item (which starts at `item`): where the
    /// chunk's positions start in the item. Titles are positioned on their own.
    fn token_offset(&self, doc: DocId, item: DocId, titles: bool) -> u32 {
        if titles || doc == item {
            return 0;
        }
        self.cols.token_offset(doc)
    }

    fn alive(&self, doc: DocId) -> bool {
        self.reader.alive_bitset().is_none_or(|a| a.is_alive(doc))
    }

    /// The documents (chunks) of the item starting at `item`, in order.
    pub fn chunks(&self, item: DocId) -> std::ops::Range<DocId> {
        item_chunks(&self.cols, self.max_doc(), item)
    }

    /// Meeting date of an item, in Unix seconds.
    pub fn date(&self, item: DocId) -> Option<i64> {
        self.cols.date.first(item).map(|d| d.into_timestamp_secs())
    }

    /// Every live item of the segment.
    pub fn all_items(&self) -> &ItemSet {
        self.all.get_or_init(|| {
            let mut set = ItemSet::empty(self.max_doc());
            for doc in 0..self.max_doc() {
                if self.cols.chunk_ordinal(doc) == 0 && self.alive(doc) {
                    set.insert(doc);
                }
            }
            set
        })
    }

    /// Items with any of `words` in `field`.
    fn term_items(&self, role: Role, words: &[String]) -> tantivy::Result<ItemSet> {
        let field = self.fields.get(role);
        let inverted = self.reader.inverted_index(field)?;
        let mut set = ItemSet::empty(self.max_doc());
        let alive = self.reader.alive_bitset();
        for w in words {
            // Block by block: a frequent word's postings are most of a query's work.
            let Some(mut block) =
                inverted.read_block_postings(&Term::from_field_text(field, w), IndexRecordOption::Basic)?
            else {
                continue;
            };
            while !block.docs().is_empty() {
                for &doc in block.docs() {
                    if alive.is_none_or(|a| a.is_alive(doc)) {
                        set.insert(self.item_of(doc));
                    }
                }
                block.advance();
            }
        }
        Ok(set)
    }

    /// The chunks holding any of `words` in `field` (document frequencies): what
    /// walking their postings costs.
    fn doc_freqs(&self, role: Role, words: &[String]) -> tantivy::Result<u64> {
        let field = self.fields.get(role);
        let inverted = self.reader.inverted_index(field)?;
        let mut n = 0;
        for w in words {
            n += u64::from(inverted.doc_freq(&Term::from_field_text(field, w))?);
        }
        Ok(n)
    }

    /// About how many postings evaluating `e` on its own reads.
    fn cost(&self, plan: &Plan, e: &Expr) -> tantivy::Result<u64> {
        let everything = u64::from(self.max_doc()) * 2;
        Ok(match e {
            Expr::Atom(i) => {
                let atom = &plan.atoms[*i];
                let mut n = 0;
                for slot in &atom.slots {
                    n += self.doc_freqs(atom.role, slot)?;
                }
                n
            }
            Expr::Cond(i) => match &plan.conds[*i] {
                Cond::Terms { role, terms } => self.doc_freqs(*role, terms)?,
                Cond::Dates { .. } => everything,
            },
            Expr::Or(children) => {
                let mut n = 0u64;
                for c in children {
                    n = n.saturating_add(self.cost(plan, c)?);
                }
                n
            }
            Expr::And(children) => {
                let mut n = everything;
                for c in children.iter().filter(|c| !matches!(c, Expr::Not(_))) {
                    n = n.min(self.cost(plan, c)?);
                }
                n
            }
            Expr::All | Expr::Not(_) => everything,
        })
    }

    /// `e` as "items with any of these words in this field", when it is that.
    fn words_of<'p>(&self, plan: &'p Plan, e: &Expr) -> Option<(Role, &'p [String])> {
        match e {
            Expr::Atom(i) if !plan.atoms[*i].is_phrase() => Some((plan.atoms[*i].role, &plan.atoms[*i].slots[0])),
            Expr::Cond(i) => match &plan.conds[*i] {
                Cond::Terms { role, terms } => Some((*role, terms)),
                Cond::Dates { .. } => None,
            },
            _ => None,
        }
    }

    /// The items of `within` with any of `words` in `field`, found by seeking each
    /// word's postings to each item (for words far more common than the items).
    fn term_items_within(&self, role: Role, words: &[String], within: &ItemSet) -> tantivy::Result<ItemSet> {
        let field = self.fields.get(role);
        let inverted = self.reader.inverted_index(field)?;
        let mut posts = Vec::with_capacity(words.len());
        for w in words {
            if let Some(p) = inverted.read_postings(&Term::from_field_text(field, w), IndexRecordOption::Basic)? {
                posts.push(p);
            }
        }
        let mut set = ItemSet::empty(self.max_doc());
        for item in within.iter() {
            'words: for p in posts.iter_mut() {
                let mut doc = if p.doc() < item { p.seek(item) } else { p.doc() };
                while doc != TERMINATED && self.item_of(doc) == item {
                    if self.alive(doc) {
                        set.insert(item);
                        break 'words;
                    }
                    doc = p.advance();
                }
            }
        }
        Ok(set)
    }

    /// For each item of `within` holding the phrase, its number of occurrences,
    /// in item order.
    pub fn phrase_counts(&self, role: Role, atom: &Atom, within: &ItemSet) -> tantivy::Result<Vec<(DocId, u32)>> {
        if let Some(all) = self.phrases.borrow().get(&(atom_key(atom), role)) {
            return Ok(all.iter().copied().filter(|(item, _)| within.contains(*item)).collect());
        }
        if atom.slots.iter().all(|s| s.len() == 1) {
            return self.phrase_counts_streaming(role, atom, Some(within), None);
        }
        let field = self.fields.get(role);
        let inverted = self.reader.inverted_index(field)?;
        // Titles repeat on every chunk: read them from the first chunk only, at
        // title positions (no chunk offset).
        let titles = role == Role::Title;
        // Per word of the phrase: (item, position) pairs in item order, as two columns.
        let mut slots: Vec<(Vec<DocId>, Vec<u32>)> = Vec::with_capacity(atom.slots.len());
        let mut buf = Vec::new();
        for alternatives in &atom.slots {
            let mut hits: Vec<(DocId, u32)> = Vec::new();
            for w in alternatives {
                let term = Term::from_field_text(field, w);
                let Some(mut postings) = inverted.read_postings(&term, IndexRecordOption::WithFreqsAndPositions)?
                else {
                    continue;
                };
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    let item = self.item_of(doc);
                    if within.contains(item) && self.alive(doc) && (!titles || item == doc) {
                        postings.positions_with_offset(self.token_offset(doc, item, titles), &mut buf);
                        hits.extend(buf.iter().map(|&p| (item, p)));
                    }
                    doc = postings.advance();
                }
            }
            if alternatives.len() > 1 {
                hits.sort_unstable();
                hits.dedup();
            }
            if hits.is_empty() {
                return Ok(Vec::new());
            }
            slots.push(hits.into_iter().unzip());
        }
        // Walk the items present in every slot, in order.
        let mut out = Vec::new();
        let mut cursors = vec![0usize; slots.len()];
        'items: while let Some(&first) = slots[0].0.get(cursors[0]) {
            let mut item = first;
            // Align every slot on the same item.
            loop {
                let mut moved = false;
                for ((items, _), c) in slots.iter().zip(cursors.iter_mut()) {
                    while items.get(*c).is_some_and(|&i| i < item) {
                        *c += 1;
                    }
                    match items.get(*c) {
                        None => break 'items,
                        Some(&i) if i > item => {
                            item = i;
                            moved = true;
                        }
                        _ => {}
                    }
                }
                if !moved {
                    break;
                }
            }
            let mut ranges: Vec<&[u32]> = Vec::with_capacity(slots.len());
            for ((items, pos), c) in slots.iter().zip(cursors.iter_mut()) {
                let start = *c;
                while items.get(*c) == Some(&item) {
                    *c += 1;
                }
                ranges.push(&pos[start..*c]);
            }
            let n = count_phrase(&ranges, atom.slop);
            if n > 0 {
                out.push((item, n));
            }
        }
        Ok(out)
    }

    /// [`SegmentView::phrase_counts`] for phrases of plain words (no prefix): the
    /// words' postings advance together item by item (skipping with `seek`), so
    /// only items holding every word are read, and nothing is collected up front.
    ///
    /// With `per_chunk`, also each document (chunk) holding the whole phrase, with
    /// its count there: what ranking scores (BM25 on phrase frequency per chunk).
    fn phrase_counts_streaming(
        &self,
        role: Role,
        atom: &Atom,
        within: Option<&ItemSet>,
        mut per_chunk: Option<&mut PhraseCounts>,
    ) -> tantivy::Result<Vec<(DocId, u32)>> {
        if let Some(counts) = self.indexed_phrase_counts(role, atom, within, per_chunk.as_deref_mut())? {
            return Ok(counts);
        }
        let field = self.fields.get(role);
        let inverted = self.reader.inverted_index(field)?;
        let titles = role == Role::Title;
        let mut posts = Vec::with_capacity(atom.slots.len());
        for slot in &atom.slots {
            let term = Term::from_field_text(field, &slot[0]);
            match inverted.read_postings(&term, IndexRecordOption::WithFreqsAndPositions)? {
                Some(p) => posts.push(p),
                None => return Ok(Vec::new()),
            }
        }
        let mut out = Vec::new();
        let mut positions: Vec<Vec<u32>> = vec![Vec::new(); posts.len()];
        // Per word: (document, where its positions start in `positions`).
        let mut doc_starts: Vec<Vec<(DocId, usize)>> = vec![Vec::new(); posts.len()];
        // The item of each word's current document (read once per document: the
        // chunk-ordinal column is the costly part of this loop).
        let mut items: Vec<DocId> =
            posts.iter().map(|p| if p.doc() == TERMINATED { TERMINATED } else { self.item_of(p.doc()) }).collect();
        loop {
            if items.contains(&TERMINATED) {
                return Ok(out);
            }
            // The next item every word reaches.
            let item = items.iter().copied().max().unwrap_or(TERMINATED);
            let mut aligned = true;
            for (p, it) in posts.iter_mut().zip(items.iter_mut()) {
                if *it < item {
                    let doc = p.seek(item);
                    *it = if doc == TERMINATED { TERMINATED } else { self.item_of(doc) };
                }
                if *it == TERMINATED {
                    return Ok(out);
                }
                aligned &= *it == item;
            }
            if !aligned {
                continue;
            }
            let wanted = within.is_none_or(|w| w.contains(item));
            for (((p, it), pos), starts) in
                posts.iter_mut().zip(items.iter_mut()).zip(positions.iter_mut()).zip(doc_starts.iter_mut())
            {
                pos.clear();
                starts.clear();
                while *it == item {
                    let doc = p.doc();
                    if wanted && self.alive(doc) && (!titles || doc == item) {
                        starts.push((doc, pos.len()));
                        p.append_positions_with_offset(self.token_offset(doc, item, titles), pos);
                    }
                    let next = p.advance();
                    *it = if next == TERMINATED { TERMINATED } else { self.item_of(next) };
                }
            }
            if wanted {
                let n = count_phrase(&positions, atom.slop);
                if n > 0 {
                    out.push((item, n));
                    if let Some(chunks) = per_chunk.as_deref_mut() {
                        match doc_starts[0].as_slice() {
                            // One chunk holds every word (most items): the item's count is the chunk's.
                            [(doc, _)] if doc_starts.iter().all(|s| s.len() == 1 && s[0].0 == *doc) => {
                                chunks.push((*doc, n))
                            }
                            _ => count_per_chunk(&positions, &doc_starts, atom.slop, chunks),
                        }
                    }
                }
            }
        }
    }

    /// [`SegmentView::phrase_counts_streaming`] from the `phrases` postings, when
    /// this segment indexed the phrase whole (a text phrase of plain words, no
    /// slop, in the list): each chunk's tokens count its occurrences, those
    /// running into the next chunk under [`CROSSING`] (the item's, not the chunk's).
    fn indexed_phrase_counts(
        &self,
        role: Role,
        atom: &Atom,
        within: Option<&ItemSet>,
        mut per_chunk: Option<&mut PhraseCounts>,
    ) -> tantivy::Result<Option<Vec<(DocId, u32)>>> {
        if role != Role::Text || atom.slop != 0 || atom.slots.iter().any(|s| s.len() != 1) {
            return Ok(None);
        }
        let (Some(source), Some(field)) = (self.cols.phrases.as_ref(), self.fields.find(Role::Phrases)) else {
            return Ok(None);
        };
        let Some(list) = source.list() else { return Ok(None) };
        let words: Vec<&str> = atom.slots.iter().map(|s| s[0].as_str()).collect();
        let Some(key) = list.key(&words) else { return Ok(None) };
        let inverted = self.reader.inverted_index(field)?;
        // Every chunk of the segment (deleted ones too) was indexed with this list.
        let marked = match self.cols.marked.get() {
            Some(&m) => m,
            None => {
                let n = inverted.doc_freq(&Term::from_field_text(field, list.marker()))?;
                *self.cols.marked.get_or_init(|| n == self.reader.max_doc())
            }
        };
        if !marked {
            return Ok(None);
        }
        let mut own = inverted.read_postings(&Term::from_field_text(field, &key), IndexRecordOption::WithFreqs)?;
        let mut crossing = inverted
            .read_postings(&Term::from_field_text(field, &format!("{CROSSING}{key}")), IndexRecordOption::WithFreqs)?;
        let mut out: Vec<(DocId, u32)> = Vec::new();
        loop {
            let a = own.as_ref().map_or(TERMINATED, |p| p.doc());
            let b = crossing.as_ref().map_or(TERMINATED, |p| p.doc());
            let doc = a.min(b);
            if doc == TERMINATED {
                return Ok(Some(out));
            }
            let (mut in_chunk, mut across) = (0, 0);
            if let (true, Some(p)) = (a == doc, own.as_mut()) {
                in_chunk = p.term_freq();
                p.advance();
            }
            if let (true, Some(p)) = (b == doc, crossing.as_mut()) {
                across = p.term_freq();
                p.advance();
            }
            if !self.alive(doc) {
                continue;
            }
            let item = self.item_of(doc);
            if within.is_some_and(|w| !w.contains(item)) {
                continue;
            }
            match out.last_mut() {
                Some((last, n)) if *last == item => *n += in_chunk + across,
                _ => out.push((item, in_chunk + across)),
            }
            if let (true, Some(chunks)) = (in_chunk > 0, per_chunk.as_deref_mut()) {
                chunks.push((doc, in_chunk));
            }
        }
    }

    fn atom_items(&self, atom: &Atom) -> tantivy::Result<ItemSet> {
        if !atom.is_phrase() {
            return self.term_items(atom.role, &atom.slots[0]);
        }
        let counts = if atom.slots.iter().all(|s| s.len() == 1) {
            if self.record_chunks && atom.positive && atom.role == Role::Text {
                let mut chunks = Vec::new();
                let counts = self.phrase_counts_streaming(atom.role, atom, None, Some(&mut chunks))?;
                self.chunk_phrases.borrow_mut().insert(atom_key(atom), chunks);
                counts
            } else {
                self.phrase_counts_streaming(atom.role, atom, None, None)?
            }
        } else {
            // Candidates hold every word; positions decide.
            let mut candidates = self.all_items().clone();
            for slot in &atom.slots {
                candidates.and(&self.term_items(atom.role, slot)?);
                if candidates.is_empty() {
                    return Ok(candidates);
                }
            }
            self.phrase_counts(atom.role, atom, &candidates)?
        };
        let mut set = ItemSet::empty(self.max_doc());
        for &(item, _) in &counts {
            set.insert(item);
        }
        // Every item holding the phrase, with its count: later calls filter this.
        self.phrases.borrow_mut().insert((atom_key(atom), atom.role), counts);
        Ok(set)
    }

    fn cond_items(&self, cond: &Cond) -> tantivy::Result<ItemSet> {
        match cond {
            Cond::Terms { role, terms } => self.term_items(*role, terms),
            Cond::Dates { from, to } => {
                let mut set = ItemSet::empty(self.max_doc());
                for item in self.all_items().iter() {
                    if let Some(d) = self.date(item) {
                        if from.is_none_or(|f| d >= f) && to.is_none_or(|t| d <= t) {
                            set.insert(item);
                        }
                    }
                }
                Ok(set)
            }
        }
    }

    /// The items of this segment that match `plan`.
    pub fn matches(&self, plan: &Plan) -> tantivy::Result<ItemSet> {
        self.eval(plan, &plan.expr)
    }

    fn eval(&self, plan: &Plan, e: &Expr) -> tantivy::Result<ItemSet> {
        Ok(match e {
            Expr::All => self.all_items().clone(),
            Expr::Atom(i) => self.atom_items(&plan.atoms[*i])?,
            Expr::Cond(i) => self.cond_items(&plan.conds[*i])?,
            Expr::And(children) => {
                // Positive children first narrow the set; date conditions then check
                // only the items left (cheaper than listing every item in range);
                // exclusions subtract.
                let is_dates = |c: &Expr| matches!(c, Expr::Cond(i) if matches!(plan.conds[*i], Cond::Dates { .. }));
                // The cheapest first; a word (or filter) far more common than the
                // items left is then looked up item by item instead of walked whole.
                let mut positive: Vec<(u64, &Expr)> = children
                    .iter()
                    .filter(|c| !matches!(c, Expr::Not(_)) && !is_dates(c))
                    .map(|c| Ok((self.cost(plan, c)?, c)))
                    .collect::<tantivy::Result<_>>()?;
                positive.sort_by_key(|(cost, _)| *cost);
                let mut set: Option<ItemSet> = None;
                for (cost, c) in positive {
                    match &mut set {
                        None => set = Some(self.eval(plan, c)?),
                        Some(acc) => match self.words_of(plan, c) {
                            Some((role, words)) if acc.len().saturating_mul(SEEK_RATIO) < cost => {
                                *acc = self.term_items_within(role, words, acc)?;
                            }
                            _ => acc.and(&self.eval(plan, c)?),
                        },
                    }
                }
                for c in children.iter().filter(|c| is_dates(c)) {
                    let (Expr::Cond(i), Some(acc)) = (c, &mut set) else {
                        let s = self.eval(plan, c)?;
                        match &mut set {
                            None => set = Some(s),
                            Some(acc) => acc.and(&s),
                        }
                        continue;
                    };
                    if let Cond::Dates { from, to } = &plan.conds[*i] {
                        let keep: Vec<DocId> = acc
                            .iter()
                            .filter(|&item| {
                                self.date(item)
                                    .is_some_and(|d| from.is_none_or(|f| d >= f) && to.is_none_or(|t| d <= t))
                            })
                            .collect();
                        let mut narrowed = ItemSet::empty(self.max_doc());
                        keep.into_iter().for_each(|item| narrowed.insert(item));
                        *acc = narrowed;
                    }
                }
                let mut set = set.unwrap_or_else(|| self.all_items().clone());
                for c in children {
                    if let Expr::Not(inner) = c {
                        set.and_not(&self.eval(plan, inner)?);
                    }
                }
                set
            }
            Expr::Or(children) => {
                let mut set = ItemSet::empty(self.max_doc());
                for c in children {
                    set.or(&self.eval(plan, c)?);
                }
                set
            }
            Expr::Not(inner) => {
                let mut set = self.all_items().clone();
                set.and_not(&self.eval(plan, inner)?);
                set
            }
        })
    }

    /// Occurrences of the positive atoms in the text of the items of `matches`,
    /// per item: what `count` reports as mentions. Words as they are in the text
    /// (also for `title:` atoms: the title line is part of the text).
    pub fn mentions(&self, plan: &Plan, matches: &ItemSet) -> tantivy::Result<HashMap<DocId, u64>> {
        let mut per_item: HashMap<DocId, u64> = HashMap::new();
        let text = self.fields.get(Role::Text);
        let inverted = self.reader.inverted_index(text)?;
        for atom in plan.positive_atoms() {
            if atom.is_phrase() {
                for (item, n) in self.phrase_counts(Role::Text, atom, matches)? {
                    *per_item.entry(item).or_default() += u64::from(n);
                }
                continue;
            }
            for w in &atom.slots[0] {
                let Some(mut postings) =
                    inverted.read_postings(&Term::from_field_text(text, w), IndexRecordOption::WithFreqs)?
                else {
                    continue;
                };
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    let item = self.item_of(doc);
                    if matches.contains(item) && self.alive(doc) {
                        *per_item.entry(item).or_default() += u64::from(postings.term_freq());
                    }
                    doc = postings.advance();
                }
            }
        }
        Ok(per_item)
    }
}

/// The phrase's count in each chunk of one item holding every word: `positions[w]`
/// holds word `w`'s positions in the item, `starts[w]` the chunk each run of them
/// came from. A phrase across a chunk boundary counts for the item, not a chunk
/// (as tantivy's phrase scorer sees chunks).
fn count_per_chunk(positions: &[Vec<u32>], starts: &[Vec<(DocId, usize)>], slop: u32, out: &mut PhraseCounts) {
    let run = |w: usize, i: usize| -> &[u32] {
        let from = starts[w][i].1;
        let to = starts[w].get(i + 1).map_or(positions[w].len(), |s| s.1);
        &positions[w][from..to]
    };
    let mut cursors = vec![0usize; starts.len()];
    let mut slices: Vec<&[u32]> = Vec::with_capacity(starts.len());
    for (i, &(doc, _)) in starts[0].iter().enumerate() {
        slices.clear();
        slices.push(run(0, i));
        for w in 1..starts.len() {
            while starts[w].get(cursors[w]).is_some_and(|s| s.0 < doc) {
                cursors[w] += 1;
            }
            match starts[w].get(cursors[w]) {
                Some(s) if s.0 == doc => slices.push(run(w, cursors[w])),
                _ => break,
            }
        }
        if slices.len() == starts.len() {
            let n = count_phrase(&slices, slop);
            if n > 0 {
                out.push((doc, n));
            }
        }
    }
}

/// Occurrences of a phrase given each word's sorted positions: starts of the
/// first word from which the next words follow in order, choosing each time the
/// nearest next position, with at most `slop` other words in between overall.
/// (Any slices: an item's position vectors are passed as they are, not collected.)
pub fn count_phrase<S: AsRef<[u32]>>(slots: &[S], slop: u32) -> u32 {
    let Some((first, rest)) = slots.split_first() else { return 0 };
    let n = slots.len() as u64;
    // Phrases are short: cursors on the stack unless one is not.
    let mut small = [0usize; 8];
    let mut large = Vec::new();
    let cursors: &mut [usize] = if rest.len() <= small.len() {
        &mut small[..rest.len()]
    } else {
        large.resize(rest.len(), 0);
        &mut large
    };
    let mut count = 0;
    'starts: for &p0 in first.as_ref() {
        let mut prev = p0;
        for (s, c) in rest.iter().zip(cursors.iter_mut()) {
            let s = s.as_ref();
            while s.get(*c).is_some_and(|&p| p <= prev) {
                *c += 1;
            }
            match s.get(*c) {
                Some(&p) => prev = p,
                None => break 'starts,
            }
        }
        if u64::from(prev) - u64::from(p0) + 1 - n <= u64::from(slop) {
            count += 1;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_chunk_bits_find_every_chunks_item() {
        // Items of 1 to 150 chunks (some across several 64-bit words).
        let mut ordinals = Vec::new();
        for (i, len) in [1u32, 3, 1, 64, 1, 65, 150, 2, 1, 63, 1].iter().cycle().take(40).enumerate() {
            ordinals.extend(0..len + (i as u32 % 3));
        }
        let items = items_of(&ordinals).expect("consistent ordinals");
        for (doc, &ord) in (0u32..).zip(&ordinals) {
            assert_eq!(items.last_at_or_before(doc), Some(doc - ord), "doc {doc}");
        }
        // A chunk whose ordinal does not lead back to its item's first chunk.
        assert!(items_of(&[0, 1, 2, 1]).is_none());
        assert!(items_of(&[1, 2]).is_none());
        assert_eq!(items_of(&[]), Some(ItemSet::empty(0)));
    }

    #[test]
    fn phrase_counting() {
        // "a b" in: a b x a x b a b
        let a = [0, 3, 6];
        let b = [1, 5, 7];
        assert_eq!(count_phrase(&[&a, &b], 0), 2);
        assert_eq!(count_phrase(&[&a, &b], 1), 3);
        // Repeated word: "a a" in a a a -> starts 0 and 1.
        let aa = [0, 1, 2];
        assert_eq!(count_phrase(&[&aa, &aa], 0), 2);
        assert_eq!(count_phrase(&[&a], 0), 3);
        assert_eq!(count_phrase::<&[u32]>(&[], 0), 0);
        assert_eq!(count_phrase(&[&a[..], &[]], 5), 0);
    }

    #[test]
    fn item_sets() {
        let mut s = ItemSet::empty(200);
        for d in [0, 63, 64, 150, 199] {
            s.insert(d);
        }
        assert_eq!(s.iter().collect::<Vec<_>>(), vec![0, 63, 64, 150, 199]);
        assert_eq!(s.len(), 5);
        let mut t = ItemSet::empty(200);
        t.insert(64);
        let mut u = s.clone();
        u.and(&t);
        assert_eq!(u.iter().collect::<Vec<_>>(), vec![64]);
        s.and_not(&t);
        assert!(!s.contains(64) && s.contains(63));
    }
}
