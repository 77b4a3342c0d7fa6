//! Chunk texts in a segment file of their own (`.texts`), one LZ4 record per
//! chunk, written and merged by a tantivy [`SegmentPlugin`].
//!
//! `mentions` reads every chunk of every matching item. From the document store
//! that meant decompressing whole 4 KB blocks (neighbouring items that do not
//! match, and seventeen stored fields a chunk) to use about half of the bytes,
//! and parsing tantivy's document format. A record holds just the chunk's text
//! and, on an item's first chunk, the metadata a mention row shows, so a read
//! decompresses only what it uses (a prototype at 1 GB: `mentions` 18–23 %
//! faster on the middle queries, see BENCHMARKS.md).
//!
//! File layout: the records one after another, each a `u32` uncompressed length
//! and an LZ4 block of: the text; on a first chunk, six values (council,
//! committee, item number, title, url, item id), each a `u32` length (`u32::MAX`:
//! absent) and its bytes; the metadata's length (`u32`) and a flag byte (1: the
//! metadata is there). Then one `u64` start offset per document and the end
//! offset, and a 20-byte footer: the offset table's position (`u64`), the
//! document count, the version and a magic number (`u32` each). Merges copy the
//! records of the documents kept, compressed as they are.

use crate::schema::{IndexSchema, Role};
use std::io::Write;
use tantivy::directory::FileSlice;
use tantivy::index::SegmentComponent;
use tantivy::indexer::doc_id_mapping::{DocIdMapping, MappingType};
use tantivy::plugin::{PluginMergeContext, PluginWriter, PluginWriterContext, SegmentPlugin};
use tantivy::schema::document::{ErasedDocument, ErasedValue, ReferenceValueLeaf};
use tantivy::schema::{Field, Schema};
use tantivy::HasLen;
use tantivy::{DocId, Segment, SegmentReader, TantivyError};

pub const EXTENSION: &str = "texts";
const MAGIC: u32 = 0x5854_4753; // "SGTX"
const VERSION: u32 = 1;
const FOOTER_BYTES: usize = 20;
/// The metadata a record carries, in order.
pub const META_ROLES: [Role; 6] =
    [Role::Council, Role::Committee, Role::ItemNumber, Role::Title, Role::Url, Role::ItemId];

/// The fields a record is made of.
#[derive(Debug, Clone, Copy)]
struct RecordFields {
    text: Field,
    chunk_ordinal: Field,
    meta: [Field; 6],
}

impl RecordFields {
    fn of(schema: &IndexSchema) -> RecordFields {
        let f = |role| schema.fields.get(role);
        RecordFields { text: f(Role::Text), chunk_ordinal: f(Role::ChunkOrdinal), meta: META_ROLES.map(f) }
    }
}

/// The plugin: register it on every index whose schema keeps text out of the
/// document store (see [`crate::index::open`]).
#[derive(Debug)]
pub struct TextsPlugin {
    fields: RecordFields,
}

impl TextsPlugin {
    pub fn new(schema: &IndexSchema) -> TextsPlugin {
        TextsPlugin { fields: RecordFields::of(schema) }
    }
}

fn component() -> SegmentComponent {
    SegmentComponent::Custom(EXTENSION.to_string())
}

fn data_error(what: impl std::fmt::Display) -> TantivyError {
    TantivyError::InternalError(format!("chunk texts: {what}"))
}

impl SegmentPlugin for TextsPlugin {
    fn extensions(&self) -> &[&str] {
        &[EXTENSION]
    }

    fn create_writer(&self, ctx: &PluginWriterContext) -> tantivy::Result<Box<dyn PluginWriter>> {
        // Records stream to the file as documents come, like the store's blocks:
        // only the offsets stay in memory.
        let out = ctx.segment.open_write(component())?;
        Ok(Box::new(TextsWriter {
            fields: self.fields,
            out: Some(out),
            written: 0,
            offsets: Vec::new(),
            record: Vec::new(),
            compressed: Vec::new(),
        }))
    }

    fn merge(&self, ctx: PluginMergeContext) -> tantivy::Result<()> {
        if ctx.doc_id_mapping.mapping_type() == MappingType::Shuffled {
            return Err(data_error("cannot merge a sorted index"));
        }
        // Stacked: the readers' live documents in order (tantivy's own mapping).
        let mut out = ctx.target_segment.open_write(component())?;
        let mut offsets = Vec::new();
        let mut written = 0u64;
        for reader in ctx.readers {
            let texts = Texts::open(reader).ok_or_else(|| data_error("a segment to merge has no texts file"))?;
            for doc in reader.doc_ids_alive() {
                let bytes = texts.raw(doc).map_err(data_error)?;
                offsets.push(written);
                out.write_all(bytes.as_slice())?;
                written += bytes.len() as u64;
            }
        }
        finish(out, &offsets, written)
    }
}

