//! The first-run wizard's checks: every answer at once, each problem said in plain words
//! next to the field it belongs to.

use kitchen_domain::PhoneNumber;
use kitchen_server::Secret;

/// The shortest chef password accepted.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// The longest shop name accepted.
pub const MAX_SHOP_NAME_CHARS: usize = 80;

/// What the owner typed into the wizard. Secrets stay wrapped so a `{:?}` never shows them.
#[derive(Debug, Clone)]
pub struct WizardAnswers {
    /// The shop's name, as the AI greets callers with it.
    pub shop_name: String,
    /// The chef's login name (the server's default is `chef`).
    pub chef_username: String,
    /// The chef's password for the dashboard.
    pub chef_password: Secret,
    /// OpenAI API key (`sk-…`).
    pub openai_api_key: Secret,
    /// OpenAI realtime model.
    pub openai_model: String,
    /// Twilio account SID (`AC` + 32 hex digits).
    pub twilio_account_sid: String,
    /// Twilio auth token (32 hex digits).
    pub twilio_auth_token: Secret,
    /// The shop's Twilio number callers dial.
    pub twilio_number: String,
    /// The shop's own phone, for calls the AI cannot take.
    pub fallback_phone: String,
    /// The ngrok authtoken.
    pub ngrok_authtoken: Secret,
}

impl Default for WizardAnswers {
    fn default() -> Self {
        let empty = || Secret::new("");
        WizardAnswers {
            shop_name: String::new(),
            chef_username: "chef".to_string(),
            chef_password: empty(),
            openai_api_key: empty(),
            openai_model: String::new(),
            twilio_account_sid: String::new(),
            twilio_auth_token: empty(),
            twilio_number: String::new(),
            fallback_phone: String::new(),
            ngrok_authtoken: empty(),
        }
    }
}

/// Which answer a problem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// [`WizardAnswers::shop_name`].
    ShopName,
    /// [`WizardAnswers::chef_password`].
    ChefPassword,
    /// [`WizardAnswers::openai_api_key`].
    OpenAiApiKey,
    /// [`WizardAnswers::openai_model`].
    OpenAiModel,
    /// [`WizardAnswers::twilio_account_sid`].
    TwilioAccountSid,
    /// [`WizardAnswers::twilio_auth_token`].
    TwilioAuthToken,
    /// [`WizardAnswers::twilio_number`].
    TwilioNumber,
    /// [`WizardAnswers::fallback_phone`].
    FallbackPhone,
    /// [`WizardAnswers::ngrok_authtoken`].
    NgrokAuthtoken,
}

/// One problem with one answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The answer.
    pub field: Field,
    /// What is wrong and what to do, in plain words. Never contains the secret itself.
    pub message: String,
}

/// The answers, cleaned up: trimmed, phone numbers in E.164.
#[derive(Debug, Clone)]
pub struct ValidSetup {
    /// Shop name.
    pub shop_name: String,
    /// Chef password.
    pub chef_password: Secret,
    /// OpenAI key.
    pub openai_api_key: Secret,
    /// OpenAI model.
    pub openai_model: String,
    /// Twilio account SID.
    pub twilio_account_sid: String,
    /// Twilio auth token.
    pub twilio_auth_token: Secret,
    /// Twilio number, E.164.
    pub twilio_number: String,
    /// Fallback phone, E.164.
    pub fallback_phone: String,
    /// ngrok authtoken.
    pub ngrok_authtoken: Secret,
}

