//! TwiML, the XML we answer Twilio's voice webhooks with, built from typed verbs.
//!
//! Every attribute value and text node is escaped (`& < > " '`, and tab/CR/LF as character
//! references so attribute values survive XML normalisation); characters XML 1.0 cannot carry
//! at all (most C0 controls, U+FFFE/U+FFFF) are dropped. A caller-controlled value can never
//! add a verb: `"/><Hangup/>` stays text.

/// The Google voice that speaks Urdu (Twilio has no `ur-PK` and no Polly Urdu).
pub const URDU_VOICE: &str = "Google.ur-IN-Standard-A";
/// The language tag that goes with [`URDU_VOICE`].
pub const URDU_LANGUAGE: &str = "ur-IN";

/// A `<Response>`: verbs Twilio runs in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Response {
    verbs: Vec<Verb>,
}

/// One TwiML verb.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verb {
    /// `<Connect><Stream …>`: a bidirectional Media Stream. Verbs after it run only once our
    /// server closes the WebSocket, so they make a natural fallback.
    Connect(Stream),
    /// `<Say>`: text-to-speech.
    Say(Say),
    /// `<Dial><Number>`: hand the call to a person.
    Dial(Dial),
    /// `<Hangup/>`: end the call.
    Hangup,
    /// `<Pause length="…"/>`: silence, in seconds.
    Pause {
        /// Seconds of silence.
        length_seconds: u32,
    },
}

/// The `<Stream>` inside `<Connect>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stream {
    /// `wss://` URL of our media WebSocket. Twilio drops its query string: per-call data goes
    /// in [`parameters`](Self::parameters).
    pub url: String,
    /// Where Twilio reports stream status changes, if anywhere.
    pub status_callback: Option<String>,
    /// `<Parameter>`s, delivered in `start.customParameters`.
    pub parameters: Vec<Parameter>,
}

/// A `<Parameter name value/>` of a `<Stream>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter {
    /// The key in `customParameters`.
    pub name: String,
    /// The value.
    pub value: String,
}

/// A `<Say>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Say {
    /// What to say.
    pub text: String,
    /// The `voice` attribute.
    pub voice: String,
    /// The `language` attribute.
    pub language: String,
}

/// A `<Dial>` of one phone number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dial {
    /// The number to ring, E.164.
    pub number: String,
    /// Seconds to ring before giving up (Twilio's default is 30).
    pub timeout_seconds: Option<u32>,
}

impl Response {
    /// An empty response.
    pub fn new() -> Response {
        Response::default()
    }

    /// Appends a verb.
    pub fn verb(mut self, verb: Verb) -> Response {
        self.verbs.push(verb);
        self
    }

    /// Appends `<Connect><Stream>`.
    pub fn connect(self, stream: Stream) -> Response {
        self.verb(Verb::Connect(stream))
    }

    /// Appends a `<Say>`.
    pub fn say(self, say: Say) -> Response {
        self.verb(Verb::Say(say))
    }

    /// Appends a `<Dial>`.
    pub fn dial(self, dial: Dial) -> Response {
        self.verb(Verb::Dial(dial))
    }

    /// Appends `<Hangup/>`.
    pub fn hangup(self) -> Response {
        self.verb(Verb::Hangup)
    }

    /// Appends `<Pause length="…"/>`.
    pub fn pause(self, length_seconds: u32) -> Response {
        self.verb(Verb::Pause { length_seconds })
    }

    /// The verbs so far.
    pub fn verbs(&self) -> &[Verb] {
        &self.verbs
    }

    /// The TwiML document, with the XML declaration.
    pub fn render(&self) -> String {
        let mut out = String::from(r#"<?xml version="1.0" encoding="UTF-8"?><Response>"#);
        for verb in &self.verbs {
            render_verb(&mut out, verb);
        }
        out.push_str("</Response>");
        out
    }
}

impl Stream {
    /// A stream to `url`, no status callback, no parameters.
    pub fn new(url: impl Into<String>) -> Stream {
        Stream {
            url: url.into(),
            status_callback: None,
            parameters: Vec::new(),
        }
    }

    /// Sets the `statusCallback` URL.
    pub fn status_callback(mut self, url: impl Into<String>) -> Stream {
        self.status_callback = Some(url.into());
        self
    }

    /// Adds a `<Parameter>`.
    pub fn parameter(mut self, name: impl Into<String>, value: impl Into<String>) -> Stream {
        self.parameters.push(Parameter {
            name: name.into(),
            value: value.into(),
        });
        self
    }
}

impl Say {
    /// Urdu speech with [`URDU_VOICE`] and [`URDU_LANGUAGE`].
    pub fn urdu(text: impl Into<String>) -> Say {
        Say {
            text: text.into(),
            voice: URDU_VOICE.to_owned(),
            language: URDU_LANGUAGE.to_owned(),
        }
    }
}

impl Dial {
    /// Rings `number` with Twilio's default timeout.
    pub fn number(number: impl Into<String>) -> Dial {
        Dial {
            number: number.into(),
            timeout_seconds: None,
        }
    }

