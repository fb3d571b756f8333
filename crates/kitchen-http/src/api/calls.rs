//! `GET /api/calls` (the call log, newest first) and `GET /api/calls/{sid}` (with the
//! transcript, the quotes read back and the call cards).

use crate::error::ApiError;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, Query, State};
use kitchen_store::{CallRecord, StoreError};
use serde::Deserialize;

#[derive(Deserialize)]
pub(super) struct ListQuery {
    limit: Option<u32>,
}

pub(super) async fn list(
    State(st): State<AppState>,
    Query(q): Query<ListQuery>,
) -> Result<Json<Vec<CallRecord>>, ApiError> {
    let limit = q.limit.unwrap_or(200).clamp(1, 2000);
    Ok(Json(st.store.calls(limit).await?))
}

pub(super) async fn get_one(
    State(st): State<AppState>,
    Path(sid): Path<String>,
) -> Result<Json<CallRecord>, ApiError> {
    match st.store.call_record(sid.clone()).await {
        Ok(call) => Ok(Json(call)),
        Err(StoreError::NotFound) => Err(ApiError::NotFound(format!(
            "no call with CallSid `{}`",
            sid.chars().take(40).collect::<String>()
        ))),
        Err(e) => Err(e.into()),
    }
}
