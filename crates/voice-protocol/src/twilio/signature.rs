//! `X-Twilio-Signature` checks, as Twilio's SDKs do them.
//!
//! The signed string is the full public URL Twilio requested, then for a form POST every
//! parameter name in byte order with each of its values (sorted, de-duplicated) appended as
//! `name + value`. The signature is `base64(HMAC-SHA1(auth token, that string))`, compared in
//! constant time. Like the SDKs we accept the URL with and without the scheme's default port
//! (`:443` for https/wss, `:80` for http/ws), since proxies add or drop it.
//!
//! JSON-body webhooks sign the URL only; the URL's `bodySHA256=<hex>` query parameter must
//! equal the SHA-256 of the body. The URL must be the public one Twilio called (rebuilt from
//! configuration behind a tunnel), never one derived from the local request alone.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

type HmacSha1 = Hmac<Sha1>;

/// The query parameter that carries a JSON body's SHA-256.
pub const BODY_SHA256_PARAM: &str = "bodySHA256";

/// The signature Twilio sends for a request to `url` with these form parameters
/// (`params` in any order, names and values repeated as received; empty for no body).
pub fn compute_signature(auth_token: &str, url: &str, params: &[(String, String)]) -> String {
    // Sorting (name, value) pairs byte-wise orders names, then each name's values; dedup
    // drops repeated pairs. Same order as sorted names × sorted distinct values.
    let mut pairs: Vec<(&str, &str)> = params
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    pairs.sort_unstable();
    pairs.dedup();

    // HMAC takes keys of any length, so this never fails; an empty result never validates.
    let Ok(mut mac) = HmacSha1::new_from_slice(auth_token.as_bytes()) else {
        return String::new();
    };
    mac.update(url.as_bytes());
    for (name, value) in pairs {
        mac.update(name.as_bytes());
        mac.update(value.as_bytes());
    }
    STANDARD.encode(mac.finalize().into_bytes())
}

/// True when `signature` is Twilio's for a form POST (or a GET, with no params) to `url`.
pub fn validate_form(
    auth_token: &str,
    url: &str,
    params: &[(String, String)],
    signature: &str,
) -> bool {
    if signature.is_empty() {
        return false;
    }
    let toggled = with_default_port_toggled(url);
    std::iter::once(url)
        .chain(toggled.as_deref())
        .any(|candidate| same(&compute_signature(auth_token, candidate, params), signature))
}

/// True when `signature` is Twilio's for a JSON-body request to `url` and `body` is the body
/// the URL's `bodySHA256` describes. A URL without `bodySHA256` never validates here.
pub fn validate_json_body(auth_token: &str, url: &str, body: &[u8], signature: &str) -> bool {
    let Some(expected) = query_param(url, BODY_SHA256_PARAM) else {
        return false;
    };
    let body_matches = same(&body_sha256_hex(body), &expected.to_ascii_lowercase());
    // Both checks always run: the time taken does not tell which one failed.
    let signature_matches = validate_form(auth_token, url, &[], signature);
    body_matches & signature_matches
}

/// Lower-case hex SHA-256 of a body, as Twilio puts it in `bodySHA256`.
pub fn body_sha256_hex(body: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(body);
    let mut out = String::with_capacity(64);
    for byte in digest {
        out.push(char::from(HEX[usize::from(byte >> 4)]));
        out.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    out
}

/// Constant-time string equality (length may leak; contents do not).
fn same(a: &str, b: &str) -> bool {
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

/// The first value of query parameter `name` (not percent-decoded: Twilio's hex needs none).
fn query_param<'u>(url: &'u str, name: &str) -> Option<&'u str> {
    let (_, after) = url.split_once('?')?;
    let query = after.split('#').next().unwrap_or_default();
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find_map(|(key, value)| (key == name).then_some(value))
}

