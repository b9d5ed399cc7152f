//! One appointment in the console (DESIGN §14): its history by whom, the call it came from,
//! restore when its time is free, no-show counted on the customer; bound to the company.

use crate::console::{anna_books_with_jonas, console_app, login, PASSWORD};
use reqwest::Method;
use serde_json::{json, Value};

/// Anna's appointment with Jonas (tomorrow 10:00) as the owner's API lists it.
async fn annas_appointment(owner: &crate::console::Session) -> i64 {
    let (_, listed) = owner.api(Method::GET, "/admin/api/appointments?from=2026-12-01&to=2026-12-01", None).await;
    listed["appointments"][0]["id"].as_i64().expect("Anna's appointment is listed")
}

fn actions(detail: &Value) -> Vec<(String, String)> {
    detail["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["action"].as_str().unwrap().to_string(), h["by"].as_str().unwrap().to_string()))
        .collect()
}

#[tokio::test]
async fn the_history_says_who_booked_moved_cancelled_and_restored_and_links_the_call() {
    let app = console_app().await;
    anna_books_with_jonas(&app).await;
    let owner = login(&app, "inhaberin@schnittpunkt.example", PASSWORD).await.unwrap();
    let id = annas_appointment(&owner).await;
    let path = format!("/admin/api/appointments/{id}");
    let (status, detail) = owner.api(Method::GET, &path, None).await;
    assert_eq!(status, 200, "{detail}");
    assert_eq!(actions(&detail), [("booked".into(), "phone agent".into())]);
    assert!(detail["call"]["retell_call_id"].as_str().is_some_and(|c| !c.is_empty()), "the call that booked it: {detail}");
    // Moved in the console to 13:00, then cancelled there.
    let (status, _) = owner.form(&format!("/admin/appointments/{id}/move"), &[("date", "2026-12-01"), ("time", "13:00")], true).await;
    assert_eq!(status, 303);
    let (status, _) = owner.form(&format!("/admin/appointments/{id}/cancel"), &[], true).await;
    assert_eq!(status, 303);
    let (_, detail) = owner.api(Method::GET, &path, None).await;
    let by = "console:inhaberin@schnittpunkt.example".to_string();
    assert_eq!(
        actions(&detail),
        [("booked".into(), "phone agent".into()), ("moved".into(), by.clone()), ("cancelled".into(), by.clone())]
    );
    assert_eq!(detail["status"], "cancelled", "a cancelled appointment stays readable: {detail}");
    assert_eq!(detail["history"][1]["before"]["start"], "2026-12-01T09:00:00+00:00", "{detail}");
    // Its time is free: restored, booked again, the slot taken again.
    let (status, restored) = owner.api(Method::POST, &format!("{path}/restore"), None).await;
    assert_eq!(status, 200, "{restored}");
    let (_, detail) = owner.api(Method::GET, &path, None).await;
    assert_eq!((detail["status"].as_str(), actions(&detail).last().cloned()), (Some("booked"), Some(("restored".into(), by.clone()))));
    let asked = app.call("check_availability", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "13:00", "staff": "Jonas"})).await.json();
    assert_eq!(asked["available"], false, "the restored appointment holds its time again: {asked}");
    let (status, again) = owner.api(Method::POST, &format!("{path}/restore"), None).await;
    assert_eq!(status, 409, "only a cancelled one is restored: {again}");
    // Cancelled again, and somebody else takes the time: it cannot be restored.
    owner.form(&format!("/admin/appointments/{id}/cancel"), &[], true).await;
    let other = app
        .call_as(7, "book_appointment", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "13:00", "staff": "Jonas", "name": "Bernd Kurz"}))
        .await;
    assert_eq!(other["success"], true, "{other}");
    let (status, refused) = owner.api(Method::POST, &format!("{path}/restore"), None).await;
    assert_eq!((status, refused["error"].as_str()), (409, Some("conflict")), "{refused}");
    let (_, detail) = owner.api(Method::GET, &path, None).await;
    assert_eq!(detail["status"], "cancelled");
    // Another company sees none of it and changes none of it.
    let riverside = login(&app, "owner@riverside.example", PASSWORD).await.unwrap();
    for (method, suffix) in [(Method::GET, ""), (Method::POST, "/restore"), (Method::POST, "/no_show")] {
        let (status, _) = riverside.api(method, &format!("{path}{suffix}"), None).await;
        assert_eq!(status, 404, "{suffix}");
    }
}

