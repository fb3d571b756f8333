//! "Set up SIP trunk" and Check setup's SIP lines (issue 17) against the fake Twilio REST
//! API (Elastic SIP Trunking, Studio, IncomingPhoneNumbers): the trunk and its OpenAI
//! origination URL made once and updated on a second run, the number moved onto the trunk
//! and back to this PC's voice URL by "Connect my number", refusals that change nothing.

use crate::helpers::*;
use kitchen_server::Secret;
use kitchen_testkit::twilio_rest::{FakeTwilioRest, RequestKind};
use serde_json::{Value, json};

const ACCOUNT: &str = "AC0123456789abcdef0123456789abcdef";
const TOKEN: &str = "twilio-test-auth-token";
const PUBLIC: &str = "https://shop.example.com";
const NUMBER: &str = "+924235550123";
const SHOP_PHONE: &str = "+924235761234";
const PROJECT: &str = "proj_Melt8Gulberg01";
const SECRET: &str = "whsec_c2VjcmV0LWZvci10ZXN0cw==";

async fn rest() -> FakeTwilioRest {
    let rest = FakeTwilioRest::start(ACCOUNT, TOKEN).await.unwrap();
    rest.add_number(NUMBER);
    rest
}

/// A shop with its Twilio details over the fake (`token`: the auth token it holds).
async fn shop(rest: &FakeTwilioRest, token: &str) -> TestApp {
    let (api, studio, trunking) = (
        rest.base_url(),
        rest.studio_base_url(),
        rest.trunking_base_url(),
    );
    let token = token.to_string();
    spawn_with(tempfile::tempdir().unwrap(), move |c| {
        c.phone.public_base_url = Some(PUBLIC.into());
        c.settings.twilio_auth_token = Some(Secret::new(token));
        c.settings.twilio_account_sid = Some(crate::helpers::sid(ACCOUNT));
        c.settings.twilio_phone_number = Some(crate::helpers::e164(NUMBER));
        c.settings.shop_phone = Some(crate::helpers::e164(SHOP_PHONE));
        c.phone.twilio_api_base = api;
        c.phone.twilio_studio_base = studio;
        c.phone.twilio_trunking_base = trunking;
    })
    .await
}

async fn save(app: &TestApp, changes: Value) {
    json_with(
        app.api.put_json("/api/settings", &changes).await.unwrap(),
        200,
    )
    .await;
}

async fn sip_live(app: &TestApp) {
    save(
        app,
        json!({"voice_engine": "sip-live", "openai_project_id": PROJECT, "openai_webhook_secret": SECRET}),
    )
    .await;
}

async fn sip_setup(app: &TestApp, status: u16) -> Value {
    json_with(
        app.api
            .post_json("/api/phone/sip-setup", &json!({}))
            .await
            .unwrap(),
        status,
    )
    .await
}

async fn checks(app: &TestApp) -> Value {
    json_with(
        app.api
            .post_json("/api/setup/check", &json!({}))
            .await
            .unwrap(),
        200,
    )
    .await
}

fn part<'a>(checks: &'a Value, name: &str) -> &'a Value {
    checks
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["part"] == name)
        .unwrap_or_else(|| panic!("no {name} line in {checks}"))
}

fn writes(rest: &FakeTwilioRest) -> Vec<RequestKind> {
    rest.requests()
        .into_iter()
        .filter(|r| r.method != "GET")
        .map(|r| r.kind)
        .collect()
}

