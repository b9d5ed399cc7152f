//! Every function's happy path and failure answers, with what the caller hears snapshotted.
//! "Now" is Monday 30 November 2026, 08:00 in Berlin; the salon opens at 9.

use crate::helpers::{TestApp, CALLER, PRACTICE};
use chrono::{Duration, TimeZone, Utc};
use frontdesk::domain::PhoneNumber;
use frontdesk::store::{AppointmentStatus, NewAppointment};
use serde_json::{json, Value};

async fn ok(app: &TestApp, function: &str, args: Value) -> Value {
    let answer = app.call(function, args).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    answer.json()
}

/// Books `service` at `start` (Berlin wall clock, tomorrow = 2026-12-01) for each named staff member.
async fn occupy(app: &TestApp, service: &str, staff: &[&str], hour: u32, minute: u32, customer_phone: &str) {
    let branches = app.store.load_branches().await.unwrap();
    let salon = branches.iter().find(|b| b.branch.name == "Innenstadt").unwrap();
    let service = salon.branch.services.iter().find(|s| s.name == service).unwrap();
    let customer = app
        .store
        .upsert_customer(salon.company.id, &PhoneNumber::parse(customer_phone).unwrap(), Some("Anna Schmidt"), None)
        .await
        .unwrap();
    let start = chrono_tz::Europe::Berlin.with_ymd_and_hms(2026, 12, 1, hour, minute, 0).unwrap().with_timezone(&Utc);
    for name in staff {
        let staff = salon.branch.staff.iter().find(|s| s.name == *name).unwrap();
        app.store
            .insert_appointment(&NewAppointment {
                idempotency_key: format!("seed-{name}-{hour}-{minute}-{customer_phone}"),
                company_id: salon.company.id,
                branch_id: salon.branch.id,
                customer_id: Some(customer.id),
                service_id: service.id.0,
                staff_id: Some(staff.id.0),
                call_id: None,
                starts_at: start,
                ends_at: start + Duration::minutes(i64::from(service.duration_minutes)),
                status: AppointmentStatus::Booked,
                notes: None,
                source: frontdesk::store::AppointmentSource::Phone,
                created_at: app.now,
                by: frontdesk::store::Actor::PhoneAgent,
            })
            .await
            .unwrap();
    }
    app.appointments_changed();
}

#[tokio::test]
async fn initialize_call_for_a_new_and_a_known_caller() {
    let app = TestApp::spawn().await;
    insta::assert_json_snapshot!("initialize_call_new_caller", ok(&app, "initialize_call", json!({})).await);
    occupy(&app, "Damenhaarschnitt", &["Maria"], 11, 0, CALLER).await;
    let known = ok(&app, "initialize_call", json!({})).await;
    insta::assert_json_snapshot!("initialize_call_known_caller", known);
    assert_eq!(ok(&app, "get_current_context", json!({})).await, known);
}

#[tokio::test]
async fn check_customer_known_unknown_and_hidden() {
    let app = TestApp::spawn().await;
    let unknown = ok(&app, "check_customer", json!({})).await;
    assert_eq!(unknown["known"], false);
    occupy(&app, "Damenhaarschnitt", &["Maria"], 11, 0, CALLER).await;
    insta::assert_json_snapshot!("check_customer_known", ok(&app, "check_customer", json!({})).await);
    let hidden = app.call_between("check_customer", json!({}), "anonymous", crate::helpers::SALON).await.json();
    assert_eq!(hidden["known"], false);
    assert!(hidden["message"].as_str().unwrap().contains("unterdrückt"), "{hidden}");
}

#[tokio::test]
async fn services_service_info_and_opening_hours() {
    let app = TestApp::spawn().await;
    let services = ok(&app, "get_available_services", json!({})).await;
    insta::assert_json_snapshot!("get_available_services", services);
    assert_eq!(ok(&app, "list_services", json!({})).await, services);
    insta::assert_json_snapshot!(
        "get_service_info",
        ok(&app, "get_service_info", json!({"dienstleistung": "maennerhaarschnitt"})).await
    );
    insta::assert_json_snapshot!("get_opening_hours", ok(&app, "get_opening_hours", json!({})).await);
    insta::assert_json_snapshot!(
        "get_service_info_unknown",
        ok(&app, "get_service_info", json!({"service": "Massage"})).await
    );
    let ambiguous = ok(&app, "get_service_info", json!({"service": "Haarschnitt"})).await;
    assert_eq!(ambiguous["error"], "ambiguous_service");
    assert_eq!(ambiguous["candidates"], json!(["Herrenhaarschnitt", "Damenhaarschnitt"]));
    let missing = ok(&app, "get_service_info", json!({})).await;
    assert_eq!(missing["error"], "missing_argument");
}