#[tokio::test]
async fn a_no_show_is_marked_once_its_time_has_come_and_counted_on_the_customer() {
    let app = console_app().await;
    anna_books_with_jonas(&app).await;
    let owner = login(&app, "inhaberin@schnittpunkt.example", PASSWORD).await.unwrap();
    let id = annas_appointment(&owner).await;
    let path = format!("/admin/api/appointments/{id}/no_show");
    let (status, early) = owner.api(Method::POST, &path, None).await;
    assert_eq!(status, 409, "not before it begins: {early}");
    app.clock.advance(chrono::Duration::hours(26)); // Tuesday 10:00 Berlin: a new day, new sessions
    let owner = login(&app, "inhaberin@schnittpunkt.example", PASSWORD).await.unwrap();
    // Jonas's own appointment: he may mark it; the staff login of another could not see it.
    let jonas = login(&app, "jonas@schnittpunkt.example", PASSWORD).await.unwrap();
    let (status, marked) = jonas.api(Method::POST, &path, None).await;
    assert_eq!(status, 200, "{marked}");
    let (status, _) = owner.api(Method::POST, &path, None).await;
    assert_eq!(status, 409, "marked once");
    let (_, found) = owner.api(Method::GET, "/admin/api/customers?q=1234", None).await;
    assert_eq!(found["customers"][0]["no_shows"], 1, "{found}");
    let (_, detail) = owner.api(Method::GET, &format!("/admin/api/appointments/{id}"), None).await;
    assert_eq!(detail["status"], "no_show");
    // a no-show is no longer live: it is not moved or cancelled over
    let (status, _) = owner.form(&format!("/admin/appointments/{id}/move"), &[("date", "2026-12-03"), ("time", "10:00")], true).await;
    assert_eq!(status, 404);
    assert_eq!(actions(&detail).last().cloned(), Some(("no_show".into(), "console:jonas@schnittpunkt.example".into())));
}

#[tokio::test]
async fn the_pages_show_the_history_in_words_and_restore_and_erase_from_forms() {
    let app = console_app().await;
    anna_books_with_jonas(&app).await;
    let owner = login(&app, "inhaberin@schnittpunkt.example", PASSWORD).await.unwrap();
    let id = annas_appointment(&owner).await;
    // The day's card links to the appointment and asks before cancelling whose and when.
    let (_, day) = owner.page("/admin/today?day=2026-12-01").await;
    assert!(day.contains(&format!("href=\"/admin/appointments/{id}\"")), "{day}");
    assert!(day.contains("data-confirm=\"Termin stornieren von Anna Schmidt, 01.12.2026 10:00 (Herrenhaarschnitt)?\""), "{day}");
    owner.form(&format!("/admin/appointments/{id}/cancel"), &[], true).await;
    let (status, page) = owner.page(&format!("/admin/appointments/{id}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Storniert") && page.contains("vom Telefonagenten") && page.contains("von inhaberin@schnittpunkt.example"), "{page}");
    assert!(page.contains("Aus dem Anruf vom") && page.contains(&format!("/admin/appointments/{id}/restore")), "{page}");
    let (status, location) = owner.form(&format!("/admin/appointments/{id}/restore"), &[], true).await;
    assert_eq!((status, location), (303, format!("/admin/appointments/{id}?done=restored")));
    let (_, page) = owner.page(&format!("/admin/appointments/{id}?done=restored")).await;
    assert!(page.contains("Der Termin ist wieder gebucht.") && page.contains("wiederhergestellt"), "{page}");
    // The profile lists the call and offers the owner export, merge and erase; staff see none of it.
    let (_, found) = owner.api(Method::GET, "/admin/api/customers?q=1234", None).await;
    let customer = found["customers"][0]["id"].as_i64().unwrap();
    let (_, profile) = owner.page(&format!("/admin/customers/{customer}")).await;
    assert!(profile.contains(&format!("/admin/api/customers/{customer}/export")) && profile.contains("Daten löschen (DSGVO)"), "{profile}");
    assert!(profile.contains("gebucht"), "the call and what came of it: {profile}");
    let jonas = login(&app, "jonas@schnittpunkt.example", PASSWORD).await.unwrap();
    let (_, theirs) = jonas.page(&format!("/admin/customers/{customer}")).await;
    assert!(!theirs.contains("DSGVO"), "{theirs}");
    let (status, location) = owner.form(&format!("/admin/customers/{customer}/erase"), &[], true).await;
    assert_eq!((status, location.as_str()), (303, "/admin/customers?erased=1"));
    let (status, _) = owner.page(&format!("/admin/customers/{customer}")).await;
    assert_eq!(status, 404);
    let (_, page) = owner.page(&format!("/admin/appointments/{id}")).await;
    assert!(!page.contains("Anna Schmidt"), "{page}");
}

