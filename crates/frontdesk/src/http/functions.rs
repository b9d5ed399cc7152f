//! `POST /retell/functions/{name}` and `POST /retell/functions`: verified call → function → JSON.

use crate::domain::CompanyId;
use super::{ApiError, SignedCall};
use crate::app::AppState;
use crate::domain::Language;
use crate::functions::{CallContext, Function, Reply};
use crate::speech::{phrasebook, FailureSentence};
use crate::store::FunctionCallRecord;
use crate::telemetry::{FUNCTION_DURATION, INTERNAL_ERRORS};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures_util::FutureExt;
use std::panic::AssertUnwindSafe;
use std::time::Instant;
use tracing::Instrument;

/// The function named in the path.
pub async fn call_named(
    State(state): State<AppState>,
    name: Result<Path<String>, PathRejection>,
    call: SignedCall,
) -> Result<Response, ApiError> {
    let Path(name) = name.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    // The signature covers the body, not the URL: a signed body naming one function must not be
    // replayed against another's path (a captured `query_appointment` sent to `cancel_appointment`).
    if let Some(signed) = call.payload.name.as_deref() {
        let same = match (Function::from_name(signed), Function::from_name(&name)) {
            (Some(a), Some(b)) => a == b,
            _ => signed == name,
        };
        if !same {
            return Err(ApiError::Unauthorized(format!(
                "the signed body names the function {:?}, not {:?}",
                signed.chars().take(64).collect::<String>(),
                name.chars().take(64).collect::<String>()
            )));
        }
    }
    answer(&state, &name, call).await
}

/// The function named in the body's `name`.
pub async fn call_from_body(State(state): State<AppState>, call: SignedCall) -> Result<Response, ApiError> {
    let name = call.payload.name.clone().ok_or_else(|| ApiError::BadRequest("missing function name".into()))?;
    answer(&state, &name, call).await
}

async fn answer(state: &AppState, name: &str, call: SignedCall) -> Result<Response, ApiError> {
    let started = Instant::now();
    let function = Function::from_name(name).ok_or_else(|| ApiError::UnknownFunction {
        name: name.chars().take(64).collect(),
        known: Function::known_names(),
    })?;
    let Some(tenant) = call.tenant else {
        // No tenant, so no language: every language, German first (DESIGN §6).
        let reply = Reply::failure("unknown_number", FailureSentence::UnknownNumber);
        finish(state, function, None, &call.payload.call.call_id, &reply, started);
        let today = call.received_at.date_naive();
        let all = Language::ALL.map(|l| phrasebook(l).say(&reply.message, today)).join(" ");
        return Ok(Json(reply.to_json_saying(all)).into_response());
    };
    // One span per function call: every log line it causes names the call, the function and the
    // tenant, so a conversation can be followed across instances in the JSON logs.
    let span = tracing::info_span!(
        "call",
        call_id = %call.payload.call.call_id,
        function = function.name(),
        company = tenant.company.id.0,
        branch = tenant.branch.id.0
    );
    let call_row_id = state.record_call(&tenant, &call.payload.call, call.received_at).instrument(span.clone()).await;
    let ctx = CallContext { tenant, call: call.payload.call, call_row_id, now: call.received_at };
    let run = function.run(state.backends(), &ctx, call.payload.args.as_deref()).instrument(span.clone());
    let reply = match AssertUnwindSafe(run).catch_unwind().await {
        Ok(reply) => reply,
        Err(panic) => {
            let what = crate::telemetry::panic_text(panic.as_ref());
            tracing::error!(parent: &span, panic = %what, "function panicked");
            metrics::counter!(INTERNAL_ERRORS).increment(1);
            Reply::internal()
        }
    };
    let elapsed = span.in_scope(|| finish(state, function, Some(ctx.company().id), &ctx.call.call_id, &reply, started));
    let mut response = Json(reply.to_json(ctx.phrasebook(), ctx.today())).into_response();
    // The function's own share of the request (the middleware adds the whole request's `app`).
    if let Ok(value) = HeaderValue::from_str(&format!("fn;dur={}", super::ops::millis_text(elapsed))) {
        response.headers_mut().insert("server-timing", value);
    }
    Ok(response)
}

/// Metrics and the audit row; neither delays the answer. Returns the function's duration.
fn finish(
    state: &AppState,
    function: Function,
    company_id: Option<CompanyId>,
    call_id: &str,
    reply: &Reply,
    started: Instant,
) -> std::time::Duration {
    let elapsed = started.elapsed();
    let outcome = reply.outcome();
    tracing::debug!(
        function = function.name(),
        outcome,
        call_id,
        duration_us = elapsed.as_micros() as u64,
        "function answered"
    );
    metrics::histogram!(FUNCTION_DURATION, "function" => function.name(), "outcome" => outcome, "cache" => reply.cache.as_str())
        .record(elapsed.as_secs_f64());
    state.audit().record(FunctionCallRecord {
        retell_call_id: Some(call_id.to_string()),
        company_id,
        function: function.name(),
        outcome,
        duration_us: i64::try_from(elapsed.as_micros()).unwrap_or(i64::MAX),
        cache: reply.cache.as_str(),
        at: state.now(),
        detail: reply.not_offered().map(str::to_string),
    });
    elapsed
}
