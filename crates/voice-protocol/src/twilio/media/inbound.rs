//! Messages Twilio sends on a Media Streams WebSocket, read leniently and never with a panic.
//!
//! `sequenceNumber`, `chunk` and `timestamp` are strings on the wire; they stay strings here
//! (so a message re-serializes as received) and helpers read them as numbers.

use super::MediaError;
use super::frames::decode_payload;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use std::collections::BTreeMap;

/// Parses one of Twilio's numeric strings.
fn parse_number(field: &'static str, value: &str) -> Result<u64, MediaError> {
    value.parse().map_err(|_| MediaError::NotANumber {
        field,
        value: value.chars().take(40).collect(),
    })
}

/// A message Twilio sends on a Media Streams WebSocket.
///
/// Serializes back to Twilio's wire shape (a fake Twilio caller in tests uses that); read
/// with [`InboundMessage::parse`], which never fails on an unknown event name.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "lowercase")]
pub enum InboundMessage {
    /// The socket is open; always the first message.
    Connected(Connected),
    /// The stream's metadata, including our `<Parameter>`s; sent once, before any media.
    Start(Start),
    /// One chunk of caller audio (20 ms of µ-law).
    Media(Media),
    /// The caller pressed a key.
    Dtmf(Dtmf),
    /// Audio we queued before a mark of ours has finished playing (or was cleared).
    Mark(Mark),
    /// The stream ended (hang-up, or the call left `<Connect>`).
    Stop(Stop),
    /// An event this crate does not know; logged and ignored by the relay.
    #[serde(untagged)]
    Unknown(UnknownMessage),
}

impl InboundMessage {
    /// Parses one text frame. Never panics; unknown event names give [`Self::Unknown`].
    pub fn parse(text: &str) -> Result<InboundMessage, MediaError> {
        // Fast path (50 `media` messages a second per call): read the event name without
        // building a JSON tree, then the known body straight from the text. Anything odd
        // takes the general path below, which gives the precise error.
        #[derive(Deserialize)]
        struct Tag<'a> {
            #[serde(borrow)]
            event: Option<std::borrow::Cow<'a, str>>,
        }
        fn direct<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
            serde_json::from_str(text).ok()
        }
        if let Ok(Tag { event: Some(event) }) = serde_json::from_str::<Tag<'_>>(text) {
            let fast = match event.as_ref() {
                "media" => direct(text).map(InboundMessage::Media),
                "mark" => direct(text).map(InboundMessage::Mark),
                "stop" => direct(text).map(InboundMessage::Stop),
                "start" => direct(text).map(InboundMessage::Start),
                _ => None,
            };
            if let Some(message) = fast {
                return Ok(message);
            }
        }
        let value: Value = serde_json::from_str(text).map_err(MediaError::NotJson)?;
        InboundMessage::from_value(value)
    }

    /// Reads an already parsed JSON value, with the same rules as [`Self::parse`].
    pub fn from_value(value: Value) -> Result<InboundMessage, MediaError> {
        let Some(event) = value.get("event").and_then(Value::as_str) else {
            return Err(MediaError::MissingEvent);
        };
        let event = event.to_owned();
        // Each known body deserializes from the whole object; serde ignores the `event` key.
        fn body<T: serde::de::DeserializeOwned>(
            event: &str,
            value: Value,
        ) -> Result<T, MediaError> {
            serde_json::from_value(value).map_err(|source| MediaError::Malformed {
                event: event.to_owned(),
                source,
            })
        }
        Ok(match event.as_str() {
            "connected" => InboundMessage::Connected(body(&event, value)?),
            "start" => InboundMessage::Start(body(&event, value)?),
            "media" => InboundMessage::Media(body(&event, value)?),
            "dtmf" => InboundMessage::Dtmf(body(&event, value)?),
            "mark" => InboundMessage::Mark(body(&event, value)?),
            "stop" => InboundMessage::Stop(body(&event, value)?),
            _ => InboundMessage::Unknown(UnknownMessage { event, raw: value }),
        })
    }

    /// The wire event name (`media`, `mark`, … or the unknown name as received).
    pub fn event_name(&self) -> &str {
        match self {
            InboundMessage::Connected(_) => "connected",
            InboundMessage::Start(_) => "start",
            InboundMessage::Media(_) => "media",
            InboundMessage::Dtmf(_) => "dtmf",
            InboundMessage::Mark(_) => "mark",
            InboundMessage::Stop(_) => "stop",
            InboundMessage::Unknown(unknown) => &unknown.event,
        }
    }

    /// The stream this message belongs to (`connected` and unknown events carry none).
    pub fn stream_sid(&self) -> Option<&str> {
        match self {
            InboundMessage::Start(m) => Some(&m.stream_sid),
            InboundMessage::Media(m) => Some(&m.stream_sid),
            InboundMessage::Dtmf(m) => Some(&m.stream_sid),
            InboundMessage::Mark(m) => Some(&m.stream_sid),
            InboundMessage::Stop(m) => Some(&m.stream_sid),
            InboundMessage::Connected(_) | InboundMessage::Unknown(_) => None,
        }
    }

    /// The message's `sequenceNumber` as a number, when it has one.
    pub fn sequence_number(&self) -> Option<Result<u64, MediaError>> {
        let text = match self {
            InboundMessage::Start(m) => &m.sequence_number,
            InboundMessage::Media(m) => &m.sequence_number,
            InboundMessage::Dtmf(m) => &m.sequence_number,
            InboundMessage::Mark(m) => &m.sequence_number,
            InboundMessage::Stop(m) => &m.sequence_number,
            InboundMessage::Connected(_) | InboundMessage::Unknown(_) => return None,
        };
        Some(parse_number("sequenceNumber", text))
    }
}

