use super::{check_key, require_version, BOOKINGS_VERSION};
use crate::envelope::{success, ApiError};
use crate::schedule::within_schedule;
use crate::state::{new_uid, Attendee, Booking, Sim};
use crate::webhooks;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::sync::Arc;

/// Cal.com's answer when the host is not free at the requested time.
pub const NOT_AVAILABLE: &str = "User either already has booking at this time or is not available";

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttendeeInput {
    name: String,
    time_zone: String,
    email: Option<String>,
    phone_number: Option<String>,
    language: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateBody {
    start: String,
    event_type_id: i64,
    attendee: AttendeeInput,
    length_in_minutes: Option<i64>,
    #[serde(default)]
    metadata: Map<String, Value>,
}

fn instant(text: &str, field: &str, path: &str) -> Result<DateTime<Utc>, ApiError> {
    DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&Utc)).map_err(|_| {
        ApiError::new(StatusCode::BAD_REQUEST, format!("{field} must be a valid ISO 8601 date-time"), path)
    })
}

fn validate_metadata(metadata: &Map<String, Value>, path: &str) -> Result<(), ApiError> {
    let bad = |m: &str| Err(ApiError::new(StatusCode::BAD_REQUEST, format!("metadata: {m}"), path));
    if metadata.len() > 50 {
        return bad("at most 50 keys");
    }
    for (key, value) in metadata {
        if key.chars().count() > 40 {
            return bad("keys are at most 40 characters");
        }
        match value {
            Value::String(s) if s.chars().count() > 500 => return bad("string values are at most 500 characters"),
            Value::String(_) | Value::Number(_) | Value::Bool(_) => {}
            _ => return bad("values must be strings, numbers or booleans"),
        }
    }
    Ok(())
}

/// What a new booking is made of.
pub struct BookingRequest {
    /// Event type.
    pub event_type_id: i64,
    /// Start.
    pub start: DateTime<Utc>,
    /// Length, when not the event type's.
    pub length: Option<i64>,
    /// Who booked.
    pub attendee: Attendee,
    /// Caller metadata.
    pub metadata: Map<String, Value>,
    /// The booking this one replaces.
    pub rescheduled_from_uid: Option<String>,
}

/// Creates and stores a booking if the host is free then.
pub fn book(sim: &Sim, request: BookingRequest, path: &str) -> Result<Booking, ApiError> {
    let BookingRequest { event_type_id, start, length, attendee, metadata, rescheduled_from_uid } = request;
    let event_type = sim.fixture.event_types.get(&event_type_id).ok_or_else(|| {
        ApiError::new(StatusCode::NOT_FOUND, format!("Event type with id={event_type_id} not found"), path)
    })?;
    let length = length.unwrap_or(event_type.length_minutes);
    let now = sim.now();
    let notice_ok = start >= now + Duration::minutes(event_type.minimum_notice_minutes);
    if !notice_ok || !within_schedule(event_type, start, length) {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, NOT_AVAILABLE, path));
    }
    let booking = Booking {
        id: 0,
        uid: new_uid(),
        event_type_id,
        start,
        end: Sim::end_of(start, length),
        status: "accepted",
        attendees: vec![attendee],
        metadata,
        cancellation_reason: None,
        rescheduling_reason: None,
        rescheduled_from_uid,
        created_at: now,
    };
    sim.insert_booking_if_free(booking).ok_or_else(|| ApiError::new(StatusCode::BAD_REQUEST, NOT_AVAILABLE, path))
}

fn output(sim: &Sim, booking: &Booking) -> Value {
    match sim.fixture.event_types.get(&booking.event_type_id) {
        Some(event_type) => booking.to_output(event_type),
        None => json!({"uid": booking.uid}),
    }
}

/// `POST /v2/bookings`.
pub async fn create(
    State(sim): State<Arc<Sim>>,
    headers: HeaderMap,
    body: Result<Json<CreateBody>, JsonRejection>,
) -> Result<Response, ApiError> {
    const PATH: &str = "/v2/bookings";
    require_version(&headers, BOOKINGS_VERSION, PATH)?;
    check_key(&sim, &headers, false, PATH)?;
    let Json(body) = body.map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.body_text(), PATH))?;
    validate_metadata(&body.metadata, PATH)?;
    let start = instant(&body.start, "start", PATH)?;
    let attendee = Attendee {
        email: body
            .attendee
            .email
            .unwrap_or_else(|| format!("{}@calsim.local", body.attendee.name.to_lowercase().replace(' ', "."))),
        name: body.attendee.name,
        time_zone: body.attendee.time_zone,
        phone_number: body.attendee.phone_number,
        language: body.attendee.language.unwrap_or_else(|| "en".into()),
    };
    let request = BookingRequest {
        event_type_id: body.event_type_id,
        start,
        length: body.length_in_minutes,
        attendee,
        metadata: body.metadata,
        rescheduled_from_uid: None,
    };
    let booking = book(&sim, request, PATH)?;
    webhooks::send(&sim, "BOOKING_CREATED", &booking, None);
    Ok(success(StatusCode::CREATED, output(&sim, &booking)))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListQuery {
    status: Option<String>,
    attendee_email: Option<String>,
    attendee_name: Option<String>,
    event_type_id: Option<String>,
    event_type_ids: Option<String>,
    after_start: Option<String>,
    before_end: Option<String>,
    take: Option<usize>,
    skip: Option<usize>,
}

