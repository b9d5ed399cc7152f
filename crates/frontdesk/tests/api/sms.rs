//! SMS (DESIGN §15) against the repo's Twilio-compatible simulator (Twilio cannot be reached
//! here): consent, the confirmation through the outbox, delivery reports, STOP and START per
//! company, and the webhooks' signature.

use crate::helpers::{TestApp, CALLER};
use calsim::sms::{serve_sms, twilio_signature, RunningSms, SmsSim};
use serde_json::json;
use std::time::Duration;

const SID: &str = "AC0000000000000000000000000000test";
const TOKEN: &str = "sms-auth-token-for-tests";
/// The service's sender: a number, so customers can answer.
const SENDER: &str = "+4930555000111";

async fn sms_app() -> (TestApp, RunningSms) {
    sms_app_with(crate::helpers::demo_tenants()).await
}

/// The app with SMS, serving `tenants`.
async fn sms_app_with(tenants: String) -> (TestApp, RunningSms) {
    let sms = serve_sms(SmsSim::new(&[(SID, TOKEN)]), "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let app = TestApp::builder()
        .tenants(tenants)
        .env("FRONTDESK_SMS_URL", sms.base_url.clone())
        .env("FRONTDESK_SMS_ACCOUNT_SID", SID)
        .env("FRONTDESK_SMS_AUTH_TOKEN", TOKEN)
        .env("FRONTDESK_SMS_FROM", SENDER)
        .spawn()
        .await;
    (app, sms)
}

/// Waits until `count` messages went to `to`.
async fn texts_to(sms: &RunningSms, to: &str, count: usize) -> Vec<calsim::sms::Sms> {
    for _ in 0..100 {
        let sent = sms.sim.sent_to(to);
        if sent.len() >= count {
            return sent;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    sms.sim.sent_to(to)
}

#[tokio::test]
async fn a_caller_who_agreed_gets_the_confirmation_by_sms_and_stop_ends_it() {
    let (app, sms) = sms_app().await;
    let booked = app
        .call("book_appointment", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:00", "name": "Anna Schmidt", "staff": "Jonas", "sms_ok": true}))
        .await
        .json();
    assert_eq!(booked["success"], true, "{booked}");
    let sent = texts_to(&sms, CALLER, 1).await;
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].body, "Salon Schnittpunkt: Ihr Termin Di 01.12. 10:00 Herrenhaarschnitt bei Jonas ist gebucht. Bis bald!");
    assert_eq!(sent[0].from, SENDER);
    // a delivery report, signed as Twilio signs it, is stored (the test app has no public URL
    // for the simulator to call back, so the report is posted here)
    let url = format!("{}/sms/status", app.address);
    let report = [("MessageSid", sent[0].sid.as_str()), ("MessageStatus", "delivered"), ("AccountSid", SID), ("To", CALLER), ("From", SENDER)];
    let params: Vec<(String, String)> = report.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let signature = twilio_signature(TOKEN, &url, &params);
    let answer = reqwest::Client::new().post(&url).form(&report).header("x-twilio-signature", signature).send().await.unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(app.store.sms_status_of(&sent[0].sid).await.unwrap().as_deref(), Some("delivered"));
    // STOP: answered, and the cancellation that follows is not texted (e-mail and owner as before)
    let inbound = format!("{}/sms/inbound", app.address);
    let (code, answer) = sms.sim.reply(SID, &inbound, CALLER, SENDER, "Stop").await;
    assert_eq!(code, 200);
    assert!(answer.contains("<Message>Salon Schnittpunkt: Sie erhalten keine SMS mehr von uns. Mit START wieder anmelden.</Message>"), "{answer}");
    let cancelled = app.call("cancel_appointment", json!({"date": "morgen"})).await.json();
    assert_eq!(cancelled["success"], true, "{cancelled}");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let after_stop: Vec<String> = sms.sim.sent_to(CALLER).into_iter().map(|m| m.body).collect();
    assert_eq!(after_stop.len(), 2, "the STOP answer only: {after_stop:?}");
    // START resumes
    let (_, answer) = sms.sim.reply(SID, &inbound, CALLER, SENDER, "START").await;
    assert!(answer.contains("wieder SMS"), "{answer}");
    // delivered notices are pruned after a month: the SMS records stay, without their row
    let frontdesk::store::Store::Sqlite(pool) = &app.store else { panic!("SQLite") };
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(app.store.prune_outbox(chrono::Utc::now() + chrono::Duration::days(1)).await.unwrap() > 0);
    let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sms_messages WHERE outbox_id IS NULL").fetch_one(pool).await.unwrap();
    assert!(kept > 0);
    // a customer who was texted can be erased: the SMS records go with them
    let id: i64 = sqlx::query_scalar("SELECT id FROM customers WHERE phone = $1").bind(CALLER).fetch_one(pool).await.unwrap();
    let company = frontdesk::domain::CompanyId(1);
    assert!(app.store.erase_customer(company, frontdesk::domain::CustomerId(id)).await.unwrap());
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sms_messages").fetch_one(pool).await.unwrap();
    assert_eq!(left, 0);
}

#[tokio::test]
async fn without_consent_or_to_a_landline_nothing_is_texted() {
    let (app, sms) = sms_app().await;
    let booked = app.call("book_appointment", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:00", "name": "Anna Schmidt"})).await.json();
    assert_eq!(booked["success"], true, "{booked}");
    let landline = "+493099887766";
    let booked = app
        .call_between("book_appointment", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "11:00", "name": "Bernd Weber", "sms_ok": "ja"}), landline, crate::helpers::SALON)
        .await
        .json();
    assert_eq!(booked["success"], true, "{booked}");
    // the caller hears that no SMS can go to a landline, and that the e-mail confirms it
    assert_eq!(booked["sms"], "not_mobile", "{booked}");
    assert!(booked["message"].as_str().unwrap().contains("An Ihre Festnetznummer kann ich leider keine SMS schicken."), "{booked}");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(sms.sim.sent().is_empty(), "{:?}", sms.sim.sent());
}

#[tokio::test]
async fn sms_webhooks_without_a_valid_signature_get_401() {
    let (app, _sms) = sms_app().await;
    let http = reqwest::Client::new();
    let form = [("From", CALLER), ("To", SENDER), ("Body", "STOP"), ("MessageSid", "SM1")];
    let params: Vec<(String, String)> = form.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    for path in ["/sms/inbound", "/sms/status"] {
        let url = format!("{}{path}", app.address);
        let forged = twilio_signature("not-the-token", &url, &params);
        for header in [Some(forged.as_str()), None] {
            let mut request = http.post(&url).form(&form);
            if let Some(value) = header {
                request = request.header("x-twilio-signature", value);
            }
            assert_eq!(request.send().await.unwrap().status(), 401, "{path} {header:?}");
        }
        // the right token over another URL is no signature either
        let elsewhere = twilio_signature(TOKEN, "https://elsewhere.example/sms/inbound", &params);
        assert_eq!(http.post(&url).form(&form).header("x-twilio-signature", elsewhere).send().await.unwrap().status(), 401);
    }
    // nothing was stopped by the forged STOP
    assert!(!app.store.sms_stopped(frontdesk::domain::CompanyId(1), CALLER).await.unwrap());
}

/// The texts to `to` that contain `words`, after waiting for at least `count` of them.
async fn texts_saying(sms: &RunningSms, to: &str, words: &str, count: usize) -> Vec<String> {
    let saying = || sms.sim.sent_to(to).into_iter().map(|m| m.body).filter(|b| b.contains(words)).collect::<Vec<_>>();
    for _ in 0..100 {
        if saying().len() >= count {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    saying()
}

#[tokio::test]
async fn a_reminder_goes_out_once_and_absagen_cancels_within_the_policy() {
    let (app, sms) = sms_app().await; // Monday 08:00; the salon cancels up to 24 h before
    let book = |date: &str, time: &str| {
        json!({"service": "Herrenhaarschnitt", "date": date, "time": time, "name": "Anna Schmidt", "staff": "Jonas", "sms_ok": true})
    };
    // Wednesday 10:00, and Wednesday 15:00 cancelled at once: only the first is reminded
    let booked = app.call("book_appointment", book("übermorgen", "10:00")).await.json();
    assert_eq!(booked["success"], true, "{booked}");
    let id = frontdesk::domain::AppointmentId(booked["appointment_id"].as_i64().unwrap());
    let other = app.call_as(2, "book_appointment", book("übermorgen", "15:00")).await;
    assert_eq!(other["success"], true, "{other}");
    let cancelled = app.call_as(2, "cancel_appointment", json!({"date": "übermorgen", "time": "15:00"})).await;
    assert_eq!(cancelled["success"], true, "{cancelled}");
    // Tuesday 09:59: not yet; 10:00: the reminder, once, however many rounds run
    app.clock.advance(chrono::Duration::hours(25) + chrono::Duration::minutes(59));
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(texts_saying(&sms, CALLER, "Erinnerung", 0).await.is_empty());
    app.clock.advance(chrono::Duration::minutes(1));
    let reminders = texts_saying(&sms, CALLER, "Erinnerung", 1).await;
    assert_eq!(reminders, vec!["Salon Schnittpunkt: Erinnerung an Ihren Termin Mi 02.12. 10:00 Herrenhaarschnitt bei Jonas. Falls Sie nicht kommen können, antworten Sie ABSAGEN.".to_string()]);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(texts_saying(&sms, CALLER, "Erinnerung", 1).await.len(), 1, "exactly once");
    assert!(texts_saying(&sms, &caller(2), "Erinnerung", 0).await.is_empty(), "none for the cancelled one");
    // ABSAGEN exactly 24 h before: within the policy; the cancellation answers by SMS
    let inbound = format!("{}/sms/inbound", app.address);
    let (status, answer) = sms.sim.reply(SID, &inbound, CALLER, SENDER, "Absagen bitte").await;
    assert_eq!(status, 200, "{answer}");
    let cancelled = texts_saying(&sms, CALLER, "10:00 Herrenhaarschnitt bei Jonas ist abgesagt", 1).await;
    assert_eq!(cancelled.len(), 1, "{:?}", sms.sim.sent_to(CALLER));
    let mine = app.call("query_appointment", json!({})).await.json();
    assert_eq!(mine["appointments"].as_array().map(Vec::len), Some(0), "{mine}");
    // the history says so: reminded by frontdesk, cancelled by SMS
    let history = app.store.appointment_history(frontdesk::domain::CompanyId(1), id).await.unwrap();
    let said: Vec<(&str, &str)> = history.iter().map(|h| (h.action.as_str(), h.actor.as_str())).collect();
    assert_eq!(said, vec![("booked", "phone agent"), ("reminded", "frontdesk"), ("cancelled", "sms")]);
    // again: nothing left to cancel, said politely
    let (_, answer) = sms.sim.reply(SID, &inbound, CALLER, SENDER, "ABSAGEN").await;
    assert!(answer.contains("keinen offenen Termin gefunden"), "{answer}");
}

#[tokio::test]
async fn absagen_too_close_to_the_start_says_whom_to_call_and_changes_nothing() {
    let (app, sms) = sms_app().await;
    let booked = app
        .call("book_appointment", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:00", "name": "Anna Schmidt", "sms_ok": true}))
        .await
        .json();
    assert_eq!(booked["success"], true, "{booked}");
    app.clock.advance(chrono::Duration::hours(2) + chrono::Duration::minutes(1)); // Monday 10:01
    assert_eq!(texts_saying(&sms, CALLER, "Erinnerung", 1).await.len(), 1);
    let inbound = format!("{}/sms/inbound", app.address);
    let (_, answer) = sms.sim.reply(SID, &inbound, CALLER, SENDER, "ABSAGEN").await;
    assert!(answer.contains("zu kurzfristig für eine Absage per SMS. Bitte rufen Sie uns an: +4930123456."), "{answer}");
    let mine = app.call("query_appointment", json!({})).await.json();
    assert_eq!(mine["appointments"].as_array().map(Vec::len), Some(1), "still booked: {mine}");
}

#[tokio::test]
async fn reminders_keep_the_quiet_hours() {
    // a 12-hour reminder before Tuesday 18:00 would be due at 06:00: it goes out at 08:00
    let tenants = crate::helpers::demo_tenants().replacen("cancel_hours_before = 24", "cancel_hours_before = 24\nreminder_hours = [12]", 1);
    let (app, sms) = sms_app_with(tenants).await;
    let booked = app
        .call("book_appointment", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "17:00", "name": "Anna Schmidt", "sms_ok": true}))
        .await
        .json();
    assert_eq!(booked["success"], true, "{booked}");
    app.clock.advance(chrono::Duration::hours(22) + chrono::Duration::minutes(30)); // Tuesday 06:30
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(texts_saying(&sms, CALLER, "Erinnerung", 0).await.is_empty(), "not in the night");
    app.clock.advance(chrono::Duration::minutes(90)); // 08:00
    assert_eq!(texts_saying(&sms, CALLER, "Erinnerung", 1).await.len(), 1);
}

/// Caller `n`'s number in `call_as`.
fn caller(n: usize) -> String {
    format!("+49151000{n:05}")
}

/// Caller `n` joins the waitlist for tomorrow (Tuesday) 10:00 with Jonas.
async fn joins_for_tuesday_ten(app: &TestApp, n: usize, name: &str) {
    let joined = app
        .call_as(n, "join_waitlist", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:00", "staff": "Jonas", "name": name}))
        .await;
    assert_eq!(joined["success"], true, "{joined}");
    assert_eq!(joined["by_sms"], true, "{joined}");
    assert!(joined["message"].as_str().unwrap().contains("Warteliste"), "{joined}");
}

#[tokio::test]
async fn a_freed_slot_goes_to_the_waitlist_by_sms_reply_and_the_history_says_so() {
    let (app, sms) = sms_app().await; // Monday 08:00
    let booked = app
        .call("book_appointment", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:00", "name": "Anna Schmidt", "staff": "Jonas", "sms_ok": true}))
        .await
        .json();
    let annas = frontdesk::domain::AppointmentId(booked["appointment_id"].as_i64().unwrap());
    // 1. a waitlister joins for Tuesday 10:00, which is taken: no offer
    joins_for_tuesday_ten(&app, 3, "Wera Warte").await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(texts_saying(&sms, &caller(3), "frei geworden", 0).await.is_empty());
    // 2. the holder is reminded (Monday 10:00) and answers ABSAGEN
    app.clock.advance(chrono::Duration::hours(2));
    assert_eq!(texts_saying(&sms, CALLER, "Erinnerung", 1).await.len(), 1);
    let inbound = format!("{}/sms/inbound", app.address);
    sms.sim.reply(SID, &inbound, CALLER, SENDER, "ABSAGEN").await;
    // 3. the waitlister is offered the time and answers JA
    let offers = texts_saying(&sms, &caller(3), "frei geworden", 1).await;
    assert_eq!(offers, vec!["Salon Schnittpunkt: Ein Termin ist frei geworden: Di 01.12. 10:00 Herrenhaarschnitt bei Jonas. Antworten Sie JA, um ihn zu buchen. Wir halten ihn 15 Minuten für Sie.".to_string()]);
    // meanwhile the time is held: a caller asking for it hears it is taken
    let asked = app.call_as(8, "check_availability", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:00", "staff": "Jonas"})).await;
    assert_eq!(asked["available"], false, "{asked}");
    let (status, _) = sms.sim.reply(SID, &inbound, &caller(3), SENDER, "Ja").await;
    assert_eq!(status, 200);
    // 4. booked, confirmed by SMS; both histories say what happened
    let confirmed = texts_saying(&sms, &caller(3), "10:00 Herrenhaarschnitt bei Jonas ist gebucht", 1).await;
    assert_eq!(confirmed.len(), 1, "{:?}", sms.sim.sent_to(&caller(3)));
    let theirs = app.call_as(3, "query_appointment", json!({})).await;
    assert_eq!(theirs["appointments"].as_array().map(Vec::len), Some(1), "{theirs}");
    let company = frontdesk::domain::CompanyId(1);
    let anna: Vec<(String, String)> = app.store.appointment_history(company, annas).await.unwrap().into_iter()
        .map(|h| (h.action.as_str().to_string(), h.actor)).collect();
    assert_eq!(anna.last().unwrap(), &("cancelled".to_string(), "sms".to_string()), "{anna:?}");
    let id = frontdesk::domain::AppointmentId(theirs["appointments"][0]["appointment_id"].as_i64().unwrap_or_default());
    let wera: Vec<(String, String)> = app.store.appointment_history(company, id).await.unwrap().into_iter()
        .map(|h| (h.action.as_str().to_string(), h.actor)).collect();
    assert_eq!(wera, vec![("booked".to_string(), "waitlist".to_string())]);
    // the entry is done, and the owner's digest counts the day
    assert!(app.store.waiting_entries(Some(company)).await.unwrap().is_empty());
    let monday = chrono::DateTime::parse_from_rfc3339("2026-11-29T23:00:00Z").unwrap().with_timezone(&chrono::Utc);
    // (history rows of changes carry the database write's real time, the reminder the test clock's)
    let until = chrono::Utc::now() + chrono::Duration::days(1);
    let figures = app.store.digest_figures(company, "2026-11-30", monday, until).await.unwrap();
    assert_eq!((figures.reminders, figures.cancelled_by_reply, figures.refilled), (1, 1, 1), "{figures:?}");
}

#[tokio::test]
async fn two_waitlisters_answer_ja_at_once_and_one_gets_the_time() {
    let (app, sms) = sms_app().await;
    let booked = app
        .call("book_appointment", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:00", "name": "Anna Schmidt", "staff": "Jonas"}))
        .await
        .json();
    assert_eq!(booked["success"], true);
    joins_for_tuesday_ten(&app, 3, "Wera Warte").await;
    joins_for_tuesday_ten(&app, 4, "Willi Warte").await;
    let cancelled = app.call("cancel_appointment", json!({"date": "morgen"})).await.json();
    assert_eq!(cancelled["success"], true, "{cancelled}");
    assert_eq!(texts_saying(&sms, &caller(3), "frei geworden", 1).await.len(), 1);
    assert_eq!(texts_saying(&sms, &caller(4), "frei geworden", 1).await.len(), 1);
    let inbound = format!("{}/sms/inbound", app.address);
    let (three, four) = (caller(3), caller(4));
    let (a, b) = tokio::join!(sms.sim.reply(SID, &inbound, &three, SENDER, "JA"), sms.sim.reply(SID, &inbound, &four, SENDER, "ja"));
    let gone = [&a.1, &b.1].iter().filter(|answer| answer.contains("Leider ist der Termin schon vergeben. Sie bleiben auf der Warteliste.")).count();
    assert_eq!(gone, 1, "one hears it is gone: {a:?} {b:?}");
    let mut booked = 0;
    for n in [3, 4] {
        booked += app.call_as(n, "query_appointment", json!({})).await["appointments"].as_array().map_or(0, Vec::len);
    }
    assert_eq!(booked, 1, "exactly one booking");
    // the one who lost stays on the list
    assert_eq!(app.store.waiting_entries(Some(frontdesk::domain::CompanyId(1))).await.unwrap().len(), 1);
}

#[tokio::test]
async fn the_owner_sees_the_waitlist_and_removes_an_entry_and_others_cannot() {
    let app = crate::console::console_app().await; // no SMS: offers would go to the owner as callbacks
    let joined = app
        .call_as(3, "join_waitlist", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:00", "staff": "Jonas", "name": "Wera Warte"}))
        .await;
    assert_eq!(joined["success"], true, "{joined}");
    let owner = crate::console::login(&app, "inhaberin@schnittpunkt.example", crate::console::PASSWORD).await.unwrap();
    let (status, page) = owner.page("/admin/waitlist").await;
    assert_eq!(status, 200);
    assert!(page.contains("Wera Warte") && page.contains("Herrenhaarschnitt") && page.contains("10:00–10:01"), "{page}");
    let id = app.store.waiting_entries(Some(frontdesk::domain::CompanyId(1))).await.unwrap()[0].id;
    // another company's owner and a staff login cannot remove it
    let riverside = crate::console::login(&app, "owner@riverside.example", crate::console::PASSWORD).await.unwrap();
    let (status, _) = riverside.form(&format!("/admin/waitlist/{id}/remove"), &[], true).await;
    assert_eq!(status, 404);
    let jonas = crate::console::login(&app, "jonas@schnittpunkt.example", crate::console::PASSWORD).await.unwrap();
    let (status, _) = jonas.form(&format!("/admin/waitlist/{id}/remove"), &[], true).await;
    assert_eq!(status, 403);
    let (status, location) = owner.form(&format!("/admin/waitlist/{id}/remove"), &[], true).await;
    assert_eq!((status, location.as_str()), (303, "/admin/waitlist"));
    let (_, page) = owner.page("/admin/waitlist").await;
    assert!(!page.contains("Wera Warte") && page.contains("Niemand wartet."), "{page}");
}

#[tokio::test]
async fn without_sms_a_freed_time_becomes_a_callback_for_the_owner() {
    let app = TestApp::spawn().await;
    let booked = app
        .call("book_appointment", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:00", "name": "Anna Schmidt", "staff": "Jonas"}))
        .await
        .json();
    assert_eq!(booked["success"], true);
    let joined = app
        .call_as(3, "join_waitlist", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:00", "staff": "Jonas", "name": "Wera Warte"}))
        .await;
    assert_eq!(joined["by_sms"], false, "{joined}");
    assert!(joined["message"].as_str().unwrap().contains("ruft Sie jemand aus dem Team an"), "{joined}");
    assert_eq!(app.call("cancel_appointment", json!({"date": "morgen"})).await.json()["success"], true);
    let mut found = Vec::new();
    for _ in 0..100 {
        found = app.store.open_callbacks(frontdesk::domain::CompanyId(1)).await.unwrap();
        if !found.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].phone, caller(3));
    assert!(found[0].reason.as_deref().unwrap_or_default().contains("Termin frei geworden: Herrenhaarschnitt 01.12.2026 10:00"), "{found:?}");
}

#[tokio::test]
async fn on_postgresql_two_instances_remind_once_and_one_of_two_ja_books() {
    let sms = serve_sms(SmsSim::new(&[(SID, TOKEN)]), "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let env = [
        ("FRONTDESK_SMS_URL", sms.base_url.clone()),
        ("FRONTDESK_SMS_ACCOUNT_SID", SID.to_string()),
        ("FRONTDESK_SMS_AUTH_TOKEN", TOKEN.to_string()),
        ("FRONTDESK_SMS_FROM", SENDER.to_string()),
    ];
    let Some((a, b)) = crate::helpers::two_instances_with(None, None, crate::helpers::monday_morning(), &env).await else { return };
    // Anna books on one instance, two wait on the other
    let booked = a
        .call("book_appointment", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:00", "name": "Anna Schmidt", "staff": "Jonas", "sms_ok": true}))
        .await
        .json();
    assert_eq!(booked["success"], true, "{booked}");
    joins_for_tuesday_ten(&b, 3, "Wera Warte").await;
    joins_for_tuesday_ten(&b, 4, "Willi Warte").await;
    // both instances plan reminders: Anna gets one
    for app in [&a, &b] {
        app.clock.advance(chrono::Duration::hours(2));
    }
    assert_eq!(texts_saying(&sms, CALLER, "Erinnerung", 1).await.len(), 1);
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(texts_saying(&sms, CALLER, "Erinnerung", 1).await.len(), 1, "exactly once from two instances");
    // ABSAGEN to one instance frees the time; both offer rounds run; each waiting number gets one offer
    let (_, answer) = sms.sim.reply(SID, &format!("{}/sms/inbound", a.address), CALLER, SENDER, "ABSAGEN").await;
    assert!(!answer.contains("<Message>"), "{answer}");
    assert_eq!(texts_saying(&sms, &caller(3), "frei geworden", 1).await.len(), 1);
    assert_eq!(texts_saying(&sms, &caller(4), "frei geworden", 1).await.len(), 1);
    // the two JA arrive at the same moment, one at each instance
    let (three, four) = (caller(3), caller(4));
    let (to_a, to_b) = (format!("{}/sms/inbound", a.address), format!("{}/sms/inbound", b.address));
    let (x, y) = tokio::join!(sms.sim.reply(SID, &to_a, &three, SENDER, "JA"), sms.sim.reply(SID, &to_b, &four, SENDER, "JA"));
    let gone = [&x.1, &y.1].iter().filter(|answer| answer.contains("schon vergeben")).count();
    assert_eq!(gone, 1, "{x:?} {y:?}");
    let mut booked = 0;
    for n in [3, 4] {
        booked += a.call_as(n, "query_appointment", json!({})).await["appointments"].as_array().map_or(0, Vec::len);
    }
    assert_eq!(booked, 1, "exactly one booking");
    tokio::time::sleep(Duration::from_millis(800)).await;
    for n in [3, 4] {
        assert_eq!(texts_saying(&sms, &caller(n), "frei geworden", 1).await.len(), 1, "one offer each");
    }
}

#[tokio::test]
async fn a_long_or_unknown_reply_changes_nothing_and_is_bounded() {
    let (app, sms) = sms_app().await;
    let booked = app
        .call("book_appointment", json!({"service": "Herrenhaarschnitt", "date": "übermorgen", "time": "10:00", "name": "Anna Schmidt", "sms_ok": true}))
        .await
        .json();
    assert_eq!(booked["success"], true);
    let inbound = format!("{}/sms/inbound", app.address);
    // 2,000 characters of chatter: read up to 1,600, not a keyword, nothing changes
    let (status, answer) = sms.sim.reply(SID, &inbound, CALLER, SENDER, &"Hallo ".repeat(333)).await;
    assert_eq!((status, answer.contains("<Message>")), (200, false), "{answer}");
    // ABSAGEN from a number that was never reminded of anything: nothing changes
    let (status, answer) = sms.sim.reply(SID, &inbound, "+4917600000001", SENDER, "ABSAGEN").await;
    assert_eq!(status, 200, "{answer}");
    let mine = app.call("query_appointment", json!({})).await.json();
    assert_eq!(mine["appointments"].as_array().map(Vec::len), Some(1), "{mine}");
}

#[tokio::test]
async fn a_moved_appointment_is_reminded_for_its_new_time_only() {
    let (app, sms) = sms_app().await; // Monday 08:00
    let booked = app
        .call("book_appointment", json!({"service": "Herrenhaarschnitt", "date": "übermorgen", "time": "10:00", "name": "Anna Schmidt", "staff": "Jonas", "sms_ok": true}))
        .await
        .json();
    assert_eq!(booked["success"], true, "{booked}");
    let moved = app.call("reschedule_appointment", json!({"date": "übermorgen", "new_date": "übermorgen", "new_time": "14:00"})).await.json();
    assert_eq!(moved["success"], true, "{moved}");
    // Tuesday 10:00, when the old time would have been reminded: nothing
    app.clock.advance(chrono::Duration::hours(26));
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(texts_saying(&sms, CALLER, "Erinnerung", 0).await.is_empty());
    // Tuesday 14:00: the new time
    app.clock.advance(chrono::Duration::hours(4));
    let reminders = texts_saying(&sms, CALLER, "Erinnerung", 1).await;
    assert_eq!(reminders.len(), 1, "{reminders:?}");
    assert!(reminders[0].contains("Mi 02.12. 14:00"), "{reminders:?}");
}

#[tokio::test]
async fn waitlist_entries_end_on_stop_on_a_booking_and_after_their_last_day() {
    let (app, sms) = sms_app().await;
    let company = frontdesk::domain::CompanyId(1);
    let waiting = || async { app.store.waiting_entries(Some(company)).await.unwrap().into_iter().map(|e| e.phone).collect::<Vec<_>>() };
    let full = app.call("book_appointment", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:00", "name": "Anna Schmidt", "staff": "Jonas"})).await.json();
    assert_eq!(full["success"], true);
    for n in [3, 4, 5] {
        joins_for_tuesday_ten(&app, n, "Wartende").await;
    }
    assert_eq!(waiting().await.len(), 3);
    // STOP from the first: no offer could reach them
    let (_, answer) = sms.sim.reply(SID, &format!("{}/sms/inbound", app.address), &caller(3), SENDER, "STOP").await;
    assert!(answer.contains("keine SMS mehr"), "{answer}");
    // the second books the service another way (Wednesday)
    let other = app.call_as(4, "book_appointment", json!({"service": "Herrenhaarschnitt", "date": "übermorgen", "time": "11:00", "name": "Wartende"})).await;
    assert_eq!(other["success"], true, "{other}");
    let mut left = waiting().await;
    for _ in 0..40 {
        if left.len() == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        left = waiting().await;
    }
    assert_eq!(left, vec![caller(5)]);
    // the third's last day (Tuesday) passes
    app.clock.advance(chrono::Duration::hours(41)); // Wednesday 01:00
    for _ in 0..40 {
        if waiting().await.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(waiting().await.is_empty());
}

#[tokio::test]
async fn a_company_texts_under_its_own_name_and_then_asks_for_no_reply() {
    // the salon's own alphanumeric sender: customers see its name and cannot answer it
    let tenants = crate::helpers::demo_tenants().replacen("cancel_hours_before = 24", "cancel_hours_before = 24\nsms_from = \"Schnittpkt\"", 1);
    let (app, sms) = sms_app_with(tenants).await;
    let booked = app
        .call("book_appointment", json!({"service": "Herrenhaarschnitt", "date": "übermorgen", "time": "10:00", "name": "Anna Schmidt", "staff": "Jonas", "sms_ok": true}))
        .await
        .json();
    assert_eq!(booked["success"], true, "{booked}");
    let sent = texts_to(&sms, CALLER, 1).await;
    assert_eq!(sent[0].from, "Schnittpkt");
    app.clock.advance(chrono::Duration::hours(26)); // Tuesday 10:00
    let reminders = texts_saying(&sms, CALLER, "Erinnerung", 1).await;
    assert_eq!(reminders, vec!["Salon Schnittpunkt: Erinnerung an Ihren Termin Mi 02.12. 10:00 Herrenhaarschnitt bei Jonas.".to_string()]);
}
