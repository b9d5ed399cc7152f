//! A Retell API simulator (`https://api.retellai.com`): the LLMs, agents and phone numbers a
//! client provisions, behind `Authorization: Bearer <key>`, with request bodies held to the
//! retell-sdk's types ([`params`]). Each key is its own workspace: it sees only the objects made
//! with it and the numbers it was given. Everything is kept for tests — the objects, counts of
//! creates and updates, and every request body as it arrived — and the next request to an
//! endpoint can be made to fail.
//!
//! Errors answer `{"status": "error", "message": …}`; not-found is 404.

pub mod params;

use crate::faults::bearer;
use crate::state::new_uid;
use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use axum::{Extension, Json, Router};
use params::{bound_agents, check_agent, check_llm, check_number, AGENT_CREATE, AGENT_UPDATE, LLM_CREATE, LLM_UPDATE};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

/// Creates or updates so far, per kind of object.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Retell LLMs.
    pub llms: u64,
    /// Agents.
    pub agents: u64,
    /// Phone numbers (updates only: numbers are bought, not created here).
    pub numbers: u64,
}

/// One request as it arrived, with the status it was answered.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Captured {
    /// `POST`, `PATCH`, `GET`.
    pub method: String,
    /// The path, e.g. `/update-agent/agent_…`.
    pub path: String,
    /// The answer's status.
    pub status: u16,
    /// The JSON body (`null` when empty; the raw text as a string when not JSON).
    pub body: Value,
}

/// A stored object and the key (workspace) it belongs to.
#[derive(Debug, Clone)]
struct Owned {
    key: String,
    object: Map<String, Value>,
}

#[derive(Debug, Default)]
struct Store {
    llms: BTreeMap<String, Owned>,
    agents: BTreeMap<String, Owned>,
    numbers: BTreeMap<String, Owned>,
    creates: Counts,
    updates: Counts,
    captured: Vec<Captured>,
    failures: HashMap<String, u16>,
}

/// The simulator: accounts (API key → the numbers it owns) and what was done with them.
#[derive(Debug)]
pub struct RetellSim {
    keys: Vec<String>,
    state: Mutex<Store>,
    /// How long every authorised request takes (Retell's API answers in hundreds of ms).
    latency: std::time::Duration,
}

/// The key a request was authorised with.
#[derive(Debug, Clone)]
struct Account(String);

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// A refusal: Retell's error JSON with its status.
#[derive(Debug)]
struct Refused(StatusCode, String);

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        (self.0, Json(json!({"status": "error", "message": self.1}))).into_response()
    }
}

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    Refused(status, message.into()).into_response()
}

impl RetellSim {
    /// A simulator that accepts these API keys, each owning its phone numbers (E.164).
    pub fn new(accounts: &[(&str, &[&str])]) -> Self {
        let mut state = Store::default();
        for (key, numbers) in accounts {
            for number in *numbers {
                let object = json!({
                    "phone_number": number,
                    "phone_number_pretty": number,
                    "phone_number_type": "retell-twilio",
                    "inbound_agents": null,
                    "outbound_agents": null,
                    "inbound_webhook_url": null,
                    "nickname": null,
                    "last_modification_timestamp": now_ms()
                });
                let object = object.as_object().cloned().unwrap_or_default();
                state.numbers.insert(number.to_string(), Owned { key: key.to_string(), object });
            }
        }
        Self { keys: accounts.iter().map(|(key, _)| key.to_string()).collect(), state: Mutex::new(state), latency: std::time::Duration::ZERO }
    }

    /// The simulator with every authorised request taking `latency`.
    pub fn with_latency(mut self, latency: std::time::Duration) -> Self {
        self.latency = latency;
        self
    }

    fn state(&self) -> MutexGuard<'_, Store> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Creates so far (`numbers` stays 0).
    pub fn creates(&self) -> Counts {
        self.state().creates
    }

    /// Successful updates so far.
    pub fn updates(&self) -> Counts {
        self.state().updates
    }

    /// The LLM with `llm_id`, as `get-retell-llm` answers it.
    pub fn llm(&self, llm_id: &str) -> Option<Value> {
        self.state().llms.get(llm_id).map(|o| Value::Object(o.object.clone()))
    }

    /// The agent with `agent_id`, as `get-agent` answers it.
    pub fn agent(&self, agent_id: &str) -> Option<Value> {
        self.state().agents.get(agent_id).map(|o| Value::Object(o.object.clone()))
    }

    /// The phone number, as `get-phone-number` answers it.
    pub fn number(&self, number: &str) -> Option<Value> {
        self.state().numbers.get(number).map(|o| Value::Object(o.object.clone()))
    }

    /// Every LLM, by id.
    pub fn llms(&self) -> Vec<Value> {
        self.state().llms.values().map(|o| Value::Object(o.object.clone())).collect()
    }

