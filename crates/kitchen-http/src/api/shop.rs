//! `/api/settings` (the shop's settings; secrets write-only, kept in the secret store), `/api/summary` (one business
//! day in numbers) and `/api/orders.csv` (that day's orders as a spreadsheet).

use super::extract::ApiJson;
use super::orders::parse_date;
use crate::error::ApiError;
use crate::state::AppState;
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use kitchen_core::settings::{
    DEFAULT_AMBER_AFTER, DEFAULT_RED_AFTER, StoredSettings, save_secrets, validate_update,
};
use kitchen_domain::{FieldError, ValidationErrors};
use kitchen_phone::config::PhoneConfig;
use kitchen_store::{DaySummary, OrderFilter};
use kitchen_wire::{SettingsDto, SettingsUpdate};
use serde::Deserialize;

/// `GET /api/settings`.
pub(super) async fn get(State(st): State<AppState>) -> Json<SettingsDto> {
    Json(view(&st.calls.stored_settings(), &st.calls.config()))
}

/// What the dashboard sees: effective values, secrets only as "set or not".
fn view(stored: &StoredSettings, effective: &PhoneConfig) -> SettingsDto {
    SettingsDto {
        shop_name: effective.shop_name.clone(),
        greeting: effective.greeting.clone(),
        eta_minutes: effective.eta_minutes,
        amber_after_minutes: stored.amber_after_minutes.unwrap_or(DEFAULT_AMBER_AFTER),
        red_after_minutes: stored.red_after_minutes.unwrap_or(DEFAULT_RED_AFTER),
        shop_phone: effective.shop_phone.clone(),
        twilio_account_sid: effective.twilio_account_sid.clone(),
        twilio_phone_number: effective.twilio_phone_number.clone(),
        openai_model: effective.openai_model.clone(),
        ngrok_domain: effective.ngrok_domain.clone(),
        start_at_login: stored.start_at_login(),
        openai_api_key_set: effective.openai_api_key.is_some(),
        twilio_auth_token_set: effective.twilio_auth_token.is_some(),
        ngrok_authtoken_set: effective.ngrok_authtoken.is_some(),
    }
}

/// `PUT /api/settings`: any subset; 422 naming the field when a value is wrong (nothing is
/// saved then). Takes effect for the next call.
pub(super) async fn put(
    State(st): State<AppState>,
    ApiJson(update): ApiJson<SettingsUpdate>,
) -> Result<Json<SettingsDto>, ApiError> {
    let current = st.calls.stored_settings();
    let valid = validate_update(&update, &current).map_err(|e| {
        ApiError::Validation(ValidationErrors(vec![FieldError::new(e.field, e.message)]))
    })?;
    // Secrets first: a secret store that fails leaves the plain settings untouched too.
    save_secrets(&st.secrets, valid.secrets).await?;
    st.store.update_settings(valid.rows).await?;
    let stored = StoredSettings::load(&st.store, &st.secrets).await?;
    st.calls.apply_settings(stored);
    tracing::info!("the shop's settings were changed from the dashboard");
    Ok(get(State(st)).await)
}

#[derive(Deserialize)]
pub(super) struct DayQuery {
    date: Option<String>,
}

fn day(st: &AppState, q: Result<Query<DayQuery>, QueryRejection>) -> Result<NaiveDate, ApiError> {
    let Query(q) = q.map_err(|e| ApiError::InvalidQuery(e.body_text()))?;
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
    let date = day(&st, q)?;
    Ok(Json(st.store.day_summary(date).await?))
}

/// `GET /api/orders.csv?date=YYYY-MM-DD`: the day's orders, oldest first, as a download.
pub(super) async fn csv(
    State(st): State<AppState>,
    q: Result<Query<DayQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let date = day(&st, q)?;
    let mut orders = st
        .store
        .orders(OrderFilter {
            business_date: Some(date),
            limit: 100_000,
            ..OrderFilter::default()
        })
        .await?;
    orders.reverse();
    let body = kitchen_store::orders_csv(&orders);
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

#[cfg(test)]
mod tests {
    use super::*;
    use kitchen_domain::Secret;

    #[test]
    fn stored_values_win_over_the_environment_and_secrets_only_show_as_set() {
        let base = PhoneConfig {
            shop_name: "From Env".into(),
            eta_minutes: 35,
            ..PhoneConfig::default()
        };
        let stored = StoredSettings {
            shop_name: Some("Melt 8 Gulberg".into()),
            eta_minutes: Some(45),
            openai_api_key: Some(Secret::new("sk-stored")),
            ..StoredSettings::default()
        };
        let eff = base.with_stored(&stored);
        assert_eq!(eff.shop_name, "Melt 8 Gulberg");
        assert_eq!(eff.eta_minutes, 45);
        let shown = view(&stored, &eff);
        assert!(shown.openai_api_key_set);
        assert!(!shown.twilio_auth_token_set);
        assert_eq!(shown.amber_after_minutes, DEFAULT_AMBER_AFTER);
        assert!(!serde_json::to_string(&shown).unwrap().contains("sk-stored"));
    }

    #[test]
    fn stored_plain_settings_override_the_environment() {
        let stored = StoredSettings {
            twilio_account_sid: Some("AC0123456789abcdef0123456789abcdef".into()),
            twilio_phone_number: Some("+924235550123".into()),
            openai_model: Some("gpt-realtime-2.1-mini".into()),
            ngrok_domain: Some("melt8.ngrok.app".into()),
            ngrok_authtoken: Some(Secret::new("2abc")),
            setup_done: true,
            ..StoredSettings::default()
        };
        let eff = PhoneConfig::default().with_stored(&stored);
        assert_eq!(eff.twilio_phone_number.as_deref(), Some("+924235550123"));
        assert_eq!(eff.openai_model, "gpt-realtime-2.1-mini");
        assert_eq!(eff.ngrok_domain.as_deref(), Some("melt8.ngrok.app"));
        assert_eq!(
            eff.twilio_account_sid.as_deref(),
            Some("AC0123456789abcdef0123456789abcdef")
        );
        assert!(eff.ngrok_authtoken.is_some());
        let shown = view(&stored, &eff);
        assert!(shown.ngrok_authtoken_set && shown.start_at_login);
        assert!(!StoredSettings::default().start_at_login());
    }
}
