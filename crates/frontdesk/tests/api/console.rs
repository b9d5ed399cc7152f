//! The operator console over HTTP: logins, sessions, CSRF, throttling, pages, the JSON API, tenant
//! isolation, settings applied at once, and reloads reaching every instance.

use crate::helpers::*;
use frontdesk::store::Store;
use reqwest::redirect::Policy;
use serde_json::{json, Value};

/// The admin token tests configure.
pub const ADMIN_TOKEN: &str = "admin-token-0123456789";
/// Every test login's password.
pub const PASSWORD: &str = "ein langes Passwort";

/// A browser without a cookie jar: the tests see every cookie and redirect.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder().redirect(Policy::none()).build().unwrap()
}

/// A signed-in console session.
pub struct Session {
    pub cookie: String,
    pub csrf: String,
    pub http: reqwest::Client,
    base: String,
}

/// The first `name="csrf" value="…"` of a page.
pub fn csrf_of(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").expect("a form with a CSRF field") + "name=\"csrf\" value=\"".len();
    html[at..].split('"').next().unwrap().to_string()
}

fn cookie_value(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap().to_string())
}

/// Creates a login in the app's database.
pub async fn add_user(store: &Store, email: &str, role: &str, company: Option<&str>, staff: Option<&str>) {
    frontdesk::operators::add_user(store, email, role, company, staff, "de", &format!("{PASSWORD}\n")).await.unwrap();
}

/// Submits the login form as a browser would; `Err((status, body))` when refused.
pub async fn login(app: &TestApp, email: &str, password: &str) -> Result<Session, (u16, String)> {
    let http = browser();
    let form = http.get(format!("{}/admin/login", app.address)).send().await.unwrap();
    let login_cookie = cookie_value(&form, "frontdesk_login").expect("the login form sets its CSRF cookie");
    let token = csrf_of(&form.text().await.unwrap());
    let answer = http
        .post(format!("{}/admin/login", app.address))
        .header("cookie", login_cookie)
        .form(&[("email", email), ("password", password), ("csrf", &token)])
        .send()
        .await
        .unwrap();
    if answer.status() != 303 {
        return Err((answer.status().as_u16(), answer.text().await.unwrap()));
    }
    let cookie = cookie_value(&answer, "frontdesk_session").expect("a session cookie");
    let raw = answer.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect::<Vec<_>>();
    let session = raw.iter().find(|c| c.starts_with("frontdesk_session=")).unwrap();
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/admin"] {
        assert!(session.contains(attribute), "{session}");
    }
    let mut session = Session { cookie, csrf: String::new(), http, base: app.address.clone() };
    session.csrf = csrf_of(&session.page("/admin/today").await.1);
    Ok(session)
}

impl Session {
    /// GETs a console page: (status, body).
    pub async fn page(&self, path: &str) -> (u16, String) {
        let answer = self.http.get(format!("{}{path}", self.base)).header("cookie", &self.cookie).send().await.unwrap();
        (answer.status().as_u16(), answer.text().await.unwrap())
    }

    /// POSTs a form (the CSRF token added unless `with_csrf` is false): (status, location or body).
    pub async fn form(&self, path: &str, fields: &[(&str, &str)], with_csrf: bool) -> (u16, String) {
        let mut fields: Vec<(&str, &str)> = fields.to_vec();
        if with_csrf {
            fields.push(("csrf", &self.csrf));
        }
        let answer =
            self.http.post(format!("{}{path}", self.base)).header("cookie", &self.cookie).form(&fields).send().await.unwrap();
        let status = answer.status().as_u16();
        let location = answer.headers().get("location").map(|v| v.to_str().unwrap().to_string());
        (status, location.unwrap_or(answer.text().await.unwrap()))
    }

