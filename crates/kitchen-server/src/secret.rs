//! [`Secret`] lives in the domain (settings hold secrets); re-exported for this crate's users.

pub use kitchen_domain::secret::Secret;
