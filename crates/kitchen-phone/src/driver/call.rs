//! One answered call as the driver's side effects see it: its identity, the call log, the
//! order tools, and Twilio's REST API for hanging up or moving the caller on.

use crate::CallService;
use crate::draft::{self, Confirmed, Draft, Kept, Keyed, Missing, Quote};
use crate::kitchen::PlaceError;
use crate::outcome::{CallEnd, Facts, Line};
use crate::registry::PendingCall;
use crate::tools::{self, ToolName};
use axum::extract::ws::Message;
use futures_util::Sink;
use kitchen_core::PlaceContext;
use kitchen_domain::{CallCardKind, CallUpdate, NewCallCard};
use kitchen_domain::{OrderSource, PhoneNumber};
use std::sync::{Arc, Mutex};
use tokio::sync::watch;

/// The quote's lines as the kitchen reads them (`2× Chicken Tikka Large 13" · 1× …`) and
/// its total.
fn quote_summary(quote: &Quote) -> (String, kitchen_domain::Money) {
    let lines: Vec<String> = quote
        .priced
        .lines()
        .iter()
        .map(|l| {
            format!("{}× {} {}", l.quantity.get(), l.name, l.size_label)
                .trim_end()
                .to_string()
        })
        .collect();
    (lines.join(" · "), quote.priced.total())
}

/// `Some(items)` when the quote has at least `min` items (line quantities added; `min` 0:
/// the shop takes any size by phone): a person arranges it.
fn catering_size(quote: &Quote, min: u32) -> Option<u32> {
    if min == 0 {
        return None;
    }
    let items: u32 = quote
        .priced
        .lines()
        .iter()
        .map(|l| u32::from(l.quantity.get()))
        .sum();
    (items >= min).then_some(items)
}

/// Refused or failed order-tool answers in a row after which the AI offers a person.
const REPEATED_FAILURES: u32 = 3;

/// One call's identity, for tools, the log and Twilio's REST API.
#[derive(Debug, Clone)]
pub(crate) struct Call {
    pub(crate) calls: CallService,
    pub(crate) call_sid: String,
    account_sid: String,
    caller: PhoneNumber,
    /// What the tools and `end_call` showed, for the call log's outcome. Shared with the
    /// tool tasks the driver spawns.
    facts: Arc<Mutex<Facts>>,
    /// The order as the caller wants it, priced (`update_order`, `confirm_order`, the
    /// keypad). An async lock: one draft tool at a time, start to finish.
    draft: Arc<tokio::sync::Mutex<Draft>>,
    /// Order-tool answers in a row that were not `ok` (a person helps after a few).
    failures: Arc<std::sync::atomic::AtomicU32>,
    /// A transfer or call-back card was made: it carries the order so far, so no
    /// unfinished-order card is added at the end.
    handed_over: Arc<std::sync::atomic::AtomicBool>,
    /// Whether the caller is dictating (see [`Call::set_dictation`]); the driver's loop
    /// follows it.
    dictation: Arc<watch::Sender<bool>>,
}

impl Call {
    /// The call, with the caller's unplaced draft of a dropped call (within
    /// [`draft::KEEP_DRAFT_MINUTES`]) carried over.
    pub(crate) fn new<A>(calls: CallService, call_sid: String, pending: &PendingCall<A>) -> Self {
        Self::with_caller(
            calls,
            call_sid,
            pending.account_sid.clone(),
            pending.caller.clone(),
        )
    }

    /// A call that reached OpenAI over SIP: `call_id` is OpenAI's (`rtc_…`, `live_…`) and
    /// stands in for the CallSid in the log; `caller` comes from the untrusted From header,
    /// so, as for a Twilio caller ID, it is only a call-back number the caller must confirm.
    /// There is no Twilio account: hanging up and transferring go through OpenAI.
    pub(crate) fn for_sip(calls: CallService, call_id: String, caller: PhoneNumber) -> Self {
        Self::with_caller(calls, call_id, String::new(), caller)
    }

    fn with_caller(
        calls: CallService,
        call_sid: String,
        account_sid: String,
        caller: PhoneNumber,
    ) -> Self {
        let now = calls.inner.clock.now();
        let draft = match caller.e164().and_then(|n| calls.inner.drafts.find(n, now)) {
            Some(kept) => {
                let minutes = (now - kept.at).num_minutes();
                Draft::resumed(&caller, kept, minutes)
            }
            None => Draft::new(&caller),
        };
        Call {
            calls,
            call_sid,
            account_sid,
            caller,
            facts: Arc::default(),
            draft: Arc::new(tokio::sync::Mutex::new(draft)),
            failures: Arc::default(),
            handed_over: Arc::default(),
            dictation: Arc::new(watch::Sender::new(false)),
        }
    }