    /// Calls the JSON API with the session cookie (and the CSRF header on writes).
    pub async fn api(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut request = self.http.request(method.clone(), format!("{}{path}", self.base)).header("cookie", &self.cookie);
        if method != reqwest::Method::GET {
            request = request.header("x-csrf-token", &self.csrf);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let answer = request.send().await.unwrap();
        (answer.status().as_u16(), answer.json().await.unwrap())
    }
}

/// Calls the JSON API with a bearer token (or none).
pub async fn api(app: &TestApp, method: reqwest::Method, path: &str, token: Option<&str>) -> (u16, String, Value) {
    let mut request = browser().request(method, format!("{}{path}", app.address));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let answer = request.send().await.unwrap();
    let status = answer.status().as_u16();
    let kind = answer.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    let text = answer.text().await.unwrap();
    (status, kind, serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}")))
}

/// The demo with an admin token; owners of both companies and an admin.
pub async fn console_app() -> TestApp {
    let app = TestApp::builder().env("FRONTDESK_ADMIN_TOKEN", ADMIN_TOKEN).spawn().await;
    add_user(&app.store, "inhaberin@schnittpunkt.example", "owner", Some("Salon Schnittpunkt"), None).await;
    add_user(&app.store, "owner@riverside.example", "owner", Some("Riverside Dental Practice"), None).await;
    add_user(&app.store, "admin@frontdesk.example", "admin", None, None).await;
    add_user(&app.store, "jonas@schnittpunkt.example", "staff", Some("Salon Schnittpunkt"), Some("Jonas")).await;
    app
}

/// Anna Schmidt books a men's haircut with Jonas tomorrow at 10:00 in a signed call.
pub async fn anna_books_with_jonas(app: &TestApp) {
    let booked = app
        .call("book_appointment", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:00", "name": "Anna Schmidt", "staff": "Jonas"}))
        .await
        .json();
    assert_eq!(booked["success"], true, "{booked}");
}

#[tokio::test]
async fn an_owner_sees_the_booking_a_signed_call_just_made_and_the_other_company_does_not() {
    let app = console_app().await;
    anna_books_with_jonas(&app).await;
    let owner = login(&app, "Inhaberin@Schnittpunkt.example", PASSWORD).await.unwrap();
    let (status, day) = owner.page("/admin/today?day=2026-12-01").await;
    assert_eq!(status, 200);
    assert!(day.contains("Anna Schmidt") && day.contains("Herrenhaarschnitt") && day.contains("Jonas"), "{day}");
    assert!(day.contains("Telefonagent"), "the source is shown");
    // The number is masked until clicked: in full only inside the disclosure.
    let masked = frontdesk::domain::mask_phone(CALLER);
    assert!(day.contains(&format!("<summary>{masked}</summary>")) && !day.contains(&format!(">{CALLER}<summary")), "{day}");
    let (_, week) = owner.page("/admin/week?start=2026-11-30").await;
    assert!(week.contains("Anna Schmidt"), "{week}");
    let (status, listed) = owner.api(reqwest::Method::GET, "/admin/api/appointments?from=2026-12-01&to=2026-12-01", None).await;
    assert_eq!(status, 200);
    let list = listed["appointments"].as_array().unwrap();
    assert_eq!(list.len(), 1, "{listed}");
    assert_eq!(list[0]["customer_name"], "Anna Schmidt");
    assert_eq!(list[0]["company"], "Salon Schnittpunkt");
    assert_eq!(list[0]["start"], "2026-12-01T09:00:00Z");
    let id = list[0]["id"].as_i64().unwrap();

    // The dental practice's owner sees none of it, and cannot cancel it.
    let other = login(&app, "owner@riverside.example", PASSWORD).await.unwrap();
    let (_, day) = other.page("/admin/today?day=2026-12-01").await;
    assert!(!day.contains("Anna Schmidt"), "{day}");
    let (_, listed) = other.api(reqwest::Method::GET, "/admin/api/appointments?from=2026-12-01&to=2026-12-01", None).await;
    assert_eq!(listed["appointments"], json!([]));
    let (status, _) = other.form(&format!("/admin/appointments/{id}/cancel"), &[], true).await;
    assert_eq!(status, 404);
    let (status, _) = other.page("/admin/settings/1/hours").await;
    assert!(status == 404 || status == 405, "{status}");

    // The owner cancels it through the booker: the slot is free again for callers.
    let (status, location) = owner.form(&format!("/admin/appointments/{id}/cancel"), &[], true).await;
    assert_eq!((status, location.as_str()), (303, "/admin/today?day=2026-12-01&notice=cancelled"));
    let (_, listed) = owner.api(reqwest::Method::GET, "/admin/api/appointments?from=2026-12-01&to=2026-12-01", None).await;
    assert_eq!(listed["appointments"], json!([]));
    let free = app.call("check_availability", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:00"})).await.json();
    assert_eq!(free["available"], true, "{free}");
}

#[tokio::test]
async fn a_staff_login_sees_only_their_own_appointments() {
    let app = console_app().await;
    for (staff, time, name, number) in [("Jonas", "10:00", "Anna Schmidt", "+4917611111111"), ("Maria", "11:00", "Bernd Weber", "+4917622222222")] {
        let args = json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": time, "name": name, "staff": staff});
        // Two callers, two calls.
        let body = serde_json::to_vec(&json!({"name": "book_appointment", "args": args, "call": {
            "call_id": format!("call_{name}").replace(' ', "_"), "from_number": number, "to_number": SALON, "direction": "inbound"}}))
        .unwrap();
        let answer = app.post("/retell/functions/book_appointment", body.clone(), Some(app.sign(&body))).await.json();
        assert_eq!(answer["success"], true, "{answer}");
    }
    let jonas = login(&app, "jonas@schnittpunkt.example", PASSWORD).await.unwrap();
    let (_, day) = jonas.page("/admin/today?day=2026-12-01").await;
    assert!(day.contains("Anna Schmidt") && !day.contains("Bernd Weber"), "{day}");
    // Settings and operations are not for staff.
    assert_eq!(jonas.page("/admin/settings").await.0, 404);
    assert_eq!(jonas.page("/admin/ops").await.0, 404);
}

#[tokio::test]
async fn a_wrong_password_is_refused_and_then_throttled() {
    let app = console_app().await;
    for _ in 0..5 {
        let (status, page) = login(&app, "inhaberin@schnittpunkt.example", "falsches Passwort").await.err().unwrap();
        assert_eq!(status, 401);
        assert!(page.contains("E-Mail oder Passwort ist falsch."), "{page}");
    }
    // Now even the right password waits: guessing costs 15 minutes per 5 tries.
    let (status, page) = login(&app, "inhaberin@schnittpunkt.example", PASSWORD).await.err().unwrap();
    assert_eq!(status, 429);
    assert!(page.contains("Zu viele Fehlversuche"), "{page}");
    // Another account is not locked by it; unknown accounts answer like wrong passwords.
    assert!(login(&app, "owner@riverside.example", PASSWORD).await.is_ok());
    assert_eq!(login(&app, "niemand@example.com", PASSWORD).await.err().unwrap().0, 401);
    // 15 minutes later the account may try again.
    app.clock.advance(chrono::Duration::minutes(16));
    assert!(login(&app, "inhaberin@schnittpunkt.example", PASSWORD).await.is_ok());
}

#[tokio::test]
async fn an_address_is_throttled_across_accounts() {
    let app = console_app().await;
    for i in 0..20 {
        assert_eq!(login(&app, &format!("probe{i}@example.com"), "irgendein Passwort").await.err().unwrap().0, 401);
    }
    assert_eq!(login(&app, "owner@riverside.example", PASSWORD).await.err().unwrap().0, 429);
}

#[tokio::test]
async fn forms_without_their_csrf_token_are_refused() {
    let app = console_app().await;
    let asked = app.call("request_callback", json!({"name": "Anna Schmidt", "grund": "Farbberatung"})).await.json();
    let id = asked["callback_id"].as_i64().unwrap();
    let owner = login(&app, "inhaberin@schnittpunkt.example", PASSWORD).await.unwrap();
    let (status, _) = owner.form(&format!("/admin/callbacks/{id}/done"), &[("note", "erledigt")], false).await;
    assert_eq!(status, 403);
    let (status, _) = owner.form(&format!("/admin/callbacks/{id}/done"), &[("note", "x"), ("csrf", "0000")], false).await;
    assert_eq!(status, 403);
    let (_, open) = owner.api(reqwest::Method::GET, "/admin/api/callbacks?status=open", None).await;
    assert_eq!(open["callbacks"].as_array().unwrap().len(), 1, "nothing changed: {open}");
    // The login form without its own token, and the API without the header, likewise.
    let answer = browser()
        .post(format!("{}/admin/login", app.address))
        .form(&[("email", "inhaberin@schnittpunkt.example"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 403);
    let answer = browser()
        .post(format!("{}/admin/api/callbacks/{id}/done", app.address))
        .header("cookie", &owner.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 403);
    assert_eq!(answer.json::<Value>().await.unwrap()["error"], "csrf");
}

#[tokio::test]
async fn a_callback_marked_done_leaves_the_open_list_and_the_badge() {
    let app = console_app().await;
    for name in ["Anna Schmidt", "Bernd Weber"] {
        assert_eq!(app.call("request_callback", json!({"name": name, "grund": "Rückfrage"})).await.json()["success"], true);
    }
    let owner = login(&app, "inhaberin@schnittpunkt.example", PASSWORD).await.unwrap();
    let (_, page) = owner.page("/admin/callbacks").await;
    assert!(page.contains("id=\"callback-badge\">2<"), "{page}");
    let (_, open) = owner.api(reqwest::Method::GET, "/admin/api/callbacks?status=open", None).await;
    let first = open["callbacks"][0]["id"].as_i64().unwrap();
    let (status, location) = owner.form(&format!("/admin/callbacks/{first}/done"), &[("note", "zurückgerufen, Termin gemacht")], true).await;
    assert_eq!((status, location.as_str()), (303, "/admin/callbacks?notice=done"));
    let (_, page) = owner.page("/admin/callbacks").await;
    assert!(page.contains("id=\"callback-badge\">1<"), "{page}");
    assert!(page.contains("zurückgerufen, Termin gemacht"), "the note is kept: {page}");
    let (_, open) = owner.api(reqwest::Method::GET, "/admin/api/callbacks?status=open", None).await;
    assert_eq!(open["callbacks"].as_array().unwrap().len(), 1);
    // Five hours later the normal one left open is overdue (after four).
    app.clock.advance(chrono::Duration::hours(5));
    assert!(owner.page("/admin/callbacks").await.1.contains("überfällig"));
}

#[tokio::test]
async fn the_api_refuses_in_json_and_keeps_companies_apart() {
    let app = console_app().await;
    let asked = app.call_between("request_callback", json!({"name": "Anna Schmidt"}), CALLER, SALON).await.json();
    let salon_callback = asked["callback_id"].as_i64().unwrap();
    let asked = app.call_between("request_callback", json!({"name": "John Smith"}), "+447700900123", PRACTICE).await.json();
    assert_eq!(asked["success"], true, "{asked}");

    for (method, path) in [
        (reqwest::Method::GET, "/admin/api/callbacks"),
        (reqwest::Method::GET, "/admin/api/appointments"),
        (reqwest::Method::POST, "/admin/api/tenants/reload"),
    ] {
        let (status, kind, body) = api(&app, method.clone(), path, None).await;
        assert_eq!((status, body["error"].as_str()), (401, Some("unauthorized")), "{path}");
        assert!(kind.starts_with("application/json"), "{kind}");
        assert_eq!(api(&app, method, path, Some("wrong-token-0123456789")).await.0, 401, "{path}");
    }
    // The admin token sees every company.
    let (status, _, all) = api(&app, reqwest::Method::GET, "/admin/api/callbacks?status=open", Some(ADMIN_TOKEN)).await;
    assert_eq!(status, 200);
    let companies: Vec<&str> = all["callbacks"].as_array().unwrap().iter().map(|c| c["company"].as_str().unwrap()).collect();
    assert_eq!(companies.len(), 2, "{all}");
    let fields: Vec<&String> = all["callbacks"][0].as_object().unwrap().keys().collect();
    for field in ["id", "company", "branch", "name", "phone", "reason", "preferred_time", "priority", "status", "created_at"] {
        assert!(fields.iter().any(|f| *f == field), "{field} missing in {all}");
    }
    // An owner sees their own, and another company's callback answers 404.
    let other = login(&app, "owner@riverside.example", PASSWORD).await.unwrap();
    let (_, own) = other.api(reqwest::Method::GET, "/admin/api/callbacks", None).await;
    assert_eq!(own["callbacks"].as_array().unwrap().len(), 1);
    assert_eq!(own["callbacks"][0]["company"], "Riverside Dental Practice");
    let (status, body) = other.api(reqwest::Method::POST, &format!("/admin/api/callbacks/{salon_callback}/done"), None).await;
    assert_eq!((status, body["error"].as_str()), (404, Some("not_found")));
    let (status, _) = other.api(reqwest::Method::POST, "/admin/api/callbacks/abc/done", None).await;
    assert_eq!(status, 404);
    // Only admins reload; bad input is a JSON 400; unknown API paths a JSON 404.
    let (status, body) = other.api(reqwest::Method::POST, "/admin/api/tenants/reload", None).await;
    assert_eq!((status, body["error"].as_str()), (403, Some("forbidden")));
    let (status, body) = other.api(reqwest::Method::GET, "/admin/api/appointments?from=morgen", None).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("bad_request")));
    let (status, body) = other.api(reqwest::Method::GET, "/admin/api/appointments?from=2026-01-01&to=2026-12-31", None).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("bad_request")), "{body}");
    let (status, body) = other.api(reqwest::Method::GET, "/admin/api/nothing", None).await;
    assert_eq!((status, body["error"].as_str()), (404, Some("not_found")));
    let (status, _, body) = api(&app, reqwest::Method::POST, "/admin/api/tenants/reload", Some(ADMIN_TOKEN)).await;
    assert_eq!((status, body["companies"].as_i64()), (200, Some(2)), "{body}");
    // The admin token marks any company's callback done.
    let (status, _, body) =
        api(&app, reqwest::Method::POST, &format!("/admin/api/callbacks/{salon_callback}/done"), Some(ADMIN_TOKEN)).await;
    assert_eq!((status, body["status"].as_str()), (200, Some("done")));
    // Pages are for sessions: the bearer token opens none of them.
    let answer = browser().get(format!("{}/admin/today", app.address)).bearer_auth(ADMIN_TOKEN).send().await.unwrap();
    assert_eq!((answer.status().as_u16(), answer.headers()["location"].to_str().unwrap()), (303, "/admin/login"));
}

#[tokio::test]
async fn without_a_session_pages_send_the_browser_to_the_login_form_and_logout_ends_it() {
    let app = console_app().await;
    for path in ["/admin/", "/admin/today", "/admin/week", "/admin/callbacks", "/admin/calls", "/admin/settings", "/admin/retell", "/admin/ops"] {
        let answer = browser().get(format!("{}{path}", app.address)).send().await.unwrap();
        assert!(answer.status() == 303 || answer.status() == 307, "{path}: {}", answer.status());
    }
    let owner = login(&app, "inhaberin@schnittpunkt.example", PASSWORD).await.unwrap();
    for path in ["/admin/today", "/admin/week", "/admin/callbacks", "/admin/calls", "/admin/settings", "/admin/retell"] {
        let (status, page) = owner.page(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(page.starts_with("<!DOCTYPE html>"), "{path}");
    }
    let (status, page) = owner.page("/admin/nirgendwo").await;
    assert!(status == 404 && page.contains("Nicht gefunden"), "{status} {page}");
    let (status, location) = owner.form("/admin/logout", &[], true).await;
    assert_eq!((status, location.as_str()), (303, "/admin/login"));
    let answer = browser().get(format!("{}/admin/today", app.address)).header("cookie", &owner.cookie).send().await.unwrap();
    assert_eq!(answer.status(), 303, "the session ended in the database, not only in the browser");
}

#[tokio::test]
async fn an_admin_switches_company_and_sees_operations() {
    let app = console_app().await;
    let admin = login(&app, "admin@frontdesk.example", PASSWORD).await.unwrap();
    let (status, ops) = admin.page("/admin/ops").await;
    assert_eq!(status, 200);
    assert!(ops.contains("Offene Abgleiche"), "{ops}");
    let practice = app.branches.iter().find(|b| b.company.name == "Riverside Dental Practice").unwrap().company.id;
    let (status, _) = admin.form("/admin/company", &[("company", &practice.to_string())], true).await;
    assert_eq!(status, 303);
    let (_, retell) = admin.page("/admin/retell").await;
    assert!(retell.contains("Riverside") && !retell.contains("Innenstadt"), "{retell}");
    let owner = login(&app, "inhaberin@schnittpunkt.example", PASSWORD).await.unwrap();
    assert_eq!(owner.page("/admin/ops").await.0, 404);
    assert_eq!(owner.form("/admin/company", &[("company", &practice.to_string())], true).await.0, 404);
}

#[tokio::test]
async fn new_opening_hours_apply_to_the_next_question_without_a_restart() {
    let app = console_app().await;
    let ask = || app.call("check_availability", json!({"service": "Herrenhaarschnitt", "date": "Samstag", "time": "16:00"}));
    let before = ask().await.json();
    assert_ne!(before["available"], true, "Saturday closes at 14:00: {before}");
    let owner = login(&app, "inhaberin@schnittpunkt.example", PASSWORD).await.unwrap();
    let branch = app.branches.iter().find(|b| b.branch.name == "Innenstadt").unwrap().branch.id;
    let hours = [
        ("mon", "09:00-18:00"), ("tue", "09:00-18:00"), ("wed", "09:00-13:00, 14:00-18:00"),
        ("thu", "09:00-20:00"), ("fri", "09:00-18:00"), ("sat", "10:00-18:00"), ("sun", ""),
    ];
    let (status, location) = owner.form(&format!("/admin/settings/{branch}/hours"), &hours, true).await;
    assert_eq!((status, location.as_str()), (303, "/admin/settings?saved=1"));
    let after = ask().await.json();
    assert_eq!(after["available"], true, "{after}");
    // Bad hours are refused with the reason in German, what was typed stays, and nothing changes.
    let (status, page) = owner.form(&format!("/admin/settings/{branch}/hours"), &[("sat", "abends")], true).await;
    assert_eq!(status, 422);
    assert!(page.contains("Nicht gespeichert: Diese Zeiten verstehe ich nicht") && page.contains("value=\"abends\""), "{page}");
    assert_eq!(ask().await.json()["available"], true);
    // Hours as people write them: "9-16", "9.00–16.00", "9 bis 16 Uhr".
    let written = [("mon", "9-16"), ("tue", "9.00–16.00"), ("wed", "9 bis 13 Uhr, 14-18"), ("thu", "09:00-20:00"), ("fri", "9-18"), ("sat", "10-18")];
    let (status, location) = owner.form(&format!("/admin/settings/{branch}/hours"), &written, true).await;
    assert_eq!((status, location.as_str()), (303, "/admin/settings?saved=1"));
    let (_, page) = owner.page("/admin/settings").await;
    assert!(page.contains("value=\"09:00-16:00\"") && page.contains("value=\"09:00-13:00, 14:00-18:00\""), "shown as the calendar reads them: {page}");
    // The database is the source of truth: a restart keeps the new hours.
    let reopened = app.reopen_store().await;
    let saved = reopened.load_branches().await.unwrap();
    let innenstadt = saved.iter().find(|b| b.branch.id == branch).unwrap();
    assert_eq!(innenstadt.branch.opening_hours.to_map()["sat"], vec!["10:00-18:00".to_string()]);
}

#[tokio::test]
async fn services_and_staff_are_edited_in_the_console() {
    let app = console_app().await;
    let owner = login(&app, "inhaberin@schnittpunkt.example", PASSWORD).await.unwrap();
    let branch = app.branches.iter().find(|b| b.branch.name == "Innenstadt").unwrap().branch.id;
    let (_, page) = owner.page("/admin/settings").await;
    assert!(page.contains("value=\"Herrenhaarschnitt\""), "{page}");
    // A new service "Kinderhaarschnitt" (20 min, 15 Euro), the existing four kept.
    let fields = [
        ("name_0", "Herrenhaarschnitt"), ("duration_0", "30"), ("event_0", "1001"),
        ("name_1", "Damenhaarschnitt"), ("duration_1", "45"), ("event_1", "1002"),
        ("name_2", "Färben"), ("duration_2", "90"), ("event_2", "1003"),
        ("name_3", "Bartpflege"), ("duration_3", "15"), ("event_3", "1004"),
        ("name_new", "Kinderhaarschnitt"), ("synonyms_new", "Kinderschnitt, Haarschnitt Kinder"), ("duration_new", "20"), ("price_new", "15 Euro"),
    ];
    let (status, location) = owner.form(&format!("/admin/settings/{branch}/services"), &fields, true).await;
    assert_eq!((status, location.as_str()), (303, "/admin/settings?saved=1"));
    let (status, location) = owner
        .form(&format!("/admin/settings/{branch}/staff"), &[("staff_0", "Maria"), ("does_0", "Kinderhaarschnitt"), ("staff_1", "Jonas"), ("does_1", "Bartpflege")], true)
        .await;
    assert_eq!((status, location.as_str()), (303, "/admin/settings?saved=1"));
    let info = app.call("get_service_info", json!({"service": "Kinderschnitt"})).await.json();
    assert_eq!(info["success"], true, "{info}");
    assert!(info["message"].as_str().unwrap().contains("15 Euro"), "{info}");
    let free = app.call("find_next_available", json!({"service": "Kinderhaarschnitt", "staff": "Maria"})).await.json();
    assert_eq!(free["success"], true, "{free}");
    // A staff member performing a service that does not exist is refused.
    let (status, page) = owner.form(&format!("/admin/settings/{branch}/staff"), &[("staff_0", "Maria"), ("does_0", "Zaubern")], true).await;
    assert_eq!(status, 422);
    assert!(page.contains("Nicht gespeichert: Maria soll „Zaubern“ machen, das diese Filiale nicht anbietet."), "{page}");
    // Typing slips are named in German with what was typed, and nothing is saved.
    let slips = [("name_0", "Herrenhaarschnitt"), ("duration_0", "dreißig")];
    let (status, page) = owner.form(&format!("/admin/settings/{branch}/services"), &slips, true).await;
    assert_eq!(status, 422);
    assert!(page.contains("dreißig: ist keine Zahl"), "{page}");
    let (status, page) = owner.form(&format!("/admin/settings/{branch}/timing"), &[("branch_resources", "Farbplatz zwei")], true).await;
    assert_eq!(status, 422);
    assert!(page.contains("Farbplatz zwei: bitte als „Name: Anzahl“ schreiben"), "{page}");
}

#[tokio::test]
async fn the_calls_page_says_in_words_who_called_and_what_came_of_it() {
    let app = console_app().await;
    let booked = app
        .call("book_appointment", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "11:00", "name": "Anna Schmidt", "staff": "Jonas"}))
        .await
        .json();
    assert_eq!(booked["success"], true);
    let event = serde_json::to_vec(&json!({"event": "call_analyzed", "call": {
        "call_id": app.call_id, "agent_id": "agent_test", "from_number": CALLER, "to_number": SALON, "direction": "inbound",
        "duration_ms": 95000, "recording_url": "https://recordings.example/abc.wav",
        "call_analysis": {"call_summary": "Anna bucht einen Herrenhaarschnitt für morgen 11 Uhr.", "user_sentiment": "Positive"}
    }}))
    .unwrap();
    assert_eq!(app.post("/retell/webhook", event.clone(), Some(app.sign(&event))).await.status, 204);
    // Another caller wants a massage and hangs up.
    let massage = app.call_as(9, "check_availability", json!({"service": "Massage", "date": "morgen"})).await;
    assert_eq!(massage["error"], "unknown_service", "{massage}");
    let ended = serde_json::to_vec(&json!({"event": "call_ended", "call": {
        "call_id": "call_booker_9", "agent_id": "agent_test", "from_number": "+4915100000009", "to_number": SALON,
        "direction": "inbound", "duration_ms": 41000, "disconnection_reason": "user_hangup"}}))
    .unwrap();
    assert_eq!(app.post("/retell/webhook", ended.clone(), Some(app.sign(&ended))).await.status, 204);
    let owner = login(&app, "inhaberin@schnittpunkt.example", PASSWORD).await.unwrap();
    // The audit writer and the webhook work in the background.
    let mut page = String::new();
    for _ in 0..50 {
        page = owner.page("/admin/calls").await.1;
        if page.contains("Anna bucht") && page.contains("Massage") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(page.contains("Termin gebucht: Di 1.12. 11 Uhr Herrenhaarschnitt bei Jonas"), "{page}");
    assert!(page.contains("Wollte „Massage“ — bieten wir nicht an") || page.contains("Wollte Massage — bieten wir nicht an"), "{page}");
    assert!(page.contains("<strong>Anna Schmidt</strong>"), "the caller by name: {page}");
    assert!(page.contains("Anna bucht einen Herrenhaarschnitt") && page.contains("1:35") && page.contains("Positive"), "{page}");
    assert!(page.contains("https://recordings.example/abc.wav") && page.contains("/admin/appointments/"), "{page}");
    assert!(!page.contains("book_appointment") && !page.contains(" ms"), "no function names for owners: {page}");
    // Filters: the lost call alone, the booking alone.
    let (_, lost) = owner.page("/admin/calls?show=lost").await;
    assert!(lost.contains("Massage") && !lost.contains("Anna bucht"), "{lost}");
    let (_, bookings) = owner.page("/admin/calls?show=bookings").await;
    assert!(!bookings.contains("Massage") && bookings.contains("Anna bucht"), "{bookings}");
    // Callers' names and numbers are the owner's: a staff login does not see the calls.
    let jonas = login(&app, "jonas@schnittpunkt.example", PASSWORD).await.unwrap();
    let (status, _) = jonas.page("/admin/calls").await;
    assert_eq!(status, 403);
    // An admin sees the functions and their latency behind Details.
    let admin = login(&app, "admin@frontdesk.example", PASSWORD).await.unwrap();
    let (_, page) = admin.page("/admin/calls").await;
    assert!(page.contains("<summary>Details</summary>") && page.contains("book_appointment") && page.contains(" ms"), "{page}");
}

#[tokio::test]
async fn user_add_refuses_what_it_cannot_use() {
    let app = TestApp::spawn().await;
    let add = |email: &'static str, role: &'static str, company: Option<&'static str>, staff: Option<&'static str>, password: &'static str| {
        let store = app.store.clone();
        async move { frontdesk::operators::add_user(&store, email, role, company, staff, "de", password).await }
    };
    let error = |r: anyhow::Result<String>| r.unwrap_err().to_string();
    assert!(error(add("inhaber", "owner", Some("Salon Schnittpunkt"), None, PASSWORD).await).contains("--email"));
    assert!(error(add("a@b.example", "root", None, None, PASSWORD).await).contains("--role"));
    assert!(error(add("a@b.example", "owner", Some("Salon Schnittpunkt"), None, "kurz\n").await).contains("too short"));
    assert!(error(add("a@b.example", "owner", Some("Gibt es nicht"), None, PASSWORD).await).contains("no company"));
    assert!(error(add("a@b.example", "owner", None, None, PASSWORD).await).contains("--company"));
    assert!(error(add("a@b.example", "staff", Some("Salon Schnittpunkt"), None, PASSWORD).await).contains("--staff"));
    assert!(error(add("a@b.example", "admin", Some("Salon Schnittpunkt"), None, PASSWORD).await).contains("not for admins"));
    assert_eq!(add("A@B.example", "owner", Some("Salon Schnittpunkt"), None, PASSWORD).await.unwrap(), "login a@b.example (owner) saved");
    let stored = app.store.operator_by_email("a@b.example").await.unwrap().unwrap();
    assert!(stored.password_hash.starts_with("$argon2id$"), "only a hash is stored");
}

