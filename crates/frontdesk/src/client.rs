//! A client that calls frontdesk exactly as Retell does (signed JSON over HTTP); used by the
//! demo and the load loop.

use crate::retell::sign;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// One answered call, with the latency the server reported and the one the client saw.
#[derive(Debug, Clone)]
pub struct Exchange {
    /// HTTP status.
    pub status: u16,
    /// The JSON body (`null` when there was none or it was not JSON).
    pub body: Value,
    /// Whether the body was JSON (or, for a 204, empty).
    pub json: bool,
    /// `Server-Timing` duration of the whole request in the server (`app`).
    pub server: Duration,
    /// `Server-Timing` duration of the function itself (`fn`), when a function answered.
    pub function: Option<Duration>,
    /// Round trip on the client.
    pub round_trip: Duration,
}

/// The numbers of a simulated call.
#[derive(Debug, Clone)]
pub struct CallIdentity {
    /// Retell call id.
    pub call_id: String,
    /// Caller.
    pub from_number: String,
    /// Dialled branch number.
    pub to_number: String,
}

impl CallIdentity {
    /// The `call` object Retell sends with function calls and call events.
    fn to_json(&self, status: &str) -> Value {
        json!({
            "call_id": self.call_id,
            "agent_id": "agent_demo",
            "from_number": self.from_number,
            "to_number": self.to_number,
            "direction": "inbound",
            "call_status": status,
        })
    }

    /// The body Retell posts when its agent calls `function` with `args` during this call.
    pub fn function_call(&self, function: &str, args: Value) -> Value {
        json!({"name": function, "args": args, "call": self.to_json("ongoing")})
    }
}

/// Signs and sends function calls.
#[derive(Debug, Clone)]
pub struct RetellClient {
    http: reqwest::Client,
    base_url: String,
    api_key: String,
}

impl RetellClient {
    /// A client for a frontdesk at `base_url` that shares Retell's `api_key`.
    pub fn new(base_url: impl Into<String>, api_key: impl Into<String>) -> Self {
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(256)
            .timeout(Duration::from_secs(10))
            .build()
            .expect("a plain HTTP client builds");
        Self { http, base_url: base_url.into(), api_key: api_key.into() }
    }

    /// Sends Retell's inbound-call webhook for `call` (before the call is answered).
    pub async fn inbound(&self, call: &CallIdentity) -> anyhow::Result<Exchange> {
        let body = json!({
            "event": "call_inbound",
            "call_inbound": {"agent_id": "agent_demo", "from_number": call.from_number, "to_number": call.to_number}
        });
        self.post("/retell/inbound", &body).await
    }

    /// Sends a call lifecycle event (`call_started`, `call_ended`) to the call webhook.
    pub async fn event(&self, event: &str, call: &CallIdentity) -> anyhow::Result<Exchange> {
        let ended = event == "call_ended";
        let mut details = call.to_json(if ended { "ended" } else { "ongoing" });
        let now = chrono::Utc::now().timestamp_millis();
        details["start_timestamp"] = json!(now);
        if ended {
            details["end_timestamp"] = json!(now);
            details["disconnection_reason"] = json!("user_hangup");
        }
        self.post("/retell/webhook", &json!({"event": event, "call": details})).await
    }

    /// Sends Retell's `call_analyzed` event: the call's summary and the caller's sentiment.
    pub async fn analyzed(&self, call: &CallIdentity, summary: &str, sentiment: &str) -> anyhow::Result<Exchange> {
        let mut details = call.to_json("ended");
        details["disconnection_reason"] = json!("user_hangup");
        details["call_analysis"] = json!({"call_summary": summary, "user_sentiment": sentiment});
        self.post("/retell/webhook", &json!({"event": "call_analyzed", "call": details})).await
    }

    /// Calls `function` with `args` on behalf of `call`.
    pub async fn call(&self, function: &str, args: Value, call: &CallIdentity) -> anyhow::Result<Exchange> {
        self.post(&format!("/retell/functions/{function}"), &call.function_call(function, args)).await
    }

    async fn post(&self, path: &str, body: &Value) -> anyhow::Result<Exchange> {
        let bytes = serde_json::to_vec(body)?;
        let signature = sign(&bytes, &self.api_key, chrono::Utc::now().timestamp_millis());
        let started = Instant::now();
        let response = self
            .http
            .post(format!("{}{path}", self.base_url))
            .header("content-type", "application/json")
            .header("x-retell-signature", signature)
            .body(bytes)
            .send()
            .await?;
        let status = response.status().as_u16();
        let timing = response.headers().get("server-timing").and_then(|v| v.to_str().ok()).unwrap_or_default();
        let metric = |name: &str| {
            timing
                .split(',')
                .filter_map(|entry| entry.trim().strip_prefix(name)?.strip_prefix(";dur="))
                .find_map(|ms| ms.parse::<f64>().ok())
                .map(|ms| Duration::from_secs_f64(ms / 1000.0))
        };
        let (server, function) = (metric("app").unwrap_or_default(), metric("fn"));
        let bytes = response.bytes().await?;
        // A 204 (call events) has no body; anything else should be JSON, and a body that is not
        // (an HTML error page, say) is reported rather than hidden behind a parse error.
        let parsed = serde_json::from_slice::<Value>(&bytes).ok();
        let json = parsed.is_some() || (bytes.is_empty() && status == 204);
        let body = parsed.unwrap_or(Value::Null);
        Ok(Exchange { status, body, json, server, function, round_trip: started.elapsed() })
    }
}
