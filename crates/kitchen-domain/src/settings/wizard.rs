//! The first-run setup wizard's answers: every field checked by the same rules as
//! `PUT /api/settings` ([`super::values`]), plus what only the wizard asks — the answers it
//! requires, the three Twilio answers together, a domain needing its token, and the chef
//! password.
//!
//! Required: the shop name, an OpenAI key and the shop's own phone (the fallback for calls
//! the AI cannot take). A secret left empty keeps the one already configured, so running the
//! wizard again does not mean typing every key again; an empty chef password keeps the
//! current one. Saving the wizard marks setup done and leaves "start at login" as the owner
//! left it (on by default once setup is done).

use super::update::Problems;
use super::values::{
    AccountSid, E164, ModelName, NgrokDomain, Problem, SecretKind, ShopName, required,
};
use super::{Change, SettingsPatch};
use crate::secret::Secret;
use crate::validation::FieldError;
use serde::Deserialize;

/// The shortest chef password accepted.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// The longest chef password accepted.
pub const MAX_PASSWORD_CHARS: usize = 200;

/// `POST /api/setup`: every answer (a missing one counts as empty).
#[derive(Debug, Clone, Default, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields, default)]
pub struct SetupRequest {
    /// The shop's name, as the AI greets callers with it.
    pub shop_name: String,
    /// A new chef password (empty: keep the current one).
    #[ts(type = "string")]
    pub chef_password: Secret,
    /// OpenAI API key, `sk-…` (empty: keep the stored one).
    #[ts(type = "string")]
    pub openai_api_key: Secret,
    /// The OpenAI Realtime model.
    pub openai_model: String,
    /// Twilio Account SID, `AC` + 32 hex digits (optional).
    pub twilio_account_sid: String,
    /// Twilio auth token, 32 hex digits (empty: keep the stored one).
    #[ts(type = "string")]
    pub twilio_auth_token: Secret,
    /// The shop's Twilio number callers dial (optional).
    pub twilio_phone_number: String,
    /// The shop's own phone, for calls the AI cannot take.
    pub shop_phone: String,
    /// The ngrok authtoken (empty: keep the stored one; optional).
    #[ts(type = "string")]
    pub ngrok_authtoken: Secret,
    /// A reserved ngrok domain (optional).
    pub ngrok_domain: String,
}

/// What is already configured, which the answers are checked against.
#[derive(Debug, Clone, Default)]
pub struct SetupContext {
    /// The chef's login name (the password must differ from it).
    pub chef_username: String,
    /// An OpenAI key is configured (stored or from the environment).
    pub openai_api_key_set: bool,
    /// A Twilio auth token is configured.
    pub twilio_auth_token_set: bool,
    /// An ngrok token is configured.
    pub ngrok_authtoken_set: bool,
}

/// Checked answers, ready to save.
#[derive(Debug, Clone)]
pub struct ValidSetup {
    /// The new chef password, when one was given.
    pub new_password: Option<Secret>,
    /// The settings to store (with `setup_done`; secrets only where given).
    pub patch: SettingsPatch,
}

/// Checks a chef password (`username` is the login name it must differ from).
pub fn check_password(password: &str, username: &str) -> Result<(), Problem> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err(Problem {
            code: "too_short",
            params: vec![("min", MIN_PASSWORD_CHARS.to_string())],
            message: format!("The chef password needs at least {MIN_PASSWORD_CHARS} characters."),
        });
    }
    if n > MAX_PASSWORD_CHARS {
        return Err(Problem {
            code: "too_long",
            params: vec![("max", MAX_PASSWORD_CHARS.to_string())],
            message: format!(
                "The chef password is too long; please keep it under {MAX_PASSWORD_CHARS} characters."
            ),
        });
    }
    if password.trim().eq_ignore_ascii_case(username.trim()) {
        return Err(Problem {
            code: "same_as_username",
            params: Vec::new(),
            message: "The chef password must not be the same as the username.".into(),
        });
    }
    Ok(())
}

