//! A fake network receipt printer, and a reader of what it was sent.
//!
//! [`FakePrinter`] is what a shop's thermal printer is on the network: a raw TCP socket (port
//! 9100 on a real one; port 0 here) that takes one job a connection, until the sender
//! closes. Switched off ([`FakePrinter::set_online`]), it stops listening, so a connection
//! is refused as it is when a real printer is off or unplugged. It answers the paper
//! sensor query a sender asks first (`DLE EOT 4`); out of paper
//! ([`FakePrinter::set_paper_out`]) it says so, and prints nothing it is sent.
//!
//! [`decode`] reads ESC/POS bytes back into what the printer would do ([`Op`]): text and
//! line ends, styles, feeds, raster images (`GS v 0`, bands joined back into one image),
//! QR codes (`GS ( k`) and cuts. A byte sequence it does not know is an error naming the
//! offset, so a test sees a malformed job rather than a silently different print.

use anyhow::{Context, Result, bail};
use kitchen_print::Bitmap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// One thing a printer does, read from its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    /// `ESC @`: reset.
    Init,
    /// Printable text (consecutive bytes joined).
    Text(String),
    /// `LF`: end of a line.
    LineFeed,
    /// `ESC a n`: 0 left, 1 centre, 2 right.
    Align(u8),
    /// `ESC E n`.
    Bold(bool),
    /// `GS ! n`: multiples of the normal size.
    Size { width: u8, height: u8 },
    /// `ESC d n`: blank lines.
    Feed(u8),
    /// `GS v 0`: an image (consecutive bands of the same width joined).
    Image(Bitmap),
    /// `GS ( k` stored then printed: the QR code's text and square size.
    Qr { data: String, module: u8 },
    /// `GS V`: the cut.
    Cut,
    /// `DLE EOT n`: a real-time status query (4: the paper sensor).
    StatusQuery(u8),
}

