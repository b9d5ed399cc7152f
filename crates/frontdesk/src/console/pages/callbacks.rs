//! *Rückrufe*: open callback requests (urgent and newest first, overdue marked), marked done
//! with a note; the last done ones below.

use super::layout::{csrf_field, page, phone, Frame, Nav};
use super::{forbidden, not_found, PageOperator};
use crate::console::actions;
use crate::console::error::ConsoleError;
use crate::http::AppState;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use maud::html;
use serde::Deserialize;

/// How many open callbacks one page lists (the most urgent and newest; the badge counts all).
const OPEN_SHOWN: i64 = 100;
/// How many done callbacks the page lists below the open ones.
const DONE_SHOWN: i64 = 50;

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
    // Notifications that gave up: somebody must look (the callback itself is listed here anyway).
    let failed = state
        .backends()
        .store
        .outbox_counts_of(op.company)
        .await
        .map(|counts| counts.iter().find(|(status, _)| status == "failed").map_or(0, |(_, n)| *n))
        .unwrap_or(0);
    let (open, done): (Vec<_>, Vec<_>) = rows.iter().partition(|c| c.status == "open");
    let notice = (q.notice.as_deref() == Some("done")).then(|| Ok(l.pick("Als erledigt markiert.", "Marked done.").to_string()));
    let frame = Frame::load(&state, &op).await.with_notice(notice);
    let body = html! {
        @if failed > 0 {
            div.notice.error role="alert" { (failed) (l.pick(" Benachrichtigungen konnten nicht zugestellt werden (E-Mail/Webhook prüfen).", " notifications could not be delivered (check e-mail/webhook settings).")) }
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
