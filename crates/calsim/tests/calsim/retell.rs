//! The Retell simulator: provisioning an LLM, an agent and a number, bodies held to the SDK's
//! types, keys, workspaces, and failures on demand.

use calsim::retell::{serve_retell, Counts, RetellSim, RunningRetell};
use reqwest::Method;
use serde_json::{json, Value};

const KEY: &str = "key_salon";
const NUMBER: &str = "+4930123456";

async fn start() -> RunningRetell {
    let sim = RetellSim::new(&[(KEY, &[NUMBER, "+4930999999"]), ("key_other", &["+4940111111"])]);
    serve_retell(sim, "127.0.0.1:0".parse().unwrap()).await.unwrap()
}

/// Status and JSON body of a request with `key`.
async fn call(
    retell: &RunningRetell,
    method: Method,
    path: &str,
    key: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    let answer = crate::helpers::Client::at(&retell.base_url).send(method, path, None, key, body).await;
    (answer.status, answer.body)
}

/// An LLM as frontdesk's `retell-agent` writes one.
fn llm_body() -> Value {
    json!({
        "general_prompt": "Du bist die Rezeption von {{company_name}}.",
        "begin_message": "Guten Tag!",
        "start_speaker": "agent",
        "general_tools": [
            {
                "type": "custom",
                "name": "check_availability",
                "description": "Freie Zeiten",
                "url": "https://fd.example/retell/functions/check_availability",
                "speak_during_execution": true,
                "speak_after_execution": true,
                "execution_message_description": "Einen Moment.",
                "execution_message_type": "static_text",
                "timeout_ms": 10000,
                "parameters": {"type": "object", "properties": {"date": {"type": "string"}}, "required": ["date"]}
            },
            {"type": "end_call", "name": "end_call", "description": "Auflegen"}
        ]
    })
}

fn agent_body(llm_id: &str) -> Value {
    json!({
        "agent_name": "frontdesk – Innenstadt",
        "response_engine": {"type": "retell-llm", "llm_id": llm_id},
        "voice_id": "11labs-Carola",
        "language": "de-DE",
        "webhook_url": "https://fd.example/retell/webhook",
        "webhook_events": ["call_started", "call_ended", "call_analyzed"],
        "end_call_after_silence_ms": 30000
    })
}

