//! The values a shop's settings hold, as types that cannot hold a bad value: each has one
//! `parse` with one rule and one [`FieldError`] code, used by the wizard, the settings API
//! and the environment loader alike.

use crate::phone::PhoneNumber;
use crate::secret::Secret;
use crate::validation::FieldError;
use std::fmt;

/// A problem with a value, before it is known which field it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The stable code (see [`FieldError::code`]).
    pub code: &'static str,
    /// The code's parameters.
    pub params: Vec<(&'static str, String)>,
    /// The problem in English, naming what to do.
    pub message: String,
}

impl Problem {
    pub(crate) fn new(code: &'static str, message: impl Into<String>) -> Self {
        Problem {
            code,
            params: Vec::new(),
            message: message.into(),
        }
    }

    pub(crate) fn with(mut self, name: &'static str, value: impl ToString) -> Self {
        self.params.push((name, value.to_string()));
        self
    }

    /// The problem as an error of `field`.
    pub fn at(self, field: &str) -> FieldError {
        let mut e = FieldError::coded(field, self.code, self.message);
        for (name, value) in self.params {
            e = e.with(name, value);
        }
        e
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Nothing was given where an answer is needed.
pub fn required(message: impl Into<String>) -> Problem {
    Problem::new("required", message)
}

macro_rules! text_newtype {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            /// The checked text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// A value known to be good (this crate's defaults; not every type has one).
            #[allow(dead_code)]
            pub(crate) fn trusted(s: &str) -> Self {
                $name(s.to_string())
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&self.0, f)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

fn char_limit(v: &str, max: usize, what: &str) -> Result<(), Problem> {
    if v.chars().count() > max {
        Err(Problem::new(
            "too_long",
            format!("{what} is too long; please keep it under {max} characters."),
        )
        .with("max", max))
    } else {
        Ok(())
    }
}

text_newtype!(
    /// The shop's name, said in the AI's greeting: 1 to 80 characters, trimmed.
    ShopName
);

impl ShopName {
    /// The longest name accepted.
    pub const MAX_CHARS: usize = 80;

    /// Checks a name as the owner typed it.
    pub fn parse(s: &str) -> Result<ShopName, Problem> {
        let s = s.trim();
        if s.is_empty() {
            return Err(required("Please enter your shop's name."));
        }
        char_limit(s, Self::MAX_CHARS, "The shop name")?;
        Ok(ShopName(s.to_string()))
    }
}

text_newtype!(
    /// The AI's first words instead of the default greeting: 1 to 300 characters.
    Greeting
);

impl Greeting {
    /// The longest greeting accepted.
    pub const MAX_CHARS: usize = 300;

    /// Checks a greeting (an empty one is "no greeting": handled by the caller).
    pub fn parse(s: &str) -> Result<Greeting, Problem> {
        let s = s.trim();
        if s.is_empty() {
            return Err(required("Please write the greeting, or clear it."));
        }
        char_limit(s, Self::MAX_CHARS, "The greeting")?;
        Ok(Greeting(s.to_string()))
    }
}

/// A number of minutes within the range its setting allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Minutes(u32);

impl Minutes {
    /// Checks `n` against `min..=max`.
    pub fn parse(n: u32, min: u32, max: u32) -> Result<Minutes, Problem> {
        if (min..=max).contains(&n) {
            Ok(Minutes(n))
        } else {
            Err(Problem::new(
                "out_of_range",
                format!("{n} is out of range; use a number from {min} to {max}."),
            )
            .with("min", min)
            .with("max", max))
        }
    }

    /// A value known to be good (defaults).
    pub const fn new_unchecked(n: u32) -> Minutes {
        Minutes(n)
    }

    /// The number of minutes.
    pub fn get(self) -> u32 {
        self.0
    }
}

/// A number of items within the range its setting allows (catering size).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ItemCount(u32);

impl ItemCount {
    /// Checks `n` against `min..=max`, with the same problem as [`Minutes::parse`].
    pub fn parse(n: u32, min: u32, max: u32) -> Result<ItemCount, Problem> {
        Minutes::parse(n, min, max).map(|m| ItemCount(m.get()))
    }

    /// The number of items.
    pub fn get(self) -> u32 {
        self.0
    }
}

text_newtype!(
    /// A phone number we can dial, in E.164 (`+923001234567`).
    E164
);

impl E164 {
    /// Checks a number as people write it (Pakistani local forms accepted); `what` names it
    /// in the message ("the shop's own phone number").
    pub fn parse(s: &str, what: &str) -> Result<E164, Problem> {
        match PhoneNumber::parse(s) {
            Ok(PhoneNumber::E164(n)) => Ok(E164(n)),
            Ok(PhoneNumber::Withheld) => Err(Problem::new(
                "phone_withheld",
                format!("Please enter {what} as a phone number, for example +923001234567."),
            )),
            Err(e) => Err(Problem::new(
                "phone_invalid",
                format!(
                    "That is not a phone number we can dial: {}. Write it with the country \
                     code, for example +923001234567.",
                    e.why
                ),
            )
            .with("reason", e.why)),
        }
    }
}

fn is_hex(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit())
}

text_newtype!(
    /// A Twilio Account SID: `AC` and 32 hex digits.
    AccountSid
);

impl AccountSid {
    /// Checks a pasted SID.
    pub fn parse(s: &str) -> Result<AccountSid, Problem> {
        let s = s.trim();
        if s.len() == 34 && s.starts_with("AC") && is_hex(&s[2..]) {
            Ok(AccountSid(s.to_string()))
        } else {
            Err(Problem::new(
                "twilio_sid_format",
                "The Twilio Account SID is AC followed by 32 letters and digits (0-9, a-f); \
                 copy it again from the Twilio console.",
            ))
        }
    }
}

text_newtype!(
    /// An OpenAI model name: letters, digits, `.`, `-`, `_`, at most 100.
    ModelName
);

impl ModelName {
    /// Checks a model name.
    pub fn parse(s: &str) -> Result<ModelName, Problem> {
        let s = s.trim();
        if !s.is_empty()
            && s.len() <= 100
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        {
            Ok(ModelName(s.to_string()))
        } else {
            Err(Problem::new(
                "model_format",
                "That is not an OpenAI model name; choose one from the list, \
                 for example gpt-realtime-2.1.",
            ))
        }
    }
}

text_newtype!(
    /// A reserved ngrok domain such as `melt8-gulberg.ngrok.app`, lower case.
    NgrokDomain
);

impl NgrokDomain {
    /// Checks a domain (a pasted `https://` and a trailing `/` are dropped).
    pub fn parse(s: &str) -> Result<NgrokDomain, Problem> {
        let d = s.trim();
        let d = d
            .strip_prefix("https://")
            .or_else(|| d.strip_prefix("http://"))
            .unwrap_or(d)
            .trim_end_matches('/')
            .to_ascii_lowercase();
        let labels_ok = d.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
        if d.len() <= 253 && d.contains('.') && labels_ok {
            Ok(NgrokDomain(d))
        } else {
            Err(Problem::new(
                "ngrok_domain_format",
                "That is not a domain: write it like melt8-gulberg.ngrok.app \
                 (from the ngrok dashboard's Domains page).",
            ))
        }
    }
}

/// Which secret a value is: each has its own rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SecretKind {
    /// The OpenAI API key: `sk-…`.
    OpenAiApiKey,
    /// The Twilio auth token: 32 hex digits.
    TwilioAuthToken,
    /// The ngrok agent authtoken.
    NgrokAuthtoken,
    /// The secret that signs OpenAI's webhooks: `whsec_…` (base64).
    OpenAiWebhookSecret,
}

impl SecretKind {
    /// Every secret a shop has.
    pub const ALL: [SecretKind; 4] = [
        SecretKind::OpenAiApiKey,
        SecretKind::TwilioAuthToken,
        SecretKind::NgrokAuthtoken,
        SecretKind::OpenAiWebhookSecret,
    ];

