//! `frontdesk tenants export`: the whole state as a tenants file that imports to the same state
//! (companies with their keys and secrets, branches, services, staff, absences still to come).

use crate::domain::BranchContext;
use crate::store::{Store, StoreError};
use crate::tenants::{AbsenceEntry, BranchDraft, CompanyDraft, TenantsFile};
use chrono::{DateTime, Utc};

/// Every company as its draft, with its branches (each staff member's absences that have not
/// ended by `now` included), in id order.
pub async fn drafts(store: &Store, now: DateTime<Utc>) -> Result<Vec<CompanyDraft>, StoreError> {
    let branches = store.load_branches_at(now).await?;
    let companies = store.company_drafts().await?;
    Ok(companies
        .into_iter()
        .map(|(id, mut company)| {
            company.branch = branches.iter().filter(|ctx| ctx.company.id == id).map(|ctx| with_absences(ctx, now)).collect();
            company
        })
        .collect())
}

/// The text of the tenants file holding the whole state.
pub async fn tenants_file(store: &Store, now: DateTime<Utc>) -> anyhow::Result<String> {
    TenantsFile::render(drafts(store, now).await?).map_err(anyhow::Error::msg)
}

/// A branch's draft with the absences still to come (the console's included: the file is the
/// whole state).
fn with_absences(ctx: &BranchContext, now: DateTime<Utc>) -> BranchDraft {
    let mut draft = BranchDraft::of(ctx);
    let zone = ctx.company.timezone;
    for (spec, person) in draft.staff.iter_mut().zip(&ctx.branch.staff) {
        spec.absences = person
            .absences
            .iter()
            .filter(|a| a.ends_at > now)
            .map(|a| AbsenceEntry::local(a, zone))
            .collect();
    }
    draft
}
