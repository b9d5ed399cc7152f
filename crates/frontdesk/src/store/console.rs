//! What the operator console reads: appointments with names, callbacks, calls with their
//! function calls. Every query is bound to a company unless an admin asks for all (`None`).

use crate::domain::{AppointmentId, CompanyId};
use super::appointments::select_appointments;
use super::{on_pool, Appointment, CallbackStatus, Priority, Store, StoreError};
use chrono::{DateTime, Utc};

/// Most rows one console list shows (a page is read by a person, and must render in milliseconds).
pub const LIST_LIMIT: i64 = 2000;

/// A callback request with its company and branch names (as `GET /admin/api/callbacks` lists it).
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize, utoipa::ToSchema)]
pub struct ConsoleCallback {
    /// Id.
    pub id: i64,
    /// Company name.
    pub company: String,
    /// Branch name.
    pub branch: Option<String>,
    /// Caller's name.
    pub name: Option<String>,
    /// Number to call back.
    pub phone: String,
    /// What it is about.
    pub reason: Option<String>,
    /// When the caller would like the call.
    pub preferred_time: Option<String>,
    /// How urgent: `normal` or `high`.
    #[sqlx(try_from = "String")]
    #[schema(value_type = String)]
    pub priority: Priority,
    /// `open` or `done`.
    #[sqlx(try_from = "String")]
    #[schema(value_type = String)]
    pub status: CallbackStatus,
    /// Asked for at.
    pub created_at: DateTime<Utc>,
    /// Done at.
    pub done_at: Option<DateTime<Utc>>,
    /// The note staff left.
    #[serde(rename = "note")]
    pub done_note: Option<String>,
}

/// Every read of calls as [`ConsoleCall`]s: one SELECT, each reader adding its joins and its
/// `WHERE` and `ORDER BY` — `select_calls!("", "WHERE k.id = $1")`.
macro_rules! select_calls {
    ($joins:expr, $tail:expr) => {
        concat!(
            "SELECT k.retell_call_id, b.name AS branch, k.from_number, k.direction, k.started_at, k.duration_ms,
                k.status, k.disconnection_reason, k.summary, k.sentiment, k.recording_url,
                (SELECT COUNT(*) FROM appointments x WHERE x.call_id = k.id) AS booked,
                (SELECT COUNT(*) FROM callback_requests r WHERE r.call_id = k.id) AS callbacks,
                (SELECT cu.name FROM customers cu WHERE cu.company_id = k.company_id AND cu.phone = k.from_number) AS caller_name,
                ba.id AS booked_id, ba.starts_at AS booked_start, bs.name AS booked_service, bst.name AS booked_staff,
                (SELECT MIN(r.id) FROM callback_requests r WHERE r.call_id = k.id) AS callback_id,
                (SELECT f.detail FROM function_calls f WHERE f.retell_call_id = k.retell_call_id AND f.detail IS NOT NULL
                    ORDER BY f.id DESC LIMIT 1) AS not_offered
            FROM calls k JOIN branches b ON b.id = k.branch_id
            LEFT JOIN appointments ba ON ba.id = (SELECT MIN(x.id) FROM appointments x WHERE x.call_id = k.id)
            LEFT JOIN services bs ON bs.id = ba.service_id LEFT JOIN staff bst ON bst.id = ba.staff_id ",
            $joins, " ", $tail
        )
    };
}
pub(crate) use select_calls;

/// A call with what came of it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ConsoleCall {
    /// Retell's call id.
    pub retell_call_id: String,
    /// Branch name.
    pub branch: String,
    /// Caller number.
    pub from_number: Option<String>,
    /// `inbound` or `outbound`.
    pub direction: String,
    /// When frontdesk first saw it.
    pub started_at: DateTime<Utc>,
    /// Length, when Retell reported the end.
    pub duration_ms: Option<i64>,
    /// `ongoing`, `ended`, `analyzed`.
    pub status: String,
    /// Why it ended.
    pub disconnection_reason: Option<String>,
    /// Retell's summary (`call_analyzed`).
    pub summary: Option<String>,
    /// Retell's user sentiment.
    pub sentiment: Option<String>,
    /// Retell's recording.
    pub recording_url: Option<String>,
    /// Appointments this call booked.
    pub booked: i64,
    /// Callback requests this call left.
    pub callbacks: i64,
    /// The caller's name, when their number is a customer's.
    pub caller_name: Option<String>,
    /// The first appointment the call booked: id, start, service, staff member.
    pub booked_id: Option<AppointmentId>,
    /// Its start.
    pub booked_start: Option<DateTime<Utc>>,
    /// Its service.
    pub booked_service: Option<String>,
    /// Its staff member.
    pub booked_staff: Option<String>,
    /// The first callback request the call left.
    pub callback_id: Option<i64>,
    /// What the caller asked for that is not offered.
    pub not_offered: Option<String>,
}

