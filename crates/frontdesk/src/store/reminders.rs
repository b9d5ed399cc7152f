//! Reminders (DESIGN §15) as stored: the live appointments that may be due one, and writing a
//! reminder's outbox rows with its history entry in one transaction. The outbox key names the
//! appointment, the entry (hours before) and the start, so whichever instance writes it, it is
//! written once, and a moved appointment is reminded again for its new time.

use super::outbox::{AppointmentNoticeRow, APPOINTMENT_NOTICE};
use super::{on_pool, Actor, HistoryAction, NoticeChannel, NoticeEvent, Store, StoreError, OUTBOX_INSERT};
use crate::domain::AppointmentId;
use chrono::{DateTime, Utc};

/// How a company reminds (`reminder_channel`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReminderChannel {
    /// SMS only (when the customer agreed).
    Sms,
    /// E-mail only (when the customer gave one).
    Email,
    /// Both.
    Both,
    /// What the customer has: SMS when they agreed, else e-mail.
    Either,
}

impl ReminderChannel {
    /// Reads the company's key (`None` or unknown: [`ReminderChannel::Either`]).
    pub fn parse(text: Option<&str>) -> Self {
        match text {
            Some("sms") => Self::Sms,
            Some("email") => Self::Email,
            Some("both") => Self::Both,
            _ => Self::Either,
        }
    }

    /// The customer channels of `available` (theirs) a reminder goes to.
    fn pick(self, available: Vec<(NoticeChannel, String)>) -> Vec<(NoticeChannel, String)> {
        let has_sms = available.iter().any(|(c, _)| *c == NoticeChannel::SmsCustomer);
        available
            .into_iter()
            .filter(|(channel, _)| match (self, channel) {
                (Self::Sms, NoticeChannel::SmsCustomer) | (Self::Email, NoticeChannel::EmailCustomer) => true,
                (Self::Both, c) => matches!(c, NoticeChannel::SmsCustomer | NoticeChannel::EmailCustomer),
                (Self::Either, NoticeChannel::SmsCustomer) => true,
                (Self::Either, NoticeChannel::EmailCustomer) => !has_sms,
                _ => false,
            })
            .collect()
    }
}

/// A live appointment that may be due a reminder, with its company's plan.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReminderCandidate {
    /// The appointment.
    pub id: AppointmentId,
    /// Its start.
    pub starts_at: DateTime<Utc>,
    /// When it was booked (a reminder due before then is not sent: the confirmation is fresh).
    pub created_at: DateTime<Utc>,
    /// The company's zone (quiet hours are local).
    pub timezone: String,
    /// Hours before the start, comma-separated (`24`, `48,2`).
    pub reminder_hours: String,
    /// `sms`, `email`, `both` or none.
    pub reminder_channel: Option<String>,
}

impl ReminderCandidate {
    /// The entries of the company's plan.
    pub fn hours(&self) -> Vec<u32> {
        self.reminder_hours.split(',').filter_map(|h| h.trim().parse().ok()).collect()
    }
}

impl Store {
    /// Whether appointment `id` is still booked at `start`.
    pub async fn appointment_live_at(&self, id: AppointmentId, start: DateTime<Utc>) -> Result<bool, StoreError> {
        const SQL: &str = "SELECT COUNT(*) FROM appointments WHERE id = $1 AND starts_at = $2 AND status = 'booked'";
        let count: i64 = on_pool!(self, pool => sqlx::query_scalar(SQL).bind(id).bind(start).fetch_one(pool).await)?;
        Ok(count > 0)
    }

    /// Booked appointments (not Cal.com's own) starting in `(now, until]` of companies that remind.
    pub async fn reminder_candidates(&self, now: DateTime<Utc>, until: DateTime<Utc>) -> Result<Vec<ReminderCandidate>, StoreError> {
        const SQL: &str = "SELECT a.id, a.starts_at, a.created_at, co.timezone, co.reminder_hours, co.reminder_channel
            FROM appointments a JOIN companies co ON co.id = a.company_id
            WHERE a.status = 'booked' AND a.starts_at > $1 AND a.starts_at <= $2 AND a.source <> 'calcom' AND co.reminder_hours <> ''
            ORDER BY a.starts_at";
        Ok(on_pool!(self, pool => sqlx::query_as(SQL).bind(now).bind(until).fetch_all(pool).await)?)
    }

    /// Writes the reminder `hours` before appointment `id` (still booked at `start`) to the
    /// customer's channels by the company's `channel`; whether anything was written now (false:
    /// written before, by this or another instance, or nowhere to send it).
    pub async fn write_reminder(&self, id: AppointmentId, hours: u32, start: DateTime<Utc>, now: DateTime<Utc>) -> Result<bool, StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let found: Option<AppointmentNoticeRow> = sqlx::query_as(APPOINTMENT_NOTICE).bind(id).fetch_optional(&mut *tx).await?;
            let Some(row) = found.filter(|r| r.appointment.starts_at == start && r.appointment.status == super::AppointmentStatus::Booked) else {
                return Ok(false);
            };
            let plan: Option<String> = sqlx::query_scalar("SELECT reminder_channel FROM companies WHERE id = $1")
                .bind(row.appointment.company_id).fetch_one(&mut *tx).await?;
            let (company_id, recipients, data) = row.data();
            let to_customer = recipients.into_iter().filter(|(c, _)| matches!(c, NoticeChannel::SmsCustomer | NoticeChannel::EmailCustomer)).collect();
            let payload = serde_json::to_string(&data).expect("notice data serializes");
            let mut written = false;
            for (channel, recipient) in ReminderChannel::parse(plan.as_deref()).pick(to_customer) {
                let key = format!("{}:{id}:{hours}:{}:{channel}", NoticeEvent::BookingReminder.as_str(), start.timestamp());
                written |= sqlx::query(OUTBOX_INSERT).bind(company_id).bind(NoticeEvent::BookingReminder.as_str()).bind(channel.as_str())
                    .bind(recipient).bind(&payload).bind(key).bind(now).execute(&mut *tx).await?.rows_affected() > 0;
            }
            if written {
                super::history::write_history!(tx, id, HistoryAction::Reminded, &Actor::Frontdesk, Some(&format!("{hours}")), now);
            }
            tx.commit().await?;
            Ok(written)
        })
    }
}