/// Reads an ESC/POS job. Fails on a command this printer does not know, or one cut short.
pub fn decode(bytes: &[u8]) -> Result<Vec<Op>> {
    let mut ops: Vec<Op> = Vec::new();
    let mut qr_module = 3u8;
    let mut qr_data: Option<String> = None;
    let mut i = 0;
    let need = |i: usize, n: usize, what: &str| -> Result<()> {
        if i + n > bytes.len() {
            bail!("{what} at byte {i} is cut short");
        }
        Ok(())
    };
    while i < bytes.len() {
        match bytes[i] {
            0x1B => {
                need(i, 2, "ESC")?;
                match bytes[i + 1] {
                    b'@' => {
                        ops.push(Op::Init);
                        i += 2;
                    }
                    b'a' | b'E' | b'd' => {
                        need(i, 3, "ESC command")?;
                        let n = bytes[i + 2];
                        ops.push(match bytes[i + 1] {
                            b'a' => Op::Align(n),
                            b'E' => Op::Bold(n & 1 == 1),
                            _ => Op::Feed(n),
                        });
                        i += 3;
                    }
                    other => bail!("unknown command ESC 0x{other:02x} at byte {i}"),
                }
            }
            0x1D => {
                need(i, 2, "GS")?;
                match bytes[i + 1] {
                    b'!' => {
                        need(i, 3, "GS !")?;
                        let n = bytes[i + 2];
                        ops.push(Op::Size {
                            width: (n >> 4) + 1,
                            height: (n & 0x0F) + 1,
                        });
                        i += 3;
                    }
                    b'V' => {
                        need(i, 3, "GS V")?;
                        // Function B (65, 66) carries a feed byte; function A (0, 1, 48, 49) not.
                        i += if matches!(bytes[i + 2], 65 | 66) {
                            4
                        } else {
                            3
                        };
                        need(i, 0, "GS V")?;
                        ops.push(Op::Cut);
                    }
                    b'v' => {
                        need(i, 8, "GS v 0")?;
                        if bytes[i + 2] != b'0' {
                            bail!("unknown command GS v 0x{:02x} at byte {i}", bytes[i + 2]);
                        }
                        let stride = usize::from(u16::from_le_bytes([bytes[i + 4], bytes[i + 5]]));
                        let rows = usize::from(u16::from_le_bytes([bytes[i + 6], bytes[i + 7]]));
                        need(i + 8, stride * rows, "GS v 0 image data")?;
                        let data = &bytes[i + 8..i + 8 + stride * rows];
                        let width = u32::try_from(stride * 8)?;
                        match ops.last_mut() {
                            Some(Op::Image(prev)) if prev.stride() == stride => {
                                let mut joined = prev.packed().to_vec();
                                joined.extend_from_slice(data);
                                let height = u32::try_from(joined.len() / stride)?;
                                *prev = Bitmap::from_packed(width, height, joined)?;
                            }
                            _ => ops.push(Op::Image(Bitmap::from_packed(
                                width,
                                u32::try_from(rows)?,
                                data.to_vec(),
                            )?)),
                        }
                        i += 8 + stride * rows;
                    }
                    b'(' => {
                        need(i, 5, "GS ( k")?;
                        if bytes[i + 2] != b'k' {
                            bail!("unknown command GS ( 0x{:02x} at byte {i}", bytes[i + 2]);
                        }
                        let len = usize::from(u16::from_le_bytes([bytes[i + 3], bytes[i + 4]]));
                        need(i + 5, len, "GS ( k parameters")?;
                        let p = &bytes[i + 5..i + 5 + len];
                        match p {
                            [b'1', b'A', ..] | [b'1', b'E', ..] => {}
                            [b'1', b'C', n] => qr_module = *n,
                            [b'1', b'P', b'0', data @ ..] => {
                                qr_data = Some(String::from_utf8(data.to_vec())?);
                            }
                            [b'1', b'Q', b'0'] => {
                                let data = qr_data
                                    .clone()
                                    .context("a QR code printed before any was stored")?;
                                ops.push(Op::Qr {
                                    data,
                                    module: qr_module,
                                });
                            }
                            _ => bail!("unknown QR function {p:?} at byte {i}"),
                        }
                        i += 5 + len;
                    }
                    other => bail!("unknown command GS 0x{other:02x} at byte {i}"),
                }
            }
            0x10 => {
                need(i, 3, "DLE EOT")?;
                if bytes[i + 1] != 0x04 {
                    bail!("unknown command DLE 0x{:02x} at byte {i}", bytes[i + 1]);
                }
                ops.push(Op::StatusQuery(bytes[i + 2]));
                i += 3;
            }
            b'\n' => {
                ops.push(Op::LineFeed);
                i += 1;
            }
            b if b == b' ' || b.is_ascii_graphic() => {
                let end = bytes[i..]
                    .iter()
                    .position(|c| !(*c == b' ' || c.is_ascii_graphic()))
                    .map_or(bytes.len(), |n| i + n);
                let text = String::from_utf8_lossy(&bytes[i..end]).into_owned();
                match ops.last_mut() {
                    Some(Op::Text(prev)) => prev.push_str(&text),
                    _ => ops.push(Op::Text(text)),
                }
                i = end;
            }
            other => bail!("unexpected byte 0x{other:02x} at byte {i}"),
        }
    }
    Ok(ops)
}

/// The lines of text a job prints, in order (images and QR codes left out).
pub fn text_lines(ops: &[Op]) -> Vec<String> {
    let mut lines = vec![String::new()];
    for op in ops {
        match op {
            Op::Text(t) => {
                if let Some(last) = lines.last_mut() {
                    last.push_str(t);
                }
            }
            Op::LineFeed => lines.push(String::new()),
            _ => {}
        }
    }
    if lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines
}

#[derive(Debug, Default)]
struct State {
    jobs: Vec<Vec<u8>>,
    paper_out: bool,
}

/// The paper sensor's answer: bits 1 and 4 always set; bits 5 and 6 when the paper ran out.
fn paper_status(out: bool) -> u8 {
    if out { 0x72 } else { 0x12 }
}

