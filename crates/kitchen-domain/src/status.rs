//! The life of an order in the kitchen: new → preparing → ready → delivered, or cancelled
//! (with a reason) while it is still new or being prepared.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How an order leaves the shop, which decides its steps after ready.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Handover {
    /// A rider takes it: ready → out for delivery → delivered or returned.
    Delivery,
    /// The customer takes it at the counter: ready → collected.
    Pickup,
}

/// Where an order stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Taken, not yet started.
    New,
    /// On the make line or in the oven.
    Preparing,
    /// Boxed, waiting for the rider (or the customer, for a pickup).
    Ready,
    /// A rider has it on the way to the customer.
    OutForDelivery,
    /// Handed to the customer. Final.
    Delivered,
    /// A pickup handed over at the counter. Final.
    Collected,
    /// The rider came back with it (customer not home, refused). Final; has a reason.
    Returned,
    /// Will not be made. Final.
    Cancelled,
}

impl OrderStatus {
    /// Every status, in board order.
    pub const ALL: [OrderStatus; 8] = [
        OrderStatus::New,
        OrderStatus::Preparing,
        OrderStatus::Ready,
        OrderStatus::OutForDelivery,
        OrderStatus::Delivered,
        OrderStatus::Collected,
        OrderStatus::Returned,
        OrderStatus::Cancelled,
    ];

    /// The name used in the API and the database (the seed's values where it has them).
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::New => "new",
            OrderStatus::Preparing => "preparing",
            OrderStatus::Ready => "ready",
            OrderStatus::OutForDelivery => "out_for_delivery",
            OrderStatus::Delivered => "delivered",
            OrderStatus::Collected => "collected",
            OrderStatus::Returned => "returned",
            OrderStatus::Cancelled => "cancelled",
        }
    }

    /// True for delivered, collected, returned and cancelled: nothing follows them.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            OrderStatus::Delivered
                | OrderStatus::Collected
                | OrderStatus::Returned
                | OrderStatus::Cancelled
        )
    }

    /// True for delivered and collected: the customer has the order (counted as done and
    /// as revenue).
    pub fn is_handed_over(self) -> bool {
        matches!(self, OrderStatus::Delivered | OrderStatus::Collected)
    }

    /// The one forward step from here for an order leaving by `handover`, if any (what
    /// "one tap" on the board does).
    pub fn next(self, handover: Handover) -> Option<OrderStatus> {
        match (self, handover) {
            (OrderStatus::New, _) => Some(OrderStatus::Preparing),
            (OrderStatus::Preparing, _) => Some(OrderStatus::Ready),
            (OrderStatus::Ready, Handover::Delivery) => Some(OrderStatus::OutForDelivery),
            (OrderStatus::Ready, Handover::Pickup) => Some(OrderStatus::Collected),
            (OrderStatus::OutForDelivery, _) => Some(OrderStatus::Delivered),
            _ => None,
        }
    }

    /// Whether the kitchen may move an order leaving by `handover` from `self` to `to`:
    /// the forward step, a cancel while new or preparing, a return while out for delivery,
    /// and (for the seed's clients, which know no riders) ready → delivered.
    pub fn can_become(self, to: OrderStatus, handover: Handover) -> bool {
        self.next(handover) == Some(to)
            || (to == OrderStatus::Cancelled
                && matches!(self, OrderStatus::New | OrderStatus::Preparing))
            || (self == OrderStatus::OutForDelivery && to == OrderStatus::Returned)
            || (self == OrderStatus::Ready && to == OrderStatus::Delivered)
    }
}

impl fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A status name that is not one of ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not an order status; use one of new, preparing, ready, out_for_delivery, delivered, collected, returned, cancelled"
)]
pub struct UnknownStatus(pub String);

impl FromStr for OrderStatus {
    type Err = UnknownStatus;