/// Checks every answer; returns all problems at once, in the wizard's field order.
pub fn validate(a: &WizardAnswers) -> Result<ValidSetup, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut fail = |field, message: &str| {
        errors.push(FieldError {
            field,
            message: message.to_string(),
        });
    };

    let shop_name = a.shop_name.trim();
    if shop_name.is_empty() {
        fail(Field::ShopName, "Please enter your shop's name.");
    } else if shop_name.chars().count() > MAX_SHOP_NAME_CHARS {
        fail(
            Field::ShopName,
            "The shop name is too long; please keep it under 80 letters.",
        );
    }

    let password = a.chef_password.expose();
    if password.is_empty() {
        fail(
            Field::ChefPassword,
            "Please choose a chef password of at least 8 characters.",
        );
    } else if password.chars().count() < MIN_PASSWORD_CHARS {
        fail(
            Field::ChefPassword,
            "The chef password needs at least 8 characters.",
        );
    } else if password.trim().eq_ignore_ascii_case(a.chef_username.trim()) {
        fail(
            Field::ChefPassword,
            "The chef password must not be the same as the username.",
        );
    }

    let key = a.openai_api_key.expose().trim();
    if key.is_empty() {
        fail(
            Field::OpenAiApiKey,
            "Please paste your OpenAI API key (it starts with sk-).",
        );
    } else if key.chars().any(char::is_whitespace) {
        fail(
            Field::OpenAiApiKey,
            "The OpenAI key has a space in it; copy it again without spaces.",
        );
    } else if !key.starts_with("sk-") {
        fail(
            Field::OpenAiApiKey,
            "That does not look like an OpenAI API key: it should start with sk-.",
        );
    }

    let model = a.openai_model.trim();
    if model.is_empty() {
        fail(Field::OpenAiModel, "Please choose the OpenAI model to use.");
    }

    let sid = a.twilio_account_sid.trim();
    if sid.is_empty() {
        fail(
            Field::TwilioAccountSid,
            "Please enter your Twilio Account SID (from the Twilio console).",
        );
    } else if !(sid.len() == 34 && sid.starts_with("AC") && is_hex(&sid[2..])) {
        fail(
            Field::TwilioAccountSid,
            "The Twilio Account SID is AC followed by 32 letters and digits (0-9, a-f); \
             copy it again from the Twilio console.",
        );
    }

    let token = a.twilio_auth_token.expose().trim();
    if token.is_empty() {
        fail(
            Field::TwilioAuthToken,
            "Please enter your Twilio auth token (from the Twilio console).",
        );
    } else if !(token.len() == 32 && is_hex(token)) {
        fail(
            Field::TwilioAuthToken,
            "The Twilio auth token is 32 letters and digits (0-9, a-f); \
             copy it again from the Twilio console.",
        );
    }

    let twilio_number = phone(
        &a.twilio_number,
        Field::TwilioNumber,
        "your Twilio number",
        &mut fail,
    );
    let fallback_phone = phone(
        &a.fallback_phone,
        Field::FallbackPhone,
        "the shop's own phone number",
        &mut fail,
    );

    let ngrok = a.ngrok_authtoken.expose().trim();
    if ngrok.is_empty() {
        fail(
            Field::NgrokAuthtoken,
            "Please paste your ngrok authtoken (from the ngrok dashboard).",
        );
    } else if ngrok.chars().any(char::is_whitespace) {
        fail(
            Field::NgrokAuthtoken,
            "The ngrok authtoken has a space in it; copy it again without spaces.",
        );
    }

    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ValidSetup {
        shop_name: shop_name.to_string(),
        chef_password: a.chef_password.clone(),
        openai_api_key: Secret::new(key),
        openai_model: model.to_string(),
        twilio_account_sid: sid.to_string(),
        twilio_auth_token: Secret::new(token),
        twilio_number: twilio_number.unwrap_or_default(),
        fallback_phone: fallback_phone.unwrap_or_default(),
        ngrok_authtoken: Secret::new(ngrok),
    })
}

