//! `sgsearch index`: walk the sources, skip the unchanged ones, parse/tag/chunk
//! the rest on rayon, feed one tantivy writer, commit every batch with the
//! catalog, prune vanished sources, merge segments after a bulk load.

use super::catalog::{self, Catalog, Payload, SourceRecord};
use super::phrases::{Phrases, VocabularyTrie};
use super::queue::{doc_bytes, InFlight, QueuedDoc};
use super::{open_or_create, Opened, PIPELINE_VERSION, TOPICS_COMPILED_FILE, TOPICS_FILE};
use crate::error::{Error, Result};
use crate::ingest::{Ingestor, Skip};
use crate::model::{Item, SourceDoc};
use crate::schema::{Fields, Role};
use crate::sources::walk::{walk, Candidate};
use crate::tag::{Tagger, Taxonomy};
use rayon::prelude::*;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;
use tantivy::directory::error::LockError;
use tantivy::indexer::UserOperation;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DateTime, IndexWriter, TantivyDocument, TantivyError, Term};

/// The taxonomy compiled into the binary, used until an index has its own copy.
pub const BUILTIN_TOPICS: &str = include_str!("../../index-schema/topics.toml");

/// At most this many segments after a run: a few segments cost a search little,
/// hundreds would; the smallest are merged to get back under.
const MAX_SEGMENTS: usize = 8;

/// Settings of one `sgsearch index` run.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    pub roots: Vec<PathBuf>,
    pub threads: usize,
    pub memory_mb: usize,
    pub prune: bool,
    pub rebuild: bool,
    pub taxonomy: Option<PathBuf>,
    pub max_file_bytes: u64,
    /// Commit after roughly this many bytes of source text.
    pub batch_bytes: u64,
    pub progress: bool,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            roots: Vec::new(),
            threads: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2),
            memory_mb: 256,
            prune: false,
            rebuild: false,
            taxonomy: None,
            max_file_bytes: crate::ingest::DEFAULT_MAX_FILE_BYTES,
            batch_bytes: 192 * 1024 * 1024,
            progress: false,
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SkippedFile {
    pub path: String,
    pub reason: String,
}

/// What a run did. `items` and `chunks` count the whole index after the run.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Summary {
    pub files_seen: usize,
    pub files_indexed: usize,
    pub files_unchanged: usize,
    pub files_skipped: Vec<SkippedFile>,
    pub files_pruned: usize,
    /// Indexed sources that no longer exist (kept until `--prune`).
    pub files_vanished: usize,
    pub items: u64,
    pub chunks: u64,
    pub items_indexed: u64,
    pub chunks_indexed: u64,
    pub bytes_indexed: u64,
    pub warnings: Vec<String>,
    pub elapsed_ms: u64,
    pub commit_id: Option<u64>,
}

enum Outcome {
    Indexed {
        path: String,
        record: SourceRecord,
        bytes: u64,
        warnings: Vec<String>,
    },
    Unchanged {
        path: String,
        record: SourceRecord,
    },
    /// Read but not indexable: its old documents (if any) were deleted.
    Dropped {
        path: String,
        reason: String,
    },
    /// Could not be read: old documents are kept.
    Unreadable {
        path: String,
        reason: String,
    },
}

/// Loads the taxonomy: `--taxonomy FILE`, else the index's copy, else the built-in one.
/// The index's copy is read from its compiled form when that was made from the same
/// text: parsing the TOML was ~1 ms, a sixth of a rare word's whole-process search.
pub fn load_taxonomy(index_dir: &Path, explicit: Option<&Path>) -> Result<(Taxonomy, String)> {
    let (text, origin) = match explicit {
        Some(p) => (
            std::fs::read_to_string(p).map_err(|e| Error::io(format!("reading taxonomy {}", p.display()), e))?,
            p.display().to_string(),
        ),
        None => {
            let copy = index_dir.join(TOPICS_FILE);
            match std::fs::read_to_string(&copy) {
                Ok(t) => {
                    if let Some(taxonomy) = read_compiled_taxonomy(index_dir, &t) {
                        return Ok((taxonomy, t));
                    }
                    (t, copy.display().to_string())
                }
                Err(_) => (BUILTIN_TOPICS.to_string(), "index-schema/topics.toml (built in)".to_string()),
            }
        }
    };
    let taxonomy = Taxonomy::from_toml(&text, &origin).map_err(|e| Error::Data(e.to_string()))?;
    Ok((taxonomy, text))
}

