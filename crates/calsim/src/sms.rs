//! A Twilio-compatible Messages API (DESIGN §15), because Twilio cannot be reached from tests
//! and CI: it checks what Twilio's documentation says it checks — HTTP Basic auth matching the
//! account in the path, the required `To`, `From` and `Body`, an E.164 `To` that can receive
//! SMS, a valid sender (E.164 or 1–11 alphanumeric), at most 1,600 characters — answers 201 with
//! a `sid` or Twilio's error JSON, reports delivery to `StatusCallback` signed with
//! `X-Twilio-Signature`, and sends a customer's replies to the inbound webhook the same way.
//! Every accepted message is kept, for tests and callbench to count.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::json;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// One message the simulator accepted.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Sms {
    /// `SM…`.
    pub sid: String,
    /// The account that sent it.
    pub account_sid: String,
    /// Recipient (E.164).
    pub to: String,
    /// Sender.
    pub from: String,
    /// Text.
    pub body: String,
    /// Where its delivery was reported, if anywhere.
    pub status_callback: Option<String>,
}

/// The simulator's state: accounts and what was sent.
#[derive(Debug)]
pub struct SmsSim {
    accounts: Vec<(String, String)>,
    sent: Mutex<Vec<Sms>>,
    next: AtomicU64,
    http: reqwest::Client,
}

