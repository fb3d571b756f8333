//! FakeTwilioRest against plain reqwest calls, as the server's Twilio client would make them.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use kitchen_testkit::FakeTwilioRest;
use kitchen_testkit::twilio_rest::{RequestKind, segments};
use serde_json::Value;
use std::time::Duration;

const ACCOUNT: &str = "AC0123456789abcdef0123456789abcdef";
const TOKEN: &str = "secret-token";
const CALL: &str = "CA11111111111111111111111111111111";

async fn post(url: String, user: &str, password: &str, form: &[(&str, &str)]) -> (u16, Value) {
    let res = reqwest::Client::new()
        .post(url)
        .basic_auth(user, Some(password))
        .form(form)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap())
}

fn call_url(fake: &FakeTwilioRest, sid: &str) -> String {
    format!("{}/Accounts/{ACCOUNT}/Calls/{sid}.json", fake.base_url())
}

#[tokio::test]
async fn a_call_redirect_with_the_right_credentials_is_recorded_and_answered() {
    let fake = FakeTwilioRest::start(ACCOUNT, TOKEN).await.unwrap();
    assert!(fake.base_url().ends_with("/2010-04-01"));
    let twiml = "<Response><Dial><Number>+923001112222</Number></Dial></Response>";
    let (status, body) = post(call_url(&fake, CALL), ACCOUNT, TOKEN, &[("Twiml", twiml)]).await;
    assert_eq!(status, 200);
    assert_eq!(body["sid"], CALL);
    assert_eq!(body["status"], "in-progress");
    let req = fake
        .wait_for_call_update(CALL, Duration::from_secs(2))
        .await
        .unwrap();
    assert_eq!(req.field("Twiml"), Some(twiml));
    assert_eq!(req.kind, RequestKind::CallUpdate);
    assert!(req.authorized);
    assert_eq!(req.status, 200);
}

#[tokio::test]
async fn wrong_credentials_get_401_with_twilio_error_20003() {
    let fake = FakeTwilioRest::start(ACCOUNT, TOKEN).await.unwrap();
    let (status, body) = post(
        call_url(&fake, CALL),
        ACCOUNT,
        "wrong",
        &[("Status", "completed")],
    )
    .await;
    assert_eq!(status, 401);
    assert_eq!(body["code"], 20003);
    assert_eq!(body["status"], 401);
    let res = reqwest::Client::new()
        .post(call_url(&fake, CALL))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 401, "no credentials at all");
    assert!(res.headers().contains_key("www-authenticate"));
    let recorded = fake.requests();
    assert_eq!(recorded.len(), 2);
    assert!(recorded.iter().all(|r| !r.authorized && r.status == 401));
}

