//! *Anrufe*: the latest calls with caller (masked), length, the functions called with their
//! latency, the outcome, and Retell's analysis when it arrived.

use crate::speech::{word, CallsWord, PageWord};
use super::layout::{page, Frame, Nav};
use super::PageOperator;
use crate::app::AppState;
use crate::console::actions;
use crate::domain::{mask_phone, Language};
use crate::functions::Function;
use crate::store::{CallStep, ConsoleCall};
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::html;
use std::collections::HashMap;

/// How many calls the page shows.
pub const CALLS_SHOWN: i64 = 100;

/// What came of a call, from what it wrote and what it called.
pub fn outcome(call: &ConsoleCall, steps: &[&CallStep], language: Language) -> &'static str {
    let succeeded = |wanted: Function| {
        steps.iter().any(|s| s.outcome == "success" && Function::from_name(&s.function) == Some(wanted))
    };
    if call.booked > 0 {
        word(language, CallsWord::Booked)
    } else if succeeded(Function::RescheduleAppointment) {
        word(language, CallsWord::Moved)
    } else if succeeded(Function::CancelAppointment) {
        word(language, CallsWord::Cancelled)
    } else if call.callbacks > 0 {
        word(language, CallsWord::Callback)
    } else {
        word(language, CallsWord::Nothing)
    }
}

/// `GET /admin/calls`.
pub async fn list(State(state): State<AppState>, PageOperator(op): PageOperator) -> Response {
    let l = op.language;
    let store = &state.backends().store;
    let (calls, steps) = match tokio::try_join!(
        store.console_calls(op.company, CALLS_SHOWN),
        store.console_call_steps(op.company, CALLS_SHOWN)
    ) {
        Ok(found) => found,
        Err(error) => return crate::console::error::ConsoleError::from(error).into_response(),
    };
    let mut by_call: HashMap<&str, Vec<&CallStep>> = HashMap::new();
    for step in &steps {
        by_call.entry(step.retell_call_id.as_str()).or_default().push(step);
    }
    let zone = actions::zone_of(&state, &op);
    let frame = Frame::load(&state, &op).await;
    let body = html! {
        @if calls.is_empty() { p.muted { (word(l, CallsWord::NoCallsYet)) } }
        @else {
            div style="overflow-x:auto" { table {
                thead { tr {
                    th { (word(l, CallsWord::Time)) } th { (word(l, PageWord::Branch)) } th { (word(l, CallsWord::Caller)) }
                    th { (word(l, CallsWord::Length)) } th { (word(l, PageWord::Functions)) } th { (word(l, CallsWord::Outcome)) }
                    th { (word(l, CallsWord::Analysis)) }
                } }
                tbody {
                    @for call in &calls {
                        @let own = by_call.get(call.retell_call_id.as_str()).cloned().unwrap_or_default();
                        tr data-call=(call.retell_call_id) {
                            td { (call.started_at.with_timezone(&zone).format("%d.%m. %H:%M")) }
                            td { (call.branch) }
                            td { (call.from_number.as_deref().map(mask_phone).unwrap_or_else(|| "–".into())) }
                            td { (call.duration_ms.map(|ms| format!("{}:{:02}", ms / 60_000, ms / 1000 % 60)).unwrap_or_else(|| "–".into())) }
                            td.muted {
                                @for step in &own {
                                    div { (step.function) " " (format!("{:.1} ms", step.duration_us as f64 / 1000.0))
                                        @if step.outcome != "success" { " · " (step.outcome) } }
                                }
                            }
                            td { strong { (outcome(call, &own, l)) } }
                            td {
                                @if let Some(summary) = &call.summary { div { (summary) } }
                                @if let Some(sentiment) = &call.sentiment { div.muted { (word(l, CallsWord::SentimentLabel)) (sentiment) } }
                                @if let Some(url) = &call.recording_url { a href=(url) rel="noopener noreferrer" target="_blank" { (word(l, CallsWord::Recording)) } }
                            }
                        }
                    }
                }
            } }
        }
    };
    page(&op, &frame, Nav::Calls, word(l, PageWord::Calls), body).into_response()
}
