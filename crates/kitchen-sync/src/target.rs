//! The sync target: `DATABASE_URL` parsed, shown without its password, and connected to
//! (TLS with rustls and the webpki roots when the URL says `sslmode=require`).

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use tokio_postgres::config::{Host, SslMode};
use tokio_postgres::{Client, NoTls};

/// How long connecting may take before it counts as a failure.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// `DATABASE_URL` as given. Holds a password: its `Debug` shows only that it is set.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl(String);

impl DatabaseUrl {
    /// Wraps a URL (or a `key=value` connection string) as given.
    pub fn new(raw: impl Into<String>) -> Self {
        DatabaseUrl(raw.into())
    }

    /// The URL with any password replaced by `***`, safe to show even when it does not parse.
    pub fn redacted(&self) -> String {
        redact_raw(&self.0)
    }

    /// Parses it. The error is one sentence that never contains the password.
    pub fn parse(&self) -> Result<Target, String> {
        let raw = self.0.trim();
        let shown = redact_raw(raw);
        let secret = raw_password(raw);
        let fail = |why: &str| {
            scrub(
                &format!(
                    "DATABASE_URL ({shown}) is not a usable PostgreSQL address: {why}. Write it like postgres://user:password@host:5432/dbname"
                ),
                secret.as_deref(),
            )
        };
        if !(raw.starts_with("postgres://") || raw.starts_with("postgresql://")) {
            return Err(fail("it must start with postgres:// or postgresql://"));
        }
        let mut config = match tokio_postgres::Config::from_str(raw) {
            Ok(c) => c,
            Err(e) => {
                let why = crate::error_chain(&e);
                let why = if why.contains("sslmode") {
                    format!("{why} (use sslmode=disable, prefer or require)")
                } else {
                    why
                };
                return Err(fail(&why));
            }
        };
        if config.get_hosts().is_empty() {
            return Err(fail("it names no host"));
        }
        config
            .application_name("melt8-sync")
            .connect_timeout(CONNECT_TIMEOUT)
            .keepalives(true)
            .keepalives_idle(Duration::from_secs(30));
        let tls = config.get_ssl_mode() == SslMode::Require;
        if !tls {
            // `prefer` would try TLS against our strict verifier and fail on servers with
            // self-signed certificates; only `require` asks for TLS.
            config.ssl_mode(SslMode::Disable);
        }
        let password = config
            .get_password()
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .filter(|p| !p.is_empty());
        Ok(Target {
            display: display(&config, tls),
            config,
            tls,
            password,
        })
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({})", redact_raw(&self.0))
    }
}

/// A parsed sync target.
#[derive(Clone)]
pub struct Target {
    config: tokio_postgres::Config,
    display: String,
    tls: bool,
    password: Option<String>,
}

impl fmt::Debug for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Target")
            .field("display", &self.display)
            .field("tls", &self.tls)
            .finish_non_exhaustive()
    }
}

impl Target {
    /// `postgres://user@host:5432/dbname` — the URL without its password, safe to log.
    pub fn display(&self) -> &str {
        &self.display
    }

    /// Whether the connection is encrypted.
    pub fn tls(&self) -> bool {
        self.tls
    }

    /// Removes the password from a message (a driver error might echo it).
    pub fn scrub(&self, message: &str) -> String {
        scrub(message, self.password.as_deref())
    }

    /// Opens a connection; its background task ends when the client is dropped.
    pub async fn connect(&self) -> Result<Client, tokio_postgres::Error> {
        if self.tls {
            let (client, conn) = self.config.connect(tls_connector()).await?;
            tokio::spawn(drive(conn));
            Ok(client)
        } else {
            let (client, conn) = self.config.connect(NoTls).await?;
            tokio::spawn(drive(conn));
            Ok(client)
        }
    }
}

async fn drive<F: std::future::Future<Output = Result<(), tokio_postgres::Error>>>(conn: F) {
    if let Err(e) = conn.await {
        tracing::debug!(error = %e, "PostgreSQL sync connection ended");
    }
}

/// rustls with the ring provider and Mozilla's roots (webpki-roots): no OpenSSL, no system
/// certificate store needed.
fn tls_connector() -> tokio_postgres_rustls::MakeRustlsConnect {
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = match rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
    {
        Ok(b) => b.with_root_certificates(roots).with_no_client_auth(),
        // The ring provider supports the default versions; keep a working fallback anyway.
        Err(_) => rustls::ClientConfig::builder()
            .with_root_certificates(rustls::RootCertStore::empty())
            .with_no_client_auth(),
    };
    tokio_postgres_rustls::MakeRustlsConnect::new(config)
}

