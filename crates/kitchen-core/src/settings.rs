//! The settings service: the ONLY writer of the shop's settings.
//!
//! It layers the settings ([`ShopSettings::resolve`]: defaults → environment, `.env` and
//! flags → stored), saves a change in one step (secrets to the secret store, the rest to
//! SQLite's typed `shop_settings` row), then publishes the settings in effect on a `watch`
//! channel and as `settings.changed` on the event bus. Everything that depends on settings
//! (call setup, the tunnel, the tray, autostart, the dashboard) subscribes; nothing polls
//! SQLite and nothing writes settings back.
//!
//! Writes are serialised (one at a time), so two dashboards saving at once cannot interleave
//! the secret store and SQLite.

use crate::events::EventBus;
use crate::secret_store::{SecretError, SecretStore};
use kitchen_domain::settings::wizard::{self, SetupContext, SetupRequest, ValidSetup};
use kitchen_domain::settings::{Change, SecretKind, SettingsUpdate};
use kitchen_domain::{FieldError, Secret, SettingsLayer, SettingsPatch, ShopSettings};
use kitchen_store::{Store, StoreError, keys};
use kitchen_wire::{KitchenEvent, SettingsDto};
use std::sync::Arc;
use tokio::sync::{Mutex, watch};

/// Why settings could not be read or saved.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The secret store failed (its message names the file and the fix, never a value).
    #[error(transparent)]
    Secrets(#[from] SecretError),
}

/// Why a change was not saved.
#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    /// Some values break their rules: nothing was saved.
    #[error("{} setting(s) are not valid", .0.len())]
    Invalid(Vec<FieldError>),
    /// Saving failed.
    #[error(transparent)]
    Failed(#[from] SettingsError),
}

/// The one owner of the shop's settings. Cheap to clone.
#[derive(Debug, Clone)]
pub struct SettingsService {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    store: Store,
    secrets: Arc<dyn SecretStore>,
    /// The environment's layer (environment, `.env`, flags), fixed for the process.
    env: SettingsLayer,
    /// The stored layer, secrets included; the lock also serialises writers.
    stored: Mutex<SettingsLayer>,
    current: watch::Sender<Arc<ShopSettings>>,
    bus: EventBus,
}

/// Runs blocking secret-store work off the async threads.
async fn with_secrets<T: Send + 'static>(
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

impl SettingsService {
    /// Reads the stored settings (SQLite and the secret store) and lays them over `env`.
    pub async fn load(
        store: Store,
        secrets: Arc<dyn SecretStore>,
        env: SettingsLayer,
        bus: EventBus,
    ) -> Result<SettingsService, SettingsError> {
        let mut stored = store.shop_settings().await?;
        let found = with_secrets(&secrets, |s| {
            SecretKind::ALL
                .into_iter()
                .map(|k| Ok((k, s.get(k.name())?)))
                .collect::<Result<Vec<_>, SecretError>>()
        })
        .await?;
        for (kind, value) in found {
            stored.set_secret(kind, value);
        }
        let (current, _) = watch::channel(Arc::new(ShopSettings::resolve(&env, &stored)));
        Ok(SettingsService {
            inner: Arc::new(Inner {
                store,
                secrets,
                env,
                stored: Mutex::new(stored),
                current,
                bus,
            }),
        })
    }

    /// The settings in effect now.
    pub fn current(&self) -> Arc<ShopSettings> {
        self.inner.current.borrow().clone()
    }

    /// Follows the settings in effect: a new value after every saved change.
    pub fn subscribe(&self) -> watch::Receiver<Arc<ShopSettings>> {
        self.inner.current.subscribe()
    }

    /// What the owner stored (secrets included), e.g. whether a shop name was saved.
    pub async fn stored(&self) -> SettingsLayer {
        self.inner.stored.lock().await.clone()
    }