#[tokio::test]
async fn a_settings_change_and_a_reload_reach_every_instance() {
    let prefix = format!("fd_test_{}", uuid_like());
    let Some(first) = TestApp::builder()
        .backend(Backend::Postgres)
        .env("FRONTDESK_REDIS_URL", "redis://127.0.0.1:6379")
        .env("FRONTDESK_REDIS_PREFIX", prefix.clone())
        .env("FRONTDESK_ADMIN_TOKEN", ADMIN_TOKEN)
        .try_spawn()
        .await
    else {
        return;
    };
    let second = TestApp::builder()
        .backend(Backend::Postgres)
        .env("FRONTDESK_DATABASE_URL", first.database_url.clone())
        .env("FRONTDESK_REDIS_URL", "redis://127.0.0.1:6379")
        .env("FRONTDESK_REDIS_PREFIX", prefix)
        .spawn()
        .await;
    add_user(&first.store, "inhaberin@schnittpunkt.example", "owner", Some("Salon Schnittpunkt"), None).await;
    let saturday_evening = json!({"service": "Herrenhaarschnitt", "date": "Samstag", "time": "16:00"});
    // The second instance has read the window with the old hours.
    assert_ne!(second.call("check_availability", saturday_evening.clone()).await.json()["available"], true);
    let owner = login(&first, "inhaberin@schnittpunkt.example", PASSWORD).await.unwrap();
    let branch = first.branches.iter().find(|b| b.branch.name == "Innenstadt").unwrap().branch.id;
    let (status, _) = owner.form(&format!("/admin/settings/{branch}/hours"), &[("sat", "10:00-18:00"), ("mon", "09:00-18:00")], true).await;
    assert_eq!(status, 303);
    let mut answered = Value::Null;
    for _ in 0..50 {
        answered = second.call("check_availability", saturday_evening.clone()).await.json();
        if answered["available"] == true {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(answered["available"], true, "the second instance answers from the new hours: {answered}");
    // A reload of the tenants file (on the first) brings the file's hours back on both.
    let (status, _, _) = api(&first, reqwest::Method::POST, "/admin/api/tenants/reload", Some(ADMIN_TOKEN)).await;
    assert_eq!(status, 200);
    for _ in 0..50 {
        answered = second.call("check_availability", saturday_evening.clone()).await.json();
        if answered["available"] != true {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_ne!(answered["available"], true, "{answered}");
}

#[tokio::test]
async fn the_console_books_and_moves_through_the_same_booker_as_the_agent() {
    let app = console_app().await;
    let owner = login(&app, "inhaberin@schnittpunkt.example", PASSWORD).await.unwrap();
    let (_, page) = owner.page("/admin/today?day=2026-12-01").await;
    let innenstadt = app.branches.iter().find(|b| b.branch.name == "Innenstadt").unwrap();
    let haircut = innenstadt.branch.services.iter().find(|s| s.name == "Herrenhaarschnitt").unwrap().id.0;
    let service = format!("{}:{haircut}", innenstadt.branch.id);
    assert!(page.contains(&format!("value=\"{service}\"")), "{page}");
    let key = "k".repeat(32);
    let form = |key: String, time: &'static str| {
        vec![("key", key), ("service", service.clone()), ("staff", "Jonas".into()), ("date", "2026-12-01".into()),
             ("time", time.into()), ("name", "Clara Neu".into()), ("phone", "+4917655544433".into())]
    };
    let post = |fields: Vec<(&'static str, String)>| {
        let owner = &owner;
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            owner.form("/admin/appointments", &fields, true).await
        }
    };
    assert_eq!(post(form(key.clone(), "12:00")).await.1, "/admin/today?day=2026-12-01&notice=booked");
    // The same form sent twice books once.
    assert_eq!(post(form(key.clone(), "12:00")).await.1, "/admin/today?day=2026-12-01&notice=booked");
    // Jonas at 12:00 is taken now, for the console and for callers: the form comes back as typed.
    let taken = post(form("m".repeat(32), "12:00")).await;
    assert_eq!(taken.0, 422);
    assert!(taken.1.contains("Diese Zeit ist nicht frei.") && taken.1.contains("value=\"Clara Neu\""), "{}", taken.1);
    let asked = app.call("check_availability", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "12:00", "staff": "Jonas"})).await.json();
    assert_ne!(asked["available"], true, "{asked}");
    let (_, listed) = owner.api(reqwest::Method::GET, "/admin/api/appointments?from=2026-12-01&to=2026-12-01", None).await;
    let list = listed["appointments"].as_array().unwrap();
    assert_eq!(list.len(), 1, "{listed}");
    assert_eq!((list[0]["source"].as_str(), list[0]["start"].as_str()), (Some("console"), Some("2026-12-01T11:00:00Z")));
    let id = list[0]["id"].as_i64().unwrap();
    // Moved to 13:00; the old time is free again.
    let (status, location) = owner.form(&format!("/admin/appointments/{id}/move"), &[("date", "2026-12-01"), ("time", "13:00")], true).await;
    assert_eq!((status, location.as_str()), (303, "/admin/today?day=2026-12-01&notice=moved"));
    let (_, listed) = owner.api(reqwest::Method::GET, "/admin/api/appointments?from=2026-12-01&to=2026-12-01", None).await;
    assert_eq!(listed["appointments"][0]["start"], "2026-12-01T12:00:00Z");
    let asked = app.call("check_availability", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "12:00", "staff": "Jonas"})).await.json();
    assert_eq!(asked["available"], true, "{asked}");
    // Nonsense is refused without a booking; another company's owner cannot move it.
    let nonsense = post(vec![("key", "n".repeat(32)), ("service", service.clone()), ("date", "gestern".into()), ("time", "x".into()), ("name", "".into()), ("phone", "1".into())]).await;
    assert_eq!(nonsense.0, 422);
    assert!(nonsense.1.contains("Bitte den Namen angeben."), "{}", nonsense.1);
    let other = login(&app, "owner@riverside.example", PASSWORD).await.unwrap();
    let (status, _) = other.form(&format!("/admin/appointments/{id}/move"), &[("date", "2026-12-01"), ("time", "15:00")], true).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_long_callback_list_shows_the_most_urgent_hundred_and_says_so() {
    let app = console_app().await;
    let salon = app.branches.iter().find(|b| b.branch.name == "Innenstadt").unwrap();
    for i in 0..105 {
        app.store
            .insert_callback(&frontdesk::store::NewCallback {
                company_id: salon.company.id,
                branch_id: salon.branch.id,
                call_id: None,
                customer_name: Some(format!("Kunde {i}")),
                phone: "+4917612345678".into(),
                preferred_time: None,
                reason: None,
                priority: if i == 3 { frontdesk::store::Priority::High } else { frontdesk::store::Priority::Normal },
                created_at: app.now - chrono::Duration::minutes(i),
            })
            .await
            .unwrap();
    }
    let owner = login(&app, "inhaberin@schnittpunkt.example", PASSWORD).await.unwrap();
    let (_, page) = owner.page("/admin/callbacks").await;
    assert!(page.contains("100 von 105 offenen gezeigt"), "{page}");
    assert_eq!(page.matches("data-callback=").count(), 100);
    // The urgent one first, then the newest.
    let first = page.find("data-callback=").unwrap();
    assert!(page[first..].starts_with("data-callback=\"4\""), "{}", &page[first..first + 40]);
    let (_, all) = owner.api(reqwest::Method::GET, "/admin/api/callbacks?status=open", None).await;
    assert_eq!((all["callbacks"].as_array().unwrap().len(), all["truncated"].as_bool()), (105, Some(false)));
}

