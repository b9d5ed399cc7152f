//! `/admin/api/companies…` and `/admin/api/branches…` (DESIGN §16): tenants through the API.
//! Admins (token or login) may do everything; an owner reads and changes their own company and
//! its branches, invites its logins and connects its Cal.com and Retell; anything of another
//! company is not found. Bodies are read by the handlers themselves, so that every refusal is
//! the API's JSON and matches the OpenAPI document.

use super::api::csrf;
use super::error::{ConsoleError, Failure};
use super::session::Operator;
use crate::app::AppState;
use crate::domain::{BranchId, CompanyId, Role};
use crate::onboarding::{calcom_connect, companies, invites, retell};
use crate::tenants::{BranchDraft, CompanyDraft};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

/// A company or branch created.
#[derive(Debug, Serialize, ToSchema)]
pub struct Created {
    /// Its id.
    pub id: i64,
    /// For a company: the ids of the branches created with it, in the body's order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub branches: Option<Vec<i64>>,
}

/// A deletion or change done.
#[derive(Debug, Serialize, ToSchema)]
pub struct Done {
    /// Always `true`.
    pub success: bool,
    /// The id it concerned.
    pub id: i64,
}

/// A branch as listed with its company.
#[derive(Debug, Serialize, ToSchema)]
pub struct BranchSummary {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// The numbers callers dial.
    pub phone_numbers: Vec<String>,
}

/// A company as listed.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompanySummary {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Its branches.
    pub branches: Vec<BranchSummary>,
}

/// `GET /admin/api/companies`.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompanyList {
    /// The companies the caller may see.
    pub companies: Vec<CompanySummary>,
}

/// `GET /admin/api/companies/{id}`: its keys without secrets, which secrets are set, its branches.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompanyView {
    /// Id.
    pub id: i64,
    /// The company's keys as the tenants file writes them; secrets are left out.
    pub company: CompanyDraft,
    /// Names of the secret keys that are set (`calcom_api_key`, …).
    pub secrets_set: Vec<String>,
    /// Its branches.
    pub branches: Vec<BranchSummary>,
    /// Whether it was created or changed through the API (then the tenants file no longer overwrites it).
    pub managed_by_api: bool,
}

/// Where a branch stands with Retell.
#[derive(Debug, Serialize, ToSchema)]
pub struct RetellView {
    /// `none`, `provisioned`, `outdated` or `failed`.
    pub state: String,
    /// Retell's words when it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The LLM's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub llm_id: Option<String>,
    /// The agent's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<String>,
}

/// `GET /admin/api/branches/{id}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct BranchView {
    /// Id.
    pub id: i64,
    /// Its company.
    pub company_id: i64,
    /// The branch as the tenants file writes it (absences live at `/admin/api/staff/{id}/absences`).
    pub branch: BranchDraft,
    /// Where it stands with Retell.
    pub retell: RetellView,
}

/// A login made, with its one-time link.
#[derive(Debug, Serialize, ToSchema)]
pub struct InviteView {
    /// Login id.
    pub id: i64,
    /// E-mail.
    pub email: String,
    /// `owner` or `staff`.
    pub role: String,
    /// Opened once, it sets the password (valid 72 hours).
    pub set_password_url: String,
    /// When the link stops working.
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// A login of a company.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    /// Login id.
    pub id: i64,
    /// E-mail.
    pub email: String,
    /// `owner` or `staff`.
    pub role: String,
    /// For staff: the staff member they are.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub staff: Option<String>,
    /// `de` or `en`.
    pub language: String,
}

/// `GET /admin/api/companies/{id}/users`.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserList {
    /// The company's logins, by e-mail.
    pub users: Vec<UserView>,
}

/// A service matched to an event type.
#[derive(Debug, Serialize, ToSchema)]
pub struct Match {
    /// The service.
    pub service: String,
    /// The event type's id.
    pub event_type_id: i64,
    /// The event type's title.
    pub title: String,
}

