//! Ranking scores a phrase from the per-chunk counts that matching found
//! (`rank::ChunkPhrase`) instead of tantivy's `PhraseQuery`. Both must agree:
//! the same chunks, the same BM25 score for each, on a generated corpus with
//! long, multi-chunk items (phrases that straddle a chunk boundary count for
//! neither chunk, as tantivy sees them).

use sgsearch::gen::{generate, GenConfig};
use sgsearch::index::writer::{self, IndexOptions};
use sgsearch::schema::Role;
use sgsearch::search::eval::SegmentView;
use sgsearch::search::plan::{Filters, Mode};
use sgsearch::search::rank::ChunkPhrase;
use sgsearch::search::Engine;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use tantivy::collector::TopDocs;
use tantivy::query::{PhraseQuery, Query};
use tantivy::{DocAddress, Term};

const PHRASES: &[&str] = &[
    "\"looked after children\"",
    "\"child sexual exploitation\"",
    "\"missing from home\"",
    "\"county lines\"",
    "\"domestic abuse\"",
    "\"child protection\"",
    "\"the committee\"",
];

fn scores(searcher: &tantivy::Searcher, q: &dyn Query) -> BTreeMap<DocAddress, f32> {
    searcher
        .search(q, &TopDocs::with_limit(1_000_000).order_by_score())
        .unwrap()
        .into_iter()
        .map(|(s, a)| (a, s))
        .collect()
}

/// A generated corpus of ~3 MB, indexed (the directory lives as long as the guard).
fn indexed_corpus(seed: u64) -> (tempfile::TempDir, Engine) {
    let tmp = tempfile::tempdir().unwrap();
    let (corpus, index) = (tmp.path().join("corpus"), tmp.path().join("index"));
    generate(&GenConfig { seed, target_bytes: 3_000_000, ..GenConfig::default() }, &corpus).unwrap();
    writer::run(&index, &IndexOptions { roots: vec![corpus], ..IndexOptions::default() }).unwrap();
    let engine = Engine::open(&index).unwrap();
    (tmp, engine)
}

#[test]
fn phrase_scores_from_chunk_counts_equal_tantivys_phrase_query() {
    let (_tmp, engine) = indexed_corpus(7);
    let searcher = engine.reader.searcher();
    let text = engine.schema.fields.get(Role::Text);
    let mut multi_chunk_hits = 0;
    for q in PHRASES {
        let plan = engine.plan(&searcher, q, &Filters::default(), Mode::Ranked).unwrap();
        let atom = &plan.atoms[0];
        assert!(atom.is_phrase() && atom.slots.iter().all(|s| s.len() == 1), "{q}");
        let mut per_segment = HashMap::new();
        for r in searcher.segment_readers() {
            let view = SegmentView::new(r, &engine.schema).unwrap().recording_chunks();
            view.matches(&plan).unwrap();
            let counts = view.chunk_phrase_counts(atom).expect("matching records the phrase's chunks");
            multi_chunk_hits += counts.iter().filter(|(doc, _)| view.item_of(*doc) != *doc).count();
            per_segment.insert(r.segment_id(), Arc::new(counts));
        }
        let terms: Vec<Term> = atom.slots.iter().map(|s| Term::from_field_text(text, &s[0])).collect();
        let ours =
            scores(&searcher, &ChunkPhrase { field: text, terms: terms.clone(), per_segment: Arc::new(per_segment) });
        let theirs = scores(&searcher, &PhraseQuery::new(terms));
        assert!(!theirs.is_empty(), "{q} should occur in the generated corpus");
        assert_eq!(ours.keys().collect::<Vec<_>>(), theirs.keys().collect::<Vec<_>>(), "{q}: the same chunks");
        for (doc, s) in &theirs {
            assert!((ours[doc] - s).abs() <= 1e-5 * s.abs().max(1.0), "{q} {doc:?}: {} vs {s}", ours[doc]);
        }
    }
    assert!(multi_chunk_hits > 0, "the corpus should put phrases in later chunks of long items");
}

/// Titles too: every chunk of a matching item whose title holds the phrase,
/// scored as `PhraseQuery` over titles scores it (there, restricted to the
/// matching items: only they rank).
#[test]
fn title_phrase_scores_from_matching_equal_tantivys_phrase_query() {
    let (_tmp, engine) = indexed_corpus(5);
    let searcher = engine.reader.searcher();
    let title = engine.schema.fields.get(Role::Title);
    let mut compared = 0;
    for q in PHRASES.iter().copied().chain(["\"child protection\"~2", "\"exploitation sexual\"~3"]) {
        let plan = engine.plan(&searcher, q, &Filters::default(), Mode::Ranked).unwrap();
        let atom = &plan.atoms[0];
        let mut per_segment = HashMap::new();
        let mut matching: HashMap<tantivy::SegmentOrdinal, Vec<u32>> = HashMap::new();
        for (ord, r) in searcher.segment_readers().iter().enumerate() {
            let view = SegmentView::new(r, &engine.schema).unwrap();
            let set = view.matches(&plan).unwrap();
            matching.insert(ord as u32, (0..r.max_doc()).filter(|&d| set.contains(view.item_of(d))).collect());
            per_segment.insert(r.segment_id(), Arc::new(view.title_phrase_counts(atom, &set).unwrap()));
        }
        let terms: Vec<Term> = atom.slots.iter().map(|s| Term::from_field_text(title, &s[0])).collect();
        let ours =
            scores(&searcher, &ChunkPhrase { field: title, terms: terms.clone(), per_segment: Arc::new(per_segment) });
        let mut phrase = PhraseQuery::new(terms);
        phrase.set_slop(atom.slop);
        let mut theirs = scores(&searcher, &phrase);
        theirs.retain(|a, _| matching[&a.segment_ord].binary_search(&a.doc_id).is_ok());
        assert_eq!(ours.keys().collect::<Vec<_>>(), theirs.keys().collect::<Vec<_>>(), "{q}: the same chunks");
        for (doc, s) in &theirs {
            assert!((ours[doc] - s).abs() <= 1e-5 * s.abs().max(1.0), "{q} {doc:?}: {} vs {s}", ours[doc]);
        }
        compared += theirs.len();
    }
    assert!(compared > 0, "some matching items should hold a phrase in their titles");
}
