//! Liveness, readiness, metrics, JSON fallbacks and the server-timing header.

use super::ApiError;
use crate::app::AppState;
use crate::telemetry::INTERNAL_ERRORS;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use std::any::Any;
use std::time::Instant;

/// `GET /healthz`: the process answers.
pub async fn healthz() -> Json<serde_json::Value> {
    Json(json!({"status": "ok"}))
}

/// `GET /readyz`: the database answers and every migration is applied.
pub async fn readyz(State(state): State<AppState>) -> Response {
    if state.backends().store.ready().await {
        Json(json!({"status": "ready"})).into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, Json(json!({"status": "not_ready"}))).into_response()
    }
}

/// `GET /metrics`: Prometheus text format.
pub async fn metrics(State(state): State<AppState>) -> Response {
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], state.render_metrics()).into_response()
}

/// Unknown routes answer JSON.
pub async fn not_found() -> ApiError {
    ApiError::NotFound
}

/// Wrong methods answer JSON.
pub async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

/// Adds `Server-Timing: app;dur=<ms>` so clients see the server-side latency (before the
/// function's own `fn;dur=<ms>` when a function answered).
pub async fn server_timing(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let mut response = next.run(request).await;
    let millis = millis_text(started.elapsed());
    let inner = response.headers().get("server-timing").and_then(|v| v.to_str().ok()).map(str::to_string);
    let text = match inner {
        Some(inner) => format!("app;dur={millis}, {inner}"),
        None => format!("app;dur={millis}"),
    };
    if let Ok(value) = HeaderValue::from_str(&text) {
        response.headers_mut().insert("server-timing", value);
    }
    response
}

/// A duration as milliseconds with three decimals ("0.045"), from integer microseconds: this
/// runs twice per request, and float formatting with a precision costs a microsecond.
pub fn millis_text(duration: std::time::Duration) -> String {
    let micros = duration.as_micros();
    format!("{}.{:03}", micros / 1000, micros % 1000)
}

/// A panic that escaped every guard: logged, counted, answered with the spoken fallback.
pub fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response {
    let what = crate::telemetry::panic_text(panic.as_ref());
    tracing::error!(panic = %what, "request panicked");
    metrics::counter!(INTERNAL_ERRORS).increment(1);
    Json(json!({
        "success": false,
        "error": "internal",
        "message": "Entschuldigung, da ist etwas schiefgelaufen. Darf ich Sie zurückrufen lassen? Sorry, something went wrong. May we call you back?",
        "offer_callback": true
    }))
    .into_response()
}
