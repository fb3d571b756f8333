//! The shop's settings edited from the dashboard and the setup wizard: name, greeting,
//! delivery time, ticket timer thresholds, phone numbers, Twilio account, OpenAI model,
//! ngrok domain, start at login; and three secrets (write-only).
//!
//! Plain values live in SQLite's `settings` table; the secrets (OpenAI key, Twilio auth
//! token, ngrok token) live in the [`SecretStore`], never in SQLite. A stored value wins over
//! the environment/flag it overrides (`SHOP_NAME`, `SHOP_GREETING`, `ETA_MINUTES`,
//! `SHOP_PHONE`, `TWILIO_ACCOUNT_SID`, `TWILIO_PHONE_NUMBER`, `OPENAI_REALTIME_MODEL`,
//! `NGROK_DOMAIN`, `OPENAI_API_KEY`, `TWILIO_AUTH_TOKEN`, `NGROK_AUTHTOKEN`); clearing it
//! falls back to that value again. Changes reach the phone side at once.

use crate::secret_store::{self, SecretError, SecretStore};
use crate::setup::{check_account_sid, check_model, check_ngrok_domain, check_phone};
use kitchen_domain::{PhoneNumber, Secret};
use kitchen_store::{Store, StoreError, keys};
use kitchen_wire::SettingsUpdate;
use std::sync::Arc;

/// Timer defaults (minutes) when nothing is stored.
pub const DEFAULT_AMBER_AFTER: u32 = 5;
/// See [`DEFAULT_AMBER_AFTER`].
pub const DEFAULT_RED_AFTER: u32 = 10;

/// What is stored: each field overrides the configuration when set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoredSettings {
    /// `shop_name`.
    pub shop_name: Option<String>,
    /// `greeting`.
    pub greeting: Option<String>,
    /// `eta_minutes`.
    pub eta_minutes: Option<u32>,
    /// `amber_after_minutes`.
    pub amber_after_minutes: Option<u32>,
    /// `red_after_minutes`.
    pub red_after_minutes: Option<u32>,
    /// `shop_phone`, E.164.
    pub shop_phone: Option<String>,
    /// `twilio_account_sid`.
    pub twilio_account_sid: Option<String>,
    /// `twilio_phone_number`, E.164.
    pub twilio_phone_number: Option<String>,
    /// `openai_model`.
    pub openai_model: Option<String>,
    /// `ngrok_domain`.
    pub ngrok_domain: Option<String>,
    /// `start_at_login`.
    pub start_at_login: Option<bool>,
    /// `setup_done`: the first-run wizard was saved.
    pub setup_done: bool,
    /// The OpenAI key, from the secret store.
    pub openai_api_key: Option<Secret>,
    /// The Twilio auth token, from the secret store.
    pub twilio_auth_token: Option<Secret>,
    /// The ngrok token, from the secret store.
    pub ngrok_authtoken: Option<Secret>,
}

/// Why the settings could not be read or saved.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The secret store failed (its message names the file and the fix, never a value).
    #[error(transparent)]
    Secrets(#[from] SecretError),
}

/// The secrets kept in the secret store, under the same names the API uses.
const SECRET_NAMES: [&str; 3] = [
    secret_store::keys::OPENAI_API_KEY,
    secret_store::keys::TWILIO_AUTH_TOKEN,
    secret_store::keys::NGROK_AUTHTOKEN,
];

/// Runs blocking secret-store work off the async threads.
pub async fn with_secrets<T: Send + 'static>(
    secrets: &Arc<dyn SecretStore>,
    f: impl FnOnce(&dyn SecretStore) -> Result<T, SecretError> + Send + 'static,
) -> Result<T, SecretError> {
    let secrets = secrets.clone();
    tokio::task::spawn_blocking(move || f(secrets.as_ref()))
        .await
        .map_err(|e| SecretError::Io {
            action: "use",
            path: "the secret store".into(),
            source: std::io::Error::other(e.to_string()),
        })?
}

