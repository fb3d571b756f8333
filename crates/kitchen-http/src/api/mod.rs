//! The kitchen router: `/health`, `/api/*` for staff (login required), and the chef dashboard
//! (`/`, `/chef-dashboard/`; see [`crate::ui`]).

mod call_cards;
mod calls;
mod events;
mod extract;
mod health;
mod menu;
mod orders;
pub mod phone;
mod printing;
mod session;
mod setup;
mod shop;
mod sync;

pub use extract::ApiJson;
use extract::client_ip;

use crate::error::{ApiError, LoggedCause};
use crate::state::AppState;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post, put};
use kitchen_core::auth::{Role, SessionRef, Staff, session_from_cookies, token_hash};
use std::time::Instant;

/// Largest request body accepted.
pub const BODY_LIMIT: usize = 64 * 1024;

/// Largest menu accepted by `PUT /api/menu`: a 200-item menu with option groups and deals
/// is about 90 KiB of JSON; a shop's whole menu must always fit in one save.
pub const MENU_BODY_LIMIT: usize = 1024 * 1024;

/// The kitchen router with all its layers.
pub fn router(state: AppState) -> Router {
    // Owner-only routes (`owner(…)`): a kitchen session (a paired tablet) gets 403
    // `owner_only` there; the board's routes are the kitchen's.
    let owner = |m: MethodRouter<AppState>| m.route_layer(middleware::from_fn(require_owner));
    let mut staff_only = Router::new()
        .route("/orders", get(orders::list).post(orders::create))
        .route("/orders/quote", post(orders::quote))
        .route("/orders/{id}", get(orders::get_one).put(orders::amend))
        .route("/orders/{id}/status", put(orders::set_status))
        .route("/orders/{id}/undo", post(orders::undo))
        .route("/orders/{id}/recall", post(orders::recall))
        .route("/orders/{id}/print", post(printing::print_order))
        .route("/printers", get(printing::list))
        .route("/printers/{id}/test", owner(post(printing::test_page)))
        .route("/orders.csv", owner(get(shop::csv)))
        .route("/summary", get(shop::summary))
        .route("/cashup", get(shop::cashup))
        .route(
            "/cashup/riders/{rider_id}/collected",
            owner(post(shop::mark_collected).delete(shop::unmark_collected)),
        )
        .route("/settings", get(shop::get).merge(owner(put(shop::put))))
        .route("/settings/check", owner(post(shop::check)))
        .route(
            "/menu",
            get(menu::get)
                .merge(owner(put(menu::put)))
                .layer(DefaultBodyLimit::max(MENU_BODY_LIMIT)),
        )
        .route("/menu/availability", put(menu::set_availability))
        .route("/calls", owner(get(calls::list)))
        .route("/calls/{sid}", owner(get(calls::get_one)))
        .route("/call-cards", get(call_cards::list))
        .route("/call-cards/{id}/done", post(call_cards::done))
        .route("/events", get(events::subscribe))
        .route("/session", get(session::whoami))
        .route("/sync", owner(get(sync::status)))
        .route("/setup", owner(get(setup::get).post(setup::post)))
        .route("/setup/skip", owner(post(setup::skip)))
        .route("/phone", owner(get(phone::get)))
        .route("/phone/answering", owner(put(phone::set_answering)))
        .route("/phone/connect", owner(post(phone::connect)))
        .route("/phone/sip-setup", owner(post(phone::sip_setup)))
        .route("/setup/check", owner(post(phone::check)))
        .route("/pairing", owner(post(session::new_pairing)));
    if state.demo {
        // Demo mode only, and staff only like the rest: a call card left by hand, as a call
        // would leave it, to try the board without a phone.
        staff_only = staff_only.route("/demo/call-cards", post(call_cards::demo_add));
    }
    let staff_only =
        staff_only.route_layer(middleware::from_fn_with_state(state.clone(), require_staff));
    let api = Router::new()
        .route("/login", post(session::login))
        .route("/logout", post(session::logout))
        .route("/login-link", get(session::login_link))
        .route("/pair", post(session::pair))
        .merge(staff_only);
    let health = get(health::health).route_layer(middleware::from_fn_with_state(
        state.clone(),
        staff_if_signed_in,
    ));
    Router::new()
        .route("/health", health)
        .nest("/api", api)
        .merge(crate::ui::router())
        // A dashboard file at the root (`/assets/…`), else the JSON 404.
        .fallback(crate::ui::fallback)
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            only_our_hosts,
        ))
        .layer(middleware::from_fn(log_and_harden))
        .with_state(state)
}

