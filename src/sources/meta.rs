//! Metadata that users put beside their files: a `FILE.meta.json` sidecar per source, or a
//! `manifest.tsv` / `manifest.csv` per folder. DESIGN.md precedence: sidecar > manifest >
//! text > folder name; this module only reads the first two, field by field
//! ([`SourceMeta::or`] merges them).
//!
//! Only the fields `council`, `committee`, `date`, `url` (and a manifest's `file` / `id`
//! key) are read. Other manifest columns are never looked at: the shared test corpus keeps
//! its answers in `label_*` columns beside the real metadata.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

use super::decode::{decode_owned, DecodeError};

/// Metadata for one source. Every field is optional; `date` is kept as written (parsed by a
/// later stage).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct SourceMeta {
    pub council: Option<String>,
    pub committee: Option<String>,
    pub date: Option<String>,
    pub url: Option<String>,
}

impl SourceMeta {
    /// True when no field is known.
    pub fn is_empty(&self) -> bool {
        self.council.is_none() && self.committee.is_none() && self.date.is_none() && self.url.is_none()
    }

    /// Field-by-field precedence: keeps `self`'s known fields and fills the rest from
    /// `fallback` (e.g. `sidecar.or(&manifest_row)`).
    pub fn or(self, fallback: &SourceMeta) -> SourceMeta {
        SourceMeta {
            council: self.council.or_else(|| fallback.council.clone()),
            committee: self.committee.or_else(|| fallback.committee.clone()),
            date: self.date.or_else(|| fallback.date.clone()),
            url: self.url.or_else(|| fallback.url.clone()),
        }
    }
}

/// A sidecar or manifest that cannot be used. Each message names the file, the position
/// and what to change.
#[derive(Debug, thiserror::Error)]
pub enum MetaError {
    #[error("cannot read {}: {source}; check that the file exists and is readable", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error(
        "{}: line {line}, column {column}: {message}; a sidecar must be a JSON object with \
         string fields council, committee, date, url (fix or delete the file)",
        path.display()
    )]
    Sidecar { path: PathBuf, line: usize, column: usize, message: String },
    #[error("{}: line {line}: {message}", path.display())]
    Manifest { path: PathBuf, line: u64, message: String },
}

impl MetaError {
    /// The sidecar or manifest at fault.
    pub fn path(&self) -> &Path {
        match self {
            MetaError::Io { path, .. } | MetaError::Sidecar { path, .. } | MetaError::Manifest { path, .. } => path,
        }
    }
}

// ---------------------------------------------------------------------------------------
// Sidecars

/// What a sidecar's file name ends with.
pub const SIDECAR_SUFFIX: &str = ".meta.json";

/// `FILE.meta.json` sidecar: looks for `<file name>.meta.json` (e.g. page.html.meta.json)
/// then `<stem>.meta.json` (page.meta.json). `Ok(None)` if neither exists.
pub fn read_sidecar(source: &Path) -> Result<Option<SourceMeta>, MetaError> {
    read_sidecar_among(source, None)
}

/// [`read_sidecar`] where `listed` (when known) holds the sidecar file names of the
/// source's folder, ASCII lower-cased (a case-insensitive file system opens any case):
/// names not in it are not tried.
fn read_sidecar_among(source: &Path, listed: Option<&HashSet<Vec<u8>>>) -> Result<Option<SourceMeta>, MetaError> {
    for candidate in sidecar_paths(source) {
        if let (Some(names), Some(name)) = (listed, candidate.file_name()) {
            if !names.contains(&name.as_encoded_bytes().to_ascii_lowercase()) {
                continue;
            }
        }
        match std::fs::read(&candidate) {
            Ok(bytes) => return parse_sidecar(&candidate, &bytes).map(Some),
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            // A sidecar path that is a directory is not a sidecar.
            Err(_) if candidate.is_dir() => continue,
            Err(source) => return Err(MetaError::Io { path: candidate, source }),
        }
    }
    Ok(None)
}

