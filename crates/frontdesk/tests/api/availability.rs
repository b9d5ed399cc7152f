//! The availability engine end to end: coalescing, webhooks, prefetch, outages, Redis between
//! instances, baseline mode, get_alternatives and the call lifecycle webhooks.

use crate::helpers::{
    calsim_control, calsim_stats as stats, next_weekday_at as next, retell_signature, slots_requests, tenant_calsim,
    TestApp, CALLER, SALON,
};
use calsim::{Running, Webhook};
use chrono::{Duration, Weekday};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration as StdDuration, Instant};

const WEBHOOK_SECRET: &str = "whsec_frontdesk_test";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A calsim with the demo tenants' schedules, optionally sending webhooks to a local port.
async fn calsim(latency: u64, webhook_to: Option<u16>) -> Running {
    let webhook = webhook_to.map(|port| Webhook {
        url: format!("http://127.0.0.1:{port}/calcom/webhook"),
        secret: Some(WEBHOOK_SECRET.into()),
    });
    tenant_calsim(latency, webhook).await
}

/// A Cal.com tenant's frontdesk on Monday 08:00 and a calsim that sends it signed webhooks.
async fn app_receiving_calsim_webhooks() -> (Running, TestApp) {
    let port = free_port();
    let sim = calsim(5, Some(port)).await;
    let app = TestApp::builder()
        .at(next(Weekday::Mon, 8))
        .calcom(&sim)
        .env("FRONTDESK_LISTEN", format!("127.0.0.1:{port}"))
        .env("FRONTDESK_CALCOM_WEBHOOK_SECRET", WEBHOOK_SECRET)
        .spawn()
        .await;
    (sim, app)
}

fn check(time: &str) -> Value {
    json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": time})
}

#[tokio::test]
async fn a_hundred_concurrent_questions_on_a_cold_window_make_one_request() {
    let sim = calsim(200, None).await;
    let app = Arc::new(TestApp::builder().at(next(Weekday::Mon, 8)).calcom(&sim).spawn().await);
    let calls = (0..100).map(|i| {
        let app = app.clone();
        tokio::spawn(async move {
            app.call("check_availability", check(if i % 2 == 0 { "10:00" } else { "11:30" })).await.json()
        })
    });
    let answers: Vec<Value> = futures_util::future::join_all(calls).await.into_iter().map(|a| a.unwrap()).collect();
    assert!(answers.iter().all(|a| a["success"] == true && a["available"] == true), "{:?}", answers[0]);
    assert_eq!(slots_requests(&stats(&sim).await), 1);
    // Warm now: more questions, no more requests.
    for time in ["09:00", "12:00", "14:30"] {
        app.call("check_availability", check(time)).await;
    }
    assert_eq!(slots_requests(&stats(&sim).await), 1);
    let metrics = app.get("/metrics").await.text;
    for result in ["hit", "miss", "coalesced"] {
        assert!(metrics.contains(&format!("frontdesk_availability_cache_total{{result=\"{result}\"}}")), "{result}");
    }
}

