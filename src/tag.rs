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
//!
//! The rule, in short: every mention is worth evidence (1 for a phrase or acronym, less for a
//! weak phrase, a heading line or a name such as "Corporate Parenting Panel"); a topic is tagged
//! when its title names it or its evidence reaches the topic's `min_evidence` (2 by default, 1
//! for topics whose vocabulary is specific). It never needs more than two mentions, so it
//! behaves the same on a 150-word agenda item and on a whole page.
//!
//! Speed: only tokens that are vocabulary words or acronyms are kept (a packed-`u64` table
//! lookup per token, eight bytes scanned at a time), and phrases are found by walking a trie
//! over word ids; well over 100 MB/s on one core in a release build.

use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use crate::tokenize::{ascii_alnum_run_end, ASCII_ALNUM};

use serde::{Deserialize, Serialize};
use toml::Spanned;

/// Sentinel for "no id".
const NONE: u32 = u32::MAX;
/// Line number given to title tokens.
const TITLE_LINE: u32 = u32::MAX - 1;
/// Line number given to the tokens of a "title" too long to be one (treated as text).
const LONG_TITLE_LINE: u32 = u32::MAX - 2;
/// A title with more tokens than this is not a title but text (a page that starts mid-text).
const TITLE_MAX_TOKENS: usize = 30;

// ───────────────────────────── public types ─────────────────────────────

/// One topic of the taxonomy, as written in the file (phrases as written, not normalised).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    /// Topics this one gives way to: when every phrase/acronym mention of this topic is also a
    /// mention of one of them (an entry both list), and that topic has mentions of its own, the
    /// item is left to it.
    pub defer_to: Vec<String>,
}

/// The decision rule's parameters (`[rules]` in the file). See the file header for meaning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    matcher: Arc<Matcher>,
}

