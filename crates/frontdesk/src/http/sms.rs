//! The SMS webhooks (DESIGN §15): `POST /sms/inbound` (a customer's reply) and `POST /sms/status`
//! (delivery reports), both refused with 401 unless `X-Twilio-Signature` signs the full URL and
//! the form with the auth token of an account that sends for us. Answers are TwiML.

use crate::app::AppState;
use crate::domain::{CompanyId, PhoneNumber};
use crate::sms::{verify, SIGNATURE_HEADER};
use crate::speech::{fold, phrasebook, SmsText};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

/// The most of a reply that is read (Twilio's own limit is 1,600 characters).
const BODY_CHARS: usize = 1600;

/// Words that end all SMS from a business (Twilio's opt-out words, and German ones).
const STOP_WORDS: [&str; 8] = ["stop", "stopp", "stopall", "unsubscribe", "end", "quit", "abmelden", "abbestellen"];
/// Words that resume them.
const START_WORDS: [&str; 4] = ["start", "unstop", "anmelden", "yes"];

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

/// The tokens a webhook about `sender` (our number) may be signed with: the companies' own that
/// send from it, and the service's.
async fn tokens_for(state: &AppState, sender: Option<&str>) -> (Vec<String>, Vec<CompanyId>) {
    let mut tokens: Vec<String> = state.sms().auth_token.iter().map(|t| t.expose().to_string()).collect();
    let mut companies = Vec::new();
    if let Some(sender) = sender {
        if let Ok(found) = state.backends().store.companies_sending_from(sender).await {
            for (id, company) in found {
                tokens.extend(company.sms_auth_token);
                companies.push(id);
            }
        }
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

/// `POST /sms/inbound`: STOP and START per company and number; other replies are answered with
/// nothing (no appointment changes on words it does not know).
pub async fn inbound(State(state): State<AppState>, headers: HeaderMap, body: String) -> Response {
    let Some(form) = parse_form(&body) else { return unauthorised() };
    let (tokens, companies) = tokens_for(&state, field(&form, "To")).await;
    if !signed(&tokens, &called_url(&state, &headers, "/sms/inbound"), &form, &headers) {
        return unauthorised();
    }
    let Some(from) = field(&form, "From").and_then(|f| PhoneNumber::parse(f).ok()) else { return twiml(None) };
    let text: String = field(&form, "Body").unwrap_or_default().chars().take(BODY_CHARS).collect();
    let keyword = fold(text.split_whitespace().next().unwrap_or_default());
    let stop = STOP_WORDS.contains(&keyword.as_str());
    if !stop && !START_WORDS.contains(&keyword.as_str()) {
        return twiml(None);
    }
    let store = &state.backends().store;
    // the company whose SMS they answer: the one sending from that number, else the last to text them
    let company = match companies.as_slice() {
        [only] => Some(*only),
        _ => store.last_texted_by(&from, &companies).await.ok().flatten(),
    };
    let Some(company) = company else { return twiml(None) };
    if let Err(error) = store.set_sms_stopped(company, &from, stop, state.now()).await {
        tracing::error!(%error, "an SMS opt-out could not be stored");
        return (StatusCode::SERVICE_UNAVAILABLE, twiml(None)).into_response();
    }
    tracing::info!(company = company.0, from = %from.masked(), stop, "SMS opt-out changed");
    let Some(tenant) = state.directory().branches().iter().find(|b| b.company.id == company).cloned() else { return twiml(None) };
    let business = tenant.company.name.clone();
    let text = if stop { SmsText::Stopped { business } } else { SmsText::Started { business } };
    twiml(Some(&phrasebook(tenant.company.language).sms(&text)))
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
