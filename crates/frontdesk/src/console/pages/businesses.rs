//! *Neues Unternehmen* (admins): a new business in one form — the company, its first branch with
//! its number, and the owner's login with a one-time link to set the password. The same steps as
//! the JSON API (DESIGN §16), checked in the console's language before anything is written.

use super::layout::{page, Frame, Nav};
use super::{not_found, refused_form, PageOperator};
use crate::app::AppState;
use crate::domain::{Language, OperatorEmail, PhoneNumber};
use crate::onboarding::companies;
use crate::speech::{word, OnboardingWord};
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Form;
use maud::{html, Markup};
use serde::Deserialize;
use serde_json::json;

/// The form's fields.
#[derive(Debug, Default, Deserialize)]
pub struct NewBusiness {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    timezone: String,
    #[serde(default)]
    branch: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    owner: String,
}

fn form(l: Language, csrf: &str, typed: &NewBusiness) -> Markup {
    let zone = if typed.timezone.is_empty() { "Europe/Berlin" } else { typed.timezone.as_str() };
    html! {
        form.card method="post" action="/admin/businesses" {
            input type="hidden" name="csrf" value=(csrf);
            div.row {
            label { (word(l, OnboardingWord::BusinessName)) input type="text" name="name" maxlength="100" value=(typed.name) required; }
            label { (word(l, OnboardingWord::LanguageOfTheAgent))
                select name="language" {
                    option value="de" selected[typed.language != "en"] { "Deutsch" }
                    option value="en" selected[typed.language == "en"] { "English" }
                }
            }
            label { (word(l, OnboardingWord::TimeZone)) input type="text" name="timezone" maxlength="60" value=(zone) required; }
            label { (word(l, OnboardingWord::BranchName)) input type="text" name="branch" maxlength="100" value=(typed.branch) required; }
            label { (word(l, OnboardingWord::PhoneNumberCallersDial)) input type="tel" name="phone" maxlength="30" value=(typed.phone) placeholder="+4930123456" required; }
            label { (word(l, OnboardingWord::OwnersEMail)) input type="email" name="owner" maxlength="254" value=(typed.owner) required; }
            button type="submit" { (word(l, OnboardingWord::CreateBusiness)) }
            }
        }
    }
}

/// `GET /admin/businesses`: the form.
pub async fn show(State(state): State<AppState>, PageOperator(op): PageOperator) -> Response {
    let l = op.language;
    if !op.is_admin() {
        return not_found(l);
    }
    let frame = Frame::load(&state, &op).await;
    let csrf = op.csrf.clone().unwrap_or_default();
    page(&op, &frame, Nav::Ops, word(l, OnboardingWord::NewBusiness), form(l, &csrf, &NewBusiness::default())).into_response()
}

/// `POST /admin/businesses`: checks every field, then creates the company with its branch and
/// invites the owner; shows the link to send.
pub async fn create(State(state): State<AppState>, PageOperator(op): PageOperator, Form(typed): Form<NewBusiness>) -> Response {
    let l = op.language;
    if !op.is_admin() {
        return not_found(l);
    }
    if !op.csrf_matches(Some(&typed.csrf)) {
        return super::forbidden(l);
    }
    let mut frame = Frame::load(&state, &op).await;
    let csrf = op.csrf.clone().unwrap_or_default();
    let refuse = |frame: &mut Frame, text: String| {
        frame.notice = Some(Err(text));
        refused_form(page(&op, frame, Nav::Ops, word(l, OnboardingWord::NewBusiness), form(l, &csrf, &typed)).into_response())
    };
    let (name, branch) = (typed.name.trim(), typed.branch.trim());
    if name.is_empty() || branch.is_empty() {
        return refuse(&mut frame, word(l, OnboardingWord::NameIsRequired).into());
    }
    if typed.timezone.trim().parse::<chrono_tz::Tz>().is_err() {
        return refuse(&mut frame, word(l, OnboardingWord::TimeZoneNotKnown).into());
    }
    let Ok(number) = PhoneNumber::parse(&typed.phone) else {
        return refuse(&mut frame, word(l, OnboardingWord::NumberNotE164).into());
    };
    let Ok(owner) = OperatorEmail::parse(&typed.owner) else {
        return refuse(&mut frame, word(l, OnboardingWord::EMailNotValid).into());
    };
    if matches!(state.backends().store.operator_by_email(owner.as_str()).await, Ok(Some(_))) {
        return refuse(&mut frame, format!("{}{}", word(l, OnboardingWord::NotCreated), owner.as_str()));
    }
    let language = if typed.language == "en" { "en" } else { "de" };
    let weekdays = json!(["09:00-18:00"]);
    let body = json!({
        "name": name, "language": language, "timezone": typed.timezone.trim(),
        "branches": [{"name": branch, "phone_numbers": [number.as_str()],
                      "opening_hours": {"mon": weekdays, "tue": weekdays, "wed": weekdays, "thu": weekdays, "fri": weekdays}}],
    });
    let invite = json!({"email": owner.as_str(), "role": "owner", "language": language}).to_string();
    // the company and its owner's login in one transaction: nothing half-created
    let created = companies::create_company_with_owner(&state, body.to_string().as_bytes(), invite.as_bytes()).await;
    let (company, _, invited) = match created {
        Ok(created) => created,
        Err(error) => return refuse(&mut frame, format!("{}{error}", word(l, OnboardingWord::NotCreated))),
    };
    tracing::info!(company = company.0, by = %op.email, "business created in the console");
    let body = html! {
        div.notice role="status" {
            p { (word(l, OnboardingWord::BusinessCreatedSendLink)) }
            p { code #welcome-link { (invited.link) } }
        }
        (form(l, &csrf, &NewBusiness::default()))
    };
    page(&op, &frame, Nav::Ops, word(l, OnboardingWord::NewBusiness), body).into_response()
}
