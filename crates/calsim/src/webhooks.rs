//! Webhooks as Cal.com sends them: JSON body signed with `X-Cal-Signature-256` (lowercase hex
//! HMAC-SHA256 of the raw body with the subscriber's secret).

use crate::state::{Booking, Sim};

use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use std::sync::Arc;

/// The `X-Cal-Signature-256` value for a body.
pub fn signature(body: &[u8], secret: Option<&str>) -> String {
    match secret {
        Some(secret) => {
            let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
            mac.update(body);
            hex::encode(mac.finalize().into_bytes())
        }
        None => "no-secret-provided".to_string(),
    }
}

/// The webhook body for a booking event.
pub fn body(trigger: &str, booking: &Booking, sim: &Sim, previous: Option<&Booking>) -> Value {
    let event_type = sim.fixture.event_types.get(&booking.event_type_id);
    let mut payload = json!({
        "uid": booking.uid,
        "bookingId": booking.id,
        "eventTypeId": booking.event_type_id,
        "type": event_type.map(|e| e.slug.clone()).unwrap_or_default(),
        "title": format!("Booking {}", booking.uid),
        "startTime": Sim::iso(booking.start),
        "endTime": Sim::iso(booking.end),
        "status": booking.status.to_uppercase(),
        "attendees": booking.attendees.iter().map(|a| json!({
            "name": a.name, "email": a.email, "timeZone": a.time_zone, "phoneNumber": a.phone_number,
            "language": {"locale": a.language}
        })).collect::<Vec<_>>(),
        "organizer": {"name": "Host", "email": "host@calsim.local", "timeZone": event_type.map(|e| e.time_zone.name()).unwrap_or("UTC")},
        "metadata": booking.metadata,
    });
    if let Some(reason) = &booking.cancellation_reason {
        payload["cancellationReason"] = json!(reason);
    }
    if let Some(previous) = previous {
        payload["rescheduleUid"] = json!(previous.uid);
        payload["rescheduleStartTime"] = json!(Sim::iso(previous.start));
        payload["rescheduleEndTime"] = json!(Sim::iso(previous.end));
    }
    json!({"triggerEvent": trigger, "createdAt": Sim::iso(sim.now()), "payload": payload})
}

/// Sends a webhook in the background, if a subscriber is configured.
pub fn send(sim: &Arc<Sim>, trigger: &'static str, booking: &Booking, previous: Option<&Booking>) {
    let Some(webhook) = sim.webhook.clone() else { return };
    let body = serde_json::to_vec(&body(trigger, booking, sim, previous)).expect("JSON serializes");
    let signature = signature(&body, webhook.secret.as_deref());
    let http = sim.http.clone();
    tokio::spawn(async move {
        let result = http
            .post(&webhook.url)
            .header("content-type", "application/json")
            .header("x-cal-signature-256", signature)
            .body(body)
            .send()
            .await;
        if let Err(error) = result {
            eprintln!("calsim: webhook to {} failed: {error}", webhook.url);
        }
    });
}
