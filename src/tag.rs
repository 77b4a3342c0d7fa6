//! Topic taxonomy and tagger.
//!
//! The taxonomy (`index-schema/topics.toml`) is data: it is read at run time, validated with
//! messages that name the file, line and column, and compiled into a [`Tagger`] that counts the
//! signal mentions of every topic in an agenda item and decides which topics the item
//! substantively discusses. The file's header comment documents every field and the rule.
//!
//! Matching works on a token stream: tokens are maximal runs of letters and digits, so
//! punctuation, apostrophes and hyphens separate words ("children's" → `children` `s`,
//! "Multi-Agency" → `multi` `agency`). Phrases compare lower-cased, accent-folded tokens;
//! acronyms compare the original token exactly. At each token the longest entry of any topic
//! wins (leftmost-longest, no overlaps) and counts for every topic that lists it.

use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

/// Sentinel for "no id".
const NONE: u32 = u32::MAX;
/// Line number of the barrier token between title and text.
const BARRIER_LINE: u32 = u32::MAX;
/// Line number given to title tokens.
const TITLE_LINE: u32 = u32::MAX - 1;
/// Line number given to the tokens of a "title" too long to be one (treated as text).
const LONG_TITLE_LINE: u32 = u32::MAX - 2;
/// A title with more tokens than this is not a title but text (a page that starts mid-text).
const TITLE_MAX_TOKENS: usize = 30;

// ───────────────────────────── public types ─────────────────────────────

/// One topic of the taxonomy, as written in the file (phrases as written, not normalised).
#[derive(Debug, Clone, PartialEq)]
pub struct Topic {
    pub key: String,
    pub label: String,
    pub description: String,
    /// Case-insensitive whole-word phrases; each occurrence is a mention.
    pub phrases: Vec<String>,
    /// Case-sensitive single tokens; each occurrence is a mention.
    pub acronyms: Vec<String>,
    /// Ambiguous phrases that count only when a phrase or acronym of the topic is present.
    pub weak_phrases: Vec<String>,
    /// Phrases that claim their span and count for nothing.
    pub exclude: Vec<String>,
    /// Evidence this topic needs (overrides `rules.min_evidence`).
    pub min_evidence: Option<f64>,
    /// When every phrase/acronym mention of this topic is of an entry shared with other topics
    /// and one of those has mentions of its own, the item is left to that topic.
    pub defer_shared: bool,
}

/// The decision rule's parameters (`[rules]` in the file). See the file header for meaning.
#[derive(Debug, Clone, PartialEq)]
pub struct Rules {
    pub title_tags: bool,
    pub min_evidence: f64,
    pub weak_weight: f64,
    pub heading_words: u32,
    pub heading_weight: f64,
    pub acronyms_alone: bool,
    /// Words right after a mention that make it part of a name ("… Panel", "… Manager").
    pub name_after: Vec<String>,
    /// Words right before a mention that make it part of a name ("Head of …").
    pub name_before: Vec<String>,
    pub name_weight: f64,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            title_tags: true,
            min_evidence: 2.0,
            weak_weight: 0.5,
            heading_words: 0,
            heading_weight: 1.0,
            acronyms_alone: true,
            name_after: Vec::new(),
            name_before: Vec::new(),
            name_weight: 1.0,
        }
    }
}

/// A validated taxonomy plus its compiled matcher.
#[derive(Clone)]
pub struct Taxonomy {
    topics: Vec<Topic>,
    rules: Rules,
    hash: String,
    matcher: Arc<Matcher>,
}

impl fmt::Debug for Taxonomy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Taxonomy")
            .field("topics", &self.topics.len())
            .field("rules", &self.rules)
            .field("hash", &self.hash)
            .finish()
    }
}

/// What is wrong with a taxonomy file. Every variant names the file (`origin`) and, where the
/// problem has a place, its 1-based line and column.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TaxonomyError {
    #[error("{origin}: cannot read the taxonomy file: {message}")]
    Io { origin: String, message: String },
    /// TOML syntax error, wrong type, missing or unknown field.
    #[error("{origin}:{line}:{column}: {message}")]
    Syntax { origin: String, line: usize, column: usize, message: String },
    #[error("{origin}:{line}:{column}: duplicate topic key \"{key}\" (first defined at line {first_line}); every [[topic]] needs its own key")]
    DuplicateKey { origin: String, line: usize, column: usize, key: String, first_line: usize },
    /// A value that parses but makes no sense (empty phrase, bad key, acronym with spaces…).
    #[error("{origin}:{line}:{column}: {message}")]
    Invalid { origin: String, line: usize, column: usize, message: String },
    #[error("{origin}: the taxonomy defines no topics; add at least one [[topic]] table with key, label and phrases")]
    NoTopics { origin: String },
}

impl TaxonomyError {
    /// 1-based line of the problem, when it has one.
    pub fn line(&self) -> Option<usize> {
        match self {
            TaxonomyError::Syntax { line, .. }
            | TaxonomyError::DuplicateKey { line, .. }
            | TaxonomyError::Invalid { line, .. } => Some(*line),
            TaxonomyError::Io { .. } | TaxonomyError::NoTopics { .. } => None,
        }
    }
}

