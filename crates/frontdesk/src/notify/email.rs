//! E-mail over SMTP (`FRONTDESK_SMTP_URL`, `FRONTDESK_SMTP_FROM`): plain text and HTML, a
//! Message-ID made from the outbox key so that a repeated delivery is recognisably the same mail.

use super::message::{for_customer, for_owner};
use crate::feeds::ics::{invitation, Invitation, InvitationMethod};
use super::{Channel, DeliveryError};
use crate::configuration::SmtpSection;
use crate::store::{NoticeData, NoticeEvent, OutboxMessage};
use futures_util::future::BoxFuture;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart};
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// Whom an e-mail channel writes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// The company's `notify_email`: every event, the number in full.
    Owner,
    /// The caller who gave an e-mail: their own booking, with an `.ics` invitation.
    Customer,
}

/// Sends notifications as e-mail.
#[derive(Clone)]
pub struct EmailChannel {
    transport: Option<AsyncSmtpTransport<Tokio1Executor>>,
    from: Option<Mailbox>,
    audience: Audience,
    /// The console's address for links in owners' mails (`FRONTDESK_PUBLIC_URL` + `/admin`).
    console: Option<String>,
}

impl std::fmt::Debug for EmailChannel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmailChannel").field("configured", &self.transport.is_some()).finish()
    }
}

/// The URL's TLS mode (implicit for `smtps://`, STARTTLS as the URL asks otherwise) with the
/// server's name checked against the public roots and the private CA's certificates.
fn with_private_ca(url: &str, pem: &str) -> Result<Tls, String> {
    let parsed = reqwest::Url::parse(url).map_err(|e| format!("FRONTDESK_SMTP_URL: {e}"))?;
    let host = parsed.host_str().ok_or("FRONTDESK_SMTP_URL: no host")?.to_string();
    let mut parameters = TlsParameters::builder(host);
    // Each PEM block on its own: lettre reads one certificate at a time.
    for block in pem.split_inclusive("-----END CERTIFICATE-----").filter(|b| b.contains("-----BEGIN CERTIFICATE-----")) {
        let certificate = Certificate::from_pem(block.trim().as_bytes()).map_err(|e| format!("FRONTDESK_SMTP_CA_FILE: {e}"))?;
        parameters = parameters.add_root_certificate(certificate);
    }
    let parameters = parameters.build_rustls().map_err(|e| format!("FRONTDESK_SMTP_CA_FILE: {e}"))?;
    let query = parsed.query().unwrap_or("");
    Ok(match parsed.scheme() {
        "smtps" => Tls::Wrapper(parameters),
        _ if query.contains("tls=required") => Tls::Required(parameters),
        _ if query.contains("tls=none") => Tls::None,
        _ => Tls::Opportunistic(parameters),
    })
}

impl EmailChannel {
    /// A channel over `smtp://user:pass@host:port` (STARTTLS when the server offers it) or
    /// `smtps://…` (implicit TLS); without a URL every e-mail fails at once, visibly.
    /// `FRONTDESK_SMTP_CA_FILE` adds a private CA's certificates to the public roots the server is
    /// checked against; with `FRONTDESK_PUBLIC_URL` owners' mails link to the console.
    pub fn new(smtp: &SmtpSection, public_url: Option<&str>) -> Result<Self, String> {
        let console = public_url.map(|url| format!("{url}/admin"));
        let (Some(url), from, ca_pem) = (&smtp.url, smtp.from.as_deref(), smtp.ca_pem.as_deref()) else {
            return Ok(Self { transport: None, from: None, audience: Audience::Owner, console });
        };
        let mut url = url.expose().to_string();
        if url.starts_with("smtp://") && !url.contains("tls=") {
            url.push_str(if url.contains('?') { "&tls=opportunistic" } else { "?tls=opportunistic" });
        }
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(&url)
            .map_err(|e| format!("FRONTDESK_SMTP_URL: {e}"))?
            .timeout(Some(std::time::Duration::from_secs(20)));
        if let Some(pem) = ca_pem {
            builder = builder.tls(with_private_ca(&url, pem)?);
        }
        let transport = builder.build();
        let from = from
            .ok_or("FRONTDESK_SMTP_FROM is required with FRONTDESK_SMTP_URL")?
            .parse::<Mailbox>()
            .map_err(|e| format!("FRONTDESK_SMTP_FROM: {e}"))?;
        Ok(Self { transport: Some(transport), from: Some(from), audience: Audience::Owner, console })
    }

    /// The same connection writing to callers.
    pub fn for_customers(&self) -> Self {
        Self { audience: Audience::Customer, ..self.clone() }
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
        let domain = from.email.domain().to_string();
        let id: String = message.idempotency_key.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '.' }).collect();
        let builder = Message::builder().from(from.clone()).to(to.clone()).message_id(Some(format!("<{id}@{domain}>")));
        let email = match self.audience {
            Audience::Owner => {
                let composed = for_owner(message.event, &data, self.console.as_deref());
                builder.subject(composed.subject).multipart(MultiPart::alternative_plain_html(composed.text, composed.html))
            }
            Audience::Customer => {
                let composed = for_customer(message.event, &data);
                let ics = invitation_of(message.event, &data, message.created_at, from, &to)?;
                let content_type = ContentType::parse(&format!("text/calendar; charset=utf-8; method={}", ics.0))
                    .map_err(|e| DeliveryError::Permanent(format!("content type: {e}")))?;
                builder.subject(composed.subject).multipart(
                    MultiPart::mixed()
                        .multipart(MultiPart::alternative_plain_html(composed.text, composed.html))
                        .singlepart(Attachment::new("termin.ics".into()).body(ics.1, content_type)),
                )
            }
        }
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

/// The invitation for a caller's e-mail: (method name, RFC 5545 text).
fn invitation_of(
    event: NoticeEvent,
    data: &NoticeData,
    stamp: chrono::DateTime<chrono::Utc>,
    from: &Mailbox,
    to: &Mailbox,
) -> Result<(&'static str, String), DeliveryError> {
    let (Some(id), Some(start), Some(end)) = (data.appointment_id, data.start, data.end) else {
        return Err(DeliveryError::Permanent("a caller's e-mail needs an appointment".into()));
    };
    let method = if event == NoticeEvent::BookingCancelled { InvitationMethod::Cancel } else { InvitationMethod::Request };
    let organizer = from.name.clone().unwrap_or_else(|| data.company.clone());
    let from_address = from.email.to_string();
    let to_address = to.email.to_string();
    let invite = Invitation {
        appointment_id: id,
        sequence: data.sequence,
        summary: format!("{} – {}", data.service.clone().unwrap_or_default(), data.company),
        location: format!("{}, {}", data.company, data.branch.clone().unwrap_or_default()),
        starts_at: start,
        ends_at: end,
        stamp,
        organizer: (&organizer, &from_address),
        attendee: (data.customer_name.as_deref().unwrap_or(""), &to_address),
    };
    let name = match method {
        InvitationMethod::Request => "REQUEST",
        InvitationMethod::Cancel => "CANCEL",
    };
    Ok((name, invitation(method, &invite)))
}

impl Channel for EmailChannel {
    fn serves(&self) -> crate::store::NoticeChannel {
        match self.audience {
            Audience::Owner => crate::store::NoticeChannel::Email,
            Audience::Customer => crate::store::NoticeChannel::EmailCustomer,
        }
    }

    fn deliver<'a>(&'a self, message: &'a OutboxMessage) -> BoxFuture<'a, Result<(), DeliveryError>> {
        Box::pin(self.send(message))
    }
}
