//! Replay-proof webhooks: the CallSids Twilio's webhooks already brought, for a few hours.
//!
//! A signed `/incoming-call` stays valid for anyone who copies it (the signature covers the
//! URL and the parameters, not a time), so the same request posted again would be answered
//! with a fresh stream token and open another AI session on the shop's key, with no phone
//! call behind it. Twilio asks for a call's TwiML once, so a CallSid is answered once: a
//! repeat gets 409 and nothing else. Likewise a call's end, reported by its status
//! callbacks (Twilio sends one per event asked for, and retries), is written once.
//!
//! Memory is bounded: a CallSid is remembered for [`WINDOW`] (far longer than the 58-minute
//! hard stop of a call, so a replay during or soon after its call is refused), and at most
//! [`MAX_REMEMBERED`] are kept, the oldest forgotten first.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How long a CallSid is remembered.
pub const WINDOW: Duration = Duration::from_secs(4 * 60 * 60);

/// The most CallSids remembered at once (a busy shop takes a few hundred calls a day).
pub const MAX_REMEMBERED: usize = 20_000;

/// What the webhook of a CallSid should do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// The first `/incoming-call` of this CallSid: answer it.
    First,
    /// A repeat: refuse it. `first_repeat` is true for the first repeat of the CallSid
    /// (logged at warn level; later ones at debug level, so a flood cannot fill the log).
    Repeat {
        /// Whether this is the CallSid's first repeat.
        first_repeat: bool,
    },
}

#[derive(Debug, Default)]
struct Entry {
    answered: bool,
    repeats: u32,
    ended: bool,
}

#[derive(Debug, Default)]
struct Seen {
    by_sid: HashMap<String, Entry>,
    /// CallSids in the order first seen, for forgetting the oldest.
    order: VecDeque<(Instant, String)>,
}

/// The CallSids seen lately. Shared by the public router's handlers.
#[derive(Debug)]
pub struct SeenCalls {
    seen: Mutex<Seen>,
    window: Duration,
    max: usize,
}

impl Default for SeenCalls {
    fn default() -> Self {
        SeenCalls::new(WINDOW, MAX_REMEMBERED)
    }
}

impl SeenCalls {
    /// Remembers CallSids for `window`, at most `max` of them.
    pub fn new(window: Duration, max: usize) -> Self {
        SeenCalls {
            seen: Mutex::default(),
            window,
            max: max.max(1),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Seen> {
        // Plain data: a panic elsewhere leaves it usable.
        self.seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The entry of `call_sid`, added (and old ones forgotten) if it is new.
    fn entry<'a>(&self, seen: &'a mut Seen, call_sid: &str, now: Instant) -> &'a mut Entry {
        while let Some((at, _)) = seen.order.front() {
            let expired = now.saturating_duration_since(*at) >= self.window;
            let full = seen.by_sid.len() >= self.max && !seen.by_sid.contains_key(call_sid);
            if !(expired || full) {
                break;
            }
            if let Some((_, sid)) = seen.order.pop_front() {
                seen.by_sid.remove(&sid);
            }
        }
        if !seen.by_sid.contains_key(call_sid) {
            seen.order.push_back((now, call_sid.to_string()));
        }
        seen.by_sid.entry(call_sid.to_string()).or_default()
    }

    /// Called for each signed `/incoming-call`: whether to answer it.
    pub fn incoming(&self, call_sid: &str, now: Instant) -> Answer {
        let mut seen = self.lock();
        let e = self.entry(&mut seen, call_sid, now);
        if !e.answered {
            e.answered = true;
            return Answer::First;
        }
        e.repeats = e.repeats.saturating_add(1);
        Answer::Repeat {
            first_repeat: e.repeats == 1,
        }
    }

    /// Called for each signed status callback saying the call is over: `true` the first
    /// time for `call_sid` (write the end), `false` after (nothing left to write).
    pub fn ended(&self, call_sid: &str, now: Instant) -> bool {
        let mut seen = self.lock();
        let e = self.entry(&mut seen, call_sid, now);
        !std::mem::replace(&mut e.ended, true)
    }

    /// How many CallSids are remembered now.
    pub fn len(&self) -> usize {
        self.lock().by_sid.len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_call_sid_is_answered_once_and_its_repeats_are_refused() {
        let seen = SeenCalls::default();
        let t0 = Instant::now();
        assert_eq!(seen.incoming("CA1", t0), Answer::First);
        assert_eq!(
            seen.incoming("CA1", t0),
            Answer::Repeat { first_repeat: true }
        );
        assert_eq!(
            seen.incoming("CA1", t0),
            Answer::Repeat {
                first_repeat: false
            }
        );
        assert_eq!(seen.incoming("CA2", t0), Answer::First);
    }

    #[test]
    fn a_calls_end_is_reported_once() {
        let seen = SeenCalls::default();
        let t0 = Instant::now();
        assert!(seen.ended("CA1", t0));
        assert!(!seen.ended("CA1", t0));
        // The end seen first does not make the call's own webhook a repeat.
        assert_eq!(seen.incoming("CA1", t0), Answer::First);
    }

    #[test]
    fn call_sids_are_forgotten_after_the_window_and_beyond_the_cap() {
        let seen = SeenCalls::new(Duration::from_secs(60), 3);
        let t0 = Instant::now();
        seen.incoming("CA1", t0);
        assert_eq!(
            seen.incoming("CA1", t0 + Duration::from_secs(61)),
            Answer::First,
            "forgotten after the window"
        );
        assert_eq!(seen.len(), 1);
        for sid in ["CA2", "CA3", "CA4", "CA5"] {
            seen.incoming(sid, t0 + Duration::from_secs(62));
        }
        assert_eq!(seen.len(), 3, "never more than the cap");
        assert_eq!(
            seen.incoming("CA5", t0 + Duration::from_secs(62)),
            Answer::Repeat { first_repeat: true },
            "the newest are kept"
        );
        let many = SeenCalls::new(WINDOW, 1000);
        for i in 0..10_000 {
            many.incoming(&format!("CA{i}"), t0);
        }
        assert_eq!(many.len(), 1000);
    }
}
