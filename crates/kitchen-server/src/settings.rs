//! The shop's settings edited from the dashboard: name, greeting, delivery time, ticket
//! timer thresholds, the shop's own phone, and two secrets (write-only).
//!
//! A value stored in the `settings` table wins over the environment/flag it overrides
//! (`SHOP_NAME`, `SHOP_GREETING`, `ETA_MINUTES`, `SHOP_PHONE`, `OPENAI_API_KEY`,
//! `TWILIO_AUTH_TOKEN`); clearing it falls back to that value again. Changes reach the phone
//! side at once: the next call is greeted with the new name and told the new ETA.

use crate::config::PhoneConfig;
use crate::secret::Secret;
use kitchen_domain::PhoneNumber;
use kitchen_store::{Store, StoreError, keys};
use serde::{Deserialize, Serialize};

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
    /// `openai_api_key`.
    pub openai_api_key: Option<Secret>,
    /// `twilio_auth_token`.
    pub twilio_auth_token: Option<Secret>,
}

impl StoredSettings {
    /// Reads every key in one database call (a number that does not parse counts as
    /// unset, with a warning).
    pub async fn load(store: &Store) -> Result<StoredSettings, StoreError> {
        const KEYS: &[&str] = &[
            keys::SHOP_NAME,
            keys::GREETING,
            keys::ETA_MINUTES,
            keys::AMBER_AFTER_MINUTES,
            keys::RED_AFTER_MINUTES,
            keys::SHOP_PHONE,
            keys::OPENAI_API_KEY,
            keys::TWILIO_AUTH_TOKEN,
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
        Ok(StoredSettings {
            shop_name: text(),
            greeting: text(),
            eta_minutes: number(keys::ETA_MINUTES, text()),
            amber_after_minutes: number(keys::AMBER_AFTER_MINUTES, text()),
            red_after_minutes: number(keys::RED_AFTER_MINUTES, text()),
            shop_phone: text(),
            openai_api_key: text().map(Secret::new),
            twilio_auth_token: text().map(Secret::new),
        })
    }

    /// The phone configuration with these settings laid over `base`.
    pub fn apply_to(&self, base: &PhoneConfig) -> PhoneConfig {
        let mut cfg = base.clone();
        if let Some(v) = &self.shop_name {
            cfg.shop_name = v.clone();
        }
        if let Some(v) = &self.greeting {
            cfg.greeting = Some(v.clone());
        }
        if let Some(v) = self.eta_minutes {
            cfg.eta_minutes = v;
        }
        if let Some(v) = &self.shop_phone {
            cfg.shop_phone = Some(v.clone());
        }
        if let Some(v) = &self.openai_api_key {
            cfg.openai_api_key = Some(v.clone());
        }
        if let Some(v) = &self.twilio_auth_token {
            cfg.twilio_auth_token = Some(v.clone());
        }
        cfg
    }

    /// What the dashboard sees: effective values, secrets only as "set or not".
    pub fn view(&self, effective: &PhoneConfig) -> SettingsDto {
        SettingsDto {
            shop_name: effective.shop_name.clone(),
            greeting: effective.greeting.clone(),
            eta_minutes: effective.eta_minutes,
            amber_after_minutes: self.amber_after_minutes.unwrap_or(DEFAULT_AMBER_AFTER),
            red_after_minutes: self.red_after_minutes.unwrap_or(DEFAULT_RED_AFTER),
            shop_phone: effective.shop_phone.clone(),
            openai_api_key_set: effective.openai_api_key.is_some(),
            twilio_auth_token_set: effective.twilio_auth_token.is_some(),
        }
    }
}

/// `GET /api/settings`. Secrets never appear; only whether they are set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct SettingsDto {
    /// Said in the AI's greeting.
    pub shop_name: String,
    /// The AI's first words, when not the default built from the shop name.
    pub greeting: Option<String>,
    /// Minutes to delivery told to callers.
    pub eta_minutes: u32,
    /// A ticket's timer turns amber after this many minutes.
    pub amber_after_minutes: u32,
    /// A ticket's timer turns red after this many minutes.
    pub red_after_minutes: u32,
    /// Where callers go when they ask for a person or the AI cannot serve.
    pub shop_phone: Option<String>,
    /// Whether an OpenAI API key is configured.
    pub openai_api_key_set: bool,
    /// Whether a Twilio auth token is configured.
    pub twilio_auth_token_set: bool,
}