/// Writes the offset table and footer, and closes the file.
fn finish(mut out: tantivy::directory::WritePtr, offsets: &[u64], end: u64) -> tantivy::Result<()> {
    let docs = u32::try_from(offsets.len()).map_err(|_| data_error("too many documents"))?;
    for o in offsets.iter().chain(std::iter::once(&end)) {
        out.write_all(&o.to_le_bytes())?;
    }
    out.write_all(&end.to_le_bytes())?;
    out.write_all(&docs.to_le_bytes())?;
    out.write_all(&VERSION.to_le_bytes())?;
    out.write_all(&MAGIC.to_le_bytes())?;
    tantivy::directory::TerminatingWrite::terminate(out)?;
    Ok(())
}

struct TextsWriter {
    fields: RecordFields,
    out: Option<tantivy::directory::WritePtr>,
    written: u64,
    offsets: Vec<u64>,
    /// Buffers reused document to document.
    record: Vec<u8>,
    compressed: Vec<u8>,
}

impl PluginWriter for TextsWriter {
    fn add_document(&mut self, _doc_id: DocId, doc: &dyn ErasedDocument, _schema: &Schema) -> tantivy::Result<()> {
        let f = self.fields;
        let (mut text, mut first, mut meta): (Option<&str>, bool, [Option<&str>; 6]) = (None, true, [None; 6]);
        for (field, value) in doc.erased_fields() {
            let ErasedValue::Leaf(leaf) = value else { continue };
            match leaf {
                ReferenceValueLeaf::Str(s) if field == f.text && text.is_none() => text = Some(s),
                ReferenceValueLeaf::Str(s) => {
                    if let Some(k) = f.meta.iter().position(|m| *m == field) {
                        meta[k].get_or_insert(s);
                    }
                }
                ReferenceValueLeaf::U64(n) if field == f.chunk_ordinal => first = n == 0,
                _ => {}
            }
        }
        let r = &mut self.record;
        r.clear();
        r.extend_from_slice(text.unwrap_or_default().as_bytes());
        let text_len = r.len();
        if first {
            for value in meta {
                match value {
                    Some(v) => {
                        let len = u32::try_from(v.len())
                            .ok()
                            .filter(|&l| l != u32::MAX)
                            .ok_or_else(|| data_error("value too long"))?;
                        r.extend_from_slice(&len.to_le_bytes());
                        r.extend_from_slice(v.as_bytes());
                    }
                    None => r.extend_from_slice(&u32::MAX.to_le_bytes()),
                }
            }
        }
        let meta_len = u32::try_from(r.len() - text_len).map_err(|_| data_error("metadata too long"))?;
        r.extend_from_slice(&meta_len.to_le_bytes());
        r.push(u8::from(first));
        let size = u32::try_from(r.len()).map_err(|_| data_error("chunk too long"))?;
        self.compressed.resize(4 + lz4_flex::block::get_maximum_output_size(r.len()), 0);
        self.compressed[..4].copy_from_slice(&size.to_le_bytes());
        let n = lz4_flex::block::compress_into(r, &mut self.compressed[4..]).map_err(data_error)?;
        let out = self.out.as_mut().ok_or_else(|| data_error("written after closing"))?;
        out.write_all(&self.compressed[..4 + n])?;
        self.offsets.push(self.written);
        self.written += (4 + n) as u64;
        Ok(())
    }

    fn serialize(mut self: Box<Self>, _segment: &Segment, doc_id_map: Option<&DocIdMapping>) -> tantivy::Result<()> {
        if doc_id_map.is_some() {
            return Err(data_error("cannot write a sorted index"));
        }
        let out = self.out.take().ok_or_else(|| data_error("closed twice"))?;
        finish(out, &self.offsets, self.written)
    }

    fn mem_usage(&self) -> usize {
        self.offsets.capacity() * 8 + self.record.capacity() + self.compressed.capacity()
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn std::any::Any {
        self
    }
}

/// A segment's chunk texts, for reading.
pub struct Texts {
    slice: FileSlice,
    /// The file itself, for reads into reused buffers (see [`Texts::with_file`]).
    file: Option<std::fs::File>,
    offsets: tantivy::directory::OwnedBytes,
    docs: DocId,
    /// Where the records end (the offset table starts).
    data_end: usize,
}

impl std::fmt::Debug for Texts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Texts").field("docs", &self.docs).finish()
    }
}

