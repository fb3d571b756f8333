//! Staff authentication: one chef account, a password stored only as an argon2 hash,
//! sessions by cookie for the dashboard, HTTP Basic for scripts, and a per-address limit
//! on failed logins.

use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use kitchen_domain::Secret;
use kitchen_store::{Store, StoreError, keys};
use rand::Rng;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};
use subtle::ConstantTimeEq;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "melt8_session";
/// How long a dashboard stays logged in.
pub const SESSION_LIFETIME: chrono::Duration = chrono::Duration::days(30);
/// Failed logins allowed per address per window.
pub const MAX_FAILURES: usize = 5;
/// The window for [`MAX_FAILURES`].
pub const FAILURE_WINDOW: Duration = Duration::from_secs(60);

/// A logged-in member of staff (put in request extensions by the auth middleware).
#[derive(Debug, Clone)]
pub struct Staff {
    /// Their username, recorded in order history.
    pub username: String,
}

/// How the password was set up at start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordSetup {
    /// From `CHEF_PASSWORD` (stored as a hash when new or changed).
    Configured,
    /// The hash stored at an earlier start.
    Stored,
    /// None existed: this one was generated and must be shown to the owner once.
    Generated(Secret),
}

/// Makes sure a password hash exists, following the configuration.
pub async fn ensure_password(
    store: &Store,
    configured: Option<&Secret>,
) -> Result<(String, PasswordSetup), StoreError> {
    let stored = store.setting(keys::CHEF_PASSWORD_HASH).await?;
    match (configured, stored) {
        (Some(pw), Some(hash)) if verify_blocking(pw.clone(), hash.clone()).await => {
            Ok((hash, PasswordSetup::Configured))
        }
        (Some(pw), had) => {
            let hash = hash_blocking(pw.clone()).await?;
            store
                .set_setting(keys::CHEF_PASSWORD_HASH, hash.clone())
                .await?;
            if had.is_some() {
                // The password changed: sessions opened with the old one end.
                store.delete_all_sessions().await?;
            }
            Ok((hash, PasswordSetup::Configured))
        }
        (None, Some(hash)) => Ok((hash, PasswordSetup::Stored)),
        (None, None) => {
            let pw = generate_password();
            let hash = set_password(store, &pw).await?;
            Ok((hash, PasswordSetup::Generated(pw)))
        }
    }
}

/// Stores a new password's hash and ends every session. Returns the hash.
pub async fn set_password(store: &Store, pw: &Secret) -> Result<String, StoreError> {
    let hash = hash_blocking(pw.clone()).await?;
    store
        .set_setting(keys::CHEF_PASSWORD_HASH, hash.clone())
        .await?;
    store.delete_all_sessions().await?;
    Ok(hash)
}

/// A strong password a person can type from a screen: four groups of five characters from
/// an alphabet without look-alikes (no 0/o, 1/l/i), about 98 bits.
pub fn generate_password() -> Secret {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rngs::OsRng;
    let groups: Vec<String> = (0..4)
        .map(|_| {
            (0..5)
                .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
                .collect()
        })
        .collect();
    Secret::new(groups.join("-"))
}

/// Argon2id with the crate's recommended parameters, as a PHC string.
pub fn hash_password(pw: &Secret) -> Result<String, StoreError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(pw.expose().as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Corrupt(format!("could not hash the password: {e}")))
}

/// Checks a password against a PHC hash (constant time inside argon2).
pub fn verify_password(pw: &Secret, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(pw.expose().as_bytes(), &h)
            .is_ok()
    })
}

async fn hash_blocking(pw: Secret) -> Result<String, StoreError> {
    tokio::task::spawn_blocking(move || hash_password(&pw))
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?
}

async fn verify_blocking(pw: Secret, hash: String) -> bool {
    tokio::task::spawn_blocking(move || verify_password(&pw, &hash))
        .await
        .unwrap_or(false)
}

/// The staff account and what is needed to check it.
#[derive(Debug)]
pub struct Credentials {
    username: String,
    hash: RwLock<String>,
    /// SHA-256 of (per-process salt, Basic header) of the last Basic credentials that
    /// verified, so scripts polling with Basic auth do not pay for argon2 every request.
    basic_cache: Mutex<Option<[u8; 32]>>,
    cache_salt: [u8; 16],
}

impl Credentials {
    /// The account `username` with the password hash `hash`.
    pub fn new(username: String, hash: String) -> Self {
        Credentials {
            username,
            hash: RwLock::new(hash),
            basic_cache: Mutex::new(None),
            cache_salt: rand::random(),
        }
    }

    /// The staff username.
    pub fn username(&self) -> &str {
        &self.username
    }

    /// Replaces the password hash (after a password change).
    pub fn set_hash(&self, hash: String) {
        if let Ok(mut h) = self.hash.write() {
            *h = hash;
        }
        if let Ok(mut c) = self.basic_cache.lock() {
            *c = None;
        }
    }

