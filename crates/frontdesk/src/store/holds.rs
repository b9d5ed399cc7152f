//! Slot holds in the database, so that every instance sees them: a call's hold made on one
//! instance is its own when the booking lands on another, and keeps the slot from everyone else.

use crate::domain::BranchId;
use crate::domain::CompanyId;
use super::{on_pool, Store, StoreError};
use chrono::{DateTime, Utc};

/// A slot held for one call of a company while the caller confirms.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct HoldRow {
    /// The company.
    pub company_id: CompanyId,
    /// Retell's call id.
    pub call_id: String,
    /// Which of the call's services held back to back, from 0 (a single service is part 0).
    pub part: i32,
    /// The branch.
    pub branch_id: BranchId,
    /// The service.
    pub service_id: i64,
    /// The staff member kept free (embedded calendar).
    pub staff_id: Option<i64>,
    /// Start (UTC).
    pub starts_at: DateTime<Utc>,
    /// End (UTC).
    pub ends_at: DateTime<Utc>,
    /// The Cal.com reservation, on Cal.com.
    pub reservation_uid: Option<String>,
    /// When it lapses.
    pub held_until: DateTime<Utc>,
}

/// Time a booking or hold wants, asked against the other calls' holds ([`Store::is_claimed_by_another_call`]).
#[derive(Debug, Clone, Copy)]
pub struct HoldProbe<'a> {
    /// The company asking.
    pub company_id: CompanyId,
    /// The asking call, whose own hold does not count; `None` for a move from the console.
    pub call_id: Option<&'a str>,
    /// The idempotency-key prefix of the asking call's bookings, which do not count either (a
    /// retry of the call's booking in flight must reach the booking, not be refused by it).
    pub own_booking_keys: Option<&'a str>,
    /// The branch.
    pub branch_id: BranchId,
    /// The service.
    pub service_id: i64,
    /// The staff member whose calendar it goes into (`None`: the service's shared one).
    pub staff_id: Option<i64>,
    /// Start (UTC).
    pub starts_at: DateTime<Utc>,
    /// End (UTC).
    pub ends_at: DateTime<Utc>,
    /// Holds lapsed by then do not count.
    pub now: DateTime<Utc>,
    /// Bookings confirmed since then count too (wall-clock time, as `updated_at`): a calendar
    /// read that began before they were made may not show them yet.
    pub booked_since: DateTime<Utc>,
    /// The appointment being moved, whose own time does not count.
    pub moving: Option<i64>,
}

const COLUMNS: &str =
    "company_id, call_id, part, branch_id, service_id, staff_id, starts_at, ends_at, reservation_uid, held_until";

