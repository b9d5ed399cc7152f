//! Cal.com's booking webhooks (DESIGN §3): the signature check and the event parsed once into
//! types, so that nothing past the HTTP edge reads the JSON.

use super::wire::MetadataValue;
use super::APPOINTMENT_ID;
use crate::domain::AppointmentId;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;

/// What happened to a booking, as Cal.com's `triggerEvent` says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trigger {
    /// `BOOKING_CREATED`.
    Created,
    /// `BOOKING_REQUESTED` (awaits the host's confirmation, but holds the time).
    Requested,
    /// `BOOKING_RESCHEDULED` (the payload is the new booking, `rescheduleUid` the old one).
    Rescheduled,
    /// `BOOKING_CANCELLED`.
    Cancelled,
    /// `BOOKING_REJECTED`.
    Rejected,
    /// Any other trigger (meetings, payments …): not about free time.
    Other(String),
}

impl Trigger {
    fn parse(text: &str) -> Self {
        match text {
            "BOOKING_CREATED" => Self::Created,
            "BOOKING_REQUESTED" => Self::Requested,
            "BOOKING_RESCHEDULED" => Self::Rescheduled,
            "BOOKING_CANCELLED" => Self::Cancelled,
            "BOOKING_REJECTED" => Self::Rejected,
            other => Self::Other(other.to_string()),
        }
    }

    /// Cal.com's name for it, for logs and answers.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Created => "BOOKING_CREATED",
            Self::Requested => "BOOKING_REQUESTED",
            Self::Rescheduled => "BOOKING_RESCHEDULED",
            Self::Cancelled => "BOOKING_CANCELLED",
            Self::Rejected => "BOOKING_REJECTED",
            Self::Other(other) => other,
        }
    }
}

/// The first attendee of a booking, as far as frontdesk keeps it.
#[derive(Debug, Clone, Default)]
pub struct WebhookAttendee {
    /// The name as typed into Cal.com (unbounded here; bounded where it is stored).
    pub name: Option<String>,
    /// The number as typed into Cal.com (parsed where it is used).
    pub phone_number: Option<String>,
}

/// One booking event, parsed.
#[derive(Debug, Clone)]
pub struct BookingEvent {
    /// What happened.
    pub trigger: Trigger,
    /// The booking's uid.
    pub uid: Option<String>,
    /// Its event type (the service, or a staff member's own type).
    pub event_type_id: Option<i64>,
    /// Start and end, when the payload carries both.
    pub time: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// The appointment id frontdesk put into the metadata: `Some` for a booking frontdesk made
    /// (`Some(None)` when the id is not a number), `None` for one made in Cal.com itself.
    pub ours: Option<Option<AppointmentId>>,
    /// The first attendee.
    pub attendee: WebhookAttendee,
    /// The booking a reschedule replaced.
    pub reschedule_uid: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Raw {
    trigger_event: String,
    payload: RawPayload,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawPayload {
    uid: Option<String>,
    event_type_id: Option<i64>,
    start_time: Option<DateTime<Utc>>,
    end_time: Option<DateTime<Utc>>,
    #[serde(default)]
    metadata: std::collections::BTreeMap<String, MetadataValue>,
    #[serde(default)]
    attendees: Vec<RawAttendee>,
    reschedule_uid: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawAttendee {
    name: Option<String>,
    phone_number: Option<String>,
}

impl BookingEvent {
    /// Parses a webhook body; the error says what is wrong with it.
    pub fn parse(body: &[u8]) -> Result<Self, String> {
        let raw: Raw = serde_json::from_slice(body).map_err(|e| e.to_string())?;
        let payload = raw.payload;
        let ours = payload.metadata.get(APPOINTMENT_ID).map(|value| match value {
            MetadataValue::Text(id) => id.parse::<i64>().ok().map(AppointmentId),
            _ => None,
        });
        let attendee = payload
            .attendees
            .into_iter()
            .next()
            .map(|a| WebhookAttendee { name: a.name, phone_number: a.phone_number })
            .unwrap_or_default();
        Ok(Self {
            trigger: Trigger::parse(&raw.trigger_event),
            uid: payload.uid,
            event_type_id: payload.event_type_id,
            time: payload.start_time.zip(payload.end_time),
            ours,
            attendee,
            reschedule_uid: payload.reschedule_uid,
        })
    }
}

/// Whether `signature` is the hex HMAC-SHA256 of `body` under `secret` (constant-time), as
/// Cal.com signs `X-Cal-Signature-256`.
pub fn signed(body: &[u8], secret: &str, signature: &str) -> bool {
    let Ok(digest) = hex::decode(signature.trim()) else { return false };
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(body);
    mac.verify_slice(&digest).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_is_parsed_once_into_types() {
        let body = br#"{"triggerEvent":"BOOKING_RESCHEDULED","createdAt":"2026-11-30T07:00:00.000Z","payload":{
            "uid":"new","eventTypeId":1001,"startTime":"2026-12-01T09:00:00.000Z","endTime":"2026-12-01T09:30:00.000Z",
            "rescheduleUid":"old","metadata":{"frontdesk_appointment_id":"42"},
            "attendees":[{"name":"Anna","phoneNumber":"+4917612345678"},{"name":"Ben"}]}}"#;
        let event = BookingEvent::parse(body).unwrap();
        assert_eq!(event.trigger, Trigger::Rescheduled);
        assert_eq!((event.uid.as_deref(), event.event_type_id, event.ours), (Some("new"), Some(1001), Some(Some(AppointmentId(42)))));
        assert_eq!(event.reschedule_uid.as_deref(), Some("old"));
        assert_eq!(event.attendee.name.as_deref(), Some("Anna"));
        assert!(event.time.is_some_and(|(start, end)| end - start == chrono::Duration::minutes(30)));
        let outside = BookingEvent::parse(br#"{"triggerEvent":"MEETING_ENDED","payload":{"metadata":{"frontdesk_appointment_id":7}}}"#).unwrap();
        assert_eq!((outside.trigger.as_str(), outside.ours, outside.time), ("MEETING_ENDED", Some(None), None));
        assert!(BookingEvent::parse(br#"{"payload":{}}"#).unwrap_err().contains("triggerEvent"));
    }

    #[test]
    fn only_the_right_secret_signs() {
        let mut mac = Hmac::<Sha256>::new_from_slice(b"whsec").unwrap();
        mac.update(b"{}");
        let signature = hex::encode(mac.finalize().into_bytes());
        assert!(signed(b"{}", "whsec", &signature));
        assert!(!signed(b"{}", "other", &signature));
        assert!(!signed(b"{ }", "whsec", &signature));
        assert!(!signed(b"{}", "whsec", "not hex"));
    }
}
