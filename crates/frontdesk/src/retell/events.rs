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
    /// The recording (`call_ended` / `call_analyzed`).
    #[serde(default)]
    pub recording_url: Option<String>,
    /// Retell's post-call analysis (`call_analyzed`).
    #[serde(default)]
    pub call_analysis: Option<CallAnalysis>,
}

/// What Retell's post-call analysis says.
#[derive(Debug, Default, Deserialize)]
pub struct CallAnalysis {
    /// A few sentences about the call.
    #[serde(default)]
    pub call_summary: Option<String>,
    /// `Positive`, `Neutral`, `Negative` or `Unknown`.
    #[serde(default)]
    pub user_sentiment: Option<String>,
}

/// Longest summary kept (Retell's are a paragraph; the console shows it whole).
const SUMMARY_CHARS: usize = 4000;
/// Longest recording link kept.
const URL_CHARS: usize = 2048;

impl CallDetails {
    /// The summary, sentiment and recording link, bounded before they are stored and shown:
    /// a summary at most 4,000 characters, a sentiment one word, a link only `https://`.
    pub fn analysis(&self) -> (Option<String>, Option<String>, Option<String>) {
        let analysis = self.call_analysis.as_ref();
        let summary = analysis
            .and_then(|a| a.call_summary.as_deref())
            .map(|s| s.trim().chars().take(SUMMARY_CHARS).collect::<String>())
            .filter(|s| !s.is_empty());
        let sentiment = analysis
            .and_then(|a| a.user_sentiment.as_deref())
            .map(|s| s.trim().chars().filter(|c| c.is_alphabetic()).take(16).collect::<String>())
            .filter(|s| !s.is_empty());
        let recording = self
            .recording_url
            .as_deref()
            .map(str::trim)
            .filter(|u| u.starts_with("https://") && u.len() <= URL_CHARS && !u.contains(['"', '<', '>', ' ']))
            .map(str::to_string);
        (summary, sentiment, recording)
    }
}
