//! SMS bookkeeping (DESIGN §15): a company's own sender and account, a customer's consent, the
//! numbers that answered STOP (per company), and every message sent with its delivery status.

use super::{on_pool, Store, StoreError};
use crate::domain::{CompanyId, CustomerId, PhoneNumber};
use chrono::{DateTime, Utc};

/// A company's own SMS settings as stored (each falls back to the service's).
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct CompanySms {
    /// The company's name.
    pub name: String,
    /// Its sender.
    pub sms_from: Option<String>,
    /// Its account.
    pub sms_account_sid: Option<String>,
    /// That account's token.
    pub sms_auth_token: Option<String>,
}

/// One SMS sent, as recorded when the API accepted it.
#[derive(Debug, Clone, Copy)]
pub struct SentSms<'a> {
    /// Company.
    pub company_id: CompanyId,
    /// The outbox row it delivered.
    pub outbox_id: Option<i64>,
    /// The API's message sid.
    pub sid: &'a str,
    /// The number it went to.
    pub recipient: &'a str,
    /// What it was (the notice's event).
    pub event: &'a str,
    /// The appointment it was about.
    pub appointment_id: Option<i64>,
    /// When.
    pub at: DateTime<Utc>,
}

impl Store {
    /// A company's SMS settings; `None` for an unknown company.
    pub async fn company_sms(&self, company_id: CompanyId) -> Result<Option<CompanySms>, StoreError> {
        const SQL: &str = "SELECT name, sms_from, sms_account_sid, sms_auth_token FROM companies WHERE id = $1";
        Ok(on_pool!(self, pool => sqlx::query_as(SQL).bind(company_id).fetch_optional(pool).await)?)
    }

    /// The companies that send with this sender number (their replies come to it).
    pub async fn companies_sending_from(&self, number: &str) -> Result<Vec<(CompanyId, CompanySms)>, StoreError> {
        const SQL: &str = "SELECT id, name, sms_from, sms_account_sid, sms_auth_token FROM companies WHERE sms_from = $1 ORDER BY id";
        #[derive(sqlx::FromRow)]
        struct Row {
            id: CompanyId,
            #[sqlx(flatten)]
            sms: CompanySms,
        }
        let rows: Vec<Row> = on_pool!(self, pool => sqlx::query_as(SQL).bind(number).fetch_all(pool).await)?;
        Ok(rows.into_iter().map(|row| (row.id, row.sms)).collect())
    }

    /// The companies without a sender of their own: they send from the service's.
    pub async fn companies_on_default_sender(&self) -> Result<Vec<CompanyId>, StoreError> {
        const SQL: &str = "SELECT id FROM companies WHERE sms_from IS NULL ORDER BY id";
        Ok(on_pool!(self, pool => sqlx::query_scalar(SQL).fetch_all(pool).await)?)
    }