/// Reads through [`InboundMessage::from_value`], so unknown events never fail.
impl<'de> Deserialize<'de> for InboundMessage {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        InboundMessage::from_value(value).map_err(serde::de::Error::custom)
    }
}

/// An inbound event this crate does not model, kept whole.
#[derive(Debug, Clone, PartialEq)]
pub struct UnknownMessage {
    /// The `event` name as received.
    pub event: String,
    /// The whole message.
    pub raw: Value,
}

/// Serializes as the raw message it was read from.
impl Serialize for UnknownMessage {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.raw.serialize(serializer)
    }
}

/// `connected`: the WebSocket is up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Connected {
    /// Always `Call` today.
    #[serde(default)]
    pub protocol: String,
    /// Protocol version, e.g. `1.0.0`.
    #[serde(default)]
    pub version: String,
}

/// `start`: the stream's metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Start {
    /// Message counter, as Twilio's string.
    pub sequence_number: String,
    /// The stream id (`MZ…`) every outbound message must repeat.
    pub stream_sid: String,
    /// The metadata proper.
    pub start: StartMetadata,
}

/// The body of a `start` message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StartMetadata {
    /// The Twilio account (`AC…`).
    pub account_sid: String,
    /// The stream id (`MZ…`), same as the envelope's.
    pub stream_sid: String,
    /// The call (`CA…`).
    pub call_sid: String,
    /// Tracks streamed, e.g. `["inbound"]`.
    #[serde(default)]
    pub tracks: Vec<String>,
    /// Our `<Parameter name value>` pairs from the TwiML: the way per-call data reaches the
    /// socket, since Twilio drops the Stream URL's query string.
    #[serde(default)]
    pub custom_parameters: BTreeMap<String, String>,
    /// The audio encoding of the stream.
    pub media_format: MediaFormat,
}

/// Audio format of a stream: `audio/x-mulaw`, 8000 Hz, 1 channel for phone calls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MediaFormat {
    /// MIME-like encoding name, `audio/x-mulaw`.
    pub encoding: String,
    /// Samples per second, 8000.
    pub sample_rate: u32,
    /// Channel count, 1.
    pub channels: u16,
}

impl MediaFormat {
    /// True for the 8 kHz mono µ-law that `audio/pcmu` on the Realtime side expects.
    pub fn is_mulaw_8k_mono(&self) -> bool {
        self.encoding.eq_ignore_ascii_case("audio/x-mulaw")
            && self.sample_rate == 8000
            && self.channels == 1
    }
}

/// `media`: one chunk of caller audio.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Media {
    /// Message counter, as Twilio's string.
    pub sequence_number: String,
    /// The stream id.
    pub stream_sid: String,
    /// The chunk.
    pub media: MediaChunk,
}

/// The body of an inbound `media` message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaChunk {
    /// `inbound` (the caller) or `outbound`.
    #[serde(default)]
    pub track: String,
    /// Chunk counter, as Twilio's string.
    pub chunk: String,
    /// Milliseconds since the stream started, as Twilio's string.
    pub timestamp: String,
    /// Base64 µ-law audio.
    pub payload: String,
}

impl MediaChunk {
    /// `chunk` as a number.
    pub fn chunk_number(&self) -> Result<u64, MediaError> {
        parse_number("chunk", &self.chunk)
    }

