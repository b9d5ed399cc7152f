//! `frontdesk bench`: a documented load loop for a warm function call (default `check_availability`) through the full
//! HTTP stack (signature check, tenant lookup, calendar read, phrasing). Reports server-side and
//! round-trip percentiles and calls per second. A measurement tool, never a test.

use crate::client::{CallIdentity, RetellClient};
use crate::demo::{DemoEnvironment, CALLER_NUMBER, SALON_NUMBER};
use crate::domain::CalendarKind;
use anyhow::Context;
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index].as_secs_f64() * 1000.0
}

/// Runs `calls` warm calls of `function` from `concurrency` callers and prints the figures.
/// Availability functions ask for a men's haircut tomorrow at 14:30; others get no arguments.
/// `book_appointment` books distinct slots against the in-process Cal.com simulator instead;
/// `slot_engine` times the slot engine alone.
pub async fn run(function: &str, calls: usize, concurrency: usize) -> anyhow::Result<()> {
    if function == "book_appointment" {
        return bookings(calls, concurrency).await;
    }
    if function == "slot_engine" {
        return crate::bench_engine::run(calls.min(5_000));
    }
    let env = DemoEnvironment::start(CalendarKind::Local).await?;
    let args = match function {
        "check_availability" | "get_alternatives" | "find_next_available" | "get_service_info" => {
            json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "14:30"})
        }
        // A span of days searched whole, the times spread over its days.
        "check_availability_span" => json!({"service": "Herrenhaarschnitt", "date": "Dienstag bis Donnerstag nachmittags"}),
        // A long phrase as an agent passes it on: day, approximate time, part of the day, staff.
        "parse_date" => json!({
            "datum": "also am liebsten nächste Woche Dienstag, so gegen viertel nach drei am Nachmittag, bei Jonas bitte",
            "uhrzeit": "ungefähr um viertel nach drei"
        }),
        _ => json!({}),
    };
    let called = function.strip_suffix("_span").unwrap_or(function);
    let (base_url, api_key, name, load_args) =
        (env.base_url.clone(), env.api_key.clone(), called.to_string(), args.clone());
    // The callers run on their own thread and runtime: the server's workers serve requests only,
    // so its Server-Timing measures the server, not the client queued beside it.
    let (mut server, mut own, mut round_trip, failures, elapsed) =
        on_client_thread(move || callers(base_url, api_key, name, load_args, calls, concurrency)).await??;
    server.sort();
    own.sort();
    round_trip.sort();
    println!("warm {function}, {calls} calls, {concurrency} concurrent callers, {failures} failures");
    let line = |label: &str, sorted: &[Duration], note: &str| {
        let (p50, p95) = (percentile(sorted, 0.50), percentile(sorted, 0.95));
        let (p99, max) = (percentile(sorted, 0.99), percentile(sorted, 1.0));
        println!("{label}  p50 {p50:.3} ms  p95 {p95:.3} ms  p99 {p99:.3} ms  max {max:.3} ms{note}");
    };
    line("server-side", &server, "");
    line("  function ", &own, "  (the function itself, without signature, JSON and HTTP)");
    line("round trip ", &round_trip, "");
    println!(
        "throughput   {:.0} calls/s (client and server share this machine)",
        server.len() as f64 / elapsed.as_secs_f64()
    );
    in_process(&env, called, &args, calls).await?;
    if function == "parse_date" {
        understanding_alone(&env, &args, calls).await?;
        machine_spread(calls);
    }
    env.stop().await
}

/// Latencies (server, function, round trip), failures and wall time of one load run.
type Samples = (Vec<Duration>, Vec<Duration>, Vec<Duration>, usize, Duration);

/// Runs `work` on a thread of its own with a single-threaded runtime and waits for its result.
async fn on_client_thread<T: Send + 'static, F>(work: impl FnOnce() -> F + Send + 'static) -> anyhow::Result<T>
where
    F: std::future::Future<Output = T>,
{
    let (done, result) = tokio::sync::oneshot::channel();
    std::thread::Builder::new().name("bench-callers".into()).spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a client runtime");
        let _ = done.send(runtime.block_on(work()));
    })?;
    result.await.context("the client thread ended without a result")
}

