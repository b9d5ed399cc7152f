//! *Anrufe* in the owner's words: who called (the name when known, the number on a click), when
//! and how long, what they wanted and what came of it as one line ("Termin gebucht: Di 8.12.
//! 10 Uhr Herrenhaarschnitt bei Maria", "Wollte Massage — bieten wir nicht an"), Retell's
//! analysis, links to the appointment and the callback; filters for lost calls, bookings and
//! callbacks. Function names and latencies stay behind "Details", for admins.

use super::layout::{page, phone, Frame, Nav};
use super::PageOperator;
use crate::app::AppState;
use crate::console::actions;
use crate::domain::Language;
use crate::functions::Function;
use crate::speech::{word, written_moment, CallsWord, PageWord};
use crate::store::{CallFilter, CallStep, ConsoleCall};
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use chrono_tz::Tz;
use maud::{html, Markup};
use serde::Deserialize;
use std::collections::HashMap;

/// How many calls the page shows.
pub const CALLS_SHOWN: i64 = 100;

/// What a call came to, the weightiest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallStory {
    /// It booked an appointment (the first, when several).
    Booked,
    /// It moved an appointment.
    Moved,
    /// It cancelled an appointment.
    Cancelled,
    /// It left a callback request.
    Callback,
    /// The caller wanted something the business does not offer.
    NotOffered(String),
    /// Still going on.
    Ongoing,
    /// The caller hung up with nothing.
    HungUp,
    /// It ended with nothing.
    Nothing,
}

impl CallStory {
    /// What came of a call, from what it wrote, what it called and how it ended.
    pub fn of(call: &ConsoleCall, steps: &[&CallStep]) -> Self {
        let succeeded = |wanted: Function| {
            steps.iter().any(|s| s.outcome == "success" && Function::from_name(&s.function) == Some(wanted))
        };
        if call.booked > 0 {
            Self::Booked
        } else if succeeded(Function::RescheduleAppointment) {
            Self::Moved
        } else if succeeded(Function::CancelAppointment) {
            Self::Cancelled
        } else if call.callbacks > 0 {
            Self::Callback
        } else if let Some(asked) = &call.not_offered {
            Self::NotOffered(asked.clone())
        } else if call.status == "ongoing" {
            Self::Ongoing
        } else if call.disconnection_reason.as_deref() == Some("user_hangup") {
            Self::HungUp
        } else {
            Self::Nothing
        }
    }

    /// Whether the call was lost: it ended with nothing for the business.
    pub fn is_lost(&self) -> bool {
        matches!(self, Self::NotOffered(_) | Self::HungUp | Self::Nothing)
    }
}

/// The story as one line in the owner's language.
pub fn story_line(l: Language, zone: Tz, call: &ConsoleCall, story: &CallStory) -> String {
    match story {
        CallStory::Booked => {
            let mut line = word(l, CallsWord::AppointmentBooked).to_string();
            if let Some(start) = call.booked_start {
                line.push(' ');
                line.push_str(&written_moment(start.with_timezone(&zone).naive_local(), l));
            }
            if let Some(service) = &call.booked_service {
                line.push(' ');
                line.push_str(service);
            }
            if let Some(staff) = &call.booked_staff {
                line.push_str(&format!(" {} {staff}", word(l, CallsWord::With)));
            }
            line
        }
        CallStory::Moved => word(l, CallsWord::AppointmentMoved).to_string(),
        CallStory::Cancelled => word(l, CallsWord::AppointmentCancelled).to_string(),
        CallStory::Callback => word(l, CallsWord::CallbackWanted).to_string(),
        CallStory::NotOffered(asked) => format!("{} {asked} {}", word(l, CallsWord::Wanted), word(l, CallsWord::NotOffered)),
        CallStory::Ongoing => word(l, CallsWord::Ongoing).to_string(),
        CallStory::HungUp => word(l, CallsWord::HungUp).to_string(),
        CallStory::Nothing => word(l, CallsWord::EndedWithNothing).to_string(),
    }
}

