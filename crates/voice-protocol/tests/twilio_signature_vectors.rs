//! `X-Twilio-Signature` checks against vectors made with Twilio's own Python SDK
//! (the project's one copy is kitchen-testkit's `fixtures/twilio/`, see SOURCE.md there),
//! and the ways a forged request differs.
#![allow(clippy::unwrap_used)]

use serde::Deserialize;
use std::collections::BTreeMap;
use voice_protocol::twilio::signature::{compute_signature, validate_form};

#[derive(Deserialize)]
struct Vectors {
    vectors: Vec<Vector>,
}

#[derive(Deserialize)]
struct Vector {
    case: String,
    auth_token: String,
    url: String,
    params: BTreeMap<String, String>,
    expected_signature: String,
}

impl Vector {
    fn params(&self) -> Vec<(String, String)> {
        self.params
            .iter()
            .map(|(n, v)| (n.clone(), v.clone()))
            .collect()
    }
}

fn vectors() -> Vec<Vector> {
    let path = format!(
        "{}/../kitchen-testkit/fixtures/twilio/signature-vectors.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let parsed: Vectors = serde_json::from_str(&text).unwrap();
    assert_eq!(parsed.vectors.len(), 2, "the fixture has two vectors");
    parsed.vectors
}

/// The incoming-call webhook vector, whose `case` says it also holds with `:443`.
fn webhook_vector() -> Vector {
    vectors()
        .into_iter()
        .find(|v| v.case.contains(":443"))
        .unwrap()
}

#[test]
fn every_sdk_vector_computes_and_validates() {
    for v in vectors() {
        assert_eq!(
            compute_signature(&v.auth_token, &v.url, &v.params()),
            v.expected_signature,
            "{}",
            v.case
        );
        assert!(
            validate_form(&v.auth_token, &v.url, &v.params(), &v.expected_signature),
            "{}",
            v.case
        );
    }
}

#[test]
fn the_webhook_vector_also_validates_with_the_explicit_443_port() {
    let v = webhook_vector();
    let with_port = v.url.replace(".ngrok.app/", ".ngrok.app:443/");
    assert_ne!(with_port, v.url);
    assert!(validate_form(
        &v.auth_token,
        &with_port,
        &v.params(),
        &v.expected_signature
    ));
    // And the other way round: a signature over the `:443` URL checks out on the bare URL.
    let signed_with_port = compute_signature(&v.auth_token, &with_port, &v.params());
    assert_ne!(signed_with_port, v.expected_signature);
    assert!(validate_form(
        &v.auth_token,
        &v.url,
        &v.params(),
        &signed_with_port
    ));
}

#[test]
fn an_empty_caller_name_still_counts_as_a_signed_parameter() {
    let v = webhook_vector();
    let without: Vec<_> = v
        .params()
        .into_iter()
        .filter(|(n, _)| n != "CallerName")
        .collect();
    assert!(!validate_form(
        &v.auth_token,
        &v.url,
        &without,
        &v.expected_signature
    ));
}

#[test]
fn a_wrong_auth_token_is_rejected() {
    for v in vectors() {
        let wrong = format!("{}x", v.auth_token);
        assert!(!validate_form(
            &wrong,
            &v.url,
            &v.params(),
            &v.expected_signature
        ));
    }
}

#[test]
fn a_tampered_parameter_is_rejected() {
    for v in vectors() {
        let tampered: Vec<_> = v
            .params()
            .into_iter()
            .map(|(n, val)| {
                if n == "From" {
                    (n, "+923009999999".to_owned())
                } else {
                    (n, val)
                }
            })
            .collect();
        assert_ne!(tampered, v.params());
        assert!(!validate_form(
            &v.auth_token,
            &v.url,
            &tampered,
            &v.expected_signature
        ));
    }
}

#[test]
fn an_extra_parameter_is_rejected() {
    for v in vectors() {
        let mut extra = v.params();
        extra.push(("Digits".to_owned(), "9".to_owned()));
        assert!(!validate_form(
            &v.auth_token,
            &v.url,
            &extra,
            &v.expected_signature
        ));
    }
}

#[test]
fn a_different_url_is_rejected() {
    let v = vectors().into_iter().next().unwrap();
    for url in [
        "https://mycompany.com/myapp.php?foo=1&bar=3",
        "http://mycompany.com/myapp.php?foo=1&bar=2",
        "https://mycompany.com:8443/myapp.php?foo=1&bar=2",
        "https://evil.example/myapp.php?foo=1&bar=2",
    ] {
        assert!(
            !validate_form(&v.auth_token, url, &v.params(), &v.expected_signature),
            "{url}"
        );
    }
}

#[test]
fn parameter_order_as_received_does_not_matter() {
    for v in vectors() {
        let mut reversed = v.params();
        reversed.reverse();
        assert!(validate_form(
            &v.auth_token,
            &v.url,
            &reversed,
            &v.expected_signature
        ));
    }
}