/// `calls` warm calls of `function` from `concurrency` callers against the server at `base_url`.
async fn callers(
    base_url: String,
    api_key: String,
    function: String,
    args: serde_json::Value,
    calls: usize,
    concurrency: usize,
) -> anyhow::Result<Samples> {
    let client = RetellClient::new(&base_url, &api_key);
    let call = |i: usize| CallIdentity {
        call_id: format!("bench_{i}"),
        from_number: CALLER_NUMBER.into(),
        to_number: SALON_NUMBER.into(),
    };
    // Warm up: the call rows are written once per call id, connections opened.
    for i in 0..concurrency {
        client.call(&function, args.clone(), &call(i)).await?;
    }
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut workers = Vec::new();
    for worker in 0..concurrency {
        let (client, args, next, function) = (client.clone(), args.clone(), next.clone(), function.clone());
        let identity = call(worker);
        workers.push(tokio::spawn(async move {
            let mut samples = Vec::new();
            let mut failures = 0usize;
            while next.fetch_add(1, Ordering::Relaxed) < calls {
                match client.call(&function, args.clone(), &identity).await {
                    Ok(exchange) if exchange.status == 200 && exchange.body["success"] == true => {
                        samples.push((exchange.server, exchange.function.unwrap_or_default(), exchange.round_trip))
                    }
                    other => {
                        // The first refusal is shown: a load run that fails must say why.
                        if failures == 0 && worker == 0 {
                            match &other {
                                Ok(exchange) => eprintln!("first failed answer: HTTP {} {}", exchange.status, exchange.body),
                                Err(error) => eprintln!("first failed call: {error}"),
                            }
                        }
                        failures += 1
                    }
                }
            }
            (samples, failures)
        }));
    }
    let (mut server, mut own, mut round_trip, mut failures) = (Vec::new(), Vec::new(), Vec::new(), 0);
    for worker in workers {
        let (samples, failed) = worker.await?;
        failures += failed;
        for (s, f, r) in samples {
            server.push(s);
            own.push(f);
            round_trip.push(r);
        }
    }
    Ok((server, own, round_trip, failures, started.elapsed()))
}

/// The same request through the service's routes in this task, without TCP, hyper and a second
/// thread: what the server computes per request, apart from the machine's scheduling.
async fn in_process(env: &DemoEnvironment, function: &str, args: &serde_json::Value, calls: usize) -> anyhow::Result<()> {
    use tower::ServiceExt;
    let router = crate::app::router(env.state.clone());
    let call = CallIdentity {
        call_id: "bench_in_process".into(),
        from_number: CALLER_NUMBER.into(),
        to_number: SALON_NUMBER.into(),
    };
    let body = serde_json::to_vec(&call.function_call(function, args.clone()))?;
    let (mut samples, mut failures) = (Vec::with_capacity(calls), 0usize);
    for i in 0..calls + 100 {
        let signature = crate::retell::sign(&body, &env.api_key, chrono::Utc::now().timestamp_millis());
        let request = axum::http::Request::post(format!("/retell/functions/{function}"))
            .header("content-type", "application/json")
            .header("x-retell-signature", signature)
            .body(axum::body::Body::from(body.clone()))?;
        let started = Instant::now();
        let response = router.clone().oneshot(request).await?;
        let answer = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
        let elapsed = started.elapsed();
        // a refusal is fast and would pass for speed: only answered calls count, as over HTTP
        let answered = serde_json::from_slice::<serde_json::Value>(&answer).is_ok_and(|body| body["success"] == true);
        // the first requests write the call's row and warm the memos
        match (i >= 100, answered) {
            (true, true) => samples.push(elapsed),
            (true, false) => failures += 1,
            (false, _) => {}
        }
    }
    samples.sort();
    println!(
        "in process   p50 {:.1} µs  p99 {:.1} µs  {failures} failures  (the whole request through the routes, no TCP, one task)",
        percentile(&samples, 0.50) * 1000.0,
        percentile(&samples, 0.99) * 1000.0
    );
    Ok(())
}

/// The understanding of the same words on its own (tokens, grammar, resolution against the salon's
/// hours and staff), without HTTP, signature, JSON and audit around it.
async fn understanding_alone(env: &DemoEnvironment, args: &serde_json::Value, calls: usize) -> anyhow::Result<()> {
    let branches = env.store.load_branches().await?;
    let salon = branches
        .iter()
        .find(|b| b.branch.phone_numbers.iter().any(|n| n.as_str() == SALON_NUMBER))
        .context("the demo salon")?;
    let now = chrono::Utc::now().with_timezone(&salon.company.timezone);
    let ctx = crate::speech::SpeechContext {
        now,
        hours: &salon.branch.opening_hours,
        language: salon.company.language,
        month_first: salon.company.month_first,
        staff: &salon.branch.staff,
        earlier_day: None,
    };
    let (date, time) = (args["datum"].as_str(), args["uhrzeit"].as_str());
    let mut samples = Vec::with_capacity(calls);
    for _ in 0..calls {
        let started = Instant::now();
        let wish = crate::speech::understand(date, time, &ctx);
        samples.push(started.elapsed());
        std::hint::black_box(wish).ok();
    }
    samples.sort();
    println!(
        "understanding alone  p50 {:.1} µs  p99 {:.1} µs  ({} chars)",
        percentile(&samples, 0.50) * 1000.0,
        percentile(&samples, 0.99) * 1000.0,
        date.unwrap_or_default().chars().count() + time.unwrap_or_default().chars().count()
    );
    Ok(())
}

