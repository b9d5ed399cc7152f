//! Real schedules (issue 25) through signed function calls and the console API: own working
//! hours, absences that apply at once (on a second instance too, and on Cal.com), a colour's wait
//! phase, a shared colour place.

use crate::console::{add_user, login, ADMIN_TOKEN, PASSWORD};
use crate::onboarding::admin;
use crate::helpers::{cal_com_bookings, calsim_control, calsim_stats, demo_tenants, next_weekday_at, tenant_calsim, TestApp};
use chrono::{TimeZone, Weekday};
use serde_json::{json, Value};

/// The demo salon with schedules: Jonas works Tue/Wed 12–20 and Sat 9–15 (and also colours);
/// colouring works 30, waits 35, works 25, cleans 10 and needs the one colour place; "Pony" is a
/// 20-minute cut on a 5-minute grid.
pub fn salon_with_schedules() -> String {
    let text = demo_tenants();
    let replace = |text: String, from: &str, to: &str| {
        assert!(text.contains(from), "the demo file changed: {from}");
        text.replacen(from, to, 1)
    };
    let text = replace(
        text,
        "thu = [\"09:00-20:00\"], fri = [\"09:00-18:00\"], sat = [\"10:00-14:00\"] }\n",
        "thu = [\"09:00-20:00\"], fri = [\"09:00-18:00\"], sat = [\"10:00-14:00\"] }\n\n    [[company.branch.resource]]\n    name = \"Farbplatz\"\n    capacity = 1\n",
    );
    let text = replace(
        text,
        "price = \"ab 65 Euro\"\n",
        "price = \"ab 65 Euro\"\n    phases = [{ work = 30 }, { wait = 35 }, { work = 25 }]\n    buffer_after_minutes = 10\n    resources = [\"Farbplatz\"]\n\n    [[company.branch.service]]\n    name = \"Pony\"\n    synonyms = [\"Pony schneiden\"]\n    duration_minutes = 20\n    calcom_event_type_id = 1007\n    slot_interval_minutes = 5\n",
    );
    let text = replace(
        text,
        "services = [\"Herrenhaarschnitt\", \"Damenhaarschnitt\", \"Färben\"]",
        "services = [\"Herrenhaarschnitt\", \"Damenhaarschnitt\", \"Färben\", \"Pony\"]",
    );
    let text = replace(
        text,
        "synonyms = [\"Haarschnitt Herren\", \"Männerhaarschnitt\", \"Herrenschnitt\", \"men's haircut\"]",
        "synonyms = [\"Haarschnitt Herren\", \"Männerhaarschnitt\", \"Herrenschnitt\", \"men's haircut\", \"Schnitt\"]",
    );
    replace(
        text,
        "    services = [\"Herrenhaarschnitt\", \"Bartpflege\"]\n",
        "    services = [\"Herrenhaarschnitt\", \"Bartpflege\", \"Färben\"]\n    working_hours = { tue = [\"12:00-20:00\"], wed = [\"12:00-20:00\"], sat = [\"09:00-15:00\"] }\n",
    )
}

async fn salon() -> TestApp {
    TestApp::builder().tenants(salon_with_schedules()).env("FRONTDESK_ADMIN_TOKEN", ADMIN_TOKEN).spawn().await
}

fn ask(service: &str, date: &str, time: &str, staff: Option<&str>) -> Value {
    let mut args = json!({"service": service, "date": date, "time": time});
    if let Some(staff) = staff {
        args["staff"] = json!(staff);
    }
    args
}

/// The id of a staff member of the Innenstadt branch.
fn staff_id(app: &TestApp, name: &str) -> i64 {
    let branch = app.branches.iter().find(|b| b.branch.name == "Innenstadt").unwrap();
    branch.branch.staff.iter().find(|s| s.name == name).unwrap().id.0
}

#[tokio::test]
async fn jonas_is_never_offered_outside_his_hours() {
    let app = salon().await; // Monday 30 November 2026, 08:00
    // Monday he does not work at all; Tuesday he starts at 12.
    let monday = app.call("check_availability", ask("Herrenhaarschnitt", "heute", "16:00", Some("Jonas"))).await.json();
    assert_eq!(monday["available"], false, "{monday}");
    let early = app.call("check_availability", ask("Herrenhaarschnitt", "morgen", "09:00", Some("Jonas"))).await.json();
    assert_eq!(early["available"], false, "{early}");
    let noon = app.call("check_availability", ask("Herrenhaarschnitt", "morgen", "12:00", Some("Jonas"))).await.json();
    assert_eq!(noon["available"], true, "{noon}");
    // Nor is he among those offered for Tuesday morning, nor after the salon closes at 18:00.
    let next = app.call("find_next_available", json!({"service": "Herrenhaarschnitt", "staff": "Jonas"})).await.json();
    assert_eq!(next["slot"]["start"], "2026-12-01T12:00:00+01:00", "{next}");
    let late = app.call("check_availability", ask("Bartpflege", "morgen", "18:00", Some("Jonas"))).await.json();
    assert_eq!(late["available"], false, "{late}");
    // A booking at 9:00 on Tuesday without a wish goes to Maria.
    let booked = app.call_as(1, "book_appointment", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "9:00", "name": "Paul Weber"})).await;
    assert_eq!(booked["success"], true, "{booked}");
    assert_eq!(booked["staff"], "Maria", "{booked}");
    // Nobody can do Bartpflege at 9:00 on Tuesday: Jonas is the only one who does it.
    let beard = app.call_as(2, "book_appointment", json!({"service": "Bartpflege", "date": "morgen", "time": "9:00", "name": "Karl Weber"})).await;
    assert_eq!(beard["success"], false, "{beard}");
}

