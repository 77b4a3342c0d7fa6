//! A segment's document store read block by block, for `mentions`, which reads
//! tens of thousands of scattered chunks back per query.
//!
//! tantivy's `StoreReader` seeks a layered skip index for every document, reads its
//! block into a fresh buffer, decompresses it into another, and puts it in a
//! mutex-guarded LRU: about half of a `mentions` profile, of which the LZ4
//! decompression itself was only a third. Here the checkpoints are decoded once
//! into a table (a binary search finds a document's block), the compressed bytes
//! are read with `pread` into a reused buffer, and each thread keeps its last few
//! decompressed blocks in reused buffers.
//!
//! The layout read is tantivy 0.27's store file: compressed blocks, one after
//! another; the skip index (a VInt list of layer end offsets, then the layers,
//! the last of which lists every block as checkpoint blocks: a count, the first
//! doc, the first byte offset, then per block its doc count and byte length); and
//! a 28-byte footer (store version `u32`, skip-index offset `u64`, compressor id,
//! 15 reserved bytes). A decompressed block is its documents' bytes followed by
//! one `u32` start offset per document and the document count. Anything else
//! (another compressor, a malformed table) makes [`StoreBlocks::open`] give
//! `None`, and the caller uses tantivy's reader instead; a malformed block is an
//! error, never a wrong row. `tests/store_blocks.rs` checks every document of a
//! generated index against `StoreReader::get_document_bytes`.

use super::reads::read_at;
use std::fs::File;
use std::ops::Range;
use std::path::Path;
use tantivy::directory::FileSlice;
use tantivy::index::SegmentComponent;
use tantivy::{DocId, SegmentReader};

const FOOTER_BYTES: usize = 28;
const LZ4: u8 = 1;
const NONE: u8 = 0;

/// One segment's store: where each block is, and how to read it.
pub struct StoreBlocks {
    slice: FileSlice,
    /// The store file itself, for reads into reused buffers (`None`: read through
    /// `slice`, one allocation a block).
    file: Option<File>,
    lz4: bool,
    /// Block `i` holds documents `ends[i - 1]..ends[i]` (from 0 for the first)…
    ends: Vec<DocId>,
    /// …in bytes `offsets[i]..offsets[i + 1]` of the file.
    offsets: Vec<u64>,
}

impl std::fmt::Debug for StoreBlocks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreBlocks").field("blocks", &self.ends.len()).field("lz4", &self.lz4).finish()
    }
}

impl StoreBlocks {
    /// The store of `reader`, whose files are in `dir`; `None` when its layout is
    /// not the one described above.
    pub fn open(reader: &SegmentReader, dir: &Path) -> Option<StoreBlocks> {
        let slice = reader.open_read(SegmentComponent::Store).ok()?;
        let bytes = slice.read_bytes().ok()?;
        let all = bytes.as_slice();
        let body_len = all.len().checked_sub(FOOTER_BYTES)?;
        let footer = &all[body_len..];
        let version = u32::from_le_bytes(footer[0..4].try_into().ok()?);
        let skip_at = usize::try_from(u64::from_le_bytes(footer[4..12].try_into().ok()?)).ok()?;
        let lz4 = match footer[12] {
            LZ4 => true,
            NONE => false,
            _ => return None,
        };
        if !(1..=2).contains(&version) || skip_at > body_len {
            return None;
        }
        let (ends, offsets) = checkpoints(all.get(skip_at..body_len)?, reader.max_doc(), skip_at as u64)?;
        // The file holds the slice's bytes from its start (tantivy's own footer
        // follows them): checked on the store footer before trusting it.
        let file = File::open(dir.join(format!("{}.store", reader.segment_id().uuid_string()))).ok().filter(|f| {
            let mut tail = [0u8; FOOTER_BYTES];
            read_at(f, &mut tail, body_len as u64).is_ok() && tail == footer
        });
        Some(StoreBlocks { slice, file, lz4, ends, offsets })
    }

