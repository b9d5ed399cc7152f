//! *Rückrufe*: open callback requests (urgent and newest first, overdue marked), marked done
//! with a note; the last done ones below.

use crate::speech::{word, CallbacksWord, PageWord};
use super::layout::{csrf_field, page, phone, Frame, Nav};
use super::{forbidden, not_found, PageOperator};
use crate::console::actions;
use crate::console::error::ConsoleError;
use crate::app::AppState;
use crate::console::session::Operator;
use crate::domain::Language;
use crate::store::{CallbackStatus, ConsoleCallback, FailedNotice, NoticeChannel, Priority};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use maud::{html, Markup};
use serde::Deserialize;

/// How many open callbacks one page lists (the most urgent and newest; the badge counts all).
const OPEN_SHOWN: i64 = 100;
/// How many done callbacks the page lists below the open ones.
const DONE_SHOWN: i64 = 50;
/// How many failed notifications the page lists (the newest).
const FAILED_SHOWN: i64 = 20;
/// How much of a delivery error the page shows.
const ERROR_CHARS: usize = 160;

/// `?notice=done`.
#[derive(Debug, Default, Deserialize)]
pub struct Notice {
    notice: Option<String>,
}

/// `GET /admin/callbacks`.
pub async fn list(State(state): State<AppState>, PageOperator(op): PageOperator, Query(q): Query<Notice>) -> Response {
    let l = op.language;
    let notice = match q.notice.as_deref() {
        Some("done") => Some(Ok(word(l, CallbacksWord::MarkedDone).to_string())),
        Some("resent") => Some(Ok(word(l, CallbacksWord::NotificationsAreBeingSentAgain).to_string())),
        Some("created") => Some(Ok(word(l, CallbacksWord::CallbackSaved).to_string())),
        _ => None,
    };
    callbacks_page(&state, &op, notice, None).await
}

/// The callbacks page with a notice; `typed` refills the new-callback form after a refusal.
async fn callbacks_page(
    state: &AppState,
    op: &Operator,
    notice: Option<Result<String, String>>,
    typed: Option<&NewCallbackForm>,
) -> Response {
    let l = op.language;
    // Every open one; of the done ones only the latest.
    let rows = match tokio::try_join!(
        actions::callbacks(state, op, Some("open"), OPEN_SHOWN),
        actions::callbacks(state, op, Some("done"), DONE_SHOWN)
    ) {
        Ok((mut open, done)) => {
            open.extend(done);
            open
        }
        Err(error) => return error.into_response(),
    };
    let now = state.now();
    let zone = actions::zone_of(state, op);
    // Notifications that gave up: somebody must look, fix the address, and send them again.
    let failed = match actions::failed_notices(state, op, FAILED_SHOWN).await {
        Ok(failed) => failed,
        // Staff see the callbacks, not the company's notifications.
        Err(ConsoleError::Forbidden(_)) => Vec::new(),
        Err(error) => return error.into_response(),
    };
    let (open, done): (Vec<_>, Vec<_>) = rows.iter().partition(|c| c.status == CallbackStatus::Open);
    // done ones of the last 30 days, with their note
    let month_ago = now - chrono::Duration::days(30);
    let done: Vec<_> = done.into_iter().filter(|c| c.done_at.is_some_and(|t| t >= month_ago)).collect();
    let frame = Frame::load(state, op).await.with_notice(notice);
    let body = html! {
        (failed_notices(op, zone, &failed))
        @if frame.open_callbacks > open.len() as i64 {
            p.muted { (open.len()) (word(l, CallbacksWord::OfSpaced)) (frame.open_callbacks) (word(l, CallbacksWord::OpenShownTheMostUrgent)) }
        }
        (open_callbacks(op, zone, now, &open))
        (new_callback_form(op, state, typed))
        (done_callbacks(l, zone, &done))
    };
    page(op, &frame, Nav::Callbacks, word(l, PageWord::Callbacks), body).into_response()
}

