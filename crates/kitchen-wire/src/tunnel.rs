//! The app's own tunnel as the dashboard, `/health` and the tray see it.

use serde::Serialize;
use std::collections::BTreeMap;

/// The tunnel's state for the dashboard, `/health` and the tray.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct TunnelDto {
    /// `off` (no ngrok token), `connecting`, `online` or `failed`.
    pub state: TunnelState,
    /// The public address, when online.
    pub url: Option<String>,
    /// What went wrong and what to do, when failed (English).
    pub message: Option<String>,
    /// The same as a stable code (e.g. `ngrok_refused_token`), when failed.
    pub code: Option<String>,
    /// Values the code's text needs (`server_addr`, `domain`, `detail`); possibly empty.
    #[ts(type = "Record<string, string>")]
    pub params: BTreeMap<String, String>,
    /// Seconds until the next try, when failed.
    pub retry_in_secs: Option<u32>,
    /// Which try this is, when connecting.
    pub attempt: Option<u32>,
}

/// See [`TunnelDto::state`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum TunnelState {
    /// No ngrok token configured.
    Off,
    /// Opening.
    Connecting,
    /// Reachable at `url`.
    Online,
    /// Waiting to retry.
    Failed,
}
