//! Snippets and occurrences: where a plan's words and phrases occur in a text.
//!
//! Tokens are what the index's analyzer makes of the text: maximal runs of letters
//! and digits, lower-cased, accents folded ("Children’s" is `children` + `s`,
//! "café" is `cafe`). They are found here by a byte scan that allocates nothing
//! per token; only a token that might be a query word is compared, and only a
//! non-ASCII one goes through the analyzer. A phrase is one occurrence from its
//! first word to its last, found with the same rule as counts use
//! ([`super::eval::count_phrase`]): from each start of the first word, take the
//! nearest next occurrence of each following word; at most `slop` words between.

use super::plan::Atom;
use std::collections::HashSet;
use std::ops::Range;
use tantivy::tokenizer::TextAnalyzer;

/// A token of a text: its byte range, and its position as the index numbers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub pos: usize,
}

/// The tokens of `text` (tantivy's `SimpleTokenizer`: runs of alphanumeric chars).
pub fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::with_capacity(text.len() / 6);
    let bytes = text.as_bytes();
    let n = bytes.len();
    // Is the char starting at byte `i` alphanumeric, and how long is it?
    let class = |i: usize| -> (bool, usize) {
        let b = bytes[i];
        if b < 0x80 {
            (b.is_ascii_alphanumeric(), 1)
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            (c.is_alphanumeric(), c.len_utf8())
        }
    };
    let mut i = 0;
    while i < n {
        // Skip separators (ASCII ones in a tight loop).
        while i < n && bytes[i] < 0x80 && !bytes[i].is_ascii_alphanumeric() {
            i += 1;
        }
        if i >= n {
            break;
        }
        let (alnum, len) = class(i);
        if !alnum {
            i += len;
            continue;
        }
        let start = i;
        i += len;
        loop {
            while i < n && bytes[i].is_ascii_alphanumeric() {
                i += 1;
            }
            if i >= n || bytes[i] < 0x80 {
                break;
            }
            let (alnum, len) = class(i);
            if !alnum {
                break;
            }
            i += len;
        }
        out.push(Token { start, end: i, pos: out.len() });
    }
    out
}

/// Tells whether a token is one of a set of analysed words.
struct Words<'a> {
    words: HashSet<&'a str>,
    /// Byte lengths and (lower-case ASCII) first bytes of the words: most tokens
    /// are refused on these alone.
    lengths: [bool; 64],
    any_long: bool,
    firsts: [bool; 256],
}

impl<'a> Words<'a> {
    fn new(words: &'a [String]) -> Words<'a> {
        let mut lengths = [false; 64];
        let mut any_long = false;
        let mut firsts = [false; 256];
        for w in words {
            match lengths.get_mut(w.len()) {
                Some(l) => *l = true,
                None => any_long = true,
            }
            if let Some(&b) = w.as_bytes().first() {
                firsts[b as usize] = true;
            }
        }
        Words { words: words.iter().map(String::as_str).collect(), lengths, any_long, firsts }
    }

    fn matches(&self, token: &str, analyzer: &mut TextAnalyzer, buf: &mut String) -> bool {
        let first = token.as_bytes().first().copied().unwrap_or(0);
        if first < 0x80 && !self.firsts[first.to_ascii_lowercase() as usize] {
            return false;
        }
        if token.is_ascii() {
            if !self.lengths.get(token.len()).copied().unwrap_or(self.any_long) {
                return false;
            }
            buf.clear();
            buf.push_str(token);
            buf.make_ascii_lowercase();
            return self.words.contains(buf.as_str());
        }
        // Lower-casing and folding can change the length: ask the analyzer.
        let mut hit = false;
        analyzer.token_stream(token).process(&mut |t| hit |= self.words.contains(t.text.as_str()));
        hit
    }
}

/// One occurrence of an atom: token indexes `first..=last`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrence {
    pub atom: usize,
    pub first: usize,
    pub last: usize,
}

/// Every occurrence of each atom among `toks` of `text`, in text order (ties by atom).
pub fn occurrences(atoms: &[&Atom], text: &str, toks: &[Token], analyzer: &mut TextAnalyzer) -> Vec<Occurrence> {
    let mut out = Vec::new();
    let mut buf = String::new();
    for (a, atom) in atoms.iter().enumerate() {
        let slots: Vec<Vec<usize>> = atom
            .slots
            .iter()
            .map(|slot| {
                let words = Words::new(slot);
                toks.iter()
                    .enumerate()
                    .filter(|(_, t)| words.matches(&text[t.start..t.end], analyzer, &mut buf))
                    .map(|(i, _)| i)
                    .collect()
            })
            .collect();
        let Some((first, rest)) = slots.split_first() else { continue };
        let n = atom.slots.len();
        let mut cursors = vec![0usize; rest.len()];
        'starts: for &p0 in first {
            let mut prev = p0;
            for (s, c) in rest.iter().zip(cursors.iter_mut()) {
                while s.get(*c).is_some_and(|&p| p <= prev) {
                    *c += 1;
                }
                match s.get(*c) {
                    Some(&p) => prev = p,
                    None => break 'starts,
                }
            }
            if toks[prev].pos - toks[p0].pos + 1 - n <= atom.slop as usize {
                out.push(Occurrence { atom: a, first: p0, last: prev });
            }
        }
    }
    out.sort_by_key(|o| (o.first, o.last, o.atom));
    out
}