    /// Every agent, by id.
    pub fn agents(&self) -> Vec<Value> {
        self.state().agents.values().map(|o| Value::Object(o.object.clone())).collect()
    }

    /// Every authorised request so far, oldest first.
    pub fn captured(&self) -> Vec<Captured> {
        self.state().captured.clone()
    }

    /// Makes the next authorised request to `endpoint` (the path's first segment, e.g.
    /// `create-agent`) fail with `status`, changing nothing.
    pub fn fail_next(&self, endpoint: &str, status: u16) {
        self.state().failures.insert(endpoint.trim_matches('/').to_string(), status);
    }
}

/// Authorises, applies a planned failure, and records the request with its answer's status.
async fn gate(State(sim): State<Arc<RetellSim>>, request: Request, next: Next) -> Response {
    let key = bearer(request.headers()).filter(|key| sim.keys.contains(key));
    let Some(key) = key else {
        return error(StatusCode::UNAUTHORIZED, "API key is missing or invalid.");
    };
    let (mut parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, 16 * 1024 * 1024).await else {
        return error(StatusCode::PAYLOAD_TOO_LARGE, "Request body too large.");
    };
    let captured_body = match bytes.is_empty() {
        true => Value::Null,
        false => {
            serde_json::from_slice(&bytes).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()))
        }
    };
    let (method, path) = (parts.method.to_string(), parts.uri.path().to_string());
    let endpoint = path.trim_start_matches('/').split('/').next().unwrap_or_default().to_string();
    tokio::time::sleep(sim.latency).await;
    let planned = sim.state().failures.remove(&endpoint);
    let response = match planned.and_then(|status| StatusCode::from_u16(status).ok()) {
        Some(status) => error(status, format!("Simulated failure of {endpoint}")),
        None => {
            parts.extensions.insert(Account(key));
            next.run(Request::from_parts(parts, Body::from(bytes))).await
        }
    };
    let status = response.status().as_u16();
    sim.state().captured.push(Captured { method, path, status, body: captured_body });
    response
}

/// `body`'s keys over `object`'s, and a fresh modification time.
fn merge(object: &mut Map<String, Value>, body: Value) {
    if let Value::Object(fields) = body {
        object.extend(fields);
    }
    object.insert("last_modification_timestamp".into(), json!(now_ms()));
}

fn not_found(what: &str, id: &str) -> Refused {
    Refused(StatusCode::NOT_FOUND, format!("{what} {id} not found"))
}

/// Which kind of object a request concerns.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Llm,
    Agent,
    Number,
}

impl Kind {
    fn store(self, state: &mut Store) -> &mut BTreeMap<String, Owned> {
        match self {
            Kind::Llm => &mut state.llms,
            Kind::Agent => &mut state.agents,
            Kind::Number => &mut state.numbers,
        }
    }

    /// Its name in messages, its id's key and prefix.
    fn names(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Kind::Llm => ("LLM", "llm_id", "llm"),
            Kind::Agent => ("Agent", "agent_id", "agent"),
            Kind::Number => ("Phone number", "phone_number", ""),
        }
    }

    fn count(self, counts: &mut Counts) -> &mut u64 {
        match self {
            Kind::Llm => &mut counts.llms,
            Kind::Agent => &mut counts.agents,
            Kind::Number => &mut counts.numbers,
        }
    }

    /// The body, checked against the SDK's type for this kind and (for agents and numbers)
    /// against what exists under `key`: an agent's LLM, a number's agents.
    fn check(self, state: &Store, key: &str, body: &[u8], create: bool) -> Result<Value, Refused> {
        let body: Value = serde_json::from_slice(body)
            .map_err(|e| Refused(StatusCode::BAD_REQUEST, format!("Invalid request format: {e}")))?;
        let shaped = match (self, create) {
            (Kind::Llm, true) => check_llm(&LLM_CREATE, &body),
            (Kind::Llm, false) => check_llm(&LLM_UPDATE, &body),
            (Kind::Agent, true) => check_agent(&AGENT_CREATE, &body),
            (Kind::Agent, false) => check_agent(&AGENT_UPDATE, &body),
            (Kind::Number, _) => check_number(&body),
        };
        shaped.map_err(|message| Refused(StatusCode::BAD_REQUEST, message))?;
        let mine = |store: &BTreeMap<String, Owned>, id: &str| store.get(id).is_some_and(|o| o.key == key);
        match self {
            Kind::Llm => {}
            Kind::Agent => {
                let engine = &body["response_engine"];
                if let Some(llm_id) = engine.get("llm_id").and_then(Value::as_str).filter(|id| !mine(&state.llms, id)) {
                    return Err(not_found("response_engine.llm_id", llm_id));
                }
                // The simulator has no conversation flows to point at.
                if let Some(flow) = engine.get("conversation_flow_id").and_then(Value::as_str) {
                    return Err(not_found("response_engine.conversation_flow_id", flow));
                }
            }
            Kind::Number => {
                if let Some(agent_id) = bound_agents(&body).into_iter().find(|id| !mine(&state.agents, id)) {
                    return Err(not_found("Agent", agent_id));
                }
            }
        }
        Ok(body)
    }
}

