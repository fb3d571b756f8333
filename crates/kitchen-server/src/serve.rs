//! Serving a router on a listener with the limits `axum::serve` lacks: a header read
//! timeout (a client sending its headers byte by byte is disconnected), a request timeout
//! for ordinary requests, and a cap on the connections held at once. Like `axum::serve`
//! it answers HTTP/1 and HTTP/2, lets WebSocket upgrades through, gives handlers the
//! client's address (`ConnectInfo`, for the login limiter) and shuts down gracefully.

use crate::config::ServerLimits;
use axum::Router;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::header;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tower::ServiceExt;

/// Which router a listener serves, for the log.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Served {
    /// `kitchen` or `public`.
    pub name: &'static str,
    /// Connections held at once.
    pub max_connections: usize,
    /// Sets TCP_NODELAY on each connection (the phone side: audio frames are small and
    /// latency-bound).
    pub nodelay: bool,
}

/// Serves `router` on `listener` until `shutdown` completes, then stops accepting and waits
/// for the requests in flight (upgraded WebSockets are closed by their own owners).
pub(crate) async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ServerLimits,
    served: Served,
    shutdown: impl Future<Output = ()> + Send,
) {
    let router = with_request_timeout(router, limits.request_timeout, served.name);
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    builder.http2().timer(TokioTimer::new());
    let graceful = GracefulShutdown::new();
    let slots = Arc::new(Semaphore::new(served.max_connections));
    // Said once each time the cap is reached, not once per refused connection.
    let mut full_said = false;
    tokio::pin!(shutdown);
    loop {
        let (tcp, peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    accept_failed(served.name, &e).await;
                    continue;
                }
            },
        };
        let Ok(permit) = slots.clone().try_acquire_owned() else {
            if !full_said {
                tracing::warn!(
                    router = served.name,
                    max_connections = served.max_connections,
                    %peer,
                    "refused a connection: the router holds its maximum number of connections (said once until one frees)"
                );
                full_said = true;
            }
            drop(tcp);
            continue;
        };
        full_said = false;
        if served.nodelay {
            let _ = tcp.set_nodelay(true);
        }
        // Whether the connection carried a request: hyper's header read timeout also closes
        // a kept-alive connection that sat idle after its requests (Twilio's, a browser's),
        // which is routine, not a slow client.
        let served_one = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let service = {
            let (router, served_one) = (router.clone(), served_one.clone());
            tower::service_fn(move |mut req: Request<hyper::body::Incoming>| {
                served_one.store(true, std::sync::atomic::Ordering::Relaxed);
                req.extensions_mut().insert(ConnectInfo(peer));
                router.clone().oneshot(req)
            })
        };
        let io = TokioIo::new(Held { tcp, _slot: permit });
        let conn = builder
            .serve_connection_with_upgrades(io, TowerToHyperService::new(service))
            .into_owned();
        let conn = graceful.watch(conn);
        let name = served.name;
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                let idle = served_one.load(std::sync::atomic::Ordering::Relaxed);
                connection_failed(name, peer, idle, e.as_ref());
            }
        });
    }
    drop(listener);
    graceful.shutdown().await;
}

/// Logs why a connection ended in error: a header read timeout before any request at warn
/// (a slow or stalled client was disconnected); the same timeout after requests (`idle`: a
/// kept-alive connection nobody used again) and anything else (a client that went away)
/// at debug.
fn connection_failed(
    router: &'static str,
    peer: SocketAddr,
    idle: bool,
    e: &(dyn std::error::Error + 'static),
) {
    let timed_out = e
        .downcast_ref::<hyper::Error>()
        .is_some_and(hyper::Error::is_timeout);
    if timed_out && !idle {
        tracing::warn!(
            router,
            %peer,
            "closed a connection that did not send its request headers in time (header read timeout)"
        );
    } else {
        tracing::debug!(router, %peer, error = %e, "connection ended with an error");
    }
}

/// An accept error: a connection reset before it was accepted is nothing; anything else
/// (out of file descriptors) is logged and waited out briefly, so the loop does not spin.
async fn accept_failed(router: &'static str, e: &io::Error) {
    if matches!(
        e.kind(),
        io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionRefused
    ) {
        return;
    }
    tracing::error!(router, error = %e, "could not accept a connection; retrying in 1 s");
    tokio::time::sleep(Duration::from_secs(1)).await;
}

/// Stops an ordinary request that runs longer than `limit` with 408. WebSocket upgrades are
/// let through untimed: the socket outlives the request by hours.
fn with_request_timeout(router: Router, limit: Duration, name: &'static str) -> Router {
    router.layer(middleware::from_fn_with_state(
        (limit, name),
        request_timeout,
    ))
}

async fn request_timeout(
    State((limit, router)): State<(Duration, &'static str)>,
    req: Request,
    next: Next,
) -> Response {
    if req.headers().contains_key(header::UPGRADE) {
        return next.run(req).await;
    }
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(res) => res,
        Err(_) => {
            tracing::warn!(
                router,
                %method,
                %path,
                limit_s = limit.as_secs_f64(),
                "stopped a request that took too long (408)"
            );
            kitchen_http::ApiError::RequestTimeout.into_response()
        }
    }
}

/// A connection's socket holding its place under the connection cap: the place frees when
/// the socket is dropped, also after a WebSocket upgrade took it over.
struct Held {
    tcp: TcpStream,
    _slot: OwnedSemaphorePermit,
}

impl AsyncRead for Held {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.tcp).poll_read(cx, buf)
    }
}

impl AsyncWrite for Held {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.tcp).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.tcp).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.tcp).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.tcp).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.tcp.is_write_vectored()
    }
}
