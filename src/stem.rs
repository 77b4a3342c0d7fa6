//! English stemming for the ranked field, with a per-thread cache.
//!
//! Council text is Zipfian: a few thousand words make up most tokens, so caching
//! each word's stem removes the stemmer from the ingest profile (it was ~17 % of
//! indexing CPU with tantivy's uncached `Stemmer` filter). The same function
//! stems query words, so index and query always agree.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Words cached per thread before the cache is cleared (bounded memory).
const CACHE_LIMIT: usize = 200_000;

/// FNV-1a: short keys, no DoS concern (the cache is local and bounded).
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type Cache = HashMap<Box<str>, Box<str>, BuildHasherDefault<Fnv>>;

thread_local! {
    static CACHE: RefCell<Cache> = RefCell::new(Cache::default());
}

/// The English (Snowball/Porter2) stem of a lower-cased word.
pub fn stem(word: &str) -> String {
    let mut out = String::new();
    stem_into(word, &mut out);
    out
}

/// Writes the stem of `word` into `out` (replacing its content).
pub fn stem_into(word: &str, out: &mut String) {
    CACHE.with(|cell| {
        let mut cache = cell.borrow_mut();
        if let Some(s) = cache.get(word) {
            out.clear();
            out.push_str(s);
            return;
        }
        let stemmed = frostem::Stemmer::new(frostem::Algorithm::English).stem(word).into_owned();
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        cache.insert(word.into(), stemmed.as_str().into());
        out.clear();
        out.push_str(&stemmed);
    })
}

/// A tantivy token filter applying [`stem`].
#[derive(Clone, Copy, Default)]
pub struct CachedStemmer;

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter { inner: tokenizer }
    }
}

#[derive(Clone)]
pub struct CachedStemmerFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemStream { tail: self.inner.token_stream(text), buf: String::new() }
    }
}

pub struct CachedStemStream<T> {
    tail: T,
    buf: String,
}

impl<T: TokenStream> TokenStream for CachedStemStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        stem_into(&token.text, &mut self.buf);
        std::mem::swap(&mut token.text, &mut self.buf);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_agree_with_the_snowball_english_stemmer() {
        for (w, s) in
            [("exploitation", "exploit"), ("exploited", "exploit"), ("families", "famili"), ("children", "children")]
        {
            assert_eq!(stem(w), s);
            assert_eq!(stem(w), s, "cached answer differs");
        }
    }

    #[test]
    fn filter_matches_tantivy_stemmer() {
        use tantivy::tokenizer::{LowerCaser, SimpleTokenizer, Stemmer, TextAnalyzer};
        let text = "Exploited children were exploited; exploitation of families, running and runs.";
        let collect = |mut a: TextAnalyzer| {
            let mut v = Vec::new();
            a.token_stream(text).process(&mut |t| v.push(t.text.clone()));
            v
        };
        let ours =
            collect(TextAnalyzer::builder(SimpleTokenizer::default()).filter(LowerCaser).filter(CachedStemmer).build());
        let theirs = collect(
            TextAnalyzer::builder(SimpleTokenizer::default()).filter(LowerCaser).filter(Stemmer::default()).build(),
        );
        assert_eq!(ours, theirs);
    }
}
