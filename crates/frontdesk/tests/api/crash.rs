//! Crash safety: the server process is killed (SIGKILL) in the middle of a stream of bookings,
//! restarted on the same database, and afterwards the database and Cal.com agree on every booking;
//! killed again while its outbox is being delivered, and afterwards every notice arrived once.

use crate::helpers::{cal_com_bookings, calsim_control, retell_signature, TestApp, CALLER, SALON};
use calsim::{Faults, Sim};
use chrono::{Datelike, Duration, TimeZone, Utc, Weekday};
use frontdesk::store::Store;
use serde_json::json;
use std::collections::BTreeSet;
use std::process::{Child, Command, Stdio};
use std::time::{Duration as StdDuration, Instant};

const KEY: &str = "key_crash_test";

/// `frontdesk serve` as its own process, on `database`, with these further settings.
fn start_server(port: u16, database: &str, settings: &[(&str, &str)]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_frontdesk"))
        .arg("serve")
        .env("FRONTDESK_LISTEN", format!("127.0.0.1:{port}"))
        .env("FRONTDESK_DATABASE_URL", database)
        .env("FRONTDESK_TENANTS", concat!(env!("CARGO_MANIFEST_DIR"), "/../../config/tenants.demo.toml"))
        .env("FRONTDESK_RETELL_API_KEY", KEY)
        .envs(settings.iter().copied())
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the frontdesk binary starts")
}

/// The same process on Cal.com (calsim at `calcom`).
fn start_on_calcom(port: u16, database: &str, calcom: &str) -> Child {
    start_server(
        port,
        database,
        &[("FRONTDESK_CALENDAR", "calcom"), ("FRONTDESK_CALCOM_BASE_URL", calcom), ("FRONTDESK_CALCOM_API_KEY", "cal_test_default")],
    )
}

/// A signed Retell function call to the process on `port`.
fn signed_call(port: u16, function: &str, body: serde_json::Value) -> reqwest::RequestBuilder {
    let body = serde_json::to_vec(&body).unwrap();
    let signature = retell_signature(&body, KEY, Utc::now().timestamp_millis());
    reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}/retell/functions/{function}"))
        .header("content-type", "application/json")
        .header("x-retell-signature", signature)
        .body(body)
}