/// The compiled taxonomy: what `Taxonomy::from_toml` accepted, as JSON, with a
/// fingerprint of the TOML text it came from.
#[derive(serde::Serialize, serde::Deserialize)]
struct CompiledTaxonomy {
    toml_xxh3: String,
    topics: Vec<crate::tag::Topic>,
    rules: crate::tag::Rules,
}

fn toml_fingerprint(text: &str) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(text.as_bytes()))
}

/// Writes the index's taxonomy copy and its compiled form.
fn write_taxonomy(dir: &Path, taxonomy: &Taxonomy, text: &str) -> Result<()> {
    catalog::write_atomic(&dir.join(TOPICS_FILE), text.as_bytes())?;
    let compiled = CompiledTaxonomy {
        toml_xxh3: toml_fingerprint(text),
        topics: taxonomy.topics().to_vec(),
        rules: taxonomy.rules().clone(),
    };
    let json = serde_json::to_vec(&compiled).map_err(|e| Error::Data(e.to_string()))?;
    catalog::write_atomic(&dir.join(TOPICS_COMPILED_FILE), &json)
}

/// The compiled taxonomy when it exists and was made from `text` (a copy edited by hand,
/// or an index from before compiled copies, is parsed from the TOML instead).
fn read_compiled_taxonomy(dir: &Path, text: &str) -> Option<Taxonomy> {
    let bytes = std::fs::read(dir.join(TOPICS_COMPILED_FILE)).ok()?;
    let compiled: CompiledTaxonomy = serde_json::from_slice(&bytes).ok()?;
    if compiled.toml_xxh3 != toml_fingerprint(text) {
        return None;
    }
    Taxonomy::from_parts(compiled.topics, compiled.rules)
}

