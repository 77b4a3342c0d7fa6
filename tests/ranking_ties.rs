//! Ties in the ranking break the same way whatever segment an item sits in:
//! score and date first, then the source path, then the item's place in it.
//! Seven pages with the same date, committee and text, indexed in seven runs (so
//! in seven segments, which a searcher orders by their random ids, not by path),
//! must come back in path order.

use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn sg(index: &Path, args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_sgsearch"))
        .env_remove("SGSEARCH_INDEX")
        .arg("--index")
        .arg(index)
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn ties_across_segments_order_by_source_path() {
    let tmp = tempfile::tempdir().unwrap();
    let (docs, index) = (tmp.path().join("docs"), tmp.path().join("ix"));
    std::fs::create_dir_all(&docs).unwrap();
    let page = |n: u32| {
        format!("Issue - meetings\n\nHoliday provision\n\nMeeting: 14/03/2016 - Cabinet (Item {n})\n\n{n} Holiday provision\n\nMinutes:\n\nThe Cabinet noted the holiday provision plan for the spring.\n")
    };
    let mut segments = 0;
    let names = ["g.txt", "c.txt", "e.txt", "a.txt", "f.txt", "b.txt", "d.txt"];
    for name in names {
        std::fs::write(docs.join(name), page(1)).unwrap();
        let summary = sg(&index, &["index", "--format", "json", docs.to_str().unwrap()]);
        assert_eq!(summary["files_indexed"], 1, "one new file per run: one new segment");
        segments += 1;
    }
    let info = sg(&index, &["info", "--format", "json"]);
    assert_eq!(info["items"], 7);
    assert_eq!(info["segments"], 7);
    for sort in ["relevance", "date", "date-asc"] {
        for query in ["holiday provision", "committee:cabinet"] {
            let r = sg(&index, &["search", "--format", "json", "--sort", sort, query]);
            let hits = r["hits"].as_array().unwrap();
            let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().unwrap()).collect();
            assert!(scores.windows(2).all(|w| w[0] == w[1]), "{query}: the pages tie on score: {scores:?}");
            let sources: Vec<&str> = hits
                .iter()
                .map(|h| Path::new(h["source"].as_str().unwrap()).file_name().unwrap().to_str().unwrap())
                .collect();
            let mut sorted = names.to_vec();
            sorted.sort();
            assert_eq!(sources, sorted, "{query} --sort {sort} over {segments} segments");
        }
    }
}
