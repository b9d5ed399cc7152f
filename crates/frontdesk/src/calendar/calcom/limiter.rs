//! A request budget per Cal.com API key, so that frontdesk alone can never get a tenant's account
//! locked. GCRA (governor) with a burst of `N/5` and the rest of `N` spread over the minute: in
//! any 60-second window at most `N` requests leave (100 by default; Cal.com's limit is 120).
//! Reads (availability) may use only three quarters of it: the last quarter is kept for writes,
//! so no amount of questions can make a booking fail for want of budget.
//!
//! Several instances share one budget per key through Redis when it is configured (the same GCRA,
//! as a Lua script on Redis's clock): two instances must not spend 200 of a key's 120 a minute.
//! Should Redis fail, the instance falls back to its own budget for that request.

use governor::clock::Clock as _;
use governor::{DefaultKeyedRateLimiter, Quota};
use std::num::NonZeroU32;
use std::time::Duration;
use tokio::time::Instant;

/// What a request does to the calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Traffic {
    /// Reads availability or bookings: may use the read share of the budget.
    Read,
    /// Books, moves, cancels, reserves: may use the whole budget.
    Write,
}

/// The per-key limiter.
#[derive(Debug)]
pub struct KeyLimiter {
    all: DefaultKeyedRateLimiter<String>,
    reads: DefaultKeyedRateLimiter<String>,
    per_minute: u32,
    shared: Option<SharedBudget>,
}

/// GCRA on Redis: KEYS[1] holds the theoretical arrival time (ms); ARGV: emission interval and
/// burst tolerance in ms. Returns 0 when admitted (and records it), else the ms to wait.
const GCRA: &str = r#"
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local allowed_at = tat - tolerance
if now < allowed_at then return allowed_at - now end
redis.call('SET', KEYS[1], tat + interval, 'PX', tat + interval - now + 1000)
return 0
"#;

/// The budget every instance draws from, in Redis.
#[derive(Clone)]
pub struct SharedBudget {
    connection: redis::aio::ConnectionManager,
    prefix: String,
}

impl std::fmt::Debug for SharedBudget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedBudget").field("prefix", &self.prefix).finish()
    }
}

impl SharedBudget {
    /// Connects; keys are `<prefix>:calcom_budget:<share>:<account label>`.
    pub async fn connect(url: &str, prefix: &str) -> redis::RedisResult<Self> {
        Ok(Self::new(&crate::shared_redis::SharedRedis::connect(url, prefix).await?))
    }

    /// The budget over the instance's shared Redis; keys as with [`SharedBudget::connect`].
    pub fn new(redis: &crate::shared_redis::SharedRedis) -> Self {
        Self { connection: redis.connection(), prefix: redis.prefix().to_string() }
    }

    /// 0 when admitted now, else how long until the next permit; the same budget shape as
    /// [`budget`]: a burst of a fifth, the rest spread over the minute.
    async fn check(&self, share: &str, account: &str, per_minute: u32) -> redis::RedisResult<Duration> {
        let (refill, burst) = shape(per_minute);
        let interval = 60_000 / u64::from(refill);
        let tolerance = interval * u64::from(burst - 1);
        let key = format!("{}:calcom_budget:{share}:{account}", self.prefix);
        // EVAL with the script's text: it only runs per Cal.com request, which takes 300 ms anyway.
        let wait: u64 = redis::cmd("EVAL")
            .arg(GCRA)
            .arg(1)
            .arg(key)
            .arg(interval)
            .arg(tolerance)
            .query_async(&mut self.connection.clone())
            .await?;
        Ok(Duration::from_millis(wait))
    }
}

/// (refill per minute, burst) of a budget of `per_minute`.
fn shape(per_minute: u32) -> (u32, u32) {
    let per_minute = per_minute.max(1);
    let burst = (per_minute / 5).max(1);
    (per_minute.saturating_sub(burst).max(1), burst)
}