fn is_hex(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The number in E.164, or a problem reported through `fail`.
fn phone(
    input: &str,
    field: Field,
    what: &str,
    fail: &mut impl FnMut(Field, &str),
) -> Option<String> {
    if input.trim().is_empty() {
        fail(field, &format!("Please enter {what}."));
        return None;
    }
    match PhoneNumber::parse(input) {
        Ok(PhoneNumber::E164(number)) => Some(number),
        Ok(PhoneNumber::Withheld) => {
            fail(
                field,
                &format!("Please enter {what} as a phone number, for example +923001234567."),
            );
            None
        }
        Err(e) => {
            fail(
                field,
                &format!(
                    "That is not a phone number we can dial: {}. Write it with the country code, \
                     for example +923001234567.",
                    e.why
                ),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SID: &str = "AC0123456789abcdef0123456789ABCDEF";
    const TOKEN: &str = "0123456789abcdef0123456789abcdef";

    fn good() -> WizardAnswers {
        WizardAnswers {
            shop_name: "  Melt 8 Pizza ".to_string(),
            chef_username: "chef".to_string(),
            chef_password: Secret::new("correct horse"),
            openai_api_key: Secret::new("sk-proj-abc123"),
            openai_model: "gpt-realtime".to_string(),
            twilio_account_sid: SID.to_string(),
            twilio_auth_token: Secret::new(TOKEN),
            twilio_number: "+1 (415) 555-0100".to_string(),
            fallback_phone: "0300-1234567".to_string(),
            ngrok_authtoken: Secret::new("2abcDEF_ghi"),
        }
    }

    fn fields(errors: &[FieldError]) -> Vec<Field> {
        errors.iter().map(|e| e.field).collect()
    }

    fn errors_of(a: &WizardAnswers) -> Vec<FieldError> {
        match validate(a) {
            Ok(_) => Vec::new(),
            Err(e) => e,
        }
    }

    #[test]
    fn good_answers_pass_and_are_cleaned_up() {
        let valid = match validate(&good()) {
            Ok(v) => v,
            Err(e) => panic!("good answers rejected: {e:?}"),
        };
        assert_eq!(valid.shop_name, "Melt 8 Pizza");
        assert_eq!(valid.twilio_number, "+14155550100");
        assert_eq!(valid.fallback_phone, "+923001234567");
        assert_eq!(valid.openai_api_key.expose(), "sk-proj-abc123");
    }

    #[test]
    fn empty_answers_report_every_field_at_once() {
        let errors = errors_of(&WizardAnswers::default());
        assert_eq!(
            fields(&errors),
            vec![
                Field::ShopName,
                Field::ChefPassword,
                Field::OpenAiApiKey,
                Field::OpenAiModel,
                Field::TwilioAccountSid,
                Field::TwilioAuthToken,
                Field::TwilioNumber,
                Field::FallbackPhone,
                Field::NgrokAuthtoken,
            ]
        );
        assert!(errors.iter().all(|e| e.message.starts_with("Please")));
    }

    #[test]
    fn password_needs_eight_characters_and_must_differ_from_the_username() {
        let mut a = good();
        a.chef_password = Secret::new("1234567");
        assert_eq!(
            errors_of(&a),
            vec![FieldError {
                field: Field::ChefPassword,
                message: "The chef password needs at least 8 characters.".to_string()
            }]
        );
        a.chef_password = Secret::new("12345678");
        assert!(errors_of(&a).is_empty());

        a.chef_username = "kitchen1".to_string();
        a.chef_password = Secret::new("Kitchen1");
        let errors = errors_of(&a);
        assert_eq!(fields(&errors), vec![Field::ChefPassword]);
        assert!(errors[0].message.contains("same as the username"));
    }

    #[test]
    fn openai_key_must_start_with_sk_and_have_no_spaces() {
        let mut a = good();
        a.openai_api_key = Secret::new("pk-abc");
        let errors = errors_of(&a);
        assert_eq!(fields(&errors), vec![Field::OpenAiApiKey]);
        assert!(errors[0].message.contains("start with sk-"));

        a.openai_api_key = Secret::new("sk-abc def");
        let errors = errors_of(&a);
        assert!(errors[0].message.contains("space"), "{errors:?}");

        // Leading/trailing blanks from copy-paste are forgiven.
        a.openai_api_key = Secret::new(" sk-abc\n");
        assert!(errors_of(&a).is_empty());
    }

    #[test]
    fn twilio_sid_and_token_must_have_their_exact_shapes() {
        let cases = [
            ("AC0123456789abcdef0123456789abcde", true),   // 31 hex
            ("AC0123456789abcdef0123456789abcdefa", true), // 33 hex
            ("AB0123456789abcdef0123456789abcdef", true),  // wrong prefix
            ("AC0123456789abcdef0123456789abcdeg", true),  // not hex
            (SID, false),
        ];
        for (sid, bad) in cases {
            let mut a = good();
            a.twilio_account_sid = sid.to_string();
            assert_eq!(
                fields(&errors_of(&a)) == vec![Field::TwilioAccountSid],
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
                fields(&errors_of(&a)) == vec![Field::TwilioAuthToken],
                bad,
                "{token}"
            );
        }
    }

    #[test]
    fn phone_numbers_must_be_dialable() {
        let mut a = good();
        a.twilio_number = "call me".to_string();
        a.fallback_phone = "anonymous".to_string();
        let errors = errors_of(&a);
        assert_eq!(
            fields(&errors),
            vec![Field::TwilioNumber, Field::FallbackPhone]
        );
        assert!(
            errors[0].message.contains("not a phone number"),
            "{errors:?}"
        );
        assert!(errors[1].message.contains("shop's own phone"), "{errors:?}");
    }

    #[test]
    fn ngrok_token_must_have_no_spaces() {
        let mut a = good();
        a.ngrok_authtoken = Secret::new("abc def");
        assert_eq!(fields(&errors_of(&a)), vec![Field::NgrokAuthtoken]);
    }

    #[test]
    fn messages_never_repeat_a_secret() {
        let mut a = good();
        a.openai_api_key = Secret::new("sk-leak me");
        a.twilio_auth_token = Secret::new("leakleakleak");
        a.ngrok_authtoken = Secret::new("leak token");
        a.chef_password = Secret::new("leak");
        let errors = errors_of(&a);
        assert_eq!(errors.len(), 4);
        assert!(
            errors.iter().all(|e| !e.message.contains("leak")),
            "{errors:?}"
        );
        assert!(!format!("{a:?}").contains("leak"));
    }
}
