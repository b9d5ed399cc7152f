//! Storage: one set of repositories over SQLite (embedded default) and PostgreSQL (production).
//!
//! Both backends run the same SQL text (`$n` placeholders and `ON CONFLICT … RETURNING` work in
//! both); the `on_pool!` macro expands each query once per backend so types stay checked.

mod absences;
mod appointments;
mod audit;
mod callbacks;
mod calls;
mod companies;
mod console;
mod customers;
mod digest;
mod feeds;
pub(crate) mod history;
mod holds;
mod hours;
mod operators;
mod outbox;
mod privacy;
mod provisions;
mod reminders;
mod waitlist;
mod sms;
mod tenants;

pub use absences::NewAbsence;
pub use appointments::{
    Appointment, AppointmentSource, AppointmentStatus, BusyInterval, MovedTo, NewAppointment,
};
pub use history::{Actor, HistoryAction, HistoryEntry};
pub use audit::{AuditLog, FunctionCallRecord};
pub use callbacks::{CallbackRequest, CallbackStatus, NewCallback, Priority};
pub use calls::CallRecord;
pub use companies::{CalcomConnection, TenantWriteError, UpcomingAppointment};
pub use console::{CallFilter, CallStep, ConsoleCall, ConsoleCallback, LIST_LIMIT};
pub use customers::{Customer, CustomerNote, CustomerSearch, CustomerSummary};
pub use digest::{DigestFigures, DigestTarget};
pub use feeds::FeedScope;
pub use holds::{HoldProbe, HoldRow};
pub use operators::{Invitation, NewOperator, OperatorRow, SessionRow};
pub use privacy::CustomerRecord;
pub use provisions::RetellProvision;
pub use sms::{CompanySms, SentSms};
pub use reminders::{ReminderCandidate, ReminderChannel};
pub use waitlist::{NewOffer, NewWaitlistEntry, OpenOffer, WaitlistEntry};
pub use outbox::{FailedNotice, NoticeChannel, NoticeData, NoticeEvent, OutboxMessage};
pub(crate) use outbox::{write_notice, AppointmentNoticeRow, OUTBOX_INSERT, CallbackNoticeRow, APPOINTMENT_NOTICE, CALLBACK_NOTICE};

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};
use std::str::FromStr;
use std::time::Duration;

/// A transaction that is going to write. On SQLite it takes the write lock at once (`BEGIN
/// IMMEDIATE`): a transaction that reads first cannot upgrade to a write after another
/// connection wrote (SQLITE_BUSY_SNAPSHOT, which busy_timeout does not wait out).
pub(crate) trait BeginWrite {
    /// The database.
    type Db: sqlx::Database;
    /// Begins the transaction.
    fn begin_write(&self) -> impl std::future::Future<Output = Result<sqlx::Transaction<'static, Self::Db>, sqlx::Error>> + Send;
}

impl BeginWrite for SqlitePool {
    type Db = sqlx::Sqlite;
    fn begin_write(&self) -> impl std::future::Future<Output = Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error>> + Send {
        self.begin_with("BEGIN IMMEDIATE")
    }
}

impl BeginWrite for PgPool {
    type Db = sqlx::Postgres;
    fn begin_write(&self) -> impl std::future::Future<Output = Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error>> + Send {
        self.begin()
    }
}

/// Runs `$body` with `$pool` bound to whichever pool the store holds.
macro_rules! on_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match $store {
            $crate::store::Store::Sqlite($pool) => $body,
            $crate::store::Store::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_pool;

/// A connection pool to the database of record.
#[derive(Clone, Debug)]
pub enum Store {
    /// Embedded SQLite (WAL).
    Sqlite(SqlitePool),
    /// PostgreSQL.
    Postgres(PgPool),
}

/// Storage failures, already logged-friendly (no personal data).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database URL is neither `sqlite://` nor `postgres://`.
    #[error("unsupported database URL scheme (use sqlite:// or postgres://)")]
    UnsupportedUrl,
    /// A query or connection failed.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    /// Migrations failed.
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A stored value could not be parsed back (e.g. a time zone).
    #[error("corrupt stored value: {0}")]
    Corrupt(String),
}

impl StoreError {
    /// Whether a unique constraint refused the write (a duplicate key or a taken slot).
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, Self::Database(sqlx::Error::Database(e)) if e.is_unique_violation())
    }
}

impl Store {
    /// Connects to `sqlite://…` or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)?
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5));
            let pool = SqlitePoolOptions::new().max_connections(8).connect_with(options).await?;
            Ok(Self::Sqlite(pool))
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let options = PgConnectOptions::from_str(url)?;
            Self::connect_postgres(options).await
        } else {
            Err(StoreError::UnsupportedUrl)
        }
    }

    /// Connects to PostgreSQL with explicit options (tests use this to pick a schema).
    pub async fn connect_postgres(options: PgConnectOptions) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(options)
            .await?;
        Ok(Self::Postgres(pool))
    }

    /// Applies the backend's migrations (idempotent).
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self {
            Self::Sqlite(pool) => sqlx::migrate!("./migrations/sqlite").run(pool).await?,
            Self::Postgres(pool) => sqlx::migrate!("./migrations/postgres").run(pool).await?,
        }
        Ok(())
    }

    /// Whether the database answers and every migration is applied.
    pub async fn ready(&self) -> bool {
        let expected = match self {
            Self::Sqlite(_) => sqlx::migrate!("./migrations/sqlite").iter().count(),
            Self::Postgres(_) => sqlx::migrate!("./migrations/postgres").iter().count(),
        } as i64;
        let applied: Result<i64, sqlx::Error> = on_pool!(self, pool => {
            sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success")
                .fetch_one(pool)
                .await
        });
        matches!(applied, Ok(n) if n >= expected)
    }

    /// Closes every connection (graceful shutdown).
    pub async fn close(&self) {
        on_pool!(self, pool => pool.close().await)
    }
}