async fn wait_healthy(port: u16) {
    let started = Instant::now();
    while reqwest::get(format!("http://127.0.0.1:{port}/healthz")).await.is_err() {
        assert!(started.elapsed() < StdDuration::from_secs(20), "server did not come up");
        tokio::time::sleep(StdDuration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn killing_the_server_mid_booking_loses_nothing_and_books_nothing_twice() {
    let branches = TestApp::spawn().await.store.load_branches().await.unwrap();
    let faults = Faults { latency_ms: (300, 1500), ..Faults::default() };
    let sim = calsim::serve(
        Sim::new(frontdesk::demo::calsim_fixture(&branches), faults, None),
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}?mode=rwc", dir.path().join("crash.db").display());
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut server = start_on_calcom(port, &database, &sim.base_url);
    wait_healthy(port).await;

    // The call starts as Retell starts it: the inbound webhook warms the branch's windows.
    let inbound = serde_json::to_vec(
        &json!({"event": "call_inbound", "call_inbound": {"from_number": CALLER, "to_number": SALON}}),
    )
    .unwrap();
    let signature = retell_signature(&inbound, KEY, Utc::now().timestamp_millis());
    reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}/retell/inbound"))
        .header("x-retell-signature", signature)
        .body(inbound)
        .send()
        .await
        .unwrap();
    tokio::time::sleep(StdDuration::from_millis(1700)).await;

    // Twenty callers book twenty different slots next Tuesday; the server dies while they wait.
    let mut tuesday = Utc::now().date_naive() + Duration::days(2);
    while tuesday.weekday() != Weekday::Tue {
        tuesday += Duration::days(1);
    }
    let calls: Vec<_> = (0..20)
        .map(|i| {
            let start = chrono_tz::Europe::Berlin
                .from_local_datetime(&tuesday.and_hms_opt(9 + i / 4, (i % 4) * 15, 0).unwrap())
                .unwrap();
            let request = signed_call(port, "book_appointment", json!({
                "name": "book_appointment",
                "args": {"service": "Bartpflege", "date": start.format("%Y-%m-%dT%H:%M").to_string(), "name": format!("Caller {i}")},
                "call": {"call_id": format!("crash_{i}"), "from_number": CALLER, "to_number": SALON, "direction": "inbound"}
            }));
            tokio::spawn(async move { request.send().await.ok().map(|r| r.status().as_u16()) })
        })
        .collect();
    // Kill as soon as a booking is under way in Cal.com (its row is pending).
    let store = Store::connect(&database).await.unwrap();
    let waiting = Instant::now();
    while store.pending_appointments().await.unwrap().is_empty() {
        assert!(waiting.elapsed() < StdDuration::from_secs(15), "no booking got under way");
        tokio::time::sleep(StdDuration::from_millis(10)).await;
    }
    server.kill().expect("SIGKILL");
    server.wait().unwrap();
    let answered =
        futures_util::future::join_all(calls).await.into_iter().filter(|r| matches!(r, Ok(Some(200)))).count();

    let unknown_at_kill = store.pending_appointments().await.unwrap().len();
    assert!(unknown_at_kill > 0, "the kill came while bookings were in flight");

    // Restart on the same database (Cal.com answering quickly again): reconciliation settles
    // every booking left unknown.
    calsim_control(&sim, "latency", json!({"min_ms": 0, "max_ms": 20})).await;
    let mut server = start_on_calcom(port, &database, &sim.base_url);
    wait_healthy(port).await;
    let started = Instant::now();
    while !store.pending_appointments().await.unwrap().is_empty() {
        assert!(started.elapsed() < StdDuration::from_secs(30), "appointments stayed pending");
        tokio::time::sleep(StdDuration::from_millis(200)).await;
    }
    server.kill().unwrap();
    server.wait().unwrap();

    let listed = cal_com_bookings(&sim, "eventTypeId=1004&take=250").await;
    let in_cal_com: BTreeSet<String> = listed
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["status"] == "accepted")
        .map(|b| b["metadata"]["frontdesk_appointment_id"].as_str().unwrap().to_string())
        .collect();
    let company = branches.iter().find(|b| b.branch.name == "Innenstadt").unwrap().company.id;
    let booked: BTreeSet<String> = store
        .appointments_with_names(company, Utc::now(), Utc::now() + Duration::days(30))
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.id.to_string())
        .collect();
    assert_eq!(
        booked, in_cal_com,
        "database and Cal.com must agree ({answered} answered, {unknown_at_kill} unknown at the kill)"
    );
    assert!(answered < 20, "the kill came in the middle of the stream");
}

/// The outbox as the database holds it: idempotency key → `sent`, `failed`, `pending` or
/// `claimed` (pending, with a delivery under way).
/// The callback notices in the outbox by key and state (the daily digest, written whenever the
/// real evening has come, is not what this test counts).
async fn outbox_rows(database: &str) -> std::collections::BTreeMap<String, String> {
    let pool = sqlx::SqlitePool::connect(database).await.unwrap();
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT idempotency_key, CASE WHEN status = 'pending' AND locked_until IS NOT NULL THEN 'claimed' ELSE status END
         FROM outbox WHERE event = 'callback.requested'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    pool.close().await;
    rows.into_iter().collect()
}

/// How many rows of the outbox are in `state`.
fn count(rows: &std::collections::BTreeMap<String, String>, state: &str) -> usize {
    rows.values().filter(|s| *s == state).count()
}

