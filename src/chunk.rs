//! Chunk: long items become passages of a few hundred words, cut on paragraph or
//! sentence boundaries, that together cover the item text exactly once.
//!
//! One byte scan finds words and boundaries: paragraph breaks and sentence ends
//! (`.`, `?`, `!`, possibly closed by a quote or bracket, then a space) are strong
//! boundaries; a single line break is weak, used only when a passage has no
//! strong one before it grows too long; failing both, the cut falls between words.
//! (A general UAX #29 sentence segmenter cost a third of the ingest profile.)

use std::ops::Range;

/// Items up to this many words stay one chunk.
pub const SINGLE_CHUNK_WORDS: usize = 350;
/// A chunk closes at the first strong boundary after this many words…
pub const TARGET_WORDS: usize = 250;
/// …and never grows past this many.
pub const MAX_WORDS: usize = 450;

/// A place where a chunk may end: byte offset and words before it.
#[derive(Clone, Copy)]
struct Cut {
    at: usize,
    words: usize,
}

/// Byte ranges of `text` that partition it (in order, no gaps, no overlaps).
pub fn chunk_ranges(text: &str) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    if b.is_empty() {
        return Vec::new();
    }
    if count_words_bytes(b) <= SINGLE_CHUNK_WORDS {
        // Most items: one chunk, found by a branch-free count.
        #[allow(clippy::single_range_in_vec_init)] // one chunk covering the text
        return vec![0..b.len()];
    }
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut start = Cut { at: 0, words: 0 };
    // Best cuts so far: the first sentence end past TARGET_WORDS (taken unless a
    // paragraph break follows before MAX_WORDS), and the latest strong and weak
    // boundaries (fallbacks when a passage outgrows MAX_WORDS).
    let mut pending: Option<Cut> = None;
    let (mut strong, mut weak): (Option<Cut>, Option<Cut>) = (None, None);
    let mut words = 0usize;
    let mut in_word = false;
    for i in 0..b.len() {
        let c = b[i];
        if !c.is_ascii_whitespace() {
            if !in_word {
                in_word = true;
                if words - start.words >= MAX_WORDS {
                    let cut = pending.or(strong).or(weak).filter(|c| c.at > start.at).unwrap_or(Cut { at: i, words });
                    out.push(start.at..cut.at);
                    start = cut;
                    pending = None;
                    strong = strong.filter(|s| s.at > cut.at);
                    weak = weak.filter(|w| w.at > cut.at);
                }
                words += 1;
            }
            continue;
        }
        in_word = false;
        let prev = if i > 0 { b[i - 1] } else { b'\n' };
        let here = Cut { at: i + 1, words };
        let long_enough = words - start.words >= TARGET_WORDS;
        if c == b'\n' && prev == b'\n' {
            if long_enough {
                out.push(start.at..here.at);
                start = here;
                (pending, strong, weak) = (None, None, None);
            } else {
                strong = Some(here);
            }
        } else if c == b' ' && ends_sentence(b, i) {
            if long_enough {
                pending.get_or_insert(here);
            }
            strong = Some(here);
        } else if c == b'\n' {
            weak = Some(here);
        }
    }
    if let Some(p) = pending {
        // No paragraph break followed: close at the first sentence end past the target.
        out.push(start.at..p.at);
        start = p;
    }
    if out.is_empty() && words <= SINGLE_CHUNK_WORDS {
        #[allow(clippy::single_range_in_vec_init)] // one chunk covering the text
        return vec![0..b.len()];
    }
    if start.at < b.len() {
        // A short tail joins the previous chunk rather than standing alone.
        match out.last_mut() {
            Some(last) if words - start.words < TARGET_WORDS / 4 => last.end = b.len(),
            _ => out.push(start.at..b.len()),
        }
    }
    out
}

/// Words in `text`: runs of bytes above the space character (so control
/// characters separate words too). Eight bytes at a time: this runs over every
/// item of the corpus.
pub fn count_words(text: &str) -> usize {
    count_words_bytes(text.as_bytes())
}

fn count_words_bytes(b: &[u8]) -> usize {
    const HI: u64 = 0x8080_8080_8080_8080;
    /// High bit of each byte set where the byte is above 0x20.
    fn non_space(x: u64) -> u64 {
        (((x & !HI) + 0x5F5F_5F5F_5F5F_5F5F) | x) & HI
    }
    let mut count = 0u32;
    // High bit set when the byte before the current word of 8 was a space.
    let mut prev_space: u64 = 0x80;
    let mut words = b.chunks_exact(8);
    for w in &mut words {
        let x = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
        let nonspace = non_space(x);
        let space = !nonspace & HI;
        // A word starts where a non-space byte follows a space byte.
        let before = (space << 8) | prev_space;
        count += (nonspace & before).count_ones();
        prev_space = (space >> 56) & 0x80;
    }
    let mut prev = prev_space != 0;
    for &c in words.remainder() {
        let space = c <= b' ';
        count += u32::from(prev && !space);
        prev = space;
    }
    count as usize
}