pub fn run(index_dir: &Path, opts: &IndexOptions) -> Result<Summary> {
    let started = Instant::now();
    let threads = opts.threads.max(1);
    // How `--memory-mb` is shared: tantivy's indexing arenas get three quarters,
    // parsed documents waiting for them an eighth (see `queue`), and the rest is
    // left for parsing, the catalog and the allocator.
    let budget = opts.memory_mb.saturating_mul(1024 * 1024);
    let per_thread = budget / 4 * 3 / threads;
    if per_thread < 15 * 1024 * 1024 {
        return Err(Error::Usage(format!(
            "--memory-mb {} is too small for {threads} threads: tantivy needs at least 15 MB per thread, from three quarters of the budget\n\nUse --memory-mb {} or fewer --threads",
            opts.memory_mb,
            20 * threads
        )));
    }
    return_freed_memory();
    let (taxonomy, taxonomy_text) = load_taxonomy(index_dir, opts.taxonomy.as_deref())?;
    let Opened { dir, index, schema, payload } = open_or_create(index_dir, opts.rebuild)?;
    let mut writer: IndexWriter<QueuedDoc> = index
        .writer_with_options(
            tantivy::indexer::IndexWriterOptions::builder()
                .num_worker_threads(threads)
                .num_merge_threads(2)
                .memory_budget_per_thread(per_thread.min(4000 * 1024 * 1024))
                .build(),
        )
        .map_err(|e| match e {
            TantivyError::LockFailure(LockError::LockBusy, _) => Error::IndexLocked { path: dir.clone() },
            other => Error::Tantivy(other),
        })?;
    // No merges while loading: background merges of large segments made peak
    // memory grow with the corpus (1.2 GB RSS at 1 GB); the end of the run merges
    // the small segments only.
    writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
    let mut cat = catalog::load(&dir, payload.as_ref())?;
    let reindex_all =
        payload.as_ref().is_some_and(|p| p.taxonomy_hash != taxonomy.hash() || p.pipeline_version != PIPELINE_VERSION);
    write_taxonomy(&dir, &taxonomy, &taxonomy_text)?;
    let analyzer =
        schema.analyzer_for(Role::Text).ok_or_else(|| Error::Data("the schema has no text analyzer".into()))?;
    // Written before any chunk carrying its marker is committed (see `phrases`).
    let phrases = Phrases::from_taxonomy(&taxonomy, &analyzer);
    phrases.write(&dir)?;

    let tagger = Tagger::new(&taxonomy);
    // The tagger reads every item's words already: phrases are found among them.
    let vocabulary = phrases.over_vocabulary(|w| tagger.word_id(w));
    let mut ingestor = Ingestor::new(tagger);
    ingestor.max_file_bytes = opts.max_file_bytes;
    let fields = schema.fields.clone();

    // Walk: absolute paths, so a source keeps its identity whatever the cwd.
    let mut summary = Summary::default();
    let mut roots = Vec::new();
    for r in &opts.roots {
        match std::fs::canonicalize(r) {
            Ok(p) => roots.push(p),
            Err(e) => summary.files_skipped.push(SkippedFile { path: r.display().to_string(), reason: e.to_string() }),
        }
    }
    let exclude = [std::fs::canonicalize(&dir).unwrap_or_else(|_| dir.clone())];
    let walked = walk(&roots, &exclude);
    summary.files_seen = walked.candidates.len() + walked.skipped.len();
    summary.files_skipped.extend(
        walked.skipped.iter().map(|s| SkippedFile { path: s.path.display().to_string(), reason: s.reason.clone() }),
    );

    // Metadata fingerprints (sidecars and manifest rows can change on their own).
    let signatures: Vec<u64> = pool_for(threads)?
        .install(|| walked.candidates.par_iter().map(|c| ingestor.metadata_signature(&c.path)).collect());
    trace(&started, "walked and fingerprinted");
    let mut todo: Vec<(&Candidate, u64)> = Vec::new();
    for (c, sig) in walked.candidates.iter().zip(&signatures) {
        let key = c.path.display().to_string();
        match cat.sources.get(&key) {
            Some(prev)
                if !reindex_all
                    && prev.size == c.size
                    && i128::from(prev.mtime_ns) == c.mtime_ns
                    && prev.meta == *sig =>
            {
                summary.files_unchanged += 1
            }
            _ => todo.push((c, *sig)),
        }
    }

    let progress = progress_bar(opts.progress, todo.iter().map(|(c, _)| c.size).sum());
    let pool = pool_for(threads)?;
    let queue = InFlight::new(budget / 8);
    let mut committed: Option<u64> = None;
    let mut start = 0;
    while start < todo.len() {
        let mut end = start;
        let mut bytes = 0u64;
        while end < todo.len() && (end == start || bytes < opts.batch_bytes) {
            bytes += todo[end].0.size;
            end += 1;
        }
        let batch = &todo[start..end];
        start = end;
        let sink = Sink {
            ingestor: &ingestor,
            writer: &writer,
            queue: &queue,
            fields: &fields,
            phrases: PhraseIndexing { list: &phrases, vocabulary: vocabulary.as_ref(), analyzer: &analyzer },
            reindex_all,
        };
        let outcomes: Vec<Result<Outcome>> = pool.install(|| {
            batch
                .par_iter()
                .map(|&(c, sig)| {
                    let prev = cat.sources.get(&c.path.display().to_string());
                    let out = process(c, sig, prev, &sink);
                    progress.inc(c.size);
                    out
                })
                .collect()
        });
        for outcome in outcomes {
            match outcome? {
                Outcome::Indexed { path, record, bytes, warnings } => {
                    summary.files_indexed += 1;
                    summary.items_indexed += u64::from(record.items);
                    summary.chunks_indexed += u64::from(record.chunks);
                    summary.bytes_indexed += bytes;
                    summary.warnings.extend(warnings);
                    cat.sources.insert(path, record);
                }
                Outcome::Unchanged { path, record } => {
                    summary.files_unchanged += 1;
                    cat.sources.insert(path, record);
                }
                Outcome::Dropped { path, reason } => {
                    cat.sources.remove(&path);
                    summary.files_skipped.push(SkippedFile { path, reason });
                }
                Outcome::Unreadable { path, reason } => summary.files_skipped.push(SkippedFile { path, reason }),
            }
        }
        trace(&started, "batch indexed");
        committed = Some(commit(&mut writer, &dir, &cat, &taxonomy, &schema.hash)?);
        trace(&started, "committed");
    }
    progress.finish_and_clear();

    // Sources that vanished from the folders being indexed.
    // Borrowed where the path is UTF-8 (as the catalog's keys, which are
    // `display()`'s lossy text): no second copy of every path.
    let seen: std::collections::HashSet<std::borrow::Cow<str>> =
        walked.candidates.iter().map(|c| c.path.to_string_lossy()).collect();
    let vanished: Vec<String> = cat
        .sources
        .keys()
        .filter(|k| !seen.contains(k.as_str()) && roots.iter().any(|r| Path::new(k).starts_with(r)))
        .cloned()
        .collect();
    if opts.prune && !vanished.is_empty() {
        for path in &vanished {
            writer.delete_term(Term::from_field_text(fields.get(Role::SourceId), &crate::model::source_id(path)));
            cat.sources.remove(path);
        }
        summary.files_pruned = vanished.len();
        committed = Some(commit(&mut writer, &dir, &cat, &taxonomy, &schema.hash)?);
    } else if !vanished.is_empty() {
        summary.files_vanished = vanished.len();
        summary.warnings.push(format!(
            "{} indexed file(s) under these folders no longer exist; run with --prune to remove them",
            vanished.len()
        ));
    }
    if committed.is_none() && (payload.is_none() || reindex_all) {
        // A first run over an empty folder still leaves an index that opens.
        committed = Some(commit(&mut writer, &dir, &cat, &taxonomy, &schema.hash)?);
    }

    // Runs leave segments behind; keep their number small for search by merging
    // the smallest ones together (memory and time bounded by their size, not by
    // the index's).
    if summary.files_indexed > 0 || summary.files_pruned > 0 {
        // Segment ids only: a live `SegmentMeta` keeps its files from tantivy's
        // garbage collection, which left merged-away segments on disk (+30 %).
        let mut segments: Vec<_> = index.searchable_segment_metas()?.iter().map(|m| (m.num_docs(), m.id())).collect();
        trace(&started, &format!("{} segments", segments.len()));
        let mut merges = Vec::new();
        if segments.len() > MAX_SEGMENTS {
            segments.sort();
            for group in merge_groups(&segments, threads > 1) {
                merges.push(writer.merge(&group));
            }
            for m in merges.drain(..) {
                m.wait()?;
            }
        }
    }
    writer.wait_merging_threads()?;
    trace(&started, "merged");
    if let Some(p) = catalog::read_payload(&index)? {
        catalog::remove_stale(&dir, &p.catalog);
    }
    summary.items = cat.items();
    summary.chunks = cat.chunks();
    summary.commit_id = committed.or_else(|| index.load_metas().ok().map(|m| m.opstamp));
    summary.elapsed_ms = started.elapsed().as_millis() as u64;
    Ok(summary)
}

