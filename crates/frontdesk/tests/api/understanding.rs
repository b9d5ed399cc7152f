//! What callers say reaches every function whole: windows and parts of the day narrow the times
//! offered, a staff wish is honoured, holidays and closures close the calendar and are named, and
//! what was not understood is said — with snapshots of what the caller hears.
//! "Now" is Monday 30 November 2026, 08:00 in Berlin; the salon (DE-BE) opens at 9.

use crate::helpers::{TestApp, PRACTICE, SALON_PRENZLAUER_BERG};
use serde_json::{json, Value};

const CALLER: &str = crate::helpers::CALLER;

async fn ok(app: &TestApp, function: &str, args: Value) -> Value {
    let answer = app.call(function, args).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    let body = answer.json();
    assert_ne!(body["error"], "internal", "{body}");
    body
}

/// The local "HH:MM" of every offered slot.
fn times(answer: &Value, key: &str) -> Vec<String> {
    answer[key].as_array().unwrap_or(&vec![]).iter().map(|s| s["time"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn a_window_offers_times_inside_it() {
    let app = TestApp::spawn().await;
    let window = ok(
        &app,
        "check_availability",
        json!({"dienstleistung": "Herrenhaarschnitt", "datum": "Dienstag", "uhrzeit": "zwischen 10 und 12"}),
    )
    .await;
    insta::assert_json_snapshot!("check_availability_window", window);
    assert_eq!(window["available"], true);
    let offered = times(&window, "alternatives");
    assert!(!offered.is_empty());
    // 30 minutes must end by 12:00: starts from 10:00 to 11:30, all on Tuesday 1 December
    assert!(offered.iter().all(|t| t.as_str() >= "10:00" && t.as_str() <= "11:30"), "{offered:?}");
    assert!(window["alternatives"].as_array().unwrap().iter().all(|s| s["date"] == "2026-12-01"));

    let in_one_argument =
        ok(&app, "check_availability", json!({"service": "Herrenhaarschnitt", "date": "Dienstag zwischen 10 und 12"}))
            .await;
    assert_eq!(times(&in_one_argument, "alternatives"), offered);

    let by_bounds = ok(
        &app,
        "check_availability",
        json!({"service": "Herrenhaarschnitt", "date": "Dienstag", "ab_uhrzeit": "10", "bis_uhrzeit": "12"}),
    )
    .await;
    assert_eq!(times(&by_bounds, "alternatives"), offered);
}

#[tokio::test]
async fn a_part_of_the_day_flows_through_every_function() {
    let app = TestApp::spawn().await;
    let afternoon =
        ok(&app, "check_availability", json!({"service": "Bartpflege", "datum": "morgen", "uhrzeit": "nachmittags"}))
            .await;
    let offered = times(&afternoon, "alternatives");
    assert!(
        !offered.is_empty() && offered.iter().all(|t| t.as_str() >= "12:00" && t.as_str() < "18:00"),
        "{afternoon}"
    );

    let alternatives =
        ok(&app, "get_alternatives", json!({"service": "Bartpflege", "date": "Dienstag", "time": "ab 14 Uhr"})).await;
    insta::assert_json_snapshot!("get_alternatives_after_two", alternatives);
    let offered = times(&alternatives, "alternatives");
    assert!(!offered.is_empty() && offered.iter().all(|t| t.as_str() >= "14:00"), "{alternatives}");

    let next = ok(&app, "find_next_available", json!({"service": "Bartpflege", "uhrzeit": "nach 17 Uhr"})).await;
    assert_eq!(next["slot"]["start"], "2026-11-30T17:00:00+01:00", "{next}");

    let hold = ok(&app, "reserve_slot", json!({"service": "Bartpflege", "date": "morgen", "time": "vormittags"})).await;
    assert_eq!(hold["error"], "time_needed", "{hold}");
    assert!(times(&hold, "alternatives").iter().all(|t| t.as_str() < "12:00"), "{hold}");

    // Once a panic ("a free slot has a time"); now the afternoon's free times, nothing booked yet.
    let collect = ok(
        &app,
        "collect_appointment_info",
        json!({"dienstleistung": "Bartpflege", "datum": "morgen", "uhrzeit": "nachmittags", "name": "Anna Schmidt"}),
    )
    .await;
    insta::assert_json_snapshot!("collect_appointment_info_afternoon", collect);
    assert_eq!(collect["ready_to_book"], false);
    assert!(times(&collect, "alternatives").iter().all(|t| t.as_str() >= "12:00"), "{collect}");
    let listed = ok(&app, "query_appointment", json!({})).await;
    assert_eq!(listed["appointments"].as_array().map(Vec::len).unwrap_or(0), 0);
}

#[tokio::test]
async fn a_staff_wish_is_honoured_by_every_function() {
    let app = TestApp::spawn().await;
    let next = ok(&app, "find_next_available", json!({"service": "Herrenhaarschnitt", "mitarbeiter": "Jonas"})).await;
    insta::assert_json_snapshot!("find_next_available_jonas", next);
    assert_eq!(next["slot"]["staff"], json!(["Jonas"]));
    assert!(next["message"].as_str().unwrap().contains("bei Jonas"), "{next}");

    let in_words = ok(
        &app,
        "check_availability",
        json!({"service": "Herrenhaarschnitt", "date": "morgen bei Jonas", "time": "10:00"}),
    )
    .await;
    assert_eq!(in_words["slot"]["staff"], json!(["Jonas"]), "{in_words}");

    let alternatives = ok(
        &app,
        "get_alternatives",
        json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10", "staff": "Jonas"}),
    )
    .await;
    for slot in alternatives["alternatives"].as_array().unwrap() {
        assert_eq!(slot["staff"], json!(["Jonas"]), "{alternatives}");
    }
    let booked = ok(
        &app,
        "book_appointment",
        json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:00", "mitarbeiter": "Jonas", "name": "Ben"}),
    )
    .await;
    assert_eq!(booked["staff"], "Jonas", "{booked}");
}

#[tokio::test]
async fn holidays_and_closures_close_the_calendar_and_are_named() {
    let app = TestApp::spawn().await;
    let christmas =
        ok(&app, "check_availability", json!({"service": "Herrenhaarschnitt", "datum": "25.12.", "uhrzeit": "10 Uhr"}))
            .await;
    insta::assert_json_snapshot!("check_availability_holiday", christmas);
    assert_eq!(christmas["available"], false);
    assert_eq!(christmas["reason"], "holiday");
    assert!(christmas["message"].as_str().unwrap().contains("Feiertag"), "{christmas}");
    for slot in christmas["alternatives"].as_array().unwrap() {
        assert!(!["2026-12-25", "2026-12-26"].contains(&slot["date"].as_str().unwrap()), "{christmas}");
    }
    // Heiligabend is no public holiday in Berlin; after Christmas the next day is Monday 28th.
    let eve = ok(&app, "find_next_available", json!({"service": "Herrenhaarschnitt", "datum": "Heiligabend"})).await;
    assert_eq!(eve["slot"]["date"], "2026-12-24", "{eve}");
    let after = ok(&app, "find_next_available", json!({"service": "Herrenhaarschnitt", "datum": "Weihnachten"})).await;
    assert_eq!(after["slot"]["date"], "2026-12-28", "{after}");

    let closure = app
        .call_between(
            "check_availability",
            json!({"service": "Herrenhaarschnitt", "date": "28.12.", "time": "11:00"}),
            CALLER,
            SALON_PRENZLAUER_BERG,
        )
        .await
        .json();
    assert_eq!(closure["reason"], "closure", "{closure}");
    assert!(closure["message"].as_str().unwrap().contains("geschlossen"), "{closure}");

    let practice = app
        .call_between(
            "check_availability",
            json!({"service": "check-up", "date": "Christmas Day", "time": "10am"}),
            CALLER,
            PRACTICE,
        )
        .await
        .json();
    insta::assert_json_snapshot!("practice_check_availability_holiday", practice);
    assert_eq!(practice["reason"], "holiday");
}

#[tokio::test]
async fn what_was_not_understood_is_said_never_a_silent_today() {
    let app = TestApp::spawn().await;
    let partly = ok(&app, "parse_date", json!({"datum": "Montag", "uhrzeit": "blabla"})).await;
    insta::assert_json_snapshot!("parse_date_day_without_time", partly);
    assert_eq!(partly["error"], "invalid_date");
    assert_eq!(partly["understood_date"], "2026-12-07");

    for nothing in ["bitte", "um", "ja"] {
        let answer = ok(&app, "check_availability", json!({"service": "Bartpflege", "date": nothing})).await;
        assert_eq!(answer["error"], "invalid_date", "{nothing}: {answer}");
    }
    let words = ok(&app, "parse_date", json!({"datum": "am Montag zum Haareschneiden"})).await;
    assert_eq!(words["error"], "invalid_date");

    let english =
        app.call_between("parse_date", json!({"date": "Monday", "time": "blah"}), CALLER, PRACTICE).await.json();
    insta::assert_json_snapshot!("practice_parse_date_day_without_time", english);

    let window = ok(&app, "parse_date", json!({"datum": "nächste Woche", "uhrzeit": "nachmittags"})).await;
    insta::assert_json_snapshot!("parse_date_window", window);
    assert_eq!(window["wish"]["first_day"], "2026-12-07");
    assert_eq!(window["wish"]["last_day"], "2026-12-13");
}

#[tokio::test]
async fn opening_hours_mention_the_holidays_and_closures_ahead() {
    use chrono::TimeZone;
    // Monday 21 December 2026, 08:00 in Berlin.
    let monday = chrono_tz::Europe::Berlin.with_ymd_and_hms(2026, 12, 21, 8, 0, 0).unwrap().with_timezone(&chrono::Utc);
    let app = TestApp::builder().at(monday).spawn().await;
    let hours = ok(&app, "get_opening_hours", json!({})).await;
    insta::assert_json_snapshot!("get_opening_hours_before_christmas", hours);
    assert_eq!(hours["closed"].as_array().unwrap().len(), 3, "{hours}"); // 25, 26 Dec, 1 Jan
    let other = app.call_between("get_opening_hours", json!({}), CALLER, SALON_PRENZLAUER_BERG).await.json();
    assert!(other["message"].as_str().unwrap().contains("Betriebsferien"), "{other}");

    // On Christmas Day itself the greeting says the salon is closed today.
    let christmas =
        chrono_tz::Europe::Berlin.with_ymd_and_hms(2026, 12, 25, 9, 30, 0).unwrap().with_timezone(&chrono::Utc);
    let app = TestApp::builder().at(christmas).spawn().await;
    let greeting = ok(&app, "initialize_call", json!({})).await;
    assert_eq!(greeting["open_now"], false, "{greeting}");
    assert!(greeting["message"].as_str().unwrap().contains("Heute haben wir geschlossen"), "{greeting}");
}

#[tokio::test]
async fn spoken_times_keep_their_wall_clock_across_a_dst_change() {
    use chrono::TimeZone;
    // Saturday 24 October 2026 (UTC+2); the clocks go back on Sunday night.
    let saturday =
        chrono_tz::Europe::Berlin.with_ymd_and_hms(2026, 10, 24, 11, 0, 0).unwrap().with_timezone(&chrono::Utc);
    let app = TestApp::builder().at(saturday).spawn().await;
    let monday =
        ok(&app, "check_availability", json!({"service": "Herrenhaarschnitt", "date": "Montag", "time": "halb zehn"}))
            .await;
    assert_eq!(monday["requested"], "2026-10-26T09:30:00+01:00", "{monday}");
    assert_eq!(monday["available"], true, "{monday}");
    let window = ok(
        &app,
        "check_availability",
        json!({"service": "Herrenhaarschnitt", "date": "Montag", "time": "zwischen 9 und 10"}),
    )
    .await;
    let starts: Vec<&str> =
        window["alternatives"].as_array().unwrap().iter().map(|s| s["start"].as_str().unwrap()).collect();
    assert_eq!(starts[0], "2026-10-26T09:00:00+01:00", "{window}");
}

#[tokio::test]
async fn a_span_of_days_offers_afternoon_times_on_several_of_them() {
    let app = TestApp::spawn().await;
    let span = ok(
        &app,
        "check_availability",
        json!({"service": "Herrenhaarschnitt", "date": "Dienstag bis Donnerstag nachmittags"}),
    )
    .await;
    insta::assert_json_snapshot!("check_availability_span", span);
    assert_eq!(span["available"], true, "{span}");
    let offered = span["alternatives"].as_array().unwrap();
    let days: std::collections::BTreeSet<&str> = offered.iter().map(|s| s["date"].as_str().unwrap()).collect();
    assert!(days.len() >= 2, "spread over the days: {span}");
    assert!(days.iter().all(|d| ("2026-12-01"..="2026-12-03").contains(d)), "{span}");
    assert!(times(&span, "alternatives").iter().all(|t| t.as_str() >= "12:00" && t.as_str() < "18:00"), "{span}");
    // The read-back names the span ("Dienstag" is tomorrow) and the part of the day.
    let message = span["message"].as_str().unwrap();
    assert!(message.starts_with("Zwischen morgen und Donnerstag, dem 3. Dezember, nachmittags"), "{message}");
    // The same in English, and through get_alternatives and find_next_available.
    let english = ok(
        &app,
        "get_alternatives",
        json!({"service": "Herrenhaarschnitt", "date": "Tuesday to Thursday in the afternoon"}),
    )
    .await;
    assert!(times(&english, "alternatives").iter().all(|t| t.as_str() >= "12:00" && t.as_str() < "18:00"), "{english}");
    let next = ok(&app, "find_next_available", json!({"service": "Herrenhaarschnitt", "date": "zwischen Dienstag und Donnerstag"})).await;
    assert_eq!(next["success"], true, "{next}");
    assert!(next.to_string().contains("2026-12-01"), "the first free time of the span: {next}");
}

/// A function call of `app`'s call, answered by the instance `via`.
async fn ask(app: &TestApp, via: &TestApp, function: &str, args: Value) -> Value {
    let body = app.payload(function, args, CALLER, crate::helpers::SALON);
    let signature = via.sign(&body);
    via.post(&format!("/retell/functions/{function}"), body, Some(signature)).await.json()
}

#[tokio::test]
async fn the_day_after_counts_from_the_day_asked_about_on_any_instance() {
    // "Und am Tag danach?": the day the caller asked about before in the same call — and the next
    // question may reach another instance behind the load balancer.
    let Some((a, b)) = crate::helpers::two_instances(None, None, crate::helpers::monday_morning()).await else { return };
    let thursday = ask(&a, &a, "check_availability", json!({"dienstleistung": "Herrenhaarschnitt", "datum": "Donnerstag"})).await;
    assert_eq!(thursday["success"], true, "{thursday}");
    let after = ask(&a, &b, "parse_date", json!({"datum": "und am Tag danach?"})).await;
    assert_eq!(after["date"], "2026-12-04", "the day after Thursday 3 December: {after}");
    insta::assert_json_snapshot!("parse_date_the_day_after", after);
    // counted from the day last spoken about, now Friday
    let later = ask(&a, &a, "check_availability", json!({"dienstleistung": "Herrenhaarschnitt", "datum": "drei Tage später"})).await;
    assert_eq!(later["success"], true, "{later}");
    let offered = later["alternatives"].as_array().cloned().unwrap_or_default();
    assert!(!offered.is_empty() && offered.iter().all(|s| s["date"] == "2026-12-07"), "Monday 7 December: {later}");
    // another call has spoken about no day: asked, not guessed
    let fresh = ask(&b, &b, "parse_date", json!({"datum": "am Tag danach"})).await;
    assert_eq!(fresh["error"], "invalid_date", "{fresh}");
    insta::assert_json_snapshot!("parse_date_the_day_after_no_day_before", fresh);
}

#[tokio::test]
async fn a_weekday_or_week_counted_from_a_named_day_is_searched_and_read_back_with_its_dates() {
    let app = TestApp::spawn().await;
    // Christmas 2026 is a Friday: the Friday before it is the 18th.
    let friday = ok(&app, "parse_date", json!({"datum": "der Freitag vor Weihnachten", "uhrzeit": "um 10"})).await;
    insta::assert_json_snapshot!("parse_date_friday_before_christmas", friday);
    assert_eq!(friday["date"], "2026-12-18");
    assert_eq!(friday["time"], "10:00");
    // The week after Christmas' week: Monday 28 December to Sunday 3 January, searched whole.
    let week = ok(
        &app,
        "check_availability",
        json!({"service": "Herrenhaarschnitt", "date": "die Woche nach Weihnachten", "time": "nachmittags"}),
    )
    .await;
    insta::assert_json_snapshot!("check_availability_week_after_christmas", week);
    let offered = week["alternatives"].as_array().unwrap();
    assert!(!offered.is_empty(), "{week}");
    assert!(offered.iter().all(|s| ("2026-12-28"..="2027-01-03").contains(&s["date"].as_str().unwrap())), "{week}");
    assert!(times(&week, "alternatives").iter().all(|t| t.as_str() >= "12:00" && t.as_str() < "18:00"), "{week}");
    let monday =
        app.call_between("parse_date", json!({"date": "the Monday after the 14th"}), CALLER, PRACTICE).await.json();
    assert_eq!(monday["date"], "2026-12-21", "{monday}");
    // "die Woche vor Weihnachten" has two readings (the 14th to the 20th, or the 21st to the 24th):
    // asked, never guessed, through every function.
    let before = ok(&app, "parse_date", json!({"datum": "die Woche vor Weihnachten"})).await;
    insta::assert_json_snapshot!("parse_date_week_before_christmas", before);
    assert_eq!(before["error"], "invalid_date", "{before}");
    let asked = ok(&app, "check_availability", json!({"service": "Herrenhaarschnitt", "date": "die Woche vor Weihnachten"})).await;
    assert_eq!(asked["message"], before["message"], "{asked}");
    let english =
        app.call_between("parse_date", json!({"date": "the week before Christmas"}), CALLER, PRACTICE).await.json();
    insta::assert_json_snapshot!("practice_parse_date_week_before_christmas", english);
    // A Monday leaves one reading: the week before it.
    let one = ok(&app, "parse_date", json!({"datum": "die Woche vor dem 14. Dezember"})).await;
    assert_eq!((&one["wish"]["first_day"], &one["wish"]["last_day"]), (&json!("2026-12-07"), &json!("2026-12-13")), "{one}");
}