#[tokio::test]
async fn an_llm_an_agent_and_a_bound_number() {
    let retell = start().await;
    let (status, llm) = call(&retell, Method::POST, "/create-retell-llm", Some(KEY), Some(llm_body())).await;
    assert_eq!(status, 201, "{llm}");
    let llm_id = llm["llm_id"].as_str().unwrap().to_string();
    assert!(llm_id.starts_with("llm_"));
    assert_eq!(llm["version"], 0);
    assert!(llm["last_modification_timestamp"].as_i64().unwrap() > 0);
    assert_eq!(llm["general_tools"][0]["name"], "check_availability");

    let (status, agent) = call(&retell, Method::POST, "/create-agent", Some(KEY), Some(agent_body(&llm_id))).await;
    assert_eq!(status, 201, "{agent}");
    let agent_id = agent["agent_id"].as_str().unwrap().to_string();
    assert!(agent_id.starts_with("agent_"));
    assert_eq!(agent["response_engine"]["llm_id"], llm_id.as_str());
    assert_eq!(agent["voice_id"], "11labs-Carola");

    let bind = json!({
        "inbound_agents": [{"agent_id": agent_id, "weight": 1}],
        "inbound_webhook_url": "https://fd.example/retell/inbound",
        "nickname": "Innenstadt"
    });
    let (status, number) =
        call(&retell, Method::PATCH, "/update-phone-number/%2B4930123456", Some(KEY), Some(bind)).await;
    assert_eq!(status, 200, "{number}");
    assert_eq!(number["phone_number"], NUMBER);
    assert_eq!(number["inbound_agents"][0]["agent_id"], agent_id.as_str());
    assert_eq!(number["inbound_webhook_url"], "https://fd.example/retell/inbound");

    let prompt = json!({"general_prompt": "Neu."});
    let (status, updated) =
        call(&retell, Method::PATCH, &format!("/update-retell-llm/{llm_id}"), Some(KEY), Some(prompt)).await;
    assert_eq!((status, &updated["general_prompt"]), (200, &json!("Neu.")));
    assert_eq!(updated["begin_message"], "Guten Tag!");
    let hook = json!({"webhook_url": "https://new.example/retell/webhook"});
    let path = format!("/update-agent/{agent_id}?version=0");
    assert_eq!(call(&retell, Method::PATCH, &path, Some(KEY), Some(hook)).await.0, 200);

    let (status, fetched) = call(&retell, Method::GET, &format!("/get-agent/{agent_id}"), Some(KEY), None).await;
    assert_eq!((status, &fetched["webhook_url"]), (200, &json!("https://new.example/retell/webhook")));
    let (status, fetched) = call(&retell, Method::GET, &format!("/get-retell-llm/{llm_id}"), Some(KEY), None).await;
    assert_eq!((status, &fetched["general_prompt"]), (200, &json!("Neu.")));
    let (status, fetched) = call(&retell, Method::GET, "/get-phone-number/+4930123456", Some(KEY), None).await;
    assert_eq!((status, &fetched["nickname"]), (200, &json!("Innenstadt")));

    let sim = &retell.sim;
    assert_eq!(sim.creates(), Counts { llms: 1, agents: 1, numbers: 0 });
    assert_eq!(sim.updates(), Counts { llms: 1, agents: 1, numbers: 1 });
    assert_eq!(sim.llm(&llm_id).unwrap()["general_prompt"], "Neu.");
    assert_eq!(sim.agent(&agent_id).unwrap()["language"], "de-DE");
    assert_eq!(sim.number(NUMBER).unwrap()["inbound_agents"][0]["weight"], 1);
    let captured = sim.captured();
    let writes: Vec<(&str, &str)> = captured
        .iter()
        .filter(|c| c.method != "GET")
        .map(|c| (c.method.as_str(), c.path.split('/').nth(1).unwrap()))
        .collect();
    assert_eq!(
        writes,
        [
            ("POST", "create-retell-llm"),
            ("POST", "create-agent"),
            ("PATCH", "update-phone-number"),
            ("PATCH", "update-retell-llm"),
            ("PATCH", "update-agent")
        ]
    );
    assert_eq!(captured[0].body, llm_body());
    assert_eq!(captured[0].status, 201);
    let (_, listed) = call(&retell, Method::GET, "/_retell/requests", None, None).await;
    assert_eq!(listed.as_array().unwrap().len(), captured.len());
}

#[tokio::test]
async fn a_body_outside_the_sdks_types_is_a_400_naming_the_field() {
    let retell = start().await;
    let mut body = llm_body();
    body["general_tools"][0]["speak_after"] = json!(true);
    let (status, error) = call(&retell, Method::POST, "/create-retell-llm", Some(KEY), Some(body)).await;
    assert_eq!(status, 400);
    assert_eq!(error["status"], "error");
    let message = error["message"].as_str().unwrap();
    assert!(message.starts_with("general_tools[0].speak_after: unknown field"), "{message}");

    let (status, error) =
        call(&retell, Method::POST, "/create-retell-llm", Some(KEY), Some(json!({"prompt": "x"}))).await;
    assert_eq!(status, 400);
    assert!(error["message"].as_str().unwrap().starts_with("prompt: unknown field"), "{error}");
    let (status, error) =
        call(&retell, Method::POST, "/create-retell-llm", Some(KEY), Some(json!({"begin_message": 5}))).await;
    assert_eq!(status, 400);
    assert!(error["message"].as_str().unwrap().starts_with("begin_message: expected string | null"), "{error}");

    let (_, llm) = call(&retell, Method::POST, "/create-retell-llm", Some(KEY), Some(llm_body())).await;
    let mut agent = agent_body(llm["llm_id"].as_str().unwrap());
    agent.as_object_mut().unwrap().remove("voice_id");
    let (status, error) = call(&retell, Method::POST, "/create-agent", Some(KEY), Some(agent)).await;
    assert_eq!(status, 400);
    assert!(error["message"].as_str().unwrap().starts_with("voice_id: required"), "{error}");
    let old_style = json!({"inbound_agent_id": "agent_x"});
    let (status, error) =
        call(&retell, Method::PATCH, "/update-phone-number/+4930123456", Some(KEY), Some(old_style)).await;
    assert_eq!(status, 400);
    assert!(error["message"].as_str().unwrap().contains("inbound_agents"), "{error}");
    assert_eq!(retell.sim.creates(), Counts { llms: 1, agents: 0, numbers: 0 });
}

