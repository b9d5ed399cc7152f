//! `POST /retell/inbound` (dynamic variables for the greeting; prefetch) and
//! `POST /retell/webhook` (call_started / call_ended / call_analyzed on the call row).

use super::{ApiError, RetellBody};
use crate::app::AppState;
use crate::domain::PhoneNumber;
use crate::retell::{CallDirection, CallEventKind, CallEventPayload, InboundPayload};
use crate::speech::{spoken_full_date, spoken_opening_hours_of_day, spoken_time, word, MessageWord};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Datelike, Utc};
use serde_json::{json, Map, Value};

/// Answers Retell's inbound-call webhook with the variables the agent greets with, and warms
/// the branch's availability windows so the call's first question is answered from memory.
pub async fn inbound(State(state): State<AppState>, body: RetellBody) -> Result<Json<Value>, ApiError> {
    let payload: InboundPayload = body.parse("inbound-call webhook")?;
    let Some(tenant) = body.tenant.clone() else {
        return Ok(Json(json!({"call_inbound": {"dynamic_variables": {}}})));
    };
    state.backends().availability.prefetch(&tenant);
    let caller = match payload.call_inbound.from_number.as_deref().and_then(|n| PhoneNumber::parse(n).ok()) {
        Some(number) => {
            state.backends().store.find_customer(tenant.company.id, &number).await.unwrap_or_else(|error| {
                tracing::warn!(%error, "caller lookup failed during inbound webhook");
                None
            })
        }
        None => None,
    };
    let language = tenant.company.language;
    let now = body.received_at.with_timezone(&tenant.company.timezone);
    let hours_today = spoken_opening_hours_of_day(tenant.branch.opening_hours.on(now.weekday()), language);
    let mut variables = Map::new();
    let mut set = |key: &str, value: String| {
        variables.insert(key.to_string(), Value::String(value));
    };
    set("company_name", tenant.company.name.clone());
    set("branch_name", tenant.branch.name.clone());
    set("language", language.code().to_string());
    set("today", spoken_full_date(now.date_naive(), language));
    set("current_time", spoken_time(now.time(), language));
    set(
        "opening_hours_today",
        hours_today.unwrap_or_else(|| word(language, MessageWord::ClosedToday).to_string()),
    );
    set("caller_known", caller.is_some().to_string());
    set("caller_name", caller.and_then(|c| c.name).unwrap_or_default());
    Ok(Json(json!({
        "call_inbound": {
            "dynamic_variables": variables,
            "metadata": {"company_id": tenant.company.id, "branch_id": tenant.branch.id}
        }
    })))
}

fn instant(unix_ms: Option<i64>) -> Option<DateTime<Utc>> {
    unix_ms.and_then(DateTime::from_timestamp_millis)
}

/// Records call events on the call row in the background and answers 204 at once.
pub async fn call_event(State(state): State<AppState>, body: RetellBody) -> Result<StatusCode, ApiError> {
    let event: CallEventPayload = body.parse("call event")?;
    let Some(tenant) = body.tenant.clone() else {
        // A number no tenant has: nothing to record, and Retell must not retry.
        return Ok(StatusCode::NO_CONTENT);
    };
    if event.event == CallEventKind::CallStarted && event.call.info.direction == CallDirection::Inbound {
        state.backends().availability.prefetch(&tenant);
    }
    let started_at = instant(event.call.start_timestamp).unwrap_or(body.received_at);
    tokio::spawn(async move {
        state.record_call(&tenant, &event.call.info, started_at).await;
        let status = match event.event {
            CallEventKind::CallStarted | CallEventKind::Other => return,
            CallEventKind::CallEnded => {
                // A caller who hung up confirms nothing: their held slot is free again at once.
                if state.backends().booker.release(&tenant, &event.call.info.call_id).await {
                    tracing::info!(call_id = %event.call.info.call_id, "hold released at the end of the call");
                }
                "ended"
            }
            CallEventKind::CallAnalyzed => "analyzed",
        };
        let result = state
            .backends()
            .store
            .finish_call(
                tenant.company.id,
                &event.call.info.call_id,
                status,
                instant(event.call.end_timestamp),
                event.call.duration_ms,
                event.call.disconnection_reason.as_deref(),
            )
            .await;
        if let Err(error) = result {
            tracing::error!(%error, call_id = %event.call.info.call_id, "call event could not be recorded");
        }
        let (summary, sentiment, recording) = event.call.analysis();
        if summary.is_some() || sentiment.is_some() || recording.is_some() {
            let result = state
                .backends()
                .store
                .record_call_analysis(
                    tenant.company.id,
                    &event.call.info.call_id,
                    summary.as_deref(),
                    sentiment.as_deref(),
                    recording.as_deref(),
                )
                .await;
            if let Err(error) = result {
                tracing::error!(%error, call_id = %event.call.info.call_id, "call analysis could not be recorded");
            }
        }
    });
    Ok(StatusCode::NO_CONTENT)
}