/// What every source of a run is read and written with.
struct Sink<'a> {
    ingestor: &'a Ingestor,
    writer: &'a IndexWriter<QueuedDoc>,
    queue: &'a Arc<InFlight>,
    fields: &'a Fields,
    phrases: PhraseIndexing<'a>,
    reindex_all: bool,
}

/// How to find an item's taxonomy phrases (see [`super::phrases`]).
#[derive(Clone, Copy)]
pub struct PhraseIndexing<'a> {
    pub list: &'a Phrases,
    /// The list over the tagger's words, when it knows them all: items whose
    /// words the tagger gives are matched from those.
    pub vocabulary: Option<&'a VocabularyTrie>,
    /// Other items' text is read again with it.
    pub analyzer: &'a TextAnalyzer,
}

fn process(c: &Candidate, meta: u64, prev: Option<&SourceRecord>, sink: &Sink) -> Result<Outcome> {
    let path = c.path.display().to_string();
    let bytes = match sink.ingestor.read(&c.path) {
        Ok(b) => b,
        Err(Skip(reason)) => return Ok(Outcome::Unreadable { path, reason }),
    };
    let hash = xxhash_rust::xxh3::xxh3_128(&bytes);
    let mtime_ns = i64::try_from(c.mtime_ns).unwrap_or(0);
    if let Some(p) = prev.filter(|p| !sink.reindex_all && p.hash == hash && p.meta == meta) {
        return Ok(Outcome::Unchanged { path, record: SourceRecord { size: c.size, mtime_ns, ..p.clone() } });
    }
    let source_term = Term::from_field_text(sink.fields.get(Role::SourceId), &crate::model::source_id(&path));
    let size = bytes.len() as u64;
    let doc = match sink.ingestor.build_owned(&c.path, c.kind, bytes) {
        Ok(doc) => doc,
        Err(Skip(reason)) => {
            if prev.is_some() {
                sink.writer.delete_term(source_term);
            }
            return Ok(Outcome::Dropped { path, reason });
        }
    };
    // Replace in one batch: the delete's opstamp precedes the adds, so only old
    // copies go, and one batch lands in one segment, so a source's chunks sit
    // together (per-item collapsing and counting rely on it). A source the
    // catalog has never seen has no old copy: a delete would only cost time and
    // memory (tantivy keeps each one until it is applied to every segment).
    let mut ops = Vec::with_capacity(64);
    if prev.is_some() {
        ops.push(UserOperation::Delete(source_term));
    }
    let docs: Vec<TantivyDocument> =
        doc.items.iter().flat_map(|item| chunk_documents(sink.fields, &doc, item, sink.phrases)).collect();
    let chunks = docs.len() as u32;
    let sizes: Vec<usize> = docs.iter().map(doc_bytes).collect();
    sink.queue.acquire(sizes.iter().sum());
    ops.extend(docs.into_iter().zip(sizes).map(|(d, n)| UserOperation::Add(QueuedDoc::new(d, n, sink.queue))));
    sink.writer.run(ops)?;
    let record = SourceRecord { hash, size: c.size, mtime_ns, items: doc.items.len() as u32, chunks, meta };
    Ok(Outcome::Indexed { path, record, bytes: size, warnings: doc.warnings })
}

