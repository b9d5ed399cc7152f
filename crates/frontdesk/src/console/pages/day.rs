//! *Heute* and *Woche*: the appointments of a day per staff member, and of a week as a grid;
//! cancelling one goes through the same booker as the phone agent (calendar of record first).

use crate::speech::{spoken_weekday_short, word, DayWord, PageWord};
use super::layout::{csrf_field, page, phone, source, Frame, Nav};
use super::{forbidden, not_found, PageOperator};
use crate::app::AppState;
use crate::console::actions;
use crate::console::session::Operator;
use crate::store::{Appointment, AppointmentStatus};
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
    /// A free gap clicked on the axis: the new-appointment form starts at this time …
    at: Option<String>,
    /// … with this staff member.
    staff: Option<String>,
}

fn parse_day(text: Option<&str>) -> Option<NaiveDate> {
    text.and_then(|t| NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d").ok())
}

fn time_range(a: &Appointment, zone: Tz) -> String {
    format!("{}–{}", a.starts_at.with_timezone(&zone).format("%H:%M"), a.ends_at.with_timezone(&zone).format("%H:%M"))
}

/// The column an appointment goes in: its staff member, or "not assigned".
fn staff_of(a: &Appointment, unassigned: &str) -> String {
    a.staff_name.clone().unwrap_or_else(|| unassigned.to_string())
}

fn notice_text(language: crate::domain::Language, code: Option<&str>) -> Option<Result<String, String>> {
    let l = language;
    Some(match code? {
        "cancelled" => Ok(word(l, DayWord::AppointmentCancelled).to_string()),
        "booked" => Ok(word(l, DayWord::AppointmentBooked).to_string()),
        "moved" => Ok(word(l, DayWord::AppointmentMoved).to_string()),
        "taken" => Err(word(l, DayWord::ThatTimeIsNotFree).to_string()),
        "unconfirmed" => Err(word(l, DayWord::TheCalendarDidNotAnswer)
            .to_string()),
        "failed" => Err(word(l, DayWord::TheCalendarCannotBeReached)
            .to_string()),
        "refused" => Err(word(l, DayWord::TheDetailsAreIncompleteOr)
            .to_string()),
        "cancel_failed" => Err(word(l, DayWord::TheCalendarDidNotConfirm)
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
    let zone = actions::zone_of(&state, &op);
    let day = parse_day(q.day.as_deref()).unwrap_or_else(|| state.now().with_timezone(&zone).date_naive());
    let notice = notice_text(op.language, q.notice.as_deref());
    // a free gap clicked: the form is filled in with its time and staff member
    let gap = q.at.as_deref().filter(|at| chrono::NaiveTime::parse_from_str(at, "%H:%M").is_ok()).map(|at| NewForm {
        time: at.to_string(),
        staff: q.staff.clone().unwrap_or_default().chars().take(100).collect(),
        ..NewForm::default()
    });
    day_page(&state, &op, day, notice, gap.as_ref()).await
}

/// `GET /admin/today/print?day=…`: the day on paper — time, staff member, service, customer;
/// no navigation and no forms.
pub async fn print(State(state): State<AppState>, PageOperator(op): PageOperator, Query(q): Query<DayQuery>) -> Response {
    let l = op.language;
    let zone = actions::zone_of(&state, &op);
    let day = parse_day(q.day.as_deref()).unwrap_or_else(|| state.now().with_timezone(&zone).date_naive());
    let rows = match actions::appointments(&state, &op, day, day).await {
        Ok(rows) => rows,
        Err(error) => return error.into_response(),
    };
    let title = format!("{} · {}", spoken_weekday_short(day.weekday(), l), day.format(word(l, DayWord::DateFormat)));
    let body = html! {
        @if rows.is_empty() { p { (word(l, DayWord::NoAppointmentsOnThisDay)) } }
        @else {
            table.print {
                thead { tr { th { (word(l, DayWord::PrintTime)) } th { (word(l, PageWord::Staff)) } th { (word(l, PageWord::Service)) } th { (word(l, DayWord::PrintCustomer)) } } }
                tbody { @for a in &rows {
                    tr { td { (time_range(a, zone)) } td { (staff_of(a, word(l, DayWord::NotAssigned))) } td { (a.service_name) }
                        td { (a.customer_name.as_deref().unwrap_or("–")) } }
                } }
            }
        }
    };
    super::layout::printable(l, &title, body).into_response()
}

/// One day's page with a notice; `typed` refills the new-appointment form after a refusal, so
/// nothing the owner typed is lost.
async fn day_page(
    state: &AppState,
    op: &Operator,
    day: NaiveDate,
    notice: Option<Result<String, String>>,
    typed: Option<&NewForm>,
) -> Response {
    let l = op.language;
    let zone = actions::zone_of(state, op);
    let rows = match actions::appointments(state, op, day, day).await {
        Ok(rows) => rows,
        Err(error) => return error.into_response(),
    };
    let unassigned = word(l, DayWord::NotAssigned);
    let mut columns: BTreeMap<String, Vec<&Appointment>> = BTreeMap::new();
    // every staff member the operator sees gets a column with their day's axis, booked or not
    let people: Vec<(std::sync::Arc<crate::domain::BranchContext>, crate::domain::StaffId)> =
        crate::console::schedules::branches(state, op, None)
            .into_iter()
            .flat_map(|t| {
                let ids: Vec<_> = t.branch.staff.iter().filter(|p| op.staff_name.as_deref().is_none_or(|n| n == p.name)).map(|p| p.id).collect();
                ids.into_iter().map(move |id| (t.clone(), id))
            })
            .collect();
    for (tenant, id) in &people {
        if let Some(person) = tenant.branch.staff_member(*id) {
            columns.entry(person.name.clone()).or_default();
        }
    }
    for a in &rows {
        columns.entry(staff_of(a, unassigned)).or_default().push(a);
    }
    let axis_of = |name: &str, list: &[&Appointment]| {
        people.iter().find_map(|(tenant, id)| {
            let person = tenant.branch.staff_member(*id).filter(|p| p.name == name)?;
            Some(super::staff_day::axis(l, tenant, person, day, list))
        })
    };
    let frame = Frame::load(state, op).await.with_notice(notice);
    let title = format!("{} · {}", word(l, PageWord::Today), day.format(word(l, DayWord::DateFormat)));
    let body = html! {
        div.row {
            a href={ "/admin/today?day=" (day - Duration::days(1)) } { "← " (word(l, DayWord::PreviousDay)) }
            a href="/admin/today" { (word(l, PageWord::Today)) }
            a href={ "/admin/today?day=" (day + Duration::days(1)) } { (word(l, DayWord::NextDay)) " →" }
            a href={ "/admin/today/print?day=" (day) } target="_blank" { (word(l, DayWord::Print)) }
        }
        @if rows.is_empty() {
            p.muted { (word(l, DayWord::NoAppointmentsOnThisDay)) }
        }
        div.grid {
            @for (staff, list) in &columns {
                section.column {
                    h2 { (staff) " " span.muted { "(" (list.len()) ")" } }
                    @if let Some(axis) = axis_of(staff, list) { (axis) }
                    @for a in list { (card(op, a, zone, day, (&able(state, a), &services_of(state, a)))) }
                }
            }
        }
        (new_form(op, state, day, typed))
    };
    page(op, &frame, Nav::Today, &title, body).into_response()
}

/// The form for an appointment made in the console (a walk-in, a call to the landline).
fn new_form(op: &Operator, state: &AppState, day: NaiveDate, typed: Option<&NewForm>) -> Markup {
    let l = op.language;
    let directory = state.directory();
    let branches = op.company.map(|id| directory.of_company(id)).unwrap_or_default();
    let typed_field = |f: fn(&NewForm) -> &str| typed.map(f).unwrap_or_default().to_string();
    let (service, staff, name, phone) =
        (typed_field(|t| &t.service), typed_field(|t| &t.staff), typed_field(|t| &t.name), typed_field(|t| &t.phone));
    // today a walk-in is "now": the time is filled in, rounded down to five minutes
    let now = state.now().with_timezone(&actions::zone_of(state, op));
    let time = match typed {
        Some(t) => t.time.clone(),
        None if now.date_naive() == day => { use chrono::Timelike; format!("{:02}:{:02}", now.hour(), now.minute() / 5 * 5) },
        None => String::new(),
    };
    html! {
        @if !branches.is_empty() {
            section.card id="new" {
                h2 { (word(l, PageWord::NewAppointment)) }
                form method="post" action="/admin/appointments" {
                    (csrf_field(op))
                    // A resubmitted form books once: the key makes the request idempotent.
                    input type="hidden" name="key" value=(crate::console::session::random_token());
                    div.row {
                        label { (word(l, PageWord::Service))
                            select name="service" required {
                                @for b in branches { optgroup label=(b.branch.name) {
                                    @for s in &b.branch.services {
                                        @let value = format!("{}:{}", b.branch.id, s.id.0);
                                        option value=(value) selected[value == service] { (s.name) }
                                    }
                                } }
                            }
                        }
                        @if op.staff_name.is_none() {
                            label { (word(l, PageWord::Staff))
                                select name="staff" {
                                    option value="" { (word(l, DayWord::Any)) }
                                    @for b in branches { @for p in &b.branch.staff { option value=(p.name) selected[p.name == staff] { (p.name) } } }
                                }
                            }
                        }
                        label { (word(l, DayWord::Day)) input type="date" name="date" value=(day) required; }
                        label { (word(l, DayWord::ClockTime)) input type="time" name="time" step="300" value=(time) required; }
                        label { (word(l, PageWord::Name)) input type="text" name="name" maxlength="100" value=(name) required; }
                        label { (word(l, PageWord::Phone)) " " span.muted { "(" (word(l, DayWord::Optional)) ")" }
                            input type="tel" name="phone" maxlength="30" value=(phone) placeholder="0171 1234567"; }
                        button type="submit" { (word(l, DayWord::Book)) }
                    }
                }
            }
        }
    }
}

/// The services an appointment can be changed to: its branch's, as (id, name).
fn services_of(state: &AppState, a: &Appointment) -> Vec<(i64, String)> {
    let directory = state.directory();
    let Some(tenant) = directory.branch(a.branch_id) else { return Vec::new() };
    tenant.branch.services.iter().map(|s| (s.id.0, s.name.clone())).collect()
}

/// Who else can take an appointment: the staff of its branch who perform its service.
fn able(state: &AppState, a: &Appointment) -> Vec<String> {
    let directory = state.directory();
    let Some(tenant) = directory.branch(a.branch_id) else { return Vec::new() };
    let service = crate::domain::ServiceId(a.service_id);
    tenant.branch.staff_for(service).map(|p| p.name.clone()).collect()
}

/// "Termin stornieren von Anna Schmidt, 01.12.2026 10:00 (Herrenhaarschnitt)?"
fn cancel_question(l: crate::domain::Language, a: &Appointment, zone: Tz) -> String {
    let name = a.customer_name.as_deref().unwrap_or("–");
    let at = a.starts_at.with_timezone(&zone).format("%d.%m.%Y %H:%M");
    format!("{} {name}, {at} ({})?", word(l, crate::speech::AppointmentWord::CancelAppointmentOf), a.service_name)
}

fn card(op: &Operator, a: &Appointment, zone: Tz, day: NaiveDate, (able, services): (&[String], &[(i64, String)])) -> Markup {
    let l = op.language;
    html! {
        div class={ "appt " (a.status.as_str()) } data-appointment=(a.id) data-start=(a.starts_at.with_timezone(&zone).format("%H:%M")) {
            strong { (time_range(a, zone)) } " " (a.service_name)
            div { @match (a.customer_id, a.customer_name.as_deref()) {
                (Some(id), Some(name)) => a href={ "/admin/customers/" (id.0) } { (name) },
                (_, name) => (name.unwrap_or("–")),
            } }
            div { (phone(a.phone.as_deref())) }
            div.muted { (a.branch) " · " span.src { (source(l, a.source)) }
                @if a.status != AppointmentStatus::Booked { " · " span.overdue { (super::appointment::status_word(l, a.status)) } }
                " · " a href={ "/admin/appointments/" (a.id) } { (word(l, crate::speech::AppointmentWord::Details)) } }
            details.move {
                summary { (word(l, DayWord::Move)) }
                form method="post" action={ "/admin/appointments/" (a.id) "/move" } {
                    (csrf_field(op))
                    input type="date" name="date" value=(day) required aria-label=(word(l, DayWord::Day));
                    " " input type="time" name="time" step="300" required aria-label=(word(l, DayWord::ClockTime));
                    @if able.len() > 1 {
                        " " select name="staff" aria-label=(word(l, PageWord::Staff)) {
                            option value="" { (word(l, DayWord::SameStaff)) }
                            @for name in able { option value=(name) { (name) } }
                        }
                    }
                    @if services.len() > 1 {
                        " " select name="service" aria-label=(word(l, PageWord::Service)) {
                            @for (id, name) in services { option value=(id) selected[*id == a.service_id] { (name) } }
                        }
                    }
                    " " button type="submit" { (word(l, DayWord::Move)) }
                }
            }
            // the question names whose appointment and when; a data attribute, never script text
            form.inline method="post" action={ "/admin/appointments/" (a.id) "/cancel" }
                data-confirm=(cancel_question(l, a, zone)) {
                (csrf_field(op))
                button.danger type="submit" { (word(l, DayWord::Cancel)) }
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
    let unassigned = word(l, DayWord::NotAssigned);
    let mut grid: BTreeMap<String, BTreeMap<NaiveDate, Vec<&Appointment>>> = BTreeMap::new();
    for a in &rows {
        let day = a.starts_at.with_timezone(&zone).date_naive();
        grid.entry(staff_of(a, unassigned)).or_default().entry(day).or_default().push(a);
    }
    let today = state.now().with_timezone(&zone).date_naive();
    let frame = Frame::load(&state, &op).await;
    let title = format!("{} · {}", word(l, PageWord::Week), monday.format(word(l, DayWord::DateFormat)));
    let body = html! {
        div.row {
            a href={ "/admin/week?start=" (monday - Duration::days(7)) } { "← " (word(l, DayWord::PreviousWeek)) }
            a href="/admin/week" { (word(l, DayWord::ThisWeek)) }
            a href={ "/admin/week?start=" (monday + Duration::days(7)) } { (word(l, DayWord::NextWeek)) " →" }
        }
        div style="overflow-x:auto" {
            table.weekgrid {
                thead { tr {
                    th { (word(l, PageWord::Staff)) }
                    @for d in &days {
                        @if *d == today {
                            th.today aria-current="date" { a href={ "/admin/today?day=" (d) } { (spoken_weekday_short(d.weekday(), l)) " " (d.format("%d.%m.")) }
                                " " span.today-mark { (word(l, PageWord::Today)) } }
                        } @else {
                            th { a href={ "/admin/today?day=" (d) } { (spoken_weekday_short(d.weekday(), l)) " " (d.format("%d.%m.")) } }
                        }
                    }
                } }
                tbody {
                    @if grid.is_empty() { tr { td colspan="8" .muted { (word(l, DayWord::NoAppointmentsThisWeek)) } } }
                    @for (staff, by_day) in &grid {
                        tr {
                            th { (staff) }
                            @for d in &days {
                                td class=(if *d == today { "today" } else { "" }) {
                                    @for a in by_day.get(d).map(Vec::as_slice).unwrap_or_default() {
                                        div class={ "appt " (a.status.as_str()) } {
                                            a href={ "/admin/appointments/" (a.id) } { strong { (a.starts_at.with_timezone(&zone).format("%H:%M")) } } " " (a.service_name)
                                            div.muted { (a.customer_name.as_deref().unwrap_or("–")) }
                                            div.muted { (source(l, a.source)) " · " (a.branch) }
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
    let notice = match state.backends().booker.cancel(&tenant, &appointment, &reason, &crate::store::Actor::Console(op.email.clone())).await {
        Ok(()) => "cancelled",
        Err(error) => {
            tracing::warn!(%error, appointment = id, "console cancellation failed");
            "cancel_failed"
        }
    };
    Redirect::to(&format!("/admin/today?day={day}&notice={notice}")).into_response()
}

/// The new-appointment form.
#[derive(Debug, Default, Deserialize)]
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

/// A booking form read: what to book and for whom.
struct WalkIn {
    tenant: std::sync::Arc<crate::domain::BranchContext>,
    service: crate::domain::Service,
    staff: Option<crate::domain::StaffId>,
    name: String,
    start: chrono::DateTime<chrono::Utc>,
    phone: Option<crate::domain::PhoneNumber>,
}

/// Why a booking form cannot be booked.
enum Unread {
    /// The branch is not the operator's company's.
    NotFound,
    /// What was wrong, in the owner's words.
    Refused(String),
}

/// Reads the booking form: the branch and service, the staff member (a staff login books for
/// themselves), the name, the start and the number as people write it; none for a walk-in is fine.
fn read_walk_in(state: &AppState, op: &Operator, form: &NewForm) -> Result<WalkIn, Unread> {
    let l = op.language;
    let incomplete = || Unread::Refused(word(l, DayWord::TheDetailsAreIncompleteOr).to_string());
    let (branch_id, service_id) = form
        .service
        .split_once(':')
        .and_then(|(b, s)| Some((crate::domain::BranchId(b.parse::<i64>().ok()?), s.parse::<i64>().ok()?)))
        .ok_or_else(incomplete)?;
    let tenant =
        state.directory().branch(branch_id).filter(|b| op.company == Some(b.company.id)).cloned().ok_or(Unread::NotFound)?;
    let service = tenant.branch.service(crate::domain::ServiceId(service_id)).cloned().ok_or_else(incomplete)?;
    let wanted = op.staff_name.clone().unwrap_or_else(|| form.staff.trim().to_string());
    let staff = match wanted.is_empty() {
        true => None,
        false => Some(
            tenant.branch.staff.iter().find(|p| p.name == wanted && p.services.contains(&service.id)).ok_or_else(incomplete)?.id,
        ),
    };
    let name = form.name.trim().chars().take(100).collect::<String>();
    if name.is_empty() {
        return Err(Unread::Refused(word(l, DayWord::NameMissing).to_string()));
    }
    let start = instant(&form.date, &form.time, tenant.company.timezone)
        .ok_or_else(|| Unread::Refused(word(l, DayWord::DayOrTimeNotUnderstood).to_string()))?;
    // a walk-in already in the chair is recorded; an appointment that is over is not
    if start + service.duration() <= state.now() {
        return Err(Unread::Refused(word(l, DayWord::TimeIsOver).to_string()));
    }
    let phone = match form.phone.trim().is_empty() {
        true => None,
        false => Some(super::typed_phone(l, &tenant.branch, &form.phone).map_err(Unread::Refused)?),
    };
    Ok(WalkIn { tenant, service, staff, name, start, phone })
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
    let l = op.language;
    let back =
        |day: &str, notice: &str| Redirect::to(&format!("/admin/today?day={day}&notice={notice}")).into_response();
    let zone = actions::zone_of(&state, &op);
    let date = NaiveDate::parse_from_str(form.date.trim(), "%Y-%m-%d").ok();
    let shown = date.unwrap_or_else(|| state.now().with_timezone(&zone).date_naive());
    // refused: the same day again, the form as typed and the reason in the owner's words
    let refuse = |reason: String| {
        let (state, op, form) = (state.clone(), op.clone(), &form);
        async move { super::refused_form(day_page(&state, &op, shown, Some(Err(reason)), Some(form)).await) }
    };
    let walk_in = match read_walk_in(&state, &op, &form) {
        Ok(walk_in) => walk_in,
        Err(Unread::NotFound) => return not_found(l),
        Err(Unread::Refused(reason)) => return refuse(reason).await,
    };
    let WalkIn { tenant, service, staff, name, start, phone } = walk_in;
    let branch_id = tenant.branch.id;
    if !(16..=64).contains(&form.key.len()) {
        return back(&shown.to_string(), "refused");
    }
    let customer = match &phone {
        Some(phone) => match state.backends().store.upsert_customer(tenant.company.id, phone, Some(&name), None).await {
            Ok(customer) => Some(customer),
            Err(error) => return crate::console::error::ConsoleError::from(error).into_response(),
        },
        None => None,
    };
    let day = shown.to_string();
    let request = BookingRequest {
        tenant: tenant.clone(),
        call_id: format!("console:{}", form.key),
        call_row_id: None,
        service: service.id,
        more: Vec::new(),
        staff,
        start,
        customer_id: customer.map(|c| c.id),
        name,
        phone: phone.map(|p| p.as_str().to_string()),
        email: None,
        notes: None,
        by: crate::store::Actor::Console(op.email.clone()),
    };
    let notice = match state.backends().booker.book(&request).await {
        Ok(BookingOutcome::Booked { .. }) => "booked",
        Ok(BookingOutcome::Taken) => return refuse(word(l, DayWord::ThatTimeIsNotFree).to_string()).await,
        Ok(BookingOutcome::Unconfirmed(_)) => "unconfirmed",
        Ok(BookingOutcome::Failed(_)) => "failed",
        Ok(BookingOutcome::Refused(_)) => "refused",
        Err(error) => return crate::console::error::ConsoleError::from(error).into_response(),
    };
    tracing::info!(branch = branch_id.0, notice, by = %op.email, "console booking");
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
    /// Another staff member to take it (empty: keep theirs when free).
    #[serde(default)]
    staff: String,
    /// Another service of the branch (empty: the same).
    #[serde(default)]
    service: String,
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
    // another service: one of this branch's
    let service = match form.service.trim() {
        "" => None,
        id => match id.parse::<i64>().ok().map(crate::domain::ServiceId).filter(|s| tenant.branch.service(*s).is_some()) {
            Some(service) => Some(service),
            None => return not_found(op.language),
        },
    };
    // reassigning: only to someone of this branch who performs the (new) service
    let performs = service.unwrap_or(crate::domain::ServiceId(appointment.service_id));
    let staff = match form.staff.trim() {
        "" => None,
        name => match tenant.branch.staff_for(performs).find(|p| p.name == name) {
            Some(person) => Some(person.id),
            None => return not_found(op.language),
        },
    };
    let to = crate::booking::MoveTo { start, staff, service };
    let notice = match state.backends().booker.reschedule(&tenant, &appointment, &to, &crate::store::Actor::Console(op.email.clone())).await {
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
