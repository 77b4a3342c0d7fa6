//! Finding source files: roots (files or folders) -> sorted candidates plus reasons for
//! everything that was passed over. The walk never fails as a whole: each bad entry becomes
//! a [`Skipped`] row that `sgsearch index` reports in its summary.

use std::collections::HashSet;
use std::ffi::OsStr;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use walkdir::WalkDir;

/// The extensions we read, for messages.
const READABLE: &str = ".txt, .text, .html, .htm";

/// How a source's bytes are turned into text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceKind {
    /// `.txt` / `.text`: decoded text is used as is.
    Text,
    /// `.html` / `.htm`: decoded, then [`super::html::html_to_text`].
    Html,
}

impl SourceKind {
    /// Kind from the file extension (case-insensitive); `None` for anything else.
    pub fn from_path(path: &Path) -> Option<SourceKind> {
        let ext = path.extension()?.to_str()?;
        if ext.eq_ignore_ascii_case("txt") || ext.eq_ignore_ascii_case("text") {
            Some(SourceKind::Text)
        } else if ext.eq_ignore_ascii_case("html") || ext.eq_ignore_ascii_case("htm") {
            Some(SourceKind::Html)
        } else {
            None
        }
    }

    /// Stable lowercase name ("text", "html") for JSON output and the index.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Text => "text",
            SourceKind::Html => "html",
        }
    }
}

/// A file the indexer should read. `size` and `mtime_ns` feed incremental re-indexing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub path: PathBuf,
    pub kind: SourceKind,
    pub size: u64,
    /// Modification time in nanoseconds since the Unix epoch (negative before 1970,
    /// 0 when the platform cannot tell).
    pub mtime_ns: i128,
}

/// An entry that was not taken, with a reason meant for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub path: PathBuf,
    pub reason: String,
}

/// Result of [`walk`]; all lists sorted by path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Walk {
    pub candidates: Vec<Candidate>,
    pub skipped: Vec<Skipped>,
    /// Sidecars (`*.meta.json`) and manifests (`manifest.tsv`, `manifest.csv`) seen on the
    /// way. They are not sources, but a change to one changes the metadata of sources, so
    /// incremental indexing may want to compare their mtimes too.
    pub metadata_files: Vec<PathBuf>,
}

/// True for sidecar and manifest files, which describe sources rather than being sources.
pub fn is_metadata_file(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(OsStr::to_str) else {
        return false;
    };
    let lower = name.to_ascii_lowercase();
    lower == "manifest.tsv" || lower == "manifest.csv" || lower.ends_with(super::meta::SIDECAR_SUFFIX)
}

/// Recursively walks files and folders. Roots may be files or dirs. Output sorted by path
/// (deterministic). `exclude`: directories never to descend into (e.g. the index directory
/// itself); they may not exist yet.
///
/// Symlinks are followed; loops are reported once and not followed. Hidden entries (name
/// starting with '.') below a root are ignored silently; a root is taken even when hidden
/// because the user named it.
pub fn walk(roots: &[PathBuf], exclude: &[PathBuf]) -> Walk {
    let excluded = Excluded::new(exclude);
    let mut out = Walk::default();

    for root in roots {
        if let Err(e) = fs::metadata(root) {
            let reason = if e.kind() == io::ErrorKind::NotFound {
                if fs::symlink_metadata(root).is_ok() {
                    "broken symbolic link: its target does not exist".to_string()
                } else {
                    "no such file or directory".to_string()
                }
            } else {
                format!("cannot read: {e}")
            };
            out.skipped.push(Skipped { path: root.clone(), reason });
            continue;
        }
        if excluded.contains_path(root) {
            continue;
        }

        let iter = WalkDir::new(root).follow_links(true).into_iter().filter_entry(|e| {
            if e.depth() > 0 && is_hidden(e.file_name()) {
                return false;
            }
            !(e.file_type().is_dir() && excluded.contains_entry(e))
        });

        for entry in iter {
            match entry {
                Ok(e) => visit(e, &mut out),
                Err(err) => {
                    if let Some(s) = skipped_from_error(&err) {
                        out.skipped.push(s);
                    }
                }
            }
        }
    }

    // Overlapping roots ("a" and "a/b") yield the same paths twice: keep one.
    out.candidates.sort_by(|a, b| a.path.cmp(&b.path));
    out.candidates.dedup_by(|a, b| a.path == b.path);
    out.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    out.skipped.dedup_by(|a, b| a.path == b.path);
    out.metadata_files.sort();
    out.metadata_files.dedup();
    out
}

