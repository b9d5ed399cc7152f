//! The delivery loop: claims due outbox messages under a lease (so a crashed instance's claims
//! come back), delivers each on its channel, and records the outcome.

use super::{Channel, DeliveryError};
use crate::clock::Clock;
use crate::store::{OutboxMessage, Store};
use chrono::{DateTime, Utc};
use rand::Rng;
use std::sync::Arc;
use std::time::Duration;

/// Timings of the delivery loop.
#[derive(Debug, Clone, Copy)]
pub struct NotifySettings {
    /// How often an idle worker looks for due messages.
    pub poll: Duration,
    /// The first retry's delay; each further one doubles up to `retry_cap`, ±25 % jitter.
    pub retry_base: Duration,
    /// The longest wait between two attempts.
    pub retry_cap: Duration,
    /// After this long since the change, a message that still fails is marked failed.
    pub give_up_after: chrono::Duration,
    /// How long a claim holds before another instance may take the message.
    pub lease: chrono::Duration,
    /// How often the daily-digest schedule looks at the clock.
    pub digest_tick: Duration,
}

impl Default for NotifySettings {
    fn default() -> Self {
        Self {
            poll: Duration::from_millis(500),
            retry_base: Duration::from_secs(10),
            retry_cap: Duration::from_secs(3600),
            give_up_after: chrono::Duration::hours(24),
            lease: chrono::Duration::seconds(60),
            digest_tick: Duration::from_secs(60),
        }
    }
}

/// Messages one claim takes at most.
const BATCH: i64 = 16;

/// Delivers the outbox.
#[derive(Debug, Clone)]
pub struct Notifier {
    store: Store,
    channels: Arc<Vec<Arc<dyn Channel>>>,
    clock: Arc<dyn Clock>,
    settings: NotifySettings,
}

impl Notifier {
    /// A notifier over `store` with these channels.
    pub fn new(store: Store, channels: Vec<Arc<dyn Channel>>, clock: Arc<dyn Clock>, settings: NotifySettings) -> Self {
        Self { store, channels: Arc::new(channels), clock, settings }
    }

    /// The delay before attempt `attempts + 1`: base × 2^(attempts − 1), at most the cap, ±25 %.
    pub fn backoff(&self, attempts: i32) -> Duration {
        let doubled = self.settings.retry_base.saturating_mul(1u32 << attempts.clamp(1, 20).saturating_sub(1) as u32);
        let capped = doubled.min(self.settings.retry_cap);
        capped.mul_f64(rand::thread_rng().gen_range(0.75..1.25))
    }

    /// Runs until the process ends.
    pub fn spawn(self) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            loop {
                let delivered = match self.round().await {
                    Ok(count) => count,
                    Err(error) => {
                        tracing::warn!(%error, "outbox round failed");
                        0
                    }
                };
                if delivered == 0 {
                    tokio::time::sleep(self.settings.poll).await;
                }
            }
        })
    }

    /// Claims and delivers one batch; how many messages it handled.
    pub async fn round(&self) -> Result<usize, crate::store::StoreError> {
        let now = self.clock.now();
        let claimed = self.store.claim_outbox(now, now + self.settings.lease, BATCH).await?;
        let count = claimed.len();
        // A batch goes out concurrently: one slow receiver does not hold the others.
        let deliveries = claimed.into_iter().map(|message| self.deliver(message));
        futures_util::future::join_all(deliveries).await;
        Ok(count)
    }

    /// Whether a notice is outdated by the time it goes: a reminder whose appointment was
    /// cancelled or moved since (the moved one has its own reminder for its new time), or a
    /// waitlist offer no longer open and held (its SMS would promise a time that is gone).
    async fn outdated(&self, message: &OutboxMessage) -> Result<bool, DeliveryError> {
        let transient = |e: crate::store::StoreError| DeliveryError::Transient(e.to_string());
        match message.event {
            crate::store::NoticeEvent::BookingReminder => {
                let data: crate::store::NoticeData =
                    serde_json::from_str(&message.payload).map_err(|e| DeliveryError::Permanent(format!("unreadable notice: {e}")))?;
                let (Some(id), Some(start)) = (data.appointment_id, data.start) else { return Ok(true) };
                Ok(!self.store.appointment_live_at(id, start).await.map_err(transient)?)
            }
            crate::store::NoticeEvent::WaitlistOffer => {
                // the key is `waitlist.offer:<offer id>:<channel>`
                let offer = message.idempotency_key.split(':').nth(1).and_then(|id| id.parse::<i64>().ok());
                let Some(offer) = offer else { return Ok(true) };
                Ok(!self.store.offer_open(offer).await.map_err(transient)?)
            }
            _ => Ok(false),
        }
    }

    async fn deliver(&self, message: OutboxMessage) {
        let outcome = match (self.outdated(&message).await, self.channels.iter().find(|c| c.serves() == message.channel)) {
            (Err(error), _) => Err(error),
            (Ok(true), _) => Ok(()),
            (Ok(false), Some(channel)) => channel.deliver(&message).await,
            (Ok(false), None) => Err(DeliveryError::Transient(format!("no {} channel on this instance", message.channel))),
        };
        let now = self.clock.now();
        let recorded = match outcome {
            Ok(()) => {
                tracing::info!(event = %message.event, channel = %message.channel, attempts = message.attempts, "notification delivered");
                self.store.outbox_sent(message.id, now).await
            }
            Err(error) => {
                let retry_at = self.retry_at(&message, &error, now);
                tracing::warn!(event = %message.event, channel = %message.channel, attempts = message.attempts, %error,
                    gives_up = retry_at.is_none(), "notification not delivered");
                self.store.outbox_failed(message.id, &error.to_string(), retry_at).await
            }
        };
        if let Err(error) = recorded {
            // The lease runs out and the message is delivered again: at least once.
            tracing::error!(%error, "delivery outcome could not be recorded");
        }
    }

    fn retry_at(&self, message: &OutboxMessage, error: &DeliveryError, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        if matches!(error, DeliveryError::Permanent(_)) {
            return None;
        }
        let at = now + chrono::Duration::from_std(self.backoff(message.attempts)).unwrap_or(chrono::Duration::hours(1));
        (at < message.queued_at.unwrap_or(message.created_at) + self.settings.give_up_after).then_some(at)
    }
}
