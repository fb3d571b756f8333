//! The Phone page's API (staff only):
//! - `GET /api/phone`: tunnel, public URL, AI answering paused or not, the shop's Twilio
//!   number and whether it is connected to this shop's current address.
//! - `PUT /api/phone/answering` `{"paused": bool}`: pause or resume AI answering.
//! - `POST /api/phone/connect`: "Connect my number" — point the Twilio number's voice URL
//!   at `<public base>/incoming-call` through Twilio's REST API.
//! - `POST /api/setup/check`: "Check setup" — each part tested, in plain words.

use super::extract::ApiJson;
use crate::error::ApiError;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kitchen_phone::config::CallConfig;
use kitchen_phone::realtime;
use kitchen_phone::twilio_rest::{IncomingNumber, RestError};
use kitchen_wire::{
    AnsweringUpdate, ConnectResult, ErrorBody, PhoneDto, SetupCheck, SetupPart, TunnelState,
};

/// The settings key remembering the voice URL "Connect my number" last set.
pub const CONNECTED_VOICE_URL_KEY: &str = "connected_voice_url";

/// A refusal of a phone action, shaped like every API error
/// (`{"error":{"code","message"}}`).
#[derive(Debug)]
pub(super) struct PhoneError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl PhoneError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        PhoneError {
            status,
            code,
            message: message.into(),
        }
    }
}

impl IntoResponse for PhoneError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(ErrorBody::new(self.code, self.message, None)),
        )
            .into_response()
    }
}

impl From<ApiError> for PhoneError {
    fn from(e: ApiError) -> Self {
        tracing::error!(error = %e, "phone API failed");
        PhoneError::new(e.status(), e.code(), e.to_string())
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
        ),
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
        )),
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
        let why = match (tunnel.state, tunnel.message) {
            (TunnelState::Failed, Some(m)) => format!(" The tunnel says: {m}"),
            (TunnelState::Connecting, _) => {
                " The tunnel is connecting; try again in a moment.".to_string()
            }
            _ => {
                " Add your ngrok authtoken in Settings so the app can open its tunnel.".to_string()
            }
        };
        return Err(PhoneError::new(
            StatusCode::CONFLICT,
            "no_public_url",
            format!("This shop has no public address yet, so Twilio cannot reach it.{why}"),
        ));
    };
    let details = twilio_details(&st)?;
    let number = find_number(&details).await?;
    let base = base.trim_end_matches('/');
    let voice_url = format!("{base}/incoming-call");
    let status_callback = format!("{base}/twilio/status");
    let updated = details
        .rest
        .set_voice_url(&number.sid, &voice_url, &status_callback)
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "Twilio number update failed");
            rest_failure(&e)
        })?;
    st.store
        .set_setting(CONNECTED_VOICE_URL_KEY, voice_url.clone())
        .await
        .map_err(ApiError::from)?;
    tracing::info!(number = %updated.phone_number, %voice_url, "connected the Twilio number");
    Ok(Json(ConnectResult {
        message: format!(
            "Done: calls to {} now come to this shop ({voice_url}).",
            updated.phone_number
        ),
        phone_number: updated.phone_number,
        voice_url,
    }))
}

/// `POST /api/setup/check`.
pub(super) async fn check(State(st): State<AppState>) -> Json<Vec<SetupCheck>> {
    let cfg = st.calls.config();
    let (openai, twilio) = tokio::join!(check_openai(&cfg), check_twilio(&st));
    let public_url = check_public_url(&st);
    let shop_phone = match &cfg.shop_phone {
        Some(p) => SetupCheck {
            part: SetupPart::ShopPhone,
            ok: true,
            message: format!("Callers who ask for a person, or whom the AI cannot serve, go to {p}."),
        },
        None => SetupCheck {
            part: SetupPart::ShopPhone,
            ok: false,
            message: "No shop phone: callers the AI cannot serve only hear an apology. Add the shop's phone in Settings.".into(),
        },
    };
    let answering = if st.calls.answering_paused() {
        SetupCheck {
            part: SetupPart::Answering,
            ok: false,
            message: "AI answering is paused: calls go to the shop's phone. Press Resume to let the AI answer.".into(),
        }
    } else {
        SetupCheck {
            part: SetupPart::Answering,
            ok: true,
            message: "The AI answers calls.".into(),
        }
    };
    Json(vec![openai, twilio, public_url, shop_phone, answering])
}

async fn check_openai(cfg: &CallConfig) -> SetupCheck {
    let (ok, message) = match realtime::check_key(cfg).await {
        Ok(()) => (
            true,
            format!("OpenAI accepted the key (model {}).", cfg.openai_model),
        ),
        Err(realtime::ConnectError::NoKey) => (
            false,
            "No OpenAI key yet: add it in Settings (platform.openai.com → API keys).".into(),
        ),
        Err(realtime::ConnectError::Unauthorized(_)) => (
            false,
            "OpenAI refused the key: copy it again from platform.openai.com → API keys, and check the account has credit.".into(),
        ),
        Err(realtime::ConnectError::Refused(404)) => (
            false,
            format!("OpenAI does not know the model {}: choose another in Settings.", cfg.openai_model),
        ),
        Err(realtime::ConnectError::Refused(429)) => (
            false,
            "OpenAI says the account is over its limit or out of credit: check billing on platform.openai.com.".into(),
        ),
        Err(realtime::ConnectError::Refused(code)) => (
            false,
            format!("OpenAI refused the connection (HTTP {code}); try again in a minute."),
        ),
        Err(realtime::ConnectError::Timeout(_) | realtime::ConnectError::Network(_)) => (
            false,
            "Could not reach OpenAI: check the internet connection.".into(),
        ),
        Err(realtime::ConnectError::Setup(_)) => (
            false,
            "The connection to OpenAI broke; try again.".into(),
        ),
    };
    SetupCheck {
        part: SetupPart::Openai,
        ok,
        message,
    }
}

