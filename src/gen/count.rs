//! Exact phrase counting over visible text, the definition behind `phrase_counts`.
//!
//! Tokenisation: a token is a maximal run of alphanumeric characters (`char::is_alphanumeric`,
//! so Unicode letters and digits); everything else separates tokens, including apostrophes,
//! hyphens, U+00A0 and punctuation ("children's" -> `children`, `s`; "multi-agency" ->
//! `multi`, `agency`). Tokens are compared lower-cased. A phrase occurs at every position
//! where its token sequence appears; occurrences may overlap and nested phrases count
//! separately ("child sexual exploitation" also counts one "sexual exploitation").

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

/// Lower-cased tokens of `text`.
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            cur.extend(c.to_lowercase());
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

const NONE: u32 = u32::MAX;

/// Counts a fixed list of phrases; built once, shared by all threads.
#[derive(Debug)]
pub struct PhraseCounter {
    names: Vec<&'static str>,
    /// Token -> id, for tokens that occur in some phrase.
    ids: HashMap<String, u32>,
    /// For each token id, the phrases that start with it (index, token ids).
    starts: Vec<Vec<(usize, Vec<u32>)>>,
    longest_token: usize,
}

impl PhraseCounter {
    pub fn new(phrases: &[&'static str]) -> Self {
        let mut ids: HashMap<String, u32> = HashMap::new();
        let mut starts: Vec<Vec<(usize, Vec<u32>)>> = Vec::new();
        let mut longest_token = 0;
        for (i, p) in phrases.iter().enumerate() {
            let seq: Vec<u32> = tokens(p)
                .into_iter()
                .map(|t| {
                    longest_token = longest_token.max(t.len());
                    let next = ids.len() as u32;
                    *ids.entry(t).or_insert(next)
                })
                .collect();
            starts.resize(ids.len(), Vec::new());
            if let Some(&first) = seq.first() {
                starts[first as usize].push((i, seq));
            }
        }
        PhraseCounter { names: phrases.to_vec(), ids, starts, longest_token }
    }

    /// The counter for every phrase of [`super::vocab::all_phrases`].
    pub fn global() -> &'static PhraseCounter {
        static C: OnceLock<PhraseCounter> = OnceLock::new();
        C.get_or_init(|| {
            let phrases: Vec<&'static str> = super::vocab::all_phrases().into_iter().map(|(_, p)| p).collect();
            PhraseCounter::new(&phrases)
        })
    }

    /// Occurrences of each phrase, in list order.
    pub fn count(&self, text: &str) -> Vec<u32> {
        let ids = self.token_ids(text);
        let mut counts = vec![0u32; self.names.len()];
        for (pos, &id) in ids.iter().enumerate() {
            if id == NONE {
                continue;
            }
            for (i, seq) in &self.starts[id as usize] {
                if ids[pos..].starts_with(seq) {
                    counts[*i] += 1;
                }
            }
        }
        counts
    }

    /// Non-zero counts keyed by phrase as listed.
    pub fn count_map(&self, text: &str) -> BTreeMap<String, u32> {
        self.count(text).into_iter().zip(&self.names).filter(|(n, _)| *n > 0).map(|(n, p)| (p.to_string(), n)).collect()
    }

    /// The text as a sequence of phrase-token ids (`NONE` for any other token, which still
    /// breaks adjacency).
    fn token_ids(&self, text: &str) -> Vec<u32> {
        let mut out = Vec::with_capacity(text.len() / 5);
        let mut cur = String::with_capacity(32);
        let flush = |cur: &mut String, out: &mut Vec<u32>| {
            if !cur.is_empty() {
                let id = if cur.len() <= self.longest_token {
                    self.ids.get(cur.as_str()).copied().unwrap_or(NONE)
                } else {
                    NONE
                };
                out.push(id);
                cur.clear();
            }
        };
        for c in text.chars() {
            if c.is_ascii() {
                if c.is_ascii_alphanumeric() {
                    cur.push(c.to_ascii_lowercase());
                } else {
                    flush(&mut cur, &mut out);
                }
            } else if c.is_alphanumeric() {
                cur.extend(c.to_lowercase());
            } else {
                flush(&mut cur, &mut out);
            }
        }
        flush(&mut cur, &mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokenises_on_non_alphanumerics() {
        assert_eq!(
            tokens("Children’s multi-agency\u{a0}MASH, £5k"),
            ["children", "s", "multi", "agency", "mash", "5k"]
        );
    }

    #[test]
    fn counts_whole_tokens_nested_and_overlapping() {
        let c = PhraseCounter::new(&["sexual exploitation", "child sexual exploitation", "CSE", "a a"]);
        let text = "Child Sexual-Exploitation (CSE); cse. CSEs and sexual exploitations. a a a";
        assert_eq!(c.count(text), vec![1, 1, 2, 2]);
        let m = c.count_map(text);
        assert_eq!(m.get("CSE"), Some(&2));
        assert_eq!(m.len(), 4);
    }
}
