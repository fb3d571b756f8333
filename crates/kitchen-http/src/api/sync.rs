//! `GET /api/sync`: where the optional PostgreSQL sync stands (the same object `/health`
//! shows as `sync`). Never includes the database password.

use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use kitchen_sync::SyncStatus;

pub(super) async fn status(State(st): State<AppState>) -> Json<SyncStatus> {
    Json(st.sync.status().await)
}
