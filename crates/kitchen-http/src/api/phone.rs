//! The Phone page's API (staff only):
//! - `GET /api/phone`: tunnel, public URL, AI answering paused or not, the shop's Twilio
//!   number and whether it is connected to this shop's current address.
//! - `PUT /api/phone/answering` `{"paused": bool}`: pause or resume AI answering.
//! - `POST /api/phone/connect`: "Connect my number" — publish the number's Twilio-hosted
//!   fallback (a Studio Flow that puts callers through to the shop's phone while this PC
//!   cannot answer, see [`kitchen_phone::fallback_flow`]), then point the Twilio number's
//!   voice URL at `<public base>/incoming-call` and its fallback URL at that flow, through
//!   Twilio's REST API.
//!   With a SIP engine chosen it is refused (`engine_is_sip`); with a bridge engine it also
//!   takes the number off the SIP trunk, so its calls come back to this PC.
//! - `POST /api/phone/sip-setup`: "Set up SIP trunk" for the SIP engines ([`sip`]).
//! - `POST /api/setup/check`: "Check setup" — each part tested, in plain words, the
//!   fallback included (missing, someone else's, or dialling an old shop phone); with a
//!   SIP engine, the trunk's parts instead of the number's fallback.

use super::extract::ApiJson;
use crate::error::ApiError;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kitchen_phone::config::CallConfig;
use kitchen_phone::fallback_flow;
use kitchen_phone::realtime;
use kitchen_phone::twilio_rest::{IncomingNumber, RestError, StudioFlow};
use kitchen_wire::{
    AnsweringUpdate, ConnectResult, ErrorBody, PhoneDto, SetupCheck, SetupPart, TunnelState,
};
use std::collections::BTreeMap;

mod sip;
pub(super) use sip::setup as sip_setup;

/// Params from `(key, value)` pairs.
fn params<const N: usize>(pairs: [(&str, &str); N]) -> BTreeMap<String, String> {
    pairs
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// One line of "Check setup": `code` with its `params`, and the same in English.
fn line(
    part: SetupPart,
    ok: bool,
    code: &str,
    params: BTreeMap<String, String>,
    message: impl Into<String>,
) -> SetupCheck {
    SetupCheck {
        part,
        ok,
        message: message.into(),
        code: code.to_string(),
        params,
    }
}

/// The settings key remembering the voice URL "Connect my number" last set.
pub const CONNECTED_VOICE_URL_KEY: &str = "connected_voice_url";

/// A refusal of a phone action, shaped like every API error
/// (`{"error":{"code","message","params"}}`).
#[derive(Debug)]
pub(super) struct PhoneError {
    status: StatusCode,
    code: &'static str,
    params: BTreeMap<String, String>,
    message: String,
}

impl PhoneError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        PhoneError {
            status,
            code,
            params: BTreeMap::new(),
            message: message.into(),
        }
    }

    fn with_params(mut self, params: BTreeMap<String, String>) -> Self {
        self.params = params;
        self
    }

    /// The same refusal as a failed line of "Check setup".
    fn into_check(self, part: SetupPart) -> SetupCheck {
        line(part, false, self.code, self.params, self.message)
    }
}

impl IntoResponse for PhoneError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(ErrorBody::new(self.code, self.message, None).with_params(self.params)),
        )
            .into_response()
    }
}

impl From<ApiError> for PhoneError {
    fn from(e: ApiError) -> Self {
        tracing::error!(error = %e, "phone API failed");
        PhoneError::new(e.status(), e.code(), e.to_string()).with_params(e.params())
    }
}

/// `GET /api/phone`.
pub(super) async fn get(State(st): State<AppState>) -> Result<Json<PhoneDto>, ApiError> {
    let cfg = st.calls.config();
    let public_base_url = cfg.public_base_url.clone();
    let incoming_call_url = public_base_url
        .as_deref()
        .map(|b| format!("{}/incoming-call", b.trim_end_matches('/')));
    let connected_voice_url = st.store.setting(CONNECTED_VOICE_URL_KEY).await?;
    let connected = incoming_call_url.is_some() && connected_voice_url == incoming_call_url;
    Ok(Json(PhoneDto {
        tunnel: st.tunnel.dto(),
        public_base_url,
        incoming_call_url,
        answering_paused: st.calls.answering_paused(),
        twilio_number: cfg.twilio_phone_number.clone(),
        connected_voice_url,
        connected,
    }))
}

