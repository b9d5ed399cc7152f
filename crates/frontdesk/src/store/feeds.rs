//! Calendar feed tokens and what a feed shows: the live appointments of a branch or of one staff
//! member in a span of time.

use super::{on_pool, Store, StoreError};
use chrono::{DateTime, Utc};

/// What a feed token opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct FeedScope {
    /// Company.
    pub company_id: i64,
    /// Branch.
    pub branch_id: i64,
    /// One staff member, or the whole branch.
    pub staff_id: Option<i64>,
}

/// One appointment as a feed shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FeedAppointment {
    /// Id (the event's stable UID).
    pub id: i64,
    /// Service name.
    pub service: String,
    /// Staff member.
    pub staff: Option<String>,
    /// Customer name.
    pub customer_name: Option<String>,
    /// Customer number.
    pub phone: Option<String>,
    /// Start.
    pub starts_at: DateTime<Utc>,
    /// End.
    pub ends_at: DateTime<Utc>,
    /// `booked`, `pending`, `pending_unknown`.
    pub status: String,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

impl Store {
    /// The live token of a scope, if any.
    pub async fn feed_token(&self, branch_id: i64, staff_id: Option<i64>) -> Result<Option<String>, StoreError> {
        const SQL: &str = "SELECT token FROM feed_tokens
            WHERE branch_id = $1 AND staff_id IS NOT DISTINCT FROM $2 AND revoked_at IS NULL ORDER BY id DESC LIMIT 1";
        Ok(on_pool!(self, pool => sqlx::query_scalar(SQL).bind(branch_id).bind(staff_id).fetch_optional(pool).await)?)
    }

    /// Makes `token` the scope's only live token: any earlier one is revoked in the same transaction.
    pub async fn put_feed_token(
        &self,
        scope: FeedScope,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query("UPDATE feed_tokens SET revoked_at = $3 WHERE branch_id = $1 AND staff_id IS NOT DISTINCT FROM $2 AND revoked_at IS NULL")
                .bind(scope.branch_id).bind(scope.staff_id).bind(now).execute(&mut *tx).await?;
            sqlx::query("INSERT INTO feed_tokens (token, company_id, branch_id, staff_id, created_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(token).bind(scope.company_id).bind(scope.branch_id).bind(scope.staff_id).bind(now).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// What a live token opens.
    pub async fn feed_scope(&self, token: &str) -> Result<Option<FeedScope>, StoreError> {
        const SQL: &str =
            "SELECT company_id, branch_id, staff_id FROM feed_tokens WHERE token = $1 AND revoked_at IS NULL";
        Ok(on_pool!(self, pool => sqlx::query_as(SQL).bind(token).fetch_optional(pool).await)?)
    }

    /// Live appointments of a scope starting in `[from, to)`, soonest first.
    pub async fn feed_appointments(
        &self,
        scope: FeedScope,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<FeedAppointment>, StoreError> {
        const SQL: &str = "SELECT a.id, s.name AS service, st.name AS staff,
                CASE WHEN a.source = 'calcom' THEN COALESCE(c.name, a.notes) ELSE c.name END AS customer_name,
                c.phone, a.starts_at, a.ends_at, a.status, a.updated_at
            FROM appointments a JOIN services s ON s.id = a.service_id LEFT JOIN staff st ON st.id = a.staff_id
            LEFT JOIN customers c ON c.id = a.customer_id
            WHERE a.company_id = $1 AND a.branch_id = $2 AND ($3 IS NULL OR a.staff_id = $3)
                AND a.starts_at >= $4 AND a.starts_at < $5 AND a.status <> 'cancelled'
            ORDER BY a.starts_at, a.id LIMIT $6";
        Ok(on_pool!(self, pool => sqlx::query_as(SQL)
            .bind(scope.company_id).bind(scope.branch_id).bind(scope.staff_id).bind(from).bind(to).bind(super::LIST_LIMIT * 5)
            .fetch_all(pool).await)?)
    }
}
