//! Every route of the service in one table: the Retell and Cal.com endpoints, feeds and ops from
//! `http/`, the operator console from `console/`.

use super::AppState;
use crate::http::{calcom_webhook, feeds, functions, ops, retell_events, sms};
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;

/// Largest request body accepted (Retell payloads are a few KiB).
pub const BODY_LIMIT: usize = 64 * 1024;

/// All routes of the service.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/retell/functions/{name}", post(functions::call_named))
        .route("/retell/functions", post(functions::call_from_body))
        .route("/retell/inbound", post(retell_events::inbound))
        .route("/retell/webhook", post(retell_events::call_event))
        .route("/calcom/webhook", post(calcom_webhook::calcom_webhook))
        .route("/calcom/webhook/{company}", post(calcom_webhook::company_webhook))
        .route("/sms/inbound", post(sms::inbound))
        .route("/sms/status", post(sms::status))
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(ops::metrics))
        .route("/feeds/{file}", get(feeds::feed))
        .route("/admin/", get(crate::console::pages::home))
        .nest("/admin", crate::console::routes())
        .fallback(ops::not_found)
        .method_not_allowed_fallback(ops::method_not_allowed)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn(ops::server_timing))
        // Method, path, status and latency of every request (debug level: `RUST_LOG=tower_http=debug`).
        .layer(tower_http::trace::TraceLayer::new_for_http())
        // The last net: a panic outside a function's own guard still answers JSON.
        .layer(CatchPanicLayer::custom(ops::panic_response))
        .with_state(state)
}
