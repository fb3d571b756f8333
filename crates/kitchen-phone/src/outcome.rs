//! Why a call ended, decided in one place. The driver reports what it saw (the session's
//! last action, a socket that closed or failed); [`CallEnd::settle`] picks the one reason
//! that counts, and everything that follows comes from that reason alone: the call-log
//! outcome ([`CallEnd::log_outcome`]), what Twilio's REST API must do with the live call
//! ([`CallEnd::line`]: hang up, or move the caller to the shop's phone or an apology), and
//! the close frame of the media stream ([`CallEnd::close_frame`]).

use super::registry::TokenError;
use super::session::{Action, Ending};
use kitchen_domain::CallOutcome;

/// What the server saw on a call that bears on its outcome: the order tools' successes and
/// what the model passed to `end_call`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Facts {
    /// `place_order` saved an order on this call.
    pub placed: bool,
    /// `cancel_order` cancelled one of the caller's orders.
    pub cancelled: bool,
    /// `amend_order` changed one of the caller's orders.
    pub changed: bool,
    /// `end_call`'s outcome (`enquiry` when it gave none that is valid); `None`: no
    /// `end_call`.
    pub reported: Option<CallOutcome>,
}

impl Facts {
    /// The outcome of a call that ended without a transfer or an AI failure. What the server
    /// knows wins: an order placed is `ordered`, else a cancel done is `cancelled`, else a
    /// change done is `changed`. The model is trusted only for what the server cannot know
    /// (`status`, `enquiry`, `complaint`, `wrong_number`); any other word of its (`ordered`
    /// with no order, `cancelled` with no cancel, `changed` with no change, `transferred`
    /// with no transfer) becomes `enquiry`. With no `end_call` at all (a hang-up, a silent
    /// caller) it is `abandoned`.
    pub fn outcome(&self) -> CallOutcome {
        if self.placed {
            return CallOutcome::Ordered;
        }
        if self.cancelled {
            return CallOutcome::Cancelled;
        }
        if self.changed {
            return CallOutcome::Changed;
        }
        match self.reported {
            None => CallOutcome::Abandoned,
            Some(
                o @ (CallOutcome::Status
                | CallOutcome::Enquiry
                | CallOutcome::Complaint
                | CallOutcome::WrongNumber),
            ) => o,
            Some(_) => CallOutcome::Enquiry,
        }
    }
}

/// Why a call ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallEnd {
    /// The stream sent no valid `start` in time (or closed first): there is no call to log.
    NoStart,
    /// The stream's one-time token was refused: there is no call to log.
    Refused(TokenError),
    /// The caller hung up: Twilio sent `stop` or closed the media stream.
    CallerHungUp,
    /// The media stream broke: a read failed or a message could not be sent.
    TwilioLost,
    /// The AI said goodbye (`end_call`, a silent caller, the time limit): hang up.
    Goodbye,
    /// The caller asked for a person: hand the call to the shop's phone.
    Transfer,
    /// The AI cannot serve (unreachable, refused, dropped, the server shutting down): the
    /// caller goes to the shop's phone, or hears an apology. Never silence.
    AiFailed {
        /// Why, for the call log.
        reason: String,
    },
}

/// What Twilio's REST API must do with the live call once the stream ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line {
    /// Nothing: the call is already over, or there never was one.
    Leave,
    /// Hang up (`Status=completed`).
    HangUp,
    /// Redirect to `<Dial>` the shop (with a short Urdu notice).
    Transfer,
    /// Redirect to the fallback: `<Dial>` the shop if it has a phone, else an apology.
    Fallback,
}

/// Policy-violation close code (RFC 6455).
const POLICY: u16 = 1008;

impl CallEnd {
    /// The session's verdict, if `action` is one of the actions that end a call.
    pub fn of_action(action: &Action) -> Option<CallEnd> {
        match action {
            Action::End(Ending::Hangup) => Some(CallEnd::Goodbye),
            Action::End(Ending::Transfer) => Some(CallEnd::Transfer),
            Action::Fallback { reason } => Some(CallEnd::AiFailed {
                reason: reason.clone(),
            }),
            Action::Stopped => Some(CallEnd::CallerHungUp),
            _ => None,
        }
    }

