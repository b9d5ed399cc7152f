//! `/admin/api/staff…` and `/admin/api/absences…` (DESIGN §13): staff, their working hours and
//! breaks, their absences. Dates and times are the company's local ones.

use super::api::csrf;
use super::error::{ConsoleError, Failure};
use super::tenants_api::Done;
use super::schedules::{self, StaffOf};
use super::session::Operator;
use crate::app::AppState;
use crate::domain::{Absence, AbsenceId, BranchId, OpeningHours, StaffId};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{IntoParams, ToSchema};

/// `?branch=ID`.
#[derive(Debug, Deserialize, IntoParams)]
pub struct BranchQuery {
    /// Only this branch's staff.
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

/// A staff member with their schedule.
#[derive(Debug, Serialize, ToSchema)]
pub struct StaffView {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Branch id.
    pub branch: i64,
    /// The services they do.
    pub services: Vec<String>,
    /// Their weekly hours (the branch's when they have none of their own).
    #[schema(value_type = BTreeMap<String, Vec<String>>)]
    pub working_hours: OpeningHours,
    /// Whether the hours are their own.
    pub own_working_hours: bool,
    /// Weekly breaks.
    #[schema(value_type = BTreeMap<String, Vec<String>>)]
    pub breaks: OpeningHours,
}

impl StaffView {
    fn of(found: &StaffOf) -> Self {
        let (branch, person) = (&found.tenant.branch, found.person());
        let services = person.services.iter().filter_map(|s| branch.service(*s)).map(|s| s.name.clone()).collect();
        let hours = person.working_hours.as_ref().unwrap_or(&branch.opening_hours).clone();
        Self {
            id: person.id.0,
            name: person.name.clone(),
            branch: branch.id.0,
            services,
            working_hours: hours,
            own_working_hours: person.working_hours.is_some(),
            breaks: person.breaks.clone(),
        }
    }
}

/// An absence in the company's local time.
#[derive(Debug, Serialize, ToSchema)]
pub struct AbsenceView {
    /// Id.
    pub id: i64,
    /// First day (`2026-12-14`) or instant (`2026-12-14 09:00`) away.
    pub from: String,
    /// Last day or first instant back.
    pub to: String,
    /// Why.
    pub reason: String,
}

impl AbsenceView {
    fn of(absence: &Absence, tz: chrono_tz::Tz) -> Self {
        Self { id: absence.id.0, from: absence.from_text(tz), to: absence.to_text(tz), reason: absence.reason.clone() }
    }
}

/// `GET /admin/api/staff`.
#[derive(Debug, Serialize, ToSchema)]
pub struct StaffList {
    /// Staff of the branches the caller may see.
    pub staff: Vec<StaffView>,
}

/// `GET /admin/api/staff/{id}/absences`.
#[derive(Debug, Serialize, ToSchema)]
pub struct AbsenceList {
    /// Those that have not ended.
    pub absences: Vec<AbsenceView>,
}

/// An absence entered.
#[derive(Debug, Serialize, ToSchema)]
pub struct AbsenceEntered {
    /// Always `true`.
    pub success: bool,
    /// Its id.
    pub id: i64,
    /// Appointments of the staff member in that time (to move or cancel).
    pub conflicts: Vec<i64>,
}

/// A staff member's schedule as now set.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScheduleSet {
    /// Always `true`.
    pub success: bool,
    /// The staff member.
    pub staff: StaffView,
}

/// List staff with their hours and breaks.
#[utoipa::path(get, path = "/admin/api/staff", tag = "staff", params(BranchQuery),
    responses((status = 200, body = StaffList), (status = 401, body = Failure), (status = 404, body = Failure), (status = 503, body = Failure)))]
pub async fn list(
    State(state): State<AppState>,
    operator: Operator,
    Query(query): Query<BranchQuery>,
) -> Result<Json<StaffList>, ConsoleError> {
    let only = query.branch.as_deref().map(id).transpose()?.map(BranchId);
    let branches = schedules::branches(&state, &operator, only);
    if only.is_some() && branches.is_empty() {
        return Err(ConsoleError::NotFound);
    }
    let staff = branches
        .iter()
        .flat_map(|tenant| tenant.branch.staff.iter().map(move |p| StaffOf { tenant: tenant.clone(), id: p.id }))
        .map(|found| StaffView::of(&found))
        .collect();
    Ok(Json(StaffList { staff }))
}

/// A staff member's absences that have not ended.
#[utoipa::path(get, path = "/admin/api/staff/{id}/absences", tag = "staff", params(("id" = i64, Path, description = "staff id")),
    responses((status = 200, body = AbsenceList), (status = 401, body = Failure), (status = 404, body = Failure), (status = 503, body = Failure)))]