/// The tantivy documents of one item: one per chunk, each with the item's
/// metadata, and with `phrases` its phrase occurrences (see [`super::phrases`]).
pub fn chunk_documents(fields: &Fields, doc: &SourceDoc, item: &Item, phrases: PhraseIndexing) -> Vec<TantivyDocument> {
    let f = |r| fields.get(r);
    let topic_mentions: String =
        item.topics.iter().map(|t| format!("{}:{}", t.key, t.mentions)).collect::<Vec<_>>().join(" ");
    let mut out = Vec::with_capacity(item.chunks.len());
    let phrase_field = fields.find(Role::Phrases);
    let ascii_field = fields.find(Role::AsciiWords);
    let (mut found, positions) = match phrase_field {
        Some(_) => match (phrases.vocabulary, &item.vocabulary_words) {
            (Some(vocabulary), Some(words)) => {
                // Chunks but the last need their position counts, for token offsets too.
                let n = item.chunks.len();
                let positions: Vec<u64> = item.chunks[..n.saturating_sub(1)]
                    .iter()
                    .map(|r| crate::chunk::count_tokens(&item.text[r.clone()]))
                    .collect();
                let found = phrases.list.occurrences_in_words(vocabulary, words, &positions, n);
                (Some((phrases.list.marker(), found)), Some(positions))
            }
            _ => {
                let texts: Vec<&str> = item.chunks.iter().map(|r| &item.text[r.clone()]).collect();
                let (found, positions) = phrases.list.occurrences(&mut phrases.analyzer.clone(), &texts);
                (Some((phrases.list.marker(), found)), Some(positions))
            }
        },
        None => (None, None),
    };
    let mut token_offset = 0u64;
    // A document's values go in one buffer: sized for them up front (tantivy's
    // default 1 KB was outgrown, and copied, by nearly every chunk).
    let fixed = item.id.len() * 2 + doc.source_id.len() + item.source.len() * 2 + topic_mentions.len() + 256;
    let fixed = fixed
        + [&item.url, &item.council, &item.committee, &item.item_title]
            .iter()
            .map(|s| s.as_ref().map_or(0, |s| s.len() * 2))
            .sum::<usize>();
    for (k, range) in item.chunks.iter().enumerate() {
        let mut d = TantivyDocument::with_capacity(fixed + range.len());
        d.add_text(f(Role::ChunkId), format!("{}-{k}", item.id));
        d.add_text(f(Role::ItemId), &item.id);
        d.add_text(f(Role::SourceId), &doc.source_id);
        d.add_text(f(Role::Source), &item.source);
        if let Some(u) = &item.url {
            d.add_text(f(Role::Url), u);
        }
        if let Some(c) = &item.council {
            d.add_text(f(Role::Council), c);
            d.add_text(f(Role::CouncilKey), crate::model::council_key(c));
        }
        if let (Some(c), Some(k)) = (&item.committee, &item.committee_key) {
            d.add_text(f(Role::Committee), c);
            d.add_text(f(Role::CommitteeKey), k);
        }
        d.add_text(f(Role::PageType), &item.page_type);
        for t in &item.topics {
            d.add_text(f(Role::Topics), &t.key);
        }
        if !topic_mentions.is_empty() {
            d.add_text(f(Role::TopicMentions), &topic_mentions);
        }
        if let Some(date) = item.meeting_date {
            d.add_date(f(Role::MeetingDate), DateTime::from_timestamp_secs(date.unix_seconds()));
            d.add_u64(f(Role::Year), date.year() as u64);
            d.add_u64(f(Role::Month), date.year() as u64 * 100 + u64::from(date.month()));
        }
        if let Some(n) = &item.item_number {
            d.add_text(f(Role::ItemNumber), n);
        }
        d.add_u64(f(Role::ItemOrdinal), u64::from(item.ordinal));
        d.add_u64(f(Role::ChunkOrdinal), k as u64);
        if let Some(t) = &item.item_title {
            d.add_text(f(Role::Title), t);
        }
        let text = &item.text[range.clone()];
        d.add_u64(f(Role::TokenOffset), token_offset);
        if let Some(field) = ascii_field {
            // The tagger hands over its words exactly when none has a non-ASCII
            // letter or digit (`Tagger::tag_with_words`).
            d.add_u64(field, u64::from(item.vocabulary_words.is_some()));
        }
        if k + 1 < item.chunks.len() {
            token_offset += match &positions {
                Some(p) => p[k],
                None => crate::chunk::count_tokens(text),
            };
        }
        d.add_text(f(Role::Text), text);
        if let (Some(field), Some((marker, found))) = (phrase_field, found.as_mut()) {
            d.add_text(field, *marker);
            for key in found.get_mut(k).map(std::mem::take).unwrap_or_default() {
                d.add_text(field, key);
            }
        }
        out.push(d);
    }
    out
}