/// Answers only requests for a host this server serves (see [`crate::hosts`]); any other
/// gets 421, logged once with the name it asked for. Both the `Host` header and the
/// request target's authority (HTTP/2, or an absolute URL) must be ours.
async fn only_our_hosts(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let header = req.headers().get(header::HOST).map(|v| v.to_str().ok());
    let authority = req.uri().authority().map(|a| a.as_str());
    let ours = match (header, authority) {
        (None, None) => false,
        (Some(h), a) => {
            h.is_some_and(|h| st.hosts.allows_host(h)) && a.is_none_or(|a| st.hosts.allows_host(a))
        }
        (None, Some(a)) => st.hosts.allows_host(a),
    };
    if ours {
        return next.run(req).await;
    }
    let asked: String = header
        .flatten()
        .or(authority)
        .unwrap_or("(none)")
        .chars()
        .take(100)
        .collect();
    tracing::warn!(
        host = %asked,
        path = %req.uri().path(),
        "refused a request for a host this server does not serve (421): a DNS-rebinding page, or a name missing from KITCHEN_HOSTS"
    );
    ApiError::MisdirectedHost.into_response()
}

/// For `/health`: a request that carries a session cookie or credentials is checked as
/// [`require_staff`] checks it (and gets the details); one without any gets only whether
/// the server is up.
async fn staff_if_signed_in(
    State(st): State<AppState>,
    req: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let headers = req.headers();
    let session = headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(session_from_cookies)
        .is_some();
    if session || headers.contains_key(header::AUTHORIZATION) {
        require_staff(State(st), req, next).await
    } else {
        Ok(next.run(req).await)
    }
}

/// Lets a request through with a live session cookie or valid HTTP Basic credentials, and
/// puts the [`Staff`] member in its extensions.
async fn require_staff(
    State(st): State<AppState>,
    mut req: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let cookie = req
        .headers()
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok());
    if let Some(token) = cookie.and_then(session_from_cookies) {
        let hash = token_hash(token);
        if let Some(found) = st.store.session(hash.clone(), st.clock.now()).await? {
            req.extensions_mut().insert(Staff {
                username: found.username,
                role: found.role,
                session: Some(SessionRef {
                    token_hash: hash,
                    expires_at: found.expires_at,
                }),
            });
            return Ok(next.run(req).await);
        }
    }
    let basic = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    if let Some(value) = basic {
        let ip = client_ip(&req);
        if st.credentials.basic_is_cached(&value) {
            st.limiter.check(ip, Instant::now())?;
        } else {
            // Counted before argon2 runs, like a login (see `LoginLimiter::reserve`).
            let slot = st.limiter.reserve(ip, Instant::now())?;
            if !st.credentials.check_basic(&value).await {
                return Err(ApiError::InvalidCredentials);
            }
            st.limiter.release(slot);
        }
        // The password is the owner's: Basic credentials act as the owner.
        req.extensions_mut().insert(Staff {
            username: st.credentials.username().to_string(),
            role: Role::Owner,
            session: None,
        });
        return Ok(next.run(req).await);
    }
    if req.headers().contains_key("x-requested-with") {
        // The dashboard shows its own login on a 401; a Basic challenge would make the
        // browser open its password box over the page instead.
        let mut res = ApiError::Unauthorized.into_response();
        res.headers_mut().remove(header::WWW_AUTHENTICATE);
        return Ok(res);
    }
    Err(ApiError::Unauthorized)
}

/// Lets an owner's request through (after [`require_staff`]); a kitchen session gets 403
/// `owner_only`, which the dashboard answers by asking for the owner password.
async fn require_owner(req: Request, next: Next) -> Result<Response, ApiError> {
    match req.extensions().get::<Staff>() {
        Some(staff) if staff.role == Role::Owner => Ok(next.run(req).await),
        _ => Err(ApiError::OwnerOnly),
    }
}

/// Logs every request at debug and the cause of every 5xx at error; marks responses as
/// uncacheable and not to be content-sniffed.
async fn log_and_harden(req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let started = Instant::now();
    let mut res = next.run(req).await;
    let status = res.status();
    if status == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        tracing::warn!(%method, %path, "refused a request body over the limit (413)");
    }
    if let Some(cause) = res.extensions().get::<LoggedCause>() {
        tracing::error!(%method, %path, status = status.as_u16(), cause = %cause.0, "request failed");
    } else {
        tracing::debug!(%method, %path, status = status.as_u16(), elapsed_ms = started.elapsed().as_millis() as u64, "request");
    }
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    res
}