    /// Checks a username and password. Both are always checked, in constant time, so a
    /// wrong username takes as long as a wrong password.
    pub async fn check(&self, username: &str, password: Secret) -> bool {
        let user_ok: bool = username.as_bytes().ct_eq(self.username.as_bytes()).into();
        let hash = self.hash.read().map(|h| h.clone()).unwrap_or_default();
        let pw_ok = verify_blocking(password, hash).await;
        user_ok & pw_ok
    }

    /// Checks an `Authorization: Basic …` value.
    pub async fn check_basic(&self, header_value: &str) -> bool {
        let fingerprint = self.fingerprint(header_value);
        let cached = self.basic_cache.lock().ok().and_then(|c| *c);
        if let Some(c) = cached
            && bool::from(c.ct_eq(&fingerprint))
        {
            return true;
        }
        let Some((user, pass)) = decode_basic(header_value) else {
            return false;
        };
        let ok = self.check(&user, pass).await;
        if ok && let Ok(mut c) = self.basic_cache.lock() {
            *c = Some(fingerprint);
        }
        ok
    }

    fn fingerprint(&self, value: &str) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(self.cache_salt);
        h.update(value.as_bytes());
        h.finalize().into()
    }
}

/// Splits `Basic dXNlcjpwYXNz` into user and password.
pub fn decode_basic(value: &str) -> Option<(String, Secret)> {
    let (scheme, b64) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let raw = STANDARD.decode(b64.trim()).ok()?;
    let text = String::from_utf8(raw).ok()?;
    let (u, p) = text.split_once(':')?;
    Some((u.to_string(), Secret::new(p)))
}

/// A new random session token (what goes in the cookie) and the hash the store keeps.
pub fn new_session_token() -> (Secret, String) {
    let bytes: [u8; 32] = rand::random();
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    (Secret::new(token), hash)
}

/// What the store keeps of a session token.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The session token from a `Cookie` header.
pub fn session_from_cookies(cookie_header: &str) -> Option<&str> {
    cookie_header
        .split(';')
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == SESSION_COOKIE)
        .map(|(_, v)| v.trim_matches('"'))
        .filter(|v| !v.is_empty())
}

/// `Set-Cookie` value for a new session (HttpOnly, SameSite=Strict; no `Secure` because the
/// kitchen router is plain HTTP on this PC or the shop's LAN).
pub fn session_cookie(token: &Secret) -> String {
    format!(
        "{SESSION_COOKIE}={}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}",
        token.expose(),
        SESSION_LIFETIME.num_seconds()
    )
}

/// `Set-Cookie` value that removes the session cookie.
pub fn clear_cookie() -> String {
    format!("{SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0")
}

/// One-time sign-in links for the desktop app's own window. The shell runs the server in the
/// same process and mints a link at each launch, so the owner's window opens signed in
/// without typing the chef password (which is for the kitchen's tablets). A link works once,
/// within [`LoginLinks::LIFETIME`], and only from this PC; only its hash is kept.
#[derive(Debug, Default, Clone)]
pub struct LoginLinks {
    pending: Arc<Mutex<HashMap<String, Instant>>>,
}

impl LoginLinks {
    /// How long a minted link stays usable.
    pub const LIFETIME: Duration = Duration::from_secs(60);

    /// A new link token (for `GET /api/login-link?token=…`).
    pub fn mint(&self, now: Instant) -> Secret {
        let (token, hash) = new_session_token();
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        pending.retain(|_, expires| *expires > now);
        pending.insert(hash, now + Self::LIFETIME);
        token
    }

    /// Uses up `token`: true when it was minted here, not used before and not expired.
    pub fn redeem(&self, token: &str, now: Instant) -> bool {
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        pending
            .remove(&token_hash(token))
            .is_some_and(|expires| expires > now)
    }
}

/// Too many failed logins from one address: the next attempt is allowed in
/// `retry_after_s` seconds. (The kitchen API answers it as 429 `too_many_attempts`.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("too many failed logins from this address; wait {retry_after_s} seconds and try again")]
pub struct TooManyAttempts {
    /// Seconds until the next attempt is allowed.
    pub retry_after_s: u64,
}

/// Failed-login counter per client address: the sixth failure within a minute, and every
/// attempt after it until the window clears, gets 429.
#[derive(Debug, Default, Clone)]
pub struct LoginLimiter {
    failures: Arc<Mutex<HashMap<IpAddr, VecDeque<Instant>>>>,
}

/// Addresses tracked at most; beyond it the oldest entries are dropped.
const MAX_TRACKED: usize = 10_000;

