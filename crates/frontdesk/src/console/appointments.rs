//! One appointment as the owner sees it (DESIGN §14): its history (who booked, moved, cancelled,
//! restored it and when), the call it came from, and the two things done to it afterwards —
//! restore a cancelled one when its time is still free, mark a no-show. The same actions serve
//! the detail page and `/admin/api/appointments/{id}…`; every read and write is bound to the
//! operator's company, and a staff login reaches only the appointments with them.

use super::api::csrf;
use super::customers::company;
use super::api::{AppointmentView, StatusChanged};
use super::error::{ConsoleError, Failure};
use super::session::Operator;
use crate::app::AppState;
use crate::domain::AppointmentId;
use crate::store::{Actor, Appointment, ConsoleCall, HistoryEntry};
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::Json;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

/// An appointment with everything its page shows.
#[derive(Debug, Clone)]
pub struct Detail {
    /// The appointment, whatever its status.
    pub appointment: Appointment,
    /// Every change, oldest first.
    pub history: Vec<HistoryEntry>,
    /// The call that booked it, when it came from one.
    pub call: Option<ConsoleCall>,
}

/// Who the operator is in an appointment's history.
pub fn actor(operator: &Operator) -> Actor {
    Actor::Console(operator.email.clone())
}

/// One appointment of the operator's company (a staff login's own only), any status.
pub async fn find(state: &AppState, operator: &Operator, id: AppointmentId) -> Result<Appointment, ConsoleError> {
    let company = company(operator)?;
    let appointment = state.backends().store.company_appointment(company, id).await?.ok_or(ConsoleError::NotFound)?;
    match &operator.staff_name {
        Some(own) if appointment.staff_name.as_deref() != Some(own.as_str()) => Err(ConsoleError::NotFound),
        _ => Ok(appointment),
    }
}

/// The appointment with its history and call.
pub async fn detail(state: &AppState, operator: &Operator, id: AppointmentId) -> Result<Detail, ConsoleError> {
    let appointment = find(state, operator, id).await?;
    let store = &state.backends().store;
    let history = store.appointment_history(appointment.company_id, id).await?;
    let call = store.appointment_call(appointment.company_id, id).await?;
    Ok(Detail { appointment, history, call })
}

/// Books a cancelled appointment again when its time (with its staff member) is still free;
/// `Ok(false)` when it is not.
pub async fn restore(state: &AppState, operator: &Operator, id: AppointmentId) -> Result<bool, ConsoleError> {
    let appointment = find(state, operator, id).await?;
    if appointment.status != crate::store::AppointmentStatus::Cancelled {
        return Err(ConsoleError::Conflict("only a cancelled appointment can be restored".into()));
    }
    let tenant = state.directory().branch(appointment.branch_id).cloned().ok_or(ConsoleError::NotFound)?;
    match state.backends().booker.restore(&tenant, &appointment, &actor(operator)).await {
        Ok(restored) => Ok(restored),
        Err(error) => {
            tracing::warn!(%error, appointment = id.0, "restore failed");
            Err(ConsoleError::Unavailable("the calendar did not answer; try again".into()))
        }
    }
}

/// Marks a booked appointment that has begun as a no-show.
pub async fn no_show(state: &AppState, operator: &Operator, id: AppointmentId) -> Result<(), ConsoleError> {
    let appointment = find(state, operator, id).await?;
    let store = &state.backends().store;
    match store.mark_no_show(appointment.company_id, id, state.now(), &actor(operator)).await? {
        true => Ok(()),
        false => Err(ConsoleError::Conflict("only a booked appointment that has begun can be a no-show".into())),
    }
}

/// An appointment id from the path; anything else is not there.
pub fn appointment_id(text: &str) -> Result<AppointmentId, ConsoleError> {
    text.trim().parse().map(AppointmentId).map_err(|_| ConsoleError::NotFound)
}

/// What an appointment was before a change.
#[derive(Debug, Serialize, ToSchema)]
pub struct Before {
    /// Its start then, as written in the history.
    pub start: String,
    /// Its staff member then.
    pub staff: Option<String>,
    /// Its service then.
    pub service: String,
}