    /// Whether blocks are read from the store file into reused buffers (else
    /// through tantivy's file slice).
    pub fn reads_file(&self) -> bool {
        self.file.is_some()
    }

    /// Number of blocks.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The block holding `doc`.
    fn block_of(&self, doc: DocId) -> Option<usize> {
        let i = self.ends.partition_point(|&end| end <= doc);
        (i < self.ends.len()).then_some(i)
    }

    /// Reads and decompresses block `i` into `out` (through `scratch`).
    fn read_block(&self, i: usize, scratch: &mut Vec<u8>, out: &mut Vec<u8>) -> std::io::Result<()> {
        let bad = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, format!("document store: {what}"));
        let (from, to) = (self.offsets[i], self.offsets[i + 1]);
        let len = usize::try_from(to - from).map_err(|_| bad("block too large"))?;
        let owned;
        let compressed: &[u8] = match &self.file {
            Some(f) => {
                if scratch.len() < len {
                    scratch.resize(len, 0);
                }
                read_at(f, &mut scratch[..len], from)?;
                &scratch[..len]
            }
            None => {
                owned = self.slice.read_bytes_slice(from as usize..to as usize)?;
                owned.as_slice()
            }
        };
        if !self.lz4 {
            out.clear();
            out.extend_from_slice(compressed);
            return Ok(());
        }
        let size = compressed.get(..4).ok_or_else(|| bad("truncated block"))?;
        let size = u32::from_le_bytes([size[0], size[1], size[2], size[3]]) as usize;
        // LZ4 expands at most ~255-fold: a larger header is a corrupt block, not
        // an allocation to attempt.
        if size > len.saturating_mul(256) {
            return Err(bad("implausible block size"));
        }
        out.resize(size, 0);
        let n = lz4_flex::block::decompress_into(&compressed[4..], out).map_err(|e| bad(&e.to_string()))?;
        if n != size {
            return Err(bad("block shorter than its header says"));
        }
        Ok(())
    }
}

/// The bytes of document number `pos` of a decompressed block.
fn doc_range(block: &[u8], pos: usize) -> Option<Range<usize>> {
    let u32_at = |at: usize| block.get(at..at + 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize);
    let count = u32_at(block.len().checked_sub(4)?)?;
    let index_start = block.len().checked_sub((count.checked_add(1)?).checked_mul(4)?)?;
    if pos >= count {
        return None;
    }
    let start = u32_at(index_start + pos * 4)?;
    let end = if pos + 1 < count { u32_at(index_start + (pos + 1) * 4)? } else { index_start };
    (start <= end && end <= index_start).then_some(start..end)
}

/// The last layer of the skip index as (doc ends, byte offsets); `None` unless the
/// blocks are contiguous from byte 0 to `data_end` and cover docs `0..max_doc`.
fn checkpoints(skip: &[u8], max_doc: DocId, data_end: u64) -> Option<(Vec<DocId>, Vec<u64>)> {
    let mut r = skip;
    let layers = vint(&mut r)?;
    let mut layer_ends = Vec::with_capacity(layers as usize);
    for _ in 0..layers {
        layer_ends.push(usize::try_from(vint(&mut r)?).ok()?);
    }
    let (mut ends, mut offsets) = (Vec::new(), vec![0u64]);
    let Some(&last_end) = layer_ends.last() else {
        return (max_doc == 0 && data_end == 0).then_some((ends, offsets));
    };
    let last_start = if layer_ends.len() > 1 { layer_ends[layer_ends.len() - 2] } else { 0 };
    let mut layer = r.get(last_start..last_end)?;
    let (mut doc, mut byte) = (0u32, 0u64);
    while !layer.is_empty() {
        let n = vint(&mut layer)?;
        if n == 0 {
            continue;
        }
        if u32::try_from(vint(&mut layer)?).ok()? != doc || vint(&mut layer)? != byte {
            return None;
        }
        for _ in 0..n {
            doc = doc.checked_add(u32::try_from(vint(&mut layer)?).ok()?)?;
            byte = byte.checked_add(vint(&mut layer)?)?;
            ends.push(doc);
            offsets.push(byte);
        }
    }
    (doc == max_doc && byte == data_end).then_some((ends, offsets))
}

