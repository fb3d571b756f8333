//! Backups of the shop database and restoring one.
//!
//! A backup is a consistent copy made with SQLite's online backup API while the server
//! keeps taking orders (a WAL reader never blocks writers), written under a temporary name
//! and renamed into `<data dir>/backups/` only once complete, as a self-contained file
//! (rollback journal mode, no `-wal` beside it). The newest [`KEEP_BACKUPS`] are kept.
//!
//! Restoring needs the data folder to itself: a running server holds a shared lock on
//! `<data dir>/melt8.lock` ([`DataDirLock`]) and a restore asks for an exclusive one, so it
//! refuses while any server (headless or desktop) uses the folder. The database as it was is
//! backed up first, so a wrong restore can be undone.

use crate::migrate;
use chrono::{DateTime, NaiveDateTime, Utc};
use r2d2_sqlite::rusqlite::backup::{Backup, StepResult};
use r2d2_sqlite::rusqlite::{self, Connection, OpenFlags};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The folder inside the data folder that holds backups.
pub const BACKUP_DIR: &str = "backups";
/// How many backups are kept; older ones are deleted after each new one.
pub const KEEP_BACKUPS: usize = 14;
/// The lock file inside the data folder.
pub const LOCK_FILE: &str = "melt8.lock";

const PREFIX: &str = "melt8-";
const SUFFIX: &str = ".db";
const STAMP: &str = "%Y%m%d-%H%M%S-%3f";

/// What can go wrong with a backup or a restore.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// A server is using the data folder.
    #[error(
        "Melt 8 Kitchen is running with the data folder {0} (it holds {LOCK_FILE}). Stop the server (and the desktop app) first, then restore"
    )]
    InUse(String),
    /// A restore is running on the data folder.
    #[error("a restore is in progress on the data folder {0}; start the server when it is done")]
    Restoring(String),
    /// The file to restore is not a usable Melt 8 database.
    #[error("{path} is not a Melt 8 Kitchen database backup: {reason}")]
    NotABackup {
        /// The file.
        path: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A file operation failed.
    #[error("{what}: {source}")]
    Io {
        /// What we were doing.
        what: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// SQLite failed.
    #[error("{what}: {source}")]
    Sqlite {
        /// What we were doing.
        what: String,
        /// The error.
        source: rusqlite::Error,
    },
}

fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> BackupError {
    let what = what.into();
    move |source| BackupError::Io { what, source }
}

fn sql(what: impl Into<String>) -> impl FnOnce(rusqlite::Error) -> BackupError {
    let what = what.into();
    move |source| BackupError::Sqlite { what, source }
}

/// A lock on the data folder: shared while a server runs, exclusive while a restore runs.
/// Released when dropped, and by the OS when the process dies (even by `kill -9`).
#[derive(Debug)]
pub struct DataDirLock {
    _file: File,
}

impl DataDirLock {
    /// Taken by every server for its whole life. Fails only while a restore runs.
    pub fn shared(data_dir: &Path) -> Result<DataDirLock, BackupError> {
        let file = open_lock_file(data_dir)?;
        match fs4::FileExt::try_lock_shared(&file) {
            Ok(()) => Ok(DataDirLock { _file: file }),
            Err(fs4::TryLockError::WouldBlock) => {
                Err(BackupError::Restoring(data_dir.display().to_string()))
            }
            Err(fs4::TryLockError::Error(e)) => Err(io("locking the data folder")(e)),
        }
    }

    /// Taken by a restore. Fails while any server uses the folder.
    pub fn exclusive(data_dir: &Path) -> Result<DataDirLock, BackupError> {
        let file = open_lock_file(data_dir)?;
        match fs4::FileExt::try_lock(&file) {
            Ok(()) => Ok(DataDirLock { _file: file }),
            Err(fs4::TryLockError::WouldBlock) => {
                Err(BackupError::InUse(data_dir.display().to_string()))
            }
            Err(fs4::TryLockError::Error(e)) => Err(io("locking the data folder")(e)),
        }
    }
}

fn open_lock_file(data_dir: &Path) -> Result<File, BackupError> {
    std::fs::create_dir_all(data_dir).map_err(io(format!(
        "creating the data folder {}",
        data_dir.display()
    )))?;
    let path = data_dir.join(LOCK_FILE);
    File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(io(format!("opening {}", path.display())))
}

/// The backup file name for a moment: `melt8-20261124-180500-123.db` (UTC).
pub fn backup_file_name(at: DateTime<Utc>) -> String {
    format!("{PREFIX}{}{SUFFIX}", at.format(STAMP))
}

/// When a backup file was made, read from its name; `None` for other files.
pub fn backup_time(file_name: &str) -> Option<DateTime<Utc>> {
    let stamp = file_name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    NaiveDateTime::parse_from_str(stamp, STAMP)
        .ok()
        .map(|t| t.and_utc())
}

/// The backups in `dir`, oldest first.
pub fn list_backups(dir: &Path) -> Result<Vec<(DateTime<Utc>, PathBuf)>, BackupError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io(format!("reading {}", dir.display()))(e)),
    };
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.map_err(io(format!("reading {}", dir.display())))?;
        if let Some(at) = entry.file_name().to_str().and_then(backup_time) {
            out.push((at, entry.path()));
        }
    }
    out.sort();
    Ok(out)
}

/// Deletes all but the newest `keep` backups in `dir`; returns the deleted files.
pub fn prune_backups(dir: &Path, keep: usize) -> Result<Vec<PathBuf>, BackupError> {
    let all = list_backups(dir)?;
    let excess = all.len().saturating_sub(keep);
    let mut removed = Vec::new();
    for (_, path) in all.into_iter().take(excess) {
        std::fs::remove_file(&path).map_err(io(format!("deleting {}", path.display())))?;
        removed.push(path);
    }
    Ok(removed)
}

