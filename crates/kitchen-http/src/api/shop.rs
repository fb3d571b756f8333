//! `/api/settings` (the shop's settings; secrets write-only, kept in the secret store), `/api/summary` (one business
//! day in numbers) and `/api/orders.csv` (that day's orders as a spreadsheet).

use super::extract::ApiJson;
use super::orders::parse_date;
use crate::error::ApiError;
use crate::state::AppState;
use axum::Extension;
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use kitchen_core::auth::Staff;
use kitchen_domain::{CashUp, ValidationErrors};
use kitchen_store::{DaySummary, OrderFilter};
use kitchen_wire::{SettingsDto, SettingsUpdate};
use serde::Deserialize;

/// `GET /api/settings`.
pub(super) async fn get(State(st): State<AppState>) -> Json<SettingsDto> {
    Json(SettingsDto::from_settings(&st.settings.current()))
}

/// `PUT /api/settings`: any subset; 422 naming every wrong field with its code (nothing is
/// saved then). Saved through the settings service, which publishes the new settings: the
/// next call, the tunnel, the tray and every dashboard follow.
pub(super) async fn put(
    State(st): State<AppState>,
    ApiJson(update): ApiJson<SettingsUpdate>,
) -> Result<Json<SettingsDto>, ApiError> {
    let now = st.settings.update(&update).await?;
    tracing::info!("the shop's settings were changed from the dashboard");
    Ok(Json(SettingsDto::from_settings(&now)))
}

/// `POST /api/settings/check`: the body of a `PUT /api/settings`, checked but not saved:
/// 204, or 422 naming every wrong field (the same codes as the `PUT`).
pub(super) async fn check(
    State(st): State<AppState>,
    ApiJson(update): ApiJson<SettingsUpdate>,
) -> Result<StatusCode, ApiError> {
    st.settings
        .check(&update)
        .map_err(|e| ApiError::Validation(ValidationErrors(e)))?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
pub(super) struct DayQuery {
    date: Option<String>,
    /// `GET /api/orders.csv` only: `owner` (the default) or `data`.
    format: Option<String>,
}

fn day(st: &AppState, q: &Result<Query<DayQuery>, QueryRejection>) -> Result<NaiveDate, ApiError> {
    let Query(q) = q
        .as_ref()
        .map_err(|e| ApiError::InvalidQuery(e.body_text()))?;
    match q.date.as_deref().filter(|d| !d.is_empty()) {
        Some(d) => parse_date(d),
        None => Ok(st.orders.business_date_now()),
    }
}

/// `GET /api/summary?date=YYYY-MM-DD` (default: today's business day).
pub(super) async fn summary(
    State(st): State<AppState>,
    q: Result<Query<DayQuery>, QueryRejection>,
) -> Result<Json<DaySummary>, ApiError> {
    let date = day(&st, &q)?;
    let summary = st.store.day_summary(date).await?;
    let (from, to) = (
        st.business_day.start_of(date),
        st.business_day.start_of(date + chrono::Days::new(1)),
    );
    let ai = st.store.ai_usage(from, to, st.clock.now()).await?;
    Ok(Json(summary.with_ai(ai)))
}

/// `GET /api/cashup?date=YYYY-MM-DD` (default: today's business day): the day by payment
/// method (orders, total, cash still to collect) and by rider (dispatched, delivered,
/// returned, still out, cash to collect, whether it was marked collected).
pub(super) async fn cashup(
    State(st): State<AppState>,
    q: Result<Query<DayQuery>, QueryRejection>,
) -> Result<Json<CashUp>, ApiError> {
    let date = day(&st, &q)?;
    Ok(Json(st.orders.cashup(date).await.map_err(order_error)?))
}

/// The body of `POST /api/cashup/riders/{rider_id}/collected`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CollectedBody {
    /// The business day, `YYYY-MM-DD` (default: today's).
    #[serde(default)]
    date: Option<String>,
    /// The amount, paisa, the owner counted against (what the screen showed): when the
    /// rider's cash is different now, 409 `cash_changed` and nothing is marked.
    #[serde(default)]
    expected: Option<i64>,
}