#[tokio::test]
async fn bookings_made_in_cal_com_show_in_the_console_until_cancelled_there() {
    const SECRET: &str = "whsec_console_test";
    let sim = tenant_calsim(0, None).await;
    let app = TestApp::builder()
        .calcom(&sim)
        .env("FRONTDESK_CALCOM_WEBHOOK_SECRET", SECRET)
        .env("FRONTDESK_ADMIN_TOKEN", ADMIN_TOKEN)
        .spawn()
        .await;
    let start = chrono::DateTime::parse_from_rfc3339("2026-12-01T09:00:00Z").unwrap().with_timezone(&chrono::Utc);
    let booking = |trigger: &str, uid: &str, start: chrono::DateTime<chrono::Utc>, previous: Option<&str>| {
        let mut event = json!({"triggerEvent": trigger, "createdAt": start, "payload": {
            "uid": uid, "eventTypeId": 1201, "startTime": start, "endTime": start + chrono::Duration::minutes(30),
            "attendees": [{"name": "Walk-in Kundin", "email": "k@example.com", "phoneNumber": null}]}});
        if let Some(previous) = previous {
            event["payload"]["rescheduleUid"] = json!(previous);
        }
        event
    };
    let listed = || async {
        let (_, _, body) = api(&app, reqwest::Method::GET, "/admin/api/appointments?from=2026-12-01&to=2026-12-01", Some(ADMIN_TOKEN)).await;
        body["appointments"].as_array().unwrap().clone()
    };
    // Jonas's own event type: the row names him; a repeated webhook adds nothing.
    for _ in 0..2 {
        assert_eq!(post_calcom_webhook(&app, SECRET, &booking("BOOKING_CREATED", "uid-outside-1", start, None)).await, 200);
    }
    let rows = listed().await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!((rows[0]["source"].as_str(), rows[0]["staff"].as_str()), (Some("calcom"), Some("Jonas")));
    assert_eq!(rows[0]["customer_name"], "Walk-in Kundin");
    // Moved in Cal.com: the old row goes, the new one comes.
    let later = start + chrono::Duration::hours(2);
    assert_eq!(post_calcom_webhook(&app, SECRET, &booking("BOOKING_RESCHEDULED", "uid-outside-2", later, Some("uid-outside-1"))).await, 200);
    let rows = listed().await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["start"], "2026-12-01T11:00:00Z");
    assert_eq!(post_calcom_webhook(&app, SECRET, &booking("BOOKING_CANCELLED", "uid-outside-2", later, None)).await, 200);
    assert!(listed().await.is_empty());
}

