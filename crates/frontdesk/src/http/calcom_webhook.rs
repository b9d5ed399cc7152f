//! `POST /calcom/webhook`: Cal.com booking events, signed with `X-Cal-Signature-256`, update the
//! availability windows of their event type within milliseconds.

use super::{ApiError, AppState};
use crate::calendar::calcom::wire::MetadataValue;
use crate::store::AppointmentStatus;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde::Deserialize;
use serde_json::{json, Value};
use sha2::Sha256;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Webhook {
    trigger_event: String,
    payload: BookingPayload,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct BookingPayload {
    uid: Option<String>,
    event_type_id: Option<i64>,
    start_time: Option<DateTime<Utc>>,
    end_time: Option<DateTime<Utc>>,
    #[serde(default)]
    metadata: std::collections::BTreeMap<String, MetadataValue>,
}

/// Whether `signature` is the hex HMAC-SHA256 of `body` under `secret` (constant-time).
fn signed(body: &[u8], secret: &str, signature: &str) -> bool {
    let Ok(digest) = hex::decode(signature.trim()) else { return false };
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(body);
    mac.verify_slice(&digest).is_ok()
}

/// A booking frontdesk made (its id is in the metadata) confirms or corrects the local row, when
/// the webhook's event type and booking uid are that appointment's own.
async fn confirm_our_booking(state: &AppState, webhook: &Webhook, event_type: i64) {
    let Some(MetadataValue::Text(id)) = webhook.payload.metadata.get(crate::calendar::calcom::APPOINTMENT_ID) else {
        return;
    };
    let Ok(id) = id.parse::<i64>() else { return };
    let status = match webhook.trigger_event.as_str() {
        "BOOKING_CREATED" => AppointmentStatus::Booked,
        "BOOKING_CANCELLED" | "BOOKING_REJECTED" => AppointmentStatus::Cancelled,
        _ => return,
    };
    let uid = webhook.payload.uid.as_deref();
    match state.backends().store.confirm_from_calcom(id, status, event_type, uid).await {
        Ok(true) => {}
        Ok(false) => {
            tracing::warn!(
                appointment = id,
                event_type,
                "webhook names an appointment of another event type or booking; ignored"
            )
        }
        Err(error) => tracing::error!(%error, appointment = id, "webhook could not update the appointment"),
    }
}

/// Verifies, then applies a booking event to the windows of its event type.
pub async fn calcom_webhook(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let secret = state.calcom_webhook_secret().ok_or_else(|| {
        ApiError::Unauthorized("Cal.com webhooks are not configured (FRONTDESK_CALCOM_WEBHOOK_SECRET)".into())
    })?;
    let signature = headers.get("x-cal-signature-256").and_then(|v| v.to_str().ok()).unwrap_or("");
    if !signed(&body, secret.expose(), signature) {
        return Err(ApiError::Unauthorized("X-Cal-Signature-256 does not match the body".into()));
    }
    let webhook: Webhook =
        serde_json::from_slice(&body).map_err(|e| ApiError::BadRequest(format!("not a Cal.com webhook: {e}")))?;
    let Some(event_type) = webhook.payload.event_type_id else {
        return Ok(Json(json!({"status": "ignored", "reason": "no eventTypeId"})));
    };
    let taken = webhook.payload.start_time.zip(webhook.payload.end_time);
    let availability = &state.backends().availability;
    let ours = webhook.payload.metadata.contains_key(crate::calendar::calcom::APPOINTMENT_ID);
    match (webhook.trigger_event.as_str(), taken) {
        // Our own booking: the windows were patched when we booked; a refetch would cost one
        // Cal.com request per booking for nothing.
        ("BOOKING_CREATED", Some((start, end))) if ours => {
            availability.calcom_own_booking_confirmed(event_type, start, end)
        }
        // Time taken elsewhere: removed at once, then refreshed.
        ("BOOKING_CREATED" | "BOOKING_REQUESTED" | "BOOKING_RESCHEDULED", _) => {
            availability.calcom_event_changed(event_type, taken)
        }
        // Time possibly freed: refreshed (it reappears once Cal.com confirms it).
        ("BOOKING_CANCELLED" | "BOOKING_REJECTED", _) => availability.calcom_event_changed(event_type, None),
        (other, _) => return Ok(Json(json!({"status": "ignored", "trigger": other}))),
    }
    confirm_our_booking(&state, &webhook, event_type).await;
    tracing::info!(trigger = %webhook.trigger_event, event_type, "Cal.com webhook applied");
    Ok(Json(json!({"status": "ok"})))
}
