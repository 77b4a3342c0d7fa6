//! How a reader reads the index files: memory-mapped, except for small reads of the
//! document store, which are copied out with `pread`.
//!
//! A store block is a couple of KB somewhere in hundreds of MB. Through the map each
//! one costs a page fault that maps the 16 pages around it (fault-around): `mentions
//! neglect` at 1 GB took 12,000 faults, a third of its time in the kernel. A `pread`
//! of the same bytes from the page cache is one short system call and no page-table
//! work. Everything else (postings, dictionaries, columns, the store's own index)
//! stays mapped, read lazily and without copies.

use std::fs::File;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tantivy::directory::error::{DeleteError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, OwnedBytes, WatchCallback, WatchHandle, WritePtr,
};
use tantivy::HasLen;

/// Reads up to this many bytes are copied; longer ones are slices of the map.
const COPY_AT_MOST: usize = 64 * 1024;

/// An [`MmapDirectory`] whose document-store files read small ranges with `pread`.
#[derive(Debug, Clone)]
pub struct ReadDirectory {
    mapped: MmapDirectory,
    root: PathBuf,
}

impl ReadDirectory {
    pub fn open(root: &Path) -> Result<ReadDirectory, tantivy::directory::error::OpenDirectoryError> {
        Ok(ReadDirectory { mapped: MmapDirectory::open(root)?, root: root.to_path_buf() })
    }
}

fn is_store(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "store")
}

/// A store file: the map for long reads, the open file for short ones.
#[derive(Debug)]
struct StoreFile {
    mapped: Arc<dyn FileHandle>,
    file: File,
}

impl HasLen for StoreFile {
    fn len(&self) -> usize {
        self.mapped.len()
    }
}

impl FileHandle for StoreFile {
    fn read_bytes(&self, range: Range<usize>) -> std::io::Result<OwnedBytes> {
        if range.len() > COPY_AT_MOST || range.end > self.len() {
            return self.mapped.read_bytes(range);
        }
        let mut buf = vec![0u8; range.len()];
        read_at(&self.file, &mut buf, range.start as u64)?;
        Ok(OwnedBytes::new(buf))
    }
}

/// Fills `buf` from `file` at byte `at`.
#[cfg(unix)]
pub(crate) fn read_at(file: &File, buf: &mut [u8], at: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, at)
}

#[cfg(not(unix))]
pub(crate) fn read_at(file: &File, buf: &mut [u8], at: u64) -> std::io::Result<()> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = file.try_clone()?;
    f.seek(SeekFrom::Start(at))?;
    f.read_exact(buf)
}

impl Directory for ReadDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        let mapped = self.mapped.get_file_handle(path)?;
        if !is_store(path) || mapped.len() == 0 {
            return Ok(mapped);
        }
        // The map holds the file's data even if a merge deletes it; so does this
        // descriptor, opened now, while the map is fresh.
        let file = File::open(self.root.join(path)).map_err(|e| OpenReadError::wrap_io_error(e, path.to_path_buf()))?;
        Ok(Arc::new(StoreFile { mapped, file }))
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.mapped.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.mapped.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.mapped.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.mapped.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> std::io::Result<()> {
        self.mapped.atomic_write(path, data)
    }

    fn sync_directory(&self) -> std::io::Result<()> {
        self.mapped.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, tantivy::directory::error::LockError> {
        self.mapped.acquire_lock(lock)
    }

    fn watch(&self, callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.mapped.watch(callback)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_reads_match_the_map_short_and_long() {
        let dir = tempfile::tempdir().unwrap();
        let bytes: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect();
        std::fs::write(dir.path().join("a.store"), &bytes).unwrap();
        let d = ReadDirectory::open(dir.path()).unwrap();
        let h = d.get_file_handle(Path::new("a.store")).unwrap();
        assert_eq!(h.len(), bytes.len());
        for r in [0..10, 4_000..8_096, 100..(100 + COPY_AT_MOST + 1), 150_000..200_000, 0..200_000] {
            assert_eq!(h.read_bytes(r.clone()).unwrap().as_slice(), &bytes[r]);
        }
    }
}
