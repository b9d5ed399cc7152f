//! calsim: a stateful, in-memory simulator of the Cal.com API v2 — slots, reservations,
//! bookings, event types, webhooks — with Cal.com's latency, failures and rate limits on demand;
//! and, for frontdesk's notifications, a business's mail server ([`smtp`]) and a Twilio-compatible
//! SMS API ([`sms`]); and, for provisioning phone agents, Retell's API ([`retell`]).

pub mod api;
pub mod cli;
pub mod envelope;
pub mod faults;
pub mod fixture;
pub mod retell;
pub mod schedule;
pub mod smtp;
pub mod sms;
pub mod state;
pub mod subscriptions;
pub mod webhooks;

pub use fixture::Fixture;
pub use state::{running_from, system_clock, Clock, Faults, Sim, Webhook};

use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// A simulator serving on a local port until stopped or dropped.
pub struct Served<T> {
    /// `http://127.0.0.1:<port>`.
    pub base_url: String,
    /// The simulator, for direct inspection.
    pub sim: Arc<T>,
    stop: Option<oneshot::Sender<()>>,
}

impl<T> Served<T> {
    /// Stops serving.
    pub fn stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl<T> Drop for Served<T> {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A calsim serving on a local port.
pub type Running = Served<Sim>;

/// Serves a simulator on `address` (port 0 picks a free one) in the current runtime.
pub async fn serve(sim: Sim, address: SocketAddr) -> std::io::Result<Running> {
    serve_sim(sim, api::router, address).await
}

/// Serves `sim` with the routes `router` makes on `address`, in the current runtime.
pub(crate) async fn serve_sim<T>(
    sim: T,
    router: fn(Arc<T>) -> axum::Router,
    address: SocketAddr,
) -> std::io::Result<Served<T>> {
    let sim = Arc::new(sim);
    let (base_url, stop) = serve_router(router(sim.clone()), address).await?;
    Ok(Served { base_url, sim, stop: Some(stop) })
}

/// Serves `app` on `address` until the returned sender is used or dropped; its base URL.
pub(crate) async fn serve_router(app: axum::Router, address: SocketAddr) -> std::io::Result<(String, oneshot::Sender<()>)> {
    let listener = TcpListener::bind(address).await?;
    let base_url = format!("http://{}", listener.local_addr()?);
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await;
    });
    Ok((base_url, stop))
}
