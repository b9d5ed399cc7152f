//! The daily digest's figures and its outbox rows.

use crate::domain::CompanyId;
use super::{on_pool, NoticeChannel, NoticeData, Store, StoreError};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A company's day in numbers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigestFigures {
    /// The local day, `YYYY-MM-DD`.
    pub day: String,
    /// Calls answered.
    pub calls: i64,
    /// Appointments made (by phone or in the console) and still live.
    pub booked: i64,
    /// Appointments moved (last changed today and moved at least once).
    pub moved: i64,
    /// Appointments cancelled today.
    pub cancelled: i64,
    /// Callback requests left today.
    pub callbacks_requested: i64,
    /// Callback requests open now (any day).
    pub callbacks_open: i64,
    /// Calls that ended with no booking and no callback, by why they ended.
    pub ended_with_nothing: Vec<(String, i64)>,
    /// Reminders written today (DESIGN §15).
    #[serde(default)]
    pub reminders: i64,
    /// Appointments cancelled today by an SMS reply.
    #[serde(default)]
    pub cancelled_by_reply: i64,
    /// Freed times booked today from the waitlist.
    #[serde(default)]
    pub refilled: i64,
}

/// Where a company's digest goes and when.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DigestTarget {
    /// Company.
    pub id: crate::domain::CompanyId,
    /// `HH:MM`, or `None` for 19:00.
    pub digest_time: Option<String>,
}

impl Store {
    /// Companies that hear about anything (an e-mail or a webhook is set).
    pub async fn digest_targets(&self) -> Result<Vec<DigestTarget>, StoreError> {
        const SQL: &str = "SELECT id, digest_time FROM companies
            WHERE notify_email IS NOT NULL OR notify_webhook_url IS NOT NULL ORDER BY id";
        Ok(on_pool!(self, pool => sqlx::query_as(SQL).fetch_all(pool).await)?)
    }

    /// Whether the outbox already holds the digest `key` on any channel (exact keys: the unique index).
    pub async fn digest_written(&self, key: &str) -> Result<bool, StoreError> {
        const SQL: &str = "SELECT COUNT(*) FROM outbox WHERE idempotency_key IN ($1 || ':email', $1 || ':webhook')";
        let n: i64 = on_pool!(self, pool => sqlx::query_scalar(SQL).bind(key).fetch_one(pool).await)?;
        Ok(n > 0)
    }

    /// The figures of a company's day `[from, to)`.
    pub async fn digest_figures(
        &self,
        company_id: CompanyId,
        day: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<DigestFigures, StoreError> {
        const COUNTS: &str = "SELECT
            (SELECT COUNT(*) FROM calls WHERE company_id = $1 AND started_at >= $2 AND started_at < $3),
            (SELECT COUNT(*) FROM appointments WHERE company_id = $1 AND created_at >= $2 AND created_at < $3 AND status <> 'cancelled' AND source <> 'calcom'),
            (SELECT COUNT(*) FROM appointments WHERE company_id = $1 AND updated_at >= $2 AND updated_at < $3 AND sequence > 0 AND status <> 'cancelled'),
            (SELECT COUNT(*) FROM appointments WHERE company_id = $1 AND updated_at >= $2 AND updated_at < $3 AND status = 'cancelled'),
            (SELECT COUNT(*) FROM callback_requests WHERE company_id = $1 AND created_at >= $2 AND created_at < $3),
            (SELECT COUNT(*) FROM callback_requests WHERE company_id = $1 AND status = 'open')";
        const NOTHING: &str = "SELECT COALESCE(k.disconnection_reason, k.status) AS why, COUNT(*) FROM calls k
            WHERE k.company_id = $1 AND k.started_at >= $2 AND k.started_at < $3
              AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.call_id = k.id)
              AND NOT EXISTS (SELECT 1 FROM callback_requests r WHERE r.call_id = k.id)
            GROUP BY COALESCE(k.disconnection_reason, k.status) ORDER BY COUNT(*) DESC";
        let (counts, nothing): ((i64, i64, i64, i64, i64, i64), Vec<(String, i64)>) = on_pool!(self, pool => (
            sqlx::query_as(COUNTS).bind(company_id).bind(from).bind(to).fetch_one(pool).await?,
            sqlx::query_as(NOTHING).bind(company_id).bind(from).bind(to).fetch_all(pool).await?,
        ));
        let (calls, booked, moved, cancelled, callbacks_requested, callbacks_open) = counts;
        const SMS: &str = "SELECT
            (SELECT COUNT(*) FROM appointment_history WHERE company_id = $1 AND at >= $2 AND at < $3 AND action = 'reminded'),
            (SELECT COUNT(*) FROM appointment_history WHERE company_id = $1 AND at >= $2 AND at < $3 AND action = 'cancelled' AND actor = 'sms'),
            (SELECT COUNT(*) FROM appointment_history WHERE company_id = $1 AND at >= $2 AND at < $3 AND action = 'booked' AND actor = 'waitlist')";
        let (reminders, cancelled_by_reply, refilled): (i64, i64, i64) =
            on_pool!(self, pool => sqlx::query_as(SMS).bind(company_id).bind(from).bind(to).fetch_one(pool).await)?;
        Ok(DigestFigures {
            day: day.to_string(),
            calls,
            booked,
            moved,
            cancelled,
            callbacks_requested,
            callbacks_open,
            ended_with_nothing: nothing,
            reminders,
            cancelled_by_reply,
            refilled,
        })
    }

    /// Writes a digest for each of the company's channels (owner e-mail, webhook), once per key.
    pub async fn write_digest(&self, company_id: CompanyId, key: &str, data: &NoticeData) -> Result<(), StoreError> {
        let now = Utc::now();
        let payload = serde_json::to_string(data).expect("notice data serializes");
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let (email, url): (Option<String>, Option<String>) =
                sqlx::query_as("SELECT notify_email, notify_webhook_url FROM companies WHERE id = $1")
                    .bind(company_id).fetch_one(&mut *tx).await?;
            for (channel, recipient) in email.map(|e| (NoticeChannel::Email, e)).into_iter().chain(url.map(|u| (NoticeChannel::Webhook, u))) {
                sqlx::query(super::OUTBOX_INSERT)
                .bind(company_id).bind(super::NoticeEvent::DigestDaily.as_str()).bind(channel.as_str()).bind(recipient).bind(&payload).bind(format!("{key}:{channel}")).bind(now)
                .execute(&mut *tx).await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }
}
