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
