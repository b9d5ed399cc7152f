//! A circuit breaker per Cal.com account: after 5 consecutive failures no request is sent for
//! 60 s; then one probe decides between closing again and another 60 s open.

use crate::clock::Clock;
use chrono::{DateTime, Duration, Utc};
use std::sync::{Arc, Mutex};

/// Consecutive failures that open the breaker.
pub const FAILURE_THRESHOLD: u32 = 5;
/// How long an open breaker refuses requests.
pub const OPEN_FOR: Duration = Duration::seconds(60);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Closed { failures: u32 },
    Open { until: DateTime<Utc> },
    HalfOpen { probing: bool },
}

/// What the breaker lets a request be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permit {
    /// The breaker is closed: a normal request.
    Normal,
    /// The single trial request after the open period.
    Probe,
}

/// How a permitted request ended, as far as the breaker cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Cal.com answered (whatever it said).
    Answered,
    /// Timeout, connection failure, 5xx.
    Failed,
    /// No request was sent after all (e.g. the local rate limit said no).
    NotSent,
}

/// The state as a metric value: 0 closed, 1 half-open, 2 open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Requests flow.
    Closed,
    /// One probe may go.
    HalfOpen,
    /// Requests are refused.
    Open,
}

/// One account's breaker.
#[derive(Debug)]
pub struct Breaker {
    state: Mutex<State>,
    clock: Arc<dyn Clock>,
}

impl Breaker {
    /// A closed breaker.
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        Self { state: Mutex::new(State::Closed { failures: 0 }), clock }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Asks to send a request; `None` means the breaker is open (send nothing).
    pub fn acquire(&self) -> Option<Permit> {
        let mut state = self.state();
        match *state {
            State::Closed { .. } => Some(Permit::Normal),
            State::Open { until } if self.clock.now() >= until => {
                *state = State::HalfOpen { probing: true };
                Some(Permit::Probe)
            }
            State::Open { .. } | State::HalfOpen { probing: true } => None,
            State::HalfOpen { probing: false } => {
                *state = State::HalfOpen { probing: true };
                Some(Permit::Probe)
            }
        }
    }

    /// Reports how a permitted request ended.
    pub fn record(&self, permit: Permit, outcome: Outcome) {
        let mut state = self.state();
        let open = State::Open { until: self.clock.now() + OPEN_FOR };
        *state = match (permit, outcome, *state) {
            (_, Outcome::Answered, _) => State::Closed { failures: 0 },
            (Permit::Probe, Outcome::Failed, _) => open,
            (Permit::Probe, Outcome::NotSent, _) => State::HalfOpen { probing: false },
            (Permit::Normal, Outcome::Failed, State::Closed { failures }) if failures + 1 >= FAILURE_THRESHOLD => open,
            (Permit::Normal, Outcome::Failed, State::Closed { failures }) => State::Closed { failures: failures + 1 },
            (Permit::Normal, _, current) => current,
        };
    }

    /// The current phase (an open breaker past its time counts as half-open).
    pub fn phase(&self) -> Phase {
        match *self.state() {
            State::Closed { .. } => Phase::Closed,
            State::Open { until } if self.clock.now() >= until => Phase::HalfOpen,
            State::Open { .. } => Phase::Open,
            State::HalfOpen { .. } => Phase::HalfOpen,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;

    #[test]
    fn opens_after_five_failures_probes_once_and_closes() {
        let clock = Arc::new(ManualClock::new(Utc::now()));
        let breaker = Breaker::new(clock.clone());
        for _ in 0..4 {
            assert_eq!(breaker.acquire(), Some(Permit::Normal));
            breaker.record(Permit::Normal, Outcome::Failed);
        }
        assert_eq!(breaker.phase(), Phase::Closed);
        breaker.record(Permit::Normal, Outcome::Failed);
        assert_eq!(breaker.phase(), Phase::Open);
        assert_eq!(breaker.acquire(), None);
        clock.advance(Duration::seconds(59));
        assert_eq!(breaker.acquire(), None);
        clock.advance(Duration::seconds(1));
        assert_eq!(breaker.acquire(), Some(Permit::Probe));
        assert_eq!(breaker.acquire(), None, "only one probe at a time");
        breaker.record(Permit::Probe, Outcome::Failed);
        assert_eq!(breaker.phase(), Phase::Open);
        clock.advance(Duration::seconds(60));
        assert_eq!(breaker.acquire(), Some(Permit::Probe));
        breaker.record(Permit::Probe, Outcome::Answered);
        assert_eq!(breaker.phase(), Phase::Closed);
    }

    #[test]
    fn an_answer_resets_the_count() {
        let breaker = Breaker::new(Arc::new(ManualClock::new(Utc::now())));
        for _ in 0..4 {
            breaker.record(Permit::Normal, Outcome::Failed);
        }
        breaker.record(Permit::Normal, Outcome::Answered);
        for _ in 0..4 {
            breaker.record(Permit::Normal, Outcome::Failed);
        }
        assert_eq!(breaker.phase(), Phase::Closed);
    }
}
