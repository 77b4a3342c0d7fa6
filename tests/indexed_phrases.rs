//! Taxonomy phrases are indexed whole (`index::phrases`): a quoted phrase of the
//! list is counted from its own postings. That must give exactly what matching
//! by positions gives: the same items, mentions, buckets, ranking and mentions
//! rows, for every phrase of the list, on an index of several segments, and for
//! occurrences that run across a chunk boundary.

mod common;

use common::mention_rows;
use sgsearch::gen::{generate, GenConfig};
use sgsearch::index::phrases::{Phrases, CROSSING};
use sgsearch::index::writer::{self, IndexOptions};
use sgsearch::schema::Role;
use sgsearch::search::buckets::By;
use sgsearch::search::plan::Filters;
use sgsearch::search::{Engine, Request};
use std::path::Path;
use tantivy::Term;

fn index(corpus: &Path, index: &Path) {
    let opts = IndexOptions { roots: vec![corpus.to_path_buf()], batch_bytes: 400_000, ..IndexOptions::default() };
    writer::run(index, &opts).unwrap();
}

/// Documents (summed over segments) holding `text` in the `phrases` field.
fn phrase_doc_freq(engine: &Engine, text: &str) -> u64 {
    let field = engine.schema.fields.find(Role::Phrases).expect("the schema has a phrases field");
    let searcher = engine.reader.searcher();
    let term = Term::from_field_text(field, text);
    searcher
        .segment_readers()
        .iter()
        .map(|r| u64::from(r.inverted_index(field).unwrap().doc_freq(&term).unwrap()))
        .sum()
}

fn counts(engine: &Engine, query: &str, by: Option<By>) -> String {
    serde_json::to_string(&engine.count(query, &Filters::default(), by).unwrap()).unwrap()
}

#[test]
fn every_listed_phrase_counts_as_positions_count_it() {
    let tmp = tempfile::tempdir().unwrap();
    let (corpus, dir) = (tmp.path().join("corpus"), tmp.path().join("index"));
    generate(&GenConfig { seed: 31, target_bytes: 3_000_000, ..GenConfig::default() }, &corpus).unwrap();
    index(&corpus, &dir);
    let fast = Engine::open(&dir).unwrap();
    let slow = Engine::open(&dir).unwrap().without_indexed_phrases();
    assert!(fast.reader.searcher().segment_readers().len() >= 2, "several segments");
    let list = Phrases::load(&dir).expect("the index has its phrase list");
    assert!(fast.columns.phrases().and_then(|s| s.list()).is_some_and(|p| **p == list), "the engine loads it");
    assert!(slow.columns.phrases().is_none());
    let keys: Vec<String> = std::fs::read_to_string(dir.join(sgsearch::index::phrases::PHRASES_FILE))
        .unwrap()
        .lines()
        .skip(1)
        .map(String::from)
        .collect();
    assert_eq!(keys.len(), list.len());
    assert!(keys.len() > 100, "the taxonomy's phrases: {}", keys.len());

    let chunks: u64 = fast.reader.searcher().num_docs();
    assert_eq!(phrase_doc_freq(&fast, list.marker()), chunks, "every chunk holds the list's marker");
    let mut found = 0;
    for key in &keys {
        let query = format!("\"{key}\"");
        let want = counts(&slow, &query, Some(By::Year));
        assert_eq!(counts(&fast, &query, Some(By::Year)), want, "{query}");
        if phrase_doc_freq(&fast, key) > 0 {
            found += 1;
        }
    }
    // The comparisons above are not all of zero counts, and the fast path was taken.
    assert!(found > 40, "{found} phrases indexed");
    // (Generated pages seldom cut a phrase in two: the next test does.)

    // Phrases in larger queries, ranking with snippets, and mentions rows.
    for query in [
        "\"county lines\"",
        "\"looked after children\" OR fostering",
        "\"child sexual exploitation\" AND NOT cse",
        "\"missing from home\" date:[2012 TO 2020]",
        "\"domestic abuse\" OR \"domestic violence\"",
    ] {
        assert_eq!(counts(&fast, query, Some(By::Committee)), counts(&slow, query, Some(By::Committee)), "{query}");
        let req = Request { query: query.into(), limit: 20, ..Request::default() };
        let (a, b) = (fast.search(&req).unwrap(), slow.search(&req).unwrap());
        assert!(a.total > 0, "{query} matches");
        assert_eq!(a.total, b.total, "{query}");
        assert_eq!(serde_json::to_string(&a.hits).unwrap(), serde_json::to_string(&b.hits).unwrap(), "{query}");
        assert_eq!(mention_rows(&fast, query, 5), mention_rows(&slow, query, 5), "{query}");
    }
}

/// One occurrence of "county lines" per page, at every word position around
/// where the item is cut into chunks: some pages have it inside a chunk, some
/// across the cut.
#[test]
fn occurrences_across_a_chunk_boundary_count_once() {
    let tmp = tempfile::tempdir().unwrap();
    let (corpus, dir) = (tmp.path().join("corpus"), tmp.path().join("index"));
    std::fs::create_dir_all(&corpus).unwrap();
    let filler = |n: usize| (0..n).map(|i| format!("word{}", i % 97)).collect::<Vec<_>>().join(" ");
    let pages = 320;
    for at in 0..pages {
        let text = format!(
            "Children's Services Committee\nMinutes of the meeting held on 3 March 2015\n\n\
             1. Report of the director\n\n{} county lines {}.\n",
            filler(150 + at),
            filler(500),
        );
        std::fs::write(corpus.join(format!("page{at:03}.txt")), text).unwrap();
    }
    index(&corpus, &dir);
    let fast = Engine::open(&dir).unwrap();
    let slow = Engine::open(&dir).unwrap().without_indexed_phrases();
    let got = fast.count("\"county lines\"", &Filters::default(), None).unwrap();
    assert_eq!((got.items, got.mentions), (pages as u64, pages as u64));
    assert_eq!(counts(&fast, "\"county lines\"", None), counts(&slow, "\"county lines\"", None));
    let (within, across) =
        (phrase_doc_freq(&fast, "county lines"), phrase_doc_freq(&fast, &format!("{CROSSING}county lines")));
    assert!(within > 0 && across > 0, "{within} within a chunk, {across} across");
    assert_eq!(within + across, pages as u64);
    // Ranking counts a chunk's own occurrences only, as positions within it do.
    let req = Request { query: "\"county lines\"".into(), limit: pages, ..Request::default() };
    let (a, b) = (fast.search(&req).unwrap(), slow.search(&req).unwrap());
    assert_eq!(a.total, pages as u64);
    assert_eq!(serde_json::to_string(&a.hits).unwrap(), serde_json::to_string(&b.hits).unwrap());
}