/// A topic tag of one item: the topic key and the number of signal mentions.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TopicTag {
    pub key: String,
    pub mentions: u32,
}

/// Everything the tagger found for one topic in one item (for `parse`, debugging, tuning).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TopicEvidence {
    pub key: String,
    /// Phrase + acronym mentions, plus weak mentions when a phrase or acronym is present.
    pub mentions: u32,
    pub phrase_mentions: u32,
    pub acronym_mentions: u32,
    pub weak_mentions: u32,
    /// A phrase, acronym or weak phrase occurs in the title.
    pub in_title: bool,
    /// Evidence from the text, as defined by the rules.
    pub evidence: f64,
    /// Whether the rule tags the item with this topic.
    pub tagged: bool,
}

/// One occurrence of a topic signal, with its byte range in the title or in the text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Mention {
    pub key: String,
    /// `phrase`, `acronym` or `weak`.
    pub kind: &'static str,
    /// True when the range is in the title, false when it is in the text.
    pub in_title: bool,
    pub start: usize,
    pub end: usize,
}

/// Tags items; built once from a [`Taxonomy`], cheap to share between threads.
#[derive(Debug, Clone)]
pub struct Tagger {
    matcher: Arc<Matcher>,
    rules: Rules,
    keys: Arc<[String]>,
    /// Topic indexes in key order (output is sorted by key).
    by_key: Arc<[u16]>,
}

// ───────────────────────────── taxonomy loading ─────────────────────────────

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    rules: Option<RawRules>,
    #[serde(default)]
    topic: Vec<RawTopic>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    title_tags: Option<bool>,
    min_evidence: Option<Spanned<f64>>,
    weak_weight: Option<Spanned<f64>>,
    heading_words: Option<u32>,
    heading_weight: Option<Spanned<f64>>,
    acronyms_alone: Option<bool>,
    #[serde(default)]
    name_after: Vec<Spanned<String>>,
    #[serde(default)]
    name_before: Vec<Spanned<String>>,
    name_weight: Option<Spanned<f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTopic {
    key: Spanned<String>,
    label: Spanned<String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    phrases: Vec<Spanned<String>>,
    #[serde(default)]
    acronyms: Vec<Spanned<String>>,
    #[serde(default)]
    weak_phrases: Vec<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    min_evidence: Option<Spanned<f64>>,
    #[serde(default)]
    defer_shared: bool,
}

/// 1-based (line, column) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |p| p + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

struct Ctx<'a> {
    text: &'a str,
    origin: &'a str,
}

impl Ctx<'_> {
    fn invalid(&self, span: Range<usize>, message: String) -> TaxonomyError {
        let (line, column) = line_col(self.text, span.start);
        TaxonomyError::Invalid { origin: self.origin.to_string(), line, column, message }
    }
}

/// Which list of a topic an entry comes from.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Role {
    Strong,
    Weak,
    Exclude,
}

impl Role {
    fn field(self) -> &'static str {
        match self {
            Role::Strong => "phrases",
            Role::Weak => "weak_phrases",
            Role::Exclude => "exclude",
        }
    }
}