    /// Its name in the API, the environment's lower-cased variable and the secret store.
    pub fn name(self) -> &'static str {
        match self {
            SecretKind::OpenAiApiKey => "openai_api_key",
            SecretKind::TwilioAuthToken => "twilio_auth_token",
            SecretKind::NgrokAuthtoken => "ngrok_authtoken",
            SecretKind::OpenAiWebhookSecret => "openai_webhook_secret",
        }
    }

    /// Checks a pasted secret (an empty one is "no secret": handled by the caller). Messages
    /// never quote the value.
    pub fn parse(self, s: &str) -> Result<Secret, Problem> {
        let s = s.trim();
        let what = match self {
            SecretKind::OpenAiApiKey => "The OpenAI key",
            SecretKind::TwilioAuthToken => "The Twilio auth token",
            SecretKind::NgrokAuthtoken => "The ngrok authtoken",
            SecretKind::OpenAiWebhookSecret => "The OpenAI webhook secret",
        };
        if s.is_empty() {
            return Err(required(format!("{what} is missing; paste it in.")));
        }
        if s.chars().any(char::is_whitespace) {
            return Err(Problem::new(
                "has_spaces",
                format!("{what} has a space in it; copy it again without spaces."),
            ));
        }
        match self {
            SecretKind::OpenAiApiKey if !s.starts_with("sk-") || s.len() > 400 => {
                Err(Problem::new(
                    "openai_key_format",
                    "That does not look like an OpenAI API key: it should start with sk-.",
                ))
            }
            SecretKind::TwilioAuthToken if s.len() != 32 || !is_hex(s) => Err(Problem::new(
                "twilio_token_format",
                "The Twilio auth token is 32 letters and digits (0-9, a-f); \
                 copy it again from the Twilio console.",
            )),
            SecretKind::NgrokAuthtoken if s.len() > 400 => Err(Problem::new(
                "ngrok_token_format",
                "That is too long for an ngrok authtoken; copy it again from the ngrok \
                 dashboard.",
            )),
            SecretKind::OpenAiWebhookSecret if !is_webhook_secret(s) => Err(Problem::new(
                "webhook_secret_format",
                "That does not look like an OpenAI webhook secret: it starts with whsec_ \
                 (OpenAI dashboard → Settings → Webhooks, shown once when the webhook is made).",
            )),
            _ => Ok(Secret::new(s)),
        }
    }
}

