//! Customers in the console (DESIGN §14): found by name or any digits of the number, a profile
//! with appointments and notes, bound to the company and, for staff, to their own appointments.

use frontdesk::clock::Clock;
use crate::console::{anna_books_with_jonas, console_app, login, PASSWORD};
use serde_json::json;

#[tokio::test]
async fn an_owner_finds_a_caller_by_digits_or_name_and_keeps_notes() {
    let app = console_app().await;
    anna_books_with_jonas(&app).await; // +49 176 12345678, tomorrow 10:00 with Jonas
    let booked = app.call_as(3, "book_appointment", json!({"service": "Damenhaarschnitt", "date": "morgen", "time": "11:00", "staff": "Maria", "name": "Clara Becker"})).await;
    assert_eq!(booked["success"], true, "{booked}");
    let owner = login(&app, "inhaberin@schnittpunkt.example", PASSWORD).await.unwrap();
    let get = reqwest::Method::GET;
    // Any digits of the number, or the national form, find her; so does part of the name.
    for q in ["1234", "0176 1234", "%2B49176", "schmi", "Anna"] {
        let (status, found) = owner.api(get.clone(), &format!("/admin/api/customers?q={q}"), None).await;
        assert_eq!(status, 200, "{found}");
        let names: Vec<&str> = found["customers"].as_array().unwrap().iter().filter_map(|c| c["name"].as_str()).collect();
        assert_eq!(names, ["Anna Schmidt"], "{q}: {found}");
    }
    let (_, found) = owner.api(get.clone(), "/admin/api/customers?q=1234", None).await;
    let anna = &found["customers"][0];
    assert_eq!((anna["phone"].as_str(), anna["upcoming"].as_i64()), (Some("+4917612345678"), Some(1)), "{anna}");
    // A search that says nothing lists nobody; a percent sign is a percent sign.
    for q in ["", "12", "%25"] {
        let (_, found) = owner.api(get.clone(), &format!("/admin/api/customers?q={q}"), None).await;
        assert!(found["customers"].as_array().unwrap().is_empty(), "{q}: {found}");
    }
    // The profile: her appointment and the notes, the newest first.
    let id = anna["id"].as_i64().unwrap();
    let path = format!("/admin/api/customers/{id}/notes");
    let (status, added) = owner.api(reqwest::Method::POST, &path, Some(json!({"text": "möchte nur zu Jonas"}))).await;
    assert_eq!(status, 201, "{added}");
    let (status, refused) = owner.api(reqwest::Method::POST, &path, Some(json!({"text": "x".repeat(501)}))).await;
    assert_eq!(status, 400, "a note is bounded: {refused}");
    let (_, profile) = owner.api(get.clone(), &format!("/admin/api/customers/{id}"), None).await;
    assert_eq!(profile["appointments"].as_array().unwrap().len(), 1, "{profile}");
    assert_eq!(profile["appointments"][0]["staff"], "Jonas");
    assert_eq!(profile["notes"][0]["text"], "möchte nur zu Jonas", "{profile}");
    assert_eq!(profile["notes"][0]["by"], "inhaberin@schnittpunkt.example");
    // The pages show the same.
    let (_, page) = owner.page("/admin/customers?q=1234").await;
    assert!(page.contains("Anna Schmidt") && page.contains(&format!("/admin/customers/{id}")), "{page}");
    let (status, _) = owner.form(&format!("/admin/customers/{id}/notes"), &[("text", "allergisch gegen Duftstoffe")], true).await;
    assert_eq!(status, 303);
    let (_, page) = owner.page(&format!("/admin/customers/{id}")).await;
    assert!(page.contains("allergisch gegen Duftstoffe") && page.contains("möchte nur zu Jonas") && page.contains("Herrenhaarschnitt"), "{page}");
}

