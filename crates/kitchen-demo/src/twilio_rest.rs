//! [`FakeTwilioRest`]: the parts of `https://api.twilio.com/2010-04-01` the kitchen uses —
//! updating a live call (redirect or hang up), listing the account's numbers
//! (`IncomingPhoneNumbers.json?PhoneNumber=…`) and pointing one's voice URL — with Twilio's
//! HTTP Basic auth and its JSON error bodies. The account's numbers are added with
//! [`FakeTwilioRest::add_number`]; updating a number the account does not have is a 404.
//! Sending an SMS (`Messages.json`) is answered by a [`MessageHandler`] when one is
//! installed (the test kit's); the demo never texts, so without one it is a 404.
//!
//! Twilio Studio's Flows API (`https://studio.twilio.com/v2`) is served by the same fake
//! under `/v2` ([`FakeTwilioRest::studio_base_url`]): `GET /Flows` lists the account's
//! flows, `POST /Flows` creates one and `POST /Flows/{FlowSid}` updates it. As the real
//! API does, a create needs `FriendlyName`, `Status` (`draft` or `published`) and a
//! `Definition` that is a JSON object with a non-empty `states` array and an
//! `initial_state` naming one of them; an update needs `Status`. Numbers keep a
//! `VoiceFallbackUrl`, which (Twilio's error 21405) can only be set on a number that has,
//! or gets in the same update, a `VoiceUrl`.
//!
//! Elastic SIP Trunking (`https://trunking.twilio.com/v1`) is served under `/v1`
//! ([`FakeTwilioRest::trunking_base_url`], [`trunking`]): trunks, their origination URLs and
//! phone numbers. A number's `TrunkSid` (set on `IncomingPhoneNumbers/{PN}.json` or through
//! a trunk's `PhoneNumbers`) must name one of the account's trunks, and is cleared by an
//! empty value.
//!
//! A call that ended (via [`FakeTwilioRest::mark_call_ended`], or an update with
//! `Status=completed`/`canceled`) answers later updates with 404 and code 20404, which is
//! how the real API tells a client that the caller already hung up.

use crate::ids::twilio_sid;
use anyhow::Context;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};
use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::sync::watch;
use tokio::task::AbortHandle;

pub mod trunking;
pub use trunking::{OriginationUrl, Trunk};

/// The API version prefix every route lives under.
const PREFIX: &str = "/2010-04-01";
/// The prefix of the Studio v2 routes (`https://studio.twilio.com/v2`).
const STUDIO_PREFIX: &str = "/v2";

/// Which endpoint a request hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestKind {
    /// `POST /Accounts/{Sid}/Calls/{CallSid}.json`.
    CallUpdate,
    /// `POST /Accounts/{Sid}/Messages.json` (answered by the [`MessageHandler`], if any).
    Message,
    /// `POST /Accounts/{Sid}/IncomingPhoneNumbers/{PNSid}.json`.
    IncomingNumberUpdate,
    /// `GET /Accounts/{Sid}/IncomingPhoneNumbers.json`.
    IncomingNumberList,
    /// `GET /v2/Flows` (Studio).
    FlowList,
    /// `POST /v2/Flows` (Studio).
    FlowCreate,
    /// `POST /v2/Flows/{FlowSid}` (Studio).
    FlowUpdate,
    /// `GET /v1/Trunks` (Elastic SIP Trunking).
    TrunkList,
    /// `POST /v1/Trunks`.
    TrunkCreate,
    /// `GET /v1/Trunks/{TK}`.
    TrunkFetch,
    /// `POST /v1/Trunks/{TK}`.
    TrunkUpdate,
    /// `GET /v1/Trunks/{TK}/OriginationUrls`.
    OriginationUrlList,
    /// `POST /v1/Trunks/{TK}/OriginationUrls`.
    OriginationUrlCreate,
    /// `POST /v1/Trunks/{TK}/OriginationUrls/{OU}`.
    OriginationUrlUpdate,
    /// `GET /v1/Trunks/{TK}/PhoneNumbers`.
    TrunkNumberList,
    /// `POST /v1/Trunks/{TK}/PhoneNumbers`.
    TrunkNumberAdd,
    /// `DELETE /v1/Trunks/{TK}/PhoneNumbers/{PN}`.
    TrunkNumberRemove,
    /// Anything else (answered 404).
    Other,
}

