//! The public router, the only one Twilio (and so the internet) reaches:
//! `POST|GET /incoming-call`, `WS /media-stream`, `POST /twilio/status`, and OpenAI's
//! `POST /openai/webhook` for SIP calls ([`crate::sip`]). Every Twilio webhook is
//! signature-checked against `PUBLIC_BASE_URL`; OpenAI's against the webhook secret.

use super::CallService;
use super::realtime::{self, SessionSetup};
use crate::driver;
use crate::kitchen::CallUpdate;
use axum::Router;
use axum::body::Bytes;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use kitchen_domain::VoiceEngine;
use kitchen_domain::{CallEndReason, CallOutcome, PhoneNumber};
use std::time::Instant;
use voice_protocol::twilio::signature::validate_form;
use voice_protocol::twilio::twiml::{Response as Twiml, Stream};

/// The public router.
pub fn router(calls: CallService) -> Router {
    Router::new()
        .route("/incoming-call", any(incoming_call))
        .route("/media-stream", get(media_stream))
        .route("/twilio/status", post(status_callback))
        .route("/openai/webhook", post(crate::sip::webhook))
        .fallback(|| async { StatusCode::NOT_FOUND })
        .layer(DefaultBodyLimit::max(64 * 1024))
        .with_state(calls)
}

fn twiml(body: String) -> Response {
    ([(header::CONTENT_TYPE, "text/xml; charset=utf-8")], body).into_response()
}

/// Parameters of a webhook: the form body of a POST, the query of a GET.
fn params(method: &Method, uri: &Uri, body: &Bytes) -> Vec<(String, String)> {
    let raw: &[u8] = if method == Method::GET {
        uri.query().unwrap_or_default().as_bytes()
    } else {
        body
    };
    url_decode_pairs(raw)
}

