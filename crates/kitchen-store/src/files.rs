//! The database, its `-wal`/`-shm` and the backups hold every customer's name, phone and
//! address, and the staff's sessions: on Unix they are readable by this user only (0600),
//! whatever the umask, also a database created by an older version with wider permissions.
//! (On Windows the data folder in the user's profile is already private to that user.)

use std::io;
use std::path::{Path, PathBuf};

/// The mode of every data file.
#[cfg(unix)]
pub const PRIVATE_MODE: u32 = 0o600;

/// Creates `path` empty, readable by this user only, unless it already exists (SQLite then
/// writes into it, and its `-wal`/`-shm` get the same permissions).
pub fn create_private(path: &Path) -> io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(PRIVATE_MODE);
    }
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Makes the database at `db` and its `-wal`/`-shm` (those that exist) readable by this
/// user only.
pub fn make_private(db: &Path) -> io::Result<()> {
    for path in with_sidecars(db) {
        set_private(&path)?;
    }
    Ok(())
}

/// `db`, `db-wal`, `db-shm`.
fn with_sidecars(db: &Path) -> [PathBuf; 3] {
    let side = |suffix: &str| {
        let mut name = db.as_os_str().to_os_string();
        name.push(suffix);
        PathBuf::from(name)
    };
    [db.to_path_buf(), side("-wal"), side("-shm")]
}

#[cfg(unix)]
fn set_private(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    match std::fs::metadata(path) {
        Ok(m) if m.permissions().mode() & 0o777 == PRIVATE_MODE => Ok(()),
        Ok(_) => std::fs::set_permissions(path, std::fs::Permissions::from_mode(PRIVATE_MODE)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

#[cfg(not(unix))]
fn set_private(_path: &Path) -> io::Result<()> {
    Ok(())
}
