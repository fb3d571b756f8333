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
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};
use subtle::ConstantTimeEq;
use tokio_util::sync::CancellationToken;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "melt8_session";
/// How long a dashboard stays logged in.
pub const SESSION_LIFETIME: chrono::Duration = chrono::Duration::days(30);
/// Failed logins allowed per address per window.
pub const MAX_FAILURES: usize = 5;
/// The window for [`MAX_FAILURES`].
pub const FAILURE_WINDOW: Duration = Duration::from_secs(60);
/// Password verifications run at once at most. Each argon2 verification takes about 19 MiB
/// and tens of milliseconds of a core; a burst of logins waits its turn instead of taking
/// the shop PC's memory and both its cores.
pub const MAX_CONCURRENT_VERIFICATIONS: usize = 2;

pub use kitchen_store::SessionRole as Role;

/// A logged-in member of staff (put in request extensions by the auth middleware).
#[derive(Debug, Clone)]
pub struct Staff {
    /// Their username, recorded in order history.
    pub username: String,
    /// What they may do.
    pub role: Role,
    /// The session the request came with; `None` for HTTP Basic.
    pub session: Option<SessionRef>,
}

/// Which session a request came with, and when it ends by itself.
#[derive(Debug, Clone)]
pub struct SessionRef {
    /// The stored hash of its token (the key of [`LiveSessions`]).
    pub token_hash: String,
    /// When it expires.
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

impl Staff {
    /// The key its live connections are registered under in [`LiveSessions`].
    pub fn live_key(&self) -> &str {
        self.session
            .as_ref()
            .map_or(LiveSessions::BASIC, |s| s.token_hash.as_str())
    }
}

/// The live connections (event streams) of each session, so that ending a session — logout,
/// a password change, a change of role — closes its open sockets at once instead of at
/// their next request. Keyed by the session's token hash; connections made with HTTP Basic
/// are under [`LiveSessions::BASIC`] and end with a password change.
#[derive(Debug, Default, Clone)]
pub struct LiveSessions {
    live: Arc<Mutex<HashMap<String, LiveEntry>>>,
    next_id: Arc<AtomicU64>,
}

/// One session's connections: the token that closes them, how many there are, and an id
/// telling this registration from a later one under the same key.
#[derive(Debug)]
struct LiveEntry {
    ended: CancellationToken,
    connections: usize,
    id: u64,
}

impl LiveSessions {
    /// The key of connections made with HTTP Basic credentials.
    pub const BASIC: &'static str = "basic";

    /// Registers a connection of session `key`; it should close when the returned watch's
    /// token is cancelled. The registration ends when the watch is dropped.
    pub fn watch(&self, key: &str) -> SessionWatch {
        let mut live = self.live.lock().unwrap_or_else(|e| e.into_inner());
        let entry = live.entry(key.to_string()).or_insert_with(|| LiveEntry {
            ended: CancellationToken::new(),
            connections: 0,
            id: self.next_id.fetch_add(1, Ordering::Relaxed),
        });
        entry.connections += 1;
        SessionWatch {
            key: key.to_string(),
            id: entry.id,
            ended: entry.ended.clone(),
            sessions: self.clone(),
        }
    }

    /// Ends session `key`: its open connections close.
    pub fn end(&self, key: &str) {
        let ended = self
            .live
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(key);
        if let Some(entry) = ended {
            entry.ended.cancel();
        }
    }

    /// Ends every session (the password changed).
    pub fn end_all(&self) {
        let all = std::mem::take(&mut *self.live.lock().unwrap_or_else(|e| e.into_inner()));
        for entry in all.into_values() {
            entry.ended.cancel();
        }
    }

