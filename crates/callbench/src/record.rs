//! What every exchange took and how it ended, per function; summaries with exact percentiles.

use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

/// Functions and webhooks in the order a conversation uses them (the report's row order).
pub const ORDER: &[&str] = &[
    "inbound",
    "call_started",
    "initialize_call",
    "get_available_services",
    "check_customer",
    "collect_appointment_info",
    "check_availability",
    "get_alternatives",
    "find_next_available",
    "get_opening_hours",
    "reserve_slot",
    "book_appointment",
    "collect_appointment_info (confirm)",
    "reschedule_appointment",
    "cancel_appointment",
    "request_callback",
    "call_ended",
];

/// Retell's timeout for a custom function (`frontdesk retell-tools` sets 5000 ms): an answer
/// later than this is dead air the agent gives up on.
pub const DEADLINE: Duration = Duration::from_millis(5000);

/// How one exchange ended.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// 200 with `success: true` (or a 204 for a call event).
    Ok,
    /// 200 with `success: false`: an answer the agent can say (slot taken, no availability…),
    /// by its `error` code.
    Declined(String),
    /// Anything else: a status other than 200/204, a body that is not JSON, no answer.
    Error(String),
}

#[derive(Debug, Default)]
struct FunctionLog {
    latencies: Vec<Duration>,
    declined: BTreeMap<String, u64>,
    errors: BTreeMap<String, u64>,
}

/// Collects exchanges from all callers.
#[derive(Debug, Default)]
pub struct Recorder {
    functions: Mutex<BTreeMap<&'static str, FunctionLog>>,
}

/// The figures of one function.
#[derive(Debug, Clone)]
pub struct Summary {
    /// Function (or webhook) name.
    pub function: &'static str,
    /// Exchanges.
    pub count: usize,
    /// min, avg, p50, p95, p99, max in ms.
    pub ms: [f64; 6],
    /// `success: false` answers by code.
    pub declined: BTreeMap<String, u64>,
    /// Failures by category.
    pub errors: BTreeMap<String, u64>,
    /// Answers later than [`DEADLINE`].
    pub over_deadline: usize,
}

/// The nearest-rank percentile `p` (0–1) of sorted latencies, in ms; 0 when there are none.
pub fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((sorted.len() as f64) * p).ceil() as usize;
    ms(sorted[rank.clamp(1, sorted.len()) - 1])
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

impl Recorder {
    /// Records one exchange.
    pub fn record(&self, function: &'static str, latency: Duration, outcome: Outcome) {
        let mut functions = self.functions.lock().unwrap_or_else(|p| p.into_inner());
        let log = functions.entry(function).or_default();
        log.latencies.push(latency);
        match outcome {
            Outcome::Ok => {}
            Outcome::Declined(code) => *log.declined.entry(code).or_default() += 1,
            Outcome::Error(category) => *log.errors.entry(category).or_default() += 1,
        }
    }

    /// Exchanges so far and failures among them.
    pub fn totals(&self) -> (usize, u64) {
        let functions = self.functions.lock().unwrap_or_else(|p| p.into_inner());
        let calls = functions.values().map(|f| f.latencies.len()).sum();
        let errors = functions.values().flat_map(|f| f.errors.values()).sum();
        (calls, errors)
    }

    /// Per-function figures, in the order of a conversation.
    pub fn summaries(&self) -> Vec<Summary> {
        let functions = self.functions.lock().unwrap_or_else(|p| p.into_inner());
        let mut summaries: Vec<Summary> = functions
            .iter()
            .map(|(function, log)| {
                let mut sorted = log.latencies.clone();
                sorted.sort();
                let total: Duration = sorted.iter().sum();
                let avg = if sorted.is_empty() { 0.0 } else { ms(total) / sorted.len() as f64 };
                Summary {
                    function,
                    count: sorted.len(),
                    ms: [
                        sorted.first().copied().map(ms).unwrap_or(0.0),
                        avg,
                        percentile(&sorted, 0.50),
                        percentile(&sorted, 0.95),
                        percentile(&sorted, 0.99),
                        sorted.last().copied().map(ms).unwrap_or(0.0),
                    ],
                    declined: log.declined.clone(),
                    errors: log.errors.clone(),
                    over_deadline: sorted.iter().filter(|d| **d > DEADLINE).count(),
                }
            })
            .collect();
        summaries.sort_by_key(|s| ORDER.iter().position(|f| *f == s.function).unwrap_or(usize::MAX));
        summaries
    }
}

impl Summary {
    /// HTTP 5xx answers among the errors.
    pub fn five_xx(&self) -> u64 {
        self.errors.iter().filter(|(category, _)| category.starts_with("http_5")).map(|(_, n)| n).sum()
    }

    /// The figures as JSON.
    pub fn to_json(&self) -> Value {
        let [min, avg, p50, p95, p99, max] = self.ms;
        json!({
            "count": self.count, "min_ms": min, "avg_ms": avg, "p50_ms": p50, "p95_ms": p95, "p99_ms": p99,
            "max_ms": max, "declined": self.declined, "errors": self.errors, "over_deadline": self.over_deadline,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let recorder = Recorder::default();
        for ms in 1..=100 {
            recorder.record("check_availability", Duration::from_millis(ms), Outcome::Ok);
        }
        recorder.record("check_availability", Duration::from_millis(7000), Outcome::Error("http_500".into()));
        let summary = &recorder.summaries()[0];
        assert_eq!(summary.count, 101);
        assert_eq!(summary.ms[2], 51.0);
        assert_eq!(summary.ms[0], 1.0);
        assert_eq!(summary.ms[5], 7000.0);
        assert_eq!(summary.five_xx(), 1);
        assert_eq!(summary.over_deadline, 1);
    }
}
