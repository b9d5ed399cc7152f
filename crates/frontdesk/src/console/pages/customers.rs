//! *Kunden*: find a customer by name or any digits of the number, and their profile — upcoming,
//! past and cancelled appointments, and notes the business keeps ("allergisch gegen …").

use super::layout::{csrf_field, page, phone, Frame, Nav};
use super::{forbidden, PageOperator};
use crate::app::AppState;
use crate::console::customers::{self, NOTE_CHARS};
use crate::console::session::Operator;
use crate::domain::CustomerId;
use crate::speech::{word, AppointmentWord, PageWord};
use crate::store::{Appointment, AppointmentStatus};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono_tz::Tz;
use maud::{html, Markup};
use serde::Deserialize;

/// `?q=TEXT`.
#[derive(Debug, Default, Deserialize)]
pub struct SearchQuery {
    q: Option<String>,
}

fn zone(state: &AppState, op: &Operator) -> Tz {
    crate::console::actions::zone_of(state, op)
}

/// `GET /admin/customers?q=…`.
pub async fn list(State(state): State<AppState>, PageOperator(op): PageOperator, Query(q): Query<SearchQuery>) -> Response {
    let l = op.language;
    let typed: String = q.q.unwrap_or_default().chars().take(100).collect();
    let found = match customers::search(&state, &op, &typed).await {
        Ok(found) => found,
        Err(error) => return error.into_response(),
    };
    let zone = zone(&state, &op);
    let frame = Frame::load(&state, &op).await;
    let body = html! {
        form.row method="get" action="/admin/customers" role="search" {
            label { (word(l, PageWord::CustomerSearchHint))
                input type="search" name="q" value=(typed) maxlength="100" autofocus; }
            button type="submit" { (word(l, PageWord::Search)) }
        }
        @if !typed.trim().is_empty() && found.is_empty() { p.muted { (word(l, PageWord::NobodyFound)) } }
        @if !found.is_empty() {
            div style="overflow-x:auto" { table {
                thead { tr { th { (word(l, PageWord::Name)) } th { (word(l, PageWord::Phone)) }
                    th { (word(l, PageWord::Upcoming)) } th { (word(l, PageWord::LastVisit)) } } }
                tbody { @for c in &found { tr {
                    td { a href={ "/admin/customers/" (c.id.0) } { (c.name.as_deref().unwrap_or("–")) } }
                    td { (phone(Some(&c.phone))) }
                    td { (c.upcoming) }
                    td { (c.last_visit.map(|t| t.with_timezone(&zone).format("%d.%m.%Y").to_string()).unwrap_or_else(|| "–".into())) }
                } } }
            } }
        }
    };
    page(&op, &frame, Nav::Customers, word(l, PageWord::Customers), body).into_response()
}

fn appointment_rows(zone: Tz, list: &[&Appointment]) -> Markup {
    html! {
        ul { @for a in list {
            li { a href={ "/admin/appointments/" (a.id) } { (a.starts_at.with_timezone(&zone).format("%d.%m.%Y %H:%M")) } " · " (a.service_name)
                @if let Some(staff) = &a.staff_name { " · " (staff) } " · " span.muted { (a.branch) } }
        } }
    }
}

/// `GET /admin/customers/{id}`.
pub async fn show(State(state): State<AppState>, PageOperator(op): PageOperator, Path(id): Path<String>) -> Response {
    let l = op.language;
    let Ok(id) = id.trim().parse::<i64>().map(CustomerId) else { return super::not_found(l) };
    let profile = match customers::profile(&state, &op, id).await {
        Ok(profile) => profile,
        Err(crate::console::error::ConsoleError::NotFound) => return super::not_found(l),
        Err(error) => return error.into_response(),
    };
    let (zone, now) = (zone(&state, &op), state.now());
    let booked = |a: &&Appointment| a.status == AppointmentStatus::Booked;
    let upcoming: Vec<&Appointment> = profile.appointments.iter().filter(booked).filter(|a| a.starts_at >= now).rev().collect();
    let past: Vec<&Appointment> = profile.appointments.iter().filter(booked).filter(|a| a.starts_at < now).collect();
    let cancelled: Vec<&Appointment> = profile.appointments.iter().filter(|a| a.status == AppointmentStatus::Cancelled).collect();
    let no_shows: Vec<&Appointment> = profile.appointments.iter().filter(|a| a.status == AppointmentStatus::NoShow).collect();
    let c = &profile.customer;
    let title = c.name.clone().unwrap_or_else(|| word(l, PageWord::Customers).to_string());
    let frame = Frame::load(&state, &op).await;
    let body = html! {
        p { (phone(Some(&c.phone))) @if let Some(email) = &c.email { " · " (email) } }
        section.card {
            h2 { (word(l, PageWord::Upcoming)) " " span.muted { "(" (upcoming.len()) ")" } }
            @if upcoming.is_empty() { p.muted { "–" } } @else { (appointment_rows(zone, &upcoming)) }
            h2 { (word(l, PageWord::Past)) " " span.muted { "(" (past.len()) ")" } }
            @if past.is_empty() { p.muted { "–" } } @else { (appointment_rows(zone, &past)) }
            @if !cancelled.is_empty() {
                h2 { (word(l, PageWord::CancelledAppointments)) " " span.muted { "(" (cancelled.len()) ")" } }
                (appointment_rows(zone, &cancelled))
            }
            @if !no_shows.is_empty() {
                h2 { (word(l, AppointmentWord::StatusNoShow)) " " span.muted { "(" (no_shows.len()) ")" } }
                (appointment_rows(zone, &no_shows))
            }
        }
        @if !profile.calls.is_empty() {
            section.card {
                h2 { (word(l, PageWord::Calls)) }
                ul { @for call in &profile.calls {
                    li { a href={ "/admin/calls#" (call.retell_call_id) } { (call.started_at.with_timezone(&zone).format("%d.%m.%Y %H:%M")) }
                        " · " (super::calls::length(call))
                        " · " (super::calls::story_line(l, zone, call, &super::calls::CallStory::of(call, &[])))
                        @if let Some(summary) = &call.summary { " — " span.muted { (summary) } } }
                } }
            }
        }
        section.card {
            h2 { (word(l, PageWord::Notes)) }
            @if profile.notes.is_empty() { p.muted { (word(l, PageWord::NoNotes)) } }
            ul.notes { @for n in &profile.notes {
                li { (n.text) " " span.muted { "— " (n.author) ", " (n.created_at.with_timezone(&zone).format("%d.%m.%Y %H:%M")) } }
            } }
            form method="post" action={ "/admin/customers/" (c.id.0) "/notes" } {
                (csrf_field(&op))
                label { (word(l, PageWord::Notes))
                    textarea name="text" rows="2" maxlength=(NOTE_CHARS) required {} }
                button type="submit" { (word(l, PageWord::AddNote)) }
            }
        }
        @if op.staff_name.is_none() { (owner_tools(&op, c.id)) }
        p { a href="/admin/customers" { "← " (word(l, PageWord::Customers)) } }
    };
    page(&op, &frame, Nav::Customers, &title, body).into_response()
}