/// Which calls the calls page lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallFilter {
    /// Every call.
    All,
    /// Calls that ended with nothing: no booking, callback, move or cancellation.
    Lost,
    /// Calls that booked.
    Bookings,
    /// Calls that left a callback request.
    Callbacks,
}

impl CallFilter {
    /// As in the page's address (`?show=lost`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Lost => "lost",
            Self::Bookings => "bookings",
            Self::Callbacks => "callbacks",
        }
    }

    /// Every filter, in the page's order.
    pub const ALL: [Self; 4] = [Self::All, Self::Lost, Self::Bookings, Self::Callbacks];

    /// From the page's address; anything else lists every call.
    pub fn parse(text: Option<&str>) -> Self {
        Self::ALL.into_iter().find(|f| Some(f.as_str()) == text).unwrap_or(Self::All)
    }
}

/// The calls of company `$1` (every company for `NULL`) that filter `$3` lists, newest first, `$2` of them.
macro_rules! filtered_calls {
    () => {
        "WHERE ($1 IS NULL OR k.company_id = $1) AND (
            $3 = 'all'
            OR ($3 = 'bookings' AND EXISTS (SELECT 1 FROM appointments x WHERE x.call_id = k.id))
            OR ($3 = 'callbacks' AND EXISTS (SELECT 1 FROM callback_requests r WHERE r.call_id = k.id))
            OR ($3 = 'lost' AND k.status <> 'ongoing'
                AND NOT EXISTS (SELECT 1 FROM appointments x WHERE x.call_id = k.id)
                AND NOT EXISTS (SELECT 1 FROM callback_requests r WHERE r.call_id = k.id)
                AND NOT EXISTS (SELECT 1 FROM function_calls f WHERE f.retell_call_id = k.retell_call_id AND f.outcome = 'success'
                    AND f.function IN ('reschedule_appointment', 'cancel_appointment'))))
        ORDER BY k.started_at DESC, k.id DESC LIMIT $2"
    };
}

/// One function call of a call.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CallStep {
    /// The call.
    pub retell_call_id: String,
    /// Function as called.
    pub function: String,
    /// `success` or an error code.
    pub outcome: String,
    /// Server-side duration.
    pub duration_us: i64,
}