/// Copies the database open on `conn` into a new file in `dir` named for `at`, then keeps
/// the newest [`KEEP_BACKUPS`]. Returns the new file.
pub fn backup_into(
    conn: &Connection,
    dir: &Path,
    at: DateTime<Utc>,
) -> Result<PathBuf, BackupError> {
    let target = write_backup(conn, dir, at)?;
    prune_backups(dir, KEEP_BACKUPS)?;
    Ok(target)
}

/// [`backup_into`] without deleting old backups.
fn write_backup(conn: &Connection, dir: &Path, at: DateTime<Utc>) -> Result<PathBuf, BackupError> {
    std::fs::create_dir_all(dir).map_err(io(format!("creating {}", dir.display())))?;
    // Two backups in the same millisecond: the second takes the next free name.
    let mut stamp = at;
    let mut target = dir.join(backup_file_name(stamp));
    while target.exists() {
        stamp += chrono::Duration::milliseconds(1);
        target = dir.join(backup_file_name(stamp));
    }
    let partial = dir.join(format!(
        ".{}.partial",
        target
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("melt8")
    ));
    let _ = std::fs::remove_file(&partial);
    let written = (|| {
        // Readable by this user only, like the database it copies.
        crate::files::create_private(&partial).map_err(io("creating the backup file"))?;
        let mut dst = Connection::open(&partial).map_err(sql("creating the backup file"))?;
        copy(conn, &mut dst).map_err(sql("copying the database"))?;
        // A self-contained file: no -wal beside it, whatever the source's mode.
        dst.pragma_update(None, "journal_mode", "DELETE")
            .map_err(sql("finishing the backup file"))?;
        dst.close()
            .map_err(|(_, e)| sql("closing the backup file")(e))?;
        File::open(&partial)
            .and_then(|f| f.sync_all())
            .map_err(io("writing the backup to disk"))?;
        std::fs::rename(&partial, &target).map_err(io(format!("naming {}", target.display())))
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(target)
}

/// One pass of the backup API over the whole database, retried while another connection
/// briefly holds a lock.
fn copy(src: &Connection, dst: &mut Connection) -> Result<(), rusqlite::Error> {
    let backup = Backup::new(src, dst)?;
    for _ in 0..200 {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            // A write on another connection restarts the copy; -1 copies everything in
            // one step, so this only repeats while a writer holds the lock.
            _ => std::thread::sleep(Duration::from_millis(25)),
        }
    }
    Err(rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
        Some("the database stayed locked for 5 s".into()),
    ))
}

/// What [`restore`] did.
#[derive(Debug, Clone)]
pub struct Restored {
    /// The database as it was before, saved in the backups folder (none if there was none).
    pub previous: Option<PathBuf>,
    /// Orders in the restored database.
    pub orders: i64,
}

/// Replaces the database at `db_path` with the backup `from`, after checking `from` and
/// saving the current database in `backup_dir`. Refuses while a server uses `data_dir`.
pub fn restore(
    data_dir: &Path,
    db_path: &Path,
    backup_dir: &Path,
    from: &Path,
    now: DateTime<Utc>,
) -> Result<Restored, BackupError> {
    let _lock = DataDirLock::exclusive(data_dir)?;
    let src = check_backup(from)?;
    let previous = if db_path.exists() {
        let conn = Connection::open(db_path).map_err(sql("opening the current database"))?;
        // Not pruned here: the file being restored may be the oldest backup.
        Some(write_backup(&conn, backup_dir, now)?)
    } else {
        None
    };
    crate::files::create_private(db_path).map_err(io("creating the database"))?;
    crate::files::make_private(db_path).map_err(io("making the database private"))?;
    let mut dst = Connection::open(db_path).map_err(sql("opening the database"))?;
    dst.busy_timeout(Duration::from_secs(5))
        .map_err(sql("opening the database"))?;
    copy(&src, &mut dst).map_err(sql("restoring the database"))?;
    dst.pragma_update(None, "journal_mode", "WAL")
        .map_err(sql("restoring the database"))?;
    // The sessions in a backup are sign-ins of the past (perhaps of a lost tablet, or from
    // before a password change): nobody stays signed in through a restore.
    dst.execute("DELETE FROM sessions", [])
        .map_err(sql("signing everyone out of the restored database"))?;
    crate::files::make_private(db_path).map_err(io("making the database private"))?;
    let orders = dst
        .query_row("SELECT COUNT(*) FROM orders", [], |r| r.get(0))
        .map_err(sql("reading the restored database"))?;
    Ok(Restored { previous, orders })
}

/// Opens `path` read-only and checks it is an intact Melt 8 database this build can use.
fn check_backup(path: &Path) -> Result<Connection, BackupError> {
    let bad = |reason: String| BackupError::NotABackup {
        path: path.display().to_string(),
        reason,
    };
    if !path.is_file() {
        return Err(bad("no such file".into()));
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| bad(e.to_string()))?;
    let check: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(|e| bad(e.to_string()))?;
    if check != "ok" {
        return Err(bad(format!("damaged ({check})")));
    }
    let version = migrate::current_version(&conn).map_err(|e| bad(e.to_string()))?;
    if version < 1 {
        return Err(bad("it has no Melt 8 tables".into()));
    }
    if version > migrate::latest_version() {
        return Err(bad(format!(
            "it was written by a newer version of Melt 8 Kitchen (schema {version}, this one knows up to {})",
            migrate::latest_version()
        )));
    }
    Ok(conn)
}