/// One request the fake received, whatever it answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    /// When it arrived.
    pub at: Instant,
    /// HTTP method.
    pub method: String,
    /// Request path, e.g. `/2010-04-01/Accounts/AC…/Calls/CA….json`.
    pub path: String,
    /// Which endpoint.
    pub kind: RequestKind,
    /// The `CallSid` / `PNSid` / `FlowSid` / `TrunkSid` in the path, when there is one.
    pub sid: Option<String>,
    /// The form fields, in order.
    pub form: Vec<(String, String)>,
    /// Whether the Basic credentials were right.
    pub authorized: bool,
    /// The HTTP status the fake answered.
    pub status: u16,
}

impl RecordedRequest {
    /// The first form field called `name`.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.form
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Default)]
struct Recorded {
    requests: Vec<RecordedRequest>,
    consumed: Vec<bool>,
    ended: HashSet<String>,
    numbers: Vec<IncomingNumber>,
    flows: Vec<StudioFlow>,
    trunks: Vec<Trunk>,
}

/// One Studio Flow of the account, as the fake keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct StudioFlow {
    /// `FW…`.
    pub sid: String,
    /// `FriendlyName`.
    pub friendly_name: String,
    /// `draft` or `published`.
    pub status: String,
    /// The flow definition (JSON).
    pub definition: Value,
    /// Starts at 1, one more on every update.
    pub revision: u32,
    /// `CommitMessage`, if the last create or update gave one.
    pub commit_message: Option<String>,
}

impl StudioFlow {
    /// The URL Twilio's numbers point at to run this flow.
    pub fn webhook_url(&self, account_sid: &str) -> String {
        format!(
            "https://webhooks.twilio.com/v1/Accounts/{account_sid}/Flows/{}",
            self.sid
        )
    }

    fn json(&self, account_sid: &str) -> Value {
        json!({"sid": self.sid, "account_sid": account_sid, "friendly_name": self.friendly_name,
            "definition": self.definition, "status": self.status, "revision": self.revision,
            "commit_message": self.commit_message, "valid": true, "errors": [], "warnings": [],
            "webhook_url": self.webhook_url(account_sid),
            "date_created": "2026-01-01T00:00:00Z", "date_updated": null,
            "url": format!("https://studio.twilio.com/v2/Flows/{}", self.sid),
            "links": {"revisions": format!("https://studio.twilio.com/v2/Flows/{}/Revisions", self.sid)}})
    }
}

/// One of the account's phone numbers, as the fake keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomingNumber {
    /// `PN…`.
    pub sid: String,
    /// E.164.
    pub phone_number: String,
    /// Where its calls go (`VoiceUrl`).
    pub voice_url: Option<String>,
    /// `VoiceMethod`.
    pub voice_method: String,
    /// `StatusCallback`.
    pub status_callback: Option<String>,
    /// `VoiceFallbackUrl`: where Twilio goes when the voice URL fails.
    pub voice_fallback_url: Option<String>,
    /// `VoiceFallbackMethod`.
    pub voice_fallback_method: String,
    /// `TrunkSid`: the Elastic SIP trunk its calls go to (its voice URLs are then ignored).
    pub trunk_sid: Option<String>,
}

impl IncomingNumber {
    fn json(&self, account_sid: &str) -> Value {
        json!({"sid": self.sid, "account_sid": account_sid, "phone_number": self.phone_number,
            "friendly_name": self.phone_number, "voice_url": self.voice_url,
            "voice_method": self.voice_method, "voice_fallback_url": self.voice_fallback_url,
            "voice_fallback_method": self.voice_fallback_method,
            "status_callback": self.status_callback, "status_callback_method": "POST",
            "trunk_sid": self.trunk_sid, "voice_application_sid": null,
            "capabilities": {"voice": true, "sms": true, "mms": false, "fax": false},
            "api_version": "2010-04-01", "status": "in-use",
            "uri": format!("{PREFIX}/Accounts/{account_sid}/IncomingPhoneNumbers/{}.json", self.sid)})
    }
}

