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
    let sms = serve_sms(SmsSim::new(&[(SID, TOKEN)]), "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let app = TestApp::builder()
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
