//! The tables: each pass in full, both passes side by side with the old system's figures, the
//! goals with what was measured, and every figure as JSON.

use crate::max_rate::{Step, P99_LIMIT_MS};
use crate::pass::PassResult;
use crate::record::Summary;
use serde_json::{json, Value};

/// min, avg, max in ms; `None` where the old system answered HTTP 500.
type OldFigures = Option<(f64, f64, f64)>;

/// The old PHP system's report, per function.
pub const OLD_SYSTEM: &[(&str, OldFigures)] = &[
    ("check_availability", Some((2600.0, 2800.0, 3000.0))),
    ("get_alternatives", Some((1300.0, 1700.0, 2200.0))),
    ("find_next_available", None),
    ("book_appointment", Some((1200.0, 1300.0, 1400.0))),
    ("get_available_services", Some((700.0, 750.0, 800.0))),
    ("check_customer", Some((700.0, 750.0, 800.0))),
    ("collect_appointment_info", Some((700.0, 750.0, 800.0))),
    ("initialize_call", Some((700.0, 750.0, 800.0))),
];

/// The availability reads the cache serves.
pub const READS: [&str; 3] = ["check_availability", "get_alternatives", "find_next_available"];
/// Retell's webhooks around a call: reported, but not functions (the inbound webhook answers
/// before the phone is picked up; Retell allows it 10 s).
const WEBHOOKS: [&str; 3] = ["inbound", "call_started", "call_ended"];
/// Functions that wait for Cal.com by design (a write).
const WRITES: [&str; 5] = [
    "reserve_slot",
    "book_appointment",
    "collect_appointment_info (confirm)",
    "reschedule_appointment",
    "cancel_appointment",
];

fn find<'a>(result: &'a PassResult, function: &str) -> Option<&'a Summary> {
    result.summaries.iter().find(|s| s.function == function)
}

fn ms(value: f64) -> String {
    if value >= 100.0 {
        format!("{value:.0}")
    } else if value >= 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}

fn codes(map: &std::collections::BTreeMap<String, u64>) -> String {
    map.iter().map(|(k, n)| format!("{k} {n}")).collect::<Vec<_>>().join(", ")
}

/// Prints one pass.
pub fn print_pass(result: &PassResult) {
    let c = &result.config;
    println!(
        "\n## {} — availability cache {}, {} tenants / {} numbers, {} callers, {} conversations in {:.1} s",
        c.label,
        if c.cache { "on" } else { "off (the old system's pattern)" },
        result.tenants.0,
        result.tenants.1,
        c.callers,
        result.conversations,
        result.elapsed.as_secs_f64()
    );
    println!(
        "\n| function | count | min ms | avg ms | p50 ms | p95 ms | p99 ms | max ms | errors | answered success=false |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    for s in &result.summaries {
        let [min, avg, p50, p95, p99, max] = s.ms;
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            s.function,
            s.count,
            ms(min),
            ms(avg),
            ms(p50),
            ms(p95),
            ms(p99),
            ms(max),
            if s.errors.is_empty() { "0".into() } else { codes(&s.errors) },
            codes(&s.declined)
        );
    }
    let d = &result.delta;
    let conversations = result.conversations.max(1) as f64;
    println!();
    println!(
        "- conversations: {} — {} booked ({} of them cancelled in the same call), {} could not book: {} callback requests accepted{}",
        result.conversations,
        result.booked,
        result.cancelled,
        result.conversations - result.booked,
        result.callbacks_answered,
        result.integrity.map(|i| format!(", {} open callbacks in frontdesk's database", i.open_callbacks)).unwrap_or_default()
    );
    if let Some(integrity) = result.integrity {
        println!(
            "- {} frontdesk instance(s){}: {} double bookings, {} lost holds, {} live appointments in the database",
            result.instances,
            if result.instances > 1 { " on PostgreSQL + Redis behind HAProxy" } else { "" },
            integrity.double_bookings,
            result.lost_holds,
            integrity.live_appointments
        );
    }
    if let Some(line) = notices_line(result) {
        println!("{line}");
    }
    if let Some(secs) = result.start_secs {
        println!(
            "- start: {secs:.2} s until every instance listened ({} tenants, {} numbers)",
            result.tenants.0, result.tenants.1
        );
    }
    if let Some(line) = dead_air_line(&result.dead_air) {
        println!("{line}");
    }
    if let Some([p50, p95, max]) = dead_air_percentiles(&result.dead_air_beyond_writes) {
        println!("- of it outside the calendar writes (book, confirm, move, cancel): p50 {p50:.1} ms, p95 {p95:.1} ms, max {max:.1} ms");
    }
    println!(
        "- availability cache: {} (reads: {})",
        d.hit_rate().map(|h| format!("{:.1} % hits", h * 100.0)).unwrap_or("not used".into()),
        d.cache.iter().filter(|(_, n)| **n > 0.0).map(|(k, n)| format!("{k} {n}")).collect::<Vec<_>>().join(", ")
    );
    println!(
        "- Cal.com requests: {} in all, {:.2} per conversation, {:.2} slot reads per conversation; most per key within any minute: {} (frontdesk's budget 100, Cal.com's limit 120)",
        d.calendar_requests(),
        d.calendar_requests() as f64 / conversations,
        d.slot_reads() as f64 / conversations,
        d.max_per_minute_per_key
    );
    println!("- Cal.com requests by route: {}", codes(&d.calendar));
    println!("- Cal.com answers by status: {}", codes(&d.calendar_status));
    let five_xx: u64 = result.summaries.iter().map(Summary::five_xx).sum();
    let late: usize = result.summaries.iter().map(|s| s.over_deadline).sum();
    println!("- frontdesk 5xx answers: {five_xx}; answers later than Retell's 5 s timeout: {late}");
    if let (Some(start), Some(end)) = result.rss_kib {
        let per_tenant = start as f64 / result.tenants.0.max(1) as f64;
        println!("- frontdesk resident memory: {start} KiB after start ({per_tenant:.1} KiB per tenant), {end} KiB at the end");
    }
    println!(
        "- window cache at the end: {:.1} MiB in {} windows",
        d.window_cache.0 / (1024.0 * 1024.0),
        d.window_cache.1
    );
}