#[tokio::test]
async fn every_console_page_and_endpoint_works_on_postgresql() {
    let Some(app) = TestApp::builder().backend(Backend::Postgres).env("FRONTDESK_ADMIN_TOKEN", ADMIN_TOKEN).try_spawn().await else {
        return;
    };
    add_user(&app.store, "inhaberin@schnittpunkt.example", "owner", Some("Salon Schnittpunkt"), None).await;
    add_user(&app.store, "jonas@schnittpunkt.example", "staff", Some("Salon Schnittpunkt"), Some("Jonas")).await;
    add_user(&app.store, "admin@frontdesk.example", "admin", None, None).await;
    anna_books_with_jonas(&app).await;
    let asked = app.call("request_callback", json!({"name": "Bernd Weber", "grund": "Farbberatung"})).await.json();
    let callback = asked["callback_id"].as_i64().unwrap();
    assert_eq!(login(&app, "inhaberin@schnittpunkt.example", "falsch-falsch").await.err().unwrap().0, 401);
    for email in ["inhaberin@schnittpunkt.example", "jonas@schnittpunkt.example", "admin@frontdesk.example"] {
        let session = login(&app, email, PASSWORD).await.unwrap();
        for path in ["/admin/today?day=2026-12-01", "/admin/week?start=2026-11-30", "/admin/callbacks", "/admin/calls", "/admin/retell"] {
            let (status, page) = session.page(path).await;
            // callers' names and numbers are the owner's, not a staff member's
            let expected = if email.starts_with("jonas") && path == "/admin/calls" { 403 } else { 200 };
            assert_eq!(status, expected, "{email} {path}");
            assert!(!path.starts_with("/admin/today") || page.contains("Anna Schmidt"), "{email}: {page}");
        }
        let (status, listed) = session.api(reqwest::Method::GET, "/admin/api/appointments?from=2026-12-01&to=2026-12-01", None).await;
        assert_eq!((status, listed["appointments"].as_array().map(Vec::len)), (200, Some(1)), "{email}");
    }
    let owner = login(&app, "inhaberin@schnittpunkt.example", PASSWORD).await.unwrap();
    assert_eq!(owner.page("/admin/settings").await.0, 200);
    let (status, _) = owner.api(reqwest::Method::POST, &format!("/admin/api/callbacks/{callback}/done"), Some(json!({"note": "erledigt"}))).await;
    assert_eq!(status, 200);
    let (_, open) = owner.api(reqwest::Method::GET, "/admin/api/callbacks?status=open", None).await;
    assert_eq!(open["callbacks"], json!([]));
    let admin = login(&app, "admin@frontdesk.example", PASSWORD).await.unwrap();
    assert_eq!(admin.page("/admin/ops").await.0, 200);
    let (status, _, _) = api(&app, reqwest::Method::POST, "/admin/api/tenants/reload", Some(ADMIN_TOKEN)).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn no_signed_in_answer_is_kept_by_the_browser() {
    let app = console_app().await;
    let owner = login(&app, "inhaberin@schnittpunkt.example", PASSWORD).await.unwrap();
    let cache = |answer: &reqwest::Response| {
        answer.headers().get("cache-control").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
    };
    for path in ["/admin/today", "/admin/calls", "/admin/settings", "/admin/api/appointments", "/admin/nowhere"] {
        let answer = owner.http.get(format!("{}{path}", app.address)).header("cookie", &owner.cookie).send().await.unwrap();
        assert_eq!(cache(&answer), "no-store", "{path}");
    }
    // the stylesheet may be cached: it holds nothing of anybody's
    let css = owner.http.get(format!("{}/admin/assets/console.css", app.address)).send().await.unwrap();
    assert_eq!(cache(&css), "public, max-age=3600");
}

#[tokio::test]
async fn a_walk_in_is_booked_with_a_national_number_without_one_or_already_in_the_chair() {
    let app = console_app().await; // Monday 30 November 2026, 08:00 Berlin
    let owner = login(&app, "inhaberin@schnittpunkt.example", PASSWORD).await.unwrap();
    let innenstadt = app.branches.iter().find(|b| b.branch.name == "Innenstadt").unwrap();
    let haircut = innenstadt.branch.services.iter().find(|s| s.name == "Herrenhaarschnitt").unwrap().id.0;
    let service = format!("{}:{haircut}", innenstadt.branch.id);
    let walk_in = |key: &str, time: &str, name: &str, phone: &str| {
        let fields = [("key", key.repeat(32)), ("service", service.clone()), ("staff", "Jonas".to_string()),
            ("date", "2026-12-01".to_string()), ("time", time.to_string()), ("name", name.to_string()), ("phone", phone.to_string())];
        let owner = &owner;
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            owner.form("/admin/appointments", &fields, true).await
        }
    };
    // "0171 1234567" is read in the branch's country (Berlin's +49) and stored as E.164.
    assert_eq!(walk_in("a", "10:00", "Ute Berg", "0171 1234567").await.1, "/admin/today?day=2026-12-01&notice=booked");
    let customer = app.store.find_customer(innenstadt.company.id, &frontdesk::domain::PhoneNumber::parse("+491711234567").unwrap()).await.unwrap();
    assert_eq!(customer.and_then(|c| c.name).as_deref(), Some("Ute Berg"));
    // Without a number a walk-in is booked too, with no customer record.
    assert_eq!(walk_in("b", "11:00", "Gast ohne Nummer", "").await.1, "/admin/today?day=2026-12-01&notice=booked");
    // A number that cannot be read comes back with the reason and everything typed still there.
    let (status, page) = walk_in("c", "12:00", "Karl Klein", "0171 12").await;
    assert_eq!(status, 422);
    assert!(page.contains("Diese Telefonnummer kann ich nicht lesen") && page.contains("value=\"Karl Klein\"") && page.contains("value=\"0171 12\""), "{page}");
    let (_, listed) = owner.api(reqwest::Method::GET, "/admin/api/appointments?from=2026-12-01&to=2026-12-01", None).await;
    assert_eq!(listed["appointments"].as_array().unwrap().len(), 2, "{listed}");
    // Someone already in the chair: at 10:10 on Monday a 30-minute cut that began at 10:00.
    app.clock.advance(chrono::Duration::minutes(130));
    let today = |key: &'static str, time: &'static str| {
        let fields = [("key", key.repeat(32)), ("service", service.clone()), ("staff", "Jonas".to_string()),
            ("date", "2026-11-30".to_string()), ("time", time.to_string()), ("name", "Im Stuhl".to_string()), ("phone", String::new())];
        let owner = &owner;
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            owner.form("/admin/appointments", &fields, true).await
        }
    };
    let (_, page) = owner.page("/admin/today").await;
    assert!(page.contains("name=\"time\" step=\"300\" value=\"10:10\""), "today's form is filled with now: {page}");
    assert_eq!(today("e", "10:00").await.1, "/admin/today?day=2026-11-30&notice=booked");
    let (status, page) = today("f", "09:00").await;
    assert_eq!(status, 422, "an appointment that is over is not a walk-in");
    assert!(page.contains("Diese Zeit ist schon vorbei."), "{page}");
}