/// `calls` bookings of distinct slots (Bartpflege, 10:00–12:45 on the coming open days) from
/// `concurrency` callers, on Cal.com simulated with 300–800 ms latency: latency per booking and
/// Cal.com requests per booking.
async fn bookings(calls: usize, concurrency: usize) -> anyhow::Result<()> {
    let env = DemoEnvironment::start(CalendarKind::Calcom).await?;
    let client = RetellClient::new(&env.base_url, &env.api_key);
    let calsim = env.calsim.as_ref().map(|c| c.base_url.clone()).expect("Cal.com demo runs calsim");
    let greeting = CallIdentity {
        call_id: "bench_warmup".into(),
        from_number: CALLER_NUMBER.into(),
        to_number: SALON_NUMBER.into(),
    };
    client.inbound(&greeting).await?;
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let stats = |url: String| async move {
        let stats: serde_json::Value = reqwest::get(format!("{url}/_calsim/stats")).await?.json().await?;
        anyhow::Ok(stats)
    };
    let before = stats(calsim.clone()).await?;
    let starts = distinct_starts(calls);
    let starts = Arc::new(starts);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..concurrency {
        let (client, next, starts) = (client.clone(), next.clone(), starts.clone());
        workers.push(tokio::spawn(async move {
            let mut samples = Vec::new();
            let mut failures = 0usize;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= starts.len() {
                    break;
                }
                let call = CallIdentity {
                    call_id: format!("bench_booking_{i}"),
                    from_number: format!("+49151{i:07}"),
                    to_number: SALON_NUMBER.into(),
                };
                let args = json!({"service": "Bartpflege", "date": starts[i], "name": format!("Bench Caller {i}")});
                match client.call("book_appointment", args, &call).await {
                    Ok(exchange) if exchange.body["success"] == true => samples.push(exchange.server),
                    _ => failures += 1,
                }
            }
            (samples, failures)
        }));
    }
    let (mut server, mut failures) = (Vec::new(), 0);
    for worker in workers {
        let (samples, failed) = worker.await?;
        server.extend(samples);
        failures += failed;
    }
    let elapsed = started.elapsed();
    server.sort();
    let after = stats(calsim).await?;
    let count = |stats: &serde_json::Value, route: &str| stats["requests"][route].as_u64().unwrap_or(0);
    let booked = server.len().max(1) as f64;
    println!("book_appointment on Cal.com (calsim 300–800 ms), {calls} bookings, {concurrency} concurrent callers, {failures} failures");
    println!(
        "server-side  p50 {:.1} ms  p99 {:.1} ms  max {:.1} ms  ({:.1} bookings/s)",
        percentile(&server, 0.50),
        percentile(&server, 0.99),
        percentile(&server, 1.0),
        server.len() as f64 / elapsed.as_secs_f64()
    );
    println!(
        "Cal.com requests per booking: {:.2} creates, {:.2} slot reads (window refreshes)",
        (count(&after, "POST /v2/bookings") - count(&before, "POST /v2/bookings")) as f64 / booked,
        (count(&after, "GET /v2/slots") - count(&before, "GET /v2/slots")) as f64 / booked
    );
    env.stop().await
}

/// Distinct starts for `calls` bookings: 12 quarter-hours a day on the salon's open days ahead.
fn distinct_starts(calls: usize) -> Vec<String> {
    let tz = chrono_tz::Europe::Berlin;
    let mut starts = Vec::new();
    let mut day = chrono::Utc::now().with_timezone(&tz).date_naive() + chrono::Duration::days(1);
    while starts.len() < calls {
        if chrono::Datelike::weekday(&day) != chrono::Weekday::Sun
            && chrono::Datelike::weekday(&day) != chrono::Weekday::Mon
        {
            for k in 0..12 {
                starts.push(
                    day.and_hms_opt(10 + k / 4, (k % 4) * 15, 0).expect("valid").format("%Y-%m-%dT%H:%M").to_string(),
                );
            }
        }
        day += chrono::Duration::days(1);
    }
    starts.truncate(calls);
    starts
}

/// A fixed computation of about the request's size (SHA-256 over 32 KiB, no allocation, no
/// I/O) timed the same way: how much this machine alone spreads the same work between p50 and
/// p99. Figures from different machines are comparable only next to this line.
fn machine_spread(calls: usize) {
    use sha2::Digest;
    let block = [7u8; 4096];
    let mut samples = Vec::with_capacity(calls);
    for _ in 0..calls {
        let started = Instant::now();
        let mut hasher = sha2::Sha256::new();
        for _ in 0..8 {
            hasher.update(block);
        }
        std::hint::black_box(hasher.finalize());
        samples.push(started.elapsed());
    }
    samples.sort();
    println!(
        "fixed work   p50 {:.1} µs  p99 {:.1} µs  (SHA-256 of 32 KiB: this machine's own spread)",
        percentile(&samples, 0.50) * 1000.0,
        percentile(&samples, 0.99) * 1000.0
    );
}
