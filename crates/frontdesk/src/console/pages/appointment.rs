//! `GET /admin/appointments/{id}`: one appointment with its history (what happened, by whom,
//! when), the call it came from, and what can still be done to it: restore a cancelled one when
//! its time is free, mark a no-show once it has begun.

use super::layout::{csrf_field, page, phone, source, Frame, Nav};
use super::{forbidden, not_found, CsrfForm, PageOperator};
use crate::app::AppState;
use crate::console::appointments::{self as actions, appointment_id, Detail};
use crate::console::error::ConsoleError;
use crate::domain::Language;
use crate::speech::{word, AppointmentWord, DayWord};
use crate::store::{Actor, Appointment, AppointmentStatus, HistoryAction, HistoryEntry};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono_tz::Tz;
use maud::{html, Markup};
use serde::Deserialize;

/// `?done=restored|no_show|taken|refused`: what the last action did.
#[derive(Debug, Deserialize)]
pub struct Done {
    done: Option<String>,
}

/// What an action's outcome says, and whether it went well.
fn done_notice(l: Language, done: Option<&str>) -> Option<(bool, &'static str)> {
    match done? {
        "restored" => Some((true, word(l, AppointmentWord::Restored))),
        "no_show" => Some((true, word(l, AppointmentWord::NoShowMarked))),
        "taken" => Some((false, word(l, AppointmentWord::NoLongerFree))),
        "refused" => Some((false, word(l, AppointmentWord::NotPossibleNow))),
        _ => None,
    }
}

/// Where an appointment stands, in the owner's words.
pub fn status_word(l: Language, status: AppointmentStatus) -> &'static str {
    match status {
        AppointmentStatus::Booked => word(l, AppointmentWord::StatusBooked),
        AppointmentStatus::Pending | AppointmentStatus::PendingUnknown => word(l, AppointmentWord::StatusPending),
        AppointmentStatus::Cancelled => word(l, AppointmentWord::StatusCancelled),
        AppointmentStatus::NoShow => word(l, AppointmentWord::StatusNoShow),
    }
}

/// What happened, in the owner's words.
fn action_word(l: Language, action: HistoryAction) -> &'static str {
    match action {
        HistoryAction::Booked => word(l, AppointmentWord::ActionBooked),
        HistoryAction::Moved => word(l, AppointmentWord::ActionMoved),
        HistoryAction::Cancelled => word(l, AppointmentWord::ActionCancelled),
        HistoryAction::Restored => word(l, AppointmentWord::ActionRestored),
        HistoryAction::NoShow => word(l, AppointmentWord::ActionNoShow),
        HistoryAction::Reminded => word(l, AppointmentWord::ActionReminded),
    }
}

/// Who did it, in the owner's words: a login by its e-mail.
fn actor_words(l: Language, label: &str) -> String {
    match Actor::parse(label) {
        Actor::PhoneAgent => word(l, AppointmentWord::ByPhoneAgent).to_string(),
        Actor::Calcom => word(l, AppointmentWord::ByCalcom).to_string(),
        Actor::Frontdesk => word(l, AppointmentWord::ByFrontdesk).to_string(),
        Actor::SmsReply => word(l, AppointmentWord::BySms).to_string(),
        Actor::Waitlist => word(l, AppointmentWord::ByWaitlist).to_string(),
        Actor::Console(email) if email.is_empty() => format!("{} {}", word(l, AppointmentWord::By), word(l, crate::speech::PageWord::Console)),
        Actor::Console(email) => format!("{} {email}", word(l, AppointmentWord::By)),
    }
}

fn history_rows(l: Language, zone: Tz, history: &[HistoryEntry]) -> Markup {
    html! {
        ol.history { @for entry in history {
            li {
                strong { (action_word(l, entry.action)) } " " (actor_words(l, &entry.actor))
                " · " span.muted { (entry.at.with_timezone(&zone).format("%d.%m.%Y %H:%M")) }
                @if let Some((start, rest)) = entry.detail.as_deref().and_then(|d| d.split_once('|')) {
                    @let before = chrono::DateTime::parse_from_rfc3339(start).map(|t| t.with_timezone(&zone).format("%d.%m.%Y %H:%M").to_string());
                    " · " span.muted { (word(l, AppointmentWord::Before)) " " (before.unwrap_or_default()) " " (rest.replace('|', " · ").replace("- · ", "")) }
                }
            }
        } }
    }
}