#[tokio::test]
async fn another_company_never_sees_a_customer_and_staff_see_their_own_appointments() {
    let app = console_app().await;
    anna_books_with_jonas(&app).await;
    let maria = app.call("book_appointment", json!({"service": "Damenhaarschnitt", "date": "morgen", "time": "14:00", "staff": "Maria", "name": "Anna Schmidt"})).await.json();
    assert_eq!(maria["success"], true, "{maria}");
    let owner = login(&app, "inhaberin@schnittpunkt.example", PASSWORD).await.unwrap();
    let (_, found) = owner.api(reqwest::Method::GET, "/admin/api/customers?q=1234", None).await;
    let id = found["customers"][0]["id"].as_i64().unwrap();
    let other = login(&app, "owner@riverside.example", PASSWORD).await.unwrap();
    let (_, theirs) = other.api(reqwest::Method::GET, "/admin/api/customers?q=1234", None).await;
    assert!(theirs["customers"].as_array().unwrap().is_empty(), "{theirs}");
    let (status, _) = other.api(reqwest::Method::GET, &format!("/admin/api/customers/{id}"), None).await;
    assert_eq!(status, 404);
    let (status, _) = other.api(reqwest::Method::POST, &format!("/admin/api/customers/{id}/notes"), Some(json!({"text": "fremd"}))).await;
    assert_eq!(status, 404, "no note on another company's customer");
    let (status, _) = other.page(&format!("/admin/customers/{id}")).await;
    assert_eq!(status, 404);
    // Jonas sees Anna's appointment with him, not the one with Maria.
    let jonas = login(&app, "jonas@schnittpunkt.example", PASSWORD).await.unwrap();
    let (_, profile) = jonas.api(reqwest::Method::GET, &format!("/admin/api/customers/{id}"), None).await;
    let staff: Vec<&str> = profile["appointments"].as_array().unwrap().iter().filter_map(|a| a["staff"].as_str()).collect();
    assert_eq!(staff, ["Jonas"], "{profile}");
    let (_, profile) = owner.api(reqwest::Method::GET, &format!("/admin/api/customers/{id}"), None).await;
    assert_eq!(profile["appointments"].as_array().unwrap().len(), 2, "{profile}");
}

/// Every text column of every table that holds `needle` (SQLite), as `table.column`.
async fn text_holding(store: &frontdesk::store::Store, needle: &str) -> Vec<String> {
    let frontdesk::store::Store::Sqlite(pool) = store else { panic!("the console tests run on SQLite") };
    let tables: Vec<String> = sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .fetch_all(pool)
        .await
        .unwrap();
    let mut found = Vec::new();
    for table in tables {
        let columns: Vec<(i64, String, String, i64, Option<String>, i64)> =
            sqlx::query_as(&format!("PRAGMA table_info({table})")).fetch_all(pool).await.unwrap();
        for (_, column, kind, ..) in columns.into_iter().filter(|c| c.2.eq_ignore_ascii_case("TEXT")) {
            let sql = format!("SELECT COUNT(*) FROM {table} WHERE instr(lower({column}), lower($1)) > 0");
            let hits: i64 = sqlx::query_scalar(&sql).bind(needle).fetch_one(pool).await.unwrap();
            if hits > 0 {
                found.push(format!("{table}.{column} ({kind})"));
            }
        }
    }
    found
}

/// Anna, known with all a business stores: an appointment with a note and her e-mail, a note of
/// the owner's, a callback she asked for, and a call with Retell's analysis. Her customer id.
async fn anna_with_everything(app: &crate::helpers::TestApp, owner: &crate::console::Session) -> i64 {
    let booked = app
        .call("book_appointment", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:00", "name": "Anna Schmidt",
            "staff": "Jonas", "email": "anna.schmidt@example.org", "notes": "Anna Schmidt bringt ihre Tochter mit"}))
        .await
        .json();
    assert_eq!(booked["success"], true, "{booked}");
    let asked = app.call("request_callback", json!({"name": "Anna Schmidt", "reason": "Frage zu Farbe", "preferred_time": "nachmittags"})).await.json();
    assert_eq!(asked["success"], true, "{asked}");
    let event = serde_json::to_vec(&json!({"event": "call_analyzed", "call": {
        "call_id": app.call_id, "agent_id": "agent_test", "from_number": crate::helpers::CALLER, "to_number": crate::helpers::SALON,
        "direction": "inbound", "duration_ms": 95000, "recording_url": "https://recordings.example/anna.wav",
        "call_analysis": {"call_summary": "Anna Schmidt bucht einen Herrenhaarschnitt.", "user_sentiment": "Positive"}
    }}))
    .unwrap();
    assert_eq!(app.post("/retell/webhook", event.clone(), Some(app.sign(&event))).await.status, 204);
    let (_, found) = owner.api(reqwest::Method::GET, "/admin/api/customers?q=1234", None).await;
    let id = found["customers"][0]["id"].as_i64().unwrap();
    let (status, _) = owner.api(reqwest::Method::POST, &format!("/admin/api/customers/{id}/notes"), Some(json!({"text": "Anna Schmidt: allergisch gegen Duftstoffe"}))).await;
    assert_eq!(status, 201);
    id
}