#[tokio::test]
async fn a_callback_is_entered_by_hand_done_and_listed_for_thirty_days() {
    let app = console_app().await;
    let owner = login(&app, "inhaberin@schnittpunkt.example", PASSWORD).await.unwrap();
    let innenstadt = app.branches.iter().find(|b| b.branch.name == "Innenstadt").unwrap().branch.id.0.to_string();
    let riverside = app.branches.iter().find(|b| b.company.name.starts_with("Riverside")).unwrap().branch.id.0.to_string();
    let form = |branch: &str, phone: &str| {
        vec![("branch", branch.to_string()), ("name", "Frau Lange".to_string()), ("phone", phone.to_string()),
             ("reason", "Termin für ihre Tochter".to_string()), ("preferred_time", "nach 17 Uhr".to_string()), ("urgent", "1".to_string())]
    };
    let post = |fields: Vec<(&'static str, String)>| {
        let owner = &owner;
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            owner.form("/admin/callbacks", &fields, true).await
        }
    };
    // A number that cannot be read comes back with the reason and what was typed.
    let (status, page) = post(form(&innenstadt, "0171 76")).await;
    assert_eq!(status, 422);
    assert!(page.contains("Diese Telefonnummer kann ich nicht lesen") && page.contains("value=\"Termin für ihre Tochter\""), "{page}");
    // Another company's branch is nobody's.
    assert_eq!(post(form(&riverside, "0171 7654321")).await.0, 404);
    assert_eq!(post(form(&innenstadt, "0171 7654321")).await.1, "/admin/callbacks?notice=created");
    let (_, listed) = owner.api(reqwest::Method::GET, "/admin/api/callbacks?status=open", None).await;
    let callback = &listed["callbacks"][0];
    assert_eq!((callback["phone"].as_str(), callback["priority"].as_str()), (Some("+491717654321"), Some("high")), "{listed}");
    assert_eq!(callback["reason"], "Termin für ihre Tochter");
    // Done with a note: listed below with the number to call again, for 30 days.
    let id = callback["id"].as_i64().unwrap();
    let (status, _) = owner.form(&format!("/admin/callbacks/{id}/done"), &[("note", "Termin Do 16 Uhr")], true).await;
    assert_eq!(status, 303);
    let (_, page) = owner.page("/admin/callbacks").await;
    assert!(page.contains("Erledigt in den letzten 30 Tagen") && page.contains("Termin Do 16 Uhr") && page.contains("tel:+491717654321"), "{page}");
    app.clock.advance(chrono::Duration::days(31));
    let (_, page) = owner.page("/admin/callbacks").await;
    assert!(!page.contains("Termin Do 16 Uhr"), "older than 30 days: {page}");
}

