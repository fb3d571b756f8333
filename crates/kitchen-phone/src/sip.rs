//! Calls that reach OpenAI over SIP (engines `sip-realtime` and `sip-live`): Twilio's SIP
//! trunk sends the audio straight to OpenAI, and this PC only controls the call.
//!
//! `POST /openai/webhook` (public router) checks the Standard Webhooks signature, answers
//! 2xx at once and accepts the call in the background: the caps and the shop's switches
//! are checked as for a Twilio call (over a cap: the call is referred to the shop's phone,
//! or rejected 486 when there is none), then `/accept` with the session, then a sideband
//! WebSocket runs the order tools ([`sideband`]). Deliveries are de-duplicated by
//! `webhook-id` and by the call's id; the engine setting decides which of the two webhooks
//! one SIP call raises is taken (the other is acknowledged and ignored), so exactly one
//! engine accepts a call.

pub mod control;
pub mod sideband;

use crate::CallService;
use crate::kitchen::CallUpdate;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use control::{CallControl, ControlError, SipApi};
use kitchen_domain::{CallEndReason, CallOutcome, PhoneNumber, VoiceEngine};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use voice_protocol::webhooks::{
    WebhookError, WebhookEvent, WebhookHeaders, WebhookSecret, caller_number,
};

/// How long webhook ids and call ids are remembered (OpenAI retries for much longer, but a
/// late retry of a call finds it gone: its accept gets a 404).
const REMEMBER: Duration = Duration::from_secs(3600);
/// Ids remembered at most (the oldest are dropped beyond it).
const MAX_REMEMBERED: usize = 4096;

/// The SIP status of a call refused with nobody to refer it to: Busy Here.
pub const BUSY: u16 = 486;

/// Webhook deliveries and calls seen lately.
#[derive(Debug, Default)]
pub(crate) struct SipBook {
    deliveries: Seen,
    calls: Seen,
}

#[derive(Debug, Default)]
struct Seen(Mutex<HashMap<String, Instant>>);

impl Seen {
    /// `true` the first time `id` is seen (within [`REMEMBER`]).
    fn first(&self, id: &str, now: Instant) -> bool {
        let mut seen = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if seen.len() >= MAX_REMEMBERED {
            seen.retain(|_, at| now.duration_since(*at) < REMEMBER);
            if seen.len() >= MAX_REMEMBERED {
                // A flood of distinct ids: forget the oldest half.
                let mut times: Vec<Instant> = seen.values().copied().collect();
                times.sort_unstable();
                let cut = times[times.len() / 2];
                seen.retain(|_, at| *at > cut);
            }
        }
        match seen.get(id) {
            Some(at) if now.duration_since(*at) < REMEMBER => false,
            _ => {
                seen.insert(id.to_string(), now);
                true
            }
        }
    }
}

/// A call this PC takes: which API, its id, and the caller's number (untrusted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SipCall {
    /// The API the call is accepted on.
    pub api: SipApi,
    /// `rtc_…` or `live_…`.
    pub id: String,
    /// From the `From` header: only a call-back suggestion the caller must confirm.
    pub caller: PhoneNumber,
}

