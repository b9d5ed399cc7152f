//! Slot locks: one booking at a time per lock key — in this process, and across instances through
//! Redis (`SET NX PX` with a token, released only by its holder) when Redis is configured. Waits
//! are bounded: a booking that cannot get the lock in time is answered with alternatives.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{Mutex as AsyncMutex, OwnedMutexGuard};
use tokio::time::Instant;

/// How long a Redis lock lives if its holder dies: longer than any booking may take.
const REDIS_LOCK_TTL_MS: u64 = 15_000;

/// Deletes the key only if it still holds our token.
const RELEASE: &str =
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/// The Redis side of the locks.
#[derive(Clone)]
pub struct RedisLocks {
    connection: redis::aio::ConnectionManager,
    prefix: String,
}

impl std::fmt::Debug for RedisLocks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisLocks").field("prefix", &self.prefix).finish()
    }
}

impl RedisLocks {
    /// Locks over the instance's shared Redis; keys are `<prefix>:lock:<key>`.
    pub fn new(redis: &crate::shared_redis::SharedRedis) -> Self {
        Self { connection: redis.connection(), prefix: redis.prefix().to_string() }
    }
}

/// Locks by key.
#[derive(Debug, Default)]
pub struct SlotLocks {
    local: Mutex<HashMap<String, Arc<AsyncMutex<()>>>>,
    redis: Option<RedisLocks>,
}

/// Holds a slot lock until dropped.
#[derive(Debug)]
pub struct SlotGuard {
    _local: OwnedMutexGuard<()>,
    redis: Option<(RedisLocks, String, String)>,
}

impl Drop for SlotGuard {
    fn drop(&mut self) {
        if let Some((locks, key, token)) = self.redis.take() {
            let mut connection = locks.connection.clone();
            tokio::spawn(async move {
                let released: redis::RedisResult<i64> =
                    redis::cmd("EVAL").arg(RELEASE).arg(1).arg(&key).arg(&token).query_async(&mut connection).await;
                if let Err(error) = released {
                    tracing::warn!(%error, "slot lock could not be released; it expires by itself");
                }
            });
        }
    }
}

impl SlotLocks {
    /// Locks shared through Redis as well.
    pub fn with_redis(redis: Option<RedisLocks>) -> Self {
        Self { local: Mutex::default(), redis }
    }

    /// Takes the lock for `key`, waiting at most `wait`; `None` when it stayed taken.
    pub async fn lock(&self, key: &str, wait: Duration) -> Option<SlotGuard> {
        let deadline = Instant::now() + wait;
        let lock = {
            let mut locks = self.local.lock().unwrap_or_else(|p| p.into_inner());
            // Forget locks nobody holds or waits for, so the map does not grow without bound.
            locks.retain(|_, lock| Arc::strong_count(lock) > 1);
            locks.entry(key.to_string()).or_default().clone()
        };
        let local = tokio::time::timeout_at(deadline, lock.lock_owned()).await.ok()?;
        let Some(redis) = &self.redis else { return Some(SlotGuard { _local: local, redis: None }) };
        let redis_key = format!("{}:lock:{key}", redis.prefix);
        let token = format!("{:016x}", rand::random::<u64>());
        let mut connection = redis.connection.clone();
        loop {
            let mut command = redis::cmd("SET");
            command.arg(&redis_key).arg(&token).arg("NX").arg("PX").arg(REDIS_LOCK_TTL_MS);
            let set = command.query_async::<Option<String>>(&mut connection);
            // A Redis that does not answer (reconnecting, overloaded) costs at most the wait.
            let Ok(taken) = tokio::time::timeout_at(deadline, set).await else {
                tracing::error!("slot lock unavailable: Redis did not answer in time");
                return None;
            };
            match taken {
                Ok(Some(_)) => {
                    return Some(SlotGuard { _local: local, redis: Some((redis.clone(), redis_key, token)) })
                }
                Ok(None) => {}
                Err(error) => {
                    // Without Redis the other instances cannot be excluded: refuse rather than risk a double booking.
                    tracing::error!(%error, "slot lock unavailable");
                    return None;
                }
            }
            if Instant::now() + Duration::from_millis(25) >= deadline {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
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
