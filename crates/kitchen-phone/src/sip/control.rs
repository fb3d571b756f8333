//! OpenAI's SIP call control over REST (`OPENAI_API_BASE`, Bearer key): accept, reject,
//! refer (transfer) and hang up, for GPT-Live sessions (`/live/sessions/{id}/…`) and
//! Realtime calls (`/realtime/calls/{id}/…`). The base URL is configurable so tests talk to
//! a local fake. The key is never logged nor put in an error.

use kitchen_domain::Secret;
use serde_json::{Value, json};
use std::time::Duration;

/// Which API a SIP call was accepted on (its ids and paths differ).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SipApi {
    /// GPT-Live: `live_…` session ids.
    Live,
    /// The Realtime API: `rtc_…` call ids.
    Realtime,
}

impl SipApi {
    fn path(self) -> &'static str {
        match self {
            SipApi::Live => "live/sessions",
            SipApi::Realtime => "realtime/calls",
        }
    }
}

/// Why a call-control request did not do what it asked.
#[derive(Debug, thiserror::Error)]
pub enum ControlError {
    /// 404: the call is gone (hung up, or accepted/answered elsewhere). Not retried.
    #[error("the call is gone (HTTP 404)")]
    Gone,
    /// Another HTTP refusal; the body's `error.message` when there was one.
    #[error("OpenAI refused the request (HTTP {status}): {message}")]
    Refused {
        /// The HTTP status.
        status: u16,
        /// OpenAI's message.
        message: String,
    },
    /// Network trouble or a timeout.
    #[error("could not reach OpenAI: {0}")]
    Network(String),
}

/// A client of OpenAI's SIP call control.
#[derive(Debug, Clone)]
pub struct CallControl {
    http: reqwest::Client,
    base: String,
    key: Secret,
}

/// How long one call-control request may take (the caller is hearing it ring).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

impl CallControl {
    /// A client for `base` (e.g. `https://api.openai.com/v1`) with the API key.
    pub fn new(base: &str, key: Secret) -> Self {
        let http = reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .build()
            .unwrap_or_default();
        CallControl {
            http,
            base: base.trim_end_matches('/').to_string(),
            key,
        }
    }

    /// `POST …/{id}/accept` with `{"session": session}`.
    pub async fn accept(&self, api: SipApi, id: &str, session: Value) -> Result<(), ControlError> {
        self.post(api, id, "accept", Some(json!({ "session": session })))
            .await
    }

    /// `POST …/{id}/reject` with a SIP status (e.g. 486 Busy Here, 603 Decline).
    pub async fn reject(
        &self,
        api: SipApi,
        id: &str,
        status_code: u16,
    ) -> Result<(), ControlError> {
        self.post(
            api,
            id,
            "reject",
            Some(json!({ "status_code": status_code })),
        )
        .await
    }

    /// `POST …/{id}/refer`: transfers the caller to `target_uri` (`tel:+92…` or `sip:…`).
    pub async fn refer(&self, api: SipApi, id: &str, target_uri: &str) -> Result<(), ControlError> {
        self.post(api, id, "refer", Some(json!({ "target_uri": target_uri })))
            .await
    }

    /// `POST …/{id}/hangup`.
    pub async fn hang_up(&self, api: SipApi, id: &str) -> Result<(), ControlError> {
        self.post(api, id, "hangup", None).await
    }

    async fn post(
        &self,
        api: SipApi,
        id: &str,
        action: &str,
        body: Option<Value>,
    ) -> Result<(), ControlError> {
        if !plain_id(id) {
            return Err(ControlError::Refused {
                status: 400,
                message: "the call id has characters a URL path cannot carry".into(),
            });
        }
        let url = format!("{}/{}/{id}/{action}", self.base, api.path());
        let mut req = self.http.post(&url).bearer_auth(self.key.expose());
        req = match body {
            Some(body) => req.json(&body),
            None => req.header("content-length", "0"),
        };
        let res = req
            .send()
            .await
            .map_err(|e| ControlError::Network(e.without_url().to_string()))?;
        let status = res.status();
        if status.is_success() {
            return Ok(());
        }
        if status == reqwest::StatusCode::NOT_FOUND {
            return Err(ControlError::Gone);
        }
        let text = res.text().await.unwrap_or_default();
        let message = serde_json::from_str::<Value>(&text)
            .ok()
            .and_then(|v| v["error"]["message"].as_str().map(str::to_string))
            .unwrap_or_else(|| text.chars().take(200).collect());
        Err(ControlError::Refused {
            status: status.as_u16(),
            message,
        })
    }
}

/// Ids OpenAI gives (`rtc_…`, `live_…`): letters, digits, `_` and `-` only, so they go in a
/// path unescaped and a forged webhook cannot steer the request elsewhere.
pub(crate) fn plain_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 128
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_ids_reach_a_url() {
        assert!(plain_id("rtc_abc-123"));
        assert!(plain_id("live_X9"));
        for bad in ["", "../x", "a/b", "a?b", "a b", "a%2f", &"x".repeat(129)] {
            assert!(!plain_id(bad), "{bad}");
        }
    }
}
