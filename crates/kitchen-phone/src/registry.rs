//! Calls announced by the webhook and waiting for their media stream. Each carries a
//! one-time token (single use, 60 s) that must come back in the stream's `start` message,
//! and the AI connection being opened for it.

use super::realtime::{ConnectError, RealtimeSocket};
use kitchen_domain::PhoneNumber;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use subtle::ConstantTimeEq;
use tokio::task::JoinHandle;

/// How long a token stays valid.
pub use crate::config::TOKEN_TTL;

/// The AI connection being opened for a call (a real Realtime socket in production, an
/// in-memory one in the driver's tests).
pub type Prewarm<A = RealtimeSocket> = JoinHandle<Result<A, ConnectError>>;

/// A call waiting for its stream.
#[derive(Debug)]
pub struct PendingCall<A = RealtimeSocket> {
    /// Twilio's CallSid.
    pub call_sid: String,
    /// The account the call belongs to (for REST calls).
    pub account_sid: String,
    /// The caller.
    pub caller: PhoneNumber,
    token: String,
    expires: Instant,
    /// The AI connection.
    pub prewarm: Prewarm<A>,
    /// The voice engine the AI connection is for (which driver runs the stream).
    pub engine: kitchen_domain::VoiceEngine,
}

/// Why a stream was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// No call with that CallSid is waiting (never announced, or its token was used).
    #[error("no call is waiting for this stream (unknown CallSid, or the token was already used)")]
    UnknownCall,
    /// The token does not match.
    #[error("the stream token is wrong")]
    WrongToken,
    /// The token is older than 60 s.
    #[error("the stream token has expired")]
    Expired,
}

/// Calls waiting for their stream. Cheap to clone.
#[derive(Debug)]
pub struct CallRegistry<A = RealtimeSocket> {
    pending: Arc<Mutex<HashMap<String, PendingCall<A>>>>,
    ttl: Duration,
}

impl<A> Clone for CallRegistry<A> {
    fn clone(&self) -> Self {
        CallRegistry {
            pending: self.pending.clone(),
            ttl: self.ttl,
        }
    }
}

impl<A> Default for CallRegistry<A> {
    fn default() -> Self {
        CallRegistry::new(TOKEN_TTL)
    }
}

impl<A> CallRegistry<A> {
    /// An empty registry whose tokens live `ttl` ([`TOKEN_TTL`] in production).
    pub fn new(ttl: Duration) -> Self {
        CallRegistry {
            pending: Arc::default(),
            ttl,
        }
    }

    /// Registers a call and returns its token.
    pub fn register(
        &self,
        call_sid: String,
        account_sid: String,
        caller: PhoneNumber,
        prewarm: Prewarm<A>,
        now: Instant,
    ) -> String {
        self.register_for(
            kitchen_domain::VoiceEngine::RealtimeBridge,
            call_sid,
            account_sid,
            caller,
            prewarm,
            now,
        )
    }

    /// Registers a call whose AI connection is for `engine`, and returns its token.
    pub fn register_for(
        &self,
        engine: kitchen_domain::VoiceEngine,
        call_sid: String,
        account_sid: String,
        caller: PhoneNumber,
        prewarm: Prewarm<A>,
        now: Instant,
    ) -> String {
        let token = kitchen_core::auth::new_session_token()
            .0
            .expose()
            .to_string();
        let call = PendingCall {
            call_sid: call_sid.clone(),
            account_sid,
            caller,
            token: token.clone(),
            expires: now + self.ttl,
            prewarm,
            engine,
        };
        if let Ok(mut map) = self.pending.lock() {
            // Sweep calls whose stream never came: their AI connections are closed.
            map.retain(|_, c| {
                let alive = c.expires > now;
                if !alive {
                    c.prewarm.abort();
                }
                alive
            });
            if let Some(old) = map.insert(call_sid, call) {
                old.prewarm.abort();
            }
        }
        token
    }

