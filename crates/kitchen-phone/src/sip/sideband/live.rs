//! The `sip-live` sideband: `{OPENAI_LIVE_URL}/{session_id}/attach`, no `session.start`.
//!
//! With `responses` delegation the backend model's function calls arrive as `response.event`
//! envelopes (a nested `response.output_item.done` whose item is a completed
//! `function_call`). Each is run ([`Call::run_tool`]) and answered with `response.item.create`
//! (`function_call_output`); once the backend response is over (its nested
//! `response.completed` / `.done` / `.incomplete` / `.failed`) and results were sent, ONE
//! `response.create` lets it continue. `end_call` hangs up (`/hangup`) and
//! `transfer_to_human` refers the caller to the shop's phone (`/refer`) once the voice has
//! been quiet for a moment after that response. Transcripts (deltas, no turn boundaries) go
//! into the call log a line per turn (a change of speaker or a delegation ends one); `session.usage.updated` (cumulative seconds)
//! into the call's cost. A dropped sideband is re-attached as for Realtime.

use super::{Ending, GAP_NOTICE, Session, Socket, attached, refer_to_shop};
use crate::CallService;
use crate::driver::call::Call;
use crate::kitchen::CallUpdate;
use crate::sip::SipCall;
use crate::sip::control::CallControl;
use crate::tools::{self, ToolName};
use futures_util::{SinkExt, StreamExt};
use kitchen_domain::CallOutcome;
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;
use voice_protocol::live::{ClientEvent, ServerEvent};

/// How long the voice must be quiet after the response carrying `end_call` or
/// `transfer_to_human` before the call is hung up or referred (its goodbye is spoken).
const QUIET: Duration = Duration::from_millis(1200);
/// The longest the call waits for that quiet.
const MAX_GOODBYE: Duration = Duration::from_secs(6);

/// The sideband URL of a GPT-Live SIP session.
pub fn live_url(base: &str, session_id: &str) -> String {
    format!("{}/{session_id}/attach", base.trim_end_matches('/'))
}

/// What the call does once the backend response in progress is over and the voice quiet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum After {
    HangUp,
    Transfer,
}

/// What one call's sideband remembers across re-attaches.
#[derive(Debug, Default)]
struct LiveState {
    /// The speaker of `line` (`caller` or `ai`) and the text so far.
    speaker: Option<&'static str>,
    line: String,
    /// Cost already logged, thousandths of a paisa.
    logged_millipaisa: u64,
    /// Results sent since the last `response.create`.
    outputs_pending: bool,
    after: Option<After>,
    /// When to act on `after`: pushed back while the voice speaks.
    act_at: Option<tokio::time::Instant>,
    act_by: Option<tokio::time::Instant>,
}

impl LiveState {
    /// Adds a transcript delta; a change of speaker logs the previous turn.
    fn heard(&mut self, c: &Call, speaker: &'static str, delta: &str) {
        if self.speaker != Some(speaker) {
            self.flush(c);
            self.speaker = Some(speaker);
        }
        self.line.push_str(delta);
    }

    /// Logs the turn in progress, if any.
    fn flush(&mut self, c: &Call) {
        let text = self.line.trim().to_string();
        self.line.clear();
        if let Some(speaker) = self.speaker
            && !text.is_empty()
        {
            c.log(CallUpdate::Said {
                call_sid: c.call_sid.clone(),
                speaker,
                text,
                at: c.calls.inner.clock.now(),
            });
        }
    }

    /// Logs the growth of the session's cost (`seconds` is cumulative).
    fn usage(&mut self, c: &Call, seconds: f64) {
        let price = c.calls.config().live_price_paisa_per_minute;
        let total = crate::caps::live_session_cost_millipaisa(seconds, price);
        let added = total.saturating_sub(self.logged_millipaisa);
        if added == 0 {
            return;
        }
        self.logged_millipaisa = total;
        c.log(CallUpdate::Usage {
            call_sid: c.call_sid.clone(),
            input: 0,
            output: 0,
            audio_in: 0,
            audio_out: 0,
            cached_in: 0,
            cost_millipaisa: added,
        });
    }
}

