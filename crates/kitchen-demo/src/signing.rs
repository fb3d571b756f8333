//! Twilio's request signature (`X-Twilio-Signature`), written from the published algorithm
//! so the fakes never borrow the server's implementation (a shared bug would hide itself).
//!
//! 1. Start from the full public URL Twilio requested.
//! 2. For a form POST append, for every parameter name in byte order, each of its values
//!    (sorted, de-duplicated) as `name + value`, no separators.
//! 3. `base64(HMAC-SHA1(key = auth token, msg = that string))`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use std::collections::{BTreeMap, BTreeSet};

type HmacSha1 = Hmac<Sha1>;

/// The string Twilio signs: `url` followed by every `name + value`, names in byte order,
/// each name's values sorted and de-duplicated.
pub fn signed_string(url: &str, params: &[(String, String)]) -> String {
    let mut by_name: BTreeMap<&[u8], BTreeSet<&[u8]>> = BTreeMap::new();
    for (name, value) in params {
        by_name
            .entry(name.as_bytes())
            .or_default()
            .insert(value.as_bytes());
    }
    let mut out = url.as_bytes().to_vec();
    for (name, values) in by_name {
        for value in values {
            out.extend_from_slice(name);
            out.extend_from_slice(value);
        }
    }
    // Built only from `&str` pieces, so it is valid UTF-8.
    String::from_utf8_lossy(&out).into_owned()
}

/// `X-Twilio-Signature` for a form POST of `params` to `url`.
pub fn twilio_signature(auth_token: &str, url: &str, params: &[(String, String)]) -> String {
    STANDARD.encode(hmac_sha1(auth_token, &signed_string(url, params)))
}

/// `X-Twilio-Signature` for a request without form parameters (a JSON body, whose hash is in
/// the query, or a WebSocket upgrade).
pub fn twilio_signature_url_only(auth_token: &str, url: &str) -> String {
    twilio_signature(auth_token, url, &[])
}

/// Whether `signature` is right for `url` and `params`, comparing in constant time and
/// accepting the URL with or without an explicit default port, as Twilio's SDK does.
pub fn signature_matches(
    auth_token: &str,
    url: &str,
    params: &[(String, String)],
    signature: &str,
) -> bool {
    let Ok(given) = STANDARD.decode(signature.trim()) else {
        return false;
    };
    url_port_variants(url).iter().any(|candidate| {
        let Ok(mut mac) = HmacSha1::new_from_slice(auth_token.as_bytes()) else {
            return false;
        };
        mac.update(signed_string(candidate, params).as_bytes());
        mac.verify_slice(&given).is_ok()
    })
}

/// `url` as given, plus the same URL with its default port added (or removed).
pub fn url_port_variants(url: &str) -> Vec<String> {
    let mut out = vec![url.to_string()];
    let Some((scheme, rest)) = url.split_once("://") else {
        return out;
    };
    let default_port = match scheme {
        "https" | "wss" => "443",
        "http" | "ws" => "80",
        _ => return out,
    };
    let split = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(split);
    let other = match authority.rsplit_once(':') {
        Some((host, port)) if port == default_port => format!("{scheme}://{host}{tail}"),
        Some(_) => return out,
        None => format!("{scheme}://{authority}:{default_port}{tail}"),
    };
    out.push(other);
    out
}

fn hmac_sha1(key: &str, message: &str) -> Vec<u8> {
    // HMAC accepts keys of any length, so this cannot fail.
    match HmacSha1::new_from_slice(key.as_bytes()) {
        Ok(mut mac) => {
            mac.update(message.as_bytes());
            mac.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn repeated_names_are_sorted_and_deduplicated() {
        let params = p(&[("b", "2"), ("a", "z"), ("a", "y"), ("a", "z")]);
        assert_eq!(signed_string("U", &params), "Uayazb2");
    }

    #[test]
    fn names_sort_by_bytes_not_case_insensitively() {
        let params = p(&[("a", "1"), ("B", "2")]);
        assert_eq!(signed_string("U", &params), "UB2a1");
    }

    #[test]
    fn port_variants_add_and_remove_the_default_port() {
        assert_eq!(
            url_port_variants("https://x.test/a?b=1"),
            ["https://x.test/a?b=1", "https://x.test:443/a?b=1"]
        );
        assert_eq!(
            url_port_variants("wss://x.test:443/m"),
            ["wss://x.test:443/m", "wss://x.test/m"]
        );
        assert_eq!(
            url_port_variants("https://x.test:8443/"),
            ["https://x.test:8443/"]
        );
    }

    #[test]
    fn a_tampered_signature_does_not_match() {
        let params = p(&[("From", "+923001234567")]);
        let sig = twilio_signature("tok", "https://x.test/i", &params);
        assert!(signature_matches("tok", "https://x.test/i", &params, &sig));
        assert!(!signature_matches(
            "tok2",
            "https://x.test/i",
            &params,
            &sig
        ));
        assert!(!signature_matches("tok", "https://x.test/j", &params, &sig));
        assert!(!signature_matches(
            "tok",
            "https://x.test/i",
            &params,
            "not base64!"
        ));
    }
}
