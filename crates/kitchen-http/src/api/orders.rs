//! `/api/orders`: list, read, create (staff entry) and change status.

use super::extract::ApiJson;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use chrono::{DateTime, NaiveDate, Utc};
use kitchen_core::auth::Staff;
use kitchen_core::{OrderError, PlaceContext};
use kitchen_domain::{OrderRequest, OrderSource, OrderStatus, PhoneNumber};
use kitchen_store::{OrderFilter, PhoneFilter};
use kitchen_wire::{OrderDto, QuoteDto};
use serde::Deserialize;

/// Orders listed when no `limit` is given, and the most one request may ask for.
const DEFAULT_LIMIT: u32 = 500;
const MAX_LIMIT: u32 = 5000;

#[derive(Deserialize)]
pub(super) struct ListQuery {
    status: Option<String>,
    since: Option<String>,
    phone: Option<String>,
    date: Option<String>,
    limit: Option<String>,
}

/// How long a status change can be taken back from the board.
pub const UNDO_WINDOW_SECONDS: i64 = 30;

/// `GET /api/orders?status=&since=&phone=&limit=`, newest first.
pub(super) async fn list(
    State(st): State<AppState>,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Json<Vec<OrderDto>>, ApiError> {
    let Query(q) = query.map_err(|e| ApiError::InvalidQuery(e.body_text()))?;
    let filter = OrderFilter {
        status: q
            .status
            .as_deref()
            .filter(|s| !s.is_empty())
            .map(str::parse)
            .transpose()
            .map_err(ApiError::InvalidStatus)?,
        since: q
            .since
            .as_deref()
            .filter(|s| !s.is_empty())
            .map(|s| parse_since(s, &st))
            .transpose()?,
        phone: q
            .phone
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(parse_phone_filter)
            .transpose()?,
        business_date: q
            .date
            .as_deref()
            .filter(|s| !s.is_empty())
            .map(parse_date)
            .transpose()?,
        limit: match q.limit.as_deref() {
            None | Some("") => DEFAULT_LIMIT,
            Some(l) => l
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=MAX_LIMIT).contains(n))
                .ok_or_else(|| {
                    ApiError::InvalidQuery(format!("limit must be a number from 1 to {MAX_LIMIT}"))
                })?,
        },
    };
    let orders = st.store.orders(filter).await?;
    Ok(Json(
        orders
            .iter()
            .map(|o| OrderDto::from_order(o, false))
            .collect(),
    ))
}

/// `since` is an RFC 3339 time, or a date meaning the start of that business day.
fn parse_since(s: &str, st: &AppState) -> Result<DateTime<Utc>, ApiError> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(st.business_day.start_of(d));
    }
    Err(ApiError::InvalidQuery(format!(
        "since=`{}` is not a time; use a date like 2026-11-24 or a time like 2026-11-24T18:00:00+05:00",
        s.chars().take(40).collect::<String>()
    )))
}

/// A business day, `YYYY-MM-DD`.
pub(super) fn parse_date(s: &str) -> Result<NaiveDate, ApiError> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
        ApiError::InvalidQuery(format!(
            "date=`{}` is not a date; use the form 2026-11-24",
            s.chars().take(40).collect::<String>()
        ))
    })
}

/// `POST /api/orders/{id}/undo`: takes back the order's last status change if it is less
/// than 30 s old (409 `undo_expired` / `nothing_to_undo` otherwise).
pub(super) async fn undo(
    State(st): State<AppState>,
    Extension(staff): Extension<Staff>,
    Path(raw): Path<String>,
) -> Result<Json<OrderDto>, ApiError> {
    let id = parse_id(&raw)?;
    let window = chrono::Duration::seconds(UNDO_WINDOW_SECONDS);
    let order = st
        .orders
        .undo(id, staff.username, window)
        .await
        .map_err(|e| match e {
            OrderError::Store(s) => not_found_as(s, id),
            other => order_error(other),
        })?;
    Ok(Json(OrderDto::from_order(&order, false)))
}

/// A whole number matches exactly; a few digits match the end of the number.
/// `POST /api/orders/{id}/recall`: a delivered order back to ready, a cancelled one back
/// to where it was cancelled from.
pub(super) async fn recall(
    State(st): State<AppState>,
    Extension(staff): Extension<Staff>,
    Path(raw): Path<String>,
) -> Result<Json<OrderDto>, ApiError> {
    let id = parse_id(&raw)?;
    let order = st
        .orders
        .recall(id, staff.username)
        .await
        .map_err(|e| match e {
            OrderError::Store(s) => not_found_as(s, id),
            other => order_error(other),
        })?;
    Ok(Json(OrderDto::from_order(&order, false)))
}

fn parse_phone_filter(s: &str) -> Result<PhoneFilter, ApiError> {
    match PhoneNumber::parse(s) {
        Ok(PhoneNumber::E164(e)) => Ok(PhoneFilter::Exact(e)),
        Ok(PhoneNumber::Withheld) => Ok(PhoneFilter::Exact("withheld".into())),
        Err(_) if s.len() >= 3 && s.len() <= 15 && s.chars().all(|c| c.is_ascii_digit()) => {
            Ok(PhoneFilter::EndsWith(s.to_string()))
        }
        Err(e) => Err(ApiError::InvalidQuery(format!(
            "phone: {e}; or give the last 3 or more digits"
        ))),
    }
}

