//! `GET /api/setup` (is the first-run wizard done or skipped, which parts are configured),
//! `POST /api/setup` (save every answer at once, or 422 listing every problem) and
//! `POST /api/setup/skip` (the owner's "Skip for now", kept for every browser).

use super::extract::ApiJson;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use kitchen_core::auth::{self, Staff};
use kitchen_domain::{SettingsLayer, ShopSettings, ValidationErrors};
use kitchen_wire::{SetupRequest, SetupStatus, SetupSteps, SetupValues};

/// The settings key remembering when the owner chose "Skip for now" (RFC 3339).
pub const SETUP_SKIPPED_KEY: &str = "setup_skipped_at";

async fn current(st: &AppState) -> Result<SetupStatus, ApiError> {
    let public_url = st.calls.config().public_base_url.is_some();
    let mut s = status(
        &st.settings.current(),
        &st.settings.stored().await,
        public_url,
        st.credentials.username(),
    );
    s.skipped = st.store.setting(SETUP_SKIPPED_KEY).await?.is_some();
    Ok(s)
}

/// The wizard's status from the settings in effect and what the owner stored.
fn status(
    now: &ShopSettings,
    stored: &SettingsLayer,
    public_url: bool,
    chef_username: &str,
) -> SetupStatus {
    let text = |v: Option<&str>| v.map(str::to_string);
    let values = SetupValues {
        shop_name: now.shop_name.to_string(),
        chef_username: chef_username.to_string(),
        openai_model: now.openai_model.to_string(),
        twilio_account_sid: text(now.twilio_account_sid.as_ref().map(|v| v.as_str())),
        twilio_phone_number: text(now.twilio_phone_number.as_ref().map(|v| v.as_str())),
        shop_phone: text(now.shop_phone.as_ref().map(|v| v.as_str())),
        ngrok_domain: text(now.ngrok_domain.as_ref().map(|v| v.as_str())),
        openai_api_key_set: now.openai_api_key.is_some(),
        twilio_auth_token_set: now.twilio_auth_token.is_some(),
        ngrok_authtoken_set: now.ngrok_authtoken.is_some(),
    };
    SetupStatus {
        done: now.setup_done,
        skipped: false,
        steps: SetupSteps {
            shop: stored.shop_name.is_some(),
            ai: values.openai_api_key_set,
            phone: values.twilio_account_sid.is_some()
                && values.twilio_auth_token_set
                && values.twilio_phone_number.is_some(),
            fallback_phone: values.shop_phone.is_some(),
            tunnel: values.ngrok_authtoken_set || public_url,
        },
        values,
    }
}

/// `GET /api/setup`.
pub(super) async fn get(State(st): State<AppState>) -> Result<Json<SetupStatus>, ApiError> {
    Ok(Json(current(&st).await?))
}

/// `POST /api/setup/skip`: "Skip for now", remembered on the server so no other tab,
/// browser or kitchen screen opens the wizard again; Settings still opens it. Skipping
/// again keeps the first time.
pub(super) async fn skip(State(st): State<AppState>) -> Result<Json<SetupStatus>, ApiError> {
    if st.store.setting(SETUP_SKIPPED_KEY).await?.is_none() {
        let at = st
            .clock
            .now()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        st.store.set_setting(SETUP_SKIPPED_KEY, at).await?;
        tracing::info!("the setup wizard was skipped");
    }
    Ok(Json(current(&st).await?))
}

/// `POST /api/setup`: checks every answer by the same rules as `PUT /api/settings`; on
/// success saves the new chef password's hash, then the settings through the settings
/// service (secrets to the secret store, the rest to SQLite, setup marked done; "start at
/// login" stays as the owner left it). A new password ends the other sessions; the owner's
/// own continues through a fresh session cookie in this response.
pub(super) async fn post(
    State(st): State<AppState>,
    Extension(staff): Extension<Staff>,
    headers: HeaderMap,
    ApiJson(answers): ApiJson<SetupRequest>,
) -> Result<Response, ApiError> {
    let valid = st
        .settings
        .check_setup(&answers, st.credentials.username())
        .map_err(|e| ApiError::Validation(ValidationErrors(e)))?;
    let cookie = match &valid.new_password {
        Some(pw) => {
            let hash = auth::set_password(&st.store, pw).await?;
            st.credentials.set_hash(hash);
            // Every session was removed with the old password: their open streams close.
            st.live_sessions.end_all();
            let (cookie, _) =
                super::session::open_session(&st, staff.username.clone(), staff.role, &headers)
                    .await?;
            Some(cookie)
        }
        None => None,
    };
    st.settings.save(valid.patch).await?;
    tracing::info!(
        password_changed = cookie.is_some(),
        "the setup wizard was saved"
    );
    let mut res = Json(current(&st).await?).into_response();
    if let Some(v) = cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kitchen_domain::Secret;
    use kitchen_domain::settings::{AccountSid, E164, ShopName};

    #[test]
    fn status_says_which_parts_are_configured_and_never_shows_a_secret() {
        let stored = SettingsLayer {
            shop_name: Some(ShopName::parse("Melt 8").unwrap()),
            setup_done: Some(true),
            openai_api_key: Some(Secret::new("sk-x")),
            shop_phone: Some(E164::parse("+923001234567", "x").unwrap()),
            twilio_account_sid: Some(
                AccountSid::parse("AC0123456789abcdef0123456789ABCDEF").unwrap(),
            ),
            ..SettingsLayer::default()
        };
        let now = ShopSettings::resolve(&SettingsLayer::default(), &stored);
        let s = status(&now, &stored, false, "chef");
        assert!(s.done && s.steps.shop && s.steps.ai && s.steps.fallback_phone);
        assert!(!s.steps.phone && !s.steps.tunnel);
        assert!(status(&now, &stored, true, "chef").steps.tunnel);
        assert!(!serde_json::to_string(&s).unwrap().contains("sk-x"));
    }
}