/// One connection: answers a status query at its start, keeps the job (unless the paper is
/// out: then nothing prints), and closes once the sender has.
async fn serve_one(
    mut tcp: tokio::net::TcpStream,
    state: Arc<Mutex<State>>,
    changed: watch::Sender<usize>,
) {
    let mut job = Vec::new();
    let mut buf = [0u8; 4096];
    let mut answered = false;
    let mut out_when_asked = false;
    loop {
        match tcp.read(&mut buf).await {
            Ok(0) => break,
            Ok(n) => job.extend_from_slice(&buf[..n]),
            Err(_) => return,
        }
        if !answered && job.len() >= 3 && job[0] == 0x10 && job[1] == 0x04 {
            answered = true;
            let out = state.lock().unwrap_or_else(|e| e.into_inner()).paper_out;
            out_when_asked = out;
            if tcp.write_all(&[paper_status(out)]).await.is_err() {
                return;
            }
        }
    }
    let only_queries = decode(&job)
        .map(|ops| ops.iter().all(|o| matches!(o, Op::StatusQuery(_))))
        .unwrap_or(false);
    if job.is_empty() || only_queries {
        return;
    }
    let n = {
        let mut s = state.lock().unwrap_or_else(|e| e.into_inner());
        if s.paper_out || out_when_asked {
            return;
        }
        s.jobs.push(job);
        s.jobs.len()
    };
    changed.send_replace(n);
}

/// A network receipt printer on a loopback port.
#[derive(Debug)]
pub struct FakePrinter {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    changed: watch::Sender<usize>,
    listening: Mutex<Option<JoinHandle<()>>>,
}

impl FakePrinter {
    /// A printer that is on and listening.
    pub async fn start() -> Result<FakePrinter> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let printer = FakePrinter {
            addr,
            state: Arc::default(),
            changed: watch::channel(0).0,
            listening: Mutex::new(None),
        };
        printer.listen(listener);
        Ok(printer)
    }

    fn listen(&self, listener: TcpListener) {
        let (state, changed) = (self.state.clone(), self.changed.clone());
        let task = tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                tokio::spawn(serve_one(tcp, state.clone(), changed.clone()));
            }
        });
        *self.listening.lock().unwrap_or_else(|e| e.into_inner()) = Some(task);
    }

    /// `host:port`, as the printer setting's address.
    pub fn address(&self) -> String {
        self.addr.to_string()
    }

    /// Switches the printer on (listening again on the same port) or off (connections
    /// refused).
    pub async fn set_online(&self, on: bool) -> Result<()> {
        let running = self
            .listening
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        if let Some(task) = running {
            task.abort();
            let _ = task.await;
        }
        if on {
            let listener = TcpListener::bind(self.addr)
                .await
                .with_context(|| format!("listening again on {}", self.addr))?;
            self.listen(listener);
        }
        Ok(())
    }

    /// Runs the paper out (the sensor says so; jobs sent anyway print nothing) or puts a
    /// new roll in.
    pub fn set_paper_out(&self, out: bool) {
        self.state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .paper_out = out;
    }

    /// Every complete job received so far (one a connection), oldest first.
    pub fn jobs(&self) -> Vec<Vec<u8>> {
        self.state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .jobs
            .clone()
    }

    /// Waits until at least `n` jobs arrived; returns them all.
    pub async fn wait_for_jobs(&self, n: usize, within: Duration) -> Result<Vec<Vec<u8>>> {
        let mut rx = self.changed.subscribe();
        tokio::time::timeout(within, rx.wait_for(|count| *count >= n))
            .await
            .with_context(|| format!("{n} print job(s) did not arrive within {within:?}"))??;
        Ok(self.jobs())
    }
}

