//! The one error type of the HTTP API: a stable `code`, an HTTP status, and a message a
//! person can act on, sent as `{"error":{"code":…,"message":…}}`. Internal details are
//! logged by the `log_errors` middleware, never sent.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kitchen_domain::{StatusError, ValidationErrors};
use kitchen_store::StoreError;
use kitchen_wire::ErrorBody;
use std::collections::BTreeMap;
use std::sync::Arc;

/// An API error.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The body is not valid JSON.
    #[error("the request body is not valid JSON: {0}")]
    InvalidJson(String),
    /// The body is JSON of the wrong shape (missing field, wrong type).
    #[error("the request body does not have the expected fields: {0}")]
    InvalidBody(String),
    /// A query parameter is malformed.
    #[error("{0}")]
    InvalidQuery(String),
    /// A header is malformed.
    #[error("{0}")]
    InvalidHeader(String),
    /// The body is not JSON-typed.
    #[error("send the body as JSON with `Content-Type: application/json`")]
    UnsupportedMediaType,
    /// The body is over the limit.
    #[error("the request body is larger than this request allows (64 KiB; a menu 1 MiB)")]
    BodyTooLarge,
    /// No credentials, or an expired session.
    #[error("log in first: POST /api/login, or send HTTP Basic credentials")]
    Unauthorized,
    /// Wrong username or password.
    #[error("wrong username or password")]
    InvalidCredentials,
    /// Too many failed logins from this address.
    #[error("too many failed logins from this address; wait {retry_after_s} seconds and try again")]
    TooManyAttempts {
        /// Seconds until the next attempt is allowed.
        retry_after_s: u64,
    },
    /// A browser page from another site tried to use the API.
    #[error("requests from another site are not allowed")]
    ForbiddenOrigin,
    /// The request names a host this server does not serve (`Host`): a DNS-rebinding page,
    /// or a name the owner has not listed in `KITCHEN_HOSTS`.
    #[error("this kitchen server does not answer to that host name; open it by its own address")]
    MisdirectedHost,
    /// The request took longer than the server allows (a client sending its body slowly,
    /// or a stuck handler); nothing was done.
    #[error("the request took too long and was stopped; try again")]
    RequestTimeout,
    /// A kitchen session asked for an owner's page or action.
    #[error("only the owner may do this; enter the owner password to continue")]
    OwnerOnly,
    /// A pairing code that is unknown, expired or used.
    #[error(transparent)]
    Pairing(kitchen_core::auth::PairingRefused),
    /// No such order (or other resource).
    #[error("{0}")]
    NotFound(String),
    /// No such route.
    #[error("there is no such endpoint; see the README for the API")]
    RouteNotFound,
    /// The route exists, the method does not.
    #[error("this endpoint does not accept that HTTP method")]
    MethodNotAllowed,
    /// A status change the flow does not allow.
    #[error(transparent)]
    InvalidTransition(StatusError),
    /// An idempotency key reused for a different order.
    #[error(
        "this Idempotency-Key was already used for a different order; use a new key for a new order"
    )]
    IdempotencyConflict,
    /// A rider's cash changed between the screen and the mark.
    #[error("{0}")]
    CashChanged(String),
    /// The request's values are wrong (each field listed).
    #[error("{0}")]
    Validation(ValidationErrors),
    /// An unknown status name.
    #[error(transparent)]
    InvalidStatus(kitchen_domain::UnknownStatus),
    /// A cancel without a reason, or a reason too long.
    #[error(transparent)]
    InvalidReason(StatusError),
    /// An undo that is too late or has nothing to undo.
    #[error(transparent)]
    Undo(kitchen_store::UndoError),
    /// A recall of an order that is not delivered or cancelled.
    #[error(transparent)]
    NotRecallable(kitchen_store::NotRecallable),
    /// A change to an order the kitchen has already started.
    #[error(transparent)]
    NotEditable(kitchen_store::NotEditable),
    /// The secret store (keychain or `secrets.json`) failed; the message names the file and
    /// the fix, never a value.
    #[error("{0}")]
    SecretStore(#[from] kitchen_core::secret_store::SecretError),
    /// A print request that cannot be queued (no such printer, none prints the document,
    /// no such order).
    #[error(transparent)]
    Print(kitchen_core::printing::PrintError),
    /// The database stayed locked longer than the busy timeout.
    #[error("the database is busy; nothing was saved. Try again in a moment")]
    DatabaseBusy,
    /// Anything else: logged in full, reported as a plain 500.
    #[error("something went wrong on the kitchen server; it has been logged")]
    Internal(#[source] anyhow::Error),
}

impl ApiError {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        use ApiError::*;
        match self {
            InvalidJson(_) | InvalidQuery(_) | InvalidHeader(_) => StatusCode::BAD_REQUEST,
            Unauthorized | InvalidCredentials => StatusCode::UNAUTHORIZED,
            MisdirectedHost => StatusCode::MISDIRECTED_REQUEST,
            RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            ForbiddenOrigin | OwnerOnly => StatusCode::FORBIDDEN,
            Pairing(kitchen_core::auth::PairingRefused::Unknown) => StatusCode::NOT_FOUND,
            Pairing(_) => StatusCode::GONE,
            NotFound(_) | RouteNotFound => StatusCode::NOT_FOUND,
            Print(kitchen_core::printing::PrintError::NoPrinterFor(_)) => StatusCode::CONFLICT,
            Print(_) => StatusCode::NOT_FOUND,
            MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            InvalidTransition(_) | IdempotencyConflict | CashChanged(_) | Undo(_)
            | NotEditable(_) | NotRecallable(_) => StatusCode::CONFLICT,
            BodyTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            InvalidBody(_) | Validation(_) | InvalidStatus(_) | InvalidReason(_) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            DatabaseBusy => StatusCode::SERVICE_UNAVAILABLE,
            SecretStore(_) | Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable machine-readable code; clients branch on this, never on the message.
    pub fn code(&self) -> &'static str {
        use ApiError::*;
        match self {
            InvalidJson(_) => "invalid_json",
            InvalidBody(_) => "invalid_body",
            InvalidQuery(_) => "invalid_query",
            InvalidHeader(_) => "invalid_header",
            UnsupportedMediaType => "unsupported_media_type",
            BodyTooLarge => "body_too_large",
            Unauthorized => "unauthorized",
            InvalidCredentials => "invalid_credentials",
            TooManyAttempts { .. } => "too_many_attempts",
            ForbiddenOrigin => "forbidden_origin",
            MisdirectedHost => "misdirected_host",
            RequestTimeout => "request_timeout",
            OwnerOnly => "owner_only",
            Pairing(kitchen_core::auth::PairingRefused::Unknown) => "pairing_code_unknown",
            Pairing(kitchen_core::auth::PairingRefused::Expired) => "pairing_code_expired",
            Pairing(kitchen_core::auth::PairingRefused::Used) => "pairing_code_used",
            NotFound(_) => "not_found",
            RouteNotFound => "route_not_found",
            MethodNotAllowed => "method_not_allowed",
            InvalidTransition(_) => "invalid_transition",
            IdempotencyConflict => "idempotency_conflict",
            CashChanged(_) => "cash_changed",
            Undo(kitchen_store::UndoError::NothingToUndo) => "nothing_to_undo",
            Undo(kitchen_store::UndoError::Expired(_)) => "undo_expired",
            NotEditable(_) => "order_not_editable",
            NotRecallable(_) => "not_recallable",
            Validation(_) => "validation_failed",
            InvalidStatus(_) => "invalid_status",
            InvalidReason(StatusError::ReasonRequired) => "reason_required",
            InvalidReason(_) => "invalid_reason",
            Print(e) => e.code(),
            DatabaseBusy => "database_busy",
            SecretStore(_) => "secret_store_failed",
            Internal(_) => "internal",
        }
    }
}

impl ApiError {
    /// The values the code's text needs, for clients that word the code themselves
    /// (`{"from": "ready", "to": "new"}`); empty for most codes.
    pub fn params(&self) -> BTreeMap<String, String> {
        let mut p = BTreeMap::new();
        let mut put = |k: &str, v: String| {
            p.insert(k.to_string(), v);
        };
        match self {
            ApiError::TooManyAttempts { retry_after_s } => {
                put("retry_after_s", retry_after_s.to_string())
            }
            ApiError::InvalidTransition(StatusError::InvalidTransition { from, to, .. }) => {
                put("from", from.as_str().to_string());
                put("to", to.as_str().to_string());
            }
            ApiError::InvalidReason(StatusError::ReasonTooLong(n)) => {
                put("length", n.to_string());
                put("max", "500".to_string());
            }
            ApiError::Undo(kitchen_store::UndoError::Expired(s)) => put("seconds", s.to_string()),
            ApiError::NotEditable(kitchen_store::NotEditable(status))
            | ApiError::NotRecallable(kitchen_store::NotRecallable(status)) => {
                put("status", status.as_str().to_string())
            }
            ApiError::InvalidStatus(u) => put("status", u.0.clone()),
            _ => {}
        }
        p
    }
}

/// Attached to 5xx responses so the logging middleware can log the cause.
#[derive(Debug, Clone)]
pub struct LoggedCause(pub Arc<String>);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let fields = match &self {
            ApiError::Validation(v) => Some(v.0.as_slice()),
            _ => None,
        };
        let body = ErrorBody::new(self.code(), self.to_string(), fields).with_params(self.params());
        let mut res = (status, axum::Json(body)).into_response();
        if let ApiError::TooManyAttempts { retry_after_s } = &self
            && let Ok(v) = HeaderValue::from_str(&retry_after_s.to_string())
        {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        if let ApiError::Unauthorized = &self {
            res.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"Melt 8 Kitchen\""),
            );
        }
        if status.is_server_error() {
            let cause = match &self {
                ApiError::Internal(e) => format!("{e:#}"),
                other => other.to_string(),
            };
            res.extensions_mut().insert(LoggedCause(Arc::new(cause)));
        }
        res
    }
}

