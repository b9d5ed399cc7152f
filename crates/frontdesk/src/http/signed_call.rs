use super::ApiError;
use crate::app::AppState;
use crate::domain::{BranchContext, Secret};
use crate::retell::{verify, Addressee, FunctionCallPayload, SIGNATURE_HEADER};
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use std::sync::Arc;

/// The raw body of a request whose `X-Retell-Signature` checked out.
#[derive(Debug)]
pub struct RetellBody {
    /// The exact bytes that were signed.
    pub bytes: Bytes,
    /// When the request arrived.
    pub received_at: DateTime<Utc>,
    /// The branch the body names (by the business number, or by the agent for web calls),
    /// resolved once, when the signing key was chosen; `None` when no tenant has it.
    pub tenant: Option<Arc<BranchContext>>,
}

impl RetellBody {
    /// Parses the body, or answers 400 naming what it should have been.
    pub fn parse<T: DeserializeOwned>(&self, what: &str) -> Result<T, ApiError> {
        serde_json::from_slice(&self.bytes).map_err(|e| ApiError::BadRequest(format!("not a Retell {what}: {e}")))
    }
}

impl FromRequest<AppState> for RetellBody {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (header, bytes) = signed_bytes(request, state).await?;
        let received_at = state.now();
        let tenant = addressed_tenant(state, &bytes);
        verify_for(state, tenant.as_deref(), &bytes, header.as_deref(), received_at)?;
        Ok(Self { bytes, received_at, tenant })
    }
}

/// The signature header and the body's bytes (bounded by the router's body limit).
async fn signed_bytes(request: Request, state: &AppState) -> Result<(Option<String>, Bytes), ApiError> {
    let header = request.headers().get(SIGNATURE_HEADER).map(|v| v.to_str().map(str::to_owned).unwrap_or_default());
    let bytes = Bytes::from_request(request, state).await.map_err(|rejection| {
        if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::TooLarge
        } else {
            ApiError::BadRequest(rejection.body_text())
        }
    })?;
    Ok((header, bytes))
}

/// Checks the signature with the key of the company the body names when it brings its own Retell
/// account, the global key otherwise: one company's agent can never act on another company's numbers.
fn verify_for(
    state: &AppState,
    tenant: Option<&BranchContext>,
    bytes: &[u8],
    header: Option<&str>,
    received_at: DateTime<Utc>,
) -> Result<(), ApiError> {
    let key: &Secret = tenant.and_then(|t| t.company.retell_api_key.as_ref()).unwrap_or(state.retell_key());
    verify(bytes, key.expose(), header, received_at.timestamp_millis()).map_err(|e| ApiError::Unauthorized(e.to_string()))
}

/// The branch a body names, read for its numbers and agent only (the body is trusted once the
/// signature, checked with this branch's company's key, holds).
fn addressed_tenant(state: &AppState, bytes: &[u8]) -> Option<Arc<BranchContext>> {
    let addressee: Addressee = serde_json::from_slice(bytes).unwrap_or_default();
    state.directory().find(addressee.business_number().as_ref(), addressee.agent_id()).cloned()
}

/// A Retell function call whose signature checked out, parsed, with its tenant resolved from memory.
#[derive(Debug)]
pub struct SignedCall {
    /// The payload.
    pub payload: FunctionCallPayload,
    /// The branch the business number belongs to; `None` for a number no tenant has.
    pub tenant: Option<Arc<BranchContext>>,
    /// When the request arrived.
    pub received_at: DateTime<Utc>,
}

impl FromRequest<AppState> for SignedCall {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (header, bytes) = signed_bytes(request, state).await?;
        let received_at = state.now();
        // One parse serves both the key and the function (this is every function call's path). A
        // body that is no function call is still checked as any Retell body first, so an unsigned
        // one is refused for its signature, not for its shape.
        match serde_json::from_slice::<FunctionCallPayload>(&bytes) {
            Ok(payload) => {
                let number = payload.call.business_number();
                let tenant = state.directory().find(number.as_ref(), payload.call.agent_id.as_deref()).cloned();
                verify_for(state, tenant.as_deref(), &bytes, header.as_deref(), received_at)?;
                Ok(Self { payload, tenant, received_at })
            }
            Err(error) => {
                let tenant = addressed_tenant(state, &bytes);
                verify_for(state, tenant.as_deref(), &bytes, header.as_deref(), received_at)?;
                Err(ApiError::BadRequest(format!("not a Retell function call: {error}")))
            }
        }
    }
}
