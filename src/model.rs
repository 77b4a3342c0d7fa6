//! The domain: a source file holds one page; a page records meetings and their
//! agenda items; long items are split into chunks for indexing.

use crate::parse::dates::Date;
use crate::tag::TopicTag;
use std::ops::Range;

/// One agenda item (or headed section) with everything known about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// `<source_id>-<ordinal>`: stable while the source path stays the same.
    pub id: String,
    /// Position of the item in its source, from 0.
    pub ordinal: u32,
    pub council: Option<String>,
    pub committee: Option<String>,
    /// Normalised committee name for filters and counts.
    pub committee_key: Option<String>,
    pub meeting_date: Option<Date>,
    pub item_number: Option<String>,
    pub item_title: Option<String>,
    pub page_type: String,
    pub topics: Vec<TopicTag>,
    /// Path of the source file.
    pub source: String,
    pub url: Option<String>,
    pub text: String,
    /// Byte ranges of `text`, in order, covering it exactly once.
    pub chunks: Vec<Range<usize>>,
    /// The text's words in the taxonomy's vocabulary, as (position, tagger
    /// word id), when tagging could read them as the index does (see
    /// `Tagger::tag_with_words`): indexing finds the taxonomy's phrases in them.
    pub vocabulary_words: Option<Vec<(u32, u32)>>,
}

/// A source file turned into items.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceDoc {
    pub source: String,
    pub source_id: String,
    pub items: Vec<Item>,
    /// Problems that did not stop the file from being indexed (a bad sidecar…).
    pub warnings: Vec<String>,
}

/// The id of a source: a hash of its path, so a moved file is a new source.
pub fn source_id(source: &str) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(source.as_bytes()))
}

/// Normalised key for a council name (filters, counts).
pub fn council_key(name: &str) -> String {
    crate::parse::committee::committee_key(name)
}