#[tokio::test]
async fn parse_date_understands_and_refuses() {
    let app = TestApp::spawn().await;
    insta::assert_json_snapshot!(
        "parse_date",
        ok(&app, "parse_date", json!({"datum": "übermorgen", "uhrzeit": "halb drei"})).await
    );
    for (date, expected) in [("30.02.", "invalid_date"), ("gestern", "invalid_date"), ("blabla", "invalid_date")] {
        let answer = ok(&app, "parse_date", json!({"datum": date})).await;
        assert_eq!(answer["success"], false, "{date}");
        assert_eq!(answer["error"], expected, "{date}");
    }
    let past = ok(&app, "parse_date", json!({"datum": "30.02."})).await;
    assert_eq!(past["message"], "Dieses Datum gibt es leider nicht. Welchen Tag meinen Sie?");
}

#[tokio::test]
async fn check_availability_free_taken_closed_and_outside_hours() {
    let app = TestApp::spawn().await;
    let free = ok(
        &app,
        "check_availability",
        json!({"dienstleistung": "Herrenhaarschnitt", "datum": "morgen", "uhrzeit": "10 Uhr"}),
    )
    .await;
    insta::assert_json_snapshot!("check_availability_free", free);
    occupy(&app, "Herrenhaarschnitt", &["Maria", "Jonas"], 10, 0, "+4915100000001").await;
    let taken = ok(
        &app,
        "check_availability",
        json!({"dienstleistung": "Herrenhaarschnitt", "datum": "morgen", "uhrzeit": "10 Uhr"}),
    )
    .await;
    insta::assert_json_snapshot!("check_availability_taken", taken);
    assert_eq!(taken["available"], false);
    assert_eq!(taken["alternatives"].as_array().unwrap().len(), 3);
    // Only Jonas busy: Maria can still take it.
    let maria =
        ok(&app, "check_availability", json!({"service": "Herrenhaarschnitt", "date": "2026-12-01", "time": "10:30"}))
            .await;
    assert_eq!(maria["available"], true);
    let closed =
        ok(&app, "check_availability", json!({"service": "Bartpflege", "date": "Sonntag", "time": "11:00"})).await;
    assert_eq!(closed["reason"], "closed");
    insta::assert_json_snapshot!("check_availability_closed", closed);
    let late =
        ok(&app, "check_availability", json!({"service": "Bartpflege", "date": "morgen", "time": "19:00"})).await;
    assert_eq!(late["reason"], "outside_opening_hours");
    // A 90-minute colouring cannot start at 17:00 when the salon closes at 18:00.
    let too_long =
        ok(&app, "check_availability", json!({"service": "Färben", "date": "morgen", "time": "17:00"})).await;
    assert_eq!(too_long["reason"], "outside_opening_hours");
}

#[tokio::test]
async fn check_availability_with_staff_and_without_a_time() {
    let app = TestApp::spawn().await;
    let jonas = ok(
        &app,
        "check_availability",
        json!({"service": "Bartpflege", "date": "morgen", "time": "9:00", "mitarbeiter": "Jonas"}),
    )
    .await;
    assert_eq!(jonas["available"], true);
    assert_eq!(jonas["slot"]["staff"], json!(["Jonas"]));
    let unqualified = ok(
        &app,
        "check_availability",
        json!({"service": "Damenhaarschnitt", "date": "morgen", "time": "9:00", "staff": "Jonas"}),
    )
    .await;
    assert_eq!(unqualified["error"], "staff_not_qualified");
    insta::assert_json_snapshot!("check_availability_staff_not_qualified", unqualified);
    let unknown = ok(
        &app,
        "check_availability",
        json!({"service": "Damenhaarschnitt", "date": "morgen", "time": "9:00", "staff": "Kevin"}),
    )
    .await;
    assert_eq!(unknown["error"], "unknown_staff");
    let morning =
        ok(&app, "check_availability", json!({"service": "Damenhaarschnitt", "date": "morgen vormittag"})).await;
    insta::assert_json_snapshot!("check_availability_morning", morning);
    for alternative in morning["alternatives"].as_array().unwrap() {
        assert!(alternative["time"].as_str().unwrap() < "12:00", "{alternative}");
    }
}

