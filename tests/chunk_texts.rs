//! Chunk texts live in each segment's `.texts` file (`index::texts`), written
//! while indexing and copied by merges. On a generated index of several commits,
//! with sources re-indexed (deletes) and segments merged, every live chunk's
//! record must hold exactly the text the ingest pipeline cut for it, and on an
//! item's first chunk the same metadata as the document store.

use sgsearch::gen::{generate, GenConfig};
use sgsearch::index::texts::Texts;
use sgsearch::index::writer::{self, IndexOptions};
use sgsearch::ingest::Ingestor;
use sgsearch::schema::Role;
use sgsearch::sources::walk::SourceKind;
use sgsearch::tag::Tagger;
use std::collections::HashMap;
use std::path::Path;
use tantivy::schema::Value;
use tantivy::TantivyDocument;

/// (item id, chunk ordinal) -> the chunk's source id and text, as the pipeline cuts it.
fn pipeline_chunks(corpus: &Path, index: &Path) -> HashMap<(String, u64), (String, String)> {
    let (taxonomy, _) = writer::load_taxonomy(index, None).unwrap();
    let ingestor = Ingestor::new(Tagger::new(&taxonomy));
    let mut out = HashMap::new();
    for entry in walkdir::WalkDir::new(corpus) {
        let path = entry.unwrap().into_path();
        let Some(kind) = SourceKind::from_path(&path) else { continue };
        let path = std::fs::canonicalize(&path).unwrap();
        let bytes = ingestor.read(&path).unwrap();
        let Ok(doc) = ingestor.build(&path, kind, &bytes) else { continue };
        for item in &doc.items {
            for (k, r) in item.chunks.iter().enumerate() {
                out.insert((item.id.clone(), k as u64), (doc.source_id.clone(), item.text[r.clone()].to_string()));
            }
        }
    }
    out
}

#[test]
fn every_chunk_text_survives_commits_deletes_and_merges() {
    let tmp = tempfile::tempdir().unwrap();
    let (corpus, index) = (tmp.path().join("corpus"), tmp.path().join("index"));
    generate(&GenConfig { seed: 31, target_bytes: 2_000_000, ..GenConfig::default() }, &corpus).unwrap();
    let opts = IndexOptions { roots: vec![corpus.clone()], batch_bytes: 300_000, ..IndexOptions::default() };
    writer::run(&index, &opts).unwrap();
    // Some sources changed: their old chunks are deleted and new ones added; the
    // run's final merge then copies records past the deleted documents.
    let mut changed = 0;
    for entry in
        std::fs::read_dir(corpus.join(std::fs::read_dir(&corpus).unwrap().next().unwrap().unwrap().file_name()))
            .unwrap()
            .take(40)
    {
        let path = entry.unwrap().path();
        if SourceKind::from_path(&path).is_some() {
            let mut text = std::fs::read(&path).unwrap();
            text.extend_from_slice(b"\n\nAddendum: the panel noted the fostering review.\n");
            std::fs::write(&path, text).unwrap();
            changed += 1;
        }
    }
    assert!(changed > 5, "{changed} sources changed");
    let summary = writer::run(&index, &opts).unwrap();
    assert_eq!(summary.files_indexed, changed);

    let mut want = pipeline_chunks(&corpus, &index);
    // Then a few sources deleted outright, and every segment merged into one, past
    // the deleted documents.
    {
        let opened = sgsearch::index::open(&index).unwrap();
        let mut w: tantivy::IndexWriter = opened.index.writer_with_num_threads(1, 50_000_000).unwrap();
        w.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        let mut gone: Vec<String> = want.values().map(|(source, _)| source.clone()).collect();
        gone.sort();
        gone.dedup();
        gone.truncate(7);
        for source in &gone {
            w.delete_term(tantivy::Term::from_field_text(opened.schema.fields.get(Role::SourceId), source));
        }
        w.commit().unwrap();
        want.retain(|_, (source, _)| !gone.contains(source));
        let ids = opened.index.searchable_segment_ids().unwrap();
        let searcher = opened.index.reader().unwrap().searcher();
        let deleted: u32 = searcher.segment_readers().iter().map(|r| r.max_doc() - r.num_docs()).sum();
        assert!(ids.len() >= 2 && deleted > 0, "{} segments, {deleted} deleted chunks", ids.len());
        w.merge(&ids).wait().unwrap();
        w.wait_merging_threads().unwrap();
    }
    let opened = sgsearch::index::open(&index).unwrap();
    let searcher = opened.index.reader().unwrap().searcher();
    let f = |role| opened.schema.fields.get(role);
    let (mut checked, mut firsts) = (0usize, 0usize);
    let mut buf = Vec::new();
    for reader in searcher.segment_readers() {
        let texts = Texts::open(reader).expect("every segment has a texts file");
        let store = reader.get_store_reader(0).unwrap();
        for doc in reader.doc_ids_alive() {
            let stored: TantivyDocument = store.get(doc).unwrap();
            assert!(stored.get_first(f(Role::Text)).is_none(), "the store holds no text");
            let s = |role| stored.get_first(f(role)).and_then(|v| v.as_str()).map(str::to_string);
            let ordinal = stored.get_first(f(Role::ChunkOrdinal)).and_then(|v| v.as_u64()).unwrap();
            let key = (s(Role::ItemId).unwrap(), ordinal);
            let record = texts.record(doc, &mut buf).unwrap();
            assert_eq!(Some(record.text), want.get(&key).map(|(_, t)| t.as_str()), "chunk {key:?}");
            match record.meta {
                Some(meta) => {
                    assert_eq!(ordinal, 0, "metadata on first chunks only");
                    let expected: Vec<Option<String>> =
                        sgsearch::index::texts::META_ROLES.iter().map(|&r| s(r)).collect();
                    let got: Vec<Option<String>> = meta.iter().map(|v| v.map(str::to_string)).collect();
                    assert_eq!(got, expected, "chunk {key:?}");
                    firsts += 1;
                }
                None => assert!(ordinal > 0, "chunk {key:?} lacks its item's metadata"),
            }
            checked += 1;
        }
        assert!(texts.record(reader.max_doc(), &mut buf).is_err(), "past the last doc: an error");
    }
    assert_eq!(checked, want.len(), "every chunk the pipeline cut is in the index once");
    assert!(checked > firsts && firsts > 500, "{checked} chunks, {firsts} items");
    assert_eq!(searcher.segment_readers().len(), 1);
}

