//! `/admin/api/…`: the console's JSON API (DESIGN §11), with the session cookie (and its CSRF
//! header on writes) or `Authorization: Bearer <FRONTDESK_ADMIN_TOKEN>`.

use super::actions;
use super::error::{ConsoleError, Failure};
use super::session::Operator;
use crate::app::AppState;
use crate::store::{Appointment, ConsoleCallback, FailedNotice};
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::Json;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

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
#[derive(Debug, Deserialize, IntoParams)]
pub struct CallbackQuery {
    /// `open` or `done` (default: both).
    status: Option<String>,
}

/// `GET /admin/api/callbacks`.
#[derive(Debug, Serialize, ToSchema)]
pub struct CallbackList {
    /// Newest first.
    pub callbacks: Vec<ConsoleCallback>,
    /// The list was cut at its limit: narrow the question.
    pub truncated: bool,
}

/// List the callbacks callers asked for (owners: their company's; admins: the chosen company's).
#[utoipa::path(get, path = "/admin/api/callbacks", tag = "day", params(CallbackQuery),
    responses((status = 200, body = CallbackList), (status = 400, body = Failure), (status = 401, body = Failure), (status = 503, body = Failure)))]
pub async fn callbacks(
    State(state): State<AppState>,
    operator: Operator,
    Query(query): Query<CallbackQuery>,
) -> Result<Json<CallbackList>, ConsoleError> {
    let rows = actions::callbacks(&state, &operator, query.status.as_deref(), crate::store::LIST_LIMIT).await?;
    // A list cut at the limit says so: the client narrows its question instead of missing rows.
    let truncated = rows.len() as i64 >= crate::store::LIST_LIMIT;
    Ok(Json(CallbackList { callbacks: rows, truncated }))
}

/// An optional note when marking a callback done.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct DoneBody {
    /// What was agreed with the caller.
    note: Option<String>,
}

/// A callback, appointment or notice whose status changed.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatusChanged {
    /// Always `true`.
    pub success: bool,
    /// Its id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// Its status now.
    pub status: &'static str,
}

/// Mark a callback done (body optional: `{"note": "…"}`).
#[utoipa::path(post, path = "/admin/api/callbacks/{id}/done", tag = "day", params(("id" = i64, Path, description = "callback id")),
    request_body(content = Option<DoneBody>, description = "an optional note"),
    responses((status = 200, body = StatusChanged), (status = 400, body = Failure), (status = 401, body = Failure), (status = 403, body = Failure),
        (status = 404, body = Failure), (status = 503, body = Failure)))]
pub async fn callback_done(
    State(state): State<AppState>,
    operator: Operator,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Json<StatusChanged>, ConsoleError> {
    csrf(&operator, &headers)?;
    // Not a number is not a callback of anybody's.
    let id: i64 = id.parse().map_err(|_| ConsoleError::NotFound)?;
    let body: DoneBody = if body.iter().all(u8::is_ascii_whitespace) {
        DoneBody::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| ConsoleError::BadRequest(format!("body: {e}")))?
    };
    actions::callback_done(&state, &operator, id, body.note.as_deref()).await?;
    Ok(Json(StatusChanged { success: true, id: Some(id), status: "done" }))
}

/// `?from=YYYY-MM-DD&to=YYYY-MM-DD` (both days included).
#[derive(Debug, Deserialize, IntoParams)]
pub struct RangeQuery {
    /// First day (default: today in the company's zone).
    from: Option<String>,
    /// Last day (default: `from`).
    to: Option<String>,
}

fn day(text: Option<&str>, name: &str, default: NaiveDate) -> Result<NaiveDate, ConsoleError> {
    match text {
        None => Ok(default),
        Some(text) => NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .map_err(|_| ConsoleError::BadRequest(format!("`{name}` is a date like 2026-12-01"))),
    }
}

/// An appointment as listed.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppointmentView {
    /// Id.
    pub id: i64,
    /// Company name.
    pub company: String,
    /// Branch name.
    pub branch: String,
    /// Service name.
    pub service: String,
    /// Staff member, if one is assigned.
    pub staff: Option<String>,
    /// Start (UTC).
    pub start: DateTime<Utc>,
    /// End (UTC).
    pub end: DateTime<Utc>,
    /// Customer's name.
    pub customer_name: Option<String>,
    /// `booked`, `cancelled`, `no_show`, …
    pub status: &'static str,
    /// Who made it: `phone`, `console`, …
    pub source: &'static str,
}

