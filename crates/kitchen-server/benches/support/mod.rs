//! What the benchmarks that drive the real `melt8 serve` binary share: the server in its
//! own process (configured by environment variables, as an owner would), command-line
//! numbers, and readings of a process from `/proc`. (Each bench uses part of it.)
#![allow(dead_code)]

use anyhow::{Context, Result, bail};
use kitchen_testkit::{Behaviour, FakeRealtime, FakeTwilioRest};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The public address Twilio signs against, its auth token (32 hex digits, the only shape
/// the server takes) and account.
pub const PUBLIC: &str = "https://shop.example.com";
pub const TOKEN: &str = "be0c4e0c4e0c4e0c4e0c4e0c4e0c4e0c";
pub const ACCOUNT: &str = "AC0123456789abcdef0123456789abcdef";

/// Logs of the bench's own process to stderr (`RUST_LOG`, default `warn`).
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}

/// What a bench drives: the fake AI and Twilio REST on `load_rt`, and the real server in
/// its own process (data in `dir`) with the shop's caps raised so `calls` calls at once of
/// up to `minutes` minutes all reach the AI.
pub struct Stage {
    pub realtime: Arc<FakeRealtime>,
    pub rest: FakeTwilioRest,
    pub server: Server,
    pub dir: tempfile::TempDir,
}

impl Stage {
    pub fn start(load_rt: &tokio::runtime::Runtime, calls: usize, minutes: u64) -> Result<Stage> {
        Self::start_with(load_rt, calls, minutes, &[])
    }

    /// [`Stage::start`] with more environment variables for the server (the voice engine
    /// and its endpoint, …).
    pub fn start_with(
        load_rt: &tokio::runtime::Runtime,
        calls: usize,
        minutes: u64,
        extra: &[(&str, String)],
    ) -> Result<Stage> {
        let (realtime, rest) = load_rt.block_on(async {
            let rt = FakeRealtime::start(Behaviour::Accept).await?;
            anyhow::Ok((Arc::new(rt), FakeTwilioRest::start(ACCOUNT, TOKEN).await?))
        })?;
        let dir = tempfile::tempdir()?;
        let mut caps = vec![
            ("MAX_CONCURRENT_AI_CALLS", calls.clamp(1, 500).to_string()),
            ("MAX_CALL_MINUTES", minutes.clamp(1, 55).to_string()),
            ("DAILY_AI_BUDGET_MINUTES", "20000".to_string()),
        ];
        caps.extend(extra.iter().cloned());
        let server = Server::start(
            dir.path(),
            &realtime.url(),
            &rest.base_url(),
            PUBLIC,
            TOKEN,
            &caps,
        )?;
        Ok(Stage {
            realtime,
            rest,
            server,
            dir,
        })
    }
}

/// `--name N` from the command line (`cargo bench` also passes `--bench`: ignored).
pub fn arg(name: &str, default: u64) -> Result<u64> {
    let args: Vec<String> = std::env::args().collect();
    let Some(i) = args.iter().position(|a| a == name) else {
        return Ok(default);
    };
    let v = args
        .get(i + 1)
        .with_context(|| format!("{name} needs a number"))?;
    v.parse().with_context(|| format!("{name} {v}"))
}

/// A multi-threaded tokio runtime whose threads carry `name` (the load generator's).
pub fn runtime(name: &str) -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name(name)
        .thread_keep_alive(Duration::from_secs(3600))
        .build()
}

/// CPU nanoseconds used so far by all live threads of process `pid` (`schedstat`).
pub fn task_cpu_ns(pid: u32) -> u64 {
    std::fs::read_dir(format!("/proc/{pid}/task"))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let s = std::fs::read_to_string(e.path().join("schedstat")).ok()?;
            s.split_whitespace().next()?.parse::<u64>().ok()
        })
        .sum()
}

/// A `/proc/<pid>/status` line given in kB (`VmRSS:`, `VmHWM:`, …), in MiB; 0 if absent.
pub fn status_mib(pid: u32, key: &str) -> f64 {
    status_field(pid, key).map_or(0.0, |kib| kib as f64 / 1024.0)
}

/// The first number of a `/proc/<pid>/status` line (`Threads:`, `VmRSS:` in kB, …).
pub fn status_field(pid: u32, key: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
}

/// What a process holds open: all file descriptors, and which of them are sockets (by
/// inode, to look up in `/proc/net/tcp*`).
pub struct OpenFiles {
    pub fds: usize,
    pub socket_inodes: Vec<u64>,
}