fn actions(op: &crate::console::session::Operator, a: &Appointment, now: chrono::DateTime<chrono::Utc>) -> Markup {
    let l = op.language;
    html! {
        @if a.status == AppointmentStatus::Cancelled {
            form.inline method="post" action={ "/admin/appointments/" (a.id) "/restore" } {
                (csrf_field(op)) button type="submit" { (word(l, AppointmentWord::Restore)) }
            }
        }
        @if a.status == AppointmentStatus::Booked && a.starts_at <= now {
            form.inline method="post" action={ "/admin/appointments/" (a.id) "/no_show" } {
                (csrf_field(op)) button type="submit" { (word(l, AppointmentWord::MarkNoShow)) }
            }
        }
    }
}

/// `GET /admin/appointments/{id}`.
pub async fn show(
    State(state): State<AppState>,
    PageOperator(op): PageOperator,
    Path(id): Path<String>,
    Query(q): Query<Done>,
) -> Response {
    let l = op.language;
    let detail = match appointment_id(&id) {
        Ok(id) => actions::detail(&state, &op, id).await,
        Err(error) => Err(error),
    };
    let Detail { appointment: a, history, call } = match detail {
        Ok(detail) => detail,
        Err(ConsoleError::NotFound) => return not_found(l),
        Err(error) => return error.into_response(),
    };
    let zone = state.directory().branch(a.branch_id).map(|b| b.company.timezone).unwrap_or(chrono_tz::UTC);
    let start = a.starts_at.with_timezone(&zone);
    let title = format!("{} · {}", a.service_name, start.format("%d.%m.%Y %H:%M"));
    let notice = done_notice(l, q.done.as_deref()).map(|(ok, text)| if ok { Ok(text.to_string()) } else { Err(text.to_string()) });
    let frame = Frame::load(&state, &op).await.with_notice(notice);
    let body = html! {
        section.card {
            p { strong { (status_word(l, a.status)) } " · " (start.format("%H:%M")) "–" (a.ends_at.with_timezone(&zone).format("%H:%M"))
                @if let Some(staff) = &a.staff_name { " · " (staff) } " · " span.muted { (a.branch) " · " (source(l, a.source)) } }
            p { (word(l, AppointmentWord::Customer)) ": "
                @match (a.customer_id, a.customer_name.as_deref()) {
                    (Some(id), Some(name)) => a href={ "/admin/customers/" (id.0) } { (name) },
                    (_, name) => (name.unwrap_or("–")),
                }
                " " (phone(a.phone.as_deref())) }
            (actions(&op, &a, state.now()))
        }
        section.card {
            h2 { (word(l, AppointmentWord::History)) }
            (history_rows(l, zone, &history))
            @match &call {
                Some(call) => p { (word(l, AppointmentWord::FromCall)) " "
                    a href={ "/admin/calls#" (call.retell_call_id) } { (call.started_at.with_timezone(&zone).format("%d.%m.%Y %H:%M")) }
                    @if let Some(summary) = &call.summary { " — " (summary) } },
                None => p.muted { (word(l, AppointmentWord::NoCall)) },
            }
        }
        p { a href={ "/admin/today?day=" (start.date_naive()) } { "← " (word(l, DayWord::Day)) } }
    };
    page(&op, &frame, Nav::Today, &title, body).into_response()
}

/// Runs a page action and goes back to the appointment with what came of it.
fn act(op: &crate::console::session::Operator, id: &str, done: &str, run: Result<bool, ConsoleError>) -> Response {
    let outcome = match run {
        Ok(true) => done,
        Ok(false) => "taken",
        Err(ConsoleError::NotFound) => return not_found(op.language),
        Err(ConsoleError::Conflict(_)) => "refused",
        Err(error) => return error.into_response(),
    };
    Redirect::to(&format!("/admin/appointments/{}?done={outcome}", id.trim())).into_response()
}

/// `POST /admin/appointments/{id}/restore`.
pub async fn restore(State(state): State<AppState>, PageOperator(op): PageOperator, Path(id): Path<String>, Form(form): Form<CsrfForm>) -> Response {
    if !op.csrf_matches(Some(&form.csrf)) {
        return forbidden(op.language);
    }
    let run = match appointment_id(&id) {
        Ok(appointment) => actions::restore(&state, &op, appointment).await,
        Err(error) => Err(error),
    };
    act(&op, &id, "restored", run)
}

/// `POST /admin/appointments/{id}/no_show`.
pub async fn no_show(State(state): State<AppState>, PageOperator(op): PageOperator, Path(id): Path<String>, Form(form): Form<CsrfForm>) -> Response {
    if !op.csrf_matches(Some(&form.csrf)) {
        return forbidden(op.language);
    }
    let run = match appointment_id(&id) {
        Ok(appointment) => actions::no_show(&state, &op, appointment).await.map(|()| true),
        Err(error) => Err(error),
    };
    act(&op, &id, "no_show", run)
}
