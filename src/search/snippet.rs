//! Snippets and occurrences: where a plan's words and phrases occur in a text.
//!
//! The text is tokenised with the index's own analyzer (so "Children’s" is
//! `children` + `s`, "café" is `cafe`), and a phrase is one occurrence from its
//! first word to its last, found with the same rule as counts use
//! ([`super::eval::count_phrase`]): from each start of the first word, take the
//! nearest next occurrence of each following word; at most `slop` words between.

use super::plan::Atom;
use std::ops::Range;
use tantivy::tokenizer::TextAnalyzer;

/// A token of a text: its analysed form, its byte range in the text and its
/// position (as the index numbers it: a token too long to index keeps its place).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub word: String,
    pub start: usize,
    pub end: usize,
    pub pos: usize,
}

pub fn tokenize(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Token> {
    let mut out = Vec::with_capacity(text.len() / 6);
    analyzer.token_stream(text).process(&mut |t| {
        out.push(Token { word: t.text.clone(), start: t.offset_from, end: t.offset_to, pos: t.position })
    });
    out
}

/// One occurrence of an atom: token indexes `first..=last`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrence {
    pub atom: usize,
    pub first: usize,
    pub last: usize,
}

/// Every occurrence of each atom in `tokens`, in text order (ties by atom).
pub fn occurrences(atoms: &[&Atom], tokens: &[Token]) -> Vec<Occurrence> {
    let mut out = Vec::new();
    for (a, atom) in atoms.iter().enumerate() {
        let hits = |slot: &Vec<String>| -> Vec<usize> {
            if slot.len() > 8 {
                // A prefix's many words: look them up rather than scan.
                let set: std::collections::HashSet<&str> = slot.iter().map(String::as_str).collect();
                return tokens
                    .iter()
                    .enumerate()
                    .filter(|(_, t)| set.contains(t.word.as_str()))
                    .map(|(i, _)| i)
                    .collect();
            }
            tokens.iter().enumerate().filter(|(_, t)| slot.contains(&t.word)).map(|(i, _)| i).collect()
        };
        let slots: Vec<Vec<usize>> = atom.slots.iter().map(hits).collect();
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
            if tokens[prev].pos - tokens[p0].pos + 1 - n <= atom.slop as usize {
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
    let tokens = tokenize(analyzer, text);
    if tokens.is_empty() {
        return collapse(text.chars().take(240).collect::<String>().as_str());
    }
    let occ = occurrences(atoms, &tokens);
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
    let last_token = (best_start + WINDOW_TOKENS).min(tokens.len()) - 1;
    let (from, to) = (if best_start == 0 { 0 } else { tokens[best_start].start }, tokens[last_token].end);
    let to = if last_token + 1 == tokens.len() { text.len() } else { to };
    let mut out = String::new();
    if from > 0 {
        out.push_str("… ");
    }
    let mut at = from;
    for s in spans.iter().filter(|s| s.start >= best_start && s.end - 1 <= last_token) {
        let (a, b) = (tokens[s.start].start, tokens[s.end - 1].end);
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
mod tests {
    use super::*;
    use crate::schema::{IndexSchema, Role};

    fn atom(slots: &[&[&str]], slop: u32) -> Atom {
        Atom {
            role: Role::Text,
            slots: slots.iter().map(|s| s.iter().map(|w| w.to_string()).collect()).collect(),
            slop,
            source: String::new(),
            positive: true,
            prefix: false,
        }
    }

    fn analyzer() -> TextAnalyzer {
        IndexSchema::builtin().unwrap().analyzer_for(Role::Text).unwrap()
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
        let mut an = analyzer();
        let tokens = tokenize(&mut an, "missing children; children missing from home, missing young children");
        let a = atom(&[&["missing"], &["children"]], 1);
        let occ = occurrences(&[&a], &tokens);
        assert_eq!(occ.iter().map(|o| (o.first, o.last)).collect::<Vec<_>>(), vec![(0, 1), (6, 8)]);
    }
}
