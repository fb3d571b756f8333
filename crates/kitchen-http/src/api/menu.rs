//! `GET /api/menu` and `PUT /api/menu` (replace the whole menu: items, option groups and
//! deals, validated as a whole).

use super::extract::ApiJson;
use crate::error::ApiError;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use kitchen_domain::{AvailabilityChange, Menu, MenuParts};

pub(super) async fn get(State(st): State<AppState>) -> Result<Response, ApiError> {
    let menu = st.store.menu().await?;
    Ok(Json(&*menu).into_response())
}

pub(super) async fn put(
    State(st): State<AppState>,
    ApiJson(body): ApiJson<MenuParts>,
) -> Result<Response, ApiError> {
    let menu = Menu::from_parts(body).map_err(ApiError::Validation)?;
    st.orders
        .replace_menu(menu.clone())
        .await
        .map_err(ApiError::from)?;
    Ok(Json(menu).into_response())
}

/// `PUT /api/menu/availability`: one item, size, option or deal sold out (or back on sale),
/// answered with the whole menu as `GET /api/menu` sends it.
pub(super) async fn set_availability(
    State(st): State<AppState>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> Result<Response, ApiError> {
    let change = AvailabilityChange::from_json(&body).map_err(ApiError::Validation)?;
    let menu = st
        .orders
        .set_availability(&change)
        .await
        .map_err(|e| match e {
            kitchen_core::OrderError::Invalid(v) => ApiError::Validation(v),
            kitchen_core::OrderError::Store(s) => s.into(),
        })?;
    Ok(Json(menu).into_response())
}
