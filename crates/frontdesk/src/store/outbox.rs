//! The outbox: every event a person must hear about, written in the same transaction as the
//! change it reports, then delivered at least once by one instance (see `notify`).

use crate::domain::CompanyId;
use super::appointments::{appointment_columns, appointment_tables};
use super::{on_pool, Store, StoreError};
use chrono::{DateTime, Utc};
use std::sync::LazyLock;
use serde::{Deserialize, Serialize};

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NoticeEvent {
    /// A caller asked to be called back.
    #[serde(rename = "callback.requested")]
    CallbackRequested,
    /// An appointment is booked (confirmed by the calendar of record).
    #[serde(rename = "booking.made")]
    BookingMade,
    /// An appointment moved.
    #[serde(rename = "booking.moved")]
    BookingMoved,
    /// An appointment was cancelled.
    #[serde(rename = "booking.cancelled")]
    BookingCancelled,
    /// The calendar did not answer a booking: somebody must check it.
    #[serde(rename = "booking.unknown")]
    BookingUnknown,
    /// A callback request has waited too long (1 h urgent, 4 h otherwise).
    #[serde(rename = "callback.overdue")]
    CallbackOverdue,
    /// The owner's daily report.
    #[serde(rename = "digest.daily")]
    DigestDaily,
    /// A customer's reminder of their appointment (DESIGN §15).
    #[serde(rename = "booking.reminder")]
    BookingReminder,
    /// A freed time offered to a waiting customer (DESIGN §15).
    #[serde(rename = "waitlist.offer")]
    WaitlistOffer,
}

impl NoticeEvent {
    /// The stored and sent name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CallbackRequested => "callback.requested",
            Self::BookingMade => "booking.made",
            Self::BookingMoved => "booking.moved",
            Self::BookingCancelled => "booking.cancelled",
            Self::BookingUnknown => "booking.unknown",
            Self::CallbackOverdue => "callback.overdue",
            Self::DigestDaily => "digest.daily",
            Self::BookingReminder => "booking.reminder",
            Self::WaitlistOffer => "waitlist.offer",
        }
    }

    /// Every event, for decoding.
    const ALL: [Self; 9] = [
        Self::CallbackRequested,
        Self::BookingMade,
        Self::BookingMoved,
        Self::BookingCancelled,
        Self::BookingUnknown,
        Self::CallbackOverdue,
        Self::DigestDaily,
        Self::BookingReminder,
        Self::WaitlistOffer,
    ];

    /// Whether it is about a callback request (its console page is the callbacks list).
    pub fn is_callback(self) -> bool {
        matches!(self, Self::CallbackRequested | Self::CallbackOverdue)
    }

    /// Whether it is about an appointment.
    pub fn is_booking(self) -> bool {
        matches!(self, Self::BookingMade | Self::BookingMoved | Self::BookingCancelled | Self::BookingUnknown | Self::BookingReminder)
    }
}

/// Decodes the stored name once, in the store: nothing past it compares event names as text.
impl TryFrom<String> for NoticeEvent {
    type Error = String;

    fn try_from(name: String) -> Result<Self, String> {
        Self::ALL.into_iter().find(|e| e.as_str() == name).ok_or_else(|| format!("unknown notice event {name:?}"))
    }
}

impl std::fmt::Display for NoticeEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a notification says, as it was when the change was made (the outbox row's payload and a
/// webhook's `data`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoticeData {
    /// Company name.
    pub company: String,
    /// Branch name.
    pub branch: Option<String>,
    /// `de` or `en`.
    pub language: String,
    /// IANA zone of the company.
    pub timezone: String,
    /// The appointment, for booking events.
    pub appointment_id: Option<crate::domain::AppointmentId>,
    /// The callback request, for callback events.
    pub callback_id: Option<i64>,
    /// Service.
    pub service: Option<String>,
    /// Staff member.
    pub staff: Option<String>,
    /// Start (UTC).
    pub start: Option<DateTime<Utc>>,
    /// End (UTC).
    pub end: Option<DateTime<Utc>>,
    /// Customer's name.
    pub customer_name: Option<String>,
    /// Customer's number, in full (only the business receives it).
    pub phone: Option<String>,
    /// Customer's e-mail.
    pub email: Option<String>,
    /// What a callback is about.
    pub reason: Option<String>,
    /// When the caller would like to be called.
    pub preferred_time: Option<String>,
    /// `high` or `normal` (callbacks).
    pub priority: Option<super::Priority>,
    /// How often the appointment moved (the invitation's SEQUENCE).
    #[serde(default)]
    pub sequence: i32,
    /// The day in numbers (`digest.daily` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<super::DigestFigures>,
}

