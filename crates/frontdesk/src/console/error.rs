//! The console API's one error type: always JSON, never a stack trace or another company's data.

use super::session::Unauthenticated;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

/// A refusal as the API answers it (the body of every [`ConsoleError`]), for the OpenAPI document.
#[derive(Debug, Serialize, ToSchema)]
pub struct Failure {
    /// Always `false`.
    pub success: bool,
    /// `bad_request`, `unauthorized`, `forbidden`, `not_found`, `conflict`, `upcoming_appointments`, `upstream`, `unavailable`, `csrf`.
    pub error: String,
    /// What was wrong, in a sentence.
    pub message: String,
    /// With `upcoming_appointments`: those that stand in the way.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub appointments: Option<Vec<crate::store::UpcomingAppointment>>,
}

/// Why a console API request was refused.
#[derive(Debug, thiserror::Error)]
pub enum ConsoleError {
    /// No or wrong credentials.
    #[error("sign in or send the admin token")]
    Unauthorized,
    /// Signed in, but not allowed to do this (e.g. an owner reloading every tenant).
    #[error("{0}")]
    Forbidden(&'static str),
    /// Not there, or another company's (the two are not told apart).
    #[error("not found")]
    NotFound,
    /// Input that does not parse.
    #[error("{0}")]
    BadRequest(String),
    /// The form's token did not match the session's.
    #[error("the form's CSRF token is missing or wrong; reload the page")]
    Csrf,
    /// The request is understood but the thing is not in a state to do it (a time taken since).
    #[error("{0}")]
    Conflict(String),
    /// Something the service cannot do now (the database, the tenants file).
    #[error("{0}")]
    Unavailable(String),
    /// Appointments still to come stand in the way (a deletion); they are listed in the answer.
    #[error("{0}")]
    Blocked(String, Vec<crate::store::UpcomingAppointment>),
    /// An outside service (Cal.com, Retell) refused or did not answer; its words are kept.
    #[error("{0}")]
    Upstream(String),
}

impl ConsoleError {
    fn parts(&self) -> (StatusCode, &'static str) {
        match self {
            Self::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            Self::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            Self::NotFound => (StatusCode::NOT_FOUND, "not_found"),
            Self::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            Self::Csrf => (StatusCode::FORBIDDEN, "csrf"),
            Self::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            Self::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
            Self::Blocked(..) => (StatusCode::CONFLICT, "upcoming_appointments"),
            Self::Upstream(_) => (StatusCode::BAD_GATEWAY, "upstream"),
        }
    }
}

impl From<crate::store::StoreError> for ConsoleError {
    fn from(error: crate::store::StoreError) -> Self {
        tracing::error!(%error, "console query failed");
        Self::Unavailable("the database did not answer; try again".into())
    }
}

impl From<Unauthenticated> for ConsoleError {
    fn from(reason: Unauthenticated) -> Self {
        match reason {
            Unauthenticated::Missing => Self::Unauthorized,
            Unauthenticated::Unavailable => Self::Unavailable("the database did not answer; try again".into()),
        }
    }
}

impl From<crate::onboarding::OnboardingError> for ConsoleError {
    fn from(error: crate::onboarding::OnboardingError) -> Self {
        use crate::onboarding::OnboardingError as E;
        match error {
            E::Invalid(why) => Self::BadRequest(why),
            E::Conflict(why) => Self::Conflict(why),
            ref blocked @ E::Upcoming(ref list) => Self::Blocked(blocked.to_string(), list.clone()),
            E::NotFound => Self::NotFound,
            E::Upstream(why) => Self::Upstream(why),
            E::Store(error) => error.into(),
        }
    }
}

impl IntoResponse for ConsoleError {
    fn into_response(self) -> Response {
        let (status, code) = self.parts();
        let message = self.to_string();
        let appointments = match self {
            Self::Blocked(_, appointments) => Some(appointments),
            _ => None,
        };
        // the answer is the documented shape itself, so the two cannot drift
        (status, Json(Failure { success: false, error: code.to_string(), message, appointments })).into_response()
    }
}

impl IntoResponse for Unauthenticated {
    fn into_response(self) -> Response {
        ConsoleError::from(self).into_response()
    }
}
