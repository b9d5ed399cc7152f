//! The Cal.com API v2 client: every request goes through the account's circuit breaker, the
//! key's rate limiter and a deadline; idempotent reads are retried with jitter while time is left.

use super::breaker::{Breaker, Outcome, Permit, Phase};
use super::limiter::{KeyLimiter, SharedBudget, Traffic};
use super::wire::{Booking, BookingFilter, CreatedWebhook, Envelope, EventType, Me, NewBooking, Reservation, SlotDays};
use crate::calendar::CalendarError;
use crate::clock::Clock;
use crate::domain::Secret;
use crate::telemetry::{CALENDAR_BREAKER, CALENDAR_DURATION, CALENDAR_REQUESTS};
use chrono::{DateTime, SecondsFormat, Utc};
use chrono_tz::Tz;
use rand::Rng;
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;

const SLOTS_VERSION: &str = "2024-09-04";
const BOOKINGS_VERSION: &str = "2024-08-13";
const EVENT_TYPES_VERSION: &str = "2024-06-14";
/// Retries of an idempotent read after its first attempt.
const MAX_RETRIES: u32 = 2;

/// How long one logical request may take, by breaker state.
#[derive(Debug, Clone, Copy)]
pub struct Deadlines {
    /// Closed breaker.
    pub healthy: Duration,
    /// The half-open probe.
    pub half_open: Duration,
}

impl Default for Deadlines {
    fn default() -> Self {
        Self { healthy: Duration::from_secs(3), half_open: Duration::from_millis(1500) }
    }
}

/// Client settings.
#[derive(Debug, Clone)]
pub struct CalcomSettings {
    /// API base, e.g. `https://api.cal.com`.
    pub base_url: String,
    /// Requests per minute per key.
    pub rate_per_minute: u32,
    /// Deadlines.
    pub deadlines: Deadlines,
}

/// One request, described.
struct Call<'a> {
    method: Method,
    endpoint: &'static str,
    path: String,
    query: Vec<(&'static str, String)>,
    body: Option<serde_json::Value>,
    version: &'static str,
    idempotent: bool,
    key: &'a Secret,
}

/// A failed attempt, with what the retry logic needs to know.
struct Failure {
    error: CalendarError,
    retry_after: Option<Duration>,
}

/// The Cal.com client, shared by all tenants.
#[derive(Debug)]
pub struct CalcomClient {
    http: reqwest::Client,
    settings: CalcomSettings,
    limiter: KeyLimiter,
    breakers: Mutex<HashMap<String, Arc<Breaker>>>,
    clock: Arc<dyn Clock>,
    /// When each account's requests of the last minute left this process (for the console).
    sent: Mutex<HashMap<String, std::collections::VecDeque<Instant>>>,
}

/// One Cal.com account as the operations page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountUsage {
    /// Short non-reversible label of the key.
    pub account: String,
    /// Requests this instance sent in the last 60 s.
    pub last_minute: usize,
    /// Its circuit breaker.
    pub phase: Phase,
}

/// A short, non-reversible name for an API key, for metrics and logs.
pub fn account_label(key: &Secret) -> String {
    let digest = Sha256::digest(key.expose().as_bytes());
    hex::encode(&digest[..4])
}

/// The name a key's shared budget has in Redis: longer than a label, so that thousands of keys
/// never share one by chance, and as non-reversible.
fn budget_name(key: &Secret) -> String {
    hex::encode(&Sha256::digest(key.expose().as_bytes())[..12])
}

fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl CalcomClient {
    /// A client with pooled keep-alive connections.
    pub fn new(settings: CalcomSettings, clock: Arc<dyn Clock>) -> Self {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(2))
            .pool_idle_timeout(Duration::from_secs(90))
            .pool_max_idle_per_host(32)
            .tcp_nodelay(true)
            .build()
            .expect("the HTTP client builds with rustls");
        let limiter = KeyLimiter::new(settings.rate_per_minute);
        Self { http, settings, limiter, breakers: Mutex::new(HashMap::new()), clock, sent: Mutex::new(HashMap::new()) }
    }

    /// The same client drawing every key's budget from Redis, shared with the other instances.
    pub fn with_shared_budget(mut self, shared: SharedBudget) -> Self {
        self.limiter = KeyLimiter::shared(self.settings.rate_per_minute, shared);
        self
    }

    fn breaker(&self, key: &Secret) -> (String, Arc<Breaker>) {
        let account = account_label(key);
        let mut breakers = self.breakers.lock().unwrap_or_else(|p| p.into_inner());
        let breaker =
            breakers.entry(account.clone()).or_insert_with(|| Arc::new(Breaker::new(self.clock.clone()))).clone();
        (account, breaker)
    }

    /// Every account this instance has talked to: requests in the last minute and breaker phase.
    pub fn usage(&self) -> Vec<AccountUsage> {
        let minute_ago = Instant::now().checked_sub(Duration::from_secs(60));
        let mut sent = self.sent.lock().unwrap_or_else(|p| p.into_inner());
        let breakers = self.breakers.lock().unwrap_or_else(|p| p.into_inner());
        let mut usage: Vec<AccountUsage> = breakers
            .iter()
            .map(|(account, breaker)| {
                let times = sent.entry(account.clone()).or_default();
                while times.front().is_some_and(|t| Some(*t) < minute_ago) {
                    times.pop_front();
                }
                AccountUsage { account: account.clone(), last_minute: times.len(), phase: breaker.phase() }
            })
            .collect();
        usage.sort_by(|a, b| a.account.cmp(&b.account));
        usage
    }

    fn count_sent(&self, account: &str) {
        let now = Instant::now();
        let mut sent = self.sent.lock().unwrap_or_else(|p| p.into_inner());
        let times = sent.entry(account.to_string()).or_default();
        while times.front().is_some_and(|t| now.duration_since(*t) > Duration::from_secs(60)) {
            times.pop_front();
        }
        times.push_back(now);
    }

    /// The breaker phase of the account behind `key`.
    pub fn breaker_phase(&self, key: &Secret) -> Phase {
        self.breaker(key).1.phase()
    }

    fn publish_phase(account: &str, breaker: &Breaker) {
        let value = match breaker.phase() {
            Phase::Closed => 0.0,
            Phase::HalfOpen => 1.0,
            Phase::Open => 2.0,
        };
        metrics::gauge!(CALENDAR_BREAKER, "provider" => "calcom", "account" => account.to_string()).set(value);
    }

    async fn execute<T: DeserializeOwned>(&self, call: Call<'_>) -> Result<T, CalendarError> {
        let (account, breaker) = self.breaker(call.key);
        let Some(permit) = breaker.acquire() else {
            metrics::counter!(CALENDAR_REQUESTS, "provider" => "calcom", "endpoint" => call.endpoint, "status" => "breaker_open").increment(1);
            return Err(CalendarError::NotSent("Cal.com circuit open".into()));
        };
        let budget = match permit {
            Permit::Normal => self.settings.deadlines.healthy,
            Permit::Probe => self.settings.deadlines.half_open,
        };
        let (result, sent) = self.attempts(&call, Instant::now() + budget).await;
        let outcome = match (&result, sent) {
            (_, false) => Outcome::NotSent,
            (Err(CalendarError::Unavailable(_)), true) => Outcome::Failed,
            _ => Outcome::Answered,
        };
        breaker.record(permit, outcome);
        Self::publish_phase(&account, &breaker);
        // Nothing left this process: a write's caller knows for sure that nothing happened.
        let result = match (result, sent) {
            (Err(CalendarError::Unavailable(reason)), false) => Err(CalendarError::NotSent(reason)),
            (result, _) => result,
        };
        if let Err(error) = &result {
            tracing::warn!(endpoint = call.endpoint, account, %error, "Cal.com request failed");
        }
        result
    }

    /// Attempts within the deadline; also says whether any request was actually sent.
    async fn attempts<T: DeserializeOwned>(
        &self,
        call: &Call<'_>,
        deadline: Instant,
    ) -> (Result<T, CalendarError>, bool) {
        let mut sent = false;
        let mut retries = 0;
        loop {
            let traffic = if call.method == Method::GET { Traffic::Read } else { Traffic::Write };
            if !self.limiter.admit(call.key.expose(), &budget_name(call.key), traffic, deadline).await {
                metrics::counter!(CALENDAR_REQUESTS, "provider" => "calcom", "endpoint" => call.endpoint, "status" => "local_rate_limit").increment(1);
                return (Err(CalendarError::RateLimited), sent);
            }
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                return (Err(CalendarError::Unavailable("deadline reached".into())), sent);
            }
            sent = true;
            self.count_sent(&account_label(call.key));
            let started = Instant::now();
            let attempt = tokio::time::timeout(remaining, self.send_once::<T>(call)).await;
            metrics::histogram!(CALENDAR_DURATION, "provider" => "calcom", "endpoint" => call.endpoint)
                .record(started.elapsed().as_secs_f64());
            let failure = match attempt {
                Ok(Ok(value)) => return (Ok(value), sent),
                Ok(Err(failure)) => failure,
                Err(_) => {
                    metrics::counter!(CALENDAR_REQUESTS, "provider" => "calcom", "endpoint" => call.endpoint, "status" => "timeout").increment(1);
                    return (
                        Err(CalendarError::Unavailable(format!("no answer within {} ms", remaining.as_millis()))),
                        sent,
                    );
                }
            };
            let left = deadline.saturating_duration_since(Instant::now());
            let pause = match (&failure.error, failure.retry_after) {
                // Cal.com asked us to wait: only if the caller can afford it.
                (CalendarError::RateLimited, Some(wait)) if wait < left => Some(wait),
                (CalendarError::Unavailable(_), _) if call.idempotent && retries < MAX_RETRIES => {
                    let base = 50u64 << retries;
                    Some(Duration::from_millis(rand::thread_rng().gen_range(base..=base * 3))).filter(|p| *p < left)
                }
                _ => None,
            };
            match pause {
                Some(pause) => {
                    retries += 1;
                    tokio::time::sleep(pause).await;
                }
                None => return (Err(failure.error), sent),
            }
        }
    }

    async fn send_once<T: DeserializeOwned>(&self, call: &Call<'_>) -> Result<T, Failure> {
        let url = format!("{}{}", self.settings.base_url, call.path);
        let mut request = self
            .http
            .request(call.method.clone(), url)
            .header("cal-api-version", call.version)
            .bearer_auth(call.key.expose())
            .query(&call.query);
        if let Some(body) = &call.body {
            request = request.json(body);
        }
        let status_label = |s: &str| {
            metrics::counter!(CALENDAR_REQUESTS, "provider" => "calcom", "endpoint" => call.endpoint, "status" => s.to_string()).increment(1)
        };
        let response = match request.send().await {
            Ok(response) => response,
            Err(error) => {
                status_label("error");
                return Err(Failure {
                    error: CalendarError::Unavailable(format!("Cal.com unreachable: {error}")),
                    retry_after: None,
                });
            }
        };
        let status = response.status();
        status_label(status.as_str());
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let bytes = response.bytes().await.map_err(|e| Failure {
            error: CalendarError::Unavailable(format!("Cal.com answer cut off: {e}")),
            retry_after: None,
        })?;
        let envelope: Result<Envelope<T>, _> = serde_json::from_slice(&bytes);
        if status.is_success() {
            return match envelope {
                Ok(Envelope { data: Some(data), .. }) => Ok(data),
                // `{"status":"success"}` without data: fine for answers that carry none.
                Ok(_) => serde_json::from_value(serde_json::Value::Null).map_err(|_| Failure {
                    error: CalendarError::Unavailable("Cal.com answered without data".into()),
                    retry_after: None,
                }),
                Err(e) => Err(Failure {
                    error: CalendarError::Unavailable(format!("unexpected Cal.com answer: {e}")),
                    retry_after: None,
                }),
            };
        }
        let message = serde_json::from_slice::<Envelope<serde_json::Value>>(&bytes)
            .ok()
            .and_then(|e| e.error)
            .map(|e| format!("{}: {}", e.code, e.message))
            .unwrap_or_else(|| format!("HTTP {status}"));
        Err(Failure { error: classify(status, &message), retry_after })
    }

    /// Free starts of an event type in `[from, to)`, in the tenant's zone: the whole window in one request.
    pub async fn slots(
        &self,
        key: &Secret,
        event_type_id: i64,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        tz: Tz,
    ) -> Result<SlotDays, CalendarError> {
        self.execute(Call {
            method: Method::GET,
            endpoint: "slots",
            path: "/v2/slots".into(),
            query: vec![
                ("eventTypeId", event_type_id.to_string()),
                ("start", iso(from)),
                ("end", iso(to)),
                ("timeZone", tz.name().to_string()),
                ("format", "range".into()),
            ],
            body: None,
            version: SLOTS_VERSION,
            idempotent: true,
            key,
        })
        .await
    }

    /// Holds a slot for `minutes`.
    pub async fn reserve_slot(
        &self,
        key: &Secret,
        event_type_id: i64,
        start: DateTime<Utc>,
        length: u32,
        minutes: u32,
    ) -> Result<Reservation, CalendarError> {
        self.execute(Call {
            method: Method::POST,
            endpoint: "reserve_slot",
            path: "/v2/slots/reservations".into(),
            query: vec![],
            body: Some(json!({"eventTypeId": event_type_id, "slotStart": iso(start), "slotDuration": length, "reservationDuration": minutes})),
            version: SLOTS_VERSION,
            idempotent: false,
            key,
        })
        .await
    }

    /// Releases a hold.
    pub async fn release_reservation(&self, key: &Secret, uid: &str) -> Result<(), CalendarError> {
        let _: Option<serde::de::IgnoredAny> = self
            .execute(Call {
                method: Method::DELETE,
                endpoint: "release_slot",
                path: format!("/v2/slots/reservations/{uid}"),
                query: vec![],
                body: None,
                version: SLOTS_VERSION,
                idempotent: true,
                key,
            })
            .await
            .or_else(|e| if e == CalendarError::NotFound { Ok(None) } else { Err(e) })?;
        Ok(())
    }

    /// Creates a booking.
    pub async fn create_booking(&self, key: &Secret, booking: &NewBooking) -> Result<Booking, CalendarError> {
        let body = serde_json::to_value(booking).map_err(|e| CalendarError::Invalid(e.to_string()))?;
        self.execute(Call {
            method: Method::POST,
            endpoint: "create_booking",
            path: "/v2/bookings".into(),
            query: vec![],
            body: Some(body),
            version: BOOKINGS_VERSION,
            idempotent: false,
            key,
        })
        .await
    }

    /// Lists bookings.
    pub async fn bookings(&self, key: &Secret, filter: &BookingFilter) -> Result<Vec<Booking>, CalendarError> {
        let mut query = vec![];
        let optional = [
            ("eventTypeId", filter.event_type_id.map(|v| v.to_string())),
            ("afterStart", filter.after_start.map(iso)),
            ("beforeEnd", filter.before_end.map(iso)),
            ("status", filter.status.clone()),
            ("attendeeName", filter.attendee_name.clone()),
            ("take", filter.take.map(|v| v.to_string())),
            ("skip", filter.skip.map(|v| v.to_string())),
        ];
        for (name, value) in optional {
            if let Some(value) = value {
                query.push((name, value));
            }
        }
        self.execute(Call {
            method: Method::GET,
            endpoint: "list_bookings",
            path: "/v2/bookings".into(),
            query,
            body: None,
            version: BOOKINGS_VERSION,
            idempotent: true,
            key,
        })
        .await
    }

    /// One booking.
    pub async fn booking(&self, key: &Secret, uid: &str) -> Result<Booking, CalendarError> {
        self.execute(Call {
            method: Method::GET,
            endpoint: "get_booking",
            path: format!("/v2/bookings/{uid}"),
            query: vec![],
            body: None,
            version: BOOKINGS_VERSION,
            idempotent: true,
            key,
        })
        .await
    }

    /// Cancels a booking.
    pub async fn cancel_booking(&self, key: &Secret, uid: &str, reason: &str) -> Result<Booking, CalendarError> {
        self.execute(Call {
            method: Method::POST,
            endpoint: "cancel_booking",
            path: format!("/v2/bookings/{uid}/cancel"),
            query: vec![],
            body: Some(json!({"cancellationReason": reason})),
            version: BOOKINGS_VERSION,
            idempotent: false,
            key,
        })
        .await
    }

    /// Moves a booking: Cal.com answers with a new booking and cancels the old one.
    pub async fn reschedule_booking(
        &self,
        key: &Secret,
        uid: &str,
        start: DateTime<Utc>,
        reason: &str,
    ) -> Result<Booking, CalendarError> {
        self.execute(Call {
            method: Method::POST,
            endpoint: "reschedule_booking",
            path: format!("/v2/bookings/{uid}/reschedule"),
            query: vec![],
            body: Some(json!({"start": iso(start), "reschedulingReason": reason})),
            version: BOOKINGS_VERSION,
            idempotent: false,
            key,
        })
        .await
    }

    /// One event type.
    pub async fn event_type(&self, key: &Secret, id: i64) -> Result<EventType, CalendarError> {
        self.get(key, "event_type", format!("/v2/event-types/{id}")).await
    }
}

