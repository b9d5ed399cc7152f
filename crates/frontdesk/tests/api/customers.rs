//! Customers in the console (DESIGN §14): found by name or any digits of the number, a profile
//! with appointments and notes, bound to the company and, for staff, to their own appointments.

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
