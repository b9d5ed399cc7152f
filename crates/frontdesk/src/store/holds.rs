//! Slot holds in the database, so that every instance sees them: a call's hold made on one
//! instance is its own when the booking lands on another, and keeps the slot from everyone else.

use super::{on_pool, Store, StoreError};
use chrono::{DateTime, Utc};

/// A slot held for one call of a company while the caller confirms.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct HoldRow {
    /// The company.
    pub company_id: i64,
    /// Retell's call id.
    pub call_id: String,
    /// The branch.
    pub branch_id: i64,
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

const COLUMNS: &str =
    "company_id, call_id, branch_id, service_id, staff_id, starts_at, ends_at, reservation_uid, held_until";

impl Store {
    /// Records a call's hold, replacing the call's earlier one (a call holds one slot at a time).
    pub async fn put_hold(&self, hold: &HoldRow) -> Result<(), StoreError> {
        const SQL: &str = "INSERT INTO slot_holds (company_id, call_id, branch_id, service_id, staff_id, starts_at, ends_at, reservation_uid, held_until)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            ON CONFLICT (company_id, call_id) DO UPDATE SET branch_id = excluded.branch_id, service_id = excluded.service_id,
                staff_id = excluded.staff_id, starts_at = excluded.starts_at, ends_at = excluded.ends_at,
                reservation_uid = excluded.reservation_uid, held_until = excluded.held_until";
        on_pool!(self, pool => sqlx::query(SQL)
            .bind(hold.company_id).bind(&hold.call_id).bind(hold.branch_id).bind(hold.service_id).bind(hold.staff_id)
            .bind(hold.starts_at).bind(hold.ends_at).bind(&hold.reservation_uid).bind(hold.held_until)
            .execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    /// A call's hold, live or lapsed.
    pub async fn hold(&self, company_id: i64, call_id: &str) -> Result<Option<HoldRow>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM slot_holds WHERE company_id = $1 AND call_id = $2");
        let row =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(company_id).bind(call_id).fetch_optional(pool).await)?;
        Ok(row)
    }

    /// Removes and returns a call's hold when it is of this slot of this service and still live at
    /// `now`: the call books what it held (one statement, so two instances cannot both take it).
    pub async fn take_hold_of_slot(
        &self,
        company_id: i64,
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

    /// Removes and returns a call's hold, live or lapsed (booked, released, or the call ended).
    pub async fn take_hold(&self, company_id: i64, call_id: &str) -> Result<Option<HoldRow>, StoreError> {
        let sql = format!("DELETE FROM slot_holds WHERE company_id = $1 AND call_id = $2 RETURNING {COLUMNS}");
        let row =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(company_id).bind(call_id).fetch_optional(pool).await)?;
        Ok(row)
    }

    /// Whether a live hold of any call keeps exactly this slot of a service.
    pub async fn is_held_slot(
        &self,
        branch_id: i64,
        service_id: i64,
        start: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "SELECT COUNT(*) FROM slot_holds WHERE branch_id = $1 AND service_id = $2 AND starts_at = $3 AND held_until > $4";
        let count: i64 = on_pool!(self, pool => sqlx::query_scalar(SQL).bind(branch_id).bind(service_id).bind(start).bind(now).fetch_one(pool).await)?;
        Ok(count > 0)
    }

    /// Records the Cal.com reservation behind a call's hold of `start`; false when that hold is
    /// gone (booked, released or replaced meanwhile).
    pub async fn set_hold_reservation(
        &self,
        company_id: i64,
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
