use super::{check_key, require_key, require_version, EVENT_TYPES_VERSION};
use crate::envelope::{success, ApiError};
use crate::fixture::EventType;
use crate::state::Sim;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{json, Value};
use std::sync::Arc;

/// The `EventTypeOutput_2024_06_14` of an event type.
fn output(sim: &Sim, event_type: &EventType) -> Value {
    json!({
        "id": event_type.id,
        "lengthInMinutes": event_type.length_minutes,
        "title": event_type.title,
        "slug": event_type.slug,
        "description": "",
        // Empty: upstream's location `oneOf` cannot tell its variants apart (see the contract test).
        "locations": [],
        "bookingFields": [],
        "disableGuests": true,
        "slotInterval": event_type.slot_interval_minutes,
        "minimumBookingNotice": event_type.minimum_notice_minutes,
        "beforeEventBuffer": 0,
        "afterEventBuffer": 0,
        "recurrence": null,
        "metadata": {},
        "price": 0,
        "currency": "eur",
        "lockTimeZoneToggleOnBookingPage": false,
        "forwardParamsSuccessRedirect": null,
        "successRedirectUrl": null,
        "isInstantEvent": false,
        "scheduleId": event_type.id,
        "ownerId": event_type.owner_key.as_deref().map_or(1, |key| sim.fixture.user_id(key)),
        "users": []
    })
}

/// `GET /v2/event-types` (GetEventTypesOutput_2024_06_14): the event types of the key's user.
pub async fn list(State(sim): State<Arc<Sim>>, headers: HeaderMap) -> Result<Response, ApiError> {
    const PATH: &str = "/v2/event-types";
    require_version(&headers, EVENT_TYPES_VERSION, PATH)?;
    let key = require_key(&sim, &headers, PATH)?;
    let event_types: Vec<Value> = sim.fixture.event_types_of(&key).map(|e| output(&sim, e)).collect();
    Ok(success(StatusCode::OK, Value::Array(event_types)))
}

/// `GET /v2/event-types/{id}` (EventTypeOutput_2024_06_14).
pub async fn one(
    State(sim): State<Arc<Sim>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let path = format!("/v2/event-types/{id}");
    require_version(&headers, EVENT_TYPES_VERSION, &path)?;
    check_key(&sim, &headers, true, &path)?;
    let event_type = id
        .parse::<i64>()
        .ok()
        .and_then(|id| sim.fixture.event_types.get(&id))
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, format!("Event type with id={id} not found"), &path))?;
    Ok(success(StatusCode::OK, output(&sim, event_type)))
}
