//! Staff absences (DESIGN §13): written by the tenants file, the console and the API; read into
//! the directory for the slot engine, and per staff member for the console and the API. Every
//! write is bound to the company that owns the staff member.

use super::appointments::select_appointments;
use super::hours::hours_json;
use super::{on_pool, Appointment, Store, StoreError};
use crate::domain::{Absence, AbsenceId, CompanyId, OpeningHours, StaffId};
use chrono::{DateTime, Utc};

/// Inserts one absence: company, staff, start, end, all day, reason, source, created.
pub(super) const INSERT_ABSENCE: &str = "INSERT INTO staff_absences (company_id, staff_id, starts_at, ends_at, all_day, reason, source, created_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
/// Every absence ending after `$1`, for the directory.
pub(super) const SELECT_ABSENCES_SINCE: &str =
    "SELECT id, staff_id, starts_at, ends_at, all_day, reason FROM staff_absences WHERE ends_at > $1 ORDER BY staff_id, starts_at";

/// An absence as stored.
#[derive(Debug, sqlx::FromRow)]
pub(super) struct AbsenceRow {
    id: AbsenceId,
    /// The staff member away.
    pub(super) staff_id: i64,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    all_day: bool,
    reason: String,
}

impl AbsenceRow {
    /// The domain value.
    pub(super) fn into_absence(self) -> Absence {
        Absence { id: self.id, starts_at: self.starts_at, ends_at: self.ends_at, all_day: self.all_day, reason: self.reason }
    }
}

/// An absence to record.
#[derive(Debug, Clone)]
pub struct NewAbsence<'a> {
    /// The company the staff member must belong to.
    pub company_id: CompanyId,
    /// Who is away.
    pub staff_id: StaffId,
    /// First instant away (UTC).
    pub starts_at: DateTime<Utc>,
    /// First instant back (UTC).
    pub ends_at: DateTime<Utc>,
    /// Entered as whole days.
    pub all_day: bool,
    /// Why (bounded by the caller of this function).
    pub reason: &'a str,
    /// Who entered it: `console` or `api`.
    pub source: &'static str,
}

impl Store {
    /// Records an absence of a staff member of `company_id`; `None` when the staff member is not
    /// the company's (nothing is written).
    pub async fn add_absence(&self, new: &NewAbsence<'_>, now: DateTime<Utc>) -> Result<Option<AbsenceId>, StoreError> {
        const SQL: &str = "INSERT INTO staff_absences (company_id, staff_id, starts_at, ends_at, all_day, reason, source, created_at)
            SELECT $1, s.id, $3, $4, $5, $6, $7, $8 FROM staff s JOIN branches b ON b.id = s.branch_id
            WHERE s.id = $2 AND b.company_id = $1 AND s.active
            RETURNING id";
        let id = on_pool!(self, pool => sqlx::query_scalar(SQL)
            .bind(new.company_id).bind(new.staff_id.0).bind(new.starts_at).bind(new.ends_at).bind(new.all_day)
            .bind(new.reason).bind(new.source).bind(now)
            .fetch_optional(pool).await)?;
        Ok(id)
    }

    /// A staff member's absences ending after `since`, by start (within their company only).
    pub async fn absences_of(
        &self,
        company_id: CompanyId,
        staff_id: StaffId,
        since: DateTime<Utc>,
    ) -> Result<Vec<Absence>, StoreError> {
        const SQL: &str = "SELECT id, staff_id, starts_at, ends_at, all_day, reason FROM staff_absences
            WHERE company_id = $1 AND staff_id = $2 AND ends_at > $3 ORDER BY starts_at";
        let rows: Vec<AbsenceRow> =
            on_pool!(self, pool => sqlx::query_as(SQL).bind(company_id).bind(staff_id.0).bind(since).fetch_all(pool).await)?;
        Ok(rows.into_iter().map(AbsenceRow::into_absence).collect())
    }

    /// Removes an absence of the company; the staff member it was of, or `None` when the company
    /// has no such absence.
    pub async fn delete_absence(&self, company_id: CompanyId, id: AbsenceId) -> Result<Option<StaffId>, StoreError> {
        const SQL: &str = "DELETE FROM staff_absences WHERE id = $1 AND company_id = $2 RETURNING staff_id";
        let staff: Option<i64> =
            on_pool!(self, pool => sqlx::query_scalar(SQL).bind(id).bind(company_id).fetch_optional(pool).await)?;
        Ok(staff.map(StaffId))
    }

    /// The company an absence belongs to (the admin token acts for every company).
    pub async fn absence_company(&self, id: AbsenceId) -> Result<Option<CompanyId>, StoreError> {
        const SQL: &str = "SELECT company_id FROM staff_absences WHERE id = $1";
        Ok(on_pool!(self, pool => sqlx::query_scalar(SQL).bind(id).fetch_optional(pool).await)?)
    }

    /// Whose an absence of the company is.
    pub async fn absence_staff(&self, company_id: CompanyId, id: AbsenceId) -> Result<Option<StaffId>, StoreError> {
        const SQL: &str = "SELECT staff_id FROM staff_absences WHERE id = $1 AND company_id = $2";
        let staff: Option<i64> = on_pool!(self, pool => sqlx::query_scalar(SQL).bind(id).bind(company_id).fetch_optional(pool).await)?;
        Ok(staff.map(StaffId))
    }

    /// Sets a staff member's weekly working hours (`None`: the branch's) and breaks; false when
    /// the staff member is not the company's.
    pub async fn set_staff_schedule(
        &self,
        company_id: CompanyId,
        staff_id: StaffId,
        working_hours: Option<&OpeningHours>,
        breaks: &OpeningHours,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE staff SET working_hours = $3, breaks = $4
            WHERE id = $2 AND branch_id IN (SELECT id FROM branches WHERE company_id = $1)";
        let done = on_pool!(self, pool => sqlx::query(SQL)
            .bind(company_id).bind(staff_id.0)
            .bind(working_hours.map(hours_json)).bind(hours_json(breaks))
            .execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(done > 0)
    }

    /// A staff member's live appointments overlapping `[from, to)`, by start: what an absence
    /// there runs into.
    pub async fn staff_appointments_between(
        &self,
        company_id: CompanyId,
        staff_id: StaffId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Appointment>, StoreError> {
        const SQL: &str = select_appointments!(
            "WHERE a.company_id = $1 AND a.staff_id = $2 AND a.starts_at < $4 AND a.ends_at > $3
                AND a.status <> 'cancelled' ORDER BY a.starts_at"
        );
        let rows = on_pool!(self, pool => sqlx::query_as(SQL).bind(company_id).bind(staff_id.0).bind(from).bind(to).fetch_all(pool).await)?;
        Ok(rows)
    }
}
