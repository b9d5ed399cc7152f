//! The Messages API (DESIGN §15): `POST {base}/2010-04-01/Accounts/{AccountSid}/Messages.json`,
//! form-encoded `To`, `From`, `Body` and optionally `StatusCallback`, HTTP Basic auth with the
//! account's sid and token; 201 with the message's `sid`, or an error with Twilio's `code`.

use super::SmsSender;
use crate::domain::{PhoneNumber, Secret};
use std::time::Duration;

/// Twilio's code for a `To` that cannot receive SMS (a landline).
pub const NOT_MOBILE: i64 = 21614;
/// Twilio's code for a recipient who answered STOP to that sender.
pub const UNSUBSCRIBED: i64 = 21610;

/// An account that sends: its sid and auth token.
#[derive(Debug, Clone)]
pub struct SmsAccount {
    /// `AccountSid`.
    pub sid: String,
    /// The auth token.
    pub token: Secret,
}

/// Why a message was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Worth trying again (unreachable, timeout, 5xx, 429).
    #[error("SMS API unavailable: {0}")]
    Transient(String),
    /// Will never work as sent (auth, a bad number, a landline, an unsubscribed recipient).
    #[error("SMS refused ({code}): {message}")]
    Refused {
        /// Twilio's error code (0 when the answer had none).
        code: i64,
        /// Its message.
        message: String,
    },
}

/// A message to send.
#[derive(Debug, Clone, Copy)]
pub struct OutgoingSms<'a> {
    /// Sender.
    pub from: &'a SmsSender,
    /// Recipient.
    pub to: &'a PhoneNumber,
    /// Text (capped to three segments before).
    pub body: &'a str,
    /// Where delivery reports go (`{public_url}/sms/status`), when known.
    pub status_callback: Option<&'a str>,
}

/// A client of one Messages API.
#[derive(Debug, Clone)]
pub struct MessagesApi {
    http: reqwest::Client,
    base: String,
}

#[derive(serde::Deserialize)]
struct Created {
    sid: String,
}

#[derive(serde::Deserialize)]
struct Refusal {
    #[serde(default)]
    code: Option<i64>,
    #[serde(default)]
    message: Option<String>,
}

impl MessagesApi {
    /// A client of the API at `base` (`https://api.twilio.com`).
    pub fn new(base: &str) -> Self {
        let http = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().expect("a TLS client builds");
        Self { http, base: base.trim_end_matches('/').to_string() }
    }

    /// Sends one message; its sid.
    pub async fn send(&self, account: &SmsAccount, sms: OutgoingSms<'_>) -> Result<String, SendError> {
        let url = format!("{}/2010-04-01/Accounts/{}/Messages.json", self.base, account.sid);
        let mut form = vec![("To", sms.to.as_str()), ("From", sms.from.as_str()), ("Body", sms.body)];
        if let Some(callback) = sms.status_callback {
            form.push(("StatusCallback", callback));
        }
        let answer = self
            .http
            .post(url)
            .basic_auth(&account.sid, Some(account.token.expose()))
            .form(&form)
            .send()
            .await
            .map_err(|e| SendError::Transient(e.without_url().to_string()))?;
        let status = answer.status();
        if status.is_success() {
            let created: Created = answer.json().await.map_err(|e| SendError::Transient(format!("unreadable answer: {e}")))?;
            return Ok(created.sid);
        }
        if status.as_u16() == 429 || status.is_server_error() {
            return Err(SendError::Transient(format!("HTTP {status}")));
        }
        let refusal: Refusal = answer.json().await.unwrap_or(Refusal { code: None, message: None });
        // Twilio's messages name the number ("The 'To' number +49… is not …"): it goes to logs
        let message = refusal.message.map(|m| masked_numbers(&m)).unwrap_or_else(|| format!("HTTP {status}"));
        Err(SendError::Refused { code: refusal.code.unwrap_or(0), message })
    }
}

/// `text` with every phone number in it (a `+` and 6 or more digits) masked to its last three.
fn masked_numbers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('+') {
        out.push_str(&rest[..at]);
        let digits = rest[at + 1..].chars().take_while(char::is_ascii_digit).count();
        let number = &rest[at..at + 1 + digits];
        out.push_str(&if digits >= 6 { crate::domain::mask_phone(number) } else { number.to_string() });
        rest = &rest[at + 1 + digits..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn refusals_name_no_number() {
        let text = "The 'To' number +4930123456 is not a valid mobile number (+1 more)";
        assert_eq!(super::masked_numbers(text), "The 'To' number +*******456 is not a valid mobile number (+1 more)");
    }
}
