//! Where the bytes of documents live, behind one small trait with two implementations:
//!
//! - [`DatabaseStore`] (the default): the content in `document_blob_chunks` rows of 256 KiB,
//!   written in the transaction that writes the document's row, so that several instances
//!   share it and no row can name a missing content or leave one behind;
//! - [`FilesystemStore`] (`ESSOR_DOCUMENTS_DIR`): one file per content, named by its SHA-256
//!   only (never by anything the client sent), written atomically (temporary file, fsync,
//!   rename, fsync of the directory) before the transaction; a file no row names (the
//!   transaction failed, or the process died in between) is removed at once when possible, and
//!   else at start-up or by `essor documents gc`.
//!
//! Both address content by its SHA-256: identical content is stored once.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use crate::db::error::{DbError, DbResult};
use crate::db::{documents, DbConnection};

/// The size of a stored chunk, and of each piece a download sends.
pub const CHUNK_BYTES: usize = 256 * 1024;

/// How old an unnamed file must be before garbage collection removes it: an upload on another
/// instance may have written its file and not yet committed its row.
pub const GC_GRACE: Duration = Duration::from_secs(3600);

/// The bytes of documents, by SHA-256 (lowercase hex).
pub trait DocumentStore: Send + Sync {
    /// `database` or `filesystem`.
    fn kind(&self) -> &'static str;

    /// Where an upload is written while it arrives (on the same file system as the store's files,
    /// so that a rename puts it in place).
    fn staging_dir(&self) -> PathBuf;

    /// Before the transaction: makes the staged file's content durable at its address, if the
    /// store keeps files. Returns whether this call created it (for [`DocumentStore::abandon`]).
    fn stage(&self, sha256: &str, staged: &Path) -> std::io::Result<bool>;

    /// Inside the transaction that records a new content (its `document_blobs` row just
    /// inserted): writes its bytes if the store keeps them in the database.
    fn write_new(&self, conn: &mut DbConnection, sha256: &str, staged: &Path) -> DbResult<()>;

    /// After the transaction committed.
    fn committed(&self, sha256: &str);

    /// After the transaction failed: removes what [`DocumentStore::stage`] created, unless a row
    /// names it (another upload of the same content committed meanwhile). Without a connection
    /// to check that, the bytes stay for garbage collection.
    fn abandon(&self, conn: Option<&mut DbConnection>, sha256: &str, created: bool);

    /// After a commit that removed the content's row: drops its bytes if they are outside the
    /// database (database chunks went with the row).
    fn removed(&self, sha256: &str);

    /// Chunk `seq` of the content ([`CHUNK_BYTES`] from `seq * CHUNK_BYTES`), `None` past its end.
    fn read_chunk(&self, conn: &mut DbConnection, sha256: &str, seq: i32) -> DbResult<Option<Vec<u8>>>;

    /// Removes the bytes no row names, older than `grace`; returns how many were removed.
    fn collect_garbage(&self, conn: &mut DbConnection, grace: Duration) -> DbResult<usize>;
}

/// Which store the settings name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageSettings {
    Database,
    Filesystem(PathBuf),
}

/// Opens the store the settings name (creating the filesystem store's directories).
pub fn open(settings: &StorageSettings) -> std::io::Result<Arc<dyn DocumentStore>> {
    Ok(match settings {
        StorageSettings::Database => Arc::new(DatabaseStore),
        StorageSettings::Filesystem(dir) => Arc::new(FilesystemStore::open(dir)?),
    })
}

fn io_error(context: &str, e: std::io::Error) -> DbError {
    DbError::internal_from(context.to_string(), e)
}

/// Contents as chunk rows in the database.
#[derive(Debug, Default)]
pub struct DatabaseStore;

impl DocumentStore for DatabaseStore {
    fn kind(&self) -> &'static str {
        "database"
    }

    fn staging_dir(&self) -> PathBuf {
        std::env::temp_dir()
    }

    fn stage(&self, _: &str, _: &Path) -> std::io::Result<bool> {
        Ok(false)
    }

    fn write_new(&self, conn: &mut DbConnection, sha256: &str, staged: &Path) -> DbResult<()> {
        let mut file = File::open(staged).map_err(|e| io_error("open staged upload", e))?;
        let mut buffer = vec![0u8; CHUNK_BYTES];
        let mut seq = 0;
        loop {
            let n = read_full(&mut file, &mut buffer).map_err(|e| io_error("read staged upload", e))?;
            if n == 0 && seq > 0 {
                break;
            }
            documents::insert_chunk(conn, sha256, seq, &buffer[..n])?;
            seq += 1;
            if n < CHUNK_BYTES {
                break;
            }
        }
        Ok(())
    }

    fn committed(&self, _: &str) {}

    fn abandon(&self, _: Option<&mut DbConnection>, _: &str, _: bool) {}

    fn removed(&self, _: &str) {}

    fn read_chunk(&self, conn: &mut DbConnection, sha256: &str, seq: i32) -> DbResult<Option<Vec<u8>>> {
        documents::chunk(conn, sha256, seq)
    }

    fn collect_garbage(&self, _: &mut DbConnection, _: Duration) -> DbResult<usize> {
        // Chunks are written and removed with their row, in one transaction: nothing to collect.
        Ok(0)
    }
}

