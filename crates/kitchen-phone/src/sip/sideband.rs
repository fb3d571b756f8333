//! The sideband of an accepted SIP call: the WebSocket on which this PC sees the call's
//! events and runs the order tools, while the audio flows between Twilio and OpenAI.
//!
//! - `sip-realtime`: `{OPENAI_REALTIME_URL}?call_id={id}`, today's Realtime events: each
//!   `response.function_call_arguments.done` runs the tool ([`Call::run_tool`]) and answers
//!   with `conversation.item.create` (function_call_output) and `response.create`;
//!   `end_call` hangs up (`/hangup`) and `transfer_to_human` refers the caller to the shop's
//!   phone (`/refer`), each once the response carrying it is done.
//! - A sideband that drops is re-attached with backoff. A re-attach refused with 404/410
//!   means the call is over. When it cannot re-attach within [`reattach_window`], tools
//!   cannot run: the caller is referred to the shop's phone. After a gap the AI is told
//!   that tool calls made meanwhile were lost and must be repeated.
//! - `sip-live`: `{OPENAI_LIVE_URL}/{session_id}/attach`, see [`live`]: tool calls arrive as
//!   `response.event`s and are answered with `response.item.create` and one
//!   `response.create`; re-attached the same way.

pub mod live;

use super::control::{CallControl, SipApi};
use super::{SipCall, end};
use crate::CallService;
use crate::driver::call::Call;
use crate::kitchen::CallUpdate;
use crate::tools::{self, ToolName};
use futures_util::{SinkExt, StreamExt};
use kitchen_domain::{CallEndReason, CallOutcome};
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use voice_protocol::realtime::server::ServerEvent;
use voice_protocol::realtime::{ClientEvent, ResponseConfig};

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Told to the AI after the sideband came back from a gap.
const GAP_NOTICE: &str = "The connection to the shop's order system was lost for a moment and is back. If you asked for anything (an order, a price, a cancellation) in the last moments and got no answer, call that tool again now; do not tell the caller an order is placed unless a tool said so.";

/// How long a dropped sideband may take to come back before the caller is referred to the
/// shop's phone: twice the AI connect timeout (10 s by default).
pub fn reattach_window(calls: &CallService) -> Duration {
    calls.config().timeouts.ai_connect * 2
}

/// The sideband URL of a Realtime SIP call.
pub fn realtime_url(base: &str, call_id: &str) -> String {
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}call_id={call_id}")
}

/// How a call ended, as the sideband saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ending {
    /// `end_call`, then `/hangup`.
    HungUp,
    /// `transfer_to_human`, then `/refer`.
    Transferred,
    /// The call is over (OpenAI closed it, or a re-attach found it gone).
    Over,
    /// Tools could not run: referred to the shop's phone.
    ToolsLost,
}

enum Attach {
    Open(Box<Socket>),
    /// 404/410: no such call any more.
    Gone,
    Failed(String),
}

async fn attach(url: &str, key: &str, limit: Duration) -> Attach {
    let Ok(mut req) = url.into_client_request() else {
        return Attach::Failed("the sideband URL is not valid".into());
    };
    let Ok(auth) = HeaderValue::from_str(&format!("Bearer {key}")) else {
        return Attach::Failed("the API key contains characters a header cannot carry".into());
    };
    req.headers_mut().insert("authorization", auth);
    match tokio::time::timeout(limit, tokio_tungstenite::connect_async(req)).await {
        Err(_) => Attach::Failed("timed out".into()),
        Ok(Ok((ws, _))) => Attach::Open(Box::new(ws)),
        Ok(Err(WsError::Http(res))) if matches!(res.status().as_u16(), 404 | 410) => Attach::Gone,
        Ok(Err(WsError::Http(res))) => Attach::Failed(format!("HTTP {}", res.status().as_u16())),
        Ok(Err(e)) => Attach::Failed(e.to_string()),
    }
}

/// Runs the sideband of an accepted call until the call ends, then logs its end.
pub(crate) async fn run(calls: CallService, control: CallControl, call: SipCall, greeting: String) {
    let c = Call::for_sip(calls.clone(), call.id.clone(), call.caller.clone());
    let ending = match call.api {
        SipApi::Realtime => realtime(&calls, &control, &c, &call, &greeting).await,
        SipApi::Live => live::run(&calls, &control, &c, &call).await,
    };
    let (outcome, reason, code) = match ending {
        Ending::HungUp | Ending::Over => (c.facts().outcome(), None, None),
        Ending::Transferred => (
            CallOutcome::Transferred,
            Some("the caller asked for a person"),
            Some(CallEndReason::CallerAskedForPerson),
        ),
        Ending::ToolsLost => (
            CallOutcome::Transferred,
            Some("the order tools could not be reached (sideband lost)"),
            Some(CallEndReason::AiFailed),
        ),
    };
    c.keep_draft().await;
    end(&calls, &call.id, outcome, reason.unwrap_or_default(), code);
}