#[tokio::test]
async fn a_short_cut_fits_in_a_colours_wait_and_a_long_one_does_not() {
    let app = salon().await;
    let colour = app.call_as(1, "book_appointment", json!({"service": "Färben", "date": "morgen", "time": "10:00", "staff": "Maria", "name": "Anna Schmidt"})).await;
    assert_eq!(colour["success"], true, "{colour}");
    // The wait runs 10:30–11:05: 20 minutes fit from 10:30 to 10:45, 45 minutes do not.
    for (time, fits) in [("10:30", true), ("10:45", true), ("10:50", false), ("10:15", false)] {
        let answer = app.call("check_availability", ask("Pony", "morgen", time, Some("Maria"))).await.json();
        assert_eq!(answer["available"], fits, "Pony at {time}: {answer}");
    }
    let long = app.call("check_availability", ask("Damenhaarschnitt", "morgen", "10:30", Some("Maria"))).await.json();
    assert_eq!(long["available"], false, "{long}");
    let cut = app.call_as(2, "book_appointment", json!({"service": "Pony", "date": "morgen", "time": "10:30", "staff": "Maria", "name": "Lena Kurz"})).await;
    assert_eq!(cut["success"], true, "{cut}");
    let long = app.call_as(3, "book_appointment", json!({"service": "Damenhaarschnitt", "date": "morgen", "time": "10:30", "staff": "Maria", "name": "Eva Lang"})).await;
    assert_eq!(long["success"], false, "{long}");
    // After the colour's second work phase and its cleaning (until 11:40) Maria is free again.
    let after = app.call("check_availability", ask("Damenhaarschnitt", "morgen", "11:45", Some("Maria"))).await.json();
    assert_eq!(after["available"], true, "{after}");
}

#[tokio::test]
async fn a_second_colour_is_refused_while_the_one_colour_place_is_taken() {
    let app = salon().await;
    // Wednesday 2 December, 14:00: Maria colours; Jonas (working from 12) could, but the place is taken.
    let first = app.call_as(1, "book_appointment", json!({"service": "Färben", "date": "2026-12-02", "time": "14:00", "staff": "Maria", "name": "Anna Schmidt"})).await;
    assert_eq!(first["success"], true, "{first}");
    for time in ["14:00", "15:00"] {
        let second = app.call("check_availability", ask("Färben", "2026-12-02", time, Some("Jonas"))).await.json();
        assert_eq!(second["available"], false, "{time}: {second}");
    }
    let refused = app.call_as(2, "book_appointment", json!({"service": "Färben", "date": "2026-12-02", "time": "14:00", "staff": "Jonas", "name": "Karl Weber"})).await;
    assert_eq!(refused["success"], false, "{refused}");
    // Once the first colour is over (15:30), the place is free for Jonas.
    let later = app.call_as(3, "book_appointment", json!({"service": "Färben", "date": "2026-12-02", "time": "15:30", "staff": "Jonas", "name": "Karl Weber"})).await;
    assert_eq!(later["success"], true, "{later}");
}

#[tokio::test]
async fn an_absence_through_the_api_removes_her_slots_at_once_and_lists_her_appointments() {
    let app = salon().await;
    let maria = staff_id(&app, "Maria");
    let booked = app.call_as(1, "book_appointment", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "11:00", "staff": "Maria", "name": "Paul Weber"})).await;
    assert_eq!(booked["success"], true, "{booked}");
    let before = app.call("check_availability", ask("Damenhaarschnitt", "morgen", "10:00", Some("Maria"))).await.json();
    assert_eq!(before["available"], true);

    let (status, entered) = admin(&app, reqwest::Method::POST, &format!("/admin/api/staff/{maria}/absences"), Some(json!({"from": "2026-12-01", "to": "2026-12-02", "reason": "krank"}))).await;
    assert_eq!(status, 201, "{entered}");
    assert_eq!(entered["conflicts"], json!([booked["appointment_id"]]), "{entered}");
    let after = app.call("check_availability", ask("Damenhaarschnitt", "morgen", "10:00", Some("Maria"))).await.json();
    assert_eq!(after["available"], false, "{after}");
    // The listing writes the absence back as entered, in the company's dates.
    let (_, listed) = admin(&app, reqwest::Method::GET, &format!("/admin/api/staff/{maria}/absences"), None).await;
    assert_eq!(listed["absences"][0]["from"], "2026-12-01");
    assert_eq!(listed["absences"][0]["to"], "2026-12-02");
    assert_eq!(listed["absences"][0]["reason"], "krank");
    // Removing it gives her time back.
    let id = entered["id"].as_i64().unwrap();
    let (status, _) = admin(&app, reqwest::Method::DELETE, &format!("/admin/api/absences/{id}"), None).await;
    assert_eq!(status, 200);
    let back = app.call("check_availability", ask("Damenhaarschnitt", "morgen", "10:00", Some("Maria"))).await.json();
    assert_eq!(back["available"], true, "{back}");
}

