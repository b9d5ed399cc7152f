//! Retell agents as they really are (issue 13): web calls without numbers, versioned function
//! names, placeholder call ids in `args`, and the "args only" payload switch.

use crate::helpers::{retell_signature, TestApp, API_KEY, CALLER, SALON};
use frontdesk::clock::Clock;
use serde_json::{json, Value};

/// The salon's agent, named in the demo tenants file (`retell_agent_ids`).
const SALON_AGENT: &str = "agent_salon_innenstadt";

async fn post_signed(app: &TestApp, path: &str, body: &Value) -> crate::helpers::Answer {
    let bytes = serde_json::to_vec(body).unwrap();
    let signature = retell_signature(&bytes, API_KEY, app.clock.now().timestamp_millis());
    app.post(path, bytes, Some(signature)).await
}

fn web_call(function: &str, args: Value, agent: &str) -> Value {
    json!({"name": function, "args": args,
        "call": {"call_id": "web_call_1", "agent_id": agent, "call_type": "web_call", "direction": "inbound"}})
}

#[tokio::test]
async fn a_web_call_is_answered_like_a_phone_call_and_asks_for_a_name() {
    let app = TestApp::spawn().await;
    let start =
        post_signed(&app, "/retell/functions/initialize_call", &web_call("initialize_call", json!({}), SALON_AGENT))
            .await
            .json();
    assert_eq!(start["success"], true, "{start}");
    assert_eq!(start["company_name"], "Salon Schnittpunkt");
    assert_eq!(start["branch_name"], "Innenstadt");
    let who =
        post_signed(&app, "/retell/functions/check_customer", &web_call("check_customer", json!({}), SALON_AGENT))
            .await
            .json();
    assert_eq!(who["known"], false);
    assert_eq!(who["message"], "Mit wem spreche ich bitte?");
    let booked = post_signed(
        &app,
        "/retell/functions/book_appointment",
        &web_call(
            "book_appointment",
            json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "10:00", "name": "Test Anrufer"}),
            SALON_AGENT,
        ),
    )
    .await
    .json();
    assert_eq!(booked["success"], true, "{booked}");
    // An agent nobody named finds no business, as an unknown number does.
    let unknown = post_signed(
        &app,
        "/retell/functions/initialize_call",
        &web_call("initialize_call", json!({}), "agent_unknown"),
    )
    .await
    .json();
    assert_eq!(unknown["error"], "unknown_number", "{unknown}");
    // The inbound webhook and call events find the branch by the agent too.
    let inbound = post_signed(
        &app,
        "/retell/inbound",
        &json!({"event": "call_inbound", "call_inbound": {"agent_id": SALON_AGENT}}),
    )
    .await
    .json();
    assert_eq!(inbound["call_inbound"]["dynamic_variables"]["company_name"], "Salon Schnittpunkt", "{inbound}");
}

#[tokio::test]
async fn versioned_function_names_are_the_same_function() {
    let app = TestApp::spawn().await;
    for (name, path) in [("check_availability_v17", "check_availability_v17"), ("start_booking_v4", "start_booking_v4")]
    {
        let args = json!({"service": "Herrenhaarschnitt", "date": "morgen", "time": "11:00", "name": "Versioniert"});
        let body = json!({"name": name, "args": args, "call": {"call_id": "call_v", "from_number": CALLER, "to_number": SALON}});
        let answer = post_signed(&app, &format!("/retell/functions/{path}"), &body).await;
        assert_eq!(answer.status, 200, "{name}: {}", answer.text);
        assert_eq!(answer.json()["success"], true, "{name}: {}", answer.text);
    }
    // "_v" without digits, or digits without "_v", are not versions.
    for path in ["check_availability_v", "check_availability17", "check_availability_vx"] {
        let body = json!({"args": {}, "call": {"call_id": "call_v", "from_number": CALLER, "to_number": SALON}});
        assert_eq!(post_signed(&app, &format!("/retell/functions/{path}"), &body).await.status, 404, "{path}");
    }
}

#[tokio::test]
async fn placeholder_call_ids_in_args_are_ignored() {
    let app = TestApp::spawn().await;
    let mut first = None;
    for placeholder in ["None", "undefined", "{{call_id}}"] {
        let args = json!({"call_id": placeholder, "service": "Herrenhaarschnitt", "date": "morgen", "time": "12:00", "name": "Platzhalter"});
        let body = json!({"name": "book_appointment", "args": args, "call": {"call_id": "call_real", "from_number": CALLER, "to_number": SALON}});
        let answer = post_signed(&app, "/retell/functions/book_appointment", &body).await.json();
        assert_eq!(answer["success"], true, "{answer}");
        // The call object's id is the truth: every retry is the same booking.
        let id = answer["appointment_id"].clone();
        assert_eq!(first.get_or_insert(id.clone()), &id);
    }
}

#[tokio::test]
async fn a_payload_without_its_call_names_the_retell_switch() {
    let app = TestApp::spawn().await;
    let answer = post_signed(
        &app,
        "/retell/functions/check_availability",
        &json!({"service": "Herrenhaarschnitt", "date": "morgen"}),
    )
    .await;
    assert_eq!(answer.status, 400);
    let message = answer.json()["message"].as_str().unwrap().to_string();
    assert!(message.contains("Payload: args only"), "{message}");
}