/// tantivy's VInt: 7 bits a byte, low bits first, the last byte's top bit set.
fn vint(r: &mut &[u8]) -> Option<u64> {
    let mut val = 0u64;
    for (i, &b) in r.iter().enumerate().take(10) {
        val |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 != 0 {
            *r = &r[i + 1..];
            return Some(val);
        }
    }
    None
}

/// One thread's reads of a segment's store: its last few decompressed blocks.
#[derive(Default)]
pub struct BlockCache {
    scratch: Vec<u8>,
    /// Decompressed blocks, most recently used last.
    blocks: Vec<Cached>,
}

/// A decompressed block and the documents it holds: a document in a kept block
/// (an item's next chunk, mostly) is found without searching the block table,
/// whose binary search missed the CPU cache at every step (a tenth of this
/// reader's time).
struct Cached {
    docs: Range<DocId>,
    bytes: Vec<u8>,
}

/// Blocks kept per segment and thread: an item's chunks, and a meeting's items
/// (neighbours in date order), share a few.
const KEPT: usize = 8;

impl BlockCache {
    /// The stored bytes of `doc`.
    pub fn doc<'c>(&'c mut self, store: &StoreBlocks, doc: DocId) -> std::io::Result<&'c [u8]> {
        let bad = || std::io::Error::new(std::io::ErrorKind::InvalidData, format!("document store: no doc {doc}"));
        let at = match self.blocks.iter().rposition(|c| c.docs.contains(&doc)) {
            Some(at) => at,
            None => {
                let i = store.block_of(doc).ok_or_else(bad)?;
                let first = if i == 0 { 0 } else { store.ends[i - 1] };
                let mut bytes = if self.blocks.len() >= KEPT { self.blocks.remove(0).bytes } else { Vec::new() };
                store.read_block(i, &mut self.scratch, &mut bytes)?;
                self.blocks.push(Cached { docs: first..store.ends[i], bytes });
                self.blocks.len() - 1
            }
        };
        let block = &self.blocks[at];
        let range = doc_range(&block.bytes, (doc - block.docs.start) as usize).ok_or_else(bad)?;
        Ok(&block.bytes[range])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_ranges_are_bounded() {
        // Two docs "ab", "cde", offsets 0 and 2, count 2.
        let mut b = b"abcde".to_vec();
        for v in [0u32, 2, 2] {
            b.extend_from_slice(&v.to_le_bytes());
        }
        assert_eq!(doc_range(&b, 0), Some(0..2));
        assert_eq!(doc_range(&b, 1), Some(2..5));
        assert_eq!(doc_range(&b, 2), None);
        assert_eq!(doc_range(&b[..3], 0), None);
        let mut huge = b.clone();
        let n = huge.len();
        huge[n - 4..].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(doc_range(&huge, 0), None);
    }

    #[test]
    fn checkpoint_tables_must_cover_the_segment() {
        use crate::search::stored::tests::vint as v;
        // One layer, one checkpoint block: blocks of 3 and 2 docs, 100 and 60 bytes.
        let mut layer = Vec::new();
        for x in [2, 0, 0, 3, 100, 2, 60] {
            v(x, &mut layer);
        }
        let mut skip = Vec::new();
        v(1, &mut skip);
        v(layer.len() as u64, &mut skip);
        skip.extend_from_slice(&layer);
        assert_eq!(checkpoints(&skip, 5, 160), Some((vec![3, 5], vec![0, 100, 160])));
        assert_eq!(checkpoints(&skip, 6, 160), None);
        assert_eq!(checkpoints(&skip, 5, 161), None);
        assert_eq!(checkpoints(&skip[..skip.len() - 1], 5, 160), None);
    }
}
