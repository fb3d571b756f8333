//! The first-run setup wizard: what the owner answers once (shop name, chef password,
//! OpenAI key and model, Twilio account, token and number, the shop's own phone, ngrok
//! token and domain), checked all at once, each problem in plain words beside its field;
//! and the field checks the settings screen shares.
//!
//! Required: the shop name, an OpenAI key and the shop's own phone (the fallback for calls
//! the AI cannot take). A secret left empty keeps the one already stored, so running the
//! wizard again does not mean typing every key again; an empty chef password keeps the
//! current one. Twilio and ngrok are optional (calls need them, but the shop can add them
//! later); the three Twilio answers go together.

use crate::secret_store;
use kitchen_domain::{FieldError, PhoneNumber, Secret};
use kitchen_store::keys;
use kitchen_wire::SetupRequest;

/// The shortest chef password accepted.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// The longest shop name accepted.
pub const MAX_SHOP_NAME_CHARS: usize = 80;

/// What is already configured, which the answers are checked against.
#[derive(Debug, Clone, Default)]
pub struct SetupContext {
    /// The chef's login name (the password must differ from it).
    pub chef_username: String,
    /// An OpenAI key is stored or set in the environment.
    pub openai_api_key_set: bool,
    /// A Twilio auth token is stored or set in the environment.
    pub twilio_auth_token_set: bool,
    /// An ngrok token is stored or set in the environment.
    pub ngrok_authtoken_set: bool,
}