/// What to do with a verified webhook, by the engine in effect (pure).
pub fn select(engine: VoiceEngine, event: &WebhookEvent) -> Option<SipCall> {
    let (api, id) = match (engine, event) {
        (VoiceEngine::SipLive, WebhookEvent::LiveIncoming { data, .. }) => {
            (SipApi::Live, &data.session_id)
        }
        (VoiceEngine::SipRealtime, WebhookEvent::RealtimeIncoming { data, .. }) => {
            (SipApi::Realtime, &data.call_id)
        }
        _ => return None,
    };
    let caller = caller_number(event.sip_headers())
        .and_then(|n| PhoneNumber::parse(&n).ok())
        .unwrap_or(PhoneNumber::Withheld);
    Some(SipCall {
        api,
        id: id.clone(),
        caller,
    })
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// `POST /openai/webhook`: OpenAI's webhooks. Signed ones are answered 200 at once; a call
/// this PC takes is accepted in the background.
pub async fn webhook(
    State(calls): State<CallService>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let cfg = calls.config();
    let Some(secret) = cfg.openai_webhook_secret.as_ref() else {
        tracing::warn!(
            "refused an OpenAI webhook: no webhook secret is configured, so it cannot be verified"
        );
        return (StatusCode::UNAUTHORIZED, "webhook secret not configured").into_response();
    };
    let secret = match WebhookSecret::parse(secret.expose()) {
        Ok(secret) => secret,
        Err(_) => {
            tracing::error!(
                "refused an OpenAI webhook: the configured webhook secret is not `whsec_<base64>`"
            );
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                "webhook secret is malformed",
            )
                .into_response();
        }
    };
    let received = WebhookHeaders {
        id: header(&headers, voice_protocol::webhooks::ID_HEADER),
        timestamp: header(&headers, voice_protocol::webhooks::TIMESTAMP_HEADER),
        signature: header(&headers, voice_protocol::webhooks::SIGNATURE_HEADER),
    };
    let now = calls.inner.clock.now().timestamp();
    let verified = match secret.verify(received, &body, now) {
        Ok(v) => v,
        Err(e) => {
            let status = match e {
                WebhookError::BadSignature => StatusCode::UNAUTHORIZED,
                _ => StatusCode::BAD_REQUEST,
            };
            tracing::warn!(error = %e, "refused an OpenAI webhook");
            return (status, e.to_string()).into_response();
        }
    };
    if !calls
        .inner
        .sip
        .deliveries
        .first(&verified.id, Instant::now())
    {
        tracing::debug!(webhook_id = %verified.id, "a repeated OpenAI webhook delivery: already handled");
        return StatusCode::OK.into_response();
    }
    let event = match WebhookEvent::parse(&body) {
        Ok(event) => event,
        Err(e) => {
            tracing::warn!(error = %e, "refused a signed OpenAI webhook whose body is not an event we know");
            return (StatusCode::BAD_REQUEST, "webhook body is not a known event").into_response();
        }
    };
    let Some(call) = select(cfg.voice_engine, &event) else {
        tracing::debug!(
            engine = cfg.voice_engine.as_str(),
            "an OpenAI webhook this engine does not take: acknowledged"
        );
        return StatusCode::OK.into_response();
    };
    if !control::plain_id(&call.id) {
        tracing::warn!("refused an OpenAI webhook whose call id is not a plain id");
        return (StatusCode::BAD_REQUEST, "call id is malformed").into_response();
    }
    if !calls.inner.sip.calls.first(&call.id, Instant::now()) {
        tracing::debug!(call_id = %call.id, "a call already handled: acknowledged");
        return StatusCode::OK.into_response();
    }
    let tracker = calls.inner.live.clone();
    tracker.spawn(answer(calls, call));
    StatusCode::OK.into_response()
}

/// Counts a SIP call among the calls with the AI until dropped.
struct Active(CallService);

impl Drop for Active {
    fn drop(&mut self) {
        self.0
            .inner
            .active
            .fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
    }
}

/// Accepts (or turns away) one SIP call, then runs its sideband until it ends.
pub(crate) async fn answer(calls: CallService, call: SipCall) {
    let cfg = calls.config();
    let now = calls.inner.clock.now();
    let call_sid = call.id.clone();
    calls.inner.log.record(CallUpdate::Started {
        call_sid: call_sid.clone(),
        caller: Some(call.caller.to_string()),
        at: now,
    });
    let Some(key) = cfg.openai_api_key.clone() else {
        // Without a key nothing can be said to OpenAI: the call rings out.
        tracing::warn!(call_id = %call_sid, "no OPENAI_API_KEY: a SIP call cannot be accepted, rejected or referred");
        end(
            &calls,
            &call_sid,
            CallOutcome::Failed,
            "no OpenAI API key is configured",
            Some(CallEndReason::NoOpenaiKey),
        );
        return;
    };
    let control = CallControl::new(&cfg.openai_api_base, key);
    if calls.answering_paused() {
        tracing::info!(call_id = %call_sid, "AI answering is paused: the SIP call goes to the shop's phone (or is refused busy)");
        turn_away(
            &calls,
            &control,
            &call,
            "AI answering is paused",
            CallEndReason::AnsweringPaused,
        )
        .await;
        return;
    }
    if let Err(refusal) = crate::caps::check_budget(&calls).await {
        turn_away(&calls, &control, &call, &refusal.reason(), refusal.code()).await;
        return;
    }
    let admitted = calls.inner.callers.admit(&calls, &call.caller, now, || {
        calls
            .inner
            .active
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        call_sid.clone()
    });
    if let Err(refusal) = admitted {
        turn_away(&calls, &control, &call, &refusal.reason(), refusal.code()).await;
        return;
    }
    let _active = Active(calls.clone());
    let setup = crate::routes::session_setup(&calls, &call.caller).await;
    let session = match call.api {
        SipApi::Realtime => realtime_accept_session(&cfg, &setup),
        SipApi::Live => live_accept_session(&cfg, &setup),
    };
    match control.accept(call.api, &call.id, session).await {
        Ok(()) => {}
        Err(ControlError::Gone) => {
            tracing::info!(call_id = %call_sid, "the SIP call was gone before it was accepted (404)");
            end(
                &calls,
                &call_sid,
                CallOutcome::Abandoned,
                "the call was gone before it was accepted",
                None,
            );
            return;
        }
        Err(e) => {
            tracing::error!(call_id = %call_sid, error = %e, "could not accept a SIP call");
            end(
                &calls,
                &call_sid,
                CallOutcome::Failed,
                &e.to_string(),
                Some(CallEndReason::AiFailed),
            );
            return;
        }
    }
    calls.inner.log.record(CallUpdate::Answered {
        call_sid: call_sid.clone(),
        at: calls.inner.clock.now(),
    });
    sideband::run(calls.clone(), control, call, setup.greeting).await;
}

