//! *Mitarbeiter*: who works when, their breaks, and their absences (DESIGN §13). An absence is
//! entered in one line as an owner would say it ("Maria krank heute und morgen"); appointments it
//! runs into are listed as needing attention until each is moved, reassigned or cancelled.
//! Staff logins see and enter their own absences only; hours are the owner's.

use super::layout::{csrf_field, page, Frame, Nav};
use super::settings::{field, urlencode};
use super::{forbidden, not_found, PageOperator};
use crate::app::AppState;
use crate::console::schedules;
use crate::console::session::Operator;
use crate::domain::{AbsenceId, BranchContext, OpeningHours, Role, Staff, StaffId};
use crate::speech::{spoken_day_hours, spoken_weekday, understand_absence, word, DayWord, SpeechContext, StaffWord};
use crate::store::Appointment;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::Weekday;
use maud::{html, Markup};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The weekdays as the tenants file names them, with their days.
const WEEK: [(&str, Weekday); 7] = [
    ("mon", Weekday::Mon),
    ("tue", Weekday::Tue),
    ("wed", Weekday::Wed),
    ("thu", Weekday::Thu),
    ("fri", Weekday::Fri),
    ("sat", Weekday::Sat),
    ("sun", Weekday::Sun),
];
/// Longest absence line accepted.
const LINE_CHARS: usize = 200;

/// `?entered=1` or `?error=…`.
#[derive(Debug, Default, Deserialize)]
pub struct Outcome {
    entered: Option<String>,
    error: Option<String>,
}

/// Whether the operator sees this person's card (staff logins: their own).
fn shows(op: &Operator, person: &Staff) -> bool {
    op.role != Role::Staff || op.staff_name.as_deref() == Some(person.name.as_str())
}

/// An appointment inside an absence of its staff member, with the absence's reason.
struct Conflict {
    appointment: Appointment,
    staff: String,
}

/// `GET /admin/staff`.
pub async fn show(State(state): State<AppState>, PageOperator(op): PageOperator, Query(q): Query<Outcome>) -> Response {
    let l = op.language;
    let notice = match (q.entered, q.error) {
        (_, Some(error)) => Some(Err(error.chars().take(300).collect())),
        (Some(_), None) => Some(Ok(word(l, StaffWord::Entered).to_string())),
        _ => None,
    };
    let frame = Frame::load(&state, &op).await.with_notice(notice);
    let branches = schedules::branches(&state, &op, None);
    let mut sections = Vec::new();
    for tenant in &branches {
        let conflicts = match conflicts(&state, &op, tenant).await {
            Ok(conflicts) => conflicts,
            Err(error) => return error.into_response(),
        };
        sections.push(branch_section(&state, &op, tenant, &conflicts));
    }
    let body = html! { @for section in sections { (section) } };
    page(&op, &frame, Nav::Staff, word(l, StaffWord::Title), body).into_response()
}

/// Appointments that fall in an absence of their staff member (those the operator may see).
async fn conflicts(
    state: &AppState,
    op: &Operator,
    tenant: &BranchContext,
) -> Result<Vec<Conflict>, crate::console::error::ConsoleError> {
    let now = state.now();
    let mut found = Vec::new();
    for person in tenant.branch.staff.iter().filter(|p| shows(op, p)) {
        for absence in person.absences.iter().filter(|a| a.ends_at > now) {
            let rows = state
                .backends()
                .store
                .staff_appointments_between(tenant.company.id, person.id, absence.starts_at.max(now), absence.ends_at)
                .await?;
            found.extend(rows.into_iter().map(|appointment| Conflict { appointment, staff: person.name.clone() }));
        }
    }
    found.sort_by_key(|c| c.appointment.starts_at);
    found.dedup_by_key(|c| c.appointment.id);
    Ok(found)
}