/// Reads until `buffer` is full or the file ends; returns how many bytes were read.
fn read_full(file: &mut File, buffer: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match file.read(&mut buffer[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

/// Contents as files `<dir>/objects/<first two hex digits>/<sha256>`; uploads staged in
/// `<dir>/tmp`.
#[derive(Debug)]
pub struct FilesystemStore {
    dir: PathBuf,
    /// Contents this process has staged and not yet committed or abandoned, with how many
    /// uploads are at it: never removed under an upload's feet.
    in_flight: Mutex<HashMap<String, usize>>,
}

impl FilesystemStore {
    pub fn open(dir: &Path) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir.join("objects"))?;
        std::fs::create_dir_all(dir.join("tmp"))?;
        Ok(Self { dir: dir.to_path_buf(), in_flight: Mutex::new(HashMap::new()) })
    }

    /// The file of a content: its path is made of the hash alone.
    fn path_of(&self, sha256: &str) -> DbResult<PathBuf> {
        if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
            return Err(DbError::internal("document store", format!("not a SHA-256: {sha256:?}")));
        }
        Ok(self.dir.join("objects").join(&sha256[..2]).join(sha256))
    }

    fn enter(&self, sha256: &str) {
        *self.in_flight.lock().unwrap_or_else(|p| p.into_inner()).entry(sha256.to_string()).or_default() += 1;
    }

    /// Leaves; returns whether no other upload of this content is in flight.
    fn leave(&self, sha256: &str) -> bool {
        let mut map = self.in_flight.lock().unwrap_or_else(|p| p.into_inner());
        match map.get_mut(sha256) {
            Some(n) if *n > 1 => {
                *n -= 1;
                false
            }
            _ => {
                map.remove(sha256);
                true
            }
        }
    }

    fn is_in_flight(&self, sha256: &str) -> bool {
        self.in_flight.lock().unwrap_or_else(|p| p.into_inner()).contains_key(sha256)
    }
}

fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

impl DocumentStore for FilesystemStore {
    fn kind(&self) -> &'static str {
        "filesystem"
    }

    fn staging_dir(&self) -> PathBuf {
        self.dir.join("tmp")
    }

    fn stage(&self, sha256: &str, staged: &Path) -> std::io::Result<bool> {
        let target = self.path_of(sha256).map_err(|e| std::io::Error::other(e.to_string()))?;
        self.enter(sha256);
        let result = (|| {
            if target.exists() {
                // Fresh again: garbage collection leaves young files alone.
                File::options().append(true).open(&target)?.set_modified(SystemTime::now())?;
                return Ok(false);
            }
            let parent = target.parent().expect("objects/xx");
            std::fs::create_dir_all(parent)?;
            File::open(staged)?.sync_all()?;
            // Same content under the same name: a rename racing another one replaces a whole file
            // by an identical whole file.
            std::fs::rename(staged, &target)?;
            sync_dir(parent)?;
            Ok(true)
        })();
        if result.is_err() {
            self.leave(sha256);
        }
        result
    }

    fn write_new(&self, _: &mut DbConnection, _: &str, _: &Path) -> DbResult<()> {
        Ok(())
    }

    fn committed(&self, sha256: &str) {
        self.leave(sha256);
    }

    fn abandon(&self, conn: Option<&mut DbConnection>, sha256: &str, created: bool) {
        let last = self.leave(sha256);
        let Some(conn) = conn.filter(|_| created && last) else { return };
        // Only when it is sure that no row names it; else garbage collection decides later.
        if let Ok(false) = documents::blob_exists(conn, sha256) {
            if let Ok(path) = self.path_of(sha256) {
                if let Err(e) = std::fs::remove_file(&path) {
                    tracing::warn!(error = %e, sha256, "could not remove an abandoned document file");
                }
            }
        }
    }

    fn removed(&self, sha256: &str) {
        if self.is_in_flight(sha256) {
            return;
        }
        if let Ok(path) = self.path_of(sha256) {
            if let Err(e) = std::fs::remove_file(&path) {
                tracing::warn!(error = %e, sha256, "could not remove a deleted document's file");
            }
        }
    }

    fn read_chunk(&self, _: &mut DbConnection, sha256: &str, seq: i32) -> DbResult<Option<Vec<u8>>> {
        let path = self.path_of(sha256)?;
        let mut file = File::open(&path).map_err(|e| io_error("open document file", e))?;
        let offset = u64::try_from(seq).unwrap_or(0) * CHUNK_BYTES as u64;
        let len = file.metadata().map_err(|e| io_error("stat document file", e))?.len();
        if offset >= len && !(seq == 0 && len == 0) {
            return Ok(None);
        }
        file.seek(SeekFrom::Start(offset)).map_err(|e| io_error("seek document file", e))?;
        let mut buffer = vec![0u8; CHUNK_BYTES];
        let n = read_full(&mut file, &mut buffer).map_err(|e| io_error("read document file", e))?;
        buffer.truncate(n);
        Ok(Some(buffer))
    }

    fn collect_garbage(&self, conn: &mut DbConnection, grace: Duration) -> DbResult<usize> {
        let known: HashSet<String> = documents::all_blobs(conn)?.into_iter().collect();
        let old_enough = |path: &Path| {
            std::fs::metadata(path)
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| SystemTime::now().duration_since(t).ok())
                .is_some_and(|age| age >= grace)
        };
        let mut removed = 0;
        let entries = |dir: &Path| -> Vec<PathBuf> {
            std::fs::read_dir(dir).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default()
        };
        for shard in entries(&self.dir.join("objects")) {
            for file in entries(&shard) {
                let Some(name) = file.file_name().and_then(|n| n.to_str()).map(str::to_string) else {
                    continue;
                };
                if known.contains(&name) || self.is_in_flight(&name) || !old_enough(&file) {
                    continue;
                }
                if std::fs::remove_file(&file).is_ok() {
                    removed += 1;
                }
            }
        }
        for staged in entries(&self.dir.join("tmp")) {
            if old_enough(&staged) && std::fs::remove_file(&staged).is_ok() {
                removed += 1;
            }
        }
        Ok(removed)
    }
}
