//! The app's own tunnel's status as the API and the desktop shell read it. The tunnel itself
//! (kitchen-tunnel) is run by the composition root, which feeds the status in.

use kitchen_tunnel::TunnelStatus;
use kitchen_wire::{TunnelDto, TunnelState};
use tokio::sync::watch;

/// The tunnel's status as the dashboard, `/health` and the tray see it.
pub fn tunnel_dto(s: &TunnelStatus) -> TunnelDto {
    let none = TunnelDto {
        state: TunnelState::Off,
        url: None,
        message: None,
        code: None,
        params: Default::default(),
        retry_in_secs: None,
        attempt: None,
    };
    match s {
        TunnelStatus::Off => none,
        TunnelStatus::Connecting { attempt } => TunnelDto {
            state: TunnelState::Connecting,
            attempt: Some(*attempt),
            ..none
        },
        TunnelStatus::Online { url } => TunnelDto {
            state: TunnelState::Online,
            url: Some(url.clone()),
            ..none
        },
        TunnelStatus::Failed {
            message,
            code,
            params,
            retry_in_secs,
        } => TunnelDto {
            state: TunnelState::Failed,
            message: Some(message.clone()),
            code: Some(code.clone()),
            params: params.clone(),
            retry_in_secs: Some(u32::try_from(*retry_in_secs).unwrap_or(u32::MAX)),
            ..none
        },
    }
}

/// The tunnel's live status, readable from the state (and by the desktop shell).
#[derive(Debug, Clone)]
pub struct TunnelHandle {
    status: watch::Receiver<TunnelStatus>,
}

impl TunnelHandle {
    /// A handle and the sender that feeds it.
    pub fn new() -> (TunnelHandle, watch::Sender<TunnelStatus>) {
        let (tx, status) = watch::channel(TunnelStatus::Off);
        (TunnelHandle { status }, tx)
    }

    /// The status now.
    pub fn status(&self) -> TunnelStatus {
        self.status.borrow().clone()
    }

    /// The status now, for the API.
    pub fn dto(&self) -> TunnelDto {
        tunnel_dto(&self.status.borrow())
    }

    /// Follows status changes.
    pub fn subscribe(&self) -> watch::Receiver<TunnelStatus> {
        self.status.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dto_carries_only_what_each_state_has() {
        let online = tunnel_dto(&TunnelStatus::Online {
            url: "https://a.ngrok-free.app".into(),
        });
        assert_eq!(online.state, TunnelState::Online);
        assert_eq!(online.url.as_deref(), Some("https://a.ngrok-free.app"));
        assert_eq!(online.message, None);
        assert_eq!(online.code, None);
        let failed = tunnel_dto(&TunnelStatus::Failed {
            message: "m".into(),
            code: "ngrok_refused".into(),
            params: [("detail".to_string(), "d".to_string())].into(),
            retry_in_secs: 8,
        });
        assert_eq!(
            serde_json::to_value(&failed).unwrap(),
            serde_json::json!({"state": "failed", "url": null, "message": "m", "code": "ngrok_refused",
                "params": {"detail": "d"}, "retry_in_secs": 8, "attempt": null})
        );
    }
}
