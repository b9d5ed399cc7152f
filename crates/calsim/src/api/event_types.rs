use super::{check_key, require_version, EVENT_TYPES_VERSION};
use crate::envelope::{success, ApiError};
use crate::state::Sim;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::json;
use std::sync::Arc;

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
    Ok(success(
        StatusCode::OK,
        json!({
            "id": event_type.id,
            "lengthInMinutes": event_type.length_minutes,
            "title": event_type.slug.replace('-', " "),
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
            "ownerId": 1,
            "users": []
        }),
    ))
}