#[tokio::test]
async fn an_absence_entered_on_one_instance_applies_on_the_other_at_once() {
    let monday = next_weekday_at(Weekday::Mon, 8);
    let Some((a, b)) = crate::helpers::two_instances(None, Some(salon_with_schedules()), monday).await else { return };
    let maria = staff_id(&a, "Maria");
    let wish = ask("Damenhaarschnitt", "morgen", "10:00", Some("Maria"));
    // Both instances have the window in memory.
    assert_eq!(a.call("check_availability", wish.clone()).await.json()["available"], true);
    assert_eq!(b.call("check_availability", wish.clone()).await.json()["available"], true);
    let path = format!("/admin/api/staff/{maria}/absences");
    let (status, entered) = admin_token(&a, &path, json!({"from": "morgen", "to": "morgen"})).await;
    assert_eq!(status, 400, "a date must be a date: {entered}");
    let day = (monday + chrono::Duration::days(1)).with_timezone(&chrono_tz::Europe::Berlin).format("%Y-%m-%d").to_string();
    let (status, entered) = admin_token(&a, &path, json!({"from": format!("{day}T09:00"), "to": format!("{day}T13:00"), "reason": "Arzt"})).await;
    assert_eq!(status, 201, "{entered}");
    // The other instance hears of it through Redis and rebuilds its windows: within moments.
    let mut seen = Value::Null;
    for _ in 0..50 {
        seen = b.call("check_availability", wish.clone()).await.json();
        if seen["available"] == false {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(seen["available"], false, "{seen}");
    // Her afternoon is untouched.
    let afternoon = b.call("check_availability", ask("Damenhaarschnitt", "morgen", "14:00", Some("Maria"))).await.json();
    assert_eq!(afternoon["available"], true, "{afternoon}");
}

async fn admin_token(app: &TestApp, path: &str, body: Value) -> (u16, Value) {
    admin(app, reqwest::Method::POST, path, Some(body)).await
}

#[tokio::test]
async fn an_absence_filters_what_cal_com_still_offers() {
    let sim = tenant_calsim(5, None).await;
    let app = TestApp::builder().calcom(&sim).env("FRONTDESK_ADMIN_TOKEN", ADMIN_TOKEN).spawn().await;
    let maria = staff_id(&app, "Maria");
    let wish = ask("Herrenhaarschnitt", "morgen", "10:00", Some("Maria"));
    assert_eq!(app.call("check_availability", wish.clone()).await.json()["available"], true);
    let (status, _) = admin_token(&app, &format!("/admin/api/staff/{maria}/absences"), json!({"from": "2026-12-01", "to": "2026-12-01"})).await;
    assert_eq!(status, 201);
    // Cal.com still offers her own event type; frontdesk knows better.
    let after = app.call("check_availability", wish).await.json();
    assert_eq!(after["available"], false, "{after}");
    let booked = app.call_as(1, "book_appointment", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:00", "staff": "Maria", "name": "Paul Weber"})).await;
    assert_eq!(booked["success"], false, "{booked}");
    // Jonas is there: the shared event type still offers the time.
    let anyone = app.call("check_availability", ask("Herrenhaarschnitt", "morgen", "10:00", None)).await.json();
    assert_eq!(anyone["available"], true, "{anyone}");
}

#[tokio::test]
async fn working_hours_change_live_and_bad_input_is_refused_with_a_reason() {
    let app = salon().await;
    let jonas = staff_id(&app, "Jonas");
    let path = format!("/admin/api/staff/{jonas}/working_hours");
    let (status, refused) = admin(&app, reqwest::Method::PUT, &path, Some(json!({"working_hours": {"tue": ["09:00-25:00"]}}))).await;
    assert_eq!(status, 400, "{refused}");
    assert!(refused["message"].as_str().unwrap().contains("25:00"), "{refused}");
    let (status, refused) = admin(&app, reqwest::Method::POST, &format!("/admin/api/staff/{jonas}/absences"), Some(json!({"from": "2026-12-18", "to": "2026-12-14"}))).await;
    assert_eq!(status, 400, "{refused}");
    assert!(refused["message"].as_str().unwrap().contains("before it starts"), "{refused}");
    let (_, listed) = admin(&app, reqwest::Method::GET, &format!("/admin/api/staff/{jonas}/absences"), None).await;
    assert_eq!(listed["absences"], json!([]), "nothing stored");

    // Back to the branch's hours: Tuesday 9:00 is his again; a lunch break takes 13:00.
    let (status, set) = admin(&app, reqwest::Method::PUT, &path, Some(json!({"working_hours": null, "breaks": {"tue": ["13:00-13:30"]}}))).await;
    assert_eq!(status, 200, "{set}");
    assert_eq!(set["staff"]["own_working_hours"], false);
    let early = app.call("check_availability", ask("Bartpflege", "morgen", "09:00", Some("Jonas"))).await.json();
    assert_eq!(early["available"], true, "{early}");
    let lunch = app.call("check_availability", ask("Bartpflege", "morgen", "13:15", Some("Jonas"))).await.json();
    assert_eq!(lunch["available"], false, "{lunch}");
    let (_, staff) = admin(&app, reqwest::Method::GET, "/admin/api/staff", None).await;
    let listed = staff["staff"].as_array().unwrap().iter().find(|s| s["id"] == jonas).unwrap().clone();
    assert_eq!(listed["breaks"], json!({"tue": ["13:00-13:30"]}));
}

#[tokio::test]
async fn a_staff_login_sees_and_enters_only_their_own_absences() {
    let app = salon().await;
    add_user(&app.store, "jonas@schnittpunkt.example", "staff", Some("Salon Schnittpunkt"), Some("Jonas")).await;
    add_user(&app.store, "praxis@riverside.example", "owner", Some("Riverside Dental Practice"), None).await;
    let (maria, jonas) = (staff_id(&app, "Maria"), staff_id(&app, "Jonas"));
    let session = login(&app, "jonas@schnittpunkt.example", PASSWORD).await.unwrap();
    let (status, own) = session.api(reqwest::Method::POST, &format!("/admin/api/staff/{jonas}/absences"), Some(json!({"from": "2026-12-05", "to": "2026-12-05", "reason": "Hochzeit"}))).await;
    assert_eq!(status, 201, "{own}");
    let (status, _) = session.api(reqwest::Method::POST, &format!("/admin/api/staff/{maria}/absences"), Some(json!({"from": "2026-12-05", "to": "2026-12-05"}))).await;
    assert_eq!(status, 404);
    let (status, _) = session.api(reqwest::Method::PUT, &format!("/admin/api/staff/{jonas}/working_hours"), Some(json!({"working_hours": null}))).await;
    assert_eq!(status, 403);
    // Another company's owner does not even learn that the absence exists.
    let stranger = login(&app, "praxis@riverside.example", PASSWORD).await.unwrap();
    let (status, _) = stranger.api(reqwest::Method::GET, &format!("/admin/api/staff/{jonas}/absences"), None).await;
    assert_eq!(status, 404);
    let id = own["id"].as_i64().unwrap();
    let (status, _) = stranger.api(reqwest::Method::DELETE, &format!("/admin/api/absences/{id}"), None).await;
    assert_eq!(status, 404);
    let (_, listed) = session.api(reqwest::Method::GET, &format!("/admin/api/staff/{jonas}/absences"), None).await;
    assert_eq!(listed["absences"].as_array().unwrap().len(), 1, "{listed}");
}

#[tokio::test]
async fn what_callers_hear_about_absent_staff_notice_and_processing_time() {
    let app = salon().await; // Monday 30 November 2026, 08:00
    let maria = staff_id(&app, "Maria");
    let (status, _) = admin_token(&app, &format!("/admin/api/staff/{maria}/absences"), json!({"from": "2026-12-01", "to": "2026-12-04", "reason": "Urlaub"})).await;
    assert_eq!(status, 201);
    let away = app.call("check_availability", ask("Herrenhaarschnitt", "morgen", "14:00", Some("Maria"))).await.json();
    assert_eq!(away["reason"], "staff_absent", "{away}");
    insta::assert_json_snapshot!("schedule_staff_away", away);
    let off = app.call("check_availability", ask("Herrenhaarschnitt", "heute", "10:00", Some("Jonas"))).await.json();
    assert_eq!(off["reason"], "staff_not_working", "{off}");
    insta::assert_json_snapshot!("schedule_staff_off", off);
    let booked = app.call_as(1, "book_appointment", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "14:00", "staff": "Maria", "name": "Paul Weber"})).await;
    assert_eq!(booked["error"], "staff_absent", "nothing booked: {booked}");
    let info = app.call("get_service_info", json!({"service": "Färben"})).await.json();
    insta::assert_json_snapshot!("schedule_processing_time", info);
}

#[tokio::test]
async fn a_start_inside_the_notice_says_the_earliest_time() {
    // Monday 12:14: with an hour's notice nothing before 13:15.
    let now = chrono_tz::Europe::Berlin.with_ymd_and_hms(2026, 11, 30, 12, 14, 0).unwrap().with_timezone(&chrono::Utc);
    let app = TestApp::builder().tenants(salon_with_schedules()).at(now).spawn().await;
    let soon = app.call("check_availability", ask("Herrenhaarschnitt", "heute", "12:30", None)).await.json();
    assert_eq!(soon["reason"], "too_soon", "{soon}");
    insta::assert_json_snapshot!("schedule_too_soon", soon);
    let held = app.call("reserve_slot", ask("Herrenhaarschnitt", "heute", "12:45", None)).await.json();
    assert_eq!(held["error"], "too_soon", "{held}");
    let fine = app.call("check_availability", ask("Herrenhaarschnitt", "heute", "13:15", None)).await.json();
    assert_eq!(fine["available"], true, "{fine}");
    // Held at 12:14 for 13:15; the caller confirms at 12:18 (the hold lasts five minutes), when
    // 13:15 lies inside the hour: the hold stands.
    let held = app.call("reserve_slot", ask("Herrenhaarschnitt", "heute", "13:15", None)).await.json();
    assert_eq!(held["success"], true, "{held}");
    app.clock.advance(chrono::Duration::minutes(4));
    let booked = app.call("book_appointment", json!({"service": "Herrenhaarschnitt", "date": "heute", "time": "13:15", "name": "Paul Weber"})).await.json();
    assert_eq!(booked["success"], true, "a held slot is not too soon when the caller confirms: {booked}");
}

#[tokio::test]
async fn schnitt_und_bart_books_two_linked_appointments_that_cancel_together() {
    let app = salon().await; // Monday 08:00; Jonas works Tuesday from 12
    // Maria cuts but does no beards, and Jonas is not in at 9: no one can do both then.
    let early = app.call("check_availability", ask("Schnitt und Bart", "morgen", "09:00", None)).await.json();
    assert_eq!(early["available"], false, "{early}");
    let noon = app.call("check_availability", ask("Schnitt und Bart", "morgen", "12:00", None)).await.json();
    assert_eq!(noon["available"], true, "{noon}");
    assert_eq!(noon["slot"]["staff"], json!(["Jonas"]), "{noon}");
    let args = json!({"service": "Schnitt und Bart", "date": "morgen", "time": "12:00", "name": "Paul Weber"});
    let booked = app.call_as(1, "book_appointment", args.clone()).await;
    assert_eq!(booked["success"], true, "{booked}");
    insta::assert_json_snapshot!("schedule_two_services_booked", booked);
    assert_eq!(booked["linked"].as_array().unwrap().len(), 1, "{booked}");
    // One key covers the whole booking: the retry returns it, nothing new is written.
    let again = app.call_as(1, "book_appointment", args).await;
    assert_eq!(again["appointment_id"], booked["appointment_id"]);
    assert_eq!(again["repeated"], true);
    let tenant = app.branches.iter().find(|b| b.branch.name == "Innenstadt").unwrap();
    let start = booked["start"].as_str().unwrap().parse::<chrono::DateTime<chrono::Utc>>().unwrap();
    let busy = app.store.busy_intervals(tenant.branch.id, start, start + chrono::Duration::hours(1), app.now).await.unwrap();
    assert_eq!(busy.len(), 2, "{busy:?}");
    assert!(busy.iter().all(|b| b.staff_id == Some(staff_id(&app, "Jonas"))));
    assert_eq!(busy[1].starts_at, busy[0].ends_at, "back to back");
    // Jonas is taken for both: a beard at 12:30 is not free any more.
    let beard = app.call("check_availability", ask("Bartpflege", "morgen", "12:30", Some("Jonas"))).await.json();
    assert_eq!(beard["available"], false, "{beard}");
    // Cancelling the appointment cancels both.
    let cancelled = app.call_as(1, "cancel_appointment", json!({"date": "morgen", "time": "12:00"})).await;
    assert_eq!(cancelled["success"], true, "{cancelled}");
    let busy = app.store.busy_intervals(tenant.branch.id, start, start + chrono::Duration::hours(1), app.now).await.unwrap();
    assert!(busy.is_empty(), "both are cancelled: {busy:?}");
    let free = app.call("check_availability", ask("Bartpflege", "morgen", "12:30", Some("Jonas"))).await.json();
    assert_eq!(free["available"], true, "{free}");
}

#[tokio::test]
async fn schnitt_und_bart_is_held_as_one_sequence_and_booked_from_the_hold() {
    let app = salon().await; // Monday 08:00; Jonas works Tuesday from 12
    let held = app.call_as(1, "reserve_slot", ask("Schnitt und Bart", "morgen", "12:00", None)).await;
    assert_eq!(held["success"], true, "{held}");
    insta::assert_json_snapshot!("schedule_two_services_held", held);
    assert_eq!(held["end"], "2026-12-01T12:45:00+01:00", "a 30-minute cut, then a 15-minute beard: {held}");
    // The whole sequence is kept from other callers, the beard after the cut too.
    let beard = json!({"service": "Bartpflege", "date": "morgen", "time": "12:30", "staff": "Jonas", "name": "Karl Weber"});
    let other = app.call_as(2, "reserve_slot", beard.clone()).await;
    assert_eq!(other["error"], "slot_taken", "{other}");
    let other = app.call_as(2, "book_appointment", beard).await;
    assert_eq!(other["error"], "slot_taken", "{other}");
    // The holder books it, both parts, with the hold gone afterwards.
    let args = json!({"service": "Schnitt und Bart", "date": "morgen", "time": "12:00", "name": "Paul Weber"});
    let booked = app.call_as(1, "book_appointment", args).await;
    assert_eq!(booked["success"], true, "{booked}");
    assert_eq!(booked["linked"].as_array().unwrap().len(), 1, "{booked}");
    let company = app.branches.iter().find(|b| b.branch.name == "Innenstadt").unwrap().company.id;
    assert!(app.store.holds(company, "call_booker_1").await.unwrap().is_empty(), "the booking consumed the hold");
    // A single service held afterwards replaces nothing booked and is one part.
    let single = app.call_as(1, "reserve_slot", ask("Bartpflege", "morgen", "13:00", None)).await;
    assert_eq!(single["success"], true, "{single}");
    assert_eq!(app.store.holds(company, "call_booker_1").await.unwrap().len(), 1);
}

#[tokio::test]
async fn on_cal_com_schnitt_und_bart_is_held_and_booked_with_one_request_per_part() {
    let sim = tenant_calsim(5, None).await;
    let app = TestApp::builder().calcom(&sim).spawn().await; // Monday 08:00; tomorrow is Tuesday 1 December
    let services = json!(["Herrenhaarschnitt", "Bartpflege"]);
    let wish = json!({"services": services, "date": "morgen", "time": "10:00", "staff": "Jonas"});
    let held = app.call_as(1, "reserve_slot", wish.clone()).await;
    assert_eq!(held["success"], true, "{held}");
    // Another caller cannot take Jonas's beard at 10:30 while the sequence is held, though
    // Cal.com has not heard of the hold yet.
    let beard = json!({"service": "Bartpflege", "date": "morgen", "time": "10:30", "staff": "Jonas"});
    let other = app.call_as(2, "reserve_slot", beard).await;
    assert_eq!(other["error"], "slot_taken", "{other}");
    let before = calsim_stats(&sim).await;
    let mut args = wish;
    args["name"] = json!("Paul Weber");
    let booked = app.call_as(1, "book_appointment", args).await;
    assert_eq!(booked["success"], true, "{booked}");
    let after = calsim_stats(&sim).await;
    let created = |stats: &Value| stats["requests"]["POST /v2/bookings"].as_u64().unwrap_or(0);
    let total =
        |stats: &Value| stats["requests"].as_object().unwrap().values().map(|v| v.as_u64().unwrap()).sum::<u64>();
    assert_eq!(created(&after) - created(&before), 2, "{after}");
    assert_eq!(total(&after) - total(&before), 2, "booked straight from the hold, nothing asked again: {after}");
}

#[tokio::test]
async fn linked_appointments_move_together() {
    let app = salon().await;
    let booked = app.call_as(1, "book_appointment", json!({"services": ["Herrenhaarschnitt", "Bartpflege"], "date": "morgen", "time": "12:00", "name": "Paul Weber"})).await;
    assert_eq!(booked["success"], true, "{booked}");
    let moved = app.call_as(1, "reschedule_appointment", json!({"date": "morgen", "time": "12:00", "new_date": "morgen", "new_time": "15:00"})).await;
    assert_eq!(moved["success"], true, "{moved}");
    let tenant = app.branches.iter().find(|b| b.branch.name == "Innenstadt").unwrap();
    let day = chrono_tz::Europe::Berlin.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap().with_timezone(&chrono::Utc);
    let busy = app.store.busy_intervals(tenant.branch.id, day, day + chrono::Duration::days(1), app.now).await.unwrap();
    let local: Vec<String> = busy.iter().map(|b| b.starts_at.with_timezone(&chrono_tz::Europe::Berlin).format("%H:%M").to_string()).collect();
    assert_eq!(local, ["15:00", "15:30"], "{busy:?}");
}

#[tokio::test]
async fn an_appointment_in_an_absence_is_reassigned_in_the_console_and_no_longer_needs_attention() {
    let app = salon().await;
    add_user(&app.store, "inhaberin@schnittpunkt.example", "owner", Some("Salon Schnittpunkt"), None).await;
    let booked = app.call_as(1, "book_appointment", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "12:00", "staff": "Maria", "name": "Paul Weber"})).await;
    assert_eq!(booked["success"], true, "{booked}");
    let owner = login(&app, "inhaberin@schnittpunkt.example", PASSWORD).await.unwrap();
    let (status, _) = owner.form("/admin/staff/absences", &[("absence", "Maria krank morgen"), ("branch", "1")], true).await;
    assert_eq!(status, 303);
    let (_, page) = owner.page("/admin/staff").await;
    assert!(page.contains("needs-attention") && page.contains("Paul Weber"), "{page}");
    // The day view offers whoever else does the service; Jonas takes it at the same time.
    let (_, day) = owner.page("/admin/today?day=2026-12-01").await;
    assert!(day.contains("name=\"staff\"") && day.contains(">Jonas</option>"), "{day}");
    let id = booked["appointment_id"].as_i64().unwrap();
    let (status, location) = owner.form(&format!("/admin/appointments/{id}/move"), &[("date", "2026-12-01"), ("time", "12:00"), ("staff", "Jonas")], true).await;
    assert_eq!(status, 303);
    assert!(location.contains("notice=moved"), "{location}");
    let (_, page) = owner.page("/admin/staff").await;
    assert!(!page.contains("needs-attention"), "nothing needs attention any more: {page}");
    let mine = app.call_as(1, "query_appointment", json!({})).await;
    assert_eq!(mine["appointments"][0]["staff"], "Jonas", "{mine}");
    // Someone who does not do the service cannot be chosen.
    let (status, _) = owner.form(&format!("/admin/appointments/{id}/move"), &[("date", "2026-12-01"), ("time", "12:00"), ("staff", "Aylin")], true).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn an_owner_enters_an_absence_for_part_of_a_day_in_one_line() {
    let app = salon().await; // Monday 08:00
    add_user(&app.store, "inhaberin@schnittpunkt.example", "owner", Some("Salon Schnittpunkt"), None).await;
    let owner = login(&app, "inhaberin@schnittpunkt.example", PASSWORD).await.unwrap();
    let (status, location) = owner.form("/admin/staff/absences", &[("absence", "Maria Arzt morgen 14–16 Uhr"), ("branch", "1")], true).await;
    assert_eq!(status, 303);
    assert!(location.contains("entered=1"), "{location}");
    let maria = staff_id(&app, "Maria");
    let (_, listed) = admin(&app, reqwest::Method::GET, &format!("/admin/api/staff/{maria}/absences"), None).await;
    assert_eq!(listed["absences"][0]["from"], "2026-12-01T14:00", "{listed}");
    assert_eq!(listed["absences"][0]["to"], "2026-12-01T16:00", "{listed}");
    assert_eq!(listed["absences"][0]["reason"], "Arzt", "{listed}");
    // Away from 14 to 16 only: the morning and the late afternoon are hers still.
    let away = app.call("check_availability", ask("Damenhaarschnitt", "morgen", "14:30", Some("Maria"))).await.json();
    assert_eq!(away["available"], false, "{away}");
    let morning = app.call("check_availability", ask("Damenhaarschnitt", "morgen", "11:00", Some("Maria"))).await.json();
    assert_eq!(morning["available"], true, "{morning}");
    let later = app.call("check_availability", ask("Damenhaarschnitt", "morgen", "16:00", Some("Maria"))).await.json();
    assert_eq!(later["available"], true, "{later}");
    // One time alone says neither start nor end: refused with the words echoed, nothing stored.
    let (status, location) = owner.form("/admin/staff/absences", &[("absence", "Maria morgen 14 Uhr"), ("branch", "1")], true).await;
    assert_eq!(status, 303);
    assert!(location.contains("error="), "{location}");
    let (_, listed) = admin(&app, reqwest::Method::GET, &format!("/admin/api/staff/{maria}/absences"), None).await;
    assert_eq!(listed["absences"].as_array().unwrap().len(), 1, "{listed}");
}

