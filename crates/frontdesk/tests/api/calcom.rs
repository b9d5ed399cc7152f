//! The Cal.com client against a real calsim over HTTP, and Cal.com tenants end to end.

use crate::helpers::{
    calsim_control, calsim_stats as stats, monday_morning, next_weekday_at as next, slots_requests, tenant_calsim, TestApp, CALLER,
    PRACTICE,
};
use calsim::{Faults, Fixture, Running, Sim};
use chrono::{DateTime, Duration, Utc, Weekday};
use frontdesk::calendar::calcom::wire::{AttendeeInput, BookingFilter, MetadataValue, NewBooking};
use frontdesk::calendar::calcom::{BreakerPhase, CalcomClient, CalcomSettings, Deadlines};
use frontdesk::calendar::CalendarError;
use frontdesk::clock::{Clock, ManualClock, SystemClock};
use frontdesk::domain::Secret;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration as StdDuration, Instant};

const KEY: &str = "cal_live_tenant";

/// A calsim whose "now" is the tests' Monday morning, whatever the real date: the client tests
/// speak about days after it.
async fn calsim(faults: Faults) -> Running {
    let sim = Sim::new(Fixture::default_fixture(), faults, None).with_clock(Arc::new(monday_morning));
    calsim::serve(sim, "127.0.0.1:0".parse().unwrap()).await.unwrap()
}

fn quick() -> Faults {
    Faults { latency_ms: (0, 0), ..Faults::default() }
}

fn client(sim: &Running, rate: u32, deadlines: Deadlines, clock: Arc<dyn Clock>) -> CalcomClient {
    CalcomClient::new(CalcomSettings { base_url: sim.base_url.clone(), rate_per_minute: rate, deadlines }, clock)
}

fn short() -> Deadlines {
    Deadlines { healthy: StdDuration::from_millis(400), half_open: StdDuration::from_millis(200) }
}

async fn outage(sim: &Running, enabled: bool) {
    calsim_control(sim, "outage", json!({"enabled": enabled})).await;
}

