//! [`FakeTwilioRest`]: kitchen-demo's fake Twilio REST API (call updates and hang-ups, the
//! account's incoming numbers, Studio flows, Elastic SIP trunks) plus sending an SMS
//! (`POST Messages.json`), which the demo never needs.

pub use kitchen_demo::twilio_rest::{
    IncomingNumber, OriginationUrl, RecordedRequest, RequestKind, Trunk, twilio_error,
};

use kitchen_demo::ids::twilio_sid;
use serde_json::{Value, json};
use std::ops::Deref;

/// A fake Twilio REST API on `127.0.0.1` that also takes SMS; the rest of its API is
/// [`kitchen_demo::FakeTwilioRest`]'s (through `Deref`). Stops on drop.
#[derive(Debug)]
pub struct FakeTwilioRest(kitchen_demo::FakeTwilioRest);

impl FakeTwilioRest {
    /// Starts a fake that accepts HTTP Basic `account_sid:auth_token`.
    pub async fn start(account_sid: &str, auth_token: &str) -> anyhow::Result<FakeTwilioRest> {
        kitchen_demo::FakeTwilioRest::start_with(account_sid, auth_token, Some(message))
            .await
            .map(FakeTwilioRest)
    }
}

impl Deref for FakeTwilioRest {
    type Target = kitchen_demo::FakeTwilioRest;

    fn deref(&self) -> &kitchen_demo::FakeTwilioRest {
        &self.0
    }
}

/// `POST Messages.json`: Twilio's checks of `To`, `From` and `Body`, then a queued message.
fn message(account_sid: &str, form: &[(String, String)]) -> (u16, Value) {
    let field = |n: &str| form.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str());
    let missing = if field("To").is_none() {
        Some((21604, "A 'To' phone number is required."))
    } else if field("From").is_none() && field("MessagingServiceSid").is_none() {
        Some((21603, "A 'From' phone number is required."))
    } else if field("Body").is_none() {
        Some((21602, "Message body is required."))
    } else {
        None
    };
    if let Some((code, msg)) = missing {
        return twilio_error(400, code, msg);
    }
    let text = field("Body").unwrap_or_default();
    let body = json!({"sid": twilio_sid("SM"), "account_sid": account_sid,
        "to": field("To"), "from": field("From"), "body": text, "status": "queued",
        "num_segments": segments(text).to_string(), "api_version": "2010-04-01"});
    (201, body)
}

/// SMS segments: GSM-7 text fits 160 (153 when split); anything else (Urdu) is UCS-2,
/// 70 (67 when split).
pub fn segments(text: &str) -> usize {
    let ucs2 = !text.is_ascii();
    let units = if ucs2 {
        text.encode_utf16().count()
    } else {
        text.len()
    };
    let (single, multi) = if ucs2 { (70, 67) } else { (160, 153) };
    if units <= single {
        1
    } else {
        units.div_ceil(multi)
    }
}