impl Taxonomy {
    /// Parses and validates a taxonomy. `origin` (usually the path) is used in messages.
    pub fn from_toml(text: &str, origin: &str) -> Result<Taxonomy, TaxonomyError> {
        let ctx = Ctx { text, origin };
        let raw: RawFile = toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map_or((1, 1), |s| line_col(text, s.start));
            TaxonomyError::Syntax { origin: origin.to_string(), line, column, message: e.message().trim().to_string() }
        })?;

        let mut builder = MatcherBuilder::default();
        let rules = build_rules(&ctx, raw.rules, &mut builder)?;
        if raw.topic.is_empty() {
            return Err(TaxonomyError::NoTopics { origin: origin.to_string() });
        }
        if raw.topic.len() > u16::MAX as usize {
            return Err(ctx.invalid(0..0, "too many topics (at most 65535)".to_string()));
        }

        let mut topics = Vec::with_capacity(raw.topic.len());
        let mut first_line: HashMap<String, usize> = HashMap::new();
        for (ti, rt) in raw.topic.into_iter().enumerate() {
            let key = rt.key.get_ref().trim().to_string();
            let key_span = rt.key.span();
            if key.is_empty() || !key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
                return Err(
                    ctx.invalid(key_span, format!("topic key \"{key}\" must be non-empty and use only a-z, 0-9 and _"))
                );
            }
            let (line, column) = line_col(text, key_span.start);
            if let Some(&first) = first_line.get(&key) {
                return Err(TaxonomyError::DuplicateKey {
                    origin: origin.to_string(),
                    line,
                    column,
                    key,
                    first_line: first,
                });
            }
            first_line.insert(key.clone(), line);

            let label = rt.label.get_ref().trim().to_string();
            if label.is_empty() {
                return Err(ctx
                    .invalid(rt.label.span(), format!("topic \"{key}\" has an empty label; give it a readable name")));
            }
            if rt.phrases.is_empty() && rt.acronyms.is_empty() {
                return Err(ctx.invalid(
                    key_span,
                    format!("topic \"{key}\" has no phrases and no acronyms, so it can never be tagged; add some"),
                ));
            }

            let t = ti as u16;
            let mut seen: HashMap<Vec<u32>, Role> = HashMap::new();
            for (role, list) in
                [(Role::Strong, &rt.phrases), (Role::Weak, &rt.weak_phrases), (Role::Exclude, &rt.exclude)]
            {
                for p in list {
                    let words = builder.intern_phrase(p.get_ref());
                    if words.is_empty() {
                        return Err(ctx.invalid(
                            p.span(),
                            format!(
                                "empty phrase in {} of topic \"{key}\": a phrase needs at least one letter or digit",
                                role.field()
                            ),
                        ));
                    }
                    if let Some(prev) = seen.insert(words.clone(), role) {
                        return Err(ctx.invalid(
                            p.span(),
                            format!(
                                "\"{}\" is listed twice for topic \"{key}\" (in {} and in {}; lists compare words, ignoring case and punctuation); keep one",
                                p.get_ref(),
                                prev.field(),
                                role.field()
                            ),
                        ));
                    }
                    builder.add_entry(words, t, role);
                }
            }
            let mut seen_acr: HashMap<&str, ()> = HashMap::new();
            for a in &rt.acronyms {
                let s = a.get_ref().as_str();
                let mut toks = Vec::new();
                for_each_token(s, &mut String::new(), |_, orig, _, _| toks.push(orig.len()));
                if toks.len() != 1 || toks[0] != s.len() {
                    return Err(ctx.invalid(
                        a.span(),
                        format!("acronym \"{s}\" of topic \"{key}\" must be one word of letters and digits (no spaces or punctuation); put multi-word forms in phrases"),
                    ));
                }
                if !s.chars().any(char::is_uppercase) {
                    return Err(ctx.invalid(
                        a.span(),
                        format!("acronym \"{s}\" of topic \"{key}\" has no capital letter; acronyms match case-sensitively, so list a lower-case word under phrases instead"),
                    ));
                }
                if seen_acr.insert(s, ()).is_some() {
                    return Err(
                        ctx.invalid(a.span(), format!("acronym \"{s}\" is listed twice for topic \"{key}\"; keep one"))
                    );
                }
                builder.add_acronym(s, t);
            }

            let min_evidence = match &rt.min_evidence {
                None => None,
                Some(v) => Some(check_number(&ctx, v, &format!("min_evidence of topic \"{key}\""), 0.0)?),
            };
            builder.topic_min.push(min_evidence);
            builder.defer_shared.push(rt.defer_shared);
            let strings =
                |v: &[Spanned<String>]| -> Vec<String> { v.iter().map(|s| s.get_ref().trim().to_string()).collect() };
            topics.push(Topic {
                key,
                label,
                description: rt.description.trim().to_string(),
                phrases: strings(&rt.phrases),
                acronyms: strings(&rt.acronyms),
                weak_phrases: strings(&rt.weak_phrases),
                exclude: strings(&rt.exclude),
                min_evidence,
                defer_shared: rt.defer_shared,
            });
        }

        let matcher = builder.build(topics.len());
        let hash = semantic_hash(&topics, &rules);
        Ok(Taxonomy { topics, rules, hash, matcher: Arc::new(matcher) })
    }

    /// Reads and parses a taxonomy file.
    pub fn load(path: &Path) -> Result<Taxonomy, TaxonomyError> {
        let origin = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| TaxonomyError::Io { origin: origin.clone(), message: e.to_string() })?;
        Taxonomy::from_toml(&text, &origin)
    }

    /// The topics in file order.
    pub fn topics(&self) -> &[Topic] {
        &self.topics
    }

    pub fn get(&self, key: &str) -> Option<&Topic> {
        self.topics.iter().find(|t| t.key == key)
    }

    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    /// Stable hex xxh3-128 of what determines the tags: keys, normalised phrases, acronyms,
    /// weak phrases, exclusions and rules. Order of entries, comments, layout, labels and
    /// descriptions do not change it.
    pub fn hash(&self) -> String {
        self.hash.clone()
    }

    /// Topic keys (in taxonomy order, each once) whose phrases, weak phrases or acronyms occur
    /// in a user query. Acronyms are case-sensitive here too ("CSE", not "cse").
    pub fn topics_in_query(&self, query: &str) -> Vec<&str> {
        let mut hit = vec![false; self.topics.len()];
        let toks = self.matcher.tokenize("", query, false);
        self.matcher.scan(&toks, |mt| {
            if mt.role != Role::Exclude {
                hit[mt.topic as usize] = true;
            }
        });
        self.topics.iter().zip(hit).filter(|(_, h)| *h).map(|(t, _)| t.key.as_str()).collect()
    }
}

