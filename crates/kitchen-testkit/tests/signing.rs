//! `kitchen_testkit::signing` against the vectors computed with Twilio's own Python SDK.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use kitchen_testkit::signing::{signature_matches, twilio_signature};
use serde_json::Value;

const VECTORS: &str = include_str!("../fixtures/twilio/signature-vectors.json");

/// (auth token, URL, form parameters, expected signature).
type Vector = (String, String, Vec<(String, String)>, String);

fn vectors() -> Vec<Vector> {
    let doc: Value = serde_json::from_str(VECTORS).unwrap();
    doc["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            let params = v["params"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                .collect();
            (
                v["auth_token"].as_str().unwrap().to_string(),
                v["url"].as_str().unwrap().to_string(),
                params,
                v["expected_signature"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn every_vector_signs_to_the_sdk_signature() {
    let all = vectors();
    assert_eq!(all.len(), 2);
    for (token, url, params, expected) in all {
        assert_eq!(twilio_signature(&token, &url, &params), expected, "{url}");
        assert!(signature_matches(&token, &url, &params, &expected));
    }
}

#[test]
fn parameter_order_does_not_change_the_signature() {
    for (token, url, mut params, expected) in vectors() {
        params.reverse();
        assert_eq!(twilio_signature(&token, &url, &params), expected);
    }
}

#[test]
fn the_webhook_vector_also_matches_with_an_explicit_443_port() {
    let (token, url, params, expected) = vectors().remove(1);
    let with_port = url.replacen(".app/", ".app:443/", 1);
    assert_ne!(with_port, url);
    assert!(signature_matches(&token, &with_port, &params, &expected));
}

#[test]
fn an_empty_caller_name_is_part_of_what_is_signed() {
    let (token, url, mut params, expected) = vectors().remove(1);
    params.retain(|(k, _)| k != "CallerName");
    assert_ne!(twilio_signature(&token, &url, &params), expected);
    assert!(!signature_matches(&token, &url, &params, &expected));
}
