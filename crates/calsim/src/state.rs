//! The simulator's state: bookings, reservations, request statistics, the outage switch and
//! per-key rate-limit windows, behind one mutex (calsim is a test double, not a database).

use crate::fixture::{EventType, Fixture};
use crate::schedule::Busy;
use crate::subscriptions::Subscriptions;
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

/// The simulator's source of "now": the real clock by default, or one a test hands in so that
/// calsim and the app under test agree on what "tomorrow" is.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// The real clock.
pub fn system_clock() -> Clock {
    Arc::new(Utc::now)
}

/// A clock that starts at `start` and runs on with real time (`calsim --now`).
pub fn running_from(start: DateTime<Utc>) -> Clock {
    let offset = start - Utc::now();
    Arc::new(move || Utc::now() + offset)
}

/// Fault injection settings.
#[derive(Debug, Clone)]
pub struct Faults {
    /// Uniform latency range in ms.
    pub latency_ms: (u64, u64),
    /// Occasional long latency range in ms, and how often.
    pub tail_ms: Option<((u64, u64), f64)>,
    /// Share of /v2 requests answered 500.
    pub fail_rate: f64,
    /// Requests per minute per key before 429.
    pub rate_limit: Option<u32>,
}

impl Default for Faults {
    fn default() -> Self {
        Self { latency_ms: (300, 800), tail_ms: None, fail_rate: 0.0, rate_limit: None }
    }
}

/// Where webhooks go.
#[derive(Debug, Clone)]
pub struct Webhook {
    /// Subscriber URL.
    pub url: String,
    /// HMAC secret; `None` sends the literal `no-secret-provided`.
    pub secret: Option<String>,
}

/// A person on a booking.
#[derive(Debug, Clone)]
pub struct Attendee {
    /// Name.
    pub name: String,
    /// E-mail (Cal.com invents one when absent).
    pub email: String,
    /// Attendee's zone.
    pub time_zone: String,
    /// E.164 number.
    pub phone_number: Option<String>,
    /// Locale.
    pub language: String,
}

/// A booking as Cal.com keeps it.
#[derive(Debug, Clone)]
pub struct Booking {
    /// Numeric id.
    pub id: u64,
    /// Public uid.
    pub uid: String,
    /// Event type.
    pub event_type_id: i64,
    /// Start.
    pub start: DateTime<Utc>,
    /// End.
    pub end: DateTime<Utc>,
    /// `accepted` or `cancelled`.
    pub status: &'static str,
    /// Attendees.
    pub attendees: Vec<Attendee>,
    /// Caller-provided metadata.
    pub metadata: Map<String, Value>,
    /// Why it was cancelled.
    pub cancellation_reason: Option<String>,
    /// Why it was moved.
    pub rescheduling_reason: Option<String>,
    /// The booking this one replaced.
    pub rescheduled_from_uid: Option<String>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
}

fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

impl Booking {
    /// The `BookingOutput_2024_08_13` JSON.
    pub fn to_output(&self, event_type: &EventType) -> Value {
        let mut out = json!({
            "id": self.id,
            "uid": self.uid,
            "title": format!("{} between Host and {}", event_type.slug, self.attendees.first().map(|a| a.name.as_str()).unwrap_or("Guest")),
            "description": "",
            "hosts": [{"id": 1, "name": "Host", "username": "host", "timeZone": event_type.time_zone.name()}],
            "status": self.status,
            "start": iso(self.start),
            "end": iso(self.end),
            "duration": (self.end - self.start).num_minutes(),
            "eventTypeId": self.event_type_id,
            "eventType": {"id": self.event_type_id, "slug": event_type.slug},
            "location": "",
            "absentHost": false,
            "createdAt": iso(self.created_at),
            "metadata": self.metadata,
            "attendees": self.attendees.iter().map(|a| {
                let mut attendee = json!({"name": a.name, "email": a.email, "timeZone": a.time_zone, "language": a.language, "absent": false});
                if let Some(phone) = &a.phone_number {
                    attendee["phoneNumber"] = json!(phone);
                }
                attendee
            }).collect::<Vec<_>>(),
            "guests": [],
            "bookingFieldsResponses": {
                "name": self.attendees.first().map(|a| a.name.clone()).unwrap_or_default(),
                "email": self.attendees.first().map(|a| a.email.clone()).unwrap_or_default()
            }
        });
        let fields = [
            ("cancellationReason", &self.cancellation_reason),
            ("reschedulingReason", &self.rescheduling_reason),
            ("rescheduledFromUid", &self.rescheduled_from_uid),
        ];
        for (key, value) in fields {
            if let Some(value) = value {
                out[key] = json!(value);
            }
        }
        out
    }
}

