//! `POST /api/login`, `POST /api/logout`, `GET /api/session`, and `GET /api/login-link`
//! (the desktop window's one-time sign-in).

use super::extract::{ApiJson, client_ip};
use crate::error::ApiError;
use crate::state::AppState;
use axum::Extension;
use axum::Json;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kitchen_core::auth::{self, Role, SESSION_LIFETIME, Staff};
use kitchen_domain::Secret;
use serde::Deserialize;
use serde_json::json;
use std::time::Instant;

#[derive(Deserialize)]
pub(super) struct LoginBody {
    username: String,
    password: String,
}

/// Checks the credentials (rate-limited per address: the attempt is counted before the
/// password is verified, and a right password gives it back) and opens a session by cookie.
pub(super) async fn login(State(st): State<AppState>, req: Request) -> Result<Response, ApiError> {
    let ip = client_ip(&req);
    let headers = req.headers().clone();
    let ApiJson(body) = ApiJson::<LoginBody>::from_request_parts_and_body(req, &st).await?;
    let slot = st.limiter.reserve(ip, Instant::now()).inspect_err(|_| {
        tracing::warn!(%ip, "login refused: too many attempts");
    })?;
    if !st
        .credentials
        .check(&body.username, Secret::new(body.password))
        .await
    {
        tracing::warn!(%ip, "failed login");
        return Err(ApiError::InvalidCredentials);
    }
    st.limiter.release(slot);
    // The password is the owner's. A kitchen session that typed it becomes an owner
    // session: a new one, and the old one (and its open streams) ends.
    end_request_session(&st, &headers).await?;
    let (cookie, expires) = open_session(&st, body.username.clone(), Role::Owner, &headers).await?;
    let mut res = Json(json!({
        "username": body.username,
        "role": Role::Owner.as_str(),
        "expires_at": kitchen_wire::dto::time(expires),
    }))
    .into_response();
    set_cookie(&mut res, &cookie);
    Ok(res)
}

/// Opens a session of `role` for `username`: stores it and returns its `Set-Cookie` value
/// (`Secure` when the request came over HTTPS) and its expiry.
pub(super) async fn open_session(
    st: &AppState,
    username: String,
    role: Role,
    headers: &HeaderMap,
) -> Result<(String, chrono::DateTime<chrono::Utc>), ApiError> {
    let (token, hash) = auth::new_session_token();
    let now = st.clock.now();
    let expires = now + SESSION_LIFETIME;
    st.store
        .create_session(hash, username, role, now, expires)
        .await?;
    Ok((
        auth::session_cookie(&token, came_over_https(headers)),
        expires,
    ))
}

/// Ends the session the request's cookie names (if any): removed from the store, and its
/// open event streams closed.
async fn end_request_session(st: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let cookie = headers.get(header::COOKIE).and_then(|v| v.to_str().ok());
    if let Some(token) = cookie.and_then(auth::session_from_cookies) {
        let hash = auth::token_hash(token);
        st.store.delete_session(hash.clone()).await?;
        st.live_sessions.end(&hash);
    }
    Ok(())
}

/// True when the request reached us over HTTPS: through a proxy or tunnel that says so
/// (`X-Forwarded-Proto: https`, or `Forwarded: proto=https`). The kitchen router itself
/// serves plain HTTP, so only a proxy in front of it can make a request HTTPS.
pub(super) fn came_over_https(headers: &HeaderMap) -> bool {
    let forwarded_proto = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .is_some_and(|p| p.trim().eq_ignore_ascii_case("https"));
    let forwarded = headers
        .get(header::FORWARDED)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split([';', ','])
                .filter_map(|kv| kv.trim().split_once('='))
                .any(|(k, v)| {
                    k.eq_ignore_ascii_case("proto")
                        && v.trim_matches('"').eq_ignore_ascii_case("https")
                })
        });
    forwarded_proto || forwarded
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
    let headers = req.headers().clone();
    end_request_session(&st, &headers).await?;
    let (cookie, _) = open_session(&st, username, Role::Owner, &headers).await?;
    set_cookie(&mut res, &cookie);
    Ok(res)
}

