//! `X-Retell-Signature`: only exact, fresh signatures of the exact body pass.

use crate::helpers::{retell_signature, TestApp, CALLER, SALON};
use serde_json::json;

async fn assert_refused(app: &TestApp, body: Vec<u8>, signature: Option<String>) {
    let answer = app.post("/retell/functions/get_available_services", body, signature).await;
    assert_eq!(answer.status, 401, "{}", answer.text);
    assert!(answer.content_type.starts_with("application/json"));
    assert_eq!(answer.json()["error"], "unauthorized");
}

#[tokio::test]
async fn a_valid_signature_is_accepted() {
    let app = TestApp::spawn().await;
    let body = app.payload("get_available_services", json!({}), CALLER, SALON);
    let answer = app.post("/retell/functions/get_available_services", body.clone(), Some(app.sign(&body))).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    // Four minutes off either way is still within the window.
    for skew in [-240_000, 240_000] {
        let signature = retell_signature(&body, "key_test_frontdesk", app.now.timestamp_millis() + skew);
        let answer = app.post("/retell/functions/get_available_services", body.clone(), Some(signature)).await;
        assert_eq!(answer.status, 200, "skew {skew}");
    }
}

#[tokio::test]
async fn missing_wrong_stale_and_tampered_signatures_are_refused() {
    let app = TestApp::spawn().await;
    let body = app.payload("get_available_services", json!({}), CALLER, SALON);
    let now = app.now.timestamp_millis();
    assert_refused(&app, body.clone(), None).await;
    assert_refused(&app, body.clone(), Some("garbage".into())).await;
    assert_refused(&app, body.clone(), Some(retell_signature(&body, "another_key", now))).await;
    assert_refused(&app, body.clone(), Some(retell_signature(&body, "key_test_frontdesk", now - 6 * 60_000))).await;
    assert_refused(&app, body.clone(), Some(retell_signature(&body, "key_test_frontdesk", now + 6 * 60_000))).await;
    let signature = app.sign(&body);
    let tampered = app.payload("get_available_services", json!({"x": 1}), CALLER, SALON);
    assert_refused(&app, tampered, Some(signature.clone())).await;
    // The timestamp is part of what is signed: changing it breaks the digest.
    let digest = signature.split(",d=").nth(1).unwrap();
    assert_refused(&app, body.clone(), Some(format!("v={},d={digest}", now + 1))).await;
}

#[tokio::test]
async fn a_body_that_is_no_function_call_is_refused_for_its_signature_first() {
    let app = TestApp::spawn().await;
    // Without the call object: unsigned it is unauthorized (nothing about its shape is told), signed
    // it is a bad request that says which switch in Retell to turn off.
    let body = serde_json::to_vec(&json!({"name": "get_available_services", "args": {}})).unwrap();
    assert_refused(&app, body.clone(), None).await;
    assert_refused(&app, body.clone(), Some(retell_signature(&body, "another_key", app.now.timestamp_millis()))).await;
    let answer = app.post("/retell/functions/get_available_services", body.clone(), Some(app.sign(&body))).await;
    assert_eq!(answer.status, 400, "{}", answer.text);
    assert!(answer.json()["message"].as_str().unwrap_or_default().contains("Payload: args only"), "{}", answer.text);
    // Not JSON at all: the same order.
    assert_refused(&app, b"{not json".to_vec(), None).await;
    let answer = app.post("/retell/functions/get_available_services", b"{not json".to_vec(), Some(app.sign(b"{not json"))).await;
    assert_eq!(answer.status, 400, "{}", answer.text);
}