    /// At the end of the call: an unplaced draft with items is kept under the caller's
    /// number (the call-back number when the caller ID is withheld) for their next call;
    /// a placed one is forgotten.
    pub(crate) async fn keep_draft(&self) {
        let draft = self.draft.lock().await;
        let number = self
            .caller
            .e164()
            .map(str::to_string)
            .or_else(|| draft.callback.number.clone());
        let Some(number) = number else {
            return;
        };
        let book = &self.calls.inner.drafts;
        match (&draft.request, draft.is_unfinished()) {
            (Some(request), true) => {
                book.keep(
                    &number,
                    Kept {
                        request: request.clone(),
                        callback: draft.callback.clone(),
                        at: self.calls.inner.clock.now(),
                    },
                );
                // The kitchen sees it too, with a call-back button (resolved by itself
                // when this number places an order), unless a person already has it.
                if self.handed_over.load(std::sync::atomic::Ordering::Relaxed) {
                    return;
                }
                let (summary, total) = match draft.quote.as_ref().map(quote_summary) {
                    Some((lines, total)) => (lines, Some(total)),
                    None => (
                        format!("{} line(s) not yet priced", request.items.len()),
                        None,
                    ),
                };
                let card = NewCallCard {
                    kind: CallCardKind::UnfinishedOrder,
                    call_sid: self.call_sid.clone(),
                    phone: Some(number.clone()),
                    reason: None,
                    summary,
                    total,
                };
                drop(draft);
                if let Err(e) = self.calls.inner.kitchen.add_call_card(card).await {
                    tracing::error!(call_sid = %self.call_sid, error = %e, "could not put an unfinished order on the board");
                }
            }
            _ if draft.confirmed.is_some() => book.forget(&number),
            _ => {}
        }
    }

    /// `transfer_to_human`: the reason and summary go into the call log (a system line), so
    /// whoever takes over, or calls back, knows what the caller wants.
    pub(crate) async fn needs_person(
        &self,
        reason: Option<String>,
        summary: Option<String>,
        transferring: bool,
    ) {
        let what = if transferring {
            "Transferred to the shop's phone"
        } else {
            "Call back requested"
        };
        let text = format!(
            "{what}: {} — {}",
            reason.as_deref().unwrap_or("no reason given"),
            summary.as_deref().unwrap_or("no summary given")
        );
        self.log(CallUpdate::Said {
            call_sid: self.call_sid.clone(),
            speaker: "system",
            text,
            at: self.calls.inner.clock.now(),
        });
        // The card on the board: who, why, what they want and the order so far.
        let (phone, order) = {
            let draft = self.draft.lock().await;
            let phone = self
                .caller
                .e164()
                .map(str::to_string)
                .or_else(|| draft.callback.number.clone());
            (phone, draft.quote.as_ref().map(quote_summary))
        };
        let mut what = summary.unwrap_or_else(|| "no summary given".to_string());
        if let Some((lines, _)) = &order {
            what = format!("{what} · order so far: {lines}");
        }
        self.handed_over
            .store(true, std::sync::atomic::Ordering::Relaxed);
        let card = NewCallCard {
            kind: if transferring {
                CallCardKind::Transfer
            } else {
                CallCardKind::CallBack
            },
            call_sid: self.call_sid.clone(),
            phone,
            reason,
            summary: what,
            total: order.map(|(_, total)| total),
        };
        if let Err(e) = self.calls.inner.kitchen.add_call_card(card).await {
            tracing::error!(call_sid = %self.call_sid, error = %e, "could not put a call card on the board");
        }
    }

    /// A key the caller pressed; `Some` text for the model once a number is complete.
    pub(crate) async fn keypad(&self, key: &str) -> Option<String> {
        let keyed = self.draft.lock().await.keypad(key)?;
        if let Keyed::Number(n) = &keyed {
            tracing::info!(call_sid = %self.call_sid, digits = n.len(), "a callback number was typed on the keypad");
        }
        Some(tools::keypad_notice(&keyed))
    }