#[tokio::test]
async fn a_wrong_or_missing_key_is_a_401() {
    let retell = start().await;
    let (status, error) = call(&retell, Method::POST, "/create-retell-llm", Some("key_wrong"), Some(llm_body())).await;
    assert_eq!(status, 401);
    assert_eq!(error["status"], "error");
    assert_eq!(call(&retell, Method::GET, "/get-phone-number/+4930123456", None, None).await.0, 401);
    assert_eq!(retell.sim.creates(), Counts::default());
}

#[tokio::test]
async fn unknown_or_anothers_objects_are_404() {
    let retell = start().await;
    let bind = json!({"inbound_webhook_url": "https://fd.example/retell/inbound"});
    let (status, _) =
        call(&retell, Method::PATCH, "/update-phone-number/+4989000000", Some(KEY), Some(bind.clone())).await;
    assert_eq!(status, 404);
    let (status, _) = call(&retell, Method::PATCH, "/update-phone-number/+4940111111", Some(KEY), Some(bind)).await;
    assert_eq!(status, 404, "another key's number");
    let prompt = json!({"general_prompt": "x"});
    let (status, error) = call(&retell, Method::PATCH, "/update-retell-llm/llm_nope", Some(KEY), Some(prompt)).await;
    assert_eq!(status, 404);
    assert_eq!(error["status"], "error");
    let (status, _) = call(&retell, Method::POST, "/create-agent", Some(KEY), Some(agent_body("llm_nope"))).await;
    assert_eq!(status, 404);
    let stranger = json!({"inbound_agents": [{"agent_id": "agent_nope", "weight": 1}]});
    let (status, _) = call(&retell, Method::PATCH, "/update-phone-number/+4930123456", Some(KEY), Some(stranger)).await;
    assert_eq!(status, 404);

    let (_, llm) = call(&retell, Method::POST, "/create-retell-llm", Some(KEY), Some(llm_body())).await;
    let llm_id = llm["llm_id"].as_str().unwrap();
    assert_eq!(call(&retell, Method::GET, &format!("/get-retell-llm/{llm_id}"), Some("key_other"), None).await.0, 404);
    let (status, _) = call(&retell, Method::POST, "/create-agent", Some("key_other"), Some(agent_body(llm_id))).await;
    assert_eq!(status, 404, "an agent on another key's LLM");
    assert_eq!(retell.sim.updates(), Counts::default());
}

#[tokio::test]
async fn a_planned_failure_changes_nothing_and_the_retry_completes() {
    let retell = start().await;
    let (_, llm) = call(&retell, Method::POST, "/create-retell-llm", Some(KEY), Some(llm_body())).await;
    let llm_id = llm["llm_id"].as_str().unwrap();
    retell.sim.fail_next("create-agent", 500);
    let (status, error) = call(&retell, Method::POST, "/create-agent", Some(KEY), Some(agent_body(llm_id))).await;
    assert_eq!(status, 500);
    assert_eq!(error["status"], "error");
    assert!(retell.sim.agents().is_empty());
    assert_eq!(retell.sim.llms().len(), 1, "what was made before the failure stays");
    let (status, _) = call(&retell, Method::POST, "/create-agent", Some(KEY), Some(agent_body(llm_id))).await;
    assert_eq!(status, 201);
    assert_eq!(retell.sim.creates(), Counts { llms: 1, agents: 1, numbers: 0 });
    let statuses: Vec<u16> = retell.sim.captured().iter().map(|c| c.status).collect();
    assert_eq!(statuses, [201, 500, 201]);
}