#[tokio::test]
async fn an_ended_call_answers_404_with_code_20404() {
    let fake = FakeTwilioRest::start(ACCOUNT, TOKEN).await.unwrap();
    fake.mark_call_ended(CALL);
    let (status, body) = post(
        call_url(&fake, CALL),
        ACCOUNT,
        TOKEN,
        &[("Status", "completed")],
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(body["code"], 20404);
    assert!(body["message"].as_str().unwrap().contains(CALL));
    let req = fake
        .wait_for_call_update(CALL, Duration::from_secs(2))
        .await
        .unwrap();
    assert_eq!(req.status, 404);
}

#[tokio::test]
async fn hanging_up_ends_the_call_so_a_second_hang_up_gets_404() {
    let fake = FakeTwilioRest::start(ACCOUNT, TOKEN).await.unwrap();
    let other = "CA22222222222222222222222222222222";
    let (first, body) = post(
        call_url(&fake, other),
        ACCOUNT,
        TOKEN,
        &[("Status", "completed")],
    )
    .await;
    assert_eq!((first, body["status"].as_str()), (200, Some("completed")));
    let (second, body) = post(
        call_url(&fake, other),
        ACCOUNT,
        TOKEN,
        &[("Status", "completed")],
    )
    .await;
    assert_eq!((second, body["code"].as_u64()), (404, Some(20404)));
    let (bad, _) = post(call_url(&fake, CALL), ACCOUNT, TOKEN, &[("Status", "busy")]).await;
    assert_eq!(bad, 400);
}

#[tokio::test]
async fn sms_and_number_updates_are_recorded() {
    let fake = FakeTwilioRest::start(ACCOUNT, TOKEN).await.unwrap();
    let base = format!("{}/Accounts/{ACCOUNT}", fake.base_url());
    let urdu = "آپ کا آرڈر لگ گیا ہے";
    let form = [
        ("To", "+923001234567"),
        ("From", "+15005550006"),
        ("Body", urdu),
    ];
    let (status, body) = post(format!("{base}/Messages.json"), ACCOUNT, TOKEN, &form).await;
    assert_eq!(status, 201);
    assert_eq!(body["body"], urdu);
    assert!(body["sid"].as_str().unwrap().starts_with("SM"));
    let (status, body) = post(
        format!("{base}/Messages.json"),
        ACCOUNT,
        TOKEN,
        &[("Body", "x")],
    )
    .await;
    assert_eq!((status, body["code"].as_u64()), (400, Some(21604)));
    let unknown = "PN0123456789abcdef0123456789abcdef";
    let (status, body) = post(
        format!("{base}/IncomingPhoneNumbers/{unknown}.json"),
        ACCOUNT,
        TOKEN,
        &[("VoiceUrl", "https://x.example/incoming-call")],
    )
    .await;
    assert_eq!((status, body["code"].as_u64()), (404, Some(20404)));
    let pn = fake.add_number("+924235550123");
    let pn = pn.as_str();
    let form = [
        ("VoiceUrl", "https://shop.example.com/incoming-call"),
        ("VoiceMethod", "POST"),
    ];
    let (status, body) = post(
        format!("{base}/IncomingPhoneNumbers/{pn}.json"),
        ACCOUNT,
        TOKEN,
        &form,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["voice_url"], "https://shop.example.com/incoming-call");
    let kinds: Vec<RequestKind> = fake.requests().iter().map(|r| r.kind).collect();
    assert_eq!(
        kinds,
        [
            RequestKind::Message,
            RequestKind::Message,
            RequestKind::IncomingNumberUpdate,
            RequestKind::IncomingNumberUpdate
        ]
    );
    assert_eq!(fake.requests()[0].field("Body"), Some(urdu));
    assert_eq!(fake.requests()[3].sid.as_deref(), Some(pn));
    assert_eq!(
        fake.number("+924235550123").unwrap().voice_url.as_deref(),
        Some("https://shop.example.com/incoming-call")
    );
}

#[tokio::test]
async fn another_account_or_an_unknown_route_is_404() {
    let fake = FakeTwilioRest::start(ACCOUNT, TOKEN).await.unwrap();
    let url = format!(
        "{}/Accounts/ACffffffffffffffffffffffffffffffff/Calls/{CALL}.json",
        fake.base_url()
    );
    assert_eq!(post(url, ACCOUNT, TOKEN, &[]).await.0, 404);
    let url = format!("{}/Accounts/{ACCOUNT}/Queues.json", fake.base_url());
    assert_eq!(post(url, ACCOUNT, TOKEN, &[]).await.0, 404);
}

#[tokio::test]
async fn waiting_for_an_update_that_never_comes_fails() {
    let fake = FakeTwilioRest::start(ACCOUNT, TOKEN).await.unwrap();
    assert!(
        fake.wait_for_call_update(CALL, Duration::from_millis(100))
            .await
            .is_err()
    );
}

#[test]
fn urdu_sms_counts_ucs2_segments() {
    assert_eq!(segments("hello"), 1);
    assert_eq!(segments(&"a".repeat(161)), 2);
    assert_eq!(segments(&"ب".repeat(70)), 1);
    assert_eq!(segments(&"ب".repeat(71)), 2);
}

#[tokio::test]
async fn the_number_list_filters_by_phone_number_in_twilios_page_shape() {
    let fake = FakeTwilioRest::start(ACCOUNT, TOKEN).await.unwrap();
    let pn = fake.add_number("+924235550123");
    fake.add_number("+15005550006");
    let url = format!(
        "{}/Accounts/{ACCOUNT}/IncomingPhoneNumbers.json",
        fake.base_url()
    );
    let http = reqwest::Client::new();
    let get = |who: (&'static str, &'static str), number: &'static str| {
        http.get(&url)
            .query(&[("PhoneNumber", number)])
            .basic_auth(who.0, Some(who.1))
            .send()
    };
    let res = get((ACCOUNT, TOKEN), "+924235550123").await.unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    let list = body["incoming_phone_numbers"].as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["sid"], pn.as_str());
    assert_eq!(list[0]["phone_number"], "+924235550123");
    assert_eq!(list[0]["voice_url"], Value::Null);
    assert_eq!(body["next_page_uri"], Value::Null);
    let none: Value = get((ACCOUNT, TOKEN), "+923000000000")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(none["incoming_phone_numbers"], serde_json::json!([]));
    let refused = get((ACCOUNT, "wrong"), "+924235550123").await.unwrap();
    assert_eq!(refused.status(), 401);
    let err: Value = refused.json().await.unwrap();
    assert_eq!(err["code"], 20003);
    assert_eq!(err["status"], 401);
    assert!(err["more_info"].as_str().unwrap().contains("20003"));
    let kinds: Vec<RequestKind> = fake.requests().iter().map(|r| r.kind).collect();
    assert_eq!(kinds, [RequestKind::IncomingNumberList; 3]);
}