/// Logs the end of a call.
pub(crate) fn end(
    calls: &CallService,
    call_sid: &str,
    outcome: CallOutcome,
    reason: &str,
    code: Option<CallEndReason>,
) {
    calls.inner.log.record(CallUpdate::Ended {
        call_sid: call_sid.to_string(),
        outcome,
        reason: Some(reason.to_string()),
        code,
        at: calls.inner.clock.now(),
    });
}

/// A call the AI does not take: referred to the shop's phone as a Twilio call would be
/// dialled there, or refused 486 (Busy Here) when the shop has no phone set.
/// ❓ Whether OpenAI honours `/refer` on a call not yet accepted is undocumented; when it
/// refuses, the call is rejected busy instead, so the caller is never left ringing.
async fn turn_away(
    calls: &CallService,
    control: &CallControl,
    call: &SipCall,
    reason: &str,
    code: CallEndReason,
) {
    let shop = calls.config().shop_phone.clone();
    let referred = match &shop {
        Some(phone) => match control
            .refer(call.api, &call.id, &format!("tel:{phone}"))
            .await
        {
            Ok(()) => true,
            Err(e) => {
                tracing::warn!(call_id = %call.id, error = %e, "could not refer a turned-away SIP call to the shop's phone; rejecting it busy");
                false
            }
        },
        None => false,
    };
    if !referred && let Err(e) = control.reject(call.api, &call.id, BUSY).await {
        tracing::warn!(call_id = %call.id, error = %e, "could not reject a SIP call");
    }
    let outcome = if referred {
        CallOutcome::Transferred
    } else {
        CallOutcome::Failed
    };
    tracing::info!(call_id = %call.id, %reason, referred, "a SIP call was turned away");
    end(calls, &call.id, outcome, reason, Some(code));
}

/// The Realtime session for `/realtime/calls/{id}/accept`: the same instructions, tools,
/// voice and transcription as a Twilio call's `session.update`, minus the audio formats
/// (SIP negotiates the codec) and with the server answering and yielding to barge-in on
/// its own (no relay sits in the audio path to decide turns).
pub fn realtime_accept_session(
    cfg: &crate::config::CallConfig,
    setup: &crate::realtime::SessionSetup,
) -> Value {
    let event = crate::realtime::session_update(cfg, setup);
    let mut session = serde_json::to_value(&event)
        .ok()
        .and_then(|mut v| v.get_mut("session").map(Value::take))
        .unwrap_or_else(|| json!({}));
    session["type"] = json!("realtime");
    session["model"] = json!(cfg.openai_model);
    session["tool_choice"] = json!("auto");
    if let Some(audio) = session.get_mut("audio").and_then(Value::as_object_mut) {
        for side in ["input", "output"] {
            if let Some(part) = audio.get_mut(side).and_then(Value::as_object_mut) {
                part.remove("format");
            }
        }
        if let Some(turns) = audio
            .get_mut("input")
            .and_then(|i| i.get_mut("turn_detection"))
            .and_then(Value::as_object_mut)
        {
            turns.insert("create_response".into(), json!(true));
            turns.insert("interrupt_response".into(), json!(true));
        }
    }
    session
}