impl Drop for FakePrinter {
    fn drop(&mut self) {
        if let Some(task) = self
            .listening
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
        {
            task.abort();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kitchen_print::{Align, Encoder};
    use tokio::net::TcpStream;

    fn job() -> Vec<u8> {
        let mut img = Bitmap::blank(16, 300).unwrap();
        for y in 0..300 {
            img.set(y % 16, y, true);
        }
        let mut e = Encoder::new();
        e.align(Align::Center)
            .size(2, 2)
            .bold(true)
            .line("#14")
            .bold(false)
            .size(1, 1)
            .align(Align::Left)
            .line("2x Chicken Tikka Large")
            .text("  - extra cheese")
            .image(&img)
            .feed(2);
        e.qr("M8-7F3K", 5).unwrap();
        e.cut();
        e.finish()
    }

    #[test]
    fn an_encoded_job_reads_back_as_what_the_printer_does() {
        let ops = decode(&job()).unwrap();
        assert_eq!(ops[0], Op::Init);
        assert_eq!(
            text_lines(&ops),
            ["#14", "2x Chicken Tikka Large", "  - extra cheese"]
        );
        assert!(ops.contains(&Op::Size {
            width: 2,
            height: 2
        }));
        assert!(ops.contains(&Op::Bold(true)) && ops.contains(&Op::Align(1)));
        let images: Vec<&Bitmap> = ops
            .iter()
            .filter_map(|o| match o {
                Op::Image(b) => Some(b),
                _ => None,
            })
            .collect();
        assert_eq!(images.len(), 1, "the two bands are one image again");
        assert_eq!((images[0].width(), images[0].height()), (16, 300));
        assert!(images[0].get(299 % 16, 299) && !images[0].get(0, 299));
        assert!(ops.contains(&Op::Qr {
            data: "M8-7F3K".into(),
            module: 5
        }));
        assert_eq!(ops.last(), Some(&Op::Cut));
    }

    #[test]
    fn a_malformed_job_is_an_error_naming_where() {
        let mut bad = job();
        bad.truncate(bad.len() - 1);
        assert!(decode(&bad).unwrap_err().to_string().contains("cut short"));
        let err = decode(b"\x1b@\x1bZ").unwrap_err().to_string();
        assert!(err.contains("ESC 0x5a at byte 2"), "{err}");
        assert!(decode(b"\x07").is_err());
    }

    #[tokio::test]
    async fn the_paper_sensor_is_answered_and_an_empty_printer_prints_nothing() {
        let printer = FakePrinter::start().await.unwrap();
        let ask = |query_then: &'static [u8]| {
            let addr = printer.address();
            async move {
                let mut tcp = TcpStream::connect(addr).await?;
                tcp.write_all(&[0x10, 0x04, 0x04]).await?;
                let mut status = [0u8; 1];
                tcp.read_exact(&mut status).await?;
                tcp.write_all(query_then).await?;
                tcp.shutdown().await?;
                anyhow::Ok(status[0])
            }
        };
        printer.set_paper_out(true);
        assert_eq!(ask(b"\x1b@LOST\n").await.unwrap() & 0x60, 0x60);
        printer.set_paper_out(false);
        assert_eq!(ask(b"\x1b@KEPT\n").await.unwrap() & 0x60, 0);
        let jobs = printer
            .wait_for_jobs(1, Duration::from_secs(5))
            .await
            .unwrap();
        assert_eq!(jobs.len(), 1);
        let ops = decode(&jobs[0]).unwrap();
        assert_eq!(ops[0], Op::StatusQuery(4));
        assert_eq!(text_lines(&ops), ["KEPT"]);
    }

    #[tokio::test]
    async fn the_printer_keeps_each_connections_bytes_and_refuses_connections_when_off() {
        let printer = FakePrinter::start().await.unwrap();
        let send = |bytes: Vec<u8>| {
            let addr = printer.address();
            async move {
                let mut tcp = TcpStream::connect(addr).await?;
                tcp.write_all(&bytes).await?;
                tcp.shutdown().await?;
                anyhow::Ok(())
            }
        };
        send(job()).await.unwrap();
        let jobs = printer
            .wait_for_jobs(1, Duration::from_secs(5))
            .await
            .unwrap();
        assert_eq!(jobs, [job()]);

        printer.set_online(false).await.unwrap();
        assert!(
            TcpStream::connect(printer.address()).await.is_err(),
            "an unplugged printer refuses the connection"
        );
        printer.set_online(true).await.unwrap();
        send(b"\x1b@AGAIN\n".to_vec()).await.unwrap();
        let jobs = printer
            .wait_for_jobs(2, Duration::from_secs(5))
            .await
            .unwrap();
        assert_eq!(text_lines(&decode(&jobs[1]).unwrap()), ["AGAIN"]);
    }
}