/// Answers an authorized `POST Messages.json` of the fake's account: given the account's
/// `AccountSid` and the form, the HTTP status and JSON body (see [`twilio_error`]).
pub type MessageHandler = fn(&str, &[(String, String)]) -> (u16, Value);

#[derive(Debug)]
struct Shared {
    account_sid: String,
    auth_token: String,
    messages: Option<MessageHandler>,
    state: Mutex<Recorded>,
    changed: watch::Sender<u64>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Recorded> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// A fake Twilio REST API on `127.0.0.1`. Stops on drop.
#[derive(Debug)]
pub struct FakeTwilioRest {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: AbortHandle,
}

impl FakeTwilioRest {
    /// Starts a fake that accepts HTTP Basic `account_sid:auth_token` (no SMS).
    pub async fn start(account_sid: &str, auth_token: &str) -> anyhow::Result<FakeTwilioRest> {
        Self::start_with(account_sid, auth_token, None).await
    }

    /// Starts a fake that accepts HTTP Basic `account_sid:auth_token` and answers SMS with
    /// `messages`, if given.
    pub async fn start_with(
        account_sid: &str,
        auth_token: &str,
        messages: Option<MessageHandler>,
    ) -> anyhow::Result<FakeTwilioRest> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .context("binding the fake Twilio REST API")?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            account_sid: account_sid.to_string(),
            auth_token: auth_token.to_string(),
            messages,
            state: Mutex::new(Recorded::default()),
            changed: watch::channel(0).0,
        });
        let app = Router::new().fallback(handle).with_state(shared.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(FakeTwilioRest {
            addr,
            shared,
            task: task.abort_handle(),
        })
    }

    /// The base URL to configure instead of `https://api.twilio.com/2010-04-01`.
    pub fn base_url(&self) -> String {
        format!("http://{}{PREFIX}", self.addr)
    }

    /// The `AccountSid` the fake accepts.
    pub fn account_sid(&self) -> &str {
        &self.shared.account_sid
    }

    /// Every request so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.lock().requests.clone()
    }

    /// Adds a number (E.164) to the account, with no voice URL yet; returns its `PN…` sid.
    pub fn add_number(&self, phone_number: &str) -> String {
        let sid = twilio_sid("PN");
        self.shared.lock().numbers.push(IncomingNumber {
            sid: sid.clone(),
            phone_number: phone_number.to_string(),
            voice_url: None,
            voice_method: "POST".to_string(),
            status_callback: None,
            voice_fallback_url: None,
            voice_fallback_method: "POST".to_string(),
            trunk_sid: None,
        });
        sid
    }

    /// The base URL to configure instead of `https://studio.twilio.com/v2`.
    pub fn studio_base_url(&self) -> String {
        format!("http://{}{STUDIO_PREFIX}", self.addr)
    }

    /// The base URL to configure instead of `https://trunking.twilio.com/v1`.
    pub fn trunking_base_url(&self) -> String {
        format!("http://{}{}", self.addr, trunking::TRUNKING_PREFIX)
    }

    /// The account's Elastic SIP trunks, oldest first.
    pub fn trunks(&self) -> Vec<Trunk> {
        self.shared.lock().trunks.clone()
    }

    /// Changes the account's trunk `sid` as someone else (the Twilio console) would;
    /// `false` when there is no such trunk.
    pub fn edit_trunk(&self, sid: &str, edit: impl FnOnce(&mut Trunk)) -> bool {
        let mut s = self.shared.lock();
        match s.trunks.iter_mut().find(|t| t.sid == sid) {
            Some(t) => {
                edit(t);
                true
            }
            None => false,
        }
    }

    /// The account's Studio Flows, oldest first.
    pub fn flows(&self) -> Vec<StudioFlow> {
        self.shared.lock().flows.clone()
    }

    /// Sets `phone_number`'s `VoiceFallbackUrl` as someone else (the Twilio console) would;
    /// `false` when the account has no such number.
    pub fn set_voice_fallback_url(&self, phone_number: &str, url: Option<&str>) -> bool {
        let mut s = self.shared.lock();
        match s
            .numbers
            .iter_mut()
            .find(|n| n.phone_number == phone_number)
        {
            Some(n) => {
                n.voice_fallback_url = url.map(str::to_string);
                true
            }
            None => false,
        }
    }

    /// The account's number `phone_number`, as it is now.
    pub fn number(&self, phone_number: &str) -> Option<IncomingNumber> {
        self.shared
            .lock()
            .numbers
            .iter()
            .find(|n| n.phone_number == phone_number)
            .cloned()
    }

    /// From now on, updates of `call_sid` answer 404 / 20404 (the caller hung up).
    pub fn mark_call_ended(&self, call_sid: &str) {
        self.shared.lock().ended.insert(call_sid.to_string());
    }

    /// Waits for the next not-yet-consumed update of `call_sid` (earlier arrivals count),
    /// whatever it was answered, and consumes it.
    pub async fn wait_for_call_update(
        &self,
        call_sid: &str,
        within: Duration,
    ) -> anyhow::Result<RecordedRequest> {
        let mut rx = self.shared.changed.subscribe();
        let deadline = tokio::time::Instant::now() + within;
        loop {
            rx.borrow_and_update();
            {
                let mut s = self.shared.lock();
                let found = (0..s.requests.len()).find(|&i| {
                    !s.consumed[i]
                        && s.requests[i].kind == RequestKind::CallUpdate
                        && s.requests[i].sid.as_deref() == Some(call_sid)
                });
                if let Some(i) = found {
                    s.consumed[i] = true;
                    return Ok(s.requests[i].clone());
                }
            }
            tokio::time::timeout_at(deadline, rx.changed())
                .await
                .with_context(|| format!("no update of call {call_sid} within {within:?}"))?
                .context("fake Twilio REST API gone")?;
        }
    }
}