/// The segments to merge, as (docs, id) sorted by size, for at most
/// [`MAX_SEGMENTS`] to remain: the smallest together, or with `two` (cores for
/// two merges at once) the smallest but one more in two groups of about equal
/// size, each of at least two (a single merge left a core idle for the last 7 %
/// of a 1 GB run).
fn merge_groups<T: Copy>(sorted: &[(u32, T)], two: bool) -> Vec<Vec<T>> {
    if sorted.len() <= MAX_SEGMENTS {
        return Vec::new();
    }
    let k = sorted.len() - MAX_SEGMENTS + 1;
    if two && k < sorted.len() {
        let mut groups: [(u64, Vec<T>); 2] = [(0, Vec::new()), (0, Vec::new())];
        // Largest first, each to the lighter group.
        for &(docs, id) in sorted[..=k].iter().rev() {
            let g = usize::from(groups[1].0 < groups[0].0);
            groups[g].0 += u64::from(docs);
            groups[g].1.push(id);
        }
        if groups.iter().all(|g| g.1.len() >= 2) {
            return groups.into_iter().map(|g| g.1).collect();
        }
    }
    vec![sorted[..k].iter().map(|s| s.1).collect()]
}

fn commit(
    writer: &mut IndexWriter<QueuedDoc>,
    dir: &Path,
    cat: &Catalog,
    taxonomy: &Taxonomy,
    schema_hash: &str,
) -> Result<u64> {
    let mut prepared = writer.prepare_commit()?;
    let name = catalog::save(dir, cat, prepared.opstamp())?;
    let payload = Payload {
        format: 1,
        catalog: name,
        taxonomy_hash: taxonomy.hash(),
        schema_hash: schema_hash.to_string(),
        pipeline_version: PIPELINE_VERSION,
        committed_at: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0),
        sources: cat.sources.len() as u64,
        items: cat.items(),
        chunks: cat.chunks(),
    };
    let json = serde_json::to_string(&payload).map_err(|e| Error::Data(e.to_string()))?;
    prepared.set_payload(&json);
    Ok(prepared.commit()?)
}

/// glibc serves tantivy's 1 MB arena pages from its heaps once a freed page
/// has raised its mmap threshold, and keeps them when they are freed: resident
/// memory then grew with every commit (470 MB at 1 GB of text with a 256 MB
/// budget). A fixed threshold keeps such pages in their own mappings, which go
/// back to the system when tantivy drops a flushed segment's arena.
fn return_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; it is called before the
    // indexing threads start.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