#[tokio::test]
async fn check_availability_failures() {
    let app = TestApp::spawn().await;
    let cases = [
        (json!({"date": "morgen", "time": "10:00"}), "missing_argument"),
        (json!({"service": "Massage", "date": "morgen", "time": "10:00"}), "unknown_service"),
        (json!({"service": "Bartpflege", "date": "30.02.", "time": "10:00"}), "invalid_date"),
        (json!({"service": "Bartpflege", "date": "gestern", "time": "10:00"}), "invalid_date"),
        (json!({"service": "Bartpflege"}), "invalid_date"),
        (json!({"service": ["Bartpflege"]}), "invalid_arguments"),
        (json!("not an object"), "invalid_arguments"),
    ];
    for (args, error) in cases {
        let answer = ok(&app, "check_availability", args.clone()).await;
        assert_eq!(answer["success"], false, "{args}");
        assert_eq!(answer["error"], error, "{args}: {answer}");
        assert!(!answer["message"].as_str().unwrap().is_empty());
    }
}

#[tokio::test]
async fn find_next_available_now_later_and_with_staff() {
    let app = TestApp::spawn().await;
    let next = ok(&app, "find_next_available", json!({"service": "Herrenhaarschnitt"})).await;
    insta::assert_json_snapshot!("find_next_available", next);
    assert_eq!(next["slot"]["start"], "2026-11-30T09:00:00+01:00");
    let saturday = ok(&app, "find_next_available", json!({"service": "Bartpflege", "datum": "Samstag"})).await;
    assert_eq!(saturday["slot"]["start"], "2026-12-05T10:00:00+01:00");
    let afternoon =
        ok(&app, "find_next_available", json!({"service": "Bartpflege", "datum": "morgen", "uhrzeit": "nachmittags"}))
            .await;
    assert_eq!(afternoon["slot"]["start"], "2026-12-01T12:00:00+01:00");
    let unqualified = ok(&app, "find_next_available", json!({"service": "Färben", "staff": "Jonas"})).await;
    assert_eq!(unqualified["error"], "staff_not_qualified");
}

#[tokio::test]
async fn the_english_practice_answers_in_english() {
    let app = TestApp::spawn().await;
    let answer = app
        .call_between(
            "check_availability",
            json!({"service": "cleaning", "date": "tomorrow", "time": "2:30 pm"}),
            CALLER,
            PRACTICE,
        )
        .await
        .json();
    insta::assert_json_snapshot!("practice_check_availability", answer);
    let hours = app.call_between("get_opening_hours", json!({}), CALLER, PRACTICE).await.json();
    insta::assert_json_snapshot!("practice_opening_hours", hours);
}

#[tokio::test]
async fn the_next_slot_after_a_weekend_with_a_clock_change() {
    // Saturday 24 October 2026, 13:50 in Berlin (UTC+2); clocks go back on Sunday night.
    let saturday = chrono_tz::Europe::Berlin.with_ymd_and_hms(2026, 10, 24, 13, 50, 0).unwrap().with_timezone(&Utc);
    let app = TestApp::builder().at(saturday).spawn().await;
    let next = ok(&app, "find_next_available", json!({"service": "Herrenhaarschnitt"})).await;
    // 13:50 is past the last 30-minute start (13:30) of Saturday; Monday opens at 09:00 winter time.
    assert_eq!(next["slot"]["start"], "2026-10-26T09:00:00+01:00");
    assert_eq!(
        next["message"],
        "Der nächste freie Termin für Herrenhaarschnitt ist übermorgen um 9 Uhr bei Maria. Passt Ihnen das?"
    );
}

#[tokio::test]
async fn the_whole_app_runs_on_postgres() {
    let Some(app) = TestApp::builder().backend(crate::helpers::Backend::Postgres).try_spawn().await else { return };
    occupy(&app, "Herrenhaarschnitt", &["Maria", "Jonas"], 10, 0, CALLER).await;
    let taken =
        ok(&app, "check_availability", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:00"}))
            .await;
    assert_eq!(taken["available"], false);
    let known = ok(&app, "check_customer", json!({})).await;
    assert_eq!(known["known"], true);
}
