//! Companies and branches through the API: each body read as the tenants file's draft, checked
//! by the file's rules (and, on Cal.com, against the event types that really exist), written in
//! one transaction, and applied at once on every instance.

use super::invites::{Invited, PreparedLogin};
use super::{merge_patch, retell, OnboardingError};
use crate::app::AppState;
use crate::domain::{BranchId, CalendarKind, CompanyId, Secret};
use crate::tenants::{BranchDraft, BranchSpec, Changed, CompanyDraft, CompanySpec};

/// Parses a JSON body into a draft; the serde message names the key that is wrong or missing.
fn draft<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, OnboardingError> {
    serde_json::from_slice(body).map_err(|e| OnboardingError::Invalid(format!("body: {e}")))
}

/// Creates a company (with the branches its body lists); returns its id and its branches' ids.
pub async fn create_company(state: &AppState, body: &[u8]) -> Result<(CompanyId, Vec<BranchId>), OnboardingError> {
    let (id, branches, _) = create(state, body, None).await?;
    Ok((id, branches))
}

/// Creates a company and its owner's login (the console's "new business" form) in one
/// transaction: a refused login leaves no company behind, a refused company no login.
pub async fn create_company_with_owner(
    state: &AppState,
    body: &[u8],
    owner: &[u8],
) -> Result<(CompanyId, Vec<BranchId>, Invited), OnboardingError> {
    let (id, branches, invited) = create(state, body, Some(owner)).await?;
    Ok((id, branches, invited.ok_or_else(|| OnboardingError::Invalid("owner: not created".into()))?))
}

async fn create(
    state: &AppState,
    body: &[u8],
    owner: Option<&[u8]>,
) -> Result<(CompanyId, Vec<BranchId>, Option<Invited>), OnboardingError> {
    let draft: CompanyDraft = draft(body)?;
    let spec = draft.validate().map_err(OnboardingError::Invalid)?;
    let owner = owner.map(|body| PreparedLogin::read(state, spec.language.code(), body)).transpose()?;
    check_calendar(state, &spec, &spec.branches).await?;
    // no company id yet: the store gives the login the new company's inside the transaction
    let invitation = owner.as_ref().map(|login| login.invitation(None));
    let (id, login) = state.backends().store.create_company(&spec, invitation.as_ref(), state.now()).await?;
    state.tenants().changed(Changed::All).await?;
    let branches = state.directory().of_company(id).iter().map(|ctx| ctx.branch.id).collect();
    tracing::info!(company = id.0, "company created through the API");
    Ok((id, branches, owner.zip(login).map(|(owner, login)| owner.invited(state, login))))
}

/// Changes a company's own keys by JSON Merge Patch (its branches have their own address).
pub async fn patch_company(state: &AppState, id: CompanyId, body: &[u8]) -> Result<(), OnboardingError> {
    let store = &state.backends().store;
    let current = store.company_draft(id).await?.ok_or(OnboardingError::NotFound)?;
    let patched: CompanyDraft = merge_patch::apply(&current, body, &[("branches", "branch")]).map_err(OnboardingError::Invalid)?;
    if !patched.branch.is_empty() {
        return Err(OnboardingError::Invalid(
            "branches are created at /admin/api/companies/{id}/branches and changed at /admin/api/branches/{id}".into(),
        ));
    }
    let spec = patched.validate().map_err(OnboardingError::Invalid)?;
    let directory = state.directory();
    let is_calcom = spec.calendar.as_deref() == Some("calcom");
    let branches = directory
        .of_company(id)
        .iter()
        .map(|ctx| BranchDraft::of(ctx).validate(is_calcom))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|problem| OnboardingError::Invalid(problem.to_string()))?;
    drop(directory);
    check_calendar(state, &spec, &branches).await?;
    store.update_company(id, &spec, state.now()).await?;
    state.tenants().changed(Changed::All).await?;
    for ctx in state.directory().of_company(id) {
        retell::after_change(state, ctx.branch.id);
    }
    Ok(())
}

/// Creates a branch of a company; returns its id.
pub async fn create_branch(state: &AppState, company: CompanyId, body: &[u8]) -> Result<BranchId, OnboardingError> {
    let spec = checked_branch(state, company, draft(body)?).await?;
    let id = state.backends().store.write_branch(company, None, &spec, state.now()).await?;
    state.tenants().changed(Changed::Branch(id)).await?;
    Ok(id)
}

/// Changes a branch by JSON Merge Patch on its draft; `scope` limits it to one company's.
pub async fn patch_branch(state: &AppState, scope: Option<CompanyId>, id: BranchId, body: &[u8]) -> Result<(), OnboardingError> {
    let ctx = branch_in_scope(state, scope, id)?;
    let patched: BranchDraft = merge_patch::apply(&BranchDraft::of(&ctx), body, &[("services", "service"), ("resources", "resource")]).map_err(OnboardingError::Invalid)?;
    let spec = checked_branch(state, ctx.company.id, patched).await?;
    state.backends().store.write_branch(ctx.company.id, Some(id), &spec, state.now()).await?;
    state.tenants().changed(Changed::Branch(id)).await?;
    retell::after_change(state, id);
    Ok(())
}

