//! `GET /health`: is the server up and can it read its database. No login.

use crate::app::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

pub(super) async fn health(State(st): State<AppState>) -> (StatusCode, Json<Value>) {
    let uptime = st.started.elapsed().as_secs();
    let version = env!("CARGO_PKG_VERSION");
    match st.store.ping().await {
        Ok(()) => (
            StatusCode::OK,
            Json(
                json!({"status": "ok", "version": version, "database": "ok", "uptime_seconds": uptime}),
            ),
        ),
        Err(e) => {
            tracing::warn!(error = %e, "health check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(
                    json!({"status": "degraded", "version": version, "database": e.to_string(), "uptime_seconds": uptime}),
                ),
            )
        }
    }
}
