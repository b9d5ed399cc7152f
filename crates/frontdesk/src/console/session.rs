//! Who is asking: a session cookie (pages and API) or the admin bearer token (API), resolved
//! into an [`Operator`] whose scope every query is bound to.

use crate::app::AppState;
use crate::domain::{CompanyId, Language, Role};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use chrono::{DateTime, Duration, Utc};
use cookie::{Cookie, SameSite};
use hmac::digest::Digest;
use sha2::Sha256;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "frontdesk_session";
/// How long a session lasts after login.
pub const SESSION_HOURS: i64 = 12;

/// A signed-in person (or the bearer token) and what they may see.
#[derive(Debug, Clone)]
pub struct Operator {
    /// Login id (`None` for the bearer token).
    pub id: Option<i64>,
    /// E-mail, or `admin token`.
    pub email: String,
    /// Role.
    pub role: Role,
    /// The company every read and write is bound to; `None` = every company (admins only).
    pub company: Option<CompanyId>,
    /// A staff login sees only this staff member's appointments.
    pub staff_name: Option<String>,
    /// Console language.
    pub language: Language,
    /// The session's form token (`None` for the bearer token: no cookie, nothing to forge).
    pub csrf: Option<String>,
    /// The session's token hash (to log out or switch company).
    pub session: Option<String>,
}

impl Operator {
    /// Whether this login may see every company.
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// Whether a submitted form or header token is this session's (constant time). The bearer
    /// token needs none.
    pub fn csrf_matches(&self, submitted: Option<&str>) -> bool {
        match (&self.csrf, submitted) {
            (None, _) => true,
            (Some(expected), Some(given)) => constant_time_eq(expected.as_bytes(), given.as_bytes()),
            (Some(_), None) => false,
        }
    }
}

/// Compares secrets without leaking where they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A fresh random token (256 bits, hex).
pub fn random_token() -> String {
    hex::encode(rand::random::<[u8; 32]>())
}

/// What the database keeps of a session token: its SHA-256, so a leaked table opens nothing.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A cookie as the console sets it: HttpOnly, SameSite=Lax, limited to `/admin`, `Secure`
/// when the service is public over https.
pub fn cookie(state: &AppState, name: &'static str, value: String, max_age: Duration) -> String {
    let secure = state.console().public_url.as_deref().is_some_and(|u| u.starts_with("https://"));
    Cookie::build((name, value))
        .http_only(true)
        .same_site(SameSite::Lax)
        .path("/admin")
        .secure(secure)
        .max_age(cookie::time::Duration::seconds(max_age.num_seconds()))
        .build()
        .to_string()
}

/// The value of cookie `name` in the request, if any.
pub fn read_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_string())
}

/// Why no operator could be found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unauthenticated {
    /// No credentials, or expired or unknown ones.
    Missing,
    /// The database did not answer.
    Unavailable,
}

/// Resolves the operator of a request: bearer token first, then the session cookie.
pub async fn operator_of(
    state: &AppState,
    headers: &HeaderMap,
    now: DateTime<Utc>,
) -> Result<Operator, Unauthenticated> {
    if let Some(bearer) =
        headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "))
    {
        // A wrong bearer token is not retried as a cookie: it is refused.
        let Some(token) = &state.console().admin_token else { return Err(Unauthenticated::Missing) };
        if !constant_time_eq(bearer.trim().as_bytes(), token.expose().as_bytes()) {
            return Err(Unauthenticated::Missing);
        }
        return Ok(Operator {
            id: None,
            email: "admin token".into(),
            role: Role::Admin,
            company: None,
            staff_name: None,
            language: Language::En,
            csrf: None,
            session: None,
        });
    }
    let token = read_cookie(headers, SESSION_COOKIE).ok_or(Unauthenticated::Missing)?;
    // A cookie of another length was never ours: no database round trip for it.
    if token.len() != 64 {
        return Err(Unauthenticated::Missing);
    }
    let hash = token_hash(&token);
    let row = state.backends().store.session(&hash, now).await.map_err(|error| {
        tracing::error!(%error, "session lookup failed");
        Unauthenticated::Unavailable
    })?;
    let row = row.ok_or(Unauthenticated::Missing)?;
    let role = Role::parse(&row.operator.role).map_err(|_| Unauthenticated::Missing)?;
    let company = match role {
        Role::Admin => row.session_company_id,
        Role::Owner | Role::Staff => Some(row.operator.company_id.ok_or(Unauthenticated::Missing)?),
    };
    Ok(Operator {
        id: Some(row.operator.id),
        email: row.operator.email,
        role,
        company,
        staff_name: if role == Role::Staff { row.operator.staff_name } else { None },
        language: Language::parse(&row.operator.language).unwrap_or_default(),
        csrf: Some(row.csrf_token),
        session: Some(hash),
    })
}

impl FromRequestParts<AppState> for Operator {
    type Rejection = Unauthenticated;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        operator_of(state, &parts.headers, state.now()).await
    }
}

/// The session expiry for a login at `now`.
pub fn expires(now: DateTime<Utc>) -> DateTime<Utc> {
    now + Duration::hours(SESSION_HOURS)
}