pub fn open_files(pid: u32) -> OpenFiles {
    let mut out = OpenFiles {
        fds: 0,
        socket_inodes: Vec::new(),
    };
    for entry in std::fs::read_dir(format!("/proc/{pid}/fd"))
        .into_iter()
        .flatten()
        .flatten()
    {
        out.fds += 1;
        let Ok(target) = std::fs::read_link(entry.path()) else {
            continue;
        };
        let target = target.to_string_lossy();
        if let Some(inode) = target
            .strip_prefix("socket:[")
            .and_then(|r| r.strip_suffix(']'))
            .and_then(|n| n.parse().ok())
        {
            out.socket_inodes.push(inode);
        }
    }
    out
}

/// TCP sockets among `inodes` that are not listening (connected, or closing), with their
/// state and local/remote ports, from `/proc/net/tcp` and `/proc/net/tcp6`.
pub fn tcp_connections(inodes: &[u64]) -> Vec<String> {
    const STATES: [&str; 12] = [
        "?",
        "ESTABLISHED",
        "SYN_SENT",
        "SYN_RECV",
        "FIN_WAIT1",
        "FIN_WAIT2",
        "TIME_WAIT",
        "CLOSE",
        "CLOSE_WAIT",
        "LAST_ACK",
        "LISTEN",
        "CLOSING",
    ];
    let port = |addr: &str| {
        addr.rsplit(':')
            .next()
            .and_then(|p| u16::from_str_radix(p, 16).ok())
            .unwrap_or(0)
    };
    let mut out = Vec::new();
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let text = std::fs::read_to_string(table).unwrap_or_default();
        for line in text.lines().skip(1) {
            let f: Vec<&str> = line.split_whitespace().collect();
            if f.len() < 10 {
                continue;
            }
            let inode: u64 = f[9].parse().unwrap_or(0);
            let state = usize::from_str_radix(f[3], 16).unwrap_or(0);
            if inode == 0 || !inodes.contains(&inode) || state == 0x0A {
                continue;
            }
            let name = STATES.get(state).copied().unwrap_or("?");
            out.push(format!("{name} :{} -> :{}", port(f[1]), port(f[2])));
        }
    }
    out
}

/// The real `melt8 serve` binary in its own process, configured by environment variables
/// as an owner would, talking to the fakes of the benchmark's process.
pub struct Server {
    child: std::process::Child,
    pub pid: u32,
    pub public: String,
}

impl Server {
    /// Starts `melt8 serve` on ports 0 with its data in `data`, the AI at `realtime_url`,
    /// Twilio's REST API at `twilio_api`, and `extra` environment variables (caps, …).
    pub fn start(
        data: &std::path::Path,
        realtime_url: &str,
        twilio_api: &str,
        public_url: &str,
        twilio_token: &str,
        extra: &[(&str, String)],
    ) -> Result<Server> {
        use std::io::BufRead;
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_melt8"));
        cmd.arg("serve")
            .current_dir(data)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env(
                "RUST_LOG",
                std::env::var("RUST_LOG").unwrap_or_else(|_| "warn".into()),
            )
            .env("MELT8_DATA_DIR", data)
            .env("KITCHEN_PORT", "0")
            .env("PUBLIC_PORT", "0")
            .env("CHEF_PASSWORD", "bench-chef-password")
            .env("PUBLIC_BASE_URL", public_url)
            .env("TWILIO_AUTH_TOKEN", twilio_token)
            .env("TWILIO_API_BASE", twilio_api)
            .env("OPENAI_API_KEY", "sk-bench-key")
            .env("OPENAI_REALTIME_URL", realtime_url)
            .stdout(std::process::Stdio::piped());
        for (k, v) in extra {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().context("could not start `melt8 serve`")?;
        let pid = child.id();
        let out = child.stdout.take().context("no stdout")?;
        let mut lines = std::io::BufReader::new(out).lines();
        let public = loop {
            let Some(line) = lines.next() else {
                let _ = child.kill();
                bail!("`melt8 serve` exited before printing its Twilio address");
            };
            if let Some(rest) = line?.trim().strip_prefix("Twilio side:") {
                let addr = rest.split_whitespace().next().unwrap_or_default();
                break addr.to_string();
            }
        };
        // Keep draining its stdout so it never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Ok(Server { child, pid, public })
    }

    /// Ctrl-C, as an owner would stop it; waits for a clean exit.
    pub fn stop(mut self) -> Result<()> {
        let status = std::process::Command::new("kill")
            .args(["-INT", &self.pid.to_string()])
            .status()?;
        if !status.success() {
            bail!("could not signal the server");
        }
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if let Some(st) = self.child.try_wait()? {
                return if st.success() {
                    Ok(())
                } else {
                    bail!("the server exited with {st}")
                };
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        bail!("the server did not stop within 15 s")
    }
}

impl Drop for Server {
    /// A benchmark that fails half-way leaves no server behind.
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
