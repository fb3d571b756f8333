//! A throwaway PostgreSQL cluster for tests: `initdb` and `pg_ctl` in a temporary folder,
//! listening on a free port of 127.0.0.1, stopped and deleted when dropped.
//!
//! Nothing is skipped silently: without the server binaries (Debian's `postgresql`
//! package, which `scripts/setup.sh` installs) [`TempCluster::start`] fails with a message
//! saying so. PostgreSQL refuses to run as root, so as root the cluster runs as the
//! `postgres` user (`runuser`), in a folder handed to it.
//!
//! The superuser `melt8` logs in over TCP with a password (SCRAM), so tests see real
//! authentication and can check that the password never leaks.

use anyhow::{Context, bail};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;
use std::time::Duration;

/// The superuser's name.
pub const SUPERUSER: &str = "melt8";
/// The superuser's password (a test password; it appears in no log).
pub const PASSWORD: &str = "pg-test-Secret-4711";

/// A running throwaway cluster. Cheap to clone; the last clone dropped stops it.
#[derive(Debug, Clone)]
pub struct TempCluster {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    root: tempfile::TempDir,
    data: PathBuf,
    bin: PathBuf,
    port: u16,
    /// `Some("postgres")` when we are root.
    run_as: Option<String>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        let _ = self.pg_ctl(&["-m", "immediate", "-w", "-t", "10", "stop"]);
    }
}

impl Inner {
    fn command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        match &self.run_as {
            Some(user) => {
                let mut c = Command::new(runuser());
                c.args(["-u", user, "--"]).arg(path);
                c
            }
            None => Command::new(path),
        }
    }

    fn pg_ctl(&self, args: &[&str]) -> anyhow::Result<Output> {
        let out = self
            .command("pg_ctl")
            .arg("-D")
            .arg(&self.data)
            .args(args)
            .output()
            .context("running pg_ctl")?;
        Ok(out)
    }

    fn start(&self) -> anyhow::Result<()> {
        let sock = self.root.path().join("sock");
        // A folder the server's user owns (as root, the temporary folder is not writable to it).
        let log = sock.join("postgres.log");
        // Durability is not what these tests are about: no fsync makes them fast.
        let opts = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=40",
            self.port,
            sock.display()
        );
        let out = self.pg_ctl(&[
            "-l",
            &log.to_string_lossy(),
            "-w",
            "-t",
            "30",
            "-o",
            &opts,
            "start",
        ])?;
        if !out.status.success() {
            let log_text = std::fs::read_to_string(&log).unwrap_or_default();
            bail!(
                "pg_ctl start failed: {}{}\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr),
                log_text
                    .lines()
                    .rev()
                    .take(20)
                    .collect::<Vec<_>>()
                    .join("\n")
            );
        }
        Ok(())
    }
}

