//! Logins for a new business: created without a password, with a one-time link to set one
//! (DESIGN §16 `POST /admin/api/companies/{id}/users`). Only the link's hash is stored.

use super::OnboardingError;
use crate::app::AppState;
use crate::console::session::{random_token, token_hash};
use crate::domain::{CompanyId, Language, NewPassword, OperatorEmail, Role};
use crate::operators::password;
use crate::store::{Invitation, NewOperator};
use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;

/// How long a link to set a password works.
pub const INVITE_HOURS: i64 = 72;
/// Where the link leads (the token follows).
pub const WELCOME_PATH: &str = "/admin/welcome/";

/// The body of `POST /admin/api/companies/{id}/users`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InviteRequest {
    /// The login's e-mail.
    pub email: String,
    /// `owner` or `staff` (admins are made with `frontdesk user add`).
    pub role: String,
    /// For staff: the staff member they are.
    #[serde(default)]
    pub staff: Option<String>,
    /// `de` or `en` (default: the company's language).
    #[serde(default)]
    pub language: Option<String>,
}

/// A login made, with its link.
#[derive(Debug, Clone)]
pub struct Invited {
    /// Login id.
    pub id: i64,
    /// E-mail as stored.
    pub email: String,
    /// Role.
    pub role: Role,
    /// The one-time link (absolute with `FRONTDESK_PUBLIC_URL`, else a path).
    pub link: String,
    /// Until when it works.
    pub expires_at: DateTime<Utc>,
}

/// The staff member a login of `role` stands for: a staff login names one (1 to 200 characters),
/// an owner none; an admin is no company's login.
fn staff_member(role: Role, staff: Option<&str>) -> Result<Option<String>, OnboardingError> {
    match (role, staff.map(str::trim)) {
        (Role::Admin, _) => Err(OnboardingError::Invalid("role: an admin sees every company and is not a company's login".into())),
        (Role::Staff, Some(name)) if !name.is_empty() && name.chars().count() <= 200 => Ok(Some(name.to_string())),
        (Role::Staff, _) => Err(OnboardingError::Invalid("staff: the staff member's name is required for a staff login".into())),
        (Role::Owner, _) => Ok(None),
    }
}

/// A login read from a request and checked, its link's token drawn: ready to be stored.
#[derive(Debug)]
pub struct PreparedLogin {
    email: OperatorEmail,
    role: Role,
    staff: Option<String>,
    language: Language,
    password_hash: String,
    token: String,
    /// What is stored of the token.
    token_hash: String,
    expires_at: DateTime<Utc>,
}

impl PreparedLogin {
    /// Reads an invite's JSON body for a company whose language is `company_language`.
    pub fn read(state: &AppState, company_language: &str, body: &[u8]) -> Result<Self, OnboardingError> {
        let request: InviteRequest = serde_json::from_slice(body).map_err(|e| OnboardingError::Invalid(format!("body: {e}")))?;
        let email = OperatorEmail::parse(&request.email).map_err(|e| OnboardingError::Invalid(format!("email {e}")))?;
        let role = Role::parse(&request.role).map_err(|e| OnboardingError::Invalid(format!("role: {e}")))?;
        if role == Role::Owner && request.staff.is_some() {
            return Err(OnboardingError::Invalid("staff: only for role staff".into()));
        }
        let staff = staff_member(role, request.staff.as_deref())?;
        let language = Language::parse(request.language.as_deref().unwrap_or(company_language))
            .map_err(|e| OnboardingError::Invalid(format!("language: {e}")))?;
        // Until the link is used the login has a password nobody knows: signing in fails exactly as
        // with a wrong password, and takes as long.
        let unknowable = NewPassword::parse(&random_token()).map_err(OnboardingError::Invalid)?;
        let password_hash = password::hash(&unknowable).map_err(OnboardingError::Invalid)?;
        let expires_at = state.now() + Duration::hours(INVITE_HOURS);
        let token = random_token();
        Ok(Self { email, role, staff, language, password_hash, token_hash: token_hash(&token), token, expires_at })
    }

    /// What the store keeps of it (the link's hash, never the token), for `company` (`None`: a
    /// company the store is creating with it gives its id).
    pub fn invitation(&self, company: Option<CompanyId>) -> Invitation<'_> {
        let login = NewOperator {
            email: self.email.as_str(),
            password_hash: &self.password_hash,
            role: self.role.as_str(),
            company_id: company,
            staff_name: self.staff.as_deref(),
            language: self.language.code(),
        };
        Invitation { login, token_hash: &self.token_hash, expires_at: self.expires_at }
    }

    /// The login as stored under `id`, with its link.
    pub fn invited(self, state: &AppState, id: i64) -> Invited {
        let base = state.console().public_url.as_deref().unwrap_or("").trim_end_matches('/');
        let link = format!("{base}{WELCOME_PATH}{}", self.token);
        Invited { id, email: self.email.as_str().to_string(), role: self.role, link, expires_at: self.expires_at }
    }
}

/// Creates a login of `company` from a JSON body, with a one-time link to set its password.
pub async fn invite(state: &AppState, company: CompanyId, body: &[u8]) -> Result<Invited, OnboardingError> {
    let draft = state.backends().store.company_draft(company).await?.ok_or(OnboardingError::NotFound)?;
    let login = PreparedLogin::read(state, &draft.language, body)?;
    let id = state.backends().store.invite_operator(&login.invitation(Some(company))).await?;
    tracing::info!(company = company.0, login = id, "login invited");
    Ok(login.invited(state, id))
}

/// The body of `PATCH /admin/api/companies/{id}/users/{user}`: what to change.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginChange {
    /// `owner` or `staff`.
    #[serde(default)]
    pub role: Option<String>,
    /// For staff: the staff member they are.
    #[serde(default)]
    pub staff: Option<String>,
    /// `de` or `en`.
    #[serde(default)]
    pub language: Option<String>,
}

/// Changes a login of `company` by the rules a new one is made by.
pub async fn change(state: &AppState, company: CompanyId, id: i64, body: &[u8]) -> Result<(), OnboardingError> {
    let change: LoginChange = serde_json::from_slice(body).map_err(|e| OnboardingError::Invalid(format!("body: {e}")))?;
    let store = &state.backends().store;
    let current = store.operators_of(company).await?.into_iter().find(|o| o.id == id).ok_or(OnboardingError::NotFound)?;
    let role = Role::parse(change.role.as_deref().unwrap_or(&current.role)).map_err(|e| OnboardingError::Invalid(format!("role: {e}")))?;
    let staff = staff_member(role, change.staff.as_deref().or(current.staff_name.as_deref()))?;
    let language = Language::parse(change.language.as_deref().unwrap_or(&current.language))
        .map_err(|e| OnboardingError::Invalid(format!("language: {e}")))?;
    if !store.change_operator(company, id, role.as_str(), staff.as_deref(), language.code()).await? {
        return Err(OnboardingError::NotFound);
    }
    Ok(())
}
