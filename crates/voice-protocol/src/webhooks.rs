//! Standard Webhooks signatures, as OpenAI signs its webhooks (`realtime.call.incoming`,
//! `live.transport.incoming`, …) and as the `openai` Python package checks them.
//!
//! - Headers: `webhook-id` (the delivery's id, also the de-duplication key),
//!   `webhook-timestamp` (unix seconds of the delivery attempt), `webhook-signature`.
//! - Secret: `whsec_<base64>`; the key is the base64-decoded part after the prefix. A secret
//!   without the prefix is used as raw bytes, as the `openai` package does.
//! - Signed string: `"{id}.{timestamp}.{raw body}"`, HMAC-SHA256, standard base64.
//! - The header holds space-separated `v1,<signature>` entries; any one matching is enough,
//!   which lets the sender rotate secrets. Other versions are ignored.
//! - The timestamp must lie within [`TOLERANCE_SECS`] of now, in both directions.
//!
//! Pure: the caller passes the headers, the raw body and the current time in. The bodies of
//! the SIP call webhooks are typed in [`incoming`].

pub mod incoming;

pub use incoming::{SipHeader, WebhookEvent, caller_number};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

type HmacSha256 = Hmac<Sha256>;

/// Header carrying the delivery id.
pub const ID_HEADER: &str = "webhook-id";
/// Header carrying the delivery time (unix seconds).
pub const TIMESTAMP_HEADER: &str = "webhook-timestamp";
/// Header carrying the `v1,<base64>` signatures.
pub const SIGNATURE_HEADER: &str = "webhook-signature";
/// How far the delivery time may be from now, either way (the SDK's default).
pub const TOLERANCE_SECS: i64 = 300;
/// The prefix of a Standard Webhooks secret.
pub const SECRET_PREFIX: &str = "whsec_";

/// Why a webhook delivery was refused. The messages never contain the secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    /// A required header is absent or empty.
    #[error("webhook header `{0}` is missing")]
    MissingHeader(&'static str),
    /// The configured secret is not `whsec_<base64>` (a setup problem, not the sender's).
    #[error("the webhook secret is not valid base64 after `whsec_`")]
    BadSecret,
    /// `webhook-timestamp` is not a whole number of seconds.
    #[error("webhook-timestamp is not a unix time")]
    BadTimestamp,
    /// The delivery is older than the tolerance (a replay, or a stuck queue).
    #[error("webhook timestamp is too old")]
    Stale,
    /// The delivery claims a time further ahead than the tolerance.
    #[error("webhook timestamp is in the future")]
    Future,
    /// No `v1` signature in the header matches the body.
    #[error("no webhook signature matches")]
    BadSignature,
}

/// The three Standard Webhooks headers of one delivery, as received.
#[derive(Debug, Clone, Copy)]
pub struct WebhookHeaders<'a> {
    /// `webhook-id`.
    pub id: Option<&'a str>,
    /// `webhook-timestamp`.
    pub timestamp: Option<&'a str>,
    /// `webhook-signature`.
    pub signature: Option<&'a str>,
}

/// A checked delivery: its id (to de-duplicate) and time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The `webhook-id` header.
    pub id: String,
    /// The `webhook-timestamp` header, in unix seconds.
    pub timestamp: i64,
}

/// A Standard Webhooks signing key, decoded from its `whsec_` form.
#[derive(Clone)]
pub struct WebhookSecret {
    key: Vec<u8>,
}

impl std::fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WebhookSecret(..)")
    }
}

impl WebhookSecret {
    /// Decodes `whsec_<base64>`; without the prefix the text itself is the key (as the
    /// `openai` package does). An empty key is refused: anyone could sign with it.
    pub fn parse(secret: &str) -> Result<Self, WebhookError> {
        let secret = secret.trim();
        let key = match secret.strip_prefix(SECRET_PREFIX) {
            Some(encoded) => STANDARD
                .decode(encoded)
                .map_err(|_| WebhookError::BadSecret)?,
            None => secret.as_bytes().to_vec(),
        };
        if key.is_empty() {
            return Err(WebhookError::BadSecret);
        }
        Ok(Self { key })
    }

    /// A secret from raw key bytes (fakes and tests).
    pub fn from_key(key: &[u8]) -> Self {
        Self { key: key.to_vec() }
    }

    /// The `whsec_<base64>` form of this key.
    pub fn to_whsec(&self) -> String {
        format!("{SECRET_PREFIX}{}", STANDARD.encode(&self.key))
    }

    /// The base64 signature (without `v1,`) of one delivery.
    pub fn sign(&self, id: &str, timestamp: i64, body: &[u8]) -> String {
        STANDARD.encode(self.mac(id, &timestamp.to_string(), body))
    }