impl From<kitchen_core::settings::SettingsError> for ApiError {
    fn from(e: kitchen_core::settings::SettingsError) -> Self {
        match e {
            kitchen_core::settings::SettingsError::Store(e) => e.into(),
            kitchen_core::settings::SettingsError::Secrets(e) => ApiError::SecretStore(e),
        }
    }
}

impl From<kitchen_core::UpdateError> for ApiError {
    fn from(e: kitchen_core::UpdateError) -> Self {
        match e {
            kitchen_core::UpdateError::Invalid(fields) => {
                ApiError::Validation(kitchen_domain::ValidationErrors(fields))
            }
            kitchen_core::UpdateError::Failed(e) => e.into(),
        }
    }
}

impl From<kitchen_core::auth::TooManyAttempts> for ApiError {
    fn from(e: kitchen_core::auth::TooManyAttempts) -> Self {
        ApiError::TooManyAttempts {
            retry_after_s: e.retry_after_s,
        }
    }
}

impl From<kitchen_phone::kitchen::KitchenError> for ApiError {
    fn from(e: kitchen_phone::kitchen::KitchenError) -> Self {
        match e {
            kitchen_phone::kitchen::KitchenError::Busy(_) => ApiError::DatabaseBusy,
            kitchen_phone::kitchen::KitchenError::Failed(e) => ApiError::Internal(e),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Busy => ApiError::DatabaseBusy,
            StoreError::NotFound => ApiError::NotFound("no such order".into()),
            StoreError::IdempotencyConflict => ApiError::IdempotencyConflict,
            e @ StoreError::CashChanged { .. } => ApiError::CashChanged(e.to_string()),
            StoreError::Status(s @ StatusError::InvalidTransition { .. }) => {
                ApiError::InvalidTransition(s)
            }
            StoreError::Status(s) => ApiError::InvalidReason(s),
            StoreError::Undo(u) => ApiError::Undo(u),
            StoreError::NotEditable(n) => ApiError::NotEditable(n),
            StoreError::NotRecallable(n) => ApiError::NotRecallable(n),
            other => ApiError::Internal(anyhow::Error::new(other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_details_are_not_sent() {
        let e = ApiError::Internal(anyhow::anyhow!("disk /dev/sda1 exploded"));
        assert!(!e.to_string().contains("sda1"));
        let res = e.into_response();
        assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let cause = res.extensions().get::<LoggedCause>().unwrap();
        assert!(cause.0.contains("sda1"), "the cause goes to the log");
    }

    #[test]
    fn store_errors_map_to_their_api_codes() {
        assert_eq!(ApiError::from(StoreError::Busy).code(), "database_busy");
        assert_eq!(
            ApiError::from(StoreError::NotFound).status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            ApiError::from(StoreError::Status(StatusError::ReasonRequired)).code(),
            "reason_required"
        );
    }
}