    /// The one rule for two reasons seen in the same step of the relay: what the session
    /// decided (goodbye, transfer, fallback) wins over what the sockets did, because it
    /// carries a promise to the caller (a hang-up after the goodbye, the shop's phone); of
    /// two reasons of the same weight, the first stands.
    pub fn settle(current: Option<CallEnd>, next: CallEnd) -> CallEnd {
        match current {
            Some(cur) if cur.weight() >= next.weight() => cur,
            _ => next,
        }
    }

    fn weight(&self) -> u8 {
        match self {
            CallEnd::Goodbye | CallEnd::Transfer | CallEnd::AiFailed { .. } => 2,
            CallEnd::CallerHungUp | CallEnd::TwilioLost => 1,
            CallEnd::NoStart | CallEnd::Refused(_) => 0,
        }
    }

    /// The call log's outcome and reason; `None` when no call was answered on this stream
    /// (its record, if any, belongs to the webhook and Twilio's status callback). A transfer
    /// and an AI failure are what they are; any other end is decided by [`Facts::outcome`].
    pub fn log_outcome(&self, facts: &Facts) -> Option<(CallOutcome, Option<String>)> {
        match self {
            CallEnd::NoStart | CallEnd::Refused(_) => None,
            CallEnd::CallerHungUp | CallEnd::TwilioLost | CallEnd::Goodbye => {
                Some((facts.outcome(), None))
            }
            CallEnd::Transfer => Some((
                CallOutcome::Transferred,
                Some("the caller asked for a person".to_string()),
            )),
            CallEnd::AiFailed { reason } => Some((CallOutcome::Failed, Some(reason.clone()))),
        }
    }

    /// Why, as the code the call log shows in the screen's language (beside the words of
    /// [`CallEnd::log_outcome`]).
    pub fn reason_code(&self) -> Option<kitchen_domain::CallEndReason> {
        match self {
            CallEnd::Transfer => Some(kitchen_domain::CallEndReason::CallerAskedForPerson),
            CallEnd::AiFailed { .. } => Some(kitchen_domain::CallEndReason::AiFailed),
            _ => None,
        }
    }

    /// What Twilio must do with the live call. If the REST call fails, the TwiML after
    /// `<Connect><Stream>` (the same fallback) takes over when the stream closes.
    pub fn line(&self) -> Line {
        match self {
            CallEnd::NoStart | CallEnd::Refused(_) => Line::Leave,
            CallEnd::CallerHungUp | CallEnd::TwilioLost => Line::Leave,
            CallEnd::Goodbye => Line::HangUp,
            CallEnd::Transfer => Line::Transfer,
            CallEnd::AiFailed { .. } => Line::Fallback,
        }
    }