/// `PUT /api/phone/answering`.
pub(super) async fn set_answering(
    State(st): State<AppState>,
    ApiJson(update): ApiJson<AnsweringUpdate>,
) -> Result<Json<PhoneDto>, ApiError> {
    st.settings.set_answering_paused(update.paused).await?;
    get(State(st)).await
}

/// The Twilio details "Connect my number" and "Check setup" need.
struct TwilioDetails {
    rest: kitchen_phone::twilio_rest::TwilioRest,
    number: String,
}

fn twilio_details(st: &AppState) -> Result<TwilioDetails, PhoneError> {
    let cfg = st.calls.config();
    let missing = |code, what: &str| PhoneError::new(StatusCode::CONFLICT, code, what.to_string());
    let Some(sid) = cfg.twilio_account_sid.clone().filter(|s| !s.is_empty()) else {
        return Err(missing(
            "missing_twilio_account_sid",
            "Add your Twilio Account SID first (it starts with AC; find it on the Twilio console's home page).",
        ));
    };
    if cfg.twilio_auth_token.is_none() {
        return Err(missing(
            "missing_twilio_auth_token",
            "Add your Twilio auth token first (Twilio console → Account → API keys & tokens).",
        ));
    }
    let Some(number) = cfg.twilio_phone_number.clone() else {
        return Err(missing(
            "missing_twilio_number",
            "Add the shop's Twilio number first (the number callers dial, e.g. +924235550123).",
        ));
    };
    let Some(rest) = st.calls.rest(&sid) else {
        return Err(missing(
            "missing_twilio_auth_token",
            "Add your Twilio auth token first (Twilio console → Account → API keys & tokens).",
        ));
    };
    Ok(TwilioDetails { rest, number })
}

/// A Twilio REST failure in plain words.
fn rest_failure(e: &RestError) -> PhoneError {
    if e.is_unauthorized() {
        return PhoneError::new(
            StatusCode::BAD_GATEWAY,
            "twilio_refused_credentials",
            "Twilio refused the Account SID and auth token: copy both again from the Twilio console (Account → API keys & tokens).",
        );
    }
    match e {
        RestError::Network(_) => PhoneError::new(
            StatusCode::BAD_GATEWAY,
            "twilio_unreachable",
            "Could not reach Twilio: check the internet connection and try again.",
        ),
        RestError::Status { status, .. } => PhoneError::new(
            StatusCode::BAD_GATEWAY,
            "twilio_error",
            format!("Twilio answered with an error (HTTP {status}); try again in a minute."),
        )
        .with_params(params([("status", &status.to_string())])),
    }
}

async fn find_number(details: &TwilioDetails) -> Result<IncomingNumber, PhoneError> {
    match details.rest.find_incoming_number(&details.number).await {
        Ok(Some(n)) => Ok(n),
        Ok(None) => Err(PhoneError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "number_not_in_account",
            format!(
                "The number {} is not in this Twilio account: check the number, or see Phone Numbers → Manage → Active numbers in the Twilio console.",
                details.number
            ),
        )
        .with_params(params([("number", &details.number)]))),
        Err(e) => {
            tracing::warn!(error = %e, "Twilio number lookup failed");
            Err(rest_failure(&e))
        }
    }
}

