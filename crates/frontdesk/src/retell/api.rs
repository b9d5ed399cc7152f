//! Retell's REST API, as far as provisioning needs it (DESIGN §16): create and update an LLM and
//! an agent, bind a phone number. Bodies are the shapes of `retell-sdk`'s `LlmCreateParams`,
//! `AgentCreateParams` and `PhoneNumberUpdateParams`; errors keep Retell's own words.

use crate::domain::Secret;
use reqwest::Method;
use serde::Deserialize;
use serde_json::Value;
use std::time::Duration;

/// How long one Retell request may take (an admin action; Retell answers in well under this).
const TIMEOUT: Duration = Duration::from_secs(15);

/// A refused or failed Retell request.
#[derive(Debug, Clone, thiserror::Error)]
#[error("Retell {action}: {message}")]
pub struct RetellError {
    /// What was asked (`create-agent`, …).
    pub action: &'static str,
    /// HTTP status, when Retell answered.
    pub status: Option<u16>,
    /// Retell's message, or why there was none.
    pub message: String,
}

impl RetellError {
    /// Whether Retell refused the key itself.
    pub fn is_unauthorized(&self) -> bool {
        matches!(self.status, Some(401 | 403))
    }
}

/// A client of Retell's API at one base URL.
#[derive(Debug, Clone)]
pub struct RetellApi {
    base_url: String,
    http: reqwest::Client,
}

#[derive(Deserialize)]
struct LlmCreated {
    llm_id: String,
}

#[derive(Deserialize)]
struct AgentCreated {
    agent_id: String,
}

impl RetellApi {
    /// A client of `base_url` (`https://api.retellai.com`, or the simulator).
    pub fn new(base_url: &str) -> Self {
        let http = reqwest::Client::builder().timeout(TIMEOUT).build().unwrap_or_default();
        Self { base_url: base_url.trim_end_matches('/').to_string(), http }
    }

    /// `POST /create-retell-llm`: the new LLM's id.
    pub async fn create_llm(&self, key: &Secret, body: &Value) -> Result<String, RetellError> {
        let created: LlmCreated = self.send(key, Method::POST, "create-retell-llm", "/create-retell-llm".into(), body).await?;
        Ok(created.llm_id)
    }

    /// `PATCH /update-retell-llm/{llm_id}`.
    pub async fn update_llm(&self, key: &Secret, llm_id: &str, body: &Value) -> Result<(), RetellError> {
        let _: Value = self.send(key, Method::PATCH, "update-retell-llm", format!("/update-retell-llm/{llm_id}"), body).await?;
        Ok(())
    }

    /// `POST /create-agent`: the new agent's id.
    pub async fn create_agent(&self, key: &Secret, body: &Value) -> Result<String, RetellError> {
        let created: AgentCreated = self.send(key, Method::POST, "create-agent", "/create-agent".into(), body).await?;
        Ok(created.agent_id)
    }

    /// `PATCH /update-agent/{agent_id}`.
    pub async fn update_agent(&self, key: &Secret, agent_id: &str, body: &Value) -> Result<(), RetellError> {
        let _: Value = self.send(key, Method::PATCH, "update-agent", format!("/update-agent/{agent_id}"), body).await?;
        Ok(())
    }

    /// `PATCH /update-phone-number/{number}`.
    pub async fn update_phone_number(&self, key: &Secret, number: &str, body: &Value) -> Result<(), RetellError> {
        let path = format!("/update-phone-number/{}", number.replace('+', "%2B"));
        let _: Value = self.send(key, Method::PATCH, "update-phone-number", path, body).await?;
        Ok(())
    }

    async fn send<T: serde::de::DeserializeOwned>(
        &self,
        key: &Secret,
        method: Method,
        action: &'static str,
        path: String,
        body: &Value,
    ) -> Result<T, RetellError> {
        let failed = |status: Option<u16>, message: String| RetellError { action, status, message };
        let response = self
            .http
            .request(method, format!("{}{path}", self.base_url))
            .bearer_auth(key.expose())
            .json(body)
            .send()
            .await
            .map_err(|e| failed(None, format!("unreachable: {e}")))?;
        let status = response.status();
        let bytes = response.bytes().await.map_err(|e| failed(Some(status.as_u16()), format!("answer cut off: {e}")))?;
        if !status.is_success() {
            // Retell answers errors as `{"message": …}` (or `{"error_message": …}`); else the status.
            let message = serde_json::from_slice::<Value>(&bytes)
                .ok()
                .and_then(|v| v.get("message").or_else(|| v.get("error_message")).and_then(Value::as_str).map(str::to_string))
                .unwrap_or_else(|| format!("HTTP {status}"));
            return Err(failed(Some(status.as_u16()), message));
        }
        serde_json::from_slice(&bytes).map_err(|e| failed(Some(status.as_u16()), format!("unexpected answer: {e}")))
    }
}