#[tokio::test]
async fn a_booking_made_elsewhere_disappears_within_a_second_of_its_webhook() {
    let (sim, app) = app_receiving_calsim_webhooks().await;
    assert_eq!(app.call("check_availability", check("10:00")).await.json()["available"], true);
    let tomorrow_ten = next(Weekday::Tue, 10);

    // A forged webhook is refused and changes nothing.
    let forged = json!({"triggerEvent": "BOOKING_CREATED", "createdAt": "2026-01-01T00:00:00Z",
        "payload": {"eventTypeId": 1001, "startTime": tomorrow_ten, "endTime": tomorrow_ten + Duration::minutes(30)}});
    let answer = reqwest::Client::new()
        .post(format!("{}/calcom/webhook", app.address))
        .header("x-cal-signature-256", "00".repeat(32))
        .json(&forged)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 401);
    assert_eq!(app.call("check_availability", check("10:00")).await.json()["available"], true);

    // The real one, sent by calsim itself.
    calsim_control(&sim, "external-booking", json!({"eventTypeId": 1001, "start": tomorrow_ten})).await;
    let sent = Instant::now();
    loop {
        let answer = app.call("check_availability", check("10:00")).await.json();
        if answer["available"] == false {
            break;
        }
        assert!(sent.elapsed() < StdDuration::from_secs(1), "still offered a second after the webhook");
        tokio::time::sleep(StdDuration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn the_webhook_of_our_own_booking_costs_no_slot_read_and_one_from_elsewhere_does() {
    let (sim, app) = app_receiving_calsim_webhooks().await;
    assert_eq!(app.call("check_availability", check("10:00")).await.json()["available"], true);
    let booked = app
        .call(
            "book_appointment",
            json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:00", "name": "Eva Ost"}),
        )
        .await
        .json();
    assert_eq!(booked["success"], true, "{booked}");
    // calsim sends BOOKING_CREATED with our appointment id a moment after its answer.
    tokio::time::sleep(StdDuration::from_millis(400)).await;
    assert_eq!(slots_requests(&stats(&sim).await), 1, "our own booking's webhook refetched the window");
    assert_eq!(app.call("check_availability", check("10:00")).await.json()["available"], false);

    // A booking made elsewhere is news: the window is refetched.
    calsim_control(&sim, "external-booking", json!({"eventTypeId": 1001, "start": next(Weekday::Tue, 11)})).await;
    let sent = Instant::now();
    while slots_requests(&stats(&sim).await) < 2 {
        assert!(sent.elapsed() < StdDuration::from_secs(1), "no refetch after a booking made elsewhere");
        tokio::time::sleep(StdDuration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn the_inbound_webhook_greets_and_prefetches() {
    let sim = calsim(20, None).await;
    let app = TestApp::builder().at(next(Weekday::Mon, 8)).calcom(&sim).spawn().await;
    let body = serde_json::to_vec(
        &json!({"event": "call_inbound", "call_inbound": {"agent_id": "a", "from_number": CALLER, "to_number": SALON}}),
    )
    .unwrap();
    let answer = app.post("/retell/inbound", body.clone(), Some(app.sign(&body))).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    let variables = &answer.json()["call_inbound"]["dynamic_variables"];
    assert_eq!(variables["company_name"], "Salon Schnittpunkt");
    assert_eq!(variables["branch_name"], "Innenstadt");
    assert_eq!(variables["caller_known"], "false");
    assert!(variables.as_object().unwrap().values().all(Value::is_string), "Retell wants strings: {variables}");
    tokio::time::sleep(StdDuration::from_millis(50)).await;
    let before = slots_requests(&stats(&sim).await);
    assert_eq!(before, 4, "one request per service of the branch");
    let answer = app.call("check_availability", check("10:00")).await.json();
    assert_eq!(answer["available"], true);
    assert_eq!(slots_requests(&stats(&sim).await), before, "the question was answered from the prefetched window");
    // Unsigned: refused.
    assert_eq!(app.post("/retell/inbound", body, None).await.status, 401);
}

#[tokio::test]
async fn an_outage_is_answered_stale_or_with_a_callback_offer_and_recovers() {
    let sim = calsim(5, None).await;
    let app = TestApp::builder()
        .at(next(Weekday::Mon, 8))
        .calcom(&sim)
        .calcom_deadlines(frontdesk::calendar::calcom::Deadlines {
            healthy: StdDuration::from_millis(600),
            half_open: StdDuration::from_millis(300),
        })
        .spawn()
        .await;
    assert_eq!(app.call("check_availability", check("10:00")).await.json()["available"], true);
    calsim_control(&sim, "outage", json!({"enabled": true})).await;
    app.clock.advance(Duration::seconds(301));

    // The window expired and cannot be refreshed: answered from it, marked stale.
    let started = Instant::now();
    let stale = app.call("check_availability", check("10:00")).await.json();
    assert!(started.elapsed() < StdDuration::from_millis(1500), "{:?}", started.elapsed());
    assert_eq!(stale["available"], true);
    assert_eq!(stale["stale"], true);

    // No window at all for another service: a callback offer, within the deadline.
    let started = Instant::now();
    let none =
        app.call("check_availability", json!({"service": "Färben", "date": "morgen", "time": "10:00"})).await.json();
    assert!(started.elapsed() < StdDuration::from_millis(1500), "{:?}", started.elapsed());
    assert_eq!(none["error"], "calendar_unavailable");
    assert_eq!(none["offer_callback"], true);

    // Cal.com comes back; after the breaker's minute the windows are fresh again.
    calsim_control(&sim, "outage", json!({"enabled": false})).await;
    app.clock.advance(Duration::seconds(61));
    let mut recovered = Value::Null;
    for _ in 0..20 {
        recovered = app
            .call("check_availability", json!({"service": "Färben", "date": "morgen", "time": "10:00"}))
            .await
            .json();
        if recovered["success"] == true {
            break;
        }
        app.clock.advance(Duration::seconds(61));
        tokio::time::sleep(StdDuration::from_millis(50)).await;
    }
    assert_eq!(recovered["available"], true, "{recovered}");
    assert!(recovered.get("stale").is_none());
}

#[tokio::test]
async fn instances_share_invalidations_through_redis() {
    let sim = calsim(5, None).await;
    let prefix = format!("frontdesk-test-{}", crate::helpers::uuid_like());
    let redis = std::env::var("TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    if redis::Client::open(redis.as_str()).unwrap().get_multiplexed_async_connection().await.is_err() {
        assert_ne!(std::env::var("CI").as_deref(), Ok("true"), "Redis is required in CI");
        eprintln!("skipping: Redis unreachable");
        return;
    }
    let now = next(Weekday::Mon, 8);
    let instance = |sim: &Running| {
        TestApp::builder()
            .at(now)
            .calcom(sim)
            .env("FRONTDESK_REDIS_URL", redis.clone())
            .env("FRONTDESK_REDIS_PREFIX", prefix.clone())
            .env("FRONTDESK_CALCOM_WEBHOOK_SECRET", WEBHOOK_SECRET)
            .spawn()
    };
    let (a, b) = (instance(&sim).await, instance(&sim).await);
    for app in [&a, &b] {
        assert_eq!(app.call("check_availability", check("10:00")).await.json()["available"], true);
    }
    // Cal.com tells instance A about a booking; instance B stops offering it too.
    let start = next(Weekday::Tue, 10);
    let event = json!({"triggerEvent": "BOOKING_CREATED", "createdAt": start,
        "payload": {"eventTypeId": 1001, "startTime": start, "endTime": start + Duration::minutes(30)}});
    assert_eq!(crate::helpers::post_calcom_webhook(&a, WEBHOOK_SECRET, &event).await, 200);
    assert_eq!(a.call("check_availability", check("10:00")).await.json()["available"], false);
    let sent = Instant::now();
    while b.call("check_availability", check("10:00")).await.json()["available"] != false {
        assert!(sent.elapsed() < StdDuration::from_secs(1), "instance B still offers the slot");
        tokio::time::sleep(StdDuration::from_millis(20)).await;
    }
    // calsim never heard of this booking (the webhook was sent by hand), so the refreshes both
    // instances started still list the slot: the recently taken time must stay laid over them.
    tokio::time::sleep(StdDuration::from_millis(150)).await;
    for app in [&a, &b] {
        assert_eq!(app.call("check_availability", check("10:00")).await.json()["available"], false);
    }
}

#[tokio::test]
async fn baseline_mode_asks_the_calendar_for_every_strategy_in_turn() {
    let sim = calsim(5, None).await;
    let now = next(Weekday::Mon, 8);
    let baseline =
        TestApp::builder().at(now).calcom(&sim).env("FRONTDESK_AVAILABILITY_CACHE", "off").spawn().await;
    let wish = json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:00"});
    let slow = baseline.call("get_alternatives", wish.clone()).await.json();
    assert_eq!(slots_requests(&stats(&sim).await), 5, "one request per strategy");
    baseline.call("check_availability", check("10:00")).await;
    baseline.call("check_availability", check("10:00")).await;
    assert_eq!(slots_requests(&stats(&sim).await), 7, "no cache: every question asks");

    let cached = TestApp::builder().at(now).calcom(&sim).spawn().await;
    let fast = cached.call("get_alternatives", wish).await.json();
    assert_eq!(slots_requests(&stats(&sim).await), 8, "all strategies from one window");
    assert_eq!(fast["alternatives"], slow["alternatives"], "same answer either way");
}

#[tokio::test]
async fn get_alternatives_offers_every_strategy_in_one_sentence() {
    let app = TestApp::spawn().await;
    let answer = app
        .call(
            "get_alternatives",
            json!({"dienstleistung": "Herrenhaarschnitt", "datum": "morgen", "uhrzeit": "10 Uhr", "anzahl": 4}),
        )
        .await
        .json();
    insta::assert_json_snapshot!("get_alternatives", answer);
    let strategies: Vec<&str> =
        answer["alternatives"].as_array().unwrap().iter().map(|a| a["strategy"].as_str().unwrap()).collect();
    assert_eq!(strategies.len(), 4);
    for (args, error) in [
        (json!({"service": "Massage", "date": "morgen", "time": "10"}), "unknown_service"),
        (json!({"service": "Bartpflege", "date": "30.02."}), "invalid_date"),
        (json!({"service": "Bartpflege"}), "invalid_date"),
    ] {
        assert_eq!(app.call("get_alternatives", args).await.json()["error"], error);
    }
}

#[tokio::test]
async fn find_next_available_looks_past_the_window_with_one_request_per_block() {
    let sim = calsim(5, None).await;
    let app = TestApp::builder().at(next(Weekday::Mon, 8)).calcom(&sim).spawn().await;
    let far = app.call("find_next_available", json!({"service": "Bartpflege", "date": "in 3 Wochen"})).await.json();
    assert_eq!(far["success"], true, "{far}");
    let first = slots_requests(&stats(&sim).await);
    assert!((1..=2).contains(&first), "one request per 14-day block beyond the window, got {first}");
    // Asked again (by this caller or another), the blocks answer from memory.
    let again = app.call("find_next_available", json!({"service": "Bartpflege", "date": "in 3 Wochen"})).await.json();
    assert_eq!(again["success"], true, "{again}");
    assert_eq!(slots_requests(&stats(&sim).await), first, "far blocks are cached");
}

#[tokio::test]
async fn call_events_are_recorded_on_the_call_row() {
    let app = TestApp::spawn().await;
    let call = |event: &str, extra: Value| {
        let mut call = json!({"call_id": "call_lifecycle", "from_number": CALLER, "to_number": SALON, "direction": "inbound",
            "start_timestamp": app.now.timestamp_millis()});
        for (k, v) in extra.as_object().unwrap() {
            call[k] = v.clone();
        }
        serde_json::to_vec(&json!({"event": event, "call": call})).unwrap()
    };
    for (event, extra) in [
        ("call_started", json!({})),
        (
            "call_ended",
            json!({"end_timestamp": app.now.timestamp_millis() + 95_000, "duration_ms": 95_000, "disconnection_reason": "user_hangup"}),
        ),
    ] {
        let body = call(event, extra);
        let started = Instant::now();
        let answer = app.post("/retell/webhook", body.clone(), Some(app.sign(&body))).await;
        assert_eq!(answer.status, 204, "{}", answer.text);
        assert!(started.elapsed() < StdDuration::from_millis(200));
        tokio::time::sleep(StdDuration::from_millis(100)).await;
    }
    let (status, ended_at, duration, reason) = app.store.call_outcome("call_lifecycle").await.unwrap().unwrap();
    assert_eq!(status, "ended");
    assert_eq!(ended_at, Some(app.now + Duration::seconds(95)));
    assert_eq!(duration, Some(95_000));
    assert_eq!(reason.as_deref(), Some("user_hangup"));
    let forged = call("call_ended", json!({}));
    assert_eq!(app.post("/retell/webhook", forged, Some(retell_signature(b"x", "wrong", 0))).await.status, 401);
}

#[tokio::test]
async fn an_aging_window_is_served_at_once_and_refreshed_behind_the_scenes() {
    let sim = calsim(100, None).await;
    let app = TestApp::builder().at(next(Weekday::Mon, 8)).calcom(&sim).spawn().await;
    app.call("check_availability", check("10:00")).await;
    assert_eq!(slots_requests(&stats(&sim).await), 1);
    // 250 s is past 80 % of the 300 s TTL: the answer comes from memory, a refresh starts.
    app.clock.advance(Duration::seconds(250));
    let started = Instant::now();
    let answer = app.call("check_availability", check("10:00")).await.json();
    assert!(started.elapsed() < StdDuration::from_millis(80), "not waiting for the 100 ms refresh");
    assert_eq!(answer["available"], true);
    assert!(answer.get("stale").is_none());
    tokio::time::sleep(StdDuration::from_millis(300)).await;
    assert_eq!(slots_requests(&stats(&sim).await), 2, "refreshed in the background");
    // The refreshed window is fresh again: no further request.
    app.clock.advance(Duration::seconds(100));
    app.call("check_availability", check("10:00")).await;
    assert_eq!(slots_requests(&stats(&sim).await), 2);
}
