//! The Phone page's API: `GET /api/phone`, `PUT /api/phone/answering`,
//! `POST /api/phone/connect`, `POST /api/phone/sip-setup` and `POST /api/setup/check`.

use crate::tunnel::TunnelDto;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `GET /api/phone`.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct PhoneDto {
    /// The app's own tunnel.
    pub tunnel: TunnelDto,
    /// The address Twilio reaches: the tunnel's URL when online, else `PUBLIC_BASE_URL`.
    pub public_base_url: Option<String>,
    /// `<public base>/incoming-call`: the voice URL the Twilio number needs.
    pub incoming_call_url: Option<String>,
    /// Calls go straight to the shop's phone while paused.
    pub answering_paused: bool,
    /// The shop's Twilio number (E.164), the one callers dial.
    pub twilio_number: Option<String>,
    /// The voice URL "Connect my number" last set.
    pub connected_voice_url: Option<String>,
    /// Whether that voice URL is this shop's current `incoming_call_url`.
    pub connected: bool,
}

/// `PUT /api/phone/answering`.
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct AnsweringUpdate {
    /// `true`: calls go straight to the shop's phone; `false`: the AI answers.
    pub paused: bool,
}

/// `POST /api/phone/connect` succeeded.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ConnectResult {
    /// The number connected.
    pub phone_number: String,
    /// Its voice URL now.
    pub voice_url: String,
    /// What happened, in plain (English) words.
    pub message: String,
    /// What happened, as a stable code for the dashboard to word in its language:
    /// `connected`.
    pub code: String,
    /// Values the code's text needs (`number`, `voice_url`).
    #[ts(type = "Record<string, string>")]
    pub params: BTreeMap<String, String>,
}

/// `POST /api/phone/sip-setup` succeeded: the number's calls now go over the shop's
/// Elastic SIP trunk straight to the OpenAI project.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct SipSetupResult {
    /// The number now on the trunk.
    pub phone_number: String,
    /// The trunk (`TK…`).
    pub trunk_sid: String,
    /// Whether the trunk was made now (`false`: an earlier one was brought up to date).
    pub trunk_created: bool,
    /// Where the trunk sends calls (`sip:proj_…@sip.api.openai.com;transport=tls`).
    pub sip_url: String,
    /// Where Twilio sends a call OpenAI cannot take (the number's Studio fallback flow).
    pub disaster_recovery_url: String,
    /// What happened, in plain (English) words.
    pub message: String,
    /// What happened, as a stable code for the dashboard to word: `sip_connected`.
    pub code: String,
    /// Values the code's text needs (`number`, `sip_url`, `fallback`, `created`).
    #[ts(type = "Record<string, string>")]
    pub params: BTreeMap<String, String>,
}

/// One part of "Check setup".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum SetupPart {
    /// The OpenAI key (and model).
    Openai,
    /// The Twilio account, token and the shop's number.
    Twilio,
    /// The tunnel or `PUBLIC_BASE_URL`.
    PublicUrl,
    /// The shop's own phone (where callers go when the AI cannot serve).
    ShopPhone,
    /// Whether AI answering is paused.
    Answering,
    /// The Twilio-hosted fallback that answers the number when this PC cannot.
    Fallback,
    /// A SIP engine's OpenAI side: the project id and the webhook secret.
    SipOpenai,
    /// The Elastic SIP trunk: there, and secure (SRTP + TLS).
    SipTrunk,
    /// The trunk lets the AI hand a caller to the shop's phone.
    SipTransfer,
    /// The trunk's origination URL: the OpenAI project's SIP address.
    SipOrigination,
    /// The shop's number is on the trunk.
    SipNumber,
    /// The trunk's disaster-recovery URL (where calls go when OpenAI cannot take them).
    SipDisasterRecovery,
}

/// One line of "Check setup".
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct SetupCheck {
    /// Which part.
    pub part: SetupPart,
    /// Whether it is ready.
    pub ok: bool,
    /// What was found, or what is wrong and what to do, in English.
    pub message: String,
    /// The same as a stable code (e.g. `openai_ok`, `missing_twilio_number`,
    /// `address_unreachable`) for the dashboard to word in its language.
    pub code: String,
    /// Values the code's text needs (`{"url": "https://…", "why": "lan"}`); possibly empty.
    #[ts(type = "Record<string, string>")]
    pub params: BTreeMap<String, String>,
}