impl CalcomClient {
    /// The key's own profile (`GET /v2/me`): proves the key before anything is stored.
    pub async fn me(&self, key: &Secret) -> Result<Me, CalendarError> {
        self.get(key, "me", "/v2/me".into()).await
    }

    /// Every event type of the key's user (`GET /v2/event-types`).
    pub async fn event_types(&self, key: &Secret) -> Result<Vec<EventType>, CalendarError> {
        self.get(key, "event_types", "/v2/event-types".into()).await
    }

    /// An idempotent read of `path` with the event types' API version.
    async fn get<T: DeserializeOwned>(&self, key: &Secret, endpoint: &'static str, path: String) -> Result<T, CalendarError> {
        self.execute(Call { method: Method::GET, endpoint, path, query: vec![], body: None, version: EVENT_TYPES_VERSION, idempotent: true, key })
            .await
    }

    /// Registers a webhook for booking events at `url`, signed with `secret` (`POST /v2/webhooks`);
    /// when the key's user has one at `url` already (Cal.com refuses a second: 409), that one is
    /// given the new secret and triggers instead (`PATCH /v2/webhooks/{id}`), keeping its id.
    pub async fn register_webhook(&self, key: &Secret, url: &str, secret: &Secret) -> Result<CreatedWebhook, CalendarError> {
        let body = serde_json::json!({
            "subscriberUrl": url,
            "triggers": ["BOOKING_CREATED", "BOOKING_CANCELLED", "BOOKING_RESCHEDULED", "BOOKING_REQUESTED", "BOOKING_REJECTED"],
            "active": true,
            "secret": secret.expose(),
        });
        let created = self.write(key, Method::POST, "create_webhook", "/v2/webhooks".into(), Some(body.clone())).await;
        // 409 is read as a taken slot by the booking paths' classification
        let Err(CalendarError::SlotTaken) = created else { return created };
        let listed: Vec<CreatedWebhook> = self.get(key, "webhooks", "/v2/webhooks".into()).await?;
        let existing = listed.into_iter().find(|w| w.subscriber_url == url).ok_or(CalendarError::SlotTaken)?;
        self.write(key, Method::PATCH, "update_webhook", format!("/v2/webhooks/{}", existing.id), Some(body)).await
    }