fn check_number(ctx: &Ctx<'_>, v: &Spanned<f64>, name: &str, min: f64) -> Result<f64, TaxonomyError> {
    let x = *v.get_ref();
    if !x.is_finite() || x < min {
        Err(ctx.invalid(v.span(), format!("{name} must be a number ≥ {min}, found {x}")))
    } else {
        Ok(x)
    }
}

fn build_rules(ctx: &Ctx<'_>, raw: Option<RawRules>, builder: &mut MatcherBuilder) -> Result<Rules, TaxonomyError> {
    let mut rules = Rules::default();
    let Some(raw) = raw else {
        return Ok(rules);
    };
    let num = |v: &Option<Spanned<f64>>, name: &str, default: f64| -> Result<f64, TaxonomyError> {
        match v {
            None => Ok(default),
            Some(s) => check_number(ctx, s, &format!("rules.{name}"), 0.0),
        }
    };
    rules.min_evidence = num(&raw.min_evidence, "min_evidence", rules.min_evidence)?;
    rules.weak_weight = num(&raw.weak_weight, "weak_weight", rules.weak_weight)?;
    rules.heading_weight = num(&raw.heading_weight, "heading_weight", rules.heading_weight)?;
    rules.name_weight = num(&raw.name_weight, "name_weight", rules.name_weight)?;
    if let Some(b) = raw.title_tags {
        rules.title_tags = b;
    }
    if let Some(n) = raw.heading_words {
        rules.heading_words = n;
    }
    if let Some(b) = raw.acronyms_alone {
        rules.acronyms_alone = b;
    }
    for (name, list, out, ids) in [
        ("name_after", &raw.name_after, &mut rules.name_after, &mut builder.name_after),
        ("name_before", &raw.name_before, &mut rules.name_before, &mut builder.name_before),
    ] {
        for p in list {
            let words = builder_intern(&mut builder.vocab, p.get_ref());
            if words.is_empty() {
                return Err(ctx
                    .invalid(p.span(), format!("empty entry in rules.{name}: it needs at least one letter or digit")));
            }
            out.push(p.get_ref().trim().to_string());
            ids.push(NameRule {
                words: words.into_boxed_slice(),
                capital: p.get_ref().trim().starts_with(char::is_uppercase),
            });
        }
    }
    Ok(rules)
}

fn semantic_hash(topics: &[Topic], rules: &Rules) -> String {
    fn norm(p: &str) -> String {
        let mut words = Vec::new();
        for_each_token(p, &mut String::new(), |w, _, _, _| words.push(w.to_string()));
        words.join(" ")
    }
    fn norm_list(v: &[String]) -> Vec<String> {
        let mut out: Vec<String> = v.iter().map(|p| norm(p)).collect();
        out.sort();
        out
    }
    let mut canon = String::from("sgsearch-topics v1\n");
    canon.push_str(&format!(
        "rules {} {} {} {} {} {} {}\n",
        rules.title_tags,
        rules.min_evidence,
        rules.weak_weight,
        rules.heading_words,
        rules.heading_weight,
        rules.acronyms_alone,
        rules.name_weight,
    ));
    for (name, list) in [("name_after", &rules.name_after), ("name_before", &rules.name_before)] {
        // The capital of the first letter is meaningful here.
        let mut items: Vec<String> =
            list.iter().map(|raw| format!("{} {}", raw.starts_with(char::is_uppercase), norm(raw))).collect();
        items.sort();
        for item in items {
            canon.push_str(name);
            canon.push(' ');
            canon.push_str(&item);
            canon.push('\n');
        }
    }
    let mut sorted: Vec<&Topic> = topics.iter().collect();
    sorted.sort_by(|a, b| a.key.cmp(&b.key));
    for t in sorted {
        canon.push_str("topic ");
        canon.push_str(&t.key);
        canon.push('\n');
        if let Some(m) = t.min_evidence {
            canon.push_str(&format!("min_evidence {m}\n"));
        }
        if t.defer_shared {
            canon.push_str("defer_shared\n");
        }
        let mut acr = t.acronyms.clone();
        acr.sort();
        for (name, list) in
            [("p", norm_list(&t.phrases)), ("a", acr), ("w", norm_list(&t.weak_phrases)), ("x", norm_list(&t.exclude))]
        {
            for item in list {
                canon.push_str(name);
                canon.push(' ');
                canon.push_str(&item);
                canon.push('\n');
            }
        }
    }
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(canon.as_bytes()))
}

// ───────────────────────────── tokenizer ─────────────────────────────

/// ASCII letters and digits.
const fn ascii_alnum_table() -> [bool; 128] {
    let mut t = [false; 128];
    let mut i = 0;
    while i < 128 {
        let b = i as u8;
        t[i] = b.is_ascii_alphanumeric();
        i += 1;
    }
    t
}
static ASCII_ALNUM: [bool; 128] = ascii_alnum_table();