    /// Accepts the names case-insensitively, the American `canceled`, and
    /// `out-for-delivery` / `out for delivery`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s
            .trim()
            .to_ascii_lowercase()
            .replace(['-', ' '], "_")
            .as_str()
        {
            "new" => Ok(OrderStatus::New),
            "preparing" => Ok(OrderStatus::Preparing),
            "ready" => Ok(OrderStatus::Ready),
            "out_for_delivery" => Ok(OrderStatus::OutForDelivery),
            "delivered" => Ok(OrderStatus::Delivered),
            "collected" => Ok(OrderStatus::Collected),
            "returned" => Ok(OrderStatus::Returned),
            "cancelled" | "canceled" => Ok(OrderStatus::Cancelled),
            _ => Err(UnknownStatus(s.chars().take(40).collect())),
        }
    }
}

/// Why a status change was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StatusError {
    /// The flow does not allow this step.
    #[error("an order that is {from} cannot become {to}{hint}", hint = transition_hint(*.from, *.handover))]
    InvalidTransition {
        /// The status the order has.
        from: OrderStatus,
        /// The status asked for.
        to: OrderStatus,
        /// How the order leaves the shop (which steps it has after ready).
        handover: Handover,
    },
    /// Cancelling or returning needs a reason the kitchen can read later.
    #[error(
        "cancelling or returning an order needs a reason (for example \"customer called back to cancel\" or \"customer not at home\")"
    )]
    ReasonRequired,
    /// The reason is longer than a ticket can hold.
    #[error("the reason is too long ({0} characters); keep it under 500")]
    ReasonTooLong(usize),
}

fn transition_hint(from: OrderStatus, handover: Handover) -> String {
    let mut allowed: Vec<&str> = OrderStatus::ALL
        .iter()
        .filter(|to| from.can_become(**to, handover))
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

/// A checked status change: the step is allowed and a cancellation or a return carries its
/// reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    /// The status before.
    pub from: OrderStatus,
    /// The status after.
    pub to: OrderStatus,
    /// Why (required for cancelled and returned, optional otherwise).
    pub reason: Option<String>,
}