    /// The caller is (`on`) or is no longer dictating an address or a number: while on,
    /// the AI waits for a longer silence before it takes its turn. The session sends the
    /// `session.update` only when this changes, before anything the caller's tools answer
    /// afterwards.
    pub(crate) fn set_dictation(&self, on: bool) {
        self.dictation
            .send_if_modified(|now| std::mem::replace(now, on) != on);
    }

    /// Follows [`Call::set_dictation`] (for the driver's loop).
    pub(crate) fn dictation(&self) -> watch::Receiver<bool> {
        self.dictation.subscribe()
    }

    /// What the call showed so far (a poisoned lock still holds the facts).
    pub(crate) fn facts(&self) -> Facts {
        *self.facts.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn note(&self, f: impl FnOnce(&mut Facts)) {
        f(&mut self.facts.lock().unwrap_or_else(|p| p.into_inner()));
    }

    pub(crate) fn log(&self, u: CallUpdate) {
        self.calls.inner.log.record(u);
    }

    pub(crate) async fn hang_up(&self) {
        let Some(rest) = self.calls.rest(&self.account_sid) else {
            return;
        };
        if let Err(e) = rest.hang_up(&self.call_sid).await {
            tracing::warn!(call_sid = %self.call_sid, error = %e, "could not hang up through Twilio; closing the stream instead");
        }
    }

    pub(crate) async fn redirect(&self, twiml: String) {
        let Some(rest) = self.calls.rest(&self.account_sid) else {
            return;
        };
        if let Err(e) = rest.redirect(&self.call_sid, &twiml).await {
            tracing::warn!(call_sid = %self.call_sid, error = %e, "could not redirect the call through Twilio; the TwiML after the stream takes over");
        }
    }

    /// Does what `end` asks of the phone line through Twilio's REST API: nothing, hang up,
    /// or move the caller on to the transfer or the fallback. `engine` names the voice
    /// engine in the fallback's warning ("the AI", "GPT-Live").
    pub(crate) async fn follow_line(&self, end: &CallEnd, engine: &str) {
        match end.line() {
            Line::Leave => {}
            Line::HangUp => self.hang_up().await,
            Line::Transfer => {
                let twiml = self.calls.transfer_twiml();
                self.redirect(twiml).await;
            }
            Line::Fallback => {
                tracing::warn!(call_sid = %self.call_sid, ?end, "{engine} cannot serve this call; moving the caller on");
                let twiml = self.calls.fallback_twiml();
                self.redirect(twiml).await;
            }
        }
    }

    /// The last steps of a call once its AI socket is closed: the media stream gets its
    /// close frame, the draft is kept, and the call log records the outcome.
    pub(crate) async fn close_out<T: Sink<Message> + Unpin>(&self, twilio: &mut T, end: &CallEnd) {
        super::close_stream(twilio, end).await;
        self.keep_draft().await;
        if let Some((outcome, reason)) = end.log_outcome(&self.facts()) {
            // Twilio's status callback for this call then has nothing left to write.
            let seen = &self.calls.inner.seen;
            seen.ended(&self.call_sid, std::time::Instant::now());
            self.log(CallUpdate::Ended {
                call_sid: self.call_sid.clone(),
                outcome,
                reason,
                code: end.reason_code(),
                at: self.calls.inner.clock.now(),
            });
        }
    }

    /// Runs an order tool; the result is JSON text for the model. An order is confirmed to
    /// the caller only through [`tools::placed_output`], built from the committed row.
    pub(crate) async fn run_tool(&self, tool: ToolName, arguments: &str) -> String {
        match tool {
            ToolName::UpdateOrder => self.counted(self.update_order(arguments).await),
            ToolName::ConfirmOrder => self.counted(self.confirm_order(arguments).await),
            ToolName::LookupOrders => self.lookup_orders().await,
            ToolName::CancelOrder => self.cancel_order(arguments).await,
            ToolName::AmendOrder => self.amend_order(arguments).await,
            // The session answers these itself; it never asks the driver to run them.
            ToolName::EndCall | ToolName::TransferToHuman | ToolName::Hold => {
                tools::error_output(&format!("`{tool}` is not an order tool"))
            }
        }
    }

    /// Counts order-tool answers that were not `ok`; from the third in a row the answer also
    /// tells the AI to offer a person instead of trying again and again.
    fn counted(&self, output: String) -> String {
        use std::sync::atomic::Ordering;
        let Ok(mut v) = serde_json::from_str::<serde_json::Value>(&output) else {
            return output;
        };
        if v["ok"] == true {
            self.failures.store(0, Ordering::Relaxed);
            return output;
        }
        let n = self.failures.fetch_add(1, Ordering::Relaxed) + 1;
        if n < REPEATED_FAILURES {
            return output;
        }
        v["repeated_failures"] = serde_json::json!(n);
        v["hint"] = serde_json::json!(format!(
            "This went wrong {n} times in a row. Do not keep trying: apologise and offer {} \
             (reason \"could not help\", with a summary of the order so far).",
            ToolName::TransferToHuman
        ));
        v.to_string()
    }

    /// Replaces the draft with the whole order as the caller now wants it and prices it:
    /// the quote's bill, what is missing, a suggestion. A refused order leaves the earlier
    /// draft, but no quote to confirm (it is no longer what the caller wants).
    async fn update_order(&self, arguments: &str) -> String {
        let req = match tools::parse_update_arguments(arguments) {
            Ok(r) => r,
            Err(e) => return tools::error_output(&e.to_string()),
        };
        let cfg = self.calls.config();
        let shop = &cfg.settings;
        let kitchen = &self.calls.inner.kitchen;
        let mut draft = self.draft.lock().await;
        if let Some(done) = &draft.confirmed {
            return tools::error_output(&format!(
                "The order of this call was already placed ({}). It cannot be replaced: to \
                 change it while the kitchen has not started, use the caller's order number \
                 with the order tools; otherwise tell the caller the order stands.",
                done.quote_id
            ));
        }
        let mut callback = draft.callback.clone();
        callback.apply(req.callback_number, req.callback_confirmed);
        let (priced_req, missing) = draft::for_pricing(&req.order, &callback, shop);
        let stand_in = missing
            .iter()
            .any(|m| matches!(m, Missing::Fulfilment | Missing::Address | Missing::Zone));
        let priced = if stand_in {
            kitchen.quote_draft(priced_req).await
        } else {
            kitchen.quote(priced_req).await
        };
        let priced = match priced {
            Ok(order) => order,
            Err(PlaceError::Invalid(v)) => {
                draft.quote = None;
                return tools::validation_output(&v);
            }
            Err(e) => {
                tracing::error!(call_sid = %self.call_sid, error = %e, "could not price a draft for {}", ToolName::UpdateOrder);
                return tools::error_output(&format!(
                    "The shop's system could not price the order just now. Apologise and call \
                     {} again in a moment.",
                    ToolName::UpdateOrder
                ));
            }
        };
        let suggestion = match kitchen.menu().await {
            Ok(menu) => crate::suggest::suggestion(&menu, &priced, kitchen.local_now()),
            Err(_) => None,
        };
        let quote = Quote {
            id: draft.next_quote_id(),
            request: req.order,
            priced,
            missing,
        };
        let mut output = tools::draft_output(&quote, &callback, suggestion, shop);
        if let Some(items) = catering_size(&quote, shop.catering_min_items) {
            output = tools::with_catering(&output, items, shop.catering_min_items);
        }
        let (lines, total) = quote_summary(&quote);
        self.log(CallUpdate::Quoted {
            call_sid: self.call_sid.clone(),
            quote_id: quote.id.clone(),
            lines: lines.split(" · ").map(str::to_string).collect(),
            total,
            missing: quote
                .missing
                .iter()
                .map(|m| m.as_str().to_string())
                .collect(),
            at: self.calls.inner.clock.now(),
        });
        self.set_dictation(quote.missing.iter().any(|m| m.is_dictation()));
        draft.request = Some(quote.request.clone());
        draft.callback = callback;
        draft.quote = Some(quote);
        output
    }

    /// Places exactly the quote read back, once: the latest quote, nothing missing, still
    /// priced the same now. A retried confirm of the placed quote answers the same again.
    async fn confirm_order(&self, arguments: &str) -> String {
        let req = match tools::parse_confirm_arguments(arguments) {
            Ok(r) => r,
            Err(e) => return tools::error_output(&e),
        };
        let mut draft = self.draft.lock().await;
        if let Some(done) = &draft.confirmed {
            if done.quote_id == req.quote_id {
                return done.output.clone();
            }
            return tools::error_output(&format!(
                "The order of this call was already placed ({}); {} is not placed. Tell the \
                 caller the first order stands.",
                done.quote_id, req.quote_id
            ));
        }
        let latest = draft.quote.as_ref().map(|q| q.id.clone());
        let Some(quote) = draft.quote.clone().filter(|q| q.id == req.quote_id) else {
            let detail = match &latest {
                Some(l) => format!(
                    "{} is not the latest quote; the latest is {l}",
                    req.quote_id
                ),
                None => format!(
                    "{} is not a quote of the order as it stands (the last {} did not give one)",
                    req.quote_id,
                    ToolName::UpdateOrder
                ),
            };
            return tools::confirm_refused_output("stale_quote", &detail, latest.as_deref());
        };
        if !quote.missing.is_empty() {
            let list: Vec<&str> = quote.missing.iter().map(|m| m.as_str()).collect();
            return tools::confirm_refused_output(
                "missing",
                &format!("still missing: {}", list.join(", ")),
                Some(&quote.id),
            );
        }
        let min = self.calls.config().settings.catering_min_items;
        if let Some(items) = catering_size(&quote, min) {
            return tools::confirm_refused_output(
                "catering_size",
                &format!(
                    "{items} items is a catering-size order (this shop takes up to {} by phone)",
                    min - 1
                ),
                Some(&quote.id),
            );
        }
        let kitchen = &self.calls.inner.kitchen;
        match kitchen.quote(quote.request.clone()).await {
            Ok(now) if now.lines() == quote.priced.lines() && now.bill() == quote.priced.bill() => {
            }
            Ok(_) => {
                draft.quote = None;
                return tools::confirm_refused_output(
                    "stale_quote",
                    "the menu or its prices changed since this quote was read back",
                    None,
                );
            }
            Err(PlaceError::Invalid(v)) if v.0.iter().any(|e| e.code == "shop_closed") => {
                return tools::validation_output(&v);
            }
            Err(PlaceError::Invalid(v)) => {
                draft.quote = None;
                let why: Vec<&str> = v.0.iter().map(|e| e.message.as_str()).collect();
                return tools::confirm_refused_output(
                    "stale_quote",
                    &format!("the order no longer fits the menu: {}", why.join("; ")),
                    None,
                );
            }
            Err(e) => return self.not_placed(&e),
        }
        let callback = draft
            .callback
            .number
            .clone()
            .map(PhoneNumber::E164)
            .unwrap_or(PhoneNumber::Withheld);
        let ctx = PlaceContext {
            source: OrderSource::Phone,
            actor: "phone-ai".to_string(),
            call_sid: Some(self.call_sid.clone()),
            // One order per call: a retry finds the first one.
            idempotency_key: Some(format!("call:{}", self.call_sid)),
            caller: Some(Some(callback)),
        };
        match kitchen.place_order(quote.request.clone(), ctx).await {
            Ok(placed) => {
                self.note(|f| f.placed = true);
                self.log(CallUpdate::Ordered {
                    call_sid: self.call_sid.clone(),
                    order_id: placed.order.id,
                });
                // The order's own time (its zone's or its pickup's); the shop's usual
                // delivery time only for an order saved before times were kept.
                let output = tools::placed_output(&placed.order, self.calls.config().eta_minutes);
                draft.confirmed = Some(Confirmed {
                    quote_id: quote.id,
                    output: output.clone(),
                });
                // A dropped call's draft placed here is not offered again.
                if let Some(n) = self.caller.e164() {
                    self.calls.inner.drafts.forget(n);
                }
                output
            }
            Err(PlaceError::Invalid(v)) => tools::validation_output(&v),
            Err(PlaceError::AlreadyPlaced) => tools::error_output(
                "An order was already placed on this call and cannot be replaced. Tell the caller the first order stands.",
            ),
            Err(e) => self.not_placed(&e),
        }
    }

    fn not_placed(&self, e: &dyn std::fmt::Display) -> String {
        tracing::error!(call_sid = %self.call_sid, error = %e, "could not save a phone order");
        tools::error_output(&format!(
            "The order could NOT be saved because of a problem in the shop's system. Do not \
             say it is confirmed. Apologise, and call {} again in a moment, or hand the \
             caller to a person with {}.",
            ToolName::ConfirmOrder,
            ToolName::TransferToHuman
        ))
    }

    /// The caller's orders of the last hours, found by the number the call comes from.
    async fn lookup_orders(&self) -> String {
        let PhoneNumber::E164(_) = &self.caller else {
            return tools::lookup_withheld_output();
        };
        let since = chrono::Duration::hours(tools::LOOKUP_HOURS);
        match self
            .calls
            .inner
            .kitchen
            .recent_orders(self.caller.clone(), since)
            .await
        {
            Ok(recent) => {
                tools::lookup_output(&recent.orders, recent.now, self.calls.config().eta_minutes)
            }
            Err(e) => {
                tracing::error!(call_sid = %self.call_sid, error = %e, "could not look up a caller's orders");
                tools::error_output(&format!(
                    "The shop's system could not look up the orders just now. Apologise; try {} \
                     again in a moment, or offer {}.",
                    ToolName::LookupOrders,
                    ToolName::TransferToHuman
                ))
            }
        }
    }

    /// Cancels the caller's own `new` order through the order service (history actor
    /// `phone-ai`, the board told); anything else is refused with nothing changed.
    async fn cancel_order(&self, arguments: &str) -> String {
        let req = match tools::parse_cancel_arguments(arguments) {
            Ok(r) => r,
            Err(e) => return tools::error_output(&e),
        };
        let failed = |e: &dyn std::fmt::Display| {
            tracing::error!(call_sid = %self.call_sid, error = %e, "could not cancel an order by phone");
            tools::error_output(&format!(
                "The order could NOT be cancelled because of a problem in the shop's system. Do \
                 not say it is cancelled. Apologise, and offer {}.",
                ToolName::TransferToHuman
            ))
        };
        let kitchen = &self.calls.inner.kitchen;
        let found = match kitchen.todays_order(req.order_number).await {
            Ok(found) => found,
            Err(e) => return failed(&e),
        };
        let id = match tools::check_own_new_order(found.as_ref(), req.order_number, &self.caller) {
            Ok(id) => id,
            Err(refusal) => {
                return tools::own_order_refused_output(&refusal, ToolName::CancelOrder);
            }
        };
        match kitchen
            .cancel_order(id, req.reason, "phone-ai".to_string())
            .await
        {
            Ok(order) => {
                self.note(|f| f.cancelled = true);
                tools::cancelled_output(&order)
            }
            Err(PlaceError::Invalid(v)) => tools::validation_output(&v),
            Err(e) => {
                // The kitchen may have started it between the check and the cancel (the
                // cancel then refuses): the caller hears that, not "a problem".
                if let Ok(now) = kitchen.todays_order(req.order_number).await
                    && let Err(refusal) =
                        tools::check_own_new_order(now.as_ref(), req.order_number, &self.caller)
                {
                    return tools::own_order_refused_output(&refusal, ToolName::CancelOrder);
                }
                failed(&e)
            }
        }
    }

    /// Changes the lines and/or the note of the caller's own `new` order through the order
    /// service (re-priced, history actor `phone-ai`, flagged CHANGED on the board), checked
    /// like [`cancel_order`](Self::cancel_order); anything else is refused with nothing
    /// changed.
    async fn amend_order(&self, arguments: &str) -> String {
        let req = match tools::parse_amend_arguments(arguments) {
            Ok(r) => r,
            Err(e) => return tools::error_output(&e),
        };
        let failed = |e: &dyn std::fmt::Display| {
            tracing::error!(call_sid = %self.call_sid, error = %e, "could not change an order by phone");
            tools::error_output(&format!(
                "The order could NOT be changed because of a problem in the shop's system. Do \
                 not say it is changed. Apologise, and offer {}.",
                ToolName::TransferToHuman
            ))
        };
        let kitchen = &self.calls.inner.kitchen;
        let found = match kitchen.todays_order(req.order_number).await {
            Ok(found) => found,
            Err(e) => return failed(&e),
        };
        let id = match tools::check_own_new_order(found.as_ref(), req.order_number, &self.caller) {
            Ok(id) => id,
            Err(refusal) => {
                return tools::own_order_refused_output(&refusal, ToolName::AmendOrder);
            }
        };
        match kitchen
            .amend_order(id, req.items, req.note, "phone-ai".to_string())
            .await
        {
            Ok(order) => {
                self.note(|f| f.changed = true);
                tools::amended_output(&order)
            }
            Err(PlaceError::Invalid(v)) => tools::validation_output(&v),
            Err(e) => {
                // The kitchen may have started it between the check and the change (the
                // change then refuses): the caller hears that, not "a problem".
                if let Ok(now) = kitchen.todays_order(req.order_number).await
                    && let Err(refusal) =
                        tools::check_own_new_order(now.as_ref(), req.order_number, &self.caller)
                {
                    return tools::own_order_refused_output(&refusal, ToolName::AmendOrder);
                }
                failed(&e)
            }
        }
    }
}