#[tokio::test]
async fn closures_are_typed_as_owners_write_them_with_a_reason_and_shown_on_the_day() {
    let app = console_app().await;
    let owner = login(&app, "inhaberin@schnittpunkt.example", PASSWORD).await.unwrap();
    let branch = app.branches.iter().find(|b| b.branch.name == "Innenstadt").unwrap().branch.id.0;
    let path = format!("/admin/settings/{branch}/closures");
    // A line that says no day is refused in German, and everything typed stays in the form.
    let typed = "24.12.–1.1. Betriebsferien\nirgendwann mal";
    let (status, page) = owner.form(&path, &[("closures", typed)], true).await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("Diese Schließzeiten verstehe ich nicht") && page.contains("irgendwann mal"), "{page}");
    assert!(page.contains("24.12.–1.1. Betriebsferien"), "what was typed is kept: {page}");
    // German dates, "morgen", a reason after the days.
    let (status, _) = owner.form(&path, &[("closures", "24.12.–1.1. Betriebsferien\nmorgen Inventur")], true).await;
    assert_eq!(status, 303);
    let (_, settings) = owner.page("/admin/settings").await;
    assert!(settings.contains("2026-12-24..2027-01-01 Betriebsferien") && settings.contains("2026-12-01 Inventur"), "{settings}");
    let (_, day) = owner.page("/admin/today?day=2026-12-01").await;
    assert!(day.contains("Geschlossen: Inventur"), "{day}");
    let (_, day) = owner.page("/admin/today?day=2026-12-28").await;
    assert!(day.contains("Geschlossen: Betriebsferien"), "{day}");
    let asked = app.call("check_availability", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "11:00"})).await.json();
    assert_eq!(asked["available"], false, "the agent knows at once: {asked}");
}