async fn refer_to_shop(calls: &CallService, control: &CallControl, call: &SipCall) -> bool {
    match calls.config().shop_phone.clone() {
        Some(phone) => match control
            .refer(call.api, &call.id, &format!("tel:{phone}"))
            .await
        {
            Ok(()) => true,
            Err(e) => {
                tracing::warn!(call_id = %call.id, error = %e, "could not refer the SIP call to the shop's phone; hanging up");
                let _ = control.hang_up(call.api, &call.id).await;
                false
            }
        },
        None => {
            let _ = control.hang_up(call.api, &call.id).await;
            false
        }
    }
}

async fn realtime(
    calls: &CallService,
    control: &CallControl,
    c: &Call,
    call: &SipCall,
    greeting: &str,
) -> Ending {
    let cfg = calls.config();
    let Some(key) = cfg.openai_api_key.clone() else {
        return Ending::Over;
    };
    let url = realtime_url(&cfg.openai_realtime_url, &call.id);
    let mut session = Realtime {
        calls,
        control,
        c,
        call,
        greeting,
        greeted: false,
    };
    attached(
        calls,
        control,
        call,
        &url,
        key.expose(),
        "sideband",
        &mut session,
    )
    .await
}

/// One attached stretch of a sideband, as [`attached`] runs it.
trait Session {
    /// Runs the sideband on `ws` until the call ends (`Some`) or the socket drops (`None`).
    /// `after_gap`: the sideband comes back after a drop or a failed attach.
    fn run(
        &mut self,
        ws: &mut Socket,
        after_gap: bool,
    ) -> impl Future<Output = Option<Ending>> + Send;
}

/// The Realtime sideband of one call: greets once, tells the AI about gaps, then [`pump`]s.
struct Realtime<'a> {
    calls: &'a CallService,
    control: &'a CallControl,
    c: &'a Call,
    call: &'a SipCall,
    greeting: &'a str,
    greeted: bool,
}

impl Session for Realtime<'_> {
    async fn run(&mut self, ws: &mut Socket, after_gap: bool) -> Option<Ending> {
        let first = if !self.greeted {
            self.greeted = true;
            let greeting = ResponseConfig {
                instructions: Some(self.greeting.to_string()),
                ..ResponseConfig::default()
            };
            vec![ClientEvent::response_create(Some(greeting))]
        } else if after_gap {
            tracing::info!(call_id = %self.call.id, "the sideband is back");
            vec![ClientEvent::system_message(GAP_NOTICE)]
        } else {
            Vec::new()
        };
        send_all(ws, first).await.ok()?;
        pump(self.calls, self.control, self.c, self.call, ws).await
    }
}

/// Attaches the sideband at `url` and runs `session` on it, re-attaching with backoff
/// (100 ms, doubling, at most 2 s) whenever it drops, until the call ends.
///
/// `session` runs on each open socket until the call ends (the socket is then closed) or
/// the socket drops. A re-attach refused with 404/410 means the call is over.
/// When the sideband cannot attach within [`reattach_window`] of the drop (or of the first
/// failed attach), the caller is referred to the shop's phone. `name` is how the logs call this sideband.
async fn attached(
    calls: &CallService,
    control: &CallControl,
    call: &SipCall,
    url: &str,
    key: &str,
    name: &str,
    session: &mut impl Session,
) -> Ending {
    let cfg = calls.config();
    let window = reattach_window(calls);
    let mut dropped_at: Option<Instant> = None;
    let mut backoff = Duration::from_millis(100);
    loop {
        match attach(url, key, cfg.timeouts.ai_connect).await {
            Attach::Open(mut ws) => {
                backoff = Duration::from_millis(100);
                if let Some(ending) = session.run(&mut ws, dropped_at.is_some()).await {
                    let _ = SinkExt::close(&mut *ws).await;
                    return ending;
                }
                tracing::warn!(call_id = %call.id, "the {name} dropped mid-call; re-attaching");
                dropped_at = Some(Instant::now());
            }
            Attach::Gone => return Ending::Over,
            Attach::Failed(why) => {
                let since = *dropped_at.get_or_insert_with(Instant::now);
                if since.elapsed() >= window {
                    tracing::error!(call_id = %call.id, %why, "the {name} could not re-attach: the call goes to the shop's phone");
                    refer_to_shop(calls, control, call).await;
                    return Ending::ToolsLost;
                }
                tracing::debug!(call_id = %call.id, %why, "{name} attach failed; retrying");
            }
        }
        if calls.inner.shutdown.is_cancelled() {
            return Ending::Over;
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(Duration::from_secs(2));
    }
}

async fn send_all(ws: &mut Socket, events: Vec<ClientEvent>) -> Result<(), ()> {
    for ev in events {
        let json = ev.to_json().map_err(|_| ())?;
        ws.send(Message::Text(json.into())).await.map_err(|_| ())?;
    }
    Ok(())
}

/// What the call does once the response in progress is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum After {
    HangUp,
    Transfer,
}