#[tokio::test]
async fn a_move_in_the_console_can_change_the_service_and_the_history_keeps_the_old_one() {
    let app = console_app().await;
    anna_books_with_jonas(&app).await; // Herrenhaarschnitt, tomorrow 10:00 with Jonas
    let owner = login(&app, "inhaberin@schnittpunkt.example", PASSWORD).await.unwrap();
    let id = annas_appointment(&owner).await;
    let salon = app.branches.iter().find(|b| b.branch.name == "Innenstadt").unwrap();
    let beard = salon.branch.services.iter().find(|s| s.name == "Bartpflege").unwrap().id.0.to_string();
    let (_, day) = owner.page("/admin/today?day=2026-12-01").await;
    assert!(day.contains(&format!("<option value=\"{beard}\">Bartpflege</option>")), "the move form offers the services: {day}");
    let (status, location) = owner.form(&format!("/admin/appointments/{id}/move"), &[("date", "2026-12-01"), ("time", "15:00"), ("service", &beard)], true).await;
    assert_eq!((status, location.as_str()), (303, "/admin/today?day=2026-12-01&notice=moved"));
    let (_, detail) = owner.api(Method::GET, &format!("/admin/api/appointments/{id}"), None).await;
    assert_eq!((detail["service"].as_str(), detail["start"].as_str()), (Some("Bartpflege"), Some("2026-12-01T14:00:00Z")), "{detail}");
    assert_eq!(detail["history"][1]["before"]["service"], "Herrenhaarschnitt", "{detail}");
    // Maria does no beard care: she cannot take it as one
    let (status, _) = owner.form(&format!("/admin/appointments/{id}/move"), &[("date", "2026-12-01"), ("time", "16:00"), ("staff", "Maria")], true).await;
    assert_eq!(status, 404);
    // a service of another branch is not this appointment's to take
    let (status, _) = owner.form(&format!("/admin/appointments/{id}/move"), &[("date", "2026-12-01"), ("time", "16:00"), ("service", "99999")], true).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn on_cal_com_a_service_change_books_the_new_event_type_and_cancels_the_old_booking() {
    let sim = crate::helpers::tenant_calsim(0, None).await;
    let app = crate::helpers::TestApp::builder().calcom(&sim).env("FRONTDESK_ADMIN_TOKEN", crate::console::ADMIN_TOKEN).spawn().await;
    crate::console::add_user(&app.store, "inhaberin@schnittpunkt.example", "owner", Some("Salon Schnittpunkt"), None).await;
    anna_books_with_jonas(&app).await;
    let owner = login(&app, "inhaberin@schnittpunkt.example", PASSWORD).await.unwrap();
    let id = annas_appointment(&owner).await;
    let salon = app.branches.iter().find(|b| b.branch.name == "Innenstadt").unwrap();
    let beard = salon.branch.services.iter().find(|s| s.name == "Bartpflege").unwrap();
    let (_, before) = owner.api(Method::GET, &format!("/admin/api/appointments/{id}"), None).await;
    let accepted = || sim.sim.bookings(|b| b.status == "accepted");
    let old = accepted();
    assert_eq!(old.len(), 1, "{old:?}");
    let (status, location) =
        owner.form(&format!("/admin/appointments/{id}/move"), &[("date", "2026-12-01"), ("time", "15:00"), ("service", &beard.id.0.to_string())], true).await;
    assert_eq!((status, location.as_str()), (303, "/admin/today?day=2026-12-01&notice=moved"));
    // Cal.com: the old booking cancelled, one new booking of the beard care's event type at 15:00
    let now = accepted();
    assert_eq!(now.len(), 1, "{now:?}");
    assert_ne!(now[0].uid, old[0].uid);
    assert_ne!(now[0].event_type_id, old[0].event_type_id);
    assert_eq!(now[0].start.to_rfc3339(), "2026-12-01T14:00:00+00:00");
    assert_eq!(sim.sim.booking(&old[0].uid).unwrap().status, "cancelled");
    // here: the same appointment, now beard care, pointing at the new booking
    let (_, detail) = owner.api(Method::GET, &format!("/admin/api/appointments/{id}"), None).await;
    assert_eq!((detail["service"].as_str(), detail["start"].as_str(), detail["status"].as_str()), (Some("Bartpflege"), Some("2026-12-01T14:00:00Z"), Some("booked")), "{detail}");
    assert_eq!(detail["history"].as_array().unwrap().len(), before["history"].as_array().unwrap().len() + 1, "{detail}");
}