impl NoticeData {
    /// A notice of `company` (its name, language and zone) about nothing yet: the writer fills
    /// in what it is about.
    pub fn of_company(company: &crate::domain::Company) -> Self {
        Self {
            company: company.name.clone(),
            branch: None,
            language: company.language.code().to_string(),
            timezone: company.timezone.name().to_string(),
            appointment_id: None,
            callback_id: None,
            service: None,
            staff: None,
            start: None,
            end: None,
            customer_name: None,
            phone: None,
            email: None,
            reason: None,
            preferred_time: None,
            priority: None,
            sequence: 0,
            digest: None,
        }
    }

    /// The language it is written in (the default when the stored code is unknown).
    pub fn written_in(&self) -> crate::domain::Language {
        crate::domain::Language::parse(&self.language).unwrap_or_default()
    }

    /// The company's zone, for local times (Berlin when the stored name is unknown).
    pub fn zone(&self) -> chrono_tz::Tz {
        self.timezone.parse().unwrap_or(chrono_tz::Europe::Berlin)
    }
}

/// How a notice travels: the outbox row's `channel`, served by one `notify::Channel` each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeChannel {
    /// A signed POST to the company's webhook.
    Webhook,
    /// An e-mail to the business.
    Email,
    /// An e-mail to the caller about their own appointment.
    EmailCustomer,
    /// An SMS to the caller about their own appointment (they agreed; DESIGN §15).
    SmsCustomer,
}

impl NoticeChannel {
    /// Every channel.
    const ALL: [Self; 4] = [Self::Webhook, Self::Email, Self::EmailCustomer, Self::SmsCustomer];

    /// The text stored in the outbox.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Webhook => "webhook",
            Self::Email => "email",
            Self::EmailCustomer => "email_customer",
            Self::SmsCustomer => "sms_customer",
        }
    }
}

impl TryFrom<String> for NoticeChannel {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        Self::ALL.into_iter().find(|c| c.as_str() == text).ok_or_else(|| format!("unknown notice channel {text:?}"))
    }
}

impl std::fmt::Display for NoticeChannel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The (channel, recipient) pairs a company's notices go to.
pub(super) fn recipients(webhook: Option<String>, email: Option<String>) -> Vec<(NoticeChannel, String)> {
    let webhook = webhook.map(|url| (NoticeChannel::Webhook, url));
    let email = email.map(|address| (NoticeChannel::Email, address));
    webhook.into_iter().chain(email).collect()
}

/// An appointment's details read inside the writing transaction.
#[derive(sqlx::FromRow)]
pub(crate) struct AppointmentNoticeRow {
    #[sqlx(flatten)]
    pub appointment: super::Appointment,
    pub language: String,
    pub timezone: String,
    pub notify_webhook_url: Option<String>,
    pub notify_email: Option<String>,
    /// The customer's number when they agreed to SMS and have not answered STOP.
    pub sms_phone: Option<String>,
}

/// The details of appointment `$1` with where its company's notifications go (a booking made in
/// Cal.com itself is announced by Cal.com, not by frontdesk).
pub(crate) const APPOINTMENT_NOTICE: &str = concat!(
    "SELECT ",
    appointment_columns!(),
    ", co.language, co.timezone, co.notify_webhook_url, co.notify_email,
        (SELECT cu.phone FROM customers cu WHERE cu.id = a.customer_id AND cu.sms_consent_at IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM sms_optouts o WHERE o.company_id = cu.company_id AND o.phone = cu.phone)) AS sms_phone",
    appointment_tables!(),
    "WHERE a.id = $1 AND a.source <> 'calcom'"
);

impl AppointmentNoticeRow {
    pub(crate) fn data(self) -> (crate::domain::CompanyId, Vec<(NoticeChannel, String)>, NoticeData) {
        let mut recipients = recipients(self.notify_webhook_url, self.notify_email);
        let a = self.appointment;
        // A caller who gave an e-mail gets their confirmation, move and cancellation in writing.
        if let Some(email) = &a.email {
            recipients.push((NoticeChannel::EmailCustomer, email.clone()));
        }
        // ... and by SMS when they agreed to it (consent is only recorded where SMS is set up)
        if let Some(phone) = self.sms_phone {
            recipients.push((NoticeChannel::SmsCustomer, phone));
        }
        let data = NoticeData {
            company: a.company,
            branch: Some(a.branch),
            language: self.language,
            timezone: self.timezone,
            appointment_id: Some(a.id),
            callback_id: None,
            service: Some(a.service_name),
            staff: a.staff_name,
            start: Some(a.starts_at),
            end: Some(a.ends_at),
            customer_name: a.customer_name,
            phone: a.phone,
            email: a.email,
            reason: None,
            preferred_time: None,
            priority: None,
            sequence: a.sequence,
            digest: None,
        };
        (a.company_id, recipients, data)
    }
}

