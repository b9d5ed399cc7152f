//! Tracing (JSON lines, personal data masked) and Prometheus metrics (DESIGN §6 names).

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::io::{self, Write};
use std::sync::OnceLock;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::EnvFilter;

/// Histogram of function-call durations, labelled `function`, `outcome`, `cache`.
pub const FUNCTION_DURATION: &str = "frontdesk_function_duration_seconds";
/// Counter of unexpected internal errors (panics included).
pub const INTERNAL_ERRORS: &str = "frontdesk_internal_errors_total";
/// Counter of calendar requests, labelled `provider`, `endpoint`, `status`.
pub const CALENDAR_REQUESTS: &str = "frontdesk_calendar_requests_total";
/// Histogram of calendar request durations, labelled `provider`, `endpoint`.
pub const CALENDAR_DURATION: &str = "frontdesk_calendar_request_duration_seconds";
/// Gauge of each Cal.com account's circuit breaker: 0 closed, 1 half-open, 2 open.
pub const CALENDAR_BREAKER: &str = "frontdesk_calendar_breaker_state";
/// Counter of availability cache lookups, labelled `result`.
pub const AVAILABILITY_CACHE: &str = "frontdesk_availability_cache_total";
/// Gauge of the window cache's memory in bytes (as weighed against FRONTDESK_WINDOW_CACHE_MB).
pub const WINDOW_CACHE_BYTES: &str = "frontdesk_window_cache_bytes";
/// Gauge of the windows held in memory.
pub const WINDOW_CACHE_WINDOWS: &str = "frontdesk_window_cache_windows";
/// Counter of writes and reads refused by a company limit, labelled `limit`.
pub const LIMIT_REFUSALS: &str = "frontdesk_limit_refusals_total";

/// Installs the JSON log subscriber (once; later calls are no-ops). `RUST_LOG` filters, default `info`.
pub fn init_tracing() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .json()
        .with_env_filter(filter)
        .with_current_span(false)
        .with_writer(MaskingWriter)
        .try_init();
}

/// The process-wide Prometheus recorder, installed on first use.
pub fn metrics_handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let seconds =
                [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), &seconds)
                .expect("static buckets are valid")
                .build_recorder();
            let handle = recorder.handle();
            // Another recorder may already be installed by an embedding program; then ours only renders.
            let _ = metrics::set_global_recorder(recorder);
            handle
        })
        .clone()
}

/// Drains the recorder's pending histogram samples every few seconds. The exporter keeps every
/// observation until a scrape or an upkeep folds it into the buckets; the recorder is built
/// without the exporter's own upkeep task, so without this memory grows with every call until
/// someone scrapes `/metrics`. Started once per process.
pub fn spawn_metrics_upkeep() {
    static STARTED: std::sync::Once = std::sync::Once::new();
    STARTED.call_once(|| {
        let handle = metrics_handle();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(5));
            loop {
                tick.tick().await;
                handle.run_upkeep();
            }
        });
    });
}

/// The message a panic carried, for the log line.
pub fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

/// Masks phone numbers and e-mail addresses in a log line, as a last line of defence.
pub fn mask_personal_data(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < chars.len() {
        // A run of 7+ digits (optionally led by '+'), possibly with spaces or dashes: a phone number.
        if chars[i] == '+' || chars[i].is_ascii_digit() {
            let start = i;
            let mut j = if chars[i] == '+' { i + 1 } else { i };
            let mut digits = 0;
            while j < chars.len()
                && (chars[j].is_ascii_digit()
                    || (digits > 0 && chars[j] == ' ' && chars.get(j + 1).is_some_and(char::is_ascii_digit)))
            {
                digits += usize::from(chars[j].is_ascii_digit());
                j += 1;
            }
            let preceded_by_word =
                start > 0 && (chars[start - 1].is_alphanumeric() || chars[start - 1] == '.' || chars[start - 1] == ':');
            if digits >= 7 && !preceded_by_word {
                let run: String = chars[start..j].iter().collect();
                out.push_str(&crate::domain::mask_phone(&run));
                i = j;
                continue;
            }
            out.extend(&chars[start..j.max(start + 1)]);
            i = j.max(start + 1);
            continue;
        }
        if chars[i] == '@' {
            // Mask the local part already written and the domain that follows.
            let local_len =
                out.chars().rev().take_while(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '+')).count();
            if local_len > 0 {
                let keep = out.chars().count() - local_len;
                out = out.chars().take(keep).collect();
                out.push_str("***@");
                let mut j = i + 1;
                while j < chars.len() && (chars[j].is_alphanumeric() || matches!(chars[j], '.' | '-')) {
                    j += 1;
                }
                out.push_str("***");
                i = j;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Writes log lines to stdout with personal data masked.
#[derive(Clone, Copy)]
struct MaskingWriter;

impl<'a> MakeWriter<'a> for MaskingWriter {
    type Writer = MaskingWriter;
    fn make_writer(&'a self) -> Self::Writer {
        *self
    }
}

impl Write for MaskingWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        io::stdout().lock().write_all(mask_personal_data(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        io::stdout().flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_numbers_and_emails_but_not_timestamps() {
        let line = r#"{"timestamp":"2026-11-26T09:30:00.123456Z","caller":"+49 30 1234567","email":"anna.schmidt@example.com","duration_us":1234}"#;
        let masked = mask_personal_data(line);
        assert!(!masked.contains("1234567"), "{masked}");
        assert!(!masked.contains("anna.schmidt"), "{masked}");
        assert!(!masked.contains("example.com"), "{masked}");
        assert!(masked.contains("2026-11-26T09:30:00.123456Z"), "{masked}");
        assert!(masked.contains("\"duration_us\":1234"), "{masked}");
    }
}