#[tokio::test]
async fn every_endpoint_round_trips() {
    let sim = calsim(quick()).await;
    let client = client(&sim, 100, Deadlines::default(), Arc::new(SystemClock));
    let key = Secret::new(KEY);
    let at = next(Weekday::Tue, 10);
    let tz = chrono_tz::Europe::Berlin;

    let days = client.slots(&key, 1001, at - Duration::hours(1), at + Duration::hours(3), tz).await.unwrap();
    let starts: Vec<DateTime<Utc>> = days.values().flatten().map(|s| s.start.with_timezone(&Utc)).collect();
    assert!(starts.contains(&at));
    assert!(days.values().flatten().all(|s| s.end.is_some()), "range format carries ends");

    let booking = NewBooking {
        start: at,
        event_type_id: 1001,
        attendee: AttendeeInput {
            name: "Anna Schmidt".into(),
            time_zone: "Europe/Berlin".into(),
            email: None,
            phone_number: Some(CALLER.into()),
            language: Some("de".into()),
        },
        length_in_minutes: None,
        metadata: [("frontdesk_appointment_id".to_string(), MetadataValue::Text("7".into()))].into(),
    };
    let created = client.create_booking(&key, &booking).await.unwrap();
    assert_eq!(created.status, "accepted");
    assert_eq!(created.start, at);
    assert_eq!(created.metadata["frontdesk_appointment_id"], MetadataValue::Text("7".into()));
    assert_eq!(client.create_booking(&key, &booking).await.unwrap_err(), CalendarError::SlotTaken);

    let listed = client
        .bookings(
            &key,
            &BookingFilter {
                event_type_id: Some(1001),
                after_start: Some(at - Duration::minutes(1)),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(client.booking(&key, &created.uid).await.unwrap().uid, created.uid);
    assert_eq!(client.booking(&key, "missing").await.unwrap_err(), CalendarError::NotFound);

    let moved = client.reschedule_booking(&key, &created.uid, at + Duration::hours(1), "caller asked").await.unwrap();
    assert_ne!(moved.uid, created.uid);
    assert_eq!(moved.rescheduled_from_uid.as_deref(), Some(created.uid.as_str()));
    let cancelled = client.cancel_booking(&key, &moved.uid, "caller cancelled").await.unwrap();
    assert_eq!(cancelled.status, "cancelled");

    let hold = client.reserve_slot(&key, 1002, at, 30, 5).await.unwrap();
    assert!(hold.reservation_until > monday_morning());
    assert_eq!(client.reserve_slot(&key, 1002, at, 30, 5).await.unwrap_err(), CalendarError::SlotTaken);
    client.release_reservation(&key, &hold.reservation_uid).await.unwrap();
    client.release_reservation(&key, &hold.reservation_uid).await.unwrap();

    let event_type = client.event_type(&key, 1001).await.unwrap();
    assert_eq!((event_type.id, event_type.length_in_minutes, event_type.slot_interval), (1001, 30, Some(15)));
    let invalid = client.event_type(&Secret::new("not_a_cal_key"), 1001).await.unwrap_err();
    assert!(matches!(invalid, CalendarError::Invalid(_)), "{invalid:?}");
}

#[tokio::test]
async fn server_errors_are_retried_then_reported_as_unavailable() {
    let sim = calsim(Faults { latency_ms: (0, 0), fail_rate: 1.0, ..Faults::default() }).await;
    let client = client(&sim, 100, Deadlines::default(), Arc::new(SystemClock));
    let key = Secret::new(KEY);
    let at = next(Weekday::Wed, 10);
    let error = client.slots(&key, 1001, at, at + Duration::days(1), chrono_tz::Europe::Berlin).await.unwrap_err();
    assert!(matches!(error, CalendarError::Unavailable(_)), "{error:?}");
    assert_eq!(slots_requests(&stats(&sim).await), 3, "a read is tried three times");
    let booking = NewBooking {
        start: at,
        event_type_id: 1001,
        attendee: AttendeeInput {
            name: "A".into(),
            time_zone: "Europe/Berlin".into(),
            email: None,
            phone_number: None,
            language: None,
        },
        length_in_minutes: None,
        metadata: Default::default(),
    };
    assert!(matches!(client.create_booking(&key, &booking).await, Err(CalendarError::Unavailable(_))));
    assert_eq!(stats(&sim).await["requests"]["POST /v2/bookings"], 1, "a write is never retried");
}

#[tokio::test]
async fn a_429_with_a_long_retry_after_is_rate_limited_at_once() {
    let sim = calsim(Faults { latency_ms: (0, 0), rate_limit: Some(2), ..Faults::default() }).await;
    let client = client(&sim, 100, Deadlines::default(), Arc::new(SystemClock));
    let key = Secret::new(KEY);
    let at = next(Weekday::Thu, 10);
    for _ in 0..2 {
        client.slots(&key, 1001, at, at + Duration::days(1), chrono_tz::Europe::Berlin).await.unwrap();
    }
    let started = Instant::now();
    let error = client.slots(&key, 1001, at, at + Duration::days(1), chrono_tz::Europe::Berlin).await.unwrap_err();
    assert_eq!(error, CalendarError::RateLimited);
    assert!(
        started.elapsed() < StdDuration::from_millis(500),
        "Retry-After of ~60 s is beyond the deadline: fail fast"
    );
    assert_eq!(stats(&sim).await["by_status"]["429"], 1);
}

#[tokio::test]
async fn a_slow_cal_com_is_cut_off_at_the_deadline() {
    let sim = calsim(Faults { latency_ms: (1500, 1500), ..Faults::default() }).await;
    let client = client(&sim, 100, short(), Arc::new(SystemClock));
    let started = Instant::now();
    let at = next(Weekday::Fri, 10);
    let error =
        client.slots(&Secret::new(KEY), 1001, at, at + Duration::days(1), chrono_tz::Europe::Berlin).await.unwrap_err();
    assert!(matches!(error, CalendarError::Unavailable(_)), "{error:?}");
    let elapsed = started.elapsed();
    assert!(elapsed >= StdDuration::from_millis(390) && elapsed < StdDuration::from_millis(700), "{elapsed:?}");
}

#[tokio::test]
async fn the_breaker_opens_probes_and_closes() {
    let sim = calsim(quick()).await;
    let clock = Arc::new(ManualClock::new(Utc::now()));
    // The full budget: reads (with their retries) may use 90 of 120.
    let client = client(&sim, 120, short(), clock.clone());
    let key = Secret::new(KEY);
    let at = next(Weekday::Mon, 10);
    let read = || client.slots(&key, 1001, at, at + Duration::days(1), chrono_tz::Europe::Berlin);
    outage(&sim, true).await;
    for _ in 0..5 {
        assert!(matches!(read().await, Err(CalendarError::Unavailable(_))));
    }
    assert_eq!(client.breaker_phase(&key), BreakerPhase::Open);
    let sent = slots_requests(&stats(&sim).await);
    let started = Instant::now();
    // Nothing is sent, and the error says so (a write knows nothing happened).
    assert!(matches!(read().await, Err(CalendarError::NotSent(_))));
    assert!(started.elapsed() < StdDuration::from_millis(20), "an open breaker answers at once");
    assert_eq!(slots_requests(&stats(&sim).await), sent, "no request while open");
    // Another account is not affected.
    assert_eq!(client.breaker_phase(&Secret::new("cal_other")), BreakerPhase::Closed);

    // After 60 s one probe goes; it fails while the outage lasts and the breaker opens again.
    clock.advance(Duration::seconds(60));
    assert_eq!(client.breaker_phase(&key), BreakerPhase::HalfOpen);
    assert!(read().await.is_err());
    assert_eq!(client.breaker_phase(&key), BreakerPhase::Open);

    // Cal.com recovers: the next probe closes the breaker.
    outage(&sim, false).await;
    clock.advance(Duration::seconds(60));
    assert!(read().await.is_ok());
    assert_eq!(client.breaker_phase(&key), BreakerPhase::Closed);
    assert!(read().await.is_ok());
}

#[tokio::test]
async fn two_hundred_concurrent_reads_never_exceed_the_key_budget() {
    // calsim enforces 30/min; frontdesk allows itself 25/min, of which reads 19 (burst 3): no
    // 429 may ever come back.
    let sim = calsim(Faults { latency_ms: (5, 20), rate_limit: Some(30), ..Faults::default() }).await;
    let client = Arc::new(client(&sim, 25, short(), Arc::new(SystemClock)));
    let key = Secret::new(KEY);
    let at = next(Weekday::Tue, 10);
    let started = Instant::now();
    let reads = (0..200).map(|_| {
        let (client, key) = (client.clone(), key.clone());
        tokio::spawn(
            async move { client.slots(&key, 1001, at, at + Duration::days(1), chrono_tz::Europe::Berlin).await },
        )
    });
    let results: Vec<_> = futures_util::future::join_all(reads).await.into_iter().map(|r| r.unwrap()).collect();
    let elapsed = started.elapsed();
    let ok = results.iter().filter(|r| r.is_ok()).count();
    let limited = results.iter().filter(|r| matches!(r, Err(CalendarError::RateLimited))).count();
    assert_eq!(ok + limited, 200, "{results:?}");
    assert!((3..=4).contains(&ok), "the read burst of 3 (+1 replenished within the deadline), got {ok}");
    let stats = stats(&sim).await;
    assert_eq!(slots_requests(&stats), ok as u64);
    assert!(stats["by_status"]["429"].is_null(), "{stats}");
    assert!(elapsed < StdDuration::from_millis(900), "nobody waits past the deadline: {elapsed:?}");
}

/// The slot-relevant parts of an availability answer.
fn slots_of(answer: &Value) -> Value {
    let starts =
        |v: &Value| v.as_array().map(|a| a.iter().map(|s| s["start"].clone()).collect::<Vec<_>>()).unwrap_or_default();
    json!({
        "success": answer["success"],
        "error": answer["error"],
        "available": answer["available"],
        "reason": answer["reason"],
        "slot": answer["slot"]["start"],
        "alternatives": starts(&answer["alternatives"]),
    })
}

#[tokio::test]
async fn cal_com_tenants_get_the_same_answers_as_the_embedded_calendar() {
    let sim = tenant_calsim(0, None).await;
    // "Now" must lie ahead of the real clock, which calsim uses for minimum notice.
    let now = next(Weekday::Mon, 8);
    let local = TestApp::builder().at(now).spawn().await;
    let calcom = TestApp::builder().at(now).calcom(&sim).spawn().await;
    let questions = [
        (
            "check_availability",
            json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:00"}),
            crate::helpers::SALON,
        ),
        ("check_availability", json!({"service": "Färben", "date": "morgen", "time": "17:00"}), crate::helpers::SALON),
        (
            "check_availability",
            json!({"service": "Bartpflege", "date": "Sonntag", "time": "11:00"}),
            crate::helpers::SALON,
        ),
        (
            "check_availability",
            json!({"service": "Damenhaarschnitt", "date": "morgen vormittag"}),
            crate::helpers::SALON,
        ),
        ("find_next_available", json!({"service": "Herrenhaarschnitt"}), crate::helpers::SALON),
        (
            "find_next_available",
            json!({"service": "Kinderhaarschnitt", "datum": "Samstag"}),
            crate::helpers::SALON_PRENZLAUER_BERG,
        ),
        ("check_availability", json!({"service": "cleaning", "date": "tomorrow", "time": "2:30 pm"}), PRACTICE),
        ("find_next_available", json!({"service": "check-up", "date": "Friday", "time": "4 pm"}), PRACTICE),
    ];
    let first = calcom.call_between(questions[0].0, questions[0].1.clone(), CALLER, questions[0].2).await.json();
    assert_eq!(first["available"], true, "{first}");
    for (function, args, number) in questions {
        let expected = local.call_between(function, args.clone(), CALLER, number).await.json();
        let answer = calcom.call_between(function, args.clone(), CALLER, number).await.json();
        assert_eq!(slots_of(&answer), slots_of(&expected), "{function} {args}: {answer:#}");
    }
    assert!(slots_requests(&stats(&sim).await) >= 1, "the answers came from Cal.com");
}

#[tokio::test]
async fn a_cal_com_outage_is_answered_with_a_callback_offer_within_the_deadline() {
    let sim = calsim(quick()).await;
    outage(&sim, true).await;
    let app =
        TestApp::builder().at(next(Weekday::Mon, 8)).calcom(&sim).calcom_deadlines(short()).spawn().await;
    let started = Instant::now();
    let answer = app
        .call("check_availability", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:00"}))
        .await
        .json();
    assert_eq!(answer["error"], "calendar_unavailable");
    assert_eq!(answer["offer_callback"], true);
    assert!(started.elapsed() < StdDuration::from_millis(800), "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_cal_com_tenant_without_a_key_stops_the_start() {
    let result = TestApp::builder().env("FRONTDESK_CALENDAR", "calcom").try_spawn_result().await;
    let error = result.err().expect("must not start");
    assert!(error.contains("FRONTDESK_CALCOM_API_KEY"), "{error}");
}

#[tokio::test]
async fn a_staff_wish_on_cal_com_uses_their_own_event_type() {
    let sim = tenant_calsim(0, None).await;
    let now = next(Weekday::Mon, 8);
    let app = TestApp::builder().at(now).calcom(&sim).spawn().await;
    // Jonas's own event type (1201) is busy tomorrow at 10:00; the salon's (1001) is not.
    let tomorrow_ten = now + Duration::hours(26);
    calsim_control(&sim, "external-booking", json!({"eventTypeId": 1201, "start": tomorrow_ten})).await;
    let wish = json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:00"});
    let anyone = app.call("check_availability", wish.clone()).await.json();
    assert_eq!(anyone["available"], true, "{anyone}");
    let mut with_jonas = wish.clone();
    with_jonas["mitarbeiter"] = json!("Jonas");
    let jonas = app.call("check_availability", with_jonas).await.json();
    assert_eq!(jonas["available"], false, "{jonas}");
    for slot in jonas["alternatives"].as_array().unwrap() {
        assert_eq!(slot["staff"], json!(["Jonas"]), "{jonas}");
    }
    let first =
        app.call("find_next_available", json!({"service": "Herrenhaarschnitt", "mitarbeiter": "Jonas"})).await.json();
    assert_eq!(first["slot"]["staff"], json!(["Jonas"]), "{first}");
    assert!(first["message"].as_str().unwrap().contains("bei Jonas"), "{first}");

    let booked = app
        .call(
            "book_appointment",
            json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:30", "mitarbeiter": "Jonas", "name": "Ben"}),
        )
        .await
        .json();
    assert_eq!(booked["success"], true, "{booked}");
    assert_eq!(booked["staff"], "Jonas", "{booked}");
    let on_his = crate::helpers::cal_com_bookings(&sim, "eventTypeId=1201").await;
    let starts: Vec<&str> = on_his.as_array().unwrap().iter().filter_map(|b| b["start"].as_str()).collect();
    let half_past = (tomorrow_ten + Duration::minutes(30)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    assert!(starts.contains(&half_past.as_str()), "{starts:?} lacks {half_past}");
    // His 10:30 is gone from his window at once; the salon's own event type still has it.
    let again = app
        .call(
            "check_availability",
            json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:30", "staff": "Jonas"}),
        )
        .await
        .json();
    assert_eq!(again["available"], false, "{again}");

    // Maria has no event type of her own for colouring: Cal.com assigns hosts, and the caller hears so.
    let refused = app
        .call(
            "check_availability",
            json!({"service": "Färben", "date": "morgen", "time": "10:00", "mitarbeiter": "Maria"}),
        )
        .await
        .json();
    assert_eq!(refused["error"], "staff_not_selectable", "{refused}");
}

/// `count` reads of an event type from clients alternating; how many were let through to Cal.com.
async fn reads_let_through(clients: &[CalcomClient], count: usize) -> usize {
    let key = frontdesk::domain::Secret::new(format!("cal_budget_{}", crate::helpers::uuid_like()));
    let mut through = 0;
    for i in 0..count {
        match clients[i % clients.len()].event_type(&key, 1001).await {
            Err(CalendarError::RateLimited) => {}
            _ => through += 1,
        }
    }
    through
}

#[tokio::test]
async fn instances_draw_a_keys_requests_from_one_budget_in_redis() {
    let redis = std::env::var("TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    let prefix = format!("frontdesk-test-{}", crate::helpers::uuid_like());
    let shared = match frontdesk::calendar::calcom::SharedBudget::connect(&redis, &prefix).await {
        Ok(shared) => shared,
        Err(error) => {
            assert_ne!(std::env::var("CI").as_deref(), Ok("true"), "Redis is required in CI: {error}");
            return;
        }
    };
    let sim = calsim(quick()).await;
    // 10 a minute: reads may use 8, a burst of one; the next comes only after 60/7 s.
    let instance = || client(&sim, 10, short(), Arc::new(SystemClock));
    let separate = [instance(), instance()];
    assert_eq!(reads_let_through(&separate, 4).await, 2, "on their own, each instance spends its own burst");
    let together = [instance().with_shared_budget(shared.clone()), instance().with_shared_budget(shared)];
    assert_eq!(reads_let_through(&together, 4).await, 1, "sharing, two instances spend one budget");
}