/// Runs the GPT-Live sideband until the call ends.
pub(super) async fn run(
    calls: &CallService,
    control: &CallControl,
    c: &Call,
    call: &SipCall,
) -> Ending {
    let cfg = calls.config();
    let Some(key) = cfg.openai_api_key.clone() else {
        return Ending::Over;
    };
    let url = live_url(&cfg.openai_live_url, &call.id);
    let mut session = Live {
        calls,
        control,
        c,
        call,
        state: LiveState::default(),
    };
    let ending = attached(
        calls,
        control,
        call,
        &url,
        key.expose(),
        "GPT-Live sideband",
        &mut session,
    )
    .await;
    session.state.flush(c);
    ending
}

/// The GPT-Live sideband of one call: tells the AI about gaps, then [`pump`]s, keeping its
/// [`LiveState`] across re-attaches.
struct Live<'a> {
    calls: &'a CallService,
    control: &'a CallControl,
    c: &'a Call,
    call: &'a SipCall,
    state: LiveState,
}

impl Session for Live<'_> {
    async fn run(&mut self, ws: &mut Socket, after_gap: bool) -> Option<Ending> {
        let first = if after_gap {
            tracing::info!(call_id = %self.call.id, "the GPT-Live sideband is back");
            vec![ClientEvent::thinking_append(GAP_NOTICE)]
        } else {
            Vec::new()
        };
        send_all(ws, first).await.ok()?;
        pump(
            self.calls,
            self.control,
            self.c,
            self.call,
            ws,
            &mut self.state,
        )
        .await
    }
}

async fn send_all(ws: &mut Socket, events: Vec<ClientEvent>) -> Result<(), ()> {
    for ev in events {
        let json = ev.to_json().map_err(|_| ())?;
        ws.send(Message::Text(json.into())).await.map_err(|_| ())?;
    }
    Ok(())
}

/// Whether a nested Responses event ends the backend response.
fn ends_response(nested: Option<&str>) -> bool {
    matches!(
        nested,
        Some("response.completed" | "response.done" | "response.incomplete" | "response.failed")
    )
}

