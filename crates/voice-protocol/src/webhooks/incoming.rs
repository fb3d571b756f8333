//! The bodies of OpenAI's incoming-SIP-call webhooks: `live.transport.incoming` (GPT-Live;
//! the deprecated `live.call.incoming` has the same data minus `data.type`) and
//! `realtime.call.incoming` (Realtime API). One SIP call raises both; the first successful
//! accept decides which engine serves it.
//!
//! Every other event type parses as [`WebhookEvent::Other`]: OpenAI adds event types, and a
//! project webhook may be subscribed to more than these.

use serde::Deserialize;

/// One SIP header of the INVITE, as OpenAI forwards it (order and repeats kept).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SipHeader {
    /// Header name, e.g. `From`.
    pub name: String,
    /// Header value as received.
    pub value: String,
}

/// `data` of `live.transport.incoming` / `live.call.incoming`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct LiveIncoming {
    /// `live_…`: the id for accept, reject, refer, hangup and attach.
    pub session_id: String,
    /// The INVITE's headers, authorization headers removed.
    #[serde(default)]
    pub sip_headers: Vec<SipHeader>,
}

/// `data` of `realtime.call.incoming`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RealtimeIncoming {
    /// `rtc_…`: the id for accept, reject, refer, hangup and the sideband.
    pub call_id: String,
    /// The INVITE's headers, authorization headers removed.
    #[serde(default)]
    pub sip_headers: Vec<SipHeader>,
}

/// A webhook body, by its `type`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "type")]
pub enum WebhookEvent {
    /// A SIP call GPT-Live could accept.
    #[serde(rename = "live.transport.incoming", alias = "live.call.incoming")]
    LiveIncoming {
        /// The event id (`evt_…`).
        id: String,
        /// The call.
        data: LiveIncoming,
    },
    /// A SIP call the Realtime API could accept.
    #[serde(rename = "realtime.call.incoming")]
    RealtimeIncoming {
        /// The event id (`evt_…`).
        id: String,
        /// The call.
        data: RealtimeIncoming,
    },
    /// Any other event type: acknowledged and ignored.
    #[serde(other)]
    Other,
}

/// Why a webhook body could not be read.
#[derive(Debug, thiserror::Error)]
#[error("webhook body is not a known OpenAI event: {0}")]
pub struct PayloadError(#[from] serde_json::Error);

impl WebhookEvent {
    /// Parses a (verified) webhook body. A known type with missing fields is an error; an
    /// unknown type is [`WebhookEvent::Other`].
    pub fn parse(body: &[u8]) -> Result<Self, PayloadError> {
        Ok(serde_json::from_slice(body)?)
    }

    /// The call's SIP headers, for either incoming type.
    pub fn sip_headers(&self) -> &[SipHeader] {
        match self {
            WebhookEvent::LiveIncoming { data, .. } => &data.sip_headers,
            WebhookEvent::RealtimeIncoming { data, .. } => &data.sip_headers,
            WebhookEvent::Other => &[],
        }
    }
}

/// The value of the first header called `name` (case-insensitive, as SIP header names are;
/// `f` is the compact form of `From`).
pub fn header<'a>(headers: &'a [SipHeader], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|h| {
            h.name.eq_ignore_ascii_case(name)
                || (name.eq_ignore_ascii_case("From") && h.name.eq_ignore_ascii_case("f"))
        })
        .map(|h| h.value.as_str())
}

/// The caller's number from the `From` header, as the user part of its `sip:`/`sips:`/`tel:`
/// URI: `"Ali" <sip:+923001234567@pstn.twilio.com>;tag=1` gives `+923001234567`. Returns
/// what the URI carries (digits with an optional leading `+`), or `None` for an anonymous,
/// alphanumeric or missing caller. **Untrusted**: anyone can write a From header, so this is
/// only a call-back suggestion the caller must confirm.
pub fn caller_number(headers: &[SipHeader]) -> Option<String> {
    let from = header(headers, "From")?;
    // The URI is inside <…> when there is a display name or parameters; else it is bare.
    let uri = match (from.find('<'), from.find('>')) {
        (Some(open), Some(close)) if open < close => &from[open + 1..close],
        _ => from.split(';').next().unwrap_or(from).trim(),
    };
    let lower = uri.to_ascii_lowercase();
    let rest = ["sips:", "sip:", "tel:"]
        .iter()
        .find_map(|scheme| lower.strip_prefix(scheme).map(|_| &uri[scheme.len()..]))?;
    let user = rest
        .split(['@', ';', '?'])
        .next()
        .unwrap_or_default()
        .trim();
    let digits = user.strip_prefix('+').unwrap_or(user);
    let plausible = (5..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit());
    plausible.then(|| user.to_owned())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn from(value: &str) -> Vec<SipHeader> {
        vec![SipHeader {
            name: "From".into(),
            value: value.into(),
        }]
    }

    #[test]
    fn the_callers_number_comes_from_sip_and_tel_uris() {
        for (value, number) in [
            (
                "\"Ali\" <sip:+923001234567@pstn.twilio.com>;tag=1",
                Some("+923001234567"),
            ),
            (
                "<sip:+923001234567@1.2.3.4:5060;user=phone>",
                Some("+923001234567"),
            ),
            ("sip:03001234567@pstn.twilio.com;tag=x", Some("03001234567")),
            ("<tel:+923001234567>;tag=9", Some("+923001234567")),
            ("<SIPS:+923001234567@x>", Some("+923001234567")),
            (
                "\"Anonymous\" <sip:anonymous@anonymous.invalid>;tag=2",
                None,
            ),
            ("<sip:+92@x>", None),
            ("garbage", None),
            ("<sip:", None),
            ("", None),
        ] {
            assert_eq!(caller_number(&from(value)).as_deref(), number, "{value}");
        }
        assert_eq!(caller_number(&[]), None);
        let compact = vec![SipHeader {
            name: "f".into(),
            value: "<tel:+923001234567>".into(),
        }];
        assert_eq!(caller_number(&compact).as_deref(), Some("+923001234567"));
    }

    #[test]
    fn both_incoming_types_parse_and_others_are_other() {
        let live = br#"{"object":"event","id":"evt_1","type":"live.transport.incoming","created_at":1,
            "data":{"type":"sip","session_id":"live_1","sip_headers":[{"name":"From","value":"<tel:+923001234567>"}]}}"#;
        let WebhookEvent::LiveIncoming { data, .. } = WebhookEvent::parse(live).unwrap() else {
            panic!("not live");
        };
        assert_eq!(data.session_id, "live_1");
        let old = br#"{"id":"evt_2","type":"live.call.incoming","created_at":1,"data":{"session_id":"live_2","sip_headers":[]}}"#;
        assert!(matches!(
            WebhookEvent::parse(old).unwrap(),
            WebhookEvent::LiveIncoming { .. }
        ));
        let rt = br#"{"id":"evt_3","type":"realtime.call.incoming","created_at":1,"data":{"call_id":"rtc_1","sip_headers":[]}}"#;
        assert!(matches!(
            WebhookEvent::parse(rt).unwrap(),
            WebhookEvent::RealtimeIncoming { .. }
        ));
        let other = br#"{"id":"evt_4","type":"response.completed","created_at":1,"data":{}}"#;
        assert_eq!(WebhookEvent::parse(other).unwrap(), WebhookEvent::Other);
        let broken = br#"{"id":"evt_5","type":"realtime.call.incoming","data":{}}"#;
        assert!(WebhookEvent::parse(broken).is_err());
        assert!(WebhookEvent::parse(b"not json").is_err());
    }
}
