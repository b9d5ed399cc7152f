//! The /v2 endpoints and the /_calsim control API.

mod bookings;
mod control;
mod event_types;
mod me;
mod slots;
mod subscriptions;

use crate::envelope::ApiError;
use crate::faults::{bearer, simulate};
use crate::state::Sim;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{delete, get, post};
use axum::Router;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use std::sync::Arc;

/// `cal-api-version` of the slots controller.
pub const SLOTS_VERSION: &str = "2024-09-04";
/// `cal-api-version` of the bookings controller.
pub const BOOKINGS_VERSION: &str = "2024-08-13";
/// `cal-api-version` of the event-types controller.
pub const EVENT_TYPES_VERSION: &str = "2024-06-14";

/// The full router.
pub fn router(sim: Arc<Sim>) -> Router {
    let v2 = Router::new()
        .route("/v2/slots", get(slots::available))
        .route("/v2/slots/reservations", post(slots::reserve))
        .route("/v2/slots/reservations/{uid}", delete(slots::release))
        .route("/v2/bookings", post(bookings::create).get(bookings::list))
        .route("/v2/bookings/{uid}", get(bookings::one))
        .route("/v2/bookings/{uid}/cancel", post(bookings::cancel))
        .route("/v2/bookings/{uid}/reschedule", post(bookings::reschedule))
        .route("/v2/event-types", get(event_types::list))
        .route("/v2/event-types/{id}", get(event_types::one))
        .route("/v2/me", get(me::me))
        .route("/v2/webhooks", post(subscriptions::create).get(subscriptions::list))
        .route("/v2/webhooks/{id}", get(subscriptions::one).patch(subscriptions::update).delete(subscriptions::remove))
        .route_layer(axum::middleware::from_fn_with_state(sim.clone(), simulate));
    let control = Router::new()
        .route("/_calsim/stats", get(control::stats))
        .route("/_calsim/reset", post(control::reset))
        .route("/_calsim/outage", post(control::outage))
        .route("/_calsim/latency", post(control::latency))
        .route("/_calsim/external-booking", post(control::external_booking));
    v2.merge(control).fallback(not_found).with_state(sim)
}

async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, format!("Cannot {}", uri.path()), uri.path())
}

/// Refuses a request without the controller's `cal-api-version`.
pub fn require_version(headers: &HeaderMap, expected: &str, path: &str) -> Result<(), ApiError> {
    match headers.get("cal-api-version").and_then(|v| v.to_str().ok()) {
        Some(version) if version == expected => Ok(()),
        Some(other) => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("cal-api-version {other} is not supported by this endpoint; use {expected}"),
            path,
        )),
        None => {
            Err(ApiError::new(StatusCode::BAD_REQUEST, format!("Missing cal-api-version header; use {expected}"), path))
        }
    }
}

/// Checks the bearer key: required endpoints refuse a missing one; any presented key must be valid.
pub fn check_key(sim: &Sim, headers: &HeaderMap, required: bool, path: &str) -> Result<(), ApiError> {
    match bearer(headers) {
        Some(key) if sim.fixture.accepts_key(&key) => Ok(()),
        Some(_) => Err(ApiError::new(StatusCode::UNAUTHORIZED, "ApiAuthGuard - Invalid API Key", path)),
        None if required => {
            Err(ApiError::new(StatusCode::UNAUTHORIZED, "ApiAuthGuard - No Authorization header provided", path))
        }
        None => Ok(()),
    }
}

/// The key of a request that must carry an accepted one (refused as [`check_key`] refuses).
pub fn require_key(sim: &Sim, headers: &HeaderMap, path: &str) -> Result<String, ApiError> {
    check_key(sim, headers, true, path)?;
    Ok(bearer(headers).unwrap_or_default())
}

/// An instant from ISO 8601 text; a bare date is the start (or end) of that day in `tz`.
pub fn parse_instant(text: &str, tz: Tz, end_of_day: bool) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    let local = if end_of_day { date.succ_opt()? } else { date }.and_hms_opt(0, 0, 0)?;
    Some(tz.from_local_datetime(&local).earliest()?.with_timezone(&Utc))
}
