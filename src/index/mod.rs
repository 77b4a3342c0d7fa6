//! Index: the tantivy index of chunks, plus sgsearch's own files beside it.
//!
//! An index directory holds tantivy's files and:
//! - `schema.toml`: the schema it was built with;
//! - `topics.toml`: the taxonomy it was tagged with (edit it and re-run `index`);
//! - `catalog-N.json`: every indexed source with its content hash, size and mtime.
//!
//! Each commit's payload (in tantivy's `meta.json`, written atomically) names the
//! catalog file of that commit and carries the counts `info` prints, so a crash
//! loses at most the batch in flight and the index always opens at a consistent
//! commit. The catalog lives in its own file rather than inside the payload so
//! that opening the index for a search stays cheap however many sources it has.

pub mod blocks;
pub mod catalog;
pub mod export;
pub mod info;
pub mod phrases;
pub mod queue;
pub mod reads;
pub mod texts;
pub mod writer;

use crate::error::{Error, Result};
use crate::schema::IndexSchema;
use catalog::Payload;
use std::path::{Path, PathBuf};
use tantivy::directory::MmapDirectory;
use tantivy::Index;

pub const SCHEMA_FILE: &str = "schema.toml";

/// Document-store block size. Fetching one chunk decompresses its whole block;
/// `mentions` fetches items in date order, all over the store, so smaller blocks
/// than tantivy's 16 KB mean less decompression per row, for a larger store (at
/// 1 GB: 4 KB gives 670 MB of store and an index 0.97x the pages; 1.5 KB gave
/// mentions 12-16 % faster but 832 MB, 1.14x; uncompressed was 1.38x).
pub const DOCSTORE_BLOCK_BYTES: usize = 4096;
pub const TOPICS_FILE: &str = "topics.toml";
/// The index's taxonomy copy, compiled (see `writer::load_taxonomy`).
pub const TOPICS_COMPILED_FILE: &str = "topics.compiled.json";

/// Bumped when parsing or tagging changes so that re-running `index` re-reads
/// every source instead of trusting unchanged hashes.
pub const PIPELINE_VERSION: u32 = 3;

/// An opened index with its schema and last commit's payload.
pub struct Opened {
    pub dir: PathBuf,
    pub index: Index,
    pub schema: IndexSchema,
    pub payload: Option<Payload>,
}

/// Opens an existing index for reading (exit code 3 when there is none).
pub fn open(dir: &Path) -> Result<Opened> {
    let meta = dir.join("meta.json");
    if !meta.exists() {
        return Err(Error::IndexMissing { path: dir.to_path_buf() });
    }
    let schema_text = std::fs::read_to_string(dir.join(SCHEMA_FILE))
        .map_err(|e| Error::io(format!("reading {}", dir.join(SCHEMA_FILE).display()), e))?;
    let schema = IndexSchema::parse(&schema_text, &dir.join(SCHEMA_FILE).display().to_string())
        .map_err(|e| Error::Data(e.to_string()))?;
    let files =
        reads::ReadDirectory::open(dir).map_err(|e| Error::Data(format!("cannot open {}: {e}", dir.display())))?;
    let mut index = Index::open(files)?;
    schema.register(index.tokenizers());
    // Indexes whose chunk texts are in `.texts` files need the plugin to write
    // and merge them (tantivy refuses a writer otherwise).
    if index.load_metas()?.persisted_custom_extensions.iter().any(|e| e == texts::EXTENSION) {
        index.register_plugin(std::sync::Arc::new(texts::TextsPlugin::new(&schema)));
    }
    let payload = catalog::read_payload(&index)?;
    Ok(Opened { dir: dir.to_path_buf(), index, schema, payload })
}

/// Document-store blocks are compressed by the indexing threads themselves. tantivy's
/// default hands each block to a thread of its own per segment: with 4 KB blocks that
/// was ~70,000 thread wake-ups for 200 MB, and on two cores the switching cost more
/// than the parallelism gained (measured: 8.3-9.6 s -> 7.6-8.1 s, sys time 1.3-2.9 s
/// -> 1.0-1.2 s, alternating runs).
fn compress_inline(index: &mut Index) {
    index.settings_mut().docstore_compress_dedicated_thread = false;
}

/// Opens the index for writing, creating it (with the built-in schema) if needed.
pub fn open_or_create(dir: &Path, rebuild: bool) -> Result<Opened> {
    let builtin = IndexSchema::builtin().map_err(|e| Error::Data(e.to_string()))?;
    if rebuild && dir.join("meta.json").exists() {
        wipe(dir)?;
    }
    if dir.join("meta.json").exists() {
        let mut opened = open(dir)?;
        compress_inline(&mut opened.index);
        if opened.schema.hash != builtin.hash {
            return Err(Error::SchemaMismatch {
                path: dir.to_path_buf(),
                found: opened.schema.hash.clone(),
                expected: builtin.hash.clone(),
            });
        }
        return Ok(opened);
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(format!("creating index directory {}", dir.display()), e))?;
    let mmap = MmapDirectory::open(dir).map_err(|e| Error::Data(format!("cannot open {}: {e}", dir.display())))?;
    let settings =
        tantivy::IndexSettings { docstore_blocksize: DOCSTORE_BLOCK_BYTES, ..tantivy::IndexSettings::default() };
    let mut builder = Index::builder().schema(builtin.schema.clone()).settings(settings);
    if builtin.texts_file() {
        builder = builder.register_plugin(std::sync::Arc::new(texts::TextsPlugin::new(&builtin)));
    }
    let mut index = builder.open_or_create(mmap)?;
    compress_inline(&mut index);
    catalog::write_atomic(&dir.join(SCHEMA_FILE), crate::schema::SCHEMA_TOML.as_bytes())?;
    builtin.register(index.tokenizers());
    Ok(Opened { dir: dir.to_path_buf(), index, schema: builtin, payload: None })
}

/// Deletes an index's files, refusing directories that are not sgsearch indexes.
fn wipe(dir: &Path) -> Result<()> {
    if !dir.join(SCHEMA_FILE).exists() {
        return Err(Error::Usage(format!(
            "{} does not look like an sgsearch index (no {SCHEMA_FILE}); refusing to delete it",
            dir.display()
        )));
    }
    std::fs::remove_dir_all(dir).map_err(|e| Error::io(format!("removing {}", dir.display()), e))
}

/// A reader for one command: it sees the index as it was when opened. (tantivy's
/// default reloads on commit, which starts a thread that watches meta.json and
/// checksums it: time that every short-lived command paid at startup.)
pub fn reader(index: &tantivy::Index) -> tantivy::Result<tantivy::IndexReader> {
    index.reader_builder().reload_policy(tantivy::ReloadPolicy::Manual).try_into()
}
