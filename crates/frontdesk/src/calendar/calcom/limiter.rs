//! A request budget per Cal.com API key, so that frontdesk alone can never get a tenant's account
//! locked. GCRA (governor) with a burst of `N/5` and the rest of `N` spread over the minute: in
//! any 60-second window at most `N` requests leave (100 by default; Cal.com's limit is 120).

use governor::clock::Clock as _;
use governor::{DefaultKeyedRateLimiter, Quota};
use std::num::NonZeroU32;
use std::time::Duration;
use tokio::time::Instant;

/// The per-key limiter.
#[derive(Debug)]
pub struct KeyLimiter {
    limiter: DefaultKeyedRateLimiter<String>,
}

impl KeyLimiter {
    /// `per_minute` requests per minute per key.
    pub fn new(per_minute: u32) -> Self {
        let per_minute = NonZeroU32::new(per_minute.max(1)).expect("at least one");
        // A full burst plus a minute of replenishment must stay within `per_minute`.
        let burst = (per_minute.get() / 5).max(1);
        let refill = NonZeroU32::new(per_minute.get().saturating_sub(burst).max(1)).expect("at least one");
        let burst = NonZeroU32::new(burst).expect("at least one");
        Self { limiter: DefaultKeyedRateLimiter::keyed(Quota::per_minute(refill).allow_burst(burst)) }
    }

    /// Waits for the key's next permit; `false` when it would not come before `deadline`.
    pub async fn admit(&self, key: &str, deadline: Instant) -> bool {
        let key = key.to_string();
        loop {
            match self.limiter.check_key(&key) {
                Ok(()) => return true,
                Err(not_until) => {
                    let wait = not_until.wait_time_from(self.limiter.clock().now());
                    if Instant::now() + wait >= deadline {
                        return false;
                    }
                    tokio::time::sleep(wait.max(Duration::from_millis(1))).await;
                }
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
            assert!(limiter.admit("k", now).await, "the burst of 20 is there at once");
        }
        // The rest of the minute's 100 come one every 60/80 s = 750 ms (not every 600 ms,
        // which would allow 120 within a minute).
        assert!(!limiter.admit("k", Instant::now() + Duration::from_millis(650)).await);
        assert!(limiter.admit("other", now).await, "each key has its own budget");
    }
}
