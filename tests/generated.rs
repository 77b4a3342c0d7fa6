//! The parser against the generator's ground truth: a 4 MB synthetic corpus of
//! fictional councils in every layout (txt, HTML, Windows-1252; sidecars and
//! manifests), parsed through the same ingest path as `sgsearch index`, agrees
//! with planted.jsonl on:
//! 1. council, committee and meeting date of every page (≥ 99 %);
//! 2. the exact list of item numbers of every page (≥ 99 %);
//! 3. the number of items of every page (≥ 98 %), titles in order for those;
//! 4. page type (≥ 99 %).

use serde_json::Value;
use sgsearch::gen::count::tokens;
use sgsearch::gen::{generate, GenConfig};
use sgsearch::index::writer::BUILTIN_TOPICS;
use sgsearch::ingest::Ingestor;
use sgsearch::sources::walk::walk;
use sgsearch::tag::{Tagger, Taxonomy};
use std::collections::HashMap;

#[test]
fn parse_agrees_with_the_generators_ground_truth() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("corpus");
    let cfg = GenConfig { seed: 7, target_bytes: 4_000_000, ..GenConfig::default() };
    let summary = generate(&cfg, &out).unwrap();
    assert!(summary.files > 200, "{} files", summary.files);

    let planted: HashMap<String, Value> = std::fs::read_to_string(out.join("planted.jsonl"))
        .unwrap()
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (out.join(v["file"].as_str().unwrap()).display().to_string(), v)
        })
        .collect();
    let taxonomy = Taxonomy::from_toml(BUILTIN_TOPICS, "topics.toml").unwrap();
    let ingestor = Ingestor::new(Tagger::new(&taxonomy));
    let walked = walk(std::slice::from_ref(&out), &[]);
    assert_eq!(walked.candidates.len(), planted.len());

    let (mut meta_ok, mut nums_ok, mut count_ok, mut type_ok, mut titles_ok) = (0, 0, 0, 0, 0);
    let mut misses = Vec::new();
    for c in &walked.candidates {
        let key = c.path.display().to_string();
        let want = &planted[&key];
        let bytes = std::fs::read(&c.path).unwrap();
        let doc = ingestor.build(&c.path, c.kind, &bytes).unwrap();
        let first = &doc.items[0];
        let same = |got: Option<&str>, want: &Value| got == want.as_str();
        let date = first.meeting_date.map(|d| d.to_string());
        if same(first.council.as_deref(), &want["council"])
            && doc.items.iter().all(|i| same(i.committee.as_deref(), &want["committee"]))
            && same(date.as_deref(), &want["meeting_date"])
        {
            meta_ok += 1;
        } else {
            misses.push(format!(
                "meta {key}: got {:?} {:?} {:?} want {} {} {}",
                first.council, first.committee, date, want["council"], want["committee"], want["meeting_date"]
            ));
        }
        let want_items = want["items"].as_array().unwrap();
        let got_nums: Vec<Option<&str>> = doc.items.iter().map(|i| i.item_number.as_deref()).collect();
        let want_nums: Vec<Option<&str>> = want_items.iter().map(|i| i["number"].as_str()).collect();
        if got_nums.iter().flatten().eq(want_nums.iter().flatten()) {
            nums_ok += 1;
        } else {
            misses.push(format!("numbers {key}: got {got_nums:?} want {want_nums:?}"));
        }
        if doc.items.len() == want_items.len() {
            count_ok += 1;
            let got: Vec<Option<&str>> = doc.items.iter().map(|i| i.item_title.as_deref()).collect();
            let want: Vec<Option<&str>> = want_items.iter().map(|i| i["title"].as_str()).collect();
            titles_ok += usize::from(got == want);
        } else {
            misses.push(format!("items {key}: got {} want {}", doc.items.len(), want_items.len()));
        }
        type_ok += usize::from(first.page_type == want["page_type"].as_str().unwrap());
    }
    let n = planted.len() as f64;
    let figures = format!(
        "pages {n}: metadata {:.3}, item numbers {:.3}, item count {:.3} (titles {:.3} of those), page type {:.3}",
        meta_ok as f64 / n,
        nums_ok as f64 / n,
        count_ok as f64 / n,
        titles_ok as f64 / count_ok.max(1) as f64,
        type_ok as f64 / n
    );
    for m in misses.iter().take(15) {
        eprintln!("  miss: {m}");
    }
    eprintln!("{figures}");
    assert!(meta_ok as f64 / n >= 0.99, "{figures}");
    assert!(nums_ok as f64 / n >= 0.99, "{figures}");
    assert!(count_ok as f64 / n >= 0.98, "{figures}");
    assert!(type_ok as f64 / n >= 0.99, "{figures}");
}

/// Nothing is lost: every word of a text page is in exactly one of its items,
/// in order (on the generated pages and on the real ones).
#[test]
fn items_cover_every_word_of_a_page() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("corpus");
    generate(&GenConfig { seed: 5, target_bytes: 2_000_000, html_share: 0.0, ..GenConfig::default() }, &out).unwrap();
    let mut dirs = vec![out];
    let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/docs");
    if shared.exists() {
        dirs.push(shared);
    }
    let taxonomy = Taxonomy::from_toml(BUILTIN_TOPICS, "topics.toml").unwrap();
    let ingestor = Ingestor::new(Tagger::new(&taxonomy));
    let mut pages = 0;
    for c in walk(&dirs, &[]).candidates {
        let bytes = std::fs::read(&c.path).unwrap();
        let Ok(doc) = ingestor.build(&c.path, c.kind, &bytes) else { continue };
        let Ok(page) = sgsearch::sources::decode::decode(&bytes) else { continue };
        let joined: Vec<String> = doc.items.iter().flat_map(|i| tokens(&i.text)).collect();
        // A letter "o" before a wide gap is a list bullet from a converted
        // document ("o   Annex 1"), shown as "- ": a glyph, not a word.
        let bulletless: String = page
            .text
            .lines()
            .map(|l| match l.trim_start().strip_prefix('o') {
                Some(rest) if rest.starts_with("  ") => rest,
                _ => l,
            })
            .collect::<Vec<_>>()
            .join("\n");
        let expected = tokens(&bulletless);
        if expected != joined {
            let at = expected.iter().zip(&joined).take_while(|(a, b)| a == b).count();
            let from = at.saturating_sub(8);
            panic!(
                "{}: items differ from the page at word {at}\n  page:  {:?}\n  items: {:?}",
                c.path.display(),
                &expected[from..(at + 8).min(expected.len())],
                &joined[from..(at + 8).min(joined.len())]
            );
        }
        pages += 1;
    }
    assert!(pages > 300, "{pages}");
}
