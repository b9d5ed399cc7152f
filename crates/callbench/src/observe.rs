//! What the servers say about themselves: frontdesk's `/metrics` (cache results, Cal.com request
//! durations) and calsim's `/_calsim/stats` (requests by route, status and API key).

use serde_json::Value;
use std::collections::BTreeMap;

/// A snapshot of both servers' counters.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// frontdesk's Prometheus text.
    pub metrics: String,
    /// calsim's stats document.
    pub calsim: Value,
}

/// Reads both; a server that does not answer gives empty counters rather than failing the run.
pub async fn snapshot(http: &reqwest::Client, frontdesk: &str, calsim: &str) -> Snapshot {
    let metrics = match http.get(format!("{frontdesk}/metrics")).send().await {
        Ok(response) => response.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    };
    let calsim = match http.get(format!("{calsim}/_calsim/stats")).send().await {
        Ok(response) => response.json().await.unwrap_or(Value::Null),
        Err(_) => Value::Null,
    };
    Snapshot { metrics, calsim }
}

/// The sum of a Prometheus series over all label sets that contain every `(label, value)`.
pub fn series_sum(metrics: &str, name: &str, labels: &[(&str, &str)]) -> f64 {
    metrics
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| {
            let (series, value) = line.rsplit_once(' ')?;
            let (metric, label_text) = match series.split_once('{') {
                Some((metric, rest)) => (metric, rest.trim_end_matches('}')),
                None => (series, ""),
            };
            if metric != name {
                return None;
            }
            let matches = labels.iter().all(|(k, v)| label_text.split(',').any(|pair| pair == format!("{k}=\"{v}\"")));
            matches.then(|| value.parse::<f64>().ok()).flatten()
        })
        .sum()
}

/// What happened between two snapshots.
#[derive(Debug, Clone, Default)]
pub struct Delta {
    /// Availability reads by result (hit, miss, coalesced, stale, unavailable).
    pub cache: BTreeMap<String, f64>,
    /// Cal.com requests by calsim route.
    pub calendar: BTreeMap<String, u64>,
    /// calsim answers by status.
    pub calendar_status: BTreeMap<String, u64>,
    /// Per key: the most requests within any 60 s (since calsim started).
    pub max_per_minute_per_key: u64,
    /// Mean duration of a Cal.com booking request as frontdesk measured it, in ms.
    pub calcom_create_ms: Option<f64>,
    /// The window cache at the end: (bytes, windows).
    pub window_cache: (f64, f64),
}

impl Delta {
    /// Differences of `after` over `before`.
    pub fn between(before: &Snapshot, after: &Snapshot) -> Self {
        const CACHE: &str = "frontdesk_availability_cache_total";
        let cache = ["hit", "miss", "coalesced", "stale", "unavailable"]
            .iter()
            .map(|result| {
                let count = series_sum(&after.metrics, CACHE, &[("result", result)])
                    - series_sum(&before.metrics, CACHE, &[("result", result)]);
                (result.to_string(), count)
            })
            .collect();
        let counts = |snapshot: &Snapshot, field: &str| -> BTreeMap<String, u64> {
            snapshot.calsim[field]
                .as_object()
                .map(|o| o.iter().map(|(k, v)| (k.clone(), v.as_u64().unwrap_or(0))).collect())
                .unwrap_or_default()
        };
        let diff = |field: &str| -> BTreeMap<String, u64> {
            let earlier = counts(before, field);
            counts(after, field)
                .into_iter()
                .map(|(k, n)| {
                    let was = earlier.get(&k).copied().unwrap_or(0);
                    (k, n - was.min(n))
                })
                .filter(|(_, n)| *n > 0)
                .collect()
        };
        let max_per_minute_per_key = after.calsim["by_key"]
            .as_object()
            .map(|keys| keys.values().filter_map(|k| k["max_per_minute"].as_u64()).max().unwrap_or(0))
            .unwrap_or(0);
        const DURATION: &str = "frontdesk_calendar_request_duration_seconds";
        let create = [("provider", "calcom"), ("endpoint", "create_booking")];
        let sum = series_sum(&after.metrics, &format!("{DURATION}_sum"), &create)
            - series_sum(&before.metrics, &format!("{DURATION}_sum"), &create);
        let count = series_sum(&after.metrics, &format!("{DURATION}_count"), &create)
            - series_sum(&before.metrics, &format!("{DURATION}_count"), &create);
        Self {
            cache,
            calendar: diff("requests"),
            calendar_status: diff("by_status"),
            max_per_minute_per_key,
            calcom_create_ms: (count > 0.0).then(|| sum / count * 1000.0),
            window_cache: (
                series_sum(&after.metrics, "frontdesk_window_cache_bytes", &[]),
                series_sum(&after.metrics, "frontdesk_window_cache_windows", &[]),
            ),
        }
    }

    /// Share of availability reads answered from a window without waiting.
    pub fn hit_rate(&self) -> Option<f64> {
        let all: f64 = self.cache.values().sum();
        (all > 0.0).then(|| self.cache.get("hit").copied().unwrap_or(0.0) / all)
    }

    /// Cal.com requests in all.
    pub fn calendar_requests(&self) -> u64 {
        self.calendar.values().sum()
    }

    /// Slot reads.
    pub fn slot_reads(&self) -> u64 {
        self.calendar.get("GET /v2/slots").copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_series_by_labels() {
        let text = "# TYPE x counter\nfrontdesk_availability_cache_total{result=\"hit\"} 41\nfrontdesk_availability_cache_total{result=\"miss\"} 2\nother 5\n";
        assert_eq!(series_sum(text, "frontdesk_availability_cache_total", &[("result", "hit")]), 41.0);
        assert_eq!(series_sum(text, "frontdesk_availability_cache_total", &[]), 43.0);
        assert_eq!(series_sum(text, "other", &[]), 5.0);
    }
}
