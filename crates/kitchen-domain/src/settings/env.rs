//! The environment's layer of the settings: `SHOP_NAME`, `OPENAI_API_KEY`, … read through
//! a lookup the configuration loader gives (flags first, then the environment and `.env`),
//! checked by the same rules as the dashboard's. Problems name the variable.

use super::SettingsLayer;
use super::update::{Problems, ranges};
use super::values::{
    AccountSid, E164, Greeting, ItemCount, Minutes, ModelName, NgrokDomain, Problem, SecretKind,
    ShopName,
};
use crate::validation::FieldError;

/// Each setting the environment can give, with its variable.
pub mod vars {
    /// The shop's name.
    pub const SHOP_NAME: &str = "SHOP_NAME";
    /// The greeting.
    pub const SHOP_GREETING: &str = "SHOP_GREETING";
    /// Minutes to delivery.
    pub const ETA_MINUTES: &str = "ETA_MINUTES";
    /// The shop's own phone.
    pub const SHOP_PHONE: &str = "SHOP_PHONE";
    /// The Twilio account.
    pub const TWILIO_ACCOUNT_SID: &str = "TWILIO_ACCOUNT_SID";
    /// The shop's Twilio number.
    pub const TWILIO_PHONE_NUMBER: &str = "TWILIO_PHONE_NUMBER";
    /// The Realtime model.
    pub const OPENAI_REALTIME_MODEL: &str = "OPENAI_REALTIME_MODEL";
    /// The reserved ngrok domain.
    pub const NGROK_DOMAIN: &str = "NGROK_DOMAIN";
    /// The OpenAI key (secret).
    pub const OPENAI_API_KEY: &str = "OPENAI_API_KEY";
    /// The Twilio auth token (secret).
    pub const TWILIO_AUTH_TOKEN: &str = "TWILIO_AUTH_TOKEN";
    /// The ngrok token (secret).
    pub const NGROK_AUTHTOKEN: &str = "NGROK_AUTHTOKEN";
    /// The shop is configured here: the first-run wizard counts as done.
    pub const SKIP_SETUP_WIZARD: &str = "SKIP_SETUP_WIZARD";

    /// Calls with the AI at once.
    pub const MAX_CONCURRENT_AI_CALLS: &str = "MAX_CONCURRENT_AI_CALLS";
    /// Minutes one call may last.
    pub const MAX_CALL_MINUTES: &str = "MAX_CALL_MINUTES";
    /// Calls an hour from one number.
    pub const MAX_CALLS_PER_CALLER_PER_HOUR: &str = "MAX_CALLS_PER_CALLER_PER_HOUR";
    /// AI minutes a business day.
    pub const DAILY_AI_BUDGET_MINUTES: &str = "DAILY_AI_BUDGET_MINUTES";

    /// The engine that answers calls.
    pub const VOICE_ENGINE: &str = "VOICE_ENGINE";
    /// The OpenAI project for SIP calls.
    pub const OPENAI_PROJECT_ID: &str = "OPENAI_PROJECT_ID";
    /// The OpenAI webhook secret (secret).
    pub const OPENAI_WEBHOOK_SECRET: &str = "OPENAI_WEBHOOK_SECRET";
    /// The GPT-Live model.
    pub const OPENAI_LIVE_MODEL: &str = "OPENAI_LIVE_MODEL";
    /// The Responses model GPT-Live delegates the tools to.
    pub const OPENAI_LIVE_BACKEND_MODEL: &str = "OPENAI_LIVE_BACKEND_MODEL";

    /// Every variable above.
    pub const ALL: [&str; 21] = [
        SHOP_NAME,
        SHOP_GREETING,
        ETA_MINUTES,
        SHOP_PHONE,
        TWILIO_ACCOUNT_SID,
        TWILIO_PHONE_NUMBER,
        OPENAI_REALTIME_MODEL,
        NGROK_DOMAIN,
        OPENAI_API_KEY,
        TWILIO_AUTH_TOKEN,
        NGROK_AUTHTOKEN,
        SKIP_SETUP_WIZARD,
        MAX_CONCURRENT_AI_CALLS,
        MAX_CALL_MINUTES,
        MAX_CALLS_PER_CALLER_PER_HOUR,
        DAILY_AI_BUDGET_MINUTES,
        VOICE_ENGINE,
        OPENAI_PROJECT_ID,
        OPENAI_WEBHOOK_SECRET,
        OPENAI_LIVE_MODEL,
        OPENAI_LIVE_BACKEND_MODEL,
    ];
}

/// A yes/no as people write it in a `.env` file: `true/false`, `1/0`, `yes/no`, `on/off`
/// (any case).
pub fn parse_bool(s: &str) -> Result<bool, Problem> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        _ => Err(Problem {
            code: "invalid",
            params: Vec::new(),
            message: format!(
                "`{}` is not yes or no; write true or false (or 1/0, yes/no)",
                s.trim()
            ),
        }),
    }
}

