//! Where the server keeps the owner's secrets (OpenAI key, Twilio auth token, ngrok token):
//! never in SQLite.
//!
//! [`SecretStore`] is what the server reads and writes through (kitchen-server's `Config`
//! carries one). [`FileSecretStore`] is the default (`melt8 serve`, tests) and the fallback for
//! machines without a keychain: `<app data dir>/secrets.json`, readable only by the user,
//! replaced atomically. The desktop shell passes a [`FallbackSecretStore`] over the OS
//! keychain and the file. Values travel as [`Secret`], so a `{:?}` or a log line never
//! shows them, and no error message repeats one.

use kitchen_domain::Secret;
use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// The file's name inside the app data folder.
pub const FILE_NAME: &str = "secrets.json";

/// The names secrets are stored under. (The chef password is not one: only its argon2
/// hash is kept, in SQLite.)
pub mod keys {
    /// OpenAI API key.
    pub const OPENAI_API_KEY: &str = "openai_api_key";
    /// Twilio auth token.
    pub const TWILIO_AUTH_TOKEN: &str = "twilio_auth_token";
    /// ngrok authtoken.
    pub const NGROK_AUTHTOKEN: &str = "ngrok_authtoken";
    /// OpenAI webhook secret (SIP engines).
    pub const OPENAI_WEBHOOK_SECRET: &str = "openai_webhook_secret";
}

/// Why a secret could not be read or written. Never contains a secret value.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    /// The file or folder could not be read or written.
    #[error("could not {action} {path}: {source}")]
    Io {
        /// What was being done.
        action: &'static str,
        /// Where.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// Other users could read the file, so it is not trusted (or used) until fixed.
    #[error(
        "{path} can be read by other users on this computer (permissions {mode:03o}); \
         it must be readable only by you: run `chmod 600 {path}`, or delete it and enter \
         the secrets again in the setup wizard"
    )]
    InsecurePermissions {
        /// The file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// The file is not the JSON object this store writes.
    #[error(
        "{path} is damaged (not a JSON object of names to texts, line {line}, column {column}); \
         delete it and enter the secrets again in the setup wizard"
    )]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// Where parsing stopped.
        line: usize,
        /// Where parsing stopped.
        column: usize,
    },
    /// The OS keychain (the desktop app's store) did not answer or refused.
    #[error("{reason}")]
    Keychain {
        /// What went wrong, in words that never carry a secret.
        reason: String,
    },
}

/// Named secrets that outlive the app. Object-safe: the server holds an
/// `Arc<dyn SecretStore>`. Calls may block (file or keychain I/O): call from
/// `spawn_blocking` in async code.
pub trait SecretStore: Send + Sync + std::fmt::Debug {
    /// The secret stored under `name`, if any.
    fn get(&self, name: &str) -> Result<Option<Secret>, SecretError>;
    /// Stores `value` under `name`, replacing any earlier value.
    fn set(&self, name: &str, value: &Secret) -> Result<(), SecretError>;
    /// Forgets `name`. Returns whether it was stored.
    fn delete(&self, name: &str) -> Result<bool, SecretError>;
}

/// Secrets in `<app data dir>/secrets.json`, mode 0600 on Unix.
#[derive(Debug)]
pub struct FileSecretStore {
    path: PathBuf,
    /// One read-modify-write at a time within the process.
    write_lock: Mutex<()>,
}

impl FileSecretStore {
    /// The store in `app_data_dir` (created on the first write).
    pub fn in_dir(app_data_dir: impl AsRef<Path>) -> Self {
        FileSecretStore {
            path: app_data_dir.as_ref().join(FILE_NAME),
            write_lock: Mutex::new(()),
        }
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn lock(&self) -> MutexGuard<'_, ()> {
        self.write_lock
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn io(&self, action: &'static str, source: std::io::Error) -> SecretError {
        SecretError::Io {
            action,
            path: self.path.clone(),
            source,
        }
    }

    /// Every stored secret; empty when the file does not exist yet.
    fn read_all(&self) -> Result<BTreeMap<String, String>, SecretError> {
        let file = match fs::File::open(&self.path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
            Err(e) => return Err(self.io("open", e)),
        };
        check_private(&self.path, &file)?;
        let text = std::io::read_to_string(file).map_err(|e| self.io("read", e))?;
        if text.trim().is_empty() {
            return Ok(BTreeMap::new());
        }
        // serde_json's message may quote the text it choked on; keep only the position.
        serde_json::from_str(&text).map_err(|e| SecretError::Corrupt {
            path: self.path.clone(),
            line: e.line(),
            column: e.column(),
        })
    }

    /// Replaces the file: a private temp file in the same folder, synced, renamed over it.
    fn write_all(&self, secrets: &BTreeMap<String, String>) -> Result<(), SecretError> {
        let dir = match self.path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&dir).map_err(|e| self.io("create the folder of", e))?;
        // `tempfile` creates it with mode 0600 on Unix; the rename keeps that mode.
        let mut tmp = tempfile::Builder::new()
            .prefix(".secrets.")
            .suffix(".tmp")
            .tempfile_in(&dir)
            .map_err(|e| self.io("create a temporary file next to", e))?;
        set_private(tmp.as_file()).map_err(|e| self.io("restrict the permissions of", e))?;
        let json = serde_json::to_vec_pretty(secrets)
            .map_err(|e| self.io("encode", std::io::Error::other(e.to_string())))?;
        tmp.write_all(&json)
            .and_then(|()| tmp.as_file().sync_all())
            .map_err(|e| self.io("write", e))?;
        tmp.persist(&self.path)
            .map_err(|e| self.io("replace", e.error))?;
        sync_dir(&dir);
        Ok(())
    }
}