/// A segment's `.texts` file is the only copy of its chunks' texts: when it is
/// missing or damaged, `mentions`, `search` (snippets) and `export` must fail
/// naming the file and the fix, not print rows with empty contexts.
#[test]
fn a_missing_or_damaged_texts_file_is_an_error_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    let (corpus, index) = (tmp.path().join("corpus"), tmp.path().join("index"));
    generate(&GenConfig { seed: 7, target_bytes: 300_000, ..GenConfig::default() }, &corpus).unwrap();
    writer::run(&index, &IndexOptions { roots: vec![corpus], ..IndexOptions::default() }).unwrap();
    let texts: Vec<_> = std::fs::read_dir(&index)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "texts"))
        .collect();
    assert!(!texts.is_empty(), "the index has no .texts file");
    let cli = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_sgsearch"))
            .env_remove("SGSEARCH_INDEX")
            .arg("--index")
            .arg(&index)
            .args(args)
            .output()
            .unwrap()
    };
    let commands: [&[&str]; 3] = [&["mentions", "children"], &["search", "children"], &["export"]];
    for cmd in commands {
        let out = cli(cmd);
        assert!(out.status.success(), "{cmd:?} fails on a sound index: {}", String::from_utf8_lossy(&out.stderr));
    }
    for damage in ["truncated", "deleted"] {
        for path in &texts {
            match damage {
                "truncated" => std::fs::write(path, b"SGT").unwrap(),
                _ => std::fs::remove_file(path).unwrap(),
            }
        }
        let name = texts[0].file_name().unwrap().to_string_lossy().into_owned();
        for cmd in commands {
            let out = cli(cmd);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(!out.status.success(), "{cmd:?} succeeds with the .texts files {damage}");
            let named = texts.iter().any(|p| stderr.contains(&*p.file_name().unwrap().to_string_lossy()));
            assert!(named && stderr.contains("--rebuild"), "{cmd:?}, files {damage} ({name}…): {stderr}");
        }
    }
}