impl Drop for FakeTwilioRest {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The single handler: routes by hand (`{CallSid}.json` is not a whole path segment).
async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().to_string();
    let form: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let authorized = basic_ok(&headers, &shared.account_sid, &shared.auth_token);
    if let Some(rest) = path.strip_prefix(trunking::TRUNKING_PREFIX) {
        let (kind, trunk, child) = trunking::route(&method, rest);
        let sid = trunk.clone();
        let (status, body) = if !authorized {
            twilio_error(401, 20003, "Authenticate")
        } else if kind == RequestKind::Other {
            not_found(&path)
        } else {
            trunking::answer(
                &shared,
                kind,
                &path,
                trunk.as_deref(),
                child.as_deref(),
                &form,
            )
        };
        record(
            &shared, &method, &path, kind, &sid, form, authorized, status,
        );
        let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if status == 204 {
            return code.into_response();
        }
        return (code, axum::Json(body)).into_response();
    }
    let (mut kind, account, sid) = route(&path);
    if kind == RequestKind::FlowList && method == Method::POST {
        kind = RequestKind::FlowCreate;
    }
    let (status, body) = if !authorized {
        let (status, body) = twilio_error(401, 20003, "Authenticate");
        let mut r = (StatusCode::UNAUTHORIZED, axum::Json(body)).into_response();
        if let Ok(v) = "Basic realm=\"Twilio API\"".parse() {
            r.headers_mut().insert(header::WWW_AUTHENTICATE, v);
        }
        record(&shared, &method, &path, kind, &sid, form, false, status);
        return r;
    } else if kind == RequestKind::FlowList {
        if method == Method::GET {
            (200, flow_list(&shared))
        } else {
            not_found(&path)
        }
    } else if kind == RequestKind::FlowCreate {
        flow_create(&shared, &form)
    } else if kind == RequestKind::FlowUpdate {
        if method == Method::POST {
            flow_update(&shared, &path, sid.as_deref(), &form)
        } else {
            not_found(&path)
        }
    } else if kind == RequestKind::IncomingNumberList
        && method == Method::GET
        && account.as_deref() == Some(&shared.account_sid)
    {
        (200, number_list(&shared, &uri))
    } else if method != Method::POST
        || matches!(kind, RequestKind::Other | RequestKind::IncomingNumberList)
        || account.as_deref() != Some(&shared.account_sid)
    {
        not_found(&path)
    } else {
        match kind {
            RequestKind::CallUpdate => call_update(&shared, &path, sid.as_deref(), &form),
            RequestKind::Message => match shared.messages {
                Some(answer) => answer(&shared.account_sid, &form),
                None => not_found(&path),
            },
            _ => number_update(&shared, &path, sid.as_deref(), &form),
        }
    };
    record(&shared, &method, &path, kind, &sid, form, true, status);
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (code, axum::Json(body)).into_response()
}

