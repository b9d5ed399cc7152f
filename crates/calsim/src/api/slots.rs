use super::{check_key, parse_instant, require_version, SLOTS_VERSION};
use crate::envelope::{success, ApiError};
use crate::schedule::{free_starts, within_schedule};
use crate::state::{Reservation, Sim};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use chrono_tz::Tz;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::Arc;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SlotsQuery {
    event_type_id: Option<String>,
    start: Option<String>,
    end: Option<String>,
    time_zone: Option<String>,
    format: Option<String>,
    duration: Option<String>,
}

const PATH: &str = "/v2/slots";

fn bad(message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, message, PATH)
}

/// `GET /v2/slots`: free starts grouped by day in the requested zone.
pub async fn available(
    State(sim): State<Arc<Sim>>,
    headers: HeaderMap,
    Query(query): Query<SlotsQuery>,
) -> Result<Response, ApiError> {
    require_version(&headers, SLOTS_VERSION, PATH)?;
    check_key(&sim, &headers, false, PATH)?;
    let id: i64 = query
        .event_type_id
        .as_deref()
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| bad("eventTypeId must be a number"))?;
    let event_type = sim
        .fixture
        .event_types
        .get(&id)
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, format!("Event type with id={id} not found"), PATH))?;
    let tz: Tz = match query.time_zone.as_deref() {
        None => Tz::UTC,
        Some(name) => name.parse().map_err(|_| bad(format!("timeZone {name} is not a valid IANA time zone")))?,
    };
    let start = query
        .start
        .as_deref()
        .and_then(|s| parse_instant(s, tz, false))
        .ok_or_else(|| bad("start must be an ISO 8601 date or date-time"))?;
    let end = query
        .end
        .as_deref()
        .and_then(|s| parse_instant(s, tz, true))
        .ok_or_else(|| bad("end must be an ISO 8601 date or date-time"))?;
    if end <= start {
        return Err(bad("end must be after start"));
    }
    let length = match query.duration.as_deref() {
        None => event_type.length_minutes,
        Some(d) => d.parse().ok().filter(|d: &i64| *d > 0).ok_or_else(|| bad("duration must be a positive number"))?,
    };
    let range = match query.format.as_deref() {
        None | Some("time") => false,
        Some("range") => true,
        Some(other) => return Err(bad(format!("format {other} must be time or range"))),
    };
    let now = sim.now();
    let busy = sim.busy(id, now, None);
    let mut days: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for slot in free_starts(event_type, length, start, end, now, &busy) {
        let local = slot.with_timezone(&tz);
        let mut item = json!({"start": local.to_rfc3339_opts(SecondsFormat::Millis, false)});
        if range {
            item["end"] = json!((local + Duration::minutes(length)).to_rfc3339_opts(SecondsFormat::Millis, false));
        }
        days.entry(local.date_naive().to_string()).or_default().push(item);
    }
    Ok(success(StatusCode::OK, json!(days)))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReserveBody {
    event_type_id: i64,
    slot_start: String,
    slot_duration: Option<i64>,
    reservation_duration: Option<i64>,
}

/// `POST /v2/slots/reservations`: holds a free slot for a few minutes.
pub async fn reserve(
    State(sim): State<Arc<Sim>>,
    headers: HeaderMap,
    body: Result<Json<ReserveBody>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, ApiError> {
    const PATH: &str = "/v2/slots/reservations";
    require_version(&headers, SLOTS_VERSION, PATH)?;
    check_key(&sim, &headers, false, PATH)?;
    let Json(body) = body.map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.body_text(), PATH))?;
    let event_type = sim.fixture.event_types.get(&body.event_type_id).ok_or_else(|| {
        ApiError::new(StatusCode::NOT_FOUND, format!("Event type with id={} not found", body.event_type_id), PATH)
    })?;
    let start: DateTime<Utc> = DateTime::parse_from_rfc3339(&body.slot_start)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, "slotStart must be an ISO 8601 date-time", PATH))?;
    let length = body.slot_duration.unwrap_or(event_type.length_minutes);
    let minutes = body.reservation_duration.unwrap_or(5).clamp(1, 60);
    let now = sim.now();
    if !within_schedule(event_type, start, length) || start < now {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, "The requested slot is not available", PATH));
    }
    let end = Sim::end_of(start, length);
    let until = now + Duration::minutes(minutes);
    let uid = sim.reserve(Reservation { event_type_id: event_type.id, start, end, until }, now).ok_or_else(|| {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "This time slot is already reserved by another user", PATH)
    })?;
    Ok(success(
        StatusCode::CREATED,
        json!({
            "eventTypeId": event_type.id,
            "slotStart": Sim::iso(start),
            "slotEnd": Sim::iso(end),
            "slotDuration": length,
            "reservationUid": uid,
            "reservationDuration": minutes,
            "reservationUntil": Sim::iso(until)
        }),
    ))
}

/// `DELETE /v2/slots/reservations/{uid}`.
pub async fn release(
    State(sim): State<Arc<Sim>>,
    headers: HeaderMap,
    Path(uid): Path<String>,
) -> Result<Response, ApiError> {
    let path = format!("/v2/slots/reservations/{uid}");
    require_version(&headers, SLOTS_VERSION, &path)?;
    if !sim.release(&uid) {
        return Err(ApiError::new(StatusCode::NOT_FOUND, format!("Reservation with uid={uid} not found"), &path));
    }
    Ok(success(StatusCode::OK, Value::Null))
}
