//! The life of an order in the kitchen: new → preparing → ready → delivered, or cancelled
//! (with a reason) while it is still new or being prepared.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Where an order stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum OrderStatus {
    /// Taken, not yet started.
    New,
    /// On the make line or in the oven.
    Preparing,
    /// Boxed, waiting for the rider.
    Ready,
    /// Handed to the customer. Final.
    Delivered,
    /// Will not be made. Final.
    Cancelled,
}

impl OrderStatus {
    /// Every status, in board order.
    pub const ALL: [OrderStatus; 5] = [
        OrderStatus::New,
        OrderStatus::Preparing,
        OrderStatus::Ready,
        OrderStatus::Delivered,
        OrderStatus::Cancelled,
    ];

    /// The lowercase name used in the API and the database (the seed's values).
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::New => "new",
            OrderStatus::Preparing => "preparing",
            OrderStatus::Ready => "ready",
            OrderStatus::Delivered => "delivered",
            OrderStatus::Cancelled => "cancelled",
        }
    }

    /// True for delivered and cancelled: nothing follows them.
    pub fn is_final(self) -> bool {
        matches!(self, OrderStatus::Delivered | OrderStatus::Cancelled)
    }

    /// The one forward step from here, if any (what "one tap" on the board does).
    pub fn next(self) -> Option<OrderStatus> {
        match self {
            OrderStatus::New => Some(OrderStatus::Preparing),
            OrderStatus::Preparing => Some(OrderStatus::Ready),
            OrderStatus::Ready => Some(OrderStatus::Delivered),
            OrderStatus::Delivered | OrderStatus::Cancelled => None,
        }
    }

    /// Whether the kitchen may move an order from `self` to `to`.
    pub fn can_become(self, to: OrderStatus) -> bool {
        self.next() == Some(to)
            || (to == OrderStatus::Cancelled
                && matches!(self, OrderStatus::New | OrderStatus::Preparing))
    }
}

impl fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A status name that is not one of ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not an order status; use one of new, preparing, ready, delivered, cancelled")]
pub struct UnknownStatus(pub String);

impl FromStr for OrderStatus {
    type Err = UnknownStatus;

    /// Accepts the names case-insensitively, and the American `canceled`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "new" => Ok(OrderStatus::New),
            "preparing" => Ok(OrderStatus::Preparing),
            "ready" => Ok(OrderStatus::Ready),
            "delivered" => Ok(OrderStatus::Delivered),
            "cancelled" | "canceled" => Ok(OrderStatus::Cancelled),
            _ => Err(UnknownStatus(s.chars().take(40).collect())),
        }
    }
}

/// Why a status change was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StatusError {
    /// The flow does not allow this step.
    #[error("an order that is {from} cannot become {to}{hint}", hint = transition_hint(*.from))]
    InvalidTransition {
        /// The status the order has.
        from: OrderStatus,
        /// The status asked for.
        to: OrderStatus,
    },
    /// Cancelling needs a reason the kitchen can read later.
    #[error("cancelling an order needs a reason (for example \"customer called back to cancel\")")]
    ReasonRequired,
    /// The reason is longer than a ticket can hold.
    #[error("the reason is too long ({0} characters); keep it under 500")]
    ReasonTooLong(usize),
}

fn transition_hint(from: OrderStatus) -> String {
    let mut allowed: Vec<&str> = OrderStatus::ALL
        .iter()
        .filter(|to| from.can_become(**to))
        .map(|s| s.as_str())
        .collect();
    match allowed.len() {
        0 => format!("; {from} is final"),
        _ => {
            let last = allowed.pop().unwrap_or_default();
            if allowed.is_empty() {
                format!("; it can only become {last}")
            } else {
                format!("; it can become {} or {last}", allowed.join(", "))
            }
        }
    }
}

/// A checked status change: the step is allowed and a cancellation carries its reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    /// The status before.
    pub from: OrderStatus,
    /// The status after.
    pub to: OrderStatus,
    /// Why (required for cancelled, optional otherwise).
    pub reason: Option<String>,
}

