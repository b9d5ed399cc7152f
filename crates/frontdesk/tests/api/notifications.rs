//! Notifications through the outbox: a signed webhook per event, written with the change,
//! delivered once even when the receiver is down for a while, across a restart, and by exactly
//! one of two instances sharing PostgreSQL.

use crate::helpers::*;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const SECRET: &str = "whsec_frontdesk_test";

/// A business's webhook endpoint: records what arrives, or answers 503 while "down"; takes
/// `delay_ms` to answer (a slow system on the other end).
#[derive(Clone, Default)]
pub struct Receiver {
    got: Arc<Mutex<Vec<(HeaderMap, Value)>>>,
    pub down: Arc<AtomicBool>,
    refused: Arc<Mutex<usize>>,
    pub delay_ms: Arc<AtomicU64>,
    /// While set, answers 410 Gone: a misconfigured endpoint, not worth retrying.
    pub gone: Arc<AtomicBool>,
}

impl Receiver {
    /// Starts on port 0; returns the receiver and its URL.
    pub async fn start() -> (Self, String) {
        let receiver = Self::default();
        let state = receiver.clone();
        let app = axum::Router::new().route(
            "/hook",
            axum::routing::post(move |headers: HeaderMap, body: Bytes| {
                let state = state.clone();
                async move {
                    if state.down.load(Ordering::SeqCst) {
                        *state.refused.lock().unwrap() += 1;
                        return StatusCode::SERVICE_UNAVAILABLE;
                    }
                    if state.gone.load(Ordering::SeqCst) {
                        *state.refused.lock().unwrap() += 1;
                        return StatusCode::GONE;
                    }
                    // Dropped here if the sender hangs up (a killed server): not acknowledged.
                    tokio::time::sleep(Duration::from_millis(state.delay_ms.load(Ordering::SeqCst))).await;
                    // The signature must verify before the event is believed.
                    let header = headers["x-frontdesk-signature"].to_str().unwrap().to_string();
                    let t: i64 = header.split(',').next().unwrap().trim_start_matches("t=").parse().unwrap();
                    assert_eq!(header, frontdesk::notify::signature(SECRET, t, &body), "a forged or broken signature");
                    assert!((chrono::Utc::now().timestamp() - t).abs() < 300);
                    state.got.lock().unwrap().push((headers, serde_json::from_slice(&body).unwrap()));
                    StatusCode::OK
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (receiver, url)
    }

    /// The events acknowledged so far.
    pub fn events(&self) -> Vec<Value> {
        self.got.lock().unwrap().iter().map(|(_, body)| body.clone()).collect()
    }

    /// Waits until `n` events arrived (at most 10 s), then a little longer to catch duplicates.
    pub async fn wait_for(&self, n: usize) -> Vec<Value> {
        let started = Instant::now();
        while self.events().len() < n && started.elapsed() < Duration::from_secs(10) {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        tokio::time::sleep(Duration::from_millis(400)).await;
        self.events()
    }
}

/// The demo tenants with the salon's notifications going to `url`.
pub fn tenants_notifying(url: &str) -> String {
    demo_tenants().replacen(
        "region = \"DE-BE\"",
        &format!("region = \"DE-BE\"\nnotify_webhook_url = \"{url}\"\nnotify_webhook_secret = \"{SECRET}\""),
        1,
    )
}

#[tokio::test]
async fn every_change_a_person_must_hear_about_arrives_once_and_signed() {
    let (receiver, url) = Receiver::start().await;
    let app = TestApp::builder().tenants(tenants_notifying(&url)).spawn().await;
    let asked = app.call("request_callback", json!({"name": "Anna Schmidt", "grund": "Farbberatung", "dringlichkeit": "dringend"})).await.json();
    assert_eq!(asked["success"], true, "{asked}");
    let booked = app.call("book_appointment", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:00", "name": "Anna Schmidt"})).await.json();
    assert_eq!(booked["success"], true, "{booked}");
    // A retried booking (Retell retries) is one booking and one notification.
    let again = app.call("book_appointment", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:00", "name": "Anna Schmidt"})).await.json();
    assert_eq!(again["success"], true);
    let moved = app.call("reschedule_appointment", json!({"date": "morgen", "time": "10:00", "new_date": "morgen", "new_time": "11:00"})).await.json();
    assert_eq!(moved["success"], true, "{moved}");
    let cancelled = app.call("cancel_appointment", json!({"date": "morgen", "time": "11:00"})).await.json();
    assert_eq!(cancelled["success"], true, "{cancelled}");

    let events = receiver.wait_for(4).await;
    let kinds: Vec<&str> = events.iter().map(|e| e["event"].as_str().unwrap()).collect();
    for kind in ["callback.requested", "booking.made", "booking.moved", "booking.cancelled"] {
        assert_eq!(kinds.iter().filter(|k| **k == kind).count(), 1, "{kind} in {kinds:?}");
    }
    assert_eq!(events.len(), 4, "{events:#?}");
    let callback = events.iter().find(|e| e["event"] == "callback.requested").unwrap();
    assert_eq!(callback["data"]["phone"], CALLER, "the business gets the number in full");
    assert_eq!((callback["data"]["priority"].as_str(), callback["data"]["company"].as_str()), (Some("high"), Some("Salon Schnittpunkt")));
    let moved = events.iter().find(|e| e["event"] == "booking.moved").unwrap();
    assert_eq!(moved["data"]["start"], "2026-12-01T10:00:00Z");
    // The idempotency key is in the body and the header, the same on every attempt.
    for (headers, body) in receiver.got.lock().unwrap().iter() {
        assert_eq!(headers["idempotency-key"].to_str().unwrap(), body["id"].as_str().unwrap());
    }
    // The other company has no webhook: nothing of its calls is sent anywhere.
    let english = app.call_between("request_callback", json!({"name": "John Smith"}), "+447700900123", PRACTICE).await.json();
    assert_eq!(english["success"], true);
    assert_eq!(receiver.wait_for(5).await.len(), 4);
}

#[tokio::test]
async fn a_phone_booking_cancelled_in_cal_com_itself_is_announced_once() {
    const CAL_SECRET: &str = "whsec_calcom_test";
    let (receiver, url) = Receiver::start().await;
    let sim = tenant_calsim(0, None).await;
    let app = TestApp::builder()
        .tenants(tenants_notifying(&url))
        .calcom(&sim)
        .env("FRONTDESK_CALCOM_WEBHOOK_SECRET", CAL_SECRET)
        .spawn()
        .await;
    let booked = app.call("book_appointment", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:00", "name": "Anna Schmidt"})).await.json();
    assert_eq!(booked["success"], true, "{booked}");
    assert_eq!(receiver.wait_for(1).await.len(), 1);
    let listed = cal_com_bookings(&sim, "take=10").await;
    let booking = &listed.as_array().unwrap()[0];
    // The salon cancels it in Cal.com's own pages: the webhook carries the uid but not our
    // metadata. Cal.com repeats webhooks; the cancellation is announced once all the same.
    let cancelled = json!({"triggerEvent": "BOOKING_CANCELLED", "createdAt": booking["start"], "payload": {
        "uid": booking["uid"], "eventTypeId": booking["eventTypeId"], "startTime": booking["start"], "endTime": booking["end"],
        "attendees": [{"name": "Anna Schmidt", "phoneNumber": CALLER}]}});
    for _ in 0..2 {
        assert_eq!(post_calcom_webhook(&app, CAL_SECRET, &cancelled).await, 200);
    }
    let events = receiver.wait_for(2).await;
    let kinds: Vec<&str> = events.iter().map(|e| e["event"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["booking.made", "booking.cancelled"], "{events:#?}");
    assert_eq!((events[1]["data"]["start"].as_str(), events[1]["data"]["phone"].as_str()), (Some("2026-12-01T09:00:00Z"), Some(CALLER)));
    // A booking made in Cal.com itself is Cal.com's to announce (it e-mails those): none here.
    let outside = json!({"triggerEvent": "BOOKING_CREATED", "createdAt": booking["start"], "payload": {
        "uid": "uid-at-the-desk", "eventTypeId": booking["eventTypeId"], "startTime": "2026-12-01T13:00:00Z", "endTime": "2026-12-01T13:30:00Z",
        "attendees": [{"name": "Walk-in Kundin", "phoneNumber": null}]}});
    assert_eq!(post_calcom_webhook(&app, CAL_SECRET, &outside).await, 200);
    assert_eq!(receiver.wait_for(3).await.len(), 2);
}

#[tokio::test]
async fn a_receiver_that_is_down_gets_the_event_once_when_it_is_back() {
    let (receiver, url) = Receiver::start().await;
    receiver.down.store(true, Ordering::SeqCst);
    let app = TestApp::builder().tenants(tenants_notifying(&url)).spawn().await;
    assert_eq!(app.call("request_callback", json!({"name": "Anna Schmidt"})).await.json()["success"], true);
    let started = Instant::now();
    while *receiver.refused.lock().unwrap() < 2 {
        assert!(started.elapsed() < Duration::from_secs(10), "no retry");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    receiver.down.store(false, Ordering::SeqCst);
    let events = receiver.wait_for(1).await;
    assert_eq!(events.len(), 1, "{events:#?}");
    assert!(events[0]["attempt"].as_i64().unwrap() >= 3, "{}", events[0]);
    assert_eq!(app.store.outbox_counts().await.unwrap(), vec![("sent".to_string(), 1)]);
    // Delivered rows are pruned after a month; a younger one stays.
    assert_eq!(app.store.prune_outbox(chrono::Utc::now() - chrono::Duration::days(30)).await.unwrap(), 0);
    assert_eq!(app.store.prune_outbox(chrono::Utc::now() + chrono::Duration::seconds(1)).await.unwrap(), 1);
    assert!(app.store.outbox_counts().await.unwrap().is_empty());
}

#[tokio::test]
async fn events_written_before_a_restart_are_delivered_after_it_none_twice() {
    let (receiver, url) = Receiver::start().await;
    receiver.down.store(true, Ordering::SeqCst);
    let mut first = TestApp::builder().tenants(tenants_notifying(&url)).spawn().await;
    for i in 0..50 {
        let number = format!("+49176{:08}", i);
        let asked = first.call_between("request_callback", json!({"name": format!("Kunde {i}")}), &number, SALON).await.json();
        assert_eq!(asked["success"], true, "{asked}");
    }
    first.shutdown().await;
    receiver.down.store(false, Ordering::SeqCst);
    let second = TestApp::builder().tenants(tenants_notifying(&url)).env("FRONTDESK_DATABASE_URL", first.database_url.clone()).spawn().await;
    let events = receiver.wait_for(50).await;
    let mut ids: Vec<&str> = events.iter().map(|e| e["id"].as_str().unwrap()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!((events.len(), ids.len()), (50, 50));
    assert_eq!(second.store.outbox_counts().await.unwrap(), vec![("sent".to_string(), 50)]);
}

#[tokio::test]
async fn two_instances_share_one_outbox_and_send_each_event_once() {
    let (receiver, url) = Receiver::start().await;
    receiver.down.store(true, Ordering::SeqCst);
    let Some(a) = TestApp::builder().backend(Backend::Postgres).tenants(tenants_notifying(&url)).try_spawn().await else {
        return;
    };
    let b = TestApp::builder()
        .backend(Backend::Postgres)
        .tenants(tenants_notifying(&url))
        .env("FRONTDESK_DATABASE_URL", a.database_url.clone())
        .spawn()
        .await;
    for i in 0..40 {
        let app = if i % 2 == 0 { &a } else { &b };
        let asked = app.call_between("request_callback", json!({"name": format!("Kunde {i}")}), &format!("+49176{:08}", i), SALON).await.json();
        assert_eq!(asked["success"], true, "{asked}");
    }
    // Both workers race for the same 40 rows once the receiver is up.
    receiver.down.store(false, Ordering::SeqCst);
    let events = receiver.wait_for(40).await;
    let mut ids: Vec<&str> = events.iter().map(|e| e["id"].as_str().unwrap()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!((events.len(), ids.len()), (40, 40));
}

/// The demo tenants with the salon's owner hearing about everything by e-mail.
fn tenants_mailing() -> String {
    demo_tenants().replacen("region = \"DE-BE\"", "region = \"DE-BE\"\nnotify_email = \"Inhaberin@Schnittpunkt.example\"", 1)
}

async fn mailing_app(smtp_url: &str) -> TestApp {
    mailing_builder(smtp_url).spawn().await
}

fn mailing_builder(smtp_url: &str) -> TestAppBuilder {
    TestApp::builder()
        .tenants(tenants_mailing())
        .env("FRONTDESK_SMTP_URL", smtp_url.to_string())
        .env("FRONTDESK_SMTP_FROM", "frontdesk <noreply@frontdesk.example>")
}

#[tokio::test]
async fn e_mail_goes_out_over_starttls_and_implicit_tls_to_a_server_it_trusts() {
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("mail-ca.pem");
    std::fs::write(&ca, calsim::smtp::TEST_CA_PEM).unwrap();
    use calsim::smtp::Security::{Implicit, StartTls};
    for (security, query) in [(StartTls, ""), (StartTls, "?tls=required"), (Implicit, "")] {
        let (smtp, url) = calsim::smtp::SmtpServer::start_with(security).await;
        let url = format!("{url}{query}");
        let app = mailing_builder(&url).env("FRONTDESK_SMTP_CA_FILE", ca.display().to_string()).spawn().await;
        assert_eq!(app.call("request_callback", json!({"name": "Anna Schmidt"})).await.json()["success"], true);
        let mails = wait_for_mails(&smtp, 1).await;
        assert_eq!(mails.len(), 1, "{url}: {:?}", app.store.outbox_counts().await);
        assert!(mails[0].tls, "{url}: the mail came over TLS");
    }
}

#[tokio::test]
async fn a_mail_server_whose_certificate_is_not_trusted_gets_nothing_not_even_in_clear() {
    // Untrusted certificate (no CA file); and a server without STARTTLS when TLS is required.
    use calsim::smtp::Security::{Plain, StartTls};
    for (security, query, expected) in [(StartTls, "", "certificate"), (Plain, "?tls=required", "tls")] {
        let (smtp, url) = calsim::smtp::SmtpServer::start_with(security).await;
        let app = mailing_app(&format!("{url}{query}")).await;
        assert_eq!(app.call("request_callback", json!({"name": "Anna Schmidt"})).await.json()["success"], true);
        let started = Instant::now();
        let pool = sqlx::SqlitePool::connect(&app.database_url).await.unwrap();
        let error = loop {
            let errors: Vec<Option<String>> = sqlx::query_scalar("SELECT last_error FROM outbox").fetch_all(&pool).await.unwrap();
            if let Some(error) = errors.into_iter().flatten().next() {
                break error;
            }
            assert!(started.elapsed() < Duration::from_secs(5), "no attempt");
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        assert!(error.to_lowercase().contains(expected), "{url}{query}: {error}");
        tokio::time::sleep(Duration::from_millis(700)).await;
        assert!(smtp.mails().is_empty(), "{url}{query}: no downgrade to plain text");
        assert_eq!(app.store.outbox_counts().await.unwrap(), vec![("pending".to_string(), 1)], "retried later");
    }
}

/// Waits (at most 5 s) until the outbox holds exactly these counts by status.
async fn outbox_reaches(app: &TestApp, expected: &[(&str, i64)]) {
    let expected: Vec<(String, i64)> = expected.iter().map(|(status, n)| (status.to_string(), *n)).collect();
    let started = Instant::now();
    while app.store.outbox_counts().await.unwrap() != expected {
        assert!(started.elapsed() < Duration::from_secs(5), "{:?}", app.store.outbox_counts().await);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn wait_for_mails(smtp: &calsim::smtp::SmtpServer, n: usize) -> Vec<calsim::smtp::Mail> {
    let started = Instant::now();
    while smtp.mails().len() < n && started.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(400)).await;
    smtp.mails()
}

#[tokio::test]
async fn a_callback_request_sends_the_owner_exactly_one_email_over_smtp() {
    let (smtp, url) = calsim::smtp::SmtpServer::start().await;
    let app = mailing_builder(&url).env("FRONTDESK_PUBLIC_URL", "https://frontdesk.example").spawn().await;
    let asked = app.call("request_callback", json!({"name": "Anna Schmidt", "grund": "Farbberatung", "wunschzeit": "morgen Vormittag"})).await.json();
    assert_eq!(asked["success"], true, "{asked}");
    let mails = wait_for_mails(&smtp, 1).await;
    assert_eq!(mails.len(), 1, "{mails:#?}");
    let mail = &mails[0];
    assert_eq!((mail.from.as_str(), mail.to.as_slice()), ("<noreply@frontdesk.example>", ["<inhaberin@schnittpunkt.example>".to_string()].as_slice()));
    assert!(mail.data.contains("Subject: =?utf-8?") || mail.data.contains("Subject: R"), "{}", mail.data);
    assert!(mail.data.contains("Message-ID: <callback.requested."), "{}", mail.data);
    assert!(mail.data.contains("multipart/alternative") && mail.data.contains("text/html"), "{}", mail.data);
    // The number in full, the reason and the wish, in German (the salon speaks German).
    let text = mail.data.replace("=\r\n", "");
    assert!(text.contains(CALLER) && text.contains("Farbberatung") && text.contains("Wunschzeit"), "{text}");
    // One click to where the owner acts on it.
    assert!(text.contains("https://frontdesk.example/admin/callbacks"), "{text}");
    // A booking mails too; the English practice has no address: nothing for it.
    let booked = app.call("book_appointment", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:00", "name": "Anna Schmidt"})).await.json();
    assert_eq!(booked["success"], true);
    assert_eq!(app.call_between("request_callback", json!({"name": "John Smith"}), "+447700900123", PRACTICE).await.json()["success"], true);
    assert_eq!(wait_for_mails(&smtp, 2).await.len(), 2);
}

#[tokio::test]
async fn an_email_waits_while_the_smtp_server_is_down_and_goes_out_once() {
    let (smtp, url) = calsim::smtp::SmtpServer::start().await;
    smtp.down.store(true, Ordering::SeqCst);
    let app = mailing_app(&url).await;
    assert_eq!(app.call("request_callback", json!({"name": "Anna Schmidt"})).await.json()["success"], true);
    // Down for 30 s: retried with growing pauses (capped at 2 s in tests, an hour in production).
    tokio::time::sleep(Duration::from_secs(30)).await;
    let refused = *smtp.refused.lock().unwrap();
    assert!((5..=40).contains(&refused), "{refused} attempts in 30 s");
    assert!(smtp.mails().is_empty());
    smtp.down.store(false, Ordering::SeqCst);
    assert_eq!(wait_for_mails(&smtp, 1).await.len(), 1);
    assert_eq!(app.store.outbox_counts().await.unwrap(), vec![("sent".to_string(), 1)]);
}

#[tokio::test]
async fn without_smtp_an_email_notice_fails_visibly_instead_of_waiting_a_day() {
    let app = TestApp::builder().tenants(tenants_mailing()).spawn().await;
    assert_eq!(app.call("request_callback", json!({"name": "Anna Schmidt"})).await.json()["success"], true);
    outbox_reaches(&app, &[("failed", 1)]).await;
    // The owner sees it on the callbacks page.
    crate::console::add_user(&app.store, "chefin@schnittpunkt.example", "owner", Some("Salon Schnittpunkt"), None).await;
    let owner = crate::console::login(&app, "chefin@schnittpunkt.example", crate::console::PASSWORD).await.unwrap();
    let (_, page) = owner.page("/admin/callbacks").await;
    assert!(page.contains("Nicht zugestellte Benachrichtigungen") && page.contains("i***@schnittpunkt.example"), "{page}");
    assert!(!page.to_lowercase().contains("inhaberin@"), "the address is masked");
}

#[tokio::test]
async fn the_owner_sees_what_was_not_delivered_and_sends_it_again_once_fixed() {
    let (receiver, url) = Receiver::start().await;
    receiver.gone.store(true, Ordering::SeqCst);
    let app = TestApp::builder().tenants(tenants_notifying(&url)).spawn().await;
    assert_eq!(app.call("request_callback", json!({"name": "Anna Schmidt"})).await.json()["success"], true);
    // A 4xx is not worth a day of retries: failed at once.
    outbox_reaches(&app, &[("failed", 1)]).await;
    crate::console::add_user(&app.store, "inhaberin@schnittpunkt.example", "owner", Some("Salon Schnittpunkt"), None).await;
    crate::console::add_user(&app.store, "jonas@schnittpunkt.example", "staff", Some("Salon Schnittpunkt"), Some("Jonas")).await;
    crate::console::add_user(&app.store, "owner@riverside.example", "owner", Some("Riverside Dental Practice"), None).await;
    let owner = crate::console::login(&app, "inhaberin@schnittpunkt.example", crate::console::PASSWORD).await.unwrap();
    let (_, page) = owner.page("/admin/callbacks").await;
    let listed = &page[page.find("data-notice=").expect("the failed notice is listed")..];
    assert!(listed.contains("Rückruf erbeten") && listed.contains("Webhook 127.0.0.1") && listed.contains("410"), "{listed}");
    // Staff and another company neither see it nor send it again; a forged form is refused.
    let staff = crate::console::login(&app, "jonas@schnittpunkt.example", crate::console::PASSWORD).await.unwrap();
    assert!(!staff.page("/admin/callbacks").await.1.contains("data-notice="));
    assert_eq!(staff.form("/admin/notifications/retry", &[], true).await.0, 403);
    let other = crate::console::login(&app, "owner@riverside.example", crate::console::PASSWORD).await.unwrap();
    assert!(!other.page("/admin/callbacks").await.1.contains("data-notice="));
    assert_eq!(other.form("/admin/notifications/retry", &[], true).await.0, 303);
    assert_eq!(owner.form("/admin/notifications/retry", &[], false).await.0, 403);
    assert_eq!(app.store.outbox_counts().await.unwrap(), vec![("failed".to_string(), 1)]);
    // The JSON API says the same: the owner sees it, staff are refused, other companies see nothing.
    let (status, listed) = owner.api(reqwest::Method::GET, "/admin/api/notifications/failed", None).await;
    assert_eq!((status, listed["notifications"][0]["event"].as_str(), listed["notifications"][0]["recipient"].as_str()), (200, Some("callback.requested"), Some(url.as_str())));
    assert_eq!(staff.api(reqwest::Method::GET, "/admin/api/notifications/failed", None).await.0, 403);
    assert_eq!(staff.api(reqwest::Method::POST, "/admin/api/notifications/retry", None).await.0, 403);
    assert_eq!(other.api(reqwest::Method::GET, "/admin/api/notifications/failed", None).await.1["notifications"], json!([]));
    // The endpoint is fixed; the owner sends it again: it arrives once, with the same key.
    receiver.gone.store(false, Ordering::SeqCst);
    assert_eq!(owner.form("/admin/notifications/retry", &[], true).await, (303, "/admin/callbacks?notice=resent".to_string()));
    let events = receiver.wait_for(1).await;
    assert_eq!(events.len(), 1, "{events:#?}");
    assert!(events[0]["id"].as_str().unwrap().starts_with("callback.requested:"));
    assert_eq!(app.store.outbox_counts().await.unwrap(), vec![("sent".to_string(), 1)]);
    assert!(!owner.page("/admin/callbacks").await.1.contains("data-notice="));
    assert_eq!(owner.api(reqwest::Method::POST, "/admin/api/notifications/retry", None).await.1["requeued"], 0);
}

/// The `.ics` attached to a received e-mail, decoded, with its METHOD, SEQUENCE and UID read by
/// the independent `ical` parser.
fn invitation_in(mail: &calsim::smtp::Mail) -> (String, String, String, String) {
    let message = mail_parser::MessageParser::default().parse(mail.data.as_bytes()).expect("a MIME message");
    let part = message
        .attachments()
        .find(|a| mail_parser::MimeHeaders::is_content_type(*a, "text", "calendar"))
        .expect("an .ics attachment");
    let text = String::from_utf8(part.contents().to_vec()).unwrap();
    let calendar = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes())).next().unwrap().expect("valid RFC 5545");
    let method = calendar.properties.iter().find(|p| p.name == "METHOD").and_then(|p| p.value.clone()).unwrap();
    let event = &calendar.events[0];
    let get = |name: &str| event.properties.iter().find(|p| p.name == name).and_then(|p| p.value.clone()).unwrap_or_default();
    (method, get("SEQUENCE"), get("UID"), get("DTSTART"))
}

#[tokio::test]
async fn a_caller_with_an_email_gets_a_confirmation_with_an_invitation_that_follows_moves() {
    let (smtp, url) = calsim::smtp::SmtpServer::start().await;
    let app = TestApp::builder()
        .env("FRONTDESK_SMTP_URL", url)
        .env("FRONTDESK_SMTP_FROM", "Salon Schnittpunkt <termine@schnittpunkt.example>")
        .spawn()
        .await;
    let booked = app
        .call("book_appointment", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:00", "name": "Anna Schmidt", "email": "anna@example.com"}))
        .await
        .json();
    assert_eq!(booked["success"], true, "{booked}");
    let mails = wait_for_mails(&smtp, 1).await;
    assert_eq!(mails.len(), 1, "no owner address in the demo: only the caller's mail");
    assert_eq!(mails[0].to, vec!["<anna@example.com>".to_string()]);
    let (method, sequence, uid, start) = invitation_in(&mails[0]);
    assert_eq!((method.as_str(), sequence.as_str(), start.as_str()), ("REQUEST", "0", "20261201T090000Z"));
    let parsed = mail_parser::MessageParser::default().parse(mails[0].data.as_bytes()).unwrap();
    assert!(parsed.subject().unwrap().starts_with("Terminbestätigung: Herrenhaarschnitt"), "{:?}", parsed.subject());

    let moved = app.call("reschedule_appointment", json!({"date": "morgen", "time": "10:00", "new_date": "morgen", "new_time": "11:00"})).await.json();
    assert_eq!(moved["success"], true, "{moved}");
    let mails = wait_for_mails(&smtp, 2).await;
    let (method, sequence, moved_uid, start) = invitation_in(&mails[1]);
    assert_eq!((method.as_str(), sequence.as_str(), start.as_str()), ("REQUEST", "1", "20261201T100000Z"));
    assert_eq!(moved_uid, uid, "the same event, updated in the caller's calendar");

    let cancelled = app.call("cancel_appointment", json!({"date": "morgen", "time": "11:00"})).await.json();
    assert_eq!(cancelled["success"], true, "{cancelled}");
    let mails = wait_for_mails(&smtp, 3).await;
    assert_eq!(mails.len(), 3);
    let (method, sequence, cancelled_uid, _) = invitation_in(&mails[2]);
    assert_eq!((method.as_str(), sequence.as_str()), ("CANCEL", "1"));
    assert_eq!(cancelled_uid, uid);
}

#[tokio::test]
async fn the_owner_gets_one_daily_digest_at_the_chosen_time() {
    let (smtp, url) = calsim::smtp::SmtpServer::start().await;
    let tenants = tenants_mailing().replacen("notify_email =", "digest_time = \"08:30\"\nnotify_email =", 1);
    let app = TestApp::builder()
        .tenants(tenants)
        .env("FRONTDESK_SMTP_URL", url)
        .env("FRONTDESK_SMTP_FROM", "frontdesk <noreply@frontdesk.example>")
        .spawn()
        .await;
    // 08:00: a booking, a callback; the digest is not due yet.
    let booked = app.call("book_appointment", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:00", "name": "Anna Schmidt"})).await.json();
    assert_eq!(booked["success"], true);
    assert_eq!(app.call_between("request_callback", json!({"name": "Bernd Weber"}), "+4917699988877", SALON).await.json()["success"], true);
    let before = wait_for_mails(&smtp, 2).await;
    assert_eq!(before.len(), 2, "the booking and the callback, no digest yet");
    // 08:31 in Berlin: one digest, however often the schedule looks.
    app.clock.advance(chrono::Duration::minutes(31));
    let mails = wait_for_mails(&smtp, 3).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mails: Vec<_> = mails.into_iter().chain(smtp.mails().into_iter().skip(3)).collect();
    let digests: Vec<_> = mails
        .iter()
        .filter_map(|m| mail_parser::MessageParser::default().parse(m.data.as_bytes()))
        .filter(|m| m.subject().is_some_and(|s| s.starts_with("Tagesbericht")))
        .map(|m| (m.subject().unwrap().to_string(), m.body_text(0).unwrap().to_string()))
        .collect();
    assert_eq!(digests.len(), 1, "{digests:#?}");
    let (subject, text) = &digests[0];
    // One call (both questions came in the same call), one booking.
    assert_eq!(subject, "Tagesbericht 30.11.2026 — Anrufe: 1, neue Termine: 1");
    for line in ["Neue Termine: 1", "Rückrufe erbeten: 1", "Rückrufe offen: 1"] {
        assert!(text.contains(line), "{line} in {text}");
    }
}

#[tokio::test]
async fn an_overdue_callback_is_announced_once() {
    let (receiver, url) = Receiver::start().await;
    let app = TestApp::builder().tenants(tenants_notifying(&url)).spawn().await;
    assert_eq!(app.call("request_callback", json!({"name": "Anna Schmidt"})).await.json()["success"], true);
    assert_eq!(receiver.wait_for(1).await.len(), 1, "the request itself");
    // Four hours and a minute later, nobody has called back.
    app.clock.advance(chrono::Duration::minutes(241));
    let events = receiver.wait_for(2).await;
    let overdue: Vec<_> = events.iter().filter(|e| e["event"] == "callback.overdue").collect();
    assert_eq!(overdue.len(), 1, "{events:#?}");
    assert_eq!(overdue[0]["data"]["customer_name"], "Anna Schmidt");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(receiver.events().len(), 2, "announced once, however often the schedule looks");
}
