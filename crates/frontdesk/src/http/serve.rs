//! The accept loop: every connection is bounded in number (in all and per client address) and
//! in time (request headers and bodies must arrive promptly), and drained on shutdown. Without
//! these, idle connections stay open forever and a few thousand of them take `/healthz` down.

use axum::http::Request;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::collections::HashMap;
use std::future::Future;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower_http::timeout::RequestBodyTimeoutLayer;

use crate::configuration::ConnectionLimits;

/// Counter of connections closed at once because a limit was reached, labelled `limit`.
pub const CONNECTIONS_REFUSED: &str = "frontdesk_connections_refused_total";

/// Longest the server waits for open requests to finish on shutdown.
const DRAIN: Duration = Duration::from_secs(10);

/// Raises this process's soft open-file limit to its hard limit and returns the soft limit now
/// in force: every connection is a file, and the common default of 1,024 is far below what a
/// front desk for many businesses keeps open.
pub fn raise_file_limit() -> u64 {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => limit,
        Err(error) => {
            tracing::warn!(%error, "the open-file limit could not be raised");
            rlimit::getrlimit(rlimit::Resource::NOFILE).map(|(soft, _)| soft).unwrap_or(1024)
        }
    }
}

/// Serves `app` on `listener` within `limits` until `shutdown` completes, then drains.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    let graceful = GracefulShutdown::new();
    let open = Arc::new(Semaphore::new(limits.max_connections));
    let by_address = Arc::new(Mutex::new(HashMap::<IpAddr, usize>::new()));
    let service = tower::ServiceBuilder::new().layer(RequestBodyTimeoutLayer::new(limits.body_timeout)).service(app);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of files or memory: wait a moment rather than spin.
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(permit) = open.clone().try_acquire_owned() else {
            metrics::counter!(CONNECTIONS_REFUSED, "limit" => "total").increment(1);
            continue;
        };
        let Some(slot) = AddressSlot::take(&by_address, peer.ip(), limits.per_address) else {
            metrics::counter!(CONNECTIONS_REFUSED, "limit" => "per_address").increment(1);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let connection = http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(limits.header_timeout)
            .serve_connection(TokioIo::new(stream), TowerToHyperService::new(with_address(service.clone(), peer.ip())));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // A client that goes away mid-request is nothing to report.
            let _ = connection.await;
            drop((permit, slot));
        });
    }
    drop(listener);
    if tokio::time::timeout(DRAIN, graceful.shutdown()).await.is_err() {
        tracing::warn!("open requests did not finish within {DRAIN:?}; closing them");
    }
}

/// The address a request came from (the TCP peer: behind a load balancer, the balancer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

/// Tags every request of a connection with its peer's address (login throttling needs it).
fn with_address<S>(service: S, address: IpAddr) -> tower::util::MapRequest<S, impl FnMut(Request<Incoming>) -> Request<Incoming> + Clone> {
    tower::util::MapRequest::new(service, move |mut request: Request<Incoming>| {
        request.extensions_mut().insert(ClientAddress(address));
        request
    })
}

/// One open connection of a client address, counted while it lives.
struct AddressSlot {
    counts: Arc<Mutex<HashMap<IpAddr, usize>>>,
    address: IpAddr,
}

impl AddressSlot {
    fn take(counts: &Arc<Mutex<HashMap<IpAddr, usize>>>, address: IpAddr, limit: usize) -> Option<Self> {
        let mut map = counts.lock().unwrap_or_else(|p| p.into_inner());
        let count = map.entry(address).or_default();
        if *count >= limit {
            return None;
        }
        *count += 1;
        Some(Self { counts: counts.clone(), address })
    }
}

impl Drop for AddressSlot {
    fn drop(&mut self) {
        let mut map = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(count) = map.get_mut(&self.address) {
            *count -= 1;
            if *count == 0 {
                map.remove(&self.address);
            }
        }
    }
}