fn display(config: &tokio_postgres::Config, tls: bool) -> String {
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let port = config
                .get_ports()
                .get(i)
                .or_else(|| config.get_ports().first())
                .copied()
                .unwrap_or(5432);
            match h {
                Host::Tcp(name) => format!("{name}:{port}"),
                #[cfg(unix)]
                Host::Unix(path) => format!("{}:{port}", path.display()),
            }
        })
        .collect();
    let user = config
        .get_user()
        .map(|u| format!("{u}@"))
        .unwrap_or_default();
    // Like libpq, no database name means the user's name.
    let db = config.get_dbname().or(config.get_user()).unwrap_or("");
    let ssl = if tls { "?sslmode=require" } else { "" };
    format!("postgres://{user}{}/{db}{ssl}", hosts.join(","))
}

/// The URL with any password replaced by `***`, even when it does not parse.
fn redact_raw(raw: &str) -> String {
    let raw = raw.trim();
    let Some((scheme, rest)) = raw.split_once("://") else {
        return if raw.contains("password") {
            "(a connection string with a password)".into()
        } else {
            raw.chars().take(200).collect()
        };
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let authority = match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{user}:***@{host}"),
            None => format!("{userinfo}@{host}"),
        },
        None => authority.to_string(),
    };
    let path = match path.split_once('?') {
        Some((p, q)) if q.contains("password") => format!("{p}?…"),
        _ => path.to_string(),
    };
    format!("{scheme}://{authority}{path}")
}

fn raw_password(raw: &str) -> Option<String> {
    let rest = raw.split_once("://")?.1;
    let authority = rest.split('/').next()?;
    let userinfo = authority.rsplit_once('@')?.0;
    let password = userinfo.split_once(':')?.1;
    (!password.is_empty()).then(|| password.to_string())
}

/// Replaces `secret` in `message` by `***` (short secrets would shred ordinary words, and a
/// driver never echoes them anyway).
fn scrub(message: &str, secret: Option<&str>) -> String {
    match secret {
        Some(s) if s.len() >= 4 => message.replace(s, "***"),
        _ => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_never_shows() {
        let url = DatabaseUrl::new("postgres://melt8:s3cret-pw@db.example.com:6543/chain");
        assert!(!format!("{url:?}").contains("s3cret-pw"));
        let t = url.parse().unwrap();
        assert_eq!(t.display(), "postgres://melt8@db.example.com:6543/chain");
        assert!(!format!("{t:?}").contains("s3cret-pw"));
        assert_eq!(t.scrub("auth failed for s3cret-pw"), "auth failed for ***");
        assert!(!t.tls());
    }

    #[test]
    fn sslmode_require_asks_for_tls() {
        let t = DatabaseUrl::new("postgresql://u:p@h/db?sslmode=require")
            .parse()
            .unwrap();
        assert!(t.tls());
        assert_eq!(t.display(), "postgres://u@h:5432/db?sslmode=require");
    }

    #[test]
    fn malformed_urls_are_explained_without_the_password() {
        for raw in [
            "mysql://u:hunter22@h/db",
            "postgres://u:hunter22@h:notaport/db",
            "postgres://u:hunter22@h/db?sslmode=verify-full",
            "postgres://u:hunter22@/db",
            "not a url at all",
        ] {
            let err = DatabaseUrl::new(raw).parse().unwrap_err();
            assert!(err.starts_with("DATABASE_URL"), "{err}");
            assert!(err.contains("postgres://user:password@host"), "{err}");
            assert!(!err.contains("hunter22"), "{raw}: {err}");
        }
        let err = DatabaseUrl::new("postgres://u:hunter22@h/db?sslmode=verify-full")
            .parse()
            .unwrap_err();
        assert!(err.contains("sslmode=disable, prefer or require"), "{err}");
    }

    #[test]
    fn redaction_handles_passwords_with_at_signs_and_no_user() {
        assert_eq!(
            redact_raw("postgres://u:p@ss@host/db"),
            "postgres://u:***@host/db"
        );
        assert_eq!(redact_raw("postgres://host/db"), "postgres://host/db");
        assert_eq!(
            redact_raw("postgres://host/db?password=x"),
            "postgres://host/db?…"
        );
    }
}