/// A callback request's details read inside the writing transaction.
#[derive(sqlx::FromRow)]
pub(crate) struct CallbackNoticeRow {
    pub company: String,
    pub branch: Option<String>,
    pub language: String,
    pub timezone: String,
    pub id: i64,
    pub customer_name: Option<String>,
    pub phone: String,
    pub reason: Option<String>,
    pub preferred_time: Option<String>,
    #[sqlx(try_from = "String")]
    pub priority: super::Priority,
    pub company_id: CompanyId,
    pub notify_webhook_url: Option<String>,
    pub notify_email: Option<String>,
}

/// The details of callback request `$1` with where its company's notifications go.
pub(crate) const CALLBACK_NOTICE: &str = "SELECT co.name AS company, b.name AS branch, co.language, co.timezone, r.id,
        r.customer_name, r.phone, r.reason, r.preferred_time, r.priority, r.company_id, co.notify_webhook_url, co.notify_email
    FROM callback_requests r JOIN companies co ON co.id = r.company_id LEFT JOIN branches b ON b.id = r.branch_id
    WHERE r.id = $1";

impl CallbackNoticeRow {
    pub(crate) fn data(self) -> (crate::domain::CompanyId, Vec<(NoticeChannel, String)>, NoticeData) {
        let recipients = recipients(self.notify_webhook_url, self.notify_email);
        let data = NoticeData {
            company: self.company,
            branch: self.branch,
            language: self.language,
            timezone: self.timezone,
            appointment_id: None,
            callback_id: Some(self.id),
            service: None,
            staff: None,
            start: None,
            end: None,
            customer_name: self.customer_name,
            phone: Some(self.phone),
            email: None,
            reason: self.reason,
            preferred_time: self.preferred_time,
            priority: Some(self.priority),
            sequence: 0,
            digest: None,
        };
        (self.company_id, recipients, data)
    }
}

/// One outbox row: `$1` company, `$2` event, `$3` channel, `$4` recipient, `$5` payload,
/// `$6` idempotency key, `$7` now. A key already there is the same notice again: nothing happens.
pub(crate) const OUTBOX_INSERT: &str =
    "INSERT INTO outbox (company_id, event, channel, recipient, payload, idempotency_key, status, attempts, next_attempt_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $7) ON CONFLICT (idempotency_key) DO NOTHING";

/// Inserts a row of `$event` into the outbox inside transaction `$tx` for the details read with
/// `$query` (a `*_NOTICE`) into `$row`, when the company has somewhere to send it. `$key` makes
/// a repeated change (a retried request, a webhook arriving twice) one notification.
macro_rules! write_notice {
    ($tx:ident, $row:ty, $query:expr, $id:expr, $event:expr, $key:expr, $now:expr) => {{
        let found: Option<$row> = sqlx::query_as($query).bind($id).fetch_optional(&mut *$tx).await?;
        if let Some((company_id, recipients, data)) = found.map(|row| row.data()) {
            let event: $crate::store::NoticeEvent = $event;
            let payload = serde_json::to_string(&data).expect("notice data serializes");
            // One row per channel: each is delivered, retried and acknowledged on its own.
            // The caller hears about their own booking made, moved or cancelled, nothing else.
            let for_caller = matches!(event, $crate::store::NoticeEvent::BookingMade | $crate::store::NoticeEvent::BookingMoved | $crate::store::NoticeEvent::BookingCancelled);
            let to_caller = |c: &$crate::store::NoticeChannel| matches!(c, $crate::store::NoticeChannel::EmailCustomer | $crate::store::NoticeChannel::SmsCustomer);
            for (channel, recipient) in recipients.into_iter().filter(|(c, _)| for_caller || !to_caller(c)) {
                sqlx::query($crate::store::OUTBOX_INSERT)
                .bind(company_id)
                .bind(event.as_str())
                .bind(channel.as_str())
                .bind(recipient)
                .bind(&payload)
                .bind(format!("{}:{}:{channel}", event.as_str(), $key))
                .bind($now)
                .execute(&mut *$tx)
                .await?;
            }
        }
    }};
}
pub(crate) use write_notice;

