use crate::helpers::{next_weekday_at, start_with, Client};
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
async fn receiver() -> (String, mpsc::UnboundedReceiver<(String, Bytes)>) {
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

fn independent_hmac(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

async fn next(received: &mut mpsc::UnboundedReceiver<(String, Bytes)>) -> (String, Bytes, Value) {
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
