use crate::domain::BranchId;
use crate::domain::CompanyId;
use super::{on_pool, write_notice, CallbackNoticeRow, NoticeEvent, Store, StoreError, CALLBACK_NOTICE};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A caller frontdesk could not help, to be called back by staff.
#[derive(Debug, Clone)]
pub struct NewCallback {
    /// Tenant.
    pub company_id: CompanyId,
    /// Branch that was called.
    pub branch_id: BranchId,
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
    /// How urgent.
    pub priority: Priority,
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
    /// How urgent.
    #[sqlx(try_from = "String")]
    pub priority: Priority,
    /// Open until staff handle it.
    #[sqlx(try_from = "String")]
    pub status: CallbackStatus,
    /// When it was asked for.
    pub created_at: DateTime<Utc>,
}

/// How urgent a callback is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    /// Within the day.
    Normal,
    /// The caller said it is urgent.
    High,
}

impl Priority {
    /// The text stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Normal => "normal",
            Self::High => "high",
        }
    }

    /// An open callback request is overdue after this long: an hour when urgent, four otherwise
    /// (the console marks it, and the owner is told once).
    pub fn overdue_after(self) -> chrono::Duration {
        match self {
            Self::High => chrono::Duration::hours(1),
            Self::Normal => chrono::Duration::hours(4),
        }
    }
}

impl TryFrom<String> for Priority {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        [Self::Normal, Self::High].into_iter().find(|p| p.as_str() == text).ok_or_else(|| format!("unknown priority {text:?}"))
    }
}

/// Where a callback request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CallbackStatus {
    /// Waiting for staff.
    Open,
    /// Handled.
    Done,
}

impl TryFrom<String> for CallbackStatus {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        match text.as_str() {
            "open" => Ok(Self::Open),
            "done" => Ok(Self::Done),
            _ => Err(format!("unknown callback status {text:?}")),
        }
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
                .bind(callback.priority.as_str())
                .bind(callback.created_at)
                .fetch_one(&mut *tx)
                .await?;
            write_notice!(tx, CallbackNoticeRow, CALLBACK_NOTICE, id, NoticeEvent::CallbackRequested, id, Utc::now());
            tx.commit().await?;
            Ok(id)
        })
    }

    /// A company's open callback requests, urgent first, oldest first.
    pub async fn open_callbacks(&self, company_id: CompanyId) -> Result<Vec<CallbackRequest>, StoreError> {
        const SQL: &str = "SELECT id, customer_name, phone, preferred_time, reason, priority, status, created_at FROM callback_requests
            WHERE company_id = $1 AND status = 'open' ORDER BY CASE priority WHEN 'high' THEN 0 ELSE 1 END, created_at";
        let rows = on_pool!(self, pool => sqlx::query_as(SQL).bind(company_id).fetch_all(pool).await)?;
        Ok(rows)
    }
}
