//! Webhooks as Cal.com sends them: JSON body signed with `X-Cal-Signature-256` (lowercase hex
//! HMAC-SHA256 of the raw body with the subscriber's secret) — to the subscriber given at start
//! and to those registered through `POST /v2/webhooks`.

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

/// Where an event goes: the subscriber given at start, and every active registered webhook
/// that wants `trigger` and whose user sees the booking's event type.
fn targets(sim: &Sim, trigger: &str, booking: &Booking) -> Vec<(String, Option<String>)> {
    let owner = sim
        .fixture
        .event_types
        .get(&booking.event_type_id)
        .and_then(|e| e.owner_key.as_deref())
        .map(|key| sim.fixture.user_id(key));
    let registered = sim
        .subscriptions
        .list()
        .into_iter()
        .filter(|s| s.active && s.triggers.iter().any(|t| t == trigger) && owner.is_none_or(|user| user == s.user_id))
        .map(|s| (s.subscriber_url, s.secret));
    sim.webhook.iter().map(|w| (w.url.clone(), w.secret.clone())).chain(registered).collect()
}

/// Sends a booking event in the background to every subscriber, each signed with its own secret.
pub fn send(sim: &Arc<Sim>, trigger: &'static str, booking: &Booking, previous: Option<&Booking>) {
    let targets = targets(sim, trigger, booking);
    if targets.is_empty() {
        return;
    }
    let Ok(body) = serde_json::to_vec(&body(trigger, booking, sim, previous)) else { return };
    for (url, secret) in targets {
        let signature = signature(&body, secret.as_deref());
        let (http, body) = (sim.http.clone(), body.clone());
        tokio::spawn(async move {
            let result = http
                .post(&url)
                .header("content-type", "application/json")
                .header("x-cal-signature-256", signature)
                .body(body)
                .send()
                .await;
            match result {
                Err(error) => eprintln!("calsim: webhook to {url} failed: {error}"),
                Ok(answer) if !answer.status().is_success() => eprintln!("calsim: webhook to {url} answered {}", answer.status()),
                Ok(_) => {}
            }
        });
    }
}
