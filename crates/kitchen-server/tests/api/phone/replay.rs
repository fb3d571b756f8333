//! Replay-proof webhooks and deliberate endings: a CallSid's signed `/incoming-call` is
//! answered once (a repeat gets 409, no token and no AI session); a call's end, reported
//! again and again by status callbacks, is written once; and the server's own hang-ups and
//! transfers reach Twilio's REST API before the media stream closes, so the `<Dial>` kept
//! after `</Connect>` (for a PC that drops mid-call) is never reached by them.

use super::*;

/// Posts `call`'s signed webhook again, byte for byte the same parameters.
async fn replay(p: &Phone, call: &kitchen_testkit::twilio_caller::CallStart) -> u16 {
    let again = p
        .caller
        .post_webhook("/incoming-call", call.params.clone(), None)
        .await
        .unwrap();
    assert!(again.stream_url.is_none(), "{}", again.twiml);
    assert!(again.parameter("token").is_none(), "{}", again.twiml);
    again.status
}

#[tokio::test]
async fn the_same_signed_webhook_three_times_gets_one_token_and_one_ai_session() {
    let p = phone(Behaviour::Accept).await;
    let call = p.caller.place_call(CALLER, "+15005550006").await.unwrap();
    assert_eq!(call.status, 200, "{}", call.twiml);
    assert!(call.parameter("token").is_some());
    assert_eq!(replay(&p, &call).await, 409);
    assert_eq!(replay(&p, &call).await, 409);

    // The real call still gets its one session and its audio flows.
    let session = p.rt.next_session(WAIT).await.unwrap();
    let stream = p.caller.connect_stream(&call).await.unwrap();
    stream.send_audio(&tone(800, 440.0), false).await.unwrap();
    session
        .wait_for("input_audio_buffer.append", WAIT)
        .await
        .expect("the answered call is relayed");
    assert_eq!(replay(&p, &call).await, 409, "refused during the call too");
    assert_eq!(p.rt.attempts(), 1, "one AI socket for one phone call");
    let calls = json_with(p.app.api.get("/api/calls").await.unwrap(), 200).await;
    let rows = calls
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["call_sid"] == call.call_sid.as_str())
        .count();
    assert_eq!(rows, 1, "{calls}");
}

#[tokio::test]
async fn replays_racing_the_first_webhook_get_one_answer_between_them() {
    let p = phone(Behaviour::Accept).await;
    let params = p.caller.incoming_call_params(CALLER, "+15005550006");
    let posts = (0..3).map(|_| {
        let caller = p.caller.clone();
        let params = params.clone();
        tokio::spawn(async move {
            caller
                .post_webhook("/incoming-call", params, None)
                .await
                .unwrap()
        })
    });
    let mut statuses = Vec::new();
    let mut tokens = 0;
    for post in posts.collect::<Vec<_>>() {
        let answer = post.await.unwrap();
        tokens += usize::from(answer.parameter("token").is_some());
        statuses.push(answer.status);
    }
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409, 409]);
    assert_eq!(tokens, 1);
    p.rt.next_session(WAIT).await.unwrap();
    assert_eq!(p.rt.attempts(), 1);
}

#[tokio::test]
async fn a_repeated_status_callback_writes_and_announces_the_calls_end_once() {
    let p = phone(Behaviour::Accept).await;
    let mut announced = p.app.state.bus.subscribe();
    // A call whose stream never comes: its status callback is what ends it in the log.
    let call = p.caller.place_call(CALLER, "+15005550006").await.unwrap();
    let status = |state: &str| {
        vec![
            ("CallSid".to_string(), call.call_sid.clone()),
            ("AccountSid".to_string(), call.account_sid.clone()),
            ("CallStatus".to_string(), state.to_string()),
            ("CallDuration".to_string(), "7".to_string()),
        ]
    };
    for _ in 0..3 {
        let res = p
            .caller
            .post_webhook("/twilio/status", status("completed"), None)
            .await
            .unwrap();
        assert_eq!(res.status, 204);
    }
    let first = wait_for_call_end(&p.app, &call.call_sid).await;
    assert_eq!(first["outcome"], "abandoned");
    // A later call's start is written after everything queued before it: once it is
    // announced, every end the callbacks could have written is announced too.
    let later = p.caller.place_call(CALLER, "+15005550006").await.unwrap();
    let mut ended = 0;
    loop {
        let published = tokio::time::timeout(WAIT, announced.recv())
            .await
            .expect("the later call's start is announced")
            .unwrap();
        match &*published.event {
            KitchenEvent::CallEnded { call: c } if c.call_sid == call.call_sid => ended += 1,
            KitchenEvent::CallStarted { call: c } if c.call_sid == later.call_sid => break,
            _ => {}
        }
    }
    assert_eq!(ended, 1, "the end is announced once");
    let after = json_with(
        p.app
            .api
            .get(&format!("/api/calls/{}", call.call_sid))
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(after["ended_at"], first["ended_at"]);
    assert_eq!(after["outcome"], "abandoned");
}

#[tokio::test]
async fn an_end_call_by_the_ai_hangs_up_before_the_stream_closes_so_the_fallback_dial_is_never_reached()
 {
    let p = phone(Behaviour::Accept).await;
    let (call, stream, session) = answered(&p, &p.caller).await;
    // The TwiML keeps a <Dial> to the shop after </Connect>, for a PC that drops mid-call.
    assert_eq!(
        call.dial.as_deref(),
        Some("+924235761234"),
        "{}",
        call.twiml
    );
    session
        .call_function(
            "resp-9",
            "call-e",
            "end_call",
            json!({"outcome": "enquiry"}),
        )
        .unwrap();
    let hangup = p
        .rest
        .wait_for_call_update(&call.call_sid, WAIT)
        .await
        .unwrap();
    assert_eq!(hangup.field("Status"), Some("completed"));
    assert_eq!(hangup.status, 200, "Twilio ended the call");
    stream.wait_closed(WAIT).await.unwrap();
    let closed = stream.closed_at().unwrap();
    assert!(
        hangup.at < closed,
        "the call was over before its stream closed: Twilio never moves on to the <Dial>"
    );
    let log = wait_for_call_end(&p.app, &call.call_sid).await;
    assert_eq!(log["outcome"], "enquiry");
    assert_eq!(
        p.rest.requests().len(),
        1,
        "one hang-up, no redirect to the shop"
    );
}

#[tokio::test]
async fn a_transfer_redirects_the_call_before_the_stream_closes() {
    let p = phone(Behaviour::Accept).await;
    let (call, stream, session) = answered(&p, &p.caller).await;
    session
        .call_function("resp-9", "call-t", "transfer_to_human", json!({}))
        .unwrap();
    let redirect = p
        .rest
        .wait_for_call_update(&call.call_sid, WAIT)
        .await
        .unwrap();
    assert!(redirect.field("Twiml").is_some_and(|t| t.contains("<Dial")));
    stream.wait_closed(WAIT).await.unwrap();
    assert!(
        redirect.at < stream.closed_at().unwrap(),
        "the call had new TwiML before its stream closed"
    );
}
