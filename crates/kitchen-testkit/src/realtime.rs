//! [`FakeRealtime`]: kitchen-demo's local OpenAI Realtime (GA) server with every client
//! event checked against the GA JSON Schema ([`crate::schema`]). An event that fails is
//! listed in [`FakeSession::schema_violations`] and answered with an `invalid_value`
//! `error`, as OpenAI answers it. Sessions, scripts and the upgrade handling are the demo's.

pub use kitchen_demo::realtime::{Behaviour, FakeSession, Handshake, Script, Step};

use crate::schema::check_client_event;
use std::ops::Deref;

/// A fake OpenAI Realtime API on `127.0.0.1` that schema-checks every client event; the
/// rest of its API is [`kitchen_demo::FakeRealtime`]'s (through `Deref`). Stops (and drops
/// its connections) on drop.
#[derive(Debug)]
pub struct FakeRealtime(kitchen_demo::FakeRealtime);

impl FakeRealtime {
    /// Starts a fake that treats every connection per `behaviour`.
    pub async fn start(behaviour: Behaviour) -> anyhow::Result<FakeRealtime> {
        Self::start_checked(behaviour, None).await
    }

    /// Starts a fake that accepts every connection and runs `script` on each new session.
    pub async fn start_scripted(script: Script) -> anyhow::Result<FakeRealtime> {
        Self::start_checked(Behaviour::Accept, Some(script)).await
    }

    async fn start_checked(
        behaviour: Behaviour,
        script: Option<Script>,
    ) -> anyhow::Result<FakeRealtime> {
        let check = Some(check_client_event as kitchen_demo::ClientEventCheck);
        kitchen_demo::FakeRealtime::start_with(behaviour, script, check)
            .await
            .map(FakeRealtime)
    }
}

impl Deref for FakeRealtime {
    type Target = kitchen_demo::FakeRealtime;

    fn deref(&self) -> &kitchen_demo::FakeRealtime {
        &self.0
    }
}
