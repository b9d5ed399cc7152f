//! The SMS webhooks (DESIGN §15): `POST /sms/inbound` (a customer's reply) and `POST /sms/status`
//! (delivery reports), both refused with 401 unless `X-Twilio-Signature` signs the full URL and
//! the form with the auth token of an account that sends for us. Answers are TwiML.

use crate::app::AppState;
use crate::domain::{BranchContext, CompanyId, PhoneNumber};
use crate::store::Actor;
use std::sync::Arc;
use crate::sms::{verify, SIGNATURE_HEADER};
use crate::speech::{fold, phrasebook, SmsAppointment, SmsText};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

/// The most of a reply that is read (Twilio's own limit is 1,600 characters).
const BODY_CHARS: usize = 1600;

/// Words that end all SMS from a business (Twilio's opt-out words, and German ones).
const STOP_WORDS: [&str; 8] = ["stop", "stopp", "stopall", "unsubscribe", "end", "quit", "abmelden", "abbestellen"];
/// Words that resume them ("yes" too, as at Twilio, unless it answers an offer).
const START_WORDS: [&str; 3] = ["start", "unstop", "anmelden"];
/// Words that accept a waitlist offer.
const YES_WORDS: [&str; 4] = ["ja", "yes", "jawohl", "gerne"];
/// Words that cancel the appointment a reminder was about. (Twilio itself treats CANCEL as an
/// opt-out unless Advanced Opt-Out is set up without it; ABSAGEN always reaches us.)
const CANCEL_WORDS: [&str; 4] = ["absagen", "absage", "stornieren", "cancel"];

/// What a customer's SMS asks for.
enum Ask {
    Stop,
    Start,
    Cancel,
    Yes,
}

impl Ask {
    fn of(text: &str) -> Option<Self> {
        let keyword = fold(text.split_whitespace().next().unwrap_or_default().trim_matches(|c: char| !c.is_alphanumeric()));
        match keyword.as_str() {
            k if STOP_WORDS.contains(&k) => Some(Self::Stop),
            k if START_WORDS.contains(&k) => Some(Self::Start),
            k if CANCEL_WORDS.contains(&k) => Some(Self::Cancel),
            k if YES_WORDS.contains(&k) => Some(Self::Yes),
            _ => None,
        }
    }
}

fn field<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// The URL Twilio called, as it signed it: the public URL when set, else this request's host.
fn called_url(state: &AppState, headers: &HeaderMap, path: &str) -> String {
    match &state.console().public_url {
        Some(public) => format!("{}{path}", public.trim_end_matches('/')),
        None => format!("http://{}{path}", headers.get("host").and_then(|h| h.to_str().ok()).unwrap_or("localhost")),
    }
}

/// The companies an SMS to `sender` (our number) concerns — those sending from it, or, for the
/// service's own sender, every company without a sender of its own — and the tokens its webhook
/// may be signed with (theirs, and the service's).
async fn tokens_for(state: &AppState, sender: Option<&str>) -> (Vec<String>, Vec<CompanyId>) {
    let mut tokens: Vec<String> = state.sms().auth_token.iter().map(|t| t.expose().to_string()).collect();
    let store = &state.backends().store;
    let Some(sender) = sender else { return (tokens, Vec::new()) };
    let mut companies = Vec::new();
    if let Ok(found) = store.companies_sending_from(sender).await {
        for (id, company) in found {
            tokens.extend(company.sms_auth_token);
            companies.push(id);
        }
    }
    if companies.is_empty() && state.sms().from.as_ref().is_some_and(|from| from.as_str() == sender) {
        companies = store.companies_on_default_sender().await.unwrap_or_default();
    }
    (tokens, companies)
}

fn signed(tokens: &[String], url: &str, form: &[(String, String)], headers: &HeaderMap) -> bool {
    let header = headers.get(SIGNATURE_HEADER).and_then(|h| h.to_str().ok());
    tokens.iter().any(|token| verify(token, url, form, header))
}

fn twiml(message: Option<&str>) -> Response {
    let body = match message {
        Some(text) => {
            let escaped = text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>{escaped}</Message></Response>")
        }
        None => "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>".to_string(),
    };
    ([("content-type", "text/xml; charset=utf-8")], body).into_response()
}

