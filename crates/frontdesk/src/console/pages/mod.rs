//! The console's HTML pages (server-rendered with maud; forms work without script).

pub mod appointment;
pub mod businesses;
pub mod callbacks;
pub mod calls;
pub mod customers;
pub mod day;
pub mod layout;
pub mod login;
pub mod ops;
pub mod retell;
pub mod settings;
pub mod staff;
pub mod staff_day;
pub mod waitlist;
pub mod welcome;

use crate::speech::{word, PageWord};
use super::session::{operator_of, Operator, Unauthenticated};
use crate::app::AppState;
use crate::domain::{CompanyId, Language};
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use maud::html;
use serde::Deserialize;

/// A signed-in operator on a page; without a session the browser is sent to the login form.
#[derive(Debug, Clone)]
pub struct PageOperator(pub Operator);

/// What a page answers when nobody is signed in.
#[derive(Debug)]
pub struct ToLogin(Unauthenticated);

impl IntoResponse for ToLogin {
    fn into_response(self) -> Response {
        match self.0 {
            Unauthenticated::Missing => Redirect::to("/admin/login").into_response(),
            Unauthenticated::Unavailable => {
                let body = layout::bare(
                    Language::default(),
                    "frontdesk",
                    html! { p { "Die Datenbank antwortet gerade nicht. The database is not answering right now." } },
                );
                (StatusCode::SERVICE_UNAVAILABLE, body).into_response()
            }
        }
    }
}

impl FromRequestParts<AppState> for PageOperator {
    type Rejection = ToLogin;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        // Pages are for people: the bearer token opens the API only.
        if parts.headers.contains_key(axum::http::header::AUTHORIZATION) {
            return Err(ToLogin(Unauthenticated::Missing));
        }
        operator_of(state, &parts.headers, state.now()).await.map(PageOperator).map_err(ToLogin)
    }
}

/// A form that carries only its CSRF token.
#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    /// The session's token.
    #[serde(default)]
    pub csrf: String,
}

/// 403 for a form without its token.
pub fn forbidden(language: Language) -> Response {
    let body = layout::bare(
        language,
        word(language, PageWord::NotAllowed),
        html! { p { (word(language, PageWord::TheFormExpiredOrDid)) } p { a href="/admin/today" { "frontdesk" } } },
    );
    (StatusCode::FORBIDDEN, body).into_response()
}

/// 404 for what does not exist or belongs to another company (the two look the same).
pub fn not_found(language: Language) -> Response {
    let body = layout::bare(
        language,
        word(language, PageWord::NotFound),
        html! { p { (word(language, PageWord::ThisPageDoesNotExist)) } p { a href="/admin/today" { "frontdesk" } } },
    );
    (StatusCode::NOT_FOUND, body).into_response()
}

/// A page shown again after a refused form (the reason on it, what was typed in it): 422.
pub fn refused_form(mut page: Response) -> Response {
    *page.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    page
}

/// A number as someone typed it into a form, read in the branch's country; else the sentence
/// that says it could not be read, with (at most 30 characters of) what was typed.
pub fn typed_phone(
    language: Language,
    branch: &crate::domain::Branch,
    typed: &str,
) -> Result<crate::domain::PhoneNumber, String> {
    let typed = typed.trim();
    crate::domain::PhoneNumber::read(typed, branch.country()).map_err(|_| {
        let said = crate::speech::echo(&typed.chars().take(30).collect::<String>());
        format!("{} {said}", word(language, crate::speech::DayWord::PhoneNotUnderstood))
    })
}

/// `GET /admin/`: the day.
pub async fn home() -> Redirect {
    Redirect::to("/admin/today")
}

/// The language switch.
#[derive(Debug, Deserialize)]
pub struct LanguageForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    language: String,
}

/// `POST /admin/language`: the console in German or English for this login.
pub async fn set_language(
    State(state): State<AppState>,
    PageOperator(operator): PageOperator,
    headers: axum::http::HeaderMap,
    Form(form): Form<LanguageForm>,
) -> Response {
    if !operator.csrf_matches(Some(&form.csrf)) {
        return forbidden(operator.language);
    }
    let Ok(language) = Language::parse(&form.language) else { return not_found(operator.language) };
    if let Some(id) = operator.id {
        if let Err(error) = state.backends().store.set_operator_language(id, language.code()).await {
            tracing::error!(%error, "language could not be saved");
        }
    }
    Redirect::to(&back(&headers)).into_response()
}

/// The company switch of an admin.
#[derive(Debug, Deserialize)]
pub struct CompanyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    company: String,
}

/// `POST /admin/company`: an admin looks at another company.
pub async fn set_company(
    State(state): State<AppState>,
    PageOperator(operator): PageOperator,
    headers: axum::http::HeaderMap,
    Form(form): Form<CompanyForm>,
) -> Response {
    if !operator.csrf_matches(Some(&form.csrf)) {
        return forbidden(operator.language);
    }
    let company: Option<CompanyId> = form.company.trim().parse().ok().map(CompanyId);
    let exists = company.is_some_and(|id| !state.directory().of_company(id).is_empty());
    let (Some(company), true, true, Some(session)) =
        (company, exists, operator.is_admin(), operator.session.as_deref())
    else {
        return not_found(operator.language);
    };
    if let Err(error) = state.backends().store.set_session_company(session, company).await {
        tracing::error!(%error, "company switch failed");
    }
    Redirect::to(&back(&headers)).into_response()
}

/// Where a form sends the browser back to: the page it came from, if it was a console page.
fn back(headers: &axum::http::HeaderMap) -> String {
    headers
        .get(axum::http::header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.find("/admin/").map(|at| r[at..].to_string()))
        .filter(|path| !path.starts_with("/admin/login") && !path.contains(['\r', '\n']))
        .unwrap_or_else(|| "/admin/today".into())
}