impl StatusChange {
    /// Checks the step `from` → `to` of an order leaving by `handover`. A blank reason
    /// counts as none.
    pub fn new(
        from: OrderStatus,
        to: OrderStatus,
        handover: Handover,
        reason: Option<&str>,
    ) -> Result<StatusChange, StatusError> {
        if !from.can_become(to, handover) {
            return Err(StatusError::InvalidTransition { from, to, handover });
        }
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        if let Some(r) = reason {
            let n = r.chars().count();
            if n > 500 {
                return Err(StatusError::ReasonTooLong(n));
            }
        }
        if matches!(to, OrderStatus::Cancelled | OrderStatus::Returned) && reason.is_none() {
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
    use Handover::*;
    use OrderStatus::*;

    #[test]
    fn forward_flow_is_allowed_step_by_step() {
        for (from, to) in [(New, Preparing), (Preparing, Ready), (Ready, Delivered)] {
            assert!(
                StatusChange::new(from, to, Delivery, None).is_ok(),
                "{from}->{to}"
            );
        }
    }

    #[test]
    fn cancel_is_allowed_from_new_and_preparing_with_a_reason() {
        for from in [New, Preparing] {
            let c =
                StatusChange::new(from, Cancelled, Delivery, Some(" customer cancelled ")).unwrap();
            assert_eq!(c.reason.as_deref(), Some("customer cancelled"));
        }
    }

    #[test]
    fn cancel_without_reason_is_refused() {
        assert_eq!(
            StatusChange::new(New, Cancelled, Pickup, None),
            Err(StatusError::ReasonRequired)
        );
        assert_eq!(
            StatusChange::new(New, Cancelled, Pickup, Some("  ")),
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
            let err = StatusChange::new(from, to, Delivery, Some("x")).unwrap_err();
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
        let msg = StatusChange::new(New, Ready, Delivery, None)
            .unwrap_err()
            .to_string();
        assert_eq!(
            msg,
            "an order that is new cannot become ready; it can become preparing or cancelled"
        );
        let msg = StatusChange::new(Delivered, New, Delivery, None)
            .unwrap_err()
            .to_string();
        assert!(msg.ends_with("delivered is final"), "{msg}");
        let msg = StatusChange::new(Ready, New, Pickup, None)
            .unwrap_err()
            .to_string();
        assert!(
            msg.ends_with("it can become delivered or collected"),
            "{msg}"
        );
        let msg = StatusChange::new(OutForDelivery, Collected, Delivery, None)
            .unwrap_err()
            .to_string();
        assert!(
            msg.ends_with("it can become delivered or returned"),
            "{msg}"
        );
    }

    #[test]
    fn parses_names_and_refuses_unknown_ones() {
        assert_eq!("Preparing".parse::<OrderStatus>(), Ok(Preparing));
        assert_eq!("canceled".parse::<OrderStatus>(), Ok(Cancelled));
        let err = "cooking".parse::<OrderStatus>().unwrap_err();
        assert!(err.to_string().contains(
            "new, preparing, ready, out_for_delivery, delivered, collected, returned, cancelled"
        ));
    }

    #[test]
    fn overly_long_reason_is_refused() {
        let long = "x".repeat(501);
        assert_eq!(
            StatusChange::new(New, Cancelled, Delivery, Some(&long)),
            Err(StatusError::ReasonTooLong(501))
        );
    }

    #[test]
    fn final_states_have_no_next_step() {
        for s in [Delivered, Collected, Returned, Cancelled] {
            assert_eq!(s.next(Delivery), None, "{s}");
            assert_eq!(s.next(Pickup), None, "{s}");
            assert!(s.is_final(), "{s}");
        }
        assert!(!Ready.is_final() && !OutForDelivery.is_final());
    }

    #[test]
    fn a_delivery_goes_out_with_a_rider_then_is_delivered_or_returned() {
        let steps: Vec<_> = std::iter::successors(Some(New), |s| s.next(Delivery)).collect();
        assert_eq!(steps, [New, Preparing, Ready, OutForDelivery, Delivered]);
        assert!(StatusChange::new(OutForDelivery, Returned, Delivery, Some("not home")).is_ok());
        assert_eq!(
            StatusChange::new(OutForDelivery, Returned, Delivery, Some(" ")),
            Err(StatusError::ReasonRequired)
        );
        // The seed's clients know no riders: ready → delivered stays accepted.
        assert!(StatusChange::new(Ready, Delivered, Delivery, None).is_ok());
        for (from, to) in [
            (Ready, Collected),
            (Ready, Returned),
            (OutForDelivery, Cancelled),
            (OutForDelivery, Ready),
            (Returned, OutForDelivery),
        ] {
            assert!(
                matches!(
                    StatusChange::new(from, to, Delivery, Some("x")),
                    Err(StatusError::InvalidTransition { .. })
                ),
                "{from}->{to}"
            );
        }
    }

    #[test]
    fn a_pickup_is_collected_at_the_counter_and_never_goes_out() {
        let steps: Vec<_> = std::iter::successors(Some(New), |s| s.next(Pickup)).collect();
        assert_eq!(steps, [New, Preparing, Ready, Collected]);
        for to in [OutForDelivery, Returned] {
            assert!(
                StatusChange::new(Ready, to, Pickup, Some("x")).is_err(),
                "{to}"
            );
        }
    }

    #[test]
    fn new_names_parse_and_serialise_as_the_api_spells_them() {
        assert_eq!(
            "out_for_delivery".parse::<OrderStatus>(),
            Ok(OutForDelivery)
        );
        assert_eq!(
            "Out-for-delivery".parse::<OrderStatus>(),
            Ok(OutForDelivery)
        );
        assert_eq!("collected".parse::<OrderStatus>(), Ok(Collected));
        assert_eq!("RETURNED".parse::<OrderStatus>(), Ok(Returned));
        for s in OrderStatus::ALL {
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.as_str())
            );
            assert_eq!(s.as_str().parse::<OrderStatus>(), Ok(s));
        }
    }
}
