//! `GET /api/setup` (is the first-run wizard done, which parts are configured) and
//! `POST /api/setup` (save every answer at once, or 422 listing every problem).

use super::extract::ApiJson;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use kitchen_core::auth::{self, SESSION_LIFETIME, Staff};
use kitchen_core::settings::{StoredSettings, save_secrets};
use kitchen_core::setup::{self, SetupContext};
use kitchen_domain::ValidationErrors;
use kitchen_phone::config::PhoneConfig;
use kitchen_wire::{SetupRequest, SetupStatus, SetupSteps, SetupValues};

fn current(st: &AppState) -> SetupStatus {
    status(
        &st.calls.stored_settings(),
        &st.calls.config(),
        st.credentials.username(),
    )
}

/// The wizard's status from the stored settings and the configuration in effect.
fn status(stored: &StoredSettings, effective: &PhoneConfig, chef_username: &str) -> SetupStatus {
    let values = SetupValues {
        shop_name: effective.shop_name.clone(),
        chef_username: chef_username.to_string(),
        openai_model: effective.openai_model.clone(),
        twilio_account_sid: effective.twilio_account_sid.clone(),
        twilio_phone_number: effective.twilio_phone_number.clone(),
        shop_phone: effective.shop_phone.clone(),
        ngrok_domain: effective.ngrok_domain.clone(),
        openai_api_key_set: effective.openai_api_key.is_some(),
        twilio_auth_token_set: effective.twilio_auth_token.is_some(),
        ngrok_authtoken_set: effective.ngrok_authtoken.is_some(),
    };
    SetupStatus {
        done: stored.setup_done,
        steps: SetupSteps {
            shop: stored.shop_name.is_some(),
            ai: values.openai_api_key_set,
            phone: values.twilio_account_sid.is_some()
                && values.twilio_auth_token_set
                && values.twilio_phone_number.is_some(),
            fallback_phone: values.shop_phone.is_some(),
            tunnel: values.ngrok_authtoken_set || effective.public_base_url.is_some(),
        },
        values,
    }
}

/// `GET /api/setup`.
pub(super) async fn get(State(st): State<AppState>) -> Json<SetupStatus> {
    Json(current(&st))
}

/// `POST /api/setup`: checks every answer; on success stores the plain settings in SQLite,
/// the secrets in the secret store, the new chef password's hash, marks setup done and
/// takes everything into use for the next call. A new password ends the other sessions;
/// the owner's own continues through a fresh session cookie in this response.
pub(super) async fn post(
    State(st): State<AppState>,
    Extension(staff): Extension<Staff>,
    ApiJson(answers): ApiJson<SetupRequest>,
) -> Result<Response, ApiError> {
    let effective = st.calls.config();
    let ctx = SetupContext {
        chef_username: st.credentials.username().to_string(),
        openai_api_key_set: effective.openai_api_key.is_some(),
        twilio_auth_token_set: effective.twilio_auth_token.is_some(),
        ngrok_authtoken_set: effective.ngrok_authtoken.is_some(),
    };
    let valid =
        setup::validate(&answers, &ctx).map_err(|e| ApiError::Validation(ValidationErrors(e)))?;
    save_secrets(
        &st.secrets,
        valid
            .secrets
            .into_iter()
            .map(|(name, value)| (name, Some(value)))
            .collect(),
    )
    .await?;
    st.store.update_settings(valid.rows).await?;
    let cookie = match &valid.new_password {
        Some(pw) => {
            let hash = auth::set_password(&st.store, pw).await?;
            st.credentials.set_hash(hash);
            let (token, hash) = auth::new_session_token();
            let now = st.clock.now();
            st.store
                .create_session(hash, staff.username.clone(), now, now + SESSION_LIFETIME)
                .await?;
            Some(auth::session_cookie(&token))
        }
        None => None,
    };
    let stored = StoredSettings::load(&st.store, &st.secrets).await?;
    st.calls.apply_settings(stored);
    tracing::info!(
        password_changed = cookie.is_some(),
        "the setup wizard was saved"
    );
    let mut res = Json(current(&st)).into_response();
    if let Some(v) = cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kitchen_domain::Secret;

    const SID: &str = "AC0123456789abcdef0123456789ABCDEF";

    #[test]
    fn status_says_which_parts_are_configured() {
        let stored = StoredSettings {
            shop_name: Some("Melt 8".into()),
            setup_done: true,
            ..StoredSettings::default()
        };
        let eff = PhoneConfig {
            openai_api_key: Some(Secret::new("sk-x")),
            shop_phone: Some("+923001234567".into()),
            twilio_account_sid: Some(SID.into()),
            ..PhoneConfig::default()
        };
        let s = status(&stored, &eff, "chef");
        assert!(s.done && s.steps.shop && s.steps.ai && s.steps.fallback_phone);
        assert!(!s.steps.phone && !s.steps.tunnel);
        assert!(
            !serde_json::to_string(&s)
                .unwrap_or_default()
                .contains("sk-x")
        );
    }
}
