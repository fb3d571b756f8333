//! The one error body of the API, whatever failed: `{"error":{"code":…,"message":…}}`,
//! plus `"params"` (the values the code's text needs, possibly none) and `"fields"` naming
//! each wrong field of a validation error. Clients branch on `code` (and word it with
//! `params` in their own language), never on the message.

use kitchen_domain::FieldError;
use serde::Serialize;
use std::collections::BTreeMap;

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
    /// For a person: what is wrong and what to do (English).
    pub message: String,
    /// Values the code's text needs (`{"number": "+92…"}`); always present, possibly empty.
    pub params: BTreeMap<String, String>,
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
                params: BTreeMap::new(),
                fields,
            },
        }
    }

    /// The same body with the code's `params`.
    pub fn with_params(mut self, params: BTreeMap<String, String>) -> Self {
        self.error.params = params;
        self
    }
}
