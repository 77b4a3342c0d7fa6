//! The `sources` stage: files on disk -> decoded text + metadata, before any parsing.
//!
//! 1. [`walk`] turns the paths given to `sgsearch index` into sorted [`Candidate`]s
//!    (`.txt`/`.text`/`.html`/`.htm`) and [`Skipped`] entries with a reason for the user.
//!    Sidecars and manifests are recognised and left out of both lists.
//! 2. [`decode`] turns bytes into text: BOM-aware, UTF-8 first, Windows-1252 fallback,
//!    binary and empty files rejected with a reason.
//! 3. [`html_to_text`] flattens HTML to lines the way the `.txt` pages look (blocks on
//!    their own lines, table rows as `a | b`), dropping scripts and site chrome.
//! 4. [`read_sidecar`] (or [`SidecarCache`], one folder listing for many pages) and
//!    [`ManifestCache`] give the user-supplied metadata
//!    (sidecar > folder manifest, merged with [`SourceMeta::or`]).
//!
//! [`load`] does 2–3 for one candidate. Nothing here panics on file content and every error
//! names the file; the caller decides whether a problem skips the file or only warns.

pub mod decode;
pub mod html;
pub mod meta;
pub mod walk;

use std::path::{Path, PathBuf};

pub use decode::{decode, decode_owned, DecodeError, Decoded};
pub use html::{html_to_text, HtmlPage};
pub use meta::{parse_sidecar, read_sidecar, FolderManifest, ManifestCache, MetaError, SidecarCache, SourceMeta};
pub use walk::{is_metadata_file, walk, Candidate, Skipped, SourceKind, Walk};

/// A source's text, ready for parsing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceText {
    pub text: String,
    /// See [`Decoded::encoding`].
    pub encoding: &'static str,
    pub had_errors: bool,
    /// HTML `<title>` (always `None` for text files).
    pub title: Option<String>,
    /// HTML canonical / og:url (always `None` for text files).
    pub canonical_url: Option<String>,
}

/// Why a candidate could not be loaded; becomes a `files_skipped` reason.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: {source}", path.display())]
    Decode {
        path: PathBuf,
        #[source]
        source: DecodeError,
    },
    #[error(
        "{}: the HTML page has no readable text once scripts, navigation and markup are \
         removed; nothing to index",
        path.display()
    )]
    NoText { path: PathBuf },
}

impl LoadError {
    /// The reason without the path, for `files_skipped: [{path, reason}]`.
    pub fn reason(&self) -> String {
        match self {
            LoadError::Io { source, .. } => format!("cannot read: {source}"),
            LoadError::Decode { source, .. } => source.to_string(),
            LoadError::NoText { .. } => "the HTML page has no readable text once scripts, \
                                         navigation and markup are removed; nothing to index"
                .to_string(),
        }
    }
}