/// A whole number.
pub fn parse_number(s: &str) -> Result<u32, Problem> {
    s.trim().parse().map_err(|_| Problem {
        code: "invalid",
        params: Vec::new(),
        message: format!("`{}` is not a whole number", s.trim()),
    })
}

/// The environment's layer: `lookup(VAR)` gives a variable's value (empty counts as unset).
pub fn layer(lookup: impl Fn(&str) -> Option<String>) -> Result<SettingsLayer, Vec<FieldError>> {
    let get = |var: &str| lookup(var).filter(|v| !v.trim().is_empty());
    let mut p = Problems::default();
    let mut l = SettingsLayer::default();
    macro_rules! field {
        ($var:expr, $parse:expr) => {
            get($var).and_then(|v| p.check($var, $parse(v.as_str())))
        };
    }
    l.shop_name = field!(vars::SHOP_NAME, ShopName::parse);
    l.greeting = field!(vars::SHOP_GREETING, Greeting::parse);
    l.eta_minutes = field!(vars::ETA_MINUTES, |v| {
        let (lo, hi) = ranges::ETA_MINUTES;
        parse_number(v).and_then(|n| Minutes::parse(n, lo, hi))
    });
    l.shop_phone = field!(vars::SHOP_PHONE, |v| E164::parse(v, "SHOP_PHONE"));
    l.twilio_account_sid = field!(vars::TWILIO_ACCOUNT_SID, AccountSid::parse);
    l.twilio_phone_number = field!(vars::TWILIO_PHONE_NUMBER, |v| E164::parse(
        v,
        "TWILIO_PHONE_NUMBER"
    ));
    l.openai_model = field!(vars::OPENAI_REALTIME_MODEL, ModelName::parse);
    l.ngrok_domain = field!(vars::NGROK_DOMAIN, NgrokDomain::parse);
    l.openai_api_key = field!(vars::OPENAI_API_KEY, |v| SecretKind::OpenAiApiKey.parse(v));
    l.twilio_auth_token = field!(vars::TWILIO_AUTH_TOKEN, |v| SecretKind::TwilioAuthToken
        .parse(v));
    l.ngrok_authtoken = field!(vars::NGROK_AUTHTOKEN, |v| SecretKind::NgrokAuthtoken
        .parse(v));
    l.voice_engine = field!(vars::VOICE_ENGINE, crate::VoiceEngine::parse);
    l.openai_project_id = field!(vars::OPENAI_PROJECT_ID, crate::ProjectId::parse);
    l.openai_webhook_secret = field!(vars::OPENAI_WEBHOOK_SECRET, |v| {
        SecretKind::OpenAiWebhookSecret.parse(v)
    });
    l.openai_live_model = field!(vars::OPENAI_LIVE_MODEL, ModelName::parse);
    l.openai_live_backend_model = field!(vars::OPENAI_LIVE_BACKEND_MODEL, ModelName::parse);
    let minutes =
        |v: &str, (lo, hi): (u32, u32)| parse_number(v).and_then(|n| Minutes::parse(n, lo, hi));
    let count =
        |v: &str, (lo, hi): (u32, u32)| parse_number(v).and_then(|n| ItemCount::parse(n, lo, hi));
    l.max_concurrent_ai_calls = field!(vars::MAX_CONCURRENT_AI_CALLS, |v| count(
        v,
        ranges::MAX_CONCURRENT_AI_CALLS
    ));
    l.max_call_minutes = field!(vars::MAX_CALL_MINUTES, |v| minutes(
        v,
        ranges::MAX_CALL_MINUTES
    ));
    l.max_calls_per_caller_per_hour = field!(vars::MAX_CALLS_PER_CALLER_PER_HOUR, |v| count(
        v,
        ranges::MAX_CALLS_PER_CALLER_PER_HOUR
    ));
    l.daily_ai_budget_minutes = field!(vars::DAILY_AI_BUDGET_MINUTES, |v| minutes(
        v,
        ranges::DAILY_AI_BUDGET_MINUTES
    ));
    // `SKIP_SETUP_WIZARD=false` says nothing; only a yes marks the wizard done.
    l.setup_done = field!(vars::SKIP_SETUP_WIZARD, parse_bool).filter(|done| *done);
    if p.0.is_empty() { Ok(l) } else { Err(p.0) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn booleans_accept_what_people_write() {
        for (s, want) in [
            ("true", true),
            ("1", true),
            ("YES", true),
            ("no", false),
            ("0", false),
        ] {
            assert_eq!(parse_bool(s).unwrap(), want, "{s}");
        }
        assert!(
            parse_bool("maybe")
                .unwrap_err()
                .message
                .contains("true or false")
        );
    }

    #[test]
    fn the_environment_obeys_the_dashboards_rules_and_names_the_variable() {
        let errors = layer(env(&[
            ("SHOP_PHONE", "call me"),
            ("ETA_MINUTES", "500"),
            ("TWILIO_AUTH_TOKEN", "not-hex"),
            ("SKIP_SETUP_WIZARD", "perhaps"),
        ]))
        .unwrap_err();
        let got: Vec<(&str, &str)> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            got,
            [
                ("ETA_MINUTES", "out_of_range"),
                ("SHOP_PHONE", "phone_invalid"),
                ("TWILIO_AUTH_TOKEN", "twilio_token_format"),
                ("SKIP_SETUP_WIZARD", "invalid"),
            ]
        );
    }

    #[test]
    fn good_variables_become_the_environments_layer() {
        let l = layer(env(&[
            ("SHOP_NAME", "Melt 8 DHA"),
            ("SHOP_PHONE", "0300 1234567"),
            ("OPENAI_API_KEY", "sk-env"),
            ("SKIP_SETUP_WIZARD", "1"),
            ("SHOP_GREETING", "  "),
        ]))
        .unwrap();
        assert_eq!(l.shop_name.unwrap().as_str(), "Melt 8 DHA");
        assert_eq!(l.shop_phone.unwrap().as_str(), "+923001234567");
        assert_eq!(l.openai_api_key.unwrap().expose(), "sk-env");
        assert_eq!(l.setup_done, Some(true));
        assert_eq!(l.greeting, None);
        let off = layer(env(&[("SKIP_SETUP_WIZARD", "false")])).unwrap();
        assert_eq!(off.setup_done, None);
    }

    #[test]
    fn the_voice_engine_and_its_openai_project_come_from_the_environment() {
        let l = layer(env(&[
            ("VOICE_ENGINE", "sip-live"),
            ("OPENAI_PROJECT_ID", "proj_abc123"),
            (
                "OPENAI_WEBHOOK_SECRET",
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            ),
            ("OPENAI_LIVE_MODEL", "gpt-live-1"),
        ]))
        .unwrap();
        let s = crate::ShopSettings::resolve(&l, &SettingsLayer::default());
        assert_eq!(s.voice_engine, crate::VoiceEngine::SipLive);
        assert_eq!(s.openai_project_id.unwrap().as_str(), "proj_abc123");
        assert!(s.openai_webhook_secret.is_some());
        assert_eq!(s.openai_live_model.as_str(), "gpt-live-1");
        assert_eq!(s.openai_live_backend_model.as_str(), "gpt-5-mini");
        let default = crate::ShopSettings::default();
        assert_eq!(default.voice_engine, crate::VoiceEngine::RealtimeBridge);
        let errors = layer(env(&[
            ("VOICE_ENGINE", "live"),
            ("OPENAI_PROJECT_ID", "project-1"),
            ("OPENAI_WEBHOOK_SECRET", "secret"),
        ]))
        .unwrap_err();
        let got: Vec<(&str, &str)> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            got,
            [
                ("VOICE_ENGINE", "voice_engine"),
                ("OPENAI_PROJECT_ID", "openai_project_format"),
                ("OPENAI_WEBHOOK_SECRET", "webhook_secret_format"),
            ]
        );
    }

    #[test]
    fn the_caps_come_from_variables_of_the_same_name_in_capitals() {
        let l = layer(env(&[
            ("MAX_CONCURRENT_AI_CALLS", "2"),
            ("MAX_CALL_MINUTES", " 10 "),
            ("MAX_CALLS_PER_CALLER_PER_HOUR", "3"),
            ("DAILY_AI_BUDGET_MINUTES", "120"),
        ]))
        .unwrap();
        let s = crate::ShopSettings::resolve(&l, &SettingsLayer::default());
        assert_eq!(
            (
                s.max_concurrent_ai_calls,
                s.max_call_minutes,
                s.max_calls_per_caller_per_hour,
                s.daily_ai_budget_minutes
            ),
            (2, 10, 3, 120)
        );
        let errors = layer(env(&[
            ("MAX_CONCURRENT_AI_CALLS", "0"),
            ("MAX_CALL_MINUTES", "ten"),
            ("MAX_CALLS_PER_CALLER_PER_HOUR", "61"),
            ("DAILY_AI_BUDGET_MINUTES", "-5"),
        ]))
        .unwrap_err();
        let got: Vec<(&str, &str)> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            got,
            [
                ("MAX_CONCURRENT_AI_CALLS", "out_of_range"),
                ("MAX_CALL_MINUTES", "invalid"),
                ("MAX_CALLS_PER_CALLER_PER_HOUR", "out_of_range"),
                ("DAILY_AI_BUDGET_MINUTES", "invalid"),
            ]
        );
        for var in [
            vars::MAX_CONCURRENT_AI_CALLS,
            vars::MAX_CALL_MINUTES,
            vars::MAX_CALLS_PER_CALLER_PER_HOUR,
            vars::DAILY_AI_BUDGET_MINUTES,
        ] {
            assert!(vars::ALL.contains(&var), "{var}");
        }
    }
}
