//! The exact words of a text, in one pass.
//!
//! The index's analyzers start with tantivy's chain `SimpleTokenizer` →
//! `RemoveLongFilter(255)` → `LowerCaser` → `AsciiFoldingFilter`. Run as written,
//! that chain decodes every character, copies every token, then walks it twice
//! more (about 5 % of indexing CPU). [`ExactTokenizer`] produces the same tokens,
//! offsets and positions: ASCII tokens, nearly all of council text, are found
//! eight bytes at a time and lower-cased while copied; a token with any other
//! character goes through tantivy's own chain, so the two can never disagree.

use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, SimpleTokenizer, TextAnalyzer, Token, TokenStream, Tokenizer,
};

/// Tokens this long (bytes, as written) or longer are dropped, keeping their
/// position (tantivy's `RemoveLongFilter::limit(255)`).
pub const MAX_TOKEN_BYTES: usize = 255;

const fn ascii_alnum_table() -> [bool; 256] {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 128 {
        t[i] = (i as u8).is_ascii_alphanumeric();
        i += 1;
    }
    t
}

/// Bytes that are ASCII letters or digits (bytes ≥ 0x80 are not).
pub static ASCII_ALNUM: [bool; 256] = ascii_alnum_table();

/// For 8 bytes packed little-endian: the high bit of every byte that is not an ASCII letter or
/// digit (non-ASCII bytes included), all other bits clear.
#[inline]
pub fn non_alnum_mask(w: u64) -> u64 {
    const HI: u64 = 0x8080_8080_8080_8080;
    const ONES: u64 = 0x0101_0101_0101_0101;
    // Per byte: high bit set iff the 7-bit value v >= c (no borrow crosses bytes: v | 0x80 > c).
    let at_least = |v: u64, c: u8| ((v | HI) - ONES * u64::from(c)) & HI;
    let x = w & !HI;
    let digit = at_least(x, b'0') & !at_least(x, b'9' + 1);
    let lower = x | (ONES * 0x20);
    let letter = at_least(lower, b'a') & !at_least(lower, b'z' + 1);
    (!(digit | letter) & HI) | (w & HI)
}

/// The end of the run of ASCII letters and digits that starts at `i`: eight bytes at a
/// time where possible (no mispredicted branch per byte).
#[inline]
pub fn ascii_alnum_run_end(bytes: &[u8], mut i: usize) -> usize {
    let n = bytes.len();
    loop {
        if i + 8 > n {
            while i < n && ASCII_ALNUM[bytes[i] as usize] {
                i += 1;
            }
            return i;
        }
        let mut w = [0u8; 8];
        w.copy_from_slice(&bytes[i..i + 8]);
        let stop = non_alnum_mask(u64::from_le_bytes(w));
        if stop != 0 {
            return i + (stop.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
}

/// The end of the token (maximal run of alphanumeric characters) starting at `i`, and
/// whether it holds a non-ASCII character.
#[inline(always)] // two hot loops call it; as a call it cost more than it saved
fn token_end(text: &str, i: usize) -> (usize, bool) {
    let bytes = text.as_bytes();
    let mut end = ascii_alnum_run_end(bytes, i);
    let mut non_ascii = false;
    while end < bytes.len() && bytes[end] >= 0x80 {
        match text[end..].chars().next() {
            Some(c) if c.is_alphanumeric() => {
                non_ascii = true;
                end = ascii_alnum_run_end(bytes, end + c.len_utf8());
            }
            _ => break,
        }
    }
    (end, non_ascii)
}

/// The number of positions the index gives `text`: its tokens, counting those dropped
/// for length (they keep their position). Chunking calls it on every chunk but an
/// item's last, to know where the next chunk's positions start.
pub fn count_tokens(text: &str) -> u64 {
    let mut n = 0u64;
    let mut at = 0;
    while let Some(start) = token_start(text, at) {
        n += 1;
        at = token_end(text, start).0;
    }
    n
}

/// Calls `f(word as written, whether it has non-ASCII characters)` once per
/// position the index gives `text`, in order (tokens dropped for length included,
/// as [`count_tokens`] counts them): for a caller that looks at every word but
/// needs few of them lower-cased.
pub fn for_each_word(text: &str, mut f: impl FnMut(&str, bool)) {
    let mut at = 0;
    while let Some(start) = token_start(text, at) {
        let (end, non_ascii) = token_end(text, start);
        f(&text[start..end], non_ascii);
        at = end;
    }
}

/// Where the first token at or after byte `at` starts (`at` on a character boundary).
#[inline(always)] // in both hot loops, as token_end
fn token_start(text: &str, at: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = at;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            if ASCII_ALNUM[b as usize] {
                return Some(i);
            }
            i += 1;
            continue;
        }
        let c = text[i..].chars().next()?;
        if c.is_alphanumeric() {
            return Some(i);
        }
        i += c.len_utf8();
    }
    None
}

/// tantivy's exact chain, fused (see the module documentation).
#[derive(Clone)]
pub struct ExactTokenizer {
    token: Token,
    /// The chain as tantivy writes it, for tokens with non-ASCII characters.
    general: TextAnalyzer,
}

impl Default for ExactTokenizer {
    fn default() -> Self {
        ExactTokenizer {
            token: Token::default(),
            general: TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(LowerCaser)
                .filter(AsciiFoldingFilter)
                .build(),
        }
    }
}

impl Tokenizer for ExactTokenizer {
    type TokenStream<'a> = ExactTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ExactTokenStream<'a> {
        self.token.reset();
        ExactTokenStream { text, at: 0, token: &mut self.token, general: &mut self.general }
    }
}

pub struct ExactTokenStream<'a> {
    text: &'a str,
    /// Byte offset where the search for the next token starts.
    at: usize,
    token: &'a mut Token,
    general: &'a mut TextAnalyzer,
}