    /// `timestamp` (ms since stream start) as a number.
    pub fn timestamp_ms(&self) -> Result<u64, MediaError> {
        parse_number("timestamp", &self.timestamp)
    }

    /// The payload's µ-law bytes.
    pub fn audio(&self) -> Result<Vec<u8>, MediaError> {
        decode_payload(&self.payload)
    }
}

/// `dtmf`: a key press.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Dtmf {
    /// Message counter, as Twilio's string.
    pub sequence_number: String,
    /// The stream id.
    pub stream_sid: String,
    /// The key.
    pub dtmf: DtmfDigit,
}

/// The body of a `dtmf` message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DtmfDigit {
    /// `inbound_track`.
    #[serde(default)]
    pub track: String,
    /// `0`–`9`, `*` or `#`.
    pub digit: String,
}

/// `mark`: Twilio echoing one of our marks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Mark {
    /// Message counter, as Twilio's string.
    pub sequence_number: String,
    /// The stream id.
    pub stream_sid: String,
    /// The mark's name, as we sent it.
    pub mark: MarkName,
}

/// The body of a `mark` message, either direction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkName {
    /// The label.
    pub name: String,
}

/// `stop`: the stream ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Stop {
    /// Message counter, as Twilio's string.
    pub sequence_number: String,
    /// The stream id.
    pub stream_sid: String,
    /// Which call ended.
    #[serde(default)]
    pub stop: StopMetadata,
}