/// `url` with the scheme's default port added when it has no port, or removed when it has
/// exactly that port; `None` for another port or a scheme without a known default.
fn with_default_port_toggled(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let default_port = match scheme.to_ascii_lowercase().as_str() {
        "https" | "wss" => "443",
        "http" | "ws" => "80",
        _ => return None,
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at_checked(authority_end)?;
    let host_start = authority.rfind('@').map_or(0, |at| at + 1);
    let (userinfo, host_port) = authority.split_at_checked(host_start)?;
    // In an IPv6 literal (`[::1]:443`) only a colon after the `]` starts the port.
    let search_from = host_port.rfind(']').unwrap_or(0);
    let port_colon = host_port
        .get(search_from..)?
        .rfind(':')
        .map(|i| search_from + i);
    match port_colon {
        Some(colon) => {
            let (host, port) = host_port.split_at_checked(colon)?;
            (port.strip_prefix(':')? == default_port)
                .then(|| format!("{scheme}://{userinfo}{host}{tail}"))
        }
        None => Some(format!(
            "{scheme}://{userinfo}{host_port}:{default_port}{tail}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected signatures below were computed independently with Python's hmac/hashlib from
    // the algorithm in the module header (and reproduce the SDK-made fixture vectors).
    const TOKEN: &str = "0123456789abcdef0123456789abcdef";

    fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn names_sort_bytewise_and_repeated_values_sort_and_dedup() {
        let shuffled = params(&[
            ("b", "2"),
            ("a", "z"),
            ("a", "y"),
            ("a", "y"),
            ("B", "1"),
            ("é", "1"),
            ("z", "1"),
        ]);
        assert_eq!(
            compute_signature("secret", "https://x.example/cb", &shuffled),
            "mzguUMOXv8wCg2b4hcxHYfAy6W8="
        );
    }

    #[test]
    fn the_default_port_is_added_or_removed_and_no_other() {
        let toggle = with_default_port_toggled;
        assert_eq!(
            toggle("https://h.example/p?q=1").as_deref(),
            Some("https://h.example:443/p?q=1")
        );
        assert_eq!(
            toggle("https://h.example:443/p").as_deref(),
            Some("https://h.example/p")
        );
        assert_eq!(
            toggle("http://h.example").as_deref(),
            Some("http://h.example:80")
        );
        assert_eq!(
            toggle("wss://h.example/m").as_deref(),
            Some("wss://h.example:443/m")
        );
        assert_eq!(
            toggle("HTTPS://u:p@h.example:443/").as_deref(),
            Some("HTTPS://u:p@h.example/")
        );
        assert_eq!(
            toggle("https://[::1]/x").as_deref(),
            Some("https://[::1]:443/x")
        );
        assert_eq!(
            toggle("https://[::1]:443/x").as_deref(),
            Some("https://[::1]/x")
        );
        assert_eq!(toggle("https://h.example:8443/p"), None);
        assert_eq!(toggle("https://h.example:80/p"), None);
        assert_eq!(toggle("ftp://h.example/p"), None);
        assert_eq!(toggle("not a url"), None);
    }

    #[test]
    fn a_url_signed_with_port_80_validates_without_it() {
        let p = params(&[("CallSid", "CA1")]);
        // Signed over `http://localhost:80/twilio/voice`.
        let sig = "1FHY/J9sVqjGGaVtJ5eVgbvnjMg=";
        assert!(validate_form(
            "tok",
            "http://localhost/twilio/voice",
            &p,
            sig
        ));
        assert!(validate_form(
            "tok",
            "http://localhost:80/twilio/voice",
            &p,
            sig
        ));
        assert!(!validate_form(
            "tok",
            "http://localhost:8080/twilio/voice",
            &p,
            sig
        ));
        assert!(!validate_form(
            "tok",
            "https://localhost/twilio/voice",
            &p,
            sig
        ));
    }

    #[test]
    fn the_media_stream_upgrade_url_is_signed_without_params() {
        let sig = "m6MDq8jY6PxzTHCLi7luNKO3L4Q=";
        assert!(validate_form(
            TOKEN,
            "wss://pizza.example.ngrok.app/media-stream",
            &[],
            sig
        ));
        assert!(!validate_form(
            TOKEN,
            "wss://pizza.example.ngrok.app/media-strea",
            &[],
            sig
        ));
    }

    #[test]
    fn an_empty_or_garbage_signature_never_validates() {
        for sig in ["", " ", "not base64", "0/KCTR6DLpKmkAf8muzZqo1nDgQ"] {
            assert!(!validate_form(
                "12345",
                "https://mycompany.com/myapp.php",
                &[],
                sig
            ));
        }
    }

    const JSON_BODY: &[u8] = br#"{"CallSid":"CA123","Status":"completed"}"#;
    const JSON_HEX: &str = "5d32534f33f1a2d4ced73fab1f48e7b50b670e1018d048bc8c6c6370af16aabd";
    const JSON_SIG: &str = "IjkrK9TX9OIhX7pnmfOIoH1bNM0=";

    fn json_url() -> String {
        format!("https://pizza.example.ngrok.app/twilio/status?bodySHA256={JSON_HEX}")
    }

    #[test]
    fn a_json_body_validates_by_url_signature_and_body_hash() {
        assert_eq!(body_sha256_hex(JSON_BODY), JSON_HEX);
        assert!(validate_json_body(TOKEN, &json_url(), JSON_BODY, JSON_SIG));
        let with_port = json_url().replace(".app/", ".app:443/");
        assert!(validate_json_body(TOKEN, &with_port, JSON_BODY, JSON_SIG));
    }

    #[test]
    fn a_json_body_that_does_not_match_its_hash_is_rejected() {
        let tampered = br#"{"CallSid":"CA123","Status":"canceled!"}"#;
        assert!(!validate_json_body(TOKEN, &json_url(), tampered, JSON_SIG));
        assert!(!validate_json_body(
            "wrong",
            &json_url(),
            JSON_BODY,
            JSON_SIG
        ));
        let no_hash = "https://pizza.example.ngrok.app/twilio/status";
        let sig = compute_signature(TOKEN, no_hash, &[]);
        assert!(!validate_json_body(TOKEN, no_hash, JSON_BODY, &sig));
    }

    #[test]
    fn query_params_are_found_by_exact_name() {
        assert_eq!(
            query_param("https://h/p?a=1&bodySHA256=ab#f", "bodySHA256"),
            Some("ab")
        );
        assert_eq!(
            query_param("https://h/p?xbodySHA256=ab", "bodySHA256"),
            None
        );
        assert_eq!(query_param("https://h/p", "bodySHA256"), None);
    }
}
