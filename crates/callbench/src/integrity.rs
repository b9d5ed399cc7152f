//! What must never happen, read from frontdesk's own database after a pass: two live appointments
//! on one calendar at overlapping times (calsim gives every event type one host, so two such
//! bookings are a double booking), the callback requests that were stored, and the outbox:
//! notices written with the changes and whether each was delivered.

use crate::servers::Database;

/// The database's account of a pass.
#[derive(Debug, Clone, Copy, Default)]
pub struct Integrity {
    /// Pairs of live appointments of one branch that share a staff member or an event type and overlap.
    pub double_bookings: i64,
    /// Live (not cancelled) appointments.
    pub live_appointments: i64,
    /// Open callback requests.
    pub open_callbacks: usize,
    /// The outbox's notices.
    pub notices: Notices,
}

/// The outbox after a pass: notices per channel, and those not delivered.
#[derive(Debug, Clone, Copy, Default)]
pub struct Notices {
    /// Webhook notices written.
    pub webhook: i64,
    /// E-mail notices written (owners' and callers').
    pub email: i64,
    /// Notices not (yet) delivered: pending or failed.
    pub undelivered: i64,
    /// SMS notices written (callers who agreed).
    pub sms: i64,
}

const NOTICES: &str = "SELECT COUNT(*) FILTER (WHERE channel = 'webhook'), COUNT(*) FILTER (WHERE channel LIKE 'email%'),
    COUNT(*) FILTER (WHERE status <> 'sent'), COUNT(*) FILTER (WHERE channel = 'sms_customer') FROM outbox";

/// Live appointments with the event type they occupy (a staff member's own, or the service's).
const LIVE: &str = "WITH live AS (
        SELECT a.id, a.branch_id, a.staff_id, a.starts_at, a.ends_at,
            COALESCE(ss.calcom_event_type_id, s.calcom_event_type_id) AS event_type
        FROM appointments a JOIN services s ON s.id = a.service_id
        LEFT JOIN staff_services ss ON ss.staff_id = a.staff_id AND ss.service_id = a.service_id
        WHERE a.status <> 'cancelled')";

fn double_bookings_sql() -> String {
    format!(
        "{LIVE} SELECT COUNT(*) FROM live x JOIN live y ON x.id < y.id AND x.branch_id = y.branch_id
            AND x.starts_at < y.ends_at AND y.starts_at < x.ends_at
            AND (x.staff_id = y.staff_id OR x.event_type = y.event_type)"
    )
}

fn live_sql() -> String {
    format!("{LIVE} SELECT COUNT(*) FROM live")
}

/// Reads the pass's outcome from frontdesk's database.
pub async fn check(database: &Database) -> anyhow::Result<Integrity> {
    let url = database.url();
    let (double_bookings, live_appointments) = match database {
        Database::Sqlite(_) => {
            let pool = sqlx::SqlitePool::connect(&url).await?;
            let double = sqlx::query_scalar(&double_bookings_sql()).fetch_one(&pool).await?;
            let live = sqlx::query_scalar(&live_sql()).fetch_one(&pool).await?;
            pool.close().await;
            (double, live)
        }
        Database::Postgres { .. } => {
            let pool = sqlx::PgPool::connect(&url).await?;
            let double = sqlx::query_scalar(&double_bookings_sql()).fetch_one(&pool).await?;
            let live = sqlx::query_scalar(&live_sql()).fetch_one(&pool).await?;
            pool.close().await;
            (double, live)
        }
    };
    let notices = notices(database).await?;
    Ok(Integrity { double_bookings, live_appointments, open_callbacks: open_callbacks(&url).await?, notices })
}

/// The outbox's notices now (a pass waits on this until they are delivered).
pub async fn notices(database: &Database) -> anyhow::Result<Notices> {
    let url = database.url();
    let (webhook, email, undelivered, sms): (i64, i64, i64, i64) = match database {
        Database::Sqlite(_) => {
            let pool = sqlx::SqlitePool::connect(&url).await?;
            let counts = sqlx::query_as(NOTICES).fetch_one(&pool).await?;
            pool.close().await;
            counts
        }
        Database::Postgres { .. } => {
            let pool = sqlx::PgPool::connect(&url).await?;
            let counts = sqlx::query_as(NOTICES).fetch_one(&pool).await?;
            pool.close().await;
            counts
        }
    };
    Ok(Notices { webhook, email, undelivered, sms })
}

async fn open_callbacks(database: &str) -> anyhow::Result<usize> {
    let store = frontdesk::store::Store::connect(database).await?;
    let mut companies: Vec<frontdesk::domain::CompanyId> = store.load_branches().await?.iter().map(|b| b.company.id).collect();
    companies.dedup();
    let mut open = 0;
    for company in companies {
        open += store.open_callbacks(company).await?.len();
    }
    store.close().await;
    Ok(open)
}
