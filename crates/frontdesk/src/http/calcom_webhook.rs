//! `POST /calcom/webhook` (signed with `FRONTDESK_CALCOM_WEBHOOK_SECRET`) and
//! `POST /calcom/webhook/{company}` (registered by connect, signed with that company's own secret):
//! Cal.com booking events, signed with `X-Cal-Signature-256`, update the availability windows of
//! their event type within milliseconds; the appointment rows follow (`booking::calcom_events`).

use super::ApiError;
use crate::app::AppState;
use crate::calendar::calcom::webhook::{signed, BookingEvent, Trigger};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::Json;
use serde_json::{json, Value};

/// Verifies, then applies a booking event to the windows of its event type and to the rows.
pub async fn calcom_webhook(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let secret = state.calcom_webhook_secret().ok_or_else(|| {
        ApiError::Unauthorized("Cal.com webhooks are not configured (FRONTDESK_CALCOM_WEBHOOK_SECRET)".into())
    })?;
    verify(&headers, &body, secret.expose())?;
    let branches = state.directory().branches().to_vec();
    apply(&state, &body, &branches).await
}

/// The webhook connect registered for one company: its own secret, its own branches.
pub async fn company_webhook(
    State(state): State<AppState>,
    Path(company): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let unknown = || ApiError::Unauthorized("no Cal.com connection for this address".into());
    let company = company.parse::<i64>().map(crate::domain::CompanyId).map_err(|_| unknown())?;
    let branches = state.directory().of_company(company).to_vec();
    let secret = branches.first().and_then(|ctx| ctx.company.calcom_webhook_secret.clone()).ok_or_else(unknown)?;
    verify(&headers, &body, secret.expose())?;
    apply(&state, &body, &branches).await
}

/// Refuses a body whose `X-Cal-Signature-256` is not `secret`'s.
fn verify(headers: &HeaderMap, body: &[u8], secret: &str) -> Result<(), ApiError> {
    let signature = headers.get("x-cal-signature-256").and_then(|v| v.to_str().ok()).unwrap_or("");
    if signed(body, secret, signature) {
        Ok(())
    } else {
        Err(ApiError::Unauthorized("X-Cal-Signature-256 does not match the body".into()))
    }
}

/// Applies a verified event to the windows of its event type and to the rows of `branches`.
async fn apply(
    state: &AppState,
    body: &[u8],
    branches: &[std::sync::Arc<crate::domain::BranchContext>],
) -> Result<Json<Value>, ApiError> {
    let event = BookingEvent::parse(body).map_err(|e| ApiError::BadRequest(format!("not a Cal.com webhook: {e}")))?;
    let Some(event_type) = event.event_type_id else {
        return Ok(Json(json!({"status": "ignored", "reason": "no eventTypeId"})));
    };
    let availability = &state.backends().availability;
    match (&event.trigger, event.time) {
        // Our own booking: the windows were patched when we booked; a refetch would cost one
        // Cal.com request per booking for nothing.
        (Trigger::Created, Some((start, end))) if event.ours.is_some() => {
            availability.calcom_own_booking_confirmed(event_type, start, end)
        }
        // Time taken elsewhere: removed at once, then refreshed.
        (Trigger::Created | Trigger::Requested | Trigger::Rescheduled, taken) => {
            availability.calcom_event_changed(event_type, taken)
        }
        // Time possibly freed: refreshed (it reappears once Cal.com confirms it).
        (Trigger::Cancelled | Trigger::Rejected, _) => availability.calcom_event_changed(event_type, None),
        (Trigger::Other(other), _) => return Ok(Json(json!({"status": "ignored", "trigger": other}))),
    }
    crate::booking::calcom_events::record(&state.backends().store, branches, &event, event_type, state.now())
        .await;
    tracing::info!(trigger = %event.trigger.as_str(), event_type, "Cal.com webhook applied");
    Ok(Json(json!({"status": "ok"})))
}
