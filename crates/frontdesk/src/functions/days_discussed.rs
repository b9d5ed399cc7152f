//! The day a call last spoke about, for "am Tag danach" later in the same call. It is kept with
//! the call's row, so whichever instance the next question reaches knows it.
//!
//! Kept before the answer (the next question may follow at once, on another instance), so the
//! cost matters: most questions of a call name the day the one before named. On SQLite — the
//! embedded default, one instance and the only writer — a memo of what each call's row holds
//! spares the write when the day did not change (a write waits for SQLite's one writer lock: ten
//! times a cached read under load). On PostgreSQL several instances serve one call, the row is the
//! only truth, and an UPDATE that changes nothing when the day is the same is always sent.

use crate::store::Store;
use chrono::NaiveDate;

/// Calls whose day is memoised at most (a day and an id: a few MB at most).
const MEMO_CALLS: usize = 100_000;

/// The days calls last spoke about.
#[derive(Debug, Clone)]
pub struct DaysDiscussed {
    /// What each call's row holds, where this instance is the only writer (SQLite).
    memo: Option<std::sync::Arc<quick_cache::sync::Cache<i64, NaiveDate>>>,
}

impl DaysDiscussed {
    /// Memoised on SQLite (one writer), asked of the database every time on PostgreSQL.
    pub fn for_store(store: &Store) -> Self {
        // ended calls are never asked again and leave first; forgetting a live one costs one write
        let memo = matches!(store, Store::Sqlite(_)).then(|| std::sync::Arc::new(quick_cache::sync::Cache::new(MEMO_CALLS)));
        Self { memo }
    }

    /// Keeps `day` as the call's day discussed; a failure is logged (the answer goes on: only a
    /// later "am Tag danach" would be asked about again).
    pub async fn remember(&self, store: &Store, call_row_id: i64, day: NaiveDate) {
        if self.memo.as_ref().is_some_and(|memo| memo.get(&call_row_id) == Some(day)) {
            return;
        }
        match store.remember_day_discussed(call_row_id, day).await {
            Ok(()) => {
                if let Some(memo) = &self.memo {
                    memo.insert(call_row_id, day);
                }
            }
            Err(error) => tracing::warn!(%error, "day discussed not kept"),
        }
    }

    /// The call's day discussed, if it named one.
    pub async fn recall(&self, store: &Store, call_row_id: i64) -> Option<NaiveDate> {
        store.day_discussed(call_row_id).await.inspect_err(|error| tracing::warn!(%error, "day discussed not read")).ok().flatten()
    }
}