    /// Records that a customer agreed to SMS (the agent asked; `sms_ok`).
    pub async fn record_sms_consent(&self, company_id: CompanyId, customer: CustomerId, at: DateTime<Utc>) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE customers SET sms_consent_at = COALESCE(sms_consent_at, $3) WHERE id = $1 AND company_id = $2";
        on_pool!(self, pool => sqlx::query(SQL).bind(customer).bind(company_id).bind(at).execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    /// Whether a message for this outbox row was accepted already (a delivery repeated after a
    /// lost acknowledgement must not text the customer twice).
    pub async fn sms_sent_for(&self, outbox_id: i64) -> Result<bool, StoreError> {
        const SQL: &str = "SELECT COUNT(*) FROM sms_messages WHERE outbox_id = $1";
        let count: i64 = on_pool!(self, pool => sqlx::query_scalar(SQL).bind(outbox_id).fetch_one(pool).await)?;
        Ok(count > 0)
    }

    /// Records a message the API accepted.
    pub async fn record_sms(&self, sms: SentSms<'_>) -> Result<(), StoreError> {
        const SQL: &str = "INSERT INTO sms_messages (company_id, outbox_id, sid, recipient, event, appointment_id, status, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, 'queued', $7, $7) ON CONFLICT (sid) DO NOTHING";
        on_pool!(self, pool => sqlx::query(SQL).bind(sms.company_id).bind(sms.outbox_id).bind(sms.sid).bind(sms.recipient)
            .bind(sms.event).bind(sms.appointment_id).bind(sms.at).execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    /// Stores a delivery report; whether the message is known.
    pub async fn sms_status(&self, sid: &str, status: &str, at: DateTime<Utc>) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE sms_messages SET status = $2, updated_at = $3 WHERE sid = $1";
        let status: String = status.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').take(20).collect();
        let changed = on_pool!(self, pool => sqlx::query(SQL).bind(sid).bind(status).bind(at).execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(changed > 0)
    }

    /// The status of a message by its sid.
    pub async fn sms_status_of(&self, sid: &str) -> Result<Option<String>, StoreError> {
        const SQL: &str = "SELECT status FROM sms_messages WHERE sid = $1";
        Ok(on_pool!(self, pool => sqlx::query_scalar(SQL).bind(sid).fetch_optional(pool).await)?)
    }

    /// The company among `companies` (those sending from the number replied to) that last
    /// texted `number`: whose customer replies.
    pub async fn last_texted_by(&self, number: &PhoneNumber, companies: &[CompanyId]) -> Result<Option<CompanyId>, StoreError> {
        const SQL: &str = "SELECT company_id FROM sms_messages WHERE recipient = $1 ORDER BY created_at DESC, id DESC";
        let texted: Vec<CompanyId> = on_pool!(self, pool => sqlx::query_scalar(SQL).bind(number.as_str()).fetch_all(pool).await)?;
        Ok(texted.into_iter().find(|c| companies.contains(c)))
    }

    /// The live, future appointment a number was last reminded of (among `companies`): what an ABSAGEN reply cancels. Read from the history, written with the reminder
    /// itself, so a reply that overtakes the send's bookkeeping still finds it.
    pub async fn reminded_appointment(
        &self,
        number: &PhoneNumber,
        companies: &[CompanyId],
        now: DateTime<Utc>,
    ) -> Result<Option<(CompanyId, crate::domain::AppointmentId)>, StoreError> {
        const SQL: &str = "SELECT a.company_id, a.id FROM appointments a JOIN customers c ON c.id = a.customer_id
            JOIN appointment_history h ON h.appointment_id = a.id AND h.action = 'reminded'
            WHERE c.phone = $1 AND a.status = 'booked' AND a.starts_at > $2
            ORDER BY h.at DESC, h.id DESC";
        let found: Vec<(CompanyId, crate::domain::AppointmentId)> =
            on_pool!(self, pool => sqlx::query_as(SQL).bind(number.as_str()).bind(now).fetch_all(pool).await)?;
        Ok(found.into_iter().find(|(c, _)| companies.contains(c)))
    }

    /// The companies among `companies` that may text a number: that texted it, where it agreed
    /// to SMS, or where it waits for an SMS offer; the most recent first.
    pub async fn sms_companies_of(&self, number: &PhoneNumber, companies: &[CompanyId]) -> Result<Vec<CompanyId>, StoreError> {
        const SQL: &str = "SELECT company_id, MAX(at) AS last FROM (
                SELECT company_id, created_at AS at FROM sms_messages WHERE recipient = $1
                UNION ALL SELECT company_id, sms_consent_at AS at FROM customers WHERE phone = $1 AND sms_consent_at IS NOT NULL
                UNION ALL SELECT company_id, created_at AS at FROM waitlist_entries WHERE phone = $1 AND by_sms
            ) known GROUP BY company_id ORDER BY last DESC, company_id";
        let rows: Vec<(CompanyId, Option<DateTime<Utc>>)> =
            on_pool!(self, pool => sqlx::query_as(SQL).bind(number.as_str()).fetch_all(pool).await)?;
        Ok(rows.into_iter().map(|(company, _)| company).filter(|c| companies.contains(c)).collect())
    }

    /// STOP (`stopped`) or START from a number, for one company.
    pub async fn set_sms_stopped(&self, company_id: CompanyId, number: &PhoneNumber, stopped: bool, at: DateTime<Utc>) -> Result<(), StoreError> {
        const STOP: &str = "INSERT INTO sms_optouts (company_id, phone, stopped_at) VALUES ($1, $2, $3) ON CONFLICT (company_id, phone) DO NOTHING";
        const START: &str = "DELETE FROM sms_optouts WHERE company_id = $1 AND phone = $2";
        let sql = if stopped { STOP } else { START };
        on_pool!(self, pool => sqlx::query(sql).bind(company_id).bind(number.as_str()).bind(at).execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    /// Whether a number answered STOP to a company.
    pub async fn sms_stopped(&self, company_id: CompanyId, number: &str) -> Result<bool, StoreError> {
        const SQL: &str = "SELECT COUNT(*) FROM sms_optouts WHERE company_id = $1 AND phone = $2";
        let count: i64 = on_pool!(self, pool => sqlx::query_scalar(SQL).bind(company_id).bind(number).fetch_one(pool).await)?;
        Ok(count > 0)
    }
}