    /// How many sessions have open connections.
    pub fn len(&self) -> usize {
        self.live.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// True when no session has an open connection.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One connection's registration in [`LiveSessions`].
#[derive(Debug)]
pub struct SessionWatch {
    key: String,
    id: u64,
    ended: CancellationToken,
    sessions: LiveSessions,
}

impl SessionWatch {
    /// Cancelled when the session ends.
    pub fn ended(&self) -> &CancellationToken {
        &self.ended
    }
}

impl Drop for SessionWatch {
    fn drop(&mut self) {
        let mut live = self.sessions.live.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(entry) = live.get_mut(&self.key)
            // Only this session's entry (not a newer one under the same key).
            && entry.id == self.id
        {
            entry.connections = entry.connections.saturating_sub(1);
            if entry.connections == 0 {
                live.remove(&self.key);
            }
        }
    }
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
        (Some(pw), Some(hash)) if verify_blocking(pw.clone(), hash.clone(), None).await => {
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

/// Verifies on a blocking thread holding `permit` (a login's; none at start) until argon2 is
/// done: a request dropped
/// mid-check (a client that cancels, a request timeout) must not free its place while its
/// verification still runs, or cancelled requests could run any number at once.
async fn verify_blocking(
    pw: Secret,
    hash: String,
    permit: Option<tokio::sync::OwnedSemaphorePermit>,
) -> bool {
    tokio::task::spawn_blocking(move || {
        let ok = verify_password(&pw, &hash);
        drop(permit);
        ok
    })
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
    /// Permits for argon2 verifications ([`MAX_CONCURRENT_VERIFICATIONS`]), each held by
    /// the blocking thread that runs one.
    verifying: Arc<tokio::sync::Semaphore>,
    /// Password verifications run since start (what the rate limit is measured by).
    verifications: AtomicU64,
}

impl Credentials {
    /// The account `username` with the password hash `hash`.
    pub fn new(username: String, hash: String) -> Self {
        Credentials {
            username,
            hash: RwLock::new(hash),
            basic_cache: Mutex::new(None),
            cache_salt: rand::random(),
            verifying: Arc::new(tokio::sync::Semaphore::new(MAX_CONCURRENT_VERIFICATIONS)),
            verifications: AtomicU64::new(0),
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

    /// How many password verifications (argon2) are running now.
    pub fn verifications_running(&self) -> usize {
        MAX_CONCURRENT_VERIFICATIONS - self.verifying.available_permits()
    }

    /// How many password verifications (argon2) have run since start.
    pub fn verifications(&self) -> u64 {
        self.verifications.load(Ordering::Relaxed)
    }

    /// Checks a username and password. Both are always checked, in constant time, so a
    /// wrong username takes as long as a wrong password. At most
    /// [`MAX_CONCURRENT_VERIFICATIONS`] run at once; the others wait for a permit.
    pub async fn check(&self, username: &str, password: Secret) -> bool {
        let user_ok: bool = username.as_bytes().ct_eq(self.username.as_bytes()).into();
        let hash = self.hash.read().map(|h| h.clone()).unwrap_or_default();
        // The semaphore is never closed, so a permit always comes.
        let Ok(permit) = self.verifying.clone().acquire_owned().await else {
            return false;
        };
        self.verifications.fetch_add(1, Ordering::Relaxed);
        let pw_ok = verify_blocking(password, hash, Some(permit)).await;
        user_ok & pw_ok
    }

    /// True when `header_value` is the `Authorization: Basic …` value that verified last
    /// (no argon2, no attempt counted).
    pub fn basic_is_cached(&self, header_value: &str) -> bool {
        let fingerprint = self.fingerprint(header_value);
        let cached = self.basic_cache.lock().ok().and_then(|c| *c);
        cached.is_some_and(|c| bool::from(c.ct_eq(&fingerprint)))
    }

    /// Checks an `Authorization: Basic …` value.
    pub async fn check_basic(&self, header_value: &str) -> bool {
        if self.basic_is_cached(header_value) {
            return true;
        }
        let fingerprint = self.fingerprint(header_value);
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

/// `Set-Cookie` value for a new session: HttpOnly, SameSite=Strict, and `Secure` when the
/// request came over HTTPS (through a tunnel or proxy). Without HTTPS — this PC, or the
/// shop's plain-HTTP LAN — a `Secure` cookie would never be sent back, so it is left off.
pub fn session_cookie(token: &Secret, secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}={}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}{}",
        token.expose(),
        SESSION_LIFETIME.num_seconds(),
        if secure { "; Secure" } else { "" }
    )
}

/// `Set-Cookie` value that removes the session cookie.
pub fn clear_cookie(secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0{}",
        if secure { "; Secure" } else { "" }
    )
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

/// One-time pairing codes: the owner's desktop shows one (and a QR of its join URL), a
/// kitchen tablet redeems it for a kitchen session, and nobody types the owner password on
/// a shared tablet. A code is 8 digits, works once, within [`PairingCodes::LIFETIME`];
/// guesses are limited per address like logins.
#[derive(Debug, Default, Clone)]
pub struct PairingCodes {
    codes: Arc<Mutex<HashMap<String, PairingState>>>,
}

#[derive(Debug, Clone, Copy)]
struct PairingState {
    expires_at: chrono::DateTime<chrono::Utc>,
    used: bool,
}

/// Why a pairing code was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PairingRefused {
    /// Not a code this server showed (or one forgotten long ago).
    #[error("this pairing code is not one the shop's computer showed; check the digits")]
    Unknown,
    /// Shown, but its minutes are over.
    #[error("this pairing code has expired; show a new one on the shop's computer")]
    Expired,
    /// Shown, and already used by a tablet.
    #[error("this pairing code was already used; show a new one on the shop's computer")]
    Used,
}

impl PairingCodes {
    /// How long a shown code stays usable.
    pub const LIFETIME: chrono::Duration = chrono::Duration::minutes(5);
    /// How long a spent or expired code is remembered, to say why it is refused.
    const REMEMBERED: chrono::Duration = chrono::Duration::hours(1);
    /// Codes remembered at most (the owner shows them one at a time).
    const MAX_CODES: usize = 64;

    /// A new code, usable until the returned time.
    pub fn mint(
        &self,
        now: chrono::DateTime<chrono::Utc>,
    ) -> (String, chrono::DateTime<chrono::Utc>) {
        let mut codes = self.codes.lock().unwrap_or_else(|e| e.into_inner());
        codes.retain(|_, s| s.expires_at + Self::REMEMBERED > now);
        while codes.len() >= Self::MAX_CODES {
            let oldest = codes
                .iter()
                .min_by_key(|(_, s)| s.expires_at)
                .map(|(k, _)| k.clone());
            match oldest {
                Some(k) => codes.remove(&k),
                None => break,
            };
        }
        let mut rng = rand::rngs::OsRng;
        let code = loop {
            let c = format!("{:08}", rng.gen_range(0..100_000_000u32));
            if !codes.contains_key(&c) {
                break c;
            }
        };
        let expires_at = now + Self::LIFETIME;
        codes.insert(
            code.clone(),
            PairingState {
                expires_at,
                used: false,
            },
        );
        (code, expires_at)
    }

    /// Uses up `code` (spaces and dashes ignored).
    pub fn redeem(
        &self,
        code: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), PairingRefused> {
        let code: String = code.chars().filter(|c| c.is_ascii_digit()).collect();
        let mut codes = self.codes.lock().unwrap_or_else(|e| e.into_inner());
        let state = codes.get_mut(&code).ok_or(PairingRefused::Unknown)?;
        if state.used {
            return Err(PairingRefused::Used);
        }
        if now >= state.expires_at {
            return Err(PairingRefused::Expired);
        }
        state.used = true;
        Ok(())
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

/// Login attempts per client address: an attempt is counted *before* its password is
/// verified ([`LoginLimiter::reserve`]), atomically, so a burst of parallel guesses gets
/// [`MAX_FAILURES`] verifications and 429 for the rest; a correct password gives its slot
/// back ([`LoginLimiter::release`]). IPv6 addresses count per /64 (what one home or phone
/// is given). The table is bounded: past [`MAX_TRACKED`] addresses the quietest one is
/// forgotten, never the limit itself.
#[derive(Debug, Default, Clone)]
pub struct LoginLimiter {
    attempts: Arc<Mutex<HashMap<IpAddr, VecDeque<Instant>>>>,
}

/// A counted attempt, given back with [`LoginLimiter::release`] when it succeeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use = "release the slot when the password was right"]
pub struct AttemptSlot {
    key: IpAddr,
    at: Instant,
}

/// Addresses tracked at most; beyond it the entry with the oldest last attempt is dropped.
pub const MAX_TRACKED: usize = 10_000;

/// The key an address is counted under: IPv4 as is (an IPv4-mapped IPv6 address as its
/// IPv4), IPv6 by its /64.
fn limit_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

fn expire(q: &mut VecDeque<Instant>, now: Instant) {
    while q
        .front()
        .is_some_and(|t| now.saturating_duration_since(*t) >= FAILURE_WINDOW)
    {
        q.pop_front();
    }
}

impl LoginLimiter {
    /// `Err` with the seconds to wait when `ip` is over the limit at `now` (counts nothing:
    /// for credentials that need no verification, such as a cached Basic header).
    pub fn check(&self, ip: IpAddr, now: Instant) -> Result<(), TooManyAttempts> {
        let mut map = self.attempts.lock().unwrap_or_else(|e| e.into_inner());
        match map.get_mut(&limit_key(ip)) {
            Some(q) => {
                expire(q, now);
                over_limit(q, now)
            }
            None => Ok(()),
        }
    }

    /// Counts an attempt from `ip` at `now`, before its password is verified: `Err` with
    /// the seconds to wait when the address has used its [`MAX_FAILURES`] attempts in the
    /// window (then nothing is counted and nothing should be verified).
    pub fn reserve(&self, ip: IpAddr, now: Instant) -> Result<AttemptSlot, TooManyAttempts> {
        let key = limit_key(ip);
        let mut map = self.attempts.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(q) = map.get_mut(&key) {
            expire(q, now);
            over_limit(q, now)?;
        } else if map.len() >= MAX_TRACKED {
            map.retain(|_, q| {
                q.back()
                    .is_some_and(|t| now.saturating_duration_since(*t) < FAILURE_WINDOW)
            });
            if map.len() >= MAX_TRACKED {
                // Still full of live entries (a flood): forget the quietest address. The new
                // one is always counted, so a flood never switches the limit off.
                let quietest = map
                    .iter()
                    .min_by_key(|(_, q)| q.back().copied())
                    .map(|(k, _)| *k);
                if let Some(k) = quietest {
                    map.remove(&k);
                }
            }
        }
        map.entry(key).or_default().push_back(now);
        Ok(AttemptSlot { key, at: now })
    }

    /// Gives back a slot whose password was right: a correct login does not count as a
    /// failure.
    pub fn release(&self, slot: AttemptSlot) {
        let mut map = self.attempts.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(q) = map.get_mut(&slot.key) {
            if let Some(i) = q.iter().rposition(|t| *t == slot.at) {
                q.remove(i);
            }
            if q.is_empty() {
                map.remove(&slot.key);
            }
        }
    }

    /// How many addresses are tracked (for tests and the health page).
    pub fn tracked(&self) -> usize {
        self.attempts
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .len()
    }
}

fn over_limit(q: &VecDeque<Instant>, now: Instant) -> Result<(), TooManyAttempts> {
    if q.len() >= MAX_FAILURES {
        let oldest = q.front().copied().unwrap_or(now);
        let wait = FAILURE_WINDOW.saturating_sub(now.saturating_duration_since(oldest));
        return Err(TooManyAttempts {
            retry_after_s: wait.as_secs().max(1),
        });
    }
    Ok(())
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
    fn sixth_attempt_in_a_minute_is_limited_then_the_window_clears() {
        let limiter = LoginLimiter::default();
        let ip: IpAddr = "10.0.0.7".parse().unwrap();
        let other: IpAddr = "10.0.0.8".parse().unwrap();
        let t0 = Instant::now();
        for i in 0..5 {
            assert!(
                limiter.reserve(ip, t0 + Duration::from_secs(i)).is_ok(),
                "attempt {}",
                i + 1
            );
        }
        let err = limiter
            .reserve(ip, t0 + Duration::from_secs(10))
            .unwrap_err();
        assert_eq!(err, TooManyAttempts { retry_after_s: 50 });
        assert_eq!(limiter.check(ip, t0 + Duration::from_secs(10)), Err(err));
        assert!(
            limiter.reserve(other, t0 + Duration::from_secs(10)).is_ok(),
            "per address"
        );
        assert!(
            limiter.reserve(ip, t0 + Duration::from_secs(61)).is_ok(),
            "window passed"
        );
    }

    #[test]
    fn a_right_password_gives_its_slot_back() {
        let limiter = LoginLimiter::default();
        let ip: IpAddr = "10.0.0.9".parse().unwrap();
        let t0 = Instant::now();
        for i in 0..20 {
            let slot = limiter.reserve(ip, t0 + Duration::from_millis(i)).unwrap();
            limiter.release(slot);
        }
        assert_eq!(limiter.tracked(), 0);
        for i in 0..5 {
            let _ = limiter.reserve(ip, t0 + Duration::from_secs(i)).unwrap();
        }
        assert!(limiter.reserve(ip, t0 + Duration::from_secs(6)).is_err());
    }

    #[test]
    fn ipv6_addresses_count_per_64() {
        let limiter = LoginLimiter::default();
        let t0 = Instant::now();
        for i in 1..=5u16 {
            let ip = IpAddr::V6(std::net::Ipv6Addr::new(0x2400, 0xadc1, 1, 2, i, i, i, i));
            let _ = limiter.reserve(ip, t0).unwrap();
        }
        let next: IpAddr = "2400:adc1:1:2:ffff::1".parse().unwrap();
        assert!(limiter.reserve(next, t0).is_err(), "same /64");
        let elsewhere: IpAddr = "2400:adc1:1:3::1".parse().unwrap();
        assert!(limiter.reserve(elsewhere, t0).is_ok(), "another /64");
    }

    #[test]
    fn a_flood_of_addresses_never_switches_the_limit_off() {
        let limiter = LoginLimiter::default();
        let t0 = Instant::now();
        for i in 0..(MAX_TRACKED as u32 + 20) {
            let ip = IpAddr::V4(std::net::Ipv4Addr::from(0x0a00_0000 + i));
            let _ = limiter.reserve(ip, t0).unwrap();
        }
        assert!(limiter.tracked() <= MAX_TRACKED);
        let newcomer: IpAddr = "192.168.1.50".parse().unwrap();
        for _ in 0..5 {
            let _ = limiter.reserve(newcomer, t0).unwrap();
        }
        assert!(
            limiter.reserve(newcomer, t0).is_err(),
            "a new address past the table's size is still limited"
        );
        assert!(limiter.tracked() <= MAX_TRACKED);
    }

    #[tokio::test]
    async fn a_dropped_request_keeps_its_argon2_place_until_the_verification_ends() {
        let creds = Arc::new(Credentials::new(
            "chef".into(),
            hash_password(&Secret::new("pw")).unwrap(),
        ));
        let c = creds.clone();
        let request = tokio::spawn(async move { c.check("chef", Secret::new("guess")).await });
        while creds.verifications() == 0 {
            tokio::task::yield_now().await;
        }
        // The client goes away (or the request times out) while argon2 runs.
        request.abort();
        let _ = request.await;
        assert_eq!(
            creds.verifications_running(),
            1,
            "the abandoned verification still holds its place"
        );
        let deadline = Instant::now() + Duration::from_secs(10);
        while creds.verifications_running() > 0 {
            assert!(
                Instant::now() < deadline,
                "the place is freed once argon2 ends"
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    #[tokio::test]
    async fn verifications_are_counted() {
        let creds = Credentials::new("chef".into(), hash_password(&Secret::new("pw")).unwrap());
        assert!(!creds.check("chef", Secret::new("no")).await);
        assert!(creds.check("chef", Secret::new("pw")).await);
        assert_eq!(creds.verifications(), 2);
    }

    #[test]
    fn ending_a_session_cancels_its_connections_only() {
        let live = LiveSessions::default();
        let a1 = live.watch("a");
        let a2 = live.watch("a");
        let b = live.watch("b");
        assert_eq!(live.len(), 2);
        live.end("a");
        assert!(a1.ended().is_cancelled() && a2.ended().is_cancelled());
        assert!(!b.ended().is_cancelled());
        // A new connection of "a" after the end is a new registration, and the old
        // watches going away does not remove it.
        let a3 = live.watch("a");
        drop((a1, a2));
        assert!(!a3.ended().is_cancelled());
        assert_eq!(live.len(), 2);
        drop(b);
        assert_eq!(live.len(), 1);
        let basic = live.watch(LiveSessions::BASIC);
        live.end_all();
        assert!(a3.ended().is_cancelled() && basic.ended().is_cancelled());
        assert!(live.is_empty());
    }

    #[test]
    fn a_pairing_code_works_once_and_only_before_it_expires() {
        let codes = PairingCodes::default();
        let t0 = chrono::Utc::now();
        let (a, expires) = codes.mint(t0);
        assert_eq!(a.len(), 8);
        assert!(a.chars().all(|c| c.is_ascii_digit()));
        assert_eq!(expires, t0 + PairingCodes::LIFETIME);
        let (b, _) = codes.mint(t0);
        assert_ne!(a, b);
        let spaced = format!("{} {}", &a[..4], &a[4..]);
        assert_eq!(codes.redeem(&spaced, t0), Ok(()));
        assert_eq!(codes.redeem(&a, t0), Err(PairingRefused::Used));
        assert_eq!(
            codes.redeem(&b, t0 + PairingCodes::LIFETIME),
            Err(PairingRefused::Expired)
        );
        assert_eq!(codes.redeem("1234567", t0), Err(PairingRefused::Unknown));
    }
}
