//! Throughput mode: warm function calls (windows prefetched) back to back from more and more
//! callers; the highest rate whose p99 stays under 20 ms. Client and server share the machine,
//! so the figure is what two cores do for both.

use crate::conversation::targets;
use crate::record::percentile;
use crate::servers::{start, Servers};
use frontdesk::client::{CallIdentity, RetellClient};
use frontdesk::domain::Language;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The p99 a step must stay under to count.
pub const P99_LIMIT_MS: f64 = 20.0;

/// One step of the ramp.
#[derive(Debug, Clone)]
pub struct Step {
    /// Concurrent callers.
    pub callers: usize,
    /// Answered calls per second.
    pub rate: f64,
    /// Round-trip percentiles in ms.
    pub p50_ms: f64,
    /// 99th percentile.
    pub p99_ms: f64,
    /// Calls that were not a 200 with `success: true`.
    pub failures: usize,
}

/// The warm calls a caller cycles through: the three availability reads and three light ones.
fn calls(language: Language, service: &str) -> Vec<(&'static str, Value)> {
    let wish = match language {
        Language::De => json!({"dienstleistung": service, "datum": "morgen", "uhrzeit": "11 Uhr"}),
        Language::En => json!({"service": service, "date": "tomorrow", "time": "11 am"}),
    };
    vec![
        ("check_availability", wish.clone()),
        ("get_alternatives", wish.clone()),
        ("find_next_available", json!({"service": service})),
        ("get_available_services", json!({})),
        ("get_opening_hours", json!({})),
        ("check_customer", json!({})),
    ]
}

/// Ramps callers through `steps`, `seconds` each, on servers with the cache on.
pub async fn run(servers: &Servers, steps: &[usize], seconds: u64) -> anyhow::Result<Vec<Step>> {
    let running = start(servers, true).await?;
    let client = RetellClient::new(&running.frontdesk, &running.retell_key);
    let targets = Arc::new(targets(&running.tenants));
    // Every branch's windows are prefetched as for an incoming call — on every instance, each
    // keeps its own windows — then given time to arrive.
    for url in running.instance_urls() {
        let instance = RetellClient::new(&url, &running.retell_key);
        for (i, target) in targets.iter().enumerate() {
            let call = CallIdentity {
                call_id: format!("warm_{i}"),
                from_number: "+4915100000000".into(),
                to_number: target.number.clone(),
            };
            instance.inbound(&call).await?;
        }
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    let mut results = Vec::new();
    for &callers in steps {
        let count = Arc::new(AtomicUsize::new(0));
        let started = Instant::now();
        let mut workers = Vec::new();
        for worker in 0..callers {
            let (client, targets, count) = (client.clone(), targets.clone(), count.clone());
            workers.push(tokio::spawn(async move {
                let (mut latencies, mut failures) = (Vec::new(), 0usize);
                let mut turn = worker;
                while started.elapsed() < Duration::from_secs(seconds) {
                    let target = &targets[turn % targets.len()];
                    let service = &target.services[turn % target.services.len()];
                    let script = calls(target.language, service);
                    let (function, args) = &script[turn % script.len()];
                    let call = CallIdentity {
                        call_id: format!("rate_{callers}_{worker}_{}", turn % targets.len()),
                        from_number: "+4915100000001".into(),
                        to_number: target.number.clone(),
                    };
                    let sent = Instant::now();
                    match client.call(function, args.clone(), &call).await {
                        Ok(exchange) if exchange.status == 200 => latencies.push(sent.elapsed()),
                        _ => failures += 1,
                    }
                    count.fetch_add(1, Ordering::Relaxed);
                    turn += callers;
                }
                (latencies, failures)
            }));
        }
        let (mut latencies, mut failures) = (Vec::new(), 0);
        for worker in workers {
            let (l, f) = worker.await?;
            latencies.extend(l);
            failures += f;
        }
        let elapsed = started.elapsed().as_secs_f64();
        latencies.sort();
        let step = Step {
            callers,
            rate: latencies.len() as f64 / elapsed,
            p50_ms: percentile(&latencies, 0.5),
            p99_ms: percentile(&latencies, 0.99),
            failures,
        };
        println!(
            "  {:>3} callers: {:>7.0} calls/s  p50 {:>6.3} ms  p99 {:>6.3} ms  {} failures",
            step.callers, step.rate, step.p50_ms, step.p99_ms, step.failures
        );
        results.push(step);
    }
    running.stop().await?;
    Ok(results)
}