    /// The close frame for the media stream.
    pub fn close_frame(&self) -> (u16, &'static str) {
        match self {
            CallEnd::NoStart => (POLICY, "start expected in time"),
            CallEnd::Refused(_) => (POLICY, "invalid stream token"),
            _ => (1000, "call ended"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failed(reason: &str) -> CallEnd {
        CallEnd::AiFailed {
            reason: reason.into(),
        }
    }

    #[test]
    fn the_sessions_ending_actions_and_only_those_end_the_call() {
        assert_eq!(
            CallEnd::of_action(&Action::End(Ending::Hangup)),
            Some(CallEnd::Goodbye)
        );
        assert_eq!(
            CallEnd::of_action(&Action::End(Ending::Transfer)),
            Some(CallEnd::Transfer)
        );
        assert_eq!(
            CallEnd::of_action(&Action::Fallback {
                reason: "no AI".into()
            }),
            Some(failed("no AI"))
        );
        assert_eq!(
            CallEnd::of_action(&Action::Stopped),
            Some(CallEnd::CallerHungUp)
        );
        for other in [
            Action::Warn("x".into()),
            Action::Transcript(super::super::session::Speaker::Ai, "x".into()),
        ] {
            assert_eq!(CallEnd::of_action(&other), None);
        }
    }

    #[test]
    fn the_server_decides_the_outcome_and_trusts_the_model_only_for_what_it_cannot_know() {
        use CallOutcome::*;
        let f = |placed, cancelled, reported| Facts {
            placed,
            cancelled,
            reported,
            ..Facts::default()
        };
        let changed = |reported| Facts {
            changed: true,
            reported,
            ..Facts::default()
        };
        let cases = [
            // (placed, cancelled, end_call's outcome) → logged
            (f(false, false, None), Abandoned),
            (f(true, false, None), Ordered),
            (f(false, true, None), Cancelled),
            (f(true, true, Some(Cancelled)), Ordered),
            (f(true, false, Some(Enquiry)), Ordered),
            (f(true, false, Some(Complaint)), Ordered),
            (f(false, true, Some(Enquiry)), Cancelled),
            (f(false, true, Some(Status)), Cancelled),
            (f(false, false, Some(Enquiry)), Enquiry),
            (f(false, false, Some(Status)), Status),
            (f(false, false, Some(Complaint)), Complaint),
            (f(false, false, Some(WrongNumber)), WrongNumber),
            (f(false, false, Some(Ordered)), Enquiry),
            (f(false, false, Some(Cancelled)), Enquiry),
            (f(false, false, Some(Changed)), Enquiry),
            (f(false, false, Some(Transferred)), Enquiry),
            (changed(None), Changed),
            (changed(Some(Changed)), Changed),
            (changed(Some(Enquiry)), Changed),
            (
                Facts {
                    cancelled: true,
                    ..changed(Some(Changed))
                },
                Cancelled,
            ),
            (
                Facts {
                    placed: true,
                    ..changed(None)
                },
                Ordered,
            ),
        ];
        for (facts, want) in cases {
            assert_eq!(facts.outcome(), want, "{facts:?}");
            for end in [CallEnd::Goodbye, CallEnd::CallerHungUp, CallEnd::TwilioLost] {
                assert_eq!(
                    end.log_outcome(&facts),
                    Some((want, None)),
                    "{end:?} {facts:?}"
                );
            }
        }
        // A transfer and an AI failure are never overridden, not even by an order.
        let all = f(true, true, Some(Complaint));
        assert_eq!(
            CallEnd::Transfer.log_outcome(&all).unwrap().0,
            CallOutcome::Transferred
        );
        assert_eq!(
            failed("x").log_outcome(&all).unwrap().0,
            CallOutcome::Failed
        );
        assert_eq!(CallEnd::NoStart.log_outcome(&all), None);
    }

    #[test]
    fn the_sessions_verdict_wins_over_a_broken_socket_and_the_first_of_equals_stands() {
        use CallEnd::*;
        assert_eq!(CallEnd::settle(None, TwilioLost), TwilioLost);
        assert_eq!(CallEnd::settle(Some(TwilioLost), Goodbye), Goodbye);
        assert_eq!(CallEnd::settle(Some(TwilioLost), failed("x")), failed("x"));
        assert_eq!(CallEnd::settle(Some(Transfer), TwilioLost), Transfer);
        assert_eq!(
            CallEnd::settle(Some(CallerHungUp), TwilioLost),
            CallerHungUp
        );
        assert_eq!(CallEnd::settle(Some(TwilioLost), CallerHungUp), TwilioLost);
        assert_eq!(CallEnd::settle(Some(Goodbye), failed("x")), Goodbye);
    }

    #[test]
    fn each_end_has_its_log_outcome_line_action_and_close_frame() {
        use CallEnd::*;
        let cases = [
            (NoStart, None, Line::Leave, 1008),
            (Refused(TokenError::Expired), None, Line::Leave, 1008),
            (
                CallerHungUp,
                Some((CallOutcome::Abandoned, None)),
                Line::Leave,
                1000,
            ),
            (
                TwilioLost,
                Some((CallOutcome::Abandoned, None)),
                Line::Leave,
                1000,
            ),
            (
                Goodbye,
                Some((CallOutcome::Abandoned, None)),
                Line::HangUp,
                1000,
            ),
            (
                Transfer,
                Some((
                    CallOutcome::Transferred,
                    Some("the caller asked for a person".to_string()),
                )),
                Line::Transfer,
                1000,
            ),
            (
                failed("OpenAI refused the key"),
                Some((
                    CallOutcome::Failed,
                    Some("OpenAI refused the key".to_string()),
                )),
                Line::Fallback,
                1000,
            ),
        ];
        for (end, log, line, code) in cases {
            assert_eq!(end.log_outcome(&Facts::default()), log, "{end:?}");
            assert_eq!(end.line(), line, "{end:?}");
            assert_eq!(end.close_frame().0, code, "{end:?}");
        }
        assert_eq!(
            Refused(TokenError::WrongToken).close_frame().1,
            "invalid stream token"
        );
    }
}
