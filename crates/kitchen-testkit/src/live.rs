//! [`FakeLive`]: kitchen-demo's local GPT-Live server with every client event it receives
//! checked against the GPT-Live client-events schema and every server event it sends
//! against the server-events schema ([`crate::schema`]). Failures are listed in
//! [`kitchen_demo::FakeLive::violations`]; a failing client event is also answered with an
//! `error`, as the service answers an event it cannot accept.

pub use kitchen_demo::live::{FakeLiveSession, LiveScript, LiveStep, OutputPace};

use crate::schema::{check_live_client_event, check_live_server_event};
use kitchen_demo::live::LiveChecks;
use std::ops::Deref;

/// A schema-checking fake GPT-Live service; the rest of its API is
/// [`kitchen_demo::FakeLive`]'s (through `Deref`).
#[derive(Debug)]
pub struct FakeLive(kitchen_demo::FakeLive);

impl FakeLive {
    /// Starts a fake that runs `script` on each session started.
    pub async fn start(script: LiveScript) -> anyhow::Result<FakeLive> {
        let checks = LiveChecks {
            client: Some(check_live_client_event),
            server: Some(check_live_server_event),
        };
        kitchen_demo::FakeLive::start(Some(script), checks)
            .await
            .map(FakeLive)
    }
}

impl FakeLive {
    /// Starts a fake that refuses every upgrade with the HTTP `status` (with the checks
    /// installed, though no event ever flows).
    pub async fn start_refusing(status: u16) -> anyhow::Result<FakeLive> {
        let checks = LiveChecks {
            client: Some(check_live_client_event),
            server: Some(check_live_server_event),
        };
        kitchen_demo::FakeLive::start_refusing(status, checks)
            .await
            .map(FakeLive)
    }
}

impl Deref for FakeLive {
    type Target = kitchen_demo::FakeLive;

    fn deref(&self) -> &kitchen_demo::FakeLive {
        &self.0
    }
}
