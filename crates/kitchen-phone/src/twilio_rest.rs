//! The few Twilio REST calls the relay makes: redirect a live call to new TwiML (transfer,
//! fallback) and hang it up. The base URL is configurable so tests talk to a local fake.

use kitchen_domain::Secret;
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

/// One of the account's phone numbers (the fields the kitchen uses).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct IncomingNumber {
    /// `PN…`.
    pub sid: String,
    /// E.164.
    pub phone_number: String,
    /// Where its calls go now.
    #[serde(default)]
    pub voice_url: Option<String>,
}

#[derive(Debug, serde::Deserialize)]
struct NumberList {
    #[serde(default)]
    incoming_phone_numbers: Vec<IncomingNumber>,
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

impl RestError {
    /// Twilio refused the Account SID / auth token (HTTP 401).
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, RestError::Status { status: 401, .. })
    }
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

    /// Finds one of the account's numbers (`IncomingPhoneNumbers.json?PhoneNumber=+92…`).
    pub async fn find_incoming_number(
        &self,
        phone_number: &str,
    ) -> Result<Option<IncomingNumber>, RestError> {
        let url = format!(
            "{}/Accounts/{}/IncomingPhoneNumbers.json",
            self.base, self.account_sid
        );
        let res = self
            .http
            .get(url)
            .query(&[("PhoneNumber", phone_number)])
            .basic_auth(&self.account_sid, Some(self.auth_token.expose()))
            .send()
            .await
            .map_err(|e| RestError::Network(e.to_string()))?;
        let list: NumberList = Self::json(res).await?;
        Ok(list
            .incoming_phone_numbers
            .into_iter()
            .find(|n| n.phone_number == phone_number))
    }

    /// Points a number's calls at `voice_url` (POST) with status callbacks to
    /// `status_callback`.
    pub async fn set_voice_url(
        &self,
        number_sid: &str,
        voice_url: &str,
        status_callback: &str,
    ) -> Result<IncomingNumber, RestError> {
        let url = format!(
            "{}/Accounts/{}/IncomingPhoneNumbers/{}.json",
            self.base, self.account_sid, number_sid
        );
        let res = self
            .http
            .post(url)
            .basic_auth(&self.account_sid, Some(self.auth_token.expose()))
            .form(&[
                ("VoiceUrl", voice_url),
                ("VoiceMethod", "POST"),
                ("StatusCallback", status_callback),
                ("StatusCallbackMethod", "POST"),
            ])
            .send()
            .await
            .map_err(|e| RestError::Network(e.to_string()))?;
        Self::json(res).await
    }

    async fn json<T: serde::de::DeserializeOwned>(res: reqwest::Response) -> Result<T, RestError> {
        let status = res.status().as_u16();
        let body = res
            .text()
            .await
            .map_err(|e| RestError::Network(e.to_string()))?;
        if !(200..300).contains(&status) {
            return Err(RestError::Status {
                status,
                body: body.chars().take(300).collect(),
            });
        }
        serde_json::from_str(&body).map_err(|e| RestError::Status {
            status,
            body: format!("an answer that is not the expected JSON ({e})"),
        })
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
