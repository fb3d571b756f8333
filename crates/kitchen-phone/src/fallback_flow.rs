//! The Twilio-hosted fallback: a Studio Flow that answers the shop's number when this PC
//! cannot (switched off, load-shedding, no internet), so a caller still reaches the shop.
//!
//! Facts this relies on (Twilio's docs: Studio REST API v2, "Studio Flow Definition", the
//! Trigger, Connect Call To and Say/Play widgets, and "Availability and reliability"):
//! - A number's `VoiceFallbackUrl` is fetched when Twilio cannot get or run TwiML from its
//!   `VoiceUrl` (a timeout, an HTTP error, invalid TwiML). It can only be set together with
//!   a voice URL (error 21405). It is not used once a call is running: a media stream that
//!   dies mid-call moves on to the verbs after `</Connect>` instead.
//! - `POST https://studio.twilio.com/v2/Flows` creates a flow from `FriendlyName`,
//!   `Status` (`draft` or `published`) and `Definition` (JSON), with an optional
//!   `CommitMessage`; `POST /v2/Flows/{FW…}` updates one (`Status` required); `GET
//!   /v2/Flows` lists them (`{"flows": […], "meta": {"next_page_url": …}}`).
//! - A definition is `{"states": [...], "initial_state": "Trigger", "flags":
//!   {"allow_concurrent_calls": true}}`. The `trigger` state's `incomingCall` transition
//!   names the first widget. `connect-call-to` with `noun: "number"`, `to` and `caller_id`
//!   (`{{contact.channel.address}}`, the caller's number) bridges the call; `say-play`
//!   with `say`, `voice`, `language` and `loop` speaks, and its `audioComplete` transition
//!   without a `next` ends the flow, which hangs up.
//! - A flow's webhook URL, which a number's voice URLs can point at, is
//!   `https://webhooks.twilio.com/v1/Accounts/{AC…}/Flows/{FW…}` (the API returns it as
//!   `webhook_url`).
//!
//! One flow per Twilio number, found again by its fixed name ([`flow_name`]), so pressing
//! "Connect my number" twice updates the flow instead of adding another. The flow dials
//! the shop's phone as it was at the last connect: after the shop's phone changes, "Check
//! setup" says the backup is out of date ([`is_current`]) and "Connect my number"
//! republishes it. (A settings save does not reach out to Twilio by itself: saving must
//! work offline, and the owner sees the state in "Check setup".)

use crate::service::APOLOGY;
use serde_json::{Value, json};
use voice_protocol::twilio::twiml::{URDU_LANGUAGE, URDU_VOICE};

/// The fixed name of the fallback flow of the number `twilio_number` (E.164).
pub fn flow_name(twilio_number: &str) -> String {
    format!("Melt 8 Kitchen fallback {twilio_number}")
}

/// How long the shop's phone rings before the flow gives up (as the relay's `<Dial>`).
const RING_SECONDS: u32 = 30;

/// The flow's definition: an incoming call goes to `shop_phone`, or, with none, hears the
/// same Urdu apology as the relay's fallback and is hung up.
pub fn definition(shop_phone: Option<&str>) -> Value {
    let (first, widget) = match shop_phone {
        Some(phone) => (
            "to_shop",
            json!({"name": "to_shop", "type": "connect-call-to",
                "transitions": [{"event": "callCompleted"}, {"event": "hangup"}],
                "properties": {"offset": {"x": 0, "y": 200}, "noun": "number",
                    "to": phone, "caller_id": "{{contact.channel.address}}",
                    "timeout": RING_SECONDS}}),
        ),
        None => (
            "apology",
            json!({"name": "apology", "type": "say-play",
                "transitions": [{"event": "audioComplete"}],
                "properties": {"offset": {"x": 0, "y": 200}, "say": APOLOGY,
                    "voice": URDU_VOICE, "language": URDU_LANGUAGE, "loop": 1}}),
        ),
    };
    json!({
        "description": "Melt 8 Kitchen: answers the shop's number when the shop's PC cannot",
        "states": [
            {"name": "Trigger", "type": "trigger",
                "transitions": [
                    {"event": "incomingMessage"},
                    {"event": "incomingCall", "next": first},
                    {"event": "incomingConversationMessage"},
                    {"event": "incomingRequest"},
                    {"event": "incomingParent"}
                ],
                "properties": {"offset": {"x": 0, "y": 0}}},
            widget
        ],
        "initial_state": "Trigger",
        "flags": {"allow_concurrent_calls": true}
    })
}

/// Whether a flow's definition is the one [`definition`] builds for `shop_phone` now.
pub fn is_current(flow_definition: &Value, shop_phone: Option<&str>) -> bool {
    *flow_definition == definition(shop_phone)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_a_shop_phone_an_incoming_call_is_connected_to_it() {
        let d = definition(Some("+924235761234"));
        assert_eq!(d["initial_state"], "Trigger");
        let trigger = &d["states"][0];
        assert_eq!(trigger["type"], "trigger");
        let next = trigger["transitions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["event"] == "incomingCall")
            .unwrap()["next"]
            .clone();
        let widget = &d["states"][1];
        assert_eq!(widget["name"], next);
        assert_eq!(widget["type"], "connect-call-to");
        assert_eq!(widget["properties"]["noun"], "number");
        assert_eq!(widget["properties"]["to"], "+924235761234");
        assert!(is_current(&d, Some("+924235761234")));
        assert!(!is_current(&d, Some("+924235760000")));
        assert!(!is_current(&d, None));
    }

    #[test]
    fn without_one_the_caller_hears_the_urdu_apology_and_the_flow_ends() {
        let d = definition(None);
        let widget = &d["states"][1];
        assert_eq!(widget["type"], "say-play");
        assert_eq!(widget["properties"]["say"], APOLOGY);
        assert_eq!(widget["properties"]["language"], URDU_LANGUAGE);
        let t = &widget["transitions"][0];
        assert_eq!(t["event"], "audioComplete");
        assert!(t.get("next").is_none(), "no next state: the flow ends");
        assert_eq!(
            flow_name("+15005550006"),
            "Melt 8 Kitchen fallback +15005550006"
        );
    }
}