fn unauthorised() -> Response {
    (StatusCode::UNAUTHORIZED, axum::Json(serde_json::json!({"error": "unauthorised", "message": "X-Twilio-Signature does not sign this request"})))
        .into_response()
}

fn parse_form(body: &str) -> Option<Vec<(String, String)>> {
    serde_urlencoded::from_str(body).ok()
}

/// `POST /sms/inbound`: STOP and START per company and number, ABSAGEN to a reminder; other
/// replies are answered with nothing (no appointment changes on words it does not know).
pub async fn inbound(State(state): State<AppState>, headers: HeaderMap, body: String) -> Response {
    let Some(form) = parse_form(&body) else { return unauthorised() };
    let (tokens, companies) = tokens_for(&state, field(&form, "To")).await;
    if !signed(&tokens, &called_url(&state, &headers, "/sms/inbound"), &form, &headers) {
        return unauthorised();
    }
    let Some(from) = field(&form, "From").and_then(|f| PhoneNumber::parse(f).ok()) else { return twiml(None) };
    // a number none of our companies sends from: nothing here is theirs to change
    if companies.is_empty() {
        return twiml(None);
    }
    let text: String = field(&form, "Body").unwrap_or_default().chars().take(BODY_CHARS).collect();
    let Some(ask) = Ask::of(&text) else { return twiml(None) };
    let store = &state.backends().store;
    let ask = match ask {
        Ask::Cancel => return twiml(cancel_by_reply(&state, &from, &companies).await.as_deref()),
        Ask::Yes => match accept_offer(&state, &from, &companies).await {
            Ok(answer) => return twiml(answer.as_deref()),
            // no offer to answer: a YES is Twilio's START
            Err(()) => Ask::Start,
        },
        other => other,
    };
    let stop = matches!(ask, Ask::Stop);
    // the company sending from the number answered; on the shared sender every company that may
    // text them from it (a STOP ends them all: the careful reading)
    let targets = match companies.as_slice() {
        [own] => vec![*own],
        shared => store.sms_companies_of(&from, shared).await.unwrap_or_default(),
    };
    for company in &targets {
        if let Err(error) = store.set_sms_stopped(*company, &from, stop, state.now()).await {
            tracing::error!(%error, "an SMS opt-out could not be stored");
            return (StatusCode::SERVICE_UNAVAILABLE, twiml(None)).into_response();
        }
        // no offers can reach a stopped number: its waiting wishes end
        if stop {
            if let Err(error) = store.end_entries_of_number(*company, from.as_str(), state.now()).await {
                tracing::warn!(%error, "waitlist entries of a stopped number could not be ended");
            }
        }
    }
    tracing::info!(companies = targets.len(), from = %from.masked(), stop, "SMS opt-out changed");
    let Some(tenant) = targets.first().and_then(|c| first_branch(&state, *c)) else { return twiml(None) };
    let business = tenant.company.name.clone();
    let text = if stop { SmsText::Stopped { business } } else { SmsText::Started { business } };
    twiml(Some(&phrasebook(tenant.company.language).sms(&text)))
}

/// The company whose SMS a number answers — the one sending from that number, else the last
/// to text them — as its first branch (for its name, language and number).
async fn texting_branch(state: &AppState, from: &PhoneNumber, companies: &[CompanyId]) -> Option<Arc<BranchContext>> {
    let company = match companies {
        [only] => Some(*only),
        _ => state.backends().store.last_texted_by(from, companies).await.ok().flatten(),
    }?;
    first_branch(state, company)
}

/// A company's first branch (its name, language and a number to call).
fn first_branch(state: &AppState, company: CompanyId) -> Option<Arc<BranchContext>> {
    state.directory().of_company(company).first().cloned()
}

/// An appointment as its SMS names it: the business, the local start, the service and who.
fn sms_appointment(tenant: &BranchContext, appointment: &crate::store::Appointment) -> SmsAppointment {
    SmsAppointment {
        business: tenant.company.name.clone(),
        start: appointment.starts_at.with_timezone(&tenant.company.timezone).naive_local(),
        service: appointment.service_name.clone(),
        staff: appointment.staff_name.clone(),
    }
}