/// A held slot.
#[derive(Debug, Clone)]
pub struct Reservation {
    /// Event type.
    pub event_type_id: i64,
    /// Start.
    pub start: DateTime<Utc>,
    /// End.
    pub end: DateTime<Utc>,
    /// When the hold lapses.
    pub until: DateTime<Utc>,
}

/// Request counters by route and by status.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    /// "GET /v2/slots" → count.
    pub requests: BTreeMap<String, u64>,
    /// "200" → count.
    pub by_status: BTreeMap<String, u64>,
    /// Per API key (shown as its last four characters): requests in all, and the most seen
    /// within any 60 seconds (a sliding window, stricter than Cal.com's fixed minute).
    pub by_key: BTreeMap<String, KeyUse>,
}

/// How one API key used the API.
#[derive(Debug, Default, Clone)]
pub struct KeyUse {
    /// Requests in all.
    pub total: u64,
    /// The most requests within any 60 seconds.
    pub max_per_minute: u64,
    /// Arrival times within the last 60 seconds.
    recent: std::collections::VecDeque<Instant>,
}

#[derive(Debug, Default)]
struct Data {
    bookings: Vec<Booking>,
    next_id: u64,
    reservations: HashMap<String, Reservation>,
    stats: Stats,
    outage: bool,
    latency_override: Option<(u64, u64)>,
    windows: HashMap<String, (Instant, u32)>,
}

/// Result of a rate-limit check.
#[derive(Debug, Clone, Copy)]
pub enum RateDecision {
    /// Allowed; remaining in this window, seconds to reset.
    Allowed(u32, u64),
    /// Refused; seconds until the window resets.
    Limited(u64),
}

/// The whole simulator.
#[derive(Debug)]
pub struct Sim {
    /// Event types and keys.
    pub fixture: Fixture,
    /// Fault injection.
    pub faults: Faults,
    /// Webhook subscriber given at start.
    pub webhook: Option<Webhook>,
    /// Webhooks registered through `POST /v2/webhooks`.
    pub subscriptions: Subscriptions,
    /// Client for webhooks.
    pub http: reqwest::Client,
    clock: RwLock<ClockCell>,
    data: Mutex<Data>,
}

/// Holds the clock; a closure has no `Debug` of its own.
struct ClockCell(Clock);

impl std::fmt::Debug for ClockCell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Clock")
    }
}

/// A fresh unique id in Cal.com's style (22 url-safe characters).
pub fn new_uid() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let mut rng = rand::thread_rng();
    (0..22).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect()
}

impl Sim {
    /// A simulator with no bookings.
    pub fn new(fixture: Fixture, faults: Faults, webhook: Option<Webhook>) -> Self {
        Self {
            fixture,
            faults,
            webhook,
            subscriptions: Subscriptions::default(),
            http: reqwest::Client::new(),
            clock: RwLock::new(ClockCell(system_clock())),
            data: Mutex::new(Data { next_id: 1, ..Data::default() }),
        }
    }

    /// The same simulator reading "now" from `clock`.
    pub fn with_clock(self, clock: Clock) -> Self {
        self.set_clock(clock);
        self
    }

    /// Replaces the clock of a running simulator (a test hands it the app's clock).
    pub fn set_clock(&self, clock: Clock) {
        *self.clock.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = ClockCell(clock);
    }

    /// "Now" as the simulator sees it: slots, notice, holds, booking times and webhooks use it.
    pub fn now(&self) -> DateTime<Utc> {
        let clock = self.clock.read().unwrap_or_else(|poisoned| poisoned.into_inner()).0.clone();
        clock()
    }

    fn data(&self) -> std::sync::MutexGuard<'_, Data> {
        self.data.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Counts a request.
    pub fn count(&self, route: &str, status: u16) {
        let mut data = self.data();
        *data.stats.requests.entry(route.to_string()).or_default() += 1;
        *data.stats.by_status.entry(status.to_string()).or_default() += 1;
    }

    /// Counts a /v2 request of `key` (whether or not it is refused).
    pub fn count_key(&self, key: &str) {
        let label = format!("…{}", &key[key.len().saturating_sub(4)..]);
        let now = Instant::now();
        let mut data = self.data();
        let usage = data.stats.by_key.entry(label).or_default();
        usage.total += 1;
        usage.recent.push_back(now);
        while usage.recent.front().is_some_and(|t| now.duration_since(*t).as_secs_f64() >= 60.0) {
            usage.recent.pop_front();
        }
        usage.max_per_minute = usage.max_per_minute.max(usage.recent.len() as u64);
    }