/// An event type no service is named after.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventTypeName {
    /// Id.
    pub id: i64,
    /// Title.
    pub title: String,
}

/// What connecting Cal.com did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConnectView {
    /// Always `true`.
    pub success: bool,
    /// Services and the event types they now book.
    pub matched: Vec<Match>,
    /// Services without an event type of their name (the calendar stays as it was until there is none).
    pub unmatched_services: Vec<String>,
    /// Event types no service is named after.
    pub unused_event_types: Vec<EventTypeName>,
    /// The webhook registered at Cal.com.
    pub webhook_id: String,
    /// Whether the company now books in Cal.com.
    pub calendar_switched: bool,
}

/// What provisioning did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProvisionView {
    /// Always `true`.
    pub success: bool,
    /// The branch's LLM.
    pub llm_id: String,
    /// The branch's agent.
    pub agent_id: String,
    /// Its numbers, bound to the agent.
    pub numbers: Vec<String>,
    /// Created in this run (`llm`, `agent`).
    pub created: Vec<String>,
    /// Updated in this run (`llm`, `agent`, `number`).
    pub updated: Vec<String>,
}

type Answer<T> = Result<Json<T>, ConsoleError>;
type CreatedAnswer<T> = Result<(StatusCode, Json<T>), ConsoleError>;

/// An id from the path; anything else is nobody's.
fn id_of(text: &str) -> Result<i64, ConsoleError> {
    text.parse::<i64>().map_err(|_| ConsoleError::NotFound)
}

/// Admins only (owners and staff get 403).
fn admin(operator: &Operator) -> Result<(), ConsoleError> {
    if operator.is_admin() {
        Ok(())
    } else {
        Err(ConsoleError::Forbidden("only an admin does this"))
    }
}

/// The companies an operator may act on: admins any (`None`), owners their own; staff none.
pub(crate) fn scope(operator: &Operator) -> Result<Option<CompanyId>, ConsoleError> {
    match operator.role {
        Role::Admin => Ok(None),
        Role::Owner => Ok(operator.company),
        Role::Staff => Err(ConsoleError::Forbidden("a staff login does not change the business")),
    }
}

/// The company `id` if the operator may act on it (another company's is not found).
fn company_in_scope(operator: &Operator, id: &str) -> Result<CompanyId, ConsoleError> {
    let id = CompanyId(id_of(id)?);
    match scope(operator)? {
        Some(own) if own != id => Err(ConsoleError::NotFound),
        _ => Ok(id),
    }
}

fn summary(ctx: &crate::domain::BranchContext) -> BranchSummary {
    BranchSummary {
        id: ctx.branch.id.0,
        name: ctx.branch.name.clone(),
        phone_numbers: ctx.branch.phone_numbers.iter().map(|n| n.as_str().to_string()).collect(),
    }
}

/// List the companies (admins: all; owners: their own).
#[utoipa::path(get, path = "/admin/api/companies", tag = "tenants",
    responses((status = 200, body = CompanyList), (status = 401, body = Failure), (status = 403, body = Failure), (status = 503, body = Failure)))]
pub async fn list_companies(State(state): State<AppState>, operator: Operator) -> Answer<CompanyList> {
    let scope = scope(&operator)?;
    let drafts = state.backends().store.company_drafts().await?;
    let directory = state.directory();
    let companies = drafts
        .into_iter()
        .filter(|(id, _)| scope.is_none_or(|own| own == *id))
        .map(|(id, draft)| CompanySummary {
            id: id.0,
            name: draft.name,
            branches: directory.of_company(id).iter().map(|ctx| summary(ctx)).collect(),
        })
        .collect();
    Ok(Json(CompanyList { companies }))
}

/// Create a company (the keys of the tenants file; `branches` may come along). Admins only.
#[utoipa::path(post, path = "/admin/api/companies", tag = "tenants", request_body = CompanyDraft,
    responses((status = 201, body = Created), (status = 400, body = Failure), (status = 401, body = Failure), (status = 403, body = Failure),
        (status = 409, body = Failure), (status = 502, body = Failure), (status = 503, body = Failure)))]