/// JA to a waitlist offer: booked and confirmed in the answer (the booking's own notices go to
/// the owner; the customer's yes was to the offer, so no other SMS follows), or the answer that
/// the time is gone; `Err` when the number has no offer to answer at all.
async fn accept_offer(state: &AppState, from: &PhoneNumber, companies: &[CompanyId]) -> Result<Option<String>, ()> {
    let accepted = crate::waitlist::accept(state.backends(), state.tenants(), from, companies, state.now()).await;
    let company = match accepted {
        Ok(crate::waitlist::Accepted::Booked(appointment)) => {
            let Some(tenant) = state.directory().branch(appointment.branch_id).cloned() else { return Ok(None) };
            let about = sms_appointment(&tenant, &appointment);
            return Ok(Some(phrasebook(tenant.company.language).sms(&SmsText::Confirmed(about))));
        }
        Ok(crate::waitlist::Accepted::Gone { company }) => company,
        Ok(crate::waitlist::Accepted::NoOffer) => {
            // an offer that lapsed or went to somebody else is still answered
            if !state.backends().store.had_offer(from.as_str()).await.unwrap_or(false) {
                return Err(());
            }
            match texting_branch(state, from, companies).await {
                Some(tenant) => tenant.company.id,
                None => return Err(()),
            }
        }
        Err(error) => {
            tracing::error!(%error, "a waitlist answer could not be handled");
            return Ok(None);
        }
    };
    let Some(tenant) = first_branch(state, company) else { return Ok(None) };
    Ok(Some(phrasebook(tenant.company.language).sms(&SmsText::OfferGone { business: tenant.company.name.clone() })))
}

/// ABSAGEN: cancels the appointment the number was last reminded of, within the company's
/// policy; the answer when there is one to give (a cancellation is answered by its own SMS).
async fn cancel_by_reply(state: &AppState, from: &PhoneNumber, companies: &[CompanyId]) -> Option<String> {
    let backends = state.backends();
    let now = state.now();
    let phone_of = |b: &BranchContext| b.branch.phone_numbers.first().map(|p| p.as_str().to_string());
    let reminded = backends.store.reminded_appointment(from, companies, now).await.ok().flatten();
    let found = match reminded {
        Some((company, id)) => backends.store.company_appointment(company, id).await.ok().flatten(),
        None => None,
    };
    let Some(appointment) = found else {
        // politely: nothing changes
        let tenant = texting_branch(state, from, companies).await?;
        let text = SmsText::NothingToCancel { business: tenant.company.name.clone(), phone: phone_of(&tenant) };
        return Some(phrasebook(tenant.company.language).sms(&text));
    };
    let tenant = state.directory().branch(appointment.branch_id).cloned()?;
    let book = phrasebook(tenant.company.language);
    let business = tenant.company.name.clone();
    let too_late = tenant.company.cancel_hours_before.is_some_and(|h| appointment.starts_at - chrono::Duration::hours(i64::from(h)) < now);
    if too_late {
        let about = sms_appointment(&tenant, &appointment);
        return Some(book.sms(&SmsText::TooLateToCancel { appointment: about, phone: phone_of(&tenant) }));
    }
    match backends.booker.cancel(&tenant, &appointment, "cancelled by SMS reply", &Actor::SmsReply).await {
        Ok(()) => {
            tracing::info!(appointment = appointment.id.0, from = %from.masked(), "appointment cancelled by SMS reply");
            None
        }
        Err(error) => {
            tracing::warn!(%error, appointment = appointment.id.0, "a cancellation by SMS failed");
            Some(book.sms(&SmsText::CancelFailed { business, phone: phone_of(&tenant) }))
        }
    }
}

/// `POST /sms/status`: a delivery report for a message sent.
pub async fn status(State(state): State<AppState>, headers: HeaderMap, body: String) -> Response {
    let Some(form) = parse_form(&body) else { return unauthorised() };
    let (tokens, _) = tokens_for(&state, field(&form, "From")).await;
    if !signed(&tokens, &called_url(&state, &headers, "/sms/status"), &form, &headers) {
        return unauthorised();
    }
    if let (Some(sid), Some(status)) = (field(&form, "MessageSid"), field(&form, "MessageStatus")) {
        if let Err(error) = state.backends().store.sms_status(sid, status, state.now()).await {
            tracing::warn!(%error, "an SMS delivery report could not be stored");
        }
    }
    twiml(None)
}