/// Prints both passes side by side with the old system.
pub fn print_comparison(ours: &PassResult, baseline: &PassResult) {
    println!("\n## Side by side (round trip on loopback, ms)\n");
    println!("| function | frontdesk p50 | frontdesk p95 | baseline p50 | baseline p95 | baseline ÷ frontdesk (p50) | old system min / avg / max |");
    println!("|---|---:|---:|---:|---:|---:|---|");
    for s in &ours.summaries {
        let Some(b) = find(baseline, s.function) else { continue };
        let old = OLD_SYSTEM.iter().find(|(f, _)| *f == s.function).map(|(_, figures)| match figures {
            Some((min, avg, max)) => format!("{min:.0} / {avg:.0} / {max:.0}"),
            None => "HTTP 500".into(),
        });
        println!(
            "| {} | {} | {} | {} | {} | {:.0}× | {} |",
            s.function,
            ms(s.ms[2]),
            ms(s.ms[3]),
            ms(b.ms[2]),
            ms(b.ms[3]),
            b.ms[2] / s.ms[2].max(0.001),
            old.unwrap_or_default()
        );
    }
}

/// One goal: what it asks, what was measured, whether it holds (`None`: not measured).
struct Goal {
    text: String,
    measured: String,
    met: Option<bool>,
}

