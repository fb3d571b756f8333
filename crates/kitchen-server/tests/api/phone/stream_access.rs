//! Who may reach the AI: a webhook needs Twilio's signature, a media stream needs its
//! call's one-time token in `start`, in time, and only once.

use super::*;
#[tokio::test]
async fn a_wrong_signature_is_403_and_opens_no_ai_session() {
    let p = phone(Behaviour::Accept).await;
    let call = p
        .caller
        .place_call_with_signature(CALLER, "+15005550006", "bm90IGEgc2lnbmF0dXJl")
        .await
        .unwrap();
    assert_eq!(call.status, 403);
    assert!(call.stream_url.is_none());
    assert_eq!(p.rt.attempts(), 0);
    // A signed call placed after it gets its AI session, relays its audio through it, and
    // that session is the only Realtime connection the server ever opened: none came for
    // the unsigned call, though it had a head start.
    let (_signed, stream, session) = answered(&p, &p.caller).await;
    stream.send_audio(&tone(800, 440.0), false).await.unwrap();
    session
        .wait_for("input_audio_buffer.append", WAIT)
        .await
        .expect("the signed call's audio reaches its session");
    assert_eq!(
        p.rt.attempts(),
        1,
        "no Realtime connection for an unsigned call"
    );
}

#[tokio::test]
async fn a_stream_with_a_wrong_or_missing_token_is_closed_without_an_ai_session() {
    let p = phone(Behaviour::Accept).await;
    let call = p.caller.place_call(CALLER, "+15005550006").await.unwrap();
    assert_eq!(call.status, 200);
    let session = p.rt.next_session(WAIT).await.unwrap(); // pre-warmed for the real call
    let before = p.rt.attempts();
    for tamper in [Some("not-the-token"), None] {
        let mut forged = call.clone();
        forged.parameters.retain(|(n, _)| n != "token");
        if let Some(t) = tamper {
            forged.parameters.push(("token".into(), t.into()));
        }
        let stream = p.caller.connect_stream(&forged).await.unwrap();
        stream
            .wait_closed(WAIT)
            .await
            .expect("the server closes a stream with a bad token");
    }
    assert_eq!(p.rt.attempts(), before, "no new Realtime connection");
    // The real token still works once, and only once.
    let stream = p.caller.connect_stream(&call).await.unwrap();
    stream.send_audio(&tone(800, 440.0), false).await.unwrap();
    session
        .wait_for("input_audio_buffer.append", WAIT)
        .await
        .expect("the real token's stream is relayed");
    assert!(!stream.is_closed());
    let reused = p.caller.connect_stream(&call).await.unwrap();
    reused
        .wait_closed(WAIT)
        .await
        .expect("a used token is refused");
    assert_eq!(p.rt.attempts(), before, "still no new Realtime connection");
}

#[tokio::test]
async fn a_stream_upgrade_with_a_forged_signature_is_refused() {
    let p = phone(Behaviour::Accept).await;
    let forger = FakeCaller::new(&p.app.public, PUBLIC, TOKEN)
        .with_account_sid(p.rest.account_sid())
        .with_stream_signed_by("not-the-auth-token");
    let call = forger.place_call(CALLER, "+15005550006").await.unwrap();
    assert_eq!(call.status, 200, "the webhook itself is correctly signed");
    let session = p.rt.next_session(WAIT).await.unwrap(); // pre-warmed for the call
    let before = p.rt.attempts();
    let Err(err) = forger.connect_stream(&call).await else {
        panic!("the upgrade with a forged signature was accepted");
    };
    assert!(format!("{err:#}").contains("403"), "{err:#}");
    assert_eq!(p.rt.attempts(), before, "no new Realtime connection");
    // The same call with a correct signature (and its unused token) still gets through.
    let stream = p.caller.connect_stream(&call).await.unwrap();
    stream.send_audio(&tone(800, 440.0), false).await.unwrap();
    session
        .wait_for("input_audio_buffer.append", WAIT)
        .await
        .expect("the correctly signed stream is relayed");
    assert!(!stream.is_closed());
}

#[tokio::test]
async fn a_stream_whose_token_expired_is_closed_and_its_ai_session_dropped() {
    // A token that lives no time at all has expired by the time any stream brings it back
    // (the 60 s rule itself is a unit test of the registry).
    let rt = FakeRealtime::start(Behaviour::Accept).await.unwrap();
    let p = phone_with(rt, |c| c.phone.timeouts.stream_token = Duration::ZERO).await;
    let call = p.caller.place_call(CALLER, "+15005550006").await.unwrap();
    assert_eq!(call.status, 200);
    let prewarmed = p.rt.next_session(WAIT).await.unwrap();
    let before = p.rt.attempts();
    let late = p.caller.connect_stream(&call).await.unwrap();
    late.wait_closed(WAIT)
        .await
        .expect("the server closes a stream whose token expired");
    assert_eq!(p.rt.attempts(), before, "no new Realtime connection");
    prewarmed
        .wait_closed(WAIT)
        .await
        .expect("the AI connection opened for the expired call is closed");
}

/// The 5 s default is a driver unit test on paused time
/// (`a_stream_that_never_sends_start_is_closed_after_exactly_five_seconds`); here the
/// configured wait is shortened, and the real server keeps to it.
#[tokio::test]
async fn a_stream_that_never_sends_start_is_closed_when_the_start_wait_ends() {
    let wait = Duration::from_millis(400);
    let rt = FakeRealtime::start(Behaviour::Accept).await.unwrap();
    let p = phone_with(rt, |c| c.phone.timeouts.start = wait).await;
    let (mut ws, _) = tokio_tungstenite::connect_async(format!(
        "{}/media-stream",
        p.app.public.replacen("http", "ws", 1)
    ))
    .await
    .unwrap();
    use futures_util::StreamExt;
    let started = Instant::now();
    let close = tokio::time::timeout(WAIT, async {
        while let Some(Ok(m)) = ws.next().await {
            if let tokio_tungstenite::tungstenite::Message::Close(frame) = m {
                return frame.map(|f| u16::from(f.code));
            }
        }
        None
    })
    .await
    .expect("the server closes the stream");
    assert_eq!(close, Some(1008), "a policy close");
    assert!(started.elapsed() >= wait, "not before the start wait");
    assert_eq!(p.rt.attempts(), 0);
}
