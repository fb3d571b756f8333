//! [`FakeCaller`]: Twilio placing an inbound call into our server — the signed
//! incoming-call webhook, then the bidirectional Media Streams WebSocket ([`FakeStream`]).
//!
//! The server is reached on a local address, but Twilio signs with the *public* URL the
//! shop configured (a tunnel sits between them), so the two are separate here too. The
//! signature is computed by [`crate::signing`], never by the server's own code.

mod stream;

pub use stream::{FakeStream, PlaybackSpeed};

use crate::ids::twilio_sid;
use crate::signing::{twilio_signature, twilio_signature_url_only};
use crate::twiml;
use anyhow::{Context, bail};
use std::time::Duration;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;

/// What our server answered to the incoming-call webhook, with the TwiML scanned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallStart {
    /// HTTP status of the webhook answer.
    pub status: u16,
    /// The raw answer body (TwiML, or whatever the server sent).
    pub twiml: String,
    /// The `CallSid` Twilio sent (`CA` + 32 hex).
    pub call_sid: String,
    /// The `AccountSid` Twilio sent (`AC` + 32 hex).
    pub account_sid: String,
    /// Every form parameter the webhook carried, in the order sent.
    pub params: Vec<(String, String)>,
    /// `<Stream url>`, if the TwiML connects a stream.
    pub stream_url: Option<String>,
    /// `<Stream statusCallback>`, if any.
    pub status_callback: Option<String>,
    /// The stream's `<Parameter name value>` pairs, unescaped, in order.
    pub parameters: Vec<(String, String)>,
    /// The text of every `<Say>`, in order.
    pub says: Vec<String>,
    /// The text inside `<Dial>` (the number dialled), if there is a `<Dial>`.
    pub dial: Option<String>,
    /// Whether the TwiML contains `<Hangup/>`.
    pub hangup: bool,
}