/// Words of context shown around the matches.
const WINDOW_TOKENS: usize = 36;

/// The best passage of `text` for the atoms, with each occurrence (a whole phrase
/// at once) wrapped in `[[ ]]`, cut on word boundaries, whitespace collapsed.
pub fn snippet(analyzer: &mut TextAnalyzer, text: &str, atoms: &[&Atom]) -> String {
    let toks = tokens(text);
    if toks.is_empty() {
        return collapse(text.chars().take(240).collect::<String>().as_str());
    }
    let occ = occurrences(atoms, text, &toks, analyzer);
    // Highlight ranges (token indexes), overlaps merged.
    let mut spans: Vec<Range<usize>> = Vec::new();
    for o in &occ {
        match spans.last_mut() {
            Some(last) if o.first <= last.end => last.end = last.end.max(o.last + 1),
            _ => spans.push(o.first..o.last + 1),
        }
    }
    // The window of WINDOW_TOKENS tokens holding the most highlights (earliest on ties).
    let (mut best_start, mut best) = (0usize, 0usize);
    for (i, s) in spans.iter().enumerate() {
        let start = s.start.saturating_sub(4);
        let inside = spans[i..].iter().take_while(|t| t.end <= start + WINDOW_TOKENS).count();
        if inside > best {
            best = inside;
            best_start = start;
        }
    }
    let last_token = (best_start + WINDOW_TOKENS).min(toks.len()) - 1;
    let from = if best_start == 0 { 0 } else { toks[best_start].start };
    let to = if last_token + 1 == toks.len() { text.len() } else { toks[last_token].end };
    let mut out = String::new();
    if from > 0 {
        out.push_str("… ");
    }
    let mut at = from;
    for s in spans.iter().filter(|s| s.start >= best_start && s.end - 1 <= last_token) {
        let (a, b) = (toks[s.start].start, toks[s.end - 1].end);
        out.push_str(&text[at..a]);
        out.push_str("[[");
        out.push_str(&text[a..b]);
        out.push_str("]]");
        at = b;
    }
    out.push_str(&text[at..to]);
    if to < text.len() {
        out.push_str(" …");
    }
    collapse(&out)
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::schema::{IndexSchema, Role};

    /// A positive text atom: `slots[i]` the words position `i` may be.
    pub(crate) fn atom(slots: &[&[&str]], slop: u32) -> Atom {
        Atom {
            role: Role::Text,
            slots: slots.iter().map(|s| s.iter().map(|w| w.to_string()).collect()).collect(),
            slop,
            source: String::new(),
            positive: true,
            prefix: false,
        }
    }

    pub(crate) fn analyzer() -> TextAnalyzer {
        IndexSchema::builtin().unwrap().analyzer_for(Role::Text).unwrap()
    }

    #[test]
    fn tokens_are_the_index_tokens() {
        let text = "Children’s café — multi-agency £50 CSE/DA 中文";
        let mut want = Vec::new();
        analyzer().token_stream(text).process(&mut |t| want.push((t.offset_from, t.offset_to, t.position)));
        let got: Vec<_> = tokens(text).iter().map(|t| (t.start, t.end, t.pos)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn words_match_case_and_accent_folded() {
        let a = atom(&[&["cafe"]], 0);
        let text = "Café CAFE cafes cafe";
        let toks = tokens(text);
        let occ = occurrences(&[&a], text, &toks, &mut analyzer());
        assert_eq!(occ.iter().map(|o| o.first).collect::<Vec<_>>(), vec![0, 1, 3]);
    }

    #[test]
    fn whole_phrases_are_highlighted_once() {
        let a = atom(&[&["domestic"], &["violence"]], 0);
        let s = snippet(&mut analyzer(), "Reports of Domestic  Violence rose; violence at home was discussed.", &[&a]);
        assert_eq!(s, "Reports of [[Domestic Violence]] rose; violence at home was discussed.");
    }

    #[test]
    fn words_and_forms_are_highlighted_and_the_passage_is_trimmed() {
        let a = atom(&[&["exploited", "exploitation"]], 0);
        let filler = "The panel met and talked about many other things at some length. ".repeat(20);
        let text = format!("{filler}Children who were exploited need support; exploitation is rising. {filler}");
        let s = snippet(&mut analyzer(), &text, &[&a]);
        assert!(s.starts_with("… ") && s.ends_with(" …"), "{s}");
        assert!(s.contains("[[exploited]]") && s.contains("[[exploitation]]"), "{s}");
        assert!(s.split_whitespace().count() <= WINDOW_TOKENS + 6, "{s}");
    }

    #[test]
    fn occurrences_follow_the_count_rule() {
        let text = "missing children; children missing from home, missing young children";
        let toks = tokens(text);
        let a = atom(&[&["missing"], &["children"]], 1);
        let occ = occurrences(&[&a], text, &toks, &mut analyzer());
        assert_eq!(occ.iter().map(|o| (o.first, o.last)).collect::<Vec<_>>(), vec![(0, 1), (6, 8)]);
    }
}
