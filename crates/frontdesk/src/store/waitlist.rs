//! The waitlist as stored (DESIGN §15): callers' wishes waiting for a time to become free, and
//! the offers of a freed time to them. Only one offer of a slot can be accepted (a unique index),
//! however many customers answer JA at the same moment on however many instances.

use super::{on_pool, NoticeChannel, NoticeData, NoticeEvent, Store, StoreError, OUTBOX_INSERT};
use crate::domain::{AppointmentId, BranchId, CompanyId, CustomerId};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

/// A wish to put on the list.
#[derive(Debug, Clone)]
pub struct NewWaitlistEntry<'a> {
    /// Company.
    pub company_id: CompanyId,
    /// Branch.
    pub branch_id: BranchId,
    /// Service.
    pub service_id: i64,
    /// The staff member asked for, if any.
    pub staff_id: Option<i64>,
    /// The caller's customer row.
    pub customer_id: Option<CustomerId>,
    /// Name (bounded by the caller).
    pub name: &'a str,
    /// Number (E.164), the caller's own.
    pub phone: &'a str,
    /// First and last local day.
    pub days: (NaiveDate, NaiveDate),
    /// Earliest and latest (exclusive) local start.
    pub times: (NaiveTime, NaiveTime),
    /// Whether a freed time is offered by SMS (the caller's number takes SMS and did not say
    /// STOP); else the owner is asked to call.
    pub by_sms: bool,
    /// Now.
    pub now: DateTime<Utc>,
}

/// A waiting entry as the waitlist round and the console read it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WaitlistEntry {
    /// Id.
    pub id: i64,
    /// Company.
    pub company_id: CompanyId,
    /// Branch.
    pub branch_id: BranchId,
    /// Service.
    pub service_id: i64,
    /// Service name.
    pub service_name: String,
    /// Staff member asked for.
    pub staff_id: Option<i64>,
    /// Their name.
    pub staff_name: Option<String>,
    /// Customer.
    pub customer_id: Option<CustomerId>,
    /// Name.
    pub name: String,
    /// Number.
    pub phone: String,
    /// First local day (`YYYY-MM-DD`).
    pub first_day: String,
    /// Last local day.
    pub last_day: String,
    /// Earliest local start (`HH:MM`).
    pub from_time: String,
    /// Latest local start, exclusive.
    pub until_time: String,
    /// Since when it waits.
    pub created_at: DateTime<Utc>,
    /// Whether offers go to it by SMS.
    pub by_sms: bool,
    /// Whether an offer to it is open now.
    pub offered: bool,
}

impl WaitlistEntry {
    /// First and last day.
    pub fn days(&self) -> Option<(NaiveDate, NaiveDate)> {
        Some((self.first_day.parse().ok()?, self.last_day.parse().ok()?))
    }

    /// Earliest and latest (exclusive) start.
    pub fn times(&self) -> Option<(NaiveTime, NaiveTime)> {
        let time = |t: &str| NaiveTime::parse_from_str(t, "%H:%M").ok();
        Some((time(&self.from_time)?, time(&self.until_time)?))
    }
}

/// An offer a customer can accept.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OpenOffer {
    /// Id.
    pub id: i64,
    /// Its entry.
    pub entry_id: i64,
    /// The slot, also the hold's holder.
    pub slot_key: String,
    /// Start.
    pub starts_at: DateTime<Utc>,
    /// Staff member held.
    pub staff_id: Option<i64>,
    /// Company.
    pub company_id: CompanyId,
    /// Branch.
    pub branch_id: BranchId,
    /// Service.
    pub service_id: i64,
    /// Customer.
    pub customer_id: Option<CustomerId>,
    /// Name.
    pub name: String,
    /// Number.
    pub phone: String,
}

/// A freed time offered to entries.
#[derive(Debug, Clone)]
pub struct NewOffer<'a> {
    /// The slot (and hold holder).
    pub slot_key: &'a str,
    /// Start.
    pub start: DateTime<Utc>,
    /// Staff member held.
    pub staff_id: Option<i64>,
    /// Until when it is held.
    pub expires_at: DateTime<Utc>,
    /// What the SMS says (the notice's data).
    pub data: &'a NoticeData,
    /// What the owner's callback says, for entries offered no SMS.
    pub owner_reason: &'a str,
}

