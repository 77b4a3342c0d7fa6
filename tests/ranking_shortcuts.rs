//! Ranked search takes shortcuts: chunks that cannot reach the top are skipped
//! (block-max WAND), a filter or an AND drives scoring from its few matching
//! items, an AND looks a common word up item by item, and a large query spreads
//! its segments (and its facets) over threads, and an engine for many queries
//! decodes the chunk-to-item columns. None of them may change a result: on a generated
//! corpus in several segments, every query, sort, page and option must give the
//! same total and the same hits, in the same order with the same scores, as a
//! search that scores every chunk of every matching item on one thread.

use sgsearch::gen::{generate, GenConfig};
use sgsearch::index::writer::{self, IndexOptions};
use sgsearch::search::plan::Filters;
use sgsearch::search::rank::Sort;
use sgsearch::search::{Engine, Request, SearchResult};

const QUERIES: &[&str] = &[
    "children",
    "neglect",
    "fostering",
    "exploit*",
    "CSE",
    "children neglect",
    "fostering AND adoption",
    "children -neglect",
    "\"looked after children\"",
    "\"county lines\"",
    "cse OR \"sexual exploitation\"",
    "\"missing children\"~3",
    "children \"child protection\"",
    "title:neglect",
    "children topic:cse",
    "children committee:cabinet",
    "neglect year:[2008 TO 2015]",
    "vindzyn",
    // Items matched by a filter alone rank too (at 0), whichever way scoring runs.
    "neglect OR topic:cse",
    "fostering OR committee:cabinet",
    "\"county lines\" OR year:2012",
];

fn summary(r: &SearchResult) -> (u64, Vec<(String, f32)>) {
    (r.total, r.hits.iter().map(|h| (h.item_id.clone(), h.score)).collect())
}

#[test]
fn shortcuts_give_the_hits_of_an_exhaustive_search() {
    let tmp = tempfile::tempdir().unwrap();
    let (corpus, index) = (tmp.path().join("corpus"), tmp.path().join("index"));
    generate(&GenConfig { seed: 11, target_bytes: 3_000_000, ..GenConfig::default() }, &corpus).unwrap();
    // Small batches: several segments, so per-segment pruning and threads both happen.
    let opts = IndexOptions { roots: vec![corpus], batch_bytes: 400_000, ..IndexOptions::default() };
    writer::run(&index, &opts).unwrap();
    let mut engine = Engine::open(&index).unwrap();
    let segments = engine.reader.searcher().segment_readers().len();
    assert!(segments >= 3, "the corpus should be indexed in several segments, got {segments}");
    // Every query is "large": the threaded path runs whenever it is correct to.
    engine.parallel_postings = 0;
    // The same shortcuts over decoded chunk-to-item columns (what `batch` uses).
    let mut warm = Engine::open(&index).unwrap().for_many_queries();
    warm.parallel_postings = 0;
    // Segments one after the other: each starts from the bar the previous set.
    let mut sequential = Engine::open(&index).unwrap();
    sequential.parallel = false;
    let filters = [
        Filters::default(),
        Filters { committee: Some("cabinet".into()), ..Filters::default() },
        Filters { from: Some("2010".into()), to: Some("2016".into()), ..Filters::default() },
        Filters { topics: vec!["cse".into()], ..Filters::default() },
    ];
    let (mut compared, mut with_hits) = (0, 0);
    for query in QUERIES {
        for f in &filters {
            for sort in [Sort::Relevance, Sort::Date] {
                for (limit, offset, recent) in [(10, 0, false), (10, 5, false), (50, 0, true), (3, 0, false)] {
                    let req = Request {
                        query: query.to_string(),
                        filters: f.clone(),
                        sort,
                        limit,
                        offset,
                        recent,
                        facets: true,
                        ..Request::default()
                    };
                    let slow = engine.search(&Request { exhaustive: true, ..req.clone() }).unwrap();
                    for fast in
                        [engine.search(&req).unwrap(), warm.search(&req).unwrap(), sequential.search(&req).unwrap()]
                    {
                        let (a, b) = (summary(&fast), summary(&slow));
                        assert_eq!(a.0, b.0, "{query} {f:?} {sort:?}: total");
                        assert_eq!(
                            a.1.iter().map(|h| &h.0).collect::<Vec<_>>(),
                            b.1.iter().map(|h| &h.0).collect::<Vec<_>>(),
                            "{query} {f:?} {sort:?} limit {limit} offset {offset} recent {recent}: the same items"
                        );
                        for ((_, x), (_, y)) in a.1.iter().zip(&b.1) {
                            // Bit for bit: exact ties must break the same way.
                            assert_eq!(x.to_bits(), y.to_bits(), "{query}: score {x} vs {y}");
                        }
                        // Every matching item can be paged to.
                        let reachable = (fast.total as usize).saturating_sub(offset).min(limit);
                        assert_eq!(fast.hits.len(), reachable, "{query} {f:?} offset {offset}: hits for the total");
                        // Facets counted segment by segment on threads, merged in order.
                        assert_eq!(fast.facets, slow.facets, "{query} {f:?}: facets");
                    }
                    compared += 1;
                    with_hits += usize::from(!slow.hits.is_empty());
                }
            }
        }
    }
    assert!(with_hits * 2 >= compared, "most comparisons should have hits: {with_hits} of {compared}");
}
