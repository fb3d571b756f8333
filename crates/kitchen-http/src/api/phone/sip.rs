//! The SIP voice engines' part of the Phone page (owner only):
//! - `POST /api/phone/sip-setup`: "Set up SIP trunk" — publish the number's Studio fallback
//!   flow, make (or bring up to date) the shop's Elastic SIP trunk with that flow as its
//!   disaster-recovery URL and the OpenAI project as its origination URL, then move the
//!   number onto the trunk ([`kitchen_phone::sip_trunk`]).
//! - the SIP lines of `POST /api/setup/check` ([`check_lines`]).
//!
//! Why the disaster-recovery URL is the Studio flow's webhook: Twilio fetches it when it
//! cannot send a call to OpenAI, which is exactly when this PC may be off too; the flow lives
//! at Twilio and puts the caller through to the shop's phone (or apologises, with none),
//! like the fallback of the Media Streams number. The PC's own `/incoming-call` fallback
//! TwiML would need the PC and its tunnel up.
//!
//! Moving back: the number leaves the trunk when the owner presses "Connect my number"
//! with a bridge engine chosen ([`super::connect`] empties its `TrunkSid` before pointing
//! its voice URL here). A settings save never reaches out to Twilio by itself (saving must
//! work offline, as for the fallback flow); "Check setup" says when the number is still on
//! the trunk, and the Phone page puts the button beside the engine choice.

use super::{
    PhoneError, TwilioDetails, find_number, line, params, publish_fallback, rest_failure,
    twilio_details,
};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use kitchen_domain::VoiceEngine;
use kitchen_phone::config::CallConfig;
use kitchen_phone::sip_trunk::{self, Found, SipError, TRANSFER_MODE, Wanted};
use kitchen_phone::twilio_rest::IncomingNumber;
use kitchen_wire::{SetupCheck, SetupPart, SipSetupResult};

/// The shop's SIP settings, as far as setup and check need them.
pub(super) struct SipSettings {
    pub(super) engine: VoiceEngine,
    project_id: Option<String>,
    webhook_secret_set: bool,
}

pub(super) fn sip_settings(cfg: &CallConfig) -> SipSettings {
    let s = &cfg.settings;
    SipSettings {
        engine: s.voice_engine,
        project_id: s.openai_project_id.as_ref().map(|p| p.as_str().to_string()),
        webhook_secret_set: s.openai_webhook_secret.is_some(),
    }
}

/// Whether `engine` sends calls over SIP straight to OpenAI.
pub(super) fn is_sip(engine: VoiceEngine) -> bool {
    engine.is_sip()
}

/// The OpenAI webhook event the engine answers (`live.transport.incoming` or
/// `realtime.call.incoming`).
fn webhook_event(engine: VoiceEngine) -> &'static str {
    match engine {
        VoiceEngine::SipRealtime => "realtime.call.incoming",
        _ => "live.transport.incoming",
    }
}

/// The project-id refusal in plain words.
fn project_refusal(e: &SipError) -> PhoneError {
    match e {
        SipError::BadProjectId(id) => PhoneError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_openai_project_id",
            format!("{id} is not an OpenAI project id: copy it from platform.openai.com → Settings → Project → General (it starts with proj_)."),
        )
        .with_params(params([("project_id", id)])),
        _ => PhoneError::new(
            StatusCode::CONFLICT,
            "missing_openai_project_id",
            "Add the OpenAI project id first (platform.openai.com → Settings → Project → General; it starts with proj_).",
        ),
    }
}

/// A trunking failure in plain words.
fn sip_failure(e: SipError, number: &str) -> PhoneError {
    match e {
        SipError::Rest(e) => {
            tracing::warn!(error = %e, "Twilio SIP trunking failed");
            rest_failure(&e)
        }
        SipError::Unauthorized => rest_failure(&kitchen_phone::twilio_rest::RestError::Status {
            status: 401,
            body: String::new(),
        }),
        SipError::NumberNotInAccount(_) => PhoneError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "number_not_in_account",
            format!("The number {number} is not in this Twilio account: check the number, or see Phone Numbers → Manage → Active numbers in the Twilio console."),
        )
        .with_params(params([("number", number)])),
        other => project_refusal(&other),
    }
}

