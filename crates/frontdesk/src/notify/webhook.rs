//! Signed webhooks to a company's `notify_webhook_url`: the JSON event with
//! `X-Frontdesk-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>` and the
//! message's idempotency key, so n8n, Zapier or the business's own system can trust and de-duplicate it.

use super::{Channel, DeliveryError};
use crate::store::{OutboxMessage, Store};
use futures_util::future::BoxFuture;
use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::Sha256;
use std::time::Duration;

/// The signature header.
pub const SIGNATURE_HEADER: &str = "x-frontdesk-signature";

/// The header value for `body` sent at `unix_seconds` (receivers recompute and compare, and
/// refuse timestamps older than a few minutes).
pub fn signature(secret: &str, unix_seconds: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(unix_seconds.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("t={unix_seconds},v1={}", hex::encode(mac.finalize().into_bytes()))
}

/// Posts events to webhooks.
#[derive(Debug, Clone)]
pub struct WebhookChannel {
    http: reqwest::Client,
    store: Store,
}

impl WebhookChannel {
    /// A channel reading each company's secret from `store` at delivery.
    pub fn new(store: Store) -> Self {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .connect_timeout(Duration::from_secs(5))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("the HTTP client builds with rustls");
        Self { http, store }
    }
}

impl Channel for WebhookChannel {
    fn serves(&self) -> crate::store::NoticeChannel {
        crate::store::NoticeChannel::Webhook
    }

    fn deliver<'a>(&'a self, message: &'a OutboxMessage) -> BoxFuture<'a, Result<(), DeliveryError>> {
        Box::pin(self.post(message))
    }
}

impl WebhookChannel {
    async fn post(&self, message: &OutboxMessage) -> Result<(), DeliveryError> {
        let secret = self
            .store
            .webhook_secret(message.company_id)
            .await
            .map_err(|e| DeliveryError::Transient(e.to_string()))?
            .ok_or_else(|| DeliveryError::Permanent("the company has no notify_webhook_secret any more".into()))?;
        let data: serde_json::Value =
            serde_json::from_str(&message.payload).map_err(|e| DeliveryError::Permanent(format!("payload: {e}")))?;
        let body = serde_json::to_vec(&json!({
            "id": message.idempotency_key,
            "event": message.event,
            "created_at": message.created_at,
            "attempt": message.attempts,
            "data": data,
        }))
        .expect("JSON serializes");
        let now = chrono::Utc::now().timestamp();
        let answer = self
            .http
            .post(&message.recipient)
            .header("content-type", "application/json")
            .header(SIGNATURE_HEADER, signature(&secret, now, &body))
            .header("idempotency-key", &message.idempotency_key)
            .body(body)
            .send()
            .await
            .map_err(|e| DeliveryError::Transient(format!("unreachable: {e}")))?;
        let status = answer.status();
        if status.is_success() {
            Ok(())
        } else if status.is_server_error() || status.as_u16() == 429 || status.as_u16() == 408 {
            Err(DeliveryError::Transient(format!("HTTP {status}")))
        } else {
            Err(DeliveryError::Permanent(format!("HTTP {status}")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_covers_time_and_body() {
        let a = signature("s3cret", 1_764_000_000, b"{}");
        assert!(a.starts_with("t=1764000000,v1="), "{a}");
        assert_eq!(a.len(), "t=1764000000,v1=".len() + 64);
        assert_ne!(a, signature("s3cret", 1_764_000_001, b"{}"));
        assert_ne!(a, signature("s3cret", 1_764_000_000, b"{ }"));
        assert_ne!(a, signature("other", 1_764_000_000, b"{}"));
    }
}
