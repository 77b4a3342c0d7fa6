//! Other forms of a word: the indexed words that share its English stem.
//!
//! The index keeps exact words only (see schema.toml); ranked search widens each
//! query word to every indexed word with the same stem by scanning the term
//! dictionary around the stem, so "exploited" finds "exploitation" and "exploits".

use crate::stem::stem;
use std::collections::BTreeSet;
use tantivy::schema::Field;
use tantivy::Searcher;

/// The indexed words of `field` whose stem equals `word`'s stem, `word` included.
pub fn stem_variants(searcher: &Searcher, field: Field, word: &str) -> tantivy::Result<Vec<String>> {
    let target = stem(word);
    let mut out: BTreeSet<String> = BTreeSet::from([word.to_string()]);
    // Porter2 keeps a word's beginning and rewrites at most its last letters
    // ("families" -> "famili"): scan the words that start like the stem.
    let keep = target.chars().count().saturating_sub(1).max(3);
    let prefix: String = target.chars().take(keep).collect();
    let mut upper = prefix.as_bytes().to_vec();
    upper.push(0xFF);
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let mut terms = inverted.terms().range().ge(prefix.as_bytes()).lt(&upper).into_stream()?;
        while terms.advance() {
            if let Ok(w) = std::str::from_utf8(terms.key()) {
                if !out.contains(w) && stem(w) == target {
                    out.insert(w.to_string());
                }
            }
        }
    }
    Ok(out.into_iter().collect())
}