impl fmt::Debug for Taxonomy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Taxonomy").field("topics", &self.topics.len()).field("rules", &self.rules).finish()
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
    /// A phrase or acronym of the topic occurs in the title (not as part of a name).
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
    defer_to: Vec<Spanned<String>>,
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
        let mut pending_defer: Vec<Vec<Spanned<String>>> = Vec::new();
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
                for_each_token(s, &mut String::new(), |t| toks.push(t.orig.len()));
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
            pending_defer.push(rt.defer_to.clone());
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
                defer_to: rt.defer_to.iter().map(|k| k.get_ref().trim().to_string()).collect(),
            });
        }

        for (ti, list) in pending_defer.iter().enumerate() {
            let mut ids = Vec::new();
            for k in list {
                let name = k.get_ref().trim();
                match topics.iter().position(|t: &Topic| t.key == name) {
                    Some(j) if j != ti => ids.push(j as u16),
                    _ => {
                        return Err(ctx.invalid(
                            k.span(),
                            format!(
                                "defer_to of topic \"{}\" names \"{name}\", which is not another topic's key",
                                topics[ti].key
                            ),
                        ))
                    }
                }
            }
            builder.defer_to.push(ids);
        }
        // The checks are done; the matcher is built from what they accepted, the one way
        // every taxonomy is built (see `from_parts`).
        Taxonomy::from_parts(topics, rules)
            .ok_or_else(|| ctx.invalid(0..0, "inconsistent taxonomy (please report this)".to_string()))
    }

    /// The taxonomy of topics and rules that [`Taxonomy::from_toml`] accepted (an index
    /// keeps them compiled, so that a search does not parse TOML). `None` when they are
    /// inconsistent: a `defer_to` naming no other topic, a phrase without words, an
    /// acronym that is not one word.
    pub fn from_parts(topics: Vec<Topic>, rules: Rules) -> Option<Taxonomy> {
        if topics.is_empty() || topics.len() > u16::MAX as usize {
            return None;
        }
        let mut builder = MatcherBuilder::default();
        for (list, ids) in
            [(&rules.name_after, &mut builder.name_after), (&rules.name_before, &mut builder.name_before)]
        {
            for p in list {
                let words = builder_intern(&mut builder.vocab, p);
                if words.is_empty() {
                    return None;
                }
                ids.push(NameRule {
                    words: words.into_boxed_slice(),
                    capital: p.trim().starts_with(char::is_uppercase),
                });
            }
        }
        for (ti, topic) in topics.iter().enumerate() {
            let t = ti as u16;
            for (role, list) in
                [(Role::Strong, &topic.phrases), (Role::Weak, &topic.weak_phrases), (Role::Exclude, &topic.exclude)]
            {
                for p in list {
                    let words = builder.intern_phrase(p);
                    if words.is_empty() {
                        return None;
                    }
                    builder.add_entry(words, t, role);
                }
            }
            for a in &topic.acronyms {
                let mut one_word = false;
                let mut n = 0;
                for_each_token(a, &mut String::new(), |tok| {
                    n += 1;
                    one_word = tok.orig.len() == a.len();
                });
                if n != 1 || !one_word {
                    return None;
                }
                builder.add_acronym(a, t);
            }
            builder.topic_min.push(topic.min_evidence);
            let mut ids = Vec::new();
            for name in &topic.defer_to {
                match topics.iter().position(|o| o.key == *name) {
                    Some(j) if j != ti => ids.push(j as u16),
                    _ => return None,
                }
            }
            builder.defer_to.push(ids);
        }
        let matcher = builder.build(topics.len());
        Some(Taxonomy { topics, rules, matcher: Arc::new(matcher) })
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
    /// Computed when asked (indexing asks once or twice; searches never do).
    pub fn hash(&self) -> String {
        semantic_hash(&self.topics, &self.rules)
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
        for_each_token(p, &mut String::new(), |t| words.push(t.folded.to_string()));
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
        let mut defer = t.defer_to.clone();
        defer.sort();
        for d in defer {
            canon.push_str(&format!("defer_to {d}\n"));
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

/// One token of a text, as the tokenizer hands it over.
struct RawToken<'a> {
    /// Lower-case, accent-folded form.
    folded: &'a str,
    /// The token as written.
    orig: &'a str,
    /// The original has an upper-case letter.
    has_upper: bool,
    /// Number of `\n` before the token.
    line: u32,
    /// `folded` and `orig` packed as by [`WordTable::pack`] (meaningful up to 8 bytes).
    folded_key: u64,
    orig_key: u64,
    /// Only ASCII letters and digits: folded as the index's analyzer folds it.
    ascii: bool,
}

/// Calls `f` for every token of `text`: maximal runs of letters and digits.
fn for_each_token(text: &str, buf: &mut String, mut f: impl FnMut(&RawToken<'_>)) {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut i = 0;
    let mut line = 0u32;
    while i < n {
        let b = bytes[i];
        if b < 0x80 {
            if !ASCII_ALNUM[b as usize] {
                if b == b'\n' {
                    line += 1;
                }
                i += 1;
                continue;
            }
            // Fast path: a token of ASCII letters and digits.
            let start = i;
            i = ascii_alnum_run_end(bytes, i);
            let len = i - start;
            // Its first 8 bytes packed as by WordTable::pack: one 8-byte load when the text has
            // 8 bytes from here, masked to the token's length.
            let orig_key = if start + 8 <= n {
                let mut raw = [0u8; 8];
                raw.copy_from_slice(&bytes[start..start + 8]);
                let raw = u64::from_le_bytes(raw);
                if len >= 8 {
                    raw
                } else {
                    raw & ((1u64 << (8 * len)) - 1)
                }
            } else {
                WordTable::pack(&bytes[start..i])
            };
            // ASCII digits and lower-case letters have bit 0x20 set, upper-case letters do not:
            // setting it in every byte lower-cases the packed token.
            let filled = if len >= 8 { u64::MAX } else { (1u64 << (8 * len)) - 1 };
            let folded_key = orig_key | (0x2020_2020_2020_2020 & filled);
            let mut upper = folded_key != orig_key;
            if len > 8 && !upper {
                upper = bytes[start + 8..i].iter().any(u8::is_ascii_uppercase);
            }
            if i == n || bytes[i] < 0x80 {
                let orig = &text[start..i];
                let folded = if upper {
                    buf.clear();
                    buf.push_str(orig);
                    buf.make_ascii_lowercase();
                    buf.as_str()
                } else {
                    orig
                };
                f(&RawToken { folded, orig, has_upper: upper, line, folded_key, orig_key, ascii: true });
                continue;
            }
            // The token goes on with non-ASCII characters: redo it on the general path.
            i = start;
        } else {
            match text[i..].chars().next() {
                Some(c) if c.is_alphanumeric() => {}
                Some(c) => {
                    i += c.len_utf8();
                    continue;
                }
                None => break,
            }
        }
        // General path: a token starting at i with at least one non-ASCII character.
        let start = i;
        buf.clear();
        let mut has_upper = false;
        while i < n {
            let b = bytes[i];
            if b < 0x80 {
                if !ASCII_ALNUM[b as usize] {
                    break;
                }
                has_upper |= b.is_ascii_uppercase();
                buf.push(b.to_ascii_lowercase() as char);
                i += 1;
            } else {
                let Some(c) = text[i..].chars().next() else {
                    break;
                };
                if !c.is_alphanumeric() {
                    break;
                }
                has_upper |= c.is_uppercase();
                fold_char(c, buf);
                i += c.len_utf8();
            }
        }
        let orig = &text[start..i];
        f(&RawToken {
            folded: buf,
            orig,
            has_upper,
            line,
            folded_key: WordTable::pack(buf.as_bytes()),
            orig_key: WordTable::pack(orig.as_bytes()),
            // (An ASCII token followed by non-ASCII punctuation comes this way too.)
            ascii: orig.is_ascii(),
        });
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
}

/// A node of the entry trie: the entry ending here (or NONE) and the next words.
#[derive(Debug)]
struct TrieNode {
    entry: u32,
    children: Vec<(u32, u32)>,
}

impl Default for TrieNode {
    fn default() -> Self {
        TrieNode { entry: NONE, children: Vec::new() }
    }
}

/// One match of an entry or acronym for one topic.
#[derive(Clone, Copy, Debug)]
struct Match {
    topic: u16,
    role: Role,
    acronym: bool,
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
    defer_to: Vec<Vec<u16>>,
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
    for_each_token(phrase, &mut String::new(), |t| {
        let next = vocab.len() as u32;
        let id = *vocab.entry(t.folded.into()).or_insert(next);
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
                self.entries.push(Entry { words: words.clone().into_boxed_slice(), targets: Vec::new() });
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

    fn build(self, n_topics: usize) -> Matcher {
        let mut root = vec![NONE; self.vocab.len()];
        let mut nodes: Vec<TrieNode> = Vec::new();
        for (i, e) in self.entries.iter().enumerate() {
            let mut node = root[e.words[0] as usize];
            if node == NONE {
                node = nodes.len() as u32;
                nodes.push(TrieNode::default());
                root[e.words[0] as usize] = node;
            }
            for &w in &e.words[1..] {
                let next = match nodes[node as usize].children.iter().find(|c| c.0 == w) {
                    Some(&(_, child)) => child,
                    None => {
                        let child = nodes.len() as u32;
                        nodes.push(TrieNode::default());
                        nodes[node as usize].children.push((w, child));
                        child
                    }
                };
                node = next;
            }
            nodes[node as usize].entry = i as u32;
        }
        let mut acronym_targets = Vec::new();
        let mut acronym_ids = Vec::new();
        for (k, v) in &self.acronyms {
            acronym_ids.push((&**k, acronym_targets.len() as u32));
            acronym_targets.push(v.clone().into_boxed_slice());
        }
        let acronyms = WordTable::new(acronym_ids.into_iter());
        Matcher {
            words: WordTable::new(self.vocab.iter().map(|(k, &v)| (&**k, v))),
            n_words: self.vocab.len(),
            root,
            nodes,
            entries: self.entries,
            acronyms,
            acronym_targets,
            n_topics,
            name_after: self.name_after,
            name_before: self.name_before,
            topic_min: self.topic_min,
            defer_to: self.defer_to,
        }
    }
}

/// Word → id lookup tuned for the tokenizer's hot loop. Words of up to 8 bytes (nearly all)
/// are packed into a `u64` (tokens never contain a zero byte, so packing is one-to-one) and kept
/// in an open-addressing table: one multiply and usually one compare per lookup. Longer words
/// go to a hash map.
struct WordTable {
    /// (packed word, id); packed word 0 marks an empty slot.
    slots: Box<[(u64, u32)]>,
    mask: usize,
    long: FxMap<Box<str>, u32>,
    max_len: usize,
}

impl WordTable {
    fn new<'a>(words: impl Iterator<Item = (&'a str, u32)>) -> WordTable {
        let words: Vec<(&str, u32)> = words.collect();
        let size = (words.len() * 4).next_power_of_two().max(64);
        let mut slots = vec![(0u64, NONE); size].into_boxed_slice();
        let mask = size - 1;
        let mut long = FxMap::default();
        let mut max_len = 0;
        for (w, id) in words {
            max_len = max_len.max(w.len());
            if w.len() > 8 {
                long.insert(w.into(), id);
                continue;
            }
            let key = Self::pack(w.as_bytes());
            let mut i = Self::slot(key, mask);
            while slots[i].0 != 0 && slots[i].0 != key {
                i = (i + 1) & mask;
            }
            slots[i] = (key, id);
        }
        WordTable { slots, mask, long, max_len }
    }

    #[inline]
    fn pack(w: &[u8]) -> u64 {
        // A loop rather than a copy into [u8; 8]: no memcpy call for a variable length.
        let mut key = 0u64;
        for (i, &b) in w.iter().take(8).enumerate() {
            key |= u64::from(b) << (8 * i);
        }
        key
    }

    #[inline]
    fn slot(key: u64, mask: usize) -> usize {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40) as usize & mask
    }

    /// The id of `w` (whose packed form is `key`), or NONE.
    #[inline]
    fn get(&self, w: &str, key: u64) -> u32 {
        let len = w.len();
        if len > 8 {
            if len > self.max_len {
                return NONE;
            }
            return self.long.get(w).copied().unwrap_or(NONE);
        }
        if len == 0 {
            return NONE;
        }
        let mut i = Self::slot(key, self.mask);
        loop {
            let (k, id) = self.slots[i];
            if k == key {
                return id;
            }
            if k == 0 {
                return NONE;
            }
            i = (i + 1) & self.mask;
        }
    }
}

/// Compiled phrase/acronym matcher shared by the taxonomy and its taggers.
struct Matcher {
    words: WordTable,
    n_words: usize,
    /// Trie of entries over word ids: the node of each first word (or NONE), then `nodes`.
    root: Vec<u32>,
    nodes: Vec<TrieNode>,
    entries: Vec<Entry>,
    acronyms: WordTable,
    acronym_targets: Vec<Box<[u16]>>,
    n_topics: usize,
    name_after: Vec<NameRule>,
    name_before: Vec<NameRule>,
    topic_min: Vec<Option<f64>>,
    defer_to: Vec<Vec<u16>>,
}

impl fmt::Debug for Matcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Matcher")
            .field("words", &self.n_words)
            .field("entries", &self.entries.len())
            .field("acronyms", &self.acronym_targets.len())
            .finish()
    }
}

/// A token of an item that is a vocabulary word or an acronym (other tokens are not kept:
/// `pos` tells which tokens are adjacent).
#[derive(Clone, Copy)]
struct Tok {
    /// Position of the token among all tokens of title and text (a gap of one between them).
    pos: u32,
    /// Vocabulary id of the folded token, or NONE.
    word: u32,
    /// Acronym id of the original token, or NONE.
    acronym: u32,
    /// Line number in the text, or TITLE_LINE / LONG_TITLE_LINE for title tokens.
    line: u32,
    /// The original token starts with a capital letter.
    cap: bool,
}

struct Tokens {
    toks: Vec<Tok>,
    /// Number of tokens on each text line.
    line_len: Vec<u32>,
    /// Byte range of each kept token in the title or the text (only when asked for).
    spans: Vec<(u32, u32)>,
    /// The position of the text's first token.
    text_start: u32,
    /// Every token of the text was ASCII (see [`Tagger::tag_with_words`]).
    text_ascii: bool,
}

impl Tokens {
    /// Tokens `at..at + n` exist and are adjacent in the text.
    #[inline]
    fn run(&self, at: usize, n: usize) -> bool {
        n > 0 && at + n <= self.toks.len() && self.toks[at + n - 1].pos - self.toks[at].pos == (n - 1) as u32
    }
}

impl Matcher {
    /// The vocabulary words and acronyms of title and text, in order.
    fn tokenize(&self, title: &str, text: &str, with_spans: bool) -> Tokens {
        let mut toks = Vec::with_capacity(text.len() / 16 + 16);
        let mut line_len: Vec<u32> = Vec::new();
        let mut spans: Vec<(u32, u32)> = Vec::new();
        let mut buf = String::with_capacity(64);
        let mut pos = 0u32;
        let mut keep = |t: &RawToken<'_>, base: &str, line: u32, pos: u32, toks: &mut Vec<Tok>| {
            let word = self.words.get(t.folded, t.folded_key);
            let acronym = if t.has_upper { self.acronyms.get(t.orig, t.orig_key) } else { NONE };
            if word == NONE && acronym == NONE {
                return;
            }
            let cap = match t.orig.as_bytes().first() {
                Some(&b) if b < 0x80 => b.is_ascii_uppercase(),
                _ => t.orig.chars().next().is_some_and(char::is_uppercase),
            };
            toks.push(Tok { pos, word, acronym, line, cap });
            if with_spans {
                let start = t.orig.as_ptr() as usize - base.as_ptr() as usize;
                spans.push((start as u32, (start + t.orig.len()) as u32));
            }
        };
        for_each_token(title, &mut buf, |t| {
            keep(t, title, TITLE_LINE, pos, &mut toks);
            pos += 1;
        });
        if pos as usize > TITLE_MAX_TOKENS {
            for t in &mut toks {
                t.line = LONG_TITLE_LINE;
            }
        }
        pos += 1; // a gap: no phrase runs from the title into the text
        let text_start = pos;
        let mut text_ascii = true;
        for_each_token(text, &mut buf, |t| {
            text_ascii &= t.ascii;
            let l = t.line as usize;
            if line_len.len() <= l {
                line_len.resize(l + 1, 0);
            }
            line_len[l] += 1;
            keep(t, text, t.line, pos, &mut toks);
            pos += 1;
        });
        Tokens { toks, line_len, spans, text_start, text_ascii }
    }

    /// Leftmost-longest scan over the kept tokens: calls `f` once per (match, topic), in order.
    fn scan(&self, tokens: &Tokens, mut f: impl FnMut(Match)) {
        let toks = &tokens.toks;
        let n = toks.len();
        let mut i = 0;
        while i < n {
            let t = toks[i];
            // The longest entry starting here: walk the trie along adjacent tokens.
            let mut best: Option<&Entry> = None;
            if t.word != NONE {
                let mut node = self.root[t.word as usize];
                let mut j = i;
                while node != NONE {
                    let nd = &self.nodes[node as usize];
                    if nd.entry != NONE {
                        best = Some(&self.entries[nd.entry as usize]);
                    }
                    j += 1;
                    if nd.children.is_empty() || j >= n || toks[j].pos != toks[j - 1].pos + 1 {
                        break;
                    }
                    let w = toks[j].word;
                    node = nd.children.iter().find(|c| c.0 == w).map_or(NONE, |c| c.1);
                }
            }
            let acr: &[u16] = if t.acronym != NONE { &self.acronym_targets[t.acronym as usize] } else { &[] };
            let acr_match = |topic: u16| Match { topic, role: Role::Strong, acronym: true, start: i, end: i + 1 };
            let entry_match = |tg: &Target, entry: &Entry| Match {
                topic: tg.topic,
                role: tg.role,
                acronym: false,
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
    fn is_named(&self, tokens: &Tokens, start: usize, end: usize) -> bool {
        let toks = &tokens.toks;
        // The rule's words at tokens at.., adjacent to the mention's tokens start..end.
        let words_at = |at: usize, rule: &NameRule| {
            let seq = &rule.words;
            let (first, last) = if at >= end { (start, at + seq.len() - 1) } else { (at, end - 1) };
            tokens.run(first, last + 1 - first)
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
    /// Token position just after the previous mention, and whether that was an acronym (for
    /// "Expansion (ACR)").
    last_end: u32,
    last_acronym: bool,
}

/// What the rule found for one topic in one item.
#[derive(Clone, Copy)]
struct Verdict {
    mentions: u32,
    phrase: u32,
    acronym: u32,
    weak: u32,
    in_title: bool,
    evidence: f64,
    tagged: bool,
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
        self.tagged(self.judge(title, text))
    }

    fn tagged(&self, verdicts: Vec<(u16, Verdict)>) -> Vec<TopicTag> {
        verdicts
            .into_iter()
            .filter(|(_, e)| e.tagged)
            .map(|(t, e)| TopicTag { key: self.keys[t as usize].clone(), mentions: e.mentions })
            .collect()
    }

    /// [`Tagger::tag`], and the text's words that are in the taxonomy's
    /// vocabulary: (position in the text, [`Tagger::word_id`]), in order. Those
    /// are `None` when a word of the text has a non-ASCII letter or digit (the
    /// tagger's folding of those may differ from the index analyzer's); where
    /// they are given, the positions are the index's and the words are the
    /// analyzer's, so indexing can find taxonomy phrases from them alone.
    pub fn tag_with_words(&self, title: &str, text: &str) -> (Vec<TopicTag>, Option<Vec<(u32, u32)>>) {
        let tokens = self.matcher.tokenize(title, text, false);
        let words = tokens.text_ascii.then(|| {
            // Sized once: a filtered iterator gives `collect` no length to go by.
            let mut words = Vec::with_capacity(tokens.toks.len());
            words.extend(
                tokens
                    .toks
                    .iter()
                    .filter(|t| t.pos >= tokens.text_start && t.word != NONE)
                    .map(|t| (t.pos - tokens.text_start, t.word)),
            );
            words
        });
        (self.tagged(self.judge_tokens(&tokens)), words)
    }

    /// The vocabulary id of a word (lower-case, as the tagger folds it).
    pub fn word_id(&self, word: &str) -> Option<u32> {
        let id = self.matcher.words.get(word, WordTable::pack(word.as_bytes()));
        (id != NONE).then_some(id)
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
        self.judge(title, text)
            .into_iter()
            .map(|(t, e)| TopicEvidence {
                key: self.keys[t as usize].clone(),
                mentions: e.mentions,
                phrase_mentions: e.phrase,
                acronym_mentions: e.acronym,
                weak_mentions: e.weak,
                in_title: e.in_title,
                evidence: e.evidence,
                tagged: e.tagged,
            })
            .collect()
    }

    /// The verdict for every topic with at least one mention, in key order.
    fn judge(&self, title: &str, text: &str) -> Vec<(u16, Verdict)> {
        self.judge_tokens(&self.matcher.tokenize(title, text, false))
    }

    fn judge_tokens(&self, tokens: &Tokens) -> Vec<(u16, Verdict)> {
        let m = &*self.matcher;
        let r = &self.rules;
        let mut hits: Vec<Match> = Vec::new();
        m.scan(tokens, |mt| {
            if mt.role != Role::Exclude {
                hits.push(mt);
            }
        });
        let mut acc = vec![Acc { last_end: NONE, ..Acc::default() }; m.n_topics];
        for h in &hits {
            let a = &mut acc[h.topic as usize];
            let line = tokens.toks[h.start].line;
            let named = m.is_named(tokens, h.start, h.end);
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
                if a.last_end == tokens.toks[h.start].pos && a.last_acronym != h.acronym {
                    ev = 0.0;
                }
                a.last_end = tokens.toks[h.end - 1].pos + 1;
                a.last_acronym = h.acronym;
                if h.acronym {
                    a.acronym += 1;
                } else {
                    a.phrase += 1;
                }
                a.strong_ev += ev;
            }
        }
        // defer_to: a topic whose every strong mention is shared with a topic it defers to, which
        // has mentions of its own, is left to that topic.
        let strong = |h: &&Match| h.role == Role::Strong;
        let at = |h: &Match, topic: usize| {
            hits.iter().any(|o| (o.start, o.end) == (h.start, h.end) && o.topic as usize == topic)
        };
        let mut deferred = vec![false; m.n_topics];
        for (t, to) in m.defer_to.iter().enumerate() {
            if to.is_empty() || acc[t].phrase + acc[t].acronym == 0 {
                continue;
            }
            let all_shared = hits
                .iter()
                .filter(|h| h.topic as usize == t)
                .filter(strong)
                .all(|h| to.iter().any(|&s| at(h, s as usize)));
            let other_has_own =
                to.iter().any(|&s| hits.iter().filter(|h| h.topic == s).filter(strong).any(|h| !at(h, t)));
            deferred[t] = all_shared && other_has_own;
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
            out.push((
                ti,
                Verdict {
                    mentions,
                    phrase: a.phrase,
                    acronym: a.acronym,
                    weak: a.weak,
                    in_title: a.title,
                    evidence,
                    tagged,
                },
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small taxonomy with explicit rules, so tests do not depend on the shipped tuning.
    const SMALL: &str = r#"
[rules]
min_evidence = 2
weak_weight = 0.5
heading_words = 0
name_after = ["Panel", "website"]
name_before = ["Head of"]
name_weight = 0

[[topic]]
key = "domestic_abuse"
label = "Domestic abuse"
phrases = ["domestic violence", "domestic abuse", "coercive control"]
acronyms = ["DA", "DV"]

[[topic]]
key = "missing"
label = "Missing children"
phrases = ["missing children", "missing from home", "return home interviews"]
weak_phrases = ["missing"]
exclude = ["children missing education", "missing education"]

[[topic]]
key = "early_help"
label = "Early help"
phrases = ["early help", "children's centre", "children's centres", "family hubs"]
min_evidence = 1

[[topic]]
key = "safeguarding_partnership"
label = "Safeguarding partnership"
phrases = ["area child protection committee", "safeguarding children board"]
acronyms = ["LSCB"]
min_evidence = 1

[[topic]]
key = "child_protection"
label = "Child protection"
phrases = ["child protection", "child protection plan", "child protection plans"]

[[topic]]
key = "cse"
label = "Child sexual exploitation"
phrases = ["child sexual exploitation", "child exploitation"]
acronyms = ["CSE"]
defer_to = ["criminal_exploitation"]

[[topic]]
key = "criminal_exploitation"
label = "Criminal exploitation"
phrases = ["county lines", "child exploitation"]

[[topic]]
key = "mash_referrals"
label = "MASH"
phrases = ["multi agency safeguarding hub"]
acronyms = ["MASH"]

[[topic]]
key = "care_leavers"
label = "Care leavers"
phrases = ["care leaver", "care leavers"]
min_evidence = 1

[[topic]]
key = "looked_after"
label = "Looked after"
phrases = ["corporate parenting", "children in care"]
min_evidence = 1
"#;

    fn small() -> Taxonomy {
        match Taxonomy::from_toml(SMALL, "small.toml") {
            Ok(t) => t,
            Err(e) => panic!("test taxonomy does not load: {e}"),
        }
    }

    fn tags(tagger: &Tagger, title: &str, text: &str) -> Vec<(String, u32)> {
        tagger.tag(title, text).into_iter().map(|t| (t.key, t.mentions)).collect()
    }

    fn keys(tagger: &Tagger, title: &str, text: &str) -> Vec<String> {
        tagger.tag(title, text).into_iter().map(|t| t.key).collect()
    }

    fn count(tagger: &Tagger, key: &str, text: &str) -> usize {
        tagger.mentions("", text).iter().filter(|m| m.key == key).count()
    }

    fn tokens(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_token(text, &mut String::new(), |t| out.push(t.folded.to_string()));
        out
    }

    #[test]
    fn tokenizer_splits_on_every_non_alphanumeric_character() {
        assert_eq!(tokens("children's"), ["children", "s"]);
        assert_eq!(tokens("Children’s Multi-Agency"), ["children", "s", "multi", "agency"]);
        assert_eq!(tokens("Multi?Agency  e-safety"), ["multi", "agency", "e", "safety"]);
        assert_eq!(tokens("a\u{a0}b\u{2011}c"), ["a", "b", "c"]); // no-break space, non-breaking hyphen
        assert_eq!(tokens("Section 47 s47"), ["section", "47", "s47"]);
        assert_eq!(tokens(""), Vec::<String>::new());
        assert_eq!(tokens("  ,;  "), Vec::<String>::new());
    }

    #[test]
    fn tokenizer_agrees_with_a_plain_char_by_char_reference() {
        // Pseudo-random texts over an alphabet with ASCII, accents, punctuation and newlines.
        let mixed: Vec<char> = "aZ9 .-'\n’éÉ ßﬁ\u{a0}xY0_".chars().collect();
        let wordy: Vec<char> = "abcdefghijKLMNOP0123456789é ".chars().collect();
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for len in 0..600 {
            let alphabet = if len % 2 == 0 { &mixed } else { &wordy };
            let text: String = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    alphabet[(seed % alphabet.len() as u64) as usize]
                })
                .collect();
            let mut want = Vec::new();
            let mut cur = (String::new(), String::new());
            let mut line = 0;
            for c in text.chars().chain(std::iter::once(' ')) {
                if c.is_alphanumeric() {
                    fold_char(c, &mut cur.0);
                    cur.1.push(c);
                } else {
                    if !cur.1.is_empty() {
                        want.push((std::mem::take(&mut cur.0), std::mem::take(&mut cur.1), line));
                    }
                    if c == '\n' {
                        line += 1;
                    }
                }
            }
            let mut got = Vec::new();
            for_each_token(&text, &mut String::new(), |t| {
                assert_eq!(t.folded_key, WordTable::pack(t.folded.as_bytes()), "{text:?}");
                assert_eq!(t.orig_key, WordTable::pack(t.orig.as_bytes()), "{text:?}");
                assert_eq!(t.has_upper, t.orig.chars().any(char::is_uppercase), "{text:?}");
                got.push((t.folded.to_string(), t.orig.to_string(), t.line));
            });
            assert_eq!(got, want, "{text:?}");
        }
    }

    #[test]
    fn tokenizer_folds_case_accents_and_ligatures() {
        assert_eq!(tokens("Protégé NAÏVE Ŵyn"), ["protege", "naive", "wyn"]);
        assert_eq!(tokens("ﬁnancial Straße"), ["financial", "strasse"]);
        // Long tokens and a mix of ASCII and non-ASCII in one token.
        assert_eq!(tokens("SAFEGUARDING café-Über"), ["safeguarding", "cafe", "uber"]);
    }

    #[test]
    fn acronyms_are_case_sensitive_whole_tokens() {
        let tagger = Tagger::new(&small());
        assert_eq!(count(&tagger, "domestic_abuse", "The DA service grew."), 1);
        assert_eq!(count(&tagger, "domestic_abuse", "the da service and Da and dA"), 0);
        assert_eq!(count(&tagger, "domestic_abuse", "DAs DAILY ADA"), 0);
        assert_eq!(count(&tagger, "domestic_abuse", "(DV)/DA-related"), 2);
    }

    #[test]
    fn phrases_match_whole_words_ignoring_case_and_punctuation() {
        let tagger = Tagger::new(&small());
        assert_eq!(count(&tagger, "domestic_abuse", "DOMESTIC VIOLENCE, Domestic-Violence, domestic\nviolence"), 3);
        // Not inside longer words, and no unlisted word forms.
        assert_eq!(count(&tagger, "domestic_abuse", "nondomestic violence, domestic violences, domesticviolence"), 0);
    }

    #[test]
    fn apostrophes_split_words_so_children_s_matches_both_spellings() {
        let tagger = Tagger::new(&small());
        assert_eq!(count(&tagger, "early_help", "the children's centre and the Children’s Centre"), 2);
        assert_eq!(count(&tagger, "early_help", "two childrens centres"), 0); // "childrens" is another word
        assert_eq!(count(&tagger, "early_help", "three children's centres"), 1);
        // listed plural
    }

    #[test]
    fn plural_forms_count_only_when_listed() {
        let tagger = Tagger::new(&small());
        assert_eq!(count(&tagger, "care_leavers", "A care leaver spoke; care leavers asked; care leaverz"), 2);
        assert_eq!(count(&tagger, "child_protection", "a child protection plan and two child protection plans"), 2);
    }

    #[test]
    fn exclusions_hide_the_words_inside_them() {
        let tagger = Tagger::new(&small());
        let cme = "The report covered children missing education and pupils missing education.";
        assert_eq!(count(&tagger, "missing", cme), 0);
        assert_eq!(keys(&tagger, "", cme), Vec::<String>::new());
        let text = "Missing children were found. Police said the children were missing from home twice.";
        assert_eq!(count(&tagger, "missing", text), 2);
        assert_eq!(keys(&tagger, "", text), ["missing"]);
    }

    #[test]
    fn weak_phrases_need_a_phrase_or_acronym_of_their_topic() {
        let tagger = Tagger::new(&small());
        // "missing" alone, however often, is not the topic.
        assert!(keys(&tagger, "", "Two forms were missing. A signature was missing. Data is missing.").is_empty());
        // One phrase plus two weak words: 1 + 0.5 + 0.5 reaches 2.
        let text = "Missing children are a concern. Several were missing twice; one is still missing.";
        assert_eq!(tags(&tagger, "", text), [("missing".to_string(), 3)]);
        // One phrase plus one weak word: 1.5 is not enough.
        assert!(keys(&tagger, "", "Missing children are a concern. One was missing twice.").is_empty());
    }

    #[test]
    fn one_passing_mention_is_not_enough_but_a_sentence_pair_is() {
        let tagger = Tagger::new(&small());
        assert!(keys(&tagger, "", "Officers also mentioned domestic abuse among many other pressures.").is_empty());
        let text = "Domestic abuse referrals rose. The panel heard how coercive control harms children.";
        assert_eq!(tags(&tagger, "", text), [("domestic_abuse".to_string(), 2)]);
    }

    #[test]
    fn a_title_mention_tags_the_item() {
        let tagger = Tagger::new(&small());
        assert_eq!(
            tags(&tagger, "Domestic Abuse Strategy", "The strategy was agreed."),
            [("domestic_abuse".into(), 1)]
        );
        // A "title" longer than a title can be is treated as text.
        let long_title = format!("{} domestic abuse", "word ".repeat(40));
        assert!(keys(&tagger, &long_title, "").is_empty());
        // Phrases never run from the title into the text.
        assert!(keys(&tagger, "Update on domestic", "violence figures").is_empty());
    }

    #[test]
    fn topic_min_evidence_overrides_the_default() {
        let tagger = Tagger::new(&small());
        assert_eq!(keys(&tagger, "", "A new offer for care leavers was approved by the committee."), ["care_leavers"]);
    }

    #[test]
    fn mentions_that_are_part_of_a_name_add_no_evidence() {
        let tagger = Tagger::new(&small());
        // "Corporate Parenting Panel" names a committee; "Head of Early Help" is a job title.
        assert!(keys(&tagger, "", "Minutes of the Corporate Parenting Panel were agreed as a record.").is_empty());
        assert!(keys(&tagger, "", "The Head of Early Help gave apologies for the meeting today.").is_empty());
        // The name word must be capitalised when the rule is written with a capital…
        assert_eq!(keys(&tagger, "", "They discussed corporate parenting panel duties at length."), ["looked_after"]);
        // …and matches any case when written in lower case.
        assert!(keys(&tagger, "", "See the Safeguarding Children Board Website for the full report.").is_empty());
        // Such mentions are still counted.
        assert_eq!(count(&tagger, "looked_after", "the Corporate Parenting Panel"), 1);
        // And a name in the title does not tag the item.
        assert!(keys(&tagger, "Corporate Parenting Panel - 3 March 2020", "Apologies were received.").is_empty());
    }

    #[test]
    fn an_acronym_after_its_expansion_is_one_mention_of_evidence() {
        let tagger = Tagger::new(&small());
        let text = "The Multi-Agency Safeguarding Hub (MASH) opened in May, staffed by police and social workers.";
        let ev = tagger.analyse("", text);
        assert_eq!(ev.len(), 1);
        assert_eq!((ev[0].key.as_str(), ev[0].mentions, ev[0].evidence), ("mash_referrals", 2, 1.0));
        assert!(!ev[0].tagged);
        // Apart, they are two mentions of evidence.
        let text = "The Multi-Agency Safeguarding Hub opened in May. Since then the MASH has handled contacts.";
        assert_eq!(keys(&tagger, "", text), ["mash_referrals"]);
    }

    #[test]
    fn the_longest_entry_wins_and_counts_only_for_topics_listing_it() {
        let tagger = Tagger::new(&small());
        let text = "The Area Child Protection Committee met in 1996.";
        assert_eq!(count(&tagger, "safeguarding_partnership", text), 1);
        assert_eq!(count(&tagger, "child_protection", text), 0);
        assert_eq!(count(&tagger, "child_protection", "child protection plans"), 1);
        // not 2
    }

    #[test]
    fn shared_phrases_count_for_every_topic_listing_them() {
        let tagger = Tagger::new(&small());
        // Generic child exploitation, no kind named: both topics.
        let text = "Child exploitation is rising. The child exploitation team grew.";
        assert_eq!(keys(&tagger, "", text), ["criminal_exploitation", "cse"]);
        // With county lines named, cse (defer_to) leaves the item to criminal exploitation.
        let text = "Child exploitation is rising, linked to county lines. The child exploitation team grew.";
        assert_eq!(keys(&tagger, "", text), ["criminal_exploitation"]);
        // With CSE named too, both stay.
        let text = "Child exploitation, including CSE and county lines, is rising. CSE cases doubled.";
        assert_eq!(keys(&tagger, "", text), ["criminal_exploitation", "cse"]);
    }

    #[test]
    fn tags_are_sorted_by_key_with_mention_counts() {
        let tagger = Tagger::new(&small());
        let text = "Domestic abuse and DV were discussed. Care leavers asked about children's centres. \
                    Family hubs will replace each children's centre.";
        assert_eq!(
            tags(&tagger, "", text),
            [("care_leavers".to_string(), 1), ("domestic_abuse".to_string(), 2), ("early_help".to_string(), 3)]
        );
    }

    #[test]
    fn mention_spans_point_into_title_and_text() {
        let tagger = Tagger::new(&small());
        let title = "DV update";
        let text = "Figures on domestic  violence (DA) rose.";
        let ms = tagger.mentions(title, text);
        let got: Vec<(bool, &str, &str)> = ms
            .iter()
            .map(|m| (m.in_title, m.kind, if m.in_title { &title[m.start..m.end] } else { &text[m.start..m.end] }))
            .collect();
        assert_eq!(got, [(true, "acronym", "DV"), (false, "phrase", "domestic  violence"), (false, "acronym", "DA")]);
        let text = "Ça: the Children’s Centre";
        let ms = tagger.mentions("", text);
        assert_eq!(&text[ms[0].start..ms[0].end], "Children’s Centre");
    }

    #[test]
    fn topics_in_query_finds_phrases_weak_phrases_and_exact_acronyms() {
        let tax = small();
        assert_eq!(tax.topics_in_query("county lines in schools"), ["criminal_exploitation"]);
        assert_eq!(tax.topics_in_query("\"Domestic Violence\" AND missing"), ["domestic_abuse", "missing"]);
        assert_eq!(tax.topics_in_query("CSE"), ["cse"]);
        assert!(tax.topics_in_query("cse da").is_empty());
        assert!(tax.topics_in_query("children missing education").is_empty());
        assert!(tax.topics_in_query("").is_empty());
        // Taxonomy order, each key once.
        assert_eq!(tax.topics_in_query("LSCB and DV and LSCB"), ["domestic_abuse", "safeguarding_partnership"]);
    }

    fn load_err(text: &str) -> TaxonomyError {
        match Taxonomy::from_toml(text, "bad.toml") {
            Ok(_) => panic!("expected an error for:\n{text}"),
            Err(e) => e,
        }
    }

    #[test]
    fn duplicate_keys_are_reported_with_both_lines() {
        let text = "[[topic]]\nkey = \"cse\"\nlabel = \"A\"\nphrases = [\"x\"]\n\n[[topic]]\nkey = \"cse\"\nlabel = \"B\"\nphrases = [\"y\"]\n";
        let e = load_err(text);
        assert!(matches!(&e, TaxonomyError::DuplicateKey { key, line: 7, first_line: 2, .. } if key == "cse"), "{e:?}");
        assert_eq!(e.line(), Some(7));
        let msg = e.to_string();
        assert!(msg.starts_with("bad.toml:7:7: duplicate topic key \"cse\""), "{msg}");
    }

    #[test]
    fn type_errors_and_unknown_fields_name_the_line() {
        let e = load_err("[[topic]]\nkey = \"cse\"\nlabel = \"A\"\nphrases = \"child sexual exploitation\"\n");
        assert!(matches!(e, TaxonomyError::Syntax { line: 4, .. }), "{e:?}");
        assert!(e.to_string().starts_with("bad.toml:4:"), "{e}");

        let e = load_err("[[topic]]\nkey = \"cse\"\nlabel = \"A\"\nphrase = [\"x\"]\n");
        assert!(matches!(e, TaxonomyError::Syntax { line: 4, .. }), "{e:?}");
        assert!(e.to_string().contains("phrase"), "{e}");

        let e = load_err("[rules]\nmin_evidence = \"two\"\n[[topic]]\nkey = \"a\"\nlabel = \"A\"\nphrases = [\"x\"]\n");
        assert_eq!(e.line(), Some(2), "{e}");

        let e = load_err("[[topic]]\nkey = \"cse\"\nlabel = \"A\"\nphrases = [\"x\"\n");
        assert!(matches!(e, TaxonomyError::Syntax { .. }), "{e:?}");
    }

    #[test]
    fn invalid_values_are_explained() {
        let cases: &[(&str, usize, &str)] = &[
            ("[[topic]]\nkey = \"a\"\nlabel = \"A\"\nphrases = [\"x\", \" -- \"]\n", 4, "empty phrase"),
            ("[[topic]]\nkey = \"a\"\nlabel = \"A\"\nphrases = [\"x\"]\nacronyms = [\"D A\"]\n", 5, "one word"),
            ("[[topic]]\nkey = \"a\"\nlabel = \"A\"\nphrases = [\"x\"]\nacronyms = [\"dv\"]\n", 5, "capital"),
            ("[[topic]]\nkey = \"Bad Key\"\nlabel = \"A\"\nphrases = [\"x\"]\n", 2, "a-z"),
            ("[[topic]]\nkey = \"a\"\nlabel = \" \"\nphrases = [\"x\"]\n", 3, "empty label"),
            ("[[topic]]\nkey = \"a\"\nlabel = \"A\"\n", 2, "no phrases"),
            ("[[topic]]\nkey = \"a\"\nlabel = \"A\"\nphrases = [\"Foster care\", \"foster-care\"]\n", 4, "twice"),
            ("[[topic]]\nkey = \"a\"\nlabel = \"A\"\nphrases = [\"x\"]\nexclude = [\"X\"]\n", 5, "twice"),
            ("[[topic]]\nkey = \"a\"\nlabel = \"A\"\nphrases = [\"x\"]\nmin_evidence = -1\n", 5, "min_evidence"),
            (
                "[rules]\nweak_weight = -0.5\n[[topic]]\nkey = \"a\"\nlabel = \"A\"\nphrases = [\"x\"]\n",
                2,
                "weak_weight",
            ),
            (
                "[rules]\nname_after = [\"!\"]\n[[topic]]\nkey = \"a\"\nlabel = \"A\"\nphrases = [\"x\"]\n",
                2,
                "name_after",
            ),
            ("[[topic]]\nkey = \"a\"\nlabel = \"A\"\nphrases = [\"x\"]\ndefer_to = [\"b\"]\n", 5, "defer_to"),
            ("[[topic]]\nkey = \"a\"\nlabel = \"A\"\nphrases = [\"x\"]\ndefer_to = [\"a\"]\n", 5, "another topic"),
        ];
        for (text, line, needle) in cases {
            let e = load_err(text);
            assert_eq!(e.line(), Some(*line), "{e}");
            assert!(e.to_string().contains(needle), "{e} should mention {needle}");
            assert!(e.to_string().starts_with(&format!("bad.toml:{line}:")), "{e}");
        }
        assert!(matches!(load_err("# nothing\n"), TaxonomyError::NoTopics { .. }));
        let e = match Taxonomy::load(Path::new("/nonexistent/topics.toml")) {
            Ok(_) => panic!("loaded a missing file"),
            Err(e) => e,
        };
        assert!(matches!(e, TaxonomyError::Io { .. }) && e.to_string().contains("/nonexistent/topics.toml"), "{e}");
    }

    #[test]
    fn hash_is_stable_under_layout_and_changes_with_content() {
        let base = small().hash();
        assert_eq!(base.len(), 32);
        assert!(base.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(base, small().hash());

        let rehash = |from: &str, to: &str| {
            assert!(SMALL.contains(from), "{from}");
            match Taxonomy::from_toml(&SMALL.replacen(from, to, 1), "x.toml") {
                Ok(t) => t.hash(),
                Err(e) => panic!("{e}"),
            }
        };
        // Same meaning: comments, case, punctuation, order, labels.
        assert_eq!(rehash("[rules]", "# a comment\n[rules]"), base);
        assert_eq!(
            rehash("\"domestic violence\", \"domestic abuse\"", "\"domestic abuse\", \"Domestic-Violence\""),
            base
        );
        assert_eq!(rehash("label = \"Domestic abuse\"", "label = \"Domestic violence and abuse\""), base);
        // Different meaning.
        assert_ne!(rehash("\"coercive control\"", "\"coercive controls\""), base);
        assert_ne!(rehash("acronyms = [\"DA\", \"DV\"]", "acronyms = [\"DA\"]"), base);
        assert_ne!(rehash("weak_phrases = [\"missing\"]", "weak_phrases = [\"missing\", \"absent\"]"), base);
        assert_ne!(rehash("exclude = [\"children missing education\", ", "exclude = ["), base);
        assert_ne!(rehash("min_evidence = 2", "min_evidence = 3"), base);
        assert_ne!(rehash("defer_to = [\"criminal_exploitation\"]", "defer_to = []"), base);
        assert_ne!(rehash("name_after = [\"Panel\"", "name_after = [\"panel\""), base);
        assert_ne!(rehash("key = \"care_leavers\"", "key = \"leaving_care\""), base);
    }

    #[test]
    fn types_are_shareable_between_threads() {
        fn assert_send_sync<T: Send + Sync + Clone + fmt::Debug>() {}
        assert_send_sync::<Taxonomy>();
        assert_send_sync::<Tagger>();
        let tagger = Tagger::new(&small());
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| assert_eq!(keys(&tagger, "", "Domestic abuse and DV"), ["domestic_abuse"]));
            }
        });
    }

    /// The shipped file, found next to this source file (`src/tag.rs` → `index-schema/`).
    fn shipped() -> Taxonomy {
        let src = Path::new(file!());
        let src = if src.is_relative() { Path::new(env!("CARGO_MANIFEST_DIR")).join(src) } else { src.to_path_buf() };
        let path = src.parent().and_then(Path::parent).map(|root| root.join("index-schema/topics.toml"));
        match path.map(|p| Taxonomy::load(&p)) {
            Some(Ok(t)) => t,
            Some(Err(e)) => panic!("{e}"),
            None => panic!("cannot locate index-schema/topics.toml from {}", file!()),
        }
    }

    #[test]
    fn shipped_taxonomy_has_the_27_keys() {
        let tax = shipped();
        let want = [
            "domestic_abuse",
            "cse",
            "criminal_exploitation",
            "missing",
            "child_protection",
            "mash_referrals",
            "lado",
            "ofsted",
            "looked_after",
            "care_leavers",
            "early_help",
            "neglect",
            "fgm",
            "prevent",
            "private_fostering",
            "online_safety",
            "practice_reviews",
            "safeguarding_partnership",
            "adoption",
            "fostering",
            "workforce",
            "mental_health",
            "send",
            "youth_justice",
            "home_education",
            "trafficking",
            "uasc",
        ];
        let mut got: Vec<&str> = tax.topics().iter().map(|t| t.key.as_str()).collect();
        got.sort_unstable();
        let mut want = want.to_vec();
        want.sort_unstable();
        assert_eq!(got, want);
        for t in tax.topics() {
            assert!(!t.label.is_empty() && !t.description.is_empty() && !t.phrases.is_empty(), "{}", t.key);
        }
        assert!(tax.get("cse").is_some_and(|t| t.acronyms.iter().any(|a| a == "CSE")));
        assert!(tax.get("nope").is_none());
    }

    #[test]
    fn shipped_taxonomy_follows_the_label_conventions() {
        let tax = shipped();
        let tagger = Tagger::new(&tax);
        let k = |title: &str, text: &str| keys(&tagger, title, text);
        assert_eq!(tax.topics_in_query("county lines in schools"), ["criminal_exploitation"]);
        assert!(tax.topics_in_query("child prostitution").contains(&"cse"));
        // Generic exploitation: both; gangs and county lines: criminal only.
        assert_eq!(
            k("Child exploitation update", "Work on child exploitation across the county was reviewed by members."),
            ["criminal_exploitation", "cse"]
        );
        assert_eq!(
            k("Gangs and county lines", "Members heard how gangs recruit children to run drugs on county lines."),
            ["criminal_exploitation"]
        );
        // Historical names.
        assert!(k("", "The Area Child Protection Committee agreed its annual plan for the year ahead.")
            .contains(&"safeguarding_partnership".to_string()));
        assert!(k("", "A serious case review was commissioned by the board after the death of a baby.")
            .contains(&"practice_reviews".to_string()));
        assert!(k("Domestic Homicide Review", "The review panel met.").contains(&"domestic_abuse".to_string()));
        assert!(k("IRO annual report", "Independent reviewing officers chaired reviews of care plans.")
            .contains(&"looked_after".to_string()));
        assert_eq!(k("Family Hubs", "Six family hubs will open next year."), ["early_help"]);
        assert_eq!(k("Troubled Families Programme", "The programme worked with families."), ["early_help"]);
        // Children missing education alone is not `missing`; home education is its own topic.
        let cme = "The children missing education team tracked pupils who left school rolls without a new place.";
        assert!(!k("", cme).contains(&"missing".to_string()));
        assert!(k("Elective home education", "Families who home educate were offered visits.")
            .contains(&"home_education".to_string()));
        // Acronyms are case-sensitive.
        assert_eq!(k("CSE", ""), ["cse"]);
        assert!(k("cse", "").is_empty());
    }
}
