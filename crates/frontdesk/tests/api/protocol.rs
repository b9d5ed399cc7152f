//! The response convention: JSON for every outcome, the right status for each refusal.

use crate::helpers::{TestApp, CALLER, SALON};
use serde_json::json;

#[tokio::test]
async fn malformed_json_and_a_missing_call_are_400_json() {
    let app = TestApp::spawn().await;
    for body in [b"{not json".to_vec(), br#"{"name":"x","args":{}}"#.to_vec(), b"".to_vec(), br#"{"call":{}}"#.to_vec()]
    {
        let signature = app.sign(&body);
        let answer = app.post("/retell/functions/get_available_services", body.clone(), Some(signature)).await;
        assert_eq!(answer.status, 400, "{:?}: {}", String::from_utf8_lossy(&body), answer.text);
        assert_eq!(answer.json()["error"], "bad_request");
    }
}

#[tokio::test]
async fn an_unknown_function_is_404_listing_the_known_ones() {
    let app = TestApp::spawn().await;
    let answer = app.call("order_pizza", json!({})).await;
    assert_eq!(answer.status, 404);
    let body = answer.json();
    assert_eq!(body["error"], "unknown_function");
    let known: Vec<&str> = body["known_functions"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert!(known.contains(&"check_availability") && known.contains(&"get_current_context"), "{known:?}");
}

#[tokio::test]
async fn the_function_name_may_come_in_the_body() {
    let app = TestApp::spawn().await;
    let body = app.payload("list_services", json!({}), CALLER, SALON);
    let answer = app.post("/retell/functions", body.clone(), Some(app.sign(&body))).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert!(answer.json()["services"].as_array().unwrap().len() >= 4);
}

#[tokio::test]
async fn a_body_over_64_kib_is_refused_with_json() {
    let app = TestApp::spawn().await;
    let body = app.payload("get_available_services", json!({"padding": "x".repeat(70 * 1024)}), CALLER, SALON);
    let answer = app.post("/retell/functions/get_available_services", body.clone(), Some(app.sign(&body))).await;
    assert_eq!(answer.status, 413, "{}", answer.text);
    assert_eq!(answer.json()["error"], "too_large");
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_json() {
    let app = TestApp::spawn().await;
    let answer = app.get("/nope").await;
    assert_eq!(answer.status, 404);
    assert_eq!(answer.json()["error"], "not_found");
    let answer = app.get("/retell/functions/check_availability").await;
    assert_eq!(answer.status, 405);
    assert_eq!(answer.json()["error"], "method_not_allowed");
}

#[tokio::test]
async fn a_number_no_tenant_has_gets_a_spoken_answer() {
    let app = TestApp::spawn().await;
    let answer = app.call_between("get_available_services", json!({}), CALLER, "+4989000000").await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.json()["error"], "unknown_number");
}

#[tokio::test]
async fn health_readiness_and_metrics() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/healthz").await.json()["status"], "ok");
    assert_eq!(app.get("/readyz").await.json()["status"], "ready");
    app.call("check_availability", json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:00"})).await;
    let metrics = app.get("/metrics").await;
    assert_eq!(metrics.status, 200);
    assert!(
        metrics.text.contains("frontdesk_function_duration_seconds_bucket{function=\"check_availability\""),
        "{}",
        metrics.text
    );
    assert!(metrics.text.contains("frontdesk_calendar_requests_total{provider=\"local\""), "{}", metrics.text);
}

#[tokio::test]
async fn every_call_lands_in_the_audit_trail_once_the_server_stops() {
    let mut app = TestApp::spawn().await;
    for _ in 0..25 {
        app.call("get_opening_hours", json!({})).await;
    }
    app.call("check_availability", json!({"service": "Massage", "date": "morgen", "time": "10"})).await;
    app.shutdown().await;
    let rows = app.reopen_store().await.function_call_outcomes(100).await.unwrap();
    assert_eq!(rows.len(), 26);
    assert!(rows.contains(&("check_availability".to_string(), "unknown_service".to_string())));
}

#[tokio::test]
async fn server_timing_names_the_request_and_the_function() {
    // The client signs with the real clock, so the app runs on it too.
    let app = TestApp::builder().at(chrono::Utc::now()).spawn().await;
    let client = frontdesk::client::RetellClient::new(&app.address, crate::helpers::API_KEY);
    let call = frontdesk::client::CallIdentity {
        call_id: "call_timing".into(),
        from_number: crate::helpers::CALLER.into(),
        to_number: crate::helpers::SALON.into(),
    };
    let exchange = client.call("parse_date", json!({"datum": "morgen", "uhrzeit": "halb drei"}), &call).await.unwrap();
    assert_eq!(exchange.status, 200, "{}", exchange.body);
    let function = exchange.function.expect("a function answered: fn;dur is there");
    assert!(exchange.server > std::time::Duration::ZERO);
    assert!(function <= exchange.server, "{function:?} within {:?}", exchange.server);
    // A path that runs no function has the request's time only.
    let health = reqwest::get(format!("{}/healthz", app.address)).await.unwrap();
    let timing = health.headers()["server-timing"].to_str().unwrap().to_string();
    assert!(timing.starts_with("app;dur=") && !timing.contains("fn;"), "{timing}");
}
