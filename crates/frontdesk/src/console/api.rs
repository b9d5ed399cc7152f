//! `/admin/api/…`: the console's JSON API (DESIGN §11), with the session cookie (and its CSRF
//! header on writes) or `Authorization: Bearer <FRONTDESK_ADMIN_TOKEN>`.

use super::actions;
use super::error::ConsoleError;
use super::session::Operator;
use crate::app::AppState;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::Json;
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{json, Value};

/// The header a session's API writes carry their CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Refuses a session's write without its CSRF header (the bearer token carries none and needs none).
pub(super) fn csrf(operator: &Operator, headers: &HeaderMap) -> Result<(), ConsoleError> {
    let given = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
    if operator.csrf_matches(given) {
        Ok(())
    } else {
        Err(ConsoleError::Csrf)
    }
}

/// `?status=open|done`.
#[derive(Debug, Deserialize)]
pub struct CallbackQuery {
    status: Option<String>,
}

/// `GET /admin/api/callbacks?status=open`.
pub async fn callbacks(
    State(state): State<AppState>,
    operator: Operator,
    Query(query): Query<CallbackQuery>,
) -> Result<Json<Value>, ConsoleError> {
    let rows = actions::callbacks(&state, &operator, query.status.as_deref(), crate::store::LIST_LIMIT).await?;
    let truncated = rows.len() as i64 >= crate::store::LIST_LIMIT;
    let callbacks: Vec<Value> = rows
        .into_iter()
        .map(|c| {
            json!({
                "id": c.id, "company": c.company, "branch": c.branch, "name": c.name, "phone": c.phone,
                "reason": c.reason, "preferred_time": c.preferred_time, "priority": c.priority,
                "status": c.status, "created_at": c.created_at, "done_at": c.done_at, "note": c.done_note,
            })
        })
        .collect();
    // A list cut at the limit says so: the client narrows its question instead of missing rows.
    Ok(Json(json!({ "callbacks": callbacks, "truncated": truncated })))
}

/// An optional note when marking a callback done.
#[derive(Debug, Default, Deserialize)]
pub struct DoneBody {
    note: Option<String>,
}

/// `POST /admin/api/callbacks/{id}/done` (body optional: `{"note": "…"}`).
pub async fn callback_done(
    State(state): State<AppState>,
    operator: Operator,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ConsoleError> {
    csrf(&operator, &headers)?;
    // Not a number is not a callback of anybody's.
    let id: i64 = id.parse().map_err(|_| ConsoleError::NotFound)?;
    let body: DoneBody = if body.iter().all(u8::is_ascii_whitespace) {
        DoneBody::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| ConsoleError::BadRequest(format!("body: {e}")))?
    };
    actions::callback_done(&state, &operator, id, body.note.as_deref()).await?;
    Ok(Json(json!({"success": true, "id": id, "status": "done"})))
}

/// `?from=YYYY-MM-DD&to=YYYY-MM-DD` (both days included).
#[derive(Debug, Deserialize)]
pub struct RangeQuery {
    from: Option<String>,
    to: Option<String>,
}

fn day(text: Option<&str>, name: &str, default: NaiveDate) -> Result<NaiveDate, ConsoleError> {
    match text {
        None => Ok(default),
        Some(text) => NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .map_err(|_| ConsoleError::BadRequest(format!("`{name}` is a date like 2026-12-01"))),
    }
}

/// `GET /admin/api/appointments?from=…&to=…`: days read in the company's time zone.
pub async fn appointments(
    State(state): State<AppState>,
    operator: Operator,
    Query(query): Query<RangeQuery>,
) -> Result<Json<Value>, ConsoleError> {
    let today = state.now().with_timezone(&actions::zone_of(&state, &operator)).date_naive();
    let from = day(query.from.as_deref(), "from", today)?;
    let to = day(query.to.as_deref(), "to", from)?;
    let rows = actions::appointments(&state, &operator, from, to).await?;
    let truncated = rows.len() as i64 >= crate::store::LIST_LIMIT;
    let appointments: Vec<Value> = rows
        .into_iter()
        .map(|a| {
            json!({
                "id": a.id, "company": a.company, "branch": a.branch, "service": a.service_name, "staff": a.staff_name,
                "start": a.starts_at, "end": a.ends_at, "customer_name": a.customer_name,
                "status": a.status.as_str(), "source": a.source.as_str(),
            })
        })
        .collect();
    Ok(Json(json!({ "appointments": appointments, "truncated": truncated })))
}

/// `POST /admin/api/tenants/reload`: re-imports `FRONTDESK_TENANTS` on every instance (admins).
pub async fn reload_tenants(
    State(state): State<AppState>,
    operator: Operator,
    headers: HeaderMap,
) -> Result<Json<Value>, ConsoleError> {
    csrf(&operator, &headers)?;
    let (companies, kept) = actions::reload_tenants(&state, &operator).await?;
    // Companies managed through the API keep their state: the file seeds, it does not overwrite.
    Ok(Json(json!({"success": true, "companies": companies, "managed_by_api_kept": kept})))
}

/// Any other `/admin/api/…` path.
pub async fn not_found() -> ConsoleError {
    ConsoleError::NotFound
}

/// `GET /admin/api/notifications/failed`: the newest notices that gave up (owners and admins).
pub async fn failed_notifications(
    State(state): State<AppState>,
    operator: Operator,
) -> Result<Json<Value>, ConsoleError> {
    let rows = actions::failed_notices(&state, &operator, crate::store::LIST_LIMIT).await?;
    let truncated = rows.len() as i64 >= crate::store::LIST_LIMIT;
    let notifications: Vec<Value> = rows
        .into_iter()
        .map(|n| {
            json!({
                "id": n.id, "event": n.event, "channel": n.channel, "recipient": n.recipient,
                "attempts": n.attempts, "error": n.last_error, "created_at": n.created_at,
            })
        })
        .collect();
    Ok(Json(json!({ "notifications": notifications, "truncated": truncated })))
}

/// `POST /admin/api/notifications/retry`: the company's failed notices back in line.
pub async fn retry_notifications(
    State(state): State<AppState>,
    operator: Operator,
    headers: HeaderMap,
) -> Result<Json<Value>, ConsoleError> {
    csrf(&operator, &headers)?;
    let requeued = actions::retry_notices(&state, &operator).await?;
    Ok(Json(json!({"success": true, "requeued": requeued})))
}