#[tokio::test]
async fn the_export_holds_everything_about_a_person_and_erase_leaves_no_trace_of_them() {
    let app = console_app().await;
    let owner = login(&app, "inhaberin@schnittpunkt.example", PASSWORD).await.unwrap();
    let id = anna_with_everything(&app, &owner).await;
    let export = format!("/admin/api/customers/{id}/export");
    // The analysis arrives in the background.
    let mut record = json!(null);
    for _ in 0..50 {
        record = owner.api(reqwest::Method::GET, &export, None).await.1;
        if record["calls"][0]["summary"].is_string() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(record["customer"]["name"], "Anna Schmidt", "{record}");
    assert_eq!((record["customer"]["phone"].as_str(), record["customer"]["email"].as_str()), (Some("+4917612345678"), Some("anna.schmidt@example.org")));
    assert_eq!(record["appointments"].as_array().unwrap().len(), 1, "{record}");
    assert_eq!(record["notes"][0]["text"], "Anna Schmidt: allergisch gegen Duftstoffe");
    assert_eq!(record["calls"][0]["summary"], "Anna Schmidt bucht einen Herrenhaarschnitt.", "{record}");
    assert_eq!(record["calls"][0]["recording_url"], "https://recordings.example/anna.wav");
    assert_eq!(record["callbacks"][0]["reason"], "Frage zu Farbe", "{record}");
    // Another caller, Tim, with notices of his own: erasing Anna leaves them alone.
    let tim = app.call_as(5, "book_appointment", json!({"service": "Damenhaarschnitt", "date": "morgen", "time": "15:00", "staff": "Maria",
        "name": "Tim", "email": "tim@example.org"})).await;
    assert_eq!(tim["success"], true, "{tim}");
    let tims_before = text_holding(&app.store, "tim@example.org").await;
    assert!(tims_before.iter().any(|c| c.starts_with("outbox.")), "{tims_before:?}");
    // Before: she is in several tables. Staff and other companies cannot erase her.
    assert!(!text_holding(&app.store, "+4917612345678").await.is_empty());
    let jonas = login(&app, "jonas@schnittpunkt.example", PASSWORD).await.unwrap();
    let (status, _) = jonas.api(reqwest::Method::POST, &format!("/admin/api/customers/{id}/erase"), None).await;
    assert_eq!(status, 403);
    let (status, _) = jonas.api(reqwest::Method::GET, &export, None).await;
    assert_eq!(status, 403);
    let riverside = login(&app, "owner@riverside.example", PASSWORD).await.unwrap();
    let (status, _) = riverside.api(reqwest::Method::POST, &format!("/admin/api/customers/{id}/erase"), None).await;
    assert_eq!(status, 404);
    let (status, erased) = owner.api(reqwest::Method::POST, &format!("/admin/api/customers/{id}/erase"), None).await;
    assert_eq!(status, 200, "{erased}");
    // After: not her name, number (in any form stored) or e-mail in any text column of any table.
    for needle in ["Anna Schmidt", "+4917612345678", "17612345678", "anna.schmidt@example.org", "Duftstoffe", "Tochter", "anna.wav"] {
        assert_eq!(text_holding(&app.store, needle).await, Vec::<String>::new(), "{needle} is still stored");
    }
    assert_eq!(text_holding(&app.store, "tim@example.org").await, tims_before, "nobody else's data goes with hers");
    // The appointment stays for the books, without her.
    let (_, listed) = owner.api(reqwest::Method::GET, "/admin/api/appointments?from=2026-12-01&to=2026-12-01", None).await;
    let annas: Vec<&serde_json::Value> = listed["appointments"].as_array().unwrap().iter().filter(|a| a["service"] == "Herrenhaarschnitt").collect();
    assert_eq!(annas.len(), 1, "{listed}");
    assert!(annas[0]["customer_name"].is_null(), "{listed}");
    let (status, _) = owner.api(reqwest::Method::GET, &format!("/admin/api/customers/{id}"), None).await;
    assert_eq!(status, 404);
    // Erasing "Tim" — a name inside every notice's "timezone" — takes no one else's notices.
    let bernd = app.call_as(6, "book_appointment", json!({"service": "Damenhaarschnitt", "date": "morgen", "time": "16:00", "staff": "Maria",
        "name": "Bernd Kurz", "email": "bernd@example.org"})).await;
    assert_eq!(bernd["success"], true, "{bernd}");
    let bernds = text_holding(&app.store, "bernd@example.org").await;
    let (_, found) = owner.api(reqwest::Method::GET, "/admin/api/customers?q=Tim", None).await;
    let tim = found["customers"][0]["id"].as_i64().unwrap();
    let (status, _) = owner.api(reqwest::Method::POST, &format!("/admin/api/customers/{tim}/erase"), None).await;
    assert_eq!(status, 200);
    assert_eq!(text_holding(&app.store, "bernd@example.org").await, bernds, "Bernd's notices stay");
    assert_eq!(text_holding(&app.store, "tim@example.org").await, Vec::<String>::new());
}

#[tokio::test]
async fn a_duplicate_is_merged_into_the_customer_who_stays() {
    let app = console_app().await;
    let owner = login(&app, "inhaberin@schnittpunkt.example", PASSWORD).await.unwrap();
    anna_books_with_jonas(&app).await; // +49 176 12345678
    let other = app.call_as(4, "book_appointment", json!({"service": "Damenhaarschnitt", "date": "morgen", "time": "14:00", "staff": "Maria", "name": "Anna Schmidt"})).await;
    assert_eq!(other["success"], true, "{other}");
    let (_, found) = owner.api(reqwest::Method::GET, "/admin/api/customers?q=Anna", None).await;
    let ids: Vec<i64> = found["customers"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect();
    assert_eq!(ids.len(), 2, "two records of one person: {found}");
    let (keep, duplicate) = (ids[0], ids[1]);
    let (status, _) = owner.api(reqwest::Method::POST, &format!("/admin/api/customers/{duplicate}/merge"), Some(json!({"into": duplicate}))).await;
    assert_eq!(status, 400, "not into itself");
    let riverside = login(&app, "owner@riverside.example", PASSWORD).await.unwrap();
    let (status, _) = riverside.api(reqwest::Method::POST, &format!("/admin/api/customers/{duplicate}/merge"), Some(json!({"into": keep}))).await;
    assert_eq!(status, 404);
    let (status, merged) = owner.api(reqwest::Method::POST, &format!("/admin/api/customers/{duplicate}/merge"), Some(json!({"into": keep}))).await;
    assert_eq!(status, 200, "{merged}");
    let (_, profile) = owner.api(reqwest::Method::GET, &format!("/admin/api/customers/{keep}"), None).await;
    assert_eq!(profile["appointments"].as_array().unwrap().len(), 2, "both appointments: {profile}");
    let note = profile["notes"][0]["text"].as_str().unwrap();
    assert!(note.starts_with("merged: +49151000"), "the other number is kept: {profile}");
    let (status, _) = owner.api(reqwest::Method::GET, &format!("/admin/api/customers/{duplicate}"), None).await;
    assert_eq!(status, 404);
    // The other number's calls are hers now: in her export, and gone with her erasure.
    let other_number = note.trim_start_matches("merged: ").split(' ').next().unwrap().to_string();
    let (_, record) = owner.api(reqwest::Method::GET, &format!("/admin/api/customers/{keep}/export"), None).await;
    let numbers: Vec<&str> = record["calls"].as_array().unwrap().iter().filter_map(|c| c["from_number"].as_str()).collect();
    assert!(numbers.contains(&other_number.as_str()), "{record}");
    assert!(!text_holding(&app.store, &other_number).await.is_empty());
    let (status, _) = owner.api(reqwest::Method::POST, &format!("/admin/api/customers/{keep}/erase"), None).await;
    assert_eq!(status, 200);
    assert_eq!(text_holding(&app.store, &other_number).await, Vec::<String>::new(), "the merged number is erased with her");
}

#[tokio::test]
async fn call_data_older_than_the_retention_period_goes_and_the_appointments_stay() {
    let app = console_app().await;
    anna_books_with_jonas(&app).await;
    let owner = login(&app, "inhaberin@schnittpunkt.example", PASSWORD).await.unwrap();
    let (_, before) = owner.api(reqwest::Method::GET, "/admin/api/appointments?from=2026-12-01&to=2026-12-01", None).await;
    let id = before["appointments"][0]["id"].as_i64().unwrap();
    assert!(owner.api(reqwest::Method::GET, &format!("/admin/api/appointments/{id}"), None).await.1["call"].is_object());
    // 89 days on, nothing goes; 91 days on, the call goes and the appointment forgets it.
    let now = app.clock.now();
    assert_eq!(frontdesk::retention::run_once(&app.store, now + chrono::Duration::days(89), 90).await.unwrap(), 0);
    assert_eq!(frontdesk::retention::run_once(&app.store, now + chrono::Duration::days(91), 90).await.unwrap(), 1);
    let (status, detail) = owner.api(reqwest::Method::GET, &format!("/admin/api/appointments/{id}"), None).await;
    assert_eq!((status, detail["status"].as_str()), (200, Some("booked")), "{detail}");
    assert!(detail["call"].is_null(), "{detail}");
    let left = text_holding(&app.store, &app.call_id).await;
    assert!(left.iter().all(|c| !c.starts_with("calls.")), "the call row is gone: {left:?}");
}
