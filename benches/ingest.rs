//! Ingest throughput (MB/s of page bytes), by page layout, for the stages before
//! the index (decode, HTML, parse, metadata, tag, chunk), and for a whole
//! `sgsearch index` run. Input: a 12 MB corpus from the project's own generator
//! (seed 42), written once to target/criterion-data/. Run: `cargo bench --bench ingest`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use sgsearch::gen::{generate, GenConfig};
use sgsearch::index::writer::{self, IndexOptions, BUILTIN_TOPICS};
use sgsearch::ingest::Ingestor;
use sgsearch::sources::walk::{walk, Candidate};
use sgsearch::tag::{Tagger, Taxonomy};
use std::path::PathBuf;

fn corpus() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/criterion-data/corpus-12MB");
    if !dir.join("planted.jsonl").exists() {
        let _ = std::fs::remove_dir_all(&dir);
        generate(&GenConfig { seed: 42, target_bytes: 12_000_000, ..GenConfig::default() }, &dir).expect("generate");
    }
    dir
}

/// The generator names files after the ModernGov page they imitate.
fn layout(c: &Candidate) -> &'static str {
    let name = c.path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    match name.split('-').next().unwrap_or("") {
        "ieListDocuments" => "meeting",
        "mgAi" => "agenda_item",
        "ieIssueDetails" => "issue",
        "ieDecisionDetails" => "decision",
        "report" => "report",
        "CeListDocuments" => "legacy",
        _ => "other",
    }
}

fn stages(c: &mut Criterion) {
    let dir = corpus();
    let taxonomy = Taxonomy::from_toml(BUILTIN_TOPICS, "topics.toml").expect("taxonomy");
    let ingestor = Ingestor::new(Tagger::new(&taxonomy));
    let walked = walk(&[dir], &[]);
    let mut group = c.benchmark_group("ingest_by_layout");
    for name in ["meeting", "agenda_item", "issue", "decision", "report", "legacy"] {
        let files: Vec<(Candidate, Vec<u8>)> = walked
            .candidates
            .iter()
            .filter(|c| layout(c) == name)
            .map(|c| (c.clone(), std::fs::read(&c.path).expect("read")))
            .collect();
        let bytes: u64 = files.iter().map(|(_, b)| b.len() as u64).sum();
        group.throughput(Throughput::Bytes(bytes));
        group.bench_with_input(BenchmarkId::from_parameter(name), &files, |b, files| {
            b.iter(|| {
                let mut items = 0;
                for (c, bytes) in files {
                    items += ingestor.build(&c.path, c.kind, bytes).map(|d| d.items.len()).unwrap_or(0);
                }
                items
            })
        });
    }
    group.finish();
}

fn whole_index(c: &mut Criterion) {
    let dir = corpus();
    let bytes: u64 = walk(std::slice::from_ref(&dir), &[]).candidates.iter().map(|c| c.size).sum();
    let mut group = c.benchmark_group("index_run");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes));
    group.bench_function("12MB_from_scratch", |b| {
        b.iter(|| {
            let tmp = tempfile::tempdir().expect("tempdir");
            let opts = IndexOptions { roots: vec![dir.clone()], ..IndexOptions::default() };
            writer::run(&tmp.path().join("ix"), &opts).expect("index").items
        })
    });
    group.finish();
}

criterion_group!(benches, stages, whole_index);
criterion_main!(benches);