/// A change in an appointment's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryView {
    /// When.
    pub at: DateTime<Utc>,
    /// `booked`, `moved`, `cancelled`, `restored`, `no_show`, …
    pub action: &'static str,
    /// Who: a login's e-mail, `caller`, `calcom`, …
    pub by: String,
    /// For a move: what it was before.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<Before>,
}

impl HistoryView {
    fn of(entry: &HistoryEntry) -> Self {
        let before = entry.detail.as_deref().and_then(|d| d.split_once('|')).map(|(start, rest)| {
            let (staff, service) = rest.split_once('|').unwrap_or((rest, ""));
            Before { start: start.to_string(), staff: (staff != "-").then(|| staff.to_string()), service: service.to_string() }
        });
        Self { at: entry.at, action: entry.action.as_str(), by: entry.actor.clone(), before }
    }
}

/// The call an appointment came from.
#[derive(Debug, Serialize, ToSchema)]
pub struct CallView {
    /// Retell's call id.
    pub retell_call_id: String,
    /// Started at.
    pub started_at: DateTime<Utc>,
    /// Length.
    pub duration_ms: Option<i64>,
    /// Retell's summary.
    pub summary: Option<String>,
}

/// `GET /admin/api/appointments/{id}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppointmentDetail {
    /// The appointment as listed.
    #[serde(flatten)]
    pub appointment: AppointmentView,
    /// Customer's id.
    pub customer_id: Option<i64>,
    /// Every change, oldest first.
    pub history: Vec<HistoryView>,
    /// The call that booked it.
    pub call: Option<CallView>,
}

/// An appointment with its history and the call it came from.
#[utoipa::path(get, path = "/admin/api/appointments/{id}", tag = "day", params(("id" = i64, Path, description = "appointment id")),
    responses((status = 200, body = AppointmentDetail), (status = 400, body = Failure), (status = 401, body = Failure), (status = 404, body = Failure),
        (status = 503, body = Failure)))]
pub async fn detail_api(
    State(state): State<AppState>,
    operator: Operator,
    Path(id): Path<String>,
) -> Result<Json<AppointmentDetail>, ConsoleError> {
    let Detail { appointment: a, history, call } = detail(&state, &operator, appointment_id(&id)?).await?;
    Ok(Json(AppointmentDetail {
        appointment: AppointmentView::of(&a),
        customer_id: a.customer_id.map(|c| c.0),
        history: history.iter().map(HistoryView::of).collect(),
        call: call.map(|c| CallView { retell_call_id: c.retell_call_id, started_at: c.started_at, duration_ms: c.duration_ms, summary: c.summary }),
    }))
}

/// Restore a cancelled appointment while its time is still free (409 when taken since).
#[utoipa::path(post, path = "/admin/api/appointments/{id}/restore", tag = "day", params(("id" = i64, Path, description = "appointment id")),
    responses((status = 200, body = StatusChanged), (status = 400, body = Failure), (status = 401, body = Failure), (status = 403, body = Failure),
        (status = 404, body = Failure), (status = 409, body = Failure), (status = 502, body = Failure), (status = 503, body = Failure)))]
pub async fn restore_api(
    State(state): State<AppState>,
    operator: Operator,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<StatusChanged>, ConsoleError> {
    csrf(&operator, &headers)?;
    match restore(&state, &operator, appointment_id(&id)?).await? {
        true => Ok(Json(StatusChanged { success: true, id: None, status: "booked" })),
        false => Err(ConsoleError::Conflict("its time is no longer free".into())),
    }
}

/// Mark a booked appointment that began as not kept (409 otherwise).
#[utoipa::path(post, path = "/admin/api/appointments/{id}/no_show", tag = "day", params(("id" = i64, Path, description = "appointment id")),
    responses((status = 200, body = StatusChanged), (status = 400, body = Failure), (status = 401, body = Failure), (status = 403, body = Failure),
        (status = 404, body = Failure), (status = 409, body = Failure), (status = 503, body = Failure)))]
pub async fn no_show_api(
    State(state): State<AppState>,
    operator: Operator,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<StatusChanged>, ConsoleError> {
    csrf(&operator, &headers)?;
    no_show(&state, &operator, appointment_id(&id)?).await?;
    Ok(Json(StatusChanged { success: true, id: None, status: "no_show" }))
}