fn goals(ours: &PassResult, baseline: Option<&PassResult>, steps: &[Step]) -> Vec<Goal> {
    let mut goals = Vec::new();
    for read in READS {
        if let Some(s) = find(ours, read) {
            goals.push(Goal {
                text: format!("{read} p95 ≤ 5 ms"),
                measured: format!("{} ms", ms(s.ms[3])),
                met: Some(s.ms[3] <= 5.0),
            });
        }
    }
    if let (Some(book), Some(create)) = (find(ours, "book_appointment"), ours.delta.calcom_create_ms) {
        let overhead = book.ms[1] - create;
        goals.push(Goal {
            text: "book_appointment ≤ one Cal.com round trip + 10 ms (averages)".into(),
            measured: format!("{} ms vs Cal.com create {} ms: +{} ms", ms(book.ms[1]), ms(create), ms(overhead)),
            met: Some(overhead <= 10.0),
        });
    }
    if let Some([p50, _, _]) = dead_air_percentiles(&ours.dead_air_beyond_writes) {
        // The booking's own Cal.com round trip is the floor; everything else is frontdesk's.
        goals.push(Goal {
            text: "dead air per booked conversation ≤ its Cal.com writes + 10 ms (p50)".into(),
            measured: format!("+{} ms", ms(p50)),
            met: Some(p50 <= 10.0),
        });
    }
    let others: Vec<&Summary> = ours
        .summaries
        .iter()
        .filter(|s| ![&READS[..], &WRITES[..], &WEBHOOKS[..]].concat().contains(&s.function))
        .collect();
    if let Some(worst) = others.iter().max_by(|a, b| a.ms[3].total_cmp(&b.ms[3])) {
        goals.push(Goal {
            text: "other functions p95 ≤ 2 ms".into(),
            measured: format!("worst: {} {} ms", worst.function, ms(worst.ms[3])),
            met: Some(worst.ms[3] <= 2.0),
        });
    }
    if let Some(baseline) = baseline {
        let ratios: Vec<(String, f64)> = READS
            .iter()
            .filter_map(|f| Some((f.to_string(), find(baseline, f)?.ms[2] / find(ours, f)?.ms[2].max(0.001))))
            .collect();
        if let Some(lowest) = ratios.iter().map(|(_, r)| *r).reduce(f64::min) {
            goals.push(Goal {
                text: "≥ 100× faster than the baseline on the read functions (p50)".into(),
                measured: ratios.iter().map(|(f, r)| format!("{f} {r:.0}×")).collect::<Vec<_>>().join(", "),
                met: Some(lowest >= 100.0),
            });
        }
    }
    let hit_rate = ours.delta.hit_rate();
    goals.push(Goal {
        text: "availability cache hit rate ≥ 95 %".into(),
        measured: hit_rate.map(|h| format!("{:.1} %", h * 100.0)).unwrap_or("-".into()),
        met: hit_rate.map(|h| h >= 0.95),
    });
    let per_conversation = ours.delta.slot_reads() as f64 / ours.conversations.max(1) as f64;
    goals.push(Goal {
        text: "≤ 1.2 slots requests per conversation".into(),
        measured: format!("{per_conversation:.2}"),
        met: Some(per_conversation <= 1.2),
    });
    goals.push(Goal {
        text: "never more than the configured 100 requests per minute per Cal.com key".into(),
        measured: format!("most within any 60 s: {}", ours.delta.max_per_minute_per_key),
        met: Some(ours.delta.max_per_minute_per_key <= 100),
    });
    if let Some(best) = best_rate(steps) {
        goals.push(Goal {
            text: "≥ 10,000 warm calls/s on 2 cores (p99 < 20 ms)".into(),
            measured: format!("{:.0} calls/s at {} callers, p99 {} ms", best.rate, best.callers, ms(best.p99_ms)),
            met: Some(best.rate >= 10_000.0),
        });
    }
    let five_xx: u64 = ours.summaries.iter().map(Summary::five_xx).sum();
    goals.push(Goal { text: "zero 5xx".into(), measured: five_xx.to_string(), met: Some(five_xx == 0) });
    goals
}

/// The fastest step whose p99 stayed under the limit.
pub fn best_rate(steps: &[Step]) -> Option<&Step> {
    steps.iter().filter(|s| s.p99_ms < P99_LIMIT_MS && s.failures == 0).max_by(|a, b| a.rate.total_cmp(&b.rate))
}

/// Prints the goals.
pub fn print_goals(ours: &PassResult, baseline: Option<&PassResult>, steps: &[Step]) {
    println!("\n## Goals\n");
    println!("| goal | measured | met |");
    println!("|---|---|---|");
    for goal in goals(ours, baseline, steps) {
        let met = match goal.met {
            Some(true) => "yes",
            Some(false) => "NO",
            None => "-",
        };
        println!("| {} | {} | {met} |", goal.text, goal.measured);
    }
}

/// p50, p95 and max of sorted durations in milliseconds; `None` when there are none.
fn dead_air_percentiles(sorted: &[std::time::Duration]) -> Option<[f64; 3]> {
    let at = |p: f64| sorted[((sorted.len() - 1) as f64 * p).round() as usize].as_secs_f64() * 1000.0;
    (!sorted.is_empty()).then(|| [at(0.5), at(0.95), at(1.0)])
}

/// Dead air per booked conversation: what the caller waited on frontdesk in all.
fn dead_air_line(sorted: &[std::time::Duration]) -> Option<String> {
    dead_air_percentiles(sorted).map(|[p50, p95, max]| {
        format!("- dead air per booked conversation (the caller's waits on frontdesk, summed): p50 {p50:.1} ms, p95 {p95:.1} ms, max {max:.1} ms")
    })
}

/// Notices the outbox holds that the businesses did not get (undelivered, missing at the
/// receivers, or arriving with a bad signature); `None` when notifications were off.
pub fn notices_lost(result: &PassResult) -> Option<i64> {
    let (notices, received) = (result.integrity?.notices, result.received.as_ref()?);
    let missing_hooks = (notices.webhook - received.distinct as i64).max(0);
    let missing_mails = (notices.email - received.mails as i64).max(0);
    let missing_sms = (notices.sms - received.sms as i64).max(0);
    Some(notices.undelivered + missing_hooks + missing_mails + missing_sms + received.sms_repeats as i64 + received.forged as i64)
}

