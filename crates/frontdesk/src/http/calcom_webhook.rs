//! `POST /calcom/webhook`: Cal.com booking events, signed with `X-Cal-Signature-256`, update the
//! availability windows of their event type within milliseconds.

use super::ApiError;
use crate::app::AppState;
use crate::calendar::calcom::wire::MetadataValue;
use crate::store::{AppointmentSource, AppointmentStatus, NewAppointment};
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
    #[serde(default)]
    attendees: Vec<AttendeePayload>,
    /// The booking a reschedule replaced.
    reschedule_uid: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct AttendeePayload {
    name: Option<String>,
    phone_number: Option<String>,
}

/// Longest attendee name kept from a webhook.
const NAME_CHARS: usize = 100;

/// A booking made, moved or cancelled in Cal.com itself becomes (or stops being) an appointment
/// row with source `calcom`, so the console shows the business's whole day. Webhooks repeat:
/// the booking's uid is the row's idempotency key.
async fn record_outside_booking(state: &AppState, webhook: &Webhook, event_type: i64) {
    let directory = state.directory();
    // Event type ids are Cal.com-wide: one service (or one staff member's own type) owns each.
    let owner = directory.branches().iter().find_map(|ctx| {
        let service = ctx.branch.services.iter().find(|s| s.calcom_event_type_id == Some(event_type));
        match service {
            Some(service) => Some((ctx.clone(), service.id, None)),
            None => ctx.branch.staff.iter().find_map(|person| {
                person
                    .calcom_event_types
                    .iter()
                    .find(|(_, e)| *e == event_type)
                    .map(|(service, _)| (ctx.clone(), *service, Some(person.id)))
            }),
        }
    });
    let Some((tenant, service, staff)) = owner else { return };
    let store = &state.backends().store;
    let payload = &webhook.payload;
    let company = tenant.company.id;
    let cancel = |uid: &str| {
        let uid = uid.to_string();
        async move {
            if let Err(error) = store.cancel_by_external_uid(company, &uid).await {
                tracing::error!(%error, "a booking cancelled in Cal.com could not be cancelled here");
            }
        }
    };
    match webhook.trigger_event.as_str() {
        "BOOKING_CANCELLED" | "BOOKING_REJECTED" => {
            if let Some(uid) = &payload.uid {
                cancel(uid).await;
            }
            return;
        }
        "BOOKING_RESCHEDULED" => {
            if let Some(previous) = &payload.reschedule_uid {
                cancel(previous).await;
            }
        }
        "BOOKING_CREATED" => {}
        _ => return,
    }
    let (Some(uid), Some(start), Some(end)) = (&payload.uid, payload.start_time, payload.end_time) else { return };
    let attendee = payload.attendees.first();
    let name = attendee
        .and_then(|a| a.name.as_deref())
        .map(|n| n.trim().chars().filter(|c| !c.is_control()).take(NAME_CHARS).collect::<String>())
        .filter(|n| !n.is_empty());
    let phone =
        attendee.and_then(|a| a.phone_number.as_deref()).and_then(|n| crate::domain::PhoneNumber::parse(n).ok());
    let customer = match &phone {
        Some(number) => store.upsert_customer(company, number, name.as_deref(), None).await.ok().map(|c| c.id),
        None => None,
    };
    let new = NewAppointment {
        idempotency_key: format!("calcom:{uid}"),
        company_id: company,
        branch_id: tenant.branch.id,
        customer_id: customer,
        service_id: service.0,
        staff_id: staff.map(|s| s.0),
        call_id: None,
        starts_at: start,
        ends_at: end,
        status: AppointmentStatus::Booked,
        // Without a number there is no customer row: the name is kept with the appointment.
        notes: if customer.is_none() { name } else { None },
        source: AppointmentSource::Calcom,
        created_at: state.now(),
    };
    match store.insert_appointment(&new).await {
        Ok(id) => {
            if let Err(error) = store.set_appointment_status(id, AppointmentStatus::Booked, Some(uid)).await {
                tracing::error!(%error, "the Cal.com booking uid could not be recorded");
            }
        }
        // The same webhook again, or a slot a row of ours already holds: nothing to add.
        Err(error) if error.is_unique_violation() => {}
        Err(error) => tracing::error!(%error, "a booking made in Cal.com could not be recorded"),
    }
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
    if ours {
        confirm_our_booking(&state, &webhook, event_type).await;
    } else {
        record_outside_booking(&state, &webhook, event_type).await;
    }
    tracing::info!(trigger = %webhook.trigger_event, event_type, "Cal.com webhook applied");
    Ok(Json(json!({"status": "ok"})))
}
