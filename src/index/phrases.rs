//! Phrases indexed whole: every occurrence of a taxonomy phrase ("county lines",
//! "looked after children") is also indexed as one token of the `phrases` field,
//! so a quoted query phrase the taxonomy lists is matched and counted from one
//! posting list instead of every word's positions (at 1 GB, `"county lines"`
//! read 18,000 positions in 7,000 items for each warm search).
//!
//! An occurrence is what phrase matching counts: the phrase's words (as the
//! `exact` analyzer gives them) at consecutive positions of an item, which may
//! run across a chunk boundary. It is indexed on the chunk where it starts: as
//! the phrase itself when it ends in that chunk, as [`CROSSING`] + the phrase
//! when it ends in a later one (an item's count adds both; a chunk's count for
//! ranking is the first only, as positional matching within the chunk gives).
//!
//! Each chunk also holds [`Phrases::marker`], a fingerprint of the phrase list.
//! A segment is read this way only when every chunk in it holds the marker of
//! the list the reader loaded (`phrases.txt` beside the index); any other
//! segment, and any phrase not in the list, is matched by positions as before.

use crate::error::Result;
use crate::tag::Taxonomy;
use std::collections::HashMap;
use std::path::Path;
use tantivy::tokenizer::TextAnalyzer;

/// The phrase list of an index, beside its files: the marker, then one phrase a line.
pub const PHRASES_FILE: &str = "phrases.txt";
/// Starts the token of an occurrence that ends in a later chunk than it starts.
pub const CROSSING: char = '\u{1}';
/// Starts the list's fingerprint token (no phrase starts with a control character).
const MARKER: char = '\u{0}';

/// A phrase list, with the matcher that finds its phrases in an item's chunks.
/// Searching needs only the list: the matcher is built on first use (it was a
/// tenth of a one-shot `search` process).
#[derive(Debug, Clone)]
pub struct Phrases {
    marker: String,
    /// The phrases as keys: their words joined by one space, sorted.
    keys: Vec<String>,
    matcher: std::sync::OnceLock<TextMatcher>,
}

/// The phrases as a trie of words, for [`Phrases::occurrences`].
#[derive(Debug, Clone)]
struct TextMatcher {
    /// Node 0 is the root.
    nodes: Vec<Node>,
    /// Edges by [`edge`] hash of (parent node, word); the child's word is checked.
    edges: Edges,
    /// Edges whose hash another edge had taken (practically never).
    collided: HashMap<(u32, String), u32>,
    /// A bloom filter of the root's edge hashes, tested before the map: most
    /// words start no phrase, and the test needs no lower-cased copy.
    starts: Box<[u64; START_WORDS]>,
    /// Before that, a bit per (length, first letter) of first words: no
    /// hashing at all for the three words in four this rules out.
    shapes: [u64; 16],
}

/// The bit of a word's (length up to 31, first byte's low five bits) in `shapes`.
#[inline]
fn shape_bit(word: &[u8]) -> (usize, u64) {
    let len = word.len().min(31);
    let first = usize::from(word.first().copied().unwrap_or(0) & 31);
    let i = len * 32 + first;
    (i / 64, 1u64 << (i % 64))
}

/// 64-bit words of the first-word filter (4,096 bits for a few hundred first words).
const START_WORDS: usize = 64;

/// The edge map's keys are already hashes: hashing them again (SipHash) was a
/// third of the matcher's time.
type Edges = HashMap<u64, u32, std::hash::BuildHasherDefault<KeyIsHash>>;

#[derive(Default)]
struct KeyIsHash(u64);

impl std::hash::Hasher for KeyIsHash {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

impl PartialEq for Phrases {
    fn eq(&self, other: &Phrases) -> bool {
        self.marker == other.marker && self.keys == other.keys
    }
}

#[derive(Debug, Clone)]
struct Node {
    parent: u32,
    word: String,
    /// The phrase (index in `keys`) that ends here.
    ends: Option<u32>,
    /// Whether longer phrases go on from here.
    goes_on: bool,
}

/// The edge key of `word` under `parent`, ASCII lower-cased as it is hashed
/// (FNV-1a: words are short, and this runs for most words of the corpus).
#[inline]
fn edge(parent: u32, word: &[u8]) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64 ^ u64::from(parent).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    for &b in word {
        h = (h ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(0x0100_0000_01b3);
    }
    // FNV's low bits mix poorly; the map and the filter use them.
    h ^ (h >> 29)
}

impl Phrases {
    /// The multi-word phrases, weak phrases and exclusions of a taxonomy, as the
    /// analyzer splits them.
    pub fn from_taxonomy(taxonomy: &Taxonomy, analyzer: &TextAnalyzer) -> Phrases {
        let mut analyzer = analyzer.clone();
        let mut keys = Vec::new();
        for t in taxonomy.topics() {
            for p in t.phrases.iter().chain(&t.weak_phrases).chain(&t.exclude) {
                if let Some(words) = words_of(&mut analyzer, p) {
                    keys.push(words.join(" "));
                }
            }
        }
        Phrases::from_keys(keys)
    }