    /// Sets the ring timeout in seconds.
    pub fn timeout(mut self, seconds: u32) -> Dial {
        self.timeout_seconds = Some(seconds);
        self
    }
}

fn render_verb(out: &mut String, verb: &Verb) {
    match verb {
        Verb::Connect(stream) => {
            out.push_str("<Connect><Stream");
            attr(out, "url", &stream.url);
            if let Some(callback) = &stream.status_callback {
                attr(out, "statusCallback", callback);
            }
            if stream.parameters.is_empty() {
                out.push_str("/>");
            } else {
                out.push('>');
                for p in &stream.parameters {
                    out.push_str("<Parameter");
                    attr(out, "name", &p.name);
                    attr(out, "value", &p.value);
                    out.push_str("/>");
                }
                out.push_str("</Stream>");
            }
            out.push_str("</Connect>");
        }
        Verb::Say(say) => {
            out.push_str("<Say");
            attr(out, "voice", &say.voice);
            attr(out, "language", &say.language);
            out.push('>');
            escape_into(out, &say.text);
            out.push_str("</Say>");
        }
        Verb::Dial(dial) => {
            out.push_str("<Dial");
            if let Some(seconds) = dial.timeout_seconds {
                attr(out, "timeout", &seconds.to_string());
            }
            out.push_str("><Number>");
            escape_into(out, &dial.number);
            out.push_str("</Number></Dial>");
        }
        Verb::Hangup => out.push_str("<Hangup/>"),
        Verb::Pause { length_seconds } => {
            out.push_str("<Pause");
            attr(out, "length", &length_seconds.to_string());
            out.push_str("/>");
        }
    }
}

/// Writes ` name="escaped value"`; `name` is always one of our literals.
fn attr(out: &mut String, name: &str, value: &str) {
    out.push(' ');
    out.push_str(name);
    out.push_str("=\"");
    escape_into(out, value);
    out.push('"');
}

/// Escapes `text` for an attribute value or a text node.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}' => {
                out.push(c)
            }
            // Not an XML 1.0 character even as a reference: dropped.
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DECL: &str = r#"<?xml version="1.0" encoding="UTF-8"?>"#;

    #[test]
    fn the_media_stream_answer_matches_the_documented_twiml() {
        let twiml = Response::new()
            .connect(
                Stream::new("wss://pizza.example.ngrok.app/media-stream")
                    .status_callback("https://pizza.example.ngrok.app/twilio/stream-status")
                    .parameter("caller", "+923001234567")
                    .parameter("token", "one-time-token"),
            )
            .render();
        assert_eq!(
            twiml,
            format!(
                "{DECL}<Response><Connect><Stream url=\"wss://pizza.example.ngrok.app/media-stream\" \
                 statusCallback=\"https://pizza.example.ngrok.app/twilio/stream-status\">\
                 <Parameter name=\"caller\" value=\"+923001234567\"/>\
                 <Parameter name=\"token\" value=\"one-time-token\"/>\
                 </Stream></Connect></Response>"
            )
        );
    }

    #[test]
    fn fallback_verbs_render_in_order_with_their_attributes() {
        let twiml = Response::new()
            .say(Say::urdu("معذرت، دوبارہ کوشش کریں"))
            .pause(2)
            .dial(Dial::number("+923001234567").timeout(20))
            .dial(Dial::number("+923000000000"))
            .hangup()
            .render();
        assert_eq!(
            twiml,
            format!(
                "{DECL}<Response>\
                 <Say voice=\"Google.ur-IN-Standard-A\" language=\"ur-IN\">معذرت، دوبارہ کوشش کریں</Say>\
                 <Pause length=\"2\"/>\
                 <Dial timeout=\"20\"><Number>+923001234567</Number></Dial>\
                 <Dial><Number>+923000000000</Number></Dial>\
                 <Hangup/></Response>"
            )
        );
    }

    #[test]
    fn a_stream_without_parameters_is_self_closing() {
        let twiml = Response::new().connect(Stream::new("wss://h/m")).render();
        assert!(
            twiml.contains(r#"<Connect><Stream url="wss://h/m"/></Connect>"#),
            "{twiml}"
        );
    }

    #[test]
    fn a_parameter_value_cannot_inject_a_verb() {
        let twiml = Response::new()
            .connect(Stream::new("wss://h/m").parameter("caller", "\"/><Hangup/>"))
            .render();
        assert!(
            twiml.contains(r#"<Parameter name="caller" value="&quot;/&gt;&lt;Hangup/&gt;"/>"#),
            "{twiml}"
        );
        assert!(!twiml.contains("<Hangup"), "{twiml}");
    }

    #[test]
    fn say_text_and_urls_are_escaped_too() {
        let twiml = Response::new()
            .say(Say::urdu("</Say><Dial><Number>+1900</Number></Dial><Say>"))
            .connect(Stream::new("wss://h/m?a=1&b='2'"))
            .render();
        assert!(!twiml.contains("<Dial"), "{twiml}");
        assert!(twiml.contains("&lt;/Say&gt;&lt;Dial&gt;"), "{twiml}");
        assert!(
            twiml.contains(r#"url="wss://h/m?a=1&amp;b=&apos;2&apos;""#),
            "{twiml}"
        );
        // Only our own markup remains: one `<` per tag we wrote.
        assert_eq!(twiml.matches('<').count(), 8, "{twiml}");
    }

    #[test]
    fn escape_covers_all_five_xml_specials_and_line_breaks() {
        assert_eq!(escape(r#"&<>"'"#), "&amp;&lt;&gt;&quot;&apos;");
        assert_eq!(escape("a\tb\nc\rd"), "a&#9;b&#10;c&#13;d");
    }

    #[test]
    fn characters_xml_cannot_carry_are_dropped() {
        assert_eq!(escape("a\u{0}b\u{1b}c\u{fffe}d"), "abcd");
        assert_eq!(escape("پیزا 🍕"), "پیزا 🍕");
    }
}