/// Reads, decodes and (for HTML) flattens one source file.
pub fn load(path: &Path, kind: SourceKind) -> Result<SourceText, LoadError> {
    let bytes = std::fs::read(path).map_err(|source| LoadError::Io { path: path.to_path_buf(), source })?;
    let decoded = decode_owned(bytes).map_err(|source| LoadError::Decode { path: path.to_path_buf(), source })?;
    match kind {
        SourceKind::Text => Ok(SourceText {
            text: decoded.text,
            encoding: decoded.encoding,
            had_errors: decoded.had_errors,
            title: None,
            canonical_url: None,
        }),
        SourceKind::Html => {
            let page = html_to_text(&decoded.text);
            if page.text.trim().is_empty() {
                return Err(LoadError::NoText { path: path.to_path_buf() });
            }
            Ok(SourceText {
                text: page.text,
                encoding: decoded.encoding,
                had_errors: decoded.had_errors,
                title: page.title,
                canonical_url: page.canonical_url,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CORPUS: &str = "/work/shared/corpus/docs";

    /// The shared corpus, or `None` (with a note) when it is not on this machine. Under
    /// `CI=true` a missing corpus is a failure, never a silent skip.
    fn corpus() -> Option<PathBuf> {
        let dir = PathBuf::from(CORPUS);
        if dir.join("manifest.tsv").is_file() {
            return Some(dir);
        }
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("CI=true but the shared corpus is missing at {CORPUS}");
        }
        eprintln!("skipping: shared corpus not found at {CORPUS}");
        None
    }

    #[test]
    fn corpus_walk_decode_and_html_never_panic() {
        let Some(dir) = corpus() else { return };
        let w = walk(std::slice::from_ref(&dir), &[]);
        assert!(w.candidates.len() >= 200, "{}", w.candidates.len());
        assert!(w.skipped.is_empty(), "{:?}", w.skipped);
        assert_eq!(w.metadata_files, vec![dir.join("manifest.tsv")]);
        for c in &w.candidates {
            assert_eq!(c.kind, SourceKind::Text);
            let t = load(&c.path, c.kind).unwrap_or_else(|e| panic!("{e}"));
            assert!(!t.text.trim().is_empty());
            assert_ne!(t.encoding, "windows-1252", "{}", c.path.display());
            // The text pages are not HTML, but the HTML path must cope with any input.
            let _ = html_to_text(&t.text);
        }
    }

    #[test]
    fn corpus_manifest_maps_ids_to_council_and_url() {
        let Some(dir) = corpus() else { return };
        let cache = ManifestCache::new();
        let m = cache.get(&dir).unwrap_or_else(|e| panic!("{e}")).expect("manifest.tsv present");
        assert!(m.len() >= 200);
        let first = m.lookup("0003.txt").expect("id 0003 listed");
        assert_eq!(first.council.as_deref(), Some("croydon.gov.uk"));
        assert!(first.url.as_deref().is_some_and(|u| u.starts_with("https://democracy.croydon.gov.uk/")));
        // label_committee / label_meeting_date exist in the file but are answers, not
        // metadata: they must not leak in.
        assert_eq!(first.committee, None);
        assert_eq!(first.date, None);

        // Every listed page resolves to exactly its url/council cells (header: id, url,
        // council, label_*…); never a committee or date.
        let text = std::fs::read_to_string(dir.join("manifest.tsv")).unwrap();
        let some = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
        for line in text.lines().skip(1) {
            let cells: Vec<&str> = line.split('\t').collect();
            let id = cells[0];
            let meta =
                cache.lookup(&dir.join(format!("{id}.txt"))).unwrap().unwrap_or_else(|| panic!("{id} not found"));
            assert_eq!(meta.url, some(cells[1]), "{id}");
            assert_eq!(meta.council, some(cells[2]), "{id}");
            assert!(meta.committee.is_none() && meta.date.is_none(), "{id}");
        }
    }

    #[test]
    fn load_text_and_html() {
        let t = tempfile::tempdir().unwrap();
        let txt = t.path().join("a.txt");
        std::fs::write(&txt, b"Caf\xe9 minutes").unwrap();
        let s = load(&txt, SourceKind::Text).unwrap();
        assert_eq!((s.text.as_str(), s.encoding), ("Café minutes", "windows-1252"));

        let html = t.path().join("b.html");
        std::fs::write(&html, "<title>T</title><p>Body</p>").unwrap();
        let s = load(&html, SourceKind::Html).unwrap();
        assert_eq!((s.text.as_str(), s.title.as_deref()), ("Body", Some("T")));

        std::fs::write(&html, "<script>only()</script>").unwrap();
        let e = load(&html, SourceKind::Html).unwrap_err();
        assert!(matches!(e, LoadError::NoText { .. }));
        assert!(e.to_string().contains("b.html"));

        let e = load(&t.path().join("missing.txt"), SourceKind::Text).unwrap_err();
        assert!(e.reason().starts_with("cannot read: "), "{}", e.reason());
        std::fs::write(&txt, "").unwrap();
        let e = load(&txt, SourceKind::Text).unwrap_err();
        assert!(matches!(e, LoadError::Decode { source: DecodeError::Empty, .. }));
    }
}
