//! Webhooks a user registered through `POST /v2/webhooks`: kept apart from the sending
//! (`webhooks`) so that the state holds them without depending on how they are sent.

use std::sync::{Mutex, MutexGuard};

/// A webhook registered through `POST /v2/webhooks`.
#[derive(Debug, Clone)]
pub struct Subscription {
    /// Numeric id.
    pub id: u64,
    /// The user that registered it (see [`crate::Fixture::user_id`]).
    pub user_id: i64,
    /// Where the events go.
    pub subscriber_url: String,
    /// The triggers it wants, e.g. `BOOKING_CREATED`.
    pub triggers: Vec<String>,
    /// Whether it is sent at all.
    pub active: bool,
    /// HMAC secret; `None` sends the literal `no-secret-provided`.
    pub secret: Option<String>,
    /// Kept and answered, not applied: bodies always have Cal.com's default shape.
    pub payload_template: Option<String>,
}

/// The registered webhooks. They outlive `/_calsim/reset`: like the event types, they are the
/// account's setup, not its traffic.
#[derive(Debug, Default)]
pub struct Subscriptions {
    inner: Mutex<(u64, Vec<Subscription>)>,
}

impl Subscriptions {
    fn lock(&self) -> MutexGuard<'_, (u64, Vec<Subscription>)> {
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Stores `subscription` under a new id, unless its user already has one for that URL (as
    /// Cal.com refuses it); the stored copy.
    pub fn add(&self, mut subscription: Subscription) -> Option<Subscription> {
        let mut guard = self.lock();
        let (next, list) = &mut *guard;
        if list.iter().any(|s| s.user_id == subscription.user_id && s.subscriber_url == subscription.subscriber_url) {
            return None;
        }
        *next += 1;
        subscription.id = *next;
        list.push(subscription.clone());
        Some(subscription)
    }

    /// All registered webhooks, oldest first.
    pub fn list(&self) -> Vec<Subscription> {
        self.lock().1.clone()
    }

    /// The webhook with `id`.
    pub fn get(&self, id: u64) -> Option<Subscription> {
        self.lock().1.iter().find(|s| s.id == id).cloned()
    }

    /// Changes the webhook with `id` by `change`, unless it would then share its URL with another
    /// of its user's webhooks (as Cal.com refuses it); the stored copy, `None` on that conflict.
    pub fn update(&self, id: u64, change: impl FnOnce(&mut Subscription)) -> Option<Subscription> {
        let list = &mut self.lock().1;
        let place = list.iter().position(|s| s.id == id)?;
        let mut changed = list[place].clone();
        change(&mut changed);
        if list.iter().any(|s| s.id != id && s.user_id == changed.user_id && s.subscriber_url == changed.subscriber_url) {
            return None;
        }
        list[place] = changed.clone();
        Some(changed)
    }

    /// Removes the webhook with `id`; what it was.
    pub fn remove(&self, id: u64) -> Option<Subscription> {
        let list = &mut self.lock().1;
        let place = list.iter().position(|s| s.id == id)?;
        Some(list.remove(place))
    }
}
