//! The `ascii_words` column: 1 on the chunks of an item whose text has no
//! non-ASCII letter or digit, which lets `mentions` find words by their bytes
//! without checking the text. It must be 0 wherever a word has such a
//! character (or byte matching would report "fostering" inside "fosteringé"),
//! and `mentions` must give the same rows with or without trusting it, equal to
//! a case-insensitive whole-word scan.

mod common;

use common::mention_rows;
use sgsearch::index::writer::{self, IndexOptions};
use sgsearch::search::eval::ItemColumns;
use sgsearch::search::plan::Filters;
use sgsearch::search::Engine;

/// Words as the index sees them: runs of letters and digits, any script.
fn has_non_ascii_word_char(text: &str) -> bool {
    text.chars().any(|c| !c.is_ascii() && c.is_alphanumeric())
}

fn whole_word_count(text: &str, word: &str) -> u64 {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| w.to_lowercase() == word).count() as u64
}

#[test]
fn items_with_non_ascii_words_are_not_flagged_and_rows_do_not_change() {
    let tmp = tempfile::tempdir().unwrap();
    let (corpus, dir) = (tmp.path().join("corpus"), tmp.path().join("index"));
    std::fs::create_dir_all(&corpus).unwrap();
    // Pieces around the word: ASCII, typographic punctuation (still ASCII words),
    // an accented word nearby, and the word run into a longer non-ASCII word.
    let pieces = [
        "the fostering panel met",
        "the council\u{2019}s Fostering \u{2013} service",
        "caf\u{e9} fostering review",
        "fostering\u{e9} is one word",
        "\u{e9}fostering is one word too",
        "fostering\u{b2} and fostering\u{3b1} are words of their own",
        "FOSTERING, fostering; fostering.",
        "se\u{f1}or fostering",
    ];
    let filler = |n: usize| (0..n).map(|i| format!("word{}", i % 53)).collect::<Vec<_>>().join(" ");
    let mut expected = 0u64;
    let pages = 48;
    for p in 0..pages {
        // Two or three pieces a page, some long enough to be cut into chunks;
        // every third page only the ASCII ones.
        let piece = |k: usize| match p % 3 {
            0 => pieces[[0, 1, 6][(p + k) % 3]],
            _ => pieces[(p * 3 + k * 5) % pieces.len()],
        };
        let body: Vec<String> = (0..2 + p % 2).map(|k| format!("{} {}", piece(k), filler(40 + p * 9))).collect();
        let body = body.join("\n\n");
        expected += whole_word_count(&body, "fostering");
        let text = format!(
            "Children's Services Committee\nMinutes of the meeting held on {} May 2016\n\n\
             1. Report of the director\n\n{body}\n",
            1 + p % 28
        );
        std::fs::write(corpus.join(format!("page{p:03}.txt")), text).unwrap();
    }
    let opts = IndexOptions { roots: vec![corpus], batch_bytes: 60_000, ..IndexOptions::default() };
    writer::run(&dir, &opts).unwrap();

    let engine = Engine::open(&dir).unwrap();
    let searcher = engine.reader.searcher();
    let (mut flagged, mut unflagged, mut chunks) = (0, 0, 0);
    for reader in searcher.segment_readers() {
        let cols = ItemColumns::open(reader, &engine.schema).unwrap();
        let column = cols.ascii_words.as_ref().expect("a new index has the column");
        let texts = sgsearch::index::texts::Texts::open(reader).expect("a new index keeps chunk texts");
        let mut buf = Vec::new();
        for doc in 0..reader.max_doc() {
            let item = cols.item_of(doc);
            // The item's whole text: its chunks from the first on.
            let mut text = String::new();
            for d in item..reader.max_doc() {
                if d > item && cols.item_of(d) != item {
                    break;
                }
                text.push_str(texts.record(d, &mut buf).unwrap().text);
            }
            let flag = column.first(doc);
            assert_eq!(flag, Some(u64::from(!has_non_ascii_word_char(&text))), "doc {doc}: {text:?}");
            if flag == Some(1) {
                flagged += 1;
            } else {
                unflagged += 1;
            }
            chunks += 1;
        }
    }
    assert!(flagged > 5 && unflagged > 5, "both kinds: {flagged} flagged, {unflagged} not");
    assert!(chunks > pages, "some items span chunks: {chunks} chunks");

    let trusting = mention_rows(&engine, "fostering", 4);
    let mut checking = Engine::open(&dir).unwrap();
    checking.trust_ascii_words = false;
    assert_eq!(trusting.len() as u64, expected, "every whole-word occurrence, once");
    assert_eq!(trusting, mention_rows(&checking, "fostering", 4));
    assert_eq!(engine.count("fostering", &Filters::default(), None).unwrap().mentions, expected);
}
