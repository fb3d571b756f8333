//! The few Twilio REST calls the kitchen makes: redirect a live call to new TwiML
//! (transfer, fallback) and hang it up; find the shop's number and point its voice URLs;
//! list, create and update the Studio Flow that answers when this PC cannot
//! ([`crate::fallback_flow`]). Elastic SIP Trunking (the trunk that sends the number's calls
//! straight to OpenAI) lives in [`crate::sip_trunk`] on the same client. The base URLs
//! (`TWILIO_API_BASE`, `TWILIO_STUDIO_BASE`, `TWILIO_TRUNKING_BASE`) are configurable so
//! tests talk to a local fake.

use kitchen_domain::Secret;
use std::time::Duration;

/// A client of Twilio's REST API for one account.
#[derive(Debug, Clone)]
pub struct TwilioRest {
    http: reqwest::Client,
    base: String,
    studio_base: String,
    pub(crate) trunking_base: String,
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
    /// Where its calls go when the voice URL fails (`None` or empty: nowhere).
    #[serde(default)]
    pub voice_fallback_url: Option<String>,
    /// The Elastic SIP trunk (`TK…`) its calls go to; while set, Twilio ignores the voice
    /// URLs (fallback included) and uses the trunk's.
    #[serde(default)]
    pub trunk_sid: Option<String>,
}

impl IncomingNumber {
    /// The trunk its calls go to, if any (Twilio answers `null` or `""` for none).
    pub fn trunk(&self) -> Option<&str> {
        self.trunk_sid.as_deref().filter(|t| !t.is_empty())
    }
}

/// One of the account's Studio Flows (the fields the kitchen uses).
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct StudioFlow {
    /// `FW…`.
    pub sid: String,
    /// Its name.
    pub friendly_name: String,
    /// `draft` or `published`.
    #[serde(default)]
    pub status: String,
    /// The flow's definition (JSON).
    #[serde(default)]
    pub definition: serde_json::Value,
    /// The URL a number's voice URLs point at to run the flow.
    #[serde(default)]
    pub webhook_url: String,
}

#[derive(Debug, serde::Deserialize)]
struct FlowPage {
    #[serde(default)]
    flows: Vec<StudioFlow>,
    #[serde(default)]
    meta: Option<FlowMeta>,
}

#[derive(Debug, serde::Deserialize)]
struct FlowMeta {
    #[serde(default)]
    next_page_url: Option<String>,
}