/// `per_minute` requests a minute, as a burst of a fifth and the rest spread over the minute, so
/// a full burst plus a minute of replenishment stays within `per_minute`.
fn budget(per_minute: u32) -> DefaultKeyedRateLimiter<String> {
    let (refill, burst) = shape(per_minute);
    let refill = NonZeroU32::new(refill).expect("at least one");
    let burst = NonZeroU32::new(burst).expect("at least one");
    DefaultKeyedRateLimiter::keyed(Quota::per_minute(refill).allow_burst(burst))
}

impl KeyLimiter {
    /// `per_minute` requests per minute per key, of which reads may use three quarters.
    pub fn new(per_minute: u32) -> Self {
        Self { all: budget(per_minute), reads: budget(read_share(per_minute)), per_minute, shared: None }
    }

    /// The same budgets, shared with every instance through Redis.
    pub fn shared(per_minute: u32, shared: SharedBudget) -> Self {
        Self { shared: Some(shared), ..Self::new(per_minute) }
    }

    /// Waits for the key's next permit; `false` when it would not come before `deadline`.
    /// `account` names the key in shared budgets (never the key itself).
    pub async fn admit(&self, key: &str, account: &str, traffic: Traffic, deadline: Instant) -> bool {
        if let Some(shared) = &self.shared {
            match self.admit_shared(shared, account, traffic, deadline).await {
                Ok(admitted) => return admitted,
                Err(error) => {
                    tracing::warn!(%error, "shared Cal.com budget unreachable; this instance's own budget applies")
                }
            }
        }
        let key = key.to_string();
        if traffic == Traffic::Read && !wait_for(&self.reads, &key, deadline).await {
            return false;
        }
        wait_for(&self.all, &key, deadline).await
    }

    async fn admit_shared(
        &self,
        shared: &SharedBudget,
        account: &str,
        traffic: Traffic,
        deadline: Instant,
    ) -> redis::RedisResult<bool> {
        let mut shares = vec![("all", self.per_minute)];
        if traffic == Traffic::Read {
            shares.insert(0, ("reads", read_share(self.per_minute)));
        }
        for (share, per_minute) in shares {
            loop {
                let wait = shared.check(share, account, per_minute).await?;
                if wait.is_zero() {
                    break;
                }
                if Instant::now() + wait >= deadline {
                    return Ok(false);
                }
                tokio::time::sleep(wait).await;
            }
        }
        Ok(true)
    }
}

/// What reads may use of a budget: three quarters.
fn read_share(per_minute: u32) -> u32 {
    per_minute - per_minute / 4
}

async fn wait_for(limiter: &DefaultKeyedRateLimiter<String>, key: &String, deadline: Instant) -> bool {
    loop {
        match limiter.check_key(key) {
            Ok(()) => return true,
            Err(not_until) => {
                let wait = not_until.wait_time_from(limiter.clock().now());
                if Instant::now() + wait >= deadline {
                    return false;
                }
                tokio::time::sleep(wait.max(Duration::from_millis(1))).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_burst_and_a_minute_of_refills_stay_within_the_budget() {
        let limiter = KeyLimiter::new(100);
        let now = Instant::now();
        for _ in 0..20 {
            assert!(limiter.admit("k", "k", Traffic::Write, now).await, "the burst of 20 is there at once");
        }
        // The rest of the minute's 100 come one every 60/80 s = 750 ms (not every 600 ms,
        // which would allow 120 within a minute).
        assert!(!limiter.admit("k", "k", Traffic::Write, Instant::now() + Duration::from_millis(650)).await);
        assert!(limiter.admit("other", "other", Traffic::Write, now).await, "each key has its own budget");
    }

    #[tokio::test]
    async fn reads_cannot_use_the_share_kept_for_writes() {
        let limiter = KeyLimiter::new(100);
        let now = Instant::now();
        // Reads get a burst of 75 / 5 = 15, then must wait ...
        let reads = {
            let mut n = 0;
            while limiter.admit("k", "k", Traffic::Read, now).await {
                n += 1;
            }
            n
        };
        assert_eq!(reads, 15);
        // ... while writes still find the rest of the burst at once.
        for _ in 0..5 {
            assert!(limiter.admit("k", "k", Traffic::Write, now).await, "writes keep their share");
        }
    }
}