fn branch_section(state: &AppState, op: &Operator, tenant: &Arc<BranchContext>, conflicts: &[Conflict]) -> Markup {
    let l = op.language;
    let tz = tenant.company.timezone;
    let now = state.now();
    let local = |at: chrono::DateTime<chrono::Utc>| at.with_timezone(&tz).format("%d.%m. %H:%M").to_string();
    html! {
        section.card data-branch=(tenant.branch.id) {
            h2 { (tenant.branch.name) }
            h3 { (word(l, StaffWord::EnterAbsence)) }
            form method="post" action="/admin/staff/absences" {
                (csrf_field(op))
                input type="hidden" name="branch" value=(tenant.branch.id);
                div.row { input type="text" name="absence" maxlength="200" required style="width:100%;max-width:34rem"
                    aria-label=(word(l, StaffWord::EnterAbsence)) placeholder=(word(l, StaffWord::AbsenceExample)); }
                p.muted { (word(l, StaffWord::AbsenceExample)) }
                button type="submit" { (word(l, StaffWord::Enter)) }
            }
            @if !conflicts.is_empty() {
                div.attention id="needs-attention" {
                    h3 { (word(l, StaffWord::NeedsAttention)) }
                    p.muted { (word(l, StaffWord::NeedsAttentionHint)) }
                    ul { @for c in conflicts {
                        li data-appointment=(c.appointment.id) {
                            (local(c.appointment.starts_at)) " · " (c.appointment.service_name) " · " (c.staff)
                            @if let Some(name) = &c.appointment.customer_name { " · " (name) }
                            " · " a href={ "/admin/today?day=" (c.appointment.starts_at.with_timezone(&tz).format("%Y-%m-%d")) } { "→ " (word(l, DayWord::Day)) }
                        }
                    } }
                }
            }
            @for person in tenant.branch.staff.iter().filter(|p| shows(op, p)) {
                div.card data-staff=(person.id.0) {
                    h3 { (person.name) }
                    (hours_summary(l, tenant, person))
                    h4 { (word(l, StaffWord::Absences)) }
                    @let upcoming: Vec<_> = person.absences.iter().filter(|a| a.ends_at > now).collect();
                    @if upcoming.is_empty() { p.muted { (word(l, StaffWord::NoAbsences)) } }
                    ul { @for absence in upcoming {
                        li {
                            (absence.from_text(tz)) " – " (absence.to_text(tz))
                            @if !absence.reason.is_empty() { " · " (absence.reason) }
                            form.inline method="post" action={ "/admin/absences/" (absence.id) "/remove" } {
                                (csrf_field(op))
                                button.secondary type="submit" { (word(l, StaffWord::Remove)) }
                            }
                        }
                    } }
                    @if op.role != Role::Staff { (hours_form(op, person)) }
                }
            }
        }
    }
}

/// The week's working hours and breaks in words.
fn hours_summary(l: crate::domain::Language, tenant: &BranchContext, person: &Staff) -> Markup {
    let hours = person.working_hours.as_ref().unwrap_or(&tenant.branch.opening_hours);
    html! {
        p {
            strong { (word(l, StaffWord::WorkingHours)) ": " }
            @if person.working_hours.is_none() { (word(l, StaffWord::AsOpeningHours)) }
            @else { @for (_, day) in WEEK { @if let Some(words) = spoken_day_hours(hours.on(day), l) {
                (spoken_weekday(day, l)) " " (words) "; "
            } } }
        }
        p {
            strong { (word(l, StaffWord::Breaks)) ": " }
            @if person.breaks == OpeningHours::default() { (word(l, StaffWord::NoBreaks)) }
            @else { @for (_, day) in WEEK { @if let Some(words) = spoken_day_hours(person.breaks.on(day), l) {
                (spoken_weekday(day, l)) " " (words) "; "
            } } }
        }
    }
}

/// The owner's form for a person's hours and breaks ("12:00-20:00" per day; all empty: the
/// branch's hours).
fn hours_form(op: &Operator, person: &Staff) -> Markup {
    let l = op.language;
    let text = |hours: Option<&OpeningHours>, key: &str| {
        hours.and_then(|h| h.to_map().get(key).map(|r| r.join(", "))).unwrap_or_default()
    };
    html! {
        details {
            summary { (word(l, StaffWord::SaveHours)) }
            form method="post" action={ "/admin/staff/" (person.id.0) "/hours" } {
                (csrf_field(op))
                @for (key, day) in WEEK {
                    div.row {
                        label { (spoken_weekday(day, l)) " · " (word(l, StaffWord::WorkingHours))
                            input type="text" name=(key) value=(text(person.working_hours.as_ref(), key)) maxlength="200"
                                placeholder=(word(l, StaffWord::AsOpeningHours)); }
                        label { (word(l, StaffWord::Breaks))
                            input type="text" name={ "breaks_" (key) } value=(text(Some(&person.breaks), key)) maxlength="200"; }
                    }
                }
                button type="submit" { (word(l, StaffWord::SaveHours)) }
            }
        }
    }
}

