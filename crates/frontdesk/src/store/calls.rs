use crate::domain::BranchId;
use crate::domain::CompanyId;
use super::{on_pool, Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};

/// A call as first seen in a Retell payload.
#[derive(Debug, Clone)]
pub struct CallRecord {
    /// Retell's call id.
    pub retell_call_id: String,
    /// Tenant.
    pub company_id: CompanyId,
    /// Branch the number belongs to.
    pub branch_id: BranchId,
    /// Retell agent.
    pub agent_id: Option<String>,
    /// Caller number (E.164 when known).
    pub from_number: Option<String>,
    /// Dialled number.
    pub to_number: Option<String>,
    /// `inbound` or `outbound`.
    pub direction: String,
    /// `ongoing`, `ended`, …
    pub status: String,
    /// When frontdesk first saw the call.
    pub started_at: DateTime<Utc>,
}

impl Store {
    /// Inserts the call, or refreshes its numbers if Retell's payload already created it; returns its
    /// id. `None` when the call id is another company's call: a row is only ever one company's, so
    /// no company can reach another's call (its numbers, its day discussed) by naming its id.
    pub async fn upsert_call(&self, call: &CallRecord) -> Result<Option<i64>, StoreError> {
        const SQL: &str = "INSERT INTO calls (retell_call_id, company_id, branch_id, agent_id, from_number, to_number, direction, status, started_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            ON CONFLICT (retell_call_id) DO UPDATE SET
                agent_id = COALESCE(excluded.agent_id, calls.agent_id),
                from_number = COALESCE(excluded.from_number, calls.from_number),
                to_number = COALESCE(excluded.to_number, calls.to_number)
            WHERE calls.company_id = excluded.company_id
            RETURNING id";
        let id = on_pool!(self, pool => sqlx::query_scalar(SQL)
            .bind(&call.retell_call_id)
            .bind(call.company_id)
            .bind(call.branch_id)
            .bind(&call.agent_id)
            .bind(&call.from_number)
            .bind(&call.to_number)
            .bind(&call.direction)
            .bind(&call.status)
            .bind(call.started_at)
            .fetch_optional(pool)
            .await)?;
        Ok(id)
    }

    /// Records how a company's call went: status, end, length and why it ended.
    pub async fn finish_call(
        &self,
        company_id: CompanyId,
        retell_call_id: &str,
        status: &str,
        ended_at: Option<DateTime<Utc>>,
        duration_ms: Option<i64>,
        disconnection_reason: Option<&str>,
    ) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE calls SET status = $2, ended_at = COALESCE($3, ended_at),
                duration_ms = COALESCE($4, duration_ms), disconnection_reason = COALESCE($5, disconnection_reason)
            WHERE retell_call_id = $1 AND company_id = $6";
        on_pool!(self, pool => sqlx::query(SQL)
            .bind(retell_call_id)
            .bind(status)
            .bind(ended_at)
            .bind(duration_ms)
            .bind(disconnection_reason)
            .bind(company_id)
            .execute(pool)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// The stored call's status and end, if any.
    pub async fn call_outcome(
        &self,
        retell_call_id: &str,
    ) -> Result<Option<(String, Option<DateTime<Utc>>, Option<i64>, Option<String>)>, StoreError> {
        const SQL: &str =
            "SELECT status, ended_at, duration_ms, disconnection_reason FROM calls WHERE retell_call_id = $1";
        let row = on_pool!(self, pool => sqlx::query_as(SQL).bind(retell_call_id).fetch_optional(pool).await)?;
        Ok(row)
    }

    /// Remembers the day a call last spoke about (tenant-local), for "am Tag danach" later on.
    pub async fn remember_day_discussed(&self, call_row_id: i64, day: NaiveDate) -> Result<(), StoreError> {
        // unchanged (most questions of a call are about one day): nothing is written
        const SQL: &str = "UPDATE calls SET day_discussed = $2 WHERE id = $1 AND (day_discussed IS NULL OR day_discussed <> $2)";
        on_pool!(self, pool => sqlx::query(SQL).bind(call_row_id).bind(day).execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    /// The day a call last spoke about, if it named one.
    pub async fn day_discussed(&self, call_row_id: i64) -> Result<Option<NaiveDate>, StoreError> {
        const SQL: &str = "SELECT day_discussed FROM calls WHERE id = $1";
        let day: Option<Option<NaiveDate>> =
            on_pool!(self, pool => sqlx::query_scalar(SQL).bind(call_row_id).fetch_optional(pool).await)?;
        Ok(day.flatten())
    }

    /// The stored call with this Retell id, if any.
    pub async fn find_call(&self, retell_call_id: &str) -> Result<Option<(i64, CompanyId, String)>, StoreError> {
        const SQL: &str = "SELECT id, company_id, direction FROM calls WHERE retell_call_id = $1";
        let row = on_pool!(self, pool => sqlx::query_as(SQL).bind(retell_call_id).fetch_optional(pool).await)?;
        Ok(row)
    }
}
