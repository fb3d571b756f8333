//! How a job reaches a printer: raw TCP to a network printer (asking its paper sensor
//! first), or the operating system's spooler (`lp -d <name> -o raw`, the job on stdin).

use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// How long a network printer has to accept the connection.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// How long a network printer has to answer the paper status query; one that stays
/// silent is assumed fine (many cheap printers never answer).
pub const STATUS_TIMEOUT: Duration = Duration::from_millis(300);
/// How long a job's bytes may take to write.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(20);
/// How long the printer has to close its side after the job.
pub const CLOSE_TIMEOUT: Duration = Duration::from_secs(2);
/// How long the spooler command may take.
pub const SPOOLER_TIMEOUT: Duration = Duration::from_secs(30);

/// `DLE EOT 4`: the real-time paper sensor status.
pub const PAPER_STATUS_QUERY: [u8; 3] = [0x10, 0x04, 0x04];
/// Bits 5 and 6 of the paper status: the paper has run out.
const PAPER_END_BITS: u8 = 0x60;
/// The bits every real paper-sensor reply has fixed (bit 1 and 4 set, 0 and 7 clear): a
/// byte without them is not an answer to our query (an automatic status message, or
/// another device on the port) and is treated as no answer.
const STATUS_FIXED_MASK: u8 = 0x93;
const STATUS_FIXED_BITS: u8 = 0x12;

/// Why a job did not print; the job stays queued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendError {
    /// What the printer is now.
    pub kind: SendErrorKind,
    /// A stable code the dashboard translates (`printer_offline`, …).
    pub code: &'static str,
    /// The problem in English, for the log and the queue's `last_error`.
    pub message: String,
}

/// The printer's condition after a failed job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendErrorKind {
    /// Unreachable.
    Offline,
    /// Out of paper.
    OutOfPaper,
    /// Anything else.
    Error,
}

impl SendError {
    fn new(kind: SendErrorKind, code: &'static str, message: impl Into<String>) -> Self {
        SendError {
            kind,
            code,
            message: message.into(),
        }
    }
}

/// Sends one job to a network printer at `address` (`host:port`): connects, asks the paper
/// sensor, writes the bytes, closes, and waits (briefly) for the printer to close too.
pub async fn send_network(address: &str, job: &[u8]) -> Result<(), SendError> {
    let offline = |why: String| {
        SendError::new(
            SendErrorKind::Offline,
            "printer_offline",
            format!("could not reach the printer at {address}: {why}"),
        )
    };
    let mut tcp = match tokio::time::timeout(CONNECT_TIMEOUT, TcpStream::connect(address)).await {
        Ok(Ok(tcp)) => tcp,
        Ok(Err(e)) => return Err(offline(e.to_string())),
        Err(_) => return Err(offline(format!("no answer in {CONNECT_TIMEOUT:?}"))),
    };
    let write_failed = |why: String| {
        SendError::new(
            SendErrorKind::Error,
            "printer_write_failed",
            format!("the printer at {address} broke off the job: {why}"),
        )
    };
    tcp.write_all(&PAPER_STATUS_QUERY)
        .await
        .map_err(|e| write_failed(e.to_string()))?;
    let mut status = [0u8; 1];
    if let Ok(Ok(1)) = tokio::time::timeout(STATUS_TIMEOUT, tcp.read(&mut status)).await
        && status[0] & STATUS_FIXED_MASK == STATUS_FIXED_BITS
        && status[0] & PAPER_END_BITS != 0
    {
        let _ = tcp.shutdown().await;
        return Err(SendError::new(
            SendErrorKind::OutOfPaper,
            "printer_out_of_paper",
            format!("the printer at {address} is out of paper"),
        ));
    }
    match tokio::time::timeout(WRITE_TIMEOUT, async {
        tcp.write_all(job).await?;
        tcp.shutdown().await
    })
    .await
    {
        Ok(Ok(())) => {}
        Ok(Err(e)) => return Err(write_failed(e.to_string())),
        Err(_) => return Err(write_failed(format!("not done in {WRITE_TIMEOUT:?}"))),
    }
    // The job is delivered once our side closed cleanly; waiting for the printer's close
    // keeps jobs in order on printers that take them one connection at a time.
    let mut rest = [0u8; 64];
    let _ = tokio::time::timeout(CLOSE_TIMEOUT, async {
        while matches!(tcp.read(&mut rest).await, Ok(n) if n > 0) {}
    })
    .await;
    Ok(())
}

/// The operating system's print spooler (CUPS's `lp` and `lpstat` on Linux and macOS).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spooler {
    /// The program that takes a job (`lp`; `MELT8_LP_COMMAND` overrides).
    pub lp: String,
    /// The program that lists printers (`lpstat`; `MELT8_LPSTAT_COMMAND` overrides).
    pub lpstat: String,
}

impl Default for Spooler {
    fn default() -> Self {
        Spooler {
            lp: "lp".into(),
            lpstat: "lpstat".into(),
        }
    }
}

/// Whether this platform prints raw jobs through its spooler.
pub const SYSTEM_PRINTING_SUPPORTED: bool = cfg!(unix);