/// Reads the sideband until the call ends (`Some`) or the socket drops (`None`).
async fn pump(
    calls: &CallService,
    control: &CallControl,
    c: &Call,
    call: &SipCall,
    ws: &mut Socket,
) -> Option<Ending> {
    let mut after: Option<After> = None;
    let can_transfer = calls.can_transfer();
    while let Some(frame) = ws.next().await {
        let text = match frame {
            Ok(Message::Text(t)) => t,
            Ok(Message::Close(_)) | Err(_) => return None,
            Ok(_) => continue,
        };
        let event = match ServerEvent::parse(&text) {
            Ok(ev) => ev,
            Err(e) => {
                tracing::debug!(call_id = %call.id, error = %e, "an unreadable sideband event");
                continue;
            }
        };
        let now = calls.inner.clock.now();
        let mut replies = Vec::new();
        match event {
            ServerEvent::FunctionCallArgumentsDone(f) => {
                let tool = f.name.parse::<ToolName>();
                match tool {
                    Ok(ToolName::EndCall) => {
                        let reported = tools::parse_end_call_arguments(&f.arguments)
                            .unwrap_or(CallOutcome::Enquiry);
                        c.note(|facts| facts.reported = Some(reported));
                        replies.push(ClientEvent::function_call_output(
                            &f.call_id,
                            r#"{"ok":true}"#,
                        ));
                        after.get_or_insert(After::HangUp);
                    }
                    Ok(ToolName::TransferToHuman) => {
                        let t = tools::parse_transfer_arguments(&f.arguments);
                        c.needs_person(t.reason, t.summary, can_transfer).await;
                        if can_transfer {
                            replies.push(ClientEvent::function_call_output(
                                &f.call_id,
                                r#"{"ok":true,"note":"The call goes to the shop's phone after you finish speaking."}"#,
                            ));
                            after = Some(After::Transfer);
                        } else {
                            replies.push(ClientEvent::function_call_output(
                                &f.call_id,
                                r#"{"ok":true,"call_back":true,"next":"No one can come to the phone now, so the shop will call the caller back. Tell the caller kindly, ask if there is anything else, then say goodbye and call end_call."}"#,
                            ));
                            replies.push(ClientEvent::response_create(None));
                        }
                    }
                    Ok(ToolName::Hold) => {
                        let seconds = tools::parse_hold_arguments(&f.arguments);
                        replies.push(ClientEvent::function_call_output(
                            &f.call_id,
                            tools::hold_output(seconds),
                        ));
                    }
                    Ok(tool) => {
                        let output = c.run_tool(tool, &f.arguments).await;
                        replies.push(ClientEvent::function_call_output(&f.call_id, output));
                        replies.push(ClientEvent::response_create(None));
                    }
                    Err(_) => {
                        tracing::warn!(call_id = %call.id, name = %f.name, "the model called a tool we do not have");
                        replies.push(ClientEvent::function_call_output(
                            &f.call_id,
                            r#"{"ok":false,"error":"unknown tool"}"#,
                        ));
                        replies.push(ClientEvent::response_create(None));
                    }
                }
            }
            ServerEvent::ResponseDone(done) => {
                if let Some(usage) = &done.response.usage {
                    let prices = calls.config().settings.ai_prices;
                    c.log(crate::caps::usage_update(&call.id, usage, &prices));
                }
                match after {
                    Some(After::HangUp) => {
                        if let Err(e) = control.hang_up(call.api, &call.id).await {
                            tracing::warn!(call_id = %call.id, error = %e, "could not hang up the SIP call");
                        }
                        return Some(Ending::HungUp);
                    }
                    Some(After::Transfer) => {
                        if !refer_to_shop(calls, control, call).await {
                            return Some(Ending::Over);
                        }
                        return Some(Ending::Transferred);
                    }
                    None => {}
                }
            }
            ServerEvent::OutputAudioTranscriptDone(t) if !t.transcript.is_empty() => {
                c.log(CallUpdate::Said {
                    call_sid: call.id.clone(),
                    speaker: "ai",
                    text: t.transcript,
                    at: now,
                });
            }
            ServerEvent::InputAudioTranscriptionCompleted(t) if !t.transcript.is_empty() => {
                c.log(CallUpdate::Said {
                    call_sid: call.id.clone(),
                    speaker: "caller",
                    text: t.transcript,
                    at: now,
                });
            }
            ServerEvent::Error(e) => {
                tracing::warn!(call_id = %call.id, error = ?e, "the sideband reported an error");
            }
            _ => {}
        }
        if send_all(ws, replies).await.is_err() {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_realtime_sideband_url_carries_the_call_id() {
        assert_eq!(
            realtime_url("wss://api.openai.com/v1/realtime", "rtc_1"),
            "wss://api.openai.com/v1/realtime?call_id=rtc_1"
        );
        assert_eq!(
            realtime_url("ws://127.0.0.1:9/v1/realtime?x=1", "rtc_1"),
            "ws://127.0.0.1:9/v1/realtime?x=1&call_id=rtc_1"
        );
    }
}
