//! Cal.com API v2 request and answer types (the subset frontdesk uses), as typed structs.

use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `{"status": "success", "data": …}` or `{"status": "error", "error": {…}}`.
#[derive(Debug, Deserialize)]
pub struct Envelope<T> {
    /// `success` or `error`.
    pub status: String,
    /// The payload on success.
    pub data: Option<T>,
    /// The problem on error.
    pub error: Option<ErrorBody>,
}

/// Cal.com's error object.
#[derive(Debug, Deserialize, Default)]
pub struct ErrorBody {
    /// Exception class, e.g. `BadRequestException`.
    #[serde(default)]
    pub code: String,
    /// Human-readable message.
    #[serde(default)]
    pub message: String,
}

/// One slot of `GET /v2/slots?format=range`.
#[derive(Debug, Clone, Deserialize)]
pub struct SlotItem {
    /// Start with the requested zone's offset.
    pub start: DateTime<FixedOffset>,
    /// End (range format).
    #[serde(default)]
    pub end: Option<DateTime<FixedOffset>>,
}

/// `GET /v2/slots` data: day → slots.
pub type SlotDays = BTreeMap<String, Vec<SlotItem>>;

/// A metadata value: Cal.com allows strings, numbers and booleans.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum MetadataValue {
    /// Text (≤ 500 characters).
    Text(String),
    /// A number.
    Number(f64),
    /// A flag.
    Flag(bool),
}

/// The attendee of a new booking.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AttendeeInput {
    /// Name.
    pub name: String,
    /// IANA zone.
    pub time_zone: String,
    /// E-mail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// E.164 number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// Locale, e.g. `de`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

/// `POST /v2/bookings` body.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewBooking {
    /// Start (UTC).
    pub start: DateTime<Utc>,
    /// Event type.
    pub event_type_id: i64,
    /// Who books.
    pub attendee: AttendeeInput,
    /// Length, for multi-duration event types.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub length_in_minutes: Option<u32>,
    /// frontdesk's references (appointment id, call id).
    pub metadata: BTreeMap<String, MetadataValue>,
}

/// An attendee of a stored booking.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attendee {
    /// Name.
    pub name: String,
    /// E-mail.
    #[serde(default)]
    pub email: Option<String>,
    /// Number.
    #[serde(default)]
    pub phone_number: Option<String>,
}

/// A booking (`BookingOutput_2024_08_13`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Booking {
    /// Numeric id.
    pub id: i64,
    /// Public uid.
    pub uid: String,
    /// `accepted`, `pending`, `cancelled`, `rejected`.
    pub status: String,
    /// Start.
    pub start: DateTime<Utc>,
    /// End.
    pub end: DateTime<Utc>,
    /// Event type.
    pub event_type_id: i64,
    /// Metadata given at creation.
    #[serde(default)]
    pub metadata: BTreeMap<String, MetadataValue>,
    /// Attendees.
    #[serde(default)]
    pub attendees: Vec<Attendee>,
    /// The booking a reschedule replaced.
    #[serde(default)]
    pub rescheduled_from_uid: Option<String>,
    /// Why it was cancelled.
    #[serde(default)]
    pub cancellation_reason: Option<String>,
}

/// Filters of `GET /v2/bookings`.
#[derive(Debug, Clone, Default)]
pub struct BookingFilter {
    /// Event type.
    pub event_type_id: Option<i64>,
    /// Bookings starting at or after.
    pub after_start: Option<DateTime<Utc>>,
    /// Bookings ending at or before.
    pub before_end: Option<DateTime<Utc>>,
    /// `upcoming`, `past`, `cancelled`, … (comma-separated).
    pub status: Option<String>,
    /// Part of an attendee's name.
    pub attendee_name: Option<String>,
    /// Page size.
    pub take: Option<u32>,
    /// Offset.
    pub skip: Option<u32>,
}

/// A slot reservation (`POST /v2/slots/reservations`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reservation {
    /// Uid to release it with.
    pub reservation_uid: String,
    /// When the hold lapses.
    pub reservation_until: DateTime<Utc>,
}

/// An event type (`EventTypeOutput_2024_06_14`, the fields frontdesk reads).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventType {
    /// Id.
    pub id: i64,
    /// The name the owner gave it ("Herrenhaarschnitt"): services are matched to it by name.
    #[serde(default)]
    pub title: String,
    /// Length.
    pub length_in_minutes: i64,
    /// Slug.
    pub slug: String,
    /// Minutes between starts (null: the length).
    #[serde(default)]
    pub slot_interval: Option<i64>,
    /// Minimum notice in minutes.
    #[serde(default)]
    pub minimum_booking_notice: Option<i64>,
}

/// The key's user (`GET /v2/me`).
#[derive(Debug, Clone, Deserialize)]
pub struct Me {
    /// User id.
    pub id: i64,
    /// Their e-mail (shown masked to the operator).
    #[serde(default)]
    pub email: String,
}

/// A webhook Cal.com registered.
#[derive(Debug, Clone, Deserialize)]
pub struct CreatedWebhook {
    /// Its id (a number in Cal.com's answers; kept as text).
    #[serde(deserialize_with = "id_as_text")]
    pub id: String,
    /// Where it sends events.
    #[serde(rename = "subscriberUrl", default)]
    pub subscriber_url: String,
}

/// An id that may come as a number or a string.
fn id_as_text<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    match serde_json::Value::deserialize(deserializer)? {
        serde_json::Value::String(text) => Ok(text),
        serde_json::Value::Number(number) => Ok(number.to_string()),
        other => Err(serde::de::Error::custom(format!("webhook id {other}"))),
    }
}
