//! `GET /api/menu` and `PUT /api/menu` (replace the whole menu: items, option groups and
//! deals, validated as a whole).

use super::extract::ApiJson;
use crate::error::ApiError;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use kitchen_domain::{Menu, MenuParts};

pub(super) async fn get(State(st): State<AppState>) -> Result<Response, ApiError> {
    let menu = st.store.menu().await?;
    Ok(Json(menu).into_response())
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
