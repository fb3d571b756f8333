//! `POST /api/login`, `POST /api/logout`, `GET /api/session`, and `GET /api/login-link`
//! (the desktop window's one-time sign-in).

use super::extract::{ApiJson, client_ip};
use crate::error::ApiError;
use crate::state::AppState;
use axum::Extension;
use axum::Json;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kitchen_core::auth::{self, SESSION_LIFETIME, Staff};
use kitchen_domain::Secret;
use serde::Deserialize;
use serde_json::json;
use std::time::Instant;

#[derive(Deserialize)]
pub(super) struct LoginBody {
    username: String,
    password: String,
}

/// Checks the credentials (rate-limited per address) and opens a session by cookie.
pub(super) async fn login(State(st): State<AppState>, req: Request) -> Result<Response, ApiError> {
    let ip = client_ip(&req);
    st.limiter.check(ip, Instant::now())?;
    let ApiJson(body) = ApiJson::<LoginBody>::from_request_parts_and_body(req, &st).await?;
    if !st
        .credentials
        .check(&body.username, Secret::new(body.password))
        .await
    {
        st.limiter.record_failure(ip, Instant::now());
        tracing::warn!(%ip, "failed login");
        return Err(ApiError::InvalidCredentials);
    }
    let (token, hash) = auth::new_session_token();
    let now = st.clock.now();
    let expires = now + SESSION_LIFETIME;
    st.store
        .create_session(hash, body.username.clone(), now, expires)
        .await?;
    let mut res =
        Json(json!({"username": body.username, "expires_at": kitchen_wire::dto::time(expires)}))
            .into_response();
    set_cookie(&mut res, &auth::session_cookie(&token));
    Ok(res)
}

/// `GET /api/login-link?token=…`: a one-time link minted by the desktop app (see
/// [`auth::LoginLinks`]) opens a session and goes to the dashboard. A used, expired or
/// unknown link, or one opened from another computer, just goes to the dashboard's login.
pub(super) async fn login_link(
    State(st): State<AppState>,
    req: Request,
) -> Result<Response, ApiError> {
    let token = req
        .uri()
        .query()
        .unwrap_or("")
        .split('&')
        .find_map(|kv| kv.strip_prefix("token="))
        .unwrap_or("");
    let local = client_ip(&req).is_loopback();
    let mut res = (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, crate::ui::DASHBOARD_PATH)],
    )
        .into_response();
    if !(local && st.login_links.redeem(token, Instant::now())) {
        tracing::warn!(
            local,
            "a sign-in link was refused (used, expired or unknown)"
        );
        return Ok(res);
    }
    let username = st.credentials.username().to_string();
    let (session, hash) = auth::new_session_token();
    let now = st.clock.now();
    st.store
        .create_session(hash, username, now, now + SESSION_LIFETIME)
        .await?;
    set_cookie(&mut res, &auth::session_cookie(&session));
    Ok(res)
}

/// Ends the session named by the cookie (if any) and clears the cookie.
pub(super) async fn logout(State(st): State<AppState>, req: Request) -> Result<Response, ApiError> {
    let cookie = req
        .headers()
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok());
    if let Some(token) = cookie.and_then(auth::session_from_cookies) {
        st.store.delete_session(auth::token_hash(token)).await?;
    }
    let mut res = StatusCode::NO_CONTENT.into_response();
    set_cookie(&mut res, &auth::clear_cookie());
    Ok(res)
}

/// Who is logged in (the dashboard asks at start).
pub(super) async fn whoami(Extension(staff): Extension<Staff>) -> Json<serde_json::Value> {
    Json(json!({"username": staff.username}))
}

fn set_cookie(res: &mut Response, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
}
