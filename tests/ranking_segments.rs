//! Block-max pruning across segments whose average lengths differ. tantivy picks
//! each block's best (frequency, length) pair with the segment's own average
//! length, a query scores with the index's: without allowing for the difference,
//! a segment of short pages beside one of long reports loses true top hits. Every
//! page limit must give the exhaustive search's hits, in order, with its scores,
//! segment by segment and on threads.

use sgsearch::index::writer::{self, IndexOptions};
use sgsearch::search::{Engine, Request};

fn filler(n: usize, seed: usize) -> Vec<String> {
    (0..n).map(|j| format!("w{}", (j * 7 + seed * 13) % 997)).collect()
}

fn page(words: Vec<String>) -> String {
    format!("Report\n\n{}\n", words.join(" "))
}

#[test]
fn pruning_keeps_the_top_when_segments_differ_in_length() {
    let tmp = tempfile::tempdir().unwrap();
    let (long, short, index) = (tmp.path().join("long"), tmp.path().join("short"), tmp.path().join("index"));
    std::fs::create_dir_all(&long).unwrap();
    std::fs::create_dir_all(&short).unwrap();
    // One run of long pages, one of mostly very short ones: two segments with
    // very different average lengths.
    for i in 0..400usize {
        let mut words = filler(120 + (i * 37) % 220, i);
        for t in 0..1 + i % 3 {
            let at = (t * 31 + i) % words.len();
            words[at] = "zebra".into();
        }
        std::fs::write(long.join(format!("l{i:04}.txt")), page(words)).unwrap();
    }
    for i in 0..600usize {
        let words = if i % 10 == 5 {
            let mut words = filler(120 + (i * 53) % 220, i + 5000);
            for t in 0..1 + i / 60 {
                let at = (t * 29 + i) % words.len();
                words[at] = "zebra".into();
            }
            words
        } else {
            let mut words = vec!["zebra".to_string()];
            words.extend(filler(2 + i % 5, i + 9000));
            words
        };
        std::fs::write(short.join(format!("s{i:04}.txt")), page(words)).unwrap();
    }
    writer::run(&index, &IndexOptions { roots: vec![long], ..IndexOptions::default() }).unwrap();
    writer::run(&index, &IndexOptions { roots: vec![short], ..IndexOptions::default() }).unwrap();
    let mut sequential = Engine::open(&index).unwrap();
    sequential.parallel = false;
    let mut threaded = Engine::open(&index).unwrap();
    threaded.parallel_postings = 0;
    assert!(sequential.reader.searcher().segment_readers().len() >= 2, "two indexing runs, two segments");
    for limit in 1..=80usize {
        let req = Request { query: "zebra".into(), limit, ..Request::default() };
        let want = sequential.search(&Request { exhaustive: true, ..req.clone() }).unwrap();
        // Hits are made on the crew's threads when the search is spread: the
        // same ranks and snippets, in order.
        let hit = |h: &sgsearch::search::Hit| (h.rank, h.item_id.clone(), h.score.to_bits(), h.snippet.clone());
        let want: Vec<_> = want.hits.iter().map(hit).collect();
        assert_eq!(want.len(), limit);
        for engine in [&sequential, &threaded] {
            let got = engine.search(&req).unwrap();
            let got: Vec<_> = got.hits.iter().map(hit).collect();
            assert_eq!(got, want, "limit {limit}: the exhaustive search's hits and scores");
        }
    }
}
