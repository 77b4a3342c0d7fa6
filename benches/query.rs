//! Query speed on a warm index of a 30 MB generated corpus (seed 42, built once
//! into target/criterion-data/): search by query class (with and without
//! snippets), count, mentions, and batch throughput. Run: `cargo bench --bench query`.
//! Whole-process latency and the comparison with ripgrep and SQLite FTS5 are in
//! benches/compare.sh.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use sgsearch::gen::{generate, GenConfig};
use sgsearch::index::writer::{self, IndexOptions};
use sgsearch::search::plan::Filters;
use sgsearch::search::rank::Sort;
use sgsearch::search::{Engine, Request};
use std::path::PathBuf;

fn engine() -> Engine {
    let base = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/criterion-data");
    let corpus = base.join("corpus-30MB");
    let index = base.join("index-30MB");
    if !corpus.join("planted.jsonl").exists() {
        let _ = std::fs::remove_dir_all(&corpus);
        generate(&GenConfig { seed: 42, target_bytes: 30_000_000, ..GenConfig::default() }, &corpus).expect("generate");
    }
    let opts = IndexOptions { roots: vec![corpus], ..IndexOptions::default() };
    writer::run(&index, &opts).expect("index");
    // A warm engine, as `batch` and `bench-queries` use.
    Engine::open(&index).expect("open").for_many_queries()
}

const CLASSES: &[(&str, &str)] = &[
    ("single_term", "neglect"),
    ("frequent_term", "children"),
    ("rare_term", "trafficking"),
    ("two_terms", "missing children"),
    ("phrase", "\"county lines\""),
    ("long_phrase", "\"child sexual exploitation\""),
    ("proximity", "\"missing children\"~3"),
    ("boolean", "(fostering OR adoption) AND NOT panel"),
    ("prefix", "exploit*"),
    ("field_committee", "committee:cabinet neglect"),
    ("field_date", "neglect date:[2012 TO 2016]"),
    ("field_topic", "topic:cse children"),
];

fn search(c: &mut Criterion) {
    let engine = engine();
    let mut group = c.benchmark_group("search_top10");
    for (name, q) in CLASSES {
        for snippets in [true, false] {
            let req = Request { query: q.to_string(), limit: 10, snippets, ..Request::default() };
            let id = format!("{name}/{}", if snippets { "snippets" } else { "no_snippets" });
            group.bench_with_input(BenchmarkId::from_parameter(id), &req, |b, req| {
                b.iter(|| engine.search(req).expect("search").total)
            });
        }
    }
    for (name, sort) in [("sort_date", Sort::Date), ("sort_date_asc", Sort::DateAsc)] {
        let req = Request { query: "neglect".into(), limit: 10, sort, snippets: true, ..Request::default() };
        group.bench_function(name, |b| b.iter(|| engine.search(&req).expect("search").total));
    }
    let filtered = Request {
        query: "children".into(),
        limit: 10,
        snippets: true,
        filters: Filters { committee: Some("scrutiny".into()), from: Some("2010".into()), ..Filters::default() },
        ..Request::default()
    };
    group.bench_function("filtered_flags", |b| b.iter(|| engine.search(&filtered).expect("search").total));
    let faceted = Request { query: "neglect".into(), limit: 10, snippets: true, facets: true, ..Request::default() };
    group.bench_function("with_facets", |b| b.iter(|| engine.search(&faceted).expect("search").total));
    group.finish();
}

fn count_and_mentions(c: &mut Criterion) {
    let engine = engine();
    let mut group = c.benchmark_group("count");
    for (name, q) in [("term", "neglect"), ("phrase", "\"county lines\""), ("frequent", "children")] {
        group.bench_function(name, |b| b.iter(|| engine.count(q, &Filters::default(), None).expect("count").mentions));
    }
    group.finish();
    let mut group = c.benchmark_group("mentions");
    group.sample_size(20);
    for (name, q) in [("term", "neglect"), ("phrase", "\"county lines\"")] {
        let rows = engine.count(q, &Filters::default(), None).expect("count").mentions;
        group.throughput(Throughput::Elements(rows));
        group.bench_function(name, |b| {
            b.iter(|| engine.mentions(q, &Filters::default(), 8, None, &mut |_| Ok(true)).expect("mentions"))
        });
    }
    group.finish();
}

fn batch(c: &mut Criterion) {
    let engine = engine();
    let queries: Vec<Request> = CLASSES
        .iter()
        .map(|(_, q)| Request { query: q.to_string(), limit: 10, snippets: true, ..Request::default() })
        .collect();
    let mut group = c.benchmark_group("batch");
    group.throughput(Throughput::Elements(queries.len() as u64));
    for threads in [1usize, 2] {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
        group.bench_function(format!("{threads}_threads"), |b| {
            b.iter(|| {
                use rayon::prelude::*;
                let searcher = engine.reader.searcher();
                pool.install(|| {
                    queries
                        .par_iter()
                        .map(|r| engine.search_with(&searcher, r).map(|x| x.total).unwrap_or(0))
                        .sum::<u64>()
                })
            })
        });
    }
    group.finish();
}

criterion_group!(benches, search, count_and_mentions, batch);
criterion_main!(benches);