impl StatusChange {
    /// Checks the step `from` → `to`. A blank reason counts as none.
    pub fn new(
        from: OrderStatus,
        to: OrderStatus,
        reason: Option<&str>,
    ) -> Result<StatusChange, StatusError> {
        if !from.can_become(to) {
            return Err(StatusError::InvalidTransition { from, to });
        }
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        if let Some(r) = reason {
            let n = r.chars().count();
            if n > 500 {
                return Err(StatusError::ReasonTooLong(n));
            }
        }
        if to == OrderStatus::Cancelled && reason.is_none() {
            return Err(StatusError::ReasonRequired);
        }
        Ok(StatusChange {
            from,
            to,
            reason: reason.map(str::to_string),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrderStatus::*;

    #[test]
    fn forward_flow_is_allowed_step_by_step() {
        for (from, to) in [(New, Preparing), (Preparing, Ready), (Ready, Delivered)] {
            assert!(StatusChange::new(from, to, None).is_ok(), "{from}->{to}");
        }
    }

    #[test]
    fn cancel_is_allowed_from_new_and_preparing_with_a_reason() {
        for from in [New, Preparing] {
            let c = StatusChange::new(from, Cancelled, Some(" customer cancelled ")).unwrap();
            assert_eq!(c.reason.as_deref(), Some("customer cancelled"));
        }
    }

    #[test]
    fn cancel_without_reason_is_refused() {
        assert_eq!(
            StatusChange::new(New, Cancelled, None),
            Err(StatusError::ReasonRequired)
        );
        assert_eq!(
            StatusChange::new(New, Cancelled, Some("  ")),
            Err(StatusError::ReasonRequired)
        );
    }

    #[test]
    fn skipping_going_back_and_leaving_final_states_are_errors_naming_both_states() {
        for (from, to) in [
            (New, Ready),
            (New, Delivered),
            (Ready, Preparing),
            (Ready, Cancelled),
            (Delivered, New),
            (Cancelled, Preparing),
            (New, New),
        ] {
            let err = StatusChange::new(from, to, Some("x")).unwrap_err();
            let msg = err.to_string();
            assert!(matches!(err, StatusError::InvalidTransition { .. }));
            assert!(
                msg.contains(from.as_str()) && msg.contains(to.as_str()),
                "{msg}"
            );
        }
    }

    #[test]
    fn error_message_says_what_is_possible() {
        let msg = StatusChange::new(New, Ready, None).unwrap_err().to_string();
        assert_eq!(
            msg,
            "an order that is new cannot become ready; it can become preparing or cancelled"
        );
        let msg = StatusChange::new(Delivered, New, None)
            .unwrap_err()
            .to_string();
        assert!(msg.ends_with("delivered is final"), "{msg}");
        let msg = StatusChange::new(Ready, New, None).unwrap_err().to_string();
        assert!(msg.ends_with("it can only become delivered"), "{msg}");
    }

    #[test]
    fn parses_names_and_refuses_unknown_ones() {
        assert_eq!("Preparing".parse::<OrderStatus>(), Ok(Preparing));
        assert_eq!("canceled".parse::<OrderStatus>(), Ok(Cancelled));
        let err = "cooking".parse::<OrderStatus>().unwrap_err();
        assert!(
            err.to_string()
                .contains("new, preparing, ready, delivered, cancelled")
        );
    }

    #[test]
    fn overly_long_reason_is_refused() {
        let long = "x".repeat(501);
        assert_eq!(
            StatusChange::new(New, Cancelled, Some(&long)),
            Err(StatusError::ReasonTooLong(501))
        );
    }

    #[test]
    fn final_states_have_no_next_step() {
        assert_eq!(Delivered.next(), None);
        assert_eq!(Cancelled.next(), None);
        assert!(Delivered.is_final() && Cancelled.is_final() && !Ready.is_final());
    }
}