/// The signature Twilio puts on its webhooks (see frontdesk's `sms::signature`; written here
/// again so that each side checks the other independently).
pub fn twilio_signature(token: &str, url: &str, params: &[(String, String)]) -> String {
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(token.as_bytes()).expect("any key length");
    mac.update(url.as_bytes());
    let mut sorted = params.to_vec();
    sorted.sort();
    for (name, value) in sorted {
        mac.update(name.as_bytes());
        mac.update(value.as_bytes());
    }
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// Whether a number can receive SMS here: E.164, and in Germany and Austria a mobile range
/// (+4915x/16x/17x, +436x); elsewhere any valid number.
pub fn can_receive_sms(number: &str) -> bool {
    let digits = number.strip_prefix('+').unwrap_or("");
    let e164 = number.starts_with('+') && (8..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0');
    e164 && match digits {
        d if d.starts_with("49") => ["4915", "4916", "4917"].iter().any(|p| d.starts_with(&p[..])),
        d if d.starts_with("43") => d.starts_with("436"),
        _ => true,
    }
}

fn valid_sender(from: &str) -> bool {
    if let Some(digits) = from.strip_prefix('+') {
        return (8..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit());
    }
    !from.is_empty() && from.chars().count() <= 11 && from.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ') && from.chars().any(|c| c.is_ascii_alphabetic())
}

fn error(status: StatusCode, code: i64, message: &str) -> Response {
    let body = json!({"code": code, "message": message, "more_info": format!("https://www.twilio.com/docs/errors/{code}"), "status": status.as_u16()});
    (status, Json(body)).into_response()
}

impl SmsSim {
    /// A simulator that knows these accounts (sid, auth token).
    pub fn new(accounts: &[(&str, &str)]) -> Self {
        Self {
            accounts: accounts.iter().map(|(s, t)| (s.to_string(), t.to_string())).collect(),
            sent: Mutex::new(Vec::new()),
            next: AtomicU64::new(1),
            http: reqwest::Client::new(),
        }
    }

    /// Every message accepted so far, oldest first.
    pub fn sent(&self) -> Vec<Sms> {
        self.sent.lock().expect("not poisoned").clone()
    }

    /// The messages to one number.
    pub fn sent_to(&self, to: &str) -> Vec<Sms> {
        self.sent().into_iter().filter(|m| m.to == to).collect()
    }

    fn token(&self, sid: &str) -> Option<&str> {
        self.accounts.iter().find(|(s, _)| s == sid).map(|(_, t)| t.as_str())
    }

    fn authorised(&self, sid: &str, headers: &HeaderMap) -> bool {
        let Some(basic) = headers.get("authorization").and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Basic ")) else {
            return false;
        };
        let Some(pair) = base64::engine::general_purpose::STANDARD.decode(basic.trim()).ok().and_then(|b| String::from_utf8(b).ok()) else {
            return false;
        };
        matches!(pair.split_once(':'), Some((user, token)) if user == sid && self.token(sid) == Some(token))
    }

    /// A customer's SMS from `from` to `to` arrives: posted, signed with `account`'s token, to
    /// `url` (frontdesk's `/sms/inbound`). The webhook's status and body (TwiML); a `<Message>`
    /// in it is recorded as sent back to the customer.
    pub async fn reply(&self, account: &str, url: &str, from: &str, to: &str, body: &str) -> (u16, String) {
        let sid = self.new_sid();
        let params: Vec<(String, String)> = [("From", from), ("To", to), ("Body", body), ("MessageSid", &sid), ("AccountSid", account), ("NumMedia", "0")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let signature = twilio_signature(self.token(account).unwrap_or_default(), url, &params);
        let answer = self.http.post(url).header("x-twilio-signature", signature).form(&params).send().await;
        let Ok(answer) = answer else { return (0, String::new()) };
        let status = answer.status().as_u16();
        let text = answer.text().await.unwrap_or_default();
        if let Some(message) = twiml_message(&text) {
            let sms = Sms { sid: self.new_sid(), account_sid: account.into(), to: from.into(), from: to.into(), body: message, status_callback: None };
            self.sent.lock().expect("not poisoned").push(sms);
        }
        (status, text)
    }

    fn new_sid(&self) -> String {
        format!("SM{:032x}", self.next.fetch_add(1, Ordering::SeqCst))
    }

    /// Reports `sent` then `delivered` to the message's `StatusCallback`, signed.
    async fn report(self: Arc<Self>, sms: Sms) {
        let (Some(url), Some(token)) = (sms.status_callback.clone(), self.token(&sms.account_sid).map(str::to_string)) else { return };
        for status in ["sent", "delivered"] {
            let params: Vec<(String, String)> = [("MessageSid", sms.sid.as_str()), ("MessageStatus", status), ("AccountSid", &sms.account_sid), ("To", &sms.to), ("From", &sms.from), ("ApiVersion", "2010-04-01")]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            let signature = twilio_signature(&token, &url, &params);
            let _ = self.http.post(&url).header("x-twilio-signature", signature).form(&params).send().await;
        }
    }
}

/// The text of a TwiML `<Message>`, unescaped.
fn twiml_message(twiml: &str) -> Option<String> {
    let start = twiml.find("<Message>")? + "<Message>".len();
    let end = twiml[start..].find("</Message>")? + start;
    let text = &twiml[start..end];
    Some(text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&"))
}

async fn create(
    State(sim): State<Arc<SmsSim>>,
    Path(account): Path<String>,
    headers: HeaderMap,
    body: String,
) -> Response {
    let account = account.trim_end_matches(".json").to_string();
    if !sim.authorised(&account, &headers) {
        return error(StatusCode::UNAUTHORIZED, 20003, "Authenticate");
    }
    let form: Vec<(String, String)> = match serde_urlencoded::from_str(&body) {
        Ok(form) => form,
        Err(_) => return error(StatusCode::BAD_REQUEST, 20001, "The request body is not form-encoded"),
    };
    let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).filter(|v| !v.is_empty());
    let (Some(to), Some(from), Some(text)) = (field("To"), field("From"), field("Body")) else {
        return match (field("To"), field("From")) {
            (None, _) => error(StatusCode::BAD_REQUEST, 21604, "A 'To' phone number is required."),
            (_, None) => error(StatusCode::BAD_REQUEST, 21603, "A 'From' phone number is required."),
            _ => error(StatusCode::BAD_REQUEST, 21602, "Message body is required."),
        };
    };
    if !to.starts_with('+') || !to[1..].bytes().all(|b| b.is_ascii_digit()) || !(8..=15).contains(&(to.len() - 1)) {
        return error(StatusCode::BAD_REQUEST, 21211, &format!("The 'To' number {to} is not a valid phone number."));
    }
    if !can_receive_sms(&to) {
        return error(StatusCode::BAD_REQUEST, 21614, &format!("'To' number {to} is not a valid mobile number"));
    }
    if !valid_sender(&from) {
        return error(StatusCode::BAD_REQUEST, 21212, &format!("The 'From' number {from} is not a valid phone number, shortcode, or alphanumeric sender ID."));
    }
    if text.chars().count() > 1600 {
        return error(StatusCode::BAD_REQUEST, 21617, "The concatenated message body exceeds the 1600 character limit.");
    }
    let sms = Sms { sid: sim.new_sid(), account_sid: account.clone(), to, from, body: text, status_callback: field("StatusCallback") };
    sim.sent.lock().expect("not poisoned").push(sms.clone());
    tokio::spawn(sim.clone().report(sms.clone()));
    let answer = json!({"sid": sms.sid, "account_sid": account, "to": sms.to, "from": sms.from, "body": sms.body,
        "status": "queued", "direction": "outbound-api", "api_version": "2010-04-01",
        "uri": format!("/2010-04-01/Accounts/{account}/Messages/{}.json", sms.sid)});
    (StatusCode::CREATED, Json(answer)).into_response()
}

async fn listed(State(sim): State<Arc<SmsSim>>) -> Json<Vec<Sms>> {
    Json(sim.sent())
}

/// The Messages API and `GET /_sms/messages`.
pub fn router(sim: Arc<SmsSim>) -> Router {
    Router::new()
        .route("/2010-04-01/Accounts/{account}/Messages.json", post(create))
        .route("/_sms/messages", get(listed))
        .with_state(sim)
}

/// An SMS simulator serving on a local port; its `base_url` is `FRONTDESK_SMS_URL`.
pub type RunningSms = crate::Served<SmsSim>;

/// Serves `sim` on `address` (port 0 picks a free one).
pub async fn serve_sms(sim: SmsSim, address: SocketAddr) -> std::io::Result<RunningSms> {
    crate::serve_sim(sim, router, address).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_german_mobiles_and_senders() {
        assert!(can_receive_sms("+4917612345678"));
        assert!(!can_receive_sms("+4930123456"));
        assert!(!can_receive_sms("017612345678"));
        assert!(valid_sender("Schnittpkt") && valid_sender("+4930123456"));
        assert!(!valid_sender("SalonSchnitt") && !valid_sender("12345"));
        assert_eq!(twiml_message("<Response><Message>A &amp; B</Message></Response>").as_deref(), Some("A & B"));
    }
}
