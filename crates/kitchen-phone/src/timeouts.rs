//! Every duration a call depends on, in one value: production uses [`CallTimeouts::default`];
//! tests shorten them through the configuration, or run the driver on paused time.

use super::session::CallLimits;
use std::time::Duration;

/// The timeouts and timers of the call path (webhook → stream → AI → hang-up).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallTimeouts {
    /// How long the one-time stream token of a call stays valid after the webhook answered.
    pub stream_token: Duration,
    /// How long a media stream may take to send its `start` (with that token) once open.
    pub start: Duration,
    /// How long opening the AI socket may take before the caller is moved on.
    pub ai_connect: Duration,
    /// How often the driver tells the session how long the call has lasted.
    pub tick: Duration,
    /// When the AI is asked to wrap up (the Realtime API ends sessions at 60 minutes).
    pub wrap_up_after: Duration,
    /// When the call is hung up regardless.
    pub hard_stop_after: Duration,
    /// The longest caller speech, while the AI is speaking, that is taken as a
    /// backchannel («جی», «ہاں», «اچھا», "ok") rather than an interruption: such speech
    /// neither stops nor answers the AI. Longer speech barges in once it has lasted this
    /// long, so this is also how much later than the start of speech a real interruption
    /// stops the AI.
    pub backchannel_max: Duration,
    /// How long one of the setting `max_call_minutes`'s minutes lasts: a minute (tests
    /// shorten it to reach the cap in seconds).
    pub call_minute: Duration,
    /// How long after the cap on a call's length the AI may take to finish speaking before
    /// the call is handed on regardless.
    pub cap_grace: Duration,
}

impl Default for CallTimeouts {
    fn default() -> Self {
        let limits = CallLimits::default();
        CallTimeouts {
            stream_token: super::registry::TOKEN_TTL,
            start: Duration::from_secs(5),
            ai_connect: Duration::from_secs(5),
            tick: Duration::from_secs(1),
            wrap_up_after: Duration::from_millis(limits.wrap_up_after_ms),
            hard_stop_after: Duration::from_millis(limits.hard_stop_after_ms),
            backchannel_max: Duration::from_millis(limits.backchannel_max_ms),
            call_minute: Duration::from_secs(60),
            cap_grace: Duration::from_millis(limits.cap_grace_ms),
        }
    }
}

impl CallTimeouts {
    /// The session's limits with these call lengths.
    pub fn limits(&self) -> CallLimits {
        CallLimits {
            wrap_up_after_ms: millis(self.wrap_up_after),
            hard_stop_after_ms: millis(self.hard_stop_after),
            backchannel_max_ms: millis(self.backchannel_max),
            cap_grace_ms: millis(self.cap_grace),
            ..CallLimits::default()
        }
    }

    /// The session's limits with these call lengths and the shop's cap of
    /// `max_call_minutes` (each minute [`CallTimeouts::call_minute`] long). A cap that comes
    /// no earlier than the session's own wrap-up adds nothing: that wrap-up and hard stop
    /// govern.
    pub fn limits_capped(&self, max_call_minutes: u32) -> CallLimits {
        let limits = self.limits();
        let cap = millis(self.call_minute).saturating_mul(u64::from(max_call_minutes));
        CallLimits {
            call_cap_ms: (cap < limits.wrap_up_after_ms).then_some(cap),
            ..limits
        }
    }
}

/// Whole milliseconds, saturating (a `Duration` can exceed `u64` milliseconds).
pub(crate) fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_the_production_values() {
        let t = CallTimeouts::default();
        assert_eq!(t.stream_token, Duration::from_secs(60));
        assert_eq!(t.start, Duration::from_secs(5));
        assert_eq!(t.ai_connect, Duration::from_secs(5));
        assert_eq!(t.tick, Duration::from_secs(1));
        assert_eq!(t.wrap_up_after, Duration::from_secs(55 * 60));
        assert_eq!(t.hard_stop_after, Duration::from_secs(58 * 60));
        assert_eq!(t.backchannel_max, Duration::from_millis(700));
        let limits = t.limits();
        assert_eq!(limits.backchannel_max_ms, 700);
        assert_eq!(limits.wrap_up_after_ms, 55 * 60_000);
        assert_eq!(limits.hard_stop_after_ms, 58 * 60_000);
        assert_eq!(
            limits.idle_prompts_before_goodbye,
            CallLimits::default().idle_prompts_before_goodbye
        );
    }

    #[test]
    fn shortened_call_lengths_reach_the_session_limits() {
        let t = CallTimeouts {
            wrap_up_after: Duration::from_secs(3),
            hard_stop_after: Duration::from_secs(4),
            backchannel_max: Duration::from_millis(400),
            ..CallTimeouts::default()
        };
        assert_eq!(
            (
                t.limits().wrap_up_after_ms,
                t.limits().hard_stop_after_ms,
                t.limits().backchannel_max_ms
            ),
            (3_000, 4_000, 400)
        );
        assert_eq!(millis(Duration::MAX), u64::MAX);
    }

    #[test]
    fn the_shops_cap_on_a_calls_length_counts_in_call_minutes() {
        let t = CallTimeouts::default();
        assert_eq!(t.limits().call_cap_ms, None);
        assert_eq!(t.limits_capped(15).call_cap_ms, Some(15 * 60_000));
        assert_eq!(t.limits_capped(15).cap_grace_ms, 20_000);
        let short = CallTimeouts {
            call_minute: Duration::from_millis(100),
            cap_grace: Duration::from_secs(2),
            ..t
        };
        assert_eq!(short.limits_capped(3).call_cap_ms, Some(300));
        assert_eq!(short.limits_capped(3).cap_grace_ms, 2_000);
        assert_eq!(t.limits_capped(54).call_cap_ms, Some(54 * 60_000));
        assert_eq!(
            t.limits_capped(55).call_cap_ms,
            None,
            "the session's own wrap-up"
        );
    }
}