/// Studio's pages of flows read at most (50 flows each), so a broken `next_page_url`
/// cannot loop forever.
const MAX_FLOW_PAGES: usize = 20;

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

    /// Twilio's own error code (`{"code": 21218, …}` in its error body), when it gave one.
    pub fn twilio_code(&self) -> Option<u32> {
        let RestError::Status { body, .. } = self else {
            return None;
        };
        let v: serde_json::Value = serde_json::from_str(body).ok()?;
        v["code"].as_u64().and_then(|c| u32::try_from(c).ok())
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
            studio_base: crate::config::TWILIO_STUDIO_BASE.to_string(),
            trunking_base: crate::sip_trunk::TRUNKING_BASE.to_string(),
            account_sid: account_sid.to_string(),
            auth_token,
        }
    }

    /// The same client with Studio at `studio_base` (`https://studio.twilio.com/v2`).
    pub fn with_studio_base(mut self, studio_base: &str) -> Self {
        self.studio_base = studio_base.trim_end_matches('/').to_string();
        self
    }

    /// The same client with Elastic SIP Trunking at `trunking_base`
    /// (`https://trunking.twilio.com/v1`).
    pub fn with_trunking_base(mut self, trunking_base: &str) -> Self {
        self.trunking_base = trunking_base.trim_end_matches('/').to_string();
        self
    }

    /// The account this client acts for (`AC…`).
    pub fn account_sid(&self) -> &str {
        &self.account_sid
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
    /// `status_callback`, and, when `fallback_url` is given, at it (POST) whenever the voice
    /// URL fails. (Twilio takes a fallback URL only alongside a voice URL, so both go in
    /// one update.)
    pub async fn set_voice_url(
        &self,
        number_sid: &str,
        voice_url: &str,
        status_callback: &str,
        fallback_url: Option<&str>,
    ) -> Result<IncomingNumber, RestError> {
        let url = format!(
            "{}/Accounts/{}/IncomingPhoneNumbers/{}.json",
            self.base, self.account_sid, number_sid
        );
        let res = self
            .http
            .post(url)
            .basic_auth(&self.account_sid, Some(self.auth_token.expose()))
            .form(&{
                let mut form = vec![
                    ("VoiceUrl", voice_url),
                    ("VoiceMethod", "POST"),
                    ("StatusCallback", status_callback),
                    ("StatusCallbackMethod", "POST"),
                ];
                if let Some(f) = fallback_url {
                    form.extend([("VoiceFallbackUrl", f), ("VoiceFallbackMethod", "POST")]);
                }
                form
            })
            .send()
            .await
            .map_err(|e| RestError::Network(e.to_string()))?;
        Self::json(res).await
    }

    /// Takes a number off its SIP trunk (`TrunkSid` emptied), so its voice URLs count again.
    pub async fn clear_trunk(&self, number_sid: &str) -> Result<IncomingNumber, RestError> {
        self.set_number_trunk(number_sid, "").await
    }

    /// Puts a number on the SIP trunk `trunk_sid` (`TK…`; empty: off any trunk).
    pub async fn set_number_trunk(
        &self,
        number_sid: &str,
        trunk_sid: &str,
    ) -> Result<IncomingNumber, RestError> {
        let url = format!(
            "{}/Accounts/{}/IncomingPhoneNumbers/{}.json",
            self.base, self.account_sid, number_sid
        );
        self.post_form(url, &[("TrunkSid", trunk_sid)]).await
    }

    /// `GET url` with the account's credentials, answered as JSON.
    pub(crate) async fn get_json<T: serde::de::DeserializeOwned>(
        &self,
        url: &str,
    ) -> Result<T, RestError> {
        let res = self
            .http
            .get(url)
            .basic_auth(&self.account_sid, Some(self.auth_token.expose()))
            .send()
            .await
            .map_err(|e| RestError::Network(e.to_string()))?;
        Self::json(res).await
    }

    /// `POST url` with a form and the account's credentials, answered as JSON.
    pub(crate) async fn post_form<T: serde::de::DeserializeOwned>(
        &self,
        url: String,
        form: &[(&str, &str)],
    ) -> Result<T, RestError> {
        let res = self
            .http
            .post(url)
            .basic_auth(&self.account_sid, Some(self.auth_token.expose()))
            .form(form)
            .send()
            .await
            .map_err(|e| RestError::Network(e.to_string()))?;
        Self::json(res).await
    }

    /// The account's Studio Flows (every page, up to [`MAX_FLOW_PAGES`]).
    pub async fn list_flows(&self) -> Result<Vec<StudioFlow>, RestError> {
        let mut url = format!("{}/Flows?PageSize=50", self.studio_base);
        let mut flows = Vec::new();
        for _ in 0..MAX_FLOW_PAGES {
            let res = self
                .http
                .get(&url)
                .basic_auth(&self.account_sid, Some(self.auth_token.expose()))
                .send()
                .await
                .map_err(|e| RestError::Network(e.to_string()))?;
            let page: FlowPage = Self::json(res).await?;
            flows.extend(page.flows);
            match page.meta.and_then(|m| m.next_page_url) {
                Some(next) if !next.is_empty() => url = next,
                _ => break,
            }
        }
        Ok(flows)
    }

    /// Publishes a flow: creates one named `name`, or, given `existing` (`FW…`), updates it
    /// (name and definition), so a flow is never duplicated.
    pub async fn publish_flow(
        &self,
        existing: Option<&str>,
        name: &str,
        definition: &serde_json::Value,
    ) -> Result<StudioFlow, RestError> {
        let url = match existing {
            Some(sid) => format!("{}/Flows/{sid}", self.studio_base),
            None => format!("{}/Flows", self.studio_base),
        };
        let definition = definition.to_string();
        let res = self
            .http
            .post(url)
            .basic_auth(&self.account_sid, Some(self.auth_token.expose()))
            .form(&[
                ("FriendlyName", name),
                ("Status", "published"),
                ("Definition", definition.as_str()),
                ("CommitMessage", "Melt 8 Kitchen: Connect my number"),
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
