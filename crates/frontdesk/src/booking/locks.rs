//! Slot locks: one booking at a time per lock key in this process; waits fail after a bound
//! rather than hang. (Shared locks through Redis for several instances are still to come.)

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{Mutex as AsyncMutex, OwnedMutexGuard};

/// In-process locks by key.
#[derive(Debug, Default)]
pub struct SlotLocks {
    locks: Mutex<HashMap<String, Arc<AsyncMutex<()>>>>,
}

/// Holds a slot lock until dropped.
#[derive(Debug)]
pub struct SlotGuard {
    _guard: OwnedMutexGuard<()>,
}

impl SlotLocks {
    /// Takes the lock for `key`, waiting at most `wait`; `None` when it stayed taken.
    pub async fn lock(&self, key: &str, wait: Duration) -> Option<SlotGuard> {
        let lock = {
            let mut locks = self.locks.lock().unwrap_or_else(|p| p.into_inner());
            // Forget locks nobody holds or waits for, so the map does not grow without bound.
            locks.retain(|_, lock| Arc::strong_count(lock) > 1);
            locks.entry(key.to_string()).or_default().clone()
        };
        let guard = tokio::time::timeout(wait, lock.lock_owned()).await.ok()?;
        Some(SlotGuard { _guard: guard })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_held_lock_makes_others_give_up_in_time() {
        let locks = SlotLocks::default();
        let held = locks.lock("a", Duration::from_millis(10)).await.unwrap();
        let started = std::time::Instant::now();
        assert!(locks.lock("a", Duration::from_millis(50)).await.is_none());
        assert!(started.elapsed() < Duration::from_millis(200));
        assert!(locks.lock("b", Duration::from_millis(10)).await.is_some(), "other keys are independent");
        drop(held);
        assert!(locks.lock("a", Duration::from_millis(10)).await.is_some());
    }
}
