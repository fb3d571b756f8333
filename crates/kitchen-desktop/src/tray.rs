//! The tray icon's state: what the server, tunnel and AI are doing, which calls are in
//! progress and which orders are new, built from [`KitchenEvent`]s; rendered as a tooltip
//! and a menu.

use kitchen_domain::CallOutcome;
use kitchen_domain::OrderStatus;
use kitchen_wire::KitchenEvent;
use std::collections::BTreeSet;

/// Windows cuts tray tooltips at 127 characters; the others allow more.
pub const MAX_TOOLTIP_CHARS: usize = 127;

/// The in-process kitchen server.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ServerStatus {
    /// Opening the database, binding the port.
    #[default]
    Starting,
    /// Serving.
    Running,
    /// Could not start or stopped with an error.
    Failed(String),
}

/// The public tunnel Twilio reaches the shop through.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum TunnelStatus {
    /// No tunnel token: the owner's own HTTPS proxy (`PUBLIC_BASE_URL`) or none.
    #[default]
    Off,
    /// Opening the tunnel, or reopening it after a drop.
    Connecting,
    /// Reachable at the URL.
    Online {
        /// The public URL.
        url: String,
    },
    /// Failed; retrying with backoff.
    Failed(String),
}

/// Whether the AI answers the shop's calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AiStatus {
    /// Answering calls.
    #[default]
    Answering,
    /// Paused by the owner: calls go straight to the shop's phone.
    Paused,
    /// No OpenAI key yet: calls go to the shop's phone.
    NotConfigured,
}

/// What a menu item does when clicked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MenuAction {
    /// A status line; does nothing.
    Status,
    /// Shows the dashboard window.
    Open,
    /// Stops the AI answering; calls go to the shop's phone.
    PauseAi,
    /// Lets the AI answer again.
    ResumeAi,
    /// Stops the server and the app.
    Quit,
}

/// One entry of the tray menu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MenuItem {
    /// What clicking it does.
    pub action: MenuAction,
    /// What it says.
    pub label: String,
    /// Whether it can be clicked.
    pub enabled: bool,
}

/// Everything the tray shows. Feed it events with [`TrayState::apply`] and status changes
/// with the setters; read [`TrayState::tooltip`] and [`TrayState::menu`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrayState {
    server: ServerStatus,
    tunnel: TunnelStatus,
    ai: AiStatus,
    /// No shop phone is set: while paused, callers hear only an apology (the pause item and
    /// the AI line say so). Off until the settings say otherwise.
    no_shop_phone: bool,
    /// CallSids of calls still going.
    calls_in_progress: BTreeSet<String>,
    /// Ids of orders still `new` and not acknowledged.
    new_orders: BTreeSet<i64>,
}

impl TrayState {
    /// A tray for a server that is starting, with nothing going on.
    pub fn new() -> Self {
        TrayState::default()
    }

    /// Takes in one kitchen event. Returns true when what the tray shows changed.
    pub fn apply(&mut self, event: &KitchenEvent) -> bool {
        match event {
            KitchenEvent::OrderCreated { order } => {
                if order.status == OrderStatus::New {
                    self.new_orders.insert(order.id)
                } else {
                    self.new_orders.remove(&order.id)
                }
            }
            // A status change takes the order out of "new" (even back to `new` through an
            // undo: the kitchen has seen it).
            KitchenEvent::OrderUpdated { order } => self.new_orders.remove(&order.id),
            KitchenEvent::CallStarted { call } => {
                if call.outcome == CallOutcome::InProgress {
                    self.calls_in_progress.insert(call.call_sid.clone())
                } else {
                    self.calls_in_progress.remove(&call.call_sid)
                }
            }
            KitchenEvent::CallEnded { call } => self.calls_in_progress.remove(&call.call_sid),
            KitchenEvent::MenuUpdated
            | KitchenEvent::CallCardCreated { .. }
            | KitchenEvent::CallCardDone { .. }
            | KitchenEvent::PrinterChanged { .. } => false,
            KitchenEvent::SettingsChanged { settings } => {
                let phone = self.set_no_shop_phone(settings.shop_phone.is_none());
                self.set_ai_from(settings.answering_paused, settings.openai_api_key_set) | phone
            }
            KitchenEvent::AnsweringChanged { paused } => {
                let next = match (*paused, self.ai) {
                    (true, _) => AiStatus::Paused,
                    (false, AiStatus::NotConfigured) => AiStatus::NotConfigured,
                    (false, _) => AiStatus::Answering,
                };
                let changed = self.ai != next;
                self.ai = next;
                changed
            }
            KitchenEvent::TunnelChanged { tunnel } => {
                use kitchen_wire::TunnelState;
                let next = match tunnel.state {
                    TunnelState::Off => TunnelStatus::Off,
                    TunnelState::Connecting => TunnelStatus::Connecting,
                    TunnelState::Online => TunnelStatus::Online {
                        url: tunnel.url.clone().unwrap_or_default(),
                    },
                    TunnelState::Failed => {
                        TunnelStatus::Failed(tunnel.message.clone().unwrap_or_default())
                    }
                };
                let changed = self.tunnel != next;
                self.tunnel = next;
                changed
            }
        }
    }

