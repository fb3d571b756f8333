//! `GET /health`: is the server up. Without a login it says only that (`{"status":"ok"}`,
//! or 503 `{"status":"degraded"}` when the database cannot be read): the details are no
//! business of a stranger. Signed in (session cookie or HTTP Basic) it also says whether
//! the database can be read, whether the phone side is set up, the tunnel and where the
//! PostgreSQL sync stands; no secret is ever included (only whether one is configured). A
//! failing sync does not make the server unhealthy: orders are safe locally.

use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};
use kitchen_core::auth::Staff;
use serde_json::{Value, json};

pub(super) async fn health(
    State(st): State<AppState>,
    staff: Option<Extension<Staff>>,
) -> (StatusCode, Json<Value>) {
    if staff.is_none() {
        return match st.store.ping().await {
            Ok(()) => (StatusCode::OK, Json(json!({"status": "ok"}))),
            Err(e) => {
                tracing::warn!(error = %e, "health check: database unreachable");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    Json(json!({"status": "degraded"})),
                )
            }
        };
    }
    let uptime = st.started.elapsed().as_secs();
    let version = env!("CARGO_PKG_VERSION");
    let cfg = st.calls.config();
    let phone = json!({
        "calls_in_progress": st.calls.active_calls(),
        "openai_key_configured": cfg.openai_api_key.is_some(),
        "twilio_auth_token_configured": cfg.twilio_auth_token.is_some(),
        "public_base_url": cfg.public_base_url,
        "shop_phone_configured": cfg.shop_phone.is_some(),
        "answering_paused": st.calls.answering_paused(),
        "voice_engine": cfg.settings.voice_engine.as_str(),
        "openai_project_configured": cfg.settings.openai_project_id.is_some(),
        "openai_webhook_secret_configured": cfg.settings.openai_webhook_secret.is_some(),
    });
    let tunnel = st.tunnel.dto();
    let sync = st.sync.status().await;
    match st.store.ping().await {
        Ok(()) => (
            StatusCode::OK,
            Json(
                json!({"status": "ok", "version": version, "database": "ok", "uptime_seconds": uptime, "phone": phone, "tunnel": tunnel, "sync": sync}),
            ),
        ),
        Err(e) => {
            tracing::warn!(error = %e, "health check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(
                    json!({"status": "degraded", "version": version, "database": e.to_string(), "uptime_seconds": uptime, "phone": phone, "tunnel": tunnel, "sync": sync}),
                ),
            )
        }
    }
}
