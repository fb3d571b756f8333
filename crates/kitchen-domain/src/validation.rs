//! Problems with a request, field by field: what every validator (orders, menus, settings)
//! returns so the caller can fix them all at once, each with a stable code for programs.

use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;

/// One problem with one field of a request (`items[1].size_id`).
///
/// `code` and `params` are for programs: the dashboard translates them into the screen's
/// language (an Urdu screen never shows `message`), scripts branch on them. `message` is
/// the same problem in English, for people reading the API directly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// Where the problem is, as a path into the request.
    pub field: String,
    /// What kind of problem it is: a stable code such as `required`, `too_long`,
    /// `out_of_range`, `phone_invalid` (see the README's list); `invalid` when no more
    /// specific code applies.
    pub code: &'static str,
    /// Values the code's text needs (`{"max": "80"}`); always present, possibly empty.
    pub params: BTreeMap<&'static str, String>,
    /// What is wrong and what would be right, in English.
    pub message: String,
}

impl FieldError {
    /// A problem with `field` that has no more specific code than `invalid`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError::coded(field, "invalid", message)
    }

    /// A problem with `field` of the kind `code`.
    pub fn coded(field: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            code,
            params: BTreeMap::new(),
            message: message.into(),
        }
    }

    /// Adds a parameter of the code's text.
    #[must_use]
    pub fn with(mut self, name: &'static str, value: impl ToString) -> Self {
        self.params.insert(name, value.to_string());
        self
    }
}

/// Every problem found in a request, so the caller fixes them all at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
pub struct ValidationErrors(pub Vec<FieldError>);

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{}: {}", e.field, e.message)?;
        }
        Ok(())
    }
}
