use super::{on_pool, write_notice, CallbackNoticeRow, NoticeEvent, Store, StoreError, CALLBACK_NOTICE};
use chrono::{DateTime, Utc};

/// A caller frontdesk could not help, to be called back by staff.
#[derive(Debug, Clone)]
pub struct NewCallback {
    /// Tenant.
    pub company_id: i64,
    /// Branch that was called.
    pub branch_id: i64,
    /// The call it came from.
    pub call_id: Option<i64>,
    /// Name as given.
    pub customer_name: Option<String>,
    /// Number to call back (E.164).
    pub phone: String,
    /// When the caller would like the call.
    pub preferred_time: Option<String>,
    /// What it is about.
    pub reason: Option<String>,
    /// `normal` or `high`.
    pub priority: String,
    /// When the caller asked (the service's clock: overdue is measured from it).
    pub created_at: DateTime<Utc>,
}

/// A stored callback request, for the staff list.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CallbackRequest {
    /// Id.
    pub id: i64,
    /// Name.
    pub customer_name: Option<String>,
    /// Number.
    pub phone: String,
    /// Preferred time.
    pub preferred_time: Option<String>,
    /// Reason.
    pub reason: Option<String>,
    /// Priority.
    pub priority: String,
    /// `open` until staff handle it.
    pub status: String,
    /// When it was asked for.
    pub created_at: DateTime<Utc>,
}

/// An open callback request is overdue after this long: an hour when urgent, four otherwise
/// (the console marks it, and the owner is told once).
pub fn overdue_after(priority: &str) -> chrono::Duration {
    if priority == "high" {
        chrono::Duration::hours(1)
    } else {
        chrono::Duration::hours(4)
    }
}

impl Store {
    /// Stores a callback request; returns its id.
    pub async fn insert_callback(&self, callback: &NewCallback) -> Result<i64, StoreError> {
        const SQL: &str = "INSERT INTO callback_requests (company_id, branch_id, call_id, customer_name, phone, preferred_time, reason, priority, status, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9) RETURNING id";
        // The callback and its notice land together or not at all: nobody is lost.
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(SQL)
                .bind(callback.company_id)
                .bind(callback.branch_id)
                .bind(callback.call_id)
                .bind(&callback.customer_name)
                .bind(&callback.phone)
                .bind(&callback.preferred_time)
                .bind(&callback.reason)
                .bind(&callback.priority)
                .bind(callback.created_at)
                .fetch_one(&mut *tx)
                .await?;
            write_notice!(tx, CallbackNoticeRow, CALLBACK_NOTICE, id, NoticeEvent::CallbackRequested, id, Utc::now());
            tx.commit().await?;
            Ok(id)
        })
    }

    /// A company's open callback requests, urgent first, oldest first.
    pub async fn open_callbacks(&self, company_id: i64) -> Result<Vec<CallbackRequest>, StoreError> {
        const SQL: &str = "SELECT id, customer_name, phone, preferred_time, reason, priority, status, created_at FROM callback_requests
            WHERE company_id = $1 AND status = 'open' ORDER BY CASE priority WHEN 'high' THEN 0 ELSE 1 END, created_at";
        let rows = on_pool!(self, pool => sqlx::query_as(SQL).bind(company_id).fetch_all(pool).await)?;
        Ok(rows)
    }
}
