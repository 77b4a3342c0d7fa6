//! The catalog of indexed sources (path -> content hash, size, mtime, counts) and
//! the commit payload that points at it.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
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

/// One indexed source. A run holds one per source, so its size is what indexing
/// memory grows with the corpus by: fingerprints are numbers in memory and hex
/// in the file (as they always were).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct SourceRecord {
    /// xxh3-128 of the file's bytes.
    #[serde(with = "hex128")]
    pub hash: u128,
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch (0 if unknown).
    pub mtime_ns: i64,
    pub items: u32,
    pub chunks: u32,
    /// Fingerprint of the sidecar/manifest metadata it was indexed with (0 in
    /// catalogs from before there was one: they never match, so such sources
    /// are read again).
    #[serde(default, with = "hex64")]
    pub meta: u64,
}

mod hex128 {
    use serde::{de::Error, Deserialize, Deserializer, Serializer};
    use std::borrow::Cow;

    pub fn serialize<S: Serializer>(v: &u128, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&format_args!("{v:032x}"))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u128, D::Error> {
        let text = Cow::<str>::deserialize(d)?;
        u128::from_str_radix(&text, 16).map_err(|_| D::Error::custom(format!("{text:?} is not a hex hash")))
    }
}

mod hex64 {
    use serde::{de::Error, Deserialize, Deserializer, Serializer};
    use std::borrow::Cow;

    pub fn serialize<S: Serializer>(v: &u64, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&format_args!("{v:016x}"))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        let text = Cow::<str>::deserialize(d)?;
        if text.is_empty() {
            return Ok(0);
        }
        u64::from_str_radix(&text, 16).map_err(|_| D::Error::custom(format!("{text:?} is not a hex fingerprint")))
    }
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
    // Streamed: at 1 GB of pages the catalog is ~20 MB of JSON, and a buffer of
    // it would be memory that grows with the corpus.
    write_atomic_with(&dir.join(&name), |w| {
        serde_json::to_writer(w, catalog).map_err(|e| Error::Data(format!("serialising the catalog: {e}")))
    })?;
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
    write_atomic_with(path, |w| w.write_all(bytes).map_err(|e| Error::io(format!("writing {}", path.display()), e)))
}

/// [`write_atomic`] of what `write` writes.
pub fn write_atomic_with(path: &Path, write: impl FnOnce(&mut BufWriter<File>) -> Result<()>) -> Result<()> {
    let tmp = path.with_extension("tmp");
    let ctx = |what: &str| format!("{what} {}", path.display());
    let mut w = BufWriter::with_capacity(256 * 1024, File::create(&tmp).map_err(|e| Error::io(ctx("writing"), e))?);
    write(&mut w)?;
    let f = w.into_inner().map_err(|e| Error::io(ctx("writing"), e.into_error()))?;
    f.sync_all().map_err(|e| Error::io(ctx("syncing"), e))?;
    std::fs::rename(&tmp, path).map_err(|e| Error::io(ctx("renaming into"), e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_hex_in_the_file_and_read_back_exactly() {
        let record = SourceRecord {
            hash: 0x0123_4567_89ab_cdef_0011_2233_4455_6677,
            size: 9,
            mtime_ns: -5,
            items: 2,
            chunks: 3,
            meta: 0xfedc_ba98_0000_0001,
        };
        let catalog = Catalog { sources: BTreeMap::from([("/m/a.txt".to_string(), record)]) };
        let text = serde_json::to_string(&catalog).unwrap();
        assert!(text.contains(r#""hash":"0123456789abcdef0011223344556677""#), "{text}");
        assert!(text.contains(r#""meta":"fedcba9800000001""#), "{text}");
        assert_eq!(serde_json::from_str::<Catalog>(&text).unwrap(), catalog);
    }

    #[test]
    fn catalogs_without_a_metadata_fingerprint_still_load() {
        let hash = "00000000000000000000000000000abc";
        for meta in [String::new(), r#","meta":"""#.to_string()] {
            let text = format!(
                r#"{{"sources":{{"/m/a.txt":{{"hash":"{hash}","size":1,"mtime_ns":0,"items":1,"chunks":1{meta}}}}}}}"#
            );
            let catalog: Catalog = serde_json::from_str(&text).unwrap();
            let record = &catalog.sources["/m/a.txt"];
            assert_eq!((record.hash, record.meta), (0xabc, 0));
        }
    }

    #[test]
    fn a_damaged_hash_is_an_error_not_a_zero() {
        let text = r#"{"sources":{"/m/a.txt":{"hash":"not hex","size":1,"mtime_ns":0,"items":1,"chunks":1}}}"#;
        let err = serde_json::from_str::<Catalog>(text).unwrap_err().to_string();
        assert!(err.contains("not a hex hash"), "{err}");
    }
}