/// Appends the lower-case, accent-folded form of a non-ASCII alphanumeric char.
fn fold_char(c: char, out: &mut String) {
    let cp = c as u32;
    let base: Option<&str> = match cp {
        0xC0..=0xC5 | 0xE0..=0xE5 | 0x100..=0x105 => Some("a"),
        0xC6 | 0xE6 => Some("ae"),
        0xC7 | 0xE7 | 0x106..=0x10D => Some("c"),
        0xC8..=0xCB | 0xE8..=0xEB | 0x112..=0x11B => Some("e"),
        0xCC..=0xCF | 0xEC..=0xEF | 0x128..=0x131 => Some("i"),
        0xD0 | 0xF0 | 0x10E..=0x111 => Some("d"),
        0xD1 | 0xF1 | 0x143..=0x14B => Some("n"),
        0xD2..=0xD6 | 0xD8 | 0xF2..=0xF6 | 0xF8 | 0x14C..=0x151 => Some("o"),
        0xD9..=0xDC | 0xF9..=0xFC | 0x168..=0x173 => Some("u"),
        0xDD | 0xFD | 0xFF | 0x176..=0x178 => Some("y"),
        0xDE | 0xFE => Some("th"),
        0xDF => Some("ss"),
        0x11C..=0x123 => Some("g"),
        0x124..=0x127 => Some("h"),
        0x132 | 0x133 => Some("ij"),
        0x134 | 0x135 => Some("j"),
        0x136..=0x138 => Some("k"),
        0x139..=0x142 => Some("l"),
        0x152 | 0x153 => Some("oe"),
        0x154..=0x159 => Some("r"),
        0x15A..=0x161 | 0x17F => Some("s"),
        0x162..=0x167 => Some("t"),
        0x174 | 0x175 => Some("w"),
        0x179..=0x17E => Some("z"),
        0xFB00 => Some("ff"),
        0xFB01 => Some("fi"),
        0xFB02 => Some("fl"),
        0xFB03 => Some("ffi"),
        0xFB04 => Some("ffl"),
        _ => None,
    };
    match base {
        Some(s) => out.push_str(s),
        None => out.extend(c.to_lowercase()),
    }
}

/// Calls `f(folded, original, has_upper, line)` for every token of `text`. `folded` is the
/// lower-case, accent-folded token; `line` counts `\n` before the token.
fn for_each_token(text: &str, buf: &mut String, mut f: impl FnMut(&str, &str, bool, u32)) {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut i = 0;
    let mut line = 0u32;
    while i < n {
        let b = bytes[i];
        let (is_alnum, width) = if b < 0x80 {
            if b == b'\n' {
                line += 1;
            }
            (ASCII_ALNUM[b as usize], 1)
        } else {
            match text[i..].chars().next() {
                Some(c) => (c.is_alphanumeric(), c.len_utf8()),
                None => (false, 1),
            }
        };
        if !is_alnum {
            i += width;
            continue;
        }
        // A token starts at i.
        let start = i;
        buf.clear();
        let mut has_upper = false;
        while i < n {
            let b = bytes[i];
            if b < 0x80 {
                if !ASCII_ALNUM[b as usize] {
                    break;
                }
                if b.is_ascii_uppercase() {
                    has_upper = true;
                }
                buf.push(b.to_ascii_lowercase() as char);
                i += 1;
            } else {
                let Some(c) = text[i..].chars().next() else {
                    break;
                };
                if !c.is_alphanumeric() {
                    break;
                }
                if c.is_uppercase() {
                    has_upper = true;
                }
                fold_char(c, buf);
                i += c.len_utf8();
            }
        }
        f(buf, &text[start..i], has_upper, line);
    }
}

// ───────────────────────────── matcher ─────────────────────────────

/// FxHash: fast, fine for keys that come from the configuration.
#[derive(Default, Clone, Copy)]
struct FxHasher {
    hash: u64,
}

