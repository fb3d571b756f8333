//! The one error body of the API, whatever failed: `{"error":{"code":…,"message":…}}`,
//! plus `"fields"` naming each wrong field of a validation error. Clients branch on `code`,
//! never on the message.

use kitchen_domain::FieldError;
use serde::Serialize;

/// `{"error": {…}}`.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorBody<'a> {
    /// What went wrong.
    pub error: ErrorInfo<'a>,
}

/// The inside of an [`ErrorBody`].
#[derive(Debug, Clone, Serialize)]
pub struct ErrorInfo<'a> {
    /// Stable and machine-readable, e.g. `validation_failed`.
    pub code: &'a str,
    /// For a person: what is wrong and what to do.
    pub message: String,
    /// Each wrong field, on validation errors only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<&'a [FieldError]>,
}

impl<'a> ErrorBody<'a> {
    /// An error body with `code` and `message`, and `fields` when there are any.
    pub fn new(code: &'a str, message: String, fields: Option<&'a [FieldError]>) -> Self {
        ErrorBody {
            error: ErrorInfo {
                code,
                message,
                fields,
            },
        }
    }
}
