//! The call log's outcome through real sockets: `end_call({outcome})` says why a call without
//! an order ended, and the server keeps what it knows (an order placed, a cancel done) over
//! what the model says. A bad outcome still ends the call.

use super::*;
use kitchen_testkit::Step;
use kitchen_testkit::fixtures::family_order;

/// The model ends the call with `arguments`; Twilio is told to hang up and the stream
/// closes; the call's log entry.
async fn end_with(
    p: &Phone,
    call: &kitchen_testkit::twilio_caller::CallStart,
    stream: &FakeStream,
    session: &kitchen_testkit::realtime::FakeSession,
    arguments: Value,
) -> Value {
    session
        .call_function("r-end", "c-end", "end_call", arguments)
        .unwrap();
    let hangup = p
        .rest
        .wait_for_call_update(&call.call_sid, WAIT)
        .await
        .unwrap();
    assert_eq!(hangup.field("Status"), Some("completed"));
    stream.wait_closed(WAIT).await.unwrap();
    wait_for_call_end(&p.app, &call.call_sid).await
}

#[tokio::test]
async fn an_enquiry_call_is_logged_enquiry_and_the_model_is_told_which_outcomes_exist() {
    let p = phone(Behaviour::Accept).await;
    let (call, stream, session) = answered(&p, &p.caller).await;
    let update = &session.received()[0];
    let end_call = update["session"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "end_call")
        .unwrap();
    assert_eq!(end_call["parameters"]["required"], json!(["outcome"]));
    let log = end_with(&p, &call, &stream, &session, json!({"outcome": "enquiry"})).await;
    assert_eq!(log["outcome"], "enquiry");
    assert_eq!(log["order_id"], Value::Null);
}

#[tokio::test]
async fn a_call_that_placed_an_order_is_logged_ordered_whatever_the_model_says() {
    let mut script = order_script();
    let last = script.steps.len() - 1;
    script.steps[last] = Step::call_and_forget("end_call", json!({"outcome": "enquiry"}));
    let p = phone_with(FakeRealtime::start_scripted(script).await.unwrap(), |_| {}).await;
    let call = p.caller.place_call(CALLER, "+15005550006").await.unwrap();
    let stream = Arc::new(p.caller.connect_stream(&call).await.unwrap());
    let talker = keep_talking(stream.clone());
    let hangup = p
        .rest
        .wait_for_call_update(&call.call_sid, Duration::from_secs(30))
        .await
        .unwrap();
    assert_eq!(hangup.field("Status"), Some("completed"));
    stream.wait_closed(WAIT).await.unwrap();
    talker.abort();
    let log = wait_for_call_end(&p.app, &call.call_sid).await;
    assert_eq!(log["outcome"], "ordered");
    assert!(log["order_id"].as_i64().is_some());
}

#[tokio::test]
async fn a_cancel_done_on_the_call_is_logged_cancelled_whatever_the_model_says() {
    let p = phone(Behaviour::Accept).await;
    let o = p.app.api.create_order(&family_order()).await.unwrap();
    let (call, stream, session) = answered(&p, &p.caller).await;
    session
        .call_function(
            "r1",
            "c-cancel",
            "cancel_order",
            json!({"order_number": o["number"], "reason": "late"}),
        )
        .unwrap();
    assert_eq!(output_of(&session, "c-cancel").await["cancelled"], true);
    let log = end_with(
        &p,
        &call,
        &stream,
        &session,
        json!({"outcome": "complaint"}),
    )
    .await;
    assert_eq!(log["outcome"], "cancelled");
}

#[tokio::test]
async fn a_bad_outcome_still_ends_the_call_and_is_logged_as_the_best_known() {
    let p = phone(Behaviour::Accept).await;
    let (call, stream, session) = answered(&p, &p.caller).await;
    let log = end_with(&p, &call, &stream, &session, json!({"outcome": "angry"})).await;
    assert_eq!(log["outcome"], "enquiry");
    assert!(log["ended_at"].as_str().is_some());
}