    /// Takes the call for `call_sid` if `token` is its valid token. A wrong token leaves the
    /// call waiting (a stray connection cannot cancel a real caller); a used or expired one
    /// is gone.
    pub fn claim(
        &self,
        call_sid: &str,
        token: &str,
        now: Instant,
    ) -> Result<PendingCall<A>, TokenError> {
        let Ok(mut map) = self.pending.lock() else {
            return Err(TokenError::UnknownCall);
        };
        let call = map.get(call_sid).ok_or(TokenError::UnknownCall)?;
        if !bool::from(call.token.as_bytes().ct_eq(token.as_bytes())) {
            return Err(TokenError::WrongToken);
        }
        let call = map.remove(call_sid).ok_or(TokenError::UnknownCall)?;
        if call.expires <= now {
            call.prewarm.abort();
            return Err(TokenError::Expired);
        }
        Ok(call)
    }

    /// Calls waiting at `now` whose token is still valid (those past it will never be
    /// answered: they hold no place).
    pub fn waiting_at(&self, now: Instant) -> usize {
        self.pending
            .lock()
            .map(|m| m.values().filter(|c| c.expires > now).count())
            .unwrap_or(0)
    }

    /// Calls waiting now.
    pub fn waiting(&self) -> usize {
        self.pending.lock().map(|m| m.len()).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn idle() -> Prewarm {
        tokio::spawn(async { Err(ConnectError::NoKey) })
    }

    #[tokio::test]
    async fn a_token_is_single_use_and_bound_to_its_call() {
        let reg: CallRegistry = CallRegistry::default();
        let t0 = Instant::now();
        let token = reg.register(
            "CA1".into(),
            "AC1".into(),
            PhoneNumber::Withheld,
            idle(),
            t0,
        );
        assert_eq!(
            reg.claim("CA2", &token, t0).unwrap_err(),
            TokenError::UnknownCall
        );
        assert_eq!(
            reg.claim("CA1", "guess", t0).unwrap_err(),
            TokenError::WrongToken
        );
        let call = reg.claim("CA1", &token, t0).unwrap();
        assert_eq!(call.call_sid, "CA1");
        assert_eq!(
            reg.claim("CA1", &token, t0).unwrap_err(),
            TokenError::UnknownCall,
            "reused"
        );
    }

    #[tokio::test]
    async fn a_token_expires_after_a_minute() {
        let reg: CallRegistry = CallRegistry::default();
        let t0 = Instant::now();
        let token = reg.register(
            "CA1".into(),
            "AC1".into(),
            PhoneNumber::Withheld,
            idle(),
            t0,
        );
        assert_eq!(
            reg.claim("CA1", &token, t0 + TOKEN_TTL).unwrap_err(),
            TokenError::Expired
        );
        assert_eq!(reg.waiting(), 0);
    }

    #[tokio::test]
    async fn expired_calls_hold_no_place_while_they_wait_for_the_sweep() {
        let reg: CallRegistry = CallRegistry::default();
        let t0 = Instant::now();
        reg.register(
            "CA1".into(),
            "AC1".into(),
            PhoneNumber::Withheld,
            idle(),
            t0,
        );
        assert_eq!(reg.waiting_at(t0), 1);
        assert_eq!(reg.waiting_at(t0 + TOKEN_TTL), 0);
        assert_eq!(reg.waiting(), 1);
    }

    #[tokio::test]
    async fn abandoned_calls_are_swept_when_new_ones_arrive() {
        let reg: CallRegistry = CallRegistry::default();
        let t0 = Instant::now();
        reg.register(
            "CA1".into(),
            "AC1".into(),
            PhoneNumber::Withheld,
            idle(),
            t0,
        );
        reg.register(
            "CA2".into(),
            "AC1".into(),
            PhoneNumber::Withheld,
            idle(),
            t0 + TOKEN_TTL + Duration::from_secs(1),
        );
        assert_eq!(reg.waiting(), 1);
    }
}