    fn from_keys(mut keys: Vec<String>) -> Phrases {
        // Keys are the analyzer's words: lower-case, no spaces, no control characters.
        keys.retain(|k| k.contains(' ') && !k.contains("  ") && !k.starts_with(' ') && !k.ends_with(' '));
        keys.retain(|k| !k.chars().any(|c| c.is_control() || c.is_uppercase()));
        keys.sort();
        keys.dedup();
        let marker = format!("{MARKER}{:016x}", xxhash_rust::xxh3::xxh3_64(keys.join("\n").as_bytes()));
        Phrases { marker, keys, matcher: std::sync::OnceLock::new() }
    }

    fn matcher(&self) -> &TextMatcher {
        self.matcher.get_or_init(|| TextMatcher::new(&self.keys))
    }

    /// The token every chunk indexed with this list holds.
    pub fn marker(&self) -> &str {
        &self.marker
    }

    /// The key of a phrase of these words, when the list has it.
    pub fn key(&self, words: &[&str]) -> Option<String> {
        let key = words.join(" ");
        self.keys.binary_search(&key).is_ok().then_some(key)
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Writes the list beside the index (before any chunk with its marker is committed).
    pub fn write(&self, dir: &Path) -> Result<()> {
        let mut text = String::with_capacity(self.keys.iter().map(|k| k.len() + 1).sum::<usize>() + 20);
        text.push_str(&self.marker[MARKER.len_utf8()..]);
        text.push('\n');
        for k in &self.keys {
            text.push_str(k);
            text.push('\n');
        }
        super::catalog::write_atomic(&dir.join(PHRASES_FILE), text.as_bytes())
    }

    /// The index's list; `None` when it has none (built before phrases were
    /// indexed) or it does not read back to the same fingerprint.
    pub fn load(dir: &Path) -> Option<Phrases> {
        let text = std::fs::read_to_string(dir.join(PHRASES_FILE)).ok()?;
        let mut lines = text.lines();
        let fingerprint = lines.next()?;
        let list = Phrases::from_keys(lines.map(str::to_string).collect());
        (list.marker[MARKER.len_utf8()..] == *fingerprint).then_some(list)
    }

    /// The list over a tagger's vocabulary (see [`Phrases::occurrences_in_words`]);
    /// `None` if a phrase has a word the tagger does not know, when its words
    /// cannot show every occurrence.
    pub fn over_vocabulary(&self, word_id: impl Fn(&str) -> Option<u32>) -> Option<VocabularyTrie> {
        let mut trie = VocabularyTrie { root: Vec::new(), nodes: Vec::new() };
        for (i, key) in self.keys.iter().enumerate() {
            let mut at: Option<u32> = None;
            for word in key.split(' ') {
                let id = word_id(word)?;
                let existing = match at {
                    None => trie.root.get(id as usize).copied().filter(|&c| c != NO_NODE),
                    Some(n) => trie.nodes[n as usize].children.iter().find(|c| c.0 == id).map(|c| c.1),
                };
                let node = match existing {
                    Some(c) => c,
                    None => {
                        let c = trie.nodes.len() as u32;
                        trie.nodes.push(IdNode { children: Vec::new(), ends: None });
                        match at {
                            None => {
                                if trie.root.len() <= id as usize {
                                    trie.root.resize(id as usize + 1, NO_NODE);
                                }
                                trie.root[id as usize] = c;
                            }
                            Some(n) => trie.nodes[n as usize].children.push((id, c)),
                        }
                        c
                    }
                };
                at = Some(node);
            }
            let end = at?;
            trie.nodes[end as usize].ends = Some(i as u32);
        }
        Some(trie)
    }

    /// [`Phrases::occurrences`] from the tagger's reading of the item text
    /// ([`crate::tag::Tagger::tag_with_words`]: its vocabulary words with their
    /// positions), without reading the text again. `chunk_positions` are the
    /// positions each chunk holds, as `occurrences` returns them (only the
    /// chunks before the last are needed).
    pub fn occurrences_in_words(
        &self,
        trie: &VocabularyTrie,
        words: &[(u32, u32)],
        chunk_positions: &[u64],
        chunks: usize,
    ) -> Vec<Vec<String>> {
        let mut out: Vec<Vec<String>> = vec![Vec::new(); chunks];
        // The chunk of a position: chunks start where the previous ones' positions end.
        let mut ends: Vec<u64> = Vec::with_capacity(chunks);
        let mut sum = 0u64;
        for k in 0..chunks {
            sum += if k + 1 < chunks { chunk_positions.get(k).copied().unwrap_or(0) } else { u64::MAX - sum };
            ends.push(sum);
        }
        let chunk_of = |pos: u32| ends.partition_point(|&e| e <= u64::from(pos)).min(chunks.saturating_sub(1));
        for (i, &(start, first)) in words.iter().enumerate() {
            let root = trie.root.get(first as usize).copied().unwrap_or(NO_NODE);
            if root == NO_NODE {
                continue;
            }
            let mut node = root;
            let mut last = start;
            let mut j = i;
            loop {
                let n = &trie.nodes[node as usize];
                if let Some(id) = n.ends {
                    let (k, e) = (chunk_of(start), chunk_of(last));
                    let key = &self.keys[id as usize];
                    out[k].push(if k == e { key.clone() } else { format!("{CROSSING}{key}") });
                }
                j += 1;
                let Some(&(pos, word)) = words.get(j) else { break };
                if pos != last + 1 {
                    break;
                }
                match n.children.iter().find(|c| c.0 == word) {
                    Some(&(_, c)) => {
                        node = c;
                        last = pos;
                    }
                    None => break,
                }
            }
        }
        out
    }

    /// Per chunk of an item, the phrase tokens to index on it: one per
    /// occurrence that starts there. Words are the analyzer's (lower-cased,
    /// accents folded, over-long ones dropped but keeping their position), and
    /// positions run on across chunks as the index numbers them. Also each
    /// chunk's number of positions (as `tokenize::count_tokens` gives it), which
    /// indexing needs and would otherwise walk the words again for.
    pub fn occurrences(&self, analyzer: &mut TextAnalyzer, chunks: &[&str]) -> (Vec<Vec<String>>, Vec<u64>) {
        let mut out: Vec<Vec<String>> = vec![Vec::new(); chunks.len()];
        let mut positions = vec![0u64; chunks.len()];
        // Phrases under way: (trie node reached, chunk they started in). Every
        // position is a word, so an open phrase must go on at the very next one.
        let mut open: Vec<(u32, usize)> = Vec::new();
        let mut next: Vec<(u32, usize)> = Vec::new();
        let mut lower = String::new();
        let m = self.matcher();
        for (k, chunk) in chunks.iter().enumerate() {
            let n = &mut positions[k];
            crate::tokenize::for_each_word(chunk, |raw, non_ascii| {
                *n += 1;
                // The word as the index has it: ASCII lower-cased here (nearly
                // every word), anything else through the analyzer itself.
                let (word, root): (&str, u64) = if raw.len() >= crate::tokenize::MAX_TOKEN_BYTES {
                    ("", edge(0, b""))
                } else if non_ascii {
                    lower.clear();
                    let mut stream = analyzer.token_stream(raw);
                    if stream.advance() {
                        lower.push_str(&stream.token().text);
                    }
                    (&lower, edge(0, lower.as_bytes()))
                } else {
                    // (Upper and lower case share their low five bits.)
                    let (w, bit) = shape_bit(raw.as_bytes());
                    if open.is_empty() && m.shapes[w] & bit == 0 {
                        return;
                    }
                    let root = edge(0, raw.as_bytes());
                    if open.is_empty() && !m.may_start(root) {
                        return;
                    }
                    lower.clear();
                    lower.push_str(raw);
                    lower.make_ascii_lowercase();
                    (&lower, root)
                };
                next.clear();
                for &(node, start) in &open {
                    if let Some(c) = m.child(node, word) {
                        self.step(m, c, start, k, &mut next, &mut out);
                    }
                }
                if m.may_start(root) {
                    if let Some(c) = m.child_by_hash(0, root, word) {
                        self.step(m, c, k, k, &mut next, &mut out);
                    }
                }
                std::mem::swap(&mut open, &mut next);
            });
        }
        (out, positions)
    }

    /// A phrase under way reached `node` at chunk `k`: records the phrase that
    /// ends there, keeps it open if longer ones go on.
    fn step(
        &self,
        m: &TextMatcher,
        node: u32,
        start: usize,
        k: usize,
        open: &mut Vec<(u32, usize)>,
        out: &mut [Vec<String>],
    ) {
        let n = &m.nodes[node as usize];
        if let Some(id) = n.ends {
            let key = &self.keys[id as usize];
            out[start].push(if start == k { key.clone() } else { format!("{CROSSING}{key}") });
        }
        if n.goes_on {
            open.push((node, start));
        }
    }
}

impl TextMatcher {
    fn new(keys: &[String]) -> TextMatcher {
        let mut m = TextMatcher {
            nodes: vec![Node { parent: 0, word: String::new(), ends: None, goes_on: false }],
            edges: Edges::default(),
            collided: HashMap::new(),
            starts: Box::new([0u64; START_WORDS]),
            shapes: [0u64; 16],
        };
        for (i, key) in keys.iter().enumerate() {
            let mut at = 0u32;
            for (n, word) in key.split(' ').enumerate() {
                if n == 0 {
                    let (w, bit) = start_bit(edge(0, word.as_bytes()));
                    m.starts[w] |= bit;
                    let (w, bit) = shape_bit(word.as_bytes());
                    m.shapes[w] |= bit;
                }
                m.nodes[at as usize].goes_on = true;
                at = match m.child(at, word) {
                    Some(c) => c,
                    None => {
                        let id = m.nodes.len() as u32;
                        m.nodes.push(Node { parent: at, word: word.to_string(), ends: None, goes_on: false });
                        let hash = edge(at, word.as_bytes());
                        match m.edges.entry(hash) {
                            std::collections::hash_map::Entry::Occupied(_) => {
                                m.collided.insert((at, word.to_string()), id);
                            }
                            std::collections::hash_map::Entry::Vacant(e) => {
                                e.insert(id);
                            }
                        }
                        id
                    }
                };
            }
            m.nodes[at as usize].ends = Some(i as u32);
        }
        m
    }