const FLOW: &str = r#"{"states":[{"name":"Trigger","type":"trigger","transitions":[{"event":"incomingCall","next":"say"}]},{"name":"say","type":"say-play","transitions":[{"event":"audioComplete"}],"properties":{"say":"hi"}}],"initial_state":"Trigger"}"#;

#[tokio::test]
async fn studio_flows_need_a_name_a_status_and_a_definition_with_states_and_an_initial_state() {
    let fake = FakeTwilioRest::start(ACCOUNT, TOKEN).await.unwrap();
    let flows = format!("{}/Flows", fake.studio_base_url());
    assert!(fake.studio_base_url().ends_with("/v2"));
    for (form, says) in [
        (
            vec![("Status", "published"), ("Definition", FLOW)],
            "FriendlyName",
        ),
        (vec![("FriendlyName", "x"), ("Definition", FLOW)], "Status"),
        (
            vec![
                ("FriendlyName", "x"),
                ("Status", "live"),
                ("Definition", FLOW),
            ],
            "draft or published",
        ),
        (
            vec![("FriendlyName", "x"), ("Status", "published")],
            "Definition",
        ),
        (
            vec![
                ("FriendlyName", "x"),
                ("Status", "published"),
                ("Definition", "{not json"),
            ],
            "not JSON",
        ),
        (
            vec![
                ("FriendlyName", "x"),
                ("Status", "published"),
                ("Definition", r#"{"states":[],"initial_state":"Trigger"}"#),
            ],
            "states",
        ),
        (
            vec![
                ("FriendlyName", "x"),
                ("Status", "published"),
                (
                    "Definition",
                    r#"{"states":[{"name":"Trigger","type":"trigger"}],"initial_state":"Start"}"#,
                ),
            ],
            "initial_state",
        ),
    ] {
        let (status, body) = post(flows.clone(), ACCOUNT, TOKEN, &form).await;
        assert_eq!(status, 400, "{form:?}");
        assert_eq!(body["code"], 20001);
        assert!(body["message"].as_str().unwrap().contains(says), "{body}");
    }
    assert!(fake.flows().is_empty());

    let form = [
        ("FriendlyName", "Fallback"),
        ("Status", "published"),
        ("Definition", FLOW),
    ];
    let (status, created) = post(flows.clone(), ACCOUNT, TOKEN, &form).await;
    assert_eq!(status, 200, "{created}");
    let sid = created["sid"].as_str().unwrap();
    assert!(sid.starts_with("FW"));
    assert_eq!(
        created["webhook_url"],
        format!("https://webhooks.twilio.com/v1/Accounts/{ACCOUNT}/Flows/{sid}")
    );
    let (status, updated) = post(
        format!("{flows}/{sid}"),
        ACCOUNT,
        TOKEN,
        &[("Status", "draft")],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(updated["revision"], 2);
    assert_eq!(updated["status"], "draft");
    let (status, _) = post(
        format!("{flows}/FW00000000000000000000000000000000"),
        ACCOUNT,
        TOKEN,
        &[("Status", "draft")],
    )
    .await;
    assert_eq!(status, 404);
    let listed: Value = reqwest::Client::new()
        .get(&flows)
        .basic_auth(ACCOUNT, Some(TOKEN))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["flows"].as_array().unwrap().len(), 1);
    assert_eq!(listed["flows"][0]["sid"], sid);
    let (status, _) = post(flows, ACCOUNT, "wrong", &form).await;
    assert_eq!(status, 401);
    let kinds: Vec<RequestKind> = fake.requests().iter().map(|r| r.kind).collect();
    assert!(kinds.contains(&RequestKind::FlowCreate));
    assert!(kinds.contains(&RequestKind::FlowUpdate));
    assert!(kinds.contains(&RequestKind::FlowList));
}

#[tokio::test]
async fn a_voice_fallback_url_needs_a_voice_url_error_21405() {
    let fake = FakeTwilioRest::start(ACCOUNT, TOKEN).await.unwrap();
    let sid = fake.add_number("+924235550123");
    let url = format!(
        "{}/Accounts/{ACCOUNT}/IncomingPhoneNumbers/{sid}.json",
        fake.base_url()
    );
    let fallback = "https://webhooks.twilio.com/v1/Accounts/AC/Flows/FW";
    let (status, body) = post(
        url.clone(),
        ACCOUNT,
        TOKEN,
        &[("VoiceFallbackUrl", fallback)],
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["code"], 21405);
    let (status, body) = post(
        url,
        ACCOUNT,
        TOKEN,
        &[
            ("VoiceUrl", "https://shop.example.com/incoming-call"),
            ("VoiceFallbackUrl", fallback),
            ("VoiceFallbackMethod", "POST"),
        ],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["voice_fallback_url"], fallback);
    let number = fake.number("+924235550123").unwrap();
    assert_eq!(number.voice_fallback_url.as_deref(), Some(fallback));
    assert_eq!(number.voice_fallback_method, "POST");
}

async fn get(url: String) -> (u16, Value) {
    let res = reqwest::Client::new()
        .get(url)
        .basic_auth(ACCOUNT, Some(TOKEN))
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap())
}

