//! Locate: where a plan's words and exact phrases occur in an item's text,
//! without tokenising the whole item — `mentions` reads every matching item back,
//! and tokenising it was the largest part of that work.
//!
//! It applies when the text holds no non-ASCII letter or digit (typographic
//! punctuation such as ’ or – is fine): the index's tokens are then exactly the
//! runs of ASCII letters and digits, compared case-insensitively, so a literal
//! search finds each atom's first word, and only the tokens right after it (for a
//! phrase) and around it (for context) are read. Anything else — accented words,
//! proximity (`"a b"~N`) — is left to [`super::snippet::occurrences`], and the
//! results are the same either way (tested against it).

use super::plan::Atom;
use regex::bytes::Regex;

/// The atoms of a query, ready to be searched for.
pub struct Locator {
    atoms: Vec<AtomPattern>,
}

struct AtomPattern {
    first: First,
    /// The words each following slot may be (lower case).
    rest: Vec<Vec<Vec<u8>>>,
}

/// How an atom's first word is found.
enum First {
    /// One word: a plain substring search in the lower-cased text (a
    /// case-insensitive regex went through a prefilter and then a lazy DFA for
    /// every candidate: a tenth of `mentions fostering`).
    Word(Box<memchr::memmem::Finder<'static>>, usize),
    /// Any word of the slot (a prefix's expansions), longest first: at a token's
    /// start the first alternative that matches is then the whole token, if any is.
    Any(Regex),
}

thread_local! {
    /// The text being searched, ASCII lower-cased (same length, same offsets).
    static LOWER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

impl Locator {
    /// `None` when some atom needs the tokenising path (proximity, or a word
    /// that is not plain lower-case ASCII letters and digits).
    pub fn new(atoms: &[&Atom]) -> Option<Locator> {
        let plain = |w: &String| !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_lowercase());
        let mut out = Vec::with_capacity(atoms.len());
        for atom in atoms {
            let (first, rest) = atom.slots.split_first()?;
            if (atom.slop > 0 && !rest.is_empty()) || !atom.slots.iter().flatten().all(plain) || first.is_empty() {
                return None;
            }
            let first = match first.as_slice() {
                [word] => First::Word(Box::new(memchr::memmem::Finder::new(word.as_bytes()).into_owned()), word.len()),
                _ => {
                    let mut words: Vec<&String> = first.iter().collect();
                    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
                    let alternatives: Vec<String> = words.iter().map(|w| regex::escape(w)).collect();
                    First::Any(Regex::new(&format!("(?i-u)(?:{})", alternatives.join("|"))).ok()?)
                }
            };
            let rest = rest.iter().map(|slot| slot.iter().map(|w| w.as_bytes().to_vec()).collect()).collect();
            out.push(AtomPattern { first, rest });
        }
        Some(Locator { atoms: out })
    }

    /// Every occurrence in `text` as its byte range, in text order (ties by atom),
    /// as [`super::snippet::occurrences`] finds them; `None` when the text has a
    /// non-ASCII letter or digit.
    pub fn find(&self, text: &str) -> Option<Vec<std::ops::Range<usize>>> {
        let mut found = Vec::new();
        self.find_into(text, &mut found).then_some(found)
    }

    /// [`Locator::find`] into a buffer the caller reuses (replacing its contents);
    /// false when the text has a non-ASCII letter or digit.
    pub fn find_into(&self, text: &str, found: &mut Vec<std::ops::Range<usize>>) -> bool {
        if has_non_ascii_alphanumeric(text) {
            found.clear();
            return false;
        }
        self.find_in_ascii_words(text, found);
        true
    }

    /// [`Locator::find_into`] for a text known to have no non-ASCII letter or
    /// digit (the index says so of an item's text: see `ascii_words` in the
    /// schema). Given another text it can report a word inside a longer one.
    pub fn find_in_ascii_words(&self, text: &str, found: &mut Vec<std::ops::Range<usize>>) {
        found.clear();
        if !self.atoms.iter().any(|a| matches!(a.first, First::Word(..))) {
            return self.find_with(text.as_bytes(), &[], found);
        }
        LOWER.with(|lower| {
            let mut lower = lower.borrow_mut();
            lower.clear();
            lower.extend(text.bytes().map(|c| c.to_ascii_lowercase()));
            self.find_with(text.as_bytes(), &lower, found);
        });
    }

    /// The search of [`Locator::find_in_ascii_words`], given `b` lower-cased
    /// (`lower`, when some atom is a single word).
    fn find_with(&self, b: &[u8], lower: &[u8], found: &mut Vec<std::ops::Range<usize>>) {
        for atom in &self.atoms {
            // A first word found at `start..end`: kept when it is a whole token
            // and the following slots match the tokens after it.
            let mut check = |start: usize, mut end: usize| {
                if (start > 0 && is_word_byte(b[start - 1])) || b.get(end).copied().is_some_and(is_word_byte) {
                    return;
                }
                for slot in &atom.rest {
                    match next_token(b, end) {
                        Some((s, e)) if slot.iter().any(|w| w.eq_ignore_ascii_case(&b[s..e])) => end = e,
                        _ => return,
                    }
                }
                found.push(start..end);
            };
            match &atom.first {
                First::Word(finder, len) => finder.find_iter(lower).for_each(|s| check(s, s + len)),
                First::Any(re) => re.find_iter(b).for_each(|m| check(m.start(), m.end())),
            }
        }
        // Text order (two atoms matching the same words give equal rows).
        found.sort_unstable_by_key(|r| (r.start, r.end));
    }
}

/// The first token at or after byte `from`.
fn next_token(b: &[u8], from: usize) -> Option<(usize, usize)> {
    let start = from + b.get(from..)?.iter().position(|&c| is_word_byte(c))?;
    let len = b[start..].iter().position(|&c| !is_word_byte(c)).unwrap_or(b.len() - start);
    Some((start, start + len))
}

/// Where `n` tokens of context before `start` begin and `n` tokens after `end`
/// finish (fewer at the ends of the text). Tokens are runs of ASCII letters and
/// digits; their boundaries are found 64 bytes at a time in bit masks (this runs
/// twice for every row, and a byte-by-byte scan mispredicted a branch at every
/// word boundary).
pub fn context(text: &str, start: usize, end: usize, n: usize) -> (usize, usize) {
    let b = text.as_bytes();
    (context_left(b, start, n), context_right(b, end, n))
}

/// Bit `i` set when `b[from + i]` is a word byte, for `from + i < to` (`to - from <= 64`).
fn word_mask(b: &[u8], from: usize, to: usize) -> u64 {
    let bytes = &b[from..to];
    let mut m = 0u64;
    let blocks = bytes.chunks_exact(16);
    let tail = blocks.remainder();
    let mut at = 0;
    for block in blocks {
        m |= u64::from(word_bits16(block)) << at;
        at += 16;
    }
    for (i, &c) in tail.iter().enumerate() {
        m |= u64::from(is_word_byte(c)) << (at + i);
    }
    m
}

/// The word bytes of a 16-byte block as bits. With SSE2 (every x86-64): two range
/// checks and a byte mask (the compiler turned the portable loop into byte loads
/// and shuffles, 5–6 % of a `mentions` profile).
#[cfg(target_arch = "x86_64")]
fn word_bits16(block: &[u8]) -> u16 {
    use std::arch::x86_64::*;
    assert!(block.len() >= 16);
    // SAFETY: SSE2 is part of the x86-64 baseline; the load reads 16 bytes of
    // `block`, which has at least 16 (asserted above), and needs no alignment.
    unsafe {
        let v = _mm_loadu_si128(block.as_ptr().cast::<__m128i>());
        // `lo <= c < lo + n` as an unsigned compare of `c - lo`, done signed with
        // both sides shifted by 128.
        let below = |x: __m128i, lo: u8, n: u8| {
            let d = _mm_xor_si128(_mm_sub_epi8(x, _mm_set1_epi8(lo as i8)), _mm_set1_epi8(i8::MIN));
            _mm_cmplt_epi8(d, _mm_set1_epi8(n.wrapping_sub(128) as i8))
        };
        let digit = below(v, b'0', 10);
        // Setting bit 5 maps A–Z onto a–z and no other byte into a–z.
        let letter = below(_mm_or_si128(v, _mm_set1_epi8(0x20)), b'a', 26);
        _mm_movemask_epi8(_mm_or_si128(digit, letter)) as u16
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn word_bits16(block: &[u8]) -> u16 {
    block.iter().take(16).enumerate().fold(0u16, |bits, (i, &c)| bits | u16::from(is_word_byte(c)) << i)
}

/// The start of the `n`th run of word bytes counted back from `start` (`start`
/// itself when there is none; the first run reached when there are fewer).
fn context_left(b: &[u8], start: usize, n: usize) -> usize {
    let (mut left, mut hi, mut want) = (start, start.min(b.len()), n);
    while want > 0 && hi > 0 {
        let lo = hi.saturating_sub(64);
        let m = word_mask(b, lo, hi);
        // Run starts: a word byte after a non-word one; bit 0 only at the text's
        // start (elsewhere it depends on the byte before the window).
        let mut starts = m & !(m << 1);
        if lo > 0 {
            starts &= !1;
        }
        let found = starts.count_ones() as usize;
        if found >= want {
            for _ in 1..want {
                starts &= !(1u64 << (63 - starts.leading_zeros()));
            }
            return lo + (63 - starts.leading_zeros()) as usize;
        }
        if found > 0 {
            left = lo + starts.trailing_zeros() as usize;
            want -= found;
        }
        if lo == 0 {
            break;
        }
        // Byte `lo` is judged again, with the byte before it in view.
        hi = lo + 1;
    }
    left
}

/// The end of the `n`th run of word bytes from `end` on (`end` itself when there
/// is none; the last run's end when there are fewer).
fn context_right(b: &[u8], end: usize, n: usize) -> usize {
    let (mut right, mut from, mut want) = (end, end, n);
    while want > 0 && from < b.len() {
        let to = (from + 64).min(b.len());
        let m = word_mask(b, from, to);
        // Run ends: a word byte before a non-word one; the window's last byte only
        // at the text's end (elsewhere it depends on the byte after the window).
        let mut ends = m & !(m >> 1);
        if to < b.len() {
            ends &= !(1u64 << (to - from - 1));
        }
        let found = ends.count_ones() as usize;
        if found >= want {
            for _ in 1..want {
                ends &= ends - 1;
            }
            return from + ends.trailing_zeros() as usize + 1;
        }
        if found > 0 {
            right = from + (63 - ends.leading_zeros()) as usize + 1;
            want -= found;
        }
        if to == b.len() {
            break;
        }
        from = to - 1;
    }
    right
}

/// Whether `text` has a letter or digit outside ASCII (which the index folds or
/// keeps inside tokens, so plain byte matching would not do).
pub fn has_non_ascii_alphanumeric(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        // 32 bytes a step while they are ASCII (the OR vectorises), then straight
        // to the first byte that is not.
        if let Some(chunk) = b.get(i..i + 32) {
            if chunk.iter().fold(0u8, |acc, &c| acc | c) < 0x80 {
                i += 32;
                continue;
            }
            i += chunk.iter().position(|&c| c >= 0x80).unwrap_or(0);
        }
        if b[i] < 0x80 {
            i += 1;
            continue;
        }
        // U+2000–U+203F (’ – “ ” •: general punctuation, never a letter or digit)
        // without decoding: the commonest non-ASCII characters in minutes.
        if b[i] == 0xE2 && b.get(i + 1) == Some(&0x80) {
            i += 3;
            continue;
        }
        // `i` is at a character boundary: only whole characters are skipped.
        let Some(c) = text.get(i..).and_then(|t| t.chars().next()) else { return true };
        if c.is_alphanumeric() {
            return true;
        }
        i += c.len_utf8();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_bits_are_ascii_alphanumerics() {
        // Every byte value at every lane.
        for lane in 0..16 {
            for c in 0..=255u8 {
                let mut block = [b' '; 16];
                block[lane] = c;
                let want = if c.is_ascii_alphanumeric() { 1u16 << lane } else { 0 };
                assert_eq!(word_bits16(&block), want, "byte {c:#x} at lane {lane}");
            }
        }
        let text = b"Ab9 z\xff_Zq0-@[`{/:";
        let m = word_mask(text, 0, text.len());
        for (i, &c) in text.iter().enumerate() {
            assert_eq!(m >> i & 1 == 1, c.is_ascii_alphanumeric(), "byte {i}");
        }
    }
    use crate::search::snippet::tests::{analyzer, atom};
    use crate::search::snippet::{occurrences, tokens};

    /// Occurrences and 3-token context windows by the tokenising path.
    fn by_tokens(atoms: &[&Atom], text: &str) -> Vec<(usize, usize, usize, usize)> {
        let toks = tokens(text);
        occurrences(atoms, text, &toks, &mut analyzer())
            .into_iter()
            .map(|o| {
                let (s, e) = (toks[o.first].start, toks[o.last].end);
                let l = toks[o.first.saturating_sub(3)].start;
                let r = toks[(o.last + 3).min(toks.len() - 1)].end.max(e);
                (l, s, e, r)
            })
            .collect()
    }

    fn by_locator(atoms: &[&Atom], text: &str) -> Option<Vec<(usize, usize, usize, usize)>> {
        let found = Locator::new(atoms)?.find(text)?;
        Some(
            found
                .into_iter()
                .map(|r| {
                    let (l, e) = context(text, r.start, r.end, 3);
                    (l, r.start, r.end, e)
                })
                .collect(),
        )
    }

    #[test]
    fn the_same_occurrences_and_context_as_tokenising() {
        let texts = [
            "Children’s services: CHILDREN, children-in-need and childrens; children_missing.",
            "foster carers, fostering — Fostered fosterings FOSTER foster_ing 2fostering",
            "a a a b a b; a\u{2013}b a\u{00a0}b ab a  b",
            "looked after children who were looked after, children looked after children",
            "",
            "   ...   ",
            "x",
        ];
        let atoms = [
            atom(&[&["children"]], 0),
            atom(&[&["fostering", "foster", "fostered"]], 0),
            atom(&[&["a"], &["b"]], 0),
            atom(&[&["a"], &["a"]], 0),
            atom(&[&["looked"], &["after"], &["children"]], 0),
            atom(&[&["x"]], 0),
        ];
        let mut compared = 0;
        for text in texts {
            for a in &atoms {
                let want = by_tokens(&[a], text);
                assert_eq!(by_locator(&[a], text), Some(want.clone()), "{:?} in {text:?}", a.slots);
                compared += want.len();
            }
            let all: Vec<&Atom> = atoms.iter().collect();
            assert_eq!(by_locator(&all, text), Some(by_tokens(&all, text)), "all atoms in {text:?}");
        }
        assert!(compared > 20, "{compared}");
    }

    #[test]
    fn random_texts_agree_with_tokenising() {
        // Words, case changes and separators (ASCII and typographic) at random.
        let pieces = ["a", "A", "b", "ab", "B", "ba", " ", "  ", "-", "’", "–", "\n", "_", "1", "a1"];
        let atoms = [atom(&[&["a"]], 0), atom(&[&["a"], &["b"]], 0), atom(&[&["b"], &["a"], &["a"]], 0)];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..2000 {
            let mut text = String::new();
            for _ in 0..12 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            for a in &atoms {
                assert_eq!(by_locator(&[a], &text), Some(by_tokens(&[a], &text)), "{:?} in {text:?}", a.slots);
            }
        }
    }

    /// The byte-by-byte scan `context` replaced.
    fn context_by_bytes(text: &str, start: usize, end: usize, n: usize) -> (usize, usize) {
        let b = text.as_bytes();
        let (mut left, mut i) = (start, start);
        for _ in 0..n {
            while i > 0 && !is_word_byte(b[i - 1]) {
                i -= 1;
            }
            if i == 0 {
                break;
            }
            while i > 0 && is_word_byte(b[i - 1]) {
                i -= 1;
            }
            left = i;
        }
        let (mut right, mut j) = (end, end);
        for _ in 0..n {
            match next_token(b, j) {
                Some((_, e)) => {
                    right = e;
                    j = e;
                }
                None => break,
            }
        }
        (left, right)
    }

    #[test]
    fn context_masks_agree_with_a_byte_scan() {
        // Long and short texts, so that windows of 64 bytes split words and gaps.
        let pieces = ["a", "word", "longerwordthanmost", " ", "  ", ", ", "-", "\n\n", "1", "x9", "...      "];
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut checked = 0;
        for round in 0..400 {
            let mut text = String::new();
            for _ in 0..(round % 90) {
                text.push_str(pieces[(next() % pieces.len() as u64) as usize]);
            }
            let len = text.len();
            for _ in 0..6 {
                let a = (next() as usize) % (len + 1);
                let z = a + (next() as usize) % (len - a + 1);
                for n in [0, 1, 2, 3, 8, 15, 40] {
                    assert_eq!(context(&text, a, z, n), context_by_bytes(&text, a, z, n), "{text:?} {a}..{z} n={n}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 10_000);
    }

    #[test]
    fn accented_text_and_proximity_are_left_to_tokenising() {
        let a = atom(&[&["cafe"]], 0);
        assert!(Locator::new(&[&a]).is_some_and(|l| l.find("the café").is_none()));
        assert!(Locator::new(&[&a]).is_some_and(|l| l.find("the cafe’s “menu” – 5 items").is_some()));
        assert!(Locator::new(&[&atom(&[&["a"], &["b"]], 2)]).is_none());
        assert!(Locator::new(&[&atom(&[&["caf\u{e9}"]], 0)]).is_none());
        assert!(has_non_ascii_alphanumeric("12345678 é"));
        assert!(!has_non_ascii_alphanumeric("12345678 – ’ “ ” • £"));
        // Letters right after skipped punctuation, and past the 32-byte steps.
        assert!(has_non_ascii_alphanumeric("x’\u{2071}"));
        assert!(has_non_ascii_alphanumeric(&format!("{}’é", "a".repeat(40))));
        assert!(has_non_ascii_alphanumeric(&format!("{}’ ’ – {}ß", "a".repeat(33), "b".repeat(70))));
        assert!(!has_non_ascii_alphanumeric(&format!("{}’ ’ – {}", "a".repeat(33), "b".repeat(70))));
    }
}