/// `POST /api/phone/sip-setup`. Everything that can be checked here (the engine, the project
/// id, the webhook secret, the Twilio details, the number) is checked before Twilio is
/// changed, so a refusal leaves the account as it was.
pub(in crate::api) async fn setup(
    State(st): State<AppState>,
) -> Result<Json<SipSetupResult>, PhoneError> {
    let cfg = st.calls.config();
    let sip = sip_settings(&cfg);
    if !is_sip(sip.engine) {
        return Err(PhoneError::new(
            StatusCode::CONFLICT,
            "engine_not_sip",
            "This shop answers calls through this PC: choose a SIP voice engine (sip-live or sip-realtime) and save it before setting up the SIP trunk.",
        )
        .with_params(params([("engine", sip.engine.as_str())])));
    }
    let sip_url = sip_trunk::origination_sip_url(sip.project_id.as_deref())
        .map_err(|e| project_refusal(&e))?;
    if !sip.webhook_secret_set {
        return Err(PhoneError::new(
            StatusCode::CONFLICT,
            "missing_openai_webhook_secret",
            "Add the OpenAI webhook secret first (platform.openai.com → Settings → Project → Webhooks; it starts with whsec_).",
        ));
    }
    let details = twilio_details(&st)?;
    let number = find_number(&details).await?;
    let shop_phone = cfg.shop_phone.clone();
    let flow = publish_fallback(&details, &number, shop_phone.as_deref()).await?;
    let wanted = Wanted {
        sip_url: sip_url.clone(),
        disaster_recovery_url: flow.webhook_url.clone(),
    };
    let done = sip_trunk::set_up(&details.rest, &number, &wanted)
        .await
        .map_err(|e| sip_failure(e, &number.phone_number))?;
    let fallback = if shop_phone.is_some() {
        "dial"
    } else {
        "message"
    };
    let message = format!(
        "Done: calls to {} now go over the SIP trunk straight to OpenAI ({sip_url}).{}",
        done.number.phone_number,
        if shop_phone.is_some() {
            " If OpenAI cannot take a call, Twilio puts it through to the shop's phone."
        } else {
            " If OpenAI cannot take a call, the caller hears a short apology."
        }
    );
    let created = if done.trunk_created { "true" } else { "false" };
    Ok(Json(SipSetupResult {
        params: params([
            ("number", &done.number.phone_number),
            ("sip_url", &sip_url),
            ("fallback", fallback),
            ("created", created),
        ]),
        message,
        code: "sip_connected".to_string(),
        phone_number: done.number.phone_number,
        trunk_sid: done.trunk.sid,
        trunk_created: done.trunk_created,
        sip_url,
        disaster_recovery_url: wanted.disaster_recovery_url,
    }))
}

/// "Check setup"'s SIP lines, in order: the OpenAI side, the trunk, transfers, the
/// origination URL, the number, the disaster-recovery URL. `number` is `None` when the
/// Twilio line already failed (the trunk lines are then not checked).
pub(super) async fn check_lines(
    st: &AppState,
    details: Option<&TwilioDetails>,
    number: Option<&IncomingNumber>,
) -> Vec<SetupCheck> {
    let cfg = st.calls.config();
    let sip = sip_settings(&cfg);
    let webhook_url = cfg
        .public_base_url
        .as_deref()
        .map(|b| format!("{}/openai/webhook", b.trim_end_matches('/')));
    let mut lines = vec![openai_line(&sip, webhook_url.as_deref())];
    let (Some(details), Some(number)) = (details, number) else {
        return lines;
    };
    let found = match sip_trunk::inspect(&details.rest).await {
        Ok(f) => f,
        Err(e) => {
            lines.push(sip_failure(e, &number.phone_number).into_check(SetupPart::SipTrunk));
            return lines;
        }
    };
    let sip_url = sip_trunk::origination_sip_url(sip.project_id.as_deref()).ok();
    lines.extend(trunk_lines(&found, sip_url.as_deref(), number));
    lines
}