/// `POST /api/phone/connect`.
pub(super) async fn connect(State(st): State<AppState>) -> Result<Json<ConnectResult>, PhoneError> {
    let Some(base) = st.calls.config().public_base_url.clone() else {
        let tunnel = st.tunnel.dto();
        // `reason`: why there is no address; a failed tunnel's own code and params come along.
        let mut p = BTreeMap::new();
        let why = match (tunnel.state, tunnel.message) {
            (TunnelState::Failed, Some(m)) => {
                p.insert("reason".to_string(), "tunnel_failed".to_string());
                if let Some(code) = tunnel.code {
                    p.insert("tunnel_code".to_string(), code);
                }
                p.extend(tunnel.params);
                format!(" The tunnel says: {m}")
            }
            (TunnelState::Connecting, _) => {
                p.insert("reason".to_string(), "tunnel_connecting".to_string());
                " The tunnel is connecting; try again in a moment.".to_string()
            }
            _ => {
                p.insert("reason".to_string(), "no_tunnel".to_string());
                " Add your ngrok authtoken (setup wizard, Tunnel step) so the app can open its tunnel.".to_string()
            }
        };
        return Err(PhoneError::new(
            StatusCode::CONFLICT,
            "no_public_url",
            format!("This shop has no public address yet, so Twilio cannot reach it.{why}"),
        )
        .with_params(p));
    };
    let engine = sip::sip_settings(&st.calls.config()).engine;
    if sip::is_sip(engine) {
        return Err(PhoneError::new(
            StatusCode::CONFLICT,
            "engine_is_sip",
            "This shop answers calls over the SIP trunk (a SIP voice engine is chosen): press \"Set up SIP trunk\" instead, or choose a bridge engine and save it to bring calls back to this PC.",
        ));
    }
    let details = twilio_details(&st)?;
    let number = find_number(&details).await?;
    let shop_phone = st.calls.config().shop_phone.clone();
    let flow = publish_fallback(&details, &number, shop_phone.as_deref()).await?;
    if number.trunk().is_some() {
        // Back from a SIP engine: while a trunk is set Twilio ignores the voice URLs.
        details.rest.clear_trunk(&number.sid).await.map_err(|e| {
            tracing::warn!(error = %e, "taking the Twilio number off its SIP trunk failed");
            rest_failure(&e)
        })?;
        tracing::info!(number = %number.phone_number, "took the Twilio number off the SIP trunk");
    }
    let base = base.trim_end_matches('/');
    let voice_url = format!("{base}/incoming-call");
    let status_callback = format!("{base}/twilio/status");
    let updated = details
        .rest
        .set_voice_url(
            &number.sid,
            &voice_url,
            &status_callback,
            Some(&flow.webhook_url),
        )
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "Twilio number update failed");
            rest_failure(&e)
        })?;
    st.store
        .set_setting(CONNECTED_VOICE_URL_KEY, voice_url.clone())
        .await
        .map_err(ApiError::from)?;
    tracing::info!(number = %updated.phone_number, %voice_url, flow = %flow.sid, "connected the Twilio number and its fallback flow");
    // Connected, but to an address Twilio cannot open from the internet (no tunnel, and a
    // plain-http, loopback or LAN `PUBLIC_BASE_URL`): said as plainly as Check setup says it,
    // never "Done".
    let unreachable = (st.tunnel.dto().state != TunnelState::Online)
        .then(|| unreachable_from_twilio(base))
        .flatten();
    let (code, message, params) = match unreachable {
        None => (
            "connected",
            format!(
                "Done: calls to {} now come to this shop ({voice_url}).",
                updated.phone_number
            ),
            params([
                ("number", &updated.phone_number),
                ("voice_url", &voice_url),
                ("fallback", fallback_kind(shop_phone.as_deref())),
            ]),
        ),
        Some((why_code, why)) => (
            "connected_unreachable",
            format!(
                "The number {} now points at {voice_url}, but Twilio cannot reach it: {why}. Calls will fail until the shop has a public https address: use the ngrok tunnel (add your ngrok authtoken in the setup wizard, Tunnel step), then press Connect again.",
                updated.phone_number
            ),
            params([
                ("number", &updated.phone_number),
                ("voice_url", &voice_url),
                ("why", why_code),
                ("fallback", fallback_kind(shop_phone.as_deref())),
            ]),
        ),
    };
    Ok(Json(ConnectResult {
        message,
        code: code.to_string(),
        params,
        phone_number: updated.phone_number,
        voice_url,
    }))
}

