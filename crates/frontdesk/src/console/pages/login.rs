//! Signing in and out: a form with its own CSRF cookie, argon2 verification, throttling per
//! account and per address, a database session in an HttpOnly cookie.

use crate::speech::{word, OnboardingWord, PageWord};
use super::layout::bare;
use crate::operators::password;
use crate::console::session::{cookie, expires, random_token, read_cookie, token_hash, Operator, SESSION_COOKIE};
use crate::domain::{Language, OperatorEmail};
use crate::app::AppState;
use crate::http::ClientAddress;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use chrono::Duration;
use maud::html;
use serde::Deserialize;

/// The login form's own CSRF cookie (there is no session yet to hold the token).
const LOGIN_COOKIE: &str = "frontdesk_login";
/// Failed logins an account may have in [`THROTTLE_MINUTES`] before it is refused for a while.
pub const FAILURES_PER_ACCOUNT: i64 = 5;
/// Failed logins one address may have in [`THROTTLE_MINUTES`].
pub const FAILURES_PER_ADDRESS: i64 = 20;
/// The throttling window.
pub const THROTTLE_MINUTES: i64 = 15;

/// The language a browser asks for (`Accept-Language`), for people not signed in.
pub fn language_of(headers: &HeaderMap) -> Language {
    let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    Language::preferred(accept)
}

fn form(language: Language, token: &str, email: &str, problem: Option<&str>) -> maud::Markup {
    form_with_note(language, token, email, problem, None)
}

fn form_with_note(language: Language, token: &str, email: &str, problem: Option<&str>, note: Option<&str>) -> maud::Markup {
    let l = language;
    bare(
        l,
        word(l, PageWord::SignIn),
        html! {
            @if let Some(problem) = problem { div.notice.error role="alert" { (problem) } }
            @if let Some(note) = note { div.notice role="status" { (note) } }
            form method="post" action="/admin/login" {
                input type="hidden" name="csrf" value=(token);
                label { (word(l, PageWord::EMail)) input type="email" name="email" value=(email) autocomplete="username" required; }
                label { (word(l, PageWord::Password)) input type="password" name="password" autocomplete="current-password" required; }
                button type="submit" { (word(l, PageWord::SignIn)) }
            }
        },
    )
}

/// `GET /admin/login`: the form (signed-in operators go straight to their day).
pub async fn show(State(state): State<AppState>, headers: HeaderMap, axum::extract::RawQuery(query): axum::extract::RawQuery) -> Response {
    if crate::console::session::operator_of(&state, &headers, state.now()).await.is_ok() {
        return Redirect::to("/admin/today").into_response();
    }
    let token = random_token();
    let set = cookie(&state, LOGIN_COOKIE, token.clone(), Duration::hours(1));
    let l = language_of(&headers);
    // `?welcome=1`: the password was just set through a one-time link.
    let welcome = query.is_some_and(|q| q.split('&').any(|p| p == "welcome=1")).then(|| word(l, OnboardingWord::PasswordSavedPleaseSignIn));
    ([(header::SET_COOKIE, set)], form_with_note(l, &token, "", None, welcome)).into_response()
}