/// The body of a `stop` message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StopMetadata {
    /// The Twilio account.
    #[serde(default)]
    pub account_sid: String,
    /// The call.
    #[serde(default)]
    pub call_sid: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    const START: &str = r#"{"event":"start","sequenceNumber":"1","streamSid":"MZ18ad3ab5a668481ce02b83e7395059f0","start":{"accountSid":"AC00000000000000000000000000000000","streamSid":"MZ18ad3ab5a668481ce02b83e7395059f0","callSid":"CA11111111111111111111111111111111","tracks":["inbound"],"customParameters":{"caller":"+923001234567","token":"one-time-token"},"mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1}}}"#;
    const MEDIA: &str = r#"{"event":"media","sequenceNumber":"3","streamSid":"MZ1","media":{"track":"inbound","chunk":"1","timestamp":"5","payload":"/38A"}}"#;

    #[test]
    fn every_documented_twilio_event_parses_into_its_variant() {
        let connected = r#"{"event":"connected","protocol":"Call","version":"1.0.0"}"#;
        let dtmf = r#"{"event":"dtmf","sequenceNumber":"5","streamSid":"MZ1","dtmf":{"track":"inbound_track","digit":"1"}}"#;
        let mark =
            r#"{"event":"mark","sequenceNumber":"4","streamSid":"MZ1","mark":{"name":"r1-17"}}"#;
        let stop = r#"{"event":"stop","sequenceNumber":"5","streamSid":"MZ1","stop":{"accountSid":"AC1","callSid":"CA1"}}"#;

        let InboundMessage::Connected(c) = InboundMessage::parse(connected).unwrap() else {
            panic!("connected")
        };
        assert_eq!((c.protocol.as_str(), c.version.as_str()), ("Call", "1.0.0"));

        let InboundMessage::Start(s) = InboundMessage::parse(START).unwrap() else {
            panic!("start")
        };
        assert_eq!(s.start.call_sid, "CA11111111111111111111111111111111");
        assert_eq!(s.start.custom_parameters["caller"], "+923001234567");
        assert_eq!(s.start.custom_parameters["token"], "one-time-token");
        assert!(s.start.media_format.is_mulaw_8k_mono());

        let InboundMessage::Media(m) = InboundMessage::parse(MEDIA).unwrap() else {
            panic!("media")
        };
        assert_eq!(m.media.audio().unwrap(), vec![0xFF, 0x7F, 0x00]);
        assert_eq!(m.media.chunk_number().unwrap(), 1);
        assert_eq!(m.media.timestamp_ms().unwrap(), 5);

        let InboundMessage::Dtmf(d) = InboundMessage::parse(dtmf).unwrap() else {
            panic!("dtmf")
        };
        assert_eq!(d.dtmf.digit, "1");
        let InboundMessage::Mark(k) = InboundMessage::parse(mark).unwrap() else {
            panic!("mark")
        };
        assert_eq!(k.mark.name, "r1-17");
        let InboundMessage::Stop(p) = InboundMessage::parse(stop).unwrap() else {
            panic!("stop")
        };
        assert_eq!(p.stop.call_sid, "CA1");
    }

    #[test]
    fn a_start_without_custom_parameters_has_an_empty_map() {
        let text = START.replace(
            r#""customParameters":{"caller":"+923001234567","token":"one-time-token"},"#,
            "",
        );
        assert_ne!(text, START);
        let InboundMessage::Start(s) = InboundMessage::parse(&text).unwrap() else {
            panic!("start")
        };
        assert!(s.start.custom_parameters.is_empty());
    }

    #[test]
    fn an_unknown_event_is_kept_with_its_name_not_rejected() {
        let msg =
            InboundMessage::parse(r#"{"event":"transcription","streamSid":"MZ1","x":1}"#).unwrap();
        assert_eq!(msg.event_name(), "transcription");
        let InboundMessage::Unknown(unknown) = &msg else {
            panic!("unknown")
        };
        assert_eq!(unknown.raw["x"], 1);
        assert_eq!(msg.stream_sid(), None);
    }

    #[test]
    fn messages_serialize_back_to_the_wire_shape_they_were_read_from() {
        let unknown = r#"{"event":"future","a":[1,2]}"#;
        for text in [START, MEDIA, unknown] {
            let msg = InboundMessage::parse(text).unwrap();
            let again = serde_json::to_string(&msg).unwrap();
            let wire: Value = serde_json::from_str(text).unwrap();
            assert_eq!(serde_json::from_str::<Value>(&again).unwrap(), wire);
            assert_eq!(serde_json::from_str::<InboundMessage>(&again).unwrap(), msg);
        }
    }

    #[test]
    fn sequence_numbers_and_stream_sids_are_read_from_any_event() {
        let msg = InboundMessage::parse(MEDIA).unwrap();
        assert_eq!(msg.stream_sid(), Some("MZ1"));
        assert_eq!(msg.sequence_number().unwrap().unwrap(), 3);
        let connected = InboundMessage::parse(r#"{"event":"connected"}"#).unwrap();
        assert!(connected.sequence_number().is_none());
    }

    #[test]
    fn numbers_too_big_or_not_numeric_are_errors_not_panics() {
        for bad in ["99999999999999999999999", "-1", "1.5", "", "abc", "１"] {
            let text = MEDIA.replace(r#""chunk":"1""#, &format!(r#""chunk":"{bad}""#));
            let InboundMessage::Media(m) = InboundMessage::parse(&text).unwrap() else {
                panic!("media")
            };
            assert!(
                matches!(
                    m.media.chunk_number(),
                    Err(MediaError::NotANumber { field: "chunk", .. })
                ),
                "{bad:?}"
            );
        }
        let long = "9".repeat(10_000);
        let text = MEDIA.replace(r#""timestamp":"5""#, &format!(r#""timestamp":"{long}""#));
        let InboundMessage::Media(m) = InboundMessage::parse(&text).unwrap() else {
            panic!("media")
        };
        let Err(MediaError::NotANumber { value, .. }) = m.media.timestamp_ms() else {
            panic!("timestamp")
        };
        assert_eq!(value.len(), 40);
    }

    #[test]
    fn a_known_event_missing_a_field_is_a_malformed_error() {
        let no_payload = MEDIA.replace(r#","payload":"/38A""#, "");
        assert!(matches!(
            InboundMessage::parse(&no_payload),
            Err(MediaError::Malformed { event, .. }) if event == "media"
        ));
        let bad_rate = START.replace("8000", "80000000000");
        assert!(matches!(
            InboundMessage::parse(&bad_rate),
            Err(MediaError::Malformed { event, .. }) if event == "start"
        ));
    }

    #[test]
    fn garbage_never_panics_and_is_an_error() {
        let deep = "[".repeat(100_000);
        let inputs = [
            "",
            "null",
            "[]",
            "42",
            "\"media\"",
            "{",
            "{\"event\":7}",
            "{\"event\":null}",
            "{\"streamSid\":\"MZ\"}",
            "\u{0}\u{1}\u{fffd}\u{7f}",
            "{\"event\":\"media\",\"media\":1e999999}",
            deep.as_str(),
        ];
        for input in inputs {
            assert!(InboundMessage::parse(input).is_err(), "{input:?}");
        }
        // Every prefix of a valid message, and every single-byte corruption of it.
        for end in 0..MEDIA.len() {
            let _ = InboundMessage::parse(&MEDIA[..end]);
        }
        for (i, _) in MEDIA.char_indices() {
            let mut s = MEDIA.to_owned();
            s.replace_range(i..=i, "\u{1}");
            let _ = InboundMessage::parse(&s);
        }
    }
}
