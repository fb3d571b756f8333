//! Secrets in the OS keychain (Windows Credential Manager, macOS Keychain, the Secret
//! Service on Linux), one entry per secret under the app's identifier. Where no keychain
//! answers (a Linux PC without GNOME Keyring or KWallet), the server's
//! `FallbackSecretStore` keeps them in a file only this user can read instead.

use kitchen_server::Secret;
use kitchen_server::config::APP_ID;
use kitchen_server::secret_store::{SecretError, SecretStore};

/// The OS keychain.
#[derive(Debug, Default)]
pub struct Keychain;

impl Keychain {
    fn entry(name: &str) -> Result<keyring::Entry, SecretError> {
        keyring::Entry::new(APP_ID, name).map_err(unavailable)
    }
}

/// A keychain failure, in words that never carry a secret.
fn unavailable(e: keyring::Error) -> SecretError {
    let reason = match e {
        keyring::Error::PlatformFailure(_) | keyring::Error::NoStorageAccess(_) => {
            "the system keychain is not available".to_string()
        }
        keyring::Error::BadEncoding(_) => "the keychain holds a damaged entry".to_string(),
        keyring::Error::TooLong(what, max) => format!("{what} is longer than {max}"),
        keyring::Error::Invalid(what, why) => format!("{what} is invalid: {why}"),
        keyring::Error::Ambiguous(_) => "the keychain holds two entries of that name".to_string(),
        other => format!("keychain error: {other}"),
    };
    SecretError::Keychain { reason }
}

impl SecretStore for Keychain {
    fn get(&self, name: &str) -> Result<Option<Secret>, SecretError> {
        match Self::entry(name)?.get_password() {
            Ok(v) => Ok(Some(Secret::new(v))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(unavailable(e)),
        }
    }

    fn set(&self, name: &str, value: &Secret) -> Result<(), SecretError> {
        Self::entry(name)?
            .set_password(value.expose())
            .map_err(unavailable)
    }

    fn delete(&self, name: &str) -> Result<bool, SecretError> {
        match Self::entry(name)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(unavailable(e)),
        }
    }
}