/// (kind, account in the path, call/number sid in the path).
fn route(path: &str) -> (RequestKind, Option<String>, Option<String>) {
    let other = (RequestKind::Other, None, None);
    if let Some(studio) = path.strip_prefix(STUDIO_PREFIX) {
        return match studio
            .trim_end_matches('/')
            .split('/')
            .collect::<Vec<_>>()
            .as_slice()
        {
            ["", "Flows"] => (RequestKind::FlowList, None, None),
            ["", "Flows", sid] if !sid.is_empty() => {
                (RequestKind::FlowUpdate, None, Some(sid.to_string()))
            }
            _ => other,
        };
    }
    let Some(rest) = path
        .strip_prefix(PREFIX)
        .and_then(|r| r.strip_prefix("/Accounts/"))
    else {
        return other;
    };
    let parts: Vec<&str> = rest.split('/').collect();
    let account = parts.first().map(|a| a.to_string());
    match parts.as_slice() {
        [_, "Messages.json"] => (RequestKind::Message, account, None),
        [_, "IncomingPhoneNumbers.json"] => (RequestKind::IncomingNumberList, account, None),
        [_, "Calls", file] => match file.strip_suffix(".json") {
            Some(sid) => (RequestKind::CallUpdate, account, Some(sid.to_string())),
            None => other,
        },
        [_, "IncomingPhoneNumbers", file] => match file.strip_suffix(".json") {
            Some(sid) => (
                RequestKind::IncomingNumberUpdate,
                account,
                Some(sid.to_string()),
            ),
            None => other,
        },
        _ => other,
    }
}

fn basic_ok(headers: &HeaderMap, user: &str, password: &str) -> bool {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| STANDARD.decode(b.trim()).ok())
        .is_some_and(|decoded| decoded == format!("{user}:{password}").as_bytes())
}

#[allow(clippy::too_many_arguments)]
fn record(
    shared: &Shared,
    method: &Method,
    path: &str,
    kind: RequestKind,
    sid: &Option<String>,
    form: Vec<(String, String)>,
    authorized: bool,
    status: u16,
) {
    let req = RecordedRequest {
        at: Instant::now(),
        method: method.to_string(),
        path: path.to_string(),
        kind,
        sid: sid.clone(),
        form,
        authorized,
        status,
    };
    {
        let mut s = shared.lock();
        s.requests.push(req);
        s.consumed.push(false);
    }
    shared.changed.send_modify(|v| *v += 1);
}

/// A Twilio error answer: `status` and the body `{"code", "message", "more_info", "status"}`.
pub fn twilio_error(status: u16, code: u32, message: &str) -> (u16, Value) {
    let body = json!({"code": code, "message": message,
        "more_info": format!("https://www.twilio.com/docs/errors/{code}"), "status": status});
    (status, body)
}

pub(crate) fn not_found(path: &str) -> (u16, Value) {
    twilio_error(
        404,
        20404,
        &format!("The requested resource {path} was not found"),
    )
}

