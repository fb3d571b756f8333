//! Phone numbers as the kitchen needs them: the number to call the customer back on, in
//! E.164, with Pakistani local forms understood — or the fact that the caller withheld it.

use serde::{Serialize, Serializer};
use std::fmt;

/// A caller's number: a callable E.164 number, or withheld.
///
/// Parsing never strips a country code: `+1 415 …` stays American, `+92 300 …` Pakistani.
/// Pakistani local forms gain `+92` (`0300-1234567` → `+923001234567`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PhoneNumber {
    /// A number in E.164 form: `+` then 8 to 15 digits, the first not `0`.
    E164(String),
    /// The caller withheld their number (Twilio sends `anonymous`, an empty `From`, or one of
    /// its pseudo-numbers for restricted callers).
    Withheld,
}

/// What Twilio and carriers put in `From` when the number is hidden.
const WITHHELD_WORDS: &[&str] = &[
    "",
    "anonymous",
    "restricted",
    "private",
    "unknown",
    "unavailable",
    "blocked",
    "withheld",
];

/// Twilio's documented pseudo-numbers for hidden caller ids
/// (ANONYMOUS, RESTRICTED, UNAVAILABLE, BLOCKED spelled on a keypad).
const WITHHELD_PSEUDO_NUMBERS: &[&str] = &["+266696687", "+7378742833", "+8656696", "+2562533"];

/// Why a text is not a phone number we could call back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{input}` is not a phone number we can call back ({why}); write it as 03001234567 or +923001234567"
)]
pub struct PhoneError {
    /// The text as given (trimmed, at most 40 characters).
    pub input: String,
    /// What was wrong with it.
    pub why: &'static str,
}

impl PhoneNumber {
    /// Parses a number as a caller or a member of staff would write it.
    ///
    /// Accepted: E.164 (`+923001234567`, spaces, dashes, dots and brackets ignored), the
    /// international prefix `00`, Pakistani national forms with the trunk `0`
    /// (`03001234567`, `042-35712345`), `92…` without the plus, a bare 10-digit Pakistani
    /// mobile (`3001234567`), and the withheld markers Twilio uses.
    pub fn parse(input: &str) -> Result<PhoneNumber, PhoneError> {
        let trimmed = input.trim();
        let lower = trimmed.to_ascii_lowercase();
        if WITHHELD_WORDS.contains(&lower.as_str())
            || WITHHELD_PSEUDO_NUMBERS.contains(&trimmed)
            || lower.starts_with("client:")
            || lower.starts_with("sip:")
        {
            // A softphone or SIP caller has no number to call back either.
            return Ok(PhoneNumber::Withheld);
        }
        let err = |why| PhoneError {
            input: trimmed.chars().take(40).collect(),
            why,
        };

        let mut plus = false;
        let mut digits = String::with_capacity(16);
        for (i, ch) in trimmed.chars().enumerate() {
            match ch {
                '+' if i == 0 => plus = true,
                '0'..='9' => digits.push(ch),
                ' ' | '-' | '.' | '(' | ')' | '\u{a0}' => {}
                _ => return Err(err("it contains characters other than digits")),
            }
        }
        if !plus && let Some(rest) = digits.strip_prefix("00") {
            digits = rest.to_string();
            plus = true;
        }

        let e164_digits = if plus {
            // `+92 0300 …`: people often keep the trunk zero after the country code.
            match digits.strip_prefix("920") {
                Some(rest) if rest.len() >= 9 => format!("92{rest}"),
                _ => digits,
            }
        } else if let Some(national) = digits.strip_prefix('0') {
            if !(9..=10).contains(&national.len()) {
                return Err(err(
                    "a Pakistani number has 10 or 11 digits with the leading 0",
                ));
            }
            format!("92{national}")
        } else if digits.len() == 12 && digits.starts_with("923") {
            digits
        } else if digits.len() == 10 && digits.starts_with('3') {
            format!("92{digits}")
        } else {
            return Err(err("it has no country code and is not a Pakistani number"));
        };

        if !(8..=15).contains(&e164_digits.len()) {
            return Err(err("an international number has 8 to 15 digits"));
        }
        if e164_digits.starts_with('0') {
            return Err(err("a country code cannot start with 0"));
        }
        if let Some(national) = e164_digits.strip_prefix("92") {
            let mobile = national.starts_with('3');
            if (mobile && national.len() != 10) || !(9..=10).contains(&national.len()) {
                return Err(err("a Pakistani number has 9 or 10 digits after +92"));
            }
        }
        Ok(PhoneNumber::E164(format!("+{e164_digits}")))
    }

    /// The E.164 text, or `None` when the number was withheld.
    pub fn e164(&self) -> Option<&str> {
        match self {
            PhoneNumber::E164(s) => Some(s),
            PhoneNumber::Withheld => None,
        }
    }

    /// True when the caller hid their number.
    pub fn is_withheld(&self) -> bool {
        matches!(self, PhoneNumber::Withheld)
    }
}

/// `+923001234567`, or `withheld`.
impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PhoneNumber::E164(s) => f.write_str(s),
            PhoneNumber::Withheld => f.write_str("withheld"),
        }
    }
}

impl Serialize for PhoneNumber {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e164(s: &str) -> String {
        PhoneNumber::parse(s).unwrap().e164().unwrap().to_string()
    }

    #[test]
    fn pakistani_local_forms_normalise_to_e164() {
        for input in [
            "03001234567",
            "0300-1234567",
            "+92 300 1234567",
            "+92-300-1234567",
            "0092 300 1234567",
            "923001234567",
            "3001234567",
            "+92 (0300) 1234567",
            " 0300 1234567 ",
        ] {
            assert_eq!(e164(input), "+923001234567", "{input}");
        }
    }

    #[test]
    fn pakistani_landlines_keep_their_area_code() {
        assert_eq!(e164("042-35712345"), "+924235712345");
        assert_eq!(e164("051 1234567"), "+92511234567");
    }

    #[test]
    fn foreign_numbers_keep_their_country_code() {
        // A US-only parser would strip the leading 1; we never do.
        assert_eq!(e164("+1 415 555 2671"), "+14155552671");
        assert_eq!(e164("+44 20 7946 0958"), "+442079460958");
        assert_eq!(e164("+971 50 123 4567"), "+971501234567");
    }

    #[test]
    fn withheld_callers_are_allowed_and_marked() {
        for input in [
            "anonymous",
            "Anonymous",
            "",
            "  ",
            "restricted",
            "+266696687",
            "client:alice",
        ] {
            let p = PhoneNumber::parse(input).unwrap();
            assert!(p.is_withheld(), "{input:?}");
            assert_eq!(p.e164(), None);
            assert_eq!(p.to_string(), "withheld");
        }
    }

    #[test]
    fn garbage_is_an_error_that_says_how_to_write_a_number() {
        for input in [
            "hello",
            "12345",
            "0300123",
            "+92 300 12345678",
            "+0123456789",
            "03001234567x",
        ] {
            let err = PhoneNumber::parse(input).unwrap_err();
            let msg = err.to_string();
            assert!(msg.contains("03001234567"), "{input}: {msg}");
        }
    }

    #[test]
    fn error_echo_is_bounded() {
        let long = "9".repeat(200);
        let err = PhoneNumber::parse(&long).unwrap_err();
        assert!(err.input.len() <= 40);
    }

    #[test]
    fn serialises_as_its_display_text() {
        let p = PhoneNumber::parse("03001234567").unwrap();
        assert_eq!(serde_json::to_string(&p).unwrap(), "\"+923001234567\"");
    }
}