#[tokio::test]
async fn sip_setup_makes_one_trunk_and_origination_url_and_a_second_run_updates_them() {
    let rest = rest().await;
    let app = shop(&rest, TOKEN).await;
    sip_live(&app).await;
    let done = sip_setup(&app, 200).await;
    assert_eq!(done["code"], "sip_connected");
    assert_eq!(done["trunk_created"], true);
    let sip_url = format!("sip:{PROJECT}@sip.api.openai.com;transport=tls");
    assert_eq!(done["sip_url"], sip_url);
    assert_eq!(done["params"]["fallback"], "dial");

    let trunks = rest.trunks();
    assert_eq!(trunks.len(), 1);
    let trunk = &trunks[0];
    assert_eq!(trunk.friendly_name.as_deref(), Some("Melt 8 Kitchen"));
    assert!(trunk.secure, "GPT-Live needs SRTP + TLS");
    assert_eq!(trunk.transfer_mode, "enable-all");
    assert_eq!(trunk.transfer_caller_id, "from-transferee");
    // The disaster-recovery URL is the Studio flow that dials the shop (works with the PC off).
    let flows = rest.flows();
    assert_eq!(flows.len(), 1);
    assert_eq!(
        trunk.disaster_recovery_url.as_deref(),
        Some(flows[0].webhook_url(ACCOUNT).as_str())
    );
    assert_eq!(done["disaster_recovery_url"], flows[0].webhook_url(ACCOUNT));
    assert_eq!(trunk.disaster_recovery_method.as_deref(), Some("POST"));
    assert_eq!(trunk.origination_urls.len(), 1);
    let ou = &trunk.origination_urls[0];
    assert_eq!(ou.sip_url, sip_url);
    assert!(ou.enabled);
    assert_eq!(
        rest.number(NUMBER).unwrap().trunk_sid.as_deref(),
        Some(trunk.sid.as_str())
    );
    assert_eq!(done["trunk_sid"], trunk.sid);

    let c = checks(&app).await;
    for name in [
        "sip_openai",
        "sip_trunk",
        "sip_transfer",
        "sip_origination",
        "sip_number",
        "sip_disaster_recovery",
    ] {
        assert_eq!(part(&c, name)["ok"], true, "{name}: {c}");
    }
    assert_eq!(part(&c, "twilio")["code"], "twilio_account_ok");
    assert!(
        c.as_array()
            .unwrap()
            .iter()
            .all(|l| l["part"] != "fallback")
    );
    assert!(
        !c.to_string().contains(SECRET),
        "the webhook secret is never sent back"
    );

    // A second run with a new project: the same trunk and URL, updated.
    let other = "proj_Other02";
    save(&app, json!({"openai_project_id": other})).await;
    assert_eq!(
        part(&checks(&app).await, "sip_origination")["code"],
        "sip_origination_other"
    );
    let again = sip_setup(&app, 200).await;
    assert_eq!(again["trunk_created"], false);
    let trunks = rest.trunks();
    assert_eq!(trunks.len(), 1, "no second trunk");
    assert_eq!(
        trunks[0].origination_urls.len(),
        1,
        "no second origination URL"
    );
    assert_eq!(
        trunks[0].origination_urls[0].sip_url,
        format!("sip:{other}@sip.api.openai.com;transport=tls")
    );
    assert_eq!(rest.flows().len(), 1, "no second fallback flow");
    let updates = writes(&rest);
    assert_eq!(
        updates
            .iter()
            .filter(|k| **k == RequestKind::TrunkCreate)
            .count(),
        1
    );
    assert_eq!(
        updates
            .iter()
            .filter(|k| **k == RequestKind::OriginationUrlCreate)
            .count(),
        1
    );
    assert!(updates.contains(&RequestKind::OriginationUrlUpdate));
    // The number was already on the trunk: not moved again.
    assert_eq!(
        updates
            .iter()
            .filter(|k| **k == RequestKind::IncomingNumberUpdate)
            .count(),
        1
    );
}