/// A branch of `company` checked by the file's rules with the company's calendar, and on Cal.com
/// against the event types that exist.
async fn checked_branch(state: &AppState, company: CompanyId, draft: BranchDraft) -> Result<BranchSpec, OnboardingError> {
    let owner = state.backends().store.company_draft(company).await?.ok_or(OnboardingError::NotFound)?;
    let company_spec = owner.validate().map_err(OnboardingError::Invalid)?;
    let spec = draft
        .validate(company_spec.calendar.as_deref() == Some("calcom"))
        .map_err(|p| OnboardingError::Invalid(p.to_string()))?;
    check_calendar(state, &company_spec, std::slice::from_ref(&spec)).await?;
    Ok(spec)
}

/// Deletes a branch unless appointments are still to come there.
pub async fn delete_branch(state: &AppState, scope: Option<CompanyId>, id: BranchId) -> Result<(), OnboardingError> {
    let ctx = branch_in_scope(state, scope, id)?;
    state.backends().store.delete_branch(ctx.company.id, id, state.now()).await?;
    state.tenants().changed(Changed::All).await?;
    Ok(())
}

/// Deletes a company unless appointments are still to come in it.
pub async fn delete_company(state: &AppState, id: CompanyId) -> Result<(), OnboardingError> {
    state.backends().store.delete_company(id, state.now()).await?;
    state.tenants().changed(Changed::All).await?;
    Ok(())
}

/// The branch `id` if it is within `scope` (another company's is not found, not forbidden:
/// its existence is nobody else's business).
pub fn branch_in_scope(
    state: &AppState,
    scope: Option<CompanyId>,
    id: BranchId,
) -> Result<std::sync::Arc<crate::domain::BranchContext>, OnboardingError> {
    let directory = state.directory();
    let ctx = directory.branch(id).ok_or(OnboardingError::NotFound)?;
    if scope.is_some_and(|company| company != ctx.company.id) {
        return Err(OnboardingError::NotFound);
    }
    Ok(ctx.clone())
}

/// On Cal.com: a key must be at hand and every event type named must exist there (one request
/// per distinct event type, all at once; an admin action, never on a caller's path).
async fn check_calendar(state: &AppState, company: &CompanySpec, branches: &[BranchSpec]) -> Result<(), OnboardingError> {
    let calendar = match company.calendar.as_deref() {
        Some(kind) => CalendarKind::parse(kind).map_err(OnboardingError::Invalid)?,
        None => state.console().default_calendar,
    };
    if calendar != CalendarKind::Calcom {
        return Ok(());
    }
    let Some(key) = company.calcom_api_key.clone().or_else(|| state.console().calcom_default_key.clone()) else {
        return Err(OnboardingError::Invalid(format!(
            "company {:?} uses Cal.com but has no calcom_api_key and no default key is set",
            company.name
        )));
    };
    let mut wanted: Vec<(i64, String)> = Vec::new();
    for branch in branches {
        for service in &branch.services {
            match service.calcom_event_type_id {
                Some(id) if !wanted.iter().any(|(w, _)| *w == id) => wanted.push((id, service.name.clone())),
                Some(_) => {}
                None => {
                    return Err(OnboardingError::Invalid(format!(
                        "service {:?}: calcom_event_type_id is required when the calendar is calcom",
                        service.name
                    )))
                }
            }
        }
    }
    event_types_exist(state, &key, &wanted).await
}

/// Asks Cal.com for each event type; a missing one is named with its service.
async fn event_types_exist(state: &AppState, key: &Secret, wanted: &[(i64, String)]) -> Result<(), OnboardingError> {
    let client = state.console().calcom.clone().ok_or_else(|| OnboardingError::Upstream("Cal.com is not configured".into()))?;
    let answers = futures_util::future::join_all(wanted.iter().map(|(id, _)| client.event_type(key, *id))).await;
    for ((id, service), answer) in wanted.iter().zip(answers) {
        match answer {
            Ok(_) => {}
            Err(crate::calendar::CalendarError::NotFound) => {
                return Err(OnboardingError::Invalid(format!(
                    "service {service:?}: Cal.com has no event type {id} for this key"
                )))
            }
            Err(crate::calendar::CalendarError::Invalid(why)) => {
                return Err(OnboardingError::Invalid(format!("Cal.com refused the key or event type {id}: {why}")))
            }
            Err(other) => return Err(OnboardingError::Upstream(format!("Cal.com did not answer ({other}); nothing was saved"))),
        }
    }
    Ok(())
}