/// The id of a form's path, once its CSRF token is checked; else the answer.
fn checked_id(op: &Operator, form: &[(String, String)], id: &str) -> Result<i64, Response> {
    if !op.csrf_matches(field(form, "csrf")) {
        return Err(forbidden(op.language));
    }
    id.parse::<i64>().map_err(|_| not_found(op.language))
}

/// Back to the page with a refusal.
fn refused(text: &str) -> Response {
    Redirect::to(&format!("/admin/staff?error={}", urlencode(text))).into_response()
}

/// `POST /admin/staff/absences`: one line, understood into who, which days and why.
pub async fn enter_absence(
    State(state): State<AppState>,
    PageOperator(op): PageOperator,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let l = op.language;
    if !op.csrf_matches(field(&form, "csrf")) {
        return forbidden(l);
    }
    let branch = field(&form, "branch").and_then(|b| b.parse::<i64>().ok()).map(crate::domain::BranchId);
    let Some(tenant) = schedules::branches(&state, &op, branch).into_iter().next() else { return not_found(l) };
    let line: String = field(&form, "absence").unwrap_or_default().chars().take(LINE_CHARS).collect();
    let now = state.now().with_timezone(&tenant.company.timezone);
    let ctx = SpeechContext { now, hours: &tenant.branch.opening_hours, language: l, month_first: tenant.company.month_first, staff: &tenant.branch.staff, earlier_day: None };
    let understood = match understand_absence(&line, &ctx) {
        Ok(understood) => understood,
        Err(_) => return refused(&format!("{} {}", word(l, StaffWord::NotUnderstood), crate::speech::echo(&line))),
    };
    // A staff login enters their own absence without naming themselves.
    let own = op.staff_name.as_deref().and_then(|name| tenant.branch.staff.iter().find(|p| p.name == name)).map(|p| p.id);
    let Some(staff) = understood.staff.or(own) else { return refused(word(l, StaffWord::WhoIsAway)) };
    let (from, to) = (understood.from_text(), understood.to_text());
    match schedules::add_absence(&state, &op, staff, &from, &to, &understood.reason).await {
        Ok(_) => Redirect::to("/admin/staff?entered=1").into_response(),
        Err(crate::console::error::ConsoleError::BadRequest(problem)) => refused(&problem),
        Err(error) => error.into_response(),
    }
}

/// `POST /admin/absences/{id}/remove`.
pub async fn remove_absence(
    State(state): State<AppState>,
    PageOperator(op): PageOperator,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let l = op.language;
    let id = match checked_id(&op, &form, &id) {
        Ok(id) => id,
        Err(answer) => return answer,
    };
    match schedules::remove_absence(&state, &op, AbsenceId(id)).await {
        Ok(()) => Redirect::to("/admin/staff").into_response(),
        Err(crate::console::error::ConsoleError::NotFound) => not_found(l),
        Err(error) => error.into_response(),
    }
}

/// `POST /admin/staff/{id}/hours`: the week's working hours and breaks.
pub async fn save_hours(
    State(state): State<AppState>,
    PageOperator(op): PageOperator,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let l = op.language;
    let id = match checked_id(&op, &form, &id) {
        Ok(id) => id,
        Err(answer) => return answer,
    };
    let week = |prefix: &str| -> Result<OpeningHours, String> {
        let mut map = BTreeMap::new();
        for (key, _) in WEEK {
            if let Some(text) = field(&form, &format!("{prefix}{key}")) {
                let ranges: Vec<String> = text.split(',').map(str::trim).filter(|r| !r.is_empty()).map(str::to_string).collect();
                map.insert(key.to_string(), ranges);
            }
        }
        OpeningHours::parse(&map)
    };
    let (hours, breaks) = match (week(""), week("breaks_")) {
        (Ok(hours), Ok(breaks)) => (hours, breaks),
        (Err(problem), _) | (_, Err(problem)) => return refused(&problem),
    };
    let hours = (hours != OpeningHours::default()).then_some(hours);
    match schedules::set_schedule(&state, &op, StaffId(id), Some(hours), Some(breaks)).await {
        Ok(_) => Redirect::to("/admin/staff?entered=1").into_response(),
        Err(crate::console::error::ConsoleError::NotFound) => not_found(l),
        Err(error) => error.into_response(),
    }
}