pub async fn create_company(State(state): State<AppState>, operator: Operator, headers: HeaderMap, body: Bytes) -> CreatedAnswer<Created> {
    csrf(&operator, &headers)?;
    admin(&operator)?;
    let (id, branches) = companies::create_company(&state, &body).await?;
    tracing::info!(company = id.0, by = %operator.email, "company created");
    Ok((StatusCode::CREATED, Json(Created { id: id.0, branches: Some(branches.iter().map(|b| b.0).collect()) })))
}

/// Read a company: its keys (secrets left out), which secrets are set, its branches.
#[utoipa::path(get, path = "/admin/api/companies/{id}", tag = "tenants", params(("id" = i64, Path, description = "company id")),
    responses((status = 200, body = CompanyView), (status = 401, body = Failure), (status = 403, body = Failure), (status = 404, body = Failure), (status = 503, body = Failure)))]
pub async fn get_company(State(state): State<AppState>, operator: Operator, Path(id): Path<String>) -> Answer<CompanyView> {
    let id = company_in_scope(&operator, &id)?;
    let store = &state.backends().store;
    let mut company = store.company_draft(id).await?.ok_or(ConsoleError::NotFound)?;
    let secrets_set = strip_secrets(&mut company);
    let branches = state.directory().of_company(id).iter().map(|ctx| summary(ctx)).collect();
    let managed_by_api = store.is_api_managed(id).await?;
    Ok(Json(CompanyView { id: id.0, company, secrets_set, branches, managed_by_api }))
}

/// Takes the secrets out of a draft; returns the names of those that were set.
fn strip_secrets(company: &mut CompanyDraft) -> Vec<String> {
    let mut set = Vec::new();
    for (name, value) in [
        ("calcom_api_key", &mut company.calcom_api_key),
        ("retell_api_key", &mut company.retell_api_key),
        ("notify_webhook_secret", &mut company.notify_webhook_secret),
        ("sms_auth_token", &mut company.sms_auth_token),
    ] {
        if value.take().is_some() {
            set.push(name.to_string());
        }
    }
    set
}

/// Change a company's keys (JSON Merge Patch: keys left out stay, `null` removes).
#[utoipa::path(patch, path = "/admin/api/companies/{id}", tag = "tenants", params(("id" = i64, Path, description = "company id")),
    request_body(content = Object, description = "the keys to change (JSON Merge Patch of the company's keys)"),
    responses((status = 200, body = Done), (status = 400, body = Failure), (status = 401, body = Failure), (status = 403, body = Failure),
        (status = 404, body = Failure), (status = 409, body = Failure), (status = 502, body = Failure), (status = 503, body = Failure)))]
pub async fn patch_company(State(state): State<AppState>, operator: Operator, headers: HeaderMap, Path(id): Path<String>, body: Bytes) -> Answer<Done> {
    csrf(&operator, &headers)?;
    let id = company_in_scope(&operator, &id)?;
    companies::patch_company(&state, id, &body).await?;
    Ok(Json(Done { success: true, id: id.0 }))
}

/// Delete a company (refused while appointments are still to come). Admins only.
#[utoipa::path(delete, path = "/admin/api/companies/{id}", tag = "tenants", params(("id" = i64, Path, description = "company id")),
    responses((status = 200, body = Done), (status = 401, body = Failure), (status = 403, body = Failure), (status = 404, body = Failure),
        (status = 409, body = Failure), (status = 503, body = Failure)))]
pub async fn delete_company(State(state): State<AppState>, operator: Operator, headers: HeaderMap, Path(id): Path<String>) -> Answer<Done> {
    csrf(&operator, &headers)?;
    admin(&operator)?;
    let id = CompanyId(id_of(&id)?);
    companies::delete_company(&state, id).await?;
    tracing::info!(company = id.0, by = %operator.email, "company deleted");
    Ok(Json(Done { success: true, id: id.0 }))
}