/// Checks every answer; returns all problems at once, in the wizard's field order.
pub fn validate(a: &SetupRequest, ctx: &SetupContext) -> Result<ValidSetup, Vec<FieldError>> {
    let mut p = Problems::default();
    let mut patch = SettingsPatch {
        setup_done: Change::Set(true),
        ..SettingsPatch::default()
    };
    patch.shop_name = Change::from(p.check("shop_name", ShopName::parse(&a.shop_name)));

    let password = a.chef_password.expose();
    let new_password = if password.is_empty() {
        None
    } else {
        p.check(
            "chef_password",
            check_password(password, &ctx.chef_username),
        )
        .map(|()| a.chef_password.clone())
    };

    patch.openai_api_key = secret(
        &mut p,
        SecretKind::OpenAiApiKey,
        &a.openai_api_key,
        ctx.openai_api_key_set,
        "Please paste your OpenAI API key (it starts with sk-).",
    );
    if a.openai_model.trim().is_empty() {
        p.0.push(required("Please choose the OpenAI model to use.").at("openai_model"));
    } else {
        patch.openai_model =
            Change::from(p.check("openai_model", ModelName::parse(&a.openai_model)));
    }

    // Twilio: all three together, or none for now.
    let sid = a.twilio_account_sid.trim();
    let token = a.twilio_auth_token.expose().trim();
    let number = a.twilio_phone_number.trim();
    let started = !sid.is_empty() || !token.is_empty() || !number.is_empty();
    let together = |field: &str| {
        FieldError::coded(
            field,
            "twilio_incomplete",
            "Twilio needs the Account SID, the auth token and the number together: fill this \
             in too, or leave all three empty to set up calls later.",
        )
    };
    if sid.is_empty() {
        if started {
            p.0.push(together("twilio_account_sid"));
        } else {
            patch.twilio_account_sid = Change::Clear;
        }
    } else {
        patch.twilio_account_sid =
            Change::from(p.check("twilio_account_sid", AccountSid::parse(sid)));
    }
    if token.is_empty() {
        if started && !ctx.twilio_auth_token_set {
            p.0.push(together("twilio_auth_token"));
        }
    } else {
        patch.twilio_auth_token = Change::from(p.check(
            "twilio_auth_token",
            SecretKind::TwilioAuthToken.parse(token),
        ));
    }
    if number.is_empty() {
        if started {
            p.0.push(together("twilio_phone_number"));
        } else {
            patch.twilio_phone_number = Change::Clear;
        }
    } else {
        patch.twilio_phone_number = Change::from(p.check(
            "twilio_phone_number",
            E164::parse(number, "your Twilio number"),
        ));
    }

    if a.shop_phone.trim().is_empty() {
        p.0.push(
            required(
                "Please enter the shop's own phone number: callers who ask for a person go there.",
            )
            .at("shop_phone"),
        );
    } else {
        patch.shop_phone = Change::from(p.check(
            "shop_phone",
            E164::parse(&a.shop_phone, "the shop's own phone number"),
        ));
    }

    let ngrok = a.ngrok_authtoken.expose().trim();
    let domain = a.ngrok_domain.trim();
    if ngrok.is_empty() {
        if !domain.is_empty() && !ctx.ngrok_authtoken_set {
            p.0.push(FieldError::coded(
                "ngrok_authtoken",
                "ngrok_needs_token",
                "A reserved domain needs your ngrok authtoken too (from the ngrok dashboard).",
            ));
        }
    } else {
        patch.ngrok_authtoken =
            Change::from(p.check("ngrok_authtoken", SecretKind::NgrokAuthtoken.parse(ngrok)));
    }
    patch.ngrok_domain = if domain.is_empty() {
        Change::Clear
    } else {
        Change::from(p.check("ngrok_domain", NgrokDomain::parse(domain)))
    };

    if p.0.is_empty() {
        Ok(ValidSetup {
            new_password,
            patch,
        })
    } else {
        Err(p.0)
    }
}