/// `a=1&b=%2B92` → pairs, `+` as space, percent-decoded, invalid UTF-8 replaced.
fn url_decode_pairs(raw: &[u8]) -> Vec<(String, String)> {
    raw.split(|b| *b == b'&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = match p.iter().position(|b| *b == b'=') {
                Some(i) => (&p[..i], &p[i + 1..]),
                None => (p, &b""[..]),
            };
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(s: &[u8]) -> String {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < s.len() => {
                let hex = std::str::from_utf8(&s[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The URL Twilio signed: the configured public base plus the path and query it requested.
fn signed_url(calls: &CallService, uri: &Uri) -> Option<String> {
    let cfg = calls.config();
    let base = cfg.public_base_url.as_deref()?;
    Some(format!(
        "{base}{}",
        uri.path_and_query().map_or(uri.path(), |pq| pq.as_str())
    ))
}

/// Checks `X-Twilio-Signature`. `Err` carries the response to send.
fn check_signature(
    calls: &CallService,
    headers: &HeaderMap,
    uri: &Uri,
    method: &Method,
    pairs: &[(String, String)],
) -> Result<(), (StatusCode, &'static str)> {
    let cfg = calls.config();
    let Some(token) = cfg.twilio_auth_token.as_ref() else {
        if cfg.insecure_dev {
            return Ok(());
        }
        tracing::error!(
            "refused a call: TWILIO_AUTH_TOKEN is not set, so the webhook cannot be verified. Set it (Twilio console → Account → API keys & tokens), or start with --insecure-dev for local experiments only"
        );
        return Err((
            StatusCode::FORBIDDEN,
            "webhook signature cannot be verified: TWILIO_AUTH_TOKEN is not configured",
        ));
    };
    let Some(url) = signed_url(calls, uri) else {
        tracing::error!(
            "refused a call: PUBLIC_BASE_URL is not set, so Twilio's signature cannot be checked and the stream URL is unknown"
        );
        return Err((
            StatusCode::SERVICE_UNAVAILABLE,
            "PUBLIC_BASE_URL is not configured",
        ));
    };
    let sig = headers
        .get("x-twilio-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    // A GET's parameters are in the URL already; only a form POST signs its body params.
    let body_params: &[(String, String)] = if method == Method::GET { &[] } else { pairs };
    if validate_form(token.expose(), &url, body_params, sig) {
        Ok(())
    } else {
        tracing::warn!(%url, "refused a webhook with a wrong X-Twilio-Signature");
        Err((StatusCode::FORBIDDEN, "invalid X-Twilio-Signature"))
    }
}

/// A Twilio webhook's parameters, extracted only when its `X-Twilio-Signature` is valid
/// for the configured public URL (otherwise the request is answered 403/503 with a log line).
struct SignedWebhook(Vec<(String, String)>);

impl axum::extract::FromRequest<CallService> for SignedWebhook {
    type Rejection = Response;

    async fn from_request(
        req: axum::extract::Request,
        calls: &CallService,
    ) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let body = axum::body::to_bytes(body, 64 * 1024).await.map_err(|_| {
            tracing::warn!(path = %parts.uri.path(), "refused a webhook body over 64 KiB (413)");
            (StatusCode::PAYLOAD_TOO_LARGE, "webhook body too large").into_response()
        })?;
        let pairs = params(&parts.method, &parts.uri, &body);
        check_signature(calls, &parts.headers, &parts.uri, &parts.method, &pairs)
            .map_err(IntoResponse::into_response)?;
        Ok(SignedWebhook(pairs))
    }
}

fn param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// `POST /incoming-call`: a call is ringing.
async fn incoming_call(
    State(calls): State<CallService>,
    SignedWebhook(pairs): SignedWebhook,
) -> Response {
    let Some(call_sid) = param(&pairs, "CallSid")
        .filter(|s| !s.is_empty() && s.len() <= 64)
        .map(str::to_string)
    else {
        return (StatusCode::BAD_REQUEST, "CallSid is missing").into_response();
    };
    if let Some(refused) = refuse_repeat(&calls, &call_sid) {
        return refused;
    }
    let account_sid = param(&pairs, "AccountSid").unwrap_or_default().to_string();
    let caller = PhoneNumber::parse(param(&pairs, "From").unwrap_or_default())
        .unwrap_or(PhoneNumber::Withheld);
    let now = calls.inner.clock.now();
    calls.inner.log.record(CallUpdate::Started {
        call_sid: call_sid.clone(),
        caller: Some(caller.to_string()),
        at: now,
    });

    if calls.answering_paused() {
        tracing::info!(%call_sid, "AI answering is paused: the call goes to the shop's phone (or hears an apology)");
        calls.inner.log.record(CallUpdate::Ended {
            call_sid,
            outcome: if calls.can_transfer() {
                CallOutcome::Transferred
            } else {
                CallOutcome::Failed
            },
            reason: Some("AI answering is paused".into()),
            code: Some(CallEndReason::AnsweringPaused),
            at: now,
        });
        return twiml(calls.fallback_twiml());
    }
    let cfg = calls.config();
    if cfg.openai_api_key.is_none() {
        tracing::warn!(%call_sid, "no OPENAI_API_KEY: the call goes to the shop's phone (or hears an apology)");
        calls.inner.log.record(CallUpdate::Ended {
            call_sid,
            outcome: CallOutcome::Failed,
            reason: Some("no OpenAI API key is configured".into()),
            code: Some(CallEndReason::NoOpenaiKey),
            at: now,
        });
        return twiml(calls.fallback_twiml());
    }
    let Some(base) = cfg.public_base_url.clone() else {
        calls.inner.log.record(CallUpdate::Ended {
            call_sid,
            outcome: CallOutcome::Failed,
            reason: Some("PUBLIC_BASE_URL is not configured".into()),
            code: Some(CallEndReason::NoPublicUrl),
            at: now,
        });
        return twiml(calls.fallback_twiml());
    };

    // The shop's caps (crate::caps): beyond them, the shop's phone and no AI session.
    if let Err(refusal) = crate::caps::check_budget(&calls).await {
        return over_cap(&calls, call_sid, refusal, now);
    }
    // The SIP engines do not come through this webhook: a Media-Streams call they see is
    // served by the Realtime bridge.
    let engine = match cfg.voice_engine {
        VoiceEngine::LiveBridge => VoiceEngine::LiveBridge,
        _ => VoiceEngine::RealtimeBridge,
    };
    let admitted = calls.inner.callers.admit(&calls, &caller, now, || {
        // Pre-warm: open the AI socket while Twilio connects the audio.
        let prewarm = {
            let calls = calls.clone();
            let caller = caller.clone();
            tokio::spawn(async move {
                let setup = session_setup(&calls, &caller).await;
                let cfg = calls.config();
                // The engine the call was registered for, even if the setting changed since.
                match engine {
                    VoiceEngine::LiveBridge => crate::live::open(&cfg, &setup).await,
                    _ => realtime::open(&cfg, &setup).await,
                }
            })
        };
        calls.inner.registry.register_for(
            engine,
            call_sid.clone(),
            account_sid,
            caller.clone(),
            prewarm,
            Instant::now(),
        )
    });
    let token = match admitted {
        Ok(token) => token,
        Err(refusal) => return over_cap(&calls, call_sid, refusal, now),
    };
    let ws_base = base
        .replacen("https://", "wss://", 1)
        .replacen("http://", "ws://", 1);
    let stream = Stream::new(format!("{ws_base}/media-stream"))
        .status_callback(format!("{base}/twilio/status"))
        .parameter("caller", caller.to_string())
        .parameter("callSid", call_sid)
        .parameter("token", token);
    // After the stream: if our socket closes without a hang-up or redirect (the AI failed
    // and Twilio's REST API could not be reached), the caller is still moved on.
    let mut response = Twiml::new().connect(stream);
    for verb in super::fallback_response(cfg.shop_phone.as_deref()).verbs() {
        response = response.verb(verb.clone());
    }
    twiml(response.render())
}

/// A repeat of a CallSid's `/incoming-call` (a replayed signed webhook): 409, no token, no
/// AI session, no call-log line; logged at warn level once per CallSid.
fn refuse_repeat(calls: &CallService, call_sid: &str) -> Option<Response> {
    match calls.inner.seen.incoming(call_sid, Instant::now()) {
        crate::replay::Answer::First => None,
        crate::replay::Answer::Repeat { first_repeat } => {
            if first_repeat {
                tracing::warn!(%call_sid, "refused a repeated incoming-call webhook (a replay): this call was already answered");
            } else {
                tracing::debug!(%call_sid, "refused another repeat of an incoming-call webhook");
            }
            Some(
                (
                    StatusCode::CONFLICT,
                    "this call was already answered (a replayed webhook)",
                )
                    .into_response(),
            )
        }
    }
}

/// A call beyond one of the shop's caps: logged with why, and sent to the shop's phone (or
/// an apology) the way paused answering sends it.
fn over_cap(
    calls: &CallService,
    call_sid: String,
    refusal: crate::caps::Refusal,
    now: chrono::DateTime<chrono::Utc>,
) -> Response {
    let reason = refusal.reason();
    tracing::info!(%call_sid, %reason, "a call over the shop's caps goes to the shop's phone (or hears an apology)");
    calls.inner.log.record(CallUpdate::Ended {
        call_sid,
        outcome: if calls.can_transfer() {
            CallOutcome::Transferred
        } else {
            CallOutcome::Failed
        },
        reason: Some(reason),
        code: Some(refusal.code()),
        at: now,
    });
    twiml(calls.fallback_twiml())
}

/// Instructions and tools for this call, from the live menu, the shop's settings in effect
/// (zones, pickup, payment, tax) and the caller's history.
pub(crate) async fn session_setup(calls: &CallService, caller: &PhoneNumber) -> SessionSetup {
    use super::instructions::{self, ReturningCaller, ShopContext};
    let store = &calls.inner.kitchen;
    let menu = match store.menu().await {
        Ok(m) => m,
        Err(e) => {
            tracing::error!(error = %e, "could not read the menu for a call; using the default menu");
            std::sync::Arc::new(kitchen_domain::Menu::default_menu())
        }
    };
    let returning = match caller.e164() {
        Some(phone) => store
            .last_delivery(phone.to_string())
            .await
            .ok()
            .flatten()
            .map(|d| ReturningCaller {
                name: d.name,
                address: d.address,
                landmark: d.landmark,
            }),
        None => None,
    };
    let cfg = calls.config();
    let shop = &cfg.settings;
    let now = match store.shop_now().await {
        Ok(now) => now,
        Err(e) => {
            tracing::error!(error = %e, "could not read the shop's time for a call; using this computer's");
            kitchen_core::ShopNow {
                local: chrono::Local::now().naive_local(),
                open_orders: 0,
            }
        }
    };
    let ctx = ShopContext {
        shop_name: cfg.shop_name.clone(),
        greeting: cfg.greeting.clone(),
        eta_minutes: cfg.eta_minutes,
        can_transfer: calls.can_transfer(),
        returning,
        now: now.local,
        closed: shop.closed_at(now.local),
        busy_extra_minutes: kitchen_domain::shop::busy_extra_minutes(
            shop.busy_minutes_per_order,
            now.open_orders,
        ),
        gender: shop
            .ai_voice_gender
            .unwrap_or_else(|| kitchen_domain::VoiceGender::of_voice(&cfg.openai_voice)),
        unfinished: unfinished(calls, caller, shop).await,
    };
    SessionSetup {
        instructions: instructions::session_instructions(&ctx, &menu, &cfg.settings),
        tools: super::tools::tool_definitions(&menu, &cfg.settings, calls.can_transfer()),
        greeting: instructions::greeting_instructions(&ctx),
    }
}

/// The caller's unplaced order from a call that dropped within the last 30 minutes (the
/// driver carries the same draft into this call), priced for its lines' names.
async fn unfinished(
    calls: &CallService,
    caller: &PhoneNumber,
    shop: &kitchen_domain::ShopSettings,
) -> Option<super::instructions::Unfinished> {
    let now = calls.inner.clock.now();
    let kept = calls.inner.drafts.find(caller.e164()?, now)?;
    let (priced, _) = crate::draft::for_pricing(&kept.request, &kept.callback, shop);
    let lines = match calls.inner.kitchen.quote_draft(priced).await {
        Ok(order) => order
            .lines()
            .iter()
            .map(|l| format!("{}× {} {}", l.quantity.get(), l.name, l.size_label))
            .collect(),
        // Something on it is no longer available: the items as they were asked for.
        Err(_) => kept
            .request
            .items
            .iter()
            .map(|l| {
                format!(
                    "{}× {}",
                    l.quantity,
                    l.item_id.as_deref().or(l.deal_id.as_deref()).unwrap_or("?")
                )
            })
            .collect(),
    };
    Some(super::instructions::Unfinished {
        minutes_ago: (now - kept.at).num_minutes(),
        lines,
        order_json: serde_json::to_string(&kept.request).unwrap_or_default(),
    })
}

/// `WS /media-stream`: the call's audio.
///
/// Whether Twilio signs this upgrade is not settled, so a present `X-Twilio-Signature` is
/// checked against `wss://<public host>/media-stream` and a wrong one refused (403); the
/// one-time token in `start` is checked either way.
async fn media_stream(
    State(calls): State<CallService>,
    headers: HeaderMap,
    uri: Uri,
    ws: WebSocketUpgrade,
) -> Response {
    let cfg = calls.config();
    if let Some(sig) = headers.get("x-twilio-signature")
        && let (Some(token), Some(url)) = (cfg.twilio_auth_token.as_ref(), signed_url(&calls, &uri))
    {
        let url = url
            .replacen("https://", "wss://", 1)
            .replacen("http://", "ws://", 1);
        let sig = sig.to_str().unwrap_or_default();
        if !validate_form(token.expose(), &url, &[], sig) {
            tracing::warn!(%url, "refused a media stream with a wrong X-Twilio-Signature");
            return (StatusCode::FORBIDDEN, "invalid X-Twilio-Signature").into_response();
        }
    }
    let tracker = calls.inner.live.clone();
    let registry = calls.inner.registry.clone();
    let timeouts = cfg.timeouts;
    // The frame limit too, not only the message limit: a frame whose header announces more
    // is refused from its header, before any of its payload is read into memory.
    ws.max_frame_size(driver::MAX_FRAME_BYTES)
        .max_message_size(driver::MAX_FRAME_BYTES)
        // Twilio's frames are under 1 KiB; a small read buffer saves zero-filling 128 KiB
        // on every read (measured: ~17% of relay CPU, see BENCHMARKS.md).
        .read_buffer_size(driver::READ_BUFFER_BYTES)
        .on_upgrade(move |socket| {
            tracker.track_future(async move {
                driver::run(socket, registry, calls, timeouts).await;
            })
        })
}

/// `POST /twilio/status`: call and stream status callbacks.
async fn status_callback(
    State(calls): State<CallService>,
    SignedWebhook(pairs): SignedWebhook,
) -> Response {
    let call_sid = param(&pairs, "CallSid").unwrap_or_default().to_string();
    let call_status = param(&pairs, "CallStatus").unwrap_or_default();
    let stream_event = param(&pairs, "StreamEvent").unwrap_or_default();
    tracing::debug!(%call_sid, call_status, stream_event, "twilio status callback");
    let ended = matches!(
        call_status,
        "completed" | "busy" | "failed" | "no-answer" | "canceled"
    );
    // Written once per call: a repeated callback (Twilio's retry, a replay) changes nothing
    // and announces nothing again.
    if ended && !call_sid.is_empty() && calls.inner.seen.ended(&call_sid, Instant::now()) {
        // Only fills in calls still open (one whose stream never arrived, for example).
        calls.inner.log.record(CallUpdate::Ended {
            call_sid,
            outcome: CallOutcome::Abandoned,
            reason: None,
            code: None,
            at: calls.inner.clock.now(),
        });
    }
    StatusCode::NO_CONTENT.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_bodies_decode_like_twilio_sends_them() {
        let pairs =
            url_decode_pairs(b"From=%2B923001234567&CallerName=&Body=do+pizza&Bad=%zz&Flag");
        assert_eq!(
            pairs,
            [
                ("From".to_string(), "+923001234567".to_string()),
                ("CallerName".to_string(), String::new()),
                ("Body".to_string(), "do pizza".to_string()),
                ("Bad".to_string(), "%zz".to_string()),
                ("Flag".to_string(), String::new()),
            ]
        );
        assert_eq!(
            url_decode_pairs(b"a=%"),
            [("a".to_string(), "%".to_string())]
        );
        assert_eq!(
            url_decode_pairs(b"a=%4"),
            [("a".to_string(), "%4".to_string())]
        );
    }
}