impl Store {
    /// Records a call's hold — one row per service held back to back — replacing the call's
    /// earlier one (a call holds one slot, or one sequence, at a time). One transaction: another
    /// instance never sees half of it.
    pub async fn put_holds(&self, parts: &[HoldRow]) -> Result<(), StoreError> {
        const CLEAR: &str = "DELETE FROM slot_holds WHERE company_id = $1 AND call_id = $2";
        const SQL: &str = "INSERT INTO slot_holds (company_id, call_id, part, branch_id, service_id, staff_id, starts_at, ends_at, reservation_uid, held_until)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
        let Some(first) = parts.first() else { return Ok(()) };
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(CLEAR).bind(first.company_id).bind(&first.call_id).execute(&mut *tx).await?;
            for hold in parts {
                sqlx::query(SQL)
                    .bind(hold.company_id).bind(&hold.call_id).bind(hold.part).bind(hold.branch_id).bind(hold.service_id)
                    .bind(hold.staff_id).bind(hold.starts_at).bind(hold.ends_at).bind(&hold.reservation_uid).bind(hold.held_until)
                    .execute(&mut *tx).await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// A call's hold, live or lapsed: its parts in order (none when it holds nothing).
    pub async fn holds(&self, company_id: CompanyId, call_id: &str) -> Result<Vec<HoldRow>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM slot_holds WHERE company_id = $1 AND call_id = $2 ORDER BY part");
        let rows = on_pool!(self, pool => sqlx::query_as(&sql).bind(company_id).bind(call_id).fetch_all(pool).await)?;
        Ok(rows)
    }

    /// Removes and returns a call's hold when it is of this slot of this service and still live at
    /// `now`: the call books what it held (one statement, so two instances cannot both take it).
    pub async fn take_hold_of_slot(
        &self,
        company_id: CompanyId,
        call_id: &str,
        service_id: i64,
        start: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Option<HoldRow>, StoreError> {
        let sql = format!(
            "DELETE FROM slot_holds WHERE company_id = $1 AND call_id = $2 AND service_id = $3 AND starts_at = $4
                AND held_until > $5 RETURNING {COLUMNS}"
        );
        let row = on_pool!(self, pool => sqlx::query_as(&sql).bind(company_id).bind(call_id).bind(service_id).bind(start).bind(now).fetch_optional(pool).await)?;
        Ok(row)
    }

    /// Removes and returns a call's hold, every part, live or lapsed (booked, released, or the
    /// call ended).
    pub async fn take_hold(&self, company_id: CompanyId, call_id: &str) -> Result<Vec<HoldRow>, StoreError> {
        let sql = format!("DELETE FROM slot_holds WHERE company_id = $1 AND call_id = $2 RETURNING {COLUMNS}");
        let mut rows: Vec<HoldRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(company_id).bind(call_id).fetch_all(pool).await)?;
        rows.sort_by_key(|row| row.part);
        Ok(rows)
    }

    /// Whether another call claims time the probe needs — a live hold, a booking still on its
    /// way to the outside calendar (pending, or of unknown outcome), or one confirmed so recently
    /// that the calendar read this hold stands on may have missed it — and overlapping it: of the
    /// same staff member (a person does one thing at a time), or of the same service where either
    /// side is the service's shared event type (Cal.com may give it to anyone).
    pub async fn is_claimed_by_another_call(&self, probe: &HoldProbe<'_>) -> Result<bool, StoreError> {
        const SQL: &str = "SELECT
            (SELECT COUNT(*) FROM slot_holds WHERE branch_id = $1 AND held_until > $2
                AND starts_at < $3 AND ends_at > $4 AND NOT (company_id = $5 AND call_id = $6)
                AND (staff_id = $7 OR (service_id = $8 AND (staff_id IS NULL OR $7 IS NULL))))
          + (SELECT COUNT(*) FROM appointments WHERE branch_id = $1
                AND (status IN ('pending', 'pending_unknown') OR (status = 'booked' AND updated_at > $10))
                AND starts_at < $3 AND ends_at > $4 AND substr(idempotency_key, 1, length($9)) <> $9
                AND id <> COALESCE($11, 0)
                AND (staff_id = $7 OR (service_id = $8 AND (staff_id IS NULL OR $7 IS NULL))))";
        // no call of its own: an empty id matches none (Retell's call ids are never empty), and
        // keys begin with the company id, never with a space
        let call_id = probe.call_id.unwrap_or("");
        let own_keys = probe.own_booking_keys.unwrap_or(" ");
        let count: i64 = on_pool!(self, pool => sqlx::query_scalar(SQL)
            .bind(probe.branch_id).bind(probe.now).bind(probe.ends_at).bind(probe.starts_at)
            .bind(probe.company_id).bind(call_id).bind(probe.staff_id).bind(probe.service_id).bind(own_keys)
            .bind(probe.booked_since).bind(probe.moving)
            .fetch_one(pool).await)?;
        Ok(count > 0)
    }

    /// Records the Cal.com reservation behind a call's hold of `start`; false when that hold is
    /// gone (booked, released or replaced meanwhile).
    pub async fn set_hold_reservation(
        &self,
        company_id: CompanyId,
        call_id: &str,
        start: DateTime<Utc>,
        uid: &str,
    ) -> Result<bool, StoreError> {
        const SQL: &str =
            "UPDATE slot_holds SET reservation_uid = $4 WHERE company_id = $1 AND call_id = $2 AND starts_at = $3";
        let done = on_pool!(self, pool => sqlx::query(SQL).bind(company_id).bind(call_id).bind(start).bind(uid).execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(done > 0)
    }
}