/// What the fallback flow does, as a param of `connected`: `dial` (the shop's phone) or
/// `message` (an apology, with no shop phone).
fn fallback_kind(shop_phone: Option<&str>) -> &'static str {
    if shop_phone.is_some() {
        "dial"
    } else {
        "message"
    }
}

/// The number's fallback flow (found by its fixed name), if the account has one.
async fn find_fallback(
    details: &TwilioDetails,
    number: &IncomingNumber,
) -> Result<Option<StudioFlow>, RestError> {
    let name = fallback_flow::flow_name(&number.phone_number);
    Ok(details
        .rest
        .list_flows()
        .await?
        .into_iter()
        .find(|f| f.friendly_name == name))
}

/// Creates the number's fallback flow, or updates the one a previous connect made, so that
/// it puts callers through to `shop_phone` (or apologises, with none).
async fn publish_fallback(
    details: &TwilioDetails,
    number: &IncomingNumber,
    shop_phone: Option<&str>,
) -> Result<StudioFlow, PhoneError> {
    let failed = |e: RestError| {
        tracing::warn!(error = %e, "publishing the Twilio fallback flow failed");
        rest_failure(&e)
    };
    let existing = find_fallback(details, number).await.map_err(failed)?;
    let mut flow = details
        .rest
        .publish_flow(
            existing.as_ref().map(|f| f.sid.as_str()),
            &fallback_flow::flow_name(&number.phone_number),
            &fallback_flow::definition(shop_phone),
        )
        .await
        .map_err(failed)?;
    if flow.webhook_url.is_empty() {
        flow.webhook_url = flow_webhook_url(details.rest.account_sid(), &flow.sid);
    }
    Ok(flow)
}

/// Twilio's webhook URL of a Studio Flow.
fn flow_webhook_url(account_sid: &str, flow_sid: &str) -> String {
    format!("https://webhooks.twilio.com/v1/Accounts/{account_sid}/Flows/{flow_sid}")
}

/// `POST /api/setup/check`.
pub(super) async fn check(State(st): State<AppState>) -> Json<Vec<SetupCheck>> {
    let cfg = st.calls.config();
    let sip_mode = sip::is_sip(sip::sip_settings(&cfg).engine);
    let (openai, (twilio, more)) = tokio::join!(check_openai(&cfg), check_twilio(&st, sip_mode));
    let public_url = check_public_url(&st);
    let shop_phone = match &cfg.shop_phone {
        Some(p) => line(
            SetupPart::ShopPhone,
            true,
            "shop_phone_set",
            params([("phone", p.as_str())]),
            format!("Callers who ask for a person, or whom the AI cannot serve, go to {p}."),
        ),
        None => line(
            SetupPart::ShopPhone,
            false,
            "no_shop_phone",
            params([]),
            "No shop phone: callers the AI cannot serve only hear an apology. Add the shop's phone in Settings.",
        ),
    };
    let answering = if st.calls.answering_paused() {
        line(
            SetupPart::Answering,
            false,
            "answering_paused",
            params([]),
            "AI answering is paused: calls go to the shop's phone. Press Resume to let the AI answer.",
        )
    } else {
        line(
            SetupPart::Answering,
            true,
            "answering_on",
            params([]),
            "The AI answers calls.",
        )
    };
    let mut lines = vec![openai, twilio, public_url, shop_phone, answering];
    lines.extend(more);
    Json(lines)
}