/// The business day a cash-up change is for: `YYYY-MM-DD`, or today's.
fn cashup_day(st: &AppState, date: Option<&str>) -> Result<NaiveDate, ApiError> {
    match date.map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => parse_date(d),
        None => Ok(st.orders.business_date_now()),
    }
}

fn no_rider(rider_id: &str, date: NaiveDate) -> ApiError {
    ApiError::NotFound(format!(
        "no rider `{}` in the settings or among {date}'s dispatches",
        rider_id.chars().take(40).collect::<String>()
    ))
}

/// `POST /api/cashup/riders/{rider_id}/collected` with `{"date": "YYYY-MM-DD"}` (owner; `{}`: today):
/// the rider's cash of that day is handed in, for the amount the server counts now (the
/// day's cash-up comes back). 404 for a rider the day does not know.
pub(super) async fn mark_collected(
    State(st): State<AppState>,
    Extension(staff): Extension<Staff>,
    Path(rider_id): Path<String>,
    ApiJson(body): ApiJson<CollectedBody>,
) -> Result<Json<CashUp>, ApiError> {
    let date = cashup_day(&st, body.date.as_deref())?;
    st.orders
        .mark_cash_collected(date, rider_id.clone(), body.expected, staff.username)
        .await
        .map_err(order_error)?
        .map(Json)
        .ok_or_else(|| no_rider(&rider_id, date))
}

/// `DELETE /api/cashup/riders/{rider_id}/collected?date=YYYY-MM-DD` (owner): takes the mark
/// back (the day's cash-up comes back; nothing to take back is fine).
pub(super) async fn unmark_collected(
    State(st): State<AppState>,
    Path(rider_id): Path<String>,
    q: Result<Query<DayQuery>, QueryRejection>,
) -> Result<Json<CashUp>, ApiError> {
    let date = day(&st, &q)?;
    st.orders
        .unmark_cash_collected(date, rider_id.clone())
        .await
        .map_err(order_error)?
        .map(Json)
        .ok_or_else(|| no_rider(&rider_id, date))
}

fn order_error(e: kitchen_core::OrderError) -> ApiError {
    match e {
        kitchen_core::OrderError::Invalid(v) => ApiError::Validation(v),
        kitchen_core::OrderError::Store(s) => s.into(),
    }
}

/// `GET /api/orders.csv?date=YYYY-MM-DD[&format=owner|data]`: the day's orders, oldest
/// first, as a download. `owner` (the default, the dashboard's button): a BOM, readable
/// column titles, rupees, the shop's date format and local times; `data`: the columns of
/// `melt8 export --csv` (ids, paisa, UTC times, codes) for scripts.
pub(super) async fn csv(
    State(st): State<AppState>,
    q: Result<Query<DayQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let date = day(&st, &q)?;
    let owner = match q.as_ref().ok().and_then(|Query(q)| q.format.as_deref()) {
        None | Some("" | "owner") => true,
        Some("data") => false,
        Some(other) => {
            return Err(ApiError::InvalidQuery(format!(
                "format must be owner or data, not {other:?}"
            )));
        }
    };
    let mut orders = st
        .store
        .orders(OrderFilter {
            business_date: Some(date),
            limit: 100_000,
            ..OrderFilter::default()
        })
        .await?;
    orders.reverse();
    let body = if owner {
        kitchen_store::owner_orders_csv(&orders, st.business_day.utc_offset)
    } else {
        kitchen_store::orders_csv(&orders)
    };
    let mut res = body.into_response();
    let headers = res.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) =
        HeaderValue::from_str(&format!("attachment; filename=\"melt8-orders-{date}.csv\""))
    {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}
