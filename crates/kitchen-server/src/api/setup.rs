//! `GET /api/setup` (is the first-run wizard done, which parts are configured) and
//! `POST /api/setup` (save every answer at once, or 422 listing every problem).

use super::ApiJson;
use crate::app::AppState;
use crate::auth::{self, SESSION_LIFETIME, Staff};
use crate::error::ApiError;
use crate::settings::{StoredSettings, save_secrets};
use crate::setup::{self, SetupContext};
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use kitchen_domain::ValidationErrors;
use kitchen_wire::{SetupRequest, SetupStatus};

fn current(st: &AppState) -> SetupStatus {
    setup::status(
        &st.calls.stored_settings(),
        &st.calls.config(),
        st.credentials.username(),
    )
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
