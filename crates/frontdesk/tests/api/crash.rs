//! Crash safety: the server process is killed (SIGKILL) in the middle of a stream of bookings,
//! restarted on the same database, and afterwards the database and Cal.com agree on every booking.

use crate::helpers::{cal_com_bookings, calsim_control, retell_signature, TestApp, CALLER, SALON};
use calsim::{Faults, Sim};
use chrono::{Datelike, Duration, TimeZone, Utc, Weekday};
use frontdesk::store::Store;
use serde_json::json;
use std::collections::BTreeSet;
use std::process::{Child, Command, Stdio};
use std::time::{Duration as StdDuration, Instant};

const KEY: &str = "key_crash_test";

fn start_server(port: u16, database: &str, calcom: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_frontdesk"))
        .arg("serve")
        .env("FRONTDESK_LISTEN", format!("127.0.0.1:{port}"))
        .env("FRONTDESK_DATABASE_URL", database)
        .env("FRONTDESK_TENANTS", concat!(env!("CARGO_MANIFEST_DIR"), "/../../config/tenants.demo.toml"))
        .env("FRONTDESK_RETELL_API_KEY", KEY)
        .env("FRONTDESK_CALENDAR", "calcom")
        .env("FRONTDESK_CALCOM_BASE_URL", calcom)
        .env("FRONTDESK_CALCOM_API_KEY", "cal_test_default")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the frontdesk binary starts")
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
    let mut server = start_server(port, &database, &sim.base_url);
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
    let client = reqwest::Client::new();
    let calls: Vec<_> = (0..20)
        .map(|i| {
            let start = chrono_tz::Europe::Berlin
                .from_local_datetime(&tuesday.and_hms_opt(9 + i / 4, (i % 4) * 15, 0).unwrap())
                .unwrap();
            let body = serde_json::to_vec(&json!({
                "name": "book_appointment",
                "args": {"service": "Bartpflege", "date": start.format("%Y-%m-%dT%H:%M").to_string(), "name": format!("Caller {i}")},
                "call": {"call_id": format!("crash_{i}"), "from_number": CALLER, "to_number": SALON, "direction": "inbound"}
            }))
            .unwrap();
            let signature = retell_signature(&body, KEY, Utc::now().timestamp_millis());
            let request = client
                .post(format!("http://127.0.0.1:{port}/retell/functions/book_appointment"))
                .header("content-type", "application/json")
                .header("x-retell-signature", signature)
                .body(body);
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
    let mut server = start_server(port, &database, &sim.base_url);
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
        .map(|(_, a)| a.id.to_string())
        .collect();
    assert_eq!(
        booked, in_cal_com,
        "database and Cal.com must agree ({answered} answered, {unknown_at_kill} unknown at the kill)"
    );
    assert!(answered < 20, "the kill came in the middle of the stream");
}