#[tokio::test]
async fn on_cal_com_two_services_are_two_bookings_and_a_refused_second_undoes_the_first() {
    let sim = tenant_calsim(5, None).await;
    let app = TestApp::builder().calcom(&sim).spawn().await; // Monday 08:00; tomorrow is Tuesday 1 December
    let booked = app
        .call_as(1, "book_appointment", json!({"services": ["Herrenhaarschnitt", "Bartpflege"], "date": "morgen", "time": "10:00", "staff": "Jonas", "name": "Paul Weber"}))
        .await;
    assert_eq!(booked["success"], true, "{booked}");
    assert_eq!(booked["linked"][0]["start"], "2026-12-01T10:30:00+01:00", "{booked}");
    let made = cal_com_bookings(&sim, "status=upcoming").await;
    let accepted: Vec<&Value> = made.as_array().unwrap().iter().filter(|b| b["status"] == "accepted").collect();
    assert_eq!(accepted.len(), 2, "{made}");

    // 14:30 for the beard is taken in Cal.com itself (the window has not heard of it yet): the
    // cut at 14:00 is booked, the beard refused, and the cut cancelled again.
    let beard_start = chrono_tz::Europe::Berlin.with_ymd_and_hms(2026, 12, 1, 14, 30, 0).unwrap().with_timezone(&chrono::Utc);
    calsim_control(&sim, "external-booking", json!({"eventTypeId": 1204, "start": beard_start})).await;
    let refused = app
        .call_as(2, "book_appointment", json!({"services": ["Herrenhaarschnitt", "Bartpflege"], "date": "morgen", "time": "14:00", "staff": "Jonas", "name": "Karl Weber"}))
        .await;
    assert_eq!(refused["success"], false, "{refused}");
    let all = cal_com_bookings(&sim, "").await;
    let karl: Vec<&Value> = all.as_array().unwrap().iter().filter(|b| b["attendees"][0]["name"] == "Karl Weber").collect();
    assert_eq!(karl.len(), 1, "the cut was written before the beard was refused: {all}");
    assert_eq!(karl[0]["status"], "cancelled", "no half booking stays: {karl:?}");
    let tenant = app.branches.iter().find(|b| b.branch.name == "Innenstadt").unwrap();
    let afternoon = beard_start - chrono::Duration::hours(1);
    let rows = app.store.busy_intervals(tenant.branch.id, afternoon, afternoon + chrono::Duration::hours(2), app.now).await.unwrap();
    assert!(rows.is_empty(), "no rows stay either: {rows:?}");
}