    /// Takes in the settings in effect (a `watch` subscription to the settings service):
    /// whether the AI is paused or has no key. Returns true when what the tray shows changed.
    pub fn follow_settings(&mut self, settings: &kitchen_domain::ShopSettings) -> bool {
        let phone = self.set_no_shop_phone(settings.shop_phone.is_none());
        self.set_ai_from(settings.answering_paused, settings.openai_api_key.is_some()) | phone
    }

    fn set_no_shop_phone(&mut self, none: bool) -> bool {
        let changed = self.no_shop_phone != none;
        self.no_shop_phone = none;
        changed
    }

    fn set_ai_from(&mut self, paused: bool, key_set: bool) -> bool {
        let next = if paused {
            AiStatus::Paused
        } else if !key_set {
            AiStatus::NotConfigured
        } else {
            AiStatus::Answering
        };
        let changed = self.ai != next;
        self.ai = next;
        changed
    }

    /// The kitchen saw the order (on the board or by clicking its notification). Returns
    /// true when it was new.
    pub fn acknowledge(&mut self, order_id: i64) -> bool {
        self.new_orders.remove(&order_id)
    }

    /// Sets the server's status.
    pub fn set_server(&mut self, status: ServerStatus) {
        self.server = status;
    }

    /// Sets the tunnel's status.
    pub fn set_tunnel(&mut self, status: TunnelStatus) {
        self.tunnel = status;
    }

    /// Sets whether the AI answers.
    pub fn set_ai(&mut self, status: AiStatus) {
        self.ai = status;
    }

    /// The server's status.
    pub fn server(&self) -> &ServerStatus {
        &self.server
    }

    /// The tunnel's status.
    pub fn tunnel(&self) -> &TunnelStatus {
        &self.tunnel
    }

    /// Whether the AI answers.
    pub fn ai(&self) -> AiStatus {
        self.ai
    }

    /// Calls still going.
    pub fn calls_in_progress(&self) -> usize {
        self.calls_in_progress.len()
    }

    /// Orders still `new` and not acknowledged.
    pub fn new_orders(&self) -> usize {
        self.new_orders.len()
    }

    /// Whether this order is still new and unacknowledged (the sound repeats while it is).
    pub fn is_new(&self, order_id: i64) -> bool {
        self.new_orders.contains(&order_id)
    }

    /// `Server: running`.
    pub fn server_line(&self) -> String {
        match &self.server {
            ServerStatus::Starting => "Server: starting".to_string(),
            ServerStatus::Running => "Server: running".to_string(),
            ServerStatus::Failed(why) => format!("Server: stopped ({why})"),
        }
    }

    /// `Tunnel: online`.
    pub fn tunnel_line(&self) -> String {
        match &self.tunnel {
            TunnelStatus::Off => "Tunnel: off".to_string(),
            TunnelStatus::Connecting => "Tunnel: connecting".to_string(),
            TunnelStatus::Online { .. } => "Tunnel: online".to_string(),
            TunnelStatus::Failed(why) => format!("Tunnel: retrying ({why})"),
        }
    }

