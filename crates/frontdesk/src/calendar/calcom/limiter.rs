//! A request budget per Cal.com API key, so that frontdesk alone can never get a tenant's account
//! locked. GCRA (governor) with `N` per minute and a burst of `N/5`: in any 60-second window at
//! most `1.2 × N` requests leave — 120 for the default 100, Cal.com's documented limit.

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
        let burst = NonZeroU32::new((per_minute.get() / 5).max(1)).expect("at least one");
        Self { limiter: DefaultKeyedRateLimiter::keyed(Quota::per_minute(per_minute).allow_burst(burst)) }
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