#[tokio::test]
async fn an_owner_gives_colouring_its_waiting_time_and_colour_place_in_the_settings() {
    let app = TestApp::spawn().await; // the demo: Färben is 90 minutes of work
    add_user(&app.store, "inhaberin@schnittpunkt.example", "owner", Some("Salon Schnittpunkt"), None).await;
    let owner = login(&app, "inhaberin@schnittpunkt.example", PASSWORD).await.unwrap();
    let (_, page) = owner.page("/admin/settings").await;
    assert!(page.contains("/timing") && page.contains("Ablauf"), "{page}");
    // Phases that do not add up to the 90 minutes are refused with the reason; nothing changes.
    let wrong = [("phases_2", "30 Arbeit, 30 Einwirken"), ("branch_resources", "")];
    let (status, location) = owner.form("/admin/settings/1/timing", &wrong, true).await;
    assert_eq!(status, 422);
    assert!(location.contains("Nicht gespeichert") && location.contains("Die Abschnitte ergeben 60 Minuten, die Leistung dauert aber 90."), "{location}");
    let unknown = [("resources_2", "Farbplatz"), ("branch_resources", "")];
    let (status, location) = owner.form("/admin/settings/1/timing", &unknown, true).await;
    assert_eq!(status, 422, "a resource that does not exist: {location}");
    assert!(location.contains("„Färben“ braucht „Farbplatz“, das es in dieser Filiale nicht gibt"), "{location}");
    let empty = [("branch_resources", "Farbplatz: 0")];
    let (status, location) = owner.form("/admin/settings/1/timing", &empty, true).await;
    assert_eq!(status, 422, "capacity 0: {location}");
    assert!(location.contains("„Farbplatz“: Die Anzahl muss zwischen 1 und 100 liegen, nicht 0."), "capacity 0: {location}");
    let info = app.call("get_service_info", json!({"service": "Färben"})).await.json();
    assert!(info.get("waiting_minutes").is_none(), "{info}");
    let right = [
        ("phases_2", "30 Arbeit, 35 Einwirken, 25 Arbeit"),
        ("after_2", "10"),
        ("resources_2", "Farbplatz"),
        ("branch_resources", "Farbplatz: 1"),
    ];
    let (_, location) = owner.form("/admin/settings/1/timing", &right, true).await;
    assert!(location.contains("saved=1"), "{location}");
    let info = app.call("get_service_info", json!({"service": "Färben"})).await.json();
    assert_eq!(info["waiting_minutes"], 35, "{info}");
    // The wait is free for Maria at once: a Herrenhaarschnitt inside a colour's wait.
    let colour = app.call_as(1, "book_appointment", json!({"service": "Färben", "date": "morgen", "time": "10:00", "staff": "Maria", "name": "Anna Schmidt"})).await;
    assert_eq!(colour["success"], true, "{colour}");
    let cut = app.call("check_availability", ask("Herrenhaarschnitt", "morgen", "10:30", Some("Maria"))).await.json();
    assert_eq!(cut["available"], true, "{cut}");
}
