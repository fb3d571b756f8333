//! Standard Webhooks checks against vectors whose verdicts came from the `openai` Python
//! package's own verifier (kitchen-testkit's `fixtures/openai-live/webhook-vectors.json`, see SOURCE.md there).
#![allow(clippy::unwrap_used)]

use serde::Deserialize;
use std::collections::BTreeMap;
use voice_protocol::webhooks::{WebhookError, WebhookHeaders, WebhookSecret};

#[derive(Deserialize)]
struct Vectors {
    vectors: Vec<Vector>,
}

#[derive(Deserialize)]
struct Vector {
    case: String,
    secret: String,
    now: i64,
    headers: BTreeMap<String, String>,
    body: String,
    valid: bool,
    message: Option<String>,
}

impl Vector {
    fn verify(&self) -> Result<voice_protocol::webhooks::Verified, WebhookError> {
        let header = |name: &str| self.headers.get(name).map(String::as_str);
        let headers = WebhookHeaders {
            id: header("webhook-id"),
            timestamp: header("webhook-timestamp"),
            signature: header("webhook-signature"),
        };
        WebhookSecret::parse(&self.secret)
            .unwrap()
            .verify(headers, self.body.as_bytes(), self.now)
    }
}

fn vectors() -> Vec<Vector> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../kitchen-testkit/fixtures/openai-live/webhook-vectors.json"
    );
    let parsed: Vectors = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert!(parsed.vectors.len() >= 14, "the fixture lost cases");
    parsed.vectors
}

fn vector(case: &str) -> Vector {
    vectors().into_iter().find(|v| v.case == case).unwrap()
}

#[test]
fn every_vector_gets_the_openai_packages_verdict() {
    for v in vectors() {
        assert_eq!(v.verify().is_ok(), v.valid, "case {:?}", v.case);
    }
}

#[test]
fn valid_deliveries_yield_their_id_and_time() {
    let v = vector("valid live.transport.incoming");
    let ok = v.verify().unwrap();
    assert_eq!(ok.id, v.headers["webhook-id"]);
    assert_eq!(ok.timestamp, v.now);
    assert!(vector("valid realtime.call.incoming").verify().is_ok());
}

#[test]
fn a_wrong_signature_or_secret_is_a_bad_signature() {
    for case in [
        "wrong signature",
        "signed with another secret",
        "verified with another secret",
        "id changed after signing",
    ] {
        assert_eq!(
            vector(case).verify().unwrap_err(),
            WebhookError::BadSignature,
            "{case}"
        );
    }
}

#[test]
fn stale_and_future_deliveries_are_refused_and_the_edges_pass() {
    let stale = vector("stale: 301 s old");
    assert_eq!(stale.verify().unwrap_err(), WebhookError::Stale);
    assert_eq!(
        stale.message.as_deref(),
        Some("Webhook timestamp is too old")
    );
    assert_eq!(
        vector("future: 301 s ahead").verify().unwrap_err(),
        WebhookError::Future
    );
    assert!(vector("edge: 300 s old").verify().is_ok());
    assert!(vector("edge: 300 s ahead").verify().is_ok());
}

#[test]
fn any_one_of_several_signatures_is_enough() {
    let v = vector("rotation: several signatures, the second matches");
    assert!(v.headers["webhook-signature"].contains(' '));
    assert!(v.verify().is_ok());
}

#[test]
fn missing_headers_are_named() {
    for (case, header) in [
        ("missing webhook-id", "webhook-id"),
        ("missing webhook-timestamp", "webhook-timestamp"),
        ("missing webhook-signature", "webhook-signature"),
    ] {
        assert_eq!(
            vector(case).verify().unwrap_err(),
            WebhookError::MissingHeader(header),
            "{case}"
        );
    }
}

#[test]
fn our_signer_produces_the_signature_the_package_accepted() {
    let v = vector("valid live.transport.incoming");
    let secret = WebhookSecret::parse(&v.secret).unwrap();
    let signed = secret.signature_header(
        &v.headers["webhook-id"],
        v.headers["webhook-timestamp"].parse().unwrap(),
        v.body.as_bytes(),
    );
    assert_eq!(signed, v.headers["webhook-signature"]);
}
