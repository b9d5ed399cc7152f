//! A person's data (DESIGN §14, GDPR Art. 15/17/20): everything stored about a customer read in
//! one go, erased in one transaction (the appointments themselves stay, for the books, without
//! the person), two records of one person merged, and old call data deleted after the
//! retention period.

use super::console::select_calls;
use super::{on_pool, Appointment, ConsoleCall, ConsoleCallback, Customer, CustomerNote, Store, StoreError};
use crate::domain::{CompanyId, CustomerId};
use chrono::{DateTime, Utc};

/// Everything stored about one customer.
#[derive(Debug, Clone)]
pub struct CustomerRecord {
    /// Who: number, name, e-mail.
    pub customer: Customer,
    /// Since when they are known.
    pub created_at: DateTime<Utc>,
    /// All their appointments, any status, newest first.
    pub appointments: Vec<Appointment>,
    /// What the business noted about them.
    pub notes: Vec<CustomerNote>,
    /// Their calls (from their number, or that booked their appointments), newest first.
    pub calls: Vec<ConsoleCall>,
    /// The callbacks they asked for (by their number).
    pub callbacks: Vec<ConsoleCallback>,
    /// Their waitlist wishes (any state).
    pub waitlist: Vec<super::WaitlistEntry>,
    /// When they agreed to SMS, if they did.
    pub sms_consent_at: Option<DateTime<Utc>>,
}

/// Every number of customer `$n`: their own and those of duplicates merged into them.
macro_rules! numbers_of {
    ($customer:literal) => {
        concat!("(SELECT phone FROM customers WHERE id = ", $customer, " UNION SELECT phone FROM customer_numbers WHERE customer_id = ", $customer, ")")
    };
}

/// The calls of customer `$2` of company `$1`: from their numbers, or that booked for them.
const CUSTOMER_CALLS: &str = select_calls!(
    "",
    concat!("WHERE k.company_id = $1 AND (k.from_number IN ", numbers_of!("$2"), "
        OR k.id IN (SELECT call_id FROM appointments WHERE customer_id = $2 AND +company_id = $1))
    ORDER BY k.started_at DESC, k.id DESC")
);

