//! Messages we send to Twilio on a bidirectional Media Streams WebSocket.

use super::frames::encode_payload;
use super::inbound::MarkName;
use serde::{Deserialize, Serialize};

/// A message we send to Twilio (bidirectional `<Connect><Stream>` only). A wrong shape or
/// `streamSid` makes Twilio report error 31951.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "lowercase")]
pub enum OutboundMessage {
    /// Audio to play to the caller.
    Media {
        /// The stream id from `start`.
        #[serde(rename = "streamSid")]
        stream_sid: String,
        /// The audio.
        media: OutboundMedia,
    },
    /// Ask Twilio to echo `name` once everything queued before it has played.
    Mark {
        /// The stream id from `start`.
        #[serde(rename = "streamSid")]
        stream_sid: String,
        /// The label to echo.
        mark: MarkName,
    },
    /// Drop all queued audio now (barge-in); pending marks are echoed at once.
    Clear {
        /// The stream id from `start`.
        #[serde(rename = "streamSid")]
        stream_sid: String,
    },
}

/// The body of an outbound `media` message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboundMedia {
    /// Base64 µ-law, 8 kHz mono, no header.
    pub payload: String,
}

impl OutboundMessage {
    /// A `media` message carrying these µ-law bytes.
    pub fn media(stream_sid: impl Into<String>, mulaw: &[u8]) -> OutboundMessage {
        OutboundMessage::Media {
            stream_sid: stream_sid.into(),
            media: OutboundMedia {
                payload: encode_payload(mulaw),
            },
        }
    }

    /// A `mark` message.
    pub fn mark(stream_sid: impl Into<String>, name: impl Into<String>) -> OutboundMessage {
        OutboundMessage::Mark {
            stream_sid: stream_sid.into(),
            mark: MarkName { name: name.into() },
        }
    }

    /// A `clear` message.
    pub fn clear(stream_sid: impl Into<String>) -> OutboundMessage {
        OutboundMessage::Clear {
            stream_sid: stream_sid.into(),
        }
    }

    /// The JSON text frame. Fails only if serde_json does; every field here is a string.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        // AI audio, 50 frames a second per call: built by hand when nothing needs escaping.
        if let OutboundMessage::Media { stream_sid, media } = self
            && crate::json_plain(stream_sid)
            && crate::json_plain(&media.payload)
        {
            const HEAD: &str = r#"{"event":"media","streamSid":""#;
            const MIDDLE: &str = r#"","media":{"payload":""#;
            let len = HEAD.len() + stream_sid.len() + MIDDLE.len() + media.payload.len() + 3;
            let mut json = String::with_capacity(len);
            json.push_str(HEAD);
            json.push_str(stream_sid);
            json.push_str(MIDDLE);
            json.push_str(&media.payload);
            json.push_str("\"}}");
            return Ok(json);
        }
        serde_json::to_string(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn wire(msg: &OutboundMessage) -> Value {
        serde_json::from_str(&msg.to_json().unwrap()).unwrap()
    }

    #[test]
    fn hand_built_media_json_is_what_serde_writes() {
        let msg = OutboundMessage::media("MZ0123abcd", &[0xff, 0x7f, 0x00, 0x10]);
        let fast = msg.to_json().unwrap();
        assert_eq!(fast, serde_json::to_string(&msg).unwrap());
        assert_eq!(wire(&msg)["media"]["payload"], "/38AEA==");
        // A stream id that needs escaping takes serde's path and stays valid JSON.
        let odd = OutboundMessage::media("MZ\"odd\\", &[1, 2, 3]);
        let json = odd.to_json().unwrap();
        let back: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back["streamSid"], "MZ\"odd\\");
    }

    #[test]
    fn media_carries_the_stream_sid_and_base64_payload() {
        let msg = OutboundMessage::media("MZ1", &[0xFF, 0x7F, 0x00]);
        assert_eq!(
            wire(&msg),
            json!({"event":"media","streamSid":"MZ1","media":{"payload":"/38A"}})
        );
    }

    #[test]
    fn mark_and_clear_have_twilios_exact_shape() {
        assert_eq!(
            wire(&OutboundMessage::mark("MZ1", "r1-17")),
            json!({"event":"mark","streamSid":"MZ1","mark":{"name":"r1-17"}})
        );
        assert_eq!(
            wire(&OutboundMessage::clear("MZ1")),
            json!({"event":"clear","streamSid":"MZ1"})
        );
    }

    #[test]
    fn outbound_messages_parse_back_for_a_fake_twilio() {
        for msg in [
            OutboundMessage::media("MZ1", &[1, 2, 3]),
            OutboundMessage::mark("MZ1", "m"),
            OutboundMessage::clear("MZ1"),
        ] {
            let text = msg.to_json().unwrap();
            assert_eq!(serde_json::from_str::<OutboundMessage>(&text).unwrap(), msg);
        }
    }
}