/// A secret answer: empty keeps the configured one (or is required when there is none).
fn secret(
    p: &mut Problems,
    kind: SecretKind,
    given: &Secret,
    configured: bool,
    missing: &str,
) -> Change<Secret> {
    let v = given.expose().trim();
    if v.is_empty() {
        if !configured {
            p.0.push(required(missing).at(kind.name()));
        }
        return Change::Keep;
    }
    Change::from(p.check(kind.name(), kind.parse(v)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SID: &str = "AC0123456789abcdef0123456789ABCDEF";
    const TOKEN: &str = "0123456789abcdef0123456789abcdef";

    fn good() -> SetupRequest {
        SetupRequest {
            shop_name: "  Melt 8 Pizza ".to_string(),
            chef_password: Secret::new("correct horse"),
            openai_api_key: Secret::new("sk-proj-abc123"),
            openai_model: "gpt-realtime-2.1".to_string(),
            twilio_account_sid: SID.to_string(),
            twilio_auth_token: Secret::new(TOKEN),
            twilio_phone_number: "+1 (415) 555-0100".to_string(),
            shop_phone: "0300-1234567".to_string(),
            ngrok_authtoken: Secret::new("2abcDEF_ghi"),
            ngrok_domain: String::new(),
        }
    }

    fn ctx() -> SetupContext {
        SetupContext {
            chef_username: "chef".to_string(),
            ..SetupContext::default()
        }
    }

    fn problems(a: &SetupRequest, c: &SetupContext) -> Vec<(String, &'static str)> {
        validate(a, c)
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    #[test]
    fn good_answers_become_one_patch_that_marks_setup_done_and_leaves_login_start_alone() {
        let v = validate(&good(), &ctx()).unwrap();
        assert_eq!(
            v.patch.shop_name,
            Change::Set(ShopName::parse("Melt 8 Pizza").unwrap())
        );
        assert_eq!(v.patch.setup_done, Change::Set(true));
        assert_eq!(v.patch.start_at_login, Change::Keep);
        assert_eq!(
            v.patch.shop_phone,
            Change::Set(E164::parse("+923001234567", "x").unwrap())
        );
        assert_eq!(v.patch.twilio_auth_token, Change::Set(Secret::new(TOKEN)));
        assert_eq!(v.patch.ngrok_domain, Change::Clear);
        assert_eq!(v.new_password.unwrap().expose(), "correct horse");
    }

    #[test]
    fn every_problem_is_reported_at_once_with_its_code() {
        let a = SetupRequest {
            shop_name: " ".into(),
            chef_password: Secret::new("chef"),
            openai_api_key: Secret::new("pk-nope"),
            twilio_account_sid: SID.into(),
            twilio_auth_token: Secret::default(),
            twilio_phone_number: String::new(),
            shop_phone: String::new(),
            ngrok_authtoken: Secret::default(),
            ngrok_domain: "melt8.ngrok.app".into(),
            ..good()
        };
        let want = [
            ("shop_name", "required"),
            ("chef_password", "too_short"),
            ("openai_api_key", "openai_key_format"),
            ("twilio_auth_token", "twilio_incomplete"),
            ("twilio_phone_number", "twilio_incomplete"),
            ("shop_phone", "required"),
            ("ngrok_authtoken", "ngrok_needs_token"),
        ];
        let want: Vec<(String, &str)> = want.iter().map(|(f, c)| (f.to_string(), *c)).collect();
        assert_eq!(problems(&a, &ctx()), want);
    }

    #[test]
    fn empty_secrets_keep_the_configured_ones() {
        let a = SetupRequest {
            openai_api_key: Secret::default(),
            twilio_auth_token: Secret::default(),
            chef_password: Secret::default(),
            ..good()
        };
        let c = SetupContext {
            openai_api_key_set: true,
            twilio_auth_token_set: true,
            ..ctx()
        };
        let v = validate(&a, &c).unwrap();
        assert!(v.patch.openai_api_key.is_keep() && v.patch.twilio_auth_token.is_keep());
        assert!(v.new_password.is_none());
        assert_eq!(
            problems(&a, &ctx())[0],
            ("openai_api_key".into(), "required")
        );
    }

    #[test]
    fn the_password_must_not_be_the_username() {
        let a = SetupRequest {
            chef_password: Secret::new("  CHEFCHEF "),
            ..good()
        };
        let c = SetupContext {
            chef_username: "chefchef".into(),
            ..ctx()
        };
        assert_eq!(
            problems(&a, &c),
            vec![("chef_password".into(), "same_as_username")]
        );
    }
}