async fn check_openai(cfg: &CallConfig) -> SetupCheck {
    let model = cfg.openai_model.as_str();
    let (ok, code, p, message): (bool, &str, _, String) = match realtime::check_key(cfg).await {
        Ok(()) => (
            true,
            "openai_ok",
            params([("model", model)]),
            format!("OpenAI accepted the key (model {model})."),
        ),
        Err(realtime::ConnectError::NoKey) => (
            false,
            "openai_no_key",
            params([]),
            "No OpenAI key yet: add it in Settings (platform.openai.com → API keys).".into(),
        ),
        Err(realtime::ConnectError::Unauthorized(_)) => (
            false,
            "openai_refused_key",
            params([]),
            "OpenAI refused the key: copy it again from platform.openai.com → API keys, and check the account has credit.".into(),
        ),
        Err(realtime::ConnectError::Refused(404)) => (
            false,
            "openai_unknown_model",
            params([("model", model)]),
            format!("OpenAI does not know the model {model}: choose another in the setup wizard (AI step)."),
        ),
        Err(realtime::ConnectError::Refused(429)) => (
            false,
            "openai_over_limit",
            params([]),
            "OpenAI says the account is over its limit or out of credit: check billing on platform.openai.com.".into(),
        ),
        Err(realtime::ConnectError::Refused(status)) => (
            false,
            "openai_refused",
            params([("status", &status.to_string())]),
            format!("OpenAI refused the connection (HTTP {status}); try again in a minute."),
        ),
        Err(realtime::ConnectError::Timeout(_) | realtime::ConnectError::Network(_)) => (
            false,
            "openai_unreachable",
            params([]),
            "Could not reach OpenAI: check the internet connection.".into(),
        ),
        Err(realtime::ConnectError::Setup(_)) => (
            false,
            "openai_broken",
            params([]),
            "The connection to OpenAI broke; try again.".into(),
        ),
    };
    line(SetupPart::Openai, ok, code, p, message)
}

/// The Twilio line, then the fallback's when the number was found (Media Streams), or the
/// SIP trunk's lines (`sip_mode`).
async fn check_twilio(st: &AppState, sip_mode: bool) -> (SetupCheck, Vec<SetupCheck>) {
    let details = match twilio_details(st) {
        Ok(d) => d,
        Err(e) => {
            return (
                e.into_check(SetupPart::Twilio),
                sip_only(st, sip_mode).await,
            );
        }
    };
    let number = match find_number(&details).await {
        Ok(n) => n,
        Err(e) => {
            return (
                e.into_check(SetupPart::Twilio),
                sip_only(st, sip_mode).await,
            );
        }
    };
    if sip_mode {
        let p = params([("number", &number.phone_number)]);
        let found = line(
            SetupPart::Twilio,
            true,
            "twilio_account_ok",
            p,
            format!(
                "Twilio accepted the account details and found {}.",
                number.phone_number
            ),
        );
        return (
            found,
            sip::check_lines(st, Some(&details), Some(&number)).await,
        );
    }
    let fallback = check_fallback(st, &details, &number).await;
    (twilio_line(st, &number), vec![fallback])
}

/// The SIP lines that need no Twilio account (when the Twilio line failed).
async fn sip_only(st: &AppState, sip_mode: bool) -> Vec<SetupCheck> {
    if sip_mode {
        sip::check_lines(st, None, None).await
    } else {
        Vec::new()
    }
}

/// Whether the number's `VoiceFallbackUrl` runs this shop's fallback flow, and whether that
/// flow dials the shop's phone as it is now.
async fn check_fallback(
    st: &AppState,
    details: &TwilioDetails,
    number: &IncomingNumber,
) -> SetupCheck {
    let part = SetupPart::Fallback;
    let p = params([("number", &number.phone_number)]);
    let Some(url) = number
        .voice_fallback_url
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
    else {
        return line(
            part,
            false,
            "fallback_missing",
            p,
            format!(
                "When this PC is off or offline, callers to {} hear Twilio's error message and the call drops: press \"Connect my number\" so they are put through to the shop instead.",
                number.phone_number
            ),
        );
    };
    let flow = match find_fallback(details, number).await {
        Ok(f) => f,
        Err(e) => {
            tracing::warn!(error = %e, "listing Twilio Studio flows failed");
            return rest_failure(&e).into_check(part);
        }
    };
    let ours = flow.as_ref().filter(|f| {
        let expected = if f.webhook_url.is_empty() {
            flow_webhook_url(details.rest.account_sid(), &f.sid)
        } else {
            f.webhook_url.clone()
        };
        expected == url
    });
    let Some(flow) = ours else {
        return line(
            part,
            false,
            "fallback_foreign",
            params([("number", &number.phone_number), ("url", url)]),
            format!(
                "When this PC is off or offline, calls to {} go to {url}, which is not this shop's fallback: press \"Connect my number\" so they are put through to the shop's phone.",
                number.phone_number
            ),
        );
    };
    let shop_phone = st.calls.config().shop_phone.clone();
    if !fallback_flow::is_current(&flow.definition, shop_phone.as_deref()) {
        return line(
            part,
            false,
            "fallback_outdated",
            p,
            "The fallback for when this PC is off was made for an older shop phone: press \"Connect my number\" to bring it up to date.",
        );
    }
    match shop_phone {
        Some(phone) => line(
            part,
            true,
            "fallback_dials_shop",
            params([("number", &number.phone_number), ("phone", &phone)]),
            format!(
                "When this PC is off or offline, Twilio puts callers to {} through to {phone}.",
                number.phone_number
            ),
        ),
        None => line(
            part,
            true,
            "fallback_message",
            p,
            format!(
                "When this PC is off or offline, callers to {} hear a short apology (add the shop's phone in Settings, then press \"Connect my number\", to put them through instead).",
                number.phone_number
            ),
        ),
    }
}

