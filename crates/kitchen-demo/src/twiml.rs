//! A small, tolerant scan of TwiML: enough to find `<Stream url>`, its `<Parameter>`s,
//! `<Say>`, `<Dial>` and `<Hangup>`, without an XML dependency. Unknown verbs are skipped.

/// What a TwiML answer asks Twilio to do (the parts the fake caller acts on).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Twiml {
    pub(crate) stream_url: Option<String>,
    pub(crate) status_callback: Option<String>,
    pub(crate) parameters: Vec<(String, String)>,
    pub(crate) says: Vec<String>,
    pub(crate) dial: Option<String>,
    pub(crate) hangup: bool,
}

#[derive(Debug, PartialEq)]
enum Token {
    Open {
        name: String,
        attrs: Vec<(String, String)>,
        self_closing: bool,
    },
    Close(String),
    Text(String),
}

/// Scans `xml`; never fails (malformed input just yields less).
pub(crate) fn scan(xml: &str) -> Twiml {
    let mut out = Twiml::default();
    let mut in_stream = false;
    // The verb whose text is being collected (`Say` or `Dial`) and the text so far.
    let mut capture: Option<(String, String)> = None;
    for token in tokens(xml) {
        match token {
            Token::Open {
                name,
                attrs,
                self_closing,
            } => {
                let attr = |k: &str| attrs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
                match name.as_str() {
                    "Stream" => {
                        out.stream_url = attr("url");
                        out.status_callback = attr("statusCallback");
                        in_stream = !self_closing;
                    }
                    "Parameter" if in_stream => {
                        if let (Some(n), Some(v)) = (attr("name"), attr("value")) {
                            out.parameters.push((n, v));
                        }
                    }
                    "Hangup" => out.hangup = true,
                    "Say" | "Dial" if self_closing => finish(&mut out, &name, String::new()),
                    "Say" | "Dial" if capture.is_none() => capture = Some((name, String::new())),
                    _ => {}
                }
            }
            Token::Close(name) => {
                if name == "Stream" {
                    in_stream = false;
                }
                if capture.as_ref().is_some_and(|(verb, _)| *verb == name)
                    && let Some((verb, text)) = capture.take()
                {
                    finish(&mut out, &verb, text);
                }
            }
            Token::Text(t) => {
                if let Some((_, text)) = capture.as_mut() {
                    text.push_str(&t);
                }
            }
        }
    }
    out
}

fn finish(out: &mut Twiml, verb: &str, text: String) {
    let text = text.trim().to_string();
    if verb == "Say" {
        out.says.push(text);
    } else {
        out.dial = Some(text);
    }
}

fn tokens(xml: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut rest = xml;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            push_text(&mut out, rest);
            break;
        };
        push_text(&mut out, &rest[..lt]);
        rest = &rest[lt..];
        let Some(end) = tag_end(rest) else { break };
        let inner = &rest[1..end];
        rest = &rest[end + 1..];
        if inner.starts_with('?') || inner.starts_with('!') {
            continue;
        }
        if let Some(name) = inner.strip_prefix('/') {
            out.push(Token::Close(name.trim().to_string()));
            continue;
        }
        let self_closing = inner.trim_end().ends_with('/');
        let body = inner.trim_end().trim_end_matches('/');
        let name_end = body.find(char::is_whitespace).unwrap_or(body.len());
        out.push(Token::Open {
            name: body[..name_end].to_string(),
            attrs: attributes(&body[name_end..]),
            self_closing,
        });
    }
    out
}

/// The index of the `>` closing the tag that starts `s`, skipping quoted values.
fn tag_end(s: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, '>') => return Some(i),
            _ => {}
        }
    }
    None
}

fn attributes(mut s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    loop {
        s = s.trim_start();
        let Some(eq) = s.find('=') else { break };
        let name = s[..eq].trim().to_string();
        s = s[eq + 1..].trim_start();
        let Some(q) = s.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            break;
        };
        let Some(close) = s[1..].find(q) else { break };
        out.push((name, unescape(&s[1..1 + close])));
        s = &s[close + 2..];
    }
    out
}

fn push_text(out: &mut Vec<Token>, raw: &str) {
    if !raw.trim().is_empty() {
        out.push(Token::Text(unescape(raw)));
    }
}

/// Replaces the five XML entities and numeric character references.
pub(crate) fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest.find(';').filter(|&i| i <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .map(|h| u32::from_str_radix(h, 16))
                .or_else(|| entity.strip_prefix('#').map(str::parse))
                .and_then(Result::ok)
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_stream_its_parameters_and_a_fallback() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<Response>
  <Connect>
    <Stream url="wss://shop.example.com/media-stream" statusCallback="https://shop.example.com/s">
      <Parameter name="caller" value="+923001234567"/>
      <Parameter name='token' value="a&amp;b&quot;c"/>
    </Stream>
  </Connect>
  <Say language="ur-IN" voice="Google.ur-IN-Standard-A">معذرت &lt;1&gt;</Say>
  <Dial><Number>+923001112222</Number></Dial>
  <Hangup/>
</Response>"#;
        let t = scan(xml);
        assert_eq!(
            t.stream_url.as_deref(),
            Some("wss://shop.example.com/media-stream")
        );
        assert_eq!(
            t.status_callback.as_deref(),
            Some("https://shop.example.com/s")
        );
        assert_eq!(
            t.parameters,
            [
                ("caller".into(), "+923001234567".into()),
                ("token".into(), "a&b\"c".into())
            ]
        );
        assert_eq!(t.says, ["معذرت <1>"]);
        assert_eq!(t.dial.as_deref(), Some("+923001112222"));
        assert!(t.hangup);
    }

    #[test]
    fn parameters_outside_a_stream_are_ignored() {
        let t = scan(r#"<Response><Parameter name="x" value="y"/><Say>hi</Say></Response>"#);
        assert!(t.parameters.is_empty());
        assert_eq!(t.stream_url, None);
        assert!(!t.hangup);
    }

    #[test]
    fn unescape_handles_numeric_and_stray_ampersands() {
        assert_eq!(unescape("a &#65;&#x42; & b &apos;"), "a AB & b '");
    }
}