/// Create a branch of a company (numbers, hours, services, staff, resources). Admins only.
#[utoipa::path(post, path = "/admin/api/companies/{id}/branches", tag = "tenants", params(("id" = i64, Path, description = "company id")),
    request_body = BranchDraft,
    responses((status = 201, body = Created), (status = 400, body = Failure), (status = 401, body = Failure), (status = 403, body = Failure),
        (status = 404, body = Failure), (status = 409, body = Failure), (status = 502, body = Failure), (status = 503, body = Failure)))]
pub async fn create_branch(State(state): State<AppState>, operator: Operator, headers: HeaderMap, Path(id): Path<String>, body: Bytes) -> CreatedAnswer<Created> {
    csrf(&operator, &headers)?;
    admin(&operator)?;
    let company = CompanyId(id_of(&id)?);
    let id = companies::create_branch(&state, company, &body).await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.0, branches: None })))
}

/// Read a branch as the tenants file writes it, and where it stands with Retell.
#[utoipa::path(get, path = "/admin/api/branches/{id}", tag = "tenants", params(("id" = i64, Path, description = "branch id")),
    responses((status = 200, body = BranchView), (status = 401, body = Failure), (status = 403, body = Failure), (status = 404, body = Failure), (status = 503, body = Failure)))]
pub async fn get_branch(State(state): State<AppState>, operator: Operator, Path(id): Path<String>) -> Answer<BranchView> {
    let ctx = companies::branch_in_scope(&state, scope(&operator)?, BranchId(id_of(&id)?))?;
    let retell = retell_view(&state, &ctx).await?;
    Ok(Json(BranchView { id: ctx.branch.id.0, company_id: ctx.company.id.0, branch: BranchDraft::of(&ctx), retell }))
}

/// Where a branch stands with Retell, for the API and the console.
pub async fn retell_view(state: &AppState, ctx: &crate::domain::BranchContext) -> Result<RetellView, ConsoleError> {
    let record = state.backends().store.retell_provision(ctx.branch.id).await?;
    let provision_state = match retell::Provisioner::of(state) {
        Ok(provisioner) => provisioner.state(ctx, &record),
        Err(_) if record.error.is_some() => retell::ProvisionState::Failed(record.error.clone().unwrap_or_default()),
        Err(_) if record.llm_id.is_some() => retell::ProvisionState::Outdated,
        Err(_) => retell::ProvisionState::None,
    };
    let (name, error) = match provision_state {
        retell::ProvisionState::None => ("none", None),
        retell::ProvisionState::Provisioned => ("provisioned", None),
        retell::ProvisionState::Outdated => ("outdated", None),
        retell::ProvisionState::Failed(error) => ("failed", Some(error)),
    };
    Ok(RetellView { state: name.into(), error, llm_id: record.llm_id, agent_id: record.agent_id })
}

/// Change a branch (JSON Merge Patch of its tenants-file form; lists are replaced whole).
#[utoipa::path(patch, path = "/admin/api/branches/{id}", tag = "tenants", params(("id" = i64, Path, description = "branch id")),
    request_body(content = Object, description = "the keys to change (JSON Merge Patch of the branch)"),
    responses((status = 200, body = Done), (status = 400, body = Failure), (status = 401, body = Failure), (status = 403, body = Failure),
        (status = 404, body = Failure), (status = 409, body = Failure), (status = 502, body = Failure), (status = 503, body = Failure)))]
pub async fn patch_branch(State(state): State<AppState>, operator: Operator, headers: HeaderMap, Path(id): Path<String>, body: Bytes) -> Answer<Done> {
    csrf(&operator, &headers)?;
    let id = BranchId(id_of(&id)?);
    companies::patch_branch(&state, scope(&operator)?, id, &body).await?;
    Ok(Json(Done { success: true, id: id.0 }))
}