fn twilio_line(st: &AppState, number: &IncomingNumber) -> SetupCheck {
    let here = st
        .calls
        .config()
        .public_base_url
        .as_deref()
        .map(|b| format!("{}/incoming-call", b.trim_end_matches('/')));
    let p = params([("number", &number.phone_number)]);
    if number.trunk().is_some() {
        return line(
            SetupPart::Twilio,
            false,
            "number_on_sip_trunk",
            p,
            format!(
                "Calls to {} still go over the SIP trunk straight to OpenAI, not to this PC: press \"Connect my number\" to bring them back.",
                number.phone_number
            ),
        );
    }
    match (&here, &number.voice_url) {
        (Some(h), Some(v)) if h == v => line(
            SetupPart::Twilio,
            true,
            "twilio_connected",
            p,
            format!(
                "Twilio accepted the account details; calls to {} come to this shop.",
                number.phone_number
            ),
        ),
        _ => line(
            SetupPart::Twilio,
            true,
            "twilio_not_connected",
            p,
            format!(
                "Twilio accepted the account details and found {}; press \"Connect my number\" so its calls come to this shop.",
                number.phone_number
            ),
        ),
    }
}

/// Why Twilio, calling from the internet, could not reach `url`: it is plain `http`, or its
/// host is this machine (loopback, `localhost`) or a private network (10/8, 172.16/12,
/// 192.168/16, link-local, IPv6 unique-local, `.local`). `None` for a public https address.
/// The reason comes as a code (`not_a_url`, `not_https`, `no_host`, `localhost`,
/// `local_name`, `loopback`, `lan`) and in English.
fn unreachable_from_twilio(url: &str) -> Option<(&'static str, &'static str)> {
    let url = url.trim();
    let Some((scheme, rest)) = url.split_once("://") else {
        return Some((
            "not_a_url",
            "it is not a web address (it should start with https://)",
        ));
    };
    if !scheme.eq_ignore_ascii_case("https") {
        return Some((
            "not_https",
            "it is not https (Twilio needs https for the call's audio stream)",
        ));
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if host.is_empty() {
        return Some(("no_host", "it has no host name"));
    }
    if host == "localhost" || host.ends_with(".localhost") {
        return Some((
            "localhost",
            "it is this computer (localhost), which only this computer can open",
        ));
    }
    if host.ends_with(".local") || host.ends_with(".lan") || host.ends_with(".home") {
        return Some((
            "local_name",
            "it is a name on the shop's own network, not on the internet",
        ));
    }
    match host.parse::<std::net::IpAddr>() {
        Ok(ip) if ip.is_loopback() => Some((
            "loopback",
            "it is this computer (a loopback address), which only this computer can open",
        )),
        Ok(std::net::IpAddr::V4(v4))
            if v4.is_private() || v4.is_link_local() || v4.is_unspecified() =>
        {
            Some((
                "lan",
                "it is an address on the shop's own network (LAN), not on the internet",
            ))
        }
        Ok(std::net::IpAddr::V6(v6))
            if v6.is_unspecified()
                || (v6.segments()[0] & 0xfe00) == 0xfc00
                || (v6.segments()[0] & 0xffc0) == 0xfe80 =>
        {
            Some((
                "lan",
                "it is an address on the shop's own network (LAN), not on the internet",
            ))
        }
        _ => None,
    }
}

fn check_public_url(st: &AppState) -> SetupCheck {
    let tunnel = st.tunnel.dto();
    let cfg = st.calls.config();
    let part = SetupPart::PublicUrl;
    match (tunnel.state, &cfg.public_base_url) {
        (TunnelState::Online, Some(url)) => line(
            part,
            true,
            "tunnel_online",
            params([("url", url)]),
            format!("The tunnel is online at {url}."),
        ),
        (TunnelState::Off, Some(url)) => match unreachable_from_twilio(url) {
            None => line(
                part,
                true,
                "own_address_ok",
                params([("url", url)]),
                format!("Twilio reaches this shop at {url} (your own address)."),
            ),
            Some((why_code, why)) => line(
                part,
                false,
                "address_unreachable",
                params([("url", url), ("why", why_code)]),
                format!(
                    "Twilio cannot reach {url}: {why}. Use the ngrok tunnel (add your ngrok authtoken in the setup wizard, Tunnel step), or a public https address that forwards to this PC."
                ),
            ),
        },
        (TunnelState::Off, None) => line(
            part,
            false,
            "no_public_address",
            params([]),
            "No public address: add your ngrok authtoken in the setup wizard, Tunnel step (dashboard.ngrok.com → Your Authtoken), so the app can open its tunnel.",
        ),
        (TunnelState::Connecting, _) => line(
            part,
            false,
            "tunnel_connecting",
            params([]),
            "The tunnel is still connecting; check again in a moment.",
        ),
        (TunnelState::Failed, _) => {
            // The tunnel's own code and params come along, for the dashboard to word.
            let mut p = tunnel.params;
            if let Some(code) = tunnel.code {
                p.insert("tunnel_code".to_string(), code);
            }
            line(
                part,
                false,
                "tunnel_failed",
                p,
                format!(
                    "The tunnel is not online: {}",
                    tunnel
                        .message
                        .unwrap_or_else(|| "it will retry by itself".into())
                ),
            )
        }
        (TunnelState::Online, None) => line(
            part,
            false,
            "tunnel_address_pending",
            params([]),
            "The tunnel is online but its address is not in use yet; check again in a moment.",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::unreachable_from_twilio as why;

    #[test]
    fn public_https_addresses_are_reachable() {
        for url in [
            "https://shop.example.com",
            "https://melt8.ngrok.app/",
            "https://203.0.113.7:8443/x",
            "https://[2001:db8::1]/",
            "HTTPS://Shop.Example.com",
        ] {
            assert_eq!(why(url), None, "{url}");
        }
    }

    #[test]
    fn plain_http_loopback_and_lan_addresses_are_not() {
        for (url, code, says) in [
            ("http://shop.example.com", "not_https", "not https"),
            ("shop.example.com", "not_a_url", "not a web address"),
            ("https://localhost:8080", "localhost", "localhost"),
            ("https://127.0.0.1:8080", "loopback", "loopback"),
            ("https://[::1]:8080/", "loopback", "loopback"),
            ("https://192.168.1.20:8080", "lan", "LAN"),
            ("https://10.0.0.5", "lan", "LAN"),
            ("https://172.20.1.1", "lan", "LAN"),
            ("https://169.254.3.4", "lan", "LAN"),
            ("https://[fd12::1]/", "lan", "LAN"),
            ("https://user@192.168.0.2/", "lan", "LAN"),
            (
                "https://kitchen-pc.local/",
                "local_name",
                "shop's own network",
            ),
            ("https:///path", "no_host", "no host"),
        ] {
            let (got, reason) = why(url).unwrap_or_else(|| panic!("{url} passed"));
            assert_eq!(got, code, "{url}");
            assert!(reason.contains(says), "{url}: {reason}");
        }
        // 172.32/16 is outside 172.16/12: a public address.
        assert_eq!(why("https://172.32.0.1"), None);
    }
}