fn parse_id(raw: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>().map_err(|_| {
        ApiError::NotFound(format!(
            "no order with id `{}`",
            raw.chars().take(40).collect::<String>()
        ))
    })
}

/// `GET /api/orders/{id}`, with its status history.
pub(super) async fn get_one(
    State(st): State<AppState>,
    Path(raw): Path<String>,
) -> Result<Json<OrderDto>, ApiError> {
    let id = parse_id(&raw)?;
    let order = st.store.order(id).await.map_err(|e| not_found_as(e, id))?;
    Ok(Json(OrderDto::from_order(&order, true)))
}

fn not_found_as(e: kitchen_store::StoreError, id: i64) -> ApiError {
    match e {
        kitchen_store::StoreError::NotFound => ApiError::NotFound(format!("no order with id {id}")),
        other => other.into(),
    }
}

/// `POST /api/orders/quote`: prices an order as it is being built (the dashboard's order
/// builder), saving nothing: the bill, or 422 with every problem.
pub(super) async fn quote(
    State(st): State<AppState>,
    ApiJson(req): ApiJson<OrderRequest>,
) -> Result<Json<QuoteDto>, ApiError> {
    let order = st.orders.quote(&req).await.map_err(order_error)?;
    Ok(Json(QuoteDto::from_new_order(&order)))
}

/// `PUT /api/orders/{id}`: staff change a `new` order (the customer called back): the whole
/// order as it should now be, re-priced. 409 `order_not_editable` once it is being made.
pub(super) async fn amend(
    State(st): State<AppState>,
    Extension(staff): Extension<Staff>,
    Path(raw): Path<String>,
    ApiJson(req): ApiJson<OrderRequest>,
) -> Result<Json<OrderDto>, ApiError> {
    let id = parse_id(&raw)?;
    let order = st
        .orders
        .amend(id, req, staff.username)
        .await
        .map_err(|e| match e {
            OrderError::Store(kitchen_store::StoreError::NotFound) => {
                ApiError::NotFound(format!("no order with id {id}"))
            }
            other => order_error(other),
        })?;
    Ok(Json(OrderDto::from_order(&order, false)))
}

/// `POST /api/orders`: an order taken by hand at the counter. Honours `Idempotency-Key`.
pub(super) async fn create(
    State(st): State<AppState>,
    Extension(staff): Extension<Staff>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<OrderRequest>,
) -> Result<Response, ApiError> {
    let key = idempotency_key(&headers)?;
    let ctx = PlaceContext {
        source: OrderSource::Staff,
        actor: staff.username,
        call_sid: None,
        idempotency_key: key.map(|k| format!("api:{k}")),
        caller: None,
    };
    let placed = st.orders.place(req, ctx).await.map_err(order_error)?;
    let mut res = (
        StatusCode::CREATED,
        Json(OrderDto::from_order(&placed.order, false)),
    )
        .into_response();
    if let Ok(loc) = HeaderValue::from_str(&format!("/api/orders/{}", placed.order.id)) {
        res.headers_mut().insert(header::LOCATION, loc);
    }
    if !placed.created {
        res.headers_mut()
            .insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok(res)
}

fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(v) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let bad = || {
        ApiError::InvalidHeader(
            "Idempotency-Key must be 1 to 200 visible ASCII characters (a UUID is ideal)".into(),
        )
    };
    let s = v.to_str().map_err(|_| bad())?.trim();
    if s.is_empty() || s.len() > 200 || !s.chars().all(|c| c.is_ascii_graphic()) {
        return Err(bad());
    }
    Ok(Some(s.to_string()))
}

fn order_error(e: OrderError) -> ApiError {
    match e {
        OrderError::Invalid(v) => ApiError::Validation(v),
        OrderError::Store(s) => s.into(),
    }
}

#[derive(Deserialize)]
pub(super) struct StatusBody {
    status: String,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    rider_id: Option<String>,
}

/// `PUT /api/orders/{id}/status` with `{"status":"preparing"}` (and `"reason"` to cancel or
/// return; `"rider_id"` with `out_for_delivery`: the rider who takes it).
pub(super) async fn set_status(
    State(st): State<AppState>,
    Extension(staff): Extension<Staff>,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<StatusBody>,
) -> Result<Json<OrderDto>, ApiError> {
    let id = parse_id(&raw)?;
    let to: OrderStatus = body.status.parse().map_err(ApiError::InvalidStatus)?;
    let order = st
        .orders
        .change_status_with_rider(id, to, body.reason, body.rider_id, staff.username)
        .await
        .map_err(|e| match e {
            OrderError::Store(s) => not_found_as(s, id),
            other => order_error(other),
        })?;
    Ok(Json(OrderDto::from_order(&order, false)))
}