impl FxHasher {
    #[inline]
    fn add(&mut self, w: u64) {
        self.hash = (self.hash.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut a = [0u8; 8];
            a.copy_from_slice(c);
            self.add(u64::from_le_bytes(a));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut a = [0u8; 8];
            a[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(a) ^ ((rest.len() as u64) << 59));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

#[derive(Clone, Copy, Debug)]
struct Target {
    topic: u16,
    role: Role,
}

#[derive(Debug)]
struct Entry {
    words: Box<[u32]>,
    targets: Vec<Target>,
    /// Listed (as phrase or weak phrase) by more than one topic.
    shared: bool,
}

/// One match of an entry or acronym for one topic.
#[derive(Clone, Copy, Debug)]
struct Match {
    topic: u16,
    role: Role,
    acronym: bool,
    shared: bool,
    start: usize,
    end: usize,
}

#[derive(Default)]
struct MatcherBuilder {
    vocab: FxMap<Box<str>, u32>,
    entries: Vec<Entry>,
    entry_ids: HashMap<Vec<u32>, usize>,
    acronyms: FxMap<Box<str>, Vec<u16>>,
    name_after: Vec<NameRule>,
    name_before: Vec<NameRule>,
    topic_min: Vec<Option<f64>>,
    defer_shared: Vec<bool>,
}

/// A `name_after` / `name_before` entry: word ids, and whether its first word must be
/// capitalised in the text (the entry was written with a capital: "Panel").
#[derive(Debug, Clone)]
struct NameRule {
    words: Box<[u32]>,
    capital: bool,
}

/// Normalised word ids of a phrase, adding new words to the vocabulary.
fn builder_intern(vocab: &mut FxMap<Box<str>, u32>, phrase: &str) -> Vec<u32> {
    let mut words = Vec::new();
    for_each_token(phrase, &mut String::new(), |w, _, _, _| {
        let next = vocab.len() as u32;
        let id = *vocab.entry(w.into()).or_insert(next);
        words.push(id);
    });
    words
}

impl MatcherBuilder {
    fn intern_phrase(&mut self, phrase: &str) -> Vec<u32> {
        builder_intern(&mut self.vocab, phrase)
    }

    fn add_entry(&mut self, words: Vec<u32>, topic: u16, role: Role) {
        let idx = match self.entry_ids.get(&words) {
            Some(&i) => i,
            None => {
                self.entries.push(Entry {
                    words: words.clone().into_boxed_slice(),
                    targets: Vec::new(),
                    shared: false,
                });
                self.entry_ids.insert(words, self.entries.len() - 1);
                self.entries.len() - 1
            }
        };
        self.entries[idx].targets.push(Target { topic, role });
    }

    fn add_acronym(&mut self, acronym: &str, topic: u16) {
        let v = self.acronyms.entry(acronym.into()).or_default();
        if !v.contains(&topic) {
            v.push(topic);
        }
    }

    fn build(mut self, n_topics: usize) -> Matcher {
        for e in &mut self.entries {
            e.shared = e.targets.iter().filter(|t| t.role != Role::Exclude).count() > 1;
        }
        let mut starts: Vec<Vec<u32>> = vec![Vec::new(); self.vocab.len()];
        for (i, e) in self.entries.iter().enumerate() {
            starts[e.words[0] as usize].push(i as u32);
        }
        for s in &mut starts {
            s.sort_by_key(|&e| std::cmp::Reverse(self.entries[e as usize].words.len()));
        }
        let max_word_len = self.vocab.keys().map(|k| k.len()).max().unwrap_or(0);
        let max_acronym_len = self.acronyms.keys().map(|k| k.len()).max().unwrap_or(0);
        let mut acronym_targets = Vec::new();
        let mut acronyms = FxMap::default();
        for (k, v) in self.acronyms {
            acronyms.insert(k, acronym_targets.len() as u32);
            acronym_targets.push(v.into_boxed_slice());
        }
        Matcher {
            vocab: self.vocab,
            starts: starts.into_iter().map(Vec::into_boxed_slice).collect(),
            entries: self.entries,
            acronyms,
            acronym_targets,
            max_word_len,
            max_acronym_len,
            n_topics,
            name_after: self.name_after,
            name_before: self.name_before,
            topic_min: self.topic_min,
            defer_shared: self.defer_shared,
        }
    }
}

/// Compiled phrase/acronym matcher shared by the taxonomy and its taggers.
struct Matcher {
    vocab: FxMap<Box<str>, u32>,
    /// For each word id, the entries starting with it, longest first.
    starts: Vec<Box<[u32]>>,
    entries: Vec<Entry>,
    acronyms: FxMap<Box<str>, u32>,
    acronym_targets: Vec<Box<[u16]>>,
    max_word_len: usize,
    max_acronym_len: usize,
    n_topics: usize,
    name_after: Vec<NameRule>,
    name_before: Vec<NameRule>,
    topic_min: Vec<Option<f64>>,
    defer_shared: Vec<bool>,
}

impl fmt::Debug for Matcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Matcher")
            .field("words", &self.vocab.len())
            .field("entries", &self.entries.len())
            .field("acronyms", &self.acronyms.len())
            .finish()
    }
}

/// One token of an item, reduced to what matching needs.
#[derive(Clone, Copy)]
struct Tok {
    /// Vocabulary id of the folded token, or NONE.
    word: u32,
    /// Acronym id of the original token, or NONE.
    acronym: u32,
    /// Line number (TITLE_LINE for the title, BARRIER_LINE for the barrier).
    line: u32,
    /// The original token starts with a capital letter.
    cap: bool,
}

struct Tokens {
    toks: Vec<Tok>,
    /// Number of tokens on each text line.
    line_len: Vec<u32>,
    /// Byte range of each token in the title or the text (only when asked for).
    spans: Vec<(u32, u32)>,
}

impl Matcher {
    /// Title tokens, a barrier, then text tokens.
    fn tokenize(&self, title: &str, text: &str, with_spans: bool) -> Tokens {
        let mut toks = Vec::with_capacity(text.len() / 6 + 16);
        let mut line_len: Vec<u32> = Vec::new();
        let mut spans: Vec<(u32, u32)> = Vec::new();
        let span_of = |base: &str, orig: &str, spans: &mut Vec<(u32, u32)>| {
            if with_spans {
                let start = orig.as_ptr() as usize - base.as_ptr() as usize;
                spans.push((start as u32, (start + orig.len()) as u32));
            }
        };
        let mut buf = String::with_capacity(64);
        let push = |folded: &str, orig: &str, has_upper: bool, line: u32, toks: &mut Vec<Tok>| {
            let word =
                if folded.len() <= self.max_word_len { self.vocab.get(folded).copied().unwrap_or(NONE) } else { NONE };
            let acronym = if has_upper && orig.len() <= self.max_acronym_len {
                self.acronyms.get(orig).copied().unwrap_or(NONE)
            } else {
                NONE
            };
            toks.push(Tok { word, acronym, line, cap: orig.chars().next().is_some_and(char::is_uppercase) });
        };
        for_each_token(title, &mut buf, |w, o, u, _| {
            span_of(title, o, &mut spans);
            push(w, o, u, TITLE_LINE, &mut toks);
        });
        if toks.len() > TITLE_MAX_TOKENS {
            for t in &mut toks {
                t.line = LONG_TITLE_LINE;
            }
        }
        toks.push(Tok { word: NONE, acronym: NONE, line: BARRIER_LINE, cap: false });
        if with_spans {
            spans.push((0, 0));
        }
        for_each_token(text, &mut buf, |w, o, u, line| {
            let l = line as usize;
            if line_len.len() <= l {
                line_len.resize(l + 1, 0);
            }
            line_len[l] += 1;
            span_of(text, o, &mut spans);
            push(w, o, u, line, &mut toks);
        });
        Tokens { toks, line_len, spans }
    }