/// A notice that gave up, as the console lists it (and `GET /admin/api/notifications/failed`).
#[derive(Debug, Clone, sqlx::FromRow, Serialize, utoipa::ToSchema)]
pub struct FailedNotice {
    /// Id.
    pub id: i64,
    /// What the notice is about (`booking.made`, `booking.moved`, `booking.cancelled`, `callback.requested`, …).
    #[sqlx(try_from = "String")]
    #[schema(value_type = String)]
    pub event: NoticeEvent,
    /// How it travels: `webhook`, `email`, `email_customer` or `sms_customer`.
    #[sqlx(try_from = "String")]
    #[schema(value_type = String)]
    pub channel: NoticeChannel,
    /// The URL or address it was for.
    pub recipient: String,
    /// Attempts made.
    pub attempts: i32,
    /// The last attempt's error.
    #[serde(rename = "error")]
    pub last_error: String,
    /// When the change was made.
    pub created_at: DateTime<Utc>,
}

/// An outbox row claimed for delivery.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutboxMessage {
    /// Id.
    pub id: i64,
    /// Company.
    pub company_id: CompanyId,
    /// What the notice is about.
    #[sqlx(try_from = "String")]
    pub event: NoticeEvent,
    /// How it travels.
    #[sqlx(try_from = "String")]
    pub channel: NoticeChannel,
    /// The URL (or address) at the time of writing.
    pub recipient: String,
    /// [`NoticeData`] as JSON.
    pub payload: String,
    /// The receiver's key for de-duplication (the same on every attempt).
    pub idempotency_key: String,
    /// Attempts so far, this one included.
    pub attempts: i32,
    /// When the change was made.
    pub created_at: DateTime<Utc>,
    /// When somebody last put it back in line after it failed (its attempts count from then).
    pub queued_at: Option<DateTime<Utc>>,
}

/// The rows this build can read: events and channels it knows. A row written by a newer
/// instance (a new event or channel, during a rolling update) is left for that instance, not
/// claimed and failed here, and never breaks the decoding of a whole batch.
fn known_rows() -> String {
    let quoted = |names: Vec<&str>| names.iter().map(|n| format!("'{n}'")).collect::<Vec<_>>().join(", ");
    format!(
        "event IN ({}) AND channel IN ({})",
        quoted(NoticeEvent::ALL.iter().map(|e| e.as_str()).collect()),
        quoted(NoticeChannel::ALL.iter().map(|c| c.as_str()).collect())
    )
}

/// The claim on PostgreSQL: rows another instance is claiming are skipped, not waited for.
static CLAIM_POSTGRES: LazyLock<String> = LazyLock::new(|| {
    format!(
        "UPDATE outbox SET locked_until = $2, attempts = attempts + 1 WHERE id IN (
            SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $1 AND (locked_until IS NULL OR locked_until < $1)
            AND {} ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
        RETURNING id, company_id, event, channel, recipient, payload, idempotency_key, attempts, created_at, queued_at",
        known_rows()
    )
});
/// SQLite has one writer at a time: the UPDATE itself is the claim.
static CLAIM_SQLITE: LazyLock<String> = LazyLock::new(|| {
    format!(
        "UPDATE outbox SET locked_until = $2, attempts = attempts + 1 WHERE id IN (
            SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $1 AND (locked_until IS NULL OR locked_until < $1)
            AND {} ORDER BY next_attempt_at, id LIMIT $3)
        RETURNING id, company_id, event, channel, recipient, payload, idempotency_key, attempts, created_at, queued_at",
        known_rows()
    )
});
/// The notices that gave up, of the events and channels this build knows.
static FAILED: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT id, event, channel, recipient, attempts, COALESCE(last_error, '') AS last_error, created_at
        FROM outbox WHERE status = 'failed' AND ($1 IS NULL OR company_id = $1) AND {}
        ORDER BY created_at DESC, id DESC LIMIT $2",
        known_rows()
    )
});