/// Tokens the index's tokenizer finds in `text`: maximal runs of alphanumeric
/// characters (tantivy's `SimpleTokenizer`; a token dropped for being too long still
/// takes a position). A chunk's first token sits at this many positions after its
/// item's first token, which lets phrases and counts work across chunk boundaries.
pub fn count_tokens(text: &str) -> u64 {
    crate::tokenize::count_tokens(text)
}

/// Whether the space at `i` follows the end of a sentence: `.`, `?` or `!`,
/// possibly followed by closing quotes or brackets.
fn ends_sentence(b: &[u8], i: usize) -> bool {
    let mut j = i;
    while j > 0 {
        j -= 1;
        match b[j] {
            b'.' | b'?' | b'!' => return true,
            b'"' | b'\'' | b')' | b']' => continue,
            // ’ and ” end in 0x99 / 0x9D after 0xE2 0x80.
            0x99 | 0x9D if j >= 2 && b[j - 2] == 0xE2 && b[j - 1] == 0x80 => j -= 2,
            _ => return false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word_count(s: &str) -> usize {
        s.split_whitespace().count()
    }

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
    fn word_count_agrees_with_split_whitespace() {
        for t in [
            "",
            "a",
            " a ",
            "one two  three\n\nfour",
            "tab\tsep\rcr",
            "é ü ä  ß",
            "x".repeat(17).as_str(),
            "a b c d e f g h i j k l m n o p q",
        ] {
            assert_eq!(count_words(t), t.split_whitespace().count(), "{t:?}");
        }
        let long = "word  ".repeat(1000) + "tail";
        assert_eq!(count_words(&long), 1001);
    }

    #[test]
    fn token_count_agrees_with_the_index_tokenizer() {
        use tantivy::tokenizer::{RemoveLongFilter, SimpleTokenizer, TextAnalyzer};
        // Positions as the index assigns them: a removed long token keeps its place.
        let mut analyzer =
            TextAnalyzer::builder(SimpleTokenizer::default()).filter(RemoveLongFilter::limit(10)).build();
        let long = "x".repeat(40);
        for t in [
            "",
            "a",
            "children's services",
            "Multi?Agency e-safety £50 café",
            "中文 text ٣٤ ½",
            "a \u{200b}b\u{a0}c",
            "Ü—Ö…",
        ] {
            let with_long = format!("{t} {long} end");
            let mut last = None;
            analyzer.token_stream(&with_long).process(&mut |tok| last = Some(tok.position));
            assert_eq!(count_tokens(&with_long), last.map_or(0, |p| p as u64 + 1), "{with_long:?}");
            let mut n = 0u64;
            TextAnalyzer::from(SimpleTokenizer::default()).token_stream(t).process(&mut |_| n += 1);
            assert_eq!(count_tokens(t), n, "{t:?}");
        }
    }

    #[test]
    fn short_items_are_one_chunk() {
        let t = sentences(10);
        assert_eq!(chunk_ranges(&t), vec![0..t.len()]);
        assert!(chunk_ranges("").is_empty());
    }

    #[test]
    fn one_long_paragraph_is_cut_on_sentence_bounds() {
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
    fn paragraphs_are_preferred_boundaries() {
        let para = sentences(8); // 80 words
        let t: String = (0..30).map(|_| format!("{}\n\n", para.trim_end())).collect();
        let r = chunk_ranges(&t);
        assert_partition(&t, &r);
        for range in &r[..r.len() - 1] {
            assert!(t[range.clone()].ends_with("\n\n"), "not cut at a paragraph break");
            assert!(word_count(&t[range.clone()]) <= MAX_WORDS);
        }
    }

    #[test]
    fn one_giant_sentence_is_cut_on_words() {
        let t = "word ".repeat(2000) + "end";
        let r = chunk_ranges(&t);
        assert_partition(&t, &r);
        assert!(r.len() >= 5, "{}", r.len());
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
        let t = format!("{}\n\n{}", "Ä ".repeat(500), "é. ".repeat(700));
        assert_partition(&t, &chunk_ranges(&t));
    }
}
