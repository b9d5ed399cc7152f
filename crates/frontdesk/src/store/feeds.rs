//! Calendar feed tokens and what a feed shows: the live appointments of a branch or of one staff
//! member in a span of time.

use crate::domain::BranchId;
use crate::domain::CompanyId;
use super::appointments::select_appointments;
use super::{on_pool, Appointment, Store, StoreError};
use chrono::{DateTime, Utc};

/// What a feed token opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct FeedScope {
    /// Company.
    pub company_id: CompanyId,
    /// Branch.
    pub branch_id: BranchId,
    /// One staff member, or the whole branch.
    pub staff_id: Option<i64>,
}

impl Store {
    /// The live token of a scope, if any.
    pub async fn feed_token(&self, branch_id: BranchId, staff_id: Option<i64>) -> Result<Option<String>, StoreError> {
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
    ) -> Result<Vec<Appointment>, StoreError> {
        const SQL: &str = select_appointments!(
            "WHERE a.company_id = $1 AND a.branch_id = $2 AND ($3 IS NULL OR a.staff_id = $3)
                AND a.starts_at >= $4 AND a.starts_at < $5 AND a.status <> 'cancelled'
            ORDER BY a.starts_at, a.id LIMIT $6"
        );
        Ok(on_pool!(self, pool => sqlx::query_as(SQL)
            .bind(scope.company_id).bind(scope.branch_id).bind(scope.staff_id).bind(from).bind(to).bind(super::LIST_LIMIT * 5)
            .fetch_all(pool).await)?)
    }
}