/// The GPT-Live session for `/live/sessions/{id}/accept`: the voice model speaks with a
/// short persona ([`live_voice_instructions`]); a Responses model runs the order tools
/// (`responses` delegation) with the business rules (shop, menu, order rules) as its
/// instructions. No `audio.format`: SIP negotiates it.
pub fn live_accept_session(
    cfg: &crate::config::CallConfig,
    setup: &crate::realtime::SessionSetup,
) -> Value {
    use voice_protocol::live::{
        AudioOutput, Delegation, ResponsesDelegation, SessionAudio, SessionConfig, Tool,
        ToolChoiceMode,
    };
    let config = SessionConfig {
        model: cfg.openai_live_model.clone(),
        instructions: Some(live_voice_instructions(&setup.greeting)),
        audio: Some(SessionAudio {
            format: None,
            output: Some(AudioOutput {
                voice: Some(cfg.openai_voice.clone()),
            }),
        }),
        delegation: Some(Delegation::Responses {
            responses: ResponsesDelegation {
                model: cfg.openai_live_backend_model.clone(),
                instructions: Some(setup.instructions.clone()),
                tools: setup.tools.iter().cloned().map(Tool::from).collect(),
                tool_choice: Some(ToolChoiceMode::Auto),
                parallel_tool_calls: Some(false),
                max_output_tokens: None,
            },
        }),
    };
    serde_json::to_value(config.for_sip_accept()).unwrap_or_else(|_| json!({}))
}

/// The GPT-Live voice ("frontend") prompt of a SIP call: who speaks and how (Urdu, short
/// turns), the Backchannel, Interruption and Delegation policies, and the greeting. The
/// menu, prices and order rules are the backend's (`delegation.responses.instructions`):
/// the voice model only knows what a delegated result tells it.
pub fn live_voice_instructions(greeting: &str) -> String {
    format!(
        "# Role\n\
         You answer the phone for a pizza shop in Pakistan. Speak Urdu (Pakistani, polite, \
         warm; use English words Pakistanis use for food and numbers). Keep each turn short: \
         one or two sentences, then listen.\n\n\
         # Backchannel policy\n\
         While the caller dictates an order, an address or a number, acknowledge briefly \
         (\"جی\", \"اچھا\", \"ٹھیک ہے\") and let them finish; do not repeat everything back \
         until they pause.\n\n\
         # Interruption policy\n\
         If the caller talks over you, stop at once and listen. Do not restart your sentence \
         from the beginning; answer what they said.\n\n\
         # Delegation policy\n\
         You do not know the menu, prices, deals, delivery areas, timings or order numbers. \
         For anything about the order, the menu or the shop, delegate and say only what the \
         result tells you; never invent prices, items or order numbers. An order is placed \
         only when a result says so. When the caller wants a person, delegate that too. \
         When the call is finished, say goodbye and delegate ending the call.\n\n\
         # Greeting\n\
         When the call starts: {greeting}"
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn event(kind: &str) -> WebhookEvent {
        let body = match kind {
            "live" => {
                r#"{"id":"e","type":"live.transport.incoming","created_at":1,"data":{"type":"sip","session_id":"live_1","sip_headers":[{"name":"From","value":"<sip:+923001234567@x>"}]}}"#
            }
            _ => {
                r#"{"id":"e","type":"realtime.call.incoming","created_at":1,"data":{"call_id":"rtc_1","sip_headers":[]}}"#
            }
        };
        WebhookEvent::parse(body.as_bytes()).unwrap()
    }

    #[test]
    fn each_sip_engine_takes_only_its_own_webhook() {
        let live = select(VoiceEngine::SipLive, &event("live")).unwrap();
        assert_eq!(live.api, SipApi::Live);
        assert_eq!(live.caller, PhoneNumber::parse("+923001234567").unwrap());
        assert_eq!(select(VoiceEngine::SipLive, &event("rt")), None);
        let rt = select(VoiceEngine::SipRealtime, &event("rt")).unwrap();
        assert_eq!((rt.api, rt.id.as_str()), (SipApi::Realtime, "rtc_1"));
        assert_eq!(rt.caller, PhoneNumber::Withheld);
        assert_eq!(select(VoiceEngine::SipRealtime, &event("live")), None);
        assert_eq!(select(VoiceEngine::RealtimeBridge, &event("rt")), None);
    }

    #[test]
    fn an_id_is_first_once() {
        let seen = Seen::default();
        let now = Instant::now();
        assert!(seen.first("a", now));
        assert!(!seen.first("a", now));
        assert!(seen.first("b", now));
    }
}