impl CallStart {
    /// The `<Parameter>` called `name`.
    pub fn parameter(&self, name: &str) -> Option<&str> {
        self.parameters
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A fake Twilio that calls our server.
#[derive(Debug, Clone)]
pub struct FakeCaller {
    local: String,
    public: String,
    auth_token: String,
    account_sid: String,
    speed: PlaybackSpeed,
    sign_upgrade: bool,
    /// Signs the stream upgrade with this key instead of the auth token (a forgery).
    upgrade_key: Option<String>,
    http: reqwest::Client,
}

impl FakeCaller {
    /// Twilio for a server listening at `local_base_http` (`http://127.0.0.1:PORT`) whose
    /// public URL is `public_base_url` (`https://shop.example.com`), signing with `auth_token`.
    pub fn new(local_base_http: &str, public_base_url: &str, auth_token: &str) -> FakeCaller {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap_or_default();
        FakeCaller {
            local: local_base_http.trim_end_matches('/').to_string(),
            public: public_base_url.trim_end_matches('/').to_string(),
            auth_token: auth_token.to_string(),
            account_sid: twilio_sid("AC"),
            speed: PlaybackSpeed::RealTime,
            sign_upgrade: true,
            upgrade_key: None,
            http,
        }
    }

    /// Uses this `AccountSid` instead of a random one.
    pub fn with_account_sid(mut self, account_sid: &str) -> FakeCaller {
        self.account_sid = account_sid.to_string();
        self
    }

    /// How streams "play" the audio our server sends (default: real time).
    pub fn with_playback(mut self, speed: PlaybackSpeed) -> FakeCaller {
        self.speed = speed;
        self
    }

    /// Sends the stream upgrade without `X-Twilio-Signature` (whether Twilio signs it is
    /// unsettled; by default the fake signs `wss://<public host>/<path>`).
    pub fn without_stream_signature(mut self) -> FakeCaller {
        self.sign_upgrade = false;
        self
    }

    /// Signs the media-stream upgrade with `key` instead of the auth token: a forged
    /// `X-Twilio-Signature` (webhooks stay correctly signed).
    pub fn with_stream_signed_by(mut self, key: &str) -> FakeCaller {
        self.sign_upgrade = true;
        self.upgrade_key = Some(key.to_string());
        self
    }

    /// The `AccountSid` this caller sends.
    pub fn account_sid(&self) -> &str {
        &self.account_sid
    }

    /// The webhook parameters Twilio sends for an inbound call from `from` to `to`.
    pub fn incoming_call_params(&self, from: &str, to: &str) -> Vec<(String, String)> {
        let mut params = vec![
            ("CallSid", twilio_sid("CA")),
            ("AccountSid", self.account_sid.clone()),
            ("From", from.to_string()),
            ("To", to.to_string()),
            ("CallStatus", "ringing".to_string()),
            ("ApiVersion", "2010-04-01".to_string()),
            ("Direction", "inbound".to_string()),
            ("Caller", from.to_string()),
            ("Called", to.to_string()),
        ];
        // Twilio adds geo fields when it knows them; servers must sign-check them too.
        if let Some(c) = country_of(from) {
            params.push(("FromCountry", c.to_string()));
        }
        if let Some(c) = country_of(to) {
            params.push(("ToCountry", c.to_string()));
        }
        params
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect()
    }

    /// Rings our server: a correctly signed POST to `{local}/incoming-call`.
    pub async fn place_call(&self, from: &str, to: &str) -> anyhow::Result<CallStart> {
        let params = self.incoming_call_params(from, to);
        self.post_webhook("/incoming-call", params, None).await
    }

    /// Rings our server with `signature` as `X-Twilio-Signature` (for negative tests).
    pub async fn place_call_with_signature(
        &self,
        from: &str,
        to: &str,
        signature: &str,
    ) -> anyhow::Result<CallStart> {
        let params = self.incoming_call_params(from, to);
        self.post_webhook("/incoming-call", params, Some(signature))
            .await
    }

    /// POSTs `params` to `{local}{path}`, signed over `{public}{path}` unless `signature`
    /// overrides it, and scans the answer as TwiML.
    pub async fn post_webhook(
        &self,
        path: &str,
        params: Vec<(String, String)>,
        signature: Option<&str>,
    ) -> anyhow::Result<CallStart> {
        let signed_url = format!("{}{path}", self.public);
        let signature = match signature {
            Some(s) => s.to_string(),
            None => twilio_signature(&self.auth_token, &signed_url, &params),
        };
        let res = self
            .http
            .post(format!("{}{path}", self.local))
            .header("X-Twilio-Signature", signature)
            .header("User-Agent", "TwilioProxy/1.1")
            .header("I-Twilio-Idempotency-Token", crate::ids::hex(36))
            .form(&params)
            .send()
            .await
            .with_context(|| format!("posting the Twilio webhook {path}"))?;
        let status = res.status().as_u16();
        let body = res.text().await?;
        let scanned = twiml::scan(&body);
        let field = |name: &str| {
            params
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        Ok(CallStart {
            status,
            call_sid: field("CallSid"),
            account_sid: field("AccountSid"),
            twiml: body,
            params,
            stream_url: scanned.stream_url,
            status_callback: scanned.status_callback,
            parameters: scanned.parameters,
            says: scanned.says,
            dial: scanned.dial,
            hangup: scanned.hangup,
        })
    }

    /// Connects the Media Streams WebSocket the TwiML asked for (its scheme and host
    /// rewritten to the local server, its query dropped as Twilio does) and sends
    /// `connected` and `start`.
    pub async fn connect_stream(&self, call: &CallStart) -> anyhow::Result<FakeStream> {
        let Some(url) = &call.stream_url else {
            bail!("the TwiML has no <Stream url>: {}", call.twiml);
        };
        let (scheme, rest) = url
            .split_once("://")
            .with_context(|| format!("stream URL without a scheme: {url}"))?;
        let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        let path = match path.split_once('?') {
            Some((p, _)) => p,
            None => path,
        };
        let path = if path.is_empty() { "/" } else { path };
        let local_ws = self
            .local
            .replacen("https://", "wss://", 1)
            .replacen("http://", "ws://", 1);
        let mut req = format!("{local_ws}{path}").into_client_request()?;
        if self.sign_upgrade {
            let signed = format!("{scheme}://{host}{path}");
            let key = self.upgrade_key.as_deref().unwrap_or(&self.auth_token);
            let sig = twilio_signature_url_only(key, &signed);
            req.headers_mut()
                .insert("x-twilio-signature", HeaderValue::from_str(&sig)?);
        }
        req.headers_mut()
            .insert("user-agent", HeaderValue::from_static("Twilio.TmeWs/1.0"));
        // TCP_NODELAY like a real Twilio edge: 20 ms frames go out at once.
        let (ws, _) = tokio_tungstenite::connect_async_with_config(req, None, true)
            .await
            .with_context(|| format!("connecting the media stream {local_ws}{path}"))?;
        stream::FakeStream::start(ws, call, twilio_sid("MZ"), self.speed).await
    }
}

/// ISO country of an E.164 number, for the few prefixes the kit meets.
fn country_of(number: &str) -> Option<&'static str> {
    if number.starts_with("+92") {
        Some("PK")
    } else if number.starts_with("+1") {
        Some("US")
    } else if number.starts_with("+44") {
        Some("GB")
    } else {
        None
    }
}