fn openai_line(sip: &SipSettings, webhook_url: Option<&str>) -> SetupCheck {
    let part = SetupPart::SipOpenai;
    let event = webhook_event(sip.engine);
    let url = webhook_url.unwrap_or("(your public address)/openai/webhook");
    match (&sip.project_id, sip.webhook_secret_set) {
        (None, _) => line(
            part,
            false,
            "sip_no_project_id",
            params([]),
            "No OpenAI project id: add it on this page (platform.openai.com → Settings → Project → General; it starts with proj_).",
        ),
        (Some(_), false) => line(
            part,
            false,
            "sip_no_webhook_secret",
            params([("event", event), ("webhook_url", url)]),
            format!(
                "No OpenAI webhook secret: in platform.openai.com → Settings → Project → Webhooks, add a webhook to {url} for {event}, then paste its secret (whsec_…) on this page."
            ),
        ),
        (Some(p), true) => line(
            part,
            true,
            "sip_openai_ready",
            params([("project_id", p), ("event", event), ("webhook_url", url)]),
            format!(
                "OpenAI project {p} and its webhook secret are set (the webhook must send {event} to {url})."
            ),
        ),
    }
}

/// The trunk's lines from what Twilio has now.
fn trunk_lines(found: &Found, sip_url: Option<&str>, number: &IncomingNumber) -> Vec<SetupCheck> {
    let press = "press \"Set up SIP trunk\"";
    let n = number.phone_number.as_str();
    let Some(trunk) = &found.trunk else {
        return vec![line(
            SetupPart::SipTrunk,
            false,
            "sip_trunk_missing",
            params([]),
            format!("There is no SIP trunk for this shop in Twilio yet: {press}."),
        )];
    };
    let mut lines = Vec::new();
    lines.push(if trunk.secure {
        line(SetupPart::SipTrunk, true, "sip_trunk_secure", params([("trunk", &trunk.sid)]),
            "The SIP trunk is there and encrypted (secure media and signalling, which OpenAI needs).")
    } else {
        line(SetupPart::SipTrunk, false, "sip_trunk_not_secure", params([("trunk", &trunk.sid)]),
            format!("The SIP trunk is not encrypted, so OpenAI will refuse its calls: {press}."))
    });
    let mode = trunk.transfer_mode.clone().unwrap_or_default();
    lines.push(if mode == TRANSFER_MODE {
        line(SetupPart::SipTransfer, true, "sip_transfers_on", params([]),
            "Transfers are on: the AI can put a caller through to the shop's phone.")
    } else {
        line(SetupPart::SipTransfer, false, "sip_transfers_off", params([("mode", &mode)]),
            format!("Transfers to phone numbers are off on the trunk, so a caller who asks for a person cannot be put through: {press}."))
    });
    let ours = sip_url.and_then(|u| found.origination_urls.iter().find(|o| o.sip_url == u));
    lines.push(match (sip_url, ours) {
        (_, Some(o)) if o.enabled => line(SetupPart::SipOrigination, true, "sip_origination_ok",
            params([("sip_url", &o.sip_url)]),
            format!("The trunk sends calls to the OpenAI project ({}).", o.sip_url)),
        (_, Some(o)) => line(SetupPart::SipOrigination, false, "sip_origination_disabled",
            params([("sip_url", &o.sip_url)]),
            format!("The trunk's address for OpenAI is switched off: {press}.")),
        (Some(want), None) => line(SetupPart::SipOrigination, false, "sip_origination_other",
            params([("sip_url", want)]),
            format!("The trunk does not send calls to the OpenAI project ({want}): {press}.")),
        (None, None) => line(SetupPart::SipOrigination, false, "sip_origination_unknown",
            params([]),
            "Add the OpenAI project id on this page, then press \"Set up SIP trunk\" so the trunk sends calls to it."),
    });
    lines.push(if number.trunk() == Some(trunk.sid.as_str()) {
        line(
            SetupPart::SipNumber,
            true,
            "sip_number_on_trunk",
            params([("number", n)]),
            format!("Calls to {n} go over the SIP trunk straight to OpenAI."),
        )
    } else {
        line(
            SetupPart::SipNumber,
            false,
            "sip_number_off_trunk",
            params([("number", n)]),
            format!("Calls to {n} do not go over the SIP trunk yet: {press}."),
        )
    });
    let dr = trunk
        .disaster_recovery_url
        .as_deref()
        .filter(|u| !u.is_empty());
    lines.push(match dr {
        Some(url) => line(SetupPart::SipDisasterRecovery, true, "sip_recovery_set",
            params([("url", url)]),
            format!("If OpenAI cannot take a call, Twilio runs the shop's backup ({url}), even while this PC is off.")),
        None => line(SetupPart::SipDisasterRecovery, false, "sip_recovery_missing", params([]),
            format!("If OpenAI cannot take a call, the caller hears an error and the call drops: {press}.")),
    });
    lines
}