impl TempCluster {
    /// Creates and starts a cluster. Blocking (about a second); fails with a clear message
    /// when the PostgreSQL server binaries are not installed.
    pub fn start() -> anyhow::Result<TempCluster> {
        let bin = find_bin()?;
        let run_as = if is_root() {
            Some("postgres".to_string())
        } else {
            None
        };
        let root = tempfile::Builder::new()
            .prefix("melt8-pg-")
            .tempdir()
            .context("creating a temporary folder")?;
        let data = root.path().join("data");
        let sock = root.path().join("sock");
        std::fs::create_dir(&data)?;
        std::fs::create_dir(&sock)?;
        let pwfile = root.path().join("pwfile");
        std::fs::write(&pwfile, format!("{PASSWORD}\n"))?;
        if let Some(user) = &run_as {
            let (uid, gid) = user_ids(user)?;
            std::fs::set_permissions(root.path(), std::fs::Permissions::from_mode(0o755))?;
            for p in [&data, &sock, &pwfile] {
                std::os::unix::fs::chown(p, Some(uid), Some(gid))
                    .with_context(|| format!("handing {} to {user}", p.display()))?;
            }
        }
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o700))?;
        let mut inner = Inner {
            root,
            data,
            bin,
            port: free_port()?,
            run_as,
        };
        let out = inner
            .command("initdb")
            .arg("-D")
            .arg(&inner.data)
            .args(["-U", SUPERUSER, "--pwfile"])
            .arg(&pwfile)
            .args([
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ])
            .output()
            .context("running initdb")?;
        if !out.status.success() {
            bail!(
                "initdb failed: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let mut last_error = None;
        for _ in 0..3 {
            match inner.start() {
                Ok(()) => {
                    return Ok(TempCluster {
                        inner: Arc::new(inner),
                    });
                }
                Err(e) => {
                    // Most likely the port was taken in between: try another one.
                    last_error = Some(e);
                    inner.port = free_port()?;
                }
            }
        }
        Err(last_error.unwrap_or_else(|| anyhow::anyhow!("PostgreSQL did not start")))
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.inner.port
    }

    /// A URL for database `db` as the superuser, password included.
    pub fn url(&self, db: &str) -> String {
        format!(
            "postgres://{SUPERUSER}:{PASSWORD}@127.0.0.1:{}/{db}",
            self.inner.port
        )
    }

    /// Creates database `name` and returns its URL.
    pub async fn create_database(&self, name: &str) -> anyhow::Result<String> {
        let admin = self.connect("postgres").await?;
        admin
            .batch_execute(&format!("CREATE DATABASE \"{name}\""))
            .await
            .with_context(|| format!("creating database {name}"))?;
        Ok(self.url(name))
    }

    /// A client of database `db` as the superuser (its connection runs in a spawned task).
    pub async fn connect(&self, db: &str) -> anyhow::Result<tokio_postgres::Client> {
        let (client, conn) = tokio_postgres::connect(&self.url(db), tokio_postgres::NoTls)
            .await
            .with_context(|| format!("connecting to the test cluster on port {}", self.port()))?;
        tokio::spawn(async move {
            let _ = conn.await;
        });
        Ok(client)
    }

    /// Stops the server (fast shutdown: open sessions are ended). Its data stays.
    pub async fn stop(&self) -> anyhow::Result<()> {
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || {
            let out = inner.pg_ctl(&["-m", "fast", "-w", "-t", "30", "stop"])?;
            if !out.status.success() {
                bail!(
                    "pg_ctl stop failed: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
            Ok(())
        })
        .await?
    }

    /// Starts it again after [`TempCluster::stop`], on the same port.
    pub async fn restart(&self) -> anyhow::Result<()> {
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || inner.start()).await?
    }

    /// Terminates (like `pg_terminate_backend`) every session whose `application_name` is
    /// `app`; returns how many.
    pub async fn terminate_sessions(&self, app: &str) -> anyhow::Result<i64> {
        let admin = self.connect("postgres").await?;
        let row = admin
            .query_one(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1",
                &[&app],
            )
            .await?;
        Ok(row.get(0))
    }

    /// Waits until `check` returns true, polling every 50 ms, failing after `deadline`.
    pub async fn wait_until<F, Fut>(
        deadline: Duration,
        what: &str,
        mut check: F,
    ) -> anyhow::Result<()>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        let end = tokio::time::Instant::now() + deadline;
        loop {
            if check().await {
                return Ok(());
            }
            if tokio::time::Instant::now() > end {
                bail!("timed out after {deadline:?} waiting for {what}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// The newest `/usr/lib/postgresql/*/bin` holding initdb and pg_ctl, or the one on PATH.
fn find_bin() -> anyhow::Result<PathBuf> {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            (bin.join("initdb").is_file() && bin.join("pg_ctl").is_file()).then_some((version, bin))
        })
        .collect();
    found.sort();
    if let Some((_, bin)) = found.pop() {
        return Ok(bin);
    }
    if let Ok(path) = std::env::var("PATH") {
        for dir in std::env::split_paths(&path) {
            if dir.join("initdb").is_file() && dir.join("pg_ctl").is_file() {
                return Ok(dir);
            }
        }
    }
    bail!(
        "the PostgreSQL server binaries (initdb, pg_ctl) are not installed: looked in /usr/lib/postgresql/*/bin and PATH. Install them with `apt-get install postgresql` (./test and scripts/setup.sh do)"
    )
}

fn is_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

fn runuser() -> &'static str {
    ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"]
        .into_iter()
        .find(|p| Path::new(p).is_file())
        .unwrap_or("runuser")
}

fn user_ids(user: &str) -> anyhow::Result<(u32, u32)> {
    let id = |flag: &str| -> anyhow::Result<u32> {
        let out = Command::new("id").args([flag, user]).output()?;
        if !out.status.success() {
            bail!(
                "running as root, PostgreSQL needs the `{user}` user, which does not exist (apt-get install postgresql creates it)"
            );
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().parse()?)
    };
    Ok((id("-u")?, id("-g")?))
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}
