use super::{ApiError, AppState};
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
        let header = request.headers().get(SIGNATURE_HEADER).map(|v| v.to_str().map(str::to_owned).unwrap_or_default());
        let bytes = Bytes::from_request(request, state).await.map_err(|rejection| {
            if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::TooLarge
            } else {
                ApiError::BadRequest(rejection.body_text())
            }
        })?;
        let received_at = state.now();
        verify(&bytes, signing_key(state, &bytes).expose(), header.as_deref(), received_at.timestamp_millis())
            .map_err(|e| ApiError::Unauthorized(e.to_string()))?;
        Ok(Self { bytes, received_at })
    }
}

/// The key a body must be signed with: the key of the company whose number (or agent) it names
/// when that company brings its own Retell account, the global key otherwise. So one company's
/// agent can never act on another company's numbers. The body is read for the numbers only; it
/// is trusted after the signature checks out.
fn signing_key<'s>(state: &'s AppState, bytes: &[u8]) -> &'s Secret {
    let addressee: Addressee = serde_json::from_slice(bytes).unwrap_or_default();
    state
        .directory()
        .find(addressee.business_number().as_ref(), addressee.agent_id())
        .and_then(|tenant| tenant.company.retell_api_key.as_ref())
        .unwrap_or_else(|| state.retell_key())
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
        let body = RetellBody::from_request(request, state).await?;
        let payload: FunctionCallPayload = body.parse("function call")?;
        let call = &payload.call;
        let tenant = state.directory().find(call.business_number().as_ref(), call.agent_id.as_deref()).cloned();
        Ok(Self { payload, tenant, received_at: body.received_at })
    }
}
