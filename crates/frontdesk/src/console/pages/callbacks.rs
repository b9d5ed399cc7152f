//! *Rückrufe*: open callback requests (urgent and newest first, overdue marked), marked done
//! with a note; the last done ones below.

use super::layout::{csrf_field, page, phone, Frame, Nav};
use super::{forbidden, not_found, PageOperator};
use crate::console::actions;
use crate::console::error::ConsoleError;
use crate::app::AppState;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use maud::html;
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
    // Every open one; of the done ones only the latest.
    let rows = match tokio::try_join!(
        actions::callbacks(&state, &op, Some("open"), OPEN_SHOWN),
        actions::callbacks(&state, &op, Some("done"), DONE_SHOWN)
    ) {
        Ok((mut open, done)) => {
            open.extend(done);
            open
        }
        Err(error) => return error.into_response(),
    };
    let now = state.now();
    let zone = actions::zone_of(&state, &op);
    // Notifications that gave up: somebody must look, fix the address, and send them again.
    let failed = match actions::failed_notices(&state, &op, FAILED_SHOWN).await {
        Ok(failed) => failed,
        // Staff see the callbacks, not the company's notifications.
        Err(ConsoleError::Forbidden(_)) => Vec::new(),
        Err(error) => return error.into_response(),
    };
    let (open, done): (Vec<_>, Vec<_>) = rows.iter().partition(|c| c.status == "open");
    let notice = match q.notice.as_deref() {
        Some("done") => Some(Ok(l.pick("Als erledigt markiert.", "Marked done.").to_string())),
        Some("resent") => Some(Ok(l.pick("Benachrichtigungen werden erneut gesendet.", "Notifications are being sent again.").to_string())),
        _ => None,
    };
    let frame = Frame::load(&state, &op).await.with_notice(notice);
    let body = html! {
        @if !failed.is_empty() {
            section.failed-notices role="alert" {
                h2 { (l.pick("Nicht zugestellte Benachrichtigungen", "Notifications not delivered")) }
                p { (l.pick("Nach einem Tag voller Versuche aufgegeben. Adresse bzw. Webhook prüfen, dann erneut senden.",
                            "Given up after a day of attempts. Check the address or webhook, then send them again.")) }
                table {
                    thead { tr {
                        th { (l.pick("Seit", "Since")) } th { (l.pick("Ereignis", "Event")) } th { (l.pick("An", "To")) } th { (l.pick("Fehler", "Error")) }
                    } }
                    tbody {
                        @for n in &failed {
                            tr data-notice=(n.id) {
                                td { (n.created_at.with_timezone(&zone).format("%d.%m. %H:%M")) }
                                td { (crate::notify::message::event_title(l, n.event)) }
                                td { (recipient(&n.channel, &n.recipient)) }
                                td { (n.last_error.chars().take(ERROR_CHARS).collect::<String>()) " (" (n.attempts) "×)" }
                            }
                        }
                    }
                }
                form method="post" action="/admin/notifications/retry" {
                    (csrf_field(&op))
                    button type="submit" { (l.pick("Erneut senden", "Send again")) }
                }
            }
        }
        @if frame.open_callbacks > open.len() as i64 {
            p.muted { (open.len()) (l.pick(" von ", " of ")) (frame.open_callbacks) (l.pick(" offenen gezeigt: die dringendsten und neuesten.", " open shown: the most urgent and newest.")) }
        }
        @if open.is_empty() { p.muted { (l.pick("Keine offenen Rückrufe.", "No open callbacks.")) } }
        @else {
            table {
                thead { tr {
                    th { (l.pick("Seit", "Since")) } th { (l.pick("Name", "Name")) } th { (l.pick("Telefon", "Phone")) }
                    th { (l.pick("Anliegen", "Reason")) } th { (l.pick("Wunschzeit", "Preferred time")) } th { (l.pick("Filiale", "Branch")) } th {}
                } }
                tbody {
                    @for c in &open {
                        tr data-callback=(c.id) {
                            td {
                                (c.created_at.with_timezone(&zone).format("%d.%m. %H:%M"))
                                @if c.priority == "high" { " " span.high { "!" (l.pick(" dringend", " urgent")) } }
                                @if now - c.created_at > crate::store::overdue_after(&c.priority) { br; span.overdue { (l.pick("überfällig", "overdue")) } }
                            }
                            td { (c.name.as_deref().unwrap_or("–")) }
                            td { (phone(Some(&c.phone))) }
                            td { (c.reason.as_deref().unwrap_or("")) }
                            td { (c.preferred_time.as_deref().unwrap_or("")) }
                            td { (c.branch.as_deref().unwrap_or("")) }
                            td {
                                form method="post" action={ "/admin/callbacks/" (c.id) "/done" } {
                                    (csrf_field(&op))
                                    input type="text" name="note" maxlength="500" placeholder=(l.pick("Notiz", "Note")) aria-label=(l.pick("Notiz", "Note"));
                                    " "
                                    button type="submit" { (l.pick("Erledigt", "Done")) }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if !done.is_empty() {
            h2 { (l.pick("Erledigt", "Done")) }
            table { tbody {
                @for c in &done {
                    tr { td { (c.done_at.map(|t| t.with_timezone(&zone).format("%d.%m. %H:%M").to_string()).unwrap_or_default()) }
                         td { (c.name.as_deref().unwrap_or("–")) } td { (c.done_note.as_deref().unwrap_or("")) } }
                }
            } }
        }
    };
    page(&op, &frame, Nav::Callbacks, l.pick("Rückrufe", "Callbacks"), body).into_response()
}

/// Where a notice was going, without personal data: a webhook's host, an e-mail masked.
fn recipient(channel: &str, recipient: &str) -> String {
    match channel {
        "webhook" => reqwest::Url::parse(recipient)
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