/// Sidecar names to try for `source`, most specific first.
pub fn sidecar_paths(source: &Path) -> Vec<PathBuf> {
    let mut out = Vec::with_capacity(2);
    let Some(name) = source.file_name() else {
        return out;
    };
    let mut full = name.to_os_string();
    full.push(SIDECAR_SUFFIX);
    out.push(source.with_file_name(full));
    if let Some(stem) = source.file_stem() {
        if stem != name {
            let mut short = stem.to_os_string();
            short.push(SIDECAR_SUFFIX);
            out.push(source.with_file_name(short));
        }
    }
    out
}

/// Parses sidecar bytes; `path` is only used in errors.
pub fn parse_sidecar(path: &Path, bytes: &[u8]) -> Result<SourceMeta, MetaError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // serde would also accept an array as a struct; only an object makes sense here.
    if let Some(at) = bytes.iter().position(|b| !b.is_ascii_whitespace()) {
        if bytes[at] != b'{' {
            let before = &bytes[..at];
            let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
            let column = 1 + before.iter().rev().take_while(|&&b| b != b'\n').count();
            return Err(MetaError::Sidecar {
                path: path.to_path_buf(),
                line,
                column,
                message: "expected a JSON object `{...}`".into(),
            });
        }
    }
    match serde_json::from_slice::<RawSidecar>(bytes) {
        Ok(raw) => Ok(SourceMeta { council: raw.council, committee: raw.committee, date: raw.date, url: raw.url }),
        Err(e) => {
            let full = e.to_string();
            // serde_json appends " at line L column C"; we report the position separately.
            let suffix = format!(" at line {} column {}", e.line(), e.column());
            let message = full.strip_suffix(&suffix).unwrap_or(&full).to_string();
            Err(MetaError::Sidecar { path: path.to_path_buf(), line: e.line(), column: e.column(), message })
        }
    }
}

#[derive(Deserialize)]
#[serde(expecting = "a JSON object")]
struct RawSidecar {
    #[serde(default, deserialize_with = "council")]
    council: Option<String>,
    #[serde(default, deserialize_with = "committee")]
    committee: Option<String>,
    #[serde(default, deserialize_with = "date")]
    date: Option<String>,
    #[serde(default, deserialize_with = "url")]
    url: Option<String>,
}

fn council<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    d.deserialize_any(OptText("council"))
}
fn committee<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    d.deserialize_any(OptText("committee"))
}
fn date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    d.deserialize_any(OptText("date"))
}
fn url<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    d.deserialize_any(OptText("url"))
}