async fn check_twilio(st: &AppState) -> SetupCheck {
    let fail = |message: String| SetupCheck {
        part: SetupPart::Twilio,
        ok: false,
        message,
    };
    let details = match twilio_details(st) {
        Ok(d) => d,
        Err(e) => return fail(e.message),
    };
    let number = match find_number(&details).await {
        Ok(n) => n,
        Err(e) => return fail(e.message),
    };
    let here = st
        .calls
        .config()
        .public_base_url
        .as_deref()
        .map(|b| format!("{}/incoming-call", b.trim_end_matches('/')));
    let message = match (&here, &number.voice_url) {
        (Some(h), Some(v)) if h == v => format!(
            "Twilio accepted the account details; calls to {} come to this shop.",
            number.phone_number
        ),
        _ => format!(
            "Twilio accepted the account details and found {}; press \"Connect my number\" so its calls come to this shop.",
            number.phone_number
        ),
    };
    SetupCheck {
        part: SetupPart::Twilio,
        ok: true,
        message,
    }
}

/// Why Twilio, calling from the internet, could not reach `url`: it is plain `http`, or its
/// host is this machine (loopback, `localhost`) or a private network (10/8, 172.16/12,
/// 192.168/16, link-local, IPv6 unique-local, `.local`). `None` for a public https address.
fn unreachable_from_twilio(url: &str) -> Option<&'static str> {
    let url = url.trim();
    let Some((scheme, rest)) = url.split_once("://") else {
        return Some("it is not a web address (it should start with https://)");
    };
    if !scheme.eq_ignore_ascii_case("https") {
        return Some("it is not https (Twilio needs https for the call's audio stream)");
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
        return Some("it has no host name");
    }
    if host == "localhost" || host.ends_with(".localhost") {
        return Some("it is this computer (localhost), which only this computer can open");
    }
    if host.ends_with(".local") || host.ends_with(".lan") || host.ends_with(".home") {
        return Some("it is a name on the shop's own network, not on the internet");
    }
    match host.parse::<std::net::IpAddr>() {
        Ok(ip) if ip.is_loopback() => {
            Some("it is this computer (a loopback address), which only this computer can open")
        }
        Ok(std::net::IpAddr::V4(v4))
            if v4.is_private() || v4.is_link_local() || v4.is_unspecified() =>
        {
            Some("it is an address on the shop's own network (LAN), not on the internet")
        }
        Ok(std::net::IpAddr::V6(v6))
            if v6.is_unspecified()
                || (v6.segments()[0] & 0xfe00) == 0xfc00
                || (v6.segments()[0] & 0xffc0) == 0xfe80 =>
        {
            Some("it is an address on the shop's own network (LAN), not on the internet")
        }
        _ => None,
    }
}

fn check_public_url(st: &AppState) -> SetupCheck {
    let tunnel = st.tunnel.dto();
    let cfg = st.calls.config();
    let (ok, message) = match (tunnel.state, &cfg.public_base_url) {
        (TunnelState::Online, Some(url)) => (true, format!("The tunnel is online at {url}.")),
        (TunnelState::Off, Some(url)) => match unreachable_from_twilio(url) {
            None => (true, format!("Twilio reaches this shop at {url} (your own address).")),
            Some(why) => (
                false,
                format!(
                    "Twilio cannot reach {url}: {why}. Use the ngrok tunnel (add your authtoken in Settings and clear the public address), or a public https address that forwards to this PC."
                ),
            ),
        },
        (TunnelState::Off, None) => (
            false,
            "No public address: add your ngrok authtoken in Settings (dashboard.ngrok.com → Your Authtoken) so the app can open its tunnel.".into(),
        ),
        (TunnelState::Connecting, _) => (false, "The tunnel is still connecting; check again in a moment.".into()),
        (TunnelState::Failed, _) => (
            false,
            format!(
                "The tunnel is not online: {}",
                tunnel.message.unwrap_or_else(|| "it will retry by itself".into())
            ),
        ),
        (TunnelState::Online, None) => (false, "The tunnel is online but its address is not in use yet; check again in a moment.".into()),
    };
    SetupCheck {
        part: SetupPart::PublicUrl,
        ok,
        message,
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
        for (url, says) in [
            ("http://shop.example.com", "not https"),
            ("shop.example.com", "not a web address"),
            ("https://localhost:8080", "localhost"),
            ("https://127.0.0.1:8080", "loopback"),
            ("https://[::1]:8080/", "loopback"),
            ("https://192.168.1.20:8080", "LAN"),
            ("https://10.0.0.5", "LAN"),
            ("https://172.20.1.1", "LAN"),
            ("https://169.254.3.4", "LAN"),
            ("https://[fd12::1]/", "LAN"),
            ("https://user@192.168.0.2/", "LAN"),
            ("https://kitchen-pc.local/", "shop's own network"),
            ("https:///path", "no host"),
        ] {
            let reason = why(url).unwrap_or_else(|| panic!("{url} passed"));
            assert!(reason.contains(says), "{url}: {reason}");
        }
        // 172.32/16 is outside 172.16/12: a public address.
        assert_eq!(why("https://172.32.0.1"), None);
    }
}