/// A decompressed record: the text and, on an item's first chunk, the metadata.
pub struct Record<'a> {
    pub text: &'a str,
    /// The values of [`META_ROLES`] (`None`: absent); `None` on later chunks.
    pub meta: Option<[Option<&'a str>; 6]>,
}

impl Texts {
    /// The texts of `reader`'s segment; `None` when it has no texts file (an
    /// index built before texts left the document store) or a malformed one.
    pub fn open(reader: &SegmentReader) -> Option<Texts> {
        let slice = reader.open_read(component()).ok()?;
        let len = slice.len();
        let footer = slice.read_bytes_slice(len.checked_sub(FOOTER_BYTES)?..len).ok()?;
        let f = footer.as_slice();
        let at = usize::try_from(u64::from_le_bytes(f[0..8].try_into().ok()?)).ok()?;
        let docs = u32::from_le_bytes(f[8..12].try_into().ok()?);
        let (version, magic) =
            (u32::from_le_bytes(f[12..16].try_into().ok()?), u32::from_le_bytes(f[16..20].try_into().ok()?));
        let table = (docs as usize + 1).checked_mul(8)?;
        if magic != MAGIC
            || version != VERSION
            || docs != reader.max_doc()
            || at.checked_add(table)? != len - FOOTER_BYTES
        {
            return None;
        }
        let offsets = slice.read_bytes_slice(at..at + table).ok()?;
        Some(Texts { slice, file: None, offsets, docs, data_end: at })
    }

    /// [`Texts::open`], with records read by `pread` from the file in `dir`: for
    /// readers of many scattered records (`mentions`), for which page faults on the
    /// map cost more than the copy (as for the store, see [`super::reads`]).
    pub fn with_file(reader: &SegmentReader, dir: &std::path::Path) -> Option<Texts> {
        let mut texts = Texts::open(reader)?;
        let len = texts.slice.len();
        let footer = texts.slice.read_bytes_slice(len - FOOTER_BYTES..len).ok()?;
        // The file holds the slice's bytes from its start (tantivy's own footer
        // follows them): checked on our footer before trusting it.
        texts.file = std::fs::File::open(dir.join(format!("{}.{EXTENSION}", reader.segment_id().uuid_string())))
            .ok()
            .filter(|f| {
                let mut tail = [0u8; FOOTER_BYTES];
                super::reads::read_at(f, &mut tail, (len - FOOTER_BYTES) as u64).is_ok() && tail == footer.as_slice()
            });
        Some(texts)
    }

    fn range(&self, doc: DocId) -> std::io::Result<std::ops::Range<usize>> {
        let bad = || std::io::Error::new(std::io::ErrorKind::InvalidData, format!("chunk texts: no doc {doc}"));
        if doc >= self.docs {
            return Err(bad());
        }
        let o = self.offsets.as_slice();
        let at = |i: usize| {
            o.get(i * 8..i * 8 + 8).map(|b| u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]))
        };
        let (from, to) = (at(doc as usize).ok_or_else(bad)?, at(doc as usize + 1).ok_or_else(bad)?);
        let (from, to) = (usize::try_from(from).map_err(|_| bad())?, usize::try_from(to).map_err(|_| bad())?);
        (from + 4 <= to && to <= self.data_end).then_some(from..to).ok_or_else(bad)
    }

    /// A document's record as stored (for merges).
    fn raw(&self, doc: DocId) -> std::io::Result<tantivy::directory::OwnedBytes> {
        self.slice.read_bytes_slice(self.range(doc)?)
    }

    /// Decompresses `doc`'s record into `out` (replacing its contents) and splits it.
    pub fn record<'o>(&self, doc: DocId, out: &'o mut Vec<u8>) -> std::io::Result<Record<'o>> {
        let raw = self.raw(doc)?;
        decode(raw.as_slice(), out)
    }

    /// [`Texts::record`] through `scratch` (read from the file when there is one).
    pub fn record_with<'o>(
        &self,
        doc: DocId,
        scratch: &mut Vec<u8>,
        out: &'o mut Vec<u8>,
    ) -> std::io::Result<Record<'o>> {
        let Some(file) = &self.file else { return self.record(doc, out) };
        let range = self.range(doc)?;
        scratch.resize(range.len(), 0);
        super::reads::read_at(file, scratch, range.start as u64)?;
        decode(scratch, out)
    }
}

fn bad(what: &str) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, format!("chunk texts: {what}"))
}

