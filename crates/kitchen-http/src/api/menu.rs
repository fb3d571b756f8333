//! `GET /api/menu` and `PUT /api/menu` (replace the whole menu, validated).

use super::extract::ApiJson;
use crate::error::ApiError;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use kitchen_domain::{Menu, MenuItem};
use kitchen_wire::MenuDto;
use serde::Deserialize;

pub(super) async fn get(State(st): State<AppState>) -> Result<Response, ApiError> {
    let menu = st.store.menu().await?;
    Ok(Json(MenuDto::from(&menu)).into_response())
}

#[derive(Deserialize)]
pub(super) struct MenuBody {
    items: Vec<MenuItem>,
}

pub(super) async fn put(
    State(st): State<AppState>,
    ApiJson(body): ApiJson<MenuBody>,
) -> Result<Response, ApiError> {
    let menu = Menu::new(body.items).map_err(ApiError::Validation)?;
    st.orders
        .replace_menu(menu.clone())
        .await
        .map_err(ApiError::from)?;
    Ok(Json(MenuDto::from(&menu)).into_response())
}