/// Notifications that gave up: somebody must look, fix the address, and send them again.
fn failed_notices(op: &Operator, zone: Tz, failed: &[FailedNotice]) -> Markup {
    let l = op.language;
    html! {
        @if !failed.is_empty() {
            section.failed-notices role="alert" {
                h2 { (word(l, CallbacksWord::NotificationsNotDelivered)) }
                p { (word(l, CallbacksWord::GivenUpAfterADay)) }
                table {
                    thead { tr {
                        th { (word(l, CallbacksWord::Since)) } th { (word(l, CallbacksWord::Event)) } th { (word(l, CallbacksWord::To)) } th { (word(l, CallbacksWord::Error)) }
                    } }
                    tbody {
                        @for n in failed {
                            tr data-notice=(n.id) {
                                td { (n.created_at.with_timezone(&zone).format("%d.%m. %H:%M")) }
                                td { (crate::notify::message::event_title(l, n.event)) }
                                td { (recipient(n.channel, &n.recipient)) }
                                td { (n.last_error.chars().take(ERROR_CHARS).collect::<String>()) " (" (n.attempts) "×)" }
                            }
                        }
                    }
                }
                form method="post" action="/admin/notifications/retry" {
                    (csrf_field(op))
                    button type="submit" { (word(l, CallbacksWord::SendAgain)) }
                }
            }
        }
    }
}

