//! sgsearch: full-text search over UK council children's-safeguarding minutes,
//! agenda items, decisions and safeguarding-board reports.
//!
//! Data flows one way:
//!
//! ```text
//! write:  sources (walk, decode, HTML, metadata) -> parse (layouts, dates, committees,
//!         item numbers) -> chunk -> tag (topics) -> index (tantivy, catalog, commits)
//! read:   query -> search (rank, collapse per item) -> present (snippets, JSON, text)
//! ```
//!
//! `ingest` runs the write stages for one file; `index::writer` runs them over
//! folders on every core.

pub mod chunk;
pub mod cli;
pub mod error;
pub mod gen;
pub mod index;
pub mod ingest;
pub mod model;
pub mod parse;
pub mod present;
pub mod query;
pub mod schema;
pub mod search;
pub mod sources;
pub mod stem;
pub mod tag;
pub mod tokenize;
