//! `/admin/welcome/{token}`: the one-time link a new login gets (DESIGN §16). The link's token is
//! the proof (only its hash is stored; it works once, for 72 hours), so the form needs no other
//! CSRF token: a forged form would have to know it.

use super::layout::bare;
use super::not_found;
use crate::app::AppState;
use crate::console::session::token_hash;
use crate::domain::{Language, NewPassword};
use crate::operators::password;
use crate::speech::{word, OnboardingWord, PageWord};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use maud::html;
use serde::Deserialize;

fn form(l: Language, token: &str, email: &str, problem: Option<&str>) -> maud::Markup {
    bare(
        l,
        word(l, OnboardingWord::SetYourPassword),
        html! {
            @if let Some(problem) = problem { div.notice.error role="alert" { (problem) } }
            p { (email) }
            form method="post" action={ "/admin/welcome/" (token) } {
                // The login's e-mail, for the browser's password manager.
                input type="hidden" name="username" value=(email) autocomplete="username";
                label { (word(l, PageWord::Password)) input type="password" name="password" autocomplete="new-password" minlength="10" required; }
                label { (word(l, OnboardingWord::RepeatThePassword)) input type="password" name="repeat" autocomplete="new-password" minlength="10" required; }
                button type="submit" { (word(l, OnboardingWord::SetYourPassword)) }
            }
        },
    )
}

/// The invited login of a token, or the not-found page (used, expired, or never issued).
async fn invited(state: &AppState, token: &str) -> Result<crate::store::OperatorRow, Response> {
    let found = state.backends().store.invited(&token_hash(token), state.now()).await;
    match found {
        Ok(Some(operator)) => Ok(operator),
        Ok(None) => Err(not_found(Language::default())),
        Err(error) => Err(crate::console::error::ConsoleError::from(error).into_response()),
    }
}

/// `GET /admin/welcome/{token}`: the form to set the password.
pub async fn show(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    match invited(&state, &token).await {
        Ok(operator) => form(Language::parse(&operator.language).unwrap_or_default(), &token, &operator.email, None).into_response(),
        Err(page) => page,
    }
}

/// The form's fields.
#[derive(Debug, Deserialize)]
pub struct NewPasswordForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    repeat: String,
}

/// `POST /admin/welcome/{token}`: sets the password, spends the link, sends them to sign in.
pub async fn submit(State(state): State<AppState>, Path(token): Path<String>, Form(fields): Form<NewPasswordForm>) -> Response {
    let operator = match invited(&state, &token).await {
        Ok(operator) => operator,
        Err(page) => return page,
    };
    let l = Language::parse(&operator.language).unwrap_or_default();
    let refused = |text: &str| (StatusCode::UNPROCESSABLE_ENTITY, form(l, &token, &operator.email, Some(text))).into_response();
    if fields.password != fields.repeat {
        return refused(word(l, OnboardingWord::ThePasswordsDoNotMatch));
    }
    let chars = fields.password.chars().count();
    let new = match NewPassword::parse(&fields.password) {
        Ok(new) => new,
        Err(_) if chars > NewPassword::MAX_CHARS => return refused(word(l, OnboardingWord::PasswordTooLong)),
        Err(_) => return refused(word(l, OnboardingWord::PasswordTooShort)),
    };
    let Ok(hash) = tokio::task::spawn_blocking(move || password::hash(&new)).await.unwrap_or_else(|e| Err(e.to_string())) else {
        return refused(word(l, PageWord::SigningInIsNotPossible));
    };
    match state.backends().store.redeem_invite(&token_hash(&token), &hash, state.now()).await {
        Ok(Some(id)) => {
            tracing::info!(login = id, "password set through the one-time link");
            Redirect::to("/admin/login?welcome=1").into_response()
        }
        Ok(None) => not_found(l),
        Err(error) => crate::console::error::ConsoleError::from(error).into_response(),
    }
}