/// A string or null; the error for any other type names the key.
struct OptText(&'static str);

impl<'de> Visitor<'de> for OptText {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a string (or null) for \"{}\"", self.0)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(clean(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

/// Trimmed value, `None` when empty.
fn clean(v: &str) -> Option<String> {
    let v = v.trim();
    (!v.is_empty()).then(|| v.to_string())
}

// ---------------------------------------------------------------------------------------
// Folder manifests

/// A folder's `manifest.tsv` or `manifest.csv`.
#[derive(Debug, Clone, Default)]
pub struct FolderManifest {
    path: PathBuf,
    rows: Vec<SourceMeta>,
    by_file: HashMap<String, usize>,
    by_file_lower: HashMap<String, usize>,
    by_id: HashMap<String, usize>,
}

/// Columns we read. Anything else in the header is ignored (never even stored).
#[derive(Default)]
struct Columns {
    file: Option<usize>,
    id: Option<usize>,
    council: Option<usize>,
    committee: Option<usize>,
    date: Option<usize>,
    url: Option<usize>,
}

impl FolderManifest {
    /// Loads `dir/manifest.tsv`, else `dir/manifest.csv`; `Ok(None)` when there is neither.
    /// When both exist the TSV wins: one rule, no merging, and the CSV is not read at all.
    pub fn load(dir: &Path) -> Result<Option<FolderManifest>, MetaError> {
        for (name, tsv) in [("manifest.tsv", true), ("manifest.csv", false)] {
            let path = dir.join(name);
            match std::fs::read(&path) {
                Ok(bytes) => return FolderManifest::parse(&path, bytes, tsv).map(Some),
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(_) if path.is_dir() => continue,
                Err(source) => return Err(MetaError::Io { path, source }),
            }
        }
        Ok(None)
    }

    /// Parses manifest bytes. `tsv`: tab-separated, one row per line, no quoting (cells
    /// wholly wrapped in double quotes, as Excel writes them, are unwrapped); otherwise
    /// RFC 4180 CSV (quoted commas, quotes and newlines). UTF-8 (with or without BOM),
    /// UTF-16 with BOM and Windows-1252 are accepted; CRLF line ends are fine.
    pub fn parse(path: &Path, bytes: Vec<u8>, tsv: bool) -> Result<FolderManifest, MetaError> {
        let err = |line: u64, message: String| MetaError::Manifest { path: path.to_path_buf(), line, message };
        let text = match decode_owned(bytes) {
            Ok(d) => d.text,
            Err(DecodeError::Empty) => {
                return Err(err(
                    1,
                    "manifest is empty; it needs a header row naming a `file` or `id` column \
                     (plus any of council, committee, date, url)"
                        .into(),
                ))
            }
            Err(e @ DecodeError::Binary { .. }) => {
                return Err(err(1, format!("not a text manifest: {e}")));
            }
        };

        let mut builder = csv::ReaderBuilder::new();
        builder.has_headers(false).flexible(true);
        if tsv {
            builder.delimiter(b'\t').quoting(false);
        }
        let mut reader = builder.from_reader(text.as_bytes());
        let mut records = reader.records();
        let mut lines = LineCounter::new(text.as_bytes());

        // Header: the first non-blank row.
        let (header, header_line) = loop {
            match records.next() {
                None => {
                    return Err(err(
                        1,
                        "manifest has no header row; the first line must name the columns, \
                         including `file` or `id`"
                            .into(),
                    ))
                }
                Some(Err(e)) => return Err(csv_error(path, &e)),
                Some(Ok(r)) if is_blank_record(&r) => continue,
                Some(Ok(r)) => {
                    let line = lines.line_of(&r);
                    break (r, line);
                }
            }
        };
        let mut cols = Columns::default();
        for (i, raw) in header.iter().enumerate() {
            let name = unwrap_cell(raw, tsv).trim().to_ascii_lowercase();
            let slot = match name.as_str() {
                "file" => &mut cols.file,
                "id" => &mut cols.id,
                "council" => &mut cols.council,
                "committee" => &mut cols.committee,
                "date" => &mut cols.date,
                "url" => &mut cols.url,
                _ => continue,
            };
            slot.get_or_insert(i);
        }
        if cols.file.is_none() && cols.id.is_none() {
            let found: Vec<&str> = header.iter().map(str::trim).collect();
            return Err(err(
                header_line,
                format!(
                    "header has no `file` or `id` column (found: {}); add one so rows can be \
                     matched to files{}",
                    found.join(", "),
                    if !tsv && found.len() == 1 && found[0].contains('\t') {
                        " (this looks tab-separated: name it manifest.tsv)"
                    } else if tsv && found.len() == 1 && found[0].contains(',') {
                        " (this looks comma-separated: name it manifest.csv)"
                    } else {
                        ""
                    }
                ),
            ));
        }
        let needed: Vec<(&str, usize)> = [
            ("file", cols.file),
            ("id", cols.id),
            ("council", cols.council),
            ("committee", cols.committee),
            ("date", cols.date),
            ("url", cols.url),
        ]
        .into_iter()
        .filter_map(|(n, c)| c.map(|c| (n, c)))
        .collect();

        let mut m = FolderManifest { path: path.to_path_buf(), ..FolderManifest::default() };
        let mut row_lines: Vec<u64> = Vec::new();
        for rec in records {
            let rec = rec.map_err(|e| csv_error(path, &e))?;
            if is_blank_record(&rec) {
                continue;
            }
            let line = lines.line_of(&rec);
            if let Some((name, idx)) = needed.iter().find(|(_, idx)| *idx >= rec.len()) {
                return Err(err(
                    line,
                    format!(
                        "row has {} cells but the `{name}` column is cell {}; add the missing \
                         cells (empty is fine){}",
                        rec.len(),
                        idx + 1,
                        if tsv { " and check the tabs" } else { "" }
                    ),
                ));
            }
            let cell = |c: Option<usize>| c.and_then(|i| rec.get(i)).and_then(|v| clean(unwrap_cell(v, tsv)));
            let file = cell(cols.file).map(|f| f.strip_prefix("./").unwrap_or(&f).to_string());
            let id = cell(cols.id);
            if file.is_none() && id.is_none() {
                return Err(err(line, "row has an empty `file`/`id` cell; fill it in or delete the row".into()));
            }
            let meta = SourceMeta {
                council: cell(cols.council),
                committee: cell(cols.committee),
                date: cell(cols.date),
                url: cell(cols.url),
            };
            let row = m.rows.len();
            let mut is_new = false;
            for (key, map, what) in [(file, &mut m.by_file, "file"), (id, &mut m.by_id, "id")] {
                let Some(key) = key else { continue };
                if let Some(&prev) = map.get(&key) {
                    if m.rows[prev] != meta {
                        return Err(err(
                            line,
                            format!(
                                "{what} `{key}` is listed again (first at line {}) with different \
                                 metadata; keep one row",
                                row_lines[prev]
                            ),
                        ));
                    }
                    continue;
                }
                map.insert(key, row);
                is_new = true;
            }
            if is_new {
                m.rows.push(meta);
                row_lines.push(line);
            }
        }
        for (k, &v) in &m.by_file {
            m.by_file_lower.entry(k.to_lowercase()).or_insert(v);
        }
        Ok(m)
    }

    /// Looks a source up by its file name ("0003.txt") via the `file` column, or by its id
    /// (file name without extension, "0003") via the `id` column. A file name that differs
    /// only in case is accepted as a last resort (manifests written on Windows).
    pub fn lookup(&self, file_name: &str) -> Option<&SourceMeta> {
        let row = self
            .by_file
            .get(file_name)
            .or_else(|| {
                let id = Path::new(file_name).file_stem()?.to_str()?;
                self.by_id.get(id)
            })
            .or_else(|| self.by_file_lower.get(&file_name.to_lowercase()))?;
        self.rows.get(*row)
    }

    /// The manifest file this was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Number of distinct rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// 1-based line numbers for records. The csv crate's own `Position::line` miscounts after
/// CRLF endings and blank lines, so lines are counted from the record's byte offset (which
/// may point at the previous record's line terminator: skip over that first).
struct LineCounter<'a> {
    text: &'a [u8],
    pos: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a [u8]) -> Self {
        LineCounter { text, pos: 0, line: 1 }
    }

    /// Must be called with records in file order.
    fn line_of(&mut self, rec: &csv::StringRecord) -> u64 {
        let Some(byte) = rec.position().map(|p| p.byte() as usize) else {
            return self.line;
        };
        let mut start = byte.min(self.text.len()).max(self.pos);
        while start < self.text.len() && matches!(self.text[start], b'\r' | b'\n') {
            start += 1;
        }
        self.line += self.text[self.pos..start].iter().filter(|&&b| b == b'\n').count() as u64;
        self.pos = start;
        self.line
    }
}

fn is_blank_record(r: &csv::StringRecord) -> bool {
    r.iter().all(|c| c.trim().is_empty())
}

/// Excel's "Unicode text" export quotes cells holding quotes or separators; TSV is read
/// without quoting, so undo that wrapping for whole-cell quotes.
fn unwrap_cell(v: &str, tsv: bool) -> &str {
    if !tsv {
        return v;
    }
    let t = v.trim();
    match t.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
        Some(inner) if !inner.contains('"') => inner,
        _ => v,
    }
}

fn csv_error(path: &Path, e: &csv::Error) -> MetaError {
    let line = e.position().map_or(0, |p| p.line());
    MetaError::Manifest { path: path.to_path_buf(), line, message: format!("cannot parse manifest: {e}") }
}

// ---------------------------------------------------------------------------------------
// Cache

type Loaded = Result<Option<Arc<FolderManifest>>, Arc<MetaError>>;

/// One value per folder, computed once even when many indexing threads ask for the same
/// folder at the same time (the others wait for the first). Different folders load in
/// parallel: the map lock is held only to find the folder's slot.
struct FolderCache<T> {
    slots: Mutex<HashMap<PathBuf, Arc<OnceLock<T>>>>,
}

impl<T> Default for FolderCache<T> {
    fn default() -> Self {
        FolderCache { slots: Mutex::new(HashMap::new()) }
    }
}

impl<T: Clone> FolderCache<T> {
    fn get(&self, dir: &Path, load: impl FnOnce(&Path) -> T) -> T {
        let slot = {
            let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
            Arc::clone(slots.entry(dir.to_path_buf()).or_default())
        };
        slot.get_or_init(|| load(dir)).clone()
    }
}

/// The folder a source file is in ("." for a bare file name).
fn folder_of(source: &Path) -> &Path {
    match source.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// Parses each folder's manifest once (shared with the sidecar cache: each folder is loaded once, by one thread).
#[derive(Default)]
pub struct ManifestCache {
    folders: FolderCache<Loaded>,
}

impl ManifestCache {
    pub fn new() -> ManifestCache {
        ManifestCache::default()
    }

    /// The manifest of `dir`, loaded on first use. Errors are cached too, so a broken
    /// manifest is reported once per folder, not once per file.
    pub fn get(&self, dir: &Path) -> Loaded {
        self.folders.get(dir, |d| FolderManifest::load(d).map(|m| m.map(Arc::new)).map_err(Arc::new))
    }

    /// Manifest metadata for a source file, from the manifest in its folder.
    pub fn lookup(&self, source: &Path) -> Result<Option<SourceMeta>, Arc<MetaError>> {
        let dir = folder_of(source);
        let Some(name) = source.file_name().and_then(|n| n.to_str()) else {
            return Ok(None);
        };
        Ok(self.get(dir)?.and_then(|m| m.lookup(name).cloned()))
    }
}

/// Sidecars found through one listing of each folder: a folder of pages without
/// sidecars then costs no failed `open` per page (four per page and run before: the
/// metadata fingerprint and the build both look).
#[derive(Default)]
pub struct SidecarCache {
    folders: FolderCache<Option<Arc<HashSet<Vec<u8>>>>>,
}

impl SidecarCache {
    pub fn new() -> SidecarCache {
        SidecarCache::default()
    }

    /// The sidecar of `source`, as [`read_sidecar`]. A folder that cannot be listed
    /// falls back to trying each sidecar name.
    pub fn read(&self, source: &Path) -> Result<Option<SourceMeta>, MetaError> {
        let names = self.folders.get(folder_of(source), |d| {
            let entries = std::fs::read_dir(d).ok()?;
            let mut names = HashSet::new();
            for entry in entries {
                let name = entry.ok()?.file_name().as_encoded_bytes().to_ascii_lowercase();
                if name.ends_with(SIDECAR_SUFFIX.as_bytes()) {
                    names.insert(name);
                }
            }
            Some(Arc::new(names))
        });
        read_sidecar_among(source, names.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn tsv(text: &str) -> Result<FolderManifest, MetaError> {
        FolderManifest::parse(Path::new("/data/manifest.tsv"), text.as_bytes().to_vec(), true)
    }
    fn csv_(text: &str) -> Result<FolderManifest, MetaError> {
        FolderManifest::parse(Path::new("/data/manifest.csv"), text.as_bytes().to_vec(), false)
    }

    #[test]
    fn sidecar_fields_and_lookup_order() {
        let t = tempfile::tempdir().unwrap();
        let page = t.path().join("page.html");
        fs::write(&page, "<p>x</p>").unwrap();
        assert!(read_sidecar(&page).unwrap().is_none());

        fs::write(t.path().join("page.meta.json"), r#"{"council": "Stem Council", "date": "1 May 2020"}"#).unwrap();
        let m = read_sidecar(&page).unwrap().unwrap();
        assert_eq!(m.council.as_deref(), Some("Stem Council"));

        // The full-name sidecar wins over the stem one; BOM, unknown keys, null and empty
        // strings are all fine.
        fs::write(
            t.path().join("page.html.meta.json"),
            "\u{feff}{\"council\": \"  Example Borough Council \", \"committee\": \"\", \
             \"date\": null, \"url\": \"https://example.org/a\", \"pages\": 3, \"extra\": {\"x\": [1]}}",
        )
        .unwrap();
        let m = read_sidecar(&page).unwrap().unwrap();
        assert_eq!(
            m,
            SourceMeta {
                council: Some("Example Borough Council".into()),
                committee: None,
                date: None,
                url: Some("https://example.org/a".into()),
            }
        );
    }

    #[test]
    fn sidecar_cache_finds_what_the_folder_listing_holds() {
        let t = tempfile::tempdir().unwrap();
        let (a, b, c) = (t.path().join("a.html"), t.path().join("b.txt"), t.path().join("c.txt"));
        fs::write(t.path().join("a.html.meta.json"), r#"{"council": "Full Name"}"#).unwrap();
        fs::write(t.path().join("b.meta.json"), r#"{"council": "Stem"}"#).unwrap();
        fs::write(t.path().join("c.txt.meta.json"), "[1]").unwrap();
        let cache = SidecarCache::new();
        assert_eq!(cache.read(&a).unwrap().unwrap().council.as_deref(), Some("Full Name"));
        assert_eq!(cache.read(&b).unwrap().unwrap().council.as_deref(), Some("Stem"));
        // A broken sidecar is still an error, as read_sidecar reports it.
        assert!(matches!(cache.read(&c), Err(MetaError::Sidecar { .. })));
        // A page without a sidecar, and a page in a folder that cannot be listed.
        assert!(cache.read(&t.path().join("d.txt")).unwrap().is_none());
        assert!(cache.read(&t.path().join("missing/e.txt")).unwrap().is_none());
    }

    #[test]
    fn sidecar_errors_name_key_file_and_position() {
        let p = Path::new("/data/a.txt.meta.json");
        let e = parse_sidecar(p, b"{\n  \"council\": \"X\",\n  \"date\": 2020\n}").unwrap_err();
        let msg = e.to_string();
        assert!(msg.starts_with("/data/a.txt.meta.json: line 3, column "), "{msg}");
        assert!(msg.contains("\"date\""), "{msg}");
        assert!(msg.contains("fix or delete"), "{msg}");
        match e {
            MetaError::Sidecar { line, .. } => assert_eq!(line, 3),
            other => panic!("{other:?}"),
        }
        let msg = parse_sidecar(p, b"\n  [1, 2]").unwrap_err().to_string();
        assert!(msg.contains("line 2, column 3: expected a JSON object"), "{msg}");
        let msg = parse_sidecar(p, b"{\"url\": \"x\",}").unwrap_err().to_string();
        assert!(msg.contains("line 1, column"), "{msg}");
        let msg = parse_sidecar(p, b"").unwrap_err().to_string();
        assert!(msg.contains("/data/a.txt.meta.json"), "{msg}");
    }

    #[test]
    fn merge_precedence() {
        let side = SourceMeta { url: Some("u1".into()), ..Default::default() };
        let manifest = SourceMeta { council: Some("c".into()), url: Some("u2".into()), ..Default::default() };
        let m = side.or(&manifest);
        assert_eq!((m.council.as_deref(), m.url.as_deref()), (Some("c"), Some("u1")));
        assert!(SourceMeta::default().is_empty());
    }

    #[test]
    fn tsv_ignores_label_columns() {
        let m = tsv("\u{feff}ID\t Url \tcouncil\tlabel_committee\tlabel_meeting_date\tnotes\r\n\
                     0001\thttps://example.org/1\texample.gov.uk\tCabinet\t2020-01-02\tx\r\n\
                     0002\t\tother.gov.uk\t\t\t\r\n")
        .unwrap();
        let a = m.lookup("0001.txt").unwrap();
        assert_eq!(a.council.as_deref(), Some("example.gov.uk"));
        assert_eq!(a.url.as_deref(), Some("https://example.org/1"));
        assert_eq!(a.committee, None, "label_committee must never be read");
        assert_eq!(a.date, None, "label_meeting_date must never be read");
        let b = m.lookup("0002.html").unwrap();
        assert_eq!((b.url.as_deref(), b.council.as_deref()), (None, Some("other.gov.uk")));
        assert!(m.lookup("0003.txt").is_none());
        assert_eq!(m.len(), 2);
    }

    #[test]
    fn csv_with_quotes_commas_and_newlines() {
        let m = csv_(
            "file,committee,date,council\n\
             a.txt,\"Children, Young People and Families\",\"3 March 2015\",\"Example \"\"Borough\"\"\"\n\
             \n\
             ./b.html,\"Panel\nwith newline\",,\n\
             C.TXT,Cabinet,,\n",
        )
        .unwrap();
        let a = m.lookup("a.txt").unwrap();
        assert_eq!(a.committee.as_deref(), Some("Children, Young People and Families"));
        assert_eq!(a.council.as_deref(), Some("Example \"Borough\""));
        assert_eq!(a.date.as_deref(), Some("3 March 2015"));
        let b = m.lookup("b.html").unwrap();
        assert_eq!(b.committee.as_deref(), Some("Panel\nwith newline"));
        assert_eq!(b.date, None);
        // No `id` column: the stem is not a key.
        assert!(m.lookup("a").is_none());
        // Case-insensitive last resort.
        assert_eq!(m.lookup("c.txt").unwrap().committee.as_deref(), Some("Cabinet"));
    }

    #[test]
    fn lookup_by_file_and_by_id() {
        let m = tsv("file\tid\tcouncil\nx.txt\t\tA\n\tq7\tB\n").unwrap();
        assert_eq!(m.lookup("x.txt").unwrap().council.as_deref(), Some("A"));
        assert_eq!(m.lookup("q7.html").unwrap().council.as_deref(), Some("B"));
        assert_eq!(m.lookup("q7.txt").unwrap().council.as_deref(), Some("B"));
        assert!(m.lookup("x.html").is_none());
        // Excel-style quoted TSV cells are unwrapped.
        let m = tsv("\"file\"\t\"council\"\n\"y.txt\"\t\"Quoted, Council\"\n").unwrap();
        assert_eq!(m.lookup("y.txt").unwrap().council.as_deref(), Some("Quoted, Council"));
    }

    #[test]
    fn malformed_manifests_report_lines() {
        let msg = tsv("").unwrap_err().to_string();
        assert!(msg.contains("line 1") && msg.contains("empty"), "{msg}");
        let msg = tsv("\n\n").unwrap_err().to_string();
        assert!(msg.contains("/data/manifest.tsv: line 1"), "{msg}");
        // Blank lines and CRLF do not throw line numbers off.
        let msg = tsv("\r\nfile\tcouncil\r\n\r\na.txt\tA\r\n\r\n\tB\r\n").unwrap_err().to_string();
        assert!(msg.starts_with("/data/manifest.tsv: line 6: "), "{msg}");

        let msg = tsv("name\tcouncil\na.txt\tA\n").unwrap_err().to_string();
        assert_eq!(
            msg,
            "/data/manifest.tsv: line 1: header has no `file` or `id` column (found: name, council); add one so rows can be matched to files"
        );
        let msg = csv_("file\tcouncil\na.txt\tA\n").unwrap_err().to_string();
        assert!(msg.contains("name it manifest.tsv"), "{msg}");

        let msg = tsv("file\tcouncil\turl\na.txt\tA\thttps://a\nb.txt\tB\n").unwrap_err().to_string();
        assert!(msg.starts_with("/data/manifest.tsv: line 3: row has 2 cells but the `url` column is cell 3"), "{msg}");

        let msg = csv_("file,council\r\na.txt,A\r\n\"multi\nline.txt\",B\r\n,C\r\n").unwrap_err().to_string();
        assert!(msg.starts_with("/data/manifest.csv: line 5: row has an empty"), "{msg}");

        let msg = tsv("file\tcouncil\na.txt\tA\nb.txt\tB\na.txt\tZ\n").unwrap_err().to_string();
        assert!(msg.contains("line 4") && msg.contains("first at line 2"), "{msg}");
        // Identical duplicates are harmless.
        assert_eq!(tsv("file\tcouncil\na.txt\tA\na.txt\tA\n").unwrap().len(), 1);

        let e = FolderManifest::parse(Path::new("/m.tsv"), vec![0, 1, 2, 3], true).unwrap_err();
        assert!(e.to_string().contains("binary"));
    }

    #[test]
    fn load_prefers_tsv_and_cache_shares() {
        let t = tempfile::tempdir().unwrap();
        let d = t.path();
        let cache = ManifestCache::new();
        assert!(cache.get(d).unwrap().is_none());
        assert!(FolderManifest::load(d).unwrap().is_none());

        let sub = d.join("sub");
        fs::create_dir(&sub).unwrap();
        fs::write(sub.join("manifest.csv"), "file,council\na.txt,FromCsv\n").unwrap();
        fs::write(sub.join("manifest.tsv"), "file\tcouncil\na.txt\tFromTsv\n").unwrap();
        let m = FolderManifest::load(&sub).unwrap().unwrap();
        assert_eq!(m.lookup("a.txt").unwrap().council.as_deref(), Some("FromTsv"));
        assert!(m.path().ends_with("manifest.tsv"));

        let cache = Arc::new(ManifestCache::new());
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let cache = Arc::clone(&cache);
                let src = sub.join("a.txt");
                std::thread::spawn(move || cache.lookup(&src).unwrap().unwrap().council)
            })
            .collect();
        for h in handles {
            assert_eq!(h.join().unwrap().as_deref(), Some("FromTsv"));
        }
        let a = cache.get(&sub).unwrap().unwrap();
        let b = cache.get(&sub).unwrap().unwrap();
        assert!(Arc::ptr_eq(&a, &b), "parsed once");

        let bad = d.join("bad");
        fs::create_dir(&bad).unwrap();
        fs::write(bad.join("manifest.csv"), "council\nX\n").unwrap();
        let e1 = cache.get(&bad).unwrap_err();
        let e2 = cache.lookup(&bad.join("z.txt")).unwrap_err();
        assert!(Arc::ptr_eq(&e1, &e2), "errors are cached too");
        assert!(e1.path().ends_with("bad/manifest.csv"));
    }
}