impl LoginLimiter {
    /// `Err` with the seconds to wait when `ip` is over the limit at `now`.
    pub fn check(&self, ip: IpAddr, now: Instant) -> Result<(), TooManyAttempts> {
        let Ok(mut map) = self.failures.lock() else {
            return Ok(());
        };
        let Some(q) = map.get_mut(&ip) else {
            return Ok(());
        };
        while q
            .front()
            .is_some_and(|t| now.duration_since(*t) >= FAILURE_WINDOW)
        {
            q.pop_front();
        }
        if q.len() >= MAX_FAILURES {
            let oldest = q.front().copied().unwrap_or(now);
            let wait = FAILURE_WINDOW.saturating_sub(now.duration_since(oldest));
            return Err(TooManyAttempts {
                retry_after_s: wait.as_secs().max(1),
            });
        }
        Ok(())
    }

    /// Records a failed attempt from `ip` at `now`.
    pub fn record_failure(&self, ip: IpAddr, now: Instant) {
        let Ok(mut map) = self.failures.lock() else {
            return;
        };
        if map.len() >= MAX_TRACKED && !map.contains_key(&ip) {
            map.retain(|_, q| {
                q.back()
                    .is_some_and(|t| now.duration_since(*t) < FAILURE_WINDOW)
            });
            if map.len() >= MAX_TRACKED {
                return;
            }
        }
        let q = map.entry(ip).or_default();
        q.push_back(now);
        while q.len() > MAX_FAILURES {
            q.pop_front();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_never_contain_the_password() {
        let pw = Secret::new("correct horse");
        let hash = hash_password(&pw).unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(!hash.contains("correct horse"));
        assert!(verify_password(&pw, &hash));
        assert!(!verify_password(&Secret::new("wrong"), &hash));
        assert!(!verify_password(&pw, "not a hash"));
    }

    #[test]
    fn generated_passwords_are_long_random_and_unambiguous() {
        let a = generate_password();
        let b = generate_password();
        assert_ne!(a, b);
        assert_eq!(a.expose().len(), 23);
        assert!(
            a.expose()
                .chars()
                .all(|c| c == '-' || (c.is_ascii_alphanumeric() && !"01ilo".contains(c)))
        );
    }

    #[tokio::test]
    async fn credentials_check_both_username_and_password() {
        let creds = Credentials::new("chef".into(), hash_password(&Secret::new("pw")).unwrap());
        assert!(creds.check("chef", Secret::new("pw")).await);
        assert!(!creds.check("Chef", Secret::new("pw")).await);
        assert!(!creds.check("chef", Secret::new("PW")).await);
        let good = format!("Basic {}", STANDARD.encode("chef:pw"));
        assert!(creds.check_basic(&good).await);
        assert!(creds.check_basic(&good).await, "second time from the cache");
        assert!(
            !creds
                .check_basic(&format!("Basic {}", STANDARD.encode("chef:px")))
                .await
        );
        creds.set_hash(hash_password(&Secret::new("new")).unwrap());
        assert!(
            !creds.check_basic(&good).await,
            "the cache is cleared when the password changes"
        );
    }

    #[test]
    fn basic_and_cookie_parsing() {
        let (u, p) = decode_basic(&format!("basic {}", STANDARD.encode("chef:a:b"))).unwrap();
        assert_eq!((u.as_str(), p.expose()), ("chef", "a:b"));
        assert!(decode_basic("Bearer x").is_none());
        assert!(decode_basic("Basic !!!").is_none());
        assert_eq!(
            session_from_cookies("a=1; melt8_session=tok; b=2"),
            Some("tok")
        );
        assert_eq!(session_from_cookies("melt8_session="), None);
        assert_eq!(session_from_cookies("other=1"), None);
    }

    #[test]
    fn a_login_link_works_once_and_only_before_it_expires() {
        let links = LoginLinks::default();
        let t0 = Instant::now();
        let a = links.mint(t0);
        let b = links.mint(t0);
        assert_ne!(a.expose(), b.expose());
        assert!(!links.redeem("not-a-link", t0));
        assert!(links.redeem(a.expose(), t0 + Duration::from_secs(1)));
        assert!(
            !links.redeem(a.expose(), t0 + Duration::from_secs(2)),
            "used twice"
        );
        assert!(
            !links.redeem(b.expose(), t0 + LoginLinks::LIFETIME),
            "expired links do not work"
        );
    }

    #[test]
    fn sixth_failure_in_a_minute_is_limited_then_the_window_clears() {
        let limiter = LoginLimiter::default();
        let ip: IpAddr = "10.0.0.7".parse().unwrap();
        let other: IpAddr = "10.0.0.8".parse().unwrap();
        let t0 = Instant::now();
        for i in 0..5 {
            assert!(
                limiter.check(ip, t0 + Duration::from_secs(i)).is_ok(),
                "attempt {}",
                i + 1
            );
            limiter.record_failure(ip, t0 + Duration::from_secs(i));
        }
        let err = limiter.check(ip, t0 + Duration::from_secs(10)).unwrap_err();
        assert_eq!(err, TooManyAttempts { retry_after_s: 50 });
        assert!(
            limiter.check(other, t0 + Duration::from_secs(10)).is_ok(),
            "per address"
        );
        assert!(
            limiter.check(ip, t0 + Duration::from_secs(61)).is_ok(),
            "window passed"
        );
    }
}
