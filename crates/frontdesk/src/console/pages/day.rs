//! *Heute* and *Woche*: the appointments of a day per staff member, and of a week as a grid;
//! cancelling one goes through the same booker as the phone agent (calendar of record first).

use super::layout::{csrf_field, page, phone, source, Frame, Nav};
use super::{forbidden, not_found, PageOperator};
use crate::app::AppState;
use crate::console::actions;
use crate::console::session::Operator;
use crate::store::ConsoleAppointment;
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
        "booked" => Ok(l.pick("Termin eingetragen.", "Appointment booked.").to_string()),
        "moved" => Ok(l.pick("Termin verschoben.", "Appointment moved.").to_string()),
        "taken" => Err(l.pick("Diese Zeit ist nicht frei.", "That time is not free.").to_string()),
        "unconfirmed" => Err(l
            .pick(
                "Der Kalender hat nicht rechtzeitig geantwortet; der Termin wird abgeglichen.",
                "The calendar did not answer in time; the booking is being reconciled.",
            )
            .to_string()),
        "failed" => Err(l
            .pick(
                "Der Kalender ist gerade nicht erreichbar; bitte erneut versuchen.",
                "The calendar cannot be reached right now; please try again.",
            )
            .to_string()),
        "refused" => Err(l
            .pick("Die Angaben sind unvollständig oder ungültig.", "The details are incomplete or invalid.")
            .to_string()),
        "cancel_failed" => Err(l
            .pick(
                "Der Kalender hat die Stornierung nicht bestätigt; bitte erneut versuchen.",
                "The calendar did not confirm the cancellation; please try again.",
            )
            .to_string()),
        _ => return None,
    })
}

/// `GET /admin/today?day=…`: one day, a column per staff member.
pub async fn today(
    State(state): State<AppState>,
    PageOperator(op): PageOperator,
    Query(q): Query<DayQuery>,
) -> Response {
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
                    @for a in list { (card(&op, a, zone, day)) }
                }
            }
        }
        (new_form(&op, &state, day))
    };
    page(&op, &frame, Nav::Today, &title, body).into_response()
}

/// The form for an appointment made in the console (a walk-in, a call to the landline).
fn new_form(op: &Operator, state: &AppState, day: NaiveDate) -> Markup {
    let l = op.language;
    let directory = state.directory();
    let branches = op.company.map(|id| directory.of_company(id)).unwrap_or_default();
    html! {
        @if !branches.is_empty() {
            section.card {
                h2 { (l.pick("Neuer Termin", "New appointment")) }
                form method="post" action="/admin/appointments" {
                    (csrf_field(op))
                    // A resubmitted form books once: the key makes the request idempotent.
                    input type="hidden" name="key" value=(crate::console::session::random_token());
                    div.row {
                        label { (l.pick("Leistung", "Service"))
                            select name="service" required {
                                @for b in branches { optgroup label=(b.branch.name) {
                                    @for s in &b.branch.services { option value={ (b.branch.id) ":" (s.id.0) } { (s.name) } }
                                } }
                            }
                        }
                        @if op.staff_name.is_none() {
                            label { (l.pick("Mitarbeiter", "Staff"))
                                select name="staff" {
                                    option value="" { (l.pick("egal", "any")) }
                                    @for b in branches { @for p in &b.branch.staff { option value=(p.name) { (p.name) } } }
                                }
                            }
                        }
                        label { (l.pick("Tag", "Day")) input type="date" name="date" value=(day) required; }
                        label { (l.pick("Uhrzeit", "Time")) input type="time" name="time" step="300" required; }
                        label { (l.pick("Name", "Name")) input type="text" name="name" maxlength="100" required; }
                        label { (l.pick("Telefon", "Phone")) input type="tel" name="phone" maxlength="20" required placeholder="+49…"; }
                        button type="submit" { (l.pick("Eintragen", "Book")) }
                    }
                }
            }
        }
    }
}

fn card(op: &Operator, a: &ConsoleAppointment, zone: Tz, day: NaiveDate) -> Markup {
    let l = op.language;
    html! {
        div class={ "appt " (a.status) } data-appointment=(a.id) data-start=(a.starts_at.with_timezone(&zone).format("%H:%M")) {
            strong { (time_range(a, zone)) } " " (a.service)
            div { (a.customer_name.as_deref().unwrap_or("–")) }
            div { (phone(a.phone.as_deref())) }
            div.muted { (a.branch) " · " span.src { (source(l, &a.source)) }
                @if a.status != "booked" { " · " span.overdue { (l.pick("wird abgeglichen", "being reconciled")) } } }
            details.move {
                summary { (l.pick("Verschieben", "Move")) }
                form method="post" action={ "/admin/appointments/" (a.id) "/move" } {
                    (csrf_field(op))
                    input type="date" name="date" value=(day) required aria-label=(l.pick("Tag", "Day"));
                    " " input type="time" name="time" step="300" required aria-label=(l.pick("Uhrzeit", "Time"));
                    " " button type="submit" { (l.pick("Verschieben", "Move")) }
                }
            }
            form.inline method="post" action={ "/admin/appointments/" (a.id) "/cancel" }
                onsubmit={ "return confirm('" (l.pick("Termin wirklich stornieren?", "Cancel this appointment?")) "')" } {
                (csrf_field(op))
                button.danger type="submit" { (l.pick("Stornieren", "Cancel")) }
            }
        }
    }
}