#[tokio::test]
async fn killing_the_server_loses_no_notice_and_repeats_none_it_had_sent() {
    let (receiver, url) = crate::notifications::Receiver::start().await;
    let dir = tempfile::tempdir().unwrap();
    let tenants = dir.path().join("tenants.toml");
    std::fs::write(&tenants, crate::notifications::tenants_notifying(&url)).unwrap();
    let tenants = tenants.display().to_string();
    let database = format!("sqlite://{}?mode=rwc", dir.path().join("outbox.db").display());
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    // The shortest lease allowed: a killed process's claims come back after 25 s.
    let settings = [("FRONTDESK_TENANTS", tenants.as_str()), ("FRONTDESK_NOTIFY_LEASE_SECS", "25")];

    // 50 callers ask for a callback while the business's system is down: 50 undelivered events.
    receiver.down.store(true, std::sync::atomic::Ordering::SeqCst);
    let mut server = start_server(port, &database, &settings);
    wait_healthy(port).await;
    for i in 0..50 {
        let number = format!("+49176{i:08}");
        let asked = signed_call(port, "request_callback", json!({
            "name": "request_callback",
            "args": {"name": format!("Kunde {i}")},
            "call": {"call_id": format!("outbox_{i}"), "from_number": number, "to_number": SALON, "direction": "inbound"}
        }))
        .send()
        .await
        .unwrap();
        assert_eq!(asked.status(), 200);
    }
    let started = Instant::now();
    while outbox_rows(&database).await.len() < 50 {
        assert!(started.elapsed() < StdDuration::from_secs(5), "the notices were not written");
        tokio::time::sleep(StdDuration::from_millis(20)).await;
    }
    server.kill().expect("SIGKILL");
    server.wait().unwrap();
    let at_first_kill = outbox_rows(&database).await;
    assert_eq!((at_first_kill.len(), count(&at_first_kill, "sent")), (50, 0));
    assert!(receiver.events().iter().all(|e| e["event"] != "callback.requested"));

    // Back up, slow (400 ms an event): killed again in the middle of delivering them.
    receiver.delay_ms.store(400, std::sync::atomic::Ordering::SeqCst);
    receiver.down.store(false, std::sync::atomic::Ordering::SeqCst);
    let mut server = start_server(port, &database, &settings);
    wait_healthy(port).await;
    let started = Instant::now();
    // Deliveries finish in bursts (a claimed batch is sent in parallel): kill while a batch is
    // in flight and the count of sent ones has stood still since the last look, not in the
    // few milliseconds in which a batch is being marked sent.
    let mut sent_before = usize::MAX;
    loop {
        let rows = outbox_rows(&database).await;
        let sent = count(&rows, "sent");
        if sent > 0 && count(&rows, "claimed") > 0 && sent == sent_before {
            break;
        }
        sent_before = sent;
        assert!(started.elapsed() < StdDuration::from_secs(30), "{rows:?}");
        tokio::time::sleep(StdDuration::from_millis(20)).await;
    }
    server.kill().expect("SIGKILL");
    server.wait().unwrap();
    let at_second_kill = outbox_rows(&database).await;
    let sent: BTreeSet<&String> = at_second_kill.iter().filter(|(_, s)| *s == "sent").map(|(k, _)| k).collect();
    let in_flight = count(&at_second_kill, "claimed");
    assert!(!sent.is_empty() && in_flight > 0 && sent.len() < 50, "the kill came mid-delivery: {at_second_kill:?}");

    // Restarted: the rest arrive, the claims the dead process held come back after the lease.
    receiver.delay_ms.store(0, std::sync::atomic::Ordering::SeqCst);
    let mut server = start_server(port, &database, &settings);
    wait_healthy(port).await;
    let started = Instant::now();
    while outbox_rows(&database).await.values().any(|s| s != "sent") {
        assert!(started.elapsed() < StdDuration::from_secs(45), "{:?}", outbox_rows(&database).await);
        tokio::time::sleep(StdDuration::from_millis(100)).await;
    }
    tokio::time::sleep(StdDuration::from_millis(300)).await;
    server.kill().unwrap();
    server.wait().unwrap();

    let events = receiver.events();
    let mut arrivals = std::collections::BTreeMap::<String, usize>::new();
    for event in events.iter().filter(|e| e["event"] == "callback.requested") {
        *arrivals.entry(event["id"].as_str().unwrap().to_string()).or_default() += 1;
    }
    assert_eq!(arrivals.len(), 50, "every notice arrived");
    for key in &sent {
        assert_eq!(arrivals[*key], 1, "{key} was acknowledged before the kill and must not come again");
    }
    // Only a delivery the kill interrupted (the receiver had it, the database did not record it
    // yet) may come twice, with the same idempotency key for the receiver to drop.
    let repeated = arrivals.values().filter(|n| **n > 1).count();
    eprintln!("outbox kill: {} sent and {in_flight} under way at the kill, {repeated} repeated", sent.len());
    assert!(repeated <= in_flight, "{repeated} repeated, {in_flight} were under way");
    assert!(arrivals.values().all(|n| *n <= 2));
}