fn pool_for(threads: usize) -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Data(format!("cannot start worker threads: {e}")))
}

fn progress_bar(enabled: bool, total: u64) -> indicatif::ProgressBar {
    if !enabled {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} indexing [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// `SGSEARCH_TRACE=1` prints the phases of a run with their times (for profiling).
fn trace(started: &Instant, what: &str) {
    if std::env::var_os("SGSEARCH_TRACE").is_some() {
        eprintln!("[{:>8.3}s] {what}", started.elapsed().as_secs_f64());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_leave_at_most_max_segments_from_the_smallest() {
        let sizes = |n: usize| -> Vec<(u32, usize)> { (0..n).map(|i| (100 + 7 * i as u32, i)).collect() };
        assert!(merge_groups(&sizes(MAX_SEGMENTS), true).is_empty());
        for n in MAX_SEGMENTS + 1..MAX_SEGMENTS + 12 {
            for two in [false, true] {
                let groups = merge_groups(&sizes(n), two);
                let merged: usize = groups.iter().map(Vec::len).sum();
                assert_eq!(n - merged + groups.len(), MAX_SEGMENTS, "{n} segments, two: {two}");
                assert!(groups.iter().all(|g| g.len() >= 2), "{n}: {groups:?}");
                // The smallest only (ids are ranks by size).
                assert!(groups.iter().flatten().all(|&id| id < merged), "{n}: {groups:?}");
                assert_eq!(groups.len(), if two && n > MAX_SEGMENTS + 1 { 2 } else { 1 }, "{n}: {groups:?}");
            }
        }
        // Balanced: one large and many small segments go to different merges.
        let skewed: Vec<(u32, usize)> = vec![(10, 0), (10, 1), (10, 2), (1000, 3)]
            .into_iter()
            .chain((4..MAX_SEGMENTS + 2).map(|i| (5000, i)))
            .collect();
        let groups = merge_groups(&skewed, true);
        assert_eq!(groups.len(), 1, "a group of one large segment alone would be no merge: {groups:?}");
    }

    #[test]
    fn compiled_taxonomy_tags_as_the_toml_does_and_a_stale_one_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let parsed = Taxonomy::from_toml(BUILTIN_TOPICS, "built in").unwrap();
        write_taxonomy(dir.path(), &parsed, BUILTIN_TOPICS).unwrap();
        let compiled = read_compiled_taxonomy(dir.path(), BUILTIN_TOPICS).expect("compiled copy read back");
        assert_eq!(compiled.topics(), parsed.topics());
        assert_eq!(compiled.rules(), parsed.rules());
        assert_eq!(compiled.hash(), parsed.hash());
        // Same tags and mentions, from a text written for the purpose (acronyms, a named
        // mention, a heading, weak phrases, a phrase two topics share).
        let (title, text) = (
            "Missing children and CSE",
            "Head of Safeguarding noted the MASH referrals.\nCSE\n\nThe child sexual exploitation panel \
             reviewed three missing episodes, domestic abuse in the home, county lines and a return \
             home interview. Private fostering and LADO allegations were noted; the CSE sub-group met.",
        );
        let (a, b) = (Tagger::new(&parsed), Tagger::new(&compiled));
        assert!(!a.tag(title, text).is_empty());
        assert_eq!(a.tag(title, text), b.tag(title, text));
        assert_eq!(a.mentions(title, text), b.mentions(title, text));
        assert_eq!(parsed.topics_in_query("county lines"), compiled.topics_in_query("county lines"));

        // The index's TOML edited by hand: the compiled copy no longer applies.
        let edited = format!("{BUILTIN_TOPICS}\n# edited\n");
        assert!(read_compiled_taxonomy(dir.path(), &edited).is_none());
        std::fs::write(dir.path().join(TOPICS_FILE), &edited).unwrap();
        let (loaded, text) = load_taxonomy(dir.path(), None).unwrap();
        assert_eq!(text, edited);
        assert_eq!(loaded.topics(), parsed.topics());
        // An inconsistent compiled copy is refused, not trusted.
        let mut topics = parsed.topics().to_vec();
        topics[0].defer_to = vec!["no_such_topic".into()];
        assert!(Taxonomy::from_parts(topics, parsed.rules().clone()).is_none());
    }
}
