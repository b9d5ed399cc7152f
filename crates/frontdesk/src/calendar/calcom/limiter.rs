//! A request budget per Cal.com API key, so that frontdesk alone can never get a tenant's account
//! locked. GCRA (governor) with a burst of `N/5` and the rest of `N` spread over the minute: in
//! any 60-second window at most `N` requests leave (100 by default; Cal.com's limit is 120).
//! Reads (availability) may use only three quarters of it: the last quarter is kept for writes,
//! so no amount of questions can make a booking fail for want of budget.

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
}

/// `per_minute` requests a minute, as a burst of a fifth and the rest spread over the minute, so
/// a full burst plus a minute of replenishment stays within `per_minute`.
fn budget(per_minute: u32) -> DefaultKeyedRateLimiter<String> {
    let per_minute = per_minute.max(1);
    let burst = (per_minute / 5).max(1);
    let refill = NonZeroU32::new(per_minute.saturating_sub(burst).max(1)).expect("at least one");
    let burst = NonZeroU32::new(burst).expect("at least one");
    DefaultKeyedRateLimiter::keyed(Quota::per_minute(refill).allow_burst(burst))
}

impl KeyLimiter {
    /// `per_minute` requests per minute per key, of which reads may use three quarters.
    pub fn new(per_minute: u32) -> Self {
        Self { all: budget(per_minute), reads: budget(per_minute - per_minute / 4) }
    }

    /// Waits for the key's next permit; `false` when it would not come before `deadline`.
    pub async fn admit(&self, key: &str, traffic: Traffic, deadline: Instant) -> bool {
        let key = key.to_string();
        if traffic == Traffic::Read && !wait_for(&self.reads, &key, deadline).await {
            return false;
        }
        wait_for(&self.all, &key, deadline).await
    }
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
            assert!(limiter.admit("k", Traffic::Write, now).await, "the burst of 20 is there at once");
        }
        // The rest of the minute's 100 come one every 60/80 s = 750 ms (not every 600 ms,
        // which would allow 120 within a minute).
        assert!(!limiter.admit("k", Traffic::Write, Instant::now() + Duration::from_millis(650)).await);
        assert!(limiter.admit("other", Traffic::Write, now).await, "each key has its own budget");
    }

    #[tokio::test]
    async fn reads_cannot_use_the_share_kept_for_writes() {
        let limiter = KeyLimiter::new(100);
        let now = Instant::now();
        // Reads get a burst of 75 / 5 = 15, then must wait ...
        let reads = {
            let mut n = 0;
            while limiter.admit("k", Traffic::Read, now).await {
                n += 1;
            }
            n
        };
        assert_eq!(reads, 15);
        // ... while writes still find the rest of the burst at once.
        for _ in 0..5 {
            assert!(limiter.admit("k", Traffic::Write, now).await, "writes keep their share");
        }
    }
}