/// The open callback requests, urgent and overdue ones marked, each with its done form.
fn open_callbacks(op: &Operator, zone: Tz, now: DateTime<Utc>, open: &[&ConsoleCallback]) -> Markup {
    let l = op.language;
    html! {
        @if open.is_empty() { p.muted { (word(l, CallbacksWord::NoOpenCallbacks)) } }
        @else {
            table {
                thead { tr {
                    th { (word(l, CallbacksWord::Since)) } th { (word(l, PageWord::Name)) } th { (word(l, PageWord::Phone)) }
                    th { (word(l, PageWord::Reason)) } th { (word(l, PageWord::PreferredTime)) } th { (word(l, PageWord::Branch)) } th {}
                } }
                tbody {
                    @for c in open {
                        tr data-callback=(c.id) {
                            td {
                                (c.created_at.with_timezone(&zone).format("%d.%m. %H:%M"))
                                @if c.priority == Priority::High { " " span.high { "!" (word(l, CallbacksWord::UrgentSuffix)) } }
                                @if now - c.created_at > c.priority.overdue_after() { br; span.overdue { (word(l, CallbacksWord::Overdue)) } }
                            }
                            td { (c.name.as_deref().unwrap_or("–")) }
                            td { (phone(Some(&c.phone))) }
                            td { (c.reason.as_deref().unwrap_or("")) }
                            td { (c.preferred_time.as_deref().unwrap_or("")) }
                            td { (c.branch.as_deref().unwrap_or("")) }
                            td {
                                form method="post" action={ "/admin/callbacks/" (c.id) "/done" } {
                                    (csrf_field(op))
                                    input type="text" name="note" maxlength="500" placeholder=(word(l, CallbacksWord::Note)) aria-label=(word(l, CallbacksWord::Note));
                                    " "
                                    button type="submit" { (word(l, CallbacksWord::Done)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The callbacks done in the last 30 days, with the note staff left and the number to call again.
fn done_callbacks(l: Language, zone: Tz, done: &[&ConsoleCallback]) -> Markup {
    html! {
        @if !done.is_empty() {
            h2 { (word(l, CallbacksWord::DoneLast30Days)) }
            table { tbody {
                @for c in done {
                    tr { td { (c.done_at.map(|t| t.with_timezone(&zone).format("%d.%m. %H:%M").to_string()).unwrap_or_default()) }
                         td { (c.name.as_deref().unwrap_or("–")) } td { (phone(Some(&c.phone))) }
                         td { (c.done_note.as_deref().unwrap_or("")) } }
                }
            } }
        }
    }
}

/// A callback entered by hand (a message taken at the counter, a voicemail).
#[derive(Debug, Default, Deserialize)]
pub struct NewCallbackForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    branch: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    preferred_time: String,
    #[serde(default)]
    urgent: Option<String>,
}

fn new_callback_form(op: &Operator, state: &AppState, typed: Option<&NewCallbackForm>) -> Markup {
    let l = op.language;
    let directory = state.directory();
    let branches = op.company.map(|id| directory.of_company(id)).unwrap_or_default();
    let t = |f: fn(&NewCallbackForm) -> &str| typed.map(f).unwrap_or_default().to_string();
    html! {
        @if !branches.is_empty() {
            section.card {
                h2 { (word(l, CallbacksWord::NewCallback)) }
                form method="post" action="/admin/callbacks" {
                    (csrf_field(op))
                    div.row {
                        label { (word(l, PageWord::Branch))
                            select name="branch" { @for b in branches {
                                @let id = b.branch.id.0.to_string();
                                option value=(id) selected[t(|f| &f.branch) == id] { (b.branch.name) } } } }
                        label { (word(l, PageWord::Name)) input type="text" name="name" maxlength="100" value=(t(|f| &f.name)); }
                        label { (word(l, PageWord::Phone)) input type="tel" name="phone" maxlength="30" required value=(t(|f| &f.phone)) placeholder="0171 1234567"; }
                        label { (word(l, PageWord::Reason)) input type="text" name="reason" maxlength="200" value=(t(|f| &f.reason)); }
                        label { (word(l, PageWord::PreferredTime)) input type="text" name="preferred_time" maxlength="100" value=(t(|f| &f.preferred_time)); }
                        label { input type="checkbox" name="urgent" value="1" checked[typed.is_some_and(|f| f.urgent.is_some())]; " " (word(l, CallbacksWord::Urgent)) }
                        button type="submit" { (word(l, CallbacksWord::SaveCallback)) }
                    }
                }
            }
        }
    }
}

/// `POST /admin/callbacks`: a callback entered by hand, for the operator's company.
pub async fn create(State(state): State<AppState>, PageOperator(op): PageOperator, Form(form): Form<NewCallbackForm>) -> Response {
    let l = op.language;
    if !op.csrf_matches(Some(&form.csrf)) {
        return forbidden(l);
    }
    let branch = form.branch.trim().parse::<i64>().ok().map(crate::domain::BranchId);
    let Some(tenant) = branch.and_then(|b| state.directory().branch(b).cloned()).filter(|t| op.company == Some(t.company.id)) else {
        return not_found(l);
    };
    let phone = match super::typed_phone(l, &tenant.branch, &form.phone) {
        Ok(phone) => phone,
        Err(reason) => return super::refused_form(callbacks_page(&state, &op, Some(Err(reason)), Some(&form)).await),
    };
    // what people type is bounded before it is stored or shown
    let text = |t: &str, n: usize| Some(t.trim().chars().take(n).collect::<String>()).filter(|t| !t.is_empty());
    let callback = crate::store::NewCallback {
        company_id: tenant.company.id,
        branch_id: tenant.branch.id,
        call_id: None,
        customer_name: text(&form.name, 100),
        phone: phone.as_str().to_string(),
        preferred_time: text(&form.preferred_time, 100),
        reason: text(&form.reason, 200),
        priority: if form.urgent.is_some() { Priority::High } else { Priority::Normal },
        created_at: state.now(),
    };
    match state.backends().store.insert_callback(&callback).await {
        Ok(id) => {
            tracing::info!(callback = id, by = %op.email, "callback entered in the console");
            Redirect::to("/admin/callbacks?notice=created").into_response()
        }
        Err(error) => ConsoleError::from(error).into_response(),
    }
}

/// Where a notice was going, without personal data: a webhook's host, an e-mail masked.
fn recipient(channel: NoticeChannel, recipient: &str) -> String {
    match channel {
        NoticeChannel::Webhook => reqwest::Url::parse(recipient)
            .ok()
            .and_then(|url| url.host_str().map(|host| format!("Webhook {host}")))
            .unwrap_or_else(|| "Webhook".into()),
        _ => crate::domain::OperatorEmail::parse(recipient).map(|e| e.masked()).unwrap_or_else(|_| "E-Mail".into()),
    }
}

/// `POST /admin/notifications/retry`: the company's failed notices back in line.
pub async fn retry_notices(State(state): State<AppState>, PageOperator(op): PageOperator, Form(form): Form<super::CsrfForm>) -> Response {
    if !op.csrf_matches(Some(&form.csrf)) {
        return forbidden(op.language);
    }
    match actions::retry_notices(&state, &op).await {
        Ok(_) => Redirect::to("/admin/callbacks?notice=resent").into_response(),
        Err(ConsoleError::Forbidden(_)) => forbidden(op.language),
        Err(error) => error.into_response(),
    }
}

/// The mark-done form.
#[derive(Debug, Deserialize)]
pub struct DoneForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    note: String,
}

/// `POST /admin/callbacks/{id}/done`.
pub async fn done(
    State(state): State<AppState>,
    PageOperator(op): PageOperator,
    Path(id): Path<String>,
    Form(form): Form<DoneForm>,
) -> Response {
    if !op.csrf_matches(Some(&form.csrf)) {
        return forbidden(op.language);
    }
    let Ok(id) = id.parse::<i64>() else { return not_found(op.language) };
    match actions::callback_done(&state, &op, id, Some(&form.note)).await {
        Ok(()) => Redirect::to("/admin/callbacks?notice=done").into_response(),
        Err(ConsoleError::NotFound) => not_found(op.language),
        Err(error) => error.into_response(),
    }
}
