//! *Heute* and *Woche*: the appointments of a day per staff member, and of a week as a grid;
//! cancelling one goes through the same booker as the phone agent (calendar of record first).

use super::layout::{csrf_field, page, phone, source, Frame, Nav};
use super::{forbidden, not_found, PageOperator};
use crate::console::actions;
use crate::store::ConsoleAppointment;
use crate::http::AppState;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::{Datelike, Duration, NaiveDate};
use chrono_tz::Tz;
use maud::{html, Markup};
use serde::Deserialize;
use std::collections::BTreeMap;

/// `?day=YYYY-MM-DD` or `?start=YYYY-MM-DD`.
#[derive(Debug, Default, Deserialize)]
pub struct DayQuery {
    day: Option<String>,
    start: Option<String>,
    notice: Option<String>,
}

fn parse_day(text: Option<&str>) -> Option<NaiveDate> {
    text.and_then(|t| NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d").ok())
}

fn time_range(a: &ConsoleAppointment, zone: Tz) -> String {
    format!("{}–{}", a.starts_at.with_timezone(&zone).format("%H:%M"), a.ends_at.with_timezone(&zone).format("%H:%M"))
}

/// The column an appointment goes in: its staff member, or "not assigned".
fn staff_of(a: &ConsoleAppointment, unassigned: &str) -> String {
    a.staff.clone().unwrap_or_else(|| unassigned.to_string())
}

fn notice_text(language: crate::domain::Language, code: Option<&str>) -> Option<Result<String, String>> {
    let l = language;
    Some(match code? {
        "cancelled" => Ok(l.pick("Termin storniert.", "Appointment cancelled.").to_string()),
        "cancel_failed" => Err(l.pick("Der Kalender hat die Stornierung nicht bestätigt; bitte erneut versuchen.", "The calendar did not confirm the cancellation; please try again.").to_string()),
        _ => return None,
    })
}

/// `GET /admin/today?day=…`: one day, a column per staff member.
pub async fn today(State(state): State<AppState>, PageOperator(op): PageOperator, Query(q): Query<DayQuery>) -> Response {
    let l = op.language;
    let zone = actions::zone_of(&state, &op);
    let day = parse_day(q.day.as_deref()).unwrap_or_else(|| state.now().with_timezone(&zone).date_naive());
    let rows = match actions::appointments(&state, &op, day, day).await {
        Ok(rows) => rows,
        Err(error) => return error.into_response(),
    };
    let unassigned = l.pick("ohne Zuordnung", "not assigned");
    let mut columns: BTreeMap<String, Vec<&ConsoleAppointment>> = BTreeMap::new();
    for a in &rows {
        columns.entry(staff_of(a, unassigned)).or_default().push(a);
    }
    let frame = Frame::load(&state, &op).await.with_notice(notice_text(l, q.notice.as_deref()));
    let title = format!("{} · {}", l.pick("Heute", "Today"), day.format(l.pick("%d.%m.%Y", "%Y-%m-%d")));
    let body = html! {
        div.row {
            a href={ "/admin/today?day=" (day - Duration::days(1)) } { "← " (l.pick("Vortag", "Previous day")) }
            a href="/admin/today" { (l.pick("Heute", "Today")) }
            a href={ "/admin/today?day=" (day + Duration::days(1)) } { (l.pick("Nächster Tag", "Next day")) " →" }
        }
        @if rows.is_empty() {
            p.muted { (l.pick("Keine Termine an diesem Tag.", "No appointments on this day.")) }
        }
        div.grid {
            @for (staff, list) in &columns {
                section.column {
                    h2 { (staff) " " span.muted { "(" (list.len()) ")" } }
                    @for a in list { (card(&op, a, zone)) }
                }
            }
        }
    };
    page(&op, &frame, Nav::Today, &title, body).into_response()
}

fn card(op: &crate::console::session::Operator, a: &ConsoleAppointment, zone: Tz) -> Markup {
    let l = op.language;
    html! {
        div class={ "appt " (a.status) } data-appointment=(a.id) {
            strong { (time_range(a, zone)) } " " (a.service)
            div { (a.customer_name.as_deref().unwrap_or("–")) }
            div { (phone(a.phone.as_deref())) }
            div.muted { (a.branch) " · " span.src { (source(l, &a.source)) }
                @if a.status != "booked" { " · " span.overdue { (l.pick("wird abgeglichen", "being reconciled")) } } }
            form.inline method="post" action={ "/admin/appointments/" (a.id) "/cancel" }
                onsubmit={ "return confirm('" (l.pick("Termin wirklich stornieren?", "Cancel this appointment?")) "')" } {
                (csrf_field(op))
                button.danger type="submit" { (l.pick("Stornieren", "Cancel")) }
            }
        }
    }
}

/// `GET /admin/week?start=…`: Monday to Sunday, a row per staff member.
pub async fn week(State(state): State<AppState>, PageOperator(op): PageOperator, Query(q): Query<DayQuery>) -> Response {
    let l = op.language;
    let zone = actions::zone_of(&state, &op);
    let any_day = parse_day(q.start.as_deref()).unwrap_or_else(|| state.now().with_timezone(&zone).date_naive());
    let monday = any_day - Duration::days(i64::from(any_day.weekday().num_days_from_monday()));
    let days: Vec<NaiveDate> = (0..7).map(|i| monday + Duration::days(i)).collect();
    let rows = match actions::appointments(&state, &op, monday, days[6]).await {
        Ok(rows) => rows,
        Err(error) => return error.into_response(),
    };
    let unassigned = l.pick("ohne Zuordnung", "not assigned");
    let mut grid: BTreeMap<String, BTreeMap<NaiveDate, Vec<&ConsoleAppointment>>> = BTreeMap::new();
    for a in &rows {
        let day = a.starts_at.with_timezone(&zone).date_naive();
        grid.entry(staff_of(a, unassigned)).or_default().entry(day).or_default().push(a);
    }
    let names = l.pick(["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"], ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]);
    let frame = Frame::load(&state, &op).await;
    let title = format!("{} · {}", l.pick("Woche", "Week"), monday.format(l.pick("%d.%m.%Y", "%Y-%m-%d")));
    let body = html! {
        div.row {
            a href={ "/admin/week?start=" (monday - Duration::days(7)) } { "← " (l.pick("Vorwoche", "Previous week")) }
            a href="/admin/week" { (l.pick("Diese Woche", "This week")) }
            a href={ "/admin/week?start=" (monday + Duration::days(7)) } { (l.pick("Nächste Woche", "Next week")) " →" }
        }
        div style="overflow-x:auto" {
            table.weekgrid {
                thead { tr {
                    th { (l.pick("Mitarbeiter", "Staff")) }
                    @for (i, d) in days.iter().enumerate() {
                        th { a href={ "/admin/today?day=" (d) } { (names[i]) " " (d.format("%d.%m.")) } }
                    }
                } }
                tbody {
                    @if grid.is_empty() { tr { td colspan="8" .muted { (l.pick("Keine Termine in dieser Woche.", "No appointments this week.")) } } }
                    @for (staff, by_day) in &grid {
                        tr {
                            th { (staff) }
                            @for d in &days {
                                td {
                                    @for a in by_day.get(d).map(Vec::as_slice).unwrap_or_default() {
                                        div class={ "appt " (a.status) } {
                                            strong { (a.starts_at.with_timezone(&zone).format("%H:%M")) } " " (a.service)
                                            div.muted { (a.customer_name.as_deref().unwrap_or("–")) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    page(&op, &frame, Nav::Week, &title, body).into_response()
}

/// `POST /admin/appointments/{id}/cancel`: cancels in the calendar of record, then here.
pub async fn cancel(
    State(state): State<AppState>,
    PageOperator(op): PageOperator,
    Path(id): Path<String>,
    Form(form): Form<super::CsrfForm>,
) -> Response {
    if !op.csrf_matches(Some(&form.csrf)) {
        return forbidden(op.language);
    }
    let Ok(id) = id.parse::<i64>() else { return not_found(op.language) };
    let store = &state.backends().store;
    let appointment = match store.console_appointment(op.company, id).await {
        Ok(Some(a)) => a,
        Ok(None) => return not_found(op.language),
        Err(error) => return crate::console::error::ConsoleError::from(error).into_response(),
    };
    // A staff login cancels only their own appointments.
    if op.staff_name.is_some() && appointment.staff_name != op.staff_name {
        return not_found(op.language);
    }
    let Some(tenant) = state.directory().branches().iter().find(|b| b.branch.id == appointment.branch_id).cloned() else {
        return not_found(op.language);
    };
    let day = appointment.starts_at.with_timezone(&tenant.company.timezone).date_naive();
    let reason = format!("cancelled in the console by {}", op.email);
    let notice = match state.backends().booker.cancel(&tenant, &appointment, &reason).await {
        Ok(()) => "cancelled",
        Err(error) => {
            tracing::warn!(%error, appointment = id, "console cancellation failed");
            "cancel_failed"
        }
    };
    Redirect::to(&format!("/admin/today?day={day}&notice={notice}")).into_response()
}