fn visit(e: walkdir::DirEntry, out: &mut Walk) {
    let ft = e.file_type();
    if ft.is_dir() {
        return;
    }
    let path = e.path();
    if is_metadata_file(path) {
        if ft.is_file() {
            out.metadata_files.push(e.into_path());
        }
        return;
    }
    let Some(kind) = SourceKind::from_path(path) else {
        out.skipped.push(Skipped { reason: unsupported_reason(path), path: e.into_path() });
        return;
    };
    if !ft.is_file() {
        // FIFOs, sockets, devices: reading them could block or never end.
        out.skipped
            .push(Skipped { path: e.into_path(), reason: "not a regular file (device, FIFO or socket)".to_string() });
        return;
    }
    let meta = match e.metadata() {
        Ok(m) => m,
        Err(err) => {
            out.skipped.push(Skipped {
                reason: match err.io_error() {
                    Some(io) => format!("cannot read: {io}"),
                    None => format!("cannot read: {err}"),
                },
                path: e.into_path(),
            });
            return;
        }
    };
    if let Err(io) = check_readable(path, &meta) {
        out.skipped.push(Skipped { path: e.into_path(), reason: format!("cannot read: {io}") });
        return;
    }
    let mtime_ns = meta
        .modified()
        .ok()
        .map(|t| match t.duration_since(UNIX_EPOCH) {
            Ok(d) => d.as_nanos() as i128,
            Err(before) => -(before.duration().as_nanos() as i128),
        })
        .unwrap_or(0);
    out.candidates.push(Candidate { path: e.into_path(), kind, size: meta.len(), mtime_ns });
}

/// Reports permission problems at walk time so they show up as skipped files, not as
/// failures deep in the pipeline. On Unix a world-readable file is taken as readable
/// without opening it (saves an open/close per file on large corpora); anything else is
/// opened once to find out.
fn check_readable(path: &Path, meta: &fs::Metadata) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o004 != 0 {
            return Ok(());
        }
    }
    #[cfg(not(unix))]
    let _ = meta;
    fs::File::open(path).map(drop)
}

fn unsupported_reason(path: &Path) -> String {
    match path.extension() {
        Some(ext) => {
            let ext = ext.to_string_lossy();
            let planned = if ext.eq_ignore_ascii_case("pdf") { "; PDF support is planned" } else { "" };
            format!("unsupported file type \".{ext}\" (sgsearch reads {READABLE}{planned})")
        }
        None => format!("no file extension (sgsearch reads {READABLE}; rename the file if it holds text)"),
    }
}

fn skipped_from_error(err: &walkdir::Error) -> Option<Skipped> {
    let path = err.path().map(Path::to_path_buf).unwrap_or_default();
    // Hidden entries are ignored even when they are broken.
    if err.depth() > 0 && path.file_name().is_some_and(is_hidden) {
        return None;
    }
    let reason = if let Some(ancestor) = err.loop_ancestor() {
        format!("symbolic link loop (points back to {}); not followed", ancestor.display())
    } else if let Some(io) = err.io_error() {
        let is_link = fs::symlink_metadata(&path).map(|m| m.file_type().is_symlink()).unwrap_or(false);
        if is_link && io.kind() == io::ErrorKind::NotFound {
            format!("broken symbolic link: its target does not exist ({io})")
        } else if fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
            format!("cannot read directory: {io}")
        } else {
            format!("cannot read: {io}")
        }
    } else {
        format!("cannot read: {err}")
    };
    Some(Skipped { path, reason })
}

fn is_hidden(name: &OsStr) -> bool {
    name.as_encoded_bytes().first() == Some(&b'.')
}

/// Excluded directories, matched by identity (device + inode on Unix, canonical path
/// elsewhere) so that `./index`, `index/` and a symlink to it are all recognised.
struct Excluded {
    canonical: Vec<PathBuf>,
    #[cfg(unix)]
    ids: HashSet<(u64, u64)>,
    #[cfg(not(unix))]
    ids: HashSet<()>,
}

impl Excluded {
    fn new(dirs: &[PathBuf]) -> Excluded {
        let canonical: Vec<PathBuf> = dirs.iter().filter_map(|d| fs::canonicalize(d).ok()).collect();
        #[cfg(unix)]
        let ids = {
            use std::os::unix::fs::MetadataExt;
            canonical.iter().filter_map(|d| fs::metadata(d).ok()).map(|m| (m.dev(), m.ino())).collect()
        };
        #[cfg(not(unix))]
        let ids = HashSet::new();
        Excluded { canonical, ids }
    }