/// "1:35".
pub fn length(call: &ConsoleCall) -> String {
    call.duration_ms.map(|ms| format!("{}:{:02}", ms / 60_000, ms / 1000 % 60)).unwrap_or_else(|| "–".into())
}

/// `?show=lost|bookings|callbacks`.
#[derive(Debug, Default, Deserialize)]
pub struct CallsQuery {
    show: Option<String>,
}

fn filter_word(filter: CallFilter) -> CallsWord {
    match filter {
        CallFilter::All => CallsWord::ShowAll,
        CallFilter::Lost => CallsWord::ShowLost,
        CallFilter::Bookings => CallsWord::ShowBookings,
        CallFilter::Callbacks => CallsWord::ShowCallbacks,
    }
}

fn filters(l: Language, active: CallFilter) -> Markup {
    html! {
        nav.filters aria-label=(word(l, PageWord::Calls)) {
            @for filter in CallFilter::ALL {
                @if filter == active { strong aria-current="page" { (word(l, filter_word(filter))) } }
                @else { a href={ "/admin/calls?show=" (filter.as_str()) } { (word(l, filter_word(filter))) } }
                " "
            }
        }
    }
}

/// One call as a card: who, when, how long, what came of it, Retell's analysis, links.
fn call_card(op: &crate::console::session::Operator, zone: Tz, call: &ConsoleCall, steps: &[&CallStep]) -> Markup {
    let l = op.language;
    let story = CallStory::of(call, steps);
    html! {
        article.call id=(call.retell_call_id) data-call=(call.retell_call_id) data-lost=(story.is_lost()) {
            p { strong { (call.caller_name.as_deref().unwrap_or(word(l, CallsWord::UnknownCaller))) }
                " · " (call.started_at.with_timezone(&zone).format("%d.%m. %H:%M"))
                @if call.duration_ms.is_some() { " · " (length(call)) }
                " · " span.muted { (call.branch) } " " (phone(call.from_number.as_deref())) }
            p.story { (story_line(l, zone, call, &story))
                @if let Some(id) = call.booked_id { " · " a href={ "/admin/appointments/" (id.0) } { (word(l, CallsWord::ToTheAppointment)) } }
                @if call.callback_id.is_some() { " · " a href="/admin/callbacks" { (word(l, CallsWord::ToTheCallback)) } } }
            @if let Some(summary) = &call.summary { p.muted { (summary) } }
            @if call.sentiment.is_some() || call.recording_url.is_some() {
                p.muted {
                    @if let Some(sentiment) = &call.sentiment { (word(l, CallsWord::SentimentLabel)) (sentiment) " " }
                    @if let Some(url) = &call.recording_url { a href=(url) rel="noopener noreferrer" target="_blank" { (word(l, CallsWord::Recording)) } }
                }
            }
            @if op.is_admin() && !steps.is_empty() {
                details.steps {
                    summary { (word(l, CallsWord::Details)) }
                    ul { @for step in steps {
                        li { code { (step.function) } " " (format!("{:.1} ms", step.duration_us as f64 / 1000.0))
                            @if step.outcome != "success" { " · " (step.outcome) } }
                    } }
                }
            }
        }
    }
}

/// `GET /admin/calls?show=…`.
pub async fn list(State(state): State<AppState>, PageOperator(op): PageOperator, Query(q): Query<CallsQuery>) -> Response {
    let l = op.language;
    // callers' names, numbers and what they said are the owner's, not one staff member's
    if op.staff_name.is_some() {
        return super::forbidden(l);
    }
    let filter = CallFilter::parse(q.show.as_deref());
    let store = &state.backends().store;
    let (calls, steps) = match tokio::try_join!(
        store.console_calls(op.company, filter, CALLS_SHOWN),
        store.console_call_steps(op.company, filter, CALLS_SHOWN)
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
        (filters(l, filter))
        @if calls.is_empty() { p.muted { (word(l, CallsWord::NoCallsYet)) } }
        @for call in &calls {
            (call_card(&op, zone, call, by_call.get(call.retell_call_id.as_str()).map(Vec::as_slice).unwrap_or_default()))
        }
    };
    page(&op, &frame, Nav::Calls, word(l, PageWord::Calls), body).into_response()
}