const SIP: &str = "sip:proj_abc@sip.api.openai.com;transport=tls";

#[tokio::test]
async fn a_trunk_is_created_listed_and_updated_with_twilios_checks() {
    let fake = FakeTwilioRest::start(ACCOUNT, TOKEN).await.unwrap();
    let base = fake.trunking_base_url();
    assert!(base.ends_with("/v1"));
    let (status, body) = post(
        format!("{base}/Trunks"),
        ACCOUNT,
        TOKEN,
        &[
            ("FriendlyName", "Melt 8 Kitchen"),
            ("TransferMode", "everything"),
        ],
    )
    .await;
    assert_eq!((status, body["code"].as_u64()), (400, Some(20001)));
    assert!(fake.trunks().is_empty(), "a refused create makes nothing");
    let (status, body) = post(
        format!("{base}/Trunks"),
        ACCOUNT,
        TOKEN,
        &[
            ("FriendlyName", "Melt 8 Kitchen"),
            ("Secure", "true"),
            ("TransferMode", "enable-all"),
            (
                "DisasterRecoveryUrl",
                "https://webhooks.twilio.com/v1/Accounts/AC1/Flows/FW1",
            ),
            ("DisasterRecoveryMethod", "POST"),
        ],
    )
    .await;
    assert_eq!(status, 201);
    let tk = body["sid"].as_str().unwrap().to_string();
    assert!(tk.starts_with("TK"));
    assert_eq!(body["secure"], true);
    assert_eq!(body["transfer_mode"], "enable-all");
    let (status, list) = get(format!("{base}/Trunks")).await;
    assert_eq!(status, 200);
    assert_eq!(list["trunks"].as_array().unwrap().len(), 1);
    let (status, body) = post(
        format!("{base}/Trunks/{tk}"),
        ACCOUNT,
        TOKEN,
        &[("Secure", "false"), ("TransferCallerId", "from-transferor")],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["secure"], false);
    assert_eq!(
        body["friendly_name"], "Melt 8 Kitchen",
        "untouched fields stay"
    );
    let (status, _) = get(format!("{base}/Trunks/TKnope")).await;
    assert_eq!(status, 404);
    let (status, _) = post(format!("{base}/Trunks"), ACCOUNT, "wrong", &[]).await;
    assert_eq!(status, 401);
    assert_eq!(fake.trunks().len(), 1);
    let kinds: Vec<RequestKind> = fake.requests().iter().map(|r| r.kind).collect();
    assert_eq!(
        kinds,
        [
            RequestKind::TrunkCreate,
            RequestKind::TrunkCreate,
            RequestKind::TrunkList,
            RequestKind::TrunkUpdate,
            RequestKind::TrunkFetch,
            RequestKind::TrunkCreate
        ]
    );
}

