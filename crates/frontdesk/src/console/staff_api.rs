//! `/admin/api/staff…` and `/admin/api/absences…` (DESIGN §13): staff, their working hours and
//! breaks, their absences. Dates and times are the company's local ones.

use super::api::csrf;
use super::error::ConsoleError;
use super::schedules::{self, StaffOf};
use super::session::Operator;
use crate::app::AppState;
use crate::domain::{Absence, AbsenceId, BranchId, OpeningHours, StaffId};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::{Deserialize, Deserializer};
use serde_json::{json, Value};

/// `?branch=ID`.
#[derive(Debug, Deserialize)]
pub struct BranchQuery {
    branch: Option<String>,
}

/// An id from the path; not a number is nobody's.
fn id(text: &str) -> Result<i64, ConsoleError> {
    text.trim().parse().map_err(|_| ConsoleError::NotFound)
}

/// A write to a staff member: the session's CSRF header checked, the id and the JSON body read.
fn staff_write<T: for<'de> Deserialize<'de>>(
    operator: &Operator,
    headers: &HeaderMap,
    staff: &str,
    bytes: &[u8],
) -> Result<(StaffId, T), ConsoleError> {
    csrf(operator, headers)?;
    Ok((StaffId(id(staff)?), body(bytes)?))
}

/// A body as JSON of `T`, with the reason when it is not.
fn body<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, ConsoleError> {
    serde_json::from_slice(bytes).map_err(|e| ConsoleError::BadRequest(format!("body: {e}")))
}

fn staff_json(found: &StaffOf) -> Value {
    let (branch, person) = (&found.tenant.branch, found.person());
    let services: Vec<&str> = person.services.iter().filter_map(|s| branch.service(*s)).map(|s| s.name.as_str()).collect();
    let hours = person.working_hours.as_ref().unwrap_or(&branch.opening_hours);
    json!({
        "id": person.id.0, "name": person.name, "branch": branch.id, "services": services,
        "working_hours": hours, "own_working_hours": person.working_hours.is_some(), "breaks": person.breaks,
    })
}

fn absence_json(absence: &Absence, tz: chrono_tz::Tz) -> Value {
    json!({"id": absence.id, "from": absence.from_text(tz), "to": absence.to_text(tz), "reason": absence.reason})
}

/// `GET /admin/api/staff?branch=ID`.
pub async fn list(
    State(state): State<AppState>,
    operator: Operator,
    Query(query): Query<BranchQuery>,
) -> Result<Json<Value>, ConsoleError> {
    let only = query.branch.as_deref().map(id).transpose()?.map(BranchId);
    let branches = schedules::branches(&state, &operator, only);
    if only.is_some() && branches.is_empty() {
        return Err(ConsoleError::NotFound);
    }
    let staff: Vec<Value> = branches
        .iter()
        .flat_map(|tenant| tenant.branch.staff.iter().map(move |p| StaffOf { tenant: tenant.clone(), id: p.id }))
        .map(|found| staff_json(&found))
        .collect();
    Ok(Json(json!({ "staff": staff })))
}

/// `GET /admin/api/staff/{id}/absences`: those that have not ended.
pub async fn absences(
    State(state): State<AppState>,
    operator: Operator,
    Path(staff): Path<String>,
) -> Result<Json<Value>, ConsoleError> {
    let (found, rows) = schedules::absences(&state, &operator, StaffId(id(&staff)?)).await?;
    let tz = found.tenant.company.timezone;
    Ok(Json(json!({ "absences": rows.iter().map(|a| absence_json(a, tz)).collect::<Vec<_>>() })))
}

/// `{"from": "2026-12-14", "to": "2026-12-18", "reason": "Urlaub"}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AbsenceBody {
    from: String,
    to: String,
    #[serde(default)]
    reason: Option<String>,
}

/// `POST /admin/api/staff/{id}/absences` → 201 `{"id", "conflicts": [appointment ids]}`.
pub async fn add_absence(
    State(state): State<AppState>,
    operator: Operator,
    headers: HeaderMap,
    Path(staff): Path<String>,
    bytes: axum::body::Bytes,
) -> Result<(StatusCode, Json<Value>), ConsoleError> {
    let (staff, body): (StaffId, AbsenceBody) = staff_write(&operator, &headers, &staff, &bytes)?;
    let reason = body.reason.unwrap_or_default();
    let entered = schedules::add_absence(&state, &operator, staff, &body.from, &body.to, &reason).await?;
    let conflicts: Vec<i64> = entered.conflicts.iter().map(|a| a.id.0).collect();
    Ok((StatusCode::CREATED, Json(json!({"success": true, "id": entered.id, "conflicts": conflicts}))))
}

/// `DELETE /admin/api/absences/{id}`.
pub async fn remove_absence(
    State(state): State<AppState>,
    operator: Operator,
    headers: HeaderMap,
    Path(absence): Path<String>,
) -> Result<Json<Value>, ConsoleError> {
    csrf(&operator, &headers)?;
    let absence = AbsenceId(id(&absence)?);
    schedules::remove_absence(&state, &operator, absence).await?;
    Ok(Json(json!({"success": true, "id": absence})))
}

/// A key that may be missing (keep what is there) or `null` (back to the default).
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(deserializer: D) -> Result<Option<T>, D::Error> {
    T::deserialize(deserializer).map(Some)
}

/// `{"working_hours": {...} | null, "breaks": {...}}`; a missing key keeps what is set.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScheduleBody {
    #[serde(default, deserialize_with = "present")]
    working_hours: Option<Option<OpeningHours>>,
    #[serde(default)]
    breaks: Option<OpeningHours>,
}

/// `PUT /admin/api/staff/{id}/working_hours` → the staff member as now set.
pub async fn set_working_hours(
    State(state): State<AppState>,
    operator: Operator,
    headers: HeaderMap,
    Path(staff): Path<String>,
    bytes: axum::body::Bytes,
) -> Result<Json<Value>, ConsoleError> {
    let (staff, body): (StaffId, ScheduleBody) = staff_write(&operator, &headers, &staff, &bytes)?;
    let found = schedules::set_schedule(&state, &operator, staff, body.working_hours, body.breaks).await?;
    Ok(Json(json!({"success": true, "staff": staff_json(&found)})))
}