/// What only the owner does with a person's data: export, merge a duplicate in, erase.
fn owner_tools(op: &Operator, id: CustomerId) -> Markup {
    let l = op.language;
    html! {
        section.card {
            p { (word(l, AppointmentWord::CustomerNumber)) " " (id.0) " · "
                a href={ "/admin/api/customers/" (id.0) "/export" } download { (word(l, AppointmentWord::ExportData)) } }
            form method="post" action={ "/admin/customers/" (id.0) "/merge" } {
                (csrf_field(op))
                label { (word(l, AppointmentWord::DuplicateNumber))
                    input type="number" name="duplicate" min="1" required; }
                button type="submit" { (word(l, AppointmentWord::MergeDuplicate)) }
            }
            form method="post" action={ "/admin/customers/" (id.0) "/erase" } data-confirm=(word(l, AppointmentWord::EraseConfirm)) {
                (csrf_field(op))
                button.danger type="submit" { (word(l, AppointmentWord::EraseData)) }
            }
        }
    }
}

/// The merge form: the duplicate that goes into this customer.
#[derive(Debug, Deserialize)]
pub struct MergeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    duplicate: String,
}

/// `POST /admin/customers/{id}/merge`: the duplicate's appointments and notes come here.
pub async fn merge(State(state): State<AppState>, PageOperator(op): PageOperator, Path(id): Path<String>, Form(form): Form<MergeForm>) -> Response {
    let l = op.language;
    if !op.csrf_matches(Some(&form.csrf)) {
        return forbidden(l);
    }
    let (Ok(into), Ok(duplicate)) = (id.trim().parse::<i64>().map(CustomerId), form.duplicate.trim().parse::<i64>().map(CustomerId)) else {
        return super::not_found(l);
    };
    match customers::merge(&state, &op, duplicate, into).await {
        Ok(()) => Redirect::to(&format!("/admin/customers/{}", into.0)).into_response(),
        Err(crate::console::error::ConsoleError::NotFound) => super::not_found(l),
        Err(error) => error.into_response(),
    }
}

/// `POST /admin/customers/{id}/erase`: the person's data goes; back to the search.
pub async fn erase(State(state): State<AppState>, PageOperator(op): PageOperator, Path(id): Path<String>, Form(form): Form<super::CsrfForm>) -> Response {
    let l = op.language;
    if !op.csrf_matches(Some(&form.csrf)) {
        return forbidden(l);
    }
    let Ok(id) = id.trim().parse::<i64>().map(CustomerId) else { return super::not_found(l) };
    match customers::erase(&state, &op, id).await {
        Ok(()) => Redirect::to("/admin/customers?erased=1").into_response(),
        Err(crate::console::error::ConsoleError::NotFound) => super::not_found(l),
        Err(error) => error.into_response(),
    }
}

/// The note form.
#[derive(Debug, Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    text: String,
}

/// `POST /admin/customers/{id}/notes`.
pub async fn add_note(
    State(state): State<AppState>,
    PageOperator(op): PageOperator,
    Path(id): Path<String>,
    Form(form): Form<NoteForm>,
) -> Response {
    let l = op.language;
    if !op.csrf_matches(Some(&form.csrf)) {
        return forbidden(l);
    }
    let Ok(id) = id.trim().parse::<i64>().map(CustomerId) else { return super::not_found(l) };
    match customers::add_note(&state, &op, id, &form.text).await {
        Ok(_) => Redirect::to(&format!("/admin/customers/{}", id.0)).into_response(),
        Err(crate::console::error::ConsoleError::NotFound) => super::not_found(l),
        Err(error) => error.into_response(),
    }
}
