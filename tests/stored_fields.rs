//! `search::stored::texts` reads stored chunks without tantivy's deserializer
//! (for `mentions`): on every chunk of a generated index it must give exactly the
//! text values tantivy gives, field by field and in order.

use sgsearch::gen::{generate, GenConfig};
use sgsearch::index::writer::{self, IndexOptions};
use sgsearch::search::stored::texts;
use tantivy::schema::Value;
use tantivy::TantivyDocument;

#[test]
fn raw_stored_texts_equal_tantivy_documents() {
    let tmp = tempfile::tempdir().unwrap();
    let (corpus, index) = (tmp.path().join("corpus"), tmp.path().join("index"));
    generate(&GenConfig { seed: 11, target_bytes: 1_500_000, ..GenConfig::default() }, &corpus).unwrap();
    let opts = IndexOptions { roots: vec![corpus], batch_bytes: 400_000, ..IndexOptions::default() };
    writer::run(&index, &opts).unwrap();
    let opened = sgsearch::index::open(&index).unwrap();
    let searcher = opened.index.reader().unwrap().searcher();
    let (mut docs, mut values) = (0, 0);
    for reader in searcher.segment_readers() {
        let store = reader.get_store_reader(16).unwrap();
        for doc in 0..reader.max_doc() {
            let bytes = store.get_document_bytes(doc).unwrap();
            let raw = texts(&bytes).unwrap_or_else(|| panic!("doc {doc}: stored bytes not read"));
            let d: TantivyDocument = store.get(doc).unwrap();
            let expected: Vec<(u32, &str)> =
                d.field_values().filter_map(|(f, v)| v.as_str().map(|s| (f.field_id(), s))).collect();
            assert_eq!(raw, expected, "doc {doc}");
            docs += 1;
            values += raw.len();
        }
    }
    assert!(docs > 500 && values > docs * 8, "a real index: {docs} chunks, {values} text values");
}