/// Checked answers, ready to save.
#[derive(Debug, Clone)]
pub struct ValidSetup {
    /// The new chef password, when one was given.
    pub new_password: Option<Secret>,
    /// Plain settings for SQLite: `Some` sets, `None` removes. Includes `setup_done` and
    /// `start_at_login`.
    pub rows: Vec<(&'static str, Option<String>)>,
    /// Secrets for the secret store (only those given).
    pub secrets: Vec<(&'static str, Secret)>,
}

/// Checks every answer; returns all problems at once, in the wizard's field order.
pub fn validate(a: &SetupRequest, ctx: &SetupContext) -> Result<ValidSetup, Vec<FieldError>> {
    let mut errors: Vec<FieldError> = Vec::new();
    let mut fail = |field: &str, message: String| errors.push(FieldError::new(field, message));
    let mut rows: Vec<(&'static str, Option<String>)> = Vec::new();
    let mut secrets: Vec<(&'static str, Secret)> = Vec::new();

    let shop_name = a.shop_name.trim();
    if shop_name.is_empty() {
        fail("shop_name", "Please enter your shop's name.".into());
    } else if shop_name.chars().count() > MAX_SHOP_NAME_CHARS {
        fail(
            "shop_name",
            "The shop name is too long; please keep it under 80 letters.".into(),
        );
    } else {
        rows.push((keys::SHOP_NAME, Some(shop_name.to_string())));
    }

    let password = a.chef_password.expose();
    let new_password = if password.is_empty() {
        None
    } else if password.chars().count() < MIN_PASSWORD_CHARS {
        fail(
            "chef_password",
            "The chef password needs at least 8 characters.".into(),
        );
        None
    } else if password.chars().count() > 200 {
        fail(
            "chef_password",
            "The chef password is too long; please keep it under 200 characters.".into(),
        );
        None
    } else if password
        .trim()
        .eq_ignore_ascii_case(ctx.chef_username.trim())
    {
        fail(
            "chef_password",
            "The chef password must not be the same as the username.".into(),
        );
        None
    } else {
        Some(a.chef_password.clone())
    };

    let key = a.openai_api_key.expose().trim();
    if key.is_empty() {
        if !ctx.openai_api_key_set {
            fail(
                "openai_api_key",
                "Please paste your OpenAI API key (it starts with sk-).".into(),
            );
        }
    } else if key.chars().any(char::is_whitespace) {
        fail(
            "openai_api_key",
            "The OpenAI key has a space in it; copy it again without spaces.".into(),
        );
    } else if !key.starts_with("sk-") {
        fail(
            "openai_api_key",
            "That does not look like an OpenAI API key: it should start with sk-.".into(),
        );
    } else {
        secrets.push((secret_store::keys::OPENAI_API_KEY, Secret::new(key)));
    }

    if a.openai_model.trim().is_empty() {
        fail(
            "openai_model",
            "Please choose the OpenAI model to use.".into(),
        );
    } else {
        match check_model(&a.openai_model) {
            Ok(m) => rows.push((keys::OPENAI_MODEL, Some(m))),
            Err(m) => fail("openai_model", m),
        }
    }

    // Twilio: all three together, or none for now.
    let sid = a.twilio_account_sid.trim();
    let token = a.twilio_auth_token.expose().trim();
    let number = a.twilio_phone_number.trim();
    let twilio_started = !sid.is_empty() || !token.is_empty() || !number.is_empty();
    let together = "Twilio needs the Account SID, the auth token and the number together: \
                    fill this in too, or leave all three empty to set up calls later.";
    if sid.is_empty() {
        if twilio_started {
            fail("twilio_account_sid", together.into());
        } else {
            rows.push((keys::TWILIO_ACCOUNT_SID, None));
        }
    } else {
        match check_account_sid(sid) {
            Ok(v) => rows.push((keys::TWILIO_ACCOUNT_SID, Some(v))),
            Err(m) => fail("twilio_account_sid", m),
        }
    }
    if token.is_empty() {
        if twilio_started && !ctx.twilio_auth_token_set {
            fail("twilio_auth_token", together.into());
        }
    } else {
        match check_twilio_token(token) {
            Ok(v) => secrets.push((secret_store::keys::TWILIO_AUTH_TOKEN, Secret::new(v))),
            Err(m) => fail("twilio_auth_token", m),
        }
    }
    if number.is_empty() {
        if twilio_started {
            fail("twilio_phone_number", together.into());
        } else {
            rows.push((keys::TWILIO_PHONE_NUMBER, None));
        }
    } else {
        match check_phone(number, "your Twilio number") {
            Ok(v) => rows.push((keys::TWILIO_PHONE_NUMBER, Some(v))),
            Err(m) => fail("twilio_phone_number", m),
        }
    }

    if a.shop_phone.trim().is_empty() {
        fail(
            "shop_phone",
            "Please enter the shop's own phone number: callers who ask for a person go there."
                .into(),
        );
    } else {
        match check_phone(&a.shop_phone, "the shop's own phone number") {
            Ok(v) => rows.push((keys::SHOP_PHONE, Some(v))),
            Err(m) => fail("shop_phone", m),
        }
    }

    let ngrok = a.ngrok_authtoken.expose().trim();
    let domain = a.ngrok_domain.trim();
    if ngrok.chars().any(char::is_whitespace) {
        fail(
            "ngrok_authtoken",
            "The ngrok authtoken has a space in it; copy it again without spaces.".into(),
        );
    } else if ngrok.is_empty() {
        if !domain.is_empty() && !ctx.ngrok_authtoken_set {
            fail(
                "ngrok_authtoken",
                "A reserved domain needs your ngrok authtoken too (from the ngrok dashboard)."
                    .into(),
            );
        }
    } else if ngrok.len() > 400 {
        fail(
            "ngrok_authtoken",
            "That is too long for an ngrok authtoken; copy it again from the ngrok dashboard."
                .into(),
        );
    } else {
        secrets.push((secret_store::keys::NGROK_AUTHTOKEN, Secret::new(ngrok)));
    }
    if domain.is_empty() {
        rows.push((keys::NGROK_DOMAIN, None));
    } else {
        match check_ngrok_domain(domain) {
            Ok(v) => rows.push((keys::NGROK_DOMAIN, Some(v))),
            Err(m) => fail("ngrok_domain", m),
        }
    }

    if !errors.is_empty() {
        return Err(errors);
    }
    rows.push((keys::START_AT_LOGIN, Some("true".into())));
    rows.push((keys::SETUP_DONE, Some("true".into())));
    Ok(ValidSetup {
        new_password,
        rows,
        secrets,
    })
}

fn is_hex(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A Twilio Account SID: `AC` and 32 hex digits.
pub fn check_account_sid(sid: &str) -> Result<String, String> {
    let sid = sid.trim();
    if sid.len() == 34 && sid.starts_with("AC") && is_hex(&sid[2..]) {
        Ok(sid.to_string())
    } else {
        Err(
            "The Twilio Account SID is AC followed by 32 letters and digits (0-9, a-f); \
             copy it again from the Twilio console."
                .to_string(),
        )
    }
}

/// A Twilio auth token: 32 hex digits.
pub fn check_twilio_token(token: &str) -> Result<String, String> {
    let token = token.trim();
    if token.len() == 32 && is_hex(token) {
        Ok(token.to_string())
    } else {
        Err(
            "The Twilio auth token is 32 letters and digits (0-9, a-f); \
             copy it again from the Twilio console."
                .to_string(),
        )
    }
}

/// A phone number we can dial, in E.164.
pub fn check_phone(number: &str, what: &str) -> Result<String, String> {
    match PhoneNumber::parse(number) {
        Ok(PhoneNumber::E164(number)) => Ok(number),
        Ok(PhoneNumber::Withheld) => Err(format!(
            "Please enter {what} as a phone number, for example +923001234567."
        )),
        Err(e) => Err(format!(
            "That is not a phone number we can dial: {}. Write it with the country code, \
             for example +923001234567.",
            e.why
        )),
    }
}

/// An OpenAI model name: letters, digits, `.`, `-`, `_`.
pub fn check_model(model: &str) -> Result<String, String> {
    let model = model.trim();
    if !model.is_empty()
        && model.len() <= 100
        && model
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
    {
        Ok(model.to_string())
    } else {
        Err(
            "That is not an OpenAI model name; choose one from the list, \
             for example gpt-realtime-2.1."
                .to_string(),
        )
    }
}

/// A reserved ngrok domain such as `melt8-gulberg.ngrok.app` (a pasted `https://` and a
/// trailing `/` are dropped).
pub fn check_ngrok_domain(domain: &str) -> Result<String, String> {
    let d = domain.trim();
    let d = d
        .strip_prefix("https://")
        .or_else(|| d.strip_prefix("http://"))
        .unwrap_or(d)
        .trim_end_matches('/')
        .to_ascii_lowercase();
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    if d.len() <= 253 && d.contains('.') && d.split('.').all(label_ok) {
        Ok(d)
    } else {
        Err(
            "That is not a domain name; copy your reserved domain from the ngrok \
             dashboard, for example melt8-gulberg.ngrok.app, or leave it empty."
                .to_string(),
        )
    }
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

    fn fields(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }

    fn errors_of(a: &SetupRequest, c: &SetupContext) -> Vec<FieldError> {
        match validate(a, c) {
            Ok(_) => Vec::new(),
            Err(e) => e,
        }
    }

    fn row<'a>(v: &'a ValidSetup, key: &str) -> Option<&'a Option<String>> {
        v.rows.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    #[test]
    fn good_answers_pass_and_are_cleaned_up() {
        let valid = match validate(&good(), &ctx()) {
            Ok(v) => v,
            Err(e) => panic!("good answers rejected: {e:?}"),
        };
        assert_eq!(
            row(&valid, keys::SHOP_NAME),
            Some(&Some("Melt 8 Pizza".into()))
        );
        assert_eq!(
            row(&valid, keys::TWILIO_PHONE_NUMBER),
            Some(&Some("+14155550100".into()))
        );
        assert_eq!(
            row(&valid, keys::SHOP_PHONE),
            Some(&Some("+923001234567".into()))
        );
        assert_eq!(row(&valid, keys::SETUP_DONE), Some(&Some("true".into())));
        assert_eq!(
            row(&valid, keys::START_AT_LOGIN),
            Some(&Some("true".into()))
        );
        assert_eq!(valid.secrets.len(), 3);
        assert_eq!(valid.secrets[0].1.expose(), "sk-proj-abc123");
        assert!(valid.new_password.is_some());
        // No secret ever goes to a database row.
        assert!(valid.rows.iter().all(|(_, v)| {
            !v.as_deref().is_some_and(|v| {
                v.contains("sk-proj") || v.contains(TOKEN) || v.contains("2abcDEF")
            })
        }));
    }

    #[test]
    fn empty_answers_report_every_required_field_at_once() {
        let errors = errors_of(&SetupRequest::default(), &ctx());
        assert_eq!(
            fields(&errors),
            vec!["shop_name", "openai_api_key", "openai_model", "shop_phone"]
        );
        assert!(errors.iter().all(|e| e.message.starts_with("Please")));
    }

    #[test]
    fn stored_secrets_and_the_password_may_be_left_empty_when_running_it_again() {
        let mut a = good();
        a.chef_password = Secret::new("");
        a.openai_api_key = Secret::new("");
        a.twilio_auth_token = Secret::new("");
        a.ngrok_authtoken = Secret::new("");
        a.ngrok_domain = "melt8.ngrok.app".into();
        let again = SetupContext {
            openai_api_key_set: true,
            twilio_auth_token_set: true,
            ngrok_authtoken_set: true,
            ..ctx()
        };
        let valid = validate(&a, &again).expect("kept secrets");
        assert!(valid.secrets.is_empty() && valid.new_password.is_none());
        // Without stored ones, the key is required and Twilio's token goes with its SID.
        assert_eq!(
            fields(&errors_of(&a, &ctx())),
            vec!["openai_api_key", "twilio_auth_token", "ngrok_authtoken"]
        );
    }

    #[test]
    fn twilio_answers_go_together_or_not_at_all() {
        let mut a = good();
        a.twilio_account_sid = String::new();
        a.twilio_auth_token = Secret::new("");
        a.twilio_phone_number = String::new();
        let valid = validate(&a, &ctx()).expect("Twilio later");
        assert_eq!(row(&valid, keys::TWILIO_ACCOUNT_SID), Some(&None));
        a.twilio_phone_number = "+924235550123".into();
        let errors = errors_of(&a, &ctx());
        assert_eq!(
            fields(&errors),
            vec!["twilio_account_sid", "twilio_auth_token"]
        );
        assert!(errors[0].message.contains("together"), "{errors:?}");
    }

    #[test]
    fn password_needs_eight_characters_and_must_differ_from_the_username() {
        let mut a = good();
        a.chef_password = Secret::new("1234567");
        assert_eq!(
            errors_of(&a, &ctx()),
            vec![FieldError::new(
                "chef_password",
                "The chef password needs at least 8 characters."
            )]
        );
        a.chef_password = Secret::new("12345678");
        assert!(errors_of(&a, &ctx()).is_empty());
        let c = SetupContext {
            chef_username: "kitchen1".into(),
            ..ctx()
        };
        a.chef_password = Secret::new("Kitchen1");
        let errors = errors_of(&a, &c);
        assert_eq!(fields(&errors), vec!["chef_password"]);
        assert!(errors[0].message.contains("same as the username"));
    }

    #[test]
    fn openai_key_must_start_with_sk_and_have_no_spaces() {
        let mut a = good();
        a.openai_api_key = Secret::new("pk-abc");
        let errors = errors_of(&a, &ctx());
        assert_eq!(fields(&errors), vec!["openai_api_key"]);
        assert!(errors[0].message.contains("start with sk-"));
        a.openai_api_key = Secret::new("sk-abc def");
        assert!(errors_of(&a, &ctx())[0].message.contains("space"));
        // Leading/trailing blanks from copy-paste are forgiven.
        a.openai_api_key = Secret::new(" sk-abc\n");
        assert!(errors_of(&a, &ctx()).is_empty());
    }

    #[test]
    fn twilio_sid_and_token_must_have_their_exact_shapes() {
        for (sid, bad) in [
            ("AC0123456789abcdef0123456789abcde", true),
            ("AC0123456789abcdef0123456789abcdefa", true),
            ("AB0123456789abcdef0123456789abcdef", true),
            ("AC0123456789abcdef0123456789abcdeg", true),
            (SID, false),
        ] {
            let mut a = good();
            a.twilio_account_sid = sid.to_string();
            assert_eq!(
                fields(&errors_of(&a, &ctx())) == vec!["twilio_account_sid"],
                bad,
                "{sid}"
            );
        }
        for (token, bad) in [
            ("0123456789abcdef0123456789abcde", true),
            ("0123456789abcdef0123456789abcdez", true),
            ("0123456789ABCDEF0123456789abcdef", false),
        ] {
            let mut a = good();
            a.twilio_auth_token = Secret::new(token);
            assert_eq!(
                fields(&errors_of(&a, &ctx())) == vec!["twilio_auth_token"],
                bad,
                "{token}"
            );
        }
    }

    #[test]
    fn phone_numbers_must_be_dialable() {
        let mut a = good();
        a.twilio_phone_number = "call me".to_string();
        a.shop_phone = "anonymous".to_string();
        let errors = errors_of(&a, &ctx());
        assert_eq!(fields(&errors), vec!["twilio_phone_number", "shop_phone"]);
        assert!(
            errors[0].message.contains("not a phone number"),
            "{errors:?}"
        );
        assert!(errors[1].message.contains("shop's own phone"), "{errors:?}");
    }

    #[test]
    fn ngrok_token_has_no_spaces_and_the_domain_is_a_domain() {
        let mut a = good();
        a.ngrok_authtoken = Secret::new("abc def");
        a.ngrok_domain = "not a domain".into();
        assert_eq!(
            fields(&errors_of(&a, &ctx())),
            vec!["ngrok_authtoken", "ngrok_domain"]
        );
        assert_eq!(
            check_ngrok_domain("https://Melt8.ngrok.app/").as_deref(),
            Ok("melt8.ngrok.app")
        );
        assert!(check_ngrok_domain("-x.ngrok.app").is_err());
    }

    #[test]
    fn messages_never_repeat_a_secret() {
        let mut a = good();
        a.openai_api_key = Secret::new("sk-leak me");
        a.twilio_auth_token = Secret::new("leakleakleak");
        a.ngrok_authtoken = Secret::new("leak token");
        a.chef_password = Secret::new("leak");
        let errors = errors_of(&a, &ctx());
        assert_eq!(errors.len(), 4);
        assert!(
            errors.iter().all(|e| !e.message.contains("leak")),
            "{errors:?}"
        );
        assert!(!format!("{a:?}").contains("leak"));
    }
}
