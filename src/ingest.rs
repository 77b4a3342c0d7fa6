//! One source file through the stages that need no index: read, decode, parse,
//! metadata precedence, tag, chunk. Shared by `sgsearch parse` and `sgsearch index`.

use crate::chunk::chunk_ranges;
use crate::model::{source_id, Item, SourceDoc};
use crate::parse::committee::committee_key;
use crate::parse::dates::{self, Date};
use crate::parse::{parse_page, ParsedPage};
use crate::sources::decode::{decode_owned, DecodeError};
use crate::sources::html::html_to_text;
use crate::sources::meta::{ManifestCache, SidecarCache, SourceMeta};
use crate::sources::walk::SourceKind;
use crate::tag::Tagger;
use std::io::Read;
use std::path::Path;

/// Files larger than this are skipped unless the user raises the limit.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Why a file was not indexed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip(pub String);

/// Reads and understands source files; shared by rayon workers.
pub struct Ingestor {
    tagger: Tagger,
    manifests: ManifestCache,
    sidecars: SidecarCache,
    pub max_file_bytes: u64,
}

impl Ingestor {
    pub fn new(tagger: Tagger) -> Ingestor {
        Ingestor {
            tagger,
            manifests: ManifestCache::new(),
            sidecars: SidecarCache::new(),
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
        }
    }

