//! `GET /v2/me`: who an API key belongs to — how a client checks a key before using it.

use super::require_key;
use crate::envelope::{success, ApiError};
use crate::state::Sim;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{json, Value};
use std::sync::Arc;

/// The `MeOutput` of the user behind `key`: its zone is that of its first own event type (else
/// of its first visible one, else Berlin).
pub fn profile(sim: &Sim, key: &str) -> Value {
    let id = sim.fixture.user_id(key);
    let mut visible = sim.fixture.event_types_of(key);
    let first_own = sim.fixture.event_types_of(key).find(|e| e.owner_key.is_some());
    let zone = first_own.or_else(|| visible.next()).map_or("Europe/Berlin", |e| e.time_zone.name());
    json!({
        "id": id,
        "username": format!("calsim-user-{id}"),
        "email": format!("user{id}@calsim.local"),
        "timeFormat": 24,
        "defaultScheduleId": id,
        "weekStart": "Monday",
        "timeZone": zone,
        "organizationId": null
    })
}

/// `GET /v2/me` (GetMeOutput); no `cal-api-version` needed, as upstream documents none.
pub async fn me(State(sim): State<Arc<Sim>>, headers: HeaderMap) -> Result<Response, ApiError> {
    let key = require_key(&sim, &headers, "/v2/me")?;
    Ok(success(StatusCode::OK, profile(&sim, &key)))
}