/// `GET /v2/bookings` with Cal.com's filters.
pub async fn list(
    State(sim): State<Arc<Sim>>,
    headers: HeaderMap,
    Query(query): Query<ListQuery>,
) -> Result<Response, ApiError> {
    const PATH: &str = "/v2/bookings";
    require_version(&headers, BOOKINGS_VERSION, PATH)?;
    check_key(&sim, &headers, true, PATH)?;
    let ids: Vec<i64> = query
        .event_type_id
        .iter()
        .chain(query.event_type_ids.iter())
        .flat_map(|v| v.split(','))
        .filter_map(|v| v.trim().parse().ok())
        .collect();
    let after = query.after_start.as_deref().map(|t| instant(t, "afterStart", PATH)).transpose()?;
    let before = query.before_end.as_deref().map(|t| instant(t, "beforeEnd", PATH)).transpose()?;
    let statuses: Vec<String> = query.status.iter().flat_map(|s| s.split(',')).map(|s| s.trim().to_string()).collect();
    let now = sim.now();
    let mut found = sim.bookings(|b| {
        (ids.is_empty() || ids.contains(&b.event_type_id))
            && after.is_none_or(|a| b.start >= a)
            && before.is_none_or(|e| b.end <= e)
            && query
                .attendee_name
                .as_deref()
                .is_none_or(|n| b.attendees.iter().any(|a| a.name.to_lowercase().contains(&n.to_lowercase())))
            && query
                .attendee_email
                .as_deref()
                .is_none_or(|e| b.attendees.iter().any(|a| a.email.eq_ignore_ascii_case(e)))
            && (statuses.is_empty()
                || statuses.iter().any(|s| match s.as_str() {
                    "upcoming" => b.status == "accepted" && b.end >= now,
                    "past" => b.status != "cancelled" && b.end < now,
                    "cancelled" => b.status == "cancelled",
                    _ => false,
                }))
    });
    found.sort_by_key(|b| b.start);
    let page: Vec<Value> = found
        .iter()
        .skip(query.skip.unwrap_or(0))
        .take(query.take.unwrap_or(100).min(250))
        .map(|b| output(&sim, b))
        .collect();
    Ok(success(StatusCode::OK, Value::Array(page)))
}

/// `GET /v2/bookings/{uid}`.
pub async fn one(
    State(sim): State<Arc<Sim>>,
    headers: HeaderMap,
    Path(uid): Path<String>,
) -> Result<Response, ApiError> {
    let path = format!("/v2/bookings/{uid}");
    require_version(&headers, BOOKINGS_VERSION, &path)?;
    check_key(&sim, &headers, false, &path)?;
    let booking = sim
        .booking(&uid)
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, format!("Booking with uid={uid} not found"), &path))?;
    Ok(success(StatusCode::OK, output(&sim, &booking)))
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct CancelBody {
    cancellation_reason: Option<String>,
}

/// `POST /v2/bookings/{uid}/cancel`.
pub async fn cancel(
    State(sim): State<Arc<Sim>>,
    headers: HeaderMap,
    Path(uid): Path<String>,
    body: Option<Json<CancelBody>>,
) -> Result<Response, ApiError> {
    let path = format!("/v2/bookings/{uid}/cancel");
    require_version(&headers, BOOKINGS_VERSION, &path)?;
    check_key(&sim, &headers, false, &path)?;
    let reason = body.and_then(|Json(b)| b.cancellation_reason);
    let existing = sim
        .booking(&uid)
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, format!("Booking with uid={uid} not found"), &path))?;
    if existing.status == "cancelled" {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, "This booking has already been cancelled.", &path));
    }
    let booking = sim
        .update_booking(&uid, |b| {
            b.status = "cancelled";
            b.cancellation_reason = reason;
        })
        .expect("booking exists");
    webhooks::send(&sim, "BOOKING_CANCELLED", &booking, None);
    Ok(success(StatusCode::OK, output(&sim, &booking)))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RescheduleBody {
    start: String,
    rescheduling_reason: Option<String>,
}

/// `POST /v2/bookings/{uid}/reschedule`: a new booking; the old one is cancelled.
pub async fn reschedule(
    State(sim): State<Arc<Sim>>,
    headers: HeaderMap,
    Path(uid): Path<String>,
    body: Result<Json<RescheduleBody>, JsonRejection>,
) -> Result<Response, ApiError> {
    let path = format!("/v2/bookings/{uid}/reschedule");
    require_version(&headers, BOOKINGS_VERSION, &path)?;
    check_key(&sim, &headers, false, &path)?;
    let Json(body) = body.map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.body_text(), &path))?;
    let start = instant(&body.start, "start", &path)?;
    let old = sim
        .booking(&uid)
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, format!("Booking with uid={uid} not found"), &path))?;
    if old.status == "cancelled" {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, "Cannot reschedule a cancelled booking", &path));
    }
    // The old booking frees its time first, so a booking may move by less than its length.
    sim.update_booking(&uid, |b| b.status = "cancelled");
    let length = (old.end - old.start).num_minutes();
    let request = BookingRequest {
        event_type_id: old.event_type_id,
        start,
        length: Some(length),
        attendee: old.attendees[0].clone(),
        metadata: old.metadata.clone(),
        rescheduled_from_uid: Some(old.uid.clone()),
    };
    let new = match book(&sim, request, &path) {
        Ok(new) => new,
        Err(error) => {
            sim.update_booking(&uid, |b| b.status = "accepted");
            return Err(error);
        }
    };
    let reason = body.rescheduling_reason;
    let old = sim
        .update_booking(&uid, |b| {
            b.rescheduling_reason = reason.clone();
        })
        .expect("booking exists");
    let new = sim.update_booking(&new.uid, |b| b.rescheduling_reason = reason).expect("just created");
    webhooks::send(&sim, "BOOKING_RESCHEDULED", &new, Some(&old));
    Ok(success(StatusCode::CREATED, output(&sim, &new)))
}