    /// Saves `patch`: secrets first (a failing secret store leaves SQLite untouched too),
    /// then the plain values in one SQLite transaction; then publishes. Returns the settings
    /// now in effect.
    pub async fn save(&self, patch: SettingsPatch) -> Result<Arc<ShopSettings>, SettingsError> {
        let mut stored = self.inner.stored.lock().await;
        let secret_changes: Vec<(SecretKind, Option<Secret>)> = SecretKind::ALL
            .into_iter()
            .filter_map(|k| match patch.secret(k) {
                Change::Keep => None,
                Change::Set(v) => Some((k, Some(v.clone()))),
                Change::Clear => Some((k, None)),
            })
            .collect();
        if !secret_changes.is_empty() {
            let changes = secret_changes.clone();
            with_secrets(&self.inner.secrets, move |s| {
                for (kind, value) in &changes {
                    match value {
                        Some(v) => s.set(kind.name(), v)?,
                        None => {
                            s.delete(kind.name())?;
                        }
                    }
                }
                Ok(())
            })
            .await?;
        }
        let mut next = self.inner.store.save_shop_settings(patch).await?;
        for kind in SecretKind::ALL {
            next.set_secret(kind, stored.secret(kind).cloned());
        }
        for (kind, value) in secret_changes {
            next.set_secret(kind, value);
        }
        *stored = next;
        let now = Arc::new(ShopSettings::resolve(&self.inner.env, &stored));
        drop(stored);
        self.publish(now.clone());
        Ok(now)
    }

    fn publish(&self, now: Arc<ShopSettings>) {
        self.inner.current.send_replace(now.clone());
        self.inner.bus.publish(KitchenEvent::SettingsChanged {
            settings: SettingsDto::from_settings(&now),
        });
    }

    /// `PUT /api/settings`: checks `update` against the settings in effect and saves it.
    pub async fn update(&self, update: &SettingsUpdate) -> Result<Arc<ShopSettings>, UpdateError> {
        let patch = update
            .validate(&self.current())
            .map_err(UpdateError::Invalid)?;
        Ok(self.save(patch).await?)
    }

    /// `POST /api/settings/check`: the problems `update` would be refused for (every one),
    /// without saving anything; the dashboard asks while some of its own fields are not
    /// yet valid, so the owner sees every problem at once.
    pub fn check(&self, update: &SettingsUpdate) -> Result<(), Vec<FieldError>> {
        update.validate(&self.current()).map(|_| ())
    }

    /// The first-run wizard: checks every answer against what is configured (nothing is
    /// saved when one is wrong) and returns the checked answers; the caller saves the
    /// password, then [`SettingsService::save`]s the patch.
    pub fn check_setup(
        &self,
        answers: &SetupRequest,
        chef_username: &str,
    ) -> Result<ValidSetup, Vec<FieldError>> {
        let now = self.current();
        wizard::validate(
            answers,
            &SetupContext {
                chef_username: chef_username.to_string(),
                openai_api_key_set: now.openai_api_key.is_some(),
                twilio_auth_token_set: now.twilio_auth_token.is_some(),
                ngrok_authtoken_set: now.ngrok_authtoken.is_some(),
            },
        )
    }

    /// Pauses or resumes AI answering (dashboard, tray): stored (it survives a restart),
    /// published, and announced as `answering.changed` too (the event the dashboard and the
    /// tray knew first).
    pub async fn set_answering_paused(&self, paused: bool) -> Result<(), SettingsError> {
        let was = self.current().answering_paused;
        self.save(SettingsPatch {
            answering_paused: Change::Set(paused),
            ..SettingsPatch::default()
        })
        .await?;
        if was != paused {
            tracing::info!(
                paused,
                "AI answering {}",
                if paused { "paused" } else { "resumed" }
            );
        }
        self.inner
            .bus
            .publish(KitchenEvent::AnsweringChanged { paused });
        Ok(())
    }
}

/// Moves secrets that older versions kept in SQLite's `settings` table into the secret
/// store, then deletes those rows so that no copy stays in the database file (secure
/// delete, `VACUUM`, WAL truncated). A value already in the secret store is newer and wins.
/// Returns how many rows were moved. Runs before [`SettingsService::load`].
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
