//! Random identifiers in the shapes the real services use (`CA` + 32 hex, `event_…`), for
//! the fakes here and in the test kit.

use rand::Rng;

/// `n` random lowercase hex digits.
pub fn hex(n: usize) -> String {
    let mut rng = rand::thread_rng();
    (0..n)
        .map(|_| char::from(b"0123456789abcdef"[rng.gen_range(0..16)]))
        .collect()
}

/// A Twilio SID: a two-letter prefix and 32 hex digits (34 characters).
pub fn twilio_sid(prefix: &str) -> String {
    format!("{prefix}{}", hex(32))
}

/// An OpenAI-style id: `prefix_` and 20 random characters.
pub fn openai_id(prefix: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::thread_rng();
    let tail: String = (0..20)
        .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
        .collect();
    format!("{prefix}_{tail}")
}