impl Store {
    /// Claims up to `limit` due messages until `lease_until` (another instance skips them; a
    /// crashed one's lease runs out and the message is claimed again).
    pub async fn claim_outbox(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<OutboxMessage>, StoreError> {
        Ok(match self {
            Self::Postgres(pool) => sqlx::query_as(&CLAIM_POSTGRES).bind(now).bind(lease_until).bind(limit).fetch_all(pool).await?,
            Self::Sqlite(pool) => sqlx::query_as(&CLAIM_SQLITE).bind(now).bind(lease_until).bind(limit).fetch_all(pool).await?,
        })
    }

    /// Marks a message delivered.
    pub async fn outbox_sent(&self, id: i64, now: DateTime<Utc>) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query("UPDATE outbox SET status = 'sent', sent_at = $2, locked_until = NULL, last_error = NULL WHERE id = $1")
            .bind(id).bind(now).execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    /// Records a failed attempt: tried again at `retry_at`, or given up (`None`).
    pub async fn outbox_failed(&self, id: i64, error: &str, retry_at: Option<DateTime<Utc>>) -> Result<(), StoreError> {
        let error: String = error.chars().take(500).collect();
        on_pool!(self, pool => match retry_at {
            Some(at) => sqlx::query("UPDATE outbox SET next_attempt_at = $2, locked_until = NULL, last_error = $3 WHERE id = $1")
                .bind(id).bind(at).bind(&error).execute(pool).await.map(|_| ()),
            None => sqlx::query("UPDATE outbox SET status = 'failed', locked_until = NULL, last_error = $2 WHERE id = $1")
                .bind(id).bind(&error).execute(pool).await.map(|_| ()),
        })?;
        Ok(())
    }

    /// A company's webhook secret (read at delivery, never copied into the outbox).
    pub async fn webhook_secret(&self, company_id: CompanyId) -> Result<Option<String>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar("SELECT notify_webhook_secret FROM companies WHERE id = $1")
            .bind(company_id).fetch_optional(pool).await)?.flatten())
    }

    /// Writes a `callback.overdue` notice for every open callback request older than its limit
    /// (`high`: `urgent_before`, others: `normal_before`) that has none yet; how many it wrote.
    pub async fn write_overdue_notices(
        &self,
        urgent_before: DateTime<Utc>,
        normal_before: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        const DUE: &str = "SELECT r.id FROM callback_requests r JOIN companies co ON co.id = r.company_id
            WHERE r.status = 'open' AND (co.notify_email IS NOT NULL OR co.notify_webhook_url IS NOT NULL)
              AND ((r.priority = 'high' AND r.created_at < $1) OR (r.priority <> 'high' AND r.created_at < $2))
              AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.idempotency_key IN
                    ('callback.overdue:' || r.id || ':webhook', 'callback.overdue:' || r.id || ':email'))
            ORDER BY r.id LIMIT 500";
        let due: Vec<i64> = on_pool!(self, pool => sqlx::query_scalar(DUE).bind(urgent_before).bind(normal_before).fetch_all(pool).await)?;
        for id in &due {
            let now = Utc::now();
            on_pool!(self, pool => {
                let mut tx = pool.begin().await?;
                write_notice!(tx, CallbackNoticeRow, CALLBACK_NOTICE, *id, NoticeEvent::CallbackOverdue, id, now);
                tx.commit().await?;
            });
        }
        Ok(due.len())
    }

    /// Forgets messages delivered before `before` (failed ones stay: somebody must look at them).
    pub async fn prune_outbox(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query("DELETE FROM outbox WHERE status = 'sent' AND sent_at < $1")
            .bind(before).execute(pool).await.map(|r| r.rows_affected()))?)
    }

    /// Messages by status (`pending`, `sent`, `failed`) for the console and tests.
    pub async fn outbox_counts(&self) -> Result<Vec<(String, i64)>, StoreError> {
        self.outbox_counts_of(None).await
    }

    /// The latest notices of one company (or all) that gave up, newest first.
    pub async fn failed_notices(&self, company_id: Option<CompanyId>, limit: i64) -> Result<Vec<FailedNotice>, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_as(&FAILED).bind(company_id).bind(limit).fetch_all(pool).await)?)
    }

    /// Puts one company's (or every) failed notice back in line once somebody fixed what was
    /// wrong: a fresh day of attempts from `now`, the same idempotency key. How many.
    pub async fn retry_failed_notices(&self, company_id: Option<CompanyId>, now: DateTime<Utc>) -> Result<u64, StoreError> {
        const SQL: &str = "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = $2, queued_at = $2, locked_until = NULL
            WHERE status = 'failed' AND ($1 IS NULL OR company_id = $1)";
        Ok(on_pool!(self, pool => sqlx::query(SQL).bind(company_id).bind(now).execute(pool).await.map(|r| r.rows_affected()))?)
    }

    /// Messages of one company (or all) by status.
    pub async fn outbox_counts_of(&self, company_id: Option<CompanyId>) -> Result<Vec<(String, i64)>, StoreError> {
        const SQL: &str =
            "SELECT status, COUNT(*) FROM outbox WHERE ($1 IS NULL OR company_id = $1) GROUP BY status ORDER BY status";
        Ok(on_pool!(self, pool => sqlx::query_as(SQL).bind(company_id).fetch_all(pool).await)?)
    }
}