const ENTRY_COLUMNS: &str = "SELECT w.id, w.company_id, w.branch_id, w.service_id, s.name AS service_name, w.staff_id, st.name AS staff_name,
        w.customer_id, w.name, w.phone, w.first_day, w.last_day, w.from_time, w.until_time, w.created_at, w.by_sms,
        EXISTS (SELECT 1 FROM waitlist_offers o WHERE o.entry_id = w.id AND o.status = 'open') AS offered
    FROM waitlist_entries w JOIN services s ON s.id = w.service_id LEFT JOIN staff st ON st.id = w.staff_id ";

impl Store {
    /// Puts a wish on the list; the same wish from the same number again is the same entry.
    pub async fn add_waitlist_entry(&self, new: &NewWaitlistEntry<'_>) -> Result<i64, StoreError> {
        const SAME: &str = "SELECT id FROM waitlist_entries WHERE company_id = $1 AND branch_id = $2 AND service_id = $3 AND phone = $4
            AND first_day = $5 AND last_day = $6 AND from_time = $7 AND until_time = $8 AND status = 'waiting'";
        const INSERT: &str = "INSERT INTO waitlist_entries (company_id, branch_id, service_id, staff_id, customer_id, name, phone,
                first_day, last_day, from_time, until_time, status, created_at, updated_at, by_sms)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'waiting', $12, $12, $13) RETURNING id";
        let (first, last) = (new.days.0.to_string(), new.days.1.to_string());
        let (from, until) = (new.times.0.format("%H:%M").to_string(), new.times.1.format("%H:%M").to_string());
        on_pool!(self, pool => {
            let same: Option<i64> = sqlx::query_scalar(SAME).bind(new.company_id).bind(new.branch_id).bind(new.service_id).bind(new.phone)
                .bind(&first).bind(&last).bind(&from).bind(&until).fetch_optional(pool).await?;
            if let Some(id) = same {
                return Ok(id);
            }
            Ok(sqlx::query_scalar(INSERT).bind(new.company_id).bind(new.branch_id).bind(new.service_id).bind(new.staff_id)
                .bind(new.customer_id).bind(new.name).bind(new.phone).bind(&first).bind(&last).bind(&from).bind(&until).bind(new.now).bind(new.by_sms)
                .fetch_one(pool).await?)
        })
    }

    /// Every waiting entry, oldest first (of one company, when given).
    pub async fn waiting_entries(&self, company: Option<CompanyId>) -> Result<Vec<WaitlistEntry>, StoreError> {
        const ALL: &str = "WHERE w.status = 'waiting' ORDER BY w.created_at, w.id";
        const ONE: &str = "WHERE w.status = 'waiting' AND w.company_id = $1 ORDER BY w.first_day, s.name, w.created_at, w.id";
        let all = format!("{ENTRY_COLUMNS}{ALL}");
        let one = format!("{ENTRY_COLUMNS}{ONE}");
        Ok(match company {
            None => on_pool!(self, pool => sqlx::query_as(&all).fetch_all(pool).await)?,
            Some(company) => on_pool!(self, pool => sqlx::query_as(&one).bind(company).fetch_all(pool).await)?,
        })
    }

    /// A customer's wishes in any state (their own or by their numbers), newest first.
    pub async fn customer_waitlist(&self, company: CompanyId, customer: CustomerId) -> Result<Vec<WaitlistEntry>, StoreError> {
        let sql = format!("{ENTRY_COLUMNS}WHERE w.company_id = $1 AND (w.customer_id = $2 OR w.phone IN (SELECT phone FROM customers WHERE id = $2
            UNION SELECT phone FROM customer_numbers WHERE customer_id = $2)) ORDER BY w.created_at DESC, w.id DESC");
        Ok(on_pool!(self, pool => sqlx::query_as(&sql).bind(company).bind(customer).fetch_all(pool).await)?)
    }

    /// How many wishes a number has waiting with a company.
    pub async fn waiting_count(&self, company: CompanyId, phone: &str) -> Result<i64, StoreError> {
        const SQL: &str = "SELECT COUNT(*) FROM waitlist_entries WHERE company_id = $1 AND phone = $2 AND status = 'waiting'";
        Ok(on_pool!(self, pool => sqlx::query_scalar(SQL).bind(company).bind(phone).fetch_one(pool).await)?)
    }

    /// Ends a waiting entry (`reason`: `expired`, `booked`, `stopped`, `removed`); whether it waited.
    pub async fn end_waitlist_entry(&self, company: CompanyId, id: i64, reason: &str, now: DateTime<Utc>) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE waitlist_entries SET status = 'ended', ended_reason = $3, updated_at = $4
            WHERE id = $1 AND company_id = $2 AND status = 'waiting'";
        let changed = on_pool!(self, pool => sqlx::query(SQL).bind(id).bind(company).bind(reason).bind(now).execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(changed > 0)
    }

    /// Ends the entries of customers booked for their service since they joined; how many.
    pub async fn end_entries_booked_elsewhere(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        const SQL: &str = "UPDATE waitlist_entries SET status = 'ended', ended_reason = 'booked', updated_at = $1
            WHERE status = 'waiting' AND EXISTS (SELECT 1 FROM appointments a LEFT JOIN customers c ON c.id = a.customer_id
                WHERE a.company_id = waitlist_entries.company_id AND a.service_id = waitlist_entries.service_id
                  AND a.status IN ('booked', 'pending') AND a.created_at >= waitlist_entries.created_at AND a.starts_at > $1
                  AND (a.customer_id = waitlist_entries.customer_id OR c.phone = waitlist_entries.phone))";
        Ok(on_pool!(self, pool => sqlx::query(SQL).bind(now).execute(pool).await.map(|r| r.rows_affected()))?)
    }

    /// Ends a number's entries with a company (STOP: no offers can reach them).
    pub async fn end_entries_of_number(&self, company: CompanyId, phone: &str, now: DateTime<Utc>) -> Result<u64, StoreError> {
        const SQL: &str = "UPDATE waitlist_entries SET status = 'ended', ended_reason = 'stopped', updated_at = $3
            WHERE company_id = $1 AND phone = $2 AND status = 'waiting'";
        Ok(on_pool!(self, pool => sqlx::query(SQL).bind(company).bind(phone).bind(now).execute(pool).await.map(|r| r.rows_affected()))?)
    }

    /// The slots an entry was offered before (it is not offered one twice).
    pub async fn offered_slots(&self, entry: i64) -> Result<Vec<String>, StoreError> {
        const SQL: &str = "SELECT slot_key FROM waitlist_offers WHERE entry_id = $1";
        Ok(on_pool!(self, pool => sqlx::query_scalar(SQL).bind(entry).fetch_all(pool).await)?)
    }

    /// Offers a held slot to entries (oldest first), in one transaction with what tells them: an
    /// SMS through the outbox (with `sms` set up and the entry's yes to it) or an urgent callback
    /// for the owner (with its notice); how many offers were made.
    pub async fn offer_slot(&self, offer: &NewOffer<'_>, entries: &[&WaitlistEntry], sms: bool, now: DateTime<Utc>) -> Result<usize, StoreError> {
        const INSERT: &str = "INSERT INTO waitlist_offers (company_id, entry_id, slot_key, starts_at, staff_id, expires_at, status, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, 'open', $7) ON CONFLICT (entry_id, slot_key) DO NOTHING RETURNING id";
        const CALLBACK: &str = "INSERT INTO callback_requests (company_id, branch_id, call_id, customer_name, phone, preferred_time, reason, priority, status, created_at)
            VALUES ($1, $2, NULL, $3, $4, NULL, $5, 'high', 'open', $6) RETURNING id";
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let mut made = 0;
            for entry in entries {
                let id: Option<i64> = sqlx::query_scalar(INSERT).bind(entry.company_id).bind(entry.id).bind(offer.slot_key).bind(offer.start)
                    .bind(offer.staff_id).bind(offer.expires_at).bind(now).fetch_optional(&mut *tx).await?;
                let Some(id) = id else { continue };
                made += 1;
                if !(sms && entry.by_sms) {
                    let callback: i64 = sqlx::query_scalar(CALLBACK).bind(entry.company_id).bind(entry.branch_id).bind(&entry.name)
                        .bind(&entry.phone).bind(offer.owner_reason).bind(now).fetch_one(&mut *tx).await?;
                    super::write_notice!(tx, super::CallbackNoticeRow, super::CALLBACK_NOTICE, callback, NoticeEvent::CallbackRequested, callback, now);
                    continue;
                }
                let data = NoticeData { customer_name: Some(entry.name.clone()), phone: Some(entry.phone.clone()), ..offer.data.clone() };
                let payload = serde_json::to_string(&data).expect("notice data serializes");
                let channel = NoticeChannel::SmsCustomer;
                sqlx::query(OUTBOX_INSERT).bind(entry.company_id).bind(NoticeEvent::WaitlistOffer.as_str()).bind(channel.as_str())
                    .bind(&entry.phone).bind(payload).bind(format!("{}:{id}:{channel}", NoticeEvent::WaitlistOffer.as_str())).bind(now)
                    .execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(made)
        })
    }

    /// Whether an offer is still open (its SMS is sent only then; the round that holds it marks
    /// it expired on the service's clock).
    pub async fn offer_open(&self, id: i64) -> Result<bool, StoreError> {
        const SQL: &str = "SELECT COUNT(*) FROM waitlist_offers WHERE id = $1 AND status = 'open'";
        let count: i64 = on_pool!(self, pool => sqlx::query_scalar(SQL).bind(id).fetch_one(pool).await)?;
        Ok(count > 0)
    }

    /// Whether a time (the prefix of its offers' keys) is on offer now (it is held for those
    /// offered; nobody else is added).
    pub async fn slot_on_offer(&self, time: &str, now: DateTime<Utc>) -> Result<bool, StoreError> {
        const SQL: &str = "SELECT COUNT(*) FROM waitlist_offers WHERE slot_key LIKE $1 || '%' AND status IN ('open', 'accepted') AND expires_at > $2";
        let count: i64 = on_pool!(self, pool => sqlx::query_scalar(SQL).bind(time).bind(now).fetch_one(pool).await)?;
        Ok(count > 0)
    }

    /// Offers past their time lapse; how many.
    pub async fn expire_offers(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        const SQL: &str = "UPDATE waitlist_offers SET status = 'expired' WHERE status = 'open' AND expires_at <= $1";
        Ok(on_pool!(self, pool => sqlx::query(SQL).bind(now).execute(pool).await.map(|r| r.rows_affected()))?)
    }

    /// The newest open offer to a number, of these companies.
    pub async fn open_offer_for(&self, phone: &str, companies: &[CompanyId], now: DateTime<Utc>) -> Result<Option<OpenOffer>, StoreError> {
        const SQL: &str = "SELECT o.id, o.entry_id, o.slot_key, o.starts_at, o.staff_id, o.company_id, w.branch_id, w.service_id,
                w.customer_id, w.name, w.phone
            FROM waitlist_offers o JOIN waitlist_entries w ON w.id = o.entry_id
            WHERE w.phone = $1 AND o.status = 'open' AND o.expires_at > $2 AND w.status = 'waiting'
            ORDER BY o.created_at DESC, o.id DESC";
        let offers: Vec<OpenOffer> = on_pool!(self, pool => sqlx::query_as(SQL).bind(phone).bind(now).fetch_all(pool).await)?;
        Ok(offers.into_iter().find(|o| companies.contains(&o.company_id)))
    }

    /// Whether a number was offered a slot that is gone now (a later JA hears that).
    pub async fn had_offer(&self, phone: &str) -> Result<bool, StoreError> {
        const SQL: &str = "SELECT COUNT(*) FROM waitlist_offers o JOIN waitlist_entries w ON w.id = o.entry_id WHERE w.phone = $1";
        let count: i64 = on_pool!(self, pool => sqlx::query_scalar(SQL).bind(phone).fetch_one(pool).await)?;
        Ok(count > 0)
    }

    /// Accepts an offer: the only one of its slot ever accepted; false when it is not open any
    /// more or another was accepted first.
    pub async fn accept_offer(&self, id: i64, now: DateTime<Utc>) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE waitlist_offers SET status = 'accepted' WHERE id = $1 AND status = 'open' AND expires_at > $2";
        let accepted = on_pool!(self, pool => sqlx::query(SQL).bind(id).bind(now).execute(pool).await.map(|r| r.rows_affected()));
        match accepted {
            Ok(n) => Ok(n > 0),
            Err(error) if error.as_database_error().is_some_and(|e| e.is_unique_violation()) => Ok(false),
            Err(error) => Err(error.into()),
        }
    }

    /// The accepted offer was booked: its entry ends as booked, the slot's other offers are gone.
    pub async fn offer_booked(&self, offer: &OpenOffer, appointment: AppointmentId, now: DateTime<Utc>) -> Result<(), StoreError> {
        const ENTRY: &str = "UPDATE waitlist_entries SET status = 'booked', appointment_id = $2, updated_at = $3 WHERE id = $1";
        const OTHERS: &str = "UPDATE waitlist_offers SET status = 'gone' WHERE slot_key = $1 AND status = 'open'";
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(ENTRY).bind(offer.entry_id).bind(appointment).bind(now).execute(&mut *tx).await?;
            sqlx::query(OTHERS).bind(&offer.slot_key).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// An accepted offer whose booking failed: it is gone, the entry keeps waiting.
    pub async fn offer_failed(&self, id: i64) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE waitlist_offers SET status = 'gone' WHERE id = $1";
        on_pool!(self, pool => sqlx::query(SQL).bind(id).execute(pool).await.map(|_| ()))?;
        Ok(())
    }
}