fn call_update(
    shared: &Shared,
    path: &str,
    sid: Option<&str>,
    form: &[(String, String)],
) -> (u16, Value) {
    let sid = sid.unwrap_or_default();
    let field = |n: &str| form.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str());
    if shared.lock().ended.contains(sid) {
        return not_found(path);
    }
    let status = match field("Status") {
        Some(s @ ("completed" | "canceled")) => {
            shared.lock().ended.insert(sid.to_string());
            s
        }
        Some(other) => {
            let msg = format!("Invalid Status '{other}': must be completed or canceled");
            return twilio_error(400, 21218, &msg);
        }
        None => "in-progress",
    };
    let body = json!({"sid": sid, "account_sid": shared.account_sid, "status": status,
        "api_version": "2010-04-01", "direction": "inbound",
        "uri": format!("{PREFIX}/Accounts/{}/Calls/{sid}.json", shared.account_sid)});
    (200, body)
}

/// `GET IncomingPhoneNumbers.json` (optionally `?PhoneNumber=+92…`, exact match), in
/// Twilio's page shape.
fn number_list(shared: &Shared, uri: &Uri) -> Value {
    let query: Vec<(String, String)> =
        serde_urlencoded::from_str(uri.query().unwrap_or_default()).unwrap_or_default();
    let wanted = query
        .iter()
        .find(|(k, _)| k == "PhoneNumber")
        .map(|(_, v)| v.clone());
    let numbers: Vec<Value> = shared
        .lock()
        .numbers
        .iter()
        .filter(|n| wanted.as_deref().is_none_or(|w| n.phone_number == w))
        .map(|n| n.json(&shared.account_sid))
        .collect();
    let uri = format!(
        "{PREFIX}/Accounts/{}/IncomingPhoneNumbers.json?PageSize=50&Page=0",
        shared.account_sid
    );
    json!({"incoming_phone_numbers": numbers, "page": 0, "page_size": 50, "start": 0,
        "end": numbers.len().saturating_sub(1), "first_page_uri": uri, "next_page_uri": null,
        "previous_page_uri": null, "uri": uri})
}

/// `POST IncomingPhoneNumbers/{PNSid}.json`: updates a number of the account (404 for
/// any other sid).
fn number_update(
    shared: &Shared,
    path: &str,
    sid: Option<&str>,
    form: &[(String, String)],
) -> (u16, Value) {
    let field = |n: &str| {
        form.iter()
            .find(|(k, _)| k == n)
            .map(|(_, v)| v.to_string())
    };
    let mut guard = shared.lock();
    let s = &mut *guard;
    let Some(number) = s.numbers.iter_mut().find(|n| Some(n.sid.as_str()) == sid) else {
        drop(guard);
        return not_found(path);
    };
    if let Some(v) = field("TrunkSid")
        && let Err(e) = trunking::set_number_trunk(&s.trunks, number, &v)
    {
        return e;
    }
    if let Some(v) = field("VoiceUrl") {
        number.voice_url = Some(v);
    }
    if let Some(v) = field("VoiceMethod") {
        number.voice_method = v;
    }
    if let Some(v) = field("StatusCallback") {
        number.status_callback = Some(v);
    }
    if let Some(v) = field("VoiceFallbackUrl") {
        if number.voice_url.is_none() {
            return twilio_error(
                400,
                21405,
                "A VoiceFallbackUrl can only be set on a number that has a VoiceUrl.",
            );
        }
        number.voice_fallback_url = Some(v).filter(|v| !v.is_empty());
    }
    if let Some(v) = field("VoiceFallbackMethod") {
        number.voice_fallback_method = v;
    }
    (200, number.json(&shared.account_sid))
}

/// Twilio's answer to a missing required parameter.
pub(crate) fn missing(name: &str) -> (u16, Value) {
    twilio_error(
        400,
        20001,
        &format!("Missing required parameter {name} in the post body"),
    )
}

