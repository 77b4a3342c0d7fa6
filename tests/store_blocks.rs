//! `index::blocks` reads tantivy's document store itself (for `mentions`): on a
//! generated index of several segments it must understand every store, give every
//! document's bytes exactly as `StoreReader` does (through the file and through
//! the directory), and `mentions` must write the same rows either way, and when it
//! falls back to tantivy's documents.

mod common;

use common::mention_rows;
use sgsearch::gen::{generate, GenConfig};
use sgsearch::index::blocks::{BlockCache, StoreBlocks};
use sgsearch::index::writer::{self, IndexOptions};
use sgsearch::search::Engine;
use std::path::Path;

fn generated_index(dir: &Path, seed: u64, bytes: u64) -> std::path::PathBuf {
    let (corpus, index) = (dir.join("corpus"), dir.join("index"));
    generate(&GenConfig { seed, target_bytes: bytes, ..GenConfig::default() }, &corpus).unwrap();
    let opts = IndexOptions { roots: vec![corpus], batch_bytes: 400_000, ..IndexOptions::default() };
    writer::run(&index, &opts).unwrap();
    index
}

#[test]
fn block_reads_equal_tantivy_store_reads() {
    let tmp = tempfile::tempdir().unwrap();
    let index = generated_index(tmp.path(), 23, 2_000_000);
    let opened = sgsearch::index::open(&index).unwrap();
    let searcher = opened.index.reader().unwrap().searcher();
    assert!(searcher.segment_readers().len() >= 2, "several segments");
    let (mut docs, mut blocks) = (0u32, 0usize);
    for reader in searcher.segment_readers() {
        let store = reader.get_store_reader(0).unwrap();
        // Through the store file, and (a directory that is not the index's) through
        // tantivy's file slice.
        let direct = StoreBlocks::open(reader, &index).expect("the store layout is understood");
        let sliced = StoreBlocks::open(reader, &tmp.path().join("elsewhere")).expect("the store layout is understood");
        assert!(!direct.is_empty() && direct.len() < reader.max_doc() as usize);
        assert!(direct.reads_file() && !sliced.reads_file(), "{direct:?} reads the index's store file");
        blocks += direct.len();
        let (mut a, mut b) = (BlockCache::default(), BlockCache::default());
        // In order, then backwards (evicting and re-reading blocks).
        for doc in (0..reader.max_doc()).chain((0..reader.max_doc()).rev()) {
            let want = store.get_document_bytes(doc).unwrap();
            assert_eq!(a.doc(&direct, doc).unwrap(), want.as_slice(), "doc {doc}");
            assert_eq!(b.doc(&sliced, doc).unwrap(), want.as_slice(), "doc {doc} through the slice");
            docs += 1;
        }
        assert!(a.doc(&direct, reader.max_doc()).is_err(), "past the last doc: an error");
    }
    assert!(docs > 1000 && blocks > 20, "a real index: {docs} reads, {blocks} blocks");
}

#[test]
fn mentions_rows_are_the_same_through_either_store_reader() {
    let tmp = tempfile::tempdir().unwrap();
    let index = generated_index(tmp.path(), 29, 2_500_000);
    let mut engine = Engine::open(&index).unwrap();
    for query in ["children", "\"looked after children\"", "fostering OR adoption", "neglect"] {
        engine.direct_store = true;
        let direct = mention_rows(&engine, query, 5);
        engine.direct_store = false;
        let through_tantivy = mention_rows(&engine, query, 5);
        // The fallback for stored bytes not read in place: tantivy's documents.
        engine.stored_in_place = false;
        let from_documents = mention_rows(&engine, query, 5);
        engine.stored_in_place = true;
        assert!(direct.len() > 50, "{query}: {} rows", direct.len());
        assert_eq!(direct, through_tantivy, "{query}");
        assert_eq!(direct, from_documents, "{query}: rows from tantivy's documents");
    }
}
