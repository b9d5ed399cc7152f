//! Staff schedules in the console and its API (DESIGN §13): who works when, breaks, absences.
//! Every read and write is bound to the operator's company; a staff login sees and enters only
//! their own absences; working hours are the owner's to change. A change reloads the directory
//! and rebuilds the branch's windows on every instance before the answer goes out.

use super::error::ConsoleError;
use super::session::Operator;
use crate::app::AppState;
use crate::domain::{clean_reason, Absence, AbsenceId, AbsenceSpan, BranchContext, OpeningHours, Role, Staff, StaffId};
use crate::store::NewAbsence;
use crate::tenants::Changed;
use std::sync::Arc;

/// A staff member with the branch they work in, as the operator may see them.
pub struct StaffOf {
    /// Their branch (and company).
    pub tenant: Arc<BranchContext>,
    /// The staff member.
    pub id: StaffId,
}

impl StaffOf {
    /// The staff member.
    pub fn person(&self) -> &Staff {
        self.tenant.branch.staff_member(self.id).expect("found in this branch")
    }
}

/// Whether the operator may see or change the absences of `person`: owners and admins anyone's
/// of their company, a staff login their own.
fn may_touch(operator: &Operator, person: &Staff) -> bool {
    match operator.role {
        Role::Staff => operator.staff_name.as_deref() == Some(person.name.as_str()),
        Role::Owner | Role::Admin => true,
    }
}

/// The staff member with this id in the operator's company (404 for anybody else's).
pub fn find_staff(state: &AppState, operator: &Operator, id: StaffId) -> Result<StaffOf, ConsoleError> {
    let directory = state.directory();
    let tenant = directory
        .branches()
        .iter()
        .filter(|b| operator.company.is_none_or(|c| b.company.id == c))
        .find(|b| b.branch.staff_member(id).is_some())
        .cloned()
        .ok_or(ConsoleError::NotFound)?;
    Ok(StaffOf { tenant, id })
}

/// The branches of the operator's company (all for the admin token), optionally only one.
pub fn branches(state: &AppState, operator: &Operator, only: Option<crate::domain::BranchId>) -> Vec<Arc<BranchContext>> {
    state
        .directory()
        .branches()
        .iter()
        .filter(|b| operator.company.is_none_or(|c| b.company.id == c))
        .filter(|b| only.is_none_or(|id| b.branch.id == id))
        .cloned()
        .collect()
}

/// A staff member's absences that have not ended (from the database: an absence entered on
/// another instance a moment ago is there).
pub async fn absences(state: &AppState, operator: &Operator, id: StaffId) -> Result<(StaffOf, Vec<Absence>), ConsoleError> {
    let found = find_staff(state, operator, id)?;
    if !may_touch(operator, found.person()) {
        return Err(ConsoleError::NotFound);
    }
    let rows = state.backends().store.absences_of(found.tenant.company.id, id, state.now()).await?;
    Ok((found, rows))
}

/// An absence entered: its id and the appointments it runs into (they stay booked and need
/// attention).
pub struct Entered {
    /// The new absence.
    pub id: AbsenceId,
    /// Live appointments of the staff member inside it, by start.
    pub conflicts: Vec<crate::store::Appointment>,
}

/// Records an absence of `from`–`to` (dates inclusive, or local times) and applies it
/// everywhere at once.
pub async fn add_absence(
    state: &AppState,
    operator: &Operator,
    id: StaffId,
    from: &str,
    to: &str,
    reason: &str,
) -> Result<Entered, ConsoleError> {
    let found = find_staff(state, operator, id)?;
    if !may_touch(operator, found.person()) {
        return Err(ConsoleError::NotFound);
    }
    let span = AbsenceSpan::parse(from, to).map_err(ConsoleError::BadRequest)?;
    let company = &found.tenant.company;
    let (starts_at, ends_at) = span.instants(company.timezone);
    if ends_at <= state.now() {
        return Err(ConsoleError::BadRequest("the absence lies in the past".into()));
    }
    let reason = clean_reason(reason);
    let source = if operator.id.is_some() { "console" } else { "api" };
    let new = NewAbsence { company_id: company.id, staff_id: id, starts_at, ends_at, all_day: span.all_day, reason: &reason, source };
    let store = &state.backends().store;
    let absence = store.add_absence(&new, state.now()).await?.ok_or(ConsoleError::NotFound)?;
    let conflicts = store.staff_appointments_between(company.id, id, starts_at, ends_at).await?;
    state.tenants().changed(Changed::Branch(found.tenant.branch.id)).await?;
    tracing::info!(absence = absence.0, staff = id.0, conflicts = conflicts.len(), by = %operator.email, "absence entered");
    Ok(Entered { id: absence, conflicts })
}

/// Removes an absence of the operator's company and applies it everywhere.
pub async fn remove_absence(state: &AppState, operator: &Operator, id: AbsenceId) -> Result<(), ConsoleError> {
    let company = match operator.company {
        Some(company) => company,
        // the admin token: the absence's own company
        None => {
            let owner = state.backends().store.absence_company(id).await?;
            owner.ok_or(ConsoleError::NotFound)?
        }
    };
    // a staff login removes only their own
    if operator.role == Role::Staff {
        let staff = state.backends().store.absence_staff(company, id).await?.ok_or(ConsoleError::NotFound)?;
        let found = find_staff(state, operator, staff)?;
        if !may_touch(operator, found.person()) {
            return Err(ConsoleError::NotFound);
        }
    }
    let staff = state.backends().store.delete_absence(company, id).await?.ok_or(ConsoleError::NotFound)?;
    if let Ok(found) = find_staff(state, operator, staff) {
        state.tenants().changed(Changed::Branch(found.tenant.branch.id)).await?;
    }
    tracing::info!(absence = id.0, by = %operator.email, "absence removed");
    Ok(())
}

/// Sets a staff member's working hours (`None`: the branch's) and breaks (owners and admins).
pub async fn set_schedule(
    state: &AppState,
    operator: &Operator,
    id: StaffId,
    working_hours: Option<Option<OpeningHours>>,
    breaks: Option<OpeningHours>,
) -> Result<StaffOf, ConsoleError> {
    if operator.role == Role::Staff {
        return Err(ConsoleError::Forbidden("only the owner changes working hours"));
    }
    let found = find_staff(state, operator, id)?;
    let person = found.person();
    let hours = working_hours.unwrap_or_else(|| person.working_hours.clone());
    let breaks = breaks.unwrap_or_else(|| person.breaks.clone());
    let saved = state.backends().store.set_staff_schedule(found.tenant.company.id, id, hours.as_ref(), &breaks).await?;
    if !saved {
        return Err(ConsoleError::NotFound);
    }
    state.tenants().changed(Changed::Branch(found.tenant.branch.id)).await?;
    tracing::info!(staff = id.0, by = %operator.email, "working hours changed");
    find_staff(state, operator, id)
}