/// `Status` must be `draft` or `published`.
fn flow_status(form_status: Option<String>) -> Result<String, (u16, Value)> {
    match form_status {
        None => Err(missing("Status")),
        Some(s) if s == "draft" || s == "published" => Ok(s),
        Some(s) => Err(twilio_error(
            400,
            20001,
            &format!("Invalid Status '{s}': must be draft or published"),
        )),
    }
}

/// A `Definition` the Studio API accepts: a JSON object with a non-empty `states` array of
/// named states, and an `initial_state` naming one of them.
fn flow_definition(text: &str) -> Result<Value, (u16, Value)> {
    let invalid = |why: &str| twilio_error(400, 20001, &format!("Invalid Flow Definition: {why}"));
    let def: Value = serde_json::from_str(text).map_err(|_| invalid("not JSON"))?;
    let states = def["states"]
        .as_array()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| invalid("`states` must be a non-empty array"))?;
    let names: Vec<&str> = states.iter().filter_map(|s| s["name"].as_str()).collect();
    if names.len() != states.len() || states.iter().any(|s| !s["type"].is_string()) {
        return Err(invalid("every state needs a `name` and a `type`"));
    }
    let initial = def["initial_state"]
        .as_str()
        .filter(|i| !i.is_empty())
        .ok_or_else(|| invalid("`initial_state` is required"))?;
    if !names.contains(&initial) {
        return Err(invalid("`initial_state` names no state"));
    }
    Ok(def)
}

pub(crate) fn form_field(form: &[(String, String)], name: &str) -> Option<String> {
    form.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.to_string())
}

/// `GET /v2/Flows`, in Studio's page shape.
fn flow_list(shared: &Shared) -> Value {
    let flows: Vec<Value> = shared
        .lock()
        .flows
        .iter()
        .map(|f| f.json(&shared.account_sid))
        .collect();
    let url = "https://studio.twilio.com/v2/Flows?PageSize=50&Page=0";
    json!({"flows": flows, "meta": {"page": 0, "page_size": 50, "first_page_url": url,
        "previous_page_url": null, "url": url, "next_page_url": null, "key": "flows"}})
}

/// `POST /v2/Flows`.
fn flow_create(shared: &Shared, form: &[(String, String)]) -> (u16, Value) {
    let Some(name) = form_field(form, "FriendlyName").filter(|n| !n.is_empty()) else {
        return missing("FriendlyName");
    };
    let status = match flow_status(form_field(form, "Status")) {
        Ok(s) => s,
        Err(e) => return e,
    };
    let Some(text) = form_field(form, "Definition") else {
        return missing("Definition");
    };
    let definition = match flow_definition(&text) {
        Ok(d) => d,
        Err(e) => return e,
    };
    let flow = StudioFlow {
        sid: twilio_sid("FW"),
        friendly_name: name,
        status,
        definition,
        revision: 1,
        commit_message: form_field(form, "CommitMessage"),
    };
    let body = flow.json(&shared.account_sid);
    shared.lock().flows.push(flow);
    (200, body)
}

/// `POST /v2/Flows/{FlowSid}`: `Status` is required; `FriendlyName`, `Definition` and
/// `CommitMessage` change when given.
fn flow_update(
    shared: &Shared,
    path: &str,
    sid: Option<&str>,
    form: &[(String, String)],
) -> (u16, Value) {
    let status = match flow_status(form_field(form, "Status")) {
        Ok(s) => s,
        Err(e) => return e,
    };
    let definition = match form_field(form, "Definition").map(|d| flow_definition(&d)) {
        Some(Err(e)) => return e,
        Some(Ok(d)) => Some(d),
        None => None,
    };
    let mut s = shared.lock();
    let Some(flow) = s.flows.iter_mut().find(|f| Some(f.sid.as_str()) == sid) else {
        drop(s);
        return not_found(path);
    };
    flow.status = status;
    if let Some(d) = definition {
        flow.definition = d;
    }
    if let Some(n) = form_field(form, "FriendlyName").filter(|n| !n.is_empty()) {
        flow.friendly_name = n;
    }
    flow.commit_message = form_field(form, "CommitMessage");
    flow.revision += 1;
    (200, flow.json(&shared.account_sid))
}