impl Spooler {
    /// The spooler commands, with `MELT8_LP_COMMAND` and `MELT8_LPSTAT_COMMAND` taken from
    /// the environment when set.
    pub fn from_env() -> Spooler {
        let var = |k: &str, d: &str| {
            std::env::var(k)
                .ok()
                .filter(|v| !v.trim().is_empty())
                .unwrap_or_else(|| d.to_string())
        };
        Spooler {
            lp: var("MELT8_LP_COMMAND", "lp"),
            lpstat: var("MELT8_LPSTAT_COMMAND", "lpstat"),
        }
    }

    /// Sends a raw job to the printer the system calls `name`.
    pub async fn send(&self, name: &str, job: &[u8]) -> Result<(), SendError> {
        if !SYSTEM_PRINTING_SUPPORTED {
            return Err(unsupported());
        }
        let failed = |code, why: String| {
            SendError::new(
                SendErrorKind::Error,
                code,
                format!("the computer's printer {name} did not take the job: {why}"),
            )
        };
        let mut child = tokio::process::Command::new(&self.lp)
            .args(["-d", name, "-o", "raw"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| failed("system_print_unavailable", format!("{}: {e}", self.lp)))?;
        let mut stdin = child
            .stdin
            .take()
            .ok_or_else(|| failed("system_print_failed", "no input to the spooler".into()))?;
        let run = async {
            // A spooler that refuses may exit before reading the job: its own words (on
            // stderr) say why, better than the broken pipe.
            let written = stdin.write_all(job).await;
            drop(stdin);
            child.wait_with_output().await.map(|out| (written, out))
        };
        match tokio::time::timeout(SPOOLER_TIMEOUT, run).await {
            Ok(Ok((Ok(()), out))) if out.status.success() => Ok(()),
            Ok(Ok((Err(e), out))) if out.status.success() => {
                Err(failed("system_print_failed", e.to_string()))
            }
            Ok(Ok((_, out))) => {
                let err = String::from_utf8_lossy(&out.stderr);
                let first = err.lines().next().unwrap_or("").trim();
                Err(failed(
                    "system_print_failed",
                    format!("{} ({})", first, out.status),
                ))
            }
            Ok(Err(e)) => Err(failed("system_print_failed", e.to_string())),
            Err(_) => Err(failed(
                "system_print_failed",
                format!("no answer in {SPOOLER_TIMEOUT:?}"),
            )),
        }
    }

    /// The printers the system knows (`lpstat -e`), or why they cannot be listed (a code).
    pub async fn printers(&self) -> Result<Vec<String>, &'static str> {
        if !SYSTEM_PRINTING_SUPPORTED {
            return Err("system_print_unsupported");
        }
        let out = tokio::time::timeout(
            Duration::from_secs(5),
            tokio::process::Command::new(&self.lpstat)
                .arg("-e")
                .stdin(std::process::Stdio::null())
                .kill_on_drop(true)
                .output(),
        )
        .await;
        match out {
            Ok(Ok(out)) if out.status.success() => Ok(String::from_utf8_lossy(&out.stdout)
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect()),
            _ => Err("system_printers_unavailable"),
        }
    }
}

fn unsupported() -> SendError {
    SendError::new(
        SendErrorKind::Error,
        "system_print_unsupported",
        "printing through the computer's printers works on Linux and macOS (CUPS); \
         on Windows, set the printer up as a network printer (its IP address, port 9100)",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::net::TcpListener;

    #[tokio::test]
    async fn a_refused_connection_is_offline_and_a_silent_printer_is_assumed_fine() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let server = tokio::spawn(async move {
            let (mut tcp, _) = listener.accept().await.unwrap();
            let mut got = Vec::new();
            tcp.read_to_end(&mut got).await.unwrap();
            got
        });
        send_network(&addr, b"HELLO").await.unwrap();
        let got = server.await.unwrap();
        assert_eq!(&got[..3], &PAPER_STATUS_QUERY);
        assert_eq!(&got[3..], b"HELLO");

        let err = send_network(&addr, b"X").await.unwrap_err();
        assert_eq!(
            (err.kind, err.code),
            (SendErrorKind::Offline, "printer_offline")
        );
    }

    /// A one-job printer that answers the status query with `reply`; yields what it was sent
    /// after the query.
    async fn printer_replying(reply: u8) -> (String, tokio::task::JoinHandle<Vec<u8>>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let server = tokio::spawn(async move {
            let (mut tcp, _) = listener.accept().await.unwrap();
            let mut q = [0u8; 3];
            tcp.read_exact(&mut q).await.unwrap();
            assert_eq!(q, PAPER_STATUS_QUERY);
            tcp.write_all(&[reply]).await.unwrap();
            let mut rest = Vec::new();
            tcp.read_to_end(&mut rest).await.unwrap();
            rest
        });
        (addr, server)
    }

    #[tokio::test]
    async fn a_printer_reporting_no_paper_gets_no_job() {
        let (addr, server) = printer_replying(0x72).await;
        let err = send_network(&addr, b"JOB").await.unwrap_err();
        assert_eq!(err.kind, SendErrorKind::OutOfPaper);
        assert!(server.await.unwrap().is_empty(), "no job bytes were sent");
    }

    #[tokio::test]
    async fn a_byte_that_is_no_paper_status_reply_does_not_stop_the_job() {
        // Paper-end bits set, but not the reply's fixed bits: not an answer to the query
        // (another device, or an automatic status message).
        let (addr, server) = printer_replying(0x60).await;
        send_network(&addr, b"JOB").await.unwrap();
        assert_eq!(server.await.unwrap(), b"JOB");
    }
}
