//! Retell's call webhooks: the inbound-call webhook and call lifecycle events.

use super::CallInfo;
use serde::Deserialize;

/// `{"event": "call_inbound", "call_inbound": {…}}`.
#[derive(Debug, Deserialize)]
pub struct InboundPayload {
    /// The call about to be answered.
    pub call_inbound: InboundCall,
}

/// The numbers of an inbound call before it is answered.
#[derive(Debug, Deserialize)]
pub struct InboundCall {
    /// The agent Retell will use.
    #[serde(default)]
    pub agent_id: Option<String>,
    /// Caller.
    #[serde(default)]
    pub from_number: Option<String>,
    /// Dialled branch number.
    #[serde(default)]
    pub to_number: Option<String>,
}

/// Which lifecycle event a call webhook reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallEventKind {
    /// The call was answered.
    CallStarted,
    /// The call ended.
    CallEnded,
    /// Retell's post-call analysis is ready.
    CallAnalyzed,
    /// Anything newer than this code.
    #[serde(other)]
    Other,
}

/// `{"event": "call_started" | "call_ended" | "call_analyzed", "call": {…}}`.
#[derive(Debug, Deserialize)]
pub struct CallEventPayload {
    /// The event.
    pub event: CallEventKind,
    /// The call.
    pub call: CallDetails,
}

/// A call with its timing, as call events carry it.
#[derive(Debug, Deserialize)]
pub struct CallDetails {
    /// Id and numbers.
    #[serde(flatten)]
    pub info: CallInfo,
    /// Start, Unix milliseconds.
    #[serde(default)]
    pub start_timestamp: Option<i64>,
    /// End, Unix milliseconds.
    #[serde(default)]
    pub end_timestamp: Option<i64>,
    /// Length.
    #[serde(default)]
    pub duration_ms: Option<i64>,
    /// Why it ended (`user_hangup`, `agent_hangup`, …).
    #[serde(default)]
    pub disconnection_reason: Option<String>,
}