#[tokio::test]
async fn the_week_marks_today_a_free_gap_opens_the_form_and_the_day_prints() {
    let app = console_app().await;
    anna_books_with_jonas(&app).await;
    let owner = login(&app, "inhaberin@schnittpunkt.example", PASSWORD).await.unwrap();
    // Monday 30 November is today; Anna's appointment shows its source and branch.
    let (_, week) = owner.page("/admin/week?start=2026-11-30").await;
    assert!(week.contains("th class=\"today\" aria-current=\"date\"><a href=\"/admin/today?day=2026-11-30\""), "{week}");
    assert!(week.contains("Telefonagent · Innenstadt"), "{week}");
    // A free gap on Jonas's axis links to the form, which opens filled in with its time and him.
    let (_, day) = owner.page("/admin/today?day=2026-12-01").await;
    let gap = day.split("href=\"/admin/today?day=2026-12-01&amp;at=").nth(1).expect("a free gap links to the form");
    let link = format!("/admin/today?day=2026-12-01&at={}", gap.split('"').next().unwrap().replace("&amp;", "&"));
    let (_, form) = owner.page(&link).await;
    let at = link.split("at=").nth(1).unwrap().split('&').next().unwrap().to_string();
    assert!(form.contains(&format!("name=\"time\" step=\"300\" value=\"{at}\"")), "{link}: {form}");
    let staff = link.split("staff=").nth(1).unwrap().split('#').next().unwrap().to_string();
    assert!(form.contains(&format!("<option value=\"{staff}\" selected>")), "{link}: {form}");
    // The print view: times, staff, service, customer; no navigation, no forms.
    let (status, print) = owner.page("/admin/today/print?day=2026-12-01").await;
    assert_eq!(status, 200);
    assert!(print.contains("Anna Schmidt") && print.contains("Herrenhaarschnitt") && print.contains("Jonas") && print.contains("10:00"), "{print}");
    assert!(!print.contains("<form") && !print.contains("<nav"), "{print}");
}
