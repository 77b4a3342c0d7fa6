//! The catalog of indexed sources (path -> content hash, size, mtime, counts) and
//! the commit payload that points at it.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use tantivy::Index;

/// What sgsearch stores in each commit's payload.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Payload {
    pub format: u32,
    /// File name (inside the index directory) of this commit's catalog.
    pub catalog: String,
    pub taxonomy_hash: String,
    pub schema_hash: String,
    pub pipeline_version: u32,
    /// Unix seconds.
    pub committed_at: i64,
    pub sources: u64,
    pub items: u64,
    pub chunks: u64,
}

/// One indexed source.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct SourceRecord {
    /// xxh3-128 of the file's bytes, hex.
    pub hash: String,
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch (0 if unknown).
    pub mtime_ns: i64,
    pub items: u32,
    pub chunks: u32,
    /// Fingerprint of the sidecar/manifest metadata it was indexed with.
    #[serde(default)]
    pub meta: String,
}

/// Every source in the index, by path.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Catalog {
    pub sources: BTreeMap<String, SourceRecord>,
}

impl Catalog {
    pub fn items(&self) -> u64 {
        self.sources.values().map(|r| u64::from(r.items)).sum()
    }
    pub fn chunks(&self) -> u64 {
        self.sources.values().map(|r| u64::from(r.chunks)).sum()
    }
}

/// The payload of the last commit, if sgsearch wrote one.
pub fn read_payload(index: &Index) -> Result<Option<Payload>> {
    let metas = index.load_metas()?;
    let Some(text) = metas.payload else { return Ok(None) };
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| Error::Data(format!("the index's commit payload is not sgsearch's ({e}); rebuild with --rebuild")))
}

/// Loads the catalog named by `payload` (empty for a new index).
pub fn load(dir: &Path, payload: Option<&Payload>) -> Result<Catalog> {
    let Some(p) = payload else { return Ok(Catalog::default()) };
    let path = dir.join(&p.catalog);
    let bytes = std::fs::read(&path).map_err(|e| Error::io(format!("reading the catalog {}", path.display()), e))?;
    serde_json::from_slice(&bytes)
        .map_err(|e| Error::Data(format!("{}: corrupt catalog ({e}); rebuild with --rebuild", path.display())))
}

/// Writes the catalog for the commit about to happen and returns its file name.
pub fn save(dir: &Path, catalog: &Catalog, sequence: u64) -> Result<String> {
    let name = format!("catalog-{sequence}.json");
    let bytes = serde_json::to_vec(catalog).map_err(|e| Error::Data(format!("serialising the catalog: {e}")))?;
    write_atomic(&dir.join(&name), &bytes)?;
    Ok(name)
}

/// Removes catalog files other than `keep` (older commits' catalogs).
pub fn remove_stale(dir: &Path, keep: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("catalog-") && name.ends_with(".json") && name != keep {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Writes a file so that readers see the old or the new content, never a torn one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("tmp");
    let ctx = |what: &str| format!("{what} {}", path.display());
    let mut f = std::fs::File::create(&tmp).map_err(|e| Error::io(ctx("writing"), e))?;
    f.write_all(bytes).map_err(|e| Error::io(ctx("writing"), e))?;
    f.sync_all().map_err(|e| Error::io(ctx("syncing"), e))?;
    std::fs::rename(&tmp, path).map_err(|e| Error::io(ctx("renaming into"), e))?;
    Ok(())
}