    /// `AI answering: on`.
    pub fn ai_line(&self) -> &'static str {
        match self.ai {
            AiStatus::Answering => "AI answering: on",
            AiStatus::Paused if self.no_shop_phone => "AI answering: paused, no shop phone",
            AiStatus::Paused => "AI answering: paused",
            AiStatus::NotConfigured => "AI answering: not set up",
        }
    }

    /// `1 call in progress · 2 new orders`.
    pub fn activity_line(&self) -> String {
        format!(
            "{} · {}",
            plural(self.calls_in_progress(), "call", "calls", "in progress"),
            plural(self.new_orders(), "new order", "new orders", ""),
        )
    }

    /// The tooltip: app name, then one line each for server, tunnel, AI and activity;
    /// at most [`MAX_TOOLTIP_CHARS`] characters.
    pub fn tooltip(&self) -> String {
        let text = [
            "Melt 8 Kitchen".to_string(),
            self.server_line(),
            self.tunnel_line(),
            self.ai_line().to_string(),
            self.activity_line(),
        ]
        .join("\n");
        if text.chars().count() <= MAX_TOOLTIP_CHARS {
            text
        } else {
            let kept: String = text.chars().take(MAX_TOOLTIP_CHARS - 1).collect();
            format!("{kept}…")
        }
    }

    /// The menu: status lines (not clickable), then Open, Pause/Resume AI answering, Quit.
    pub fn menu(&self) -> Vec<MenuItem> {
        let status = |label: String| MenuItem {
            action: MenuAction::Status,
            label,
            enabled: false,
        };
        let (ai_action, ai_label) = match self.ai {
            AiStatus::Answering | AiStatus::NotConfigured if self.no_shop_phone => (
                MenuAction::PauseAi,
                "Pause AI answering (no shop phone: callers would hear only an apology)",
            ),
            AiStatus::Answering | AiStatus::NotConfigured => {
                (MenuAction::PauseAi, "Pause AI answering")
            }
            AiStatus::Paused => (MenuAction::ResumeAi, "Resume AI answering"),
        };
        vec![
            status(self.server_line()),
            status(self.tunnel_line()),
            status(self.ai_line().to_string()),
            status(self.activity_line()),
            MenuItem {
                action: MenuAction::Open,
                label: "Open".to_string(),
                enabled: true,
            },
            MenuItem {
                action: ai_action,
                label: ai_label.to_string(),
                enabled: self.ai != AiStatus::NotConfigured,
            },
            MenuItem {
                action: MenuAction::Quit,
                label: "Quit".to_string(),
                enabled: true,
            },
        ]
    }
}