    /// The `webhook-signature` header value for one delivery: `v1,<signature>`.
    pub fn signature_header(&self, id: &str, timestamp: i64, body: &[u8]) -> String {
        format!("v1,{}", self.sign(id, timestamp, body))
    }

    fn mac(&self, id: &str, timestamp: &str, body: &[u8]) -> Vec<u8> {
        // HMAC takes keys of any length: this never fails, but stay panic-free anyway.
        let Ok(mut mac) = HmacSha256::new_from_slice(&self.key) else {
            return Vec::new();
        };
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.as_bytes());
        mac.update(b".");
        mac.update(body);
        mac.finalize().into_bytes().to_vec()
    }

    /// Checks one delivery at time `now` (unix seconds): headers present, time within the
    /// tolerance, and one `v1` signature matching. The time is checked before the signature,
    /// as the SDK does.
    pub fn verify(
        &self,
        headers: WebhookHeaders<'_>,
        body: &[u8],
        now: i64,
    ) -> Result<Verified, WebhookError> {
        fn present<'h>(
            value: Option<&'h str>,
            name: &'static str,
        ) -> Result<&'h str, WebhookError> {
            value
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .ok_or(WebhookError::MissingHeader(name))
        }
        let id = present(headers.id, ID_HEADER)?;
        let timestamp_text = present(headers.timestamp, TIMESTAMP_HEADER)?;
        let signatures = present(headers.signature, SIGNATURE_HEADER)?;
        let timestamp: i64 = timestamp_text
            .parse()
            .map_err(|_| WebhookError::BadTimestamp)?;
        if now.saturating_sub(timestamp) > TOLERANCE_SECS {
            return Err(WebhookError::Stale);
        }
        if timestamp.saturating_sub(now) > TOLERANCE_SECS {
            return Err(WebhookError::Future);
        }
        let expected = self.mac(id, timestamp_text, body);
        let mut matched = subtle::Choice::from(0);
        for entry in signatures.split_ascii_whitespace() {
            let Some(("v1", encoded)) = entry.split_once(',') else {
                continue;
            };
            let Ok(given) = STANDARD.decode(encoded) else {
                continue;
            };
            // ct_eq is false (in constant time) for different lengths too.
            matched |= given.ct_eq(&expected);
        }
        if bool::from(matched) && !expected.is_empty() {
            Ok(Verified {
                id: id.to_owned(),
                timestamp,
            })
        } else {
            Err(WebhookError::BadSignature)
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn headers<'a>(id: &'a str, ts: &'a str, sig: &'a str) -> WebhookHeaders<'a> {
        WebhookHeaders {
            id: Some(id),
            timestamp: Some(ts),
            signature: Some(sig),
        }
    }

    #[test]
    fn a_signed_delivery_round_trips_and_a_changed_body_fails() {
        let secret = WebhookSecret::from_key(b"0123456789abcdef");
        let sig = secret.signature_header("wh_1", 1_000, b"{}");
        let ok = secret.verify(headers("wh_1", "1000", &sig), b"{}", 1_010);
        assert_eq!(
            ok,
            Ok(Verified {
                id: "wh_1".into(),
                timestamp: 1_000
            })
        );
        let bad = secret.verify(headers("wh_1", "1000", &sig), b"{ }", 1_010);
        assert_eq!(bad, Err(WebhookError::BadSignature));
    }

    #[test]
    fn the_secret_parses_with_and_without_prefix_and_refuses_junk() {
        let secret = WebhookSecret::from_key(b"key");
        let whsec = secret.to_whsec();
        assert!(whsec.starts_with("whsec_"));
        let again = WebhookSecret::parse(&whsec).unwrap();
        assert_eq!(again.sign("a", 1, b"b"), secret.sign("a", 1, b"b"));
        let raw = WebhookSecret::parse("key").unwrap();
        assert_eq!(raw.sign("a", 1, b"b"), secret.sign("a", 1, b"b"));
        assert_eq!(
            WebhookSecret::parse("whsec_***").unwrap_err(),
            WebhookError::BadSecret
        );
        assert_eq!(
            WebhookSecret::parse("whsec_").unwrap_err(),
            WebhookError::BadSecret
        );
        assert!(!format!("{secret:?}").contains("key"));
    }

    #[test]
    fn a_non_numeric_timestamp_and_unknown_versions_are_refused() {
        let secret = WebhookSecret::from_key(b"k");
        let sig = secret.sign("i", 5, b"x");
        assert_eq!(
            secret.verify(headers("i", "five", &format!("v1,{sig}")), b"x", 5),
            Err(WebhookError::BadTimestamp)
        );
        assert_eq!(
            secret.verify(headers("i", "5", &format!("v2,{sig}")), b"x", 5),
            Err(WebhookError::BadSignature)
        );
        assert_eq!(
            secret.verify(headers("i", "5", "v1,not base64!"), b"x", 5),
            Err(WebhookError::BadSignature)
        );
    }
}