/// Delete a branch (refused while appointments are still to come there). Admins only.
#[utoipa::path(delete, path = "/admin/api/branches/{id}", tag = "tenants", params(("id" = i64, Path, description = "branch id")),
    responses((status = 200, body = Done), (status = 401, body = Failure), (status = 403, body = Failure), (status = 404, body = Failure),
        (status = 409, body = Failure), (status = 503, body = Failure)))]
pub async fn delete_branch(State(state): State<AppState>, operator: Operator, headers: HeaderMap, Path(id): Path<String>) -> Answer<Done> {
    csrf(&operator, &headers)?;
    admin(&operator)?;
    let id = BranchId(id_of(&id)?);
    companies::delete_branch(&state, None, id).await?;
    tracing::info!(branch = id.0, by = %operator.email, "branch deleted");
    Ok(Json(Done { success: true, id: id.0 }))
}

/// Create a login of a company (`owner` or `staff`) with a one-time link to set its password.
#[utoipa::path(post, path = "/admin/api/companies/{id}/users", tag = "tenants", params(("id" = i64, Path, description = "company id")),
    request_body(content = Object, description = "`{\"email\", \"role\": \"owner\" | \"staff\", \"staff\"?, \"language\"?}`"),
    responses((status = 201, body = InviteView), (status = 400, body = Failure), (status = 401, body = Failure), (status = 403, body = Failure),
        (status = 404, body = Failure), (status = 409, body = Failure), (status = 503, body = Failure)))]
pub async fn create_user(State(state): State<AppState>, operator: Operator, headers: HeaderMap, Path(id): Path<String>, body: Bytes) -> CreatedAnswer<InviteView> {
    csrf(&operator, &headers)?;
    let company = company_in_scope(&operator, &id)?;
    let invited = invites::invite(&state, company, &body).await?;
    Ok((
        StatusCode::CREATED,
        Json(InviteView {
            id: invited.id,
            email: invited.email,
            role: invited.role.as_str().to_string(),
            set_password_url: invited.link,
            expires_at: invited.expires_at,
        }),
    ))
}

/// The logins of a company (passwords are never shown).
#[utoipa::path(get, path = "/admin/api/companies/{id}/users", tag = "tenants", params(("id" = i64, Path, description = "company id")),
    responses((status = 200, body = UserList), (status = 401, body = Failure), (status = 403, body = Failure), (status = 404, body = Failure), (status = 503, body = Failure)))]
pub async fn list_users(State(state): State<AppState>, operator: Operator, Path(id): Path<String>) -> Answer<UserList> {
    let company = company_in_scope(&operator, &id)?;
    state.backends().store.company_draft(company).await?.ok_or(ConsoleError::NotFound)?;
    let users = state
        .backends()
        .store
        .operators_of(company)
        .await?
        .into_iter()
        .map(|o| UserView { id: o.id, email: o.email, role: o.role, staff: o.staff_name, language: o.language })
        .collect();
    Ok(Json(UserList { users }))
}

/// Change a login's role, staff member or language (its sessions end).
#[utoipa::path(patch, path = "/admin/api/companies/{id}/users/{user}", tag = "tenants",
    params(("id" = i64, Path, description = "company id"), ("user" = i64, Path, description = "login id")),
    request_body(content = Object, description = "`{\"role\"?, \"staff\"?, \"language\"?}`"),
    responses((status = 200, body = Done), (status = 400, body = Failure), (status = 401, body = Failure), (status = 403, body = Failure),
        (status = 404, body = Failure), (status = 503, body = Failure)))]
pub async fn change_user(
    State(state): State<AppState>,
    operator: Operator,
    headers: HeaderMap,
    Path((id, user)): Path<(String, String)>,
    body: Bytes,
) -> Answer<Done> {
    csrf(&operator, &headers)?;
    let company = company_in_scope(&operator, &id)?;
    let user = id_of(&user)?;
    invites::change(&state, company, user, &body).await?;
    Ok(Json(Done { success: true, id: user }))
}

