//! Booking exactly once — races, retries, holds, Cal.com failures, reconciliation, two instances —
//! and the caller's own appointments (query, cancel, reschedule) and callbacks.

use crate::helpers::{
    cal_com_bookings, calsim_control, calsim_stats, next_weekday_at as next, tenant_calsim, TestApp, CALLER, SALON,
};
use chrono::{DateTime, Duration, TimeZone, Utc, Weekday};
use serde_json::{json, Value};
use std::sync::Arc;

fn booking(service: &str, time: &str, name: &str) -> Value {
    json!({"dienstleistung": service, "datum": "morgen", "uhrzeit": time, "name": name})
}

/// Calls `book_appointment` as a distinct caller with its own call id.
async fn book_as(app: &TestApp, caller: usize, args: Value) -> Value {
    app.call_as(caller, "book_appointment", args).await
}

#[tokio::test]
async fn a_booking_takes_the_slot_and_a_retry_returns_the_same_appointment() {
    let app = TestApp::spawn().await;
    let first = app.call("book_appointment", booking("Herrenhaarschnitt", "10:00", "Anna Schmidt")).await.json();
    insta::assert_json_snapshot!("book_appointment", first);
    assert_eq!(first["success"], true);
    let retry = app.call("start_booking", booking("Herrenhaarschnitt", "10:00", "Anna Schmidt")).await.json();
    assert_eq!(retry["appointment_id"], first["appointment_id"]);
    assert_eq!(retry["repeated"], true);
    // Maria took it; Jonas is still free at 10:00, then nobody.
    let second = book_as(&app, 2, booking("Herrenhaarschnitt", "10:00", "Ben")).await;
    assert_eq!(second["staff"], "Jonas", "{second}");
    let third = book_as(&app, 3, booking("Herrenhaarschnitt", "10:00", "Cem")).await;
    assert_eq!(third["error"], "slot_taken");
    assert!(!third["alternatives"].as_array().unwrap().is_empty());
    let check = app
        .call("check_availability", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:00"}))
        .await
        .json();
    assert_eq!(check["available"], false);
    let known = app.call("check_customer", json!({})).await.json();
    assert_eq!(known["name"], "Anna Schmidt");
    assert_eq!(known["appointments"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn booking_needs_a_name_and_an_exact_time() {
    let app = TestApp::spawn().await;
    let no_name =
        app.call("book_appointment", json!({"service": "Bartpflege", "date": "morgen", "time": "10:00"})).await.json();
    assert_eq!(no_name["error"], "missing_argument");
    // A day without a time is never booked: the caller is asked which time, with free ones.
    let no_time =
        app.call("book_appointment", json!({"service": "Bartpflege", "date": "morgen", "name": "A"})).await.json();
    assert_eq!(no_time["error"], "time_needed", "{no_time}");
    assert!(!no_time["alternatives"].as_array().unwrap().is_empty(), "{no_time}");
    let closed = app
        .call("book_appointment", json!({"service": "Bartpflege", "date": "Sonntag", "time": "10:00", "name": "A"}))
        .await
        .json();
    // Sunday is closed, and the caller hears that, not "just taken".
    assert_eq!(closed["error"], "closed", "{closed}");
    assert!(closed["message"].as_str().unwrap().contains("geschlossen"), "{closed}");
}

#[tokio::test]
async fn fifty_callers_racing_for_one_slot_get_one_booking() {
    let app = Arc::new(TestApp::spawn().await);
    let calls = (0..50).map(|i| {
        let app = app.clone();
        tokio::spawn(async move { book_as(&app, i, booking("Bartpflege", "11:00", &format!("Caller {i}"))).await })
    });
    let answers: Vec<Value> = futures_util::future::join_all(calls).await.into_iter().map(|a| a.unwrap()).collect();
    let booked = answers.iter().filter(|a| a["success"] == true).count();
    assert_eq!(booked, 1, "{answers:?}");
    assert!(answers.iter().filter(|a| a["success"] == false).all(|a| a["error"] == "slot_taken"));
    let start = chrono_tz::Europe::Berlin.with_ymd_and_hms(2026, 12, 1, 11, 0, 0).unwrap().with_timezone(&Utc);
    let branch = app.branches.iter().find(|b| b.branch.name == "Innenstadt").unwrap().branch.id;
    assert_eq!(app.store.busy_intervals(branch, start, start + Duration::minutes(15), app.now).await.unwrap().len(), 1);
}

#[tokio::test]
async fn fifty_callers_on_cal_com_make_one_cal_com_booking() {
    let sim = tenant_calsim(50, None).await;
    let app = Arc::new(TestApp::builder().at(next(Weekday::Mon, 8)).calcom(&sim).spawn().await);
    let calls = (0..50).map(|i| {
        let app = app.clone();
        tokio::spawn(
            async move { book_as(&app, i, booking("Herrenhaarschnitt", "11:00", &format!("Caller {i}"))).await },
        )
    });
    let answers: Vec<Value> = futures_util::future::join_all(calls).await.into_iter().map(|a| a.unwrap()).collect();
    assert_eq!(answers.iter().filter(|a| a["success"] == true).count(), 1, "{answers:?}");
    let listed = cal_com_bookings(&sim, "eventTypeId=1001").await;
    let bookings = listed.as_array().unwrap();
    assert_eq!(bookings.len(), 1);
    let id = answers.iter().find(|a| a["success"] == true).unwrap()["appointment_id"].to_string();
    assert_eq!(bookings[0]["metadata"]["frontdesk_appointment_id"], id.as_str());
}

#[tokio::test]
async fn a_cal_com_failure_during_create_is_never_confirmed() {
    let sim = tenant_calsim(5, None).await;
    let app = TestApp::builder().at(next(Weekday::Mon, 8)).calcom(&sim).spawn().await;
    app.call("check_availability", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:00"})).await;
    calsim_control(&sim, "outage", json!({"enabled": true})).await;
    let answer = app.call("book_appointment", booking("Herrenhaarschnitt", "10:00", "Anna Schmidt")).await.json();
    assert_eq!(answer["success"], false);
    assert_eq!(answer["error"], "booking_unconfirmed");
    assert_eq!(answer["offer_callback"], true);
    assert_eq!(answer["appointment"]["status"], "pending_unknown");
    let stats = calsim_stats(&sim).await;
    assert_eq!(stats["by_status"]["503"], 1, "one refused create: {stats}");
    assert_eq!(stats["requests"]["POST /v2/bookings"], 1, "a create is never retried: {stats}");
}

#[tokio::test]
async fn with_the_circuit_open_a_booking_is_refused_at_once_and_leaves_nothing_behind() {
    let sim = tenant_calsim(5, None).await;
    let app = TestApp::builder().at(next(Weekday::Mon, 8)).calcom(&sim).spawn().await;
    app.call("check_availability", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:00"})).await;
    calsim_control(&sim, "outage", json!({"enabled": true})).await;
    // Five creates Cal.com refused: their outcome is unknown, and the account's circuit opens.
    for (caller, time) in ["10:00", "11:00", "12:00", "13:00", "14:00"].into_iter().enumerate() {
        let answer = book_as(&app, caller, booking("Herrenhaarschnitt", time, "Anna Schmidt")).await;
        assert_eq!(answer["error"], "booking_unconfirmed", "{answer}");
    }
    let pending = app.store.pending_appointments().await.unwrap().len();
    let sent = calsim_stats(&sim).await["requests"]["POST /v2/bookings"].clone();
    // The sixth is never sent: frontdesk knows nothing was booked, says so, and keeps no row.
    let answer = book_as(&app, 9, booking("Herrenhaarschnitt", "15:00", "Ben Berg")).await;
    assert_eq!(answer["error"], "calendar_unavailable", "{answer}");
    assert_eq!(answer["offer_callback"], true);
    assert_eq!(calsim_stats(&sim).await["requests"]["POST /v2/bookings"], sent, "nothing reached Cal.com");
    assert_eq!(app.store.pending_appointments().await.unwrap().len(), pending, "no row to reconcile");
    // The slot was not withheld from other callers either.
    calsim_control(&sim, "outage", json!({"enabled": false})).await;
    let check = app
        .call("check_availability", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "15:00"}))
        .await;
    assert_eq!(check.json()["available"], true);
}

#[tokio::test]
async fn callbacks_are_stored_with_the_callers_number() {
    let app = TestApp::spawn().await;
    let answer = app
        .call("request_callback", json!({"name": "Anna Schmidt", "grund": "Farbberatung", "wunschzeit": "morgen Vormittag", "dringlichkeit": "dringend"}))
        .await
        .json();
    insta::assert_json_snapshot!("request_callback", answer, {".callback_id" => "[id]"});
    let company = app.branches.iter().find(|b| b.branch.name == "Innenstadt").unwrap().company.id;
    let open = app.store.open_callbacks(company).await.unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].phone, CALLER);
    assert_eq!(open[0].priority.as_str(), "high");
    let wrong = app.call("request_callback", json!({"telefon": "12"})).await.json();
    assert_eq!(wrong["error"], "invalid_phone");
    let hidden = app.call_between("request_callback", json!({}), "anonymous", SALON).await.json();
    assert_eq!(hidden["error"], "missing_argument");
}

#[tokio::test]
async fn callers_see_and_cancel_only_their_own_appointments_within_policy() {
    let app = TestApp::spawn().await;
    app.call("book_appointment", booking("Herrenhaarschnitt", "10:00", "Anna Schmidt")).await;
    app.call(
        "book_appointment",
        json!({"service": "Bartpflege", "date": "heute", "time": "15:00", "name": "Anna Schmidt"}),
    )
    .await;
    let listed = app.call("get_customer_appointments", json!({})).await.json();
    insta::assert_json_snapshot!("query_appointment", listed, {".appointments[].appointment_id" => "[id]"});
    assert_eq!(listed["appointments"].as_array().unwrap().len(), 2);

    // Two appointments and no day named: which one?
    assert_eq!(app.call("cancel_appointment", json!({})).await.json()["error"], "ambiguous_appointment");
    // Today 15:00 is 7 hours away; the salon takes cancellations by phone up to 24 hours before.
    let late = app.call("cancel_appointment", json!({"datum": "heute"})).await.json();
    assert_eq!(late["error"], "policy");
    assert_eq!(late["offer_callback"], true);
    // Another caller of the same salon cannot touch Anna's appointments.
    let stranger =
        app.call_between("cancel_appointment", json!({"datum": "morgen"}), "+4915112345678", SALON).await.json();
    assert_eq!(stranger["error"], "not_found");
    // Neither can the same number calling another tenant.
    let other_tenant = app
        .call_between("cancel_appointment", json!({"date": "tomorrow"}), CALLER, crate::helpers::PRACTICE)
        .await
        .json();
    assert_eq!(other_tenant["error"], "not_found");

    let cancelled = app.call("cancel_appointment", json!({"datum": "morgen", "grund": "krank"})).await.json();
    assert_eq!(cancelled["success"], true, "{cancelled}");
    assert_eq!(app.call("query_appointment", json!({})).await.json()["appointments"].as_array().unwrap().len(), 1);
    // Maria's 10:00 is free again at once.
    let check = app
        .call(
            "check_availability",
            json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:00", "staff": "Maria"}),
        )
        .await
        .json();
    assert_eq!(check["available"], true, "{check}");
}

#[tokio::test]
async fn cancelling_on_cal_com_cancels_the_cal_com_booking() {
    let sim = tenant_calsim(5, None).await;
    let app = TestApp::builder().at(next(Weekday::Mon, 8)).calcom(&sim).spawn().await;
    let booked = app.call("book_appointment", booking("Herrenhaarschnitt", "10:00", "Anna Schmidt")).await.json();
    assert_eq!(booked["success"], true, "{booked}");
    let cancelled = app.call("cancel_appointment", json!({"datum": "morgen"})).await.json();
    assert_eq!(cancelled["success"], true, "{cancelled}");
    let listed = cal_com_bookings(&sim, "eventTypeId=1001&status=cancelled").await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    // The refreshed window offers the slot again.
    let mut available = false;
    for _ in 0..50 {
        available = app
            .call("check_availability", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:00"}))
            .await
            .json()["available"]
            == true;
        if available {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(available);
}

#[tokio::test]
async fn a_create_that_timed_out_is_reconciled_with_cal_com() {
    let sim = tenant_calsim(0, None).await;
    let app = TestApp::builder()
        .at(next(Weekday::Mon, 8))
        .calcom(&sim)
        .calcom_deadlines(frontdesk::calendar::calcom::Deadlines {
            healthy: std::time::Duration::from_millis(300),
            half_open: std::time::Duration::from_millis(300),
        })
        .spawn()
        .await;
    for service in ["Herrenhaarschnitt", "Bartpflege"] {
        app.call("check_availability", json!({"service": service, "date": "morgen", "time": "10:00"})).await;
    }
    let latency = |ms: u64| {
        reqwest::Client::new()
            .post(format!("{}/_calsim/latency", sim.base_url))
            .json(&json!({"min_ms": ms, "max_ms": ms}))
            .send()
    };
    // Cal.com books, but answers after frontdesk stopped waiting.
    latency(800).await.unwrap();
    let first = app.call("book_appointment", booking("Herrenhaarschnitt", "10:00", "Anna Schmidt")).await.json();
    assert_eq!(first["error"], "booking_unconfirmed", "{first}");
    // Cal.com is down when the second caller books: nothing happens there.
    latency(0).await.unwrap();
    calsim_control(&sim, "outage", json!({"enabled": true})).await;
    let second = book_as(&app, 7, booking("Bartpflege", "12:00", "Ben")).await;
    assert_eq!(second["error"], "booking_unconfirmed", "{second}");
    calsim_control(&sim, "outage", json!({"enabled": false})).await;

    // Too fresh to judge: left alone.
    let early = app.booker.reconcile(&app.branches).await;
    assert!(early.iter().all(|(_, r)| *r == frontdesk::booking::Reconciled::Undecided), "{early:?}");
    app.clock.advance(Duration::seconds(61));
    let decided = app.booker.reconcile(&app.branches).await;
    let first_id = first["appointment"]["appointment_id"].as_i64().unwrap();
    let second_id = second["appointment"]["appointment_id"].as_i64().unwrap();
    assert!(
        matches!(decided.iter().find(|(id, _)| id.0 == first_id), Some((_, frontdesk::booking::Reconciled::Booked(_)))),
        "{decided:?}"
    );
    assert!(decided.contains(&(frontdesk::domain::AppointmentId(second_id), frontdesk::booking::Reconciled::Released)), "{decided:?}");
    assert!(app.store.pending_appointments().await.unwrap().is_empty());
    let known = app.call("query_appointment", json!({})).await.json();
    assert_eq!(known["appointments"].as_array().unwrap().len(), 1, "{known}");
}

/// Two instances of the demo on one PostgreSQL schema and Redis, on a Monday at 8.
async fn two_instances(calcom: Option<&calsim::Running>) -> Option<(TestApp, TestApp)> {
    crate::helpers::two_instances(calcom, None, next(Weekday::Mon, 8)).await
}

async fn race(a: &Arc<TestApp>, b: &Arc<TestApp>, service: &str) -> Vec<Value> {
    let calls = (0..50).map(|i| {
        let app = if i % 2 == 0 { a.clone() } else { b.clone() };
        let service = service.to_string();
        tokio::spawn(async move { book_as(&app, 100 + i, booking(&service, "11:00", &format!("Caller {i}"))).await })
    });
    futures_util::future::join_all(calls).await.into_iter().map(|a| a.unwrap()).collect()
}

#[tokio::test]
async fn two_instances_on_postgres_and_redis_book_a_slot_once() {
    let Some((a, b)) = two_instances(None).await else { return };
    let (a, b) = (Arc::new(a), Arc::new(b));
    let answers = race(&a, &b, "Bartpflege").await;
    assert_eq!(answers.iter().filter(|a| a["success"] == true).count(), 1, "{answers:?}");
    let tenant = a.branches.iter().find(|t| t.branch.name == "Innenstadt").unwrap();
    let start = answers.iter().find(|a| a["success"] == true).unwrap()["start"]
        .as_str()
        .unwrap()
        .parse::<DateTime<Utc>>()
        .unwrap();
    let busy = a.store.busy_intervals(tenant.branch.id, start, start + Duration::minutes(15), a.now).await.unwrap();
    assert_eq!(busy.len(), 1);
}

#[tokio::test]
async fn two_instances_on_cal_com_make_one_cal_com_booking() {
    let sim = tenant_calsim(30, None).await;
    let Some((a, b)) = two_instances(Some(&sim)).await else { return };
    let (a, b) = (Arc::new(a), Arc::new(b));
    let answers = race(&a, &b, "Herrenhaarschnitt").await;
    assert_eq!(answers.iter().filter(|a| a["success"] == true).count(), 1, "{answers:?}");
    let listed = cal_com_bookings(&sim, "eventTypeId=1001").await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn rescheduling_moves_the_appointment_within_policy() {
    let app = TestApp::spawn().await;
    app.call("book_appointment", booking("Bartpflege", "10:00", "Anna Schmidt")).await;
    book_as(&app, 9, booking("Bartpflege", "12:00", "Ben")).await;
    let taken =
        app.call("reschedule_appointment", json!({"neues_datum": "morgen", "neue_uhrzeit": "12:00"})).await.json();
    assert_eq!(taken["error"], "slot_taken", "{taken}");
    let moved =
        app.call("reschedule_appointment", json!({"neues_datum": "morgen", "neue_uhrzeit": "14:00"})).await.json();
    assert_eq!(moved["success"], true, "{moved}");
    assert_eq!(moved["message"], "Ihr Termin (Bartpflege) ist verschoben auf morgen um 14 Uhr.");
    let mine = app.call("query_appointment", json!({})).await.json();
    assert_eq!(mine["appointments"][0]["start"], "2026-12-01T14:00:00+01:00");
    let old = app
        .call("check_availability", json!({"service": "Bartpflege", "date": "morgen", "time": "10:00"}))
        .await
        .json();
    assert_eq!(old["available"], true, "the old time is free again");
    let new = app
        .call("check_availability", json!({"service": "Bartpflege", "date": "morgen", "time": "14:00"}))
        .await
        .json();
    assert_eq!(new["available"], false);
    // Today's appointments are inside the 24-hour policy.
    app.call(
        "book_appointment",
        json!({"service": "Herrenhaarschnitt", "date": "heute", "time": "16:00", "name": "Anna Schmidt"}),
    )
    .await;
    let late = app
        .call("reschedule_appointment", json!({"datum": "heute", "new_date": "übermorgen", "new_time": "10:00"}))
        .await
        .json();
    assert_eq!(late["error"], "policy");
}

#[tokio::test]
async fn an_appointment_moves_by_less_than_its_length_with_its_staff_member() {
    let app = TestApp::spawn().await;
    let booked = app
        .call("book_appointment", json!({"dienstleistung": "Herrenhaarschnitt", "datum": "morgen", "uhrzeit": "10:00", "name": "Anna Schmidt", "mitarbeiter": "Jonas"}))
        .await
        .json();
    assert_eq!(booked["success"], true, "{booked}");
    // 10:15 overlaps only the caller's own 10:00–10:30: it is free for this move.
    let moved =
        app.call("reschedule_appointment", json!({"neues_datum": "morgen", "neue_uhrzeit": "10:15"})).await.json();
    assert_eq!(moved["success"], true, "{moved}");
    let mine = app.call("query_appointment", json!({})).await.json();
    assert_eq!(mine["appointments"][0]["start"], "2026-12-01T10:15:00+01:00");
    assert_eq!(mine["appointments"][0]["staff"], "Jonas", "{mine}");
    // Jonas becomes busy at 10:45 (beard trim, only he does it): a move to 10:30 overlaps the
    // caller's own time and his, so Maria takes it.
    assert_eq!(book_as(&app, 9, booking("Bartpflege", "10:45", "Ben")).await["success"], true);
    let to_maria =
        app.call("reschedule_appointment", json!({"neues_datum": "morgen", "neue_uhrzeit": "10:30"})).await.json();
    assert_eq!(to_maria["success"], true, "{to_maria}");
    let mine = app.call("query_appointment", json!({})).await.json();
    assert_eq!(mine["appointments"][0]["staff"], "Maria", "{mine}");
    // Maria busy from 11:00 too: 10:45 overlaps the caller's own time and both others' — refused.
    let other = json!({"dienstleistung": "Damenhaarschnitt", "datum": "morgen", "uhrzeit": "11:00", "name": "Cem"});
    assert_eq!(book_as(&app, 10, other).await["success"], true);
    let refused =
        app.call("reschedule_appointment", json!({"neues_datum": "morgen", "neue_uhrzeit": "10:45"})).await.json();
    assert_eq!(refused["error"], "slot_taken", "{refused}");
}

#[tokio::test]
async fn on_cal_com_an_appointment_moves_by_less_than_its_length() {
    let sim = tenant_calsim(5, None).await;
    let app = TestApp::builder().at(next(Weekday::Mon, 8)).calcom(&sim).spawn().await;
    let booked = app.call("book_appointment", booking("Herrenhaarschnitt", "10:00", "Anna Schmidt")).await.json();
    assert_eq!(booked["success"], true, "{booked}");
    let moved = app.call("reschedule_appointment", json!({"new_date": "morgen", "new_time": "10:15"})).await.json();
    assert_eq!(moved["success"], true, "{moved}");
    let listed = cal_com_bookings(&sim, "eventTypeId=1001").await;
    let live: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["status"] == "accepted")
        .map(|b| b["start"].as_str().unwrap())
        .collect();
    assert_eq!(live.len(), 1, "{listed}");
    assert!(live[0].contains("T09:15"), "10:15 in Berlin: {live:?}");
    let old = app
        .call("check_availability", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:00"}))
        .await
        .json();
    assert_eq!(old["available"], false, "10:00 overlaps the moved appointment");
}

#[tokio::test]
async fn rescheduling_on_cal_com_makes_a_new_cal_com_booking() {
    let sim = tenant_calsim(5, None).await;
    let app = TestApp::builder().at(next(Weekday::Mon, 8)).calcom(&sim).spawn().await;
    let booked = app.call("book_appointment", booking("Herrenhaarschnitt", "10:00", "Anna Schmidt")).await.json();
    assert_eq!(booked["success"], true, "{booked}");
    let moved = app.call("reschedule_appointment", json!({"new_date": "morgen", "new_time": "15:00"})).await.json();
    assert_eq!(moved["success"], true, "{moved}");
    let listed = cal_com_bookings(&sim, "eventTypeId=1001").await;
    let statuses: Vec<&str> = listed.as_array().unwrap().iter().map(|b| b["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["cancelled", "accepted"]);
    assert!(
        listed[1]["start"].as_str().unwrap().ends_with("14:00:00.000Z")
            || listed[1]["start"].as_str().unwrap().contains("T14:00")
    );
}

#[tokio::test]
async fn collect_appointment_info_gathers_confirms_and_books() {
    let app = TestApp::spawn().await;
    let partial = app
        .call("collect_appointment_info", json!({"dienstleistung": "Herrenhaarschnitt", "datum": "morgen"}))
        .await
        .json();
    assert_eq!(partial["error"], "missing_argument");
    assert_eq!(partial["missing"], json!(["time", "name"]));
    assert_eq!(partial["message"], "Dafür brauche ich noch die Uhrzeit und Ihren Namen.");
    let complete =
        json!({"dienstleistung": "Herrenhaarschnitt", "datum": "morgen", "uhrzeit": "14 Uhr", "name": "Anna Schmidt"});
    let summary = app.call("collect_appointment_info", complete.clone()).await.json();
    assert_eq!(summary["ready_to_book"], true, "{summary}");
    assert_eq!(summary["message"], "Morgen um 14 Uhr, Herrenhaarschnitt bei Maria — richtig?");
    let mut confirmed = complete.clone();
    confirmed["bestaetigung"] = json!(true);
    let booked = app.call("collect_appointment_info", confirmed.clone()).await.json();
    assert_eq!(booked["success"], true, "{booked}");
    let again = app.call("collect_appointment_info", confirmed).await.json();
    assert_eq!(again["appointment_id"], booked["appointment_id"]);
    assert_eq!(again["repeated"], true);
}

#[tokio::test]
async fn a_hidden_caller_finds_an_appointment_only_with_name_and_day() {
    let app = TestApp::spawn().await;
    app.call("book_appointment", booking("Damenhaarschnitt", "11:00", "Anna Schmidt")).await;
    let ask = |args: Value| app.call_between("query_appointment_by_name", args, "anonymous", SALON);
    assert_eq!(ask(json!({"name": "Anna Schmidt"})).await.json()["error"], "missing_argument");
    assert_eq!(ask(json!({"datum": "morgen"})).await.json()["error"], "missing_argument");
    assert_eq!(ask(json!({"name": "Erika Muster", "datum": "morgen"})).await.json()["error"], "not_found");
    assert_eq!(ask(json!({"name": "Anna Schmidt", "datum": "übermorgen"})).await.json()["error"], "not_found");
    let found = ask(json!({"name": "anna schmidt", "datum": "morgen"})).await.json();
    assert_eq!(found["success"], true, "{found}");
    assert_eq!(found["appointments"].as_array().unwrap().len(), 1);
    // The same name at another tenant reveals nothing.
    let elsewhere = app
        .call_between(
            "query_appointment_by_name",
            json!({"name": "Anna Schmidt", "date": "tomorrow"}),
            "anonymous",
            crate::helpers::PRACTICE,
        )
        .await
        .json();
    assert_eq!(elsewhere["error"], "not_found");
}

#[tokio::test]
async fn twenty_callers_asking_to_hold_one_slot_get_one_hold() {
    let app = Arc::new(TestApp::spawn().await);
    let wish = json!({"service": "Bartpflege", "date": "morgen", "time": "13:00"});
    let calls = (0..20).map(|i| {
        let (app, wish) = (app.clone(), wish.clone());
        tokio::spawn(async move { app.call_as(100 + i, "reserve_slot", wish).await })
    });
    let answers: Vec<Value> = futures_util::future::join_all(calls).await.into_iter().map(|a| a.unwrap()).collect();
    assert_eq!(answers.iter().filter(|a| a["success"] == true).count(), 1, "{answers:?}");
}

#[tokio::test]
async fn a_held_slot_is_kept_for_its_call_and_released_on_request() {
    let app = TestApp::spawn().await;
    let wish = json!({"service": "Bartpflege", "date": "morgen", "time": "13:00"});
    let held = app.call("reserve_slot", wish.clone()).await.json();
    assert_eq!(held["success"], true, "{held}");
    // Another caller cannot have it.
    let other = book_as(&app, 11, booking("Bartpflege", "13:00", "Ben")).await;
    assert_eq!(other["error"], "slot_taken");
    // The holder books it.
    let mut mine = wish.clone();
    mine["name"] = json!("Anna Schmidt");
    let booked = app.call("book_appointment", mine).await.json();
    assert_eq!(booked["success"], true, "{booked}");
    // A second hold, released: the slot is free again for everyone.
    let second =
        app.call("reserve_slot", json!({"service": "Bartpflege", "date": "morgen", "time": "15:00"})).await.json();
    assert_eq!(second["success"], true);
    let released = app.call("release_slot_reservation", json!({})).await.json();
    assert_eq!(released["released"], true);
    let free = book_as(&app, 12, booking("Bartpflege", "15:00", "Cem")).await;
    assert_eq!(free["success"], true, "{free}");
}

#[tokio::test]
async fn on_cal_com_a_hold_answers_at_once_is_reserved_behind_and_booking_it_costs_one_more_request() {
    // Cal.com answers in 300 ms; the caller hears the hold without waiting for it.
    let sim = tenant_calsim(300, None).await;
    let app = TestApp::builder().at(next(Weekday::Mon, 8)).calcom(&sim).spawn().await;
    app.call("check_availability", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:00"})).await;
    let before = calsim_stats(&sim).await;
    let asked = std::time::Instant::now();
    let held = app
        .call("reserve_slot", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:00"}))
        .await
        .json();
    let waited = asked.elapsed();
    assert_eq!(held["success"], true, "{held}");
    assert!(waited < std::time::Duration::from_millis(250), "the hold waited for Cal.com: {waited:?}");
    // The Cal.com reservation follows in the background.
    let reserved = |stats: &Value| stats["requests"]["POST /v2/slots/reservations"].as_u64().unwrap_or(0);
    let started = std::time::Instant::now();
    while reserved(&calsim_stats(&sim).await) == reserved(&before) {
        assert!(started.elapsed() < std::time::Duration::from_secs(3), "no reservation was placed");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    let booked = app.call("book_appointment", booking("Herrenhaarschnitt", "10:00", "Anna Schmidt")).await.json();
    assert_eq!(booked["success"], true, "{booked}");
    let after = calsim_stats(&sim).await;
    let count =
        |stats: &Value| stats["requests"].as_object().unwrap().values().map(|v| v.as_u64().unwrap()).sum::<u64>();
    let released = |stats: &Value| stats["requests"]["DELETE /v2/slots/reservations/{uid}"].as_u64().unwrap_or(0);
    let asked = count(&after) - count(&before) - (released(&after) - released(&before));
    assert_eq!(asked, 2, "reserve + create: {after}");
    // The reservation behind the hold is let go behind the booking, not before it.
    let started = std::time::Instant::now();
    while released(&calsim_stats(&sim).await) == released(&before) {
        assert!(started.elapsed() < std::time::Duration::from_secs(3), "the reservation was never released");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn on_cal_com_a_booking_right_after_its_hold_costs_one_request() {
    // An agent that reserves and books back to back: the reservation behind the hold is never
    // placed (nor released), so the key's budget pays for the booking alone.
    let sim = tenant_calsim(20, None).await;
    let app = TestApp::builder().at(next(Weekday::Mon, 8)).calcom(&sim).spawn().await;
    app.call("check_availability", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:00"})).await;
    let before = calsim_stats(&sim).await;
    let held = app.call("reserve_slot", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:00"}));
    assert_eq!(held.await.json()["success"], true);
    let booked = app.call("book_appointment", booking("Herrenhaarschnitt", "10:00", "Anna Schmidt")).await.json();
    assert_eq!(booked["success"], true, "{booked}");
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let after = calsim_stats(&sim).await;
    let count =
        |stats: &Value| stats["requests"].as_object().unwrap().values().map(|v| v.as_u64().unwrap()).sum::<u64>();
    assert_eq!(count(&after) - count(&before), 1, "the booking only: {after}");
}

#[tokio::test]
async fn the_booking_lifecycle_on_postgres() {
    let Some(app) = TestApp::builder().backend(crate::helpers::Backend::Postgres).try_spawn().await else { return };
    let first = app.call("book_appointment", booking("Herrenhaarschnitt", "10:00", "Anna Schmidt")).await.json();
    assert_eq!(first["success"], true, "{first}");
    let retry = app.call("book_appointment", booking("Herrenhaarschnitt", "10:00", "Anna Schmidt")).await.json();
    assert_eq!(retry["appointment_id"], first["appointment_id"]);
    let held =
        app.call("reserve_slot", json!({"service": "Bartpflege", "date": "morgen", "time": "13:00"})).await.json();
    assert_eq!(held["success"], true, "{held}");
    assert_eq!(book_as(&app, 21, booking("Bartpflege", "13:00", "Ben")).await["error"], "slot_taken");
    let moved = app.call("reschedule_appointment", json!({"new_date": "morgen", "new_time": "16:00"})).await.json();
    assert_eq!(moved["success"], true, "{moved}");
    let cancelled = app.call("cancel_appointment", json!({})).await.json();
    assert_eq!(cancelled["success"], true, "{cancelled}");
    assert_eq!(app.call("query_appointment", json!({})).await.json()["appointments"], json!([]));
    let callback = app.call("request_callback", json!({"reason": "Rückfrage"})).await.json();
    assert_eq!(callback["success"], true);
}
