//! E-mail over SMTP (`FRONTDESK_SMTP_URL`, `FRONTDESK_SMTP_FROM`): plain text and HTML, a
//! Message-ID made from the outbox key so that a repeated delivery is recognisably the same mail.

use super::message::for_owner;
use super::{Channel, DeliveryError};
use crate::domain::Secret;
use crate::store::{NoticeData, OutboxMessage};
use futures_util::future::BoxFuture;
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// Sends notifications as e-mail.
#[derive(Clone)]
pub struct EmailChannel {
    transport: Option<AsyncSmtpTransport<Tokio1Executor>>,
    from: Option<Mailbox>,
}

impl std::fmt::Debug for EmailChannel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmailChannel").field("configured", &self.transport.is_some()).finish()
    }
}

impl EmailChannel {
    /// A channel over `smtp://user:pass@host:port` (STARTTLS when the server offers it) or
    /// `smtps://…` (implicit TLS); without a URL every e-mail fails at once, visibly.
    pub fn new(url: Option<&Secret>, from: Option<&str>) -> Result<Self, String> {
        let Some(url) = url else { return Ok(Self { transport: None, from: None }) };
        let mut url = url.expose().to_string();
        if url.starts_with("smtp://") && !url.contains("tls=") {
            url.push_str(if url.contains('?') { "&tls=opportunistic" } else { "?tls=opportunistic" });
        }
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&url)
            .map_err(|e| format!("FRONTDESK_SMTP_URL: {e}"))?
            .timeout(Some(std::time::Duration::from_secs(20)))
            .build();
        let from = from
            .ok_or("FRONTDESK_SMTP_FROM is required with FRONTDESK_SMTP_URL")?
            .parse::<Mailbox>()
            .map_err(|e| format!("FRONTDESK_SMTP_FROM: {e}"))?;
        Ok(Self { transport: Some(transport), from: Some(from) })
    }

    async fn send(&self, message: &OutboxMessage) -> Result<(), DeliveryError> {
        let (Some(transport), Some(from)) = (&self.transport, &self.from) else {
            return Err(DeliveryError::Permanent("FRONTDESK_SMTP_URL is not set on this instance".into()));
        };
        let data: NoticeData =
            serde_json::from_str(&message.payload).map_err(|e| DeliveryError::Permanent(format!("payload: {e}")))?;
        let to: Mailbox = message
            .recipient
            .parse()
            .map_err(|e| DeliveryError::Permanent(format!("recipient: {e}")))?;
        let composed = for_owner(&message.event, &data);
        let domain = from.email.domain().to_string();
        let id: String = message.idempotency_key.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '.' }).collect();
        let email = Message::builder()
            .from(from.clone())
            .to(to)
            .subject(composed.subject)
            .message_id(Some(format!("<{id}@{domain}>")))
            .multipart(MultiPart::alternative_plain_html(composed.text, composed.html))
            .map_err(|e| DeliveryError::Permanent(format!("message: {e}")))?;
        transport.send(email).await.map(|_| ()).map_err(|e| {
            if e.is_permanent() {
                DeliveryError::Permanent(format!("SMTP: {e}"))
            } else {
                DeliveryError::Transient(format!("SMTP: {e}"))
            }
        })
    }
}

impl Channel for EmailChannel {
    fn name(&self) -> &'static str {
        "email"
    }

    fn deliver<'a>(&'a self, message: &'a OutboxMessage) -> BoxFuture<'a, Result<(), DeliveryError>> {
        Box::pin(self.send(message))
    }
}
