//! *Warteliste* (DESIGN §15): who waits for which service on which days and times, grouped by
//! service and first day, and whether a freed time is on offer to them now; the owner removes
//! an entry (the customer found another way, or asked to be taken off).

use super::layout::{csrf_field, page, phone, Frame, Nav};
use super::{forbidden, not_found, PageOperator};
use crate::app::AppState;
use crate::domain::Role;
use crate::speech::{word, PageWord, SettingsWord};
use crate::store::WaitlistEntry;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use maud::{html, Markup};

/// A local day as the owner reads it (`2026-12-08` → `08.12.2026`).
fn day(text: &str) -> String {
    text.parse::<chrono::NaiveDate>().map(|d| d.format("%d.%m.%Y").to_string()).unwrap_or_else(|_| text.to_string())
}

fn rows(op: &crate::console::session::Operator, entries: &[WaitlistEntry]) -> Markup {
    let l = op.language;
    let may_remove = matches!(op.role, Role::Owner | Role::Admin);
    html! {
        div style="overflow-x:auto" { table {
            thead { tr { th { (word(l, PageWord::Service)) } th { (word(l, PageWord::WaitlistDays)) } th { (word(l, PageWord::WaitlistTimes)) }
                th { (word(l, PageWord::Name)) } th { (word(l, PageWord::Phone)) } th { (word(l, PageWord::Staff)) } th { } } }
            tbody { @for e in entries { tr data-entry=(e.id) {
                td { (e.service_name) }
                td { (day(&e.first_day)) @if e.last_day != e.first_day { " – " (day(&e.last_day)) } }
                td { (e.from_time) "–" (e.until_time) }
                td { (e.name) @if e.offered { " " span.badge { (word(l, PageWord::WaitlistOffered)) } } }
                td { (phone(Some(&e.phone))) }
                td { (e.staff_name.as_deref().unwrap_or("–")) }
                td { @if may_remove {
                    form.inline method="post" action={ "/admin/waitlist/" (e.id) "/remove" } {
                        (csrf_field(op))
                        button type="submit" aria-label={ (word(l, SettingsWord::Remove)) ": " (e.name) } { (word(l, SettingsWord::Remove)) }
                    }
                } }
            } } }
        } }
    }
}

/// `GET /admin/waitlist`.
pub async fn list(State(state): State<AppState>, PageOperator(op): PageOperator) -> Response {
    let l = op.language;
    let Some(company) = op.company else { return not_found(l) };
    let entries = match state.backends().store.waiting_entries(Some(company)).await {
        Ok(entries) => entries,
        Err(error) => return crate::console::error::ConsoleError::from(error).into_response(),
    };
    // a staff login sees the wishes for them or for anyone
    let entries: Vec<WaitlistEntry> = match &op.staff_name {
        Some(me) => entries.into_iter().filter(|e| e.staff_name.as_ref().is_none_or(|s| s == me)).collect(),
        None => entries,
    };
    let frame = Frame::load(&state, &op).await;
    let body = html! {
        p.muted { (word(l, PageWord::WaitlistExplained)) }
        @if entries.is_empty() { p { (word(l, PageWord::NobodyWaiting)) } } @else { (rows(&op, &entries)) }
    };
    page(&op, &frame, Nav::Waitlist, word(l, PageWord::Waitlist), body).into_response()
}

/// `POST /admin/waitlist/{id}/remove`: owners take an entry off the list.
pub async fn remove(State(state): State<AppState>, PageOperator(op): PageOperator, Path(id): Path<i64>, Form(form): Form<Vec<(String, String)>>) -> Response {
    let l = op.language;
    let submitted = form.iter().find(|(k, _)| k == "csrf").map(|(_, v)| v.as_str());
    if !op.csrf_matches(submitted) || !matches!(op.role, Role::Owner | Role::Admin) {
        return forbidden(l);
    }
    let Some(company) = op.company else { return not_found(l) };
    match state.backends().store.end_waitlist_entry(company, id, "removed", state.now()).await {
        Ok(true) => Redirect::to("/admin/waitlist").into_response(),
        Ok(false) => not_found(l),
        Err(error) => crate::console::error::ConsoleError::from(error).into_response(),
    }
}