    /// Leftmost-longest scan. Calls `f(topic, role, is_acronym, start, end)` for each match.
    fn scan(&self, tokens: &Tokens, mut f: impl FnMut(Match)) {
        let toks = &tokens.toks;
        let n = toks.len();
        let mut i = 0;
        while i < n {
            let t = toks[i];
            let mut best: Option<&Entry> = None;
            if t.word != NONE {
                for &e in self.starts[t.word as usize].iter() {
                    let entry = &self.entries[e as usize];
                    let len = entry.words.len();
                    if i + len <= n && entry.words[1..].iter().zip(&toks[i + 1..i + len]).all(|(w, tk)| *w == tk.word) {
                        best = Some(entry);
                        break;
                    }
                }
            }
            let acr: &[u16] = if t.acronym != NONE { &self.acronym_targets[t.acronym as usize] } else { &[] };
            let acr_match = |topic: u16| Match {
                topic,
                role: Role::Strong,
                acronym: true,
                shared: acr.len() > 1,
                start: i,
                end: i + 1,
            };
            let entry_match = |tg: &Target, entry: &Entry| Match {
                topic: tg.topic,
                role: tg.role,
                acronym: false,
                shared: entry.shared,
                start: i,
                end: i + entry.words.len(),
            };
            match best {
                Some(entry) if entry.words.len() > 1 || acr.is_empty() => {
                    for tg in &entry.targets {
                        f(entry_match(tg, entry));
                    }
                    i += entry.words.len();
                }
                Some(entry) => {
                    // One token that is both a phrase and an acronym: the acronym reading wins
                    // for topics listing it, the phrase reading for the others.
                    for &topic in acr {
                        f(acr_match(topic));
                    }
                    for tg in &entry.targets {
                        if !acr.contains(&tg.topic) {
                            f(entry_match(tg, entry));
                        }
                    }
                    i += 1;
                }
                None => {
                    for &topic in acr {
                        f(acr_match(topic));
                    }
                    i += 1;
                }
            }
        }
    }
}

impl Matcher {
    /// Whether the mention at tokens `start..end` is part of a name (a committee, a job title)
    /// by the `name_after` / `name_before` rules: one of those words right after or right
    /// before the mention (capitalised when the rule is written with a capital).
    fn is_named(&self, toks: &[Tok], start: usize, end: usize) -> bool {
        let words_at = |at: usize, rule: &NameRule| {
            let seq = &rule.words;
            at + seq.len() <= toks.len()
                && (!rule.capital || toks[at].cap)
                && seq.iter().zip(&toks[at..at + seq.len()]).all(|(w, t)| *w == t.word)
        };
        self.name_after.iter().any(|rule| words_at(end, rule))
            || self.name_before.iter().any(|rule| start >= rule.words.len() && words_at(start - rule.words.len(), rule))
    }
}

// ───────────────────────────── tagger ─────────────────────────────

#[derive(Clone, Copy, Default)]
struct Acc {
    phrase: u32,
    acronym: u32,
    weak: u32,
    title: bool,
    strong_ev: f64,
    weak_ev: f64,
    /// Strong mentions through entries no other topic lists.
    specific: u32,
    /// End of the previous mention and whether it was an acronym (for "Expansion (ACR)").
    last_end: usize,
    last_acronym: bool,
}

impl Tagger {
    pub fn new(taxonomy: &Taxonomy) -> Tagger {
        let keys: Vec<String> = taxonomy.topics.iter().map(|t| t.key.clone()).collect();
        let mut by_key: Vec<u16> = (0..keys.len() as u16).collect();
        by_key.sort_by(|&a, &b| keys[a as usize].cmp(&keys[b as usize]));
        Tagger {
            matcher: Arc::clone(&taxonomy.matcher),
            rules: taxonomy.rules.clone(),
            keys: keys.into(),
            by_key: by_key.into(),
        }
    }