fn notices_line(result: &PassResult) -> Option<String> {
    let (notices, received) = (result.integrity?.notices, result.received.as_ref()?);
    Some(format!(
        "- notifications: {} webhook, {} e-mail and {} SMS notices written with the changes; received {} webhooks ({} distinct, {} badly signed), {} e-mails and {} SMS ({} repeated); {} undelivered; from change to webhook {}",
        notices.webhook,
        notices.email,
        notices.sms,
        received.webhooks,
        received.distinct,
        received.forged,
        received.mails,
        received.sms,
        received.sms_repeats,
        notices.undelivered,
        received.lag_ms.map(|[p50, p99, max]| format!("p50 {p50:.0} ms, p99 {p99:.0} ms, max {max:.0} ms")).unwrap_or("-".into()),
    ))
}

fn pass_json(result: &PassResult) -> Value {
    let d = &result.delta;
    json!({
        "label": result.config.label,
        "availability_cache": result.config.cache,
        "callers": result.config.callers,
        "tenants": result.tenants.0,
        "numbers": result.tenants.1,
        "conversations": result.conversations,
        "booked": result.booked,
        "dead_air_ms": dead_air_percentiles(&result.dead_air),
        "dead_air_beyond_writes_ms": dead_air_percentiles(&result.dead_air_beyond_writes),
        "cancelled": result.cancelled,
        "callbacks_answered": result.callbacks_answered,
        "callbacks_stored": result.integrity.map(|i| i.open_callbacks),
        "instances": result.instances,
        "start_s": result.start_secs,
        "double_bookings": result.integrity.map(|i| i.double_bookings),
        "live_appointments": result.integrity.map(|i| i.live_appointments),
        "lost_holds": result.lost_holds,
        "notifications": result.received.as_ref().zip(result.integrity).map(|(r, i)| json!({
            "webhook_notices": i.notices.webhook, "email_notices": i.notices.email, "undelivered": i.notices.undelivered,
            "webhooks_received": r.webhooks, "distinct": r.distinct, "forged": r.forged, "mails_received": r.mails,
            "sms_notices": i.notices.sms, "sms_received": r.sms, "sms_repeats": r.sms_repeats,
            "lag_ms": r.lag_ms, "lost": notices_lost(result),
        })),
        "elapsed_s": result.elapsed.as_secs_f64(),
        "functions": result.summaries.iter().map(|s| (s.function.to_string(), s.to_json())).collect::<serde_json::Map<_, _>>(),
        "cache": {"reads": d.cache, "hit_rate": d.hit_rate()},
        "calendar": {
            "requests": d.calendar, "by_status": d.calendar_status, "total": d.calendar_requests(),
            "per_conversation": d.calendar_requests() as f64 / result.conversations.max(1) as f64,
            "slot_reads_per_conversation": d.slot_reads() as f64 / result.conversations.max(1) as f64,
            "max_per_minute_per_key": d.max_per_minute_per_key,
            "create_booking_avg_ms": d.calcom_create_ms,
        },
        "five_xx": result.summaries.iter().map(Summary::five_xx).sum::<u64>(),
        "over_deadline": result.summaries.iter().map(|s| s.over_deadline).sum::<usize>(),
        "rss_kib": {"start": result.rss_kib.0, "end": result.rss_kib.1},
        "window_cache": {"bytes": d.window_cache.0, "windows": d.window_cache.1},
        "samples": result.samples.iter().map(|s| json!({
            "at_s": s.at_s, "rss_kib": s.rss_kib, "hit_rate": s.hit_rate, "calls": s.calls, "errors": s.errors
        })).collect::<Vec<_>>(),
    })
}

/// Every figure of the run.
pub fn to_json(passes: &[PassResult], steps: &[Step], instances: usize) -> Value {
    let goals = passes
        .first()
        .map(|ours| {
            goals(ours, passes.get(1), steps)
                .into_iter()
                .map(|g| json!({"goal": g.text, "measured": g.measured, "met": g.met}))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    json!({
        "instances": instances,
        "passes": passes.iter().map(pass_json).collect::<Vec<_>>(),
        "max_rate": steps.iter().map(|s| json!({
            "callers": s.callers, "calls_per_s": s.rate, "p50_ms": s.p50_ms, "p99_ms": s.p99_ms, "failures": s.failures
        })).collect::<Vec<_>>(),
        "goals": goals,
        "old_system": OLD_SYSTEM.iter().map(|(f, figures)| (f.to_string(), match figures {
            Some((min, avg, max)) => json!({"min_ms": min, "avg_ms": avg, "max_ms": max}),
            None => json!("HTTP 500"),
        })).collect::<serde_json::Map<_, _>>(),
    })
}
