//! The last hour of function latencies and cache use, per function, for the console's
//! operations page: twelve five-minute slots of mergeable quantile sketches (DDSketch, 1 %
//! relative error), fed by the audit writer off the request path.

use chrono::{DateTime, Utc};
use sketches_ddsketch::{Config, DDSketch};
use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;

/// Length of one slot.
const SLOT_SECONDS: i64 = 300;
/// Slots kept: one hour.
const SLOTS: usize = 12;

#[derive(Clone)]
struct Tally {
    sketch: DDSketch,
    cache_hits: u64,
    cache_lookups: u64,
}

impl Tally {
    fn new() -> Self {
        Self { sketch: DDSketch::new(Config::defaults()), cache_hits: 0, cache_lookups: 0 }
    }
}

/// One function's figures over the last hour.
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionFigures {
    /// Canonical function name.
    pub function: String,
    /// Calls answered.
    pub calls: u64,
    /// Median, milliseconds.
    pub p50_ms: f64,
    /// 95th percentile, milliseconds.
    pub p95_ms: f64,
    /// 99th percentile, milliseconds.
    pub p99_ms: f64,
    /// Cache hits among the calls that read a window.
    pub cache_hits: u64,
    /// Calls that read a window.
    pub cache_lookups: u64,
}

/// Rolling per-function latency sketches of this instance.
#[derive(Default)]
pub struct LatencyBoard {
    slots: Mutex<VecDeque<(i64, BTreeMap<String, Tally>)>>,
}

impl std::fmt::Debug for LatencyBoard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LatencyBoard")
    }
}

impl LatencyBoard {
    /// Adds one answered call (`cache`: `hit`, `miss`, `stale` or `none`).
    pub fn record(&self, function: &str, at: DateTime<Utc>, duration_us: i64, cache: &str) {
        let slot = at.timestamp().div_euclid(SLOT_SECONDS);
        let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
        if slots.back().is_none_or(|(s, _)| *s < slot) {
            slots.push_back((slot, BTreeMap::new()));
            while slots.len() > SLOTS {
                slots.pop_front();
            }
        }
        // A record older than the newest slot goes to its own slot, if still kept.
        let Some((_, tallies)) = slots.iter_mut().rev().find(|(s, _)| *s <= slot) else { return };
        // looked up by reference first: a name is allocated once per slot, not once per call
        if !tallies.contains_key(function) {
            tallies.insert(function.to_string(), Tally::new());
        }
        let Some(tally) = tallies.get_mut(function) else { return };
        tally.sketch.add(duration_us as f64 / 1000.0);
        if cache != "none" {
            tally.cache_lookups += 1;
            tally.cache_hits += u64::from(cache == "hit");
        }
    }

    /// Every function's figures over the hour before `now`, by name.
    pub fn last_hour(&self, now: DateTime<Utc>) -> Vec<FunctionFigures> {
        let oldest = now.timestamp().div_euclid(SLOT_SECONDS) - SLOTS as i64 + 1;
        let slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
        let mut merged: BTreeMap<&str, Tally> = BTreeMap::new();
        for (_, tallies) in slots.iter().filter(|(s, _)| *s >= oldest) {
            for (function, tally) in tallies {
                let sum = merged.entry(function).or_insert_with(Tally::new);
                // Sketches of one configuration always merge.
                let _ = sum.sketch.merge(&tally.sketch);
                sum.cache_hits += tally.cache_hits;
                sum.cache_lookups += tally.cache_lookups;
            }
        }
        merged
            .into_iter()
            .map(|(function, tally)| {
                let q = |q: f64| tally.sketch.quantile(q).ok().flatten().unwrap_or(0.0);
                FunctionFigures {
                    function: function.to_string(),
                    calls: tally.sketch.count() as u64,
                    p50_ms: q(0.50),
                    p95_ms: q(0.95),
                    p99_ms: q(0.99),
                    cache_hits: tally.cache_hits,
                    cache_lookups: tally.cache_lookups,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn quantiles_cover_the_last_hour_only() {
        let board = LatencyBoard::default();
        let start = Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap();
        board.record("check_availability", start, 99_000, "hit");
        for i in 1..=100 {
            let at = start + chrono::Duration::minutes(61) + chrono::Duration::seconds(i);
            board.record("check_availability", at, i * 1000, if i % 4 == 0 { "miss" } else { "hit" });
        }
        let figures = board.last_hour(start + chrono::Duration::minutes(62));
        assert_eq!(figures.len(), 1);
        let f = &figures[0];
        // The 99 ms call of an hour ago is gone; the 100 calls of 1..100 ms remain.
        assert_eq!(f.calls, 100);
        assert!((f.p50_ms - 50.0).abs() <= 1.5, "{f:?}");
        assert!((f.p99_ms - 99.0).abs() <= 2.0, "{f:?}");
        assert_eq!((f.cache_hits, f.cache_lookups), (75, 100));
    }
}
