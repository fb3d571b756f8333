//! Whether the desktop app starts when the owner signs in to the computer: on once the
//! first-run setup is done, unless the owner turned it off in Settings. Fed the settings in
//! effect each time they change (a `watch` subscription to the settings service); the
//! shell tells the OS's launcher only when the wanted state changes, so a failing launcher
//! warns once per change, not on every settings save.

use kitchen_domain::ShopSettings;

/// The last state the launcher was told.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoginStart {
    applied: Option<bool>,
}

impl LoginStart {
    /// Nothing told yet.
    pub fn new() -> Self {
        LoginStart::default()
    }

    /// Whether the app should start at login with these settings.
    pub fn wanted(settings: &ShopSettings) -> bool {
        settings.setup_done && settings.start_at_login
    }

    /// Takes in the settings now; returns the state to tell the launcher when it differs
    /// from the last one told (the first call always tells).
    pub fn follow(&mut self, settings: &ShopSettings) -> Option<bool> {
        let wanted = Self::wanted(settings);
        if self.applied == Some(wanted) {
            return None;
        }
        self.applied = Some(wanted);
        Some(wanted)
    }

    /// The last state told.
    pub fn applied(&self) -> Option<bool> {
        self.applied
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_the_launcher_once_per_change() {
        let mut start = LoginStart::new();
        let fresh = ShopSettings::default();
        assert_eq!(
            start.follow(&fresh),
            Some(false),
            "a new shop does not start at login"
        );
        assert_eq!(start.follow(&fresh), None);
        let done = ShopSettings {
            setup_done: true,
            start_at_login: true,
            ..ShopSettings::default()
        };
        assert_eq!(start.follow(&done), Some(true));
        let off = ShopSettings {
            start_at_login: false,
            ..done.clone()
        };
        assert_eq!(start.follow(&off), Some(false));
        assert_eq!(start.applied(), Some(false));
    }
}