    /// Reads a file's bytes, refusing files over the size limit.
    pub fn read(&self, path: &Path) -> Result<Vec<u8>, Skip> {
        let file = std::fs::File::open(path).map_err(|e| Skip(format!("cannot read: {e}")))?;
        // `take` hides the file's size from `read_to_end`, which then grew the
        // buffer from nothing, copying it at each step.
        let size = file.metadata().map_or(0, |m| m.len()).min(self.max_file_bytes + 1);
        let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0).saturating_add(1));
        file.take(self.max_file_bytes + 1).read_to_end(&mut bytes).map_err(|e| Skip(format!("cannot read: {e}")))?;
        if bytes.len() as u64 > self.max_file_bytes {
            return Err(Skip(format!(
                "larger than {} MB (raise --max-file-mb to index it)",
                self.max_file_bytes / (1024 * 1024)
            )));
        }
        Ok(bytes)
    }

    /// Turns a file's bytes into items.
    pub fn build(&self, path: &Path, kind: SourceKind, bytes: &[u8]) -> Result<SourceDoc, Skip> {
        self.build_owned(path, kind, bytes.to_vec())
    }

    /// [`Ingestor::build`] taking the bytes by value (no copy for UTF-8 files).
    pub fn build_owned(&self, path: &Path, kind: SourceKind, bytes: Vec<u8>) -> Result<SourceDoc, Skip> {
        let decoded = decode_owned(bytes).map_err(|e| match e {
            DecodeError::Empty => Skip("empty file (nothing to index)".to_string()),
            other => Skip(other.to_string()),
        })?;
        let mut warnings = Vec::new();
        if decoded.had_errors {
            warnings.push(format!(
                "{}: some bytes were not valid {}; they were replaced",
                path.display(),
                decoded.encoding
            ));
        }
        let looks_html = kind == SourceKind::Html || {
            let head = decoded.text.trim_start().get(..64).unwrap_or("").to_ascii_lowercase();
            head.starts_with("<!doctype html") || head.starts_with("<html")
        };
        let (text, canonical_url) = if looks_html {
            let page = html_to_text(&decoded.text);
            (page.text, page.canonical_url)
        } else {
            (decoded.text, None)
        };
        let page = parse_page(&text);
        let meta = self.metadata(path, &mut warnings);
        let source = path.display().to_string();
        let items = self.items(&source, page, &meta, canonical_url, &mut warnings);
        Ok(SourceDoc { source_id: source_id(&source), source, items, warnings })
    }

    /// A fingerprint of the sidecar and manifest metadata that applies to `path`:
    /// editing a sidecar or a manifest row changes it, so the source is re-indexed
    /// even though its own bytes did not change.
    pub fn metadata_signature(&self, path: &Path) -> u64 {
        let mut warnings = Vec::new();
        let meta = self.metadata(path, &mut warnings);
        let mut key = String::new();
        for m in &meta.layers {
            for v in [&m.council, &m.committee, &m.date, &m.url] {
                key.push_str(v.as_deref().unwrap_or("\u{0}"));
                key.push('\u{1}');
            }
        }
        for w in &warnings {
            key.push_str(w);
        }
        xxhash_rust::xxh3::xxh3_64(key.as_bytes())
    }

    /// Sidecar and folder-manifest metadata, merged (sidecar first).
    fn metadata(&self, path: &Path, warnings: &mut Vec<String>) -> Meta {
        let mut meta = Meta::default();
        match self.sidecars.read(path) {
            Ok(Some(m)) => meta.layers.push(m),
            Ok(None) => {}
            Err(e) => warnings.push(e.to_string()),
        }
        if let (Some(dir), Some(name)) = (path.parent(), path.file_name().and_then(|n| n.to_str())) {
            match self.manifests.get(dir) {
                Ok(Some(manifest)) => {
                    if let Some(m) = manifest.lookup(name) {
                        meta.layers.push(m.clone());
                    }
                }
                Ok(None) => {}
                Err(e) => warnings.push(e.to_string()),
            }
            meta.folder = dir.file_name().and_then(|n| n.to_str()).map(council_from_folder);
        }
        meta
    }

    fn items(
        &self,
        source: &str,
        page: ParsedPage,
        meta: &Meta,
        canonical_url: Option<String>,
        warnings: &mut Vec<String>,
    ) -> Vec<Item> {
        let sid = source_id(source);
        let council = meta.pick(|m| m.council.clone()).or_else(|| meta.folder.clone());
        let url = meta.pick(|m| m.url.clone()).or(canonical_url);
        let meta_committee = meta.pick(|m| m.committee.clone());
        let meta_date = meta.pick(|m| m.date.clone()).and_then(|raw| match dates::parse_date(&raw) {
            Some(d) => Some(d),
            None => {
                warnings.push(format!("{source}: metadata date {raw:?} is not a date (use YYYY-MM-DD); ignored"));
                None
            }
        });
        // Items of a page usually share one committee: key it once.
        let mut keys: Vec<(String, String)> = Vec::new();
        let mut key_of = |name: &str| -> String {
            if let Some((_, k)) = keys.iter().find(|(n, _)| n == name) {
                return k.clone();
            }
            let k = committee_key(name);
            keys.push((name.to_string(), k.clone()));
            k
        };
        page.items
            .into_iter()
            .enumerate()
            .map(|(ordinal, it)| {
                let committee = meta_committee.clone().or(it.committee).or_else(|| page.committee.clone());
                let meeting_date: Option<Date> = meta_date.or(it.meeting_date).or(page.meeting_date);
                let (topics, vocabulary_words) =
                    self.tagger.tag_with_words(it.title.as_deref().unwrap_or(""), &it.text);
                let chunks = chunk_ranges(&it.text);
                Item {
                    id: format!("{sid}-{ordinal}"),
                    ordinal: ordinal as u32,
                    council: council.clone(),
                    committee_key: committee.as_deref().map(&mut key_of),
                    committee,
                    meeting_date,
                    item_number: it.number,
                    item_title: it.title,
                    page_type: page.page_type.clone(),
                    topics,
                    source: source.to_string(),
                    url: url.clone(),
                    text: it.text,
                    chunks,
                    vocabulary_words,
                }
            })
            .collect()
    }
}

/// Metadata layers in precedence order, and the folder name as a last resort.
#[derive(Default)]
struct Meta {
    layers: Vec<SourceMeta>,
    folder: Option<String>,
}

impl Meta {
    fn pick<T>(&self, f: impl Fn(&SourceMeta) -> Option<T>) -> Option<T> {
        self.layers.iter().find_map(f)
    }
}

/// The council a folder name gives: a lower-case slug such as
/// "north-fenmere-county-council" reads as "North Fenmere County Council"; any
/// other name ("croydon.gov.uk", "Haringey") is kept as written.
pub fn council_from_folder(name: &str) -> String {
    let slug = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && name.chars().any(|c| c.is_ascii_lowercase());
    if !slug {
        return name.to_string();
    }
    name.split(['-', '_'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + cs.as_str(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::council_from_folder;

    #[test]
    fn folder_slugs_read_as_council_names() {
        assert_eq!(council_from_folder("north-fenmere-county-council"), "North Fenmere County Council");
        assert_eq!(council_from_folder("haringey"), "Haringey");
        assert_eq!(council_from_folder("croydon.gov.uk"), "croydon.gov.uk");
        assert_eq!(council_from_folder("Haringey Council"), "Haringey Council");
        assert_eq!(council_from_folder("2019"), "2019");
    }
}