    /// Tags one agenda item: the topics it substantively discusses, each with the count of
    /// signal mentions (phrases + acronyms, and weak phrases once supported) in title + text.
    /// Sorted by key.
    pub fn tag(&self, title: &str, text: &str) -> Vec<TopicTag> {
        self.analyse(title, text)
            .into_iter()
            .filter(|e| e.tagged)
            .map(|e| TopicTag { key: e.key, mentions: e.mentions })
            .collect()
    }

    /// Every signal occurrence (phrases, acronyms and weak phrases, whether or not the topic
    /// ends up tagged), in text order. Excluded phrases are not reported.
    pub fn mentions(&self, title: &str, text: &str) -> Vec<Mention> {
        let m = &*self.matcher;
        let tokens = m.tokenize(title, text, true);
        let mut out = Vec::new();
        m.scan(&tokens, |mt| {
            if mt.role == Role::Exclude {
                return;
            }
            let line = tokens.toks[mt.start].line;
            out.push(Mention {
                key: self.keys[mt.topic as usize].clone(),
                kind: match (mt.role, mt.acronym) {
                    (_, true) => "acronym",
                    (Role::Weak, _) => "weak",
                    _ => "phrase",
                },
                in_title: line == TITLE_LINE || line == LONG_TITLE_LINE,
                start: tokens.spans[mt.start].0 as usize,
                end: tokens.spans[mt.end - 1].1 as usize,
            });
        });
        out
    }

    /// The evidence for every topic with at least one mention (tagged or not), sorted by key.
    pub fn analyse(&self, title: &str, text: &str) -> Vec<TopicEvidence> {
        let m = &*self.matcher;
        let r = &self.rules;
        let tokens = m.tokenize(title, text, false);
        let mut hits: Vec<Match> = Vec::new();
        m.scan(&tokens, |mt| {
            if mt.role != Role::Exclude {
                hits.push(mt);
            }
        });
        let mut acc = vec![Acc { last_end: usize::MAX, ..Acc::default() }; m.n_topics];
        for h in &hits {
            let a = &mut acc[h.topic as usize];
            let line = tokens.toks[h.start].line;
            let named = m.is_named(&tokens.toks, h.start, h.end);
            let mut ev = 1.0;
            if named {
                ev *= r.name_weight;
            }
            if line == TITLE_LINE {
                if h.role == Role::Strong && !named {
                    a.title = true;
                }
            } else {
                if r.heading_words > 0 && line != LONG_TITLE_LINE && tokens.line_len[line as usize] < r.heading_words {
                    ev *= r.heading_weight;
                }
            }
            if h.role == Role::Weak {
                a.weak += 1;
                a.weak_ev += ev * r.weak_weight;
            } else {
                // "Multi-Agency Safeguarding Hub (MASH)": one mention written twice.
                if a.last_end == h.start && a.last_acronym != h.acronym {
                    ev = 0.0;
                }
                a.last_end = h.end;
                a.last_acronym = h.acronym;
                if h.acronym {
                    a.acronym += 1;
                } else {
                    a.phrase += 1;
                }
                if !h.shared {
                    a.specific += 1;
                }
                a.strong_ev += ev;
            }
        }
        // defer_shared: a topic seen only through entries it shares with other topics is left
        // to those of them that have mentions of their own.
        let mut deferred = vec![false; m.n_topics];
        for (t, a) in acc.iter().enumerate() {
            if m.defer_shared[t] && a.specific == 0 && a.phrase + a.acronym > 0 {
                deferred[t] = hits.iter().any(|h| {
                    h.topic as usize == t
                        && h.shared
                        && hits.iter().any(|o| {
                            (o.start, o.end) == (h.start, h.end)
                                && o.topic as usize != t
                                && acc[o.topic as usize].specific > 0
                        })
                });
            }
        }
        let mut out = Vec::new();
        for &ti in self.by_key.iter() {
            let a = acc[ti as usize];
            let strong = a.phrase + a.acronym;
            if strong + a.weak == 0 {
                continue;
            }
            let supported = if r.acronyms_alone { strong > 0 } else { a.phrase > 0 };
            let evidence = if supported { a.strong_ev + a.weak_ev } else { 0.0 };
            let min = m.topic_min[ti as usize].unwrap_or(r.min_evidence);
            let tagged = !deferred[ti as usize] && ((r.title_tags && a.title) || (supported && evidence + 1e-9 >= min));
            let mentions = if strong > 0 || tagged { strong + a.weak } else { 0 };
            out.push(TopicEvidence {
                key: self.keys[ti as usize].clone(),
                mentions,
                phrase_mentions: a.phrase,
                acronym_mentions: a.acronym,
                weak_mentions: a.weak,
                in_title: a.title,
                evidence,
                tagged,
            });
        }
        out
    }
}
