//! What happened in the kitchen, as pushed to live subscribers (`WS /api/events`, the
//! desktop shell): each event's JSON is `{"type": "order.created", …}`.

use crate::dto::OrderDto;
use crate::tunnel::TunnelDto;
use kitchen_domain::{CallCard, CallRecord};
use serde::Serialize;

/// Something subscribers should know about.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(tag = "type")]
pub enum KitchenEvent {
    /// A new order was saved.
    #[serde(rename = "order.created")]
    OrderCreated {
        /// The order as saved.
        order: OrderDto,
    },
    /// An order's status changed.
    #[serde(rename = "order.updated")]
    OrderUpdated {
        /// The order after the change.
        order: OrderDto,
    },
    /// A phone call came in.
    #[serde(rename = "call.started")]
    CallStarted {
        /// The call as logged.
        call: CallRecord,
    },
    /// A phone call ended.
    #[serde(rename = "call.ended")]
    CallEnded {
        /// The call as logged, with its outcome.
        call: CallRecord,
    },
    /// A call card was saved (an unfinished order, a transfer, a call back): the board
    /// shows it until someone marks it done.
    #[serde(rename = "call_card.created")]
    CallCardCreated {
        /// The card as saved.
        card: CallCard,
    },
    /// A call card was marked done (by staff, or by a later order from the same phone):
    /// every screen takes it off.
    #[serde(rename = "call_card.done")]
    CallCardDone {
        /// The card's id.
        #[ts(type = "number")]
        id: i64,
    },
    /// The menu was replaced.
    #[serde(rename = "menu.updated")]
    MenuUpdated,
    /// AI answering was paused or resumed (dashboard or tray).
    #[serde(rename = "answering.changed")]
    AnsweringChanged {
        /// Whether calls now go straight to the shop's phone.
        paused: bool,
    },
    /// The shop's settings changed (dashboard, wizard, tray): the settings now in effect.
    #[serde(rename = "settings.changed")]
    SettingsChanged {
        /// The settings in effect, secrets only as "set or not".
        settings: crate::settings::SettingsDto,
    },
    /// The app's own tunnel changed state (connecting, online with its URL, failed).
    #[serde(rename = "tunnel.changed")]
    TunnelChanged {
        /// The new state.
        tunnel: TunnelDto,
    },
    /// A printer's status changed (offline, out of paper, back, a job printed or queued).
    #[serde(rename = "printer.changed")]
    PrinterChanged {
        /// The printer's status now.
        printer: crate::printing::PrinterStatusDto,
    },
}