type Shared = State<Arc<RetellSim>>;
type Key = Extension<Account>;
type Id = Path<String>;

/// `POST /create-…`: 201 with the new object (its id, version 0, unpublished, the body's keys).
async fn create(State(sim): Shared, Extension(Account(key)): Key, kind: Kind, body: Bytes) -> Response {
    let mut state = sim.state();
    let body = match kind.check(&state, &key, &body, true) {
        Ok(body) => body,
        Err(refused) => return refused.into_response(),
    };
    let (_, id_key, prefix) = kind.names();
    let id = format!("{prefix}_{}", new_uid().to_lowercase());
    let mut object = Map::new();
    object.insert(id_key.into(), json!(id));
    object.insert("version".into(), json!(0));
    object.insert("is_published".into(), json!(false));
    merge(&mut object, body);
    kind.store(&mut state).insert(id, Owned { key, object: object.clone() });
    *kind.count(&mut state.creates) += 1;
    (StatusCode::CREATED, Json(Value::Object(object))).into_response()
}

/// `PATCH /update-…/{id}`: 404 unless this key's; the object with the body's keys over it.
async fn update(State(sim): Shared, Extension(Account(key)): Key, kind: Kind, Path(id): Id, body: Bytes) -> Response {
    let mut state = sim.state();
    let body = match kind.check(&state, &key, &body, false) {
        Ok(body) => body,
        Err(refused) => return refused.into_response(),
    };
    let Some(owned) = kind.store(&mut state).get_mut(&id).filter(|o| o.key == key) else {
        return not_found(kind.names().0, &id).into_response();
    };
    merge(&mut owned.object, body);
    let object = owned.object.clone();
    *kind.count(&mut state.updates) += 1;
    Json(Value::Object(object)).into_response()
}

/// `GET /get-…/{id}`: 404 unless this key's.
async fn read(State(sim): Shared, Extension(Account(key)): Key, kind: Kind, Path(id): Id) -> Response {
    let mut state = sim.state();
    match kind.store(&mut state).get(&id).filter(|o| o.key == key) {
        Some(owned) => Json(Value::Object(owned.object.clone())).into_response(),
        None => not_found(kind.names().0, &id).into_response(),
    }
}

async fn captured(State(sim): State<Arc<RetellSim>>) -> Json<Vec<Captured>> {
    Json(sim.captured())
}

async fn unknown(uri: axum::http::Uri) -> Response {
    error(StatusCode::NOT_FOUND, format!("Cannot {}", uri.path()))
}

/// Retell's endpoints (behind the key check) and `GET /_retell/requests` (the captured requests).
pub fn router(sim: Arc<RetellSim>) -> Router {
    let api = Router::new()
        .route("/create-retell-llm", post(|s: Shared, k: Key, b: Bytes| create(s, k, Kind::Llm, b)))
        .route("/update-retell-llm/{id}", patch(|s: Shared, k: Key, i: Id, b: Bytes| update(s, k, Kind::Llm, i, b)))
        .route("/get-retell-llm/{id}", get(|s: Shared, k: Key, i: Id| read(s, k, Kind::Llm, i)))
        .route("/create-agent", post(|s: Shared, k: Key, b: Bytes| create(s, k, Kind::Agent, b)))
        .route("/update-agent/{id}", patch(|s: Shared, k: Key, i: Id, b: Bytes| update(s, k, Kind::Agent, i, b)))
        .route("/get-agent/{id}", get(|s: Shared, k: Key, i: Id| read(s, k, Kind::Agent, i)))
        .route(
            "/update-phone-number/{id}",
            patch(|s: Shared, k: Key, i: Id, b: Bytes| update(s, k, Kind::Number, i, b)),
        )
        .route("/get-phone-number/{id}", get(|s: Shared, k: Key, i: Id| read(s, k, Kind::Number, i)))
        .route_layer(axum::middleware::from_fn_with_state(sim.clone(), gate));
    api.route("/_retell/requests", get(captured)).fallback(unknown).with_state(sim)
}

/// A Retell simulator serving on a local port; its `base_url` is `FRONTDESK_RETELL_BASE_URL`.
pub type RunningRetell = crate::Served<RetellSim>;

/// Serves `sim` on `address` (port 0 picks a free one).
pub async fn serve_retell(sim: RetellSim, address: SocketAddr) -> std::io::Result<RunningRetell> {
    crate::serve_sim(sim, router, address).await
}