impl ExactTokenStream<'_> {
    /// The next token's byte range and whether it has non-ASCII characters.
    fn next_range(&mut self) -> Option<(usize, usize, bool)> {
        let Some(start) = token_start(self.text, self.at) else {
            self.at = self.text.len();
            return None;
        };
        let (end, non_ascii) = token_end(self.text, start);
        self.at = end;
        Some((start, end, non_ascii))
    }
}

impl TokenStream for ExactTokenStream<'_> {
    fn advance(&mut self) -> bool {
        loop {
            self.token.position = self.token.position.wrapping_add(1);
            let Some((from, to, non_ascii)) = self.next_range() else {
                self.token.text.clear();
                return false;
            };
            if to - from >= MAX_TOKEN_BYTES {
                continue;
            }
            let word = &self.text[from..to];
            self.token.offset_from = from;
            self.token.offset_to = to;
            self.token.text.clear();
            if non_ascii {
                // One alphanumeric run: tantivy's chain yields exactly one token for it.
                let mut stream = self.general.token_stream(word);
                if stream.advance() {
                    self.token.text.push_str(&stream.token().text);
                }
            } else {
                self.token.text.push_str(word);
                self.token.text.make_ascii_lowercase();
            }
            return true;
        }
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gen::rng::Rng;
    use tantivy::tokenizer::RemoveLongFilter;

    fn tokens(mut analyzer: TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut out = Vec::new();
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {
            let t = stream.token();
            out.push((t.text.clone(), t.offset_from, t.offset_to, t.position));
        }
        out
    }

    fn tantivy_chain() -> TextAnalyzer {
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build()
    }

    #[test]
    fn same_tokens_as_tantivys_chain_on_random_text() {
        // Pieces chosen for the edges: case, digits, punctuation, accents, ligatures,
        // letters that lower-case to two characters, non-Latin scripts, combining marks,
        // symbols that are not alphanumeric, line breaks, and a token of 254 / 255 bytes.
        let long_ok = "a".repeat(MAX_TOKEN_BYTES - 1);
        let long_dropped = "B".repeat(MAX_TOKEN_BYTES);
        let long_accented = format!("{}é", "x".repeat(MAX_TOKEN_BYTES - 2));
        let pieces: Vec<&str> = vec![
            "Children",
            "children's",
            "CSE",
            "LADO",
            "0-25",
            "2019/20",
            "Café",
            "NAÏVE",
            "ﬁre",
            "Straße",
            "İstanbul",
            "ΣΟΦΟΣ",
            "Ὀδυσσεύς",
            "东京",
            "e\u{301}",
            "’",
            "—",
            "€5",
            "½",
            "٣",
            "\u{a0}",
            "\t",
            "\n",
            " ",
            ".",
            ",",
            "(",
            ")",
            "x",
            "Æsir",
            "ǅ",
            "Ⅻ",
            "ÀÉÎÕÜ",
            "naïve",
            "résumé",
            &long_ok,
            &long_dropped,
            &long_accented,
        ];
        let mut rng = Rng::new(7);
        for case in 0..3000 {
            let n = 1 + rng.below(24);
            let text: String = (0..n).map(|_| pieces[rng.below(pieces.len())]).collect();
            let want = tokens(tantivy_chain(), &text);
            let got = tokens(TextAnalyzer::from(ExactTokenizer::default()), &text);
            assert_eq!(got, want, "case {case}: {text:?}");
            let all = tokens(TextAnalyzer::from(SimpleTokenizer::default()), &text).len() as u64;
            assert_eq!(count_tokens(&text), all, "case {case}: {text:?}");
        }
    }

    #[test]
    fn ascii_words_lower_cased_long_ones_dropped_with_their_position() {
        let text = format!("Looked-after CHILDREN {} x9", "z".repeat(MAX_TOKEN_BYTES));
        let got = tokens(TextAnalyzer::from(ExactTokenizer::default()), &text);
        let words: Vec<(&str, usize)> = got.iter().map(|(w, _, _, p)| (w.as_str(), *p)).collect();
        assert_eq!(words, [("looked", 0), ("after", 1), ("children", 2), ("x9", 4)]);
    }

    #[test]
    fn non_alnum_mask_agrees_with_the_byte_table() {
        for b in 0..=255u8 {
            for pos in 0..8 {
                let mut w = [b'a'; 8];
                w[pos] = b;
                let mask = non_alnum_mask(u64::from_le_bytes(w));
                let want = if ASCII_ALNUM[b as usize] { 0 } else { 0x80u64 << (8 * pos) };
                assert_eq!(mask, want, "byte {b:#x} at {pos}");
            }
        }
    }
}