/// A stored record (length and LZ4 block) decompressed into `out` and split.
pub fn decode<'o>(raw: &[u8], out: &'o mut Vec<u8>) -> std::io::Result<Record<'o>> {
    let size = u32::from_le_bytes(
        raw.get(..4).ok_or_else(|| bad("truncated record"))?.try_into().map_err(|_| bad("truncated record"))?,
    ) as usize;
    if size > (raw.len() - 4).saturating_mul(256) + 16 {
        return Err(bad("implausible record size"));
    }
    out.clear();
    out.resize(size, 0);
    let n = lz4_flex::block::decompress_into(&raw[4..], out).map_err(|e| bad(&e.to_string()))?;
    if n != size || size < 5 {
        return Err(bad("record shorter than its header says"));
    }
    split(out)
}

/// A decompressed record's text and metadata.
fn split(r: &[u8]) -> std::io::Result<Record<'_>> {
    let n = r.len();
    let first = r[n - 1] == 1;
    let meta_len = u32::from_le_bytes([r[n - 5], r[n - 4], r[n - 3], r[n - 2]]) as usize;
    let meta_at = (n - 5).checked_sub(meta_len).ok_or_else(|| bad("metadata longer than its record"))?;
    fn utf8(b: &[u8]) -> std::io::Result<&str> {
        simdutf8::basic::from_utf8(b).map_err(|_| bad("text is not UTF-8"))
    }
    let text = utf8(&r[..meta_at])?;
    let meta = if first {
        let mut m = &r[meta_at..n - 5];
        let mut values = [None; 6];
        for v in &mut values {
            let len = u32::from_le_bytes(
                m.get(..4)
                    .ok_or_else(|| bad("truncated metadata"))?
                    .try_into()
                    .map_err(|_| bad("truncated metadata"))?,
            );
            m = &m[4..];
            if len != u32::MAX {
                let len = len as usize;
                *v = Some(utf8(m.get(..len).ok_or_else(|| bad("truncated metadata"))?)?);
                m = &m[len..];
            }
        }
        Some(values)
    } else {
        None
    };
    Ok(Record { text, meta })
}

/// `doc`'s text from `texts` (its segment's), added to `stored` (the document
/// read from the store) as the text field's value; nothing without `texts`: the
/// store then holds the text itself.
pub fn add_text(
    stored: &mut tantivy::TantivyDocument,
    texts: Option<&Texts>,
    doc: DocId,
    text: Field,
) -> std::io::Result<()> {
    if let Some(texts) = texts {
        let (mut scratch, mut buf) = (Vec::new(), Vec::new());
        let record = texts.record_with(doc, &mut scratch, &mut buf)?;
        stored.add_text(text, record.text);
    }
    Ok(())
}

/// Each segment's [`Texts`], opened once for all the queries of an engine (a
/// file slice dropped between hits unmapped the file, and the next hit mapped
/// it again and faulted its pages back in: warm searches took 1 ms more).
#[derive(Debug)]
pub struct TextsCache {
    dir: std::path::PathBuf,
    segments: std::sync::Mutex<std::collections::HashMap<tantivy::index::SegmentId, Option<std::sync::Arc<Texts>>>>,
}

impl TextsCache {
    /// Texts of the segments of the index in `dir`, read from its files there.
    pub fn new(dir: &std::path::Path) -> TextsCache {
        TextsCache { dir: dir.to_path_buf(), segments: Default::default() }
    }

    /// `reader`'s texts (`None`: its store holds the texts).
    pub fn get(&self, reader: &SegmentReader) -> Option<std::sync::Arc<Texts>> {
        self.get_checked(reader, false).ok().flatten()
    }

    /// [`TextsCache::get`], an error when `required` (the schema keeps texts in
    /// `.texts` files) and the segment's file is missing or malformed: its chunks'
    /// texts are nowhere else, and an empty text would lose every mention silently.
    pub fn get_checked(
        &self,
        reader: &SegmentReader,
        required: bool,
    ) -> crate::error::Result<Option<std::sync::Arc<Texts>>> {
        let texts = self.open(reader);
        if required && texts.is_none() {
            return Err(crate::error::Error::Data(format!(
                "the chunk texts file of segment {} ({}.{EXTENSION} in {}) is missing or malformed; rebuild the index with `sgsearch index --rebuild PATH…`",
                reader.segment_id().uuid_string(),
                reader.segment_id().uuid_string(),
                self.dir.display()
            )));
        }
        Ok(texts)
    }

    fn open(&self, reader: &SegmentReader) -> Option<std::sync::Arc<Texts>> {
        let mut segments = self.segments.lock().unwrap_or_else(|e| e.into_inner());
        segments
            .entry(reader.segment_id())
            .or_insert_with(|| Texts::with_file(reader, &self.dir).map(std::sync::Arc::new))
            .clone()
    }
}