/// Personal data of customer `$1` of company `$2` leaves every table, in this order (rows that
/// point at the customer first); then [`ERASE_APPOINTMENTS`] and [`ERASE_CUSTOMER`].
const ERASE: [&str; 10] = [
    // what they asked for in their calls
    concat!("UPDATE function_calls SET detail = NULL WHERE company_id = $2 AND retell_call_id IN (SELECT retell_call_id FROM calls
        WHERE from_number IN ", numbers_of!("$1"), " OR id IN (SELECT call_id FROM appointments WHERE customer_id = $1))"),
    // the SMS sent to their numbers (before the outbox rows they point at)
    concat!("DELETE FROM sms_messages WHERE company_id = $2 AND recipient IN ", numbers_of!("$1")),
    // outbox rows to them, or about their appointments and callbacks — matched by field, never by
    // a name that other notices may contain too
    concat!("DELETE FROM outbox WHERE company_id = $2 AND EXISTS (SELECT 1 FROM customers c WHERE c.id = $1 AND (
        outbox.recipient IN ", numbers_of!("$1"), " OR outbox.recipient = c.email
        OR EXISTS (SELECT 1 FROM ", numbers_of!("$1"), " n WHERE outbox.payload LIKE '%\"phone\":\"' || n.phone || '\"%')
        OR outbox.payload LIKE '%\"email\":\"' || c.email || '\"%'
        OR EXISTS (SELECT 1 FROM appointments a WHERE a.customer_id = c.id
            AND outbox.payload LIKE '%\"appointment_id\":' || a.id || ',%')
        OR EXISTS (SELECT 1 FROM callback_requests r WHERE r.company_id = $2 AND (r.phone IN ", numbers_of!("$1"), "
                OR r.call_id IN (SELECT call_id FROM appointments WHERE customer_id = c.id))
            AND outbox.payload LIKE '%\"callback_id\":' || r.id || ',%')))"),
    // their callbacks, by their number or left in a call that booked for them (before the calls
    // forget the number): kept as a count, nothing of the person
    concat!("UPDATE callback_requests SET customer_name = NULL, phone = '', reason = NULL, preferred_time = NULL, done_note = NULL
        WHERE company_id = $2 AND (phone IN ", numbers_of!("$1"), "
            OR call_id IN (SELECT call_id FROM appointments WHERE customer_id = $1))"),
    // what the calls with them recorded
    concat!("UPDATE calls SET from_number = NULL, summary = NULL, sentiment = NULL, recording_url = NULL
        WHERE company_id = $2 AND (from_number IN ", numbers_of!("$1"), "
            OR id IN (SELECT call_id FROM appointments WHERE customer_id = $1))"),
    "DELETE FROM customer_notes WHERE customer_id = $1 AND company_id = $2",
    // their waiting wishes and the offers made to them
    concat!("DELETE FROM waitlist_offers WHERE company_id = $2 AND entry_id IN (SELECT id FROM waitlist_entries
        WHERE company_id = $2 AND (customer_id = $1 OR phone IN ", numbers_of!("$1"), "))"),
    concat!("DELETE FROM waitlist_entries WHERE company_id = $2 AND (customer_id = $1 OR phone IN ", numbers_of!("$1"), ")"),
    // their STOP (with the consent, it goes with the customer)
    concat!("DELETE FROM sms_optouts WHERE company_id = $2 AND phone IN ", numbers_of!("$1")),
    "DELETE FROM customer_numbers WHERE customer_id = $1 AND company_id = $2",
];

/// The appointments stay for the books, without the person or what they said (`$3`: now).
const ERASE_APPOINTMENTS: &str =
    "UPDATE appointments SET customer_id = NULL, notes = NULL, updated_at = $3 WHERE customer_id = $1 AND company_id = $2";

/// Last, the customer.
const ERASE_CUSTOMER: &str = "DELETE FROM customers WHERE id = $1 AND company_id = $2";

impl Store {
    /// Everything stored about a customer of the company; `None` when there is no such customer.
    pub async fn customer_record(&self, company_id: CompanyId, id: CustomerId) -> Result<Option<CustomerRecord>, StoreError> {
        const CUSTOMER: &str = "SELECT id, company_id, phone, name, email, created_at FROM customers WHERE id = $1 AND company_id = $2";
        const CALLBACKS: &str = "SELECT r.id, co.name AS company, b.name AS branch, r.customer_name AS name, r.phone, r.reason,
                r.preferred_time, r.priority, r.status, r.created_at, r.done_at, r.done_note
            FROM callback_requests r JOIN companies co ON co.id = r.company_id LEFT JOIN branches b ON b.id = r.branch_id
            WHERE r.company_id = $1 AND r.phone IN (SELECT phone FROM customers WHERE id = $2 AND company_id = $1
                UNION SELECT phone FROM customer_numbers WHERE customer_id = $2 AND company_id = $1)
            ORDER BY r.created_at DESC, r.id DESC";
        type Row = (CustomerId, CompanyId, String, Option<String>, Option<String>, DateTime<Utc>);
        let found: Option<Row> = on_pool!(self, pool => sqlx::query_as(CUSTOMER).bind(id).bind(company_id).fetch_optional(pool).await)?;
        let Some((id, company_id, phone, name, email, created_at)) = found else { return Ok(None) };
        let calls = on_pool!(self, pool => sqlx::query_as(CUSTOMER_CALLS).bind(company_id).bind(id).fetch_all(pool).await)?;
        let waitlist = self.customer_waitlist(company_id, id).await?;
        const CONSENT: &str = "SELECT sms_consent_at FROM customers WHERE id = $1";
        let sms_consent_at: Option<DateTime<Utc>> = on_pool!(self, pool => sqlx::query_scalar(CONSENT).bind(id).fetch_one(pool).await)?;
        let callbacks = on_pool!(self, pool => sqlx::query_as(CALLBACKS).bind(company_id).bind(id).fetch_all(pool).await)?;
        Ok(Some(CustomerRecord {
            customer: Customer { id, company_id, phone, name, email },
            created_at,
            appointments: self.customer_appointments(company_id, id, i64::MAX).await?,
            notes: self.customer_notes(company_id, id).await?,
            calls,
            callbacks,
            waitlist,
            sms_consent_at,
        }))
    }

    /// A customer's calls, newest first (at most `limit`).
    pub async fn customer_calls(&self, company_id: CompanyId, id: CustomerId, limit: usize) -> Result<Vec<ConsoleCall>, StoreError> {
        let mut calls: Vec<ConsoleCall> = on_pool!(self, pool => sqlx::query_as(CUSTOMER_CALLS).bind(company_id).bind(id).fetch_all(pool).await)?;
        calls.truncate(limit);
        Ok(calls)
    }

    /// Removes a customer's personal data everywhere (customer, notes, appointments' notes,
    /// calls, callbacks, outbox) in one transaction; whether there was such a customer.
    pub async fn erase_customer(&self, company_id: CompanyId, id: CustomerId) -> Result<bool, StoreError> {
        let now = Utc::now();
        // Writes from the first statement on: a SQLite transaction that read first could not
        // take the write lock after another connection's write (SQLITE_BUSY_SNAPSHOT).
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            for statement in ERASE {
                sqlx::query(statement).bind(id).bind(company_id).execute(&mut *tx).await?;
            }
            sqlx::query(ERASE_APPOINTMENTS).bind(id).bind(company_id).bind(now).execute(&mut *tx).await?;
            let found = sqlx::query(ERASE_CUSTOMER).bind(id).bind(company_id).execute(&mut *tx).await?.rows_affected() > 0;
            // no such customer of this company: nothing was theirs to erase (the rollback is a no-op)
            if found {
                tx.commit().await?;
            }
            Ok(found)
        })
    }

    /// Merges customer `from` into `into` (both the company's): appointments and notes move,
    /// a name or e-mail `into` lacks is taken over, `from`'s number is kept as a note, and `from`
    /// goes. Whether both existed.
    pub async fn merge_customers(&self, company_id: CompanyId, from: CustomerId, into: CustomerId, by: &str) -> Result<bool, StoreError> {
        // the first statement writes (see erase_customer) and finds both of the company's
        const TAKE_OVER: &str = "UPDATE customers SET name = COALESCE(name, (SELECT name FROM customers WHERE id = $2)),
                email = COALESCE(email, (SELECT email FROM customers WHERE id = $2)), updated_at = $4
            WHERE id = $3 AND company_id = $1 AND EXISTS (SELECT 1 FROM customers WHERE id = $2 AND company_id = $1)";
        const KEEP_NUMBER: &str = "INSERT INTO customer_notes (company_id, customer_id, text, author, created_at)
            SELECT $1, $3, 'merged: ' || phone || COALESCE(' (' || name || ')', ''), $4, $5 FROM customers WHERE id = $2";
        // `$1` company, `$2` from, `$3` into
        const MOVE: [&str; 6] = [
            "UPDATE appointments SET customer_id = $3 WHERE customer_id = $2 AND company_id = $1",
            "UPDATE customer_notes SET customer_id = $3 WHERE customer_id = $2 AND company_id = $1",
            // the duplicate's numbers become the kept customer's other numbers (not their own twice)
            "INSERT INTO customer_numbers (company_id, customer_id, phone)
                SELECT $1, $3, phone FROM customers WHERE id = $2 AND company_id = $1
                UNION SELECT $1, $3, phone FROM customer_numbers WHERE customer_id = $2 AND company_id = $1
                EXCEPT SELECT $1, $3, phone FROM customer_numbers WHERE customer_id = $3
                EXCEPT SELECT $1, $3, phone FROM customers WHERE id = $3",
            "DELETE FROM customer_numbers WHERE customer_id = $2 AND company_id = $1",
            "UPDATE waitlist_entries SET customer_id = $3 WHERE customer_id = $2 AND company_id = $1",
            "DELETE FROM customers WHERE id = $2 AND company_id = $1 AND $3 <> $2",
        ];
        if from == into {
            return Ok(false);
        }
        let now = Utc::now();
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let both = sqlx::query(TAKE_OVER).bind(company_id).bind(from).bind(into).bind(now).execute(&mut *tx).await?.rows_affected() == 1;
            if !both {
                return Ok(false);
            }
            sqlx::query(KEEP_NUMBER).bind(company_id).bind(from).bind(into).bind(by).bind(now).execute(&mut *tx).await?;
            for step in MOVE {
                sqlx::query(step).bind(company_id).bind(from).bind(into).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Deletes call records (with their function calls) that began before `before`: what was
    /// said and analysed goes, the appointments and callbacks they made stay. How many calls.
    pub async fn delete_calls_before(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        const STEPS: [&str; 3] = [
            "UPDATE appointments SET call_id = NULL WHERE call_id IN (SELECT id FROM calls WHERE started_at < $1)",
            "UPDATE callback_requests SET call_id = NULL WHERE call_id IN (SELECT id FROM calls WHERE started_at < $1)",
            "DELETE FROM function_calls WHERE created_at < $1",
        ];
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            for step in STEPS {
                sqlx::query(step).bind(before).execute(&mut *tx).await?;
            }
            let deleted = sqlx::query("DELETE FROM calls WHERE started_at < $1").bind(before).execute(&mut *tx).await?.rows_affected();
            tx.commit().await?;
            Ok(deleted)
        })
    }
}
