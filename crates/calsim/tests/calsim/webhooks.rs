use crate::helpers::{next_weekday_at, salon, start_with, Client, SALON_KEY};
use axum::body::Bytes;
use axum::http::HeaderMap;
use axum::routing::post;
use calsim::{Faults, Fixture, Webhook};
use chrono::Weekday;
use hmac::{Hmac, Mac};
use reqwest::Method;
use serde_json::{json, Value};
use sha2::Sha256;
use tokio::sync::mpsc;

/// A webhook receiver that hands over (signature header, raw body).
pub async fn receiver() -> (String, mpsc::UnboundedReceiver<(String, Bytes)>) {
    let (sender, received) = mpsc::unbounded_channel();
    let app = axum::Router::new().route(
        "/hook",
        post(move |headers: HeaderMap, body: Bytes| {
            let sender = sender.clone();
            async move {
                let signature =
                    headers.get("x-cal-signature-256").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
                let _ = sender.send((signature, body));
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, received)
}

pub fn independent_hmac(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

pub async fn next(received: &mut mpsc::UnboundedReceiver<(String, Bytes)>) -> (String, Bytes, Value) {
    let (signature, body) =
        tokio::time::timeout(std::time::Duration::from_secs(5), received.recv()).await.unwrap().unwrap();
    let json: Value = serde_json::from_slice(&body).unwrap();
    (signature, body, json)
}

#[tokio::test]
async fn booking_events_are_signed_webhooks() {
    let (url, mut received) = receiver().await;
    let webhook = Webhook { url, secret: Some("whsec_test".into()) };
    let sim =
        start_with(Fixture::default_fixture(), Faults { latency_ms: (0, 0), ..Faults::default() }, Some(webhook)).await;
    let client = Client::new(&sim);
    let at = next_weekday_at(Weekday::Tue, 15, 0);
    let uid = client.book(1001, at).await.body["data"]["uid"].as_str().unwrap().to_string();
    let (signature, body, created) = next(&mut received).await;
    assert_eq!(signature, independent_hmac("whsec_test", &body));
    assert_eq!(created["triggerEvent"], "BOOKING_CREATED");
    assert_eq!(created["payload"]["uid"], uid.as_str());
    assert_eq!(created["payload"]["eventTypeId"], 1001);
    assert_eq!(created["payload"]["status"], "ACCEPTED");
    assert_eq!(created["payload"]["metadata"]["call_id"], "call_1");

    let moved = client
        .send(
            Method::POST,
            &format!("/v2/bookings/{uid}/reschedule"),
            Some("2024-08-13"),
            None,
            Some(json!({"start": (at + chrono::Duration::hours(1)).to_rfc3339()})),
        )
        .await;
    let new_uid = moved.body["data"]["uid"].as_str().unwrap().to_string();
    let (signature, body, rescheduled) = next(&mut received).await;
    assert_eq!(signature, independent_hmac("whsec_test", &body));
    assert_eq!(rescheduled["triggerEvent"], "BOOKING_RESCHEDULED");
    assert_eq!(rescheduled["payload"]["uid"], new_uid.as_str());
    assert_eq!(rescheduled["payload"]["rescheduleUid"], uid.as_str());

    client
        .send(
            Method::POST,
            &format!("/v2/bookings/{new_uid}/cancel"),
            Some("2024-08-13"),
            None,
            Some(json!({"cancellationReason": "ill"})),
        )
        .await;
    let (_, _, cancelled) = next(&mut received).await;
    assert_eq!(cancelled["triggerEvent"], "BOOKING_CANCELLED");
    assert_eq!(cancelled["payload"]["cancellationReason"], "ill");

    let external = client
        .send(
            Method::POST,
            "/_calsim/external-booking",
            None,
            None,
            Some(json!({"eventTypeId": 1002, "start": at.to_rfc3339()})),
        )
        .await;
    assert_eq!(external.status, 201, "{:?}", external.body);
    let (_, _, announced) = next(&mut received).await;
    assert_eq!(announced["triggerEvent"], "BOOKING_CREATED");
    assert_eq!(announced["payload"]["eventTypeId"], 1002);
}

#[tokio::test]
async fn without_a_secret_the_header_says_so() {
    let (url, mut received) = receiver().await;
    let sim = start_with(
        Fixture::default_fixture(),
        Faults { latency_ms: (0, 0), ..Faults::default() },
        Some(Webhook { url, secret: None }),
    )
    .await;
    Client::new(&sim).book(1001, next_weekday_at(Weekday::Tue, 16, 0)).await;
    let (signature, _, _) = next(&mut received).await;
    assert_eq!(signature, "no-secret-provided");
}

/// Registers a webhook for `key`; the answer.
async fn register(client: &Client, key: &str, body: Value) -> crate::helpers::Answer {
    client.send(Method::POST, "/v2/webhooks", None, Some(key), Some(body)).await
}

#[tokio::test]
async fn a_registered_webhook_receives_its_triggers_signed_with_its_secret() {
    let (url, mut received) = receiver().await;
    let sim = salon().await;
    let client = Client::new(&sim);
    let created = register(
        &client,
        SALON_KEY,
        json!({"subscriberUrl": url, "triggers": ["BOOKING_CREATED", "BOOKING_RESCHEDULED"], "active": true, "secret": "whsec_created"}),
    )
    .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    assert_eq!(created.body["status"], "success");
    assert_eq!(created.body["data"]["subscriberUrl"], url.as_str());
    assert_eq!(created.body["data"]["userId"], 1);
    assert_eq!(created.body["data"]["triggers"], json!(["BOOKING_CREATED", "BOOKING_RESCHEDULED"]));
    let cancelled_url = format!("{url}?cancelled");
    let body = json!({"subscriberUrl": cancelled_url, "triggers": ["BOOKING_CANCELLED"], "active": true, "secret": "whsec_cancelled"});
    assert_eq!(register(&client, SALON_KEY, body).await.status, 201);

    let at = next_weekday_at(Weekday::Wed, 11, 0);
    let booked = client.book_as(SALON_KEY, 1, at).await;
    assert_eq!(booked.status, 201, "{:?}", booked.body);
    let uid = booked.body["data"]["uid"].as_str().unwrap().to_string();
    let (signature, body, event) = next(&mut received).await;
    assert_eq!(event["triggerEvent"], "BOOKING_CREATED");
    assert_eq!(event["payload"]["uid"], uid.as_str());
    assert_eq!(signature, independent_hmac("whsec_created", &body));

    let path = format!("/v2/bookings/{uid}/cancel");
    client.send(Method::POST, &path, Some("2024-08-13"), Some(SALON_KEY), Some(json!({}))).await;
    let (signature, body, event) = next(&mut received).await;
    assert_eq!(event["triggerEvent"], "BOOKING_CANCELLED");
    assert_eq!(signature, independent_hmac("whsec_cancelled", &body));
    // Each webhook got only what it asked for: nothing else is on its way.
    let more = tokio::time::timeout(std::time::Duration::from_millis(300), received.recv()).await;
    assert!(more.is_err(), "unexpected webhook {more:?}");
}

#[tokio::test]
async fn another_users_bookings_and_removed_or_inactive_webhooks_send_nothing() {
    let (url, mut received) = receiver().await;
    let sim = salon().await;
    let client = Client::new(&sim);
    let all = json!(["BOOKING_CREATED", "BOOKING_CANCELLED", "BOOKING_RESCHEDULED"]);
    let mine = register(&client, SALON_KEY, json!({"subscriberUrl": url, "triggers": all, "active": true})).await;
    let inactive = json!({"subscriberUrl": format!("{url}?off"), "triggers": all, "active": false, "secret": "s"});
    assert_eq!(register(&client, SALON_KEY, inactive).await.status, 201);
    let id = mine.body["data"]["id"].as_i64().unwrap();

    // Event type 4 is cal_live_other's: the salon's webhook does not hear of it.
    client.book_as("cal_live_other", 4, next_weekday_at(Weekday::Thu, 10, 0)).await;
    client.book_as(SALON_KEY, 2, next_weekday_at(Weekday::Thu, 10, 0)).await;
    let (signature, _, event) = next(&mut received).await;
    assert_eq!(event["payload"]["eventTypeId"], 2);
    assert_eq!(signature, "no-secret-provided");

    let listed = client.send(Method::GET, "/v2/webhooks", None, Some(SALON_KEY), None).await;
    assert_eq!(listed.body["data"].as_array().unwrap().len(), 2);
    let theirs = client.send(Method::GET, "/v2/webhooks", None, Some("cal_live_other"), None).await;
    assert_eq!(theirs.body["data"], json!([]));
    let forbidden =
        client.send(Method::DELETE, &format!("/v2/webhooks/{id}"), None, Some("cal_live_other"), None).await;
    assert_eq!(forbidden.status, 403);
    let deleted = client.send(Method::DELETE, &format!("/v2/webhooks/{id}"), None, Some(SALON_KEY), None).await;
    assert_eq!(deleted.status, 200, "{:?}", deleted.body);
    assert_eq!(deleted.body["data"]["id"], id);
    let gone = client.send(Method::GET, &format!("/v2/webhooks/{id}"), None, Some(SALON_KEY), None).await;
    assert_eq!(gone.status, 404);

    client.book_as(SALON_KEY, 3, next_weekday_at(Weekday::Thu, 12, 0)).await;
    let more = tokio::time::timeout(std::time::Duration::from_millis(300), received.recv()).await;
    assert!(more.is_err(), "unexpected webhook {more:?}");
}

#[tokio::test]
async fn a_webhook_body_is_validated_as_cal_com_validates_it() {
    let sim = salon().await;
    let client = Client::new(&sim);
    let missing_url = register(&client, SALON_KEY, json!({"triggers": ["BOOKING_CREATED"], "active": true})).await;
    assert_eq!(missing_url.status, 400);
    assert_eq!(missing_url.body["error"]["code"], "BadRequestException");
    assert_eq!(missing_url.body["error"]["message"], "subscriberUrl must be a string");
    let missing_triggers =
        register(&client, SALON_KEY, json!({"subscriberUrl": "http://x/hook", "active": true})).await;
    assert_eq!(missing_triggers.status, 400);
    assert_eq!(missing_triggers.body["error"]["message"], "triggers must be an array");
    let bad_trigger =
        register(&client, SALON_KEY, json!({"subscriberUrl": "http://x/hook", "active": true, "triggers": ["BOOKED"]}))
            .await;
    assert_eq!(bad_trigger.status, 400);
    let no_active = register(&client, SALON_KEY, json!({"subscriberUrl": "http://x/hook", "triggers": []})).await;
    assert_eq!(no_active.body["error"]["message"], "active must be a boolean value");

    let good = json!({"subscriberUrl": "http://x/hook", "triggers": ["BOOKING_CREATED"], "active": true});
    assert_eq!(register(&client, SALON_KEY, good.clone()).await.status, 201);
    let again = register(&client, SALON_KEY, good.clone()).await;
    assert_eq!(again.status, 409);
    assert_eq!(again.body["error"]["code"], "ConflictException");
    // The same URL is another user's own to register.
    assert_eq!(register(&client, "cal_live_other", good.clone()).await.status, 201);
    assert_eq!(register(&client, "cal_live_wrong", good).await.status, 401);
}
