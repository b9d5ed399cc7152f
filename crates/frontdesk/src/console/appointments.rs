//! One appointment as the owner sees it (DESIGN §14): its history (who booked, moved, cancelled,
//! restored it and when), the call it came from, and the two things done to it afterwards —
//! restore a cancelled one when its time is still free, mark a no-show. The same actions serve
//! the detail page and `/admin/api/appointments/{id}…`; every read and write is bound to the
//! operator's company, and a staff login reaches only the appointments with them.

use super::api::csrf;
use super::customers::company;
use super::error::ConsoleError;
use super::session::Operator;
use crate::app::AppState;
use crate::domain::AppointmentId;
use crate::store::{Actor, Appointment, ConsoleCall, HistoryEntry};
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::Json;
use serde_json::{json, Value};

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

/// A history entry as the API shows it.
fn history_json(entry: &HistoryEntry) -> Value {
    let mut json = json!({"at": entry.at, "action": entry.action.as_str(), "by": entry.actor});
    if let Some((start, rest)) = entry.detail.as_deref().and_then(|d| d.split_once('|')) {
        let (staff, service) = rest.split_once('|').unwrap_or((rest, ""));
        json["before"] = json!({"start": start, "staff": (staff != "-").then_some(staff), "service": service});
    }
    json
}

/// `GET /admin/api/appointments/{id}`.
pub async fn detail_api(State(state): State<AppState>, operator: Operator, Path(id): Path<String>) -> Result<Json<Value>, ConsoleError> {
    let Detail { appointment: a, history, call } = detail(&state, &operator, appointment_id(&id)?).await?;
    Ok(Json(json!({
        "id": a.id, "company": a.company, "branch": a.branch, "service": a.service_name, "staff": a.staff_name,
        "start": a.starts_at, "end": a.ends_at, "customer_name": a.customer_name, "customer_id": a.customer_id,
        "status": a.status.as_str(), "source": a.source.as_str(),
        "history": history.iter().map(history_json).collect::<Vec<_>>(),
        "call": call.map(|c| json!({"retell_call_id": c.retell_call_id, "started_at": c.started_at,
            "duration_ms": c.duration_ms, "summary": c.summary})),
    })))
}

/// `POST /admin/api/appointments/{id}/restore` → 200, or 409 when its time is taken.
pub async fn restore_api(
    State(state): State<AppState>,
    operator: Operator,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Value>, ConsoleError> {
    csrf(&operator, &headers)?;
    match restore(&state, &operator, appointment_id(&id)?).await? {
        true => Ok(Json(json!({"success": true, "status": "booked"}))),
        false => Err(ConsoleError::Conflict("its time is no longer free".into())),
    }
}

/// `POST /admin/api/appointments/{id}/no_show` → 200, or 409 when it is not a booked one that began.
pub async fn no_show_api(
    State(state): State<AppState>,
    operator: Operator,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Value>, ConsoleError> {
    csrf(&operator, &headers)?;
    no_show(&state, &operator, appointment_id(&id)?).await?;
    Ok(Json(json!({"success": true, "status": "no_show"})))
}