#[tokio::test]
async fn an_origination_url_needs_all_five_fields_and_a_sip_uri() {
    let fake = FakeTwilioRest::start(ACCOUNT, TOKEN).await.unwrap();
    let base = fake.trunking_base_url();
    let (_, trunk) = post(format!("{base}/Trunks"), ACCOUNT, TOKEN, &[]).await;
    let urls = format!(
        "{base}/Trunks/{}/OriginationUrls",
        trunk["sid"].as_str().unwrap()
    );
    let full = [
        ("SipUrl", SIP),
        ("Priority", "10"),
        ("Weight", "10"),
        ("Enabled", "true"),
        ("FriendlyName", "OpenAI"),
    ];
    for skip in 0..full.len() {
        let form: Vec<_> = full
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != skip)
            .map(|(_, f)| *f)
            .collect();
        let (status, body) = post(urls.clone(), ACCOUNT, TOKEN, &form).await;
        assert_eq!(status, 400, "without {}", full[skip].0);
        assert!(body["message"].as_str().unwrap().contains(full[skip].0));
    }
    let mut bad = full;
    bad[0] = ("SipUrl", "https://sip.api.openai.com");
    assert_eq!(post(urls.clone(), ACCOUNT, TOKEN, &bad).await.0, 400);
    let mut bad = full;
    bad[2] = ("Weight", "0");
    assert_eq!(post(urls.clone(), ACCOUNT, TOKEN, &bad).await.0, 400);
    let (status, made) = post(urls.clone(), ACCOUNT, TOKEN, &full).await;
    assert_eq!(status, 201);
    assert_eq!(made["sip_url"], SIP);
    assert_eq!(made["enabled"], true);
    let ou = made["sid"].as_str().unwrap();
    let (status, body) = post(
        format!("{urls}/{ou}"),
        ACCOUNT,
        TOKEN,
        &[("Enabled", "false")],
    )
    .await;
    assert_eq!((status, body["enabled"].as_bool()), (200, Some(false)));
    let (_, list) = get(urls).await;
    assert_eq!(list["origination_urls"].as_array().unwrap().len(), 1);
    assert_eq!(fake.trunks()[0].origination_urls.len(), 1);
}

#[tokio::test]
async fn a_numbers_trunk_sid_moves_it_onto_a_trunk_and_an_empty_one_off() {
    let fake = FakeTwilioRest::start(ACCOUNT, TOKEN).await.unwrap();
    let pn = fake.add_number("+15005550006");
    let number_url = format!(
        "{}/Accounts/{ACCOUNT}/IncomingPhoneNumbers/{pn}.json",
        fake.base_url()
    );
    let (status, body) = post(
        number_url.clone(),
        ACCOUNT,
        TOKEN,
        &[("TrunkSid", "TKnotours")],
    )
    .await;
    assert_eq!((status, body["code"].as_u64()), (400, Some(21223)));
    let base = fake.trunking_base_url();
    let (_, trunk) = post(format!("{base}/Trunks"), ACCOUNT, TOKEN, &[]).await;
    let tk = trunk["sid"].as_str().unwrap();
    let (status, body) = post(number_url.clone(), ACCOUNT, TOKEN, &[("TrunkSid", tk)]).await;
    assert_eq!((status, body["trunk_sid"].as_str()), (200, Some(tk)));
    let (_, on) = get(format!("{base}/Trunks/{tk}/PhoneNumbers")).await;
    assert_eq!(on["phone_numbers"][0]["sid"], pn.as_str());
    let (status, body) = post(number_url.clone(), ACCOUNT, TOKEN, &[("TrunkSid", "")]).await;
    assert_eq!(status, 200);
    assert!(body["trunk_sid"].is_null());
    let (status, _) = post(
        format!("{base}/Trunks/{tk}/PhoneNumbers"),
        ACCOUNT,
        TOKEN,
        &[("PhoneNumberSid", pn.as_str())],
    )
    .await;
    assert_eq!(status, 201);
    assert_eq!(
        fake.number("+15005550006").unwrap().trunk_sid.as_deref(),
        Some(tk)
    );
    let res = reqwest::Client::new()
        .delete(format!("{base}/Trunks/{tk}/PhoneNumbers/{pn}"))
        .basic_auth(ACCOUNT, Some(TOKEN))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 204);
    assert_eq!(fake.number("+15005550006").unwrap().trunk_sid, None);
}