/// `GET /admin/week?start=…`: Monday to Sunday, a row per staff member.
pub async fn week(
    State(state): State<AppState>,
    PageOperator(op): PageOperator,
    Query(q): Query<DayQuery>,
) -> Response {
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
    let Some(tenant) = state.directory().branch(appointment.branch_id).cloned() else {
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

/// The new-appointment form.
#[derive(Debug, Deserialize)]
pub struct NewForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    key: String,
    #[serde(default)]
    service: String,
    #[serde(default)]
    staff: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    time: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    phone: String,
}

/// A local date and time of a branch as UTC (the earlier instant when the clock falls back).
fn instant(date: &str, time: &str, zone: Tz) -> Option<chrono::DateTime<chrono::Utc>> {
    let date = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").ok()?;
    let time = chrono::NaiveTime::parse_from_str(time.trim(), "%H:%M").ok()?;
    use chrono::TimeZone;
    zone.from_local_datetime(&date.and_time(time)).earliest().map(|t| t.with_timezone(&chrono::Utc))
}

/// `POST /admin/appointments`: books through the same booker as the phone agent (locks,
/// idempotency, the calendar of record first); the company's caller limits do not apply.
pub async fn create(
    State(state): State<AppState>,
    PageOperator(op): PageOperator,
    Form(form): Form<NewForm>,
) -> Response {
    use crate::booking::{BookingOutcome, BookingRequest};
    if !op.csrf_matches(Some(&form.csrf)) {
        return forbidden(op.language);
    }
    let back =
        |day: &str, notice: &str| Redirect::to(&format!("/admin/today?day={day}&notice={notice}")).into_response();
    let day = NaiveDate::parse_from_str(form.date.trim(), "%Y-%m-%d").map(|d| d.to_string()).unwrap_or_default();
    let Some((branch_id, service_id)) =
        form.service.split_once(':').and_then(|(b, s)| Some((b.parse::<i64>().ok()?, s.parse::<i64>().ok()?)))
    else {
        return back(&day, "refused");
    };
    let Some(tenant) = state.directory().branch(branch_id).filter(|b| op.company == Some(b.company.id)).cloned() else {
        return not_found(op.language);
    };
    let Some(service) = tenant.branch.service(crate::domain::ServiceId(service_id)).cloned() else {
        return back(&day, "refused");
    };
    let wanted = op.staff_name.clone().unwrap_or_else(|| form.staff.trim().to_string());
    let staff = if wanted.is_empty() {
        None
    } else {
        match tenant.branch.staff.iter().find(|p| p.name == wanted && p.services.contains(&service.id)) {
            Some(person) => Some(person.id),
            None => return back(&day, "refused"),
        }
    };
    let name = form.name.trim().chars().take(100).collect::<String>();
    let (Some(start), Ok(phone), false, 16..=64) = (
        instant(&form.date, &form.time, tenant.company.timezone),
        crate::domain::PhoneNumber::parse(form.phone.trim()),
        name.is_empty(),
        form.key.len(),
    ) else {
        return back(&day, "refused");
    };
    let customer = match state.backends().store.upsert_customer(tenant.company.id, &phone, Some(&name), None).await {
        Ok(customer) => customer,
        Err(error) => return crate::console::error::ConsoleError::from(error).into_response(),
    };
    let request = BookingRequest {
        tenant: tenant.clone(),
        call_id: format!("console:{}", form.key),
        call_row_id: None,
        service: service.id,
        staff,
        start,
        customer_id: Some(customer.id),
        name,
        phone: Some(phone.as_str().to_string()),
        email: None,
        notes: None,
        source: crate::store::AppointmentSource::Console,
    };
    let notice = match state.backends().booker.book(&request).await {
        Ok(BookingOutcome::Booked { .. }) => "booked",
        Ok(BookingOutcome::Taken) => "taken",
        Ok(BookingOutcome::Unconfirmed(_)) => "unconfirmed",
        Ok(BookingOutcome::Failed(_)) => "failed",
        Ok(BookingOutcome::Refused(_)) => "refused",
        Err(error) => return crate::console::error::ConsoleError::from(error).into_response(),
    };
    tracing::info!(branch = branch_id, notice, by = %op.email, "console booking");
    back(&day, notice)
}

/// The move form.
#[derive(Debug, Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    time: String,
}

/// `POST /admin/appointments/{id}/move`: moves in the calendar of record, then here.
pub async fn reschedule(
    State(state): State<AppState>,
    PageOperator(op): PageOperator,
    Path(id): Path<String>,
    Form(form): Form<MoveForm>,
) -> Response {
    if !op.csrf_matches(Some(&form.csrf)) {
        return forbidden(op.language);
    }
    let Ok(id) = id.parse::<i64>() else { return not_found(op.language) };
    let appointment = match state.backends().store.console_appointment(op.company, id).await {
        Ok(Some(a)) if op.staff_name.is_none() || a.staff_name == op.staff_name => a,
        Ok(_) => return not_found(op.language),
        Err(error) => return crate::console::error::ConsoleError::from(error).into_response(),
    };
    let Some(tenant) = state.directory().branch(appointment.branch_id).cloned() else {
        return not_found(op.language);
    };
    let Some(start) = instant(&form.date, &form.time, tenant.company.timezone) else {
        let day = appointment.starts_at.with_timezone(&tenant.company.timezone).date_naive();
        return Redirect::to(&format!("/admin/today?day={day}&notice=refused")).into_response();
    };
    let notice = match state.backends().booker.reschedule(&tenant, &appointment, start).await {
        Ok(true) => "moved",
        Ok(false) => "taken",
        Err(error) => {
            tracing::warn!(%error, appointment = id, "console move failed");
            "failed"
        }
    };
    let day = start.with_timezone(&tenant.company.timezone).date_naive();
    Redirect::to(&format!("/admin/today?day={day}&notice={notice}")).into_response()
}