    /// A copy of the counters.
    pub fn stats(&self) -> Stats {
        self.data().stats.clone()
    }

    /// Clears bookings, reservations, counters, windows and the outage (registered webhooks stay).
    pub fn reset(&self) {
        *self.data() = Data { next_id: 1, ..Data::default() };
    }

    /// Switches the outage.
    pub fn set_outage(&self, enabled: bool) {
        self.data().outage = enabled;
    }

    /// Changes the latency range while running (`None`: back to the configured one).
    pub fn set_latency(&self, range: Option<(u64, u64)>) {
        self.data().latency_override = range;
    }

    /// The latency range in force.
    pub fn latency(&self) -> (u64, u64) {
        self.data().latency_override.unwrap_or(self.faults.latency_ms)
    }

    /// Whether every /v2 request fails.
    pub fn outage(&self) -> bool {
        self.data().outage
    }

    /// Fixed one-minute windows per key, as Cal.com's throttler counts.
    pub fn rate_check(&self, key: &str, limit: u32) -> RateDecision {
        let mut data = self.data();
        let now = Instant::now();
        let window = data.windows.entry(key.to_string()).or_insert((now, 0));
        if now.duration_since(window.0).as_secs() >= 60 {
            *window = (now, 0);
        }
        let reset = 60u64.saturating_sub(now.duration_since(window.0).as_secs()).max(1);
        if window.1 >= limit {
            return RateDecision::Limited(reset);
        }
        window.1 += 1;
        RateDecision::Allowed(limit - window.1, reset)
    }

    /// What occupies an event type's host in `[from, to)`: accepted bookings and live reservations.
    pub fn busy(&self, event_type_id: i64, now: DateTime<Utc>, except_reservation: Option<&str>) -> Vec<Busy> {
        let data = self.data();
        let bookings = data
            .bookings
            .iter()
            .filter(|b| b.event_type_id == event_type_id && b.status == "accepted")
            .map(|b| Busy { start: b.start, end: b.end });
        let reservations = data
            .reservations
            .iter()
            .filter(|(uid, r)| {
                r.event_type_id == event_type_id && r.until > now && Some(uid.as_str()) != except_reservation
            })
            .map(|(_, r)| Busy { start: r.start, end: r.end });
        bookings.chain(reservations).collect()
    }

    /// Stores a new booking if nothing accepted overlaps it, atomically.
    pub fn insert_booking_if_free(&self, mut booking: Booking) -> Option<Booking> {
        let mut data = self.data();
        let taken = data.bookings.iter().any(|b| {
            b.event_type_id == booking.event_type_id
                && b.status == "accepted"
                && b.start < booking.end
                && b.end > booking.start
        });
        if taken {
            return None;
        }
        booking.id = data.next_id;
        data.next_id += 1;
        data.bookings.push(booking.clone());
        Some(booking)
    }

    /// Applies `change` to the booking with `uid`; returns the result.
    pub fn update_booking(&self, uid: &str, change: impl FnOnce(&mut Booking)) -> Option<Booking> {
        let mut data = self.data();
        let booking = data.bookings.iter_mut().find(|b| b.uid == uid)?;
        change(booking);
        Some(booking.clone())
    }

    /// The booking with `uid`.
    pub fn booking(&self, uid: &str) -> Option<Booking> {
        self.data().bookings.iter().find(|b| b.uid == uid).cloned()
    }

    /// All bookings matching a predicate, in creation order.
    pub fn bookings(&self, keep: impl Fn(&Booking) -> bool) -> Vec<Booking> {
        self.data().bookings.iter().filter(|b| keep(b)).cloned().collect()
    }

    /// Holds a slot unless something overlaps it; returns the reservation uid.
    pub fn reserve(&self, reservation: Reservation, now: DateTime<Utc>) -> Option<String> {
        let busy = self.busy(reservation.event_type_id, now, None);
        if busy.iter().any(|b| b.start < reservation.end && b.end > reservation.start) {
            return None;
        }
        let uid = new_uid();
        self.data().reservations.insert(uid.clone(), reservation);
        Some(uid)
    }

    /// Releases a hold; whether it existed.
    pub fn release(&self, uid: &str) -> bool {
        self.data().reservations.remove(uid).is_some()
    }

    /// Milliseconds-precision ISO text, as Cal.com writes instants.
    pub fn iso(t: DateTime<Utc>) -> String {
        iso(t)
    }

    /// End of a booking of `length` minutes from `start`.
    pub fn end_of(start: DateTime<Utc>, length: i64) -> DateTime<Utc> {
        start + Duration::minutes(length)
    }
}
