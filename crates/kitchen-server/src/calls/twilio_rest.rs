//! The few Twilio REST calls the relay makes: redirect a live call to new TwiML (transfer,
//! fallback) and hang it up. The base URL is configurable so tests talk to a local fake.

use crate::secret::Secret;
use std::time::Duration;

/// A client of Twilio's REST API for one account.
#[derive(Debug, Clone)]
pub struct TwilioRest {
    http: reqwest::Client,
    base: String,
    account_sid: String,
    auth_token: Secret,
}

/// What happened to a call update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Updated {
    /// Twilio accepted it.
    Done,
    /// The call had already ended (Twilio's 20404): nothing to do.
    CallGone,
}

/// A REST failure.
#[derive(Debug, thiserror::Error)]
pub enum RestError {
    /// Network trouble or a timeout.
    #[error("could not reach Twilio: {0}")]
    Network(String),
    /// Twilio answered with an error.
    #[error("Twilio answered HTTP {status}: {body}")]
    Status {
        /// HTTP status.
        status: u16,
        /// The (truncated) body.
        body: String,
    },
}

impl TwilioRest {
    /// A client for `account_sid` at `base` (`https://api.twilio.com/2010-04-01`).
    pub fn new(base: &str, account_sid: &str, auth_token: Secret) -> Self {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap_or_default();
        TwilioRest {
            http,
            base: base.trim_end_matches('/').to_string(),
            account_sid: account_sid.to_string(),
            auth_token,
        }
    }

    /// Replaces what a live call is doing with new TwiML (`<Dial>` the shop, or an apology).
    pub async fn redirect(&self, call_sid: &str, twiml: &str) -> Result<Updated, RestError> {
        self.update_call(call_sid, &[("Twiml", twiml)]).await
    }

    /// Hangs up a live call.
    pub async fn hang_up(&self, call_sid: &str) -> Result<Updated, RestError> {
        self.update_call(call_sid, &[("Status", "completed")]).await
    }

    async fn update_call(
        &self,
        call_sid: &str,
        form: &[(&str, &str)],
    ) -> Result<Updated, RestError> {
        let url = format!(
            "{}/Accounts/{}/Calls/{}.json",
            self.base, self.account_sid, call_sid
        );
        let res = self
            .http
            .post(url)
            .basic_auth(&self.account_sid, Some(self.auth_token.expose()))
            .form(form)
            .send()
            .await
            .map_err(|e| RestError::Network(e.to_string()))?;
        let status = res.status().as_u16();
        if res.status().is_success() {
            return Ok(Updated::Done);
        }
        let body = res.text().await.unwrap_or_default();
        if status == 404 && body.contains("20404") {
            return Ok(Updated::CallGone);
        }
        Err(RestError::Status {
            status,
            body: body.chars().take(300).collect(),
        })
    }
}