impl AppointmentView {
    /// The view of an appointment row.
    pub fn of(a: &Appointment) -> Self {
        Self {
            id: a.id.0,
            company: a.company.clone(),
            branch: a.branch.clone(),
            service: a.service_name.clone(),
            staff: a.staff_name.clone(),
            start: a.starts_at,
            end: a.ends_at,
            customer_name: a.customer_name.clone(),
            status: a.status.as_str(),
            source: a.source.as_str(),
        }
    }
}

/// `GET /admin/api/appointments`.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppointmentList {
    /// By start.
    pub appointments: Vec<AppointmentView>,
    /// The list was cut at its limit: narrow the range.
    pub truncated: bool,
}

/// List appointments of days read in the company's time zone (at most 62 days at once).
#[utoipa::path(get, path = "/admin/api/appointments", tag = "day", params(RangeQuery),
    responses((status = 200, body = AppointmentList), (status = 400, body = Failure), (status = 401, body = Failure), (status = 503, body = Failure)))]
pub async fn appointments(
    State(state): State<AppState>,
    operator: Operator,
    Query(query): Query<RangeQuery>,
) -> Result<Json<AppointmentList>, ConsoleError> {
    let today = state.now().with_timezone(&actions::zone_of(&state, &operator)).date_naive();
    let from = day(query.from.as_deref(), "from", today)?;
    let to = day(query.to.as_deref(), "to", from)?;
    let rows = actions::appointments(&state, &operator, from, to).await?;
    let truncated = rows.len() as i64 >= crate::store::LIST_LIMIT;
    let appointments = rows.iter().map(AppointmentView::of).collect();
    Ok(Json(AppointmentList { appointments, truncated }))
}

/// The tenants file re-imported.
#[derive(Debug, Serialize, ToSchema)]
pub struct Reloaded {
    /// Always `true`.
    pub success: bool,
    /// Companies in the file.
    pub companies: usize,
    /// Those kept as they are because they are managed through the API.
    pub managed_by_api_kept: Vec<String>,
}

/// Re-import `FRONTDESK_TENANTS` on every instance (admins).
#[utoipa::path(post, path = "/admin/api/tenants/reload", tag = "tenants",
    responses((status = 200, body = Reloaded), (status = 400, body = Failure), (status = 401, body = Failure), (status = 403, body = Failure),
        (status = 503, body = Failure)))]
pub async fn reload_tenants(
    State(state): State<AppState>,
    operator: Operator,
    headers: HeaderMap,
) -> Result<Json<Reloaded>, ConsoleError> {
    csrf(&operator, &headers)?;
    let (companies, kept) = actions::reload_tenants(&state, &operator).await?;
    // Companies managed through the API keep their state: the file seeds, it does not overwrite.
    Ok(Json(Reloaded { success: true, companies, managed_by_api_kept: kept }))
}

/// Any other `/admin/api/…` path.
pub async fn not_found() -> ConsoleError {
    ConsoleError::NotFound
}

/// `GET /admin/api/notifications/failed`.
#[derive(Debug, Serialize, ToSchema)]
pub struct FailedNoticeList {
    /// Newest first.
    pub notifications: Vec<FailedNotice>,
    /// The list was cut at its limit.
    pub truncated: bool,
}

/// The newest notices that gave up (owners and admins).
#[utoipa::path(get, path = "/admin/api/notifications/failed", tag = "day",
    responses((status = 200, body = FailedNoticeList), (status = 401, body = Failure), (status = 403, body = Failure), (status = 503, body = Failure)))]
pub async fn failed_notifications(
    State(state): State<AppState>,
    operator: Operator,
) -> Result<Json<FailedNoticeList>, ConsoleError> {
    let rows = actions::failed_notices(&state, &operator, crate::store::LIST_LIMIT).await?;
    let truncated = rows.len() as i64 >= crate::store::LIST_LIMIT;
    Ok(Json(FailedNoticeList { notifications: rows, truncated }))
}

/// Failed notices put back in line.
#[derive(Debug, Serialize, ToSchema)]
pub struct Requeued {
    /// Always `true`.
    pub success: bool,
    /// How many.
    pub requeued: u64,
}

/// Put the company's failed notices back in line.
#[utoipa::path(post, path = "/admin/api/notifications/retry", tag = "day",
    responses((status = 200, body = Requeued), (status = 401, body = Failure), (status = 403, body = Failure), (status = 503, body = Failure)))]
pub async fn retry_notifications(
    State(state): State<AppState>,
    operator: Operator,
    headers: HeaderMap,
) -> Result<Json<Requeued>, ConsoleError> {
    csrf(&operator, &headers)?;
    let requeued = actions::retry_notices(&state, &operator).await?;
    Ok(Json(Requeued { success: true, requeued }))
}
