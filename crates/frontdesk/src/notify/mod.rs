//! Notifications (DESIGN §12): the outbox's messages delivered at least once, by one instance,
//! retried with exponential backoff and jitter for a day, then marked failed (the console lists
//! those and sends them again). Channels: signed webhooks, e-mail to owners and to callers, SMS to
//! callers who agreed.

pub mod digest;
mod email;
pub mod message;
mod sms;
mod webhook;
mod worker;

pub use email::EmailChannel;
pub use sms::{sms_text, SmsChannel};
pub use webhook::{signature, WebhookChannel, SIGNATURE_HEADER};
pub use worker::{NotifySettings, Notifier};

use crate::store::{NoticeChannel, OutboxMessage};
use futures_util::future::BoxFuture;

/// Why a delivery failed.
#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    /// Worth trying again later (unreachable, timeout, 5xx, 429).
    #[error("{0}")]
    Transient(String),
    /// Will never work (4xx, no secret): given up at once.
    #[error("{0}")]
    Permanent(String),
}

/// A way to reach people: takes one outbox message, says whether it arrived. An SMS provider
/// is one more implementation (and one more outbox `channel` written with each notice).
pub trait Channel: Send + Sync + std::fmt::Debug {
    /// The outbox channel it serves.
    fn serves(&self) -> NoticeChannel;
    /// Delivers one message; the receiver de-duplicates by its idempotency key.
    fn deliver<'a>(&'a self, message: &'a OutboxMessage) -> BoxFuture<'a, Result<(), DeliveryError>>;
}