/// Delete a login (not one's own).
#[utoipa::path(delete, path = "/admin/api/companies/{id}/users/{user}", tag = "tenants",
    params(("id" = i64, Path, description = "company id"), ("user" = i64, Path, description = "login id")),
    responses((status = 200, body = Done), (status = 400, body = Failure), (status = 401, body = Failure), (status = 403, body = Failure),
        (status = 404, body = Failure), (status = 503, body = Failure)))]
pub async fn delete_user(
    State(state): State<AppState>,
    operator: Operator,
    headers: HeaderMap,
    Path((id, user)): Path<(String, String)>,
) -> Answer<Done> {
    csrf(&operator, &headers)?;
    let company = company_in_scope(&operator, &id)?;
    let user = id_of(&user)?;
    if operator.id == Some(user) {
        return Err(ConsoleError::BadRequest("a login does not delete itself".into()));
    }
    if !state.backends().store.delete_operator(company, user).await? {
        return Err(ConsoleError::NotFound);
    }
    tracing::info!(company = company.0, login = user, by = %operator.email, "login deleted");
    Ok(Json(Done { success: true, id: user }))
}

/// Connect a company to Cal.com: check the key, match event types to services by name, register the webhook.
#[utoipa::path(post, path = "/admin/api/companies/{id}/calcom/connect", tag = "tenants", params(("id" = i64, Path, description = "company id")),
    request_body(content = Object, description = "`{\"api_key\": \"cal_live_…\"}`"),
    responses((status = 200, body = ConnectView), (status = 400, body = Failure), (status = 401, body = Failure), (status = 403, body = Failure),
        (status = 404, body = Failure), (status = 502, body = Failure), (status = 503, body = Failure)))]
pub async fn connect_calcom(State(state): State<AppState>, operator: Operator, headers: HeaderMap, Path(id): Path<String>, body: Bytes) -> Answer<ConnectView> {
    csrf(&operator, &headers)?;
    let company = company_in_scope(&operator, &id)?;
    let connected = calcom_connect::connect(&state, company, &body).await?;
    Ok(Json(ConnectView {
        success: true,
        matched: connected.matched.into_iter().map(|(service, event_type_id, title)| Match { service, event_type_id, title }).collect(),
        unmatched_services: connected.unmatched_services,
        unused_event_types: connected.unused_event_types.into_iter().map(|(id, title)| EventTypeName { id, title }).collect(),
        webhook_id: connected.webhook_id,
        calendar_switched: connected.calendar_switched,
    }))
}

/// Create or update the branch's Retell LLM, agent and number bindings (idempotent).
#[utoipa::path(post, path = "/admin/api/branches/{id}/retell/provision", tag = "tenants", params(("id" = i64, Path, description = "branch id")),
    responses((status = 200, body = ProvisionView), (status = 400, body = Failure), (status = 401, body = Failure), (status = 403, body = Failure),
        (status = 404, body = Failure), (status = 409, body = Failure), (status = 502, body = Failure), (status = 503, body = Failure)))]
pub async fn provision_retell(State(state): State<AppState>, operator: Operator, headers: HeaderMap, Path(id): Path<String>) -> Answer<ProvisionView> {
    csrf(&operator, &headers)?;
    let ctx = companies::branch_in_scope(&state, scope(&operator)?, BranchId(id_of(&id)?))?;
    let report = provision(&state, &ctx).await?;
    Ok(Json(ProvisionView {
        success: true,
        llm_id: report.llm_id,
        agent_id: report.agent_id,
        numbers: report.numbers,
        created: report.created.iter().map(|s| s.to_string()).collect(),
        updated: report.updated.iter().map(|s| s.to_string()).collect(),
    }))
}

/// Provisions a branch and reloads the directory (the agent now names the branch).
pub async fn provision(state: &AppState, ctx: &crate::domain::BranchContext) -> Result<retell::Report, ConsoleError> {
    let report = retell::Provisioner::of(state)?.provision(ctx).await?;
    state.tenants().changed(crate::tenants::Changed::Branch(ctx.branch.id)).await?;
    Ok(report)
}