/// `PUT /api/settings`: any subset. For text fields and secrets an empty string clears the
/// stored value (the environment's value, if any, applies again).
#[derive(Debug, Clone, Default, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields)]
pub struct SettingsUpdate {
    /// New shop name (1 to 80 characters).
    pub shop_name: Option<String>,
    /// New greeting (up to 300 characters; empty: the default greeting).
    pub greeting: Option<String>,
    /// 5 to 180.
    pub eta_minutes: Option<u32>,
    /// 1 to 120, below `red_after_minutes`.
    pub amber_after_minutes: Option<u32>,
    /// 2 to 240, above `amber_after_minutes`.
    pub red_after_minutes: Option<u32>,
    /// A phone number (Pakistani forms accepted), or empty to clear.
    pub shop_phone: Option<String>,
    /// Write-only.
    pub openai_api_key: Option<String>,
    /// Write-only.
    pub twilio_auth_token: Option<String>,
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

impl SettingsUpdate {
    /// Checks every field against `current` and returns the rows to write (`None`: remove).
    pub fn validate(
        &self,
        current: &StoredSettings,
    ) -> Result<Vec<(&'static str, Option<String>)>, SettingError> {
        let mut rows = Vec::new();
        if let Some(name) = &self.shop_name {
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
        if let Some(g) = &self.greeting {
            let g = g.trim();
            if g.chars().count() > 300 {
                return Err(invalid(
                    "greeting",
                    "keep the greeting under 300 characters",
                ));
            }
            rows.push((keys::GREETING, (!g.is_empty()).then(|| g.to_string())));
        }
        if let Some(v) = self.eta_minutes {
            let v = range("eta_minutes", v, 5, 180)?;
            rows.push((keys::ETA_MINUTES, Some(v.to_string())));
        }
        let amber = match self.amber_after_minutes {
            Some(v) => Some(range("amber_after_minutes", v, 1, 120)?),
            None => None,
        };
        let red = match self.red_after_minutes {
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
        if let Some(p) = &self.shop_phone {
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
        if let Some(k) = &self.openai_api_key {
            rows.push((keys::OPENAI_API_KEY, secret("openai_api_key", k)?));
        }
        if let Some(t) = &self.twilio_auth_token {
            rows.push((keys::TWILIO_AUTH_TOKEN, secret("twilio_auth_token", t)?));
        }
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_values_win_over_the_environment_and_secrets_only_show_as_set() {
        let base = PhoneConfig {
            shop_name: "From Env".into(),
            eta_minutes: 35,
            ..PhoneConfig::default()
        };
        let stored = StoredSettings {
            shop_name: Some("Melt 8 Gulberg".into()),
            eta_minutes: Some(45),
            openai_api_key: Some(Secret::new("sk-stored")),
            ..StoredSettings::default()
        };
        let eff = stored.apply_to(&base);
        assert_eq!(eff.shop_name, "Melt 8 Gulberg");
        assert_eq!(eff.eta_minutes, 45);
        let view = stored.view(&eff);
        assert!(view.openai_api_key_set);
        assert!(!view.twilio_auth_token_set);
        assert_eq!(view.amber_after_minutes, DEFAULT_AMBER_AFTER);
        assert!(!serde_json::to_string(&view).unwrap().contains("sk-stored"));
    }

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
            assert_eq!(update.validate(&cur).unwrap_err().field, field);
        }
    }

    #[test]
    fn a_pakistani_mobile_number_is_stored_in_e164_and_empty_clears() {
        let cur = StoredSettings::default();
        let rows = SettingsUpdate {
            shop_phone: Some("0300 1234567".into()),
            greeting: Some(String::new()),
            ..Default::default()
        }
        .validate(&cur)
        .unwrap();
        assert!(rows.contains(&(keys::SHOP_PHONE, Some("+923001234567".into()))));
        assert!(rows.contains(&(keys::GREETING, None)));
    }
}