/// Ends the session named by the cookie (if any), closes its open event streams, and
/// clears the cookie.
pub(super) async fn logout(State(st): State<AppState>, req: Request) -> Result<Response, ApiError> {
    end_request_session(&st, req.headers()).await?;
    let mut res = StatusCode::NO_CONTENT.into_response();
    set_cookie(
        &mut res,
        &auth::clear_cookie(came_over_https(req.headers())),
    );
    Ok(res)
}

/// Who is logged in, and as which role (the dashboard asks at start).
pub(super) async fn whoami(Extension(staff): Extension<Staff>) -> Json<serde_json::Value> {
    Json(json!({"username": staff.username, "role": staff.role.as_str()}))
}

fn set_cookie(res: &mut Response, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
}

/// The username a paired tablet's session records in order history.
pub const KITCHEN_USERNAME: &str = "kitchen";

/// `POST /api/pairing` (owner only): a one-time code for a kitchen tablet, the join URL to
/// show as a QR code, and when the code expires.
pub(super) async fn new_pairing(
    State(st): State<AppState>,
    headers: HeaderMap,
) -> Json<serde_json::Value> {
    let (code, expires) = st.pairing.mint(st.clock.now());
    tracing::info!("a pairing code for a kitchen tablet was shown");
    let url = format!(
        "{}://{}{}/?pair={code}",
        if came_over_https(&headers) {
            "https"
        } else {
            "http"
        },
        join_host(&headers),
        crate::ui::DASHBOARD_PATH
    );
    Json(json!({
        "code": code,
        "url": url,
        "expires_at": kitchen_wire::dto::time(expires),
    }))
}

#[derive(Deserialize)]
pub(super) struct PairBody {
    code: String,
}

/// `POST /api/pair {code}`: a tablet redeems a pairing code for a kitchen session. Guesses
/// are counted per address before the code is looked at, like logins; an unknown, expired
/// or used code is refused with its own code.
pub(super) async fn pair(State(st): State<AppState>, req: Request) -> Result<Response, ApiError> {
    let ip = client_ip(&req);
    let headers = req.headers().clone();
    let ApiJson(body) = ApiJson::<PairBody>::from_request_parts_and_body(req, &st).await?;
    let slot = st.limiter.reserve(ip, Instant::now())?;
    if let Err(refused) = st.pairing.redeem(&body.code, st.clock.now()) {
        tracing::warn!(%ip, reason = %refused, "a pairing code was refused");
        return Err(ApiError::Pairing(refused));
    }
    st.limiter.release(slot);
    end_request_session(&st, &headers).await?;
    let (cookie, expires) =
        open_session(&st, KITCHEN_USERNAME.to_string(), Role::Kitchen, &headers).await?;
    tracing::info!(%ip, "a kitchen tablet was paired");
    let mut res = Json(json!({
        "username": KITCHEN_USERNAME,
        "role": Role::Kitchen.as_str(),
        "expires_at": kitchen_wire::dto::time(expires),
    }))
    .into_response();
    set_cookie(&mut res, &cookie);
    Ok(res)
}

/// The host (and port) a tablet on the shop's Wi-Fi reaches this server at: the request's
/// own `Host` when it is not this PC's loopback name, else this PC's LAN address with the
/// same port (the desktop window talks to `127.0.0.1`, which means the tablet itself on the
/// tablet).
fn join_host(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("127.0.0.1");
    let (name, port) = match host.rsplit_once(':') {
        Some((n, p)) if !n.ends_with(']') || n.starts_with('[') => (n, Some(p)),
        _ => (host, None),
    };
    let loopback = name.eq_ignore_ascii_case("localhost")
        || name
            .trim_matches(['[', ']'])
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    match (loopback, lan_address()) {
        (true, Some(lan)) => match port {
            Some(p) => format!("{lan}:{p}"),
            None => lan.to_string(),
        },
        _ => host.to_string(),
    }
}

/// This PC's address on its network: the local end of a UDP socket "connected" (no packet
/// is sent) towards a private address. `None` without a network.
fn lan_address() -> Option<std::net::IpAddr> {
    let socket = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    socket.connect("10.255.255.255:9").ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_unspecified() && !ip.is_loopback()).then_some(ip)
}