/// `whsec_` then standard base64 of at least 16 bytes (Standard Webhooks' secret form).
fn is_webhook_secret(s: &str) -> bool {
    use base64::Engine as _;
    s.len() <= 200
        && s.strip_prefix("whsec_").is_some_and(|b| {
            base64::engine::general_purpose::STANDARD
                .decode(b)
                .is_ok_and(|key| key.len() >= 16)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_value_names_its_problem_with_a_stable_code() {
        assert_eq!(ShopName::parse("  ").unwrap_err().code, "required");
        let long = ShopName::parse(&"x".repeat(81)).unwrap_err();
        assert_eq!(
            (long.code, long.params.clone()),
            ("too_long", vec![("max", "80".into())])
        );
        assert_eq!(Minutes::parse(0, 5, 180).unwrap_err().code, "out_of_range");
        assert_eq!(
            E164::parse("call me", "x").unwrap_err().code,
            "phone_invalid"
        );
        assert_eq!(
            E164::parse("anonymous", "x").unwrap_err().code,
            "phone_withheld"
        );
        assert_eq!(
            AccountSid::parse("AC123").unwrap_err().code,
            "twilio_sid_format"
        );
        assert_eq!(
            ModelName::parse("gpt realtime").unwrap_err().code,
            "model_format"
        );
        assert_eq!(
            NgrokDomain::parse("no_dots").unwrap_err().code,
            "ngrok_domain_format"
        );
        let k = SecretKind::OpenAiApiKey;
        assert_eq!(k.parse("sk with spaces").unwrap_err().code, "has_spaces");
        assert_eq!(k.parse("pk-123").unwrap_err().code, "openai_key_format");
        let t = SecretKind::TwilioAuthToken;
        assert_eq!(t.parse("abc").unwrap_err().code, "twilio_token_format");
        let w = SecretKind::OpenAiWebhookSecret;
        for bad in ["sk-123", "whsec_", "whsec_!!notbase64", "whsec_c2hvcnQ="] {
            assert_eq!(
                w.parse(bad).unwrap_err().code,
                "webhook_secret_format",
                "{bad}"
            );
        }
        assert!(w.parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").is_ok());
        let n = SecretKind::NgrokAuthtoken;
        assert_eq!(
            n.parse(&"a".repeat(401)).unwrap_err().code,
            "ngrok_token_format"
        );
    }

    #[test]
    fn good_values_are_normalised() {
        assert_eq!(ShopName::parse(" Melt 8 ").unwrap().as_str(), "Melt 8");
        assert_eq!(
            E164::parse("0300 1234567", "x").unwrap().as_str(),
            "+923001234567"
        );
        assert_eq!(
            NgrokDomain::parse("https://Melt8-Gulberg.ngrok.app/")
                .unwrap()
                .as_str(),
            "melt8-gulberg.ngrok.app"
        );
        assert_eq!(Minutes::parse(45, 5, 180).unwrap().get(), 45);
        let token = "0123456789abcdef0123456789ABCDEF";
        assert_eq!(
            SecretKind::TwilioAuthToken.parse(token).unwrap().expose(),
            token
        );
        assert_eq!(
            SecretKind::OpenAiApiKey.parse(" sk-1 ").unwrap().expose(),
            "sk-1"
        );
    }

    #[test]
    fn a_secrets_problem_never_quotes_it() {
        for kind in SecretKind::ALL {
            for bad in ["sk bad value", "tok\ten", "zzzz"] {
                if let Err(p) = kind.parse(bad) {
                    assert!(!p.message.contains(bad), "{kind:?}: {}", p.message);
                }
            }
        }
    }
}
