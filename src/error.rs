//! Error kinds and the exit codes they map to (DESIGN.md): 0 ok, 1 runtime
//! failure, 2 bad usage or bad query, 3 index missing or locked.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No index where the user pointed.
    #[error("no sgsearch index at {}\n\nCreate one with `sgsearch index PATH…`, or point --index (or SGSEARCH_INDEX) at an existing index", path.display())]
    IndexMissing { path: PathBuf },
    /// Another process holds the writer lock.
    #[error("the index at {} is being written by another sgsearch process\n\nWait for that run to finish, then try again", path.display())]
    IndexLocked { path: PathBuf },
    /// The index was built by an incompatible schema.
    #[error("the index at {} was built with a different schema ({found}); this sgsearch writes schema {expected}\n\nRebuild it: sgsearch index --rebuild PATH…", path.display())]
    SchemaMismatch { path: PathBuf, found: String, expected: String },
    /// Bad command-line usage: the message says what and how to fix it.
    #[error("{0}")]
    Usage(String),
    /// A malformed query: shown like a compiler error, pointing at the position.
    #[error("{0}")]
    Query(Box<crate::query::QueryError>),
    /// A data file the user controls (taxonomy, schema) is invalid.
    #[error("{0}")]
    Data(String),
    #[error("{context}: {source}")]
    Io { context: String, source: std::io::Error },
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

impl Error {
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) | Error::Query(_) => 2,
            Error::IndexMissing { .. } | Error::IndexLocked { .. } => 3,
            Error::SchemaMismatch { .. } | Error::Data(_) | Error::Io { .. } | Error::Tantivy(_) => 1,
        }
    }

    pub fn io(context: impl Into<String>, source: std::io::Error) -> Error {
        Error::Io { context: context.into(), source }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
