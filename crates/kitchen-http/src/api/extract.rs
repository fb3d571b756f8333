//! Request extractors whose failures are [`ApiError`]s, so every bad request gets the one
//! JSON error shape; and the client's address.

use crate::error::ApiError;
use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, FromRequest, Request};
use axum::http::StatusCode;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// JSON body extractor: malformed JSON → 400 `invalid_json`, wrong shape → 422
/// `invalid_body`, over the limit (64 KiB; a menu 1 MiB) → 413 `body_too_large`, not JSON-typed → 415.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    axum::Json<T>: FromRequest<S, Rejection = JsonRejection>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => Err(match rejection {
                _ if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => ApiError::BodyTooLarge,
                JsonRejection::JsonSyntaxError(e) => {
                    ApiError::InvalidJson(inner_message(&e.body_text()))
                }
                JsonRejection::JsonDataError(e) => {
                    ApiError::InvalidBody(inner_message(&e.body_text()))
                }
                JsonRejection::MissingJsonContentType(_) => ApiError::UnsupportedMediaType,
                other => ApiError::InvalidJson(other.body_text()),
            }),
        }
    }
}

impl<T> ApiJson<T> {
    /// Extracts from a request already taken whole by a handler (which read its headers
    /// first).
    pub async fn from_request_parts_and_body<S>(req: Request, state: &S) -> Result<Self, ApiError>
    where
        axum::Json<T>: FromRequest<S, Rejection = JsonRejection>,
        S: Send + Sync,
    {
        <Self as FromRequest<S>>::from_request(req, state).await
    }
}

/// axum's texts read "Failed to parse the request body as JSON: items: …"; keep the part
/// after the first colon, which says what is wrong.
fn inner_message(text: &str) -> String {
    text.split_once(": ")
        .map_or(text, |(_, rest)| rest)
        .to_string()
}

/// The client's address (for login limits), from the connection.
pub(crate) fn client_ip(req: &Request) -> IpAddr {
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip())
}