fn plural(n: usize, one: &str, many: &str, suffix: &str) -> String {
    let noun = if n == 1 { one } else { many };
    if suffix.is_empty() {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun} {suffix}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notify::tests::order;
    use kitchen_domain::CallRecord;

    #[test]
    fn the_settings_in_effect_set_the_ai_line() {
        let mut tray = TrayState::new();
        let keyed = kitchen_domain::ShopSettings {
            openai_api_key: Some(kitchen_domain::Secret::new("sk-1")),
            shop_phone: Some(kitchen_domain::settings::E164::parse("+923001234567", "x").unwrap()),
            ..kitchen_domain::ShopSettings::default()
        };
        assert!(!tray.follow_settings(&keyed), "answering is the default");
        let paused = kitchen_domain::ShopSettings {
            answering_paused: true,
            ..keyed.clone()
        };
        assert!(tray.follow_settings(&paused));
        assert_eq!(tray.ai(), AiStatus::Paused);
        assert!(tray.follow_settings(&kitchen_domain::ShopSettings::default()));
        assert_eq!(tray.ai(), AiStatus::NotConfigured);
        assert!(
            !tray
                .menu()
                .iter()
                .any(|m| m.action == MenuAction::PauseAi && m.enabled)
        );
    }

    #[test]
    fn with_no_shop_phone_the_pause_item_and_the_ai_line_warn() {
        let mut tray = TrayState::new();
        let no_phone = kitchen_domain::ShopSettings {
            openai_api_key: Some(kitchen_domain::Secret::new("sk-1")),
            ..kitchen_domain::ShopSettings::default()
        };
        assert!(tray.follow_settings(&no_phone));
        let pause = tray
            .menu()
            .into_iter()
            .find(|m| m.action == MenuAction::PauseAi)
            .unwrap();
        assert!(pause.enabled);
        assert!(pause.label.contains("no shop phone"), "{}", pause.label);
        assert!(tray.apply(&KitchenEvent::AnsweringChanged { paused: true }));
        assert!(
            tray.tooltip()
                .contains("AI answering: paused, no shop phone")
        );
        assert!(tray.tooltip().chars().count() <= MAX_TOOLTIP_CHARS);
        // Once a shop phone is set the warnings go.
        let phone = kitchen_domain::ShopSettings {
            shop_phone: Some(kitchen_domain::settings::E164::parse("+923001234567", "x").unwrap()),
            answering_paused: true,
            ..no_phone
        };
        assert!(tray.follow_settings(&phone));
        assert_eq!(tray.ai_line(), "AI answering: paused");
    }

    #[test]
    fn answering_and_tunnel_events_update_the_tray() {
        let mut tray = TrayState::new();
        assert!(tray.apply(&KitchenEvent::AnsweringChanged { paused: true }));
        assert!(tray.tooltip().contains("AI answering: paused"));
        assert!(!tray.apply(&KitchenEvent::AnsweringChanged { paused: true }));
        assert!(tray.apply(&KitchenEvent::AnsweringChanged { paused: false }));
        assert!(!tray.tooltip().contains("paused"));
        tray.set_ai(AiStatus::NotConfigured);
        assert!(!tray.apply(&KitchenEvent::AnsweringChanged { paused: false }));
        let online = kitchen_wire::TunnelDto {
            state: kitchen_wire::TunnelState::Online,
            url: Some("https://melt8-gulberg.ngrok.app".into()),
            message: None,
            code: None,
            params: Default::default(),
            retry_in_secs: None,
            attempt: None,
        };
        assert!(tray.apply(&KitchenEvent::TunnelChanged { tunnel: online }));
        assert_eq!(
            tray.tunnel(),
            &TunnelStatus::Online {
                url: "https://melt8-gulberg.ngrok.app".into()
            }
        );
    }

    fn created(id: u32) -> KitchenEvent {
        KitchenEvent::OrderCreated {
            order: order(id, Vec::new(), "Gulberg"),
        }
    }

    fn updated(id: u32, status: OrderStatus) -> KitchenEvent {
        let mut o = order(id, Vec::new(), "Gulberg");
        o.status = status;
        KitchenEvent::OrderUpdated { order: o }
    }

    fn call(sid: &str, outcome: CallOutcome) -> CallRecord {
        CallRecord {
            call_sid: sid.to_string(),
            caller: Some("+923001234567".to_string()),
            started_at: "2026-11-24T05:00:00Z".to_string(),
            answered_at: None,
            ended_at: None,
            duration_seconds: None,
            outcome,
            outcome_reason: None,
            outcome_reason_code: None,
            order_id: None,
            input_tokens: 0,
            output_tokens: 0,
            ai_cost_paisa: 0,
            transcript: None,
            quotes: None,
            cards: None,
        }
    }

    fn started(sid: &str) -> KitchenEvent {
        KitchenEvent::CallStarted {
            call: call(sid, CallOutcome::InProgress),
        }
    }

    fn ended(sid: &str, outcome: CallOutcome) -> KitchenEvent {
        KitchenEvent::CallEnded {
            call: call(sid, outcome),
        }
    }

    #[test]
    fn new_orders_are_counted_until_their_status_changes_or_they_are_acknowledged() {
        let mut tray = TrayState::new();
        assert!(tray.apply(&created(1)));
        assert!(tray.apply(&created(2)));
        assert!(tray.apply(&created(3)));
        assert_eq!(tray.new_orders(), 3);

        assert!(tray.apply(&updated(1, OrderStatus::Preparing)));
        assert_eq!(tray.new_orders(), 2);
        assert!(!tray.is_new(1));
        assert!(tray.is_new(2));

        assert!(tray.acknowledge(2));
        assert!(!tray.acknowledge(2), "acknowledging twice changes nothing");
        assert_eq!(tray.new_orders(), 1);

        // A later change of an order no longer new changes nothing.
        assert!(!tray.apply(&updated(1, OrderStatus::Ready)));
        assert_eq!(tray.new_orders(), 1);
        assert!(tray.is_new(3));
    }

    #[test]
    fn an_order_created_in_another_status_is_not_new() {
        let mut tray = TrayState::new();
        let mut o = order(5, Vec::new(), "DHA");
        o.status = OrderStatus::Preparing;
        assert!(!tray.apply(&KitchenEvent::OrderCreated { order: o }));
        assert_eq!(tray.new_orders(), 0);
    }

    #[test]
    fn calls_in_progress_follow_start_and_end() {
        let mut tray = TrayState::new();
        assert!(tray.apply(&started("CA1")));
        assert!(tray.apply(&started("CA2")));
        assert!(!tray.apply(&started("CA2")), "a repeated start counts once");
        assert_eq!(tray.calls_in_progress(), 2);
        assert!(tray.apply(&ended("CA1", CallOutcome::Ordered)));
        assert_eq!(tray.calls_in_progress(), 1);
        assert!(!tray.apply(&ended("CA9", CallOutcome::Abandoned)));
        assert!(tray.apply(&ended("CA2", CallOutcome::Transferred)));
        assert_eq!(tray.calls_in_progress(), 0);
        assert!(!tray.apply(&KitchenEvent::MenuUpdated));
    }

    #[test]
    fn tooltip_shows_every_status_and_the_counts() {
        let mut tray = TrayState::new();
        tray.set_server(ServerStatus::Running);
        tray.set_tunnel(TunnelStatus::Online {
            url: "https://shop.ngrok.app".to_string(),
        });
        tray.apply(&started("CA1"));
        tray.apply(&created(1));
        tray.apply(&created(2));
        assert_eq!(
            tray.tooltip(),
            "Melt 8 Kitchen\nServer: running\nTunnel: online\nAI answering: on\n\
             1 call in progress · 2 new orders"
        );

        tray.set_ai(AiStatus::Paused);
        tray.set_tunnel(TunnelStatus::Connecting);
        tray.apply(&ended("CA1", CallOutcome::Ordered));
        tray.acknowledge(1);
        assert_eq!(
            tray.tooltip(),
            "Melt 8 Kitchen\nServer: running\nTunnel: connecting\nAI answering: paused\n\
             0 calls in progress · 1 new order"
        );
    }

    #[test]
    fn a_long_failure_reason_keeps_the_tooltip_within_the_limit() {
        let mut tray = TrayState::new();
        tray.set_server(ServerStatus::Failed("x".repeat(300)));
        let tip = tray.tooltip();
        assert_eq!(tip.chars().count(), MAX_TOOLTIP_CHARS);
        assert!(tip.ends_with('…'));
        assert!(tip.starts_with("Melt 8 Kitchen\nServer: stopped (x"));
    }

    fn labels(tray: &TrayState) -> Vec<(MenuAction, String, bool)> {
        tray.menu()
            .into_iter()
            .filter(|i| i.action != MenuAction::Status)
            .map(|i| (i.action, i.label, i.enabled))
            .collect()
    }

    #[test]
    fn menu_offers_open_pause_or_resume_and_quit() {
        let mut tray = TrayState::new();
        assert_eq!(
            labels(&tray),
            vec![
                (MenuAction::Open, "Open".to_string(), true),
                (MenuAction::PauseAi, "Pause AI answering".to_string(), true),
                (MenuAction::Quit, "Quit".to_string(), true),
            ]
        );
        tray.set_ai(AiStatus::Paused);
        assert_eq!(
            labels(&tray)[1],
            (
                MenuAction::ResumeAi,
                "Resume AI answering".to_string(),
                true
            )
        );
        tray.set_ai(AiStatus::NotConfigured);
        assert_eq!(
            labels(&tray)[1],
            (MenuAction::PauseAi, "Pause AI answering".to_string(), false)
        );
    }

    #[test]
    fn menu_status_lines_are_not_clickable_and_follow_the_state() {
        let mut tray = TrayState::new();
        tray.apply(&created(7));
        let status: Vec<_> = tray
            .menu()
            .into_iter()
            .filter(|i| i.action == MenuAction::Status)
            .collect();
        assert!(status.iter().all(|i| !i.enabled));
        let texts: Vec<_> = status.iter().map(|i| i.label.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "Server: starting",
                "Tunnel: off",
                "AI answering: on",
                "0 calls in progress · 1 new order"
            ]
        );
    }
}