/// Writes secret changes: `Some` stores, `None` forgets.
pub async fn save_secrets(
    secrets: &Arc<dyn SecretStore>,
    changes: Vec<(&'static str, Option<Secret>)>,
) -> Result<(), SecretError> {
    if changes.is_empty() {
        return Ok(());
    }
    with_secrets(secrets, move |s| {
        for (name, value) in &changes {
            match value {
                Some(v) => s.set(name, v)?,
                None => {
                    s.delete(name)?;
                }
            }
        }
        Ok(())
    })
    .await
}

/// Moves secrets that older versions kept in SQLite's `settings` table into the secret
/// store, then deletes those rows so that no copy stays in the database file (secure
/// delete, `VACUUM`, WAL truncated). A value already in the secret store is newer and wins.
/// Returns how many rows were moved.
pub async fn move_secrets_out_of_sqlite(
    store: &Store,
    secrets: &Arc<dyn SecretStore>,
) -> Result<usize, SettingsError> {
    const OLD: &[&str] = &[keys::OPENAI_API_KEY, keys::TWILIO_AUTH_TOKEN];
    let found: Vec<(&'static str, String)> = OLD
        .iter()
        .copied()
        .zip(store.settings(OLD).await?)
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect();
    if found.is_empty() {
        return Ok(0);
    }
    let moved = found.len();
    with_secrets(secrets, move |s| {
        for (name, value) in &found {
            if s.get(name)?.is_none() {
                s.set(name, &Secret::new(value.as_str()))?;
            }
        }
        Ok(())
    })
    .await?;
    store
        .call(|c| {
            c.pragma_update(None, "secure_delete", "ON")?;
            c.execute(
                "DELETE FROM settings WHERE key IN (?1, ?2)",
                [keys::OPENAI_API_KEY, keys::TWILIO_AUTH_TOKEN],
            )?;
            // Older values of these rows may sit in free pages or the WAL: rewrite the file.
            c.execute_batch("VACUUM")?;
            c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
            c.pragma_update(None, "secure_delete", "OFF")?;
            Ok(())
        })
        .await?;
    tracing::info!(
        moved,
        "moved secrets from the database into the secret store"
    );
    Ok(moved)
}

impl StoredSettings {
    /// Reads every plain setting in one database call and the secrets from `secrets` (a
    /// number that does not parse counts as unset, with a warning).
    pub async fn load(
        store: &Store,
        secrets: &Arc<dyn SecretStore>,
    ) -> Result<StoredSettings, SettingsError> {
        const KEYS: &[&str] = &[
            keys::SHOP_NAME,
            keys::GREETING,
            keys::ETA_MINUTES,
            keys::AMBER_AFTER_MINUTES,
            keys::RED_AFTER_MINUTES,
            keys::SHOP_PHONE,
            keys::TWILIO_ACCOUNT_SID,
            keys::TWILIO_PHONE_NUMBER,
            keys::OPENAI_MODEL,
            keys::NGROK_DOMAIN,
            keys::START_AT_LOGIN,
            keys::SETUP_DONE,
        ];
        let mut values = store.settings(KEYS).await?.into_iter();
        let mut text = || values.next().flatten();
        let number = |key: &'static str, v: Option<String>| {
            v.and_then(|v| {
                let n = v.parse::<u32>().ok();
                if n.is_none() {
                    tracing::warn!(key, "ignored a stored setting that is not a number");
                }
                n
            })
        };
        let shop_name = text();
        let greeting = text();
        let eta_minutes = number(keys::ETA_MINUTES, text());
        let amber_after_minutes = number(keys::AMBER_AFTER_MINUTES, text());
        let red_after_minutes = number(keys::RED_AFTER_MINUTES, text());
        let shop_phone = text();
        let twilio_account_sid = text();
        let twilio_phone_number = text();
        let openai_model = text();
        let ngrok_domain = text();
        let start_at_login = text().map(|v| v == "true");
        let setup_done = text().is_some_and(|v| v == "true");
        let [openai_api_key, twilio_auth_token, ngrok_authtoken] = with_secrets(secrets, |s| {
            Ok([
                s.get(SECRET_NAMES[0])?,
                s.get(SECRET_NAMES[1])?,
                s.get(SECRET_NAMES[2])?,
            ])
        })
        .await?;
        Ok(StoredSettings {
            shop_name,
            greeting,
            eta_minutes,
            amber_after_minutes,
            red_after_minutes,
            shop_phone,
            twilio_account_sid,
            twilio_phone_number,
            openai_model,
            ngrok_domain,
            start_at_login,
            setup_done,
            openai_api_key,
            twilio_auth_token,
            ngrok_authtoken,
        })
    }

    /// Whether the desktop app should start at login: on by default once setup is done.
    pub fn start_at_login(&self) -> bool {
        self.start_at_login.unwrap_or(self.setup_done)
    }
}

/// A checked settings update: rows for SQLite, changes for the secret store.
#[derive(Debug, Default)]
pub struct ValidUpdate {
    /// `Some` sets a key, `None` removes it.
    pub rows: Vec<(&'static str, Option<String>)>,
    /// `Some` stores a secret, `None` forgets it.
    pub secrets: Vec<(&'static str, Option<Secret>)>,
}

/// A setting that cannot be saved: which field and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct SettingError {
    /// The field's name in the request.
    pub field: &'static str,
    /// What is wrong and what to do.
    pub message: String,
}

fn invalid(field: &'static str, message: impl Into<String>) -> SettingError {
    SettingError {
        field,
        message: message.into(),
    }
}

fn range(field: &'static str, v: u32, lo: u32, hi: u32) -> Result<u32, SettingError> {
    if (lo..=hi).contains(&v) {
        Ok(v)
    } else {
        Err(invalid(
            field,
            format!("{v} is out of range; use a number from {lo} to {hi}"),
        ))
    }
}

fn secret(field: &'static str, v: &str) -> Result<Option<String>, SettingError> {
    let v = v.trim();
    if v.is_empty() {
        return Ok(None);
    }
    if v.len() > 400 || v.chars().any(char::is_whitespace) {
        return Err(invalid(
            field,
            "this does not look like a key: paste it again without spaces",
        ));
    }
    Ok(Some(v.to_string()))
}

fn check_twilio_number(number: &str) -> Result<String, String> {
    check_phone(number, "your Twilio number")
}

/// Checks every field of `update` against `current` and returns what to write.
pub fn validate_update(
    update: &SettingsUpdate,
    current: &StoredSettings,
) -> Result<ValidUpdate, SettingError> {
    let mut rows = Vec::new();
    let mut secrets = Vec::new();
    if let Some(name) = &update.shop_name {
        let name = name.trim();
        let n = name.chars().count();
        if n == 0 || n > 80 {
            return Err(invalid(
                "shop_name",
                "the shop name must be 1 to 80 characters",
            ));
        }
        rows.push((keys::SHOP_NAME, Some(name.to_string())));
    }
    if let Some(g) = &update.greeting {
        let g = g.trim();
        if g.chars().count() > 300 {
            return Err(invalid(
                "greeting",
                "keep the greeting under 300 characters",
            ));
        }
        rows.push((keys::GREETING, (!g.is_empty()).then(|| g.to_string())));
    }
    if let Some(v) = update.eta_minutes {
        let v = range("eta_minutes", v, 5, 180)?;
        rows.push((keys::ETA_MINUTES, Some(v.to_string())));
    }
    let amber = match update.amber_after_minutes {
        Some(v) => Some(range("amber_after_minutes", v, 1, 120)?),
        None => None,
    };
    let red = match update.red_after_minutes {
        Some(v) => Some(range("red_after_minutes", v, 2, 240)?),
        None => None,
    };
    let amber_now = amber
        .or(current.amber_after_minutes)
        .unwrap_or(DEFAULT_AMBER_AFTER);
    let red_now = red
        .or(current.red_after_minutes)
        .unwrap_or(DEFAULT_RED_AFTER);
    if amber.is_some() || red.is_some() {
        if red_now <= amber_now {
            let field = if red.is_some() {
                "red_after_minutes"
            } else {
                "amber_after_minutes"
            };
            return Err(invalid(
                field,
                format!("red ({red_now} min) must come after amber ({amber_now} min)"),
            ));
        }
        if let Some(v) = amber {
            rows.push((keys::AMBER_AFTER_MINUTES, Some(v.to_string())));
        }
        if let Some(v) = red {
            rows.push((keys::RED_AFTER_MINUTES, Some(v.to_string())));
        }
    }
    if let Some(p) = &update.shop_phone {
        let p = p.trim();
        if p.is_empty() {
            rows.push((keys::SHOP_PHONE, None));
        } else {
            match PhoneNumber::parse(p) {
                Ok(PhoneNumber::E164(e)) => rows.push((keys::SHOP_PHONE, Some(e))),
                Ok(PhoneNumber::Withheld) => {
                    return Err(invalid("shop_phone", "give the shop's full phone number"));
                }
                Err(e) => return Err(invalid("shop_phone", e.to_string())),
            }
        }
    }
    let optional = |field: &'static str,
                    v: &Option<String>,
                    check: fn(&str) -> Result<String, String>|
     -> Result<Option<Option<String>>, SettingError> {
        match v.as_deref().map(str::trim) {
            None => Ok(None),
            Some("") => Ok(Some(None)),
            Some(v) => check(v)
                .map(|v| Some(Some(v)))
                .map_err(|m| invalid(field, m)),
        }
    };
    if let Some(v) = optional(
        "twilio_account_sid",
        &update.twilio_account_sid,
        check_account_sid,
    )? {
        rows.push((keys::TWILIO_ACCOUNT_SID, v));
    }
    if let Some(v) = optional(
        "twilio_phone_number",
        &update.twilio_phone_number,
        check_twilio_number,
    )? {
        rows.push((keys::TWILIO_PHONE_NUMBER, v));
    }
    if let Some(v) = optional("openai_model", &update.openai_model, check_model)? {
        rows.push((keys::OPENAI_MODEL, v));
    }
    if let Some(v) = optional("ngrok_domain", &update.ngrok_domain, check_ngrok_domain)? {
        rows.push((keys::NGROK_DOMAIN, v));
    }
    if let Some(v) = update.start_at_login {
        rows.push((keys::START_AT_LOGIN, Some(v.to_string())));
    }
    for (name, value) in [
        (secret_store::keys::OPENAI_API_KEY, &update.openai_api_key),
        (
            secret_store::keys::TWILIO_AUTH_TOKEN,
            &update.twilio_auth_token,
        ),
        (secret_store::keys::NGROK_AUTHTOKEN, &update.ngrok_authtoken),
    ] {
        if let Some(v) = value {
            secrets.push((name, secret(name, v)?.map(Secret::new)));
        }
    }
    Ok(ValidUpdate { rows, secrets })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_values_name_their_field() {
        let cur = StoredSettings::default();
        let cases = [
            (
                SettingsUpdate {
                    shop_name: Some("  ".into()),
                    ..Default::default()
                },
                "shop_name",
            ),
            (
                SettingsUpdate {
                    eta_minutes: Some(0),
                    ..Default::default()
                },
                "eta_minutes",
            ),
            (
                SettingsUpdate {
                    red_after_minutes: Some(4),
                    ..Default::default()
                },
                "red_after_minutes",
            ),
            (
                SettingsUpdate {
                    shop_phone: Some("call me".into()),
                    ..Default::default()
                },
                "shop_phone",
            ),
            (
                SettingsUpdate {
                    openai_api_key: Some("sk with spaces".into()),
                    ..Default::default()
                },
                "openai_api_key",
            ),
        ];
        for (update, field) in cases {
            assert_eq!(validate_update(&update, &cur).unwrap_err().field, field);
        }
    }

    #[test]
    fn a_pakistani_mobile_number_is_stored_in_e164_and_empty_clears() {
        let cur = StoredSettings::default();
        let update = SettingsUpdate {
            shop_phone: Some("0300 1234567".into()),
            greeting: Some(String::new()),
            ..Default::default()
        };
        let rows = validate_update(&update, &cur).unwrap().rows;
        assert!(rows.contains(&(keys::SHOP_PHONE, Some("+923001234567".into()))));
        assert!(rows.contains(&(keys::GREETING, None)));
    }

    #[test]
    fn secrets_go_to_the_secret_store_never_to_the_database_rows() {
        let update = SettingsUpdate {
            openai_api_key: Some(" sk-new ".into()),
            twilio_auth_token: Some(String::new()),
            ngrok_authtoken: Some("2abc_DEF".into()),
            twilio_account_sid: Some("AC0123456789abcdef0123456789abcdef".into()),
            ngrok_domain: Some("https://Melt8-Gulberg.ngrok.app/".into()),
            ..Default::default()
        };
        let update = validate_update(&update, &StoredSettings::default()).unwrap();
        assert!(update.rows.iter().all(|(_, v)| {
            !v.as_deref()
                .is_some_and(|v| v.contains("sk-new") || v.contains("2abc"))
        }));
        assert!(
            update
                .rows
                .contains(&(keys::NGROK_DOMAIN, Some("melt8-gulberg.ngrok.app".into())))
        );
        assert_eq!(
            update.secrets,
            vec![
                ("openai_api_key", Some(Secret::new("sk-new"))),
                ("twilio_auth_token", None),
                ("ngrok_authtoken", Some(Secret::new("2abc_DEF"))),
            ]
        );
    }

    #[test]
    fn new_plain_settings_are_checked() {
        for (update, field) in [
            (
                SettingsUpdate {
                    twilio_account_sid: Some("AC123".into()),
                    ..Default::default()
                },
                "twilio_account_sid",
            ),
            (
                SettingsUpdate {
                    twilio_phone_number: Some("not a number".into()),
                    ..Default::default()
                },
                "twilio_phone_number",
            ),
            (
                SettingsUpdate {
                    openai_model: Some("gpt realtime".into()),
                    ..Default::default()
                },
                "openai_model",
            ),
            (
                SettingsUpdate {
                    ngrok_domain: Some("no_dots".into()),
                    ..Default::default()
                },
                "ngrok_domain",
            ),
        ] {
            assert_eq!(
                validate_update(&update, &StoredSettings::default())
                    .unwrap_err()
                    .field,
                field
            );
        }
    }
}
