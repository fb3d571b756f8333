//! `GET /api/call-cards` (the open call cards, newest first) and
//! `POST /api/call-cards/{id}/done` (someone dealt with it: every screen takes it off);
//! in demo mode also `POST /api/demo/call-cards`, a card left by hand.

use super::extract::ApiJson;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use kitchen_core::auth::Staff;
use kitchen_domain::{
    CallCard, CallCardKind, FieldError, Money, NewCallCard, PhoneNumber, ValidationErrors,
};
use kitchen_store::StoreError;
use serde::Deserialize;

/// `GET /api/call-cards`: the cards still waiting for someone, newest first.
pub(super) async fn list(State(st): State<AppState>) -> Result<Json<Vec<CallCard>>, ApiError> {
    Ok(Json(st.store.open_call_cards().await?))
}

/// `POST /api/call-cards/{id}/done`: marks the card done (recorded under the staff member)
/// and announces `call_card.done`. Done again is harmless: the card as first done, 200.
pub(super) async fn done(
    State(st): State<AppState>,
    Extension(staff): Extension<Staff>,
    Path(raw): Path<String>,
) -> Result<Json<CallCard>, ApiError> {
    let not_found = || {
        ApiError::NotFound(format!(
            "no call card with id `{}`",
            raw.chars().take(40).collect::<String>()
        ))
    };
    let id = raw.parse::<i64>().map_err(|_| not_found())?;
    match st.orders.finish_call_card(id, staff.username).await {
        Ok(card) => Ok(Json(card)),
        Err(StoreError::NotFound) => Err(not_found()),
        Err(e) => Err(e.into()),
    }
}

/// `POST /api/demo/call-cards` (demo mode only): a call card as the phone side would leave
/// it, `{kind, call_sid, phone?, reason?, summary, total?}`, saved and announced the same
/// way. 422 for a phone that is not a number or an empty summary.
pub(super) async fn demo_add(
    State(st): State<AppState>,
    ApiJson(body): ApiJson<DemoCard>,
) -> Result<(StatusCode, Json<CallCard>), ApiError> {
    let mut problems = Vec::new();
    let phone = match body
        .phone
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        None => None,
        Some(p) => match PhoneNumber::parse(p) {
            Ok(PhoneNumber::E164(e)) => Some(e),
            Ok(PhoneNumber::Withheld) => None,
            Err(e) => {
                problems.push(FieldError::coded("phone", "phone_invalid", e.to_string()));
                None
            }
        },
    };
    let summary = body.summary.trim().to_string();
    if summary.is_empty() {
        problems.push(FieldError::coded(
            "summary",
            "required",
            "say what the call was about",
        ));
    }
    if !problems.is_empty() {
        return Err(ApiError::Validation(ValidationErrors(problems)));
    }
    let card = st
        .orders
        .add_call_card(NewCallCard {
            kind: body.kind,
            call_sid: body.call_sid,
            phone,
            reason: body.reason,
            summary,
            total: body.total.map(Money::from_paisa),
        })
        .await?;
    Ok((StatusCode::CREATED, Json(card)))
}

/// A demo call card.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DemoCard {
    kind: CallCardKind,
    call_sid: String,
    #[serde(default)]
    phone: Option<String>,
    #[serde(default)]
    reason: Option<String>,
    summary: String,
    /// Paisa.
    #[serde(default)]
    total: Option<i64>,
}
