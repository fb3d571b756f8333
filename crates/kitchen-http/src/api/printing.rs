//! `GET /api/printers` (each printer's status and the computer's printers),
//! `POST /api/orders/{id}/print` (a KOT or a bill, on one printer or every printer that
//! prints it: 202 with the jobs queued) and `POST /api/printers/{id}/test` (a test page).

use super::extract::ApiJson;
use crate::error::ApiError;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use kitchen_core::printing::PrintError;
use kitchen_wire::{PrintQueuedDto, PrintRequest, PrintersDto};

fn api_error(e: PrintError) -> ApiError {
    match e {
        PrintError::Store(e) => e.into(),
        PrintError::Render(e) => ApiError::Internal(anyhow::anyhow!(e)),
        other => ApiError::Print(other),
    }
}

/// `GET /api/printers`.
pub(super) async fn list(State(st): State<AppState>) -> Result<Json<PrintersDto>, ApiError> {
    Ok(Json(st.printing.printers().await?))
}

/// `POST /api/orders/{id}/print` `{"document": "kot"|"bill", "printer_id"?: …}`: 202 with
/// the jobs queued; a document printed before for the order is a reprint.
pub(super) async fn print_order(
    State(st): State<AppState>,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<PrintRequest>,
) -> Result<(StatusCode, Json<PrintQueuedDto>), ApiError> {
    let id = raw.parse::<i64>().map_err(|_| {
        ApiError::NotFound(format!(
            "no order with id `{}`",
            raw.chars().take(40).collect::<String>()
        ))
    })?;
    let jobs = st
        .printing
        .print_order(id, body.document, body.printer_id.as_deref())
        .await
        .map_err(api_error)?;
    Ok((StatusCode::ACCEPTED, Json(PrintQueuedDto { jobs })))
}

/// `POST /api/printers/{id}/test`: 202 with the test page queued; the printer is retried
/// at once.
pub(super) async fn test_page(
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<PrintQueuedDto>), ApiError> {
    let jobs = st.printing.test_page(&id).await.map_err(api_error)?;
    Ok((StatusCode::ACCEPTED, Json(PrintQueuedDto { jobs })))
}
