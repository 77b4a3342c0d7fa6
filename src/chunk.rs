//! Chunk: long items become passages of a few hundred words, cut on paragraph or
//! sentence boundaries, that together cover the item text exactly once.

use std::ops::Range;
use unicode_segmentation::UnicodeSegmentation;

/// Items up to this many words stay one chunk.
pub const SINGLE_CHUNK_WORDS: usize = 350;
/// A chunk closes at the first boundary after this many words…
pub const TARGET_WORDS: usize = 250;
/// …and is cut at a word boundary if a single sentence runs past this many.
pub const MAX_WORDS: usize = 450;

fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

/// Byte ranges of `text` that partition it (in order, no gaps, no overlaps).
pub fn chunk_ranges(text: &str) -> Vec<Range<usize>> {
    if text.is_empty() {
        return Vec::new();
    }
    if word_count(text) <= SINGLE_CHUNK_WORDS {
        #[allow(clippy::single_range_in_vec_init)] // one chunk covering the text
        return vec![0..text.len()];
    }
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut words = 0usize;
    for (offset, sentence) in text.split_sentence_bound_indices() {
        let w = word_count(sentence);
        if words > 0 && words + w > MAX_WORDS {
            out.push(start..offset);
            start = offset;
            words = 0;
        }
        if w > MAX_WORDS {
            // One enormous "sentence" (a table, a list with no full stops).
            let mut cut_words = 0;
            for (i, _) in sentence.split_word_bound_indices().filter(|(_, w)| w.chars().any(char::is_alphanumeric)) {
                if cut_words == TARGET_WORDS {
                    out.push(start..offset + i);
                    start = offset + i;
                    cut_words = 0;
                }
                cut_words += 1;
            }
            words = cut_words;
            continue;
        }
        words += w;
        let end = offset + sentence.len();
        if words >= TARGET_WORDS {
            out.push(start..end);
            start = end;
            words = 0;
        }
    }
    if start < text.len() {
        // A short tail joins the previous chunk rather than standing alone.
        let tail = &text[start..];
        match out.last_mut() {
            Some(last) if word_count(tail) < TARGET_WORDS / 4 => last.end = text.len(),
            _ => out.push(start..text.len()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(n: usize) -> String {
        (0..n).map(|i| format!("Sentence number {i} says the panel met and agreed the plan. ")).collect()
    }

    fn assert_partition(text: &str, ranges: &[Range<usize>]) {
        assert_eq!(ranges.first().map(|r| r.start), Some(0));
        assert_eq!(ranges.last().map(|r| r.end), Some(text.len()));
        for pair in ranges.windows(2) {
            assert_eq!(pair[0].end, pair[1].start);
        }
        let joined: String = ranges.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(joined, text);
    }

    #[test]
    fn short_items_are_one_chunk() {
        let t = sentences(10);
        assert_eq!(chunk_ranges(&t), vec![0..t.len()]);
        assert!(chunk_ranges("").is_empty());
    }

    #[test]
    fn long_items_cover_text_exactly_once_on_sentence_bounds() {
        let t = sentences(200);
        let r = chunk_ranges(&t);
        assert!(r.len() > 3, "{}", r.len());
        assert_partition(&t, &r);
        for range in &r[..r.len() - 1] {
            assert!(t[range.clone()].trim_end().ends_with('.'), "cut mid-sentence");
            let w = word_count(&t[range.clone()]);
            assert!((TARGET_WORDS..=MAX_WORDS).contains(&w), "{w}");
        }
    }

    #[test]
    fn one_giant_sentence_is_cut_on_words() {
        let t = "word ".repeat(2000) + "end";
        let r = chunk_ranges(&t);
        assert_partition(&t, &r);
        assert!(r.len() >= 7);
        for range in &r {
            assert!(word_count(&t[range.clone()]) <= MAX_WORDS);
            assert!(!t[range.clone()].starts_with("ord"), "cut inside a word");
        }
    }

    #[test]
    fn multibyte_text_is_cut_on_char_boundaries() {
        let t = "Children’s café — “quoted” ünïcödé text. ".repeat(300);
        let r = chunk_ranges(&t);
        assert_partition(&t, &r);
    }
}