    fn is_empty(&self) -> bool {
        self.canonical.is_empty()
    }

    /// For a root given by the user: inside (or equal to) an excluded directory?
    fn contains_path(&self, path: &Path) -> bool {
        if self.is_empty() {
            return false;
        }
        match fs::canonicalize(path) {
            Ok(c) => self.canonical.iter().any(|ex| c.starts_with(ex)),
            Err(_) => false,
        }
    }

    /// For a directory met during the walk: is it one of the excluded directories?
    fn contains_entry(&self, e: &walkdir::DirEntry) -> bool {
        if self.is_empty() {
            return false;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            if let Ok(m) = e.metadata() {
                return self.ids.contains(&(m.dev(), m.ino()));
            }
        }
        self.contains_path(e.path())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(p: &Path, s: &str) {
        if let Some(d) = p.parent() {
            fs::create_dir_all(d).unwrap();
        }
        fs::write(p, s).unwrap();
    }

    fn rel(root: &Path, p: &Path) -> String {
        p.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/")
    }

    #[test]
    fn nested_folders_kinds_and_skips() {
        let t = tempfile::tempdir().unwrap();
        let r = t.path();
        write(&r.join("b/2019/minutes.TXT"), "one");
        write(&r.join("a/page.htm"), "<p>two</p>");
        write(&r.join("a/deep/er/page.html"), "<p>three</p>");
        write(&r.join("a/notes.text"), "four");
        write(&r.join("a/report.pdf"), "%PDF");
        write(&r.join("a/README"), "no extension");
        write(&r.join("a/.hidden.txt"), "hidden");
        write(&r.join(".git/config.txt"), "hidden dir");
        write(&r.join("a/page.htm.meta.json"), "{}");
        write(&r.join("a/manifest.tsv"), "file\tcouncil\n");
        write(&r.join("b/Manifest.CSV"), "file,council\n");
        write(&r.join("idx/segment.txt"), "index files");

        let w = walk(&[r.to_path_buf()], &[r.join("idx")]);
        let got: Vec<(String, SourceKind)> = w.candidates.iter().map(|c| (rel(r, &c.path), c.kind)).collect();
        assert_eq!(
            got,
            vec![
                ("a/deep/er/page.html".to_string(), SourceKind::Html),
                ("a/notes.text".to_string(), SourceKind::Text),
                ("a/page.htm".to_string(), SourceKind::Html),
                ("b/2019/minutes.TXT".to_string(), SourceKind::Text),
            ]
        );
        let c = &w.candidates[0];
        assert_eq!(c.size, "<p>three</p>".len() as u64);
        assert!(c.mtime_ns > 0);

        let skipped: Vec<(String, &str)> = w.skipped.iter().map(|s| (rel(r, &s.path), s.reason.as_str())).collect();
        assert_eq!(skipped.len(), 2, "{skipped:?}");
        assert_eq!(skipped[0].0, "a/README");
        assert!(skipped[0].1.contains("no file extension"));
        assert_eq!(skipped[1].0, "a/report.pdf");
        assert_eq!(
            skipped[1].1,
            "unsupported file type \".pdf\" (sgsearch reads .txt, .text, .html, .htm; PDF support is planned)"
        );
        let metas: Vec<String> = w.metadata_files.iter().map(|p| rel(r, p)).collect();
        assert_eq!(metas, vec!["a/manifest.tsv", "a/page.htm.meta.json", "b/Manifest.CSV"]);
    }

    #[test]
    fn file_roots_missing_roots_and_overlap() {
        let t = tempfile::tempdir().unwrap();
        let r = t.path();
        write(&r.join("x/one.txt"), "1");
        write(&r.join("x/two.docx"), "2");
        let w = walk(&[r.join("x/one.txt"), r.join("x"), r.join("nope"), r.join("x/two.docx")], &[]);
        assert_eq!(w.candidates.len(), 1, "duplicates are merged");
        assert_eq!(w.skipped.len(), 2);
        assert_eq!(w.skipped[0].path, r.join("nope"));
        assert_eq!(w.skipped[0].reason, "no such file or directory");
        assert!(w.skipped[1].reason.contains("\".docx\""));
        assert!(!w.skipped[1].reason.contains("PDF"));
    }

    #[test]
    fn excluded_root_is_silent() {
        let t = tempfile::tempdir().unwrap();
        write(&t.path().join("idx/a.txt"), "x");
        let w = walk(&[t.path().join("idx")], &[t.path().join("idx")]);
        assert!(w.candidates.is_empty() && w.skipped.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loop_and_broken_link_survive() {
        use std::os::unix::fs::symlink;
        let t = tempfile::tempdir().unwrap();
        let r = t.path();
        write(&r.join("d/sub/a.txt"), "a");
        symlink(r.join("d"), r.join("d/sub/back")).unwrap();
        symlink(r.join("d/missing.txt"), r.join("d/dangling.txt")).unwrap();
        symlink(r.join("d/sub/a.txt"), r.join("d/alias.txt")).unwrap();
        let w = walk(&[r.join("d")], &[]);
        let names: Vec<String> = w.candidates.iter().map(|c| rel(r, &c.path)).collect();
        assert_eq!(names, vec!["d/alias.txt", "d/sub/a.txt"]);
        assert_eq!(w.skipped.len(), 2, "{:?}", w.skipped);
        assert_eq!(rel(r, &w.skipped[0].path), "d/dangling.txt");
        assert!(w.skipped[0].reason.contains("broken symbolic link"));
        assert!(w.skipped[0].reason.contains("os error"));
        assert_eq!(rel(r, &w.skipped[1].path), "d/sub/back");
        assert!(w.skipped[1].reason.contains("loop"));
    }

    #[cfg(unix)]
    #[test]
    fn excluded_via_symlink() {
        use std::os::unix::fs::symlink;
        let t = tempfile::tempdir().unwrap();
        let r = t.path();
        write(&r.join("data/keep.txt"), "k");
        write(&r.join("data/index/seg.txt"), "s");
        symlink(r.join("data/index"), r.join("data/index-link")).unwrap();
        let w = walk(&[r.join("data")], &[r.join("data/./index")]);
        let names: Vec<String> = w.candidates.iter().map(|c| rel(r, &c.path)).collect();
        assert_eq!(names, vec!["data/keep.txt"]);
    }

    #[cfg(unix)]
    #[test]
    fn unreadable_file_and_dir() {
        use std::os::unix::fs::PermissionsExt;
        let t = tempfile::tempdir().unwrap();
        let r = t.path();
        write(&r.join("ok.txt"), "fine");
        write(&r.join("locked.txt"), "secret");
        write(&r.join("closed/inner.txt"), "inner");
        fs::set_permissions(r.join("locked.txt"), fs::Permissions::from_mode(0o000)).unwrap();
        fs::set_permissions(r.join("closed"), fs::Permissions::from_mode(0o000)).unwrap();
        let w = walk(&[r.to_path_buf()], &[]);
        // Restore so tempdir cleanup works.
        fs::set_permissions(r.join("closed"), fs::Permissions::from_mode(0o755)).unwrap();
        fs::set_permissions(r.join("locked.txt"), fs::Permissions::from_mode(0o644)).unwrap();

        // Root (and CAP_DAC_OVERRIDE) can read mode-000 files, so the permission check
        // cannot fail there; only assert the skip when we really are locked out.
        let locked_out = !running_as_root();
        let names: Vec<String> = w.candidates.iter().map(|c| rel(r, &c.path)).collect();
        assert!(names.contains(&"ok.txt".to_string()));
        if locked_out {
            assert_eq!(names, vec!["ok.txt"]);
            let skipped: Vec<(String, &str)> = w.skipped.iter().map(|s| (rel(r, &s.path), s.reason.as_str())).collect();
            assert_eq!(skipped.len(), 2, "{skipped:?}");
            assert_eq!(skipped[0].0, "closed");
            assert!(skipped[0].1.contains("Permission denied"), "{}", skipped[0].1);
            assert_eq!(skipped[1].0, "locked.txt");
            assert!(skipped[1].1.starts_with("cannot read: "));
            assert!(skipped[1].1.contains("os error 13"), "{}", skipped[1].1);
        } else {
            eprintln!("running as root: mode 000 is still readable, permission assertions skipped");
            assert_eq!(names.len(), 3);
        }
    }

    /// Root is detected by the effect that matters: can we read a mode-000 file?
    #[cfg(unix)]
    fn running_as_root() -> bool {
        use std::os::unix::fs::PermissionsExt;
        let Ok(t) = tempfile::tempdir() else {
            return false;
        };
        let p = t.path().join("probe");
        if fs::write(&p, "x").is_err() {
            return false;
        }
        let _ = fs::set_permissions(&p, fs::Permissions::from_mode(0o000));
        let readable = fs::File::open(&p).is_ok();
        let _ = fs::set_permissions(&p, fs::Permissions::from_mode(0o644));
        readable
    }
}