impl Store {
    /// Live appointments starting in `[from, to)`, of one company (or all), of one staff member
    /// (or all), soonest first.
    pub async fn console_appointments(
        &self,
        company_id: Option<CompanyId>,
        staff_name: Option<&str>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Appointment>, StoreError> {
        const SQL: &str = select_appointments!(
            "WHERE ($1 IS NULL OR a.company_id = $1) AND a.starts_at >= $2 AND a.starts_at < $3
                AND a.status <> 'cancelled' AND ($4 IS NULL OR st.name = $4)
            ORDER BY a.starts_at, a.id LIMIT $5"
        );
        Ok(on_pool!(self, pool => sqlx::query_as(SQL)
            .bind(company_id).bind(from).bind(to).bind(staff_name).bind(LIST_LIMIT)
            .fetch_all(pool).await)?)
    }

    /// One live appointment of a company (or of any company for `None`): not cancelled, not a no-show.
    pub async fn console_appointment(
        &self,
        company_id: Option<CompanyId>,
        id: i64,
    ) -> Result<Option<Appointment>, StoreError> {
        const SQL: &str =
            select_appointments!("WHERE a.id = $1 AND ($2 IS NULL OR a.company_id = $2) AND a.status NOT IN ('cancelled', 'no_show')");
        Ok(on_pool!(self, pool => sqlx::query_as(SQL).bind(id).bind(company_id).fetch_optional(pool).await)?)
    }

    /// One appointment of a company, whatever its status (cancelled and no-show included).
    pub async fn company_appointment(&self, company_id: CompanyId, id: AppointmentId) -> Result<Option<Appointment>, StoreError> {
        const SQL: &str = select_appointments!("WHERE a.id = $1 AND a.company_id = $2");
        Ok(on_pool!(self, pool => sqlx::query_as(SQL).bind(id).bind(company_id).fetch_optional(pool).await)?)
    }

    /// The call an appointment of the company was booked in, with what came of it.
    pub async fn appointment_call(&self, company_id: CompanyId, id: AppointmentId) -> Result<Option<ConsoleCall>, StoreError> {
        const SQL: &str = select_calls!("JOIN appointments a ON a.call_id = k.id", "WHERE a.id = $1 AND a.company_id = $2");
        Ok(on_pool!(self, pool => sqlx::query_as(SQL).bind(id).bind(company_id).fetch_optional(pool).await)?)
    }

    /// Callback requests of one company (or all), `open` or `done` or both: urgent first, newest first.
    pub async fn console_callbacks(
        &self,
        company_id: Option<CompanyId>,
        status: Option<&str>,
        limit: i64,
    ) -> Result<Vec<ConsoleCallback>, StoreError> {
        const SQL: &str = "SELECT r.id, co.name AS company, b.name AS branch, r.customer_name AS name, r.phone, r.reason,
                r.preferred_time, r.priority, r.status, r.created_at, r.done_at, r.done_note
            FROM callback_requests r JOIN companies co ON co.id = r.company_id LEFT JOIN branches b ON b.id = r.branch_id
            WHERE ($1 IS NULL OR r.company_id = $1) AND ($2 IS NULL OR r.status = $2)
            ORDER BY CASE r.status WHEN 'open' THEN 0 ELSE 1 END, CASE r.priority WHEN 'high' THEN 0 ELSE 1 END, r.created_at DESC, r.id DESC
            LIMIT $3";
        Ok(on_pool!(self, pool => sqlx::query_as(SQL).bind(company_id).bind(status).bind(limit.min(LIST_LIMIT)).fetch_all(pool).await)?)
    }

    /// How many callback requests of a company (or all) are open.
    pub async fn open_callback_count(&self, company_id: Option<CompanyId>) -> Result<i64, StoreError> {
        const SQL: &str =
            "SELECT COUNT(*) FROM callback_requests WHERE ($1 IS NULL OR company_id = $1) AND status = 'open'";
        Ok(on_pool!(self, pool => sqlx::query_scalar(SQL).bind(company_id).fetch_one(pool).await)?)
    }

    /// Marks a callback request of this company done with a note; `false` when the company has
    /// no such request. Marking it again keeps the first time and note.
    pub async fn mark_callback_done(
        &self,
        company_id: Option<CompanyId>,
        id: i64,
        note: Option<&str>,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE callback_requests SET status = 'done', done_at = COALESCE(done_at, $3),
                done_note = COALESCE(done_note, $4), done_by = COALESCE(done_by, $5)
            WHERE id = $1 AND ($2 IS NULL OR company_id = $2)";
        let done = on_pool!(self, pool => sqlx::query(SQL).bind(id).bind(company_id).bind(now).bind(note).bind(by).execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(done > 0)
    }

    /// A company's (or every company's) latest calls the filter lists, newest first, with what
    /// each booked and left.
    pub async fn console_calls(&self, company_id: Option<CompanyId>, filter: CallFilter, limit: i64) -> Result<Vec<ConsoleCall>, StoreError> {
        const SQL: &str = select_calls!("", filtered_calls!());
        Ok(on_pool!(self, pool => sqlx::query_as(SQL).bind(company_id).bind(limit).bind(filter.as_str()).fetch_all(pool).await)?)
    }

    /// The function calls of the calls [`Store::console_calls`] lists, in the order they were answered.
    pub async fn console_call_steps(&self, company_id: Option<CompanyId>, filter: CallFilter, limit: i64) -> Result<Vec<CallStep>, StoreError> {
        const SQL: &str = concat!(
            "SELECT f.retell_call_id, f.function, f.outcome, f.duration_us FROM function_calls f
            WHERE f.retell_call_id IN (SELECT k.retell_call_id FROM calls k ",
            filtered_calls!(),
            ") ORDER BY f.id"
        );
        Ok(on_pool!(self, pool => sqlx::query_as(SQL).bind(company_id).bind(limit).bind(filter.as_str()).fetch_all(pool).await)?)
    }

    /// Stores what Retell's `call_analyzed` event says about a company's call.
    pub async fn record_call_analysis(
        &self,
        company_id: CompanyId,
        retell_call_id: &str,
        summary: Option<&str>,
        sentiment: Option<&str>,
        recording_url: Option<&str>,
    ) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE calls SET summary = COALESCE($2, summary), sentiment = COALESCE($3, sentiment),
                recording_url = COALESCE($4, recording_url) WHERE retell_call_id = $1 AND company_id = $5";
        on_pool!(self, pool => sqlx::query(SQL)
            .bind(retell_call_id)
            .bind(summary)
            .bind(sentiment)
            .bind(recording_url)
            .bind(company_id)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Appointments whose outcome in the calendar is still being reconciled.
    pub async fn open_reconciliations(&self) -> Result<i64, StoreError> {
        const SQL: &str = "SELECT COUNT(*) FROM appointments WHERE status IN ('pending', 'pending_unknown')";
        Ok(on_pool!(self, pool => sqlx::query_scalar(SQL).fetch_one(pool).await)?)
    }
}

impl Store {
    /// Function calls a company answered since `since`, and the latest one's time: whether its
    /// agent's signed requests are arriving.
    pub async fn signed_requests_since(
        &self,
        company_id: CompanyId,
        since: DateTime<Utc>,
    ) -> Result<(i64, Option<DateTime<Utc>>), StoreError> {
        const SQL: &str = "SELECT COUNT(*), MAX(created_at) FROM function_calls WHERE company_id = $1 AND created_at > $2";
        Ok(on_pool!(self, pool => sqlx::query_as(SQL).bind(company_id).bind(since).fetch_one(pool).await)?)
    }
}