#[tokio::test]
async fn connect_my_number_takes_the_number_off_the_trunk_once_a_bridge_engine_is_chosen() {
    let rest = rest().await;
    let app = shop(&rest, TOKEN).await;
    sip_live(&app).await;
    sip_setup(&app, 200).await;
    // Connect is refused while a SIP engine is chosen: it would take calls off the trunk.
    let refused = json_with(
        app.api
            .post_json("/api/phone/connect", &json!({}))
            .await
            .unwrap(),
        409,
    )
    .await;
    assert_eq!(refused["error"]["code"], "engine_is_sip");
    assert!(rest.number(NUMBER).unwrap().trunk_sid.is_some());

    save(&app, json!({"voice_engine": "realtime-bridge"})).await;
    let c = checks(&app).await;
    let twilio = part(&c, "twilio");
    assert_eq!(
        (twilio["ok"].as_bool(), twilio["code"].as_str()),
        (Some(false), Some("number_on_sip_trunk"))
    );
    assert!(
        c.as_array()
            .unwrap()
            .iter()
            .all(|l| !l["part"].as_str().unwrap().starts_with("sip_"))
    );

    let done = json_with(
        app.api
            .post_json("/api/phone/connect", &json!({}))
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(done["code"], "connected");
    let number = rest.number(NUMBER).unwrap();
    assert_eq!(number.trunk_sid, None, "off the trunk");
    assert_eq!(
        number.voice_url.as_deref(),
        Some(format!("{PUBLIC}/incoming-call").as_str())
    );
    assert_eq!(
        part(&checks(&app).await, "twilio")["code"],
        "twilio_connected"
    );
    assert_eq!(
        rest.trunks().len(),
        1,
        "the trunk stays for the next switch"
    );
}

#[tokio::test]
async fn sip_setup_refuses_what_is_missing_before_changing_anything_in_twilio() {
    let rest = rest().await;
    let app = shop(&rest, TOKEN).await;
    let refused = sip_setup(&app, 409).await;
    assert_eq!(refused["error"]["code"], "engine_not_sip");
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .contains("choose a SIP voice engine")
    );

    save(&app, json!({"voice_engine": "sip-realtime"})).await;
    let refused = sip_setup(&app, 409).await;
    assert_eq!(refused["error"]["code"], "missing_openai_project_id");
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .contains("proj_")
    );
    let c = checks(&app).await;
    assert_eq!(part(&c, "sip_openai")["code"], "sip_no_project_id");

    save(&app, json!({"openai_project_id": PROJECT})).await;
    let refused = sip_setup(&app, 409).await;
    assert_eq!(refused["error"]["code"], "missing_openai_webhook_secret");
    let c = checks(&app).await;
    let line = part(&c, "sip_openai");
    assert_eq!(line["code"], "sip_no_webhook_secret");
    assert_eq!(line["params"]["event"], "realtime.call.incoming");
    assert_eq!(
        line["params"]["webhook_url"],
        format!("{PUBLIC}/openai/webhook")
    );
    assert_eq!(part(&c, "sip_trunk")["code"], "sip_trunk_missing");

    assert!(
        writes(&rest).is_empty(),
        "nothing half-done: {:?}",
        writes(&rest)
    );
    assert!(rest.trunks().is_empty());
}

#[tokio::test]
async fn sip_setup_with_a_refused_auth_token_says_so_and_makes_no_trunk() {
    let rest = rest().await;
    let app = shop(&rest, "not-the-token").await;
    sip_live(&app).await;
    let refused = sip_setup(&app, 502).await;
    assert_eq!(refused["error"]["code"], "twilio_refused_credentials");
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .contains("auth token")
    );
    assert!(rest.trunks().is_empty());
    assert_eq!(rest.number(NUMBER).unwrap().trunk_sid, None);
    assert!(!refused.to_string().contains("not-the-token"));
}

#[tokio::test]
async fn check_setup_names_each_broken_part_of_the_trunk() {
    let rest = rest().await;
    let app = shop(&rest, TOKEN).await;
    sip_live(&app).await;
    sip_setup(&app, 200).await;
    let tk = rest.trunks()[0].sid.clone();
    assert!(rest.edit_trunk(&tk, |t| {
        t.secure = false;
        t.transfer_mode = "disable-all".into();
        t.disaster_recovery_url = None;
        t.origination_urls[0].enabled = false;
    }));
    // Someone moved the number back by hand in the console.
    let pn = rest.number(NUMBER).unwrap().sid;
    let res = reqwest::Client::new()
        .post(format!(
            "{}/Accounts/{ACCOUNT}/IncomingPhoneNumbers/{pn}.json",
            rest.base_url()
        ))
        .basic_auth(ACCOUNT, Some(TOKEN))
        .form(&[("TrunkSid", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let c = checks(&app).await;
    for (name, code) in [
        ("sip_trunk", "sip_trunk_not_secure"),
        ("sip_transfer", "sip_transfers_off"),
        ("sip_origination", "sip_origination_disabled"),
        ("sip_number", "sip_number_off_trunk"),
        ("sip_disaster_recovery", "sip_recovery_missing"),
    ] {
        let line = part(&c, name);
        assert_eq!(
            (line["ok"].as_bool(), line["code"].as_str()),
            (Some(false), Some(code)),
            "{c}"
        );
        assert!(
            line["message"]
                .as_str()
                .unwrap()
                .contains("Set up SIP trunk"),
            "{line}"
        );
    }
    // One press mends every part.
    sip_setup(&app, 200).await;
    let c = checks(&app).await;
    assert!(
        c.as_array()
            .unwrap()
            .iter()
            .filter(|l| l["part"].as_str().unwrap().starts_with("sip_"))
            .all(|l| l["ok"] == true),
        "{c}"
    );
}