impl SecretStore for FileSecretStore {
    fn get(&self, name: &str) -> Result<Option<Secret>, SecretError> {
        let _guard = self.lock();
        Ok(self.read_all()?.remove(name).map(Secret::new))
    }

    fn set(&self, name: &str, value: &Secret) -> Result<(), SecretError> {
        let _guard = self.lock();
        let mut all = self.read_all()?;
        all.insert(name.to_string(), value.expose().to_string());
        self.write_all(&all)
    }

    fn delete(&self, name: &str) -> Result<bool, SecretError> {
        let _guard = self.lock();
        let mut all = self.read_all()?;
        if all.remove(name).is_none() {
            return Ok(false);
        }
        self.write_all(&all)?;
        Ok(true)
    }
}

/// Secrets in memory only (tests, and a shell that must not touch the disk).
#[derive(Debug, Default)]
pub struct MemorySecretStore {
    secrets: Mutex<BTreeMap<String, Secret>>,
}

impl MemorySecretStore {
    fn map(&self) -> MutexGuard<'_, BTreeMap<String, Secret>> {
        self.secrets
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl SecretStore for MemorySecretStore {
    fn get(&self, name: &str) -> Result<Option<Secret>, SecretError> {
        Ok(self.map().get(name).cloned())
    }

    fn set(&self, name: &str, value: &Secret) -> Result<(), SecretError> {
        self.map().insert(name.to_string(), value.clone());
        Ok(())
    }

    fn delete(&self, name: &str) -> Result<bool, SecretError> {
        Ok(self.map().remove(name).is_some())
    }
}

/// The OS keychain first, a file where the keychain fails: every call goes to `primary`;
/// when it errors (no keychain service, a locked keychain), the same call goes to
/// `fallback`, with a warning logged once (never a value). Reads that find nothing in the
/// primary also look in the fallback, so secrets saved there while the keychain was away
/// are still found.
#[derive(Debug)]
pub struct FallbackSecretStore<P, F> {
    primary: P,
    fallback: F,
    warned: std::sync::atomic::AtomicBool,
}

impl<P: SecretStore, F: SecretStore> FallbackSecretStore<P, F> {
    /// `primary` (the keychain), else `fallback` (the file).
    pub fn new(primary: P, fallback: F) -> Self {
        FallbackSecretStore {
            primary,
            fallback,
            warned: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// Whether the primary has failed at least once (the tray can say so).
    pub fn fell_back(&self) -> bool {
        self.warned.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn warn_once(&self, error: &SecretError) {
        if !self.warned.swap(true, std::sync::atomic::Ordering::Relaxed) {
            // The error names a path or an OS message, never a value.
            tracing::warn!(
                error = %error,
                "the system keychain is not available; keeping secrets in a file only you can read instead"
            );
        }
    }
}

impl<P: SecretStore, F: SecretStore> SecretStore for FallbackSecretStore<P, F> {
    fn get(&self, name: &str) -> Result<Option<Secret>, SecretError> {
        match self.primary.get(name) {
            Ok(Some(v)) => Ok(Some(v)),
            Ok(None) => self.fallback.get(name),
            Err(e) => {
                self.warn_once(&e);
                self.fallback.get(name)
            }
        }
    }

    fn set(&self, name: &str, value: &Secret) -> Result<(), SecretError> {
        match self.primary.set(name, value) {
            Ok(()) => {
                // An older copy in the file must not outlive the new one.
                if let Err(e) = self.fallback.delete(name) {
                    self.warn_once(&e);
                }
                Ok(())
            }
            Err(e) => {
                self.warn_once(&e);
                self.fallback.set(name, value)
            }
        }
    }

    fn delete(&self, name: &str) -> Result<bool, SecretError> {
        let in_primary = match self.primary.delete(name) {
            Ok(b) => b,
            Err(e) => {
                self.warn_once(&e);
                false
            }
        };
        let in_fallback = self.fallback.delete(name)?;
        Ok(in_primary || in_fallback)
    }
}

#[cfg(unix)]
fn check_private(path: &Path, file: &fs::File) -> Result<(), SecretError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = file
        .metadata()
        .map_err(|source| SecretError::Io {
            action: "check the permissions of",
            path: path.to_path_buf(),
            source,
        })?
        .permissions()
        .mode()
        & 0o777;
    if mode & 0o077 != 0 {
        return Err(SecretError::InsecurePermissions {
            path: path.to_path_buf(),
            mode,
        });
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_path: &Path, _file: &fs::File) -> Result<(), SecretError> {
    // The user's app data folder is private to them by default outside Unix.
    Ok(())
}

#[cfg(unix)]
fn set_private(file: &fs::File) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn set_private(_file: &fs::File) -> std::io::Result<()> {
    Ok(())
}

/// Makes the rename durable; best effort (not every platform can sync a folder).
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(dir) {
        let _best_effort = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stores(dir: &Path) -> Vec<Box<dyn SecretStore>> {
        vec![
            Box::new(FileSecretStore::in_dir(dir.join("app"))),
            Box::new(MemorySecretStore::default()),
        ]
    }

    #[test]
    fn set_get_replace_delete() -> Result<(), SecretError> {
        let dir = tempfile::tempdir().map_err(|e| SecretError::Io {
            action: "create",
            path: PathBuf::from("tempdir"),
            source: e,
        })?;
        for store in stores(dir.path()) {
            assert!(store.get(keys::OPENAI_API_KEY)?.is_none());
            store.set(keys::OPENAI_API_KEY, &Secret::new("sk-one"))?;
            store.set(keys::NGROK_AUTHTOKEN, &Secret::new("ngrok-1"))?;
            store.set(keys::OPENAI_API_KEY, &Secret::new("sk-two"))?;
            assert_eq!(
                store
                    .get(keys::OPENAI_API_KEY)?
                    .map(|s| s.expose().to_string()),
                Some("sk-two".to_string())
            );
            assert!(store.delete(keys::OPENAI_API_KEY)?);
            assert!(!store.delete(keys::OPENAI_API_KEY)?);
            assert!(store.get(keys::OPENAI_API_KEY)?.is_none());
            assert_eq!(
                store
                    .get(keys::NGROK_AUTHTOKEN)?
                    .map(|s| s.expose().to_string()),
                Some("ngrok-1".to_string())
            );
        }
        Ok(())
    }

    #[test]
    fn survives_a_restart_and_leaves_no_temp_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = FileSecretStore::in_dir(dir.path());
        store
            .set(keys::TWILIO_AUTH_TOKEN, &Secret::new("tok"))
            .expect("set");
        store
            .set(keys::NGROK_AUTHTOKEN, &Secret::new("ngrok"))
            .expect("set");
        let reopened = FileSecretStore::in_dir(dir.path());
        assert_eq!(
            reopened
                .get(keys::TWILIO_AUTH_TOKEN)
                .expect("get")
                .map(|s| s.expose().to_string()),
            Some("tok".to_string())
        );
        let names: Vec<String> = fs::read_dir(dir.path())
            .expect("read_dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec![FILE_NAME.to_string()]);
    }

    #[cfg(unix)]
    #[test]
    fn the_file_is_readable_only_by_the_user() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let store = FileSecretStore::in_dir(dir.path());
        store.set("a", &Secret::new("1")).expect("set");
        let mode = fs::metadata(store.path())
            .expect("metadata")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        // Still private after being replaced.
        store.set("b", &Secret::new("2")).expect("set");
        let mode = fs::metadata(store.path())
            .expect("metadata")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[cfg(unix)]
    #[test]
    fn a_file_others_can_read_is_refused_with_a_clear_error() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let store = FileSecretStore::in_dir(dir.path());
        store.set("a", &Secret::new("sk-visible")).expect("set");
        for mode in [0o644, 0o640, 0o604] {
            fs::set_permissions(store.path(), fs::Permissions::from_mode(mode)).expect("chmod");
            let err = match store.get("a") {
                Ok(_) => panic!("mode {mode:o} accepted"),
                Err(e) => e,
            };
            assert!(
                matches!(err, SecretError::InsecurePermissions { mode: m, .. } if m == mode),
                "{err:?}"
            );
            let text = err.to_string();
            assert!(text.contains("can be read by other users"), "{text}");
            assert!(text.contains("chmod 600"), "{text}");
            assert!(!text.contains("sk-visible"), "{text}");
            // Writing is refused too, so a bad file is never silently rewritten.
            assert!(store.set("b", &Secret::new("x")).is_err());
        }
        fs::set_permissions(store.path(), fs::Permissions::from_mode(0o600)).expect("chmod");
        assert!(store.get("a").expect("get").is_some());
    }

    #[test]
    fn a_damaged_file_is_reported_without_its_contents() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = FileSecretStore::in_dir(dir.path());
        store.set("a", &Secret::new("1")).expect("set");
        // Rewrite in place, keeping the private mode.
        fs::write(store.path(), r#"{"a": ["sk-secret-value"]}"#).expect("write");
        let err = match store.get("a") {
            Ok(_) => panic!("damaged file accepted"),
            Err(e) => e,
        };
        assert!(matches!(err, SecretError::Corrupt { .. }), "{err:?}");
        let text = format!("{err} {err:?}");
        assert!(!text.contains("sk-secret-value"), "{text}");
        assert!(text.contains("damaged"), "{text}");
    }

    #[test]
    fn debug_output_never_shows_a_value() {
        let store = MemorySecretStore::default();
        store.set("k", &Secret::new("hunter2")).expect("set");
        assert!(!format!("{store:?}").contains("hunter2"));
    }

    /// A keychain that is not there: every call fails.
    #[derive(Debug, Default)]
    struct BrokenKeychain {
        calls: std::sync::atomic::AtomicUsize,
    }

    impl SecretStore for BrokenKeychain {
        fn get(&self, _name: &str) -> Result<Option<Secret>, SecretError> {
            Err(self.fail())
        }
        fn set(&self, _name: &str, _value: &Secret) -> Result<(), SecretError> {
            Err(self.fail())
        }
        fn delete(&self, _name: &str) -> Result<bool, SecretError> {
            Err(self.fail())
        }
    }

    impl BrokenKeychain {
        fn fail(&self) -> SecretError {
            self.calls
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            SecretError::Io {
                action: "reach",
                path: PathBuf::from("the system keychain"),
                source: std::io::Error::other("no secret service on the session bus"),
            }
        }
    }

    #[test]
    fn a_failing_keychain_falls_back_to_the_private_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = FallbackSecretStore::new(
            BrokenKeychain::default(),
            FileSecretStore::in_dir(dir.path()),
        );
        assert!(!store.fell_back());
        store
            .set(keys::OPENAI_API_KEY, &Secret::new("sk-fallback"))
            .expect("set falls back");
        assert!(store.fell_back());
        assert_eq!(
            store
                .get(keys::OPENAI_API_KEY)
                .expect("get falls back")
                .map(|s| s.expose().to_string()),
            Some("sk-fallback".to_string())
        );
        // It really is in the file, which a fresh file store reads.
        let file = FileSecretStore::in_dir(dir.path());
        assert!(file.get(keys::OPENAI_API_KEY).expect("get").is_some());
        assert!(store.delete(keys::OPENAI_API_KEY).expect("delete"));
        assert!(file.get(keys::OPENAI_API_KEY).expect("get").is_none());
        assert!(
            store
                .primary
                .calls
                .load(std::sync::atomic::Ordering::Relaxed)
                >= 3
        );
    }

    #[test]
    fn a_working_keychain_is_used_and_older_file_copies_are_removed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = FileSecretStore::in_dir(dir.path());
        file.set(keys::TWILIO_AUTH_TOKEN, &Secret::new("old"))
            .expect("set");
        let store = FallbackSecretStore::new(MemorySecretStore::default(), file);
        // Found in the file while the keychain has nothing.
        assert_eq!(
            store
                .get(keys::TWILIO_AUTH_TOKEN)
                .expect("get")
                .map(|s| s.expose().to_string()),
            Some("old".to_string())
        );
        store
            .set(keys::TWILIO_AUTH_TOKEN, &Secret::new("new"))
            .expect("set");
        assert!(!store.fell_back());
        assert_eq!(
            store
                .primary
                .get(keys::TWILIO_AUTH_TOKEN)
                .expect("get")
                .map(|s| s.expose().to_string()),
            Some("new".to_string())
        );
        assert!(
            store
                .fallback
                .get(keys::TWILIO_AUTH_TOKEN)
                .expect("get")
                .is_none()
        );
    }
}
