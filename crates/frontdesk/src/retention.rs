//! Old call data goes (DESIGN §14, `FRONTDESK_RETENTION_DAYS`): call records with their
//! summaries, recordings' links and function calls, once older than the retention period.
//! Appointments and customers stay; what pointed at a deleted call forgets it.

use crate::clock::Clock;
use crate::store::{Store, StoreError};
use chrono::{DateTime, Duration, Utc};
use std::sync::Arc;

/// How often the old calls are looked for (a delete of none is one indexed query).
pub const EVERY: std::time::Duration = std::time::Duration::from_secs(3600);

/// Deletes the call data that began more than `days` before `now`; how many calls went.
pub async fn run_once(store: &Store, now: DateTime<Utc>, days: u32) -> Result<u64, StoreError> {
    let deleted = store.delete_calls_before(now - Duration::days(i64::from(days))).await?;
    if deleted > 0 {
        tracing::info!(deleted, days, "old call data deleted");
    }
    Ok(deleted)
}

/// Runs [`run_once`] now and then every [`EVERY`] until the process ends (any instance may:
/// a delete is the same on every one).
pub fn spawn(store: Store, clock: Arc<dyn Clock>, days: u32) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            if let Err(error) = run_once(&store, clock.now(), days).await {
                tracing::warn!(%error, "old call data could not be deleted");
            }
            tokio::time::sleep(EVERY).await;
        }
    })
}
