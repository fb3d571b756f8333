//! One answered call as the driver's side effects see it: its identity, the call log, the
//! order tools, and Twilio's REST API for hanging up or moving the caller on.

use crate::CallService;
use crate::kitchen::PlaceError;
use crate::outcome::Facts;
use crate::registry::PendingCall;
use crate::tools::{self, ToolName};
use kitchen_core::PlaceContext;
use kitchen_domain::CallUpdate;
use kitchen_domain::{OrderSource, PhoneNumber};
use std::sync::{Arc, Mutex};
use tokio::sync::watch;

/// One call's identity, for tools, the log and Twilio's REST API.
#[derive(Debug, Clone)]
pub(super) struct Call {
    pub(super) calls: CallService,
    pub(super) call_sid: String,
    account_sid: String,
    caller: PhoneNumber,
    /// What the tools and `end_call` showed, for the call log's outcome. Shared with the
    /// tool tasks the driver spawns.
    facts: Arc<Mutex<Facts>>,
    /// Whether the caller is dictating (see [`Call::set_dictation`]); the driver's loop
    /// follows it.
    dictation: Arc<watch::Sender<bool>>,
}

impl Call {
    pub(super) fn new<A>(calls: CallService, call_sid: String, pending: &PendingCall<A>) -> Self {
        Call {
            calls,
            call_sid,
            account_sid: pending.account_sid.clone(),
            caller: pending.caller.clone(),
            facts: Arc::default(),
            dictation: Arc::new(watch::Sender::new(false)),
        }
    }

    /// The caller is (`on`) or is no longer dictating an address or a number: while on,
    /// the AI waits for a longer silence before it takes its turn. The session sends the
    /// `session.update` only when this changes, before anything the caller's tools answer
    /// afterwards.
    pub(super) fn set_dictation(&self, on: bool) {
        self.dictation
            .send_if_modified(|now| std::mem::replace(now, on) != on);
    }

    /// Follows [`Call::set_dictation`] (for the driver's loop).
    pub(super) fn dictation(&self) -> watch::Receiver<bool> {
        self.dictation.subscribe()
    }

    /// What the call showed so far (a poisoned lock still holds the facts).
    pub(super) fn facts(&self) -> Facts {
        *self.facts.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(super) fn note(&self, f: impl FnOnce(&mut Facts)) {
        f(&mut self.facts.lock().unwrap_or_else(|p| p.into_inner()));
    }

    pub(super) fn log(&self, u: CallUpdate) {
        self.calls.inner.log.record(u);
    }

    pub(super) async fn hang_up(&self) {
        let Some(rest) = self.calls.rest(&self.account_sid) else {
            return;
        };
        if let Err(e) = rest.hang_up(&self.call_sid).await {
            tracing::warn!(call_sid = %self.call_sid, error = %e, "could not hang up through Twilio; closing the stream instead");
        }
    }

    pub(super) async fn redirect(&self, twiml: String) {
        let Some(rest) = self.calls.rest(&self.account_sid) else {
            return;
        };
        if let Err(e) = rest.redirect(&self.call_sid, &twiml).await {
            tracing::warn!(call_sid = %self.call_sid, error = %e, "could not redirect the call through Twilio; the TwiML after the stream takes over");
        }
    }

    /// Runs an order tool; the result is JSON text for the model. An order is confirmed to
    /// the caller only through [`tools::placed_output`], built from the committed row.
    pub(super) async fn run_tool(&self, tool: ToolName, arguments: &str) -> String {
        match tool {
            ToolName::ReviewOrder => self.review_order(arguments).await,
            ToolName::PlaceOrder => self.place_order(arguments).await,
            ToolName::LookupOrders => self.lookup_orders().await,
            ToolName::CancelOrder => self.cancel_order(arguments).await,
            // The session answers these itself; it never asks the driver to run them.
            ToolName::EndCall | ToolName::TransferToHuman | ToolName::Hold => {
                tools::error_output(&format!("`{tool}` is not an order tool"))
            }
        }
    }

    async fn review_order(&self, arguments: &str) -> String {
        let req = match tools::parse_order_arguments(arguments) {
            Ok(r) => r,
            Err(e) => return tools::error_output(&e.to_string()),
        };
        match self.calls.inner.kitchen.quote(req).await {
            Ok(order) => tools::review_output(&order, &self.calls.config().settings),
            Err(PlaceError::Invalid(v)) => tools::validation_output(&v),
            Err(e) => {
                tracing::error!(error = %e, "could not price an order for {}", ToolName::ReviewOrder);
                tools::error_output(&format!(
                    "The shop's system could not price the order just now. Apologise and try {} again.",
                    ToolName::ReviewOrder
                ))
            }
        }
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
        let id = match tools::check_cancel(found.as_ref(), req.order_number, &self.caller) {
            Ok(id) => id,
            Err(refusal) => return tools::cancel_refused_output(&refusal),
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
                        tools::check_cancel(now.as_ref(), req.order_number, &self.caller)
                {
                    return tools::cancel_refused_output(&refusal);
                }
                failed(&e)
            }
        }
    }

    async fn place_order(&self, arguments: &str) -> String {
        let req = match tools::parse_order_arguments(arguments) {
            Ok(r) => r,
            Err(e) => return tools::error_output(&e.to_string()),
        };
        let ctx = PlaceContext {
            source: OrderSource::Phone,
            actor: "phone-ai".to_string(),
            call_sid: Some(self.call_sid.clone()),
            // One order per call: a retried place_order finds the first one.
            idempotency_key: Some(format!("call:{}", self.call_sid)),
            caller: Some(Some(self.caller.clone())),
        };
        match self.calls.inner.kitchen.place_order(req, ctx).await {
            Ok(placed) => {
                self.note(|f| f.placed = true);
                self.log(CallUpdate::Ordered {
                    call_sid: self.call_sid.clone(),
                    order_id: placed.order.id,
                });
                // The order's own time (its zone's or its pickup's); the shop's usual
                // delivery time only for an order saved before times were kept.
                tools::placed_output(&placed.order, self.calls.config().eta_minutes)
            }
            Err(PlaceError::Invalid(v)) => tools::validation_output(&v),
            Err(PlaceError::AlreadyPlaced) => tools::error_output(
                "An order was already placed on this call and cannot be changed by phone AI. Tell the caller the first order stands; if they need changes, transfer them to a person.",
            ),
            Err(PlaceError::Failed(e)) => {
                tracing::error!(call_sid = %self.call_sid, error = %e, "could not save a phone order");
                tools::error_output(
                    "The order could NOT be saved because of a problem in the shop's system. Do not say it is confirmed. Apologise, and transfer the caller to a person if you can, or ask them to call again in a few minutes.",
                )
            }
        }
    }
}
