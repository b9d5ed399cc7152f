//! The control API tests and benchmarks drive calsim with (contract: DESIGN §3).

use super::bookings::{book, BookingRequest};
use crate::envelope::ApiError;
use crate::state::{Attendee, Sim};
use crate::webhooks;
use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::sync::Arc;

/// `GET /_calsim/stats`: requests by route, by status, and by API key.
pub async fn stats(State(sim): State<Arc<Sim>>) -> Json<Value> {
    let stats = sim.stats();
    let by_key: Map<String, Value> = stats
        .by_key
        .iter()
        .map(|(key, usage)| (key.clone(), json!({"total": usage.total, "max_per_minute": usage.max_per_minute})))
        .collect();
    Json(json!({"requests": stats.requests, "by_status": stats.by_status, "by_key": by_key}))
}

/// `POST /_calsim/reset`.
pub async fn reset(State(sim): State<Arc<Sim>>) -> Json<Value> {
    sim.reset();
    Json(json!({"status": "ok"}))
}

#[derive(Deserialize)]
pub struct OutageBody {
    enabled: bool,
}

/// `POST /_calsim/outage {"enabled": bool}`.
pub async fn outage(
    State(sim): State<Arc<Sim>>,
    body: Result<Json<OutageBody>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    let Json(body) = body.map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.body_text(), "/_calsim/outage"))?;
    sim.set_outage(body.enabled);
    Ok(Json(json!({"status": "ok", "outage": body.enabled})))
}

#[derive(Deserialize)]
pub struct LatencyBody {
    min_ms: u64,
    max_ms: u64,
}

/// `POST /_calsim/latency {"min_ms": 0, "max_ms": 0}`: changes the latency while running.
pub async fn latency(
    State(sim): State<Arc<Sim>>,
    body: Result<Json<LatencyBody>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    let Json(body) = body.map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.body_text(), "/_calsim/latency"))?;
    sim.set_latency(Some((body.min_ms, body.max_ms.max(body.min_ms))));
    Ok(Json(json!({"status": "ok"})))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExternalBody {
    event_type_id: i64,
    start: DateTime<Utc>,
}

/// `POST /_calsim/external-booking`: a booking made elsewhere, announced by webhook.
pub async fn external_booking(
    State(sim): State<Arc<Sim>>,
    body: Result<Json<ExternalBody>, JsonRejection>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    const PATH: &str = "/_calsim/external-booking";
    let Json(body) = body.map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.body_text(), PATH))?;
    let attendee = Attendee {
        name: "Walk-in Booker".into(),
        email: "walk-in@calsim.local".into(),
        time_zone: "Europe/Berlin".into(),
        phone_number: None,
        language: "de".into(),
    };
    let request = BookingRequest {
        event_type_id: body.event_type_id,
        start: body.start,
        length: None,
        attendee,
        metadata: Map::new(),
        rescheduled_from_uid: None,
    };
    let booking = book(&sim, request, PATH)?;
    webhooks::send(&sim, "BOOKING_CREATED", &booking, None);
    let event_type = &sim.fixture.event_types[&booking.event_type_id];
    Ok((StatusCode::CREATED, Json(json!({"status": "success", "data": booking.to_output(event_type)}))))
}