    /// Deletes a webhook the key's user registered (`DELETE /v2/webhooks/{id}`); one already gone
    /// is [`CalendarError::NotFound`].
    pub async fn delete_webhook(&self, key: &Secret, id: &str) -> Result<(), CalendarError> {
        let _: serde::de::IgnoredAny = self.write(key, Method::DELETE, "delete_webhook", format!("/v2/webhooks/{id}"), None).await?;
        Ok(())
    }

    /// A webhook write with the event types' API version (only a POST is not idempotent).
    async fn write<T: DeserializeOwned>(
        &self,
        key: &Secret,
        method: Method,
        endpoint: &'static str,
        path: String,
        body: Option<serde_json::Value>,
    ) -> Result<T, CalendarError> {
        let idempotent = method != Method::POST;
        self.execute(Call { method, endpoint, path, query: vec![], body, version: EVENT_TYPES_VERSION, idempotent, key }).await
    }
}

/// Maps a refused request to the typed error.
fn classify(status: StatusCode, message: &str) -> CalendarError {
    let lower = message.to_lowercase();
    match status {
        StatusCode::TOO_MANY_REQUESTS => CalendarError::RateLimited,
        StatusCode::NOT_FOUND => CalendarError::NotFound,
        StatusCode::CONFLICT | StatusCode::UNPROCESSABLE_ENTITY => CalendarError::SlotTaken,
        StatusCode::BAD_REQUEST
            if lower.contains("not available")
                || lower.contains("already has booking")
                || lower.contains("no_available_users") =>
        {
            CalendarError::SlotTaken
        }
        s if s.is_server_error() => CalendarError::Unavailable(message.to_string()),
        _ => CalendarError::Invalid(message.to_string()),
    }
}