/// The login form's fields.
#[derive(Debug, Deserialize)]
pub struct Credentials {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

/// `POST /admin/login`.
pub async fn submit(
    State(state): State<AppState>,
    address: Option<Extension<ClientAddress>>,
    headers: HeaderMap,
    Form(credentials): Form<Credentials>,
) -> Response {
    let language = language_of(&headers);
    let l = language;
    let token = read_cookie(&headers, LOGIN_COOKIE).unwrap_or_default();
    // The form must come from our own login page (login CSRF).
    if token.is_empty() || !crate::console::session::constant_time_eq(token.as_bytes(), credentials.csrf.as_bytes()) {
        let page = form(l, &token, "", Some(word(l, PageWord::TheFormExpiredPleaseSign)));
        return (StatusCode::FORBIDDEN, page).into_response();
    }
    let typed = credentials.email.trim().to_lowercase().chars().take(254).collect::<String>();
    let address = address.map(|Extension(ClientAddress(ip))| ip.to_string()).unwrap_or_else(|| "unknown".into());
    let now = state.now();
    let store = &state.backends().store;
    let since = now - Duration::minutes(THROTTLE_MINUTES);
    let refused = |status: StatusCode, text: &str| (status, form(l, &token, &typed, Some(text))).into_response();
    let unavailable = word(l, PageWord::SigningInIsNotPossible);
    let (by_account, by_address) = match store.login_failures_since(&typed, &address, since).await {
        Ok(counts) => counts,
        Err(error) => {
            tracing::error!(%error, "login throttle lookup failed");
            return refused(StatusCode::SERVICE_UNAVAILABLE, unavailable);
        }
    };
    if by_account >= FAILURES_PER_ACCOUNT || by_address >= FAILURES_PER_ADDRESS {
        tracing::warn!(account = %mask(&typed), %address, "login throttled");
        return refused(
            StatusCode::TOO_MANY_REQUESTS,
            word(l, PageWord::TooManyFailedAttemptsPlease),
        );
    }
    let found = match OperatorEmail::parse(&typed) {
        Ok(email) => match store.operator_by_email(email.as_str()).await {
            Ok(found) => found,
            Err(error) => {
                tracing::error!(%error, "login lookup failed");
                return refused(StatusCode::SERVICE_UNAVAILABLE, unavailable);
            }
        },
        Err(_) => None,
    };
    let password = credentials.password.chars().take(crate::domain::NewPassword::MAX_CHARS).collect::<String>();
    if !password::verify(password, found.as_ref().map(|o| o.password_hash.clone())).await {
        if let Err(error) = store.record_login_failure(&typed, &address, now).await {
            tracing::error!(%error, "login failure could not be recorded");
        }
        tracing::info!(account = %mask(&typed), %address, "login refused");
        return refused(StatusCode::UNAUTHORIZED, word(l, PageWord::WrongEMailOrPassword));
    }
    let operator = found.expect("verified against a stored hash");
    let session = random_token();
    // An admin starts with the first company in view; others always see their own.
    let first_company = state.directory().branches().iter().map(|b| b.company.id).min();
    let company = if operator.role == "admin" { first_company } else { operator.company_id };
    let created = async {
        store.clear_login_failures(&typed, since).await?;
        store.create_session(&token_hash(&session), operator.id, &random_token(), company, now, expires(now)).await
    };
    if let Err(error) = created.await {
        tracing::error!(%error, "session could not be created");
        return refused(StatusCode::SERVICE_UNAVAILABLE, unavailable);
    }
    tracing::info!(account = %mask(&typed), "signed in");
    let set = cookie(&state, SESSION_COOKIE, session, Duration::hours(crate::console::session::SESSION_HOURS));
    let clear = cookie(&state, LOGIN_COOKIE, String::new(), Duration::zero());
    let mut response = Redirect::to("/admin/today").into_response();
    response.headers_mut().append(header::SET_COOKIE, set.parse().expect("a cookie is a header value"));
    response.headers_mut().append(header::SET_COOKIE, clear.parse().expect("a cookie is a header value"));
    response
}

fn mask(email: &str) -> String {
    OperatorEmail::parse(email).map(|e| e.masked()).unwrap_or_else(|_| "(not an e-mail)".into())
}

/// `POST /admin/logout`: ends the session here and in the database.
pub async fn logout(State(state): State<AppState>, operator: Operator, Form(form): Form<super::CsrfForm>) -> Response {
    if !operator.csrf_matches(Some(&form.csrf)) {
        return super::forbidden(operator.language);
    }
    if let Some(session) = &operator.session {
        if let Err(error) = state.backends().store.delete_session(session).await {
            tracing::error!(%error, "session could not be deleted");
        }
    }
    let clear = cookie(&state, SESSION_COOKIE, String::new(), Duration::zero());
    ([(header::SET_COOKIE, clear)], Redirect::to("/admin/login")).into_response()
}
