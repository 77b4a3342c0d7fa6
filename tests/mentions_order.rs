//! `mentions` reads large results on several threads and writes them back in
//! order: rows must come oldest meeting first (undated last), then by source,
//! an item's rows together and in text order, and a `--limit` run must be the
//! first rows of the full run, on a generated corpus with thousands of rows.
//! Each row carries its own item's metadata, also where the item lacks some
//! (rows are built in buffers reused from item to item).

mod common;

use common::mention_rows;
use sgsearch::gen::{generate, GenConfig};
use sgsearch::index::writer::{self, IndexOptions};
use sgsearch::search::plan::Filters;
use sgsearch::search::Engine;
use std::collections::HashSet;

type Row = (Option<String>, String, String, usize);

fn rows(engine: &Engine, query: &str, limit: Option<u64>) -> Vec<Row> {
    let mut out = Vec::new();
    let n = engine
        .mentions(query, &Filters::default(), 4, limit, &mut |m| {
            out.push((m.item.meeting_date.clone(), m.item.source.clone(), m.item_id.to_string(), m.offset));
            Ok(true)
        })
        .unwrap();
    assert_eq!(n as usize, out.len(), "{query}: rows emitted and rows counted");
    out
}

#[test]
fn threaded_mentions_keep_date_order_and_limits() {
    let tmp = tempfile::tempdir().unwrap();
    let (corpus, index) = (tmp.path().join("corpus"), tmp.path().join("index"));
    generate(&GenConfig { seed: 5, target_bytes: 3_000_000, ..GenConfig::default() }, &corpus).unwrap();
    let opts = IndexOptions { roots: vec![corpus], batch_bytes: 500_000, ..IndexOptions::default() };
    writer::run(&index, &opts).unwrap();
    let engine = Engine::open(&index).unwrap();
    for query in ["children", "\"looked after children\"", "CSE OR neglect OR fostering OR adoption"] {
        let all = rows(&engine, query, None);
        let items: HashSet<&String> = all.iter().map(|r| &r.2).collect();
        assert!(items.len() >= 100, "{query}: enough items for the threaded path, got {}", items.len());
        assert_eq!(all.len() as u64, engine.count(query, &Filters::default(), None).unwrap().mentions, "{query}");
        let mut finished: HashSet<&String> = HashSet::new();
        for w in all.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            let date_order = match (&a.0, &b.0) {
                (Some(x), Some(y)) => x.cmp(y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            };
            assert!(date_order.is_le(), "{query}: {a:?} before {b:?}");
            if date_order.is_eq() {
                assert!(a.1 <= b.1, "{query}: sources in order on one date: {a:?} before {b:?}");
            }
            if a.2 == b.2 {
                assert!(a.3 < b.3, "{query}: an item's rows in text order: {a:?} before {b:?}");
            } else {
                finished.insert(&a.2);
                assert!(!finished.contains(&b.2), "{query}: the rows of {} are not together", b.2);
            }
        }
        for limit in [1, 37, 1000] {
            let first = rows(&engine, query, Some(limit));
            assert_eq!(first.as_slice(), &all[..(limit as usize).min(all.len())], "{query} --limit {limit}");
        }
    }
}

#[test]
fn rows_carry_their_own_items_metadata() {
    let tmp = tempfile::tempdir().unwrap();
    let (corpus, index) = (tmp.path().join("corpus"), tmp.path().join("index"));
    generate(&GenConfig { seed: 29, target_bytes: 3_000_000, ..GenConfig::default() }, &corpus).unwrap();
    let opts = IndexOptions { roots: vec![corpus], batch_bytes: 700_000, ..IndexOptions::default() };
    writer::run(&index, &opts).unwrap();
    let mut engine = Engine::open(&index).unwrap();
    for parallel in [true, false] {
        engine.parallel = parallel;
        for query in ["children", "fostering OR adoption", "neglect"] {
            engine.stored_in_place = true;
            let in_place = mention_rows(&engine, query, 3);
            // tantivy's documents, a fresh item each: the metadata as stored.
            engine.stored_in_place = false;
            let from_documents = mention_rows(&engine, query, 3);
            assert_eq!(in_place, from_documents, "{query}, parallel: {parallel}");
            // Items with and without a url, a number and a date, interleaved.
            let rows: Vec<serde_json::Value> = in_place.iter().map(|r| serde_json::from_str(r).unwrap()).collect();
            for key in ["url", "item_number", "meeting_date"] {
                let missing = rows.iter().filter(|r| r[key].is_null()).count();
                assert!(missing > 0 && missing < rows.len(), "{query}: {missing} of {} rows lack {key}", rows.len());
            }
        }
    }
}
