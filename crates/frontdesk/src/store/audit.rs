//! The `function_calls` audit trail, written off the hot path: a bounded queue drained in
//! batches by one writer task, flushed completely on graceful shutdown.

use crate::domain::CompanyId;
use super::{on_pool, Store};
use chrono::{DateTime, Utc};
use crate::latency_board::LatencyBoard;
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// One answered function call.
#[derive(Debug, Clone)]
pub struct FunctionCallRecord {
    /// Retell call id, when the payload had one.
    pub retell_call_id: Option<String>,
    /// Tenant, when resolved.
    pub company_id: Option<CompanyId>,
    /// The function's canonical name (a static label: recording costs no allocation).
    pub function: &'static str,
    /// `success`, an error code, or `panic`.
    pub outcome: &'static str,
    /// Server-side duration.
    pub duration_us: i64,
    /// `hit`, `miss`, `stale` or `none`.
    pub cache: &'static str,
    /// When it was answered.
    pub at: DateTime<Utc>,
    /// What the caller asked for that is not offered (bounded, as echoed back to them).
    pub detail: Option<String>,
}

const QUEUE_CAPACITY: usize = 4096;
const BATCH: usize = 256;
/// How long the writer lets records gather after the first one: one insert per batch instead of
/// one per call keeps the database (and the thread waking for it) off the request path's cores.
const LINGER: std::time::Duration = std::time::Duration::from_millis(50);

/// Handle used by request handlers to record calls without waiting for the database.
#[derive(Clone, Debug)]
pub struct AuditLog {
    queue: mpsc::Sender<FunctionCallRecord>,
}

impl AuditLog {
    /// Starts the writer task; await the returned handle after dropping every `AuditLog` to flush.
    pub fn start(store: Store, board: Arc<LatencyBoard>) -> (Self, JoinHandle<()>) {
        let (queue, receiver) = mpsc::channel(QUEUE_CAPACITY);
        let writer = tokio::spawn(write_batches(store, receiver, board));
        (Self { queue }, writer)
    }

    /// Queues a record. Never blocks the caller; when the queue is full the record waits in a
    /// spawned task instead of being dropped.
    pub fn record(&self, record: FunctionCallRecord) {
        if let Err(mpsc::error::TrySendError::Full(record)) = self.queue.try_send(record) {
            let queue = self.queue.clone();
            tokio::spawn(async move {
                let _ = queue.send(record).await;
            });
        }
    }
}

impl Store {
    /// The latest audited calls as (function, outcome), newest first.
    pub async fn function_call_outcomes(&self, limit: i64) -> Result<Vec<(String, String)>, super::StoreError> {
        const SQL: &str = "SELECT function, outcome FROM function_calls ORDER BY id DESC LIMIT $1";
        let rows = on_pool!(self, pool => sqlx::query_as(SQL).bind(limit).fetch_all(pool).await)?;
        Ok(rows)
    }
}

async fn write_batches(store: Store, mut receiver: mpsc::Receiver<FunctionCallRecord>, board: Arc<LatencyBoard>) {
    let mut batch = Vec::with_capacity(BATCH);
    while receiver.recv_many(&mut batch, BATCH).await > 0 {
        if batch.len() < BATCH {
            tokio::time::sleep(LINGER).await;
            while batch.len() < BATCH {
                match receiver.try_recv() {
                    Ok(record) => batch.push(record),
                    Err(_) => break,
                }
            }
        }
        // The console's last-hour figures, here rather than on the request path.
        for record in &batch {
            board.record(record.function, record.at, record.duration_us, record.cache);
        }
        // A failed write is retried a few times; the rows are logged (without personal data) if it keeps failing.
        let mut attempt = 0;
        loop {
            match insert_batch(&store, &batch).await {
                Ok(()) => break,
                Err(error) if attempt < 3 => {
                    attempt += 1;
                    tracing::warn!(%error, attempt, "audit write failed, retrying");
                    tokio::time::sleep(std::time::Duration::from_millis(100 * attempt)).await;
                }
                Err(error) => {
                    tracing::error!(%error, rows = batch.len(), "audit rows could not be written");
                    break;
                }
            }
        }
        batch.clear();
    }
}

async fn insert_batch(store: &Store, batch: &[FunctionCallRecord]) -> Result<(), sqlx::Error> {
    on_pool!(store, pool => {
        let mut query = sqlx::QueryBuilder::new(
            "INSERT INTO function_calls (retell_call_id, company_id, function, outcome, duration_us, cache, created_at, detail) ",
        );
        query.push_values(batch, |mut row, record| {
            row.push_bind(&record.retell_call_id)
                .push_bind(record.company_id)
                .push_bind(record.function)
                .push_bind(record.outcome)
                .push_bind(record.duration_us)
                .push_bind(record.cache)
                .push_bind(record.at)
                .push_bind(&record.detail);
        });
        query.build().execute(pool).await?;
    });
    Ok(())
}