pub async fn absences(
    State(state): State<AppState>,
    operator: Operator,
    Path(staff): Path<String>,
) -> Result<Json<AbsenceList>, ConsoleError> {
    let (found, rows) = schedules::absences(&state, &operator, StaffId(id(&staff)?)).await?;
    let tz = found.tenant.company.timezone;
    Ok(Json(AbsenceList { absences: rows.iter().map(|a| AbsenceView::of(a, tz)).collect() }))
}

/// `{"from": "2026-12-14", "to": "2026-12-18", "reason": "Urlaub"}`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AbsenceBody {
    /// First day (`2026-12-14`) or instant (`2026-12-14 09:00`).
    from: String,
    /// Last day, or first instant back.
    to: String,
    /// Why (shown to the team only).
    #[serde(default)]
    reason: Option<String>,
}

/// Enter an absence; appointments in that time are listed, not touched.
#[utoipa::path(post, path = "/admin/api/staff/{id}/absences", tag = "staff", params(("id" = i64, Path, description = "staff id")),
    request_body = AbsenceBody,
    responses((status = 201, body = AbsenceEntered), (status = 400, body = Failure), (status = 401, body = Failure), (status = 403, body = Failure),
        (status = 404, body = Failure), (status = 503, body = Failure)))]
pub async fn add_absence(
    State(state): State<AppState>,
    operator: Operator,
    headers: HeaderMap,
    Path(staff): Path<String>,
    bytes: axum::body::Bytes,
) -> Result<(StatusCode, Json<AbsenceEntered>), ConsoleError> {
    let (staff, body): (StaffId, AbsenceBody) = staff_write(&operator, &headers, &staff, &bytes)?;
    let reason = body.reason.unwrap_or_default();
    let entered = schedules::add_absence(&state, &operator, staff, &body.from, &body.to, &reason).await?;
    let conflicts = entered.conflicts.iter().map(|a| a.id.0).collect();
    Ok((StatusCode::CREATED, Json(AbsenceEntered { success: true, id: entered.id.0, conflicts })))
}

/// Remove an absence.
#[utoipa::path(delete, path = "/admin/api/absences/{id}", tag = "staff", params(("id" = i64, Path, description = "absence id")),
    responses((status = 200, body = Done), (status = 401, body = Failure), (status = 403, body = Failure), (status = 404, body = Failure),
        (status = 503, body = Failure)))]
pub async fn remove_absence(
    State(state): State<AppState>,
    operator: Operator,
    headers: HeaderMap,
    Path(absence): Path<String>,
) -> Result<Json<Done>, ConsoleError> {
    csrf(&operator, &headers)?;
    let absence = AbsenceId(id(&absence)?);
    schedules::remove_absence(&state, &operator, absence).await?;
    Ok(Json(Done { success: true, id: absence.0 }))
}

/// A key that may be missing (keep what is there) or `null` (back to the default).
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(deserializer: D) -> Result<Option<T>, D::Error> {
    T::deserialize(deserializer).map(Some)
}

/// `{"working_hours": {...} | null, "breaks": {...}}`; a missing key keeps what is set.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleBody {
    /// Own weekly hours (`{"mon": ["09:00-17:00"]}`), `null` for the branch's.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<BTreeMap<String, Vec<String>>>)]
    working_hours: Option<Option<OpeningHours>>,
    /// Weekly breaks.
    #[serde(default)]
    #[schema(value_type = Option<BTreeMap<String, Vec<String>>>)]
    breaks: Option<OpeningHours>,
}

/// Set a staff member's own hours and breaks; answers the staff member as now set.
#[utoipa::path(put, path = "/admin/api/staff/{id}/working_hours", tag = "staff", params(("id" = i64, Path, description = "staff id")),
    request_body = ScheduleBody,
    responses((status = 200, body = ScheduleSet), (status = 400, body = Failure), (status = 401, body = Failure), (status = 403, body = Failure),
        (status = 404, body = Failure), (status = 503, body = Failure)))]
pub async fn set_working_hours(
    State(state): State<AppState>,
    operator: Operator,
    headers: HeaderMap,
    Path(staff): Path<String>,
    bytes: axum::body::Bytes,
) -> Result<Json<ScheduleSet>, ConsoleError> {
    let (staff, body): (StaffId, ScheduleBody) = staff_write(&operator, &headers, &staff, &bytes)?;
    let found = schedules::set_schedule(&state, &operator, staff, body.working_hours, body.breaks).await?;
    Ok(Json(ScheduleSet { success: true, staff: StaffView::of(&found) }))
}