    fn child(&self, parent: u32, word: &str) -> Option<u32> {
        self.child_by_hash(parent, edge(parent, word.as_bytes()), word)
    }

    #[inline]
    fn child_by_hash(&self, parent: u32, hash: u64, word: &str) -> Option<u32> {
        if let Some(&c) = self.edges.get(&hash) {
            let n = &self.nodes[c as usize];
            if n.parent == parent && n.word == word {
                return Some(c);
            }
        }
        if self.collided.is_empty() {
            return None;
        }
        self.collided.get(&(parent, word.to_string())).copied()
    }

    /// Whether a word whose root edge hash is `hash` may start a phrase.
    #[inline]
    fn may_start(&self, hash: u64) -> bool {
        let (w, bit) = start_bit(hash);
        self.starts[w] & bit != 0
    }
}

/// The phrase list as a trie over a tagger's vocabulary ids.
#[derive(Debug, Clone)]
pub struct VocabularyTrie {
    /// By word id: the node of a phrase's first word, or [`NO_NODE`].
    root: Vec<u32>,
    nodes: Vec<IdNode>,
}

const NO_NODE: u32 = u32::MAX;

#[derive(Debug, Clone)]
struct IdNode {
    /// (word id, child node): a few at most.
    children: Vec<(u32, u32)>,
    ends: Option<u32>,
}

/// The filter word and bit of a root edge hash (its top bits: the map uses the low ones).
#[inline]
fn start_bit(hash: u64) -> (usize, u64) {
    (((hash >> 58) as usize) % START_WORDS, 1u64 << ((hash >> 52) & 63))
}

/// The words of a phrase as the analyzer gives them, when it has several at
/// consecutive positions.
fn words_of(analyzer: &mut TextAnalyzer, phrase: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut stream = analyzer.token_stream(phrase);
    while let Some(t) = stream.next() {
        if t.position != words.len() {
            return None;
        }
        words.push(t.text.clone());
    }
    (words.len() > 1).then_some(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyzer() -> TextAnalyzer {
        crate::schema::IndexSchema::builtin().unwrap().analyzer_for(crate::schema::Role::Text).unwrap()
    }

    #[test]
    fn finds_occurrences_within_and_across_chunks() {
        let list = Phrases::from_keys(vec!["county lines".into(), "looked after children".into(), "a a".into()]);
        let mut an = analyzer();
        let chunks = ["County-Lines work; looked after", "children and county lines. A a a", "lines"];
        let (got, positions) = list.occurrences(&mut an, &chunks);
        let counted: Vec<u64> = chunks.iter().map(|c| crate::tokenize::count_tokens(c)).collect();
        assert_eq!(positions, counted);
        assert_eq!(got[0], vec!["county lines".to_string(), format!("{CROSSING}looked after children")]);
        // Overlapping occurrences each count, as positional matching counts them.
        assert_eq!(got[1], vec!["county lines".to_string(), "a a".into(), "a a".into()]);
        assert!(got[2].is_empty());
    }

    #[test]
    fn a_gap_or_another_word_breaks_a_phrase() {
        let list = Phrases::from_keys(vec!["county lines".into()]);
        let mut an = analyzer();
        let long = "x".repeat(300);
        let text = format!("county {long} lines, county and lines, countylines");
        assert!(list.occurrences(&mut an, &[&text]).0.iter().all(Vec::is_empty));
    }

    #[test]
    fn the_list_reads_back_and_a_changed_list_changes_the_marker() {
        let dir = tempfile::tempdir().unwrap();
        let list = Phrases::from_keys(vec!["missing from home".into(), "county lines".into(), "single".into()]);
        assert_eq!(list.len(), 2, "single words are not phrases");
        list.write(dir.path()).unwrap();
        assert_eq!(Phrases::load(dir.path()), Some(list.clone()));
        assert_eq!(list.key(&["county", "lines"]).as_deref(), Some("county lines"));
        assert_eq!(list.key(&["county", "line"]), None);
        let other = Phrases::from_keys(vec!["county lines".into()]);
        assert_ne!(other.marker(), list.marker());
        // A hand-edited list no longer matches its fingerprint: not trusted.
        let path = dir.path().join(PHRASES_FILE);
        let edited = std::fs::read_to_string(&path).unwrap() + "new phrase\n";
        std::fs::write(&path, edited).unwrap();
        assert_eq!(Phrases::load(dir.path()), None);
    }

    /// The tagger's words give exactly what reading the chunks gives, on texts
    /// dense with the real taxonomy's phrases, cut into chunks as indexing cuts them.
    #[test]
    fn the_tagger_words_find_what_the_text_holds() {
        let taxonomy = Taxonomy::from_toml(crate::index::writer::BUILTIN_TOPICS, "topics.toml").unwrap();
        let tagger = crate::tag::Tagger::new(&taxonomy);
        let mut an = analyzer();
        let list = Phrases::from_taxonomy(&taxonomy, &an);
        let trie = list.over_vocabulary(|w| tagger.word_id(w)).expect("the tagger knows every phrase word");
        let mut vocab: Vec<String> = list.keys.iter().flat_map(|k| k.split(' ')).map(|w| w.to_string()).collect();
        vocab.extend(["the", "report", "x7", "Looked", "AFTER", "s47"].map(String::from));
        vocab.push("y".repeat(300));
        let seps = [" ", " ", " ", ", ", "-", "’s ", " – ", "'s ", ".\n\n", ". ", "\n", " (", ") "];
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut rand = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let (mut found, mut crossing) = (0, 0);
        for case in 0..300 {
            let words = 20 + rand(1400);
            let mut text = String::new();
            for _ in 0..words {
                // Mostly whole phrases, so that they run across chunk cuts.
                if rand(3) == 0 {
                    text.push_str(&list.keys[rand(list.keys.len())]);
                } else {
                    text.push_str(&vocab[rand(vocab.len())]);
                }
                // Half the texts have no sentence or line ends: cuts fall between words.
                let sep = if case % 2 == 0 { rand(seps.len()) } else { rand(7) };
                text.push_str(seps[sep]);
            }
            let chunks = crate::chunk::chunk_ranges(&text);
            let texts: Vec<&str> = chunks.iter().map(|r| &text[r.clone()]).collect();
            let (mut want, positions) = list.occurrences(&mut an, &texts);
            let (_, tagged) = tagger.tag_with_words("Looked after children", &text);
            let tagged = tagged.expect("ASCII text: the tagger gives its words");
            let mut got = list.occurrences_in_words(&trie, &tagged, &positions, chunks.len());
            // A chunk's tokens in any order (the index counts them).
            want.iter_mut().chain(got.iter_mut()).for_each(|c| c.sort());
            assert_eq!(got, want, "case {case}");
            found += want.iter().map(Vec::len).sum::<usize>();
            crossing += want.iter().flatten().filter(|t| t.starts_with(CROSSING)).count();
        }
        assert!(found > 10_000 && crossing > 20, "{found} occurrences, {crossing} across chunks");
        // A word with a non-ASCII letter: the text is read again instead.
        assert_eq!(tagger.tag_with_words("", "county lines café").1, None);
        assert!(tagger.tag_with_words("", "county lines – a ‘safe’ café-free text").1.is_none());
        assert!(
            tagger.tag_with_words("Café", "county lines – a ‘safe’ text").1.is_some(),
            "the title is not indexed text"
        );
    }
}