/// Reads the sideband until the call ends (`Some`) or the socket drops (`None`).
async fn pump(
    calls: &CallService,
    control: &CallControl,
    c: &Call,
    call: &SipCall,
    ws: &mut Socket,
    state: &mut LiveState,
) -> Option<Ending> {
    let can_transfer = calls.can_transfer();
    loop {
        let act_at = state.act_at;
        let frame = tokio::select! {
            frame = ws.next() => frame,
            () = async {
                match act_at {
                    Some(at) => tokio::time::sleep_until(at).await,
                    None => std::future::pending().await,
                }
            } => {
                return Some(act(calls, control, call, state.after).await);
            }
        };
        let text = match frame {
            Some(Ok(Message::Text(t))) => t,
            Some(Ok(Message::Close(_)) | Err(_)) | None => return None,
            Some(Ok(_)) => continue,
        };
        let event = match ServerEvent::parse(&text) {
            Ok(ev) => ev,
            Err(e) => {
                tracing::debug!(call_id = %call.id, error = %e, "an unreadable GPT-Live sideband event");
                continue;
            }
        };
        let mut replies = Vec::new();
        match event {
            ServerEvent::ResponseEvent(envelope) => {
                if let Some(f) = envelope.completed_function_call() {
                    // What was said before the voice delegated is one turn.
                    state.flush(c);
                    let output = match f.name.parse::<ToolName>() {
                        Ok(ToolName::EndCall) => {
                            let reported = tools::parse_end_call_arguments(&f.arguments)
                                .unwrap_or(CallOutcome::Enquiry);
                            c.note(|facts| facts.reported = Some(reported));
                            state.after.get_or_insert(After::HangUp);
                            r#"{"ok":true}"#.to_string()
                        }
                        Ok(ToolName::TransferToHuman) => {
                            let t = tools::parse_transfer_arguments(&f.arguments);
                            c.needs_person(t.reason, t.summary, can_transfer).await;
                            if can_transfer {
                                state.after = Some(After::Transfer);
                                r#"{"ok":true,"note":"The call goes to the shop's phone after you finish speaking."}"#.to_string()
                            } else {
                                r#"{"ok":true,"call_back":true,"next":"No one can come to the phone now, so the shop will call the caller back. Tell the caller kindly, ask if there is anything else, then say goodbye and call end_call."}"#.to_string()
                            }
                        }
                        Ok(ToolName::Hold) => {
                            tools::hold_output(tools::parse_hold_arguments(&f.arguments))
                        }
                        Ok(tool) => c.run_tool(tool, &f.arguments).await,
                        Err(_) => {
                            tracing::warn!(call_id = %call.id, name = %f.name, "the backend called a tool we do not have");
                            r#"{"ok":false,"error":"unknown tool"}"#.to_string()
                        }
                    };
                    replies.push(ClientEvent::function_call_output(&f.call_id, output));
                    state.outputs_pending = true;
                } else if ends_response(envelope.nested_type()) {
                    if state.after.is_some() {
                        let now = tokio::time::Instant::now();
                        state.act_at = Some(now + QUIET);
                        state.act_by = Some(now + MAX_GOODBYE);
                        // The backend's last word (e.g. "say goodbye") still reaches the voice.
                        if state.outputs_pending {
                            replies.push(ClientEvent::response_create());
                            state.outputs_pending = false;
                        }
                    } else if state.outputs_pending {
                        replies.push(ClientEvent::response_create());
                        state.outputs_pending = false;
                    }
                }
            }
            ServerEvent::InputTranscriptDelta(t) => state.heard(c, "caller", &t.delta),
            ServerEvent::OutputTranscriptDelta(t) => {
                state.heard(c, "ai", &t.delta);
                // The voice is still speaking its goodbye: wait for it to finish.
                if let (Some(_), Some(by)) = (state.act_at, state.act_by) {
                    state.act_at = Some((tokio::time::Instant::now() + QUIET).min(by));
                }
            }
            ServerEvent::UsageUpdated(u) => state.usage(c, u.usage.seconds),
            ServerEvent::SessionClosed(closed) => {
                if let Some(usage) = closed.usage {
                    state.usage(c, usage.seconds);
                }
                tracing::info!(call_id = %call.id, reason = ?closed.reason, "the GPT-Live session closed");
                return Some(Ending::Over);
            }
            ServerEvent::Error(e) => {
                tracing::warn!(call_id = %call.id, error = ?e.error, "the GPT-Live sideband reported an error");
            }
            _ => {}
        }
        if send_all(ws, replies).await.is_err() {
            return None;
        }
    }
}

/// Hangs up or refers the call, as `end_call` / `transfer_to_human` asked.
async fn act(
    calls: &CallService,
    control: &CallControl,
    call: &SipCall,
    after: Option<After>,
) -> Ending {
    match after {
        Some(After::Transfer) => {
            if refer_to_shop(calls, control, call).await {
                Ending::Transferred
            } else {
                Ending::Over
            }
        }
        _ => {
            if let Err(e) = control.hang_up(call.api, &call.id).await {
                tracing::warn!(call_id = %call.id, error = %e, "could not hang up the GPT-Live SIP call");
            }
            Ending::HungUp
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_live_sideband_url_is_the_session_attach_path() {
        assert_eq!(
            live_url("wss://api.openai.com/v1/live/sessions", "live_1"),
            "wss://api.openai.com/v1/live/sessions/live_1/attach"
        );
        assert_eq!(
            live_url("ws://127.0.0.1:9/v1/live/sessions/", "live_1"),
            "ws://127.0.0.1:9/v1/live/sessions/live_1/attach"
        );
    }

    #[test]
    fn only_the_end_of_a_backend_response_releases_response_create() {
        assert!(ends_response(Some("response.completed")));
        assert!(ends_response(Some("response.failed")));
        assert!(!ends_response(Some("response.output_item.done")));
        assert!(!ends_response(None));
    }
}
